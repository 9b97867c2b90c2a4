// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl arguments: every structure starts with its size (see the uapi
 * header), so old programs keep working on new kernels and new programs on
 * old kernels, as long as they leave what they do not know zero.
 */
#define pr_fmt(fmt) "hvcore: " fmt

#include <linux/minmax.h>
#include <linux/uaccess.h>

#include "hvcore.h"

/* Largest struct size a caller may declare: room to grow, bounded copy. */
#define HV_ARGS_MAX_SIZE	PAGE_SIZE

/**
 * hv_args_in() - copy in an ioctl structure that starts with __u32 size
 * @karg:	kernel copy, @ksize bytes
 * @ksize:	sizeof the kernel's structure
 * @uarg:	user pointer
 * @min_size:	size of the first published version
 * @what:	ioctl name for the log line
 * @usize:	out: the size the caller declared
 *
 * Return: 0; -EFAULT; -EINVAL for a size below @min_size or above a page;
 * -E2BIG when bytes past @ksize are not zero. Each refusal logs one line.
 */
int hv_args_in(void *karg, size_t ksize, void __user *uarg, u32 min_size,
	       const char *what, u32 *usize)
{
	int ret;

	if (get_user(*usize, (u32 __user *)uarg))
		return -EFAULT;
	if (*usize < min_size || *usize > HV_ARGS_MAX_SIZE) {
		hv_bad_input("%s: size %u is not between %u and %lu", what, *usize,
			     min_size, HV_ARGS_MAX_SIZE);
		return -EINVAL;
	}
	ret = copy_struct_from_user(karg, ksize, uarg, *usize);
	if (ret == -E2BIG)
		hv_bad_input("%s: non-zero bytes past the %zu this kernel knows", what, ksize);
	return ret;
}

/**
 * hv_args_out() - copy an ioctl structure back, at most what the caller has
 * @uarg:	user pointer
 * @karg:	kernel copy; its leading __u32 size is set to the bytes written
 * @ksize:	sizeof the kernel's structure
 * @usize:	size the caller declared
 *
 * Return: 0 or -EFAULT.
 */
int hv_args_out(void __user *uarg, void *karg, size_t ksize, u32 usize)
{
	u32 n = min_t(u32, usize, ksize);

	*(u32 *)karg = n;
	return copy_to_user(uarg, karg, n) ? -EFAULT : 0;
}

/**
 * hv_args_zero() - a reserved area of an ioctl structure must be zero
 * @what:	ioctl name for the log line
 * @reserved:	start of the area
 * @len:	its length in bytes
 *
 * Return: 0 or -EINVAL (one log line).
 */
int hv_args_zero(const char *what, const void *reserved, size_t len)
{
	if (memchr_inv(reserved, 0, len)) {
		hv_bad_input("%s: reserved fields must be zero", what);
		return -EINVAL;
	}
	return 0;
}

/**
 * hv_args_check() - the rules every structure shares: no flags we do not
 * know, reserved space zero
 * @what:	ioctl name for the log line
 * @flags:	the structure's flags
 * @known:	flags this ioctl accepts
 * @reserved:	start of a reserved area
 * @len:	its length in bytes
 *
 * Return: 0 or -EINVAL (one log line).
 */
int hv_args_check(const char *what, u32 flags, u32 known, const void *reserved,
		  size_t len)
{
	if (flags & ~known) {
		hv_bad_input("%s: unknown flags 0x%x", what, flags & ~known);
		return -EINVAL;
	}
	return hv_args_zero(what, reserved, len);
}
