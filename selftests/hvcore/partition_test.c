// SPDX-License-Identifier: GPL-2.0
/*
 * Partitions and their machine memory: the /dev/hvcore and partition-fd
 * ABI, naming, accounting, NUMA placement, 2 MiB backing, isolation, and a
 * bounded ioctl fuzzer (FUZZ_ITERS, default 100000).
 *
 * Independent measures: /proc/self/pagemap for physical frames (2 MiB
 * chunks), move_pages(2) for the node of each page, the kernel log.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/hvcore.h>

#include "kselftest_harness.h"
#include "hvtest.h"

#define MIB (1024ULL * 1024)

/* Fault a page in: a read the compiler cannot drop. */
static void touch(const char *p)
{
	(void)__atomic_load_n(p, __ATOMIC_RELAXED);
}

static long held_pages(void)
{
	return read_long(SYSFS "/memory_pages");
}

static int dev_open(void)
{
	return open("/dev/hvcore", O_RDWR | O_CLOEXEC);
}

static int create(int dev, const char *name, __u32 *id)
{
	struct hvcore_create c = { .size = sizeof(c) };

	snprintf(c.name, sizeof(c.name), "%s", name);
	if (ioctl(dev, HVCORE_CREATE_PARTITION, &c))
		return -errno;
	if (id)
		*id = c.id;
	return 0;
}

static int select_ioctl(int dev, unsigned long cmd, __u32 id, const char *name)
{
	struct hvcore_select s = { .size = sizeof(s), .id = id };
	int ret;

	if (name)
		snprintf(s.name, sizeof(s.name), "%s", name);
	ret = ioctl(dev, cmd, &s);
	return ret < 0 ? -errno : ret;
}

static int configure(int fd, __u64 bytes, int node)
{
	struct hvcore_config c = { .size = sizeof(c), .memory_bytes = bytes, .numa_node = node };

	return ioctl(fd, HVCORE_CONFIGURE, &c) ? -errno : 0;
}

/* A valid CONFIGURE but for one reserved word. */
static int configure_reserved0(int fd)
{
	struct hvcore_config c = { .size = sizeof(c), .memory_bytes = 4096,
				   .numa_node = HVCORE_NODE_ANY, .reserved = { 1 } };

	return ioctl(fd, HVCORE_CONFIGURE, &c) ? -errno : 0;
}

/* A valid CONFIGURE but for one VP too many. */
static int configure_too_many_vps(int fd)
{
	struct hvcore_config c = { .size = sizeof(c), .memory_bytes = 4096,
				   .numa_node = HVCORE_NODE_ANY, .vp_count = HVCORE_MAX_VPS + 1 };

	return ioctl(fd, HVCORE_CONFIGURE, &c) ? -errno : 0;
}

static int info(int fd, struct hvcore_partition_info *pi)
{
	memset(pi, 0, sizeof(*pi));
	pi->size = sizeof(*pi);
	return ioctl(fd, HVCORE_PARTITION_INFO, pi) ? -errno : 0;
}

static int load(int fd, __u64 gpa, const void *data, __u64 bytes)
{
	struct hvcore_load l = { .size = sizeof(l), .gpa = gpa, .bytes = bytes,
				 .data = (__u64)(unsigned long)data };

	return ioctl(fd, HVCORE_LOAD, &l) ? -errno : 0;
}

/* A partition with memory, open: the common start of many tests. */
static int new_partition(int dev, const char *name, __u64 bytes, int node, __u32 *id)
{
	__u32 pid;
	int fd, ret;

	ret = create(dev, name, &pid);
	if (ret)
		return ret;
	fd = select_ioctl(dev, HVCORE_OPEN_PARTITION, pid, NULL);
	if (fd < 0)
		return fd;
	ret = configure(fd, bytes, node);
	if (ret) {
		close(fd);
		return ret;
	}
	if (id)
		*id = pid;
	return fd;
}

FIXTURE(part) {
	int dev;
	long baseline;
};

FIXTURE_SETUP(part)
{
	if (mod_loaded("hvcore"))
		ASSERT_EQ(0, mod_unload("hvcore"));
	ASSERT_EQ(0, hv_load());
	self->dev = dev_open();
	ASSERT_LE(0, self->dev);
	self->baseline = held_pages();
	ASSERT_EQ(0, self->baseline);
}

FIXTURE_TEARDOWN(part)
{
	close(self->dev);
	if (mod_loaded("hvcore"))
		mod_unload("hvcore");
}

TEST_F(part, create_open_delete)
{
	struct hvcore_partition_info pi;
	char path[128], buf[64];
	__u32 id, ids[4];
	struct hvcore_list l = { .size = sizeof(l), .count = 4,
				 .ids = (__u64)(unsigned long)ids };
	int fd, fd2;

	ASSERT_EQ(0, create(self->dev, "web-1", &id));
	ASSERT_LT(0, id);
	snprintf(path, sizeof(path), SYSFS "/partitions/%u/name", id);
	ASSERT_EQ(0, read_str(path, buf, sizeof(buf)));
	EXPECT_STREQ("web-1", buf);
	snprintf(path, sizeof(path), SYSFS "/partitions/%u/state", id);
	ASSERT_EQ(0, read_str(path, buf, sizeof(buf)));
	EXPECT_STREQ("off", buf);

	ASSERT_EQ(0, ioctl(self->dev, HVCORE_LIST_PARTITIONS, &l));
	EXPECT_EQ(1, l.count);
	EXPECT_EQ(id, ids[0]);

	fd = select_ioctl(self->dev, HVCORE_OPEN_PARTITION, 0, "web-1");
	ASSERT_LE(0, fd);
	fd2 = select_ioctl(self->dev, HVCORE_OPEN_PARTITION, id, NULL);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, info(fd, &pi));
	EXPECT_EQ(id, pi.id);
	EXPECT_STREQ("web-1", pi.name);
	EXPECT_EQ(HVCORE_STATE_OFF, pi.state);
	EXPECT_EQ(HVCORE_NODE_ANY, pi.numa_node);
	EXPECT_EQ(0, pi.memory_bytes);

	/* Delete: gone from the registry and sysfs; open fds say ENODEV. */
	EXPECT_EQ(0, select_ioctl(self->dev, HVCORE_DELETE_PARTITION, id, NULL));
	snprintf(path, sizeof(path), SYSFS "/partitions/%u", id);
	EXPECT_NE(0, access(path, F_OK));
	EXPECT_EQ(-ENODEV, info(fd, &pi));
	EXPECT_EQ(-ENODEV, configure(fd2, 4096, HVCORE_NODE_ANY));
	EXPECT_EQ(-ENOENT, select_ioctl(self->dev, HVCORE_OPEN_PARTITION, 0, "web-1"));
	EXPECT_EQ(-ENOENT, select_ioctl(self->dev, HVCORE_DELETE_PARTITION, id, NULL));
	l.count = 4;
	ASSERT_EQ(0, ioctl(self->dev, HVCORE_LIST_PARTITIONS, &l));
	EXPECT_EQ(0, l.count);
	close(fd);
	close(fd2);
}

TEST_F(part, names_and_ids)
{
	static const char *const bad[] = {
		"", ".hidden", "-opt", "a b", "a/b", "x\n",
	};
	struct hvcore_create c;
	__u32 a, b;
	unsigned int i;
	int km;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(-EINVAL, create(self->dev, bad[i], NULL)) TH_LOG("bad name #%u", i);
	EXPECT_EQ(0, create(self->dev, "0123456789abcdef0123456789abcde", NULL));

	/* No NUL in all 32 bytes, bytes after the NUL, an output field set, flags. */
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	memset(c.name, 'a', sizeof(c.name));
	EXPECT_EQ(-1, ioctl(self->dev, HVCORE_CREATE_PARTITION, &c));
	EXPECT_EQ(EINVAL, errno);
	memset(c.name, 0, sizeof(c.name));
	snprintf(c.name, sizeof(c.name), "ok");
	c.name[10] = 'x';
	EXPECT_EQ(-1, ioctl(self->dev, HVCORE_CREATE_PARTITION, &c));
	EXPECT_EQ(EINVAL, errno);
	c.name[10] = 0;
	c.id = 5;
	EXPECT_EQ(-1, ioctl(self->dev, HVCORE_CREATE_PARTITION, &c));
	EXPECT_EQ(EINVAL, errno);
	c.id = 0;
	c.flags = 2;
	EXPECT_EQ(-1, ioctl(self->dev, HVCORE_CREATE_PARTITION, &c));
	EXPECT_EQ(EINVAL, errno);

	ASSERT_EQ(0, create(self->dev, "dup", &a));
	km = kmsg_mark();
	EXPECT_EQ(-EEXIST, create(self->dev, "dup", NULL));
	EXPECT_TRUE(kmsg_has(km, "a partition named 'dup' exists"));

	/* Select by id and name at once is ambiguous. */
	EXPECT_EQ(-EINVAL, select_ioctl(self->dev, HVCORE_OPEN_PARTITION, a, "dup"));

	/* Ids are not reused. */
	ASSERT_EQ(0, select_ioctl(self->dev, HVCORE_DELETE_PARTITION, 0, "dup"));
	ASSERT_EQ(0, create(self->dev, "dup", &b));
	EXPECT_LT(a, b);
}

TEST_F(part, memory_accounting)
{
	struct hvcore_partition_info pi;
	char path[128];
	__u32 id;
	int fd, km;

	fd = new_partition(self->dev, "mem", 64 * MIB, HVCORE_NODE_ANY, &id);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, info(fd, &pi));
	EXPECT_EQ(64 * MIB, pi.memory_bytes);
	EXPECT_EQ(64 * MIB / 4096, pi.memory_pages);
	EXPECT_EQ(self->baseline + (long)(64 * MIB / 4096), held_pages());
	snprintf(path, sizeof(path), SYSFS "/partitions/%u/memory_pages", id);
	EXPECT_EQ((long)(64 * MIB / 4096), read_long(path));

	EXPECT_EQ(-EINVAL, configure(fd, 4097, HVCORE_NODE_ANY));
	EXPECT_EQ(-EINVAL, configure(fd, HVCORE_MEMORY_MAX + 4096, HVCORE_NODE_ANY));
	EXPECT_EQ(-EINVAL, configure(fd, 4096, 63));
	km = kmsg_mark();
	EXPECT_EQ(-EINVAL, configure_reserved0(fd));
	EXPECT_TRUE(kmsg_has(km, "CONFIGURE: reserved fields must be zero"));
	km = kmsg_mark();
	EXPECT_EQ(-EINVAL, configure_too_many_vps(fd));
	EXPECT_TRUE(kmsg_has(km, "CONFIGURE: vp_count 65: at most 64"));
	/* Far more than the test host has: refused, nothing kept. */
	EXPECT_EQ(-ENOMEM, configure(fd, 32ULL << 30, HVCORE_NODE_ANY));
	EXPECT_EQ(self->baseline, held_pages());

	ASSERT_EQ(0, configure(fd, 8 * MIB, HVCORE_NODE_ANY));
	EXPECT_EQ(self->baseline + (long)(8 * MIB / 4096), held_pages());
	ASSERT_EQ(0, configure(fd, 0, HVCORE_NODE_ANY));
	EXPECT_EQ(self->baseline, held_pages());

	/* Deleting a partition returns its memory once the last fd closes. */
	ASSERT_EQ(0, configure(fd, 4 * MIB, HVCORE_NODE_ANY));
	ASSERT_EQ(0, select_ioctl(self->dev, HVCORE_DELETE_PARTITION, id, NULL));
	EXPECT_EQ(self->baseline + (long)(4 * MIB / 4096), held_pages());
	close(fd);
	EXPECT_EQ(self->baseline, held_pages());
}

/* Physical frame of a mapped, touched page, from /proc/self/pagemap. */
static __u64 pfn_of(int pagemap, const void *addr)
{
	__u64 e = 0;

	if (pread(pagemap, &e, sizeof(e), (unsigned long)addr / 4096 * 8) != sizeof(e))
		return 0;
	return (e >> 63) ? e & ((1ULL << 55) - 1) : 0;
}

TEST_F(part, backing_2m)
{
	const __u64 size = 64 * MIB;
	struct hvcore_partition_info pi;
	unsigned long chunk, contiguous = 0;
	char *mem;
	int fd, pm;

	fd = new_partition(self->dev, "big", size, HVCORE_NODE_ANY, NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, info(fd, &pi));
	/* A freshly booted test host has 2 MiB chunks to give. */
	EXPECT_LT(0, pi.pages_2m);
	EXPECT_GE(size / (2 * MIB), pi.pages_2m);

	mem = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, mem);
	pm = open("/proc/self/pagemap", O_RDONLY);
	ASSERT_LE(0, pm);
	for (chunk = 0; chunk < size / (2 * MIB); chunk++) {
		__u64 first, i;
		bool ok;

		touch(&mem[chunk * 2 * MIB]);
		first = pfn_of(pm, &mem[chunk * 2 * MIB]);
		ASSERT_NE(0, first);
		ok = !(first & 511);
		for (i = 1; ok && i < 512; i++) {
			touch(&mem[chunk * 2 * MIB + i * 4096]);
			ok = pfn_of(pm, &mem[chunk * 2 * MIB + i * 4096]) == first + i;
		}
		contiguous += ok;
	}
	close(pm);
	/* Every chunk the kernel claims is really one aligned 2 MiB frame. */
	EXPECT_LE(pi.pages_2m, contiguous);
	munmap(mem, size);
	close(fd);
}

TEST_F(part, numa_placement)
{
	const __u64 size = 16 * MIB, n = size / 4096;
	struct hvcore_partition_info pi;
	void **pages;
	int *status, fd;
	char *mem;
	__u64 i, on_node = 0;

	if (access("/sys/devices/system/node/node1", F_OK))
		SKIP(return, "needs two NUMA nodes");
	fd = new_partition(self->dev, "numa", size, 1, NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, info(fd, &pi));
	EXPECT_EQ(1, pi.numa_node);
	EXPECT_EQ(0, pi.pages_off_node);

	mem = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, mem);
	pages = calloc(n, sizeof(*pages));
	status = calloc(n, sizeof(*status));
	ASSERT_TRUE(pages && status);
	for (i = 0; i < n; i++) {
		touch(&mem[i * 4096]);
		pages[i] = &mem[i * 4096];
	}
	ASSERT_EQ(0, syscall(SYS_move_pages, 0, n, pages, NULL, status, 0));
	for (i = 0; i < n; i++)
		on_node += status[i] == 1;
	EXPECT_EQ(n, on_node);
	free(pages);
	free(status);
	munmap(mem, size);
	close(fd);
}

TEST_F(part, load_and_mmap)
{
	const __u64 size = 4 * MIB;
	char pattern[6000], *a, *b;
	int fd, fd2;
	unsigned int i;

	for (i = 0; i < sizeof(pattern); i++)
		pattern[i] = (char)(i * 7 + 3);
	fd = new_partition(self->dev, "load", size, HVCORE_NODE_ANY, NULL);
	ASSERT_LE(0, fd);
	/* Across a page boundary, and ending exactly at the last byte. */
	ASSERT_EQ(0, load(fd, 0x1ff0, pattern, sizeof(pattern)));
	ASSERT_EQ(0, load(fd, size - 16, pattern, 16));

	EXPECT_EQ(-EINVAL, load(fd, size - 15, pattern, 16));
	EXPECT_EQ(-EINVAL, load(fd, ~0ULL - 8, pattern, 16));
	EXPECT_EQ(-EFAULT, load(fd, 0, (void *)16, 16));

	a = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, a);
	EXPECT_EQ(0, memcmp(a + 0x1ff0, pattern, sizeof(pattern)));
	EXPECT_EQ(0, memcmp(a + size - 16, pattern, 16));
	EXPECT_EQ(0, a[0]);

	/* Shared: a second fd's mapping of one page sees the first's writes. */
	fd2 = select_ioctl(self->dev, HVCORE_OPEN_PARTITION, 0, "load");
	ASSERT_LE(0, fd2);
	b = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd2, 0x3000);
	ASSERT_NE(MAP_FAILED, b);
	a[0x3000 + 5] = 42;
	EXPECT_EQ(42, b[5]);

	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, size - 4096));
	EXPECT_EQ(EINVAL, errno);
	/* Memory cannot change under a mapping. */
	EXPECT_EQ(-EBUSY, configure(fd, 8 * MIB, HVCORE_NODE_ANY));
	munmap(b, 4096);
	munmap(a, size);
	EXPECT_EQ(0, configure(fd, 8 * MIB, HVCORE_NODE_ANY));
	close(fd2);
	close(fd);
}

TEST_F(part, zeroed_and_isolated)
{
	const __u64 size = 16 * MIB;
	static const char secret[] = "hvcore-secret-7c1f";
	unsigned long hits = 0;
	char *mem, *buf;
	__u64 off;
	int fd;

	buf = malloc(size);
	ASSERT_NE(NULL, buf);
	for (off = 0; off + sizeof(secret) <= size; off += sizeof(secret))
		memcpy(buf + off, secret, sizeof(secret));
	fd = new_partition(self->dev, "a", size, HVCORE_NODE_ANY, NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, load(fd, 0, buf, size));
	ASSERT_EQ(0, select_ioctl(self->dev, HVCORE_DELETE_PARTITION, 0, "a"));
	close(fd);
	free(buf);

	/* The next partition likely gets the same frames: all must be zero. */
	fd = new_partition(self->dev, "b", size, HVCORE_NODE_ANY, NULL);
	ASSERT_LE(0, fd);
	mem = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, mem);
	for (off = 0; off < size; off++)
		hits += mem[off] != 0;
	EXPECT_EQ(0, hits);
	munmap(mem, size);
	close(fd);
}

TEST_F(part, delete_while_mapped)
{
	const __u64 size = 4 * MIB;
	char *mem;
	int fd;

	fd = new_partition(self->dev, "mapped", size, HVCORE_NODE_ANY, NULL);
	ASSERT_LE(0, fd);
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, mem);
	mem[0] = 1;
	close(fd);
	ASSERT_EQ(0, select_ioctl(self->dev, HVCORE_DELETE_PARTITION, 0, "mapped"));
	/* The mapping keeps the memory: touched and untouched pages work. */
	mem[size - 1] = 2;
	EXPECT_EQ(1, mem[0]);
	EXPECT_EQ(self->baseline + (long)(size / 4096), held_pages());
	/* hvcore is pinned by the mapping's file. */
	EXPECT_EQ(-EWOULDBLOCK, mod_unload("hvcore"));
	munmap(mem, size);
	EXPECT_EQ(self->baseline, held_pages());
}

TEST_F(part, unload_deletes_partitions)
{
	int fd;

	fd = new_partition(self->dev, "keep", 8 * MIB, HVCORE_NODE_ANY, NULL);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EWOULDBLOCK, mod_unload("hvcore"));
	close(fd);
	close(self->dev);
	ASSERT_EQ(0, mod_unload("hvcore"));
	ASSERT_EQ(0, hv_load());
	self->dev = dev_open();
	ASSERT_LE(0, self->dev);
	EXPECT_EQ(-ENOENT, select_ioctl(self->dev, HVCORE_OPEN_PARTITION, 0, "keep"));
	EXPECT_EQ(0, held_pages());
}

/*
 * Random commands, sizes, contents and pointers on /dev/hvcore and on
 * partition fds. Memory requests stay small so the host is never pushed
 * into reclaim; afterwards every partition is deleted and the page count
 * must be back where it started.
 */
TEST_F_TIMEOUT(part, fuzz, 1200)
{
	static const unsigned long cmds[] = {
		HVCORE_GET_INFO, HVCORE_CREATE_PARTITION, HVCORE_OPEN_PARTITION,
		HVCORE_DELETE_PARTITION, HVCORE_LIST_PARTITIONS, HVCORE_CONFIGURE,
		HVCORE_PARTITION_INFO, HVCORE_LOAD, _IO(HVCORE_IOCTL_TYPE, 0x7f),
		_IOWR(HVCORE_IOCTL_TYPE, 0x41, char[8]),
	};
	long iters = strtol(env_or("FUZZ_ITERS", "100000"), NULL, 0);
	unsigned char *page, *guard;
	int fds[8] = { -1, -1, -1, -1, -1, -1, -1, -1 };
	__u32 ids[64];
	struct hvcore_list l = { .size = sizeof(l), .count = 64,
				 .ids = (__u64)(unsigned long)ids };
	long i, succeeded = 0, created = 0, configured = 0, loaded = 0;
	__u32 k;

	srandom(getpid());
	page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	guard = page + 4096;	/* unmapped: structs running into it fault */
	munmap(guard, 4096);

	for (i = 0; i < iters; i++) {
		unsigned long cmd = cmds[random() % ARRAY_SIZE(cmds)];
		int slot = random() % 8, fd, ret, clean;
		unsigned int nr;
		void *arg;
		__u32 j;

		/* Half clean structures (reach the work), half sparse garbage. */
		clean = random() % 2;
		for (j = 0; j < 256; j++)
			page[4096 - 256 + j] = clean || random() % 64 ? 0 : random();
		arg = page + 4096 - 256;
		*(__u32 *)arg = clean || random() % 3 ? _IOC_SIZE(cmd) : random() % 300;
		switch (cmd) {
		case HVCORE_CREATE_PARTITION:
			snprintf(((struct hvcore_create *)arg)->name, 8, "f%ld", random() % 16);
			break;
		case HVCORE_OPEN_PARTITION:
		case HVCORE_DELETE_PARTITION:
			((struct hvcore_select *)arg)->id = random() % 40;
			break;
		case HVCORE_LIST_PARTITIONS:
			((struct hvcore_list *)arg)->ids = random() % 2 ?
				(__u64)(unsigned long)ids : random();
			((struct hvcore_list *)arg)->count = random() % 128;
			break;
		case HVCORE_CONFIGURE:
			/* Clean ones keep some memory, so that LOADs can succeed. */
			((struct hvcore_config *)arg)->memory_bytes =
				(random() % 2048 + clean) * 4096 +
				(clean || random() % 8 ? 0 : random());
			((struct hvcore_config *)arg)->numa_node = random() % 4 - 1;
			break;
		case HVCORE_LOAD:
			/* Clean ones fit any configured memory and point at our page. */
			((struct hvcore_load *)arg)->gpa = random() % (clean ? 4096 : 9 * MIB);
			((struct hvcore_load *)arg)->bytes = random() % (clean ? 4096 : 20000);
			((struct hvcore_load *)arg)->data = clean || random() % 2 ?
				(__u64)(unsigned long)page : random();
			break;
		}
		switch (clean ? 7 : random() % 8) {
		case 0:
			arg = NULL;
			break;
		case 1:
			arg = guard - random() % 64;	/* runs into the unmapped page */
			break;
		case 2:
			arg = (void *)0xffff888000000000UL;	/* kernel address */
			break;
		}

		/* Partition-fd commands (numbers 0x40 up) go to a partition fd if open. */
		nr = _IOC_NR(cmd);
		fd = nr >= 0x40 && nr < 0x7f && fds[slot] >= 0 ? fds[slot] : self->dev;
		ret = ioctl(fd, cmd, arg);
		succeeded += ret >= 0;
		created += cmd == HVCORE_CREATE_PARTITION && ret == 0;
		configured += cmd == HVCORE_CONFIGURE && ret == 0;
		loaded += cmd == HVCORE_LOAD && ret == 0;
		if (cmd == HVCORE_OPEN_PARTITION && ret >= 0) {
			if (fds[slot] >= 0)
				close(fds[slot]);
			fds[slot] = ret;
		}
		if (random() % 64 == 0 && fds[slot] >= 0) {
			close(fds[slot]);
			fds[slot] = -1;
		}
	}

	ksft_print_msg("fuzz: %ld calls, %ld succeeded: %ld creates, %ld configures, %ld loads\n",
		       iters, succeeded, created, configured, loaded);
	/* A fuzzer that never gets past validation tests nothing behind it. */
	EXPECT_LT(0, created);
	EXPECT_LT(0, configured);
	EXPECT_LT(0, loaded);
	for (k = 0; k < 8; k++)
		if (fds[k] >= 0)
			close(fds[k]);
	ASSERT_EQ(0, ioctl(self->dev, HVCORE_LIST_PARTITIONS, &l));
	for (k = 0; k < l.count && k < 64; k++)
		EXPECT_EQ(0, select_ioctl(self->dev, HVCORE_DELETE_PARTITION, ids[k], NULL));
	EXPECT_EQ(self->baseline, held_pages());
	munmap(page, 4096);
}

TEST_HARNESS_MAIN
