/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvcore internal interfaces shared by the common code and the vendor
 * backends (svm.c, vmx.c).
 */
#ifndef _HVCORE_HVCORE_H
#define _HVCORE_HVCORE_H

#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/pid.h>
#include <linux/types.h>
#include <linux/hvcore.h>

/* Refused user input: the errno says what, this one rate-limited line why. */
#define hv_bad_input(fmt, ...)						\
	pr_info_ratelimited("%s[%d]: " fmt "\n", current->comm,	\
			    task_pid_nr(current), ##__VA_ARGS__)

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
 * @enabled:	hvcore holds SVM/VMX on this CPU
 * @vendor_page: SVM host save area or VMXON region, owned by the backend
 */
struct hv_lp {
	unsigned int cpu;
	bool enabled;
	struct page *vendor_page;
};

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
 */
struct hv_arch_ops {
	const char *name;
	const char *ext;
	const char *rival;
	int (*probe)(struct hv_features *f);
	int (*cpu_enable)(struct hv_lp *lp, const struct hv_features *f);
	void (*cpu_disable)(struct hv_lp *lp);
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
};

extern const struct hv_arch_ops hv_svm_ops;
extern const struct hv_arch_ops hv_vmx_ops;

extern struct hv_features hv_features;
extern const struct hv_arch_ops *hv_arch;

unsigned int hv_lp_enabled_count(void);
struct hv_lp *hv_lp_get(unsigned int cpu);

int hv_sysfs_init(void);
void hv_sysfs_exit(void);

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
void hv_partition_put(struct hv_partition *p);
void hv_partitions_exit(void);

int hv_sysfs_partition_add(struct hv_partition *p);
void hv_sysfs_partition_remove(struct hv_partition *p);

#endif /* _HVCORE_HVCORE_H */
