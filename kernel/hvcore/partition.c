// SPDX-License-Identifier: GPL-2.0
/*
 * Partitions: named, numbered guest containers that live in the kernel from
 * create to delete, so that separate hvctl invocations can configure,
 * start, stop and inspect them.
 *
 * Lifetime: struct hv_partition is reference counted. The registry holds
 * one reference until HVCORE_DELETE_PARTITION (or module unload); every
 * partition fd, every mmap of it (through the fd's file) and its sysfs
 * directory hold one more. Delete takes the partition out of the registry
 * and sysfs at once; its memory goes back to the host when the last
 * reference goes, so a worker that still maps guest memory never sees it
 * vanish. Operations on the fd of a deleted partition fail with -ENODEV.
 *
 * Locking: hv_partitions_lock serialises create/delete/lookup by name;
 * p->lock serialises configuration and state of one partition.
 */
#define pr_fmt(fmt) "hvcore: " fmt

#include <linux/anon_inodes.h>
#include <linux/ctype.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include "hvcore.h"

/* vm_flags became write-protected in 6.3 (Kbuild tests for the helper). */
#ifdef HV_HAVE_VM_FLAGS_SET
#define hv_vm_flags_set vm_flags_set
#else
static void hv_vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}
#endif

static DEFINE_XARRAY_ALLOC1(hv_partitions);
static DEFINE_MUTEX(hv_partitions_lock);
static u32 hv_next_id = 1;

static void hv_partition_release(struct kref *ref)
{
	struct hv_partition *p = container_of(ref, struct hv_partition, ref);

	hv_vps_destroy(p);
	hv_npt_free(&p->npt);
	mutex_destroy(&p->npt.lock);
	hv_memory_free(&p->mem);
	kfree(p->cpuid);
	mutex_destroy(&p->lock);
	kfree(p);
}

/**
 * hv_partition_put() - drop a reference; the last one frees the partition
 * @p: the partition
 */
void hv_partition_put(struct hv_partition *p)
{
	kref_put(&p->ref, hv_partition_release);
}

/**
 * hv_partition_get() - the partition with registry id @id
 * @id: a partition id
 *
 * Return: the partition with a reference for the caller to put, or NULL
 * if there is none (deleted partitions are not found).
 */
struct hv_partition *hv_partition_get(u32 id)
{
	struct hv_partition *p;

	mutex_lock(&hv_partitions_lock);
	p = xa_load(&hv_partitions, id);
	if (p)
		kref_get(&p->ref);
	mutex_unlock(&hv_partitions_lock);
	return p;
}

/* Names are file-name-safe so that they can appear in paths and logs. */
static int hv_check_name(const char *what, const char *name)
{
	size_t len = strnlen(name, HVCORE_NAME_MAX), i;

	if (len == 0 || len == HVCORE_NAME_MAX) {
		hv_bad_input("%s: the name must be 1 to %d characters, NUL-terminated",
			     what, HVCORE_NAME_MAX - 1);
		return -EINVAL;
	}
	if (name[0] == '.' || name[0] == '-')
		goto bad;
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && !strchr("._-", name[i]))
			goto bad;
	/* Bytes after the NUL are reserved, like any reserved field. */
	if (memchr_inv(name + len, 0, HVCORE_NAME_MAX - len))
		goto bad;
	return 0;
bad:
	hv_bad_input("%s: the name may hold only A-Z a-z 0-9 . _ - and not start with . or -",
		     what);
	return -EINVAL;
}

static struct hv_partition *hv_find_name_locked(const char *name)
{
	struct hv_partition *p;
	unsigned long id;

	lockdep_assert_held(&hv_partitions_lock);
	xa_for_each(&hv_partitions, id, p)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

static long hv_ioctl_create(void __user *uarg)
{
	struct hv_partition *p;
	struct hvcore_create c;
	u32 usize;
	int ret;

	ret = hv_args_in(&c, sizeof(c), uarg, HVCORE_CREATE_SIZE_VER0, "CREATE", &usize);
	if (ret)
		return ret;
	ret = hv_args_check("CREATE", c.flags, 0, c.reserved, sizeof(c.reserved));
	if (!ret && c.id) {
		hv_bad_input("CREATE: id is an output and must be 0");
		ret = -EINVAL;
	}
	if (!ret)
		ret = hv_check_name("CREATE", c.name);
	if (ret)
		return ret;

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return -ENOMEM;
	kref_init(&p->ref);
	mutex_init(&p->lock);
	strscpy(p->name, c.name, sizeof(p->name));
	p->state = HVCORE_STATE_OFF;
	p->numa_node = NUMA_NO_NODE;
	p->mem.node = NUMA_NO_NODE;
	p->weight = HVCORE_WEIGHT_DEFAULT;
	p->cap = 100;
	init_waitqueue_head(&p->run_wq);
	spin_lock_init(&p->msg_lock);
	INIT_LIST_HEAD(&p->msgs);
	init_waitqueue_head(&p->msg_wq);
	mutex_init(&p->npt.lock);
	if (hv_vps_create(p, 1)) {
		hv_partition_put(p);
		return -ENOMEM;
	}

	mutex_lock(&hv_partitions_lock);
	if (hv_find_name_locked(p->name)) {
		mutex_unlock(&hv_partitions_lock);
		hv_bad_input("CREATE: a partition named '%s' exists", p->name);
		hv_partition_put(p);
		return -EEXIST;
	}
	ret = xa_alloc_cyclic(&hv_partitions, &p->id, p, xa_limit_32b, &hv_next_id,
			      GFP_KERNEL);
	if (ret < 0) {
		mutex_unlock(&hv_partitions_lock);
		hv_partition_put(p);
		return ret;
	}
	ret = hv_sysfs_partition_add(p);
	if (ret) {
		xa_erase(&hv_partitions, p->id);
		mutex_unlock(&hv_partitions_lock);
		hv_partition_put(p);
		return ret;
	}
	mutex_unlock(&hv_partitions_lock);

	c.id = p->id;
	ret = hv_args_out(uarg, &c, sizeof(c), usize);
	if (ret)
		return ret;	/* the partition exists: HVCORE_LIST finds it */
	pr_info("partition %u '%s' created by %s[%d]\n", p->id, p->name,
		current->comm, task_pid_nr(current));
	return 0;
}

/* Find the partition a struct hvcore_select names; takes a reference. */
static struct hv_partition *hv_select(void __user *uarg, const char *what, int *err)
{
	struct hv_partition *p = NULL;
	struct hvcore_select s;
	u32 usize;
	int ret;

	ret = hv_args_in(&s, sizeof(s), uarg, HVCORE_SELECT_SIZE_VER0, what, &usize);
	if (!ret)
		ret = hv_args_check(what, s.flags, 0, s.reserved, sizeof(s.reserved));
	if (!ret)
		ret = hv_args_zero(what, &s.reserved0, sizeof(s.reserved0));
	if (!ret && s.id && s.name[0]) {
		hv_bad_input("%s: give an id or a name, not both", what);
		ret = -EINVAL;
	}
	if (!ret && !s.id)
		ret = hv_check_name(what, s.name);
	if (ret) {
		*err = ret;
		return NULL;
	}

	mutex_lock(&hv_partitions_lock);
	p = s.id ? xa_load(&hv_partitions, s.id) : hv_find_name_locked(s.name);
	if (p)
		kref_get(&p->ref);
	mutex_unlock(&hv_partitions_lock);
	if (!p) {
		if (s.id)
			hv_bad_input("%s: no partition with id %u", what, s.id);
		else
			hv_bad_input("%s: no partition named '%s'", what, s.name);
		*err = -ENOENT;
	}
	return p;
}

static const struct file_operations hv_partition_fops;

static long hv_ioctl_open(void __user *uarg)
{
	struct hv_partition *p;
	int fd, err;

	p = hv_select(uarg, "OPEN", &err);
	if (!p)
		return err;
	fd = anon_inode_getfd("[hvcore-partition]", &hv_partition_fops, p, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		hv_partition_put(p);
	return fd;
}

/*
 * Stop: every VP off its LP, messages forgotten, VPs back to reset state.
 * Works from any state; p->lock held.
 */
static void hv_partition_stop_locked(struct hv_partition *p, u32 code)
{
	u32 i;

	spin_lock(&hv_sched_lock);
	p->state = HVCORE_STATE_OFF;
	hv_vps_stop_locked(p, HVCORE_VP_OFF);
	spin_unlock(&hv_sched_lock);
	hv_partition_wait_idle(p);
	hv_channel_flush(p);
	for (i = 0; i < p->nr_vps; i++)
		hv_vp_reset(p->vps[i]);
	/* The guest that gave the hot-add entry is gone; the next run gives its own. */
	spin_lock(&hv_sched_lock);
	p->vp_entry_set = false;
	p->vp_entry = 0;
	spin_unlock(&hv_sched_lock);
	p->exit_code = code;
	hv_channel_state_changed(p);
}

/*
 * After the VP count may have changed: sysfs vps/ follows. Not under
 * p->lock, which the directories' readers take.
 */
static void hv_vps_sysfs_update(struct hv_partition *p)
{
	mutex_lock(&hv_partitions_lock);
	hv_sysfs_vps_sync(p);
	mutex_unlock(&hv_partitions_lock);
}

/* Take @p out of the registry and sysfs; caller holds hv_partitions_lock. */
static void hv_delete_locked(struct hv_partition *p)
{
	lockdep_assert_held(&hv_partitions_lock);
	mutex_lock(&p->lock);
	if (p->state != HVCORE_STATE_OFF)
		hv_partition_stop_locked(p, 0);
	p->deleted = true;
	mutex_unlock(&p->lock);
	wake_up_interruptible(&p->msg_wq);
	xa_erase(&hv_partitions, p->id);
	hv_sysfs_partition_remove(p);
	hv_partition_put(p);	/* the registry's reference */
}

static long hv_ioctl_delete(void __user *uarg)
{
	struct hv_partition *p;
	int err;

	p = hv_select(uarg, "DELETE", &err);
	if (!p)
		return err;
	mutex_lock(&hv_partitions_lock);
	/* Lost a race with another delete: the partition is gone already. */
	if (xa_load(&hv_partitions, p->id) != p) {
		mutex_unlock(&hv_partitions_lock);
		hv_partition_put(p);
		return -ENOENT;
	}
	pr_info("partition %u '%s' deleted by %s[%d]\n", p->id, p->name,
		current->comm, task_pid_nr(current));
	hv_delete_locked(p);
	mutex_unlock(&hv_partitions_lock);
	hv_partition_put(p);
	return 0;
}

static long hv_ioctl_list(void __user *uarg)
{
	struct hv_partition *p;
	struct hvcore_list l;
	unsigned long id;
	u32 usize, n = 0, room, *ids;
	int ret;

	ret = hv_args_in(&l, sizeof(l), uarg, HVCORE_LIST_SIZE_VER0, "LIST", &usize);
	if (!ret)
		ret = hv_args_check("LIST", l.flags, 0, l.reserved, sizeof(l.reserved));
	if (!ret)
		ret = hv_args_zero("LIST", &l.reserved0, sizeof(l.reserved0));
	if (ret)
		return ret;

	room = min_t(u32, l.count, HVCORE_MAX_PARTITIONS);
	ids = kvcalloc(room ?: 1, sizeof(*ids), GFP_KERNEL);
	if (!ids)
		return -ENOMEM;
	mutex_lock(&hv_partitions_lock);
	xa_for_each(&hv_partitions, id, p) {
		if (n < room)
			ids[n] = id;
		n++;
	}
	mutex_unlock(&hv_partitions_lock);

	ret = 0;
	if (copy_to_user(u64_to_user_ptr(l.ids), ids, min(n, room) * sizeof(*ids)))
		ret = -EFAULT;
	kvfree(ids);
	if (ret)
		return ret;
	l.count = n;
	return hv_args_out(uarg, &l, sizeof(l), usize);
}

/**
 * hv_partition_dev_ioctl() - the /dev/hvcore ioctls that manage partitions
 * @cmd:	ioctl number with its size bits cleared
 * @uarg:	user pointer to the ioctl's structure
 *
 * Return: as the ioctl says (uapi header); -ENOTTY when @cmd is not one.
 */
long hv_partition_dev_ioctl(unsigned int cmd, void __user *uarg)
{
	switch (cmd) {
	case HV_IOC_NOSIZE(HVCORE_CREATE_PARTITION):
		return hv_ioctl_create(uarg);
	case HV_IOC_NOSIZE(HVCORE_OPEN_PARTITION):
		return hv_ioctl_open(uarg);
	case HV_IOC_NOSIZE(HVCORE_DELETE_PARTITION):
		return hv_ioctl_delete(uarg);
	case HV_IOC_NOSIZE(HVCORE_LIST_PARTITIONS):
		return hv_ioctl_list(uarg);
	default:
		return -ENOTTY;
	}
}

/**
 * hv_partitions_exit() - delete every partition (module unload)
 *
 * No partition fd can be open: each holds a module reference.
 */
void hv_partitions_exit(void)
{
	struct hv_partition *p;
	unsigned long id;

	mutex_lock(&hv_partitions_lock);
	xa_for_each(&hv_partitions, id, p)
		hv_delete_locked(p);
	mutex_unlock(&hv_partitions_lock);
	xa_destroy(&hv_partitions);
}

/* Partition fd */

static long hv_part_configure(struct hv_partition *p, void __user *uarg)
{
	struct hvcore_config c;
	u32 usize;
	int ret, node;

	ret = hv_args_in(&c, sizeof(c), uarg, HVCORE_CONFIG_SIZE_VER0, "CONFIGURE", &usize);
	if (!ret)
		ret = hv_args_check("CONFIGURE", c.flags, 0, c.reserved, sizeof(c.reserved));
	if (ret)
		return ret;
	if (c.vp_count > HVCORE_MAX_VPS) {
		hv_bad_input("CONFIGURE: vp_count %u: at most %u", c.vp_count, HVCORE_MAX_VPS);
		return -EINVAL;
	}
	if (c.memory_bytes & ~PAGE_MASK || c.memory_bytes > HVCORE_MEMORY_MAX) {
		hv_bad_input("CONFIGURE: memory_bytes %llu: not 4 KiB-aligned or over %llu GiB",
			     c.memory_bytes, HVCORE_MEMORY_MAX >> 30);
		return -EINVAL;
	}
	node = c.numa_node;
	if (node == HVCORE_NODE_ANY) {
		node = NUMA_NO_NODE;
	} else if (node < 0 || node >= MAX_NUMNODES || !node_online(node)) {
		hv_bad_input("CONFIGURE: NUMA node %d is not online", c.numa_node);
		return -EINVAL;
	}

	mutex_lock(&p->lock);
	if (p->deleted) {
		ret = -ENODEV;
	} else if (p->state != HVCORE_STATE_OFF) {
		hv_bad_input("CONFIGURE: partition %u is not off", p->id);
		ret = -EBUSY;
	} else if (atomic_read(&p->nr_mmaps)) {
		hv_bad_input("CONFIGURE: guest memory of partition %u is mapped", p->id);
		ret = -EBUSY;
	} else {
		hv_npt_free(&p->npt);
		hv_memory_free(&p->mem);
		p->numa_node = node;
		ret = c.memory_bytes ? hv_memory_alloc(&p->mem, c.memory_bytes, node) : 0;
		if (!ret && (c.vp_count ?: 1) != p->nr_vps) {
			hv_vps_destroy(p);
			ret = hv_vps_create(p, c.vp_count ?: 1);
		}
	}
	mutex_unlock(&p->lock);
	hv_vps_sysfs_update(p);
	return ret;
}

static long hv_part_info(struct hv_partition *p, void __user *uarg)
{
	struct hvcore_partition_info info;
	u32 usize;
	int ret;

	ret = hv_args_in(&info, sizeof(info), uarg, HVCORE_PARTITION_INFO_SIZE_VER0,
			 "PARTITION_INFO", &usize);
	if (ret)
		return ret;
	ret = hv_args_check("PARTITION_INFO", info.flags, 0, &info.id,
			    sizeof(info) - offsetof(struct hvcore_partition_info, id));
	if (ret)
		return ret;

	mutex_lock(&p->lock);
	info.id = p->id;
	info.state = p->state;
	strscpy(info.name, p->name, sizeof(info.name));
	info.memory_bytes = p->mem.bytes;
	info.memory_pages = p->mem.bytes >> PAGE_SHIFT;
	info.pages_2m = p->mem.pages_2m;
	info.numa_node = p->numa_node == NUMA_NO_NODE ? HVCORE_NODE_ANY : p->numa_node;
	info.pages_off_node = p->mem.off_node;
	info.vp_count = p->nr_vps;
	spin_lock(&hv_sched_lock);
	info.state = p->state;
	if (p->crash_reason) {
		info.crash_reason = p->crash_reason;
		info.crash_info = p->crash_info;
		info.crash_rip = p->crash_rip;
		info.crash_vp = p->crash_vp;
	}
	spin_unlock(&hv_sched_lock);
	info.exit_code = p->exit_code;
	ret = p->deleted ? -ENODEV : 0;
	mutex_unlock(&p->lock);
	return ret ?: hv_args_out(uarg, &info, sizeof(info), usize);
}

static long hv_part_load(struct hv_partition *p, void __user *uarg)
{
	struct hvcore_load l;
	u32 usize;
	int ret;

	ret = hv_args_in(&l, sizeof(l), uarg, HVCORE_LOAD_SIZE_VER0, "LOAD", &usize);
	if (!ret)
		ret = hv_args_check("LOAD", l.flags, 0, l.reserved, sizeof(l.reserved));
	if (ret)
		return ret;

	mutex_lock(&p->lock);
	if (p->deleted) {
		ret = -ENODEV;
	} else {
		ret = hv_memory_load(&p->mem, l.gpa, u64_to_user_ptr(l.data), l.bytes);
		if (ret == -EINVAL)
			hv_bad_input("LOAD: [0x%llx, +0x%llx) outside the memory of partition %u",
				     l.gpa, l.bytes, p->id);
	}
	mutex_unlock(&p->lock);
	return ret;
}

static int hv_partition_start_locked(struct hv_partition *p)
{
	u32 i;
	int ret;

	if (!hv_arch->run) {
		hv_bad_input("CONTROL: %s guests are not supported yet", hv_arch->ext);
		return -EOPNOTSUPP;
	}
	if (!p->mem.bytes || !p->nr_vps) {
		hv_bad_input("CONTROL: partition %u has no memory or no VPs; CONFIGURE it first",
			     p->id);
		return -EINVAL;
	}
	spin_lock(&hv_sched_lock);
	ret = hv_sched_admit_locked(p, p->reserve, "CONTROL START");
	spin_unlock(&hv_sched_lock);
	if (ret)
		return ret;
	ret = hv_npt_init(p);
	if (ret) {
		spin_lock(&hv_sched_lock);
		hv_sched_release_locked(p);
		spin_unlock(&hv_sched_lock);
		return ret;
	}
	p->crash_reason = HVCORE_CRASH_NONE;
	p->crash_info = 0;
	p->crash_rip = 0;
	p->crash_vp = 0;
	p->exit_code = 0;
	spin_lock(&hv_sched_lock);
	p->state = HVCORE_STATE_RUNNING;
	for (i = 0; i < p->nr_vps; i++)
		hv_vp_make_ready_locked(p->vps[i]);
	spin_unlock(&hv_sched_lock);
	return 0;
}

static void hv_partition_pause_locked(struct hv_partition *p)
{
	spin_lock(&hv_sched_lock);
	p->state = HVCORE_STATE_PAUSED;
	hv_vps_stop_locked(p, HVCORE_VP_PAUSED);
	spin_unlock(&hv_sched_lock);
	hv_partition_wait_idle(p);
}

static void hv_partition_resume_locked(struct hv_partition *p)
{
	u32 i;

	spin_lock(&hv_sched_lock);
	p->state = HVCORE_STATE_RUNNING;
	for (i = 0; i < p->nr_vps; i++) {
		struct hv_vp *vp = p->vps[i];

		if (vp->state != HVCORE_VP_PAUSED)
			continue;
		vp->state = vp->paused_state;
		if (vp->state == HVCORE_VP_READY)
			hv_vp_make_ready_locked(vp);
	}
	spin_unlock(&hv_sched_lock);
}

static const char *const hv_state_names[] = {
	[HVCORE_STATE_OFF] = "off", [HVCORE_STATE_RUNNING] = "running",
	[HVCORE_STATE_PAUSED] = "paused", [HVCORE_STATE_CRASHED] = "crashed",
};

/*
 * Hot-add: the new VP takes VP 0's mode, and VP 0's registers can only be
 * read while no VP of the partition is on an LP (the rule of GET_REGS; on
 * VMX its VMCS may be current on another CPU). A running partition is
 * therefore paused for the time of the copy, exactly as CONTROL PAUSE
 * does, and resumed afterwards: its VPs lose the LP for a moment and go
 * back to what they were doing. p->lock is held throughout, so no ioctl
 * sees the intermediate state.
 *
 * Publishing: p->vps has room for HVCORE_MAX_VPS (it never moves), the new
 * VP is complete before it is stored, and p->nr_vps is raised after the
 * store, under p->lock and hv_sched_lock. Every reader of the pair holds
 * one of the two (ioctls, sysfs, stop and delete: p->lock; the scheduler
 * and admission: hv_sched_lock), except a dispatcher's crash path, which
 * cannot run here: no VP of the partition is on an LP while it is off or
 * paused. The same holds when a refused reservation takes the VP out again;
 * perf, which reads the counters under RCU (pmu.c), is waited for then.
 */
static long hv_part_add_vp(struct hv_partition *p, void __user *uarg)
{
	struct hvcore_add_vp a;
	struct hv_vp *vp;
	bool paused_here = false, seen = false;
	u32 usize, n, state;
	u64 rip;
	int ret;

	ret = hv_args_in(&a, sizeof(a), uarg, HVCORE_ADD_VP_SIZE_VER0, "ADD_VP", &usize);
	if (!ret)
		ret = hv_args_check("ADD_VP", a.flags, HVCORE_ADD_VP_ENTRY, a.reserved,
				    sizeof(a.reserved));
	if (!ret)
		ret = hv_args_zero("ADD_VP", &a.reserved0, sizeof(a.reserved0));
	if (!ret && a.vp_index) {
		hv_bad_input("ADD_VP: vp_index is an output and must be 0");
		ret = -EINVAL;
	}
	if (!ret && a.rip && !(a.flags & HVCORE_ADD_VP_ENTRY)) {
		hv_bad_input("ADD_VP: rip is given only with HVCORE_ADD_VP_ENTRY");
		ret = -EINVAL;
	}
	if (ret)
		return ret;

	n = p->nr_vps;
	state = READ_ONCE(p->state);
	if (state != HVCORE_STATE_OFF && state != HVCORE_STATE_RUNNING &&
	    state != HVCORE_STATE_PAUSED) {
		hv_bad_input("ADD_VP: partition %u is %s", p->id, hv_state_names[state]);
		return -EBUSY;
	}
	if (n >= HVCORE_MAX_VPS) {
		hv_bad_input("ADD_VP: partition %u has %u VPs already, the most there can be",
			     p->id, n);
		return -EINVAL;
	}
	/* Allocate before pausing: the guest need not wait for the allocator. */
	vp = hv_vp_new(p, n);
	if (!vp)
		return -ENOMEM;

	if (state == HVCORE_STATE_RUNNING) {
		spin_lock(&hv_sched_lock);
		state = p->state;
		if (state == HVCORE_STATE_RUNNING) {
			p->state = HVCORE_STATE_PAUSED;
			hv_vps_stop_locked(p, HVCORE_VP_PAUSED);
			paused_here = true;
		}
		spin_unlock(&hv_sched_lock);
		if (paused_here)
			hv_partition_wait_idle(p);
		/* A VP that was still on its LP may have crashed the partition. */
		state = READ_ONCE(p->state);
		if (state == HVCORE_STATE_CRASHED) {
			paused_here = false;	/* a crash is not undone by a resume */
			hv_bad_input("ADD_VP: partition %u crashed meanwhile", p->id);
			ret = -EBUSY;
			goto out;
		}
	}

	spin_lock(&hv_sched_lock);
	rip = a.rip;
	if (!(a.flags & HVCORE_ADD_VP_ENTRY)) {
		if (p->vp_entry_set)
			rip = p->vp_entry;
		else
			ret = -ENOENT;
	}
	spin_unlock(&hv_sched_lock);
	if (ret) {
		hv_bad_input("ADD_VP: partition %u: no entry registered by the guest nor given",
			     p->id);
		goto out;
	}
	ret = hv_vp_start_like(vp, p->vps[0], rip);
	if (ret)
		goto out;

	spin_lock(&hv_sched_lock);
	p->vps[n] = vp;
	/* Readers that see the new count see the VP it covers. */
	smp_wmb();
	WRITE_ONCE(p->nr_vps, n + 1);
	/* A running or paused partition holds its VPs' reservations: add this one's. */
	if (state != HVCORE_STATE_OFF)
		ret = hv_sched_admit_locked(p, p->reserve, "ADD_VP");
	if (ret) {
		WRITE_ONCE(p->nr_vps, n);
		p->vps[n] = NULL;
		seen = true;
	} else {
		/* Paused (by us or the caller): parked, ready at resume. Off: VP_OFF. */
		hv_vp_make_ready_locked(vp);
	}
	spin_unlock(&hv_sched_lock);

out:
	if (paused_here)
		hv_partition_resume_locked(p);
	if (ret) {
		/* perf may have seen it in p->vps (pmu.c reads under RCU). */
		if (seen)
			synchronize_rcu();
		hv_vp_free(vp);
		return ret;
	}
	pr_info("partition %u: VP %u added at 0x%llx by %s[%d]\n", p->id, n, rip,
		current->comm, task_pid_nr(current));
	a.vp_index = n;
	/* The VP exists even if this fails: PARTITION_INFO counts it. */
	return hv_args_out(uarg, &a, sizeof(a), usize);
}

static long hv_part_control(struct hv_partition *p, void __user *uarg)
{
	struct hvcore_control c;
	u32 usize, state;
	int ret;

	ret = hv_args_in(&c, sizeof(c), uarg, HVCORE_CONTROL_SIZE_VER0, "CONTROL", &usize);
	if (!ret)
		ret = hv_args_check("CONTROL", c.flags, 0, c.reserved, sizeof(c.reserved));
	if (ret)
		return ret;
	if (c.op < HVCORE_CONTROL_START || c.op > HVCORE_CONTROL_STOP) {
		hv_bad_input("CONTROL: unknown op %u", c.op);
		return -EINVAL;
	}
	if (c.code && c.op != HVCORE_CONTROL_STOP) {
		hv_bad_input("CONTROL: code is for STOP only");
		return -EINVAL;
	}
	state = READ_ONCE(p->state);
	switch (c.op) {
	case HVCORE_CONTROL_START:
		if (state != HVCORE_STATE_OFF)
			break;
		return hv_partition_start_locked(p);
	case HVCORE_CONTROL_PAUSE:
		if (state != HVCORE_STATE_RUNNING)
			break;
		hv_partition_pause_locked(p);
		return 0;
	case HVCORE_CONTROL_RESUME:
		if (state != HVCORE_STATE_PAUSED)
			break;
		hv_partition_resume_locked(p);
		return 0;
	default:
		if (state == HVCORE_STATE_OFF) {
			hv_bad_input("CONTROL: partition %u is already off", p->id);
			return -EALREADY;
		}
		hv_partition_stop_locked(p, c.code);
		return 0;
	}
	hv_bad_input("CONTROL: op %u not possible: partition %u is %s", c.op, p->id,
		     hv_state_names[state]);
	return -EBUSY;
}

/**
 * hv_partition_ioctl() - ioctls of a partition fd
 * @file:	the partition fd
 * @cmd:	HVCORE_* partition ioctl
 * @arg:	user pointer to the ioctl's structure
 *
 * Return: as the ioctl says (uapi header); -ENOTTY for other commands.
 */
static long hv_partition_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct hv_partition *p = file->private_data;
	void __user *uarg = (void __user *)arg;
	long ret;

	switch (HV_IOC_NOSIZE(cmd)) {
	case HV_IOC_NOSIZE(HVCORE_CONFIGURE):
		return hv_part_configure(p, uarg);
	case HV_IOC_NOSIZE(HVCORE_PARTITION_INFO):
		return hv_part_info(p, uarg);
	case HV_IOC_NOSIZE(HVCORE_LOAD):
		return hv_part_load(p, uarg);
	case HV_IOC_NOSIZE(HVCORE_GET_REGS):
	case HV_IOC_NOSIZE(HVCORE_SET_REGS):
	case HV_IOC_NOSIZE(HVCORE_VP_INFO):
	case HV_IOC_NOSIZE(HVCORE_INJECT):
	case HV_IOC_NOSIZE(HVCORE_CONTROL):
	case HV_IOC_NOSIZE(HVCORE_SET_CPUID):
	case HV_IOC_NOSIZE(HVCORE_GET_CPUID):
	case HV_IOC_NOSIZE(HVCORE_SET_MSR_INTERCEPT):
	case HV_IOC_NOSIZE(HVCORE_ATTACH_WORKER):
	case HV_IOC_NOSIZE(HVCORE_COMPLETE):
	case HV_IOC_NOSIZE(HVCORE_SET_POLICY):
	case HV_IOC_NOSIZE(HVCORE_GET_POLICY):
	case HV_IOC_NOSIZE(HVCORE_ADD_VP):
		break;
	default:
		hv_bad_input("unknown ioctl 0x%x on a partition fd", cmd);
		return -ENOTTY;
	}

	mutex_lock(&p->lock);
	if (p->deleted) {
		ret = -ENODEV;
		goto out;
	}
	switch (HV_IOC_NOSIZE(cmd)) {
	case HV_IOC_NOSIZE(HVCORE_CONTROL):
		ret = hv_part_control(p, uarg);
		break;
	case HV_IOC_NOSIZE(HVCORE_SET_CPUID):
	case HV_IOC_NOSIZE(HVCORE_GET_CPUID):
		ret = hv_cpuid_ioctl(p, cmd, uarg);
		break;
	case HV_IOC_NOSIZE(HVCORE_SET_MSR_INTERCEPT):
		ret = hv_msr_intercept_ioctl(p, uarg);
		break;
	case HV_IOC_NOSIZE(HVCORE_ATTACH_WORKER):
	case HV_IOC_NOSIZE(HVCORE_COMPLETE):
		ret = hv_channel_ioctl(file, p, cmd, uarg);
		break;
	case HV_IOC_NOSIZE(HVCORE_SET_POLICY):
	case HV_IOC_NOSIZE(HVCORE_GET_POLICY):
		ret = hv_policy_ioctl(p, cmd, uarg);
		break;
	case HV_IOC_NOSIZE(HVCORE_ADD_VP):
		ret = hv_part_add_vp(p, uarg);
		break;
	default:
		ret = hv_vp_ioctl(p, cmd, uarg);
	}
out:
	mutex_unlock(&p->lock);
	/* Even on failure: a VP that was added stays (see hv_part_add_vp()). */
	if (HV_IOC_NOSIZE(cmd) == HV_IOC_NOSIZE(HVCORE_ADD_VP))
		hv_vps_sysfs_update(p);
	return ret;
}

static void hv_vma_open(struct vm_area_struct *vma)
{
	struct hv_partition *p = vma->vm_file->private_data;

	atomic_inc(&p->nr_mmaps);
}

static void hv_vma_close(struct vm_area_struct *vma)
{
	struct hv_partition *p = vma->vm_file->private_data;

	atomic_dec(&p->nr_mmaps);
}

/*
 * Guest memory cannot change while mapped (CONFIGURE is refused), so the
 * page found here is the one the mapping was made for.
 */
static vm_fault_t hv_vma_fault(struct vm_fault *vmf)
{
	struct hv_partition *p = vmf->vma->vm_file->private_data;
	struct page *page;

	page = hv_memory_page(&p->mem, (u64)vmf->pgoff << PAGE_SHIFT);
	if (!page)
		return VM_FAULT_SIGBUS;
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct hv_vm_ops = {
	.open	= hv_vma_open,
	.close	= hv_vma_close,
	.fault	= hv_vma_fault,
};

static int hv_partition_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct hv_partition *p = file->private_data;
	u64 end;
	int ret = 0;

	if (!(vma->vm_flags & VM_SHARED)) {
		hv_bad_input("mmap of guest memory must be MAP_SHARED");
		return -EINVAL;
	}
	mutex_lock(&p->lock);
	if (check_add_overflow((u64)vma->vm_pgoff, (u64)vma_pages(vma), &end) ||
	    end > p->mem.bytes >> PAGE_SHIFT) {
		hv_bad_input("mmap [0x%llx, +0x%lx) outside the %llu bytes of partition %u",
			     (u64)vma->vm_pgoff << PAGE_SHIFT, vma->vm_end - vma->vm_start,
			     p->mem.bytes, p->id);
		ret = -EINVAL;
	} else if (p->deleted) {
		ret = -ENODEV;
	} else {
		hv_vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
		vma->vm_ops = &hv_vm_ops;
		hv_vma_open(vma);
	}
	mutex_unlock(&p->lock);
	return ret;
}

static int hv_partition_release_file(struct inode *inode, struct file *file)
{
	struct hv_partition *p = file->private_data;

	mutex_lock(&p->lock);
	hv_channel_release(file, p);
	mutex_unlock(&p->lock);
	hv_partition_put(p);
	return 0;
}

static const struct file_operations hv_partition_fops = {
	.owner		= THIS_MODULE,
	.release	= hv_partition_release_file,
	.unlocked_ioctl	= hv_partition_ioctl,
	.read		= hv_channel_read,
	.poll		= hv_channel_poll,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= hv_partition_mmap,
	.llseek		= noop_llseek,
};
