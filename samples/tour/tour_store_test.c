// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the store's content, reads and ioctls, included by
 * tour_store.c so that they can call its static functions. Each test has a
 * store of its own with a small size limit, not the registered device.
 */

#include <kunit/test.h>
#include <linux/mman.h>

/* The size limit of the tests' stores. */
#define TOUR_STORE_TEST_MAX	16

KUNIT_DEFINE_ACTION_WRAPPER(tour_store_test_teardown, tour_store_teardown,
			    struct tour_store *);

/* An empty store of the test's, removed when the test ends. */
static struct tour_store *tour_store_test_new(struct kunit *test)
{
	struct tour_store *store;
	int ret;

	store = kunit_kzalloc(test, sizeof(*store), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, store);
	tour_store_setup(store, TOUR_STORE_TEST_MAX);
	ret = kunit_add_action_or_reset(test, tour_store_test_teardown, store);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return store;
}

static ssize_t tour_store_test_write(struct tour_store *store, const char *s,
				     size_t len)
{
	struct kvec kvec = { .iov_base = (void *)s, .iov_len = len };
	struct iov_iter iter;

	iov_iter_kvec(&iter, ITER_SOURCE, &kvec, 1, len);
	return tour_store_replace(store, &iter);
}

/* Read up to @len bytes at @pos into @buf, and end them with a NUL. */
static ssize_t tour_store_test_read(struct tour_store *store, loff_t pos,
				    char *buf, size_t len)
{
	struct kvec kvec = { .iov_base = buf, .iov_len = len };
	struct iov_iter iter;
	ssize_t ret;

	iov_iter_kvec(&iter, ITER_DEST, &kvec, 1, len);
	ret = tour_store_read_at(store, pos, &iter);
	buf[ret > 0 ? ret : 0] = '\0';
	return ret;
}

static void tour_store_write_then_read(struct kunit *test)
{
	struct tour_store *store = tour_store_test_new(test);
	char buf[TOUR_STORE_TEST_MAX * 2];

	KUNIT_EXPECT_EQ(test, tour_store_test_read(store, 0, buf, 8), 0);
	KUNIT_EXPECT_EQ(test, tour_store_test_write(store, "hello", 5), 5);
	KUNIT_EXPECT_EQ(test, tour_store_test_read(store, 0, buf, 8), 5);
	KUNIT_EXPECT_STREQ(test, buf, "hello");
	KUNIT_EXPECT_EQ(test, tour_store_test_read(store, 3, buf, 8), 2);
	KUNIT_EXPECT_STREQ(test, buf, "lo");
	KUNIT_EXPECT_EQ(test, tour_store_test_read(store, 5, buf, 8), 0);
	KUNIT_EXPECT_EQ(test, tour_store_test_read(store, 1LL << 40, buf, 8), 0);
	/* A second write replaces the whole content, shorter or not. */
	KUNIT_EXPECT_EQ(test, tour_store_test_write(store, "abc", 3), 3);
	KUNIT_EXPECT_EQ(test, tour_store_test_read(store, 0, buf, sizeof(buf) - 1),
			3);
	KUNIT_EXPECT_STREQ(test, buf, "abc");
}

/* The limit itself fits; one byte more is -EFBIG and changes nothing. */
static void tour_store_too_big_keeps_old(struct kunit *test)
{
	struct tour_store *store = tour_store_test_new(test);
	char big[TOUR_STORE_TEST_MAX + 1];
	char buf[sizeof(big) + 1];

	memset(big, 'x', sizeof(big));
	KUNIT_EXPECT_EQ(test, tour_store_test_write(store, big,
						    TOUR_STORE_TEST_MAX),
			TOUR_STORE_TEST_MAX);
	KUNIT_EXPECT_EQ(test, tour_store_test_write(store, "old", 3), 3);
	KUNIT_EXPECT_EQ(test, tour_store_test_write(store, big, sizeof(big)),
			-EFBIG);
	KUNIT_EXPECT_EQ(test, tour_store_test_read(store, 0, buf, sizeof(buf) - 1),
			3);
	KUNIT_EXPECT_STREQ(test, buf, "old");
}

static void tour_store_empty_write_empties(struct kunit *test)
{
	struct tour_store *store = tour_store_test_new(test);
	char buf[8];

	KUNIT_EXPECT_EQ(test, tour_store_test_write(store, "data", 4), 4);
	KUNIT_EXPECT_EQ(test, tour_store_test_write(store, "", 0), 0);
	KUNIT_EXPECT_EQ(test, tour_store_test_read(store, 0, buf, sizeof(buf) - 1),
			0);
}

/*
 * Each read copies from the content of its time: a read that goes on after
 * another write reads the new content at its offset, as in a regular file.
 */
static void tour_store_read_after_write(struct kunit *test)
{
	struct tour_store *store = tour_store_test_new(test);
	char buf[TOUR_STORE_TEST_MAX + 1];

	KUNIT_EXPECT_EQ(test, tour_store_test_write(store, "aaaaaa", 6), 6);
	KUNIT_EXPECT_EQ(test, tour_store_test_read(store, 0, buf, 2), 2);
	KUNIT_EXPECT_STREQ(test, buf, "aa");
	KUNIT_EXPECT_EQ(test, tour_store_test_write(store, "bbbbbbbb", 8), 8);
	KUNIT_EXPECT_EQ(test, tour_store_test_read(store, 2, buf, 16), 6);
	KUNIT_EXPECT_STREQ(test, buf, "bbbbbb");
	/* A shorter content ends before the offset: end of file. */
	KUNIT_EXPECT_EQ(test, tour_store_test_write(store, "c", 1), 1);
	KUNIT_EXPECT_EQ(test, tour_store_test_read(store, 2, buf, 16), 0);
}

/*
 * User pointers that fault: a write from an unreadable page is -EFAULT and
 * keeps the old content; so is a read into a page that cannot be written.
 */
static void tour_store_fault(struct kunit *test)
{
	struct tour_store *store = tour_store_test_new(test);
	struct iov_iter iter;
	unsigned long none, ro;
	char buf[8];

	none = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_NONE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	ro = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ,
			   MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, none, 0, "no user mapping for the test");
	KUNIT_ASSERT_NE_MSG(test, ro, 0, "no user mapping for the test");

	KUNIT_EXPECT_EQ(test, tour_store_test_write(store, "keep", 4), 4);
	KUNIT_ASSERT_EQ(test, import_ubuf(ITER_SOURCE, (void __user *)none, 8,
					  &iter), 0);
	KUNIT_EXPECT_EQ(test, tour_store_replace(store, &iter), -EFAULT);
	KUNIT_ASSERT_EQ(test, import_ubuf(ITER_DEST, (void __user *)ro, 8,
					  &iter), 0);
	KUNIT_EXPECT_EQ(test, tour_store_read_at(store, 0, &iter), -EFAULT);
	KUNIT_EXPECT_EQ(test, tour_store_test_read(store, 0, buf, sizeof(buf) - 1),
			4);
	KUNIT_EXPECT_STREQ(test, buf, "keep");
}

/* GET and SET through user memory, SET only for writers, -ENOTTY else. */
static void tour_store_ioctls(struct kunit *test)
{
	struct tour_store *store = tour_store_test_new(test);
	struct file *file;
	unsigned long arg;
	int __user *uval;
	int value;

	file = kunit_kzalloc(test, sizeof(*file), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, file);
	file->private_data = &store->misc;
	arg = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			    MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, arg, 0, "no user mapping for the test");
	uval = (int __user *)arg;

	KUNIT_ASSERT_EQ(test, put_user(-42, uval), 0);
	file->f_mode = FMODE_READ;
	KUNIT_EXPECT_EQ(test, tour_store_ioctl(file, TOUR_STORE_SET_VALUE, arg),
			-EBADF);
	file->f_mode = FMODE_READ | FMODE_WRITE;
	KUNIT_EXPECT_EQ(test, tour_store_ioctl(file, TOUR_STORE_SET_VALUE, arg),
			0);
	KUNIT_ASSERT_EQ(test, put_user(0, uval), 0);
	KUNIT_EXPECT_EQ(test, tour_store_ioctl(file, TOUR_STORE_GET_VALUE, arg),
			0);
	KUNIT_ASSERT_EQ(test, get_user(value, uval), 0);
	KUNIT_EXPECT_EQ(test, value, -42);

	KUNIT_EXPECT_EQ(test, tour_store_ioctl(file, TOUR_STORE_HELLO, 0), 0);
	KUNIT_EXPECT_EQ(test, tour_store_ioctl(file, _IO('|', 0x83), arg),
			-ENOTTY);
	KUNIT_EXPECT_EQ(test, tour_store_ioctl(file, _IOR('|', 0x81, long),
					       arg), -ENOTTY);
}

static struct kunit_case tour_store_test_cases[] = {
	KUNIT_CASE(tour_store_write_then_read),
	KUNIT_CASE(tour_store_too_big_keeps_old),
	KUNIT_CASE(tour_store_empty_write_empties),
	KUNIT_CASE(tour_store_read_after_write),
	KUNIT_CASE(tour_store_fault),
	KUNIT_CASE(tour_store_ioctls),
	{}
};

static struct kunit_suite tour_store_test_suite = {
	.name = "tour_store",
	.test_cases = tour_store_test_cases,
};

kunit_test_suite(tour_store_test_suite);
