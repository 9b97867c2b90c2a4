/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The start of every long-mode test guest: included first by each
 * guests/ *.S, linked at GUEST_CODE. guest.c points IDT vector v at
 * GUEST_STUBS + 16 * v and enters at GUEST_CODE with
 *   RDI = VP index, RSI = VP count, RBX = this VP's data (also GS base),
 *   RDX, R8, R9, R10 = the test's arguments, RSP = this VP's stack.
 * The guest defines "main".
 *
 * Exceptions (vectors 0-31) are recorded in the VP data; execution resumes
 * at the address armed with FIXUP, or, with none armed, the partition exits
 * with GUEST_EXIT_EXCEPTION + vector. Interrupts (32-255) are counted and
 * logged, then the interrupted code goes on.
 */
#include "layout.h"

	.code64
	.text
	.globl _start
_start:
	jmp main

/* Stack: saved RAX, vector, error code, then the CPU's RIP, CS, RFLAGS, RSP, SS. */
common_handler:
	push %rax
	mov 8(%rsp), %rax
	cmp $32, %rax
	jae 2f
	incq %gs:VPD_EXC_COUNT
	mov %rax, %gs:VPD_EXC_VECTOR
	mov 16(%rsp), %rax
	mov %rax, %gs:VPD_EXC_ERROR
	mov 24(%rsp), %rax
	mov %rax, %gs:VPD_EXC_RIP
	mov %gs:VPD_FIXUP, %rax
	test %rax, %rax
	jz 3f
	movq $0, %gs:VPD_FIXUP
	mov %rax, 24(%rsp)
	jmp 4f
2:	push %rbx
	mov %gs:VPD_IRQ_COUNT, %rbx
	cmp $8, %rbx
	jae 1f
	mov %rax, %gs:VPD_IRQ_LOG(, %rbx, 8)
1:	incq %gs:VPD_IRQ_COUNT
	pop %rbx
4:	pop %rax
	add $16, %rsp
	iretq
3:	mov 8(%rsp), %eax
	add $GUEST_EXIT_EXCEPTION, %eax
	out %eax, $GUEST_PORT_EXIT
halt_forever:
	cli
	hlt
	jmp halt_forever

/*
 * One 16-byte stub per vector; the jumps are backward, so their sizes are
 * known, and a stub longer than 16 bytes makes .org move backwards: an error.
 */
	.org GUEST_STUBS - GUEST_CODE
	vec = 0
	.rept 256
	.org GUEST_STUBS - GUEST_CODE + 16 * vec
	.if vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30
	.else
	pushq $0
	.endif
	pushq $vec
	jmp common_handler
	vec = vec + 1
	.endr
	.org GUEST_STUBS - GUEST_CODE + 16 * 256

/* Stop the partition with exit code \code (register or $immediate). */
.macro EXIT code
	mov \code, %eax
	out %eax, $GUEST_PORT_EXIT
	jmp halt_forever
.endm

/* Result slot \slot of this VP := \src (register or $imm32). */
.macro REPORT slot, src
	movq \src, %gs:(VPD_RESULT + 8 * (\slot))
.endm

.macro PHASE n
	movq $\n, %gs:VPD_PHASE
.endm

/* Spin until the host has written at least \n to VPD_GO. */
.macro WAIT_GO n
	.Lwait_go\@:
	pause
	cmpq $\n, %gs:VPD_GO
	jb .Lwait_go\@
.endm

/* The next exception resumes at \label (and is recorded). */
.macro FIXUP label
	movq $\label, %gs:VPD_FIXUP
.endm

/*
 * Run \insn expecting an exception: result slot \slot gets its vector,
 * 0xff if none came.
 */
.macro EXPECT_EXC slot, insn:vararg
	movq $0xff, %gs:VPD_EXC_VECTOR
	FIXUP .Lexc\@
	\insn
.Lexc\@:
	movq $0, %gs:VPD_FIXUP
	push %rax
	mov %gs:VPD_EXC_VECTOR, %rax
	REPORT \slot, %rax
	pop %rax
.endm

/*
 * Ask the worker to pause the partition (the test reads counters), then
 * wait for the test's GO \n: the pause may take effect a little later, and
 * nothing the guest does must race with it.
 */
.macro PAUSE_HERE n
	out %al, $GUEST_PORT_PAUSE
	WAIT_GO \n
.endm
