// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl set: a partition's CPU policy (struct hvcore_policy), the knobs of
 * Documentation/scheduler.rst, as KEY=VALUE words:
 *
 *   cpu.weight=N    1..10000, share under contention
 *   cpu.reserve=P   % of one LP per VP, 0..100, guaranteed when ready
 *   cpu.cap=P       % of one LP per VP, 1..100, never exceeded
 *   cpu.io-boost=on|off  HVCORE_POLICY_IO_BOOST: a VP woken by an
 *                   interrupt runs next on its LP
 *
 * Any subset, in any partition state: hvctl reads the policy
 * (HVCORE_GET_POLICY), changes the fields given and writes it back
 * (HVCORE_SET_POLICY).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/hvcore.h>

#include "hvctl.h"

#define ROOT_RESERVE_PATH	"/sys/module/hvcore/parameters/root_reserve"

/**
 * struct policy_key - one KEY of "set"
 * @name:	what the user types before "="
 * @bit:	HVCTL_SET_*
 * @min:	smallest value
 * @max:	largest value
 * @unit:	what the value means, after the range in messages
 * @on_off:	the value is "on" or "off" (1 or 0), not a number
 */
struct policy_key {
	const char *name;
	unsigned int bit;
	unsigned int min;
	unsigned int max;
	const char *unit;
	bool on_off;
};

static const struct policy_key policy_keys[] = {
	{ "cpu.weight", HVCTL_SET_WEIGHT, HVCORE_WEIGHT_MIN, HVCORE_WEIGHT_MAX,
	  " (the share under contention; default 100)", false },
	{ "cpu.reserve", HVCTL_SET_RESERVE, 0, 100, " (% of one LP per VP)", false },
	{ "cpu.cap", HVCTL_SET_CAP, 1, 100, " (% of one LP per VP)", false },
	{ "cpu.io-boost", HVCTL_SET_IO_BOOST, 0, 1, NULL, true },
	{ NULL, 0, 0, 0, NULL, false },
};

static const struct policy_key *find_key(const char *word, size_t len)
{
	const struct policy_key *k;

	for (k = policy_keys; k->name; k++)
		if (strlen(k->name) == len && !strncmp(k->name, word, len))
			return k;
	return NULL;
}

/* A decimal number of at most 9 digits: no sign, no spaces, no suffix. */
static int parse_decimal(const char *s, unsigned int *val)
{
	size_t len = strspn(s, "0123456789");

	if (len == 0 || s[len])
		return -EINVAL;
	while (len > 1 && *s == '0') {	/* leading zeros do not count */
		s++;
		len--;
	}
	if (len > 9)
		return -ERANGE;
	*val = strtoul(s, NULL, 10);
	return 0;
}

static void store(struct hvctl_policy_change *c, unsigned int bit, unsigned int val)
{
	switch (bit) {
	case HVCTL_SET_WEIGHT:
		c->weight = val;
		break;
	case HVCTL_SET_RESERVE:
		c->reserve = val;
		break;
	case HVCTL_SET_CAP:
		c->cap = val;
		break;
	case HVCTL_SET_IO_BOOST:
		c->io_boost = val;
		break;
	}
	c->given |= bit;
}

/**
 * hvctl_parse_settings() - check and parse the KEY=VALUE words of "set"
 * @args: the command line; @args->policy is filled in
 *
 * Everything that does not depend on the partition is checked here and is
 * a usage error: no words, a word without "=", an unknown or repeated key,
 * a value that is not a decimal number or out of its range, and
 * cpu.reserve above cpu.cap when both are given.
 *
 * Return: -1 to go on, or the exit status (HVCTL_EXIT_USAGE).
 */
int hvctl_parse_settings(struct hvctl_args *args)
{
	struct hvctl_policy_change *c = &args->policy;
	const struct policy_key *k;
	unsigned int i, val;
	const char *w, *eq;
	int ret;

	memset(c, 0, sizeof(*c));
	if (!args->nr_words) {
		hvctl_err("'set' needs at least one KEY=VALUE: cpu.weight=N (%d to %d), cpu.reserve=P (0 to 100), cpu.cap=P (1 to 100), P in %% of one LP per VP, cpu.io-boost=on|off",
			  HVCORE_WEIGHT_MIN, HVCORE_WEIGHT_MAX);
		return hvctl_usage_error();
	}
	for (i = 0; i < args->nr_words; i++) {
		w = args->words[i];
		eq = strchr(w, '=');
		if (!eq) {
			hvctl_err("'%s' is not KEY=VALUE: write e.g. cpu.weight=200 (keys: cpu.weight, cpu.reserve, cpu.cap, cpu.io-boost)",
				  w);
			return hvctl_usage_error();
		}
		k = find_key(w, eq - w);
		if (!k) {
			hvctl_err("unknown key '%.*s': the keys are cpu.weight, cpu.reserve, cpu.cap and cpu.io-boost",
				  (int)(eq - w), w);
			return hvctl_usage_error();
		}
		if (c->given & k->bit) {
			hvctl_err("%s is given twice: give each key once", k->name);
			return hvctl_usage_error();
		}
		if (k->on_off) {
			if (strcmp(eq + 1, "on") && strcmp(eq + 1, "off")) {
				hvctl_err("invalid value '%s' for %s: give on or off",
					  eq + 1, k->name);
				return hvctl_usage_error();
			}
			store(c, k->bit, !strcmp(eq + 1, "on"));
			continue;
		}
		ret = parse_decimal(eq + 1, &val);
		if (ret == -EINVAL) {
			hvctl_err("invalid value '%s' for %s: give a whole number from %u to %u%s",
				  eq + 1, k->name, k->min, k->max, k->unit);
			return hvctl_usage_error();
		}
		if (ret || val < k->min || val > k->max) {
			hvctl_err("%s=%s is out of range: give a whole number from %u to %u%s",
				  k->name, eq + 1, k->min, k->max, k->unit);
			return hvctl_usage_error();
		}
		store(c, k->bit, val);
	}
	if ((c->given & HVCTL_SET_RESERVE) && (c->given & HVCTL_SET_CAP) &&
	    c->reserve > c->cap) {
		hvctl_err("cpu.reserve=%u is above cpu.cap=%u: a VP cannot be guaranteed more than its cap",
			  c->reserve, c->cap);
		return hvctl_usage_error();
	}
	return -1;
}

static void policy_ioctl_error(const char *ioctl_name, const char *target, int err)
{
	if (err == ENODEV)
		hvctl_err("partition %s was deleted meanwhile", target);
	else if (err == ENOTTY)
		hvctl_err("this hvcore module has no CPU policy (%s: %s); load a newer one",
			  ioctl_name, strerror(err));
	else
		hvctl_err("ioctl %s on partition %s failed: %s", ioctl_name, target,
			  strerror(err));
}

static int get_policy(int fd, struct hvcore_policy *pol)
{
	memset(pol, 0, sizeof(*pol));
	pol->size = sizeof(*pol);
	return ioctl(fd, HVCORE_GET_POLICY, pol);
}

/**
 * hvctl_get_policy() - HVCORE_GET_POLICY, explaining a failure
 * @fd: partition fd
 * @target: the partition as the user named it, for messages
 * @pol: filled in
 *
 * Return: 0; 1 when the module does not have the ioctl (older than this
 * hvctl; a warning has been printed); -1 on another error, printed.
 */

int hvctl_get_policy(int fd, const char *target, struct hvcore_policy *pol)
{
	if (get_policy(fd, pol) == 0)
		return 0;
	if (errno == ENOTTY) {
		hvctl_err("warning: this hvcore module does not report a CPU policy (HVCORE_GET_POLICY: %s); load a newer one",
			  strerror(errno));
		return 1;
	}
	policy_ioctl_error("HVCORE_GET_POLICY", target, errno);
	return -1;
}

/*
 * What the admission check of Documentation/scheduler.rst sees: the
 * reservations (reserve x VPs, in % of an LP) held by running and paused
 * partitions other than @self, the LPs hvcore holds and the root's
 * reservation. Return: 0, or -1 when some figure could not be read.
 */
static int admission_figures(__u32 self, unsigned long long *others,
			     unsigned int *nr_lps, unsigned int *root)
{
	struct hvcore_info hi = { .size = sizeof(hi) };
	__u32 ids[256];
	struct hvcore_list l = { .size = sizeof(l), .count = 256,
				 .ids = (__u64)(unsigned long)ids };
	struct hvcore_partition_info pi;
	struct hvcore_select sel;
	struct hvcore_policy pol;
	char buf[32];
	int dev, fd, ret = -1;
	__u32 i;

	if (hvctl_read_file(ROOT_RESERVE_PATH, buf, sizeof(buf)) ||
	    sscanf(buf, "%u", root) != 1)
		return -1;
	dev = open(HVCORE_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (dev < 0)
		return -1;
	if (ioctl(dev, HVCORE_GET_INFO, &hi) ||
	    ioctl(dev, HVCORE_LIST_PARTITIONS, &l) || l.count > 256)
		goto out;
	*nr_lps = hi.nr_lps;
	*others = 0;
	for (i = 0; i < l.count; i++) {
		if (ids[i] == self)
			continue;
		memset(&sel, 0, sizeof(sel));
		sel.size = sizeof(sel);
		sel.id = ids[i];
		fd = ioctl(dev, HVCORE_OPEN_PARTITION, &sel);
		if (fd < 0)
			continue;	/* deleted meanwhile */
		memset(&pi, 0, sizeof(pi));
		pi.size = sizeof(pi);
		if (!ioctl(fd, HVCORE_PARTITION_INFO, &pi) && !get_policy(fd, &pol) &&
		    (pi.state == HVCORE_STATE_RUNNING || pi.state == HVCORE_STATE_PAUSED))
			*others += (unsigned long long)pol.reserve * pi.vp_count;
		close(fd);
	}
	ret = 0;
out:
	close(dev);
	return ret;
}

/* SET_POLICY said -ENOSPC: say why, with the figures the kernel used. */
static void explain_enospc(const struct hvcore_partition_info *info,
			   const struct hvcore_policy *pol)
{
	unsigned long long others, want = (unsigned long long)pol->reserve * info->vp_count;
	unsigned int nr_lps, root;

	if (admission_figures(info->id, &others, &nr_lps, &root)) {
		hvctl_err("cannot set cpu.reserve=%u on partition %s: %s: the reservations of the running and paused partitions would exceed what the LPs have beyond the root's reservation; lower cpu.reserve or stop another partition (dmesg has the figures)",
			  pol->reserve, info->name, strerror(ENOSPC));
		return;
	}
	if (pol->reserve > 100 - root) {
		hvctl_err("cannot set cpu.reserve=%u on partition %s: %s: a VP may reserve at most %u%% of an LP, the root partition keeps %u%% of each (module parameter root_reserve); lower cpu.reserve",
			  pol->reserve, info->name, strerror(ENOSPC), 100 - root, root);
		return;
	}
	hvctl_err("cannot set cpu.reserve=%u on partition %s: %s: its %u VP%s x %u%% = %llu%% do not fit; running and paused partitions may reserve %u%% in all (%u LPs x %u%%, the root keeps %u%% of each) and the others hold %llu%%; lower cpu.reserve, or stop a partition that holds a reservation",
		  pol->reserve, info->name, strerror(ENOSPC), info->vp_count,
		  info->vp_count == 1 ? "" : "s", pol->reserve, want, nr_lps * (100 - root),
		  nr_lps, 100 - root, root, others);
}

/* reserve > cap after merging the words with the partition's policy. */
static int reserve_above_cap(const struct hvctl_policy_change *c,
			     const struct hvcore_partition_info *info,
			     const struct hvcore_policy *pol)
{
	const char *n = info->name;

	if (c->given & HVCTL_SET_RESERVE)
		hvctl_err("cpu.reserve=%u is above the cap of partition %s, cpu.cap=%u: lower the reservation, or raise the cap in the same command: hvctl set %s cpu.cap=%u cpu.reserve=%u",
			  pol->reserve, n, pol->cap, n, pol->reserve, pol->reserve);
	else
		hvctl_err("cpu.cap=%u is below the reservation of partition %s, cpu.reserve=%u: raise the cap, or lower the reservation in the same command: hvctl set %s cpu.reserve=%u cpu.cap=%u",
			  pol->cap, n, pol->reserve, n, pol->cap, pol->cap);
	return HVCTL_EXIT_ERROR;
}

/**
 * hvctl_set() - the "set" command
 * @args: the command line (target, policy parsed by hvctl_parse_settings())
 *
 * Return: exit status.
 */
int hvctl_set(const struct hvctl_args *args)
{
	const struct hvctl_policy_change *c = &args->policy;
	struct hvcore_partition_info info;
	struct hvcore_policy pol;
	int fd, err;

	fd = hvctl_open_partition(args->target, &info);
	if (fd < 0)
		return HVCTL_EXIT_ERROR;
	if (get_policy(fd, &pol)) {
		policy_ioctl_error("HVCORE_GET_POLICY", info.name, errno);
		close(fd);
		return HVCTL_EXIT_ERROR;
	}
	if (c->given & HVCTL_SET_WEIGHT)
		pol.weight = c->weight;
	if (c->given & HVCTL_SET_RESERVE)
		pol.reserve = c->reserve;
	if (c->given & HVCTL_SET_CAP)
		pol.cap = c->cap;
	if ((c->given & HVCTL_SET_IO_BOOST) && c->io_boost)
		pol.flags |= HVCORE_POLICY_IO_BOOST;
	else if (c->given & HVCTL_SET_IO_BOOST)
		pol.flags &= ~HVCORE_POLICY_IO_BOOST;
	if (pol.reserve > pol.cap) {
		close(fd);
		return reserve_above_cap(c, &info, &pol);
	}

	/* The flags GET_POLICY gave are kept: they are the partition's. */
	pol.size = sizeof(pol);
	if (ioctl(fd, HVCORE_SET_POLICY, &pol) == 0) {
		close(fd);
		return HVCTL_EXIT_OK;
	}
	err = errno;
	close(fd);
	if (err == ENOSPC)
		explain_enospc(&info, &pol);
	else if (err == EINVAL)
		hvctl_err("hvcore refused cpu.weight=%u cpu.reserve=%u cpu.cap=%u cpu.io-boost=%s for partition %s: %s (dmesg says why)",
			  pol.weight, pol.reserve, pol.cap,
			  pol.flags & HVCORE_POLICY_IO_BOOST ? "on" : "off", info.name,
			  strerror(err));
	else
		policy_ioctl_error("HVCORE_SET_POLICY", info.name, err);
	return HVCTL_EXIT_ERROR;
}
