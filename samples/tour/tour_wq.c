// SPDX-License-Identifier: GPL-2.0-only
/*
 * Work items and workqueues: code that runs later, in process context.
 *
 * On load the sample queues three work items:
 *  - one on the system workqueue (system_percpu_wq), which logs "system work ran";
 *  - one on a workqueue of its own, from alloc_workqueue(), which logs
 *    "count 0" and queues itself again, interval_ms later, to log "count 1",
 *    and so on: it runs 11 times, to "count 10", and then stops. interval_ms
 *    is a module parameter, 1 to 1000 (default: 20);
 *  - a delayed one on that queue too, which logs "delayed work ran" once,
 *    100 ms after the start.
 *
 * /proc/tour_wq shows how many times each has run, exactly, one line each:
 * "system: N", "requeue: N" and "delayed: N". Writing "restart" to it (with
 * or without a newline) sets the requeue and delayed counts to 0 and starts
 * both items again. While either has yet to finish, such a write fails with
 * -EBUSY; any other write fails with -EINVAL. The file is 0644: anyone may
 * read the counts, only root may restart.
 *
 * Unloading is safe at any time, even mid-count: the proc file goes first
 * (proc_remove() waits for a write in progress, so none can queue work after
 * it), then cancel_work_sync() and cancel_delayed_work_sync() take back what
 * is queued, wait for what runs and make the count's own requeueing fail,
 * and destroy_workqueue() frees the queue, empty by then.
 *
 * Try it:
 *	modprobe tour_wq
 *	cat /proc/tour_wq
 *	dmesg | grep 'tour_wq: '
 *	echo restart > /proc/tour_wq
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

/* How many times the self-requeuing work runs: it counts from 0 to 10. */
#define TOUR_WQ_RUNS		11
/* The default and the largest interval_ms. */
#define TOUR_WQ_INTERVAL_MS	20
#define TOUR_WQ_MAX_INTERVAL_MS	1000
/* How long after a start the delayed work runs, in ms. */
#define TOUR_WQ_DELAY_MS	100
/* The longest write /proc/tour_wq reads; longer ones are -EINVAL. */
#define TOUR_WQ_WRITE_MAX	16
/* The one command a write may give. */
#define TOUR_WQ_RESTART		"restart"

static unsigned int interval_ms = TOUR_WQ_INTERVAL_MS;
module_param(interval_ms, uint, 0444);
MODULE_PARM_DESC(interval_ms, "Milliseconds between two counts, 1 to 1000 (default: 20)");

/**
 * struct tour_wq - the state of the sample
 * @wq: the sample's own workqueue, for @requeue_work and @delayed_work
 * @system_work: the work item on the system workqueue
 * @requeue_work: the work item that counts and queues itself again
 * @delayed_work: the work item that runs once, @delay after a start
 * @interval: the time between two runs of @requeue_work, in jiffies
 * @delay: the time from a start to the run of @delayed_work, in jiffies
 * @verbose: log each run (the KUnit tests' instances keep quiet, so that the
 *	log shows only the module's own runs)
 * @lock: protects the counts, the busy flags and the reinit of @done
 * @system_runs: how many times @system_work ran
 * @requeue_runs: how many times @requeue_work ran since the last start
 * @delayed_runs: how many times @delayed_work ran since the last start
 * @requeue_busy: @requeue_work has runs to go; a start sets it, the last run
 *	clears it (a cancel does not: a cancelled instance is only torn down)
 * @delayed_busy: @delayed_work has yet to run; a start sets it, its run
 *	clears it
 * @done: completed by the last run of @requeue_work, for whoever waits
 */
struct tour_wq {
	struct workqueue_struct *wq;
	struct work_struct system_work;
	struct delayed_work requeue_work;
	struct delayed_work delayed_work;
	unsigned long interval;
	unsigned long delay;
	bool verbose;
	struct mutex lock;	/* protects the counts and the busy flags */
	unsigned int system_runs;
	unsigned int requeue_runs;
	unsigned int delayed_runs;
	bool requeue_busy;
	bool delayed_busy;
	struct completion done;
};

static void tour_wq_system_fn(struct work_struct *work)
{
	struct tour_wq *tw = container_of(work, struct tour_wq, system_work);

	mutex_lock(&tw->lock);
	if (tw->verbose)
		pr_info("system work ran\n");
	tw->system_runs++;
	mutex_unlock(&tw->lock);
}

/*
 * One count: log it, then queue the next one, unless this is the last. The
 * workqueue never runs an item twice at once, so that the next run, even
 * one queued with no delay, starts only once this one has returned. The log
 * line, the count and the choice are made under the lock: a reader who sees
 * the count finds the line in the log, and a start sees a count either
 * going or over.
 */
static void tour_wq_requeue_fn(struct work_struct *work)
{
	struct tour_wq *tw = container_of(to_delayed_work(work), struct tour_wq,
					  requeue_work);

	mutex_lock(&tw->lock);
	if (tw->verbose)
		pr_info("count %u\n", tw->requeue_runs);
	if (++tw->requeue_runs < TOUR_WQ_RUNS) {
		/* Fails, and ends the count, while a cancel is under way. */
		queue_delayed_work(tw->wq, &tw->requeue_work, tw->interval);
	} else {
		tw->requeue_busy = false;
		complete_all(&tw->done);
	}
	mutex_unlock(&tw->lock);
}

static void tour_wq_delayed_fn(struct work_struct *work)
{
	struct tour_wq *tw = container_of(to_delayed_work(work), struct tour_wq,
					  delayed_work);

	mutex_lock(&tw->lock);
	if (tw->verbose)
		pr_info("delayed work ran\n");
	tw->delayed_runs++;
	tw->delayed_busy = false;
	mutex_unlock(&tw->lock);
}

/*
 * Start the count and the delayed work, with their counts at 0: the first
 * count now, the delayed work after its delay. -EBUSY while either is still
 * to finish, so that no run of the last start is ever counted in the next.
 */
static int tour_wq_start(struct tour_wq *tw)
{
	int ret = 0;

	mutex_lock(&tw->lock);
	if (tw->requeue_busy || tw->delayed_busy) {
		ret = -EBUSY;
	} else {
		tw->requeue_runs = 0;
		tw->delayed_runs = 0;
		tw->requeue_busy = true;
		tw->delayed_busy = true;
		/* The last run completed it under @lock: none can come after. */
		reinit_completion(&tw->done);
		queue_delayed_work(tw->wq, &tw->requeue_work, 0);
		queue_delayed_work(tw->wq, &tw->delayed_work, tw->delay);
	}
	mutex_unlock(&tw->lock);
	return ret;
}

/* 0 when the @len bytes at @buf are "restart", with or without a newline. */
static int tour_wq_parse(const char *buf, size_t len)
{
	if (len && buf[len - 1] == '\n')
		len--;
	if (len != strlen(TOUR_WQ_RESTART) || memcmp(buf, TOUR_WQ_RESTART, len))
		return -EINVAL;
	return 0;
}

static int tour_wq_show(struct seq_file *m, void *v)
{
	struct tour_wq *tw = m->private;

	mutex_lock(&tw->lock);
	seq_printf(m, "system: %u\nrequeue: %u\ndelayed: %u\n",
		   tw->system_runs, tw->requeue_runs, tw->delayed_runs);
	mutex_unlock(&tw->lock);
	return 0;
}

static int tour_wq_open(struct inode *inode, struct file *file)
{
	return single_open(file, tour_wq_show, pde_data(inode));
}

/* A whole write is one command, whatever the file position. */
static ssize_t tour_wq_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	char buf[TOUR_WQ_WRITE_MAX];
	int ret;

	if (count > sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	ret = tour_wq_parse(buf, count);
	if (!ret)
		ret = tour_wq_start(m->private);
	if (ret)
		return ret;
	return count;
}

static const struct proc_ops tour_wq_proc_ops = {
	.proc_open = tour_wq_open,
	.proc_read = seq_read,
	.proc_write = tour_wq_write,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

/* Make @tw idle, with a count every @interval_msecs ms once it starts. */
static int tour_wq_setup(struct tour_wq *tw, unsigned int interval_msecs,
			 unsigned int delay_msecs)
{
	/*
	 * WQ_UNBOUND: the items only log and count, and gain nothing from
	 * running on the CPU that queued them (for a delayed item, the CPU
	 * its timer went off on), so the scheduler may pick any, and leave
	 * idle ones idle. WQ_FREEZABLE: the queue is frozen for suspend and
	 * hibernation, so that a count neither runs nor logs while the
	 * system goes to sleep; it goes on after the resume. No
	 * WQ_MEM_RECLAIM: freeing memory never waits for these items, so
	 * the queue needs no rescuer thread of its own. max_active 1: the
	 * two items take microseconds, and one at a time is all they need
	 * (it does not make the queue ordered: alloc_ordered_workqueue()
	 * does that, and nothing here relies on an order).
	 */
	tw->wq = alloc_workqueue("tour_wq", WQ_UNBOUND | WQ_FREEZABLE, 1);
	if (!tw->wq)
		return -ENOMEM;
	INIT_WORK(&tw->system_work, tour_wq_system_fn);
	INIT_DELAYED_WORK(&tw->requeue_work, tour_wq_requeue_fn);
	INIT_DELAYED_WORK(&tw->delayed_work, tour_wq_delayed_fn);
	tw->interval = msecs_to_jiffies(interval_msecs);
	tw->delay = msecs_to_jiffies(delay_msecs);
	mutex_init(&tw->lock);
	tw->system_runs = 0;
	tw->requeue_runs = 0;
	tw->delayed_runs = 0;
	tw->requeue_busy = false;
	tw->delayed_busy = false;
	init_completion(&tw->done);
	return 0;
}

/*
 * Take back every queued item of @tw, and wait for the ones that run. A
 * cancel_*_sync() works on an item that queues itself: its requeueing fails
 * until the cancel returns. No start may come meanwhile, nor after.
 */
static void tour_wq_cancel(struct tour_wq *tw)
{
	cancel_work_sync(&tw->system_work);
	cancel_delayed_work_sync(&tw->requeue_work);
	cancel_delayed_work_sync(&tw->delayed_work);
}

static void tour_wq_teardown(struct tour_wq *tw)
{
	tour_wq_cancel(tw);
	/* Nothing is queued on it any more, nor can be. */
	destroy_workqueue(tw->wq);
	mutex_destroy(&tw->lock);
}

static struct tour_wq tour_wq_dev = {
	.verbose = true,
};

/* /proc/tour_wq: the counts, and "restart". */
static struct proc_dir_entry *tour_wq_proc;

static int __init tour_wq_init(void)
{
	int ret;

	if (!interval_ms || interval_ms > TOUR_WQ_MAX_INTERVAL_MS) {
		pr_err("interval_ms=%u is out of range 1..%u\n", interval_ms,
		       TOUR_WQ_MAX_INTERVAL_MS);
		return -EINVAL;
	}

	ret = tour_wq_setup(&tour_wq_dev, interval_ms, TOUR_WQ_DELAY_MS);
	if (ret)
		return ret;
	queue_work(system_percpu_wq, &tour_wq_dev.system_work);
	/* A new instance is idle: this start cannot fail. */
	tour_wq_start(&tour_wq_dev);

	tour_wq_proc = proc_create_data("tour_wq", 0644, NULL,
					&tour_wq_proc_ops, &tour_wq_dev);
	if (!tour_wq_proc) {
		ret = -ENOMEM;
		goto err_teardown;
	}
	return 0;

err_teardown:
	tour_wq_teardown(&tour_wq_dev);
	return ret;
}
module_init(tour_wq_init);

static void __exit tour_wq_exit(void)
{
	/* The file first: once it is gone, no write can start the work. */
	proc_remove(tour_wq_proc);
	tour_wq_teardown(&tour_wq_dev);
}
module_exit(tour_wq_exit);

/* The KUnit tests of the count, the delayed work, restart and cancel. */
#if IS_ENABLED(CONFIG_SAMPLE_TOUR_WQ_KUNIT_TEST)
#include "tour_wq_test.c"
#endif

MODULE_AUTHOR("Kernel Driver Tour <kdt@example.org>");
MODULE_DESCRIPTION("Kernel driver tour: work items on the system workqueue and on one of its own");
MODULE_LICENSE("GPL");
