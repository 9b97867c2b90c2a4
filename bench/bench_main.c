// SPDX-License-Identifier: GPL-2.0
/*
 * hvcore bench: the driver both harnesses share.
 *
 *   kvm_bench|hv_bench [-n ROUNDS] [-w WARMUP] [cpuid|hypercall|io|hlt|EXTRA]...
 *
 * Prints TAP (one result per benchmark; "# SKIP" when the hypervisor
 * cannot run it yet) and, per benchmark that ran, a line
 *   BENCH <impl> <name> ns=<ns per round trip> rounds=<n>
 * The time is the host's CLOCK_MONOTONIC between the guest's START and
 * DONE exits, divided by the round trips between them. Benchmarks report;
 * they never judge a time. The EXTRA measurements (the scheduler rows,
 * struct bench_extra) follow, one TAP result each, with their own lines.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define DEFAULT_WARMUP	100

static __u64 schedstat_ns(const char *path)
{
	unsigned long long ns = 0;
	FILE *f = fopen(path, "re");

	if (f) {
		if (fscanf(f, "%llu", &ns) != 1)
			ns = 0;
		fclose(f);
	}
	return ns;
}

/*
 * /proc/schedstat, per CPU: "cpuN yld_count 0 sched_count sched_goidle
 * ttwu_count ttwu_local rq_cpu_time run_delay pcount". sched_goidle counts
 * only with kernel.sched_schedstats=1; rq_cpu_time is not used: it grows
 * only when a task leaves the CPU.
 */
static void cpu_stats(struct bench_snap *s)
{
	unsigned long long v[9];
	char line[512];
	FILE *f = fopen("/proc/schedstat", "re");

	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "cpu", 3) ||
		    sscanf(line, "%*s %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
			   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8]) != 9)
			continue;
		s->goidle += v[3];
	}
	if (f)
		fclose(f);
}

static int is_dispatcher(const char *pid)
{
	char path[300], comm[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/comm", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = 0;
	fclose(f);
	return !strncmp(comm, "hvcore/", 7);
}

static void snap_self(struct bench_snap *s)
{
	struct timespec ts;

	if (!clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts))
		s->self = (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Our own CPU time is read last at the start and first at the end: the
 * scan of /proc stays outside the interval.
 */
void bench_snap(struct bench_snap *s, int at_start)
{
	char path[300];
	struct dirent *d;
	DIR *dir;

	memset(s, 0, sizeof(*s));
	if (!at_start)
		snap_self(s);
	dir = opendir("/proc");
	while (dir && (d = readdir(dir))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9' || !is_dispatcher(d->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/schedstat", d->d_name);
		s->dispatchers += schedstat_ns(path);
	}
	if (dir)
		closedir(dir);
	cpu_stats(s);
	if (at_start)
		snap_self(s);
}

void bench_snap_note(const struct bench_snap *a, const struct bench_snap *b,
		     __u64 interval_ns, unsigned long rounds, char *note, size_t len)
{
	double disp = (double)(b->dispatchers - a->dispatchers) / rounds;
	double self = (double)(b->self - a->self) / rounds;
	size_t used = strlen(note);

	if (used >= len)
		return;
	snprintf(note + used, len - used,
		 "%sCPU per round trip (ns): dispatcher threads %.0f, this process %.0f, rest %.0f; the CPUs went idle %llu times",
		 used ? "; " : "", disp, self, (double)interval_ns / rounds - disp - self,
		 (unsigned long long)(b->goidle - a->goidle));
}

void bench_sleep_us(unsigned long us)
{
	struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

void bench_wake_report(const char *impl, const char *key, const char *what,
		       __u64 *lat, int n, double tsc_per_ns)
{
	double sum = 0, median;
	int i;

	if (n <= 0 || tsc_per_ns <= 0)
		return;
	qsort(lat, n, sizeof(lat[0]), cmp_u64);
	for (i = 0; i < n; i++)
		sum += lat[i];
	median = n % 2 ? lat[n / 2] : (lat[n / 2 - 1] + lat[n / 2]) / 2.0;
	printf("# %s %s (%s): %d wake-ups, median %.1f us, mean %.1f us", impl, key, what, n,
	       median / tsc_per_ns / 1000, sum / n / tsc_per_ns / 1000);
	printf(", min %.1f us, max %.1f us\n",
	       lat[0] / tsc_per_ns / 1000, lat[n - 1] / tsc_per_ns / 1000);
	printf("SCHED %s %s median_ns=%.0f mean_ns=%.0f n=%d\n", impl, key,
	       median / tsc_per_ns, sum / n / tsc_per_ns, n);
}

int bench_wake_series(const struct bench_waker *w, int n, __u64 *lat,
		      double *tsc_per_ns, char *why, size_t len)
{
	__u64 c0 = bench_tsc(), ns0 = bench_now_ns(), before, t0, seen;
	int i, tries, ret;

	for (i = 0; i < n; i++) {
		/* The phase against the host's tick moves from one to the next. */
		bench_sleep_us(1000 + (i * 370) % 1000);
		for (tries = 0; w->halted && (ret = w->halted(w->ctx)) != 1; tries++) {
			if (ret < 0 || tries == 1000) {
				snprintf(why, len, "wake-up %d: the VP %s", i,
					 ret < 0 ? "could not be looked at" : "never halted");
				return ret < 0 ? ret : -ETIMEDOUT;
			}
			bench_sleep_us(1000);
		}
		before = __atomic_load_n(w->count, __ATOMIC_ACQUIRE);
		t0 = bench_tsc();
		ret = w->inject(w->ctx);
		if (ret) {
			snprintf(why, len, "wake-up %d: inject: %s", i, strerror(-ret));
			return ret;
		}
		for (tries = 0; __atomic_load_n(w->count, __ATOMIC_ACQUIRE) == before; tries++) {
			if (tries == 4000) {
				snprintf(why, len, "wake-up %d never ran (2 s)", i);
				return -ETIMEDOUT;
			}
			bench_sleep_us(500);
		}
		seen = __atomic_load_n(w->tsc, __ATOMIC_ACQUIRE) - w->tsc_offset;
		if ((__s64)(seen - t0) < 0) {
			snprintf(why, len, "wake-up %d: the guest's TSC is %lld before the inject",
				 i, (long long)(t0 - seen));
			return -ERANGE;
		}
		lat[i] = seen - t0;
	}
	*tsc_per_ns = (double)(bench_tsc() - c0) / (bench_now_ns() - ns0);
	return 0;
}

static void print_usage(const struct bench_impl *impl, const char *prog)
{
	unsigned int i;

	fprintf(stderr, "usage: %s [-n ROUNDS] [-w WARMUP] [cpuid|hypercall|io|hlt", prog);
	for (i = 0; i < impl->nr_extras; i++)
		fprintf(stderr, "|%s", impl->extras[i].name);
	fprintf(stderr, "]...\n");
	exit(2);
}

static unsigned long count_arg(const struct bench_impl *impl, const char *prog,
			       const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || !v)
		print_usage(impl, prog);
	return v;
}

static int run_extra(const struct bench_impl *impl, const struct bench_extra *x,
		     int test)
{
	char why[200] = "";
	int ret = x->run(why, sizeof(why));

	if (ret == BENCH_SKIP)
		printf("ok %d %s %s # SKIP %s\n", test, impl->name, x->name, why);
	else if (ret)
		printf("not ok %d %s %s # %s\n", test, impl->name, x->name, why);
	else
		printf("ok %d %s %s\n", test, impl->name, x->name);
	return ret;
}

int bench_main(const struct bench_impl *impl, int argc, char **argv)
{
	unsigned long rounds = 0, warmup = DEFAULT_WARMUP;
	int selected[BENCH_NR + 16], nsel = 0, failed = 0, ran = 0;
	int nr_all = BENCH_NR + impl->nr_extras;
	char why[200] = "";
	int i, opt, ret, avail;

	while ((opt = getopt(argc, argv, "n:w:h")) != -1) {
		switch (opt) {
		case 'n':
			rounds = count_arg(impl, argv[0], optarg);
			break;
		case 'w':
			warmup = count_arg(impl, argv[0], optarg);
			break;
		default:
			print_usage(impl, argv[0]);
		}
	}
	if (nr_all > (int)ARRAY_SIZE(selected))
		nr_all = ARRAY_SIZE(selected);
	for (; optind < argc; optind++) {
		for (i = 0; i < nr_all; i++)
			if (!strcmp(argv[optind], i < BENCH_NR ? bench_guests[i].name :
				    impl->extras[i - BENCH_NR].name))
				break;
		if (i == nr_all || nsel == nr_all)
			print_usage(impl, argv[0]);
		selected[nsel++] = i;
	}
	if (!nsel)
		for (i = 0; i < nr_all; i++)
			selected[nsel++] = i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..%d\n", nsel);
	avail = impl->init(why, sizeof(why));
	for (i = 0; i < nsel; i++) {
		const struct bench_guest *g;
		unsigned long n;
		struct bench_run run = { 0 };
		double ns;

		if (avail) {
			printf("%s %d %s %s # %s%s\n", avail < 0 ? "not ok" : "ok", i + 1,
			       impl->name, selected[i] < BENCH_NR ?
			       bench_guests[selected[i]].name :
			       impl->extras[selected[i] - BENCH_NR].name,
			       avail < 0 ? "" : "SKIP ", why);
			failed += avail < 0;
			continue;
		}
		if (selected[i] >= BENCH_NR) {
			ret = run_extra(impl, &impl->extras[selected[i] - BENCH_NR], i + 1);
			failed += ret < 0;
			ran += !ret;
			continue;
		}
		g = &bench_guests[selected[i]];
		n = rounds ? rounds : g->rounds;
		ret = impl->run(g, warmup, n, &run);
		if (!ret && impl->check)
			ret = impl->check(g, run.done_eax, run.why, sizeof(run.why));
		if (ret == BENCH_SKIP) {
			printf("ok %d %s %s # SKIP %s\n", i + 1, impl->name, g->name, run.why);
			continue;
		}
		if (ret) {
			printf("not ok %d %s %s # %s\n", i + 1, impl->name, g->name, run.why);
			failed++;
			continue;
		}
		ns = (double)(run.t_done - run.t_start) / n;
		printf("# %s %s (%s): %lu round trips in %llu ns, last EAX 0x%x\n",
		       impl->name, g->name, g->what, n,
		       (unsigned long long)(run.t_done - run.t_start),
		       run.done_eax);
		if (run.note[0])
			printf("# %s %s: %s\n", impl->name, g->name, run.note);
		printf("BENCH %s %s ns=%.1f rounds=%lu\n", impl->name, g->name, ns, n);
		printf("ok %d %s %s\n", i + 1, impl->name, g->name);
		ran++;
	}
	if (failed)
		return 1;
	return ran ? 0 : 4;	/* 4: kselftest's "skip" */
}
