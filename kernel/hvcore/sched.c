// SPDX-License-Identifier: GPL-2.0
/*
 * The VP scheduler: which virtual processor (VP) runs on which logical
 * processor (LP), for how long, and in what order.
 *
 * Mechanism. One dispatcher kernel thread per LP (an smpboot thread, parked
 * with CPU hotplug) takes a VP from its run queue, enters the guest for at
 * most one slice (an hrtimer, or the VMX preemption timer, forces the
 * exit), accounts the time, handles the exit and loops. VP states
 * (HVCORE_VP_*): OFF while the partition is off; READY on a run queue;
 * RUNNING on an LP; HALTED after HLT until an interrupt is pending; WAITING
 * until the worker answers a message; PAUSED while the partition is paused.
 * The dispatchers are SCHED_NORMAL threads and give the CPU back whenever
 * Linux asks (need_resched()), so the root partition is never starved.
 *
 * Policy (Documentation/scheduler.rst has the knobs and the seeds'
 * examples). Three per-partition knobs, struct hvcore_policy:
 *
 *  - weight (1..10000, default 100). Under contention partition i gets
 *    weight(i) / sum of the weights of the partitions that want CPU. Its
 *    VPs split that equally: a VP's effective weight is weight(i) divided by
 *    the partition's VPs that are ready or running, so more VPs make it
 *    eligible for more LPs but do not raise its share.
 *  - reserve (% of one LP, per VP): guaranteed whenever the VP is ready.
 *  - cap (% of one LP, per VP): never exceeded, even on an idle machine.
 *
 * Time is cut in periods of period_us (default 100 ms), aligned on the
 * monotonic clock and so common to all LPs. Within a period each VP has a
 * budget of cap% of the period and a reservation of reserve%. Every slice
 * ends at the next period boundary at the latest, so every LP chooses
 * afresh when the budgets renew. A slice ends when an interrupt says so,
 * which can be late; what a VP ran past its cap, or past its reservation
 * in the reserved class, is its debt in the next period (hv_vp_debts()),
 * so caps and reservations hold on average however late slices end.
 *
 * Choosing, on one LP (hv_pick_locked()), among the VPs of its queue:
 *  1. VPs that used up their cap this period are skipped (class CAPPED);
 *     their LP sleeps until the period ends if nothing else can run.
 *  2. VPs that have not yet had their reservation this period go first
 *     (class RESERVED), for at most what is left of it; a VP that becomes
 *     ready in that class preempts a VP of the normal class on its LP.
 *  3. The rest (class NORMAL) share by weighted fair queueing: each VP has
 *     a virtual time that advances by (time run) x 100 / effective weight,
 *     and the smallest goes next. Over any stretch in which the VPs of a
 *     queue stay ready, each gets time in proportion to its effective
 *     weight: this is where weights act. Reserved time is charged to the
 *     virtual time too, so "reservations first, weights share the rest".
 *  4. Lending: reservation is a priority, not set-aside time. A reserved VP
 *     that is not ready leaves its LP to the others at once.
 *  5. I/O boost (HVCORE_POLICY_IO_BOOST, off by default): a VP woken from
 *     HLT by an injected interrupt goes between 2 and 3 (class BOOSTED)
 *     for one dispatch, and preempts a normal VP running on its LP, so
 *     its wake-to-run time is an IPI and a world switch, not the rest of
 *     another VP's slice. Its run time is charged to its virtual time as
 *     usual, and a VP already a slice of its own run time ahead of the
 *     queue's floor gets no boost: boost moves time, it does not add any.
 *  Each slice is at most slice_us, and no longer than the VP's remaining
 *  cap or reservation budget.
 *
 * Fairness across LPs is placement: each VP has a home LP whose queue it
 * sits on, and goes back there after every slice (soft affinity; a VP that
 * runs on another LP than last time counts a migration). New VPs go to the
 * least loaded LP they may use (load: the sum of the effective weights
 * queued or running there). At each period boundary, the first LP to pick
 * moves queued VPs from the most to the least loaded LP while that narrows
 * the gap (hv_balance_locked()), and an LP with nothing of its own to run
 * takes a ready VP from another queue (work conservation). With the seeds'
 * Table 3 (weights 200, 200, 50, 50, two VPs each, two LPs) every LP ends
 * up with 100 + 100 + 25 + 25 and each VP gets exactly its share without
 * moving again. When the effective weights cannot be split evenly between
 * LPs (three equal VPs on two LPs), the balancer swaps the best-served VP
 * of the lighter LP with the least-served one of the heavier LP once per
 * period (hv_rotate_locked()), so the extra service rotates among them at
 * the cost of a migration per period.
 *
 * NUMA: a partition with a home node (HVCORE_CONFIGURE numa_node) runs only
 * on that node's LPs while the node has one enabled; otherwise anywhere,
 * and each such placement is counted (placed_off_node).
 *
 * The root partition: Linux keeps at least root_reserve % of every LP in
 * every period when it has work there. The dispatcher already yields when
 * the Linux scheduler asks; on top of that, an LP whose VPs ran more than
 * (100 - root_reserve) % of the period while other Linux tasks wait there
 * (!single_task_running()) stops dispatching, and looks again every
 * millisecond whether they still do.
 * Reservations are admitted against the same figure: the per-VP
 * reservations of running partitions may add up to at most
 * (100 - root_reserve) % of each enabled LP (-ENOSPC otherwise).
 *
 * Locking: hv_sched_lock (one lock) guards VP states, every run queue, the
 * policy fields and the placement. It is taken per slice, not per exit.
 */
#define pr_fmt(fmt) "hvcore: " fmt

#include <linux/cpu.h>
#include <linux/hrtimer.h>
#include <linux/kernel_stat.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/stat.h>
#include <linux/smpboot.h>
#include <linux/tick.h>
#include <asm/debugreg.h>
#include <asm/fpu/api.h>

#include "hvcore.h"
#include "trace.h"

static unsigned int slice_us = 10000;
module_param(slice_us, uint, 0444);
MODULE_PARM_DESC(slice_us, "VP time slice in microseconds (default 10000)");

static unsigned int period_us = 100000;
module_param(period_us, uint, 0444);
MODULE_PARM_DESC(period_us, "scheduling period for caps and reservations, us (default 100000)");

static unsigned int root_reserve = 10;
module_param(root_reserve, uint, 0444);
MODULE_PARM_DESC(root_reserve, "% of every LP kept for Linux when it has work (default 10)");

/* Shorter slices cost more in exits than they give in precision. */
#define HV_MIN_SLICE_NS	(20 * NSEC_PER_USEC)
/* How often an LP that held back for Linux looks whether Linux is done. */
#define HV_ROOT_RECHECK_NS	NSEC_PER_MSEC

/**
 * hv_slice_us() - the VP time slice
 *
 * Return: microseconds.
 */
unsigned int hv_slice_us(void)
{
	return slice_us;
}

/**
 * hv_period_ns() - the scheduling period
 *
 * Return: nanoseconds.
 */
u64 hv_period_ns(void)
{
	return (u64)period_us * NSEC_PER_USEC;
}

DEFINE_SPINLOCK(hv_sched_lock);
static DEFINE_PER_CPU(struct task_struct *, hv_dispatcher);
static bool hv_dispatch_registered;
static u64 hv_balanced_period;
/* Sum over running and paused partitions of VPs x reserve, in %. */
static u64 hv_reserved_pct;

/* In the order an LP serves them. */
enum hv_class { HV_CLASS_RESERVED, HV_CLASS_BOOSTED, HV_CLASS_NORMAL, HV_CLASS_CAPPED };
/* The hvcore_dispatch tracepoint (trace.h) prints a class by these values. */
static_assert(HV_CLASS_RESERVED == 0 && HV_CLASS_BOOSTED == 1 && HV_CLASS_NORMAL == 2);

static u64 hv_period_of(u64 now)
{
	return div64_u64(now, hv_period_ns());
}

static u64 hv_over(u64 used, u64 budget)
{
	return used > budget ? used - budget : 0;
}

/*
 * What @vp ran past its cap and reservation budgets in its period
 * (@vp->period), to be paid back in the next: a slice ends when an
 * interrupt says so, and one that arrives late must not turn into a
 * larger cap or reservation. At most one budget's worth carries over.
 */
static void hv_vp_debts(const struct hv_vp *vp, u64 *cap_debt, u64 *res_debt)
{
	const struct hv_partition *p = vp->part;
	u64 T = hv_period_ns();
	u64 cap = div_u64(T * p->cap, 100), res = div_u64(T * p->reserve, 100);

	*cap_debt = p->cap < 100 ? min(hv_over(vp->period_ns + vp->cap_debt, cap), cap) : 0;
	*res_debt = min(hv_over(vp->period_res_ns + vp->res_debt, res), res);
}

/*
 * @vp's use of its cap budget (all its run time) and of its reservation
 * (its run time in the reserved class) in @period, debts included.
 */
static void hv_vp_usage(const struct hv_vp *vp, u64 period, u64 *cap_used, u64 *res_used)
{
	*cap_used = 0;
	*res_used = 0;
	if (vp->period == period) {
		*cap_used = vp->period_ns + vp->cap_debt;
		*res_used = vp->period_res_ns + vp->res_debt;
	} else if (vp->period + 1 == period) {
		hv_vp_debts(vp, cap_used, res_used);
	}
}

/*
 * Move @vp's budget to @period. When it was ready all along (@ready), the
 * periods left behind that gave it less than its reservation count as
 * missed: the one it last ran in (counting what it took ahead, its
 * reservation debt), and any it did not run in at all.
 */
static void hv_vp_roll_period(struct hv_vp *vp, u64 period, bool ready)
{
	u64 T = hv_period_ns(), need, cap_debt = 0, res_debt = 0;
	u32 reserve = vp->part->reserve;

	if (vp->period == period)
		return;
	if (ready && reserve && vp->period) {
		need = div_u64(T * reserve, 100) - div_u64(T, 200);
		vp->reserve_missed += !vp->period_partial && vp->period_ns + vp->res_debt < need;
		vp->reserve_missed += period - vp->period - 1;
	}
	if (vp->period + 1 == period)
		hv_vp_debts(vp, &cap_debt, &res_debt);
	vp->cap_debt = cap_debt;
	vp->res_debt = res_debt;
	vp->period = period;
	vp->period_ns = 0;
	vp->period_res_ns = 0;
	vp->period_partial = !ready;
}

/* VPs of @p that want CPU: ready or running. */
static u32 hv_part_active(const struct hv_partition *p)
{
	u32 i, n = 0;

	for (i = 0; i < p->nr_vps; i++)
		n += p->vps[i]->state == HVCORE_VP_READY ||
		     p->vps[i]->state == HVCORE_VP_RUNNING;
	return n;
}

/* Effective weight of a VP: its partition's weight split among its active VPs. */
static u64 hv_vp_weight(const struct hv_vp *vp)
{
	return div_u64((u64)vp->part->weight * 1024, max(hv_part_active(vp->part), 1U));
}

/*
 * Where @vp stands in @period; *@budget is how long it may run before its
 * cap or reservation budget changes its class.
 */
static enum hv_class hv_vp_class(const struct hv_vp *vp, u64 period, u64 *budget)
{
	const struct hv_partition *p = vp->part;
	u64 T = hv_period_ns(), used, res_used;
	u64 cap = div_u64(T * p->cap, 100), res = div_u64(T * p->reserve, 100);

	hv_vp_usage(vp, period, &used, &res_used);
	*budget = U64_MAX;
	if (p->cap < 100) {
		if (used + HV_MIN_SLICE_NS > cap)
			return HV_CLASS_CAPPED;
		*budget = cap - used;
	}
	if (res_used < res) {
		*budget = min(*budget, res - res_used);
		return HV_CLASS_RESERVED;
	}
	return vp->boost ? HV_CLASS_BOOSTED : HV_CLASS_NORMAL;
}

static bool hv_node_has_lp(int node)
{
	unsigned int cpu;

	for_each_cpu(cpu, cpumask_of_node(node))
		if (cpu_online(cpu) && READ_ONCE(hv_lp_get(cpu)->enabled))
			return true;
	return false;
}

/* May @vp run on @lp? Its home node's LPs only, while the node has one. */
static bool hv_lp_allowed(const struct hv_vp *vp, const struct hv_lp *lp)
{
	int node = vp->part->numa_node;

	if (!READ_ONCE(lp->enabled))
		return false;
	return node == NUMA_NO_NODE || cpu_to_node(lp->cpu) == node ||
	       !hv_node_has_lp(node);
}

/* Sum of the effective weights homed on @lp: queued, or running there. */
static u64 hv_lp_load(const struct hv_lp *lp)
{
	const struct hv_vp *vp, *cur = READ_ONCE(lp->current_vp);
	u64 load = 0;

	list_for_each_entry(vp, &lp->rq, rq_node)
		load += hv_vp_weight(vp);
	if (cur && cur->home == lp->cpu && cur->state == HVCORE_VP_RUNNING)
		load += hv_vp_weight(cur);
	return load;
}

static void hv_lp_wake(struct hv_lp *lp)
{
	struct task_struct *t = per_cpu(hv_dispatcher, lp->cpu);

	WRITE_ONCE(lp->idle, false);
	if (t)
		wake_up_process(t);
}

static void hv_kick_ipi(void *unused)
{
	/* The interrupt itself made the guest exit; nothing else to do. */
}

/* End the slice running on @lp now (the run loop checks slice_over). */
static void hv_lp_preempt(struct hv_lp *lp)
{
	WRITE_ONCE(lp->slice_over, true);
	/* Pairs with the check of slice_over in hv_run_slice(), IRQs off. */
	smp_mb();
	if (lp->cpu != raw_smp_processor_id())
		smp_call_function_single(lp->cpu, hv_kick_ipi, NULL, 0);
}

/* The least loaded LP @vp may use; counts a placement off its node. */
static struct hv_lp *hv_place_locked(struct hv_vp *vp)
{
	struct hv_lp *best = NULL;
	u64 best_load = 0;
	unsigned int cpu;
	int node = vp->part->numa_node;

	for_each_online_cpu(cpu) {
		struct hv_lp *lp = hv_lp_get(cpu);
		u64 load;

		if (!hv_lp_allowed(vp, lp))
			continue;
		load = hv_lp_load(lp);
		if (!best || load < best_load) {
			best = lp;
			best_load = load;
		}
	}
	if (!best) {
		/* No LP enabled: wait on this one until it is. */
		return hv_lp_get(raw_smp_processor_id());
	}
	if (node != NUMA_NO_NODE && cpu_to_node(best->cpu) != node)
		vp->part->placed_off_node++;
	return best;
}

/* Move a queued @vp to @dst's queue, keeping its lead or lag in vtime. */
static void hv_move_locked(struct hv_vp *vp, struct hv_lp *src, struct hv_lp *dst)
{
	s64 lag = vp->vtime - src->min_vtime;

	list_move_tail(&vp->rq_node, &dst->rq);
	vp->vtime = dst->min_vtime + max_t(s64, lag, 0);
	vp->home = dst->cpu;
}

/* Queue a ready @vp on its home LP (placing it first if it has none). */
static void hv_enqueue_locked(struct hv_vp *vp, bool wake_others)
{
	struct hv_lp *lp = vp->home >= 0 ? hv_lp_get(vp->home) : NULL;
	struct hv_vp *cur;
	u64 budget, period;
	unsigned int cpu;

	if (!lp || !hv_lp_allowed(vp, lp)) {
		lp = hv_place_locked(vp);
		vp->home = lp->cpu;
	}
	if (vp->lp >= 0 && vp->lp != lp->cpu) {
		/* Coming from another LP: keep its lead over that LP's floor. */
		s64 lag = vp->vtime - hv_lp_get(vp->lp)->min_vtime;

		vp->vtime = lp->min_vtime + max_t(s64, lag, 0);
	}
	/* No credit for time not ready: it would be a burst later. */
	if (vp->vtime < lp->min_vtime)
		vp->vtime = lp->min_vtime;
	/*
	 * I/O boost jumps the queue only for a VP that is not already a
	 * slice of its own run time ahead of the others: a guest flooded
	 * with interrupts cannot use it to take more than its share.
	 */
	if (vp->boost && vp->vtime - lp->min_vtime >
	    div64_u64((u64)slice_us * NSEC_PER_USEC * 1024 * HVCORE_WEIGHT_DEFAULT,
		      hv_vp_weight(vp) ?: 1))
		vp->boost = false;
	list_add_tail(&vp->rq_node, &lp->rq);
	hv_lp_wake(lp);

	period = hv_period_of(ktime_get_ns());
	cur = READ_ONCE(lp->current_vp);
	/* A reserved or boosted VP does not wait for the slice to end. */
	if (cur && hv_vp_class(vp, period, &budget) < hv_vp_class(cur, period, &budget))
		hv_lp_preempt(lp);
	if (!wake_others || !cur)
		return;
	/* Its LP is busy: an idle LP it may use can take it. */
	for_each_online_cpu(cpu) {
		struct hv_lp *other = hv_lp_get(cpu);

		if (other != lp && READ_ONCE(other->idle) && hv_lp_allowed(vp, other))
			hv_lp_wake(other);
	}
}

/**
 * hv_vp_make_ready_locked() - a VP can run: queue it, or park it if paused
 * @vp: the VP, not RUNNING and not already READY
 *
 * Context: hv_sched_lock held.
 */
void hv_vp_make_ready_locked(struct hv_vp *vp)
{
	lockdep_assert_held(&hv_sched_lock);
	if (vp->on_lp) {
		/* hv_put() queues it once its dispatcher lets go. */
		vp->state = HVCORE_VP_READY;
		return;
	}
	switch (vp->part->state) {
	case HVCORE_STATE_RUNNING:
		vp->state = HVCORE_VP_READY;
		vp->ready_since = local_clock();
		/* Ready from now on: this period's shortfall is not a miss. */
		hv_vp_roll_period(vp, hv_period_of(ktime_get_ns()), false);
		vp->period_partial = true;
		hv_enqueue_locked(vp, true);
		break;
	case HVCORE_STATE_PAUSED:
		vp->state = HVCORE_VP_PAUSED;
		vp->paused_state = HVCORE_VP_READY;
		break;
	default:
		vp->state = HVCORE_VP_OFF;
		break;
	}
}

/**
 * hv_vp_wake_locked() - an injected event ends a VP's HLT
 * @vp:		the VP, HALTED
 * @irq:	an interrupt or NMI (I/O boost applies), not an exception
 *
 * Context: hv_sched_lock held.
 */
void hv_vp_wake_locked(struct hv_vp *vp, bool irq)
{
	lockdep_assert_held(&hv_sched_lock);
	vp->boost = irq && (vp->part->policy_flags & HVCORE_POLICY_IO_BOOST);
	hv_vp_make_ready_locked(vp);
}

/**
 * hv_vps_stop_locked() - take every VP of @p off the run queues
 * @p:		the partition, whose state is no longer RUNNING
 * @state:	HVCORE_VP_OFF (stop, crash) or HVCORE_VP_PAUSED (pause)
 *
 * VPs on an LP are left to hv_put(), which reads the partition's state.
 * For PAUSED, each VP remembers the state to return to. OFF gives back the
 * partition's reservation.
 *
 * Context: hv_sched_lock held.
 */
void hv_vps_stop_locked(struct hv_partition *p, u32 state)
{
	u32 i;

	lockdep_assert_held(&hv_sched_lock);
	for (i = 0; i < p->nr_vps; i++) {
		struct hv_vp *vp = p->vps[i];

		if (vp->on_lp)
			continue;
		list_del_init(&vp->rq_node);
		vp->paused_state = vp->state;
		vp->state = state;
	}
	if (state == HVCORE_VP_OFF)
		hv_sched_release_locked(p);
}

/**
 * hv_sched_release_locked() - give back what hv_sched_admit_locked() took
 * @p: the partition
 *
 * Context: hv_sched_lock held.
 */
void hv_sched_release_locked(struct hv_partition *p)
{
	lockdep_assert_held(&hv_sched_lock);
	hv_reserved_pct -= p->reserve_held;
	p->reserve_held = 0;
}

/**
 * hv_sched_admit_locked() - take the reservation of @p at @reserve % per VP
 * @p:		a partition about to run, or running, with @p->lock held
 * @reserve:	the per-VP reservation it is to hold
 * @what:	the ioctl, for the message
 *
 * Running and paused partitions hold their VPs' reservations; together
 * they may have (100 - root_reserve) % of each enabled LP.
 *
 * Context: hv_sched_lock held.
 * Return: 0, or -ENOSPC with one line saying why.
 */
int hv_sched_admit_locked(struct hv_partition *p, u32 reserve, const char *what)
{
	u64 want = (u64)reserve * p->nr_vps;
	u64 room = (u64)hv_lp_enabled_count() * (100 - root_reserve);
	u64 others = hv_reserved_pct - p->reserve_held;

	lockdep_assert_held(&hv_sched_lock);
	if (reserve > 100 - root_reserve) {
		hv_bad_input("%s: a reservation of %u%% leaves less than the root's %u%% of an LP",
			     what, reserve, root_reserve);
		return -ENOSPC;
	}
	if (others + want > room) {
		hv_bad_input("%s: %u VPs x %u%% do not fit: %llu%% of %llu%% already reserved",
			     what, p->nr_vps, reserve, others, room);
		return -ENOSPC;
	}
	hv_reserved_pct = others + want;
	p->reserve_held = want;
	return 0;
}

/**
 * hv_vp_kick() - make a running VP leave guest mode and look at its state
 * @vp: the VP
 *
 * Context: process context, hv_sched_lock not held.
 */
void hv_vp_kick(struct hv_vp *vp)
{
	int cpu;

	WRITE_ONCE(vp->kick, true);
	/* Pairs with the check of vp->kick in hv_run_slice(), IRQs off. */
	smp_mb();
	cpu = READ_ONCE(vp->lp);
	if (READ_ONCE(vp->on_lp) && cpu >= 0 &&
	    cpu != raw_smp_processor_id())
		smp_call_function_single(cpu, hv_kick_ipi, NULL, 0);
}

/**
 * hv_partition_wait_idle() - wait until no VP of @p is on an LP
 * @p: a partition whose state is no longer RUNNING
 */
void hv_partition_wait_idle(struct hv_partition *p)
{
	u32 i;

	for (i = 0; i < p->nr_vps; i++)
		hv_vp_kick(p->vps[i]);
	wait_event(p->run_wq, READ_ONCE(p->nr_running) == 0);
}

static enum hrtimer_restart hv_slice_end(struct hrtimer *t)
{
	struct hv_lp *lp = container_of(t, struct hv_lp, slice_timer);

	WRITE_ONCE(lp->slice_over, true);
	return HRTIMER_NORESTART;
}

static enum hrtimer_restart hv_period_start(struct hrtimer *t)
{
	hv_lp_wake(container_of(t, struct hv_lp, period_timer));
	return HRTIMER_NORESTART;
}

/* Total LP time @vp had, in units of its effective weight. */
static u64 hv_vp_service(const struct hv_vp *vp)
{
	return div64_u64(vp->total_ns * 1024, hv_vp_weight(vp) ?: 1);
}

/*
 * The loads of @src and @dst differ but no move narrows the gap (three
 * equal VPs on two LPs): swap the best-served VP of the lighter LP with the
 * least-served queued VP of the same weight on the heavier one, so that
 * the lighter LP's extra service rotates among them.
 */
static void hv_rotate_locked(struct hv_lp *src, struct hv_lp *dst)
{
	struct hv_vp *vp, *in = NULL, *out = READ_ONCE(dst->current_vp);

	if (out && (out->home != dst->cpu || out->state != HVCORE_VP_RUNNING))
		out = NULL;
	list_for_each_entry(vp, &dst->rq, rq_node)
		if (!out || hv_vp_service(vp) > hv_vp_service(out))
			out = vp;
	if (!out || !hv_lp_allowed(out, src))
		return;
	list_for_each_entry(vp, &src->rq, rq_node)
		if (hv_vp_weight(vp) == hv_vp_weight(out) && hv_lp_allowed(vp, dst) &&
		    (!in || hv_vp_service(vp) < hv_vp_service(in)))
			in = vp;
	if (!in || hv_vp_service(in) >= hv_vp_service(out))
		return;
	hv_move_locked(in, src, dst);
	if (out->on_lp)
		out->home = src->cpu;	/* hv_put() queues it there */
	else
		hv_move_locked(out, dst, src);
	hv_lp_wake(dst);
	hv_lp_wake(src);
}

/*
 * Once per period: move queued VPs from the most to the least loaded LP
 * while a move narrows the gap between them, then rotate what is left of
 * the gap.
 */
static void hv_balance_locked(void)
{
	unsigned int cpu, moves;

	for (moves = 0; moves < 16; moves++) {
		struct hv_lp *src = NULL, *dst = NULL;
		u64 src_load = 0, dst_load = 0, best_w = 0;
		struct hv_vp *vp, *best = NULL;

		for_each_online_cpu(cpu) {
			struct hv_lp *lp = hv_lp_get(cpu);
			u64 load;

			if (!READ_ONCE(lp->enabled))
				continue;
			load = hv_lp_load(lp);
			if (!src || load > src_load) {
				src = lp;
				src_load = load;
			}
			if (!dst || load < dst_load) {
				dst = lp;
				dst_load = load;
			}
		}
		if (!src || src == dst)
			return;
		list_for_each_entry(vp, &src->rq, rq_node) {
			u64 w = hv_vp_weight(vp);

			if (w < src_load - dst_load && w > best_w && hv_lp_allowed(vp, dst)) {
				best = vp;
				best_w = w;
			}
		}
		if (!best) {
			if (src_load > dst_load)
				hv_rotate_locked(src, dst);
			return;
		}
		hv_move_locked(best, src, dst);
		hv_lp_wake(dst);
	}
}

/* The VP of @src's queue that @lp should run next (in class *@cls), or NULL. */
static struct hv_vp *hv_best_on(struct hv_lp *src, struct hv_lp *lp, u64 period,
				u64 *budget, enum hv_class *cls_out, bool *capped)
{
	struct hv_vp *vp, *best = NULL;
	enum hv_class best_cls = HV_CLASS_CAPPED;

	list_for_each_entry(vp, &src->rq, rq_node) {
		enum hv_class cls;
		u64 b;

		if (src != lp && !hv_lp_allowed(vp, lp))
			continue;
		cls = hv_vp_class(vp, period, &b);
		if (cls == HV_CLASS_CAPPED) {
			*capped = true;
			continue;
		}
		if (!best || cls < best_cls || (cls == best_cls && vp->vtime < best->vtime)) {
			best = vp;
			best_cls = cls;
			*budget = b;
		}
	}
	*cls_out = best_cls;
	return best;
}

/* HVCORE_VP_INFO wait_hist: bucket k holds waits of 2^k..2^(k+1)-1 ns. */
static unsigned int hv_wait_bucket(u64 ns)
{
	return ns ? min_t(unsigned int, ilog2(ns), HVCORE_WAIT_HIST_BUCKETS - 1) : 0;
}

/* Linux has waited on this LP and VPs had their (100 - root_reserve) %. */
static bool hv_root_due(struct hv_lp *lp, u64 period)
{
	u64 busy = lp->period == period ? lp->period_busy_ns : 0;

	return busy * 100 >= hv_period_ns() * (100 - root_reserve) && !single_task_running();
}

/*
 * Choosing a VP and putting it back are hypervisor time on the LP too (the
 * seeds' "% Hypervisor Run Time"): counted in the LP's total and
 * hypervisor time, not in any VP's. Measured under hv_sched_lock, so no
 * other task's time is in it, and only around a VP's slice: once its
 * partition has no VP on an LP (hv_partition_wait_idle()), the LPs'
 * counters stand still.
 */
static void hv_charge_sched_locked(struct hv_lp *lp, u64 since)
{
	u64 ns = local_clock() - since;

	lp->total_ns += ns;
	lp->hv_ns += ns;
}

/*
 * The next VP for @lp and how long it may run (*@len), or NULL: then the
 * LP idles until a VP is queued for it, or until the next period when it
 * held back for capped VPs or for Linux.
 */
static struct hv_vp *hv_pick(struct hv_lp *lp, u64 *len)
{
	u64 t0 = local_clock(), now = ktime_get_ns(), period = hv_period_of(now), budget = U64_MAX;
	u64 end = (period + 1) * hv_period_ns(), wake = end, wait;
	enum hv_class cls = HV_CLASS_CAPPED;
	struct hv_vp *vp = NULL;
	bool wait_period = false;
	unsigned int cpu;

	spin_lock(&hv_sched_lock);
	if (period > hv_balanced_period) {
		hv_balanced_period = period;
		hv_balance_locked();
	}
	if (hv_root_due(lp, period)) {
		/*
		 * Linux's turn. Look again soon rather than at the period's
		 * end: once its tasks are done the LP would idle while VPs
		 * are ready.
		 */
		wake = min(end, now + HV_ROOT_RECHECK_NS);
		wait_period = true;
		goto idle;
	}
	vp = hv_best_on(lp, lp, period, &budget, &cls, &wait_period);
	/* Nothing of its own: take a ready VP from another LP's queue. */
	for_each_online_cpu(cpu) {
		struct hv_lp *src = hv_lp_get(cpu);

		if (vp)
			break;
		if (src == lp)
			continue;
		vp = hv_best_on(src, lp, period, &budget, &cls, &wait_period);
		if (vp)
			hv_move_locked(vp, src, lp);
	}
	if (!vp)
		goto idle;

	list_del_init(&vp->rq_node);
	vp->slice_reserved = cls == HV_CLASS_RESERVED;
	lp->min_vtime = max(lp->min_vtime, vp->vtime);
	vp->state = HVCORE_VP_RUNNING;
	vp->on_lp = true;
	WRITE_ONCE(vp->kick, false);
	if (vp->lp >= 0 && vp->lp != lp->cpu)
		vp->migrations++;
	WRITE_ONCE(vp->lp, lp->cpu);
	vp->home = lp->cpu;
	vp->dispatches++;
	vp->boost = false;
	wait = local_clock() - vp->ready_since;
	vp->wait_ns += wait;
	vp->wait_hist[hv_wait_bucket(wait)]++;
	vp->part->nr_running++;
	WRITE_ONCE(lp->current_vp, vp);
	hv_charge_sched_locked(lp, t0);
	spin_unlock(&hv_sched_lock);

	*len = min3((u64)slice_us * NSEC_PER_USEC, budget, end - now);
	*len = max_t(u64, *len, HV_MIN_SLICE_NS);
	trace_hvcore_dispatch(vp, lp, cls, *len, wait);
	return vp;

idle:
	WRITE_ONCE(lp->idle, true);
	spin_unlock(&hv_sched_lock);
	if (wait_period)
		hrtimer_start(&lp->period_timer, ns_to_ktime(wake), HRTIMER_MODE_ABS_PINNED);
	return NULL;
}

/* Charge @ns of LP time, from @start (ktime_get_ns()), to @vp and @lp. */
static void hv_charge_locked(struct hv_lp *lp, struct hv_vp *vp, u64 start, u64 ns)
{
	u64 period = hv_period_of(start);

	hv_vp_roll_period(vp, period, true);
	vp->period_ns += ns;
	if (vp->slice_reserved)
		vp->period_res_ns += ns;
	if (lp->period != period) {
		lp->period = period;
		lp->period_busy_ns = 0;
	}
	lp->period_busy_ns += ns;
	vp->vtime += div_u64(ns * 1024 * HVCORE_WEIGHT_DEFAULT, (u32)hv_vp_weight(vp) ?: 1);
}

/* After a slice: where the VP goes next. */
static void hv_put(struct hv_lp *lp, struct hv_vp *vp, enum hv_action act, u64 start, u64 ns)
{
	struct hv_partition *p = vp->part;
	u64 t0 = local_clock();
	bool idle;

	trace_hvcore_preempt(vp, lp, act, ns);
	spin_lock(&hv_sched_lock);
	hv_charge_locked(lp, vp, start, ns);
	WRITE_ONCE(lp->current_vp, NULL);
	WRITE_ONCE(vp->kick, false);
	vp->on_lp = false;
	if (p->state != HVCORE_STATE_RUNNING && p->state != HVCORE_STATE_PAUSED) {
		vp->state = HVCORE_VP_OFF;
	} else if (act == HV_BLOCK && (vp->state == HVCORE_VP_HALTED ||
				       vp->state == HVCORE_VP_WAITING)) {
		/* Still blocked: nobody made it ready while it was on the LP. */
		vp->period_partial = true;
		if (p->state == HVCORE_STATE_PAUSED) {
			vp->paused_state = vp->state;
			vp->state = HVCORE_VP_PAUSED;
		}
	} else if (p->state == HVCORE_STATE_RUNNING) {
		/* Back on its own queue; this dispatcher picks next. */
		vp->state = HVCORE_VP_READY;
		vp->ready_since = local_clock();
		hv_enqueue_locked(vp, false);
	} else {
		hv_vp_make_ready_locked(vp);
	}
	hv_charge_sched_locked(lp, t0);
	idle = --p->nr_running == 0;
	spin_unlock(&hv_sched_lock);
	if (idle)
		wake_up_all(&p->run_wq);
}

/*
 * One slice of @vp on @lp. Preemption stays off while the guest's FPU
 * state is loaded (kernel_fpu_begin()); exits that can be handled there
 * loop straight back into the guest, the rest end the inner loop.
 */
static enum hv_action hv_run_slice(struct hv_lp *lp, struct hv_vp *vp, u64 len, u64 *ran)
{
	struct hv_partition *p = vp->part;
	enum hv_action act = HV_RESUME;
	u64 start, t0, t1, guest = 0;

	*ran = 0;
	WRITE_ONCE(lp->slice_over, false);
	hrtimer_start(&lp->slice_timer, ns_to_ktime(len), HRTIMER_MODE_REL_PINNED);

	while (act == HV_RESUME) {
		kernel_fpu_begin();
		/* Counted with preemption off: Linux's time here is not the VP's. */
		start = local_clock();
		hv_fpu_load(vp);
		if (hv_arch->load)
			hv_arch->load(vp, lp);
		for (;;) {
			hv_vp_inject_pending(vp);
			local_irq_disable();
			if (READ_ONCE(vp->kick) || READ_ONCE(lp->slice_over) ||
			    !READ_ONCE(lp->enabled) || need_resched() ||
			    READ_ONCE(p->state) != HVCORE_STATE_RUNNING) {
				local_irq_enable();
				act = HV_YIELD;
				break;
			}
			trace_hvcore_vp_enter(vp, lp);
			hv_xcr0_enter(vp);
			t0 = local_clock();
			hv_arch->run(vp, lp, hv_npt_root_pa(p));
			t1 = local_clock();
			hv_xcr0_exit(vp);
			/* As KVM does: do not count on the world switch for DR7. */
			if (hw_breakpoint_active())
				hw_breakpoint_restore();
			trace_hvcore_vp_exit(vp, lp);
			local_irq_enable();
			vp->guest_ns += t1 - t0;
			lp->guest_ns += t1 - t0;
			guest += t1 - t0;
			act = hv_handle_exit(vp);
			if (act != HV_RESUME)
				break;
		}
		if (hv_arch->put)
			hv_arch->put(vp);
		hv_fpu_save(vp);
		*ran += local_clock() - start;
		kernel_fpu_end();

		if (act == HV_NPF_SLOW) {
			/* Outside the FPU section: allocation may sleep. */
			if (hv_npt_map(p, vp->exit.npf.gpa)) {
				hv_partition_crash(vp, HVCORE_CRASH_UNHANDLED, vp->exit.code);
				act = HV_STOPPED;
			} else {
				act = HV_RESUME;
			}
		}
	}
	hrtimer_cancel(&lp->slice_timer);
	vp->total_ns += *ran;
	lp->total_ns += *ran;
	/* Its own sum, so that it never goes back while a slice runs. */
	lp->hv_ns += *ran - min(guest, *ran);
	return act;
}

static int hv_should_run(unsigned int cpu)
{
	struct hv_lp *lp = hv_lp_get(cpu);

	return READ_ONCE(lp->enabled) && !READ_ONCE(lp->idle);
}

static void hv_dispatch(unsigned int cpu)
{
	struct hv_lp *lp = hv_lp_get(cpu);
	u64 len, start, ran;
	enum hv_action act;
	struct hv_vp *vp;

	vp = hv_pick(lp, &len);
	if (!vp)
		return;
	start = ktime_get_ns();
	act = hv_run_slice(lp, vp, len, &ran);
	hv_put(lp, vp, act, start, ran);
	cond_resched();
}

static struct smp_hotplug_thread hv_dispatch_thread = {
	.store			= &hv_dispatcher,
	.thread_should_run	= hv_should_run,
	.thread_fn		= hv_dispatch,
	.thread_comm		= "hvcore/%u",
};

/*
 * Idle time of @cpu (with I/O wait), in ns: exact with NOHZ, else the
 * kernel's tick-sampled figure.
 */
static u64 hv_cpu_idle_ns(unsigned int cpu)
{
	u64 idle = get_cpu_idle_time_us(cpu, NULL), iowait = get_cpu_iowait_time_us(cpu, NULL);
	struct kernel_cpustat kcs;

	if (idle != (u64)-1 && iowait != (u64)-1)
		return (idle + iowait) * NSEC_PER_USEC;
	kcpustat_cpu_fetch(&kcs, cpu);
	return kcs.cpustat[CPUTIME_IDLE] + kcs.cpustat[CPUTIME_IOWAIT];
}

/* Time @lp's CPU was not idle while hvcore held it. */
static u64 hv_lp_busy_ns(struct hv_lp *lp)
{
	u64 since = READ_ONCE(lp->up_since), busy = READ_ONCE(lp->busy_ns);
	u64 up, idle;

	if (!since)
		return busy;
	up = ktime_get_ns() - since;
	idle = hv_cpu_idle_ns(lp->cpu) - READ_ONCE(lp->up_idle_ns);
	return busy + (up > idle ? up - idle : 0);
}

/**
 * hv_lp_online() - an LP became usable: let its dispatcher look for work
 * @lp: the LP
 */
void hv_lp_online(struct hv_lp *lp)
{
	WRITE_ONCE(lp->up_idle_ns, hv_cpu_idle_ns(lp->cpu));
	WRITE_ONCE(lp->up_since, ktime_get_ns());
	spin_lock(&hv_sched_lock);
	hv_lp_wake(lp);
	spin_unlock(&hv_sched_lock);
}

/**
 * hv_lp_offline() - an LP was given back: its queued VPs go elsewhere
 * @lp: the LP, no longer enabled
 *
 * Context: process context on @lp's CPU (hotplug teardown).
 */
void hv_lp_offline(struct hv_lp *lp)
{
	struct hv_vp *vp, *tmp;

	hrtimer_cancel(&lp->period_timer);
	WRITE_ONCE(lp->busy_ns, hv_lp_busy_ns(lp));
	WRITE_ONCE(lp->up_since, 0);
	spin_lock(&hv_sched_lock);
	list_for_each_entry_safe(vp, tmp, &lp->rq, rq_node) {
		list_del_init(&vp->rq_node);
		hv_enqueue_locked(vp, false);
	}
	spin_unlock(&hv_sched_lock);
}

/**
 * hv_lp_root_ns() - the root partition's run time on an LP
 * @lp: the LP
 *
 * The seeds' "Root VP n, % Total Run Time": what the CPU spent running
 * Linux (tasks and interrupts) other than hvcore's dispatching of VPs,
 * while hvcore held the LP: the time not idle, from the kernel's NOHZ idle
 * accounting, less hvcore's run time there (VPs and scheduling). Both are clock readings, not tick
 * samples, which a test host whose emulated CPUs take turns would skew.
 *
 * Return: nanoseconds.
 */
u64 hv_lp_root_ns(struct hv_lp *lp)
{
	u64 busy = hv_lp_busy_ns(lp), hv = READ_ONCE(lp->total_ns);

	return busy > hv ? busy - hv : 0;
}

/**
 * hv_dispatch_init() - start the dispatcher threads
 *
 * Return: 0 or a negative errno.
 */
int hv_dispatch_init(void)
{
	unsigned int cpu;
	int ret;

	if (!slice_us || slice_us > USEC_PER_SEC) {
		pr_err("slice_us=%u: must be 1..1000000\n", slice_us);
		return -EINVAL;
	}
	if (period_us < 1000 || period_us > USEC_PER_SEC) {
		pr_err("period_us=%u: must be 1000..1000000\n", period_us);
		return -EINVAL;
	}
	if (root_reserve > 50) {
		pr_err("root_reserve=%u: must be 0..50 (%% of each LP)\n", root_reserve);
		return -EINVAL;
	}
	for_each_possible_cpu(cpu) {
		struct hv_lp *lp = hv_lp_get(cpu);

		lp->asid_gen = 1;
		lp->asid_next = 1;
		INIT_LIST_HEAD(&lp->rq);
		lp->idle = true;
		hrtimer_init(&lp->slice_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED);
		lp->slice_timer.function = hv_slice_end;
		hrtimer_init(&lp->period_timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_PINNED);
		lp->period_timer.function = hv_period_start;
	}
	ret = smpboot_register_percpu_thread(&hv_dispatch_thread);
	if (!ret)
		hv_dispatch_registered = true;
	return ret;
}

/** hv_dispatch_exit() - stop the dispatcher threads (no VP may be ready) */
void hv_dispatch_exit(void)
{
	unsigned int cpu;

	if (hv_dispatch_registered)
		smpboot_unregister_percpu_thread(&hv_dispatch_thread);
	hv_dispatch_registered = false;
	for_each_possible_cpu(cpu)
		hrtimer_cancel(&hv_lp_get(cpu)->period_timer);
}
