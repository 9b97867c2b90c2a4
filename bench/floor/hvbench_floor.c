// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
/*
 * hvbench_floor: the floor of hvcore's benchmarks. On load it turns SVM
 * on for the CPU it runs on, runs a guest that does nothing but CPUID in
 * a loop, and times VMRUN -> #VMEXIT(CPUID) -> RIP += 2 -> VMRUN round
 * trips with interrupts off: the least any hypervisor can spend on an
 * exit on this machine. It prints the figure and refuses to stay loaded
 * (-EAGAIN), so it never needs unloading. It refuses at once (-EBUSY)
 * when EFER.SVME is already set: hvcore or kvm holds SVM on this CPU.
 *
 * Facts from the AMD64 Architecture Programmer's Manual, vol. 2:
 * 15.4 (enabling SVM, VM_CR.SVMDIS), 15.5 (VMRUN, VM_HSAVE_PA, the
 * consistency checks), 15.6 (#VMEXIT, GIF), 15.9-15.13 (intercepts),
 * 15.16 (TLB control, ASIDs) and appendix B (VMCB layout).
 *
 * The guest runs in 32-bit protected mode with paging off and nested
 * paging off, so it fetches its two instructions straight from the page
 * that holds them (below 4 GiB): no page tables to build.
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/irqflags.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/preempt.h>
#include <linux/smp.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/msr-index.h>

static unsigned int rounds = 100000;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "measured round trips (default 100000)");

#define WARMUP_ROUNDS	100

/* VMCB control area (appendix B, table B-1): byte offsets */
#define VMCB_INTERCEPT_CR	0x000
#define VMCB_INTERCEPT_EXC	0x008
#define VMCB_INTERCEPT_MISC1	0x00c
#define VMCB_INTERCEPT_MISC2	0x010
#define VMCB_ASID		0x058
#define VMCB_TLB_CONTROL	0x05c
#define VMCB_INT_CTL		0x060
#define VMCB_EXITCODE		0x070

/* VMCB state save area (appendix B, table B-2) */
#define VMCB_ES			0x400
#define VMCB_CS			0x410
#define VMCB_SS			0x420
#define VMCB_DS			0x430
#define VMCB_FS			0x440
#define VMCB_GS			0x450
#define VMCB_GDTR		0x460
#define VMCB_LDTR		0x470
#define VMCB_IDTR		0x480
#define VMCB_TR			0x490
#define VMCB_CPL		0x4cb
#define VMCB_EFER		0x4d0
#define VMCB_CR4		0x548
#define VMCB_CR3		0x550
#define VMCB_CR0		0x558
#define VMCB_DR7		0x560
#define VMCB_DR6		0x568
#define VMCB_RFLAGS		0x570
#define VMCB_RIP		0x578
#define VMCB_RSP		0x5d8
#define VMCB_RAX		0x5f8

/* A segment in the save area: selector, attributes, limit, base. */
#define SEG_SELECTOR		0
#define SEG_ATTRIB		2
#define SEG_LIMIT		4
#define SEG_BASE		8

/* Attributes: type[3:0] S[4] DPL[6:5] P[7] AVL[8] L[9] DB[10] G[11] */
#define ATTR_CODE32		0xc9b	/* execute/read accessed, S, P, DB, G */
#define ATTR_DATA32		0xc93	/* read/write accessed, S, P, DB, G */
#define ATTR_TSS32_BUSY		0x08b
#define ATTR_LDT		0x082

/* Intercept bits */
#define MISC1_INTR		BIT(0)
#define MISC1_NMI		BIT(1)
#define MISC1_SMI		BIT(2)
#define MISC1_INIT		BIT(3)
#define MISC1_CPUID		BIT(18)
#define MISC1_HLT		BIT(24)
#define MISC1_SHUTDOWN		BIT(31)
#define MISC2_VMRUN		BIT(0)	/* must be set, or VMRUN fails */
#define MISC2_VMMCALL		BIT(1)
#define MISC2_VMLOAD		BIT(2)
#define MISC2_VMSAVE		BIT(3)
#define MISC2_STGI		BIT(4)
#define MISC2_CLGI		BIT(5)
#define MISC2_SKINIT		BIT(6)

#define TLB_CONTROL_FLUSH_ALL	1
#define VM_CR_SVMDIS		BIT_ULL(4)	/* MSR VM_CR: firmware disabled SVM */
#define INT_CTL_V_INTR_MASKING	BIT(24)	/* host RFLAGS.IF masks physical interrupts */

/* #VMEXIT codes (appendix C) */
#define EXIT_INTR		0x060
#define EXIT_NMI		0x061
#define EXIT_SMI		0x062
#define EXIT_CPUID		0x072
#define EXIT_INVALID		((u64)-1)

#define GUEST_CR0		(X86_CR0_PE | X86_CR0_ET)
#define GUEST_RFLAGS		0x2	/* IF = 0 */
#define GUEST_DR6		0xffff0ff0
#define GUEST_DR7		0x400
#define CPUID_INSN_LEN		2

/* The guest program: 1: cpuid; jmp 1b */
static const u8 guest_code[] = { 0x0f, 0xa2, 0xeb, 0xfc };

static void vmcb_w16(void *vmcb, unsigned int off, u16 v)
{
	*(u16 *)(vmcb + off) = v;
}

static void vmcb_w32(void *vmcb, unsigned int off, u32 v)
{
	*(u32 *)(vmcb + off) = v;
}

static void vmcb_w64(void *vmcb, unsigned int off, u64 v)
{
	*(u64 *)(vmcb + off) = v;
}

static u64 vmcb_r64(void *vmcb, unsigned int off)
{
	return *(u64 *)(vmcb + off);
}

static void vmcb_seg(void *vmcb, unsigned int off, u16 sel, u16 attr, u32 limit)
{
	vmcb_w16(vmcb, off + SEG_SELECTOR, sel);
	vmcb_w16(vmcb, off + SEG_ATTRIB, attr);
	vmcb_w32(vmcb, off + SEG_LIMIT, limit);
	vmcb_w64(vmcb, off + SEG_BASE, 0);
}

static void vmcb_init(void *vmcb, u64 guest_pa)
{
	static const unsigned int data_segs[] = {
		VMCB_ES, VMCB_SS, VMCB_DS, VMCB_FS, VMCB_GS,
	};
	unsigned int i;

	vmcb_w32(vmcb, VMCB_INTERCEPT_EXC, 0xffffffff);
	vmcb_w32(vmcb, VMCB_INTERCEPT_MISC1, MISC1_INTR | MISC1_NMI | MISC1_SMI |
		 MISC1_INIT | MISC1_CPUID | MISC1_HLT | MISC1_SHUTDOWN);
	vmcb_w32(vmcb, VMCB_INTERCEPT_MISC2, MISC2_VMRUN | MISC2_VMMCALL |
		 MISC2_VMLOAD | MISC2_VMSAVE | MISC2_STGI | MISC2_CLGI |
		 MISC2_SKINIT);
	vmcb_w32(vmcb, VMCB_ASID, 1);
	vmcb_w32(vmcb, VMCB_INT_CTL, INT_CTL_V_INTR_MASKING);

	vmcb_seg(vmcb, VMCB_CS, 0x08, ATTR_CODE32, 0xffffffff);
	for (i = 0; i < ARRAY_SIZE(data_segs); i++)
		vmcb_seg(vmcb, data_segs[i], 0x10, ATTR_DATA32, 0xffffffff);
	vmcb_seg(vmcb, VMCB_TR, 0x18, ATTR_TSS32_BUSY, 0x67);
	vmcb_seg(vmcb, VMCB_LDTR, 0, ATTR_LDT, 0);
	vmcb_seg(vmcb, VMCB_GDTR, 0, 0, 0);
	vmcb_seg(vmcb, VMCB_IDTR, 0, 0, 0);
	*(u8 *)(vmcb + VMCB_CPL) = 0;
	vmcb_w64(vmcb, VMCB_EFER, EFER_SVME);	/* required in the guest too */
	vmcb_w64(vmcb, VMCB_CR0, GUEST_CR0);
	vmcb_w64(vmcb, VMCB_CR3, 0);
	vmcb_w64(vmcb, VMCB_CR4, 0);
	vmcb_w64(vmcb, VMCB_DR6, GUEST_DR6);
	vmcb_w64(vmcb, VMCB_DR7, GUEST_DR7);
	vmcb_w64(vmcb, VMCB_RFLAGS, GUEST_RFLAGS);
	vmcb_w64(vmcb, VMCB_RIP, guest_pa);
	vmcb_w64(vmcb, VMCB_RSP, 0);
	vmcb_w64(vmcb, VMCB_RAX, 0);
}

/*
 * One world switch. VMRUN saves the host's RAX, RSP, RIP, RFLAGS,
 * segments and control registers in the host save area and #VMEXIT
 * restores them; the other general-purpose registers keep what the guest
 * left in them (here: what they held before, since the guest's only
 * instructions are an intercepted CPUID and a jump), so they are listed
 * as clobbered all the same. RBP is untouched. FS, GS, TR, LDTR and the
 * syscall MSRs are neither loaded nor saved without VMLOAD/VMSAVE: the
 * guest never uses them, so the host's stay in place.
 */
static __always_inline void floor_vmrun(unsigned long vmcb_pa)
{
	asm volatile("vmrun %%rax"
		     : "+a" (vmcb_pa)
		     :
		     : "memory", "cc", "rbx", "rcx", "rdx", "rsi", "rdi",
		       "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15");
}

/*
 * Run @n CPUID round trips; the first exit that is not CPUID (nor a
 * physical interrupt, NMI or SMI, which are simply resumed) ends it.
 */
static u64 floor_loop(void *vmcb, unsigned long vmcb_pa, unsigned int n)
{
	u64 code = EXIT_CPUID;

	while (n) {
		floor_vmrun(vmcb_pa);
		vmcb_w32(vmcb, VMCB_TLB_CONTROL, 0);
		code = vmcb_r64(vmcb, VMCB_EXITCODE);
		if (code == EXIT_CPUID) {
			vmcb_w64(vmcb, VMCB_RIP,
				 vmcb_r64(vmcb, VMCB_RIP) + CPUID_INSN_LEN);
			n--;
		} else if (code != EXIT_INTR && code != EXIT_NMI && code != EXIT_SMI) {
			break;
		}
	}
	return code;
}

static unsigned long read_dr7(void)
{
	unsigned long v;

	asm volatile("mov %%dr7, %0" : "=r" (v));
	return v;
}

static void write_dr7(unsigned long v)
{
	asm volatile("mov %0, %%dr7" : : "r" (v));
}

static int __init floor_init(void)
{
	struct page *hsave = NULL, *vmcb_page = NULL, *guest = NULL;
	unsigned long flags, dr7;
	u64 efer, vm_cr, code, t0 = 0, t1 = 0;
	void *vmcb;
	int cpu, ret = -EAGAIN;

	if (!boot_cpu_has(X86_FEATURE_SVM)) {
		pr_info("no SVM on this CPU\n");
		return -ENODEV;
	}
	rdmsrl(MSR_VM_CR, vm_cr);
	if (vm_cr & VM_CR_SVMDIS) {
		pr_info("SVM is disabled by firmware (VM_CR.SVMDIS)\n");
		return -ENODEV;
	}
	if (!rounds)
		return -EINVAL;

	hsave = alloc_page(GFP_KERNEL | __GFP_ZERO);
	vmcb_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	guest = alloc_page(GFP_KERNEL | GFP_DMA32 | __GFP_ZERO);
	if (!hsave || !vmcb_page || !guest) {
		ret = -ENOMEM;
		goto out;
	}
	memcpy(page_address(guest), guest_code, sizeof(guest_code));
	vmcb = page_address(vmcb_page);
	vmcb_init(vmcb, page_to_phys(guest));

	cpu = get_cpu();
	local_irq_save(flags);
	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME) {
		local_irq_restore(flags);
		put_cpu();
		pr_info("CPU %d already has SVM on (hvcore or kvm holds it): not measuring\n",
			cpu);
		ret = -EBUSY;
		goto out;
	}
	dr7 = read_dr7();
	wrmsrl(MSR_EFER, efer | EFER_SVME);
	wrmsrl(MSR_VM_HSAVE_PA, page_to_phys(hsave));
	vmcb_w32(vmcb, VMCB_TLB_CONTROL, TLB_CONTROL_FLUSH_ALL);

	code = floor_loop(vmcb, page_to_phys(vmcb_page), WARMUP_ROUNDS);
	if (code == EXIT_CPUID) {
		t0 = ktime_get_ns();
		code = floor_loop(vmcb, page_to_phys(vmcb_page), rounds);
		t1 = ktime_get_ns();
	}

	/* #VMEXIT left GIF clear; STGI needs EFER.SVME, so before turning it off. */
	asm volatile("stgi" ::: "memory");
	wrmsrl(MSR_VM_HSAVE_PA, 0);
	wrmsrl(MSR_EFER, efer);
	write_dr7(dr7);
	local_irq_restore(flags);
	put_cpu();

	if (code != EXIT_CPUID) {
		pr_err("unexpected #VMEXIT 0x%llx at guest RIP 0x%llx\n", code,
		       vmcb_r64(vmcb, VMCB_RIP));
		ret = -EIO;
		goto out;
	}
	pr_info("cpu %d: %u VMRUN/#VMEXIT(CPUID) round trips in %llu ns: %llu.%llu ns each\n",
		cpu, rounds, t1 - t0, div_u64(t1 - t0, rounds),
		div_u64((t1 - t0) % rounds * 10, rounds));
	pr_info("HVBENCH floor cpuid ns=%llu.%llu rounds=%u\n",
		div_u64(t1 - t0, rounds), div_u64((t1 - t0) % rounds * 10, rounds), rounds);
out:
	if (guest)
		__free_page(guest);
	if (vmcb_page)
		__free_page(vmcb_page);
	if (hsave)
		__free_page(hsave);
	return ret;	/* -EAGAIN after measuring: nothing to unload */
}
module_init(floor_init);

MODULE_DESCRIPTION("hvcore bench: the cost of a bare VMRUN/#VMEXIT round trip");
MODULE_LICENSE("GPL");
