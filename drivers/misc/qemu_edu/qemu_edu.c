// SPDX-License-Identifier: GPL-2.0-only
/*
 * A driver for QEMU's educational PCI device, "edu" (qemu -device edu).
 *
 * The device (PCI 1234:11e8, hw/misc/edu.c in QEMU) is a teaching device with
 * real PCI behaviour: a 1 MiB memory BAR of registers, an interrupt that is
 * INTx or one MSI vector, and a DMA engine that moves data between a 4 KiB
 * buffer inside the device and the guest's memory. It computes factorials
 * too. The registers (BAR0; 32-bit accesses below 0x80, 32 or 64-bit from
 * 0x80 on) are:
 *
 *	0x00 identification, 0xRRrr00ed: major and minor version, then 0x00ed
 *	0x04 liveness check: reads back the bitwise inverse of what was written
 *	0x08 factorial: a write of N starts computing N! (modulo 2^32) in a
 *	     thread of QEMU's, ignored while one is running; a read gives it
 *	0x20 status: 0x01 computing (read only), 0x80 interrupt when done
 *	0x24 interrupt status: 0x001 factorial done, 0x100 DMA done
 *	0x60 interrupt raise: ORs its bits into the interrupt status
 *	0x64 interrupt acknowledge: clears its bits from the interrupt status
 *	0x80 DMA source, 0x88 DMA destination, 0x90 DMA count (64-bit)
 *	0x98 DMA command: 0x1 start, 0x2 device to RAM (else RAM to device),
 *	     0x4 interrupt when done; the transfer ends 100 ms after the start
 *
 * The device's side of a transfer is given as 0x40000 plus the offset in its
 * buffer, the RAM's side as a bus address, which the device masks to 28 bits:
 * the driver sets a 28-bit DMA mask and gets a coherent buffer of 4 KiB, at a
 * bus address below 256 MiB, that mirrors the device's. Behind an IOMMU that
 * address is an I/O virtual one, and the RAM may lie anywhere.
 *
 * QEMU 7.2 aborts (hw_error()) on a transfer of length 0 or one that reaches
 * the last byte of the device's buffer: its range check wants the end to lie
 * strictly inside the buffer. So this driver uses bytes 0 to 4094 only and
 * checks every transfer against that, in qemu_edu_dma_check(), before it
 * writes any DMA register. A guest must never be able to crash its host's
 * QEMU process.
 *
 * Each device gets, through probe:
 *	/dev/qemu_eduN	a misc device, N from an ida. read() and write() at
 *			a file position move data through the device's buffer:
 *			a write copies into the coherent buffer, then the
 *			device fetches it by DMA; a read has the device store
 *			its buffer by DMA, then copies out. The file is 4095
 *			bytes long: reads stop there (end of file), writes
 *			that begin there fail with -EFBIG, writes across it
 *			are short, lseek() beyond it fails with -EINVAL, and
 *			lseek(fd, 0, SEEK_END) gives the size. Any
 *			offset and length are fine, aligned or not. Zero bytes
 *			are zero bytes, without DMA. The ioctl
 *			QEMU_EDU_IOC_FACTORIAL (include/uapi/misc/qemu_edu.h)
 *			computes one factorial and returns it.
 *	factorial	(sysfs, on the PCI device) writing N computes N!;
 *			reading gives the result of the last computation, by
 *			anyone (the probe's 0! leaves 1). N is decimal, 0 to
 *			QEMU_EDU_FACT_MAX, anything else is -EINVAL.
 *	liveness	(sysfs) writing a 32-bit number (decimal, 0x hex or 0
 *			octal) stores it in register 0x04; reading shows the
 *			register in hex: the inverse of the last write.
 *	id		(sysfs) the identification register, in hex.
 *
 * One operation at a time runs on a device, under a mutex that users wait for
 * interruptibly. Operations sleep on the device's interrupt with a timeout
 * (-ETIMEDOUT), never poll. The handler reads the interrupt status, writes
 * back what it found to 0x64 (on INTx the line drops only when the status is
 * zero) and completes the waiter. A waiter only ends when its interrupt bit
 * was seen *and* the device is idle, so that a late interrupt of an
 * operation that timed out cannot end the next one early; and an operation
 * does not start while the device is still busy (-EBUSY).
 *
 * Removal (unbind, module unload, hot unplug) is safe with files open and
 * operations running. The state is reference counted: each open file holds
 * a reference, and so does the bound device until the last of its managed
 * resources is gone. remove() first deregisters the misc device, then takes
 * the mutex, which waits for the operation in progress, waits for the device
 * to go idle, turns bus mastering off and marks the state removed: later
 * transfers and ioctls of open files fail with -ENODEV and never touch the
 * registers or the DMA buffer, which the managed resources free after
 * remove() returns. (Zero-length calls, and calls at or past the end, still
 * return 0 or -EFBIG: they touch nothing.) The sysfs files go before
 * remove() is called, once the writes in them are done. The user's memory
 * is copied out of the mutex, through a bounce buffer, so that a page fault
 * that never ends cannot hold remove() up.
 *
 * Try it (QEMU with -device edu, once or more):
 *	modprobe qemu_edu
 *	echo 10 > /sys/bus/pci/drivers/qemu_edu/0000:00:04.0/factorial
 *	cat /sys/bus/pci/drivers/qemu_edu/0000:00:04.0/factorial
 *	echo hello > /dev/qemu_edu0; head -c 5 /dev/qemu_edu0
 */

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/iopoll.h>
#include <linux/jiffies.h>
#include <linux/kref.h>
#include <linux/kstrtox.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include <uapi/misc/qemu_edu.h>

/* pci_ids.h has neither QEMU's vendor ID nor the edu device's. */
#define PCI_VENDOR_ID_QEMU		0x1234
#define PCI_DEVICE_ID_QEMU_EDU		0x11e8

/* The registers, as offsets in BAR0. */
#define QEMU_EDU_REG_ID			0x00
#define QEMU_EDU_REG_LIVENESS		0x04
#define QEMU_EDU_REG_FACT		0x08
#define QEMU_EDU_REG_STATUS		0x20
#define QEMU_EDU_REG_IRQ_STATUS		0x24
#define QEMU_EDU_REG_IRQ_RAISE		0x60
#define QEMU_EDU_REG_IRQ_ACK		0x64
#define QEMU_EDU_REG_DMA_SRC		0x80
#define QEMU_EDU_REG_DMA_DST		0x88
#define QEMU_EDU_REG_DMA_COUNT		0x90
#define QEMU_EDU_REG_DMA_CMD		0x98
/* All registers lie in the first 256 bytes of the BAR. */
#define QEMU_EDU_REGS_SIZE		0x100
/* Registers from here on take 64-bit accesses; those below, 32-bit only. */
#define QEMU_EDU_REG_64BIT		0x80

/* The low half of the identification register. */
#define QEMU_EDU_ID_MASK		0xffff
#define QEMU_EDU_ID_MAGIC		0x00ed

/* The bits of the status register. */
#define QEMU_EDU_STATUS_BUSY		BIT(0)
#define QEMU_EDU_STATUS_IRQ_FACT	BIT(7)

/* The bits of the interrupt status, raise and acknowledge registers. */
#define QEMU_EDU_IRQ_FACT		BIT(0)
#define QEMU_EDU_IRQ_DMA		BIT(8)

/* The bits of the DMA command register. */
#define QEMU_EDU_DMA_START		BIT(0)
#define QEMU_EDU_DMA_TO_RAM		BIT(1)
#define QEMU_EDU_DMA_IRQ		BIT(2)

/* The device's buffer, at this device address. */
#define QEMU_EDU_DMA_BASE		0x40000
#define QEMU_EDU_DMA_BUF_SIZE		SZ_4K
/*
 * The part of it the driver uses, the size of /dev/qemu_eduN: all but the
 * last byte, as QEMU 7.2's edu_check_range() aborts on a transfer that
 * reaches it (see above). Not ABI: user space asks lseek(SEEK_END).
 */
#define QEMU_EDU_DMA_SIZE		(QEMU_EDU_DMA_BUF_SIZE - 1)
/* The device masks its RAM addresses to 28 bits. */
#define QEMU_EDU_DMA_BITS		28

/* How long an operation waits for its interrupt; a transfer takes 100 ms. */
#define QEMU_EDU_TIMEOUT_MS		5000
/* How often remove() looks whether the device is idle. */
#define QEMU_EDU_POLL_US		10000

/*
 * The register map, checked at build time: every register inside the block,
 * aligned to its width; 64-bit ones from QEMU_EDU_REG_64BIT on.
 */
static_assert(QEMU_EDU_REG_IRQ_ACK + sizeof(u32) <= QEMU_EDU_REG_64BIT);
static_assert(QEMU_EDU_REG_DMA_SRC >= QEMU_EDU_REG_64BIT);
static_assert(IS_ALIGNED(QEMU_EDU_REG_DMA_SRC | QEMU_EDU_REG_DMA_DST |
			 QEMU_EDU_REG_DMA_COUNT | QEMU_EDU_REG_DMA_CMD,
			 sizeof(u64)));
static_assert(QEMU_EDU_REG_DMA_CMD + sizeof(u64) <= QEMU_EDU_REGS_SIZE);

/* The liveness check's patterns, whose inverses the device must give back. */
static const u32 qemu_edu_patterns[] = { 0x5a5aa5a5, 0x12345678 };

/* The numbers of /dev/qemu_eduN. */
static DEFINE_IDA(qemu_edu_ida);

/**
 * struct qemu_edu - the state of one edu device
 * @ref: one reference for the bound device (dropped by its last managed
 *	resource) and one for each open file
 * @pdev: the PCI device
 * @regs: the registers (BAR0); used only under @lock while !@removed, and by
 *	the interrupt handler, which is freed before they are unmapped
 * @buf: the coherent DMA buffer, the RAM side of each transfer; same rules
 * @buf_dma: its bus address
 * @irq: the Linux interrupt number of the device's vector
 * @timeout: how long an operation waits for its interrupt, in jiffies
 * @lock: one operation at a time on the device; protects @removed and
 *	@fact_result
 * @removed: the device is gone: operations fail with -ENODEV
 * @done: completed by the interrupt handler
 * @irq_seen: the interrupt status bits that the handler acknowledged and no
 *	waiter has consumed yet
 * @fact_result: the result of the last factorial computed
 * @id: the N of /dev/qemu_eduN, from qemu_edu_ida, or -1
 * @name: "qemu_eduN", the misc device's and the interrupt's name; N is an
 *	int from the ida, of at most 10 digits
 * @misc: the misc device
 */
struct qemu_edu {
	struct kref ref;
	struct pci_dev *pdev;
	void __iomem *regs;
	void *buf;
	dma_addr_t buf_dma;
	unsigned int irq;
	unsigned long timeout;
	struct mutex lock;	/* one operation at a time; protects removed */
	bool removed;
	struct completion done;
	atomic_t irq_seen;
	u32 fact_result;
	int id;
	char name[sizeof(KBUILD_MODNAME) + 10];
	struct miscdevice misc;
};

static struct qemu_edu *qemu_edu_alloc(void)
{
	struct qemu_edu *edu;

	edu = kzalloc_obj(*edu);
	if (!edu)
		return NULL;
	kref_init(&edu->ref);
	mutex_init(&edu->lock);
	init_completion(&edu->done);
	atomic_set(&edu->irq_seen, 0);
	edu->timeout = msecs_to_jiffies(QEMU_EDU_TIMEOUT_MS);
	edu->id = -1;
	return edu;
}

static void qemu_edu_release(struct kref *ref)
{
	struct qemu_edu *edu = container_of(ref, struct qemu_edu, ref);

	mutex_destroy(&edu->lock);
	kfree(edu);
}

static void qemu_edu_put(struct qemu_edu *edu)
{
	kref_put(&edu->ref, qemu_edu_release);
}

static u32 qemu_edu_read32(struct qemu_edu *edu, unsigned int reg)
{
	return readl(edu->regs + reg);
}

static void qemu_edu_write32(struct qemu_edu *edu, unsigned int reg, u32 val)
{
	writel(val, edu->regs + reg);
}

/* On 32-bit machines, two 32-bit writes: the device ignores the high one. */
static void qemu_edu_write64(struct qemu_edu *edu, unsigned int reg, u64 val)
{
	writeq(val, edu->regs + reg);
}

/* Whether @id is the identification register of an edu device. */
static bool qemu_edu_id_ok(u32 id)
{
	return (id & QEMU_EDU_ID_MASK) == QEMU_EDU_ID_MAGIC;
}

/*
 * Check that the registers belong to a working edu device: the right
 * identification, and a liveness register that inverts what it is given.
 */
static int qemu_edu_check(struct qemu_edu *edu)
{
	unsigned int i;
	u32 got;

	if (!qemu_edu_id_ok(qemu_edu_read32(edu, QEMU_EDU_REG_ID)))
		return -ENODEV;
	for (i = 0; i < ARRAY_SIZE(qemu_edu_patterns); i++) {
		qemu_edu_write32(edu, QEMU_EDU_REG_LIVENESS,
				 qemu_edu_patterns[i]);
		got = qemu_edu_read32(edu, QEMU_EDU_REG_LIVENESS);
		if (got != ~qemu_edu_patterns[i])
			return -ENODEV;
	}
	return 0;
}

/*
 * Whether the device still works on what @irq_bit will signal the end of.
 * A device that is gone (surprise removal) reads all ones: it is not busy,
 * there is nothing left to wait for.
 */
static bool qemu_edu_busy(struct qemu_edu *edu, u32 irq_bit)
{
	u32 val;

	if (irq_bit == QEMU_EDU_IRQ_FACT)
		val = qemu_edu_read32(edu, QEMU_EDU_REG_STATUS) &
		      QEMU_EDU_STATUS_BUSY;
	else
		val = qemu_edu_read32(edu, QEMU_EDU_REG_DMA_CMD) &
		      QEMU_EDU_DMA_START;
	return val && qemu_edu_read32(edu, QEMU_EDU_REG_ID) != ~0U;
}

/*
 * Hard interrupt context. On INTx the line may be shared: a zero status is
 * another device's interrupt (and all ones, a device that is gone). Every
 * bit found is acknowledged, known or not (0x60 can raise any), or the INTx
 * line would stay asserted.
 */
static irqreturn_t qemu_edu_irq(int irq, void *data)
{
	struct qemu_edu *edu = data;
	u32 status;

	status = qemu_edu_read32(edu, QEMU_EDU_REG_IRQ_STATUS);
	if (!status || status == ~0U)
		return IRQ_NONE;
	qemu_edu_write32(edu, QEMU_EDU_REG_IRQ_ACK, status);
	atomic_or(status, &edu->irq_seen);
	complete(&edu->done);
	return IRQ_HANDLED;
}

/*
 * Get ready to wait for @irq_bit: forget an earlier one. A late complete()
 * of an operation that timed out can still land after reinit_completion():
 * @done only wakes qemu_edu_wait(), which ends on the device's own state.
 */
static void qemu_edu_arm(struct qemu_edu *edu, u32 irq_bit)
{
	atomic_andnot(irq_bit, &edu->irq_seen);
	reinit_completion(&edu->done);
}

/*
 * Wait for the interrupt of the operation started after qemu_edu_arm(). An
 * interrupt while the device is busy is a late one, of an operation that
 * timed out: keep waiting. Not interruptible, so that no operation is left
 * half done while the device still works on it.
 */
static int qemu_edu_wait(struct qemu_edu *edu, u32 irq_bit)
{
	unsigned long left = edu->timeout;

	while (left) {
		left = wait_for_completion_timeout(&edu->done, left);
		if ((atomic_fetch_andnot(irq_bit, &edu->irq_seen) & irq_bit) &&
		    !qemu_edu_busy(edu, irq_bit))
			return 0;
	}
	return -ETIMEDOUT;
}

/* Take the device for one operation: -ENODEV once it is gone. */
static int qemu_edu_begin(struct qemu_edu *edu)
{
	if (mutex_lock_interruptible(&edu->lock))
		return -ERESTARTSYS;
	if (edu->removed) {
		mutex_unlock(&edu->lock);
		return -ENODEV;
	}
	return 0;
}

static void qemu_edu_end(struct qemu_edu *edu)
{
	mutex_unlock(&edu->lock);
}

/* Start computing @n! with an interrupt at the end. */
static int qemu_edu_fact_start(struct qemu_edu *edu, u32 n)
{
	lockdep_assert_held(&edu->lock);

	/* A write to 0x08 while busy would be ignored. */
	if (qemu_edu_busy(edu, QEMU_EDU_IRQ_FACT))
		return -EBUSY;
	qemu_edu_arm(edu, QEMU_EDU_IRQ_FACT);
	qemu_edu_write32(edu, QEMU_EDU_REG_STATUS, QEMU_EDU_STATUS_IRQ_FACT);
	qemu_edu_write32(edu, QEMU_EDU_REG_FACT, n);
	return 0;
}

/* Wait for the factorial started and record its result. */
static int qemu_edu_fact_finish(struct qemu_edu *edu, u32 *result)
{
	int ret;

	lockdep_assert_held(&edu->lock);

	ret = qemu_edu_wait(edu, QEMU_EDU_IRQ_FACT);
	if (ret)
		return ret;
	*result = qemu_edu_read32(edu, QEMU_EDU_REG_FACT);
	edu->fact_result = *result;
	return 0;
}

static int qemu_edu_factorial_locked(struct qemu_edu *edu, u32 n, u32 *result)
{
	int ret;

	ret = qemu_edu_fact_start(edu, n);
	if (ret)
		return ret;
	return qemu_edu_fact_finish(edu, result);
}

/* Compute @n! on the device: what the sysfs file and the ioctl do. */
static int qemu_edu_factorial(struct qemu_edu *edu, u32 n, u32 *result)
{
	int ret;

	if (n > QEMU_EDU_FACT_MAX)
		return -EINVAL;
	ret = qemu_edu_begin(edu);
	if (ret)
		return ret;
	ret = qemu_edu_factorial_locked(edu, n, result);
	qemu_edu_end(edu);
	return ret;
}

/*
 * Whether a transfer of @len bytes at offset @off of the device's buffer is
 * one that QEMU 7.2 survives: not empty, and ending before the buffer's last
 * byte (its edu_check_range() wants off + len < 4096, and calls hw_error(),
 * which aborts QEMU, otherwise). Every transfer passes here first.
 */
static int qemu_edu_dma_check(u64 off, u64 len)
{
	if (!len || off >= QEMU_EDU_DMA_SIZE || len > QEMU_EDU_DMA_SIZE - off)
		return -EINVAL;
	return 0;
}

/*
 * Start a transfer of @len bytes between offset @off of the device's buffer
 * and the same offset of the coherent buffer, into RAM if @to_ram.
 */
static int qemu_edu_dma_start(struct qemu_edu *edu, u32 off, u32 len,
			      bool to_ram)
{
	u64 dev = QEMU_EDU_DMA_BASE + off;
	u64 ram = edu->buf_dma + off;
	u32 cmd = QEMU_EDU_DMA_START | QEMU_EDU_DMA_IRQ;
	int ret;

	lockdep_assert_held(&edu->lock);

	ret = qemu_edu_dma_check(off, len);
	if (ret)
		return ret;
	/* The device ignores DMA register writes while it transfers. */
	if (qemu_edu_busy(edu, QEMU_EDU_IRQ_DMA))
		return -EBUSY;
	if (to_ram)
		cmd |= QEMU_EDU_DMA_TO_RAM;
	qemu_edu_arm(edu, QEMU_EDU_IRQ_DMA);
	/* writel() orders the buffer's contents before the start. */
	qemu_edu_write64(edu, QEMU_EDU_REG_DMA_SRC, to_ram ? dev : ram);
	qemu_edu_write64(edu, QEMU_EDU_REG_DMA_DST, to_ram ? ram : dev);
	qemu_edu_write64(edu, QEMU_EDU_REG_DMA_COUNT, len);
	qemu_edu_write64(edu, QEMU_EDU_REG_DMA_CMD, cmd);
	return 0;
}

static int qemu_edu_dma(struct qemu_edu *edu, u32 off, u32 len, bool to_ram)
{
	int ret;

	ret = qemu_edu_dma_start(edu, off, len, to_ram);
	if (ret)
		return ret;
	return qemu_edu_wait(edu, QEMU_EDU_IRQ_DMA);
}

/*
 * The bytes a read (!@write) or write of @count at @pos moves: 0 for none
 * (nothing asked, or a read at the end), fewer than @count across the end,
 * -EFBIG for a write that begins at or past the end. (The VFS refuses a
 * negative @pos before the driver sees it.)
 */
static ssize_t qemu_edu_io_len(loff_t pos, size_t count, bool write)
{
	if (!count)
		return 0;
	if (pos >= QEMU_EDU_DMA_SIZE)
		return write ? -EFBIG : 0;
	return min_t(size_t, count, QEMU_EDU_DMA_SIZE - pos);
}

/*
 * Read from the device's buffer at @pos into @to, through DMA. The user's
 * memory is touched out of the lock, through a bounce buffer: a page fault
 * that never ends (userfaultfd, FUSE) must not keep remove() waiting.
 */
static ssize_t qemu_edu_read_at(struct qemu_edu *edu, loff_t pos,
				struct iov_iter *to)
{
	ssize_t len, ret;
	void *bounce;

	len = qemu_edu_io_len(pos, iov_iter_count(to), false);
	if (len <= 0)
		return len;
	bounce = kmalloc(len, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	ret = qemu_edu_begin(edu);
	if (ret)
		goto out;
	ret = qemu_edu_dma(edu, pos, len, true);
	if (!ret)
		memcpy(bounce, edu->buf + pos, len);
	qemu_edu_end(edu);
	if (!ret) {
		ret = copy_to_iter(bounce, len, to);
		if (!ret)
			ret = -EFAULT;
	}
out:
	kfree(bounce);
	return ret;
}

/* Write @from into the device's buffer at @pos, through DMA and a bounce. */
static ssize_t qemu_edu_write_at(struct qemu_edu *edu, loff_t pos,
				 struct iov_iter *from)
{
	ssize_t len, ret;
	void *bounce;

	len = qemu_edu_io_len(pos, iov_iter_count(from), true);
	if (len <= 0)
		return len;
	bounce = kmalloc(len, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	if (!copy_from_iter_full(bounce, len, from)) {
		ret = -EFAULT;
		goto out;
	}
	ret = qemu_edu_begin(edu);
	if (ret)
		goto out;
	/* Not into a buffer that a transfer which timed out may still fill. */
	if (qemu_edu_busy(edu, QEMU_EDU_IRQ_DMA)) {
		ret = -EBUSY;
	} else {
		memcpy(edu->buf + pos, bounce, len);
		ret = qemu_edu_dma(edu, pos, len, false);
	}
	qemu_edu_end(edu);
out:
	kfree(bounce);
	return ret ? ret : len;
}

static int qemu_edu_open(struct inode *inode, struct file *file)
{
	/*
	 * misc_open() left the miscdevice here and holds misc_mtx, which
	 * misc_deregister() takes: the device's reference is still there.
	 */
	struct qemu_edu *edu = container_of(file->private_data,
					    struct qemu_edu, misc);

	kref_get(&edu->ref);
	file->private_data = edu;
	return 0;
}

static int qemu_edu_release_file(struct inode *inode, struct file *file)
{
	qemu_edu_put(file->private_data);
	return 0;
}

static ssize_t qemu_edu_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	ssize_t ret;

	ret = qemu_edu_read_at(iocb->ki_filp->private_data, iocb->ki_pos, to);
	if (ret > 0)
		iocb->ki_pos += ret;
	return ret;
}

static ssize_t qemu_edu_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	ssize_t ret;

	ret = qemu_edu_write_at(iocb->ki_filp->private_data, iocb->ki_pos,
				from);
	if (ret > 0)
		iocb->ki_pos += ret;
	return ret;
}

/* Offsets 0 to QEMU_EDU_DMA_SIZE; SEEK_END is QEMU_EDU_DMA_SIZE. */
static loff_t qemu_edu_llseek(struct file *file, loff_t offset, int whence)
{
	return generic_file_llseek_size(file, offset, whence,
					QEMU_EDU_DMA_SIZE, QEMU_EDU_DMA_SIZE);
}

static long qemu_edu_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct qemu_edu_factorial __user *uarg = (void __user *)arg;
	struct qemu_edu *edu = file->private_data;
	struct qemu_edu_factorial fact;
	int ret;

	switch (cmd) {
	case QEMU_EDU_IOC_FACTORIAL:
		if (copy_from_user(&fact, uarg, sizeof(fact)))
			return -EFAULT;
		ret = qemu_edu_factorial(edu, fact.n, &fact.result);
		if (ret)
			return ret;
		return copy_to_user(uarg, &fact, sizeof(fact)) ? -EFAULT : 0;
	default:
		return -ENOTTY;
	}
}

static const struct file_operations qemu_edu_fops = {
	.owner = THIS_MODULE,
	.open = qemu_edu_open,
	.release = qemu_edu_release_file,
	.read_iter = qemu_edu_read_iter,
	.write_iter = qemu_edu_write_iter,
	.llseek = qemu_edu_llseek,
	.unlocked_ioctl = qemu_edu_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

/* Parse the N written to the factorial file: decimal, one newline after. */
static int qemu_edu_parse_n(const char *buf, u32 *n)
{
	/* Any error, -ERANGE too, is bad input: -EINVAL. */
	if (kstrtou32(buf, 10, n) || *n > QEMU_EDU_FACT_MAX)
		return -EINVAL;
	return 0;
}

static ssize_t factorial_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	struct qemu_edu *edu = dev_get_drvdata(dev);
	u32 result;

	if (mutex_lock_interruptible(&edu->lock))
		return -ERESTARTSYS;
	result = edu->fact_result;
	mutex_unlock(&edu->lock);
	return sysfs_emit(buf, "%u\n", result);
}

static ssize_t factorial_store(struct device *dev,
			       struct device_attribute *attr, const char *buf,
			       size_t count)
{
	struct qemu_edu *edu = dev_get_drvdata(dev);
	u32 n, result;
	int ret;

	ret = qemu_edu_parse_n(buf, &n);
	if (ret)
		return ret;
	ret = qemu_edu_factorial(edu, n, &result);
	return ret ? ret : count;
}
static DEVICE_ATTR_RW(factorial);

static ssize_t liveness_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct qemu_edu *edu = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%#010x\n",
			  qemu_edu_read32(edu, QEMU_EDU_REG_LIVENESS));
}

static ssize_t liveness_store(struct device *dev,
			      struct device_attribute *attr, const char *buf,
			      size_t count)
{
	struct qemu_edu *edu = dev_get_drvdata(dev);
	u32 val;
	int ret;

	if (kstrtou32(buf, 0, &val))
		return -EINVAL;
	ret = qemu_edu_begin(edu);
	if (ret)
		return ret;
	qemu_edu_write32(edu, QEMU_EDU_REG_LIVENESS, val);
	qemu_edu_end(edu);
	return count;
}
static DEVICE_ATTR_RW(liveness);

static ssize_t id_show(struct device *dev, struct device_attribute *attr,
		       char *buf)
{
	struct qemu_edu *edu = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%#010x\n",
			  qemu_edu_read32(edu, QEMU_EDU_REG_ID));
}
static DEVICE_ATTR_RO(id);

static struct attribute *qemu_edu_attrs[] = {
	&dev_attr_factorial.attr,
	&dev_attr_liveness.attr,
	&dev_attr_id.attr,
	NULL
};
ATTRIBUTE_GROUPS(qemu_edu);

/*
 * Leave the device with no interrupt to come: no factorial interrupt, no
 * computation or transfer running (for up to the timeout), no interrupt
 * status bit set. For probe, after whatever ran before, and for remove().
 * Return -ETIMEDOUT if the device stayed busy.
 */
static int qemu_edu_quiesce(struct qemu_edu *edu)
{
	int fact, dma;
	bool busy;

	qemu_edu_write32(edu, QEMU_EDU_REG_STATUS, 0);
	fact = read_poll_timeout(qemu_edu_busy, busy, !busy, QEMU_EDU_POLL_US,
				 QEMU_EDU_TIMEOUT_MS * USEC_PER_MSEC, false,
				 edu, QEMU_EDU_IRQ_FACT);
	dma = read_poll_timeout(qemu_edu_busy, busy, !busy, QEMU_EDU_POLL_US,
				QEMU_EDU_TIMEOUT_MS * USEC_PER_MSEC, false,
				edu, QEMU_EDU_IRQ_DMA);
	qemu_edu_write32(edu, QEMU_EDU_REG_IRQ_ACK,
			 qemu_edu_read32(edu, QEMU_EDU_REG_IRQ_STATUS));
	return fact ?: dma;
}

/* Managed actions, undone after remove() in the reverse order of probe. */
static void qemu_edu_put_action(void *data)
{
	qemu_edu_put(data);
}

static void qemu_edu_ida_free(void *data)
{
	struct qemu_edu *edu = data;

	ida_free(&qemu_edu_ida, edu->id);
}

/* Map BAR0 and check that the device behind it is an edu that works. */
static int qemu_edu_map(struct qemu_edu *edu)
{
	struct pci_dev *pdev = edu->pdev;
	struct device *dev = &pdev->dev;
	int ret;

	if (!(pci_resource_flags(pdev, 0) & IORESOURCE_MEM) ||
	    pci_resource_len(pdev, 0) < QEMU_EDU_REGS_SIZE)
		return dev_err_probe(dev, -ENODEV, "BAR0 is not the registers\n");
	edu->regs = pcim_iomap_region(pdev, 0, KBUILD_MODNAME);
	if (IS_ERR(edu->regs))
		return dev_err_probe(dev, PTR_ERR(edu->regs),
				     "cannot map BAR0\n");
	ret = qemu_edu_check(edu);
	if (ret)
		return dev_err_probe(dev, ret,
				     "no working edu device: id %#010x\n",
				     qemu_edu_read32(edu, QEMU_EDU_REG_ID));
	return 0;
}

/* DMA: a 28-bit mask, bus mastering and the buffer that mirrors the device's. */
static int qemu_edu_setup_dma(struct qemu_edu *edu)
{
	struct device *dev = &edu->pdev->dev;
	int ret;

	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(QEMU_EDU_DMA_BITS));
	if (ret)
		return dev_err_probe(dev, ret, "no 28-bit DMA\n");
	pci_set_master(edu->pdev);
	edu->buf = dmam_alloc_coherent(dev, QEMU_EDU_DMA_BUF_SIZE,
				       &edu->buf_dma, GFP_KERNEL);
	if (!edu->buf)
		return -ENOMEM;
	return 0;
}

/* One vector, MSI if it can be had, else the INTx line, which is shared. */
static int qemu_edu_setup_irq(struct qemu_edu *edu)
{
	struct pci_dev *pdev = edu->pdev;
	struct device *dev = &pdev->dev;
	int ret;

	/* pcim_enable_device() made the vectors managed: freed at unbind. */
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI | PCI_IRQ_INTX);
	if (ret < 0)
		return dev_err_probe(dev, ret, "no interrupt vector\n");
	edu->irq = pci_irq_vector(pdev, 0);
	ret = devm_request_irq(dev, edu->irq, qemu_edu_irq,
			       pdev->msi_enabled ? 0 : IRQF_SHARED, edu->name,
			       edu);
	if (ret)
		return dev_err_probe(dev, ret, "cannot request IRQ %u\n",
				     edu->irq);
	return 0;
}

/* 0! through the interrupt: the vector works, and factorial reads 1. */
static int qemu_edu_check_irq(struct qemu_edu *edu)
{
	u32 result;
	int ret;

	/* Not interruptible: a signal to the prober is no reason to fail. */
	mutex_lock(&edu->lock);
	ret = qemu_edu_factorial_locked(edu, 0, &result);
	mutex_unlock(&edu->lock);
	if (!ret && result != 1)
		ret = -EIO;
	if (ret)
		return dev_err_probe(&edu->pdev->dev, ret,
				     "the factorial interrupt does not work\n");
	return 0;
}

static int qemu_edu_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	struct device *dev = &pdev->dev;
	struct qemu_edu *edu;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;

	edu = qemu_edu_alloc();
	if (!edu)
		return -ENOMEM;
	ret = devm_add_action_or_reset(dev, qemu_edu_put_action, edu);
	if (ret)
		return ret;
	edu->pdev = pdev;
	pci_set_drvdata(pdev, edu);

	edu->id = ida_alloc(&qemu_edu_ida, GFP_KERNEL);
	if (edu->id < 0)
		return edu->id;
	ret = devm_add_action_or_reset(dev, qemu_edu_ida_free, edu);
	if (ret)
		return ret;
	snprintf(edu->name, sizeof(edu->name), KBUILD_MODNAME "%d", edu->id);

	ret = qemu_edu_map(edu);
	if (ret)
		return ret;
	/* Whatever ran before, stopped before bus mastering is turned on. */
	ret = qemu_edu_quiesce(edu);
	if (ret)
		return dev_err_probe(dev, ret, "the device stays busy\n");
	ret = qemu_edu_setup_dma(edu);
	if (ret)
		return ret;
	ret = qemu_edu_setup_irq(edu);
	if (ret)
		return ret;
	ret = qemu_edu_check_irq(edu);
	if (ret)
		return ret;

	/* Last: once registered, the device can be opened. */
	edu->misc.minor = MISC_DYNAMIC_MINOR;
	edu->misc.name = edu->name;
	edu->misc.fops = &qemu_edu_fops;
	edu->misc.parent = dev;
	edu->misc.mode = 0600;
	ret = misc_register(&edu->misc);
	if (ret)
		return dev_err_probe(dev, ret, "cannot register /dev/%s\n",
				     edu->name);

	dev_info(dev, "edu %u.%u, %s interrupt, /dev/%s\n",
		 qemu_edu_read32(edu, QEMU_EDU_REG_ID) >> 24,
		 (qemu_edu_read32(edu, QEMU_EDU_REG_ID) >> 16) & 0xff,
		 pdev->msi_enabled ? "MSI" : "INTx", edu->name);
	return 0;
}

/*
 * No new opens once misc_deregister() returns. The mutex waits for the
 * operation in progress; open files find the device removed after it. Bus
 * mastering goes off before the buffer is freed, even if a transfer never
 * ended. The managed resources (interrupt, vectors, buffer, mapping,
 * number, the device's reference) go after this returns, in reverse order.
 */
static void qemu_edu_remove(struct pci_dev *pdev)
{
	struct qemu_edu *edu = pci_get_drvdata(pdev);

	misc_deregister(&edu->misc);
	mutex_lock(&edu->lock);
	edu->removed = true;
	if (qemu_edu_quiesce(edu))
		dev_warn(&pdev->dev, "the device stayed busy\n");
	pci_clear_master(pdev);
	mutex_unlock(&edu->lock);
}

static const struct pci_device_id qemu_edu_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_QEMU, PCI_DEVICE_ID_QEMU_EDU) },
	{ }
};
MODULE_DEVICE_TABLE(pci, qemu_edu_ids);

static struct pci_driver qemu_edu_driver = {
	.name = KBUILD_MODNAME,
	.id_table = qemu_edu_ids,
	.probe = qemu_edu_probe,
	.remove = qemu_edu_remove,
	.dev_groups = qemu_edu_groups,
};
module_pci_driver(qemu_edu_driver);

/* The KUnit tests, against a register block in memory that plays the device. */
#if IS_ENABLED(CONFIG_QEMU_EDU_KUNIT_TEST)
#include "qemu_edu_test.c"
#endif

MODULE_AUTHOR("Kernel Driver Tour <kdt@example.org>");
MODULE_DESCRIPTION("Driver for QEMU's educational PCI device (edu)");
MODULE_LICENSE("GPL");
