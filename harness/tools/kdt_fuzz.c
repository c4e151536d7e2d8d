// SPDX-License-Identifier: GPL-2.0-only
/*
 * kdt_fuzz: random system calls on the files and sockets of the tour, for
 * the debug run of `make check-debug` (built static into the guest).
 *
 *	kdt_fuzz fuzz SEED OPS TARGET...
 *		OPS calls on each TARGET, one process, from the seed: the
 *		calls made (not their results) are the same for a seed
 *	kdt_fuzz stress SECS PROCS TARGET...
 *		PROCS processes on each TARGET at once for SECS seconds, each
 *		with a seed of its own
 *
 * A TARGET is a path (a device node, a /proc or sysfs file), tcp:PORT (a
 * client of 127.0.0.1:PORT) or packet:IFNAME (frames of type 0x1234 and
 * others on IFNAME). On files the calls are open (random flags), read,
 * write, pread, pwrite, lseek, ioctl, mmap and poll, with random lengths,
 * offsets and whences, and buffers that are valid, NULL, unmapped, read-only
 * or in the kernel's half; written data is random bytes or a word a sample
 * takes ("1", "restart", ...). A timer cuts every call short within 200 ms, so
 * that a call that blocks (a read waiting for a token) ends with EINTR.
 *
 * What the kernel makes of it is judged from its log (KASAN, lockdep, ...);
 * this tool fails only when it cannot run, or when a process of its own is
 * killed by a signal (a fault that the kernel should have turned into
 * EFAULT). It prints a TAP line per target, with the errnos it saw.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BUF_SIZE	(128 * 1024)
#define NERR		134

static uint64_t rng;
static unsigned long errs[NERR + 1];
static unsigned char *buf;	/* BUF_SIZE valid bytes */
static unsigned char *ro;	/* a read-only page */
static unsigned char *hole;	/* an unmapped page */

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t pick(uint64_t n)
{
	return rnd() % n;
}

static void seed(uint64_t s, const char *target)
{
	rng = s * 0x9e3779b97f4a7c15ULL + 1;
	while (*target)
		rng = (rng ^ (unsigned char)*target++) * 0x100000001b3ULL;
	if (!rng)
		rng = 1;
}

static void note(long ret)
{
	errs[ret < 0 ? (errno > NERR ? NERR : errno) : 0]++;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * A timer that fires every 200 ms, its handler installed without
 * SA_RESTART: a call that waits (a read for a token that never comes) ends
 * with EINTR within 200 ms, wherever it started. A timer armed before each
 * call would not do: under load the call may start after it fired.
 */
static void start_timer(void)
{
	struct itimerval it = { .it_value = { .tv_usec = 200000 },
				.it_interval = { .tv_usec = 200000 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

static size_t length(void)
{
	static const size_t lens[] = { 0, 1, 2, 7, 15, 16, 100, 4095, 4096,
				       4097, 65536, BUF_SIZE };

	return pick(3) ? lens[pick(sizeof(lens) / sizeof(lens[0]))] :
			 pick(BUF_SIZE + 1);
}

/* A buffer of len bytes, or one that is not: the kernel must say EFAULT. */
static void *buffer(size_t len, int for_read)
{
	static const char *const words[] = { "1", "1\n", "0", "3\n", "100\n",
		"restart\n", "+", "-1", "abc", "4294967296", "10 3\n", "\n" };
	const char *w;

	switch (pick(12)) {
	case 0:
		return NULL;
	case 1:
		return hole;
	case 2:
		return for_read ? ro : (void *)0xffffffff81000000UL;
	case 3:	/* runs off the end of the valid buffer into the hole */
		return hole - (len ? pick(len) + 1 : 1);
	case 4: case 5: case 6:
		w = words[pick(sizeof(words) / sizeof(words[0]))];
		memcpy(buf, w, strlen(w) + 1);
		return buf;
	default:
		for (size_t i = 0; i < len && i < BUF_SIZE; i += 8)
			*(uint64_t *)(buf + i) = rnd();
		return buf;
	}
}

static off_t offset(void)
{
	static const off_t offs[] = { 0, 1, 4094, 4095, 4096, 65536, -1,
				      -4096, (off_t)1 << 40, INT64_MAX };

	return offs[pick(sizeof(offs) / sizeof(offs[0]))];
}

static unsigned long ioctl_cmd(void)
{
	static const unsigned char types[] = { 0xED, 'T', 0xB5, 0x00, 0xFF };

	return ((unsigned long)pick(4) << 30) |
	       ((unsigned long)pick(64) << 16) |
	       ((unsigned long)types[pick(sizeof(types))] << 8) | pick(8);
}

static void file_op(int fd)
{
	size_t len = length();
	void *p;

	switch (pick(10)) {
	case 0: case 1:
		note(read(fd, buffer(len, 1), len));
		break;
	case 2: case 3:
		note(write(fd, buffer(len, 0), len));
		break;
	case 4:
		note(pread(fd, buffer(len, 1), len, offset()));
		break;
	case 5:
		note(pwrite(fd, buffer(len, 0), len, offset()));
		break;
	case 6:
		note(lseek(fd, offset(), pick(5)));
		break;
	case 7:
		note(ioctl(fd, ioctl_cmd(), buffer(64, 1)));
		break;
	case 8:
		p = mmap(NULL, 4096, PROT_READ | (pick(2) ? PROT_WRITE : 0),
			 MAP_SHARED, fd, pick(2) ? 0 : 4096);
		note(p == MAP_FAILED ? -1 : 0);
		if (p != MAP_FAILED)
			munmap(p, 4096);
		break;
	default: {
		struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLOUT };

		note(poll(&pfd, 1, pick(2) ? 0 : 10));
		break;
	}
	}
}

static void file_round(const char *path)
{
	static const int modes[] = { O_RDONLY, O_WRONLY, O_RDWR };
	int fd, n;

	fd = open(path, modes[pick(3)] | (pick(2) ? O_NONBLOCK : 0));
	note(fd);
	if (fd < 0)
		return;
	for (n = pick(8) + 1; n; n--)
		file_op(fd);
	close(fd);
}

/* A client that sends, reads, half-closes or resets, as it comes. */
static void tcp_round(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int fd, n;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		note(-1);
		close(fd);
		return;
	}
	for (n = pick(8) + 1; n; n--) {
		size_t len = length();

			switch (pick(5)) {
		case 0: case 1:
			note(send(fd, buffer(len, 0), len,
				  MSG_NOSIGNAL | (pick(2) ? MSG_DONTWAIT : 0)));
			break;
		case 2: case 3:
			note(recv(fd, buffer(len, 1), len,
				  pick(2) ? MSG_DONTWAIT : 0));
			break;
		default:
			note(shutdown(fd, pick(3)));
			break;
		}
	}
	if (pick(2))
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

static void packet_round(int fd, int ifindex)
{
	static const unsigned short types[] = { 0x1234, 0x1234, 0x1235,
						0x3412, 0x88b5 };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_ifindex = ifindex };
	unsigned short type = types[pick(sizeof(types) / 2)];
	size_t len = 14 + pick(1500);

	buffer(len, 0);
	memset(buf, 0, 12);
	buf[12] = type >> 8;
	buf[13] = type & 0xff;
	sll.sll_protocol = htons(type);
	note(sendto(fd, buf, len, 0, (struct sockaddr *)&sll, sizeof(sll)));
}

/* ops calls on target, or as many as fit before deadline (when not 0). */
static void run(const char *target, long ops, time_t deadline)
{
	int pfd = -1, ifindex = 0;
	long i;

	start_timer();
	if (!strncmp(target, "packet:", 7)) {
		ifindex = if_nametoindex(target + 7);
		pfd = socket(AF_PACKET, SOCK_RAW, 0);
	}
	for (i = 0; ops ? i < ops : time(NULL) < deadline; i++) {
		if (!strncmp(target, "tcp:", 4))
			tcp_round(atoi(target + 4));
		else if (pfd >= 0)
			packet_round(pfd, ifindex);
		else
			file_round(target);
	}
	if (pfd >= 0)
		close(pfd);
	setitimer(ITIMER_REAL, &(struct itimerval){}, NULL);
}

static void report(int n, const char *target, const char *how)
{
	int e;

	printf("ok %d %s: %s; errno counts:", n, target, how);
	for (e = 0; e <= NERR; e++)
		if (errs[e])
			printf(" %s=%lu", e ? strerrorname_np(e) ?: "?" : "ok",
			       errs[e]);
	printf("\n");
	fflush(stdout);
}

static int setup(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	buf = mmap(NULL, BUF_SIZE + 8192, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return -1;
	hole = buf + BUF_SIZE;
	ro = hole + 4096;
	munmap(hole, 4096);
	return mprotect(ro, 4096, PROT_READ);
}

/*
 * procs processes on each of the n targets, all at once, until secs have
 * passed; a target fails when one of its processes did not exit with 0.
 */
static int stress(int n, char **targets, int secs, int procs)
{
	time_t end = time(NULL) + secs;
	pid_t pids[n][procs];
	int i, p, status, bad = 0, failed;

	for (i = 0; i < n; i++) {
		for (p = 0; p < procs; p++) {
			pids[i][p] = fork();
			if (pids[i][p] == 0) {
				seed(getpid() ^ time(NULL), targets[i]);
				run(targets[i], 0, end);
				_exit(0);
			}
		}
	}
	for (i = 0; i < n; i++) {
		failed = 0;
		for (p = 0; p < procs; p++) {
			if (pids[i][p] < 0 ||
			    waitpid(pids[i][p], &status, 0) < 0 ||
			    !WIFEXITED(status) || WEXITSTATUS(status)) {
				printf("# %s: process %d failed, status 0x%x\n",
				       targets[i], p, status);
				failed = 1;
			}
		}
		printf("%s %d %s: %d processes for %d s\n",
		       failed ? "not ok" : "ok", i + 1, targets[i], procs, secs);
		bad |= failed;
	}
	return bad;
}

int main(int argc, char **argv)
{
	int i;

	if (argc < 5 || setup()) {
		fprintf(stderr, "usage: kdt_fuzz fuzz SEED OPS TARGET...\n"
				"       kdt_fuzz stress SECS PROCS TARGET...\n");
		return 2;
	}
	printf("1..%d\n", argc - 4);
	fflush(stdout);
	if (strcmp(argv[1], "fuzz"))
		return stress(argc - 4, argv + 4, atoi(argv[2]), atoi(argv[3]));
	for (i = 4; i < argc; i++) {
		char how[64];

		memset(errs, 0, sizeof(errs));
		seed(strtoull(argv[2], NULL, 0), argv[i]);
		run(argv[i], atol(argv[3]), 0);
		snprintf(how, sizeof(how), "%s calls, seed %s", argv[3], argv[2]);
		report(i - 3, argv[i], how);
	}
	return 0;
}

