// SPDX-License-Identifier: GPL-2.0
/*
 * AMD SVM virtual processors: the VMCB, its intercepts, registers, guest
 * entry and the translation of #VMEXIT codes into struct hv_exit (AMD APM
 * vol. 2, chapter 15 and appendix B/C).
 *
 * Choices that hold without the optional SVM features (the QEMU test host
 * has none of them):
 *  - no NRIPS: the next RIP is the exit's RIP plus the instruction's fixed
 *    length (CPUID 2, RDMSR/WRMSR 2, HLT 1, VMMCALL 3, XSETBV 3, INVD 2),
 *    or EXITINFO2 for port I/O, which every SVM implementation provides;
 *    with NRIPS the VMCB's next_rip is used;
 *  - no flush-by-ASID: each LP hands out ASIDs from 1 up; a VP takes a new
 *    one whenever it lands on an LP where its ASID is not current, and when
 *    an LP runs out it starts a new generation with one TLB_CONTROL flush
 *    of all ASIDs. The first ASID an LP hands out also flushes, since
 *    someone else (KVM, a previous load) may have used the numbers;
 *  - no VMCB clean bits: clean is always 0, the CPU reloads everything;
 *  - no decode assists: exit.c fetches and decodes MMIO instructions.
 *
 * Interrupts: V_INTR_MASKING is always on, so the guest's RFLAGS.IF only
 * masks virtual interrupts and physical interrupts (INTR intercept) and
 * NMIs make the guest exit. Debug registers are the host's: every MOV DR
 * is a #UD in the guest, so DR7 in the VMCB stays 0x400.
 */
#define pr_fmt(fmt) "hvcore: " fmt

#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/svm.h>
#include <asm/trap_pf.h>

#include "hvcore.h"
#include "svm.h"

/* EXITINFO1 of a nested-page fault: during the guest's page walk (APM 15.25.6) */
#define HV_NPF_GUEST_WALK	BIT_ULL(33)
#define HV_SVM_IOPM_ORDER	2	/* 12 KiB used */
#define HV_SVM_MSRPM_ORDER	1	/* 8 KiB */
#define HV_NPT_PRESENT		(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)
#define HV_NPT_LEAF		(HV_NPT_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY)

struct hv_svm_vp {
	struct vmcb *vmcb;
	u64 vmcb_pa;
};

static struct page *hv_svm_iopm;
static struct page *hv_svm_msrpm;

static inline struct hv_svm_vp *svm_vp(struct hv_vp *vp)
{
	return vp->arch;
}

static void svm_intercept(struct vmcb *v, unsigned int bit, bool on)
{
	if (on)
		v->control.intercepts[bit / 32] |= BIT(bit % 32);
	else
		v->control.intercepts[bit / 32] &= ~BIT(bit % 32);
}

/* Let the guest access @msr directly (APM 15.11, the MSR permission map). */
static void svm_msr_passthrough(u8 *map, u32 msr)
{
	u32 base;

	if (msr <= 0x1fff)
		base = 0;
	else if (msr >= 0xc0000000 && msr <= 0xc0001fff)
		base = 0x800;
	else if (msr >= 0xc0010000 && msr <= 0xc0011fff)
		base = 0x1000;
	else
		return;
	msr &= 0x1fff;
	/* Two bits per MSR: read intercept, write intercept. */
	map[base + msr / 4] &= ~(3 << (2 * (msr % 4)));
}

/**
 * svm_init() - the I/O and MSR permission maps shared by every VP
 *
 * Return: 0 or -ENOMEM.
 */
int svm_init(void)
{
	unsigned int i;

	if (hv_features.nr_asids < 2) {
		pr_err("SVM reports %u ASIDs; at least 2 are needed\n", hv_features.nr_asids);
		return -ENODEV;
	}
	hv_svm_iopm = alloc_pages(GFP_KERNEL, HV_SVM_IOPM_ORDER);
	hv_svm_msrpm = alloc_pages(GFP_KERNEL, HV_SVM_MSRPM_ORDER);
	if (!hv_svm_iopm || !hv_svm_msrpm) {
		svm_exit();
		return -ENOMEM;
	}
	/* Every port and MSR exits, except the MSRs the world switch swaps. */
	memset(page_address(hv_svm_iopm), 0xff, PAGE_SIZE << HV_SVM_IOPM_ORDER);
	memset(page_address(hv_svm_msrpm), 0xff, PAGE_SIZE << HV_SVM_MSRPM_ORDER);
	for (i = 0; i < hv_nr_msr_passthrough; i++)
		svm_msr_passthrough(page_address(hv_svm_msrpm), hv_msr_passthrough[i]);
	return 0;
}

/** svm_exit() - free the permission maps */
void svm_exit(void)
{
	if (hv_svm_iopm)
		__free_pages(hv_svm_iopm, HV_SVM_IOPM_ORDER);
	if (hv_svm_msrpm)
		__free_pages(hv_svm_msrpm, HV_SVM_MSRPM_ORDER);
	hv_svm_iopm = NULL;
	hv_svm_msrpm = NULL;
}

static void svm_seg_set(struct vmcb_seg *s, u16 sel, u64 base, u32 limit, u16 attrib)
{
	s->selector = sel;
	s->base = base;
	s->limit = limit;
	s->attrib = attrib;
}

/* Besides every MOV DR: what exits (svm_decode_exit() says what each becomes). */
static const unsigned int svm_intercepts[] = {
	INTERCEPT_INTR, INTERCEPT_NMI, INTERCEPT_SMI, INTERCEPT_CPUID, INTERCEPT_INVD,
	INTERCEPT_HLT, INTERCEPT_INVLPGA, INTERCEPT_IOIO_PROT, INTERCEPT_MSR_PROT,
	INTERCEPT_TASK_SWITCH, INTERCEPT_SHUTDOWN, INTERCEPT_VMRUN, INTERCEPT_VMMCALL,
	INTERCEPT_VMLOAD, INTERCEPT_VMSAVE, INTERCEPT_STGI, INTERCEPT_CLGI, INTERCEPT_SKINIT,
	INTERCEPT_MONITOR, INTERCEPT_MWAIT, INTERCEPT_MWAIT_COND, INTERCEPT_XSETBV,
	INTERCEPT_RDPRU,
};

/**
 * svm_vp_reset() - power-on state (APM 14.1.3) in the VMCB
 * @vp: the VP
 */
void svm_vp_reset(struct hv_vp *vp)
{
	struct vmcb *v = svm_vp(vp)->vmcb;
	struct vmcb_save_area *s = &v->save;
	struct vmcb_control_area *c = &v->control;
	unsigned int i;

	memset(v, 0, sizeof(*v));
	for (i = INTERCEPT_DR0_READ; i <= INTERCEPT_DR7_WRITE; i++)
		svm_intercept(v, i, true);
	for (i = 0; i < ARRAY_SIZE(svm_intercepts); i++)
		svm_intercept(v, svm_intercepts[i], true);

	c->iopm_base_pa = page_to_phys(hv_svm_iopm);
	c->msrpm_base_pa = page_to_phys(hv_svm_msrpm);
	c->int_ctl = V_INTR_MASKING_MASK;
	c->nested_ctl = SVM_NESTED_CTL_NP_ENABLE;

	svm_seg_set(&s->cs, 0xf000, 0xffff0000, 0xffff, 0x9b);
	svm_seg_set(&s->ds, 0, 0, 0xffff, 0x93);
	s->es = s->ds;
	s->ss = s->ds;
	s->fs = s->ds;
	s->gs = s->ds;
	svm_seg_set(&s->gdtr, 0, 0, 0xffff, 0);
	svm_seg_set(&s->idtr, 0, 0, 0xffff, 0);
	svm_seg_set(&s->ldtr, 0, 0, 0xffff, 0x82);
	svm_seg_set(&s->tr, 0, 0, 0xffff, 0x83);
	s->cr0 = X86_CR0_ET | X86_CR0_CD | X86_CR0_NW;
	s->efer = EFER_SVME;
	s->dr6 = HV_DR6_INIT;
	s->dr7 = HV_DR7_INIT;
	s->g_pat = HV_PAT_POWER_ON;
}

/**
 * svm_vp_create() - a VMCB for @vp
 * @vp: the VP
 *
 * Return: 0 or -ENOMEM.
 */
int svm_vp_create(struct hv_vp *vp)
{
	struct hv_svm_vp *s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	struct page *pg = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);

	if (!s || !pg) {
		kfree(s);
		if (pg)
			__free_page(pg);
		return -ENOMEM;
	}
	s->vmcb = page_address(pg);
	s->vmcb_pa = page_to_phys(pg);
	vp->arch = s;
	return 0;
}

/**
 * svm_vp_destroy() - free the VMCB
 * @vp: the VP, never again run
 */
void svm_vp_destroy(struct hv_vp *vp)
{
	struct hv_svm_vp *s = svm_vp(vp);

	free_page((unsigned long)s->vmcb);
	kfree(s);
	vp->arch = NULL;
}

static void svm_seg_get(const struct vmcb_seg *s, struct hvcore_segment *o)
{
	o->selector = s->selector;
	o->base = s->base;
	o->limit = s->limit;
	o->type = s->attrib & SVM_SELECTOR_TYPE_MASK;
	o->s = !!(s->attrib & SVM_SELECTOR_S_MASK);
	o->dpl = (s->attrib & SVM_SELECTOR_DPL_MASK) >> SVM_SELECTOR_DPL_SHIFT;
	o->present = !!(s->attrib & SVM_SELECTOR_P_MASK);
	o->avl = !!(s->attrib & SVM_SELECTOR_AVL_MASK);
	o->l = !!(s->attrib & SVM_SELECTOR_L_MASK);
	o->db = !!(s->attrib & SVM_SELECTOR_DB_MASK);
	o->g = !!(s->attrib & SVM_SELECTOR_G_MASK);
	o->unusable = !o->present;
}

static void svm_seg_put(struct vmcb_seg *s, const struct hvcore_segment *i)
{
	s->selector = i->selector;
	s->base = i->base;
	s->limit = i->limit;
	s->attrib = i->unusable ? 0 :
		    (i->type & 0xf) | (!!i->s << SVM_SELECTOR_S_SHIFT) |
		    ((i->dpl & 3) << SVM_SELECTOR_DPL_SHIFT) |
		    (!!i->present << SVM_SELECTOR_P_SHIFT) |
		    (!!i->avl << SVM_SELECTOR_AVL_SHIFT) | (!!i->l << SVM_SELECTOR_L_SHIFT) |
		    (!!i->db << SVM_SELECTOR_DB_SHIFT) | (!!i->g << SVM_SELECTOR_G_SHIFT);
}

/* The VMCB's segment registers in struct hvcore_regs order. */
static struct vmcb_seg *svm_seg(struct vmcb_save_area *s, int i)
{
	struct vmcb_seg *map[HVCORE_NR_SEGS] = {
		[HVCORE_ES] = &s->es, [HVCORE_CS] = &s->cs, [HVCORE_SS] = &s->ss,
		[HVCORE_DS] = &s->ds, [HVCORE_FS] = &s->fs, [HVCORE_GS] = &s->gs,
		[HVCORE_TR] = &s->tr, [HVCORE_LDTR] = &s->ldtr,
	};

	return map[i];
}

/**
 * svm_get_regs() - registers kept in the VMCB
 * @vp:	the VP
 * @r:	where to put them
 */
void svm_get_regs(struct hv_vp *vp, struct hvcore_regs *r)
{
	struct vmcb *v = svm_vp(vp)->vmcb;
	struct vmcb_save_area *s = &v->save;
	int i;

	for (i = 0; i < HVCORE_NR_SEGS; i++)
		svm_seg_get(svm_seg(s, i), &r->seg[i]);
	r->gdt.base = s->gdtr.base;
	r->gdt.limit = s->gdtr.limit;
	r->idt.base = s->idtr.base;
	r->idt.limit = s->idtr.limit;
	r->cr0 = s->cr0;
	r->cr2 = s->cr2;
	r->cr3 = s->cr3;
	r->cr4 = s->cr4;
	r->cr8 = v->control.int_ctl & V_TPR_MASK;
	r->efer = s->efer & ~EFER_SVME;
	r->dr6 = s->dr6;
	r->dr7 = s->dr7;
	r->pat = s->g_pat;
	r->star = s->star;
	r->lstar = s->lstar;
	r->cstar = s->cstar;
	r->sfmask = s->sfmask;
	r->kernel_gs_base = s->kernel_gs_base;
	r->sysenter_cs = s->sysenter_cs;
	r->sysenter_esp = s->sysenter_esp;
	r->sysenter_eip = s->sysenter_eip;
}

/**
 * svm_set_regs() - write registers kept in the VMCB
 * @vp:	the VP, not running
 * @r:	the registers
 *
 * Return: 0, or -EINVAL for values no VMRUN accepts.
 */
int svm_set_regs(struct hv_vp *vp, const struct hvcore_regs *r)
{
	struct vmcb *v = svm_vp(vp)->vmcb;
	struct vmcb_save_area *s = &v->save;
	u64 efer = r->efer & ~EFER_LMA;
	int i;

	if (!hv_regs_valid(r))
		return -EINVAL;
	if ((efer & EFER_LME) && (r->cr0 & X86_CR0_PG))
		efer |= EFER_LMA;

	for (i = 0; i < HVCORE_NR_SEGS; i++)
		svm_seg_put(svm_seg(s, i), &r->seg[i]);
	s->gdtr.base = r->gdt.base;
	s->gdtr.limit = r->gdt.limit;
	s->idtr.base = r->idt.base;
	s->idtr.limit = r->idt.limit;
	s->cpl = (r->efer & EFER_LMA || r->cr0 & X86_CR0_PE) ? r->seg[HVCORE_SS].dpl : 0;
	s->cr0 = r->cr0 | X86_CR0_ET;
	s->cr2 = r->cr2;
	s->cr3 = r->cr3;
	s->cr4 = r->cr4;
	v->control.int_ctl = (v->control.int_ctl & ~V_TPR_MASK) | r->cr8;
	s->efer = efer | EFER_SVME;
	s->dr6 = r->dr6 ? r->dr6 : HV_DR6_INIT;
	s->dr7 = HV_DR7_INIT;
	s->g_pat = r->pat;
	s->star = r->star;
	s->lstar = r->lstar;
	s->cstar = r->cstar;
	s->sfmask = r->sfmask;
	s->kernel_gs_base = r->kernel_gs_base;
	s->sysenter_cs = r->sysenter_cs;
	s->sysenter_esp = r->sysenter_esp;
	s->sysenter_eip = r->sysenter_eip;
	/* A new state starts without a pending event or interrupt shadow. */
	v->control.event_inj = 0;
	v->control.int_state = 0;
	return 0;
}

static u64 svm_next_rip(struct hv_vp *vp, const struct vmcb *v, int len)
{
	if (hv_features.bits & HVCORE_SVM_NRIPS)
		return v->control.next_rip;
	return vp->rip + len;
}

/* #VMEXIT code to struct hv_exit (APM appendix C). */
static void svm_decode_exit(struct hv_vp *vp, struct vmcb *v)
{
	struct vmcb_control_area *c = &v->control;
	struct hv_exit *x = &vp->exit;
	u64 info1 = c->exit_info_1;

	x->code = ((u64)c->exit_code_hi << 32) | c->exit_code;
	x->next_rip = 0;
	switch (c->exit_code) {
	case SVM_EXIT_INTR:
		x->reason = HV_X_EXTINT;
		break;
	case SVM_EXIT_NMI:
		x->reason = HV_X_NMI;
		break;
	case SVM_EXIT_SMI:
		x->reason = HV_X_NONE;
		break;
	case SVM_EXIT_VINTR:
		x->reason = HV_X_INTR_WINDOW;
		break;
	case SVM_EXIT_CPUID:
		x->reason = HV_X_CPUID;
		x->next_rip = svm_next_rip(vp, v, 2);
		break;
	case SVM_EXIT_MSR:
		x->reason = info1 ? HV_X_MSR_WRITE : HV_X_MSR_READ;
		x->next_rip = svm_next_rip(vp, v, 2);
		break;
	case SVM_EXIT_IOIO:
		x->reason = HV_X_IO;
		x->io.port = info1 >> 16;
		x->io.len = (info1 & SVM_IOIO_SIZE_MASK) >> SVM_IOIO_SIZE_SHIFT;
		x->io.in = info1 & SVM_IOIO_TYPE_MASK;
		x->io.string = info1 & SVM_IOIO_STR_MASK;
		x->io.rep = info1 & SVM_IOIO_REP_MASK;
		x->next_rip = c->exit_info_2;
		break;
	case SVM_EXIT_NPF:
		x->reason = HV_X_NPF;
		x->npf.gpa = c->exit_info_2;
		x->npf.write = info1 & X86_PF_WRITE;
		x->npf.fetch = info1 & X86_PF_INSTR;
		x->npf.walk = info1 & HV_NPF_GUEST_WALK;
		break;
	case SVM_EXIT_HLT:
		x->reason = HV_X_HLT;
		x->next_rip = svm_next_rip(vp, v, 1);
		break;
	case SVM_EXIT_VMMCALL:
		x->reason = HV_X_HYPERCALL;
		x->next_rip = svm_next_rip(vp, v, 3);
		break;
	case SVM_EXIT_XSETBV:
		x->reason = HV_X_XSETBV;
		x->next_rip = svm_next_rip(vp, v, 3);
		break;
	case SVM_EXIT_INVD:
		x->reason = HV_X_NOP;
		x->next_rip = svm_next_rip(vp, v, 2);
		break;
	case SVM_EXIT_READ_DR0 ... SVM_EXIT_WRITE_DR7:
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD ... SVM_EXIT_SKINIT:
	case SVM_EXIT_INVLPGA:
	case SVM_EXIT_MONITOR:
	case SVM_EXIT_MWAIT:
	case SVM_EXIT_MWAIT_COND:
	case SVM_EXIT_RDPRU:
		x->reason = HV_X_UD;
		break;
	case SVM_EXIT_SHUTDOWN:
		x->reason = HV_X_SHUTDOWN;
		break;
	case SVM_EXIT_ERR:
		x->reason = HV_X_INVALID;
		break;
	default:
		x->reason = HV_X_UNKNOWN;
	}
}

/**
 * svm_run() - enter the guest once
 * @vp:		the VP
 * @lp:		the LP we are on
 * @npt_pa:	nested page table root
 *
 * Context: interrupts off (the dispatcher's check of kick/slice/enabled
 * and the entry are one critical section).
 */
void svm_run(struct hv_vp *vp, struct hv_lp *lp, u64 npt_pa)
{
	struct hv_svm_vp *s = svm_vp(vp);
	struct vmcb *v = s->vmcb;
	struct vmcb_control_area *c = &v->control;

	if (hv_vp_asid(vp, lp))
		c->tlb_ctl = TLB_CONTROL_FLUSH_ALL_ASID;
	c->asid = vp->asid;
	c->nested_cr3 = npt_pa;
	c->clean = 0;
	v->save.rax = vp->gpr[HVCORE_RAX];
	v->save.rsp = vp->gpr[HVCORE_RSP];
	v->save.rip = vp->rip;
	v->save.rflags = vp->rflags;

	/*
	 * GIF = 0 holds interrupts and NMIs until STGI; RFLAGS.IF = 1 at
	 * VMRUN lets them exit the guest (V_INTR_MASKING).
	 */
	asm volatile("clgi" ::: "memory");
	raw_local_irq_enable();
	hv_svm_vmrun(s->vmcb_pa, vp->gpr, page_to_phys(lp->vendor_page2));
	raw_local_irq_disable();
	asm volatile("stgi" ::: "memory");

	c->tlb_ctl = TLB_CONTROL_DO_NOTHING;
	vp->gpr[HVCORE_RAX] = v->save.rax;
	vp->gpr[HVCORE_RSP] = v->save.rsp;
	vp->rip = v->save.rip;
	vp->rflags = v->save.rflags;

	/* An event cut short by the exit is delivered again (APM 15.7.2). */
	if (c->exit_int_info & SVM_EXITINTINFO_VALID) {
		c->event_inj = c->exit_int_info;
		c->event_inj_err = c->exit_int_info_err;
	} else {
		c->event_inj = 0;
	}
	svm_decode_exit(vp, v);
}

/**
 * svm_cpl() - the guest's privilege level
 * @vp: the VP
 *
 * Return: 0-3.
 */
int svm_cpl(struct hv_vp *vp)
{
	return svm_vp(vp)->vmcb->save.cpl;
}

/**
 * svm_clear_shadow() - no interrupt shadow after a skipped instruction
 * @vp: the VP
 */
void svm_clear_shadow(struct hv_vp *vp)
{
	svm_vp(vp)->vmcb->control.int_state &= ~SVM_INTERRUPT_SHADOW_MASK;
}

/**
 * svm_intr_allowed() - can the guest take an external interrupt now?
 * @vp: the VP
 *
 * Return: RFLAGS.IF set, no interrupt shadow, no event already queued.
 */
bool svm_intr_allowed(struct hv_vp *vp)
{
	struct vmcb_control_area *c = &svm_vp(vp)->vmcb->control;

	return (vp->rflags & X86_EFLAGS_IF) && !(c->int_state & SVM_INTERRUPT_SHADOW_MASK) &&
	       !(c->event_inj & SVM_EVTINJ_VALID);
}

/**
 * svm_intr_window() - exit as soon as the guest can take an interrupt
 * @vp:	the VP
 * @on:	request or cancel
 *
 * A virtual interrupt (V_IRQ, any priority, TPR ignored) with the VINTR
 * intercept exits exactly when the guest would take it (APM 15.21.4).
 */
void svm_intr_window(struct hv_vp *vp, bool on)
{
	struct vmcb *v = svm_vp(vp)->vmcb;
	u32 bits = V_IRQ_MASK | V_IGN_TPR_MASK | V_INTR_PRIO_MASK;

	if (on)
		v->control.int_ctl |= bits;
	else
		v->control.int_ctl &= ~bits;
	svm_intercept(v, INTERCEPT_VINTR, on);
}

/**
 * svm_inject() - queue an event for the next VMRUN (EVENTINJ)
 * @vp:		the VP
 * @type:	HV_EV_*
 * @vector:	vector
 * @has_err:	push @err
 * @err:	error code
 *
 * Return: false when an event is already queued.
 */
bool svm_inject(struct hv_vp *vp, int type, u8 vector, bool has_err, u32 err)
{
	struct vmcb_control_area *c = &svm_vp(vp)->vmcb->control;
	u32 t = type == HV_EV_INTR ? SVM_EVTINJ_TYPE_INTR :
		type == HV_EV_NMI ? SVM_EVTINJ_TYPE_NMI : SVM_EVTINJ_TYPE_EXEPT;

	if (c->event_inj & SVM_EVTINJ_VALID)
		return false;
	c->event_inj_err = err;
	c->event_inj = vector | t | SVM_EVTINJ_VALID | (has_err ? SVM_EVTINJ_VALID_ERR : 0);
	return true;
}

/**
 * svm_npt_entry() - an AMD nested page table entry
 * @pa:		machine address of the next table or the page
 * @level:	0 for a table, 1 for a 4 KiB page, 2 for a 2 MiB page
 *
 * Return: the entry. Nested accesses count as user accesses (APM 15.25.5),
 * hence U/S; A and D are preset so the CPU never writes them.
 */
u64 svm_npt_entry(u64 pa, int level)
{
	if (!level)
		return pa | HV_NPT_PRESENT;
	return pa | HV_NPT_LEAF | (level == 2 ? _PAGE_PSE : 0);
}

/**
 * svm_npt_ad() - what an AMD nested page table entry says of its use
 * @e: a leaf entry
 *
 * Return: both flags: svm_npt_entry() presets them.
 */
unsigned int svm_npt_ad(u64 e)
{
	return HV_NPT_ACCESSED | HV_NPT_DIRTY;
}

/**
 * svm_get_efer() - EFER as the guest sees it (SVME is hvcore's)
 * @vp: the VP
 *
 * Return: the value.
 */
u64 svm_get_efer(struct hv_vp *vp)
{
	return svm_vp(vp)->vmcb->save.efer & ~EFER_SVME;
}

/**
 * svm_set_efer() - WRMSR EFER by the guest
 * @vp:		the VP
 * @efer:	the value written
 *
 * Return: false (#GP) for reserved bits, SVME, or LME changed under paging.
 */
bool svm_set_efer(struct hv_vp *vp, u64 efer)
{
	struct vmcb_save_area *s = &svm_vp(vp)->vmcb->save;

	if (efer & ~HV_EFER_GUEST)
		return false;
	if ((s->cr0 & X86_CR0_PG) && ((efer ^ s->efer) & EFER_LME))
		return false;
	s->efer = (efer & ~EFER_LMA) | (s->efer & EFER_LMA) | EFER_SVME;
	return true;
}

/**
 * svm_msr_pat() - the guest's PAT (G_PAT with nested paging)
 * @vp:		the VP
 * @write:	WRMSR rather than RDMSR
 * @val:	in/out value
 *
 * Return: false (#GP) for an invalid memory type.
 */
bool svm_msr_pat(struct hv_vp *vp, bool write, u64 *val)
{
	struct vmcb_save_area *s = &svm_vp(vp)->vmcb->save;

	if (!write) {
		*val = s->g_pat;
		return true;
	}
	if (!hv_pat_valid(*val))
		return false;
	s->g_pat = *val;
	return true;
}
