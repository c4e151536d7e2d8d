/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * The ioctls of /dev/tour_store (samples/tour/tour_store.c), for the module
 * and for the programs that use it.
 *
 * Magic '|' with numbers 0x80 to 0x82, which
 * Documentation/userspace-api/ioctl/ioctl-number.rst leaves free next to
 * linux/media.h's 0x00 to 0x7f.
 */

#ifndef _SAMPLES_TOUR_STORE_H
#define _SAMPLES_TOUR_STORE_H

#include <linux/ioctl.h>

#define TOUR_STORE_IOC_MAGIC	'|'

/* Log a greeting in the kernel log. */
#define TOUR_STORE_HELLO	_IO(TOUR_STORE_IOC_MAGIC, 0x80)
/* Read the device's int value into the argument. */
#define TOUR_STORE_GET_VALUE	_IOR(TOUR_STORE_IOC_MAGIC, 0x81, int)
/* Set the device's int value from the argument (file open for writing). */
#define TOUR_STORE_SET_VALUE	_IOW(TOUR_STORE_IOC_MAGIC, 0x82, int)

#endif /* _SAMPLES_TOUR_STORE_H */
