// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the packet sample, included by tour_packet.c so that they
 * can call its static functions. Each test feeds skbs of its own to the
 * handler of a tour_packet of its own, never added to the stack, with
 * devices that are allocated but not registered: exact counts per device,
 * every skb's reference given back, and the entries of devices that are
 * renamed or go away.
 */

#include <kunit/test.h>
#include <linux/etherdevice.h>

KUNIT_DEFINE_ACTION_WRAPPER(tour_packet_test_free_counts,
			    tour_packet_free_counts, struct tour_packet *);
KUNIT_DEFINE_ACTION_WRAPPER(tour_packet_test_free_netdev, free_netdev,
			    struct net_device *);

static struct tour_packet *tour_packet_test_new(struct kunit *test)
{
	struct tour_packet *tp;
	int ret;

	tp = kunit_kzalloc(test, sizeof(*tp), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tp);
	tour_packet_setup(tp);
	ret = kunit_add_action_or_reset(test, tour_packet_test_free_counts, tp);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return tp;
}

/* An Ethernet device that is never registered, freed after the test. */
static struct net_device *tour_packet_test_netdev(struct kunit *test,
						  const char *name)
{
	struct net_device *dev;
	int ret;

	dev = alloc_netdev(0, name, NET_NAME_USER, ether_setup);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	ret = kunit_add_action_or_reset(test, tour_packet_test_free_netdev,
					dev);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return dev;
}

/* Call the handler as the stack does: with bottom halves off. */
static int tour_packet_test_call(struct tour_packet *tp, struct sk_buff *skb,
				 struct net_device *dev)
{
	int ret;

	local_bh_disable();
	ret = tp->pt.func(skb, dev, &tp->pt, dev);
	local_bh_enable();
	return ret;
}

/*
 * Hand the handler a frame whose payload is @len bytes long, and check that
 * it gave its reference back: the test holds a second one, which must be
 * the only one left.
 */
static void tour_packet_test_rcv(struct kunit *test, struct tour_packet *tp,
				 struct net_device *dev, unsigned int len)
{
	struct sk_buff *skb;

	skb = alloc_skb(len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put(skb, len);
	skb->dev = dev;
	skb_get(skb);
	KUNIT_EXPECT_EQ(test, NET_RX_SUCCESS,
			tour_packet_test_call(tp, skb, dev));
	KUNIT_EXPECT_EQ(test, 1, refcount_read(&skb->users));
	kfree_skb(skb);
}

/* Tell @tp's notifier that @dev had @event. */
static void tour_packet_test_event(struct tour_packet *tp,
				   struct net_device *dev, unsigned long event)
{
	struct netdev_notifier_info info = { .dev = dev };

	tp->nb.notifier_call = tour_packet_netdev_event;
	tp->nb.notifier_call(&tp->nb, event, &info);
}

/* The counts of @dev, or false when it has no entry. */
static bool tour_packet_test_get(struct tour_packet *tp,
				 const struct net_device *dev,
				 u64 *packets, u64 *bytes, char *name)
{
	struct tour_packet_count *c;
	bool found = false;

	spin_lock_bh(&tp->lock);
	c = tour_packet_find(tp, dev);
	if (c) {
		*packets = c->packets;
		*bytes = c->bytes;
		strscpy(name, c->name, IFNAMSIZ);
		found = true;
	}
	spin_unlock_bh(&tp->lock);
	return found;
}

static void tour_packet_test_counts(struct kunit *test)
{
	static const unsigned int lens[] = { 0, 1, 46, 1500, 9000 };
	struct tour_packet *tp = tour_packet_test_new(test);
	struct net_device *a = tour_packet_test_netdev(test, "tourkunit0");
	struct net_device *b = tour_packet_test_netdev(test, "tourkunit1");
	char name[IFNAMSIZ];
	u64 packets, bytes;
	unsigned int i;

	KUNIT_EXPECT_FALSE(test, tour_packet_test_get(tp, a, &packets, &bytes,
						      name));
	for (i = 0; i < ARRAY_SIZE(lens); i++)
		tour_packet_test_rcv(test, tp, a, lens[i]);
	tour_packet_test_rcv(test, tp, b, 60);
	tour_packet_test_rcv(test, tp, b, 60);

	KUNIT_ASSERT_TRUE(test, tour_packet_test_get(tp, a, &packets, &bytes,
						     name));
	KUNIT_EXPECT_EQ(test, packets, 5);
	KUNIT_EXPECT_EQ(test, bytes, 0 + 1 + 46 + 1500 + 9000);
	KUNIT_EXPECT_STREQ(test, name, "tourkunit0");
	KUNIT_ASSERT_TRUE(test, tour_packet_test_get(tp, b, &packets, &bytes,
						     name));
	KUNIT_EXPECT_EQ(test, packets, 2);
	KUNIT_EXPECT_EQ(test, bytes, 120);
	KUNIT_EXPECT_STREQ(test, name, "tourkunit1");
	KUNIT_EXPECT_EQ(test, list_count_nodes(&tp->counts), 2);
}

/* A frame that others hold too: the handler drops its reference only. */
static void tour_packet_test_shared(struct kunit *test)
{
	struct tour_packet *tp = tour_packet_test_new(test);
	struct net_device *dev = tour_packet_test_netdev(test, "tourkunit0");
	struct sk_buff *skb;

	skb = alloc_skb(100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put(skb, 100);
	skb_get(skb);
	skb_get(skb);
	tour_packet_test_call(tp, skb, dev);
	KUNIT_EXPECT_EQ(test, 2, refcount_read(&skb->users));
	kfree_skb(skb);
	kfree_skb(skb);
}

static void tour_packet_test_forget(struct kunit *test)
{
	struct tour_packet *tp = tour_packet_test_new(test);
	struct net_device *a = tour_packet_test_netdev(test, "tourkunit0");
	struct net_device *b = tour_packet_test_netdev(test, "tourkunit1");
	char name[IFNAMSIZ];
	u64 packets, bytes;

	tour_packet_test_rcv(test, tp, a, 10);
	tour_packet_test_rcv(test, tp, b, 20);
	tour_packet_test_event(tp, a, NETDEV_UNREGISTER);
	KUNIT_EXPECT_FALSE(test, tour_packet_test_get(tp, a, &packets, &bytes,
						      name));
	KUNIT_ASSERT_TRUE(test, tour_packet_test_get(tp, b, &packets, &bytes,
						     name));
	KUNIT_EXPECT_EQ(test, packets, 1);
	/* A device that comes back starts from zero. */
	tour_packet_test_rcv(test, tp, a, 30);
	KUNIT_ASSERT_TRUE(test, tour_packet_test_get(tp, a, &packets, &bytes,
						     name));
	KUNIT_EXPECT_EQ(test, packets, 1);
	KUNIT_EXPECT_EQ(test, bytes, 30);
	/* Once its entry is gone, forgetting a device changes nothing. */
	tour_packet_test_event(tp, a, NETDEV_UNREGISTER);
	tour_packet_test_event(tp, a, NETDEV_UNREGISTER);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&tp->counts), 1);
}

static void tour_packet_test_rename(struct kunit *test)
{
	struct tour_packet *tp = tour_packet_test_new(test);
	struct net_device *dev = tour_packet_test_netdev(test, "tourkunit0");
	char name[IFNAMSIZ];
	u64 packets, bytes;

	tour_packet_test_rcv(test, tp, dev, 10);
	strscpy(dev->name, "tourkunit9");
	tour_packet_test_event(tp, dev, NETDEV_CHANGENAME);
	tour_packet_test_rcv(test, tp, dev, 10);
	KUNIT_ASSERT_TRUE(test, tour_packet_test_get(tp, dev, &packets, &bytes,
						     name));
	KUNIT_EXPECT_STREQ(test, name, "tourkunit9");
	KUNIT_EXPECT_EQ(test, packets, 2);
}

static struct kunit_case tour_packet_test_cases[] = {
	KUNIT_CASE(tour_packet_test_counts),
	KUNIT_CASE(tour_packet_test_shared),
	KUNIT_CASE(tour_packet_test_forget),
	KUNIT_CASE(tour_packet_test_rename),
	{}
};

static struct kunit_suite tour_packet_test_suite = {
	.name = "tour_packet",
	.test_cases = tour_packet_test_cases,
};

kunit_test_suite(tour_packet_test_suite);
