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

/*
 * Partitions. A partition lives in the kernel from HVCORE_CREATE_PARTITION
 * to HVCORE_DELETE_PARTITION, whoever has it open; it is named (unique,
 * 1-31 characters of [A-Za-z0-9._-], not starting with '.' or '-') and
 * numbered (id > 0, never reused while the module is loaded).
 */
#define HVCORE_NAME_MAX		32	/* including the terminating NUL */
#define HVCORE_NODE_ANY		(-1)

/* Partition states */
#define HVCORE_STATE_OFF	0
#define HVCORE_STATE_RUNNING	1
#define HVCORE_STATE_PAUSED	2
#define HVCORE_STATE_CRASHED	3

/**
 * struct hvcore_create - HVCORE_CREATE_PARTITION
 * @size:	sizeof(struct hvcore_create)
 * @flags:	must be 0
 * @name:	in: NUL-terminated name
 * @id:		out: the new partition's id
 * @reserved:	must be 0
 */
struct hvcore_create {
	__u32 size;
	__u32 flags;
	char name[HVCORE_NAME_MAX];
	__u32 id;
	__u32 reserved[7];
};

#define HVCORE_CREATE_SIZE_VER0	72

/**
 * struct hvcore_select - which partition: HVCORE_OPEN/DELETE_PARTITION
 * @size:	sizeof(struct hvcore_select)
 * @flags:	must be 0
 * @id:		the partition's id, or 0 to select by @name
 * @reserved0:	must be 0
 * @name:	NUL-terminated name, used when @id is 0 (else must be empty)
 * @reserved:	must be 0
 */
struct hvcore_select {
	__u32 size;
	__u32 flags;
	__u32 id;
	__u32 reserved0;
	char name[HVCORE_NAME_MAX];
	__u32 reserved[6];
};

#define HVCORE_SELECT_SIZE_VER0	72

/**
 * struct hvcore_list - HVCORE_LIST_PARTITIONS
 * @size:	sizeof(struct hvcore_list)
 * @flags:	must be 0
 * @count:	in: room in @ids; out: how many partitions exist (may be more
 *		than were written)
 * @reserved0:	must be 0
 * @ids:	in: user pointer to an array of __u32; out: ids, ascending
 * @reserved:	must be 0
 */
struct hvcore_list {
	__u32 size;
	__u32 flags;
	__u32 count;
	__u32 reserved0;
	__u64 ids;
	__u64 reserved[4];
};

#define HVCORE_LIST_SIZE_VER0	56

/**
 * struct hvcore_config - HVCORE_CONFIGURE on a partition fd (state off)
 * @size:	sizeof(struct hvcore_config)
 * @flags:	must be 0
 * @memory_bytes: guest-physical memory from GPA 0, a multiple of 4 KiB,
 *		at most HVCORE_MEMORY_MAX; allocated now, zeroed. 0 frees it.
 * @numa_node:	node to take it from, or HVCORE_NODE_ANY
 * @reserved0:	must be 0
 * @reserved:	must be 0
 */
struct hvcore_config {
	__u32 size;
	__u32 flags;
	__u64 memory_bytes;
	__s32 numa_node;
	__u32 reserved0;
	__u64 reserved[5];
};

#define HVCORE_CONFIG_SIZE_VER0	64
#define HVCORE_MEMORY_MAX	(64ULL << 30)

/**
 * struct hvcore_partition_info - HVCORE_PARTITION_INFO on a partition fd
 * @size:	sizeof(struct hvcore_partition_info)
 * @flags:	must be 0
 * @id:		out
 * @state:	out: HVCORE_STATE_*
 * @name:	out
 * @memory_bytes: out: configured guest memory
 * @memory_pages: out: 4 KiB pages of machine memory the partition holds
 * @pages_2m:	out: how many of its 2 MiB guest ranges are one 2 MiB
 *		machine chunk (mappable with one large page)
 * @numa_node:	out: configured node or HVCORE_NODE_ANY
 * @pages_off_node: out: pages that had to come from another node
 * @reserved:	must be 0 on input
 */
struct hvcore_partition_info {
	__u32 size;
	__u32 flags;
	__u32 id;
	__u32 state;
	char name[HVCORE_NAME_MAX];
	__u64 memory_bytes;
	__u64 memory_pages;
	__u64 pages_2m;
	__s32 numa_node;
	__u32 reserved0;
	__u64 pages_off_node;
	__u64 reserved[5];
};

#define HVCORE_PARTITION_INFO_SIZE_VER0	128

/**
 * struct hvcore_load - HVCORE_LOAD: copy bytes into guest memory
 * @size:	sizeof(struct hvcore_load)
 * @flags:	must be 0
 * @gpa:	guest-physical address of the first byte
 * @bytes:	how many bytes; [@gpa, @gpa + @bytes) must be inside memory
 * @data:	user pointer to the bytes
 * @reserved:	must be 0
 */
struct hvcore_load {
	__u32 size;
	__u32 flags;
	__u64 gpa;
	__u64 bytes;
	__u64 data;
	__u64 reserved[4];
};

#define HVCORE_LOAD_SIZE_VER0	64

#define HVCORE_IOCTL_TYPE	0xB7

/* /dev/hvcore */
#define HVCORE_GET_INFO		_IOWR(HVCORE_IOCTL_TYPE, 0x00, struct hvcore_info)
#define HVCORE_CREATE_PARTITION	_IOWR(HVCORE_IOCTL_TYPE, 0x01, struct hvcore_create)
/* Returns a new partition fd (O_CLOEXEC). */
#define HVCORE_OPEN_PARTITION	_IOW(HVCORE_IOCTL_TYPE, 0x02, struct hvcore_select)
#define HVCORE_DELETE_PARTITION	_IOW(HVCORE_IOCTL_TYPE, 0x03, struct hvcore_select)
#define HVCORE_LIST_PARTITIONS	_IOWR(HVCORE_IOCTL_TYPE, 0x04, struct hvcore_list)

/*
 * Partition fd. mmap(MAP_SHARED) at offset GPA maps guest memory into the
 * caller; a mapping keeps the memory alive after the partition is deleted.
 */
#define HVCORE_CONFIGURE	_IOW(HVCORE_IOCTL_TYPE, 0x40, struct hvcore_config)
#define HVCORE_PARTITION_INFO	_IOWR(HVCORE_IOCTL_TYPE, 0x41, struct hvcore_partition_info)
#define HVCORE_LOAD		_IOW(HVCORE_IOCTL_TYPE, 0x42, struct hvcore_load)

#endif /* _UAPI_LINUX_HVCORE_H */
