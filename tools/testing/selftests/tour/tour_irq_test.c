// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test how signals meet the writes of samples/tour/tour_irq: once a write
 * has fired, a stop and continue (SIGSTOP, SIGCONT) or a caught signal, with
 * SA_RESTART or without, never fails it: it fires every interrupt and
 * returns its count. A write stopped and continued while it waits its turn
 * is restarted and fires its count once. SIGKILL ends a write between two
 * interrupts, with none half done. tour_irq.sh tests the rest of the file.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "tour_writer.h"

#define PROC		"/proc/tour_irq"
#define LONG_FIRE	2000		/* a write long enough to signal mid-way */
#define LONG_WAIT	120		/* seconds a write of LONG_FIRE may take */

/* The three counts of /proc/tour_irq. */
struct counts {
	unsigned long long hard;
	unsigned long long thread;
	unsigned long long fired;
};

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
	return sscanf(buf, "hard: %llu thread: %llu fired: %llu",
		      &c->hard, &c->thread, &c->fired) == 3;
}

/* Write s in one write() on a new file; errno as the write left it. */
static ssize_t write_str(const char *s)
{
	return write_to(PROC, s);
}

/* Wait up to 10 s for a write to fire: fired grows past before's. */
static bool wait_fired(const struct counts *before)
{
	struct counts c;
	int i;

	for (i = 0; i < 10000; i++) {
		if (read_counts(&c) && c.fired > before->fired)
			return true;
		usleep(1000);
	}
	return false;
}

/* start_writer() of a write of n fires. */
static pid_t start_fire(unsigned int n, int sig, int flags)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u\n", n);
	return start_writer(PROC, buf, sig, flags);
}

/*
 * Once the writer pid of LONG_FIRE fires, send it sig, and check that it
 * had more to fire then: else the test would prove nothing.
 */
static void signal_mid_write(struct __test_metadata *_metadata,
			     const struct counts *before, pid_t pid, int sig)
{
	struct counts c;

	ASSERT_LT(0, pid);
	ASSERT_TRUE(wait_fired(before)) TH_LOG("the write never fired");
	ASSERT_EQ(0, kill(pid, sig));
	ASSERT_TRUE(read_counts(&c));
	ASSERT_GT(before->fired + LONG_FIRE, c.fired)
		TH_LOG("the write ended before the signal: make it longer");
}

/* Each count grew from *before by exactly n. */
static void expect_grown(struct __test_metadata *_metadata,
			 const struct counts *before, unsigned long long n)
{
	struct counts after;

	ASSERT_TRUE(read_counts(&after));
	EXPECT_EQ(before->hard + n, after.hard);
	EXPECT_EQ(before->thread + n, after.thread);
	EXPECT_EQ(before->fired + n, after.fired);
}

FIXTURE(irq) {
	struct counts before;
};

FIXTURE_SETUP(irq)
{
	if (access(PROC, F_OK))
		system("modprobe -q tour_irq");
	if (access(PROC, F_OK))
		SKIP(return, "no " PROC " (CONFIG_SAMPLE_TOUR_IRQ)");
	/* A write waits for any write in progress: then nothing fires. */
	ASSERT_EQ(2, write_str("1\n"));
	ASSERT_TRUE(read_counts(&self->before));
	ASSERT_EQ(self->before.fired, self->before.thread);
}

FIXTURE_TEARDOWN(irq)
{
}

/*
 * A writer stopped and continued mid-write (SIGSTOP and SIGCONT, as ^Z and
 * fg or a debugger do) gets its whole count, not EINTR.
 */
TEST_F_TIMEOUT(irq, stop_and_continue_mid_write, LONG_WAIT)
{
	pid_t pid = start_fire(LONG_FIRE, 0, 0);

	signal_mid_write(_metadata, &self->before, pid, SIGSTOP);
	usleep(100000);
	ASSERT_EQ(0, kill(pid, SIGCONT));
	EXPECT_TRUE(exited_ok(pid));
	expect_grown(_metadata, &self->before, LONG_FIRE);
}

/* A signal mid-write, caught with SA_RESTART: the write returns the count. */
TEST_F_TIMEOUT(irq, restarting_handler_mid_write, LONG_WAIT)
{
	pid_t pid = start_fire(LONG_FIRE, SIGUSR1, SA_RESTART);

	signal_mid_write(_metadata, &self->before, pid, SIGUSR1);
	EXPECT_TRUE(exited_ok(pid));
	expect_grown(_metadata, &self->before, LONG_FIRE);
}

/*
 * Without SA_RESTART too: once the write has fired, it fires the rest and
 * returns the count; the handler runs after.
 */
TEST_F_TIMEOUT(irq, handler_mid_write, LONG_WAIT)
{
	pid_t pid = start_fire(LONG_FIRE, SIGUSR1, 0);

	signal_mid_write(_metadata, &self->before, pid, SIGUSR1);
	EXPECT_TRUE(exited_ok(pid));
	expect_grown(_metadata, &self->before, LONG_FIRE);
}

/*
 * A writer stopped and continued while it waits for another's write has
 * fired nothing yet: its write is restarted, and fires its count once.
 */
TEST_F_TIMEOUT(irq, stop_and_continue_while_waiting_turn, LONG_WAIT)
{
	pid_t first, second;
	struct counts c;
	int i, status;

	first = start_fire(LONG_FIRE, 0, 0);
	ASSERT_LT(0, first);
	ASSERT_TRUE(wait_fired(&self->before));
	second = start_fire(5, 0, 0);
	ASSERT_LT(0, second);
	for (i = 0; i < 1000 && !in_write(second); i++)
		usleep(1000);
	ASSERT_TRUE(in_write(second)) TH_LOG("the second write never waited");
	ASSERT_EQ(0, kill(second, SIGSTOP));
	ASSERT_EQ(second, waitpid(second, &status, WUNTRACED));
	ASSERT_TRUE(WIFSTOPPED(status));
	ASSERT_TRUE(read_counts(&c));
	ASSERT_GT(self->before.fired + LONG_FIRE, c.fired)
		TH_LOG("the first write ended before the stop: make it longer");
	ASSERT_EQ(0, kill(second, SIGCONT));
	EXPECT_TRUE(exited_ok(first));
	EXPECT_TRUE(exited_ok(second));
	expect_grown(_metadata, &self->before, LONG_FIRE + 5);
}

/*
 * SIGKILL ends a write mid-way, between two interrupts: the counts agree,
 * short of the whole count, and the next write fires exactly its own.
 */
TEST_F_TIMEOUT(irq, killed_writer_stops_between_interrupts, LONG_WAIT)
{
	pid_t pid = start_fire(LONG_FIRE, 0, 0);
	struct counts c;
	int status;

	signal_mid_write(_metadata, &self->before, pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	ASSERT_TRUE(read_counts(&c));
	EXPECT_GT(self->before.fired + LONG_FIRE, c.fired)
		TH_LOG("the kill waited for the whole write");
	EXPECT_EQ(c.fired, c.hard);
	EXPECT_EQ(c.fired, c.thread);

	EXPECT_EQ(3, write_str("10\n"));
	expect_grown(_metadata, &c, 10);
}

TEST_HARNESS_MAIN
