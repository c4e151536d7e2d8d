// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the character device's file operations, included by
 * tour_chrdev.c so that they can call its static functions. They open, read
 * and write a minor's state of their own, not a registered device, and read
 * into user memory that the test maps.
 */

#include <kunit/test.h>
#include <linux/mman.h>
#include <linux/uaccess.h>

/* The minor that a test's state is for; the last one, with two digits. */
#define TOUR_CHRDEV_TEST_MINOR	(TOUR_CHRDEV_MAX_MINORS - 1)

/* A minor's state, opened as a file: @file reads and writes it. */
struct tour_chrdev_test {
	struct tour_chrdev cd;
	struct inode inode;
	struct file file;
	char __user *ubuf;
};

static struct tour_chrdev_test *tour_chrdev_test_open(struct kunit *test)
{
	struct tour_chrdev_test *t;
	unsigned long addr;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	tour_chrdev_set_msg(&t->cd, TOUR_CHRDEV_TEST_MINOR);
	t->inode.i_cdev = &t->cd.cdev;
	KUNIT_ASSERT_EQ(test, tour_chrdev_open(&t->inode, &t->file), 0);

	addr = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, addr, 0, "no user mapping for the test");
	t->ubuf = (char __user *)addr;
	return t;
}

/* The whole message of the last minor fits, with its two digits. */
static void tour_chrdev_msg_of_last_minor(struct kunit *test)
{
	struct tour_chrdev_test *t = tour_chrdev_test_open(test);

	KUNIT_EXPECT_EQ(test, t->cd.len, strlen("Hello from tour_chrdev15\n"));
	KUNIT_EXPECT_MEMEQ(test, t->cd.msg, "Hello from tour_chrdev15\n",
			   t->cd.len);
}

static void tour_chrdev_open_counts(struct kunit *test)
{
	struct tour_chrdev_test *t = tour_chrdev_test_open(test);

	KUNIT_EXPECT_PTR_EQ(test, t->file.private_data, (void *)&t->cd);
	KUNIT_EXPECT_EQ(test, tour_chrdev_open(&t->inode, &t->file), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->cd.opens), 2);
}

/* Reads in pieces follow the offset, then give end of file. */
static void tour_chrdev_read_offsets(struct kunit *test)
{
	struct tour_chrdev_test *t = tour_chrdev_test_open(test);
	char got[sizeof(t->cd.msg)];
	loff_t pos = 0;

	KUNIT_EXPECT_EQ(test, tour_chrdev_read(&t->file, t->ubuf, 6, &pos), 6);
	KUNIT_EXPECT_EQ(test, pos, 6);
	KUNIT_EXPECT_EQ(test, tour_chrdev_read(&t->file, t->ubuf + 6,
					       PAGE_SIZE - 6, &pos),
			(ssize_t)t->cd.len - 6);
	KUNIT_EXPECT_EQ(test, pos, t->cd.len);
	KUNIT_EXPECT_EQ(test, tour_chrdev_read(&t->file, t->ubuf, PAGE_SIZE,
					       &pos), 0);
	KUNIT_ASSERT_EQ(test, copy_from_user(got, t->ubuf, t->cd.len), 0);
	KUNIT_EXPECT_MEMEQ(test, got, t->cd.msg, t->cd.len);

	pos = 1LL << 40;
	KUNIT_EXPECT_EQ(test, tour_chrdev_read(&t->file, t->ubuf, 8, &pos), 0);
}

/* A read into memory it cannot write is -EFAULT and keeps the offset. */
static void tour_chrdev_read_fault(struct kunit *test)
{
	struct tour_chrdev_test *t = tour_chrdev_test_open(test);
	unsigned long ro;
	loff_t pos = 0;

	ro = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ,
			   MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, ro, 0, "no user mapping for the test");
	KUNIT_EXPECT_EQ(test, tour_chrdev_read(&t->file, (char __user *)ro, 8,
					       &pos), -EFAULT);
	KUNIT_EXPECT_EQ(test, pos, 0);
}

/* Writes are counted, in calls and bytes, and their data is not read. */
static void tour_chrdev_write_counts(struct kunit *test)
{
	struct tour_chrdev_test *t = tour_chrdev_test_open(test);
	loff_t pos = 0;

	KUNIT_EXPECT_EQ(test, tour_chrdev_write(&t->file, t->ubuf, 5, &pos), 5);
	KUNIT_EXPECT_EQ(test, tour_chrdev_write(&t->file, NULL, 0, &pos), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->cd.writes), 2);
	KUNIT_EXPECT_EQ(test, atomic64_read(&t->cd.bytes_written), 5);
}

static struct kunit_case tour_chrdev_test_cases[] = {
	KUNIT_CASE(tour_chrdev_msg_of_last_minor),
	KUNIT_CASE(tour_chrdev_open_counts),
	KUNIT_CASE(tour_chrdev_read_offsets),
	KUNIT_CASE(tour_chrdev_read_fault),
	KUNIT_CASE(tour_chrdev_write_counts),
	{}
};

static struct kunit_suite tour_chrdev_test_suite = {
	.name = "tour_chrdev",
	.test_cases = tour_chrdev_test_cases,
};

kunit_test_suite(tour_chrdev_test_suite);
