#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# initramfs.sh MODE [bench]: the guest's initramfs for cache/X.Y/build-MODE,
# build-MODE/initramfs.cpio.gz: busybox, the kdt init and the rest of
# harness/guest in /kdt, the list of the parts (/kdt/parts, from
# config/parts), the installed modules and the installed selftests,
# kdt_frame, kdt_fuzz and kdt_failnth (harness/tools/: frames for the
# packet demo, random calls and loads with a fault for the debug run), and
# checks/oot.sh's external modules when it has built them (in /kdt/oot). With bench, initramfs-bench.cpio.gz:
# the same with harness/bench's programs in /kdt.
# For arm64 the programs are cross-compiled and static, and busybox is
# Debian's busybox-static for arm64 (deps.sh arm64 unpacks it in cache/).
set -eu -o pipefail
. "$(dirname "$0")/../lib/lib.sh"

kdt_mode "$1"
out=$KDT_OUT
bench=
[ "${2:-}" != bench ] || bench="tour_bench edu_bench echo_server echo_load echo_idle"
busybox=/bin/busybox
cross=()
if [ -n "${CROSS_COMPILE:-}" ]; then
	busybox=$KDT_SHARED/busybox-$ARCH/bin/busybox
	[ -x "$busybox" ] || die "no $busybox: make check-arm64 installs it"
	cross=(KHDR_INCLUDES="-isystem $out/usr/include" LDFLAGS=-static)
fi
ksft=$out/kselftest-install

rm -rf "$ksft"
make -s -C "$KDT_SRC/tools/testing/selftests" O="$out/kselftest" \
	TARGETS=tour INSTALL_PATH="$ksft" "${cross[@]}" install \
	> "$out/kselftest.log" 2>&1 ||
	{ cat "$out/kselftest.log"; die "selftests install failed"; }
kdt_quiet "$out/kselftest.log" ||
	{ cat "$out/kselftest.log"; die "the selftests build with warnings"; }

for t in kdt_frame kdt_fuzz kdt_failnth; do
	"${CROSS_COMPILE:-}gcc" -O2 -Wall -Werror -static -o "$out/$t" \
		"$KDT_HARNESS/tools/$t.c"
done
for b in $bench; do
	"${CROSS_COMPILE:-}gcc" -O2 -Wall -Werror -static -o "$out/$b" \
		"$KDT_HARNESS/bench/$b.c"
done
"$KDT_HARNESS/steps/parts.sh" --guest "$out/parts"

# The guest's root, put together in cache/X.Y/rootfs-MODE (outside the
# build, which the per-patch checks copy), and made into the
# cpio archive by the tree's usr/gen_initramfs.sh (owners squashed to
# root), with the one entry a folder cannot hold, /dev/console.
root=$KDT_CACHE/rootfs-$KDT_MODE${bench:+-bench}
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,root,lib/modules,kdt}
cp "$busybox" "$root/bin/busybox"
for applet in $(/bin/busybox --list-full); do
	[ "$applet" = bin/busybox ] || ln -s /bin/busybox "$root/$applet"
done
cp -a "$KDT_HARNESS/guest/." "$root/kdt/"
mv "$root/kdt/init" "$root/init"
cp "$out/kdt_frame" "$out/kdt_fuzz" "$out/kdt_failnth" "$out/parts" \
	"$root/kdt/"
for b in $bench; do
	cp "$out/$b" "$root/kdt/"
done
# Only a mode with out-of-tree builds loads them (a built-in kernel cannot).
[ "$KDT_OOT" != oot ] || [ ! -d "$out/oot" ] || cp -a "$out/oot" "$root/kdt/oot"
cp -a "$out/stage/lib/modules/." "$root/lib/modules/"
cp -a "$ksft" "$root/kselftest"
# The shared libraries the compiled selftests need, at their host path.
find "$ksft" -type f -perm -u+x | while read -r f; do
	file "$f" | grep -q 'dynamically linked' || continue
	ldd "$f" | awk '/=> \//{print $3} /^\t\//{print $1}'
done | sort -u | while read -r lib; do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
echo "nod /dev/console 0600 0 0 c 5 1" > "$out/initramfs-nodes.list"

# gen_initramfs.sh runs usr/gen_init_cpio of the folder it runs in: one
# built for this host, since the build's may come from the trixie chroot's
# compiler and libc (llvm on mainline).
mkdir -p "$out/kdt-cpio/usr"
gcc -O2 -o "$out/kdt-cpio/usr/gen_init_cpio" "$KDT_SRC/usr/gen_init_cpio.c"
cpio=$out/initramfs${bench:+-bench}.cpio
(cd "$out/kdt-cpio" && sh "$KDT_SRC/usr/gen_initramfs.sh" -o "$cpio" \
	-u squash -g squash "$root" "$out/initramfs-nodes.list")
gzip -1f "$cpio"
