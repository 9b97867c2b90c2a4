/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of hvcore, system "hvcore" (Documentation/tracing.rst).
 *
 * Every event takes the objects the caller already has and reads what it
 * records in TP_fast_assign(), which runs only while the event is enabled:
 * a disabled event costs its call site one static branch and nothing else.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM hvcore

#ifndef _HVCORE_TRACE_HELPERS_H
#define _HVCORE_TRACE_HELPERS_H

#include <linux/sizes.h>

#include "hvcore.h"

/*
 * hvcore_vp_exit kind values past the HVCORE_EXIT_* range: exits that
 * HVCORE_VP_INFO does not count (SMI/INIT, shutdown, refused entry), and
 * #UD intercepts, which count as a hypercall or an exception depending on
 * the instruction the handler reads.
 */
enum { HV_TRACE_KIND_NONE = HVCORE_NR_EXIT_KINDS, HV_TRACE_KIND_UD };

/* hvcore_preempt why */
enum hv_trace_why {
	HV_TRACE_WHY_SLICE,	/* the slice timer ran out */
	HV_TRACE_WHY_KICK,	/* pause, stop, crash or an injection kicked it */
	HV_TRACE_WHY_RESCHED,	/* Linux wants the CPU */
	HV_TRACE_WHY_LP_OFF,	/* hvcore gives the LP back */
	HV_TRACE_WHY_STATE,	/* the partition no longer runs */
	HV_TRACE_WHY_YIELD,	/* the guest yielded (PAUSE, long spin wait) */
	HV_TRACE_WHY_HLT,	/* it halted */
	HV_TRACE_WHY_MESSAGE,	/* it waits for the worker */
	HV_TRACE_WHY_STOPPED,	/* its exit crashed or stopped the partition */
};

/* hvcore_msg_complete how */
enum hv_trace_done { HV_TRACE_DONE_COMPLETE, HV_TRACE_DONE_GP, HV_TRACE_DONE_READ };

/* The HVCORE_VP_INFO exits[] slot hv_handle_exit() counts @vp->exit under. */
static inline u32 hv_trace_exit_kind(const struct hv_vp *vp)
{
	switch (vp->exit.reason) {
	case HV_X_CPUID:
		return HVCORE_EXIT_CPUID;
	case HV_X_MSR_READ:
	case HV_X_MSR_WRITE:
		return HVCORE_EXIT_MSR;
	case HV_X_IO:
		return HVCORE_EXIT_IO;
	case HV_X_NPF:
		return vp->exit.npf.gpa < vp->part->mem.bytes ? HVCORE_EXIT_NPF :
								  HVCORE_EXIT_MMIO;
	case HV_X_HLT:
		return HVCORE_EXIT_HLT;
	case HV_X_HYPERCALL:
		return HVCORE_EXIT_HYPERCALL;
	case HV_X_INTR_WINDOW:
		return HVCORE_EXIT_INTR_WINDOW;
	case HV_X_EXTINT:
		return HVCORE_EXIT_EXTINT;
	case HV_X_NMI:
		return HVCORE_EXIT_NMI;
	case HV_X_UD:
	case HV_X_GP:
		return HVCORE_EXIT_EXCEPTION;
	case HV_X_UD_FAULT:
		return HV_TRACE_KIND_UD;
	case HV_X_NONE:
	case HV_X_SHUTDOWN:
	case HV_X_INVALID:
		return HV_TRACE_KIND_NONE;
	default:
		return HVCORE_EXIT_OTHER;
	}
}

/* GPA of a nested-page fault, port, CPUID leaf or MSR of the exit. */
static inline u64 hv_trace_exit_info(const struct hv_vp *vp)
{
	switch (vp->exit.reason) {
	case HV_X_NPF:
		return vp->exit.npf.gpa;
	case HV_X_IO:
		return vp->exit.io.port;
	case HV_X_CPUID:
		return (u32)vp->gpr[HVCORE_RAX];
	case HV_X_MSR_READ:
	case HV_X_MSR_WRITE:
		return (u32)vp->gpr[HVCORE_RCX];
	default:
		return 0;
	}
}

/* Why the slice of @vp on @lp ended with @act (the flags as hv_put() sees them). */
static inline u32 hv_trace_why(const struct hv_vp *vp, const struct hv_lp *lp, int act)
{
	if (act == HV_STOPPED)
		return HV_TRACE_WHY_STOPPED;
	if (act == HV_BLOCK)
		return vp->exit.reason == HV_X_HLT ? HV_TRACE_WHY_HLT : HV_TRACE_WHY_MESSAGE;
	if (READ_ONCE(vp->part->state) != HVCORE_STATE_RUNNING)
		return HV_TRACE_WHY_STATE;
	if (READ_ONCE(vp->kick))
		return HV_TRACE_WHY_KICK;
	if (!READ_ONCE(lp->enabled))
		return HV_TRACE_WHY_LP_OFF;
	if (READ_ONCE(lp->slice_over))
		return HV_TRACE_WHY_SLICE;
	if (need_resched())
		return HV_TRACE_WHY_RESCHED;
	return HV_TRACE_WHY_YIELD;
}

/* What an intercept message is about: port, GPA, CPUID leaf or MSR. */
static inline u64 hv_trace_msg_addr(const struct hvcore_message *m)
{
	switch (m->type) {
	case HVCORE_MSG_IO:
		return m->io.port;
	case HVCORE_MSG_MMIO:
		return m->mmio.gpa;
	case HVCORE_MSG_CPUID:
		return m->cpuid.function;
	case HVCORE_MSG_MSR:
		return m->msr.index;
	default:
		return 0;
	}
}

#endif /* _HVCORE_TRACE_HELPERS_H */

#if !defined(_HVCORE_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _HVCORE_TRACE_H

#include <linux/tracepoint.h>

/*
 * The enums that __print_symbolic() names: TRACE_DEFINE_ENUM() puts their
 * values into the format files, so that perf and trace-cmd print the names
 * too. (The other symbols are #defines, numbers already.)
 */
TRACE_DEFINE_ENUM(HV_X_NONE);
TRACE_DEFINE_ENUM(HV_X_CPUID);
TRACE_DEFINE_ENUM(HV_X_MSR_READ);
TRACE_DEFINE_ENUM(HV_X_MSR_WRITE);
TRACE_DEFINE_ENUM(HV_X_IO);
TRACE_DEFINE_ENUM(HV_X_NPF);
TRACE_DEFINE_ENUM(HV_X_HLT);
TRACE_DEFINE_ENUM(HV_X_HYPERCALL);
TRACE_DEFINE_ENUM(HV_X_INTR_WINDOW);
TRACE_DEFINE_ENUM(HV_X_EXTINT);
TRACE_DEFINE_ENUM(HV_X_NMI);
TRACE_DEFINE_ENUM(HV_X_TIMER);
TRACE_DEFINE_ENUM(HV_X_XSETBV);
TRACE_DEFINE_ENUM(HV_X_UD);
TRACE_DEFINE_ENUM(HV_X_GP);
TRACE_DEFINE_ENUM(HV_X_UD_FAULT);
TRACE_DEFINE_ENUM(HV_X_PAUSE);
TRACE_DEFINE_ENUM(HV_X_NOP);
TRACE_DEFINE_ENUM(HV_X_SHUTDOWN);
TRACE_DEFINE_ENUM(HV_X_INVALID);
TRACE_DEFINE_ENUM(HV_X_UNKNOWN);

TRACE_DEFINE_ENUM(HVCORE_EXIT_CPUID);
TRACE_DEFINE_ENUM(HVCORE_EXIT_MSR);
TRACE_DEFINE_ENUM(HVCORE_EXIT_IO);
TRACE_DEFINE_ENUM(HVCORE_EXIT_MMIO);
TRACE_DEFINE_ENUM(HVCORE_EXIT_NPF);
TRACE_DEFINE_ENUM(HVCORE_EXIT_HLT);
TRACE_DEFINE_ENUM(HVCORE_EXIT_HYPERCALL);
TRACE_DEFINE_ENUM(HVCORE_EXIT_INTR_WINDOW);
TRACE_DEFINE_ENUM(HVCORE_EXIT_EXTINT);
TRACE_DEFINE_ENUM(HVCORE_EXIT_NMI);
TRACE_DEFINE_ENUM(HVCORE_EXIT_EXCEPTION);
TRACE_DEFINE_ENUM(HVCORE_EXIT_OTHER);
TRACE_DEFINE_ENUM(HV_TRACE_KIND_NONE);
TRACE_DEFINE_ENUM(HV_TRACE_KIND_UD);

TRACE_DEFINE_ENUM(HV_TRACE_WHY_SLICE);
TRACE_DEFINE_ENUM(HV_TRACE_WHY_KICK);
TRACE_DEFINE_ENUM(HV_TRACE_WHY_RESCHED);
TRACE_DEFINE_ENUM(HV_TRACE_WHY_LP_OFF);
TRACE_DEFINE_ENUM(HV_TRACE_WHY_STATE);
TRACE_DEFINE_ENUM(HV_TRACE_WHY_YIELD);
TRACE_DEFINE_ENUM(HV_TRACE_WHY_HLT);
TRACE_DEFINE_ENUM(HV_TRACE_WHY_MESSAGE);
TRACE_DEFINE_ENUM(HV_TRACE_WHY_STOPPED);

TRACE_DEFINE_ENUM(HV_TRACE_DONE_COMPLETE);
TRACE_DEFINE_ENUM(HV_TRACE_DONE_GP);
TRACE_DEFINE_ENUM(HV_TRACE_DONE_READ);

TRACE_DEFINE_ENUM(HV_EV_INTR);
TRACE_DEFINE_ENUM(HV_EV_NMI);
TRACE_DEFINE_ENUM(HV_EV_EXCEPTION);

/* The VP is about to enter guest mode on its LP (interrupts off). */
TRACE_EVENT(hvcore_vp_enter,
	    TP_PROTO(const struct hv_vp *vp, const struct hv_lp *lp),
	    TP_ARGS(vp, lp),
	    TP_STRUCT__entry(__field(u32, part)
			     __field(u32, vp)
			     __field(u32, lp)
			     __field(u64, rip)),
	    TP_fast_assign(__entry->part = vp->part->id;
			   __entry->vp = vp->index;
			   __entry->lp = lp->cpu;
			   __entry->rip = vp->rip;),
	    TP_printk("part %u vp %u lp %u rip 0x%llx",
		      __entry->part, __entry->vp, __entry->lp, __entry->rip)
);

/* Back from guest mode, @vp->exit decoded, before the exit is handled. */
TRACE_EVENT(hvcore_vp_exit,
	    TP_PROTO(const struct hv_vp *vp, const struct hv_lp *lp),
	    TP_ARGS(vp, lp),
	    TP_STRUCT__entry(__field(u32, part)
			     __field(u32, vp)
			     __field(u32, lp)
			     __field(u32, reason)
			     __field(u32, kind)
			     __field(u64, code)
			     __field(u64, rip)
			     __field(u64, info)),
	    TP_fast_assign(__entry->part = vp->part->id;
			   __entry->vp = vp->index;
			   __entry->lp = lp->cpu;
			   __entry->reason = vp->exit.reason;
			   __entry->kind = hv_trace_exit_kind(vp);
			   __entry->code = vp->exit.code;
			   __entry->rip = vp->rip;
			   __entry->info = hv_trace_exit_info(vp);),
	    TP_printk("part %u vp %u lp %u %s (%s) code 0x%llx rip 0x%llx info 0x%llx",
		      __entry->part, __entry->vp, __entry->lp,
		      __print_symbolic(__entry->reason,
				       { HV_X_NONE, "none" }, { HV_X_CPUID, "cpuid" },
				       { HV_X_MSR_READ, "rdmsr" }, { HV_X_MSR_WRITE, "wrmsr" },
				       { HV_X_IO, "io" }, { HV_X_NPF, "npf" }, { HV_X_HLT, "hlt" },
				       { HV_X_HYPERCALL, "hypercall" },
				       { HV_X_INTR_WINDOW, "intr_window" },
				       { HV_X_EXTINT, "extint" },
				       { HV_X_NMI, "nmi" }, { HV_X_TIMER, "timer" },
				       { HV_X_XSETBV, "xsetbv" }, { HV_X_UD, "ud" },
				       { HV_X_GP, "gp" },
				       { HV_X_UD_FAULT, "ud_fault" }, { HV_X_PAUSE, "pause" },
				       { HV_X_NOP, "nop" }, { HV_X_SHUTDOWN, "shutdown" },
				       { HV_X_INVALID, "invalid" }, { HV_X_UNKNOWN, "unknown" }),
		      __print_symbolic(__entry->kind,
				       { HVCORE_EXIT_CPUID, "cpuid" },
				       { HVCORE_EXIT_MSR, "msr" },
				       { HVCORE_EXIT_IO, "io" }, { HVCORE_EXIT_MMIO, "mmio" },
				       { HVCORE_EXIT_NPF, "npf" }, { HVCORE_EXIT_HLT, "hlt" },
				       { HVCORE_EXIT_HYPERCALL, "hypercall" },
				       { HVCORE_EXIT_INTR_WINDOW, "intr_window" },
				       { HVCORE_EXIT_EXTINT, "extint" }, { HVCORE_EXIT_NMI, "nmi" },
				       { HVCORE_EXIT_EXCEPTION, "exception" },
				       { HVCORE_EXIT_OTHER, "other" },
				       { HV_TRACE_KIND_NONE, "none" }, { HV_TRACE_KIND_UD, "ud" }),
		      __entry->code, __entry->rip, __entry->info)
);

/* An LP picked the VP for a slice. */
TRACE_EVENT(hvcore_dispatch,
	    TP_PROTO(const struct hv_vp *vp, const struct hv_lp *lp, int cls, u64 slice_ns,
		     u64 wait_ns),
	    TP_ARGS(vp, lp, cls, slice_ns, wait_ns),
	    TP_STRUCT__entry(__field(u32, part)
			     __field(u32, vp)
			     __field(u32, lp)
			     __field(u32, cls)
			     __field(u64, slice_ns)
			     __field(u64, wait_ns)),
	    TP_fast_assign(__entry->part = vp->part->id;
			   __entry->vp = vp->index;
			   __entry->lp = lp->cpu;
			   __entry->cls = cls;
			   __entry->slice_ns = slice_ns;
			   __entry->wait_ns = wait_ns;),
	    TP_printk("part %u vp %u lp %u class %s slice %llu ns waited %llu ns",
		      __entry->part, __entry->vp, __entry->lp,
		      __print_symbolic(__entry->cls,	/* enum hv_class of sched.c */
				       { 0, "reserved" }, { 1, "boosted" }, { 2, "normal" }),
		      __entry->slice_ns, __entry->wait_ns)
);

/* The VP leaves its LP at the end of a slice. */
TRACE_EVENT(hvcore_preempt,
	    TP_PROTO(const struct hv_vp *vp, const struct hv_lp *lp, int act, u64 ran_ns),
	    TP_ARGS(vp, lp, act, ran_ns),
	    TP_STRUCT__entry(__field(u32, part)
			     __field(u32, vp)
			     __field(u32, lp)
			     __field(u32, why)
			     __field(u64, ran_ns)),
	    TP_fast_assign(__entry->part = vp->part->id;
			   __entry->vp = vp->index;
			   __entry->lp = lp->cpu;
			   __entry->why = hv_trace_why(vp, lp, act);
			   __entry->ran_ns = ran_ns;),
	    TP_printk("part %u vp %u lp %u %s after %llu ns",
		      __entry->part, __entry->vp, __entry->lp,
		      __print_symbolic(__entry->why,
				       { HV_TRACE_WHY_SLICE, "slice" },
				       { HV_TRACE_WHY_KICK, "kick" },
				       { HV_TRACE_WHY_RESCHED, "resched" },
				       { HV_TRACE_WHY_LP_OFF, "lp_off" },
				       { HV_TRACE_WHY_STATE, "state" },
				       { HV_TRACE_WHY_YIELD, "yield" }, { HV_TRACE_WHY_HLT, "hlt" },
				       { HV_TRACE_WHY_MESSAGE, "message" },
				       { HV_TRACE_WHY_STOPPED, "stopped" }), __entry->ran_ns)
);

/* @vp->msg was queued for the worker. */
TRACE_EVENT(hvcore_msg_send,
	    TP_PROTO(const struct hv_vp *vp),
	    TP_ARGS(vp),
	    TP_STRUCT__entry(__field(u32, part)
			     __field(u32, vp)
			     __field(u32, type)
			     __field(u32, flags)
			     __field(u64, seq)
			     __field(u64, rip)
			     __field(u64, addr)),
	    TP_fast_assign(__entry->part = vp->part->id;
			   __entry->vp = vp->index;
			   __entry->type = vp->msg.type;
			   __entry->flags = vp->msg.flags;
			   __entry->seq = vp->msg.seq;
			   __entry->rip = vp->msg.rip;
			   __entry->addr = hv_trace_msg_addr(&vp->msg);),
	    TP_printk("part %u vp %u seq %llu %s 0x%llx flags %s rip 0x%llx",
		      __entry->part, __entry->vp, __entry->seq,
		      __print_symbolic(__entry->type,
				       { HVCORE_MSG_IO, "io" }, { HVCORE_MSG_MMIO, "mmio" },
				       { HVCORE_MSG_CPUID, "cpuid" }, { HVCORE_MSG_MSR, "msr" },
				       { HVCORE_MSG_GUEST_LOG, "guest_log" }), __entry->addr,
		      __print_flags(__entry->flags, "|",
				    { HVCORE_MSG_F_COMPLETE, "complete" },
				    { HVCORE_MSG_F_WRITE, "write" },
				    { HVCORE_MSG_F_DECODED, "decoded" }),
		      __entry->rip)
);

/* The worker is done with @vp->msg: the VP may run again. */
TRACE_EVENT(hvcore_msg_complete,
	    TP_PROTO(const struct hv_vp *vp, u32 how),
	    TP_ARGS(vp, how),
	    TP_STRUCT__entry(__field(u32, part)
			     __field(u32, vp)
			     __field(u32, type)
			     __field(u32, how)
			     __field(u64, seq)),
	    TP_fast_assign(__entry->part = vp->part->id;
			   __entry->vp = vp->index;
			   __entry->type = vp->msg.type;
			   __entry->how = how;
			   __entry->seq = vp->msg.seq;),
	    TP_printk("part %u vp %u seq %llu %s %s",
		      __entry->part, __entry->vp, __entry->seq,
		      __print_symbolic(__entry->type,
				       { HVCORE_MSG_IO, "io" }, { HVCORE_MSG_MMIO, "mmio" },
				       { HVCORE_MSG_CPUID, "cpuid" }, { HVCORE_MSG_MSR, "msr" },
				       { HVCORE_MSG_GUEST_LOG, "guest_log" }),
		      __print_symbolic(__entry->how,
				       { HV_TRACE_DONE_COMPLETE, "complete" },
				       { HV_TRACE_DONE_GP, "gp" }, { HV_TRACE_DONE_READ, "read" }))
);

/*
 * A hypercall was served: RCX is as the guest gave it, RAX holds the
 * status. Reading both here keeps the caller from holding them for us.
 */
TRACE_EVENT(hvcore_hypercall,
	    TP_PROTO(const struct hv_vp *vp),
	    TP_ARGS(vp),
	    TP_STRUCT__entry(__field(u32, part)
			     __field(u32, vp)
			     __field(u16, code)
			     __field(u16, status)
			     __field(u16, reps)
			     __field(u8, fast)
			     __field(u64, rip)),
	    TP_fast_assign(__entry->part = vp->part->id;
			   __entry->vp = vp->index;
			   __entry->code = vp->gpr[HVCORE_RCX] & 0xffff;
			   __entry->fast = !!(vp->gpr[HVCORE_RCX] & BIT_ULL(16));
			   __entry->reps = (vp->gpr[HVCORE_RCX] >> 32) & 0xfff;
			   __entry->status = vp->gpr[HVCORE_RAX] & 0xffff;
			   __entry->rip = vp->rip;),
	    TP_printk("part %u vp %u code 0x%x %s reps %u status 0x%x rip 0x%llx",
		      __entry->part, __entry->vp, __entry->code,
		      __entry->fast ? "fast" : "slow", __entry->reps, __entry->status,
		      __entry->rip)
);

/* HVCORE_INJECT accepted an event; @state is the VP's before it wakes. */
TRACE_EVENT(hvcore_inject,
	    TP_PROTO(const struct hv_vp *vp, u32 type, u32 vector, bool has_err, u32 err),
	    TP_ARGS(vp, type, vector, has_err, err),
	    TP_STRUCT__entry(__field(u32, part)
			     __field(u32, vp)
			     __field(u32, type)
			     __field(u32, vector)
			     __field(u32, err)
			     __field(u32, state)
			     __field(u8, has_err)),
	    TP_fast_assign(__entry->part = vp->part->id;
			   __entry->vp = vp->index;
			   __entry->type = type;
			   __entry->vector = vector;
			   __entry->err = err;
			   __entry->has_err = has_err;
			   __entry->state = vp->state;),
	    TP_printk("part %u vp %u %s vector %u err %s0x%x vp %s",
		      __entry->part, __entry->vp,
		      __print_symbolic(__entry->type,
				       { HVCORE_INJECT_INTERRUPT, "interrupt" },
				       { HVCORE_INJECT_EXCEPTION, "exception" },
				       { HVCORE_INJECT_NMI, "nmi" }),
		      __entry->vector, __entry->has_err ? "" : "none ", __entry->err,
		      __print_symbolic(__entry->state,
				       { HVCORE_VP_OFF, "off" }, { HVCORE_VP_READY, "ready" },
				       { HVCORE_VP_RUNNING, "running" },
				       { HVCORE_VP_HALTED, "halted" },
				       { HVCORE_VP_WAITING, "waiting" },
				       { HVCORE_VP_PAUSED, "paused" }))
);

/* The backend took an event for delivery at the next entry. */
TRACE_EVENT(hvcore_deliver,
	    TP_PROTO(const struct hv_vp *vp, int type, u8 vector, bool has_err, u32 err),
	    TP_ARGS(vp, type, vector, has_err, err),
	    TP_STRUCT__entry(__field(u32, part)
			     __field(u32, vp)
			     __field(u32, type)
			     __field(u32, vector)
			     __field(u32, err)
			     __field(u8, has_err)
			     __field(u64, rip)),
	    TP_fast_assign(__entry->part = vp->part->id;
			   __entry->vp = vp->index;
			   __entry->type = type;
			   __entry->vector = vector;
			   __entry->err = err;
			   __entry->has_err = has_err;
			   __entry->rip = vp->rip;),
	    TP_printk("part %u vp %u %s vector %u err %s0x%x rip 0x%llx",
		      __entry->part, __entry->vp,
		      __print_symbolic(__entry->type,
				       { HV_EV_INTR, "interrupt" }, { HV_EV_NMI, "nmi" },
				       { HV_EV_EXCEPTION, "exception" }),
		      __entry->vector, __entry->has_err ? "" : "none ", __entry->err,
		      __entry->rip)
);

/* Nested page tables map [@gpa, @gpa + @size) to machine address @hpa. */
TRACE_EVENT(hvcore_map,
	    TP_PROTO(const struct hv_partition *p, u64 gpa, u64 size, u64 hpa),
	    TP_ARGS(p, gpa, size, hpa),
	    TP_STRUCT__entry(__field(u32, part)
			     __field(u64, gpa)
			     __field(u64, size)
			     __field(u64, hpa)),
	    TP_fast_assign(__entry->part = p->id;
			   __entry->gpa = gpa;
			   __entry->size = size;
			   __entry->hpa = hpa;),
	    TP_printk("part %u gpa 0x%llx size 0x%llx hpa 0x%llx",
		      __entry->part, __entry->gpa, __entry->size, __entry->hpa)
);

/* Every mapping of a partition's nested page tables goes (memory freed). */
TRACE_EVENT_CONDITION(hvcore_unmap,
		      TP_PROTO(const struct hv_npt *npt),
		      TP_ARGS(npt),
		      TP_CONDITION(npt->mapped_2m || npt->mapped_4k),
		      TP_STRUCT__entry(__field(u32, part)
				       __field(u64, size)
				       __field(u64, nr_2m)
				       __field(u64, nr_4k)),
		      TP_fast_assign(__entry->part =
					container_of(npt, struct hv_partition, npt)->id;
				     __entry->nr_2m = npt->mapped_2m;
				     __entry->nr_4k = npt->mapped_4k;
				     __entry->size = (u64)npt->mapped_2m * SZ_2M +
						     (u64)npt->mapped_4k * SZ_4K;),
		      TP_printk("part %u size 0x%llx (%llu x 2M, %llu x 4K)",
				__entry->part, __entry->size, __entry->nr_2m,
				__entry->nr_4k)
);

#endif /* _HVCORE_TRACE_H */

/* Out of tree: define_trace.h finds this file through CFLAGS_trace.o. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
