// SPDX-License-Identifier: GPL-2.0
/*
 * hvcore's counters in sysfs (/sys/kernel/hvcore/partitions/<id>/vps/<n>/,
 * lp/lpN/) checked against independent measures: the guest's own count of
 * the instructions it executed, the host's clock, and HVCORE_VP_INFO.
 * Documentation/ABI/testing/sysfs-hvcore describes every file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/hvcore.h>

#include "kselftest_harness.h"
#include "hvtest.h"
#include "guest.h"

#define MIB	(1024ULL * 1024)
#define RUN_MS	30000
#define SYSFS	"/sys/kernel/hvcore"

FIXTURE(counters) {
	int dev;
	int kmsg;
	struct guest g;
};

FIXTURE_SETUP(counters)
{
	ASSERT_EQ(0, hv_reload());
	self->dev = hvt_dev_open();
	ASSERT_LE(0, self->dev);
	self->kmsg = kmsg_mark();
	if (!guest_can_run(self->dev))
		SKIP(return, "this host runs no guests yet (START: EOPNOTSUPP)");
}

FIXTURE_TEARDOWN(counters)
{
	guest_destroy(&self->g);
	close(self->dev);
	EXPECT_FALSE(kmsg_warned(self->kmsg));
	if (mod_loaded("hvcore"))
		mod_unload("hvcore");
}

/* A file of VP @vp of @g, under vps/<vp>/: its text, or "" on error. */
static int vp_read(struct guest *g, unsigned int vp, const char *file, char *buf, size_t size)
{
	char path[160];

	snprintf(path, sizeof(path), SYSFS "/partitions/%u/vps/%u/%s", g->id, vp, file);
	return read_str(path, buf, size);
}

/* A u64 file of VP @vp; ~0 when it cannot be read. */
static __u64 vp_u64(struct guest *g, unsigned int vp, const char *file)
{
	char buf[64];

	if (vp_read(g, vp, file, buf, sizeof(buf)))
		return ~0ULL;
	return strtoull(buf, NULL, 10);
}

static __u64 lp_u64(int lp, const char *file)
{
	char path[96], buf[64];

	snprintf(path, sizeof(path), SYSFS "/lp/lp%d/%s", lp, file);
	if (read_str(path, buf, sizeof(buf)))
		return ~0ULL;
	return strtoull(buf, NULL, 10);
}

static const char *const exit_files[HVCORE_NR_EXIT_KINDS] = {
	[HVCORE_EXIT_CPUID]		= "intercepts/cpuid",
	[HVCORE_EXIT_MSR]		= "intercepts/msr",
	[HVCORE_EXIT_IO]		= "intercepts/io",
	[HVCORE_EXIT_MMIO]		= "intercepts/mmio",
	[HVCORE_EXIT_NPF]		= "intercepts/npf",
	[HVCORE_EXIT_HLT]		= "intercepts/hlt",
	[HVCORE_EXIT_HYPERCALL]		= "intercepts/hypercall",
	[HVCORE_EXIT_INTR_WINDOW]	= "intercepts/intr_window",
	[HVCORE_EXIT_EXTINT]		= "intercepts/extint",
	[HVCORE_EXIT_NMI]		= "intercepts/nmi",
	[HVCORE_EXIT_EXCEPTION]		= "intercepts/exception",
	[HVCORE_EXIT_OTHER]		= "intercepts/other",
};

/* What sysfs says of VP 0, with VP_INFO's view. */
struct snap {
	struct hvcore_vp_info vi;
	__u64 exits[HVCORE_NR_EXIT_KINDS];
	__u64 intercepts, hypercalls, hc_null, hc_index, hc_invalid, hc_log;
	__u64 total_ns, guest_ns, dispatches, injected;
};

static void snap(struct __test_metadata *_metadata, struct guest *g, struct snap *s)
{
	unsigned int k;

	ASSERT_EQ(0, guest_vp_info(g, 0, &s->vi));
	for (k = 0; k < HVCORE_NR_EXIT_KINDS; k++)
		s->exits[k] = vp_u64(g, 0, exit_files[k]);
	s->intercepts = vp_u64(g, 0, "intercepts/total");
	s->hypercalls = vp_u64(g, 0, "hypercalls/total");
	s->hc_null = vp_u64(g, 0, "hypercalls/null");
	s->hc_index = vp_u64(g, 0, "hypercalls/get_vp_index");
	s->hc_invalid = vp_u64(g, 0, "hypercalls/invalid");
	s->hc_log = vp_u64(g, 0, "hypercalls/guest_log");
	s->total_ns = vp_u64(g, 0, "total_ns");
	s->guest_ns = vp_u64(g, 0, "guest_ns");
	s->dispatches = vp_u64(g, 0, "dispatches");
	s->injected = vp_u64(g, 0, "injected");
}

/*
 * The guest (guests/count.S) executes 37 rounds of a CPUID, a port write
 * and a NULL hypercall, then 37 of a GET_VP_INDEX and a call with an
 * unknown code, and counts them itself. The VP's sysfs files must show
 * exactly those (plus the port write that ends it), agree with
 * HVCORE_VP_INFO, and add up.
 */
TEST_F_TIMEOUT(counters, intercepts_and_hypercalls, 90)
{
	struct guest *g = &self->g;
	struct snap s;
	__u64 sum = 0;
	unsigned int k;
	char buf[32];

	ASSERT_EQ(0, guest_create(g, self->dev, "count", 4 * MIB, 1));
	ASSERT_EQ(0, vp_read(g, 0, "state", buf, sizeof(buf)));
	EXPECT_STREQ("off", buf);
	ASSERT_EQ(0, guest_load_long(g, GUEST_IMAGE(count)));
	g->args[0] = 37;
	g->args[1] = 37;
	ASSERT_EQ(0, guest_run(g, RUN_MS));
	ASSERT_TRUE(g->exited);
	ASSERT_EQ(0, g->exit_code);
	snap(_metadata, g, &s);

	EXPECT_EQ(37, guest_result(g, 0, 0));
	EXPECT_EQ(37, guest_result(g, 0, 1));
	EXPECT_EQ(37, guest_result(g, 0, 2));
	EXPECT_EQ(0, guest_result(g, 0, 3)) TH_LOG("NULL hypercalls that failed");
	EXPECT_EQ(37, guest_result(g, 0, 4));
	EXPECT_EQ(37, guest_result(g, 0, 5));
	/* sysfs and VP_INFO read the same counters of a VP that stopped. */
	for (k = 0; k < HVCORE_NR_EXIT_KINDS; k++) {
		EXPECT_EQ(s.vi.exits[k], s.exits[k]) TH_LOG("%s", exit_files[k]);
		sum += s.exits[k];
	}
	EXPECT_EQ(sum, s.intercepts);
	EXPECT_EQ(s.vi.hypercalls, s.hypercalls);
	EXPECT_EQ(s.vi.total_ns, s.total_ns);
	EXPECT_EQ(s.vi.guest_ns, s.guest_ns);
	EXPECT_EQ(s.vi.dispatches, s.dispatches);
	EXPECT_EQ(s.vi.injected, s.injected);
	/* Against the guest's own counts. */
	EXPECT_EQ(guest_result(g, 0, 0), s.exits[HVCORE_EXIT_CPUID]);
	EXPECT_EQ(guest_result(g, 0, 2) + guest_result(g, 0, 4) + guest_result(g, 0, 5),
		  s.exits[HVCORE_EXIT_HYPERCALL]);
	EXPECT_EQ(s.exits[HVCORE_EXIT_HYPERCALL], s.hypercalls);
	EXPECT_EQ(guest_result(g, 0, 2), s.hc_null);
	EXPECT_EQ(guest_result(g, 0, 4), s.hc_index);
	EXPECT_EQ(guest_result(g, 0, 5), s.hc_invalid);
	EXPECT_EQ(0, s.hc_log);
	/* The port writes, and the one that ends the guest. */
	EXPECT_EQ(guest_result(g, 0, 1) + 1, s.exits[HVCORE_EXIT_IO]);
	EXPECT_EQ(0, s.exits[HVCORE_EXIT_MSR]);
	/* After its exit write the guest halts: the STOP may come after the HLT. */
	EXPECT_GE(1, s.exits[HVCORE_EXIT_HLT]);
	EXPECT_LE(s.guest_ns, s.total_ns);
	ASSERT_EQ(0, vp_read(g, 0, "state", buf, sizeof(buf)));
	EXPECT_STREQ("off", buf);
}

/*
 * Interrupts injected while the guest has IF=0 stay pending: sysfs counts
 * them, and once delivered, their pending time lies between what the
 * host's clock says they must at least and at most have waited.
 */
TEST_F_TIMEOUT(counters, interrupts_pending, 90)
{
	struct guest *g = &self->g;
	struct hvcore_vp_info vi;
	__u64 t_inject, t_injected, t_go, t_seen, pend0, inj0, pend;

	ASSERT_EQ(0, guest_create(g, self->dev, "irq", 4 * MIB, 1));
	ASSERT_EQ(0, guest_load_long(g, GUEST_IMAGE(irq)));
	ASSERT_EQ(0, guest_start(g));
	ASSERT_EQ(0, guest_serve_async(g, 60000));
	/* irq.S phase 1: IF=0 until the host says go. */
	ASSERT_EQ(0, guest_wait_phase(g, 0, 1, 20000));
	pend0 = vp_u64(g, 0, "interrupts_pending_ns");
	inj0 = vp_u64(g, 0, "injected");
	EXPECT_EQ(0, vp_u64(g, 0, "interrupts_pending"));
	t_inject = hvt_now_ns();
	ASSERT_EQ(0, guest_inject(g, 0, HVCORE_INJECT_INTERRUPT, 0x30, 0, 0));
	ASSERT_EQ(0, guest_inject(g, 0, HVCORE_INJECT_INTERRUPT, 0x60, 0, 0));
	/* The same vector again while pending is one interrupt, as in an IRR. */
	ASSERT_EQ(0, guest_inject(g, 0, HVCORE_INJECT_INTERRUPT, 0x60, 0, 0));
	t_injected = hvt_now_ns();
	guest_sleep_ms(200);
	EXPECT_EQ(2, vp_u64(g, 0, "interrupts_pending"));
	ASSERT_EQ(0, guest_vp_info(g, 0, &vi));
	EXPECT_EQ(2, vi.irqs_pending);
	EXPECT_EQ(pend0, vp_u64(g, 0, "interrupts_pending_ns"));
	t_go = hvt_now_ns();
	guest_go(g, 0, 1);
	ASSERT_EQ(0, guest_wait_phase(g, 0, 2, 20000));
	t_seen = hvt_now_ns();
	EXPECT_EQ(2, guest_result(g, 0, 1)) TH_LOG("the guest took two interrupts");
	EXPECT_EQ(0, vp_u64(g, 0, "interrupts_pending"));
	EXPECT_EQ(2, vp_u64(g, 0, "injected") - inj0);
	pend = vp_u64(g, 0, "interrupts_pending_ns") - pend0;
	/* Each was asked for between t_inject and t_injected, delivered after t_go. */
	ksft_print_msg("2 interrupts pending %.1f ms in all; host: >= %.1f, <= %.1f\n",
		       pend / 1e6, 2 * (t_go - t_injected) / 1e6, 2 * (t_seen - t_inject) / 1e6);
	EXPECT_LE(2 * (t_go - t_injected), pend) TH_LOG("pending for less than the host held them");
	EXPECT_GE(2 * (t_seen - t_inject), pend);
	ASSERT_EQ(0, guest_vp_info(g, 0, &vi));
	EXPECT_EQ(vi.irq_pending_ns, vp_u64(g, 0, "interrupts_pending_ns"));
	ASSERT_EQ(0, guest_control(g, HVCORE_CONTROL_STOP, 0));
	guest_serve_wait(g);
}

/*
 * Time LP @lp's dispatcher thread ("hvcore/<lp>") has been on its CPU,
 * by Linux's own scheduler accounting (/proc/<pid>/schedstat); ~0 if not
 * found.
 */
static __u64 dispatcher_ns(int lp)
{
	char want[32], path[300], comm[32];
	__u64 ns = ~0ULL;
	struct dirent *d;
	DIR *dir;
	FILE *f;

	snprintf(want, sizeof(want), "hvcore/%d", lp);
	dir = opendir("/proc");
	if (!dir)
		return ns;
	while ((d = readdir(dir)) && ns == ~0ULL) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", d->d_name);
		if (read_str(path, comm, sizeof(comm)) || strcmp(comm, want))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/schedstat", d->d_name);
		f = fopen(path, "r");
		if (f) {
			if (fscanf(f, "%llu", &ns) != 1)
				ns = ~0ULL;
			fclose(f);
		}
	}
	closedir(dir);
	return ns;
}

/* TSC cycles per ns, from the host's clock over @ms. */
static double tsc_per_ns(int ms)
{
	__u64 t0 = hvt_now_ns(), c0 = hvt_rdtsc(), t1, c1;

	guest_sleep_ms(ms);
	t1 = hvt_now_ns();
	c1 = hvt_rdtsc();
	return (double)(c1 - c0) / (t1 - t0);
}

/* What the run-time test reads at each end of its window. */
struct rt_sample {
	__u64 t, cycles, steps, exits, thread;
	__u64 vp_total, vp_guest, lp_total, lp_guest, lp_hv;
};

static void rt_take(struct guest *g, int lp, struct rt_sample *s)
{
	s->t = hvt_now_ns();
	s->cycles = guest_result(g, 0, 1);
	s->steps = guest_result(g, 0, 2);
	s->exits = vp_u64(g, 0, "intercepts/total");
	s->thread = dispatcher_ns(lp);
	s->vp_total = vp_u64(g, 0, "total_ns");
	s->vp_guest = vp_u64(g, 0, "guest_ns");
	s->lp_total = lp_u64(lp, "total_ns");
	s->lp_guest = lp_u64(lp, "guest_ns");
	s->lp_hv = lp_u64(lp, "hypervisor_ns");
}

/* @d := @d - @a, field by field. */
static void rt_delta(struct rt_sample *d, const struct rt_sample *a)
{
	__u64 *x = (__u64 *)d;
	const __u64 *y = (const __u64 *)a;
	unsigned int i;

	for (i = 0; i < sizeof(*d) / sizeof(__u64); i++)
		x[i] -= y[i];
}

/*
 * A VP alone on an idle host. Its LP's run time (the VP's slices and the
 * choosing of them) follows the time Linux saw the LP's dispatcher thread
 * on its CPU (/proc/<pid>/schedstat) within 2 %, and the VP's own run
 * time is that less the scheduling. Its guest time is at least what the
 * guest measured itself executing (guests/tsc.S: TSC steps under 5 us; a
 * step that spans an exit adds under 5 us), and at most its run time.
 * Under emulation the two sides of that bound are far apart (a world
 * switch costs many times what it costs on hardware, and the emulator's
 * own pauses count as guest mode), so it is a bound, not a match.
 */
TEST_F_TIMEOUT(counters, run_time_against_wall_clock, 90)
{
	struct guest *g = &self->g;
	struct rt_sample a, d;
	double cyc_ns, own, dev, run;
	int lp;

	cyc_ns = tsc_per_ns(100);
	ASSERT_LT(0.01, cyc_ns);
	ASSERT_EQ(0, guest_create(g, self->dev, "tsc", 4 * MIB, 1));
	ASSERT_EQ(0, guest_load_long(g, GUEST_IMAGE(tsc)));
	guest_go(g, 0, (__u64)(5000 * cyc_ns));
	ASSERT_EQ(0, guest_set_entry_regs(g));
	ASSERT_EQ(0, guest_control(g, HVCORE_CONTROL_START, 0));
	guest_sleep_ms(300);
	lp = (int)vp_u64(g, 0, "lp");
	ASSERT_LE(0, lp);
	rt_take(g, lp, &a);
	ASSERT_NE(~0ULL, a.thread) TH_LOG("no hvcore/%d thread", lp);
	guest_sleep_ms(2000);
	rt_take(g, lp, &d);
	rt_delta(&d, &a);
	ASSERT_EQ(lp, (int)vp_u64(g, 0, "lp")) TH_LOG("it moved: an idle host should keep it");
	own = d.cycles / cyc_ns;
	dev = 100.0 * ((double)d.vp_guest - own) / own;
	run = 100.0 * ((double)d.lp_total - (double)d.thread) / d.thread;
	ksft_print_msg("%.1f ms: VP run %.1f ms, guest %.1f ms, own measure %.1f ms (%+.2f%%)\n",
		       d.t / 1e6, d.vp_total / 1e6, d.vp_guest / 1e6, own / 1e6, dev);
	ksft_print_msg("%llu intercepts, %llu steps of 5 us or more\n",
		       (unsigned long long)d.exits, (unsigned long long)d.steps);
	ksft_print_msg("LP %d: run %.1f ms, guest %.1f ms, hypervisor %.1f ms\n",
		       lp, d.lp_total / 1e6, d.lp_guest / 1e6, d.lp_hv / 1e6);
	ksft_print_msg("its dispatcher thread on the CPU %.1f ms (LP run %+.2f%%)\n",
		       d.thread / 1e6, run);
	EXPECT_LE(own, (double)d.vp_guest + 5000.0 * (d.exits + d.steps))
		TH_LOG("the guest executed longer than its guest time");
	EXPECT_LE(d.vp_guest, d.vp_total);
	EXPECT_GE(2.0, fabs(run)) TH_LOG("the LP's run time and its thread's CPU time differ");
	/* The LP's time is the VP's and the scheduler's (read a slice apart). */
	EXPECT_GE(d.lp_total + 20000000, d.vp_total);
	EXPECT_LE(0.9 * d.lp_total, d.vp_total) TH_LOG("scheduling took over 10 %% of the LP");
	EXPECT_GE(5e6, fabs((double)d.lp_guest - (double)d.vp_guest));
	/* guest_ns moves at each exit, hypervisor_ns at the slice's end. */
	EXPECT_GE(20e6, fabs((double)d.lp_hv - (double)(d.lp_total - d.lp_guest)));
}

/*
 * vps/ follows the VP count: CONFIGURE, ADD_VP and DELETE; a file of a
 * VP that went away reads no stale VP, and the host-wide and per-LP files
 * exist.
 */
TEST_F(counters, vp_directories_follow_the_vp_count)
{
	struct guest *g = &self->g;
	struct hvcore_config c = { .size = sizeof(c) };
	char path[128], buf[64];
	struct stat st;
	long avail;

	/* No memory: CONFIGURE wants it unmapped, and nothing runs here. */
	ASSERT_EQ(0, guest_create(g, self->dev, "dirs", 0, 3));
	EXPECT_EQ(0, vp_read(g, 2, "state", buf, sizeof(buf)));
	EXPECT_NE(0, vp_read(g, 3, "state", buf, sizeof(buf)));
	c.vp_count = 1;
	c.numa_node = HVCORE_NODE_ANY;
	ASSERT_EQ(0, ioctl(g->fd, HVCORE_CONFIGURE, &c));
	g->nr_vps = 1;
	EXPECT_EQ(0, vp_read(g, 0, "state", buf, sizeof(buf)));
	snprintf(path, sizeof(path), SYSFS "/partitions/%u/vps/1", g->id);
	EXPECT_NE(0, stat(path, &st)) TH_LOG("vps/1 outlived the VP");
	snprintf(path, sizeof(path), SYSFS "/partitions/%u/crash_reason", g->id);
	ASSERT_EQ(0, read_str(path, buf, sizeof(buf)));
	EXPECT_STREQ("none", buf);
	avail = read_long(SYSFS "/memory_available_pages");
	EXPECT_LT(0, avail);
	EXPECT_LE(0, (long)lp_u64(0, "hypervisor_ns"));
	snprintf(path, sizeof(path), SYSFS "/partitions/%u/vps", g->id);
	guest_destroy(g);
	EXPECT_NE(0, stat(path, &st)) TH_LOG("vps/ outlived its partition");
}

TEST_HARNESS_MAIN
