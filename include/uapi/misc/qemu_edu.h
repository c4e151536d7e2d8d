/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * The user interface of /dev/qemu_eduN, the misc devices of the driver for
 * QEMU's educational PCI device (drivers/misc/qemu_edu/qemu_edu.c).
 *
 * read() and write() at a file position move data through the device's
 * buffer; lseek(fd, 0, SEEK_END) gives the file's size, the part of the
 * buffer the driver uses (Documentation/misc-devices/qemu_edu.rst).
 *
 * The ioctl magic is 0xED (the low byte of the device's identification
 * register), numbers 0x00 to 0x0f, as listed in
 * Documentation/userspace-api/ioctl/ioctl-number.rst.
 */

#ifndef _UAPI_MISC_QEMU_EDU_H
#define _UAPI_MISC_QEMU_EDU_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* The largest N whose factorial the device is asked for. */
#define QEMU_EDU_FACT_MAX	1000000

/**
 * struct qemu_edu_factorial - argument of QEMU_EDU_IOC_FACTORIAL
 * @n: in: the number, 0 to QEMU_EDU_FACT_MAX
 * @result: out: n! modulo 2^32, as the device computes it
 */
struct qemu_edu_factorial {
	__u32 n;
	__u32 result;
};

#define QEMU_EDU_IOC_MAGIC	0xED

/* Compute n! on the device; no other user's computation comes between. */
#define QEMU_EDU_IOC_FACTORIAL	_IOWR(QEMU_EDU_IOC_MAGIC, 0x00, \
				      struct qemu_edu_factorial)

#endif /* _UAPI_MISC_QEMU_EDU_H */
