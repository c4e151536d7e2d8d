#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# sparse.sh: build the newest sparse Debian has (sid's 0.6.5~rc1) into
# cache/sparse/bin/sparse and print its path. Mainline's
# scripts/checker-valid.sh wants __typeof_unqual__, which bookworm's and
# trixie's sparse 0.6.4 reject (make C=2 then turns the checker off with a
# warning). sid's binary package does not install on either, as it
# depends on gcc-16 and libxml2-16; the sparse program itself needs only
# the C library, so this builds it from sid's source package (apt-get
# source on the private tree of debian.sh, Debian's patches applied) with
# the host's gcc: bookworm's glibc is the older, so it runs on the host
# and in the trixie chroot alike. Use: make C=2 CHECK=.../bin/sparse.
set -eu
. "$(dirname "$0")/../lib/lib.sh"
. "$KDT_HARNESS/steps/debian.sh"

out=$KDT_SHARED/sparse
kdt_apt_update
read -r suite ver < <(kdt_apt_newest sparse) || die "no suite offers sparse"
dpkg --compare-versions "$ver" ge 0.6.5~ ||
	die "the newest sparse Debian has is $ver ($suite); mainline needs 0.6.5"
if [ -x "$out/bin/sparse" ] && [ "$(cat "$out/version" 2>/dev/null)" = "$ver $suite" ]; then
	echo "$out/bin/sparse"
	exit 0
fi

say "building sparse $ver ($suite)"
rm -rf "$out"
mkdir -p "$out/dl"
id _apt >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && chown _apt "$out/dl"
# apt checks the files against the signed Sources index.
(cd "$out/dl" && kdt_apt apt-get -q source --download-only "sparse=$ver" >&2)
dpkg-source -x "$out/dl/sparse_${ver#*:}.dsc" "$out/src" >&2
rm -rf "$out/dl"
# Debian's patch makes CC gcc-16; the version string is the one Debian's
# rules give (git describe would describe this repository instead).
nice -n 19 make -C "$out/src" -s -j"$KDT_JOBS" CC=gcc HAVE_LLVM=no \
	HAVE_SQLITE=no HAVE_LIBXML=no HAVE_GTK=no \
	SPARSE_VERSION="\$(VERSION) (Debian: $ver)" sparse >&2
install -D -m 755 "$out/src/sparse" "$out/bin/sparse"
echo "$ver $suite" > "$out/version"
say "sparse $("$out/bin/sparse" --version) in $out/bin"
echo "$out/bin/sparse"
