// SPDX-License-Identifier: GPL-2.0-only
/*
 * kdt_failnth: load a module with its Nth fault injected, for the debug
 * run's sweep of error paths (guest/debug/faults; built static into the
 * guest).
 *
 *	kdt_failnth N MODULE.ko [PARAMS]
 *
 * Writes N to /proc/thread-self/fail-nth, so that the Nth call of this
 * task into an armed fault point (failslab, fail_page_alloc,
 * fail_usercopy, each limited by its stack-trace filter) fails, loads the
 * module with finit_module(), and reads fail-nth back: 0 when the Nth
 * point was reached and failed, more when the load passed fewer points.
 * fail-nth is the task's own and a child does not inherit it, which is
 * why this is a program and not a shell's redirection before insmod.
 *
 * Prints "loaded" or "failed ERRNO-NAME", then "hit" or "missed"; exits 0
 * when it could do all this, 2 when it could not.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FAIL_NTH "/proc/thread-self/fail-nth"

int main(int argc, char **argv)
{
	char buf[32];
	int fd, mod, ret, err;
	ssize_t len;

	if (argc < 3) {
		fprintf(stderr, "usage: kdt_failnth N MODULE.ko [PARAMS]\n");
		return 2;
	}
	mod = open(argv[2], O_RDONLY | O_CLOEXEC);
	fd = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
	if (mod < 0 || fd < 0) {
		perror(mod < 0 ? argv[2] : FAIL_NTH);
		return 2;
	}
	if (write(fd, argv[1], strlen(argv[1])) < 0) {
		perror("write " FAIL_NTH);
		return 2;
	}
	ret = syscall(SYS_finit_module, mod, argc > 3 ? argv[3] : "", 0);
	err = errno;
	len = pread(fd, buf, sizeof(buf) - 1, 0);
	/* Disarm before anything else this task does. */
	if (write(fd, "0", 1) < 0 || len <= 0) {
		perror(FAIL_NTH);
		return 2;
	}
	buf[len] = '\0';
	if (ret)
		printf("failed %s ", strerrorname_np(err) ?: "?");
	else
		printf("loaded ");
	printf("%s\n", atoi(buf) ? "missed" : "hit");
	return 0;
}
