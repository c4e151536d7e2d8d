// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test samples/tour/tour_stats through /dev/tour_stats (TOUR_MODULE names
 * another module and its node): the node's mode, the line
 * "Reads: N, Writes: M\n" with end of file, lseek() and pread() offsets and
 * byte-by-byte reads, the line that lseek() makes, every read and write call
 * counted exactly (a readv() or writev() is one call, a pwrite() an ESPIPE),
 * from one process and from many processes and threads at once, writes that
 * never read their buffer, reads to bad buffers, and that the module cannot
 * go while in use.
 */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"

#define TOUR_MODULE_DEFAULT "tour_stats"
#include "tour_module.h"

/* Bypass glibc, whose read() and write() are declared to want a buffer. */
#define sys_read(fd, buf, len)	syscall(SYS_read, fd, buf, len)
#define sys_write(fd, buf, len)	syscall(SYS_write, fd, buf, len)

#define FORMAT		"Reads: %lld, Writes: %lld\n"
#define PROCS		4
#define THREADS		4
#define WRITES		500
#define READS		100

/* Whether buf is exactly one line FORMAT; if so, store its two counts. */
static bool parse_line(const char *buf, long long *reads, long long *writes)
{
	char again[128];

	if (sscanf(buf, "Reads: %lld, Writes: %lld", reads, writes) != 2)
		return false;
	snprintf(again, sizeof(again), FORMAT, *reads, *writes);
	return !strcmp(buf, again);
}

/* Read the line at offset 0 of fd, one read() call; 0 if it parsed. */
static int counts(int fd, long long *reads, long long *writes)
{
	char buf[128] = "";

	if (lseek(fd, 0, SEEK_SET) != 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) <= 0)
		return -1;
	return parse_line(buf, reads, writes) ? 0 : -1;
}

/* Make WRITES write() and READS read() calls on a new fd; NULL if all good. */
static void *use_loop(void *arg)
{
	char buf[128];
	int i, fd = open(node, O_RDWR);
	bool bad = false;

	if (fd < 0)
		return (void *)1;
	for (i = 0; i < WRITES; i++) {
		bad |= write(fd, "tour", 4) != 4;
		if (i % (WRITES / READS) == 0)
			bad |= read(fd, buf, sizeof(buf)) < 0;
	}
	close(fd);
	return bad ? (void *)1 : NULL;
}

FIXTURE(stats) {
	int fd;
};

FIXTURE_SETUP(stats)
{
	self->fd = -1;
	if (tour_module_load())
		SKIP(return, "no %s (its CONFIG_SAMPLE_ option is off)", node);
	self->fd = open(node, O_RDWR);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(stats)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(stats, node_is_char_device_0644)
{
	struct stat st;

	ASSERT_EQ(0, stat(node, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0644, st.st_mode & 07777);
}

/* The read at end of file counts too: N, then EOF, then N + 2. */
TEST_F(stats, read_line_then_eof_then_lseek)
{
	long long reads, writes, reads2, writes2;
	char buf[128] = "";

	ASSERT_LT(0, read(self->fd, buf, sizeof(buf) - 1));
	ASSERT_TRUE(parse_line(buf, &reads, &writes)) TH_LOG("%s", buf);
	EXPECT_LE(1, reads);
	EXPECT_EQ(0, read(self->fd, buf, sizeof(buf)));
	ASSERT_EQ(0, counts(self->fd, &reads2, &writes2));
	EXPECT_EQ(reads + 2, reads2);
	EXPECT_EQ(writes, writes2);
}

TEST_F(stats, writes_are_counted_exactly)
{
	static const size_t sizes[] = {
		0, 1, 4096, 1 << 20, 7, 0, 100, 1, 65536, 3,
	};
	long long reads, writes, reads2, writes2;
	char *buf = malloc(1 << 20);
	size_t i, wrong = 0;

	ASSERT_NE(NULL, buf);
	memset(buf, 'x', 1 << 20);
	ASSERT_EQ(0, counts(self->fd, &reads, &writes));
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		wrong += write(self->fd, buf, sizes[i]) != (ssize_t)sizes[i];
	EXPECT_EQ(0, wrong) TH_LOG("writes that did not return their length");
	ASSERT_EQ(0, counts(self->fd, &reads2, &writes2));
	EXPECT_EQ(writes + (long long)ARRAY_SIZE(sizes), writes2);
	/* The only read since is that of the second counts(). */
	EXPECT_EQ(reads + 1, reads2);
	free(buf);
}

/* writev() and readv() are one call each; pwrite() fails in the VFS. */
TEST_F(stats, vectors_count_one_call)
{
	long long reads, writes, reads2, writes2;
	char a[3] = "abc", b[100] = "", c[40];
	struct iovec out[] = {
		{ .iov_base = a, .iov_len = sizeof(a) },
		{ .iov_base = NULL, .iov_len = 0 },
		{ .iov_base = b, .iov_len = sizeof(b) },
	};
	struct iovec in[] = {
		{ .iov_base = c, .iov_len = 5 },
		{ .iov_base = c + 5, .iov_len = sizeof(c) - 5 },
	};

	ASSERT_EQ(0, counts(self->fd, &reads, &writes));
	EXPECT_EQ((ssize_t)(sizeof(a) + sizeof(b)), writev(self->fd, out, 3));
	EXPECT_EQ(-1, pwrite(self->fd, b, sizeof(b), 7));
	EXPECT_EQ(ESPIPE, errno);
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
	EXPECT_LT(5, readv(self->fd, in, 2));
	ASSERT_EQ(0, counts(self->fd, &reads2, &writes2));
	EXPECT_EQ(writes + 1, writes2);
	/* The readv() and the read of the second counts(). */
	EXPECT_EQ(reads + 2, reads2);
}

/* Like /dev/null, a write never reads its buffer: a bad one is no fault. */
TEST_F(stats, write_from_bad_buffer_is_counted)
{
	long page = sysconf(_SC_PAGESIZE);
	long long reads, writes, reads2, writes2;
	void *buf = mmap(NULL, page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, munmap(buf, page));
	ASSERT_EQ(0, counts(self->fd, &reads, &writes));
	EXPECT_EQ(16, sys_write(self->fd, NULL, 16));
	EXPECT_EQ(page, write(self->fd, buf, page));
	ASSERT_EQ(0, counts(self->fd, &reads2, &writes2));
	EXPECT_EQ(writes + 2, writes2);
	EXPECT_EQ(reads + 1, reads2);
}

/* One-byte reads give one whole line, then EOF; each of them is counted. */
TEST_F(stats, read_byte_by_byte)
{
	long long reads, writes, reads2, writes2;
	char line[128] = "";
	ssize_t ret = -1;
	size_t len = 0;

	while (len < sizeof(line) - 1) {
		ret = read(self->fd, line + len, 1);
		if (ret != 1)
			break;
		len++;
	}
	EXPECT_EQ(0, ret);
	EXPECT_EQ(len, strlen(line));
	ASSERT_TRUE(parse_line(line, &reads, &writes)) TH_LOG("%s", line);
	/* len - 1 more bytes, the EOF read and the read of counts(). */
	ASSERT_EQ(0, counts(self->fd, &reads2, &writes2));
	EXPECT_EQ(reads + (long long)len + 1, reads2);
	EXPECT_EQ(writes, writes2);
}

/* pread() makes the line afresh at its offset, counting itself. */
TEST_F(stats, pread_offsets)
{
	long long reads, writes, reads2, writes2;
	char line[128], buf[128] = "";
	int fd = open(node, O_RDONLY);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, counts(fd, &reads, &writes));
	snprintf(line, sizeof(line), FORMAT, reads + 1, writes);
	EXPECT_EQ((ssize_t)strlen(line) - 5,
		  pread(self->fd, buf, sizeof(buf) - 1, 5));
	EXPECT_STREQ(line + 5, buf);
	EXPECT_EQ(0, pread(self->fd, buf, sizeof(buf), 1LL << 40));
	EXPECT_EQ(-1, pread(self->fd, buf, sizeof(buf), -1));
	EXPECT_EQ(EINVAL, errno);
	/* Two preads and counts(); the one at -1 never reached the module. */
	ASSERT_EQ(0, counts(fd, &reads2, &writes2));
	EXPECT_EQ(reads + 3, reads2);
	EXPECT_EQ(writes, writes2);
	close(fd);
}

/*
 * lseek() makes the line where it moves to, and the read there finds it:
 * with the writes before the lseek(), without those after it or the count
 * of that read. It moves from the start or the current position only,
 * never before 0.
 */
TEST_F(stats, lseek_makes_the_line)
{
	long long reads, writes;
	char line[128], buf[128] = "";

	ASSERT_EQ(0, counts(self->fd, &reads, &writes));
	snprintf(line, sizeof(line), FORMAT, reads, writes + 1);
	ASSERT_EQ(1, write(self->fd, "x", 1));
	ASSERT_EQ(7, lseek(self->fd, 7, SEEK_SET));
	ASSERT_EQ(1, write(self->fd, "x", 1));
	EXPECT_EQ((ssize_t)strlen(line) - 7,
		  read(self->fd, buf, sizeof(buf) - 1));
	EXPECT_STREQ(line + 7, buf);
	EXPECT_EQ((off_t)strlen(line), lseek(self->fd, 0, SEEK_CUR));
	EXPECT_EQ(-1, lseek(self->fd, 0, SEEK_END));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(self->fd, -1, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(self->fd, -100, SEEK_CUR));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(stats, read_to_bad_buffer_is_efault)
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

/* The per-CPU counters lose no call made at once from many CPUs. */
TEST_F(stats, calls_counted_from_processes_and_threads)
{
	long long reads, writes, reads2, writes2;
	pthread_t threads[THREADS];
	int i, status, failed = 0;
	pid_t pids[PROCS];
	void *ret;

	ASSERT_EQ(0, counts(self->fd, &reads, &writes));
	for (i = 0; i < PROCS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i])
			_exit(use_loop(NULL) ? 1 : 0);
	}
	for (i = 0; i < THREADS; i++)
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, use_loop, NULL));
	for (i = 0; i < THREADS; i++) {
		pthread_join(threads[i], &ret);
		failed += !!ret;
	}
	for (i = 0; i < PROCS; i++) {
		waitpid(pids[i], &status, 0);
		failed += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	EXPECT_EQ(0, failed);
	ASSERT_EQ(0, counts(self->fd, &reads2, &writes2));
	EXPECT_EQ(writes + (PROCS + THREADS) * WRITES, writes2);
	/* The workers' reads and the read of the second counts(). */
	EXPECT_EQ(reads + (PROCS + THREADS) * READS + 1, reads2);
}

TEST_F(stats, module_in_use_cannot_be_removed)
{
	if (tour_module_builtin())
		SKIP(return, "%s is built in", module);
	EXPECT_NE(0, tour_module_rmmod());
	EXPECT_EQ(0, access(node, F_OK));
}

TEST_HARNESS_MAIN
