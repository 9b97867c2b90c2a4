// SPDX-License-Identifier: GPL-2.0
/*
 * The guest library of the hvcore selftests (guest.h). Facts used: the
 * long-mode descriptor, gate and paging formats of the AMD APM vol. 2
 * (4.7-4.8, 5.3, 8.2) and Intel SDM vol. 3 (3.4.5, 4.5, 6.14, 7.2.3).
 */
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"
#include "hvtest.h"

static_assert(offsetof(struct guest_vp_data, exc_count) == VPD_EXC_COUNT, "layout");
static_assert(offsetof(struct guest_vp_data, exc_vector) == VPD_EXC_VECTOR, "layout");
static_assert(offsetof(struct guest_vp_data, exc_error) == VPD_EXC_ERROR, "layout");
static_assert(offsetof(struct guest_vp_data, exc_rip) == VPD_EXC_RIP, "layout");
static_assert(offsetof(struct guest_vp_data, fixup) == VPD_FIXUP, "layout");
static_assert(offsetof(struct guest_vp_data, irq_count) == VPD_IRQ_COUNT, "layout");
static_assert(offsetof(struct guest_vp_data, irq_log) == VPD_IRQ_LOG, "layout");
static_assert(offsetof(struct guest_vp_data, phase) == VPD_PHASE, "layout");
static_assert(offsetof(struct guest_vp_data, go) == VPD_GO, "layout");
static_assert(offsetof(struct guest_vp_data, result) == VPD_RESULT, "layout");
static_assert(sizeof(struct guest_vp_data) <= VPD_SIZE, "layout");

#define BIT_ULL(n)	(1ULL << (n))

/* Control registers and EFER bits (APM vol. 2, 3.1 and 3.1.7) */
#define CR0_PE		BIT_ULL(0)
#define CR0_MP		BIT_ULL(1)
#define CR0_ET		BIT_ULL(4)
#define CR0_NE		BIT_ULL(5)
#define CR0_WP		BIT_ULL(16)
#define CR0_PG		BIT_ULL(31)
#define CR4_PAE		BIT_ULL(5)
#define CR4_OSFXSR	BIT_ULL(9)
#define CR4_OSXMMEXCPT	BIT_ULL(10)
#define EFER_SCE	BIT_ULL(0)
#define EFER_LME	BIT_ULL(8)
#define EFER_LMA	BIT_ULL(10)

/* Page-table entry bits */
#define PTE_P		BIT_ULL(0)
#define PTE_RW		BIT_ULL(1)
#define PTE_PS		BIT_ULL(7)

#define PT_PML4		(GUEST_PT)
#define PT_PDPT		(GUEST_PT + 0x1000)
#define PT_PD(i)	(GUEST_PT + 0x2000 + (i) * 0x1000)
#define PT_FIRST_4K	(GUEST_PT + 0x6000)
#define GIB		BIT_ULL(30)
#define MIB2		(2ULL << 20)

int hvt_dev_open(void)
{
	return open("/dev/hvcore", O_RDWR | O_CLOEXEC);
}

long hvt_held_pages(void)
{
	return read_long(SYSFS "/memory_pages");
}

/*
 * Whether this host runs guests: false only when START says EOPNOTSUPP
 * (a vendor without a world switch yet); other failures are the tests' to see.
 */
bool guest_can_run(int dev)
{
	struct guest g;
	bool ret = true;

	if (!guest_create(&g, dev, "hvtest-probe", 1ULL << 20, 1)) {
		/* A guest that exits at once; START decides even if this fails. */
		if (!guest_load_real(&g, GUEST_IMAGE(real)))
			guest_set_entry_regs(&g);
		ret = guest_control(&g, HVCORE_CONTROL_START, 0) != -EOPNOTSUPP;
	}
	guest_destroy(&g);
	return ret;
}

void guest_sleep_ms(int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static long long now_ms(void)
{
	return hvt_now_ns() / 1000000;
}

int guest_create(struct guest *g, int dev, const char *name, __u64 mem_bytes,
		 unsigned int nr_vps)
{
	return guest_create_node(g, dev, name, mem_bytes, nr_vps, HVCORE_NODE_ANY);
}

int guest_create_node(struct guest *g, int dev, const char *name, __u64 mem_bytes,
		      unsigned int nr_vps, int node)
{
	struct hvcore_create c = { .size = sizeof(c) };
	struct hvcore_select s = { .size = sizeof(s) };
	struct hvcore_config cfg = { .size = sizeof(cfg), .memory_bytes = mem_bytes,
				     .numa_node = node, .vp_count = nr_vps };
	int ret;

	memset(g, 0, sizeof(*g));
	g->fd = -1;
	g->dev = dev;
	pthread_mutex_init(&g->lock, NULL);
	g->msgs = calloc(GUEST_MAX_MSGS, sizeof(*g->msgs));
	if (!g->msgs)
		return -ENOMEM;
	snprintf(c.name, sizeof(c.name), "%s", name);
	snprintf(g->name, sizeof(g->name), "%s", name);
	if (ioctl(dev, HVCORE_CREATE_PARTITION, &c))
		return -errno;
	g->id = c.id;
	s.id = c.id;
	g->fd = ioctl(dev, HVCORE_OPEN_PARTITION, &s);
	if (g->fd < 0) {
		g->fd = -1;
		return -errno;
	}
	if (ioctl(g->fd, HVCORE_CONFIGURE, &cfg))
		return -errno;
	g->mem_bytes = mem_bytes;
	g->nr_vps = nr_vps ? nr_vps : 1;
	if (mem_bytes) {
		g->mem = mmap(NULL, mem_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, g->fd, 0);
		if (g->mem == MAP_FAILED) {
			ret = -errno;
			g->mem = NULL;
			return ret;
		}
	}
	return 0;
}

void guest_destroy(struct guest *g)
{
	struct hvcore_select s = { .size = sizeof(s), .id = g->id };

	if (!g->msgs)
		return;		/* never created, or destroyed already */
	if (g->thread_running) {
		if (g->fd >= 0)
			guest_control(g, HVCORE_CONTROL_STOP, GUEST_EXIT_TIMEOUT);
		guest_serve_wait(g);
	}
	if (g->mem)
		munmap(g->mem, g->mem_bytes);
	g->mem = NULL;
	if (g->fd >= 0)
		close(g->fd);
	g->fd = -1;
	if (g->id)
		ioctl(g->dev, HVCORE_DELETE_PARTITION, &s);
	g->id = 0;
	free(g->msgs);
	g->msgs = NULL;
}

int guest_load(struct guest *g, __u64 gpa, const void *data, size_t len)
{
	struct hvcore_load l = { .size = sizeof(l), .gpa = gpa, .bytes = len,
				 .data = (__u64)(unsigned long)data };

	return ioctl(g->fd, HVCORE_LOAD, &l) ? -errno : 0;
}

struct guest_vp_data *guest_vpd(struct guest *g, unsigned int vp)
{
	return (struct guest_vp_data *)(g->mem + GUEST_VP_AREA + vp * GUEST_VP_SIZE);
}

static __u64 *u64_at(struct guest *g, __u64 gpa)
{
	return (__u64 *)(g->mem + gpa);
}

/* GDT: null, 64-bit code, data, a 64-bit TSS descriptor (16 bytes). */
static void build_gdt(struct guest *g)
{
	const __u64 base = GUEST_TSS, limit = 0x67;
	__u64 *gdt = u64_at(g, GUEST_GDT);

	gdt[0] = 0;
	gdt[1] = 0x00af9b000000ffffULL;	/* G, L, P, S, type 0xb, limit 0xfffff */
	gdt[2] = 0x00cf93000000ffffULL;	/* G, D/B, P, S, type 0x3 */
	gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[4] = base >> 32;
	memset(g->mem + GUEST_TSS, 0, 0x68);
	*(__u16 *)(g->mem + GUEST_TSS + 0x66) = 0x68;	/* no I/O permission map */
}

/* IDT: 256 interrupt gates, DPL 0, to head.S's stubs. */
static void build_idt(struct guest *g)
{
	__u64 *idt = u64_at(g, GUEST_IDT);
	unsigned int v;

	for (v = 0; v < 256; v++) {
		__u64 h = GUEST_STUBS + 16ULL * v;

		idt[2 * v] = (h & 0xffff) | ((__u64)GUEST_SEL_CODE << 16) | (0x8eULL << 40) |
			     (((h >> 16) & 0xffff) << 48);
		idt[2 * v + 1] = h >> 32;
	}
}

/* The first 4 GiB identity-mapped with 2 MiB pages, but the 4 KiB range. */
static int build_page_tables(struct guest *g)
{
	__u64 s = g->map4k_start, e = g->map4k_end, next_pt = PT_FIRST_4K;
	__u64 *pml4 = u64_at(g, PT_PML4), *pdpt = u64_at(g, PT_PDPT);
	unsigned int i, j, k;

	if (s % 4096 || e % 4096 || s > e || e > 4 * GIB)
		return -EINVAL;
	memset(g->mem + GUEST_PT, 0, GUEST_PT_END - GUEST_PT);
	pml4[0] = PT_PDPT | PTE_P | PTE_RW;
	for (i = 0; i < 4; i++) {
		__u64 *pd = u64_at(g, PT_PD(i));

		pdpt[i] = PT_PD(i) | PTE_P | PTE_RW;
		for (j = 0; j < 512; j++) {
			__u64 va = i * GIB + j * MIB2, *pt;

			if (va + MIB2 <= s || va >= e) {
				pd[j] = va | PTE_P | PTE_RW | PTE_PS;
				continue;
			}
			if (next_pt >= GUEST_PT_END)
				return -ENOSPC;
			pt = u64_at(g, next_pt);
			pd[j] = next_pt | PTE_P | PTE_RW;
			next_pt += 4096;
			for (k = 0; k < 512; k++) {
				__u64 a = va + k * 4096ULL, pa = a;

				if (g->map4k_reverse && a >= s && a < e)
					pa = s + (e - 4096 - a);
				pt[k] = pa | PTE_P | PTE_RW;
			}
		}
	}
	return 0;
}

int guest_load_long(struct guest *g, const struct guest_image *image)
{
	size_t len = image->end - image->start;
	unsigned int vp;
	int ret;

	if (!g->mem || g->mem_bytes < GUEST_MEM_MIN || g->nr_vps > GUEST_MAX_VPS ||
	    GUEST_CODE + len > g->mem_bytes)
		return -EINVAL;
	build_gdt(g);
	build_idt(g);
	ret = build_page_tables(g);
	if (ret)
		return ret;
	for (vp = 0; vp < g->nr_vps; vp++)
		memset(guest_vpd(g, vp), 0, GUEST_VP_SIZE);
	g->mode = GUEST_MODE_LONG;
	return guest_load(g, GUEST_CODE, image->start, len);
}

int guest_load_real(struct guest *g, const struct guest_image *image)
{
	size_t len = image->end - image->start;

	if (!g->mem || GUEST_REAL_CODE + len > g->mem_bytes || len > 0x10000)
		return -EINVAL;
	g->mode = GUEST_MODE_REAL;
	return guest_load(g, GUEST_REAL_CODE, image->start, len);
}

int guest_get_regs(struct guest *g, unsigned int vp, struct hvcore_regs *r)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->vp = vp;
	return ioctl(g->fd, HVCORE_GET_REGS, r) ? -errno : 0;
}

int guest_set_regs(struct guest *g, struct hvcore_regs *r)
{
	return ioctl(g->fd, HVCORE_SET_REGS, r) ? -errno : 0;
}

static void set_seg(struct hvcore_segment *s, __u16 sel, __u64 base, __u32 limit,
		    __u8 type, __u8 code_data, __u8 l, __u8 db, __u8 gran)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->base = base;
	s->limit = limit;
	s->type = type;
	s->s = code_data;
	s->present = 1;
	s->l = l;
	s->db = db;
	s->g = gran;
}

static void entry_long(struct guest *g, unsigned int vp, struct hvcore_regs *r)
{
	__u64 vpd = GUEST_VP_AREA + (__u64)vp * GUEST_VP_SIZE;
	unsigned int i;

	memset(r->gpr, 0, sizeof(r->gpr));
	r->gpr[HVCORE_RSP] = vpd + GUEST_VP_SIZE;
	r->gpr[HVCORE_RDI] = vp;
	r->gpr[HVCORE_RSI] = g->nr_vps;
	r->gpr[HVCORE_RBX] = vpd;
	r->gpr[HVCORE_RDX] = g->args[0];
	r->gpr[HVCORE_R8] = g->args[1];
	r->gpr[HVCORE_R9] = g->args[2];
	r->gpr[HVCORE_R10] = g->args[3];
	r->rip = GUEST_CODE;
	r->rflags = 2;
	set_seg(&r->seg[HVCORE_CS], GUEST_SEL_CODE, 0, 0xffffffff, 0xb, 1, 1, 0, 1);
	for (i = 0; i < HVCORE_TR; i++)
		if (i != HVCORE_CS)
			set_seg(&r->seg[i], GUEST_SEL_DATA, 0, 0xffffffff, 0x3, 1, 0, 1, 1);
	r->seg[HVCORE_GS].base = vpd;
	set_seg(&r->seg[HVCORE_TR], GUEST_SEL_TSS, GUEST_TSS, 0x67, 0xb, 0, 0, 0, 0);
	set_seg(&r->seg[HVCORE_LDTR], 0, 0, 0, 0x2, 0, 0, 0, 0);
	r->seg[HVCORE_LDTR].present = 0;
	r->seg[HVCORE_LDTR].unusable = 1;
	memset(&r->gdt, 0, sizeof(r->gdt));
	r->gdt.base = GUEST_GDT;
	r->gdt.limit = 5 * 8 - 1;
	memset(&r->idt, 0, sizeof(r->idt));
	r->idt.base = GUEST_IDT;
	r->idt.limit = 256 * 16 - 1;
	r->cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	r->cr2 = 0;
	r->cr3 = PT_PML4;
	r->cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
	r->cr8 = 0;
	r->efer = EFER_LME | EFER_LMA | EFER_SCE;
}

static void entry_real(struct guest *g, unsigned int vp, struct hvcore_regs *r)
{
	unsigned int i;

	memset(r->gpr, 0, sizeof(r->gpr));
	r->gpr[HVCORE_RSP] = GUEST_REAL_STACK;
	r->gpr[HVCORE_RDI] = vp;
	r->rip = 0;
	r->rflags = 2;
	set_seg(&r->seg[HVCORE_CS], GUEST_REAL_CODE >> 4, GUEST_REAL_CODE, 0xffff, 0xb, 1, 0, 0, 0);
	for (i = 0; i < HVCORE_TR; i++)
		if (i != HVCORE_CS)
			set_seg(&r->seg[i], 0, 0, 0xffff, 0x3, 1, 0, 0, 0);
	memset(&r->idt, 0, sizeof(r->idt));
	r->idt.limit = 0x3ff;
	r->cr0 = CR0_ET;
	r->cr3 = 0;
	r->cr4 = 0;
	r->efer = 0;
}

/* The registers VP @vp starts with: its current ones, changed for the mode. */
int guest_entry_regs(struct guest *g, unsigned int vp, struct hvcore_regs *r)
{
	int ret = guest_get_regs(g, vp, r);

	if (ret)
		return ret;
	if (g->mode == GUEST_MODE_LONG)
		entry_long(g, vp, r);
	else if (g->mode == GUEST_MODE_REAL)
		entry_real(g, vp, r);
	else
		return -EINVAL;
	return 0;
}

int guest_set_entry_regs(struct guest *g)
{
	struct hvcore_regs r;
	unsigned int vp;
	int ret;

	for (vp = 0; vp < g->nr_vps; vp++) {
		ret = guest_entry_regs(g, vp, &r);
		if (!ret)
			ret = guest_set_regs(g, &r);
		if (ret)
			return ret;
	}
	return 0;
}

int guest_control(struct guest *g, __u32 op, __u32 code)
{
	struct hvcore_control c = { .size = sizeof(c), .op = op, .code = code };

	return ioctl(g->fd, HVCORE_CONTROL, &c) ? -errno : 0;
}

int guest_info(struct guest *g, struct hvcore_partition_info *pi)
{
	memset(pi, 0, sizeof(*pi));
	pi->size = sizeof(*pi);
	return ioctl(g->fd, HVCORE_PARTITION_INFO, pi) ? -errno : 0;
}

/* LPs hvcore runs VPs on (HVCORE_GET_INFO), or -errno. */
long nr_lps(int dev)
{
	struct hvcore_info i = { .size = sizeof(i) };

	return ioctl(dev, HVCORE_GET_INFO, &i) ? -errno : (long)i.nr_lps;
}

int guest_vp_info(struct guest *g, unsigned int vp, struct hvcore_vp_info *vi)
{
	memset(vi, 0, sizeof(*vi));
	vi->size = sizeof(*vi);
	vi->vp = vp;
	return ioctl(g->fd, HVCORE_VP_INFO, vi) ? -errno : 0;
}

int guest_inject(struct guest *g, unsigned int vp, __u32 type, __u32 vector,
		 __u32 flags, __u32 error_code)
{
	struct hvcore_inject in = { .size = sizeof(in), .flags = flags, .vp = vp,
				    .type = type, .vector = vector,
				    .error_code = error_code };

	return ioctl(g->fd, HVCORE_INJECT, &in) ? -errno : 0;
}

int guest_set_cpuid(struct guest *g, const struct hvcore_cpuid_entry *e, __u32 count)
{
	struct hvcore_cpuid c = { .size = sizeof(c), .count = count,
				  .entries = (__u64)(unsigned long)e };

	return ioctl(g->fd, HVCORE_SET_CPUID, &c) ? -errno : 0;
}

int guest_msr_intercept(struct guest *g, __u32 msr, __u32 enable)
{
	struct hvcore_msr_intercept m = { .size = sizeof(m), .msr = msr, .enable = enable };

	return ioctl(g->fd, HVCORE_SET_MSR_INTERCEPT, &m) ? -errno : 0;
}

int guest_wait_state(struct guest *g, __u32 state, int timeout_ms)
{
	long long end = now_ms() + timeout_ms;
	struct hvcore_partition_info pi;
	int ret;

	for (;;) {
		ret = guest_info(g, &pi);
		if (ret)
			return ret;
		if (pi.state == state)
			return 0;
		if (now_ms() > end)
			return -ETIMEDOUT;
		guest_sleep_ms(5);
	}
}

int guest_wait_vp_state(struct guest *g, unsigned int vp, __u32 state, int timeout_ms)
{
	long long end = now_ms() + timeout_ms;
	struct hvcore_vp_info vi;
	int ret;

	for (;;) {
		ret = guest_vp_info(g, vp, &vi);
		if (ret)
			return ret;
		if (vi.state == state)
			return 0;
		if (now_ms() > end)
			return -ETIMEDOUT;
		guest_sleep_ms(5);
	}
}

int guest_wait_phase(struct guest *g, unsigned int vp, __u64 phase, int timeout_ms)
{
	long long end = now_ms() + timeout_ms;

	while (__atomic_load_n(&guest_vpd(g, vp)->phase, __ATOMIC_ACQUIRE) < phase) {
		if (now_ms() > end)
			return -ETIMEDOUT;
		guest_sleep_ms(5);
	}
	return 0;
}

void guest_go(struct guest *g, unsigned int vp, __u64 go)
{
	__atomic_store_n(&guest_vpd(g, vp)->go, go, __ATOMIC_RELEASE);
}

int guest_attach(struct guest *g)
{
	struct hvcore_attach a = { .size = sizeof(a) };

	if (ioctl(g->fd, HVCORE_ATTACH_WORKER, &a))
		return -errno;
	g->attached = true;
	return 0;
}

/* Entry registers on every VP, the worker attached, START. */
int guest_start(struct guest *g)
{
	int ret = guest_set_entry_regs(g);

	if (!ret && !g->attached)
		ret = guest_attach(g);
	if (!ret)
		ret = guest_control(g, HVCORE_CONTROL_START, 0);
	return ret;
}

static void append(char *buf, size_t *len, size_t room, const char *s, size_t n)
{
	if (n > room - 1 - *len)
		n = room - 1 - *len;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}

static __u64 trunc_len(__u64 v, unsigned int len)
{
	return len >= 8 ? v : v & ((1ULL << (8 * len)) - 1);
}

/*
 * What the worker does with a message nobody else took. Returns the
 * control operation to do after completing it (0, STOP or PAUSE).
 */
static __u32 default_handle(struct guest *g, const struct hvcore_message *m,
			    struct hvcore_complete *c, __u32 *code)
{
	bool write = m->flags & HVCORE_MSG_F_WRITE;
	__u32 op = 0;
	char ch;

	switch (m->type) {
	case HVCORE_MSG_IO:
		if (m->io.port == GUEST_PORT_EXIT && write) {
			__u64 quorum = g->exit_quorum ? g->exit_quorum : g->nr_vps;
			__u32 v = trunc_len(m->io.data, m->io.len);

			pthread_mutex_lock(&g->lock);
			if (m->vp < GUEST_MAX_VPS) {
				g->exited_mask |= 1ULL << m->vp;
				g->exit_codes[m->vp] = v;
			}
			if (v && !g->exit_code)
				g->exit_code = v;
			if ((unsigned int)__builtin_popcountll(g->exited_mask) >= quorum ||
			    v >= GUEST_EXIT_EXCEPTION) {
				g->exited = true;
				*code = g->exit_code;
				op = HVCORE_CONTROL_STOP;
			}
			pthread_mutex_unlock(&g->lock);
		} else if (m->io.port == GUEST_PORT_PAUSE && write) {
			op = HVCORE_CONTROL_PAUSE;
		} else if (m->io.port == GUEST_PORT_SERIAL && write) {
			ch = (char)m->io.data;
			pthread_mutex_lock(&g->lock);
			append(g->serial, &g->serial_len, sizeof(g->serial), &ch, 1);
			pthread_mutex_unlock(&g->lock);
		} else if (m->io.port == GUEST_PORT_SERIAL + 5 && !write) {
			c->data = 0x60;		/* LSR: transmitter empty */
		} else if (!write) {
			c->data = trunc_len(g->io_in_value, m->io.len);
		}
		break;
	case HVCORE_MSG_MMIO:
		if (!write)
			c->data = g->mmio_read_value;
		break;
	case HVCORE_MSG_CPUID:
		c->eax = m->cpuid.function;
		c->ebx = m->cpuid.index;
		c->ecx = 0x68766370;	/* "pcvh" */
		c->edx = ~m->cpuid.function;
		break;
	case HVCORE_MSG_MSR:
		if (!write)
			c->data = g->msr_read_value;
		break;
	case HVCORE_MSG_GUEST_LOG:
		pthread_mutex_lock(&g->lock);
		append(g->log, &g->log_len, sizeof(g->log), m->log.text,
		       m->log.len < HVCORE_MSG_LOG_MAX ? m->log.len : HVCORE_MSG_LOG_MAX);
		append(g->log, &g->log_len, sizeof(g->log), "\n", 1);
		pthread_mutex_unlock(&g->lock);
		break;
	}
	return op;
}

static void handle(struct guest *g, const struct hvcore_message *m)
{
	struct hvcore_complete c = { .size = sizeof(c), .seq = m->seq };
	__u32 op = 0, code = 0;

	pthread_mutex_lock(&g->lock);
	if (g->nr_msgs < GUEST_MAX_MSGS)
		g->msgs[g->nr_msgs++] = *m;
	if (m->type < 8)
		g->count[m->type]++;
	pthread_mutex_unlock(&g->lock);

	if (!g->handler || !g->handler(g, m, &c))
		op = default_handle(g, m, &c, &code);
	if ((m->flags & HVCORE_MSG_F_COMPLETE) && ioctl(g->fd, HVCORE_COMPLETE, &c)) {
		pthread_mutex_lock(&g->lock);
		g->complete_errors++;
		pthread_mutex_unlock(&g->lock);
	}
	if (op)
		guest_control(g, op, op == HVCORE_CONTROL_STOP ? code : 0);
}

/*
 * Serve messages until read() returns 0 (the partition is off or crashed
 * and nothing is queued). When @timeout_ms runs out, stop the partition
 * with GUEST_EXIT_TIMEOUT and return -ETIMEDOUT once read() has said 0;
 * -EIO if it never does.
 */
int guest_serve(struct guest *g, int timeout_ms)
{
	struct hvcore_message buf[8];
	long long end = now_ms() + timeout_ms;
	bool timed_out = false;
	struct pollfd p = { .fd = g->fd, .events = POLLIN };

	for (;;) {
		long long left = end - now_ms();
		ssize_t n, off;
		int r;

		if (left <= 0) {
			if (timed_out)
				return -EIO;
			timed_out = true;
			guest_control(g, HVCORE_CONTROL_STOP, GUEST_EXIT_TIMEOUT);
			end = now_ms() + 10000;
			continue;
		}
		r = poll(&p, 1, left > 1000 ? 1000 : (int)left);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r <= 0)
			continue;
		n = read(g->fd, buf, sizeof(buf));
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		for (off = 0; off < n; ) {
			const struct hvcore_message *m = (const void *)((char *)buf + off);

			if (n - off < HVCORE_MESSAGE_SIZE_VER0 ||
			    m->size < HVCORE_MESSAGE_SIZE_VER0 || m->size > n - off) {
				g->bad_messages++;
				break;
			}
			handle(g, m);
			off += m->size;
		}
	}
	return timed_out ? -ETIMEDOUT : 0;
}

static void *serve_thread(void *arg)
{
	struct guest *g = arg;

	g->serve_result = guest_serve(g, g->thread_timeout_ms);
	return NULL;
}

int guest_serve_async(struct guest *g, int timeout_ms)
{
	int ret;

	g->thread_timeout_ms = timeout_ms;
	ret = pthread_create(&g->thread, NULL, serve_thread, g);
	if (ret)
		return -ret;
	g->thread_running = true;
	return 0;
}

int guest_serve_wait(struct guest *g)
{
	if (!g->thread_running)
		return -EINVAL;
	pthread_join(g->thread, NULL);
	g->thread_running = false;
	return g->serve_result;
}

int guest_run(struct guest *g, int timeout_ms)
{
	int ret = guest_start(g);

	return ret ? ret : guest_serve(g, timeout_ms);
}

/* The @nth recorded message of @type, or NULL. */
const struct hvcore_message *guest_msg(struct guest *g, __u32 type, unsigned int nth)
{
	const struct hvcore_message *found = NULL;
	unsigned int i;

	pthread_mutex_lock(&g->lock);
	for (i = 0; i < g->nr_msgs && !found; i++)
		if (g->msgs[i].type == type && nth-- == 0)
			found = &g->msgs[i];
	pthread_mutex_unlock(&g->lock);
	return found;
}
