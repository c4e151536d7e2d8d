#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# configs.sh: the series' `depends on` and `select`, proven on minimal
# kernels, so that menuconfig offers no part that cannot build.
#
# Every part (a tristate the series adds) is tried on x86_64 allnoconfig
# with MODULES, KUNIT, the umbrella and the part as a module (its KUnit
# tests on): when olddefconfig keeps the part, that minimal kernel has what
# it needs. When it drops it, the part's `depends on` must name what is
# missing: with only those symbols added, olddefconfig must keep it. The
# parts are then built by the symbols they needed, one kernel for each set
# (the set empty: allnoconfig itself): vmlinux and the parts' modules, which
# modpost links against it. A part that uses what its Kconfig entry does
# not ask for fails to compile or to link there. That each part builds
# without the others is checks/patches.sh's (the umbrella and one part).
#
# The kernels are cache/build-min (allnoconfig) and cache/build-min-SYMS,
# each new one a copy of build-min, so that only what SYMS brings is built.
set -eu
. "$(dirname "$0")/../lib/lib.sh"

logs=$KDT_RESULTS/logs
mkdir -p "$logs"
tap_begin "$KDT_RESULTS/configs.tap"

# The Kconfig lines the series adds.
added=$(git -C "$KDT_SRC" diff kdt-base HEAD -- '*Kconfig*' |
	sed -n 's/^+//p' | grep -v '^++')
# The parts.
parts=$(kdt_tristates kdt-base HEAD)

# deps PART: the symbols the `depends on` lines of PART's entry name.
deps() {
	echo "$added" | awk -v part="$1" '
	/^(menu)?config /{on = $2 == part}
	on && /^\tdepends on /{
		sub(/^\tdepends on /, "")
		n = split($0, w, /[^A-Za-z0-9_]+/)
		for (i = 1; i <= n; i++)
			if (w[i] ~ /^[A-Z][A-Z0-9_]*$/) print w[i]
	}' | sort -u
}

# minimal DIR SYMS...: DIR/.config is allnoconfig, then MODULES, KUNIT, the
# umbrella and each of SYMS (CONFIG_X=y, or CONFIG_X=m as given).
minimal() {
	local dir=$1 s

	shift
	mkdir -p "$dir"
	{
		echo CONFIG_64BIT=y
		echo CONFIG_MODULES=y
		echo CONFIG_KUNIT=y
		echo CONFIG_SAMPLES=y
		echo CONFIG_SAMPLES_TOUR=y
		for s in "$@"; do
			case $s in *=*) echo "CONFIG_$s" ;; *) echo "CONFIG_$s=y" ;; esac
		done
	} > "$dir/kdt-min.config"
	(cd "$KDT_SRC" && scripts/kconfig/merge_config.sh -n -O "$dir" \
		"$dir/kdt-min.config") > "$dir/merge.log" 2>&1
}

# part_on DIR PART: PART is a module in DIR/.config.
part_on() { grep -q "^CONFIG_$2=m$" "$1/.config"; }

# as_modules PART...: each part as a module, with its KUnit tests.
as_modules() {
	local p

	for p; do
		echo "$p=m"
		! echo "$added" | grep -q "^config ${p}_KUNIT_TEST$" ||
			echo "${p}_KUNIT_TEST=y"
	done
}

# Which symbols each part needs beyond allnoconfig ("-": none). First all
# of them on allnoconfig; then those it leaves out, with their depends on.
declare -A need
probe=$KDT_CACHE/build-min-probe
minimal "$probe" $(as_modules $parts)
out=
for p in $parts; do
	if part_on "$probe" "$p"; then
		need[$p]=-
		tap_result 0 "$p: allnoconfig with the umbrella offers it"
	else
		out="$out $p"
	fi
done
# kdeps SYM: what the kernel's entry of SYM depends on: its depends on
# lines and the if blocks around it, in its own Kconfig file.
kdeps() {
	local f

	f=$(grep -rlx --include='Kconfig*' -e "config $1" -e "menuconfig $1" \
		"$KDT_SRC" | head -1)
	[ -n "$f" ] || return 0
	awk -v sym="$1" '
	function words(s,	n, w, i) {
		n = split(s, w, /[^A-Za-z0-9_]+/)
		for (i = 1; i <= n; i++)
			if (w[i] ~ /^[A-Z][A-Z0-9_]*$/) print w[i]
	}
	/^if /{ifs[++depth] = substr($0, 4)}
	/^endif/{depth--}
	/^(menu)?config /{on = $2 == sym; if (on) for (i = 1; i <= depth; i++) words(ifs[i])}
	on && /^\tdepends on /{sub(/^\tdepends on /, ""); words($0)}' "$f"
}

# The parts allnoconfig leaves out: each with its depends on, and then
# what those need in turn, until olddefconfig keeps it.
for p in $out; do
	d=" $(deps "$p" | tr '\n' ' ')"
	more=
	for round in 1 2 3 4; do
		minimal "$probe" $(as_modules "$p") $d
		part_on "$probe" "$p" && break
		for s in $d; do
			grep -q "^CONFIG_$s=y" "$probe/.config" && continue
			for k in $(kdeps "$s"); do
				[[ "$d" == *" $k "* ]] || { d="$d$k "; more="$more $k"; }
			done
		done
	done
	rc=0
	part_on "$probe" "$p" || rc=1
	need[$p]=$(echo $d | tr ' ' '\n' | sort | tr '\n' '+')
	need[$p]=${need[$p]%+}
	tap_result $rc "$p: allnoconfig leaves it out; its depends on ($(deps "$p" |
		tr '\n' ' ' | sed 's/ $//'))${more:+, with what they need (${more# }),} bring it back"
done
rm -rf "$probe"

# module PART: the object the series' Makefiles build for PART.
module() {
	git -C "$KDT_SRC" diff kdt-base HEAD -- '*Makefile' |
		sed -n "s|^+obj-\$(CONFIG_$1)[[:space:]]*+= *\([a-z0-9_]*\.o\)$|\1|p" |
		head -1
}

# Build the parts by the symbols they need ("-": none), the smaller sets
# first: a new kernel starts as a copy of the built one whose symbols are
# the most of its own, so that only what the rest bring is built.
base=$KDT_CACHE/build-min
built=
for key in $(printf '%s\n' "${need[@]}" | sort -u |
	awk '{ print gsub(/\+/, "+"), $0 }' | sort -n | cut -d' ' -f2); do
	add=${key//+/ }
	[ "$key" != - ] || add=
	dir=$base${add:+-$key}
	list=
	for p in $parts; do
		[ "${need[$p]}" = "$key" ] || continue
		list="$list $p"
	done
	if [ -n "$add" ] && [ ! -d "$dir" ]; then
		from=$base
		most=0
		for k in $built; do
			n=0
			for s in ${k//+/ }; do
				[[ " $add " == *" $s "* ]] || continue 2
				n=$((n + 1))
			done
			[ $n -le $most ] || { most=$n; from=$base-$k; }
		done
		[ ! -f "$from/vmlinux" ] || cp -a "$from" "$dir"
	fi
	[ "$key" = - ] || built="$built $key"
	log=$logs/configs${add:+-$key}.log
	rc=0
	{
		minimal "$dir" $(as_modules $list) $add &&
		make -s -C "$KDT_SRC" O="$dir" -j"$KDT_JOBS" vmlinux modules
	} > "$log" 2>&1 || rc=1
	kdt_quiet "$log" || rc=1
	for p in $list; do
		o=$(module "$p")
		part_on "$dir" "$p" && [ -n "$o" ] &&
			grep -q "/$o$" "$dir/modules.order" ||
			{ echo "kdt: $p: no module ${o:-?} built" >> "$log"; rc=1; }
	done
	tap_log $rc "allnoconfig${add:+ + ${add// / + }} builds$list as modules, and modpost links them" "$log"
done
tap_end
