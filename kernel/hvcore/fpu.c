// SPDX-License-Identifier: GPL-2.0
/*
 * Guest FPU state: x87, SSE, AVX... and XCR0.
 *
 * The dispatcher runs guests between kernel_fpu_begin() and
 * kernel_fpu_end(): kernel_fpu_begin() saves the FPU registers of the task
 * the dispatcher interrupted (if any) and marks them for reload, so the
 * guest may clobber every register XSAVE manages. Inside that section the
 * guest's state is loaded once (XRSTOR) and saved once (XSAVE) per run of
 * in-kernel exits, not per exit. Both use the host's XCR0 as the mask, a
 * superset of any XCR0 the guest can set, so nothing the guest sees
 * depends on what the host did in between.
 *
 * Without XSAVE (no OSXSAVE on the host), FXSAVE/FXRSTOR do the same for
 * x87 and SSE.
 */
#define pr_fmt(fmt) "hvcore: " fmt

#include <linux/log2.h>
#include <linux/slab.h>
#include <asm/cpufeature.h>
#include <asm/fpu/xcr.h>
#include <asm/processor.h>

#include "hvcore.h"

#define HV_FCW_INIT	0x037f
#define HV_MXCSR_INIT	0x1f80
#define HV_MXCSR_OFF	24
#define HV_FXSAVE_SIZE	512

u64 hv_host_xcr0;
static u64 hv_fpu_mask;
static bool hv_xsave;
static unsigned int hv_fpu_size;

/**
 * hv_fpu_init() - find how the host saves FPU state
 *
 * Return: 0, or -ENODEV when the host has no FXSAVE either.
 */
int hv_fpu_init(void)
{
	u32 eax, ebx, ecx, edx;

	if (!boot_cpu_has(X86_FEATURE_FXSR)) {
		pr_err("host has no FXSAVE; cannot keep guest FPU state\n");
		return -ENODEV;
	}
	hv_xsave = boot_cpu_has(X86_FEATURE_OSXSAVE);
	if (!hv_xsave) {
		hv_fpu_size = HV_FXSAVE_SIZE;
		return 0;
	}
	hv_host_xcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK);
	/*
	 * AMX tile data is armed per task through XFD; XRSTOR of it would
	 * fault in a kernel thread. Guests are not offered AMX.
	 */
	hv_fpu_mask = hv_host_xcr0 & ~(u64)XFEATURE_MASK_XTILE;
	/* EBX: size for the features enabled in XCR0 now, i.e. the mask. */
	cpuid_count(0xd, 0, &eax, &ebx, &ecx, &edx);
	hv_fpu_size = max_t(unsigned int, ebx, HV_FXSAVE_SIZE + 64);
	return 0;
}

/**
 * hv_fpu_alloc() - guest FPU state in its reset configuration
 *
 * Return: the area (XSAVE needs 64-byte alignment: a power-of-two kmalloc
 * size is naturally aligned), or NULL.
 */
void *hv_fpu_alloc(void)
{
	u8 *a = kzalloc(roundup_pow_of_two(hv_fpu_size), GFP_KERNEL_ACCOUNT);

	if (!a)
		return NULL;
	/*
	 * XSTATE_BV = 0 makes XRSTOR load every component's init state, but
	 * MXCSR always comes from memory.
	 */
	*(u16 *)a = HV_FCW_INIT;
	*(u32 *)(a + HV_MXCSR_OFF) = HV_MXCSR_INIT;
	return a;
}

/**
 * hv_fpu_load() - load the guest's FPU registers
 * @vp: the VP
 *
 * Context: between kernel_fpu_begin() and kernel_fpu_end().
 */
void hv_fpu_load(struct hv_vp *vp)
{
	u32 lo = hv_fpu_mask, hi = hv_fpu_mask >> 32;

	if (hv_xsave)
		asm volatile("xrstor64 %0" : : "m" (*(u8 *)vp->xsave), "a" (lo), "d" (hi)
			     : "memory");
	else
		asm volatile("fxrstor64 %0" : : "m" (*(u8 *)vp->xsave) : "memory");
}

/**
 * hv_fpu_save() - save the guest's FPU registers
 * @vp: the VP
 *
 * Context: between kernel_fpu_begin() and kernel_fpu_end().
 */
void hv_fpu_save(struct hv_vp *vp)
{
	u32 lo = hv_fpu_mask, hi = hv_fpu_mask >> 32;

	if (hv_xsave)
		asm volatile("xsave64 %0" : "+m" (*(u8 *)vp->xsave) : "a" (lo), "d" (hi)
			     : "memory");
	else
		asm volatile("fxsave64 %0" : "+m" (*(u8 *)vp->xsave) : : "memory");
}

/**
 * hv_xcr0_valid() - can a guest run with @xcr0?
 * @xcr0: the value a guest asked for (XSETBV or HVCORE_SET_REGS)
 *
 * Return: true when it is a subset of the host's XCR0 that the SDM allows
 * (x87 always on, AVX only with SSE, the AVX-512 trio together with AVX).
 */
bool hv_xcr0_valid(u64 xcr0)
{
	u64 avx512 = XFEATURE_MASK_OPMASK | XFEATURE_MASK_ZMM_Hi256 |
		     XFEATURE_MASK_Hi16_ZMM;

	if (!hv_xsave)
		return xcr0 == XFEATURE_MASK_FP;
	if (!(xcr0 & XFEATURE_MASK_FP) || (xcr0 & ~hv_fpu_mask))
		return false;
	if ((xcr0 & XFEATURE_MASK_YMM) && !(xcr0 & XFEATURE_MASK_SSE))
		return false;
	if ((xcr0 & avx512) && ((xcr0 & avx512) != avx512 || !(xcr0 & XFEATURE_MASK_YMM)))
		return false;
	return true;
}

/**
 * hv_xcr0_enter() - switch XCR0 to the guest's before entry
 * @vp: the VP
 *
 * Context: interrupts off, right before the world switch.
 */
void hv_xcr0_enter(struct hv_vp *vp)
{
	if (hv_xsave && vp->xcr0 != hv_host_xcr0)
		xsetbv(XCR_XFEATURE_ENABLED_MASK, vp->xcr0);
}

/**
 * hv_xcr0_exit() - back to the host's XCR0 after the exit
 * @vp: the VP
 *
 * Context: interrupts off, right after the world switch.
 */
void hv_xcr0_exit(struct hv_vp *vp)
{
	if (hv_xsave && vp->xcr0 != hv_host_xcr0)
		xsetbv(XCR_XFEATURE_ENABLED_MASK, hv_host_xcr0);
}
