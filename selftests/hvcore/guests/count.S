/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Known work for the counters (pmu_test, counters_test): RDX rounds of one
 * CPUID, one OUT to port 0x80 and one fast NULL hypercall, each counted by
 * the guest once it returned: result 0 CPUIDs, 1 OUTs, 2 hypercalls, 3
 * hypercalls that did not return success. Then R8 rounds of a fast
 * GET_VP_INDEX and a call with an unknown code: result 4 the first that
 * succeeded, 5 the second refused as unknown. Then the exit (one more
 * OUT).
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
3:	mov %r8, %r13
4:	test %r13, %r13
	jz 6f
	mov $(0x7f02 | (1 << 16)), %ecx
	vmmcall
	test %ax, %ax
	jnz 5f
	incq %gs:(VPD_RESULT + 32)
5:	mov $(0x7fff | (1 << 16)), %ecx
	vmmcall
	cmp $0x0002, %ax		/* HV_STATUS_INVALID_HYPERCALL_CODE */
	jne 7f
	incq %gs:(VPD_RESULT + 40)
7:	dec %r13
	jmp 4b
6:	EXIT $0
