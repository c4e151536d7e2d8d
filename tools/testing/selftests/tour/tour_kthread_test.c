// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test samples/tour/tour_kthread through /proc/tour_kthread: the counts it
 * shows, a write that returns once its whole batch is consumed with exact
 * counts and sum, its two kernel threads, bad counts refused with EINVAL, a
 * huge batch whose write a signal ends while the batch goes on to its end,
 * exact totals from many processes and threads at once, and unloading: idle,
 * while a write waits, and in the middle of a batch.
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
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"

#define PROC		"/proc/tour_kthread"
#define INITSTATE	"/sys/module/tour_kthread/initstate"
#define PRODUCER	"tour_producer"
#define CONSUMER	"tour_consumer"
#define MAX_BATCH	1000000		/* the module's TOUR_KTHREAD_MAX_BATCH */
#define CUT_BATCH	200000		/* a batch a signal likely cuts loose */
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

/* Wait up to secs seconds for batches to reach at least target. */
static bool wait_batches(unsigned long long target, int secs,
			 struct counts *c)
{
	time_t end = time(NULL) + secs;

	do {
		if (!read_counts(c))
			return false;
		if (c->batches >= target)
			return true;
		usleep(10000);
	} while (time(NULL) < end);
	return false;
}

/* Write s in one write() on a new file; errno as the write left it. */
static ssize_t write_str(const char *s)
{
	int fd = open(PROC, O_WRONLY);
	ssize_t n;
	int err;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	err = errno;
	close(fd);
	errno = err;
	return n;
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

/* A SIGALRM with a handler interrupts a write instead of killing. */
static void on_alarm(int sig)
{
}

/*
 * Write a batch of size with a 10 ms timer, no SA_RESTART, until a write
 * fails (up to 3 tries: one may end before the timer). Each try starts a
 * batch: none runs when it comes, so it never waits before its own. Return
 * the tries, the last result in *n and its errno in *err.
 */
static int interrupted_write(int size, ssize_t *n, int *err)
{
	struct itimerval on = { .it_value.tv_usec = 10000 }, off = { };
	struct sigaction sa = { .sa_handler = on_alarm };
	char buf[16];
	int tries = 0, fd, len;

	*n = 0;
	*err = 0;
	len = snprintf(buf, sizeof(buf), "%d\n", size);
	if (sigaction(SIGALRM, &sa, NULL))
		return 0;
	fd = open(PROC, O_WRONLY);
	if (fd < 0)
		return 0;
	while (tries < 3) {
		tries++;
		setitimer(ITIMER_REAL, &on, NULL);
		*n = write(fd, buf, len);
		*err = errno;
		setitimer(ITIMER_REAL, &off, NULL);
		if (*n == -1)
			break;
	}
	close(fd);
	return tries;
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
 * Each write is one batch, whole, however many write at once.
 *
 * No signal may reach a writer: one that comes once its batch has started
 * ends the write with EINTR, as it should. SIGCHLD would: it is ignored,
 * but while glibc's pthread_create() blocks every signal in the main
 * thread, a child's exit queues it for the process, and the kernel hands
 * it to a writer thread, whose write it interrupts. Hence SIGCHLD stays
 * blocked here; the threads and children inherit the mask.
 */
TEST_F(kthread, writes_from_processes_and_threads)
{
	unsigned long long values = 0, sum = 0, n;
	pthread_t threads[THREADS];
	int i, status, failed = 0;
	sigset_t chld, old;
	pid_t pids[PROCS];
	struct counts after;
	void *ret;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	ASSERT_EQ(0, pthread_sigmask(SIG_BLOCK, &chld, &old));
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
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	EXPECT_EQ(0, failed);

	for (i = 0; i < PROCS + THREADS; i++) {
		n = 100 + i;
		values += WRITES * n;
		sum += WRITES * sum_of(n);
	}
	ASSERT_TRUE(read_counts(&after));
	EXPECT_EQ(self->before.produced + values, after.produced);
	EXPECT_EQ(self->before.consumed + values, after.consumed);
	EXPECT_EQ(self->before.sum + sum, after.sum);
	EXPECT_EQ(self->before.batches + (PROCS + THREADS) * WRITES,
		  after.batches);
}

/*
 * A signal ends the write of a huge batch with EINTR, and the batch goes on
 * to its end in the background: the counts grow by whole batches.
 */
TEST_F_TIMEOUT(kthread, signal_ends_write_batch_goes_on, 2 * LONG_WAIT)
{
	struct counts after;
	ssize_t n;
	int tries, err;

	tries = interrupted_write(MAX_BATCH, &n, &err);
	ASSERT_LT(0, tries);
	EXPECT_EQ(-1, n) TH_LOG("no signal ended the write");
	EXPECT_EQ(EINTR, err);

	ASSERT_TRUE(wait_batches(self->before.batches + tries, LONG_WAIT,
				 &after));
	EXPECT_EQ(self->before.produced + tries * MAX_BATCH, after.produced);
	EXPECT_EQ(self->before.consumed + tries * MAX_BATCH, after.consumed);
	EXPECT_EQ(self->before.sum + tries * sum_of(MAX_BATCH), after.sum);
	EXPECT_EQ(self->before.batches + tries, after.batches);
}

/*
 * The next write waits for a batch that a signal cut loose, then runs its
 * own. (Whether the signal came in time or not, each try ran one batch.)
 */
TEST_F_TIMEOUT(kthread, write_waits_for_batch_cut_loose, 2 * LONG_WAIT)
{
	unsigned long long values;
	struct counts after;
	ssize_t n;
	int tries, err;

	tries = interrupted_write(CUT_BATCH, &n, &err);
	ASSERT_LT(0, tries);
	EXPECT_EQ(2, write_str("5\n"));
	ASSERT_TRUE(read_counts(&after));
	values = (unsigned long long)tries * CUT_BATCH + 5;
	EXPECT_EQ(self->before.produced + values, after.produced);
	EXPECT_EQ(self->before.consumed + values, after.consumed);
	EXPECT_EQ(self->before.sum + tries * sum_of(CUT_BATCH) + 15,
		  after.sum);
	EXPECT_EQ(self->before.batches + tries + 1, after.batches);
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

/* Unloading stops the threads in the middle of a batch nobody waits for. */
TEST_F_TIMEOUT(kthread, unload_in_middle_of_batch, 2 * LONG_WAIT)
{
	ssize_t n;
	int tries, err;

	if (access(INITSTATE, F_OK))
		SKIP(return, "tour_kthread is built in");
	tries = interrupted_write(MAX_BATCH, &n, &err);
	ASSERT_LT(0, tries);
	EXPECT_EQ(0, system("rmmod tour_kthread"));
	EXPECT_NE(0, access(PROC, F_OK));
	EXPECT_TRUE(threads_gone());
	ASSERT_EQ(0, system("modprobe tour_kthread"));
	EXPECT_TRUE(threads_back());
}

TEST_HARNESS_MAIN
