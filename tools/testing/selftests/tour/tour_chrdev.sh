#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Test samples/tour/tour_chrdev as a module: the minors parameter makes that
# many nodes, each with its device's number and readable with cat, an
# out-of-range value is refused, and unloading removes the nodes.
# tour_chrdev_test tests the nodes themselves.

. "$(dirname "$0")/tour_lib.sh"

mod=tour_chrdev

# nodes: the tour_chrdev nodes in /dev, on one line.
nodes()
{
	echo $(ls /dev | grep "^$mod[0-9]")
}

# cat_all: each node's message, one a line.
cat_all()
{
	local n

	for n in $(nodes); do
		cat /dev/$n
	done
}

# numbers_of WHERE: each node's device number, as the node (WHERE=dev) or
# its device in sysfs (WHERE=sys) has it, one "name major:minor" a line.
numbers_of()
{
	local n hex

	for n in $(nodes); do
		if [ "$1" = dev ]; then
			hex=$(stat -c '%t %T' /dev/$n)
			echo "$n $(printf '%d:%d' 0x${hex% *} 0x${hex#* })"
		else
			echo "$n $(cat /sys/class/$mod/$n/dev)"
		fi
	done
}

ktap_print_header
tour_require_root
case "$(tour_build_of $mod)" in
module)
	ktap_set_plan 9
	tour_unload_quietly $mod
	ktap_test_result "$mod loads minors=3" modprobe $mod minors=3
	tour_same "minors=3 makes three nodes" \
		"tour_chrdev0 tour_chrdev1 tour_chrdev2" "$(nodes)"
	tour_same "each node has its device's number" \
		"$(numbers_of sys)" "$(numbers_of dev)"
	tour_same "cat reads each node's message and stops" \
		"$(printf 'Hello from tour_chrdev%d\n' 0 1 2)" "$(cat_all)"
	ktap_test_result "$mod unloads" rmmod $mod
	tour_same "unloading removes the nodes" "" "$(nodes)"
	ktap_test_result "$mod rejects minors=0" tour_fails modprobe $mod minors=0
	ktap_test_result "$mod rejects minors=17" tour_fails modprobe $mod minors=17
	ktap_test_result "$mod loads with the default minors" modprobe $mod
	;;
builtin)
	ktap_set_plan 2
	tour_same "built in, the default minors=2 made two nodes" \
		"tour_chrdev0 tour_chrdev1" "$(nodes)"
	tour_same "each node has its device's number" \
		"$(numbers_of sys)" "$(numbers_of dev)"
	;;
*)
	ktap_skip_all "$mod is not built (CONFIG_SAMPLE_TOUR_CHRDEV)"
	exit "$KSFT_SKIP"
	;;
esac
ktap_finished
