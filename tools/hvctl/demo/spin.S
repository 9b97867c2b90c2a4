/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A CPU-bound demo guest: a real-mode (16-bit) loop from 0x7c00 that never
 * does I/O, for the scheduler part of make demo. Every VP of the partition
 * runs it (hvctl start puts all VPs at the entry).
 *
 *   hvctl create busy --memory 1M --vps 4
 *   hvctl start busy --image spin.bin
 *   hvctl show busy          (VP run time grows; "hvctl stop busy" ends it)
 *
 * It needs no worker: with interrupts off and no port or MMIO access, its
 * only exits are the scheduler's end of slice, which hvcore handles. Each
 * VP counts its iterations in a 32-bit word at 0x1000 + 4 x (its APIC ID,
 * which hvcore makes the VP index), so its progress can be read from guest
 * memory.
 */
	.code16
	.text
	.globl	_start

#define COUNTERS	0x1000

_start:
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	/* CPUID leaf 1: EBX bits 31:24 are the APIC ID, the VP index. */
	movl	$1, %eax
	cpuid
	shrl	$24, %ebx
	shlw	$2, %bx
	addw	$COUNTERS, %bx
1:	incl	(%bx)
	jmp	1b
