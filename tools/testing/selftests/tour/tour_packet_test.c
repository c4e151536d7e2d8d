// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test samples/tour/tour_packet through /proc/tour_packet: the file's mode
 * and lines, exact frame and byte counts of type 0x1234 sent on lo with a
 * packet socket, frames of other types left out, a tap device with a line of
 * its own that goes with the device, the parameter ifname (frames of that
 * device only, ENODEV for a device that does not exist, the bound device
 * going away while the module stays), unloading while frames arrive, and
 * the file going with the module.
 *
 * Frames are counted in softirq context, maybe after the send returned: a
 * check waits for the count it expects, then a little longer, and wants it
 * exact. Where nothing must be counted, a packet socket of its own sees that
 * the frames did arrive. Tests that load the module with other parameters
 * load it back with none when they end.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest_harness.h"

#define PROC		"/proc/tour_packet"
#define MODULE_DIR	"/sys/module/tour_packet"
#define INITSTATE	MODULE_DIR "/initstate"
#define TUN		"/dev/net/tun"
#define TYPE		0x1234	/* the frame type the module counts */
#define MAX_PAYLOAD	9000
#define BATCH		100
#define CYCLES		20
#define WAIT_MS		2000	/* for counts that should come */
#define SETTLE_MS	100	/* then for counts that should not */
#define CMD_SECS	5	/* for rmmod, modprobe and a tap's close */

/* The line of one device in the file: whether it has one, and its counts. */
struct dev_counts {
	bool found;
	unsigned long long packets;
	unsigned long long bytes;
};

static void sleep_ms(int ms)
{
	usleep(ms * 1000);
}

/*
 * Read the file and find the line of dev in it, into *c. Return the number
 * of lines, or -1 if the file cannot be read, holds anything but lines
 * "<ifname> <packets> <bytes>\n", or two lines of dev.
 */
static int read_dev(const char *dev, struct dev_counts *c)
{
	char buf[8192], name[IFNAMSIZ + 1], line[128], *p, *nl;
	unsigned long long packets, bytes;
	ssize_t n, len = 0;
	int fd, lines = 0;

	memset(c, 0, sizeof(*c));
	fd = open(PROC, O_RDONLY);
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	if (n < 0)
		return -1;
	buf[len] = '\0';
	for (p = buf; *p; p = nl + 1, lines++) {
		nl = strchr(p, '\n');
		if (!nl)
			return -1;
		*nl = '\0';
		if (sscanf(p, "%16s %llu %llu", name, &packets, &bytes) != 3 ||
		    strlen(name) >= IFNAMSIZ)
			return -1;
		snprintf(line, sizeof(line), "%s %llu %llu", name, packets,
			 bytes);
		if (strcmp(line, p))
			return -1;
		if (strcmp(name, dev))
			continue;
		if (c->found)
			return -1;
		c->found = true;
		c->packets = packets;
		c->bytes = bytes;
	}
	return lines;
}

/*
 * Wait up to WAIT_MS for the line of dev to count packets frames, then
 * SETTLE_MS for frames that should not come. Whether it then shows exactly
 * packets and bytes; what it shows in *c.
 */
static bool counts_reach(const char *dev, unsigned long long packets,
			 unsigned long long bytes, struct dev_counts *c)
{
	int i;

	for (i = 0; i < WAIT_MS / 10; i++) {
		if (read_dev(dev, c) >= 0 && c->packets >= packets)
			break;
		sleep_ms(10);
	}
	sleep_ms(SETTLE_MS);
	return read_dev(dev, c) >= 0 && c->found && c->packets == packets &&
	       c->bytes == bytes;
}

/* Wait up to WAIT_MS for dev to have a line, or none; whether it came to. */
static bool wait_line(const char *dev, bool found)
{
	struct dev_counts c;
	int i;

	for (i = 0; i < WAIT_MS / 10; i++) {
		if (read_dev(dev, &c) >= 0 && c.found == found)
			return true;
		sleep_ms(10);
	}
	return false;
}

/* Build in f a frame to dst from 00:..:00 with len payload bytes. */
static size_t make_frame(unsigned char *f, unsigned char dst,
			 unsigned short type, size_t len)
{
	size_t i;

	memset(f, dst, ETH_ALEN);
	memset(f + ETH_ALEN, 0, ETH_ALEN);
	f[12] = type >> 8;
	f[13] = type & 0xff;
	for (i = 0; i < len; i++)
		f[ETH_HLEN + i] = i;
	return ETH_HLEN + len;
}

/* Send count frames of type with len payload bytes on lo; how many went. */
static int lo_send(int sock, int lo, unsigned short type, size_t len,
		   int count)
{
	static unsigned char f[ETH_HLEN + MAX_PAYLOAD];
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(type),
		.sll_ifindex = lo,
		.sll_halen = ETH_ALEN,
	};
	size_t n = make_frame(f, 0, type, len);
	int i, sent = 0;

	for (i = 0; i < count; i++)
		sent += sendto(sock, f, n, 0, (struct sockaddr *)&sll,
			       sizeof(sll)) == (ssize_t)n;
	return sent;
}

/* Write count broadcast frames to a tap, which receives them; how many. */
static int tap_send(int fd, unsigned short type, size_t len, int count)
{
	static unsigned char f[ETH_HLEN + MAX_PAYLOAD];
	size_t n = make_frame(f, 0xff, type, len);
	int i, sent = 0;

	for (i = 0; i < count; i++)
		sent += write(fd, f, n) == (ssize_t)n;
	return sent;
}

/* Make a tap device tourtap<N> and bring it up: its tun fd, or -1. */
static int tap_open(char name[IFNAMSIZ])
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI };
	int fd, s, ret = -1;

	if (access(TUN, F_OK))
		system("modprobe -q tun");
	fd = open(TUN, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, IFNAMSIZ, "tourtap%%d");
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s >= 0 && !ioctl(fd, TUNSETIFF, &ifr) &&
	    !ioctl(s, SIOCGIFFLAGS, &ifr)) {
		ifr.ifr_flags |= IFF_UP;
		ret = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	if (s >= 0)
		close(s);
	if (ret) {
		close(fd);
		return -1;
	}
	snprintf(name, IFNAMSIZ, "%s", ifr.ifr_name);
	return fd;
}

/* A packet socket that gets the frames of type TYPE received on ifindex. */
static int witness_open(int ifindex)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(TYPE),
		.sll_ifindex = ifindex,
	};
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (fd >= 0 && bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Whether the witness fd gets count frames within WAIT_MS. */
static bool witness_sees(int fd, int count)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[64];

	while (count > 0 && poll(&p, 1, WAIT_MS) == 1) {
		if (recv(fd, buf, sizeof(buf), MSG_TRUNC) < 0)
			return false;
		count--;
	}
	return !count;
}

/* Wait up to secs for the child pid: its exit status, or -1. */
static int wait_within(pid_t pid, int secs)
{
	int i, status;

	for (i = 0; i < secs * 100; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		sleep_ms(10);
	}
	/* No use if it is stuck in the kernel: the test fails anyway. */
	kill(pid, SIGKILL);
	return -1;
}

/* Run cmd with sh: its exit status, or -1 if it did not end within secs. */
static int run_within(const char *cmd, int secs)
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return wait_within(pid, secs);
}

/*
 * Close the tun fd, which unregisters its device, the last close made in a
 * child: should a reference held on the device keep it, the close hangs in
 * the child and not here. Whether it ended within CMD_SECS.
 */
static bool close_within(int fd)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p))
		return false;
	pid = fork();
	if (pid < 0)
		return false;
	if (!pid) {
		close(p[1]);
		/* The parent has closed fd when its end of the pipe closes. */
		if (read(p[0], &c, 1) < 0)
			_exit(1);
		close(fd);
		_exit(0);
	}
	close(p[0]);
	close(fd);
	close(p[1]);
	return wait_within(pid, CMD_SECS) == 0;
}

/* The output of cmd and its stderr in out: its wait status, or -1. */
static int run_output(const char *cmd, char *out, size_t size)
{
	FILE *f = popen(cmd, "r");
	size_t len;

	out[0] = '\0';
	if (!f)
		return -1;
	len = fread(out, 1, size - 1, f);
	out[len] = '\0';
	return pclose(f);
}

/* Whether the module is loadable, not built in. */
static bool is_module(void)
{
	return !access(INITSTATE, F_OK);
}

/* Unload the module if loaded, then load it with params: whether it is. */
static bool reload(const char *params)
{
	char cmd[128];

	if (!access(MODULE_DIR, F_OK) &&
	    run_within("rmmod tour_packet", CMD_SECS))
		return false;
	snprintf(cmd, sizeof(cmd), "modprobe tour_packet %s", params);
	return !run_within(cmd, CMD_SECS) && !access(PROC, F_OK);
}

/* Send frames of type TYPE on lo until killed, or the parent dies. */
static void flood(int sock, int lo, pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
	for (;;)
		lo_send(sock, lo, TYPE, 64, 64);
}

FIXTURE(packet) {
	int sock;	/* a packet socket that sends on lo */
	int lo;		/* the ifindex of lo */
	bool reloaded;	/* load the module with no parameters at the end */
};

FIXTURE_SETUP(packet)
{
	self->sock = -1;
	if (access(PROC, F_OK))
		system("modprobe -q tour_packet");
	if (access(PROC, F_OK))
		SKIP(return, "no " PROC " (CONFIG_SAMPLE_TOUR_PACKET)");
	self->lo = if_nametoindex("lo");
	ASSERT_NE(0, self->lo);
	self->sock = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, self->sock);
}

FIXTURE_TEARDOWN(packet)
{
	if (self->sock >= 0)
		close(self->sock);
	if (!self->reloaded)
		return;
	EXPECT_TRUE(reload("")) TH_LOG("cannot load tour_packet back");
}

TEST_F(packet, file_is_0444)
{
	struct dev_counts c;
	struct stat st;

	ASSERT_EQ(0, stat(PROC, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(0444u, st.st_mode & 07777);
	EXPECT_EQ(0u, st.st_uid);
	EXPECT_LE(0, read_dev("lo", &c)) TH_LOG("lines do not parse");
}

/* Each frame counts once, its bytes those after the Ethernet header. */
TEST_F(packet, lo_frames_counted_exactly)
{
	static const size_t lens[] = { 1, 46, 100, 1500, MAX_PAYLOAD };
	unsigned long long packets, bytes;
	struct dev_counts c;
	size_t i;

	ASSERT_LE(0, read_dev("lo", &c));
	packets = c.packets;
	bytes = c.bytes;
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		ASSERT_EQ(1, lo_send(self->sock, self->lo, TYPE, lens[i], 1));
		packets++;
		bytes += lens[i];
		EXPECT_TRUE(counts_reach("lo", packets, bytes, &c))
			TH_LOG("payload %zu: lo %llu %llu, want %llu %llu",
			       lens[i], c.packets, c.bytes, packets, bytes);
	}
	ASSERT_EQ(BATCH, lo_send(self->sock, self->lo, TYPE, 64, BATCH));
	packets += BATCH;
	bytes += BATCH * 64;
	EXPECT_TRUE(counts_reach("lo", packets, bytes, &c))
		TH_LOG("batch: lo %llu %llu, want %llu %llu",
		       c.packets, c.bytes, packets, bytes);
}

/* Frames of other types, 0x1234 byte-swapped too, are not counted. */
TEST_F(packet, other_types_not_counted)
{
	static const unsigned short types[] = {
		0x1235, 0x88b5, 0x4321, 0x3412,
	};
	struct dev_counts before, c;
	size_t i, sent = 0;

	ASSERT_LE(0, read_dev("lo", &before));
	for (i = 0; i < ARRAY_SIZE(types); i++)
		sent += lo_send(self->sock, self->lo, types[i], 50, 10);
	ASSERT_EQ(10 * ARRAY_SIZE(types), sent);
	/* One of type 0x1234 last: once it is counted, the others went by. */
	ASSERT_EQ(1, lo_send(self->sock, self->lo, TYPE, 33, 1));
	EXPECT_TRUE(counts_reach("lo", before.packets + 1, before.bytes + 33,
				 &c))
		TH_LOG("lo %llu %llu, want %llu %llu", c.packets, c.bytes,
		       before.packets + 1, before.bytes + 33);
}

/* A tap's frames go on a line of its own, which goes with the device. */
TEST_F(packet, tap_has_own_line)
{
	static const size_t lens[] = { 1, 46, 100, 1500 };
	unsigned long long packets = 0, bytes = 0;
	struct dev_counts lo0, lo1, c;
	char name[IFNAMSIZ];
	size_t i;
	int fd;

	ASSERT_LE(0, read_dev("lo", &lo0));
	fd = tap_open(name);
	ASSERT_LE(0, fd) TH_LOG("no tap device (CONFIG_TUN)");
	ASSERT_LE(0, read_dev(name, &c));
	EXPECT_FALSE(c.found) TH_LOG("a line before any frame");
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		EXPECT_EQ(1, tap_send(fd, TYPE, lens[i], 1));
		packets++;
		bytes += lens[i];
	}
	EXPECT_EQ(BATCH, tap_send(fd, TYPE, 60, BATCH));
	packets += BATCH;
	bytes += BATCH * 60;
	EXPECT_TRUE(counts_reach(name, packets, bytes, &c))
		TH_LOG("%s %llu %llu, want %llu %llu", name, c.packets,
		       c.bytes, packets, bytes);

	ASSERT_LE(0, read_dev("lo", &lo1));
	EXPECT_EQ(lo0.found, lo1.found);
	EXPECT_EQ(lo0.packets, lo1.packets);
	EXPECT_EQ(lo0.bytes, lo1.bytes);

	ASSERT_TRUE(close_within(fd)) TH_LOG("closing the tap hangs");
	EXPECT_TRUE(wait_line(name, false)) TH_LOG("%s's line stays", name);
}

/* Bound to lo, the module leaves a tap's frames out. */
TEST_F(packet, ifname_counts_that_device_only)
{
	char name[IFNAMSIZ];
	struct dev_counts c;
	int fd, w;

	if (!is_module())
		SKIP(return, "tour_packet is built in");
	fd = tap_open(name);
	ASSERT_LE(0, fd) TH_LOG("no tap device (CONFIG_TUN)");
	self->reloaded = true;
	ASSERT_TRUE(reload("ifname=lo"));
	EXPECT_EQ(0, read_dev("lo", &c)) TH_LOG("lines of before the load");

	w = witness_open(if_nametoindex(name));
	ASSERT_LE(0, w);
	EXPECT_EQ(10, tap_send(fd, TYPE, 50, 10));
	EXPECT_TRUE(witness_sees(w, 10)) TH_LOG("the tap got no frames");
	close(w);
	EXPECT_EQ(10, lo_send(self->sock, self->lo, TYPE, 70, 10));
	EXPECT_TRUE(counts_reach("lo", 10, 700, &c))
		TH_LOG("lo %llu %llu, want 10 700", c.packets, c.bytes);
	EXPECT_EQ(1, read_dev(name, &c));
	EXPECT_FALSE(c.found) TH_LOG("%s counted", name);
	EXPECT_TRUE(close_within(fd)) TH_LOG("closing the tap hangs");
}

TEST_F(packet, unknown_ifname_is_enodev)
{
	char out[512];

	if (!is_module())
		SKIP(return, "tour_packet is built in");
	self->reloaded = true;
	ASSERT_EQ(0, run_within("rmmod tour_packet", CMD_SECS));
	EXPECT_NE(0, run_output("modprobe tour_packet ifname=nosuchdev0 2>&1",
				out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, strerror(ENODEV)))
		TH_LOG("modprobe said: %s", out);
	EXPECT_NE(0, access(MODULE_DIR, F_OK)) TH_LOG("tour_packet is loaded");
	EXPECT_NE(0, access(PROC, F_OK));
}

/*
 * The device the module is bound to goes away: its line goes, the module
 * counts nothing more, not even on a new device of that name, and it still
 * unloads (a reference to the device, or the handler, kept past its
 * unregistering would hang the close or rmmod).
 */
TEST_F_TIMEOUT(packet, bound_device_goes_away, 60)
{
	char name[IFNAMSIZ], params[64];
	struct dev_counts c;
	int fd, w;

	if (!is_module())
		SKIP(return, "tour_packet is built in");
	fd = tap_open(name);
	ASSERT_LE(0, fd) TH_LOG("no tap device (CONFIG_TUN)");
	self->reloaded = true;
	snprintf(params, sizeof(params), "ifname=%s", name);
	ASSERT_TRUE(reload(params));
	EXPECT_EQ(5, tap_send(fd, TYPE, 40, 5));
	EXPECT_TRUE(counts_reach(name, 5, 200, &c))
		TH_LOG("%s %llu %llu, want 5 200", name, c.packets, c.bytes);

	w = witness_open(self->lo);
	ASSERT_LE(0, w);
	EXPECT_EQ(10, lo_send(self->sock, self->lo, TYPE, 20, 10));
	EXPECT_TRUE(witness_sees(w, 10)) TH_LOG("lo got no frames");
	sleep_ms(SETTLE_MS);
	EXPECT_EQ(1, read_dev("lo", &c));
	EXPECT_FALSE(c.found) TH_LOG("lo counted, bound to %s", name);

	ASSERT_TRUE(close_within(fd)) TH_LOG("closing the bound tap hangs");
	EXPECT_TRUE(wait_line(name, false)) TH_LOG("%s's line stays", name);
	EXPECT_EQ(10, lo_send(self->sock, self->lo, TYPE, 20, 10));
	EXPECT_TRUE(witness_sees(w, 10)) TH_LOG("lo got no frames");
	close(w);
	/* Nor is a new device of the same name counted. */
	fd = tap_open(name);
	ASSERT_LE(0, fd);
	w = witness_open(if_nametoindex(name));
	ASSERT_LE(0, w);
	EXPECT_EQ(5, tap_send(fd, TYPE, 40, 5));
	EXPECT_TRUE(witness_sees(w, 5)) TH_LOG("%s got no frames", name);
	close(w);
	sleep_ms(SETTLE_MS);
	EXPECT_EQ(0, read_dev("lo", &c)) TH_LOG("counted after the device");
	EXPECT_TRUE(close_within(fd)) TH_LOG("closing the new tap hangs");

	EXPECT_EQ(0, run_within("rmmod tour_packet", CMD_SECS))
		TH_LOG("rmmod hangs or fails");
	EXPECT_NE(0, access(MODULE_DIR, F_OK));
}

/* A child floods lo while the module goes and comes back CYCLES times. */
TEST_F_TIMEOUT(packet, unload_while_frames_arrive, 120)
{
	pid_t pid, parent = getpid();
	int i, status;

	if (!is_module())
		SKIP(return, "tour_packet is built in");
	self->reloaded = true;
	ASSERT_TRUE(reload(""));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		flood(self->sock, self->lo, parent);
	EXPECT_TRUE(wait_line("lo", true)) TH_LOG("the flood is not counted");
	for (i = 0; i < CYCLES; i++) {
		ASSERT_EQ(0, run_within("rmmod tour_packet", CMD_SECS))
			TH_LOG("cycle %d: rmmod", i);
		ASSERT_EQ(0, run_within("modprobe tour_packet", CMD_SECS))
			TH_LOG("cycle %d: modprobe", i);
	}
	EXPECT_TRUE(wait_line("lo", true)) TH_LOG("the flood is not counted");
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status)) TH_LOG("the flood stopped early");
	self->reloaded = false;
}

TEST_F(packet, file_goes_with_module)
{
	struct dev_counts c;

	if (!is_module())
		SKIP(return, "tour_packet is built in");
	self->reloaded = true;
	ASSERT_EQ(0, run_within("rmmod tour_packet", CMD_SECS));
	EXPECT_NE(0, access(PROC, F_OK));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_NE(0, access(MODULE_DIR, F_OK));
	ASSERT_EQ(0, run_within("modprobe tour_packet", CMD_SECS));
	EXPECT_EQ(0, read_dev("lo", &c)) TH_LOG("lines of before the load");
	self->reloaded = false;
}

TEST_HARNESS_MAIN
