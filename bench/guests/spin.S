/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU-bound, forever: the scheduler rows' "spin" guest. It never exits on
 * purpose; each pass adds one to GUEST_SPIN_COUNT, so that the host can
 * see it run.
 */
#include "guest.inc"

GUEST_HEADER spin
1:	incq GUEST_SPIN_COUNT
	jmp 1b
GUEST_FOOTER spin
