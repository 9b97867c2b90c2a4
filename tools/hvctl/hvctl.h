/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvctl: declarations shared by the command implementations.
 */
#ifndef _HVCTL_H
#define _HVCTL_H

#include <stdbool.h>
#include <stddef.h>

/* Exit statuses, documented in Documentation/hvctl.rst. */
#define HVCTL_EXIT_OK		0
#define HVCTL_EXIT_ERROR	1	/* the command could not do its job */
#define HVCTL_EXIT_USAGE	2	/* bad command line */

#define HVCORE_DEV_PATH		"/dev/hvcore"
#define HVCORE_SYSFS_PATH	"/sys/kernel/hvcore"

#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define fallthrough		__attribute__((__fallthrough__))

void __printf(1, 2) hvctl_err(const char *fmt, ...);
int hvctl_read_file(const char *path, char *buf, size_t size);
bool hvctl_module_loaded(void);

int hvctl_features(bool json);
int hvctl_topology(bool json);

#endif /* _HVCTL_H */
