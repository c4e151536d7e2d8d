#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# configure.sh MODE: the config of cache/X.Y/build-MODE (config/modes says
# what MODE is): base.config and the architecture's (x86_64.config,
# arm64.config) on allnoconfig, then Kconfig.fragment (with parts m, every
# tristate of the series as a module), then the mode's fragments (a later
# one's line for a symbol replacing an earlier one's), merged with the
# tree's merge_config.sh; it fails when a symbol did not end as
# asked. The result is kept as build-MODE/kdt-full.config.
set -eu
. "$(dirname "$0")/../lib/lib.sh"

kdt_mode "$1"
out=$KDT_OUT
mkdir -p "$out"
want=$out/kdt-requested.config
cp "$KDT_TOP/Kconfig.fragment" "$want"
if [ "$KDT_PARTS" = m ]; then
	syms=$(kdt_tristates kdt-base HEAD | tr '\n' '|')
	sed -i -E "s/^CONFIG_(${syms%|})=y$/CONFIG_\1=m/" "$want"
fi
[ -z "$KDT_CONFIGS" ] || cat $KDT_CONFIGS >> "$want"
# A symbol that a later fragment sets again: the later line only.
tac "$want" | awk 'match($0, /^(# )?CONFIG_[A-Za-z0-9_]+( is not set|=)/) {
	sym = $0; sub(/^# /, "", sym); sub(/( is not set|=).*/, "", sym)
	if (seen[sym]++) next
} 1' | tac > "$want.tmp" && mv "$want.tmp" "$want"

cd "$KDT_SRC"
$KDT_RUN env $llvm scripts/kconfig/merge_config.sh -n -O "$out" \
	"$KDT_HARNESS/config/base.config" "$KDT_HARNESS/config/$ARCH.config" \
	"$want" > "$out/merge.log" 2>&1 ||
	{ cat "$out/merge.log"; die "merge_config.sh failed"; }
# merge_config.sh's own report of what did not end as asked ("Value
# requested for CONFIG_X not in final .config"; 7.3 also says "CONFIG_X
# differs:"), for the symbols of Kconfig.fragment and the mode's
# fragments: base.config names options that only some trees have.
bad=0
for sym in $(sed -n -E 's/.*Value requested for (CONFIG_[A-Za-z0-9_]+) .*/\1/p;
			 s/.*(CONFIG_[A-Za-z0-9_]+) differs:.*/\1/p' "$out/merge.log" |
	   sort -u); do
	if grep -qE "^(# )?${sym}[= ]" "$want"; then
		grep -m1 -A2 -E "(requested for|^WARNING: ) *${sym}[ :]" "$out/merge.log" >&2
		bad=1
	fi
done
[ $bad = 0 ] ||
	die "build-$KDT_MODE: the config is not what Kconfig.fragment and config/modes ask"
cp "$out/.config" "$out/kdt-full.config"
