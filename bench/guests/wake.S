/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wake-to-run (as selftests/hvcore/guests/wake.S): HLT until an interrupt
 * comes, then write the TSC to GUEST_WAKE_TSC and count the wake-up in
 * GUEST_WAKE_COUNT, in that order. With GUEST_WAKE_X2APIC set (KVM with
 * its in-kernel local APIC) the guest first turns on its x2APIC and then
 * ends each interrupt with an EOI, after the count; hvcore injects
 * without an APIC and needs neither. With GUEST_WAKE_STOP set, the next
 * wake-up writes BENCH_PORT_DONE and the guest halts with interrupts off.
 * The loop never returns to the common frame: it ignores R13.
 */
#include "guest.inc"

#define MSR_APIC_BASE	0x1b
#define APIC_BASE_EN	0x800
#define APIC_BASE_EXTD	0x400
#define MSR_X2APIC_EOI	0x80b
#define MSR_X2APIC_SVR	0x80f
#define APIC_SVR_ON	0x1ff	/* software enable, spurious vector 0xff */

GUEST_HEADER wake
	cmpq $0, GUEST_WAKE_X2APIC
	je 1f
	mov $MSR_APIC_BASE, %ecx
	rdmsr
	or $(APIC_BASE_EN | APIC_BASE_EXTD), %eax
	wrmsr
	mov $MSR_X2APIC_SVR, %ecx
	mov $APIC_SVR_ON, %eax
	xor %edx, %edx
	wrmsr
1:	sti
	hlt
	cli
	rdtsc
	shl $32, %rdx
	or %rdx, %rax
	mov %rax, GUEST_WAKE_TSC
	cmpq $0, GUEST_WAKE_X2APIC
	je 2f
	mov $MSR_X2APIC_EOI, %ecx
	xor %eax, %eax
	xor %edx, %edx
	wrmsr
2:	incq GUEST_WAKE_COUNT
	cmpq $0, GUEST_WAKE_STOP
	je 1b
	mov $BENCH_PORT_DONE, %dx
	out %eax, %dx
3:	hlt
	jmp 3b
GUEST_FOOTER wake
