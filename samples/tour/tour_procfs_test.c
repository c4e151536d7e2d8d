// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the procfs sample, included by tour_procfs.c so that they
 * can call its static functions. The records iterator runs under the real
 * seq_file code, read in pieces of many sizes; the text and the records'
 * writes take user memory that the test maps. Each test has a state of its
 * own, not the one behind /proc/tour.
 */

#include <kunit/test.h>
#include <linux/mman.h>
#include <linux/uio.h>

/* Enough records for the output to span several seq_file buffers. */
#define TOUR_PROCFS_TEST_RECORDS	1000

KUNIT_DEFINE_ACTION_WRAPPER(tour_procfs_test_teardown, tour_procfs_teardown,
			    struct tour_procfs *);

static struct tour_procfs *tour_procfs_test_new(struct kunit *test,
						unsigned int n,
						unsigned int max)
{
	struct tour_procfs *tp;
	int ret;

	tp = kunit_kzalloc(test, sizeof(*tp), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tp);
	ret = tour_procfs_setup(tp, n, max);
	if (ret)
		tour_procfs_teardown(tp);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = kunit_add_action_or_reset(test, tour_procfs_test_teardown, tp);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return tp;
}

/* What /proc/tour/records holds for @n records of squares. */
static char *tour_procfs_test_expected(struct kunit *test, unsigned int n)
{
	size_t size = 16 + n * 24, len;
	unsigned int i;
	char *s;

	s = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	len = scnprintf(s, size, "id value\n");
	for (i = 0; i < n; i++)
		len += scnprintf(s + len, size - len, "%u %u\n", i, i * i);
	return s;
}

/* A records file of @tp, open on the seq_file code. */
static struct file *tour_procfs_test_open(struct kunit *test,
					  struct tour_procfs *tp)
{
	struct seq_file *m;
	struct file *file;

	file = kunit_kzalloc(test, sizeof(*file), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, file);
	file->f_mode = FMODE_READ | FMODE_LSEEK;
	KUNIT_ASSERT_EQ(test, seq_open(file, &tour_procfs_records_ops), 0);
	m = file->private_data;
	m->private = tp;
	return file;
}

static void tour_procfs_test_close(struct file *file)
{
	seq_release(NULL, file);
}

/* Read @file from its position to the end, @chunk bytes a read() at most. */
static char *tour_procfs_test_read_all(struct kunit *test, struct file *file,
				       size_t chunk)
{
	size_t size = 64 * 1024, len = 0;
	struct iov_iter iter;
	struct kiocb kiocb;
	struct kvec kvec;
	ssize_t ret;
	char *buf;

	buf = kunit_kzalloc(test, size + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	do {
		kvec.iov_base = buf + len;
		kvec.iov_len = min(chunk, size - len);
		iov_iter_kvec(&iter, ITER_DEST, &kvec, 1, kvec.iov_len);
		init_sync_kiocb(&kiocb, file);
		kiocb.ki_pos = file->f_pos;
		ret = seq_read_iter(&kiocb, &iter);
		KUNIT_ASSERT_GE(test, ret, 0);
		file->f_pos = kiocb.ki_pos;
		len += ret;
	} while (ret > 0 && len < size);
	return buf;
}

/* Reads of any size make the same text: the header, then each record. */
static void tour_procfs_records_any_read_size(struct kunit *test)
{
	static const size_t chunks[] = { 1, 7, 64, 4095, 4096, 65536 };
	struct tour_procfs *tp;
	const char *want;
	unsigned int i;

	tp = tour_procfs_test_new(test, TOUR_PROCFS_TEST_RECORDS,
				  TOUR_PROCFS_MAX_RECORDS);
	want = tour_procfs_test_expected(test, TOUR_PROCFS_TEST_RECORDS);
	KUNIT_ASSERT_GT(test, strlen(want), 2 * PAGE_SIZE);
	for (i = 0; i < ARRAY_SIZE(chunks); i++) {
		struct file *file = tour_procfs_test_open(test, tp);

		KUNIT_EXPECT_STREQ_MSG(test,
				       tour_procfs_test_read_all(test, file,
								 chunks[i]),
				       want, "reads of %zu", chunks[i]);
		tour_procfs_test_close(file);
	}
}

/* After part of the text, lseek() to 0 reads it all again from the top. */
static void tour_procfs_records_lseek_to_start(struct kunit *test)
{
	struct tour_procfs *tp;
	struct file *file;
	const char *want;

	tp = tour_procfs_test_new(test, TOUR_PROCFS_TEST_RECORDS,
				  TOUR_PROCFS_MAX_RECORDS);
	want = tour_procfs_test_expected(test, TOUR_PROCFS_TEST_RECORDS);
	file = tour_procfs_test_open(test, tp);
	tour_procfs_test_read_all(test, file, 5000);
	KUNIT_EXPECT_EQ(test, seq_lseek(file, 0, SEEK_SET), 0);
	KUNIT_EXPECT_STREQ(test, tour_procfs_test_read_all(test, file, 100),
			   want);
	tour_procfs_test_close(file);
}

static void tour_procfs_records_empty(struct kunit *test)
{
	struct tour_procfs *tp = tour_procfs_test_new(test, 0, 1);
	struct file *file = tour_procfs_test_open(test, tp);

	KUNIT_EXPECT_STREQ(test, tour_procfs_test_read_all(test, file, 4096),
			   "id value\n");
	tour_procfs_test_close(file);
}

/* Appended records follow, until the list holds max_records. */
static void tour_procfs_records_append_until_full(struct kunit *test)
{
	struct tour_procfs *tp = tour_procfs_test_new(test, 2, 3);
	struct file *file;

	KUNIT_EXPECT_EQ(test, tour_procfs_add(tp, 7), 0);
	KUNIT_EXPECT_EQ(test, tour_procfs_add(tp, 8), -ENOSPC);
	file = tour_procfs_test_open(test, tp);
	KUNIT_EXPECT_STREQ(test, tour_procfs_test_read_all(test, file, 4096),
			   "id value\n0 0\n1 1\n2 7\n");
	tour_procfs_test_close(file);
}

/* A user buffer of the test holding @s, without its NUL. */
static const char __user *tour_procfs_test_ubuf(struct kunit *test,
						const char *s)
{
	unsigned long addr;

	addr = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, addr, 0, "no user mapping for the test");
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)addr, s, strlen(s)),
			0);
	return (const char __user *)addr;
}

/* Writes to records: one number each, of the errnos the header gives. */
static void tour_procfs_records_write_numbers(struct kunit *test)
{
	static const struct {
		const char *in;
		ssize_t ret;
	} cases[] = {
		{ "42\n", 3 }, { "0x10", 4 }, { "4294967295", 10 },
		{ "4294967296", -ERANGE }, { "-1", -EINVAL }, { "abc", -EINVAL },
		{ "", -EINVAL }, { "12345678901234567", -EINVAL },
	};
	struct tour_procfs *tp = tour_procfs_test_new(test, 0, 8);
	const char __user *in;
	unsigned int i;
	ssize_t ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		in = tour_procfs_test_ubuf(test, cases[i].in);
		ret = tour_procfs_records_write(tp, in, strlen(cases[i].in));
		KUNIT_EXPECT_EQ_MSG(test, ret, cases[i].ret, "writing \"%s\"",
				    cases[i].in);
	}
	KUNIT_EXPECT_EQ(test, tp->nr_records, 3);
}

/* The text: replaced whole, kept on -EFBIG and -EFAULT. */
static void tour_procfs_text_bounded(struct kunit *test)
{
	struct tour_procfs *tp = tour_procfs_test_new(test, 0, 1);
	char big[TOUR_PROCFS_TEXT_MAX + 2], got[TOUR_PROCFS_TEXT_MAX];
	const char __user *hello, *ubig, *none;
	char __user *out;
	loff_t pos = 0;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	hello = tour_procfs_test_ubuf(test, "hello");
	ubig = tour_procfs_test_ubuf(test, big);
	out = (char __user *)tour_procfs_test_ubuf(test, "");
	none = (const char __user *)kunit_vm_mmap(test, NULL, 0, PAGE_SIZE,
						  PROT_NONE, MAP_ANONYMOUS |
						  MAP_PRIVATE, 0);
	KUNIT_ASSERT_NOT_NULL(test, (const void __force *)none);

	KUNIT_EXPECT_EQ(test, tour_procfs_text_write(tp, hello, 5), 5);
	KUNIT_EXPECT_EQ(test, tour_procfs_text_write(tp, ubig,
						     TOUR_PROCFS_TEXT_MAX + 1),
			-EFBIG);
	KUNIT_EXPECT_EQ(test, tour_procfs_text_write(tp, none, 4), -EFAULT);
	KUNIT_EXPECT_EQ(test, tour_procfs_text_read(tp, out, PAGE_SIZE, &pos),
			5);
	KUNIT_ASSERT_EQ(test, copy_from_user(got, out, 5), 0);
	KUNIT_EXPECT_MEMEQ(test, got, "hello", 5);

	/* The limit itself fits. */
	KUNIT_EXPECT_EQ(test, tour_procfs_text_write(tp, ubig,
						     TOUR_PROCFS_TEXT_MAX),
			TOUR_PROCFS_TEXT_MAX);
	pos = 0;
	KUNIT_EXPECT_EQ(test, tour_procfs_text_read(tp, out, PAGE_SIZE, &pos),
			TOUR_PROCFS_TEXT_MAX);
}

static struct kunit_case tour_procfs_test_cases[] = {
	KUNIT_CASE(tour_procfs_records_any_read_size),
	KUNIT_CASE(tour_procfs_records_lseek_to_start),
	KUNIT_CASE(tour_procfs_records_empty),
	KUNIT_CASE(tour_procfs_records_append_until_full),
	KUNIT_CASE(tour_procfs_records_write_numbers),
	KUNIT_CASE(tour_procfs_text_bounded),
	{}
};

static struct kunit_suite tour_procfs_test_suite = {
	.name = "tour_procfs",
	.test_cases = tour_procfs_test_cases,
};

kunit_test_suite(tour_procfs_test_suite);
