// SPDX-License-Identifier: GPL-2.0
/*
 * hvcore module entry: pick the vendor backend, take SVM/VMX on every
 * online logical processor for as long as the module is loaded, and
 * publish what was found.
 *
 * Ownership model: hvcore holds the virtualization extension on all online
 * CPUs from load to unload (like KVM with enable_virt_at_load=1), so that
 * another hypervisor can neither take it away underneath us nor be taken
 * by surprise: whichever loads second gets -EBUSY.
 */
#define pr_fmt(fmt) "hvcore: " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/gfp.h>
#include <linux/module.h>
#include <linux/reboot.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>

#include "hvcore.h"

struct hv_features hv_features;
const struct hv_arch_ops *hv_arch;

static struct hv_lp **hv_lps;
static enum cpuhp_state hv_cpuhp_state;
static bool hv_rebooting;

/**
 * hv_lp_get() - the hvcore view of a Linux CPU
 * @cpu: a possible CPU number
 *
 * Return: the logical processor, valid while the module is loaded.
 */
struct hv_lp *hv_lp_get(unsigned int cpu)
{
	return hv_lps[cpu];
}

/**
 * hv_lp_enabled_count() - logical processors on which hvcore holds SVM/VMX
 *
 * Return: the count at the time of the call (CPU hotplug may change it).
 */
unsigned int hv_lp_enabled_count(void)
{
	unsigned int cpu, n = 0;

	for_each_possible_cpu(cpu)
		n += READ_ONCE(hv_lps[cpu]->enabled);
	return n;
}

/* cpuhp callback: runs in the hotplug thread bound to @cpu. */
static int hv_cpu_online(unsigned int cpu)
{
	struct hv_lp *lp = hv_lps[cpu];
	unsigned long flags;
	int ret;

	if (READ_ONCE(hv_rebooting))
		return 0;

	if (!lp->vendor_page)
		lp->vendor_page = alloc_pages_node(cpu_to_node(cpu),
						   GFP_KERNEL | __GFP_ZERO, 0);
	if (!lp->vendor_page2)
		lp->vendor_page2 = alloc_pages_node(cpu_to_node(cpu),
						    GFP_KERNEL | __GFP_ZERO, 0);
	if (!lp->vendor_page || !lp->vendor_page2)
		return -ENOMEM;

	/*
	 * IRQs off: another hypervisor's enable IPI must not slip between the
	 * backend's "is it free?" and its write, and our reboot IPI must see
	 * lp->enabled change together with the hardware state.
	 */
	local_irq_save(flags);
	ret = hv_arch->cpu_enable(lp, &hv_features);
	if (!ret)
		WRITE_ONCE(lp->enabled, true);
	local_irq_restore(flags);

	if (ret == -EBUSY)
		pr_err("%s is already in use on CPU %u by another hypervisor (%s?); stop it first\n",
		       hv_arch->ext, cpu, hv_arch->rival);
	else if (ret)
		pr_err("cannot enable %s on CPU %u: %d\n", hv_arch->ext, cpu, ret);
	else
		hv_lp_online(lp);
	return ret;
}

/* With IRQs off (IPI or hv_cpu_offline()). */
static void hv_cpu_disable_this(void *unused)
{
	struct hv_lp *lp = hv_lps[smp_processor_id()];

	if (!READ_ONCE(lp->enabled))
		return;
	hv_arch->cpu_disable(lp);
	WRITE_ONCE(lp->enabled, false);
}

static int hv_cpu_offline(unsigned int cpu)
{
	unsigned long flags;

	/* IRQs off, as in the reboot notifier's IPI. */
	local_irq_save(flags);
	hv_cpu_disable_this(NULL);
	local_irq_restore(flags);
	hv_lp_offline(hv_lps[cpu]);
	return 0;
}

/*
 * A kexec'd kernel cannot bring up CPUs left in VMX operation (INIT is
 * blocked there), so give the extension back before any reboot.
 */
static int hv_reboot_notify(struct notifier_block *nb, unsigned long code,
			    void *unused)
{
	WRITE_ONCE(hv_rebooting, true);
	on_each_cpu(hv_cpu_disable_this, NULL, 1);
	return NOTIFY_OK;
}

static struct notifier_block hv_reboot_nb = {
	.notifier_call = hv_reboot_notify,
};

static const struct hv_arch_ops *hv_pick_arch(void)
{
	if (boot_cpu_has(X86_FEATURE_SVM))
		return &hv_svm_ops;
	/* CPUID.1:ECX.VMX[5], raw: Linux hides the flag when firmware locks VMX off. */
	if (cpuid_ecx(1) & BIT(5))
		return &hv_vmx_ops;
	return NULL;
}

static void hv_free_lps(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct hv_lp *lp = hv_lps[cpu];

		if (!lp)
			continue;
		if (lp->vendor_page)
			__free_page(lp->vendor_page);
		if (lp->vendor_page2)
			__free_page(lp->vendor_page2);
		kfree(lp);
	}
	kfree(hv_lps);
	hv_lps = NULL;
}

static int hv_alloc_lps(void)
{
	unsigned int cpu;

	hv_lps = kcalloc(nr_cpu_ids, sizeof(*hv_lps), GFP_KERNEL);
	if (!hv_lps)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		hv_lps[cpu] = kzalloc_node(sizeof(*hv_lps[cpu]), GFP_KERNEL,
					   cpu_to_node(cpu));
		if (!hv_lps[cpu]) {
			hv_free_lps();
			return -ENOMEM;
		}
		hv_lps[cpu]->cpu = cpu;
	}
	return 0;
}

static int __init hvcore_init(void)
{
	int ret;

	hv_arch = hv_pick_arch();
	if (!hv_arch) {
		pr_err("this CPU has neither AMD SVM nor Intel VMX; hvcore cannot run here\n");
		return -ENODEV;
	}
	ret = hv_arch->probe(&hv_features);
	if (ret)
		return ret;

	ret = hv_fpu_init();
	if (ret)
		return ret;
	ret = hv_alloc_lps();
	if (ret)
		return ret;
	ret = hv_arch->init();
	if (ret)
		goto err_lps;
	ret = hv_dispatch_init();
	if (ret)
		goto err_arch;

	register_reboot_notifier(&hv_reboot_nb);

	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "hvcore:online",
				hv_cpu_online, hv_cpu_offline);
	if (ret < 0)
		goto err_reboot;
	hv_cpuhp_state = ret;

	ret = hv_sysfs_init();
	if (ret)
		goto err_cpuhp;
	ret = hv_pmu_init();
	if (ret)
		goto err_sysfs;
	ret = hv_dev_init();
	if (ret)
		goto err_pmu;

	pr_info("%s enabled on %u logical processors\n", hv_arch->name,
		hv_lp_enabled_count());
	return 0;

err_pmu:
	hv_pmu_exit();
err_sysfs:
	hv_sysfs_exit();
err_cpuhp:
	cpuhp_remove_state(hv_cpuhp_state);
err_reboot:
	unregister_reboot_notifier(&hv_reboot_nb);
	hv_dispatch_exit();
err_arch:
	hv_arch->exit();
err_lps:
	hv_free_lps();
	return ret;
}

static void __exit hvcore_exit(void)
{
	hv_dev_exit();
	hv_partitions_exit();
	hv_pmu_exit();
	hv_sysfs_exit();
	cpuhp_remove_state(hv_cpuhp_state);
	unregister_reboot_notifier(&hv_reboot_nb);
	hv_dispatch_exit();
	hv_arch->exit();
	hv_free_lps();
	pr_info("unloaded\n");
}

module_init(hvcore_init);
module_exit(hvcore_exit);

MODULE_DESCRIPTION("hvcore: a Hyper-V-style hypervisor for Linux");
MODULE_LICENSE("GPL");
