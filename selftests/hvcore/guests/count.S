/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Known work for the perf counters (pmu_test): RDX rounds of one CPUID,
 * one OUT to port 0x80 and one fast NULL hypercall, each counted by the
 * guest once it returned: result 0 CPUIDs, 1 OUTs, 2 hypercalls, 3
 * hypercalls that did not return success. Then the exit (one more OUT).
 */
#include "head.S"

main:
	mov %rdx, %r12
1:	test %r12, %r12
	jz 3f
	xor %eax, %eax
	xor %ecx, %ecx
	cpuid
	incq %gs:VPD_RESULT
	out %al, $0x80
	incq %gs:(VPD_RESULT + 8)
	mov $(0x7f01 | (1 << 16)), %ecx
	vmmcall
	incq %gs:(VPD_RESULT + 16)
	test %ax, %ax
	jz 2f
	incq %gs:(VPD_RESULT + 24)
2:	dec %r12
	jmp 1b
3:	EXIT $0
