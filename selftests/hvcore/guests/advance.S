/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RIP after each exit the kernel handles or forwards: every exiting
 * instruction is followed by "add $1, %r15" (49 83 c7 01), whose bytes
 * execute as something else when RIP lands one or two bytes late, and a
 * RIP left behind repeats the instruction forever. Exit code: the number
 * of additions, 10 when every RIP advanced right. Results 1-6: the address
 * of each port access, in order. Before exiting, it has the worker pause
 * the partition.
 */
#include "head.S"

main:
	xor %r15d, %r15d
	xor %eax, %eax
	xor %ecx, %ecx
	cpuid				/* 2 bytes */
	add $1, %r15
	mov $0x17f01, %ecx		/* HVCALL_NULL, fast */
	vmmcall				/* 3 bytes */
	add $1, %r15
	REPORT 0, %rax
	mov $0x5a, %al
	REPORT 1, $io1
io1:	out %al, $0x80			/* 2 bytes */
	add $1, %r15
	mov $0x80, %edx
	REPORT 2, $io2
io2:	out %al, %dx			/* 1 byte */
	add $1, %r15
	REPORT 3, $io3
io3:	in $0x80, %al			/* 2 bytes */
	add $1, %r15
	REPORT 4, $io4
io4:	in %dx, %al			/* 1 byte */
	add $1, %r15
	REPORT 5, $io5
io5:	out %ax, %dx			/* 2 bytes, with the operand-size prefix */
	add $1, %r15
	REPORT 6, $io6
io6:	in %dx, %eax			/* 1 byte */
	add $1, %r15
	mov $0xc0000080, %ecx
	rdmsr				/* 2 bytes */
	add $1, %r15
	wrmsr				/* 2 bytes, EFER unchanged */
	add $1, %r15
	PAUSE_HERE 1			/* the test reads the counters */
	EXIT %r15d
