// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the kthread sample, included by tour_kthread.c so that they
 * can call its static functions. Each test runs a tour_kthread of its own,
 * with threads of its own, not the one behind /proc/tour_kthread: batches
 * give exact counts and sums, the threads stop at once wherever they wait,
 * and writes parse their count or fail with -EINVAL or -EFAULT.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/mman.h>

/* How long a thread may take to stop, and a test to wait for a state. */
#define TOUR_KTHREAD_TEST_PROMPT	((unsigned long)HZ)
#define TOUR_KTHREAD_TEST_WAIT		(10 * HZ)

KUNIT_DEFINE_ACTION_WRAPPER(tour_kthread_test_teardown, tour_kthread_teardown,
			    struct tour_kthread *);

/* A tour_kthread with no thread, torn down after the test. */
static struct tour_kthread *tour_kthread_test_alloc(struct kunit *test)
{
	struct tour_kthread *tk;
	int ret;

	tk = kunit_kzalloc(test, sizeof(*tk), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tk);
	tour_kthread_prepare(tk);
	ret = kunit_add_action_or_reset(test, tour_kthread_test_teardown, tk);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return tk;
}

/* A tour_kthread with both threads running. */
static struct tour_kthread *tour_kthread_test_new(struct kunit *test)
{
	struct tour_kthread *tk = tour_kthread_test_alloc(test);

	KUNIT_ASSERT_EQ(test, tour_kthread_start(tk), 0);
	return tk;
}

/* Start a batch of @n without waiting for it, as a killed writer leaves it. */
static void tour_kthread_test_submit(struct tour_kthread *tk, unsigned int n)
{
	mutex_lock(&tk->write_lock);
	tour_kthread_submit(tk, n);
	mutex_unlock(&tk->write_lock);
}

/* The counts of @tk and the values in its FIFO, at one moment. */
struct tour_kthread_test_counts {
	u64 produced;
	u64 consumed;
	u64 sum;
	u64 batches;
	unsigned int in_fifo;
};

/*
 * Copy the counts out of the lock, so that an expectation that fails, and
 * allocates its message, does not sleep under it.
 */
static void tour_kthread_test_read(struct tour_kthread *tk,
				   struct tour_kthread_test_counts *c)
{
	spin_lock(&tk->lock);
	c->produced = tk->produced;
	c->consumed = tk->consumed;
	c->sum = tk->sum;
	c->batches = tk->batches;
	c->in_fifo = kfifo_len(&tk->fifo);
	spin_unlock(&tk->lock);
}

/* Wait for @cond to hold, up to TOUR_KTHREAD_TEST_WAIT; whether it did. */
static bool tour_kthread_test_wait(struct tour_kthread *tk,
				   bool (*cond)(struct tour_kthread *tk))
{
	unsigned long end = jiffies + TOUR_KTHREAD_TEST_WAIT;

	while (!cond(tk)) {
		if (time_after(jiffies, end))
			return false;
		usleep_range(1000, 2000);
	}
	return true;
}

/* Whether the consumer sleeps: with no work, on the empty FIFO. */
static bool tour_kthread_test_consumer_sleeps(struct tour_kthread *tk)
{
	return !task_is_running(tk->consumer);
}

/* Whether the producer sleeps on a full FIFO. */
static bool tour_kthread_test_producer_blocked(struct tour_kthread *tk)
{
	struct tour_kthread_test_counts c;

	tour_kthread_test_read(tk, &c);
	return c.in_fifo == TOUR_KTHREAD_FIFO_SIZE &&
	       !task_is_running(tk->producer);
}

static bool tour_kthread_test_consuming(struct tour_kthread *tk)
{
	struct tour_kthread_test_counts c;

	tour_kthread_test_read(tk, &c);
	return c.consumed > 0;
}

/* Expect the counts of @tk, with @in_fifo values left in its FIFO. */
static void tour_kthread_test_expect(struct kunit *test,
				     struct tour_kthread *tk, u64 produced,
				     u64 consumed, u64 sum, u64 batches,
				     unsigned int in_fifo)
{
	struct tour_kthread_test_counts c;

	tour_kthread_test_read(tk, &c);
	KUNIT_EXPECT_EQ(test, c.produced, produced);
	KUNIT_EXPECT_EQ(test, c.consumed, consumed);
	KUNIT_EXPECT_EQ(test, c.sum, sum);
	KUNIT_EXPECT_EQ(test, c.batches, batches);
	KUNIT_EXPECT_EQ(test, c.in_fifo, in_fifo);
}

/* The sum of the values of a batch of @n: 1 + 2 + ... + n. */
static u64 tour_kthread_test_sum(unsigned int n)
{
	return (u64)n * (n + 1) / 2;
}

/* kthread_stop(*@task) at once, with the thread's own return value, 0. */
static void tour_kthread_test_stop(struct kunit *test,
				   struct task_struct **task)
{
	unsigned long start = jiffies;

	KUNIT_EXPECT_EQ(test, kthread_stop(*task), 0);
	*task = NULL;
	KUNIT_EXPECT_LT(test, jiffies - start, TOUR_KTHREAD_TEST_PROMPT);
}

/* One value, a FIFO's worth, one more, and many FIFOs' worth. */
static const unsigned int tour_kthread_test_sizes[] = {
	1, TOUR_KTHREAD_FIFO_SIZE, TOUR_KTHREAD_FIFO_SIZE + 1, 1000,
};

static void tour_kthread_test_size_desc(const unsigned int *n, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u values", *n);
}

KUNIT_ARRAY_PARAM(tour_kthread_test_sizes, tour_kthread_test_sizes,
		  tour_kthread_test_size_desc);

static void tour_kthread_batch_of_n(struct kunit *test)
{
	const unsigned int *n = test->param_value;
	struct tour_kthread *tk = tour_kthread_test_new(test);

	KUNIT_ASSERT_EQ(test, tour_kthread_batch(tk, *n), 0);
	tour_kthread_test_expect(test, tk, *n, *n, tour_kthread_test_sum(*n),
				 1, 0);
}

static void tour_kthread_batches_add_up(struct kunit *test)
{
	struct tour_kthread *tk = tour_kthread_test_new(test);
	u64 values = 0, sum = 0;
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(tour_kthread_test_sizes); i++) {
		n = tour_kthread_test_sizes[i];
		KUNIT_ASSERT_EQ(test, tour_kthread_batch(tk, n), 0);
		values += n;
		sum += tour_kthread_test_sum(n);
		tour_kthread_test_expect(test, tk, values, values, sum, i + 1,
					 0);
	}
}

/* A batch that no write waits for any more runs to its end before the next. */
static void tour_kthread_batch_waits_for_the_one_before(struct kunit *test)
{
	struct tour_kthread *tk = tour_kthread_test_new(test);

	tour_kthread_test_submit(tk, 1000);
	KUNIT_ASSERT_EQ(test, tour_kthread_batch(tk, 10), 0);
	tour_kthread_test_expect(test, tk, 1010, 1010,
				 tour_kthread_test_sum(1000) +
				 tour_kthread_test_sum(10), 2, 0);
}

/* Both threads stop at once while they wait for work. */
static void tour_kthread_stop_while_idle(struct kunit *test)
{
	struct tour_kthread *tk = tour_kthread_test_new(test);
	bool ok;

	KUNIT_ASSERT_EQ(test, tour_kthread_batch(tk, 1), 0);
	ok = tour_kthread_test_wait(tk, tour_kthread_test_consumer_sleeps);
	KUNIT_ASSERT_TRUE_MSG(test, ok, "the consumer never went to sleep");
	tour_kthread_test_stop(test, &tk->consumer);
	tour_kthread_test_stop(test, &tk->producer);
	tour_kthread_test_expect(test, tk, 1, 1, 1, 1, 0);
}

/* The producer stops at once while it waits for room in a full FIFO. */
static void tour_kthread_stop_while_fifo_full(struct kunit *test)
{
	struct tour_kthread *tk = tour_kthread_test_alloc(test);
	struct task_struct *task;
	bool ok;

	task = kthread_run(tour_kthread_producer, tk, "tour_producer");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, task);
	tk->producer = task;

	tour_kthread_test_submit(tk, 100);
	ok = tour_kthread_test_wait(tk, tour_kthread_test_producer_blocked);
	KUNIT_ASSERT_TRUE_MSG(test, ok, "the producer never waited on a full FIFO");
	tour_kthread_test_stop(test, &tk->producer);
	tour_kthread_test_expect(test, tk, TOUR_KTHREAD_FIFO_SIZE, 0, 0, 0,
				 TOUR_KTHREAD_FIFO_SIZE);
}

/*
 * Both threads stop at once in the middle of the largest batch: what was
 * produced was consumed or is still in the FIFO.
 */
static void tour_kthread_stop_in_middle_of_batch(struct kunit *test)
{
	struct tour_kthread *tk = tour_kthread_test_new(test);
	struct tour_kthread_test_counts c;
	bool ok;

	tour_kthread_test_submit(tk, TOUR_KTHREAD_MAX_BATCH);
	ok = tour_kthread_test_wait(tk, tour_kthread_test_consuming);
	KUNIT_ASSERT_TRUE_MSG(test, ok, "the consumer never took a value");
	tour_kthread_test_stop(test, &tk->consumer);
	tour_kthread_test_stop(test, &tk->producer);

	tour_kthread_test_read(tk, &c);
	KUNIT_EXPECT_EQ(test, c.produced, c.consumed + c.in_fifo);
	KUNIT_EXPECT_LT(test, c.consumed, (u64)TOUR_KTHREAD_MAX_BATCH);
	KUNIT_EXPECT_EQ(test, c.batches, 0);
}

static void tour_kthread_parse_counts(struct kunit *test)
{
	static const struct {
		const char *s;
		int ret;
		unsigned int n;
	} cases[] = {
		{ "5\n", 0, 5 },
		{ "1", 0, 1 },
		{ "1000000\n", 0, TOUR_KTHREAD_MAX_BATCH },
		{ "", -EINVAL },
		{ "\n", -EINVAL },
		{ "0", -EINVAL },
		{ "-1", -EINVAL },
		{ "abc", -EINVAL },
		{ "5abc", -EINVAL },
		{ " 5", -EINVAL },
		{ "5\n\n", -EINVAL },
		{ "1000001", -EINVAL },
		{ "4294967301", -EINVAL },	/* 2^32 + 5: -ERANGE, then -EINVAL */
	};
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		n = 0;
		KUNIT_EXPECT_EQ_MSG(test, tour_kthread_parse(cases[i].s, &n),
				    cases[i].ret, "\"%s\"", cases[i].s);
		if (!cases[i].ret)
			KUNIT_EXPECT_EQ(test, n, cases[i].n);
	}
}

/* Writes from user memory: a batch, or -EINVAL or -EFAULT and no batch. */
static void tour_kthread_write_from_user(struct kunit *test)
{
	struct tour_kthread *tk = tour_kthread_test_new(test);
	static const char too_long[] = "0000000000000005";
	char __user *ubuf;
	unsigned long addr;

	addr = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, addr, 0, "no user mapping for the test");
	ubuf = (char __user *)addr;

	KUNIT_ASSERT_EQ(test, copy_to_user(ubuf, "100\n", 4), 0);
	KUNIT_EXPECT_EQ(test, tour_kthread_write_to(tk, ubuf, 4), 4);
	tour_kthread_test_expect(test, tk, 100, 100, 5050, 1, 0);

	KUNIT_ASSERT_EQ(test, copy_to_user(ubuf, too_long, sizeof(too_long)), 0);
	KUNIT_EXPECT_EQ(test, tour_kthread_write_to(tk, ubuf, strlen(too_long)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, tour_kthread_write_to(tk, ubuf + 14, 2), 2);
	KUNIT_EXPECT_EQ(test, tour_kthread_write_to(tk, ubuf + 15, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, tour_kthread_write_to(tk, ubuf, 0), -EINVAL);
	tour_kthread_test_expect(test, tk, 105, 105, 5065, 2, 0);

	addr = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_NONE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, addr, 0, "no user mapping for the test");
	KUNIT_EXPECT_EQ(test, tour_kthread_write_to(tk, (char __user *)addr, 2),
			-EFAULT);
	tour_kthread_test_expect(test, tk, 105, 105, 5065, 2, 0);
}

/* The text tour_kthread_show() makes, in @buf. */
static const char *tour_kthread_test_show(struct tour_kthread *tk, char *buf,
					  size_t size)
{
	struct seq_file m = { .buf = buf, .size = size - 1, .private = tk };

	tour_kthread_show(&m, NULL);
	buf[m.count] = '\0';
	return buf;
}

static void tour_kthread_show_counts(struct kunit *test)
{
	struct tour_kthread *tk = tour_kthread_test_new(test);
	char buf[128];

	KUNIT_EXPECT_STREQ(test, tour_kthread_test_show(tk, buf, sizeof(buf)),
			   "produced: 0\nconsumed: 0\nsum: 0\nbatches: 0\n");
	KUNIT_ASSERT_EQ(test, tour_kthread_batch(tk, 100), 0);
	KUNIT_EXPECT_STREQ(test, tour_kthread_test_show(tk, buf, sizeof(buf)),
			   "produced: 100\nconsumed: 100\nsum: 5050\nbatches: 1\n");
}

static struct kunit_case tour_kthread_test_cases[] = {
	KUNIT_CASE_PARAM(tour_kthread_batch_of_n,
			 tour_kthread_test_sizes_gen_params),
	KUNIT_CASE(tour_kthread_batches_add_up),
	KUNIT_CASE(tour_kthread_batch_waits_for_the_one_before),
	KUNIT_CASE(tour_kthread_stop_while_idle),
	KUNIT_CASE(tour_kthread_stop_while_fifo_full),
	KUNIT_CASE(tour_kthread_stop_in_middle_of_batch),
	KUNIT_CASE(tour_kthread_parse_counts),
	KUNIT_CASE(tour_kthread_write_from_user),
	KUNIT_CASE(tour_kthread_show_counts),
	{}
};

static struct kunit_suite tour_kthread_test_suite = {
	.name = "tour_kthread",
	.test_cases = tour_kthread_test_cases,
};

kunit_test_suite(tour_kthread_test_suite);
