// SPDX-License-Identifier: GPL-2.0-only
/*
 * Log levels: one message at every level from pr_emerg() to pr_info(), each
 * without and then with arguments, and one line built from several pieces
 * with pr_cont(). pr_debug() is compiled out unless DEBUG is defined or
 * dynamic debug enables it.
 *
 * The urgent levels, pr_emerg(), pr_alert() and pr_crit(), say that the
 * system is in trouble: consoles print them even when booted with "quiet",
 * and syslog daemons write emergencies to every user's terminal. A sample
 * has no trouble to report, so it logs them only when loaded with urgent=1.
 *
 * Try it (-r shows each line's level as <N>):
 *	modprobe tour_print urgent=1
 *	dmesg -r | grep tour_print
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

static bool urgent;
module_param(urgent, bool, 0444);
MODULE_PARM_DESC(urgent, "Also log at the emerg, alert and crit levels (default: N)");

/* Levels 0 to 2: only when asked, as they interrupt every console. */
static void tour_print_urgent(void)
{
	pr_emerg("Emergency message (level 0) without args\n");
	pr_alert("Alert message (level 1) without args\n");
	pr_crit("Critical message (level 2) without args\n");

	pr_emerg("%s message (level %d) with args\n", "Emergency", 0);
	pr_alert("%s message (level %d) with args\n", "Alert", 1);
	pr_crit("%s message (level %d) with args\n", "Critical", 2);
}

static void tour_print_levels(void)
{
	pr_err("Error message (level 3) without args\n");
	pr_warn("Warning message (level 4) without args\n");
	pr_notice("Notice message (level 5) without args\n");
	pr_info("Info message (level 6) without args\n");
	pr_debug("Debug message (level 7) without args\n");

	pr_err("%s message (level %d) with args\n", "Error", 3);
	pr_warn("%s message (level %d) with args\n", "Warning", 4);
	pr_notice("%s message (level %d) with args\n", "Notice", 5);
	pr_info("%s message (level %d) with args\n", "Info", 6);
	pr_debug("%s message (level %d) with args\n", "Debug", 7);
}

/*
 * pr_cont() appends to the line the previous call left open (no "\n"). Any
 * other CPU's printk in between ends that line early, so a line that must
 * stay whole is better built in a buffer and printed once.
 */
static void tour_print_continued(void)
{
	pr_info("A line that");
	pr_cont(" is continued");
	pr_cont(" without args\n");

	pr_info("A %s that", "line");
	pr_cont(" is %s", "continued");
	pr_cont(" with %s\n", "args");
}

static int __init tour_print_init(void)
{
	pr_info("Print sample (init)\n");
	if (urgent)
		tour_print_urgent();
	tour_print_levels();
	tour_print_continued();
	return 0;
}
module_init(tour_print_init);

static void __exit tour_print_exit(void)
{
	pr_info("Print sample (exit)\n");
}
module_exit(tour_print_exit);

MODULE_AUTHOR("Kernel Driver Tour <kdt@example.org>");
MODULE_DESCRIPTION("Kernel driver tour: log levels and continuation lines");
MODULE_LICENSE("GPL");
