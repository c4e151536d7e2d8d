// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test samples/tour/tour_kthread through /proc/tour_kthread: the counts it
 * shows, a write that returns once its whole batch is consumed with exact
 * counts and sum, its two kernel threads, bad counts refused with EINVAL,
 * exact totals from many processes and threads at once, signals (a stop and
 * continue, or a handler with or without SA_RESTART) that never fail a
 * write, a writer killed mid-batch whose batch goes on to its end, and
 * unloading: idle, while a write waits, and in the middle of a batch.
 */

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "tour_writer.h"

#define PROC		"/proc/tour_kthread"
#define INITSTATE	"/sys/module/tour_kthread/initstate"
#define PRODUCER	"tour_producer"
#define CONSUMER	"tour_consumer"
#define MAX_BATCH	1000000		/* the module's TOUR_KTHREAD_MAX_BATCH */
#define LONG_BATCH	50000		/* a batch long enough to signal mid-way */
#define LONG_WAIT	200		/* seconds a MAX_BATCH batch may take */
#define PROCS		4
#define THREADS		4
#define WRITES		10

/* The four counts of /proc/tour_kthread. */
struct counts {
	unsigned long long produced;
	unsigned long long consumed;
	unsigned long long sum;
	unsigned long long batches;
};

/* 1 + 2 + ... + n: the sum a batch of n adds. */
static unsigned long long sum_of(unsigned long long n)
{
	return n * (n + 1) / 2;
}

/* Parse the text of the file into *c; false if it does not parse. */
static bool parse_counts(const char *buf, struct counts *c)
{
	int n;

	n = sscanf(buf, "produced: %llu consumed: %llu sum: %llu batches: %llu",
		   &c->produced, &c->consumed, &c->sum, &c->batches);
	return n == 4;
}

/* Read the counts; false if the file cannot be read or does not parse. */
static bool read_counts(struct counts *c)
{
	char buf[256];
	ssize_t len;
	int fd;

	fd = open(PROC, O_RDONLY);
	if (fd < 0)
		return false;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return false;
	buf[len] = '\0';
	return parse_counts(buf, c);
}

/* Write s in one write() on a new file; errno as the write left it. */
static ssize_t write_str(const char *s)
{
	return write_to(PROC, s);
}

/* How many tasks are called comm. */
static int tasks_named(const char *comm)
{
	char path[300], name[32];
	struct dirent *e;
	int n = 0;
	DIR *d;
	FILE *f;

	d = opendir("/proc");
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(name, sizeof(name), f)) {
			name[strcspn(name, "\n")] = '\0';
			n += !strcmp(name, comm);
		}
		fclose(f);
	}
	closedir(d);
	return n;
}

/* Wait up to 5 seconds for the threads to be gone; whether they went. */
static bool threads_gone(void)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (!tasks_named(PRODUCER) && !tasks_named(CONSUMER))
			return true;
		usleep(10000);
	}
	return false;
}

/*
 * Wait up to 5 seconds for one thread of each name: a load that ran the
 * KUnit tests may leave their stopped threads in /proc for a moment.
 */
static bool threads_back(void)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (tasks_named(PRODUCER) == 1 && tasks_named(CONSUMER) == 1)
			return true;
		usleep(10000);
	}
	return false;
}

/* Wait up to 10 s for a batch to run: produced grows past before's. */
static bool wait_started(const struct counts *before)
{
	struct counts c;
	int i;

	for (i = 0; i < 10000; i++) {
		if (read_counts(&c) && c.produced > before->produced)
			return true;
		usleep(1000);
	}
	return false;
}

/* start_writer() of a batch of n. */
static pid_t start_batch(unsigned long n, int sig, int flags)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%lu\n", n);
	return start_writer(PROC, buf, sig, flags);
}

/*
 * Once the batch of the writer pid runs, send it sig, and check that the
 * batch was still running then: else the test would prove nothing.
 */
static void signal_mid_batch(struct __test_metadata *_metadata,
			     const struct counts *before, pid_t pid, int sig)
{
	struct counts c;

	ASSERT_LT(0, pid);
	ASSERT_TRUE(wait_started(before)) TH_LOG("the batch never started");
	ASSERT_EQ(0, kill(pid, sig));
	ASSERT_TRUE(read_counts(&c));
	ASSERT_EQ(before->batches, c.batches)
		TH_LOG("the batch ended before the signal: make it longer");
}

/* The counts grew from *before by n values, adding up to s, in b batches. */
static void expect_grown(struct __test_metadata *_metadata,
			 const struct counts *before, unsigned long long n,
			 unsigned long long s, unsigned long long b)
{
	struct counts after;

	ASSERT_TRUE(read_counts(&after));
	EXPECT_EQ(before->produced + n, after.produced);
	EXPECT_EQ(before->consumed + n, after.consumed);
	EXPECT_EQ(before->sum + s, after.sum);
	EXPECT_EQ(before->batches + b, after.batches);
}

/* Write the batch 100 + worker, WRITES times; NULL if each was whole. */
static void *write_loop(void *arg)
{
	char buf[16];
	int i;

	snprintf(buf, sizeof(buf), "%d\n", 100 + (int)(intptr_t)arg);
	for (i = 0; i < WRITES; i++) {
		ssize_t n = write_str(buf);

		if (n != (ssize_t)strlen(buf)) {
			fprintf(stderr, "# write %d of %d: %zd, %s\n", i,
				100 + (int)(intptr_t)arg, n, strerror(errno));
			return (void *)1;
		}
	}
	return NULL;
}

FIXTURE(kthread) {
	struct counts before;
};

FIXTURE_SETUP(kthread)
{
	if (access(PROC, F_OK))
		system("modprobe -q tour_kthread");
	if (access(PROC, F_OK))
		SKIP(return, "no " PROC " (CONFIG_SAMPLE_TOUR_KTHREAD)");
	/* A write waits for any batch left running: then nothing runs. */
	ASSERT_EQ(2, write_str("1\n"));
	ASSERT_TRUE(read_counts(&self->before));
}

FIXTURE_TEARDOWN(kthread)
{
}

TEST_F(kthread, file_is_0644)
{
	struct stat st;

	ASSERT_EQ(0, stat(PROC, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(0644, st.st_mode & 07777);
}

/* Four lines, each a name and a count; then end of file. */
TEST_F(kthread, read_shows_four_counts)
{
	char buf[256] = "", want[256];
	struct counts c;
	ssize_t n;
	int fd;

	fd = open(PROC, O_RDONLY);
	ASSERT_LE(0, fd);
	n = read(fd, buf, sizeof(buf) - 1);
	ASSERT_LT(0, n);
	EXPECT_EQ(0, read(fd, want, sizeof(want)));
	close(fd);

	ASSERT_TRUE(parse_counts(buf, &c));
	snprintf(want, sizeof(want),
		 "produced: %llu\nconsumed: %llu\nsum: %llu\nbatches: %llu\n",
		 c.produced, c.consumed, c.sum, c.batches);
	EXPECT_STREQ(want, buf);
	/* Idle: every value made was taken. */
	EXPECT_EQ(c.produced, c.consumed);
}

/* The write returns once the batch is consumed: the counts are exact. */
TEST_F(kthread, write_runs_a_whole_batch)
{
	struct counts after;

	EXPECT_EQ(4, write_str("100\n"));
	ASSERT_TRUE(read_counts(&after));
	EXPECT_EQ(self->before.produced + 100, after.produced);
	EXPECT_EQ(self->before.consumed + 100, after.consumed);
	EXPECT_EQ(self->before.sum + 5050, after.sum);
	EXPECT_EQ(self->before.batches + 1, after.batches);
}

TEST_F(kthread, batches_add_up)
{
	static const char * const writes[] = { "1", "16\n", "17", "1000\n" };
	unsigned long long values = 0, sum = 0, v;
	struct counts after;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(writes); i++) {
		EXPECT_EQ((ssize_t)strlen(writes[i]), write_str(writes[i]));
		v = strtoull(writes[i], NULL, 10);
		values += v;
		sum += sum_of(v);
	}
	ASSERT_TRUE(read_counts(&after));
	EXPECT_EQ(self->before.produced + values, after.produced);
	EXPECT_EQ(self->before.consumed + values, after.consumed);
	EXPECT_EQ(self->before.sum + sum, after.sum);
	EXPECT_EQ(self->before.batches + ARRAY_SIZE(writes), after.batches);
}

TEST_F(kthread, threads_run)
{
	EXPECT_EQ(1, tasks_named(PRODUCER));
	EXPECT_EQ(1, tasks_named(CONSUMER));
}

TEST_F(kthread, bad_counts_are_einval)
{
	static const char * const bad[] = {
		"", "\n", "0", "-1", "abc", "5abc", " 5", "5\n\n", "0x10",
		"1000001", "4294967301", "0000000000000005",
	};
	struct counts after;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		errno = 0;
		EXPECT_EQ(-1, write_str(bad[i])) TH_LOG("\"%s\"", bad[i]);
		EXPECT_EQ(EINVAL, errno) TH_LOG("\"%s\"", bad[i]);
	}
	ASSERT_TRUE(read_counts(&after));
	EXPECT_EQ(self->before.produced, after.produced);
	EXPECT_EQ(self->before.batches, after.batches);
}

/*
 * Each write is one batch, whole, however many write at once. The children's
 * exits send SIGCHLD, which the kernel may hand to a writer thread: ignored,
 * it must not fail a write either.
 */
TEST_F(kthread, writes_from_processes_and_threads)
{
	unsigned long long values = 0, sum = 0, n;
	pthread_t threads[THREADS];
	int i, status, failed = 0;
	pid_t pids[PROCS];
	void *ret;

	for (i = 0; i < PROCS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i])
			_exit(write_loop((void *)(intptr_t)i) ? 1 : 0);
	}
	for (i = 0; i < THREADS; i++)
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, write_loop,
					    (void *)(intptr_t)(PROCS + i)));
	for (i = 0; i < THREADS; i++) {
		pthread_join(threads[i], &ret);
		failed += !!ret;
	}
	for (i = 0; i < PROCS; i++) {
		waitpid(pids[i], &status, 0);
		failed += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	EXPECT_EQ(0, failed);

	for (i = 0; i < PROCS + THREADS; i++) {
		n = 100 + i;
		values += WRITES * n;
		sum += WRITES * sum_of(n);
	}
	expect_grown(_metadata, &self->before, values, sum,
		     (PROCS + THREADS) * WRITES);
}

/*
 * A writer stopped and continued mid-batch (SIGSTOP and SIGCONT, as ^Z and
 * fg or a debugger do) gets its whole count, not EINTR.
 */
TEST_F_TIMEOUT(kthread, stop_and_continue_mid_batch, LONG_WAIT)
{
	pid_t pid = start_batch(LONG_BATCH, 0, 0);

	signal_mid_batch(_metadata, &self->before, pid, SIGSTOP);
	usleep(100000);
	ASSERT_EQ(0, kill(pid, SIGCONT));
	EXPECT_TRUE(exited_ok(pid));
	expect_grown(_metadata, &self->before, LONG_BATCH,
		     sum_of(LONG_BATCH), 1);
}

/* A signal mid-batch, caught with SA_RESTART: the write returns the count. */
TEST_F_TIMEOUT(kthread, restarting_handler_mid_batch, LONG_WAIT)
{
	pid_t pid = start_batch(LONG_BATCH, SIGUSR1, SA_RESTART);

	signal_mid_batch(_metadata, &self->before, pid, SIGUSR1);
	EXPECT_TRUE(exited_ok(pid));
	expect_grown(_metadata, &self->before, LONG_BATCH,
		     sum_of(LONG_BATCH), 1);
}

/*
 * Without SA_RESTART too: once the batch has started, the write waits for
 * its end and returns the count; the handler runs after.
 */
TEST_F_TIMEOUT(kthread, handler_mid_batch, LONG_WAIT)
{
	pid_t pid = start_batch(LONG_BATCH, SIGUSR1, 0);

	signal_mid_batch(_metadata, &self->before, pid, SIGUSR1);
	EXPECT_TRUE(exited_ok(pid));
	expect_grown(_metadata, &self->before, LONG_BATCH,
		     sum_of(LONG_BATCH), 1);
}

/*
 * A writer stopped and continued while it waits for another's batch has
 * done nothing yet: its write is restarted, and runs its batch once.
 */
TEST_F_TIMEOUT(kthread, stop_and_continue_while_waiting_turn, LONG_WAIT)
{
	pid_t first, second;
	struct counts c;
	int i, status;

	first = start_batch(LONG_BATCH, 0, 0);
	ASSERT_LT(0, first);
	ASSERT_TRUE(wait_started(&self->before));
	second = start_batch(5, 0, 0);
	ASSERT_LT(0, second);
	for (i = 0; i < 1000 && !in_write(second); i++)
		usleep(1000);
	ASSERT_TRUE(in_write(second)) TH_LOG("the second write never waited");
	ASSERT_EQ(0, kill(second, SIGSTOP));
	ASSERT_EQ(second, waitpid(second, &status, WUNTRACED));
	ASSERT_TRUE(WIFSTOPPED(status));
	ASSERT_TRUE(read_counts(&c));
	ASSERT_EQ(self->before.batches, c.batches)
		TH_LOG("the first batch ended before the stop: make it longer");
	ASSERT_EQ(0, kill(second, SIGCONT));
	EXPECT_TRUE(exited_ok(first));
	EXPECT_TRUE(exited_ok(second));
	expect_grown(_metadata, &self->before, LONG_BATCH + 5,
		     sum_of(LONG_BATCH) + sum_of(5), 2);
}

/*
 * SIGKILL ends the wait of a write mid-batch at once; the batch goes on to
 * its end, and the next write waits for it before it runs its own.
 */
TEST_F_TIMEOUT(kthread, killed_writer_batch_goes_on, LONG_WAIT)
{
	pid_t pid = start_batch(LONG_BATCH, 0, 0);
	struct counts c;
	int status;

	signal_mid_batch(_metadata, &self->before, pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	ASSERT_TRUE(read_counts(&c));
	EXPECT_EQ(self->before.batches, c.batches)
		TH_LOG("the kill waited for the batch");

	EXPECT_EQ(2, write_str("5\n"));
	expect_grown(_metadata, &self->before, LONG_BATCH + 5,
		     sum_of(LONG_BATCH) + sum_of(5), 2);
}

TEST_F(kthread, unload_when_idle)
{
	if (access(INITSTATE, F_OK))
		SKIP(return, "tour_kthread is built in");
	EXPECT_EQ(0, system("rmmod tour_kthread"));
	EXPECT_NE(0, access(PROC, F_OK));
	EXPECT_TRUE(threads_gone());
	ASSERT_EQ(0, system("modprobe tour_kthread"));
	EXPECT_TRUE(threads_back());
	ASSERT_TRUE(read_counts(&self->before));
	EXPECT_EQ(0, self->before.batches);
}

/* Unloading waits for a write in progress, whose batch ends whole. */
TEST_F_TIMEOUT(kthread, unload_waits_for_write, 2 * LONG_WAIT)
{
	struct counts c;
	int i, status;
	pid_t pid;

	if (access(INITSTATE, F_OK))
		SKIP(return, "tour_kthread is built in");
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(write_str("100000\n") == 7 ? 0 : 1);
	/* Unload once the batch runs: the child is in its write. */
	for (i = 0; i < 1000; i++) {
		if (read_counts(&c) && c.produced > self->before.produced)
			break;
		usleep(10000);
	}
	EXPECT_EQ(0, system("rmmod tour_kthread"));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("the write did not return whole");
	EXPECT_NE(0, access(PROC, F_OK));
	EXPECT_TRUE(threads_gone());
	ASSERT_EQ(0, system("modprobe tour_kthread"));
}

/*
 * Unloading stops the threads in the middle of a batch nobody waits for:
 * its writer was killed.
 */
TEST_F_TIMEOUT(kthread, unload_in_middle_of_batch, 2 * LONG_WAIT)
{
	pid_t pid;

	if (access(INITSTATE, F_OK))
		SKIP(return, "tour_kthread is built in");
	pid = start_batch(MAX_BATCH, 0, 0);
	signal_mid_batch(_metadata, &self->before, pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	EXPECT_EQ(0, system("rmmod tour_kthread"));
	EXPECT_NE(0, access(PROC, F_OK));
	EXPECT_TRUE(threads_gone());
	ASSERT_EQ(0, system("modprobe tour_kthread"));
	EXPECT_TRUE(threads_back());
}

TEST_HARNESS_MAIN
