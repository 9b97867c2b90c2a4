// SPDX-License-Identifier: GPL-2.0
/*
 * The dispatcher: one kernel thread per logical processor (LP) runs the
 * virtual processors (VPs) that are ready, a time slice at a time.
 *
 * The frame (DESIGN.md section 2) is what the scheduler policy of a later
 * change plugs into:
 *
 *  - VP states (HVCORE_VP_*): OFF while the partition is off; READY on the
 *    run queue; RUNNING on an LP; HALTED after HLT until an interrupt is
 *    pending; WAITING until the worker answers a message; PAUSED while the
 *    partition is paused (remembering which of the others to go back to).
 *    hv_sched_lock guards the states, the run queue and p->nr_running.
 *  - One FIFO run queue shared by all LPs: round robin, nothing more yet.
 *  - A slice ends when its hrtimer fires (the timer interrupt makes the
 *    guest exit, see svm.c), when the VP blocks, when somebody kicks it
 *    (pause, stop, crash, an injected interrupt for a VP that is running),
 *    or when Linux wants the CPU back (need_resched()): the dispatcher is an
 *    ordinary SCHED_NORMAL thread, so the root partition is never starved.
 *  - Time is accounted per VP and per LP: total (dispatched) and guest
 *    (inside VMRUN/VMRESUME), in nanoseconds of local_clock().
 *
 * The threads are smpboot per-CPU threads, parked and unparked with CPU
 * hotplug. Before every guest entry, with interrupts off, the dispatcher
 * checks that hvcore still holds SVM/VMX on the LP: the hotplug teardown
 * gives it back from another thread on the same CPU.
 */
#define pr_fmt(fmt) "hvcore: " fmt

#include <linux/cpu.h>
#include <linux/hrtimer.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/smpboot.h>
#include <asm/debugreg.h>
#include <asm/fpu/api.h>

#include "hvcore.h"

static unsigned int slice_us = 10000;
module_param(slice_us, uint, 0444);
MODULE_PARM_DESC(slice_us, "VP time slice in microseconds (default 10000)");

/**
 * hv_slice_us() - the VP time slice
 *
 * Return: microseconds.
 */
unsigned int hv_slice_us(void)
{
	return slice_us;
}

DEFINE_SPINLOCK(hv_sched_lock);
static LIST_HEAD(hv_runq);
static DEFINE_PER_CPU(struct task_struct *, hv_dispatcher);
static bool hv_dispatch_registered;

/*
 * Wake every LP that runs no VP. Waking only one could pick an LP that is
 * about to take another VP and leave an idle LP asleep; with a handful of
 * LPs, the ones that find the queue empty just go back to sleep.
 */
static void hv_wake_dispatchers(void)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		struct hv_lp *lp = hv_lp_get(cpu);
		struct task_struct *t = per_cpu(hv_dispatcher, cpu);

		if (t && READ_ONCE(lp->enabled) && !READ_ONCE(lp->current_vp))
			wake_up_process(t);
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
		list_add_tail(&vp->rq_node, &hv_runq);
		hv_wake_dispatchers();
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
 * hv_vps_stop_locked() - take every VP of @p off the run queue
 * @p:		the partition, whose state is no longer RUNNING
 * @state:	HVCORE_VP_OFF (stop, crash) or HVCORE_VP_PAUSED (pause)
 *
 * VPs on an LP are left to hv_put(), which reads the partition's state.
 * For PAUSED, each VP remembers the state to return to.
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
}

static void hv_kick_ipi(void *unused)
{
	/* The interrupt itself made the guest exit; nothing else to do. */
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

static struct hv_vp *hv_pick(struct hv_lp *lp)
{
	struct hv_vp *vp;

	spin_lock(&hv_sched_lock);
	vp = list_first_entry_or_null(&hv_runq, struct hv_vp, rq_node);
	if (vp) {
		list_del_init(&vp->rq_node);
		vp->state = HVCORE_VP_RUNNING;
		vp->on_lp = true;
		WRITE_ONCE(vp->kick, false);
		if (vp->lp >= 0 && vp->lp != lp->cpu)
			vp->migrations++;
		WRITE_ONCE(vp->lp, lp->cpu);
		vp->dispatches++;
		vp->part->nr_running++;
		WRITE_ONCE(lp->current_vp, vp);
	}
	spin_unlock(&hv_sched_lock);
	return vp;
}

/* After a slice: where the VP goes next. */
static void hv_put(struct hv_lp *lp, struct hv_vp *vp, enum hv_action act)
{
	struct hv_partition *p = vp->part;
	bool idle;

	spin_lock(&hv_sched_lock);
	WRITE_ONCE(lp->current_vp, NULL);
	WRITE_ONCE(vp->kick, false);
	vp->on_lp = false;
	if (p->state != HVCORE_STATE_RUNNING && p->state != HVCORE_STATE_PAUSED) {
		vp->state = HVCORE_VP_OFF;
	} else if (act == HV_BLOCK && (vp->state == HVCORE_VP_HALTED ||
				       vp->state == HVCORE_VP_WAITING)) {
		/* Still blocked: nobody made it ready while it was on the LP. */
		if (p->state == HVCORE_STATE_PAUSED) {
			vp->paused_state = vp->state;
			vp->state = HVCORE_VP_PAUSED;
		}
	} else {
		hv_vp_make_ready_locked(vp);
	}
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
static enum hv_action hv_run_slice(struct hv_lp *lp, struct hv_vp *vp)
{
	struct hv_partition *p = vp->part;
	enum hv_action act = HV_RESUME;
	u64 start = local_clock(), t0, t1;

	WRITE_ONCE(lp->slice_over, false);
	hrtimer_start(&lp->slice_timer, ns_to_ktime((u64)slice_us * NSEC_PER_USEC),
		      HRTIMER_MODE_REL_PINNED);

	while (act == HV_RESUME) {
		kernel_fpu_begin();
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
			hv_xcr0_enter(vp);
			t0 = local_clock();
			hv_arch->run(vp, lp, hv_npt_root_pa(p));
			t1 = local_clock();
			hv_xcr0_exit(vp);
			/* As KVM does: do not count on the world switch for DR7. */
			if (hw_breakpoint_active())
				hw_breakpoint_restore();
			local_irq_enable();
			vp->guest_ns += t1 - t0;
			lp->guest_ns += t1 - t0;
			act = hv_handle_exit(vp);
			if (act != HV_RESUME)
				break;
		}
		if (hv_arch->put)
			hv_arch->put(vp);
		hv_fpu_save(vp);
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
	start = local_clock() - start;
	vp->total_ns += start;
	lp->total_ns += start;
	return act;
}

static int hv_should_run(unsigned int cpu)
{
	return READ_ONCE(hv_lp_get(cpu)->enabled) && !list_empty(&hv_runq);
}

static void hv_dispatch(unsigned int cpu)
{
	struct hv_lp *lp = hv_lp_get(cpu);
	struct hv_vp *vp = hv_pick(lp);
	enum hv_action act;

	if (!vp)
		return;
	act = hv_run_slice(lp, vp);
	hv_put(lp, vp, act);
	cond_resched();
}

static struct smp_hotplug_thread hv_dispatch_thread = {
	.store			= &hv_dispatcher,
	.thread_should_run	= hv_should_run,
	.thread_fn		= hv_dispatch,
	.thread_comm		= "hvcore/%u",
};

/**
 * hv_lp_online() - an LP became usable: let its dispatcher look for work
 * @lp: the LP
 */
void hv_lp_online(struct hv_lp *lp)
{
	struct task_struct *t = per_cpu(hv_dispatcher, lp->cpu);

	if (t && !list_empty(&hv_runq))
		wake_up_process(t);
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
	for_each_possible_cpu(cpu) {
		struct hv_lp *lp = hv_lp_get(cpu);

		lp->asid_gen = 1;
		lp->asid_next = 1;
		hrtimer_init(&lp->slice_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED);
		lp->slice_timer.function = hv_slice_end;
	}
	ret = smpboot_register_percpu_thread(&hv_dispatch_thread);
	if (!ret)
		hv_dispatch_registered = true;
	return ret;
}

/** hv_dispatch_exit() - stop the dispatcher threads (no VP may be ready) */
void hv_dispatch_exit(void)
{
	if (hv_dispatch_registered)
		smpboot_unregister_percpu_thread(&hv_dispatch_thread);
	hv_dispatch_registered = false;
}
