/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvctl: declarations shared by the command implementations.
 */
#ifndef _HVCTL_H
#define _HVCTL_H

#include <stdbool.h>
#include <stddef.h>

#include <linux/hvcore.h>

/* Exit statuses, documented in Documentation/hvctl.rst. */
#define HVCTL_EXIT_OK		0
#define HVCTL_EXIT_ERROR	1	/* the command could not do its job */
#define HVCTL_EXIT_USAGE	2	/* bad command line */
#define HVCTL_EXIT_GUEST_CODE	3	/* run: the guest exited with a non-zero code */
#define HVCTL_EXIT_CRASHED	4	/* run: the partition crashed */
#define HVCTL_EXIT_SIGINT	130	/* run: interrupted by SIGINT */
#define HVCTL_EXIT_SIGTERM	143	/* run: interrupted by SIGTERM */

#define HVCORE_DEV_PATH		"/dev/hvcore"
#define HVCORE_SYSFS_PATH	"/sys/kernel/hvcore"

#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define fallthrough		__attribute__((__fallthrough__))
#define BIT(nr)			(1U << (nr))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/* Options a command accepts: bits of struct hvctl_args.given. */
#define HVCTL_OPT_JSON		BIT(0)
#define HVCTL_OPT_MEMORY	BIT(1)
#define HVCTL_OPT_VPS		BIT(2)
#define HVCTL_OPT_NODE		BIT(3)
#define HVCTL_OPT_IMAGE		BIT(4)
#define HVCTL_OPT_ENTRY		BIT(5)
#define HVCTL_OPT_LOAD		BIT(6)
#define HVCTL_OPT_MODE		BIT(7)
#define HVCTL_OPT_CODE		BIT(8)
#define HVCTL_OPT_LOG		BIT(9)
#define HVCTL_OPT_START		BIT(10)
#define HVCTL_OPT_FORCE		BIT(11)
#define HVCTL_OPT_DETACH	BIT(12)
#define HVCTL_OPT_INTERVAL	BIT(13)
#define HVCTL_OPT_COUNT		BIT(14)
#define HVCTL_OPT_ITERATIONS	BIT(15)
#define HVCTL_OPT_VP		BIT(16)
#define HVCTL_OPT_BATCH		BIT(17)

/* What "start" and "run --start" take. */
#define HVCTL_OPTS_START	(HVCTL_OPT_IMAGE | HVCTL_OPT_ENTRY | HVCTL_OPT_LOAD | \
				 HVCTL_OPT_MODE)

/* Keys of "set": bits of struct hvctl_policy_change.given. */
#define HVCTL_SET_WEIGHT	BIT(0)
#define HVCTL_SET_RESERVE	BIT(1)
#define HVCTL_SET_CAP		BIT(2)
#define HVCTL_SET_IO_BOOST	BIT(3)

/**
 * struct hvctl_policy_change - the KEY=VALUE words of "set", parsed
 * @given:	HVCTL_SET_* keys that were given
 * @weight:	cpu.weight
 * @reserve:	cpu.reserve, % of one LP per VP
 * @cap:	cpu.cap, % of one LP per VP
 * @io_boost:	cpu.io-boost, on (1) or off (0)
 */
struct hvctl_policy_change {
	unsigned int given;
	__u32 weight;
	__u32 reserve;
	__u32 cap;
	__u32 io_boost;
};

/* Real-mode images start where a BIOS puts a boot sector. */
#define HVCTL_REAL_MODE_ENTRY	0x7c00ULL

/**
 * struct hvctl_args - the command line, parsed
 * @given:	HVCTL_OPT_* options that were given
 * @json:	--json
 * @target:	the NAME|ID operand, NULL when there is none
 * @memory:	--memory, in bytes
 * @vps:	--vps
 * @node:	--node
 * @image:	--image
 * @entry:	--entry
 * @load:	--load
 * @mode:	--mode
 * @code:	--code
 * @log:	--log
 * @interval_ms: --interval, in milliseconds
 * @count:	--count (counters) or --iterations (top); 0: until interrupted
 * @vp:		--vp
 * @words:	words after the operand ("set": KEY=VALUE), NULL when none
 * @nr_words:	how many
 * @policy:	"set": @words, parsed
 */
struct hvctl_args {
	unsigned int given;
	bool json;
	const char *target;
	unsigned long long memory;
	unsigned int vps;
	int node;
	const char *image;
	unsigned long long entry;
	unsigned long long load;
	const char *mode;
	unsigned int code;
	const char *log;
	unsigned int interval_ms;
	unsigned int count;
	unsigned int vp;
	char **words;
	unsigned int nr_words;
	struct hvctl_policy_change policy;
};

void __printf(1, 2) hvctl_err(const char *fmt, ...);
int hvctl_read_file(const char *path, char *buf, size_t size);
bool hvctl_module_loaded(void);
int hvctl_open_dev(void);
int hvctl_usage_error(void);

int hvctl_features(const struct hvctl_args *args);
int hvctl_topology(const struct hvctl_args *args);

/* partition.c */
const char *hvctl_state_name(unsigned int state);
const char *hvctl_crash_name(unsigned int reason);
int hvctl_open_partition(const char *target, struct hvcore_partition_info *info);
int hvctl_get_partition_info(int fd, const char *target,
			     struct hvcore_partition_info *info);
void hvctl_print_crash(const struct hvcore_partition_info *info);
int hvctl_start_partition(int fd, const struct hvcore_partition_info *info,
			  const struct hvctl_args *args);
int hvctl_list(const struct hvctl_args *args);
int hvctl_show(const struct hvctl_args *args);
int hvctl_create(const struct hvctl_args *args);
int hvctl_delete(const struct hvctl_args *args);
int hvctl_start(const struct hvctl_args *args);
int hvctl_pause(const struct hvctl_args *args);
int hvctl_resume(const struct hvctl_args *args);
int hvctl_stop(const struct hvctl_args *args);
int hvctl_add_vp(const struct hvctl_args *args);
__u32 *hvctl_list_ids(int dev, __u32 *count);
int hvctl_open_id(int dev, __u32 id);
const char *hvctl_vp_state_name(unsigned int state);

/* policy.c */
int hvctl_parse_settings(struct hvctl_args *args);
int hvctl_get_policy(int fd, const char *target, struct hvcore_policy *pol);
int hvctl_set(const struct hvctl_args *args);

/* worker.c */
int hvctl_run(const struct hvctl_args *args);

/* counters.c and top.c */
int hvctl_counters(const struct hvctl_args *args);
int hvctl_top(const struct hvctl_args *args);

#endif /* _HVCTL_H */
