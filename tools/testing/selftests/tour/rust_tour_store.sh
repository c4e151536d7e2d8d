#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Test samples/rust/rust_tour_store, the Rust twin of tour_store, with the
# test of tour_store.

TOUR_MODULE=rust_tour_store exec "$(dirname "$0")/tour_store_test"
