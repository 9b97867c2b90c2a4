/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMX floor's measured loop: VM entry, VM exit(CPUID), RIP += 2, VM
 * entry again, with nothing else in between (Intel SDM vol. 3C, 26 "VM
 * entries", 27 "VM exits"; field encodings from vol. 3D, appendix B).
 *
 * VM entry and VM exit leave every general-purpose register but RSP
 * alone, and the guest (vmx_floor.c: "cpuid; jmp") changes none: CPUID
 * exits unconditionally before it executes. So the loop keeps its state
 * in registers across the guest, saves no guest register and restores
 * none. The caller has interrupts off and owns the current VMCS; its
 * HOST_RIP is hvbench_vmx_exit, HOST_RSP is set here.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>
#include <asm/unwind_hints.h>

/* VMCS field encodings */
#define VMCS_HOST_RSP		0x6c14
#define VMCS_GUEST_RIP		0x681e
#define VMCS_EXIT_REASON	0x4402

#define EXIT_REASON_CPUID	10
#define CPUID_INSN_LEN		2

/*
 * u32 hvbench_vmx_loop(u32 *rounds, bool launched)
 *	%rdi: CPUID round trips still to run (at least 1), counted down
 *	%sil: VMRESUME rather than VMLAUNCH for the first entry
 * Return: the exit reason of the VM exit that ended the loop
 * (EXIT_REASON_CPUID when *rounds reached 0), or U32_MAX when VMLAUNCH or
 * VMRESUME failed (see VM_INSTRUCTION_ERROR) or faulted.
 */
SYM_FUNC_START(hvbench_vmx_loop)
	push %rbp
	mov  %rsp, %rbp
	push %r14
	push %r13
	push %r12
	push %rbx
	/* 0(%rsp): rounds, also where HOST_RSP points */
	push %rdi

	mov (%rdi), %r12d
	mov $VMCS_EXIT_REASON, %r13d
	mov $VMCS_GUEST_RIP, %r14d
	mov $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax
	jna .Lvmfail

	test %sil, %sil
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
SYM_INNER_LABEL(hvbench_vmx_exit, SYM_L_GLOBAL)
	UNWIND_HINT_RESTORE
	ENDBR
	vmread %r13, %rbx
	cmp $EXIT_REASON_CPUID, %ebx
	jne .Lout
	vmread %r14, %rcx
	add $CPUID_INSN_LEN, %rcx
	vmwrite %rcx, %r14
	dec %r12d
	jnz .Lvmresume

.Lout:
	mov %ebx, %eax
.Lret:
	pop %rdi
	mov %r12d, (%rdi)
	pop %rbx
	pop %r12
	pop %r13
	pop %r14
	pop %rbp
	RET

.Lvmfail:
	mov $-1, %eax
	jmp .Lret
SYM_FUNC_END(hvbench_vmx_loop)
