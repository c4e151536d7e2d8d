// SPDX-License-Identifier: GPL-2.0-only
/*
 * tour_bench: the tour's misc devices against what they imitate, in the
 * guest of `make bench` (built static on the host, run as root).
 *
 *	tour_random	read throughput vs /dev/urandom, 256-byte and 1 MiB reads
 *	tour_stats	ns per 1-byte write() vs /dev/null
 *	tour_store	pwrite then pread of 64 KiB at offset 0 vs a tmpfs file
 *
 * and with -r, on a kernel with the Rust twins, each twin against its C
 * sample:
 *
 *	rust_tour_random	read throughput vs tour_random, the same reads
 *	rust_tour_stats		ns per 1-byte write() vs tour_stats
 *	rust_tour_store		pwrite then pread of 64 KiB vs tour_store
 *
 * Each comparison runs ROUNDS rounds after an untimed warm-up (which also
 * fills the tmpfs file): a round times the sample and its baseline one right
 * after the other, the sample first in even rounds and last in odd ones. It
 * reports the median round of each and, as the ratio, the median of the
 * rounds' own ratios: a TCG guest's speed drifts from round to round with
 * its host's load, and each round's pair sees the same drift.
 *
 * A sample whose node is missing (its module not loaded) shows as MISSING
 * while its baseline still runs; the bench then exits 2 without its "done"
 * line. Any failed or short call ends it at once with exit status 1.
 *
 * The counts suit QEMU TCG, where the bench takes about 20 s on 2 cores;
 * "tour_bench [-r] SCALE" multiplies them (0.1 for a quick look).
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define ROUNDS		9
#define KIB		1024
#define MIB		(1024 * KIB)
#define TMPFILE		"/tmp/tour_bench.tmp"
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* One comparison: a line of the table. */
struct bench {
	const char *what;		/* what is measured, and its unit */
	const char *base_name;		/* the baseline's name in the table */
	const char *base_path;
	const char *sample_path;
	int base_flags;			/* open() flags of each */
	int sample_flags;
	/* One round of @count calls of @size bytes on @fd: the figure. */
	double (*round)(int fd, size_t size, long count);
	size_t size;
	long count;
	int higher_is_better;		/* the ratio must be >= target, else <= */
	double target;
	int twin;			/* a Rust twin's line: only with -r */
};

static char buf[MIB];
static char pattern[64 * KIB];

/* A read or write call must have moved all of its @size bytes. */
static void check(const char *call, ssize_t ret, size_t size)
{
	if (ret != (ssize_t)size)
		die("%s of %zu bytes returned %zd: %s", call, size, ret,
		    ret < 0 ? strerror(errno) : "short count");
}

/* Reads of @size bytes, each of which must be whole: MB/s. */
static double read_round(int fd, size_t size, long count)
{
	double t = now();
	long i;

	for (i = 0; i < count; i++)
		check("read", read(fd, buf, size), size);
	return size * count / (now() - t) / 1e6;
}

/* write() calls of @size bytes, each of which must be taken whole: ns/call. */
static double write_round(int fd, size_t size, long count)
{
	double t = now();
	long i;

	for (i = 0; i < count; i++)
		check("write", write(fd, buf, size), size);
	return (now() - t) * 1e9 / count;
}

/*
 * Round trips of a pwrite() then a pread() of @size bytes at offset 0:
 * MB/s of the bytes moved both ways. The last content read must be what was
 * written.
 */
static double store_round(int fd, size_t size, long count)
{
	double t = now(), mbs;
	long i;

	for (i = 0; i < count; i++) {
		check("pwrite", pwrite(fd, pattern, size, 0), size);
		check("pread", pread(fd, buf, size, 0), size);
	}
	mbs = 2.0 * size * count / (now() - t) / 1e6;
	if (memcmp(buf, pattern, size))
		die("pread did not return what pwrite wrote");
	return mbs;
}

static struct bench benches[] = {
	{ "random read 256 B  MB/s", "/dev/urandom", "/dev/urandom",
	  "/dev/tour_random", O_RDONLY, O_RDONLY,
	  read_round, 256, 64000, 1, 0.90 },
	{ "random read 1 MiB  MB/s", "/dev/urandom", "/dev/urandom",
	  "/dev/tour_random", O_RDONLY, O_RDONLY,
	  read_round, MIB, 32, 1, 0.90 },
	{ "stats write 1 B  ns/call", "/dev/null", "/dev/null",
	  "/dev/tour_stats", O_WRONLY, O_WRONLY,
	  write_round, 1, 500000, 0, 1.30 },
	{ "store 64 KiB w+r  MB/s", "tmpfs file", TMPFILE,
	  "/dev/tour_store", O_RDWR | O_CREAT | O_TRUNC, O_RDWR,
	  store_round, 64 * KIB, 5000, 1, 0.80 },
	{ "rust random 256 B  MB/s", "tour_random", "/dev/tour_random",
	  "/dev/rust_tour_random", O_RDONLY, O_RDONLY,
	  read_round, 256, 64000, 1, 0.90, 1 },
	{ "rust random 1 MiB  MB/s", "tour_random", "/dev/tour_random",
	  "/dev/rust_tour_random", O_RDONLY, O_RDONLY,
	  read_round, MIB, 32, 1, 0.90, 1 },
	{ "rust stats 1 B  ns/call", "tour_stats", "/dev/tour_stats",
	  "/dev/rust_tour_stats", O_WRONLY, O_WRONLY,
	  write_round, 1, 500000, 0, 1.10, 1 },
	{ "rust store 64 KiB w+r  MB/s", "tour_store", "/dev/tour_store",
	  "/dev/rust_tour_store", O_RDWR, O_RDWR,
	  store_round, 64 * KIB, 5000, 1, 0.90, 1 },
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v)
{
	qsort(v, ROUNDS, sizeof(*v), cmp_double);
	return v[ROUNDS / 2];
}

/* Open @path; a missing node is -1 when @may_miss, any other failure fatal. */
static int open_node(const char *path, int flags, int may_miss)
{
	int fd = open(path, flags, 0600);

	if (fd < 0 && !(may_miss && errno == ENOENT))
		die("open %s: %s", path, strerror(errno));
	return fd;
}

/* Run the rounds of @b, print its line; return 0, or -1 for a missing sample. */
static int run_bench(const struct bench *b, double scale)
{
	long count = b->count * scale > 1 ? b->count * scale : 1;
	double base[ROUNDS], sample[ROUNDS], ratios[ROUNDS];
	double bm, sm = 0, ratio = 0;
	int bfd, sfd, r, met;
	const char *result;

	bfd = open_node(b->base_path, b->base_flags, 0);
	sfd = open_node(b->sample_path, b->sample_flags, 1);

	/* Warm-up: caches, page faults, and the tmpfs file's pages. */
	b->round(bfd, b->size, count / 10 + 1);
	if (sfd >= 0)
		b->round(sfd, b->size, count / 10 + 1);

	for (r = 0; r < ROUNDS; r++) {
		if (sfd >= 0 && r % 2 == 0)
			sample[r] = b->round(sfd, b->size, count);
		base[r] = b->round(bfd, b->size, count);
		if (sfd >= 0 && r % 2 == 1)
			sample[r] = b->round(sfd, b->size, count);
		if (sfd >= 0)
			ratios[r] = sample[r] / base[r];
	}
	bm = median(base);
	if (sfd >= 0) {
		sm = median(sample);
		ratio = median(ratios);
		met = b->higher_is_better ? ratio >= b->target :
					    ratio <= b->target;
		result = met ? "ok" : b->higher_is_better ? "BELOW" : "ABOVE";
	} else {
		result = "MISSING";
	}

	printf("%-25s %-13s %10.1f ", b->what, b->base_name, bm);
	if (sfd >= 0)
		printf("%10.1f %6.3f", sm, ratio);
	else
		printf("%10s %6s", "-", "-");
	printf("  %s%.2f  %s\n", b->higher_is_better ? ">=" : "<=", b->target,
	       result);

	if (close(bfd) || (sfd >= 0 && close(sfd)))
		die("close: %s", strerror(errno));
	if (sfd < 0)
		fprintf(stderr, "tour_bench: %s: %s\n", b->sample_path,
			strerror(ENOENT));
	return sfd >= 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	double scale = 1, t = now();
	int missing = 0, twins = 0;
	size_t i;

	if (argc > 1 && !strcmp(argv[1], "-r")) {
		twins = 1;
		argc--;
		argv++;
	}
	if (argc == 2)
		scale = atof(argv[1]);
	if (argc > 2 || scale <= 0)
		die("usage: tour_bench [-r] [SCALE]");
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < sizeof(pattern); i++)
		pattern[i] = i * 7 + 1;

	printf("kdt bench: tour_random vs /dev/urandom, tour_stats vs /dev/null, tour_store vs a tmpfs file (/tmp)%s\n",
	       twins ? ", the Rust twins vs their C samples" : "");
	printf("# %d rounds, each sample next to its baseline; figures: medians of the rounds, ratio: median of the rounds' sample/baseline\n",
	       ROUNDS);
	printf("%-25s %-13s %10s %10s %6s  %-6s  %s\n", "what", "vs",
	       "baseline", "sample", "ratio", "target", "result");
	for (i = 0; i < ARRAY_SIZE(benches); i++)
		if ((twins || !benches[i].twin) && run_bench(&benches[i], scale))
			missing++;

	if (unlink(TMPFILE))
		die("unlink %s: %s", TMPFILE, strerror(errno));
	printf("# bench took %.1f s\n", now() - t);
	if (missing) {
		fprintf(stderr, "tour_bench: %d sample(s) missing: is the module loaded?\n",
			missing);
		return 2;
	}
	printf("kdt: bench done\n");
	return 0;
}
