// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual processors: registers (HVCORE_GET/SET_REGS), VP_INFO, run
 * control (HVCORE_CONTROL), real mode, two partitions on two LPs, hot-add
 * (HVCORE_ADD_VP), deleting a running partition, unloading hvcore with
 * partitions running.
 *
 * Guests come from the guest library (guest.h, guests/); independent
 * measures are the guests' own records in their memory and the page count
 * of /sys/kernel/hvcore/memory_pages.
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

FIXTURE(vp) {
	int dev;
	long baseline;
	struct guest g, h;
};

FIXTURE_SETUP(vp)
{
	ASSERT_EQ(0, hv_reload());
	self->dev = hvt_dev_open();
	ASSERT_LE(0, self->dev);
	self->baseline = hvt_held_pages();
	ASSERT_EQ(0, self->baseline);
	if (!guest_can_run(self->dev))
		SKIP(return, "this host runs no guests yet (START: EOPNOTSUPP)");
}

FIXTURE_TEARDOWN(vp)
{
	guest_destroy(&self->g);
	guest_destroy(&self->h);
	if (self->dev >= 0)
		close(self->dev);
	if (mod_loaded("hvcore"))
		mod_unload("hvcore");
}

static bool vendor_is(const char *name)
{
	char v[16];

	return !read_str("/sys/kernel/hvcore/vendor", v, sizeof(v)) && !strcmp(v, name);
}

static int regs_ioctl(int fd, unsigned long cmd, void *r)
{
	return ioctl(fd, cmd, r) ? -errno : 0;
}

/* Architectural reset state (APM vol. 2, 14.1.3; SDM vol. 3, 10.1.1). */
TEST_F(vp, reset_state)
{
	struct hvcore_vp_info vi;
	struct hvcore_regs r;
	unsigned int vp;

	ASSERT_EQ(0, guest_create(&self->g, self->dev, "reset", 2 * MIB, 2));
	for (vp = 0; vp < 2; vp++) {
		ASSERT_EQ(0, guest_get_regs(&self->g, vp, &r));
		EXPECT_EQ(vp, r.vp);
		EXPECT_EQ(0xfff0, r.rip);
		EXPECT_EQ(2, r.rflags);
		EXPECT_EQ(0xf000, r.seg[HVCORE_CS].selector);
		EXPECT_EQ(0xffff0000, r.seg[HVCORE_CS].base);
		EXPECT_EQ(0xffff, r.seg[HVCORE_CS].limit);
		EXPECT_EQ(0x60000010, r.cr0);
		EXPECT_EQ(0, r.cr3);
		EXPECT_EQ(0, r.cr4);
		EXPECT_EQ(0, r.efer);
		EXPECT_EQ(0xffff, r.idt.limit);
		EXPECT_EQ(0x0007040600070406ULL, r.pat);
		EXPECT_EQ(0x400, r.dr7);

		ASSERT_EQ(0, guest_vp_info(&self->g, vp, &vi));
		EXPECT_EQ(HVCORE_VP_OFF, vi.state);
		EXPECT_EQ(-1, vi.lp);
		EXPECT_EQ(0, vi.dispatches);
		EXPECT_EQ(0, vi.guest_ns);
		EXPECT_EQ(0, vi.total_ns);
	}
	EXPECT_EQ(-EINVAL, guest_vp_info(&self->g, 2, &vi));
}

static void expect_seg_eq(struct __test_metadata *_metadata, const struct hvcore_segment *a,
			  const struct hvcore_segment *b, int i)
{
	EXPECT_EQ(a->base, b->base) TH_LOG("segment %d", i);
	EXPECT_EQ(a->limit, b->limit) TH_LOG("segment %d", i);
	EXPECT_EQ(a->selector, b->selector) TH_LOG("segment %d", i);
	EXPECT_EQ(a->unusable, b->unusable) TH_LOG("segment %d", i);
	if (a->unusable)
		return;		/* an unusable segment has no attributes */
	EXPECT_EQ(a->type, b->type) TH_LOG("segment %d", i);
	EXPECT_EQ(a->s, b->s) TH_LOG("segment %d", i);
	EXPECT_EQ(a->dpl, b->dpl) TH_LOG("segment %d", i);
	EXPECT_EQ(a->present, b->present) TH_LOG("segment %d", i);
	EXPECT_EQ(a->avl, b->avl) TH_LOG("segment %d", i);
	EXPECT_EQ(a->l, b->l) TH_LOG("segment %d", i);
	EXPECT_EQ(a->db, b->db) TH_LOG("segment %d", i);
	EXPECT_EQ(a->g, b->g) TH_LOG("segment %d", i);
}

/* A full long-mode state with a distinct value in every field comes back. */
TEST_F(vp, regs_round_trip)
{
	struct hvcore_regs r, back;
	unsigned int i;

	ASSERT_EQ(0, guest_create(&self->g, self->dev, "regs", 4 * MIB, 2));
	ASSERT_EQ(0, guest_load_long(&self->g, GUEST_IMAGE(spin)));
	ASSERT_EQ(0, guest_entry_regs(&self->g, 1, &r));
	for (i = 0; i < HVCORE_NR_GPRS; i++)
		r.gpr[i] = 0x0101010101010101ULL * (i + 1) ^ 0x8000000000000000ULL;
	r.rip = 0x100123;
	r.rflags = 0x246;
	r.seg[HVCORE_FS].base = 0x7fff12340000ULL;
	r.seg[HVCORE_FS].avl = 1;
	r.seg[HVCORE_ES].selector = 0;
	r.cr2 = 0xdeadbeef000ULL;
	r.cr4 |= 1ULL << 7;		/* PGE */
	r.cr8 = 5;
	r.dr6 = 0xffff0ff1;
	r.dr7 = 0x700;
	r.pat = 0x0007010600070406ULL;
	r.star = 0x0023001000000000ULL;
	r.lstar = 0xffffffff81000000ULL;
	r.cstar = 0xffffffff81000040ULL;
	r.sfmask = 0x47700;
	r.kernel_gs_base = 0xffff888012345000ULL;
	r.sysenter_cs = 0x10;
	r.sysenter_esp = 0xffffc90000001000ULL;
	r.sysenter_eip = 0xffffffff81000080ULL;
	ASSERT_EQ(0, guest_set_regs(&self->g, &r));

	ASSERT_EQ(0, guest_get_regs(&self->g, 1, &back));
	EXPECT_EQ(sizeof(back), back.size);
	EXPECT_EQ(1, back.vp);
	for (i = 0; i < HVCORE_NR_GPRS; i++)
		EXPECT_EQ(r.gpr[i], back.gpr[i]) TH_LOG("gpr %u", i);
	EXPECT_EQ(r.rip, back.rip);
	EXPECT_EQ(r.rflags, back.rflags);
	for (i = 0; i < HVCORE_NR_SEGS; i++)
		expect_seg_eq(_metadata, &r.seg[i], &back.seg[i], i);
	EXPECT_EQ(r.gdt.base, back.gdt.base);
	EXPECT_EQ(r.gdt.limit, back.gdt.limit);
	EXPECT_EQ(r.idt.base, back.idt.base);
	EXPECT_EQ(r.idt.limit, back.idt.limit);
	EXPECT_EQ(r.cr0, back.cr0);
	EXPECT_EQ(r.cr2, back.cr2);
	EXPECT_EQ(r.cr3, back.cr3);
	EXPECT_EQ(r.cr4, back.cr4);
	EXPECT_EQ(r.cr8, back.cr8);
	EXPECT_EQ(r.efer, back.efer);
	EXPECT_EQ(r.dr6, back.dr6);
	/* Documented: guests have no debug registers, DR7 reads 0x400. */
	EXPECT_EQ(0x400, back.dr7);
	EXPECT_EQ(r.pat, back.pat);
	EXPECT_EQ(r.star, back.star);
	EXPECT_EQ(r.lstar, back.lstar);
	EXPECT_EQ(r.cstar, back.cstar);
	EXPECT_EQ(r.sfmask, back.sfmask);
	EXPECT_EQ(r.kernel_gs_base, back.kernel_gs_base);
	EXPECT_EQ(r.sysenter_cs, back.sysenter_cs);
	EXPECT_EQ(r.sysenter_esp, back.sysenter_esp);
	EXPECT_EQ(r.sysenter_eip, back.sysenter_eip);
	EXPECT_EQ(r.xcr0, back.xcr0);

	/* VP 0 was not touched. */
	ASSERT_EQ(0, guest_get_regs(&self->g, 0, &back));
	EXPECT_EQ(0xfff0, back.rip);

	/* Documented normalisation: RFLAGS bit 1, CR0.ET, EFER.LMA. */
	r.rflags = 0x200;
	r.cr0 &= ~0x10ULL;
	ASSERT_EQ(0, guest_set_regs(&self->g, &r));
	ASSERT_EQ(0, guest_get_regs(&self->g, 1, &back));
	EXPECT_EQ(0x202, back.rflags);
	EXPECT_EQ(r.cr0 | 0x10, back.cr0);
	r.efer &= ~(1ULL << 10);
	ASSERT_EQ(0, guest_set_regs(&self->g, &r));
	ASSERT_EQ(0, guest_get_regs(&self->g, 1, &back));
	EXPECT_EQ(r.efer | (1ULL << 10), back.efer);
}

TEST_F(vp, regs_bad_input)
{
	struct hvcore_regs r;
	struct {
		struct hvcore_regs r;
		__u64 more[2];
	} big;

	ASSERT_EQ(0, guest_create(&self->g, self->dev, "badregs", 4 * MIB, 2));
	ASSERT_EQ(0, guest_load_long(&self->g, GUEST_IMAGE(spin)));
	ASSERT_EQ(0, guest_entry_regs(&self->g, 0, &r));
	ASSERT_EQ(0, guest_set_regs(&self->g, &r));

#define BAD(field, value, err) do {					\
		struct hvcore_regs b = r;				\
		b.field = value;					\
		EXPECT_EQ(-(err), regs_ioctl(self->g.fd, HVCORE_SET_REGS, &b)) \
			TH_LOG("SET_REGS with " #field " = " #value);	\
	} while (0)
	BAD(vp, 2, EINVAL);
	BAD(vp, 0xffffffff, EINVAL);
	BAD(flags, 1, EINVAL);
	BAD(reserved0, 1, EINVAL);
	BAD(reserved[7], 1, EINVAL);
	BAD(seg[HVCORE_DS].reserved, 1, EINVAL);
	BAD(gdt.reserved[2], 1, EINVAL);
	BAD(idt.reserved[0], 1, EINVAL);
	BAD(size, 16, EINVAL);
	BAD(cr4, r.cr4 | (1ULL << 40), EINVAL);
	BAD(xcr0, r.xcr0 | (1ULL << 62), EINVAL);
	/* hvcore loads these itself: a non-canonical one would fault the host. */
	BAD(lstar, 0x051bbe84f0000000ULL, EINVAL);
	BAD(cstar, 1ULL << 63, EINVAL);
	BAD(kernel_gs_base, 0x0000800000000000ULL, EINVAL);
	BAD(sfmask, 1ULL << 32, EINVAL);
#undef BAD
	r.lstar = 0xffffffff81000000ULL;
	r.kernel_gs_base = 0x00007fffffffe000ULL;
	EXPECT_EQ(0, guest_set_regs(&self->g, &r));

	r.vp = 2;
	EXPECT_EQ(-EINVAL, regs_ioctl(self->g.fd, HVCORE_GET_REGS, &r));
	r.vp = 0;
	r.reserved0 = 1;
	EXPECT_EQ(-EINVAL, regs_ioctl(self->g.fd, HVCORE_GET_REGS, &r));
	r.reserved0 = 0;

	/* A larger structure: zero tail accepted, non-zero tail E2BIG. */
	memset(&big, 0, sizeof(big));
	big.r = r;
	big.r.size = sizeof(big);
	EXPECT_EQ(0, ioctl(self->g.fd, _IOW(HVCORE_IOCTL_TYPE, 0x44, big), &big));
	big.more[1] = 1;
	EXPECT_EQ(-E2BIG, regs_ioctl(self->g.fd, _IOW(HVCORE_IOCTL_TYPE, 0x44, big), &big));

	/* Neither while running. */
	ASSERT_EQ(0, guest_set_entry_regs(&self->g));
	ASSERT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_START, 0));
	EXPECT_EQ(-EBUSY, guest_set_regs(&self->g, &r));
	EXPECT_EQ(-EBUSY, guest_get_regs(&self->g, 0, &r));
	ASSERT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_STOP, 0));
	ASSERT_EQ(0, guest_entry_regs(&self->g, 0, &r));
	EXPECT_EQ(0, guest_set_regs(&self->g, &r));
}

/* The spin guest's iteration count on VP @vp. */
static __u64 spins(struct guest *g, unsigned int vp)
{
	return guest_result(g, vp, 0);
}

TEST_F_TIMEOUT(vp, control_transitions, 120)
{
	struct hvcore_partition_info pi;
	struct hvcore_vp_info vi;
	struct hvcore_regs r;
	struct hvcore_control c;
	long lps = nr_lps(self->dev);
	__u64 a, b, ended;

	ASSERT_LT(0, lps);
	ASSERT_EQ(0, guest_create(&self->g, self->dev, "ctl", 4 * MIB, 1));
	ASSERT_EQ(0, guest_load_long(&self->g, GUEST_IMAGE(spin)));
	ASSERT_EQ(0, guest_set_entry_regs(&self->g));

	/* From off: only START. */
	EXPECT_EQ(-EBUSY, guest_control(&self->g, HVCORE_CONTROL_PAUSE, 0));
	EXPECT_EQ(-EBUSY, guest_control(&self->g, HVCORE_CONTROL_RESUME, 0));
	EXPECT_EQ(-EALREADY, guest_control(&self->g, HVCORE_CONTROL_STOP, 0));
	EXPECT_EQ(-EINVAL, guest_control(&self->g, HVCORE_CONTROL_START, 7));
	EXPECT_EQ(-EINVAL, guest_control(&self->g, 0, 0));
	EXPECT_EQ(-EINVAL, guest_control(&self->g, 5, 0));
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.op = HVCORE_CONTROL_START;
	c.reserved[3] = 1;
	EXPECT_EQ(-1, ioctl(self->g.fd, HVCORE_CONTROL, &c));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, guest_info(&self->g, &pi));
	EXPECT_EQ(HVCORE_STATE_OFF, pi.state);

	ASSERT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_START, 0));
	ASSERT_EQ(0, guest_info(&self->g, &pi));
	EXPECT_EQ(HVCORE_STATE_RUNNING, pi.state);
	EXPECT_EQ(-EBUSY, guest_control(&self->g, HVCORE_CONTROL_START, 0));
	EXPECT_EQ(-EBUSY, guest_control(&self->g, HVCORE_CONTROL_RESUME, 0));
	guest_sleep_ms(300);
	EXPECT_LT(0, spins(&self->g, 0));
	EXPECT_EQ(0, guest_result(&self->g, 0, 1));	/* RDI: VP index 0 */

	ASSERT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_PAUSE, 0));
	ASSERT_EQ(0, guest_info(&self->g, &pi));
	EXPECT_EQ(HVCORE_STATE_PAUSED, pi.state);
	EXPECT_EQ(-EBUSY, guest_control(&self->g, HVCORE_CONTROL_PAUSE, 0));
	EXPECT_EQ(-EBUSY, guest_control(&self->g, HVCORE_CONTROL_START, 0));
	ASSERT_EQ(0, guest_vp_info(&self->g, 0, &vi));
	EXPECT_EQ(HVCORE_VP_PAUSED, vi.state);
	EXPECT_LE(0, vi.lp);
	EXPECT_GT(lps, vi.lp);
	EXPECT_LE(1, vi.dispatches);
	EXPECT_LT(0, vi.guest_ns);
	EXPECT_LE(vi.guest_ns, vi.total_ns);
	/*
	 * Time slices end through the physical-interrupt intercept; on VMX
	 * also through the preemption timer (counted as "other"), the only
	 * way out of a guest spinning with IF clear on the Bochs test host.
	 */
	ended = vi.exits[HVCORE_EXIT_EXTINT];
	if (vendor_is("vmx"))
		ended += vi.exits[HVCORE_EXIT_OTHER];
	EXPECT_LT(0, ended);
	EXPECT_EQ(0, vi.exits[HVCORE_EXIT_IO]);
	/* Paused: the guest does not move. */
	a = spins(&self->g, 0);
	guest_sleep_ms(200);
	b = spins(&self->g, 0);
	EXPECT_EQ(a, b);
	/* Registers may be read and written while paused. */
	ASSERT_EQ(0, guest_get_regs(&self->g, 0, &r));
	EXPECT_LE(GUEST_CODE, r.rip);
	EXPECT_GT(GUEST_CODE + 0x2000, r.rip);
	EXPECT_EQ(0, guest_set_regs(&self->g, &r));

	ASSERT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_RESUME, 0));
	ASSERT_EQ(0, guest_info(&self->g, &pi));
	EXPECT_EQ(HVCORE_STATE_RUNNING, pi.state);
	guest_sleep_ms(300);
	EXPECT_LT(b, spins(&self->g, 0));

	ASSERT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_STOP, 1234));
	ASSERT_EQ(0, guest_info(&self->g, &pi));
	EXPECT_EQ(HVCORE_STATE_OFF, pi.state);
	EXPECT_EQ(1234, pi.exit_code);
	EXPECT_EQ(HVCORE_CRASH_NONE, pi.crash_reason);
	EXPECT_EQ(-EALREADY, guest_control(&self->g, HVCORE_CONTROL_STOP, 0));
	ASSERT_EQ(0, guest_vp_info(&self->g, 0, &vi));
	EXPECT_EQ(HVCORE_VP_OFF, vi.state);
	/* Stopped VPs are back in their reset state; memory is kept. */
	ASSERT_EQ(0, guest_get_regs(&self->g, 0, &r));
	EXPECT_EQ(0xfff0, r.rip);
	EXPECT_EQ(0xf000, r.seg[HVCORE_CS].selector);
	a = spins(&self->g, 0);
	EXPECT_LT(0, a);

	/* And it starts again. */
	ASSERT_EQ(0, guest_set_entry_regs(&self->g));
	guest_vpd(&self->g, 0)->result[0] = 0;
	ASSERT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_START, 0));
	guest_sleep_ms(200);
	ASSERT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_STOP, 0));
	EXPECT_LT(0, spins(&self->g, 0));
	ASSERT_EQ(0, guest_info(&self->g, &pi));
	EXPECT_EQ(0, pi.exit_code);
}

TEST_F(vp, vp_info_bad_input)
{
	struct hvcore_vp_info vi;

	ASSERT_EQ(0, guest_create(&self->g, self->dev, "vpi", 2 * MIB, 3));
	EXPECT_EQ(0, guest_vp_info(&self->g, 2, &vi));
	EXPECT_EQ(-EINVAL, guest_vp_info(&self->g, 3, &vi));
	memset(&vi, 0, sizeof(vi));
	vi.size = sizeof(vi);
	vi.reserved[0] = 1;
	EXPECT_EQ(-1, ioctl(self->g.fd, HVCORE_VP_INFO, &vi));
	EXPECT_EQ(EINVAL, errno);
	memset(&vi, 0, sizeof(vi));
	vi.size = 8;
	EXPECT_EQ(-1, ioctl(self->g.fd, HVCORE_VP_INFO, &vi));
	EXPECT_EQ(EINVAL, errno);
}

/* The spin guest, exiting after a number of iterations on each VP. */
TEST_F_TIMEOUT(vp, spin_exit_all_vps, 120)
{
	struct hvcore_partition_info pi;
	unsigned int vp;

	ASSERT_EQ(0, guest_create(&self->g, self->dev, "spin3", 4 * MIB, 3));
	ASSERT_EQ(0, guest_load_long(&self->g, GUEST_IMAGE(spin)));
	self->g.args[0] = 20000;
	ASSERT_EQ(0, guest_run(&self->g, 60000));
	EXPECT_TRUE(self->g.exited);
	EXPECT_EQ(0, self->g.exit_code);
	EXPECT_EQ(7, self->g.exited_mask);
	for (vp = 0; vp < 3; vp++) {
		EXPECT_EQ(20000, spins(&self->g, vp)) TH_LOG("vp %u", vp);
		EXPECT_EQ(vp, guest_result(&self->g, vp, 1));
	}
	ASSERT_EQ(0, guest_info(&self->g, &pi));
	EXPECT_EQ(HVCORE_STATE_OFF, pi.state);
	EXPECT_EQ(0, self->g.complete_errors);
	EXPECT_EQ(0, self->g.bad_messages);
}

TEST_F(vp, real_mode)
{
	struct hvcore_partition_info pi;

	ASSERT_EQ(0, guest_create(&self->g, self->dev, "real", 1 * MIB, 1));
	ASSERT_EQ(0, guest_load_real(&self->g, GUEST_IMAGE(real)));
	ASSERT_EQ(0, guest_run(&self->g, 20000));
	EXPECT_TRUE(self->g.exited);
	EXPECT_EQ(0x42, self->g.exit_code);
	EXPECT_EQ(0x12345678, *(__u32 *)(self->g.mem + 0x500));
	EXPECT_EQ(GUEST_REAL_CODE >> 4, *(__u16 *)(self->g.mem + 0x504));
	ASSERT_EQ(0, guest_info(&self->g, &pi));
	EXPECT_EQ(0x42, pi.exit_code);
}

/* Two partitions of two VPs each, CPU-bound at once on the two LPs. */
TEST_F_TIMEOUT(vp, two_partitions_two_lps, 120)
{
	struct guest *gs[2] = { &self->g, &self->h };
	unsigned long lps_used = 0;
	struct hvcore_vp_info vi;
	long lps = nr_lps(self->dev);
	unsigned int p, vp;

	if (lps < 2)
		SKIP(return, "needs two LPs");
	ASSERT_EQ(0, guest_create(&self->g, self->dev, "smp-a", 4 * MIB, 2));
	ASSERT_EQ(0, guest_create(&self->h, self->dev, "smp-b", 4 * MIB, 2));
	for (p = 0; p < 2; p++) {
		ASSERT_EQ(0, guest_load_long(gs[p], GUEST_IMAGE(spin)));
		ASSERT_EQ(0, guest_set_entry_regs(gs[p]));
	}
	for (p = 0; p < 2; p++)
		ASSERT_EQ(0, guest_control(gs[p], HVCORE_CONTROL_START, 0));
	guest_sleep_ms(2000);
	for (p = 0; p < 2; p++)
		for (vp = 0; vp < 2; vp++) {
			ASSERT_EQ(0, guest_vp_info(gs[p], vp, &vi));
			EXPECT_LT(0, vi.guest_ns) TH_LOG("partition %u vp %u", p, vp);
			EXPECT_LT(0, spins(gs[p], vp)) TH_LOG("partition %u vp %u", p, vp);
			EXPECT_TRUE(vi.lp >= 0 && vi.lp < lps);
			ksft_print_msg("partition %u vp %u: lp %d guest %llu ns, %llu dispatches, ",
				       p, vp, vi.lp, (unsigned long long)vi.guest_ns,
				       (unsigned long long)vi.dispatches);
			printf("%llu migrations, %llu spins\n", (unsigned long long)vi.migrations,
			       (unsigned long long)spins(gs[p], vp));
			if (vi.lp >= 0 && vi.lp < 64)
				lps_used |= 1UL << vi.lp;
			/* A VP that migrated ran on two LPs. */
			if (vi.migrations)
				lps_used |= 3;
		}
	EXPECT_EQ(3, lps_used & 3);
	for (p = 0; p < 2; p++)
		EXPECT_EQ(0, guest_control(gs[p], HVCORE_CONTROL_STOP, 0));
}

/*
 * Three VPs on two LPs: the run queue moves them between LPs (on VMX each
 * move is a VMCLEAR on the old LP and a VMPTRLD on the new one). Their
 * state must survive every move: each keeps counting, and paused, each
 * still has the segment bases, CR3 and descriptor tables it started with.
 */
TEST_F_TIMEOUT(vp, migration_under_load, 120)
{
	struct hvcore_regs start, now;
	struct hvcore_partition_info pi;
	struct hvcore_vp_info vi;
	__u64 migrations = 0, before[3];
	unsigned int vp;

	if (nr_lps(self->dev) < 2)
		SKIP(return, "needs two LPs");
	ASSERT_EQ(0, guest_create(&self->g, self->dev, "migrate", 4 * MIB, 3));
	ASSERT_EQ(0, guest_load_long(&self->g, GUEST_IMAGE(spin)));
	ASSERT_EQ(0, guest_set_entry_regs(&self->g));
	ASSERT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_START, 0));
	guest_sleep_ms(2000);

	ASSERT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_PAUSE, 0));
	ASSERT_EQ(0, guest_wait_state(&self->g, HVCORE_STATE_PAUSED, 10000));
	for (vp = 0; vp < 3; vp++) {
		ASSERT_EQ(0, guest_vp_info(&self->g, vp, &vi));
		migrations += vi.migrations;
		before[vp] = spins(&self->g, vp);
		EXPECT_LT(0, before[vp]) TH_LOG("vp %u never ran", vp);
		EXPECT_EQ(vp, guest_result(&self->g, vp, 1));
		ASSERT_EQ(0, guest_entry_regs(&self->g, vp, &start));
		ASSERT_EQ(0, guest_get_regs(&self->g, vp, &now));
		EXPECT_EQ(start.seg[HVCORE_GS].base, now.seg[HVCORE_GS].base) TH_LOG("vp %u", vp);
		EXPECT_EQ(start.seg[HVCORE_CS].selector, now.seg[HVCORE_CS].selector);
		EXPECT_EQ(start.seg[HVCORE_TR].base, now.seg[HVCORE_TR].base) TH_LOG("vp %u", vp);
		EXPECT_EQ(start.cr3, now.cr3) TH_LOG("vp %u", vp);
		EXPECT_EQ(start.cr0, now.cr0) TH_LOG("vp %u", vp);
		EXPECT_EQ(start.efer, now.efer) TH_LOG("vp %u", vp);
		EXPECT_EQ(start.gdt.base, now.gdt.base) TH_LOG("vp %u", vp);
		EXPECT_EQ(start.idt.base, now.idt.base) TH_LOG("vp %u", vp);
		ksft_print_msg("vp %u: %llu migrations, %llu dispatches, %llu spins\n", vp,
			       (unsigned long long)vi.migrations,
			       (unsigned long long)vi.dispatches, (unsigned long long)before[vp]);
	}
	/* Three equal VPs on two LPs take turns on the lighter LP (rotation). */
	EXPECT_LT(0, migrations);

	ASSERT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_RESUME, 0));
	guest_sleep_ms(1000);
	for (vp = 0; vp < 3; vp++)
		EXPECT_LT(before[vp], spins(&self->g, vp)) TH_LOG("vp %u stopped counting", vp);
	ASSERT_EQ(0, guest_info(&self->g, &pi));
	EXPECT_EQ(HVCORE_STATE_RUNNING, pi.state) TH_LOG("crash reason %u", pi.crash_reason);
	EXPECT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_STOP, 0));
}

/*
 * Hot-add (HVCORE_ADD_VP) with the hotadd guest: its two entries for added
 * VPs are at fixed offsets of the image (guests/hotadd.S).
 */
#define HOTADD_ENTRY_GUEST	(GUEST_CODE + 0x1100)
#define HOTADD_ENTRY_WORKER	(GUEST_CODE + 0x1140)
#define HV_INVALID_ALIGNMENT	4
#define HV_INVALID_PARAMETER	5
#define HV_INVALID_HC_INPUT	3

static int add_vp(struct guest *g, __u32 flags, __u64 rip, __u32 *index)
{
	struct hvcore_add_vp a = { .size = sizeof(a), .flags = flags, .rip = rip };

	if (ioctl(g->fd, HVCORE_ADD_VP, &a))
		return -errno;
	if (index)
		*index = a.vp_index;
	return 0;
}

static long sysfs_vp_count(struct guest *g)
{
	char path[128];

	snprintf(path, sizeof(path), SYSFS "/partitions/%u/vp_count", g->id);
	return read_long(path);
}

/* Until VP @vp of the spinning guest has counted, up to 20 s. */
static bool wait_spins(struct guest *g, unsigned int vp)
{
	int i;

	for (i = 0; i < 2000 && !spins(g, vp); i++)
		guest_sleep_ms(10);
	return spins(g, vp) != 0;
}

static void wait_pages(struct _test_data_vp *self)
{
	int i;

	for (i = 0; i < 200 && hvt_held_pages() != self->baseline; i++)
		guest_sleep_ms(10);
}

/* The hotadd guest on one VP, running, its entry registered. */
static int hotadd_start(struct guest *g, int dev, const char *name, __u64 arg)
{
	int ret = guest_create(g, dev, name, 4 * MIB, 1);

	if (!ret)
		ret = guest_load_long(g, GUEST_IMAGE(hotadd));
	g->args[0] = arg;
	if (!ret)
		ret = guest_set_entry_regs(g);
	if (!ret)
		ret = guest_control(g, HVCORE_CONTROL_START, 0);
	if (!ret)
		ret = guest_wait_phase(g, 0, 1, 20000);
	return ret;
}

/* A running 1-VP partition grows to 2; the guest sees VP 1 run. */
TEST_F_TIMEOUT(vp, hotadd_running, 120)
{
	struct hvcore_partition_info pi;
	struct hvcore_vp_info vi;
	struct hvcore_regs r0, r1;
	__u32 index = 99;
	__u64 a;

	ASSERT_EQ(0, hotadd_start(&self->g, self->dev, "hot", 0));
	/* Both registrations succeeded, at the entry the test knows. */
	EXPECT_EQ(0, guest_result(&self->g, 0, 2));
	EXPECT_EQ(0, guest_result(&self->g, 0, 16));
	EXPECT_EQ(HOTADD_ENTRY_GUEST, guest_result(&self->g, 0, 20));
	ASSERT_EQ(0, guest_info(&self->g, &pi));
	EXPECT_EQ(1, pi.vp_count);
	EXPECT_EQ(1, sysfs_vp_count(&self->g));

	ASSERT_EQ(0, add_vp(&self->g, 0, 0, &index));
	EXPECT_EQ(1, index);
	ASSERT_TRUE(wait_spins(&self->g, 1)) TH_LOG("VP 1 never counted");
	EXPECT_EQ(1, guest_result(&self->g, 1, 1));	/* RDI */
	EXPECT_EQ(1, guest_result(&self->g, 1, 2));	/* the registered entry */
	EXPECT_EQ(0, guest_result(&self->g, 1, 3));	/* other GPRs were 0 */
	a = spins(&self->g, 1);
	guest_sleep_ms(300);
	EXPECT_LT(a, spins(&self->g, 1));
	a = spins(&self->g, 0);
	guest_sleep_ms(300);
	EXPECT_LT(a, spins(&self->g, 0)) TH_LOG("VP 0 stopped after the hot-add");

	ASSERT_EQ(0, guest_info(&self->g, &pi));
	EXPECT_EQ(2, pi.vp_count);
	EXPECT_EQ(HVCORE_STATE_RUNNING, pi.state) TH_LOG("crash reason %u", pi.crash_reason);
	EXPECT_EQ(2, sysfs_vp_count(&self->g));
	ASSERT_EQ(0, guest_vp_info(&self->g, 1, &vi));
	EXPECT_LT(0, vi.dispatches);
	EXPECT_LT(0, vi.guest_ns);
	EXPECT_EQ(-EINVAL, guest_vp_info(&self->g, 2, &vi));

	/* Paused: VP 1 runs in VP 0's mode, on its own GS base. */
	ASSERT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_PAUSE, 0));
	ASSERT_EQ(0, guest_get_regs(&self->g, 0, &r0));
	ASSERT_EQ(0, guest_get_regs(&self->g, 1, &r1));
	EXPECT_EQ(r0.cr0, r1.cr0);
	EXPECT_EQ(r0.cr3, r1.cr3);
	EXPECT_EQ(r0.cr4, r1.cr4);
	EXPECT_EQ(r0.efer, r1.efer);
	EXPECT_EQ(r0.gdt.base, r1.gdt.base);
	EXPECT_EQ(r0.idt.base, r1.idt.base);
	EXPECT_EQ(r0.seg[HVCORE_CS].selector, r1.seg[HVCORE_CS].selector);
	EXPECT_EQ(GUEST_VP_AREA + GUEST_VP_SIZE, r1.seg[HVCORE_GS].base);
	EXPECT_EQ(1, r1.gpr[HVCORE_RDI]);

	/* STOP keeps both VPs and forgets the guest's entry. */
	ASSERT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_STOP, 0));
	ASSERT_EQ(0, guest_info(&self->g, &pi));
	EXPECT_EQ(2, pi.vp_count);
	EXPECT_EQ(HVCORE_STATE_OFF, pi.state);
	a = spins(&self->g, 1);
	guest_sleep_ms(200);
	EXPECT_EQ(a, spins(&self->g, 1));
	EXPECT_EQ(-ENOENT, add_vp(&self->g, 0, 0, NULL));

	guest_destroy(&self->g);
	wait_pages(self);
	EXPECT_EQ(self->baseline, hvt_held_pages());
}

/* The worker's entry, added while paused: VP 1 runs only after RESUME. */
TEST_F_TIMEOUT(vp, hotadd_paused_worker_entry, 120)
{
	struct hvcore_regs r0, r1;
	struct hvcore_vp_info vi;
	struct hvcore_select s = { .size = sizeof(s) };
	__u32 index = 99, nonzero = 0;
	unsigned int i;

	ASSERT_EQ(0, hotadd_start(&self->g, self->dev, "hotp", 0));
	ASSERT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_PAUSE, 0));
	ASSERT_EQ(0, add_vp(&self->g, HVCORE_ADD_VP_ENTRY, HOTADD_ENTRY_WORKER, &index));
	EXPECT_EQ(1, index);
	ASSERT_EQ(0, guest_vp_info(&self->g, 1, &vi));
	EXPECT_EQ(HVCORE_VP_PAUSED, vi.state);

	/* Its registers before it ever ran. */
	ASSERT_EQ(0, guest_get_regs(&self->g, 0, &r0));
	ASSERT_EQ(0, guest_get_regs(&self->g, 1, &r1));
	EXPECT_EQ(HOTADD_ENTRY_WORKER, r1.rip);
	EXPECT_EQ(2, r1.rflags);
	for (i = 0; i < HVCORE_NR_GPRS; i++)
		if (i != HVCORE_RDI && r1.gpr[i])
			nonzero |= 1U << i;
	EXPECT_EQ(0, nonzero) TH_LOG("GPRs not zero: mask 0x%x", nonzero);
	EXPECT_EQ(1, r1.gpr[HVCORE_RDI]);
	EXPECT_EQ(r0.cr0, r1.cr0);
	EXPECT_EQ(r0.cr3, r1.cr3);
	EXPECT_EQ(r0.cr4, r1.cr4);
	EXPECT_EQ(r0.efer, r1.efer);
	EXPECT_EQ(r0.pat, r1.pat);
	EXPECT_EQ(0, r1.cr2);
	EXPECT_EQ(0, r1.cr8);
	EXPECT_EQ(r0.xcr0, r1.xcr0);
	EXPECT_EQ(r0.gdt.base, r1.gdt.base);
	EXPECT_EQ(r0.gdt.limit, r1.gdt.limit);
	EXPECT_EQ(r0.idt.base, r1.idt.base);
	EXPECT_EQ(r0.idt.limit, r1.idt.limit);
	for (i = 0; i < HVCORE_NR_SEGS; i++) {
		EXPECT_EQ(r0.seg[i].selector, r1.seg[i].selector) TH_LOG("segment %u", i);
		EXPECT_EQ(r0.seg[i].base, r1.seg[i].base) TH_LOG("segment %u", i);
		EXPECT_EQ(r0.seg[i].type, r1.seg[i].type) TH_LOG("segment %u", i);
		EXPECT_EQ(r0.seg[i].l, r1.seg[i].l) TH_LOG("segment %u", i);
	}

	guest_sleep_ms(300);
	EXPECT_EQ(0, spins(&self->g, 1));
	ASSERT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_RESUME, 0));
	ASSERT_TRUE(wait_spins(&self->g, 1)) TH_LOG("VP 1 never counted");
	EXPECT_EQ(1, guest_result(&self->g, 1, 1));
	EXPECT_EQ(2, guest_result(&self->g, 1, 2));	/* the worker's entry */
	EXPECT_EQ(0, guest_result(&self->g, 1, 3));

	/* Deleted while running with a hot-added VP: everything goes back. */
	s.id = self->g.id;
	ASSERT_EQ(0, ioctl(self->dev, HVCORE_DELETE_PARTITION, &s));
	self->g.id = 0;
	guest_destroy(&self->g);
	wait_pages(self);
	EXPECT_EQ(self->baseline, hvt_held_pages());
}

/* Added while off: VP 1 starts with the others on START. */
TEST_F_TIMEOUT(vp, hotadd_off, 120)
{
	struct hvcore_partition_info pi;
	struct hvcore_vp_info vi;
	__u32 index = 99;
	char msg[96];
	int km;

	ASSERT_EQ(0, guest_create(&self->g, self->dev, "hoto", 4 * MIB, 1));
	ASSERT_EQ(0, guest_load_long(&self->g, GUEST_IMAGE(hotadd)));
	ASSERT_EQ(0, guest_set_entry_regs(&self->g));
	/* Never started: no guest entry, so the worker's is needed. */
	km = kmsg_mark();
	EXPECT_EQ(-ENOENT, add_vp(&self->g, 0, 0, NULL));
	snprintf(msg, sizeof(msg), "ADD_VP: partition %u: no entry registered", self->g.id);
	EXPECT_TRUE(kmsg_has(km, msg)) TH_LOG("%s", msg);
	ASSERT_EQ(0, add_vp(&self->g, HVCORE_ADD_VP_ENTRY, HOTADD_ENTRY_WORKER, &index));
	EXPECT_EQ(1, index);
	ASSERT_EQ(0, guest_vp_info(&self->g, 1, &vi));
	EXPECT_EQ(HVCORE_VP_OFF, vi.state);
	ASSERT_EQ(0, guest_info(&self->g, &pi));
	EXPECT_EQ(2, pi.vp_count);
	guest_sleep_ms(100);
	EXPECT_EQ(0, spins(&self->g, 1));

	ASSERT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_START, 0));
	ASSERT_TRUE(wait_spins(&self->g, 1)) TH_LOG("VP 1 never counted");
	EXPECT_TRUE(wait_spins(&self->g, 0));
	EXPECT_EQ(1, guest_result(&self->g, 1, 1));
	EXPECT_EQ(2, guest_result(&self->g, 1, 2));
	EXPECT_EQ(0, guest_result(&self->g, 1, 3));
	ASSERT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_STOP, 0));
	guest_destroy(&self->g);
	wait_pages(self);
	EXPECT_EQ(self->baseline, hvt_held_pages());
}

TEST_F_TIMEOUT(vp, hotadd_bad_input, 120)
{
	struct hvcore_add_vp a;
	struct {
		struct hvcore_add_vp a;
		__u64 more[2];
	} big;
	struct hvcore_partition_info pi;
	char msg[96];
	int km;

	/* The guest's malformed calls give TLFS statuses and register nothing. */
	ASSERT_EQ(0, hotadd_start(&self->g, self->dev, "hotbad", 1));
	EXPECT_EQ(HV_INVALID_PARAMETER, guest_result(&self->g, 0, 10));
	EXPECT_EQ(HV_INVALID_PARAMETER, guest_result(&self->g, 0, 11));
	EXPECT_EQ(HV_INVALID_ALIGNMENT, guest_result(&self->g, 0, 12));
	EXPECT_EQ(HV_INVALID_PARAMETER, guest_result(&self->g, 0, 13));
	EXPECT_EQ(HV_INVALID_PARAMETER, guest_result(&self->g, 0, 14));
	EXPECT_EQ(HV_INVALID_HC_INPUT, guest_result(&self->g, 0, 15));
	km = kmsg_mark();
	EXPECT_EQ(-ENOENT, add_vp(&self->g, 0, 0, NULL));
	EXPECT_TRUE(kmsg_has(km, "no entry registered by the guest nor given"));

#define BAD(field, value, err, msg) do {				\
		memset(&a, 0, sizeof(a));				\
		a.size = sizeof(a);					\
		a.flags = HVCORE_ADD_VP_ENTRY;				\
		a.rip = HOTADD_ENTRY_WORKER;				\
		a.field = value;					\
		km = kmsg_mark();					\
		EXPECT_EQ(-1, ioctl(self->g.fd, HVCORE_ADD_VP, &a));	\
		EXPECT_EQ(err, errno) TH_LOG(#field " = " #value);	\
		EXPECT_TRUE(kmsg_has(km, msg)) TH_LOG(#field " = " #value); \
	} while (0)
	BAD(flags, 2, EINVAL, "ADD_VP: unknown flags 0x2");
	BAD(reserved[3], 1, EINVAL, "ADD_VP: reserved fields must be zero");
	BAD(reserved0, 1, EINVAL, "ADD_VP: reserved fields must be zero");
	BAD(vp_index, 1, EINVAL, "ADD_VP: vp_index is an output");
	BAD(size, 16, EINVAL, "ADD_VP: size 16");
	BAD(flags, 0, EINVAL, "ADD_VP: rip is given only with HVCORE_ADD_VP_ENTRY");
#undef BAD
	memset(&big, 0, sizeof(big));
	big.a.size = sizeof(big);
	big.a.flags = HVCORE_ADD_VP_ENTRY;
	big.a.rip = HOTADD_ENTRY_WORKER;
	big.more[1] = 1;
	EXPECT_EQ(-1, ioctl(self->g.fd, _IOWR(HVCORE_IOCTL_TYPE, 0x4f, big), &big));
	EXPECT_EQ(E2BIG, errno);
	ASSERT_EQ(0, guest_info(&self->g, &pi));
	EXPECT_EQ(1, pi.vp_count);
	EXPECT_EQ(HVCORE_STATE_RUNNING, pi.state);
	/* A larger structure with a zero tail is fine. */
	big.more[1] = 0;
	EXPECT_EQ(0, ioctl(self->g.fd, _IOWR(HVCORE_IOCTL_TYPE, 0x4f, big), &big));
	EXPECT_EQ(1, big.a.vp_index);
	guest_destroy(&self->g);

	/* Crashed: refused. */
	ASSERT_EQ(0, guest_create(&self->g, self->dev, "hotcrash", 4 * MIB, 1));
	ASSERT_EQ(0, guest_load_long(&self->g, GUEST_IMAGE(crash)));
	self->g.args[0] = 1;	/* triple fault */
	ASSERT_EQ(0, guest_set_entry_regs(&self->g));
	ASSERT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_START, 0));
	ASSERT_EQ(0, guest_wait_state(&self->g, HVCORE_STATE_CRASHED, 20000));
	km = kmsg_mark();
	EXPECT_EQ(-EBUSY, add_vp(&self->g, HVCORE_ADD_VP_ENTRY, HOTADD_ENTRY_WORKER, NULL));
	snprintf(msg, sizeof(msg), "ADD_VP: partition %u is crashed", self->g.id);
	EXPECT_TRUE(kmsg_has(km, msg)) TH_LOG("%s", msg);
	guest_destroy(&self->g);

	/* At most HVCORE_MAX_VPS. */
	ASSERT_EQ(0, guest_create(&self->g, self->dev, "hotmax", 0, HVCORE_MAX_VPS - 1));
	EXPECT_EQ(0, add_vp(&self->g, HVCORE_ADD_VP_ENTRY, 0, NULL));
	km = kmsg_mark();
	EXPECT_EQ(-EINVAL, add_vp(&self->g, HVCORE_ADD_VP_ENTRY, 0, NULL));
	EXPECT_TRUE(kmsg_has(km, "has 64 VPs already"));
	ASSERT_EQ(0, guest_info(&self->g, &pi));
	EXPECT_EQ(HVCORE_MAX_VPS, pi.vp_count);
	EXPECT_EQ(HVCORE_MAX_VPS, sysfs_vp_count(&self->g));
	guest_destroy(&self->g);
	wait_pages(self);
	EXPECT_EQ(self->baseline, hvt_held_pages());
}

/* A paused partition holds its VPs' reservations: one more must fit. */
TEST_F_TIMEOUT(vp, hotadd_reservation, 120)
{
	struct hvcore_policy pol = { .size = sizeof(pol), .weight = 100, .cap = 100 };
	struct hvcore_partition_info pi;
	long lps = nr_lps(self->dev);
	long root = read_long("/sys/module/hvcore/parameters/root_reserve");
	char msg[96];
	int km;

	ASSERT_LT(0, lps);
	ASSERT_LE(0, root);
	if (lps > GUEST_MAX_VPS)
		SKIP(return, "more LPs than the guest library has VPs");
	/* One VP per LP at the most each may reserve: full; one more is not. */
	pol.reserve = 100 - root;
	ASSERT_EQ(0, guest_create(&self->g, self->dev, "hotres", 4 * MIB, lps));
	ASSERT_EQ(0, guest_load_long(&self->g, GUEST_IMAGE(spin)));
	ASSERT_EQ(0, guest_set_entry_regs(&self->g));
	ASSERT_EQ(0, ioctl(self->g.fd, HVCORE_SET_POLICY, &pol));
	ASSERT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_START, 0));
	ASSERT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_PAUSE, 0));
	km = kmsg_mark();
	EXPECT_EQ(-ENOSPC, add_vp(&self->g, HVCORE_ADD_VP_ENTRY, GUEST_CODE, NULL));
	snprintf(msg, sizeof(msg), "ADD_VP: %ld VPs x %u%% do not fit", lps + 1, pol.reserve);
	EXPECT_TRUE(kmsg_has(km, msg)) TH_LOG("%s", msg);
	ASSERT_EQ(0, guest_info(&self->g, &pi));
	EXPECT_EQ(lps, pi.vp_count);

	/* Without the reservation it fits, and the count grows. */
	pol.reserve = 0;
	ASSERT_EQ(0, ioctl(self->g.fd, HVCORE_SET_POLICY, &pol));
	EXPECT_EQ(0, add_vp(&self->g, HVCORE_ADD_VP_ENTRY, GUEST_CODE, NULL));
	ASSERT_EQ(0, guest_info(&self->g, &pi));
	EXPECT_EQ(lps + 1, pi.vp_count);
	EXPECT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_STOP, 0));
	guest_destroy(&self->g);
	wait_pages(self);
	EXPECT_EQ(self->baseline, hvt_held_pages());
}

TEST_F_TIMEOUT(vp, delete_while_running, 120)
{
	struct hvcore_select s = { .size = sizeof(s) };
	struct hvcore_partition_info pi;
	int i, ret;
	__u64 a;

	ASSERT_EQ(0, guest_create(&self->g, self->dev, "del", 8 * MIB, 2));
	ASSERT_EQ(0, guest_load_long(&self->g, GUEST_IMAGE(spin)));
	ASSERT_EQ(0, guest_set_entry_regs(&self->g));
	ASSERT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_START, 0));
	guest_sleep_ms(300);
	EXPECT_LT(0, spins(&self->g, 0));
	s.id = self->g.id;
	ASSERT_EQ(0, ioctl(self->dev, HVCORE_DELETE_PARTITION, &s));
	self->g.id = 0;
	EXPECT_EQ(-ENODEV, guest_info(&self->g, &pi));
	EXPECT_EQ(-ENODEV, guest_control(&self->g, HVCORE_CONTROL_STOP, 0));
	/* Deleted means stopped: the VPs no longer write to memory. */
	a = spins(&self->g, 0);
	guest_sleep_ms(200);
	EXPECT_EQ(a, spins(&self->g, 0));
	guest_destroy(&self->g);
	for (i = 0; i < 200 && hvt_held_pages() != self->baseline; i++)
		guest_sleep_ms(10);
	EXPECT_EQ(self->baseline, hvt_held_pages());

	/* With a worker blocked in read(): it returns. */
	ASSERT_EQ(0, guest_create(&self->g, self->dev, "del2", 4 * MIB, 1));
	ASSERT_EQ(0, guest_load_long(&self->g, GUEST_IMAGE(spin)));
	ASSERT_EQ(0, guest_start(&self->g));
	ASSERT_EQ(0, guest_serve_async(&self->g, 20000));
	guest_sleep_ms(200);
	s.id = self->g.id;
	ASSERT_EQ(0, ioctl(self->dev, HVCORE_DELETE_PARTITION, &s));
	self->g.id = 0;
	ret = guest_serve_wait(&self->g);
	EXPECT_TRUE(ret == 0 || ret == -ENODEV) TH_LOG("serve: %d", ret);
	guest_destroy(&self->g);
	for (i = 0; i < 200 && hvt_held_pages() != self->baseline; i++)
		guest_sleep_ms(10);
	EXPECT_EQ(self->baseline, hvt_held_pages());
}

TEST_F_TIMEOUT(vp, unload_with_partitions, 120)
{
	struct hvcore_select s = { .size = sizeof(s) };

	ASSERT_EQ(0, guest_create(&self->g, self->dev, "unl", 4 * MIB, 2));
	ASSERT_EQ(0, guest_load_long(&self->g, GUEST_IMAGE(spin)));
	ASSERT_EQ(0, guest_set_entry_regs(&self->g));
	ASSERT_EQ(0, guest_control(&self->g, HVCORE_CONTROL_START, 0));
	guest_sleep_ms(200);

	/* Refused while a partition fd is open, the partition going on. */
	close(self->dev);
	self->dev = -1;
	EXPECT_EQ(-EWOULDBLOCK, mod_unload("hvcore"));
	EXPECT_EQ(0, guest_wait_state(&self->g, HVCORE_STATE_RUNNING, 10));

	/* Nothing open: unloading deletes the running partition. */
	munmap(self->g.mem, self->g.mem_bytes);
	self->g.mem = NULL;
	close(self->g.fd);
	self->g.fd = -1;
	self->g.id = 0;
	ASSERT_EQ(0, mod_unload("hvcore"));
	ASSERT_EQ(0, hv_load());
	self->dev = hvt_dev_open();
	ASSERT_LE(0, self->dev);
	EXPECT_EQ(0, hvt_held_pages());
	snprintf(s.name, sizeof(s.name), "unl");
	EXPECT_EQ(-1, ioctl(self->dev, HVCORE_OPEN_PARTITION, &s));
	EXPECT_EQ(ENOENT, errno);
}

TEST_HARNESS_MAIN
