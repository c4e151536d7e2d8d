// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test samples/tour/tour_sync through /dev/tour_sync and its attributes in
 * /sys/class/misc/tour_sync/: the node's mode, a token per byte written and
 * one per read, EAGAIN without blocking, readers and writers that block and
 * are woken by other processes, exact counts from many processes at once,
 * a signal that ends a wait, max and its EINVAL and EBUSY, EFAULT that
 * leaves the token, the timer's samples taken only while tokens are held,
 * and that the module stays while a reader waits.
 *
 * The tokens and max are device-wide: the fixture drains the tokens and
 * sets max back to its default before and after each test.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"

#define NODE		"/dev/tour_sync"
#define SYSFS		"/sys/class/misc/tour_sync/"
#define INITSTATE	"/sys/module/tour_sync/initstate"
#define DEFAULT_MAX	16	/* the module's TOUR_SYNC_DEFAULT_MAX */
#define LIMIT		1024	/* the module's TOUR_SYNC_LIMIT */
#define BLOCK_MS	200	/* how long a waiter must stay blocked */
#define WAKE_MS		5000	/* how long a wake-up may take */
#define SETTLE_MS	200	/* time for many samples, or for the last */
#define READERS		4
#define WRITERS		3
#define PER_READER	150
#define CHUNK		5	/* bytes per write of a writer */

/* Bypass glibc, whose read() is declared to want a buffer. */
#define sys_read(fd, buf, len)	syscall(SYS_read, fd, buf, len)

/* The number in attribute name, or -1. */
static long long read_attr(const char *name)
{
	char path[128];
	long long val = -1;
	FILE *f;

	snprintf(path, sizeof(path), SYSFS "%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &val) != 1)
		val = -1;
	fclose(f);
	return val;
}

/* Write s to attribute name in one write(): 0 or the errno. */
static int write_attr(const char *name, const char *s)
{
	char path[128];
	int fd, err = 0;

	snprintf(path, sizeof(path), SYSFS "%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	if (write(fd, s, strlen(s)) < 0)
		err = errno;
	close(fd);
	return err;
}

/* The samples and max_seen of the stats attribute; false if it won't parse. */
static bool read_stats(unsigned long long *samples,
		       unsigned long long *max_seen)
{
	FILE *f = fopen(SYSFS "stats", "r");
	int n;

	if (!f)
		return false;
	n = fscanf(f, "samples: %llu max_seen: %llu", samples, max_seen);
	fclose(f);
	return n == 2;
}

/* Take tokens without blocking until there is none; how many were taken. */
static int drain(void)
{
	int fd = open(NODE, O_RDONLY | O_NONBLOCK), n = 0;
	char c;

	if (fd < 0)
		return -1;
	while (read(fd, &c, 1) == 1)
		n++;
	close(fd);
	return n;
}

/* Whether fd has something to read within ms milliseconds. */
static bool readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

/*
 * Fork a child that reads (or writes) count bytes of the node, blocking, and
 * reports the result of its syscall on a pipe: 'y' if it did all of it, 'n'
 * if not. Return its pid, and the read end of the pipe in *rfd.
 */
static pid_t spawn(bool writer, int count, int *rfd)
{
	int p[2], fd, i;
	bool ok = true;
	char c = '+';
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid) {
		close(p[1]);
		*rfd = p[0];
		return pid;
	}
	close(p[0]);
	/* Never outlive a test that went wrong. */
	alarm(30);
	fd = open(NODE, O_RDWR);
	for (i = 0; ok && i < count; i++)
		ok = fd >= 0 && (writer ? write(fd, &c, 1) : read(fd, &c, 1)) == 1;
	c = ok ? 'y' : 'n';
	if (write(p[1], &c, 1) != 1)
		_exit(2);
	_exit(ok ? 0 : 1);
}

/* A SIGALRM with a handler interrupts a syscall instead of killing. */
static void on_alarm(int sig)
{
}

/* Arm a one-shot SIGALRM after ms milliseconds, with no SA_RESTART. */
static void alarm_ms(int ms)
{
	struct itimerval it = { .it_value.tv_usec = ms * 1000 };
	struct sigaction sa = { .sa_handler = on_alarm };

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

FIXTURE(sync) {
	int fd;		/* the node, O_RDWR | O_NONBLOCK */
};

FIXTURE_SETUP(sync)
{
	self->fd = -1;
	if (access(NODE, F_OK))
		system("modprobe -q tour_sync");
	if (access(NODE, F_OK))
		SKIP(return, "no " NODE " (CONFIG_SAMPLE_TOUR_SYNC)");
	ASSERT_LE(0, drain());
	ASSERT_EQ(0, write_attr("max", "16"));
	self->fd = open(NODE, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(sync)
{
	if (self->fd < 0)
		return;
	close(self->fd);
	drain();
	write_attr("max", "16");
}

TEST_F(sync, node_is_0600)
{
	struct stat st;

	ASSERT_EQ(0, stat(NODE, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
}

/* A token per byte written, one per read of any length, then EAGAIN. */
TEST_F(sync, write_three_read_three)
{
	long long added = read_attr("added"), taken = read_attr("taken");
	char buf[8];
	int i;

	ASSERT_LE(0, added);
	EXPECT_EQ(0, read(self->fd, buf, 0));
	EXPECT_EQ(3, write(self->fd, "abc", 3));
	EXPECT_EQ(added + 3, read_attr("added"));
	for (i = 0; i < 3; i++) {
		memset(buf, 0, sizeof(buf));
		EXPECT_EQ(1, read(self->fd, buf, i ? 1 : sizeof(buf)));
		EXPECT_STREQ("+", buf);
	}
	EXPECT_EQ(-1, read(self->fd, buf, 1));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(taken + 3, read_attr("taken"));
}

/* A reader blocks while there is no token, and a write wakes it. */
TEST_F(sync, blocked_reader_woken_by_write)
{
	int rfd, status;
	char c = 0;
	pid_t pid;

	pid = spawn(false, 1, &rfd);
	ASSERT_LT(0, pid);
	EXPECT_FALSE(readable(rfd, BLOCK_MS)) TH_LOG("the read did not block");
	EXPECT_EQ(1, write(self->fd, "x", 1));
	EXPECT_TRUE(readable(rfd, WAKE_MS));
	EXPECT_EQ(1, read(rfd, &c, 1));
	EXPECT_EQ('y', c);
	close(rfd);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
}

/* Readers and writers at once pass exactly the tokens written, no more. */
TEST_F(sync, many_readers_and_writers)
{
	long long added = read_attr("added"), taken = read_attr("taken");
	const int total = READERS * PER_READER;
	pid_t pids[READERS + WRITERS];
	char chunk[CHUNK] = { 0 };
	int i, status, failed = 0;

	for (i = 0; i < READERS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			int fd = open(NODE, O_RDONLY), n;
			char c;

			alarm(30);
			for (n = 0; fd >= 0 && n < PER_READER; n++)
				if (read(fd, &c, 1) != 1)
					_exit(1);
			_exit(fd < 0);
		}
	}
	for (i = 0; i < WRITERS; i++) {
		pids[READERS + i] = fork();
		ASSERT_LE(0, pids[READERS + i]);
		if (!pids[READERS + i]) {
			int fd = open(NODE, O_WRONLY), left, n;

			alarm(30);
			/* Writer i writes its share; writer 0 the rest too. */
			left = total / WRITERS + (i ? 0 : total % WRITERS);
			while (fd >= 0 && left > 0) {
				n = write(fd, chunk, left < CHUNK ? left : CHUNK);
				if (n <= 0)
					_exit(1);
				left -= n;
			}
			_exit(fd < 0);
		}
	}
	for (i = 0; i < READERS + WRITERS; i++) {
		waitpid(pids[i], &status, 0);
		failed += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	EXPECT_EQ(0, failed);
	EXPECT_EQ(added + total, read_attr("added"));
	EXPECT_EQ(taken + total, read_attr("taken"));
	EXPECT_EQ(0, drain());
}

/* At max, writes block or fail with EAGAIN, and a read makes room. */
TEST_F(sync, writer_blocks_at_max)
{
	int rfd, status;
	char c = 0;
	pid_t pid;

	ASSERT_EQ(0, write_attr("max", "4"));
	EXPECT_EQ(4, read_attr("max"));
	EXPECT_EQ(2, write(self->fd, "ab", 2));
	/* Room for two more: a write of five adds two and says so. */
	EXPECT_EQ(2, write(self->fd, "abcde", 5));
	EXPECT_EQ(-1, write(self->fd, "a", 1));
	EXPECT_EQ(EAGAIN, errno);

	pid = spawn(true, 1, &rfd);
	ASSERT_LT(0, pid);
	EXPECT_FALSE(readable(rfd, BLOCK_MS)) TH_LOG("the write did not block");
	EXPECT_EQ(1, read(self->fd, &c, 1));
	EXPECT_TRUE(readable(rfd, WAKE_MS));
	EXPECT_EQ(1, read(rfd, &c, 1));
	EXPECT_EQ('y', c);
	close(rfd);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	EXPECT_EQ(4, drain());
	EXPECT_EQ(0, write_attr("max", "16"));
}

/* A signal ends a blocked read with EINTR, and a write with what it added. */
TEST_F(sync, signal_ends_wait)
{
	int fd = open(NODE, O_RDWR);
	char c;

	ASSERT_LE(0, fd);
	alarm_ms(100);
	EXPECT_EQ(-1, read(fd, &c, 1));
	EXPECT_EQ(EINTR, errno);

	ASSERT_EQ(0, write_attr("max", "4"));
	EXPECT_EQ(2, write(fd, "ab", 2));
	alarm_ms(100);
	EXPECT_EQ(2, write(fd, "abcde", 5));
	alarm_ms(100);
	EXPECT_EQ(-1, write(fd, "a", 1));
	EXPECT_EQ(EINTR, errno);
	close(fd);
	EXPECT_EQ(4, drain());
	EXPECT_EQ(0, write_attr("max", "16"));
}

TEST_F(sync, max_rules)
{
	static const char * const bad[] = {
		"0", "1025", "-1", "\n", "abc", "4x", "99999999999", "0x10",
	};
	char buf[16];
	size_t i;
	int err;

	EXPECT_EQ(DEFAULT_MAX, read_attr("max"));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		err = write_attr("max", bad[i]);
		EXPECT_EQ(EINVAL, err) TH_LOG("\"%s\"", bad[i]);
	}
	snprintf(buf, sizeof(buf), "%d\n", LIMIT);
	EXPECT_EQ(0, write_attr("max", buf));
	EXPECT_EQ(LIMIT, read_attr("max"));
	EXPECT_EQ(0, write_attr("max", "1"));

	EXPECT_EQ(1, write(self->fd, "a", 1));
	EXPECT_EQ(EBUSY, write_attr("max", "16"));
	EXPECT_EQ(EINVAL, write_attr("max", "0"));
	EXPECT_EQ(1, read_attr("max"));
	EXPECT_EQ(1, drain());
	EXPECT_EQ(0, write_attr("max", "16"));
	EXPECT_EQ(DEFAULT_MAX, read_attr("max"));
}

/* A read into a buffer it cannot write fails and leaves the token. */
TEST_F(sync, efault_keeps_token)
{
	long long taken = read_attr("taken");
	char c;
	void *bad;

	bad = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, bad);
	EXPECT_EQ(1, write(self->fd, "a", 1));
	EXPECT_EQ(-1, sys_read(self->fd, bad, 1));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, sys_read(self->fd, NULL, 1));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(taken, read_attr("taken"));
	EXPECT_EQ(1, read(self->fd, &c, 1));
	EXPECT_EQ(taken + 1, read_attr("taken"));
	munmap(bad, 4096);
}

/* The timer samples while tokens are held and sees them. */
TEST_F(sync, stats_grow)
{
	unsigned long long s0, m0, s1, m1;

	ASSERT_TRUE(read_stats(&s0, &m0));
	EXPECT_EQ(5, write(self->fd, "abcde", 5));
	usleep(100000);
	ASSERT_TRUE(read_stats(&s1, &m1));
	EXPECT_LT(s0, s1);
	EXPECT_LE(5, m1);
	EXPECT_LE(m0, m1);
}

/* With no token held the timer stops: the samples stay as they are. */
TEST_F(sync, stats_stop_when_none_held)
{
	unsigned long long s0, m0, s1, m1;

	EXPECT_EQ(2, write(self->fd, "ab", 2));
	usleep(SETTLE_MS * 1000);
	EXPECT_EQ(2, drain());
	/* The next sample finds none held; after it, nothing more. */
	usleep(SETTLE_MS * 1000);
	ASSERT_TRUE(read_stats(&s0, &m0));
	usleep(SETTLE_MS * 1000);
	ASSERT_TRUE(read_stats(&s1, &m1));
	EXPECT_EQ(s0, s1);
	EXPECT_EQ(m0, m1);
}

/* An open file holds the module: no rmmod while a reader waits. */
TEST_F(sync, no_unload_while_reader_blocks)
{
	int rfd, status;
	pid_t pid;

	if (access(INITSTATE, F_OK))
		SKIP(return, "tour_sync is built in");
	pid = spawn(false, 1, &rfd);
	ASSERT_LT(0, pid);
	EXPECT_FALSE(readable(rfd, BLOCK_MS));
	EXPECT_NE(0, system("rmmod tour_sync 2>/dev/null"));
	EXPECT_EQ(0, access(NODE, F_OK));
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	close(rfd);
	/* The killed reader took nothing: a token written now is there. */
	EXPECT_EQ(1, write(self->fd, "a", 1));
	EXPECT_EQ(1, drain());
}

TEST_HARNESS_MAIN
