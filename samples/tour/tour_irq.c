// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupts without hardware, from the kernel's interrupt simulator.
 *
 * At load the sample makes an IRQ simulator domain of one line, maps its
 * hwirq 0 to a Linux interrupt number (virq) and requests it with a hard
 * handler, which runs in interrupt context, only counts and wakes the
 * handler's thread, and a threaded handler, which runs in a kernel thread
 * ("irq/V-tour_irq") and may sleep: it does the slow part of the work. An
 * interrupt is fired by setting the line's PENDING state, as a device would
 * raise it; the simulator then calls the flow handler from an irq_work, in
 * hard interrupt context.
 *
 * A read of /proc/tour_irq gives the counts since the load:
 *	hard: H		the runs of the hard handler
 *	thread: T	the runs of the threaded handler
 *	fired: F	the interrupts fired by writes
 *	virq: V		the interrupt number, as in /proc/interrupts
 * A write of a count N, 1 to 10000 in decimal with an optional newline,
 * fires N interrupts one at a time, each once the thread of the one before
 * has run, and returns once the last has: F has then grown by exactly N,
 * and H and T equal F. One write fires at a time; others wait their turn.
 *
 * Anything else written (nothing, 0, too large, not a number, more than 15
 * bytes) fails with -EINVAL, a buffer that cannot be read with -EFAULT. An
 * interrupt whose thread has not run within a second ends the write with
 * -ETIMEDOUT; the next write first waits, a second at most, for that thread.
 *
 * A signal never fails a write that has fired. While a write waits its
 * turn, nothing has fired yet: a signal ends the wait with -ERESTARTSYS,
 * and the kernel restarts the write after a stop and continue (SIGSTOP,
 * SIGCONT) or a handler with SA_RESTART; only a handler without it sees
 * EINTR. Once it has fired, the write fires all N, each wait bounded by the
 * timeout, and any signal stays pending until it has returned N (a handler
 * runs then). Only a fatal signal ends it early, between two interrupts,
 * never within one; the process dies and never sees the -EINTR.
 *
 * Unloading is safe while a write fires: proc_remove() waits for it, then
 * free_irq() for the handlers. The file is 0644: anyone may read the counts,
 * only root may fire.
 *
 * Try it:
 *	modprobe tour_irq
 *	echo 100 > /proc/tour_irq
 *	cat /proc/tour_irq
 *	grep tour_irq /proc/interrupts
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irq_sim.h>
#include <linux/irqdomain.h>
#include <linux/jiffies.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/uaccess.h>

/* The most interrupts one write fires. */
#define TOUR_IRQ_MAX_FIRE	10000
/* The longest write taken: "10000\n" and then some. */
#define TOUR_IRQ_WRITE_MAX	15
/* How long an interrupt may take from its fire to the end of its thread. */
#define TOUR_IRQ_TIMEOUT	((unsigned long)HZ)

/**
 * struct tour_irq - a simulated interrupt line and its counts
 * @domain: the IRQ simulator domain, of one line, or NULL
 * @virq: the Linux interrupt number of its hwirq 0, or 0
 * @requested: the handlers are installed on @virq
 * @hard: the runs of the hard handler; an atomic, as it runs in hard irq
 *	context, where the mutex may not be taken
 * @lock: protects @thread, @fired and the state of @done
 * @thread: the runs of the threaded handler
 * @fired: the interrupts fired
 * @done: complete while every interrupt fired has run its thread (@thread
 *	equals @fired); changed under @lock, with the counts
 * @write_lock: lets one write at a time fire its interrupts
 */
struct tour_irq {
	struct irq_domain *domain;
	unsigned int virq;
	bool requested;
	atomic64_t hard;
	struct mutex lock;	/* protects thread, fired and done */
	u64 thread;
	u64 fired;
	struct completion done;
	struct mutex write_lock;	/* one write fires at a time */
};

/**
 * struct tour_irq_counts - the counts of a tour_irq, copied out of its lock
 * @hard: the runs of the hard handler
 * @thread: the runs of the threaded handler
 * @fired: the interrupts fired
 */
struct tour_irq_counts {
	u64 hard;
	u64 thread;
	u64 fired;
};

static void tour_irq_read(struct tour_irq *ti, struct tour_irq_counts *c)
{
	mutex_lock(&ti->lock);
	c->thread = ti->thread;
	/* Under @lock, where @fired cannot move: thread <= hard <= fired. */
	c->hard = atomic64_read(&ti->hard);
	c->fired = ti->fired;
	mutex_unlock(&ti->lock);
}

/* Hard irq context: no sleeping, no mutex. Count and hand over. */
static irqreturn_t tour_irq_hard(int irq, void *data)
{
	struct tour_irq *ti = data;

	atomic64_inc(&ti->hard);
	return IRQ_WAKE_THREAD;
}

/* The handler's kernel thread: it may sleep, so it may take a mutex. */
static irqreturn_t tour_irq_thread(int irq, void *data)
{
	struct tour_irq *ti = data;

	/* The slow part of a device's work, such as a transfer on a bus. */
	usleep_range(50, 100);
	mutex_lock(&ti->lock);
	if (++ti->thread == ti->fired)
		complete_all(&ti->done);
	mutex_unlock(&ti->lock);
	return IRQ_HANDLED;
}

/*
 * Fire one interrupt and wait for its thread. Firing before the thread of
 * the one before has run could coalesce: the simulator keeps one PENDING
 * bit per line and the core one "run the thread" bit per handler, so two
 * fires could make one run. The thread may complete @done on one CPU while
 * the hard half is still leaving the flow handler on another, and
 * handle_simple_irq() drops an interrupt that comes in then:
 * synchronize_hardirq() waits that out.
 */
static int tour_irq_fire_one(struct tour_irq *ti)
{
	int ret;

	/* Only after a timeout is the thread of the one before still to run. */
	if (!wait_for_completion_timeout(&ti->done, TOUR_IRQ_TIMEOUT))
		return -ETIMEDOUT;
	synchronize_hardirq(ti->virq);
	/*
	 * Counted first, so that a reader never sees hard > fired. Under
	 * @lock, where the thread completes @done only once @thread is up
	 * with @fired: a late run of an earlier fire cannot end this wait.
	 */
	mutex_lock(&ti->lock);
	ti->fired++;
	reinit_completion(&ti->done);
	mutex_unlock(&ti->lock);
	ret = irq_set_irqchip_state(ti->virq, IRQCHIP_STATE_PENDING, true);
	if (ret) {
		mutex_lock(&ti->lock);
		ti->fired--;
		complete_all(&ti->done);
		mutex_unlock(&ti->lock);
		return ret;
	}
	/* Not interruptible: a write leaves no interrupt half done. */
	if (!wait_for_completion_timeout(&ti->done, TOUR_IRQ_TIMEOUT))
		return -ETIMEDOUT;
	return 0;
}

/*
 * Fire @n interrupts, one at a time, after any write in progress. A signal
 * while the write waits its turn gives -ERESTARTSYS: nothing has fired, so
 * the write may be restarted. Once it fires, a restart would fire again:
 * only a fatal signal stops it, between two interrupts, with -EINTR that
 * nobody sees, as the process dies.
 */
static int tour_irq_fire(struct tour_irq *ti, unsigned int n)
{
	unsigned int i;
	int ret = 0;

	/* mutex_lock_interruptible() gives -EINTR, which would not restart. */
	if (mutex_lock_interruptible(&ti->write_lock))
		return -ERESTARTSYS;
	for (i = 0; i < n; i++) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		ret = tour_irq_fire_one(ti);
		if (ret)
			break;
	}
	mutex_unlock(&ti->write_lock);
	return ret;
}

/* Parse a count, 1 to TOUR_IRQ_MAX_FIRE with one newline after. */
static int tour_irq_parse(const char *s, unsigned int *n)
{
	/* Any error, -ERANGE too, is bad input: -EINVAL. */
	if (kstrtouint(s, 10, n) || !*n || *n > TOUR_IRQ_MAX_FIRE)
		return -EINVAL;
	return 0;
}

/* A write of @count bytes at @ubuf: parse it, then fire. */
static ssize_t tour_irq_write_to(struct tour_irq *ti, const char __user *ubuf,
				 size_t count)
{
	char buf[TOUR_IRQ_WRITE_MAX + 1];
	unsigned int n;
	int ret;

	if (count > TOUR_IRQ_WRITE_MAX)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	/* A NUL byte would hide what follows it from the parser. */
	if (strlen(buf) != count)
		return -EINVAL;
	ret = tour_irq_parse(buf, &n);
	if (ret)
		return ret;
	ret = tour_irq_fire(ti, n);
	return ret ? ret : count;
}

static int tour_irq_show(struct seq_file *m, void *v)
{
	struct tour_irq *ti = m->private;
	struct tour_irq_counts c;

	tour_irq_read(ti, &c);
	seq_printf(m, "hard: %llu\nthread: %llu\nfired: %llu\nvirq: %u\n",
		   c.hard, c.thread, c.fired, ti->virq);
	return 0;
}

static int tour_irq_open(struct inode *inode, struct file *file)
{
	return single_open(file, tour_irq_show, pde_data(inode));
}

static ssize_t tour_irq_write(struct file *file, const char __user *buf,
			      size_t count, loff_t *ppos)
{
	struct seq_file *m = file->private_data;

	return tour_irq_write_to(m->private, buf, count);
}

static const struct proc_ops tour_irq_proc_ops = {
	.proc_open = tour_irq_open,
	.proc_release = single_release,
	.proc_read_iter = seq_read_iter,
	.proc_write = tour_irq_write,
	.proc_lseek = seq_lseek,
};

/* Set up @ti with no line yet. */
static void tour_irq_prepare(struct tour_irq *ti)
{
	atomic64_set(&ti->hard, 0);
	mutex_init(&ti->lock);
	/* Nothing fired yet: every fire has run its thread. */
	init_completion(&ti->done);
	complete_all(&ti->done);
	mutex_init(&ti->write_lock);
}

/*
 * Make the simulator domain and map its line. A NULL fwnode is allowed: the
 * domain is then named "unknown-N". The line is unmasked only by a request,
 * and the simulator ignores a PENDING write to a masked line.
 */
static int tour_irq_map(struct tour_irq *ti)
{
	struct irq_domain *domain;

	domain = irq_domain_create_sim(NULL, 1);
	if (IS_ERR(domain))
		return PTR_ERR(domain);
	ti->virq = irq_create_mapping(domain, 0);
	if (!ti->virq) {
		irq_domain_remove_sim(domain);
		return -ENOMEM;
	}
	ti->domain = domain;
	return 0;
}

/*
 * No IRQF_ONESHOT: the core wants it only with no hard handler, to keep
 * the line masked until the thread is done, and the simulator's flow,
 * handle_simple_irq(), never masks anyway. The simulator takes edge
 * triggers only; a level one would make the request fail with -EINVAL.
 */
static int tour_irq_request(struct tour_irq *ti)
{
	int ret;

	ret = request_threaded_irq(ti->virq, tour_irq_hard, tour_irq_thread,
				   IRQF_TRIGGER_RISING, "tour_irq", ti);
	if (ret)
		return ret;
	ti->requested = true;
	return 0;
}

static int tour_irq_start(struct tour_irq *ti)
{
	int ret;

	ret = tour_irq_map(ti);
	if (ret)
		return ret;
	ret = tour_irq_request(ti);
	if (ret)
		goto err_dispose;
	return 0;

err_dispose:
	irq_dispose_mapping(ti->virq);
	irq_domain_remove_sim(ti->domain);
	ti->virq = 0;
	ti->domain = NULL;
	return ret;
}

/*
 * Undo what was set up; nobody may fire any more. A write that timed out
 * may have left a fire whose irq_work has yet to run: it must run while the
 * line is still mapped, as it looks the line up by its mapping. free_irq()
 * masks the line, waits for the hard handler and stops the thread.
 */
static void tour_irq_teardown(struct tour_irq *ti)
{
	unsigned long end = jiffies + TOUR_IRQ_TIMEOUT;
	struct tour_irq_counts c;

	if (ti->requested) {
		for (tour_irq_read(ti, &c); c.hard < c.fired &&
		     time_before(jiffies, end); tour_irq_read(ti, &c))
			usleep_range(1000, 2000);
		free_irq(ti->virq, ti);
		ti->requested = false;
	}
	if (ti->virq)
		irq_dispose_mapping(ti->virq);
	if (ti->domain)
		irq_domain_remove_sim(ti->domain);
	ti->virq = 0;
	ti->domain = NULL;
	mutex_destroy(&ti->write_lock);
	mutex_destroy(&ti->lock);
}

static struct tour_irq tour_irq_dev;
static struct proc_dir_entry *tour_irq_pde;

static int __init tour_irq_init(void)
{
	int ret;

	tour_irq_prepare(&tour_irq_dev);
	ret = tour_irq_start(&tour_irq_dev);
	if (ret)
		return ret;

	tour_irq_pde = proc_create_data("tour_irq", 0644, NULL,
					&tour_irq_proc_ops, &tour_irq_dev);
	if (!tour_irq_pde) {
		ret = -ENOMEM;
		goto err_teardown;
	}
	pr_info("simulated interrupt on virq %u\n", tour_irq_dev.virq);
	return 0;

err_teardown:
	tour_irq_teardown(&tour_irq_dev);
	return ret;
}
module_init(tour_irq_init);

/*
 * The file goes first: proc_remove() waits for the writes in progress, and
 * once it returns nobody fires. Then the handlers, the mapping, the domain.
 */
static void __exit tour_irq_exit(void)
{
	proc_remove(tour_irq_pde);
	tour_irq_teardown(&tour_irq_dev);
	pr_info("simulated interrupt freed\n");
}
module_exit(tour_irq_exit);

/* The KUnit tests of fires, parsing and requests, on instances of their own. */
#if IS_ENABLED(CONFIG_SAMPLE_TOUR_IRQ_KUNIT_TEST)
#include "tour_irq_test.c"
#endif

MODULE_AUTHOR("Kernel Driver Tour <kdt@example.org>");
MODULE_DESCRIPTION("Kernel driver tour: interrupts from the IRQ simulator");
MODULE_LICENSE("GPL");
