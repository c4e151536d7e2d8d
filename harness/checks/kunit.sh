#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kunit.sh: the series' KUnit suites as kernel developers run them, with
# the applied tree's tools/testing/kunit/kunit.py and each folder's
# .kunitconfig: the samples on UML (kunit.py's default), the edu driver on
# x86_64 in QEMU (its suite fakes registers UML cannot reach). Each
# kunit.py run is a result, its KTAP the result's subtests; builds in
# cache/X.Y/kunit-ARCH. TAP in results/kunit.tap.
set -eu
. "$(dirname "$0")/../lib/lib.sh"

logs=$KDT_RESULTS/logs
mkdir -p "$logs"
out=$KDT_RESULTS/kunit.tap
n=0
printf 'TAP version 13\n' > "$out"
for run in samples/tour:um drivers/misc/qemu_edu:x86_64; do
	dir=${run%:*}
	arch=${run#*:}
	log=$logs/kunit-${dir//\//-}.log
	ktap=$logs/kunit-${dir//\//-}.ktap
	n=$((n + 1))
	rc=0
	(cd "$KDT_SRC" && ./tools/testing/kunit/kunit.py run --arch="$arch" \
		--kunitconfig="$dir" --build_dir="$KDT_CACHE/kunit-$arch" \
		--jobs="$KDT_JOBS" --raw_output=kunit) > "$log" 2>&1 || rc=$?
	# The KTAP it printed, as this result's subtests.
	sed -n '/^KTAP version/,$p' "$log" > "$ktap"
	sed 's/^/    /' "$ktap" >> "$out"
	if [ $rc = 0 ] && [ -s "$ktap" ]; then
		echo "ok $n kunit.py run --arch=$arch --kunitconfig=$dir" >> "$out"
	else
		echo "not ok $n kunit.py run --arch=$arch --kunitconfig=$dir # exit=$rc" >> "$out"
		tail -20 "$log" | sed 's/^/# /' >> "$out"
	fi
done
echo "1..$n" >> "$out"
