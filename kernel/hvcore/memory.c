// SPDX-License-Identifier: GPL-2.0
/*
 * Machine memory of a partition: guest-physical [0, bytes) backed by pages
 * hvcore allocates itself, zeroed, from the partition's NUMA node when one
 * is given, in 2 MiB chunks where the allocator has them (so nested paging
 * can use large pages) and 4 KiB pages otherwise.
 *
 * A 2 MiB chunk is split into 512 independent pages right away: every page
 * is then an ordinary order-0 page that mmap can hand to user space and
 * that is freed on its own, while staying physically contiguous and 2 MiB
 * aligned for the nested page tables.
 *
 * Pages are charged to the creating task's memory cgroup, are never
 * movable (nested page tables point at them), and a request larger than
 * what the host has available is refused up front rather than pushing the
 * host into reclaim or the OOM killer.
 */
#define pr_fmt(fmt) "hvcore: " fmt

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "hvcore.h"

#define HV_2M_ORDER	(21 - PAGE_SHIFT)
#define HV_2M_PAGES	BIT(HV_2M_ORDER)

#define HV_GFP	(GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN)

static atomic_long_t hv_pages_held = ATOMIC_LONG_INIT(0);

/**
 * hv_memory_pages_held() - 4 KiB pages all partitions hold now
 *
 * Return: the count.
 */
unsigned long hv_memory_pages_held(void)
{
	return atomic_long_read(&hv_pages_held);
}

static struct page *hv_alloc_2m(int node)
{
	gfp_t gfp = HV_GFP | __GFP_NORETRY;
	struct page *page;

	if (node != NUMA_NO_NODE)
		gfp |= __GFP_THISNODE;
	page = alloc_pages_node(node, gfp, HV_2M_ORDER);
	if (page)
		split_page(page, HV_2M_ORDER);
	return page;
}

static struct page *hv_alloc_4k(int node)
{
	struct page *page;

	/* On the node first; then anywhere (counted as off node). */
	if (node != NUMA_NO_NODE) {
		page = alloc_pages_node(node, HV_GFP | __GFP_THISNODE | __GFP_NORETRY, 0);
		if (page)
			return page;
	}
	return alloc_pages_node(node, HV_GFP | __GFP_RETRY_MAYFAIL, 0);
}

/**
 * hv_memory_free() - return every page, forget the layout
 * @m: memory, may be empty
 */
void hv_memory_free(struct hv_memory *m)
{
	unsigned long i;

	for (i = 0; i < m->nr_pages; i++)
		__free_page(m->pages[i]);
	/* Only a complete allocation (bytes set) was counted as held. */
	if (m->bytes)
		atomic_long_sub(m->nr_pages, &hv_pages_held);
	kvfree(m->pages);
	memset(m, 0, sizeof(*m));
	m->node = NUMA_NO_NODE;
}

/**
 * hv_memory_alloc() - back [0, @bytes) with zeroed machine memory
 * @m:		empty memory (hv_memory_free() or zero-initialised)
 * @bytes:	a multiple of PAGE_SIZE, at most HVCORE_MEMORY_MAX
 * @node:	NUMA node to take it from, or NUMA_NO_NODE
 *
 * Return: 0; -ENOMEM when the host has not that much available or the
 * allocation fails (nothing is left allocated); -EINTR on a fatal signal.
 */
int hv_memory_alloc(struct hv_memory *m, u64 bytes, int node)
{
	unsigned long nr = bytes >> PAGE_SHIFT, i = 0, j;
	struct page *page;

	if (nr > si_mem_available()) {
		hv_bad_input("%llu MiB of guest memory requested, %lu MiB available",
			     bytes >> 20, si_mem_available() >> (20 - PAGE_SHIFT));
		return -ENOMEM;
	}
	m->pages = kvcalloc(nr, sizeof(*m->pages), GFP_KERNEL_ACCOUNT);
	if (!m->pages)
		return -ENOMEM;
	m->node = node;

	while (i < nr) {
		if (fatal_signal_pending(current))
			goto err_intr;
		page = NULL;
		if (!(i & (HV_2M_PAGES - 1)) && nr - i >= HV_2M_PAGES)
			page = hv_alloc_2m(node);
		if (page) {
			for (j = 0; j < HV_2M_PAGES; j++)
				m->pages[i + j] = nth_page(page, j);
			m->nr_pages = i + HV_2M_PAGES;
			m->pages_2m++;
			i += HV_2M_PAGES;
		} else {
			page = hv_alloc_4k(node);
			if (!page)
				goto err_nomem;
			/* 2 MiB chunks are __GFP_THISNODE; only these can stray. */
			if (node != NUMA_NO_NODE && page_to_nid(page) != node)
				m->off_node++;
			m->pages[i] = page;
			m->nr_pages = ++i;
		}
		cond_resched();
	}
	atomic_long_add(nr, &hv_pages_held);
	m->bytes = bytes;
	return 0;

err_intr:
	hv_memory_free(m);
	return -EINTR;
err_nomem:
	hv_memory_free(m);
	pr_warn_ratelimited("%s[%d]: out of memory after %lu of %lu guest pages\n",
			    current->comm, task_pid_nr(current), i, nr);
	return -ENOMEM;
}

/**
 * hv_memory_page() - the page backing a guest-physical address
 * @m:		memory
 * @gpa:	guest-physical address
 *
 * Return: the page, or NULL when @gpa is not backed (MMIO space).
 */
struct page *hv_memory_page(const struct hv_memory *m, u64 gpa)
{
	u64 pfn = gpa >> PAGE_SHIFT;

	return pfn < m->nr_pages ? m->pages[pfn] : NULL;
}

/**
 * hv_memory_load() - copy user bytes into guest memory
 * @m:		memory
 * @gpa:	first guest-physical byte
 * @src:	user source
 * @len:	bytes; [@gpa, @gpa + @len) must lie inside the memory
 *
 * Return: 0, -EINVAL for a range outside the memory, -EFAULT.
 */
int hv_memory_load(const struct hv_memory *m, u64 gpa, const void __user *src, u64 len)
{
	u64 end;

	if (check_add_overflow(gpa, len, &end) || end > m->bytes)
		return -EINVAL;
	while (len) {
		unsigned int off = offset_in_page(gpa);
		unsigned int n = min_t(u64, len, PAGE_SIZE - off);
		void *dst = kmap_local_page(hv_memory_page(m, gpa));
		unsigned long left = copy_from_user(dst + off, src, n);

		kunmap_local(dst);
		if (left)
			return -EFAULT;
		gpa += n;
		src += n;
		len -= n;
		cond_resched();
	}
	return 0;
}
