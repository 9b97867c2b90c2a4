// SPDX-License-Identifier: GPL-2.0
/*
 * The "hvcore" perf PMU (Documentation/pmu.rst) through perf_event_open(),
 * the way perf uses it: the type, the format fields and the events from
 * /sys/bus/event_source/devices/hvcore, opened on the CPU of its cpumask.
 *
 * Independent measures: HVCORE_VP_INFO and the sysfs LP counters (the
 * same counters by another path, compared exactly once the partition has
 * stopped), the "count" guest's own record of the CPUIDs, OUTs and
 * hypercalls it made, and the wall clock for a VP that spins alone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/hvcore.h>
#include <linux/perf_event.h>

#include "kselftest_harness.h"
#include "hvtest.h"
#include "guest.h"

#define MIB		(1024ULL * 1024)
#define RUN_MS		60000
#define PMU_DIR		"/sys/bus/event_source/devices/hvcore"
#define ALL		0xffff	/* vp= or lp=: the sum (Documentation/pmu.rst) */
#define ROUNDS		300	/* of the count guest */
#define MAX_FDS		256

/* The VP events and where HVCORE_VP_INFO has the same counters. */
static const struct {
	const char *name;
	size_t offset;
	unsigned int count;
} vp_events[] = {
#define VI(name, field, n) { name, offsetof(struct hvcore_vp_info, field), n }
#define VX(kind, idx) VI("intercepts_" kind, exits[idx], 1)
	VI("total_ns", total_ns, 1),
	VI("guest_ns", guest_ns, 1),
	VI("dispatches", dispatches, 1),
	VI("migrations", migrations, 1),
	VI("wait_ns", wait_ns, 1),
	VI("hypercalls", hypercalls, 1),
	VI("injected", injected, 1),
	VI("intercepts", exits, HVCORE_NR_EXIT_KINDS),
	VX("cpuid", HVCORE_EXIT_CPUID),
	VX("msr", HVCORE_EXIT_MSR),
	VX("io", HVCORE_EXIT_IO),
	VX("mmio", HVCORE_EXIT_MMIO),
	VX("npf", HVCORE_EXIT_NPF),
	VX("hlt", HVCORE_EXIT_HLT),
	VX("hypercall", HVCORE_EXIT_HYPERCALL),
	VX("intr_window", HVCORE_EXIT_INTR_WINDOW),
	VX("extint", HVCORE_EXIT_EXTINT),
	VX("nmi", HVCORE_EXIT_NMI),
	VX("exception", HVCORE_EXIT_EXCEPTION),
	VX("other", HVCORE_EXIT_OTHER),
#undef VX
#undef VI
};

/* The LP events and their sysfs files in lp/lpN/. */
static const struct {
	const char *name;
	const char *sysfs;
} lp_events[] = {
	{ "lp_total_ns", "total_ns" },
	{ "lp_guest_ns", "guest_ns" },
};

#define NR_VP_EVENTS	ARRAY_SIZE(vp_events)

/*
 * The sysfs file of VP event @name: vps/<n>/<name>, except that
 * "intercepts" and "hypercalls" are directories with a file per kind or
 * code and their "total".
 */
static void sysfs_path(char *path, size_t len, __u32 id, int vp, const char *name)
{
	static const char *const dirs[] = { "intercepts", "hypercalls" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		size_t n = strlen(dirs[i]);

		if (strncmp(name, dirs[i], n))
			continue;
		snprintf(path, len, SYSFS "/partitions/%u/vps/%d/%s/%s", id, vp, dirs[i],
			 name[n] == '_' ? name + n + 1 : "total");
		return;
	}
	snprintf(path, len, SYSFS "/partitions/%u/vps/%d/%s", id, vp, name);
}

static __u64 vi_value(const struct hvcore_vp_info *vi, unsigned int e)
{
	const __u64 *c = (const void *)((const char *)vi + vp_events[e].offset);
	__u64 v = 0;
	unsigned int i;

	for (i = 0; i < vp_events[e].count; i++)
		v += c[i];
	return v;
}

static int pmu_type(void)
{
	return (int)read_long(PMU_DIR "/type");
}

/* The CPU in cpumask: the one perf stat -a opens the events on. */
static int pmu_cpu(void)
{
	char buf[64], *end;
	long cpu;

	if (read_str(PMU_DIR "/cpumask", buf, sizeof(buf)))
		return -1;
	cpu = strtol(buf, &end, 10);
	return end == buf || *end ? -1 : (int)cpu;
}

/* Put @val into the config word and bits the format file of @field names. */
static int pmu_field(struct perf_event_attr *a, const char *field, __u64 val)
{
	char path[128], buf[64], word[16];
	unsigned int lo, hi;
	__u64 *dst;

	snprintf(path, sizeof(path), PMU_DIR "/format/%s", field);
	if (read_str(path, buf, sizeof(buf)))
		return -ENOENT;
	if (sscanf(buf, "%15[a-z0-9]:%u-%u", word, &lo, &hi) != 3 || hi < lo || hi > 63)
		return -EINVAL;
	if (!strcmp(word, "config"))
		dst = (__u64 *)&a->config;
	else if (!strcmp(word, "config1"))
		dst = (__u64 *)&a->config1;
	else
		return -EINVAL;
	if (hi - lo < 63 && val >> (hi - lo + 1))
		return -ERANGE;
	*dst |= val << lo;
	return 0;
}

/* The event number in events/@name ("event=0x11,partition=?,vp=?"). */
static int pmu_event_id(const char *name, __u64 *id)
{
	char path[128], buf[128];

	snprintf(path, sizeof(path), PMU_DIR "/events/%s", name);
	if (read_str(path, buf, sizeof(buf)))
		return -ENOENT;
	return sscanf(buf, "event=%llx", (unsigned long long *)id) == 1 ? 0 : -EINVAL;
}

/* An attr for event @name of partition @part, VP @vp; lp >= 0: LP event. */
static int pmu_attr(struct perf_event_attr *a, const char *name, __u32 part, __u32 vp, int lp)
{
	__u64 id;
	int ret;

	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->type = pmu_type();
	ret = pmu_event_id(name, &id);
	if (!ret)
		ret = pmu_field(a, "event", id);
	if (!ret && lp >= 0)
		ret = pmu_field(a, "lp", lp);
	if (!ret && lp < 0)
		ret = pmu_field(a, "partition", part);
	if (!ret && lp < 0)
		ret = pmu_field(a, "vp", vp);
	return ret;
}

static int perf_open(struct perf_event_attr *a, pid_t pid, int cpu)
{
	int fd = syscall(SYS_perf_event_open, a, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static int pmu_open_attr(struct perf_event_attr *a)
{
	return perf_open(a, -1, pmu_cpu());
}

static int pmu_open(const char *name, __u32 part, __u32 vp)
{
	struct perf_event_attr a;
	int ret = pmu_attr(&a, name, part, vp, -1);

	return ret ? ret : pmu_open_attr(&a);
}

static int pmu_open_lp(const char *name, int lp)
{
	struct perf_event_attr a;
	int ret = pmu_attr(&a, name, 0, 0, lp);

	return ret ? ret : pmu_open_attr(&a);
}

static __u64 pmu_read(int fd)
{
	__u64 v = 0;

	if (read(fd, &v, sizeof(v)) != sizeof(v))
		return ~0ULL;
	return v;
}

static int nr_cpus(void)
{
	return (int)sysconf(_SC_NPROCESSORS_CONF);
}

static __u64 sysfs_lp(int cpu, const char *file)
{
	char path[128];

	snprintf(path, sizeof(path), SYSFS "/lp/lp%d/%s", cpu, file);
	return (__u64)read_long(path);
}

FIXTURE(pmu) {
	int dev;
	int kmsg;
	struct guest g;
	int fds[MAX_FDS];
	unsigned int nr_fds;
};

FIXTURE_SETUP(pmu)
{
	ASSERT_EQ(0, hv_reload());
	self->dev = hvt_dev_open();
	ASSERT_LE(0, self->dev);
	self->kmsg = kmsg_mark();
	ASSERT_EQ(0, access(PMU_DIR, F_OK)) TH_LOG("hvcore registers no PMU");
	if (!guest_can_run(self->dev))
		SKIP(return, "this host runs no guests yet (START: EOPNOTSUPP)");
}

FIXTURE_TEARDOWN(pmu)
{
	unsigned int i;

	for (i = 0; i < self->nr_fds; i++)
		close(self->fds[i]);
	guest_destroy(&self->g);
	close(self->dev);
	EXPECT_FALSE(kmsg_warned(self->kmsg));
	if (mod_loaded("hvcore"))
		EXPECT_EQ(0, mod_unload("hvcore")) TH_LOG("an event kept the module");
}

/* Keep @fd for the teardown to close; @fd itself, or -1 on an error. */
static int keep(struct _test_data_pmu *self, int fd)
{
	if (fd >= 0 && self->nr_fds < MAX_FDS)
		self->fds[self->nr_fds++] = fd;
	return fd;
}

/* What sysfs shows: the type, one CPU, the format fields, every event. */
TEST_F(pmu, sysfs)
{
	char buf[128], path[128], want[128];
	unsigned int i, j, dup;
	__u64 ids[NR_VP_EVENTS + ARRAY_SIZE(lp_events)];

	EXPECT_LE(PERF_TYPE_MAX, pmu_type());
	EXPECT_LE(0, pmu_cpu()) TH_LOG("cpumask must be one CPU");

	ASSERT_EQ(0, read_str(PMU_DIR "/format/event", buf, sizeof(buf)));
	EXPECT_STREQ("config:0-15", buf);
	ASSERT_EQ(0, read_str(PMU_DIR "/format/vp", buf, sizeof(buf)));
	EXPECT_STREQ("config:16-31", buf);
	ASSERT_EQ(0, read_str(PMU_DIR "/format/partition", buf, sizeof(buf)));
	EXPECT_STREQ("config:32-63", buf);
	ASSERT_EQ(0, read_str(PMU_DIR "/format/lp", buf, sizeof(buf)));
	EXPECT_STREQ("config1:0-15", buf);

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		bool lp = i >= NR_VP_EVENTS;
		const char *name = lp ? lp_events[i - NR_VP_EVENTS].name : vp_events[i].name;

		snprintf(path, sizeof(path), PMU_DIR "/events/%s", name);
		ASSERT_EQ(0, read_str(path, buf, sizeof(buf))) TH_LOG("no event %s", name);
		ASSERT_EQ(0, pmu_event_id(name, &ids[i]));
		snprintf(want, sizeof(want), "event=0x%02llx,%s", (unsigned long long)ids[i],
			 lp ? "lp=?" : "partition=?,vp=?");
		EXPECT_STREQ(want, buf);
		EXPECT_NE(0, ids[i]);
		for (j = 0, dup = 0; j < i; j++)
			dup += ids[j] == ids[i];
		EXPECT_EQ(0, dup) TH_LOG("%s reuses an event number", name);
	}
}

/*
 * The count guest on two VPs, one of them hot-added: every VP event of
 * each VP and of the whole partition equals VP_INFO's counter, the LP
 * events equal the sysfs LP counters and the VPs' run time, and the
 * CPUIDs, OUTs and hypercalls equal what the guest counted.
 */
TEST_F_TIMEOUT(pmu, counts_match_vp_info, 180)
{
	int fd[2][NR_VP_EVENTS], all[NR_VP_EVENTS], lpfd[ARRAY_SIZE(lp_events)];
	struct hvcore_add_vp add = { .size = sizeof(add), .flags = HVCORE_ADD_VP_ENTRY,
				     .rip = GUEST_CODE };
	int ncpu = nr_cpus(), cpu, vp;
	struct hvcore_vp_info vi[2];
	struct guest *g = &self->g;
	__u64 lp0[ARRAY_SIZE(lp_events)] = {}, lp1[ARRAY_SIZE(lp_events)] = {};
	unsigned int e, nr_sysfs = 0;

	for (e = 0; e < ARRAY_SIZE(lp_events); e++) {
		for (cpu = 0; cpu < ncpu; cpu++)
			lp0[e] += sysfs_lp(cpu, lp_events[e].sysfs);
		lpfd[e] = keep(self, pmu_open_lp(lp_events[e].name, ALL));
		ASSERT_LE(0, lpfd[e]) TH_LOG("%s: %s", lp_events[e].name, strerror(-lpfd[e]));
	}

	ASSERT_EQ(0, guest_create(g, self->dev, "pmu-count", 4 * MIB, 1));
	/* Opened while the partition has one VP: the sum takes in the second. */
	for (e = 0; e < NR_VP_EVENTS; e++) {
		all[e] = keep(self, pmu_open(vp_events[e].name, g->id, ALL));
		ASSERT_LE(0, all[e]) TH_LOG("%s: %s", vp_events[e].name, strerror(-all[e]));
	}
	EXPECT_EQ(-ENOENT, keep(self, pmu_open("intercepts", g->id, 1)));
	ASSERT_EQ(0, ioctl(g->fd, HVCORE_ADD_VP, &add));
	ASSERT_EQ(1, add.vp_index);
	g->nr_vps = 2;
	for (vp = 0; vp < 2; vp++)
		for (e = 0; e < NR_VP_EVENTS; e++) {
			fd[vp][e] = keep(self, pmu_open(vp_events[e].name, g->id, vp));
			ASSERT_LE(0, fd[vp][e]);
		}

	ASSERT_EQ(0, guest_load_long(g, GUEST_IMAGE(count)));
	g->args[0] = ROUNDS;
	ASSERT_EQ(0, guest_run(g, RUN_MS));
	ASSERT_TRUE(g->exited);
	ASSERT_EQ(0, g->exit_code);

	/* Stopped: no counter moves any more. */
	for (vp = 0; vp < 2; vp++) {
		ASSERT_EQ(0, guest_vp_info(g, vp, &vi[vp]));
		for (e = 0; e < NR_VP_EVENTS; e++) {
			EXPECT_EQ(vi_value(&vi[vp], e), pmu_read(fd[vp][e]))
				TH_LOG("VP %d %s", vp, vp_events[e].name);
		}
	}
	for (e = 0; e < NR_VP_EVENTS; e++) {
		EXPECT_EQ(vi_value(&vi[0], e) + vi_value(&vi[1], e), pmu_read(all[e]))
			TH_LOG("vp=all %s", vp_events[e].name);
	}

	/* The per-VP sysfs file of every event (vps/<n>/, see sysfs_path()). */
	for (vp = 0; vp < 2; vp++)
		for (e = 0; e < NR_VP_EVENTS; e++) {
			char path[160];
			long v;

			sysfs_path(path, sizeof(path), g->id, vp, vp_events[e].name);
			v = read_long(path);
			EXPECT_LE(0, v) TH_LOG("%s", path);
			EXPECT_EQ((__u64)v, pmu_read(fd[vp][e])) TH_LOG("%s", path);
			nr_sysfs++;
		}
	EXPECT_EQ(2 * NR_VP_EVENTS, nr_sysfs);

	for (e = 0; e < ARRAY_SIZE(lp_events); e++) {
		__u64 v = pmu_read(lpfd[e]);

		for (cpu = 0; cpu < ncpu; cpu++)
			lp1[e] += sysfs_lp(cpu, lp_events[e].sysfs);
		EXPECT_EQ(lp1[e] - lp0[e], v) TH_LOG("%s vs sysfs lp*/%s", lp_events[e].name,
						     lp_events[e].sysfs);
		/*
		 * The only partition: LP guest time is its VPs'; LP run time
		 * is theirs and the scheduler's.
		 */
		if (e == 0) {
			EXPECT_LE(vi_value(&vi[0], e) + vi_value(&vi[1], e), v);
		} else {
			EXPECT_EQ(vi_value(&vi[0], e) + vi_value(&vi[1], e), v)
				TH_LOG("%s vs the VPs' %s", lp_events[e].name, vp_events[e].name);
		}
	}

	for (vp = 0; vp < 2; vp++) {
		EXPECT_EQ(ROUNDS, guest_result(g, vp, 0));
		EXPECT_EQ(ROUNDS, guest_result(g, vp, 1));
		EXPECT_EQ(ROUNDS, guest_result(g, vp, 2));
		EXPECT_EQ(0, guest_result(g, vp, 3)) TH_LOG("failed hypercalls");
		EXPECT_EQ(ROUNDS, vi[vp].exits[HVCORE_EXIT_CPUID]);
		/* The guest's OUTs and the one that ends it */
		EXPECT_EQ(ROUNDS + 1, vi[vp].exits[HVCORE_EXIT_IO]);
		EXPECT_EQ(ROUNDS, vi[vp].exits[HVCORE_EXIT_HYPERCALL]);
		EXPECT_EQ(ROUNDS, vi[vp].hypercalls);
		EXPECT_LT(0, vi[vp].total_ns);
		EXPECT_LE(vi[vp].guest_ns, vi[vp].total_ns);
	}
	TH_LOG("VP 0: %llu intercepts, %llu ns (%llu in the guest), %llu dispatches",
	       (unsigned long long)vi_value(&vi[0], 7), (unsigned long long)vi[0].total_ns,
	       (unsigned long long)vi[0].guest_ns, (unsigned long long)vi[0].dispatches);
}

/*
 * A VP spinning alone: over 2 s of wall time its total_ns and the LPs'
 * lp_total_ns grow by at most the wall time (2 % for reading apart), and
 * by most of it: Linux takes its share of that LP too (this test's own
 * reads, for one), which is why the 2 % match is made against the
 * dispatcher thread's CPU time in counters_test. A disabled event stands
 * still while the VP runs on.
 */
TEST_F_TIMEOUT(pmu, run_time_is_wall_time, 60)
{
	struct guest *g = &self->g;
	int tot, gst, lpt, i;
	__u64 t0, t1, wall, v_tot, v_gst, v_lpt, a, b;

	ASSERT_EQ(0, guest_create(g, self->dev, "pmu-spin", 4 * MIB, 1));
	ASSERT_EQ(0, guest_load_long(g, GUEST_IMAGE(spin)));
	ASSERT_EQ(0, guest_set_entry_regs(g));
	ASSERT_EQ(0, guest_control(g, HVCORE_CONTROL_START, 0));
	guest_sleep_ms(300);

	tot = keep(self, pmu_open("total_ns", g->id, 0));
	gst = keep(self, pmu_open("guest_ns", g->id, 0));
	lpt = keep(self, pmu_open_lp("lp_total_ns", ALL));
	ASSERT_LE(0, tot);
	ASSERT_LE(0, gst);
	ASSERT_LE(0, lpt);
	a = pmu_read(tot);
	b = pmu_read(lpt);
	t0 = hvt_now_ns();
	guest_sleep_ms(2000);
	v_tot = pmu_read(tot) - a;
	v_lpt = pmu_read(lpt) - b;
	t1 = hvt_now_ns();
	wall = t1 - t0;
	v_gst = pmu_read(gst);
	TH_LOG("wall %llu ns: total_ns %llu (%.2f %%), lp_total_ns %llu; guest_ns %llu since open",
	       (unsigned long long)wall, (unsigned long long)v_tot, 100.0 * v_tot / wall,
	       (unsigned long long)v_lpt, (unsigned long long)v_gst);
	EXPECT_GE(v_tot, wall * 80 / 100);
	EXPECT_LE(v_tot, wall * 102 / 100);
	EXPECT_GE(v_lpt + 20000000ULL, v_tot);	/* read apart: a slice */
	EXPECT_LE(v_lpt, wall * 102 / 100);
	EXPECT_LT(0, v_gst);

	/* Disabled: the count stands; enabled again: it moves. */
	ASSERT_EQ(0, ioctl(tot, PERF_EVENT_IOC_DISABLE, 0));
	a = pmu_read(tot);
	for (i = 0; i < 3; i++) {
		guest_sleep_ms(100);
		EXPECT_EQ(a, pmu_read(tot));
	}
	t0 = hvt_now_ns();
	ASSERT_EQ(0, ioctl(tot, PERF_EVENT_IOC_ENABLE, 0));
	guest_sleep_ms(300);
	b = pmu_read(tot) - a;
	wall = hvt_now_ns() - t0;
	/* total_ns grows a slice (10 ms) at a time. */
	TH_LOG("%llu ns counted in %llu ns after the enable", (unsigned long long)b,
	       (unsigned long long)wall);
	EXPECT_LE(wall * 80 / 100, b);
	EXPECT_GE(wall + 20000000ULL, b);
	EXPECT_EQ(0, guest_control(g, HVCORE_CONTROL_STOP, 0));
}

/* What perf_event_open() refuses, each with its errno and a dmesg line. */
TEST_F(pmu, bad_configs)
{
	struct guest *g = &self->g;
	struct perf_event_attr a;
	char msg[128];
	int fd, kmsg, cpu;

	ASSERT_EQ(0, guest_create(g, self->dev, "pmu-bad", 0, 1));

#define REFUSED(err, name, part, vp, lp, setup)					\
	do {									\
		const char *_name = (name);					\
										\
		ASSERT_EQ(0, pmu_attr(&a, _name, part, vp, lp));		\
		setup;								\
		fd = keep(self, pmu_open_attr(&a));				\
		EXPECT_EQ(-(err), fd) TH_LOG("%s %s", _name, #setup);		\
	} while (0)

	kmsg = kmsg_mark();
	REFUSED(EINVAL, "intercepts", g->id, 0, -1, a.config = (a.config & ~0xffffULL) | 0x3ff);
	REFUSED(EINVAL, "intercepts", g->id, 0, -1, a.config &= ~0xffffULL);
	REFUSED(ENOENT, "intercepts", 999999, 0, -1, (void)0);
	REFUSED(ENOENT, "intercepts", 0, 0, -1, (void)0);
	REFUSED(ENOENT, "intercepts", g->id, 1, -1, (void)0);
	REFUSED(ENOENT, "total_ns", g->id, HVCORE_MAX_VPS, -1, (void)0);
	REFUSED(EINVAL, "total_ns", g->id, 0, -1, a.config1 = 1);
	REFUSED(EINVAL, "total_ns", g->id, 0, -1, a.config1 = 1ULL << 20);
	REFUSED(EINVAL, "total_ns", g->id, 0, -1, a.config2 = 1);
	REFUSED(ENOENT, "lp_total_ns", 0, 0, 4000, (void)0);
	REFUSED(EINVAL, "lp_total_ns", 0, 0, 0, a.config |= (__u64)g->id << 32);
	REFUSED(EOPNOTSUPP, "intercepts", g->id, 0, -1, a.sample_period = 10000);
	REFUSED(EOPNOTSUPP, "intercepts", g->id, 0, -1, (a.freq = 1, a.sample_freq = 100));
	REFUSED(EINVAL, "intercepts", g->id, 0, -1, a.exclude_user = 1);
	REFUSED(EINVAL, "intercepts", g->id, 0, -1, a.exclude_guest = 1);
#undef REFUSED

	/* Per task: the PMU counts system-wide only. */
	ASSERT_EQ(0, pmu_attr(&a, "intercepts", g->id, 0, -1));
	EXPECT_EQ(-EINVAL, keep(self, perf_open(&a, 0, -1)));

	snprintf(msg, sizeof(msg), "intercepts: partition %u has no VP 1", g->id);
	EXPECT_TRUE(kmsg_has(kmsg, msg)) TH_LOG("dmesg: %s", msg);

	/* Good configs open on any CPU; the event moves to the cpumask's. */
	for (cpu = 0; cpu < nr_cpus(); cpu++) {
		ASSERT_EQ(0, pmu_attr(&a, "intercepts", g->id, 0, -1));
		fd = keep(self, perf_open(&a, -1, cpu));
		EXPECT_LE(0, fd) TH_LOG("CPU %d: %s", cpu, strerror(-fd));
		EXPECT_EQ(0, pmu_read(fd));
	}
	fd = keep(self, pmu_open_lp("lp_guest_ns", 0));
	EXPECT_LE(0, fd);
}

static int configure(struct guest *g, __u32 vps)
{
	struct hvcore_config c = { .size = sizeof(c), .numa_node = HVCORE_NODE_ANY,
				   .vp_count = vps };

	return ioctl(g->fd, HVCORE_CONFIGURE, &c) ? -errno : 0;
}

/*
 * Delete a partition under open events: reads go on and return the count
 * at the delete, the partition cannot be opened again, closing the events
 * frees it. The same for a partition deleted while it runs.
 */
TEST_F_TIMEOUT(pmu, delete_while_open, 120)
{
	struct guest *g = &self->g;
	int vp0, all, tot, run;
	__u64 v_vp0, v_all, v_tot, v_run;
	__u32 id;

	ASSERT_EQ(0, guest_create(g, self->dev, "pmu-del", 4 * MIB, 1));
	vp0 = keep(self, pmu_open("intercepts", g->id, 0));
	all = keep(self, pmu_open("intercepts", g->id, ALL));
	tot = keep(self, pmu_open("total_ns", g->id, 0));
	ASSERT_LE(0, vp0);
	ASSERT_LE(0, all);
	ASSERT_LE(0, tot);
	ASSERT_EQ(0, guest_load_long(g, GUEST_IMAGE(count)));
	g->args[0] = 20;
	ASSERT_EQ(0, guest_run(g, RUN_MS));
	ASSERT_EQ(0, g->exit_code);
	v_vp0 = pmu_read(vp0);
	v_all = pmu_read(all);
	v_tot = pmu_read(tot);
	EXPECT_LE(61, v_vp0);
	EXPECT_EQ(v_vp0, v_all);

	id = g->id;
	guest_destroy(g);
	EXPECT_EQ(v_vp0, pmu_read(vp0));
	EXPECT_EQ(v_all, pmu_read(all));
	EXPECT_EQ(v_tot, pmu_read(tot));
	EXPECT_EQ(-ENOENT, keep(self, pmu_open("intercepts", id, 0)));
	EXPECT_LT(0, hvt_held_pages()) TH_LOG("the events hold the partition");
	while (self->nr_fds)
		close(self->fds[--self->nr_fds]);
	EXPECT_EQ(0, hvt_held_pages()) TH_LOG("the last event freed the partition");

	/* Deleted while it runs. */
	ASSERT_EQ(0, guest_create(g, self->dev, "pmu-del2", 4 * MIB, 1));
	ASSERT_EQ(0, guest_load_long(g, GUEST_IMAGE(spin)));
	ASSERT_EQ(0, guest_set_entry_regs(g));
	run = keep(self, pmu_open("total_ns", g->id, 0));
	ASSERT_LE(0, run);
	ASSERT_EQ(0, guest_control(g, HVCORE_CONTROL_START, 0));
	guest_sleep_ms(200);
	guest_destroy(g);
	v_run = pmu_read(run);
	EXPECT_LT(0, v_run);
	guest_sleep_ms(100);
	EXPECT_EQ(v_run, pmu_read(run));
}

struct reader {
	int fds[2];
	bool stop;
	bool decreased;
	unsigned long reads;
};

static void *read_loop(void *arg)
{
	struct reader *r = arg;
	__u64 last[2] = {}, v;
	int i;

	while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED)) {
		for (i = 0; i < 2; i++) {
			v = pmu_read(r->fds[i]);
			if (v < last[i] || v == ~0ULL)
				r->decreased = true;
			last[i] = v;
		}
		r->reads++;
	}
	return NULL;
}

/*
 * CONFIGURE replaces the VPs under open events (pmu.c reads them under
 * RCU) while another thread reads as fast as it can: no crash, counts never
 * go back, and with nothing run they stay 0.
 */
TEST_F_TIMEOUT(pmu, reconfigure_while_read, 120)
{
	struct guest *g = &self->g;
	struct reader r = {};
	pthread_t t;
	int i, ret;

	ASSERT_EQ(0, guest_create(g, self->dev, "pmu-cfg", 0, 2));
	r.fds[0] = keep(self, pmu_open("intercepts", g->id, ALL));
	r.fds[1] = keep(self, pmu_open("total_ns", g->id, 1));
	ASSERT_LE(0, r.fds[0]);
	ASSERT_LE(0, r.fds[1]);
	ASSERT_EQ(0, pthread_create(&t, NULL, read_loop, &r));
	for (i = 0; i < 60; i++) {
		ret = configure(g, 1 + i % 3);
		ASSERT_EQ(0, ret) TH_LOG("CONFIGURE %d: %s", i, strerror(-ret));
	}
	__atomic_store_n(&r.stop, true, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	TH_LOG("%lu reads during 60 CONFIGUREs", r.reads);
	EXPECT_FALSE(r.decreased);
	EXPECT_LT(0, r.reads);
	EXPECT_EQ(0, pmu_read(r.fds[0]));
	EXPECT_EQ(0, pmu_read(r.fds[1]));
}

TEST_HARNESS_MAIN
