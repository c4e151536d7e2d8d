#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Test samples/tour/tour_print: every line at its exact level, pr_cont()
# lines whole, and no pr_debug() output in a kernel without DEBUG.

. "$(dirname "$0")/tour_lib.sh"

mod=tour_print
levels="Emergency Alert Critical Error Warning Notice Info"

expected_init()
{
	local level=0 name

	echo "<6>Print sample (init)"
	for name in $levels; do
		echo "<$level>$name message (level $level) without args"
		level=$((level + 1))
	done
	level=0
	for name in $levels; do
		echo "<$level>$name message (level $level) with args"
		level=$((level + 1))
	done
	echo "<6>A line that is continued without args"
	echo "<6>A line that is continued with args"
}

ktap_print_header
tour_require_root
case "$(tour_build_of $mod)" in
module)
	ktap_set_plan 8
	for round in 1 2; do
		tour_load $mod "$(expected_init)"
		tour_unload $mod "<6>Print sample (exit)"
	done
	;;
builtin)
	ktap_set_plan 1
	tour_same "$mod logged its lines at boot" "$(expected_init)" \
		"$(tour_log_since "" $mod)"
	;;
*)
	ktap_skip_all "$mod is not built (CONFIG_SAMPLE_TOUR_PRINT)"
	exit "$KSFT_SKIP"
	;;
esac
ktap_finished
