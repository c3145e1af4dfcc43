#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test-help.sh HOMEREACH: one command-line grammar. Every subcommand and
# each of its commands answers --help on stdout with exit 0; the options
# only the agent gives its DNS helper are not on the public command line;
# --timeout has one range everywhere. Nothing here touches a network.
set -u
bin=$1 fails=0
check() {	# check WHAT GOT WANT
	if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: got '$2', want '$3'"; fails=$((fails + 1)); fi
}
for words in "" diagnose check-config ddns "ddns update" "ddns status" map \
    "map add" "map del" "map list" agent status redirect-server \
    "redirect-server passwd"; do
	out=$("$bin" $words --help 2>/dev/null); rc=$?
	check "homereach $words --help: exit 0" "$rc" 0
	check "homereach $words --help: usage on stdout" \
		"$(echo "$out" | grep -c '^Usage: homereach')" 1
done
check "the main help names redirect-server passwd" \
	"$("$bin" --help | grep -c 'redirect-server \[passwd\]')" 1
for opt in "--public 5.0.1.2" --cgnat "--port web=80" --args-on-stdin; do
	"$bin" ddns update $opt --config /dev/null > /dev/null 2>&1
	check "ddns update $opt: not a public option" "$?" 2
done
for cmd in diagnose "map add 8080" "ddns update"; do
	err=$("$bin" $cmd --timeout 61 --config /dev/null 2>&1 >/dev/null)
	check "$cmd --timeout 61: refused" "$(echo "$err" | grep -c -- '--timeout "61": want seconds from 0.1 to 60')" 1
done
[ "$fails" = 0 ] && echo "all passed" || echo "$fails check(s) failed"
[ "$fails" = 0 ]
