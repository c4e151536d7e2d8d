// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test samples/tour/tour_procfs through /proc/tour: the entries and their
 * modes, the records text read in pieces of any size, after lseek() and at
 * offsets, records appended and refused, the bounded text, and the secret
 * entry, which another user may not read.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"

#define DIR		"/proc/tour/"
#define TEXT_MAX	128		/* the module's TOUR_PROCFS_TEXT_MAX */
#define BIG		(4 * 1024 * 1024)	/* more than records can hold */
#define NOBODY		65534

/* Read all of @fd from its position, @chunk bytes a read(); -1 on error. */
static ssize_t read_all(int fd, char *buf, size_t size, size_t chunk)
{
	size_t len = 0;
	ssize_t n;

	do {
		n = read(fd, buf + len, len + chunk < size ? chunk : size - len);
		if (n < 0)
			return -1;
		len += n;
	} while (n > 0 && len < size);
	buf[len < size ? len : size - 1] = '\0';
	return len;
}

/* Write @s to the entry @name; the errno, or 0 when all of it went. */
static int write_entry(const char *name, const void *s, size_t len)
{
	int fd = open(name, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, s, len) != (ssize_t)len)
		err = errno ?: EIO;
	close(fd);
	return err;
}

/* The errno of open(@name, @flags) in a child of uid and gid NOBODY. */
static int open_as_nobody(const char *name, int flags)
{
	int status, fd;
	pid_t pid;

	pid = fork();
	if (!pid) {
		if (setgid(NOBODY) || setuid(NOBODY))
			_exit(255);
		fd = open(name, flags);
		_exit(fd < 0 ? errno : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

FIXTURE(procfs) {
	char *text;	/* the records text, as one whole read gives it */
	ssize_t len;
};

FIXTURE_SETUP(procfs)
{
	int fd;

	self->text = NULL;
	if (access(DIR "records", F_OK))
		system("modprobe -q tour_procfs");
	if (access(DIR "records", F_OK))
		SKIP(return, "no " DIR " (CONFIG_SAMPLE_TOUR_PROCFS)");
	self->text = malloc(BIG);
	ASSERT_NE(NULL, self->text);
	fd = open(DIR "records", O_RDONLY);
	ASSERT_LE(0, fd);
	self->len = read_all(fd, self->text, BIG, BIG);
	close(fd);
	ASSERT_LT(0, self->len);
}

FIXTURE_TEARDOWN(procfs)
{
	free(self->text);
}

TEST_F(procfs, entries_and_modes)
{
	static const struct {
		const char *name;
		mode_t mode;
	} entries[] = {
		{ DIR "version", 0444 }, { DIR "text", 0644 },
		{ DIR "records", 0644 }, { DIR "secret", 0400 },
	};
	struct stat st;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(entries); i++) {
		ASSERT_EQ(0, stat(entries[i].name, &st));
		EXPECT_TRUE(S_ISREG(st.st_mode));
		EXPECT_EQ(entries[i].mode, st.st_mode & 07777)
			TH_LOG("%s", entries[i].name);
	}
	ASSERT_EQ(0, stat(DIR, &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
}

TEST_F(procfs, version_names_the_kernel)
{
	char want[256], got[256];
	struct utsname u;
	int fd;

	ASSERT_EQ(0, uname(&u));
	snprintf(want, sizeof(want), "tour_procfs on Linux %s\n", u.release);
	fd = open(DIR "version", O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_LT(0, read_all(fd, got, sizeof(got), sizeof(got)));
	EXPECT_STREQ(want, got);
	close(fd);
}

/* The header, then one line a record, of consecutive ids from 0. */
TEST_F(procfs, records_are_numbered_lines)
{
	unsigned int id, value, want = 0;
	char *line = self->text;
	int fields, n;

	ASSERT_EQ(0, strncmp(line, "id value\n", 9));
	for (line += 9; *line; line = strchr(line, '\n') + 1) {
		fields = sscanf(line, "%u %u%n", &id, &value, &n);
		ASSERT_EQ(2, fields);
		ASSERT_EQ('\n', line[n]);
		ASSERT_EQ(want, id);
		want++;
	}
	EXPECT_LT(0, want);
}

/* Reads of any size give the same text as one whole read. */
TEST_F(procfs, records_any_read_size)
{
	static const size_t chunks[] = { 1, 7, 100, 4095, 4096, 65536 };
	char *got = malloc(BIG);
	unsigned int i;
	int fd;

	ASSERT_NE(NULL, got);
	for (i = 0; i < ARRAY_SIZE(chunks); i++) {
		fd = open(DIR "records", O_RDONLY);
		ASSERT_LE(0, fd);
		EXPECT_EQ(self->len, read_all(fd, got, BIG, chunks[i]));
		EXPECT_STREQ(self->text, got) TH_LOG("reads of %zu", chunks[i]);
		close(fd);
	}
	free(got);
}

/* lseek() to 0 and pread() at an offset see the same text. */
TEST_F(procfs, records_lseek_and_pread)
{
	char *got = malloc(BIG);
	int fd;

	ASSERT_NE(NULL, got);
	fd = open(DIR "records", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(100, read(fd, got, 100));
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	EXPECT_EQ(self->len, read_all(fd, got, BIG, 1000));
	EXPECT_STREQ(self->text, got);
	EXPECT_EQ(50, pread(fd, got, 50, 123));
	EXPECT_EQ(0, memcmp(got, self->text + 123, 50));
	close(fd);
	free(got);
}

/* An appended record is the last line; bad numbers change nothing. */
TEST_F(procfs, records_append_and_refuse)
{
	char *got = malloc(BIG), want[64];
	unsigned int lines = 0;
	char *p;
	int fd;

	ASSERT_NE(NULL, got);
	for (p = self->text; *p; p++)
		lines += *p == '\n';
	EXPECT_EQ(0, write_entry(DIR "records", "4242\n", 5));
	EXPECT_EQ(EINVAL, write_entry(DIR "records", "abc\n", 4));
	EXPECT_EQ(EINVAL, write_entry(DIR "records", "-1\n", 3));
	EXPECT_EQ(ERANGE, write_entry(DIR "records", "4294967296\n", 11));
	EXPECT_EQ(EINVAL, write_entry(DIR "records",
				      "000000000000000042\n", 19));

	fd = open(DIR "records", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, read_all(fd, got, BIG, BIG));
	close(fd);
	snprintf(want, sizeof(want), "%u 4242\n", lines - 1);
	EXPECT_EQ(0, strncmp(got, self->text, self->len));
	EXPECT_STREQ(want, got + self->len);
	free(got);
}

/* The text is replaced whole, up to TEXT_MAX bytes; more is EFBIG. */
TEST_F(procfs, text_is_bounded)
{
	char big[TEXT_MAX + 1], got[2 * TEXT_MAX];
	int fd;

	memset(big, 'x', sizeof(big));
	EXPECT_EQ(0, write_entry(DIR "text", "hello\n", 6));
	EXPECT_EQ(EFBIG, write_entry(DIR "text", big, TEXT_MAX + 1));
	EXPECT_EQ(EFAULT, write_entry(DIR "text", (const void *)1, 4));
	fd = open(DIR "text", O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(6, read_all(fd, got, sizeof(got), sizeof(got)));
	EXPECT_STREQ("hello\n", got);
	close(fd);

	EXPECT_EQ(0, write_entry(DIR "text", big, TEXT_MAX));
	fd = open(DIR "text", O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(TEXT_MAX, read_all(fd, got, sizeof(got), 5));
	EXPECT_EQ(0, memcmp(big, got, TEXT_MAX));
	close(fd);
}

/* Another user reads version, but not secret, and writes nothing. */
TEST_F(procfs, modes_hold_for_another_user)
{
	struct stat st;

	ASSERT_EQ(0, stat(DIR "secret", &st));
	if (st.st_uid == NOBODY)
		SKIP(return, "secret is owned by the test's other user");
	EXPECT_EQ(0, open_as_nobody(DIR "version", O_RDONLY));
	EXPECT_EQ(EACCES, open_as_nobody(DIR "secret", O_RDONLY));
	EXPECT_EQ(EACCES, open_as_nobody(DIR "text", O_WRONLY));
	EXPECT_EQ(EACCES, open_as_nobody(DIR "records", O_WRONLY));
	EXPECT_EQ(0, access(DIR "secret", R_OK));
}

TEST_HARNESS_MAIN
