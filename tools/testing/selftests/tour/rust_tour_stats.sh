#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Test samples/rust/rust_tour_stats, the Rust twin of tour_stats, with the
# test of tour_stats.

TOUR_MODULE=rust_tour_stats exec "$(dirname "$0")/tour_stats_test"
