// SPDX-License-Identifier: GPL-2.0
/*
 * Nested page tables: guest-physical to machine addresses, 4 levels,
 * filled on demand. A nested-page fault on memory the partition owns maps
 * the 2 MiB range around it with one large entry when that range is one
 * aligned machine chunk (memory.c tries to allocate it so), else the one
 * 4 KiB page. Guest-physical addresses without memory are never mapped, so
 * every access to them exits as MMIO.
 *
 * The table format is the backend's (AMD NPT entries are ordinary x86-64
 * page-table entries, Intel EPT entries have their own permission and
 * memory-type bits): hv_arch_ops.npt_entry() builds each entry; the walk
 * is common. Entries are only ever added while VPs run (a zero entry is
 * not present in both formats), so no TLB flush is needed for them; the
 * tables go away only with the memory, when no VP runs.
 */
#define pr_fmt(fmt) "hvcore: " fmt

#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "hvcore.h"
#include "trace.h"

#define HV_NPT_LEVELS	4
#define HV_2M		BIT_ULL(21)

static u64 *hv_npt_alloc_table(struct hv_npt *npt)
{
	struct page **t, *pg;

	t = krealloc(npt->tables, (npt->nr_tables + 1) * sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	npt->tables = t;
	pg = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!pg)
		return NULL;
	t[npt->nr_tables++] = pg;
	return page_address(pg);
}

/**
 * hv_npt_init() - the root table, once, before the partition first runs
 * @p: the partition, p->lock held
 *
 * Return: 0 or -ENOMEM.
 */
int hv_npt_init(struct hv_partition *p)
{
	struct hv_npt *npt = &p->npt;
	int ret = 0;

	mutex_lock(&npt->lock);
	if (!npt->root) {
		npt->root = hv_npt_alloc_table(npt);
		if (!npt->root)
			ret = -ENOMEM;
	}
	mutex_unlock(&npt->lock);
	return ret;
}

/**
 * hv_npt_free() - free every table
 * @npt: tables of a partition none of whose VPs runs
 */
void hv_npt_free(struct hv_npt *npt)
{
	unsigned long i;

	trace_hvcore_unmap(npt);
	if (npt->nr_tables && hv_arch->npt_freed)
		hv_arch->npt_freed();
	for (i = 0; i < npt->nr_tables; i++)
		__free_page(npt->tables[i]);
	kfree(npt->tables);
	npt->tables = NULL;
	npt->nr_tables = 0;
	npt->root = NULL;
	npt->mapped_2m = 0;
	npt->mapped_4k = 0;
}

/**
 * hv_npt_root_pa() - what the hardware's nested CR3 / EPTP points at
 * @p: a partition that has started
 *
 * Return: the root table's machine address.
 */
u64 hv_npt_root_pa(struct hv_partition *p)
{
	return virt_to_phys(p->npt.root);
}

/* The 2 MiB guest range at @base is one aligned machine chunk. */
static bool hv_npt_can_2m(const struct hv_memory *m, u64 base)
{
	unsigned long first = base >> PAGE_SHIFT, i, pfn;

	if (base + HV_2M > m->bytes)
		return false;
	pfn = page_to_pfn(m->pages[first]);
	if (pfn & ((HV_2M >> PAGE_SHIFT) - 1))
		return false;
	for (i = 1; i < (HV_2M >> PAGE_SHIFT); i++)
		if (page_to_pfn(m->pages[first + i]) != pfn + i)
			return false;
	return true;
}

/**
 * hv_npt_map() - map the guest page at @gpa (and its 2 MiB range if it can)
 * @p:		the partition
 * @gpa:	a guest-physical address inside its memory
 *
 * Context: process context, may sleep.
 * Return: 0 (also when another VP mapped it first), -EFAULT outside the
 * memory, -ENOMEM.
 */
int hv_npt_map(struct hv_partition *p, u64 gpa)
{
	struct hv_npt *npt = &p->npt;
	u64 *table, e;
	int level, ret = 0;

	if (gpa >= p->mem.bytes)
		return -EFAULT;
	mutex_lock(&npt->lock);
	table = npt->root;
	for (level = HV_NPT_LEVELS; level > 1; level--) {
		unsigned int idx = (gpa >> (12 + 9 * (level - 1))) & 511;
		u64 *next;

		e = READ_ONCE(table[idx]);
		if (level == 2 && !e && hv_npt_can_2m(&p->mem, gpa & ~(HV_2M - 1))) {
			struct page *pg = hv_memory_page(&p->mem, gpa & ~(HV_2M - 1));

			WRITE_ONCE(table[idx], hv_arch->npt_entry(page_to_phys(pg), 2));
			npt->mapped_2m++;
			trace_hvcore_map(p, gpa & ~(HV_2M - 1), HV_2M, page_to_phys(pg));
			goto out;
		}
		if (e) {
			/* Bit 7 is the large-page bit in both NPT and EPT entries. */
			if (level == 2 && (e & BIT_ULL(7)))
				goto out;
			table = phys_to_virt(e & GENMASK_ULL(51, 12));
			continue;
		}
		next = hv_npt_alloc_table(npt);
		if (!next) {
			ret = -ENOMEM;
			goto out;
		}
		WRITE_ONCE(table[idx], hv_arch->npt_entry(virt_to_phys(next), 0));
		table = next;
	}
	if (!READ_ONCE(table[(gpa >> 12) & 511])) {
		WRITE_ONCE(table[(gpa >> 12) & 511],
			   hv_arch->npt_entry(page_to_phys(hv_memory_page(&p->mem, gpa)), 1));
		npt->mapped_4k++;
		trace_hvcore_map(p, gpa & PAGE_MASK, PAGE_SIZE,
				 page_to_phys(hv_memory_page(&p->mem, gpa)));
	}
out:
	mutex_unlock(&npt->lock);
	return ret;
}

static void hv_npt_count_table(const u64 *table, int level, u64 *count)
{
	unsigned int i, ad;

	for (i = 0; i < 512; i++) {
		u64 e = READ_ONCE(table[i]), pages;

		if (!e)
			continue;
		if (level > 2 || (level == 2 && !(e & BIT_ULL(7)))) {
			hv_npt_count_table(phys_to_virt(e & GENMASK_ULL(51, 12)), level - 1, count);
			continue;
		}
		pages = level == 2 ? HV_2M >> PAGE_SHIFT : 1;
		ad = hv_arch->npt_ad(e);
		count[0] += pages;
		if (ad & HV_NPT_ACCESSED)
			count[1] += pages;
		if (ad & HV_NPT_DIRTY)
			count[2] += pages;
	}
}

/**
 * hv_npt_count() - 4 KiB pages mapped, and of those accessed and written
 * @npt:	the tables
 * @mapped:	pages with a mapping
 * @accessed:	pages whose mapping the hardware marked accessed
 * @dirty:	pages whose mapping the hardware marked dirty
 *
 * Accessed and dirty flags are per mapping, so a 2 MiB mapping counts its
 * 512 pages together. Reading them while VPs run gives a snapshot.
 */
void hv_npt_count(struct hv_npt *npt, u64 *mapped, u64 *accessed, u64 *dirty)
{
	u64 count[3] = {};

	mutex_lock(&npt->lock);
	if (npt->root)
		hv_npt_count_table(npt->root, HV_NPT_LEVELS, count);
	mutex_unlock(&npt->lock);
	*mapped = count[0];
	*accessed = count[1];
	*dirty = count[2];
}
