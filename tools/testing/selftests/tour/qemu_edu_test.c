// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test drivers/misc/qemu_edu on QEMU's edu devices (qemu -device edu, once or
 * more): the nodes /dev/qemu_eduN, factorials through sysfs and the ioctl
 * against computed 32-bit values, the liveness register, DMA round trips of
 * random data at many offsets and lengths on every device, devices that keep
 * to themselves, bad input with its documented errno (EINVAL, EFBIG, EFAULT,
 * ENOTTY), and unbind and bind while idle, while a file is open (ENODEV) and
 * while children do DMA and factorials.
 *
 * The driver is qemu_edu, unless the environment's TOUR_MODULE names another
 * (tour_module.h). A driver whose name begins with rust_ is a Rust twin,
 * which has no sysfs attributes (id, factorial, liveness): the tests of them
 * skip on it, and the tests that mix check all but them. A device bound to
 * another driver is unbound from it first, so either driver can be tested
 * while the other is loaded.
 *
 * It skips when there is no edu device, or no driver for it.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "../../../../include/uapi/misc/qemu_edu.h"

#define TOUR_MODULE_DEFAULT "qemu_edu"
#include "tour_module.h"

#define PCI_DEVICES	"/sys/bus/pci/devices"
#define PCI_DRIVERS	"/sys/bus/pci/drivers"
#define MAX_DEVS	8
#define MISC_MAJOR	10
#define ROUND_TRIPS	12
#define BUSY_MS		400
/*
 * The documented size of /dev/qemu_eduN, which lseek(SEEK_END) gives: all
 * but the last byte of the device's 4 KiB buffer (QEMU 7.2's DMA bug).
 */
#define FILE_SIZE	4095

/* Bypass glibc, whose read() and write() are declared to want a buffer. */
#define sys_read(fd, buf, len)	syscall(SYS_read, fd, buf, len)
#define sys_write(fd, buf, len)	syscall(SYS_write, fd, buf, len)

/* Why a check of the attributes skips on a Rust twin (of module). */
#define NO_ATTRS	"%s, a Rust twin, has no sysfs attributes"

/*
 * The driver under test is tour_module.h's module. Its directory, and whether
 * its devices have the sysfs attributes: the Rust twins' names begin with
 * rust_, and the twin of qemu_edu has none.
 */
static char driver_dir[128];
static bool has_attrs;

/* After tour_module_pick(), which has priority 101. */
__attribute__((constructor(102))) static void driver_pick(void)
{
	snprintf(driver_dir, sizeof(driver_dir), PCI_DRIVERS "/%s", module);
	has_attrs = strncmp(module, "rust_", 5) != 0;
}

/**
 * struct edu - one edu device
 * @bdf: its PCI address, such as 0000:00:04.0
 * @node: its misc device, such as /dev/qemu_edu0
 * @attr: its sysfs directory in the driver's, whose files are factorial,
 *	liveness, id (none for the Rust twin)
 */
struct edu {
	char bdf[32];
	char node[64];
	char attr[192];
};

/* n! modulo 2^32, as the device computes it. */
static uint32_t fact(uint32_t n)
{
	uint32_t r = 1;

	while (n > 0)
		r *= n--;
	return r;
}

/* Write the string s to the file path: 0, or the errno of the failure. */
static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;
	int err;

	if (fd < 0)
		return errno;
	n = write(fd, s, strlen(s));
	err = n < 0 ? errno : (size_t)n == strlen(s) ? 0 : EIO;
	close(fd);
	return err;
}

/* Read the file path into buf, NUL-terminated: its length or -errno. */
static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		n = -errno;
	else
		buf[n] = '\0';
	close(fd);
	return n;
}

static int attr_write(const struct edu *e, const char *name, const char *s)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", e->attr, name);
	return write_file(path, s);
}

static int attr_read(const struct edu *e, const char *name, char *buf,
		     size_t size)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", e->attr, name);
	return read_file(path, buf, size);
}

/* Whether the PCI device bdf is an edu device. */
static int is_edu(const char *bdf)
{
	char path[512], buf[32];

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/vendor", bdf);
	if (read_file(path, buf, sizeof(buf)) <= 0 || strcmp(buf, "0x1234\n"))
		return 0;
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/device", bdf);
	return read_file(path, buf, sizeof(buf)) > 0 && !strcmp(buf, "0x11e8\n");
}

/* The edu devices' PCI addresses, sorted; their number. */
static int edu_bdfs(char bdfs[][32], int max)
{
	struct dirent **list;
	int i, n, found = 0;

	n = scandir(PCI_DEVICES, &list, NULL, alphasort);
	for (i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		size_t len = strlen(name);

		if (found < max && len < 32 && is_edu(name))
			memcpy(bdfs[found++], name, len + 1);
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	return found;
}

/*
 * Unbind bdf from the driver it is bound to, if that is not the driver under
 * test: 0, or the errno of the failure.
 */
static int edu_unbind_other(const char *bdf)
{
	char path[512], link[512];
	const char *name;
	ssize_t n;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return errno == ENOENT ? 0 : errno;
	link[n] = '\0';
	name = strrchr(link, '/');
	if (!strcmp(name ? name + 1 : link, module))
		return 0;
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver/unbind", bdf);
	return write_file(path, bdf);
}

/* Bind bdf to the driver under test unless it is bound already. */
static int edu_bind(const char *bdf)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", driver_dir, bdf);
	if (!access(path, F_OK))
		return 0;
	snprintf(path, sizeof(path), "%s/bind", driver_dir);
	return write_file(path, bdf);
}

static int edu_unbind(const char *bdf)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/unbind", driver_dir);
	return write_file(path, bdf);
}

/* Fill in e for the bound device bdf: 0, or -1 if it has no node. */
static int edu_find(struct edu *e, const char *bdf)
{
	char pattern[512];
	glob_t g;
	int ret = -1;

	if (e->bdf != bdf)
		snprintf(e->bdf, sizeof(e->bdf), "%s", bdf);
	snprintf(e->attr, sizeof(e->attr), "%s/%s", driver_dir, bdf);
	/* qemu_edu* does not match rust_qemu_edu0, nor the reverse. */
	snprintf(pattern, sizeof(pattern), PCI_DEVICES "/%s/misc/%s*", bdf,
		 module);
	if (!glob(pattern, 0, NULL, &g) && g.gl_pathc == 1) {
		snprintf(e->node, sizeof(e->node), "/dev/%s",
			 strrchr(g.gl_pathv[0], '/') + 1);
		ret = 0;
	}
	globfree(&g);
	return ret;
}

/* A pseudo-random pattern of seed, with every byte value in it. */
static void fill(unsigned char *buf, size_t len, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = x >> 16;
	}
}

/* Write len bytes of seed's pattern at off and read them back: 1 if same. */
static int round_trip(int fd, off_t off, size_t len, uint32_t seed)
{
	unsigned char out[FILE_SIZE], in[FILE_SIZE];

	fill(out, len, seed);
	memset(in, ~out[0], len);
	if (pwrite(fd, out, len, off) != (ssize_t)len)
		return 0;
	if (pread(fd, in, len, off) != (ssize_t)len)
		return 0;
	return !memcmp(in, out, len);
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

FIXTURE(edu) {
	struct edu dev[MAX_DEVS];
	int n;
};

/* Every edu device bound to the driver under test, each with its node. */
FIXTURE_SETUP(edu)
{
	char bdfs[MAX_DEVS][32], cmd[128];
	int i, found;

	found = edu_bdfs(bdfs, MAX_DEVS);
	if (!found)
		SKIP(return, "no edu device (qemu -device edu)");
	if (access(driver_dir, F_OK)) {
		snprintf(cmd, sizeof(cmd), "modprobe -q %s", module);
		system(cmd);
	}
	if (access(driver_dir, F_OK))
		SKIP(return, "no %s driver (%s)", module,
		     has_attrs ? "CONFIG_QEMU_EDU" : "a Rust sample's option");
	for (i = 0; i < found; i++) {
		ASSERT_EQ(0, edu_unbind_other(bdfs[i]))
			TH_LOG("unbind %s from its other driver", bdfs[i]);
		ASSERT_EQ(0, edu_bind(bdfs[i])) TH_LOG("bind %s", bdfs[i]);
		ASSERT_EQ(0, edu_find(&self->dev[i], bdfs[i]))
			TH_LOG("no node for %s", bdfs[i]);
	}
	self->n = found;
}

FIXTURE_TEARDOWN(edu)
{
}

TEST_F(edu, nodes_are_misc_0600_and_id_is_edu)
{
	struct stat st;
	char buf[64];
	int i;

	for (i = 0; i < self->n; i++) {
		ASSERT_EQ(0, stat(self->dev[i].node, &st));
		EXPECT_TRUE(S_ISCHR(st.st_mode));
		EXPECT_EQ(MISC_MAJOR, major(st.st_rdev));
		EXPECT_EQ(0600, st.st_mode & 07777);
		if (!has_attrs)
			continue;	/* no id on the Rust twin */
		ASSERT_LT(0, attr_read(&self->dev[i], "id", buf, sizeof(buf)));
		EXPECT_EQ(0xed, strtoul(buf, NULL, 16) & 0xffff);
	}
}

/*
 * N! for N from 0 to 20, 33, 34 (the first 0) and the largest N: the file
 * reads back one value, the result.
 */
TEST_F(edu, factorial_sysfs)
{
	static const uint32_t more[] = { 33, 34, 100, QEMU_EDU_FACT_MAX };
	unsigned int n, i;
	char buf[64], want[16];
	int d;

	if (!has_attrs)
		SKIP(return, NO_ATTRS, module);
	for (d = 0; d < self->n; d++) {
		for (i = 0; i <= 20 + ARRAY_SIZE(more); i++) {
			n = i <= 20 ? i : more[i - 21];
			snprintf(buf, sizeof(buf), "%u\n", n);
			ASSERT_EQ(0, attr_write(&self->dev[d], "factorial",
						buf));
			ASSERT_LT(0, attr_read(&self->dev[d], "factorial", buf,
					       sizeof(buf)));
			snprintf(want, sizeof(want), "%u\n", fact(n));
			EXPECT_STREQ(want, buf) TH_LOG("%u!", n);
		}
	}
}

TEST_F(edu, factorial_ioctl)
{
	struct qemu_edu_factorial f;
	unsigned int n;
	int d, fd;

	for (d = 0; d < self->n; d++) {
		fd = open(self->dev[d].node, O_RDWR);
		ASSERT_LE(0, fd);
		for (n = 0; n <= 40; n++) {
			f.n = n;
			f.result = 12345;
			ASSERT_EQ(0, ioctl(fd, QEMU_EDU_IOC_FACTORIAL, &f));
			EXPECT_EQ(n, f.n);
			EXPECT_EQ(fact(n), f.result) TH_LOG("%u!", n);
		}
		f.n = QEMU_EDU_FACT_MAX + 1;
		EXPECT_EQ(-1, ioctl(fd, QEMU_EDU_IOC_FACTORIAL, &f));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(-1, ioctl(fd, QEMU_EDU_IOC_FACTORIAL, NULL));
		EXPECT_EQ(EFAULT, errno);
		EXPECT_EQ(-1, ioctl(fd, _IOWR(QEMU_EDU_IOC_MAGIC, 1,
					      struct qemu_edu_factorial), &f));
		EXPECT_EQ(ENOTTY, errno);
		EXPECT_EQ(-1, ioctl(fd, _IOR(QEMU_EDU_IOC_MAGIC, 0, int), &f));
		EXPECT_EQ(ENOTTY, errno);
		close(fd);
	}
}

/* Bad numbers are EINVAL and leave the last result as it was. */
TEST_F(edu, factorial_bad_input)
{
	static const char *const bad[] = {
		"", "\n", "abc", "-1", "5x", " 5", "0x10", "1000001",
		"4294967296", "99999999999999999999",
	};
	char before[64], after[64];
	unsigned int i;

	if (!has_attrs)
		SKIP(return, NO_ATTRS, module);
	ASSERT_EQ(0, attr_write(&self->dev[0], "factorial", "7"));
	ASSERT_LT(0, attr_read(&self->dev[0], "factorial", before,
			       sizeof(before)));
	EXPECT_STREQ("5040\n", before);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (!*bad[i])
			continue;	/* write() of nothing never reaches sysfs */
		EXPECT_EQ(EINVAL, attr_write(&self->dev[0], "factorial",
					     bad[i]))
			TH_LOG("\"%s\"", bad[i]);
	}
	ASSERT_LT(0, attr_read(&self->dev[0], "factorial", after,
			       sizeof(after)));
	EXPECT_STREQ(before, after);
}

/* The register keeps the inverse of what was written; bad input is EINVAL. */
TEST_F(edu, liveness)
{
	char buf[64];
	int d;

	if (!has_attrs)
		SKIP(return, NO_ATTRS, module);
	for (d = 0; d < self->n; d++) {
		ASSERT_EQ(0, attr_write(&self->dev[d], "liveness",
					"0x12345678\n"));
		ASSERT_LT(0, attr_read(&self->dev[d], "liveness", buf,
				       sizeof(buf)));
		EXPECT_STREQ("0xedcba987\n", buf);
		ASSERT_EQ(0, attr_write(&self->dev[d], "liveness", "0"));
		ASSERT_LT(0, attr_read(&self->dev[d], "liveness", buf,
				       sizeof(buf)));
		EXPECT_STREQ("0xffffffff\n", buf);
		EXPECT_EQ(EINVAL, attr_write(&self->dev[d], "liveness", "xyz"));
		EXPECT_EQ(EINVAL, attr_write(&self->dev[d], "liveness",
					     "0x100000000"));
		EXPECT_EQ(EINVAL, attr_write(&self->dev[d], "liveness", "-"));
		ASSERT_LT(0, attr_read(&self->dev[d], "liveness", buf,
				       sizeof(buf)));
		EXPECT_STREQ("0xffffffff\n", buf);
	}
}

/*
 * Random data of many lengths at many offsets, odd ones included, comes
 * back through the device on every device; and the whole 4095 bytes.
 */
TEST_F_TIMEOUT(edu, dma_round_trips, 300)
{
	static const struct {
		off_t off;
		size_t len;
	} cases[] = {
		{ 0, 1 }, { 0, 2 }, { 0, 3 }, { 0, 255 }, { 0, 4095 },
		{ 1, 1 }, { 3, 5 }, { 7, 4088 }, { 1001, 999 }, { 4094, 1 },
		{ 1, 4094 }, { 2047, 2048 }, { 4000, 95 }, { 4093, 2 },
	};
	uint32_t seed = time(NULL);
	unsigned int i;
	size_t len;
	off_t off;
	int d, fd;

	TH_LOG("seed %u", seed);
	for (d = 0; d < self->n; d++) {
		fd = open(self->dev[d].node, O_RDWR);
		ASSERT_LE(0, fd);
		for (i = 0; i < ARRAY_SIZE(cases); i++)
			EXPECT_TRUE(round_trip(fd, cases[i].off, cases[i].len,
					       seed + i))
				TH_LOG("%s: %zu at %ld", self->dev[d].node,
				       cases[i].len, (long)cases[i].off);
		srandom(seed + d);
		for (i = 0; i < ROUND_TRIPS; i++) {
			off = random() % FILE_SIZE;
			len = 1 + random() % (FILE_SIZE - off);
			EXPECT_TRUE(round_trip(fd, off, len, seed + 100 + i))
				TH_LOG("%s: %zu at %ld", self->dev[d].node,
				       len, (long)off);
		}
		close(fd);
	}
}

/* Parts of earlier writes are read back wherever they lie. */
TEST_F(edu, dma_partial_overlap_and_eof)
{
	char buf[FILE_SIZE + 10];
	ssize_t total = 0, n;
	int fd;

	fd = open(self->dev[0].node, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(11, pwrite(fd, "hello world", 11, 100));
	ASSERT_EQ(3, pwrite(fd, "XYZ", 3, 106));
	ASSERT_EQ(5, pread(fd, buf, 5, 104));
	EXPECT_EQ(0, memcmp(buf, "o XYZ", 5));
	/* Sequential reads see 4095 bytes, then end of file. */
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	while ((n = read(fd, buf + total, 1000)) > 0)
		total += n;
	EXPECT_EQ(0, n);
	EXPECT_EQ(FILE_SIZE, total);
	EXPECT_EQ(0, memcmp(buf + 100, "hello XYZld", 11));
	EXPECT_EQ(FILE_SIZE, lseek(fd, 0, SEEK_CUR));
	close(fd);
}

/* The errors of read, write and lseek, and the zero-length calls. */
TEST_F(edu, bad_io)
{
	long page = sysconf(_SC_PAGESIZE);
	char buf[16] = "0123456789";
	void *none, *ro;
	int fd;

	fd = open(self->dev[0].node, O_RDWR);
	ASSERT_LE(0, fd);

	EXPECT_EQ(0, pwrite(fd, buf, 0, 0));
	EXPECT_EQ(0, pread(fd, buf, 0, 0));
	EXPECT_EQ(0, pwrite(fd, buf, 0, 5000));

	EXPECT_EQ(-1, pwrite(fd, buf, 1, FILE_SIZE));
	EXPECT_EQ(EFBIG, errno);
	EXPECT_EQ(-1, pwrite(fd, buf, 1, 1 << 20));
	EXPECT_EQ(EFBIG, errno);
	EXPECT_EQ(1, pwrite(fd, buf, 10, FILE_SIZE - 1));
	EXPECT_EQ(0, pread(fd, buf, 1, FILE_SIZE));
	EXPECT_EQ(0, pread(fd, buf, 1, 1 << 20));
	EXPECT_EQ(1, pread(fd, buf, 10, FILE_SIZE - 1));
	EXPECT_EQ('0', buf[0]);

	EXPECT_EQ(-1, pread(fd, buf, 1, -1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, pwrite(fd, buf, 1, -1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(fd, FILE_SIZE + 1, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(fd, -1, SEEK_SET));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(FILE_SIZE, lseek(fd, 0, SEEK_END));
	EXPECT_EQ(FILE_SIZE - 5, lseek(fd, -5, SEEK_END));
	EXPECT_EQ(-1, lseek(fd, 1, SEEK_END));
	EXPECT_EQ(EINVAL, errno);

	/* The read-only page first, or it could take the unmapped one's place. */
	ro = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	none = unmapped_page();
	ASSERT_NE(MAP_FAILED, none);
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	EXPECT_EQ(-1, sys_write(fd, none, 8));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, sys_read(fd, none, 8));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, sys_read(fd, ro, 8));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, lseek(fd, 0, SEEK_CUR));
	munmap(ro, page);
	close(fd);
}

/*
 * Two devices keep their own buffer and their own last factorial (that one
 * through sysfs, so not on the Rust twin).
 */
TEST_F(edu, devices_are_independent)
{
	unsigned char a[300], b[300], got[300];
	char buf[64];
	int fa, fb;

	if (self->n < 2)
		SKIP(return, "one edu device only (add -device edu)");
	fa = open(self->dev[0].node, O_RDWR);
	fb = open(self->dev[1].node, O_RDWR);
	ASSERT_LE(0, fa);
	ASSERT_LE(0, fb);
	fill(a, sizeof(a), 1);
	fill(b, sizeof(b), 2);
	ASSERT_EQ(sizeof(a), pwrite(fa, a, sizeof(a), 50));
	ASSERT_EQ(sizeof(b), pwrite(fb, b, sizeof(b), 50));
	ASSERT_EQ(sizeof(got), pread(fa, got, sizeof(got), 50));
	EXPECT_EQ(0, memcmp(got, a, sizeof(a)));
	ASSERT_EQ(sizeof(got), pread(fb, got, sizeof(got), 50));
	EXPECT_EQ(0, memcmp(got, b, sizeof(b)));

	if (has_attrs) {
		ASSERT_EQ(0, attr_write(&self->dev[0], "factorial", "5"));
		ASSERT_EQ(0, attr_write(&self->dev[1], "factorial", "6"));
		ASSERT_LT(0, attr_read(&self->dev[0], "factorial", buf,
				       sizeof(buf)));
		EXPECT_STREQ("120\n", buf);
		ASSERT_LT(0, attr_read(&self->dev[1], "factorial", buf,
				       sizeof(buf)));
		EXPECT_STREQ("720\n", buf);
	}
	close(fa);
	close(fb);
}

/*
 * A child of the test: killed if the test's process ends first (an ASSERT
 * that returns early must not leave it looping on the device).
 */
static int child_open(const char *node)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL))
		_exit(2);
	return open(node, O_RDWR);
}

/*
 * Child: DMA round trips on node, in a 1 KiB region of its own at base,
 * until an error; says ready on the pipe once its first round trip is done;
 * exit 0 if the error was ENODEV.
 */
static void dma_loop(const char *node, off_t base, int ready)
{
	unsigned int i = 0;
	int fd = child_open(node);

	if (fd < 0)
		_exit(2);
	for (;; i++) {
		if (i == 1 && write(ready, "x", 1) != 1)
			_exit(2);
		unsigned char out[512], in[512];
		off_t off = base + (i * 131) % sizeof(out);

		fill(out, sizeof(out), i);
		if (pwrite(fd, out, sizeof(out), off) != sizeof(out))
			break;
		if (pread(fd, in, sizeof(in), off) != sizeof(in))
			break;
		if (memcmp(in, out, sizeof(in)))
			_exit(3);
	}
	_exit(errno == ENODEV ? 0 : 4);
}

/*
 * Child: factorials through the ioctl until an error; says ready once the
 * first is done; exit 0 if the error was ENODEV.
 */
static void fact_loop(const char *node, int ready)
{
	struct qemu_edu_factorial f;
	unsigned int i = 0;
	int fd = child_open(node);

	if (fd < 0)
		_exit(2);
	for (f.n = 0;; f.n = (f.n + 1) % 20, i++) {
		if (i == 1 && write(ready, "x", 1) != 1)
			_exit(2);
		if (ioctl(fd, QEMU_EDU_IOC_FACTORIAL, &f))
			break;
		if (f.result != fact(f.n))
			_exit(3);
	}
	_exit(errno == ENODEV ? 0 : 4);
}

/* Whether the device works: a factorial and a round trip. */
static int works(const struct edu *e)
{
	struct qemu_edu_factorial f = { .n = 10 };
	int fd = open(e->node, O_RDWR);
	int ok;

	if (fd < 0)
		return 0;
	ok = !ioctl(fd, QEMU_EDU_IOC_FACTORIAL, &f) && f.result == 3628800 &&
	     round_trip(fd, 3, 1000, 77);
	close(fd);
	return ok;
}

TEST_F(edu, unbind_bind_idle)
{
	struct edu *e = &self->dev[0];
	char buf[64];

	ASSERT_EQ(0, edu_unbind(e->bdf));
	EXPECT_NE(0, access(e->node, F_OK));
	EXPECT_NE(0, access(e->attr, F_OK));
	ASSERT_EQ(0, edu_bind(e->bdf));
	ASSERT_EQ(0, edu_find(e, e->bdf));
	/* The probe's 0!, which checks the interrupt (not on the Rust twin). */
	if (has_attrs) {
		ASSERT_LT(0, attr_read(e, "factorial", buf, sizeof(buf)));
		EXPECT_STREQ("1\n", buf);
	}
	EXPECT_TRUE(works(e));
	/* The other devices went on working throughout. */
	if (self->n > 1)
		EXPECT_TRUE(works(&self->dev[1]));
}

/* A file open across the unbind fails with ENODEV, then closes cleanly. */
TEST_F(edu, unbind_with_open_file)
{
	struct edu *e = &self->dev[0];
	struct qemu_edu_factorial f = { .n = 3 };
	char buf[8] = "abc";
	int fd;

	fd = open(e->node, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(3, pwrite(fd, buf, 3, 0));
	ASSERT_EQ(0, edu_unbind(e->bdf));
	EXPECT_EQ(-1, pread(fd, buf, 3, 0));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, pwrite(fd, buf, 3, 0));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, ioctl(fd, QEMU_EDU_IOC_FACTORIAL, &f));
	EXPECT_EQ(ENODEV, errno);
	/* What needs no device still works. */
	EXPECT_EQ(10, lseek(fd, 10, SEEK_SET));
	EXPECT_EQ(0, pread(fd, buf, 0, 0));
	ASSERT_EQ(0, edu_bind(e->bdf));
	/* The old file stays with the old, removed device. */
	EXPECT_EQ(-1, pread(fd, buf, 3, 0));
	EXPECT_EQ(ENODEV, errno);
	close(fd);
	ASSERT_EQ(0, edu_find(e, e->bdf));
	EXPECT_TRUE(works(e));
}

/*
 * Children do DMA and factorials on the device in a loop while it is
 * unbound: each ends with ENODEV (never with wrong data), the kernel stays
 * well, and after bind the device works again. Twice over. Each child says
 * ready once an operation of its own has been done, and loops on: so at the
 * unbind four users are at work, one of them inside the driver and the
 * others waiting for it.
 */
TEST_F_TIMEOUT(edu, unbind_bind_busy, 120)
{
	struct edu *e = &self->dev[0];
	int round, c, status, pipefd[2];
	pid_t pid[4];
	char x;

	for (round = 0; round < 2; round++) {
		ASSERT_EQ(0, pipe(pipefd));
		for (c = 0; c < 4; c++) {
			pid[c] = fork();
			ASSERT_LE(0, pid[c]);
			if (!pid[c]) {
				close(pipefd[0]);
				if (c & 1)
					fact_loop(e->node, pipefd[1]);
				dma_loop(e->node, c * 1024, pipefd[1]);
			}
		}
		close(pipefd[1]);
		for (c = 0; c < 4; c++) {
			struct pollfd p = { .fd = pipefd[0], .events = POLLIN };

			/* A child that failed first must not hang the test. */
			ASSERT_EQ(1, poll(&p, 1, 30000));
			ASSERT_EQ(1, read(pipefd[0], &x, 1));
		}
		close(pipefd[0]);
		usleep(BUSY_MS * 1000);
		ASSERT_EQ(0, edu_unbind(e->bdf));
		for (c = 0; c < 4; c++) {
			ASSERT_EQ(pid[c], waitpid(pid[c], &status, 0));
			EXPECT_TRUE(WIFEXITED(status));
			EXPECT_EQ(0, WEXITSTATUS(status))
				TH_LOG("child %d (%s)", c, c & 1 ? "fact" : "dma");
		}
		ASSERT_EQ(0, edu_bind(e->bdf));
		ASSERT_EQ(0, edu_find(e, e->bdf));
		EXPECT_TRUE(works(e));
	}
}

/* Users of one device in parallel each get their own, right, results. */
TEST_F_TIMEOUT(edu, concurrent_users, 120)
{
	int c, status, pipefd[2];
	pid_t pid[3];
	char x;

	ASSERT_EQ(0, pipe(pipefd));
	for (c = 0; c < 3; c++) {
		pid[c] = fork();
		ASSERT_LE(0, pid[c]);
		if (!pid[c]) {
			struct qemu_edu_factorial f;
			int i, fd = open(self->dev[0].node, O_RDWR);

			close(pipefd[0]);
			if (fd < 0 || write(pipefd[1], "x", 1) != 1)
				_exit(2);
			for (i = 0; i < 10; i++) {
				f.n = c * 5 + i;
				if (ioctl(fd, QEMU_EDU_IOC_FACTORIAL, &f) ||
				    f.result != fact(f.n))
					_exit(3);
				if (!round_trip(fd, c * 1300, 1200, c * 100 + i))
					_exit(4);
			}
			_exit(0);
		}
	}
	close(pipefd[1]);
	for (c = 0; c < 3; c++)
		ASSERT_EQ(1, read(pipefd[0], &x, 1));
	close(pipefd[0]);
	for (c = 0; c < 3; c++) {
		ASSERT_EQ(pid[c], waitpid(pid[c], &status, 0));
		EXPECT_TRUE(WIFEXITED(status));
		EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("child %d", c);
	}
}

TEST_HARNESS_MAIN
