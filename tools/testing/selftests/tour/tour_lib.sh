#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Helpers shared by the kernel driver tour selftests: how a sample was built,
# and the kernel log lines a sample printed. Runs under bash and busybox sh.

. "$(dirname "$0")/../kselftest/ktap_helpers.sh"

# tour_build_of MODULE: print "builtin", "module" or "absent".
tour_build_of()
{
	local dir="/lib/modules/$(uname -r)"

	if grep -q "/$1\.ko\$" "$dir/modules.builtin" 2>/dev/null; then
		echo builtin
	# modules.dep, not modinfo: busybox's modinfo exits 0 for a module it
	# does not find.
	elif grep -Eq "(^|/)$1\.ko(\.[a-z]+)?:" "$dir/modules.dep" 2>/dev/null; then
		echo module
	else
		echo absent
	fi
}

# tour_log_mark: write a unique line to the kernel log and print it, so that
# tour_log_since finds what came after it even once old lines have dropped
# out of the log buffer.
tour_log_mark()
{
	local mark="tour-selftest-mark-$$-$(date +%s)-$RANDOM"

	echo "$mark" > /dev/kmsg
	echo "$mark"
}

# tour_log_since MARK MODULE: the lines MODULE logged after the line MARK
# (after boot when MARK is empty), each with its level as "<N>" and without
# the time stamp or caller id that CONFIG_PRINTK_TIME or _CALLER add.
tour_log_since()
{
	dmesg -r | sed -n "${1:+/$1\$/,\$}p" |
		sed -n "s/^<\([0-7]\)>\(\[[^]]*\] *\)*$2: /<\1>/p"
}

# tour_require_root: skip the whole test unless it runs as root.
tour_require_root()
{
	if [ "$(id -u)" != 0 ]; then
		ktap_skip_all "must run as root"
		exit "$KSFT_SKIP"
	fi
}

# tour_unload_quietly MODULE: remove MODULE if an earlier run left it loaded.
tour_unload_quietly()
{
	grep -q "^$1 " /proc/modules && rmmod "$1"
	return 0
}

# tour_same DESC EXPECTED ACTUAL: one test, passed when both texts are equal.
tour_same()
{
	if [ "$2" = "$3" ]; then
		ktap_test_pass "$1"
		return
	fi
	ktap_print_msg "expected:"
	printf '%s\n' "$2" | sed 's/^/#   /'
	ktap_print_msg "got:"
	printf '%s\n' "$3" | sed 's/^/#   /'
	ktap_test_fail "$1"
}

# tour_fails CMD...: succeed when CMD fails, for ktap_test_result (which
# splits its arguments again: pass words without spaces, or a function).
tour_fails()
{
	! "$@" 2>/dev/null
}

# tour_cmdline_param MODULE PARAM DEFAULT: the value the kernel command line
# gave MODULE.PARAM (the last one, as the kernel takes it), or DEFAULT.
tour_cmdline_param()
{
	local word value="$3"

	set -f
	for word in $(cat /proc/cmdline); do
		case "$word" in
		"$1.$2="*) value=${word#*=} ;;
		esac
	done
	set +f
	echo "$value"
}

# tour_load MODULE INIT [PARAM=VALUE...]: two tests, MODULE loads and logs
# exactly INIT.
tour_load()
{
	local mod="$1" init="$2" mark
	shift 2

	tour_unload_quietly "$mod"
	mark=$(tour_log_mark)
	ktap_test_result "$mod loads $*" modprobe "$mod" "$@"
	tour_same "$mod logs its init lines" "$init" "$(tour_log_since "$mark" "$mod")"
}

# tour_unload MODULE EXIT: two tests, MODULE unloads and logs exactly EXIT.
tour_unload()
{
	local mark

	mark=$(tour_log_mark)
	ktap_test_result "$1 unloads" rmmod "$1"
	tour_same "$1 logs its exit lines" "$2" "$(tour_log_since "$mark" "$1")"
}
