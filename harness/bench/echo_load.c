// SPDX-License-Identifier: GPL-2.0-only
/*
 * echo_load: load for an echo server on 127.0.0.1, in the guest of `make
 * bench` (built static on the host).
 *
 *	echo_load PORT CONNS ROUNDS SIZE [SEED]
 *
 * opens CONNS connections to 127.0.0.1:PORT, all of them before the first
 * byte is sent, then each one makes ROUNDS round trips: it sends a message
 * of SIZE pseudo-random bytes (from SEED, 1 by default, and the
 * connection's number; NUL bytes included, one at least), reads SIZE bytes
 * back and compares them with what it sent. A connection has one message
 * out at a time and every connection has one out at once; one epoll loop
 * drives them all, sending and reading at the same time, so a message
 * larger than the sockets' buffers goes through as well.
 *
 * A warm-up of ROUNDS / 10 round trips (one at least) on every connection
 * comes first and is left out of the figures. Then it prints one line:
 *
 *	conns=C warmup=W msgs=N secs=S msgs_per_s=X p50_us=Y p99_us=Z
 *
 * W warm-up round trips in all, then N round trips (C * ROUNDS) in S
 * seconds of CLOCK_MONOTONIC, and the
 * median and 99th percentile (nearest rank) of their times, each from the
 * send of the message's first byte to the read of its echo's last, and
 * exits 0. A wrong byte, an early end of file, an error or 30 s without
 * progress is a message on stderr and exit status 1.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define MAX_EVENTS	256
#define STALL_MS	30000

struct conn {
	int fd;
	int id;
	unsigned int events;		/* what epoll waits for; 0: none */
	long round;			/* round trips done in this phase */
	size_t sent;			/* of this round's message */
	size_t recvd;
	double t0;			/* when its first byte went */
	uint64_t rng;
	unsigned char *tx;
	unsigned char *rx;
};

static size_t size;
static int epfd;
static double *lat;			/* the timed round trips, us */
static long nlat;

/* xorshift64*: the bytes of the messages. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static long parse(const char *s, const char *what, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end || errno || v < min || v > max)
		die("bad %s %s (%ld to %ld)", what, s, min, max);
	return v;
}

static void set_events(struct conn *c, unsigned int events)
{
	struct epoll_event ev = { .events = events, .data.ptr = c };
	int op;

	if (events == c->events)
		return;
	op = !c->events ? EPOLL_CTL_ADD : !events ? EPOLL_CTL_DEL :
	     EPOLL_CTL_MOD;
	if (epoll_ctl(epfd, op, c->fd, &ev))
		die("epoll_ctl: %s", strerror(errno));
	c->events = events;
}

/* Send what the socket takes of the message. */
static void send_some(struct conn *c)
{
	ssize_t n;

	while (c->sent < size) {
		n = send(c->fd, c->tx + c->sent, size - c->sent, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			die("connection %d: send: %s", c->id, strerror(errno));
		}
		c->sent += n;
	}
	set_events(c, EPOLLIN | (c->sent < size ? EPOLLOUT : 0));
}

static void start_round(struct conn *c)
{
	uint64_t r;
	size_t i;

	for (i = 0; i < size; i += sizeof(r)) {
		r = next_rand(&c->rng);
		memcpy(c->tx + i, &r, size - i < sizeof(r) ? size - i :
		       sizeof(r));
	}
	c->tx[next_rand(&c->rng) % size] = 0;
	c->sent = 0;
	c->recvd = 0;
	c->t0 = now();
	send_some(c);
}

/* Read what has come of the echo; return 1 when it is whole. */
static int recv_some(struct conn *c)
{
	ssize_t n;

	while (c->recvd < size) {
		n = recv(c->fd, c->rx + c->recvd, size - c->recvd, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			die("connection %d: recv: %s", c->id, strerror(errno));
		}
		if (n == 0)
			die("connection %d: end of file after %zu of %zu bytes, round %ld",
			    c->id, c->recvd, size, c->round + 1);
		c->recvd += n;
		if (c->recvd > c->sent)
			die("connection %d: %zu bytes back of %zu sent",
			    c->id, c->recvd, c->sent);
	}
	return 1;
}

/* Check a whole echo against its message. */
static void check_echo(struct conn *c)
{
	size_t i;

	if (!memcmp(c->tx, c->rx, size))
		return;
	for (i = 0; c->tx[i] == c->rx[i]; i++)
		;
	die("connection %d: round %ld: byte %zu is 0x%02x, sent 0x%02x",
	    c->id, c->round + 1, i, c->rx[i], c->tx[i]);
}

/* @rounds round trips on each connection; @timed: record their times. */
static double run_phase(struct conn *conns, int nconns, long rounds,
			int timed)
{
	struct epoll_event evs[MAX_EVENTS];
	int i, n, active = nconns;
	unsigned int ev;
	double t = now(), t1;
	struct conn *c;

	for (i = 0; i < nconns; i++) {
		conns[i].round = 0;
		start_round(&conns[i]);
	}
	while (active) {
		n = epoll_wait(epfd, evs, MAX_EVENTS, STALL_MS);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait: %s", strerror(errno));
		}
		if (n == 0)
			die("no progress for %d s, %d connection(s) waiting",
			    STALL_MS / 1000, active);
		for (i = 0; i < n; i++) {
			c = evs[i].data.ptr;
			ev = evs[i].events;
			if (c->sent < size && ev & EPOLLOUT)
				send_some(c);
			if (!(ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) ||
			    !recv_some(c))
				continue;
			t1 = now();
			check_echo(c);
			if (timed)
				lat[nlat++] = (t1 - c->t0) * 1e6;
			if (++c->round < rounds) {
				start_round(c);
			} else {
				set_events(c, 0);
				active--;
			}
		}
	}
	return now() - t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The @p-th percentile, nearest rank, of the sorted lat[]. */
static double percentile(int p)
{
	return lat[(nlat * p + 99) / 100 - 1];
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	long rounds, warm, port, seed = 1;
	int i, nconns, one = 1;
	struct conn *conns;
	double secs;

	if (argc != 5 && argc != 6)
		die("usage: echo_load PORT CONNS ROUNDS SIZE [SEED]");
	port = parse(argv[1], "port", 1, 65535);
	nconns = parse(argv[2], "connection count", 1, 100000);
	rounds = parse(argv[3], "round count", 1, 100000000 / nconns);
	size = parse(argv[4], "size", 1, 64 << 20);
	if (argc == 6)
		seed = parse(argv[5], "seed", 0, 0x7fffffff);
	warm = rounds / 10 > 1 ? rounds / 10 : 1;

	conns = calloc(nconns, sizeof(*conns));
	lat = malloc(nconns * rounds * sizeof(*lat));
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!conns || !lat)
		die("out of memory");
	if (epfd < 0)
		die("epoll_create1: %s", strerror(errno));

	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < nconns; i++) {
		struct conn *c = &conns[i];

		c->id = i;
		c->rng = (seed + 1) * 0x9e3779b97f4a7c15ULL ^
			 (i + 1) * 0xbf58476d1ce4e5b9ULL;
		c->tx = malloc(size);
		c->rx = malloc(size);
		if (!c->tx || !c->rx)
			die("out of memory");
		c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (c->fd < 0)
			die("socket: %s", strerror(errno));
		if (connect(c->fd, (struct sockaddr *)&sin, sizeof(sin)))
			die("connect %d to 127.0.0.1:%ld: %s", i, port,
			    strerror(errno));
		if (setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one,
			       sizeof(one)) ||
		    fcntl(c->fd, F_SETFL, O_NONBLOCK))
			die("connection %d: %s", i, strerror(errno));
	}

	run_phase(conns, nconns, warm, 0);
	secs = run_phase(conns, nconns, rounds, 1);
	qsort(lat, nlat, sizeof(*lat), cmp_double);
	printf("conns=%d warmup=%ld msgs=%ld secs=%.3f msgs_per_s=%.1f p50_us=%.1f p99_us=%.1f\n",
	       nconns, nconns * warm, nlat, secs, nlat / secs, percentile(50),
	       percentile(99));

	for (i = 0; i < nconns; i++) {
		if (close(conns[i].fd))
			die("close: %s", strerror(errno));
		free(conns[i].tx);
		free(conns[i].rx);
	}
	close(epfd);
	free(conns);
	free(lat);
	return 0;
}
