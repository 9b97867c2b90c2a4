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
 * @vp_count:	virtual processors, created now in state off with the
 *		architectural reset state; 0 is read as 1, at most
 *		HVCORE_MAX_VPS
 * @reserved:	must be 0
 */
struct hvcore_config {
	__u32 size;
	__u32 flags;
	__u64 memory_bytes;
	__s32 numa_node;
	__u32 vp_count;
	__u64 reserved[5];
};

#define HVCORE_CONFIG_SIZE_VER0	64
#define HVCORE_MEMORY_MAX	(64ULL << 30)
#define HVCORE_MAX_VPS		64

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
 * @vp_count:	out: virtual processors
 * @crash_reason: out: HVCORE_CRASH_* of the last crash, kept through STOP
 *		until the next START; 0 if none
 * @crash_info:	out: detail for @crash_reason (see HVCORE_CRASH_*)
 * @crash_rip:	out: guest RIP of the VP that crashed the partition
 * @exit_code:	out: the code given to HVCORE_CONTROL_STOP (0 otherwise)
 * @crash_vp:	out: which VP crashed it
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
	__u32 vp_count;
	__u32 crash_reason;
	__u64 crash_info;
	__u64 crash_rip;
	__u32 exit_code;
	__u32 crash_vp;
	__u64 reserved;
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

/* Why a partition crashed: struct hvcore_partition_info.crash_reason */
#define HVCORE_CRASH_NONE		0
#define HVCORE_CRASH_TRIPLE_FAULT	1	/* shutdown; info 0 */
#define HVCORE_CRASH_INVALID_STATE	2	/* VM entry refused the state; info: vendor code */
#define HVCORE_CRASH_UNHANDLED		3	/* info: vendor exit code */
#define HVCORE_CRASH_NO_WORKER		4	/* info: HVCORE_MSG_* that had nobody to serve it */
#define HVCORE_CRASH_WORKER_GONE	5	/* the worker closed its fd with messages pending */

/**
 * struct hvcore_segment - a segment register as the VP sees it
 * @base:	linear base
 * @limit:	byte-granular limit (expanded when @g is set)
 * @selector:	selector
 * @type:	descriptor type, 4 bits
 * @s:		1 for code/data, 0 for system
 * @dpl:	descriptor privilege level
 * @present:	P
 * @avl:	AVL
 * @l:		64-bit code segment
 * @db:		default operation size
 * @g:		granularity
 * @unusable:	the register holds a null selector (VMX's "unusable")
 * @reserved:	must be 0
 */
struct hvcore_segment {
	__u64 base;
	__u32 limit;
	__u16 selector;
	__u8 type;
	__u8 s;
	__u8 dpl;
	__u8 present;
	__u8 avl;
	__u8 l;
	__u8 db;
	__u8 g;
	__u8 unusable;
	__u8 reserved;
};

/**
 * struct hvcore_dtable - GDTR or IDTR
 * @base:	linear base
 * @limit:	limit
 * @reserved:	must be 0
 */
struct hvcore_dtable {
	__u64 base;
	__u16 limit;
	__u16 reserved[3];
};

/* struct hvcore_regs.gpr indexes, in the order of the ModRM encoding */
enum {
	HVCORE_RAX, HVCORE_RCX, HVCORE_RDX, HVCORE_RBX,
	HVCORE_RSP, HVCORE_RBP, HVCORE_RSI, HVCORE_RDI,
	HVCORE_R8, HVCORE_R9, HVCORE_R10, HVCORE_R11,
	HVCORE_R12, HVCORE_R13, HVCORE_R14, HVCORE_R15,
	HVCORE_NR_GPRS
};

/* struct hvcore_regs.seg indexes */
enum {
	HVCORE_ES, HVCORE_CS, HVCORE_SS, HVCORE_DS, HVCORE_FS, HVCORE_GS,
	HVCORE_TR, HVCORE_LDTR, HVCORE_NR_SEGS
};

/**
 * struct hvcore_regs - HVCORE_GET_REGS / HVCORE_SET_REGS
 * @size:	sizeof(struct hvcore_regs)
 * @flags:	must be 0
 * @vp:		which VP
 * @reserved0:	must be 0
 * @gpr:	general-purpose registers, HVCORE_RAX..HVCORE_R15
 * @rip:	instruction pointer
 * @rflags:	flags (bit 1 always reads 1)
 * @seg:	segment registers, HVCORE_ES..HVCORE_LDTR
 * @gdt:	GDTR
 * @idt:	IDTR
 * @cr0:	CR0 (SET: ET is forced on, CD/NW as given)
 * @cr2:	CR2
 * @cr3:	CR3
 * @cr4:	CR4 (SET: bits the host cannot give a guest are refused)
 * @cr8:	CR8 (task priority, 4 bits)
 * @efer:	EFER (LMA follows LME and CR0.PG on SET)
 * @dr6:	DR6
 * @dr7:	DR7; guests have no debug registers (MOV DR is a #UD), so it
 *		reads 0x400 and SET ignores it
 * @pat:	IA32_PAT
 * @star:	STAR
 * @lstar:	LSTAR
 * @cstar:	CSTAR
 * @sfmask:	SFMASK
 * @kernel_gs_base: KERNEL_GS_BASE
 * @sysenter_cs: SYSENTER_CS
 * @sysenter_esp: SYSENTER_ESP
 * @sysenter_eip: SYSENTER_EIP
 * @xcr0:	XCR0 (SET: must be a valid subset of what the host has)
 * @reserved:	must be 0
 *
 * SET is allowed while the partition is off or paused; the VM entry
 * checks of the hardware then judge the state, and a state they refuse
 * crashes the partition with HVCORE_CRASH_INVALID_STATE, never the host.
 */
struct hvcore_regs {
	__u32 size;
	__u32 flags;
	__u32 vp;
	__u32 reserved0;
	__u64 gpr[HVCORE_NR_GPRS];
	__u64 rip;
	__u64 rflags;
	struct hvcore_segment seg[HVCORE_NR_SEGS];
	struct hvcore_dtable gdt;
	struct hvcore_dtable idt;
	__u64 cr0;
	__u64 cr2;
	__u64 cr3;
	__u64 cr4;
	__u64 cr8;
	__u64 efer;
	__u64 dr6;
	__u64 dr7;
	__u64 pat;
	__u64 star;
	__u64 lstar;
	__u64 cstar;
	__u64 sfmask;
	__u64 kernel_gs_base;
	__u64 sysenter_cs;
	__u64 sysenter_esp;
	__u64 sysenter_eip;
	__u64 xcr0;
	__u64 reserved[8];
};

#define HVCORE_REGS_SIZE_VER0	592

/* VP states: struct hvcore_vp_info.state */
#define HVCORE_VP_OFF		0	/* partition off */
#define HVCORE_VP_READY		1	/* waiting for an LP */
#define HVCORE_VP_RUNNING	2	/* dispatched on @lp */
#define HVCORE_VP_HALTED	3	/* HLT, until an interrupt is pending */
#define HVCORE_VP_WAITING	4	/* for the worker to complete a message */
#define HVCORE_VP_PAUSED	5	/* partition paused */

/* struct hvcore_vp_info.exits indexes: intercepts by kind */
enum {
	HVCORE_EXIT_CPUID, HVCORE_EXIT_MSR, HVCORE_EXIT_IO, HVCORE_EXIT_MMIO,
	HVCORE_EXIT_NPF, HVCORE_EXIT_HLT, HVCORE_EXIT_HYPERCALL,
	HVCORE_EXIT_INTR_WINDOW, HVCORE_EXIT_EXTINT, HVCORE_EXIT_NMI,
	HVCORE_EXIT_EXCEPTION, HVCORE_EXIT_OTHER, HVCORE_NR_EXIT_KINDS
};

/* struct hvcore_vp_info.wait_hist: log2 buckets of ns */
#define HVCORE_WAIT_HIST_BUCKETS	32

/**
 * struct hvcore_vp_info - HVCORE_VP_INFO: one VP's state and counters
 * @size:	sizeof(struct hvcore_vp_info)
 * @flags:	must be 0
 * @vp:		in: which VP
 * @state:	out: HVCORE_VP_*
 * @lp:		out: LP it runs on or last ran on (-1: never ran)
 * @asid:	out: SVM ASID or VMX VPID it last ran with
 * @total_ns:	out: time dispatched on an LP
 * @guest_ns:	out: of which in guest mode
 * @dispatches:	out: times an LP picked it
 * @migrations:	out: dispatches on another LP than the previous one
 * @exits:	out: intercepts by HVCORE_EXIT_* kind
 * @hypercalls:	out: hypercalls made
 * @injected:	out: interrupts and exceptions injected
 * @wait_ns:	out: time ready but not running, summed over @dispatches
 *		(Documentation/scheduler.rst)
 * @home_lp:	out: LP whose run queue holds it (-1: not placed yet)
 * @reserved0:	must be 0 on input
 * @reserve_missed: out: scheduling periods in which it was ready throughout
 *		but ran less than its reservation less 0.5 % of the period
 * @irq_pending_ns: out: time the interrupts and NMIs delivered so far spent
 *		between HVCORE_INJECT and their delivery into the guest
 * @irqs_pending: out: interrupt vectors and NMIs pending now
 * @reserved1:	must be 0 on input
 * @reserved:	must be 0 on input
 * @wait_hist:	out: @dispatches by the wait before each: bucket k counts
 *		waits of 2^k to 2^(k+1) - 1 ns; bucket 0 also counts waits of
 *		0 ns, the last bucket every longer wait (since size VER1)
 */
struct hvcore_vp_info {
	__u32 size;
	__u32 flags;
	__u32 vp;
	__u32 state;
	__s32 lp;
	__u32 asid;
	__u64 total_ns;
	__u64 guest_ns;
	__u64 dispatches;
	__u64 migrations;
	__u64 exits[HVCORE_NR_EXIT_KINDS];
	__u64 hypercalls;
	__u64 injected;
	__u64 wait_ns;
	__s32 home_lp;
	__u32 reserved0;
	__u64 reserve_missed;
	__u64 irq_pending_ns;
	__u32 irqs_pending;
	__u32 reserved1;
	__u64 reserved[3];
	__u64 wait_hist[HVCORE_WAIT_HIST_BUCKETS];
};

#define HVCORE_VP_INFO_SIZE_VER0	232
#define HVCORE_VP_INFO_SIZE_VER1	488	/* + wait_hist */

/* Run control: struct hvcore_control.op */
#define HVCORE_CONTROL_START	1	/* off -> running; VPs enter at their registers */
#define HVCORE_CONTROL_PAUSE	2	/* running -> paused; VPs leave their LPs */
#define HVCORE_CONTROL_RESUME	3	/* paused -> running */
#define HVCORE_CONTROL_STOP	4	/* any -> off; VPs reset, memory kept */

/**
 * struct hvcore_control - HVCORE_CONTROL: start, pause, resume, stop
 * @size:	sizeof(struct hvcore_control)
 * @flags:	must be 0
 * @op:		HVCORE_CONTROL_*
 * @code:	STOP: exit code reported in hvcore_partition_info.exit_code;
 *		must be 0 for the other operations
 * @reserved:	must be 0
 *
 * A transition the state does not allow gives -EBUSY (start while
 * running, pause while off...); STOP of an off partition gives -EALREADY.
 * STOP also takes a crashed partition back to off.
 */
struct hvcore_control {
	__u32 size;
	__u32 flags;
	__u32 op;
	__u32 code;
	__u64 reserved[4];
};

#define HVCORE_CONTROL_SIZE_VER0	48

/* CPUID policy: struct hvcore_cpuid_entry.flags */
#define HVCORE_CPUID_SUBLEAF	(1U << 0)	/* @index is significant */
#define HVCORE_CPUID_FORWARD	(1U << 1)	/* ask the worker (HVCORE_MSG_CPUID) */

/**
 * struct hvcore_cpuid_entry - one leaf of a CPUID policy
 * @function:	EAX on input
 * @index:	ECX on input, when HVCORE_CPUID_SUBLEAF
 * @flags:	HVCORE_CPUID_*
 * @reserved0:	must be 0
 * @eax:	result, unless forwarded
 * @ebx:	result
 * @ecx:	result
 * @edx:	result
 */
struct hvcore_cpuid_entry {
	__u32 function;
	__u32 index;
	__u32 flags;
	__u32 reserved0;
	__u32 eax;
	__u32 ebx;
	__u32 ecx;
	__u32 edx;
};

#define HVCORE_MAX_CPUID_ENTRIES	256

/**
 * struct hvcore_cpuid - HVCORE_SET_CPUID (partition off) / HVCORE_GET_CPUID
 * @size:	sizeof(struct hvcore_cpuid)
 * @flags:	must be 0
 * @count:	SET: entries at @entries (0 clears the policy); GET: in, room
 *		at @entries; out, entries the policy has
 * @reserved0:	must be 0
 * @entries:	user pointer to struct hvcore_cpuid_entry[@count]
 * @reserved:	must be 0
 *
 * Leaves without an entry get hvcore's default: the host's values with
 * virtualization, monitor/mwait, PMU and x2APIC hidden, the hypervisor
 * bit set, and hvcore's leaves at 0x40000000 (Documentation/hypercalls.rst).
 */
struct hvcore_cpuid {
	__u32 size;
	__u32 flags;
	__u32 count;
	__u32 reserved0;
	__u64 entries;
	__u64 reserved[4];
};

#define HVCORE_CPUID_SIZE_VER0	56

/**
 * struct hvcore_msr_intercept - HVCORE_SET_MSR_INTERCEPT (partition off)
 * @size:	sizeof(struct hvcore_msr_intercept)
 * @flags:	must be 0
 * @msr:	MSR index whose reads and writes go to the worker
 *		(HVCORE_MSG_MSR) instead of hvcore's allow-list; not EFER, PAT
 *		or an MSR the guest accesses without exits (-EINVAL); at most
 *		HVCORE_MAX_MSR_INTERCEPTS of them (-ENOSPC)
 * @enable:	1 to forward, 0 to stop forwarding
 * @reserved:	must be 0
 */
struct hvcore_msr_intercept {
	__u32 size;
	__u32 flags;
	__u32 msr;
	__u32 enable;
	__u64 reserved[4];
};

#define HVCORE_MSR_INTERCEPT_SIZE_VER0	48
#define HVCORE_MAX_MSR_INTERCEPTS	64

/* Injection: struct hvcore_inject.type */
#define HVCORE_INJECT_INTERRUPT	1	/* external interrupt @vector, when the guest can take it */
#define HVCORE_INJECT_EXCEPTION	2	/* exception @vector (0-31 but 2) at the next entry */
#define HVCORE_INJECT_NMI	3

/* struct hvcore_inject.flags */
#define HVCORE_INJECT_ERROR_CODE	(1U << 0)	/* push @error_code */

/**
 * struct hvcore_inject - HVCORE_INJECT: give a VP an interrupt or exception
 * @size:	sizeof(struct hvcore_inject)
 * @flags:	HVCORE_INJECT_*
 * @vp:		which VP
 * @type:	HVCORE_INJECT_INTERRUPT, _EXCEPTION or _NMI
 * @vector:	interrupt vector 32-255, or exception vector 0-31
 * @error_code:	with HVCORE_INJECT_ERROR_CODE
 * @reserved:	must be 0
 *
 * Interrupts are kept pending (one per vector, highest first) until the
 * guest has RFLAGS.IF set and no interrupt shadow; a halted VP wakes up.
 * Allowed while the partition runs or is paused.
 */
struct hvcore_inject {
	__u32 size;
	__u32 flags;
	__u32 vp;
	__u32 type;
	__u32 vector;
	__u32 error_code;
	__u64 reserved[4];
};

#define HVCORE_INJECT_SIZE_VER0	56

/*
 * Intercept messages, read(2) from the partition fd (the open file, not
 * the process) that called HVCORE_ATTACH_WORKER. Each read returns whole messages (the buffer must
 * hold at least one); it blocks while the partition runs or is paused and
 * no message is queued (EAGAIN with O_NONBLOCK), and returns 0 once the
 * partition is off or crashed and nothing is queued. poll(2) gives POLLIN
 * for a queued message and POLLHUP when read would return 0.
 *
 * Messages with HVCORE_MSG_F_COMPLETE set hold their VP until
 * HVCORE_COMPLETE with the same @seq; the others are informational.
 */
#define HVCORE_MSG_IO		1	/* port I/O */
#define HVCORE_MSG_MMIO		2	/* access to a GPA without memory */
#define HVCORE_MSG_CPUID	3	/* a CPUID leaf marked HVCORE_CPUID_FORWARD */
#define HVCORE_MSG_MSR		4	/* an MSR registered with HVCORE_SET_MSR_INTERCEPT */
#define HVCORE_MSG_GUEST_LOG	5	/* the guest-log hypercall; informational */
#define HVCORE_MSG_STATE	6	/* the partition stopped or crashed; informational */

#define HVCORE_MSG_F_COMPLETE	(1U << 0)	/* the VP waits for HVCORE_COMPLETE */
#define HVCORE_MSG_F_WRITE	(1U << 1)	/* OUT, MMIO write, WRMSR */
#define HVCORE_MSG_F_DECODED	(1U << 2)	/* MMIO: @mmio.reg and @mmio.len are valid */

#define HVCORE_MSG_LOG_MAX	224

/**
 * struct hvcore_message - one intercept message
 * @size:	sizeof(struct hvcore_message)
 * @type:	HVCORE_MSG_*
 * @flags:	HVCORE_MSG_F_*
 * @vp:		VP that caused it
 * @seq:	sequence number, per partition, to quote in HVCORE_COMPLETE
 * @rip:	guest RIP of the instruction
 * @io:		IO: @port, @len (1, 2 or 4), @data for OUT
 * @mmio:	MMIO: @gpa; when decoded, @len (1, 2, 4 or 8) and @data for a
 *		write; always the instruction bytes hvcore fetched
 * @cpuid:	CPUID: input @function/@index (the worker answers eax..edx)
 * @msr:	MSR: @index, @data for WRMSR
 * @log:	GUEST_LOG: @len bytes of @text (not NUL-terminated)
 * @state:	STATE: the new HVCORE_STATE_* and the crash reason
 */
struct hvcore_message {
	__u32 size;
	__u32 type;
	__u32 flags;
	__u32 vp;
	__u64 seq;
	__u64 rip;
	union {
		struct {
			__u16 port;
			__u8 len;
			__u8 reserved[5];
			__u64 data;
		} io;
		struct {
			__u64 gpa;
			__u64 data;
			__u8 len;
			__u8 insn_len;
			__u8 insn[15];
			__u8 reserved[5];
		} mmio;
		struct {
			__u32 function;
			__u32 index;
		} cpuid;
		struct {
			__u32 index;
			__u32 reserved;
			__u64 data;
		} msr;
		struct {
			__u32 len;
			char text[HVCORE_MSG_LOG_MAX];
		} log;
		struct {
			__u32 state;
			__u32 crash_reason;
			__u64 crash_info;
		} state;
		__u8 raw[232];
	};
};

#define HVCORE_MESSAGE_SIZE_VER0	264

/* struct hvcore_complete.flags */
#define HVCORE_COMPLETE_GP	(1U << 0)	/* the instruction raises #GP(0) instead */

/**
 * struct hvcore_complete - HVCORE_COMPLETE: the worker's answer
 * @size:	sizeof(struct hvcore_complete)
 * @flags:	HVCORE_COMPLETE_*
 * @seq:	the message's @seq
 * @data:	IN, MMIO read, RDMSR: the value (truncated to the access size)
 * @eax:	CPUID result
 * @ebx:	CPUID result
 * @ecx:	CPUID result
 * @edx:	CPUID result
 * @reserved:	must be 0
 *
 * The VP then advances past the instruction and runs again. -ENOENT when
 * no message with @seq waits (already completed, or the partition was
 * stopped meanwhile).
 */
struct hvcore_complete {
	__u32 size;
	__u32 flags;
	__u64 seq;
	__u64 data;
	__u32 eax;
	__u32 ebx;
	__u32 ecx;
	__u32 edx;
	__u64 reserved[4];
};

#define HVCORE_COMPLETE_SIZE_VER0	72

/**
 * struct hvcore_attach - HVCORE_ATTACH_WORKER: this fd serves the messages
 * @size:	sizeof(struct hvcore_attach)
 * @flags:	must be 0
 * @reserved:	must be 0
 *
 * One worker per partition (-EBUSY while another fd is attached). Without
 * a worker, an intercept that needs one crashes the partition with
 * HVCORE_CRASH_NO_WORKER; closing the worker fd while VPs wait crashes it
 * with HVCORE_CRASH_WORKER_GONE.
 */
struct hvcore_attach {
	__u32 size;
	__u32 flags;
	__u64 reserved[3];
};

#define HVCORE_ATTACH_SIZE_VER0	32

/*
 * Hypercalls (VMMCALL on AMD, VMCALL on Intel) in the Hyper-V TLFS
 * register convention: RCX = code [15:0] | fast [16] | rep count [43:32]
 * | rep start [59:48]; RDX = input GPA (or value when fast); R8 = output
 * GPA (or value); RAX = status [15:0] | reps completed [43:32].
 * Codes 0x7f00-0x7fff are hvcore's own, a range the TLFS leaves unused
 * (its extended hypercalls start at 0x8001); Documentation/hypercalls.rst.
 */
#define HVCORE_HVCALL_NOTIFY_LONG_SPIN_WAIT	0x0008
#define HVCORE_HVCALL_NULL		0x7f01	/* does nothing; fast */
#define HVCORE_HVCALL_GET_VP_INDEX	0x7f02	/* fast: RDX out; slow: u32 at output GPA */
#define HVCORE_HVCALL_GUEST_LOG		0x7f03	/* input GPA: u32 len, u32 0, bytes */
#define HVCORE_HVCALL_SET_VP_ENTRY	0x7f04	/* fast: RDX entry, R8 0; slow: u64 entry, u64 0 */

#define HVCORE_HV_STATUS_SUCCESS		0x0000
#define HVCORE_HV_STATUS_INVALID_HYPERCALL_CODE	0x0002
#define HVCORE_HV_STATUS_INVALID_HYPERCALL_INPUT	0x0003
#define HVCORE_HV_STATUS_INVALID_ALIGNMENT	0x0004
#define HVCORE_HV_STATUS_INVALID_PARAMETER	0x0005

/* CPUID 0x40000000: EBX, ECX, EDX spell this vendor string */
#define HVCORE_CPUID_VENDOR	"hvcore Linux"

/**
 * struct hvcore_policy - HVCORE_SET_POLICY / HVCORE_GET_POLICY: CPU policy
 * @size:	sizeof(struct hvcore_policy)
 * @flags:	HVCORE_POLICY_* (GET: 0 on input, the partition's on output)
 * @weight:	share under contention, HVCORE_WEIGHT_MIN..MAX (default
 *		100): the partition gets weight / (sum of the weights of the
 *		partitions that want CPU), however many VPs it has
 * @reserve:	per VP, % of one LP it gets whenever it is ready, 0..100
 *		(default 0); lent to others while unused. SET refuses with
 *		-ENOSPC when the reservations of running partitions would
 *		exceed what the LPs have beyond the root's reservation
 * @cap:	per VP, % of one LP it never exceeds, 1..100 (default 100:
 *		no cap); at least @reserve
 * @reserved:	must be 0
 *
 * Any partition state; on a running partition the change applies within
 * one scheduling period (Documentation/scheduler.rst).
 */
struct hvcore_policy {
	__u32 size;
	__u32 flags;
	__u32 weight;
	__u32 reserve;
	__u32 cap;
	__u32 reserved0;
	__u64 reserved[4];
};

#define HVCORE_POLICY_SIZE_VER0	56
/*
 * struct hvcore_policy.flags: I/O boost. A VP woken from HLT by an injected
 * interrupt or NMI runs before the VPs of the normal class on its LP,
 * preempting the one running there, unless it is already a slice or more
 * ahead of them in weighted run time (Documentation/scheduler.rst).
 */
#define HVCORE_POLICY_IO_BOOST	(1U << 0)
#define HVCORE_WEIGHT_MIN	1
#define HVCORE_WEIGHT_DEFAULT	100
#define HVCORE_WEIGHT_MAX	10000

/* struct hvcore_add_vp.flags */
#define HVCORE_ADD_VP_ENTRY	(1U << 0)	/* start at @rip, not the guest's entry */

/**
 * struct hvcore_add_vp - HVCORE_ADD_VP: one more VP (hot-add)
 * @size:	sizeof(struct hvcore_add_vp)
 * @flags:	HVCORE_ADD_VP_*
 * @vp_index:	out: the new VP's index (the old VP count); must be 0 on input
 * @reserved0:	must be 0
 * @rip:	with HVCORE_ADD_VP_ENTRY: where the new VP starts; must be 0
 *		without it (the VP then starts at the entry the guest gave
 *		with HVCORE_HVCALL_SET_VP_ENTRY, -ENOENT if none)
 * @reserved:	must be 0
 *
 * Allowed while the partition is off, running or paused (-EBUSY
 * otherwise), up to HVCORE_MAX_VPS VPs (-EINVAL beyond). The new VP takes
 * the mode VP 0 is in (control registers, EFER, segments, descriptor
 * tables, PAT, XCR0) with RIP = the entry, RDI = @vp_index, RFLAGS = 2 and
 * the other GPRs 0. It runs at once in a running partition, on RESUME in a
 * paused one and on START in one that is off. A partition that holds a CPU
 * reservation must have room for the new VP's (-ENOSPC).
 */
struct hvcore_add_vp {
	__u32 size;
	__u32 flags;
	__u32 vp_index;
	__u32 reserved0;
	__u64 rip;
	__u64 reserved[4];
};

#define HVCORE_ADD_VP_SIZE_VER0	56

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
#define HVCORE_GET_REGS		_IOWR(HVCORE_IOCTL_TYPE, 0x43, struct hvcore_regs)
#define HVCORE_SET_REGS		_IOW(HVCORE_IOCTL_TYPE, 0x44, struct hvcore_regs)
#define HVCORE_VP_INFO		_IOWR(HVCORE_IOCTL_TYPE, 0x45, struct hvcore_vp_info)
#define HVCORE_CONTROL		_IOW(HVCORE_IOCTL_TYPE, 0x46, struct hvcore_control)
#define HVCORE_SET_CPUID	_IOW(HVCORE_IOCTL_TYPE, 0x47, struct hvcore_cpuid)
#define HVCORE_GET_CPUID	_IOWR(HVCORE_IOCTL_TYPE, 0x48, struct hvcore_cpuid)
#define HVCORE_SET_MSR_INTERCEPT _IOW(HVCORE_IOCTL_TYPE, 0x49, struct hvcore_msr_intercept)
#define HVCORE_INJECT		_IOW(HVCORE_IOCTL_TYPE, 0x4a, struct hvcore_inject)
#define HVCORE_ATTACH_WORKER	_IOW(HVCORE_IOCTL_TYPE, 0x4b, struct hvcore_attach)
#define HVCORE_COMPLETE		_IOW(HVCORE_IOCTL_TYPE, 0x4c, struct hvcore_complete)
#define HVCORE_SET_POLICY	_IOW(HVCORE_IOCTL_TYPE, 0x4d, struct hvcore_policy)
#define HVCORE_GET_POLICY	_IOWR(HVCORE_IOCTL_TYPE, 0x4e, struct hvcore_policy)
#define HVCORE_ADD_VP		_IOWR(HVCORE_IOCTL_TYPE, 0x4f, struct hvcore_add_vp)

#endif /* _UAPI_LINUX_HVCORE_H */
