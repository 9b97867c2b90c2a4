// SPDX-License-Identifier: GPL-2.0
/*
 * Model-specific registers. The backend lets a guest touch directly only
 * the MSRs that the world switch saves and restores anyway (FS/GS bases,
 * the SYSCALL and SYSENTER MSRs); every other RDMSR/WRMSR exits and comes
 * here. The allow-list below answers what a guest needs to boot; an MSR
 * the worker registered (HVCORE_SET_MSR_INTERCEPT) goes to the worker;
 * anything else is a #GP in the guest, as on hardware without that MSR.
 * The host's MSRs are never read or written on a guest's behalf, so a
 * guest can neither see nor change SPEC_CTRL, DEBUGCTL, TSC_AUX and the
 * like of the host.
 */
#define pr_fmt(fmt) "hvcore: " fmt

#include <asm/msr-index.h>

#include "hvcore.h"

/* Hyper-V TLFS synthetic MSRs that hvcore implements */
#define HV_MSR_GUEST_OS_ID	0x40000000
#define HV_MSR_HYPERCALL	0x40000001
#define HV_MSR_VP_INDEX		0x40000002

#define HV_APIC_BASE		0xfee00000ULL
#define HV_APIC_BASE_BSP	BIT_ULL(8)
#define HV_APIC_BASE_ENABLE	BIT_ULL(11)

/*
 * What the guest reads and writes without an exit: the world switch
 * (VMLOAD/VMSAVE, VMCS guest fields) swaps exactly these.
 */
const u32 hv_msr_passthrough[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR, MSR_CSTAR,
	MSR_SYSCALL_MASK, MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP,
	MSR_IA32_SYSENTER_EIP,
};

const unsigned int hv_nr_msr_passthrough = ARRAY_SIZE(hv_msr_passthrough);

/**
 * hv_msr_forwarded() - is @msr registered for the worker?
 * @p:		partition
 * @msr:	MSR index
 *
 * Return: true if so. Registrations change only while the partition is off.
 */
bool hv_msr_forwarded(struct hv_partition *p, u32 msr)
{
	u32 i;

	for (i = 0; i < p->nr_msr_fwd; i++)
		if (p->msr_fwd[i] == msr)
			return true;
	return false;
}

/**
 * hv_msr_read() - RDMSR by the guest, from the allow-list
 * @vp:		the VP
 * @msr:	ECX
 * @val:	out: the value
 *
 * Return: false for an MSR the guest does not have (#GP).
 */
bool hv_msr_read(struct hv_vp *vp, u32 msr, u64 *val)
{
	struct hv_partition *p = vp->part;

	switch (msr) {
	case MSR_EFER:
		*val = hv_arch->get_efer(vp);
		return true;
	case MSR_IA32_CR_PAT:
		return hv_arch->msr_pat(vp, false, val);
	case MSR_IA32_TSC:
		*val = rdtsc();
		return true;
	case MSR_IA32_APICBASE:
		*val = HV_APIC_BASE | HV_APIC_BASE_ENABLE | (vp->index ? 0 : HV_APIC_BASE_BSP);
		return true;
	case MSR_MTRRcap:
	case MSR_MTRRdefType:
	case MSR_IA32_UCODE_REV:
	case MSR_IA32_PLATFORM_ID:
		*val = 0;
		return true;
	case HV_MSR_GUEST_OS_ID:
		*val = READ_ONCE(p->guest_os_id);
		return true;
	case HV_MSR_HYPERCALL:
		*val = READ_ONCE(p->hypercall_msr);
		return true;
	case HV_MSR_VP_INDEX:
		*val = vp->index;
		return true;
	default:
		return false;
	}
}

/**
 * hv_msr_write() - WRMSR by the guest, from the allow-list
 * @vp:		the VP
 * @msr:	ECX
 * @val:	EDX:EAX
 *
 * Return: false for an MSR the guest does not have or a value it may not
 * write (#GP).
 */
bool hv_msr_write(struct hv_vp *vp, u32 msr, u64 val)
{
	struct hv_partition *p = vp->part;

	switch (msr) {
	case MSR_EFER:
		return hv_arch->set_efer(vp, val);
	case MSR_IA32_CR_PAT:
		return hv_arch->msr_pat(vp, true, &val);
	case MSR_IA32_APICBASE:
		/* Only its own value: the APIC cannot move or be turned off. */
		return val == (HV_APIC_BASE | HV_APIC_BASE_ENABLE |
			       (vp->index ? 0 : HV_APIC_BASE_BSP));
	case MSR_MTRRdefType:
		return !val;
	case HV_MSR_GUEST_OS_ID:
		WRITE_ONCE(p->guest_os_id, val);
		return true;
	case HV_MSR_HYPERCALL:
		/* Recorded for the guest to read back; hvcore has no hypercall page. */
		WRITE_ONCE(p->hypercall_msr, val & ~BIT_ULL(1));
		return true;
	default:
		return false;
	}
}

/**
 * hv_msr_intercept_ioctl() - HVCORE_SET_MSR_INTERCEPT
 * @p:		the partition, p->lock held
 * @uarg:	user pointer to struct hvcore_msr_intercept
 *
 * Return: 0, -EINVAL (bad arguments), -EBUSY (not off), -ENOSPC (too many).
 */
long hv_msr_intercept_ioctl(struct hv_partition *p, void __user *uarg)
{
	struct hvcore_msr_intercept m;
	u32 usize, i;
	int ret;

	ret = hv_args_in(&m, sizeof(m), uarg, HVCORE_MSR_INTERCEPT_SIZE_VER0,
			 "SET_MSR_INTERCEPT", &usize);
	if (!ret)
		ret = hv_args_check("SET_MSR_INTERCEPT", m.flags, 0, m.reserved,
				    sizeof(m.reserved));
	if (ret)
		return ret;
	if (m.enable > 1) {
		hv_bad_input("SET_MSR_INTERCEPT: enable must be 0 or 1, not %u", m.enable);
		return -EINVAL;
	}
	for (i = 0; i < hv_nr_msr_passthrough; i++) {
		if (m.msr == hv_msr_passthrough[i]) {
			hv_bad_input("SET_MSR_INTERCEPT: MSR 0x%x is the guest's own (no exit)",
				     m.msr);
			return -EINVAL;
		}
	}
	if (p->state != HVCORE_STATE_OFF) {
		hv_bad_input("SET_MSR_INTERCEPT: partition %u is not off", p->id);
		return -EBUSY;
	}
	for (i = 0; i < p->nr_msr_fwd && p->msr_fwd[i] != m.msr; i++)
		;
	if (!m.enable) {
		if (i < p->nr_msr_fwd)
			p->msr_fwd[i] = p->msr_fwd[--p->nr_msr_fwd];
		return 0;
	}
	if (i < p->nr_msr_fwd)
		return 0;
	if (p->nr_msr_fwd == HVCORE_MAX_MSR_INTERCEPTS) {
		hv_bad_input("SET_MSR_INTERCEPT: partition %u already forwards %u MSRs", p->id,
			     HVCORE_MAX_MSR_INTERCEPTS);
		return -ENOSPC;
	}
	p->msr_fwd[p->nr_msr_fwd++] = m.msr;
	return 0;
}
