// SPDX-License-Identifier: GPL-2.0
/*
 * hvcore module life cycle, feature detection and the /dev/hvcore ABI.
 *
 * Runs as root inside a test host. Environment:
 *   HVCORE_KO      path of hvcore.ko (default /lib/hvtest/modules/hvcore.ko)
 *   HVTEST_MODDIR  folder with Debian's modules and their *.order files
 *   HVTEST_EXPECT  "feature=value,..." that this test host must show
 *
 * Every claim the module makes is checked against a source it did not
 * produce: CPUID executed here, the VMX MSRs read through msr.ko, the
 * kernel's own CPU count and the kernel log.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/kvm.h>
#include <linux/hvcore.h>

#include "kselftest_harness.h"
#include "hvtest.h"

/* Load the modules listed in HVTEST_MODDIR/<top>.order, dependencies first. */
static int load_order(const char *top, const char *kvm_params)
{
	const char *dir = env_or("HVTEST_MODDIR", "/lib/hvtest/modules");
	char path[512], name[64];
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/%s.order", dir, top);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (!ret && fscanf(f, "%63s", name) == 1) {
		snprintf(path, sizeof(path), "%s/%s.ko", dir, name);
		ret = mod_load(path, strcmp(name, "kvm") ? "" : kvm_params);
		if (ret == -EEXIST)
			ret = 0;
	}
	fclose(f);
	return ret;
}

static void unload_order(const char *top)
{
	const char *dir = env_or("HVTEST_MODDIR", "/lib/hvtest/modules");
	char path[512], names[8][64];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.order", dir, top);
	f = fopen(path, "re");
	if (!f)
		return;
	while (n < 8 && fscanf(f, "%63s", names[n]) == 1)
		n++;
	fclose(f);
	while (n--) {
		char *p;

		for (p = names[n]; *p; p++)
			if (*p == '-')
				*p = '_';
		mod_unload(names[n]);
	}
}

static bool cpu_has_svm(void)
{
	unsigned int a, b, c, d;

	return __get_cpuid(0x80000001, &a, &b, &c, &d) && (c & (1u << 2));
}

static bool cpu_has_vmx(void)
{
	unsigned int a, b, c, d;

	return __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 5));
}

static const char *kvm_vendor_module(void)
{
	return cpu_has_svm() ? "kvm-amd" : "kvm-intel";
}

static int get_info(int fd, struct hvcore_info *info)
{
	return ioctl(fd, HVCORE_GET_INFO, info) ? -errno : 0;
}

FIXTURE(hv) {
	int unused;
};

FIXTURE_SETUP(hv)
{
	if (mod_loaded("hvcore"))
		ASSERT_EQ(0, mod_unload("hvcore"));
}

FIXTURE_TEARDOWN(hv)
{
	if (access("/sys/devices/system/cpu/cpu1/online", F_OK) == 0)
		write_str("/sys/devices/system/cpu/cpu1/online", "1");
	if (mod_loaded("hvcore"))
		mod_unload("hvcore");
	unload_order(kvm_vendor_module());
}

TEST_F(hv, load_unload)
{
	struct stat st;

	ASSERT_EQ(0, hv_load());
	ASSERT_EQ(0, stat("/dev/hvcore", &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_ONLN), read_long(SYSFS "/lps_enabled"));
	EXPECT_EQ(HVCORE_API_VERSION, read_long(SYSFS "/api_version"));

	ASSERT_EQ(0, mod_unload("hvcore"));
	EXPECT_NE(0, access(SYSFS, F_OK));
	EXPECT_NE(0, access("/dev/hvcore", F_OK));

	/* A clean unload leaves the extension free: a second cycle works. */
	ASSERT_EQ(0, hv_load());
	ASSERT_EQ(0, mod_unload("hvcore"));
}

TEST_F(hv, double_load)
{
	ASSERT_EQ(0, hv_load());
	EXPECT_EQ(-EEXIST, hv_load());
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_ONLN), read_long(SYSFS "/lps_enabled"));
	ASSERT_EQ(0, mod_unload("hvcore"));
}

TEST_F(hv, unload_while_open)
{
	struct hvcore_info info = { .size = sizeof(info) };
	int fd;

	ASSERT_EQ(0, hv_load());
	fd = open("/dev/hvcore", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EWOULDBLOCK, mod_unload("hvcore"));
	/* The refused unload must leave the module fully working. */
	EXPECT_EQ(0, get_info(fd, &info));
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_ONLN), info.nr_lps);
	close(fd);
	ASSERT_EQ(0, mod_unload("hvcore"));
}

TEST_F(hv, device_is_root_only)
{
	pid_t pid;
	int status;

	ASSERT_EQ(0, hv_load());
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		_exit(open("/dev/hvcore", O_RDWR) < 0 && errno == EACCES ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* SVM: the module's view must equal CPUID Fn8000_000A executed here. */
static void check_svm_features(struct __test_metadata *_metadata,
			       const struct hvcore_info *info)
{
	static const struct {
		const char *name;
		unsigned int edx_bit;
		__u64 info_bit;
	} map[] = {
		{ "npt", 0, HVCORE_SVM_NPT },
		{ "nrips", 3, HVCORE_SVM_NRIPS },
		{ "vmcb_clean", 5, HVCORE_SVM_VMCB_CLEAN },
		{ "flush_by_asid", 6, HVCORE_SVM_FLUSH_BY_ASID },
		{ "decode_assists", 7, HVCORE_SVM_DECODE_ASSISTS },
		{ "avic", 13, HVCORE_SVM_AVIC },
	};
	unsigned int a, b, c, d, i;
	char path[256];

	ASSERT_TRUE(__get_cpuid(0x8000000a, &a, &b, &c, &d));
	for (i = 0; i < ARRAY_SIZE(map); i++) {
		long want = !!(d & (1u << map[i].edx_bit));

		snprintf(path, sizeof(path), SYSFS "/features/%s", map[i].name);
		EXPECT_EQ(want, read_long(path)) TH_LOG("sysfs %s", map[i].name);
		EXPECT_EQ(want, !!(info->features & map[i].info_bit))
			TH_LOG("GET_INFO %s", map[i].name);
	}
	EXPECT_EQ((long)b, read_long(SYSFS "/features/nr_asids"));
	EXPECT_EQ(b, info->nr_asids);
	EXPECT_NE(0, access(SYSFS "/features/ept", F_OK));
}

static __u64 rdmsr0(struct __test_metadata *_metadata, int fd, __u32 msr)
{
	__u64 v = 0;

	EXPECT_EQ((ssize_t)sizeof(v), pread(fd, &v, sizeof(v), msr)) TH_LOG("MSR 0x%x", msr);
	return v;
}

/* VMX: recompute from the capability MSRs, read through msr.ko. */
static void check_vmx_features(struct __test_metadata *_metadata,
			       const struct hvcore_info *info)
{
	__u64 basic, proc, proc2 = 0, cap = 0;
	__u64 want = 0;
	int fd;

	ASSERT_EQ(0, load_order("msr", ""));
	fd = open("/dev/cpu/0/msr", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	basic = rdmsr0(_metadata, fd, 0x480);
	proc = rdmsr0(_metadata, fd, (basic >> 55) & 1 ? 0x48e : 0x482);
	if (proc >> 63)
		proc2 = rdmsr0(_metadata, fd, 0x48b) >> 32;
	if (proc2 & ((1 << 1) | (1 << 5)))
		cap = rdmsr0(_metadata, fd, 0x48c);
	close(fd);

	if ((basic >> 55) & 1)
		want |= HVCORE_VMX_TRUE_CTLS;
	if (proc2 & (1 << 1)) {
		want |= HVCORE_VMX_EPT;
		want |= (cap >> 21) & 1 ? HVCORE_VMX_EPT_AD : 0;
		want |= (cap >> 16) & 1 ? HVCORE_VMX_EPT_2M : 0;
		want |= (cap >> 17) & 1 ? HVCORE_VMX_EPT_1G : 0;
		want |= proc2 & (1 << 7) ? HVCORE_VMX_UNRESTRICTED_GUEST : 0;
	}
	want |= proc2 & (1 << 5) ? HVCORE_VMX_VPID : 0;

	EXPECT_EQ(want, info->features);
	EXPECT_EQ(basic & 0x7fffffff, info->vmcs_revision);
	EXPECT_EQ((long)(basic & 0x7fffffff), read_long(SYSFS "/features/vmcs_revision"));
	EXPECT_EQ(!!(want & HVCORE_VMX_EPT), read_long(SYSFS "/features/ept"));
	EXPECT_EQ(!!(want & HVCORE_VMX_VPID), read_long(SYSFS "/features/vpid"));
	EXPECT_EQ(!!(want & HVCORE_VMX_UNRESTRICTED_GUEST),
		  read_long(SYSFS "/features/unrestricted_guest"));
	EXPECT_EQ(!!(want & HVCORE_VMX_EPT_AD), read_long(SYSFS "/features/ept_ad"));
	EXPECT_NE(0, access(SYSFS "/features/npt", F_OK));
}

/* HVTEST_EXPECT pins what this test host's CPU model must offer. */
static void check_expectations(struct __test_metadata *_metadata)
{
	char *list = strdup(env_or("HVTEST_EXPECT", ""));
	char *item, *save = NULL, path[256], got[64];

	for (item = strtok_r(list, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');

		ASSERT_NE(NULL, eq);
		*eq = '\0';
		if (!strcmp(item, "vendor"))
			snprintf(path, sizeof(path), SYSFS "/vendor");
		else
			snprintf(path, sizeof(path), SYSFS "/features/%s", item);
		EXPECT_EQ(0, read_str(path, got, sizeof(got))) TH_LOG("%s", path);
		EXPECT_STREQ(eq + 1, got) TH_LOG("test host expectation %s", item);
	}
	free(list);
}

TEST_F(hv, features_match_cpu)
{
	struct hvcore_info info = { .size = sizeof(info) };
	char vendor[16];
	int fd;

	ASSERT_EQ(0, hv_load());
	fd = open("/dev/hvcore", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, get_info(fd, &info));
	close(fd);
	ASSERT_EQ(0, read_str(SYSFS "/vendor", vendor, sizeof(vendor)));

	if (cpu_has_svm()) {
		EXPECT_STREQ("svm", vendor);
		EXPECT_EQ(HVCORE_VENDOR_SVM, info.vendor);
		check_svm_features(_metadata, &info);
	} else {
		ASSERT_TRUE(cpu_has_vmx());
		EXPECT_STREQ("vmx", vendor);
		EXPECT_EQ(HVCORE_VENDOR_VMX, info.vendor);
		check_vmx_features(_metadata, &info);
	}
	check_expectations(_metadata);
}

TEST_F(hv, get_info_abi)
{
	struct {
		struct hvcore_info info;
		__u8 tail[56];
	} big;
	struct hvcore_info info;
	int fd, km;

	ASSERT_EQ(0, hv_load());
	fd = open("/dev/hvcore", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	ASSERT_EQ(0, get_info(fd, &info));
	EXPECT_EQ(sizeof(info), info.size);
	EXPECT_EQ(HVCORE_API_VERSION, info.api_version);
	EXPECT_EQ(read_long(SYSFS "/lps_enabled"), info.nr_lps);

	/* Sizes below the first version, or absurd, are refused. */
	for (unsigned int s = 0; s < 4; s++) {
		static const __u32 bad[] = { 0, 8, HVCORE_INFO_SIZE_VER0 - 1, 4097 };

		memset(&info, 0, sizeof(info));
		info.size = bad[s];
		EXPECT_EQ(-EINVAL, get_info(fd, &info)) TH_LOG("size %u", bad[s]);
	}

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.flags = 1;
	EXPECT_EQ(-EINVAL, get_info(fd, &info));

	km = kmsg_mark();
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.reserved[3] = 1;
	EXPECT_EQ(-EINVAL, get_info(fd, &info));
	EXPECT_TRUE(kmsg_has(km, "reserved fields must be zero"));

	/* A newer caller: zero tail accepted, only known bytes written. */
	memset(&big, 0, sizeof(big));
	big.info.size = sizeof(big);
	ASSERT_EQ(0, get_info(fd, &big.info));
	EXPECT_EQ(sizeof(big.info), big.info.size);
	big.tail[10] = 1;
	big.info.size = sizeof(big);
	EXPECT_EQ(-E2BIG, get_info(fd, &big.info));

	EXPECT_EQ(-EFAULT, get_info(fd, NULL));
	EXPECT_EQ(-1, ioctl(fd, _IO(HVCORE_IOCTL_TYPE, 0x7f), 0));
	EXPECT_EQ(ENOTTY, errno);
	close(fd);
}

TEST_F(hv, lp_hotplug)
{
	const char *online = "/sys/devices/system/cpu/cpu1/online";
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 2 || access(online, W_OK))
		SKIP(return, "needs a second CPU that can go offline");

	ASSERT_EQ(0, hv_load());
	EXPECT_EQ(1, read_long(SYSFS "/lp/lp1/enabled"));
	ASSERT_EQ(0, write_str(online, "0"));
	EXPECT_EQ(0, read_long(SYSFS "/lp/lp1/enabled"));
	EXPECT_EQ(n - 1, read_long(SYSFS "/lps_enabled"));
	ASSERT_EQ(0, write_str(online, "1"));
	EXPECT_EQ(1, read_long(SYSFS "/lp/lp1/enabled"));
	EXPECT_EQ(n, read_long(SYSFS "/lps_enabled"));

	/* Loaded while a CPU is offline: it is taken when it comes online. */
	ASSERT_EQ(0, write_str(online, "0"));
	ASSERT_EQ(0, mod_unload("hvcore"));
	ASSERT_EQ(0, hv_load());
	EXPECT_EQ(0, read_long(SYSFS "/lp/lp1/enabled"));
	EXPECT_EQ(n - 1, read_long(SYSFS "/lps_enabled"));
	ASSERT_EQ(0, write_str(online, "1"));
	EXPECT_EQ(1, read_long(SYSFS "/lp/lp1/enabled"));
	EXPECT_EQ(n, read_long(SYSFS "/lps_enabled"));
}

/* lp/lpN/node against the kernel's own cpuN/nodeM links. */
TEST_F(hv, lp_nodes)
{
	long ncpu = sysconf(_SC_NPROCESSORS_CONF), cpu;
	char path[256];

	ASSERT_EQ(0, hv_load());
	for (cpu = 0; cpu < ncpu; cpu++) {
		long node;

		snprintf(path, sizeof(path), SYSFS "/lp/lp%ld/node", cpu);
		node = read_long(path);
		ASSERT_LE(0, node) TH_LOG("%s", path);
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%ld/node%ld", cpu, node);
		EXPECT_EQ(0, access(path, F_OK)) TH_LOG("CPU %ld is not on node %ld", cpu, node);
	}
}

/* Loading kvm.ko under Bochs takes longer than the harness's default 30 s. */
TEST_F_TIMEOUT(hv, refuse_when_kvm_holds, 300)
{
	int kvm, vm, km;

	/* kvm is told to take SVM/VMX only while a VM exists (6.12+). */
	ASSERT_EQ(0, load_order(kvm_vendor_module(), "enable_virt_at_load=0"));
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, kvm);
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	ASSERT_LE(0, vm);

	km = kmsg_mark();
	EXPECT_EQ(-EBUSY, hv_load());
	EXPECT_TRUE(kmsg_has(km, "already in use"));
	EXPECT_NE(0, access(SYSFS, F_OK));
	EXPECT_NE(0, access("/dev/hvcore", F_OK));

	/*
	 * kvm lets go with its last VM; then hvcore loads and kvm is refused:
	 * 6.1 says EBUSY, 6.12 turns the vendor's EBUSY into EIO.
	 */
	close(vm);
	ASSERT_EQ(0, hv_load());
	km = kmsg_mark();
	EXPECT_EQ(-1, ioctl(kvm, KVM_CREATE_VM, 0));
	EXPECT_TRUE(errno == EBUSY || errno == EIO) TH_LOG("errno %d", errno);
	EXPECT_TRUE(kmsg_has(km, "enabling virtualization on CPU"));
	close(kvm);
	ASSERT_EQ(0, mod_unload("hvcore"));
}

/* Only meaningful on a CPU without SVM and VMX (the "novirt" suite). */
TEST_F(hv, refuse_without_virt)
{
	int km;

	if (cpu_has_svm() || cpu_has_vmx())
		SKIP(return, "this CPU has SVM or VMX");
	km = kmsg_mark();
	EXPECT_EQ(-ENODEV, hv_load());
	EXPECT_TRUE(kmsg_has(km, "neither AMD SVM nor Intel VMX"));
	EXPECT_FALSE(mod_loaded("hvcore"));
}

TEST_HARNESS_MAIN
