// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of tour_random_fill() and tour_random_write_iter(), included by
 * tour_random.c so that they can call its static functions. They read into
 * and write from kernel buffers through a kvec iov_iter, and into a read-only
 * user mapping to see a fault.
 */

#include <kunit/test.h>
#include <linux/mman.h>
#include <linux/signal.h>

/* Bytes past the end of each buffer that a read must leave alone. */
#define TOUR_RANDOM_TEST_GUARD	64

/* Read @len bytes into a zeroed buffer: all arrive, and none past them. */
static void tour_random_test_read(struct kunit *test, size_t len)
{
	size_t size = len + TOUR_RANDOM_TEST_GUARD;
	struct iov_iter iter;
	struct kvec kvec;
	u8 *buf;

	buf = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	kvec.iov_base = buf;
	kvec.iov_len = len;
	iov_iter_kvec(&iter, ITER_DEST, &kvec, 1, len);

	KUNIT_EXPECT_EQ_MSG(test, tour_random_fill(&iter), (ssize_t)len,
			    "len %zu", len);
	KUNIT_EXPECT_EQ(test, iov_iter_count(&iter), 0);
	KUNIT_EXPECT_NULL_MSG(test, memchr_inv(buf + len, 0,
					       TOUR_RANDOM_TEST_GUARD),
			      "a read of %zu wrote past its end", len);
	/* 16 zero bytes from the CRNG: a chance of 2^-128. */
	if (len >= 16)
		KUNIT_EXPECT_NOT_NULL_MSG(test, memchr_inv(buf, 0, len),
					  "a read of %zu left zeros", len);
	/* Each chunk is made afresh, not left over from the one before. */
	if (len >= 2 * TOUR_RANDOM_CHUNK)
		KUNIT_EXPECT_NE_MSG(test, memcmp(buf, buf + TOUR_RANDOM_CHUNK,
						 TOUR_RANDOM_CHUNK), 0,
				    "a read of %zu repeats its first chunk",
				    len);
}

/* Lengths around the chunk sizes, and reads of many chunks. */
static void tour_random_read_lengths(struct kunit *test)
{
	static const size_t lens[] = {
		1, 16, TOUR_RANDOM_SMALL, TOUR_RANDOM_SMALL + 1,
		TOUR_RANDOM_CHUNK - 1, TOUR_RANDOM_CHUNK, TOUR_RANDOM_CHUNK + 1,
		3 * TOUR_RANDOM_CHUNK + 7, 1 << 20,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++)
		tour_random_test_read(test, lens[i]);
}

/* A read of nothing copies nothing and succeeds. */
static void tour_random_read_nothing(struct kunit *test)
{
	struct iov_iter iter;
	struct kvec kvec = {};

	iov_iter_kvec(&iter, ITER_DEST, &kvec, 1, 0);
	KUNIT_EXPECT_EQ(test, tour_random_fill(&iter), 0);
}

/* Two reads of 32 bytes are not the same: each chunk is fresh. */
static void tour_random_reads_differ(struct kunit *test)
{
	u8 a[32], b[32];
	struct iov_iter iter;
	struct kvec kvec = { .iov_base = a, .iov_len = sizeof(a) };

	iov_iter_kvec(&iter, ITER_DEST, &kvec, 1, sizeof(a));
	KUNIT_ASSERT_EQ(test, tour_random_fill(&iter), sizeof(a));
	kvec.iov_base = b;
	iov_iter_kvec(&iter, ITER_DEST, &kvec, 1, sizeof(b));
	KUNIT_ASSERT_EQ(test, tour_random_fill(&iter), sizeof(b));
	KUNIT_EXPECT_NE(test, memcmp(a, b, sizeof(a)), 0);
}

/*
 * A signal pending before the first chunk: nothing is copied, and the read
 * says -ERESTARTSYS. The test's kthread lets itself get a signal for this.
 */
static void tour_random_read_signal(struct kunit *test)
{
	size_t len = 2 * TOUR_RANDOM_CHUNK;
	struct iov_iter iter;
	struct kvec kvec;
	ssize_t ret;
	u8 *buf;

	buf = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	kvec.iov_base = buf;
	kvec.iov_len = len;
	iov_iter_kvec(&iter, ITER_DEST, &kvec, 1, len);
	allow_signal(SIGUSR1);
	send_sig(SIGUSR1, current, 0);
	ret = tour_random_fill(&iter);
	flush_signals(current);
	disallow_signal(SIGUSR1);

	KUNIT_EXPECT_EQ(test, ret, -ERESTARTSYS);
	KUNIT_EXPECT_EQ(test, iov_iter_count(&iter), len);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, len));
}

/* A read into a user page that cannot be written is -EFAULT. */
static void tour_random_read_fault(struct kunit *test)
{
	struct iov_iter iter;
	unsigned long addr;

	addr = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, addr, 0, "no user mapping for the test");
	KUNIT_ASSERT_EQ(test, import_ubuf(ITER_DEST, (void __user *)addr, 64,
					  &iter), 0);
	KUNIT_EXPECT_EQ(test, tour_random_fill(&iter), -EFAULT);
}

/* A write of many chunks is taken whole; a write of nothing is 0. */
static void tour_random_write_taken(struct kunit *test)
{
	size_t len = 5 * TOUR_RANDOM_SMALL + 3;
	struct iov_iter iter;
	struct kvec kvec;
	u8 *buf;

	buf = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	kvec.iov_base = buf;
	kvec.iov_len = len;
	iov_iter_kvec(&iter, ITER_SOURCE, &kvec, 1, len);
	KUNIT_EXPECT_EQ(test, tour_random_write_iter(NULL, &iter), (ssize_t)len);
	KUNIT_EXPECT_EQ(test, iov_iter_count(&iter), 0);

	iov_iter_kvec(&iter, ITER_SOURCE, &kvec, 1, 0);
	KUNIT_EXPECT_EQ(test, tour_random_write_iter(NULL, &iter), 0);
}

static struct kunit_case tour_random_test_cases[] = {
	KUNIT_CASE(tour_random_read_lengths),
	KUNIT_CASE(tour_random_read_nothing),
	KUNIT_CASE(tour_random_reads_differ),
	KUNIT_CASE(tour_random_read_signal),
	KUNIT_CASE(tour_random_read_fault),
	KUNIT_CASE(tour_random_write_taken),
	{}
};

static struct kunit_suite tour_random_test_suite = {
	.name = "tour_random",
	.test_cases = tour_random_test_cases,
};

kunit_test_suite(tour_random_test_suite);
