// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
/*
 * hvbench_floor_vmx: the floor of hvcore's benchmarks on Intel VMX, the
 * counterpart of hvbench_floor.c for SVM. On load it enters VMX operation
 * on the CPU it runs on (VMXON), builds one VMCS whose guest does nothing
 * but CPUID in a loop, and times VM entry -> VM exit(CPUID) -> RIP += 2 ->
 * VM entry round trips with interrupts off (vmx_floor_loop.S): the least
 * any hypervisor can spend on an exit on this machine. It prints the
 * figure, leaves VMX operation (VMXOFF) and refuses to stay loaded
 * (-EAGAIN), so it never needs unloading. It refuses at once (-EBUSY)
 * when CR4.VMXE is already set: hvcore or kvm holds VMX on this CPU.
 *
 * Facts from the Intel SDM vol. 3C: 24.7-24.8 (IA32_FEATURE_CONTROL,
 * VMXON, the fixed CR0/CR4 bits), 25 (the VMCS: guest, host and control
 * fields), 26 (VM-entry checks), 27 (VM exits), 29.3 (EPT), 30.3 (VMX
 * instructions), and vol. 3D appendix A (capability MSRs) and B (field
 * encodings).
 *
 * The guest: unrestricted guest with EPT, 32-bit protected mode with
 * paging off, CPL 0, interrupts off. EPT maps guest-physical page 0 to
 * the page that holds its two instructions; nothing else is mapped.
 * Every exception, NMIs, HLT and I/O exit. External interrupts do not:
 * with "external-interrupt exiting" off and the guest's RFLAGS.IF clear,
 * an interrupt that arrives during the loop stays pending in the local
 * APIC until the host enables interrupts again, as under the SVM floor.
 * No VPID: every VM entry and exit flushes the guest's linear mappings,
 * which this guest, without paging, does not have.
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
#include <asm/asm.h>
#include <asm/cpufeature.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/vmx.h>

#include "vmx_floor_loop.h"

static unsigned int rounds = 100000;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "measured round trips (default 100000)");

#define WARMUP_ROUNDS		100

/* IA32_VMX_BASIC (appendix A.1) */
#define BASIC_REVISION		GENMASK_ULL(30, 0)
#define BASIC_SIZE_SHIFT	32
#define BASIC_SIZE_MASK		0x1fffULL
#define BASIC_PA32		BIT_ULL(48)
#define BASIC_MEMTYPE_SHIFT	50
#define BASIC_MEMTYPE_MASK	0xfULL
#define BASIC_TRUE_CTLS		BIT_ULL(55)
#define MEMTYPE_WB		6

/* EPT entries (29.3.2): read, write, execute; a leaf's memory type */
#define EPT_RWX			0x7ULL
#define EPT_LEAF_WB		(MEMTYPE_WB << 3)
#define EPTP_WALK_4		(3ULL << 3)

/* Guest segment access rights (25.4.1): type, S, DPL, P, D/B, G, unusable */
#define AR_CODE32		0xc09b	/* execute/read accessed, S, P, D/B, G */
#define AR_DATA32		0xc093	/* read/write accessed, S, P, D/B, G */
#define AR_TSS32_BUSY		0x008b
#define AR_UNUSABLE		BIT(16)

/* Segment fields: consecutive encodings from ES, per the order below (B.1-B.4). */
enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR };

#define GUEST_RFLAGS_VALUE	0x2	/* IF = 0 */
#define GUEST_DR7_VALUE		0x400

/* The guest program at guest-physical 0: 1: cpuid; jmp 1b */
static const u8 guest_code[] = { 0x0f, 0xa2, 0xeb, 0xfc };

/**
 * struct floor_vmx - what the floor allocates and computes before VMXON
 * @vmxon:	the VMXON region
 * @vmcs:	the VMCS
 * @ept:	EPT PML4, PDPT, PD and PT, one entry used in each
 * @guest:	the guest's only page, guest-physical 0
 * @revision:	VMCS revision identifier (IA32_VMX_BASIC[30:0])
 * @pin:	pin-based VM-execution controls
 * @proc:	primary processor-based VM-execution controls
 * @proc2:	secondary processor-based VM-execution controls
 * @exit:	VM-exit controls
 * @entry:	VM-entry controls
 * @eptp:	the EPT pointer
 * @invept_type: INVEPT type to flush every use of the EPT tables
 * @bad_field:	the first VMCS field a VMWRITE refused, if @vmwrite_failed
 * @vmwrite_failed: a VMWRITE failed while building the VMCS
 */
struct floor_vmx {
	struct page *vmxon, *vmcs, *ept[4], *guest;
	u32 revision, pin, proc, proc2, exit, entry;
	u64 eptp;
	unsigned long invept_type;
	unsigned long bad_field;
	bool vmwrite_failed;
};

/*
 * A control word from its capability MSR (A.3-A.5): bits 31:0 say which
 * controls must be 1, bits 63:32 which may be 1. @want must all be
 * allowed, @opt are taken when allowed; everything else stays 0 unless it
 * must be 1.
 */
static int floor_ctl(u32 msr, u32 want, u32 opt, u32 *out, const char *what)
{
	u64 cap;
	u32 v;

	rdmsrl(msr, cap);
	v = (want | opt | (u32)cap) & (u32)(cap >> 32);
	if ((v & want) != want) {
		pr_info("no %s controls 0x%x on this CPU\n", what, want & ~v);
		return -ENODEV;
	}
	*out = v;
	return 0;
}

static int floor_controls(struct floor_vmx *f, u64 basic)
{
	bool tru = basic & BASIC_TRUE_CTLS;
	int ret;

	ret = floor_ctl(tru ? MSR_IA32_VMX_TRUE_PINBASED_CTLS : MSR_IA32_VMX_PINBASED_CTLS,
			PIN_BASED_NMI_EXITING, 0, &f->pin, "pin-based");
	if (!ret)
		ret = floor_ctl(tru ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
				MSR_IA32_VMX_PROCBASED_CTLS,
				CPU_BASED_HLT_EXITING | CPU_BASED_UNCOND_IO_EXITING |
				CPU_BASED_ACTIVATE_SECONDARY_CONTROLS, 0, &f->proc,
				"processor-based");
	if (!ret)
		ret = floor_ctl(MSR_IA32_VMX_PROCBASED_CTLS2,
				SECONDARY_EXEC_ENABLE_EPT | SECONDARY_EXEC_UNRESTRICTED_GUEST, 0,
				&f->proc2, "secondary (EPT, unrestricted guest)");
	if (!ret)
		ret = floor_ctl(tru ? MSR_IA32_VMX_TRUE_EXIT_CTLS : MSR_IA32_VMX_EXIT_CTLS,
				VM_EXIT_HOST_ADDR_SPACE_SIZE, VM_EXIT_LOAD_IA32_EFER,
				&f->exit, "VM-exit");
	if (!ret)
		ret = floor_ctl(tru ? MSR_IA32_VMX_TRUE_ENTRY_CTLS : MSR_IA32_VMX_ENTRY_CTLS,
				0, VM_ENTRY_LOAD_IA32_EFER, &f->entry, "VM-entry");
	if (!ret && (f->entry & VM_ENTRY_IA32E_MODE)) {
		pr_info("VM entries are forced into IA-32e mode\n");
		ret = -ENODEV;
	}
	return ret;
}

/* EPT with 4-level walks, its memory type, and a way to flush it (A.10). */
static int floor_ept_caps(struct floor_vmx *f)
{
	u64 cap;

	rdmsrl(MSR_IA32_VMX_EPT_VPID_CAP, cap);
	if (!(cap & VMX_EPT_PAGE_WALK_4_BIT) || !(cap & VMX_EPT_INVEPT_BIT) ||
	    !(cap & (VMX_EPTP_WB_BIT | VMX_EPTP_UC_BIT)) ||
	    !(cap & (VMX_EPT_EXTENT_GLOBAL_BIT | VMX_EPT_EXTENT_CONTEXT_BIT))) {
		pr_info("EPT lacks 4-level walks, a memory type or INVEPT (cap 0x%llx)\n", cap);
		return -ENODEV;
	}
	f->eptp = EPTP_WALK_4 | (cap & VMX_EPTP_WB_BIT ? MEMTYPE_WB : 0);
	f->invept_type = cap & VMX_EPT_EXTENT_GLOBAL_BIT ? VMX_EPT_EXTENT_GLOBAL :
							   VMX_EPT_EXTENT_CONTEXT;
	return 0;
}

/* Whether VMX may be used at all, and how (before anything is allocated). */
static int floor_probe(struct floor_vmx *f)
{
	u64 fc, basic, size;

	if (!boot_cpu_has(X86_FEATURE_VMX)) {
		pr_info("no VMX on this CPU\n");
		return -ENODEV;
	}
	/* VMXON outside SMX needs both bits; Linux locks the MSR at boot. */
	if (rdmsrl_safe(MSR_IA32_FEAT_CTL, &fc) || !(fc & FEAT_CTL_LOCKED) ||
	    !(fc & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX)) {
		pr_info("VMX is disabled by firmware (IA32_FEATURE_CONTROL)\n");
		return -ENODEV;
	}
	rdmsrl(MSR_IA32_VMX_BASIC, basic);
	size = (basic >> BASIC_SIZE_SHIFT) & BASIC_SIZE_MASK;
	if (!size || size > PAGE_SIZE || (basic & BASIC_PA32) ||
	    ((basic >> BASIC_MEMTYPE_SHIFT) & BASIC_MEMTYPE_MASK) != MEMTYPE_WB) {
		pr_info("unsupported VMCS (IA32_VMX_BASIC 0x%llx)\n", basic);
		return -ENODEV;
	}
	f->revision = basic & BASIC_REVISION;
	if (floor_controls(f, basic) || floor_ept_caps(f))
		return -ENODEV;
	return 0;
}

static void floor_free(struct floor_vmx *f)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(f->ept); i++)
		if (f->ept[i])
			__free_page(f->ept[i]);
	if (f->guest)
		__free_page(f->guest);
	if (f->vmcs)
		__free_page(f->vmcs);
	if (f->vmxon)
		__free_page(f->vmxon);
}

/* The pages, the guest program and the EPT tables that map it at 0. */
static int floor_alloc(struct floor_vmx *f)
{
	unsigned int i;
	u64 *table;

	f->vmxon = alloc_page(GFP_KERNEL | __GFP_ZERO);
	f->vmcs = alloc_page(GFP_KERNEL | __GFP_ZERO);
	f->guest = alloc_page(GFP_KERNEL | __GFP_ZERO);
	for (i = 0; i < ARRAY_SIZE(f->ept); i++)
		f->ept[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!f->vmxon || !f->vmcs || !f->guest || !f->ept[0] || !f->ept[1] ||
	    !f->ept[2] || !f->ept[3])
		return -ENOMEM;

	/* Bit 31 clear: an ordinary VMCS, not a shadow one. */
	*(u32 *)page_address(f->vmxon) = f->revision;
	*(u32 *)page_address(f->vmcs) = f->revision;
	memcpy(page_address(f->guest), guest_code, sizeof(guest_code));
	for (i = 0; i < ARRAY_SIZE(f->ept) - 1; i++) {
		table = page_address(f->ept[i]);
		table[0] = page_to_phys(f->ept[i + 1]) | EPT_RWX;
	}
	table = page_address(f->ept[ARRAY_SIZE(f->ept) - 1]);
	table[0] = page_to_phys(f->guest) | EPT_LEAF_WB | EPT_RWX;
	f->eptp |= page_to_phys(f->ept[0]);
	return 0;
}

/*
 * VMXON, VMCLEAR and VMPTRLD: false when the instruction failed (30.3).
 * VMXON raises no fault here: CR4.VMXE is set, IA32_FEATURE_CONTROL and
 * the fixed CR0/CR4 bits were checked, CPL is 0.
 */
static bool floor_vmxon(u64 pa)
{
	bool fail;

	asm volatile("vmxon %[pa]" CC_SET(na) : CC_OUT(na) (fail) : [pa] "m" (pa) : "memory");
	return !fail;
}

static bool floor_vmclear(u64 pa)
{
	bool fail;

	asm volatile("vmclear %[pa]" CC_SET(na) : CC_OUT(na) (fail) : [pa] "m" (pa) : "memory");
	return !fail;
}

static bool floor_vmptrld(u64 pa)
{
	bool fail;

	asm volatile("vmptrld %[pa]" CC_SET(na) : CC_OUT(na) (fail) : [pa] "m" (pa) : "memory");
	return !fail;
}

static bool floor_invept(unsigned long type, u64 eptp)
{
	struct {
		u64 eptp, zero;
	} desc = { eptp, 0 };
	bool fail;

	asm volatile("invept %[desc], %[type]" CC_SET(na) : CC_OUT(na) (fail)
		     : [desc] "m" (desc), [type] "r" (type) : "memory");
	return !fail;
}

static u64 floor_vmread(unsigned long field)
{
	u64 v = 0;

	asm volatile("vmread %[field], %[v]" : [v] "+r" (v) : [field] "r" (field) : "cc");
	return v;
}

/* VMWRITE, remembering the first field the CPU refused. */
static void floor_vmwrite(struct floor_vmx *f, unsigned long field, u64 v)
{
	bool fail;

	asm volatile("vmwrite %[v], %[field]" CC_SET(na) : CC_OUT(na) (fail)
		     : [field] "r" (field), [v] "rm" (v));
	if (fail && !f->vmwrite_failed) {
		f->vmwrite_failed = true;
		f->bad_field = field;
	}
}

static void floor_guest_seg(struct floor_vmx *f, unsigned int seg, u16 sel, u32 limit, u32 ar)
{
	floor_vmwrite(f, GUEST_ES_SELECTOR + 2 * seg, sel);
	floor_vmwrite(f, GUEST_ES_LIMIT + 2 * seg, limit);
	floor_vmwrite(f, GUEST_ES_AR_BYTES + 2 * seg, ar);
	floor_vmwrite(f, GUEST_ES_BASE + 2 * seg, 0);
}

/* The value @fixed0/@fixed1 force on @v (A.7, A.8). */
static u64 floor_fixed(u64 v, u32 msr_fixed0, u32 msr_fixed1)
{
	u64 fixed0, fixed1;

	rdmsrl(msr_fixed0, fixed0);
	rdmsrl(msr_fixed1, fixed1);
	return (v | fixed0) & fixed1;
}

static void floor_vmcs_guest(struct floor_vmx *f)
{
	static const unsigned int data_segs[] = { SEG_ES, SEG_SS, SEG_DS, SEG_FS, SEG_GS };
	u64 cr4 = floor_fixed(0, MSR_IA32_VMX_CR4_FIXED0, MSR_IA32_VMX_CR4_FIXED1);
	u64 fixed0, fixed1, cr0;
	unsigned int i;

	/* Unrestricted guest: CR0.PE and CR0.PG need not be set (26.3.1.1). */
	rdmsrl(MSR_IA32_VMX_CR0_FIXED0, fixed0);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED1, fixed1);
	fixed0 &= ~(u64)(X86_CR0_PE | X86_CR0_PG);
	cr0 = (X86_CR0_PE | X86_CR0_ET | X86_CR0_NE | fixed0) & fixed1;

	floor_guest_seg(f, SEG_CS, 0x08, 0xffffffff, AR_CODE32);
	for (i = 0; i < ARRAY_SIZE(data_segs); i++)
		floor_guest_seg(f, data_segs[i], 0x10, 0xffffffff, AR_DATA32);
	floor_guest_seg(f, SEG_TR, 0x18, 0x67, AR_TSS32_BUSY);
	floor_guest_seg(f, SEG_LDTR, 0, 0, AR_UNUSABLE);
	floor_vmwrite(f, GUEST_GDTR_BASE, 0);
	floor_vmwrite(f, GUEST_GDTR_LIMIT, 0);
	floor_vmwrite(f, GUEST_IDTR_BASE, 0);
	floor_vmwrite(f, GUEST_IDTR_LIMIT, 0);

	floor_vmwrite(f, GUEST_CR0, cr0);
	floor_vmwrite(f, GUEST_CR3, 0);
	floor_vmwrite(f, GUEST_CR4, cr4);
	floor_vmwrite(f, GUEST_DR7, GUEST_DR7_VALUE);
	floor_vmwrite(f, GUEST_IA32_DEBUGCTL, 0);
	floor_vmwrite(f, GUEST_IA32_EFER, 0);	/* used with VM_ENTRY_LOAD_IA32_EFER */
	floor_vmwrite(f, GUEST_SYSENTER_CS, 0);
	floor_vmwrite(f, GUEST_SYSENTER_ESP, 0);
	floor_vmwrite(f, GUEST_SYSENTER_EIP, 0);
	floor_vmwrite(f, GUEST_RFLAGS, GUEST_RFLAGS_VALUE);
	floor_vmwrite(f, GUEST_RIP, 0);
	floor_vmwrite(f, GUEST_RSP, 0);
	floor_vmwrite(f, GUEST_ACTIVITY_STATE, 0);
	floor_vmwrite(f, GUEST_INTERRUPTIBILITY_INFO, 0);
	floor_vmwrite(f, GUEST_PENDING_DBG_EXCEPTIONS, 0);
	floor_vmwrite(f, VMCS_LINK_POINTER, ~0ULL);
}

/* The TSS base from this CPU's GDT: a 16-byte system descriptor. */
static unsigned long floor_host_tr_base(unsigned long gdt)
{
	const struct ldttss_desc *d = (const void *)(gdt + GDT_ENTRY_TSS * 8);

	return d->base0 | ((unsigned long)d->base1 << 16) |
	       ((unsigned long)d->base2 << 24) | ((unsigned long)d->base3 << 32);
}

/*
 * The host state VM exits load: this CPU's, as it is with interrupts off.
 * DS, ES, FS and GS come back as null selectors (the caller restores
 * them); FS and GS keep their bases.
 */
static void floor_vmcs_host(struct floor_vmx *f)
{
	struct desc_ptr gdt, idt;
	u64 v;

	native_store_gdt(&gdt);
	store_idt(&idt);
	floor_vmwrite(f, HOST_CR0, read_cr0());
	floor_vmwrite(f, HOST_CR3, __read_cr3());
	floor_vmwrite(f, HOST_CR4, cr4_read_shadow());
	floor_vmwrite(f, HOST_CS_SELECTOR, __KERNEL_CS);
	floor_vmwrite(f, HOST_SS_SELECTOR, __KERNEL_DS);
	floor_vmwrite(f, HOST_DS_SELECTOR, 0);
	floor_vmwrite(f, HOST_ES_SELECTOR, 0);
	floor_vmwrite(f, HOST_FS_SELECTOR, 0);
	floor_vmwrite(f, HOST_GS_SELECTOR, 0);
	floor_vmwrite(f, HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);
	rdmsrl(MSR_FS_BASE, v);
	floor_vmwrite(f, HOST_FS_BASE, v);
	rdmsrl(MSR_GS_BASE, v);
	floor_vmwrite(f, HOST_GS_BASE, v);
	floor_vmwrite(f, HOST_TR_BASE, floor_host_tr_base(gdt.address));
	floor_vmwrite(f, HOST_GDTR_BASE, gdt.address);
	floor_vmwrite(f, HOST_IDTR_BASE, idt.address);
	rdmsrl(MSR_IA32_SYSENTER_CS, v);
	floor_vmwrite(f, HOST_IA32_SYSENTER_CS, v);
	rdmsrl(MSR_IA32_SYSENTER_ESP, v);
	floor_vmwrite(f, HOST_IA32_SYSENTER_ESP, v);
	rdmsrl(MSR_IA32_SYSENTER_EIP, v);
	floor_vmwrite(f, HOST_IA32_SYSENTER_EIP, v);
	rdmsrl(MSR_EFER, v);
	floor_vmwrite(f, HOST_IA32_EFER, v);	/* used with VM_EXIT_LOAD_IA32_EFER */
	floor_vmwrite(f, HOST_RIP, (unsigned long)hvbench_vmx_exit);
}

static void floor_vmcs_controls(struct floor_vmx *f)
{
	floor_vmwrite(f, PIN_BASED_VM_EXEC_CONTROL, f->pin);
	floor_vmwrite(f, CPU_BASED_VM_EXEC_CONTROL, f->proc);
	floor_vmwrite(f, SECONDARY_VM_EXEC_CONTROL, f->proc2);
	floor_vmwrite(f, VM_EXIT_CONTROLS, f->exit);
	floor_vmwrite(f, VM_ENTRY_CONTROLS, f->entry);
	floor_vmwrite(f, EXCEPTION_BITMAP, 0xffffffff);
	floor_vmwrite(f, PAGE_FAULT_ERROR_CODE_MASK, 0);
	floor_vmwrite(f, PAGE_FAULT_ERROR_CODE_MATCH, 0);
	floor_vmwrite(f, CR3_TARGET_COUNT, 0);
	floor_vmwrite(f, VM_EXIT_MSR_STORE_COUNT, 0);
	floor_vmwrite(f, VM_EXIT_MSR_LOAD_COUNT, 0);
	floor_vmwrite(f, VM_ENTRY_MSR_LOAD_COUNT, 0);
	floor_vmwrite(f, VM_ENTRY_INTR_INFO_FIELD, 0);
	floor_vmwrite(f, CR0_GUEST_HOST_MASK, 0);
	floor_vmwrite(f, CR4_GUEST_HOST_MASK, 0);
	floor_vmwrite(f, EPT_POINTER, f->eptp);
}

/*
 * @n CPUID round trips. An NMI that exits (NMIs are blocked from then on
 * until an IRET) goes to Linux's handler; any other exit ends the run.
 */
static u32 floor_run(u32 n, bool *launched)
{
	u32 reason;

	for (;;) {
		reason = hvbench_vmx_loop(&n, *launched);
		if (reason == VMFAIL)
			return reason;
		*launched = true;
		if ((u16)reason != EXIT_REASON_EXCEPTION_NMI ||
		    (floor_vmread(VM_EXIT_INTR_INFO) & INTR_INFO_INTR_TYPE_MASK) !=
		    INTR_TYPE_NMI_INTR)
			return reason;
		asm volatile("int $2");
	}
}

/* What the world switch changes on the host and does not restore. */
struct floor_host {
	unsigned long dr7;
	u64 debugctl, fs_base, kernel_gs_base;
	u16 ds, es, fs, gs;
};

static void floor_host_save(struct floor_host *h)
{
	get_debugreg(h->dr7, 7);
	rdmsrl(MSR_IA32_DEBUGCTLMSR, h->debugctl);
	savesegment(ds, h->ds);
	savesegment(es, h->es);
	savesegment(fs, h->fs);
	savesegment(gs, h->gs);
	rdmsrl(MSR_FS_BASE, h->fs_base);
	rdmsrl(MSR_KERNEL_GS_BASE, h->kernel_gs_base);
}

/*
 * VM exits set DR7 to 0x400, clear DEBUGCTL, leave the GDT limit at
 * 0xffff and the TSS limit at 0x67 (27.5), and load null DS/ES/FS/GS
 * here. Loading a non-null FS or GS selector reloads its base from the
 * GDT, so the bases are written back after it.
 */
static void floor_host_restore(const struct floor_host *h)
{
	loadsegment(ds, h->ds);
	loadsegment(es, h->es);
	if (h->fs) {
		loadsegment(fs, h->fs);
		wrmsrl(MSR_FS_BASE, h->fs_base);
	}
	if (h->gs) {
		load_gs_index(h->gs);
		wrmsrl(MSR_KERNEL_GS_BASE, h->kernel_gs_base);
	}
	load_fixmap_gdt(smp_processor_id());
	invalidate_tss_limit();
	set_debugreg(h->dr7, 7);
	if (h->debugctl)
		wrmsrl(MSR_IA32_DEBUGCTLMSR, h->debugctl);
}

/**
 * struct floor_result - what one load measured, or why it could not
 * @failed:	the VMX instruction that failed before the guest ran, if any
 * @reason:	the exit reason that ended the last run, or VMFAIL
 * @insn_error:	VM_INSTRUCTION_ERROR when @reason is VMFAIL
 * @qual:	the exit qualification of the last VM exit
 * @rip:	the guest's RIP at the last VM exit
 * @ns:		the measured round trips took this long
 */
struct floor_result {
	const char *failed;
	u32 reason;
	u64 insn_error, qual, rip, ns;
};

/*
 * In VMX operation, interrupts off: flush stale EPT translations (whoever
 * used VMX here before may have left some), build the VMCS, warm up,
 * measure, VMCLEAR.
 */
static void floor_measure(struct floor_vmx *f, struct floor_result *r)
{
	bool launched = false;
	u64 t0;

	r->reason = VMFAIL;
	if (!floor_invept(f->invept_type, f->eptp)) {
		r->failed = "INVEPT";
		return;
	}
	if (!floor_vmclear(page_to_phys(f->vmcs)) || !floor_vmptrld(page_to_phys(f->vmcs))) {
		r->failed = "VMCLEAR/VMPTRLD";
		return;
	}
	floor_vmcs_controls(f);
	floor_vmcs_guest(f);
	floor_vmcs_host(f);
	if (f->vmwrite_failed) {
		r->failed = "VMWRITE";
	} else {
		r->reason = floor_run(WARMUP_ROUNDS, &launched);
		if (r->reason == EXIT_REASON_CPUID) {
			t0 = ktime_get_ns();
			r->reason = floor_run(rounds, &launched);
			r->ns = ktime_get_ns() - t0;
		}
		if (r->reason == VMFAIL)
			r->insn_error = floor_vmread(VM_INSTRUCTION_ERROR);
		r->qual = floor_vmread(EXIT_QUALIFICATION);
		r->rip = floor_vmread(GUEST_RIP);
	}
	floor_vmclear(page_to_phys(f->vmcs));
}

/* CR4.VMXE and VMXON on this CPU, interrupts off; 0 or -errno, said in the log. */
static int floor_vmx_on(struct floor_vmx *f, int cpu)
{
	unsigned long cr0 = read_cr0(), cr4 = cr4_read_shadow() | X86_CR4_VMXE;

	if (cr4_read_shadow() & X86_CR4_VMXE) {
		pr_info("CPU %d already has CR4.VMXE set (hvcore or kvm holds VMX): not measuring\n",
			cpu);
		return -EBUSY;
	}
	if (floor_fixed(cr0, MSR_IA32_VMX_CR0_FIXED0, MSR_IA32_VMX_CR0_FIXED1) != cr0 ||
	    floor_fixed(cr4, MSR_IA32_VMX_CR4_FIXED0, MSR_IA32_VMX_CR4_FIXED1) != cr4) {
		pr_err("CR0/CR4 of CPU %d do not meet the VMX fixed bits\n", cpu);
		return -EIO;
	}
	cr4_set_bits_irqsoff(X86_CR4_VMXE);
	if (!floor_vmxon(page_to_phys(f->vmxon))) {
		cr4_clear_bits_irqsoff(X86_CR4_VMXE);
		pr_err("VMXON failed on CPU %d\n", cpu);
		return -EIO;
	}
	return 0;
}

static void floor_vmx_off(void)
{
	/* VMXOFF cannot fail in VMX root operation. */
	asm volatile("vmxoff" ::: "cc", "memory");
	cr4_clear_bits_irqsoff(X86_CR4_VMXE);
}

static int __init floor_vmx_init(void)
{
	struct floor_result r = {};
	struct floor_vmx f = {};
	struct floor_host host;
	unsigned long flags;
	int cpu, ret;

	if (!rounds)
		return -EINVAL;
	ret = floor_probe(&f);
	if (ret)
		return ret;
	ret = floor_alloc(&f);
	if (ret)
		goto out;

	cpu = get_cpu();
	local_irq_save(flags);
	floor_host_save(&host);
	ret = floor_vmx_on(&f, cpu);
	if (!ret) {
		floor_measure(&f, &r);
		floor_vmx_off();
		floor_host_restore(&host);
	}
	local_irq_restore(flags);
	put_cpu();
	if (ret)
		goto out;

	ret = -EIO;
	if (r.failed) {
		if (f.vmwrite_failed)
			pr_err("VMWRITE to field 0x%lx failed\n", f.bad_field);
		else
			pr_err("%s failed\n", r.failed);
	} else if (r.reason == VMFAIL) {
		pr_err("VM entry failed: VM-instruction error %llu\n", r.insn_error);
	} else if (r.reason != EXIT_REASON_CPUID) {
		pr_err("unexpected VM exit, reason 0x%x, qualification 0x%llx, guest RIP 0x%llx\n",
		       r.reason, r.qual, r.rip);
	} else {
		pr_info("cpu %d: %u VM entry/VM exit(CPUID) round trips in %llu ns: %llu.%llu ns each\n",
			cpu, rounds, r.ns, div_u64(r.ns, rounds),
			div_u64(r.ns % rounds * 10, rounds));
		pr_info("HVBENCH floor cpuid ns=%llu.%llu rounds=%u\n",
			div_u64(r.ns, rounds), div_u64(r.ns % rounds * 10, rounds), rounds);
		ret = -EAGAIN;	/* after measuring: nothing to unload */
	}
out:
	floor_free(&f);
	return ret;
}
module_init(floor_vmx_init);

MODULE_DESCRIPTION("hvcore bench: the cost of a bare VM entry/VM exit round trip on VMX");
MODULE_LICENSE("GPL");
