/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPUID as the partition sees it. Results: 0 leaf 1 ECX, 1 leaf 1 EBX,
 * 2-5 leaf 0x40000000 EAX-EDX, 6 leaf 0x80000001 ECX, 7-10 leaf 0x80000002,
 * 11-14 leaf 0xd subleaf 1, 15 leaf 0xd subleaf 0 EAX, 16-19 leaf
 * 0x80000003 with ECX = 0x55.
 */
#include "head.S"

.macro LEAF fn, idx, slot_a, slot_b, slot_c, slot_d
	mov $\fn, %eax
	mov $\idx, %ecx
	cpuid
	REPORT \slot_a, %rax
	REPORT \slot_b, %rbx
	REPORT \slot_c, %rcx
	REPORT \slot_d, %rdx
.endm

main:
	LEAF 1, 0, 40, 1, 0, 41
	LEAF 0x40000000, 0, 2, 3, 4, 5
	LEAF 0x80000001, 0, 42, 43, 6, 44
	LEAF 0x80000002, 0, 7, 8, 9, 10
	LEAF 0xd, 1, 11, 12, 13, 14
	LEAF 0xd, 0, 15, 45, 46, 47
	LEAF 0x80000003, 0x55, 16, 17, 18, 19
	EXIT $0
