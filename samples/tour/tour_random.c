// SPDX-License-Identifier: GPL-2.0-only
/*
 * A misc device that reads like /dev/urandom: /dev/tour_random returns bytes
 * of the kernel's CRNG, as many as are asked for.
 *
 * A read fills the caller's buffer a chunk at a time: get_random_bytes() into
 * a kernel chunk, then copy_to_iter() of just the bytes it made. A huge read
 * thus needs no huge kernel buffer and does not hold the CPU: it yields
 * between chunks, and a pending signal ends it with the bytes copied so far,
 * or with -ERESTARTSYS when there are none. Every byte it copies was made by
 * the CRNG, and the chunk is wiped before the read returns. Like /dev/random,
 * a read waits until the CRNG is ready (at once, but for early boot), and
 * with O_NONBLOCK fails with -EAGAIN instead.
 *
 * A write mixes its bytes into the entropy pool with add_device_randomness(),
 * which credits no entropy: like a write to /dev/urandom, it can make the
 * output less predictable, never claim that it is.
 *
 * The node is 0644: anyone may read, only root may write.
 *
 * Try it:
 *	modprobe tour_random
 *	head -c 16 /dev/tour_random | od -An -tx1
 *	dd if=/dev/tour_random of=/dev/null bs=1M count=16
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uio.h>

/*
 * Bytes made and copied at a time: a page, as /dev/urandom checks for signals
 * every page. Each get_random_bytes() call costs a ChaCha block of its own,
 * so that small chunks would make large reads markedly slower. Transfers of
 * up to TOUR_RANDOM_SMALL bytes, the common case, use a chunk on the stack
 * and need no allocation.
 */
#define TOUR_RANDOM_CHUNK	PAGE_SIZE
#define TOUR_RANDOM_SMALL	256

/*
 * Fill @to with random bytes, a chunk at a time. Return the number of bytes
 * copied; -ERESTARTSYS when a signal came before the first chunk, -EFAULT
 * when the first chunk could not be copied.
 */
static ssize_t tour_random_fill(struct iov_iter *to)
{
	u8 small[TOUR_RANDOM_SMALL];
	size_t size = sizeof(small);
	size_t len, copied;
	u8 *chunk = small;
	ssize_t ret = 0;

	if (iov_iter_count(to) > size) {
		size = TOUR_RANDOM_CHUNK;
		chunk = kmalloc(size, GFP_KERNEL);
		if (!chunk)
			return -ENOMEM;
	}

	while (iov_iter_count(to)) {
		if (signal_pending(current)) {
			ret = ret ?: -ERESTARTSYS;
			break;
		}
		len = min(iov_iter_count(to), size);
		get_random_bytes(chunk, len);
		copied = copy_to_iter(chunk, len, to);
		ret += copied;
		if (copied != len) {
			ret = ret ?: -EFAULT;
			break;
		}
		cond_resched();
	}

	memzero_explicit(chunk, size);
	if (chunk != small)
		kfree(chunk);
	return ret;
}

static ssize_t tour_random_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	int ret;

	if (!rng_is_initialized() && (iocb->ki_filp->f_flags & O_NONBLOCK))
		return -EAGAIN;
	ret = wait_for_random_bytes();
	if (ret)
		return ret;
	return tour_random_fill(to);
}

/*
 * Mix what user space writes into the pool, a chunk on the stack at a time,
 * crediting no entropy. Return the number of bytes mixed in; -EFAULT when not
 * even the first chunk could be read.
 */
static ssize_t tour_random_write_iter(struct kiocb *iocb,
				      struct iov_iter *from)
{
	u8 chunk[TOUR_RANDOM_SMALL];
	size_t len, copied;
	ssize_t ret = 0;

	while (iov_iter_count(from)) {
		if (signal_pending(current)) {
			ret = ret ?: -ERESTARTSYS;
			break;
		}
		len = min(iov_iter_count(from), sizeof(chunk));
		copied = copy_from_iter(chunk, len, from);
		add_device_randomness(chunk, copied);
		ret += copied;
		if (copied != len) {
			ret = ret ?: -EFAULT;
			break;
		}
		cond_resched();
	}
	memzero_explicit(chunk, sizeof(chunk));
	return ret;
}

static const struct file_operations tour_random_fops = {
	.owner = THIS_MODULE,
	.read_iter = tour_random_read_iter,
	.write_iter = tour_random_write_iter,
	.llseek = noop_llseek,
};

static struct miscdevice tour_random_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "tour_random",
	.fops = &tour_random_fops,
	.mode = 0644,
};

module_misc_device(tour_random_misc);

/* The KUnit tests of the read and write paths, built into this module. */
#if IS_ENABLED(CONFIG_SAMPLE_TOUR_RANDOM_KUNIT_TEST)
#include "tour_random_test.c"
#endif

MODULE_AUTHOR("Kernel Driver Tour <kdt@example.org>");
MODULE_DESCRIPTION("Kernel driver tour: a misc device of random bytes");
MODULE_LICENSE("GPL");
