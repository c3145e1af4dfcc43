#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test-diagnose6.sh TOPOLOGY HOMEREACH: diagnose's IPv6 section.
#   single-nat-v6  the same observers over IPv6 see the host's own stable
#                  address (no translation); the router offers pinholes
#                  (PCP); a TCP service behind its firewall does not answer
#                  from outside until `map add --family 6`, then it does
#   cgnat-v6       IPv4 behind carrier NAT, native IPv6: the use-ipv6
#                  advice names the address and port, first what blocks
#                  them, then that they work
set -u
topo=$1 bin=$(realpath "$2")
here=$(dirname "$(realpath "$0")")
. "$here/lab.sh"
. "$here/assert.sh"
lab_setup "$topo"
lab_redirect_server "$bin" "$(head -c 32 /dev/urandom | base64)"
lab_bg host web6 socat TCP6-LISTEN:8080,fork,reuseaddr SYSTEM:'echo hello-over-v6'
lab_wait_tcp host 8080

diagnose() {	# diagnose OUT: the JSON report into OUT
	lab_run host "$bin" diagnose --json --stun "$LAB_STUN1" \
		--stun "[$LAB_OBS6]:3478" --http-echo "$LAB_ECHO" \
		--http-echo "$LAB_ECHO6" --check-url "http://[$LAB_REDIRECT6]/check" \
		--check-port 8080 --timeout 3 > "$1" 2> "$1.err"
	cat "$1.err" >&2
}
use6='.advice[] | select(.id == "use-ipv6")'

json=$LAB_DIR/before.json
diagnose "$json"
check "the host's stable address" '[.ipv6.addresses[] | select(.temporary | not) | .address] | join(" ")' "$LAB_V6_HOST" "$json"
check "public_ipv6 from the observers" .public_ipv6 "$LAB_V6_HOST" "$json"
check "IPv6 observers" '[.observations[] | select(.family == 6) | "\(.source)=\(.address)"] | sort | join(" ")' \
	"http=$LAB_V6_HOST stun=$LAB_V6_HOST" "$json"
check "IPv4 observers unchanged" '[.observations[] | select(.family == 4 and (.source == "stun" or .source == "http")) | .address] | join(" ")' \
	"5.0.1.2 5.0.1.2" "$json"
check "no translation" .ipv6.translated false "$json"
check "pinholes offered" '"\(.ipv6.pinhole.offered) \(.ipv6.pinhole.via)"' "true pcp" "$json"
check "IGDv2 allows pinholes too" .ipv6.pinhole.upnp.can_map true "$json"
check "inbound blocked by the firewall" '"\(.ipv6.inbound.port) \(.ipv6.inbound.result)"' "8080 no-answer" "$json"
check "state" .ipv6.state blocked "$json"
check_eq "the server connected back to the requester's own IPv6 address" \
	"$(grep -c "check $LAB_V6_HOST port 8080/tcp: no-answer" "$LAB_DIR/redirect.log")" 1
case $topo in
single-nat-v6)
	check "IPv4 verdict unchanged" .verdict single-nat "$json" ;;
cgnat-v6)
	check "IPv4 verdict" .verdict cgnat "$json"
	check "advice: IPv6 first, the host has it" '[.advice[].id] | join(" ")' "use-ipv6 request-public-ip relay" "$json"
	check "use-ipv6 names what blocks" "$use6 | .detail | test(\"\\\\[$LAB_V6_HOST\\\\]:8080/tcp does not answer.*opens pinholes on request \\\\(PCP\\\\)\")" true "$json" ;;
esac

lab_run host "$bin" map add 8080 --family 6 --state-dir "$LAB_DIR/state" > /dev/null
check_eq "map add --family 6" "$?" 0
json=$LAB_DIR/after.json
diagnose "$json"
check "inbound open through the pinhole" .ipv6.inbound.result open "$json"
check "state" .ipv6.state open "$json"
[ "$topo" = cgnat-v6 ] && check "use-ipv6 says it works" "$use6 | .detail | test(\"reach \\\\[$LAB_V6_HOST\\\\]:8080/tcp now\")" true "$json"

# The human report has the section.
lab_run host "$bin" diagnose --stun "[$LAB_OBS6]:3478" --stun "$LAB_STUN1" \
	--check-url "http://[$LAB_REDIRECT6]/check" --check-port 8080 --timeout 3 \
	> "$LAB_DIR/diagnose.txt" 2>&1
check_eq "text: IPv6 section" "$(grep -c "^IPv6: open$" "$LAB_DIR/diagnose.txt")" 1
check_eq "text: inbound line" "$(grep -c "inbound \[$LAB_V6_HOST\]:8080/tcp from outside: open" "$LAB_DIR/diagnose.txt")" 1
lab_run host "$bin" map del 8080 --state-dir "$LAB_DIR/state" > /dev/null
finish
