# SPDX-License-Identifier: GPL-2.0-only
# Shared settings and helpers of the kdt harness; sourced, never run.

KDT_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KDT_HARNESS=$KDT_TOP/harness
# The kernel trees the series targets, mainline first: Debian's
# linux-source-X.Y of each. Mainline's series is patches/ and series; each
# other tree's is made by its X.Y/backport rules into X.Y/patches and
# X.Y/series. KDT_KVER=X.Y picks the tree a step works on (default
# mainline).
KDT_TREES="7.3 6.12"
KDT_MAINLINE=${KDT_TREES%% *}
KDT_KVER=${KDT_KVER:-$KDT_MAINLINE}
export KDT_KVER
case " $KDT_TREES " in
*" $KDT_KVER "*) ;;
*) echo "kdt: KDT_KVER=$KDT_KVER is none of $KDT_TREES" >&2; exit 1 ;;
esac
KDT_SERIES_DIR=$KDT_TOP
[ "$KDT_KVER" = "$KDT_MAINLINE" ] || KDT_SERIES_DIR=$KDT_TOP/$KDT_KVER
# cache/ (KDT_CACHE=... moves it) holds what every tree shares: Debian's
# downloads, the toolchains. Each tree's pristine tree, builds and results
# are in cache/X.Y, which the steps know as KDT_CACHE.
KDT_SHARED=${KDT_SHARED:-${KDT_CACHE:-$KDT_TOP/cache}}
export KDT_SHARED
KDT_CACHE=$KDT_SHARED/$KDT_KVER
# The pristine tree (a git repository whose tag kdt-base is the base commit).
KDT_TREE=${KERNEL_SRC:-$KDT_CACHE/linux}
# Worktrees of $KDT_TREE: one where the series is generated, one where it is applied.
KDT_GEN=$KDT_CACHE/gen
KDT_SRC=$KDT_CACHE/src
KDT_RESULTS=${KDT_RESULTS:-$KDT_CACHE/results}
KDT_JOBS=${KDT_JOBS:-$(nproc)}
# Debian's python3: the pyenv one first on PATH lacks ply and git for checkpatch.
KDT_PY=/usr/bin/python3
export ARCH=x86_64
export PATH=/usr/bin:$PATH
KDT_IMAGE=arch/x86/boot/bzImage

# kdt_arch MODE: the architecture of cache/build-MODE. arm64 is
# cross-compiled with Debian's gcc-aarch64-linux-gnu (deps.sh arm64); every
# other mode is x86_64. Sets ARCH, CROSS_COMPILE and KDT_IMAGE, the kernel
# image's path in the build.
kdt_arch() {
	if [ "$1" = arm64 ]; then
		export ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
		KDT_IMAGE=arch/arm64/boot/Image
	fi
}

# kdt_llvm MODE: for the llvm mode, sets llvm=LLVM=1 and, when the host's
# clang is older than the tree's scripts/min-tool-version.sh asks (7.3
# wants 17.0.1, bookworm has 14), KDT_RUN to the trixie chroot's runner
# (toolchain.sh makes it, with clang 19), which the make commands go
# through; for any other mode, both are empty.
kdt_llvm() {
	llvm= KDT_RUN=
	[ "$1" = llvm ] || return 0
	llvm=LLVM=1
	local want have
	want=$(cd "$KDT_SRC" && scripts/min-tool-version.sh llvm)
	have=$(clang -dumpversion 2>/dev/null || echo 0)
	[ "$(printf '%s\n' "$want" "$have" | sort -V | head -1)" != "$want" ] ||
		return 0
	"$KDT_HARNESS/toolchain.sh" >&2
	KDT_RUN=$KDT_HARNESS/in-trixie
}

# kdt_tristates FROM TO: the tristate symbols (the parts of the tour) that
# the Kconfig changes between FROM and TO add, in the applied tree:
# kdt_tristates kdt-base HEAD gives the whole series'.
kdt_tristates() {
	git -C "$KDT_SRC" diff "$1" "$2" -- '*Kconfig*' |
		awk '/^\+(menu)?config /{sym=$2} /^\+\ttristate/{print sym}'
}

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'kdt: %s\n' "$*" >&2; exit 1; }

# kgit ARGS: git in the kernel tree, quiet about its size.
kgit() { git -C "$KDT_TREE" -c advice.detachedHead=false -c core.quotePath=false "$@"; }

# TAP output of the host-side checks: tap_begin FILE, then tap_result OK DESC.
tap_begin() {
	TAP_FILE=$1
	TAP_N=0
	mkdir -p "$(dirname "$TAP_FILE")"
	printf 'TAP version 13\n' > "$TAP_FILE"
}

tap_result() {
	TAP_N=$((TAP_N + 1))
	if [ "$1" = 0 ]; then
		printf 'ok %d %s\n' "$TAP_N" "$2" | tee -a "$TAP_FILE"
	else
		printf 'not ok %d %s\n' "$TAP_N" "$2" | tee -a "$TAP_FILE"
	fi
}

tap_skip() {
	TAP_N=$((TAP_N + 1))
	printf 'ok %d %s # SKIP %s\n' "$TAP_N" "$1" "$2" | tee -a "$TAP_FILE"
}

# tap_log RC DESC LOG: tap_result, then on failure the start of LOG as
# comments.
tap_log() {
	tap_result "$1" "$2"
	[ "$1" = 0 ] || sed -n '1,40p' "$3" | sed 's/^/# /' | tee -a "$TAP_FILE"
}

# tap_run DESC LOG CMD...: run CMD with its output in LOG, record the result.
tap_run() {
	local desc=$1 log=$2 rc=0
	shift 2
	"$@" > "$log" 2>&1 || rc=$?
	tap_log "$rc" "$desc" "$log"
	return 0
}

tap_end() {
	printf '1..%d\n' "$TAP_N" >> "$TAP_FILE"
}
