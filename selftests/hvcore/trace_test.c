// SPDX-License-Identifier: GPL-2.0
/*
 * hvcore's tracepoints (Documentation/tracing.rst) as perf sees them: each
 * event is opened with perf_event_open() as a PERF_TYPE_TRACEPOINT counter
 * on every CPU, some with a filter on a field, while a guest does known
 * work (guests/trace.S counts its own CPUIDs, hypercalls, OUTs, HLTs and
 * interrupts). The counts must equal hvcore's own counters
 * (HVCORE_VP_INFO, the partition's npt_mapped_pages in sysfs) and what
 * the guest and its worker saw.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/hvcore.h>
#include <linux/perf_event.h>

#include "kselftest_harness.h"
#include "hvtest.h"
#include "guest.h"

extern const unsigned char guest_img_trace[], guest_img_trace_end[];
static const struct guest_image trace_image = { guest_img_trace, guest_img_trace_end };

#define MIB (1024ULL * 1024)
#define MAX_CPUS 64

/* The guest's work: CPUIDs, hypercalls, OUTs, interrupts (guests/trace.S). */
#define N_CPUID	37
#define N_HCALL	23
#define N_OUT	11
#define N_IRQ	5

/* hvcore_vp_exit kinds past HVCORE_EXIT_* (kernel/hvcore/trace.h) */
#define KIND_NONE	HVCORE_NR_EXIT_KINDS		/* not counted by VP_INFO */
#define KIND_UD		(HVCORE_NR_EXIT_KINDS + 1)	/* #UD intercepts */

static const char *const tracefs_roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

/* The id of hvcore:@ev, mounting tracefs if no tracing directory shows it. */
static long event_id(const char *ev)
{
	char path[256];
	unsigned int i;
	long id;

	for (i = 0; i < ARRAY_SIZE(tracefs_roots); i++) {
		snprintf(path, sizeof(path), "%s/events/hvcore/%s/id", tracefs_roots[i], ev);
		id = read_long(path);
		if (id > 0)
			return id;
	}
	if (mount("tracefs", tracefs_roots[0], "tracefs", 0, NULL))
		return -errno;
	snprintf(path, sizeof(path), "%s/events/hvcore/%s/id", tracefs_roots[0], ev);
	return read_long(path);
}

/* One event on every online CPU, counting from the start. */
struct counter {
	int fd[MAX_CPUS];
	int n;
};

static int counter_open(struct counter *c, const char *ev, const char *filter)
{
	struct perf_event_attr a = {
		.size = sizeof(a),
		.type = PERF_TYPE_TRACEPOINT,
	};
	long id = event_id(ev), cpus = sysconf(_SC_NPROCESSORS_CONF);
	int cpu, fd;

	c->n = 0;
	if (id <= 0)
		return id ? (int)id : -ENOENT;
	a.config = id;
	for (cpu = 0; cpu < cpus && cpu < MAX_CPUS; cpu++) {
		fd = syscall(SYS_perf_event_open, &a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
		if (fd < 0 && errno == ENODEV)
			continue;	/* offline */
		if (fd < 0)
			return -errno;
		c->fd[c->n++] = fd;
		if (filter && ioctl(fd, PERF_EVENT_IOC_SET_FILTER, filter))
			return -errno;
	}
	return c->n ? 0 : -ENODEV;
}

static __u64 counter_read(const struct counter *c)
{
	__u64 sum = 0, v;
	int i;

	for (i = 0; i < c->n; i++)
		if (read(c->fd[i], &v, sizeof(v)) == sizeof(v))
			sum += v;
	return sum;
}

static void counter_close(struct counter *c)
{
	while (c->n > 0)
		close(c->fd[--c->n]);
}

/* What the test counts: an event, optionally filtered. */
enum {
	C_ENTER, C_EXIT, C_EXIT_KIND0,	/* + HVCORE_EXIT_* kind, then none and ud */
	C_DISPATCH = C_EXIT_KIND0 + HVCORE_NR_EXIT_KINDS + 2,
	C_PREEMPT, C_PREEMPT_HLT, C_PREEMPT_MSG,
	C_SEND, C_COMPLETE, C_COMPLETE_OK,
	C_HCALL, C_HCALL_FAILED, C_INJECT, C_DELIVER, C_DELIVER_INTR,
	C_MAP_4K, C_MAP_2M, C_UNMAP,
	C_MAX
};

FIXTURE(trace) {
	int dev;
	int kmsg;
	struct guest g;
	struct counter c[C_MAX];
};

FIXTURE_SETUP(trace)
{
	/* Filter values: enum hv_trace_why, hv_trace_done, HV_EV_* of trace.h. */
	struct { int idx; const char *ev, *filter; } const spec[] = {
		{ C_ENTER, "hvcore_vp_enter" }, { C_EXIT, "hvcore_vp_exit" },
		{ C_DISPATCH, "hvcore_dispatch" }, { C_PREEMPT, "hvcore_preempt" },
		{ C_PREEMPT_HLT, "hvcore_preempt", "why == 6" },
		{ C_PREEMPT_MSG, "hvcore_preempt", "why == 7" },
		{ C_SEND, "hvcore_msg_send" }, { C_COMPLETE, "hvcore_msg_complete" },
		{ C_COMPLETE_OK, "hvcore_msg_complete", "how == 0" },
		{ C_HCALL, "hvcore_hypercall" },
		{ C_HCALL_FAILED, "hvcore_hypercall", "status != 0" },
		{ C_INJECT, "hvcore_inject" }, { C_DELIVER, "hvcore_deliver" },
		{ C_DELIVER_INTR, "hvcore_deliver", "type == 0" },
		{ C_MAP_4K, "hvcore_map", "size == 4096" },
		{ C_MAP_2M, "hvcore_map", "size == 2097152" },
		{ C_UNMAP, "hvcore_unmap" },
	};
	char filter[32];
	unsigned int i;

	ASSERT_EQ(0, hv_reload());
	self->dev = hvt_dev_open();
	ASSERT_LE(0, self->dev);
	self->kmsg = kmsg_mark();
	if (!guest_can_run(self->dev))
		SKIP(return, "this host runs no guests yet (START: EOPNOTSUPP)");
	for (i = 0; i < ARRAY_SIZE(spec); i++) {
		const char *ev = spec[i].ev, *flt = spec[i].filter;

		ASSERT_EQ(0, counter_open(&self->c[spec[i].idx], ev, flt))
			TH_LOG("perf_event_open of %s (%s)", ev, flt ? flt : "no filter");
	}
	for (i = 0; i < HVCORE_NR_EXIT_KINDS + 2; i++) {
		snprintf(filter, sizeof(filter), "kind == %u", i);
		ASSERT_EQ(0, counter_open(&self->c[C_EXIT_KIND0 + i], "hvcore_vp_exit", filter))
			TH_LOG("vp_exit %s", filter);
	}
}

FIXTURE_TEARDOWN(trace)
{
	unsigned int i;

	/* An open event holds the module. */
	for (i = 0; i < C_MAX; i++)
		counter_close(&self->c[i]);
	guest_destroy(&self->g);
	close(self->dev);
	EXPECT_FALSE(kmsg_warned(self->kmsg));
	if (mod_loaded("hvcore"))
		mod_unload("hvcore");
}

#define COUNT(x) counter_read(&self->c[x])

/*
 * One VP does the known work; each event's count is checked against
 * hvcore's counters and against what the guest and the worker saw.
 */
TEST_F_TIMEOUT(trace, counts, 180)
{
	struct guest *g = &self->g;
	struct hvcore_vp_info vi = { .size = sizeof(vi) };
	__u64 cpuids, hcalls, outs, hlts, irqs, foreign, sum = 0, k, mapped, n;
	char path[128];
	unsigned int i;

	/* 2 MiB and 16 KiB: the guest writes to the last four pages. */
	ASSERT_EQ(0, guest_create(g, self->dev, "trace", 2 * MIB + 16384, 1));
	g->args[0] = N_CPUID;
	g->args[1] = N_HCALL;
	g->args[2] = N_OUT;
	g->args[3] = N_IRQ;
	ASSERT_EQ(0, guest_load_long(g, &trace_image));
	EXPECT_EQ(0, COUNT(C_EXIT)) TH_LOG("exits before the guest started");
	ASSERT_EQ(0, guest_start(g));
	ASSERT_EQ(0, guest_serve_async(g, 60000));
	for (i = 0; i < N_IRQ; i++) {
		ASSERT_EQ(0, guest_wait_vp_state(g, 0, HVCORE_VP_HALTED, 30000))
			TH_LOG("HLT %u", i);
		ASSERT_EQ(0, guest_inject(g, 0, HVCORE_INJECT_INTERRUPT, 0x40 + i, 0, 0));
	}
	ASSERT_EQ(0, guest_serve_wait(g));
	ASSERT_TRUE(g->exited);
	ASSERT_EQ(0, g->exit_code);
	ASSERT_EQ(0, guest_wait_state(g, HVCORE_STATE_OFF, 10000));

	/* What the guest says it did. */
	cpuids = guest_result(g, 0, 0);
	hcalls = guest_result(g, 0, 1);
	outs = guest_result(g, 0, 2);
	hlts = guest_result(g, 0, 3);
	irqs = guest_result(g, 0, 4);
	foreign = guest_result(g, 0, 6);
	EXPECT_EQ(N_CPUID, cpuids);
	EXPECT_EQ(N_HCALL, hcalls);
	EXPECT_EQ(N_OUT, outs);
	EXPECT_EQ(N_IRQ, hlts);
	EXPECT_EQ(N_IRQ, irqs);
	EXPECT_EQ(0, guest_result(g, 0, 5)) TH_LOG("hypercalls that failed");

	ASSERT_EQ(0, guest_vp_info(g, 0, &vi));

	/* World switches: every exit kind, exactly as VP_INFO counts it. */
	EXPECT_EQ(COUNT(C_ENTER), COUNT(C_EXIT));
	for (k = 0; k < HVCORE_NR_EXIT_KINDS; k++) {
		n = COUNT(C_EXIT_KIND0 + k);
		if (k == HVCORE_EXIT_HYPERCALL)
			n += COUNT(C_EXIT_KIND0 + KIND_UD);
		EXPECT_EQ(vi.exits[k], n) TH_LOG("exit kind %llu", (unsigned long long)k);
		sum += vi.exits[k];
	}
	EXPECT_EQ(sum, COUNT(C_EXIT) - COUNT(C_EXIT_KIND0 + KIND_NONE));
	/* ... and as the guest caused them (one more OUT: the exit port). */
	EXPECT_EQ(cpuids, COUNT(C_EXIT_KIND0 + HVCORE_EXIT_CPUID));
	EXPECT_EQ(hcalls - foreign, COUNT(C_EXIT_KIND0 + HVCORE_EXIT_HYPERCALL));
	EXPECT_EQ(foreign, COUNT(C_EXIT_KIND0 + KIND_UD));
	EXPECT_EQ(outs + 1, COUNT(C_EXIT_KIND0 + HVCORE_EXIT_IO));
	/* The VP may run into the HLT after the exit port before the STOP. */
	n = COUNT(C_EXIT_KIND0 + HVCORE_EXIT_HLT);
	EXPECT_TRUE(n == hlts || n == hlts + 1) TH_LOG("%llu HLT exits", (unsigned long long)n);
	EXPECT_LE(cpuids + hcalls + outs + 1 + hlts, COUNT(C_EXIT));

	/* Hypercalls */
	EXPECT_EQ(vi.hypercalls, COUNT(C_HCALL));
	EXPECT_EQ(hcalls, COUNT(C_HCALL));
	EXPECT_EQ(0, COUNT(C_HCALL_FAILED));

	/* Dispatch: every slice starts with one and ends with one preemption. */
	EXPECT_EQ(vi.dispatches, COUNT(C_DISPATCH));
	EXPECT_EQ(vi.dispatches, COUNT(C_PREEMPT));
	EXPECT_EQ(vi.exits[HVCORE_EXIT_HLT], COUNT(C_PREEMPT_HLT));
	EXPECT_EQ(outs + 1, COUNT(C_PREEMPT_MSG));
	EXPECT_LE(1 + hlts + outs, COUNT(C_DISPATCH));

	/* Messages: one per OUT, each completed by the worker. */
	EXPECT_EQ(vi.exits[HVCORE_EXIT_IO], COUNT(C_SEND));
	EXPECT_EQ(g->count[HVCORE_MSG_IO], COUNT(C_SEND));
	EXPECT_EQ(COUNT(C_SEND), COUNT(C_COMPLETE));
	EXPECT_EQ(COUNT(C_SEND), COUNT(C_COMPLETE_OK));
	EXPECT_EQ(0, g->complete_errors);

	/* Interrupts: injected by the test, handed to the hardware, taken. */
	EXPECT_EQ(N_IRQ, COUNT(C_INJECT));
	EXPECT_EQ(vi.injected, COUNT(C_DELIVER));
	EXPECT_EQ(irqs, COUNT(C_DELIVER_INTR));

	/* Nested paging: what the maps add up to is what the tables hold. */
	snprintf(path, sizeof(path), SYSFS "/partitions/%u/npt_mapped_pages", g->id);
	mapped = read_long(path);
	EXPECT_LE(512 + 4, mapped);
	EXPECT_LE(4, COUNT(C_MAP_4K)) TH_LOG("the guest wrote to four pages past 2 MiB");
	EXPECT_EQ(mapped, COUNT(C_MAP_4K) + 512 * COUNT(C_MAP_2M));
	EXPECT_EQ(vi.exits[HVCORE_EXIT_NPF], COUNT(C_MAP_4K) + COUNT(C_MAP_2M))
		TH_LOG("one VP: every nested-page fault maps");
	EXPECT_EQ(0, COUNT(C_UNMAP));
	guest_destroy(g);
	EXPECT_EQ(1, COUNT(C_UNMAP)) TH_LOG("the tables go with the partition");

	TH_LOG("exits %llu dispatches %llu maps %llu x 4K %llu x 2M",
	       (unsigned long long)COUNT(C_EXIT), (unsigned long long)vi.dispatches,
	       (unsigned long long)COUNT(C_MAP_4K), (unsigned long long)COUNT(C_MAP_2M));
}

/* The events and the fields Documentation/tracing.rst names. */
TEST_F(trace, formats)
{
	static const struct { const char *ev, *fields; } want[] = {
		{ "hvcore_vp_enter", "part vp lp rip" },
		{ "hvcore_vp_exit", "part vp lp reason kind code rip info" },
		{ "hvcore_dispatch", "part vp lp cls slice_ns wait_ns" },
		{ "hvcore_preempt", "part vp lp why ran_ns" },
		{ "hvcore_msg_send", "part vp type flags seq rip addr" },
		{ "hvcore_msg_complete", "part vp type how seq" },
		{ "hvcore_hypercall", "part vp code status reps fast rip" },
		{ "hvcore_inject", "part vp type vector err state has_err" },
		{ "hvcore_deliver", "part vp type vector err has_err rip" },
		{ "hvcore_map", "part gpa size hpa" },
		{ "hvcore_unmap", "part size nr_2m nr_4k" },
	};
	char path[256], fmt[8192], needle[64], fields[128], *f, *save;
	unsigned int i, r;
	bool found;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		ASSERT_LT(0, event_id(want[i].ev)) TH_LOG("%s", want[i].ev);
		found = false;
		for (r = 0; r < ARRAY_SIZE(tracefs_roots) && !found; r++) {
			snprintf(path, sizeof(path), "%s/events/hvcore/%s/format",
				 tracefs_roots[r], want[i].ev);
			found = !read_str(path, fmt, sizeof(fmt));
		}
		ASSERT_TRUE(found) TH_LOG("%s: no format file", want[i].ev);
		snprintf(fields, sizeof(fields), "%s", want[i].fields);
		for (f = strtok_r(fields, " ", &save); f; f = strtok_r(NULL, " ", &save)) {
			snprintf(needle, sizeof(needle), " %s;", f);
			EXPECT_NE(NULL, strstr(fmt, needle)) TH_LOG("%s: field %s", want[i].ev, f);
		}
	}
}

TEST_HARNESS_MAIN
