// SPDX-License-Identifier: GPL-2.0
/*
 * Intel VMX: feature probe from the VMX capability MSRs, per-CPU VMXON, the
 * VMCS controls hvcore uses, and the backend's ops table (the VP side is
 * vmx_vp.c).
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
#include <asm/tsc.h>
#include <asm/vmx.h>

#include <linux/slab.h>

#include "hvcore.h"
#include "vmx.h"

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

/* IA32_VMX_MISC[4:0]: the preemption timer counts every 2^n TSC ticks */
#define HV_VMX_MISC_TIMER_RATE		0x1fULL

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
	/* Whoever had VMX before us may have left translations tagged. */
	vmx_flush_all();
	return 0;
}

static void vmx_cpu_disable(struct hv_lp *lp)
{
	/* VMXOFF cannot fail in VMX root operation with no VMCS current. */
	asm volatile("vmxoff" : : : "cc", "memory");
	cr4_clear_bits_irqsoff(X86_CR4_VMXE);
}

/*
 * A VMX control word from its capability MSR (SDM A.3-A.5): bits 31:0 say
 * which must be 1, bits 63:32 which may be 1.
 */
static int vmx_ctl(u32 msr, u32 want, u32 opt, u32 *out, const char *what)
{
	u64 cap;
	u32 v;

	rdmsrl(msr, cap);
	v = (want | opt | (u32)cap) & (u32)(cap >> 32);
	if ((v & want) != want) {
		pr_err("VMX %s controls lack 0x%x; hvcore needs them\n", what, want & ~v);
		return -ENODEV;
	}
	*out = v;
	return 0;
}

/* Secondary controls used when present: without them the guest gets #UD. */
static u32 vmx_proc2_optional(void)
{
	u32 v = hv_vmx.vpid ? SECONDARY_EXEC_ENABLE_VPID : 0;

	if (boot_cpu_has(X86_FEATURE_RDTSCP))
		v |= SECONDARY_EXEC_ENABLE_RDTSCP;
	if (boot_cpu_has(X86_FEATURE_INVPCID))
		v |= SECONDARY_EXEC_ENABLE_INVPCID;
	return v;
}

static int vmx_init(void)
{
	bool true_ctls = hv_features.bits & HVCORE_VMX_TRUE_CTLS;
	u64 ept_cap = 0, fixed;
	int ret;

	if (!(hv_features.bits & HVCORE_VMX_EPT) ||
	    !(hv_features.bits & HVCORE_VMX_UNRESTRICTED_GUEST)) {
		pr_err("VMX without EPT and unrestricted guest is not supported\n");
		return -ENODEV;
	}
	rdmsrl(MSR_IA32_VMX_EPT_VPID_CAP, ept_cap);
	if (!(ept_cap & VMX_EPT_PAGE_WALK_4_BIT) || !(ept_cap & VMX_EPTP_WB_BIT) ||
	    !(ept_cap & VMX_EPT_INVEPT_BIT) || !(ept_cap & VMX_EPT_EXTENT_GLOBAL_BIT)) {
		pr_err("EPT without 4-level write-back tables and global INVEPT (caps 0x%llx) is not supported\n",
		       ept_cap);
		return -ENODEV;
	}
	hv_vmx.ept_ad = ept_cap & VMX_EPT_AD_BIT;
	hv_vmx.vpid = (hv_features.bits & HVCORE_VMX_VPID) &&
		      (ept_cap & ((u64)VMX_VPID_INVVPID_BIT << 32)) &&
		      (ept_cap & ((u64)VMX_VPID_EXTENT_GLOBAL_CONTEXT_BIT << 32));

	ret = vmx_ctl(true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS : MSR_IA32_VMX_PINBASED_CTLS,
		      PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING,
		      PIN_BASED_VMX_PREEMPTION_TIMER, &hv_vmx.pin, "pin-based");
	if (!ret)
		ret = vmx_ctl(true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
			      MSR_IA32_VMX_PROCBASED_CTLS,
			      CPU_BASED_HLT_EXITING | CPU_BASED_MWAIT_EXITING |
			      CPU_BASED_MONITOR_EXITING | CPU_BASED_CR8_LOAD_EXITING |
			      CPU_BASED_CR8_STORE_EXITING | CPU_BASED_MOV_DR_EXITING |
			      CPU_BASED_USE_IO_BITMAPS | CPU_BASED_USE_MSR_BITMAPS |
			      CPU_BASED_ACTIVATE_SECONDARY_CONTROLS, 0, &hv_vmx.proc,
			      "processor-based");
	if (!ret)
		ret = vmx_ctl(MSR_IA32_VMX_PROCBASED_CTLS2,
			      SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_UNRESTRICTED_GUEST,
			      vmx_proc2_optional(), &hv_vmx.proc2, "secondary");
	if (!ret)
		ret = vmx_ctl(true_ctls ? MSR_IA32_VMX_TRUE_EXIT_CTLS : MSR_IA32_VMX_EXIT_CTLS,
			      VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_IA32_PAT |
			      VM_EXIT_LOAD_IA32_PAT | VM_EXIT_SAVE_IA32_EFER |
			      VM_EXIT_LOAD_IA32_EFER, 0, &hv_vmx.exit, "VM-exit");
	if (!ret)
		ret = vmx_ctl(true_ctls ? MSR_IA32_VMX_TRUE_ENTRY_CTLS : MSR_IA32_VMX_ENTRY_CTLS,
			      VM_ENTRY_LOAD_IA32_PAT | VM_ENTRY_LOAD_IA32_EFER |
			      VM_ENTRY_IA32E_MODE, 0, &hv_vmx.entry, "VM-entry");
	if (ret)
		return ret;
	/* Interrupt windows, long mode and processor-trace are per VP, when needed. */
	hv_vmx.proc &= ~CPU_BASED_INTR_WINDOW_EXITING;
	hv_vmx.entry &= ~VM_ENTRY_IA32E_MODE;
	hv_vmx.exit &= ~VM_EXIT_ACK_INTR_ON_EXIT;
	if (!(hv_vmx.proc2 & SECONDARY_EXEC_ENABLE_VPID))
		hv_vmx.vpid = false;

	pr_debug("VMX controls: pin 0x%x proc 0x%x proc2 0x%x exit 0x%x entry 0x%x, EPT A/D %s, VPID %s\n",
		 hv_vmx.pin, hv_vmx.proc, hv_vmx.proc2, hv_vmx.exit, hv_vmx.entry,
		 hv_vmx.ept_ad ? "on" : "off", hv_vmx.vpid ? "on" : "off");
	/*
	 * The Bochs test host never lets an interrupt exit a guest that runs
	 * with RFLAGS.IF clear (its VM entry leaves interrupts masked until
	 * the guest changes IF), so a guest spinning with interrupts off
	 * would hold the LP forever. The VMX-preemption timer bounds every
	 * stay in the guest to a millisecond (or the slice, if shorter): on
	 * hardware, where interrupts exit as they should, that costs one
	 * exit per millisecond of uninterrupted guest time.
	 */
	if (hv_vmx.pin & PIN_BASED_VMX_PREEMPTION_TIMER) {
		u64 misc, ticks;

		rdmsrl(MSR_IA32_VMX_MISC, misc);
		ticks = ((u64)tsc_khz * min_t(u32, hv_slice_us(), 1000) / 1000) >>
			(misc & HV_VMX_MISC_TIMER_RATE);
		hv_vmx.preempt_ticks = clamp_t(u64, ticks, 1, U32_MAX);
	}
	rdmsrl(MSR_IA32_VMX_CR0_FIXED0, fixed);
	hv_vmx.cr0_fixed0 = fixed & ~(u64)(X86_CR0_PE | X86_CR0_PG);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED1, hv_vmx.cr0_fixed1);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED0, hv_vmx.cr4_fixed0);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED1, hv_vmx.cr4_fixed1);
	hv_vmx.cr0_mask = hv_vmx.cr0_fixed0 | X86_CR0_CD | X86_CR0_NW |
			  (~hv_vmx.cr0_fixed1 & 0xffffffffULL);
	hv_vmx.cr4_mask = hv_vmx.cr4_fixed0 | (~(u64)HV_CR4_GUEST & 0xffffffffULL);
	return vmx_setup();
}

static void vmx_exit(void)
{
	vmx_teardown();
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
	.load		= vmx_load,
	.put		= vmx_put,
	.run		= vmx_run,
	.npt_freed	= vmx_npt_freed,
	.cpl		= vmx_cpl,
	.clear_shadow	= vmx_clear_shadow,
	.intr_allowed	= vmx_intr_allowed,
	.intr_window	= vmx_intr_window,
	.inject		= vmx_inject,
	.npt_entry	= vmx_npt_entry,
	.npt_ad		= vmx_npt_ad,
	.get_efer	= vmx_get_efer,
	.set_efer	= vmx_set_efer,
	.msr_pat	= vmx_msr_pat,
};
