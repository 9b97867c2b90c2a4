/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Known work for the tracepoint test (trace_test.c), counted by the guest
 * itself: CPUIDs until RDX of them are done, R8 NULL hypercalls, R9 OUTs
 * to port 0x3000, a write to each of the 4 KiB pages at GUEST_MEM_MIN +
 * 0..3 x 4 KiB (the test gives it memory that ends there, so they get 4 KiB
 * nested mappings), then STI; HLT until R10 interrupts have come.
 *
 * Hypercalls use the host vendor's instruction (CPUID 0: "AuthenticAMD"
 * VMMCALL, else VMCALL); on Intel the last one is a VMMCALL, which
 * reaches hvcore as a #UD intercept.
 *
 * Results: 0 CPUIDs, 1 hypercalls, 2 OUTs, 3 HLTs, 4 interrupts taken,
 * 5 hypercalls whose status was not success, 6 hypercalls made with the
 * other vendor's instruction. Phase 1: in the HLT loop.
 */
#include "head.S"

#define FAST		(1 << 16)
#define NULL_CALL	(0x7f01 | FAST)

main:
	mov %rdx, %r12
	mov %r8, %r13
	mov %r9, %r14
	mov %r10, %r15

	xor %eax, %eax
	cpuid
	mov %ebx, %r11d
	mov $1, %ebp
1:	cmp %r12, %rbp
	jae 2f
	mov $1, %eax
	xor %ecx, %ecx
	cpuid
	inc %rbp
	jmp 1b
2:	REPORT 0, %rbp

	xor %ebp, %ebp
	xor %edi, %edi
	xor %esi, %esi
	cmp $0x68747541, %r11d		/* "Auth" */
	jne intel
amd:	cmp %r13, %rbp
	jae hc_done
	mov $NULL_CALL, %ecx
	vmmcall
	call hc_status
	jmp amd
intel:	lea 1(%rbp), %rax
	cmp %r13, %rax
	jae intel_last
	mov $NULL_CALL, %ecx
	vmcall
	call hc_status
	jmp intel
intel_last:
	cmp %r13, %rbp
	jae hc_done
	mov $NULL_CALL, %ecx
	vmmcall
	call hc_status
	inc %rsi
hc_done:
	REPORT 1, %rbp
	REPORT 5, %rdi
	REPORT 6, %rsi

	xor %ebp, %ebp
	mov $0x3000, %edx
3:	cmp %r14, %rbp
	jae 4f
	mov %ebp, %eax
	out %al, %dx
	inc %rbp
	jmp 3b
4:	REPORT 2, %rbp

	mov $GUEST_MEM_MIN, %eax
	mov $4, %ecx
7:	movb $1, (%rax)
	add $4096, %rax
	loop 7b

	xor %ebp, %ebp
	PHASE 1
5:	cmp %r15, %gs:VPD_IRQ_COUNT
	jae 6f
	sti
	hlt
	cli
	inc %rbp
	jmp 5b
6:	REPORT 3, %rbp
	mov %gs:VPD_IRQ_COUNT, %rax
	REPORT 4, %rax
	EXIT $0

/* One hypercall done: count it, and its failure if RAX says so. */
hc_status:
	inc %rbp
	test %ax, %ax
	jz 1f
	inc %rdi
1:	ret
