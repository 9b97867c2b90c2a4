/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest-physical layout of the hvcore test guests, shared by the guest
 * library (guest.c) and the guest programs (guests/ *.S): numbers only, so
 * that both C and the assembler can include it.
 *
 * Long mode (guest.c builds everything below 1 MiB, the image goes at
 * GUEST_CODE; linear addresses equal GPAs in the first 4 GiB):
 *   0x01000 GDT        null, 0x08 code64, 0x10 data, 0x18 TSS (16 bytes)
 *   0x01800 TSS
 *   0x02000 IDT        256 interrupt gates to the stubs of head.S
 *   0x10000 PML4, PDPT, four PDs (4 GiB in 2 MiB pages), then 4 KiB
 *           page tables for the range the test asks for
 *   0x80000 per VP: GUEST_VP_SIZE bytes, the VP's data (struct
 *           guest_vp_data, GS base) at the bottom, its stack above
 *  0x100000 the image: head.S first
 *
 * Real mode: the image at GUEST_REAL_CODE, CS = GUEST_REAL_CODE >> 4, IP 0.
 */
#ifndef HVTEST_GUEST_LAYOUT_H
#define HVTEST_GUEST_LAYOUT_H

#define GUEST_GDT		0x1000
#define GUEST_TSS		0x1800
#define GUEST_IDT		0x2000
#define GUEST_PT		0x10000
#define GUEST_PT_END		0x80000
#define GUEST_VP_AREA		0x80000
#define GUEST_VP_SIZE		0x4000
#define GUEST_MAX_VPS		8
#define GUEST_CODE		0x100000
#define GUEST_STUBS		(GUEST_CODE + 0x100)	/* 16 bytes per vector */
#define GUEST_MEM_MIN		0x200000

#define GUEST_REAL_CODE		0x8000
#define GUEST_REAL_STACK	0x7000

#define GUEST_SEL_CODE		0x08
#define GUEST_SEL_DATA		0x10
#define GUEST_SEL_TSS		0x18

/* struct guest_vp_data: offsets from the GS base of each VP */
#define VPD_EXC_COUNT		0x00	/* exceptions taken (vectors 0-31) */
#define VPD_EXC_VECTOR		0x08	/* the last one: vector */
#define VPD_EXC_ERROR		0x10	/* error code (0 if none) */
#define VPD_EXC_RIP		0x18	/* RIP it was raised at */
#define VPD_FIXUP		0x20	/* where to resume after an exception, once */
#define VPD_IRQ_COUNT		0x28	/* interrupts taken (vectors 32-255) */
#define VPD_IRQ_LOG		0x30	/* the first 8 interrupt vectors, in order */
#define VPD_PHASE		0x70	/* guest -> host: where the program is */
#define VPD_GO			0x78	/* host -> guest: permission to go on */
#define VPD_RESULT		0x80	/* guest -> host: results, 8 bytes each */
#define VPD_NR_RESULTS		48
#define VPD_SIZE		0x200

/* Test-guest ports (hvctl uses port 0xf4 the same way) */
#define GUEST_PORT_EXIT		0xf4	/* OUT: stop the partition with this code */
#define GUEST_PORT_PAUSE	0xf5	/* OUT: the worker pauses the partition */
#define GUEST_PORT_SERIAL	0x3f8	/* OUT: a byte of serial output (THR) */

/* Exit codes of head.S: an exception nobody expected */
#define GUEST_EXIT_EXCEPTION	0x100	/* + vector */

#endif /* HVTEST_GUEST_LAYOUT_H */
