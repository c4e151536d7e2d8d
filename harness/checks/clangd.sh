#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# clangd.sh: compile_commands.json from build-llvm (tools/compile-commands.sh),
# and clangd --check parses every C file of the series with it, as an
# editor would; in results/llvm/clangd.tap.
set -eu
. "$(dirname "$0")/../lib/lib.sh"

mkdir -p "$KDT_RESULTS/logs"
tap_begin "$KDT_RESULTS/llvm/clangd.tap"
tap_run "$KDT_KVER: compile_commands.json from build-llvm; clangd --check parses every file" \
	"$KDT_RESULTS/logs/clangd.log" "$KDT_HARNESS/tools/compile-commands.sh" llvm
tap_end
