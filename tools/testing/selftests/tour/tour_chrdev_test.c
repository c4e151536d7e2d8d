// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test samples/tour/tour_chrdev through its nodes and sysfs counters: the
 * per-minor message with offsets and end of file, writes counted exactly,
 * opens counted exactly from many processes and threads, bad buffers and
 * offsets, the node's mode, and that the module cannot go while in use.
 */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"

#define NODE		"/dev/tour_chrdev"
#define SYSFS		"/sys/class/tour_chrdev/tour_chrdev"
#define PROCS		4
#define THREADS		4
#define OPENS		50

/* Read the counter NAME of minor; -1 if it cannot be read. */
static long long counter(int minor, const char *name)
{
	char path[128];
	long long val = -1;
	FILE *f;

	snprintf(path, sizeof(path), SYSFS "%d/%s", minor, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &val) != 1)
		val = -1;
	fclose(f);
	return val;
}

static void *open_close_loop(void *arg)
{
	int i, fd;

	for (i = 0; i < OPENS; i++) {
		fd = open(arg, O_RDONLY);
		if (fd < 0)
			return (void *)1;
		close(fd);
	}
	return NULL;
}

FIXTURE(chrdev) {
	int fd;
	char msg[64];
};

FIXTURE_SETUP(chrdev)
{
	if (access(NODE "0", F_OK))
		system("modprobe -q tour_chrdev");
	if (access(NODE "0", F_OK))
		SKIP(return, "no " NODE "0 (CONFIG_SAMPLE_TOUR_CHRDEV)");
	self->fd = open(NODE "1", O_RDWR);
	ASSERT_LE(0, self->fd);
	snprintf(self->msg, sizeof(self->msg), "Hello from tour_chrdev1\n");
}

FIXTURE_TEARDOWN(chrdev)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(chrdev, node_is_char_device_0644)
{
	struct stat st;

	ASSERT_EQ(0, stat(NODE "0", &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0644, st.st_mode & 07777);
}

TEST_F(chrdev, read_message_then_eof)
{
	char buf[256];
	ssize_t len = strlen(self->msg);

	ASSERT_EQ(len, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, self->msg, len));
	EXPECT_EQ(0, read(self->fd, buf, sizeof(buf)));
}

TEST_F(chrdev, minors_have_their_own_message)
{
	char buf[256] = "";
	int fd = open(NODE "0", O_RDONLY);

	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, buf, sizeof(buf) - 1));
	EXPECT_STREQ("Hello from tour_chrdev0\n", buf);
	close(fd);
}

TEST_F(chrdev, read_byte_by_byte)
{
	char buf[64] = "";
	size_t n = 0;

	while (n < sizeof(buf) - 1 && read(self->fd, buf + n, 1) == 1)
		n++;
	EXPECT_STREQ(self->msg, buf);
}

TEST_F(chrdev, pread_offsets)
{
	char buf[64] = "";
	size_t len = strlen(self->msg);

	ASSERT_EQ((ssize_t)len - 6, pread(self->fd, buf, sizeof(buf), 6));
	EXPECT_STREQ(self->msg + 6, buf);
	EXPECT_EQ(0, pread(self->fd, buf, sizeof(buf), len));
	EXPECT_EQ(0, pread(self->fd, buf, sizeof(buf), 1LL << 40));
	EXPECT_EQ(-1, pread(self->fd, buf, sizeof(buf), -1));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(chrdev, lseek_back_to_start)
{
	char a[64] = "", b[64] = "";

	ASSERT_LT(0, read(self->fd, a, sizeof(a) - 1));
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
	ASSERT_LT(0, read(self->fd, b, sizeof(b) - 1));
	EXPECT_STREQ(a, b);
}

TEST_F(chrdev, read_to_unmapped_buffer_is_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	void *buf = mmap(NULL, page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, munmap(buf, page));
	EXPECT_EQ(-1, read(self->fd, buf, 16));
	EXPECT_EQ(EFAULT, errno);
	/* Nothing was consumed: the message is still there from offset 0. */
	EXPECT_EQ(0, lseek(self->fd, 0, SEEK_CUR));
}

TEST_F(chrdev, writes_are_counted)
{
	long long writes = counter(1, "writes");
	long long bytes = counter(1, "bytes_written");

	ASSERT_LE(0, writes);
	ASSERT_LE(0, bytes);
	EXPECT_EQ(5, write(self->fd, "hello", 5));
	EXPECT_EQ(0, write(self->fd, "", 0));
	EXPECT_EQ(writes + 2, counter(1, "writes"));
	EXPECT_EQ(bytes + 5, counter(1, "bytes_written"));
}

TEST_F(chrdev, opens_counted_from_processes_and_threads)
{
	long long before = counter(0, "opens");
	pthread_t threads[THREADS];
	int i, status, failed = 0;
	pid_t pids[PROCS];
	void *ret;

	ASSERT_LE(0, before);
	for (i = 0; i < PROCS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i])
			_exit(open_close_loop(NODE "0") ? 1 : 0);
	}
	for (i = 0; i < THREADS; i++)
		ASSERT_EQ(0, pthread_create(&threads[i], NULL,
					    open_close_loop, NODE "0"));
	for (i = 0; i < THREADS; i++) {
		pthread_join(threads[i], &ret);
		failed += !!ret;
	}
	for (i = 0; i < PROCS; i++) {
		waitpid(pids[i], &status, 0);
		failed += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	EXPECT_EQ(0, failed);
	EXPECT_EQ(before + (PROCS + THREADS) * OPENS, counter(0, "opens"));
}

TEST_F(chrdev, module_in_use_cannot_be_removed)
{
	if (access("/sys/module/tour_chrdev/initstate", F_OK))
		SKIP(return, "tour_chrdev is built in");
	EXPECT_NE(0, system("rmmod tour_chrdev 2>/dev/null"));
	EXPECT_EQ(0, access(NODE "0", F_OK));
}

TEST_HARNESS_MAIN
