/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvcore internal interfaces shared by the common code and the vendor
 * backends (svm.c, vmx.c).
 */
#ifndef _HVCORE_HVCORE_H
#define _HVCORE_HVCORE_H

#include <linux/types.h>
#include <linux/hvcore.h>

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

#endif /* _HVCORE_HVCORE_H */
