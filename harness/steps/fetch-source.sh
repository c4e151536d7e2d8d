#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# fetch-source.sh X.Y [DEST]: fetch Debian's linux-source-X.Y, the newest
# version trixie-backports, trixie or sid offers, with the private apt tree
# of harness/debian.sh (the host's apt is left alone), into DEST (default
# cache/linux-source-X.Y): linux-source-X.Y.tar.xz, and beside it
# linux-source-X.Y.version, "VERSION SUITE". Prints the tarball's path.
# fetch-source.sh --list: the linux-source-* versions each suite offers,
# "SUITE PACKAGE VERSION", so the harness can tell when Debian has moved on.
set -eu
. "$(dirname "$0")/../lib/lib.sh"
. "$KDT_HARNESS/steps/debian.sh"

usage() { die "usage: fetch-source.sh X.Y [DEST] | fetch-source.sh --list"; }

if [ "${1:-}" = --list ]; then
	kdt_apt_update
	# shellcheck disable=SC2046 # one name a word
	kdt_apt_versions $(kdt_apt apt-cache pkgnames linux-source- |
			   grep -E '^linux-source-[0-9]+\.[0-9]+$' | sort -V)
	exit 0
fi
[[ "${1:-}" =~ ^[0-9]+\.[0-9]+$ ]] || usage
xy=$1
pkg=linux-source-$xy
dest=${2:-$KDT_SHARED/$pkg}

kdt_apt_update
newest=$(kdt_apt_newest "$pkg") ||
	die "no suite offers $pkg (fetch-source.sh --list: what they offer)"
read -r suite ver <<< "$newest"
tarball=$dest/$pkg.tar.xz
if [ -f "$tarball" ] && [ "$(cat "$dest/$pkg.version" 2>/dev/null)" = "$ver $suite" ]; then
	say "$pkg $ver ($suite) already in $dest"
	echo "$tarball"
	exit 0
fi

say "downloading $pkg $ver from $suite"
# apt-get download checks the .deb against the signed lists and writes it to
# the working directory, as user _apt when that user may write there.
id _apt >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && chown _apt "$KDT_APT/archives"
(cd "$KDT_APT/archives" && kdt_apt apt-get -q download "$pkg=$ver" >&2)
deb=$(ls "$KDT_APT/archives/${pkg}_${ver#*:}_"*.deb 2>/dev/null | head -n1)
[ -f "$deb" ] || die "apt-get download left no ${pkg}_${ver#*:}_*.deb"

mkdir -p "$dest"
tmp=$(mktemp -d "$dest/.unpack.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
dpkg -x "$deb" "$tmp"
[ -f "$tmp/usr/src/$pkg.tar.xz" ] || die "$deb holds no usr/src/$pkg.tar.xz"
mv "$tmp/usr/src/$pkg.tar.xz" "$tarball"
rm -f "$deb"
echo "$ver $suite" > "$dest/$pkg.version"
say "$pkg $ver ($suite): $tarball"
echo "$tarball"
