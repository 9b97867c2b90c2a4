// SPDX-License-Identifier: GPL-2.0
/*
 * AMD SVM: feature probe, per-CPU enable (EFER.SVME + host save area) and
 * the backend's ops table (the VP side is svm_vp.c).
 *
 * Facts from AMD APM vol. 2, 15.4 "Enabling SVM" and CPUID Fn8000_000A.
 */
#define pr_fmt(fmt) "hvcore: " fmt

#include <linux/io.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/processor.h>

#include "hvcore.h"
#include "svm.h"

/* CPUID Fn8000_000A EDX: SVM feature identification */
#define HV_SVM_EDX_NPT		BIT(0)
#define HV_SVM_EDX_NRIPS		BIT(3)
#define HV_SVM_EDX_VMCB_CLEAN	BIT(5)
#define HV_SVM_EDX_FLUSH_BY_ASID	BIT(6)
#define HV_SVM_EDX_DECODE_ASSISTS	BIT(7)
#define HV_SVM_EDX_AVIC		BIT(13)

#define HV_MSR_VM_CR		0xc0010114
#define HV_VM_CR_SVMDIS		BIT(4)
#define HV_MSR_VM_HSAVE_PA	0xc0010117

static int svm_probe(struct hv_features *f)
{
	static const struct {
		u32 edx;
		u64 bit;
	} map[] = {
		{ HV_SVM_EDX_NPT,		  HVCORE_SVM_NPT },
		{ HV_SVM_EDX_NRIPS,	  HVCORE_SVM_NRIPS },
		{ HV_SVM_EDX_DECODE_ASSISTS, HVCORE_SVM_DECODE_ASSISTS },
		{ HV_SVM_EDX_VMCB_CLEAN,	  HVCORE_SVM_VMCB_CLEAN },
		{ HV_SVM_EDX_FLUSH_BY_ASID,  HVCORE_SVM_FLUSH_BY_ASID },
		{ HV_SVM_EDX_AVIC,		  HVCORE_SVM_AVIC },
	};
	u32 eax, ebx, ecx, edx;
	u64 vm_cr;
	int i;

	/*
	 * Firmware can lock SVM off; Linux keeps X86_FEATURE_SVM set in that
	 * case, so the MSR is the only place that says so.
	 */
	if (rdmsrl_safe(HV_MSR_VM_CR, &vm_cr) == 0 && (vm_cr & HV_VM_CR_SVMDIS)) {
		pr_err("SVM is disabled by firmware (VM_CR.SVMDIS); enable it in the BIOS setup\n");
		return -ENODEV;
	}

	if (boot_cpu_data.extended_cpuid_level < 0x8000000a) {
		pr_err("CPU reports SVM but has no CPUID leaf 0x8000000A\n");
		return -ENODEV;
	}

	cpuid(0x8000000a, &eax, &ebx, &ecx, &edx);
	f->vendor = HVCORE_VENDOR_SVM;
	f->nr_asids = ebx;
	f->bits = 0;
	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (edx & map[i].edx)
			f->bits |= map[i].bit;
	return 0;
}

static int svm_cpu_enable(struct hv_lp *lp, const struct hv_features *f)
{
	u64 efer;

	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME)
		return -EBUSY;
	wrmsrl(HV_MSR_VM_HSAVE_PA, page_to_phys(lp->vendor_page));
	wrmsrl(MSR_EFER, efer | EFER_SVME);
	return 0;
}

static void svm_cpu_disable(struct hv_lp *lp)
{
	u64 efer;

	rdmsrl(MSR_EFER, efer);
	wrmsrl(MSR_EFER, efer & ~EFER_SVME);
	wrmsrl(HV_MSR_VM_HSAVE_PA, 0);
}

const struct hv_arch_ops hv_svm_ops = {
	.name		= "svm",
	.ext		= "SVM",
	.rival		= "kvm_amd",
	.probe		= svm_probe,
	.cpu_enable	= svm_cpu_enable,
	.cpu_disable	= svm_cpu_disable,
	.init		= svm_init,
	.exit		= svm_exit,
	.vp_create	= svm_vp_create,
	.vp_destroy	= svm_vp_destroy,
	.vp_reset	= svm_vp_reset,
	.get_regs	= svm_get_regs,
	.set_regs	= svm_set_regs,
	.run		= svm_run,
	.cpl		= svm_cpl,
	.clear_shadow	= svm_clear_shadow,
	.intr_allowed	= svm_intr_allowed,
	.intr_window	= svm_intr_window,
	.inject		= svm_inject,
	.npt_entry	= svm_npt_entry,
	.npt_ad		= svm_npt_ad,
	.get_efer	= svm_get_efer,
	.set_efer	= svm_set_efer,
	.msr_pat	= svm_msr_pat,
};
