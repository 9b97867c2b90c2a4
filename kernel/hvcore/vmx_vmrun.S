/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMX world switch (Intel SDM vol. 3C, 26 "VM entries", 27 "VM exits").
 *
 * VM entry loads the guest's RSP, RIP, RFLAGS, control, segment and
 * descriptor-table registers, EFER, PAT, DEBUGCTL, DR7 and the SYSENTER
 * MSRs from the VMCS; VM exit saves them and loads the host's from the
 * VMCS host-state area, which vmx_vp.c keeps current. The rest is ours:
 *
 *  - the GPRs other than RSP: loaded from and stored to hv_vp.gpr here
 *    (RAX included: VMX has no RAX field, unlike the VMCB);
 *  - KERNEL_GS_BASE, STAR, LSTAR, CSTAR and SFMASK: swapped by vmx_load()
 *    and vmx_put() around a whole section with preemption off, since Linux
 *    only needs its own values on the way back to user mode;
 *  - CR2: vmx_run(), around this function;
 *  - FPU/XSAVE state and XCR0: fpu.c, around the section;
 *  - DEBUGCTL (cleared by VM exit) and the GDT and TR limits (set to
 *    0xffff and 0x67 by VM exit): vmx_run() and vmx_put();
 *  - SPEC_CTRL: never given to the guest (msr.c).
 *
 * Called with interrupts off. External interrupts and NMIs exit the guest
 * (pin-based controls); the interrupt stays pending until the caller
 * enables interrupts, an NMI is handed to Linux by vmx_run().
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>
#include <asm/unwind_hints.h>

#define GPR(n)	((n) * 8)
#define RAX	0
#define RCX	1
#define RDX	2
#define RBX	3
#define RBP	5
#define RSI	6
#define RDI	7

/* VMCS field encoding of HOST_RSP (SDM appendix B.4.4) */
#define VMCS_HOST_RSP	0x6c14

/*
 * int hv_vmx_vmrun(u64 *gpr, bool launched)
 *	%rdi: the guest GPR array, HVCORE_RAX..HVCORE_R15 (RSP unused)
 *	%sil: VMRESUME rather than VMLAUNCH
 * Return: 0 after a VM exit, 1 when VMLAUNCH/VMRESUME failed (VMfail, see
 * VM_INSTRUCTION_ERROR) or faulted (VMX turned off under us).
 */
SYM_FUNC_START(hv_vmx_vmrun)
	push %rbp
	mov  %rsp, %rbp
	push %r15
	push %r14
	push %r13
	push %r12
	push %rbx
	/* 0(%rsp): the gpr array, also where HOST_RSP points */
	push %rdi

	mov $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax
	jna .Lvmfail

	/* Flags say VMRESUME or VMLAUNCH; the MOVs below leave them alone. */
	test %sil, %sil

	mov %rdi, %rax
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
	mov GPR(RAX)(%rax), %rax

	jz .Lvmlaunch
	UNWIND_HINT_SAVE
.Lvmresume:
	vmresume
	jmp .Lvmfail
.Lvmlaunch:
	vmlaunch
	jmp .Lvmfail

	_ASM_EXTABLE(.Lvmresume, .Lvmfail)
	_ASM_EXTABLE(.Lvmlaunch, .Lvmfail)

/* HOST_RIP: the CPU comes back here, on the stack as it was at the VMWRITE. */
SYM_INNER_LABEL(hv_vmx_vmexit, SYM_L_GLOBAL)
	UNWIND_HINT_RESTORE
	ENDBR
	push %rax
	mov 8(%rsp), %rax
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
	popq GPR(RAX)(%rax)
	xor %eax, %eax

.Lout:
	/* The guest must not steer the host's returns (Spectre-RSB). */
	FILL_RETURN_BUFFER %rcx, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT

	/* No guest value may survive in a register for speculation to use. */
	xor %ecx, %ecx
	xor %edx, %edx
	xor %esi, %esi
	xor %edi, %edi
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r10d, %r10d
	xor %r11d, %r11d

	add $8, %rsp
	pop %rbx
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	pop %rbp
	RET

.Lvmfail:
	mov $1, %eax
	jmp .Lout
SYM_FUNC_END(hv_vmx_vmrun)
