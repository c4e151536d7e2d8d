// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of tour_params_format(), included by tour_params.c so that they
 * can call its static functions.
 */

#include <kunit/test.h>
#include <linux/limits.h>

static void tour_params_format_none(struct kunit *test)
{
	char buf[TOUR_PARAMS_BUF_SIZE];

	KUNIT_EXPECT_EQ(test, tour_params_format(buf, sizeof(buf), NULL, 0), 2);
	KUNIT_EXPECT_STREQ(test, buf, "[]");
}

static void tour_params_format_some(struct kunit *test)
{
	static const int values[] = { 1, -2, 3 };
	char buf[TOUR_PARAMS_BUF_SIZE];

	KUNIT_EXPECT_EQ(test, tour_params_format(buf, sizeof(buf), values,
						 ARRAY_SIZE(values)), 10);
	KUNIT_EXPECT_STREQ(test, buf, "[1, -2, 3]");
}

/* The longest values must fit the buffer that tour_params_init() uses. */
static void tour_params_format_longest(struct kunit *test)
{
	static const int values[TOUR_PARAMS_MAX_NUMBERS] = {
		INT_MIN, INT_MIN, INT_MIN, INT_MIN
	};
	static const char want[] =
		"[-2147483648, -2147483648, -2147483648, -2147483648]";
	char buf[TOUR_PARAMS_BUF_SIZE];

	KUNIT_EXPECT_EQ(test, tour_params_format(buf, sizeof(buf), values,
						 ARRAY_SIZE(values)),
			(int)strlen(want));
	KUNIT_EXPECT_STREQ(test, buf, want);
}

/* A buffer too small cuts the text short, and it stays a C string. */
static void tour_params_format_cut(struct kunit *test)
{
	static const int values[] = { 100, 200 };
	char buf[6];

	memset(buf, 'x', sizeof(buf));
	KUNIT_EXPECT_EQ(test, tour_params_format(buf, sizeof(buf), values,
						 ARRAY_SIZE(values)), 5);
	KUNIT_EXPECT_STREQ(test, buf, "[100,");
}

static struct kunit_case tour_params_test_cases[] = {
	KUNIT_CASE(tour_params_format_none),
	KUNIT_CASE(tour_params_format_some),
	KUNIT_CASE(tour_params_format_longest),
	KUNIT_CASE(tour_params_format_cut),
	{}
};

static struct kunit_suite tour_params_test_suite = {
	.name = "tour_params",
	.test_cases = tour_params_test_cases,
};

kunit_test_suite(tour_params_test_suite);
