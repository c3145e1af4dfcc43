#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test-diagnose.sh TOPOLOGY HOMEREACH: build the topology, run
# `homereach diagnose --json` on its LAN host, assert what it must find.
set -u
topo=$1 bin=$(realpath "$2")
here=$(dirname "$(realpath "$0")")
. "$here/lab.sh"
. "$here/assert.sh"
lab_setup "$topo"

json=$LAB_DIR/diagnose.json
lab_run host "$bin" diagnose --json --stun "$LAB_STUN1" --http-echo "$LAB_ECHO" \
	--timeout 3 > "$json" 2> "$LAB_DIR/diagnose.err"
status=$?
cat "$LAB_DIR/diagnose.err" >&2

ids='[.advice[].id] | join(" ")'
up='[.gateways[] | select(.role == "upstream-router") | .address] | join(" ")'
case $topo in
public)		want=(public 0 0 "none-needed" "") ;;
single-nat|bridge|twin-ip)
		want=(single-nat 1 0 "none-needed port-redirect" "") ;;
no-mapping)	want=(single-nat 1 1 "enable-port-mapping manual-port-forward dmz port-redirect" "") ;;
double-nat|double-nat-upnp|double-nat-chain)
		want=(double-nat 2 1 "bridge-mode twin-ip dmz manual-port-forward port-redirect" 192.168.0.1) ;;
cgnat)		want=(cgnat 2 1 "request-public-ip use-ipv6 relay" 100.64.0.1) ;;
cgnat-pcp|cgnat-pcp-anycast)
		want=(cgnat 2 1 "carrier-pcp request-public-ip use-ipv6 port-redirect" 100.64.0.1) ;;
cgnat-isp)	want=(cgnat 3 1 "request-public-ip use-ipv6 bridge-mode relay" 192.168.0.1) ;;
cgnat-fullcone)	# the home router found 5.0.1.2 by STUN; a port can be held
		want=(cgnat 2 0 "hold request-public-ip use-ipv6 relay" 100.64.0.1) ;;
cgnat-symmetric)	# ... and no port can be held: the home router maps nothing
		want=(cgnat 2 1 "request-public-ip use-ipv6 relay" 100.64.0.1) ;;
ds-lite)	want=(ds-lite 1 1 "use-ipv6 request-public-ip relay" 192.0.0.1) ;;
esac
[ "$topo" = twin-ip ] && want[4]=192.168.0.1	# the ISP box, routing only

check "verdict" .verdict "${want[0]}" "$json"
check "NAT layers" .nat_layers "${want[1]}" "$json"
check_eq "exit status" "$status" "${want[2]}"
check "public IPv4" .public_ipv4 5.0.1.2 "$json"
check "advice" "$ids" "${want[3]}" "$json"
check "upstream router found" "$up" "${want[4]}" "$json"
check "STUN observation" '[.observations[] | select(.source == "stun") | .address] | join(" ")' 5.0.1.2 "$json"
check "HTTP echo observation" '[.observations[] | select(.source == "http") | .address] | join(" ")' 5.0.1.2 "$json"

case $topo in
single-nat|bridge|twin-ip)
	check "home router speaks UPnP" '.gateways[0].upnp.can_map' true "$json"
	check "home router speaks NAT-PMP" '.gateways[0].natpmp.can_map' true "$json"
	check "home router speaks PCP" '.gateways[0].pcp.answered' true "$json"
	check "home router model" '.gateways[0].model_name' HR-100 "$json"
	check "mapping behaviour" .nat_behaviour.mapping endpoint-independent "$json"
	check "filtering behaviour" .nat_behaviour.filtering address-and-port-dependent "$json" ;;
double-nat-upnp)
	check "ISP box speaks UPnP" '.gateways[] | select(.role == "upstream-router") | .upnp.can_map' true "$json"
	check "ISP box named" '.gateways[] | select(.role == "upstream-router") | .friendly_name' "ISP Box" "$json"
	check "advice names the ISP box" '.advice[0].detail | test("Speedlink 5000")' true "$json" ;;
double-nat|cgnat|cgnat-isp|cgnat-pcp|cgnat-pcp-anycast)
	check "home router refuses NAT-PMP" '.gateways[0].natpmp.result' 3 "$json" ;;&
cgnat-pcp-anycast)
	check "nothing answers at the hop" '.gateways[] | select(.role == "upstream-router") | .pcp.answered' false "$json"
	check "the carrier's PCP server found at its anycast address (RFC 7723)" \
		'[.gateways[] | select(.role == "carrier-pcp-server" and .pcp.can_map) | .address] | join(" ")' 192.0.0.9 "$json"
	check "the verdict says so" '.evidence | tostring | test("PCP server at 192.0.0.9 maps ports on request")' true "$json"
	check "advice names it" '.advice[0].detail | test("192.0.0.9")' true "$json" ;;
cgnat-pcp)
	check "the carrier's NAT maps" '.gateways[1].natpmp.can_map' true "$json"
	check "advice names the carrier" '.advice[0].detail | test("100.64.0.1 \\(Lab Networks CGN-9000\\)")' true "$json"
	check "advice says what to set on the home router" '.advice[0].detail | test("refuses.*ext_ip=5.0.1.2")' true "$json" ;;
cgnat-fullcone)
	check "says why: the carrier's NAT in front of a router that names its address" \
		'.evidence | tostring | test("hop 2, 100.64.0.1, is in carrier-grade NAT space")' true "$json"
	check "the carrier's NAT, tested: a full cone" .carrier_nat.behaviour full-cone "$json"
	check "in words" '.evidence | tostring | test("tested through the home router: full cone: a port can be held")' true "$json"
	check_eq "the test's mapping is gone again" "$(lab_upnpd_rules rtr)" 0 ;;
cgnat-symmetric)
	check "the carrier's NAT could not be tested: says why" .carrier_nat.finding \
		"not tested: the home router did not map the test's port" "$json" ;;
ds-lite)
	check "the AFTR on the path" '[.hops[]] | join(" ")' "192.168.1.1 192.0.0.1 5.0.0.2" "$json"
	check "IPv6 is the way in: the host's address named" \
		'.advice[0].detail | test("2a05:5:1::10")' true "$json" ;;
cgnat-isp)
	check "the path: host, home router, ISP box, carrier, internet" '[.path[].role] | join(",")' \
		"this host,home router,ISP router,carrier NAT,internet" "$json"
	check "every hop to the first public one" '[.hops[]] | join(" ")' \
		"192.168.1.1 192.168.0.1 100.64.0.1 5.0.0.2" "$json"
	check "bridge mode said not to be enough alone" \
		'.advice[] | select(.id == "bridge-mode") | .title | test("not enough alone")' true "$json" ;;
public)
	check "filtering behaviour" .nat_behaviour.filtering endpoint-independent "$json" ;;
esac

# The human report says the same thing, and draws the way out.
lab_run host "$bin" diagnose --stun "$LAB_STUN1" --http-echo "$LAB_ECHO" \
	--timeout 3 --svg "$LAB_DIR/way.svg" > "$LAB_DIR/diagnose.txt" 2>&1
check_eq "text report verdict" "$(head -1 "$LAB_DIR/diagnose.txt" | cut -d' ' -f2)" "${want[0]}"
check_eq "text: the way out, node by node, as the JSON's path" \
	"$(grep -E '^(Way in: |     -> )' "$LAB_DIR/diagnose.txt" | sed -E 's/^(Way in: |     -> )//; s/: .*//')" \
	"$(jq -r '.path[] | "\(.role) \(.address // "(unknown)")"' "$json")"
check_eq "--svg: every node's address in the picture" \
	"$(jq -r '.path[].address // empty' "$json" | while read -r a; do grep -q ">$a<" "$LAB_DIR/way.svg" || echo "$a missing"; done)" ""
finish
