// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/hvcore/partitions/<id>/vps/<n>/: one directory per VP, with
 * its counters one value per file (Documentation/ABI/testing/sysfs-hvcore).
 *
 * The directories follow the VP count, which CREATE, CONFIGURE and ADD_VP
 * change: hv_sysfs_vps_sync() adds or removes directories to match. It
 * runs under hv_partitions_lock and never under the partition's lock,
 * because a reader takes p->lock to look its VP up (CONFIGURE frees VPs
 * under it) and removing a directory waits for its readers. A directory
 * whose VP is gone but which sync has not removed yet reads -ENODEV.
 */
#include <linux/bitmap.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "hvcore.h"

/* partitions/<id>/vps/ */
struct hv_vps_dir {
	struct kobject *kobj;
	u32 nr;
	struct hv_vp_dir *vp[HVCORE_MAX_VPS];
};

/* partitions/<id>/vps/<n>/: holds a reference on the partition. */
struct hv_vp_dir {
	struct kobject kobj;
	struct hv_partition *p;
	u32 index;
};

enum hv_vp_field {
	HV_VF_STATE, HV_VF_LP, HV_VF_HOME_LP, HV_VF_TOTAL_NS, HV_VF_GUEST_NS,
	HV_VF_DISPATCHES, HV_VF_MIGRATIONS, HV_VF_WAIT_NS, HV_VF_WAIT_HIST,
	HV_VF_RESERVE_MISSED, HV_VF_INTERCEPTS, HV_VF_EXITS, HV_VF_HYPERCALLS,
	HV_VF_HC_CALLS, HV_VF_INJECTED, HV_VF_IRQS_PENDING, HV_VF_IRQ_PENDING_NS,
};

struct hv_vp_attr {
	struct kobj_attribute kattr;
	enum hv_vp_field field;
	unsigned int idx;	/* HV_VF_EXITS: HVCORE_EXIT_*; HV_VF_HC_CALLS: HV_HCS_* */
};

static const char *const hv_vp_state_names[] = {
	[HVCORE_VP_OFF]		= "off",
	[HVCORE_VP_READY]	= "ready",
	[HVCORE_VP_RUNNING]	= "running",
	[HVCORE_VP_HALTED]	= "halted",
	[HVCORE_VP_WAITING]	= "waiting",
	[HVCORE_VP_PAUSED]	= "paused",
};

static ssize_t hv_vp_emit(const struct hv_vp *vp, const struct hv_vp_attr *a, char *buf)
{
	u32 state;
	u64 sum;
	int len;
	unsigned int i;

	switch (a->field) {
	case HV_VF_STATE:
		state = READ_ONCE(vp->state);
		return sysfs_emit(buf, "%s\n", state < ARRAY_SIZE(hv_vp_state_names) ?
				  hv_vp_state_names[state] : "unknown");
	case HV_VF_LP:
		return sysfs_emit(buf, "%d\n", READ_ONCE(vp->lp));
	case HV_VF_HOME_LP:
		return sysfs_emit(buf, "%d\n", READ_ONCE(vp->home));
	case HV_VF_TOTAL_NS:
		return sysfs_emit(buf, "%llu\n", READ_ONCE(vp->total_ns));
	case HV_VF_GUEST_NS:
		return sysfs_emit(buf, "%llu\n", READ_ONCE(vp->guest_ns));
	case HV_VF_DISPATCHES:
		return sysfs_emit(buf, "%llu\n", READ_ONCE(vp->dispatches));
	case HV_VF_MIGRATIONS:
		return sysfs_emit(buf, "%llu\n", READ_ONCE(vp->migrations));
	case HV_VF_WAIT_NS:
		return sysfs_emit(buf, "%llu\n", READ_ONCE(vp->wait_ns));
	case HV_VF_WAIT_HIST:
		/* An array of one type, as sysfs allows: bucket k is 2^k..2^(k+1)-1 ns. */
		len = 0;
		for (i = 0; i < HVCORE_WAIT_HIST_BUCKETS; i++)
			len += sysfs_emit_at(buf, len, "%s%llu", i ? " " : "",
					     READ_ONCE(vp->wait_hist[i]));
		return len + sysfs_emit_at(buf, len, "\n");
	case HV_VF_RESERVE_MISSED:
		return sysfs_emit(buf, "%llu\n", READ_ONCE(vp->reserve_missed));
	case HV_VF_INTERCEPTS:
		for (i = 0, sum = 0; i < HVCORE_NR_EXIT_KINDS; i++)
			sum += READ_ONCE(vp->exits[i]);
		return sysfs_emit(buf, "%llu\n", sum);
	case HV_VF_EXITS:
		return sysfs_emit(buf, "%llu\n", READ_ONCE(vp->exits[a->idx]));
	case HV_VF_HYPERCALLS:
		return sysfs_emit(buf, "%llu\n", READ_ONCE(vp->hypercalls));
	case HV_VF_HC_CALLS:
		return sysfs_emit(buf, "%llu\n", READ_ONCE(vp->hc_calls[a->idx]));
	case HV_VF_INJECTED:
		return sysfs_emit(buf, "%llu\n", READ_ONCE(vp->injected));
	case HV_VF_IRQS_PENDING:
		return sysfs_emit(buf, "%u\n", hv_vp_irqs_pending(vp));
	case HV_VF_IRQ_PENDING_NS:
		return sysfs_emit(buf, "%llu\n", READ_ONCE(vp->irq_pending_ns));
	}
	return -EINVAL;
}

static ssize_t hv_vp_show(struct kobject *kobj, struct kobj_attribute *kattr, char *buf)
{
	const struct hv_vp_attr *a = container_of(kattr, struct hv_vp_attr, kattr);
	struct hv_vp_dir *dir = container_of(kobj, struct hv_vp_dir, kobj);
	struct hv_partition *p = dir->p;
	ssize_t n = -ENODEV;

	/* p->lock: CONFIGURE frees and replaces the VPs under it. */
	mutex_lock(&p->lock);
	if (dir->index < p->nr_vps && p->vps[dir->index])
		n = hv_vp_emit(p->vps[dir->index], a, buf);
	mutex_unlock(&p->lock);
	return n;
}

#define HV_VP_ATTR(_var, _name, _field, _idx)				\
	static struct hv_vp_attr hv_vp_##_var = {			\
		.kattr = __ATTR(_name, 0444, hv_vp_show, NULL),		\
		.field = _field,					\
		.idx = _idx,						\
	}

HV_VP_ATTR(state, state, HV_VF_STATE, 0);
HV_VP_ATTR(lp, lp, HV_VF_LP, 0);
HV_VP_ATTR(home_lp, home_lp, HV_VF_HOME_LP, 0);
HV_VP_ATTR(total_ns, total_ns, HV_VF_TOTAL_NS, 0);
HV_VP_ATTR(guest_ns, guest_ns, HV_VF_GUEST_NS, 0);
HV_VP_ATTR(dispatches, dispatches, HV_VF_DISPATCHES, 0);
HV_VP_ATTR(migrations, migrations, HV_VF_MIGRATIONS, 0);
HV_VP_ATTR(wait_ns, wait_ns, HV_VF_WAIT_NS, 0);
HV_VP_ATTR(wait_hist, wait_hist, HV_VF_WAIT_HIST, 0);
HV_VP_ATTR(reserve_missed, reserve_missed, HV_VF_RESERVE_MISSED, 0);
HV_VP_ATTR(injected, injected, HV_VF_INJECTED, 0);
HV_VP_ATTR(interrupts_pending, interrupts_pending, HV_VF_IRQS_PENDING, 0);
HV_VP_ATTR(interrupts_pending_ns, interrupts_pending_ns, HV_VF_IRQ_PENDING_NS, 0);

static struct attribute *hv_vp_attrs[] = {
	&hv_vp_state.kattr.attr,
	&hv_vp_lp.kattr.attr,
	&hv_vp_home_lp.kattr.attr,
	&hv_vp_total_ns.kattr.attr,
	&hv_vp_guest_ns.kattr.attr,
	&hv_vp_dispatches.kattr.attr,
	&hv_vp_migrations.kattr.attr,
	&hv_vp_wait_ns.kattr.attr,
	&hv_vp_wait_hist.kattr.attr,
	&hv_vp_reserve_missed.kattr.attr,
	&hv_vp_injected.kattr.attr,
	&hv_vp_interrupts_pending.kattr.attr,
	&hv_vp_interrupts_pending_ns.kattr.attr,
	NULL,
};

static const struct attribute_group hv_vp_group = {
	.attrs = hv_vp_attrs,
};

/* vps/<n>/intercepts/<kind>: HVCORE_EXIT_*, and their sum */
HV_VP_ATTR(x_total, total, HV_VF_INTERCEPTS, 0);
HV_VP_ATTR(x_cpuid, cpuid, HV_VF_EXITS, HVCORE_EXIT_CPUID);
HV_VP_ATTR(x_msr, msr, HV_VF_EXITS, HVCORE_EXIT_MSR);
HV_VP_ATTR(x_io, io, HV_VF_EXITS, HVCORE_EXIT_IO);
HV_VP_ATTR(x_mmio, mmio, HV_VF_EXITS, HVCORE_EXIT_MMIO);
HV_VP_ATTR(x_npf, npf, HV_VF_EXITS, HVCORE_EXIT_NPF);
HV_VP_ATTR(x_hlt, hlt, HV_VF_EXITS, HVCORE_EXIT_HLT);
HV_VP_ATTR(x_hypercall, hypercall, HV_VF_EXITS, HVCORE_EXIT_HYPERCALL);
HV_VP_ATTR(x_intr_window, intr_window, HV_VF_EXITS, HVCORE_EXIT_INTR_WINDOW);
HV_VP_ATTR(x_extint, extint, HV_VF_EXITS, HVCORE_EXIT_EXTINT);
HV_VP_ATTR(x_nmi, nmi, HV_VF_EXITS, HVCORE_EXIT_NMI);
HV_VP_ATTR(x_exception, exception, HV_VF_EXITS, HVCORE_EXIT_EXCEPTION);
HV_VP_ATTR(x_other, other, HV_VF_EXITS, HVCORE_EXIT_OTHER);

static struct attribute *hv_vp_exit_attrs[] = {
	&hv_vp_x_total.kattr.attr,
	&hv_vp_x_cpuid.kattr.attr,
	&hv_vp_x_msr.kattr.attr,
	&hv_vp_x_io.kattr.attr,
	&hv_vp_x_mmio.kattr.attr,
	&hv_vp_x_npf.kattr.attr,
	&hv_vp_x_hlt.kattr.attr,
	&hv_vp_x_hypercall.kattr.attr,
	&hv_vp_x_intr_window.kattr.attr,
	&hv_vp_x_extint.kattr.attr,
	&hv_vp_x_nmi.kattr.attr,
	&hv_vp_x_exception.kattr.attr,
	&hv_vp_x_other.kattr.attr,
	NULL,
};

static const struct attribute_group hv_vp_exit_group = {
	.name = "intercepts",
	.attrs = hv_vp_exit_attrs,
};

/* vps/<n>/hypercalls/<code>: enum hv_hc_stat, and all of them */
HV_VP_ATTR(h_total, total, HV_VF_HYPERCALLS, 0);
HV_VP_ATTR(h_spin, notify_long_spin_wait, HV_VF_HC_CALLS, HV_HCS_NOTIFY_LONG_SPIN_WAIT);
HV_VP_ATTR(h_null, null, HV_VF_HC_CALLS, HV_HCS_NULL);
HV_VP_ATTR(h_vp_index, get_vp_index, HV_VF_HC_CALLS, HV_HCS_GET_VP_INDEX);
HV_VP_ATTR(h_log, guest_log, HV_VF_HC_CALLS, HV_HCS_GUEST_LOG);
HV_VP_ATTR(h_entry, set_vp_entry, HV_VF_HC_CALLS, HV_HCS_SET_VP_ENTRY);
HV_VP_ATTR(h_invalid, invalid, HV_VF_HC_CALLS, HV_HCS_INVALID);

static struct attribute *hv_vp_hc_attrs[] = {
	&hv_vp_h_total.kattr.attr,
	&hv_vp_h_spin.kattr.attr,
	&hv_vp_h_null.kattr.attr,
	&hv_vp_h_vp_index.kattr.attr,
	&hv_vp_h_log.kattr.attr,
	&hv_vp_h_entry.kattr.attr,
	&hv_vp_h_invalid.kattr.attr,
	NULL,
};

static const struct attribute_group hv_vp_hc_group = {
	.name = "hypercalls",
	.attrs = hv_vp_hc_attrs,
};

static const struct attribute_group *hv_vp_groups[] = {
	&hv_vp_group,
	&hv_vp_exit_group,
	&hv_vp_hc_group,
	NULL,
};

static void hv_vp_dir_release(struct kobject *kobj)
{
	struct hv_vp_dir *dir = container_of(kobj, struct hv_vp_dir, kobj);

	hv_partition_put(dir->p);
	kfree(dir);
}

static const struct kobj_type hv_vp_ktype = {
	.release = hv_vp_dir_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = hv_vp_groups,
};

static int hv_vp_dir_add(struct hv_vps_dir *vps, struct hv_partition *p, u32 index)
{
	struct hv_vp_dir *dir = kzalloc(sizeof(*dir), GFP_KERNEL);
	int ret;

	if (!dir)
		return -ENOMEM;
	kref_get(&p->ref);
	dir->p = p;
	dir->index = index;
	ret = kobject_init_and_add(&dir->kobj, &hv_vp_ktype, vps->kobj, "%u", index);
	if (ret) {
		kobject_put(&dir->kobj);
		return ret;
	}
	vps->vp[index] = dir;
	return 0;
}

/* Remove the directories of VPs @keep and up. */
static void hv_vps_trim(struct hv_vps_dir *vps, u32 keep)
{
	while (vps->nr > keep) {
		struct hv_vp_dir *dir = vps->vp[--vps->nr];

		vps->vp[vps->nr] = NULL;
		kobject_del(&dir->kobj);
		kobject_put(&dir->kobj);
	}
}

/**
 * hv_sysfs_vps_sync() - make vps/ list exactly the partition's VPs
 * @p: a partition with a sysfs directory (or none: nothing to do)
 *
 * Context: hv_partitions_lock held, p->lock not held.
 */
void hv_sysfs_vps_sync(struct hv_partition *p)
{
	struct hv_vps_dir *vps = p->vps_dir;
	u32 want;

	if (!vps)
		return;
	want = READ_ONCE(p->nr_vps);
	hv_vps_trim(vps, want);
	while (vps->nr < want) {
		/* Out of memory: the VP runs, only its directory is missing. */
		if (hv_vp_dir_add(vps, p, vps->nr)) {
			pr_warn_ratelimited("partition %u: no sysfs directory for VP %u\n",
					    p->id, vps->nr);
			break;
		}
		vps->nr++;
	}
}

/**
 * hv_sysfs_vps_add() - create vps/ under a partition's directory
 * @p:		the partition
 * @parent:	its partitions/<id>/ kobject
 *
 * Context: hv_partitions_lock held.
 * Return: 0 or -ENOMEM.
 */
int hv_sysfs_vps_add(struct hv_partition *p, struct kobject *parent)
{
	struct hv_vps_dir *vps = kzalloc(sizeof(*vps), GFP_KERNEL);

	if (!vps)
		return -ENOMEM;
	vps->kobj = kobject_create_and_add("vps", parent);
	if (!vps->kobj) {
		kfree(vps);
		return -ENOMEM;
	}
	p->vps_dir = vps;
	hv_sysfs_vps_sync(p);
	return 0;
}

/**
 * hv_sysfs_vps_remove() - remove vps/ and every VP directory in it
 * @p: the partition
 *
 * Context: hv_partitions_lock held, p->lock not held.
 */
void hv_sysfs_vps_remove(struct hv_partition *p)
{
	struct hv_vps_dir *vps = p->vps_dir;

	if (!vps)
		return;
	hv_vps_trim(vps, 0);
	kobject_put(vps->kobj);
	kfree(vps);
	p->vps_dir = NULL;
}
