#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# boot.sh MODE: boot cache/X.Y/build-MODE's guest for its check (config/modes'
# guest column: test, debug, ...) and make results/MODE/boot.tap of it
# (lib/tap.py boot): QEMU ended in time, the guest ran to its end, the
# kernel log has no BUG, WARNING or report of the debug options, and the
# selftests' and KUnit suites' results as subtests. When the series has
# KUnit tests, their output must show.
set -eu
. "$(dirname "$0")/../lib/lib.sh"

kdt_mode "$1"
logs=$KDT_RESULTS/$KDT_MODE
mkdir -p "$logs"
"$KDT_HARNESS/steps/qemu.sh" "$KDT_MODE" "$KDT_GUEST" || true
kunit=
grep -q '_KUNIT_TEST=y' "$KDT_TOP/Kconfig.fragment" && kunit=--kunit
"$KDT_PY" "$KDT_HARNESS/lib/tap.py" boot "$KDT_KVER boot-$KDT_MODE" "$logs" \
	$kunit > "$logs/boot.tap"
