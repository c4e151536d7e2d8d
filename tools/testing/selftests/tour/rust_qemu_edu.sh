#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Test samples/rust/rust_qemu_edu, the Rust twin of drivers/misc/qemu_edu,
# with the test of qemu_edu.

TOUR_MODULE=rust_qemu_edu exec "$(dirname "$0")/qemu_edu_test"
