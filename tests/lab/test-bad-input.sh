#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test-bad-input.sh HOMEREACH FAKESTUN: outside observers that misbehave
# (garbage, wrong transaction ID, private address, oversize datagram,
# spoofed source, HTML, megabytes, HTTP 500) are each rejected with a
# one-line reason, and the verdict still comes from the honest ones; a
# lying but well-formed one does not outvote two witnesses. The
# host is public: behind a NAT, the router itself would drop the spoofed
# reply, and it is homereach's own check that is under test here.
set -u
bin=$(realpath "$1") fake=$(realpath "$2")
here=$(dirname "$(realpath "$0")")
. "$here/lab.sh"
. "$here/assert.sh"
lab_setup public

modes=(garbage wrongtxid private big spoof)
for i in "${!modes[@]}"; do
	port=$((3490 + i))
	if [ "${modes[$i]}" = spoof ]; then
		lab_bg inet "fake-${modes[$i]}" "$fake" spoof "$LAB_STUN2" "$port" "$LAB_STUN1"
	else
		lab_bg inet "fake-${modes[$i]}" "$fake" "${modes[$i]}" "$LAB_STUN2" "$port"
	fi
	lab_wait_udp inet "$port"
done

args=(--json --timeout 1.5 --stun "$LAB_STUN1")
for i in "${!modes[@]}"; do args+=(--stun "$LAB_STUN2:$((3490 + i))"); done
for p in html private big status500; do args+=(--http-echo "http://$LAB_STUN1/$p"); done
json=$LAB_DIR/bad.json
lab_run host "$bin" diagnose "${args[@]}" > "$json" 2> "$LAB_DIR/bad.err"
status=$?
cat "$LAB_DIR/bad.err" >&2

err() { echo "[.observations[] | select(.server == \"$1\") | .error | test(\"$2\")] | all"; }
check "verdict from the honest server" .verdict public "$json"
check_eq "exit status" "$status" 0
check "garbage" "$(err "$LAB_STUN2:3490" "no valid answer .*(magic cookie|first two bits)")" true "$json"
check "wrong transaction ID" "$(err "$LAB_STUN2:3491" "unknown transaction ID")" true "$json"
check "private mapped address" "$(err "$LAB_STUN2:3492" "reported 10.0.0.1, a private address \\\\(RFC 1918\\\\)")" true "$json"
check "oversize datagram" "$(err "$LAB_STUN2:3493" "datagram of 4000 bytes")" true "$json"
check "spoofed source" "$(err "$LAB_STUN2:3494" "address that was not asked")" true "$json"
check "HTML echo" "$(err "http://$LAB_STUN1/html" "not an address")" true "$json"
check "private echo" "$(err "http://$LAB_STUN1/private" "reported 192.168.1.7, a private")" true "$json"
check "megabytes of echo" "$(err "http://$LAB_STUN1/big" "longer than 256 bytes")" true "$json"
check "HTTP 500" "$(err "http://$LAB_STUN1/status500" "HTTP status 500")" true "$json"
check "every error is one line" '[.observations[] | select(.error) | .error | test("\n") | not] | all' true "$json"

# A gateway that answers NAT-PMP badly: the host's default gateway in this
# topology is 5.0.1.1, in the inet namespace.
for mode in natpmp-short natpmp-version natpmp-spoof; do
	if [ $mode = natpmp-spoof ]; then	# right answer, wrong source
		lab_bg inet "fake-$mode" "$fake" "$mode" 5.0.1.1 5351 "$LAB_STUN2"
	else
		lab_bg inet "fake-$mode" "$fake" "$mode" 5.0.1.1 5351
	fi
	lab_wait_udp inet 5351
	lab_run host "$bin" diagnose --json --timeout 1 --stun "$LAB_STUN1" \
		> "$LAB_DIR/$mode.json" 2>/dev/null
	pkill -f "fakestun $mode" 2>/dev/null
	want="NAT-PMP reply of 11 bytes, expected 12"
	[ $mode = natpmp-version ] && want="NAT-PMP reply with version 1"
	[ $mode = natpmp-spoof ] && want="no answer"
	check "$mode" '.observations[] | select(.source == "natpmp") | .error' "$want" "$LAB_DIR/$mode.json"
	check "$mode: verdict unharmed" .verdict public "$LAB_DIR/$mode.json"
done

# A well-formed but lying STUN server does not outvote an HTTP echo and
# the host's own public address.
lab_bg inet fake-liar "$fake" liar "$LAB_STUN2" 3499
lab_wait_udp inet 3499
lab_run host "$bin" diagnose --json --timeout 1 --stun "$LAB_STUN2:3499" \
	--http-echo "$LAB_ECHO" > "$LAB_DIR/liar.json" 2>/dev/null
check "a lying observer: the echo and the host win" .public_ipv4 5.0.1.2 "$LAB_DIR/liar.json"
check "a lying observer: verdict" .verdict public "$LAB_DIR/liar.json"
check "a lying observer: said" '[.evidence[] | test("witnesses disagree: 2 of 3 see 5.0.1.2")] | any' \
	true "$LAB_DIR/liar.json"

# Only bad observers: nothing outside answered, exit status 3.
lab_run host "$bin" diagnose --json --timeout 1 --stun "$LAB_STUN2:3490" \
	--http-echo "http://$LAB_STUN1/html" > "$LAB_DIR/none.json" 2>/dev/null
check_eq "exit status with no honest observer" "$?" 3
check "verdict with no honest observer" .verdict no-internet "$LAB_DIR/none.json"
# Usage errors exit 2 with a one-line reason.
"$bin" diagnose --timeout abc > /dev/null 2> "$LAB_DIR/usage.err"
check_eq "usage error exit status" "$?" 2
check_eq "usage error names the option" "$(head -1 "$LAB_DIR/usage.err")" \
	'homereach diagnose: --timeout "abc": want seconds from 0.1 to 60'
finish
