// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl partition commands: list, show, create, delete, start, pause,
 * resume, stop and add-vp, and the helpers "run" shares with them.
 *
 * Every command names its partition by name or by id. A word of digits is
 * tried as an id first and then as a name, so a partition whose name is
 * all digits (hvctl does not create those, other programs may) can still
 * be reached when no id matches.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/hvcore.h>

#include "hvctl.h"

static const char *const state_names[] = {
	[HVCORE_STATE_OFF] = "off",
	[HVCORE_STATE_RUNNING] = "running",
	[HVCORE_STATE_PAUSED] = "paused",
	[HVCORE_STATE_CRASHED] = "crashed",
};

static const char *const vp_state_names[] = {
	[HVCORE_VP_OFF] = "off",
	[HVCORE_VP_READY] = "ready",
	[HVCORE_VP_RUNNING] = "running",
	[HVCORE_VP_HALTED] = "halted",
	[HVCORE_VP_WAITING] = "waiting",
	[HVCORE_VP_PAUSED] = "paused",
};

/**
 * struct crash_name - how a HVCORE_CRASH_* reason is shown
 * @text:	for people
 * @key:	for JSON
 * @info:	what crash_info holds, NULL when nothing
 */
struct crash_name {
	const char *text;
	const char *key;
	const char *info;
};

static const struct crash_name crash_names[] = {
	[HVCORE_CRASH_NONE] = { "none", "none", NULL },
	[HVCORE_CRASH_TRIPLE_FAULT] = { "triple fault", "triple_fault", NULL },
	[HVCORE_CRASH_INVALID_STATE] = { "invalid guest state", "invalid_state",
					 "vendor code" },
	[HVCORE_CRASH_UNHANDLED] = { "unhandled intercept", "unhandled", "exit code" },
	[HVCORE_CRASH_NO_WORKER] = { "no worker to serve an intercept", "no_worker",
				     "message type" },
	[HVCORE_CRASH_WORKER_GONE] = { "the worker went away with messages pending",
				       "worker_gone", NULL },
};

static const char *const exit_kind_names[HVCORE_NR_EXIT_KINDS] = {
	[HVCORE_EXIT_CPUID] = "cpuid",
	[HVCORE_EXIT_MSR] = "msr",
	[HVCORE_EXIT_IO] = "io",
	[HVCORE_EXIT_MMIO] = "mmio",
	[HVCORE_EXIT_NPF] = "npf",
	[HVCORE_EXIT_HLT] = "hlt",
	[HVCORE_EXIT_HYPERCALL] = "hypercall",
	[HVCORE_EXIT_INTR_WINDOW] = "intr_window",
	[HVCORE_EXIT_EXTINT] = "extint",
	[HVCORE_EXIT_NMI] = "nmi",
	[HVCORE_EXIT_EXCEPTION] = "exception",
	[HVCORE_EXIT_OTHER] = "other",
};

/**
 * hvctl_state_name() - a partition state as a word
 * @state: HVCORE_STATE_*
 *
 * Return: "off", "running", "paused", "crashed" or "unknown".
 */
const char *hvctl_state_name(unsigned int state)
{
	if (state < ARRAY_SIZE(state_names) && state_names[state])
		return state_names[state];
	return "unknown";
}

/**
 * hvctl_vp_state_name() - a VP state as a word
 * @state: HVCORE_VP_*
 *
 * Return: "off", "ready", "running", "halted", "waiting", "paused" or
 * "unknown".
 */
const char *hvctl_vp_state_name(unsigned int state)
{
	if (state < ARRAY_SIZE(vp_state_names) && vp_state_names[state])
		return vp_state_names[state];
	return "unknown";
}

static const struct crash_name *crash_name(unsigned int reason)
{
	static const struct crash_name unknown = { "unknown reason", "unknown", "info" };

	if (reason < ARRAY_SIZE(crash_names) && crash_names[reason].text)
		return &crash_names[reason];
	return &unknown;
}

/**
 * hvctl_crash_name() - why a partition crashed, in words
 * @reason: HVCORE_CRASH_*
 *
 * Return: e.g. "triple fault".
 */
const char *hvctl_crash_name(unsigned int reason)
{
	return crash_name(reason)->text;
}

/* "64M": the largest of G, M, K that divides @bytes. */
static void format_size(unsigned long long bytes, char *buf, size_t size)
{
	static const char units[] = "GMK";
	int i;

	for (i = 0; i < 3; i++) {
		unsigned long long unit = 1ULL << (10 * (3 - i));

		if (bytes && bytes % unit == 0) {
			snprintf(buf, size, "%llu%c", bytes / unit, units[i]);
			return;
		}
	}
	snprintf(buf, size, "%llu", bytes);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static int select_partition(int dev, unsigned long cmd, const char *target,
			    bool by_id)
{
	struct hvcore_select sel;

	memset(&sel, 0, sizeof(sel));
	sel.size = sizeof(sel);
	if (by_id)
		sel.id = strtoul(target, NULL, 10);
	else
		snprintf(sel.name, sizeof(sel.name), "%s", target);
	return ioctl(dev, cmd, &sel);
}

/*
 * OPEN or DELETE by id when @target is a number that fits, else (or when
 * no id matches) by name. Sets errno like the ioctl.
 */
static int select_target(int dev, unsigned long cmd, const char *target)
{
	int ret;

	if (all_digits(target) && strlen(target) <= 10 &&
	    strtoull(target, NULL, 10) <= ~0U && strtoull(target, NULL, 10) > 0) {
		ret = select_partition(dev, cmd, target, true);
		if (ret >= 0 || errno != ENOENT)
			return ret;
	}
	if (strlen(target) >= HVCORE_NAME_MAX) {
		errno = ENOENT;
		return -1;
	}
	return select_partition(dev, cmd, target, false);
}

static void no_such_partition(const char *target)
{
	hvctl_err("no partition %s '%s' (hvctl list shows them)",
		  all_digits(target) ? "with id or name" : "named", target);
}

/**
 * hvctl_get_partition_info() - HVCORE_PARTITION_INFO, explaining a failure
 * @fd: partition fd
 * @target: the partition as the user named it, for messages
 * @info: filled in
 *
 * Return: 0, or -1 after printing why not.
 */
int hvctl_get_partition_info(int fd, const char *target,
			     struct hvcore_partition_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	if (ioctl(fd, HVCORE_PARTITION_INFO, info) == 0)
		return 0;
	if (errno == ENODEV)
		hvctl_err("partition %s was deleted meanwhile", target);
	else
		hvctl_err("ioctl HVCORE_PARTITION_INFO on partition %s failed: %s",
			  target, strerror(errno));
	return -1;
}

/**
 * hvctl_open_partition() - open a partition by name or id
 * @target: its name, or its id in decimal
 * @info: filled in with its HVCORE_PARTITION_INFO
 *
 * Return: the partition fd, or -1 after printing why not.
 */
int hvctl_open_partition(const char *target, struct hvcore_partition_info *info)
{
	int dev, fd;

	dev = hvctl_open_dev();
	if (dev < 0)
		return -1;
	fd = select_target(dev, HVCORE_OPEN_PARTITION, target);
	if (fd < 0) {
		if (errno == ENOENT)
			no_such_partition(target);
		else
			hvctl_err("ioctl HVCORE_OPEN_PARTITION for '%s' failed: %s",
				  target, strerror(errno));
		close(dev);
		return -1;
	}
	close(dev);
	if (hvctl_get_partition_info(fd, target, info)) {
		close(fd);
		return -1;
	}
	return fd;
}

/**
 * hvctl_print_crash() - "hvctl: partition X crashed: <reason> ..." on stderr
 * @info: the partition, in state crashed
 */
void hvctl_print_crash(const struct hvcore_partition_info *info)
{
	const struct crash_name *c = crash_name(info->crash_reason);
	char detail[64] = "";

	if (c->info)
		snprintf(detail, sizeof(detail), ", %s 0x%llx", c->info,
			 (unsigned long long)info->crash_info);
	hvctl_err("partition %s crashed: %s (VP %u at RIP 0x%llx%s); 'hvctl stop %s' takes it back to off",
		  info->name, c->text, info->crash_vp,
		  (unsigned long long)info->crash_rip, detail, info->name);
}

/**
 * hvctl_list_ids() - HVCORE_LIST_PARTITIONS, however many there are
 * @dev: /dev/hvcore fd
 * @count: set to the number of ids
 *
 * Return: the ids, ascending, to be freed; NULL after printing why not.
 */
__u32 *hvctl_list_ids(int dev, __u32 *count)
{
	struct hvcore_list l;
	__u32 *ids = NULL, room = 16, *n;

	for (;;) {
		n = realloc(ids, room * sizeof(*ids));
		if (!n) {
			hvctl_err("out of memory");
			free(ids);
			return NULL;
		}
		ids = n;
		memset(&l, 0, sizeof(l));
		l.size = sizeof(l);
		l.count = room;
		l.ids = (__u64)(unsigned long)ids;
		if (ioctl(dev, HVCORE_LIST_PARTITIONS, &l)) {
			hvctl_err("ioctl HVCORE_LIST_PARTITIONS on %s failed: %s",
				  HVCORE_DEV_PATH, strerror(errno));
			free(ids);
			return NULL;
		}
		if (l.count <= room)
			break;
		room = l.count + 16;	/* more were created meanwhile */
	}
	*count = l.count;
	return ids;
}

/**
 * hvctl_open_id() - open partition @id of a list taken earlier
 * @dev: /dev/hvcore fd
 * @id: a partition id
 *
 * Return: the partition fd; -ENOENT, silently, when it was deleted since
 * the list was taken; -1 after printing why not.
 */
int hvctl_open_id(int dev, __u32 id)
{
	struct hvcore_select sel;
	int fd;

	memset(&sel, 0, sizeof(sel));
	sel.size = sizeof(sel);
	sel.id = id;
	fd = ioctl(dev, HVCORE_OPEN_PARTITION, &sel);
	if (fd < 0 && errno == ENOENT)
		return -ENOENT;
	if (fd < 0)
		hvctl_err("ioctl HVCORE_OPEN_PARTITION for id %u failed: %s", id, strerror(errno));
	return fd;
}

/**
 * hvctl_list() - the "list" command
 * @args: the command line (--json)
 *
 * Return: exit status.
 */
int hvctl_list(const struct hvctl_args *args)
{
	struct hvcore_partition_info info;
	__u32 *ids, count, i;
	int dev, fd, shown = 0;
	char mem[32];

	dev = hvctl_open_dev();
	if (dev < 0)
		return HVCTL_EXIT_ERROR;
	ids = hvctl_list_ids(dev, &count);
	if (!ids) {
		close(dev);
		return HVCTL_EXIT_ERROR;
	}

	if (args->json)
		printf("{\"partitions\":[");
	else
		printf("%-6s%-32s%-9s%-9s%s\n", "ID", "NAME", "STATE", "MEMORY", "VPS");
	for (i = 0; i < count; i++) {
		fd = hvctl_open_id(dev, ids[i]);
		if (fd == -ENOENT)
			continue;
		if (fd < 0)
			goto fail;
		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		if (ioctl(fd, HVCORE_PARTITION_INFO, &info)) {
			close(fd);
			if (errno == ENODEV)
				continue;
			hvctl_err("ioctl HVCORE_PARTITION_INFO on partition %u failed: %s",
				  ids[i], strerror(errno));
			goto fail;
		}
		close(fd);
		if (args->json) {
			printf("%s{\"id\":%u,\"name\":\"%s\",\"state\":\"%s\",",
			       shown ? "," : "", info.id, info.name,
			       hvctl_state_name(info.state));
			printf("\"memory_bytes\":%llu,\"vps\":%u}",
			       (unsigned long long)info.memory_bytes, info.vp_count);
		} else {
			format_size(info.memory_bytes, mem, sizeof(mem));
			printf("%-6u%-32s%-9s%-9s%u\n", info.id, info.name,
			       hvctl_state_name(info.state), mem, info.vp_count);
		}
		shown++;
	}
	if (args->json)
		printf("]}\n");
	free(ids);
	close(dev);
	return HVCTL_EXIT_OK;
fail:
	if (args->json)
		printf("]}\n");
	free(ids);
	close(dev);
	return HVCTL_EXIT_ERROR;
}

/*
 * HVCORE_VP_INFO for each VP: 0, 1 when the module does not have it
 * (older than this hvctl; a note has been printed), -1 on an error.
 */
static int get_vp_info(int fd, const struct hvcore_partition_info *info,
		       struct hvcore_vp_info *vps)
{
	__u32 i;

	for (i = 0; i < info->vp_count; i++) {
		memset(&vps[i], 0, sizeof(vps[i]));
		vps[i].size = sizeof(vps[i]);
		vps[i].vp = i;
		if (ioctl(fd, HVCORE_VP_INFO, &vps[i]) == 0)
			continue;
		if (errno == ENOTTY) {
			hvctl_err("warning: this hvcore module does not report VPs (HVCORE_VP_INFO: %s); load a newer one",
				  strerror(errno));
			return 1;
		}
		hvctl_err("ioctl HVCORE_VP_INFO for VP %u of partition %s failed: %s",
			  i, info->name, strerror(errno));
		return -1;
	}
	return 0;
}

static void show_table(const struct hvcore_partition_info *info,
		       const struct hvcore_policy *pol,
		       const struct hvcore_vp_info *vps, __u32 nr_vps)
{
	const struct crash_name *c = crash_name(info->crash_reason);
	char mem[32];
	__u32 i;
	int k;

	format_size(info->memory_bytes, mem, sizeof(mem));
	printf("Name:           %s\n", info->name);
	printf("Id:             %u\n", info->id);
	printf("State:          %s\n", hvctl_state_name(info->state));
	if (info->state == HVCORE_STATE_CRASHED) {
		printf("Crash reason:   %s\n", c->text);
		if (c->info)
			printf("Crash info:     %s 0x%llx\n", c->info,
			       (unsigned long long)info->crash_info);
		printf("Crash VP:       %u\n", info->crash_vp);
		printf("Crash RIP:      0x%llx\n", (unsigned long long)info->crash_rip);
	}
	printf("Exit code:      %u\n", info->exit_code);
	printf("Memory:         %s (%llu pages, %llu of its 2M ranges in 2M chunks)\n", mem,
	       (unsigned long long)info->memory_pages, (unsigned long long)info->pages_2m);
	if (info->numa_node == HVCORE_NODE_ANY)
		printf("NUMA node:      any\n");
	else
		printf("NUMA node:      %d (%llu pages from other nodes)\n", info->numa_node,
		       (unsigned long long)info->pages_off_node);
	printf("VPs:            %u\n", info->vp_count);
	if (pol) {
		printf("CPU weight:     %u\n", pol->weight);
		printf("CPU reserve:    %u%% of an LP per VP\n", pol->reserve);
		printf("CPU cap:        %u%% of an LP per VP\n", pol->cap);
		printf("CPU I/O boost:  %s\n", pol->flags & HVCORE_POLICY_IO_BOOST ? "on" : "off");
	}

	for (i = 0; i < nr_vps; i++) {
		const struct hvcore_vp_info *v = &vps[i];

		printf("\nVP %u\n", v->vp);
		printf("  State:        %s\n", hvctl_vp_state_name(v->state));
		if (v->lp < 0)
			printf("  LP:           - (never ran)\n");
		else
			printf("  LP:           %d\n", v->lp);
		printf("  ASID:         %u\n", v->asid);
		printf("  Run time:     %llu ns, %llu ns in the guest\n",
		       (unsigned long long)v->total_ns, (unsigned long long)v->guest_ns);
		printf("  Dispatches:   %llu (%llu migrations)\n",
		       (unsigned long long)v->dispatches, (unsigned long long)v->migrations);
		printf("  Hypercalls:   %llu\n", (unsigned long long)v->hypercalls);
		printf("  Injected:     %llu\n", (unsigned long long)v->injected);
		printf("  Exits:       ");
		for (k = 0; k < HVCORE_NR_EXIT_KINDS; k++)
			printf(" %s=%llu", exit_kind_names[k], (unsigned long long)v->exits[k]);
		printf("\n");
	}
}

static void show_json(const struct hvcore_partition_info *info,
		      const struct hvcore_policy *pol,
		      const struct hvcore_vp_info *vps, __u32 nr_vps)
{
	const struct crash_name *c = crash_name(info->crash_reason);
	__u32 i;
	int k;

	printf("{\"id\":%u,\"name\":\"%s\",\"state\":\"%s\",",
	       info->id, info->name, hvctl_state_name(info->state));
	printf("\"memory_bytes\":%llu,\"memory_pages\":%llu,\"pages_2m\":%llu,",
	       (unsigned long long)info->memory_bytes, (unsigned long long)info->memory_pages,
	       (unsigned long long)info->pages_2m);
	if (info->numa_node == HVCORE_NODE_ANY)
		printf("\"numa_node\":null,");
	else
		printf("\"numa_node\":%d,", info->numa_node);
	printf("\"pages_off_node\":%llu,\"vp_count\":%u,\"exit_code\":%u,\"crash\":",
	       (unsigned long long)info->pages_off_node, info->vp_count, info->exit_code);
	if (info->state == HVCORE_STATE_CRASHED)
		printf("{\"reason\":\"%s\",\"text\":\"%s\",\"info\":%llu,\"vp\":%u,\"rip\":%llu}",
		       c->key, c->text, (unsigned long long)info->crash_info, info->crash_vp,
		       (unsigned long long)info->crash_rip);
	else
		printf("null");
	if (pol)
		printf(",\"cpu\":{\"weight\":%u,\"reserve\":%u,\"cap\":%u,\"io_boost\":%s}",
		       pol->weight, pol->reserve, pol->cap,
		       pol->flags & HVCORE_POLICY_IO_BOOST ? "true" : "false");
	else
		printf(",\"cpu\":null");
	printf(",\"vps\":[");
	for (i = 0; i < nr_vps; i++) {
		const struct hvcore_vp_info *v = &vps[i];

		printf("%s{\"vp\":%u,\"state\":\"%s\",", i ? "," : "", v->vp,
		       hvctl_vp_state_name(v->state));
		if (v->lp < 0)
			printf("\"lp\":null,");
		else
			printf("\"lp\":%d,", v->lp);
		printf("\"asid\":%u,\"total_ns\":%llu,\"guest_ns\":%llu,", v->asid,
		       (unsigned long long)v->total_ns, (unsigned long long)v->guest_ns);
		printf("\"dispatches\":%llu,\"migrations\":%llu,",
		       (unsigned long long)v->dispatches, (unsigned long long)v->migrations);
		printf("\"hypercalls\":%llu,\"injected\":%llu,\"exits\":{",
		       (unsigned long long)v->hypercalls, (unsigned long long)v->injected);
		for (k = 0; k < HVCORE_NR_EXIT_KINDS; k++)
			printf("%s\"%s\":%llu", k ? "," : "", exit_kind_names[k],
			       (unsigned long long)v->exits[k]);
		printf("}}");
	}
	printf("]}\n");
}

/**
 * hvctl_show() - the "show" command
 * @args: the command line (target, --json)
 *
 * Return: exit status.
 */
int hvctl_show(const struct hvctl_args *args)
{
	struct hvcore_partition_info info;
	struct hvcore_policy pol;
	struct hvcore_vp_info *vps;
	int fd, ret, pol_ret;
	__u32 nr_vps;

	fd = hvctl_open_partition(args->target, &info);
	if (fd < 0)
		return HVCTL_EXIT_ERROR;
	vps = calloc(info.vp_count ?: 1, sizeof(*vps));
	if (!vps) {
		hvctl_err("out of memory");
		close(fd);
		return HVCTL_EXIT_ERROR;
	}
	ret = get_vp_info(fd, &info, vps);
	pol_ret = ret < 0 ? 0 : hvctl_get_policy(fd, info.name, &pol);
	close(fd);
	if (ret < 0 || pol_ret < 0) {
		free(vps);
		return HVCTL_EXIT_ERROR;
	}
	nr_vps = ret ? 0 : info.vp_count;
	if (args->json)
		show_json(&info, pol_ret ? NULL : &pol, vps, nr_vps);
	else
		show_table(&info, pol_ret ? NULL : &pol, vps, nr_vps);
	free(vps);
	return HVCTL_EXIT_OK;
}

static int delete_id(int dev, __u32 id)
{
	struct hvcore_select sel;

	memset(&sel, 0, sizeof(sel));
	sel.size = sizeof(sel);
	sel.id = id;
	return ioctl(dev, HVCORE_DELETE_PARTITION, &sel);
}

/**
 * hvctl_create() - the "create" command
 * @args: the command line (target = the new name, --memory, --vps, --node)
 *
 * Creates the partition and gives it its memory and VPs; when that fails,
 * the partition is deleted again.
 *
 * Return: exit status.
 */
int hvctl_create(const struct hvctl_args *args)
{
	struct hvcore_create cr;
	struct hvcore_select sel;
	struct hvcore_config cfg;
	int dev, fd, err;
	char mem[32];

	dev = hvctl_open_dev();
	if (dev < 0)
		return HVCTL_EXIT_ERROR;
	memset(&cr, 0, sizeof(cr));
	cr.size = sizeof(cr);
	snprintf(cr.name, sizeof(cr.name), "%s", args->target);
	if (ioctl(dev, HVCORE_CREATE_PARTITION, &cr)) {
		if (errno == EEXIST)
			hvctl_err("a partition named '%s' exists already; choose another name or 'hvctl delete %s' first",
				  args->target, args->target);
		else
			hvctl_err("ioctl HVCORE_CREATE_PARTITION for '%s' failed: %s",
				  args->target, strerror(errno));
		close(dev);
		return HVCTL_EXIT_ERROR;
	}

	memset(&sel, 0, sizeof(sel));
	sel.size = sizeof(sel);
	sel.id = cr.id;
	fd = ioctl(dev, HVCORE_OPEN_PARTITION, &sel);
	if (fd < 0) {
		hvctl_err("ioctl HVCORE_OPEN_PARTITION for the new partition '%s' failed: %s",
			  args->target, strerror(errno));
		goto undo;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.size = sizeof(cfg);
	cfg.memory_bytes = args->memory;
	cfg.numa_node = args->node;
	cfg.vp_count = args->vps;
	if (ioctl(fd, HVCORE_CONFIGURE, &cfg)) {
		err = errno;
		format_size(args->memory, mem, sizeof(mem));
		if (err == ENOMEM)
			hvctl_err("the host cannot give partition '%s' %s of memory: %s; choose a smaller --memory",
				  args->target, mem, strerror(err));
		else if (err == EINVAL && args->node != HVCORE_NODE_ANY)
			hvctl_err("cannot configure partition '%s': %s (is NUMA node %d online? 'hvctl topology' lists the nodes)",
				  args->target, strerror(err), args->node);
		else
			hvctl_err("ioctl HVCORE_CONFIGURE of partition '%s' failed: %s",
				  args->target, strerror(err));
		close(fd);
		goto undo;
	}
	close(fd);
	close(dev);
	return HVCTL_EXIT_OK;
undo:
	if (delete_id(dev, cr.id) && errno != ENOENT)
		hvctl_err("could not delete the half-created partition '%s' again: %s; run 'hvctl delete %s'",
			  args->target, strerror(errno), args->target);
	close(dev);
	return HVCTL_EXIT_ERROR;
}

/**
 * hvctl_delete() - the "delete" command
 * @args: the command line (target, --force)
 *
 * A running or paused partition is refused unless --force is given: the
 * kernel then turns it off as part of the deletion, and a worker serving
 * it ends.
 *
 * Return: exit status.
 */
int hvctl_delete(const struct hvctl_args *args)
{
	struct hvcore_partition_info info;
	int dev, fd;

	fd = hvctl_open_partition(args->target, &info);
	if (fd < 0)
		return HVCTL_EXIT_ERROR;
	close(fd);
	if ((info.state == HVCORE_STATE_RUNNING || info.state == HVCORE_STATE_PAUSED) &&
	    !(args->given & HVCTL_OPT_FORCE)) {
		hvctl_err("partition %s is %s; stop it first (hvctl stop %s --force), or turn it off and delete it at once: hvctl delete %s --force",
			  info.name, hvctl_state_name(info.state), info.name, info.name);
		return HVCTL_EXIT_ERROR;
	}
	dev = hvctl_open_dev();
	if (dev < 0)
		return HVCTL_EXIT_ERROR;
	if (delete_id(dev, info.id)) {
		if (errno == ENOENT)
			hvctl_err("partition %s was deleted meanwhile", info.name);
		else
			hvctl_err("ioctl HVCORE_DELETE_PARTITION of partition %s failed: %s",
				  info.name, strerror(errno));
		close(dev);
		return HVCTL_EXIT_ERROR;
	}
	close(dev);
	return HVCTL_EXIT_OK;
}

static const char *const control_names[] = {
	[HVCORE_CONTROL_START] = "start",
	[HVCORE_CONTROL_PAUSE] = "pause",
	[HVCORE_CONTROL_RESUME] = "resume",
	[HVCORE_CONTROL_STOP] = "stop",
};

/* Why @op cannot be done in the state @info shows; the exit status. */
static int state_conflict(const struct hvcore_partition_info *info, __u32 op)
{
	const char *n = info->name;

	switch (info->state) {
	case HVCORE_STATE_OFF:
		if (op == HVCORE_CONTROL_STOP)
			hvctl_err("partition %s is already off", n);
		else
			hvctl_err("partition %s is off; start it with: hvctl run %s --start --image FILE",
				  n, n);
		break;
	case HVCORE_STATE_RUNNING:
		hvctl_err("partition %s is already running%s", n,
			  op == HVCORE_CONTROL_START ? "; stop it before starting it again" : "");
		break;
	case HVCORE_STATE_PAUSED:
		if (op == HVCORE_CONTROL_PAUSE)
			hvctl_err("partition %s is already paused", n);
		else
			hvctl_err("partition %s is paused; resume it, or stop it before starting it again",
				  n);
		break;
	case HVCORE_STATE_CRASHED:
		hvctl_err("partition %s crashed (%s); 'hvctl stop %s' takes it back to off",
			  n, hvctl_crash_name(info->crash_reason), n);
		break;
	default:
		hvctl_err("partition %s is in state %u, which this hvctl does not know",
			  n, info->state);
		break;
	}
	return HVCTL_EXIT_ERROR;
}

/* HVCORE_CONTROL; on failure says why, using a fresh look at the state. */
static int control(int fd, const struct hvcore_partition_info *info, __u32 op, __u32 code)
{
	struct hvcore_partition_info now;
	struct hvcore_control c;
	int err;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.op = op;
	c.code = code;
	if (ioctl(fd, HVCORE_CONTROL, &c) == 0)
		return HVCTL_EXIT_OK;
	err = errno;
	if (err == EBUSY || err == EALREADY) {
		if (hvctl_get_partition_info(fd, info->name, &now))
			return HVCTL_EXIT_ERROR;
		if (err == EALREADY)
			now.state = HVCORE_STATE_OFF;
		return state_conflict(&now, op);
	}
	if (err == ENODEV)
		hvctl_err("partition %s was deleted meanwhile", info->name);
	else if (err == ENOSPC)
		hvctl_err("cannot %s partition %s: %s: the reservations of its VPs do not fit beside those of the running and paused partitions; lower it (hvctl set %s cpu.reserve=P) or stop another partition (dmesg has the figures)",
			  control_names[op], info->name, strerror(err), info->name);
	else if (err == EOPNOTSUPP)
		hvctl_err("cannot %s partition %s: %s (hvcore does not run guests on this host's virtualization extension yet; dmesg says which)",
			  control_names[op], info->name, strerror(err));
	else if (err == ENOTTY)
		hvctl_err("cannot %s partition %s: this hvcore module does not run partitions yet (HVCORE_CONTROL: %s); load a newer one",
			  control_names[op], info->name, strerror(err));
	else
		hvctl_err("cannot %s partition %s: ioctl HVCORE_CONTROL failed: %s",
			  control_names[op], info->name, strerror(err));
	return HVCTL_EXIT_ERROR;
}

static int control_cmd(const struct hvctl_args *args, __u32 op, __u32 code)
{
	struct hvcore_partition_info info;
	int fd, ret;

	fd = hvctl_open_partition(args->target, &info);
	if (fd < 0)
		return HVCTL_EXIT_ERROR;
	ret = control(fd, &info, op, code);
	close(fd);
	return ret;
}

/**
 * hvctl_pause() - the "pause" command
 * @args: the command line (target)
 *
 * Return: exit status.
 */
int hvctl_pause(const struct hvctl_args *args)
{
	return control_cmd(args, HVCORE_CONTROL_PAUSE, 0);
}

/**
 * hvctl_resume() - the "resume" command
 * @args: the command line (target)
 *
 * Return: exit status.
 */
int hvctl_resume(const struct hvctl_args *args)
{
	return control_cmd(args, HVCORE_CONTROL_RESUME, 0);
}

/**
 * hvctl_stop() - the "stop" command
 * @args: the command line (target, --code, --force)
 *
 * hvcore has no protocol to ask a guest to shut down, so stopping a
 * running or paused partition is always a turn-off that loses the guest's
 * state. Like "virsh destroy" or "Stop-VM -TurnOff" that takes --force;
 * a crashed partition, which has nothing left to lose, is taken back to
 * off without it.
 *
 * Return: exit status.
 */
int hvctl_stop(const struct hvctl_args *args)
{
	struct hvcore_partition_info info;
	int fd, ret;

	fd = hvctl_open_partition(args->target, &info);
	if (fd < 0)
		return HVCTL_EXIT_ERROR;
	if ((info.state == HVCORE_STATE_RUNNING || info.state == HVCORE_STATE_PAUSED) &&
	    !(args->given & HVCTL_OPT_FORCE)) {
		hvctl_err("partition %s is %s; hvcore cannot ask its guest to shut down, so stopping turns it off at once and the guest's state is lost; to do that: hvctl stop %s --force",
			  info.name, hvctl_state_name(info.state), info.name);
		close(fd);
		return HVCTL_EXIT_ERROR;
	}
	ret = control(fd, &info, HVCORE_CONTROL_STOP, args->code);
	close(fd);
	return ret;
}

/* HVCORE_ADD_VP failed with @err: say why and what to do. */
static void add_vp_error(int fd, const struct hvcore_partition_info *info, int err)
{
	struct hvcore_partition_info now;
	struct hvcore_policy pol;
	const char *n = info->name;

	switch (err) {
	case ENOENT:
		hvctl_err("partition %s: its guest has not said where new VPs start (hypercall HVCORE_HVCALL_SET_VP_ENTRY); give the address: hvctl add-vp %s --entry ADDR",
			  n, n);
		break;
	case EBUSY:
		if (!hvctl_get_partition_info(fd, n, &now))
			state_conflict(&now, 0);
		break;
	case EINVAL:
		if (info->vp_count >= HVCORE_MAX_VPS)
			hvctl_err("partition %s has %u VPs, the most a partition can have",
				  n, info->vp_count);
		else
			hvctl_err("hvcore refused to add a VP to partition %s: %s (dmesg says why)",
				  n, strerror(err));
		break;
	case ENOSPC:
		if (hvctl_get_policy(fd, n, &pol))
			pol.reserve = 0;
		hvctl_err("cannot add a VP to partition %s: %s: the new VP's reservation (cpu.reserve=%u) does not fit beside those of the running and paused partitions; lower it (hvctl set %s cpu.reserve=P) or stop another partition",
			  n, strerror(err), pol.reserve, n);
		break;
	case ENODEV:
		hvctl_err("partition %s was deleted meanwhile", n);
		break;
	case ENOTTY:
		hvctl_err("this hvcore module cannot add VPs (HVCORE_ADD_VP: %s); load a newer one",
			  strerror(err));
		break;
	default:
		hvctl_err("cannot add a VP to partition %s: ioctl HVCORE_ADD_VP failed: %s",
			  n, strerror(err));
		break;
	}
}

/**
 * hvctl_add_vp() - the "add-vp" command
 * @args: the command line (target, --entry, --json)
 *
 * The new VP starts at --entry, or without it where the guest said new
 * VPs start (HVCORE_HVCALL_SET_VP_ENTRY). Prints its index.
 *
 * Return: exit status.
 */
int hvctl_add_vp(const struct hvctl_args *args)
{
	struct hvcore_partition_info info;
	struct hvcore_add_vp a;
	int fd, err;

	fd = hvctl_open_partition(args->target, &info);
	if (fd < 0)
		return HVCTL_EXIT_ERROR;
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	if (args->given & HVCTL_OPT_ENTRY) {
		a.flags = HVCORE_ADD_VP_ENTRY;
		a.rip = args->entry;
	}
	if (ioctl(fd, HVCORE_ADD_VP, &a)) {
		err = errno;
		add_vp_error(fd, &info, err);
		close(fd);
		return HVCTL_EXIT_ERROR;
	}
	close(fd);
	if (args->json)
		printf("{\"name\":\"%s\",\"vp\":%u}\n", info.name, a.vp_index);
	else
		printf("added VP %u to partition %s\n", a.vp_index, info.name);
	return HVCTL_EXIT_OK;
}

/* The whole of @path; NULL after printing why not. */
static void *read_image(const char *path, size_t *len)
{
	struct stat st;
	size_t done = 0;
	ssize_t n;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		hvctl_err("cannot open image %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st)) {
		hvctl_err("cannot stat image %s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0) {
		hvctl_err("image %s is %s; give a file holding the guest's code",
			  path, S_ISREG(st.st_mode) ? "empty" : "not a regular file");
		goto fail;
	}
	if ((unsigned long long)st.st_size > HVCORE_MEMORY_MAX) {
		hvctl_err("image %s is larger than any partition's memory", path);
		goto fail;
	}
	buf = malloc(st.st_size);
	if (!buf) {
		hvctl_err("out of memory for image %s", path);
		goto fail;
	}
	while (done < (size_t)st.st_size) {
		n = read(fd, buf + done, st.st_size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			hvctl_err("cannot read image %s: %s", path,
				  n ? strerror(errno) : "it became shorter");
			free(buf);
			goto fail;
		}
		done += n;
	}
	close(fd);
	*len = done;
	return buf;
fail:
	close(fd);
	return NULL;
}

static void real_mode_segment(struct hvcore_segment *s, __u16 selector, __u8 type)
{
	memset(s, 0, sizeof(*s));
	s->selector = selector;
	s->base = (__u64)selector << 4;
	s->limit = 0xffff;
	s->type = type;
	s->s = 1;
	s->present = 1;
}

/*
 * VP @vp enters real mode at @entry: CS:IP = (entry >> 4 & 0xf000):(entry
 * & 0xffff), the data segments and SS equal to CS, SP = IP (the stack
 * grows down below the image), CR0 = ET, paging and long mode off, XCR0
 * = x87. The other registers keep the reset state the kernel gave them.
 * Every VP gets the same: a guest tells them apart by the APIC ID of CPUID
 * leaf 1 (EBX bits 31:24, the VP index).
 */
static int set_real_mode_regs(int fd, const char *name, __u32 vp, __u64 entry)
{
	__u16 seg = (entry >> 4) & 0xf000;
	struct hvcore_regs r;
	int i;

	memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	r.vp = vp;
	if (ioctl(fd, HVCORE_GET_REGS, &r)) {
		if (errno == ENOTTY)
			hvctl_err("cannot start partition %s: this hvcore module does not run partitions yet (HVCORE_GET_REGS: %s); load a newer one",
				  name, strerror(errno));
		else
			hvctl_err("cannot read the registers of VP %u of partition %s: ioctl HVCORE_GET_REGS failed: %s",
				  vp, name, strerror(errno));
		return -1;
	}
	r.size = sizeof(r);
	r.rip = entry & 0xffff;
	r.rflags = 0x2;
	r.gpr[HVCORE_RSP] = r.rip;
	for (i = HVCORE_ES; i <= HVCORE_GS; i++)
		real_mode_segment(&r.seg[i], seg, 0x3);	/* data, read/write, accessed */
	real_mode_segment(&r.seg[HVCORE_CS], seg, 0xb);	/* code, read/execute, accessed */
	memset(&r.seg[HVCORE_TR], 0, sizeof(r.seg[HVCORE_TR]));
	r.seg[HVCORE_TR].limit = 0xffff;
	r.seg[HVCORE_TR].type = 0xb;		/* busy 32-bit TSS */
	r.seg[HVCORE_TR].present = 1;
	memset(&r.seg[HVCORE_LDTR], 0, sizeof(r.seg[HVCORE_LDTR]));
	r.seg[HVCORE_LDTR].limit = 0xffff;
	r.seg[HVCORE_LDTR].type = 0x2;		/* LDT */
	r.seg[HVCORE_LDTR].present = 1;
	memset(&r.gdt, 0, sizeof(r.gdt));
	r.gdt.limit = 0xffff;
	memset(&r.idt, 0, sizeof(r.idt));
	r.idt.limit = 0xffff;
	r.cr0 = 0x10;				/* ET */
	r.cr2 = 0;
	r.cr3 = 0;
	r.cr4 = 0;
	r.efer = 0;
	r.xcr0 = 0x1;				/* x87 only, as at reset */
	if (ioctl(fd, HVCORE_SET_REGS, &r)) {
		hvctl_err("cannot set the real-mode registers of VP %u of partition %s: ioctl HVCORE_SET_REGS failed: %s",
			  vp, name, strerror(errno));
		return -1;
	}
	return 0;
}

/**
 * hvctl_start_partition() - load an image, set every VP up, start
 * @fd: partition fd
 * @info: its HVCORE_PARTITION_INFO
 * @args: --image, --entry, --load (--mode was checked to be real)
 *
 * Return: exit status.
 */
int hvctl_start_partition(int fd, const struct hvcore_partition_info *info,
			  const struct hvctl_args *args)
{
	__u64 entry = args->given & HVCTL_OPT_ENTRY ? args->entry : HVCTL_REAL_MODE_ENTRY;
	__u64 load = args->given & HVCTL_OPT_LOAD ? args->load : entry;
	struct hvcore_load l;
	char mem[32];
	size_t len;
	void *image;
	__u32 vp;

	if (info->state != HVCORE_STATE_OFF)
		return state_conflict(info, HVCORE_CONTROL_START);
	if (!info->memory_bytes) {
		hvctl_err("partition %s has no memory; delete it and create it with --memory SIZE",
			  info->name);
		return HVCTL_EXIT_ERROR;
	}
	if (entry >= info->memory_bytes) {
		format_size(info->memory_bytes, mem, sizeof(mem));
		hvctl_err("entry address 0x%llx is outside the %s of memory of partition %s",
			  (unsigned long long)entry, mem, info->name);
		return HVCTL_EXIT_ERROR;
	}
	image = read_image(args->image, &len);
	if (!image)
		return HVCTL_EXIT_ERROR;
	if (load > info->memory_bytes || len > info->memory_bytes - load) {
		format_size(info->memory_bytes, mem, sizeof(mem));
		hvctl_err("image %s (%zu bytes) does not fit at 0x%llx in the %s of memory of partition %s; load it lower (--load) or give the partition more memory",
			  args->image, len, (unsigned long long)load, mem, info->name);
		free(image);
		return HVCTL_EXIT_ERROR;
	}

	memset(&l, 0, sizeof(l));
	l.size = sizeof(l);
	l.gpa = load;
	l.bytes = len;
	l.data = (__u64)(unsigned long)image;
	if (ioctl(fd, HVCORE_LOAD, &l)) {
		hvctl_err("cannot load image %s into partition %s: ioctl HVCORE_LOAD failed: %s",
			  args->image, info->name, strerror(errno));
		free(image);
		return HVCTL_EXIT_ERROR;
	}
	free(image);

	for (vp = 0; vp < info->vp_count; vp++)
		if (set_real_mode_regs(fd, info->name, vp, entry))
			return HVCTL_EXIT_ERROR;
	return control(fd, info, HVCORE_CONTROL_START, 0);
}

/**
 * hvctl_start() - the "start" command
 * @args: the command line (target, --image, --entry, --load, --mode)
 *
 * Without a worker, the first intercept that needs one crashes the
 * partition: "hvctl run --start" is the usual way to start.
 *
 * Return: exit status.
 */
int hvctl_start(const struct hvctl_args *args)
{
	struct hvcore_partition_info info;
	int fd, ret;

	fd = hvctl_open_partition(args->target, &info);
	if (fd < 0)
		return HVCTL_EXIT_ERROR;
	ret = hvctl_start_partition(fd, &info, args);
	close(fd);
	return ret;
}
