// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/hvcore: the control device. It answers what the hypervisor found
 * (HVCORE_GET_INFO) and manages partitions (partition.c).
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

/**
 * hv_ioctl_get_info() - HVCORE_GET_INFO: report vendor, features and LPs
 * @uarg: user pointer to struct hvcore_info, @size set by the caller
 *
 * Return: 0 or the errors of hv_args_in() and hv_args_check().
 */
static long hv_ioctl_get_info(void __user *uarg)
{
	struct hvcore_info info;
	u32 usize;
	int ret;

	ret = hv_args_in(&info, sizeof(info), uarg, HVCORE_INFO_SIZE_VER0, "GET_INFO", &usize);
	if (!ret)
		ret = hv_args_check("GET_INFO", info.flags, 0, info.reserved,
				    sizeof(info.reserved));
	if (ret)
		return ret;

	info.api_version = HVCORE_API_VERSION;
	info.vendor = hv_features.vendor;
	info.features = hv_features.bits;
	info.nr_asids = hv_features.nr_asids;
	info.vmcs_revision = hv_features.vmcs_revision;
	info.nr_lps = hv_lp_enabled_count();
	return hv_args_out(uarg, &info, sizeof(info), usize);
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

	long ret;

	if (HV_IOC_NOSIZE(cmd) == HV_IOC_NOSIZE(HVCORE_GET_INFO))
		return hv_ioctl_get_info(uarg);
	ret = hv_partition_dev_ioctl(HV_IOC_NOSIZE(cmd), uarg);
	if (ret == -ENOTTY)
		hv_bad_input("unknown ioctl 0x%x on /dev/hvcore", cmd);
	return ret;
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
