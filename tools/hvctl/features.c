// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl features: what HVCORE_GET_INFO reports about the host.
 *
 * Feature names are those of /sys/kernel/hvcore/features/, so that the
 * table, the JSON keys and sysfs can be compared word for word.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/hvcore.h>

#include "hvctl.h"

struct feature_name {
	__u64 bit;
	const char *name;
};

static const struct feature_name svm_features[] = {
	{ HVCORE_SVM_NPT, "npt" },
	{ HVCORE_SVM_NRIPS, "nrips" },
	{ HVCORE_SVM_DECODE_ASSISTS, "decode_assists" },
	{ HVCORE_SVM_VMCB_CLEAN, "vmcb_clean" },
	{ HVCORE_SVM_FLUSH_BY_ASID, "flush_by_asid" },
	{ HVCORE_SVM_AVIC, "avic" },
	{ 0, NULL },
};

static const struct feature_name vmx_features[] = {
	{ HVCORE_VMX_EPT, "ept" },
	{ HVCORE_VMX_VPID, "vpid" },
	{ HVCORE_VMX_UNRESTRICTED_GUEST, "unrestricted_guest" },
	{ HVCORE_VMX_EPT_AD, "ept_ad" },
	{ HVCORE_VMX_EPT_2M, "ept_2m" },
	{ HVCORE_VMX_EPT_1G, "ept_1g" },
	{ HVCORE_VMX_TRUE_CTLS, "true_ctls" },
	{ 0, NULL },
};

/* Width of the first column: the longest feature name and a gap. */
#define NAME_WIDTH	20

static int get_info(struct hvcore_info *info)
{
	const char *hint = "";
	int fd, err;

	fd = hvctl_open_dev();
	if (fd < 0)
		return -1;

	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	if (ioctl(fd, HVCORE_GET_INFO, info) == 0) {
		close(fd);
		return 0;
	}

	err = errno;
	close(fd);
	if (err == ENOTTY)
		hint = " (is /dev/hvcore really the hvcore device?)";
	else if (err == EINVAL || err == E2BIG)
		hint = " (hvctl and the module disagree on the ABI; see dmesg)";
	hvctl_err("ioctl HVCORE_GET_INFO on %s failed: %s%s",
		  HVCORE_DEV_PATH, strerror(err), hint);
	return -1;
}

static void print_table(const struct hvcore_info *info,
			const struct feature_name *names, const char *vendor)
{
	const struct feature_name *f;

	printf("Vendor:       %s\n", vendor);
	printf("API version:  %u\n", info->api_version);
	printf("LPs held:     %u\n", info->nr_lps);
	printf("\n%-*s%s\n", NAME_WIDTH, "FEATURE", "VALUE");
	for (f = names; f->name; f++)
		printf("%-*s%s\n", NAME_WIDTH, f->name,
		       info->features & f->bit ? "yes" : "no");
	if (info->vendor == HVCORE_VENDOR_SVM)
		printf("%-*s%u\n", NAME_WIDTH, "nr_asids", info->nr_asids);
	else
		printf("%-*s0x%x\n", NAME_WIDTH, "vmcs_revision", info->vmcs_revision);
}

static void print_json(const struct hvcore_info *info,
		       const struct feature_name *names, const char *vendor)
{
	const struct feature_name *f;

	printf("{\"vendor\":\"%s\",\"api_version\":%u,\"lps_enabled\":%u,\"features\":{",
	       vendor, info->api_version, info->nr_lps);
	for (f = names; f->name; f++)
		printf("%s\"%s\":%s", f == names ? "" : ",", f->name,
		       info->features & f->bit ? "true" : "false");
	printf("}");
	if (info->vendor == HVCORE_VENDOR_SVM)
		printf(",\"nr_asids\":%u", info->nr_asids);
	else
		printf(",\"vmcs_revision\":%u", info->vmcs_revision);
	printf("}\n");
}

/**
 * hvctl_features() - the "features" command
 * @args: the command line; --json prints one JSON object instead of a table
 *
 * Return: exit status.
 */
int hvctl_features(const struct hvctl_args *args)
{
	bool json = args->json;
	const struct feature_name *names;
	struct hvcore_info info;
	const char *vendor;

	if (get_info(&info))
		return HVCTL_EXIT_ERROR;

	switch (info.vendor) {
	case HVCORE_VENDOR_SVM:
		names = svm_features;
		vendor = json ? "svm" : "SVM";
		break;
	case HVCORE_VENDOR_VMX:
		names = vmx_features;
		vendor = json ? "vmx" : "VMX";
		break;
	default:
		hvctl_err("hvcore reports vendor %u, which this hvctl (API %d) does not know; the module has API %u: use an hvctl built for it",
			  info.vendor, HVCORE_API_VERSION, info.api_version);
		return HVCTL_EXIT_ERROR;
	}

	if (json)
		print_json(&info, names, vendor);
	else
		print_table(&info, names, vendor);
	return HVCTL_EXIT_OK;
}
