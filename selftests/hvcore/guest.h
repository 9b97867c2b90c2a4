/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest library of the hvcore selftests: a partition with memory and
 * VPs, its memory mapped, a guest image loaded, the VPs' registers set for
 * 64-bit long mode (identity-mapped page tables, GDT, IDT, TSS, stacks) or
 * real mode, and a worker that serves the partition's intercept messages.
 * Documentation/testing.rst, "The guest library", describes it; the
 * guest-physical layout is in guests/layout.h.
 */
#ifndef HVTEST_GUEST_H
#define HVTEST_GUEST_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/hvcore.h>

#include "guests/layout.h"

/* A guest image linked into the test (guest_images.S, from guests/NAME.S). */
struct guest_image {
	const unsigned char *start;
	const unsigned char *end;
};

extern const unsigned char guest_img_spin[], guest_img_spin_end[];
extern const unsigned char guest_img_advance[], guest_img_advance_end[];
extern const unsigned char guest_img_cpuid[], guest_img_cpuid_end[];
extern const unsigned char guest_img_msr[], guest_img_msr_end[];
extern const unsigned char guest_img_hypercall[], guest_img_hypercall_end[];
extern const unsigned char guest_img_pio[], guest_img_pio_end[];
extern const unsigned char guest_img_mmio[], guest_img_mmio_end[];
extern const unsigned char guest_img_irq[], guest_img_irq_end[];
extern const unsigned char guest_img_crash[], guest_img_crash_end[];
extern const unsigned char guest_img_isolate[], guest_img_isolate_end[];
extern const unsigned char guest_img_paging[], guest_img_paging_end[];
extern const unsigned char guest_img_touch[], guest_img_touch_end[];
extern const unsigned char guest_img_wake[], guest_img_wake_end[];
extern const unsigned char guest_img_real[], guest_img_real_end[];
extern const unsigned char guest_img_hotadd[], guest_img_hotadd_end[];
extern const unsigned char guest_img_tsc[], guest_img_tsc_end[];
extern const unsigned char guest_img_count[], guest_img_count_end[];

#define GUEST_IMAGE(n) (&(const struct guest_image){ guest_img_##n, guest_img_##n##_end })

/* What each VP's GS base points at (offsets: VPD_* in guests/layout.h). */
struct guest_vp_data {
	__u64 exc_count;
	__u64 exc_vector;
	__u64 exc_error;
	__u64 exc_rip;
	__u64 fixup;
	__u64 irq_count;
	__u64 irq_log[8];
	__u64 phase;
	__u64 go;
	__u64 result[VPD_NR_RESULTS];
};

enum guest_mode { GUEST_MODE_NONE, GUEST_MODE_LONG, GUEST_MODE_REAL };

/* The exit code guest_serve() stops a partition with when time runs out. */
#define GUEST_EXIT_TIMEOUT	0xdead
#define GUEST_MAX_MSGS		1024

struct guest;

/*
 * A test's own message handler, called before the default handling: fill
 * @c (data, eax..edx, flags) and return 1 to have the message completed
 * with it, or return 0 for the default handling.
 */
typedef int (*guest_handler_t)(struct guest *g, const struct hvcore_message *m,
			       struct hvcore_complete *c);

struct guest {
	int dev;			/* /dev/hvcore, the caller's */
	int fd;				/* the partition */
	__u32 id;
	char name[HVCORE_NAME_MAX];
	__u64 mem_bytes;
	unsigned int nr_vps;
	unsigned char *mem;		/* all of guest memory, MAP_SHARED */
	enum guest_mode mode;

	/*
	 * Long mode: map [map4k_start, map4k_end) with 4 KiB pages (set before
	 * guest_load_long()); reversed: page i of the range maps page n-1-i.
	 */
	__u64 map4k_start, map4k_end;
	bool map4k_reverse;
	__u64 args[4];			/* RDX, R8, R9, R10 at entry */

	/* The worker. */
	bool attached;
	guest_handler_t handler;
	void *priv;
	/* VPs that must exit (GUEST_PORT_EXIT) before the worker stops the partition; 0: all */
	unsigned int exit_quorum;
	__u64 io_in_value;		/* default answers */
	__u64 mmio_read_value;
	__u64 msr_read_value;

	pthread_mutex_t lock;		/* protects what follows */
	__u64 exited_mask;
	__u32 exit_codes[GUEST_MAX_VPS];
	bool exited;			/* the worker stopped the partition */
	__u32 exit_code;		/* the first non-zero code, else 0 */
	unsigned int nr_msgs;		/* recorded, up to GUEST_MAX_MSGS */
	struct hvcore_message *msgs;
	unsigned long count[8];		/* messages by HVCORE_MSG_* */
	char serial[1024];
	size_t serial_len;
	char log[1024];			/* GUEST_LOG texts, one line each */
	size_t log_len;
	int complete_errors;		/* HVCORE_COMPLETE that failed */
	int bad_messages;		/* malformed records from read() */

	pthread_t thread;
	bool thread_running;
	int thread_timeout_ms;
	int serve_result;
};

int hvt_dev_open(void);
long hvt_held_pages(void);
bool guest_can_run(int dev);

int guest_create(struct guest *g, int dev, const char *name, __u64 mem_bytes,
		 unsigned int nr_vps);
int guest_create_node(struct guest *g, int dev, const char *name, __u64 mem_bytes,
		      unsigned int nr_vps, int node);
void guest_destroy(struct guest *g);

int guest_load(struct guest *g, __u64 gpa, const void *data, size_t len);
int guest_load_long(struct guest *g, const struct guest_image *image);
int guest_load_real(struct guest *g, const struct guest_image *image);
struct guest_vp_data *guest_vpd(struct guest *g, unsigned int vp);
static inline __u64 guest_result(struct guest *g, unsigned int vp, unsigned int slot)
{
	return __atomic_load_n(&guest_vpd(g, vp)->result[slot], __ATOMIC_RELAXED);
}

int guest_get_regs(struct guest *g, unsigned int vp, struct hvcore_regs *r);
int guest_set_regs(struct guest *g, struct hvcore_regs *r);
int guest_entry_regs(struct guest *g, unsigned int vp, struct hvcore_regs *r);
int guest_set_entry_regs(struct guest *g);

int guest_control(struct guest *g, __u32 op, __u32 code);
int guest_info(struct guest *g, struct hvcore_partition_info *pi);
int guest_vp_info(struct guest *g, unsigned int vp, struct hvcore_vp_info *vi);
long nr_lps(int dev);
int guest_inject(struct guest *g, unsigned int vp, __u32 type, __u32 vector,
		 __u32 flags, __u32 error_code);
int guest_set_cpuid(struct guest *g, const struct hvcore_cpuid_entry *e, __u32 count);
int guest_msr_intercept(struct guest *g, __u32 msr, __u32 enable);

int guest_wait_state(struct guest *g, __u32 state, int timeout_ms);
int guest_wait_vp_state(struct guest *g, unsigned int vp, __u32 state, int timeout_ms);
int guest_wait_phase(struct guest *g, unsigned int vp, __u64 phase, int timeout_ms);
void guest_go(struct guest *g, unsigned int vp, __u64 go);

int guest_attach(struct guest *g);
int guest_start(struct guest *g);
int guest_serve(struct guest *g, int timeout_ms);
int guest_serve_async(struct guest *g, int timeout_ms);
int guest_serve_wait(struct guest *g);
int guest_run(struct guest *g, int timeout_ms);

const struct hvcore_message *guest_msg(struct guest *g, __u32 type, unsigned int nth);
void guest_sleep_ms(int ms);

#endif /* HVTEST_GUEST_H */
