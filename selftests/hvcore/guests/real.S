/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A real-mode guest, entered at CS:IP = (GUEST_REAL_CODE >> 4):0: writes
 * 0x12345678 at linear 0x500 and its CS at 0x504, then exits with 0x42.
 */
#include "layout.h"

	.code16
	.text
	.globl _start
_start:
	xor %ax, %ax
	mov %ax, %ds
	movl $0x12345678, 0x500
	mov %cs, %ax
	mov %ax, 0x504
	mov $0x42, %eax
	out %eax, $GUEST_PORT_EXIT
1:	cli
	hlt
	jmp 1b
