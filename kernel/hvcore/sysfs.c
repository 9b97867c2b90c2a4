// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/hvcore: what hvcore found and holds, one value per file.
 * Every file is described in Documentation/ABI/testing/sysfs-hvcore.
 */
#include <linux/cpumask.h>
#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/topology.h>

#include "hvcore.h"

static struct kobject *hv_root_kobj;
static struct kobject *hv_lp_kobj;

static ssize_t vendor_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", hv_arch->name);
}

static struct kobj_attribute vendor_attr = __ATTR_RO(vendor);

static ssize_t api_version_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", HVCORE_API_VERSION);
}

static struct kobj_attribute api_version_attr = __ATTR_RO(api_version);

static ssize_t lps_enabled_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", hv_lp_enabled_count());
}

static struct kobj_attribute lps_enabled_attr = __ATTR_RO(lps_enabled);

static ssize_t memory_pages_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lu\n", hv_memory_pages_held());
}

static struct kobj_attribute memory_pages_attr = __ATTR_RO(memory_pages);

/* What partitions could still get: Linux's MemAvailable, in 4 KiB pages. */
static ssize_t memory_available_pages_show(struct kobject *kobj,
					   struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lu\n", (unsigned long)si_mem_available() << (PAGE_SHIFT - 12));
}

static struct kobj_attribute memory_available_pages_attr = __ATTR_RO(memory_available_pages);

static struct attribute *hv_root_attrs[] = {
	&vendor_attr.attr,
	&api_version_attr.attr,
	&lps_enabled_attr.attr,
	&memory_pages_attr.attr,
	&memory_available_pages_attr.attr,
	NULL,
};

static const struct attribute_group hv_root_group = {
	.attrs = hv_root_attrs,
};

/*
 * features/: a boolean file per feature bit of the detected vendor, and a
 * few numbers. Files of the other vendor are hidden rather than reading 0,
 * so that "absent" and "not applicable" are never confused.
 */
struct hv_feat_attr {
	struct kobj_attribute kattr;
	u32 vendor;
	u64 bit;		/* 0: a numeric file, see hv_feat_show() */
};

static ssize_t hv_feat_show(struct kobject *kobj, struct kobj_attribute *kattr,
			    char *buf)
{
	struct hv_feat_attr *fa = container_of(kattr, struct hv_feat_attr, kattr);

	if (fa->bit)
		return sysfs_emit(buf, "%d\n", !!(hv_features.bits & fa->bit));
	if (!strcmp(kattr->attr.name, "nr_asids"))
		return sysfs_emit(buf, "%u\n", hv_features.nr_asids);
	return sysfs_emit(buf, "0x%x\n", hv_features.vmcs_revision);
}

#define HV_FEAT(_name, _vendor, _bit)					\
	static struct hv_feat_attr hv_feat_##_name = {			\
		.kattr = __ATTR(_name, 0444, hv_feat_show, NULL),	\
		.vendor = HVCORE_VENDOR_##_vendor,			\
		.bit = _bit,						\
	}

HV_FEAT(npt, SVM, HVCORE_SVM_NPT);
HV_FEAT(nrips, SVM, HVCORE_SVM_NRIPS);
HV_FEAT(decode_assists, SVM, HVCORE_SVM_DECODE_ASSISTS);
HV_FEAT(vmcb_clean, SVM, HVCORE_SVM_VMCB_CLEAN);
HV_FEAT(flush_by_asid, SVM, HVCORE_SVM_FLUSH_BY_ASID);
HV_FEAT(avic, SVM, HVCORE_SVM_AVIC);
HV_FEAT(nr_asids, SVM, 0);
HV_FEAT(ept, VMX, HVCORE_VMX_EPT);
HV_FEAT(vpid, VMX, HVCORE_VMX_VPID);
HV_FEAT(unrestricted_guest, VMX, HVCORE_VMX_UNRESTRICTED_GUEST);
HV_FEAT(ept_ad, VMX, HVCORE_VMX_EPT_AD);
HV_FEAT(ept_2m, VMX, HVCORE_VMX_EPT_2M);
HV_FEAT(ept_1g, VMX, HVCORE_VMX_EPT_1G);
HV_FEAT(true_ctls, VMX, HVCORE_VMX_TRUE_CTLS);
HV_FEAT(vmcs_revision, VMX, 0);

static struct attribute *hv_feat_attrs[] = {
	&hv_feat_npt.kattr.attr,
	&hv_feat_nrips.kattr.attr,
	&hv_feat_decode_assists.kattr.attr,
	&hv_feat_vmcb_clean.kattr.attr,
	&hv_feat_flush_by_asid.kattr.attr,
	&hv_feat_avic.kattr.attr,
	&hv_feat_nr_asids.kattr.attr,
	&hv_feat_ept.kattr.attr,
	&hv_feat_vpid.kattr.attr,
	&hv_feat_unrestricted_guest.kattr.attr,
	&hv_feat_ept_ad.kattr.attr,
	&hv_feat_ept_2m.kattr.attr,
	&hv_feat_ept_1g.kattr.attr,
	&hv_feat_true_ctls.kattr.attr,
	&hv_feat_vmcs_revision.kattr.attr,
	NULL,
};

static umode_t hv_feat_visible(struct kobject *kobj, struct attribute *attr,
			       int n)
{
	struct kobj_attribute *kattr = container_of(attr, struct kobj_attribute, attr);
	struct hv_feat_attr *fa = container_of(kattr, struct hv_feat_attr, kattr);

	return fa->vendor == hv_features.vendor ? attr->mode : 0;
}

static const struct attribute_group hv_feat_group = {
	.name = "features",
	.attrs = hv_feat_attrs,
	.is_visible = hv_feat_visible,
};

/*
 * lp/lpN/: one directory per possible CPU. The kobject lives in its own
 * allocation, freed by its release, so sysfs lifetime rules never reach
 * into struct hv_lp.
 */
struct hv_lp_dir {
	struct kobject kobj;
	unsigned int cpu;
};

static struct hv_lp_dir **hv_lp_dirs;

static unsigned int hv_dir_cpu(struct kobject *kobj)
{
	return container_of(kobj, struct hv_lp_dir, kobj)->cpu;
}

static ssize_t enabled_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(hv_lp_get(hv_dir_cpu(kobj))->enabled));
}

static struct kobj_attribute enabled_attr = __ATTR_RO(enabled);

static ssize_t node_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%d\n", cpu_to_node(hv_dir_cpu(kobj)));
}

static struct kobj_attribute node_attr = __ATTR_RO(node);

/* Run time on the LP, ns: VPs dispatched, of which in the guest; the root. */
static ssize_t total_ns_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", READ_ONCE(hv_lp_get(hv_dir_cpu(kobj))->total_ns));
}

static ssize_t guest_ns_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", READ_ONCE(hv_lp_get(hv_dir_cpu(kobj))->guest_ns));
}

static ssize_t root_ns_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", hv_lp_root_ns(hv_lp_get(hv_dir_cpu(kobj))));
}

/* Dispatched but not in the guest: world switches, exits, scheduling. */
static ssize_t hypervisor_ns_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", READ_ONCE(hv_lp_get(hv_dir_cpu(kobj))->hv_ns));
}

static struct kobj_attribute total_ns_attr = __ATTR_RO(total_ns);
static struct kobj_attribute hypervisor_ns_attr = __ATTR_RO(hypervisor_ns);
static struct kobj_attribute guest_ns_attr = __ATTR_RO(guest_ns);
static struct kobj_attribute root_ns_attr = __ATTR_RO(root_ns);

static struct attribute *hv_lp_attrs[] = {
	&enabled_attr.attr,
	&node_attr.attr,
	&total_ns_attr.attr,
	&guest_ns_attr.attr,
	&hypervisor_ns_attr.attr,
	&root_ns_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(hv_lp);

static void hv_lp_dir_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct hv_lp_dir, kobj));
}

static const struct kobj_type hv_lp_ktype = {
	.release = hv_lp_dir_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = hv_lp_groups,
};

static int hv_lp_dir_add(unsigned int cpu)
{
	struct hv_lp_dir *dir = kzalloc(sizeof(*dir), GFP_KERNEL);
	int ret;

	if (!dir)
		return -ENOMEM;
	dir->cpu = cpu;
	ret = kobject_init_and_add(&dir->kobj, &hv_lp_ktype, hv_lp_kobj,
				   "lp%u", cpu);
	if (ret) {
		kobject_put(&dir->kobj);
		return ret;
	}
	hv_lp_dirs[cpu] = dir;
	return 0;
}

static void hv_lp_sysfs_remove(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		if (hv_lp_dirs && hv_lp_dirs[cpu])
			kobject_put(&hv_lp_dirs[cpu]->kobj);
	kfree(hv_lp_dirs);
	hv_lp_dirs = NULL;
	kobject_put(hv_lp_kobj);
	hv_lp_kobj = NULL;
}

/*
 * partitions/<id>/: one directory per partition. Like lp/, the kobject is
 * its own allocation; it holds a reference on the partition, dropped by
 * its release, so a reader racing a delete still sees a valid partition.
 */
struct hv_part_dir {
	struct kobject kobj;
	struct hv_partition *p;
};

static struct kobject *hv_parts_kobj;

static struct hv_partition *hv_dir_part(struct kobject *kobj)
{
	return container_of(kobj, struct hv_part_dir, kobj)->p;
}

static const char *const hv_state_names[] = {
	[HVCORE_STATE_OFF]	= "off",
	[HVCORE_STATE_RUNNING]	= "running",
	[HVCORE_STATE_PAUSED]	= "paused",
	[HVCORE_STATE_CRASHED]	= "crashed",
};

enum hv_part_field {
	HV_PF_NAME, HV_PF_STATE, HV_PF_MEMORY_BYTES, HV_PF_MEMORY_PAGES,
	HV_PF_PAGES_2M, HV_PF_NUMA_NODE, HV_PF_PAGES_OFF_NODE,
	HV_PF_NPT_MAPPED, HV_PF_NPT_ACCESSED, HV_PF_NPT_DIRTY,
	HV_PF_WEIGHT, HV_PF_RESERVE, HV_PF_CAP, HV_PF_IO_BOOST, HV_PF_PLACED_OFF_NODE,
	HV_PF_VP_COUNT, HV_PF_CRASH_REASON, HV_PF_EXIT_CODE,
};

static const char *const hv_crash_names[] = {
	[HVCORE_CRASH_NONE]		= "none",
	[HVCORE_CRASH_TRIPLE_FAULT]	= "triple_fault",
	[HVCORE_CRASH_INVALID_STATE]	= "invalid_state",
	[HVCORE_CRASH_UNHANDLED]	= "unhandled_exit",
	[HVCORE_CRASH_NO_WORKER]	= "no_worker",
	[HVCORE_CRASH_WORKER_GONE]	= "worker_gone",
};

struct hv_part_attr {
	struct kobj_attribute kattr;
	enum hv_part_field field;
};

static ssize_t hv_part_show(struct kobject *kobj, struct kobj_attribute *kattr,
			    char *buf)
{
	enum hv_part_field f = container_of(kattr, struct hv_part_attr, kattr)->field;
	struct hv_partition *p = hv_dir_part(kobj);
	u64 npt[3];
	ssize_t n;

	mutex_lock(&p->lock);
	switch (f) {
	case HV_PF_NPT_MAPPED:
	case HV_PF_NPT_ACCESSED:
	case HV_PF_NPT_DIRTY:
		hv_npt_count(&p->npt, &npt[0], &npt[1], &npt[2]);
		n = sysfs_emit(buf, "%llu\n", npt[f - HV_PF_NPT_MAPPED]);
		break;
	case HV_PF_NAME:
		n = sysfs_emit(buf, "%s\n", p->name);
		break;
	case HV_PF_STATE:
		n = sysfs_emit(buf, "%s\n", hv_state_names[p->state]);
		break;
	case HV_PF_MEMORY_BYTES:
		n = sysfs_emit(buf, "%llu\n", p->mem.bytes);
		break;
	case HV_PF_MEMORY_PAGES:
		n = sysfs_emit(buf, "%llu\n", p->mem.bytes >> PAGE_SHIFT);
		break;
	case HV_PF_PAGES_2M:
		n = sysfs_emit(buf, "%lu\n", p->mem.pages_2m);
		break;
	case HV_PF_NUMA_NODE:
		n = sysfs_emit(buf, "%d\n", p->numa_node);
		break;
	case HV_PF_WEIGHT:
		n = sysfs_emit(buf, "%u\n", READ_ONCE(p->weight));
		break;
	case HV_PF_RESERVE:
		n = sysfs_emit(buf, "%u\n", READ_ONCE(p->reserve));
		break;
	case HV_PF_CAP:
		n = sysfs_emit(buf, "%u\n", READ_ONCE(p->cap));
		break;
	case HV_PF_IO_BOOST:
		n = sysfs_emit(buf, "%u\n",
			       !!(READ_ONCE(p->policy_flags) & HVCORE_POLICY_IO_BOOST));
		break;
	case HV_PF_PLACED_OFF_NODE:
		n = sysfs_emit(buf, "%llu\n", READ_ONCE(p->placed_off_node));
		break;
	case HV_PF_VP_COUNT:
		n = sysfs_emit(buf, "%u\n", p->nr_vps);
		break;
	case HV_PF_CRASH_REASON:
		n = sysfs_emit(buf, "%s\n", p->crash_reason < ARRAY_SIZE(hv_crash_names) ?
			       hv_crash_names[p->crash_reason] : "unknown");
		break;
	case HV_PF_EXIT_CODE:
		n = sysfs_emit(buf, "%u\n", p->exit_code);
		break;
	default:
		n = sysfs_emit(buf, "%lu\n", p->mem.off_node);
		break;
	}
	mutex_unlock(&p->lock);
	return n;
}

#define HV_PART_ATTR(_name, _field)					\
	static struct hv_part_attr hv_part_##_name = {			\
		.kattr = __ATTR(_name, 0444, hv_part_show, NULL),	\
		.field = _field,					\
	}

HV_PART_ATTR(name, HV_PF_NAME);
HV_PART_ATTR(state, HV_PF_STATE);
HV_PART_ATTR(memory_bytes, HV_PF_MEMORY_BYTES);
HV_PART_ATTR(memory_pages, HV_PF_MEMORY_PAGES);
HV_PART_ATTR(pages_2m, HV_PF_PAGES_2M);
HV_PART_ATTR(numa_node, HV_PF_NUMA_NODE);
HV_PART_ATTR(pages_off_node, HV_PF_PAGES_OFF_NODE);
HV_PART_ATTR(npt_mapped_pages, HV_PF_NPT_MAPPED);
HV_PART_ATTR(npt_accessed_pages, HV_PF_NPT_ACCESSED);
HV_PART_ATTR(npt_dirty_pages, HV_PF_NPT_DIRTY);
HV_PART_ATTR(cpu_weight, HV_PF_WEIGHT);
HV_PART_ATTR(cpu_reserve, HV_PF_RESERVE);
HV_PART_ATTR(cpu_cap, HV_PF_CAP);
HV_PART_ATTR(cpu_io_boost, HV_PF_IO_BOOST);
HV_PART_ATTR(placed_off_node, HV_PF_PLACED_OFF_NODE);
HV_PART_ATTR(vp_count, HV_PF_VP_COUNT);
HV_PART_ATTR(crash_reason, HV_PF_CRASH_REASON);
HV_PART_ATTR(exit_code, HV_PF_EXIT_CODE);

static struct attribute *hv_part_attrs[] = {
	&hv_part_name.kattr.attr,
	&hv_part_state.kattr.attr,
	&hv_part_memory_bytes.kattr.attr,
	&hv_part_memory_pages.kattr.attr,
	&hv_part_pages_2m.kattr.attr,
	&hv_part_numa_node.kattr.attr,
	&hv_part_pages_off_node.kattr.attr,
	&hv_part_npt_mapped_pages.kattr.attr,
	&hv_part_npt_accessed_pages.kattr.attr,
	&hv_part_npt_dirty_pages.kattr.attr,
	&hv_part_cpu_weight.kattr.attr,
	&hv_part_cpu_reserve.kattr.attr,
	&hv_part_cpu_cap.kattr.attr,
	&hv_part_cpu_io_boost.kattr.attr,
	&hv_part_placed_off_node.kattr.attr,
	&hv_part_vp_count.kattr.attr,
	&hv_part_crash_reason.kattr.attr,
	&hv_part_exit_code.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(hv_part);

static void hv_part_dir_release(struct kobject *kobj)
{
	struct hv_part_dir *dir = container_of(kobj, struct hv_part_dir, kobj);

	hv_partition_put(dir->p);
	kfree(dir);
}

static const struct kobj_type hv_part_ktype = {
	.release = hv_part_dir_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = hv_part_groups,
};

/**
 * hv_sysfs_partition_add() - create partitions/<id>/ for @p
 * @p: a partition being created; gains a reference held by the directory
 *     (and one per VP directory)
 *
 * Context: hv_partitions_lock held.
 * Return: 0 or a negative errno (nothing created).
 */
int hv_sysfs_partition_add(struct hv_partition *p)
{
	struct hv_part_dir *dir = kzalloc(sizeof(*dir), GFP_KERNEL);
	int ret;

	if (!dir)
		return -ENOMEM;
	kref_get(&p->ref);
	dir->p = p;
	ret = kobject_init_and_add(&dir->kobj, &hv_part_ktype, hv_parts_kobj, "%u", p->id);
	if (ret) {
		kobject_put(&dir->kobj);
		return ret;
	}
	ret = hv_sysfs_vps_add(p, &dir->kobj);
	if (ret) {
		kobject_del(&dir->kobj);
		kobject_put(&dir->kobj);
		return ret;
	}
	p->dir = dir;
	return 0;
}

/**
 * hv_sysfs_partition_remove() - remove partitions/<id>/ of @p
 * @p: the partition; the directories' references are dropped
 *
 * Context: hv_partitions_lock held, p->lock not held (readers take it).
 */
void hv_sysfs_partition_remove(struct hv_partition *p)
{
	if (!p->dir)
		return;
	hv_sysfs_vps_remove(p);
	kobject_del(&p->dir->kobj);
	kobject_put(&p->dir->kobj);
	p->dir = NULL;
}

/**
 * hv_sysfs_init() - create /sys/kernel/hvcore and its contents
 *
 * Return: 0 or a negative errno; nothing is left behind on failure.
 */
int hv_sysfs_init(void)
{
	unsigned int cpu;
	int ret;

	hv_root_kobj = kobject_create_and_add("hvcore", kernel_kobj);
	if (!hv_root_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(hv_root_kobj, &hv_root_group);
	if (ret)
		goto err;
	ret = sysfs_create_group(hv_root_kobj, &hv_feat_group);
	if (ret)
		goto err;

	hv_lp_dirs = kcalloc(nr_cpu_ids, sizeof(*hv_lp_dirs), GFP_KERNEL);
	hv_lp_kobj = kobject_create_and_add("lp", hv_root_kobj);
	if (!hv_lp_dirs || !hv_lp_kobj) {
		ret = -ENOMEM;
		goto err;
	}
	for_each_possible_cpu(cpu) {
		ret = hv_lp_dir_add(cpu);
		if (ret)
			goto err;
	}
	hv_parts_kobj = kobject_create_and_add("partitions", hv_root_kobj);
	if (!hv_parts_kobj) {
		ret = -ENOMEM;
		goto err;
	}
	return 0;

err:
	hv_sysfs_exit();
	return ret;
}

/**
 * hv_sysfs_exit() - remove everything hv_sysfs_init() created
 */
void hv_sysfs_exit(void)
{
	if (!hv_root_kobj)
		return;
	hv_lp_sysfs_remove();
	kobject_put(hv_parts_kobj);
	hv_parts_kobj = NULL;
	kobject_put(hv_root_kobj);
	hv_root_kobj = NULL;
}
