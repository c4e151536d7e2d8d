#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Test samples/rust/rust_tour_hello, the Rust twin of tour_hello, with the
# test of tour_hello.

exec "$(dirname "$0")/tour_hello.sh" rust_tour_hello
