#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The main job of `make run`: apply the series to the pristine tree, build it
# with the samples as modules, boot it and show each sample at work. On a
# terminal the guest then leaves you in its shell; otherwise it powers off.
set -eu
. "$(dirname "$0")/lib.sh"

"$KDT_HARNESS/deps.sh"
"$KDT_HARNESS/prepare-tree.sh"
say "applying patches/ with git am"
"$KDT_HARNESS/apply.sh"
"$KDT_HARNESS/build.sh" m
"$KDT_HARNESS/initramfs.sh" m
say "booting (QEMU, TCG)"
if [ -t 0 ] && [ -t 1 ] && [ -z "${CI:-}" ]; then
	exec "$KDT_HARNESS/boot.sh" m shell
fi
exec "$KDT_HARNESS/boot.sh" m demo
