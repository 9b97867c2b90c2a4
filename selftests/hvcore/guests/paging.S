/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest page tables. Writes 0x5000 + i at the start of page i of the
 * R8 pages from linear address RDX; writes a word at the end of the last
 * page of memory (R9 = its GPA) and reads it back into result 0; reads the
 * first GPA past memory (R10) into result 1.
 */
#include "head.S"

main:
	xor %ecx, %ecx
1:	mov %rcx, %rax
	shl $12, %rax
	add %rdx, %rax
	lea 0x5000(%rcx), %r11
	mov %r11, (%rax)
	inc %rcx
	cmp %r8, %rcx
	jb 1b

	mov $0x7a577a577a577a57, %rax
	mov %rax, 4088(%r9)
	mov 4088(%r9), %r11
	REPORT 0, %r11
	mov (%r10), %r11
	REPORT 1, %r11
	EXIT $0
