/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hot-add: VP 0 registers where added VPs start (HVCORE_HVCALL_SET_VP_ENTRY)
 * and spins; each VP counts its iterations in result 0.
 *
 * Two entries for added VPs, at fixed places so that the test can name
 * them: HOTADD_ENTRY_GUEST (registered by VP 0) and HOTADD_ENTRY_WORKER
 * (for HVCORE_ADD_VP_ENTRY). Both record, before touching anything, the OR
 * of every GPR but RDI (result 3: 0 if they started zeroed), then set up
 * their own GS base and stack from RDI and record RDI (result 1) and which
 * entry ran (result 2: 1 guest's, 2 worker's).
 *
 * VP 0 (entered by guest.c at GUEST_CODE): result 1 its index, results
 * 10-16 the status of malformed calls (see below), result 2 the status of
 * the registration. RDX = 1: make only the malformed calls, register
 * nothing. Phase 1 once done.
 */
#include "head.S"

#define FAST		(1 << 16)
#define SET_VP_ENTRY	0x7f04
#define MSR_GS_BASE	0xc0000101

/*
 * RSP |= every other GPR: the added VP starts with RSP 0 and those zero, so
 * a non-zero result says one was not.
 */
.macro OR_GPRS_INTO_RSP
	.irp r, rax, rbx, rcx, rdx, rsi, rbp, r8, r9, r10, r11, r12, r13, r14, r15
	or %\r, %rsp
	.endr
.endm

/* Offset 0x1100, right after head.S: HOTADD_ENTRY_GUEST in vp_test.c. */
	.org 0x1100
entry_guest:
	OR_GPRS_INTO_RSP
	mov %rsp, %r8
	mov $1, %r9d
	jmp added_vp

/* HOTADD_ENTRY_WORKER */
	.org 0x1140
entry_worker:
	OR_GPRS_INTO_RSP
	mov %rsp, %r8
	mov $2, %r9d
	jmp added_vp

/* RDI = VP index, R8 = OR of the GPRs at entry, R9 = which entry. */
added_vp:
	mov %rdi, %rbx
	shl $14, %rbx			/* GUEST_VP_SIZE */
	add $GUEST_VP_AREA, %rbx
	lea GUEST_VP_SIZE(%rbx), %rsp
	mov $MSR_GS_BASE, %ecx
	mov %rbx, %rax
	mov %rbx, %rdx
	shr $32, %rdx
	wrmsr
	REPORT 3, %r8
	REPORT 2, %r9
	REPORT 1, %rdi
	jmp count

main:
	REPORT 1, %rdi
	mov %rdx, %r12

	/* Fast with a non-zero R8 (reserved): INVALID_PARAMETER */
	mov $(SET_VP_ENTRY | FAST), %ecx
	mov $entry_guest, %edx
	mov $1, %r8d
	vmmcall
	REPORT 10, %rax
	/* A non-canonical entry: INVALID_PARAMETER */
	mov $0x0000800000000000, %rdx
	xor %r8d, %r8d
	vmmcall
	REPORT 11, %rax
	/* Slow, input misaligned: INVALID_ALIGNMENT */
	mov $SET_VP_ENTRY, %ecx
	lea (VPD_RESULT + 8 * 20 + 4)(%rbx), %rdx
	vmmcall
	REPORT 12, %rax
	/* Slow, input outside memory: INVALID_PARAMETER */
	mov $(1 << 40), %rdx
	vmmcall
	REPORT 13, %rax
	/* Slow, reserved word not 0: INVALID_PARAMETER */
	movq $entry_guest, %gs:(VPD_RESULT + 8 * 20)
	movq $1, %gs:(VPD_RESULT + 8 * 21)
	lea (VPD_RESULT + 8 * 20)(%rbx), %rdx
	vmmcall
	REPORT 14, %rax
	/* A rep count: INVALID_HYPERCALL_INPUT */
	mov $(1 << 32 | SET_VP_ENTRY | FAST), %rcx
	mov $entry_guest, %edx
	vmmcall
	REPORT 15, %rax

	test %r12, %r12
	jnz 1f
	/* Slow, then fast: both succeed, the last one counts. */
	movq $0, %gs:(VPD_RESULT + 8 * 21)
	mov $SET_VP_ENTRY, %ecx
	lea (VPD_RESULT + 8 * 20)(%rbx), %rdx
	vmmcall
	REPORT 16, %rax
	mov $(SET_VP_ENTRY | FAST), %ecx
	mov $entry_guest, %edx
	xor %r8d, %r8d
	vmmcall
	REPORT 2, %rax
1:	PHASE 1

count:
	incq %gs:VPD_RESULT
	jmp count
