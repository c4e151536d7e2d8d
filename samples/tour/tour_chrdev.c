// SPDX-License-Identifier: GPL-2.0-only
/*
 * A character device: a region of minors from alloc_chrdev_region(), and per
 * minor a cdev and a device of a class, so that udev or devtmpfs make
 * /dev/tour_chrdev0 .. /dev/tour_chrdevN-1.
 *
 * Each minor's cdev and device live in one struct, added together with
 * cdev_device_add(): the cdev is live before the device makes the node
 * appear, and it holds a reference to the device, so that the struct, which
 * the device's release() frees, lasts as long as any open file of it. (With
 * cdev_add() and device_create(), the two would have lifetimes of their own.)
 *
 * Each minor has its own state. A read returns the minor's message, with
 * offsets, and then end of file, so that cat stops. A write is accepted whole
 * and counted, like /dev/null it never reads the data. The counts are in
 * /sys/class/tour_chrdev/tour_chrdevN/{opens,writes,bytes_written}.
 *
 * The nodes are 0644: anyone may read, root may write. A module with an open
 * file cannot be removed (each cdev holds a reference to it).
 *
 * Try it:
 *	modprobe tour_chrdev minors=3
 *	cat /dev/tour_chrdev2
 *	echo hello > /dev/tour_chrdev2
 *	cat /sys/class/tour_chrdev/tour_chrdev2/bytes_written
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kdev_t.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

/* Most minors the module takes, and how many it makes by default. */
#define TOUR_CHRDEV_MAX_MINORS	16
#define TOUR_CHRDEV_MINORS	2

static unsigned int minors = TOUR_CHRDEV_MINORS;
module_param(minors, uint, 0444);
MODULE_PARM_DESC(minors, "How many minors (devices) to make, 1 to 16 (default: 2)");

/**
 * struct tour_chrdev - the state of one minor
 * @cdev: the character device of this minor
 * @dev: its device in the class, which makes the /dev node and whose
 *	reference count decides when this struct is freed
 * @opens: how many times the node was opened
 * @writes: how many write() calls it took
 * @bytes_written: how many bytes those calls wrote
 * @msg: what a read returns
 * @len: the length of @msg
 */
struct tour_chrdev {
	struct cdev cdev;
	struct device dev;
	atomic64_t opens;
	atomic64_t writes;
	atomic64_t bytes_written;
	char msg[32];
	size_t len;
};

/* The first device number of the region, and the state of each minor. */
static dev_t tour_chrdev_base;
static struct tour_chrdev *tour_chrdevs[TOUR_CHRDEV_MAX_MINORS];

static struct tour_chrdev *to_tour_chrdev(struct device *dev)
{
	return container_of(dev, struct tour_chrdev, dev);
}

static int tour_chrdev_open(struct inode *inode, struct file *file)
{
	struct tour_chrdev *cd = container_of(inode->i_cdev, struct tour_chrdev,
					      cdev);

	atomic64_inc(&cd->opens);
	file->private_data = cd;
	return 0;
}

static ssize_t tour_chrdev_read(struct file *file, char __user *buf,
				size_t count, loff_t *ppos)
{
	struct tour_chrdev *cd = file->private_data;

	return simple_read_from_buffer(buf, count, ppos, cd->msg, cd->len);
}

static ssize_t tour_chrdev_write(struct file *file, const char __user *buf,
				 size_t count, loff_t *ppos)
{
	struct tour_chrdev *cd = file->private_data;

	atomic64_inc(&cd->writes);
	atomic64_add(count, &cd->bytes_written);
	return count;
}

static const struct file_operations tour_chrdev_fops = {
	.owner = THIS_MODULE,
	.open = tour_chrdev_open,
	.read = tour_chrdev_read,
	.write = tour_chrdev_write,
	.llseek = default_llseek,
};

static ssize_t opens_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct tour_chrdev *cd = to_tour_chrdev(dev);

	return sysfs_emit(buf, "%lld\n", atomic64_read(&cd->opens));
}
static DEVICE_ATTR_RO(opens);

static ssize_t writes_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct tour_chrdev *cd = to_tour_chrdev(dev);

	return sysfs_emit(buf, "%lld\n", atomic64_read(&cd->writes));
}
static DEVICE_ATTR_RO(writes);

static ssize_t bytes_written_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	struct tour_chrdev *cd = to_tour_chrdev(dev);

	return sysfs_emit(buf, "%lld\n", atomic64_read(&cd->bytes_written));
}
static DEVICE_ATTR_RO(bytes_written);

static struct attribute *tour_chrdev_attrs[] = {
	&dev_attr_opens.attr,
	&dev_attr_writes.attr,
	&dev_attr_bytes_written.attr,
	NULL
};
ATTRIBUTE_GROUPS(tour_chrdev);

static char *tour_chrdev_devnode(const struct device *dev, umode_t *mode)
{
	if (mode)
		*mode = 0644;
	return NULL;
}

static const struct class tour_chrdev_class = {
	.name = "tour_chrdev",
	.dev_groups = tour_chrdev_groups,
	.devnode = tour_chrdev_devnode,
};

/* Set the message that a read of minor @i returns. */
static void tour_chrdev_set_msg(struct tour_chrdev *cd, unsigned int i)
{
	cd->len = scnprintf(cd->msg, sizeof(cd->msg),
			    "Hello from tour_chrdev%u\n", i);
}

/* Called once the device's last reference, the cdev's among them, is gone. */
static void tour_chrdev_release(struct device *dev)
{
	kfree(to_tour_chrdev(dev));
}

static int tour_chrdev_add(unsigned int i)
{
	struct tour_chrdev *cd;
	int ret;

	cd = kzalloc_obj(*cd);
	if (!cd)
		return -ENOMEM;
	tour_chrdev_set_msg(cd, i);
	cdev_init(&cd->cdev, &tour_chrdev_fops);
	cd->cdev.owner = THIS_MODULE;
	device_initialize(&cd->dev);
	cd->dev.class = &tour_chrdev_class;
	cd->dev.devt = tour_chrdev_base + i;
	cd->dev.release = tour_chrdev_release;

	/* From device_initialize() on, put_device() frees cd, name and all. */
	ret = dev_set_name(&cd->dev, "tour_chrdev%u", i);
	if (!ret)
		ret = cdev_device_add(&cd->cdev, &cd->dev);
	if (ret) {
		put_device(&cd->dev);
		return ret;
	}
	tour_chrdevs[i] = cd;
	return 0;
}

/* Remove the first @n minors, last made first; open files keep theirs. */
static void tour_chrdev_remove(unsigned int n)
{
	while (n--) {
		cdev_device_del(&tour_chrdevs[n]->cdev, &tour_chrdevs[n]->dev);
		put_device(&tour_chrdevs[n]->dev);
		tour_chrdevs[n] = NULL;
	}
}

static int __init tour_chrdev_init(void)
{
	unsigned int i;
	int ret;

	if (!minors || minors > TOUR_CHRDEV_MAX_MINORS) {
		pr_err("minors=%u is out of range 1..%d\n", minors,
		       TOUR_CHRDEV_MAX_MINORS);
		return -EINVAL;
	}

	ret = alloc_chrdev_region(&tour_chrdev_base, 0, minors, "tour_chrdev");
	if (ret)
		return ret;

	ret = class_register(&tour_chrdev_class);
	if (ret)
		goto err_region;

	for (i = 0; i < minors; i++) {
		ret = tour_chrdev_add(i);
		if (ret)
			goto err_remove;
	}

	pr_info("major %d, minors 0..%u\n", MAJOR(tour_chrdev_base), minors - 1);
	return 0;

err_remove:
	tour_chrdev_remove(i);
	class_unregister(&tour_chrdev_class);
err_region:
	unregister_chrdev_region(tour_chrdev_base, minors);
	return ret;
}
module_init(tour_chrdev_init);

static void __exit tour_chrdev_exit(void)
{
	tour_chrdev_remove(minors);
	class_unregister(&tour_chrdev_class);
	unregister_chrdev_region(tour_chrdev_base, minors);
	pr_info("removed\n");
}
module_exit(tour_chrdev_exit);

/* The KUnit tests of the file operations, built into this module. */
#if IS_ENABLED(CONFIG_SAMPLE_TOUR_CHRDEV_KUNIT_TEST)
#include "tour_chrdev_test.c"
#endif

MODULE_AUTHOR("Kernel Driver Tour <kdt@example.org>");
MODULE_DESCRIPTION("Kernel driver tour: a character device with its own nodes");
MODULE_LICENSE("GPL");
