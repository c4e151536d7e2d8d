# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# A private apt tree in cache/apt for Debian's newer suites, beside the
# host's bookworm; sourced after lib.sh, never run. It reads nothing of the
# host's apt configuration but the mirror's URI, and writes nothing outside
# cache/apt: its own apt.conf (APT_CONFIG) points every Dir:: at cache/apt
# and keeps /etc/apt/apt.conf.d out (its hooks would refresh the host's
# caches), but for its network settings: proxies, and whether Release
# files may be out of date (Check-Valid-Until: this machine's mirror serves
# a sid whose Release has expired). KDT_APT_OPTS="-o A=B ..." adds options.

KDT_APT=$KDT_SHARED/apt
# The suites, in order of preference when two offer the same version.
KDT_SUITES=(trixie-backports trixie sid)
# bookworm's debian-archive-keyring (2023.3+deb12u2) carries the trixie
# keys: trixie's, trixie-backports' and sid's InRelease are signed by the
# bookworm and trixie automatic signing keys.
KDT_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# kdt_mirror: the URI of the Debian archive the host's apt uses (not its
# -security one), from debian.sources, else sources.list; KDT_MIRROR=URI
# overrides it.
kdt_mirror() {
	local f=/etc/apt/sources.list.d/debian.sources uri=
	if [ -n "${KDT_MIRROR:-}" ]; then
		echo "$KDT_MIRROR"
		return
	fi
	# deb822: one stanza a paragraph; the first deb stanza whose suites
	# are not -security.
	[ ! -f "$f" ] || uri=$(awk -v RS= '
		/(^|\n)Types:[^\n]*deb([ \n]|$)/ &&
		!/(^|\n)Suites:[^\n]*-security/ {
			if (match($0, /(^|\n)URIs:[ \t]*[^ \t\n]+/)) {
				s = substr($0, RSTART, RLENGTH)
				sub(/^\n?URIs:[ \t]*/, "", s)
				print s
				exit
			}
		}' "$f")
	[ -n "$uri" ] || [ ! -f /etc/apt/sources.list ] || uri=$(awk '
		$1 == "deb" {
			i = 2
			if ($i ~ /^\[/)
				while ($i !~ /\]$/) i++
			if ($i ~ /^\[/ || $i ~ /\]$/) i++
			if ($(i + 1) !~ /-security/) { print $i; exit }
		}' /etc/apt/sources.list)
	[ -n "$uri" ] || die "no Debian mirror in /etc/apt (set KDT_MIRROR=URI)"
	echo "${uri%/}"
}

# kdt_apt_host_conf: the host apt's network settings, as apt.conf lines.
kdt_apt_host_conf() {
	apt-config dump | grep -E '^Acquire::((ftp|https?)::Proxy|Check-Valid-Until|Check-Date|Retries|https?::Timeout)' ||
		true
}

# kdt_apt_setup: write cache/apt's apt.conf and sources.list.
kdt_apt_setup() {
	local mirror suite
	mirror=$(kdt_mirror)
	mkdir -p "$KDT_APT"/{empty,lists/partial,archives/partial,cache,log}
	touch "$KDT_APT/status"
	cat > "$KDT_APT/apt.conf.new" <<EOF
// Written by harness/debian.sh: apt on cache/apt alone.
Dir::Etc::main "/dev/null";
Dir::Etc::parts "$KDT_APT/empty";
Dir::Etc::sourcelist "$KDT_APT/sources.list";
Dir::Etc::sourceparts "$KDT_APT/empty";
Dir::Etc::preferences "$KDT_APT/preferences";
Dir::Etc::preferencesparts "$KDT_APT/empty";
Dir::Etc::trusted "$KDT_APT/trusted.gpg";
Dir::Etc::trustedparts "$KDT_APT/empty";
Dir::State "$KDT_APT";
Dir::State::lists "$KDT_APT/lists";
Dir::State::status "$KDT_APT/status";
Dir::Cache "$KDT_APT/cache";
Dir::Cache::archives "$KDT_APT/archives";
Dir::Log "$KDT_APT/log";
Acquire::Languages "none";
Acquire::GzipIndexes "true";
EOF
	kdt_apt_host_conf >> "$KDT_APT/apt.conf.new"
	mv "$KDT_APT/apt.conf.new" "$KDT_APT/apt.conf"
	# deb-src too, for apt-get source (sparse.sh).
	for suite in "${KDT_SUITES[@]}"; do
		echo "deb [signed-by=$KDT_KEYRING] $mirror $suite main"
		echo "deb-src [signed-by=$KDT_KEYRING] $mirror $suite main"
	done > "$KDT_APT/sources.list"
}

# kdt_apt apt-get|apt-cache ARGS: run it on cache/apt.
kdt_apt() {
	local tool=$1
	shift
	# shellcheck disable=SC2086 # KDT_APT_OPTS is a list of options
	APT_CONFIG=$KDT_APT/apt.conf "$tool" ${KDT_APT_OPTS:-} "$@"
}

# kdt_apt_update: refresh cache/apt's lists (apt fetches only what changed).
kdt_apt_update() {
	kdt_apt_setup
	say "apt-get update ($(kdt_mirror): ${KDT_SUITES[*]})"
	kdt_apt apt-get -q update >&2
}

# kdt_apt_versions PKG...: "SUITE PKG VERSION" for every version of each
# binary package PKG in cache/apt's lists, in KDT_SUITES' order (madison
# also names the source packages that build PKG: they are left out).
kdt_apt_versions() {
	local suite
	kdt_apt apt-cache madison "$@" 2>/dev/null |
		awk -F ' *[|] *' '$3 ~ / Packages$/ {
			split($3, a, " ")
			sub(/\/.*/, "", a[2])
			print a[2], $1, $2
		}' |
		sort -u |
		while read -r suite pkg ver; do
			for i in "${!KDT_SUITES[@]}"; do
				[ "${KDT_SUITES[$i]}" != "$suite" ] ||
					echo "$i $suite $pkg $ver"
			done
		done |
		sort -k1,1n -k3,3V -k4,4V | cut -d' ' -f2-
}

# kdt_apt_newest PKG: "SUITE VERSION" of PKG's newest version in cache/apt's
# lists; of equal versions, that of the suite first in KDT_SUITES.
kdt_apt_newest() {
	local suite pkg ver best='' bsuite=''
	while read -r suite pkg ver; do
		if [ -z "$best" ] || dpkg --compare-versions "$ver" gt "$best"; then
			best=$ver
			bsuite=$suite
		fi
	done < <(kdt_apt_versions "$1")
	[ -n "$best" ] || return 1
	echo "$bsuite $best"
}
