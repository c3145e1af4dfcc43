#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test-map.sh CASE HOMEREACH: `homereach map` against miniupnpd in the lab.
#   protocols  TCP and UDP services reached from the internet namespace
#              through mappings made by PCP, NAT-PMP and UPnP in turn
#   refused    cgnat and no-mapping: exit 1 with a clear message
#   reboot     the router restarts with its rules flushed while --keep
#              holds a mapping: reachable again within 2 s of its return;
#              SIGTERM then leaves the router clean
#   crash      the keeping process is killed with SIGKILL: the next start
#              removes its mapping, and a mapping this host did not make
#              is never touched
#   silent     the router loses the rule without a restart (no epoch
#              change): the periodic lookup makes it again
#   conflict   the external port is taken: the port granted is reported
#              and it works
#   double     double NAT where both routers map: services reached through
#              both layers (upstream found by the probes, with --stun or
#              the configuration's [probes] observers, or named)
#   carrier    cgnat-pcp, the carrier's NAT maps (PCP, NAT-PMP): while the
#              home router refuses (its WAN address is shared space), map
#              add exits 1 naming the carrier and the setting; told the
#              public address, both layers map and the services answer
#              from the internet; del leaves both routers clean
#   hairpin    single-nat, whose miniupnpd writes no NAT loopback: map add
#              says the public side does not answer from the LAN and gives
#              the local DNS lines, diagnose (the mapping on record) too;
#              with a loopback rule (lab_hairpin) both say it loops back
#   pinhole    single-nat-v6: the router's IPv6 firewall drops inbound
#              connections until map add opens a pinhole (PCP) for this
#              host's stable address; TCP and UDP then answer over IPv6
#              from the internet namespace, map list shows the pinholes,
#              map del closes them again
#   readonly   the state directory cannot be written: map add asks nothing
#              and exits 1, map del removes nothing and exits 1; a mapping
#              recorded as pending by a process that died is removed
here=$(dirname "$(realpath "$0")")
. "$here/lab.sh"
lab_test_init "$@"

reach_tcp() {	# reach_tcp PORT: what the service says from outside
	lab_run inet timeout 2 socat -T1 - "TCP:5.0.1.2:$1" < /dev/null 2>/dev/null
}
reach_udp() {
	lab_udp_ask inet "UDP:5.0.1.2:$1"
}
services() {
	lab_bg host web socat TCP-LISTEN:8080,fork,reuseaddr SYSTEM:'echo hello-from-nas'
	lab_bg host game socat UDP-RECVFROM:5353,fork SYSTEM:'echo pong'
	lab_wait_tcp host 8080
	lab_wait_udp host 5353
}
hr() { lab_run host "$bin" "$@" --state-dir "$LAB_DIR/state"; }

case_protocols() {
	lab_setup single-nat
	services
	for via in pcp natpmp upnp; do
		hr map add 8080/tcp --via "$via" --json > "$LAB_DIR/tcp.json"
		check_eq "$via: map add tcp exit status" "$?" 0
		check "$via: protocol used" .via "$via" "$LAB_DIR/tcp.json"
		check "$via: public address" .external_address 5.0.1.2 "$LAB_DIR/tcp.json"
		check_eq "$via: TCP service reached from outside" "$(reach_tcp 8080)" hello-from-nas
		hr map add 5353/udp --external 6000 --via "$via" --json > "$LAB_DIR/udp.json"
		check_eq "$via: map add udp exit status" "$?" 0
		port=$(jq -r .external_port "$LAB_DIR/udp.json")
		check_eq "$via: UDP service reached from outside" "$(reach_udp "$port")" pong
		check_eq "$via: map list" "$(hr map list --json | jq -r '[.[].internal_port] | sort | join(" ")')" "5353 8080"
		hr map del 8080/tcp > /dev/null && hr map del 5353/udp > /dev/null
		check_eq "$via: map del leaves the router clean" "$(lab_upnpd_rules rtr)" 0
		check_eq "$via: TCP unreachable after del" "$(reach_tcp 8080)" ""
	done
}

reach_tcp6() {
	lab_run inet timeout 2 socat -T1 - "TCP6:[$LAB_V6_HOST]:$1" < /dev/null 2>/dev/null
}
reach_udp6() {
	lab_udp_ask inet "UDP6:[$LAB_V6_HOST]:$1"
}
pinholes() {	# pinholes: how many the router's IPv6 firewall holds
	lab_run rtr nft list chain inet filter miniupnpd | grep -c 0x2a05000500010000
}

case_pinhole() {
	lab_setup single-nat-v6
	lab_bg host web6 socat TCP6-LISTEN:8080,fork,reuseaddr SYSTEM:'echo hello-over-v6'
	lab_bg host game6 socat UDP6-RECVFROM:5353,fork SYSTEM:'echo pong6'
	lab_wait_tcp host 8080
	lab_wait_udp host 5353
	check_eq "no way in before the pinhole (TCP)" "$(reach_tcp6 8080)" ""
	check_eq "no way in before the pinhole (UDP)" "$(reach_udp6 5353)" ""
	hr map add 8080 > "$LAB_DIR/add.out"
	check_eq "map add exit status" "$?" 0
	check_eq "both ways in printed" "$(grep -c "reachable at 5.0.1.2:8080\|reachable at \[$LAB_V6_HOST\]:8080" "$LAB_DIR/add.out")" 2
	check_eq "TCP reached over IPv6" "$(reach_tcp6 8080)" hello-over-v6
	hr map add 5353/udp --family 6 --json > "$LAB_DIR/udp.json"
	check_eq "map add --family 6 exit status" "$?" 0
	check "the pinhole's address" .external_address "$LAB_V6_HOST" "$LAB_DIR/udp.json"
	check "said to be a pinhole" .pinhole true "$LAB_DIR/udp.json"
	check_eq "UDP reached over IPv6" "$(reach_udp6 5353)" pong6
	check_eq "no IPv4 mapping for --family 6" "$(lab_upnpd_rules rtr)" 1
	hr map list --json > "$LAB_DIR/list.json"
	check_eq "map list: the pinholes with their lease" \
		"$(jq -r '[.[] | select(.pinhole) | "\(.internal_port):\(.lease_left > 7000)"] | sort | join(" ")' "$LAB_DIR/list.json")" \
		"5353:true 8080:true"
	check_eq "two pinholes on the router" "$(pinholes)" 2
	hr map del 8080 > "$LAB_DIR/del.out"
	check_eq "map del exit status" "$?" 0
	check_eq "map del names the pinhole" "$(grep -c "the pinhole to \[$LAB_V6_HOST\]:8080" "$LAB_DIR/del.out")" 1
	check_eq "TCP closed again over IPv6" "$(reach_tcp6 8080)" ""
	check_eq "one pinhole left" "$(pinholes)" 1
	hr map del 5353/udp > /dev/null
	check_eq "none left" "$(pinholes)" 0
	check_eq "no IPv4 mapping left" "$(lab_upnpd_rules rtr)" 0
	# UPnP IGDv2: found over IPv6, GetFirewallStatus, AddPinhole.
	for proto in tcp udp; do
		port=8080; [ $proto = udp ] && port=5353
		hr map add $port/$proto --family 6 --via upnp --json > "$LAB_DIR/upnp.json"
		check_eq "upnp $proto: map add exit status" "$?" 0
		check "upnp $proto: via" .via upnp "$LAB_DIR/upnp.json"
		check "upnp $proto: the pinhole's address" .external_address "$LAB_V6_HOST" "$LAB_DIR/upnp.json"
	done
	check_eq "upnp: TCP reached over IPv6" "$(reach_tcp6 8080)" hello-over-v6
	check_eq "upnp: UDP reached over IPv6" "$(reach_udp6 5353)" pong6
	check_eq "upnp: the router's UniqueIDs are kept" \
		"$(grep -c '^mapping .* 2a05:5:1::1 .* - [0-9][0-9]*$' "$LAB_DIR/state/state")" 2
	id=$(awk '$2 == "tcp" && $6 == "2a05:5:1::1" { print $NF }' "$LAB_DIR/state/state")
	hr map add 8080 --family 6 --via upnp > /dev/null
	check_eq "upnp: a second add renews in place (UpdatePinhole)" \
		"$(awk '$2 == "tcp" && $6 == "2a05:5:1::1" { print $NF }' "$LAB_DIR/state/state")" "$id"
	check_eq "upnp: one pinhole each, none doubled" "$(pinholes)" 2
	hr map del 8080 > /dev/null && hr map del 5353/udp > /dev/null
	check_eq "upnp: map del closes both" "$(pinholes)" 0
	check_eq "upnp: TCP closed again" "$(reach_tcp6 8080)" ""
}

case_refused() {
	for topo in cgnat no-mapping double-nat-upnp; do
		lab_setup "$topo"
		hr map add 8080/tcp --timeout 4 > /dev/null 2> "$LAB_DIR/err"
		check_eq "$topo: exit status" "$?" 1
		check_eq "$topo: says no gateway could map" \
			"$(grep -c 'no gateway could map it' "$LAB_DIR/err")" 1
		[ "$topo" != no-mapping ] && check_eq "$topo: points to diagnose" \
			"$(grep -c 'no public address.*homereach diagnose' "$LAB_DIR/err")" 1
		hr map add 8080/tcp --family 6 > /dev/null 2> "$LAB_DIR/err6"
		check_eq "$topo: --family 6 without IPv6: exit status" "$?" 1
		check_eq "$topo: says there is no IPv6 way" \
			"$(grep -c 'no IPv6 pinhole: no IPv6 default route' "$LAB_DIR/err6")" 1
		lab_teardown
	done
}

# seconds since the epoch, with nanoseconds
now() { date +%s.%N; }

case_reboot() {
	lab_setup single-nat
	services
	for via in natpmp pcp upnp; do
		lab_spawn host "$bin" -v map add 8080/tcp --keep --via "$via" \
			--state-dir "$LAB_DIR/state" > "$LAB_DIR/keep-$via.log" 2>&1
		keeper=$LAB_PID
		for _ in $(seq 50); do [ "$(reach_tcp 8080)" = hello-from-nas ] && break; sleep 0.1; done
		check_eq "$via: reachable while kept" "$(reach_tcp 8080)" hello-from-nas
		lab_upnpd_crash rtr
		check_eq "$via: unreachable while the router is down" "$(reach_tcp 8080)" ""
		sleep 3		# a short reboot
		lab_upnpd_start rtr
		back=$(now)
		ok=no
		for _ in $(seq 100); do
			[ "$(reach_tcp 8080)" = hello-from-nas ] && { ok=yes; break; }
			sleep 0.05
		done
		took=$(echo "$(now) - $back" | awk '{ split($0, a, " - "); printf "%.2f", a[1] - a[2] }')
		echo "info $via: reachable again ${took}s after the router's return"
		check_eq "$via: reachable again after the reboot" "$ok" yes
		check_eq "$via: within 2 seconds" "$(awk -v t="$took" 'BEGIN { print (t <= 2.0) ? "yes" : "no" }')" yes
		kill -TERM "$keeper"; wait "$keeper"
		check_eq "$via: SIGTERM exit status" "$?" 0
		check_eq "$via: SIGTERM leaves the router clean" "$(lab_upnpd_rules rtr)" 0
	done
}

case_crash() {
	lab_setup single-nat
	services
	# Someone else's mapping, made with upnpc: never ours to touch.
	lab_run host upnpc -e other -a 192.168.1.10 9090 9090 TCP > /dev/null 2>&1
	lab_spawn host "$bin" map add 8080/tcp --keep --via upnp \
		--state-dir "$LAB_DIR/state" > /dev/null 2>&1
	keeper=$LAB_PID
	for _ in $(seq 50); do [ "$(reach_tcp 8080)" = hello-from-nas ] && break; sleep 0.1; done
	check_eq "reachable while kept" "$(reach_tcp 8080)" hello-from-nas
	kill -KILL "$keeper"; wait "$keeper" 2>/dev/null
	check_eq "the killed keeper's mapping is still on the router" "$(lab_upnpd_rules rtr)" 2
	hr map list > /dev/null
	check_eq "the next start removed it; the other one stays" "$(lab_upnpd_rules rtr)" 1
	check_eq "and forgot it" "$(hr map list --json | jq length)" 0
	hr map del 9090/tcp 2> "$LAB_DIR/err"
	check_eq "del of a mapping this host did not make: exit status" "$?" 1
	check_eq "and it is still there" "$(lab_upnpd_rules rtr)" 1
}

case_silent() {
	lab_setup single-nat
	services
	lab_spawn host "$bin" -v map add 8080/tcp --keep --check 1 --via upnp \
		--state-dir "$LAB_DIR/state" > "$LAB_DIR/keep.log" 2>&1
	keeper=$LAB_PID
	for _ in $(seq 50); do [ "$(reach_tcp 8080)" = hello-from-nas ] && break; sleep 0.1; done
	lab_run rtr nft flush chain inet nat prerouting_miniupnpd
	lab_run rtr nft flush chain inet filter miniupnpd
	check_eq "unreachable once the rule is gone" "$(reach_tcp 8080)" ""
	ok=no
	for _ in $(seq 60); do
		[ "$(reach_tcp 8080)" = hello-from-nas ] && { ok=yes; break; }
		sleep 0.1
	done
	check_eq "made again by the periodic lookup" "$ok" yes
	kill -TERM "$keeper"; wait "$keeper"
	check_eq "SIGTERM leaves the router clean" "$(lab_upnpd_rules rtr)" 0
}

case_conflict() {
	lab_setup single-nat
	services
	# Another LAN host, 192.168.1.11, already holds external port 8080: a
	# NAT-PMP request (RFC 6886 3.3: TCP, internal 9999, external 8080,
	# 7200 s) sent from that address.
	lab_run host ip addr add 192.168.1.11/24 dev eth0
	printf '\000\002\000\000\047\017\037\220\000\000\034\040' |
		lab_run host socat -T1 - UDP:192.168.1.1:5351,bind=192.168.1.11 > /dev/null
	check_eq "the port is taken" "$(lab_upnpd_rules rtr)" 1
	for via in pcp natpmp upnp; do
		hr map add 8080/tcp --via "$via" --json > "$LAB_DIR/c.json"
		check_eq "$via: exit status" "$?" 0
		port=$(jq -r .external_port "$LAB_DIR/c.json")
		check_eq "$via: another port granted" "$([ "$port" != 8080 ] && echo yes)" yes
		check_eq "$via: reached at the port reported ($port)" "$(reach_tcp "$port")" hello-from-nas
		hr map del 8080/tcp > /dev/null
	done
	check_eq "the other mapping is untouched" "$(lab_upnpd_rules rtr)" 1
}

case_double() {
	lab_setup double-nat-chain
	services
	hr map add 8080/tcp --stun "$LAB_STUN1" --json > "$LAB_DIR/tcp.json"
	check_eq "map add through both layers: exit status" "$?" 0
	check "two layers" '.layers | length' 2 "$LAB_DIR/tcp.json"
	check "upstream router found by the probes" '.layers[1].gateway' 192.168.0.1 "$LAB_DIR/tcp.json"
	check "public address" .external_address 5.0.1.2 "$LAB_DIR/tcp.json"
	check_eq "TCP service reached through both layers" "$(reach_tcp 8080)" hello-from-nas
	hr map add 5353/udp --upstream 192.168.0.1 --json > "$LAB_DIR/udp.json"
	check_eq "map add with --upstream: exit status" "$?" 0
	port=$(jq -r .external_port "$LAB_DIR/udp.json")
	check_eq "UDP service reached through both layers" "$(reach_udp "$port")" pong
	check_eq "both layers recorded" "$(hr map list --json | jq length)" 4
	# No --stun: the configuration's [probes] are asked, as diagnose does.
	printf '[probes]\nstun = %s\n' "$LAB_STUN1" > "$LAB_DIR/probes.conf"
	hr map add 8081/tcp --config "$LAB_DIR/probes.conf" --json > "$LAB_DIR/probes.json"
	check "[probes]' observer finds the upstream router" '.layers[1].gateway' 192.168.0.1 "$LAB_DIR/probes.json"
	hr map del 8080/tcp > /dev/null && hr map del 5353/udp > /dev/null &&
		hr map del 8081/tcp > /dev/null
	check_eq "del: home router clean" "$(lab_upnpd_rules rtr)" 0
	check_eq "del: ISP box clean" "$(lab_upnpd_rules isp)" 0
	check_eq "del: nothing recorded" "$(hr map list --json | jq length)" 0
}

case_carrier() {
	lab_setup cgnat-pcp
	services
	hr map add 8080/tcp --stun "$LAB_STUN1" > /dev/null 2> "$LAB_DIR/refused.err"
	check_eq "home router refuses: exit status" "$?" 1
	check_eq "says the carrier maps and what to set" "$(grep -c 'carrier.s NAT at 100.64.0.1.*refuses.*ext_ip=5.0.1.2' "$LAB_DIR/refused.err")" 1
	check_eq "nothing recorded after a refusal" "$(hr map list --json | jq length)" 0
	lab_upnpd_told rtr 5.0.1.2
	hr map add 8080/tcp --stun "$LAB_STUN1" --json > "$LAB_DIR/tcp.json"
	check_eq "map add through the carrier: exit status" "$?" 0
	check "two layers" '.layers | length' 2 "$LAB_DIR/tcp.json"
	check "the carrier's NAT maps the outer layer" '.layers[1].gateway' 100.64.0.1 "$LAB_DIR/tcp.json"
	check "public address" .external_address 5.0.1.2 "$LAB_DIR/tcp.json"
	port=$(jq -r .external_port "$LAB_DIR/tcp.json")
	check_eq "TCP service reached through the carrier" "$(reach_tcp "$port")" hello-from-nas
	hr map add 5353/udp --stun "$LAB_STUN1" --json > "$LAB_DIR/udp.json"
	port=$(jq -r .external_port "$LAB_DIR/udp.json")
	check_eq "UDP service reached through the carrier" "$(reach_udp "$port")" pong
	hr map del 8080/tcp > /dev/null && hr map del 5353/udp > /dev/null
	check_eq "del: home router clean" "$(lab_upnpd_rules rtr)" 0
	check_eq "del: carrier clean" "$(lab_upnpd_rules cgn)" 0
	check_eq "del: nothing recorded" "$(hr map list --json | jq length)" 0
}

case_hairpin() {
	lab_setup single-nat
	services
	hr map add 8080/tcp --json > "$LAB_DIR/tcp.json"
	check_eq "map add: exit status" "$?" 0
	check "no NAT loopback found" .hairpin no "$LAB_DIR/tcp.json"
	check "the fix: a dnsmasq line for this host" '.hairpin_fix | test("address=/NAME/192.168.1.10")' true "$LAB_DIR/tcp.json"
	check "the fix: unbound and Pi-hole" '.hairpin_fix | test("local-data: \"NAME. A 192.168.1.10\".*custom.list")' true "$LAB_DIR/tcp.json"
	hr map add 8080/tcp > "$LAB_DIR/tcp.txt"
	check_eq "text says so" "$(grep -c 'does not answer (closed): the router has no NAT loopback' "$LAB_DIR/tcp.txt")" 1
	diagnose() {
		lab_run host "$bin" diagnose --json --stun "$LAB_STUN1" \
			--state-dir "$LAB_DIR/state" --timeout 3 > "$1"
	}
	diagnose "$LAB_DIR/diag.json"
	check "diagnose: hairpin of the mapping on record" '.hairpin | "\(.address):\(.port) \(.result)"' "5.0.1.2:8080 no" "$LAB_DIR/diag.json"
	check "diagnose: advice ends with local-dns" '[.advice[].id] | last' local-dns "$LAB_DIR/diag.json"
	lab_hairpin rtr 5.0.1.2 192.168.1.10 8080
	hr map add 8080/tcp --json > "$LAB_DIR/tcp.json"
	check "with NAT loopback: map add says so" .hairpin yes "$LAB_DIR/tcp.json"
	check "no fix needed" .hairpin_fix null "$LAB_DIR/tcp.json"
	diagnose "$LAB_DIR/diag.json"
	check "diagnose: loops back" .hairpin.result yes "$LAB_DIR/diag.json"
	check "diagnose: no local-dns advice" '[.advice[].id] | index("local-dns")' null "$LAB_DIR/diag.json"
	hr map add 5353/udp --json > "$LAB_DIR/udp.json"
	check "UDP: not checked" .hairpin null "$LAB_DIR/udp.json"
	hr map del 8080/tcp > /dev/null && hr map del 5353/udp > /dev/null
}

# ro DIR CMD...: CMD sees DIR read-only (a private mount namespace, so
# nothing outlives it).
ro() {
	local dir=$1; shift
	unshare -m sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" &&
		shift && exec "$@"' sh "$dir" "$@"
}

case_readonly() {
	lab_setup single-nat
	services
	mkdir -p "$LAB_DIR/state"
	ro "$LAB_DIR/state" ip netns exec "$(lab_ns host)" "$bin" map add 8080 \
		--state-dir "$LAB_DIR/state" > "$LAB_DIR/out" 2>&1
	check_eq "add, state read-only: exit 1" "$?" 1
	check_eq "add, state read-only: nothing asked" "$(lab_upnpd_rules rtr)" 0
	check_eq "add, state read-only: said so" \
		"$(grep -c 'cannot record 8080/tcp in .* before asking for it; nothing was asked' "$LAB_DIR/out")" 1
	hr map add 8080 > /dev/null 2>&1
	check_eq "add: mapped" "$(lab_upnpd_rules rtr)" 1
	ro "$LAB_DIR/state" ip netns exec "$(lab_ns host)" "$bin" map del 8080 \
		--state-dir "$LAB_DIR/state" > "$LAB_DIR/out" 2>&1
	check_eq "del, state read-only: exit 1" "$?" 1
	check_eq "del, state read-only: nothing removed" "$(lab_upnpd_rules rtr)" 1
	check_eq "del, state read-only: still listed" \
		"$(hr map list --json | jq -r '.[].internal_port')" 8080
	hr map del 8080 > /dev/null 2>&1
	check_eq "del: removed" "$(lab_upnpd_rules rtr)" 0
	# A pending record whose process died (the request may have left):
	# the next command removes it through every protocol, then forgets it.
	lab_run host natpmpc -g 192.168.1.1 -a 8081 8081 tcp 3600 > /dev/null 2>&1
	check_eq "a mapping made by a process that died" "$(lab_upnpd_rules rtr)" 1
	printf 'homereach-state 1\nmapping tcp 8081 8081 any 192.168.1.1 - %s 3600 0 - 999999 1 -\n' \
		"$(date +%s)" > "$LAB_DIR/state/state"
	hr map list --json > "$LAB_DIR/list.json" 2>/dev/null
	check_eq "pending: removed from the router" "$(lab_upnpd_rules rtr)" 0
	check "pending: forgotten" length 0 "$LAB_DIR/list.json"
}

"case_$case_"
finish
