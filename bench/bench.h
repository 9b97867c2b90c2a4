/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvcore bench: what kvm_bench and hv_bench share. guest_setup.c builds
 * the guest (memory image and register state, in neutral form that each
 * harness converts to its ABI); bench_main.c runs the benchmarks and
 * prints TAP and one "BENCH <impl> <name> ns=<per round trip>" line each.
 */
#ifndef HVBENCH_BENCH_H
#define HVBENCH_BENCH_H

#include <linux/types.h>
#include <stddef.h>
#include <time.h>

#include "guests/guest.h"

#define BIT_ULL(n)	(1ULL << (n))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

enum { BENCH_CPUID, BENCH_HYPERCALL, BENCH_IO, BENCH_HLT, BENCH_NR };

struct bench_guest {
	const char *name;		/* cpuid, hypercall, io, hlt */
	const char *what;		/* for people */
	const unsigned char *start;	/* the program, position independent */
	const unsigned char *end;
	unsigned long rounds;		/* default measured round trips */
};

extern const struct bench_guest bench_guests[BENCH_NR];
/* The scheduler rows' guests (guests/spin.S, guests/wake.S). */
extern const struct bench_guest bench_spin, bench_wake;

/* A segment register as both ABIs describe it. */
struct bench_seg {
	__u64 base;
	__u32 limit;
	__u16 selector;
	__u8 type, s, dpl, present, l, db, g, unusable;
};

/* The VP's state at entry; everything else stays at reset values. */
struct bench_cpu {
	__u64 rip, rsp, rflags;
	__u64 r14, r15;		/* warm-up and measured round trips */
	__u64 cr0, cr3, cr4, efer;
	struct bench_seg cs, data, tr, ldt;	/* data: DS, ES, FS, GS, SS */
	__u64 gdt_base, idt_base;
	__u16 gdt_limit, idt_limit;
};

/*
 * Write page tables, GDT, IDT, TSS and @g's program into @mem, which
 * holds GUEST_MEM_SIZE bytes (zeroed here first).
 */
void guest_build(void *mem, const struct bench_guest *g);

/* 64-bit long mode, CPL 0, interrupts off, entering the program. */
void guest_cpu(struct bench_cpu *cpu, unsigned long warmup, unsigned long rounds);

/*
 * What one run observed: host CLOCK_MONOTONIC at the START and DONE
 * exits, and EAX as written to BENCH_PORT_DONE.
 */
struct bench_run {
	__u64 t_start, t_done;
	__u32 done_eax;
	char why[200];			/* failure or skip reason */
	char note[400];			/* what else the hypervisor counted */
};

/*
 * Where the CPU time went, from the scheduler's own account: hvcore's
 * dispatcher threads ("hvcore/N", /proc/<tid>/schedstat) and all threads
 * of this process (CLOCK_PROCESS_CPUTIME_ID), in nanoseconds on a CPU;
 * and how long and how often the CPUs had nothing to run.
 */
struct bench_snap {
	__u64 dispatchers, self;
	__u64 goidle;		/* all CPUs: times schedule() picked idle */
};

void bench_snap(struct bench_snap *s, int at_start);
/* Append "; CPU per round trip: ..." for the interval @a..@b to @note. */
void bench_snap_note(const struct bench_snap *a, const struct bench_snap *b,
		     __u64 interval_ns, unsigned long rounds, char *note, size_t len);

#define BENCH_SKIP	1		/* a run() result: not available here */

/*
 * A measurement that is not a round trip between START and DONE (the
 * scheduler rows): one TAP result of its own. It prints "# " lines and
 * "SCHED <impl> <key> <value>..." lines for bench.sh's table, and returns
 * 0, BENCH_SKIP or -errno with @why filled in.
 */
struct bench_extra {
	const char *name;
	int (*run)(char *why, size_t len);
};

struct bench_impl {
	const char *name;
	/* 0, BENCH_SKIP (nothing runs; why says so) or -errno */
	int (*init)(char *why, size_t len);
	/* 0, BENCH_SKIP or -errno, with @run->why filled in */
	int (*run)(const struct bench_guest *g, unsigned long warmup,
		   unsigned long rounds, struct bench_run *run);
	/* EAX the last hypercall must return, or 0 if it does not matter */
	int (*check)(const struct bench_guest *g, __u32 eax, char *why, size_t len);
	const struct bench_extra *extras;	/* run after the guests */
	unsigned int nr_extras;
};

static inline __u64 bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline __u64 bench_tsc(void)
{
	__u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (__u64)hi << 32 | lo;
}

/* Sleep @us microseconds (the bench process is asleep while it waits). */
void bench_sleep_us(unsigned long us);

/*
 * Wake-to-run figures: @lat holds @n latencies in TSC ticks (sorted
 * here), @tsc_per_ns the TSC's rate against CLOCK_MONOTONIC. Prints a
 * "# " line and "SCHED <impl> <key> median_ns=M mean_ns=A n=N".
 */
void bench_wake_report(const char *impl, const char *key, const char *what,
		       __u64 *lat, int n, double tsc_per_ns);

/*
 * A VP halted in the wake guest (guests/wake.S), seen through its memory:
 * @count and @tsc are GUEST_WAKE_COUNT and GUEST_WAKE_TSC in the host's
 * mapping, @tsc_offset the guest's TSC less the host's. @inject sends one
 * interrupt (-errno on failure); @halted, if set, says whether the VP
 * waits in HLT now (1), not yet (0) or -errno.
 */
struct bench_waker {
	const __u64 *count, *tsc;	/* read with __atomic_load_n() */
	__s64 tsc_offset;
	int (*inject)(void *ctx);
	int (*halted)(void *ctx);
	void *ctx;
};

/*
 * @n wake-ups of @w's VP, each on an idle CPU: sleep 1 to 2 ms, read the
 * host's TSC, inject, sleep until the guest counted the wake-up. @lat[i]
 * gets guest TSC at the wake-up less host TSC before the inject (less
 * the offset); @tsc_per_ns the TSC's rate against CLOCK_MONOTONIC over
 * the series. 0 or -errno with @why filled in.
 */
int bench_wake_series(const struct bench_waker *w, int n, __u64 *lat,
		      double *tsc_per_ns, char *why, size_t len);

/* main() of both programs. */
int bench_main(const struct bench_impl *impl, int argc, char **argv);

#endif /* HVBENCH_BENCH_H */
