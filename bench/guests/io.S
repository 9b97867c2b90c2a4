/* SPDX-License-Identifier: GPL-2.0 */
/* OUT to a port only the user-space worker serves: exit, user space, back. */
#include "guest.inc"

GUEST_HEADER io
1:	mov $BENCH_PORT_IO, %dx
	out %al, %dx
	dec %r13
	jnz 1b
	ret
GUEST_FOOTER io
