#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Test samples/tour/tour_print: every line at its exact level, pr_cont()
# lines whole, and no pr_debug() output in a kernel without DEBUG. Levels 0
# to 2 (emerg, alert, crit) come only with urgent=1: by default no line
# reaches those levels.

. "$(dirname "$0")/tour_lib.sh"

# The module under test: tour_print, or its Rust twin (rust_tour_print.sh).
mod=${1:-tour_print}
# Rust module parameters are not in sysfs: there, urgent's value shows
# only in the lines logged.
param=/sys/module/$mod/parameters/urgent
names="Emergency Alert Critical Error Warning Notice Info"

# lines LEVEL...: the message of each LEVEL without, then with, arguments.
lines()
{
	local args level name

	for args in without with; do
		for level in "$@"; do
			name=$(echo $names | cut -d ' ' -f $((level + 1)))
			echo "<$level>$name message (level $level) $args args"
		done
	done
}

# urgent_is VALUE: urgent shows as VALUE, where it shows.
urgent_is()
{
	if [ -e $param ] || [ "${mod#rust_}" = "$mod" ]; then
		tour_same "urgent shows as $1" "$1" "$(cat $param)"
	else
		ktap_test_skip "$mod has no $param"
	fi
}

# expected_init URGENT: the init lines, with levels 0 to 2 if URGENT is Y.
expected_init()
{
	echo "<6>Print sample (init)"
	if [ "$1" = Y ]; then
		lines 0 1 2
	fi
	lines 3 4 5 6
	echo "<6>A line that is continued without args"
	echo "<6>A line that is continued with args"
}

ktap_print_header
tour_require_root
case "$(tour_build_of $mod)" in
module)
	ktap_set_plan 10
	tour_load $mod "$(expected_init N)"
	urgent_is N
	tour_unload $mod "<6>Print sample (exit)"
	tour_load $mod "$(expected_init Y)" urgent=1
	urgent_is Y
	tour_unload $mod "<6>Print sample (exit)"
	;;
builtin)
	ktap_set_plan 1
	tour_same "$mod logged its lines at boot" \
		"$(expected_init "$(cat $param 2>/dev/null || echo N)")" \
		"$(tour_log_since "" $mod)"
	;;
*)
	ktap_skip_all "$mod is not built (CONFIG_SAMPLE_$(echo $mod | tr a-z A-Z))"
	exit "$KSFT_SKIP"
	;;
esac
ktap_finished
