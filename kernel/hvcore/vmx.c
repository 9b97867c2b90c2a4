// SPDX-License-Identifier: GPL-2.0
/*
 * Intel VMX: feature probe from the VMX capability MSRs and per-CPU VMXON.
 *
 * Facts from Intel SDM vol. 3C, ch. 24 "Introduction to VMX operation"
 * (24.7 enabling and entering VMX operation, 24.8 restrictions) and
 * appendix A (VMX capability reporting facility).
 */
#define pr_fmt(fmt) "hvcore: " fmt

#include <linux/io.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <asm/asm.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>

#include <linux/slab.h>

#include "hvcore.h"

/* IA32_VMX_BASIC */
#define HV_VMX_BASIC_REVISION_MASK		0x7fffffffULL
#define HV_VMX_BASIC_SIZE_SHIFT		32
#define HV_VMX_BASIC_SIZE_MASK		0x1fffULL
#define HV_VMX_BASIC_TRUE_CTLS		BIT_ULL(55)

/* allowed-1 half (bits 63:32) of the primary processor-based controls */
#define HV_VMX_PROC_ACTIVATE_SECONDARY	BIT_ULL(32 + 31)

/* allowed-1 half of the secondary processor-based controls */
#define HV_VMX_PROC2_EPT			BIT_ULL(32 + 1)
#define HV_VMX_PROC2_VPID			BIT_ULL(32 + 5)
#define HV_VMX_PROC2_UNRESTRICTED_GUEST	BIT_ULL(32 + 7)

/* IA32_VMX_EPT_VPID_CAP */
#define HV_VMX_EPT_CAP_2M			BIT_ULL(16)
#define HV_VMX_EPT_CAP_1G			BIT_ULL(17)
#define HV_VMX_EPT_CAP_AD			BIT_ULL(21)

/* VPIDs are 16 bits wide, 0 being the host's. */
#define HV_VMX_NR_VPIDS			65536

static int vmx_probe(struct hv_features *f)
{
	u64 basic, proc, proc2 = 0, ept_cap = 0, fc;

	/*
	 * Linux clears X86_FEATURE_VMX at boot when IA32_FEATURE_CONTROL is
	 * locked with VMX off; say that instead of "no VMX".
	 */
	if (!boot_cpu_has(X86_FEATURE_VMX) ||
	    rdmsrl_safe(MSR_IA32_FEAT_CTL, &fc) ||
	    !(fc & FEAT_CTL_LOCKED) || !(fc & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX)) {
		pr_err("VMX is disabled by firmware (IA32_FEATURE_CONTROL); enable it in the BIOS setup\n");
		return -ENODEV;
	}

	if (rdmsrl_safe(MSR_IA32_VMX_BASIC, &basic)) {
		pr_err("CPU reports VMX but IA32_VMX_BASIC cannot be read\n");
		return -ENODEV;
	}

	f->vendor = HVCORE_VENDOR_VMX;
	f->bits = 0;
	f->vmcs_revision = basic & HV_VMX_BASIC_REVISION_MASK;
	f->vmcs_size = (basic >> HV_VMX_BASIC_SIZE_SHIFT) & HV_VMX_BASIC_SIZE_MASK;
	if (!f->vmcs_size || f->vmcs_size > PAGE_SIZE) {
		pr_err("VMXON region of %u bytes is not supported\n", f->vmcs_size);
		return -ENODEV;
	}

	if (basic & HV_VMX_BASIC_TRUE_CTLS) {
		f->bits |= HVCORE_VMX_TRUE_CTLS;
		rdmsrl(MSR_IA32_VMX_TRUE_PROCBASED_CTLS, proc);
	} else {
		rdmsrl(MSR_IA32_VMX_PROCBASED_CTLS, proc);
	}
	if (proc & HV_VMX_PROC_ACTIVATE_SECONDARY)
		rdmsrl(MSR_IA32_VMX_PROCBASED_CTLS2, proc2);
	if (proc2 & (HV_VMX_PROC2_EPT | HV_VMX_PROC2_VPID))
		rdmsrl(MSR_IA32_VMX_EPT_VPID_CAP, ept_cap);

	if (proc2 & HV_VMX_PROC2_EPT) {
		f->bits |= HVCORE_VMX_EPT;
		if (ept_cap & HV_VMX_EPT_CAP_AD)
			f->bits |= HVCORE_VMX_EPT_AD;
		if (ept_cap & HV_VMX_EPT_CAP_2M)
			f->bits |= HVCORE_VMX_EPT_2M;
		if (ept_cap & HV_VMX_EPT_CAP_1G)
			f->bits |= HVCORE_VMX_EPT_1G;
		/* SDM 26.2.1.1: unrestricted guest requires EPT. */
		if (proc2 & HV_VMX_PROC2_UNRESTRICTED_GUEST)
			f->bits |= HVCORE_VMX_UNRESTRICTED_GUEST;
	}
	if (proc2 & HV_VMX_PROC2_VPID) {
		f->bits |= HVCORE_VMX_VPID;
		f->nr_asids = HV_VMX_NR_VPIDS;
	} else {
		f->nr_asids = 0;
	}
	return 0;
}

static bool vmx_fixed_ok(unsigned long val, u32 msr_fixed0, u32 msr_fixed1)
{
	u64 fixed0, fixed1;

	rdmsrl(msr_fixed0, fixed0);
	rdmsrl(msr_fixed1, fixed1);
	return (val & fixed0) == fixed0 && !(val & ~fixed1);
}

static int vmx_on(u64 pa)
{
	asm goto("1: vmxon %[pa]\n\t"
		 "jna %l[fail]\n\t"
		 _ASM_EXTABLE(1b, %l[fail])
		 : : [pa] "m"(pa) : "cc", "memory" : fail);
	return 0;
fail:
	return -EIO;
}

static int vmx_cpu_enable(struct hv_lp *lp, const struct hv_features *f)
{
	u64 fc;

	*(u32 *)page_address(lp->vendor_page) = f->vmcs_revision;

	if (cr4_read_shadow() & X86_CR4_VMXE)
		return -EBUSY;
	rdmsrl(MSR_IA32_FEAT_CTL, fc);
	if (!(fc & FEAT_CTL_LOCKED) || !(fc & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX)) {
		pr_err("VMX is disabled by firmware on CPU %u\n", lp->cpu);
		return -ENODEV;
	}
	if (!vmx_fixed_ok(read_cr0(), MSR_IA32_VMX_CR0_FIXED0, MSR_IA32_VMX_CR0_FIXED1) ||
	    !vmx_fixed_ok(cr4_read_shadow() | X86_CR4_VMXE,
			  MSR_IA32_VMX_CR4_FIXED0, MSR_IA32_VMX_CR4_FIXED1)) {
		pr_err("CR0/CR4 of CPU %u do not meet the VMX fixed bits\n", lp->cpu);
		return -EIO;
	}
	cr4_set_bits_irqsoff(X86_CR4_VMXE);
	if (vmx_on(page_to_phys(lp->vendor_page))) {
		/* Some other VMM in VMX operation without CR4.VMXE visible to us. */
		cr4_clear_bits_irqsoff(X86_CR4_VMXE);
		return -EBUSY;
	}
	return 0;
}

static void vmx_cpu_disable(struct hv_lp *lp)
{
	/* VMXOFF cannot fail in VMX root operation with no VMCS current. */
	asm volatile("vmxoff" : : : "cc", "memory");
	cr4_clear_bits_irqsoff(X86_CR4_VMXE);
}

/*
 * Until the VMX world switch exists (issue 4), a VP's registers are kept
 * in a plain struct so that configuration, register and fuzz tests run
 * unchanged on Intel; starting a partition is refused (no .run).
 */
static int vmx_init(void)
{
	return 0;
}

static void vmx_exit(void)
{
}

static int vmx_vp_create(struct hv_vp *vp)
{
	struct hvcore_regs *r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);

	vp->arch = r;
	return r ? 0 : -ENOMEM;
}

static void vmx_vp_destroy(struct hv_vp *vp)
{
	kfree(vp->arch);
	vp->arch = NULL;
}

static void vmx_vp_reset(struct hv_vp *vp)
{
	struct hvcore_regs *r = vp->arch;

	memset(r, 0, sizeof(*r));
	r->seg[HVCORE_CS].selector = 0xf000;
	r->seg[HVCORE_CS].base = 0xffff0000;
	r->cr0 = X86_CR0_ET | X86_CR0_CD | X86_CR0_NW;
	r->dr6 = 0xffff0ff0;
	r->dr7 = 0x400;
	r->pat = 0x0007040600070406ULL;
}

static void vmx_get_regs(struct hv_vp *vp, struct hvcore_regs *r)
{
	const struct hvcore_regs *k = vp->arch;

	size_t off = offsetof(struct hvcore_regs, seg);

	/* Everything from the segments on; GPRs, RIP and RFLAGS are common. */
	memcpy((u8 *)r + off, (const u8 *)k + off, sizeof(*r) - off);
	memset(r->reserved, 0, sizeof(r->reserved));
}

static int vmx_set_regs(struct hv_vp *vp, const struct hvcore_regs *r)
{
	memcpy(vp->arch, r, sizeof(*r));
	return 0;
}

static u64 vmx_get_efer(struct hv_vp *vp)
{
	return ((struct hvcore_regs *)vp->arch)->efer;
}

const struct hv_arch_ops hv_vmx_ops = {
	.name		= "vmx",
	.ext		= "VMX",
	.rival		= "kvm_intel",
	.probe		= vmx_probe,
	.cpu_enable	= vmx_cpu_enable,
	.cpu_disable	= vmx_cpu_disable,
	.init		= vmx_init,
	.exit		= vmx_exit,
	.vp_create	= vmx_vp_create,
	.vp_destroy	= vmx_vp_destroy,
	.vp_reset	= vmx_vp_reset,
	.get_regs	= vmx_get_regs,
	.set_regs	= vmx_set_regs,
	.get_efer	= vmx_get_efer,
};
