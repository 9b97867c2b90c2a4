// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl counters: every counter of the partitions and their VPs, like the
 * Hyper-V Hypervisor Partition and Virtual Processor counter sets.
 *
 * Without --interval, one snapshot of the values since each partition was
 * created. With --interval S, a sample every S seconds and, per interval,
 * what each counter grew by and its rate per second; gauges (memory, VPs)
 * are shown as they are. --count N ends after N intervals.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/hvcore.h>

#include "hvctl.h"
#include "sample.h"

#define DEFAULT_INTERVAL_MS	1000

/**
 * struct view - what one output shows
 * @now:	the sample
 * @before:	the previous sample, NULL for a snapshot
 * @secs:	seconds between them
 * @vp:		only this VP, or -1 for all
 */
struct view {
	const struct hvctl_sample *now;
	const struct hvctl_sample *before;
	double secs;
	int vp;
};

/* What a counter shows: its value, or with @before its growth. */
static __u64 shown(const struct hvctl_counter *c, __u64 now, const __u64 *before)
{
	if (!before || c->gauge)
		return now;
	return hvctl_delta(now, *before);
}

static const struct hvctl_part_sample *previous_part(const struct view *v,
						     const struct hvctl_part_sample *p)
{
	return v->before ? hvctl_sample_find(v->before, p->id) : NULL;
}

static const struct hvctl_vp_sample *previous_vp(const struct hvctl_part_sample *pp, __u32 vp)
{
	return pp && vp < pp->nr_vps ? &pp->vps[vp] : NULL;
}

/* One "  name  value unit  rate" line. */
static void text_line(const struct view *v, const struct hvctl_counter *c,
		      __u64 now, const __u64 *before)
{
	bool rate = v->before && !c->gauge && v->secs > 0;
	__u64 val = shown(c, now, before);

	printf("  %-20s %20llu", c->name, (unsigned long long)val);
	if (*c->unit || rate)
		printf(" %-2s", c->unit);
	if (rate) {
		if (!strcmp(c->unit, "ns"))
			printf("  %8.2f%% of an LP", val / v->secs / 1e7);
		else
			printf("  %10.1f/s", val / v->secs);
	}
	printf("\n");
}

/* Non-empty buckets as "2^K:N": N waits of 2^K to 2^(K+1) - 1 ns. */
static void text_hist(const __u64 *now, const __u64 *before)
{
	bool any = false;
	int k;

	printf("  %-20s", "wait_hist");
	for (k = 0; k < HVCORE_WAIT_HIST_BUCKETS; k++) {
		__u64 n = before ? hvctl_delta(now[k], before[k]) : now[k];

		if (!n)
			continue;
		printf(" 2^%d:%llu", k, (unsigned long long)n);
		any = true;
	}
	printf("%s\n", any ? "" : " -");
}

static void text_vp(const struct view *v, const struct hvctl_part_sample *p,
		    const struct hvctl_vp_sample *vs, const struct hvctl_vp_sample *prev)
{
	unsigned int i;

	printf("VP %u of %s: %s", vs->vp, p->name, hvctl_vp_state_name(vs->state));
	if (vs->lp >= 0)
		printf(", LP %d\n", vs->lp);
	else
		printf(", never ran\n");
	for (i = 0; i < hvctl_nr_vp_counters; i++)
		if (vs->have[i])
			text_line(v, &hvctl_vp_counters[i], vs->val[i],
				  prev && prev->have[i] ? &prev->val[i] : NULL);
	text_hist(vs->wait_hist, prev ? prev->wait_hist : NULL);
}

static void text_part(const struct view *v, const struct hvctl_part_sample *p)
{
	const struct hvctl_part_sample *pp = previous_part(v, p);
	unsigned int i;
	__u32 k;

	printf("Partition %s (id %u): %s\n", p->name, p->id, hvctl_state_name(p->state));
	for (i = 0; i < hvctl_nr_part_counters; i++)
		if (p->have[i])
			text_line(v, &hvctl_part_counters[i], p->val[i],
				  pp && pp->have[i] ? &pp->val[i] : NULL);
	/* The partition's share of the VP counters: their sums. */
	for (i = 0; i < hvctl_nr_vp_counters; i++)
		if (!hvctl_vp_counters[i].gauge && p->nr_vps && p->vps[0].have[i])
			text_line(v, &hvctl_vp_counters[i], p->sum[i],
				  pp ? &pp->sum[i] : NULL);
	for (k = 0; k < p->nr_vps; k++)
		if (v->vp < 0 || k == (__u32)v->vp)
			text_vp(v, p, &p->vps[k], previous_vp(pp, k));
}

static void print_text(const struct view *v, unsigned int nth)
{
	__u32 i;

	if (v->before)
		printf("Interval %u: %.3f s; counts and times are what each counter grew by\n",
		       nth, v->secs);
	if (!v->now->nr_parts)
		printf("no partitions\n");
	for (i = 0; i < v->now->nr_parts; i++) {
		if (i)
			printf("\n");
		text_part(v, &v->now->parts[i]);
	}
	if (v->before)
		printf("\n");
}

static void json_value(bool *first, const struct hvctl_counter *c, __u64 now,
		       const __u64 *before)
{
	printf("%s\"%s\":%llu", *first ? "" : ",", c->name,
	       (unsigned long long)shown(c, now, before));
	*first = false;
}

static void json_vp(const struct hvctl_vp_sample *vs, const struct hvctl_vp_sample *prev)
{
	bool first = true;
	unsigned int i;
	int k;

	printf("{\"vp\":%u,\"state\":\"%s\",", vs->vp, hvctl_vp_state_name(vs->state));
	if (vs->lp >= 0)
		printf("\"lp\":%d,", vs->lp);
	else
		printf("\"lp\":null,");
	printf("\"counters\":{");
	for (i = 0; i < hvctl_nr_vp_counters; i++)
		if (vs->have[i])
			json_value(&first, &hvctl_vp_counters[i], vs->val[i],
				   prev && prev->have[i] ? &prev->val[i] : NULL);
	printf("%s\"wait_hist\":[", first ? "" : ",");
	for (k = 0; k < HVCORE_WAIT_HIST_BUCKETS; k++) {
		__u64 n = vs->wait_hist[k];

		if (prev)
			n = hvctl_delta(n, prev->wait_hist[k]);
		printf("%s%llu", k ? "," : "", (unsigned long long)n);
	}
	printf("]}}");
}

static void json_part(const struct view *v, const struct hvctl_part_sample *p)
{
	const struct hvctl_part_sample *pp = previous_part(v, p);
	bool first = true, vp_first = true;
	unsigned int i;
	__u32 k;

	printf("{\"id\":%u,\"name\":\"%s\",\"state\":\"%s\",\"counters\":{", p->id, p->name,
	       hvctl_state_name(p->state));
	for (i = 0; i < hvctl_nr_part_counters; i++)
		if (p->have[i])
			json_value(&first, &hvctl_part_counters[i], p->val[i],
				   pp && pp->have[i] ? &pp->val[i] : NULL);
	for (i = 0; i < hvctl_nr_vp_counters; i++)
		if (!hvctl_vp_counters[i].gauge && p->nr_vps && p->vps[0].have[i])
			json_value(&first, &hvctl_vp_counters[i], p->sum[i],
				   pp ? &pp->sum[i] : NULL);
	printf("},\"vps\":[");
	for (k = 0; k < p->nr_vps; k++) {
		if (v->vp >= 0 && k != (__u32)v->vp)
			continue;
		printf("%s", vp_first ? "" : ",");
		vp_first = false;
		json_vp(&p->vps[k], previous_vp(pp, k));
	}
	printf("]}");
}

/*
 * One line: {"time_ns":T,"interval_ns":D or null,"partitions":[...]}.
 * With an interval the counts and times are growths; a partition or VP
 * that is new since the previous sample grew from 0.
 */
static void print_json(const struct view *v)
{
	__u32 i;

	printf("{\"time_ns\":%llu,\"interval_ns\":", (unsigned long long)v->now->time_ns);
	if (v->before)
		printf("%llu", (unsigned long long)(v->now->time_ns - v->before->time_ns));
	else
		printf("null");
	printf(",\"partitions\":[");
	for (i = 0; i < v->now->nr_parts; i++) {
		printf("%s", i ? "," : "");
		json_part(v, &v->now->parts[i]);
	}
	printf("]}\n");
}

/* --vp N must name a VP of the partition. */
static int check_vp(const struct hvctl_args *args, const struct hvctl_sample *s)
{
	const struct hvctl_part_sample *p = &s->parts[0];

	if (!(args->given & HVCTL_OPT_VP) || args->vp < p->nr_vps)
		return 0;
	hvctl_err("partition %s has %u VP%s (0 to %u); there is no VP %u",
		  p->name, p->nr_vps, p->nr_vps == 1 ? "" : "s", p->nr_vps - 1, args->vp);
	return -1;
}

/**
 * hvctl_counters() - the "counters" command
 * @args: the command line (optional target, --vp, --interval, --count,
 *	--json)
 *
 * Return: exit status.
 */
int hvctl_counters(const struct hvctl_args *args)
{
	unsigned int ms = args->interval_ms ?: DEFAULT_INTERVAL_MS, n;
	struct hvctl_sample a, b, *now = &a, *before = &b;
	struct view v = { .vp = args->given & HVCTL_OPT_VP ? (int)args->vp : -1 };
	bool series = args->given & (HVCTL_OPT_INTERVAL | HVCTL_OPT_COUNT);
	int ret = HVCTL_EXIT_ERROR;
	__u64 start;

	memset(&b, 0, sizeof(b));
	if (hvctl_sample(now, args->target) || check_vp(args, now))
		goto out;
	if (!series) {
		v.now = now;
		if (args->json)
			print_json(&v);
		else
			print_text(&v, 0);
		ret = HVCTL_EXIT_OK;
		goto out;
	}
	start = now->time_ns;
	for (n = 1; !args->count || n <= args->count; n++) {
		if (hvctl_sample_next(&now, &before, start, n, ms, args->target) ||
		    check_vp(args, now))
			goto out;
		v.now = now;
		v.before = before;
		v.secs = (now->time_ns - before->time_ns) / 1e9;
		if (args->json)
			print_json(&v);
		else
			print_text(&v, n);
		if (fflush(stdout))
			goto out;
	}
	ret = HVCTL_EXIT_OK;
out:
	hvctl_sample_free(&a);
	hvctl_sample_free(&b);
	return ret;
}
