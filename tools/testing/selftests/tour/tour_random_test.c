// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test samples/tour/tour_random through /dev/tour_random: the node's mode,
 * reads of many lengths that fill exactly what was asked with bytes that look
 * random, bad and half-mapped buffers, a huge read ended short by a signal,
 * O_NONBLOCK reads once the CRNG is ready, writes, reads from many processes
 * and threads at once, the no-op lseek, and that the module cannot go while
 * in use.
 */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
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

#define TOUR_MODULE_DEFAULT "tour_random"
#include "tour_module.h"

/* Bypass glibc, whose read() and write() are declared to want a buffer. */
#define sys_read(fd, buf, len)	syscall(SYS_read, fd, buf, len)
#define sys_write(fd, buf, len)	syscall(SYS_write, fd, buf, len)

#define CHUNK		4096		/* the module's TOUR_RANDOM_CHUNK */
#define FILL		0xa5		/* what buffers hold before a read */
#define GUARD		64		/* FILL bytes after a read's buffer */
#define RUN		8		/* FILL bytes in a row: never random */
#define HUGE_READ	(64UL << 20)	/* a read a signal must end short */
#define PROCS		4
#define THREADS		4
#define READS		200

/* A SIGALRM with a handler interrupts a read instead of killing. */
static void on_alarm(int sig)
{
}

/* Whether all of buf[0..len) is still FILL. */
static bool all_fill(const unsigned char *buf, size_t len)
{
	while (len--)
		if (buf[len] != FILL)
			return false;
	return true;
}

/* Whether RUN FILL bytes in a row are left: part of a read not written. */
static bool has_fill_run(const unsigned char *buf, size_t len)
{
	size_t i, run = 0;

	for (i = 0; i < len; i++) {
		run = buf[i] == FILL ? run + 1 : 0;
		if (run >= RUN)
			return true;
	}
	return false;
}

/* Whether every byte value occurs within half of its expected count. */
static bool plausible_counts(const unsigned char *buf, size_t len)
{
	size_t count[256] = { 0 }, expect = len / 256, i;

	for (i = 0; i < len; i++)
		count[buf[i]]++;
	for (i = 0; i < 256; i++)
		if (count[i] < expect / 2 || count[i] > expect * 3 / 2)
			return false;
	return true;
}

/* Read 4096 bytes READS times on a new fd; NULL if every read was full. */
static void *read_loop(void *arg)
{
	unsigned char buf[4096];
	int i, fd = open(node, O_RDONLY);

	if (fd < 0)
		return (void *)1;
	for (i = 0; i < READS; i++)
		if (read(fd, buf, sizeof(buf)) != sizeof(buf))
			break;
	close(fd);
	return i == READS ? NULL : (void *)1;
}

FIXTURE(random) {
	int fd;
};

FIXTURE_SETUP(random)
{
	self->fd = -1;
	if (tour_module_load())
		SKIP(return, "no %s (its CONFIG_SAMPLE_ option is off)", node);
	self->fd = open(node, O_RDWR);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(random)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(random, node_is_char_device_0644)
{
	struct stat st;

	ASSERT_EQ(0, stat(node, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0644, st.st_mode & 07777);
}

/* Each read fills exactly its length, with bytes that look random. */
TEST_F(random, reads_fill_exactly_the_length_asked)
{
	static const size_t lens[] = {
		1, 31, 32, 33, 511, 512, 513, 4096, 65536 + 7, 1 << 20,
	};
	unsigned char *buf;
	size_t i, len;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		len = lens[i];
		buf = malloc(len + GUARD);
		ASSERT_NE(NULL, buf);
		memset(buf, FILL, len + GUARD);
		EXPECT_EQ((ssize_t)len, read(self->fd, buf, len))
			TH_LOG("len %zu", len);
		EXPECT_TRUE(all_fill(buf + len, GUARD))
			TH_LOG("len %zu: wrote past the end", len);
		EXPECT_FALSE(has_fill_run(buf, len))
			TH_LOG("len %zu: bytes left unwritten", len);
		EXPECT_TRUE(len < 16 || !all_fill(buf, len));
		EXPECT_TRUE(len < 65536 || plausible_counts(buf, len))
			TH_LOG("len %zu: skewed byte counts", len);
		free(buf);
	}
}

TEST_F(random, two_reads_differ)
{
	unsigned char a[32], b[32];

	ASSERT_EQ(sizeof(a), read(self->fd, a, sizeof(a)));
	ASSERT_EQ(sizeof(b), read(self->fd, b, sizeof(b)));
	EXPECT_NE(0, memcmp(a, b, sizeof(a)));
}

TEST_F(random, read_of_zero_bytes)
{
	unsigned char buf[1] = { FILL };

	EXPECT_EQ(0, read(self->fd, buf, 0));
	EXPECT_EQ(FILL, buf[0]);
}

TEST_F(random, read_to_bad_buffer_is_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	void *buf = mmap(NULL, page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, munmap(buf, page));
	EXPECT_EQ(-1, sys_read(self->fd, NULL, 16));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, read(self->fd, buf, 16));
	EXPECT_EQ(EFAULT, errno);
}

/* A fault after whole chunks ends the read short with what was copied. */
TEST_F(random, read_into_half_mapped_buffer_is_short)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *buf = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, buf);
	memset(buf, FILL, page);
	ASSERT_EQ(0, munmap(buf + page, page));
	EXPECT_EQ(page, read(self->fd, buf, 2 * page));
	EXPECT_FALSE(has_fill_run(buf, page));
	munmap(buf, page);
}

/*
 * A signal ends a huge read with the whole chunks copied so far. Should it
 * come before the first chunk the read fails with EINTR (no SA_RESTART), so
 * one of two tries must end short.
 */
TEST_F(random, signal_ends_huge_read_short)
{
	struct itimerval on = { .it_value.tv_usec = 20000 }, off = { };
	struct sigaction sa = { .sa_handler = on_alarm };
	unsigned char *buf = malloc(HUGE_READ);
	ssize_t n = -1;
	int i, err = 0;

	ASSERT_NE(NULL, buf);
	memset(buf, FILL, HUGE_READ);
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, setitimer(ITIMER_REAL, &on, NULL));
		n = read(self->fd, buf, HUGE_READ);
		err = errno;
		setitimer(ITIMER_REAL, &off, NULL);
		if (n != -1 || err != EINTR)
			break;
	}
	EXPECT_LT(0, n) TH_LOG("errno %d", err);
	EXPECT_GT((ssize_t)HUGE_READ, n) TH_LOG("no signal ended the read");
	EXPECT_EQ(0, n % CHUNK);
	EXPECT_FALSE(n > 0 && has_fill_run(buf, n));
	free(buf);
}

/* After boot the CRNG is ready, so O_NONBLOCK never gives EAGAIN. */
TEST_F(random, nonblocking_read_succeeds)
{
	unsigned char buf[64];
	int fd = open(node, O_RDONLY | O_NONBLOCK);

	ASSERT_LE(0, fd);
	memset(buf, FILL, sizeof(buf));
	EXPECT_EQ(sizeof(buf), read(fd, buf, sizeof(buf)));
	EXPECT_FALSE(has_fill_run(buf, sizeof(buf)));
	close(fd);
}

TEST_F(random, write_returns_full_length)
{
	unsigned char buf[1000];

	memset(buf, FILL, sizeof(buf));
	EXPECT_EQ(sizeof(buf), write(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, write(self->fd, buf, 0));
}

/* Unlike tour_stats, a write reads its buffer, so a bad one faults. */
TEST_F(random, write_from_bad_buffer_is_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	void *buf = mmap(NULL, page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, munmap(buf, page));
	EXPECT_EQ(-1, sys_write(self->fd, NULL, 16));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, write(self->fd, buf, 16));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(random, reads_from_processes_and_threads)
{
	pthread_t threads[THREADS];
	int i, status, failed = 0;
	pid_t pids[PROCS];
	void *ret;

	for (i = 0; i < PROCS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i])
			_exit(read_loop(NULL) ? 1 : 0);
	}
	for (i = 0; i < THREADS; i++)
		ASSERT_EQ(0, pthread_create(&threads[i], NULL,
					    read_loop, NULL));
	for (i = 0; i < THREADS; i++) {
		pthread_join(threads[i], &ret);
		failed += !!ret;
	}
	for (i = 0; i < PROCS; i++) {
		waitpid(pids[i], &status, 0);
		failed += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	EXPECT_EQ(0, failed);
}

/* noop_llseek: the offset stays 0 whatever is asked, and reads go on. */
TEST_F(random, lseek_is_a_noop)
{
	unsigned char buf[64];

	ASSERT_EQ(16, read(self->fd, buf, 16));
	EXPECT_EQ(0, lseek(self->fd, 100, SEEK_SET));
	EXPECT_EQ(0, lseek(self->fd, 0, SEEK_CUR));
	memset(buf, FILL, sizeof(buf));
	EXPECT_EQ(sizeof(buf), read(self->fd, buf, sizeof(buf)));
	EXPECT_FALSE(has_fill_run(buf, sizeof(buf)));
}

TEST_F(random, module_in_use_cannot_be_removed)
{
	if (tour_module_builtin())
		SKIP(return, "%s is built in", module);
	EXPECT_NE(0, tour_module_rmmod());
	EXPECT_EQ(0, access(node, F_OK));
}

TEST_HARNESS_MAIN
