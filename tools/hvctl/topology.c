// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl topology: the logical processors and NUMA nodes of the host as
 * libnuma sees them, and on which LPs hvcore holds SVM/VMX
 * (/sys/kernel/hvcore/lp/lpN/enabled).
 *
 * When libnuma says NUMA is unavailable (a kernel without CONFIG_NUMA, or
 * get_mempolicy() filtered), the host is shown as one node 0 holding every
 * LP and all memory.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <numa.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hvctl.h"

#define CPU_SYSFS_PATH		"/sys/devices/system/cpu"

/* Highest CPU number + 1 searched for when sysfs and libnuma disagree. */
#define CPU_SEARCH_LIMIT	65536

/**
 * struct lp_info - one logical processor
 * @cpu:	Linux CPU number
 * @node:	NUMA node, -1 when unknown
 * @online:	1 online, 0 offline, -1 unknown
 * @held:	1 or 0 from hvcore's lp/lpN/enabled, -1 when hvcore is not loaded
 */
struct lp_info {
	int cpu;
	int node;
	int online;
	int held;
};

/**
 * struct node_info - one NUMA node
 * @node:	node number
 * @mem_bytes:	total memory, -1 when unknown
 */
struct node_info {
	int node;
	long long mem_bytes;
};

struct topology {
	bool numa;
	bool hvcore_loaded;
	int nr_lps;
	struct lp_info *lps;
	int nr_nodes;
	struct node_info *nodes;
};

/*
 * libnuma reports problems through these two weak functions; ours give
 * its messages the "hvctl: " prefix. Like libnuma's, numa_warn() prints
 * each kind of warning once and both keep errno.
 */
void numa_warn(int num, char *fmt, ...)
{
	static unsigned int warned;
	int err = errno;
	size_t len;
	va_list ap;

	if (num >= 0 && num < 32) {
		if (warned & (1U << num))
			return;
		warned |= 1U << num;
	}
	fputs("hvctl: warning: libnuma: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	len = strlen(fmt);
	if (!len || fmt[len - 1] != '\n')
		fputc('\n', stderr);
	errno = err;
}

void numa_error(char *where)
{
	int err = errno;

	hvctl_err("libnuma: %s: %s", where, strerror(err));
	errno = err;
}

static bool path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Whether @cpu is in a kernel cpulist such as "0-3,8,10-11". */
static int cpulist_has(const char *list, int cpu)
{
	unsigned long lo, hi;
	const char *p = list;
	char *end;

	while (*p) {
		lo = strtoul(p, &end, 10);
		if (end == p)
			return -1;
		hi = lo;
		p = end;
		if (*p == '-') {
			hi = strtoul(p + 1, &end, 10);
			if (end == p + 1)
				return -1;
			p = end;
		}
		if ((unsigned long)cpu >= lo && (unsigned long)cpu <= hi)
			return 1;
		if (*p == ',')
			p++;
		else if (*p)
			return -1;
	}
	return 0;
}

/*
 * The node of @cpu. An offline CPU is in no node's cpumap, so libnuma
 * cannot place it; sysfs still links cpuN/nodeM for it.
 */
static int lp_node(const struct topology *t, int cpu)
{
	char path[64];
	struct dirent *de;
	int node = -1;
	DIR *dir;

	if (!t->numa)
		return 0;
	node = numa_node_of_cpu(cpu);
	if (node >= 0)
		return node;

	snprintf(path, sizeof(path), CPU_SYSFS_PATH "/cpu%d", cpu);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		if (!strncmp(de->d_name, "node", 4) &&
		    de->d_name[4] >= '0' && de->d_name[4] <= '9') {
			node = atoi(de->d_name + 4);
			break;
		}
	}
	closedir(dir);
	return node;
}

static int lp_held(const struct topology *t, int cpu)
{
	char path[80], buf[16];

	if (!t->hvcore_loaded)
		return -1;
	snprintf(path, sizeof(path), HVCORE_SYSFS_PATH "/lp/lp%d/enabled", cpu);
	if (hvctl_read_file(path, buf, sizeof(buf)))
		return -1;
	if (!strcmp(buf, "1"))
		return 1;
	if (!strcmp(buf, "0"))
		return 0;
	return -1;
}

static int collect_lps(struct topology *t)
{
	bool have_sysfs = path_exists(CPU_SYSFS_PATH);
	char path[64], online[4096];
	bool online_known;
	int nconf, cpu, n = 0;
	struct lp_info *lp;

	nconf = numa_num_configured_cpus();
	if (nconf < 1)
		nconf = sysconf(_SC_NPROCESSORS_CONF);
	if (nconf < 1)
		nconf = 1;

	t->lps = calloc(nconf, sizeof(*t->lps));
	if (!t->lps) {
		hvctl_err("out of memory");
		return -1;
	}

	online_known = !hvctl_read_file(CPU_SYSFS_PATH "/online", online, sizeof(online));

	/* CPU numbers may have holes: take the first nconf that exist. */
	for (cpu = 0; cpu < CPU_SEARCH_LIMIT && n < nconf; cpu++) {
		if (have_sysfs) {
			snprintf(path, sizeof(path), CPU_SYSFS_PATH "/cpu%d", cpu);
			if (!path_exists(path))
				continue;
		}
		lp = &t->lps[n++];
		lp->cpu = cpu;
		lp->node = lp_node(t, cpu);
		lp->online = online_known ? cpulist_has(online, cpu) : -1;
		lp->held = lp_held(t, cpu);
	}
	t->nr_lps = n;
	return 0;
}

static int add_node(struct topology *t, int node, long long mem_bytes)
{
	struct node_info *nodes;

	nodes = realloc(t->nodes, (t->nr_nodes + 1) * sizeof(*nodes));
	if (!nodes) {
		hvctl_err("out of memory");
		return -1;
	}
	t->nodes = nodes;
	nodes[t->nr_nodes].node = node;
	nodes[t->nr_nodes].mem_bytes = mem_bytes;
	t->nr_nodes++;
	return 0;
}

static int collect_nodes(struct topology *t)
{
	long pages, page_size;
	int node, max;

	if (t->numa) {
		max = numa_max_node();
		for (node = 0; node <= max; node++) {
			/* numa_nodes_ptr: the nodes that exist (may have holes) */
			if (numa_nodes_ptr && !numa_bitmask_isbitset(numa_nodes_ptr, node))
				continue;
			if (add_node(t, node, numa_node_size64(node, NULL)))
				return -1;
		}
		if (t->nr_nodes)
			return 0;
	}

	pages = sysconf(_SC_PHYS_PAGES);
	page_size = sysconf(_SC_PAGESIZE);
	return add_node(t, 0, pages > 0 && page_size > 0 ?
			(long long)pages * page_size : -1);
}

static void topology_free(struct topology *t)
{
	free(t->lps);
	free(t->nodes);
}

static const char *yes_no(int v)
{
	return v < 0 ? "-" : v ? "yes" : "no";
}

static const char *json_bool(int v)
{
	return v < 0 ? "null" : v ? "true" : "false";
}

/*
 * Format the LPs of @node as a cpulist ("0-3,8") into @buf, which has
 * room for any list: 24 bytes per LP.
 */
static void node_cpulist(const struct topology *t, int node, char *buf)
{
	int i, j, first, last;
	char *p = buf;

	*p = '\0';
	for (i = 0; i < t->nr_lps; i = j) {
		j = i + 1;
		if (t->lps[i].node != node)
			continue;
		first = t->lps[i].cpu;
		last = first;
		while (j < t->nr_lps && t->lps[j].node == node &&
		       t->lps[j].cpu == last + 1)
			last = t->lps[j++].cpu;
		p += sprintf(p, "%s%d", p == buf ? "" : ",", first);
		if (last != first)
			p += sprintf(p, "-%d", last);
	}
}

static int print_table(const struct topology *t)
{
	int i, width = 4;
	char *cpus;
	size_t len;

	printf("%-6s%-6s%-8s%s\n", "LP", "NODE", "ONLINE", "HVCORE");
	for (i = 0; i < t->nr_lps; i++) {
		const struct lp_info *lp = &t->lps[i];

		printf("%-6d", lp->cpu);
		if (lp->node < 0)
			printf("%-6s", "-");
		else
			printf("%-6d", lp->node);
		printf("%-8s%s\n", yes_no(lp->online), yes_no(lp->held));
	}

	cpus = malloc(24 * (t->nr_lps + 1));
	if (!cpus) {
		hvctl_err("out of memory");
		return -1;
	}
	for (i = 0; i < t->nr_nodes; i++) {
		node_cpulist(t, t->nodes[i].node, cpus);
		len = strlen(cpus);
		if ((int)len > width)
			width = len;
	}
	width += 2;

	printf("\n%-6s%-*s%s\n", "NODE", width, "CPUS", "MEMORY(MiB)");
	for (i = 0; i < t->nr_nodes; i++) {
		const struct node_info *n = &t->nodes[i];

		node_cpulist(t, n->node, cpus);
		printf("%-6d%-*s", n->node, width, *cpus ? cpus : "-");
		if (n->mem_bytes < 0)
			printf("-\n");
		else
			printf("%lld\n", n->mem_bytes >> 20);
	}
	free(cpus);

	if (!t->numa)
		printf("\nNUMA is not available: all LPs are shown on node 0.\n");
	if (!t->hvcore_loaded)
		printf("\nhvcore is not loaded: HVCORE shows \"-\".\n");
	return 0;
}

static void print_json(const struct topology *t)
{
	bool first;
	int i, j;

	printf("{\"numa_available\":%s,\"hvcore_loaded\":%s,\"lps\":[",
	       t->numa ? "true" : "false", t->hvcore_loaded ? "true" : "false");
	for (i = 0; i < t->nr_lps; i++) {
		const struct lp_info *lp = &t->lps[i];

		printf("%s{\"lp\":%d,\"node\":", i ? "," : "", lp->cpu);
		if (lp->node < 0)
			printf("null");
		else
			printf("%d", lp->node);
		printf(",\"online\":%s,\"hvcore\":%s}",
		       json_bool(lp->online), json_bool(lp->held));
	}
	printf("],\"nodes\":[");
	for (i = 0; i < t->nr_nodes; i++) {
		const struct node_info *n = &t->nodes[i];

		printf("%s{\"node\":%d,\"cpus\":[", i ? "," : "", n->node);
		first = true;
		for (j = 0; j < t->nr_lps; j++) {
			if (t->lps[j].node != n->node)
				continue;
			printf("%s%d", first ? "" : ",", t->lps[j].cpu);
			first = false;
		}
		printf("],\"memory_mib\":");
		if (n->mem_bytes < 0)
			printf("null}");
		else
			printf("%lld}", n->mem_bytes >> 20);
	}
	printf("]}\n");
}

/**
 * hvctl_topology() - the "topology" command
 * @args: the command line; --json prints one JSON object instead of tables
 *
 * Return: exit status.
 */
int hvctl_topology(const struct hvctl_args *args)
{
	struct topology t = { 0 };
	int ret = HVCTL_EXIT_ERROR;

	t.numa = numa_available() >= 0;
	t.hvcore_loaded = hvctl_module_loaded();

	if (collect_lps(&t) || collect_nodes(&t))
		goto out;
	if (args->json)
		print_json(&t);
	else if (print_table(&t))
		goto out;
	ret = HVCTL_EXIT_OK;
out:
	topology_free(&t);
	return ret;
}
