// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the echo server, included by tour_echo.c so that they can
 * call its static functions. Each test starts a server of its own on a free
 * port of 127.0.0.1 and talks to it through kernel sockets: binary echoes
 * that come back whole, a half-close, max_conns, resets (some while the
 * server still sets the connection up), the keepalive of its connections,
 * the idle timeout, and a server stopped under open connections.
 *
 * The tests need the loopback device up. Built in, they run before user
 * space could bring it up, so they bring it up themselves.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>

/* How long a test waits for an answer, or for a count to change. */
#define TOUR_ECHO_TEST_WAIT	(5 * HZ)
/* The keepalive of the servers, but for the test of keepalive itself. */
#define TOUR_ECHO_TEST_KEEPALIVE	60

KUNIT_DEFINE_ACTION_WRAPPER(tour_echo_test_stop, tour_echo_stop,
			    struct tour_echo_server *);
KUNIT_DEFINE_ACTION_WRAPPER(tour_echo_test_release, sock_release,
			    struct socket *);

static struct tour_echo_server *
__tour_echo_test_server(struct kunit *test, unsigned int max,
			unsigned int keepalive, unsigned int idle)
{
	struct tour_echo_server *srv;
	int ret;

	rtnl_lock();
	ret = dev_open(init_net.loopback_dev, NULL);
	rtnl_unlock();
	KUNIT_ASSERT_EQ(test, ret, 0);

	srv = kunit_kzalloc(test, sizeof(*srv), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, srv);
	ret = tour_echo_start(srv, htonl(INADDR_LOOPBACK), 0, max, keepalive,
			      idle);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = kunit_add_action_or_reset(test, tour_echo_test_stop, srv);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_NE(test, srv->port, 0);
	KUNIT_ASSERT_EQ(test, ntohl(srv->addr), INADDR_LOOPBACK);
	return srv;
}

static struct tour_echo_server *tour_echo_test_server(struct kunit *test,
						      unsigned int max)
{
	return __tour_echo_test_server(test, max, TOUR_ECHO_TEST_KEEPALIVE, 0);
}

/* A client socket with time-outs, which the caller releases. */
static struct socket *tour_echo_test_socket(struct kunit *test)
{
	struct socket *sock;
	int ret;

	ret = sock_create_kern(&init_net, PF_INET, SOCK_STREAM, IPPROTO_TCP,
			       &sock);
	KUNIT_ASSERT_EQ(test, ret, 0);
	sock->sk->sk_rcvtimeo = TOUR_ECHO_TEST_WAIT;
	sock->sk->sk_sndtimeo = TOUR_ECHO_TEST_WAIT;
	return sock;
}

/* Connect @sock to @srv: 0 or a negative errno. */
static int tour_echo_test_dial(struct socket *sock,
			       struct tour_echo_server *srv)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(srv->port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};

	return kernel_connect(sock, (struct sockaddr_unsized *)&sin, sizeof(sin),
			      0);
}

/* A client connected to @srv, which the caller releases. */
static struct socket *__tour_echo_test_connect(struct kunit *test,
					       struct tour_echo_server *srv)
{
	struct socket *sock = tour_echo_test_socket(test);
	int ret;

	ret = tour_echo_test_dial(sock, srv);
	if (ret)
		sock_release(sock);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return sock;
}

/* A client connected to @srv, released at the end of the test. */
static struct socket *tour_echo_test_connect(struct kunit *test,
					     struct tour_echo_server *srv)
{
	struct socket *sock = __tour_echo_test_connect(test, srv);
	int ret;

	ret = kunit_add_action_or_reset(test, tour_echo_test_release, sock);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return sock;
}

static int tour_echo_test_send(struct socket *sock, const void *buf,
			       size_t len)
{
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
	struct kvec iov = { .iov_base = (void *)buf, .iov_len = len };

	return kernel_sendmsg(sock, &msg, &iov, 1, len);
}

/* Read exactly @len bytes, or less at EOF; a negative errno on error. */
static int tour_echo_test_recv(struct socket *sock, void *buf, size_t len)
{
	struct msghdr msg = {};
	struct kvec iov = { .iov_base = buf, .iov_len = len };

	return kernel_recvmsg(sock, &msg, &iov, 1, len, MSG_WAITALL);
}

/*
 * Wait until @srv has @n connections open, @n accepted or @n bytes echoed;
 * false if it never does. The counts move after the client has seen what
 * they count: the echo reaches the client within the server's send.
 */
static bool tour_echo_test_wait(s64 (*count)(struct tour_echo_server *srv),
				struct tour_echo_server *srv, s64 n)
{
	unsigned long end = jiffies + TOUR_ECHO_TEST_WAIT;

	while (count(srv) != n) {
		if (time_after(jiffies, end))
			return false;
		msleep(20);
	}
	return true;
}

static s64 tour_echo_test_conns(struct tour_echo_server *srv)
{
	return READ_ONCE(srv->nconns);
}

static s64 tour_echo_test_accepted(struct tour_echo_server *srv)
{
	return atomic64_read(&srv->accepted);
}

static s64 tour_echo_test_bytes(struct tour_echo_server *srv)
{
	return atomic64_read(&srv->bytes);
}

static bool tour_echo_test_wait_conns(struct tour_echo_server *srv,
				      unsigned int n)
{
	return tour_echo_test_wait(tour_echo_test_conns, srv, n);
}

/* Random bytes, every fourth of them zero: an echo must not stop at NUL. */
static u8 *tour_echo_test_payload(struct kunit *test, size_t len)
{
	u8 *buf = kunit_kmalloc(test, len, GFP_KERNEL);
	size_t i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	get_random_bytes(buf, len);
	for (i = 0; i < len; i += 4)
		buf[i] = 0;
	return buf;
}

static void tour_echo_test_roundtrip(struct kunit *test,
				     struct socket *sock, size_t len)
{
	u8 *out = tour_echo_test_payload(test, len);
	u8 *in = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, in);
	KUNIT_ASSERT_EQ(test, tour_echo_test_send(sock, out, len), len);
	KUNIT_ASSERT_EQ(test, tour_echo_test_recv(sock, in, len), len);
	KUNIT_EXPECT_MEMEQ(test, in, out, len);
}

static void tour_echo_test_binary(struct kunit *test)
{
	static const size_t lens[] = { 1, 2, 1000, TOUR_ECHO_BUF_SIZE,
				       TOUR_ECHO_BUF_SIZE + 1, 40000 };
	struct tour_echo_server *srv = tour_echo_test_server(test, 4);
	struct socket *sock = tour_echo_test_connect(test, srv);
	s64 total = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		tour_echo_test_roundtrip(test, sock, lens[i]);
		total += lens[i];
	}
	KUNIT_EXPECT_TRUE(test, tour_echo_test_wait(tour_echo_test_bytes, srv,
						    total));
	KUNIT_EXPECT_EQ(test, atomic64_read(&srv->accepted), 1);
	KUNIT_EXPECT_EQ(test, READ_ONCE(srv->nconns), 1);
}

/* After the client's FIN comes the rest of the echo, then the server's. */
static void tour_echo_test_half_close(struct kunit *test)
{
	struct tour_echo_server *srv = tour_echo_test_server(test, 4);
	struct socket *sock = tour_echo_test_connect(test, srv);
	u8 *out = tour_echo_test_payload(test, 5000);
	u8 *in = kunit_kzalloc(test, 5001, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, in);
	KUNIT_ASSERT_EQ(test, tour_echo_test_send(sock, out, 5000), 5000);
	KUNIT_ASSERT_EQ(test, kernel_sock_shutdown(sock, SHUT_WR), 0);
	KUNIT_ASSERT_EQ(test, tour_echo_test_recv(sock, in, 5001), 5000);
	KUNIT_EXPECT_MEMEQ(test, in, out, 5000);
	/* A FIN, not a reset nor a time-out. */
	KUNIT_EXPECT_EQ(test, tour_echo_test_recv(sock, in, 1), 0);
	KUNIT_EXPECT_TRUE(test, tour_echo_test_wait_conns(srv, 0));
}

/* Past max_conns a connection is reset at once; a freed place is reused. */
static void tour_echo_test_max_conns(struct kunit *test)
{
	struct tour_echo_server *srv = tour_echo_test_server(test, 2);
	struct socket *a = tour_echo_test_connect(test, srv);
	struct socket *b = tour_echo_test_connect(test, srv);
	struct socket *c;
	u8 byte = 0;
	int ret;

	tour_echo_test_roundtrip(test, a, 10);
	tour_echo_test_roundtrip(test, b, 10);
	c = tour_echo_test_socket(test);
	ret = kunit_add_action_or_reset(test, tour_echo_test_release, c);
	KUNIT_ASSERT_EQ(test, ret, 0);
	/* The reset may come before the connect returns, and fail it. */
	ret = tour_echo_test_dial(c, srv);
	if (!ret)
		ret = tour_echo_test_recv(c, &byte, 1);
	KUNIT_EXPECT_EQ(test, ret, -ECONNRESET);
	KUNIT_EXPECT_EQ(test, atomic64_read(&srv->refused), 1);
	KUNIT_EXPECT_EQ(test, atomic64_read(&srv->accepted), 3);

	KUNIT_ASSERT_EQ(test, kernel_sock_shutdown(a, SHUT_RDWR), 0);
	KUNIT_ASSERT_TRUE(test, tour_echo_test_wait_conns(srv, 1));
	c = tour_echo_test_connect(test, srv);
	tour_echo_test_roundtrip(test, c, 10);
	KUNIT_EXPECT_EQ(test, atomic64_read(&srv->refused), 1);
}

/* A client that resets its connection in the middle of an echo. */
static void tour_echo_test_reset(struct kunit *test)
{
	struct tour_echo_server *srv = tour_echo_test_server(test, 16);
	u8 *out = tour_echo_test_payload(test, 30000);
	struct socket *sock;
	int i, ret;

	for (i = 0; i < 10; i++) {
		sock = __tour_echo_test_connect(test, srv);
		ret = tour_echo_test_send(sock, out, 30000);
		/* Zero linger: the release sends a reset. */
		sock_no_linger(sock->sk);
		sock_release(sock);
		KUNIT_ASSERT_EQ(test, ret, 30000);
	}
	KUNIT_EXPECT_TRUE(test, tour_echo_test_wait(tour_echo_test_accepted,
						    srv, 10));
	KUNIT_EXPECT_TRUE(test, tour_echo_test_wait_conns(srv, 0));
	KUNIT_EXPECT_EQ(test, atomic64_read(&srv->refused), 0);
	sock = tour_echo_test_connect(test, srv);
	tour_echo_test_roundtrip(test, sock, 100);
}

/*
 * Clients that send a byte and reset within 20 ms, while the server may
 * still be setting their connection up: it closes each one.
 */
static void tour_echo_test_reset_early(struct kunit *test)
{
	struct tour_echo_server *srv = tour_echo_test_server(test, 16);
	struct socket *sock;
	int i, ret;

	for (i = 0; i < 50; i++) {
		sock = __tour_echo_test_connect(test, srv);
		ret = tour_echo_test_send(sock, "x", 1);
		msleep(get_random_u32_below(20));
		sock_no_linger(sock->sk);
		sock_release(sock);
		KUNIT_ASSERT_EQ(test, ret, 1);
	}
	KUNIT_EXPECT_TRUE(test, tour_echo_test_wait(tour_echo_test_accepted,
						    srv, 50));
	KUNIT_EXPECT_TRUE(test, tour_echo_test_wait_conns(srv, 0));
	KUNIT_EXPECT_EQ(test, atomic64_read(&srv->refused), 0);
	sock = tour_echo_test_connect(test, srv);
	tour_echo_test_roundtrip(test, sock, 100);
}

/*
 * Each connection gets the server's keepalive: probes after that many
 * seconds of silence, every that many seconds, and a user timeout of
 * TOUR_ECHO_KEEPCNT + 1 times as long; or, with 0, neither.
 */
static void tour_echo_test_keepalive(struct kunit *test)
{
	static const unsigned int secs[] = { 0, 1, 60, MAX_TCP_KEEPIDLE };
	struct tour_echo_server *srv;
	struct tour_echo_conn *conn;
	struct socket *sock;
	struct sock *sk;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(secs); i++) {
		srv = __tour_echo_test_server(test, 4, secs[i], 0);
		sock = tour_echo_test_connect(test, srv);
		/* Once it is echoed, the connection is on the list. */
		tour_echo_test_roundtrip(test, sock, 10);

		/* The lock keeps conn from being freed. */
		mutex_lock(&srv->lock);
		conn = list_first_entry(&srv->conns, struct tour_echo_conn,
					node);
		sk = conn->sock->sk;
		KUNIT_EXPECT_EQ(test, sock_flag(sk, SOCK_KEEPOPEN), !!secs[i]);
		KUNIT_EXPECT_EQ(test, inet_csk(sk)->icsk_user_timeout,
				(TOUR_ECHO_KEEPCNT + 1) * secs[i] * MSEC_PER_SEC);
		if (secs[i]) {
			KUNIT_EXPECT_EQ(test, keepalive_time_when(tcp_sk(sk)),
					secs[i] * HZ);
			KUNIT_EXPECT_EQ(test, keepalive_intvl_when(tcp_sk(sk)),
					secs[i] * HZ);
			KUNIT_EXPECT_EQ(test, keepalive_probes(tcp_sk(sk)),
					TOUR_ECHO_KEEPCNT);
		}
		mutex_unlock(&srv->lock);
	}
}

/*
 * With an idle timeout of 1 s, a client that sends nothing and one that
 * leaves its echo unread are closed, and one that sends every 200 ms
 * stays open the whole time.
 */
static void tour_echo_test_idle(struct kunit *test)
{
	struct tour_echo_server *srv = __tour_echo_test_server(test, 4, 0, 1);
	u8 *out = tour_echo_test_payload(test, 300000);
	struct socket *silent, *unread, *busy;
	u8 byte;
	int i;

	silent = tour_echo_test_connect(test, srv);
	unread = tour_echo_test_connect(test, srv);
	busy = tour_echo_test_connect(test, srv);
	/* An echo it never reads; the send stops where the windows fill. */
	unread->sk->sk_sndtimeo = HZ / 2;
	KUNIT_EXPECT_GT(test, tour_echo_test_send(unread, out, 300000), 0);
	for (i = 0; i < 10; i++) {
		tour_echo_test_roundtrip(test, busy, 10);
		msleep(200);
	}
	KUNIT_EXPECT_EQ(test, READ_ONCE(srv->nconns), 1);
	KUNIT_EXPECT_EQ(test, tour_echo_test_recv(silent, &byte, 1), 0);
	tour_echo_test_roundtrip(test, busy, 10);
	KUNIT_EXPECT_TRUE(test, tour_echo_test_wait_conns(srv, 0));
}

/* Stopping the server ends every connection, whatever it was doing. */
static void tour_echo_test_stop_busy(struct kunit *test)
{
	struct tour_echo_server *srv = tour_echo_test_server(test, 4);
	u8 *out = tour_echo_test_payload(test, 30000);
	struct socket *socks[3];
	u8 byte;
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(socks); i++)
		socks[i] = tour_echo_test_connect(test, srv);
	tour_echo_test_roundtrip(test, socks[0], 100);
	/* An echo of 30000 bytes the client does not read. */
	KUNIT_ASSERT_EQ(test, tour_echo_test_send(socks[1], out, 30000),
			30000);
	KUNIT_ASSERT_TRUE(test, tour_echo_test_wait_conns(srv, 3));

	kunit_release_action(test, tour_echo_test_stop, srv);
	KUNIT_EXPECT_EQ(test, READ_ONCE(srv->nconns), 0);
	for (i = 0; i < ARRAY_SIZE(socks); i++) {
		do {
			ret = tour_echo_test_recv(socks[i], &byte, 1);
		} while (ret == 1);
		KUNIT_EXPECT_TRUE(test, ret == 0 || ret == -ECONNRESET);
	}
}

static struct kunit_case tour_echo_test_cases[] = {
	KUNIT_CASE(tour_echo_test_binary),
	KUNIT_CASE(tour_echo_test_half_close),
	KUNIT_CASE(tour_echo_test_max_conns),
	KUNIT_CASE(tour_echo_test_reset),
	KUNIT_CASE(tour_echo_test_reset_early),
	KUNIT_CASE(tour_echo_test_keepalive),
	KUNIT_CASE_SLOW(tour_echo_test_idle),
	KUNIT_CASE(tour_echo_test_stop_busy),
	{}
};

static struct kunit_suite tour_echo_test_suite = {
	.name = "tour_echo",
	.test_cases = tour_echo_test_cases,
};

kunit_test_suite(tour_echo_test_suite);
