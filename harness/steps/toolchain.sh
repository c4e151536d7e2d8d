#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# toolchain.sh: a Debian 13 (trixie) chroot in cache/trixie (KDT_TRIXIE=DIR
# to move it) with what mainline needs that bookworm lacks: LLVM >= 17 for
# make LLVM=1 (bookworm has 14, trixie 19) and, for CONFIG_RUST, rustc >=
# 1.85 and bindgen >= 0.71.1 (trixie has 1.85.1 and 0.71.1), as 7.3's
# scripts/min-tool-version.sh asks. harness/in-trixie runs commands in it.
# debootstrap (trixie's, unpacked in cache/debootstrap: the host's apt is
# left alone) makes a minbase system from the host's mirror, checked with
# the host's debian-archive-keyring; apt then installs PACKAGES. It is done
# again only when PACKAGES changes (cache/trixie/.kdt-packages), and only
# adds: remove cache/trixie to drop a package.
set -eu
. "$(dirname "$0")/../lib/lib.sh"
. "$KDT_HARNESS/steps/debian.sh"

# Add a package here, and the next run installs it.
PACKAGES=(
	# the kernel's build, gcc 14
	make gcc libc6-dev bc bison flex libelf-dev libssl-dev cpio kmod
	python3 perl xz-utils zstd rsync file git
	# make LLVM=1: clang, ld.lld and the llvm-* tools, unversioned
	clang lld llvm clangd
	# CONFIG_RUST: rustc, the core library's source, bindgen and libclang
	rustc rust-src rustfmt rust-clippy bindgen libclang-dev
)

root=${KDT_TRIXIE:-$KDT_SHARED/trixie}
export KDT_TRIXIE=$root
want=$(printf '%s\n' "${PACKAGES[@]}" | sort -u)
mkdir -p "$(dirname "$root")"
exec 9> "$root.lock"
flock 9
if [ "$(cat "$root/.kdt-packages" 2>/dev/null)" = "$want" ]; then
	say "trixie chroot up to date: $root"
	exit 0
fi

if [ ! -f "$root/.kdt-debootstrap" ]; then
	kdt_apt_update
	dbs=$KDT_SHARED/debootstrap
	rm -rf "$dbs" "$root"
	mkdir -p "$dbs"
	id _apt >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && chown _apt "$dbs"
	(cd "$dbs" && kdt_apt apt-get -q download debootstrap/trixie >&2)
	dpkg -x "$dbs"/debootstrap_*.deb "$dbs"
	mirror=$(kdt_mirror)
	say "debootstrap trixie $root ($mirror)"
	DEBOOTSTRAP_DIR=$dbs/usr/share/debootstrap \
		nice -n 19 "$dbs/usr/sbin/debootstrap" --variant=minbase \
		--keyring="$KDT_KEYRING" trixie "$root" "$mirror" >&2
	# The host's network settings for apt (proxy, Check-Valid-Until).
	kdt_apt_host_conf > "$root/etc/apt/apt.conf.d/90kdt-host"
	printf '%s\n' 'Acquire::Languages "none";' > "$root/etc/apt/apt.conf.d/90kdt-lean"
	touch "$root/.kdt-debootstrap"
fi

say "installing in $root: ${PACKAGES[*]}"
in_trixie() { "$KDT_HARNESS/steps/in-trixie" "$@"; }
in_trixie apt-get -q update >&2
# shellcheck disable=SC2086 # one package a word
in_trixie env DEBIAN_FRONTEND=noninteractive nice -n 19 \
	apt-get -q install -y --no-install-recommends $want >&2
in_trixie apt-get clean
echo "$want" > "$root/.kdt-packages"
say "trixie chroot ready: $root ($(du -sh "$root" 2>/dev/null | cut -f1))"
