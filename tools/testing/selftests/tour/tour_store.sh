#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Test samples/tour/tour_store's max_size parameter as a module: it bounds
# the content, one byte more is refused and the old content stays, values
# out of range are refused, and unloading removes the node. The node itself
# is tested by tour_store_test.

. "$(dirname "$0")/tour_lib.sh"

mod=tour_store

# write_of N: replace the content with N zero bytes, in one write().
write_of()
{
	dd if=/dev/zero of=/dev/$mod bs="$1" count=1 2>/dev/null
}

ktap_print_header
tour_require_root
case "$(tour_build_of $mod)" in
module)
	ktap_set_plan 9
	tour_unload_quietly $mod
	ktap_test_result "$mod rejects max_size=0" \
		tour_fails modprobe $mod max_size=0
	ktap_test_result "$mod rejects max_size=67108865" \
		tour_fails modprobe $mod max_size=67108865
	ktap_test_result "$mod loads max_size=100" modprobe $mod max_size=100
	ktap_test_result "a write of max_size bytes is kept" write_of 100
	ktap_test_result "a write of max_size + 1 bytes is refused" \
		tour_fails write_of 101
	tour_same "the refused write left the content" 100 \
		"$(wc -c < /dev/$mod | tr -d ' ')"
	ktap_test_result "$mod unloads" rmmod $mod
	tour_same "unloading removes the node" "" "$(ls /dev | grep -x $mod)"
	ktap_test_result "$mod loads with the default max_size" modprobe $mod
	;;
builtin)
	ktap_set_plan 1
	tour_same "built in, max_size is the default" 1048576 \
		"$(cat /sys/module/$mod/parameters/max_size)"
	;;
*)
	ktap_skip_all "$mod is not built (CONFIG_SAMPLE_TOUR_STORE)"
	exit "$KSFT_SKIP"
	;;
esac
ktap_finished
