// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl run: the worker of one partition, in the root partition.
 *
 * It attaches to the partition fd (HVCORE_ATTACH_WORKER), reads the
 * intercept messages hvcore forwards and completes them (HVCORE_COMPLETE)
 * with what these devices answer:
 *
 *  - a 16550-style UART at 0x3f8-0x3ff (COM1): bytes written to THR go to
 *    standard output or the --log file, flushed per line; LSR reads 0x60
 *    (transmitter empty) so that polling guests go on; IIR reads 0x01 (no
 *    interrupt pending); IER, LCR, MCR, SCR and the divisor latch keep what
 *    the guest writes; the other registers read 0; no input;
 *  - an exit port at 0xf4: a write stops the partition, with the value
 *    written as its exit code;
 *  - every other port reads all-ones and ignores writes; MMIO to
 *    guest-physical addresses without memory likewise. The first use of
 *    each port, and of each page, is reported once on standard error.
 *
 * The guest-log hypercall's text goes to standard error (or the --log
 * file) as "[guest] text" lines. When read() returns 0 the partition is
 * off, crashed or deleted, and the worker says how it ended.
 *
 * With --detach the worker attaches, starts the partition if asked to,
 * and then forks: the parent prints the child's pid and exits 0, the child
 * serves on in a session of its own with everything it prints in the log.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/types.h>
#include <unistd.h>

#include <linux/hvcore.h>

#include "hvctl.h"

#define UART_BASE	0x3f8
#define UART_PORTS	8
#define EXIT_PORT	0xf4

/* UART registers, as offsets from UART_BASE */
#define UART_RBR_THR	0	/* DLL when LCR.DLAB */
#define UART_IER	1	/* DLM when LCR.DLAB */
#define UART_IIR_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_MSR	6
#define UART_SCR	7

#define UART_LCR_DLAB	0x80
#define UART_LSR_TEMT	0x40	/* transmitter empty */
#define UART_LSR_THRE	0x20	/* transmit holding register empty */
#define UART_IIR_NO_INT	0x01

/* Pages of MMIO reported before hvctl stops keeping track. */
#define MAX_MMIO_PAGES	256

/* Messages read at once. */
#define READ_BATCH	16

/**
 * struct uart - the registers of the UART that read back what was written
 * @ier:	interrupt enable
 * @lcr:	line control
 * @mcr:	modem control
 * @scr:	scratch
 * @dll:	divisor latch, low byte
 * @dlm:	divisor latch, high byte
 */
struct uart {
	__u8 ier;
	__u8 lcr;
	__u8 mcr;
	__u8 scr;
	__u8 dll;
	__u8 dlm;
};

/**
 * struct worker - one partition being served
 * @name:	partition name, for messages
 * @fd:		partition fd, attached as its worker
 * @sigfd:	signalfd for SIGINT and SIGTERM
 * @out:	where the UART's output goes: stdout or the --log file
 * @log:	where guest-log lines go: stderr or the --log file
 * @uart:	COM1
 * @ports_seen:	ports already reported as not emulated, one bit each
 * @mmio_pages:	pages already reported as without memory or device
 * @nr_mmio_pages: entries in @mmio_pages
 * @types_seen:	unknown message types already reported, one bit each (< 32)
 * @exited:	the guest wrote to the exit port
 * @exit_code:	what it wrote
 */
struct worker {
	const char *name;
	int fd;
	int sigfd;
	FILE *out;
	FILE *log;
	struct uart uart;
	__u8 ports_seen[65536 / 8];
	__u64 mmio_pages[MAX_MMIO_PAGES];
	unsigned int nr_mmio_pages;
	__u32 types_seen;
	bool exited;
	__u32 exit_code;
};

static __u64 size_mask(unsigned int len)
{
	return len >= 8 ? ~0ULL : (1ULL << (8 * len)) - 1;
}

static void uart_write(struct worker *w, unsigned int reg, __u8 val)
{
	struct uart *u = &w->uart;
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_RBR_THR:
		if (dlab)
			u->dll = val;
		else
			putc(val, w->out);
		break;
	case UART_IER:
		if (dlab)
			u->dlm = val;
		else
			u->ier = val & 0x0f;
		break;
	case UART_LCR:
		u->lcr = val;
		break;
	case UART_MCR:
		u->mcr = val & 0x1f;
		break;
	case UART_SCR:
		u->scr = val;
		break;
	default:
		break;	/* FCR, LSR, MSR: accepted, nothing to keep */
	}
}

static __u8 uart_read(struct worker *w, unsigned int reg)
{
	struct uart *u = &w->uart;
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_RBR_THR:
		return dlab ? u->dll : 0;	/* no input */
	case UART_IER:
		return dlab ? u->dlm : u->ier;
	case UART_IIR_FCR:
		return UART_IIR_NO_INT;
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		return UART_LSR_TEMT | UART_LSR_THRE;
	case UART_SCR:
		return u->scr;
	default:
		return 0;	/* MSR */
	}
}

/* Report the first use of a port that nothing emulates. */
static void note_port(struct worker *w, __u16 port, bool write)
{
	if (w->ports_seen[port / 8] & (1U << (port % 8)))
		return;
	w->ports_seen[port / 8] |= 1U << (port % 8);
	hvctl_err("partition %s: the guest %s port 0x%x, which is not emulated: reads give all-ones, writes are ignored",
		  w->name, write ? "writes to" : "reads from", port);
}

/* Ask hvcore to stop the partition with the code the guest gave. */
static int guest_exit(struct worker *w, __u32 code)
{
	struct hvcore_control c;

	w->exited = true;
	w->exit_code = code;
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.op = HVCORE_CONTROL_STOP;
	c.code = code;
	if (ioctl(w->fd, HVCORE_CONTROL, &c) == 0 || errno == EALREADY)
		return 0;
	hvctl_err("partition %s: the guest asked to exit with code %u, but stopping it failed: ioctl HVCORE_CONTROL: %s",
		  w->name, code, strerror(errno));
	return -1;
}

/*
 * Port I/O: the UART byte by byte (a wide access touches the following
 * ports, as on real hardware), the exit port, or nothing.
 */
static int handle_io(struct worker *w, const struct hvcore_message *m, __u64 *data)
{
	bool write = m->flags & HVCORE_MSG_F_WRITE;
	unsigned int len = m->io.len, i;
	__u64 mask = size_mask(len), val = 0;
	__u16 port = m->io.port;

	if (port >= UART_BASE && port < UART_BASE + UART_PORTS) {
		for (i = 0; i < len; i++) {
			unsigned int p = port + i;

			if (p >= UART_BASE + UART_PORTS)
				val |= 0xffULL << (8 * i);
			else if (write)
				uart_write(w, p - UART_BASE, m->io.data >> (8 * i));
			else
				val |= (__u64)uart_read(w, p - UART_BASE) << (8 * i);
		}
		*data = val;
		return 0;
	}
	if (port == EXIT_PORT && write)
		return guest_exit(w, m->io.data & mask);
	note_port(w, port, write);
	*data = mask;
	return 0;
}

static void handle_mmio(struct worker *w, const struct hvcore_message *m, __u64 *data)
{
	__u64 page = m->mmio.gpa & ~0xfffULL;
	unsigned int i;

	*data = ~0ULL;	/* hvcore keeps the bytes of the access size */
	for (i = 0; i < w->nr_mmio_pages; i++)
		if (w->mmio_pages[i] == page)
			return;
	if (w->nr_mmio_pages == MAX_MMIO_PAGES)
		return;
	w->mmio_pages[w->nr_mmio_pages++] = page;
	hvctl_err("partition %s: the guest %s guest-physical 0x%llx, where there is no memory or device: reads give all-ones, writes are ignored%s",
		  w->name, m->flags & HVCORE_MSG_F_WRITE ? "writes to" : "reads from",
		  (unsigned long long)m->mmio.gpa,
		  w->nr_mmio_pages == MAX_MMIO_PAGES ? " (further pages are not reported)" : "");
}

/* "[guest] text" per line of the guest-log hypercall. */
static void handle_guest_log(struct worker *w, const struct hvcore_message *m)
{
	__u32 len = m->log.len < HVCORE_MSG_LOG_MAX ? m->log.len : HVCORE_MSG_LOG_MAX;
	const char *s = m->log.text, *end = s + len, *nl;

	while (s < end) {
		nl = memchr(s, '\n', end - s);
		if (!nl)
			nl = end;
		fprintf(w->log, "[guest] %.*s\n", (int)(nl - s), s);
		s = nl + 1;
	}
	fflush(w->log);
}

static int complete(struct worker *w, const struct hvcore_message *m,
		    const struct hvcore_complete *answer)
{
	struct hvcore_complete c = *answer;

	c.size = sizeof(c);
	c.seq = m->seq;
	if (ioctl(w->fd, HVCORE_COMPLETE, &c) == 0)
		return 0;
	if (errno == ENOENT)
		return 0;	/* the partition was stopped meanwhile */
	hvctl_err("partition %s: ioctl HVCORE_COMPLETE of message %llu (type %u, VP %u) failed: %s",
		  w->name, (unsigned long long)m->seq, m->type, m->vp, strerror(errno));
	return -1;
}

static int handle_message(struct worker *w, const struct hvcore_message *m)
{
	struct hvcore_complete c;

	memset(&c, 0, sizeof(c));
	switch (m->type) {
	case HVCORE_MSG_IO:
		if (handle_io(w, m, &c.data))
			return -1;
		if (w->exited)
			return 0;	/* stopped: nothing waits for an answer */
		break;
	case HVCORE_MSG_MMIO:
		handle_mmio(w, m, &c.data);
		break;
	case HVCORE_MSG_CPUID:
		break;			/* hvctl forwards no leaves: all zero */
	case HVCORE_MSG_MSR:
		c.flags = HVCORE_COMPLETE_GP;	/* nor MSRs */
		break;
	case HVCORE_MSG_GUEST_LOG:
		handle_guest_log(w, m);
		break;
	case HVCORE_MSG_STATE:
		break;			/* the end is read from PARTITION_INFO */
	default:
		if (m->type < 32 && !(w->types_seen & (1U << m->type))) {
			w->types_seen |= 1U << m->type;
			hvctl_err("partition %s: hvcore sent message type %u, which this hvctl does not know; it is answered with 0",
				  w->name, m->type);
		}
		break;
	}
	if (!(m->flags & HVCORE_MSG_F_COMPLETE))
		return 0;
	return complete(w, m, &c);
}

/* How the partition ended, once read() returned 0: the exit status. */
static int finish(struct worker *w)
{
	struct hvcore_partition_info info;

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	if (ioctl(w->fd, HVCORE_PARTITION_INFO, &info) && errno == ENODEV) {
		hvctl_err("partition %s was deleted; its worker ends", w->name);
		return HVCTL_EXIT_OK;
	}
	if (hvctl_get_partition_info(w->fd, w->name, &info))
		return HVCTL_EXIT_ERROR;
	switch (info.state) {
	case HVCORE_STATE_CRASHED:
		hvctl_print_crash(&info);
		return HVCTL_EXIT_CRASHED;
	case HVCORE_STATE_OFF:
		if (!w->exited)
			hvctl_err("partition %s was stopped from outside the guest", w->name);
		if (info.exit_code == 0)
			return HVCTL_EXIT_OK;
		hvctl_err("partition %s exited with code %u", w->name, info.exit_code);
		return HVCTL_EXIT_GUEST_CODE;
	default:
		hvctl_err("partition %s: hvcore ended the message stream while the partition is %s",
			  w->name, hvctl_state_name(info.state));
		return HVCTL_EXIT_ERROR;
	}
}

/* Serve messages until the partition is off or crashed, or a signal. */
static int serve(struct worker *w)
{
	union {
		struct hvcore_message m;
		char bytes[READ_BATCH * sizeof(struct hvcore_message)];
	} buf;
	struct pollfd pfd[2] = {
		{ .fd = w->fd, .events = POLLIN },
		{ .fd = w->sigfd, .events = POLLIN },
	};
	const struct hvcore_message *m;
	struct signalfd_siginfo si;
	ssize_t n, off;

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			hvctl_err("partition %s: poll failed: %s", w->name, strerror(errno));
			return HVCTL_EXIT_ERROR;
		}
		if ((pfd[1].revents & POLLIN) && read(w->sigfd, &si, sizeof(si)) == sizeof(si))
			return si.ssi_signo == SIGINT ? HVCTL_EXIT_SIGINT : HVCTL_EXIT_SIGTERM;
		n = read(w->fd, buf.bytes, sizeof(buf.bytes));
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == ENODEV)
				hvctl_err("partition %s was deleted while it ran", w->name);
			else
				hvctl_err("partition %s: reading its messages failed: %s",
					  w->name, strerror(errno));
			return HVCTL_EXIT_ERROR;
		}
		if (n == 0) {
			fflush(w->out);
			return finish(w);
		}
		for (off = 0; off < n; off += m->size) {
			m = (const struct hvcore_message *)(buf.bytes + off);
			if (n - off < HVCORE_MESSAGE_SIZE_VER0 ||
			    m->size < HVCORE_MESSAGE_SIZE_VER0 || m->size > n - off) {
				hvctl_err("partition %s: hvcore sent a malformed message (%zd bytes at offset %zd, size field %u)",
					  w->name, n - off, off, m->size);
				return HVCTL_EXIT_ERROR;
			}
			if (handle_message(w, m))
				return HVCTL_EXIT_ERROR;
		}
		if (ferror(w->out)) {
			hvctl_err("partition %s: cannot write the guest's output: %s",
				  w->name, strerror(errno));
			return HVCTL_EXIT_ERROR;
		}
	}
}

static int attach(int fd, const char *name)
{
	struct hvcore_attach a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	if (ioctl(fd, HVCORE_ATTACH_WORKER, &a) == 0)
		return 0;
	if (errno == EBUSY)
		hvctl_err("partition %s already has a worker (another 'hvctl run %s' serves it)",
			  name, name);
	else if (errno == ENOTTY)
		hvctl_err("cannot serve partition %s: this hvcore module does not run partitions yet (HVCORE_ATTACH_WORKER: %s); load a newer one",
			  name, strerror(errno));
	else
		hvctl_err("cannot serve partition %s: ioctl HVCORE_ATTACH_WORKER failed: %s",
			  name, strerror(errno));
	return -1;
}

/* SIGINT and SIGTERM arrive through a signalfd that serve() polls. */
static int catch_signals(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	fd = sigprocmask(SIG_BLOCK, &set, NULL);
	if (!fd)
		fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0)
		hvctl_err("cannot create a signalfd: %s", strerror(errno));
	return fd;
}

/*
 * --detach: fork. The parent prints the child's pid; the child leaves the
 * terminal's session, reads /dev/null and writes standard output and
 * error to the log, so that nothing of the caller's (a pipe a script
 * reads to its end) stays open. Return: 1 in the parent, 0 in the child,
 * -1 after printing why not.
 */
static int detach(FILE *logf, const char *name)
{
	int null, log_fd = fileno(logf);
	pid_t pid;

	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0) {
		hvctl_err("cannot open /dev/null: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		hvctl_err("cannot put the worker of partition %s in the background: fork failed: %s",
			  name, strerror(errno));
		close(null);
		return -1;
	}
	if (pid > 0) {
		close(null);
		printf("%d\n", (int)pid);
		return 1;
	}
	setsid();
	signal(SIGHUP, SIG_IGN);
	if (dup2(null, STDIN_FILENO) < 0 || dup2(log_fd, STDOUT_FILENO) < 0 ||
	    dup2(log_fd, STDERR_FILENO) < 0)
		hvctl_err("partition %s: the detached worker cannot redirect its output: %s",
			  name, strerror(errno));
	close(null);
	if (chdir("/"))
		hvctl_err("partition %s: the detached worker cannot change to /: %s",
			  name, strerror(errno));
	return 0;
}

/**
 * hvctl_run() - the "run" command
 * @args: the command line (target, --log, --detach, --start and the start
 *	options)
 *
 * Return: exit status: 0 when the guest exited with code 0 (or was stopped
 * with code 0), 3 with another code, 4 when it crashed, 130/143 after
 * SIGINT/SIGTERM, 1 on errors; with --detach, 0 once the worker is in the
 * background (its own status goes to the log).
 */
int hvctl_run(const struct hvctl_args *args)
{
	struct hvcore_partition_info info;
	bool detached = false;
	struct worker *w;
	FILE *logf = NULL;
	int fd, ret;

	fd = hvctl_open_partition(args->target, &info);
	if (fd < 0)
		return HVCTL_EXIT_ERROR;
	if (!(args->given & HVCTL_OPT_START) && info.state == HVCORE_STATE_OFF) {
		hvctl_err("partition %s is off; start it with: hvctl run %s --start --image FILE",
			  info.name, info.name);
		close(fd);
		return HVCTL_EXIT_ERROR;
	}
	if (args->log) {
		logf = fopen(args->log, "ae");
		if (!logf) {
			hvctl_err("cannot open log file %s: %s", args->log, strerror(errno));
			close(fd);
			return HVCTL_EXIT_ERROR;
		}
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		hvctl_err("out of memory");
		ret = HVCTL_EXIT_ERROR;
		goto out;
	}
	w->name = info.name;
	w->fd = fd;
	w->sigfd = -1;
	w->out = logf ?: stdout;
	w->log = logf ?: stderr;
	setvbuf(w->out, NULL, _IOLBF, 0);

	if (attach(fd, info.name)) {
		ret = HVCTL_EXIT_ERROR;
		goto out;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)) {
		hvctl_err("partition %s: cannot make its fd non-blocking: %s",
			  info.name, strerror(errno));
		ret = HVCTL_EXIT_ERROR;
		goto out;
	}
	w->sigfd = catch_signals();
	if (w->sigfd < 0) {
		ret = HVCTL_EXIT_ERROR;
		goto out;
	}
	if (args->given & HVCTL_OPT_START) {
		ret = hvctl_start_partition(fd, &info, args);
		if (ret)
			goto out;
	}
	if (args->given & HVCTL_OPT_DETACH) {
		ret = detach(logf, info.name);
		if (ret) {
			ret = ret > 0 ? HVCTL_EXIT_OK : HVCTL_EXIT_ERROR;
			goto out;
		}
		detached = true;
		hvctl_err("worker of partition %s (pid %d) detached, serving it",
			  info.name, (int)getpid());
	}
	ret = serve(w);
	if (ret == HVCTL_EXIT_SIGINT || ret == HVCTL_EXIT_SIGTERM)
		hvctl_err("detached from partition %s on %s; it keeps running, and crashes at its next device access unless 'hvctl run %s' serves it again ('hvctl stop %s --force' stops it)",
			  info.name, ret == HVCTL_EXIT_SIGINT ? "SIGINT" : "SIGTERM", info.name,
			  info.name);
	if (detached)
		hvctl_err("worker of partition %s (pid %d) ends with exit status %d",
			  info.name, (int)getpid(), ret);
out:
	if (w) {
		fflush(w->out);
		if (w->sigfd >= 0)
			close(w->sigfd);
	}
	if (logf && fclose(logf) && !ret) {
		hvctl_err("cannot write log file %s: %s", args->log, strerror(errno));
		ret = HVCTL_EXIT_ERROR;
	}
	close(fd);
	free(w);
	return ret;
}
