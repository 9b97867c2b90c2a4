/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A CPU loop. Result 0 counts the iterations, result 1 is the VP index the
 * VP was given. RDX: iterations before exiting with 0 (0: loop forever).
 */
#include "head.S"

main:
	REPORT 1, %rdi
1:	incq %gs:VPD_RESULT
	test %rdx, %rdx
	jz 1b
	cmp %gs:VPD_RESULT, %rdx
	ja 1b
	EXIT $0
