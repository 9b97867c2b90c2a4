// SPDX-License-Identifier: GPL-2.0
/*
 * The root worker channel: intercepts that the kernel does not serve
 * itself (port I/O, MMIO, forwarded CPUID leaves and MSRs, the guest-log
 * hypercall) become struct hvcore_message records that the worker reads
 * from the partition fd; the VP waits until HVCORE_COMPLETE answers.
 *
 * Every VP has room for exactly one message (a VP that waits cannot cause
 * another), so sending never allocates and works in the dispatcher's
 * atomic context; the queue is a list through those slots. Informational
 * messages (the guest log) release their VP when read, which throttles a
 * guest that logs faster than its worker reads.
 *
 * Lock order: p->msg_lock, then hv_sched_lock.
 */
#define pr_fmt(fmt) "hvcore: " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/uaccess.h>

#include <asm/trapnr.h>

#include "hvcore.h"
#include "trace.h"

/**
 * hv_msg_send() - queue @vp->msg for the worker and make the VP wait
 * @vp:		the VP, on its LP
 * @next_rip:	where it resumes after HVCORE_COMPLETE
 *
 * Return: HV_BLOCK, or HV_STOPPED when there is no worker to ask (the
 * partition crashes with HVCORE_CRASH_NO_WORKER).
 */
enum hv_action hv_msg_send(struct hv_vp *vp, u64 next_rip)
{
	struct hv_partition *p = vp->part;

	spin_lock(&p->msg_lock);
	if (!p->worker) {
		spin_unlock(&p->msg_lock);
		hv_partition_crash(vp, HVCORE_CRASH_NO_WORKER, vp->msg.type);
		return HV_STOPPED;
	}
	vp->msg.size = sizeof(vp->msg);
	vp->msg.vp = vp->index;
	vp->msg.seq = ++p->seq;
	vp->msg.rip = vp->rip;
	vp->msg_next_rip = next_rip;
	vp->msg_state = HV_MSG_QUEUED;
	list_add_tail(&vp->msg_node, &p->msgs);
	trace_hvcore_msg_send(vp);
	spin_lock(&hv_sched_lock);
	vp->state = HVCORE_VP_WAITING;
	spin_unlock(&hv_sched_lock);
	spin_unlock(&p->msg_lock);
	wake_up_interruptible(&p->msg_wq);
	return HV_BLOCK;
}

/* The VP's wait is over: it runs again (or will, once resumed). */
static void hv_msg_release_vp(struct hv_vp *vp)
{
	spin_lock(&hv_sched_lock);
	if (vp->state == HVCORE_VP_WAITING)
		hv_vp_make_ready_locked(vp);
	else if (vp->state == HVCORE_VP_PAUSED && vp->paused_state == HVCORE_VP_WAITING)
		vp->paused_state = HVCORE_VP_READY;
	spin_unlock(&hv_sched_lock);
}

/**
 * hv_channel_state_changed() - tell the worker the partition changed state
 * @p: the partition
 */
void hv_channel_state_changed(struct hv_partition *p)
{
	spin_lock(&p->msg_lock);
	p->state_msg = true;
	spin_unlock(&p->msg_lock);
	wake_up_interruptible(&p->msg_wq);
}

/**
 * hv_channel_flush() - forget queued and unanswered messages
 * @p: a partition whose VPs are all off their LPs (stop)
 */
void hv_channel_flush(struct hv_partition *p)
{
	u32 i;

	spin_lock(&p->msg_lock);
	INIT_LIST_HEAD(&p->msgs);
	for (i = 0; i < p->nr_vps; i++) {
		INIT_LIST_HEAD(&p->vps[i]->msg_node);
		p->vps[i]->msg_state = HV_MSG_IDLE;
	}
	spin_unlock(&p->msg_lock);
}

static bool hv_channel_eof(struct hv_partition *p)
{
	u32 s = READ_ONCE(p->state);

	return (s == HVCORE_STATE_OFF || s == HVCORE_STATE_CRASHED || p->deleted) &&
	       list_empty(&p->msgs) && !p->state_msg;
}

/* Take the next message off the queue into @m. */
static bool hv_channel_next(struct hv_partition *p, struct hvcore_message *m,
			    struct hv_vp **release)
{
	struct hv_vp *vp;
	bool got = true;

	*release = NULL;
	spin_lock(&p->msg_lock);
	vp = list_first_entry_or_null(&p->msgs, struct hv_vp, msg_node);
	if (vp) {
		list_del_init(&vp->msg_node);
		*m = vp->msg;
		if (vp->msg.flags & HVCORE_MSG_F_COMPLETE) {
			vp->msg_state = HV_MSG_READ;
		} else {
			vp->msg_state = HV_MSG_IDLE;
			*release = vp;
			trace_hvcore_msg_complete(vp, HV_TRACE_DONE_READ);
		}
	} else if (p->state_msg) {
		p->state_msg = false;
		memset(m, 0, sizeof(*m));
		m->size = sizeof(*m);
		m->type = HVCORE_MSG_STATE;
		m->seq = ++p->seq;
		m->state.state = READ_ONCE(p->state);
		m->state.crash_reason = p->crash_reason;
		m->state.crash_info = p->crash_info;
	} else {
		got = false;
	}
	spin_unlock(&p->msg_lock);
	return got;
}

/**
 * hv_channel_read() - read(2) of a partition fd: whole intercept messages
 * @file:	the worker's partition fd
 * @buf:	user buffer
 * @len:	its size, at least one struct hvcore_message
 * @off:	ignored
 *
 * Return: bytes read, 0 at the end of the partition's run, or -EPERM (not
 * the worker), -EINVAL (buffer too small), -EAGAIN, -EINTR, -EFAULT.
 */
ssize_t hv_channel_read(struct file *file, char __user *buf, size_t len, loff_t *off)
{
	struct hv_partition *p = file->private_data;
	struct hvcore_message m;
	struct hv_vp *release;
	size_t done = 0;
	int ret;

	if (READ_ONCE(p->worker) != file) {
		hv_bad_input("read: fd is not the worker of partition %u (ATTACH_WORKER)", p->id);
		return -EPERM;
	}
	if (len < sizeof(m)) {
		hv_bad_input("read: buffer of %zu bytes cannot hold a message (%zu)", len,
			     sizeof(m));
		return -EINVAL;
	}
	while (done + sizeof(m) <= len) {
		bool got;

		/* p->lock: the VPs cannot be reconfigured under us. */
		mutex_lock(&p->lock);
		got = hv_channel_next(p, &m, &release);
		if (release)
			hv_msg_release_vp(release);
		mutex_unlock(&p->lock);
		if (!got) {
			if (done || hv_channel_eof(p))
				break;
			if (file->f_flags & O_NONBLOCK)
				return -EAGAIN;
			ret = wait_event_interruptible(p->msg_wq, !list_empty(&p->msgs) ||
						       p->state_msg || hv_channel_eof(p));
			if (ret)
				return ret;
			continue;
		}
		if (copy_to_user(buf + done, &m, sizeof(m)))
			return done ? done : -EFAULT;
		done += sizeof(m);
	}
	return done;
}

/**
 * hv_channel_poll() - poll(2) of a partition fd
 * @file:	the partition fd
 * @wait:	poll table
 *
 * Return: EPOLLIN with a message to read, EPOLLHUP when read returns 0.
 */
__poll_t hv_channel_poll(struct file *file, struct poll_table_struct *wait)
{
	struct hv_partition *p = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &p->msg_wq, wait);
	spin_lock(&p->msg_lock);
	if (!list_empty(&p->msgs) || p->state_msg)
		mask |= EPOLLIN | EPOLLRDNORM;
	else if (hv_channel_eof(p))
		mask |= EPOLLHUP;
	spin_unlock(&p->msg_lock);
	return mask;
}

/* Put the worker's answer where the instruction would have put it. */
static void hv_complete_apply(struct hv_vp *vp, const struct hvcore_complete *c)
{
	const struct hvcore_message *m = &vp->msg;
	u64 data = c->data;

	switch (m->type) {
	case HVCORE_MSG_CPUID:
		vp->gpr[HVCORE_RAX] = c->eax;
		vp->gpr[HVCORE_RBX] = c->ebx;
		vp->gpr[HVCORE_RCX] = c->ecx;
		vp->gpr[HVCORE_RDX] = c->edx;
		break;
	case HVCORE_MSG_MSR:
		if (!(m->flags & HVCORE_MSG_F_WRITE)) {
			vp->gpr[HVCORE_RAX] = (u32)data;
			vp->gpr[HVCORE_RDX] = data >> 32;
		}
		break;
	case HVCORE_MSG_IO:
	case HVCORE_MSG_MMIO:
		if (vp->mmio_reg < 0 || (m->flags & HVCORE_MSG_F_WRITE))
			break;
		{
			u8 len = m->type == HVCORE_MSG_IO ? m->io.len : m->mmio.len;

			if (len < 8)
				data &= (1ULL << (len * 8)) - 1;
			if (vp->mmio_sext && len < 8)
				data = (u64)sign_extend64(data, len * 8 - 1);
			hv_gpr_write(vp, vp->mmio_reg, vp->mmio_dst_len, data);
		}
		break;
	}
	vp->exit.next_rip = vp->msg_next_rip;
	hv_vp_skip(vp);
}

static long hv_ioctl_complete(struct file *file, struct hv_partition *p, void __user *uarg)
{
	struct hvcore_complete c;
	struct hv_vp *vp = NULL;
	u32 usize, i;
	int ret;

	ret = hv_args_in(&c, sizeof(c), uarg, HVCORE_COMPLETE_SIZE_VER0, "COMPLETE", &usize);
	if (!ret)
		ret = hv_args_check("COMPLETE", c.flags, HVCORE_COMPLETE_GP, c.reserved,
				    sizeof(c.reserved));
	if (ret)
		return ret;
	if (READ_ONCE(p->worker) != file) {
		hv_bad_input("COMPLETE: this fd is not the worker of partition %u", p->id);
		return -EPERM;
	}

	spin_lock(&p->msg_lock);
	for (i = 0; i < p->nr_vps; i++) {
		struct hv_vp *v = p->vps[i];

		if (v->msg_state != HV_MSG_IDLE && v->msg.seq == c.seq &&
		    (v->msg.flags & HVCORE_MSG_F_COMPLETE)) {
			vp = v;
			break;
		}
	}
	if (vp) {
		trace_hvcore_msg_complete(vp, c.flags & HVCORE_COMPLETE_GP ?
					  HV_TRACE_DONE_GP : HV_TRACE_DONE_COMPLETE);
		list_del_init(&vp->msg_node);
		vp->msg_state = HV_MSG_IDLE;
		if (c.flags & HVCORE_COMPLETE_GP)
			hv_vp_queue_exception(vp, X86_TRAP_GP, true, 0);
		else
			hv_complete_apply(vp, &c);
	}
	spin_unlock(&p->msg_lock);
	if (!vp) {
		hv_bad_input("COMPLETE: no message %llu waits in partition %u", c.seq, p->id);
		return -ENOENT;
	}
	hv_msg_release_vp(vp);
	return 0;
}

static long hv_ioctl_attach(struct file *file, struct hv_partition *p, void __user *uarg)
{
	struct hvcore_attach a;
	u32 usize;
	int ret;

	ret = hv_args_in(&a, sizeof(a), uarg, HVCORE_ATTACH_SIZE_VER0, "ATTACH_WORKER", &usize);
	if (!ret)
		ret = hv_args_check("ATTACH_WORKER", a.flags, 0, a.reserved, sizeof(a.reserved));
	if (ret)
		return ret;
	spin_lock(&p->msg_lock);
	if (p->worker && p->worker != file) {
		hv_bad_input("ATTACH_WORKER: partition %u already has a worker", p->id);
		ret = -EBUSY;
	} else {
		p->worker = file;
	}
	spin_unlock(&p->msg_lock);
	return ret;
}

/**
 * hv_channel_ioctl() - HVCORE_ATTACH_WORKER and HVCORE_COMPLETE
 * @file:	the partition fd
 * @p:		its partition
 * @cmd:	the ioctl
 * @uarg:	user pointer to its structure
 *
 * Return: 0 or a negative errno as the uapi header documents.
 */
long hv_channel_ioctl(struct file *file, struct hv_partition *p, unsigned int cmd,
		      void __user *uarg)
{
	if (HV_IOC_NOSIZE(cmd) == HV_IOC_NOSIZE(HVCORE_ATTACH_WORKER))
		return hv_ioctl_attach(file, p, uarg);
	return hv_ioctl_complete(file, p, uarg);
}

/**
 * hv_channel_release() - a partition fd closes; if it was the worker,
 *			  VPs waiting for it cannot go on
 * @file:	the fd
 * @p:		its partition
 */
void hv_channel_release(struct file *file, struct hv_partition *p)
{
	struct hv_vp *waiting = NULL;
	u32 i;

	spin_lock(&p->msg_lock);
	if (p->worker != file) {
		spin_unlock(&p->msg_lock);
		return;
	}
	p->worker = NULL;
	for (i = 0; i < p->nr_vps && !waiting; i++)
		if (p->vps[i]->msg_state != HV_MSG_IDLE)
			waiting = p->vps[i];
	spin_unlock(&p->msg_lock);
	if (waiting)
		hv_partition_crash(waiting, HVCORE_CRASH_WORKER_GONE, waiting->msg.type);
}
