// SPDX-License-Identifier: GPL-2.0-only
/*
 * A TCP echo server in the kernel: every byte a client sends comes back.
 *
 * A kernel thread accepts connections on addr:port, 127.0.0.1:8080 by
 * default, where only this machine's programs reach it; addr=0.0.0.0
 * listens on every address of the machine: like any server, do that only
 * where the networks it is reachable from may use it. Each connection is
 * then served by a work item on a workqueue of the module's, queued by the
 * socket's own callbacks: data came in (sk_data_ready), there is room to
 * send again (sk_write_space), or the state changed (sk_state_change: a
 * FIN, a reset, a shutdown). The work item never blocks: it reads what
 * there is, sends what it can and returns, and the next callback queues it
 * again.
 *
 * The workqueue is unbound (WQ_UNBOUND), so that the workqueue code, not
 * the sample, picks the CPU a run goes to: one near the CPU that queued it
 * (sharing its cache, by default), never one kept free of kernel work
 * (isolcpus, nohz_full). A work item still never runs twice at once.
 *
 * Why a workqueue rather than a thread per connection: a connection that
 * waits for its client costs a work item and a timer, no thread with a
 * stack and a task to schedule; a run never sleeps on its socket
 * (MSG_DONTWAIT), so a few workers serve every connection that has work;
 * and unloading waits for one workqueue rather than stopping one thread
 * per client.
 *
 * The echo is binary-safe (lengths, never strlen()) and keeps the order of
 * the bytes: a connection reads into its buffer only once the buffer has
 * all been sent, so a client that sends and never reads fills its own
 * receive window, then the server's, and its sends block; the server's
 * memory stays one buffer per connection that has an echo to send, and
 * none for one that waits: a run takes the buffer when there is data and
 * gives it back when it leaves nothing owed. When the client half-closes,
 * the rest of the echo goes out, then a FIN. A reset or any error closes
 * the connection. Nothing is logged per message.
 *
 * Past max_conns open connections, a new one is accepted and reset at once
 * (the client's connect() or next read gets ECONNRESET); it counts as
 * refused. A client that vanishes without a FIN or a reset (powered off,
 * cut off) would keep its place forever: TCP keepalive drops it once it
 * has left keepalive probes unanswered (see tour_echo_keepalive()), and
 * so drops a client that leaves its echo unread, its window shut, as long.
 * A client that is there but moves no byte, in either direction, for
 * idle_timeout seconds is closed too: holding a place is not enough.
 *
 * A read of /proc/tour_echo (0444) gives:
 *	addr: IP	the address the server listens on
 *	port: P		and its port
 *	max_conns: M	the connections it serves at once
 *	connections: N	the connections open now
 *	accepted: A	the connections accepted since the load, refused or not
 *	refused: R	those reset at once because max_conns were open
 *	bytes: B	the bytes echoed since the load
 *
 * Unloading closes the listening socket, which ends the accept thread, then
 * shuts every connection down (the clients see their connection end) and
 * waits for their work items to release them.
 *
 * Try it:
 *	modprobe tour_echo	(or: modprobe tour_echo addr=0.0.0.0 port=7)
 *	echo hello | nc 127.0.0.1 8080
 *	cat /proc/tour_echo
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/in.h>
#include <linux/inet.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/tcp.h>
#include <linux/time64.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <linux/uio.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <trace/events/sock.h>

/* Each connection's buffer: what one read takes and the echo sends back. */
#define TOUR_ECHO_BUF_SIZE	16384
/* Reads and sends a work item does before it lets other connections run. */
#define TOUR_ECHO_BUDGET	16
/* The most connections max_conns may allow. */
#define TOUR_ECHO_MAX_CONNS	65536
/* The keepalive probes a client may leave unanswered. */
#define TOUR_ECHO_KEEPCNT	2
/* The longest idle_timeout, in seconds: a day. */
#define TOUR_ECHO_MAX_IDLE	86400

static char *addr = "127.0.0.1";
module_param(addr, charp, 0444);
MODULE_PARM_DESC(addr, "IPv4 address to listen on, 0.0.0.0 for all (default: 127.0.0.1)");

static ushort port = 8080;
module_param(port, ushort, 0444);
MODULE_PARM_DESC(port, "TCP port to listen on (default: 8080)");

static uint max_conns = 256;
module_param(max_conns, uint, 0444);
MODULE_PARM_DESC(max_conns, "connections served at once, 1 to 65536 (default: 256)");

static uint keepalive = 60;
module_param(keepalive, uint, 0444);
MODULE_PARM_DESC(keepalive, "seconds idle before TCP probes a client, 0 for never, up to 32767 (default: 60)");

static uint idle_timeout = 300;
module_param(idle_timeout, uint, 0444);
MODULE_PARM_DESC(idle_timeout, "seconds a connection may move no byte before it is closed, 0 for never, up to 86400 (default: 300)");

/**
 * struct tour_echo_server - a listening socket and its connections
 * @listener: the listening socket
 * @acceptor: the thread that accepts connections on @listener
 * @wq: where the connections' work items run
 * @lock: protects @conns and @nconns
 * @conns: the open connections, &struct tour_echo_conn
 * @nconns: how many there are; read without @lock with READ_ONCE()
 * @idle: woken when @nconns drops to 0
 * @max_conns: the most connections open at once
 * @keepalive: the seconds of silence before TCP probes a client, or 0
 * @idle_timeout: the jiffies a connection may move no byte, or 0 for ever
 * @addr: the address @listener is bound to
 * @port: and its port
 * @accepted: the connections accepted, refused ones included
 * @refused: the connections reset at once because @max_conns were open
 * @bytes: the bytes echoed
 */
struct tour_echo_server {
	struct socket *listener;
	struct task_struct *acceptor;
	struct workqueue_struct *wq;
	struct mutex lock;	/* protects conns and nconns */
	struct list_head conns;
	unsigned int nconns;
	wait_queue_head_t idle;
	unsigned int max_conns;
	unsigned int keepalive;
	unsigned long idle_timeout;
	__be32 addr;
	u16 port;
	atomic64_t accepted;
	atomic64_t refused;
	atomic64_t bytes;
};

/**
 * struct tour_echo_conn - a connection and the echo it owes
 * @node: in &tour_echo_server.conns
 * @srv: the server
 * @sock: the connection's socket
 * @work: reads, echoes and closes the connection
 * @idle: queues @work when the connection may have been idle too long
 * @active: when a byte last moved, in jiffies
 * @data_ready: the socket's callback before this connection took it
 * @write_space: likewise
 * @state_change: likewise
 * @buf: what was read and is being echoed, or NULL when nothing is owed
 * @len: the bytes in @buf
 * @sent: the bytes of @buf already sent back
 * @eof: the client has half-closed the connection
 *
 * Only @work uses @active, @buf, @len, @sent and @eof: a work item never
 * runs twice at once.
 */
struct tour_echo_conn {
	struct list_head node;
	struct tour_echo_server *srv;
	struct socket *sock;
	struct work_struct work;
	struct timer_list idle;
	unsigned long active;
	void (*data_ready)(struct sock *sk);
	void (*write_space)(struct sock *sk);
	void (*state_change)(struct sock *sk);
	u8 *buf;
	size_t len;
	size_t sent;
	bool eof;
};

static struct tour_echo_server tour_echo;
static struct proc_dir_entry *tour_echo_pde;

/*
 * The socket callbacks run in softirq context, or in process context with
 * the socket locked. sk_callback_lock keeps sk_user_data and the work item
 * alive while they queue it: tour_echo_close() takes it for writing to
 * unhook the connection before freeing it. TCP calls them with the socket
 * locked, and sock_release() locks it, so no callback still runs module
 * code once the last connection is released; destroy_workqueue() then
 * waits for the work items.
 *
 * This one is installed as sk_data_ready (data came in) and sk_state_change
 * (a FIN, a reset, a shutdown): either way the work item has to look.
 */
static void tour_echo_wake(struct sock *sk)
{
	struct tour_echo_conn *conn;

	trace_sk_data_ready(sk);
	read_lock_bh(&sk->sk_callback_lock);
	conn = sk->sk_user_data;
	if (conn)
		queue_work(conn->srv->wq, &conn->work);
	read_unlock_bh(&sk->sk_callback_lock);
}

/*
 * TCP calls this on each ACK for as long as SOCK_NOSPACE, which a send
 * that found no room set, stays set: clear it once there is room.
 */
static void tour_echo_write_space(struct sock *sk)
{
	struct tour_echo_conn *conn;

	read_lock_bh(&sk->sk_callback_lock);
	conn = sk->sk_user_data;
	if (conn && sk_stream_is_writeable(sk)) {
		clear_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		queue_work(conn->srv->wq, &conn->work);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

/* The idle timer: the work item tells whether the connection is idle. */
static void tour_echo_idle(struct timer_list *t)
{
	struct tour_echo_conn *conn = timer_container_of(conn, t, idle);

	queue_work(conn->srv->wq, &conn->work);
}

/* Read into the buffer, which a connection only has while it needs it. */
static int tour_echo_recv(struct tour_echo_conn *conn)
{
	struct msghdr msg = {};
	struct kvec iov = { .iov_len = TOUR_ECHO_BUF_SIZE };

	if (!conn->buf) {
		conn->buf = kmalloc(TOUR_ECHO_BUF_SIZE, GFP_KERNEL);
		if (!conn->buf)
			return -ENOMEM;
	}
	iov.iov_base = conn->buf;
	return kernel_recvmsg(conn->sock, &msg, &iov, 1, iov.iov_len,
			      MSG_DONTWAIT);
}

/* MSG_NOSIGNAL: a send after a shutdown must not raise SIGPIPE. */
static int tour_echo_send(struct tour_echo_conn *conn)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec iov = {
		.iov_base = conn->buf + conn->sent,
		.iov_len = conn->len - conn->sent,
	};

	return kernel_sendmsg(conn->sock, &msg, &iov, 1, iov.iov_len);
}

/*
 * Unhook the connection from its socket and stop its timer, so that
 * nothing queues the work any more, drop the run queued before that, and
 * free it all. Called by the work item itself, which may free itself.
 */
static void tour_echo_close(struct tour_echo_conn *conn)
{
	struct tour_echo_server *srv = conn->srv;
	struct sock *sk = conn->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	sk->sk_data_ready = conn->data_ready;
	sk->sk_write_space = conn->write_space;
	sk->sk_state_change = conn->state_change;
	write_unlock_bh(&sk->sk_callback_lock);
	timer_shutdown_sync(&conn->idle);
	cancel_work(&conn->work);

	mutex_lock(&srv->lock);
	list_del(&conn->node);
	WRITE_ONCE(srv->nconns, srv->nconns - 1);
	if (!srv->nconns)
		wake_up(&srv->idle);
	mutex_unlock(&srv->lock);

	sock_release(conn->sock);
	kfree(conn->buf);
	kfree(conn);
}

/*
 * The socket has nothing to read or no room to send: give the buffer back
 * if nothing is owed, and close the connection if no byte moved for the
 * idle timeout. Otherwise the timer comes back when it would have been
 * that long; it is armed once, not on every byte.
 */
static bool tour_echo_wait(struct tour_echo_conn *conn)
{
	unsigned long timeout = conn->srv->idle_timeout;

	if (conn->sent == conn->len) {
		kfree(conn->buf);
		conn->buf = NULL;
	}
	if (!timeout)
		return true;
	if (time_after_eq(jiffies, conn->active + timeout))
		return false;
	if (!timer_pending(&conn->idle))
		mod_timer(&conn->idle, conn->active + timeout);
	return true;
}

/*
 * Send what is owed, then read more, until the socket has nothing to read
 * or no room to send: -EAGAIN, and a callback queues the work again when
 * that changes. After TOUR_ECHO_BUDGET steps the work queues itself again
 * and lets the other connections' work run.
 */
static void tour_echo_work(struct work_struct *work)
{
	struct tour_echo_conn *conn = container_of(work, struct tour_echo_conn,
						   work);
	int budget = TOUR_ECHO_BUDGET;
	int ret;

	while (budget--) {
		if (conn->sent < conn->len) {
			ret = tour_echo_send(conn);
			if (ret == -EAGAIN)
				goto wait;
			if (ret < 0)
				goto close;
			conn->sent += ret;
			conn->active = jiffies;
			atomic64_add(ret, &conn->srv->bytes);
			continue;
		}
		/* All is echoed: sock_release() sends the FIN. */
		if (conn->eof)
			goto close;
		ret = tour_echo_recv(conn);
		if (ret == -EAGAIN)
			goto wait;
		if (ret < 0)
			goto close;
		conn->eof = !ret;
		conn->len = ret;
		conn->sent = 0;
		conn->active = jiffies;
	}
	queue_work(conn->srv->wq, &conn->work);
	return;

wait:
	if (tour_echo_wait(conn))
		return;
close:
	tour_echo_close(conn);
}

/*
 * Let TCP end a connection whose client vanished without a FIN or a reset
 * (powered off, cut off), which would keep its place forever: after @secs
 * seconds of silence TCP probes the client every @secs seconds and gives
 * up when TOUR_ECHO_KEEPCNT probes go unanswered. The user timeout (which
 * TCP then checks in place of the count, to the same end) gives up as well
 * on an echo unacknowledged, or unread behind a zero window, that long.
 * A live client that stays idle answers the probes and keeps its place.
 */
static void tour_echo_keepalive(struct sock *sk, unsigned int secs)
{
	if (!secs)
		return;
	sock_set_keepalive(sk);
	tcp_sock_set_keepidle(sk, secs);
	tcp_sock_set_keepintvl(sk, secs);
	tcp_sock_set_keepcnt(sk, TOUR_ECHO_KEEPCNT);
	tcp_sock_set_user_timeout(sk, (TOUR_ECHO_KEEPCNT + 1) * secs *
				  MSEC_PER_SEC);
}

/*
 * Serve a connection that was just accepted, or reset it at once when
 * max_conns are open: zero linger makes the release send a reset rather
 * than a FIN. Only this thread adds connections, so room seen here is
 * still there when the connection is added.
 */
static void tour_echo_serve(struct tour_echo_server *srv, struct socket *sock)
{
	struct tour_echo_conn *conn;
	struct sock *sk = sock->sk;

	atomic64_inc(&srv->accepted);
	if (READ_ONCE(srv->nconns) >= srv->max_conns) {
		atomic64_inc(&srv->refused);
		goto reset;
	}
	conn = kzalloc_obj(*conn);
	if (!conn)
		goto reset;
	conn->srv = srv;
	conn->sock = sock;
	conn->active = jiffies;
	INIT_WORK(&conn->work, tour_echo_work);
	timer_setup(&conn->idle, tour_echo_idle, 0);

	/* An echo is a request and its answer: do not wait to fill segments. */
	tcp_sock_set_nodelay(sk);
	tour_echo_keepalive(sk, srv->keepalive);

	mutex_lock(&srv->lock);
	WRITE_ONCE(srv->nconns, srv->nconns + 1);
	list_add_tail(&conn->node, &srv->conns);
	mutex_unlock(&srv->lock);

	write_lock_bh(&sk->sk_callback_lock);
	conn->data_ready = sk->sk_data_ready;
	conn->write_space = sk->sk_write_space;
	conn->state_change = sk->sk_state_change;
	sk->sk_user_data = conn;
	sk->sk_data_ready = tour_echo_wake;
	sk->sk_write_space = tour_echo_write_space;
	sk->sk_state_change = tour_echo_wake;
	/*
	 * A run for data that came before the callbacks. Queued under the
	 * lock: a run may free conn, but only once close() has taken it.
	 */
	queue_work(srv->wq, &conn->work);
	write_unlock_bh(&sk->sk_callback_lock);
	return;

reset:
	sock_no_linger(sk);
	sock_release(sock);
}

/*
 * kernel_accept() sleeps until a connection comes. Shutting the listening
 * socket down wakes it with -EINVAL, and the thread ends; tour_echo_stop()
 * holds a reference to its task_struct so that it can still stop it then.
 * Other errors (no memory for the new socket, say) end one accept only.
 */
static int tour_echo_accept(void *data)
{
	struct tour_echo_server *srv = data;
	struct socket *sock;
	int ret;

	while (!kthread_should_stop()) {
		ret = kernel_accept(srv->listener, &sock, 0);
		if (ret == -EINVAL)
			break;
		if (ret) {
			schedule_timeout_idle(HZ / 100);
			continue;
		}
		tour_echo_serve(srv, sock);
	}
	return 0;
}

/*
 * Stop accepting, then shut every connection down: the shutdown's state
 * change queues each connection's work, which finds the socket closed and
 * closes the connection. The list lock keeps each socket from being
 * released while it is shut down. Once no connection is left, the
 * workqueue has only the last runs of closing work items to wait for.
 * The wait's condition reads the count without the mutex: it runs after
 * the task has left TASK_RUNNING, where nothing may sleep.
 */
static void tour_echo_stop(struct tour_echo_server *srv)
{
	struct tour_echo_conn *conn;

	kernel_sock_shutdown(srv->listener, SHUT_RDWR);
	kthread_stop_put(srv->acceptor);

	mutex_lock(&srv->lock);
	list_for_each_entry(conn, &srv->conns, node)
		kernel_sock_shutdown(conn->sock, SHUT_RDWR);
	mutex_unlock(&srv->lock);
	wait_event(srv->idle, !READ_ONCE(srv->nconns));

	destroy_workqueue(srv->wq);
	sock_release(srv->listener);
}

/*
 * Listen on @ip:@port (@port 0 takes a free port, which srv->port then
 * gives) and start the accept thread; its connections get @keepalive (see
 * tour_echo_keepalive()) and are closed after @idle seconds without a byte
 * (0: never). SO_REUSEADDR lets a reload bind the port while connections
 * of the last load are in TIME_WAIT.
 */
static int tour_echo_start(struct tour_echo_server *srv, __be32 ip, u16 port,
			   unsigned int max_conns, unsigned int keepalive,
			   unsigned int idle)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = ip,
	};
	int ret;

	mutex_init(&srv->lock);
	INIT_LIST_HEAD(&srv->conns);
	init_waitqueue_head(&srv->idle);
	srv->max_conns = max_conns;
	srv->keepalive = keepalive;
	srv->idle_timeout = (unsigned long)idle * HZ;

	/* Unbound: the workqueue places each run (see the top of the file). */
	srv->wq = alloc_workqueue("tour_echo", WQ_UNBOUND, 0);
	if (!srv->wq)
		return -ENOMEM;

	ret = sock_create_kern(&init_net, PF_INET, SOCK_STREAM, IPPROTO_TCP,
			       &srv->listener);
	if (ret)
		goto err_wq;
	sock_set_reuseaddr(srv->listener->sk);
	ret = kernel_bind(srv->listener, (struct sockaddr_unsized *)&sin,
			  sizeof(sin));
	if (ret)
		goto err_sock;
	ret = kernel_listen(srv->listener, SOMAXCONN);
	if (ret)
		goto err_sock;
	ret = kernel_getsockname(srv->listener, (struct sockaddr *)&sin);
	if (ret < 0)
		goto err_sock;
	srv->addr = sin.sin_addr.s_addr;
	srv->port = ntohs(sin.sin_port);

	srv->acceptor = kthread_create(tour_echo_accept, srv, "tour_echo/%u",
				       srv->port);
	if (IS_ERR(srv->acceptor)) {
		ret = PTR_ERR(srv->acceptor);
		goto err_sock;
	}
	get_task_struct(srv->acceptor);
	wake_up_process(srv->acceptor);
	return 0;

err_sock:
	sock_release(srv->listener);
err_wq:
	destroy_workqueue(srv->wq);
	return ret;
}

static int tour_echo_show(struct seq_file *m, void *v)
{
	struct tour_echo_server *srv = m->private;

	seq_printf(m, "addr: %pI4\n", &srv->addr);
	seq_printf(m, "port: %u\n", srv->port);
	seq_printf(m, "max_conns: %u\n", srv->max_conns);
	seq_printf(m, "connections: %u\n", READ_ONCE(srv->nconns));
	seq_printf(m, "accepted: %lld\n", atomic64_read(&srv->accepted));
	seq_printf(m, "refused: %lld\n", atomic64_read(&srv->refused));
	seq_printf(m, "bytes: %lld\n", atomic64_read(&srv->bytes));
	return 0;
}

static int __init tour_echo_init(void)
{
	const char *end;
	__be32 ip;
	int ret;

	/* in4_pton() stops at the first character it does not take. */
	if (!in4_pton(addr, -1, (u8 *)&ip, -1, &end) || *end)
		return -EINVAL;
	if (!max_conns || max_conns > TOUR_ECHO_MAX_CONNS ||
	    keepalive > MAX_TCP_KEEPIDLE || idle_timeout > TOUR_ECHO_MAX_IDLE)
		return -EINVAL;

	ret = tour_echo_start(&tour_echo, ip, port, max_conns, keepalive,
			      idle_timeout);
	if (ret) {
		pr_err("cannot start a server on %pI4:%u: %d\n", &ip, port, ret);
		return ret;
	}

	tour_echo_pde = proc_create_single_data("tour_echo", 0444, NULL,
						tour_echo_show, &tour_echo);
	if (!tour_echo_pde) {
		tour_echo_stop(&tour_echo);
		return -ENOMEM;
	}
	pr_info("echoing on %pI4:%u, %u connections at most\n",
		&tour_echo.addr, tour_echo.port, max_conns);
	return 0;
}
module_init(tour_echo_init);

static void __exit tour_echo_exit(void)
{
	proc_remove(tour_echo_pde);
	tour_echo_stop(&tour_echo);
}
module_exit(tour_echo_exit);

/* The KUnit tests of the server, on instances of their own. */
#if IS_ENABLED(CONFIG_SAMPLE_TOUR_ECHO_KUNIT_TEST)
#include "tour_echo_test.c"
#endif

MODULE_AUTHOR("Kernel Driver Tour <kdt@example.org>");
MODULE_DESCRIPTION("Kernel driver tour: a TCP echo server");
MODULE_LICENSE("GPL");
