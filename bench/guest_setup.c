// SPDX-License-Identifier: GPL-2.0
/*
 * hvcore bench: the guest both harnesses run, built once.
 *
 * 64-bit long mode with the first 2 MiB identity-mapped by one large
 * page (AMD APM vol 2, 5.3 "Long-Mode Page Translation"), a flat GDT, an
 * IDT of 64-bit interrupt gates and a TSS (APM vol 2, 4.8 and 8.9). The
 * layout is in guests/guest.h.
 */
#include <string.h>

#include "bench.h"

#define GUEST_SYMS(n) \
	extern const unsigned char guest_##n##_start[], guest_##n##_end[]
GUEST_SYMS(cpuid);
GUEST_SYMS(hypercall);
GUEST_SYMS(io);
GUEST_SYMS(hlt);
GUEST_SYMS(spin);
GUEST_SYMS(wake);

const struct bench_guest bench_guests[BENCH_NR] = {
	[BENCH_CPUID] = { "cpuid", "CPUID leaf 0",
			  guest_cpuid_start, guest_cpuid_end, 20000 },
	[BENCH_HYPERCALL] = { "hypercall", "null hypercall (VMMCALL)",
			      guest_hypercall_start, guest_hypercall_end, 20000 },
	[BENCH_IO] = { "io", "port I/O to the worker",
		       guest_io_start, guest_io_end, 10000 },
	[BENCH_HLT] = { "hlt", "HLT woken by an injected interrupt",
			guest_hlt_start, guest_hlt_end, 10000 },
};

/* The scheduler rows' guests: they run until stopped (rounds unused). */
const struct bench_guest bench_spin = {
	"spin", "CPU-bound loop", guest_spin_start, guest_spin_end, 0
};

const struct bench_guest bench_wake = {
	"wake", "HLT, TSC at each wake-up", guest_wake_start, guest_wake_end, 0
};

/* Page-table entry bits */
#define PTE_P		BIT_ULL(0)
#define PTE_RW		BIT_ULL(1)
#define PTE_PS		BIT_ULL(7)

/* Control-register and EFER bits */
#define CR0_PE		BIT_ULL(0)
#define CR0_MP		BIT_ULL(1)
#define CR0_ET		BIT_ULL(4)
#define CR0_NE		BIT_ULL(5)
#define CR0_PG		BIT_ULL(31)
#define CR4_PAE		BIT_ULL(5)
#define EFER_LME	BIT_ULL(8)
#define EFER_LMA	BIT_ULL(10)

/* Descriptor types (S = 1: code/data, S = 0: system) */
#define TYPE_CODE_XRA	0xb	/* execute/read, accessed */
#define TYPE_DATA_RWA	0x3	/* read/write, accessed */
#define TYPE_TSS64_BUSY	0xb
#define TYPE_LDT	0x2
#define TYPE_INTR_GATE	0xe
#define TSS_LIMIT	0x67

static void put64(void *mem, __u64 gpa, __u64 v)
{
	memcpy((char *)mem + gpa, &v, sizeof(v));
}

/* An 8-byte code or data descriptor (limit 0xfffff, 4 KiB granular). */
static __u64 seg_desc(const struct bench_seg *s)
{
	__u64 limit = s->limit >> (s->g ? 12 : 0);

	return (limit & 0xffff) | (s->base & 0xffffff) << 16 |
	       (__u64)s->type << 40 | (__u64)s->s << 44 |
	       (__u64)s->dpl << 45 | (__u64)s->present << 47 |
	       ((limit >> 16) & 0xf) << 48 | (__u64)s->l << 53 |
	       (__u64)s->db << 54 | (__u64)s->g << 55 |
	       ((s->base >> 24) & 0xff) << 56;
}

static struct bench_seg code_seg(void)
{
	return (struct bench_seg){ .limit = 0xffffffff, .selector = GUEST_SEL_CODE,
				   .type = TYPE_CODE_XRA, .s = 1, .present = 1,
				   .l = 1, .g = 1 };
}

static struct bench_seg data_seg(void)
{
	return (struct bench_seg){ .limit = 0xffffffff, .selector = GUEST_SEL_DATA,
				   .type = TYPE_DATA_RWA, .s = 1, .present = 1,
				   .db = 1, .g = 1 };
}

static struct bench_seg tss_seg(void)
{
	return (struct bench_seg){ .base = GUEST_TSS, .limit = TSS_LIMIT,
				   .selector = GUEST_SEL_TSS,
				   .type = TYPE_TSS64_BUSY, .present = 1 };
}

void guest_build(void *mem, const struct bench_guest *g)
{
	struct bench_seg code = code_seg(), data = data_seg(), tss = tss_seg();
	__u64 handler;
	int v;

	memset(mem, 0, GUEST_MEM_SIZE);

	put64(mem, GUEST_PML4, GUEST_PDPT | PTE_P | PTE_RW);
	put64(mem, GUEST_PDPT, GUEST_PD | PTE_P | PTE_RW);
	put64(mem, GUEST_PD, 0 | PTE_P | PTE_RW | PTE_PS);

	put64(mem, GUEST_GDT + GUEST_SEL_CODE, seg_desc(&code));
	put64(mem, GUEST_GDT + GUEST_SEL_DATA, seg_desc(&data));
	/* A 16-byte system descriptor: the upper half holds base[63:32]. */
	put64(mem, GUEST_GDT + GUEST_SEL_TSS, seg_desc(&tss));
	put64(mem, GUEST_GDT + GUEST_SEL_TSS + 8, tss.base >> 32);

	for (v = 0; v < 256; v++) {
		handler = GUEST_CODE + (v < 32 ? GUEST_OFF_FAULT : GUEST_OFF_IRET);
		put64(mem, GUEST_IDT + v * 16,
		      (handler & 0xffff) | (__u64)GUEST_SEL_CODE << 16 |
		      (__u64)TYPE_INTR_GATE << 40 | 1ULL << 47 |
		      ((handler >> 16) & 0xffff) << 48);
		put64(mem, GUEST_IDT + v * 16 + 8, handler >> 32);
	}

	memcpy((char *)mem + GUEST_CODE, g->start, g->end - g->start);
}

void guest_cpu(struct bench_cpu *cpu, unsigned long warmup, unsigned long rounds)
{
	memset(cpu, 0, sizeof(*cpu));
	cpu->rip = GUEST_CODE;
	cpu->rsp = GUEST_STACK_TOP;
	cpu->rflags = 0x2;		/* bit 1 is always set; IF = 0 */
	cpu->r14 = warmup;
	cpu->r15 = rounds;
	cpu->cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_PG;
	cpu->cr3 = GUEST_PML4;
	cpu->cr4 = CR4_PAE;
	cpu->efer = EFER_LME | EFER_LMA;
	cpu->cs = code_seg();
	cpu->data = data_seg();
	cpu->tr = tss_seg();
	cpu->ldt = (struct bench_seg){ .type = TYPE_LDT, .unusable = 1 };
	cpu->gdt_base = GUEST_GDT;
	cpu->gdt_limit = GUEST_SEL_TSS + 16 - 1;
	cpu->idt_base = GUEST_IDT;
	cpu->idt_limit = 256 * 16 - 1;
}
