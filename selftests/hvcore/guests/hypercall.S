/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypercalls in the TLFS register convention. Results: 0 NULL (fast)
 * status, 1-2 GET_VP_INDEX (fast) status and RDX, 3 GET_VP_INDEX (slow,
 * output: result 20, which starts as all ones) status, 4 the same with a
 * misaligned output GPA, 5 GUEST_LOG status, 6 status of an unknown code,
 * 7 NULL with a rep count, 8 GUEST_LOG in the fast form, 9 GUEST_LOG of
 * 225 bytes.
 */
#include "head.S"

#define FAST (1 << 16)

main:
	mov $(0x7f01 | FAST), %ecx
	vmmcall
	REPORT 0, %rax

	mov $(0x7f02 | FAST), %ecx
	xor %edx, %edx
	vmmcall
	REPORT 1, %rax
	REPORT 2, %rdx

	REPORT 20, $-1
	REPORT 21, $-1
	mov $0x7f02, %ecx
	xor %edx, %edx
	lea (VPD_RESULT + 8 * 20)(%rbx), %r8
	vmmcall
	REPORT 3, %rax
	mov $0x7f02, %ecx
	lea (VPD_RESULT + 8 * 21 + 4)(%rbx), %r8
	vmmcall
	REPORT 4, %rax

	mov $0x7f03, %ecx
	mov $log_input, %edx
	xor %r8d, %r8d
	vmmcall
	REPORT 5, %rax

	mov $(0x80fe | FAST), %ecx
	vmmcall
	REPORT 6, %rax

	mov $(1 << 32 | 0x7f01 | FAST), %rcx
	vmmcall
	REPORT 7, %rax
	mov $(0x7f03 | FAST), %ecx
	mov $log_input, %edx
	vmmcall
	REPORT 8, %rax
	mov $0x7f03, %ecx
	mov $long_log, %edx
	vmmcall
	REPORT 9, %rax
	EXIT $0

	.balign 8
log_input:
	.long 16, 0
	.ascii "hvcore guest log"
	.balign 8
long_log:
	.long 225, 0
	.fill 225, 1, 'x'
