/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The module that a test of a misc device sample drives, and its node: the
 * C sample, TOUR_MODULE_DEFAULT, unless the environment's TOUR_MODULE names
 * another (rust_tour_*.sh run the tests on the Rust twins that way). The
 * test of a driver with a node per device uses only the module's name.
 */
#ifndef TOUR_MODULE_H
#define TOUR_MODULE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char *module = TOUR_MODULE_DEFAULT;
static char node[64];

/* Before main(), and before a test's own constructors, with no priority. */
__attribute__((constructor(101))) static void tour_module_pick(void)
{
	const char *name = getenv("TOUR_MODULE");

	if (name && *name)
		module = name;
	snprintf(node, sizeof(node), "/dev/%s", module);
}

/* Load the module unless its node is there; 0 when the node is there. */
static inline int tour_module_load(void)
{
	char cmd[128];

	if (access(node, F_OK)) {
		snprintf(cmd, sizeof(cmd), "modprobe -q %s", module);
		system(cmd);
	}
	return access(node, F_OK);
}

/* Whether the module is built in: it has no initstate then. */
static inline int tour_module_builtin(void)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/%s/initstate", module);
	return access(path, F_OK) != 0;
}

/* rmmod the module; system()'s status. */
static inline int tour_module_rmmod(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rmmod %s 2>/dev/null", module);
	return system(cmd);
}

#endif /* TOUR_MODULE_H */
