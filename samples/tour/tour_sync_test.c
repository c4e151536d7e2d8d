// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the sync sample, included by tour_sync.c so that they can
 * call its static functions. Each test has a tour_sync of its own with a
 * small max, not the registered device: exact counts of tokens added and
 * taken, -EAGAIN and partial adds without blocking, the rules of max, a
 * taker that blocks until a token comes, and the timer's statistics, taken
 * only while tokens are held.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/sched/task.h>

/* The max of the tests' instances, and how long a wake-up may take. */
#define TOUR_SYNC_TEST_MAX	4
#define TOUR_SYNC_TEST_WAIT	(5 * HZ)
/* Time enough for the timer to sample several times, or to stop. */
#define TOUR_SYNC_TEST_SETTLE_MS	100

KUNIT_DEFINE_ACTION_WRAPPER(tour_sync_test_teardown, tour_sync_teardown,
			    struct tour_sync *);
KUNIT_DEFINE_ACTION_WRAPPER(tour_sync_test_stop, kthread_stop_put,
			    struct task_struct *);

/* A tour_sync of the test's with no token and room for @max, timer idle. */
static struct tour_sync *tour_sync_test_new(struct kunit *test,
					    unsigned int max)
{
	struct tour_sync *ts;
	int ret;

	ts = kunit_kzalloc(test, sizeof(*ts), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ts);
	tour_sync_setup(ts, max);
	ret = kunit_add_action_or_reset(test, tour_sync_test_teardown, ts);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return ts;
}

/* Take a token and keep it, as a read that copied its byte. */
static int tour_sync_test_take(struct tour_sync *ts, bool nonblock)
{
	int ret = tour_sync_take(ts, nonblock);

	if (!ret)
		tour_sync_commit(ts);
	return ret;
}

static void tour_sync_test_expect(struct kunit *test, struct tour_sync *ts,
				  s64 added, s64 taken)
{
	KUNIT_EXPECT_EQ(test, atomic64_read(&ts->added), added);
	KUNIT_EXPECT_EQ(test, atomic64_read(&ts->taken), taken);
	KUNIT_EXPECT_EQ(test, tour_sync_held(ts), (u64)(added - taken));
}

static void tour_sync_add_then_take(struct kunit *test)
{
	struct tour_sync *ts = tour_sync_test_new(test, TOUR_SYNC_TEST_MAX);
	int i;

	KUNIT_EXPECT_EQ(test, tour_sync_add(ts, 0, true), 0);
	KUNIT_EXPECT_EQ(test, tour_sync_add(ts, 3, false), 3);
	tour_sync_test_expect(test, ts, 3, 0);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, tour_sync_test_take(ts, true), 0);
	KUNIT_EXPECT_EQ(test, tour_sync_test_take(ts, true), -EAGAIN);
	tour_sync_test_expect(test, ts, 3, 3);
}

/* Without blocking, an add fills the room left and says how much it added. */
static void tour_sync_add_beyond_max(struct kunit *test)
{
	struct tour_sync *ts = tour_sync_test_new(test, TOUR_SYNC_TEST_MAX);

	KUNIT_EXPECT_EQ(test, tour_sync_add(ts, 2, true), 2);
	KUNIT_EXPECT_EQ(test, tour_sync_add(ts, 5, true), 2);
	KUNIT_EXPECT_EQ(test, tour_sync_add(ts, 1, true), -EAGAIN);
	tour_sync_test_expect(test, ts, TOUR_SYNC_TEST_MAX, 0);
	/* Each token taken makes room for one more. */
	KUNIT_EXPECT_EQ(test, tour_sync_test_take(ts, true), 0);
	KUNIT_EXPECT_EQ(test, tour_sync_add(ts, 3, true), 1);
	tour_sync_test_expect(test, ts, TOUR_SYNC_TEST_MAX + 1, 1);
}

/* A token put back, as by a read that could not copy, is there again. */
static void tour_sync_untake_puts_back(struct kunit *test)
{
	struct tour_sync *ts = tour_sync_test_new(test, TOUR_SYNC_TEST_MAX);

	KUNIT_EXPECT_EQ(test, tour_sync_add(ts, 1, true), 1);
	KUNIT_ASSERT_EQ(test, tour_sync_take(ts, true), 0);
	tour_sync_untake(ts);
	tour_sync_test_expect(test, ts, 1, 0);
	KUNIT_EXPECT_EQ(test, tour_sync_test_take(ts, true), 0);
	tour_sync_test_expect(test, ts, 1, 1);
}

static void tour_sync_max_rules(struct kunit *test)
{
	struct tour_sync *ts = tour_sync_test_new(test, TOUR_SYNC_TEST_MAX);

	KUNIT_EXPECT_EQ(test, tour_sync_set_max(ts, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, tour_sync_set_max(ts, TOUR_SYNC_LIMIT + 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, tour_sync_set_max(ts, TOUR_SYNC_LIMIT), 0);
	KUNIT_EXPECT_EQ(test, tour_sync_set_max(ts, 2), 0);
	KUNIT_EXPECT_EQ(test, ts->max, 2);

	/* With a token held, max stays, and so does the room left. */
	KUNIT_EXPECT_EQ(test, tour_sync_add(ts, 1, true), 1);
	KUNIT_EXPECT_EQ(test, tour_sync_set_max(ts, 8), -EBUSY);
	KUNIT_EXPECT_EQ(test, ts->max, 2);
	KUNIT_EXPECT_EQ(test, tour_sync_add(ts, 5, true), 1);

	KUNIT_EXPECT_EQ(test, tour_sync_test_take(ts, true), 0);
	KUNIT_EXPECT_EQ(test, tour_sync_test_take(ts, true), 0);
	KUNIT_EXPECT_EQ(test, tour_sync_set_max(ts, 3), 0);
	KUNIT_EXPECT_EQ(test, tour_sync_add(ts, 5, true), 3);
}

/* A taker in a kthread, which blocks until the test adds a token. */
struct tour_sync_test_taker {
	struct tour_sync *ts;
	struct completion done;
	int ret;
};

static int tour_sync_test_taker_fn(void *data)
{
	struct tour_sync_test_taker *tt = data;

	/* kthread_stop() also ends the wait, with -ERESTARTSYS. */
	tt->ret = tour_sync_test_take(tt->ts, false);
	complete(&tt->done);
	return 0;
}

static void tour_sync_taker_woken_by_add(struct kunit *test)
{
	struct tour_sync *ts = tour_sync_test_new(test, TOUR_SYNC_TEST_MAX);
	struct tour_sync_test_taker *tt;
	struct task_struct *task;
	unsigned long left;
	int ret;

	tt = kunit_kzalloc(test, sizeof(*tt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tt);
	tt->ts = ts;
	tt->ret = 1;
	init_completion(&tt->done);
	task = kthread_run(tour_sync_test_taker_fn, tt, "tour_sync_taker");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, task);
	/* The reference lets kthread_stop_put() stop it, ended or not. */
	get_task_struct(task);
	ret = kunit_add_action_or_reset(test, tour_sync_test_stop, task);
	KUNIT_ASSERT_EQ(test, ret, 0);

	msleep(50);
	KUNIT_EXPECT_FALSE_MSG(test, completion_done(&tt->done),
			       "the taker did not wait for a token");
	KUNIT_EXPECT_EQ(test, tour_sync_add(ts, 1, false), 1);
	left = wait_for_completion_timeout(&tt->done, TOUR_SYNC_TEST_WAIT);
	KUNIT_ASSERT_NE_MSG(test, left, 0, "the taker was not woken");
	KUNIT_EXPECT_EQ(test, tt->ret, 0);
	tour_sync_test_expect(test, ts, 1, 1);
}

/* The samples and max_seen of @ts's stats, read as the attribute shows them. */
static void tour_sync_test_stats(struct kunit *test, struct tour_sync *ts,
				 unsigned long long *samples,
				 unsigned long long *max_seen)
{
	char *buf;
	int n;

	/* sysfs_emit() wants a page; a kmalloc() of one is aligned. */
	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	tour_sync_show_stats(ts, buf);
	n = sscanf(buf, "samples: %llu\nmax_seen: %llu\n", samples, max_seen);
	KUNIT_ASSERT_EQ_MSG(test, n, 2, "stats: %s", buf);
	kunit_kfree(test, buf);
}

/*
 * The timer samples, from softirq, the tokens held: from the first add until
 * a sample finds none, and not before or after.
 */
static void tour_sync_sampler_runs_while_held(struct kunit *test)
{
	struct tour_sync *ts = tour_sync_test_new(test, TOUR_SYNC_TEST_MAX);
	unsigned long long samples, max_seen, later;
	int i;

	KUNIT_EXPECT_FALSE(test, timer_pending(&ts->sampler));
	msleep(TOUR_SYNC_TEST_SETTLE_MS);
	tour_sync_test_stats(test, ts, &samples, &max_seen);
	KUNIT_EXPECT_EQ(test, samples, 0);
	KUNIT_EXPECT_EQ(test, max_seen, 0);

	KUNIT_EXPECT_EQ(test, tour_sync_add(ts, 3, true), 3);
	msleep(TOUR_SYNC_TEST_SETTLE_MS);
	tour_sync_test_stats(test, ts, &samples, &max_seen);
	KUNIT_EXPECT_GT(test, samples, 0);
	KUNIT_EXPECT_EQ(test, max_seen, 3);

	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, tour_sync_test_take(ts, true), 0);
	msleep(TOUR_SYNC_TEST_SETTLE_MS);
	KUNIT_EXPECT_FALSE_MSG(test, timer_pending(&ts->sampler),
			       "the timer runs with no token held");
	tour_sync_test_stats(test, ts, &samples, &max_seen);
	msleep(TOUR_SYNC_TEST_SETTLE_MS);
	tour_sync_test_stats(test, ts, &later, &max_seen);
	KUNIT_EXPECT_EQ(test, later, samples);
}

static struct kunit_case tour_sync_test_cases[] = {
	KUNIT_CASE(tour_sync_add_then_take),
	KUNIT_CASE(tour_sync_add_beyond_max),
	KUNIT_CASE(tour_sync_untake_puts_back),
	KUNIT_CASE(tour_sync_max_rules),
	KUNIT_CASE(tour_sync_taker_woken_by_add),
	KUNIT_CASE(tour_sync_sampler_runs_while_held),
	{}
};

static struct kunit_suite tour_sync_test_suite = {
	.name = "tour_sync",
	.test_cases = tour_sync_test_cases,
};

kunit_test_suite(tour_sync_test_suite);
