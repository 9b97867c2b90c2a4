// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl: administer the hvcore hypervisor from the root partition.
 *
 * Command line: hvctl [OPTIONS] COMMAND [OPTIONS]. Options are accepted
 * before and after the command; the first non-option word is the command.
 * Documentation/hvctl.rst is the manual page.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/hvcore.h>

#include "hvctl.h"

static const char usage_text[] =
	"Usage: hvctl [OPTIONS] COMMAND [OPTIONS]\n"
	"\n"
	"Inspect the hvcore hypervisor.\n"
	"\n"
	"Commands:\n"
	"  features    show the virtualization extension and features hvcore uses\n"
	"  topology    show logical processors, NUMA nodes and the LPs hvcore holds\n"
	"  version     show the hvcore API version hvctl was built for\n"
	"  help        show this help\n"
	"\n"
	"Options:\n"
	"  -j, --json  print the result of features or topology as one JSON object\n"
	"  -h, --help  show this help\n"
	"\n"
	"Exit status: 0 success, 1 runtime error, 2 usage error.\n";

static const struct option long_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
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

static void usage_hint(void)
{
	fputs("Try 'hvctl --help' for more information.\n", stderr);
}

/*
 * Parse options in argv[] up to the first non-option word. The "+" keeps
 * getopt_long() from permuting, so the command and its options can be
 * parsed in two passes that each see the same rules.
 *
 * Return: -1 to go on, or the exit status to end hvctl with.
 */
static int parse_options(int argc, char **argv, bool *json, bool *help)
{
	const char *arg, *eq;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+jh", long_options, NULL)) != -1) {
		switch (c) {
		case 'j':
			*json = true;
			break;
		case 'h':
			*help = true;
			break;
		default:
			arg = argv[optind - 1];
			eq = strchr(arg, '=');
			if (strncmp(arg, "--", 2))
				hvctl_err("unknown option '-%c'", optopt);
			else if (optopt && eq)
				hvctl_err("option '%.*s' takes no value", (int)(eq - arg), arg);
			else
				hvctl_err("unknown option '%s'", arg);
			usage_hint();
			return HVCTL_EXIT_USAGE;
		}
	}
	return -1;
}

static int cmd_version(bool json)
{
	(void)json;
	printf("hvctl %d\n", HVCORE_API_VERSION);
	return HVCTL_EXIT_OK;
}

static int cmd_help(bool json)
{
	(void)json;
	fputs(usage_text, stdout);
	return HVCTL_EXIT_OK;
}

struct hvctl_command {
	const char *name;
	int (*run)(bool json);
};

static const struct hvctl_command commands[] = {
	{ "features", hvctl_features },
	{ "topology", hvctl_topology },
	{ "version", cmd_version },
	{ "help", cmd_help },
	{ NULL, NULL },
};

static const struct hvctl_command *find_command(const char *name)
{
	const struct hvctl_command *c;

	for (c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
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
	const struct hvctl_command *cmd;
	bool json = false, help = false;
	int ret;

	/* Options before the command. */
	ret = parse_options(argc, argv, &json, &help);
	if (ret >= 0)
		return ret;
	if (help)
		return print_usage();
	if (optind >= argc) {
		hvctl_err("missing command");
		usage_hint();
		return HVCTL_EXIT_USAGE;
	}

	cmd = find_command(argv[optind]);
	if (!cmd) {
		hvctl_err("unknown command '%s'", argv[optind]);
		usage_hint();
		return HVCTL_EXIT_USAGE;
	}

	/* Options after the command: argv[0] of this pass is the command. */
	argc -= optind;
	argv += optind;
	optind = 0;	/* restart getopt_long() on the new vector */
	ret = parse_options(argc, argv, &json, &help);
	if (ret >= 0)
		return ret;
	if (help)
		return print_usage();
	if (optind < argc) {
		hvctl_err("unexpected argument '%s' after '%s'", argv[optind], cmd->name);
		usage_hint();
		return HVCTL_EXIT_USAGE;
	}

	return finish_stdout(cmd->run(json));
}
