/* SPDX-License-Identifier: GPL-2.0 */
/*
 * STI; HLT: the VP halts, the host injects BENCH_VECTOR, the guest wakes
 * in the IRETQ handler and returns after the HLT. STI's interrupt shadow
 * covers the HLT, so the wake-up cannot slip in between.
 */
#include "guest.inc"

GUEST_HEADER hlt
1:	sti
	hlt
	dec %r13
	jnz 1b
	cli
	ret
GUEST_FOOTER hlt
