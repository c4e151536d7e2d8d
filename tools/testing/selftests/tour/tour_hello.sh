#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Test samples/tour/tour_hello: its exact log lines, as a module (loaded and
# removed twice) or built in (at boot, and it cannot be removed).

. "$(dirname "$0")/tour_lib.sh"

# The module under test: tour_hello, or its Rust twin (rust_tour_hello.sh).
mod=${1:-tour_hello}

ktap_print_header
tour_require_root
case "$(tour_build_of $mod)" in
module)
	ktap_set_plan 8
	for round in 1 2; do
		tour_load $mod "$(printf '<6>%s\n' 'Hello sample (init)' \
			'Am I built-in? false')"
		tour_unload $mod "$(printf '<6>%s\n' \
			'My numbers are [72, 108, 200]' 'Hello sample (exit)')"
	done
	;;
builtin)
	ktap_set_plan 2
	tour_same "$mod logged its init lines at boot" \
		"$(printf '<6>%s\n' 'Hello sample (init)' 'Am I built-in? true')" \
		"$(tour_log_since "" $mod)"
	ktap_test_result "built-in $mod cannot be removed" tour_fails rmmod $mod
	;;
*)
	ktap_skip_all "$mod is not built (CONFIG_SAMPLE_$(echo $mod | tr a-z A-Z))"
	exit "$KSFT_SKIP"
	;;
esac
ktap_finished
