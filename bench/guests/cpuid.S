/* SPDX-License-Identifier: GPL-2.0 */
/* CPUID leaf 0: an exit both hypervisors answer in the kernel. */
#include "guest.inc"

GUEST_HEADER cpuid
1:	xor %eax, %eax
	xor %ecx, %ecx
	cpuid
	dec %r13
	jnz 1b
	ret
GUEST_FOOTER cpuid
