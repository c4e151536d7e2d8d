#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Make the pristine tree of KDT_KVER=X.Y: unpack Debian's linux-source-X.Y
# into cache/X.Y/linux and commit it as tag kdt-base. Mainline's comes from
# Debian's newer suites (fetch-source.sh, a private apt tree); the LTS tree
# from bookworm's own linux-source-6.12 (deps.sh). The package version is
# kept in cache/X.Y/linux.version and in the base commit's message. With
# KERNEL_SRC=/path, use that git tree's HEAD.
set -eu
. "$(dirname "$0")/../lib/lib.sh"

if [ -n "${KERNEL_SRC:-}" ]; then
	[ -d "$KERNEL_SRC/.git" ] || die "KERNEL_SRC=$KERNEL_SRC is not a git tree"
	kgit rev-parse -q --verify kdt-base >/dev/null ||
		kgit tag kdt-base HEAD
	exit 0
fi

pkg=linux-source-$KDT_KVER
if [ "$KDT_KVER" = "$KDT_MAINLINE" ]; then
	tarball=$("$KDT_HARNESS/steps/fetch-source.sh" "$KDT_KVER")
	version=$(cat "$(dirname "$tarball")/$pkg.version")
else
	tarball=/usr/src/$pkg.tar.xz
	version="$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) bookworm"
fi
[ -f "$tarball" ] || die "$tarball missing: run harness/deps.sh"
stamp=$KDT_CACHE/linux.stamp
want="$(stat -c '%s %Y' "$tarball") $version"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
   kgit rev-parse -q --verify kdt-base >/dev/null; then
	exit 0
fi

say "unpacking $tarball"
rm -rf "$KDT_TREE" "$KDT_GEN" "$KDT_SRC" "$stamp"
mkdir -p "$KDT_CACHE/unpack"
tar -xf "$tarball" -C "$KDT_CACHE/unpack"
mv "$KDT_CACHE/unpack/$pkg" "$KDT_TREE"
rmdir "$KDT_CACHE/unpack"

say "committing the pristine base"
cd "$KDT_TREE"
# Debian's .gitignore ends with /* (ignore every top-level path): keep the
# tree pristine and add with -f.
git init -q -b master
git config gc.auto 0
git add -f .
# A fixed identity and date make the base commit, and so the series'
# base-commit line, the same on every machine.
GIT_AUTHOR_NAME="Kernel Driver Tour" GIT_AUTHOR_EMAIL=kdt@example.org \
GIT_COMMITTER_NAME="Kernel Driver Tour" GIT_COMMITTER_EMAIL=kdt@example.org \
GIT_AUTHOR_DATE="2026-11-23 00:00:00 +0000" \
GIT_COMMITTER_DATE="2026-11-23 00:00:00 +0000" \
git commit -q -m "Linux $(make -s --no-print-directory kernelversion) from Debian's $pkg ${version% *}"
git tag kdt-base
echo "$want" > "$stamp"
echo "$pkg $version" > "$KDT_CACHE/linux.version"
