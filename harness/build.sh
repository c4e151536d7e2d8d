#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# build.sh MODE: configure and build the applied tree in cache/build-MODE.
#   y  every symbol of Kconfig.fragment as asked (the samples built in)
#   m  the same with every tristate of the series as a module
#   debug  m, with Kconfig.debug.fragment on top (KASAN, lockdep, ...)
#   llvm   m, built with clang and lld (make LLVM=1)
#   gdb    m, with harness/config/gdb.config on top (debug information)
#   arm64  m, for arm64 (QEMU's virt machine), cross-compiled; and the UAPI
#          headers, for the static selftests initramfs.sh builds
# The config is base.config and the architecture's (x86_64.config,
# arm64.config) on allnoconfig, then Kconfig.fragment, then the mode's
# changes, merged with merge_config.sh; the build fails when a symbol
# did not end as asked.
set -eu
. "$(dirname "$0")/lib.sh"

mode=$1
kdt_arch "$mode"
out=$KDT_CACHE/build-$mode
# m's config is y's but for the series' own symbols: a first build of m
# starts from y's objects, and Kbuild rebuilds only what those touch.
if [ "$mode" = m ] && [ ! -f "$out/vmlinux" ] && [ -f "$KDT_CACHE/build-y/vmlinux" ]; then
	rm -rf "$out"
	cp -a "$KDT_CACHE/build-y" "$out"
	# The tools' build (objtool) records its output folder; left as y's,
	# objtool would be built again, and every object that it checks too.
	find "$out/tools" \( -name '.*.cmd' -o -name '*.d' \) -print0 |
		xargs -0r sed -i "s|$KDT_CACHE/build-y/|$out/|g"
fi
mkdir -p "$out"
# What was made from the last build: oot.sh makes its modules again.
rm -rf "$out/initramfs.cpio.gz" "$out/oot"
want=$out/kdt-requested.config

case $mode in
y) cp "$KDT_TOP/Kconfig.fragment" "$want" ;;
m | debug | llvm | gdb | arm64)
	syms=$(kdt_tristates kdt-base HEAD | tr '\n' '|')
	sed -E "s/^CONFIG_(${syms%|})=y$/CONFIG_\1=m/" \
		"$KDT_TOP/Kconfig.fragment" > "$want"
	[ "$mode" != debug ] || cat "$KDT_TOP/Kconfig.debug.fragment" >> "$want"
	[ "$mode" != gdb ] || cat "$KDT_HARNESS/config/gdb.config" >> "$want"
	;;
*) die "usage: build.sh y|m|debug|llvm|gdb|arm64" ;;
esac
kdt_llvm "$mode"
targets="${KDT_IMAGE##*/} modules"
[ "$mode" != arm64 ] || targets="$targets headers"

cd "$KDT_SRC"
$KDT_RUN env $llvm scripts/kconfig/merge_config.sh -n -O "$out" \
	"$KDT_HARNESS/config/base.config" "$KDT_HARNESS/config/$ARCH.config" \
	"$want" > "$out/merge.log" 2>&1 ||
	{ cat "$out/merge.log"; die "merge_config.sh failed"; }

# Every requested symbol must have ended as asked.
bad=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*) sym=${line%%=*} ;;
	"# CONFIG_"*" is not set") sym=${line#\# }; sym=${sym%% *} ;;
	*) continue ;;
	esac
	got=$(grep -E "^($sym=|# $sym is not set)" "$out/.config" || true)
	if [ "$line" != "$got" ] && ! { [ -z "$got" ] && [ "${line#*=}" = n ]; }; then
		echo "kdt: $sym: asked '$line', got '${got:-unset}'" >&2
		bad=1
	fi
done < "$want"
[ $bad = 0 ] || die "build-$mode: the config is not what Kconfig.fragment asks"
cp "$out/.config" "$out/kdt-full.config"

say "building build-$mode"
$KDT_RUN make -s O="$out" $llvm -j"$KDT_JOBS" $targets
rm -rf "$out/stage"
$KDT_RUN make -s O="$out" $llvm INSTALL_MOD_PATH="$out/stage" INSTALL_MOD_STRIP=1 \
	modules_install > /dev/null
