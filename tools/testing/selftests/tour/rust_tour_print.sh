#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Test samples/rust/rust_tour_print, the Rust twin of tour_print, with the
# test of tour_print.

exec "$(dirname "$0")/tour_print.sh" rust_tour_print
