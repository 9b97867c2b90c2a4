/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wake-to-run: HLT until an interrupt comes, then note when the VP ran.
 * Result 0: the TSC after the last interrupt was taken; result 1: the
 * number of wake-ups.
 */
#include "head.S"

main:
1:	sti
	hlt
	cli
	rdtsc
	shl $32, %rdx
	or %rdx, %rax
	REPORT 0, %rax
	incq %gs:(VPD_RESULT + 8)
	jmp 1b
