#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# rust.sh MODE: the series' Rust files in cache/X.Y/build-MODE (a mode with
# CONFIG_RUST, built by build.sh), checked as the kernel's Rust is, in
# results/MODE/rust.tap: rustfmt (make rustfmtcheck) and rustdoc (make
# rustdoc), with no warning about a file of the series. Clippy is
# checks/patches.sh's: it builds each Rust patch with CLIPPY=1, so the last
# one's build is the whole series' through clippy.
set -eu
. "$(dirname "$0")/../lib/lib.sh"

kdt_mode "$1"
logs=$KDT_RESULTS/logs
mkdir -p "$logs"
files=$(git -C "$KDT_SRC" diff --name-only kdt-base HEAD -- '*.rs')
[ -n "$files" ] || die "the applied series has no Rust file"
mk() { $KDT_RUN make -C "$KDT_SRC" O="$KDT_OUT" $llvm -j"$KDT_JOBS" "$@"; }
# ours LOG: LOG has a warning or an error about a file of the series
# (rustc and clippy say where on a "--> PATH:LINE:COL" line).
ours() { grep -E -- '--> [^ ]+\.rs:' "$1" | grep -qF "$files"; }

tap_begin "$KDT_RESULTS/$KDT_MODE/rust.tap"
rustc=$($KDT_RUN rustc --version)
log=$logs/$KDT_MODE-rustfmt.log
tap_run "rustfmt ($rustc): make rustfmtcheck" "$log" mk rustfmtcheck

log=$logs/$KDT_MODE-rustdoc.log
rc=0
mk rustdoc > "$log" 2>&1 || rc=1
! ours "$log" || rc=1
tap_log $rc "rustdoc: the kernel crate's documentation, no warning about the series" "$log"
tap_end
