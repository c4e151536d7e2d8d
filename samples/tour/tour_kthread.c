// SPDX-License-Identifier: GPL-2.0-only
/*
 * Two kernel threads and a FIFO between them, run from /proc/tour_kthread.
 *
 * A producer thread puts the values 1, 2, ..., N of a batch into a FIFO of
 * 16 values, and a consumer thread takes them out and adds them up. Both
 * sleep on one wait queue while they have nothing to do: the producer while
 * no batch is asked for or the FIFO is full, the consumer while the FIFO is
 * empty. When the consumer has taken the last value of a batch, it completes
 * a completion that the writer who asked for the batch waits on.
 *
 * A read of the file gives the counts since the module was loaded:
 *	produced: P	the values put into the FIFO
 *	consumed: C	the values taken out of it
 *	sum: S		the sum of the values taken
 *	batches: B	the batches taken whole
 * A write of a count N, 1 to 1000000 in decimal with an optional newline,
 * asks for a batch of N and returns its length once the consumer has taken
 * all N values: consumed has then grown by N, sum by N * (N + 1) / 2 and
 * batches by 1. One write runs its batch at a time; others wait their turn.
 *
 * Anything else written (nothing, 0, too large, not a number, more than 15
 * bytes) fails with -EINVAL, a buffer that cannot be read with -EFAULT.
 *
 * A signal never fails a write whose batch has started. While a write waits
 * its turn, nothing has happened yet: a signal ends the wait with
 * -ERESTARTSYS, and the kernel restarts the write after a stop and continue
 * (SIGSTOP, SIGCONT) or a handler with SA_RESTART; only a handler without
 * it sees EINTR. Once its batch has started, the write sleeps killable
 * (TASK_KILLABLE): any other signal stays pending until the batch is done
 * and the write has returned its length, and a handler runs then. A fatal
 * signal ends the wait at once; the process dies, the batch goes on to its
 * end, and the next write waits for it.
 *
 * The threads start at load and stop at unload with kthread_stop(), which
 * wakes them wherever they wait. Unloading waits for the writes in progress,
 * and stops in its middle a batch that no write waits for any more.
 *
 * The file is 0644: anyone may read the counts, only root may ask for work.
 *
 * Try it:
 *	modprobe tour_kthread
 *	ps | grep tour_
 *	echo 100 > /proc/tour_kthread
 *	cat /proc/tour_kthread
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/err.h>
#include <linux/kfifo.h>
#include <linux/kstrtox.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

/* How many values the FIFO holds: a power of two, as kfifo wants. */
#define TOUR_KTHREAD_FIFO_SIZE	16
/* The largest batch a write may ask for. */
#define TOUR_KTHREAD_MAX_BATCH	1000000
/* The longest write taken: "1000000\n" and then some. */
#define TOUR_KTHREAD_WRITE_MAX	15

/**
 * struct tour_kthread - a producer, a consumer and the FIFO between them
 * @lock: protects @fifo, the batch and the counts
 * @fifo: the values produced and not yet consumed
 * @next: the value the producer makes next
 * @to_produce: the values of the batch still to be produced
 * @to_consume: the values of the batch still to be consumed
 * @produced: the values produced since the start
 * @consumed: the values consumed since the start
 * @sum: the sum of the values consumed
 * @batches: the batches consumed whole
 * @wq: where the producer waits for work or room, the consumer for values
 * @done: completed when no batch runs, reinitialised when one starts
 * @write_lock: lets one write at a time start a batch and wait for it
 * @producer: the producer thread, or NULL
 * @consumer: the consumer thread, or NULL
 *
 * A batch is in the FIFO alone: the next one starts once it is done. @done
 * is here, not on a writer's stack, because a writer that is killed goes
 * away while its batch runs on.
 */
struct tour_kthread {
	spinlock_t lock;	/* protects fifo, the batch and the counts */
	DECLARE_KFIFO(fifo, unsigned int, TOUR_KTHREAD_FIFO_SIZE);
	unsigned int next;
	unsigned int to_produce;
	unsigned int to_consume;
	u64 produced;
	u64 consumed;
	u64 sum;
	u64 batches;
	wait_queue_head_t wq;
	struct completion done;
	struct mutex write_lock;	/* one batch of one write at a time */
	struct task_struct *producer;
	struct task_struct *consumer;
};

/*
 * The wait conditions take the spinlock, which never sleeps: they run after
 * wait_event_idle() has set the task's state, and a mutex that slept there
 * would lose it (DEBUG_ATOMIC_SLEEP warns of any blocking call there).
 */
static bool tour_kthread_can_produce(struct tour_kthread *tk)
{
	bool ret;

	spin_lock(&tk->lock);
	ret = tk->to_produce && !kfifo_is_full(&tk->fifo);
	spin_unlock(&tk->lock);
	return ret;
}

static bool tour_kthread_can_consume(struct tour_kthread *tk)
{
	bool ret;

	spin_lock(&tk->lock);
	ret = !kfifo_is_empty(&tk->fifo);
	spin_unlock(&tk->lock);
	return ret;
}

/*
 * The threads wait with wait_event_idle(): a kernel thread takes no signals,
 * so an interruptible wait would buy nothing, and an idle one keeps a thread
 * with no work out of the load average and the hung task check. Their
 * conditions include kthread_should_stop(): kthread_stop() sets it, then
 * wakes the thread, which sees it and returns, whatever it waited for.
 */
static int tour_kthread_producer(void *data)
{
	struct tour_kthread *tk = data;

	for (;;) {
		wait_event_idle(tk->wq, kthread_should_stop() ||
				tour_kthread_can_produce(tk));
		if (kthread_should_stop())
			return 0;

		spin_lock(&tk->lock);
		while (tk->to_produce && kfifo_put(&tk->fifo, tk->next)) {
			tk->next++;
			tk->to_produce--;
			tk->produced++;
		}
		spin_unlock(&tk->lock);
		/* Values for the consumer. */
		wake_up(&tk->wq);
		/* A long batch need not wait, but must let others run. */
		cond_resched();
	}
}

static int tour_kthread_consumer(void *data)
{
	struct tour_kthread *tk = data;
	unsigned int val;
	bool done;

	for (;;) {
		wait_event_idle(tk->wq, kthread_should_stop() ||
				tour_kthread_can_consume(tk));
		if (kthread_should_stop())
			return 0;

		done = false;
		spin_lock(&tk->lock);
		while (kfifo_get(&tk->fifo, &val)) {
			tk->consumed++;
			tk->sum += val;
			if (!--tk->to_consume) {
				tk->batches++;
				done = true;
			}
		}
		spin_unlock(&tk->lock);
		/* Room for the producer. */
		wake_up(&tk->wq);
		/* The counts are whole before the writer wakes up. */
		if (done)
			complete_all(&tk->done);
		cond_resched();
	}
}

/*
 * Start a batch of the values 1..@n; the one before it must be done. Its
 * complete_all() has then come, so no late one can undo the reinit.
 */
static void tour_kthread_submit(struct tour_kthread *tk, unsigned int n)
{
	lockdep_assert_held(&tk->write_lock);

	reinit_completion(&tk->done);
	spin_lock(&tk->lock);
	tk->next = 1;
	tk->to_produce = n;
	tk->to_consume = n;
	spin_unlock(&tk->lock);
	wake_up(&tk->wq);
}

/*
 * Run a batch of @n and wait for it, after any batch whose writer was
 * killed. Until the batch starts, a signal ends the wait with -ERESTARTSYS:
 * nothing has happened, so the write may be restarted. After, a restart
 * would run the batch twice: the wait is killable, and only a fatal signal
 * ends it, with -EINTR that nobody sees, as the process dies.
 */
static int tour_kthread_batch(struct tour_kthread *tk, unsigned int n)
{
	int ret = 0;

	/* mutex_lock_interruptible() gives -EINTR, which would not restart. */
	if (mutex_lock_interruptible(&tk->write_lock))
		return -ERESTARTSYS;
	if (wait_for_completion_interruptible(&tk->done)) {
		ret = -ERESTARTSYS;
		goto out_unlock;
	}
	tour_kthread_submit(tk, n);
	if (wait_for_completion_killable(&tk->done))
		ret = -EINTR;
out_unlock:
	mutex_unlock(&tk->write_lock);
	return ret;
}

/* Parse a batch size, 1 to TOUR_KTHREAD_MAX_BATCH with one newline after. */
static int tour_kthread_parse(const char *s, unsigned int *n)
{
	/* Any error, -ERANGE too, is bad input: -EINVAL. */
	if (kstrtouint(s, 10, n) || !*n || *n > TOUR_KTHREAD_MAX_BATCH)
		return -EINVAL;
	return 0;
}

/* A write of @count bytes at @ubuf: parse it, then run its batch. */
static ssize_t tour_kthread_write_to(struct tour_kthread *tk,
				     const char __user *ubuf, size_t count)
{
	char buf[TOUR_KTHREAD_WRITE_MAX + 1];
	unsigned int n;
	int ret;

	if (count > TOUR_KTHREAD_WRITE_MAX)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	/* A NUL byte would hide what follows it from the parser. */
	if (strlen(buf) != count)
		return -EINVAL;
	ret = tour_kthread_parse(buf, &n);
	if (ret)
		return ret;
	ret = tour_kthread_batch(tk, n);
	return ret ? ret : count;
}

static int tour_kthread_show(struct seq_file *m, void *v)
{
	struct tour_kthread *tk = m->private;
	u64 produced, consumed, sum, batches;

	/* The four counts of one moment, printed out of the lock. */
	spin_lock(&tk->lock);
	produced = tk->produced;
	consumed = tk->consumed;
	sum = tk->sum;
	batches = tk->batches;
	spin_unlock(&tk->lock);

	seq_printf(m, "produced: %llu\nconsumed: %llu\nsum: %llu\nbatches: %llu\n",
		   produced, consumed, sum, batches);
	return 0;
}

static int tour_kthread_open(struct inode *inode, struct file *file)
{
	return single_open(file, tour_kthread_show, pde_data(inode));
}

static ssize_t tour_kthread_write(struct file *file, const char __user *buf,
				  size_t count, loff_t *ppos)
{
	struct seq_file *m = file->private_data;

	return tour_kthread_write_to(m->private, buf, count);
}

static const struct proc_ops tour_kthread_proc_ops = {
	.proc_open = tour_kthread_open,
	.proc_release = single_release,
	.proc_read_iter = seq_read_iter,
	.proc_write = tour_kthread_write,
	.proc_lseek = seq_lseek,
};

/* Set up @tk with no batch running and no thread yet. */
static void tour_kthread_prepare(struct tour_kthread *tk)
{
	spin_lock_init(&tk->lock);
	INIT_KFIFO(tk->fifo);
	init_waitqueue_head(&tk->wq);
	init_completion(&tk->done);
	complete_all(&tk->done);
	mutex_init(&tk->write_lock);
}

static int tour_kthread_start(struct tour_kthread *tk)
{
	struct task_struct *task;
	int ret;

	task = kthread_run(tour_kthread_producer, tk, "tour_producer");
	if (IS_ERR(task))
		return PTR_ERR(task);
	tk->producer = task;

	task = kthread_run(tour_kthread_consumer, tk, "tour_consumer");
	if (IS_ERR(task)) {
		ret = PTR_ERR(task);
		goto err_stop_producer;
	}
	tk->consumer = task;
	return 0;

err_stop_producer:
	kthread_stop(tk->producer);
	tk->producer = NULL;
	return ret;
}

/*
 * Stop the threads that run; nobody may wait for a batch any more. Each
 * returns at once, even in the middle of a batch: the consumer may wait on
 * an empty FIFO, the producer on a full one.
 */
static void tour_kthread_teardown(struct tour_kthread *tk)
{
	if (tk->consumer)
		kthread_stop(tk->consumer);
	if (tk->producer)
		kthread_stop(tk->producer);
	tk->consumer = NULL;
	tk->producer = NULL;
	mutex_destroy(&tk->write_lock);
}

static struct tour_kthread tour_kthread_dev;
static struct proc_dir_entry *tour_kthread_pde;

static int __init tour_kthread_init(void)
{
	int ret;

	tour_kthread_prepare(&tour_kthread_dev);
	ret = tour_kthread_start(&tour_kthread_dev);
	if (ret)
		return ret;

	tour_kthread_pde = proc_create_data("tour_kthread", 0644, NULL,
					    &tour_kthread_proc_ops,
					    &tour_kthread_dev);
	if (!tour_kthread_pde) {
		ret = -ENOMEM;
		goto err_teardown;
	}
	pr_info("tour_producer and tour_consumer started\n");
	return 0;

err_teardown:
	tour_kthread_teardown(&tour_kthread_dev);
	return ret;
}
module_init(tour_kthread_init);

/*
 * The file goes first: proc_remove() waits for the reads and writes in
 * progress, and the threads, still running, finish the batches that those
 * writes wait for. Once it returns nothing can wait for a batch, and the
 * threads stop, leaving the rest of any batch whose writer was killed.
 */
static void __exit tour_kthread_exit(void)
{
	proc_remove(tour_kthread_pde);
	tour_kthread_teardown(&tour_kthread_dev);
	pr_info("tour_producer and tour_consumer stopped\n");
}
module_exit(tour_kthread_exit);

/* The KUnit tests of batches, stops and writes, on instances of their own. */
#if IS_ENABLED(CONFIG_SAMPLE_TOUR_KTHREAD_KUNIT_TEST)
#include "tour_kthread_test.c"
#endif

MODULE_AUTHOR("Kernel Driver Tour <kdt@example.org>");
MODULE_DESCRIPTION("Kernel driver tour: a producer and a consumer kthread");
MODULE_LICENSE("GPL");
