/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMMCALL with RCX = hvcore's null fast hypercall. hvcore answers it with
 * HV_STATUS_SUCCESS; KVM reads the call number from RAX (0 here, not a
 * KVM hypercall) and answers -KVM_ENOSYS. Both are a full exit handled
 * in the kernel; EAX of the last call reaches the host through
 * BENCH_PORT_DONE. On Intel, VMMCALL raises #UD: hvcore intercepts it and
 * takes the VMMCALL as a hypercall every time, while KVM emulates the
 * first one and rewrites it to VMCALL in guest memory, so that KVM's
 * measured loop runs VMCALL.
 */
#include "guest.inc"

GUEST_HEADER hypercall
1:	xor %eax, %eax
	mov $BENCH_HVCALL_NULL_FAST, %ecx
	xor %edx, %edx
	xor %r8d, %r8d
	vmmcall
	dec %r13
	jnz 1b
	ret
GUEST_FOOTER hypercall
