// SPDX-License-Identifier: GPL-2.0-only
/*
 * The smallest sample of the kernel driver tour: it logs on load and on
 * removal, keeps an array of numbers on the heap for as long as it is loaded,
 * and says whether it was built into the kernel or loaded as a module.
 *
 * Try it:
 *	modprobe tour_hello
 *	rmmod tour_hello
 *	dmesg | grep tour_hello
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string_choices.h>

/* The numbers the module copies to the heap at load time. */
static const u32 tour_hello_initial[] = { 72, 108, 200 };

/* The heap copy, owned by the module from init to exit. */
static u32 *tour_hello_numbers;

static int __init tour_hello_init(void)
{
	pr_info("Hello sample (init)\n");
	pr_info("Am I built-in? %s\n",
		str_true_false(IS_BUILTIN(CONFIG_SAMPLE_TOUR_HELLO)));

	tour_hello_numbers = kmemdup_array(tour_hello_initial,
					   ARRAY_SIZE(tour_hello_initial),
					   sizeof(tour_hello_initial[0]),
					   GFP_KERNEL);
	if (!tour_hello_numbers)
		return -ENOMEM;

	return 0;
}
module_init(tour_hello_init);

static void __exit tour_hello_exit(void)
{
	static_assert(ARRAY_SIZE(tour_hello_initial) == 3);

	pr_info("My numbers are [%u, %u, %u]\n", tour_hello_numbers[0],
		tour_hello_numbers[1], tour_hello_numbers[2]);
	kfree(tour_hello_numbers);
	pr_info("Hello sample (exit)\n");
}
module_exit(tour_hello_exit);

MODULE_AUTHOR("Kernel Driver Tour <kdt@example.org>");
MODULE_DESCRIPTION("Kernel driver tour: module init, exit and heap data");
MODULE_LICENSE("GPL");
