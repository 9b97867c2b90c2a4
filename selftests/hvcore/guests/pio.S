/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Port I/O of 1, 2 and 4 bytes. OUT to port 0x3000: 0xa5, 0xbeef,
 * 0xdeadbeef; OUT 0x5a to port 0x81. Results 0-3: RAX after IN of 1, 2, 4
 * bytes from port 0x3000 and 1 byte from port 0x82, RAX being
 * 0x1111111111111111 before each. Then "ok\n" on the serial port.
 */
#include "head.S"

main:
	mov $0x3000, %edx
	mov $0xa5, %al
	out %al, %dx
	mov $0xbeef, %ax
	out %ax, %dx
	mov $0xdeadbeef, %eax
	out %eax, %dx
	mov $0x5a, %al
	out %al, $0x81

	mov $0x1111111111111111, %rax
	in %dx, %al
	REPORT 0, %rax
	mov $0x1111111111111111, %rax
	in %dx, %ax
	REPORT 1, %rax
	mov $0x1111111111111111, %rax
	in %dx, %eax
	REPORT 2, %rax
	mov $0x1111111111111111, %rax
	in $0x82, %al
	REPORT 3, %rax

	mov $GUEST_PORT_SERIAL, %edx
	mov $'o', %al
	out %al, %dx
	mov $'k', %al
	out %al, %dx
	mov $'\n', %al
	out %al, %dx
	EXIT $0
