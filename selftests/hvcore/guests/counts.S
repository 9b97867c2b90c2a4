/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intercepted instructions in known numbers between two pauses, each
 * counted by the guest itself: results 0 CPUIDs, 1 NULL hypercalls (fast),
 * 2 GET_VP_INDEX (fast), 3 hypercalls with an unknown code, 4 port writes.
 * Phase 1 before the first pause, 2 before the second. VMMCALL is a
 * hypercall on either vendor (Intel: through #UD).
 */
#include "head.S"

#define FAST	(1 << 16)
#define ROUNDS	37

main:
	xor %r12d, %r12d
	xor %r13d, %r13d
	xor %r14d, %r14d
	xor %r15d, %r15d
	xor %r10d, %r10d
	PHASE 1
	PAUSE_HERE 1
	mov $ROUNDS, %r11d
1:
	.rept 2
	push %rbx		/* CPUID writes RBX, the VP data pointer */
	xor %eax, %eax
	xor %ecx, %ecx
	cpuid
	pop %rbx
	inc %r12
	.endr
	.rept 3
	mov $(0x7f01 | FAST), %ecx
	vmmcall
	inc %r13
	.endr
	mov $(0x7f02 | FAST), %ecx
	vmmcall
	inc %r14
	mov $(0x7fff | FAST), %ecx
	vmmcall
	inc %r15
	.rept 4
	out %al, $0x80
	inc %r10
	.endr
	dec %r11d
	jnz 1b
	REPORT 0, %r12
	REPORT 1, %r13
	REPORT 2, %r14
	REPORT 3, %r15
	REPORT 4, %r10
	PHASE 2
	PAUSE_HERE 2
	EXIT $0
