// SPDX-License-Identifier: GPL-2.0-only
/*
 * A packet handler for Ethernet frames of type 0x1234, with counts per
 * device in /proc/tour_packet.
 *
 * dev_add_pack() puts a struct packet_type on the lists that the receive
 * path walks for each frame. For every frame whose type is 0x1234 the
 * handler is called, in softirq context, with a reference to the skb that
 * it owns from then on: it must free it, or the skb leaks. This one only
 * counts the frame and gives the reference back with consume_skb().
 *
 * By default the handler gets the frames of every device, and counts those
 * of the initial network namespace (the handlers' lists are global, the
 * file is not per namespace). With the parameter ifname it gets only those
 * received on that device of the initial namespace, or on a device above it
 * (a VLAN, a bond), which count under that device's name: the packet_type
 * then names the device and holds a reference to it. The handler must be
 * removed before the device can go: the unregistration waits for the
 * reference, and a handler still on the device's own list would crash it.
 * So a netdevice notifier removes the handler and drops the reference when
 * the device is unregistered (or moved to another namespace); the module
 * stays loaded and counts nothing more. The same notifier drops the counts
 * of any device that goes away, and follows renames (the parameter keeps
 * the name it was given). Built in, ifname names a device that may not
 * exist yet: the load then fails with -ENODEV.
 *
 * Like a packet socket, and unlike IP, the handler counts the frames a
 * device in promiscuous mode receives for other hosts too.
 *
 * A read of the file gives a line per device that received a frame of type
 * 0x1234 since the module was loaded:
 *	<device> <frames> <bytes>
 * where bytes add up the length of each frame after its 14-byte Ethernet
 * header. The file is 0444: it only shows counts.
 *
 * Try it:
 *	modprobe tour_packet		(or: modprobe tour_packet ifname=lo)
 *	(send frames of type 0x1234 with an AF_PACKET socket, see the tour's
 *	 selftest tools/testing/selftests/tour/tour_packet_test.c)
 *	cat /proc/tour_packet
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/proc_fs.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>
#include <net/net_namespace.h>

/* The frame type this sample handles: one no protocol uses. */
#define TOUR_PACKET_TYPE	0x1234

static char ifname[IFNAMSIZ];
module_param_string(ifname, ifname, sizeof(ifname), 0444);
MODULE_PARM_DESC(ifname, "count frames on this device only (default: on all)");

/**
 * struct tour_packet_count - the counts of one device
 * @node: in &tour_packet.counts
 * @dev: the device; not a held reference, dropped when it is unregistered
 * @name: the device's name, as the file shows it
 * @packets: the frames of type 0x1234 it received
 * @bytes: their lengths after the Ethernet header, added up
 */
struct tour_packet_count {
	struct list_head node;
	const struct net_device *dev;
	char name[IFNAMSIZ];
	u64 packets;
	u64 bytes;
};

/**
 * struct tour_packet - a packet handler and its counts
 * @lock: protects @counts and the counts in it
 * @counts: a &struct tour_packet_count per device, in the order they came
 * @pt: the handler, with the device it is bound to or NULL for all, and
 *	the tracker of the reference to that device
 * @listening: @pt is added; changed under RTNL only
 * @nb: the netdevice notifier
 *
 * The handler takes @lock in softirq context, everyone else with bottom
 * halves off. One lock for all CPUs is the simple choice: a handler that
 * must keep up with a fast link would count in per-CPU variables instead.
 */
struct tour_packet {
	spinlock_t lock;	/* protects counts */
	struct list_head counts;
	struct packet_type pt;
	bool listening;
	struct notifier_block nb;
};

static struct tour_packet tour_packet;
static struct proc_dir_entry *tour_packet_pde;

static struct tour_packet_count *tour_packet_find(struct tour_packet *tp,
						  const struct net_device *dev)
{
	struct tour_packet_count *c;

	list_for_each_entry(c, &tp->counts, node)
		if (c->dev == dev)
			return c;
	return NULL;
}

/*
 * The first frame of a device adds its entry, in softirq context, so with
 * GFP_ATOMIC. Should that fail, the frame goes uncounted (the allocator
 * says so in the log); the next one tries again. A rename may change the
 * name while it is copied; the notifier copies it again after the rename.
 */
static void tour_packet_account(struct tour_packet *tp,
				struct net_device *dev, unsigned int len)
{
	struct tour_packet_count *c;

	spin_lock(&tp->lock);
	c = tour_packet_find(tp, dev);
	if (!c) {
		c = kzalloc_obj(*c, GFP_ATOMIC);
		if (!c)
			goto out;
		c->dev = dev;
		strscpy(c->name, dev->name);
		list_add_tail(&c->node, &tp->counts);
	}
	c->packets++;
	c->bytes += len;
out:
	spin_unlock(&tp->lock);
}

/*
 * The handler. The skb may be shared with other handlers and with packet
 * sockets, which got references of their own: this one only reads its
 * length, then drops its reference. consume_skb(), not kfree_skb(), as the
 * frame was handled, not dropped. The receive path has already pulled the
 * Ethernet header, so skb->len is what follows it.
 */
static int tour_packet_rcv(struct sk_buff *skb, struct net_device *dev,
			   struct packet_type *pt, struct net_device *orig_dev)
{
	struct tour_packet *tp = container_of(pt, struct tour_packet, pt);

	if (net_eq(dev_net(dev), &init_net))
		tour_packet_account(tp, dev, skb->len);
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

/* A device was unregistered: its entry goes, as its pointer may be reused. */
static void tour_packet_forget(struct tour_packet *tp,
			       const struct net_device *dev)
{
	struct tour_packet_count *c;

	spin_lock_bh(&tp->lock);
	c = tour_packet_find(tp, dev);
	if (c)
		list_del(&c->node);
	spin_unlock_bh(&tp->lock);
	kfree(c);
}

static void tour_packet_rename(struct tour_packet *tp,
			       const struct net_device *dev)
{
	struct tour_packet_count *c;

	spin_lock_bh(&tp->lock);
	c = tour_packet_find(tp, dev);
	if (c)
		strscpy(c->name, dev->name);
	spin_unlock_bh(&tp->lock);
}

static void tour_packet_setup(struct tour_packet *tp)
{
	spin_lock_init(&tp->lock);
	INIT_LIST_HEAD(&tp->counts);
	tp->pt.type = htons(TOUR_PACKET_TYPE);
	tp->pt.func = tour_packet_rcv;
}

/* Once the handler is removed, nothing adds to the counts any more. */
static void tour_packet_free_counts(struct tour_packet *tp)
{
	struct tour_packet_count *c, *tmp;

	list_for_each_entry_safe(c, tmp, &tp->counts, node) {
		list_del(&c->node);
		kfree(c);
	}
}

/*
 * Add the handler, on the device called @name or on all devices when @name
 * is empty. The device is looked up and the handler added under RTNL, so
 * that the device cannot be unregistered in between: the notifier, called
 * under RTNL too, sees the handler added when it does.
 */
static int tour_packet_start(struct tour_packet *tp, const char *name)
{
	struct net_device *dev = NULL;

	rtnl_lock();
	if (*name) {
		dev = __dev_get_by_name(&init_net, name);
		if (!dev) {
			rtnl_unlock();
			return -ENODEV;
		}
		netdev_hold(dev, &tp->pt.dev_tracker, GFP_KERNEL);
	}
	tp->pt.dev = dev;
	dev_add_pack(&tp->pt);
	tp->listening = true;
	rtnl_unlock();
	return 0;
}

/*
 * Remove the handler, under RTNL. dev_remove_pack() waits until no CPU runs
 * the handler any more; after that the device's reference can go.
 */
static void tour_packet_stop(struct tour_packet *tp)
{
	ASSERT_RTNL();
	if (!tp->listening)
		return;
	dev_remove_pack(&tp->pt);
	netdev_put(tp->pt.dev, &tp->pt.dev_tracker);
	tp->pt.dev = NULL;
	tp->listening = false;
}

static int tour_packet_netdev_event(struct notifier_block *nb,
				    unsigned long event, void *ptr)
{
	struct tour_packet *tp = container_of(nb, struct tour_packet, nb);
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	switch (event) {
	case NETDEV_CHANGENAME:
		tour_packet_rename(tp, dev);
		break;
	case NETDEV_UNREGISTER:
		if (tp->listening && tp->pt.dev == dev) {
			tour_packet_stop(tp);
			pr_info("%s is going away, no more counting\n",
				dev->name);
		}
		tour_packet_forget(tp, dev);
		break;
	}
	return NOTIFY_DONE;
}

static int tour_packet_show(struct seq_file *m, void *v)
{
	struct tour_packet *tp = m->private;
	struct tour_packet_count *c;

	spin_lock_bh(&tp->lock);
	list_for_each_entry(c, &tp->counts, node)
		seq_printf(m, "%s %llu %llu\n", c->name, c->packets, c->bytes);
	spin_unlock_bh(&tp->lock);
	return 0;
}

static int __init tour_packet_init_module(void)
{
	struct tour_packet *tp = &tour_packet;
	int ret;

	tour_packet_setup(tp);
	tp->nb.notifier_call = tour_packet_netdev_event;
	ret = register_netdevice_notifier(&tp->nb);
	if (ret)
		return ret;

	ret = tour_packet_start(tp, ifname);
	if (ret) {
		pr_err("no device called %s\n", ifname);
		goto err_notifier;
	}

	tour_packet_pde = proc_create_single_data("tour_packet", 0444, NULL,
						  tour_packet_show, tp);
	if (!tour_packet_pde) {
		ret = -ENOMEM;
		goto err_stop;
	}
	pr_info("counting frames of type 0x%04x on %s\n", TOUR_PACKET_TYPE,
		*ifname ? ifname : "all devices");
	return 0;

err_stop:
	rtnl_lock();
	tour_packet_stop(tp);
	rtnl_unlock();
err_notifier:
	unregister_netdevice_notifier(&tp->nb);
	tour_packet_free_counts(tp);
	return ret;
}
module_init(tour_packet_init_module);

/*
 * The file goes first (proc_remove() waits for its readers), then the
 * handler (dev_remove_pack() waits for the frames being counted) and the
 * notifier, and the counts last.
 */
static void __exit tour_packet_exit_module(void)
{
	struct tour_packet *tp = &tour_packet;

	proc_remove(tour_packet_pde);
	rtnl_lock();
	tour_packet_stop(tp);
	rtnl_unlock();
	unregister_netdevice_notifier(&tp->nb);
	tour_packet_free_counts(tp);
}
module_exit(tour_packet_exit_module);

/* The KUnit tests of the handler and the counts, on instances of their own. */
#if IS_ENABLED(CONFIG_SAMPLE_TOUR_PACKET_KUNIT_TEST)
#include "tour_packet_test.c"
#endif

MODULE_AUTHOR("Kernel Driver Tour <kdt@example.org>");
MODULE_DESCRIPTION("Kernel driver tour: a handler of Ethernet frames of type 0x1234");
MODULE_LICENSE("GPL");
