#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Apply patches/ with git am onto the pristine base in cache/src, as a user
# would: whitespace errors and any fuzz make it fail.
set -eu
. "$(dirname "$0")/../lib/lib.sh"

if [ ! -e "$KDT_SRC/.git" ]; then
	kgit worktree prune
	kgit worktree add -q --detach "$KDT_SRC" kdt-base
fi
cd "$KDT_SRC"
git am --abort > /dev/null 2>&1 || true
git checkout -q -f --detach kdt-base
git clean -q -fdx
# Files the series does not touch keep their time stamps, so a cached
# build only rebuilds what the series changes.
mapfile -t patches < <(sed "s|^|$KDT_SERIES_DIR/patches/|" "$KDT_SERIES_DIR/series")
git -c user.name=kdt -c user.email=kdt@example.org \
	am -q --whitespace=error "${patches[@]}" < /dev/null
