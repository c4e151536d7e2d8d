// SPDX-License-Identifier: GPL-2.0-only
/*
 * echo_idle: idle connections to an echo server on 127.0.0.1, for the
 * memory rows of the echo bench (built static on the host).
 *
 *	echo_idle PORT CONNS
 *
 * opens CONNS connections to 127.0.0.1:PORT, makes one 64-byte round trip
 * on each (so that the server has served it, not just accepted it), prints
 * "ready" and then holds them, idle, until it is killed. A connection that
 * fails or an echo that differs is a message on stderr and exit status 1.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

#define SIZE	64

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	unsigned char out[SIZE], in[SIZE];
	int i, n, fd, port, conns;
	ssize_t got;

	if (argc != 3)
		die("usage: echo_idle PORT CONNS");
	port = atoi(argv[1]);
	conns = atoi(argv[2]);
	if (port < 1 || port > 65535 || conns < 1)
		die("bad port or connection count");
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < conns; i++) {
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
			die("connection %d: %s", i, strerror(errno));
		memset(out, i, SIZE);
		if (send(fd, out, SIZE, MSG_NOSIGNAL) != SIZE)
			die("send %d: %s", i, strerror(errno));
		for (n = 0; n < SIZE; n += got) {
			got = recv(fd, in + n, SIZE - n, 0);
			if (got <= 0)
				die("echo %d: %s", i,
				    got ? strerror(errno) : "end of file");
		}
		if (memcmp(in, out, SIZE))
			die("echo %d differs", i);
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
