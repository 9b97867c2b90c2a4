// SPDX-License-Identifier: GPL-2.0
/*
 * A partition's CPU policy: weight, per-VP reservation and cap
 * (struct hvcore_policy). This file checks and stores it; sched.c applies
 * it and admits reservations against what the LPs can give.
 */
#define pr_fmt(fmt) "hvcore: " fmt

#include <linux/uaccess.h>

#include "hvcore.h"

static int hv_policy_check(const struct hvcore_policy *pol)
{
	if (pol->weight < HVCORE_WEIGHT_MIN || pol->weight > HVCORE_WEIGHT_MAX) {
		hv_bad_input("SET_POLICY: weight %u is not between %u and %u", pol->weight,
			     HVCORE_WEIGHT_MIN, HVCORE_WEIGHT_MAX);
		return -EINVAL;
	}
	if (pol->cap < 1 || pol->cap > 100) {
		hv_bad_input("SET_POLICY: cap %u%% is not between 1 and 100", pol->cap);
		return -EINVAL;
	}
	if (pol->reserve > pol->cap) {
		hv_bad_input("SET_POLICY: reserve %u%% is above the cap of %u%%", pol->reserve,
			     pol->cap);
		return -EINVAL;
	}
	return 0;
}

static long hv_policy_set(struct hv_partition *p, void __user *uarg)
{
	struct hvcore_policy pol;
	u32 usize;
	int ret;

	ret = hv_args_in(&pol, sizeof(pol), uarg, HVCORE_POLICY_SIZE_VER0, "SET_POLICY", &usize);
	if (!ret)
		ret = hv_args_check("SET_POLICY", pol.flags, HVCORE_POLICY_IO_BOOST, &pol.reserved0,
				    sizeof(pol) - offsetof(struct hvcore_policy, reserved0));
	if (!ret)
		ret = hv_policy_check(&pol);
	if (ret)
		return ret;

	spin_lock(&hv_sched_lock);
	/* A running or paused partition holds its reservation: re-admit it. */
	if (p->state == HVCORE_STATE_RUNNING || p->state == HVCORE_STATE_PAUSED)
		ret = hv_sched_admit_locked(p, pol.reserve, "SET_POLICY");
	if (!ret) {
		u32 i;

		p->weight = pol.weight;
		p->reserve = pol.reserve;
		p->cap = pol.cap;
		p->policy_flags = pol.flags;
		/* The current period is judged by neither the old nor the new reserve. */
		for (i = 0; i < p->nr_vps; i++)
			p->vps[i]->period_partial = true;
	}
	spin_unlock(&hv_sched_lock);
	return ret;
}

static long hv_policy_get(struct hv_partition *p, void __user *uarg)
{
	struct hvcore_policy pol;
	u32 usize;
	int ret;

	ret = hv_args_in(&pol, sizeof(pol), uarg, HVCORE_POLICY_SIZE_VER0, "GET_POLICY", &usize);
	if (!ret)
		ret = hv_args_check("GET_POLICY", pol.flags, 0, &pol.weight,
				    sizeof(pol) - offsetof(struct hvcore_policy, weight));
	if (ret)
		return ret;
	spin_lock(&hv_sched_lock);
	pol.weight = p->weight;
	pol.reserve = p->reserve;
	pol.cap = p->cap;
	pol.flags = p->policy_flags;
	spin_unlock(&hv_sched_lock);
	return hv_args_out(uarg, &pol, sizeof(pol), usize);
}

/**
 * hv_policy_ioctl() - HVCORE_SET_POLICY and HVCORE_GET_POLICY
 * @p:		the partition, @p->lock held
 * @cmd:	the ioctl
 * @uarg:	user pointer to struct hvcore_policy
 *
 * Return: 0; -EINVAL for a value out of range; -ENOSPC when a running
 * partition's new reservation does not fit (uapi header). Each refusal
 * logs one line.
 */
long hv_policy_ioctl(struct hv_partition *p, unsigned int cmd, void __user *uarg)
{
	if (HV_IOC_NOSIZE(cmd) == HV_IOC_NOSIZE(HVCORE_SET_POLICY))
		return hv_policy_set(p, uarg);
	return hv_policy_get(p, uarg);
}
