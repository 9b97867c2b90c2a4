// SPDX-License-Identifier: GPL-2.0
/*
 * Guest exits in vendor-neutral terms (DESIGN.md section 3). The backend
 * turns its exit code into a struct hv_exit; everything here is written
 * once for SVM and VMX.
 *
 * Runs in the dispatcher with preemption off and the guest's FPU state
 * loaded: nothing here may sleep. Work that must (populating nested page
 * tables) is handed back as HV_NPF_SLOW.
 */
#define pr_fmt(fmt) "hvcore: " fmt

#include <asm/trapnr.h>

#include "hvcore.h"

/**
 * hv_gpr_read() - a GPR as an operand of @len bytes
 * @vp:		the VP
 * @reg:	HVCORE_RAX..HVCORE_R15, or 16-19 for AH, CH, DH, BH
 * @len:	1, 2, 4 or 8
 *
 * Return: the value, zero-extended.
 */
u64 hv_gpr_read(struct hv_vp *vp, int reg, int len)
{
	if (reg >= 16)
		return (vp->gpr[reg - 16] >> 8) & 0xff;
	switch (len) {
	case 1:
		return vp->gpr[reg] & 0xff;
	case 2:
		return vp->gpr[reg] & 0xffff;
	case 4:
		return vp->gpr[reg] & 0xffffffff;
	default:
		return vp->gpr[reg];
	}
}

/**
 * hv_gpr_write() - write a GPR as an instruction with a @len-byte
 *		    destination would
 * @vp:		the VP
 * @reg:	as for hv_gpr_read()
 * @len:	1, 2, 4 (zero-extends to 64 bits, as in 64-bit mode) or 8
 * @val:	the value
 */
void hv_gpr_write(struct hv_vp *vp, int reg, int len, u64 val)
{
	u64 *r = reg >= 16 ? &vp->gpr[reg - 16] : &vp->gpr[reg];

	if (reg >= 16) {
		*r = (*r & ~0xff00ULL) | ((val & 0xff) << 8);
		return;
	}
	switch (len) {
	case 1:
		*r = (*r & ~0xffULL) | (val & 0xff);
		break;
	case 2:
		*r = (*r & ~0xffffULL) | (val & 0xffff);
		break;
	case 4:
		*r = val & 0xffffffff;
		break;
	default:
		*r = val;
	}
}

/**
 * hv_partition_crash() - the guest did something only a stop can answer
 * @vp:		the VP that did it
 * @reason:	HVCORE_CRASH_*
 * @info:	detail for the reason
 *
 * The partition goes to CRASHED, its other VPs are kicked off their LPs,
 * and the worker learns it from a STATE message and from read() EOF.
 */
void hv_partition_crash(struct hv_vp *vp, u32 reason, u64 info)
{
	struct hv_partition *p = vp->part;
	bool first = false;
	u32 i;

	spin_lock(&hv_sched_lock);
	if (p->state == HVCORE_STATE_RUNNING || p->state == HVCORE_STATE_PAUSED) {
		p->state = HVCORE_STATE_CRASHED;
		p->crash_reason = reason;
		p->crash_info = info;
		p->crash_rip = vp->rip;
		p->crash_vp = vp->index;
		hv_vps_stop_locked(p, HVCORE_VP_OFF);
		first = true;
	}
	spin_unlock(&hv_sched_lock);
	if (!first)
		return;
	pr_info_ratelimited("partition %u (%s) crashed: reason %u info 0x%llx VP %u RIP 0x%llx\n",
			    p->id, p->name, reason, info, vp->index, vp->rip);
	for (i = 0; i < p->nr_vps; i++)
		if (p->vps[i] != vp)
			hv_vp_kick(p->vps[i]);
	hv_channel_state_changed(p);
}

static enum hv_action hv_exit_cpuid(struct hv_vp *vp)
{
	u32 fn = vp->gpr[HVCORE_RAX], idx = vp->gpr[HVCORE_RCX];
	const struct hvcore_cpuid_entry *e = hv_cpuid_find(vp->part, fn, idx);
	u32 out[4];

	if (e && (e->flags & HVCORE_CPUID_FORWARD)) {
		memset(&vp->msg, 0, sizeof(vp->msg));
		vp->msg.type = HVCORE_MSG_CPUID;
		vp->msg.flags = HVCORE_MSG_F_COMPLETE;
		vp->msg.cpuid.function = fn;
		vp->msg.cpuid.index = idx;
		return hv_msg_send(vp, vp->exit.next_rip);
	}
	if (e) {
		out[0] = e->eax;
		out[1] = e->ebx;
		out[2] = e->ecx;
		out[3] = e->edx;
	} else {
		hv_cpuid(vp, fn, idx, out);
	}
	vp->gpr[HVCORE_RAX] = out[0];
	vp->gpr[HVCORE_RBX] = out[1];
	vp->gpr[HVCORE_RCX] = out[2];
	vp->gpr[HVCORE_RDX] = out[3];
	hv_vp_skip(vp);
	return HV_RESUME;
}

static enum hv_action hv_exit_msr(struct hv_vp *vp, bool write)
{
	u32 msr = vp->gpr[HVCORE_RCX];
	u64 val = (vp->gpr[HVCORE_RDX] << 32) | (u32)vp->gpr[HVCORE_RAX];

	if (hv_msr_forwarded(vp->part, msr)) {
		memset(&vp->msg, 0, sizeof(vp->msg));
		vp->msg.type = HVCORE_MSG_MSR;
		vp->msg.flags = HVCORE_MSG_F_COMPLETE | (write ? HVCORE_MSG_F_WRITE : 0);
		vp->msg.msr.index = msr;
		vp->msg.msr.data = write ? val : 0;
		return hv_msg_send(vp, vp->exit.next_rip);
	}
	if (write ? !hv_msr_write(vp, msr, val) : !hv_msr_read(vp, msr, &val)) {
		hv_vp_queue_exception(vp, X86_TRAP_GP, true, 0);
		return HV_RESUME;
	}
	if (!write) {
		vp->gpr[HVCORE_RAX] = (u32)val;
		vp->gpr[HVCORE_RDX] = val >> 32;
	}
	hv_vp_skip(vp);
	return HV_RESUME;
}

static enum hv_action hv_exit_io(struct hv_vp *vp)
{
	struct hv_exit *x = &vp->exit;

	if (x->io.string || x->io.rep) {
		/* INS/OUTS would need the segment and address-size logic. */
		hv_partition_crash(vp, HVCORE_CRASH_UNHANDLED, x->code);
		return HV_STOPPED;
	}
	memset(&vp->msg, 0, sizeof(vp->msg));
	vp->msg.type = HVCORE_MSG_IO;
	vp->msg.flags = HVCORE_MSG_F_COMPLETE | (x->io.in ? 0 : HVCORE_MSG_F_WRITE);
	vp->msg.io.port = x->io.port;
	vp->msg.io.len = x->io.len;
	if (!x->io.in)
		vp->msg.io.data = hv_gpr_read(vp, HVCORE_RAX, x->io.len);
	vp->mmio_reg = x->io.in ? HVCORE_RAX : -1;
	vp->mmio_dst_len = x->io.len;
	vp->mmio_sext = false;
	return hv_msg_send(vp, x->next_rip);
}

/* Nested-page fault: memory the partition owns gets mapped, the rest is MMIO. */
static enum hv_action hv_exit_npf(struct hv_vp *vp)
{
	struct hv_partition *p = vp->part;
	u64 gpa = vp->exit.npf.gpa, wdata = 0;
	struct hvcore_regs r = {};
	u8 insn[15], size = 0;
	bool write = false;
	int len, ilen;

	if (gpa < p->mem.bytes) {
		vp->exits[HVCORE_EXIT_NPF]++;
		return HV_NPF_SLOW;
	}
	vp->exits[HVCORE_EXIT_MMIO]++;
	memset(&vp->msg, 0, sizeof(vp->msg));
	vp->msg.type = HVCORE_MSG_MMIO;
	vp->msg.mmio.gpa = gpa;
	/* One register read serves the fetch and the decode. */
	hv_arch->get_regs(vp, &r);
	len = hv_guest_fetch(vp, &r, insn, sizeof(insn));
	if (len > 0) {
		memcpy(vp->msg.mmio.insn, insn, len);
		vp->msg.mmio.insn_len = len;
	}
	ilen = len > 0 ? hv_decode_mmio(vp, &r, insn, len, &write, &size, &wdata) : -EINVAL;
	/* Code or page tables outside memory cannot be emulated either. */
	if (ilen <= 0 || vp->exit.npf.fetch || vp->exit.npf.walk) {
		/* The worker gets the bytes and the GPA; the VP cannot go on. */
		vp->msg.flags = 0;
		hv_msg_send(vp, 0);
		hv_partition_crash(vp, HVCORE_CRASH_UNHANDLED, vp->exit.code);
		return HV_STOPPED;
	}
	vp->msg.flags = HVCORE_MSG_F_COMPLETE | HVCORE_MSG_F_DECODED |
			(write ? HVCORE_MSG_F_WRITE : 0);
	vp->msg.mmio.len = size;
	vp->msg.mmio.data = wdata;
	return hv_msg_send(vp, vp->rip + ilen);
}

static enum hv_action hv_exit_hlt(struct hv_vp *vp)
{
	hv_vp_skip(vp);
	spin_lock(&hv_sched_lock);
	if (find_last_bit(vp->irr, 256) < 256 || vp->nmi_pending || vp->exc_pending) {
		spin_unlock(&hv_sched_lock);
		return HV_RESUME;
	}
	vp->state = HVCORE_VP_HALTED;
	spin_unlock(&hv_sched_lock);
	return HV_BLOCK;
}

/*
 * #UD raised by the guest (intercepted where the hardware can): VMMCALL
 * on Intel and VMCALL on AMD are hypercalls too, as KVM has them, so one
 * guest image makes hypercalls on either vendor. Anything else is the
 * guest's own #UD.
 */
static enum hv_action hv_exit_ud_fault(struct hv_vp *vp)
{
	static const u8 vmcall[3] = { 0x0f, 0x01, 0xc1 }, vmmcall[3] = { 0x0f, 0x01, 0xd9 };
	struct hvcore_regs r = {};
	u8 insn[3];

	hv_arch->get_regs(vp, &r);
	if (hv_guest_fetch(vp, &r, insn, sizeof(insn)) == sizeof(insn) &&
	    (!memcmp(insn, vmcall, 3) || !memcmp(insn, vmmcall, 3))) {
		vp->exits[HVCORE_EXIT_HYPERCALL]++;
		vp->exit.next_rip = vp->rip + 3;
		return hv_hypercall(vp);
	}
	vp->exits[HVCORE_EXIT_EXCEPTION]++;
	hv_vp_queue_exception(vp, X86_TRAP_UD, false, 0);
	return HV_RESUME;
}

static enum hv_action hv_exit_xsetbv(struct hv_vp *vp)
{
	u64 val = (vp->gpr[HVCORE_RDX] << 32) | (u32)vp->gpr[HVCORE_RAX];

	if ((u32)vp->gpr[HVCORE_RCX] != XCR_XFEATURE_ENABLED_MASK ||
	    hv_arch->cpl(vp) || !hv_xcr0_valid(val)) {
		hv_vp_queue_exception(vp, X86_TRAP_GP, true, 0);
		return HV_RESUME;
	}
	vp->xcr0 = val;
	hv_vp_skip(vp);
	return HV_RESUME;
}

/**
 * hv_handle_exit() - act on the exit the backend decoded into @vp->exit
 * @vp: the VP, just out of guest mode
 *
 * Return: what the dispatcher does next.
 */
enum hv_action hv_handle_exit(struct hv_vp *vp)
{
	struct hv_exit *x = &vp->exit;

	switch (x->reason) {
	case HV_X_NONE:
		return HV_RESUME;
	case HV_X_EXTINT:
		vp->exits[HVCORE_EXIT_EXTINT]++;
		return HV_RESUME;
	case HV_X_NMI:
		vp->exits[HVCORE_EXIT_NMI]++;
		return HV_RESUME;
	case HV_X_TIMER:
		vp->exits[HVCORE_EXIT_OTHER]++;
		return HV_RESUME;
	case HV_X_INTR_WINDOW:
		vp->exits[HVCORE_EXIT_INTR_WINDOW]++;
		hv_arch->intr_window(vp, false);
		return HV_RESUME;
	case HV_X_CPUID:
		vp->exits[HVCORE_EXIT_CPUID]++;
		return hv_exit_cpuid(vp);
	case HV_X_MSR_READ:
	case HV_X_MSR_WRITE:
		vp->exits[HVCORE_EXIT_MSR]++;
		return hv_exit_msr(vp, x->reason == HV_X_MSR_WRITE);
	case HV_X_IO:
		vp->exits[HVCORE_EXIT_IO]++;
		return hv_exit_io(vp);
	case HV_X_NPF:
		return hv_exit_npf(vp);
	case HV_X_HLT:
		vp->exits[HVCORE_EXIT_HLT]++;
		return hv_exit_hlt(vp);
	case HV_X_HYPERCALL:
		vp->exits[HVCORE_EXIT_HYPERCALL]++;
		return hv_hypercall(vp);
	case HV_X_XSETBV:
		vp->exits[HVCORE_EXIT_OTHER]++;
		return hv_exit_xsetbv(vp);
	case HV_X_PAUSE:
		vp->exits[HVCORE_EXIT_OTHER]++;
		return HV_YIELD;
	case HV_X_NOP:
		vp->exits[HVCORE_EXIT_OTHER]++;
		hv_vp_skip(vp);
		return HV_RESUME;
	case HV_X_UD:
		vp->exits[HVCORE_EXIT_EXCEPTION]++;
		hv_vp_queue_exception(vp, X86_TRAP_UD, false, 0);
		return HV_RESUME;
	case HV_X_UD_FAULT:
		return hv_exit_ud_fault(vp);
	case HV_X_GP:
		vp->exits[HVCORE_EXIT_EXCEPTION]++;
		hv_vp_queue_exception(vp, X86_TRAP_GP, true, 0);
		return HV_RESUME;
	case HV_X_SHUTDOWN:
		hv_partition_crash(vp, HVCORE_CRASH_TRIPLE_FAULT, 0);
		return HV_STOPPED;
	case HV_X_INVALID:
		hv_partition_crash(vp, HVCORE_CRASH_INVALID_STATE, x->code);
		return HV_STOPPED;
	default:
		vp->exits[HVCORE_EXIT_OTHER]++;
		hv_partition_crash(vp, HVCORE_CRASH_UNHANDLED, x->code);
		return HV_STOPPED;
	}
}
