#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# compile-commands.sh [MODE]: write compile_commands.json at the top of this
# repository for the series' C files, from the build in cache/X.Y/build-MODE
# (llvm when it exists, else m), with the kernel's
# scripts/clang-tools/gen_compile_commands.py. Each entry names the file in
# this repository (samples/..., drivers/...), where an editor opens it, and
# keeps the build's own command, so that clangd finds every include. Then
# clangd --check must parse each file with no error.
set -eu -o pipefail
. "$(dirname "$0")/../lib/lib.sh"

mode=${1:-}
[ -n "$mode" ] || { [ -f "$KDT_CACHE/build-llvm/vmlinux" ] && mode=llvm || mode=m; }
kdt_mode "$mode"
out=$KDT_OUT
[ -f "$out/vmlinux" ] || die "build-$mode is not built: run make build first"

all=$(mktemp)
trap 'rm -f "$all"' EXIT
"$KDT_PY" "$KDT_SRC/scripts/clang-tools/gen_compile_commands.py" -d "$out" \
	-o "$all"
files=$(git -C "$KDT_SRC" diff --name-only --diff-filter=A kdt-base HEAD -- \
	'*.c' | grep -v '^tools/')
"$KDT_PY" "$KDT_HARNESS/tools/compile_commands.py" "$all" "$KDT_SRC" "$KDT_TOP" \
	$files > "$KDT_TOP/compile_commands.json"
n=$(grep -c '"file"' "$KDT_TOP/compile_commands.json" || true)
say "compile_commands.json: $n files of the series, from build-$mode"
[ "$mode" = llvm ] || exit 0
# clangd parses each of them as an editor would.
bad=0
for f in $(sed -n 's/^  "file": "\(.*\)",\?$/\1/p' "$KDT_TOP/compile_commands.json"); do
	if ! $KDT_RUN clangd --check="$f" --compile-commands-dir="$KDT_TOP" \
		> "$out/clangd.log" 2>&1 || grep -q '^E\[' "$out/clangd.log"; then
		grep '^E\[' "$out/clangd.log" | head -5 >&2
		echo "kdt: clangd --check $f failed" >&2
		bad=1
	fi
done
[ $bad = 0 ] || die "clangd could not parse every file"
say "clangd --check: every file parses"
