// SPDX-License-Identifier: GPL-2.0-only
/*
 * A misc device that keeps what is written to it: /dev/tour_store.
 *
 * Each write() replaces the whole content with its buffer, whatever the file
 * position, which it leaves alone; a zero-length write empties the store. A
 * write larger than max_size (a module parameter) fails with -EFBIG, one from
 * a bad buffer with -EFAULT, and either leaves the old content as it was. A
 * read returns the content from the file position on, then end of file, and
 * lseek() moves in it (SEEK_END is the end of the current content).
 *
 * A mutex guards the content. A write fills a new content before it takes
 * the lock and swaps it in under it; a read copies out under the lock. So a
 * read() returns bytes of one content, never half old and half new. Between
 * two reads another write may come, as with a regular file rewritten: the
 * next read goes on at its offset in the new content. To have a content
 * whole, read it in one call with a buffer of max_size bytes.
 *
 * The ioctls in tour_store.h show the three usual shapes:
 * TOUR_STORE_HELLO logs a greeting, TOUR_STORE_GET_VALUE and
 * TOUR_STORE_SET_VALUE read and set an int kept beside the content (setting
 * it needs a file open for writing, else -EBADF). Any other ioctl fails with
 * -ENOTTY.
 *
 * The node is 0600: everyone who opens it shares the content, so only root
 * may read or change it. An open file holds the module.
 *
 * Try it:
 *	modprobe tour_store
 *	echo hello > /dev/tour_store
 *	cat /dev/tour_store
 *	dd if=/dev/zero of=/dev/tour_store bs=2M count=1	(EFBIG)
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "tour_store.h"

/* The default size limit of the content, and the largest one allowed. */
#define TOUR_STORE_MAX_SIZE	SZ_1M
#define TOUR_STORE_LIMIT	SZ_64M

static unsigned int max_size = TOUR_STORE_MAX_SIZE;
module_param(max_size, uint, 0444);
MODULE_PARM_DESC(max_size, "Largest content in bytes, 1 to 64 MiB (default: 1 MiB)");

/**
 * struct tour_store - the state of the device
 * @misc: the misc device, /dev/tour_store
 * @lock: protects @data, @len and @value
 * @data: the content, @len bytes
 * @len: the size of the content
 * @value: the int of the GET_VALUE and SET_VALUE ioctls
 * @max_size: the size of the largest content a write may store
 */
struct tour_store {
	struct miscdevice misc;
	struct mutex lock;	/* protects data, len and value */
	u8 *data;
	size_t len;
	int value;
	size_t max_size;
};

static struct tour_store *tour_store_of(struct file *file)
{
	/* misc_open() left the miscdevice here. */
	return container_of(file->private_data, struct tour_store, misc);
}

/*
 * Replace the content with all of @from. The new content is filled before
 * the lock is taken, so that a write that faults leaves the old one whole.
 */
static ssize_t tour_store_replace(struct tour_store *store,
				  struct iov_iter *from)
{
	size_t len = iov_iter_count(from);
	u8 *data;

	if (len > store->max_size)
		return -EFBIG;
	/* The content is memory that user space asks for: charge its cgroup. */
	data = kvmalloc(len, GFP_KERNEL_ACCOUNT);
	if (!data)
		return -ENOMEM;
	if (!copy_from_iter_full(data, len, from)) {
		kvfree(data);
		return -EFAULT;
	}

	mutex_lock(&store->lock);
	swap(store->data, data);
	store->len = len;
	mutex_unlock(&store->lock);
	kvfree(data);
	return len;
}

/* Copy the content from @pos on into @to, all of it from one content. */
static ssize_t tour_store_read_at(struct tour_store *store, loff_t pos,
				  struct iov_iter *to)
{
	ssize_t ret = 0;

	/* A mutex, not a spinlock: the copy may fault pages in and sleep. */
	mutex_lock(&store->lock);
	if (pos < store->len && iov_iter_count(to)) {
		ret = copy_to_iter(store->data + pos, store->len - pos, to);
		if (!ret)
			ret = -EFAULT;
	}
	mutex_unlock(&store->lock);
	return ret;
}

static ssize_t tour_store_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct tour_store *store = tour_store_of(iocb->ki_filp);
	ssize_t ret;

	ret = tour_store_read_at(store, iocb->ki_pos, to);
	if (ret > 0)
		iocb->ki_pos += ret;
	return ret;
}

static ssize_t tour_store_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	return tour_store_replace(tour_store_of(iocb->ki_filp), from);
}

/* Seek in offsets 0 to max_size; SEEK_END is the current content's end. */
static loff_t tour_store_llseek(struct file *file, loff_t offset, int whence)
{
	struct tour_store *store = tour_store_of(file);
	size_t len;

	mutex_lock(&store->lock);
	len = store->len;
	mutex_unlock(&store->lock);
	return generic_file_llseek_size(file, offset, whence, store->max_size,
					len);
}

static long tour_store_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	struct tour_store *store = tour_store_of(file);
	int __user *argp = (int __user *)arg;
	int value;

	switch (cmd) {
	case TOUR_STORE_HELLO:
		pr_info("Hello from the tour_store misc device\n");
		return 0;
	case TOUR_STORE_GET_VALUE:
		mutex_lock(&store->lock);
		value = store->value;
		mutex_unlock(&store->lock);
		return put_user(value, argp);
	case TOUR_STORE_SET_VALUE:
		if (!(file->f_mode & FMODE_WRITE))
			return -EBADF;
		if (get_user(value, argp))
			return -EFAULT;
		mutex_lock(&store->lock);
		store->value = value;
		mutex_unlock(&store->lock);
		return 0;
	default:
		return -ENOTTY;
	}
}

static const struct file_operations tour_store_fops = {
	.owner = THIS_MODULE,
	.read_iter = tour_store_read_iter,
	.write_iter = tour_store_write_iter,
	.llseek = tour_store_llseek,
	.unlocked_ioctl = tour_store_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

/* Start @store empty, with writes of up to @max bytes. */
static void tour_store_setup(struct tour_store *store, size_t max)
{
	mutex_init(&store->lock);
	store->data = NULL;
	store->len = 0;
	store->value = 0;
	store->max_size = max;
}

static void tour_store_teardown(struct tour_store *store)
{
	kvfree(store->data);
	mutex_destroy(&store->lock);
}

static struct tour_store tour_store_dev = {
	.misc = {
		.minor = MISC_DYNAMIC_MINOR,
		.name = "tour_store",
		.fops = &tour_store_fops,
		.mode = 0600,
	},
};

static int __init tour_store_init(void)
{
	int ret;

	if (!max_size || max_size > TOUR_STORE_LIMIT) {
		pr_err("max_size=%u is out of range 1..%u\n", max_size,
		       TOUR_STORE_LIMIT);
		return -EINVAL;
	}

	tour_store_setup(&tour_store_dev, max_size);
	ret = misc_register(&tour_store_dev.misc);
	if (ret)
		tour_store_teardown(&tour_store_dev);
	return ret;
}
module_init(tour_store_init);

static void __exit tour_store_exit(void)
{
	misc_deregister(&tour_store_dev.misc);
	tour_store_teardown(&tour_store_dev);
}
module_exit(tour_store_exit);

/* The KUnit tests of the content, the reads and the ioctls. */
#if IS_ENABLED(CONFIG_SAMPLE_TOUR_STORE_KUNIT_TEST)
#include "tour_store_test.c"
#endif

MODULE_AUTHOR("Kernel Driver Tour <kdt@example.org>");
MODULE_DESCRIPTION("Kernel driver tour: a misc device that keeps what is written");
MODULE_LICENSE("GPL");
