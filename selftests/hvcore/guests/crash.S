/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Misbehaving guests, by RDX:
 *  1: triple fault: an IDT with limit 0, then INT3
 *  2: an OUT to port 0x80, for a partition without a worker
 *  3: the SVM instructions (VMRUN, VMLOAD, VMSAVE, STGI, CLGI, SKINIT,
 *     INVLPGA): results 0-6 get the vector each one raised; exit 0
 *  4: REP OUTSB to port 0x80 (string port I/O: hvcore does not emulate it)
 *  5: ADD to an MMIO address in R8 (not a MOV: hvcore does not emulate it)
 */
#include "head.S"

main:
	cmp $1, %rdx
	je triple
	cmp $2, %rdx
	je no_worker
	cmp $3, %rdx
	je svm_insns
	cmp $4, %rdx
	je string_io
	cmp $5, %rdx
	je mmio_add
	EXIT $0xbad

string_io:
	mov $0x80, %edx
	mov $zero_idtr, %esi
	mov $4, %ecx
	cld
	rep outsb
	EXIT $0xbad

mmio_add:
	add %eax, (%r8)
	EXIT $0xbad

triple:
	lidt zero_idtr
	int3
	EXIT $0xbad

no_worker:
	out %al, $0x80
	EXIT $0xbad

svm_insns:
	mov %rbx, %rax
	EXPECT_EXC 0, .byte 0x0f, 0x01, 0xd8	/* VMRUN */
	EXPECT_EXC 1, .byte 0x0f, 0x01, 0xda	/* VMLOAD */
	EXPECT_EXC 2, .byte 0x0f, 0x01, 0xdb	/* VMSAVE */
	EXPECT_EXC 3, .byte 0x0f, 0x01, 0xdc	/* STGI */
	EXPECT_EXC 4, .byte 0x0f, 0x01, 0xdd	/* CLGI */
	EXPECT_EXC 5, .byte 0x0f, 0x01, 0xde	/* SKINIT */
	xor %ecx, %ecx
	EXPECT_EXC 6, .byte 0x0f, 0x01, 0xdf	/* INVLPGA */
	EXIT $0

	.balign 8
zero_idtr:
	.word 0
	.quad 0
