/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvcore bench: what the guest programs and the two harnesses agree on.
 * Included by the guests (through guest.inc) and by guest_setup.c.
 *
 * Guest-physical layout, set up by guest_setup.c (2 MiB of memory, one
 * 2 MiB identity page):
 *   0x1000 PML4, 0x2000 PDPT, 0x3000 PD
 *   0x4000 GDT: null, 64-bit code (0x08), data (0x10), TSS (0x18)
 *   0x5000 IDT: 256 gates; vectors 0-31 go to the fault handler,
 *          32-255 to an IRETQ
 *   0x6000 TSS
 *   0x7000 data the host reads or writes (GUEST_DATA below)
 *   0x10000 the guest program, entered at its first byte
 *   0x80000 top of the stack
 *
 * Register contract at entry: R14 = warm-up round trips, R15 = measured
 * round trips (both at least 1). The guest runs the warm-up, writes
 * BENCH_PORT_START, runs the measured loop, writes EAX to
 * BENCH_PORT_DONE (4 bytes: the last result, e.g. a hypercall status),
 * then halts with interrupts off. Any exception writes its vector to
 * BENCH_PORT_FAULT.
 */
#ifndef HVBENCH_GUEST_H
#define HVBENCH_GUEST_H

#define GUEST_MEM_SIZE		0x200000
#define GUEST_PML4		0x1000
#define GUEST_PDPT		0x2000
#define GUEST_PD		0x3000
#define GUEST_GDT		0x4000
#define GUEST_IDT		0x5000
#define GUEST_TSS		0x6000
#define GUEST_DATA		0x7000
#define GUEST_CODE		0x10000
#define GUEST_STACK_TOP		0x80000

#define GUEST_SEL_CODE		0x08
#define GUEST_SEL_DATA		0x10
#define GUEST_SEL_TSS		0x18

/* Offsets inside every guest program (GUEST_HEADER below). */
#define GUEST_OFF_IRET		16	/* handler of vectors 32-255 */
#define GUEST_OFF_FAULT		32	/* handler of vectors 0-31 */

#define BENCH_PORT_START	0xe0
#define BENCH_PORT_DONE		0xe1
#define BENCH_PORT_IO		0xe2	/* the worker's port in the I/O bench */
#define BENCH_PORT_FAULT	0xe3

/*
 * The scheduler rows' guests (spin.S, wake.S) run until stopped; they
 * talk to the host through GUEST_DATA, 8 bytes each.
 */
#define GUEST_SPIN_COUNT	(GUEST_DATA + 0x00)	/* spin: passes */
#define GUEST_WAKE_TSC		(GUEST_DATA + 0x08)	/* wake: TSC of the last wake-up */
#define GUEST_WAKE_COUNT	(GUEST_DATA + 0x10)	/* wake: wake-ups so far */
#define GUEST_WAKE_X2APIC	(GUEST_DATA + 0x18)	/* host: x2APIC, EOI each time */
#define GUEST_WAKE_STOP		(GUEST_DATA + 0x20)	/* host: write DONE next time */

#define BENCH_VECTOR		0x40	/* interrupt injected in the HLT bench */

/* hvcore's null fast hypercall: code 0x7f01, fast bit 16 */
#define BENCH_HVCALL_NULL_FAST	0x17f01

#endif /* HVBENCH_GUEST_H */
