// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the stats sample's counters, line and write, included by
 * tour_stats.c so that they can call its static functions. Each test counts
 * in a tour_stats of its own, not in the registered device's.
 */

#include <kunit/test.h>
#include <linux/cpu.h>
#include <linux/workqueue.h>

/* How many reads and writes each CPU counts in the per-CPU test. */
#define TOUR_STATS_TEST_READS	1000
#define TOUR_STATS_TEST_WRITES	300

KUNIT_DEFINE_ACTION_WRAPPER(tour_stats_test_teardown, tour_stats_teardown,
			    struct tour_stats *);

static struct tour_stats *tour_stats_test_new(struct kunit *test)
{
	struct tour_stats *stats;
	int ret;

	stats = kunit_kzalloc(test, sizeof(*stats), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, stats);
	KUNIT_ASSERT_EQ(test, tour_stats_setup(stats), 0);
	ret = kunit_add_action_or_reset(test, tour_stats_test_teardown, stats);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return stats;
}

/* The line tour_stats_show() makes, in @buf. */
static const char *tour_stats_test_line(struct tour_stats *stats, char *buf,
					size_t size)
{
	struct seq_file m = { .buf = buf, .size = size - 1, .private = stats };

	tour_stats_show(&m, NULL);
	buf[m.count] = '\0';
	return buf;
}

static void tour_stats_line_of_new(struct kunit *test)
{
	struct tour_stats *stats = tour_stats_test_new(test);
	char buf[64];

	KUNIT_EXPECT_STREQ(test, tour_stats_test_line(stats, buf, sizeof(buf)),
			   "Reads: 0, Writes: 0\n");
}

/* Counts past 32 bits show whole. */
static void tour_stats_line_of_large(struct kunit *test)
{
	struct tour_stats *stats = tour_stats_test_new(test);
	char buf[64];

	percpu_counter_add(&stats->reads, 1LL << 40);
	percpu_counter_add(&stats->writes, 3);
	KUNIT_EXPECT_STREQ(test, tour_stats_test_line(stats, buf, sizeof(buf)),
			   "Reads: 1099511627776, Writes: 3\n");
}

/* A write of three buffers is one call, taken whole and counted once. */
static void tour_stats_write_of_buffers(struct kunit *test)
{
	struct tour_stats *stats = tour_stats_test_new(test);
	struct seq_file m = { .private = stats };
	struct file file = { .private_data = &m };
	struct kiocb iocb = { .ki_filp = &file };
	char a[3], b[100], c[1];
	struct kvec kvec[] = {
		{ .iov_base = a, .iov_len = sizeof(a) },
		{ .iov_base = b, .iov_len = sizeof(b) },
		{ .iov_base = c, .iov_len = sizeof(c) },
	};
	struct iov_iter iter;

	iov_iter_kvec(&iter, ITER_SOURCE, kvec, ARRAY_SIZE(kvec), 104);
	KUNIT_EXPECT_EQ(test, tour_stats_write_iter(&iocb, &iter), 104);
	KUNIT_EXPECT_EQ(test, iov_iter_count(&iter), 0);
	KUNIT_EXPECT_EQ(test, percpu_counter_sum(&stats->writes), 1);
	KUNIT_EXPECT_EQ(test, percpu_counter_sum(&stats->reads), 0);
}

static long tour_stats_test_count(void *data)
{
	struct tour_stats *stats = data;
	int i;

	for (i = 0; i < TOUR_STATS_TEST_READS; i++)
		percpu_counter_inc(&stats->reads);
	for (i = 0; i < TOUR_STATS_TEST_WRITES; i++)
		percpu_counter_inc(&stats->writes);
	return 0;
}

/*
 * Counts made on every CPU, many more than a CPU keeps before it folds them
 * into the shared count, all show in the sum.
 */
static void tour_stats_counts_of_every_cpu(struct kunit *test)
{
	struct tour_stats *stats = tour_stats_test_new(test);
	unsigned int cpu, cpus = 0;

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		work_on_cpu(cpu, tour_stats_test_count, stats);
		cpus++;
	}
	cpus_read_unlock();

	KUNIT_EXPECT_EQ(test, percpu_counter_sum(&stats->reads),
			(s64)cpus * TOUR_STATS_TEST_READS);
	KUNIT_EXPECT_EQ(test, percpu_counter_sum(&stats->writes),
			(s64)cpus * TOUR_STATS_TEST_WRITES);
}

static struct kunit_case tour_stats_test_cases[] = {
	KUNIT_CASE(tour_stats_line_of_new),
	KUNIT_CASE(tour_stats_line_of_large),
	KUNIT_CASE(tour_stats_write_of_buffers),
	KUNIT_CASE(tour_stats_counts_of_every_cpu),
	{}
};

static struct kunit_suite tour_stats_test_suite = {
	.name = "tour_stats",
	.test_cases = tour_stats_test_cases,
};

kunit_test_suite(tour_stats_test_suite);
