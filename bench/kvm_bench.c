// SPDX-License-Identifier: GPL-2.0
/*
 * hvcore bench: the same guests under KVM, through /dev/kvm
 * (Documentation/virt/kvm/api.rst in Linux). One VM with one vCPU per
 * benchmark, no in-kernel irqchip: HLT then exits to user space
 * (KVM_EXIT_HLT), which injects the wake-up with KVM_INTERRUPT.
 */
#include <errno.h>
#include <fcntl.h>
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

static const struct bench_impl kvm_impl = {
	.name = "kvm",
	.init = kvm_init,
	.run = kvm_run_bench,
	.check = kvm_check,
};

int main(int argc, char **argv)
{
	return bench_main(&kvm_impl, argc, argv);
}
