// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl top: a live view of the partitions and their VPs, like xentop or
 * esxtop: every interval, one row per partition and one per VP with what
 * it did in the interval.
 *
 * A header gives the LPs hvcore holds and how their time went: hvcore's
 * (VPs' guest time and the hypervisor's), the root partition, idle. Rows: state, % run
 * time (time dispatched over the interval: 100 is one LP's whole time;
 * a partition's row sums its VPs), % of it in guest mode, wait per
 * dispatch in microseconds (time ready but not running over dispatches),
 * dispatches and intercepts (exits) per second, and migrations.
 *
 * On a terminal the screen is cleared before each table unless --batch;
 * otherwise the tables follow one another. --iterations N ends after N
 * tables; the first comes after one interval, as rates need two samples.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/hvcore.h>

#include "hvctl.h"
#include "sample.h"

#define DEFAULT_INTERVAL_MS	1000
#define CLEAR_SCREEN		"\033[H\033[2J"

/* Indexes of the VP counters top shows, found by name once. */
static int idx_total, idx_guest, idx_wait, idx_dispatches, idx_migrations;

/**
 * struct row - what one row shows, over the interval
 * @total_ns:	run time
 * @guest_ns:	of which in guest mode
 * @wait_ns:	time ready but not dispatched
 * @dispatches:	dispatches
 * @exits:	intercepts of every kind
 * @migrations:	dispatches on another LP than the previous one
 */
struct row {
	__u64 total_ns;
	__u64 guest_ns;
	__u64 wait_ns;
	__u64 dispatches;
	__u64 exits;
	__u64 migrations;
};

static int counter_index(const char *name)
{
	unsigned int i;

	for (i = 0; i < hvctl_nr_vp_counters; i++)
		if (!strcmp(hvctl_vp_counters[i].name, name))
			return i;
	hvctl_err("internal error: no VP counter '%s'", name);
	return -1;
}

static int find_indexes(void)
{
	idx_total = counter_index("total_ns");
	idx_guest = counter_index("guest_ns");
	idx_wait = counter_index("wait_ns");
	idx_dispatches = counter_index("dispatches");
	idx_migrations = counter_index("migrations");
	return idx_total < 0 || idx_guest < 0 || idx_wait < 0 || idx_dispatches < 0 ||
	       idx_migrations < 0 ? -1 : 0;
}

static __u64 grew(const struct hvctl_vp_sample *now, const struct hvctl_vp_sample *before,
		  int i)
{
	return hvctl_delta(now->val[i], before ? before->val[i] : 0);
}

/* Add VP @now's interval (since @before, or since 0 if it is new) to @r. */
static void add_vp(struct row *r, const struct hvctl_vp_sample *now,
		   const struct hvctl_vp_sample *before)
{
	unsigned int i;

	r->total_ns += grew(now, before, idx_total);
	r->guest_ns += grew(now, before, idx_guest);
	r->wait_ns += grew(now, before, idx_wait);
	r->dispatches += grew(now, before, idx_dispatches);
	r->migrations += grew(now, before, idx_migrations);
	for (i = 0; i < hvctl_nr_vp_counters; i++)
		if (!strncmp(hvctl_vp_counters[i].name, "exits_", 6))
			r->exits += grew(now, before, i);
}

static double pct(__u64 ns, double secs)
{
	return secs > 0 ? ns / secs / 1e7 : 0;
}

static void text_row(const struct hvctl_part_sample *p, const struct hvctl_vp_sample *vs,
		     const struct row *r, double secs)
{
	char vp[16] = "-", lp[16] = "-", wait[24] = "-";

	if (vs) {
		snprintf(vp, sizeof(vp), "%u", vs->vp);
		if (vs->lp >= 0)
			snprintf(lp, sizeof(lp), "%d", vs->lp);
	}
	if (r->dispatches)
		snprintf(wait, sizeof(wait), "%.1f", r->wait_ns / 1e3 / r->dispatches);
	printf("%-5u %-16s %-3s %-8s %-3s %7.1f %7.1f %10s %9.1f %9.1f %6llu\n",
	       p->id, p->name, vp, vs ? hvctl_vp_state_name(vs->state) : hvctl_state_name(p->state),
	       lp, pct(r->total_ns, secs), pct(r->guest_ns, secs), wait,
	       secs > 0 ? r->dispatches / secs : 0, secs > 0 ? r->exits / secs : 0,
	       (unsigned long long)r->migrations);
}

static void json_row(const struct row *r, double secs)
{
	printf("\"run_pct\":%.2f,\"guest_pct\":%.2f,\"wait_per_dispatch_us\":",
	       pct(r->total_ns, secs), pct(r->guest_ns, secs));
	if (r->dispatches)
		printf("%.2f", r->wait_ns / 1e3 / r->dispatches);
	else
		printf("null");
	printf(",\"dispatches_per_s\":%.2f,\"exits_per_s\":%.2f,\"migrations\":%llu",
	       secs > 0 ? r->dispatches / secs : 0, secs > 0 ? r->exits / secs : 0,
	       (unsigned long long)r->migrations);
}

/**
 * struct lp_split - how the LPs' time went over the interval, in %
 * @vps:	VPs dispatched
 * @guest:	of which in guest mode
 * @hypervisor:	of which in hvcore
 * @root:	the root partition
 * @idle:	the rest
 */
struct lp_split {
	double vps;
	double guest;
	double hypervisor;
	double root;
	double idle;
};

static void split_lps(const struct hvctl_sample *now, const struct hvctl_sample *before,
		      double secs, struct lp_split *l)
{
	double all = secs * now->nr_lps;

	memset(l, 0, sizeof(*l));
	if (all <= 0)
		return;
	l->vps = pct(hvctl_delta(now->lp_total_ns, before->lp_total_ns), all);
	l->guest = pct(hvctl_delta(now->lp_guest_ns, before->lp_guest_ns), all);
	l->hypervisor = l->vps > l->guest ? l->vps - l->guest : 0;
	l->root = pct(hvctl_delta(now->lp_root_ns, before->lp_root_ns), all);
	l->idle = 100 - l->vps - l->root;
	if (l->idle < 0)
		l->idle = 0;
}

static void print_text(const struct hvctl_sample *now, const struct hvctl_sample *before)
{
	double secs = (now->time_ns - before->time_ns) / 1e9;
	const struct hvctl_part_sample *p, *pp;
	struct lp_split l;
	struct row r, vr;
	__u32 i, k;

	split_lps(now, before, secs, &l);
	printf("hvctl top: %.2f s, %u LPs: ", secs, now->nr_lps);
	printf("hvcore %.1f%% (guest %.1f%%, hypervisor %.1f%%), root %.1f%%, idle %.1f%%\n",
	       l.vps, l.guest, l.hypervisor, l.root, l.idle);
	printf("%-5s %-16s %-3s %-8s %-3s %7s %7s %10s %9s %9s %6s\n", "ID", "NAME", "VP",
	       "STATE", "LP", "RUN%", "GUEST%", "WAIT/DISP", "DISP/S", "EXITS/S", "MIGR");
	for (i = 0; i < now->nr_parts; i++) {
		p = &now->parts[i];
		pp = hvctl_sample_find(before, p->id);
		memset(&r, 0, sizeof(r));
		for (k = 0; k < p->nr_vps; k++)
			add_vp(&r, &p->vps[k], pp && k < pp->nr_vps ? &pp->vps[k] : NULL);
		text_row(p, NULL, &r, secs);
		for (k = 0; k < p->nr_vps; k++) {
			memset(&vr, 0, sizeof(vr));
			add_vp(&vr, &p->vps[k], pp && k < pp->nr_vps ? &pp->vps[k] : NULL);
			text_row(p, &p->vps[k], &vr, secs);
		}
	}
}

static void print_json(const struct hvctl_sample *now, const struct hvctl_sample *before)
{
	double secs = (now->time_ns - before->time_ns) / 1e9;
	const struct hvctl_part_sample *p, *pp;
	const struct hvctl_vp_sample *vs;
	struct lp_split l;
	struct row r, vr;
	__u32 i, k;

	split_lps(now, before, secs, &l);
	printf("{\"time_ns\":%llu,\"interval_ns\":%llu,\"lps\":%u,",
	       (unsigned long long)now->time_ns,
	       (unsigned long long)(now->time_ns - before->time_ns), now->nr_lps);
	printf("\"lp_pct\":{\"vps\":%.2f,\"guest\":%.2f,\"hypervisor\":%.2f,",
	       l.vps, l.guest, l.hypervisor);
	printf("\"root\":%.2f,\"idle\":%.2f},", l.root, l.idle);
	printf("\"partitions\":[");
	for (i = 0; i < now->nr_parts; i++) {
		p = &now->parts[i];
		pp = hvctl_sample_find(before, p->id);
		memset(&r, 0, sizeof(r));
		for (k = 0; k < p->nr_vps; k++)
			add_vp(&r, &p->vps[k], pp && k < pp->nr_vps ? &pp->vps[k] : NULL);
		printf("%s{\"id\":%u,\"name\":\"%s\",\"state\":\"%s\",", i ? "," : "", p->id,
		       p->name, hvctl_state_name(p->state));
		json_row(&r, secs);
		printf(",\"vps\":[");
		for (k = 0; k < p->nr_vps; k++) {
			vs = &p->vps[k];
			memset(&vr, 0, sizeof(vr));
			add_vp(&vr, vs, pp && k < pp->nr_vps ? &pp->vps[k] : NULL);
			printf("%s{\"vp\":%u,\"state\":\"%s\",", k ? "," : "", vs->vp,
			       hvctl_vp_state_name(vs->state));
			if (vs->lp >= 0)
				printf("\"lp\":%d,", vs->lp);
			else
				printf("\"lp\":null,");
			json_row(&vr, secs);
			printf("}");
		}
		printf("]}");
	}
	printf("]}\n");
}

/**
 * hvctl_top() - the "top" command
 * @args: the command line (--interval, --iterations, --batch, --json)
 *
 * Return: exit status.
 */
int hvctl_top(const struct hvctl_args *args)
{
	unsigned int ms = args->interval_ms ?: DEFAULT_INTERVAL_MS, n;
	bool clear = !(args->given & HVCTL_OPT_BATCH) && !args->json && isatty(STDOUT_FILENO);
	struct hvctl_sample a, b, *now = &a, *before = &b;
	int ret = HVCTL_EXIT_ERROR;
	__u64 start;

	memset(&b, 0, sizeof(b));
	if (find_indexes() || hvctl_sample(now, NULL))
		goto out;
	start = now->time_ns;
	for (n = 1; !args->count || n <= args->count; n++) {
		if (hvctl_sample_next(&now, &before, start, n, ms, NULL))
			goto out;
		if (clear)
			printf(CLEAR_SCREEN);
		else if (n > 1 && !args->json)
			printf("\n");
		if (args->json)
			print_json(now, before);
		else
			print_text(now, before);
		if (fflush(stdout))
			goto out;
	}
	ret = HVCTL_EXIT_OK;
out:
	hvctl_sample_free(&a);
	hvctl_sample_free(&b);
	return ret;
}
