// SPDX-License-Identifier: GPL-2.0
/*
 * hvcore bench: two reference points of the test host itself, to read
 * the hypervisors' figures against (Documentation/performance.rst):
 *   syscall   getppid(): the cheapest kernel entry and return
 *   handoff   a byte sent back and forth between two threads over two
 *             pipes: on one CPU, two sleeps, two wake-ups and two context
 *             switches per round trip, the shape of any path where one
 *             thread hands work to another and waits for the answer
 * Prints TAP and "BENCH ref <name> ns=<per round trip> rounds=<n>".
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define SYSCALL_ROUNDS	100000UL
#define HANDOFF_ROUNDS	10000UL

static int to_peer[2], from_peer[2];

static void *peer_main(void *arg)
{
	char c;

	while (read(to_peer[0], &c, 1) == 1)
		if (write(from_peer[1], &c, 1) != 1)
			break;
	return NULL;
}

static void report(int num, const char *name, unsigned long rounds, __u64 ns)
{
	printf("BENCH ref %s ns=%.1f rounds=%lu\n", name, (double)ns / rounds, rounds);
	printf("ok %d ref %s\n", num, name);
}

int main(void)
{
	pthread_t peer;
	unsigned long i;
	__u64 t0, t1;
	char c = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..2\n");

	t0 = bench_now_ns();
	for (i = 0; i < SYSCALL_ROUNDS; i++)
		getppid();
	t1 = bench_now_ns();
	report(1, "syscall", SYSCALL_ROUNDS, t1 - t0);

	if (pipe(to_peer) || pipe(from_peer) ||
	    pthread_create(&peer, NULL, peer_main, NULL)) {
		printf("not ok 2 ref handoff # setting up: %s\n", strerror(errno));
		return 1;
	}
	/* Warm up, then measure. */
	for (i = 0; i < 100; i++)
		if (write(to_peer[1], &c, 1) != 1 || read(from_peer[0], &c, 1) != 1)
			goto broken;
	t0 = bench_now_ns();
	for (i = 0; i < HANDOFF_ROUNDS; i++)
		if (write(to_peer[1], &c, 1) != 1 || read(from_peer[0], &c, 1) != 1)
			goto broken;
	t1 = bench_now_ns();
	report(2, "handoff", HANDOFF_ROUNDS, t1 - t0);
	close(to_peer[1]);
	pthread_join(peer, NULL);
	return 0;
broken:
	printf("not ok 2 ref handoff # %s\n", strerror(errno));
	return 1;
}
