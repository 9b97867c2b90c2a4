// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/hvcore: the control device. Partitions are created here by later
 * work; for now it answers what the hypervisor found (HVCORE_GET_INFO).
 */
#define pr_fmt(fmt) "hvcore: " fmt

#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "hvcore.h"

/* Largest struct size a caller may declare: room to grow, bounded copy. */
#define HV_IOCTL_MAX_SIZE	PAGE_SIZE

/* The size in the ioctl number is not used: the struct's size field is. */
#define HV_IOC_NOSIZE(cmd)	((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT))

#define hv_bad_input(fmt, ...)						\
	pr_info_ratelimited("%s[%d]: " fmt "\n", current->comm,	\
			    task_pid_nr(current), ##__VA_ARGS__)

/**
 * hv_ioctl_get_info() - HVCORE_GET_INFO: report vendor, features and LPs
 * @uarg: user pointer to struct hvcore_info, @size set by the caller
 *
 * Return: 0; -EFAULT for a bad pointer; -EINVAL for a size below
 * HVCORE_INFO_SIZE_VER0 or above a page, non-zero flags or reserved
 * fields; -E2BIG when bytes past the kernel's struct are non-zero.
 */
static long hv_ioctl_get_info(void __user *uarg)
{
	struct hvcore_info info;
	u32 usize;
	int ret;

	if (get_user(usize, (u32 __user *)uarg))
		return -EFAULT;
	if (usize < HVCORE_INFO_SIZE_VER0 || usize > HV_IOCTL_MAX_SIZE) {
		hv_bad_input("GET_INFO: size %u is not between %u and %lu",
			     usize, HVCORE_INFO_SIZE_VER0, HV_IOCTL_MAX_SIZE);
		return -EINVAL;
	}
	ret = copy_struct_from_user(&info, sizeof(info), uarg, usize);
	if (ret) {
		if (ret == -E2BIG)
			hv_bad_input("GET_INFO: non-zero bytes past the %zu this kernel knows",
				     sizeof(info));
		return ret;
	}
	if (info.flags) {
		hv_bad_input("GET_INFO: unknown flags 0x%x", info.flags);
		return -EINVAL;
	}
	if (memchr_inv(info.reserved, 0, sizeof(info.reserved))) {
		hv_bad_input("GET_INFO: reserved fields must be zero");
		return -EINVAL;
	}

	info.size = min_t(u32, usize, sizeof(info));
	info.api_version = HVCORE_API_VERSION;
	info.vendor = hv_features.vendor;
	info.features = hv_features.bits;
	info.nr_asids = hv_features.nr_asids;
	info.vmcs_revision = hv_features.vmcs_revision;
	info.nr_lps = hv_lp_enabled_count();
	if (copy_to_user(uarg, &info, info.size))
		return -EFAULT;
	return 0;
}

/**
 * hv_dev_ioctl() - ioctls of /dev/hvcore
 * @file: the open device
 * @cmd: HVCORE_* ioctl number
 * @arg: user pointer to the ioctl's struct
 *
 * Return: as the ioctl says; -ENOTTY for a command that is not ours.
 */
static long hv_dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (HV_IOC_NOSIZE(cmd)) {
	case HV_IOC_NOSIZE(HVCORE_GET_INFO):
		return hv_ioctl_get_info(uarg);
	default:
		hv_bad_input("unknown ioctl 0x%x on /dev/hvcore", cmd);
		return -ENOTTY;
	}
}

static const struct file_operations hv_dev_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= hv_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice hv_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "hvcore",
	.fops	= &hv_dev_fops,
	.mode	= 0600,
};

/**
 * hv_dev_init() - register /dev/hvcore
 *
 * Return: 0 or the misc_register() error.
 */
int hv_dev_init(void)
{
	return misc_register(&hv_miscdev);
}

/**
 * hv_dev_exit() - unregister /dev/hvcore; no file can be open (module ref)
 */
void hv_dev_exit(void)
{
	misc_deregister(&hv_miscdev);
}
