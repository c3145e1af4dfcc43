#!/usr/bin/env bash
# test-hostile.sh CASE HOMEREACH: what a LAN host, a router or a stranger
# sends must not steer, starve or bloat homereach (the audit's findings).
#   router    a UPnP router claiming 0.0.0.0, 127.0.0.1 or 255.255.255.255
#             as its WAN address: unknown, not a double NAT; `map add`
#             prints no such address
#   gateway   a UPnP description or SOAP reply that never ends is read to
#             64 KiB, the reading stops when the probe gives up, and the
#             agent does not grow while its checks go on; a URLBase off
#             the gateway gets no request
set -u
case_=$1 bin=$(realpath "$2")
here=$(dirname "$(realpath "$0")")
. "$here/lab.sh"
. "$here/assert.sh"

# fake_igd MODE [ARG]: the hostile IGD on the home router's LAN address
fake_igd() {
	pkill -f "fakeigd.py 192.168.1.1" 2>/dev/null
	: > "$LAB_DIR/igd.log"
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

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

case_gateway() {
	lab_setup no-mapping
	for mode in endless-desc endless-soap; do
		fake_igd "$mode"
		/usr/bin/time -f %M -o "$LAB_DIR/rss" ip netns exec "$(lab_ns host)" \
			"$bin" diagnose --json --stun "$LAB_STUN1" > "$LAB_DIR/d.json" 2>/dev/null
		rss=$(tail -n 1 "$LAB_DIR/rss")
		check_eq "$mode: diagnose stays small" \
			"$([ "$rss" -lt 60000 ] && echo yes || echo "no ($rss KB)")" yes
		check "$mode: said" "[.observations[] | select(.source == \"upnp\") | .error |
			test(\"no whole answer in time|a reply over 65536 bytes|Content-Length\")] | any" \
			true "$LAB_DIR/d.json"
		check "$mode: the verdict from the rest" .verdict single-nat "$LAB_DIR/d.json"
		sleep 0.5	# each endless reply was closed on, none still read
		check_eq "$mode: the reading stopped" "$(grep -c 'client stopped reading' "$LAB_DIR/igd.log")" \
			"$(grep -c "^192.168.1.1 $([ $mode = endless-desc ] && echo GET || echo POST)" "$LAB_DIR/igd.log")"
	done
	# The agent, its checks going on against the endless description.
	fake_igd endless-desc
	mkdir -p "$LAB_DIR/conf"
	printf '[agent]\nstate_dir = %s\nruntime_dir = %s\n[probes]\nstun = %s\n' \
		"$LAB_DIR/state" "$LAB_DIR/run" "$LAB_STUN1" > "$LAB_DIR/conf/a.conf"
	lab_spawn host "$bin" agent --config "$LAB_DIR/conf/a.conf" 2> "$LAB_DIR/agent.log"
	local agent=$LAB_PID
	sleep 3
	local first; first=$(rss_kb "$(pgrep -n -f "homereach-agent.*$LAB_DIR/conf/a.conf")")
	for _ in $(seq 6); do kill -USR1 "$agent"; sleep 1; done
	local last; last=$(rss_kb "$(pgrep -n -f "homereach-agent.*$LAB_DIR/conf/a.conf")")
	kill "$agent"; wait "$agent" 2>/dev/null
	echo "info: agent RSS $first KB, then $last KB after 6 more checks"
	check_eq "agent: flat under an endless description" \
		"$([ "$last" -lt $((first + 8000)) ] && echo yes || echo "no ($first -> $last KB)")" yes
	# URLBase names another host: nothing is sent there.
	fake_igd offgw 5.0.1.2
	lab_run host "$bin" diagnose --json --stun "$LAB_STUN1" > "$LAB_DIR/d.json" 2>/dev/null
	check_eq "off the gateway: no request there" "$(grep -c '^5.0.1.2 ' "$LAB_DIR/igd.log")" 0
	check "off the gateway: said" "[.observations[] | select(.source == \"upnp\") | .error |
		test(\"not on the gateway\")] | any" true "$LAB_DIR/d.json"
}

"case_$case_"
finish
