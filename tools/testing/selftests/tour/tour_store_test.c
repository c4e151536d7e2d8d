// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test samples/tour/tour_store through /dev/tour_store (TOUR_MODULE names
 * another module and its node): the node's mode, each write replacing the
 * whole content (up to max_size exactly, EFBIG beyond, EFAULT from bad
 * buffers, the old content kept when a write fails, the file position left
 * alone), reads and lseek() with their offsets and bad buffers, each read()
 * returning bytes of one content however others write (never a torn one), a
 * read after a write going on in the new content, the ioctls (HELLO in the
 * kernel log, the device-wide value, EBADF, EFAULT, ENOTTY), and that the
 * module cannot go while in use.
 *
 * The content and the value are device-wide: each test sets what it relies on.
 */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"

#define TOUR_MODULE_DEFAULT "tour_store"
#include "tour_module.h"
#include "../../../../samples/tour/tour_store.h"

#define MISC_MAJOR	10
#define TORN_SIZE	65536
#define TORN_WRITES	2000
#define TORN_PASSES	200
#define TORN_READERS	2
#define CHURN_SIZE	1024
#define CHURN_LOOPS	200
#define PROCS		4
#define THREADS		4
#define INITIAL		"initial content"

/* Bypass glibc, whose read() and write() are declared to want a buffer. */
#define sys_read(fd, buf, len)	syscall(SYS_read, fd, buf, len)
#define sys_write(fd, buf, len)	syscall(SYS_write, fd, buf, len)

/* The module's max_size parameter and the line its HELLO ioctl logs. */
static char max_size_path[128], hello_line[160];

__attribute__((constructor)) static void pick_paths(void)
{
	snprintf(max_size_path, sizeof(max_size_path),
		 "/sys/module/%s/parameters/max_size", module);
	snprintf(hello_line, sizeof(hello_line),
		 "%s: Hello from the %s misc device", module, module);
}

/* max_size of the module, or its default if the parameter cannot be read. */
static size_t read_max_size(void)
{
	unsigned long val = 1048576;
	FILE *f = fopen(max_size_path, "r");

	if (f) {
		if (fscanf(f, "%lu", &val) != 1)
			val = 1048576;
		fclose(f);
	}
	return val;
}

/* Fill buf with a pseudo-random pattern of seed, with NUL bytes in it. */
static void fill_pattern(unsigned char *buf, size_t len, unsigned int seed)
{
	uint32_t x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = i % 7 == 3 ? 0 : x >> 16;
	}
}

/* Whether the content read at offset 0 is exactly the len bytes of buf. */
static int content_is(int fd, const void *buf, size_t len)
{
	char *got = malloc(len + 1);
	int same;

	if (!got)
		return 0;
	same = pread(fd, got, len + 1, 0) == (ssize_t)len &&
	       !memcmp(got, buf, len);
	free(got);
	return same;
}

/* Whether the len bytes of buf all are c. */
static int all_are(const char *buf, size_t len, char c)
{
	while (len--)
		if (*buf++ != c)
			return 0;
	return 1;
}

/* An address of a page that is no longer mapped, or MAP_FAILED. */
static void *unmapped_page(void)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED && munmap(p, page))
		return MAP_FAILED;
	return p;
}

/* Whether line comes after a line holding marker in the output of dmesg. */
static int logged_after(const char *marker, const char *line)
{
	FILE *f = popen("dmesg 2>/dev/null", "r");
	int seen_marker = 0, seen_line = 0;
	char *buf = NULL;
	size_t size = 0;

	if (!f)
		return 0;
	while (getline(&buf, &size, f) > 0) {
		if (strstr(buf, marker))
			seen_marker = 1;
		else if (seen_marker && strstr(buf, line))
			seen_line = 1;
	}
	free(buf);
	pclose(f);
	return seen_line;
}

/* Read the whole content in one read() again and again: count torn ones. */
static void *torn_reader(void *arg)
{
	char *buf = malloc(TORN_SIZE + 1);
	int pass, fd = open(node, O_RDONLY);
	long torn = 0;
	ssize_t n;

	for (pass = 0; pass < TORN_PASSES; pass++) {
		n = buf ? pread(fd, buf, TORN_SIZE + 1, 0) : -1;
		torn += n != TORN_SIZE || (buf[0] != 'A' && buf[0] != 'B') ||
			!all_are(buf, n, buf[0]);
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return (void *)torn;
}

/* Replace the content with the letter and read it back: count bad reads. */
static int churn(int fd, char letter)
{
	char mine[CHURN_SIZE], buf[2 * CHURN_SIZE];
	int i, bad = 0;
	ssize_t n;

	memset(mine, letter, sizeof(mine));
	for (i = 0; i < CHURN_LOOPS; i++) {
		bad += write(fd, mine, sizeof(mine)) != sizeof(mine);
		n = pread(fd, buf, sizeof(buf), 0);
		if (n == sizeof(INITIAL) - 1 && !memcmp(buf, INITIAL, n))
			continue;
		bad += n != CHURN_SIZE || buf[0] < 'a' ||
		       buf[0] >= 'a' + PROCS + THREADS ||
		       !all_are(buf, n, buf[0]);
	}
	return bad;
}

struct churner {
	int fd;
	char letter;
};

static void *churn_thread(void *arg)
{
	struct churner *c = arg;

	return (void *)(long)churn(c->fd, c->letter);
}

FIXTURE(store) {
	int fd;
	size_t max;
};

FIXTURE_SETUP(store)
{
	self->fd = -1;
	if (tour_module_load())
		SKIP(return, "no %s (its CONFIG_SAMPLE_ option is off)", node);
	self->fd = open(node, O_RDWR);
	ASSERT_LE(0, self->fd);
	self->max = read_max_size();
}

FIXTURE_TEARDOWN(store)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(store, node_is_misc_char_device_0600)
{
	struct stat st;

	ASSERT_EQ(0, stat(node, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(MISC_MAJOR, major(st.st_rdev));
	EXPECT_EQ(0600, st.st_mode & 07777);
}

/* Contents of many sizes, max_size included, come back byte for byte. */
TEST_F(store, write_then_read_back)
{
	size_t lens[] = { 1, 4095, 4096, 65536, self->max };
	unsigned char *buf;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		if (lens[i] > self->max)
			continue;
		buf = malloc(lens[i]);
		ASSERT_NE(NULL, buf);
		fill_pattern(buf, lens[i], i + 1);
		EXPECT_EQ((ssize_t)lens[i], write(self->fd, buf, lens[i]));
		EXPECT_TRUE(content_is(self->fd, buf, lens[i]))
			TH_LOG("content of %zu bytes differs", lens[i]);
		free(buf);
	}
}

/* A write replaces the whole content wherever the position is. */
TEST_F(store, write_replaces_and_keeps_position)
{
	char big[100];

	memset(big, 'x', sizeof(big));
	ASSERT_EQ((ssize_t)sizeof(big), write(self->fd, big, sizeof(big)));
	ASSERT_EQ(5, lseek(self->fd, 5, SEEK_SET));
	EXPECT_EQ(11, write(self->fd, "hello world", 11));
	EXPECT_EQ(5, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_TRUE(content_is(self->fd, "hello world", 11));
}

TEST_F(store, write_over_max_size_is_efbig)
{
	char *buf = malloc(self->max + 1);

	ASSERT_NE(NULL, buf);
	memset(buf, 'z', self->max + 1);
	ASSERT_EQ(7, write(self->fd, "keep me", 7));
	EXPECT_EQ(-1, write(self->fd, buf, self->max + 1));
	EXPECT_EQ(EFBIG, errno);
	EXPECT_TRUE(content_is(self->fd, "keep me", 7));
	free(buf);
}

/* Bad buffers, even half good ones, leave the old content whole. */
TEST_F(store, write_from_bad_buffer_is_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	char *buf;

	if ((size_t)2 * page > self->max)
		SKIP(return, "max_size is under two pages");
	ASSERT_EQ(7, write(self->fd, "keep me", 7));
	EXPECT_EQ(-1, sys_write(self->fd, NULL, 16));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_TRUE(content_is(self->fd, "keep me", 7));

	buf = unmapped_page();
	ASSERT_NE(MAP_FAILED, buf);
	EXPECT_EQ(-1, write(self->fd, buf, 16));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_TRUE(content_is(self->fd, "keep me", 7));

	buf = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	memset(buf, 'y', page);
	ASSERT_EQ(0, munmap(buf + page, page));
	EXPECT_EQ(-1, write(self->fd, buf, 2 * page));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_TRUE(content_is(self->fd, "keep me", 7));
	munmap(buf, page);
}

TEST_F(store, zero_length_write_empties)
{
	char buf[16];

	ASSERT_EQ(3, write(self->fd, "abc", 3));
	EXPECT_EQ(0, write(self->fd, "", 0));
	EXPECT_EQ(0, pread(self->fd, buf, sizeof(buf), 0));
	EXPECT_EQ(0, lseek(self->fd, 0, SEEK_END));
}

TEST_F(store, pread_offsets)
{
	char buf[64] = "";

	ASSERT_EQ(10, write(self->fd, "0123456789", 10));
	ASSERT_EQ(7, pread(self->fd, buf, sizeof(buf), 3));
	EXPECT_EQ(0, memcmp(buf, "3456789", 7));
	EXPECT_EQ(0, pread(self->fd, buf, sizeof(buf), 10));
	EXPECT_EQ(0, pread(self->fd, buf, sizeof(buf), 1LL << 40));
	EXPECT_EQ(-1, pread(self->fd, buf, sizeof(buf), -1));
	EXPECT_EQ(EINVAL, errno);
}

/* Seeks stay in 0..max_size, a failed one does not move, reads follow. */
TEST_F(store, lseek_in_range)
{
	char buf[64] = "";

	ASSERT_EQ(10, write(self->fd, "0123456789", 10));
	EXPECT_EQ(10, lseek(self->fd, 0, SEEK_END));
	EXPECT_EQ(6, lseek(self->fd, -4, SEEK_END));
	EXPECT_EQ((off_t)self->max, lseek(self->fd, self->max, SEEK_SET));
	EXPECT_EQ(-1, lseek(self->fd, self->max + 1, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(self->fd, -1, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ((off_t)self->max, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_EQ(0, read(self->fd, buf, sizeof(buf)));

	ASSERT_EQ(2, lseek(self->fd, 2, SEEK_SET));
	EXPECT_EQ(5, lseek(self->fd, 3, SEEK_CUR));
	ASSERT_EQ(5, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "56789", 5));
	EXPECT_EQ(10, lseek(self->fd, 0, SEEK_CUR));
}

/* A read into a bad buffer fails and does not move the position. */
TEST_F(store, read_to_bad_buffer_is_efault)
{
	char buf[64] = "";
	void *gone = unmapped_page();

	ASSERT_NE(MAP_FAILED, gone);
	ASSERT_EQ(10, write(self->fd, "0123456789", 10));
	EXPECT_EQ(-1, sys_read(self->fd, NULL, 10));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_EQ(-1, read(self->fd, gone, 10));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, lseek(self->fd, 0, SEEK_CUR));
	ASSERT_EQ(4, lseek(self->fd, 4, SEEK_SET));
	EXPECT_EQ(-1, read(self->fd, gone, 10));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(4, lseek(self->fd, 0, SEEK_CUR));
	ASSERT_EQ(6, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "456789", 6));
}

/* While one process rewrites 64 KiB, no read of it returns two writes. */
TEST_F(store, readers_never_see_torn_content)
{
	static char a[TORN_SIZE], b[TORN_SIZE];
	pthread_t readers[TORN_READERS];
	int i, fd, status;
	long torn = 0;
	void *ret;
	pid_t pid;

	if (self->max < TORN_SIZE)
		SKIP(return, "max_size is under %d", TORN_SIZE);
	memset(a, 'A', sizeof(a));
	memset(b, 'B', sizeof(b));
	ASSERT_EQ(TORN_SIZE, write(self->fd, a, sizeof(a)));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		fd = open(node, O_WRONLY);
		for (i = 0; fd >= 0 && i < TORN_WRITES; i++)
			if (write(fd, i & 1 ? b : a, TORN_SIZE) != TORN_SIZE)
				_exit(1);
		_exit(fd < 0);
	}
	for (i = 0; i < TORN_READERS; i++)
		ASSERT_EQ(0, pthread_create(&readers[i], NULL, torn_reader,
					    NULL));
	for (i = 0; i < TORN_READERS; i++) {
		pthread_join(readers[i], &ret);
		torn += (long)ret;
	}
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) ||
		    (WIFEXITED(status) && !WEXITSTATUS(status)));
	EXPECT_EQ(0, torn);
}

/* A read after another write goes on at its offset in the new content. */
TEST_F(store, read_after_write_reads_new_content)
{
	unsigned char old[100], new[50], buf[256];
	int fd;

	fill_pattern(old, sizeof(old), 11);
	fill_pattern(new, sizeof(new), 12);
	ASSERT_EQ((ssize_t)sizeof(old), write(self->fd, old, sizeof(old)));
	fd = open(node, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(10, read(fd, buf, 10));
	EXPECT_EQ(0, memcmp(buf, old, 10));
	ASSERT_EQ((ssize_t)sizeof(new), write(self->fd, new, sizeof(new)));
	EXPECT_EQ((ssize_t)sizeof(new) - 10, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, new + 10, sizeof(new) - 10));
	EXPECT_EQ(0, read(fd, buf, sizeof(buf)));
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	EXPECT_EQ((ssize_t)sizeof(new), read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, new, sizeof(new)));
	close(fd);
}

/* HELLO succeeds and its greeting lands in the kernel log after a marker. */
TEST_F(store, hello_is_logged)
{
	char marker[96];
	int kmsg, len;

	len = snprintf(marker, sizeof(marker), "tour_store_test marker %d %ld",
		       getpid(), (long)time(NULL));
	kmsg = open("/dev/kmsg", O_WRONLY);
	ASSERT_LE(0, kmsg);
	marker[len] = '\n';
	EXPECT_EQ(len + 1, write(kmsg, marker, len + 1));
	marker[len] = '\0';
	close(kmsg);
	EXPECT_EQ(0, ioctl(self->fd, TOUR_STORE_HELLO));
	EXPECT_TRUE(logged_after(marker, hello_line))
		TH_LOG("\"%s\" not in dmesg after \"%s\"", hello_line, marker);
}

TEST_F(store, value_is_device_wide)
{
	int fd = open(node, O_RDONLY);
	int val = 1234;

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, ioctl(self->fd, TOUR_STORE_SET_VALUE, &val));
	val = 0;
	EXPECT_EQ(0, ioctl(fd, TOUR_STORE_GET_VALUE, &val));
	EXPECT_EQ(1234, val);
	val = -7;
	EXPECT_EQ(0, ioctl(self->fd, TOUR_STORE_SET_VALUE, &val));
	val = 0;
	EXPECT_EQ(0, ioctl(fd, TOUR_STORE_GET_VALUE, &val));
	EXPECT_EQ(-7, val);
	close(fd);
}

/* SET needs a file open for writing: O_RDONLY fails, O_WRONLY works. */
TEST_F(store, set_value_needs_write_mode)
{
	int ro = open(node, O_RDONLY), wo = open(node, O_WRONLY);
	int val = 55;

	ASSERT_LE(0, ro);
	ASSERT_LE(0, wo);
	ASSERT_EQ(0, ioctl(self->fd, TOUR_STORE_SET_VALUE, &val));
	val = 66;
	EXPECT_EQ(-1, ioctl(ro, TOUR_STORE_SET_VALUE, &val));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(0, ioctl(ro, TOUR_STORE_GET_VALUE, &val));
	EXPECT_EQ(55, val);
	val = 77;
	EXPECT_EQ(0, ioctl(wo, TOUR_STORE_SET_VALUE, &val));
	EXPECT_EQ(0, ioctl(ro, TOUR_STORE_GET_VALUE, &val));
	EXPECT_EQ(77, val);
	close(ro);
	close(wo);
}

/* Bad pointers fail GET and SET, and a failed SET changes nothing. */
TEST_F(store, value_bad_pointer_is_efault)
{
	void *gone = unmapped_page();
	int val = 88;

	ASSERT_NE(MAP_FAILED, gone);
	ASSERT_EQ(0, ioctl(self->fd, TOUR_STORE_SET_VALUE, &val));
	EXPECT_EQ(-1, ioctl(self->fd, TOUR_STORE_GET_VALUE, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, TOUR_STORE_GET_VALUE, gone));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, TOUR_STORE_SET_VALUE, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, TOUR_STORE_SET_VALUE, gone));
	EXPECT_EQ(EFAULT, errno);
	val = 0;
	EXPECT_EQ(0, ioctl(self->fd, TOUR_STORE_GET_VALUE, &val));
	EXPECT_EQ(88, val);
}

/* Unknown numbers, a known number with the wrong size, and TCGETS. */
TEST_F(store, unknown_ioctl_is_enotty)
{
	unsigned long cmds[] = {
		_IO(TOUR_STORE_IOC_MAGIC, 0x83),
		_IOR(TOUR_STORE_IOC_MAGIC, 0x81, long long),
		_IO('T', 0x01),
	};
	char arg[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		EXPECT_EQ(-1, ioctl(self->fd, cmds[i], arg))
			TH_LOG("ioctl 0x%lx", cmds[i]);
		EXPECT_EQ(ENOTTY, errno);
	}
}

/* Threads sharing a file and processes with their own replace and read. */
TEST_F(store, concurrent_writers_and_readers)
{
	struct churner churners[THREADS];
	pthread_t threads[THREADS];
	int i, fd, status, bad = 0;
	pid_t pids[PROCS];
	void *ret;

	if (self->max < CHURN_SIZE)
		SKIP(return, "max_size is under %d", CHURN_SIZE);
	ASSERT_EQ((ssize_t)sizeof(INITIAL) - 1,
		  write(self->fd, INITIAL, sizeof(INITIAL) - 1));
	for (i = 0; i < PROCS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			fd = open(node, O_RDWR);
			_exit(fd < 0 || churn(fd, 'a' + THREADS + i));
		}
	}
	for (i = 0; i < THREADS; i++) {
		churners[i].fd = self->fd;
		churners[i].letter = 'a' + i;
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, churn_thread,
					    &churners[i]));
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(threads[i], &ret);
		bad += (long)ret;
	}
	for (i = 0; i < PROCS; i++) {
		waitpid(pids[i], &status, 0);
		bad += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	EXPECT_EQ(0, bad);
}

TEST_F(store, module_in_use_cannot_be_removed)
{
	int status;

	if (tour_module_builtin())
		SKIP(return, "%s is built in", module);
	status = tour_module_rmmod();
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		SKIP(return, "no rmmod");
	EXPECT_NE(0, status);
	EXPECT_EQ(0, access(node, F_OK));
}

TEST_HARNESS_MAIN
