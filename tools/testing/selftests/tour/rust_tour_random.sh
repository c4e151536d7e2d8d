#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Test samples/rust/rust_tour_random, the Rust twin of tour_random, with the
# test of tour_random.

TOUR_MODULE=rust_tour_random exec "$(dirname "$0")/tour_random_test"
