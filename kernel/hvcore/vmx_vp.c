// SPDX-License-Identifier: GPL-2.0
/*
 * Intel VMX virtual processors: the VMCS, its controls, guest state, guest
 * entry and the translation of VM exits into struct hv_exit (Intel SDM
 * vol. 3C, chapters 24-28 and appendices A-C).
 *
 * Where the VMCS lives. A VMCS is current on at most one LP, and must be
 * VMCLEARed there before another LP may VMPTRLD it. The dispatcher brackets
 * every stretch of guest entries with preemption off by vmx_load() and
 * vmx_put() (hv_arch_ops.load/put): load makes the VMCS current on this LP
 * (VMLAUNCH for the first entry), put copies the guest state hvcore reports
 * into a cache in struct hv_vmx_vp and VMCLEARs the VMCS. So a VP never
 * leaves an LP with its VMCS current: moving to another LP, CPU hotplug and
 * register ioctls from any CPU need no IPI. Accessors read the VMCS while
 * it is current and the cache otherwise; writes to the cache are marked
 * dirty and written back by the next load.
 *
 * Choices:
 *  - EPT with 4-level tables, write-back, accessed/dirty flags when the CPU
 *    has them; INVEPT of all contexts when hvcore takes VMX on a CPU and
 *    whenever a partition's tables are freed, so a new partition whose
 *    root lands on the same page finds nothing cached;
 *  - VPIDs handed out per LP as SVM's ASIDs are (hv_vp_asid()), with one
 *    INVVPID of all contexts per generation;
 *  - unrestricted guest: real mode and unpaged protected mode run as they
 *    are; CR0.CD/NW and the bits VMX fixes are kept in the read shadows,
 *    so the guest sees what it wrote and the hardware what it needs;
 *  - CR8 loads and stores exit (there is no TPR shadow), so the guest never
 *    touches the host's APIC TPR; TPR is a plain register, as on SVM;
 *  - every port exits through all-ones I/O bitmaps, every MSR except the
 *    ones in hv_msr_passthrough[] through the MSR bitmap;
 *  - #UD is intercepted so that VMMCALL is a hypercall too (exit.c);
 *  - external interrupts exit without being acknowledged and are taken by
 *    Linux when the dispatcher enables interrupts; NMIs exit and are handed
 *    to Linux's handler at once with INT 2; the VMX-preemption timer ends
 *    every stay in the guest after a millisecond at most (vmx.c says why).
 */
#define pr_fmt(fmt) "hvcore: " fmt

#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/mmu_context.h>
#include <asm/msr.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/trapnr.h>
#include <asm/vmx.h>

#include "hvcore.h"
#include "vmx.h"

#define HV_EPT_RWX		(VMX_EPT_READABLE_MASK | VMX_EPT_WRITABLE_MASK | \
				 VMX_EPT_EXECUTABLE_MASK)
#define HV_EPT_WB		(6ULL << VMX_EPT_MT_EPTE_SHIFT)
#define HV_EPTP_WB_4LEVEL	(6ULL | (3ULL << 3))
#define HV_EPTP_AD		BIT_ULL(6)
#define HV_VMX_AR_UNUSABLE	BIT(16)
#define HV_INTR_SHADOW		(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)
/* VMLAUNCH/VMRESUME failed: 1 << 32 | VM_INSTRUCTION_ERROR in the crash info */
#define HV_VMX_VMFAIL		BIT_ULL(32)
/* GETSEC always exits in VMX non-root operation (SDM 26.1.2) */
#define HV_EXIT_REASON_GETSEC	11

/* Guest state cached across vmx_put()/vmx_load(): index into vmx_cached[]. */
enum {
	VC_CR0, VC_CR0_SHADOW, VC_CR3, VC_CR4, VC_CR4_SHADOW, VC_EFER, VC_PAT,
	VC_GDTR_BASE, VC_GDTR_LIMIT, VC_IDTR_BASE, VC_IDTR_LIMIT,
	VC_SYSENTER_CS, VC_SYSENTER_ESP, VC_SYSENTER_EIP,
	VC_INTR_STATE, VC_ENTRY_INFO, VC_ENTRY_ERR, VC_ENTRY_LEN, VC_ENTRY_CTL,
	VC_PDPTR0, VC_PDPTR1, VC_PDPTR2, VC_PDPTR3,
	VC_SEG,			/* 4 fields per segment, VMX segment order */
	VC_NR = VC_SEG + 4 * HVCORE_NR_SEGS
};

/* Per segment: selector, base, limit, access rights. */
enum { VC_SEL, VC_BASE, VC_LIMIT, VC_AR };

static u32 vmx_cached[VC_NR] = {
	[VC_CR0] = GUEST_CR0, [VC_CR0_SHADOW] = CR0_READ_SHADOW, [VC_CR3] = GUEST_CR3,
	[VC_CR4] = GUEST_CR4, [VC_CR4_SHADOW] = CR4_READ_SHADOW, [VC_EFER] = GUEST_IA32_EFER,
	[VC_PAT] = GUEST_IA32_PAT, [VC_GDTR_BASE] = GUEST_GDTR_BASE,
	[VC_GDTR_LIMIT] = GUEST_GDTR_LIMIT, [VC_IDTR_BASE] = GUEST_IDTR_BASE,
	[VC_IDTR_LIMIT] = GUEST_IDTR_LIMIT, [VC_SYSENTER_CS] = GUEST_SYSENTER_CS,
	[VC_SYSENTER_ESP] = GUEST_SYSENTER_ESP, [VC_SYSENTER_EIP] = GUEST_SYSENTER_EIP,
	[VC_INTR_STATE] = GUEST_INTERRUPTIBILITY_INFO, [VC_ENTRY_INFO] = VM_ENTRY_INTR_INFO_FIELD,
	[VC_ENTRY_ERR] = VM_ENTRY_EXCEPTION_ERROR_CODE, [VC_ENTRY_LEN] = VM_ENTRY_INSTRUCTION_LEN,
	[VC_ENTRY_CTL] = VM_ENTRY_CONTROLS, [VC_PDPTR0] = GUEST_PDPTR0,
	[VC_PDPTR1] = GUEST_PDPTR1, [VC_PDPTR2] = GUEST_PDPTR2, [VC_PDPTR3] = GUEST_PDPTR3,
};

/* hvcore's segment numbers (uapi) to the VMCS's (ES CS SS DS FS GS LDTR TR). */
static const u8 vmx_seg_nr[HVCORE_NR_SEGS] = {
	[HVCORE_ES] = 0, [HVCORE_CS] = 1, [HVCORE_SS] = 2, [HVCORE_DS] = 3,
	[HVCORE_FS] = 4, [HVCORE_GS] = 5, [HVCORE_LDTR] = 6, [HVCORE_TR] = 7,
};

/* The MSRs Linux needs only in user mode, switched by load/put. */
static const u32 vmx_lazy_msrs[] = {
	MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SYSCALL_MASK,
};

#define HV_NR_LAZY_MSRS	ARRAY_SIZE(vmx_lazy_msrs)

/**
 * struct hv_vmx_vp - VMX state of a VP
 * @vmcs:	the VMCS region
 * @vmcs_pa:	its machine address
 * @cache:	guest state while the VMCS is not current (vmx_cached[])
 * @dirty:	@cache was written and must go to the VMCS at the next load
 * @loaded:	the VMCS is current on this LP (between load and put)
 * @launched:	VMRESUME rather than VMLAUNCH
 * @setup:	controls and constant host state are in the VMCS
 * @proc:	primary processor-based controls as last written
 * @eptp:	EPT pointer as last written
 * @host_cr3:	HOST_CR3 as last written
 * @host_cr4:	HOST_CR4 as last written
 * @host_debugctl: DEBUGCTL to put back after each exit
 * @cr2:	guest CR2 (not in the VMCS)
 * @cr8:	guest TPR
 * @dr6:	guest DR6 (the guest cannot reach the debug registers)
 * @msr:	guest values of vmx_lazy_msrs[], valid while not loaded
 * @host_msr:	host values, saved by load
 */
struct hv_vmx_vp {
	void *vmcs;
	u64 vmcs_pa;
	u64 cache[VC_NR];
	bool dirty;
	bool loaded;
	bool launched;
	bool setup;
	u32 proc;
	u64 eptp;
	unsigned long host_cr3;
	unsigned long host_cr4;
	u64 host_debugctl;
	u64 cr2;
	u64 cr8;
	u64 dr6;
	u64 msr[HV_NR_LAZY_MSRS];
	u64 host_msr[HV_NR_LAZY_MSRS];
};

struct hv_vmx_config hv_vmx;
static struct page *hv_vmx_io_bitmap;	/* A and B, 8 KiB */
static struct page *hv_vmx_msr_bitmap;

static inline struct hv_vmx_vp *vmx_vp(struct hv_vp *vp)
{
	return vp->arch;
}

/*
 * VMREAD/VMWRITE fault only if VMX was turned off under us (the reboot
 * IPI); the exception table turns that into a skipped instruction, and
 * the dispatcher sees lp->enabled clear before the next entry.
 */
static __always_inline u64 vmcs_read(unsigned long field)
{
	u64 v = 0;

	asm volatile("1: vmread %[f], %[v]\n2:\n"
		     _ASM_EXTABLE(1b, 2b)
		     : [v] "+r"(v) : [f] "r"(field) : "cc");
	return v;
}

static __always_inline void vmcs_write(unsigned long field, u64 val)
{
	asm volatile("1: vmwrite %[v], %[f]\n2:\n"
		     _ASM_EXTABLE(1b, 2b)
		     : : [v] "rm"(val), [f] "r"(field) : "cc", "memory");
}

static int vmcs_clear(u64 pa)
{
	asm goto("1: vmclear %[pa]\n\t"
		 "jna %l[fail]\n\t"
		 _ASM_EXTABLE(1b, %l[fail])
		 : : [pa] "m"(pa) : "cc", "memory" : fail);
	return 0;
fail:
	return -EIO;
}

static int vmcs_load(u64 pa)
{
	asm goto("1: vmptrld %[pa]\n\t"
		 "jna %l[fail]\n\t"
		 _ASM_EXTABLE(1b, %l[fail])
		 : : [pa] "m"(pa) : "cc", "memory" : fail);
	return 0;
fail:
	return -EIO;
}

/* INVEPT/INVVPID descriptors are 128 bits (SDM 30.3). */
static void vmx_invept_all(void)
{
	struct { u64 eptp, gpa; } desc = {};

	asm volatile("1: invept %[d], %[t]\n2:\n"
		     _ASM_EXTABLE(1b, 2b)
		     : : [d] "m"(desc), [t] "r"((u64)VMX_EPT_EXTENT_GLOBAL) : "cc", "memory");
}

static void vmx_invvpid_all(void)
{
	struct { u64 vpid, gla; } desc = {};

	asm volatile("1: invvpid %[d], %[t]\n2:\n"
		     _ASM_EXTABLE(1b, 2b)
		     : : [d] "m"(desc), [t] "r"((u64)VMX_VPID_EXTENT_ALL_CONTEXT) : "cc", "memory");
}

/**
 * vmx_flush_all() - forget every EPT and VPID translation on this CPU
 *
 * Context: VMX on, interrupts off (CPU enable or an IPI).
 */
void vmx_flush_all(void)
{
	vmx_invept_all();
	if (hv_vmx.vpid)
		vmx_invvpid_all();
}

static void vmx_flush_this(void *unused)
{
	if (READ_ONCE(hv_lp_get(smp_processor_id())->enabled))
		vmx_flush_all();
}

/**
 * vmx_npt_freed() - a partition's EPT tables go back to the page allocator
 *
 * Context: process context, no VP of that partition runs.
 */
void vmx_npt_freed(void)
{
	on_each_cpu(vmx_flush_this, NULL, 1);
}

/* Guest state accessors: the VMCS while current, the cache otherwise. */
static u64 vc_get(struct hv_vmx_vp *x, int i)
{
	return x->loaded ? vmcs_read(vmx_cached[i]) : x->cache[i];
}

static void vc_set(struct hv_vmx_vp *x, int i, u64 v)
{
	if (x->loaded) {
		vmcs_write(vmx_cached[i], v);
	} else {
		x->cache[i] = v;
		x->dirty = true;
	}
}

static int vc_seg(int hvseg, int field)
{
	return VC_SEG + 4 * vmx_seg_nr[hvseg] + field;
}

/* What the hardware runs with for the CR0/CR4 the guest wants. */
static u64 vmx_cr0_real(u64 cr0)
{
	return ((cr0 & ~(X86_CR0_CD | X86_CR0_NW)) | X86_CR0_ET | hv_vmx.cr0_fixed0) &
	       hv_vmx.cr0_fixed1;
}

static u64 vmx_cr4_real(u64 cr4)
{
	return (cr4 | hv_vmx.cr4_fixed0) & hv_vmx.cr4_fixed1;
}

/* CR0/CR4 as the guest reads them: masked bits from the read shadows. */
static u64 vmx_cr0(struct hv_vmx_vp *x)
{
	return (vc_get(x, VC_CR0) & ~hv_vmx.cr0_mask) |
	       (vc_get(x, VC_CR0_SHADOW) & hv_vmx.cr0_mask);
}

static u64 vmx_cr4(struct hv_vmx_vp *x)
{
	return (vc_get(x, VC_CR4) & ~hv_vmx.cr4_mask) |
	       (vc_get(x, VC_CR4_SHADOW) & hv_vmx.cr4_mask);
}

/* Let the guest access @msr directly (SDM 25.6.9, the MSR bitmap). */
static void vmx_msr_passthrough(u8 *map, u32 msr)
{
	u32 base;

	if (msr <= 0x1fff)
		base = 0;
	else if (msr >= 0xc0000000 && msr <= 0xc0001fff)
		base = 0x400;
	else
		return;
	msr &= 0x1fff;
	map[base + msr / 8] &= ~BIT(msr % 8);		/* reads */
	map[base + 0x800 + msr / 8] &= ~BIT(msr % 8);	/* writes */
}

/**
 * vmx_setup() - the I/O and MSR bitmaps shared by every VP
 *
 * Return: 0 or -ENOMEM.
 */
int vmx_setup(void)
{
	unsigned int i, k;

	for (i = 0; i < HVCORE_NR_SEGS; i++) {
		unsigned int n = vmx_seg_nr[i];

		vmx_cached[VC_SEG + 4 * n + VC_SEL] = GUEST_ES_SELECTOR + 2 * n;
		vmx_cached[VC_SEG + 4 * n + VC_BASE] = GUEST_ES_BASE + 2 * n;
		vmx_cached[VC_SEG + 4 * n + VC_LIMIT] = GUEST_ES_LIMIT + 2 * n;
		vmx_cached[VC_SEG + 4 * n + VC_AR] = GUEST_ES_AR_BYTES + 2 * n;
	}
	hv_vmx_io_bitmap = alloc_pages(GFP_KERNEL, 1);
	hv_vmx_msr_bitmap = alloc_page(GFP_KERNEL);
	if (!hv_vmx_io_bitmap || !hv_vmx_msr_bitmap) {
		vmx_teardown();
		return -ENOMEM;
	}
	memset(page_address(hv_vmx_io_bitmap), 0xff, 2 * PAGE_SIZE);
	memset(page_address(hv_vmx_msr_bitmap), 0xff, PAGE_SIZE);
	for (k = 0; k < hv_nr_msr_passthrough; k++)
		vmx_msr_passthrough(page_address(hv_vmx_msr_bitmap), hv_msr_passthrough[k]);
	return 0;
}

/** vmx_teardown() - free the bitmaps */
void vmx_teardown(void)
{
	if (hv_vmx_io_bitmap)
		__free_pages(hv_vmx_io_bitmap, 1);
	if (hv_vmx_msr_bitmap)
		__free_page(hv_vmx_msr_bitmap);
	hv_vmx_io_bitmap = NULL;
	hv_vmx_msr_bitmap = NULL;
}

/**
 * vmx_vp_create() - a VMCS for @vp
 * @vp: the VP
 *
 * Return: 0 or -ENOMEM.
 */
int vmx_vp_create(struct hv_vp *vp)
{
	struct hv_vmx_vp *x = kzalloc(sizeof(*x), GFP_KERNEL_ACCOUNT);
	struct page *pg = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);

	if (!x || !pg) {
		kfree(x);
		if (pg)
			__free_page(pg);
		return -ENOMEM;
	}
	x->vmcs = page_address(pg);
	x->vmcs_pa = page_to_phys(pg);
	*(u32 *)x->vmcs = hv_features.vmcs_revision;
	vp->arch = x;
	return 0;
}

/**
 * vmx_vp_destroy() - free the VMCS
 * @vp: the VP, never again run (so its VMCS is current nowhere)
 */
void vmx_vp_destroy(struct hv_vp *vp)
{
	struct hv_vmx_vp *x = vmx_vp(vp);

	free_page((unsigned long)x->vmcs);
	kfree(x);
	vp->arch = NULL;
}

static void vmx_seg_set(struct hv_vmx_vp *x, int seg, u16 sel, u64 base, u32 limit, u32 ar)
{
	vc_set(x, vc_seg(seg, VC_SEL), sel);
	vc_set(x, vc_seg(seg, VC_BASE), base);
	vc_set(x, vc_seg(seg, VC_LIMIT), limit);
	vc_set(x, vc_seg(seg, VC_AR), ar);
}

/**
 * vmx_vp_reset() - power-on state (SDM 10.1.1, table 10-1)
 * @vp: the VP, not running
 */
void vmx_vp_reset(struct hv_vp *vp)
{
	struct hv_vmx_vp *x = vmx_vp(vp);
	u64 cr0 = X86_CR0_ET | X86_CR0_CD | X86_CR0_NW;
	int i;

	for (i = 0; i < HVCORE_NR_SEGS; i++)
		vmx_seg_set(x, i, 0, 0, 0xffff, 0x93);
	vmx_seg_set(x, HVCORE_CS, 0xf000, 0xffff0000, 0xffff, 0x9b);
	vmx_seg_set(x, HVCORE_LDTR, 0, 0, 0xffff, 0x82);
	vmx_seg_set(x, HVCORE_TR, 0, 0, 0xffff, 0x8b);	/* VM entry wants a busy TSS */
	vc_set(x, VC_GDTR_BASE, 0);
	vc_set(x, VC_GDTR_LIMIT, 0xffff);
	vc_set(x, VC_IDTR_BASE, 0);
	vc_set(x, VC_IDTR_LIMIT, 0xffff);
	vc_set(x, VC_CR0, vmx_cr0_real(cr0));
	vc_set(x, VC_CR0_SHADOW, cr0);
	vc_set(x, VC_CR3, 0);
	vc_set(x, VC_CR4, vmx_cr4_real(0));
	vc_set(x, VC_CR4_SHADOW, 0);
	vc_set(x, VC_EFER, 0);
	vc_set(x, VC_PAT, HV_PAT_POWER_ON);
	vc_set(x, VC_SYSENTER_CS, 0);
	vc_set(x, VC_SYSENTER_ESP, 0);
	vc_set(x, VC_SYSENTER_EIP, 0);
	vc_set(x, VC_INTR_STATE, 0);
	vc_set(x, VC_ENTRY_INFO, 0);
	vc_set(x, VC_ENTRY_ERR, 0);
	vc_set(x, VC_ENTRY_LEN, 0);
	vc_set(x, VC_ENTRY_CTL, hv_vmx.entry);
	for (i = 0; i < 4; i++)
		vc_set(x, VC_PDPTR0 + i, 0);
	x->cr2 = 0;
	x->cr8 = 0;
	x->dr6 = HV_DR6_INIT;
	memset(x->msr, 0, sizeof(x->msr));
}

/* VMX access rights (SDM 24.4.1, table 24-2) to and from struct hvcore_segment. */
static void vmx_seg_get(u32 ar, struct hvcore_segment *o)
{
	o->type = ar & 0xf;
	o->s = !!(ar & BIT(4));
	o->dpl = (ar >> 5) & 3;
	o->present = !!(ar & BIT(7));
	o->avl = !!(ar & BIT(12));
	o->l = !!(ar & BIT(13));
	o->db = !!(ar & BIT(14));
	o->g = !!(ar & BIT(15));
	o->unusable = !!(ar & HV_VMX_AR_UNUSABLE);
	if (o->unusable)
		o->present = 0;
}

static u32 vmx_seg_ar(const struct hvcore_segment *i)
{
	if (i->unusable)
		return HV_VMX_AR_UNUSABLE;
	return (i->type & 0xf) | (!!i->s << 4) | ((i->dpl & 3) << 5) | (!!i->present << 7) |
	       (!!i->avl << 12) | (!!i->l << 13) | (!!i->db << 14) | (!!i->g << 15);
}

static u64 vmx_lazy_msr(struct hv_vmx_vp *x, int i)
{
	u64 v;

	if (!x->loaded)
		return x->msr[i];
	rdmsrl(vmx_lazy_msrs[i], v);
	return v;
}

/**
 * vmx_get_regs() - registers kept in the VMCS (or its cache)
 * @vp:	the VP
 * @r:	where to put them
 */
void vmx_get_regs(struct hv_vp *vp, struct hvcore_regs *r)
{
	struct hv_vmx_vp *x = vmx_vp(vp);
	int i;

	for (i = 0; i < HVCORE_NR_SEGS; i++) {
		struct hvcore_segment *s = &r->seg[i];

		s->selector = vc_get(x, vc_seg(i, VC_SEL));
		s->base = vc_get(x, vc_seg(i, VC_BASE));
		s->limit = vc_get(x, vc_seg(i, VC_LIMIT));
		vmx_seg_get(vc_get(x, vc_seg(i, VC_AR)), s);
	}
	r->gdt.base = vc_get(x, VC_GDTR_BASE);
	r->gdt.limit = vc_get(x, VC_GDTR_LIMIT);
	r->idt.base = vc_get(x, VC_IDTR_BASE);
	r->idt.limit = vc_get(x, VC_IDTR_LIMIT);
	r->cr0 = vmx_cr0(x);
	r->cr2 = x->cr2;
	r->cr3 = vc_get(x, VC_CR3);
	r->cr4 = vmx_cr4(x);
	r->cr8 = x->cr8;
	r->efer = vc_get(x, VC_EFER);
	r->dr6 = x->dr6;
	r->dr7 = HV_DR7_INIT;
	r->pat = vc_get(x, VC_PAT);
	r->kernel_gs_base = vmx_lazy_msr(x, 0);
	r->star = vmx_lazy_msr(x, 1);
	r->lstar = vmx_lazy_msr(x, 2);
	r->cstar = vmx_lazy_msr(x, 3);
	r->sfmask = vmx_lazy_msr(x, 4);
	r->sysenter_cs = vc_get(x, VC_SYSENTER_CS);
	r->sysenter_esp = vc_get(x, VC_SYSENTER_ESP);
	r->sysenter_eip = vc_get(x, VC_SYSENTER_EIP);
}

/* PAE paging outside long mode takes its PDPTEs from the VMCS (SDM 26.3.1.6). */
static bool vmx_pae_legacy(u64 cr0, u64 cr4, u64 efer)
{
	return (cr0 & X86_CR0_PG) && (cr4 & X86_CR4_PAE) && !(efer & EFER_LMA);
}

static void vmx_load_pdptrs(struct hv_vp *vp)
{
	struct hv_vmx_vp *x = vmx_vp(vp);
	u64 pdpte[4] = {};
	int i;

	/* Outside guest memory they stay 0 (not present): the guest faults. */
	if (hv_gpa_read(vp->part, vc_get(x, VC_CR3) & ~0x1fULL, pdpte, sizeof(pdpte)))
		memset(pdpte, 0, sizeof(pdpte));
	for (i = 0; i < 4; i++)
		vc_set(x, VC_PDPTR0 + i, pdpte[i]);
}

/**
 * vmx_set_regs() - write registers kept in the VMCS (or its cache)
 * @vp:	the VP, not running
 * @r:	the registers
 *
 * Return: 0, or -EINVAL for values no VM entry accepts.
 */
int vmx_set_regs(struct hv_vp *vp, const struct hvcore_regs *r)
{
	struct hv_vmx_vp *x = vmx_vp(vp);
	u64 efer = r->efer & ~EFER_LMA;
	u64 entry = hv_vmx.entry;
	int i;

	if (!hv_regs_valid(r))
		return -EINVAL;
	if ((r->cr0 | X86_CR0_ET) & ~hv_vmx.cr0_fixed1 & ~(u64)(X86_CR0_CD | X86_CR0_NW) ||
	    (r->cr4 & ~hv_vmx.cr4_fixed1)) {
		hv_bad_input("SET_REGS: CR0 %llx or CR4 %llx has bits this CPU cannot run",
			     r->cr0, r->cr4);
		return -EINVAL;
	}
	if ((efer & EFER_LME) && (r->cr0 & X86_CR0_PG)) {
		efer |= EFER_LMA;
		entry |= VM_ENTRY_IA32E_MODE;
	}

	for (i = 0; i < HVCORE_NR_SEGS; i++)
		vmx_seg_set(x, i, r->seg[i].selector, r->seg[i].base, r->seg[i].limit,
			    vmx_seg_ar(&r->seg[i]));
	vc_set(x, VC_GDTR_BASE, r->gdt.base);
	vc_set(x, VC_GDTR_LIMIT, r->gdt.limit);
	vc_set(x, VC_IDTR_BASE, r->idt.base);
	vc_set(x, VC_IDTR_LIMIT, r->idt.limit);
	vc_set(x, VC_CR0, vmx_cr0_real(r->cr0));
	vc_set(x, VC_CR0_SHADOW, r->cr0 | X86_CR0_ET);
	vc_set(x, VC_CR3, r->cr3);
	vc_set(x, VC_CR4, vmx_cr4_real(r->cr4));
	vc_set(x, VC_CR4_SHADOW, r->cr4);
	vc_set(x, VC_EFER, efer);
	vc_set(x, VC_ENTRY_CTL, entry);
	vc_set(x, VC_PAT, r->pat);
	vc_set(x, VC_SYSENTER_CS, r->sysenter_cs);
	vc_set(x, VC_SYSENTER_ESP, r->sysenter_esp);
	vc_set(x, VC_SYSENTER_EIP, r->sysenter_eip);
	/* A new state starts without a pending event or interrupt shadow. */
	vc_set(x, VC_INTR_STATE, 0);
	vc_set(x, VC_ENTRY_INFO, 0);
	if (vmx_pae_legacy(r->cr0, r->cr4, efer))
		vmx_load_pdptrs(vp);
	x->cr2 = r->cr2;
	x->cr8 = r->cr8;
	x->dr6 = r->dr6 ? r->dr6 : HV_DR6_INIT;
	x->msr[0] = r->kernel_gs_base;
	x->msr[1] = r->star;
	x->msr[2] = r->lstar;
	x->msr[3] = r->cstar;
	x->msr[4] = r->sfmask;
	return 0;
}

/* The TSS base of this CPU, from its descriptor in the GDT (SDM 8.2.3). */
static unsigned long vmx_host_tr_base(unsigned long gdt)
{
	const struct ldttss_desc *d = (const void *)(gdt + GDT_ENTRY_TSS * 8);

	return d->base0 | ((unsigned long)d->base1 << 16) | ((unsigned long)d->base2 << 24) |
	       ((unsigned long)d->base3 << 32);
}

/* What every VMCS starts with: controls and the host state that never changes. */
static void vmx_setup_vmcs(struct hv_vmx_vp *x)
{
	x->proc = hv_vmx.proc;
	vmcs_write(PIN_BASED_VM_EXEC_CONTROL, hv_vmx.pin);
	vmcs_write(CPU_BASED_VM_EXEC_CONTROL, x->proc);
	vmcs_write(SECONDARY_VM_EXEC_CONTROL, hv_vmx.proc2);
	vmcs_write(VM_EXIT_CONTROLS, hv_vmx.exit);
	vmcs_write(EXCEPTION_BITMAP, BIT(X86_TRAP_UD));
	vmcs_write(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmcs_write(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmcs_write(CR3_TARGET_COUNT, 0);
	vmcs_write(VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write(IO_BITMAP_A, page_to_phys(hv_vmx_io_bitmap));
	vmcs_write(IO_BITMAP_B, page_to_phys(hv_vmx_io_bitmap) + PAGE_SIZE);
	vmcs_write(MSR_BITMAP, page_to_phys(hv_vmx_msr_bitmap));
	vmcs_write(CR0_GUEST_HOST_MASK, hv_vmx.cr0_mask);
	vmcs_write(CR4_GUEST_HOST_MASK, hv_vmx.cr4_mask);
	vmcs_write(TSC_OFFSET, 0);
	vmcs_write(VMCS_LINK_POINTER, ~0ULL);
	vmcs_write(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write(GUEST_IA32_DEBUGCTL, 0);
	vmcs_write(GUEST_DR7, HV_DR7_INIT);

	vmcs_write(HOST_CR0, read_cr0());
	vmcs_write(HOST_CS_SELECTOR, __KERNEL_CS);
	vmcs_write(HOST_SS_SELECTOR, __KERNEL_DS);
	vmcs_write(HOST_DS_SELECTOR, 0);
	vmcs_write(HOST_ES_SELECTOR, 0);
	vmcs_write(HOST_FS_SELECTOR, 0);
	vmcs_write(HOST_GS_SELECTOR, 0);
	vmcs_write(HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);
	vmcs_write(HOST_RIP, (unsigned long)hv_vmx_vmexit);
}

/**
 * vmx_load() - make @vp's VMCS current on @lp
 * @vp:	the VP
 * @lp:	this LP
 *
 * Context: preemption off until vmx_put().
 */
void vmx_load(struct hv_vp *vp, struct hv_lp *lp)
{
	struct hv_vmx_vp *x = vmx_vp(vp);
	struct desc_ptr gdt, idt;
	unsigned int i;
	u64 v;

	/* A VMCS never made current must be VMCLEARed once (SDM 24.11.3). */
	if (!x->setup)
		vmcs_clear(x->vmcs_pa);
	if (vmcs_load(x->vmcs_pa))
		return;		/* VMX is off: the entry check stops the slice */
	x->loaded = true;
	x->launched = false;
	if (!x->setup) {
		vmx_setup_vmcs(x);
		x->setup = true;
	}

	/* Host state that differs between LPs or may have changed. */
	native_store_gdt(&gdt);
	store_idt(&idt);
	vmcs_write(HOST_GDTR_BASE, gdt.address);
	vmcs_write(HOST_IDTR_BASE, idt.address);
	vmcs_write(HOST_TR_BASE, vmx_host_tr_base(gdt.address));
	rdmsrl(MSR_FS_BASE, v);
	vmcs_write(HOST_FS_BASE, v);
	rdmsrl(MSR_GS_BASE, v);
	vmcs_write(HOST_GS_BASE, v);
	rdmsrl(MSR_IA32_SYSENTER_CS, v);
	vmcs_write(HOST_IA32_SYSENTER_CS, v);
	rdmsrl(MSR_IA32_SYSENTER_ESP, v);
	vmcs_write(HOST_IA32_SYSENTER_ESP, v);
	rdmsrl(MSR_IA32_SYSENTER_EIP, v);
	vmcs_write(HOST_IA32_SYSENTER_EIP, v);
	rdmsrl(MSR_EFER, v);
	vmcs_write(HOST_IA32_EFER, v);
	rdmsrl(MSR_IA32_CR_PAT, v);
	vmcs_write(HOST_IA32_PAT, v);
	x->host_cr3 = __get_current_cr3_fast();
	vmcs_write(HOST_CR3, x->host_cr3);
	x->host_cr4 = cr4_read_shadow();
	vmcs_write(HOST_CR4, x->host_cr4);
	x->host_debugctl = get_debugctlmsr();

	if (hv_vmx.vpid) {
		if (hv_vp_asid(vp, lp))
			vmx_invvpid_all();
		vmcs_write(VIRTUAL_PROCESSOR_ID, vp->asid);
	}
	if (x->dirty) {
		for (i = 0; i < VC_NR; i++)
			vmcs_write(vmx_cached[i], x->cache[i]);
		x->dirty = false;
	}
	for (i = 0; i < HV_NR_LAZY_MSRS; i++) {
		rdmsrl(vmx_lazy_msrs[i], x->host_msr[i]);
		if (x->msr[i] != x->host_msr[i])
			wrmsrl(vmx_lazy_msrs[i], x->msr[i]);
	}
}

/**
 * vmx_put() - cache the guest state and VMCLEAR, so any LP may load it next
 * @vp: the VP, loaded on this LP
 */
void vmx_put(struct hv_vp *vp)
{
	struct hv_vmx_vp *x = vmx_vp(vp);
	unsigned int i;

	if (!x->loaded)
		return;
	for (i = 0; i < HV_NR_LAZY_MSRS; i++) {
		rdmsrl(vmx_lazy_msrs[i], x->msr[i]);
		if (x->msr[i] != x->host_msr[i])
			wrmsrl(vmx_lazy_msrs[i], x->host_msr[i]);
	}
	for (i = 0; i < VC_NR; i++)
		x->cache[i] = vmcs_read(vmx_cached[i]);
	vmcs_clear(x->vmcs_pa);
	x->loaded = false;
	x->launched = false;
	/* VM exits leave the GDT limit at 0xffff and the TSS limit at 0x67. */
	load_fixmap_gdt(smp_processor_id());
	invalidate_tss_limit();
}

/* MOV to/from CR0, CR3, CR4, CR8, CLTS, LMSW (SDM 28.1.3, table 28-3). */
static void vmx_cr_access(struct hv_vp *vp, struct hv_vmx_vp *x, u64 qual)
{
	struct hv_exit *e = &vp->exit;
	int cr = qual & 15, type = (qual >> 4) & 3, reg = (qual >> 8) & 15;
	u64 val = type == 0 ? hv_gpr_read(vp, reg, 8) : 0;
	u64 cr0 = vmx_cr0(x), efer;

	e->reason = HV_X_NOP;
	switch (type) {
	case 1:		/* MOV from CR */
		if (cr == 3)
			hv_gpr_write(vp, reg, 8, vc_get(x, VC_CR3));
		else if (cr == 8)
			hv_gpr_write(vp, reg, 8, x->cr8);
		else
			e->reason = HV_X_UNKNOWN;
		return;
	case 2:		/* CLTS */
		cr = 0;
		val = cr0 & ~X86_CR0_TS;
		break;
	case 3:		/* LMSW: PE can be set but not cleared */
		cr = 0;
		val = (cr0 & ~0xeULL) | ((qual >> 16) & 0xf);
		break;
	}
	switch (cr) {
	case 0:
		efer = vc_get(x, VC_EFER);
		if ((val >> 32) || ((val & X86_CR0_PG) && !(val & X86_CR0_PE)) ||
		    ((val & X86_CR0_NW) && !(val & X86_CR0_CD)) ||
		    ((val & X86_CR0_PG) && (efer & EFER_LME) && !(vmx_cr4(x) & X86_CR4_PAE))) {
			e->reason = HV_X_GP;
			return;
		}
		/* Paging on or off with LME set enters or leaves long mode. */
		if ((val ^ cr0) & X86_CR0_PG && (efer & EFER_LME)) {
			u64 entry = vc_get(x, VC_ENTRY_CTL);

			if (val & X86_CR0_PG) {
				efer |= EFER_LMA;
				entry |= VM_ENTRY_IA32E_MODE;
			} else {
				efer &= ~EFER_LMA;
				entry &= ~VM_ENTRY_IA32E_MODE;
			}
			vc_set(x, VC_EFER, efer);
			vc_set(x, VC_ENTRY_CTL, entry);
		}
		vc_set(x, VC_CR0, vmx_cr0_real(val));
		vc_set(x, VC_CR0_SHADOW, val | X86_CR0_ET);
		break;
	case 3:
		vc_set(x, VC_CR3, val);
		break;
	case 4:
		/* Only bits in the mask exit: ones this guest may not set. */
		e->reason = HV_X_GP;
		return;
	case 8:
		if (val > 15) {
			e->reason = HV_X_GP;
			return;
		}
		x->cr8 = val;
		return;
	default:
		e->reason = HV_X_UNKNOWN;
		return;
	}
	if (vmx_pae_legacy(vmx_cr0(x), vmx_cr4(x), vc_get(x, VC_EFER)))
		vmx_load_pdptrs(vp);
}

/* VM exit reason to struct hv_exit (SDM appendix C). */
static void vmx_decode_exit(struct hv_vp *vp, struct hv_vmx_vp *x, u32 reason)
{
	struct hv_exit *e = &vp->exit;
	u64 qual = vmcs_read(EXIT_QUALIFICATION);
	u64 next = vp->rip + vmcs_read(VM_EXIT_INSTRUCTION_LEN);
	u32 info;

	e->code = reason;
	e->next_rip = 0;
	if (reason & VMX_EXIT_REASONS_FAILED_VMENTRY) {
		e->reason = HV_X_INVALID;
		return;
	}
	switch ((u16)reason) {
	case EXIT_REASON_EXCEPTION_NMI:
		info = vmcs_read(VM_EXIT_INTR_INFO);
		if ((info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR)
			e->reason = HV_X_NMI;
		else if ((info & INTR_INFO_VECTOR_MASK) == X86_TRAP_UD)
			e->reason = HV_X_UD_FAULT;
		else
			e->reason = HV_X_UNKNOWN;
		break;
	case EXIT_REASON_EXTERNAL_INTERRUPT:
		e->reason = HV_X_EXTINT;
		break;
	case EXIT_REASON_TRIPLE_FAULT:
		e->reason = HV_X_SHUTDOWN;
		break;
	case EXIT_REASON_PREEMPTION_TIMER:
		e->reason = HV_X_TIMER;
		break;
	case EXIT_REASON_INIT_SIGNAL:
		e->reason = HV_X_NONE;
		break;
	case EXIT_REASON_INTERRUPT_WINDOW:
		e->reason = HV_X_INTR_WINDOW;
		break;
	case EXIT_REASON_CPUID:
		e->reason = HV_X_CPUID;
		e->next_rip = next;
		break;
	case EXIT_REASON_HLT:
		e->reason = HV_X_HLT;
		e->next_rip = next;
		break;
	case EXIT_REASON_INVD:
		e->reason = HV_X_NOP;
		e->next_rip = next;
		break;
	case EXIT_REASON_VMCALL:
		e->reason = HV_X_HYPERCALL;
		e->next_rip = next;
		break;
	case EXIT_REASON_CR_ACCESS:
		e->next_rip = next;
		vmx_cr_access(vp, x, qual);
		break;
	case EXIT_REASON_IO_INSTRUCTION:
		e->reason = HV_X_IO;
		e->io.port = qual >> 16;
		e->io.len = (qual & 7) + 1;
		e->io.in = qual & BIT(3);
		e->io.string = qual & BIT(4);
		e->io.rep = qual & BIT(5);
		e->next_rip = next;
		break;
	case EXIT_REASON_MSR_READ:
		e->reason = HV_X_MSR_READ;
		e->next_rip = next;
		break;
	case EXIT_REASON_MSR_WRITE:
		e->reason = HV_X_MSR_WRITE;
		e->next_rip = next;
		break;
	case EXIT_REASON_EPT_VIOLATION:
		e->reason = HV_X_NPF;
		e->npf.gpa = vmcs_read(GUEST_PHYSICAL_ADDRESS);
		e->npf.write = qual & EPT_VIOLATION_ACC_WRITE;
		e->npf.fetch = qual & EPT_VIOLATION_ACC_INSTR;
		/* Not an access to the final translation: the guest's own walk. */
		e->npf.walk = !(qual & EPT_VIOLATION_GVA_IS_VALID) ||
			      !(qual & EPT_VIOLATION_GVA_TRANSLATED);
		break;
	case EXIT_REASON_XSETBV:
		e->reason = HV_X_XSETBV;
		e->next_rip = next;
		break;
	case EXIT_REASON_DR_ACCESS:
	case EXIT_REASON_VMCLEAR ... EXIT_REASON_VMON:
	case EXIT_REASON_MWAIT_INSTRUCTION:
	case EXIT_REASON_MONITOR_INSTRUCTION:
	case EXIT_REASON_INVEPT:
	case EXIT_REASON_INVVPID:
	case EXIT_REASON_VMFUNC:
	case HV_EXIT_REASON_GETSEC:
		e->reason = HV_X_UD;
		break;
	case EXIT_REASON_EPT_MISCONFIG:
	case EXIT_REASON_INVALID_STATE:
	case EXIT_REASON_MSR_LOAD_FAIL:
	case EXIT_REASON_MCE_DURING_VMENTRY:
		e->reason = HV_X_INVALID;
		break;
	default:
		e->reason = HV_X_UNKNOWN;
	}
}

/**
 * vmx_run() - enter the guest once
 * @vp:		the VP, loaded by vmx_load()
 * @lp:		the LP we are on
 * @npt_pa:	EPT root
 *
 * Context: interrupts off (the dispatcher's check of kick/slice/enabled
 * and the entry are one critical section).
 */
void vmx_run(struct hv_vp *vp, struct hv_lp *lp, u64 npt_pa)
{
	struct hv_vmx_vp *x = vmx_vp(vp);
	u64 eptp = npt_pa | HV_EPTP_WB_4LEVEL | (hv_vmx.ept_ad ? HV_EPTP_AD : 0);
	unsigned long cr3, cr4;
	u32 reason, idt;

	if (!x->loaded) {
		vp->exit.reason = HV_X_INVALID;
		vp->exit.code = HV_VMX_VMFAIL;
		return;
	}
	if (eptp != x->eptp) {
		vmcs_write(EPT_POINTER, eptp);
		x->eptp = eptp;
	}
	/* Lazy TLB mode may switch this kthread's page tables under us. */
	cr3 = __get_current_cr3_fast();
	if (cr3 != x->host_cr3) {
		vmcs_write(HOST_CR3, cr3);
		x->host_cr3 = cr3;
	}
	cr4 = cr4_read_shadow();
	if (cr4 != x->host_cr4) {
		vmcs_write(HOST_CR4, cr4);
		x->host_cr4 = cr4;
	}
	if (hv_vmx.preempt_ticks)
		vmcs_write(VMX_PREEMPTION_TIMER_VALUE, hv_vmx.preempt_ticks);
	vmcs_write(GUEST_RSP, vp->gpr[HVCORE_RSP]);
	vmcs_write(GUEST_RIP, vp->rip);
	vmcs_write(GUEST_RFLAGS, vp->rflags);
	if (native_read_cr2() != x->cr2)
		native_write_cr2(x->cr2);

	if (hv_vmx_vmrun(vp->gpr, x->launched)) {
		if (x->host_debugctl)
			update_debugctlmsr(x->host_debugctl);
		vp->exit.reason = HV_X_INVALID;
		vp->exit.code = HV_VMX_VMFAIL | vmcs_read(VM_INSTRUCTION_ERROR);
		return;
	}
	x->cr2 = native_read_cr2();
	if (x->host_debugctl)
		update_debugctlmsr(x->host_debugctl);
	x->launched = true;
	reason = vmcs_read(VM_EXIT_REASON);

	/* An NMI exit leaves NMIs blocked until an IRET: Linux's handler does it. */
	if ((u16)reason == EXIT_REASON_EXCEPTION_NMI &&
	    (vmcs_read(VM_EXIT_INTR_INFO) & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR)
		asm volatile("int $2");

	vp->gpr[HVCORE_RSP] = vmcs_read(GUEST_RSP);
	vp->rip = vmcs_read(GUEST_RIP);
	vp->rflags = vmcs_read(GUEST_RFLAGS);

	/* An event cut short by the exit is delivered again (SDM 28.2.4). */
	idt = vmcs_read(IDT_VECTORING_INFO_FIELD);
	if (idt & VECTORING_INFO_VALID_MASK) {
		u32 type = idt & VECTORING_INFO_TYPE_MASK;

		vmcs_write(VM_ENTRY_INTR_INFO_FIELD, idt & ~INTR_INFO_UNBLOCK_NMI);
		if (idt & VECTORING_INFO_DELIVER_CODE_MASK)
			vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE,
				   vmcs_read(IDT_VECTORING_ERROR_CODE));
		if (type == INTR_TYPE_SOFT_INTR || type == INTR_TYPE_SOFT_EXCEPTION ||
		    type == INTR_TYPE_PRIV_SW_EXCEPTION)
			vmcs_write(VM_ENTRY_INSTRUCTION_LEN, vmcs_read(VM_EXIT_INSTRUCTION_LEN));
	}
	vmx_decode_exit(vp, x, reason);
}

/**
 * vmx_cpl() - the guest's privilege level
 * @vp: the VP
 *
 * Return: 0-3 (SS.DPL; 0 in real mode).
 */
int vmx_cpl(struct hv_vp *vp)
{
	struct hv_vmx_vp *x = vmx_vp(vp);

	if (!(vc_get(x, VC_CR0) & X86_CR0_PE))
		return 0;
	return (vc_get(x, vc_seg(HVCORE_SS, VC_AR)) >> 5) & 3;
}

/**
 * vmx_clear_shadow() - no interrupt shadow after a skipped instruction
 * @vp: the VP
 */
void vmx_clear_shadow(struct hv_vp *vp)
{
	struct hv_vmx_vp *x = vmx_vp(vp);
	u64 s = vc_get(x, VC_INTR_STATE);

	if (s & HV_INTR_SHADOW)
		vc_set(x, VC_INTR_STATE, s & ~HV_INTR_SHADOW);
}

/**
 * vmx_intr_allowed() - can the guest take an external interrupt now?
 * @vp: the VP
 *
 * Return: RFLAGS.IF set, no STI/MOV SS shadow, no event already queued.
 */
bool vmx_intr_allowed(struct hv_vp *vp)
{
	struct hv_vmx_vp *x = vmx_vp(vp);

	return (vp->rflags & X86_EFLAGS_IF) && !(vc_get(x, VC_INTR_STATE) & HV_INTR_SHADOW) &&
	       !(vc_get(x, VC_ENTRY_INFO) & INTR_INFO_VALID_MASK);
}

/**
 * vmx_intr_window() - exit as soon as the guest can take an interrupt
 * @vp:	the VP, loaded
 * @on:	request or cancel
 */
void vmx_intr_window(struct hv_vp *vp, bool on)
{
	struct hv_vmx_vp *x = vmx_vp(vp);
	u32 proc = on ? x->proc | CPU_BASED_INTR_WINDOW_EXITING :
			x->proc & ~CPU_BASED_INTR_WINDOW_EXITING;

	if (proc != x->proc && x->loaded) {
		vmcs_write(CPU_BASED_VM_EXEC_CONTROL, proc);
		x->proc = proc;
	}
}

/**
 * vmx_inject() - queue an event for the next VM entry
 * @vp:		the VP
 * @type:	HV_EV_*
 * @vector:	vector
 * @has_err:	push @err
 * @err:	error code
 *
 * Return: false when an event is already queued.
 */
bool vmx_inject(struct hv_vp *vp, int type, u8 vector, bool has_err, u32 err)
{
	struct hv_vmx_vp *x = vmx_vp(vp);
	u32 info = vector | INTR_INFO_VALID_MASK;

	if (vc_get(x, VC_ENTRY_INFO) & INTR_INFO_VALID_MASK)
		return false;
	info |= type == HV_EV_INTR ? INTR_TYPE_EXT_INTR :
		type == HV_EV_NMI ? INTR_TYPE_NMI_INTR : INTR_TYPE_HARD_EXCEPTION;
	/* Real mode has no error codes (SDM 26.2.1.3). */
	if (has_err && (vc_get(x, VC_CR0) & X86_CR0_PE)) {
		info |= INTR_INFO_DELIVER_CODE_MASK;
		vc_set(x, VC_ENTRY_ERR, err);
	}
	vc_set(x, VC_ENTRY_INFO, info);
	return true;
}

/**
 * vmx_npt_entry() - an EPT entry (SDM 29.3.2)
 * @pa:		machine address of the next table or the page
 * @level:	0 for a table, 1 for a 4 KiB page, 2 for a 2 MiB page
 *
 * Return: the entry: read/write/execute, write-back for pages (the guest's
 * PAT still applies); accessed/dirty are left for the CPU to set.
 */
u64 vmx_npt_entry(u64 pa, int level)
{
	if (!level)
		return pa | HV_EPT_RWX;
	return pa | HV_EPT_RWX | HV_EPT_WB | (level == 2 ? BIT_ULL(7) : 0);
}

/**
 * vmx_npt_ad() - what an EPT leaf entry says of its use
 * @e: a leaf entry
 *
 * Return: the accessed and dirty flags the CPU set; both when it has no
 * EPT A/D (then every mapping may have been used).
 */
unsigned int vmx_npt_ad(u64 e)
{
	if (!hv_vmx.ept_ad)
		return HV_NPT_ACCESSED | HV_NPT_DIRTY;
	return (e & VMX_EPT_ACCESS_BIT ? HV_NPT_ACCESSED : 0) |
	       (e & VMX_EPT_DIRTY_BIT ? HV_NPT_DIRTY : 0);
}

/**
 * vmx_get_efer() - EFER as the guest sees it
 * @vp: the VP
 *
 * Return: the value.
 */
u64 vmx_get_efer(struct hv_vp *vp)
{
	return vc_get(vmx_vp(vp), VC_EFER);
}

/**
 * vmx_set_efer() - WRMSR EFER by the guest
 * @vp:		the VP
 * @efer:	the value written
 *
 * Return: false (#GP) for reserved bits or LME changed under paging.
 */
bool vmx_set_efer(struct hv_vp *vp, u64 efer)
{
	struct hv_vmx_vp *x = vmx_vp(vp);
	u64 old = vc_get(x, VC_EFER);

	if (efer & ~HV_EFER_GUEST)
		return false;
	if ((vmx_cr0(x) & X86_CR0_PG) && ((efer ^ old) & EFER_LME))
		return false;
	vc_set(x, VC_EFER, (efer & ~EFER_LMA) | (old & EFER_LMA));
	return true;
}

/**
 * vmx_msr_pat() - the guest's PAT (GUEST_IA32_PAT, loaded by VM entry)
 * @vp:		the VP
 * @write:	WRMSR rather than RDMSR
 * @val:	in/out value
 *
 * Return: false (#GP) for an invalid memory type.
 */
bool vmx_msr_pat(struct hv_vp *vp, bool write, u64 *val)
{
	struct hv_vmx_vp *x = vmx_vp(vp);

	if (!write) {
		*val = vc_get(x, VC_PAT);
		return true;
	}
	if (!hv_pat_valid(*val))
		return false;
	vc_set(x, VC_PAT, *val);
	return true;
}
