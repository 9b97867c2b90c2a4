// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID as a partition sees it: its policy entries first (fixed values,
 * or forwarded to the worker), then hvcore's default, which is the host's
 * answer with what a partition cannot use hidden:
 *
 *  - virtualization (SVM, VMX, SMX), since nested guests are not offered;
 *  - MONITOR/MWAIT, the PMU (leaf 0xA), thermal and power leaves, x2APIC,
 *    TSC deadline and the speculation-control MSRs, since hvcore emulates
 *    none of their MSRs or devices;
 *  - OSXSAVE follows the guest's CR4; the APIC ID is the VP index;
 *  - leaves past 0xD and past 0x80000008 read as zero.
 *
 * The hypervisor bit (leaf 1 ECX[31]) is set and leaves 0x40000000-5 have
 * the layout of the Hyper-V TLFS (chapter 2), with hvcore's vendor string
 * (Documentation/hypercalls.rst).
 */
#define pr_fmt(fmt) "hvcore: " fmt

#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/processor.h>

#include "hvcore.h"

#define HV_MAX_BASIC	0xd
#define HV_MAX_EXT	0x80000008
#define HV_LEAF_MAX	0x40000005

/* CPUID.1 */
#define HV_1_ECX_HIDE	(BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(7) | BIT(8) | BIT(15) | \
			 BIT(18) | BIT(21) | BIT(24) | BIT(27))
#define HV_1_ECX_OSXSAVE BIT(27)
#define HV_1_ECX_HYPERVISOR BIT(31)
#define HV_1_EDX_HIDE	(BIT(21) | BIT(22) | BIT(29) | BIT(31))
/* CPUID.7.0 */
#define HV_7_EBX_HIDE	(BIT(2) | BIT(4) | BIT(11) | BIT(25))
#define HV_7_ECX_HIDE	(BIT(3) | BIT(4) | BIT(5) | BIT(14) | BIT(30))
#define HV_7_EDX_HIDE	(BIT(26) | BIT(27) | BIT(28) | BIT(29) | BIT(30) | BIT(31))
/* CPUID.80000001 */
#define HV_81_ECX_HIDE	(BIT(2) | BIT(3) | BIT(10) | BIT(12) | BIT(13) | BIT(15) | \
			 BIT(17) | BIT(19) | BIT(22) | BIT(23) | BIT(24) | BIT(28) | BIT(29))

/* TLFS: HV_PARTITION_PRIVILEGE_MASK bits hvcore grants (CPUID 0x40000003 EAX) */
#define HV_PRIV_ACCESS_HYPERCALL_MSRS	BIT(5)
#define HV_PRIV_ACCESS_VP_INDEX		BIT(6)

/**
 * hv_cpuid_find() - the partition's policy entry for a leaf
 * @p:		partition
 * @fn:		EAX
 * @idx:	ECX
 *
 * Return: the entry or NULL. The policy only changes while the partition
 * is off, so no lock is needed while VPs run.
 */
const struct hvcore_cpuid_entry *hv_cpuid_find(struct hv_partition *p, u32 fn, u32 idx)
{
	u32 i;

	for (i = 0; i < p->nr_cpuid; i++) {
		const struct hvcore_cpuid_entry *e = &p->cpuid[i];

		if (e->function == fn && (!(e->flags & HVCORE_CPUID_SUBLEAF) || e->index == idx))
			return e;
	}
	return NULL;
}

static void hv_cpuid_hv_leaves(struct hv_vp *vp, u32 fn, u32 out[4])
{
	const char *v = HVCORE_CPUID_VENDOR;

	switch (fn) {
	case 0x40000000:
		out[0] = HV_LEAF_MAX;
		memcpy(&out[1], v, 4);
		memcpy(&out[2], v + 4, 4);
		memcpy(&out[3], v + 8, 4);
		break;
	case 0x40000001:
		out[0] = 0x31237648;	/* "Hv#1": TLFS-style interface */
		break;
	case 0x40000002:
		out[1] = HVCORE_API_VERSION << 16;
		break;
	case 0x40000003:
		out[0] = HV_PRIV_ACCESS_HYPERCALL_MSRS | HV_PRIV_ACCESS_VP_INDEX;
		break;
	case 0x40000004:
		out[1] = 0xffffffff;	/* never notify long spin waits */
		break;
	case 0x40000005:
		out[0] = HVCORE_MAX_VPS;
		out[1] = num_possible_cpus();
		break;
	}
}

/**
 * hv_cpuid() - hvcore's default answer for a leaf
 * @vp:		the asking VP
 * @fn:		EAX
 * @idx:	ECX
 * @out:	EAX, EBX, ECX, EDX
 */
void hv_cpuid(struct hv_vp *vp, u32 fn, u32 idx, u32 out[4])
{
	struct hvcore_regs r = {};

	memset(out, 0, 4 * sizeof(u32));
	if (fn >= 0x40000000 && fn <= 0x400000ff) {
		hv_cpuid_hv_leaves(vp, fn, out);
		return;
	}
	if ((fn < 0x80000000 && fn > HV_MAX_BASIC) || fn > HV_MAX_EXT)
		return;
	cpuid_count(fn, idx, &out[0], &out[1], &out[2], &out[3]);

	switch (fn) {
	case 0:
		out[0] = min_t(u32, out[0], HV_MAX_BASIC);
		break;
	case 1:
		out[1] = (out[1] & 0x00ffffff) | (vp->index << 24);
		out[2] &= ~HV_1_ECX_HIDE;
		out[2] |= HV_1_ECX_HYPERVISOR;
		hv_arch->get_regs(vp, &r);
		if (r.cr4 & X86_CR4_OSXSAVE)
			out[2] |= HV_1_ECX_OSXSAVE;
		out[3] &= ~HV_1_EDX_HIDE;
		break;
	case 5: case 6: case 0xa:
		memset(out, 0, 4 * sizeof(u32));
		break;
	case 7:
		if (idx == 0) {
			out[1] &= ~HV_7_EBX_HIDE;
			out[2] &= ~HV_7_ECX_HIDE;
			out[3] &= ~HV_7_EDX_HIDE;
		} else {
			memset(out, 0, 4 * sizeof(u32));
		}
		break;
	case 0xb:
		/* One thread per core: the x2APIC ID in EDX is the VP index. */
		out[0] = 0;
		out[1] = idx == 0 ? 1 : 0;
		out[2] = idx & 0xff;
		out[3] = vp->index;
		break;
	case 0xd:
		if (idx == 0) {
			out[0] &= hv_host_xcr0;
			out[3] &= hv_host_xcr0 >> 32;
		} else if (idx == 1) {
			out[0] &= BIT(0) | BIT(1) | BIT(2);	/* XSAVEOPT, XSAVEC, XGETBV1 */
			out[1] = 0;
			out[2] = 0;
			out[3] = 0;
		}
		break;
	case 0x80000000:
		out[0] = min_t(u32, out[0], HV_MAX_EXT);
		break;
	case 0x80000001:
		out[2] &= ~HV_81_ECX_HIDE;
		break;
	case 0x80000008:
		out[1] = 0;	/* no speculation-control features either */
		break;
	}
}

static long hv_cpuid_set(struct hv_partition *p, struct hvcore_cpuid *c)
{
	struct hvcore_cpuid_entry *e = NULL;
	u32 i;

	if (c->count > HVCORE_MAX_CPUID_ENTRIES) {
		hv_bad_input("SET_CPUID: %u entries, at most %u", c->count,
			     HVCORE_MAX_CPUID_ENTRIES);
		return -E2BIG;
	}
	if (c->count) {
		e = memdup_user(u64_to_user_ptr(c->entries), c->count * sizeof(*e));
		if (IS_ERR(e))
			return PTR_ERR(e);
	}
	for (i = 0; i < c->count; i++) {
		if (e[i].flags & ~(HVCORE_CPUID_SUBLEAF | HVCORE_CPUID_FORWARD) ||
		    e[i].reserved0 || (!(e[i].flags & HVCORE_CPUID_SUBLEAF) && e[i].index)) {
			hv_bad_input("SET_CPUID: entry %u: bad flags/reserved0/index", i);
			kfree(e);
			return -EINVAL;
		}
	}
	if (p->state != HVCORE_STATE_OFF) {
		hv_bad_input("SET_CPUID: partition %u is not off", p->id);
		kfree(e);
		return -EBUSY;
	}
	kfree(p->cpuid);
	p->cpuid = e;
	p->nr_cpuid = c->count;
	return 0;
}

static long hv_cpuid_get(struct hv_partition *p, struct hvcore_cpuid *c)
{
	u32 n = min(c->count, p->nr_cpuid);

	if (n && copy_to_user(u64_to_user_ptr(c->entries), p->cpuid, n * sizeof(*p->cpuid)))
		return -EFAULT;
	c->count = p->nr_cpuid;
	return 0;
}

/**
 * hv_cpuid_ioctl() - HVCORE_SET_CPUID and HVCORE_GET_CPUID
 * @p:		the partition, p->lock held
 * @cmd:	which
 * @uarg:	user pointer to struct hvcore_cpuid
 *
 * Return: 0 or a negative errno as the uapi header documents.
 */
long hv_cpuid_ioctl(struct hv_partition *p, unsigned int cmd, void __user *uarg)
{
	bool set = HV_IOC_NOSIZE(cmd) == HV_IOC_NOSIZE(HVCORE_SET_CPUID);
	const char *what = set ? "SET_CPUID" : "GET_CPUID";
	struct hvcore_cpuid c;
	u32 usize;
	long ret;

	ret = hv_args_in(&c, sizeof(c), uarg, HVCORE_CPUID_SIZE_VER0, what, &usize);
	if (!ret)
		ret = hv_args_check(what, c.flags, 0, c.reserved, sizeof(c.reserved));
	if (!ret)
		ret = hv_args_zero(what, &c.reserved0, sizeof(c.reserved0));
	if (ret)
		return ret;
	ret = set ? hv_cpuid_set(p, &c) : hv_cpuid_get(p, &c);
	if (ret || set)
		return ret;
	return hv_args_out(uarg, &c, sizeof(c), usize);
}
