// SPDX-License-Identifier: GPL-2.0-only
/*
 * edu_bench: the qemu_edu driver on /dev/qemu_edu0, in the guest of `make
 * bench` (built static on the host, run as root).
 *
 *	factorial	us per round trip (start, interrupt, wake-up, result)
 *			through the ioctl, and through the sysfs file; the
 *			ratio is sysfs / ioctl
 *	DMA		KB/s of pwrite()s and pread()s of the whole file
 *			(4095 bytes; lseek(SEEK_END) says), each one transfer;
 *			the baseline is the device's own ceiling, the file
 *			per 100 ms of QEMU's clock (40.95 KB/s), and the
 *			ratio how close the driver comes to it
 *
 * There are no targets: QEMU, not the driver, sets the pace; the ratios show
 * what the driver adds. Without /dev/qemu_edu0 it says so and exits 0.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#include "../../include/uapi/misc/qemu_edu.h"

#define NODE	"/dev/qemu_edu0"
#define ATTR	"/sys/class/misc/qemu_edu0/device/factorial"
#define FACTS	2000
#define DMAS	10
/* The device's buffer, which bounds the file. */
#define BUF_SIZE	4096

static void fail(const char *what)
{
	printf("edu_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

int main(void)
{
	static char buf[BUF_SIZE];
	struct qemu_edu_factorial f;
	double t, ioctl_us, sysfs_us, wr, rd, ceiling;
	char what[32];
	off_t size;
	int fd, afd, i;

	fd = open(NODE, O_RDWR);
	if (fd < 0) {
		printf("edu_bench: no %s: the edu driver is not measured\n", NODE);
		return 0;
	}
	afd = open(ATTR, O_WRONLY);
	if (afd < 0)
		fail(ATTR);
	size = lseek(fd, 0, SEEK_END);
	if (size <= 0 || size > BUF_SIZE)
		fail("lseek");
	/* The device's ceiling: one transfer per 100 ms of QEMU's clock. */
	ceiling = size / 0.1 / 1e3;

	t = now();
	for (i = 0; i < FACTS; i++) {
		f.n = i % 13;
		if (ioctl(fd, QEMU_EDU_IOC_FACTORIAL, &f))
			fail("ioctl");
	}
	ioctl_us = (now() - t) / FACTS * 1e6;
	t = now();
	for (i = 0; i < FACTS; i++)
		if (pwrite(afd, "12\n", 3, 0) != 3)
			fail("factorial");
	sysfs_us = (now() - t) / FACTS * 1e6;

	memset(buf, 0x5a, size);
	t = now();
	for (i = 0; i < DMAS; i++)
		if (pwrite(fd, buf, size, 0) != size)
			fail("pwrite");
	wr = DMAS * size / (now() - t) / 1e3;
	t = now();
	for (i = 0; i < DMAS; i++)
		if (pread(fd, buf, size, 0) != size)
			fail("pread");
	rd = DMAS * size / (now() - t) / 1e3;

	printf("kdt bench: qemu_edu on %s (%d factorials, %d transfers each way)\n",
	       NODE, FACTS, DMAS);
	printf("%-26s%-16s%10s%11s%7s\n", "what", "vs", "baseline", "sample",
	       "ratio");
	printf("%-26s%-16s%10.1f%11.1f%7.3f\n", "factorial us/round trip",
	       "ioctl", ioctl_us, sysfs_us, sysfs_us / ioctl_us);
	snprintf(what, sizeof(what), "DMA write %ld B  KB/s", (long)size);
	printf("%-26s%-16s%10.2f%11.2f%7.3f\n", what, "device ceiling",
	       ceiling, wr, wr / ceiling);
	snprintf(what, sizeof(what), "DMA read %ld B  KB/s", (long)size);
	printf("%-26s%-16s%10.2f%11.2f%7.3f\n", what, "device ceiling",
	       ceiling, rd, rd / ceiling);
	close(afd);
	close(fd);
	return 0;
}
