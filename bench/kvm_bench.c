// SPDX-License-Identifier: GPL-2.0
/*
 * hvcore bench: the same guests under KVM, through /dev/kvm
 * (Documentation/virt/kvm/api.rst in Linux). One VM with one vCPU per
 * benchmark, no in-kernel irqchip: HLT then exits to user space
 * (KVM_EXIT_HLT), which injects the wake-up with KVM_INTERRUPT.
 *
 * Then wake-to-run, the counterpart of hv_bench's: a VM with KVM's
 * in-kernel irqchip, whose vCPU thread blocks in KVM_RUN while the guest
 * halts (guests/wake.S, x2APIC on); the main thread sends the interrupt
 * with KVM_SIGNAL_MSI and sleeps; the guest writes its TSC when it runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

#define KVM_ENOSYS	1000	/* KVM's hypercall "no such call" */

static int kvm_fd = -1;

static int fail(struct bench_run *run, const char *what)
{
	int err = errno;

	snprintf(run->why, sizeof(run->why), "%s: %s", what, strerror(err));
	return -err;
}

static void to_kvm_seg(struct kvm_segment *k, const struct bench_seg *s)
{
	memset(k, 0, sizeof(*k));
	k->base = s->base;
	k->limit = s->limit;
	k->selector = s->selector;
	k->type = s->type;
	k->present = s->present;
	k->dpl = s->dpl;
	k->db = s->db;
	k->s = s->s;
	k->l = s->l;
	k->g = s->g;
	k->unusable = s->unusable;
}

static int set_cpu(int vcpu, unsigned long warmup, unsigned long rounds,
		   struct bench_run *run)
{
	struct bench_cpu cpu;
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	guest_cpu(&cpu, warmup, rounds);
	if (ioctl(vcpu, KVM_GET_SREGS, &sregs))
		return fail(run, "KVM_GET_SREGS");
	to_kvm_seg(&sregs.cs, &cpu.cs);
	to_kvm_seg(&sregs.ds, &cpu.data);
	to_kvm_seg(&sregs.es, &cpu.data);
	to_kvm_seg(&sregs.fs, &cpu.data);
	to_kvm_seg(&sregs.gs, &cpu.data);
	to_kvm_seg(&sregs.ss, &cpu.data);
	to_kvm_seg(&sregs.tr, &cpu.tr);
	to_kvm_seg(&sregs.ldt, &cpu.ldt);
	sregs.gdt.base = cpu.gdt_base;
	sregs.gdt.limit = cpu.gdt_limit;
	sregs.idt.base = cpu.idt_base;
	sregs.idt.limit = cpu.idt_limit;
	sregs.cr0 = cpu.cr0;
	sregs.cr3 = cpu.cr3;
	sregs.cr4 = cpu.cr4;
	sregs.efer = cpu.efer;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs))
		return fail(run, "KVM_SET_SREGS");

	memset(&regs, 0, sizeof(regs));
	regs.rip = cpu.rip;
	regs.rsp = cpu.rsp;
	regs.rflags = cpu.rflags;
	regs.r14 = cpu.r14;
	regs.r15 = cpu.r15;
	if (ioctl(vcpu, KVM_SET_REGS, &regs))
		return fail(run, "KVM_SET_REGS");
	return 0;
}

/* The host's CPUID as KVM supports it: long mode needs X86_FEATURE_LM. */
static int set_cpuid(int vcpu, struct bench_run *run)
{
	struct kvm_cpuid2 *cpuid;
	int nent = 64, ret;

	for (;;) {
		cpuid = calloc(1, sizeof(*cpuid) + nent * sizeof(cpuid->entries[0]));
		if (!cpuid)
			return fail(run, "calloc");
		cpuid->nent = nent;
		if (!ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid))
			break;
		ret = errno;
		free(cpuid);
		if (ret != E2BIG || nent > 4096) {
			errno = ret;
			return fail(run, "KVM_GET_SUPPORTED_CPUID");
		}
		nent *= 2;
	}
	ret = ioctl(vcpu, KVM_SET_CPUID2, cpuid) ? fail(run, "KVM_SET_CPUID2") : 0;
	free(cpuid);
	return ret;
}

static int run_loop(int vcpu, struct kvm_run *kr, unsigned long rounds,
		    struct bench_run *run)
{
	struct kvm_interrupt irq = { .irq = BENCH_VECTOR };
	struct bench_snap snap_start, snap_done;

	for (;;) {
		if (ioctl(vcpu, KVM_RUN, 0)) {
			if (errno == EINTR)
				continue;
			return fail(run, "KVM_RUN");
		}
		switch (kr->exit_reason) {
		case KVM_EXIT_IO:
			switch (kr->io.port) {
			case BENCH_PORT_START:
				bench_snap(&snap_start, 1);
				run->t_start = bench_now_ns();
				break;
			case BENCH_PORT_IO:
				break;
			case BENCH_PORT_DONE:
				run->t_done = bench_now_ns();
				bench_snap(&snap_done, 0);
				memcpy(&run->done_eax, (char *)kr + kr->io.data_offset,
				       sizeof(run->done_eax));
				bench_snap_note(&snap_start, &snap_done,
						run->t_done - run->t_start, rounds,
						run->note, sizeof(run->note));
				return 0;
			default:
				snprintf(run->why, sizeof(run->why),
					 "guest wrote port 0x%x (0x%x: exception)",
					 kr->io.port, BENCH_PORT_FAULT);
				return -EIO;
			}
			break;
		case KVM_EXIT_HLT:
			/*
			 * RIP is past the HLT and IF is set: KVM delivers
			 * the interrupt at the next entry.
			 */
			if (ioctl(vcpu, KVM_INTERRUPT, &irq))
				return fail(run, "KVM_INTERRUPT");
			break;
		default:
			snprintf(run->why, sizeof(run->why), "unexpected exit reason %u",
				 kr->exit_reason);
			return -EIO;
		}
	}
}

static int kvm_run_bench(const struct bench_guest *g, unsigned long warmup,
			 unsigned long rounds, struct bench_run *run)
{
	struct kvm_userspace_memory_region region = { 0 };
	int vm = -1, vcpu = -1, ret;
	struct kvm_run *kr = MAP_FAILED;
	void *mem = MAP_FAILED;
	long run_size;

	vm = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	if (vm < 0)
		return fail(run, "KVM_CREATE_VM");
	mem = mmap(NULL, GUEST_MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED) {
		ret = fail(run, "mmap guest memory");
		goto out;
	}
	guest_build(mem, g);
	region.slot = 0;
	region.guest_phys_addr = 0;
	region.memory_size = GUEST_MEM_SIZE;
	region.userspace_addr = (unsigned long)mem;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region)) {
		ret = fail(run, "KVM_SET_USER_MEMORY_REGION");
		goto out;
	}
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0) {
		ret = fail(run, "KVM_CREATE_VCPU");
		goto out;
	}
	run_size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size < (long)sizeof(*kr)) {
		ret = fail(run, "KVM_GET_VCPU_MMAP_SIZE");
		goto out;
	}
	kr = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (kr == MAP_FAILED) {
		ret = fail(run, "mmap kvm_run");
		goto out;
	}
	ret = set_cpuid(vcpu, run);
	if (!ret)
		ret = set_cpu(vcpu, warmup, rounds, run);
	if (!ret)
		ret = run_loop(vcpu, kr, rounds, run);
	munmap(kr, run_size);
out:
	if (vcpu >= 0)
		close(vcpu);
	close(vm);
	if (mem != MAP_FAILED)
		munmap(mem, GUEST_MEM_SIZE);
	return ret;
}

static int kvm_init(char *why, size_t len)
{
	int version;

	kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm_fd < 0) {
		snprintf(why, len, "/dev/kvm: %s (kvm_amd or kvm_intel not loaded?)",
			 strerror(errno));
		return BENCH_SKIP;
	}
	version = ioctl(kvm_fd, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION) {
		snprintf(why, len, "KVM_GET_API_VERSION gave %d, want %d", version,
			 KVM_API_VERSION);
		return -EINVAL;
	}
	return 0;
}

static int kvm_check(const struct bench_guest *g, __u32 eax, char *why, size_t len)
{
	if (g != &bench_guests[BENCH_HYPERCALL] || eax == (__u32)-KVM_ENOSYS)
		return 0;
	snprintf(why, len, "VMMCALL returned 0x%x, want -KVM_ENOSYS", eax);
	return -EIO;
}

#define WAKE_N		200		/* wake-ups, as in hv_bench */

struct kvm_waker {
	int vm, vcpu;
	struct kvm_run *kr;
	atomic_int done;	/* the vCPU thread returned */
	int err;		/* its -errno */
	char why[200];
};

static int kvm_wake_inject(void *ctx)
{
	struct kvm_waker *k = ctx;
	/* Fixed, edge, physical destination APIC ID 0 (x2APIC ID = vCPU 0). */
	struct kvm_msi msi = { .address_lo = 0xfee00000, .data = BENCH_VECTOR };

	return ioctl(k->vm, KVM_SIGNAL_MSI, &msi) < 0 ? -errno : 0;
}

static void wake_signal(int sig)
{
}

/* HLT and the x2APIC MSRs stay in the kernel; DONE ends the thread. */
static void *kvm_wake_vcpu(void *arg)
{
	struct kvm_waker *k = arg;
	struct bench_run run = { 0 };

	for (;;) {
		if (ioctl(k->vcpu, KVM_RUN, 0)) {
			if (errno == EINTR && !atomic_load(&k->done))
				continue;
			k->err = fail(&run, "KVM_RUN");
			break;
		}
		if (k->kr->exit_reason == KVM_EXIT_IO && k->kr->io.port == BENCH_PORT_DONE)
			break;
		snprintf(run.why, sizeof(run.why), "unexpected exit reason %u (port 0x%x)",
			 k->kr->exit_reason, k->kr->io.port);
		k->err = -EIO;
		break;
	}
	snprintf(k->why, sizeof(k->why), "%s", run.why);
	atomic_store(&k->done, 1);
	return NULL;
}

static int kvm_wake_run(struct kvm_waker *k, void *mem, char *why, size_t len)
{
	static __u64 lat[WAKE_N];
	struct kvm_device_attr attr = {
		.group = KVM_VCPU_TSC_CTRL, .attr = KVM_VCPU_TSC_OFFSET,
	};
	struct bench_waker w = {
		.count = (const __u64 *)((char *)mem + GUEST_WAKE_COUNT),
		.tsc = (const __u64 *)((char *)mem + GUEST_WAKE_TSC),
		.inject = kvm_wake_inject, .ctx = k,
	};
	__u64 offset = 0, offset_end;
	double tsc_per_ns;
	pthread_t thread;
	int ret, i;

	/*
	 * Guest TSC = host TSC: offset 0. Set and read back before the vCPU
	 * thread starts, and checked after it ended: a vCPU ioctl waits for
	 * KVM_RUN to return, and KVM_RUN does not while the guest halts.
	 */
	attr.addr = (unsigned long)&offset;
	if (ioctl(k->vcpu, KVM_SET_DEVICE_ATTR, &attr) ||
	    ioctl(k->vcpu, KVM_GET_DEVICE_ATTR, &attr)) {
		snprintf(why, len, "KVM_{SET,GET}_DEVICE_ATTR(KVM_VCPU_TSC_OFFSET): %s",
			 strerror(errno));
		return -errno;
	}
	w.tsc_offset = offset;
	ret = pthread_create(&thread, NULL, kvm_wake_vcpu, k);
	if (ret) {
		snprintf(why, len, "pthread_create: %s", strerror(ret));
		return -ret;
	}
	/* The guest turns its x2APIC on and halts. */
	bench_sleep_us(20000);
	if (atomic_load(&k->done)) {
		snprintf(why, len, "%s", k->why);
		ret = k->err ?: -EIO;
	}
	if (!ret)
		ret = bench_wake_series(&w, WAKE_N, lat, &tsc_per_ns, why, len);
	/* Stop: the next wake-up writes DONE. */
	__atomic_store_n((__u64 *)((char *)mem + GUEST_WAKE_STOP), 1, __ATOMIC_RELEASE);
	kvm_wake_inject(k);
	for (i = 0; i < 200 && !atomic_load(&k->done); i++)
		bench_sleep_us(10000);
	if (!atomic_load(&k->done)) {
		atomic_store(&k->done, 1);
		pthread_kill(thread, SIGUSR1);
	}
	pthread_join(thread, NULL);
	if (!ret && k->err) {
		snprintf(why, len, "%s", k->why);
		ret = k->err;
	}
	attr.addr = (unsigned long)&offset_end;
	if (!ret && (ioctl(k->vcpu, KVM_GET_DEVICE_ATTR, &attr) || offset_end != offset)) {
		snprintf(why, len, "the guest's TSC offset moved during the series");
		ret = -ERANGE;
	}
	if (!ret)
		bench_wake_report("kvm", "wake",
				  "idle CPU, in-kernel irqchip, KVM_SIGNAL_MSI from another thread",
				  lat, WAKE_N, tsc_per_ns);
	return ret;
}

static int kvm_wake(char *why, size_t len)
{
	struct kvm_userspace_memory_region region = { 0 };
	struct kvm_waker k = { .vcpu = -1 };
	struct sigaction sa = { .sa_handler = wake_signal };
	struct bench_run run = { 0 };
	void *mem = MAP_FAILED;
	long run_size = 0;
	int ret;

	sigaction(SIGUSR1, &sa, NULL);
	k.kr = MAP_FAILED;
	k.vm = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	if (k.vm < 0)
		return fail(&run, "KVM_CREATE_VM") ?: -EIO;
	if (ioctl(k.vm, KVM_CHECK_EXTENSION, KVM_CAP_SIGNAL_MSI) <= 0) {
		snprintf(why, len, "no KVM_CAP_SIGNAL_MSI");
		ret = BENCH_SKIP;
		goto out;
	}
	ret = ioctl(k.vm, KVM_CREATE_IRQCHIP, 0) ? fail(&run, "KVM_CREATE_IRQCHIP") : 0;
	mem = mmap(NULL, GUEST_MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (!ret && mem == MAP_FAILED)
		ret = fail(&run, "mmap guest memory");
	if (ret)
		goto out;
	guest_build(mem, &bench_wake);
	*(__u64 *)((char *)mem + GUEST_WAKE_X2APIC) = 1;
	region.memory_size = GUEST_MEM_SIZE;
	region.userspace_addr = (unsigned long)mem;
	if (ioctl(k.vm, KVM_SET_USER_MEMORY_REGION, &region)) {
		ret = fail(&run, "KVM_SET_USER_MEMORY_REGION");
		goto out;
	}
	k.vcpu = ioctl(k.vm, KVM_CREATE_VCPU, 0);
	if (k.vcpu < 0) {
		ret = fail(&run, "KVM_CREATE_VCPU");
		goto out;
	}
	run_size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size < (long)sizeof(*k.kr)) {
		ret = fail(&run, "KVM_GET_VCPU_MMAP_SIZE");
		goto out;
	}
	k.kr = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, k.vcpu, 0);
	if (k.kr == MAP_FAILED) {
		ret = fail(&run, "mmap kvm_run");
		goto out;
	}
	ret = set_cpuid(k.vcpu, &run);
	if (!ret)
		ret = set_cpu(k.vcpu, 1, 1, &run);
	if (!ret)
		ret = kvm_wake_run(&k, mem, why, len);
out:
	if (run.why[0])
		snprintf(why, len, "%s", run.why);
	if (k.kr != MAP_FAILED)
		munmap(k.kr, run_size);
	if (k.vcpu >= 0)
		close(k.vcpu);
	close(k.vm);
	if (mem != MAP_FAILED)
		munmap(mem, GUEST_MEM_SIZE);
	return ret;
}

static const struct bench_extra kvm_extras[] = {
	{ "wake", kvm_wake },
};

static const struct bench_impl kvm_impl = {
	.name = "kvm",
	.init = kvm_init,
	.run = kvm_run_bench,
	.check = kvm_check,
	.extras = kvm_extras,
	.nr_extras = ARRAY_SIZE(kvm_extras),
};

int main(int argc, char **argv)
{
	return bench_main(&kvm_impl, argc, argv);
}
