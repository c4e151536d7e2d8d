#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Check each patch of the applied series on its own (checkpatch is
# checks/checkpatch.sh's): the tree at that patch builds the series' folders
# with W=1 and sparse and no warning, built in (y) and as modules (m, and
# modpost links them, so a symbol a part uses but a later patch brings in
# fails here). The whole series' built-in kernel links in build-y. A
# patch of pages and MAINTAINERS alone is not built: no build reads them.
#
# Built in, the config has every part of the series the patch has. As
# modules, it has the umbrella and only the parts (tristates) the patch adds,
# every other one of the series off: menuconfig's "the umbrella plus one
# sample" (or the edu driver alone), which proves that no part needs
# another. Both modes check that the patch's parts ended as asked, so a
# `depends on` the guest's base config lacks fails here rather than
# dropping the part unnoticed. A later patch never changes an earlier
# part's C files (the check below): the earlier part built as a module at
# its own patch, and the built-in build compiles it again at each later one.
#
# A patch with Rust files (a Since: commit of harness/commits/, for the
# trees whose abstractions it needs) is built instead in the rust mode's
# config, the only one with CONFIG_RUST: every module, the umbrella and
# its own parts alone as in m, through clippy (CLIPPY=1), no warning.
# That is `patches.sh rust`, for make check-rust, in results/rust/patches.tap
# (the Rust patches' builds alone); patches.sh skips them.
#
# The builds are in cache/X.Y/bisect-y, bisect-m and bisect-rust, copies of
# the whole series' builds (build-y, build-m, build-rust, left as they
# are): only the series' files and what their config symbols touch are
# rebuilt. The patches are
# checked out in the applied tree, cache/X.Y/src, which the Makefile holds
# for this check alone meanwhile (flock), and left at the last one.
set -eu
. "$(dirname "$0")/../lib/lib.sh"

only=${1:-}
logs=$KDT_RESULTS/logs
mkdir -p "$logs" "$KDT_RESULTS/rust"
if [ "$only" = rust ]; then
	tap_begin "$KDT_RESULTS/rust/patches.tap"
else
	tap_begin "$KDT_RESULTS/patches.tap"
fi
# The patches with Rust files.
rust=$(git -C "$KDT_SRC" log --format=%H kdt-base..HEAD -- '*.rs')
[ "$only" != rust ] || [ -n "$rust" ] || die "the applied series has no Rust file"

dirs=$(kdt_series_dirs)

all=$(kdt_tristates kdt-base HEAD | tr '\n' ' ')

if [ "$only" != rust ]; then
	# No patch changes a C file or header that an earlier patch added.
	rc=0
	for f in $(git -C "$KDT_SRC" diff --name-only --diff-filter=A kdt-base HEAD -- \
		'*.c' '*.h'); do
		n=$(git -C "$KDT_SRC" rev-list --count kdt-base..HEAD -- "$f")
		[ "$n" = 1 ] || { echo "# $f: changed by $n patches" >> "$TAP_FILE"; rc=1; }
	done
	tap_result $rc "each C file and header of the series comes whole from one patch"
fi

modes="y m"
[ "$only" != rust ] || modes=rust
for mode in $modes; do
	[ -f "$KDT_CACHE/build-$mode/built" ] ||
		die "build-$mode is not built: make $KDT_CACHE/build-$mode/built"
	rsync -a --delete "$KDT_CACHE/build-$mode/" "$KDT_CACHE/bisect-$mode/"
done
# The tree's sparse must be one it accepts: else C=2 warns and turns
# itself off, and the warning fails the build below.
sparse=
[ "$only" = rust ] || sparse=$("$KDT_HARNESS/steps/sparse.sh")
head=$(git -C "$KDT_SRC" rev-parse HEAD)
# However this ends (a stopped run too), the tree goes back to the whole
# series, which the applied stamp says it is.
trap 'git -C "$KDT_SRC" checkout -q --detach "$head"' EXIT
# unbuilt C: C changes only files that no build reads (the pages, which
# checks/docs.sh builds, and MAINTAINERS), so its tree builds as its
# parent's does.
unbuilt() {
	local f
	f=$(git -C "$KDT_SRC" diff --no-renames --name-only "$1^" "$1") ||
		die "git diff $1"
	! grep -qv -e '\.rst$' -e '^MAINTAINERS$' <<< "$f"
}
# The last patch of the C builds (no Rust file, not unbuilt).
last=$(git -C "$KDT_SRC" rev-list --count kdt-base..HEAD)
for c in $(git -C "$KDT_SRC" rev-list kdt-base..HEAD); do
	[[ "$rust" == *$c* ]] || unbuilt "$c" || break
	last=$((last - 1))
done
# build MODE TARGETS: the tree as checked out, in cache/X.Y/bisect-MODE.
build() {
	# Sparse on the files each patch (re)compiles (C=1), on every file of
	# the series at the last one built (C=2).
	c=1
	[ "$i" != "$last" ] || c=2
	# No olddefconfig first: make's syncconfig reads Kconfig once, as
	# olddefconfig would again (its compiler tests cost seconds). Where a
	# symbol with a prompt is new to .config, syncconfig asks for it (NEW),
	# which fails below.
	make -s -C "$KDT_SRC" O="$KDT_CACHE/bisect-$1" -j"$KDT_JOBS" W=1 C=$c \
		CHECK="$sparse" $2 < /dev/null
}

# build_rust: the tree as checked out, in cache/X.Y/bisect-rust, with the
# rust mode's compilers (a subshell: kdt_mode sets them).
build_rust() (
	kdt_mode rust
	mk() { $KDT_RUN make -s -C "$KDT_SRC" O="$KDT_CACHE/bisect-rust" $llvm "$@"; }
	# vmlinux too: the kernel crate's symbol names change with the config,
	# and modpost checks the modules against vmlinux's exports.
	mk -j"$KDT_JOBS" CLIPPY=1 vmlinux modules < /dev/null
)

i=0
for c in $(git -C "$KDT_SRC" rev-list --reverse kdt-base..HEAD); do
	i=$((i + 1))
	git -C "$KDT_SRC" checkout -q --detach "$c"
	own=$(kdt_tristates "$c^" "$c" | tr '\n' ' ')
	these="y m"
	if [[ "$rust" == *$c* ]]; then
		[ "$only" = rust ] ||
			{ tap_skip "patch $i builds" "Rust: make check-rust builds it"; continue; }
		these=rust
	elif [ "$only" = rust ]; then
		continue
	elif unbuilt "$c"; then
		tap_skip "patch $i builds" "only pages and MAINTAINERS, which no build reads"
		continue
	fi
	# The whole series' config, less what this patch does not have; as
	# modules, less the parts other patches add.
	for mode in $these; do
		cp "$KDT_CACHE/bisect-$mode/kdt-full.config" \
			"$KDT_CACHE/bisect-$mode/.config"
		[ $mode != y ] || continue
		for s in $all; do
			[[ " $own " == *" $s "* ]] ||
				"$KDT_SRC/scripts/config" \
					--file "$KDT_CACHE/bisect-$mode/.config" --disable "$s"
		done
	done
	# Built in: compile the folders. As modules: compile and link the
	# modules (modpost checks their symbols). Rust: as modules, with
	# vmlinux and the kernel crate in it that they link against.
	# The modes build side by side, each with all the jobs: a build of a
	# patch's few files is mostly make's own serial work, and y's ends
	# first.
	for mode in $these; do
		case $mode in
		y) build y "$dirs" ;;
		m) build m modules ;;
		rust) build_rust ;;
		esac > "$logs/bisect-$i-$mode.log" 2>&1 &
		eval "pid_$mode=$!"
	done
	for mode in $these; do
		log=$logs/bisect-$i-$mode.log
		pid=pid_$mode
		rc=0
		wait "${!pid}" || rc=$?
		[ $rc = 0 ] && kdt_quiet "$log" || rc=1
		! grep -q '(NEW)' "$log" ||
			{ echo "a symbol is new to .config: syncconfig asked for it" >> "$log"; rc=1; }
		# The patch's parts ended as asked.
		want=${mode/rust/m}
		for s in $own; do
			grep -q "^CONFIG_$s=$want$" "$KDT_CACHE/bisect-$mode/.config" ||
				{ echo "CONFIG_$s is not $want" >> "$log"; rc=1; }
		done
		what="with W=1 and sparse, no warning"
		[ $mode != rust ] || what="with CONFIG_RUST and clippy, no warning"
		[ $mode = y ] ||
			what="the umbrella and ${own:-no part}${own:+alone}, $what"
		tap_log $rc "patch $i builds as $mode: $what" "$log"
	done
done
git -C "$KDT_SRC" checkout -q --detach "$head"
if [ "$only" = rust ]; then
	tap_end
	exit 0
fi

# kernel-doc on every C file and header the series adds or changes.
files=$(git -C "$KDT_SRC" diff --name-only --diff-filter=AM kdt-base HEAD -- \
	'*.c' '*.h')
out=$(cd "$KDT_SRC" && scripts/kernel-doc -none -Wall $files 2>&1)
echo "$out" > "$logs/kernel-doc.log"
rc=0
[ -z "$out" ] || rc=1
tap_result $rc "kernel-doc -Wall: no warning on $(echo $files | wc -w) files"

# The uapi headers the series adds: make headers installs them (and checks
# them for kernel-only content), and each compiles on its own in user space.
uapi=$(git -C "$KDT_SRC" diff --name-only --diff-filter=A kdt-base HEAD -- \
	'include/uapi/*.h')
for h in $uapi; do
	inc=$KDT_CACHE/build-m/usr/include
	rc=0
	{
		make -s -C "$KDT_SRC" O="$KDT_CACHE/build-m" -j"$KDT_JOBS" headers &&
		echo "#include <${h#include/uapi/}>" |
			gcc -Wall -Wextra -Werror -fsyntax-only -I "$inc" -x c -
	} > "$logs/uapi.log" 2>&1 || rc=1
	tap_result $rc "$h installs with make headers and compiles on its own"
	[ $rc = 0 ] || sed -n '1,20p' "$logs/uapi.log" | sed 's/^/# /' |
		tee -a "$TAP_FILE"
done
tap_end
