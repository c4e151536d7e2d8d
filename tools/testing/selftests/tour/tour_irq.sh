#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Test samples/tour/tour_irq: the counts in /proc/tour_irq start at 0, and a
# write of N makes the hard handler, the threaded handler and the fired
# count grow by exactly N, from one writer or from four at once; the line's
# counts in /proc/interrupts add up to the same; bad counts fail with EINVAL;
# and unloading while a write fires works, removes the file and the module,
# and logs no warning. The KUnit tests in the module test the same on
# instances of their own; tour_irq_test tests how signals meet the writes.

. "$(dirname "$0")/tour_lib.sh"

mod=tour_irq
proc=/proc/$mod

# counts: the three counts of /proc/tour_irq, without the virq line.
counts()
{
	grep -v '^virq: ' $proc
}

# counts_of H T F: the text counts prints for those counts.
counts_of()
{
	printf 'hard: %s\nthread: %s\nfired: %s\n' "$1" "$2" "$3"
}

# count_of NAME: the number on NAME's line of /proc/tour_irq.
count_of()
{
	sed -n "s/^$1: //p" $proc
}

# write_count N: write N and a newline; succeed when the write did.
write_count()
{
	echo "$1" > $proc
}

# write_error TEXT: write TEXT and a newline in one write(), and print the
# error it failed with, in strerror()'s words (nothing when it succeeded).
write_error()
{
	printf '%s\n' "$1" | dd of=$proc bs=4096 count=1 2>&1 >/dev/null |
		sed -n "s|^dd: .*$proc'*: ||p"
}

# interrupts_sum: the per-CPU counts of the tour_irq line of /proc/interrupts
# added up.
interrupts_sum()
{
	awk '$NF == "tour_irq" {
		for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++)
			s += $i
	} END { print s + 0 }' /proc/interrupts
}

# four_writers: four writes of 50 at once, from four processes; succeed
# when all four did.
four_writers()
{
	local pids="" pid ret=0

	for _ in 1 2 3 4; do
		write_count 50 2>/dev/null &
		pids="$pids $!"
	done
	for pid in $pids; do
		wait "$pid" || ret=1
	done
	return $ret
}

# unloaded: neither the module nor its file is left.
unloaded()
{
	! grep -q "^$mod " /proc/modules && [ ! -e $proc ]
}

# no_warning MARK: the kernel logged no BUG, WARNING or lockdep report
# after MARK.
no_warning()
{
	! dmesg | sed -n "/$1\$/,\$p" | grep -qE 'BUG|WARNING|INFO: |Call Trace'
}

ktap_print_header
tour_require_root
case "$(tour_build_of $mod)" in
module)
	ktap_set_plan 19
	tour_unload_quietly $mod
	ktap_test_result "$mod loads" modprobe $mod
	tour_same "after the load, the counts are 0" "$(counts_of 0 0 0)" \
		"$(counts)"

	ktap_test_result "a write of 100 is taken" write_count 100
	tour_same "after 100, the counts are exactly 100" \
		"$(counts_of 100 100 100)" "$(counts)"
	ktap_test_result "a write of 23 is taken" write_count 23
	tour_same "after 23 more, the counts are exactly 123" \
		"$(counts_of 123 123 123)" "$(counts)"
	tour_same "/proc/interrupts counts 123 on the tour_irq line" 123 \
		"$(interrupts_sum)"

	tour_same "writing abc fails with EINVAL" "Invalid argument" \
		"$(write_error abc)"
	tour_same "writing 0 fails with EINVAL" "Invalid argument" \
		"$(write_error 0)"
	tour_same "writing 10001 fails with EINVAL" "Invalid argument" \
		"$(write_error 10001)"
	tour_same "the refused writes changed no count" \
		"$(counts_of 123 123 123)" "$(counts)"

	ktap_test_result "four writes of 50 at once are taken" four_writers
	tour_same "after them, the counts are exactly 323" \
		"$(counts_of 323 323 323)" "$(counts)"
	tour_same "/proc/interrupts counts 323 on the tour_irq line" 323 \
		"$(interrupts_sum)"

	# rmmod waits in proc_remove() for the write to fire all 10000.
	mark=$(tour_log_mark)
	write_count 10000 2>/dev/null &
	writer=$!
	sleep 0.2
	ktap_test_result "$mod unloads while a write fires 10000" rmmod $mod
	wait "$writer"
	ktap_test_result "the module and $proc are gone" unloaded
	ktap_test_result "the unload logged no warning" no_warning "$mark"

	ktap_test_result "$mod loads again" modprobe $mod
	tour_same "after the reload, the counts are 0" "$(counts_of 0 0 0)" \
		"$(counts)"
	;;
builtin)
	ktap_set_plan 3
	expect=$(counts_of $(($(count_of hard) + 10)) \
		$(($(count_of thread) + 10)) $(($(count_of fired) + 10)))
	ktap_test_result "a write of 10 is taken" write_count 10
	tour_same "the counts grew by exactly 10" "$expect" "$(counts)"
	tour_same "writing abc fails with EINVAL" "Invalid argument" \
		"$(write_error abc)"
	;;
*)
	ktap_skip_all "$mod is not built (CONFIG_SAMPLE_TOUR_IRQ)"
	exit "$KSFT_SKIP"
	;;
esac
ktap_finished
