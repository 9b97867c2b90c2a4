/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory isolation, by R8, over [R9, R10) with the 8-byte pattern RDX:
 *  1: fill it with the pattern
 *  2: result 0 = how many aligned 8-byte words hold the pattern
 *  3: read 8 bytes at each 4 KiB page; result 0 = reads that did not
 *     return the pattern, result 1 = reads
 */
#include "head.S"

main:
	cmp $1, %r8
	je fill
	cmp $2, %r8
	je count
	cmp $3, %r8
	je beyond
	EXIT $0xbad

fill:
	mov %r9, %rdi
	mov %r10, %rcx
	sub %r9, %rcx
	shr $3, %rcx
	mov %rdx, %rax
	cld
	rep stosq
	EXIT $0

count:
	xor %r11d, %r11d
	mov %r9, %rdi
	mov %r10, %rcx
	sub %r9, %rcx
	shr $3, %rcx
	mov %rdx, %rax
	cld
1:	test %rcx, %rcx
	jz 2f
	repne scasq
	jne 2f
	inc %r11
	jmp 1b
2:	REPORT 0, %r11
	EXIT $0

beyond:
	xor %eax, %eax
	xor %ecx, %ecx
1:	mov (%r9), %r11
	cmp %rdx, %r11
	je 2f
	inc %rax
2:	inc %rcx
	add $4096, %r9
	cmp %r10, %r9
	jb 1b
	REPORT 0, %rax
	REPORT 1, %rcx
	EXIT $0
