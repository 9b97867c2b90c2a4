// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual processors: creation with the partition's configuration, reset,
 * registers, counters, and the events (interrupts, exceptions, NMIs)
 * waiting to be delivered.
 *
 * A VP's registers belong to whoever runs it: the dispatcher while it is
 * RUNNING, the ioctls otherwise. GET/SET_REGS therefore require that the
 * partition is not running and no VP is on an LP (pause it first).
 *
 * Events: interrupts are a 256-bit request register (atomic bitops, so an
 * injecting ioctl and the dispatcher need no lock), delivered highest
 * vector first whenever the guest can take one; an exception and an NMI
 * wait in single slots under hv_sched_lock. There is no local APIC here:
 * an interrupt is delivered like an external interrupt with its vector
 * and needs no EOI.
 */
#define pr_fmt(fmt) "hvcore: " fmt

#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "hvcore.h"
#include "trace.h"

/**
 * hv_vp_free() - free a VP that no partition lists (or whose partition is
 *		  being torn down) and that never runs again
 * @vp: the VP, or one half built by hv_vp_new()
 */
void hv_vp_free(struct hv_vp *vp)
{
	if (vp->arch)
		hv_arch->vp_destroy(vp);
	kfree(vp->xsave);
	kfree(vp);
}

/**
 * hv_vp_reset() - the architectural reset state (SDM 9.1, APM 14.1.3)
 * @vp: a VP that is not running
 */
void hv_vp_reset(struct hv_vp *vp)
{
	memset(vp->gpr, 0, sizeof(vp->gpr));
	vp->rip = 0xfff0;
	vp->rflags = X86_EFLAGS_FIXED;
	vp->xcr0 = XFEATURE_MASK_FP;
	bitmap_zero(vp->irr, 256);
	vp->exc_pending = false;
	vp->nmi_pending = false;
	vp->asid_gen = 0;
	hv_fpu_reset(vp->xsave);
	hv_arch->vp_reset(vp);
}

/**
 * hv_vp_new() - a VP of @p in reset state, not yet in @p->vps
 * @p:		its partition
 * @index:	the number it will have
 *
 * CONFIGURE and hot-add both make their VPs here, so that the vendor state
 * (VMCB or VMCS) of a hot-added VP is set up exactly like the others'.
 *
 * Return: the VP, or NULL when memory ran out (nothing left allocated).
 */
struct hv_vp *hv_vp_new(struct hv_partition *p, u32 index)
{
	struct hv_vp *vp = kzalloc(sizeof(*vp), GFP_KERNEL_ACCOUNT);

	if (!vp)
		return NULL;
	vp->part = p;
	vp->index = index;
	vp->lp = -1;
	vp->home = -1;
	vp->asid_lp = -1;
	vp->mmio_reg = -1;
	INIT_LIST_HEAD(&vp->rq_node);
	INIT_LIST_HEAD(&vp->msg_node);
	vp->xsave = hv_fpu_alloc();
	if (!vp->xsave || hv_arch->vp_create(vp)) {
		hv_vp_free(vp);
		return NULL;
	}
	hv_vp_reset(vp);
	return vp;
}

/**
 * hv_vps_create() - give a partition @count VPs in reset state
 * @p:		partition, off, with p->lock held and no VPs
 * @count:	1..HVCORE_MAX_VPS
 *
 * @p->vps has room for HVCORE_MAX_VPS from the start: hot-add then only
 * fills a slot, and the array never moves under a reader.
 *
 * Return: 0 or -ENOMEM.
 */
int hv_vps_create(struct hv_partition *p, u32 count)
{
	u32 i;

	p->vps = kcalloc(HVCORE_MAX_VPS, sizeof(*p->vps), GFP_KERNEL_ACCOUNT);
	if (!p->vps)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		struct hv_vp *vp = hv_vp_new(p, i);

		if (!vp) {
			hv_vps_destroy(p);
			return -ENOMEM;
		}
		p->vps[i] = vp;
		p->nr_vps = i + 1;
	}
	return 0;
}

/**
 * hv_vp_start_like() - set a new VP up to start in the mode of another
 * @vp:		the new VP, not yet listed in its partition
 * @model:	a VP of the same partition that is not on an LP (hot-add:
 *		the partition is off or paused)
 * @rip:	where @vp starts
 *
 * @vp gets @model's control registers (CR0, CR3, CR4), EFER, segments,
 * descriptor tables, PAT and XCR0, so that it can run the code at @rip in
 * the same mode; RIP = @rip, RDI = its index, RFLAGS = 2, other GPRs 0.
 * What belongs to one processor rather than to the mode is not copied: CR2,
 * CR8, DR6, the SYSCALL/SYSENTER MSRs and KERNEL_GS_BASE keep their reset
 * values, and no event is pending. The registers go through the backend's
 * set_regs(), which checks them as SET_REGS does.
 *
 * Return: 0, or -EINVAL (one dmesg line) if the backend refuses them.
 */
int hv_vp_start_like(struct hv_vp *vp, struct hv_vp *model, u64 rip)
{
	struct hvcore_regs m = {}, r = {};
	int ret;

	hv_arch->get_regs(model, &m);
	memcpy(r.seg, m.seg, sizeof(r.seg));
	r.gdt = m.gdt;
	r.idt = m.idt;
	r.cr0 = m.cr0;
	r.cr3 = m.cr3;
	r.cr4 = m.cr4;
	r.efer = m.efer;
	r.pat = m.pat;
	r.dr7 = HV_DR7_INIT;
	ret = hv_arch->set_regs(vp, &r);
	if (ret)
		return ret;
	memset(vp->gpr, 0, sizeof(vp->gpr));
	vp->gpr[HVCORE_RDI] = vp->index;
	vp->rip = rip;
	vp->rflags = X86_EFLAGS_FIXED;
	vp->xcr0 = model->xcr0;
	return 0;
}

/**
 * hv_vps_destroy() - free all VPs of a partition that is off
 * @p: the partition
 */
void hv_vps_destroy(struct hv_partition *p)
{
	struct hv_vp **vps = p->vps;
	u32 i, n = p->nr_vps;

	WRITE_ONCE(p->nr_vps, 0);
	WRITE_ONCE(p->vps, NULL);
	/*
	 * perf reads the counters of a partition it holds a reference on
	 * under RCU (pmu.c); once the last reference is gone nobody can.
	 */
	if (n && kref_read(&p->ref))
		synchronize_rcu();
	for (i = 0; i < n; i++)
		if (vps[i])
			hv_vp_free(vps[i]);
	kfree(vps);
}

/**
 * hv_vp_skip() - continue after the instruction that exited
 * @vp: the VP, not in guest mode
 */
void hv_vp_skip(struct hv_vp *vp)
{
	vp->rip = vp->exit.next_rip;
	hv_arch->clear_shadow(vp);
}

/**
 * hv_vp_asid() - the ASID (SVM) or VPID (VMX) @vp uses on @lp
 * @vp:	the VP about to enter the guest
 * @lp:	the LP it is on, preemption off
 *
 * Each LP hands out tags from 1 up; a VP takes a new one whenever it lands
 * on an LP where its tag is not current, so no TLB entry of another VP or
 * partition can be found under it. When an LP runs out it starts a new
 * generation, which needs one flush of every tag. The first tag an LP
 * hands out also starts one, since someone else (KVM, a previous load)
 * may have used the numbers. Neither needs flush-by-ASID or INVVPID of a
 * single context.
 *
 * Return: true when the caller must flush every tag of @lp before entry.
 */
bool hv_vp_asid(struct hv_vp *vp, struct hv_lp *lp)
{
	bool flush = false;

	if (vp->asid_lp == lp->cpu && vp->asid_gen == lp->asid_gen)
		return false;
	if (lp->asid_next >= hv_features.nr_asids || lp->asid_gen == 1) {
		lp->asid_gen++;
		lp->asid_next = 1;
		flush = true;
	}
	vp->asid = lp->asid_next++;
	vp->asid_lp = lp->cpu;
	vp->asid_gen = lp->asid_gen;
	return flush;
}

/**
 * hv_pat_valid() - every entry of @pat is a memory type x86 defines
 * @pat: an IA32_PAT value
 *
 * Return: true if so (types 2, 3 and above 7 are reserved).
 */
bool hv_pat_valid(u64 pat)
{
	int i;

	for (i = 0; i < 8; i++) {
		u8 t = pat >> (8 * i);

		if (t == 2 || t == 3 || t > 7)
			return false;
	}
	return true;
}

/**
 * hv_regs_valid() - control registers any VM entry would accept
 * @r: registers from SET_REGS
 *
 * The checks both backends need; each adds its hardware's own.
 *
 * Return: true, or false after one dmesg line saying what is wrong.
 */
bool hv_regs_valid(const struct hvcore_regs *r)
{
	u64 efer = r->efer & ~EFER_LMA;
	u8 bits = boot_cpu_data.x86_virt_bits;

	/*
	 * hvcore itself writes these to the CPU (WRMSR on VMX, VMLOAD on
	 * SVM), where a bad value would fault in the host, not the guest.
	 */
	if (!__is_canonical_address(r->kernel_gs_base, bits) ||
	    !__is_canonical_address(r->lstar, bits) ||
	    !__is_canonical_address(r->cstar, bits)) {
		hv_bad_input("SET_REGS: KERNEL_GS_BASE %llx LSTAR %llx CSTAR %llx: not canonical",
			     r->kernel_gs_base, r->lstar, r->cstar);
		return false;
	}
	if (r->sfmask >> 32) {
		hv_bad_input("SET_REGS: SFMASK %llx has bits above 31", r->sfmask);
		return false;
	}

	if ((r->efer & ~HV_EFER_GUEST) || (r->cr4 & ~HV_CR4_GUEST) || (r->cr0 >> 32) ||
	    ((r->cr0 & X86_CR0_PG) && !(r->cr0 & X86_CR0_PE)) || r->cr8 > 15 ||
	    ((efer & EFER_LME) && (r->cr0 & X86_CR0_PG) && !(r->cr4 & X86_CR4_PAE)) ||
	    !hv_pat_valid(r->pat) || (r->dr6 >> 32) || (r->dr7 >> 32)) {
		hv_bad_input("SET_REGS: CR0 %llx CR4 %llx CR8 %llu EFER %llx PAT %llx invalid",
			     r->cr0, r->cr4, r->cr8, r->efer, r->pat);
		return false;
	}
	return true;
}

/* The exception slot; hv_sched_lock held. */
static void hv_vp_set_exception_locked(struct hv_vp *vp, u8 vector, bool has_err, u32 err)
{
	lockdep_assert_held(&hv_sched_lock);
	vp->exc_pending = true;
	vp->exc_vector = vector;
	vp->exc_has_err = has_err;
	vp->exc_err = err;
}

/**
 * hv_vp_queue_exception() - deliver an exception at the next entry
 * @vp:		the VP
 * @vector:	0-31
 * @has_err:	the exception pushes an error code
 * @err:	the error code
 */
void hv_vp_queue_exception(struct hv_vp *vp, u8 vector, bool has_err, u32 err)
{
	spin_lock(&hv_sched_lock);
	hv_vp_set_exception_locked(vp, vector, has_err, err);
	spin_unlock(&hv_sched_lock);
}

/**
 * hv_vp_inject_pending() - hand the next deliverable event to the hardware
 * @vp: the VP about to enter
 *
 * Context: dispatcher, preemption off.
 */
void hv_vp_inject_pending(struct hv_vp *vp)
{
	unsigned long v;

	if (READ_ONCE(vp->exc_pending) || READ_ONCE(vp->nmi_pending)) {
		spin_lock(&hv_sched_lock);
		if (vp->exc_pending &&
		    hv_arch->inject(vp, HV_EV_EXCEPTION, vp->exc_vector,
				    vp->exc_has_err, vp->exc_err)) {
			vp->exc_pending = false;
			vp->injected++;
			trace_hvcore_deliver(vp, HV_EV_EXCEPTION, vp->exc_vector,
					     vp->exc_has_err, vp->exc_err);
		}
		if (vp->nmi_pending && hv_arch->inject(vp, HV_EV_NMI, 2, false, 0)) {
			vp->nmi_pending = false;
			vp->injected++;
			vp->irq_pending_ns += ktime_get_ns() - vp->nmi_since;
			trace_hvcore_deliver(vp, HV_EV_NMI, 2, false, 0);
		}
		spin_unlock(&hv_sched_lock);
	}

	v = find_last_bit(vp->irr, 256);
	if (v >= 256)
		return;
	if (!hv_arch->intr_allowed(vp)) {
		hv_arch->intr_window(vp, true);
		return;
	}
	if (hv_arch->inject(vp, HV_EV_INTR, v, false, 0)) {
		u64 since = READ_ONCE(vp->irq_since[v]);

		/* Read before the bit clears: a new INJECT may then restamp it. */
		smp_mb__before_atomic();
		clear_bit(v, vp->irr);
		vp->injected++;
		vp->irq_pending_ns += ktime_get_ns() - since;
		trace_hvcore_deliver(vp, HV_EV_INTR, v, false, 0);
	}
	hv_arch->intr_window(vp, find_last_bit(vp->irr, 256) < 256);
}

/**
 * hv_vp_irqs_pending() - interrupt vectors and NMIs waiting for delivery
 * @vp: the VP
 *
 * Return: the count now; racy by nature, for counters.
 */
u32 hv_vp_irqs_pending(const struct hv_vp *vp)
{
	return bitmap_weight(vp->irr, 256) + READ_ONCE(vp->nmi_pending);
}

/* The VP of an ioctl, with the partition's lock held. */
static struct hv_vp *hv_vp_lookup(struct hv_partition *p, u32 index, const char *what)
{
	if (index >= p->nr_vps) {
		hv_bad_input("%s: partition %u has no VP %u (it has %u)", what, p->id,
			     index, p->nr_vps);
		return NULL;
	}
	return p->vps[index];
}

/* Registers may be touched: nothing runs and nothing will until we unlock. */
static int hv_vp_quiet(struct hv_partition *p, const char *what)
{
	int ret = 0;

	spin_lock(&hv_sched_lock);
	if (p->state == HVCORE_STATE_RUNNING || p->nr_running) {
		hv_bad_input("%s: partition %u is running; pause it first", what, p->id);
		ret = -EBUSY;
	}
	spin_unlock(&hv_sched_lock);
	return ret;
}

static long hv_ioctl_get_regs(struct hv_partition *p, void __user *uarg)
{
	struct hvcore_regs r;
	struct hv_vp *vp;
	u32 usize;
	int ret;

	ret = hv_args_in(&r, sizeof(r), uarg, HVCORE_REGS_SIZE_VER0, "GET_REGS", &usize);
	if (!ret)
		ret = hv_args_check("GET_REGS", r.flags, 0, &r.reserved0, sizeof(r.reserved0));
	if (ret)
		return ret;
	vp = hv_vp_lookup(p, r.vp, "GET_REGS");
	if (!vp)
		return -EINVAL;
	ret = hv_vp_quiet(p, "GET_REGS");
	if (ret)
		return ret;
	memset((u8 *)&r + offsetof(struct hvcore_regs, gpr), 0,
	       sizeof(r) - offsetof(struct hvcore_regs, gpr));
	memcpy(r.gpr, vp->gpr, sizeof(r.gpr));
	r.rip = vp->rip;
	r.rflags = vp->rflags;
	r.xcr0 = vp->xcr0;
	hv_arch->get_regs(vp, &r);
	return hv_args_out(uarg, &r, sizeof(r), usize);
}

static long hv_ioctl_set_regs(struct hv_partition *p, void __user *uarg)
{
	struct hvcore_regs r;
	struct hv_vp *vp;
	u32 usize;
	int ret, i;

	ret = hv_args_in(&r, sizeof(r), uarg, HVCORE_REGS_SIZE_VER0, "SET_REGS", &usize);
	if (!ret)
		ret = hv_args_check("SET_REGS", r.flags, 0, r.reserved, sizeof(r.reserved));
	if (!ret)
		ret = hv_args_zero("SET_REGS", &r.reserved0, sizeof(r.reserved0));
	for (i = 0; !ret && i < HVCORE_NR_SEGS; i++)
		ret = hv_args_zero("SET_REGS", &r.seg[i].reserved, sizeof(r.seg[i].reserved));
	if (!ret)
		ret = hv_args_zero("SET_REGS", r.gdt.reserved, sizeof(r.gdt.reserved));
	if (!ret)
		ret = hv_args_zero("SET_REGS", r.idt.reserved, sizeof(r.idt.reserved));
	if (ret)
		return ret;
	vp = hv_vp_lookup(p, r.vp, "SET_REGS");
	if (!vp)
		return -EINVAL;
	if (!hv_xcr0_valid(r.xcr0)) {
		hv_bad_input("SET_REGS: XCR0 0x%llx is not a valid subset of the host's 0x%llx",
			     r.xcr0, hv_host_xcr0);
		return -EINVAL;
	}
	ret = hv_vp_quiet(p, "SET_REGS");
	if (ret)
		return ret;
	ret = hv_arch->set_regs(vp, &r);
	if (ret)
		return ret;
	memcpy(vp->gpr, r.gpr, sizeof(vp->gpr));
	vp->rip = r.rip;
	vp->rflags = r.rflags | X86_EFLAGS_FIXED;
	vp->xcr0 = r.xcr0;
	return 0;
}

static long hv_ioctl_vp_info(struct hv_partition *p, void __user *uarg)
{
	struct hvcore_vp_info info;
	struct hv_vp *vp;
	u32 usize;
	int ret;

	ret = hv_args_in(&info, sizeof(info), uarg, HVCORE_VP_INFO_SIZE_VER0, "VP_INFO", &usize);
	if (!ret)
		ret = hv_args_check("VP_INFO", info.flags, 0, &info.state,
				    sizeof(info) - offsetof(struct hvcore_vp_info, state));
	if (ret)
		return ret;
	vp = hv_vp_lookup(p, info.vp, "VP_INFO");
	if (!vp)
		return -EINVAL;
	/* Counters are u64 written by one dispatcher: torn reads cannot happen. */
	info.state = READ_ONCE(vp->state);
	info.lp = READ_ONCE(vp->lp);
	info.asid = READ_ONCE(vp->asid);
	info.total_ns = READ_ONCE(vp->total_ns);
	info.guest_ns = READ_ONCE(vp->guest_ns);
	info.dispatches = READ_ONCE(vp->dispatches);
	info.migrations = READ_ONCE(vp->migrations);
	memcpy(info.exits, vp->exits, sizeof(info.exits));
	info.hypercalls = READ_ONCE(vp->hypercalls);
	info.injected = READ_ONCE(vp->injected);
	info.wait_ns = READ_ONCE(vp->wait_ns);
	info.home_lp = READ_ONCE(vp->home);
	info.reserve_missed = READ_ONCE(vp->reserve_missed);
	info.irq_pending_ns = READ_ONCE(vp->irq_pending_ns);
	info.irqs_pending = hv_vp_irqs_pending(vp);
	memcpy(info.wait_hist, vp->wait_hist, sizeof(info.wait_hist));
	return hv_args_out(uarg, &info, sizeof(info), usize);
}

static long hv_ioctl_inject(struct hv_partition *p, void __user *uarg)
{
	struct hvcore_inject in;
	struct hv_vp *vp;
	bool kick = false;
	u32 usize;
	int ret;

	ret = hv_args_in(&in, sizeof(in), uarg, HVCORE_INJECT_SIZE_VER0, "INJECT", &usize);
	if (!ret)
		ret = hv_args_check("INJECT", in.flags, HVCORE_INJECT_ERROR_CODE, in.reserved,
				    sizeof(in.reserved));
	if (ret)
		return ret;
	vp = hv_vp_lookup(p, in.vp, "INJECT");
	if (!vp)
		return -EINVAL;
	switch (in.type) {
	case HVCORE_INJECT_INTERRUPT:
		if (in.vector < 32 || in.vector > 255 || in.flags) {
			hv_bad_input("INJECT: interrupt vector %u: must be 32-255, no error code",
				     in.vector);
			return -EINVAL;
		}
		break;
	case HVCORE_INJECT_EXCEPTION:
		if (in.vector > 31 || in.vector == 2) {
			hv_bad_input("INJECT: exception vector %u: must be 0-31 but not 2 (NMI)",
				     in.vector);
			return -EINVAL;
		}
		break;
	case HVCORE_INJECT_NMI:
		if (in.flags || (in.vector && in.vector != 2)) {
			hv_bad_input("INJECT: an NMI has vector 2 and no error code");
			return -EINVAL;
		}
		break;
	default:
		hv_bad_input("INJECT: unknown type %u", in.type);
		return -EINVAL;
	}
	if (!(in.flags & HVCORE_INJECT_ERROR_CODE) && in.error_code) {
		hv_bad_input("INJECT: error_code set without HVCORE_INJECT_ERROR_CODE");
		return -EINVAL;
	}

	spin_lock(&hv_sched_lock);
	if (p->state != HVCORE_STATE_RUNNING && p->state != HVCORE_STATE_PAUSED) {
		hv_bad_input("INJECT: partition %u is not running or paused", p->id);
		ret = -EBUSY;
	} else if (in.type == HVCORE_INJECT_EXCEPTION && vp->exc_pending) {
		hv_bad_input("INJECT: VP %u already has an exception pending", vp->index);
		ret = -EBUSY;
	} else {
		trace_hvcore_inject(vp, in.type, in.vector, in.flags & HVCORE_INJECT_ERROR_CODE,
				    in.error_code);
		if (in.type == HVCORE_INJECT_INTERRUPT) {
			/* Pending time counts from the first request. */
			if (!test_bit(in.vector, vp->irr)) {
				WRITE_ONCE(vp->irq_since[in.vector], ktime_get_ns());
				/* The stamp is there before the dispatcher sees the bit. */
				smp_mb__before_atomic();
				set_bit(in.vector, vp->irr);
			}
		} else if (in.type == HVCORE_INJECT_NMI) {
			if (!vp->nmi_pending)
				vp->nmi_since = ktime_get_ns();
			vp->nmi_pending = true;
		} else {
			hv_vp_set_exception_locked(vp, in.vector,
						   in.flags & HVCORE_INJECT_ERROR_CODE,
						   in.error_code);
		}
		if (vp->state == HVCORE_VP_HALTED)
			hv_vp_wake_locked(vp, in.type != HVCORE_INJECT_EXCEPTION);
		else if (vp->state == HVCORE_VP_PAUSED && vp->paused_state == HVCORE_VP_HALTED)
			vp->paused_state = HVCORE_VP_READY;
		kick = vp->on_lp;
	}
	spin_unlock(&hv_sched_lock);
	if (kick)
		hv_vp_kick(vp);
	return ret;
}

/**
 * hv_vp_ioctl() - the VP ioctls of a partition fd
 * @p:		the partition, p->lock held
 * @cmd:	HVCORE_GET_REGS, _SET_REGS, _VP_INFO or _INJECT
 * @uarg:	user pointer to the ioctl's structure
 *
 * Return: 0 or a negative errno as the uapi header documents.
 */
long hv_vp_ioctl(struct hv_partition *p, unsigned int cmd, void __user *uarg)
{
	switch (HV_IOC_NOSIZE(cmd)) {
	case HV_IOC_NOSIZE(HVCORE_GET_REGS):
		return hv_ioctl_get_regs(p, uarg);
	case HV_IOC_NOSIZE(HVCORE_SET_REGS):
		return hv_ioctl_set_regs(p, uarg);
	case HV_IOC_NOSIZE(HVCORE_VP_INFO):
		return hv_ioctl_vp_info(p, uarg);
	default:
		return hv_ioctl_inject(p, uarg);
	}
}
