#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# series.sh: the series of tree KDT_KVER is what the sources say, in
# results/series.tap. A regeneration (steps/series.py) on the same tree
# and messages gives the same patches; on another base (Debian uploaded a
# new linux-source-X.Y) or by another author it passes with the note ('# ')
# series.py prints, since it regenerates as the author of patches/. On
# mainline, the lists made from config/parts (steps/parts.sh) are as
# committed, and a newer tree from Debian is a note, not a failure.
set -eu
. "$(dirname "$0")/../lib/lib.sh"

logs=$KDT_RESULTS/logs
mkdir -p "$logs"
tap_begin "$KDT_RESULTS/series.tap"
regen="$KDT_KVER: the series matches a regeneration from the sources"
if [ -n "${KERNEL_SRC:-}" ]; then
	tap_skip "$regen" "the series is generated on Debian's linux-source-$KDT_KVER, not KERNEL_SRC"
else
	tap_run "$regen" "$logs/regenerate.log" "$KDT_PY" \
		"$KDT_HARNESS/steps/series.py" check "$KDT_TREE" "$KDT_GEN" "$KDT_SERIES_DIR"
	if tail -1 "$TAP_FILE" | grep -q '^ok'; then
		grep '^# ' "$logs/regenerate.log" | tee -a "$TAP_FILE" || true
	fi
fi
if [ "$KDT_KVER" = "$KDT_MAINLINE" ]; then
	tap_run "Kconfig.fragment and the selftests' config are what harness/config/parts makes" \
		"$logs/parts.log" "$KDT_HARNESS/steps/parts.sh" --check
	newest=$("$KDT_HARNESS/steps/fetch-source.sh" --list 2>/dev/null |
		awk '{print $2}' | sed 's/^linux-source-//' | sort -uV | tail -1)
	[ -z "$newest" ] || [ "$newest" = "$KDT_KVER" ] ||
		echo "# Debian ships linux-source-$newest: put it first in harness/config/trees, make series, commit" |
		tee -a "$TAP_FILE"
fi
tap_end
