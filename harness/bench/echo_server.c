// SPDX-License-Identifier: GPL-2.0-only
/*
 * echo_server: the user-space baseline of tour_echo, in the guest of `make
 * bench` (built static on the host). "echo_server PORT" listens on
 * 0.0.0.0:PORT and sends every byte it receives back to its sender, as the
 * kernel's tour_echo does on port 8080.
 *
 * It is meant to be as good as the kernel server, so that the comparison is
 * fair: one thread per online CPU, each with its own SO_REUSEPORT listener
 * (the kernel spreads the incoming connections over them) and its own
 * epoll set, so the threads share nothing; non-blocking sockets with
 * TCP_NODELAY; one 16 KiB buffer per connection.
 *
 * The epoll sets are level-triggered, and a connection waits for one event
 * at a time: EPOLLIN while its buffer is empty, EPOLLOUT while an echo is
 * pending. A readable connection gets one recv() and the echo's send() per
 * event, which is all a small message costs (edge-triggered would need a
 * recv() until EAGAIN more), and one busy connection cannot starve the
 * others. A short send() switches the connection to EPOLLOUT: it reads
 * nothing more until its echo is gone, so a client that does not read its
 * echoes is held back by TCP's own flow control.
 *
 * End of file from the client (which can only be seen with the buffer
 * empty) shuts the connection down for writing and closes it; an error or a
 * reset closes it. "echo_server: listening on PORT" goes to stdout once
 * every listener is bound; then it runs until it is killed.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

#define BUF_SIZE	(16 * 1024)
#define MAX_EVENTS	64
#define BACKLOG		1024

/* A connection: its echo pending in buf[off..len) */
struct conn {
	int fd;
	unsigned int len;
	unsigned int off;
	char buf[BUF_SIZE];
};

/* A thread's own listener and epoll set. */
struct worker {
	pthread_t thread;
	int lfd;
	int epfd;
	int accept_warned;
};

static void conn_close(struct conn *c)
{
	/* close() takes the socket out of the epoll set too. */
	close(c->fd);
	free(c);
}

/* Wait for @events on @c: EPOLLIN or EPOLLOUT. */
static int conn_wait(struct worker *w, struct conn *c, unsigned int events)
{
	struct epoll_event ev = { .events = events, .data.ptr = c };

	return epoll_ctl(w->epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/*
 * Send what is pending: 1 when it is all gone, 0 when the socket is full,
 * -1 on an error.
 */
static int conn_flush(struct conn *c)
{
	while (c->off < c->len) {
		ssize_t n = send(c->fd, c->buf + c->off, c->len - c->off,
				 MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? 0 : -1;
		}
		c->off += n;
	}
	c->off = 0;
	c->len = 0;
	return 1;
}

/* A connection is readable (EPOLLIN), or has room again (EPOLLOUT). */
static void conn_event(struct worker *w, struct conn *c)
{
	int pending = c->len > 0;
	ssize_t n;
	int ret;

	if (!pending) {
		n = recv(c->fd, c->buf, BUF_SIZE, 0);
		if (n == 0) {
			/* Half-close: nothing is pending, so we are done. */
			shutdown(c->fd, SHUT_WR);
			conn_close(c);
			return;
		}
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			conn_close(c);
			return;
		}
		c->len = n;
	}

	ret = conn_flush(c);
	if (ret < 0) {
		conn_close(c);
	} else if (ret == 0 && !pending) {
		/* A short send: hold the reads back until it is gone. */
		if (conn_wait(w, c, EPOLLOUT))
			conn_close(c);
	} else if (ret == 1 && pending) {
		if (conn_wait(w, c, EPOLLIN))
			conn_close(c);
	}
}

/* Take the connections waiting on the listener. */
static void accept_all(struct worker *w)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct conn *c;
	int fd, one = 1;

	for (;;) {
		fd = accept4(w->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EAGAIN || errno == EINTR ||
			    errno == ECONNABORTED)
				return;
			/* Out of descriptors or memory: say it once, retry. */
			if (!w->accept_warned++)
				fprintf(stderr, "echo_server: accept: %s\n",
					strerror(errno));
			return;
		}
		c = malloc(sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->len = 0;
		c->off = 0;
		ev.data.ptr = c;
		if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
			       sizeof(one)) ||
		    epoll_ctl(w->epfd, EPOLL_CTL_ADD, fd, &ev))
			conn_close(c);
	}
}

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	struct epoll_event evs[MAX_EVENTS];
	int i, n;

	for (;;) {
		n = epoll_wait(w->epfd, evs, MAX_EVENTS, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait: %s", strerror(errno));
		}
		for (i = 0; i < n; i++) {
			if (evs[i].data.ptr)
				conn_event(w, evs[i].data.ptr);
			else
				accept_all(w);
		}
	}
	return NULL;
}

/* A listener on 0.0.0.0:@port, in an epoll set of its own (data.ptr NULL). */
static void worker_init(struct worker *w, int port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	int one = 1;

	w->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (w->lfd < 0)
		die("socket: %s", strerror(errno));
	if (setsockopt(w->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(w->lfd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)))
		die("setsockopt: %s", strerror(errno));
	if (bind(w->lfd, (struct sockaddr *)&sin, sizeof(sin)))
		die("bind to port %d: %s", port, strerror(errno));
	if (listen(w->lfd, BACKLOG))
		die("listen: %s", strerror(errno));
	w->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (w->epfd < 0)
		die("epoll_create1: %s", strerror(errno));
	if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->lfd, &ev))
		die("epoll_ctl: %s", strerror(errno));
	w->accept_warned = 0;
}

int main(int argc, char **argv)
{
	struct worker *workers;
	long i, nr;
	char *end;
	long port;

	if (argc != 2)
		die("usage: echo_server PORT");
	port = strtol(argv[1], &end, 10);
	if (*argv[1] == '\0' || *end || port < 1 || port > 65535)
		die("bad port %s", argv[1]);
	nr = sysconf(_SC_NPROCESSORS_ONLN);
	if (nr < 1)
		nr = 1;
	workers = calloc(nr, sizeof(*workers));
	if (!workers)
		die("out of memory");

	/* Every listener is bound before the first connection is accepted. */
	for (i = 0; i < nr; i++)
		worker_init(&workers[i], port);
	for (i = 1; i < nr; i++) {
		int err = pthread_create(&workers[i].thread, NULL, worker_run,
					 &workers[i]);

		if (err)
			die("pthread_create: %s", strerror(err));
	}
	printf("echo_server: listening on %ld\n", port);
	fflush(stdout);
	worker_run(&workers[0]);
	return 0;
}
