/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * hvcore: the user-space ABI of /dev/hvcore.
 *
 * Rules every ioctl structure follows (Documentation/uapi.rst):
 *  - it starts with a __u32 size that the caller sets to sizeof() of the
 *    structure it was compiled with; the kernel accepts any size from the
 *    first published version up, ignores nothing it does not understand
 *    (non-zero bytes past its own structure give -E2BIG) and copies back
 *    only as many bytes as the caller declared;
 *  - reserved fields and unknown flags must be zero (-EINVAL otherwise).
 */
#ifndef _UAPI_LINUX_HVCORE_H
#define _UAPI_LINUX_HVCORE_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define HVCORE_API_VERSION	1

/* Which hardware virtualization extension hvcore drives. */
#define HVCORE_VENDOR_SVM	1
#define HVCORE_VENDOR_VMX	2

/* struct hvcore_info.features bits for HVCORE_VENDOR_SVM */
#define HVCORE_SVM_NPT			(1ULL << 0)
#define HVCORE_SVM_NRIPS		(1ULL << 1)
#define HVCORE_SVM_DECODE_ASSISTS	(1ULL << 2)
#define HVCORE_SVM_VMCB_CLEAN		(1ULL << 3)
#define HVCORE_SVM_FLUSH_BY_ASID	(1ULL << 4)
#define HVCORE_SVM_AVIC			(1ULL << 5)

/* struct hvcore_info.features bits for HVCORE_VENDOR_VMX */
#define HVCORE_VMX_EPT			(1ULL << 0)
#define HVCORE_VMX_VPID			(1ULL << 1)
#define HVCORE_VMX_UNRESTRICTED_GUEST	(1ULL << 2)
#define HVCORE_VMX_EPT_AD		(1ULL << 3)
#define HVCORE_VMX_EPT_2M		(1ULL << 4)
#define HVCORE_VMX_EPT_1G		(1ULL << 5)
#define HVCORE_VMX_TRUE_CTLS		(1ULL << 6)

/**
 * struct hvcore_info - what the hypervisor found on this host
 * @size:	in: sizeof(struct hvcore_info) as the caller knows it
 * @flags:	in: must be 0
 * @api_version: out: HVCORE_API_VERSION of the running module
 * @vendor:	out: HVCORE_VENDOR_SVM or HVCORE_VENDOR_VMX
 * @features:	out: HVCORE_SVM_* or HVCORE_VMX_* bits
 * @nr_asids:	out: SVM: ASIDs the CPU provides; VMX: 65536 with VPID, else 0
 * @vmcs_revision: out: VMX: the VMCS revision identifier; SVM: 0
 * @nr_lps:	out: logical processors on which hvcore holds SVM/VMX now
 * @reserved:	must be 0 on input; 0 on output
 */
struct hvcore_info {
	__u32 size;
	__u32 flags;
	__u32 api_version;
	__u32 vendor;
	__u64 features;
	__u32 nr_asids;
	__u32 vmcs_revision;
	__u32 nr_lps;
	__u32 reserved[9];
};

#define HVCORE_INFO_SIZE_VER0	72	/* sizeof first published struct hvcore_info */

#define HVCORE_IOCTL_TYPE	0xB7

/* Fill struct hvcore_info. */
#define HVCORE_GET_INFO		_IOWR(HVCORE_IOCTL_TYPE, 0x00, struct hvcore_info)

#endif /* _UAPI_LINUX_HVCORE_H */
