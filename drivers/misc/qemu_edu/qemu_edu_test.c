// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the edu driver, included by qemu_edu.c so that they can call
 * its static functions. No device is needed: each test gives a state of its
 * own a register block in memory (256 bytes of kzalloc'd memory that the
 * driver's readl() and writel() reach as if it were BAR0) and a DMA buffer
 * at a made-up bus address, and then plays the device itself: it sets the
 * interrupt status and the result registers, and calls the interrupt handler
 * as the interrupt would. Memory does not behave like the device (the
 * liveness register does not invert, an acknowledge does not clear), which
 * the tests use to see what the driver wrote. That needs readl() and
 * writel() to be plain loads and stores, which they are not on UML (its
 * logic_iomem warns and reads all ones) or s390 (PCI instructions): Kconfig
 * keeps the tests off both.
 *
 * The file tests run a simulated DMA engine in a kthread that watches the
 * command register, copies between the two buffers, checks every transfer
 * against QEMU 7.2's range check and raises the interrupt, late ones too.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>

/* The bus address the tests' DMA buffers pretend to have. */
#define QEMU_EDU_TEST_BUS	0x100000
/* A short timeout for the tests that wait for an interrupt in vain. */
#define QEMU_EDU_TEST_TIMEOUT	2
/* A value the driver never writes to the acknowledge register. */
#define QEMU_EDU_TEST_NO_ACK	0xdeadbeef

/**
 * struct qemu_edu_sim - a simulated DMA engine
 * @edu: the state whose registers it watches
 * @mem: the device's buffer
 * @task: the kthread that runs it
 * @late: before each transfer, raise an interrupt while still busy, as
 *	the late interrupt of an earlier transfer that timed out would
 * @transfers: the transfers done
 * @bad: the transfers that QEMU 7.2 would have aborted on
 */
struct qemu_edu_sim {
	struct qemu_edu *edu;
	u8 mem[QEMU_EDU_DMA_BUF_SIZE];
	struct task_struct *task;
	bool late;
	atomic_t transfers;
	atomic_t bad;
};

static void qemu_edu_test_put(void *data)
{
	qemu_edu_put(data);
}

static u32 qemu_edu_test_rd(struct qemu_edu *edu, unsigned int reg)
{
	return readl(edu->regs + reg);
}

static u64 qemu_edu_test_rd64(struct qemu_edu *edu, unsigned int reg)
{
	return readq(edu->regs + reg);
}

static void qemu_edu_test_wr(struct qemu_edu *edu, unsigned int reg, u32 val)
{
	writel(val, edu->regs + reg);
}

/* A state with registers in memory, an idle edu 1.0, and a DMA buffer. */
static struct qemu_edu *qemu_edu_test_new(struct kunit *test)
{
	struct qemu_edu *edu;
	void *regs;
	int ret;

	edu = qemu_edu_alloc();
	KUNIT_ASSERT_NOT_NULL(test, edu);
	ret = kunit_add_action_or_reset(test, qemu_edu_test_put, edu);
	KUNIT_ASSERT_EQ(test, ret, 0);
	regs = kunit_kzalloc(test, QEMU_EDU_REGS_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, regs);
	edu->regs = (__force void __iomem *)regs;
	edu->buf = kunit_kzalloc(test, QEMU_EDU_DMA_BUF_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, edu->buf);
	edu->buf_dma = QEMU_EDU_TEST_BUS;
	qemu_edu_test_wr(edu, QEMU_EDU_REG_ID, 0x010000ed);
	qemu_edu_test_wr(edu, QEMU_EDU_REG_IRQ_ACK, QEMU_EDU_TEST_NO_ACK);
	return edu;
}

/* The device raises @bits: the interrupt arrives, the handler runs. */
static irqreturn_t qemu_edu_test_raise(struct qemu_edu *edu, u32 bits)
{
	qemu_edu_test_wr(edu, QEMU_EDU_REG_IRQ_STATUS, bits);
	return qemu_edu_irq(0, edu);
}

/* n! modulo 2^32, as the device computes it. */
static u32 qemu_edu_test_fact(u32 n)
{
	u32 r = 1;

	while (n > 0)
		r *= n--;
	return r;
}

static void qemu_edu_test_ids(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, qemu_edu_id_ok(0x010000ed));
	KUNIT_EXPECT_TRUE(test, qemu_edu_id_ok(0x020300ed));
	KUNIT_EXPECT_FALSE(test, qemu_edu_id_ok(0));
	KUNIT_EXPECT_FALSE(test, qemu_edu_id_ok(~0U));
	KUNIT_EXPECT_FALSE(test, qemu_edu_id_ok(0x010000ee));
	KUNIT_EXPECT_FALSE(test, qemu_edu_id_ok(0x010001ed));
}

/*
 * The check wants the right identification, then a liveness register that
 * inverts: memory does not, so a block of memory is no edu device.
 */
static void qemu_edu_test_check(struct kunit *test)
{
	struct qemu_edu *edu = qemu_edu_test_new(test);

	KUNIT_EXPECT_EQ(test, qemu_edu_check(edu), -ENODEV);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_rd(edu, QEMU_EDU_REG_LIVENESS),
			qemu_edu_patterns[0]);
	qemu_edu_test_wr(edu, QEMU_EDU_REG_ID, 0x010000ee);
	qemu_edu_test_wr(edu, QEMU_EDU_REG_LIVENESS, 0);
	KUNIT_EXPECT_EQ(test, qemu_edu_check(edu), -ENODEV);
	/* A wrong identification fails before the liveness register is used. */
	KUNIT_EXPECT_EQ(test, qemu_edu_test_rd(edu, QEMU_EDU_REG_LIVENESS), 0);
}

static const u32 qemu_edu_test_ns[] = { 0, 1, 2, 5, 10, 12, 13, 20, 33, 34 };

static void qemu_edu_test_n_desc(const u32 *n, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u!", *n);
}

KUNIT_ARRAY_PARAM(qemu_edu_test_ns, qemu_edu_test_ns, qemu_edu_test_n_desc);

/*
 * The factorial's register sequence: the interrupt enabled in the status
 * register, then N written; the test, as the device, puts N! in 0x08 and
 * raises the factorial interrupt; the handler acknowledges it through 0x64
 * and completes; the driver reads N! and keeps it.
 */
static void qemu_edu_test_factorial(struct kunit *test)
{
	const u32 *n = test->param_value;
	struct qemu_edu *edu = qemu_edu_test_new(test);
	u32 result = 0;

	mutex_lock(&edu->lock);
	KUNIT_ASSERT_EQ(test, qemu_edu_fact_start(edu, *n), 0);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_rd(edu, QEMU_EDU_REG_STATUS),
			QEMU_EDU_STATUS_IRQ_FACT);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_rd(edu, QEMU_EDU_REG_FACT), *n);
	KUNIT_EXPECT_FALSE(test, completion_done(&edu->done));

	qemu_edu_test_wr(edu, QEMU_EDU_REG_FACT, qemu_edu_test_fact(*n));
	KUNIT_EXPECT_EQ(test, qemu_edu_test_raise(edu, QEMU_EDU_IRQ_FACT),
			IRQ_HANDLED);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_rd(edu, QEMU_EDU_REG_IRQ_ACK),
			QEMU_EDU_IRQ_FACT);
	KUNIT_EXPECT_TRUE(test, completion_done(&edu->done));

	KUNIT_EXPECT_EQ(test, qemu_edu_fact_finish(edu, &result), 0);
	mutex_unlock(&edu->lock);
	KUNIT_EXPECT_EQ(test, result, qemu_edu_test_fact(*n));
	KUNIT_EXPECT_EQ(test, edu->fact_result, qemu_edu_test_fact(*n));
}

/*
 * A device still computing ignores a new N: the driver does not write one.
 * No interrupt: -ETIMEDOUT. The late interrupt of 4!, which comes after 5!
 * started, while the device works on it, does not end 5!'s wait either.
 */
static void qemu_edu_test_fact_busy_timeout(struct kunit *test)
{
	struct qemu_edu *edu = qemu_edu_test_new(test);
	u32 result = 7;

	edu->timeout = QEMU_EDU_TEST_TIMEOUT;
	mutex_lock(&edu->lock);
	qemu_edu_test_wr(edu, QEMU_EDU_REG_STATUS, QEMU_EDU_STATUS_BUSY);
	qemu_edu_test_wr(edu, QEMU_EDU_REG_FACT, 99);
	KUNIT_EXPECT_EQ(test, qemu_edu_fact_start(edu, 4), -EBUSY);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_rd(edu, QEMU_EDU_REG_FACT), 99);

	qemu_edu_test_wr(edu, QEMU_EDU_REG_STATUS, 0);
	KUNIT_ASSERT_EQ(test, qemu_edu_fact_start(edu, 4), 0);
	KUNIT_EXPECT_EQ(test, qemu_edu_fact_finish(edu, &result),
			-ETIMEDOUT);

	KUNIT_ASSERT_EQ(test, qemu_edu_fact_start(edu, 5), 0);
	qemu_edu_test_wr(edu, QEMU_EDU_REG_STATUS, QEMU_EDU_STATUS_BUSY |
			 QEMU_EDU_STATUS_IRQ_FACT);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_raise(edu, QEMU_EDU_IRQ_FACT),
			IRQ_HANDLED);
	KUNIT_EXPECT_EQ(test, qemu_edu_fact_finish(edu, &result),
			-ETIMEDOUT);
	mutex_unlock(&edu->lock);
	KUNIT_EXPECT_EQ(test, result, 7);
}

/*
 * The handler: nothing pending is not its interrupt (shared INTx), nor is
 * all ones (a device gone); every bit found is acknowledged and recorded.
 */
static void qemu_edu_test_irq_decode(struct kunit *test)
{
	static const u32 bits[] = {
		QEMU_EDU_IRQ_FACT,
		QEMU_EDU_IRQ_DMA,
		QEMU_EDU_IRQ_FACT | QEMU_EDU_IRQ_DMA,
		BIT(16),
	};
	struct qemu_edu *edu = qemu_edu_test_new(test);
	unsigned int i;

	KUNIT_EXPECT_EQ(test, qemu_edu_test_raise(edu, 0), IRQ_NONE);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_raise(edu, ~0U), IRQ_NONE);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_rd(edu, QEMU_EDU_REG_IRQ_ACK),
			QEMU_EDU_TEST_NO_ACK);
	KUNIT_EXPECT_FALSE(test, completion_done(&edu->done));
	KUNIT_EXPECT_EQ(test, atomic_read(&edu->irq_seen), 0);

	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		atomic_set(&edu->irq_seen, 0);
		reinit_completion(&edu->done);
		KUNIT_EXPECT_EQ(test, qemu_edu_test_raise(edu, bits[i]),
				IRQ_HANDLED);
		KUNIT_EXPECT_EQ(test, qemu_edu_test_rd(edu,
						       QEMU_EDU_REG_IRQ_ACK),
				bits[i]);
		KUNIT_EXPECT_EQ(test, (u32)atomic_read(&edu->irq_seen),
				bits[i]);
		KUNIT_EXPECT_TRUE(test, completion_done(&edu->done));
	}
}

/* An interrupt of the other kind does not end a wait. */
static void qemu_edu_test_irq_other_kind(struct kunit *test)
{
	struct qemu_edu *edu = qemu_edu_test_new(test);
	u32 result;

	edu->timeout = QEMU_EDU_TEST_TIMEOUT;
	mutex_lock(&edu->lock);
	KUNIT_ASSERT_EQ(test, qemu_edu_fact_start(edu, 3), 0);
	qemu_edu_test_raise(edu, QEMU_EDU_IRQ_DMA);
	KUNIT_EXPECT_EQ(test, qemu_edu_fact_finish(edu, &result),
			-ETIMEDOUT);
	mutex_unlock(&edu->lock);
}

/* Transfers that QEMU 7.2 survives, and those it does not. */
static void qemu_edu_test_dma_check(struct kunit *test)
{
	static const struct {
		u64 off;
		u64 len;
		int ret;
	} cases[] = {
		{ 0, 1, 0 },
		{ 0, 4095, 0 },
		{ 4094, 1, 0 },
		{ 1, 4094, 0 },
		{ 2047, 2048, 0 },
		{ 0, 0, -EINVAL },
		{ 100, 0, -EINVAL },
		{ 0, 4096, -EINVAL },
		{ 1, 4095, -EINVAL },
		{ 4095, 1, -EINVAL },
		{ 4096, 1, -EINVAL },
		{ 4000, U64_MAX - 100, -EINVAL },	/* off + len wraps */
		{ U64_MAX, 2, -EINVAL },
		{ 0, 1ULL << 40, -EINVAL },
		{ 1ULL << 40, 1, -EINVAL },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		KUNIT_EXPECT_EQ_MSG(test, qemu_edu_dma_check(cases[i].off,
							     cases[i].len),
				    cases[i].ret, "off %llu len %llu",
				    cases[i].off, cases[i].len);
}

/* What a read or a write at a file position moves, or its error. */
static void qemu_edu_test_io_len(struct kunit *test)
{
	static const struct {
		loff_t pos;
		size_t count;
		bool write;
		ssize_t ret;
	} cases[] = {
		{ 0, 0, false, 0 },
		{ 0, 0, true, 0 },
		{ 5000, 0, true, 0 },
		{ 0, 1, true, 1 },
		{ 0, 4095, false, 4095 },
		{ 0, 4096, true, 4095 },
		{ 0, SIZE_MAX, false, 4095 },
		{ 4094, 10, true, 1 },
		{ 4000, 4000, false, 95 },
		{ 4095, 1, false, 0 },
		{ 4095, 1, true, -EFBIG },
		{ 1LL << 40, 1, false, 0 },
		{ 1LL << 40, 1, true, -EFBIG },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		KUNIT_EXPECT_EQ_MSG(test, qemu_edu_io_len(cases[i].pos,
							  cases[i].count,
							  cases[i].write),
				    cases[i].ret, "pos %lld count %zu write %d",
				    cases[i].pos, cases[i].count,
				    cases[i].write);
}

/* The DMA registers of a transfer each way, and of one refused. */
static void qemu_edu_test_dma_program(struct kunit *test)
{
	struct qemu_edu *edu = qemu_edu_test_new(test);

	mutex_lock(&edu->lock);
	KUNIT_ASSERT_EQ(test, qemu_edu_dma_start(edu, 10, 100, false), 0);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_rd64(edu, QEMU_EDU_REG_DMA_SRC),
			QEMU_EDU_TEST_BUS + 10);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_rd64(edu, QEMU_EDU_REG_DMA_DST),
			QEMU_EDU_DMA_BASE + 10);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_rd64(edu, QEMU_EDU_REG_DMA_COUNT),
			100);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_rd64(edu, QEMU_EDU_REG_DMA_CMD),
			QEMU_EDU_DMA_START | QEMU_EDU_DMA_IRQ);

	/* The device is still at it: nothing new is written. */
	KUNIT_EXPECT_EQ(test, qemu_edu_dma_start(edu, 0, 1, true), -EBUSY);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_rd64(edu, QEMU_EDU_REG_DMA_SRC),
			QEMU_EDU_TEST_BUS + 10);

	/* The device is done: it clears start and raises the interrupt. */
	writeq(QEMU_EDU_DMA_IRQ, edu->regs + QEMU_EDU_REG_DMA_CMD);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_raise(edu, QEMU_EDU_IRQ_DMA),
			IRQ_HANDLED);
	KUNIT_EXPECT_EQ(test, qemu_edu_wait(edu, QEMU_EDU_IRQ_DMA), 0);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_rd(edu, QEMU_EDU_REG_IRQ_ACK),
			QEMU_EDU_IRQ_DMA);

	KUNIT_ASSERT_EQ(test, qemu_edu_dma_start(edu, 4094, 1, true), 0);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_rd64(edu, QEMU_EDU_REG_DMA_SRC),
			QEMU_EDU_DMA_BASE + 4094);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_rd64(edu, QEMU_EDU_REG_DMA_DST),
			QEMU_EDU_TEST_BUS + 4094);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_rd64(edu, QEMU_EDU_REG_DMA_COUNT),
			1);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_rd64(edu, QEMU_EDU_REG_DMA_CMD),
			QEMU_EDU_DMA_START | QEMU_EDU_DMA_TO_RAM |
			QEMU_EDU_DMA_IRQ);

	/* One that would reach the last byte is refused before any write. */
	writeq(0, edu->regs + QEMU_EDU_REG_DMA_CMD);
	KUNIT_EXPECT_EQ(test, qemu_edu_dma_start(edu, 4095, 1, false),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, qemu_edu_dma_start(edu, 0, 4096, false),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, qemu_edu_dma_start(edu, 0, 0, false), -EINVAL);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_rd64(edu, QEMU_EDU_REG_DMA_CMD), 0);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_rd64(edu, QEMU_EDU_REG_DMA_COUNT),
			1);
	mutex_unlock(&edu->lock);
}

/* Whether QEMU 7.2's edu_check_range() lets @addr and @len through. */
static bool qemu_edu_sim_range_ok(u64 addr, u64 len)
{
	u64 end = addr + len;

	return addr >= QEMU_EDU_DMA_BASE &&
	       addr < QEMU_EDU_DMA_BASE + QEMU_EDU_DMA_BUF_SIZE &&
	       end > addr && end < QEMU_EDU_DMA_BASE + QEMU_EDU_DMA_BUF_SIZE;
}

/* The DMA interrupt, as the device raises it and the acknowledge clears. */
static void qemu_edu_sim_irq(struct qemu_edu *edu)
{
	u32 status;

	status = readl(edu->regs + QEMU_EDU_REG_IRQ_STATUS) | QEMU_EDU_IRQ_DMA;
	writel(status, edu->regs + QEMU_EDU_REG_IRQ_STATUS);
	qemu_edu_irq(0, edu);
	status &= ~readl(edu->regs + QEMU_EDU_REG_IRQ_ACK);
	writel(status, edu->regs + QEMU_EDU_REG_IRQ_STATUS);
}

/* One transfer, as the device does it: copy, clear start, interrupt. */
static void qemu_edu_sim_transfer(struct qemu_edu_sim *sim, u64 cmd)
{
	struct qemu_edu *edu = sim->edu;
	u64 src = readq(edu->regs + QEMU_EDU_REG_DMA_SRC);
	u64 dst = readq(edu->regs + QEMU_EDU_REG_DMA_DST);
	u64 len = readq(edu->regs + QEMU_EDU_REG_DMA_COUNT);
	u64 dev = cmd & QEMU_EDU_DMA_TO_RAM ? src : dst;
	u64 ram = cmd & QEMU_EDU_DMA_TO_RAM ? dst : src;

	if (!qemu_edu_sim_range_ok(dev, len) || ram < edu->buf_dma ||
	    ram - edu->buf_dma > QEMU_EDU_DMA_BUF_SIZE - len) {
		atomic_inc(&sim->bad);
	} else if (cmd & QEMU_EDU_DMA_TO_RAM) {
		memcpy(edu->buf + (ram - edu->buf_dma),
		       sim->mem + (dev - QEMU_EDU_DMA_BASE), len);
	} else {
		memcpy(sim->mem + (dev - QEMU_EDU_DMA_BASE),
		       edu->buf + (ram - edu->buf_dma), len);
	}
	atomic_inc(&sim->transfers);
	writeq(cmd & ~QEMU_EDU_DMA_START, edu->regs + QEMU_EDU_REG_DMA_CMD);
	if (cmd & QEMU_EDU_DMA_IRQ)
		qemu_edu_sim_irq(edu);
}

static int qemu_edu_sim_thread(void *data)
{
	struct qemu_edu_sim *sim = data;
	u64 cmd;

	while (!kthread_should_stop()) {
		cmd = readq(sim->edu->regs + QEMU_EDU_REG_DMA_CMD);
		if (!(cmd & QEMU_EDU_DMA_START)) {
			usleep_range(50, 100);
			continue;
		}
		if (sim->late) {
			/* Long enough for the waiter to wake and look. */
			qemu_edu_sim_irq(sim->edu);
			usleep_range(1000, 2000);
		}
		qemu_edu_sim_transfer(sim, cmd);
	}
	return 0;
}

static void qemu_edu_sim_stop(void *data)
{
	struct qemu_edu_sim *sim = data;

	kthread_stop(sim->task);
}

/* A state whose DMA engine runs in a kthread until the test ends. */
static struct qemu_edu_sim *qemu_edu_sim_new(struct kunit *test, bool late)
{
	struct qemu_edu_sim *sim;
	int ret;

	sim = kunit_kzalloc(test, sizeof(*sim), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sim);
	sim->edu = qemu_edu_test_new(test);
	sim->late = late;
	sim->task = kthread_run(qemu_edu_sim_thread, sim, "qemu_edu_sim");
	KUNIT_ASSERT_FALSE(test, IS_ERR(sim->task));
	ret = kunit_add_action_or_reset(test, qemu_edu_sim_stop, sim);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return sim;
}

static ssize_t qemu_edu_test_write(struct qemu_edu *edu, loff_t pos,
				   const void *buf, size_t len)
{
	struct kvec kvec = { .iov_base = (void *)buf, .iov_len = len };
	struct iov_iter iter;

	iov_iter_kvec(&iter, ITER_SOURCE, &kvec, 1, len);
	return qemu_edu_write_at(edu, pos, &iter);
}

static ssize_t qemu_edu_test_read(struct qemu_edu *edu, loff_t pos, void *buf,
				  size_t len)
{
	struct kvec kvec = { .iov_base = buf, .iov_len = len };
	struct iov_iter iter;

	iov_iter_kvec(&iter, ITER_DEST, &kvec, 1, len);
	return qemu_edu_read_at(edu, pos, &iter);
}

/*
 * Writes and reads of the file functions at many offsets and lengths go
 * through the simulated DMA engine and come back as written; none is a
 * transfer QEMU 7.2 would abort on; the end of the file is respected.
 */
static void qemu_edu_test_file_round_trip(struct kunit *test)
{
	static const struct {
		loff_t pos;
		size_t len;
	} cases[] = {
		{ 0, 1 }, { 0, 2 }, { 0, 3 }, { 0, 255 }, { 0, 4095 },
		{ 1, 1 }, { 3, 17 }, { 1001, 999 }, { 4094, 1 }, { 1, 4094 },
	};
	struct qemu_edu_sim *sim = qemu_edu_sim_new(test, false);
	struct qemu_edu *edu = sim->edu;
	u8 *out, *in;
	unsigned int i;
	size_t j;

	out = kunit_kmalloc(test, QEMU_EDU_DMA_BUF_SIZE, GFP_KERNEL);
	in = kunit_kmalloc(test, QEMU_EDU_DMA_BUF_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_NOT_NULL(test, in);

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (j = 0; j < cases[i].len; j++)
			out[j] = i * 37 + j * 11;
		memset(in, 0, cases[i].len);
		KUNIT_EXPECT_EQ(test, qemu_edu_test_write(edu, cases[i].pos,
							  out, cases[i].len),
				cases[i].len);
		KUNIT_EXPECT_EQ(test, qemu_edu_test_read(edu, cases[i].pos,
							 in, cases[i].len),
				cases[i].len);
		KUNIT_EXPECT_MEMEQ_MSG(test, in, out, cases[i].len,
				       "pos %lld len %zu", cases[i].pos,
				       cases[i].len);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&sim->transfers),
			2 * ARRAY_SIZE(cases));

	/* Short across the end, nothing at the end, nothing for nothing. */
	KUNIT_EXPECT_EQ(test, qemu_edu_test_write(edu, 4090, out, 100), 5);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_read(edu, 4090, in, 100), 5);
	KUNIT_EXPECT_MEMEQ(test, in, out, 5);
	KUNIT_EXPECT_EQ(test, atomic_read(&sim->transfers),
			2 * ARRAY_SIZE(cases) + 2);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_write(edu, 4095, out, 1), -EFBIG);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_read(edu, 4095, in, 1), 0);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_write(edu, 0, out, 0), 0);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_read(edu, 0, in, 0), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&sim->transfers),
			2 * ARRAY_SIZE(cases) + 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&sim->bad), 0);
}

/*
 * The late interrupt of a transfer that timed out lands after the next
 * transfer's reinit_completion(), while the device works on it: the wait
 * goes on until that transfer's own end. A write that ended early would
 * leave the device busy for the read (-EBUSY); a read that ended early
 * would give the RAM buffer, cleared here, not what the device holds.
 */
static void qemu_edu_test_file_late_irq(struct kunit *test)
{
	struct qemu_edu_sim *sim = qemu_edu_sim_new(test, true);
	struct qemu_edu *edu = sim->edu;
	u8 out[64], in[64];
	unsigned int i;

	for (i = 0; i < 4; i++) {
		memset(out, 'a' + i, sizeof(out));
		KUNIT_EXPECT_EQ(test, qemu_edu_test_write(edu, i * 1000, out,
							  sizeof(out)),
				sizeof(out));
		memset(edu->buf, 0, QEMU_EDU_DMA_BUF_SIZE);
		memset(in, 0, sizeof(in));
		KUNIT_EXPECT_EQ(test, qemu_edu_test_read(edu, i * 1000, in,
							 sizeof(in)),
				sizeof(in));
		KUNIT_EXPECT_MEMEQ(test, in, out, sizeof(out));
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&sim->transfers), 8);
	KUNIT_EXPECT_EQ(test, atomic_read(&sim->bad), 0);
}

/* Once removed, every operation fails with -ENODEV and leaves the device. */
static void qemu_edu_test_removed(struct kunit *test)
{
	struct qemu_edu *edu = qemu_edu_test_new(test);
	u8 buf[4] = { 1, 2, 3, 4 };
	u32 result;

	edu->removed = true;
	KUNIT_EXPECT_EQ(test, qemu_edu_factorial(edu, 5, &result), -ENODEV);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_write(edu, 0, buf, 4), -ENODEV);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_read(edu, 0, buf, 4), -ENODEV);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_rd(edu, QEMU_EDU_REG_FACT), 0);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_rd(edu, QEMU_EDU_REG_STATUS), 0);
	KUNIT_EXPECT_EQ(test, qemu_edu_test_rd64(edu, QEMU_EDU_REG_DMA_CMD), 0);
	/* Too large is refused before the device is even looked at. */
	KUNIT_EXPECT_EQ(test, qemu_edu_factorial(edu, QEMU_EDU_FACT_MAX + 1,
						 &result), -EINVAL);
}

static void qemu_edu_test_parse_n(struct kunit *test)
{
	static const struct {
		const char *s;
		int ret;
		u32 n;
	} cases[] = {
		{ "0", 0, 0 },
		{ "12\n", 0, 12 },
		{ "1000000", 0, QEMU_EDU_FACT_MAX },
		{ "1000001", -EINVAL },
		{ "4294967296", -EINVAL },	/* -ERANGE, then -EINVAL */
		{ "", -EINVAL },
		{ "\n", -EINVAL },
		{ "-1", -EINVAL },
		{ "abc", -EINVAL },
		{ "5x", -EINVAL },
		{ "0x10", -EINVAL },
		{ " 5", -EINVAL },
	};
	unsigned int i;
	u32 n;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		n = 0;
		KUNIT_EXPECT_EQ_MSG(test, qemu_edu_parse_n(cases[i].s, &n),
				    cases[i].ret, "\"%s\"", cases[i].s);
		if (!cases[i].ret)
			KUNIT_EXPECT_EQ(test, n, cases[i].n);
	}
}

static struct kunit_case qemu_edu_test_cases[] = {
	KUNIT_CASE(qemu_edu_test_ids),
	KUNIT_CASE(qemu_edu_test_check),
	KUNIT_CASE_PARAM(qemu_edu_test_factorial, qemu_edu_test_ns_gen_params),
	KUNIT_CASE(qemu_edu_test_fact_busy_timeout),
	KUNIT_CASE(qemu_edu_test_irq_decode),
	KUNIT_CASE(qemu_edu_test_irq_other_kind),
	KUNIT_CASE(qemu_edu_test_dma_check),
	KUNIT_CASE(qemu_edu_test_io_len),
	KUNIT_CASE(qemu_edu_test_dma_program),
	KUNIT_CASE(qemu_edu_test_file_round_trip),
	KUNIT_CASE(qemu_edu_test_file_late_irq),
	KUNIT_CASE(qemu_edu_test_removed),
	KUNIT_CASE(qemu_edu_test_parse_n),
	{}
};

static struct kunit_suite qemu_edu_test_suite = {
	.name = "qemu_edu",
	.test_cases = qemu_edu_test_cases,
};

kunit_test_suite(qemu_edu_test_suite);
