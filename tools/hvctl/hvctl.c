// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl: administer the hvcore hypervisor from the root partition.
 *
 * Command line: hvctl [OPTIONS] COMMAND [NAME] [OPTIONS]. Options are
 * accepted before and after the command; the first non-option word is the
 * command, the next one its operand (a partition's name or id).
 * Documentation/hvctl.rst is the manual page.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/hvcore.h>

#include "hvctl.h"

static const char usage_text[] =
	"Usage: hvctl [OPTIONS] COMMAND [NAME] [OPTIONS]\n"
	"\n"
	"Administer the hvcore hypervisor and its partitions.\n"
	"\n"
	"Host:\n"
	"  features      show the virtualization extension and features hvcore uses\n"
	"  topology      show logical processors, NUMA nodes and the LPs hvcore holds\n"
	"  version       show the hvcore API version hvctl was built for\n"
	"  help          show this help\n"
	"\n"
	"Partitions (NAME is a partition's name or id):\n"
	"  list          list the partitions\n"
	"  show NAME     show a partition, why it crashed, its CPU policy and its VPs\n"
	"  create NAME --memory SIZE [--vps N] [--node N]\n"
	"                create a partition with SIZE bytes (K, M, G suffixes) of memory\n"
	"  delete NAME [--force]\n"
	"                delete an off or crashed partition; --force turns it off first\n"
	"  set NAME KEY=VALUE...\n"
	"                change the CPU policy: cpu.weight=N (1-10000), cpu.reserve=P,\n"
	"                cpu.cap=P (P: % of one LP per VP, 0-100; cap 1-100),\n"
	"                cpu.io-boost=on|off\n"
	"  start NAME --image FILE [--entry ADDR] [--load ADDR] [--mode real]\n"
	"                load FILE and start its VPs at ADDR (default 0x7c00) in real mode\n"
	"  pause NAME, resume NAME\n"
	"                take a running partition to paused and back\n"
	"  stop NAME [--force] [--code N]\n"
	"                take a crashed partition back to off; a running or paused one\n"
	"                needs --force (turned off at once: there is no guest shutdown)\n"
	"  add-vp NAME [--entry ADDR]\n"
	"                add a VP (hot-add) that starts at ADDR or the guest's VP entry\n"
	"  run NAME [--log FILE] [--detach] [--start --image FILE ...]\n"
	"                serve the partition's devices (UART at 0x3f8, exit port 0xf4)\n"
	"                until it stops; --start starts it first (the usual use);\n"
	"                --detach (needs --log) goes to the background, prints its pid\n"
	"\n"
	"Monitoring:\n"
	"  counters [NAME] [--vp N] [--interval S [--count N]]\n"
	"                every counter of the partitions and their VPs; with --interval,\n"
	"                deltas and rates per interval\n"
	"  top [--interval S] [--iterations N] [--batch]\n"
	"                one row per partition and VP, refreshed: % run time, wait per\n"
	"                dispatch, dispatches/s, exits/s, migrations\n"
	"\n"
	"Options:\n"
	"  -j, --json  print a read command's result (features, topology, list, show,\n"
	"              counters, top) as JSON, one object per line\n"
	"  -h, --help  show this help\n"
	"\n"
	"Exit status: 0 success, 1 runtime error, 2 usage error; run: 3 the guest\n"
	"exited with a non-zero code, 4 the partition crashed, 130/143 interrupted.\n"
	"'man 8 hvctl' has the details.\n";

enum {
	OPT_VPS = 256,
	OPT_NODE,
	OPT_IMAGE,
	OPT_ENTRY,
	OPT_LOAD,
	OPT_MODE,
	OPT_CODE,
	OPT_LOG,
	OPT_START,
	OPT_FORCE,
	OPT_DETACH,
	OPT_INTERVAL,
	OPT_COUNT,
	OPT_ITERATIONS,
	OPT_VP,
	OPT_BATCH,
};

static const struct option long_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ "memory", required_argument, NULL, 'm' },
	{ "vps", required_argument, NULL, OPT_VPS },
	{ "node", required_argument, NULL, OPT_NODE },
	{ "image", required_argument, NULL, OPT_IMAGE },
	{ "entry", required_argument, NULL, OPT_ENTRY },
	{ "load", required_argument, NULL, OPT_LOAD },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "code", required_argument, NULL, OPT_CODE },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "start", no_argument, NULL, OPT_START },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "detach", no_argument, NULL, OPT_DETACH },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "iterations", required_argument, NULL, OPT_ITERATIONS },
	{ "vp", required_argument, NULL, OPT_VP },
	{ "batch", no_argument, NULL, OPT_BATCH },
	{ NULL, 0, NULL, 0 },
};

/**
 * hvctl_err() - print "hvctl: <message>" on stderr
 * @fmt: printf format of the message, without the trailing newline
 */
void hvctl_err(const char *fmt, ...)
{
	va_list ap;

	fputs("hvctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/**
 * hvctl_read_file() - read a small (sysfs) file as one string
 * @path: file to read
 * @buf: destination, NUL-terminated on success
 * @size: size of @buf
 *
 * Trailing whitespace (the newline sysfs adds) is removed.
 *
 * Return: 0, or a negative errno.
 */
int hvctl_read_file(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			close(fd);
			return err;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		len--;
	buf[len] = '\0';
	return 0;
}

/**
 * hvctl_module_loaded() - whether hvcore is loaded (its sysfs root exists)
 *
 * Return: true when /sys/kernel/hvcore is a directory.
 */
bool hvctl_module_loaded(void)
{
	struct stat st;

	return stat(HVCORE_SYSFS_PATH, &st) == 0 && S_ISDIR(st.st_mode);
}

/**
 * hvctl_open_dev() - open /dev/hvcore, explaining a failure
 *
 * Return: the fd, or -1 after printing what went wrong and what to do.
 */
int hvctl_open_dev(void)
{
	int fd, err;

	fd = open(HVCORE_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (fd >= 0)
		return fd;

	err = errno;
	switch (err) {
	case ENOENT:
		if (hvctl_module_loaded()) {
			hvctl_err("cannot open %s: %s (hvcore is loaded but the device node is missing; mount devtmpfs on /dev, or mknod it with the numbers in /sys/class/misc/hvcore/dev)",
				  HVCORE_DEV_PATH, strerror(err));
			break;
		}
		fallthrough;
	case ENXIO:
	case ENODEV:
		hvctl_err("cannot open %s: %s (is the hvcore module loaded? try: modprobe hvcore)",
			  HVCORE_DEV_PATH, strerror(err));
		break;
	case EACCES:
	case EPERM:
		hvctl_err("cannot open %s: %s (it is accessible to root only; run hvctl as root)",
			  HVCORE_DEV_PATH, strerror(err));
		break;
	default:
		hvctl_err("cannot open %s: %s", HVCORE_DEV_PATH, strerror(err));
		break;
	}
	return -1;
}

static void usage_hint(void)
{
	fputs("Try 'hvctl --help' for more information.\n", stderr);
}

/**
 * hvctl_usage_error() - point at --help after a usage error was printed
 *
 * Return: HVCTL_EXIT_USAGE, the exit status.
 */
int hvctl_usage_error(void)
{
	usage_hint();
	return HVCTL_EXIT_USAGE;
}

/*
 * An unsigned number in C notation (decimal, 0x hexadecimal, 0 octal)
 * no larger than @max, followed by nothing or by what @end accepts.
 */
static int parse_number(const char *s, unsigned long long max,
			unsigned long long *val, char **end)
{
	unsigned long long v;
	char *e;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &e, 0);
	if (errno == ERANGE || v > max)
		return -ERANGE;
	if (!end && *e)
		return -EINVAL;
	if (end)
		*end = e;
	*val = v;
	return 0;
}

/* SIZE of --memory: bytes, or K, M, G (powers of 1024), 4 KiB granular. */
static int parse_size(const char *s, unsigned long long *bytes)
{
	unsigned long long v, unit = 1;
	char *e;
	int ret;

	ret = parse_number(s, HVCORE_MEMORY_MAX, &v, &e);
	if (ret == -EINVAL)
		goto bad;
	if (!ret) {
		switch (*e) {
		case 'K': case 'k':
			unit = 1ULL << 10;
			e++;
			break;
		case 'M': case 'm':
			unit = 1ULL << 20;
			e++;
			break;
		case 'G': case 'g':
			unit = 1ULL << 30;
			e++;
			break;
		}
		if (*e)
			goto bad;
	}
	if (ret == -ERANGE || v > HVCORE_MEMORY_MAX / unit) {
		hvctl_err("memory size '%s' is too large: at most %lluG",
			  s, HVCORE_MEMORY_MAX >> 30);
		return -1;
	}
	v *= unit;
	if (v == 0 || v % 4096) {
		hvctl_err("memory size '%s' is not a positive multiple of 4K", s);
		return -1;
	}
	*bytes = v;
	return 0;
bad:
	hvctl_err("invalid memory size '%s': give a number of bytes with an optional K, M or G suffix, e.g. 64M",
		  s);
	return -1;
}

/* Bounds of --interval, in milliseconds. */
#define INTERVAL_MIN_MS		100
#define INTERVAL_MAX_MS		3600000
#define COUNT_MAX		1000000

/*
 * SECONDS of --interval: a decimal number with at most three digits after
 * the point, so that it is a whole number of milliseconds.
 */
static int parse_interval(const char *s, unsigned int *ms)
{
	int whole = 0, frac = -1;	/* digits before and after the point */
	unsigned long long v = 0;
	const char *p;

	for (p = s; *p; p++) {
		if (*p == '.' && frac < 0) {
			frac = 0;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			goto bad;
		if (frac >= 0 ? ++frac > 3 : ++whole > 7)
			goto bad;
		v = v * 10 + (*p - '0');
	}
	if (frac < 0)
		frac = 0;
	if (whole + frac == 0)
		goto bad;
	for (; frac < 3; frac++)
		v *= 10;
	if (v < INTERVAL_MIN_MS || v > INTERVAL_MAX_MS)
		goto bad;
	*ms = v;
	return 0;
bad:
	hvctl_err("invalid interval '%s': give seconds from 0.1 to 3600, e.g. 1 or 0.5", s);
	return -1;
}

static int parse_option_value(int c, const char *name, const char *val,
			      struct hvctl_args *a)
{
	unsigned long long v;
	int ret = 0;

	switch (c) {
	case 'm':
		return parse_size(val, &a->memory);
	case OPT_VPS:
		ret = parse_number(val, HVCORE_MAX_VPS, &v, NULL);
		if (!ret && v == 0)
			ret = -ERANGE;
		a->vps = v;
		if (ret)
			hvctl_err("invalid VP count '%s': give a number from 1 to %d",
				  val, HVCORE_MAX_VPS);
		break;
	case OPT_NODE:
		ret = parse_number(val, INT_MAX, &v, NULL);
		a->node = v;
		if (ret)
			hvctl_err("invalid NUMA node '%s': give a node number, as 'hvctl topology' lists them",
				  val);
		break;
	case OPT_ENTRY:
	case OPT_LOAD:
		ret = parse_number(val, ~0ULL, &v, NULL);
		if (c == OPT_ENTRY)
			a->entry = v;
		else
			a->load = v;
		if (ret)
			hvctl_err("invalid address '%s' for --%s: give a guest-physical address such as 0x7c00",
				  val, name);
		break;
	case OPT_CODE:
		ret = parse_number(val, ~0U, &v, NULL);
		a->code = v;
		if (ret)
			hvctl_err("invalid exit code '%s': give a number from 0 to %u", val, ~0U);
		break;
	case OPT_INTERVAL:
		return parse_interval(val, &a->interval_ms);
	case OPT_COUNT:
	case OPT_ITERATIONS:
		ret = parse_number(val, COUNT_MAX, &v, NULL);
		if (!ret && v == 0)
			ret = -ERANGE;
		a->count = v;
		if (ret)
			hvctl_err("invalid value '%s' for --%s: give a number from 1 to %d",
				  val, name, COUNT_MAX);
		break;
	case OPT_VP:
		ret = parse_number(val, HVCORE_MAX_VPS - 1, &v, NULL);
		a->vp = v;
		if (ret)
			hvctl_err("invalid VP '%s': give a VP index from 0 to %d",
				  val, HVCORE_MAX_VPS - 1);
		break;
	case OPT_IMAGE:
		a->image = val;
		break;
	case OPT_MODE:
		a->mode = val;
		break;
	case OPT_LOG:
		a->log = val;
		break;
	}
	return ret ? -1 : 0;
}

static unsigned int option_bit(int c)
{
	switch (c) {
	case 'j': return HVCTL_OPT_JSON;
	case 'm': return HVCTL_OPT_MEMORY;
	case OPT_VPS: return HVCTL_OPT_VPS;
	case OPT_NODE: return HVCTL_OPT_NODE;
	case OPT_IMAGE: return HVCTL_OPT_IMAGE;
	case OPT_ENTRY: return HVCTL_OPT_ENTRY;
	case OPT_LOAD: return HVCTL_OPT_LOAD;
	case OPT_MODE: return HVCTL_OPT_MODE;
	case OPT_CODE: return HVCTL_OPT_CODE;
	case OPT_LOG: return HVCTL_OPT_LOG;
	case OPT_START: return HVCTL_OPT_START;
	case OPT_FORCE: return HVCTL_OPT_FORCE;
	case OPT_DETACH: return HVCTL_OPT_DETACH;
	case OPT_INTERVAL: return HVCTL_OPT_INTERVAL;
	case OPT_COUNT: return HVCTL_OPT_COUNT;
	case OPT_ITERATIONS: return HVCTL_OPT_ITERATIONS;
	case OPT_VP: return HVCTL_OPT_VP;
	case OPT_BATCH: return HVCTL_OPT_BATCH;
	default: return 0;
	}
}

static const char *option_name(unsigned int bit)
{
	const struct option *o;

	for (o = long_options; o->name; o++)
		if (option_bit(o->val) == bit)
			return o->name;
	return "?";
}

/*
 * Parse options in argv[] up to the first non-option word. The "+" keeps
 * getopt_long() from permuting, so the command and its options can be
 * parsed in passes that each see the same rules.
 *
 * Return: -1 to go on, or the exit status to end hvctl with.
 */
static int parse_options(int argc, char **argv, struct hvctl_args *a, bool *help)
{
	const char *arg, *eq;
	int c, idx;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:jhm:", long_options, &idx)) != -1) {
		arg = argv[optind - 1];
		switch (c) {
		case 'h':
			*help = true;
			break;
		case 'j':
			a->json = true;
			a->given |= HVCTL_OPT_JSON;
			break;
		case ':':
			hvctl_err("option '%s' needs a value", arg);
			return hvctl_usage_error();
		case '?':
			eq = strchr(arg, '=');
			if (strncmp(arg, "--", 2))
				hvctl_err("unknown option '-%c'", optopt);
			else if (optopt && eq)
				hvctl_err("option '%.*s' takes no value", (int)(eq - arg), arg);
			else
				hvctl_err("unknown option '%s'", arg);
			return hvctl_usage_error();
		default:
			a->given |= option_bit(c);
			if (optarg && parse_option_value(c, c == 'm' ? "memory" :
							 long_options[idx].name, optarg, a))
				return hvctl_usage_error();
			break;
		}
	}
	return -1;
}

static int cmd_version(const struct hvctl_args *args)
{
	(void)args;
	printf("hvctl %d\n", HVCORE_API_VERSION);
	return HVCTL_EXIT_OK;
}

static int cmd_help(const struct hvctl_args *args)
{
	(void)args;
	fputs(usage_text, stdout);
	return HVCTL_EXIT_OK;
}

/**
 * struct hvctl_command - one command
 * @name:	what the user types
 * @run:	implementation; returns the exit status
 * @target:	whether it takes a NAME|ID operand
 * @options:	HVCTL_OPT_* it accepts besides --json and --help
 * @words:	takes further words after the operand (struct hvctl_args.words)
 */
struct hvctl_command {
	const char *name;
	int (*run)(const struct hvctl_args *args);
	enum { NO_TARGET, TARGET, TARGET_OPTIONAL } target;
	unsigned int options;
	bool words;
};

#define HVCTL_OPTS_RUN	(HVCTL_OPT_LOG | HVCTL_OPT_START | HVCTL_OPT_DETACH | HVCTL_OPTS_START)

static const struct hvctl_command commands[] = {
	{ "features", hvctl_features, NO_TARGET, 0, false },
	{ "topology", hvctl_topology, NO_TARGET, 0, false },
	{ "version", cmd_version, NO_TARGET, 0, false },
	{ "help", cmd_help, NO_TARGET, 0, false },
	{ "list", hvctl_list, NO_TARGET, 0, false },
	{ "show", hvctl_show, TARGET, 0, false },
	{ "create", hvctl_create, TARGET,
	  HVCTL_OPT_MEMORY | HVCTL_OPT_VPS | HVCTL_OPT_NODE, false },
	{ "delete", hvctl_delete, TARGET, HVCTL_OPT_FORCE, false },
	{ "set", hvctl_set, TARGET, 0, true },
	{ "start", hvctl_start, TARGET, HVCTL_OPTS_START, false },
	{ "pause", hvctl_pause, TARGET, 0, false },
	{ "resume", hvctl_resume, TARGET, 0, false },
	{ "stop", hvctl_stop, TARGET, HVCTL_OPT_CODE | HVCTL_OPT_FORCE, false },
	{ "add-vp", hvctl_add_vp, TARGET, HVCTL_OPT_ENTRY, false },
	{ "run", hvctl_run, TARGET, HVCTL_OPTS_RUN, false },
	{ "counters", hvctl_counters, TARGET_OPTIONAL,
	  HVCTL_OPT_INTERVAL | HVCTL_OPT_COUNT | HVCTL_OPT_VP, false },
	{ "top", hvctl_top, NO_TARGET,
	  HVCTL_OPT_INTERVAL | HVCTL_OPT_ITERATIONS | HVCTL_OPT_BATCH, false },
	{ NULL, NULL, NO_TARGET, 0, false },
};

static const struct hvctl_command *find_command(const char *name)
{
	const struct hvctl_command *c;

	for (c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* Options the command does not take, and option combinations. */
static int check_options(const struct hvctl_command *cmd, const struct hvctl_args *a)
{
	unsigned int extra = a->given & ~(cmd->options | HVCTL_OPT_JSON);
	unsigned int bit;

	if (extra) {
		bit = extra & -extra;
		hvctl_err("option '--%s' does not apply to '%s'", option_name(bit), cmd->name);
		return hvctl_usage_error();
	}
	if (cmd->target == TARGET && !a->target) {
		hvctl_err("'%s' needs a partition name or id", cmd->name);
		return hvctl_usage_error();
	}
	if ((a->given & HVCTL_OPT_VP) && !a->target) {
		hvctl_err("--vp needs a partition: hvctl %s NAME --vp N", cmd->name);
		return hvctl_usage_error();
	}
	if ((a->given & HVCTL_OPT_DETACH) && !(a->given & HVCTL_OPT_LOG)) {
		hvctl_err("'run --detach' needs --log FILE: a detached worker has no terminal to write to");
		return hvctl_usage_error();
	}
	if (!strcmp(cmd->name, "create") && !(a->given & HVCTL_OPT_MEMORY)) {
		hvctl_err("'create' needs --memory SIZE, e.g. --memory 64M");
		return hvctl_usage_error();
	}
	bit = a->given & HVCTL_OPTS_START;
	if (!strcmp(cmd->name, "run") && bit && !(a->given & HVCTL_OPT_START)) {
		hvctl_err("'run' takes --%s only with --start", option_name(bit & -bit));
		return hvctl_usage_error();
	}
	if ((!strcmp(cmd->name, "start") || (a->given & HVCTL_OPT_START)) &&
	    !(a->given & HVCTL_OPT_IMAGE)) {
		hvctl_err("starting a partition needs --image FILE");
		return hvctl_usage_error();
	}
	if (a->mode && !strcmp(a->mode, "long")) {
		hvctl_err("--mode long is not supported yet; start the guest in real mode (--mode real) and let it switch");
		return hvctl_usage_error();
	}
	if (a->mode && strcmp(a->mode, "real")) {
		hvctl_err("unknown mode '%s': the only mode is 'real'", a->mode);
		return hvctl_usage_error();
	}
	if ((a->given & HVCTL_OPT_ENTRY) && a->entry >= 0x100000 &&
	    strcmp(cmd->name, "add-vp")) {
		hvctl_err("entry address 0x%llx is not below 1M, where real mode can start",
			  a->entry);
		return hvctl_usage_error();
	}
	return -1;
}

/*
 * A partition name as hvcore accepts it: 1 to 31 of A-Z a-z 0-9 . _ -,
 * not starting with . or -. For "create" it must not be all digits, which
 * the other commands would read as an id.
 */
static int check_target(const struct hvctl_command *cmd, const char *t)
{
	size_t len = strlen(t), digits = strspn(t, "0123456789");

	if (len && digits == len && strcmp(cmd->name, "create"))
		return -1;
	if (len == 0 || len >= HVCORE_NAME_MAX || t[0] == '.' || t[0] == '-' ||
	    strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") != len) {
		hvctl_err("invalid partition name '%s': use 1 to %d characters of A-Z a-z 0-9 . _ -, not starting with . or -",
			  t, HVCORE_NAME_MAX - 1);
		return hvctl_usage_error();
	}
	if (digits == len) {
		hvctl_err("invalid partition name '%s': a name of digits only would be read as an id; add a letter",
			  t);
		return hvctl_usage_error();
	}
	return -1;
}

/* Report a failed write to stdout (full disk, closed pipe) as an error. */
static int finish_stdout(int status)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return status;
	hvctl_err("cannot write to standard output: %s", strerror(errno));
	return HVCTL_EXIT_ERROR;
}

static int print_usage(void)
{
	fputs(usage_text, stdout);
	return finish_stdout(HVCTL_EXIT_OK);
}

int main(int argc, char **argv)
{
	struct hvctl_args args = { .node = HVCORE_NODE_ANY };
	const struct hvctl_command *cmd;
	bool help = false;
	int ret;

	/* Options before the command. */
	ret = parse_options(argc, argv, &args, &help);
	if (ret >= 0)
		return ret;
	if (help)
		return print_usage();
	if (optind >= argc) {
		hvctl_err("missing command");
		return hvctl_usage_error();
	}

	cmd = find_command(argv[optind]);
	if (!cmd) {
		hvctl_err("unknown command '%s'", argv[optind]);
		return hvctl_usage_error();
	}

	/*
	 * Options and the operand after the command: argv[0] of this pass is
	 * the command; parsing stops at each non-option word and goes on
	 * after it.
	 */
	argc -= optind;
	argv += optind;
	optind = 0;	/* restart getopt_long() on the new vector */
	for (;;) {
		ret = parse_options(argc, argv, &args, &help);
		if (ret >= 0)
			return ret;
		if (optind >= argc)
			break;
		if (cmd->target != NO_TARGET && !args.target) {
			args.target = argv[optind++];
			continue;
		}
		if (!cmd->words) {
			hvctl_err("unexpected argument '%s' after '%s'", argv[optind], cmd->name);
			return hvctl_usage_error();
		}
		if (!args.words) {
			args.words = calloc(argc, sizeof(*args.words));
			if (!args.words) {
				hvctl_err("out of memory");
				return HVCTL_EXIT_ERROR;
			}
		}
		args.words[args.nr_words++] = argv[optind++];
	}
	if (help)
		return print_usage();
	ret = check_options(cmd, &args);
	if (ret < 0 && args.target)
		ret = check_target(cmd, args.target);
	if (ret < 0 && cmd->words)
		ret = hvctl_parse_settings(&args);
	if (ret >= 0)
		return ret;

	return finish_stdout(cmd->run(&args));
}
