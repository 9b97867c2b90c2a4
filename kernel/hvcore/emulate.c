// SPDX-License-Identifier: GPL-2.0
/*
 * The little instruction emulation hvcore needs: read guest memory by
 * guest-physical address, translate the guest's linear addresses through
 * its own page tables (to fetch the instruction at RIP), and decode the
 * MOV forms that access MMIO (SDM vol. 2, "MOV", "MOVZX", "MOVSX").
 *
 * Guest memory is the partition's own pages (kmap_local_page() works in
 * the dispatcher's atomic context); an address outside it reads as a
 * failure, never as host memory.
 */
#define pr_fmt(fmt) "hvcore: " fmt

#include <linux/highmem.h>

#include "hvcore.h"

/* Copy between guest memory and @buf, a page at a time. */
static int hv_gpa_copy(struct hv_partition *p, u64 gpa, void *buf, u32 len, bool write)
{
	while (len) {
		u32 n = min_t(u32, len, PAGE_SIZE - offset_in_page(gpa));
		struct page *pg;
		void *va;

		pg = gpa < p->mem.bytes ? hv_memory_page(&p->mem, gpa) : NULL;
		if (!pg)
			return -EFAULT;
		va = kmap_local_page(pg) + offset_in_page(gpa);
		if (write)
			memcpy(va, buf, n);
		else
			memcpy(buf, va, n);
		kunmap_local(va);
		buf += n;
		gpa += n;
		len -= n;
	}
	return 0;
}

/**
 * hv_gpa_read() - copy guest memory out
 * @p:		the partition
 * @gpa:	guest-physical address
 * @buf:	destination
 * @len:	bytes
 *
 * Return: 0, or -EFAULT when part of the range is not guest memory.
 */
int hv_gpa_read(struct hv_partition *p, u64 gpa, void *buf, u32 len)
{
	return hv_gpa_copy(p, gpa, buf, len, false);
}

/**
 * hv_gpa_write() - copy into guest memory
 * @p:		the partition
 * @gpa:	guest-physical address
 * @buf:	source
 * @len:	bytes
 *
 * Return: 0, or -EFAULT when part of the range is not guest memory.
 */
int hv_gpa_write(struct hv_partition *p, u64 gpa, const void *buf, u32 len)
{
	return hv_gpa_copy(p, gpa, (void *)buf, len, true);
}

#define HV_PTE_P	BIT_ULL(0)
#define HV_PTE_PS	BIT_ULL(7)
#define HV_PTE_ADDR	GENMASK_ULL(51, 12)

/* One level of a walk: the entry at @table[@index] of @size bytes. */
static int hv_walk_entry(struct hv_partition *p, u64 table, u32 index, int size, u64 *e)
{
	*e = 0;
	if (hv_gpa_read(p, table + (u64)index * size, e, size))
		return -EFAULT;
	return (*e & HV_PTE_P) ? 0 : -EFAULT;
}

/* Linear to guest-physical through the guest's tables (SDM 4.3-4.5). */
static int hv_gva_to_gpa(struct hv_vp *vp, const struct hvcore_regs *r, u64 gva, u64 *gpa)
{
	struct hv_partition *p = vp->part;
	u64 e, table;
	int level;

	if (!(r->cr0 & X86_CR0_PG)) {
		*gpa = (r->efer & EFER_LMA) ? gva : (u32)gva;
		return 0;
	}
	if (r->efer & EFER_LMA) {
		if (r->cr4 & X86_CR4_LA57)
			return -EOPNOTSUPP;
		table = r->cr3 & HV_PTE_ADDR;
		for (level = 4; level >= 1; level--) {
			int shift = 12 + 9 * (level - 1);

			if (hv_walk_entry(p, table, (gva >> shift) & 511, 8, &e))
				return -EFAULT;
			if (level == 1 || (level <= 3 && (e & HV_PTE_PS))) {
				u64 mask = (1ULL << shift) - 1;

				*gpa = ((e & HV_PTE_ADDR) & ~mask) | (gva & mask);
				return 0;
			}
			table = e & HV_PTE_ADDR;
		}
		return -EFAULT;
	}
	gva = (u32)gva;
	if (r->cr4 & X86_CR4_PAE) {
		if (hv_walk_entry(p, r->cr3 & 0xffffffe0, gva >> 30, 8, &e))
			return -EFAULT;
		table = e & HV_PTE_ADDR;
		if (hv_walk_entry(p, table, (gva >> 21) & 511, 8, &e))
			return -EFAULT;
		if (e & HV_PTE_PS) {
			*gpa = (e & HV_PTE_ADDR & ~0x1fffffULL) | (gva & 0x1fffff);
			return 0;
		}
		if (hv_walk_entry(p, e & HV_PTE_ADDR, (gva >> 12) & 511, 8, &e))
			return -EFAULT;
		*gpa = (e & HV_PTE_ADDR) | (gva & 0xfff);
		return 0;
	}
	if (hv_walk_entry(p, r->cr3 & 0xfffff000, gva >> 22, 4, &e))
		return -EFAULT;
	if ((e & HV_PTE_PS) && (r->cr4 & X86_CR4_PSE)) {
		/* 4 MiB page; bits 20:13 extend the address above 4 GiB (PSE-36). */
		*gpa = (e & 0xffc00000) | ((e & 0x1fe000ULL) << 19) | (gva & 0x3fffff);
		return 0;
	}
	if (hv_walk_entry(p, e & 0xfffff000, (gva >> 12) & 1023, 4, &e))
		return -EFAULT;
	*gpa = (e & 0xfffff000) | (gva & 0xfff);
	return 0;
}

/* 64-bit mode: long mode active and a 64-bit code segment. */
static bool hv_long64(const struct hvcore_regs *r)
{
	return (r->efer & EFER_LMA) && r->seg[HVCORE_CS].l;
}

/**
 * hv_guest_fetch() - the bytes at the guest's CS:RIP
 * @vp:		the VP, not in guest mode
 * @r:		its registers (hv_arch_ops.get_regs())
 * @buf:	destination
 * @len:	bytes wanted (at most 15 make an instruction)
 *
 * Return: bytes fetched (fewer when a page is not mapped or not memory),
 * or a negative errno when none could be.
 */
int hv_guest_fetch(struct hv_vp *vp, const struct hvcore_regs *r, u8 *buf, int len)
{
	u64 lin, gpa;
	int done = 0;

	lin = vp->rip;
	if (!hv_long64(r))
		lin = (u32)(r->seg[HVCORE_CS].base + vp->rip);
	while (done < len) {
		int n = min_t(int, len - done, PAGE_SIZE - offset_in_page(lin + done));

		if (hv_gva_to_gpa(vp, r, lin + done, &gpa) ||
		    hv_gpa_read(vp->part, gpa, buf + done, n))
			break;
		done += n;
	}
	return done ? done : -EFAULT;
}

struct hv_insn {
	const u8 *b;
	int len;
	int pos;
	bool bad;
};

static u64 hv_insn_take(struct hv_insn *in, int n)
{
	u64 v = 0;
	int i;

	if (in->pos + n > in->len) {
		in->bad = true;
		return 0;
	}
	for (i = 0; i < n; i++)
		v |= (u64)in->b[in->pos + i] << (8 * i);
	in->pos += n;
	return v;
}

/* Skip the memory operand of a ModRM byte; false for a register operand. */
static bool hv_skip_modrm_mem(struct hv_insn *in, u8 modrm, int asize)
{
	int mod = modrm >> 6, rm = modrm & 7;

	if (mod == 3)
		return false;
	if (asize == 2) {
		if (mod == 1)
			hv_insn_take(in, 1);
		else if (mod == 2 || (mod == 0 && rm == 6))
			hv_insn_take(in, 2);
		return !in->bad;
	}
	if (rm == 4) {
		u8 sib = hv_insn_take(in, 1);

		if (mod == 0 && (sib & 7) == 5)
			hv_insn_take(in, 4);
	}
	if (mod == 1)
		hv_insn_take(in, 1);
	else if (mod == 2 || (mod == 0 && rm == 5))
		hv_insn_take(in, 4);
	return !in->bad;
}

/* Byte register numbering: without REX, 4-7 are AH, CH, DH, BH (16-19). */
static int hv_reg8(int reg, bool rex)
{
	return (!rex && reg >= 4 && reg < 8) ? 16 + reg - 4 : reg;
}

/**
 * hv_decode_mmio() - decode the MOV at RIP that faulted on MMIO
 * @vp:		the VP; on success its mmio_reg/mmio_dst_len/mmio_sext say
 *		where a read's value goes
 * @r:		its registers (hv_arch_ops.get_regs())
 * @insn:	instruction bytes at RIP
 * @len:	how many
 * @write:	out: the access writes
 * @size:	out: access size in bytes
 * @wdata:	out: the value written
 *
 * Return: the instruction's length, or -EINVAL for anything but the MOV,
 * MOVZX and MOVSX forms with a memory operand.
 */
int hv_decode_mmio(struct hv_vp *vp, const struct hvcore_regs *r, const u8 *insn, int len,
		   bool *write, u8 *size, u64 *wdata)
{
	struct hv_insn in = { .b = insn, .len = len };
	bool long64, rex = false, rex_w = false, rex_r = false, more = true;
	int osize, asize, reg;
	u8 op, modrm;

	long64 = hv_long64(r);
	osize = long64 || r->seg[HVCORE_CS].db ? 4 : 2;
	asize = long64 ? 8 : osize;

	while (more) {
		op = hv_insn_take(&in, 1);
		switch (op) {
		case 0x66:
			osize = osize == 2 ? 4 : 2;
			break;
		case 0x67:
			asize = long64 ? 4 : (asize == 2 ? 4 : 2);
			break;
		case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65: case 0xf0:
			break;
		default:
			more = false;
		}
		if (in.bad)
			return -EINVAL;
	}
	if (long64 && (op & 0xf0) == 0x40) {
		rex = true;
		rex_w = op & 8;
		rex_r = op & 4;
		op = hv_insn_take(&in, 1);
	}
	if (rex_w)
		osize = 8;

	vp->mmio_reg = -1;
	vp->mmio_sext = false;
	*wdata = 0;
	switch (op) {
	case 0x88: case 0x89: case 0x8a: case 0x8b:
		modrm = hv_insn_take(&in, 1);
		if (!hv_skip_modrm_mem(&in, modrm, asize))
			return -EINVAL;
		reg = ((modrm >> 3) & 7) | (rex_r ? 8 : 0);
		*size = (op & 1) ? osize : 1;
		if (*size == 1)
			reg = hv_reg8(reg, rex);
		*write = op < 0x8a;
		if (*write) {
			*wdata = hv_gpr_read(vp, reg, *size);
		} else {
			vp->mmio_reg = reg;
			vp->mmio_dst_len = *size;
		}
		break;
	case 0xc6: case 0xc7:
		modrm = hv_insn_take(&in, 1);
		if (((modrm >> 3) & 7) || !hv_skip_modrm_mem(&in, modrm, asize))
			return -EINVAL;
		*size = op == 0xc6 ? 1 : osize;
		*write = true;
		*wdata = hv_insn_take(&in, min_t(int, *size, 4));
		if (*size == 8)
			*wdata = (u64)(s64)(s32)*wdata;
		break;
	case 0xa0: case 0xa1: case 0xa2: case 0xa3:
		hv_insn_take(&in, asize);
		*size = (op & 1) ? osize : 1;
		*write = op >= 0xa2;
		if (*write) {
			*wdata = hv_gpr_read(vp, HVCORE_RAX, *size);
		} else {
			vp->mmio_reg = HVCORE_RAX;
			vp->mmio_dst_len = *size;
		}
		break;
	case 0x0f:
		op = hv_insn_take(&in, 1);
		if (op != 0xb6 && op != 0xb7 && op != 0xbe && op != 0xbf)
			return -EINVAL;
		modrm = hv_insn_take(&in, 1);
		if (!hv_skip_modrm_mem(&in, modrm, asize))
			return -EINVAL;
		*size = (op & 1) ? 2 : 1;
		*write = false;
		vp->mmio_reg = ((modrm >> 3) & 7) | (rex_r ? 8 : 0);
		vp->mmio_dst_len = osize;
		vp->mmio_sext = op >= 0xbe;
		break;
	default:
		return -EINVAL;
	}
	return in.bad ? -EINVAL : in.pos;
}
