# SPDX-License-Identifier: GPL-2.0-only
# kdt, the kernel driver tour: a patch series and the harness that tests it.
#
# This Makefile is the harness's only sequencer. Each step makes a file
# under cache/ (KDT_CACHE=... moves it) from the files it needs, and each
# check writes one TAP file, so `make -n check` prints the whole plan and
# checks that do not need each other may run under make -j. The scripts in
# harness/steps and harness/checks each do one thing and call no other
# step; harness/config says what the trees, the modes and the parts are.
# See README.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.SUFFIXES:
# A step that fails leaves no half-made file that would look up to date;
# a check exits 0 once its TAP file is whole, whatever its results.
.DELETE_ON_ERROR:
# Made along pattern rules' chains, the steps' files stay when make ends.
.SECONDARY:
.SECONDEXPANSION:
H := harness

C := $(abspath $(or $(KDT_CACHE),cache))
export KDT_CACHE := $(C)
# The trees, mainline first (config/trees); a check-X.Y for each other one.
TREES := $(shell sed -n 's/^\([0-9][0-9.]*\)$$/\1/p' $(H)/config/trees)
MAINLINE := $(firstword $(TREES))
OTHERS := $(wordlist 2,$(words $(TREES)),$(TREES))
# Columns of the table of modes (config/modes): the modes whose parts are
# also built out of tree, and the arm64 ones.
mode_col = $(shell awk '$$1 ~ /^[a-z]/ && $$$1 == "$2" {print $$1}' $(H)/config/modes)
OOT_MODES := $(call mode_col,9,oot)
ARM64_MODES := $(call mode_col,2,arm64)

# --- Paths and helpers -------------------------------------------------
# In a pattern rule, the tree and the mode of its stem: X.Y/build-MODE, or
# X.Y/results/MODE.
tree = $(firstword $(subst /, ,$*))
mode = $(patsubst build-%,%,$(lastword $(subst /, ,$*)))
# $(call tap,X.Y,NAME): a check's TAP of a tree; $(call mtap,X.Y,MODE,NAME):
# of a mode's build.
tap = $(C)/$1/results/$2.tap
mtap = $(C)/$1/results/$2/$3.tap
# The checks of a mode's guest: its boot, and the out-of-tree modules it
# loads.
guest = $(call mtap,$1,$2,boot) $(if $(filter $2,$(OOT_MODES)),$(call mtap,$1,$2,oot))
# A tree's series: patches/ and series for mainline, X.Y/ for the others.
series_dir = $(CURDIR)$(if $(filter $(MAINLINE),$1),,/$1)
series_files = $(call series_dir,$1)/series \
	$(addprefix $(call series_dir,$1)/patches/,$(shell cat $(call series_dir,$1)/series))
# What a guest carries, and what a config is made of.
GUEST := $(shell find $(H)/guest -type f) $(wildcard $(H)/tools/*.c) $(H)/config/parts
CONFIGS := Kconfig.fragment Kconfig.debug.fragment $(wildcard $(H)/config/*)

# Recipe prefixes for tree $(tree): STEP runs a step with its output in
# cache/X.Y/logs/NAME.log, shown when it fails (lib/step); READ holds the
# applied tree, cache/X.Y/src, against checks/patches.sh, which checks out
# each patch there while it runs (WRITE).
ENV = KDT_KVER=$(tree)
STEP = $(H)/lib/step $(C)/$(tree)/logs/$1.log
READ = flock -s $(C)/$(tree)/src.lock
WRITE = flock $(C)/$(tree)/src.lock
# The check commands run their plans under make -j (PLAN_JOBS): ONE_BUILD
# lets one kernel build (or per-patch builds, or a check that compiles much)
# run at a time, ONE_GUEST one guest. A guest's tests time themselves, and
# it sleeps much of the time: the build is niced, so that it gets the CPU
# the guest leaves, and the guest what it asks for first.
# Their waiters go in the order of KDT_QUEUE_ORDER (lib/queue), by mode:
# the longest guests' builds first, and those guests, so that the last
# guest ends soonest; but first an out-of-tree build (QKEY oot), short,
# which its guest's initramfs waits for. A waiter holds one of make's job
# slots: there are enough that the steps that take no lock (configs,
# initramfs) still run.
export KDT_QUEUE_ORDER := oot debug kcsan rust-debug rust y m
ONE_BUILD = $(H)/lib/queue $(C)/build.lock $(or $(QKEY),$(mode)) nice -n 10
ONE_GUEST = $(H)/lib/queue $(C)/guest.lock $(mode)
PLAN_JOBS ?= 16
SUM = /usr/bin/python3 $(H)/lib/tap.py sum

# --- Steps ---------------------------------------------------------------
.PHONY: FORCE deps deps-arm64
FORCE:

# The host's Debian packages (steps/deps.sh installs those missing).
deps:
	$(H)/steps/deps.sh
deps-arm64:
	$(H)/steps/deps.sh arm64

# The pristine tree, cache/X.Y/linux with tag kdt-base: Debian's
# linux-source-X.Y. Always asked, since Debian may have uploaded a new one;
# the stamp only changes when it did.
$(C)/%/linux.stamp: FORCE | deps
	$(ENV) $(call STEP,prepare-tree) $(H)/steps/prepare-tree.sh

# The series applied with git am in cache/X.Y/src.
$(C)/%/applied: $(C)/%/linux.stamp $$(call series_files,$$*) $(H)/steps/apply.sh
	$(ENV) $(WRITE) $(call STEP,apply) $(H)/steps/apply.sh
	touch $@

# A configured build, cache/X.Y/build-MODE (the mode's row of config/modes).
$(C)/%/kdt-full.config: $(C)/$$(tree)/applied $(CONFIGS) $(H)/steps/configure.sh \
		| $$(if $$(filter $$(mode),$(ARM64_MODES)),deps-arm64)
	$(ENV) $(READ) $(call STEP,configure-$(mode)) $(H)/steps/configure.sh $(mode)

# The built kernel and modules.
$(C)/%/built: $(C)/%/kdt-full.config $(H)/steps/build.sh
	$(ENV) $(ONE_BUILD) $(READ) $(call STEP,build-$(mode)) $(H)/steps/build.sh $(mode)
	touch $@

# The guest's initramfs: the installed modules and selftests, harness/guest,
# and the out-of-tree modules when the mode has them.
$(C)/%/initramfs.cpio.gz: $(C)/%/built $(GUEST) $(H)/steps/initramfs.sh \
		$$(if $$(filter $$(mode),$(OOT_MODES)),$$(call mtap,$$(tree),$$(mode),oot))
	$(ENV) $(READ) $(call STEP,initramfs-$(mode)) $(H)/steps/initramfs.sh $(mode)

# The bench's initramfs: the same with harness/bench's programs.
$(C)/%/initramfs-bench.cpio.gz: $(C)/%/built $(GUEST) $(wildcard $(H)/bench/*) \
		$(H)/steps/initramfs.sh
	$(ENV) $(READ) $(call STEP,initramfs-bench) $(H)/steps/initramfs.sh $(mode) bench

# gdb's start: the kernel's gdb scripts and build-gdb/kdt.gdb.
$(C)/%/kdt.gdb: $(C)/%/built $(H)/steps/gdb-scripts.sh
	$(ENV) $(READ) $(call STEP,gdb-scripts) $(H)/steps/gdb-scripts.sh

# --- Checks: one TAP file each, made again on every run -------------------
# The harness's own counter of results.
$(C)/%/results/harness.tap: FORCE
	mkdir -p $(@D)
	/usr/bin/python3 $(H)/lib/test_tap.py > $@ || true

# The series is what the sources say (a regeneration gives it again).
$(C)/%/results/series.tap: $(C)/%/linux.stamp FORCE
	$(ENV) $(H)/checks/series.sh

# get_maintainer.pl names the series' maintainers for every patch.
$(C)/%/results/maintainers.tap: $(C)/%/applied FORCE
	$(ENV) $(READ) $(H)/checks/maintainers.sh

# checkpatch --strict on each patch, in the pristine tree. It takes no lock,
# so it runs while the first builds wait for their trees; niced, so that
# it does not hold back the steps (apply, configure) those builds wait for.
$(C)/%/results/checkpatch.tap: $(C)/%/linux.stamp $$(call series_files,$$*) FORCE
	$(ENV) nice -n 10 $(H)/checks/checkpatch.sh

# Each patch on its own builds with W=1 and sparse, in copies of build-y
# and build-m; the Rust patches' builds, with clippy, in a copy of
# build-rust, for make check-rust.
$(C)/%/results/patches.tap: $(C)/%/build-y/built $(C)/%/build-m/built FORCE
	$(ENV) $(ONE_BUILD) $(WRITE) $(H)/checks/patches.sh
$(C)/%/results/rust/patches.tap: QKEY = rust
$(C)/%/results/rust/patches.tap: $(C)/%/build-rust/built FORCE
	$(ENV) $(ONE_BUILD) $(WRITE) $(H)/checks/patches.sh rust

# The series' documentation builds with no warning of its own.
$(C)/%/results/docs.tap: $(C)/%/applied FORCE
	$(ENV) $(READ) $(H)/checks/docs.sh

# Each part of the series on a minimal kernel (its `depends on`).
$(C)/%/results/configs.tap: $(C)/%/applied FORCE
	$(ENV) $(ONE_BUILD) $(READ) $(H)/checks/configs.sh

# kunit.py runs each folder's .kunitconfig.
$(C)/%/results/kunit.tap: $(C)/%/applied FORCE
	$(ENV) $(ONE_BUILD) $(READ) $(H)/checks/kunit.sh

# gdb in batch mode hits a breakpoint in a sample.
$(C)/%/results/gdb.tap: $(C)/%/build-gdb/initramfs.cpio.gz $(C)/%/build-gdb/kdt.gdb FORCE
	$(ENV) $(ONE_GUEST) $(H)/checks/gdb.sh

# The parts built out of tree against a mode's kernel.
$(C)/%/oot.tap: QKEY = oot
$(C)/%/oot.tap: $(C)/$$(tree)/build-$$(mode)/built FORCE
	$(ENV) $(ONE_BUILD) $(READ) $(H)/checks/oot.sh $(mode)

# A mode's guest: the selftests and KUnit suites (or the debug run).
$(C)/%/boot.tap: $(C)/$$(tree)/build-$$(mode)/initramfs.cpio.gz FORCE
	$(ENV) $(ONE_GUEST) $(H)/checks/boot.sh $(mode)

# The series' folders with W=1 on another compiler or architecture.
$(C)/%/w1.tap: $(C)/$$(tree)/build-$$(mode)/built FORCE
	$(ENV) $(ONE_BUILD) $(READ) $(H)/checks/w1.sh $(mode)

# The series' Rust: rustfmt, clippy and rustdoc (build-rust).
$(C)/%/rust.tap: $(C)/$$(tree)/build-$$(mode)/built FORCE
	$(ENV) $(ONE_BUILD) $(READ) $(H)/checks/rust.sh $(mode)

# clangd parses every file of the series with build-llvm's commands.
$(C)/%/clangd.tap: $(C)/$$(tree)/build-$$(mode)/built FORCE
	$(ENV) $(ONE_BUILD) $(READ) $(H)/checks/clangd.sh

# --- Plans: what each check command runs, as TAP files ---------------------
ML := $(MAINLINE)
# The tree of the commands for one tree (KDT_KVER=X.Y; default mainline).
T := $(or $(KDT_KVER),$(MAINLINE))
# make check: mainline's series, each patch, the docs, both guests.
PLAN_check := $(foreach c,harness series checkpatch maintainers patches docs,$(call tap,$(ML),$c)) \
	$(call guest,$(ML),y) $(call guest,$(ML),m)
# make check-X.Y: another tree's series, its checkpatch, and its guest (of
# the parts as modules).
$(foreach t,$(OTHERS),$(eval PLAN_check-$t := $(call tap,$t,series) $(call tap,$t,checkpatch) \
	$(call guest,$t,m)))
# make check-all (CI): check, the debug guest in place of the modules' one
# (it runs the same selftests), the KCSAN guest, and each other tree's check.
PLAN_check-all := $(filter-out $(call mtap,$(ML),m,boot),$(PLAN_check)) \
	$(call guest,$(ML),debug) $(call guest,$(ML),kcsan) \
	$(foreach t,$(OTHERS),$(PLAN_check-$t))
# The checks of one tree (KDT_KVER): check-all runs the debug and KCSAN
# ones on mainline; the others are not in it, for CI's time.
PLAN_check-debug := $(call guest,$T,debug)
PLAN_check-llvm := $(call mtap,$T,llvm,w1) $(call mtap,$T,llvm,clangd) \
	$(call guest,$T,llvm)
PLAN_check-arm64 := $(call mtap,$T,arm64,w1) $(call guest,$T,arm64)
PLAN_check-configs := $(call tap,$T,configs)
PLAN_check-gdb := $(call tap,$T,gdb)
PLAN_check-kunit := $(call tap,$T,kunit)
PLAN_check-kcsan := $(call guest,$T,kcsan)
# check-rust boots only the debug kernel, whose guest runs the rust guest's
# tests and more; build-rust serves the per-patch builds, rust.tap and the
# bench.
PLAN_check-rust := $(call tap,$T,rust/patches) $(call mtap,$T,rust,rust) \
	$(call guest,$T,rust-debug)
CHECKS := check check-all check-debug check-llvm check-arm64 check-configs \
	check-gdb check-kunit check-kcsan check-rust $(OTHERS:%=check-%)

# A check command makes its plan's TAP files, going on past a failure
# (make -k), PLAN_JOBS at a time (ONE_BUILD and ONE_GUEST keep that to one
# build and one guest), then counts them all: a file this run did not make
# (a step it needs failed) counts as a failure; before the count, the
# timeline of the builds and guests (lib/queue). KDT_CYCLES: the debug
# run's load cycles per module (guest/debug/cycles: 100; check-all: 20, for
# CI's time).
check-all: export KDT_CYCLES ?= 20
# The disk a check fills in an empty cache/, in GB, with a margin: it fails
# at once, saying so, where the disk has less (steps/space.sh).
SPACE_check-all := 16
SPACE_check := 9
$(CHECKS):
	@mkdir -p $(C) && touch $(C)/run.stamp
	@$(if $(SPACE_$@),$(H)/steps/space.sh $(SPACE_$@) "make $@")
	-$(MAKE) -k -j$(PLAN_JOBS) $(PLAN_$@)
	@echo "# make $@ took $$(($$(date +%s) - $$(stat -c %Y $(C)/run.stamp))) s"
	-@$(H)/lib/queue --timeline $(C)/run.stamp $(C)/build.lock $(C)/guest.lock
	$(SUM) --since $(C)/run.stamp $(PLAN_$@)

# --- Commands for a person --------------------------------------------------
.PHONY: help run shell gdb bench compile-commands series parts send deps \
	tree apply build clean $(CHECKS)

help:
	@echo "make run     apply, build, boot in QEMU and show every sample"
	@echo "make check   every test on mainline: series, each patch, docs, guests"
	@echo "make check-all  check, the debug and KCSAN runs and every other"
	@echo "             tree (CI)"
	@echo "make check-debug  the selftests, stress, fuzz and load cycles on"
	@echo "             a KASAN, lockdep and kmemleak kernel"
	@echo "make $(OTHERS:%=check-%)  the series of that tree, built and booted"
	@echo "make check-kcsan  the selftests and stress on a KCSAN kernel"
	@echo "make check-rust  mainline with CONFIG_RUST: the Rust twins'"
	@echo "             selftests, the kernel crate's doctests; each Rust patch"
	@echo "             built through clippy; rustfmt, rustdoc"
	@echo "make check-llvm  built with clang (LLVM=1), booted; clangd"
	@echo "make check-arm64  cross-built for arm64, booted on QEMU's virt"
	@echo "make check-configs  each part on a minimal kernel (depends on)"
	@echo "make check-gdb  gdb in batch mode hits a breakpoint in a sample"
	@echo "make check-kunit  kunit.py run with each folder's .kunitconfig"
	@echo "make gdb     boot a kernel with debug info, QEMU's gdb stub waiting"
	@echo "make compile-commands  compile_commands.json for clangd"
	@echo "make bench   time the samples against their baselines"
	@echo "             (BENCH_MODE=rust: the Rust twins against the C ones too)"
	@echo "make series  regenerate each tree's series from the sources"
	@echo "make parts   regenerate the lists made from harness/config/parts"
	@echo "make send    write the series as b4 would send it to DIR (default"
	@echo "             cache/send) and check it; offline, nothing is sent"
	@echo "make shell   boot the modules' kernel into the guest's shell"
	@echo "make -n TARGET  the plan of TARGET; make clean  remove cache/"

B := $(C)/$T/build-m
run: $(B)/initramfs.cpio.gz
	if [ -t 0 ] && [ -t 1 ] && [ -z "$${CI:-}" ]; then \
		$(H)/steps/qemu.sh m shell; else $(H)/steps/qemu.sh m demo; fi
shell: $(B)/initramfs.cpio.gz
	$(H)/steps/qemu.sh m shell
gdb: $(C)/$T/build-gdb/initramfs.cpio.gz $(C)/$T/build-gdb/kdt.gdb
	$(H)/tools/gdb.sh
# BENCH_MODE=rust times the Rust twins against their C samples as well.
BENCH_MODE ?= m
bench: $(C)/$T/build-$(BENCH_MODE)/initramfs-bench.cpio.gz
	$(H)/bench/bench.sh $(BENCH_MODE)
compile-commands: $(B)/built
	$(H)/tools/compile-commands.sh m
tree: $(C)/$T/linux.stamp
apply: $(C)/$T/applied
build: $(C)/$T/build-y/built $(B)/built
send: $(C)/$(ML)/linux.stamp
	$(H)/tools/send.sh $(DIR)
parts:
	$(H)/steps/parts.sh
series: parts $(foreach t,$(TREES),$(C)/$t/linux.stamp)
	for t in $(TREES); do (export KDT_KVER=$$t && . $(H)/lib/lib.sh && \
		$$KDT_PY $(H)/steps/series.py write $$KDT_TREE $$KDT_GEN $$KDT_SERIES_DIR); done
clean:
	rm -rf cache
