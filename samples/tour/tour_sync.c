// SPDX-License-Identifier: GPL-2.0-only
/*
 * Locks for each context: a token device built on two counting semaphores,
 * a configuration under a mutex, statistics under a spinlock that a timer
 * updates, and atomic counts. /dev/tour_sync and /sys/class/misc/tour_sync/.
 *
 * A write of N bytes adds N tokens, one per byte; the bytes themselves are
 * never read, so their content does not matter. A read of 1 byte or more
 * takes one token and returns the byte '+'; a read of 0 bytes returns 0 and
 * takes nothing. A read waits while there is no token, a write while the
 * tokens would exceed max. With O_NONBLOCK a read with no token, and a write
 * with no room for even one, fail with -EAGAIN; a write with room for some
 * adds those and returns how many. A signal ends a wait: -ERESTARTSYS if
 * nothing was done yet, else the count a write added. A read into a buffer
 * that cannot be written fails with -EFAULT and leaves the token there.
 *
 * The attributes of the device:
 *	max		tokens held at most, 1 to 1024 (default 16); writing it
 *			fails with -EINVAL out of range, -EBUSY while tokens
 *			are held
 *	added, taken	the tokens added and taken since load (read-only)
 *	stats		"samples: N\nmax_seen: M\n": a timer samples the
 *			tokens held, in softirq context, while any are held
 *
 * The timer runs only while it has something to see: a write that adds
 * tokens arms it, and it stops after a sample that finds none held. So an
 * idle device, and a load that fails, leave no timer behind.
 *
 * The node is 0600. An open file holds the module: it cannot be removed
 * while a reader waits in it.
 *
 * Try it:
 *	modprobe tour_sync
 *	echo -n abc > /dev/tour_sync
 *	dd if=/dev/tour_sync bs=1 count=3
 *	cat /sys/class/misc/tour_sync/stats
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kstrtox.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/semaphore.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>
#include <linux/timer.h>
#include <linux/uaccess.h>

/* The tokens held at load: none, so readers wait for the first write. */
#define TOUR_SYNC_START_TOKENS	0
/* The tokens held at most when the module loads. */
#define TOUR_SYNC_DEFAULT_MAX	16
/* The largest max that may be set. */
#define TOUR_SYNC_LIMIT		1024
/* How often the timer samples the tokens held, in milliseconds. */
#define TOUR_SYNC_PERIOD_MS	10

/**
 * struct tour_sync - the state of the token device
 * @misc: the misc device, /dev/tour_sync
 * @tokens: counts the tokens held: readers take them, writers add them
 * @room: counts the tokens that may still be added: writers take, readers add
 * @config_lock: protects @max, and the resizing of @room
 * @max: the tokens held at most
 * @added: the tokens added since the start
 * @taken: the tokens taken since the start
 * @stats_lock: protects @samples and @max_seen
 * @samples: how often the timer sampled the tokens held
 * @max_seen: the most tokens the timer saw held
 * @sampler: the timer that updates the statistics while tokens are held
 *
 * Between writes and reads, @tokens plus @room is @max.
 */
struct tour_sync {
	struct miscdevice misc;
	struct semaphore tokens;	/* readers down it, writers up it */
	struct semaphore room;		/* writers down it, readers up it */
	struct mutex config_lock;	/* protects max and resizes room */
	unsigned int max;
	atomic64_t added;
	atomic64_t taken;
	spinlock_t stats_lock;	/* protects samples and max_seen; softirq too */
	u64 samples;
	u64 max_seen;
	struct timer_list sampler;
};

/* Arm the sampler if it is idle; a pending one keeps its expiry. */
static void tour_sync_arm(struct tour_sync *ts)
{
	timer_reduce(&ts->sampler,
		     jiffies + msecs_to_jiffies(TOUR_SYNC_PERIOD_MS));
}

/*
 * Add up to @count tokens, waiting for room unless @nonblock, and have the
 * sampler watch them. Return how many were added or, if none, -EAGAIN or
 * -ERESTARTSYS.
 */
static ssize_t tour_sync_add(struct tour_sync *ts, size_t count, bool nonblock)
{
	size_t i;

	for (i = 0; i < count; i++) {
		if (nonblock ? down_trylock(&ts->room) :
			       down_interruptible(&ts->room))
			break;
		/* Counted before up(), so that taken never passes added. */
		atomic64_inc(&ts->added);
		up(&ts->tokens);
	}
	if (i)
		tour_sync_arm(ts);
	if (i || !count)
		return i;
	return nonblock ? -EAGAIN : -ERESTARTSYS;
}

/*
 * Take a token out of @tokens, waiting for one unless @nonblock: 0, -EAGAIN
 * or -ERESTARTSYS. The caller then keeps it with tour_sync_commit() or puts
 * it back with tour_sync_untake().
 */
static int tour_sync_take(struct tour_sync *ts, bool nonblock)
{
	if (nonblock)
		return down_trylock(&ts->tokens) ? -EAGAIN : 0;
	return down_interruptible(&ts->tokens) ? -ERESTARTSYS : 0;
}

static void tour_sync_commit(struct tour_sync *ts)
{
	atomic64_inc(&ts->taken);
	up(&ts->room);
}

static void tour_sync_untake(struct tour_sync *ts)
{
	up(&ts->tokens);
}

/* The tokens held, give or take those moving; never negative. */
static u64 tour_sync_held(struct tour_sync *ts)
{
	/* taken first: a token taken between the two reads was added before. */
	s64 taken = atomic64_read_acquire(&ts->taken);

	return atomic64_read(&ts->added) - taken;
}

/*
 * Set max to @max, only while no token is held or being added: then all of
 * @room is free, and taking it all, old max units, cannot fail.
 */
static int tour_sync_set_max(struct tour_sync *ts, unsigned int max)
{
	unsigned int i;
	int ret = 0;

	if (!max || max > TOUR_SYNC_LIMIT)
		return -EINVAL;

	mutex_lock(&ts->config_lock);
	for (i = 0; i < ts->max; i++)
		if (down_trylock(&ts->room))
			break;
	if (i < ts->max) {
		/* A token is held or moving: give back the room taken. */
		ret = -EBUSY;
		max = i;
	} else {
		ts->max = max;
	}
	for (i = 0; i < max; i++)
		up(&ts->room);
	mutex_unlock(&ts->config_lock);
	return ret;
}

/*
 * Runs in softirq context, so a plain spin_lock. It re-arms while tokens are
 * held. An add arms it after counting its tokens: if this sample missed them,
 * that arm comes after the sample began, and so is not lost.
 */
static void tour_sync_sample(struct timer_list *t)
{
	struct tour_sync *ts = timer_container_of(ts, t, sampler);
	u64 held = tour_sync_held(ts);

	spin_lock(&ts->stats_lock);
	ts->samples++;
	ts->max_seen = max(ts->max_seen, held);
	spin_unlock(&ts->stats_lock);
	if (held)
		tour_sync_arm(ts);
}

static ssize_t tour_sync_read(struct file *file, char __user *buf,
			      size_t count, loff_t *ppos)
{
	struct tour_sync *ts = container_of(file->private_data,
					    struct tour_sync, misc);
	int ret;

	if (!count)
		return 0;
	ret = tour_sync_take(ts, file->f_flags & O_NONBLOCK);
	if (ret)
		return ret;
	/* Take first, then copy: a copy that fails puts the token back. */
	if (put_user('+', buf)) {
		tour_sync_untake(ts);
		return -EFAULT;
	}
	tour_sync_commit(ts);
	return 1;
}

static ssize_t tour_sync_write(struct file *file, const char __user *buf,
			       size_t count, loff_t *ppos)
{
	struct tour_sync *ts = container_of(file->private_data,
					    struct tour_sync, misc);

	return tour_sync_add(ts, count, file->f_flags & O_NONBLOCK);
}

static const struct file_operations tour_sync_fops = {
	.owner = THIS_MODULE,
	.open = stream_open,
	.read = tour_sync_read,
	.write = tour_sync_write,
};

/* misc_register() made the misc device the drvdata of its device. */
static struct tour_sync *tour_sync_of(struct device *dev)
{
	return container_of(dev_get_drvdata(dev), struct tour_sync, misc);
}

static ssize_t max_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	struct tour_sync *ts = tour_sync_of(dev);
	unsigned int max;

	mutex_lock(&ts->config_lock);
	max = ts->max;
	mutex_unlock(&ts->config_lock);
	return sysfs_emit(buf, "%u\n", max);
}

static ssize_t max_store(struct device *dev, struct device_attribute *attr,
			 const char *buf, size_t count)
{
	unsigned int max;
	int ret;

	/* Any parse error, -ERANGE too, is bad input: -EINVAL. */
	if (kstrtouint(buf, 10, &max))
		return -EINVAL;
	ret = tour_sync_set_max(tour_sync_of(dev), max);
	return ret ? ret : count;
}
static DEVICE_ATTR_RW(max);

/* The atomic counts need no lock: each is read in one go. */
static ssize_t added_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct tour_sync *ts = tour_sync_of(dev);

	return sysfs_emit(buf, "%lld\n", atomic64_read(&ts->added));
}
static DEVICE_ATTR_RO(added);

static ssize_t taken_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct tour_sync *ts = tour_sync_of(dev);

	return sysfs_emit(buf, "%lld\n", atomic64_read(&ts->taken));
}
static DEVICE_ATTR_RO(taken);

/* The two numbers of one moment, printed out of the lock. */
static ssize_t tour_sync_show_stats(struct tour_sync *ts, char *buf)
{
	u64 samples, max_seen;

	/* _bh: the timer takes the lock in softirq on this CPU too. */
	spin_lock_bh(&ts->stats_lock);
	samples = ts->samples;
	max_seen = ts->max_seen;
	spin_unlock_bh(&ts->stats_lock);
	return sysfs_emit(buf, "samples: %llu\nmax_seen: %llu\n", samples,
			  max_seen);
}

static ssize_t stats_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return tour_sync_show_stats(tour_sync_of(dev), buf);
}
static DEVICE_ATTR_RO(stats);

static struct attribute *tour_sync_attrs[] = {
	&dev_attr_max.attr,
	&dev_attr_added.attr,
	&dev_attr_taken.attr,
	&dev_attr_stats.attr,
	NULL
};
ATTRIBUTE_GROUPS(tour_sync);

/* Set up @ts with no token, room for @max and the timer idle. */
static void tour_sync_setup(struct tour_sync *ts, unsigned int max)
{
	sema_init(&ts->tokens, TOUR_SYNC_START_TOKENS);
	sema_init(&ts->room, max);
	mutex_init(&ts->config_lock);
	ts->max = max;
	atomic64_set(&ts->added, 0);
	atomic64_set(&ts->taken, 0);
	spin_lock_init(&ts->stats_lock);
	ts->samples = 0;
	ts->max_seen = 0;
	timer_setup(&ts->sampler, tour_sync_sample, 0);
}

/* Stop the timer for good: tokens may still be held, and it re-arms. */
static void tour_sync_teardown(struct tour_sync *ts)
{
	timer_shutdown_sync(&ts->sampler);
	mutex_destroy(&ts->config_lock);
}

static struct tour_sync tour_sync_dev = {
	.misc = {
		.minor = MISC_DYNAMIC_MINOR,
		.name = "tour_sync",
		.fops = &tour_sync_fops,
		.groups = tour_sync_groups,
		.mode = 0600,
	},
};

static int __init tour_sync_init(void)
{
	int ret;

	tour_sync_setup(&tour_sync_dev, TOUR_SYNC_DEFAULT_MAX);
	ret = misc_register(&tour_sync_dev.misc);
	if (ret) {
		tour_sync_teardown(&tour_sync_dev);
		return ret;
	}
	pr_info("/dev/tour_sync ready, max %u tokens\n", TOUR_SYNC_DEFAULT_MAX);
	return 0;
}
module_init(tour_sync_init);

/*
 * No file is open (each holds the module), so no reader or writer waits on
 * the semaphores: the device and then the timer can go.
 */
static void __exit tour_sync_exit(void)
{
	misc_deregister(&tour_sync_dev.misc);
	tour_sync_teardown(&tour_sync_dev);
	pr_info("/dev/tour_sync removed\n");
}
module_exit(tour_sync_exit);

/* The KUnit tests of tokens, max, wake-ups and the sampler. */
#if IS_ENABLED(CONFIG_SAMPLE_TOUR_SYNC_KUNIT_TEST)
#include "tour_sync_test.c"
#endif

MODULE_AUTHOR("Kernel Driver Tour <kdt@example.org>");
MODULE_DESCRIPTION("Kernel driver tour: semaphores, mutex, spinlock, atomics");
MODULE_LICENSE("GPL");
