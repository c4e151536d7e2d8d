// SPDX-License-Identifier: GPL-2.0-only
/*
 * A misc device that counts how it is used: /dev/tour_stats.
 *
 * Every read and write call on the node is counted once, however many bytes
 * or buffers it has: the VFS hands each read(), pread() or readv() to
 * read_iter() once, and each write() or writev() to write_iter(). (pwrite()
 * fails with -ESPIPE before that: seq_open() makes the file refuse it. A
 * readv() or writev() of no bytes at all never reaches the device either.)
 * A read at offset 0 returns one line, "Reads: N, Writes: M\n", which counts
 * that read too; reads further on return the rest of that same line and then
 * end of file, so that cat prints one line and stops. A write is counted and
 * takes the whole buffer without reading it, like a write to /dev/null.
 *
 * The line is a seq_file (single_open()), which keeps it for the reads after
 * the one at offset 0 and handles any read size and lseek(). The counters
 * are percpu_counters: each CPU counts in a counter of its own, so that many
 * processes on many CPUs never wait on one shared cache line, and a read of
 * the line sums them exactly.
 *
 * The node is 0644: anyone may read the counts, only root may write.
 *
 * Try it:
 *	modprobe tour_stats
 *	echo hello > /dev/tour_stats
 *	cat /dev/tour_stats
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/percpu_counter.h>
#include <linux/seq_file.h>
#include <linux/uio.h>

/**
 * struct tour_stats - the state of the device
 * @misc: the misc device, /dev/tour_stats
 * @reads: the number of read calls
 * @writes: the number of write calls
 */
struct tour_stats {
	struct miscdevice misc;
	struct percpu_counter reads;
	struct percpu_counter writes;
};

static int tour_stats_show(struct seq_file *m, void *v)
{
	struct tour_stats *stats = m->private;

	seq_printf(m, "Reads: %lld, Writes: %lld\n",
		   percpu_counter_sum(&stats->reads),
		   percpu_counter_sum(&stats->writes));
	return 0;
}

static int tour_stats_open(struct inode *inode, struct file *file)
{
	/* misc_open() left the miscdevice here, and seq_open() wants NULL. */
	struct tour_stats *stats = container_of(file->private_data,
						struct tour_stats, misc);

	file->private_data = NULL;
	return single_open(file, tour_stats_show, stats);
}

static ssize_t tour_stats_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct seq_file *m = iocb->ki_filp->private_data;
	struct tour_stats *stats = m->private;

	percpu_counter_inc(&stats->reads);
	return seq_read_iter(iocb, to);
}

/* Count the call and take the whole buffer unread, as /dev/null does. */
static ssize_t tour_stats_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct seq_file *m = iocb->ki_filp->private_data;
	struct tour_stats *stats = m->private;
	size_t count = iov_iter_count(from);

	percpu_counter_inc(&stats->writes);
	iov_iter_advance(from, count);
	return count;
}

static const struct file_operations tour_stats_fops = {
	.owner = THIS_MODULE,
	.open = tour_stats_open,
	.release = single_release,
	.read_iter = tour_stats_read_iter,
	.write_iter = tour_stats_write_iter,
	.llseek = seq_lseek,
};

static int tour_stats_setup(struct tour_stats *stats)
{
	int ret;

	ret = percpu_counter_init(&stats->reads, 0, GFP_KERNEL);
	if (ret)
		return ret;
	ret = percpu_counter_init(&stats->writes, 0, GFP_KERNEL);
	if (ret)
		percpu_counter_destroy(&stats->reads);
	return ret;
}

static void tour_stats_teardown(struct tour_stats *stats)
{
	percpu_counter_destroy(&stats->writes);
	percpu_counter_destroy(&stats->reads);
}

static struct tour_stats tour_stats_dev = {
	.misc = {
		.minor = MISC_DYNAMIC_MINOR,
		.name = "tour_stats",
		.fops = &tour_stats_fops,
		.mode = 0644,
	},
};

static int __init tour_stats_init(void)
{
	int ret;

	ret = tour_stats_setup(&tour_stats_dev);
	if (ret)
		return ret;
	ret = misc_register(&tour_stats_dev.misc);
	if (ret)
		tour_stats_teardown(&tour_stats_dev);
	return ret;
}
module_init(tour_stats_init);

static void __exit tour_stats_exit(void)
{
	misc_deregister(&tour_stats_dev.misc);
	tour_stats_teardown(&tour_stats_dev);
}
module_exit(tour_stats_exit);

/* The KUnit tests of the counters and the line, built into this module. */
#if IS_ENABLED(CONFIG_SAMPLE_TOUR_STATS_KUNIT_TEST)
#include "tour_stats_test.c"
#endif

MODULE_AUTHOR("Kernel Driver Tour <kdt@example.org>");
MODULE_DESCRIPTION("Kernel driver tour: a misc device that counts reads and writes");
MODULE_LICENSE("GPL");
