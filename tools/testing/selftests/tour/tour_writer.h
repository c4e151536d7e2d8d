/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Writers for the tests of a file whose write() does long work in the
 * kernel (tour_kthread's batches, tour_irq's fires): one write() on a new
 * file, a forked writer with a signal handler or none, whether a task
 * sleeps in write(), and whether a writer exited 0.
 */
#ifndef TOUR_WRITER_H
#define TOUR_WRITER_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Write s in one write() on a new file of path; errno as it left it. */
static inline ssize_t write_to(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
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

/* Whether pid sleeps in write(): /proc/PID/syscall names it while it does. */
static inline bool in_write(pid_t pid)
{
	char path[64];
	long nr = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (fscanf(f, "%ld", &nr) != 1)
		nr = -1;
	fclose(f);
	return nr == SYS_write;
}

/* Set by the handler of a writer; atomic, as a signal handler may be. */
static int handled;

static inline void on_signal(int sig)
{
	__atomic_store_n(&handled, 1, __ATOMIC_RELAXED);
}

/*
 * Fork a writer of s to path, with a handler for sig installed with flags
 * (no handler when sig is 0). It exits 0 when its one write() returned the
 * whole length and the handler, if any, ran; else 1.
 */
static inline pid_t start_writer(const char *path, const char *s, int sig,
				 int flags)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = flags };
	pid_t pid;
	ssize_t n;
	int ran;

	pid = fork();
	if (pid)
		return pid;
	if (sig && sigaction(sig, &sa, NULL))
		_exit(1);
	n = write_to(path, s);
	ran = __atomic_load_n(&handled, __ATOMIC_RELAXED);
	if (n == (ssize_t)strlen(s) && (!sig || ran))
		_exit(0);
	fprintf(stderr, "# the write returned %zd (%s); handler: %s\n", n,
		n < 0 ? strerror(errno) : "short", ran ? "ran" : "none");
	_exit(1);
}

/* Reap pid; whether it exited 0. */
static inline bool exited_ok(pid_t pid)
{
	int status;

	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       !WEXITSTATUS(status);
}

#endif /* TOUR_WRITER_H */
