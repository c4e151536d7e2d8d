// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the workqueue sample, included by tour_wq.c so that they can
 * call its static functions. Each test runs an instance of its own, with a
 * workqueue of its own and intervals of its choosing, not the module's; the
 * instances log nothing. A restart is written from user memory that the test
 * maps.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/mman.h>
#include <linux/uaccess.h>

/* A fast instance: a count, or the delayed work, every 10 ms. */
#define TOUR_WQ_TEST_FAST_MS	10
/* A slow one: 100 ms between counts, over a second for all 11. */
#define TOUR_WQ_TEST_SLOW_MS	100
/* A delayed work that comes late, long after a fast count is over. */
#define TOUR_WQ_TEST_LATE_MS	500
/* How long a test waits for a count to end before it fails. */
#define TOUR_WQ_TEST_TIMEOUT_MS	10000

KUNIT_DEFINE_ACTION_WRAPPER(tour_wq_test_teardown, tour_wq_teardown,
			    struct tour_wq *);

/* An idle instance of the test's, torn down when the test ends. */
static struct tour_wq *tour_wq_test_new(struct kunit *test,
					unsigned int interval_msecs,
					unsigned int delay_msecs)
{
	struct tour_wq *tw;
	int ret;

	tw = kunit_kzalloc(test, sizeof(*tw), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tw);
	KUNIT_ASSERT_EQ(test, tour_wq_setup(tw, interval_msecs, delay_msecs),
			0);
	ret = kunit_add_action_or_reset(test, tour_wq_test_teardown, tw);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return tw;
}

/* One of the counts of @tw, read under its lock. */
static unsigned int tour_wq_test_count(struct tour_wq *tw,
				       const unsigned int *count)
{
	unsigned int n;

	mutex_lock(&tw->lock);
	n = *count;
	mutex_unlock(&tw->lock);
	return n;
}

/* The text tour_wq_show() makes, in @buf. */
static const char *tour_wq_test_text(struct tour_wq *tw, char *buf,
				     size_t size)
{
	struct seq_file m = { .buf = buf, .size = size - 1, .private = tw };

	tour_wq_show(&m, NULL);
	buf[m.count] = '\0';
	return buf;
}

/* Wait for the end of the count of @tw, and fail the test without it. */
static void tour_wq_test_wait(struct kunit *test, struct tour_wq *tw)
{
	unsigned long timeout = msecs_to_jiffies(TOUR_WQ_TEST_TIMEOUT_MS);

	timeout = wait_for_completion_timeout(&tw->done, timeout);
	KUNIT_ASSERT_NE_MSG(test, timeout, 0, "the count did not end");
}

static void tour_wq_text_of_new(struct kunit *test)
{
	struct tour_wq *tw = tour_wq_test_new(test, TOUR_WQ_TEST_FAST_MS,
					      TOUR_WQ_TEST_FAST_MS);
	char buf[64];

	KUNIT_EXPECT_STREQ(test, tour_wq_test_text(tw, buf, sizeof(buf)),
			   "system: 0\nrequeue: 0\ndelayed: 0\n");
}

static void tour_wq_system_work_runs_once(struct kunit *test)
{
	struct tour_wq *tw = tour_wq_test_new(test, TOUR_WQ_TEST_FAST_MS,
					      TOUR_WQ_TEST_FAST_MS);
	char buf[64];

	KUNIT_EXPECT_TRUE(test, queue_work(system_percpu_wq, &tw->system_work));
	flush_work(&tw->system_work);
	KUNIT_EXPECT_STREQ(test, tour_wq_test_text(tw, buf, sizeof(buf)),
			   "system: 1\nrequeue: 0\ndelayed: 0\n");
}

/* The count runs 11 times, and its last run does not queue it again. */
static void tour_wq_counts_to_eleven_and_stops(struct kunit *test)
{
	struct tour_wq *tw = tour_wq_test_new(test, TOUR_WQ_TEST_FAST_MS,
					      TOUR_WQ_TEST_FAST_MS);

	KUNIT_ASSERT_EQ(test, tour_wq_start(tw), 0);
	tour_wq_test_wait(test, tw);
	KUNIT_EXPECT_EQ(test, tour_wq_test_count(tw, &tw->requeue_runs),
			TOUR_WQ_RUNS);
	KUNIT_EXPECT_FALSE(test, delayed_work_pending(&tw->requeue_work));

	msleep(5 * TOUR_WQ_TEST_FAST_MS);
	KUNIT_EXPECT_EQ(test, tour_wq_test_count(tw, &tw->requeue_runs),
			TOUR_WQ_RUNS);
	KUNIT_EXPECT_FALSE(test, delayed_work_pending(&tw->requeue_work));
}

/* The delayed work waits for its delay, runs once and is not queued again. */
static void tour_wq_delayed_work_runs_once(struct kunit *test)
{
	struct tour_wq *tw = tour_wq_test_new(test, TOUR_WQ_TEST_FAST_MS,
					      TOUR_WQ_TEST_LATE_MS);
	char buf[64];

	KUNIT_ASSERT_EQ(test, tour_wq_start(tw), 0);
	KUNIT_EXPECT_EQ(test, tour_wq_test_count(tw, &tw->delayed_runs), 0);
	KUNIT_EXPECT_TRUE(test, delayed_work_pending(&tw->delayed_work));

	msleep(TOUR_WQ_TEST_LATE_MS);
	/* Its timer may be a little late: run it now if so, and wait. */
	flush_delayed_work(&tw->delayed_work);
	KUNIT_EXPECT_EQ(test, tour_wq_test_count(tw, &tw->delayed_runs), 1);

	msleep(2 * TOUR_WQ_TEST_LATE_MS);
	KUNIT_EXPECT_FALSE(test, delayed_work_pending(&tw->delayed_work));
	tour_wq_test_wait(test, tw);
	KUNIT_EXPECT_STREQ(test, tour_wq_test_text(tw, buf, sizeof(buf)),
			   "system: 0\nrequeue: 11\ndelayed: 1\n");
}

static void tour_wq_restart_while_counting_is_busy(struct kunit *test)
{
	struct tour_wq *tw = tour_wq_test_new(test, TOUR_WQ_TEST_SLOW_MS,
					      TOUR_WQ_TEST_FAST_MS);

	KUNIT_ASSERT_EQ(test, tour_wq_start(tw), 0);
	KUNIT_EXPECT_EQ(test, tour_wq_start(tw), -EBUSY);
	KUNIT_EXPECT_LT(test, tour_wq_test_count(tw, &tw->requeue_runs),
			TOUR_WQ_RUNS);
}

/* The count is over, but the delayed work has yet to run: still busy. */
static void tour_wq_restart_before_delayed_is_busy(struct kunit *test)
{
	struct tour_wq *tw = tour_wq_test_new(test, TOUR_WQ_TEST_FAST_MS,
					      TOUR_WQ_TEST_LATE_MS);

	KUNIT_ASSERT_EQ(test, tour_wq_start(tw), 0);
	tour_wq_test_wait(test, tw);
	KUNIT_ASSERT_TRUE(test, delayed_work_pending(&tw->delayed_work));
	KUNIT_EXPECT_EQ(test, tour_wq_start(tw), -EBUSY);
}

/* Once both are over, a restart counts from 0 again. */
static void tour_wq_restart_after_end_starts_over(struct kunit *test)
{
	struct tour_wq *tw = tour_wq_test_new(test, TOUR_WQ_TEST_FAST_MS,
					      TOUR_WQ_TEST_FAST_MS);
	char buf[64];
	int round;

	for (round = 0; round < 2; round++) {
		KUNIT_ASSERT_EQ(test, tour_wq_start(tw), 0);
		tour_wq_test_wait(test, tw);
		flush_delayed_work(&tw->delayed_work);
		KUNIT_EXPECT_STREQ(test,
				   tour_wq_test_text(tw, buf, sizeof(buf)),
				   "system: 0\nrequeue: 11\ndelayed: 1\n");
	}
}

static void tour_wq_parse_restart(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, tour_wq_parse("restart", 7), 0);
	KUNIT_EXPECT_EQ(test, tour_wq_parse("restart\n", 8), 0);
	KUNIT_EXPECT_EQ(test, tour_wq_parse("", 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, tour_wq_parse("\n", 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, tour_wq_parse("x", 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, tour_wq_parse("restartx", 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, tour_wq_parse("restar", 6), -EINVAL);
	KUNIT_EXPECT_EQ(test, tour_wq_parse("Restart", 7), -EINVAL);
	KUNIT_EXPECT_EQ(test, tour_wq_parse(" restart", 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, tour_wq_parse("restart\n\n", 9), -EINVAL);
	KUNIT_EXPECT_EQ(test, tour_wq_parse("restart\0", 8), -EINVAL);
	/* Only the @len bytes count: the rest of the buffer is not read. */
	KUNIT_EXPECT_EQ(test, tour_wq_parse("restart\nrestart", 8), 0);
	KUNIT_EXPECT_EQ(test, tour_wq_parse("restart", 3), -EINVAL);
}

/* The write of the proc file, from user memory: its errors, then a start. */
static void tour_wq_write_of_user_memory(struct kunit *test)
{
	struct tour_wq *tw = tour_wq_test_new(test, TOUR_WQ_TEST_SLOW_MS,
					      TOUR_WQ_TEST_FAST_MS);
	static const char long_restart[] = "restart\n        ";
	struct seq_file *m;
	struct file *file;
	unsigned long addr, none;
	char __user *ubuf;
	loff_t pos = 0;

	BUILD_BUG_ON(sizeof(long_restart) - 1 != TOUR_WQ_WRITE_MAX);
	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	file = kunit_kzalloc(test, sizeof(*file), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_NOT_NULL(test, file);
	m->private = tw;
	file->private_data = m;

	addr = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	none = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_NONE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, addr, 0, "no user mapping for the test");
	KUNIT_ASSERT_NE_MSG(test, none, 0, "no user mapping for the test");
	ubuf = (char __user *)addr;
	KUNIT_ASSERT_EQ(test, copy_to_user(ubuf, long_restart,
					   sizeof(long_restart)), 0);

	/* Too long, even with "restart" first; then a buffer that faults. */
	KUNIT_EXPECT_EQ(test, tour_wq_write(file, ubuf, TOUR_WQ_WRITE_MAX + 1,
					    &pos), -EINVAL);
	KUNIT_EXPECT_EQ(test, tour_wq_write(file, ubuf, TOUR_WQ_WRITE_MAX,
					    &pos), -EINVAL);
	KUNIT_EXPECT_EQ(test, tour_wq_write(file, (char __user *)none, 8,
					    &pos), -EFAULT);
	KUNIT_EXPECT_FALSE(test, delayed_work_pending(&tw->delayed_work));

	KUNIT_EXPECT_EQ(test, tour_wq_write(file, ubuf, 8, &pos), 8);
	KUNIT_EXPECT_TRUE(test, delayed_work_pending(&tw->delayed_work));
	KUNIT_EXPECT_EQ(test, tour_wq_write(file, ubuf, 7, &pos), -EBUSY);
	KUNIT_EXPECT_EQ(test, pos, 0);
}

/*
 * A cancel mid-count takes back the next run and the delayed work: the count
 * stays below 11, and nothing runs after, however long one waits.
 */
static void tour_wq_cancel_mid_count(struct kunit *test)
{
	struct tour_wq *tw = tour_wq_test_new(test, TOUR_WQ_TEST_SLOW_MS,
					      TOUR_WQ_TEST_LATE_MS);
	unsigned int runs;

	KUNIT_ASSERT_EQ(test, tour_wq_start(tw), 0);
	/* Wait for a run: the first, or the one its timer now queues. */
	flush_delayed_work(&tw->requeue_work);
	tour_wq_cancel(tw);

	runs = tour_wq_test_count(tw, &tw->requeue_runs);
	KUNIT_EXPECT_GE(test, runs, 1);
	KUNIT_EXPECT_LT(test, runs, TOUR_WQ_RUNS);
	KUNIT_EXPECT_FALSE(test, delayed_work_pending(&tw->requeue_work));
	KUNIT_EXPECT_FALSE(test, delayed_work_pending(&tw->delayed_work));

	msleep(TOUR_WQ_TEST_LATE_MS + 2 * TOUR_WQ_TEST_SLOW_MS);
	KUNIT_EXPECT_EQ(test, tour_wq_test_count(tw, &tw->requeue_runs), runs);
	KUNIT_EXPECT_EQ(test, tour_wq_test_count(tw, &tw->delayed_runs), 0);
	KUNIT_EXPECT_FALSE(test, completion_done(&tw->done));
}

static struct kunit_case tour_wq_test_cases[] = {
	KUNIT_CASE(tour_wq_text_of_new),
	KUNIT_CASE(tour_wq_system_work_runs_once),
	KUNIT_CASE(tour_wq_counts_to_eleven_and_stops),
	KUNIT_CASE(tour_wq_delayed_work_runs_once),
	KUNIT_CASE(tour_wq_restart_while_counting_is_busy),
	KUNIT_CASE(tour_wq_restart_before_delayed_is_busy),
	KUNIT_CASE(tour_wq_restart_after_end_starts_over),
	KUNIT_CASE(tour_wq_parse_restart),
	KUNIT_CASE(tour_wq_write_of_user_memory),
	KUNIT_CASE(tour_wq_cancel_mid_count),
	{}
};

static struct kunit_suite tour_wq_test_suite = {
	.name = "tour_wq",
	.test_cases = tour_wq_test_cases,
};

kunit_test_suite(tour_wq_test_suite);
