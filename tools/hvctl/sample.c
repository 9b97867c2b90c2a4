// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl: take a snapshot of hvcore's counters.
 *
 * Per VP they come from HVCORE_VP_INFO, per partition from
 * HVCORE_PARTITION_INFO and /sys/kernel/hvcore/partitions/<id>/, per LP
 * from /sys/kernel/hvcore/lp/lpN/. A counter is one entry of the tables
 * below, read from the ioctl's structure or from a sysfs file; an entry
 * whose file a module does not have is left out of the output, so the
 * tables can name files that newer modules add.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/hvcore.h>

#include "hvctl.h"
#include "sample.h"

#define VP_FIELD(name, unit, field) \
	{ name, unit, false, offsetof(struct hvcore_vp_info, field), NULL }
#define VP_EXIT(name, kind) \
	VP_FIELD("exits_" name, "", exits[HVCORE_EXIT_##kind])
#define VP_SYSFS(name, unit, gauge, file) \
	{ name, unit, gauge, HVCTL_NO_OFFSET, file }
#define PART_GAUGE(name, unit, field) \
	{ name, unit, true, offsetof(struct hvcore_partition_info, field), NULL }
#define PART_SYSFS(name, unit, file) \
	{ name, unit, false, HVCTL_NO_OFFSET, file }

/* Documentation/hvctl.rst, COUNTERS, says what each one counts. */
const struct hvctl_counter hvctl_vp_counters[] = {
	VP_FIELD("total_ns", "ns", total_ns),
	VP_FIELD("guest_ns", "ns", guest_ns),
	VP_FIELD("wait_ns", "ns", wait_ns),
	VP_FIELD("dispatches", "", dispatches),
	VP_FIELD("migrations", "", migrations),
	VP_FIELD("reserve_missed", "", reserve_missed),
	VP_FIELD("hypercalls", "", hypercalls),
	VP_FIELD("injected", "", injected),
	VP_FIELD("interrupts_pending_ns", "ns", irq_pending_ns),
	VP_SYSFS("interrupts_pending", "", true, "interrupts_pending"),
	VP_SYSFS("hypercalls_null", "", false, "hypercalls/null"),
	VP_SYSFS("hypercalls_get_vp_index", "", false, "hypercalls/get_vp_index"),
	VP_SYSFS("hypercalls_guest_log", "", false, "hypercalls/guest_log"),
	VP_SYSFS("hypercalls_set_vp_entry", "", false, "hypercalls/set_vp_entry"),
	VP_SYSFS("hypercalls_notify_long_spin_wait", "", false,
		 "hypercalls/notify_long_spin_wait"),
	VP_SYSFS("hypercalls_invalid", "", false, "hypercalls/invalid"),
	VP_EXIT("cpuid", CPUID),
	VP_EXIT("msr", MSR),
	VP_EXIT("io", IO),
	VP_EXIT("mmio", MMIO),
	VP_EXIT("npf", NPF),
	VP_EXIT("hlt", HLT),
	VP_EXIT("hypercall", HYPERCALL),
	VP_EXIT("intr_window", INTR_WINDOW),
	VP_EXIT("extint", EXTINT),
	VP_EXIT("nmi", NMI),
	VP_EXIT("exception", EXCEPTION),
	VP_EXIT("other", OTHER),
};

const unsigned int hvctl_nr_vp_counters = ARRAY_SIZE(hvctl_vp_counters);

const struct hvctl_counter hvctl_part_counters[] = {
	PART_GAUGE("vp_count", "", vp_count),
	PART_GAUGE("memory_bytes", "", memory_bytes),
	PART_GAUGE("memory_pages", "", memory_pages),
	PART_GAUGE("pages_2m", "", pages_2m),
	PART_GAUGE("pages_off_node", "", pages_off_node),
	PART_SYSFS("placed_off_node", "", "placed_off_node"),
};

const unsigned int hvctl_nr_part_counters = ARRAY_SIZE(hvctl_part_counters);

/* A field of @size bytes (4 or 8) at @offset of @base. */
static __u64 field_at(const void *base, size_t offset, size_t size)
{
	__u32 v32;
	__u64 v64;

	if (size == sizeof(v32)) {
		memcpy(&v32, (const char *)base + offset, sizeof(v32));
		return v32;
	}
	memcpy(&v64, (const char *)base + offset, sizeof(v64));
	return v64;
}

/* A decimal u64 sysfs file; -1 when it is missing or not a number. */
static int read_u64(const char *path, __u64 *val)
{
	char buf[32], *end;

	if (hvctl_read_file(path, buf, sizeof(buf)) || !buf[0])
		return -1;
	errno = 0;
	*val = strtoull(buf, &end, 10);
	return errno || *end ? -1 : 0;
}

/* The partition table's fields of HVCORE_PARTITION_INFO: u32 or u64. */
static size_t part_field_size(size_t offset)
{
	if (offset == offsetof(struct hvcore_partition_info, vp_count))
		return sizeof(__u32);
	return sizeof(__u64);
}

static int sample_vp(int fd, const struct hvctl_part_sample *p, __u32 vp,
		     struct hvctl_vp_sample *v)
{
	struct hvcore_vp_info info;
	char path[128];
	unsigned int i;

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.vp = vp;
	if (ioctl(fd, HVCORE_VP_INFO, &info)) {
		if (errno == ENOTTY)
			hvctl_err("this hvcore module does not report VPs (HVCORE_VP_INFO: %s); load a newer one",
				  strerror(errno));
		else if (errno == ENODEV)
			hvctl_err("partition %s was deleted meanwhile", p->name);
		else
			hvctl_err("ioctl HVCORE_VP_INFO for VP %u of partition %s failed: %s",
				  vp, p->name, strerror(errno));
		return -1;
	}
	v->vp = vp;
	v->state = info.state;
	v->lp = info.lp;
	memcpy(v->wait_hist, info.wait_hist, sizeof(v->wait_hist));
	for (i = 0; i < hvctl_nr_vp_counters; i++) {
		const struct hvctl_counter *c = &hvctl_vp_counters[i];

		if (c->offset != HVCTL_NO_OFFSET) {
			v->val[i] = field_at(&info, c->offset, sizeof(__u64));
			v->have[i] = true;
			continue;
		}
		snprintf(path, sizeof(path), HVCORE_SYSFS_PATH "/partitions/%u/vps/%u/%s",
			 p->id, vp, c->sysfs);
		v->have[i] = !read_u64(path, &v->val[i]);
	}
	return 0;
}

/*
 * Partition @fd: its info, counters and VPs into @p. Return: 0; 1 when it
 * was deleted meanwhile and @quiet (it is then left out); -1 after
 * printing why not.
 */
static int sample_partition(int fd, const char *target, bool quiet,
			    struct hvctl_part_sample *p)
{
	struct hvcore_partition_info info;
	char path[128];
	unsigned int i, k;

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	if (ioctl(fd, HVCORE_PARTITION_INFO, &info)) {
		if (errno == ENODEV && quiet)
			return 1;
		if (errno == ENODEV)
			hvctl_err("partition %s was deleted meanwhile", target);
		else
			hvctl_err("ioctl HVCORE_PARTITION_INFO on partition %s failed: %s",
				  target, strerror(errno));
		return -1;
	}
	p->id = info.id;
	memcpy(p->name, info.name, sizeof(p->name));
	p->name[sizeof(p->name) - 1] = '\0';
	p->state = info.state;
	for (i = 0; i < hvctl_nr_part_counters; i++) {
		const struct hvctl_counter *c = &hvctl_part_counters[i];

		if (c->offset != HVCTL_NO_OFFSET) {
			p->val[i] = field_at(&info, c->offset, part_field_size(c->offset));
			p->have[i] = true;
			continue;
		}
		snprintf(path, sizeof(path), HVCORE_SYSFS_PATH "/partitions/%u/%s",
			 p->id, c->sysfs);
		p->have[i] = !read_u64(path, &p->val[i]);
	}

	p->vps = calloc(info.vp_count ?: 1, sizeof(*p->vps));
	if (!p->vps) {
		hvctl_err("out of memory");
		return -1;
	}
	for (i = 0; i < info.vp_count; i++) {
		if (sample_vp(fd, p, i, &p->vps[i]))
			return -1;
		p->nr_vps++;
		for (k = 0; k < hvctl_nr_vp_counters; k++)
			if (!hvctl_vp_counters[k].gauge && p->vps[i].have[k])
				p->sum[k] += p->vps[i].val[k];
	}
	return 0;
}

/* Every partition, or none when hvcore has none. */
static int sample_all(struct hvctl_sample *s)
{
	__u32 *ids, count, i;
	int dev, fd, ret = 0;
	char what[16];

	dev = hvctl_open_dev();
	if (dev < 0)
		return -1;
	ids = hvctl_list_ids(dev, &count);
	if (!ids) {
		close(dev);
		return -1;
	}
	s->parts = calloc(count ?: 1, sizeof(*s->parts));
	if (!s->parts) {
		hvctl_err("out of memory");
		ret = -1;
		goto out;
	}
	for (i = 0; i < count; i++) {
		fd = hvctl_open_id(dev, ids[i]);
		if (fd == -ENOENT)
			continue;
		if (fd < 0) {
			ret = -1;
			goto out;
		}
		snprintf(what, sizeof(what), "%u", ids[i]);
		ret = sample_partition(fd, what, true, &s->parts[s->nr_parts]);
		close(fd);
		if (ret == 0) {
			s->nr_parts++;
			continue;
		}
		free(s->parts[s->nr_parts].vps);
		memset(&s->parts[s->nr_parts], 0, sizeof(s->parts[0]));
		if (ret < 0)
			goto out;
		ret = 0;
	}
out:
	free(ids);
	close(dev);
	return ret;
}

/* Sum lp/lpN/{total,guest,root}_ns over the LPs; best effort. */
static void sample_lps(struct hvctl_sample *s)
{
	char path[128];
	struct dirent *de;
	__u64 v;
	DIR *dir;

	if (!read_u64(HVCORE_SYSFS_PATH "/lps_enabled", &v))
		s->nr_lps = v;
	dir = opendir(HVCORE_SYSFS_PATH "/lp");
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, "lp", 2))
			continue;
		snprintf(path, sizeof(path), HVCORE_SYSFS_PATH "/lp/%.20s/total_ns", de->d_name);
		if (!read_u64(path, &v))
			s->lp_total_ns += v;
		snprintf(path, sizeof(path), HVCORE_SYSFS_PATH "/lp/%.20s/guest_ns", de->d_name);
		if (!read_u64(path, &v))
			s->lp_guest_ns += v;
		snprintf(path, sizeof(path), HVCORE_SYSFS_PATH "/lp/%.20s/root_ns", de->d_name);
		if (!read_u64(path, &v))
			s->lp_root_ns += v;
	}
	closedir(dir);
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/**
 * hvctl_sample() - take a snapshot
 * @s: filled in; hvctl_sample_free() it, also after a failure
 * @target: the partition (name or id) to sample, NULL for all of them
 *
 * Return: 0, or -1 after printing why not.
 */
int hvctl_sample(struct hvctl_sample *s, const char *target)
{
	struct hvcore_partition_info info;
	__u64 start;
	int fd, ret;

	memset(s, 0, sizeof(*s));
	if (hvctl_nr_vp_counters > HVCTL_MAX_COUNTERS ||
	    hvctl_nr_part_counters > HVCTL_MAX_COUNTERS) {
		hvctl_err("internal error: more than %d counters in a table", HVCTL_MAX_COUNTERS);
		return -1;
	}
	/*
	 * Reading everything takes a while (many ioctls; long on an emulated
	 * host): the sample's time is the middle of it, so that samples that
	 * took more or less time still measure their interval's middles.
	 */
	start = now_ns();
	sample_lps(s);
	if (!target) {
		ret = sample_all(s);
		goto out;
	}

	fd = hvctl_open_partition(target, &info);
	if (fd < 0)
		return -1;
	s->parts = calloc(1, sizeof(*s->parts));
	if (!s->parts) {
		hvctl_err("out of memory");
		close(fd);
		return -1;
	}
	ret = sample_partition(fd, info.name, false, &s->parts[0]);
	close(fd);
	if (ret) {
		free(s->parts[0].vps);
		s->parts[0].vps = NULL;
		return -1;
	}
	s->nr_parts = 1;
out:
	s->time_ns = start + (now_ns() - start) / 2;
	return ret;
}

/**
 * hvctl_sample_free() - free what hvctl_sample() allocated
 * @s: the sample
 */
void hvctl_sample_free(struct hvctl_sample *s)
{
	__u32 i;

	for (i = 0; i < s->nr_parts; i++)
		free(s->parts[i].vps);
	free(s->parts);
	memset(s, 0, sizeof(*s));
}

/**
 * hvctl_sample_find() - a partition of a sample by id
 * @s: the sample
 * @id: partition id
 *
 * Return: the partition, or NULL when @s does not have it.
 */
const struct hvctl_part_sample *hvctl_sample_find(const struct hvctl_sample *s, __u32 id)
{
	__u32 i;

	for (i = 0; i < s->nr_parts; i++)
		if (s->parts[i].id == id)
			return &s->parts[i];
	return NULL;
}

/**
 * hvctl_delta() - how much a counter grew between two samples
 * @now: the later value
 * @before: the earlier value
 *
 * A counter that went back was reset meanwhile: it counted @now since.
 *
 * Return: the growth.
 */
__u64 hvctl_delta(__u64 now, __u64 before)
{
	return now >= before ? now - before : now;
}

/**
 * hvctl_sleep_until() - sleep until CLOCK_MONOTONIC reaches @deadline_ns
 * @deadline_ns: when to wake up
 *
 * Absolute deadlines keep a series of intervals from drifting by the time
 * each sample takes.
 *
 * Return: 0, or -1 when interrupted by a signal.
 */
int hvctl_sleep_until(__u64 deadline_ns)
{
	struct timespec ts = {
		.tv_sec = deadline_ns / 1000000000ULL,
		.tv_nsec = deadline_ns % 1000000000ULL,
	};
	int err;

	do
		err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	while (err == EINTR);
	return err ? -1 : 0;
}

/**
 * hvctl_sample_next() - the next sample of a series, one every @ms
 * @now:	in: the newest sample; out: the one taken now
 * @before:	out: the sample that was the newest (its buffer is reused)
 * @start_ns:	time of the series' first sample
 * @n:		which interval this is (1 for the second sample)
 * @ms:		the interval
 * @target:	as for hvctl_sample()
 *
 * The two buffers swap, so a series needs only two; the new sample is
 * taken at @start_ns + @n x @ms.
 *
 * Return: 0, or -1 after printing why not.
 */
int hvctl_sample_next(struct hvctl_sample **now, struct hvctl_sample **before,
		      __u64 start_ns, unsigned int n, unsigned int ms, const char *target)
{
	struct hvctl_sample *t = *before;

	*before = *now;
	*now = t;
	hvctl_sample_free(t);
	hvctl_sleep_until(start_ns + n * (__u64)ms * 1000000ULL);
	return hvctl_sample(t, target);
}
