#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Test samples/tour/tour_wq: after a load and after a restart, the counts in
# /proc/tour_wq reach exactly 1, 11 and 1 and stay there, and the log has
# exactly the lines "count 0" to "count 10"; a restart before the work is
# over fails with EBUSY, any other write with EINVAL; interval_ms out of
# range is refused; and unloading mid-count works and removes the file. The
# KUnit tests in the module test the same on instances of their own.

. "$(dirname "$0")/tour_lib.sh"

mod=tour_wq
proc=/proc/$mod

# The counts once a start is over: the system work ran once, at load.
done_counts=$(printf '%s\n' 'system: 1' 'requeue: 11' 'delayed: 1')

# interval: the module's interval_ms.
interval()
{
	cat /sys/module/$mod/parameters/interval_ms
}

# count_of NAME: the number on NAME's line of /proc/tour_wq, or nothing.
count_of()
{
	sed -n "s/^$1: //p" $proc 2>/dev/null
}

# wait_done: succeed once the requeue count is 11 or more and the delayed
# count 1 or more; fail after 10 s and 11 intervals.
wait_done()
{
	local tries

	tries=$(((10000 + 11 * $(interval)) / 100))
	while [ "$tries" -gt 0 ]; do
		[ "$(count_of requeue)" -ge 11 ] 2>/dev/null &&
			[ "$(count_of delayed)" -ge 1 ] 2>/dev/null && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	return 1
}

# count_lines N: the log lines "count 0" to "count N-1", as tour_log_since
# prints them.
count_lines()
{
	local i=0

	while [ $i -lt "$1" ]; do
		echo "<6>count $i"
		i=$((i + 1))
	done
}

# other_lines MARK: the lines other than the counts logged since MARK, sorted.
other_lines()
{
	tour_log_since "$1" $mod | grep -v '^<6>count ' | sort
}

# write_restart: write "restart\n" with echo; succeed when the write did.
write_restart()
{
	echo restart > $proc
}

# write_error TEXT: write TEXT and a newline to /proc/tour_wq in one write(),
# and print the error it failed with, in strerror()'s words (nothing when it
# succeeded). dd says which; the shells' echo do not all.
write_error()
{
	printf '%s\n' "$1" | dd of=$proc bs=4096 count=1 2>&1 >/dev/null |
		sed -n "s|^dd: .*$proc'*: ||p"
}

# proc_gone: /proc/tour_wq does not exist.
proc_gone()
{
	[ ! -e $proc ]
}

# cut_short MARK: the count logged "count 0" on after MARK, but not all 11.
cut_short()
{
	local got n

	got=$(tour_log_since "$1" $mod | grep '^<6>count ')
	n=$(printf '%s' "$got" | grep -c .)
	[ "$n" -lt 11 ] && [ "$got" = "$(count_lines "$n")" ]
}

# check_run MARK WHEN: four tests of the start that came after MARK (WHEN
# says which): it ends with exactly the counts of a start, they stay so for
# five intervals more, and the log has exactly "count 0" to "count 10".
check_run()
{
	ktap_test_result "$2, the count reaches 11 and the delayed work runs" \
		wait_done
	tour_same "$2, the counts are exact" "$done_counts" "$(cat $proc)"
	sleep $(((5 * $(interval) + 999) / 1000))
	tour_same "$2, five intervals later they are the same" "$done_counts" \
		"$(cat $proc)"
	tour_same "$2, the log has count 0 to count 10 once each" \
		"$(count_lines 11)" "$(tour_log_since "$1" $mod | grep '^<6>count ')"
}

ktap_print_header
tour_require_root
case "$(tour_build_of $mod)" in
module)
	ktap_set_plan 30
	tour_unload_quietly $mod
	mark=$(tour_log_mark)
	ktap_test_result "$mod loads" modprobe $mod
	check_run "$mark" "after the load"
	tour_same "after the load, the other works logged once each" \
		"$(printf '%s\n' '<6>delayed work ran' '<6>system work ran')" \
		"$(other_lines "$mark")"

	mark=$(tour_log_mark)
	ktap_test_result "a restart is taken" write_restart
	check_run "$mark" "after a restart"
	tour_same "after a restart, the delayed work logged once" \
		"<6>delayed work ran" "$(other_lines "$mark")"

	tour_same "writing x fails with EINVAL" "Invalid argument" \
		"$(write_error x)"
	tour_same "writing restartx fails with EINVAL" "Invalid argument" \
		"$(write_error restartx)"
	tour_same "writing restart twice in one write fails with EINVAL" \
		"Invalid argument" "$(write_error 'restart restart')"
	tour_same "a write of 100 bytes fails with EINVAL" "Invalid argument" \
		"$(write_error "$(printf '%0100d' 0)")"
	tour_same "the refused writes changed no count" "$done_counts" \
		"$(cat $proc)"

	ktap_test_result "$mod unloads" rmmod $mod
	ktap_test_result "unloading removes $proc" proc_gone
	ktap_test_result "$mod rejects interval_ms=0" \
		tour_fails modprobe $mod interval_ms=0
	ktap_test_result "$mod rejects interval_ms=1001" \
		tour_fails modprobe $mod interval_ms=1001

	# A count of 2 s, restarted once the load's own is over (the KUnit
	# tests run inside modprobe, and may outlast that one).
	ktap_test_result "$mod loads interval_ms=200" \
		modprobe $mod interval_ms=200
	ktap_test_result "with interval_ms=200, the count of the load ends" \
		wait_done
	mark=$(tour_log_mark)
	ktap_test_result "a restart is taken" write_restart
	ktap_test_result "a second restart at once fails" \
		tour_fails write_restart
	tour_same "a restart while it counts fails with EBUSY" \
		"Device or resource busy" "$(write_error restart)"
	ktap_test_result "$mod unloads mid-count" rmmod $mod
	ktap_test_result "unloading mid-count removes $proc" proc_gone
	ktap_test_result "unloading cut the count short" cut_short "$mark"
	ktap_test_result "$mod loads with the default interval_ms" modprobe $mod
	;;
builtin)
	ktap_set_plan 11
	check_run "" "since boot"
	tour_same "since boot, the other works logged once each" \
		"$(printf '%s\n' '<6>delayed work ran' '<6>system work ran')" \
		"$(other_lines "")"
	tour_same "writing x fails with EINVAL" "Invalid argument" \
		"$(write_error x)"
	mark=$(tour_log_mark)
	ktap_test_result "a restart is taken" write_restart
	check_run "$mark" "after a restart"
	;;
*)
	ktap_skip_all "$mod is not built (CONFIG_SAMPLE_TOUR_WQ)"
	exit "$KSFT_SKIP"
	;;
esac
ktap_finished
