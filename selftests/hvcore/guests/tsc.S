/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's own measure of the time it executes: a loop that reads the
 * TSC and sums the steps shorter than the threshold the host put in
 * VPD_GO before the start (TSC cycles). A longer step is time away from
 * guest mode (an exit, or another VP's turn) and is only counted.
 * Results, rewritten every iteration: 1 the sum of short steps (cycles),
 * 2 the number of long steps.
 */
#include "head.S"

main:
	mov %gs:VPD_GO, %r8
	xor %r9d, %r9d
	xor %r10d, %r10d
	rdtsc
	shl $32, %rdx
	or %rdx, %rax
	mov %rax, %r11
1:
	rdtsc
	shl $32, %rdx
	or %rdx, %rax
	mov %rax, %rcx
	sub %r11, %rcx
	mov %rax, %r11
	cmp %r8, %rcx
	jae 2f
	add %rcx, %r9
	REPORT 1, %r9
	jmp 1b
2:
	inc %r10
	REPORT 2, %r10
	jmp 1b
