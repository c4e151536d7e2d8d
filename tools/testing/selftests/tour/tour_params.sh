#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Test samples/tour/tour_params: the values a module load or the kernel
# command line gives show in the log and under /sys/module, and values that
# do not parse make the load fail.

. "$(dirname "$0")/tour_lib.sh"

mod=tour_params
sysfs=/sys/module/$mod/parameters

# The parameters as sysfs shows them, one "name=value" a line.
sysfs_values()
{
	local p

	for p in verbose count name numbers; do
		echo "$p=$(cat $sysfs/$p 2>&1)"
	done
}

# expected_log VERBOSE COUNT NAME NUMBERS: the init lines for those values;
# VERBOSE is Y or N, NUMBERS as given to the module ("1,2,3" or "").
expected_log()
{
	local i=0 n shown= given=0

	[ "$1" = Y ] && echo "<6>verbose: true" || echo "<6>verbose: false"
	echo "<6>count: $2"
	echo "<6>name: $3"
	for n in $(echo "$4" | tr , ' '); do
		shown="$shown${shown:+, }$n"
		given=$((given + 1))
	done
	echo "<6>numbers: [$shown] ($given given)"
	[ "$1" = Y ] || return 0
	for n in $(echo "$4" | tr , ' '); do
		echo "<6>numbers[$i] = $n"
		i=$((i + 1))
	done
}

# count_is_read_only: a write to the count file fails, even for root, and
# the value stays.
count_is_read_only()
{
	local before

	before=$(cat $sysfs/count)
	! (echo 1 > $sysfs/count) 2>/dev/null &&
		[ "$(cat $sysfs/count)" = "$before" ]
}

# rejected PARAM=VALUE: one test, the load fails and leaves nothing loaded.
rejected()
{
	tour_unload_quietly $mod
	if modprobe $mod "$1" 2>/dev/null || grep -q "^$mod " /proc/modules; then
		rmmod $mod 2>/dev/null
		ktap_test_fail "$mod rejects $1"
	else
		ktap_test_pass "$mod rejects $1"
	fi
}

ktap_print_header
tour_require_root
case "$(tour_build_of $mod)" in
module)
	ktap_set_plan 15
	tour_load $mod "$(expected_log N 42 tour '')"
	tour_same "defaults show in sysfs" \
		"$(printf '%s\n' verbose=N count=42 name=tour numbers=)" \
		"$(sysfs_values)"
	ktap_test_result "sysfs parameters are read-only" count_is_read_only
	tour_unload $mod "<6>Params sample (exit)"

	tour_load $mod "$(expected_log Y -7 reader 1,-2,3)" \
		verbose=1 count=-7 name=reader numbers=1,-2,3
	tour_same "given values show in sysfs" \
		"$(printf '%s\n' verbose=Y count=-7 name=reader numbers=1,-2,3)" \
		"$(sysfs_values)"
	tour_unload $mod "<6>Params sample (exit)"

	rejected count=abc
	rejected count=2147483648
	rejected numbers=1,2,3,4,5
	rejected verbose=maybe
	;;
builtin)
	ktap_set_plan 2
	verbose=$(tour_cmdline_param $mod verbose N)
	# What kstrtobool() takes for true.
	case "$verbose" in
	[1yYtT]* | [oO][nN]) verbose=Y ;;
	*) verbose=N ;;
	esac
	count=$(tour_cmdline_param $mod count 42)
	name=$(tour_cmdline_param $mod name tour)
	numbers=$(tour_cmdline_param $mod numbers '')
	tour_same "$mod logged the command line's values at boot" \
		"$(expected_log $verbose "$count" "$name" "$numbers")" \
		"$(tour_log_since "" $mod)"
	tour_same "the command line's values show in sysfs" \
		"$(printf '%s\n' verbose=$verbose count="$count" name="$name" \
			numbers="$numbers")" \
		"$(sysfs_values)"
	;;
*)
	ktap_skip_all "$mod is not built (CONFIG_SAMPLE_TOUR_PARAMS)"
	exit "$KSFT_SKIP"
	;;
esac
ktap_finished
