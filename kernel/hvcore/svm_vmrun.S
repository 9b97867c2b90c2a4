/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SVM world switch (AMD APM vol. 2, 15.5 "VMRUN Instruction" and 15.6
 * "#VMEXIT").
 *
 * VMRUN itself saves and restores the host's CS, SS, RSP, RIP, RFLAGS,
 * CR0/3/4, EFER, GDTR and IDTR (in the host save area of VM_HSAVE_PA);
 * the dispatcher restores the host's breakpoints after the exit when it
 * has any (sched.c). VMRUN loads the guest's RAX, RSP, RIP, RFLAGS, control and
 * segment registers from the VMCB. Everything else is ours to switch:
 *
 *  - the other GPRs: loaded from and stored to hv_vp.gpr here;
 *  - FS, GS (with their bases), TR, LDTR, KERNEL_GS_BASE, STAR, LSTAR,
 *    CSTAR, SFMASK and the SYSENTER MSRs: VMSAVE of the host's into a
 *    per-LP page, VMLOAD of the guest's from the VMCB before VMRUN, then
 *    VMSAVE of the guest's and VMLOAD of the host's after #VMEXIT; nothing
 *    between #VMEXIT and that VMLOAD may use GS (per-CPU data);
 *  - FPU/XSAVE state and XCR0: fpu.c, around this function;
 *  - SPEC_CTRL and DEBUGCTL: never given to the guest (msr.c), so the
 *    host's values stay in place.
 *
 * Called with interrupts off and GIF = 0 (svm_vp.c); RFLAGS.IF is set by
 * the caller so that, with V_INTR_MASKING, physical interrupts and NMIs
 * make the guest exit and are taken by Linux after STGI.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>

#include "vmrun.inc"

/*
 * void hv_svm_vmrun(u64 vmcb_pa, u64 *gpr, u64 host_save_pa)
 *	%rdi: physical address of the VMCB
 *	%rsi: the guest GPR array, HVCORE_RAX..HVCORE_R15 (RAX, RSP unused)
 *	%rdx: physical address of the per-LP VMSAVE area for the host
 */
SYM_FUNC_START(hv_svm_vmrun)
	push %rbp
	mov  %rsp, %rbp
	push %r15
	push %r14
	push %r13
	push %r12
	push %rbx
	/* 16(%rsp): gpr array, 8(%rsp): host save area, 0(%rsp): VMCB */
	push %rsi
	push %rdx
	push %rdi

	mov %rdx, %rax
	vmsave %rax
	mov (%rsp), %rax
	vmload %rax

	mov %rsi, %rax
	HV_LOAD_GUEST_GPRS
	mov (%rsp), %rax

	vmrun %rax

	/* RAX is the VMCB address again (host RAX); the guest's is in the VMCB. */
	vmsave %rax
	mov 16(%rsp), %rax
	HV_SAVE_GUEST_GPRS
	mov 8(%rsp), %rax
	vmload %rax

	HV_SCRUB_AFTER_EXIT

	add $24, %rsp
	pop %rbx
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	pop %rbp
	RET
SYM_FUNC_END(hv_svm_vmrun)
