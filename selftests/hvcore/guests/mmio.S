/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MMIO: RDX is a GPA without memory. Stores at +0 (1 byte 0x11), +2 (2
 * bytes 0x2233), +4 (4 bytes 0x44556677), +8 (8 bytes from RAX), +16 (8
 * bytes from R9); loads into registers preset to 0x5555555555555555:
 * results 0 CL from +0x20, 1 R13W from +0x22, 2 R10D from +0x24, 3 R11 from
 * +0x28, 4 MOVZX byte into ESI from +0x30, 5 MOVZX word into R12 from
 * +0x32, 6 AH from +0x40, 8 MOVSX byte into R14 from +0x70. Result 7: the
 * address of the first store.
 */
#include "head.S"

#define FILL $0x5555555555555555

main:
	mov %rdx, %rbp
	REPORT 7, $store1
store1:	movb $0x11, (%rbp)
	movw $0x2233, 2(%rbp)
	movl $0x44556677, 4(%rbp)
	mov $0x8899aabbccddeeff, %rax
	mov %rax, 8(%rbp)
	mov $0x0123456789abcdef, %r9
	mov %r9, 16(%rbp)

	mov FILL, %rcx
	movb 0x20(%rbp), %cl
	REPORT 0, %rcx
	mov FILL, %r13
	movw 0x22(%rbp), %r13w
	REPORT 1, %r13
	mov FILL, %r10
	movl 0x24(%rbp), %r10d
	REPORT 2, %r10
	mov FILL, %r11
	movq 0x28(%rbp), %r11
	REPORT 3, %r11
	mov FILL, %rsi
	movzbl 0x30(%rbp), %esi
	REPORT 4, %rsi
	mov FILL, %r12
	movzwq 0x32(%rbp), %r12
	REPORT 5, %r12
	mov FILL, %rax
	movb 0x40(%rbp), %ah
	REPORT 6, %rax
	mov FILL, %r14
	movsbq 0x70(%rbp), %r14
	REPORT 8, %r14
	EXIT $0
