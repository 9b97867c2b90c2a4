/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvctl: one snapshot of every counter hvcore keeps, for "counters" and
 * "top". The counters are tables (sample.c): a new counter is one entry.
 */
#ifndef _HVCTL_SAMPLE_H
#define _HVCTL_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>

#include <linux/hvcore.h>

/**
 * struct hvctl_counter - one counter of a VP or a partition
 * @name:	its name in the output (text and JSON key)
 * @unit:	"ns" for times, "" for counts
 * @gauge:	a current value (memory, VPs), not a count that only grows:
 *		interval output shows it as it is, not as a delta
 * @offset:	where struct hvcore_vp_info (VP table) or struct
 *		hvcore_partition_info (partition table) holds it, or
 *		HVCTL_NO_OFFSET when @sysfs gives it
 * @sysfs:	else the file that holds it, in the VP's or the partition's
 *		directory under /sys/kernel/hvcore/partitions/<id>/; a counter
 *		whose file is missing (an older module) is left out
 */
struct hvctl_counter {
	const char *name;
	const char *unit;
	bool gauge;
	size_t offset;
	const char *sysfs;
};

#define HVCTL_NO_OFFSET		((size_t)-1)

extern const struct hvctl_counter hvctl_vp_counters[];
extern const unsigned int hvctl_nr_vp_counters;
extern const struct hvctl_counter hvctl_part_counters[];
extern const unsigned int hvctl_nr_part_counters;

/* At most this many counters in one table; checked when sampling. */
#define HVCTL_MAX_COUNTERS	64

/**
 * struct hvctl_vp_sample - one VP
 * @vp:		index
 * @state:	HVCORE_VP_*
 * @lp:		LP it runs or last ran on, -1: never ran
 * @val:	hvctl_vp_counters[i]'s value
 * @have:	whether @val[i] could be read
 * @wait_hist:	struct hvcore_vp_info.wait_hist
 */
struct hvctl_vp_sample {
	__u32 vp;
	__u32 state;
	__s32 lp;
	__u64 val[HVCTL_MAX_COUNTERS];
	bool have[HVCTL_MAX_COUNTERS];
	__u64 wait_hist[HVCORE_WAIT_HIST_BUCKETS];
};

/**
 * struct hvctl_part_sample - one partition
 * @id:		id
 * @name:	name
 * @state:	HVCORE_STATE_*
 * @val:	hvctl_part_counters[i]'s value
 * @have:	whether @val[i] could be read
 * @sum:	hvctl_vp_counters[i] summed over the VPs (not for gauges)
 * @nr_vps:	entries in @vps
 * @vps:	the VPs
 */
struct hvctl_part_sample {
	__u32 id;
	char name[HVCORE_NAME_MAX];
	__u32 state;
	__u64 val[HVCTL_MAX_COUNTERS];
	bool have[HVCTL_MAX_COUNTERS];
	__u64 sum[HVCTL_MAX_COUNTERS];
	__u32 nr_vps;
	struct hvctl_vp_sample *vps;
};

/**
 * struct hvctl_sample - everything, at one time
 * @time_ns:	CLOCK_MONOTONIC in the middle of taking the sample
 * @nr_parts:	entries in @parts
 * @parts:	the partitions, ascending ids
 * @nr_lps:	LPs hvcore holds (lps_enabled)
 * @lp_total_ns: lp/lpN/total_ns summed over the LPs: VPs dispatched
 * @lp_guest_ns: lp/lpN/guest_ns summed: of which in guest mode
 * @lp_root_ns:	lp/lpN/root_ns summed: the root partition
 */
struct hvctl_sample {
	__u64 time_ns;
	__u32 nr_parts;
	struct hvctl_part_sample *parts;
	__u32 nr_lps;
	__u64 lp_total_ns;
	__u64 lp_guest_ns;
	__u64 lp_root_ns;
};

int hvctl_sample(struct hvctl_sample *s, const char *target);
void hvctl_sample_free(struct hvctl_sample *s);
const struct hvctl_part_sample *hvctl_sample_find(const struct hvctl_sample *s, __u32 id);
__u64 hvctl_delta(__u64 now, __u64 before);
int hvctl_sleep_until(__u64 deadline_ns);
int hvctl_sample_next(struct hvctl_sample **now, struct hvctl_sample **before,
		      __u64 start_ns, unsigned int n, unsigned int ms, const char *target);

#endif /* _HVCTL_SAMPLE_H */
