/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hvctl demo guest: a real-mode (16-bit) program that a partition runs
 * from 0x7c00, like a boot sector.
 *
 *   hvctl create demo --memory 1M
 *   hvctl run demo --start --image hello.bin
 *
 * It prints a greeting and the hypervisor vendor string of CPUID
 * 0x40000000 (EBX, ECX, EDX: "hvcore Linux") on the UART at 0x3f8, waiting
 * for "transmitter holding register empty" in LSR before each byte, then
 * writes 0 to hvctl's exit port 0xf4, which stops the partition with exit
 * code 0.
 */
	.code16
	.text
	.globl	_start

#define COM1		0x3f8
#define COM1_LSR	(COM1 + 5)
#define LSR_THRE	0x20
#define EXIT_PORT	0xf4

_start:
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	$0x7c00, %sp
	cld

	movw	$greeting, %si
	call	puts

	/* EBX, ECX, EDX of leaf 0x40000000 spell the vendor, 12 bytes. */
	movl	$0x40000000, %eax
	cpuid
	movl	%ebx, vendor
	movl	%ecx, vendor + 4
	movl	%edx, vendor + 8
	movw	$vendor_label, %si
	call	puts
	movw	$vendor, %si
	call	puts
	movw	$newline, %si
	call	puts

	movb	$0, %al
	outb	%al, $EXIT_PORT

	/* Not reached under hvctl; elsewhere, stay put. */
halt:
	hlt
	jmp	halt

/* Print the NUL-terminated string at DS:SI. */
puts:
	lodsb
	testb	%al, %al
	jz	1f
	call	putc
	jmp	puts
1:
	ret

/* Print AL once the transmitter can take it. */
putc:
	movb	%al, %bl
	movw	$COM1_LSR, %dx
2:
	inb	%dx, %al
	testb	$LSR_THRE, %al
	jz	2b
	movb	%bl, %al
	movw	$COM1, %dx
	outb	%al, %dx
	ret

greeting:
	.asciz	"Hello from an hvcore partition\n"
vendor_label:
	.asciz	"Hypervisor vendor: "
newline:
	.asciz	"\n"
vendor:
	.fill	12, 1, 0
	.byte	0
