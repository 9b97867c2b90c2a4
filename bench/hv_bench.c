// SPDX-License-Identifier: GPL-2.0
/*
 * hvcore bench: the same guests under hvcore, through /dev/hvcore
 * (include/uapi/linux/hvcore.h). One partition with one VP per benchmark;
 * this process is its worker: it reads the intercept messages from the
 * partition fd and completes them. For the HLT benchmark a second thread
 * watches the VP (HVCORE_VP_INFO) and injects the wake-up with
 * HVCORE_INJECT each time the VP has halted once more.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/hvcore.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
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

static const struct bench_impl hv_impl = {
	.name = "hvcore",
	.init = hv_init,
	.run = hv_run_bench,
	.check = hv_check,
};

int main(int argc, char **argv)
{
	return bench_main(&hv_impl, argc, argv);
}
