// SPDX-License-Identifier: GPL-2.0
/*
 * Isolation between running partitions, and a fuzzer of the VP ioctls.
 *
 * isolation: one guest fills its memory with a secret; another guest scans
 * all of its own memory for it (and finds the copies the test planted,
 * proving the scan works); a guest reading past its memory gets the
 * worker's MMIO answers, never memory.
 *
 * fuzz_vp: random commands 0x40-0x4c, sizes, contents, pointers, VP
 * indexes and operations on partitions that run small guests, plus read()
 * and poll() on their fds (FUZZ_ITERS calls, default 100000); afterwards
 * the host holds no partition memory and its log has no warning.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/hvcore.h>

#include "kselftest_harness.h"
#include "hvtest.h"
#include "guest.h"

#define MIB (1024ULL * 1024)
#define RUN_MS 60000

FIXTURE(iso) {
	int dev;
	int kmsg;
	long baseline;
	struct guest a, b;
};

FIXTURE_SETUP(iso)
{
	ASSERT_EQ(0, hv_reload());
	self->dev = hvt_dev_open();
	ASSERT_LE(0, self->dev);
	self->baseline = hvt_held_pages();
	ASSERT_EQ(0, self->baseline);
	self->kmsg = kmsg_mark();
	if (!guest_can_run(self->dev))
		SKIP(return, "this host runs no guests yet (START: EOPNOTSUPP)");
}

FIXTURE_TEARDOWN(iso)
{
	guest_destroy(&self->a);
	guest_destroy(&self->b);
	close(self->dev);
	EXPECT_FALSE(kmsg_warned(self->kmsg));
	if (mod_loaded("hvcore"))
		mod_unload("hvcore");
}

enum { OP_FILL = 1, OP_COUNT = 2, OP_BEYOND = 3 };

static int run_isolate(struct guest *g, __u64 op, __u64 from, __u64 to, __u64 pattern)
{
	g->args[0] = pattern;
	g->args[1] = op;
	g->args[2] = from;
	g->args[3] = to;
	return guest_run(g, RUN_MS);
}

static __u64 host_count(struct guest *g, __u64 pattern)
{
	__u64 i, n = 0;

	for (i = 0; i < g->mem_bytes; i += 8)
		n += *(__u64 *)(g->mem + i) == pattern;
	return n;
}

TEST_F_TIMEOUT(iso, secret_not_visible, 300)
{
	const __u64 size = 8 * MIB, secret = 0x5ec2e75ec2e70000ULL ^ (__u64)getpid() << 16;
	/* A fills everything above its image with the secret. */
	ASSERT_EQ(0, guest_create(&self->a, self->dev, "iso-a", size, 1));
	ASSERT_EQ(0, guest_load_long(&self->a, GUEST_IMAGE(isolate)));
	ASSERT_EQ(0, run_isolate(&self->a, OP_FILL, GUEST_MEM_MIN, size, secret));
	ASSERT_TRUE(self->a.exited);
	ASSERT_EQ(0, self->a.exit_code);
	ASSERT_EQ((size - GUEST_MEM_MIN) / 8, host_count(&self->a, secret));

	/* B, next to it, scans all of its memory: only the 3 planted copies. */
	ASSERT_EQ(0, guest_create(&self->b, self->dev, "iso-b", size, 1));
	ASSERT_EQ(0, guest_load_long(&self->b, GUEST_IMAGE(isolate)));
	*(__u64 *)(self->b.mem + 0x300000) = secret;
	*(__u64 *)(self->b.mem + 0x500008) = secret;
	*(__u64 *)(self->b.mem + size - 8) = secret;
	ASSERT_EQ(0, run_isolate(&self->b, OP_COUNT, 0, size, secret));
	ASSERT_TRUE(self->b.exited);
	ASSERT_EQ(0, self->b.exit_code);
	EXPECT_EQ(3, guest_result(&self->b, 0, 0));
	EXPECT_EQ(3, host_count(&self->b, secret));

	/* A deleted; C likely gets its frames: they must come zeroed. */
	guest_destroy(&self->a);
	guest_destroy(&self->b);
	EXPECT_EQ(self->baseline, hvt_held_pages());
	ASSERT_EQ(0, guest_create(&self->a, self->dev, "iso-c", size, 1));
	ASSERT_EQ(0, guest_load_long(&self->a, GUEST_IMAGE(isolate)));
	ASSERT_EQ(0, run_isolate(&self->a, OP_COUNT, 0, size, secret));
	ASSERT_TRUE(self->a.exited);
	EXPECT_EQ(0, guest_result(&self->a, 0, 0));
	EXPECT_EQ(0, host_count(&self->a, secret));
}

/* Reads past memory, and far past it, are MMIO with the worker's answers. */
TEST_F_TIMEOUT(iso, beyond_memory_is_mmio, 300)
{
	const __u64 size = 4 * MIB, pattern = 0x0123fedc4567ba98ULL;
	const __u64 ranges[][2] = {
		{ size, size + 64 * 4096 },
		{ 0x80000000ULL, 0x80000000ULL + 16 * 4096 },
		{ 0xfff00000ULL, 0xfff00000ULL + 16 * 4096 },
	};
	struct guest *g = &self->a;
	const struct hvcore_message *m;
	unsigned int r, i;

	for (r = 0; r < 3; r++) {
		__u64 pages = (ranges[r][1] - ranges[r][0]) / 4096;

		ASSERT_EQ(0, guest_create(g, self->dev, "beyond", size, 1));
		ASSERT_EQ(0, guest_load_long(g, GUEST_IMAGE(isolate)));
		g->mmio_read_value = pattern;
		ASSERT_EQ(0, run_isolate(g, OP_BEYOND, ranges[r][0], ranges[r][1], pattern));
		ASSERT_TRUE(g->exited);
		ASSERT_EQ(0, g->exit_code);
		EXPECT_EQ(0, guest_result(g, 0, 0))
			TH_LOG("range %u: reads not from the worker", r);
		EXPECT_EQ(pages, guest_result(g, 0, 1));
		EXPECT_EQ(pages, g->count[HVCORE_MSG_MMIO]);
		for (i = 0; (m = guest_msg(g, HVCORE_MSG_MMIO, i)); i++)
			EXPECT_EQ(ranges[r][0] + i * 4096ULL, m->mmio.gpa);
		guest_destroy(g);
	}
}

#define NPART	3
#define NFDS	8

struct fuzz_state {
	struct guest g[NPART];
	int fds[NFDS];
	int fd_part[NFDS];
	__u64 last_seq;
	long starts, sets, injects, reads, msgs, completes, controls, ok;
};

static void nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* A partition of two VPs with the spin guest loaded, not mapped. */
static int fuzz_partition(struct guest *g, int dev, unsigned int i)
{
	char name[16];
	int ret;

	snprintf(name, sizeof(name), "fz%u", i);
	ret = guest_create(g, dev, name, 4 * MIB, 2);
	if (!ret)
		ret = guest_load_long(g, GUEST_IMAGE(spin));
	if (g->mem)
		munmap(g->mem, g->mem_bytes);
	g->mem = NULL;
	return ret;
}

TEST_F_TIMEOUT(iso, fuzz_vp, 1800)
{
	static const unsigned long cmds[] = {
		HVCORE_GET_REGS, HVCORE_SET_REGS, HVCORE_VP_INFO, HVCORE_CONTROL,
		HVCORE_SET_CPUID, HVCORE_GET_CPUID, HVCORE_SET_MSR_INTERCEPT,
		HVCORE_INJECT, HVCORE_ATTACH_WORKER, HVCORE_COMPLETE,
		HVCORE_PARTITION_INFO, HVCORE_LOAD, HVCORE_CONFIGURE,
		_IOWR(HVCORE_IOCTL_TYPE, 0x4d, char[64]),
	};
	static const __u32 msrs[] = { 0xc0011234, 0x10, 0xc0000080, 0x1b, 0x40000000 };
	enum { A_READ = ARRAY_SIZE(cmds), A_POLL, A_START, A_REOPEN, NR_ACTIONS };
	long iters = strtol(env_or("FUZZ_ITERS", "100000"), NULL, 0);
	struct hvcore_cpuid_entry cpuid[300];
	struct hvcore_message msgs[4];
	struct fuzz_state *st;
	unsigned char *page, *guard;
	long i;
	int k;

	st = calloc(1, sizeof(*st));
	ASSERT_NE(NULL, st);
	srandom(getpid());
	for (k = 0; k < NPART; k++)
		ASSERT_EQ(0, fuzz_partition(&st->g[k], self->dev, k));
	for (k = 0; k < NFDS; k++) {
		st->fds[k] = k < NPART ? st->g[k].fd : -1;
		st->fd_part[k] = k % NPART;
		if (st->fds[k] >= 0)
			nonblock(st->fds[k]);
	}
	page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	guard = page + 4096;
	munmap(guard, 4096);

	for (i = 0; i < iters; i++) {
		int action = random() % NR_ACTIONS, slot = random() % NFDS;
		int fd = st->fds[slot], clean = random() % 2, ret, j;
		struct guest *g = &st->g[st->fd_part[slot]];
		unsigned long cmd;
		void *arg;

		if (fd < 0)
			action = A_REOPEN;
		if (action == A_READ) {
			void *buf = clean ? (void *)msgs : (void *)(guard - random() % 512);
			ssize_t n = read(fd, buf, clean ? sizeof(msgs) : random() % 600);

			st->reads += n >= 0;
			for (j = 0; clean && j < n / (ssize_t)sizeof(msgs[0]); j++) {
				st->msgs++;
				if (msgs[j].flags & HVCORE_MSG_F_COMPLETE)
					st->last_seq = msgs[j].seq;
			}
			continue;
		}
		if (action == A_POLL) {
			struct pollfd p = { .fd = fd, .events = POLLIN };

			poll(&p, 1, 0);
			continue;
		}
		if (action == A_START) {
			/* A trivial guest: spin forever, or a few iterations then exit. */
			g->args[0] = random() % 2 ? 0 : random() % 5000;
			guest_control(g, HVCORE_CONTROL_STOP, 0);
			if (!guest_set_entry_regs(g) && !guest_control(g, HVCORE_CONTROL_START, 0))
				st->starts++;
			continue;
		}
		if (action == A_REOPEN) {
			struct hvcore_select s = { .size = sizeof(s), .id = g->id };

			if (slot < NPART)	/* the library's fds stay */
				continue;
			if (fd >= 0)
				close(fd);
			st->fds[slot] = ioctl(self->dev, HVCORE_OPEN_PARTITION, &s);
			if (st->fds[slot] >= 0)
				nonblock(st->fds[slot]);
			continue;
		}

		cmd = cmds[action];
		for (j = 0; j < 1024; j++)
			page[4096 - 1024 + j] = clean || random() % 64 ? 0 : random();
		arg = page + 4096 - 1024;
		*(__u32 *)arg = clean || random() % 3 ? _IOC_SIZE(cmd) : random() % 800;
		switch (cmd) {
		case HVCORE_GET_REGS:
			((struct hvcore_regs *)arg)->vp = random() % 3;
			break;
		case HVCORE_SET_REGS: {
			struct hvcore_regs *r = arg;
			__u32 vp = random() % 3;

			if (clean && vp < 2 && !guest_entry_regs(g, vp, r)) {
				/* One field changed: a u64 between gpr[0] and xcr0. */
				__u64 *f = &r->gpr[0] + random() % ((&r->xcr0 - &r->gpr[0]) + 1);

				if (random() % 3)
					*f = (__u64)random() << (random() % 40);
				else
					*f = ~0ULL;
			}
			r->vp = vp;
			break;
		}
		case HVCORE_VP_INFO:
			((struct hvcore_vp_info *)arg)->vp = random() % 3;
			break;
		case HVCORE_CONTROL:
			((struct hvcore_control *)arg)->op = random() % 6;
			((struct hvcore_control *)arg)->code = random() % 2 ? 0 : random();
			break;
		case HVCORE_SET_CPUID:
		case HVCORE_GET_CPUID:
			for (j = 0; j < 8; j++) {
				cpuid[j].function = random() % 2 ? 0x80000000U + random() % 9 :
					random() % 0x20;
				cpuid[j].index = random() % 3;
				cpuid[j].flags = random() % 4 + (random() % 16 ? 0 : random());
				cpuid[j].reserved0 = random() % 32 ? 0 : 1;
				cpuid[j].eax = random();
			}
			((struct hvcore_cpuid *)arg)->count = clean ? random() % 8 : random() % 300;
			((struct hvcore_cpuid *)arg)->entries = random() % 4 ?
				(__u64)(unsigned long)cpuid : random() % 2 ? 0 : random();
			break;
		case HVCORE_SET_MSR_INTERCEPT:
			((struct hvcore_msr_intercept *)arg)->msr = random() % 8 ?
				msrs[random() % ARRAY_SIZE(msrs)] : random();
			((struct hvcore_msr_intercept *)arg)->enable = random() % 3;
			break;
		case HVCORE_INJECT:
			((struct hvcore_inject *)arg)->vp = random() % 3;
			((struct hvcore_inject *)arg)->type = random() % 5;
			((struct hvcore_inject *)arg)->vector = random() % 2 ? 32 + random() % 224 :
				random() % 300;
			((struct hvcore_inject *)arg)->flags = random() % 4 ? 0 : random() % 4;
			j = ((struct hvcore_inject *)arg)->flags & HVCORE_INJECT_ERROR_CODE;
			if (!clean || j)
				((struct hvcore_inject *)arg)->error_code = random();
			break;
		case HVCORE_COMPLETE:
			((struct hvcore_complete *)arg)->seq = random() % 4 ?
				st->last_seq + random() % 3 - 1 : random();
			((struct hvcore_complete *)arg)->flags = random() % 4 ? 0 : random() % 3;
			((struct hvcore_complete *)arg)->data = random();
			break;
		case HVCORE_LOAD:
			((struct hvcore_load *)arg)->gpa = random() % (5 * MIB);
			((struct hvcore_load *)arg)->bytes = random() % 8192;
			((struct hvcore_load *)arg)->data = random() % 2 ?
				(__u64)(unsigned long)page : random();
			break;
		case HVCORE_CONFIGURE:
			if (random() % 16)
				continue;	/* rarely: it takes the guests' memory */
			((struct hvcore_config *)arg)->memory_bytes = (random() % 1024) * 4096;
			((struct hvcore_config *)arg)->numa_node = HVCORE_NODE_ANY;
			((struct hvcore_config *)arg)->vp_count = random() % 4;
			break;
		}
		switch (clean ? 9 : random() % 10) {
		case 0:
			arg = NULL;
			break;
		case 1:
			arg = guard - random() % 64;
			break;
		case 2:
			arg = (void *)0xffff888000000000UL;
			break;
		}
		ret = ioctl(fd, cmd, arg);
		st->ok += ret >= 0;
		if (ret == 0) {
			st->sets += cmd == HVCORE_SET_REGS;
			st->injects += cmd == HVCORE_INJECT;
			st->completes += cmd == HVCORE_COMPLETE;
			st->controls += cmd == HVCORE_CONTROL;
		}
	}

	ksft_print_msg("fuzz_vp: %ld calls, %ld ioctls succeeded: %ld SET_REGS, %ld CONTROL, ",
		       iters, st->ok, st->sets, st->controls);
	printf("%ld INJECT, %ld COMPLETE; %ld starts, %ld reads, %ld messages\n",
	       st->injects, st->completes, st->starts, st->reads, st->msgs);
	/* A fuzzer that never gets past validation tests nothing behind it. */
	EXPECT_LT(0, st->sets);
	EXPECT_LT(0, st->starts);
	EXPECT_LT(0, st->injects);
	EXPECT_LT(0, st->controls);
	EXPECT_LT(0, st->msgs);

	for (k = NPART; k < NFDS; k++)
		if (st->fds[k] >= 0)
			close(st->fds[k]);
	for (k = 0; k < NPART; k++)
		guest_destroy(&st->g[k]);
	for (k = 0; k < 200 && hvt_held_pages() != self->baseline; k++)
		guest_sleep_ms(10);
	EXPECT_EQ(self->baseline, hvt_held_pages());
	munmap(page, 4096);
	free(st);
}

TEST_HARNESS_MAIN
