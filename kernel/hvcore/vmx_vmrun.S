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

#include "vmrun.inc"


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
	HV_LOAD_GUEST_GPRS
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
	HV_SAVE_GUEST_GPRS
	popq GPR(RAX)(%rax)
	xor %eax, %eax

.Lout:
	HV_SCRUB_AFTER_EXIT

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
