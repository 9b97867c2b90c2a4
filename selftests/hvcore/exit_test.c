// SPDX-License-Identifier: GPL-2.0
/*
 * Intercepts, as guests see them and as the worker sees them: CPUID and its
 * policy, RIP after each exit, MSRs, hypercalls, port I/O, MMIO, injected
 * interrupts and exceptions, HLT, guest page tables with 2 MiB and 4 KiB
 * pages, and misbehaving guests (triple fault, no worker, SVM
 * instructions, a worker that goes away).
 *
 * Each guest (guests/ *.S) records what it saw in its memory; the worker of
 * the guest library records every message. Facts: CPUID bits from the AMD
 * APM vol. 3 (E.3.1, E.4.2) and Intel SDM vol. 2; MSRs from the APM vol. 2
 * and SDM vol. 4; hypercall conventions and status codes from the Hyper-V
 * TLFS (3.6-3.8).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/hvcore.h>

#include "kselftest_harness.h"
#include "hvtest.h"
#include "guest.h"

#define MIB (1024ULL * 1024)
#define RUN_MS 30000

FIXTURE(exits) {
	int dev;
	int kmsg;
	struct guest g;
};

FIXTURE_SETUP(exits)
{
	ASSERT_EQ(0, hv_reload());
	self->dev = hvt_dev_open();
	ASSERT_LE(0, self->dev);
	self->kmsg = kmsg_mark();
	if (!guest_can_run(self->dev))
		SKIP(return, "this host runs no guests yet (START: EOPNOTSUPP)");
}

FIXTURE_TEARDOWN(exits)
{
	guest_destroy(&self->g);
	close(self->dev);
	EXPECT_FALSE(kmsg_warned(self->kmsg));
	if (mod_loaded("hvcore"))
		mod_unload("hvcore");
}

/* Create, load a long-mode image, run to the end; the exit code. */
static int run_long(struct guest *g, int dev, const char *name, __u64 mem,
		    unsigned int vps, const struct guest_image *img)
{
	int ret = guest_create(g, dev, name, mem, vps);

	if (!ret)
		ret = guest_load_long(g, img);
	if (!ret)
		ret = guest_run(g, RUN_MS);
	return ret;
}

static __u32 word(const char *s)
{
	__u32 w;

	memcpy(&w, s, 4);
	return w;
}

TEST_F(exits, cpuid)
{
	static const struct hvcore_cpuid_entry policy[] = {
		{ .function = 0x80000002, .eax = 0x61616161, .ebx = 0x62626262,
		  .ecx = 0x63636363, .edx = 0x64646464 },
		{ .function = 0xd, .index = 1, .flags = HVCORE_CPUID_SUBLEAF,
		  .eax = 0x11, .ebx = 0x22, .ecx = 0x33, .edx = 0x44 },
		{ .function = 0x80000003, .flags = HVCORE_CPUID_FORWARD },
	};
	struct hvcore_cpuid_entry back[8], bad = { .function = 1, .flags = 1U << 7 };
	struct hvcore_cpuid get = { .size = sizeof(get), .count = 8,
				    .entries = (__u64)(unsigned long)back };
	const struct hvcore_message *m;
	struct guest *g = &self->g;

	ASSERT_EQ(0, guest_create(g, self->dev, "cpuid", 4 * MIB, 1));
	ASSERT_EQ(0, guest_load_long(g, GUEST_IMAGE(cpuid)));
	EXPECT_EQ(-EINVAL, guest_set_cpuid(g, &bad, 1));
	ASSERT_EQ(0, guest_set_cpuid(g, policy, 3));
	ASSERT_EQ(0, ioctl(g->fd, HVCORE_GET_CPUID, &get));
	ASSERT_EQ(3, get.count);
	EXPECT_EQ(0, memcmp(back, policy, sizeof(policy)));

	ASSERT_EQ(0, guest_run(g, RUN_MS));
	ASSERT_TRUE(g->exited);
	ASSERT_EQ(0, g->exit_code);

	EXPECT_TRUE(guest_result(g, 0, 0) & (1U << 31)) TH_LOG("leaf 1 ECX: hypervisor bit");
	EXPECT_LE(0x40000000, guest_result(g, 0, 2));
	EXPECT_EQ(word(HVCORE_CPUID_VENDOR), guest_result(g, 0, 3));
	EXPECT_EQ(word(HVCORE_CPUID_VENDOR + 4), guest_result(g, 0, 4));
	EXPECT_EQ(word(HVCORE_CPUID_VENDOR + 8), guest_result(g, 0, 5));
	EXPECT_FALSE(guest_result(g, 0, 6) & (1U << 2)) TH_LOG("0x80000001 ECX: SVM bit");
	EXPECT_EQ(0x61616161, guest_result(g, 0, 7));
	EXPECT_EQ(0x62626262, guest_result(g, 0, 8));
	EXPECT_EQ(0x63636363, guest_result(g, 0, 9));
	EXPECT_EQ(0x64646464, guest_result(g, 0, 10));
	EXPECT_EQ(0x11, guest_result(g, 0, 11));
	EXPECT_EQ(0x22, guest_result(g, 0, 12));
	EXPECT_EQ(0x33, guest_result(g, 0, 13));
	EXPECT_EQ(0x44, guest_result(g, 0, 14));
	EXPECT_NE(0x11, guest_result(g, 0, 15)) TH_LOG("subleaf 0 is not the subleaf-1 entry");
	/* The forwarded leaf: the worker's default answer. */
	EXPECT_EQ(0x80000003, guest_result(g, 0, 16));
	EXPECT_EQ(0x55, guest_result(g, 0, 17));
	EXPECT_EQ(0x68766370, guest_result(g, 0, 18));
	EXPECT_EQ((__u32)~0x80000003U, guest_result(g, 0, 19));
	EXPECT_EQ(1, g->count[HVCORE_MSG_CPUID]);
	m = guest_msg(g, HVCORE_MSG_CPUID, 0);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(0x80000003, m->cpuid.function);
	EXPECT_EQ(0x55, m->cpuid.index);
	EXPECT_TRUE(m->flags & HVCORE_MSG_F_COMPLETE);
	EXPECT_EQ(0, g->complete_errors);

	/* The policy only changes while the partition is off. */
	ASSERT_EQ(0, guest_set_entry_regs(g));
	ASSERT_EQ(0, guest_control(g, HVCORE_CONTROL_START, 0));
	EXPECT_EQ(-EBUSY, guest_set_cpuid(g, policy, 1));
	EXPECT_EQ(-EBUSY, guest_msr_intercept(g, 0xc0011234, 1));
	guest_control(g, HVCORE_CONTROL_STOP, 0);
	EXPECT_EQ(0, guest_set_cpuid(g, NULL, 0));
	get.count = 8;
	ASSERT_EQ(0, ioctl(g->fd, HVCORE_GET_CPUID, &get));
	EXPECT_EQ(0, get.count);
}

/*
 * RIP after each exit (CPUID 2 bytes, VMMCALL 3, IN/OUT 1-2, RDMSR/WRMSR 2):
 * the guest counts the instructions it reached; the worker's messages
 * carry the RIP of each port access; the counters are read while the
 * guest has the partition paused.
 */
TEST_F_TIMEOUT(exits, rip_advance_and_counters, 90)
{
	static const struct { __u8 write, len; } io[6] = {
		{ 1, 1 }, { 1, 1 }, { 0, 1 }, { 0, 1 }, { 1, 2 }, { 0, 4 },
	};
	struct guest *g = &self->g;
	struct hvcore_vp_info vi;
	unsigned int i;

	ASSERT_EQ(0, guest_create(g, self->dev, "advance", 4 * MIB, 1));
	ASSERT_EQ(0, guest_load_long(g, GUEST_IMAGE(advance)));
	ASSERT_EQ(0, guest_start(g));
	ASSERT_EQ(0, guest_serve_async(g, RUN_MS));
	ASSERT_EQ(0, guest_wait_state(g, HVCORE_STATE_PAUSED, RUN_MS));
	ASSERT_EQ(0, guest_vp_info(g, 0, &vi));
	EXPECT_EQ(HVCORE_VP_PAUSED, vi.state);
	EXPECT_LE(1, vi.exits[HVCORE_EXIT_CPUID]);
	EXPECT_LE(1, vi.exits[HVCORE_EXIT_HYPERCALL]);
	EXPECT_EQ(1, vi.hypercalls);
	EXPECT_LE(7, vi.exits[HVCORE_EXIT_IO]);
	EXPECT_LE(2, vi.exits[HVCORE_EXIT_MSR]);
	EXPECT_LE(1, vi.dispatches);
	EXPECT_LT(0, vi.guest_ns);
	ASSERT_EQ(0, guest_control(g, HVCORE_CONTROL_RESUME, 0));
	guest_go(g, 0, 1);
	ASSERT_EQ(0, guest_serve_wait(g));

	ASSERT_TRUE(g->exited);
	EXPECT_EQ(10, g->exit_code) TH_LOG("instructions reached after an exit");
	EXPECT_EQ(0, guest_result(g, 0, 0));	/* HVCALL_NULL */
	for (i = 0; i < 6; i++) {
		const struct hvcore_message *m = guest_msg(g, HVCORE_MSG_IO, i);

		ASSERT_NE(NULL, m);
		EXPECT_EQ(0x80, m->io.port) TH_LOG("access %u", i);
		EXPECT_EQ(guest_result(g, 0, 1 + i), m->rip) TH_LOG("access %u", i);
		EXPECT_EQ(io[i].len, m->io.len) TH_LOG("access %u", i);
		EXPECT_EQ(io[i].write, !!(m->flags & HVCORE_MSG_F_WRITE)) TH_LOG("access %u", i);
		EXPECT_EQ(0, m->vp);
	}
	EXPECT_EQ(0, g->complete_errors);
}

struct msr_worker {
	unsigned int reads[GUEST_MAX_VPS];
};

static int msr_handler(struct guest *g, const struct hvcore_message *m,
		       struct hvcore_complete *c)
{
	struct msr_worker *w = g->priv;

	if (m->type != HVCORE_MSG_MSR || (m->flags & HVCORE_MSG_F_WRITE) ||
	    m->vp >= GUEST_MAX_VPS)
		return 0;
	if (w->reads[m->vp]++ == 0)
		c->data = 0x1122334455667788ULL + m->vp;
	else
		c->flags = HVCORE_COMPLETE_GP;
	return 1;
}

TEST_F(exits, msr)
{
	struct msr_worker w = { 0 };
	struct guest *g = &self->g;
	const struct hvcore_message *m;
	unsigned int vp, writes = 0, i;

	ASSERT_EQ(0, guest_create(g, self->dev, "msr", 4 * MIB, 2));
	ASSERT_EQ(0, guest_load_long(g, GUEST_IMAGE(msr)));
	EXPECT_EQ(-EINVAL, guest_msr_intercept(g, 0xc0011234, 2));
	ASSERT_EQ(0, guest_msr_intercept(g, 0xc0011234, 1));
	g->handler = msr_handler;
	g->priv = &w;
	ASSERT_EQ(0, guest_run(g, RUN_MS));
	ASSERT_TRUE(g->exited);
	ASSERT_EQ(0, g->exit_code);

	for (vp = 0; vp < 2; vp++) {
		EXPECT_EQ(0x501, guest_result(g, vp, 0)) TH_LOG("vp %u EFER", vp);
		EXPECT_EQ(0x0007040600070406ULL, guest_result(g, vp, 1)) TH_LOG("vp %u PAT", vp);
		EXPECT_EQ(0x0007010600070406ULL, guest_result(g, vp, 2)) TH_LOG("vp %u PAT", vp);
		EXPECT_EQ(0xfee00800ULL | (vp ? 0 : 0x100), guest_result(g, vp, 3))
			TH_LOG("vp %u APIC_BASE", vp);
		EXPECT_EQ(vp, guest_result(g, vp, 4)) TH_LOG("vp %u HV_VP_INDEX", vp);
		EXPECT_EQ(0x8100000000001234ULL, guest_result(g, vp, 5)) TH_LOG("vp %u OS_ID", vp);
		EXPECT_EQ(13, guest_result(g, vp, 6)) TH_LOG("vp %u RDMSR VM_HSAVE_PA", vp);
		EXPECT_EQ(13, guest_result(g, vp, 7)) TH_LOG("vp %u WRMSR VM_HSAVE_PA", vp);
		EXPECT_EQ(13, guest_result(g, vp, 8)) TH_LOG("vp %u EFER.SVME", vp);
		EXPECT_EQ(0x501, guest_result(g, vp, 9)) TH_LOG("vp %u EFER", vp);
		EXPECT_EQ(0x1122334455667788ULL + vp, guest_result(g, vp, 10)) TH_LOG("vp %u", vp);
		EXPECT_EQ(13, guest_result(g, vp, 11)) TH_LOG("vp %u worker's #GP", vp);
		EXPECT_EQ(13, guest_result(g, vp, 12)) TH_LOG("vp %u WRMSR HV_VP_INDEX", vp);
		EXPECT_EQ(13, guest_result(g, vp, 13)) TH_LOG("vp %u APIC_BASE moved", vp);
		EXPECT_EQ(6, guest_vpd(g, vp)->exc_count) TH_LOG("vp %u", vp);
		EXPECT_EQ(0, guest_vpd(g, vp)->exc_error) TH_LOG("vp %u #GP(0)", vp);
		EXPECT_EQ(2, w.reads[vp]);
	}
	for (i = 0; (m = guest_msg(g, HVCORE_MSG_MSR, i)); i++) {
		EXPECT_EQ(0xc0011234, m->msr.index);
		if (m->flags & HVCORE_MSG_F_WRITE) {
			EXPECT_EQ(0x100000002ULL, m->msr.data);
			writes++;
		}
	}
	EXPECT_EQ(6, i);
	EXPECT_EQ(2, writes);
	EXPECT_EQ(0, g->complete_errors);
}

TEST_F(exits, hypercalls)
{
	struct guest *g = &self->g;
	const struct hvcore_message *m;
	unsigned int vp, seen = 0;

	ASSERT_EQ(0, run_long(g, self->dev, "hvcall", 4 * MIB, 2, GUEST_IMAGE(hypercall)));
	ASSERT_TRUE(g->exited);
	ASSERT_EQ(0, g->exit_code);
	for (vp = 0; vp < 2; vp++) {
		EXPECT_EQ(HVCORE_HV_STATUS_SUCCESS, guest_result(g, vp, 0)) TH_LOG("vp %u", vp);
		EXPECT_EQ(HVCORE_HV_STATUS_SUCCESS, guest_result(g, vp, 1)) TH_LOG("vp %u", vp);
		EXPECT_EQ(vp, guest_result(g, vp, 2)) TH_LOG("vp %u fast GET_VP_INDEX", vp);
		EXPECT_EQ(HVCORE_HV_STATUS_SUCCESS, guest_result(g, vp, 3)) TH_LOG("vp %u", vp);
		EXPECT_EQ(0xffffffff00000000ULL | vp, guest_result(g, vp, 20))
			TH_LOG("vp %u slow GET_VP_INDEX: one u32 written", vp);
		EXPECT_EQ(HVCORE_HV_STATUS_INVALID_ALIGNMENT, guest_result(g, vp, 4))
			TH_LOG("vp %u misaligned output GPA", vp);
		EXPECT_EQ(~0ULL, guest_result(g, vp, 21)) TH_LOG("vp %u", vp);
		EXPECT_EQ(HVCORE_HV_STATUS_SUCCESS, guest_result(g, vp, 5)) TH_LOG("vp %u", vp);
		EXPECT_EQ(HVCORE_HV_STATUS_INVALID_HYPERCALL_CODE, guest_result(g, vp, 6))
			TH_LOG("vp %u unknown code", vp);
		EXPECT_EQ(HVCORE_HV_STATUS_INVALID_HYPERCALL_INPUT, guest_result(g, vp, 7))
			TH_LOG("vp %u rep count on a simple call", vp);
		EXPECT_EQ(HVCORE_HV_STATUS_INVALID_HYPERCALL_INPUT, guest_result(g, vp, 8))
			TH_LOG("vp %u fast GUEST_LOG", vp);
		EXPECT_EQ(HVCORE_HV_STATUS_INVALID_PARAMETER, guest_result(g, vp, 9))
			TH_LOG("vp %u GUEST_LOG longer than 224 bytes", vp);
	}
	EXPECT_EQ(2, g->count[HVCORE_MSG_GUEST_LOG]);
	for (vp = 0; (m = guest_msg(g, HVCORE_MSG_GUEST_LOG, vp)); vp++) {
		EXPECT_EQ(16, m->log.len);
		EXPECT_EQ(0, memcmp(m->log.text, "hvcore guest log", 16));
		EXPECT_FALSE(m->flags & HVCORE_MSG_F_COMPLETE);
		seen |= 1U << m->vp;
	}
	EXPECT_EQ(3, seen);
}

static int pio_handler(struct guest *g, const struct hvcore_message *m,
		       struct hvcore_complete *c)
{
	if (m->type != HVCORE_MSG_IO || m->io.port != 0x3000 || (m->flags & HVCORE_MSG_F_WRITE))
		return 0;
	c->data = 0xcafef00d12345678ULL;	/* hvcore truncates to the access */
	return 1;
}

TEST_F(exits, port_io)
{
	static const struct { __u16 port; __u8 len; __u64 data; } outs[] = {
		{ 0x3000, 1, 0xa5 }, { 0x3000, 2, 0xbeef }, { 0x3000, 4, 0xdeadbeef },
		{ 0x81, 1, 0x5a },
	};
	static const struct { __u16 port; __u8 len; } ins[] = {
		{ 0x3000, 1 }, { 0x3000, 2 }, { 0x3000, 4 }, { 0x82, 1 },
	};
	struct guest *g = &self->g;
	unsigned int i, o = 0, n = 0;
	const struct hvcore_message *m;

	ASSERT_EQ(0, guest_create(g, self->dev, "pio", 4 * MIB, 1));
	ASSERT_EQ(0, guest_load_long(g, GUEST_IMAGE(pio)));
	g->handler = pio_handler;
	g->io_in_value = 0xabcdef99;
	ASSERT_EQ(0, guest_run(g, RUN_MS));
	ASSERT_TRUE(g->exited);
	ASSERT_EQ(0, g->exit_code);
	EXPECT_EQ(0x1111111111111178ULL, guest_result(g, 0, 0)) TH_LOG("IN AL");
	EXPECT_EQ(0x1111111111115678ULL, guest_result(g, 0, 1)) TH_LOG("IN AX");
	EXPECT_EQ(0x12345678ULL, guest_result(g, 0, 2)) TH_LOG("IN EAX zero-extends");
	EXPECT_EQ(0x1111111111111199ULL, guest_result(g, 0, 3)) TH_LOG("IN AL, imm8");
	EXPECT_STREQ("ok\n", g->serial);

	for (i = 0; (m = guest_msg(g, HVCORE_MSG_IO, i)); i++) {
		if (m->io.port == GUEST_PORT_SERIAL || m->io.port == GUEST_PORT_EXIT)
			continue;
		EXPECT_TRUE(m->flags & HVCORE_MSG_F_COMPLETE);
		if (m->flags & HVCORE_MSG_F_WRITE) {
			ASSERT_GT(ARRAY_SIZE(outs), o);
			EXPECT_EQ(outs[o].port, m->io.port) TH_LOG("OUT %u", o);
			EXPECT_EQ(outs[o].len, m->io.len) TH_LOG("OUT %u", o);
			EXPECT_EQ(outs[o].data, m->io.data) TH_LOG("OUT %u", o);
			o++;
		} else {
			ASSERT_GT(ARRAY_SIZE(ins), n);
			EXPECT_EQ(ins[n].port, m->io.port) TH_LOG("IN %u", n);
			EXPECT_EQ(ins[n].len, m->io.len) TH_LOG("IN %u", n);
			n++;
		}
	}
	EXPECT_EQ(ARRAY_SIZE(outs), o);
	EXPECT_EQ(ARRAY_SIZE(ins), n);
	EXPECT_EQ(0, g->complete_errors);
}

#define MMIO_BASE	0xd0000000ULL
#define MMIO_VALUE	0xa1b2c3d4e5f60718ULL
#define FILL		0x5555555555555555ULL

static int mmio_handler(struct guest *g, const struct hvcore_message *m,
			struct hvcore_complete *c)
{
	if (m->type != HVCORE_MSG_MMIO || (m->flags & HVCORE_MSG_F_WRITE))
		return 0;
	c->data = MMIO_VALUE + (m->mmio.gpa - MMIO_BASE);
	return 1;
}

TEST_F(exits, mmio)
{
	static const struct { __u64 off; __u8 len; __u64 data; } stores[] = {
		{ 0, 1, 0x11 }, { 2, 2, 0x2233 }, { 4, 4, 0x44556677 },
		{ 8, 8, 0x8899aabbccddeeffULL }, { 16, 8, 0x0123456789abcdefULL },
	};
	static const struct { __u64 off; __u8 len; } loads[] = {
		{ 0x20, 1 }, { 0x22, 2 }, { 0x24, 4 }, { 0x28, 8 }, { 0x30, 1 }, { 0x32, 2 },
		{ 0x40, 1 }, { 0x70, 1 },
	};
	struct guest *g = &self->g;
	const struct hvcore_message *m;
	unsigned int i, s = 0, l = 0;

	ASSERT_EQ(0, guest_create(g, self->dev, "mmio", 4 * MIB, 1));
	ASSERT_EQ(0, guest_load_long(g, GUEST_IMAGE(mmio)));
	g->handler = mmio_handler;
	g->args[0] = MMIO_BASE;
	ASSERT_EQ(0, guest_run(g, RUN_MS));
	ASSERT_TRUE(g->exited);
	ASSERT_EQ(0, g->exit_code);

	EXPECT_EQ((FILL & ~0xffULL) | ((MMIO_VALUE + 0x20) & 0xff), guest_result(g, 0, 0))
		TH_LOG("MOV to CL");
	EXPECT_EQ((FILL & ~0xffffULL) | ((MMIO_VALUE + 0x22) & 0xffff), guest_result(g, 0, 1))
		TH_LOG("MOV to R13W");
	EXPECT_EQ((MMIO_VALUE + 0x24) & 0xffffffff, guest_result(g, 0, 2)) TH_LOG("MOV to R10D");
	EXPECT_EQ(MMIO_VALUE + 0x28, guest_result(g, 0, 3)) TH_LOG("MOV to R11");
	EXPECT_EQ((MMIO_VALUE + 0x30) & 0xff, guest_result(g, 0, 4)) TH_LOG("MOVZX to ESI");
	EXPECT_EQ((MMIO_VALUE + 0x32) & 0xffff, guest_result(g, 0, 5)) TH_LOG("MOVZX to R12");
	EXPECT_EQ((FILL & ~0xff00ULL) | (((MMIO_VALUE + 0x40) & 0xff) << 8), guest_result(g, 0, 6))
		TH_LOG("MOV to AH");
	EXPECT_EQ((__u64)(__s8)(MMIO_VALUE + 0x70), guest_result(g, 0, 8)) TH_LOG("MOVSX to R14");

	for (i = 0; (m = guest_msg(g, HVCORE_MSG_MMIO, i)); i++) {
		EXPECT_TRUE(m->flags & HVCORE_MSG_F_DECODED) TH_LOG("access %u", i);
		/* The instruction bytes hvcore fetched are the guest's. */
		EXPECT_LT(0, m->mmio.insn_len);
		EXPECT_GE(15, m->mmio.insn_len);
		if (m->rip >= GUEST_CODE && m->rip + 15 < g->mem_bytes && m->mmio.insn_len <= 15)
			EXPECT_EQ(0, memcmp(m->mmio.insn, g->mem + m->rip, m->mmio.insn_len))
				TH_LOG("access %u", i);
		if (m->flags & HVCORE_MSG_F_WRITE) {
			ASSERT_GT(ARRAY_SIZE(stores), s);
			EXPECT_EQ(MMIO_BASE + stores[s].off, m->mmio.gpa) TH_LOG("store %u", s);
			EXPECT_EQ(stores[s].len, m->mmio.len) TH_LOG("store %u", s);
			EXPECT_EQ(stores[s].data, m->mmio.data) TH_LOG("store %u", s);
			if (s == 0) {
				EXPECT_EQ(guest_result(g, 0, 7), m->rip);
				/* MOVB $0x11, 0(%rbp) */
				EXPECT_EQ(0, memcmp(m->mmio.insn, "\xc6\x45\x00\x11", 4));
			}
			s++;
		} else {
			ASSERT_GT(ARRAY_SIZE(loads), l);
			EXPECT_EQ(MMIO_BASE + loads[l].off, m->mmio.gpa) TH_LOG("load %u", l);
			EXPECT_EQ(loads[l].len, m->mmio.len) TH_LOG("load %u", l);
			l++;
		}
	}
	EXPECT_EQ(ARRAY_SIZE(stores), s);
	EXPECT_EQ(ARRAY_SIZE(loads), l);
	EXPECT_EQ(0, g->complete_errors);
}

TEST_F_TIMEOUT(exits, inject_and_hlt, 120)
{
	struct guest *g = &self->g;
	struct guest_vp_data *d;
	struct hvcore_vp_info vi;
	__u64 spin;

	ASSERT_EQ(0, guest_create(g, self->dev, "irq", 4 * MIB, 1));
	ASSERT_EQ(0, guest_load_long(g, GUEST_IMAGE(irq)));
	d = guest_vpd(g, 0);
	EXPECT_EQ(-EBUSY, guest_inject(g, 0, HVCORE_INJECT_INTERRUPT, 0x30, 0, 0))
		TH_LOG("injection into an off partition");
	ASSERT_EQ(0, guest_start(g));
	ASSERT_EQ(0, guest_serve_async(g, 60000));

	EXPECT_EQ(-EINVAL, guest_inject(g, 0, HVCORE_INJECT_INTERRUPT, 0x10, 0, 0));
	EXPECT_EQ(-EINVAL, guest_inject(g, 0, HVCORE_INJECT_EXCEPTION, 32, 0, 0));
	EXPECT_EQ(-EINVAL, guest_inject(g, 0, 9, 0x30, 0, 0));
	EXPECT_EQ(-EINVAL, guest_inject(g, 1, HVCORE_INJECT_INTERRUPT, 0x30, 0, 0));
	EXPECT_EQ(-EINVAL, guest_inject(g, 0, HVCORE_INJECT_INTERRUPT, 0x30, 1U << 5, 0));

	/* IF=0: injected interrupts wait, then come highest vector first. */
	ASSERT_EQ(0, guest_wait_phase(g, 0, 1, 20000));
	ASSERT_EQ(0, guest_inject(g, 0, HVCORE_INJECT_INTERRUPT, 0x30, 0, 0));
	ASSERT_EQ(0, guest_inject(g, 0, HVCORE_INJECT_INTERRUPT, 0x60, 0, 0));
	guest_sleep_ms(100);
	EXPECT_EQ(0, d->irq_count);
	guest_go(g, 0, 1);
	ASSERT_EQ(0, guest_wait_phase(g, 0, 2, 20000));
	EXPECT_EQ(0, guest_result(g, 0, 0));
	EXPECT_EQ(2, guest_result(g, 0, 1));
	EXPECT_EQ(0x60, d->irq_log[0]);
	EXPECT_EQ(0x30, d->irq_log[1]);

	/* HLT: the VP blocks until an interrupt is pending. */
	ASSERT_EQ(0, guest_wait_vp_state(g, 0, HVCORE_VP_HALTED, 20000));
	guest_sleep_ms(50);
	ASSERT_EQ(0, guest_vp_info(g, 0, &vi));
	EXPECT_EQ(HVCORE_VP_HALTED, vi.state);
	EXPECT_LE(1, vi.exits[HVCORE_EXIT_HLT]);
	EXPECT_EQ(2, d->irq_count);
	ASSERT_EQ(0, guest_inject(g, 0, HVCORE_INJECT_INTERRUPT, 0x41, 0, 0));
	ASSERT_EQ(0, guest_wait_phase(g, 0, 3, 20000));
	EXPECT_EQ(0x41, d->irq_log[2]);

	/* An exception with an error code, taken where the guest spins. */
	ASSERT_EQ(0, guest_inject(g, 0, HVCORE_INJECT_EXCEPTION, 13,
				  HVCORE_INJECT_ERROR_CODE, 0x18));
	ASSERT_EQ(0, guest_wait_phase(g, 0, 4, 20000));
	EXPECT_EQ(13, d->exc_vector);
	EXPECT_EQ(0x18, d->exc_error);
	spin = guest_result(g, 0, 2);
	EXPECT_TRUE(d->exc_rip == spin || d->exc_rip == spin + 2)
		TH_LOG("exception RIP %#llx, loop at %#llx", (unsigned long long)d->exc_rip,
		       (unsigned long long)spin);
	ASSERT_EQ(0, guest_vp_info(g, 0, &vi));
	EXPECT_LE(4, vi.injected);

	ASSERT_EQ(0, guest_inject(g, 0, HVCORE_INJECT_NMI, 2, 0, 0));
	ASSERT_EQ(0, guest_wait_phase(g, 0, 5, 20000));
	EXPECT_EQ(2, d->exc_vector);
	EXPECT_EQ(0, d->exc_error);
	ASSERT_EQ(0, guest_serve_wait(g));
	EXPECT_TRUE(g->exited);
	EXPECT_EQ(0, g->exit_code);
	EXPECT_EQ(2, d->exc_count);
	EXPECT_EQ(3, d->irq_count);
}

/*
 * 2 MiB and 4 KiB guest pages: the 4 KiB range is mapped in reverse, so
 * page i of it lands in page n-1-i of memory only if the guest's page
 * tables are walked; memory is not a multiple of 2 MiB, and the guest
 * touches its last 4 KiB page and the first GPA past it.
 */
TEST_F(exits, paging_2m_4k)
{
	const __u64 mem = 6 * MIB + 12 * 1024, start = 2 * MIB, n = 512;
	struct hvcore_partition_info pi;
	struct guest *g = &self->g;
	const struct hvcore_message *m;
	__u64 i, bad = 0;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		bool four_k = pass == 1;

		ASSERT_EQ(0, guest_create(g, self->dev, four_k ? "pg4k" : "pg2m", mem, 1));
		if (four_k) {
			g->map4k_start = start;
			g->map4k_end = start + n * 4096;
			g->map4k_reverse = true;
		}
		ASSERT_EQ(0, guest_load_long(g, GUEST_IMAGE(paging)));
		g->args[0] = start;
		g->args[1] = n;
		g->args[2] = mem - 4096;
		g->args[3] = mem;
		g->mmio_read_value = 0x600dbeef;
		ASSERT_EQ(0, guest_run(g, RUN_MS));
		ASSERT_TRUE(g->exited);
		ASSERT_EQ(0, g->exit_code);
		for (i = 0, bad = 0; i < n; i++) {
			__u64 pa = four_k ? start + (n - 1 - i) * 4096 : start + i * 4096;

			bad += *(__u64 *)(g->mem + pa) != 0x5000 + i;
		}
		EXPECT_EQ(0, bad) TH_LOG("%s pages in the wrong place", four_k ? "4K" : "2M");
		EXPECT_EQ(0x7a577a577a577a57ULL, guest_result(g, 0, 0));
		EXPECT_EQ(0x7a577a577a577a57ULL, *(__u64 *)(g->mem + mem - 8));
		EXPECT_EQ(0x600dbeef, guest_result(g, 0, 1));
		m = guest_msg(g, HVCORE_MSG_MMIO, 0);
		ASSERT_NE(NULL, m);
		EXPECT_EQ(mem, m->mmio.gpa);
		EXPECT_EQ(8, m->mmio.len);
		EXPECT_EQ(1, g->count[HVCORE_MSG_MMIO]);
		ASSERT_EQ(0, guest_info(g, &pi));
		EXPECT_EQ(mem / 4096, pi.memory_pages);
		guest_destroy(g);
	}
}

static long part_file(struct guest *g, const char *file)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/kernel/hvcore/partitions/%u/%s", g->id, file);
	return read_long(path);
}

/*
 * The nested page tables' own record of use (npt_*_pages in sysfs). With
 * EPT A/D the CPU marks each mapping accessed and, when written through,
 * dirty: a page the guest only read is accessed but clean. Without the
 * flags (SVM, whose entries hvcore presets, or VMX without EPT A/D) every
 * mapping reads as both.
 */
TEST_F(exits, npt_accessed_dirty)
{
	const __u64 mem = 8 * MIB, rd = 4 * MIB + 64, wr = 6 * MIB + 128;
	bool ad = read_long("/sys/kernel/hvcore/features/ept_ad") == 1;
	struct guest *g = &self->g;
	long mapped, accessed, dirty;

	ASSERT_EQ(0, guest_create(g, self->dev, "touch", mem, 1));
	ASSERT_EQ(0, guest_load_long(g, GUEST_IMAGE(touch)));
	*(__u64 *)(g->mem + rd) = 0x1234abcd;
	EXPECT_EQ(0, part_file(g, "npt_mapped_pages"));
	g->args[0] = rd;
	g->args[1] = wr;
	ASSERT_EQ(0, guest_run(g, RUN_MS));
	ASSERT_TRUE(g->exited);
	ASSERT_EQ(0, g->exit_code);
	EXPECT_EQ(0x1234abcd, guest_result(g, 0, 0));
	EXPECT_EQ(1, *(__u64 *)(g->mem + wr));

	mapped = part_file(g, "npt_mapped_pages");
	accessed = part_file(g, "npt_accessed_pages");
	dirty = part_file(g, "npt_dirty_pages");
	ksft_print_msg("EPT A/D %s: %ld pages mapped, %ld accessed, %ld dirty\n",
		       ad ? "on" : "off", mapped, accessed, dirty);
	ASSERT_LT(0, mapped);
	if (!ad) {
		EXPECT_EQ(mapped, accessed);
		EXPECT_EQ(mapped, dirty);
		return;
	}
	/* Every mapping was made for an access, so every one is accessed... */
	EXPECT_EQ(mapped, accessed);
	/* ...and only the read page's (2 MiB or 4 KiB) is clean. */
	EXPECT_TRUE(accessed - dirty == 512 || accessed - dirty == 1)
		TH_LOG("%ld accessed, %ld dirty", accessed, dirty);
	EXPECT_LT(0, dirty);
}

#define ANY_INFO (~0ULL)

static void expect_crash(struct __test_metadata *_metadata, struct guest *g,
			 __u32 reason, __u64 info)
{
	struct hvcore_partition_info pi;

	ASSERT_EQ(0, guest_info(g, &pi));
	EXPECT_EQ(HVCORE_STATE_CRASHED, pi.state);
	EXPECT_EQ(reason, pi.crash_reason);
	if (info != ANY_INFO)
		EXPECT_EQ(info, pi.crash_info);
	EXPECT_EQ(0, pi.crash_vp);
	ksft_print_msg("crash reason %u info %#llx rip %#llx\n", pi.crash_reason,
		       (unsigned long long)pi.crash_info, (unsigned long long)pi.crash_rip);
	/* Crashed: START refused; STOP takes it back to off, the reason kept. */
	EXPECT_EQ(-EBUSY, guest_control(g, HVCORE_CONTROL_START, 0));
	EXPECT_EQ(0, guest_control(g, HVCORE_CONTROL_STOP, 0));
	ASSERT_EQ(0, guest_info(g, &pi));
	EXPECT_EQ(HVCORE_STATE_OFF, pi.state);
	EXPECT_EQ(reason, pi.crash_reason);
	/* The next START clears it. */
	ASSERT_EQ(0, guest_load_long(g, GUEST_IMAGE(spin)));
	g->args[0] = 0;
	ASSERT_EQ(0, guest_set_entry_regs(g));
	ASSERT_EQ(0, guest_control(g, HVCORE_CONTROL_START, 0));
	ASSERT_EQ(0, guest_info(g, &pi));
	EXPECT_EQ(HVCORE_STATE_RUNNING, pi.state);
	EXPECT_EQ(HVCORE_CRASH_NONE, pi.crash_reason);
	EXPECT_EQ(0, pi.crash_info);
	EXPECT_EQ(0, pi.crash_rip);
	EXPECT_EQ(0, guest_control(g, HVCORE_CONTROL_STOP, 0));
}

TEST_F(exits, crash_triple_fault)
{
	struct guest *g = &self->g;
	const struct hvcore_message *m;
	unsigned int i;
	bool seen = false;

	ASSERT_EQ(0, guest_create(g, self->dev, "triple", 4 * MIB, 1));
	ASSERT_EQ(0, guest_load_long(g, GUEST_IMAGE(crash)));
	g->args[0] = 1;
	/* read() returns 0 once the partition has crashed. */
	ASSERT_EQ(0, guest_run(g, RUN_MS));
	EXPECT_FALSE(g->exited);
	for (i = 0; (m = guest_msg(g, HVCORE_MSG_STATE, i)); i++)
		if (m->state.state == HVCORE_STATE_CRASHED) {
			EXPECT_EQ(HVCORE_CRASH_TRIPLE_FAULT, m->state.crash_reason);
			EXPECT_FALSE(m->flags & HVCORE_MSG_F_COMPLETE);
			seen = true;
		}
	EXPECT_TRUE(seen) TH_LOG("a STATE message for the crash");
	expect_crash(_metadata, g, HVCORE_CRASH_TRIPLE_FAULT, 0);
}

TEST_F(exits, crash_no_worker)
{
	struct guest *g = &self->g;

	ASSERT_EQ(0, guest_create(g, self->dev, "noworker", 4 * MIB, 1));
	ASSERT_EQ(0, guest_load_long(g, GUEST_IMAGE(crash)));
	g->args[0] = 2;
	ASSERT_EQ(0, guest_set_entry_regs(g));
	ASSERT_EQ(0, guest_control(g, HVCORE_CONTROL_START, 0));
	ASSERT_EQ(0, guest_wait_state(g, HVCORE_STATE_CRASHED, RUN_MS));
	expect_crash(_metadata, g, HVCORE_CRASH_NO_WORKER, HVCORE_MSG_IO);
}

TEST_F(exits, crash_worker_gone)
{
	struct hvcore_select s = { .size = sizeof(s) };
	struct hvcore_attach a = { .size = sizeof(a) };
	struct guest *g = &self->g;
	int wfd;

	ASSERT_EQ(0, guest_create(g, self->dev, "gone", 4 * MIB, 1));
	ASSERT_EQ(0, guest_load_long(g, GUEST_IMAGE(crash)));
	g->args[0] = 2;
	s.id = g->id;
	wfd = ioctl(self->dev, HVCORE_OPEN_PARTITION, &s);
	ASSERT_LE(0, wfd);
	ASSERT_EQ(0, ioctl(wfd, HVCORE_ATTACH_WORKER, &a));
	EXPECT_EQ(-EBUSY, guest_attach(g)) TH_LOG("one worker per partition");
	ASSERT_EQ(0, guest_set_entry_regs(g));
	ASSERT_EQ(0, guest_control(g, HVCORE_CONTROL_START, 0));
	ASSERT_EQ(0, guest_wait_vp_state(g, 0, HVCORE_VP_WAITING, RUN_MS));
	close(wfd);
	ASSERT_EQ(0, guest_wait_state(g, HVCORE_STATE_CRASHED, RUN_MS));
	expect_crash(_metadata, g, HVCORE_CRASH_WORKER_GONE, ANY_INFO);
}

/* What hvcore does not emulate crashes the partition, never the host. */
TEST_F(exits, crash_unhandled)
{
	struct hvcore_partition_info pi;
	struct guest *g = &self->g;
	const struct hvcore_message *m;
	int mode;

	for (mode = 4; mode <= 5; mode++) {
		ASSERT_EQ(0, guest_create(g, self->dev, "unhandled", 4 * MIB, 1));
		ASSERT_EQ(0, guest_load_long(g, GUEST_IMAGE(crash)));
		g->args[0] = mode;
		g->args[1] = MMIO_BASE;
		ASSERT_EQ(0, guest_run(g, RUN_MS));
		EXPECT_FALSE(g->exited);
		ASSERT_EQ(0, guest_info(g, &pi));
		EXPECT_EQ(HVCORE_STATE_CRASHED, pi.state) TH_LOG("mode %d", mode);
		EXPECT_EQ(HVCORE_CRASH_UNHANDLED, pi.crash_reason) TH_LOG("mode %d", mode);
		EXPECT_LE(GUEST_CODE, pi.crash_rip);
		EXPECT_GT(GUEST_CODE + 0x2000, pi.crash_rip);
		if (mode == 5) {
			/* An informational message with the instruction bytes. */
			m = guest_msg(g, HVCORE_MSG_MMIO, 0);
			ASSERT_NE(NULL, m);
			EXPECT_EQ(MMIO_BASE, m->mmio.gpa);
			EXPECT_FALSE(m->flags & (HVCORE_MSG_F_COMPLETE | HVCORE_MSG_F_DECODED));
			/* ADD %EAX, (%R8) */
			EXPECT_EQ(0, memcmp(m->mmio.insn, "\x41\x01\x00", 3));
		} else {
			EXPECT_EQ(0, g->count[HVCORE_MSG_IO])
				TH_LOG("string I/O reached the worker");
		}
		guest_destroy(g);
	}
}

/* SVM instructions in a guest raise #UD there; the partition goes on. */
TEST_F(exits, svm_instructions)
{
	struct guest *g = &self->g;
	unsigned int i;

	ASSERT_EQ(0, guest_create(g, self->dev, "svmins", 4 * MIB, 1));
	ASSERT_EQ(0, guest_load_long(g, GUEST_IMAGE(crash)));
	g->args[0] = 3;
	ASSERT_EQ(0, guest_run(g, RUN_MS));
	ASSERT_TRUE(g->exited);
	EXPECT_EQ(0, g->exit_code);
	for (i = 0; i < 7; i++)
		EXPECT_EQ(6, guest_result(g, 0, i)) TH_LOG("instruction %u", i);
	EXPECT_EQ(7, guest_vpd(g, 0)->exc_count);
}

TEST_HARNESS_MAIN
