# SPDX-License-Identifier: GPL-2.0-only
# Shared settings and helpers of the kdt harness; sourced, never run.

KDT_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KDT_HARNESS=$KDT_TOP/harness
# The trees (config/trees), mainline first. KDT_KVER=X.Y picks the tree a
# step works on (default mainline).
KDT_TREES=$(grep -v '^#' "$KDT_HARNESS/config/trees" | tr '\n' ' ')
KDT_TREES=${KDT_TREES% }
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
KDT_RESULTS=$KDT_CACHE/results
KDT_JOBS=${KDT_JOBS:-$(nproc)}
# Debian's python3: the pyenv one first on PATH lacks ply and git for checkpatch.
KDT_PY=/usr/bin/python3
export ARCH=x86_64
export PATH=/usr/bin:$PATH
# The steps' own make commands start afresh: not as sub-makes of the
# harness's make -j (a jobserver they cannot reach, its -k, its directory
# messages).
unset MAKEFLAGS MFLAGS MAKELEVEL

# kdt_mode MODE: read MODE's row of config/modes, and set what the steps
# use: KDT_OUT (cache/X.Y/build-MODE), KDT_PARTS (y or m), KDT_CONFIGS (the
# mode's fragments, after Kconfig.fragment), KDT_CMDLINE (its words for the
# guest's kernel command line), KDT_TIMEOUT, KDT_GUEST (its guest column:
# test, debug, ... or -), KDT_OOT (oot or -), and from kdt_arch and kdt_cc
# ARCH, CROSS_COMPILE, KDT_IMAGE, llvm and KDT_RUN.
kdt_mode() {
	local row
	row=$(awk -v m="$1" '$1 == m' "$KDT_HARNESS/config/modes")
	[ -n "$row" ] || die "no mode '$1' in harness/config/modes"
	# shellcheck disable=SC2086 # a row of words
	set -- $row
	KDT_MODE=$1
	KDT_OUT=$KDT_CACHE/build-$1
	KDT_PARTS=$4
	KDT_CONFIGS=
	local f
	[ "$5" = - ] || for f in ${5//,/ }; do KDT_CONFIGS+="$KDT_TOP/$f "; done
	KDT_CMDLINE=
	[ "$6" = - ] || KDT_CMDLINE=$(grep -v '^#' "$KDT_TOP/$6" | tr '\n' ' ')
	KDT_TIMEOUT=$7
	KDT_GUEST=$8
	KDT_OOT=$9
	kdt_arch "$2"
	kdt_cc "$3"
}

# kdt_arch ARCH: x86_64, or arm64 cross-compiled with Debian's
# gcc-aarch64-linux-gnu (deps.sh arm64). Sets ARCH, CROSS_COMPILE and
# KDT_IMAGE, the kernel image's path in a build.
kdt_arch() {
	case $1 in
	x86_64) export ARCH=x86_64 CROSS_COMPILE= ; KDT_IMAGE=arch/x86/boot/bzImage ;;
	arm64) export ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
	       KDT_IMAGE=arch/arm64/boot/Image ;;
	*) die "unknown architecture $1" ;;
	esac
}

# kdt_cc gcc|llvm: for llvm, sets llvm=LLVM=1 and, when the host's clang is
# older than the tree's scripts/min-tool-version.sh asks (7.3 wants
# 17.0.1, bookworm has 14), KDT_RUN to the trixie chroot's runner
# (steps/toolchain.sh makes it, with clang 19), which the make commands go
# through; for gcc, both are empty.
kdt_cc() {
	llvm= KDT_RUN=
	[ "$1" = llvm ] || return 0
	llvm=LLVM=1
	local want have
	want=$(cd "$KDT_SRC" && scripts/min-tool-version.sh llvm)
	have=$(clang -dumpversion 2>/dev/null || echo 0)
	[ "$(printf '%s\n' "$want" "$have" | sort -V | head -1)" != "$want" ] ||
		return 0
	"$KDT_HARNESS/steps/toolchain.sh" >&2
	KDT_RUN=$KDT_HARNESS/steps/in-trixie
}

# kdt_qemu TAPFILE WORD...: the guest of KDT_MODE (kdt_mode first) in the
# arrays qemu and tap: "${qemu[@]}" -serial CONSOLE "${tap[@]}" boots it
# with the WORDs (kdt.mode=..., see guest/init) on its kernel command line,
# its KTAP going to TAPFILE: x86_64's second UART, or on arm64 (virt has
# one UART) a virtio console. virt's SMMUv3 lets the edu device's 28-bit
# DMA reach RAM that starts at 1 GiB. Two of QEMU's edu PCI devices, for
# the qemu_edu driver and its tests. The guest ends with reboot -f, which
# -no-reboot turns into QEMU's exit.
kdt_qemu() {
	local file=$1 append

	shift
	if [ "$ARCH" = arm64 ]; then
		qemu=(qemu-system-aarch64 -M virt,gic-version=3,iommu=smmuv3
		      -cpu cortex-a57)
		tap=(-device virtio-serial-pci -chardev "file,id=tap,path=$file"
		     -device virtconsole,chardev=tap)
		append="console=ttyAMA0 kdt.tap=/dev/hvc0"
	else
		qemu=(qemu-system-x86_64 -accel tcg)
		tap=(-serial "file:$file")
		append=console=ttyS0
	fi
	append="$append panic=-1 $KDT_CMDLINE$*"
	qemu+=(-smp 2 -m 512 -no-reboot -display none -device edu -device edu
	       -kernel "$KDT_OUT/$KDT_IMAGE" -initrd "${KDT_INITRD:-$KDT_OUT/initramfs.cpio.gz}"
	       -append "$append")
}

# kdt_tristates FROM TO: the tristate symbols (the parts of the tour) that
# the Kconfig changes between FROM and TO add, in the applied tree:
# kdt_tristates kdt-base HEAD gives the whole series'.
kdt_tristates() {
	git -C "$KDT_SRC" diff "$1" "$2" -- '*Kconfig*' |
		awk '/^\+(menu)?config /{sym=$2} /^\+\ttristate/{print sym}'
}

# kdt_series_dirs: the folders of the C files and headers the applied
# series adds or changes, as make targets (samples/tour/ ...), for W=1 and
# sparse; the selftests under tools/ are built, with -Wall, by initramfs.sh.
kdt_series_dirs() {
	git -C "$KDT_SRC" diff --name-only kdt-base HEAD -- '*.c' '*.h' |
		grep -v '^tools/' | xargs -rn1 dirname | sort -u | sed 's|$|/|'
}

# kdt_quiet LOG: the compiler said nothing in LOG: no warning, no error.
kdt_quiet() { ! grep -q 'warning\|error' "$1"; }

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
