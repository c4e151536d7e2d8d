#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Test samples/tour/tour_procfs as a module: the records parameter sets the
# list (a header and one line of id and square each), values out of range
# are refused, owner_uid and owner_gid own /proc/tour/secret, and the module
# unloads, removing /proc/tour, even while one of its files is open. The
# entries themselves are tested by tour_procfs_test.

. "$(dirname "$0")/tour_lib.sh"

mod=tour_procfs

# squares N: what /proc/tour/records holds for records=N.
squares()
{
	echo "id value"
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) print i, i * i }'
}

# read_closed_file: read from fd 3, opened before the module went; fails.
read_closed_file()
{
	cat <&3 >/dev/null 2>&1
}

ktap_print_header
tour_require_root
case "$(tour_build_of $mod)" in
module)
	ktap_set_plan 13
	tour_unload_quietly $mod
	ktap_test_result "$mod rejects max_records=0" \
		tour_fails modprobe $mod max_records=0
	ktap_test_result "$mod rejects records=5 max_records=4" \
		tour_fails modprobe $mod records=5 max_records=4
	ktap_test_result "$mod rejects owner_uid=4294967295" \
		tour_fails modprobe $mod owner_uid=4294967295
	ktap_test_result "$mod loads records=300" modprobe $mod records=300
	tour_same "records holds the 300 squares" "$(squares 300)" \
		"$(cat /proc/tour/records)"
	tour_same "records reads the same one byte at a time" "$(squares 300)" \
		"$(dd if=/proc/tour/records bs=1 2>/dev/null)"
	tour_same "secret is 0400 root:root" "400 0 0" \
		"$(stat -c '%a %u %g' /proc/tour/secret)"
	ktap_test_result "$mod unloads" rmmod $mod
	ktap_test_result "$mod loads owner_uid=65534 owner_gid=65533" \
		modprobe $mod owner_uid=65534 owner_gid=65533
	tour_same "secret is 0400 65534:65533" "400 65534 65533" \
		"$(stat -c '%a %u %g' /proc/tour/secret)"
	exec 3< /proc/tour/records
	ktap_test_result "$mod unloads while records is open" rmmod $mod
	ktap_test_result "the open file's reads fail once it is gone" \
		tour_fails read_closed_file
	exec 3<&-
	ktap_test_result "$mod loads with the defaults" modprobe $mod
	;;
builtin)
	ktap_set_plan 1
	tour_same "built in, records holds the 1000 squares" \
		"$(squares 1000)" "$(head -n 1001 /proc/tour/records)"
	;;
*)
	ktap_skip_all "$mod is not built (CONFIG_SAMPLE_TOUR_PROCFS)"
	exit "$KSFT_SKIP"
	;;
esac
ktap_finished
