#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# parts.sh [--check|--guest FILE]: make the lists of the parts from
# harness/config/parts, the one list of them:
#   Kconfig.fragment                   every part built in, with its KUnit
#                                      suite, and what its selftest needs
#   tools/testing/selftests/tour/config  every part a module, for kselftest
#   samples/tour/.kunitconfig          the samples' KUnit suites, for
#                                      tools/testing/kunit/kunit.py run
#                                      --kunitconfig=samples/tour
# (the series carries the last two).
# With --check, write nothing and fail when either differs from what the
# list makes; with --guest FILE, write the guest's list (module, file and
# sweep parameters of each part) to FILE, which initramfs.sh puts in /kdt/parts.
set -eu
. "$(dirname "$0")/../lib/lib.sh"

rows() { grep -v '^#' "$KDT_HARNESS/config/parts"; }

fragment() {
	echo "# Made from harness/config/parts by harness/steps/parts.sh."
	echo CONFIG_KUNIT=y
	echo CONFIG_KUNIT_DEFAULT_ENABLED=y
	rows | while read -r sym mod kunit file needs _; do
		echo "CONFIG_$sym=y"
		[ "$kunit" != kunit ] || echo "CONFIG_${sym}_KUNIT_TEST=y"
		[ "$needs" = - ] || printf 'CONFIG_%s=y\n' ${needs//,/ }
	done | cat - <(printf 'CONFIG_SAMPLES=y\nCONFIG_SAMPLES_TOUR=y\n') | sort -u
}

selftests() {
	rows | while read -r sym mod kunit file needs _; do
		echo "CONFIG_$sym=m"
		[ "$needs" = - ] || printf 'CONFIG_%s=y\n' ${needs//,/ }
	done | cat - <(printf 'CONFIG_SAMPLES=y\nCONFIG_SAMPLES_TOUR=y\n') | sort -u
}

# The samples' suites, on UML (kunit.py's default, which starts from the
# defaults, where networking is off) as on any other architecture.
kunitconfig() {
	printf 'CONFIG_%s=y\n' KUNIT NET INET SAMPLES SAMPLES_TOUR
	rows | while read -r sym mod kunit file needs _; do
		[ "$kunit" = kunit ] && [ "${sym#SAMPLE_TOUR_}" != "$sym" ] || continue
		echo "CONFIG_$sym=y"
		echo "CONFIG_${sym}_KUNIT_TEST=y"
	done
}

case ${1:-} in
--guest) rows | awk '{print $2, $4, $6}' > "$2" ;;
--check)
	rc=0
	for f in Kconfig.fragment:fragment \
		 tools/testing/selftests/tour/config:selftests \
		 samples/tour/.kunitconfig:kunitconfig; do
		if ! ${f#*:} | diff -u "$KDT_TOP/${f%%:*}" - >&2; then
			echo "kdt: ${f%%:*} is not what harness/config/parts makes: make parts" >&2
			rc=1
		fi
	done
	exit $rc
	;;
'')
	fragment > "$KDT_TOP/Kconfig.fragment"
	selftests > "$KDT_TOP/tools/testing/selftests/tour/config"
	kunitconfig > "$KDT_TOP/samples/tour/.kunitconfig"
	;;
*) die "usage: parts.sh [--check|--guest FILE]" ;;
esac
