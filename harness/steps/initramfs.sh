#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# initramfs.sh MODE [bench]: the guest's initramfs for cache/X.Y/build-MODE,
# build-MODE/initramfs.cpio.gz: busybox, the kdt init and the rest of
# harness/guest in /kdt, the list of the parts (/kdt/parts, from
# config/parts), the installed modules and the installed selftests,
# kdt_frame and kdt_fuzz (harness/tools/: frames for the packet demo,
# random calls for the debug run), and checks/oot.sh's external modules
# when it has built them (in /kdt/oot). With bench, initramfs-bench.cpio.gz:
# the same with harness/bench's programs in /kdt.
# For arm64 the programs are cross-compiled and static, and busybox is
# Debian's busybox-static for arm64 (deps.sh arm64 unpacks it in cache/).
set -eu -o pipefail
. "$(dirname "$0")/../lib/lib.sh"

kdt_mode "$1"
out=$KDT_OUT
bench=
[ "${2:-}" != bench ] || bench="tour_bench edu_bench echo_server echo_load"
busybox=/bin/busybox
cross=()
if [ -n "${CROSS_COMPILE:-}" ]; then
	busybox=$KDT_SHARED/busybox-$ARCH/bin/busybox
	[ -x "$busybox" ] || die "no $busybox: make check-arm64 installs it"
	cross=(KHDR_INCLUDES="-isystem $out/usr/include" LDFLAGS=-static)
fi
ksft=$out/kselftest-install
list=$out/initramfs.list

rm -rf "$ksft"
make -s -C "$KDT_SRC/tools/testing/selftests" O="$out/kselftest" \
	TARGETS=tour INSTALL_PATH="$ksft" "${cross[@]}" install \
	> "$out/kselftest.log" 2>&1 ||
	{ cat "$out/kselftest.log"; die "selftests install failed"; }
kdt_quiet "$out/kselftest.log" ||
	{ cat "$out/kselftest.log"; die "the selftests build with warnings"; }

for t in kdt_frame kdt_fuzz; do
	"${CROSS_COMPILE:-}gcc" -O2 -Wall -Werror -static -o "$out/$t" \
		"$KDT_HARNESS/tools/$t.c"
done
for b in $bench; do
	"${CROSS_COMPILE:-}gcc" -O2 -Wall -Werror -static -o "$out/$b" \
		"$KDT_HARNESS/bench/$b.c"
done
"$KDT_HARNESS/steps/parts.sh" --guest "$out/parts"

# entries ROOT DEST: gen_init_cpio lines for the tree ROOT put at DEST.
entries() {
	(cd "$1" && find . -mindepth 1 | sort) | while read -r p; do
		p=${p#./}
		if [ -L "$1/$p" ]; then
			echo "slink $2/$p $(readlink "$1/$p") 0777 0 0"
		elif [ -d "$1/$p" ]; then
			echo "dir $2/$p 0755 0 0"
		else
			echo "file $2/$p $1/$p $(stat -c %a "$1/$p") 0 0"
		fi
	done
}

{
	for d in /bin /sbin /usr /usr/bin /usr/sbin /dev /proc /sys /tmp /root \
		 /lib /lib/modules /kdt /kselftest; do
		echo "dir $d 0755 0 0"
	done
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "file /bin/busybox $busybox 0755 0 0"
	for applet in $(/bin/busybox --list-full); do
		[ "$applet" = bin/busybox ] || echo "slink /$applet /bin/busybox 0777 0 0"
	done
	echo "file /init $KDT_HARNESS/guest/init 0755 0 0"
	entries "$KDT_HARNESS/guest" /kdt | grep -v ' /kdt/init '
	for t in kdt_frame kdt_fuzz; do
		echo "file /kdt/$t $out/$t 0755 0 0"
	done
	echo "file /kdt/parts $out/parts 0644 0 0"
	for b in $bench; do
		echo "file /kdt/$b $out/$b 0755 0 0"
	done
	if [ -d "$out/oot" ]; then
		echo "dir /kdt/oot 0755 0 0"
		entries "$out/oot" /kdt/oot
	fi
	entries "$out/stage/lib/modules" /lib/modules
	entries "$ksft" /kselftest
	# The shared libraries the compiled selftests need, at their host path.
	find "$ksft" -type f -perm -u+x | while read -r f; do
		file "$f" | grep -q 'dynamically linked' || continue
		ldd "$f" | awk '/=> \//{print $3} /^\t\//{print $1}'
	done | sort -u | while read -r lib; do
		d=$(dirname "$lib")
		dirs=
		while [ "$d" != / ]; do dirs="$d $dirs"; d=$(dirname "$d"); done
		for d in $dirs; do echo "dir $d 0755 0 0"; done
		echo "file $lib $(readlink -f "$lib") 0755 0 0"
	done | awk '!seen[$0]++'
} > "$list"

# The tree's gen_init_cpio, built for this host: the one in the build may
# come from the trixie chroot's compiler and libc (llvm on mainline).
gcc -O2 -o "$out/kdt_gen_init_cpio" "$KDT_SRC/usr/gen_init_cpio.c"
"$out/kdt_gen_init_cpio" "$list" | gzip -1 > "$out/initramfs${bench:+-bench}.cpio.gz"
