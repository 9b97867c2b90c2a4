// SPDX-License-Identifier: GPL-2.0
/*
 * The "hvcore" perf PMU: hvcore's per-VP and per-LP counters as perf
 * events, counted system-wide like an uncore PMU. Documentation/pmu.rst
 * describes the events and the config layout:
 *
 *	config	 0-15	event:	   an id of hv_pmu_events[]
 *	config	16-31	vp:	   VP index in the partition, HV_PMU_ALL: all
 *	config	32-63	partition: the partition's id
 *	config1	 0-15	lp:	   Linux CPU of the LP, HV_PMU_ALL: all
 *
 * The counters are hvcore's own (the ones HVCORE_VP_INFO and sysfs
 * report), kept by the dispatchers; an event remembers the value at start
 * and adds what came since at every read. Nothing here ever interrupts:
 * sampling is refused.
 *
 * Lifetime: an event of a VP counter holds a reference on its partition,
 * so the partition and its VPs stay readable after a delete (the counts
 * then stay where the partition left them). The VPs themselves may be
 * replaced by CONFIGURE or a failed hot-add while an event is open: they
 * are read under RCU, and hvcore frees a VP only after a grace period if
 * its partition is still referenced (hv_vps_destroy(), hv_part_add_vp()).
 * perf calls ->read() with interrupts off, often from an IPI, so nothing
 * here may take a sleeping lock or hv_sched_lock.
 */
#define pr_fmt(fmt) "hvcore: " fmt

#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/perf_event.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/stddef.h>

#include "hvcore.h"

/* vp= or lp= value that sums the counter over all VPs or LPs */
#define HV_PMU_ALL		0xffff

#define HV_PMU_EVENT(config)	((u32)(config) & 0xffff)
#define HV_PMU_VP(config)	((u32)((config) >> 16) & 0xffff)
#define HV_PMU_PART(config)	((u32)((config) >> 32))
#define HV_PMU_LP(config1)	((u32)(config1) & 0xffff)

enum hv_pmu_scope { HV_PMU_SCOPE_VP, HV_PMU_SCOPE_LP };

/**
 * struct hv_pmu_event - one event: the sum of @count u64 counters
 * @name:	sysfs events/ file, the name perf knows it by
 * @id:		config bits 0-15; never reused, never renumbered (ABI)
 * @scope:	HV_PMU_SCOPE_VP: in struct hv_vp; _LP: in struct hv_lp
 * @offset:	offset of the first counter in that structure
 * @count:	counters summed (several for "intercepts")
 */
struct hv_pmu_event {
	const char *name;
	u16 id;
	u8 scope;
	u8 count;
	size_t offset;
};

#define HV_PMU_VP_EVENT(_id, _name, _field, _count)				\
	{ .id = (_id), .name = (_name), .scope = HV_PMU_SCOPE_VP,		\
	  .offset = offsetof(struct hv_vp, _field), .count = (_count) }
/* Intercepts of one HVCORE_EXIT_* kind: id 0x11 + the kind. */
#define HV_PMU_EXIT_EVENT(_name, _kind)						\
	HV_PMU_VP_EVENT(0x11 + HVCORE_EXIT_##_kind, "intercepts_" _name,	\
			exits[HVCORE_EXIT_##_kind], 1)
/* Hypercalls of one code (enum hv_hc_stat): id 0x20 + the stat. */
#define HV_PMU_HC_EVENT(_name, _stat)						\
	HV_PMU_VP_EVENT(0x20 + HV_HCS_##_stat, "hypercalls_" _name,		\
			hc_calls[HV_HCS_##_stat], 1)
#define HV_PMU_LP_EVENT(_id, _name, _field)					\
	{ .id = (_id), .name = (_name), .scope = HV_PMU_SCOPE_LP,		\
	  .offset = offsetof(struct hv_lp, _field), .count = 1 }

/* A new counter is one line here (and one in Documentation/pmu.rst). */
static const struct hv_pmu_event hv_pmu_events[] = {
	HV_PMU_VP_EVENT(0x01, "total_ns", total_ns, 1),
	HV_PMU_VP_EVENT(0x02, "guest_ns", guest_ns, 1),
	HV_PMU_VP_EVENT(0x03, "dispatches", dispatches, 1),
	HV_PMU_VP_EVENT(0x04, "migrations", migrations, 1),
	HV_PMU_VP_EVENT(0x05, "wait_ns", wait_ns, 1),
	HV_PMU_VP_EVENT(0x06, "hypercalls", hypercalls, 1),
	HV_PMU_VP_EVENT(0x07, "injected", injected, 1),
	HV_PMU_VP_EVENT(0x08, "interrupts_pending_ns", irq_pending_ns, 1),
	HV_PMU_VP_EVENT(0x10, "intercepts", exits, HVCORE_NR_EXIT_KINDS),
	HV_PMU_EXIT_EVENT("cpuid", CPUID),
	HV_PMU_EXIT_EVENT("msr", MSR),
	HV_PMU_EXIT_EVENT("io", IO),
	HV_PMU_EXIT_EVENT("mmio", MMIO),
	HV_PMU_EXIT_EVENT("npf", NPF),
	HV_PMU_EXIT_EVENT("hlt", HLT),
	HV_PMU_EXIT_EVENT("hypercall", HYPERCALL),
	HV_PMU_EXIT_EVENT("intr_window", INTR_WINDOW),
	HV_PMU_EXIT_EVENT("extint", EXTINT),
	HV_PMU_EXIT_EVENT("nmi", NMI),
	HV_PMU_EXIT_EVENT("exception", EXCEPTION),
	HV_PMU_EXIT_EVENT("other", OTHER),
	HV_PMU_HC_EVENT("notify_long_spin_wait", NOTIFY_LONG_SPIN_WAIT),
	HV_PMU_HC_EVENT("null", NULL),
	HV_PMU_HC_EVENT("get_vp_index", GET_VP_INDEX),
	HV_PMU_HC_EVENT("guest_log", GUEST_LOG),
	HV_PMU_HC_EVENT("set_vp_entry", SET_VP_ENTRY),
	HV_PMU_HC_EVENT("invalid", INVALID),
	HV_PMU_LP_EVENT(0x40, "lp_total_ns", total_ns),
	HV_PMU_LP_EVENT(0x41, "lp_guest_ns", guest_ns),
	HV_PMU_LP_EVENT(0x42, "lp_hypervisor_ns", hv_ns),
};

/**
 * struct hv_pmu_target - what one perf event counts (event->pmu_private)
 * @ev:		the event
 * @p:		VP events: the partition, referenced; LP events: NULL
 * @index:	VP index or LP (CPU) number, or HV_PMU_ALL
 */
struct hv_pmu_target {
	const struct hv_pmu_event *ev;
	struct hv_partition *p;
	u32 index;
};

static struct pmu hv_pmu;
/* The one CPU that counts every event (sysfs cpumask), -1: none yet. */
static int hv_pmu_cpu = -1;
static enum cpuhp_state hv_pmu_cpuhp;

static u64 hv_pmu_sum(const void *base, const struct hv_pmu_event *ev)
{
	const u64 *c = base + ev->offset;
	u64 v = 0;
	unsigned int i;

	/* Single-writer u64s on x86-64: a read is never torn. */
	for (i = 0; i < ev->count; i++)
		v += READ_ONCE(c[i]);
	return v;
}

/* The counter now; any context, interrupts off included. */
static u64 hv_pmu_value(const struct hv_pmu_target *t)
{
	struct hv_partition *p = t->p;
	struct hv_vp **vps;
	unsigned int cpu;
	u32 i, n;
	u64 v = 0;

	if (t->ev->scope == HV_PMU_SCOPE_LP) {
		if (t->index != HV_PMU_ALL)
			return hv_pmu_sum(hv_lp_get(t->index), t->ev);
		for_each_possible_cpu(cpu)
			v += hv_pmu_sum(hv_lp_get(cpu), t->ev);
		return v;
	}

	rcu_read_lock();
	n = READ_ONCE(p->nr_vps);
	/* Pairs with the smp_wmb() of hot-add: the count covers stored VPs. */
	smp_rmb();
	vps = READ_ONCE(p->vps);
	for (i = 0; vps && i < n; i++) {
		struct hv_vp *vp;

		if (t->index != HV_PMU_ALL && t->index != i)
			continue;
		vp = READ_ONCE(vps[i]);
		if (vp)
			v += hv_pmu_sum(vp, t->ev);
	}
	rcu_read_unlock();
	return v;
}

static const struct hv_pmu_event *hv_pmu_find(u32 id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hv_pmu_events); i++)
		if (hv_pmu_events[i].id == id)
			return &hv_pmu_events[i];
	return NULL;
}

static void hv_pmu_event_destroy(struct perf_event *event)
{
	struct hv_pmu_target *t = event->pmu_private;

	/* Process context: the last reference may free the partition. */
	if (t->p)
		hv_partition_put(t->p);
	kfree(t);
	event->pmu_private = NULL;
}

/* Check the config of a VP event; on success *pp holds a reference. */
static int hv_pmu_check_vp(const struct perf_event_attr *attr, const struct hv_pmu_event *ev,
			   struct hv_partition **pp)
{
	u32 id = HV_PMU_PART(attr->config), vp = HV_PMU_VP(attr->config);
	struct hv_partition *p;
	u32 nr_vps;

	if (HV_PMU_LP(attr->config1)) {
		hv_bad_input("perf: %s counts a VP: give partition= and vp=, not lp=", ev->name);
		return -EINVAL;
	}
	p = hv_partition_get(id);
	if (!p) {
		hv_bad_input("perf: %s: no partition with id %u", ev->name, id);
		return -ENOENT;
	}
	/* A VP hot-added later can be counted by an event opened later. */
	nr_vps = READ_ONCE(p->nr_vps);
	if (vp != HV_PMU_ALL && vp >= nr_vps) {
		hv_bad_input("perf: %s: partition %u has no VP %u (it has %u; vp=0x%x sums them)",
			     ev->name, id, vp, nr_vps, HV_PMU_ALL);
		hv_partition_put(p);
		return -ENOENT;
	}
	*pp = p;
	return 0;
}

static int hv_pmu_check_lp(const struct perf_event_attr *attr, const struct hv_pmu_event *ev)
{
	u32 lp = HV_PMU_LP(attr->config1);

	if (HV_PMU_PART(attr->config) || HV_PMU_VP(attr->config)) {
		hv_bad_input("perf: %s counts an LP: give lp=, not partition= or vp=", ev->name);
		return -EINVAL;
	}
	if (lp != HV_PMU_ALL && (lp >= nr_cpu_ids || !cpu_possible(lp))) {
		hv_bad_input("perf: %s: no LP %u (lp=0x%x sums them)", ev->name, lp, HV_PMU_ALL);
		return -ENOENT;
	}
	return 0;
}

/*
 * The rules of kernel/events/core.c: -ENOENT for another PMU's type; the
 * event may be moved to another CPU here (uncore does the same), the
 * core then installs it in that CPU's context. Sleeping is allowed.
 */
static int hv_pmu_event_init(struct perf_event *event)
{
	const struct perf_event_attr *attr = &event->attr;
	const struct hv_pmu_event *ev;
	struct hv_partition *p = NULL;
	struct hv_pmu_target *t;
	int cpu, ret;

	if (attr->type != event->pmu->type)
		return -ENOENT;
	if (is_sampling_event(event)) {
		hv_bad_input("perf: hvcore events count, they cannot sample");
		return -EOPNOTSUPP;
	}
	if (event_has_any_exclude_flag(event)) {
		hv_bad_input("perf: hvcore counts all: the exclude_* bits must be 0");
		return -EINVAL;
	}
	if (event->cpu < 0) {
		hv_bad_input("perf: hvcore events are system-wide: open them on a CPU, not a task");
		return -EINVAL;
	}
	ev = hv_pmu_find(HV_PMU_EVENT(attr->config));
	if (!ev) {
		hv_bad_input("perf: no hvcore event 0x%x (see the PMU's events/ in sysfs)",
			     HV_PMU_EVENT(attr->config));
		return -EINVAL;
	}
	if (attr->config1 >> 16 || attr->config2) {
		hv_bad_input("perf: %s: config1 bits 16-63 and config2 are reserved, must be 0",
			     ev->name);
		return -EINVAL;
	}
	ret = ev->scope == HV_PMU_SCOPE_VP ? hv_pmu_check_vp(attr, ev, &p) :
					     hv_pmu_check_lp(attr, ev);
	if (ret)
		return ret;

	cpu = READ_ONCE(hv_pmu_cpu);
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (cpu < 0 || !t) {
		if (cpu < 0)
			hv_bad_input("perf: hvcore has no CPU to count on");
		if (p)
			hv_partition_put(p);
		kfree(t);
		return t ? -ENODEV : -ENOMEM;
	}
	t->ev = ev;
	t->p = p;
	t->index = ev->scope == HV_PMU_SCOPE_VP ? HV_PMU_VP(attr->config) :
						  HV_PMU_LP(attr->config1);
	event->pmu_private = t;
	event->destroy = hv_pmu_event_destroy;
	event->cpu = cpu;
	return 0;
}

/* Add what the counter moved since the last update to the event's count. */
static void hv_pmu_update(struct perf_event *event)
{
	u64 now = hv_pmu_value(event->pmu_private);
	u64 prev = local64_xchg(&event->hw.prev_count, now);

	/* CONFIGURE's new VPs start again at 0: count from there. */
	local64_add(now >= prev ? now - prev : now, &event->count);
}

static void hv_pmu_start(struct perf_event *event, int flags)
{
	local64_set(&event->hw.prev_count, hv_pmu_value(event->pmu_private));
	event->hw.state = 0;
}

static void hv_pmu_stop(struct perf_event *event, int flags)
{
	if (event->hw.state & PERF_HES_STOPPED)
		return;
	hv_pmu_update(event);
	event->hw.state |= PERF_HES_STOPPED | PERF_HES_UPTODATE;
}

static int hv_pmu_add(struct perf_event *event, int flags)
{
	event->hw.state = PERF_HES_STOPPED | PERF_HES_UPTODATE;
	if (flags & PERF_EF_START)
		hv_pmu_start(event, PERF_EF_RELOAD);
	return 0;
}

static void hv_pmu_del(struct perf_event *event, int flags)
{
	hv_pmu_stop(event, PERF_EF_UPDATE);
}

static void hv_pmu_read(struct perf_event *event)
{
	if (!(event->hw.state & PERF_HES_STOPPED))
		hv_pmu_update(event);
}

/* sysfs: format/ */
PMU_FORMAT_ATTR(event, "config:0-15");
PMU_FORMAT_ATTR(vp, "config:16-31");
PMU_FORMAT_ATTR(partition, "config:32-63");
PMU_FORMAT_ATTR(lp, "config1:0-15");

static struct attribute *hv_pmu_format_attrs[] = {
	&format_attr_event.attr,
	&format_attr_vp.attr,
	&format_attr_partition.attr,
	&format_attr_lp.attr,
	NULL,
};

static const struct attribute_group hv_pmu_format_group = {
	.name = "format",
	.attrs = hv_pmu_format_attrs,
};

/*
 * sysfs: events/, one file per hv_pmu_events[] entry. "=?" makes perf
 * ask for the parameter instead of silently counting VP 0 or LP 0.
 */
static struct perf_pmu_events_attr hv_pmu_event_attrs[ARRAY_SIZE(hv_pmu_events)];
static struct attribute *hv_pmu_events_list[ARRAY_SIZE(hv_pmu_events) + 1];

static ssize_t hv_pmu_event_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct perf_pmu_events_attr *pa = container_of(attr, struct perf_pmu_events_attr, attr);
	const struct hv_pmu_event *ev = &hv_pmu_events[pa->id];

	if (ev->scope == HV_PMU_SCOPE_LP)
		return sysfs_emit(buf, "event=0x%02x,lp=?\n", ev->id);
	return sysfs_emit(buf, "event=0x%02x,partition=?,vp=?\n", ev->id);
}

static const struct attribute_group hv_pmu_events_group = {
	.name = "events",
	.attrs = hv_pmu_events_list,
};

/* sysfs: cpumask, so that perf stat -a opens each event once */
static ssize_t cpumask_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	int cpu = READ_ONCE(hv_pmu_cpu);

	return cpumap_print_to_pagebuf(true, buf, cpu < 0 ? cpu_none_mask : cpumask_of(cpu));
}

static DEVICE_ATTR_RO(cpumask);

static struct attribute *hv_pmu_cpumask_attrs[] = {
	&dev_attr_cpumask.attr,
	NULL,
};

static const struct attribute_group hv_pmu_cpumask_group = {
	.attrs = hv_pmu_cpumask_attrs,
};

static const struct attribute_group *hv_pmu_attr_groups[] = {
	&hv_pmu_format_group,
	&hv_pmu_events_group,
	&hv_pmu_cpumask_group,
	NULL,
};

static struct pmu hv_pmu = {
	.module		= THIS_MODULE,
	.task_ctx_nr	= perf_invalid_context,
	.capabilities	= PERF_PMU_CAP_NO_INTERRUPT | PERF_PMU_CAP_NO_EXCLUDE,
	.attr_groups	= hv_pmu_attr_groups,
	.event_init	= hv_pmu_event_init,
	.add		= hv_pmu_add,
	.del		= hv_pmu_del,
	.start		= hv_pmu_start,
	.stop		= hv_pmu_stop,
	.read		= hv_pmu_read,
};

/* cpuhp: the first CPU up counts; when it goes, its events move along. */
static int hv_pmu_cpu_online(unsigned int cpu)
{
	if (READ_ONCE(hv_pmu_cpu) < 0)
		WRITE_ONCE(hv_pmu_cpu, cpu);
	return 0;
}

static int hv_pmu_cpu_offline(unsigned int cpu)
{
	unsigned int target;

	if (READ_ONCE(hv_pmu_cpu) != (int)cpu)
		return 0;
	target = cpumask_any_but(cpu_online_mask, cpu);
	if (target >= nr_cpu_ids) {
		WRITE_ONCE(hv_pmu_cpu, -1);
		return 0;
	}
	perf_pmu_migrate_context(&hv_pmu, cpu, target);
	WRITE_ONCE(hv_pmu_cpu, target);
	return 0;
}

/**
 * hv_pmu_init() - register the "hvcore" perf PMU
 *
 * Return: 0 or a negative errno; nothing is left registered on failure.
 */
int hv_pmu_init(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(hv_pmu_events); i++) {
		struct perf_pmu_events_attr *pa = &hv_pmu_event_attrs[i];

		sysfs_attr_init(&pa->attr.attr);
		pa->attr.attr.name = hv_pmu_events[i].name;
		pa->attr.attr.mode = 0444;
		pa->attr.show = hv_pmu_event_show;
		pa->id = i;
		hv_pmu_events_list[i] = &pa->attr.attr;
	}

	ret = perf_pmu_register(&hv_pmu, "hvcore", -1);
	if (ret) {
		pr_err("cannot register the perf PMU: %d\n", ret);
		return ret;
	}
	/* Events opened before a CPU is chosen get -ENODEV; none can be open yet. */
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "perf/hvcore:online",
				hv_pmu_cpu_online, hv_pmu_cpu_offline);
	if (ret < 0) {
		perf_pmu_unregister(&hv_pmu);
		return ret;
	}
	hv_pmu_cpuhp = ret;
	return 0;
}

/**
 * hv_pmu_exit() - unregister the PMU
 *
 * Every event holds a reference on the module, so none is open here.
 */
void hv_pmu_exit(void)
{
	cpuhp_remove_state_nocalls(hv_pmu_cpuhp);
	perf_pmu_unregister(&hv_pmu);
	WRITE_ONCE(hv_pmu_cpu, -1);
}
