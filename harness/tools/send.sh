#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make send [DIR=...]: the series as b4 would send it, written to DIR
# (default cache/send) and sent nowhere. In a throwaway clone of the
# pristine tree: a b4 prep branch on kdt-base, patches/ applied with git am,
# the cover letter of patches/0000-cover-letter.patch, To/Cc from
# get_maintainer.pl (b4 prep --auto-to-cc), then b4 send -o DIR. Each patch
# mail must pass checkpatch --strict (less the types its harness/commits/
# file names, as in checks/checkpatch.sh), and every message must have
# To/Cc naming the maintainers of MAINTAINERS.snippet. It goes out as
# whoever runs it, as make series signs off: git config's user.name and
# user.email here are the From: of every message, and git am -s signs off
# each patch (no second line when patches/ already end with that
# sign-off).
#
# Fully offline: b4 --offline-mode, a local clone, no SMTP (-o only writes
# files). b4 and git read only the clone's own config: HOME is a temporary
# one, so no global or system git config, ~/.signature or b4 cache is used
# or touched.
set -eu
. "$(dirname "$0")/../lib/lib.sh"

dir=${1:-$KDT_CACHE/send}
series=$KDT_SERIES_DIR/series
cover=$KDT_SERIES_DIR/patches/0000-cover-letter.patch

command -v b4 > /dev/null || die "b4 is missing: run make deps"
kgit rev-parse -q --verify 'kdt-base^{commit}' > /dev/null ||
	die "no tag kdt-base in $KDT_TREE: run make tree"
[ -f "$cover" ] || die "$cover is missing: run make series"
mapfile -t patches < <(grep . "$series")
n=${#patches[@]}
[ "$n" -gt 0 ] || die "$series lists no patch"
# The maintainers the series adds: each must be in every message's To/Cc.
mapfile -t maints < <(sed -n 's/^M:[[:space:]]*//p' "$KDT_TOP/MAINTAINERS.snippet")
[ ${#maints[@]} -gt 0 ] || die "MAINTAINERS.snippet names no maintainer (M:)"
# Who sends it, as git config sees it in this repository.
name=$(git -C "$KDT_TOP" config user.name || true)
mail=$(git -C "$KDT_TOP" config user.email || true)
[ -n "$name" ] && [ -n "$mail" ] ||
	die "set git config user.name and user.email: the series is signed off as you"

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kdt-send.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
wt=$tmp/linux
mkdir -p "$tmp/home"

# t CMD...: CMD in the clone, seeing only the clone's git config.
t() {
	(cd "$wt" && env -u GIT_DIR -u GIT_WORK_TREE -u GIT_INDEX_FILE \
		-u GIT_CONFIG_GLOBAL -u GIT_CONFIG_PARAMETERS -u GIT_CONFIG_COUNT \
		-u XDG_CONFIG_HOME -u XDG_CACHE_HOME -u XDG_DATA_HOME \
		HOME="$tmp/home" GIT_CONFIG_NOSYSTEM=1 "$@")
}
# b4's own messages go to stderr, git-filter-repo's to stdout: all to stderr.
b4() { t b4 --offline-mode --no-stdin "$@" < /dev/null >&2; }

say "cloning $KDT_TREE (shared objects) into $wt"
git clone -q --shared --no-checkout "$KDT_TREE" "$wt"
t git config user.name "$name"
t git config user.email "$mail"
t git config gc.auto 0
# b4 prep --edit-cover runs core.editor on a file holding the cover letter:
# this "editor" writes ours.
t git config core.editor "cp $(printf '%q' "$tmp/cover-edit.txt")"
# The cover letter in an empty commit before the patches (b4's default,
# and the one whose base-commit: line is kdt-base).
t git config b4.prep-cover-strategy commit
# With no smtpserver b4 would pick kernel.org's web endpoint (and require a
# patatt key); -o never sends, and this server could not.
t git config sendemail.smtpserver /bin/false
t git checkout -q -b kdt-base-tree kdt-base

# The cover letter text: the subject of patches/0000-cover-letter.patch
# without its [PATCH 00/N], a blank line, and its body up to the shortlog
# (b4 adds the shortlog, diffstat and base-commit itself).
"$KDT_PY" "$KDT_HARNESS/tools/mails.py" cover-text "$cover" "$n" > "$tmp/cover.txt"

# b4 takes any "word: text" line of the cover's last paragraph for a
# trailer (and moves it below the others): a comment paragraph, which b4
# send strips, keeps the To/Cc trailers that --auto-to-cc adds out of the
# text. The check below compares the sent cover letter with the text.
{
	cat "$tmp/cover.txt"
	printf '\n# b4 prep --auto-to-cc adds the To and Cc trailers after this line\n'
} > "$tmp/cover-edit.txt"

say "b4 prep: branch, cover letter, $n patches"
b4 prep -n kdt-driver-tour -f kdt-base
b4 prep --edit-cover
t git am -q -s --whitespace=error "${patches[@]/#/$KDT_SERIES_DIR/patches/}"
applied=$(t git rev-list --count kdt-base..HEAD)
[ "$applied" = $((n + 1)) ] ||
	die "$applied commits on kdt-base, expected the cover and $n patches"

say "b4 prep --auto-to-cc (scripts/get_maintainer.pl)"
b4 prep --auto-to-cc

say "b4 send -o $dir"
rm -f "$dir"/*.eml
b4 send -o "$dir" --no-sign

# Every message: one cover (0/N) and each patch (i/N), From: the sender,
# To and Cc with the maintainers in them; each patch signed off by the
# sender last; the cover letter with the text of patches/. Writes
# "i<TAB>file<TAB>title" for each message.
fail=0
KDT_NAME=$name KDT_MAIL=$mail "$KDT_PY" "$KDT_HARNESS/tools/mails.py" check \
	"$dir" "$n" "$tmp/index" "$tmp/cover-dests" "$tmp/cover.txt" \
	"${maints[@]}" || fail=1

# checkpatch --strict on each patch mail, with the rule of checks/checkpatch.sh:
# a commit may name checkpatch types to ignore ("Checkpatch-ignore:
# TYPE,..." in the harness/commits/ file of its subject, the reason in its
# message), and "does MAINTAINERS need updating?" is ignored when
# MAINTAINERS.snippet covers every file the patch adds (series.py
# checkpatch-ignore). The cover letter has no diff to check.
say "checkpatch --strict on each patch mail"
logs=$KDT_RESULTS/logs/send
mkdir -p "$logs"
while IFS=$'\t' read -r i f title; do
	[ "$i" != 0 ] || continue
	ignore=$("$KDT_PY" "$KDT_HARNESS/steps/series.py" checkpatch-ignore \
		"$dir/$f") || { fail=1; continue; }
	out=$(t scripts/checkpatch.pl --strict ${ignore:+--ignore "$ignore"} \
		"$dir/$f" 2>&1 || true)
	echo "$out" > "$logs/checkpatch-${f%.eml}.log"
	if echo "$out" | grep -q '^total: 0 errors, 0 warnings, 0 checks' &&
	   ! echo "$out" | grep -q 'Traceback\|ERROR:\|WARNING:\|CHECK:'; then
		echo "ok: checkpatch --strict${ignore:+ --ignore $ignore}: $f"
	else
		echo "not ok: checkpatch --strict${ignore:+ --ignore $ignore}: $f"
		echo "$out" | sed -n '1,20p' | sed 's/^/# /'
		fail=1
	fi
done < "$tmp/index"
[ "$fail" = 0 ] || die "$dir is not ready to send (checkpatch logs in $logs)"

count=$(ls "$dir"/*.eml | wc -l)
echo "$count messages in $dir (a cover letter and $n patches)"
echo "the cover letter's recipients:"
sed 's/^/  /' "$tmp/cover-dests"
