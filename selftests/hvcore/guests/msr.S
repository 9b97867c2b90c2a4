/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MSRs. Results: 0 EFER, 1 PAT, 2 PAT after a write, 3 APIC_BASE,
 * 4 HV_VP_INDEX, 5 HV_GUEST_OS_ID after a write, 6-8 exception vectors of
 * RDMSR/WRMSR of VM_HSAVE_PA and of setting EFER.SVME, 9 EFER after that,
 * 10 RDMSR of the worker's MSR 0xc0011234 (after a WRMSR of 0x100000002),
 * 11 vector of its second RDMSR (the worker answers #GP), 12-13 vectors of
 * WRMSR of HV_VP_INDEX and of a moved APIC_BASE.
 */
#include "head.S"

.macro RD msr, slot
	mov $\msr, %ecx
	rdmsr
	shl $32, %rdx
	or %rdx, %rax
	REPORT \slot, %rax
.endm

main:
	RD 0xc0000080, 0
	RD 0x277, 1
	mov $0x277, %ecx
	mov $0x00070406, %eax
	mov $0x00070106, %edx
	wrmsr
	RD 0x277, 2
	RD 0x1b, 3
	RD 0x40000002, 4
	mov $0x40000000, %ecx
	mov $0x1234, %eax
	mov $0x81000000, %edx
	wrmsr
	RD 0x40000000, 5

	mov $0xc0010117, %ecx
	EXPECT_EXC 6, rdmsr
	mov $0x1000, %eax
	xor %edx, %edx
	EXPECT_EXC 7, wrmsr
	mov $0xc0000080, %ecx
	rdmsr
	or $0x1000, %eax
	EXPECT_EXC 8, wrmsr
	RD 0xc0000080, 9

	mov $0xc0011234, %ecx
	mov $2, %eax
	mov $1, %edx
	wrmsr
	RD 0xc0011234, 10
	mov $0xc0011234, %ecx
	EXPECT_EXC 11, rdmsr

	mov $0x40000002, %ecx
	xor %eax, %eax
	xor %edx, %edx
	EXPECT_EXC 12, wrmsr
	mov $0x1b, %ecx
	mov $0xfed00800, %eax
	EXPECT_EXC 13, wrmsr
	EXIT $0
