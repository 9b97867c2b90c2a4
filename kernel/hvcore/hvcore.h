/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvcore internal interfaces shared by the common code and the vendor
 * backends (svm.c, vmx.c).
 */
#ifndef _HVCORE_HVCORE_H
#define _HVCORE_HVCORE_H

#include <linux/bitmap.h>
#include <linux/hrtimer.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/pid.h>
#include <linux/types.h>
#include <linux/hvcore.h>
#include <asm/fpu/xcr.h>

/* Refused user input: the errno says what, this one rate-limited line why. */
#define hv_bad_input(fmt, ...)						\
	pr_info_ratelimited("%s[%d]: " fmt "\n", current->comm,	\
			    task_pid_nr(current), ##__VA_ARGS__)

/* EFER and CR4 bits a guest may set (SET_REGS, WRMSR EFER) */
#define HV_EFER_GUEST		(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX)
#define HV_CR4_GUEST		(X86_CR4_VME | X86_CR4_PVI | X86_CR4_TSD | X86_CR4_DE | \
				 X86_CR4_PSE | X86_CR4_PAE | X86_CR4_MCE | X86_CR4_PGE | \
				 X86_CR4_PCE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | \
				 X86_CR4_FSGSBASE | X86_CR4_PCIDE | X86_CR4_OSXSAVE | \
				 X86_CR4_SMEP | X86_CR4_SMAP | X86_CR4_UMIP)
#define HV_PAT_POWER_ON		0x0007040600070406ULL
#define HV_DR6_INIT		0xffff0ff0ULL
#define HV_DR7_INIT		0x400ULL

/* The size in an ioctl number is not used: the struct's size field is. */
#define HV_IOC_NOSIZE(cmd)	((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT))

/* Bounds the LIST ioctl's buffer; far above any real host's partitions. */
#define HVCORE_MAX_PARTITIONS	65536

/**
 * struct hv_features - what the vendor probe found, published read-only
 * @vendor:	HVCORE_VENDOR_SVM or HVCORE_VENDOR_VMX
 * @bits:	HVCORE_SVM_* or HVCORE_VMX_* from the uapi header
 * @nr_asids:	SVM: CPUID 0x8000000A EBX; VMX: 65536 with VPID, else 0
 * @vmcs_revision: VMX only: IA32_VMX_BASIC[30:0]
 * @vmcs_size:	VMX only: bytes of a VMXON/VMCS region, IA32_VMX_BASIC[44:32]
 */
struct hv_features {
	u32 vendor;
	u64 bits;
	u32 nr_asids;
	u32 vmcs_revision;
	u32 vmcs_size;
};

/**
 * struct hv_lp - a logical processor as hvcore sees it
 * @cpu:	Linux CPU number
 * @enabled:	hvcore holds SVM/VMX on this CPU (the dispatcher checks it
 *		with interrupts off before every guest entry)
 * @vendor_page: SVM host save area or VMXON region, owned by the backend
 * @vendor_page2: SVM: where VMSAVE keeps the host's FS/GS/TR/syscall state
 * @slice_timer: ends the current VP's time slice
 * @slice_over:	set by @slice_timer
 * @current_vp:	VP dispatched here, or NULL
 * @asid_next:	next ASID/VPID to hand out on this LP
 * @asid_gen:	generation of the ASIDs handed out; bumped (with a full TLB
 *		flush) when they run out
 * @total_ns:	hvcore's run time here: VPs' slices, and choosing them
 * @guest_ns:	of which in guest mode
 * @hv_ns:	of which not: world switches, exits, the scheduler
 * @rq:		ready VPs homed here, under hv_sched_lock
 * @min_vtime:	floor of the vtimes on @rq (sched.c), under hv_sched_lock
 * @idle:	the dispatcher found nothing it may run; sleeps until cleared
 * @period_timer: wakes the dispatcher at the next period when it idles
 *		with capped VPs or for the root reservation
 * @period:	the scheduling period @period_busy_ns belongs to
 * @period_busy_ns: time VPs ran here in @period
 * @up_since:	ktime_get_ns() when hvcore last took the LP (0: not now)
 * @up_idle_ns:	the CPU's idle time (hv_cpu_idle_ns()) at @up_since
 * @busy_ns:	the CPU's busy time in the earlier spans hvcore held it
 */
struct hv_lp {
	unsigned int cpu;
	bool enabled;
	struct page *vendor_page;
	struct page *vendor_page2;
	struct hrtimer slice_timer;
	bool slice_over;
	struct hv_vp *current_vp;
	u32 asid_next;
	u64 asid_gen;
	u64 total_ns;
	u64 guest_ns;
	u64 hv_ns;
	struct list_head rq;
	u64 min_vtime;
	bool idle;
	struct hrtimer period_timer;
	u64 period;
	u64 period_busy_ns;
	u64 up_since;
	u64 up_idle_ns;
	u64 busy_ns;
};

struct hv_partition;

/* What a guest exit needs from the common code (DESIGN.md section 3). */
enum hv_exit_reason {
	HV_X_NONE,		/* handled by the backend: just enter again */
	HV_X_CPUID,
	HV_X_MSR_READ,
	HV_X_MSR_WRITE,
	HV_X_IO,
	HV_X_NPF,
	HV_X_HLT,
	HV_X_HYPERCALL,
	HV_X_INTR_WINDOW,
	HV_X_EXTINT,
	HV_X_NMI,
	HV_X_TIMER,		/* the backend's own guest time limit ran out */
	HV_X_XSETBV,
	HV_X_UD,		/* an instruction the guest may not use: #UD */
	HV_X_GP,		/* the backend refused the instruction: #GP(0) */
	HV_X_UD_FAULT,		/* the guest raised #UD: a hypercall of the other vendor? */
	HV_X_PAUSE,
	HV_X_NOP,		/* skip the instruction (INVD) */
	HV_X_SHUTDOWN,
	HV_X_INVALID,		/* VM entry refused the guest state */
	HV_X_UNKNOWN,
};

/**
 * struct hv_exit - one guest exit in vendor-neutral terms
 * @reason:	HV_X_*
 * @code:	the vendor's exit code, for crash reports
 * @next_rip:	RIP of the next instruction where the hardware or a known
 *		length says so; 0 when unknown
 * @io:		HV_X_IO: @port, @len (1/2/4), @in, @string, @rep
 * @npf:	HV_X_NPF: @gpa, @write, @fetch, @walk (the guest's own page walk)
 */
struct hv_exit {
	u32 reason;
	u64 code;
	u64 next_rip;
	union {
		struct {
			u16 port;
			u8 len;
			bool in;
			bool string;
			bool rep;
		} io;
		struct {
			u64 gpa;
			bool write;
			bool fetch;
			bool walk;
		} npf;
	};
};

/* struct hv_vp.msg_state */
enum { HV_MSG_IDLE, HV_MSG_QUEUED, HV_MSG_READ };

/*
 * Hypercalls counted by code, per VP (sysfs partitions/<id>/vps/<n>/
 * hypercalls/): the codes hvcore implements, and every call refused
 * before it ran (unknown code, bad control bits, CPL > 0 excepted: that
 * is a #UD, not a hypercall).
 */
enum hv_hc_stat {
	HV_HCS_NOTIFY_LONG_SPIN_WAIT, HV_HCS_NULL, HV_HCS_GET_VP_INDEX,
	HV_HCS_GUEST_LOG, HV_HCS_SET_VP_ENTRY, HV_HCS_INVALID, HV_HCS_NR
};

/**
 * struct hv_vp - a virtual processor
 * @part:	its partition (the partition owns the VP)
 * @index:	VP number in the partition
 * @state:	HVCORE_VP_*, under hv_sched_lock
 * @paused_state: state to go back to on resume
 * @kick:	leave the LP at the next check (pause, stop, crash, inject)
 * @on_lp:	a dispatcher holds the VP (from pick to put), whatever @state
 *		says; a VP made ready meanwhile is queued by the put
 * @rq_node:	run queue link, under hv_sched_lock
 * @lp:		LP it runs on or last ran on, -1 before the first run
 * @asid:	ASID/VPID on @asid_lp, valid while @asid_gen matches the LP's
 * @asid_lp:	LP @asid belongs to
 * @asid_gen:	LP ASID generation @asid belongs to (0: none)
 * @gpr:	guest GPRs, HVCORE_RAX.., authoritative while not in guest mode
 * @rip:	guest RIP, as @gpr
 * @rflags:	guest RFLAGS, as @gpr
 * @xcr0:	guest XCR0
 * @xsave:	guest x87/SSE/AVX state (XSAVE layout, 64-byte aligned)
 * @arch:	vendor state (VMCB or VMCS)
 * @exit:	the last exit
 * @irr:	interrupts waiting for delivery, one bit per vector
 * @exc_pending: an exception to inject at the next entry
 * @exc_vector:	its vector
 * @exc_has_err: whether it pushes @exc_err
 * @exc_err:	its error code
 * @nmi_pending: an NMI to inject
 * @msg_state:	HV_MSG_*, under the partition's @msg_lock
 * @msg_node:	link in the partition's message queue
 * @msg:	the message this VP waits on
 * @msg_next_rip: where the VP resumes once the message is completed
 * @mmio_reg:	MMIO read: destination GPR, or -1
 * @mmio_sext:	MMIO read: sign-extend into the register
 * @mmio_dst_len: MMIO read: bytes written into the register
 * @total_ns:	counters reported by HVCORE_VP_INFO
 * @guest_ns:	"
 * @dispatches:	"
 * @migrations:	"
 * @exits:	"
 * @hypercalls:	"
 * @injected:	"
 * @ready_since: local_clock() when it became ready
 * @home:	LP whose run queue holds it (-1: not placed yet), hv_sched_lock
 * @vtime:	weighted run time on @home's clock (sched.c), hv_sched_lock
 * @period:	the scheduling period @period_ns belongs to
 * @period_ns:	LP time used in @period (cap budget)
 * @period_res_ns: of which in the reserved class (reservation budget)
 * @cap_debt:	run past the cap budget in the period before @period
 * @res_debt:	run past the reservation budget in the period before @period
 * @slice_reserved: the current slice was given in the reserved class
 * @wait_ns:	time ready but not running, summed over dispatches
 * @period_partial: it was not ready for the whole of @period
 * @reserve_missed: periods it was ready throughout but ran less than its
 *		reservation (less 0.5 % of the period)
 * @boost:	woken by an interrupt with I/O boost on: runs next, hv_sched_lock
 * @wait_hist:	@wait_ns per dispatch, log2 buckets (HVCORE_VP_INFO)
 * @hc_calls:	hypercalls by code (enum hv_hc_stat), sysfs
 * @irq_since:	ktime_get_ns() when each vector of @irr became pending
 * @nmi_since:	same for @nmi_pending
 * @irq_pending_ns: time delivered interrupts and NMIs spent pending
 */
struct hv_vp {
	struct hv_partition *part;
	u32 index;
	u32 state;
	u32 paused_state;
	bool kick;
	bool on_lp;
	struct list_head rq_node;
	int lp;
	u32 asid;
	int asid_lp;
	u64 asid_gen;
	u64 gpr[HVCORE_NR_GPRS];
	u64 rip;
	u64 rflags;
	u64 xcr0;
	void *xsave;
	void *arch;
	struct hv_exit exit;
	DECLARE_BITMAP(irr, 256);
	bool exc_pending;
	u8 exc_vector;
	bool exc_has_err;
	u32 exc_err;
	bool nmi_pending;
	int msg_state;
	struct list_head msg_node;
	struct hvcore_message msg;
	u64 msg_next_rip;
	int mmio_reg;
	bool mmio_sext;
	u8 mmio_dst_len;
	u64 total_ns;
	u64 guest_ns;
	u64 dispatches;
	u64 migrations;
	u64 exits[HVCORE_NR_EXIT_KINDS];
	u64 hypercalls;
	u64 injected;
	u64 ready_since;
	int home;
	u64 vtime;
	u64 period;
	u64 period_ns;
	u64 period_res_ns;
	u64 cap_debt;
	u64 res_debt;
	bool slice_reserved;
	u64 wait_ns;
	bool period_partial;
	u64 reserve_missed;
	bool boost;
	u64 wait_hist[HVCORE_WAIT_HIST_BUCKETS];
	u64 hc_calls[HV_HCS_NR];
	u64 irq_since[256];
	u64 nmi_since;
	u64 irq_pending_ns;
};

/**
 * struct hv_npt - nested page tables (NPT or EPT) of a partition
 * @lock:	serialises changes
 * @root:	top-level table, NULL until the partition first starts
 * @tables:	every table page, to free them
 * @nr_tables:	entries of @tables
 * @mapped_2m:	2 MiB mappings made
 * @mapped_4k:	4 KiB mappings made
 */
struct hv_npt {
	struct mutex lock;	/* see @lock above */
	u64 *root;
	struct page **tables;
	unsigned long nr_tables;
	unsigned long mapped_2m;
	unsigned long mapped_4k;
};

/* hv_arch_ops.npt_ad() */
#define HV_NPT_ACCESSED	1
#define HV_NPT_DIRTY	2

/* Event types for hv_arch_ops.inject() */
enum { HV_EV_INTR, HV_EV_NMI, HV_EV_EXCEPTION };

/**
 * struct hv_arch_ops - the seam between common code and SVM or VMX
 * @name:	"svm" or "vmx", also the sysfs vendor string
 * @ext:	"SVM" or "VMX", for messages
 * @rival:	the other hypervisor most likely to hold the extension
 * @probe:	check the boot CPU; fill @f. -ENODEV when the extension is
 *		absent or disabled by firmware, with one dmesg line saying which.
 * @cpu_enable:	take the extension on the current CPU, @lp->cpu, with
 *		interrupts off; @lp->vendor_page is a zeroed page of that
 *		CPU's node. -EBUSY when another hypervisor holds it.
 * @cpu_disable: give it back on the current CPU, with interrupts off
 *		(hotplug or the reboot IPI); only called after a successful
 *		@cpu_enable.
 * @init:	allocate what the backend shares between VPs (module load)
 * @exit:	free it (module unload)
 * @vp_create:	allocate and initialise @vp->arch, reset state
 * @vp_destroy:	free @vp->arch
 * @vp_reset:	architectural reset state (the VP is not running)
 * @get_regs:	read registers other than @vp->gpr/rip/rflags into @r
 * @set_regs:	write them; -EINVAL (with one dmesg line) for values the
 *		hardware could never run
 * @load:	optional: @vp is about to enter the guest on @lp, in a section
 *		with preemption off that ends with @put (VMX: VMPTRLD)
 * @put:	optional: end of that section (VMX: VMCLEAR); the backend's
 *		state must be readable from any CPU afterwards
 * @run:	enter the guest once on @lp with interrupts off, fill
 *		@vp->exit; the NPT root is @npt_pa
 * @npt_freed:	optional: a partition's nested tables were freed; drop
 *		whatever the hardware cached from them
 * @cpl:	current privilege level of the guest
 * @clear_shadow: drop the interrupt shadow (after skipping an instruction)
 * @intr_allowed: the guest can take an external interrupt now
 * @intr_window: ask (or stop asking) for an exit when it can
 * @inject:	queue an event for the next entry; false if one is queued
 * @npt_entry:	the nested page table entry mapping @pa (leaf: @level 1 for
 *		4 KiB, 2 for 2 MiB; non-leaf: @level 0)
 * @npt_ad:	HV_NPT_ACCESSED and/or HV_NPT_DIRTY as leaf entry @e says
 *		(both when the hardware does not track them)
 * @get_efer:	guest EFER as the guest sees it
 * @set_efer:	WRMSR EFER by the guest; false to refuse (#GP)
 * @msr_pat:	guest PAT access; false to refuse a write
 */
struct hv_arch_ops {
	const char *name;
	const char *ext;
	const char *rival;
	int (*probe)(struct hv_features *f);
	int (*cpu_enable)(struct hv_lp *lp, const struct hv_features *f);
	void (*cpu_disable)(struct hv_lp *lp);
	int (*init)(void);
	void (*exit)(void);
	int (*vp_create)(struct hv_vp *vp);
	void (*vp_destroy)(struct hv_vp *vp);
	void (*vp_reset)(struct hv_vp *vp);
	void (*get_regs)(struct hv_vp *vp, struct hvcore_regs *r);
	int (*set_regs)(struct hv_vp *vp, const struct hvcore_regs *r);
	void (*load)(struct hv_vp *vp, struct hv_lp *lp);
	void (*put)(struct hv_vp *vp);
	void (*run)(struct hv_vp *vp, struct hv_lp *lp, u64 npt_pa);
	void (*npt_freed)(void);
	int (*cpl)(struct hv_vp *vp);
	void (*clear_shadow)(struct hv_vp *vp);
	bool (*intr_allowed)(struct hv_vp *vp);
	void (*intr_window)(struct hv_vp *vp, bool on);
	bool (*inject)(struct hv_vp *vp, int type, u8 vector, bool has_err, u32 err);
	u64 (*npt_entry)(u64 pa, int level);
	unsigned int (*npt_ad)(u64 e);
	u64 (*get_efer)(struct hv_vp *vp);
	bool (*set_efer)(struct hv_vp *vp, u64 efer);
	bool (*msr_pat)(struct hv_vp *vp, bool write, u64 *val);
};

/**
 * struct hv_memory - machine memory behind guest-physical [0, bytes)
 * @bytes:	guest memory size; 0 while nothing is allocated
 * @nr_pages:	entries of @pages in use
 * @pages:	the 4 KiB page behind each guest frame
 * @pages_2m:	2 MiB guest ranges backed by one aligned 2 MiB chunk
 * @off_node:	pages that came from another node than @node
 * @node:	requested NUMA node or NUMA_NO_NODE
 */
struct hv_memory {
	u64 bytes;
	unsigned long nr_pages;
	struct page **pages;
	unsigned long pages_2m;
	unsigned long off_node;
	int node;
};

struct hv_part_dir;
struct hv_vps_dir;
struct kobject;
struct poll_table_struct;

/**
 * struct hv_partition - a child partition
 * @ref:	see partition.c for who holds references
 * @id:		registry id, > 0
 * @name:	unique name
 * @lock:	serialises @state, @mem and @numa_node
 * @state:	HVCORE_STATE_*
 * @deleted:	taken out of the registry; the fd only answers -ENODEV
 * @numa_node:	configured node or NUMA_NO_NODE
 * @mem:	guest memory
 * @nr_mmaps:	live mappings of @mem (CONFIGURE is refused while mapped)
 * @dir:	sysfs directory partitions/<id>
 * @vps_dir:	its vps/ (sysfs_vp.c), hv_partitions_lock
 * @nr_vps:	VPs in @vps. Hot-add raises it under @lock and hv_sched_lock
 *		both, so either is enough to read it; CONFIGURE changes it
 *		under @lock while the partition is off and no run queue
 *		holds its VPs
 * @vps:	the VPs, room for HVCORE_MAX_VPS
 * @nr_running:	VPs on an LP now, under hv_sched_lock
 * @run_wq:	woken when @nr_running drops to 0
 * @npt:	nested page tables
 * @crash_reason: HVCORE_CRASH_* (state CRASHED)
 * @crash_info:	detail
 * @crash_rip:	RIP of @crash_vp at the crash
 * @crash_vp:	VP that crashed the partition
 * @exit_code:	given to the last STOP
 * @cpuid:	CPUID policy entries (partition off to change)
 * @nr_cpuid:	entries in @cpuid
 * @msr_fwd:	MSRs forwarded to the worker
 * @nr_msr_fwd:	entries in @msr_fwd
 * @msg_lock:	protects the message queue, @worker, @seq and VPs' @msg_state
 * @msgs:	queued messages (VPs' @msg_node)
 * @msg_wq:	readers and pollers
 * @worker:	the file attached as worker, or NULL
 * @seq:	last message sequence number
 * @state_msg:	a STATE message is pending for the worker
 * @guest_os_id: TLFS guest OS ID MSR, as the guest wrote it
 * @hypercall_msr: TLFS hypercall MSR, as the guest wrote it
 * @weight:	CPU weight 1..10000 (struct hvcore_policy), hv_sched_lock
 * @reserve:	per VP, % of one LP guaranteed while ready, hv_sched_lock
 * @cap:	per VP, % of one LP never exceeded (100: none), hv_sched_lock
 * @policy_flags: HVCORE_POLICY_*, hv_sched_lock
 * @placed_off_node: VP placements on an LP outside @numa_node
 * @reserve_held: % of an LP its VPs' reservations hold while it runs
 * @vp_entry:	where hot-added VPs start (HVCORE_HVCALL_SET_VP_ENTRY),
 *		hv_sched_lock
 * @vp_entry_set: the guest gave @vp_entry in this run, hv_sched_lock
 */
struct hv_partition {
	struct kref ref;
	u32 id;
	char name[HVCORE_NAME_MAX];
	struct mutex lock;	/* see @lock above */
	u32 state;
	bool deleted;
	int numa_node;
	struct hv_memory mem;
	atomic_t nr_mmaps;
	struct hv_part_dir *dir;
	struct hv_vps_dir *vps_dir;
	u32 nr_vps;
	struct hv_vp **vps;
	u32 nr_running;
	wait_queue_head_t run_wq;
	struct hv_npt npt;
	u32 crash_reason;
	u64 crash_info;
	u64 crash_rip;
	u32 crash_vp;
	u32 exit_code;
	struct hvcore_cpuid_entry *cpuid;
	u32 nr_cpuid;
	u32 msr_fwd[HVCORE_MAX_MSR_INTERCEPTS];
	u32 nr_msr_fwd;
	spinlock_t msg_lock;	/* see @msg_lock above */
	struct list_head msgs;
	wait_queue_head_t msg_wq;
	struct file *worker;
	u64 seq;
	bool state_msg;
	u64 guest_os_id;
	u64 hypercall_msr;
	u32 weight;
	u32 reserve;
	u32 cap;
	u32 policy_flags;
	u64 placed_off_node;
	u64 reserve_held;
	u64 vp_entry;
	bool vp_entry_set;
};

/* What the exit handlers tell the dispatcher */
enum hv_action {
	HV_RESUME,		/* enter the guest again */
	HV_BLOCK,		/* the VP waits (HLT, a message); leave the LP */
	HV_YIELD,		/* end the slice, stay ready */
	HV_NPF_SLOW,		/* populate nested page tables (may sleep) */
	HV_STOPPED,		/* the partition crashed or stopped */
};

extern const struct hv_arch_ops hv_svm_ops;
extern const struct hv_arch_ops hv_vmx_ops;

extern struct hv_features hv_features;
extern const struct hv_arch_ops *hv_arch;

unsigned int hv_lp_enabled_count(void);
struct hv_lp *hv_lp_get(unsigned int cpu);

int hv_sysfs_init(void);
void hv_sysfs_exit(void);

int hv_pmu_init(void);
void hv_pmu_exit(void);

int hv_dev_init(void);
void hv_dev_exit(void);

int hv_args_in(void *karg, size_t ksize, void __user *uarg, u32 min_size,
	       const char *what, u32 *usize);
int hv_args_out(void __user *uarg, void *karg, size_t ksize, u32 usize);
int hv_args_check(const char *what, u32 flags, u32 known, const void *reserved,
		  size_t len);
int hv_args_zero(const char *what, const void *reserved, size_t len);

unsigned long hv_memory_pages_held(void);
int hv_memory_alloc(struct hv_memory *m, u64 bytes, int node);
void hv_memory_free(struct hv_memory *m);
struct page *hv_memory_page(const struct hv_memory *m, u64 gpa);
int hv_memory_load(const struct hv_memory *m, u64 gpa, const void __user *src, u64 len);

long hv_partition_dev_ioctl(unsigned int cmd, void __user *uarg);
struct hv_partition *hv_partition_get(u32 id);
void hv_partition_put(struct hv_partition *p);
void hv_partitions_exit(void);

/* sched.c: run queue and VP states; hv_sched_lock guards both */
extern spinlock_t hv_sched_lock;
int hv_dispatch_init(void);
unsigned int hv_slice_us(void);
void hv_dispatch_exit(void);
void hv_lp_online(struct hv_lp *lp);
void hv_vp_make_ready_locked(struct hv_vp *vp);
void hv_vp_wake_locked(struct hv_vp *vp, bool irq);
void hv_vp_kick(struct hv_vp *vp);
void hv_vps_stop_locked(struct hv_partition *p, u32 state);
void hv_partition_wait_idle(struct hv_partition *p);
void hv_lp_offline(struct hv_lp *lp);
u64 hv_lp_root_ns(struct hv_lp *lp);
u64 hv_period_ns(void);
int hv_sched_admit_locked(struct hv_partition *p, u32 reserve, const char *what);
void hv_sched_release_locked(struct hv_partition *p);
long hv_policy_ioctl(struct hv_partition *p, unsigned int cmd, void __user *uarg);

/* vp.c */
int hv_vps_create(struct hv_partition *p, u32 count);
struct hv_vp *hv_vp_new(struct hv_partition *p, u32 index);
void hv_vp_free(struct hv_vp *vp);
int hv_vp_start_like(struct hv_vp *vp, struct hv_vp *model, u64 rip);
void hv_vps_destroy(struct hv_partition *p);
void hv_vp_reset(struct hv_vp *vp);
long hv_vp_ioctl(struct hv_partition *p, unsigned int cmd, void __user *uarg);
void hv_vp_queue_exception(struct hv_vp *vp, u8 vector, bool has_err, u32 err);
void hv_vp_inject_pending(struct hv_vp *vp);
void hv_vp_skip(struct hv_vp *vp);
bool hv_vp_asid(struct hv_vp *vp, struct hv_lp *lp);
bool hv_regs_valid(const struct hvcore_regs *r);
bool hv_pat_valid(u64 pat);
int hv_fpu_init(void);
void hv_fpu_load(struct hv_vp *vp);
void hv_fpu_save(struct hv_vp *vp);
void hv_xcr0_enter(struct hv_vp *vp);
void hv_xcr0_exit(struct hv_vp *vp);
bool hv_xcr0_valid(u64 xcr0);
u64 hv_guest_xcr0_max(void);
extern u64 hv_host_xcr0;

/* exit.c */
enum hv_action hv_handle_exit(struct hv_vp *vp);
void hv_partition_crash(struct hv_vp *vp, u32 reason, u64 info);
u64 hv_gpr_read(struct hv_vp *vp, int reg, int len);
void hv_gpr_write(struct hv_vp *vp, int reg, int len, u64 val);

/* cpuid.c, msr.c, hypercall.c */
void hv_cpuid(struct hv_vp *vp, u32 fn, u32 idx, u32 out[4]);
const struct hvcore_cpuid_entry *hv_cpuid_find(struct hv_partition *p, u32 fn, u32 idx);
long hv_cpuid_ioctl(struct hv_partition *p, unsigned int cmd, void __user *uarg);
long hv_msr_intercept_ioctl(struct hv_partition *p, void __user *uarg);
bool hv_msr_forwarded(struct hv_partition *p, u32 msr);
extern const u32 hv_msr_passthrough[];
extern const unsigned int hv_nr_msr_passthrough;
void *hv_fpu_alloc(void);
void hv_fpu_reset(void *area);
bool hv_msr_read(struct hv_vp *vp, u32 msr, u64 *val);
bool hv_msr_write(struct hv_vp *vp, u32 msr, u64 val);
enum hv_action hv_hypercall(struct hv_vp *vp);

/* channel.c: the worker's message stream */
enum hv_action hv_msg_send(struct hv_vp *vp, u64 next_rip);
long hv_channel_ioctl(struct file *file, struct hv_partition *p, unsigned int cmd,
		      void __user *uarg);
ssize_t hv_channel_read(struct file *file, char __user *buf, size_t len, loff_t *off);
__poll_t hv_channel_poll(struct file *file, struct poll_table_struct *wait);
void hv_channel_release(struct file *file, struct hv_partition *p);
void hv_channel_flush(struct hv_partition *p);
void hv_channel_state_changed(struct hv_partition *p);

/* emulate.c: guest memory through the guest's page tables, MOV decode */
int hv_guest_fetch(struct hv_vp *vp, const struct hvcore_regs *r, u8 *buf, int len);
int hv_decode_mmio(struct hv_vp *vp, const struct hvcore_regs *r, const u8 *insn, int len,
		   bool *write, u8 *size, u64 *wdata);
int hv_gpa_read(struct hv_partition *p, u64 gpa, void *buf, u32 len);
int hv_gpa_write(struct hv_partition *p, u64 gpa, const void *buf, u32 len);

/* npt.c */
int hv_npt_init(struct hv_partition *p);
void hv_npt_free(struct hv_npt *npt);
int hv_npt_map(struct hv_partition *p, u64 gpa);
u64 hv_npt_root_pa(struct hv_partition *p);
void hv_npt_count(struct hv_npt *npt, u64 *mapped, u64 *accessed, u64 *dirty);

int hv_sysfs_partition_add(struct hv_partition *p);
void hv_sysfs_partition_remove(struct hv_partition *p);
void hv_sysfs_vps_sync(struct hv_partition *p);
int hv_sysfs_vps_add(struct hv_partition *p, struct kobject *parent);
void hv_sysfs_vps_remove(struct hv_partition *p);
u32 hv_vp_irqs_pending(const struct hv_vp *vp);

#endif /* _HVCORE_HVCORE_H */
