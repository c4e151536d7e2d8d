// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test samples/tour/tour_echo, an in-kernel TCP echo server, over loopback
 * and through /proc/tour_echo: the file's mode and lines, binary payloads up
 * to 64 KiB echoed byte for byte with exact byte counts, 1000 connections in
 * turn and 256 at once, clients that reset in the middle of an echo or right
 * after they connect, that never read, that half-close, that vanish or that
 * stay idle, max_conns and the resets past it, 10000 connections in bursts
 * past it, the parameters' values, and unloading with clients connected.
 * After each, the server must have no socket left on its port but its
 * listener and those in TIME_WAIT.
 *
 * The server closes its side of a connection after the client, when it gets
 * to it: checks of the counts wait for them to settle. Tests that load the
 * module with other parameters load it back with none when they end.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"

#define PROC		"/proc/tour_echo"
#define MODULE_DIR	"/sys/module/tour_echo"
#define INITSTATE	MODULE_DIR "/initstate"
#define LOOPBACK	"127.0.0.1"	/* the module's defaults */
#define PORT		8080
#define MAX_CONNS	256
#define OTHER_LOOPBACK	"127.0.0.2"	/* on lo too, not the default addr */
#define ALT_PORT	9090
#define SMALL_MAX	4
#define SEQUENTIAL	1000
#define RESETS		50
#define CLIENTS		10
#define CHURN_THREADS	8	/* clients at once that reset early */
#define CHURN_EACH	40	/* the connections each makes */
#define CHURN_US	20000	/* the most each waits before its reset */
#define HALF		10000
#define FILL_MAX	(256L << 20)	/* more than any socket buffers hold */
#define IO_MS		5000	/* for the server to answer */
#define FULL_MS		200	/* a send buffer full that long stays full */
#define WAIT_MS		5000	/* for counts to settle */
#define SETTLE_MS	100	/* then for counts that should not change */
#define CMD_SECS	10	/* for rmmod and modprobe */
#define DEAD_MS		10000	/* for keepalive=1 to drop a vanished client */
#define BURSTS		20	/* of connections past max_conns ... */
#define BURST		500	/* ... each this many at once */
#define SILENT_MS	4000	/* more than (2 probes + 1) * 1 s */
#define TCP_TIME_WAIT	0x06	/* states in /proc/net/tcp */
#define TCP_LISTEN	0x0a
#define FORMAT		"port: %u\nmax_conns: %u\nconnections: %llu\n" \
			"accepted: %llu\nrefused: %llu\nbytes: %llu\n"

/* The lines of /proc/tour_echo. */
struct stats {
	char addr[16];
	unsigned int port;
	unsigned int max_conns;
	unsigned long long connections;
	unsigned long long accepted;
	unsigned long long refused;
	unsigned long long bytes;
};

/* Read the file into *s; false if it cannot or it is not the six lines. */
static bool read_stats(struct stats *s)
{
	char buf[512], want[512];
	ssize_t n;
	int fd;

	memset(s, 0, sizeof(*s));
	fd = open(PROC, O_RDONLY);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	if (sscanf(buf, "addr: %15[0-9.]\n" FORMAT, s->addr, &s->port,
		   &s->max_conns, &s->connections, &s->accepted, &s->refused,
		   &s->bytes) != 7)
		return false;
	snprintf(want, sizeof(want), "addr: %s\n" FORMAT, s->addr, s->port,
		 s->max_conns, s->connections, s->accepted, s->refused,
		 s->bytes);
	return !strcmp(buf, want);
}

/*
 * Wait up to ms for *field, a count in *s, to read want, then SETTLE_MS
 * more: whether it still does. *s holds the last read.
 */
static bool settle_within(struct stats *s, unsigned long long *field,
			  unsigned long long want, int ms)
{
	int i;

	for (i = 0; i < ms / 10; i++) {
		if (read_stats(s) && *field == want)
			break;
		usleep(10000);
	}
	usleep(SETTLE_MS * 1000);
	return read_stats(s) && *field == want;
}

static bool settle(struct stats *s, unsigned long long *field,
		   unsigned long long want)
{
	return settle_within(s, field, want, WAIT_MS);
}

/*
 * Wait up to WAIT_MS for /proc/net/tcp to show, of the sockets whose local
 * port is port, listen listeners on ip and all others in TIME_WAIT. The
 * listeners it last showed go in *found, the state of another in *bad.
 */
static bool wait_tcp(const char *ip, int port, int listen, int *found,
		     int *bad)
{
	unsigned int addr, lport, state;
	char line[256];
	int i;
	FILE *f;

	for (i = 0; i < WAIT_MS / 10; i++, usleep(10000)) {
		f = fopen("/proc/net/tcp", "r");
		if (!f)
			return false;
		*found = *bad = 0;
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, " %*u: %x:%x %*x:%*x %x", &addr, &lport,
				   &state) != 3 || lport != (unsigned int)port)
				continue;
			/* The address as it is in memory, like inet_addr()'s. */
			if (state == TCP_LISTEN && addr == inet_addr(ip))
				(*found)++;
			else if (state != TCP_TIME_WAIT)
				*bad = state;
		}
		fclose(f);
		if (*found == listen && !*bad)
			return true;
	}
	return false;
}

/*
 * Expect the server on port to come to no connection, with no socket left
 * but its listener, on the address /proc/tour_echo gives, and those in
 * TIME_WAIT (CLOSE_WAIT, say, would be a connection it never closed).
 */
static void check_idle(struct __test_metadata *_metadata, int port)
{
	struct stats s;
	int found, bad;

	EXPECT_TRUE(settle(&s, &s.connections, 0))
		TH_LOG("connections: %llu", s.connections);
	EXPECT_TRUE(wait_tcp(s.addr, port, 1, &found, &bad))
		TH_LOG("%s:%d: %d listeners, a socket in state %02X",
		       s.addr, port, found, bad);
}

/* A TCP connection to ip:port, or -1 with errno set. */
static int connect_at(const char *ip, int port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = inet_addr(ip),
	};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || !connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
		return fd;
	close(fd);	/* which leaves errno alone */
	return -1;
}

/* A TCP connection to 127.0.0.1:port, or -1 with errno set. */
static int connect_to(int port)
{
	return connect_at(LOOPBACK, port);
}

/* Fill buf with pseudo-random bytes of seed, about a quarter NUL. */
static void fill(unsigned char *buf, size_t len, unsigned int seed)
{
	unsigned int x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (x >> 8) & 3 ? x >> 24 : 0;
	}
}

/*
 * Send the len bytes of out (if not NULL) on fd while reading len bytes
 * into in, with poll: a large echo does not fit in the socket buffers. The
 * bytes read: fewer if the connection ends or stalls for IO_MS.
 */
static size_t echo_io(int fd, const unsigned char *out, unsigned char *in,
		      size_t len)
{
	size_t sent = out ? 0 : len, got = 0;
	struct pollfd p = { .fd = fd };
	ssize_t n;

	while (got < len) {
		p.events = POLLIN | (sent < len ? POLLOUT : 0);
		if (poll(&p, 1, IO_MS) != 1)
			break;
		if (p.revents & POLLOUT) {
			n = send(fd, out + sent, len - sent,
				 MSG_DONTWAIT | MSG_NOSIGNAL);
			if (n < 0 && errno != EAGAIN)
				break;
			sent += n > 0 ? n : 0;
		}
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			n = recv(fd, in + got, len - got, MSG_DONTWAIT);
			if (!n || (n < 0 && errno != EAGAIN))
				break;
			got += n > 0 ? n : 0;
		}
	}
	return got;
}

/* Whether len bytes of the pattern of seed come back on fd unchanged. */
static bool echo_ok(int fd, size_t len, unsigned int seed)
{
	unsigned char *out = malloc(len), *in = malloc(len);
	bool ok = out && in;

	if (ok) {
		fill(out, len, seed);
		ok = echo_io(fd, out, in, len) == len && !memcmp(out, in, len);
	}
	free(out);
	free(in);
	return ok;
}

/*
 * Read fd until the connection ends, each read waiting up to IO_MS, into
 * buf up to size bytes (the rest is dropped). The bytes read go in *got;
 * return 0 on EOF, ECONNRESET on a reset, -1 on anything else.
 */
static int read_to_end(int fd, void *buf, size_t size, size_t *got)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char scratch[4096];
	ssize_t n;

	for (*got = 0; poll(&p, 1, IO_MS) == 1; *got += n) {
		if (*got < size)
			n = recv(fd, (char *)buf + *got, size - *got, 0);
		else
			n = recv(fd, scratch, sizeof(scratch), 0);
		if (!n)
			return 0;
		if (n < 0)
			return errno == ECONNRESET ? ECONNRESET : -1;
	}
	return -1;
}

/*
 * Send on fd, never reading, until limit bytes went or its send buffer
 * stays full for FULL_MS: the bytes sent, or -1 if a send fails.
 */
static long send_upto(int fd, long limit)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	static char chunk[65536];
	long sent = 0;
	ssize_t n;

	while (sent < limit) {
		n = send(fd, chunk, limit - sent < (long)sizeof(chunk) ?
			 limit - sent : (long)sizeof(chunk),
			 MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n > 0)
			sent += n;
		else if (errno != EAGAIN)
			return -1;
		else if (!poll(&p, 1, FULL_MS))
			break;
	}
	return sent;
}

/* Run cmd with sh: its exit status, or -1 if it did not end within secs. */
static int run_within(const char *cmd, int secs)
{
	pid_t pid = fork();
	int i, status;

	if (pid < 0)
		return -1;
	if (!pid) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < secs * 100; i++, usleep(10000))
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	/* No use if it is stuck in the kernel: the test fails anyway. */
	kill(pid, SIGKILL);
	return -1;
}

/* The output of cmd and its stderr in out: its wait status, or -1. */
static int run_output(const char *cmd, char *out, size_t size)
{
	FILE *f = popen(cmd, "r");
	size_t len;

	out[0] = '\0';
	if (!f)
		return -1;
	len = fread(out, 1, size - 1, f);
	out[len] = '\0';
	return pclose(f);
}

/* Put in msg the distinct message of connection i: its length. */
static size_t message(unsigned char *msg, int i)
{
	return snprintf((char *)msg, 64, "connection %d %.*s", i, i % 40,
			"........................................");
}

/* Whether the module is loadable, not built in. */
static bool is_module(void)
{
	return !access(INITSTATE, F_OK);
}

/* Unload the module if loaded, then load it with params: whether it is. */
static bool reload(const char *params)
{
	char cmd[128];

	if (!access(MODULE_DIR, F_OK) &&
	    run_within("rmmod tour_echo", CMD_SECS))
		return false;
	snprintf(cmd, sizeof(cmd), "modprobe tour_echo %s", params);
	return !run_within(cmd, CMD_SECS) && !access(PROC, F_OK);
}

/*
 * A load with params fails with err, in modprobe's words, and leaves no
 * module behind (one that stayed is unloaded, for the next load).
 */
static void refused(struct __test_metadata *_metadata, const char *params,
		    int err)
{
	char cmd[128], out[512];

	snprintf(cmd, sizeof(cmd), "modprobe tour_echo %s 2>&1", params);
	EXPECT_NE(0, run_output(cmd, out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, strerror(err)))
		TH_LOG("%s: modprobe said: %s", params, out);
	EXPECT_NE(0, access(MODULE_DIR, F_OK)) {
		TH_LOG("loaded with %s", params);
		run_within("rmmod tour_echo", CMD_SECS);
	}
}

/* Whether the counts are those of a module just loaded on ip:port. */
static bool fresh(const char *ip, int port, unsigned int max_conns)
{
	struct stats s;

	return read_stats(&s) && !strcmp(s.addr, ip) &&
	       s.port == (unsigned int)port &&
	       s.max_conns == max_conns && !s.connections && !s.accepted &&
	       !s.refused && !s.bytes;
}

FIXTURE(echo) {
	struct stats before;	/* the counts when the test starts */
	bool reloaded;		/* load the module with no parameters at the end */
};

FIXTURE_SETUP(echo)
{
	signal(SIGPIPE, SIG_IGN);
	if (access(PROC, F_OK))
		system("modprobe -q tour_echo");
	if (access(PROC, F_OK))
		SKIP(return, "no " PROC " (CONFIG_SAMPLE_TOUR_ECHO)");
	ASSERT_TRUE(settle(&self->before, &self->before.connections, 0))
		TH_LOG("connections: %llu", self->before.connections);
}

FIXTURE_TEARDOWN(echo)
{
	if (!self->reloaded)
		return;
	EXPECT_TRUE(reload("")) TH_LOG("cannot load tour_echo back");
}

TEST_F(echo, file_is_0444_with_defaults)
{
	struct stat st;

	ASSERT_EQ(0, stat(PROC, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(0444u, st.st_mode & 07777);
	EXPECT_EQ(0u, st.st_uid);
	EXPECT_STREQ(LOOPBACK, self->before.addr);
	EXPECT_EQ(PORT, (int)self->before.port);
	EXPECT_EQ(MAX_CONNS, (int)self->before.max_conns);
	EXPECT_LE(self->before.refused, self->before.accepted);
}

/* Payloads of every size, NUL bytes and all, on one connection. */
TEST_F(echo, binary_payloads)
{
	static const size_t lens[] = { 1, 2, 100, 1000, 4096, 16384, 65536 };
	unsigned int seed = time(NULL);
	unsigned long long sum = 0;
	struct pollfd p;
	struct stats s;
	size_t i;
	int fd;

	TH_LOG("seed %u", seed);
	fd = connect_to(PORT);
	ASSERT_LE(0, fd);
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		EXPECT_TRUE(echo_ok(fd, lens[i], seed + i))
			TH_LOG("%zu bytes", lens[i]);
		sum += lens[i];
	}
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	EXPECT_EQ(0, poll(&p, 1, SETTLE_MS)) TH_LOG("more echo than sent");
	EXPECT_TRUE(settle(&s, &s.bytes, self->before.bytes + sum))
		TH_LOG("bytes: %llu, want %llu", s.bytes,
		       self->before.bytes + sum);
	close(fd);
	check_idle(_metadata, PORT);
}

TEST_F_TIMEOUT(echo, sequential_connections, 120)
{
	struct stats s;
	int i, fd;
	bool ok;

	for (i = 0; i < SEQUENTIAL; i++) {
		fd = connect_to(PORT);
		ASSERT_LE(0, fd) TH_LOG("connection %d: %s", i, strerror(errno));
		ok = echo_ok(fd, 100, i);
		close(fd);
		ASSERT_TRUE(ok) TH_LOG("connection %d", i);
	}
	check_idle(_metadata, PORT);
	EXPECT_TRUE(settle(&s, &s.bytes, self->before.bytes + 100 * i));
	EXPECT_EQ(self->before.accepted + SEQUENTIAL, s.accepted);
	EXPECT_EQ(self->before.refused, s.refused);
}

/* max_conns connections at once: all send, then each reads its own echo. */
TEST_F_TIMEOUT(echo, concurrent_connections, 120)
{
	unsigned char msg[64], got[64];
	int fds[MAX_CONNS], i;
	struct rlimit rl;
	struct stats s;
	size_t len;

	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &rl));
	if (rl.rlim_cur < 2 * MAX_CONNS) {
		rl.rlim_cur = 2 * MAX_CONNS;
		if (rl.rlim_max < rl.rlim_cur)
			rl.rlim_max = rl.rlim_cur;
		ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	}
	for (i = 0; i < MAX_CONNS; i++) {
		fds[i] = connect_to(PORT);
		ASSERT_LE(0, fds[i]) TH_LOG("connection %d", i);
	}
	EXPECT_TRUE(settle(&s, &s.connections, MAX_CONNS))
		TH_LOG("connections: %llu", s.connections);
	for (i = 0; i < MAX_CONNS; i++) {
		len = message(msg, i);
		EXPECT_EQ((ssize_t)len, send(fds[i], msg, len, MSG_NOSIGNAL));
	}
	for (i = 0; i < MAX_CONNS; i++) {
		len = message(msg, i);
		EXPECT_TRUE(echo_io(fds[i], NULL, got, len) == len &&
			    !memcmp(msg, got, len)) TH_LOG("connection %d", i);
	}
	for (i = 0; i < MAX_CONNS; i++)
		close(fds[i]);
	check_idle(_metadata, PORT);
	ASSERT_TRUE(read_stats(&s));
	EXPECT_EQ(self->before.accepted + MAX_CONNS, s.accepted);
	EXPECT_EQ(self->before.refused, s.refused);
}

/* Clients reset their connection with SO_LINGER 0 in the middle of echoes. */
TEST_F_TIMEOUT(echo, clients_reset_mid_echo, 60)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	unsigned char buf[4096];
	struct stats s;
	int i, fd;

	for (i = 0; i < RESETS; i++) {
		fd = connect_to(PORT);
		ASSERT_LE(0, fd);
		EXPECT_LT(0, send_upto(fd, 65536));
		EXPECT_EQ(sizeof(buf), echo_io(fd, NULL, buf, sizeof(buf)));
		ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg,
					sizeof(lg)));
		close(fd);
	}
	fd = connect_to(PORT);
	ASSERT_LE(0, fd);
	EXPECT_TRUE(echo_ok(fd, 1000, 1)) TH_LOG("no echo after the resets");
	close(fd);
	check_idle(_metadata, PORT);
	ASSERT_TRUE(read_stats(&s));
	EXPECT_EQ(self->before.accepted + RESETS + 1, s.accepted);
	EXPECT_EQ(self->before.refused, s.refused);
}

/* A client of resets_early: its seed, and the connections it made. */
struct churner {
	pthread_t thread;
	unsigned int seed;
	int connected;
	int failed;	/* connect(), send() or setsockopt() calls */
};

/*
 * CHURN_EACH times: connect, send a byte, wait up to CHURN_US and reset,
 * so that the reset may come while the server still sets the connection
 * up.
 */
static void *churn(void *arg)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	struct churner *c = arg;
	int i, fd;

	for (i = 0; i < CHURN_EACH; i++) {
		fd = connect_to(PORT);
		if (fd < 0) {
			c->failed++;
			continue;
		}
		c->connected++;
		if (send(fd, "x", 1, MSG_NOSIGNAL) != 1)
			c->failed++;
		usleep(rand_r(&c->seed) % CHURN_US);
		if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)))
			c->failed++;
		close(fd);
	}
	return NULL;
}

/*
 * CHURN_THREADS clients at once reset their connections right after they
 * open them: the server closes each one, still echoes, and unloads.
 */
TEST_F_TIMEOUT(echo, resets_early, 120)
{
	struct churner c[CHURN_THREADS] = {};
	unsigned int seed = time(NULL);
	int i, fd, connected = 0, failed = 0;
	struct stats s;

	TH_LOG("seed %u", seed);
	for (i = 0; i < CHURN_THREADS; i++) {
		c[i].seed = seed + i;
		ASSERT_EQ(0, pthread_create(&c[i].thread, NULL, churn, &c[i]));
	}
	for (i = 0; i < CHURN_THREADS; i++) {
		pthread_join(c[i].thread, NULL);
		connected += c[i].connected;
		failed += c[i].failed;
	}
	EXPECT_EQ(0, failed);
	check_idle(_metadata, PORT);
	fd = connect_to(PORT);
	ASSERT_LE(0, fd);
	EXPECT_TRUE(echo_ok(fd, 1000, 5)) TH_LOG("no echo after the resets");
	close(fd);
	check_idle(_metadata, PORT);
	ASSERT_TRUE(read_stats(&s));
	EXPECT_EQ(self->before.accepted + connected + 1, s.accepted);
	EXPECT_EQ(self->before.refused, s.refused);
	if (!is_module())
		return;
	self->reloaded = true;
	EXPECT_EQ(0, run_within("rmmod tour_echo", CMD_SECS))
		TH_LOG("rmmod hangs or fails");
}

/* A client that never reads does not hold up another. */
TEST_F_TIMEOUT(echo, client_never_reads, 60)
{
	struct stats s;
	int stuck, fd;
	long sent;

	stuck = connect_to(PORT);
	ASSERT_LE(0, stuck);
	sent = send_upto(stuck, FILL_MAX);
	EXPECT_LT(0, sent);
	EXPECT_GT(FILL_MAX, sent) TH_LOG("%ld bytes and not full", sent);
	fd = connect_to(PORT);
	ASSERT_LE(0, fd);
	EXPECT_TRUE(echo_ok(fd, 1000, 2)) TH_LOG("held up by the other client");
	close(fd);
	EXPECT_TRUE(settle(&s, &s.connections, 1))
		TH_LOG("connections: %llu", s.connections);
	close(stuck);
	check_idle(_metadata, PORT);
}

/* After the client's SHUT_WR, the rest of the echo comes, then EOF. */
TEST_F(echo, half_close)
{
	static unsigned char out[HALF], in[HALF + 1];
	struct stats s;
	size_t got;
	int fd;

	fill(out, HALF, 3);
	fd = connect_to(PORT);
	ASSERT_LE(0, fd);
	ASSERT_EQ(HALF, send(fd, out, HALF, MSG_NOSIGNAL));
	ASSERT_EQ(0, shutdown(fd, SHUT_WR));
	EXPECT_EQ(0, read_to_end(fd, in, sizeof(in), &got)) TH_LOG("no EOF");
	EXPECT_EQ(sizeof(out), got);
	EXPECT_EQ(0, memcmp(out, in, HALF));
	EXPECT_TRUE(settle(&s, &s.bytes, self->before.bytes + HALF))
		TH_LOG("bytes: %llu, want %llu", s.bytes,
		       self->before.bytes + HALF);
	close(fd);
	check_idle(_metadata, PORT);
}

/* Past max_conns a connection is reset at once; a slot freed is reused. */
TEST_F_TIMEOUT(echo, max_conns_resets_past_it, 60)
{
	int fds[SMALL_MAX], i, fd, end;
	struct stats s;
	char buf[16];
	size_t got;

	if (!is_module())
		SKIP(return, "tour_echo is built in");
	self->reloaded = true;
	ASSERT_TRUE(reload("max_conns=4"));
	EXPECT_TRUE(fresh(LOOPBACK, PORT, SMALL_MAX));
	for (i = 0; i < SMALL_MAX; i++) {
		fds[i] = connect_to(PORT);
		ASSERT_LE(0, fds[i]);
		EXPECT_TRUE(echo_ok(fds[i], 100, i)) TH_LOG("connection %d", i);
	}
	EXPECT_TRUE(settle(&s, &s.connections, SMALL_MAX));

	/* The reset may come before connect() returns, and fail it. */
	fd = connect_to(PORT);
	if (fd < 0) {
		EXPECT_EQ(ECONNRESET, errno);
	} else {
		send(fd, "x", 1, MSG_NOSIGNAL);
		end = read_to_end(fd, buf, sizeof(buf), &got);
		EXPECT_TRUE(!end || end == ECONNRESET)
			TH_LOG("not reset: %d", end);
		EXPECT_EQ(0u, got) TH_LOG("an echo past max_conns");
		close(fd);
	}
	EXPECT_TRUE(settle(&s, &s.refused, 1));
	EXPECT_EQ(SMALL_MAX + 1ULL, s.accepted);
	EXPECT_EQ(SMALL_MAX + 0ULL, s.connections);

	close(fds[0]);
	EXPECT_TRUE(settle(&s, &s.connections, SMALL_MAX - 1));
	fds[0] = connect_to(PORT);
	ASSERT_LE(0, fds[0]);
	EXPECT_TRUE(echo_ok(fds[0], 100, 9)) TH_LOG("freed slot not reused");
	for (i = 0; i < SMALL_MAX; i++)
		close(fds[i]);
	check_idle(_metadata, PORT);
	ASSERT_TRUE(read_stats(&s));
	EXPECT_EQ(SMALL_MAX + 2ULL, s.accepted);
	EXPECT_EQ(1ULL, s.refused);
}

TEST_F_TIMEOUT(echo, params, 120)
{
	int fd;

	if (!is_module())
		SKIP(return, "tour_echo is built in");
	self->reloaded = true;
	ASSERT_TRUE(reload("port=9090"));
	EXPECT_TRUE(fresh(LOOPBACK, ALT_PORT, MAX_CONNS));
	fd = connect_to(ALT_PORT);
	ASSERT_LE(0, fd);
	EXPECT_TRUE(echo_ok(fd, 1000, 4));
	close(fd);
	EXPECT_EQ(-1, connect_to(PORT));
	EXPECT_EQ(ECONNREFUSED, errno);
	check_idle(_metadata, ALT_PORT);

	/* max_conns takes 1..65536: 0 is EINVAL, and 65537 fails too. */
	ASSERT_EQ(0, run_within("rmmod tour_echo", CMD_SECS));
	EXPECT_EQ(-1, connect_to(ALT_PORT));
	EXPECT_EQ(ECONNREFUSED, errno);
	refused(_metadata, "max_conns=0", EINVAL);
	refused(_metadata, "max_conns=65537", EINVAL);
	ASSERT_TRUE(reload("max_conns=65536"));
	EXPECT_TRUE(fresh(LOOPBACK, PORT, 65536));

	/* keepalive takes 0..32767 seconds. */
	ASSERT_EQ(0, run_within("rmmod tour_echo", CMD_SECS));
	refused(_metadata, "keepalive=32768", EINVAL);
	ASSERT_TRUE(reload("keepalive=32767"));
	EXPECT_TRUE(fresh(LOOPBACK, PORT, MAX_CONNS));

	/* idle_timeout takes 0..86400 seconds. */
	ASSERT_EQ(0, run_within("rmmod tour_echo", CMD_SECS));
	refused(_metadata, "idle_timeout=86401", EINVAL);
	ASSERT_TRUE(reload("idle_timeout=86400"));
	EXPECT_TRUE(fresh(LOOPBACK, PORT, MAX_CONNS));
}

/*
 * With idle_timeout=1, a client that connects and sends nothing is closed
 * within seconds, and one that echoes every 200 ms stays served.
 */
TEST_F_TIMEOUT(echo, idle_clients_are_closed, 60)
{
	int silent, busy, i, ok;
	struct stats s;
	size_t got;

	if (!is_module())
		SKIP(return, "tour_echo is built in");
	self->reloaded = true;
	ASSERT_TRUE(reload("idle_timeout=1"));
	silent = connect_to(PORT);
	busy = connect_to(PORT);
	ASSERT_LE(0, silent);
	ASSERT_LE(0, busy);
	for (i = 0, ok = 0; i < 15; i++, usleep(200000))
		ok += echo_ok(busy, 100, i);
	EXPECT_EQ(15, ok);
	EXPECT_EQ(0, read_to_end(silent, NULL, 0, &got)) TH_LOG("no EOF");
	EXPECT_TRUE(settle(&s, &s.connections, 1));
	EXPECT_TRUE(echo_ok(busy, 100, 99));
	close(silent);
	close(busy);
	check_idle(_metadata, PORT);
}

/*
 * BURSTS bursts of BURST connections opened at once, past max_conns: a
 * client connected before them is served throughout, each burst gets the
 * slots left and resets for the rest, exactly, and resetting them frees
 * every slot. Resets, not FINs: thousands of closes in TIME_WAIT would
 * overflow a small machine's TIME_WAIT table and leave the server's side
 * in LAST_ACK for longer than the checks wait.
 */
TEST_F_TIMEOUT(echo, connection_bursts_past_max_conns, 600)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	unsigned long long accepted, refused;
	int fds[BURST], b, i, good;
	struct stats s;

	good = connect_to(PORT);
	ASSERT_LE(0, good);
	ASSERT_TRUE(settle(&s, &s.connections, 1));
	accepted = s.accepted;
	refused = s.refused;
	for (b = 0; b < BURSTS; b++) {
		/* A reset may fail connect() itself. */
		for (i = 0; i < BURST; i++)
			fds[i] = connect_to(PORT);
		accepted += BURST;
		refused += BURST - (MAX_CONNS - 1);
		EXPECT_TRUE(settle(&s, &s.accepted, accepted))
			TH_LOG("burst %d: accepted %llu", b, s.accepted);
		EXPECT_TRUE(settle(&s, &s.refused, refused))
			TH_LOG("burst %d: refused %llu", b, s.refused);
		EXPECT_TRUE(echo_ok(good, 100, b)) TH_LOG("burst %d", b);
		for (i = 0; i < BURST; i++) {
			if (fds[i] < 0)
				continue;
			setsockopt(fds[i], SOL_SOCKET, SO_LINGER, &lg,
				   sizeof(lg));
			close(fds[i]);
		}
		EXPECT_TRUE(settle(&s, &s.connections, 1))
			TH_LOG("burst %d: connections %llu", b, s.connections);
	}
	close(good);
	check_idle(_metadata, PORT);
}

/*
 * The server listens on 127.0.0.1 alone unless addr says otherwise:
 * 127.0.0.2, on lo too, reaches it only with addr=0.0.0.0. An addr that
 * is not an IPv4 address in dots fails with EINVAL, one that is not the
 * machine's fails too.
 */
TEST_F(echo, addr_param)
{
	static const char * const bad[] = {
		"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.4x", "1.2.3.4:80",
		"-1.2.3.4", "localhost", "::1",
	};
	int found, bad_state, fd;
	char params[64];
	size_t i;

	EXPECT_TRUE(wait_tcp(LOOPBACK, PORT, 1, &found, &bad_state))
		TH_LOG("%d listeners on " LOOPBACK ", a socket in state %02X",
		       found, bad_state);
	EXPECT_EQ(-1, connect_at(OTHER_LOOPBACK, PORT));
	EXPECT_EQ(ECONNREFUSED, errno);
	if (!is_module())
		SKIP(return, "tour_echo is built in");
	self->reloaded = true;

	ASSERT_TRUE(reload("addr=0.0.0.0"));
	EXPECT_TRUE(fresh("0.0.0.0", PORT, MAX_CONNS));
	EXPECT_TRUE(wait_tcp("0.0.0.0", PORT, 1, &found, &bad_state))
		TH_LOG("%d listeners on 0.0.0.0, a socket in state %02X",
		       found, bad_state);
	fd = connect_at(OTHER_LOOPBACK, PORT);
	ASSERT_LE(0, fd) TH_LOG("%s", strerror(errno));
	EXPECT_TRUE(echo_ok(fd, 1000, 6));
	close(fd);
	check_idle(_metadata, PORT);

	ASSERT_EQ(0, run_within("rmmod tour_echo", CMD_SECS));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(params, sizeof(params), "'addr=%s'", bad[i]);
		refused(_metadata, params, EINVAL);
	}
	/* TEST-NET-1, which no address of the guest is in. */
	refused(_metadata, "addr=192.0.2.1", EADDRNOTAVAIL);
}

/*
 * From now on the client hears nothing (a socket filter drops all that
 * comes to it), as if it had been unplugged: it sends no ACK any more.
 */
static int go_deaf(int fd)
{
	struct sock_filter drop = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = { .len = 1, .filter = &drop };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
			  sizeof(prog));
}

static int hear_again(int fd)
{
	int zero = 0;

	return setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &zero,
			  sizeof(zero));
}

/*
 * With keepalive=1, the server drops within seconds a client that went
 * silent, idle or with an echo it never acknowledges, and keeps one that
 * is idle but answers; with keepalive=0 it keeps the silent one.
 */
TEST_F_TIMEOUT(echo, keepalive_drops_vanished_clients, 120)
{
	int live, idle, busy;
	struct stats s;

	if (!is_module())
		SKIP(return, "tour_echo is built in");
	self->reloaded = true;
	ASSERT_TRUE(reload("keepalive=1"));
	live = connect_to(PORT);
	idle = connect_to(PORT);
	busy = connect_to(PORT);
	ASSERT_LE(0, live);
	ASSERT_LE(0, idle);
	ASSERT_LE(0, busy);
	EXPECT_TRUE(echo_ok(live, 100, 7));
	EXPECT_TRUE(echo_ok(idle, 100, 8));
	EXPECT_TRUE(echo_ok(busy, 100, 9));
	ASSERT_EQ(0, go_deaf(idle));
	ASSERT_EQ(0, go_deaf(busy));
	/* Its echo goes unacknowledged. */
	ASSERT_EQ(1, send(busy, "x", 1, MSG_NOSIGNAL));
	EXPECT_TRUE(settle_within(&s, &s.connections, 1, DEAD_MS))
		TH_LOG("connections: %llu", s.connections);
	EXPECT_TRUE(echo_ok(live, 100, 10)) TH_LOG("the live client dropped");
	EXPECT_EQ(3ULL, s.accepted);
	EXPECT_EQ(0ULL, s.refused);
	close(live);
	close(idle);
	close(busy);
	check_idle(_metadata, PORT);

	ASSERT_TRUE(reload("keepalive=0"));
	idle = connect_to(PORT);
	ASSERT_LE(0, idle);
	EXPECT_TRUE(echo_ok(idle, 100, 11));
	ASSERT_EQ(0, go_deaf(idle));
	usleep(SILENT_MS * 1000);
	EXPECT_TRUE(settle(&s, &s.connections, 1))
		TH_LOG("connections: %llu", s.connections);
	ASSERT_EQ(0, hear_again(idle));
	EXPECT_TRUE(echo_ok(idle, 100, 12)) TH_LOG("no echo after the silence");
	close(idle);
	check_idle(_metadata, PORT);
}

/*
 * rmmod closes every connection, whatever its state, and returns promptly;
 * then no socket of the server is left but those in TIME_WAIT.
 */
TEST_F_TIMEOUT(echo, unload_with_clients, 120)
{
	int fds[CLIENTS], i, ok, end, found, bad;
	struct stats s;
	size_t got;
	long sent;

	if (!is_module())
		SKIP(return, "tour_echo is built in");
	self->reloaded = true;
	for (i = 0; i < CLIENTS; i++) {
		fds[i] = connect_to(PORT);
		ASSERT_LE(0, fds[i]);
	}
	/* 0-3 never send, 4-7 echo once, 8 and 9 never read. */
	for (i = 4, ok = 0; i < 8; i++)
		ok += echo_ok(fds[i], 100, i);
	EXPECT_EQ(4, ok);
	EXPECT_LT(0, send_upto(fds[8], 65536));
	sent = send_upto(fds[9], FILL_MAX);
	EXPECT_LT(0, sent);
	EXPECT_GT(FILL_MAX, sent) TH_LOG("%ld bytes and not full", sent);
	EXPECT_TRUE(settle(&s, &s.connections, CLIENTS))
		TH_LOG("connections: %llu", s.connections);

	EXPECT_EQ(0, run_within("rmmod tour_echo", CMD_SECS))
		TH_LOG("rmmod hangs or fails");
	EXPECT_NE(0, access(PROC, F_OK));
	for (i = 0; i < CLIENTS; i++) {
		end = read_to_end(fds[i], NULL, 0, &got);
		EXPECT_TRUE(!end || end == ECONNRESET)
			TH_LOG("client %d not closed: %d", i, end);
		close(fds[i]);
	}
	EXPECT_TRUE(wait_tcp(LOOPBACK, PORT, 0, &found, &bad))
		TH_LOG("%d listeners, a socket in state %02X", found, bad);
	EXPECT_EQ(-1, connect_to(PORT));
	EXPECT_EQ(ECONNREFUSED, errno);
	ASSERT_EQ(0, run_within("modprobe tour_echo", CMD_SECS));
	self->reloaded = false;
	EXPECT_TRUE(fresh(LOOPBACK, PORT, MAX_CONNS));
}

/* Idle, loaded or not, the server leaves no socket but TIME_WAIT ones. */
TEST_F(echo, no_socket_left)
{
	int found, bad;

	check_idle(_metadata, PORT);
	if (!is_module())
		return;
	self->reloaded = true;
	ASSERT_EQ(0, run_within("rmmod tour_echo", CMD_SECS));
	EXPECT_TRUE(wait_tcp(LOOPBACK, PORT, 0, &found, &bad))
		TH_LOG("%d listeners, a socket in state %02X", found, bad);
	ASSERT_EQ(0, run_within("modprobe tour_echo", CMD_SECS));
	self->reloaded = false;
	check_idle(_metadata, PORT);
}

TEST_HARNESS_MAIN
