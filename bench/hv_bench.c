// SPDX-License-Identifier: GPL-2.0
/*
 * hvcore bench: the same guests under hvcore, through /dev/hvcore
 * (include/uapi/linux/hvcore.h). One partition with one VP per benchmark;
 * this process is its worker: it reads the intercept messages from the
 * partition fd and completes them. For the HLT benchmark a second thread
 * watches the VP (HVCORE_VP_INFO) and injects the wake-up with
 * HVCORE_INJECT each time the VP has halted once more.
 *
 * Then the scheduler rows (Documentation/scheduler.rst), one TAP result
 * each: shares of CPU-bound "spin" partitions by weight, a cap, the
 * hypervisor's part of a lone VP's run time, and wake-to-run of a VP
 * halted on an idle LP, with I/O boost off and on. They print
 * "SCHED hvcore <key> <figures>" lines; this process sleeps while the
 * VPs run.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <linux/hvcore.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

#define HV_MSGS	16	/* messages per read */

static int hv_fd = -1;

/*
 * -errno of the call @name that just failed, with @run->why saying which;
 * ENOTTY or EOPNOTSUPP mean this hvcore does not have the operation yet:
 * a skip.
 */
static int hv_err(const char *name, struct bench_run *run)
{
	int err = errno;

	snprintf(run->why, sizeof(run->why), "%s: %s", name, strerror(err));
	if (err == ENOTTY || err == EOPNOTSUPP)
		return BENCH_SKIP;
	return -err;
}

static int hv_ioctl(int fd, unsigned long cmd, void *arg, const char *name,
		    struct bench_run *run)
{
	return ioctl(fd, cmd, arg) ? hv_err(name, run) : 0;
}

static void to_hv_seg(struct hvcore_segment *h, const struct bench_seg *s)
{
	memset(h, 0, sizeof(*h));
	h->base = s->base;
	h->limit = s->limit;
	h->selector = s->selector;
	h->type = s->type;
	h->s = s->s;
	h->dpl = s->dpl;
	h->present = s->present;
	h->l = s->l;
	h->db = s->db;
	h->g = s->g;
	h->unusable = s->unusable;
}

static int set_cpu(int pfd, unsigned long warmup, unsigned long rounds,
		   struct bench_run *run)
{
	struct hvcore_regs regs = { .size = sizeof(regs), .vp = 0 };
	static const int data_segs[] = { HVCORE_ES, HVCORE_SS, HVCORE_DS,
					  HVCORE_FS, HVCORE_GS };
	struct bench_cpu cpu;
	unsigned int i;
	int ret;

	guest_cpu(&cpu, warmup, rounds);
	ret = hv_ioctl(pfd, HVCORE_GET_REGS, &regs, "HVCORE_GET_REGS", run);
	if (ret)
		return ret;
	regs.gpr[HVCORE_RSP] = cpu.rsp;
	regs.gpr[HVCORE_R14] = cpu.r14;
	regs.gpr[HVCORE_R15] = cpu.r15;
	regs.rip = cpu.rip;
	regs.rflags = cpu.rflags;
	to_hv_seg(&regs.seg[HVCORE_CS], &cpu.cs);
	for (i = 0; i < ARRAY_SIZE(data_segs); i++)
		to_hv_seg(&regs.seg[data_segs[i]], &cpu.data);
	to_hv_seg(&regs.seg[HVCORE_TR], &cpu.tr);
	to_hv_seg(&regs.seg[HVCORE_LDTR], &cpu.ldt);
	regs.gdt.base = cpu.gdt_base;
	regs.gdt.limit = cpu.gdt_limit;
	regs.idt.base = cpu.idt_base;
	regs.idt.limit = cpu.idt_limit;
	regs.cr0 = cpu.cr0;
	regs.cr3 = cpu.cr3;
	regs.cr4 = cpu.cr4;
	regs.efer = cpu.efer;
	return hv_ioctl(pfd, HVCORE_SET_REGS, &regs, "HVCORE_SET_REGS", run);
}

struct injector {
	int pfd;
	atomic_int stop;
	int err;		/* errno of a failed ioctl */
	const char *what;
};

/*
 * Inject once per halt: a halt is new when the VP's HLT exit counter
 * moved since the last injection. Between looks the thread yields, so
 * that on one CPU the dispatcher gets to run the VP.
 */
static void *injector_main(void *arg)
{
	struct injector *inj = arg;
	struct hvcore_inject irq = {
		.size = sizeof(irq), .vp = 0, .type = HVCORE_INJECT_INTERRUPT,
		.vector = BENCH_VECTOR,
	};
	__u64 injected_at = 0;

	while (!atomic_load(&inj->stop)) {
		struct hvcore_vp_info info = { .size = sizeof(info), .vp = 0 };

		if (ioctl(inj->pfd, HVCORE_VP_INFO, &info)) {
			inj->err = errno;
			inj->what = "HVCORE_VP_INFO";
			break;
		}
		if (info.state == HVCORE_VP_HALTED &&
		    info.exits[HVCORE_EXIT_HLT] != injected_at) {
			if (ioctl(inj->pfd, HVCORE_INJECT, &irq)) {
				inj->err = errno;
				inj->what = "HVCORE_INJECT";
				break;
			}
			injected_at = info.exits[HVCORE_EXIT_HLT];
		}
		sched_yield();
	}
	return NULL;
}

static int crashed(int pfd, struct bench_run *run)
{
	struct hvcore_partition_info info = { .size = sizeof(info) };

	if (ioctl(pfd, HVCORE_PARTITION_INFO, &info))
		snprintf(run->why, sizeof(run->why), "the partition stopped");
	else
		snprintf(run->why, sizeof(run->why),
			 "the partition stopped: state %u, crash reason %u info 0x%llx at RIP 0x%llx",
			 info.state, info.crash_reason,
			 (unsigned long long)info.crash_info,
			 (unsigned long long)info.crash_rip);
	return -EIO;
}

static int vp_info(int pfd, struct hvcore_vp_info *info, struct bench_run *run)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->vp = 0;
	return hv_ioctl(pfd, HVCORE_VP_INFO, info, "HVCORE_VP_INFO", run);
}

/* hvcore's own counters over the measured interval, per round trip. */
static void note_counters(const struct hvcore_vp_info *a, const struct hvcore_vp_info *b,
			  unsigned long rounds, struct bench_run *run)
{
	static const char * const names[HVCORE_NR_EXIT_KINDS] = {
		"cpuid", "msr", "io", "mmio", "npf", "hlt", "hypercall",
		"intr_window", "extint", "nmi", "exception", "other",
	};
	size_t len;
	int i;

	len = snprintf(run->note, sizeof(run->note),
		       "%llu dispatches; per round trip: guest %.0f ns of %.0f ns dispatched; exits",
		       (unsigned long long)(b->dispatches - a->dispatches),
		       (double)(b->guest_ns - a->guest_ns) / rounds,
		       (double)(b->total_ns - a->total_ns) / rounds);
	for (i = 0; i < HVCORE_NR_EXIT_KINDS && len < sizeof(run->note); i++)
		if (b->exits[i] != a->exits[i])
			len += snprintf(run->note + len, sizeof(run->note) - len,
					" %s %.2f", names[i],
					(double)(b->exits[i] - a->exits[i]) / rounds);
}

static int complete(int pfd, const struct hvcore_message *m, struct bench_run *run)
{
	struct hvcore_complete c = { .size = sizeof(c), .seq = m->seq };

	return hv_ioctl(pfd, HVCORE_COMPLETE, &c, "HVCORE_COMPLETE", run);
}

/*
 * Serve the messages until the guest writes BENCH_PORT_DONE. The VP's
 * counters are read while it waits at START (before the clock starts)
 * and at DONE (after it stopped).
 */
static int worker_loop(int pfd, unsigned long rounds, struct bench_run *run)
{
	struct hvcore_vp_info at_start, at_done;
	struct bench_snap snap_start, snap_done;
	struct hvcore_message msgs[HV_MSGS];
	ssize_t got;
	int i, n, ret;

	for (;;) {
		got = read(pfd, msgs, sizeof(msgs));
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return hv_err("read", run);
		}
		if (got == 0)
			return crashed(pfd, run);
		n = got / sizeof(msgs[0]);
		for (i = 0; i < n; i++) {
			const struct hvcore_message *m = &msgs[i];

			if (m->type == HVCORE_MSG_STATE &&
			    m->state.state == HVCORE_STATE_CRASHED)
				return crashed(pfd, run);
			if (!(m->flags & HVCORE_MSG_F_COMPLETE))
				continue;
			if (m->type != HVCORE_MSG_IO) {
				snprintf(run->why, sizeof(run->why),
					 "unexpected message type %u at RIP 0x%llx",
					 m->type, (unsigned long long)m->rip);
				return -EIO;
			}
			switch (m->io.port) {
			case BENCH_PORT_START:
				ret = vp_info(pfd, &at_start, run);
				if (ret)
					return ret;
				bench_snap(&snap_start, 1);
				run->t_start = bench_now_ns();
				break;
			case BENCH_PORT_IO:
				break;
			case BENCH_PORT_DONE:
				run->t_done = bench_now_ns();
				bench_snap(&snap_done, 0);
				run->done_eax = (__u32)m->io.data;
				ret = vp_info(pfd, &at_done, run);
				if (ret)
					return ret;
				note_counters(&at_start, &at_done, rounds, run);
				bench_snap_note(&snap_start, &snap_done,
						run->t_done - run->t_start, rounds,
						run->note, sizeof(run->note));
				return 0;
			default:
				snprintf(run->why, sizeof(run->why),
					 "guest wrote port 0x%x (0x%x: exception) at RIP 0x%llx",
					 m->io.port, BENCH_PORT_FAULT,
					 (unsigned long long)m->rip);
				return -EIO;
			}
			ret = complete(pfd, m, run);
			if (ret)
				return ret;
		}
	}
}

static int run_partition(int pfd, const struct bench_guest *g, unsigned long warmup,
			 unsigned long rounds, struct bench_run *run)
{
	static unsigned char image[GUEST_MEM_SIZE];
	struct hvcore_config cfg = {
		.size = sizeof(cfg), .memory_bytes = GUEST_MEM_SIZE,
		.numa_node = HVCORE_NODE_ANY, .vp_count = 1,
	};
	struct hvcore_load load = {
		.size = sizeof(load), .gpa = 0, .bytes = sizeof(image),
		.data = (unsigned long)image,
	};
	struct hvcore_attach attach = { .size = sizeof(attach) };
	struct hvcore_control ctl = { .size = sizeof(ctl), .op = HVCORE_CONTROL_START };
	struct injector inj = { .pfd = pfd };
	pthread_t thread;
	int ret, stop_ret;

	ret = hv_ioctl(pfd, HVCORE_CONFIGURE, &cfg, "HVCORE_CONFIGURE", run);
	if (ret)
		return ret;
	guest_build(image, g);
	ret = hv_ioctl(pfd, HVCORE_LOAD, &load, "HVCORE_LOAD", run);
	if (!ret)
		ret = set_cpu(pfd, warmup, rounds, run);
	if (!ret)
		ret = hv_ioctl(pfd, HVCORE_ATTACH_WORKER, &attach, "HVCORE_ATTACH_WORKER", run);
	if (ret)
		return ret;

	if (g == &bench_guests[BENCH_HLT]) {
		ret = pthread_create(&thread, NULL, injector_main, &inj);
		if (ret) {
			snprintf(run->why, sizeof(run->why), "pthread_create: %s",
				 strerror(ret));
			return -ret;
		}
	}
	ret = hv_ioctl(pfd, HVCORE_CONTROL, &ctl, "HVCORE_CONTROL_START", run);
	if (!ret)
		ret = worker_loop(pfd, rounds, run);

	ctl.op = HVCORE_CONTROL_STOP;
	if (ioctl(pfd, HVCORE_CONTROL, &ctl) && errno != EALREADY && !ret) {
		stop_ret = errno;
		snprintf(run->why, sizeof(run->why), "HVCORE_CONTROL_STOP: %s",
			 strerror(stop_ret));
		ret = -stop_ret;
	}
	if (g == &bench_guests[BENCH_HLT]) {
		atomic_store(&inj.stop, 1);
		pthread_join(thread, NULL);
		if (inj.err && !ret) {
			snprintf(run->why, sizeof(run->why), "%s: %s", inj.what,
				 strerror(inj.err));
			ret = -inj.err;
		}
	}
	return ret;
}

static int hv_run_bench(const struct bench_guest *g, unsigned long warmup,
			unsigned long rounds, struct bench_run *run)
{
	struct hvcore_create create = { .size = sizeof(create) };
	struct hvcore_select sel = { .size = sizeof(sel) };
	int pfd, ret;

	snprintf(create.name, sizeof(create.name), "bench-%s", g->name);
	ret = hv_ioctl(hv_fd, HVCORE_CREATE_PARTITION, &create,
		       "HVCORE_CREATE_PARTITION", run);
	if (ret)
		return ret;
	sel.id = create.id;
	pfd = ioctl(hv_fd, HVCORE_OPEN_PARTITION, &sel);
	if (pfd < 0) {
		ret = hv_err("HVCORE_OPEN_PARTITION", run);
	} else {
		ret = run_partition(pfd, g, warmup, rounds, run);
		close(pfd);
	}
	if (ioctl(hv_fd, HVCORE_DELETE_PARTITION, &sel) && !ret) {
		snprintf(run->why, sizeof(run->why), "HVCORE_DELETE_PARTITION: %s",
			 strerror(errno));
		ret = -EIO;
	}
	return ret;
}

static int hv_init(char *why, size_t len)
{
	struct hvcore_info info = { .size = sizeof(info) };

	hv_fd = open("/dev/hvcore", O_RDWR | O_CLOEXEC);
	if (hv_fd < 0) {
		snprintf(why, len, "/dev/hvcore: %s (hvcore not loaded?)", strerror(errno));
		return BENCH_SKIP;
	}
	if (ioctl(hv_fd, HVCORE_GET_INFO, &info)) {
		snprintf(why, len, "HVCORE_GET_INFO: %s", strerror(errno));
		return -EIO;
	}
	return 0;
}

static int hv_check(const struct bench_guest *g, __u32 eax, char *why, size_t len)
{
	if (g != &bench_guests[BENCH_HYPERCALL] ||
	    (eax & 0xffff) == HVCORE_HV_STATUS_SUCCESS)
		return 0;
	snprintf(why, len, "the null hypercall returned status 0x%x", eax & 0xffff);
	return -EIO;
}

/* The scheduler rows */

#define SCHED_MAX_PARTS	4
#define SETTLE_US	500000		/* placement and budgets settle */
#define SHARE_US	5000000		/* measured window of each row */
#define WAKE_N		200		/* wake-ups per series */

struct sched_part {
	__u32 id;
	int fd;
	void *mem;
};

static int sched_err(const char *what, char *why, size_t len)
{
	int err = errno;

	snprintf(why, len, "%s: %s", what, strerror(err));
	return -err;
}

/* One partition, one VP running @g, policy set, started. */
static int sched_part_start(struct sched_part *p, const char *name,
			    const struct bench_guest *g, __u32 weight, __u32 cap,
			    __u32 flags, char *why, size_t len)
{
	struct hvcore_create create = { .size = sizeof(create) };
	struct hvcore_select sel = { .size = sizeof(sel) };
	struct hvcore_config cfg = {
		.size = sizeof(cfg), .memory_bytes = GUEST_MEM_SIZE,
		.numa_node = HVCORE_NODE_ANY, .vp_count = 1,
	};
	struct hvcore_policy pol = {
		.size = sizeof(pol), .flags = flags, .weight = weight, .cap = cap,
	};
	struct hvcore_control ctl = { .size = sizeof(ctl), .op = HVCORE_CONTROL_START };
	struct bench_run run = { 0 };
	int ret;

	p->fd = -1;
	p->mem = MAP_FAILED;
	snprintf(create.name, sizeof(create.name), "bench-%s", name);
	if (ioctl(hv_fd, HVCORE_CREATE_PARTITION, &create))
		return sched_err("HVCORE_CREATE_PARTITION", why, len);
	p->id = create.id;
	sel.id = create.id;
	p->fd = ioctl(hv_fd, HVCORE_OPEN_PARTITION, &sel);
	if (p->fd < 0)
		return sched_err("HVCORE_OPEN_PARTITION", why, len);
	if (ioctl(p->fd, HVCORE_CONFIGURE, &cfg))
		return sched_err("HVCORE_CONFIGURE", why, len);
	p->mem = mmap(NULL, GUEST_MEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, p->fd, 0);
	if (p->mem == MAP_FAILED)
		return sched_err("mmap partition memory", why, len);
	guest_build(p->mem, g);
	ret = set_cpu(p->fd, 1, 1, &run);
	if (ret) {
		snprintf(why, len, "%s", run.why);
		return ret < 0 ? ret : -EIO;
	}
	if (ioctl(p->fd, HVCORE_SET_POLICY, &pol))
		return sched_err("HVCORE_SET_POLICY", why, len);
	if (ioctl(p->fd, HVCORE_CONTROL, &ctl))
		return sched_err("HVCORE_CONTROL_START", why, len);
	return 0;
}

static void sched_part_end(struct sched_part *p)
{
	struct hvcore_control ctl = { .size = sizeof(ctl), .op = HVCORE_CONTROL_STOP };
	struct hvcore_select sel = { .size = sizeof(sel), .id = p->id };

	if (p->fd >= 0) {
		ioctl(p->fd, HVCORE_CONTROL, &ctl);
		if (p->mem != MAP_FAILED)
			munmap(p->mem, GUEST_MEM_SIZE);
		close(p->fd);
		ioctl(hv_fd, HVCORE_DELETE_PARTITION, &sel);
	}
	p->fd = -1;
}

static int sched_vp_info(struct sched_part *p, struct hvcore_vp_info *vi, char *why,
			 size_t len)
{
	memset(vi, 0, sizeof(*vi));
	vi->size = sizeof(*vi);
	vi->vp = 0;
	return ioctl(p->fd, HVCORE_VP_INFO, vi) ? sched_err("HVCORE_VP_INFO", why, len) : 0;
}

static __u64 spin_count(const struct sched_part *p)
{
	return __atomic_load_n((__u64 *)((char *)p->mem + GUEST_SPIN_COUNT), __ATOMIC_RELAXED);
}

/*
 * @n one-VP spin partitions of weights @w on the one LP. After SETTLE_US,
 * each partition's share of what the @n VPs ran over SHARE_US (so that
 * this process and the rest of Linux do not count), against
 * w / sum(w).
 */
static int sched_shares(const char *key, const __u32 *w, int n, char *why, size_t len)
{
	struct sched_part p[SCHED_MAX_PARTS];
	struct hvcore_vp_info vi;
	__u64 a[SCHED_MAX_PARTS], b[SCHED_MAX_PARTS], ia[SCHED_MAX_PARTS];
	__u64 t0 = 0, t1 = 0, sum = 0, wsum = 0;
	char shares[80] = "", wants[80] = "", name[16];
	double share, want, err = 0;
	int i, ret = 0;

	for (i = 0; i < n; i++)
		p[i].fd = -1;
	for (i = 0; i < n && !ret; i++) {
		snprintf(name, sizeof(name), "%.8s-%d", key + 6, i);
		ret = sched_part_start(&p[i], name, &bench_spin, w[i], 100, 0, why, len);
		wsum += w[i];
	}
	if (ret)
		goto out;
	bench_sleep_us(SETTLE_US);
	t0 = bench_now_ns();
	for (i = 0; i < n && !ret; i++) {
		ret = sched_vp_info(&p[i], &vi, why, len);
		a[i] = vi.total_ns;
		ia[i] = spin_count(&p[i]);
	}
	if (ret)
		goto out;
	bench_sleep_us(SHARE_US);
	for (i = 0; i < n && !ret; i++) {
		ret = sched_vp_info(&p[i], &vi, why, len);
		b[i] = vi.total_ns;
		sum += b[i] - a[i];
		if (spin_count(&p[i]) == ia[i]) {
			snprintf(why, len, "partition %d (weight %u) did not run", i, w[i]);
			ret = -EIO;
		}
	}
	t1 = bench_now_ns();
	if (ret)
		goto out;
	for (i = 0; i < n; i++) {
		share = 100.0 * (b[i] - a[i]) / sum;
		want = 100.0 * w[i] / wsum;
		if (fabs(share - want) > err)
			err = fabs(share - want);
		snprintf(shares + strlen(shares), sizeof(shares) - strlen(shares),
			 "%s%.2f", i ? "/" : "", share);
		snprintf(wants + strlen(wants), sizeof(wants) - strlen(wants), "%s%.0f",
			 i ? "/" : "", want);
	}
	printf("# hvcore %s: weights", key);
	for (i = 0; i < n; i++)
		printf("%s%u", i ? "/" : " ", w[i]);
	printf(", one VP each on one LP: %s %% of the VPs' run time (want %s)", shares, wants);
	printf(", largest error %.2f pp; the VPs ran %.1f %% of the %.1f s\n", err,
	       100.0 * sum / (t1 - t0), (t1 - t0) / 1e9);
	printf("SCHED hvcore %s err_pp=%.2f shares=%s want=%s\n", key, err, shares, wants);
out:
	for (i = 0; i < n; i++)
		sched_part_end(&p[i]);
	return ret;
}

static int sched_weights(char *why, size_t len)
{
	static const __u32 w[] = { 100, 150, 250 };

	return sched_shares("share_100_150_250", w, ARRAY_SIZE(w), why, len);
}

static int sched_table3(char *why, size_t len)
{
	static const __u32 w[] = { 200, 200, 50, 50 };

	return sched_shares("share_table3", w, ARRAY_SIZE(w), why, len);
}

/*
 * A lone spin VP over SHARE_US after SETTLE_US: its share of the LP
 * (wall time) and the part of its dispatched time not in guest mode.
 */
static int sched_lone(const char *key, __u32 cap, struct hvcore_vp_info *a,
		      struct hvcore_vp_info *b, __u64 *wall, char *why, size_t len)
{
	struct sched_part p;
	__u64 t0;
	int ret;

	ret = sched_part_start(&p, key, &bench_spin, HVCORE_WEIGHT_DEFAULT, cap, 0, why, len);
	if (!ret) {
		bench_sleep_us(SETTLE_US);
		t0 = bench_now_ns();
		ret = sched_vp_info(&p, a, why, len);
	}
	if (!ret) {
		bench_sleep_us(SHARE_US);
		ret = sched_vp_info(&p, b, why, len);
		*wall = bench_now_ns() - t0;
	}
	if (!ret && b->total_ns == a->total_ns) {
		snprintf(why, len, "the VP did not run");
		ret = -EIO;
	}
	sched_part_end(&p);
	return ret;
}

static int sched_cap(char *why, size_t len)
{
	struct hvcore_vp_info a, b;
	double pct;
	__u64 wall;
	int ret = sched_lone("cap30", 30, &a, &b, &wall, why, len);

	if (ret)
		return ret;
	pct = 100.0 * (b.total_ns - a.total_ns) / wall;
	printf("# hvcore cap30: one spin VP capped at 30 %% on the otherwise idle LP");
	printf(" ran %.2f %% of %.1f s: %+.2f pp\n", pct, wall / 1e9, pct - 30);
	printf("SCHED hvcore cap30 pct=%.2f over_pp=%.2f\n", pct, pct - 30);
	return 0;
}

static long module_param(const char *name)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/hvcore/parameters/%s", name);
	f = fopen(path, "re");
	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int sched_hvtime(char *why, size_t len)
{
	struct hvcore_vp_info a, b;
	__u64 total, guest, disp, wall;
	int ret = sched_lone("hvtime", 100, &a, &b, &wall, why, len);
	double pct;

	if (ret)
		return ret;
	total = b.total_ns - a.total_ns;
	guest = b.guest_ns - a.guest_ns;
	disp = b.dispatches - a.dispatches;
	pct = 100.0 * (total - guest) / total;
	printf("# hvcore hvtime: a lone spin VP, slice_us=%ld period_us=%ld:",
	       module_param("slice_us"), module_param("period_us"));
	printf(" %.3f %% of its %.1f ms dispatched outside guest mode,", pct, total / 1e6);
	printf(" %llu dispatches (%.0f ns each), %llu exits; it ran %.1f %% of %.1f s\n",
	       (unsigned long long)disp, disp ? (double)(total - guest) / disp : 0.0,
	       (unsigned long long)(b.exits[HVCORE_EXIT_EXTINT] - a.exits[HVCORE_EXIT_EXTINT] +
				    b.exits[HVCORE_EXIT_OTHER] - a.exits[HVCORE_EXIT_OTHER]),
	       100.0 * total / wall, wall / 1e9);
	printf("SCHED hvcore hvtime pct=%.3f\n", pct);
	return 0;
}

static int wake_inject(void *ctx)
{
	struct sched_part *p = ctx;
	struct hvcore_inject irq = {
		.size = sizeof(irq), .vp = 0, .type = HVCORE_INJECT_INTERRUPT,
		.vector = BENCH_VECTOR,
	};

	return ioctl(p->fd, HVCORE_INJECT, &irq) ? -errno : 0;
}

static int wake_halted(void *ctx)
{
	struct hvcore_vp_info vi = { .size = sizeof(vi), .vp = 0 };
	struct sched_part *p = ctx;

	if (ioctl(p->fd, HVCORE_VP_INFO, &vi))
		return -errno;
	return vi.state == HVCORE_VP_HALTED;
}

/*
 * Wake-to-run on an idle LP: the wake guest alone, WAKE_N interrupts
 * with I/O boost off, then WAKE_N with it on. hvcore enters its guests
 * with the host's TSC (no offset).
 */
static int sched_wake(char *why, size_t len)
{
	static __u64 lat[WAKE_N];
	struct sched_part p;
	struct bench_waker w = {
		.inject = wake_inject, .halted = wake_halted, .ctx = &p,
	};
	struct hvcore_policy pol = {
		.size = sizeof(pol), .flags = HVCORE_POLICY_IO_BOOST,
		.weight = HVCORE_WEIGHT_DEFAULT, .cap = 100,
	};
	struct hvcore_vp_info a, b;
	double tsc_per_ns;
	int ret, boost;

	ret = sched_part_start(&p, "wake", &bench_wake, HVCORE_WEIGHT_DEFAULT, 100, 0,
			       why, len);
	w.count = (const __u64 *)((char *)p.mem + GUEST_WAKE_COUNT);
	w.tsc = (const __u64 *)((char *)p.mem + GUEST_WAKE_TSC);
	for (boost = 0; boost < 2 && !ret; boost++) {
		if (boost && ioctl(p.fd, HVCORE_SET_POLICY, &pol)) {
			ret = sched_err("HVCORE_SET_POLICY", why, len);
			break;
		}
		ret = sched_vp_info(&p, &a, why, len);
		if (!ret)
			ret = bench_wake_series(&w, WAKE_N, lat, &tsc_per_ns, why, len);
		if (!ret)
			ret = sched_vp_info(&p, &b, why, len);
		if (ret)
			break;
		printf("# hvcore wake_boost_%s: hvcore's own wait per dispatch",
		       boost ? "on" : "off");
		printf(" %.1f us over %llu dispatches\n",
		       (double)(b.wait_ns - a.wait_ns) / (b.dispatches - a.dispatches ?: 1) / 1000,
		       (unsigned long long)(b.dispatches - a.dispatches));
		bench_wake_report("hvcore", boost ? "wake_boost_on" : "wake_boost_off",
				  boost ? "idle LP, I/O boost on" : "idle LP, I/O boost off",
				  lat, WAKE_N, tsc_per_ns);
	}
	sched_part_end(&p);
	return ret;
}

static const struct bench_extra hv_extras[] = {
	{ "share_100_150_250", sched_weights },
	{ "share_table3", sched_table3 },
	{ "cap30", sched_cap },
	{ "hvtime", sched_hvtime },
	{ "wake", sched_wake },
};

static const struct bench_impl hv_impl = {
	.name = "hvcore",
	.init = hv_init,
	.run = hv_run_bench,
	.check = hv_check,
	.extras = hv_extras,
	.nr_extras = ARRAY_SIZE(hv_extras),
};

int main(int argc, char **argv)
{
	return bench_main(&hv_impl, argc, argv);
}
