// SPDX-License-Identifier: GPL-2.0-only
/*
 * Module parameters: a bool, an int, a string and an int array, printed at
 * load time and readable (read-only) under /sys/module/tour_params/parameters/.
 *
 * Try it, as a module:
 *	modprobe tour_params verbose=1 count=7 name=reader numbers=1,2,3
 *	cat /sys/module/tour_params/parameters/numbers
 * or, built in, on the kernel command line:
 *	tour_params.count=7 tour_params.numbers=1,2,3
 *
 * A value that does not parse (count=abc) or too many array elements make
 * a module load fail with -EINVAL. On the command line of a built-in kernel
 * the same mistakes are logged and the boot goes on.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/string_choices.h>
#include <linux/stringify.h>

/* Most elements the numbers array parameter takes. */
#define TOUR_PARAMS_MAX_NUMBERS	4
/* "-2147483648, " is 13 characters a number; the brackets and NUL add 3. */
#define TOUR_PARAMS_BUF_SIZE	(TOUR_PARAMS_MAX_NUMBERS * 13 + 3)

static bool verbose;
module_param(verbose, bool, 0444);
MODULE_PARM_DESC(verbose, "Also print each array element on a line of its own (default: false)");

static int count = 42;
module_param(count, int, 0444);
MODULE_PARM_DESC(count, "An int (default: 42)");

static char *name = "tour";
module_param(name, charp, 0444);
MODULE_PARM_DESC(name, "A string (default: \"tour\")");

static int numbers[TOUR_PARAMS_MAX_NUMBERS];
/* How many elements of numbers[] were given. */
static unsigned int nr_numbers;
module_param_array(numbers, int, &nr_numbers, 0444);
MODULE_PARM_DESC(numbers, "Up to " __stringify(TOUR_PARAMS_MAX_NUMBERS)
		 " comma-separated ints (default: none)");

/*
 * Write the n values as "[1, -2, 3]" into buf, cut short if size is too small
 * but always NUL-terminated; return the length written, as scnprintf() does.
 */
static int tour_params_format(char *buf, size_t size, const int *values,
			      unsigned int n)
{
	unsigned int i;
	int len;

	len = scnprintf(buf, size, "[");
	for (i = 0; i < n; i++)
		len += scnprintf(buf + len, size - len, "%s%d", i ? ", " : "",
				 values[i]);
	return len + scnprintf(buf + len, size - len, "]");
}

static int __init tour_params_init(void)
{
	char buf[TOUR_PARAMS_BUF_SIZE];
	unsigned int i;

	tour_params_format(buf, sizeof(buf), numbers, nr_numbers);
	pr_info("verbose: %s\n", str_true_false(verbose));
	pr_info("count: %d\n", count);
	pr_info("name: %s\n", name);
	pr_info("numbers: %s (%u given)\n", buf, nr_numbers);
	if (verbose)
		for (i = 0; i < nr_numbers; i++)
			pr_info("numbers[%u] = %d\n", i, numbers[i]);

	return 0;
}
module_init(tour_params_init);

static void __exit tour_params_exit(void)
{
	pr_info("Params sample (exit)\n");
}
module_exit(tour_params_exit);

/* The KUnit tests of tour_params_format(), built into this module. */
#if IS_ENABLED(CONFIG_SAMPLE_TOUR_PARAMS_KUNIT_TEST)
#include "tour_params_test.c"
#endif

MODULE_AUTHOR("Kernel Driver Tour <kdt@example.org>");
MODULE_DESCRIPTION("Kernel driver tour: module parameters");
MODULE_LICENSE("GPL");
