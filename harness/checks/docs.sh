#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Check the documentation the applied series adds: each Documentation/
# folder it touches builds with Sphinx (make SPHINXDIRS=... htmldocs) with no
# warning, and its ABI files pass the tree's ABI validator (get_abi.py
# validate, in tools/docs/ since 6.16; scripts/get_abi.pl before).
set -eu
. "$(dirname "$0")/../lib/lib.sh"

logs=$KDT_RESULTS/logs
tap_begin "$KDT_RESULTS/docs.tap"

files=$(git -C "$KDT_SRC" diff --name-only --diff-filter=AM kdt-base HEAD -- \
	Documentation)
dirs=$(echo "$files" | grep -v '^Documentation/ABI/' |
	awk -F/ 'NF > 2 {print $2}' | sort -u | tr '\n' ' ')
dirs=${dirs% }
abi=$(echo "$files" | grep '^Documentation/ABI/' || true)

if [ -z "$dirs" ]; then
	tap_skip "the series' documentation builds with Sphinx" "no page yet"
else
	log=$logs/htmldocs.log
	rc=0
	make -C "$KDT_SRC" O="$KDT_CACHE/docs" SPHINXDIRS="$dirs" htmldocs \
		> "$log" 2>&1 || rc=$?
	# Warnings that count are the series' own: at any line of a page it
	# adds, at a line it adds to a page it changes (ioctl-number.rst),
	# and those of no file that name one of the series' files or none
	# (but for Sphinx's note that graphviz is missing). A folder built on its own warns of references
	# into the folders left out, and the whole ABI tree is parsed: those
	# name other files, or lines the series did not write.
	ours=$(git -C "$KDT_SRC" diff --name-only --diff-filter=A kdt-base HEAD -- \
		Documentation | grep -v '^Documentation/ABI/' |
		sed 's/[.]/[.]/g; s|^\(.*\)$|\1(:[0-9]+)?:|')
	for f in $(git -C "$KDT_SRC" diff --name-only --diff-filter=M kdt-base HEAD -- \
		Documentation); do
		# The new side's lines of each hunk: "@@ -a,b +START,COUNT @@".
		ours="$ours
$(git -C "$KDT_SRC" diff -U0 kdt-base HEAD -- "$f" |
	sed -n 's/^@@ -[0-9,]* +\([0-9]*\),\{0,1\}\([0-9]*\) @@.*/\1 \2/p' |
	while read -r start count; do
		for ((n = start; n < start + ${count:-1}; n++)); do
			echo "${f//./[.]}:$n:"
		done
	done)"
	done
	ours=$(echo "$ours" | grep . | paste -sd'|')
	# A warning of no file (the ABI parser's) counts unless it names
	# only files that are not the series'.
	mine=$(echo "$files" | sed 's/[.]/[.]/g' | paste -sd'|')
	grep -i 'warning\|error' "$log" | grep -v 'dot(1) not found' |
		grep -E "^$KDT_SRC/($ours)|^[^/]" |
		grep -Ev "^[^/]" > "$log.ours" || true
	grep -i 'warning\|error' "$log" | grep -v 'dot(1) not found' |
		grep -E "^[^/]" | grep -E "$KDT_SRC/($mine)|^[^/]*$" \
		>> "$log.ours" || true
	[ $rc = 0 ] && [ ! -s "$log.ours" ] || rc=1
	n=$(echo "$files" | grep -vc '^Documentation/ABI/')
	tap_result $rc "make SPHINXDIRS=\"$dirs\" htmldocs: no warning in the series' $n pages"
	[ $rc = 0 ] || sed -n '1,20p' "$log.ours" | sed 's/^/# /' |
		tee -a "$TAP_FILE"
fi

if [ -z "$abi" ]; then
	tap_skip "the series' ABI files are valid" "no ABI file yet"
else
	tmp=$(mktemp -d)
	for f in $abi; do
		mkdir -p "$tmp/$(dirname "${f#Documentation/ABI/}")"
		cp "$KDT_SRC/$f" "$tmp/${f#Documentation/ABI/}"
	done
	if [ -f "$KDT_SRC/tools/docs/get_abi.py" ]; then
		tool=get_abi.py
		out=$(cd "$KDT_SRC" && "$KDT_PY" tools/docs/get_abi.py \
			--dir "$tmp" validate 2>&1)
	else
		tool=get_abi.pl
		out=$(cd "$KDT_SRC" && perl scripts/get_abi.pl validate --dir "$tmp" 2>&1)
	fi
	rm -rf "$tmp"
	echo "$out" > "$logs/get_abi.log"
	rc=0
	[ -z "$out" ] || rc=1
	tap_result $rc "$tool validate: no warning on $(echo $abi | wc -w) files"
	[ -z "$out" ] || echo "$out" | sed -n '1,20p' | sed 's/^/# /' |
		tee -a "$TAP_FILE"
fi
tap_end
