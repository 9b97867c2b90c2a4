/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupts and exceptions from HVCORE_INJECT, in phases the host waits
 * for (VPD_PHASE) and releases (VPD_GO):
 *  1: IF=0, waiting for GO 1: interrupts injected now must stay pending;
 *     result 0 = interrupts taken before STI (0), result 1 = after (2)
 *  2: STI; HLT until a third interrupt arrives
 *  3: spinning at spin3 (result 2) until an exception comes
 *  4: spinning until an NMI comes
 *  5: exit 0
 */
#include "head.S"

main:
	cli
	PHASE 1
	WAIT_GO 1
	mov %gs:VPD_IRQ_COUNT, %rax
	REPORT 0, %rax
	sti
	nop
	nop
	cli
	mov %gs:VPD_IRQ_COUNT, %rax
	REPORT 1, %rax

	PHASE 2
1:	sti
	hlt
	cli
	cmpq $3, %gs:VPD_IRQ_COUNT
	jb 1b

	REPORT 2, $spin3
	FIXUP 2f
	PHASE 3
spin3:	pause
	jmp spin3
2:	FIXUP 3f
	PHASE 4
4:	pause
	jmp 4b
3:	PHASE 5
	EXIT $0
