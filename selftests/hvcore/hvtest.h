/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the hvcore selftests: module loading, small sysfs
 * files, the kernel log from a point on.
 */
#ifndef HVTEST_H
#define HVTEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define SYSFS "/sys/kernel/hvcore"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

static inline const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

static inline int mod_load(const char *path, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0);
	ret = ret ? -errno : 0;
	close(fd);
	return ret;
}

static inline int mod_unload(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

static inline bool mod_loaded(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	return access(path, F_OK) == 0;
}

static inline int hv_load(void)
{
	return mod_load(env_or("HVCORE_KO", "/lib/hvtest/modules/hvcore.ko"), "");
}

/* CLOCK_MONOTONIC in ns: the clock hvcore's ktime_get_ns() counters use. */
static inline unsigned long long hvt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The TSC, which guests read too (hvcore does not offset or scale it). */
static inline unsigned long long hvt_rdtsc(void)
{
	unsigned int lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (unsigned long long)hi << 32 | lo;
}

/* Read a whole small file, trailing newline removed. */
static inline int read_str(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

static inline long read_long(const char *path)
{
	char buf[64];

	if (read_str(path, buf, sizeof(buf)))
		return -1;
	return strtol(buf, NULL, 0);
}

static inline int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n < 0 ? -errno : 0;
}

/* The kernel log from now on: open /dev/kmsg and skip what is there. */
static inline int kmsg_mark(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

static inline bool kmsg_has(int fd, const char *needle)
{
	char rec[2048];
	bool found = false;
	ssize_t n;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: keep reading */
		if (n <= 0)
			break;
		rec[n] = '\0';
		if (strstr(rec, needle))
			found = true;
	}
	close(fd);
	return found;
}

/* hvcore loaded afresh: no partitions, no pages held. */
static inline int hv_reload(void)
{
	int ret;

	if (mod_loaded("hvcore")) {
		ret = mod_unload("hvcore");
		if (ret)
			return ret;
	}
	return hv_load();
}

/*
 * Whether the kernel log from the mark on has one of the markers of a
 * kernel warning that the judge fails a run for (Documentation/testing.rst).
 */
static inline bool kmsg_warned(int fd)
{
	static const char *const markers[] = {
		"WARNING: CPU:", "------------[ cut here ]", "BUG:", "Oops",
		"general protection fault", "Call Trace:", "UBSAN:",
	};
	char rec[2048];
	bool found = false;
	unsigned int i;
	ssize_t n;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			break;
		rec[n] = '\0';
		for (i = 0; i < ARRAY_SIZE(markers); i++)
			if (strstr(rec, markers[i])) {
				fprintf(stderr, "# kernel: %s", rec);
				found = true;
			}
	}
	close(fd);
	return found;
}

#endif /* HVTEST_H */
