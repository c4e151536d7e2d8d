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
 * Readers never see a torn content. A content is a reference counted buffer
 * that is never changed once made: a write builds a new one aside and swaps
 * it in under a spinlock. An open file reads the content it took at its last
 * read at offset 0, so that cat, however small its reads, shows one whole
 * content even while others write. (That content is the open file's: threads
 * that share it, and read it at offset 0 in turn, share it too. And it stays
 * in memory until the file reads at offset 0 again or is closed.)
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
#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
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
 * struct tour_store_buf - one content, never changed once made
 * @ref: one reference while it is the current content, and one for each open
 *	file that reads it
 * @len: the number of bytes in @data
 * @data: the content
 */
struct tour_store_buf {
	struct kref ref;
	size_t len;
	u8 data[] __counted_by(len);
};

/**
 * struct tour_store - the state of the device
 * @misc: the misc device, /dev/tour_store
 * @lock: protects @cur and @value
 * @cur: the current content
 * @value: the int of the GET_VALUE and SET_VALUE ioctls
 * @max_size: the size of the largest content a write may store
 */
struct tour_store {
	struct miscdevice misc;
	spinlock_t lock;	/* protects cur and value */
	struct tour_store_buf *cur;
	int value;
	size_t max_size;
};

/**
 * struct tour_store_file - the state of an open file
 * @store: the device
 * @lock: serialises the reads of this file, which may share it (threads)
 * @snap: the content this file reads, or NULL before its first read
 */
struct tour_store_file {
	struct tour_store *store;
	struct mutex lock;	/* serialises this file's reads */
	struct tour_store_buf *snap;
};

/* The content is memory that user space asks for: charge it to its cgroup. */
static struct tour_store_buf *tour_store_buf_alloc(size_t len)
{
	struct tour_store_buf *buf;

	buf = kvmalloc(struct_size(buf, data, len), GFP_KERNEL_ACCOUNT);
	if (!buf)
		return NULL;
	kref_init(&buf->ref);
	buf->len = len;
	return buf;
}

static void tour_store_buf_release(struct kref *ref)
{
	kvfree(container_of(ref, struct tour_store_buf, ref));
}

static void tour_store_buf_put(struct tour_store_buf *buf)
{
	if (buf)
		kref_put(&buf->ref, tour_store_buf_release);
}

/* Take a reference to the current content. */
static struct tour_store_buf *tour_store_get(struct tour_store *store)
{
	struct tour_store_buf *buf;

	spin_lock(&store->lock);
	buf = store->cur;
	kref_get(&buf->ref);
	spin_unlock(&store->lock);
	return buf;
}

/*
 * Replace the content with all of @from. The new content is filled before it
 * is swapped in, so that a write that fails leaves the old one whole.
 */
static ssize_t tour_store_replace(struct tour_store *store,
				  struct iov_iter *from)
{
	size_t len = iov_iter_count(from);
	struct tour_store_buf *buf;

	if (len > store->max_size)
		return -EFBIG;
	buf = tour_store_buf_alloc(len);
	if (!buf)
		return -ENOMEM;
	if (!copy_from_iter_full(buf->data, len, from)) {
		tour_store_buf_put(buf);
		return -EFAULT;
	}

	spin_lock(&store->lock);
	swap(store->cur, buf);
	spin_unlock(&store->lock);
	/* The old content goes once its last reader is done with it. */
	tour_store_buf_put(buf);
	return len;
}

/*
 * Copy the content from @pos on into @to. A read at offset 0, and the first
 * read of a file, take the current content; later reads keep to it.
 */
static ssize_t tour_store_read_at(struct tour_store_file *sf, loff_t pos,
				  struct iov_iter *to)
{
	struct tour_store_buf *buf;
	ssize_t ret = 0;

	mutex_lock(&sf->lock);
	if (!pos || !sf->snap) {
		buf = tour_store_get(sf->store);
		tour_store_buf_put(sf->snap);
		sf->snap = buf;
	}
	buf = sf->snap;
	if (pos < buf->len && iov_iter_count(to)) {
		ret = copy_to_iter(buf->data + pos, buf->len - pos, to);
		if (!ret)
			ret = -EFAULT;
	}
	mutex_unlock(&sf->lock);
	return ret;
}

static int tour_store_open(struct inode *inode, struct file *file)
{
	/* misc_open() left the miscdevice here. */
	struct tour_store *store = container_of(file->private_data,
						struct tour_store, misc);
	struct tour_store_file *sf;

	sf = kzalloc(sizeof(*sf), GFP_KERNEL);
	if (!sf)
		return -ENOMEM;
	sf->store = store;
	mutex_init(&sf->lock);
	file->private_data = sf;
	return 0;
}

static int tour_store_release(struct inode *inode, struct file *file)
{
	struct tour_store_file *sf = file->private_data;

	tour_store_buf_put(sf->snap);
	mutex_destroy(&sf->lock);
	kfree(sf);
	return 0;
}

static ssize_t tour_store_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	ssize_t ret;

	ret = tour_store_read_at(iocb->ki_filp->private_data, iocb->ki_pos, to);
	if (ret > 0)
		iocb->ki_pos += ret;
	return ret;
}

static ssize_t tour_store_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct tour_store_file *sf = iocb->ki_filp->private_data;

	return tour_store_replace(sf->store, from);
}

/* Seek in offsets 0 to max_size; SEEK_END is the current content's end. */
static loff_t tour_store_llseek(struct file *file, loff_t offset, int whence)
{
	struct tour_store_file *sf = file->private_data;
	struct tour_store *store = sf->store;
	size_t len;

	spin_lock(&store->lock);
	len = store->cur->len;
	spin_unlock(&store->lock);
	return generic_file_llseek_size(file, offset, whence, store->max_size,
					len);
}

static long tour_store_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	struct tour_store_file *sf = file->private_data;
	struct tour_store *store = sf->store;
	int __user *argp = (int __user *)arg;
	int value;

	switch (cmd) {
	case TOUR_STORE_HELLO:
		pr_info("Hello from the tour_store misc device\n");
		return 0;
	case TOUR_STORE_GET_VALUE:
		spin_lock(&store->lock);
		value = store->value;
		spin_unlock(&store->lock);
		return put_user(value, argp);
	case TOUR_STORE_SET_VALUE:
		if (!(file->f_mode & FMODE_WRITE))
			return -EBADF;
		if (get_user(value, argp))
			return -EFAULT;
		spin_lock(&store->lock);
		store->value = value;
		spin_unlock(&store->lock);
		return 0;
	default:
		return -ENOTTY;
	}
}

static const struct file_operations tour_store_fops = {
	.owner = THIS_MODULE,
	.open = tour_store_open,
	.release = tour_store_release,
	.read_iter = tour_store_read_iter,
	.write_iter = tour_store_write_iter,
	.llseek = tour_store_llseek,
	.unlocked_ioctl = tour_store_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

/* Start @store empty, with writes of up to @max bytes. */
static int tour_store_setup(struct tour_store *store, size_t max)
{
	spin_lock_init(&store->lock);
	store->max_size = max;
	store->value = 0;
	store->cur = tour_store_buf_alloc(0);
	return store->cur ? 0 : -ENOMEM;
}

static void tour_store_teardown(struct tour_store *store)
{
	tour_store_buf_put(store->cur);
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

	ret = tour_store_setup(&tour_store_dev, max_size);
	if (ret)
		return ret;
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
