#!/usr/bin/env bash
# test-hostile.sh CASE HOMEREACH: what a LAN host, a router or a stranger
# sends must not steer, starve or bloat homereach (the audit's findings).
#   router    a UPnP router claiming 0.0.0.0, 127.0.0.1 or 255.255.255.255
#             as its WAN address: unknown, not a double NAT; `map add`
#             prints no such address
set -u
case_=$1 bin=$(realpath "$2")
here=$(dirname "$(realpath "$0")")
. "$here/lab.sh"
. "$here/assert.sh"

# fake_igd MODE [ARG]: the hostile IGD on the home router's LAN address
fake_igd() {
	pkill -f "fakeigd.py 192.168.1.1" 2>/dev/null
	lab_bg rtr fakeigd python3 "$here/fakeigd.py" 192.168.1.1 "$1" \
		"$LAB_DIR/igd.log" "${2:-}"
	lab_wait_tcp rtr 5000
}

case_router() {
	lab_setup no-mapping
	for wan in 0.0.0.0 127.0.0.1 255.255.255.255; do
		fake_igd wan "$wan"
		lab_run host "$bin" diagnose --json --stun "$LAB_STUN1" \
			> "$LAB_DIR/d.json" 2>/dev/null
		check "UPnP claims $wan: not a double NAT" .verdict single-nat "$LAB_DIR/d.json"
		check "UPnP claims $wan: no WAN address taken" \
			'.gateways[0].upnp.external_address' null "$LAB_DIR/d.json"
		check "UPnP claims $wan: said to be unknown" \
			"[.observations[] | select(.source == \"upnp\") | .error | test(\"$wan.*unknown\")] | all" \
			true "$LAB_DIR/d.json"
		check "UPnP claims $wan: no bridge-mode advice" \
			'[.advice[].id] | index("bridge-mode")' null "$LAB_DIR/d.json"
	done
	lab_run host "$bin" map add 8080 --via upnp --stun "$LAB_STUN1" \
		--state-dir "$LAB_DIR/state" \
		> "$LAB_DIR/map.out" 2>&1
	check_eq "map add: no 255.255.255.255 printed" "$(grep -c '255\.255' "$LAB_DIR/map.out")" 0
	check_eq "map add: an unknown address said so" \
		"$(grep -c 'reachable at an unknown address:8080' "$LAB_DIR/map.out")" 1
}

"case_$case_"
finish
