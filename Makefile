# SPDX-License-Identifier: GPL-2.0-only
# kdt, the kernel driver tour: a patch series and the harness that tests it.
# See README. Everything is built under cache/ (KDT_CACHE=... to move it).

SHELL := /bin/bash
H := harness

.PHONY: run check check-debug check-all check-llvm check-arm64 check-configs check-gdb gdb \
	compile-commands bench series send deps tree apply build shell clean help

help:
	@echo "make run     apply, build, boot in QEMU and show every sample"
	@echo "make check   every test: series, checkpatch, builds, guests"
	@echo "make check-debug  the selftests, stress, fuzz and load cycles on"
	@echo "             a KASAN, lockdep and kmemleak kernel"
	@echo "make check-all  make check on mainline, the debug run, then make check"
	@echo "             on 6.12, counted together (what CI runs)"
	@echo "make check-llvm  the series with clang (LLVM=1): build, boot, clangd"
	@echo "make check-arm64  the series on arm64 (cross gcc, QEMU virt): build,"
	@echo "             boot, tests"
	@echo "make check-configs  each part on a minimal kernel (depends on)"
	@echo "make check-gdb  gdb in batch mode hits a breakpoint in a sample"
	@echo "make gdb     boot a kernel with debug info, QEMU's gdb stub waiting"
	@echo "make compile-commands  compile_commands.json for clangd"
	@echo "make bench   time the samples against /dev/urandom, /dev/null, tmpfs"
	@echo "make series  regenerate patches/ and series (mainline) and 6.12/'s"
	@echo "             from the sources"
	@echo "make send    write the series as b4 would send it to DIR (default"
	@echo "             cache/send) and check it; offline, nothing is sent"
	@echo "make shell   boot the last build and open the guest's shell"
	@echo "make clean   remove cache/"

run:
	$(H)/run.sh

check:
	$(H)/check.sh

check-debug:
	$(H)/check-debug.sh

check-all:
	KDT_ALL=1 $(H)/check.sh

# The parts of check-all on their own, on the tree `make apply` prepares;
# each ends with its counts.
SUM = . $(H)/lib.sh && $$KDT_PY $(H)/tap.py sum

check-llvm: apply
	$(H)/check-variant.sh llvm
	$(SUM) $$KDT_RESULTS/llvm*.tap $$KDT_RESULTS/oot-llvm.tap \
		$$KDT_RESULTS/boot-llvm.tap

check-arm64: apply
	$(H)/deps.sh arm64
	$(H)/check-variant.sh arm64
	$(SUM) $$KDT_RESULTS/arm64*.tap $$KDT_RESULTS/oot-arm64.tap \
		$$KDT_RESULTS/boot-arm64.tap

check-configs: apply
	$(H)/configs.sh
	$(SUM) $$KDT_RESULTS/configs.tap

check-gdb: apply
	$(H)/gdb.sh --check
	$(SUM) $$KDT_RESULTS/gdb.tap

gdb:
	$(H)/gdb.sh

compile-commands: build
	$(H)/compile-commands.sh

bench:
	$(H)/bench.sh

# Mainline's series in patches/ and series, each other tree's in X.Y/.
TREES := $(shell . $(H)/lib.sh && echo $$KDT_TREES)
series:
	$(H)/deps.sh
	set -e; for v in $(TREES); do \
		export KDT_KVER=$$v; $(H)/prepare-tree.sh; \
		(. $(H)/lib.sh && $$KDT_PY $(H)/series.py write \
			$$KDT_TREE $$KDT_GEN $$KDT_SERIES_DIR); \
	done

send: tree
	$(H)/send.sh $(DIR)

deps:
	$(H)/deps.sh

tree: deps
	$(H)/prepare-tree.sh

apply: tree
	$(H)/apply.sh

build: apply
	$(H)/build.sh y
	$(H)/build.sh m

shell:
	$(H)/initramfs.sh m
	$(H)/boot.sh m shell

clean:
	rm -rf cache
