/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SVM world switch (AMD APM vol. 2, 15.5 "VMRUN Instruction" and 15.6
 * "#VMEXIT").
 *
 * VMRUN itself saves and restores the host's CS, SS, RSP, RIP, RFLAGS,
 * CR0/3/4, EFER, GDTR, IDTR and DR7 (in the host save area of
 * VM_HSAVE_PA) and loads the guest's RAX, RSP, RIP, RFLAGS, control and
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

#define GPR(n)	((n) * 8)
#define RCX	1
#define RDX	2
#define RBX	3
#define RBP	5
#define RSI	6
#define RDI	7


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
	mov GPR(RCX)(%rax), %rcx
	mov GPR(RDX)(%rax), %rdx
	mov GPR(RBX)(%rax), %rbx
	mov GPR(RBP)(%rax), %rbp
	mov GPR(RSI)(%rax), %rsi
	mov GPR(RDI)(%rax), %rdi
	mov GPR(8)(%rax), %r8
	mov GPR(9)(%rax), %r9
	mov GPR(10)(%rax), %r10
	mov GPR(11)(%rax), %r11
	mov GPR(12)(%rax), %r12
	mov GPR(13)(%rax), %r13
	mov GPR(14)(%rax), %r14
	mov GPR(15)(%rax), %r15
	mov (%rsp), %rax

	vmrun %rax

	/* RAX is the VMCB address again (host RAX); the guest's is in the VMCB. */
	vmsave %rax
	mov 16(%rsp), %rax
	mov %rcx, GPR(RCX)(%rax)
	mov %rdx, GPR(RDX)(%rax)
	mov %rbx, GPR(RBX)(%rax)
	mov %rbp, GPR(RBP)(%rax)
	mov %rsi, GPR(RSI)(%rax)
	mov %rdi, GPR(RDI)(%rax)
	mov %r8, GPR(8)(%rax)
	mov %r9, GPR(9)(%rax)
	mov %r10, GPR(10)(%rax)
	mov %r11, GPR(11)(%rax)
	mov %r12, GPR(12)(%rax)
	mov %r13, GPR(13)(%rax)
	mov %r14, GPR(14)(%rax)
	mov %r15, GPR(15)(%rax)
	mov 8(%rsp), %rax
	vmload %rax

	/* The guest must not steer the host's returns (Spectre-RSB). */
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT

	/* No guest value may survive in a register for speculation to use. */
	xor %ecx, %ecx
	xor %edx, %edx
	xor %esi, %esi
	xor %edi, %edi
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r10d, %r10d
	xor %r11d, %r11d

	add $24, %rsp
	pop %rbx
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	pop %rbp
	RET
SYM_FUNC_END(hv_svm_vmrun)
