// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the irq sample, included by tour_irq.c so that they can
 * call its static functions. Each test runs a tour_irq of its own, with a
 * simulator domain and a line of its own, not the one behind /proc/tour_irq:
 * fires give exact counts, a PENDING write to a line not yet requested is
 * ignored, and the parser takes counts or fails with -EINVAL.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

KUNIT_DEFINE_ACTION_WRAPPER(tour_irq_test_teardown, tour_irq_teardown,
			    struct tour_irq *);

/* A tour_irq with its line mapped but not requested, torn down after. */
static struct tour_irq *tour_irq_test_map(struct kunit *test)
{
	struct tour_irq *ti;
	int ret;

	ti = kunit_kzalloc(test, sizeof(*ti), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ti);
	tour_irq_prepare(ti);
	ret = kunit_add_action_or_reset(test, tour_irq_test_teardown, ti);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, tour_irq_map(ti), 0);
	return ti;
}

/* A tour_irq with its handlers installed. */
static struct tour_irq *tour_irq_test_new(struct kunit *test)
{
	struct tour_irq *ti = tour_irq_test_map(test);

	KUNIT_ASSERT_EQ(test, tour_irq_request(ti), 0);
	return ti;
}

static void tour_irq_test_expect(struct kunit *test, struct tour_irq *ti,
				 u64 hard, u64 thread, u64 fired)
{
	struct tour_irq_counts c;

	tour_irq_read(ti, &c);
	KUNIT_EXPECT_EQ(test, c.hard, hard);
	KUNIT_EXPECT_EQ(test, c.thread, thread);
	KUNIT_EXPECT_EQ(test, c.fired, fired);
}

static const unsigned int tour_irq_test_counts[] = { 1, 10, 100 };

static void tour_irq_test_count_desc(const unsigned int *n, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u interrupts", *n);
}

KUNIT_ARRAY_PARAM(tour_irq_test_counts, tour_irq_test_counts,
		  tour_irq_test_count_desc);

static void tour_irq_fire_n(struct kunit *test)
{
	const unsigned int *n = test->param_value;
	struct tour_irq *ti = tour_irq_test_new(test);

	KUNIT_ASSERT_EQ(test, tour_irq_fire(ti, *n), 0);
	tour_irq_test_expect(test, ti, *n, *n, *n);
	KUNIT_ASSERT_EQ(test, tour_irq_fire(ti, *n), 0);
	tour_irq_test_expect(test, ti, 2 * *n, 2 * *n, 2 * *n);
}

/* The simulator drops a PENDING write to a line that nobody has requested. */
static void tour_irq_pending_before_request(struct kunit *test)
{
	struct tour_irq *ti = tour_irq_test_map(test);

	KUNIT_ASSERT_EQ(test, irq_set_irqchip_state(ti->virq,
						    IRQCHIP_STATE_PENDING,
						    true), 0);
	KUNIT_ASSERT_EQ(test, tour_irq_request(ti), 0);
	msleep(20);
	tour_irq_test_expect(test, ti, 0, 0, 0);
	KUNIT_ASSERT_EQ(test, tour_irq_fire(ti, 1), 0);
	tour_irq_test_expect(test, ti, 1, 1, 1);
}

/**
 * struct tour_irq_test_writer - a write of one interrupt from a thread
 * @ti: the tour_irq it fires
 * @started: set as the thread starts
 * @ret: what tour_irq_fire() returned
 * @counts: the counts the moment it returned
 * @done: completed once @ret and @counts are set
 */
struct tour_irq_test_writer {
	struct tour_irq *ti;
	bool started;
	int ret;
	struct tour_irq_counts counts;
	struct completion done;
};

static int tour_irq_test_write(void *data)
{
	struct tour_irq_test_writer *w = data;

	WRITE_ONCE(w->started, true);
	w->ret = tour_irq_fire(w->ti, 1);
	tour_irq_read(w->ti, &w->counts);
	complete(&w->done);
	return 0;
}

/* Whether the writer @w, in @task, has started and sleeps uninterruptibly. */
static bool tour_irq_test_asleep(struct tour_irq_test_writer *w,
				 struct task_struct *task)
{
	return READ_ONCE(w->started) &&
	       READ_ONCE(task->__state) == TASK_UNINTERRUPTIBLE;
}

/*
 * The thread of a fire whose write timed out runs late, once the next write
 * has begun: that run may not end the next fire's wait. The test makes the
 * late fire as tour_irq_fire_one() would, and holds @lock so that its
 * thread waits until the writer is asleep in its own fire.
 */
static void tour_irq_late_thread_of_timed_out_fire(struct kunit *test)
{
	struct tour_irq *ti = tour_irq_test_new(test);
	struct tour_irq_test_writer w = { .ti = ti };
	unsigned long end = jiffies + HZ;
	struct task_struct *task;

	init_completion(&w.done);
	mutex_lock(&ti->lock);
	ti->fired++;
	reinit_completion(&ti->done);
	if (irq_set_irqchip_state(ti->virq, IRQCHIP_STATE_PENDING, true)) {
		mutex_unlock(&ti->lock);
		KUNIT_FAIL(test, "the interrupt did not fire");
		return;
	}
	task = kthread_create(tour_irq_test_write, &w, "tour_irq_test");
	if (IS_ERR(task)) {
		mutex_unlock(&ti->lock);
		KUNIT_FAIL(test, "no writer thread: %pe", task);
		return;
	}
	get_task_struct(task);
	wake_up_process(task);
	while (!tour_irq_test_asleep(&w, task) && time_before(jiffies, end))
		usleep_range(1000, 2000);
	KUNIT_EXPECT_TRUE(test, tour_irq_test_asleep(&w, task));
	mutex_unlock(&ti->lock);

	/* The writer's waits have timeouts: it returns. */
	wait_for_completion(&w.done);
	put_task_struct(task);
	KUNIT_EXPECT_EQ(test, w.ret, 0);
	KUNIT_EXPECT_EQ(test, w.counts.hard, 2);
	KUNIT_EXPECT_EQ(test, w.counts.thread, 2);
	KUNIT_EXPECT_EQ(test, w.counts.fired, 2);
}

static void tour_irq_parse_counts(struct kunit *test)
{
	static const struct {
		const char *s;
		int ret;
		unsigned int n;
	} cases[] = {
		{ "5\n", 0, 5 },
		{ "1", 0, 1 },
		{ "10000\n", 0, TOUR_IRQ_MAX_FIRE },
		{ "", -EINVAL },
		{ "\n", -EINVAL },
		{ "0", -EINVAL },
		{ "-1", -EINVAL },
		{ "abc", -EINVAL },
		{ "5abc", -EINVAL },
		{ " 5", -EINVAL },
		{ "5\n\n", -EINVAL },
		{ "10001", -EINVAL },
		{ "4294967301", -EINVAL },	/* 2^32 + 5: -ERANGE, then -EINVAL */
	};
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		n = 0;
		KUNIT_EXPECT_EQ_MSG(test, tour_irq_parse(cases[i].s, &n),
				    cases[i].ret, "\"%s\"", cases[i].s);
		if (!cases[i].ret)
			KUNIT_EXPECT_EQ(test, n, cases[i].n);
	}
}

static void tour_irq_show_counts(struct kunit *test)
{
	struct tour_irq *ti = tour_irq_test_new(test);
	struct seq_file m = { .private = ti };
	char buf[128], want[128];

	m.buf = buf;
	m.size = sizeof(buf) - 1;
	KUNIT_ASSERT_EQ(test, tour_irq_fire(ti, 3), 0);
	tour_irq_show(&m, NULL);
	buf[m.count] = '\0';
	snprintf(want, sizeof(want), "hard: 3\nthread: 3\nfired: 3\nvirq: %u\n",
		 ti->virq);
	KUNIT_EXPECT_STREQ(test, buf, want);
}

static struct kunit_case tour_irq_test_cases[] = {
	KUNIT_CASE_PARAM(tour_irq_fire_n, tour_irq_test_counts_gen_params),
	KUNIT_CASE(tour_irq_pending_before_request),
	KUNIT_CASE(tour_irq_late_thread_of_timed_out_fire),
	KUNIT_CASE(tour_irq_parse_counts),
	KUNIT_CASE(tour_irq_show_counts),
	{}
};

static struct kunit_suite tour_irq_test_suite = {
	.name = "tour_irq",
	.test_cases = tour_irq_test_cases,
};

kunit_test_suite(tour_irq_test_suite);
