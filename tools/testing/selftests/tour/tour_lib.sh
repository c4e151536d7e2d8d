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
	elif modinfo "$1" >/dev/null 2>&1; then
		echo module
	else
		echo absent
	fi
}

# tour_log_mark: print the number of lines now in the kernel log.
tour_log_mark()
{
	dmesg -r | wc -l
}

# tour_log_since MARK MODULE: the lines MODULE logged after MARK, each with
# its level as "<N>".
tour_log_since()
{
	dmesg -r | tail -n "+$(($1 + 1))" | sed -n "s/^<\([0-7]\)>$2: /<\1>/p"
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
# gave MODULE.PARAM, or DEFAULT.
tour_cmdline_param()
{
	local word

	for word in $(cat /proc/cmdline); do
		case "$word" in
		"$1.$2="*)
			echo "${word#*=}"
			return
			;;
		esac
	done
	echo "$3"
}

# tour_load MODULE INIT [PARAM=VALUE...]: two tests, MODULE loads and logs
# exactly INIT.
tour_load()
{
	local mod="$1" init="$2" mark
	shift 2

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
