// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercalls: VMMCALL (AMD) or VMCALL (Intel) in the Hyper-V TLFS
 * register convention (TLFS 3.7, "Hypercall Calling Conventions"), as the
 * x64 form in every mode:
 *
 *   RCX  call code [15:0], fast [16], rep count [43:32], rep start [59:48]
 *   RDX  input GPA, or the first input value of a fast call
 *   R8   output GPA, or the second input value of a fast call
 *   RAX  result: status [15:0], reps completed [43:32]
 *
 * Input and output GPAs are 8-byte aligned and do not cross a page; they
 * must be the partition's memory. A call from CPL > 0 is a #UD, as the
 * TLFS says. The calls are listed in Documentation/hypercalls.rst.
 */
#define pr_fmt(fmt) "hvcore: " fmt

#include <linux/mm.h>
#include <asm/trapnr.h>

#include "hvcore.h"
#include "trace.h"

#define HV_HC_CODE		GENMASK_ULL(15, 0)
#define HV_HC_FAST		BIT_ULL(16)

/* A GPA the TLFS allows for @len bytes of hypercall input or output. */
static u16 hv_hc_gpa_ok(struct hv_partition *p, u64 gpa, u32 len)
{
	if (gpa & 7)
		return HVCORE_HV_STATUS_INVALID_ALIGNMENT;
	if (offset_in_page(gpa) + len > PAGE_SIZE || gpa + len > p->mem.bytes)
		return HVCORE_HV_STATUS_INVALID_PARAMETER;
	return HVCORE_HV_STATUS_SUCCESS;
}

static u16 hv_hc_get_vp_index(struct hv_vp *vp, bool fast)
{
	u32 idx = vp->index;
	u16 st;

	if (fast) {
		vp->gpr[HVCORE_RDX] = idx;
		return HVCORE_HV_STATUS_SUCCESS;
	}
	st = hv_hc_gpa_ok(vp->part, vp->gpr[HVCORE_R8], sizeof(idx));
	if (st)
		return st;
	return hv_gpa_write(vp->part, vp->gpr[HVCORE_R8], &idx, sizeof(idx)) ?
	       HVCORE_HV_STATUS_INVALID_PARAMETER : HVCORE_HV_STATUS_SUCCESS;
}

/*
 * Where VPs hot-added later start. Fast: RDX = entry, R8 must be 0. Slow:
 * the input GPA holds { u64 entry; u64 reserved (0) }. The entry must be a
 * canonical address: VM entry would refuse another RIP.
 */
static u16 hv_hc_set_vp_entry(struct hv_vp *vp, bool fast)
{
	struct hv_partition *p = vp->part;
	u64 in[2] = { vp->gpr[HVCORE_RDX], vp->gpr[HVCORE_R8] };
	u16 st;

	if (!fast) {
		st = hv_hc_gpa_ok(p, in[0], sizeof(in));
		if (st)
			return st;
		if (hv_gpa_read(p, in[0], in, sizeof(in)))
			return HVCORE_HV_STATUS_INVALID_PARAMETER;
	}
	if (in[1] || (u64)((s64)(in[0] << 16) >> 16) != in[0])
		return HVCORE_HV_STATUS_INVALID_PARAMETER;
	/* HVCORE_ADD_VP reads the pair under the same lock. */
	spin_lock(&hv_sched_lock);
	p->vp_entry = in[0];
	p->vp_entry_set = true;
	spin_unlock(&hv_sched_lock);
	return HVCORE_HV_STATUS_SUCCESS;
}

/* Returns HV_BLOCK when the text went to the worker, HV_RESUME otherwise. */
static enum hv_action hv_hc_guest_log(struct hv_vp *vp, bool fast, u16 *st)
{
	struct hv_partition *p = vp->part;
	u64 gpa = vp->gpr[HVCORE_RDX];
	u32 hdr[2];

	*st = fast ? HVCORE_HV_STATUS_INVALID_HYPERCALL_INPUT :
		     hv_hc_gpa_ok(p, gpa, sizeof(hdr));
	if (*st)
		return HV_RESUME;
	if (hv_gpa_read(p, gpa, hdr, sizeof(hdr)) || hdr[1] ||
	    hdr[0] > HVCORE_MSG_LOG_MAX ||
	    hv_hc_gpa_ok(p, gpa, sizeof(hdr) + hdr[0])) {
		*st = HVCORE_HV_STATUS_INVALID_PARAMETER;
		return HV_RESUME;
	}
	if (!READ_ONCE(p->worker))
		return HV_RESUME;	/* nobody listens: dropped, not an error */
	memset(&vp->msg, 0, sizeof(vp->msg));
	vp->msg.type = HVCORE_MSG_GUEST_LOG;
	vp->msg.log.len = hdr[0];
	if (hv_gpa_read(p, gpa + sizeof(hdr), vp->msg.log.text, hdr[0])) {
		*st = HVCORE_HV_STATUS_INVALID_PARAMETER;
		return HV_RESUME;
	}
	return HV_BLOCK;
}

/**
 * hv_hypercall() - VMMCALL/VMCALL by the guest
 * @vp: the VP
 *
 * Return: what the dispatcher does next.
 */
enum hv_action hv_hypercall(struct hv_vp *vp)
{
	u64 rcx = vp->gpr[HVCORE_RCX];
	bool fast = rcx & HV_HC_FAST;
	enum hv_action act = HV_RESUME;
	enum hv_hc_stat stat = HV_HCS_INVALID;
	u16 st;

	if (hv_arch->cpl(vp)) {
		hv_vp_queue_exception(vp, X86_TRAP_UD, false, 0);
		return HV_RESUME;
	}
	vp->hypercalls++;
	/* Unknown bits, or a rep count: none of these calls is a rep call. */
	if (rcx & ~(HV_HC_CODE | HV_HC_FAST)) {
		st = HVCORE_HV_STATUS_INVALID_HYPERCALL_INPUT;
		goto out;
	}
	switch (rcx & HV_HC_CODE) {
	case HVCORE_HVCALL_NULL:
		stat = HV_HCS_NULL;
		st = HVCORE_HV_STATUS_SUCCESS;
		break;
	case HVCORE_HVCALL_GET_VP_INDEX:
		stat = HV_HCS_GET_VP_INDEX;
		st = hv_hc_get_vp_index(vp, fast);
		break;
	case HVCORE_HVCALL_SET_VP_ENTRY:
		stat = HV_HCS_SET_VP_ENTRY;
		st = hv_hc_set_vp_entry(vp, fast);
		break;
	case HVCORE_HVCALL_GUEST_LOG:
		stat = HV_HCS_GUEST_LOG;
		act = hv_hc_guest_log(vp, fast, &st);
		break;
	case HVCORE_HVCALL_NOTIFY_LONG_SPIN_WAIT:
		stat = HV_HCS_NOTIFY_LONG_SPIN_WAIT;
		st = fast ? HVCORE_HV_STATUS_SUCCESS : HVCORE_HV_STATUS_INVALID_HYPERCALL_INPUT;
		act = HV_YIELD;
		break;
	default:
		st = HVCORE_HV_STATUS_INVALID_HYPERCALL_CODE;
		break;
	}
out:
	vp->hc_calls[stat]++;
	vp->gpr[HVCORE_RAX] = st;
	trace_hvcore_hypercall(vp);
	if (act == HV_BLOCK) {
		if (st) {
			act = HV_RESUME;
		} else {
			act = hv_msg_send(vp, 0);
			if (act == HV_STOPPED)
				return act;
		}
	}
	/* Safe after the send: the VP cannot run again before its put. */
	hv_vp_skip(vp);
	return act;
}
