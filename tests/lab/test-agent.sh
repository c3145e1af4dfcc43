#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test-agent.sh CASE HOMEREACH: `homereach agent` in the lab.
#   single-nat  the router's WAN address changes: knot serves the new
#               address and the mapped service answers on it (timed)
#   double-nat  the home router's private WAN address changes: never
#               published; SIGUSR1 catches the ISP's new address
#   cgnat       the carrier's address is never published
#   cascade     double-nat-chain, both routers map: the agent keeps each
#               service through both (TCP and UDP), a stranger reaches it on
#               the ISP box's address, the record follows; the ISP box
#               restarts with its rules flushed: reachable again; SIGTERM
#               leaves both routers and the state clean
#   carrier     cgnat-pcp, the home router told the public address: the
#               agent keeps each service through the carrier's PCP too, a
#               stranger reaches it, and the carrier's address is published
#               (a way of ours opens it); SIGTERM leaves both routers clean
#   carrier-anycast  the same, the carrier's PCP server answering only at
#               its anycast address (RFC 7723), none at the hop
#   carrier-lease    ... only where its DHCP said (option 158, RFC 7291),
#               as ISC dhclient kept it in this host's lease file
#   reboot      the router restarts with its rules flushed: the mapping is
#               back within 2 s of its return
#   reload      SIGHUP with one service added and one removed changes
#               exactly those two mappings; SIGTERM leaves the router clean
#   restart     SIGKILL, then a new agent: no orphan, no DNS update for an
#               unchanged address, a corrupt state file set aside and no
#               update storm after it
#   intent      SIGKILL a few ms after a SIGHUP that adds a service, then a
#               restart without it, at delays across the request's flight:
#               never an orphan on the router
#   rules       the router drops its rules without a restart (a firewall
#               reload) and still lists the mapping: reachable again within
#               60 s, with no outside check configured
#   forged      a LAN host's forged NAT-PMP announcements (the gateway's
#               source address, a public address that is not the house's),
#               twice: never published; a real change still is, at once
#   pinhole     single-nat-v6: the agent keeps each service open over IPv6
#               too (a pinhole for the host's stable address, by PCP): TCP
#               and UDP answer over IPv6 from outside, status lists them;
#               the router restarts with its rules flushed: reachable
#               again within 2 s of its return; SIGTERM leaves no pinhole;
#               kill -9 and a restart without one service leave none that
#               no service wants
#   renumber    single-nat-v6, the LAN's IPv6 prefix changes (2a05:5:1::/64
#               -> 2a05:5:2::/64): knot serves the new AAAA and the service
#               answers on the new address through a new pinhole (timed);
#               the old record leaves the state (the old pinhole, which the
#               host can no longer ask to remove, ends with its lease); a
#               second LAN host's AAAA (ipv6_suffix) follows the prefix too
#   hairpin     single-nat without NAT loopback: status says the service's
#               mapping does not answer from the LAN and gives the local
#               DNS lines for the record's name; with loopback (lab_hairpin),
#               a new agent says it does
#   owner       map add, map del and ddns update while the agent runs ask
#               the agent, which alone writes the state: they work with the
#               state directory read-only to them, the agent keeps the port
#               (status lists it, the record is the agent's, it answers
#               from outside) and removes it on del
#   one-writer  while the agent runs, map add with --stun, --via, --upstream
#               or --keep (and map del with --via) is refused with one line,
#               writes nothing, and the agent's records survive its next
#               save; --state-dir is a state of one's own; the agent's stop
#               leaves nothing on the router
here=$(dirname "$(realpath "$0")")
. "$here/lab.sh"
lab_test_init "$@"

. "$here/agent.sh"

knot_has() { [ "$(lab_dig nas.example.com)" = "$1" ]; }
rules_are() { [ "$(lab_upnpd_rules rtr)" = "$1" ]; }
no_rule_for() { [ -z "$(rule_handle "$1")" ]; }
state_has_ddns() { grep -q '^ddns ' "$LAB_DIR/state/state" 2>/dev/null; }
has_rule_for() { [ -n "$(rule_handle "$1")" ]; }
reachable() { [ "$(reach_tcp 5.0.1.2 8080)" = hello-from-nas ]; }
rule_handle() {	# the nft handle of the router's DNAT rule for PORT
	lab_run rtr nft -a list chain inet nat prerouting_miniupnpd |
		awk -v p="dport $1 " 'index($0, p) && /dnat/ { print $NF }'
}

case_single_nat() {
	lab_setup single-nat
	lab_knot "$SECRET"
	services
	write_conf "web 8080"
	start_agent
	check_eq "first address in knot" "$(lab_dig nas.example.com)" 5.0.1.2
	check_eq "service reached" "$(reach_tcp 5.0.1.2 8080)" hello-from-nas
	t0=$(now_ms)
	lab_wan_change rtr 5.0.1.9/24 5.0.1.1
	wait_for 5 knot_has 5.0.1.9
	check_eq "knot serves the new address" "$(lab_dig nas.example.com)" 5.0.1.9
	echo "info: new A record served $(( $(now_ms) - t0 )) ms after the WAN change"
	grep 'DNS current .* after: the gateway announced' "$LAB_DIR/agent.log" |
		sed 's/^/info: /'
	check_eq "service reached on the new address" "$(reach_tcp 5.0.1.9 8080)" hello-from-nas
	check_eq "the log says old -> new" \
		"$(grep -c '5.0.1.2 -> 5.0.1.9: nas.example.com A updated (NOERROR)' "$LAB_DIR/agent.log")" 1
	# The record may be published before the mapping is verified again
	# (the announcement's fast path): wait for both.
	wait_for 3 status_has '.mappings[0].external_address' 5.0.1.9
	check "status: public address" .public_ipv4 5.0.1.9 "$LAB_DIR/status.json"
	check "status: mapping" '.mappings[0].external_address + ":" + (.mappings[0].external_port|tostring)' 5.0.1.9:8080 "$LAB_DIR/status.json"
	check "status: record" .records[0].published 5.0.1.9 "$LAB_DIR/status.json"
	check "status: verdict" .verdict single-nat "$LAB_DIR/status.json"
	stop_agent
	check_eq "SIGTERM exit status" "$?" 0
	check_eq "SIGTERM leaves the router clean" "$(lab_upnpd_rules rtr)" 0
	lab_run host "$bin" status --config "$conf" > /dev/null 2>&1
	check_eq "status without an agent: exit 3" "$?" 3
}

case_hairpin() {
	lab_setup single-nat
	lab_knot "$SECRET"
	services
	write_conf "web 8080"
	start_agent
	wait_for 3 status_has '.mappings[0].hairpin.result' no
	check "status: no NAT loopback" '.mappings[0].hairpin | "\(.address):\(.port) \(.result)"' "5.0.1.2:8080 no" "$LAB_DIR/status.json"
	check "status: the fix names the record and this host" '.mappings[0].hairpin.fix | test("address=/nas.example.com/192.168.1.10")' true "$LAB_DIR/status.json"
	lab_run host "$bin" status --config "$conf" > "$LAB_DIR/status.txt"
	check_eq "status text: the fix" "$(grep -c 'no NAT loopback: .*local-data: "nas.example.com. A 192.168.1.10"' "$LAB_DIR/status.txt")" 1
	check_eq "the log says it once" "$(grep -c 'does not answer from this LAN' "$LAB_DIR/agent.log")" 1
	stop_agent
	lab_hairpin rtr 5.0.1.2 192.168.1.10 8080
	start_agent
	wait_for 3 status_has '.mappings[0].hairpin.result' yes
	check "with NAT loopback: status says so" '.mappings[0].hairpin.result' yes "$LAB_DIR/status.json"
	check "no fix" '.mappings[0].hairpin.fix' null "$LAB_DIR/status.json"
	stop_agent
}

case_double_nat() {
	lab_setup double-nat
	lab_knot "$SECRET"
	write_conf "web 8080"
	start_agent
	check "verdict" .verdict double-nat "$LAB_DIR/status.json"
	check_eq "the house's public address in knot" "$(lab_dig nas.example.com)" 5.0.1.2
	n=$(updates_in_knot)
	lab_wan_change rtr 192.168.0.7/24 192.168.0.1
	wait_for 3 grep -q "the gateway announced" "$LAB_DIR/agent.log"
	check_eq "the announcement was heard" "$(grep -c 'the gateway announced a change: checking' "$LAB_DIR/agent.log")" 1
	wait_for 3 status_has .last_check.reason "the gateway announced a change"
	check_eq "the private address is not published" "$(lab_dig nas.example.com)" 5.0.1.2
	check_eq "no update sent for it" "$(updates_in_knot)" "$n"
	# The ISP's address changes: nobody on the LAN is told; SIGUSR1 checks.
	lab_wan_change isp 5.0.1.9/24 5.0.1.1
	kill -USR1 "$agent"
	wait_for 5 knot_has 5.0.1.9
	check_eq "SIGUSR1: the ISP's new address published" "$(lab_dig nas.example.com)" 5.0.1.9
	stop_agent
}

case_cgnat() {
	lab_setup cgnat
	lab_knot "$SECRET"
	write_conf "web 8080"
	start_agent
	check "verdict" .verdict cgnat "$LAB_DIR/status.json"
	lab_wan_change rtr 100.64.0.7/10 100.64.0.1
	wait_for 3 grep -q "the gateway announced" "$LAB_DIR/agent.log"
	check_eq "the announcement was heard" "$(grep -c 'the gateway announced a change: checking' "$LAB_DIR/agent.log")" 1
	wait_for 3 status_has .last_check.reason "the gateway announced a change"
	check_eq "no update sent" "$(updates_in_knot)" 0
	check_eq "knot keeps the old record" "$(lab_dig nas.example.com)" 192.0.2.9
	status_json
	check "nothing published" '.records[0].published' "" "$LAB_DIR/status.json"
	check "status says why" '.records[0].next | test("carrier-grade NAT")' true "$LAB_DIR/status.json"
	stop_agent
}

# layers_of SERVICE: how many layers status lists for its way in
layers_of() {
	jq -r --arg s "$1" '.mappings[] | select(.service == $s and .pinhole == false) | .layers | length' "$LAB_DIR/status.json"
}
outer_port() {
	jq -r --arg s "$1" '.mappings[] | select(.service == $s and .pinhole == false) | .external_port' "$LAB_DIR/status.json"
}
both_layers() { status_json && [ "$(layers_of web)" = 2 ] && [ "$(layers_of game)" = 2 ]; }

# kept_through_two NODE PUBLIC: the agent's services reached by a stranger
# through the home router and NODE; NODE's restart is repaired; SIGTERM
# cleans both.
kept_through_two() {
	local node=$1 public=$2 web game
	services udp
	write_conf "web 8080" "game 5353 udp"
	start_agent
	wait_for 8 both_layers
	check "web: two layers" '[.mappings[] | select(.service == "web") | .layers | length] | max' 2 "$LAB_DIR/status.json"
	check "web: the outer layer on $node" '.mappings[] | select(.service == "web") | .layers[1].external_address' "$public" "$LAB_DIR/status.json"
	web=$(outer_port web) game=$(outer_port game)
	check_eq "a stranger reaches the TCP service" "$(reach_tcp "$public" "$web")" hello-from-nas
	check_eq "a stranger reaches the UDP service" "$(reach_udp "$public" "$game")" pong
	wait_for 5 knot_has "$public"
	check_eq "the record names the outer address" "$(lab_dig nas.example.com)" "$public"
	check_eq "both layers recorded, as the agent's" "$(grep -c "^mapping.* $agent " "$LAB_DIR/state/state")" 4
	lab_upnpd_crash "$node"
	sleep 2
	lab_upnpd_start "$node"
	wait_for 10 eval '[ "$(reach_tcp "$public" "$web")" = hello-from-nas ]'
	check_eq "reachable again after $node's restart" "$(reach_tcp "$public" "$web")" hello-from-nas
	stop_agent
	check_eq "SIGTERM leaves the home router clean" "$(lab_upnpd_rules rtr)" 0
	check_eq "SIGTERM leaves $node clean" "$(lab_upnpd_rules "$node")" 0
	check_eq "and the state file" "$(grep -c '^mapping' "$LAB_DIR/state/state")" 0
}

case_cascade() {
	lab_setup double-nat-chain
	lab_knot "$SECRET"
	kept_through_two isp 5.0.1.2
}

case_carrier() {
	lab_setup cgnat-pcp
	lab_upnpd_told rtr 5.0.1.2
	lab_knot "$SECRET"
	kept_through_two cgn 5.0.1.2
}

case_carrier_anycast() {
	lab_setup cgnat-pcp-anycast
	lab_upnpd_told rtr 5.0.1.2
	lab_knot "$SECRET"
	kept_through_two cgn 5.0.1.2
	check_eq "found at the anycast address" \
		"$(grep -c 'the router in front, 192.0.0.9, maps too' "$LAB_DIR/agent.log")" 1
}

# The agent sees a lease file at dhclient's own path (a mount namespace
# of its own: nothing on this machine's /var/lib changes).
case_carrier_lease() {
	local d=$LAB_DIR/varlib
	LAB_PCP_AT=10.64.0.9 lab_setup cgnat-pcp-anycast
	lab_upnpd_told rtr 5.0.1.2
	lab_knot "$SECRET"
	mkdir -p "$d/dhcp"
	printf 'lease {\n  interface "eth0";\n  fixed-address 192.168.1.10;\n  option unknown-158 4:a:40:0:9;\n}\n' \
		> "$d/dhcp/dhclient.eth0.leases"
	AGENT_WRAP="unshare -m --propagation private sh -c 'mount --bind $d /var/lib && exec \"\$0\" \"\$@\"'" \
		kept_through_two cgn 5.0.1.2
	check_eq "found where the lease file said" \
		"$(grep -c 'the router in front, 10.64.0.9, maps too' "$LAB_DIR/agent.log")" 1
}

case_reboot() {
	lab_setup single-nat
	lab_knot "$SECRET"
	services
	write_conf "web 8080"
	start_agent
	check_eq "reachable" "$(reach_tcp 5.0.1.2 8080)" hello-from-nas
	lab_upnpd_crash rtr
	check_eq "unreachable while the router is down" "$(reach_tcp 5.0.1.2 8080)" ""
	sleep 3
	lab_upnpd_start rtr
	back=$(now_ms)
	ok=no
	for _ in $(seq 100); do
		[ "$(reach_tcp 5.0.1.2 8080)" = hello-from-nas ] && { ok=yes; break; }
		sleep 0.05
	done
	took=$(( $(now_ms) - back ))
	echo "info: reachable again $took ms after the router's return"
	check_eq "reachable again" "$ok" yes
	check_eq "within 2 seconds" "$([ "$took" -le 2000 ] && echo yes)" yes
	stop_agent
	check_eq "SIGTERM leaves the router clean" "$(lab_upnpd_rules rtr)" 0
}

case_reload() {
	lab_setup single-nat
	lab_knot "$SECRET"
	write_conf "web 8080" "game 5353 udp"
	start_agent
	wait_for 3 rules_are 2
	check_eq "two mappings" "$(lab_upnpd_rules rtr)" 2
	web=$(rule_handle 8080)
	write_conf "web 8080" "files 8081"
	kill -HUP "$agent"
	wait_for 3 has_rule_for 8081
	sleep 0.5
	check_eq "the added one is mapped" "$([ -n "$(rule_handle 8081)" ] && echo yes)" yes
	check_eq "the removed one is gone" "$(rule_handle 5353)" ""
	check_eq "the unchanged one is untouched" "$(rule_handle 8080)" "$web"
	check_eq "two mappings" "$(lab_upnpd_rules rtr)" 2
	check_eq "no other mapping made again" "$(grep -c 'mapping again' "$LAB_DIR/agent.log")" 0
	stop_agent
	check_eq "SIGTERM leaves the router clean" "$(lab_upnpd_rules rtr)" 0
	check_eq "and the state file" "$(grep -c '^mapping' "$LAB_DIR/state/state")" 0
}

case_restart() {
	lab_setup single-nat
	lab_knot "$SECRET"
	services
	write_conf "web 8080" "game 5353 udp"
	start_agent
	wait_for 3 rules_are 2
	wait_for 3 state_has_ddns	# the agent is settled: its record is written
	n=$(updates_in_knot)
	stop_agent KILL
	STUN="$LAB_STUN1, [$LAB_OBS6]:3478" write_conf "web 8080"	# game goes meanwhile
	start_agent
	wait_for 3 no_rule_for 5353
	check_eq "the orphan is removed" "$(rule_handle 5353)" ""
	check_eq "the kept one is there once" "$(lab_upnpd_rules rtr)" 1
	check_eq "its state record, once" "$(grep -c '^mapping' "$LAB_DIR/state/state")" 1
	check_eq "reachable" "$(reach_tcp 5.0.1.2 8080)" hello-from-nas
	check_eq "no DNS update for the same address" "$(updates_in_knot)" "$n"
	stop_agent
	# A corrupt state file: set aside, the agent starts afresh.
	echo "homereach-state 99" > "$LAB_DIR/state/state"
	start_agent
	check_eq "running" "$(jq -r .verdict "$LAB_DIR/status.json")" single-nat
	check_eq "set aside" "$(ls "$LAB_DIR/state" | grep -c 'state.bad-')" 1
	check_eq "said so" "$(grep -c 'set aside as' "$LAB_DIR/agent.log")" 1
	# No storm: the RFC 2136 record asks knot first and finds its address.
	check_eq "no update sent" "$(updates_in_knot)" "$n"
	check_eq "found in the DNS" "$(grep -c 'nas.example.com A updated (in-dns)' "$LAB_DIR/agent.log" | awk '{ print ($1 >= 1) ? "yes" : "no" }')" yes
	stop_agent
	check_eq "SIGTERM leaves the router clean" "$(lab_upnpd_rules rtr)" 0
}

# announce_from_gateway ADDR: a NAT-PMP announcement (RFC 6886 3.2.1) of
# ADDR to 224.0.0.1:5350 with the gateway's source address, as any LAN
# host can forge it.
announce_from_gateway() {
	lab_run rtr python3 -c 'import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("192.168.1.1"))
s.bind(("192.168.1.1", 0))
s.sendto(struct.pack("!BBHI4s", 0, 128, 0, 4000, socket.inet_aton(sys.argv[1])), ("224.0.0.1", 5350))' "$1"
}

case_intent() {
	lab_setup single-nat
	lab_knot "$SECRET"
	local orphans=0
	for ms in 0 2 4 6 8 10 13 16 20 30; do
		write_conf "web 8080"
		start_agent
		wait_for 3 rules_are 1
		write_conf "web 8080" "game 5353 udp"
		kill -HUP "$agent"
		sleep "0.0$(printf %02d "$ms")"
		stop_agent KILL 2>/dev/null
		write_conf "web 8080"
		start_agent
		wait_for 3 rules_are 1
		[ "$(lab_upnpd_rules rtr)" = 1 ] || { orphans=$((orphans + 1));
			echo "info: killed $ms ms after SIGHUP: $(lab_upnpd_rules rtr) rules"; }
		stop_agent
		lab_run rtr nft flush chain inet nat prerouting_miniupnpd	# next round clean
		rm -f "$LAB_DIR/state/state"
	done
	check_eq "no orphan after a kill at any moment" "$orphans" 0
}

case_rules() {
	lab_setup single-nat
	lab_knot "$SECRET"
	services
	write_conf "web 8080"
	start_agent
	wait_for 3 reachable
	check_eq "reached" "$(reach_tcp 5.0.1.2 8080)" hello-from-nas
	t0=$(now_ms)
	lab_run rtr nft flush chain inet nat prerouting_miniupnpd
	lab_run rtr nft flush chain inet filter miniupnpd
	check_eq "the rules are gone" "$(reach_tcp 5.0.1.2 8080)" ""
	wait_for 60 reachable
	t=$(( $(now_ms) - t0 ))
	echo "info: reachable again $t ms after the rules were dropped"
	check_eq "repaired within 60 s" "$([ "$t" -lt 60000 ] && echo yes || echo "no ($t ms)")" yes
	check_eq "the log stays quiet meanwhile" \
		"$(grep -c 'again, via\|mapping again' "$LAB_DIR/agent.log")" 0
}

case_forged() {
	lab_setup single-nat
	lab_knot "$SECRET"
	write_conf "web 8080"
	start_agent
	check_eq "first address in knot" "$(lab_dig nas.example.com)" 5.0.1.2
	n=$(updates_in_knot)
	announce_from_gateway 6.6.6.6
	sleep 1
	announce_from_gateway 6.6.6.6	# within 20 s: the audit's second one
	sleep 2
	check_eq "forged: knot still serves the house" "$(lab_dig nas.example.com)" 5.0.1.2
	check_eq "forged: no update sent" "$(updates_in_knot)" "$n"
	check_eq "forged: the announcement started a check" \
		"$(grep -c 'the gateway announced 6.6.6.6' "$LAB_DIR/agent.log")" 1
	status_json
	check "forged: status keeps the house's address" .public_ipv4 5.0.1.2 "$LAB_DIR/status.json"
	t0=$(now_ms)
	lab_wan_change rtr 5.0.1.9/24 5.0.1.1
	wait_for 5 knot_has 5.0.1.9
	check_eq "a real change: published" "$(lab_dig nas.example.com)" 5.0.1.9
	echo "info: new A record served $(( $(now_ms) - t0 )) ms after the WAN change"
	announce_from_gateway 6.6.6.6
	sleep 2
	check_eq "forged after it: knot keeps the new address" "$(lab_dig nas.example.com)" 5.0.1.9
}

# as_reader CMD...: CMD on the LAN host with the state directory mounted
# read-only for it alone: whatever it does, it cannot write the state.
as_reader() {
	lab_run host unshare -m sh -c 'mount --bind -o ro "$0" "$0" && exec "$@"' \
		"$LAB_DIR/state" "$@"
}
owner_pid_of() {	# the keeper's pid in the state file's record for PORT
	awk -v p="$1" '$1 == "mapping" && $3 == p { print $12 }' "$LAB_DIR/state/state"
}
has_owner() { [ -n "$(owner_pid_of 8080)" ]; }
no_owner() { [ -z "$(owner_pid_of 8080)" ]; }

reach_tcp6() {
	lab_run inet timeout 2 socat -T1 - "TCP6:[$LAB_V6_HOST]:$1" < /dev/null 2>/dev/null
}
reach_udp6() {
	lab_udp_ask inet "UDP6:[$LAB_V6_HOST]:$1"
}
pinholes() { lab_run rtr nft list chain inet filter miniupnpd | grep -c 0x2a05000500010000; }
pinholes_are() { [ "$(pinholes)" = "$1" ]; }
reached6() { [ "$(reach_tcp6 8080)" = hello-over-v6 ]; }

case_pinhole() {
	lab_setup single-nat-v6
	lab_knot "$SECRET"
	lab_bg host web6 socat TCP6-LISTEN:8080,fork,reuseaddr SYSTEM:'echo hello-over-v6'
	lab_bg host game6 socat UDP6-RECVFROM:5353,fork SYSTEM:'echo pong6'
	lab_wait_tcp host 8080
	lab_wait_udp host 5353
	# The outside check: a redirect server known by a name with A and
	# AAAA, asked over each family.
	lab_redirect_server "$bin" "$SECRET" "server_name = redir.example.com"
	STUN="$LAB_STUN1, [$LAB_OBS6]:3478" CHECK_URL=http://redir.example.com/check \
		write_conf "web 8080" "game 5353 udp"
	check_eq "closed before the agent" "$(reach_tcp6 8080)" ""
	start_agent
	wait_for 3 pinholes_are 2
	check_eq "TCP over IPv6" "$(reach_tcp6 8080)" hello-over-v6
	# One datagram may meet the pinhole while PCP renews it (delete, then
	# add: README, IPv6 pinholes): a client sends again, so does this.
	wait_for 3 eval '[ "$(reach_udp6 5353)" = pong6 ]'
	check_eq "UDP over IPv6" "$(reach_udp6 5353)" pong6
	status_json
	check_eq "status lists the pinholes" \
		"$(jq -r '[.mappings[] | select(.pinhole) | "\(.service):\(.external_address):\(.state)"] | sort | join(" ")' "$LAB_DIR/status.json")" \
		"game:$LAB_V6_HOST:mapped web:$LAB_V6_HOST:mapped"
	wait_for 8 checked_outside 4
	check_eq "each pinhole and mapping answers from outside" \
		"$(jq -r '[.mappings[] | "\(.service):\(if .pinhole then 6 else 4 end):\(.outside.result)"] | sort | join(" ")' "$LAB_DIR/status.json")" \
		"game:4:open game:6:open web:4:open web:6:open"
	check_eq "the IPv6 check came from the stable address" \
		"$(grep -q "check $LAB_V6_HOST port 8080/tcp: open" "$LAB_DIR/redirect.log" && echo yes)" yes
	check_eq "and the IPv4 mappings beside them" "$(lab_upnpd_rules rtr)" 2
	# map add while the agent runs: the agent keeps both ways in.
	lab_bg host extra6 socat TCP6-LISTEN:9090,fork,reuseaddr SYSTEM:'echo extra-over-v6'
	lab_wait_tcp host 9090
	out=$(lab_run host "$bin" map add 9090 --config "$conf" 2>&1)
	check_eq "map add asks the agent: both ways printed" \
		"$(echo "$out" | grep -c "9090/tcp is reachable at 5.0.1.2:9090 (via \|9090/tcp is reachable at \[$LAB_V6_HOST\]:9090 (a pinhole")" 2
	check_eq "its pinhole answers" "$(lab_run inet timeout 2 socat -T1 - "TCP6:[$LAB_V6_HOST]:9090" < /dev/null 2>/dev/null)" extra-over-v6
	lab_run host "$bin" map del 9090 --config "$conf" > /dev/null
	wait_for 3 pinholes_are 2
	check_eq "map del: the agent closes it" "$(pinholes)" 2
	lab_upnpd_crash rtr
	check_eq "closed while the router is down" "$(reach_tcp6 8080)" ""
	sleep 3
	lab_upnpd_start rtr
	back=$(now_ms)
	wait_for 4 reached6
	took=$(( $(now_ms) - back ))
	echo "info: reachable over IPv6 again $took ms after the router's return"
	check_eq "reachable again over IPv6" "$(reach_tcp6 8080)" hello-over-v6
	check_eq "within 2 seconds" "$([ "$took" -le 2000 ] && echo yes)" yes
	stop_agent KILL
	STUN="$LAB_STUN1, [$LAB_OBS6]:3478" write_conf "web 8080"	# game goes meanwhile
	start_agent
	wait_for 3 pinholes_are 1
	check_eq "after kill -9: the unwanted pinhole is removed" "$(pinholes)" 1
	check_eq "the kept one answers" "$(reach_tcp6 8080)" hello-over-v6
	stop_agent
	check_eq "SIGTERM leaves no pinhole" "$(pinholes)" 0
	check_eq "nor a mapping" "$(lab_upnpd_rules rtr)" 0
	check_eq "nor a record" "$(grep -c '^mapping' "$LAB_DIR/state/state")" 0
}

# checked_outside N: status shows N mappings and pinholes checked from outside
checked_outside() {
	status_json && [ "$(jq '[.mappings[] | select(.outside.result)] | length' "$LAB_DIR/status.json")" = "$1" ]
}

aaaa_is() { [ "$(lab_run inet kdig +short +timeout=1 @"$LAB_STUN1" nas.example.com AAAA)" = "$1" ]; }
printer_is() { [ "$(lab_run inet kdig +short +timeout=1 @"$LAB_STUN1" printer.example.com AAAA)" = "$1" ]; }
reached_at6() { [ "$(lab_run inet timeout 1 socat -T1 - "TCP6:[$1]:8080" < /dev/null 2>/dev/null)" = hello-over-v6 ]; }

case_renumber() {
	local new=2a05:5:2::10 t0 took
	lab_setup single-nat-v6
	lab_knot "$SECRET"
	lab_bg host web6 socat TCP6-LISTEN:8080,fork,reuseaddr SYSTEM:'echo hello-over-v6'
	lab_wait_tcp host 8080
	EXTRA_CONF=$(printf '[ddns printer]\nprovider = rfc2136\nhostname = printer.example.com\nrecord = AAAA\nipv6_suffix = ::1234\nserver = %s\nzone = example.com\ntsig_key = ddns-key.example.com\ntsig_secret_file = tsig.key' "$LAB_STUN1") \
		STUN="$LAB_STUN1, [$LAB_OBS6]:3478" RECORD=both write_conf "web 8080"
	start_agent
	wait_for 3 aaaa_is "$LAB_V6_HOST"
	wait_for 3 printer_is 2a05:5:1::1234
	check_eq "the printer's AAAA: the prefix and its suffix" \
		"$(printer_is 2a05:5:1::1234 && echo yes)" yes
	check_eq "AAAA published" "$(aaaa_is "$LAB_V6_HOST" && echo yes)" yes
	check_eq "reached at the first address" "$(reached_at6 "$LAB_V6_HOST" && echo yes)" yes
	# The ISP delegates another prefix: the router's LAN gets it, the
	# host's address follows; the router stays reachable on-link.
	lab_run inet ip -6 route add 2a05:5:2::/64 via "$LAB_V6_WAN"
	lab_run rtr ip -6 addr add 2a05:5:2::1/64 dev lan nodad
	t0=$(now_ms)
	lab_run host ip -6 -batch - <<-EOF
	addr add $new/64 dev eth0 nodad
	addr del $LAB_V6_HOST/64 dev eth0
	route add $LAB_V6_RTR/128 dev eth0
	route replace default via $LAB_V6_RTR
	EOF
	wait_for 5 aaaa_is "$new"
	took=$(( $(now_ms) - t0 ))
	echo "info: AAAA at the new address $took ms after the renumbering"
	check_eq "AAAA follows the prefix" "$(aaaa_is "$new" && echo yes)" yes
	check_eq "within 2 s (timed in bench/, not here)" "$([ "$took" -le 2000 ] && echo yes)" yes
	wait_for 3 printer_is 2a05:5:2::1234
	check_eq "the printer's AAAA follows the prefix" \
		"$(printer_is 2a05:5:2::1234 && echo yes)" yes
	wait_for 3 reached_at6 "$new"
	took=$(( $(now_ms) - t0 ))
	echo "info: reached at the new address $took ms after the renumbering"
	check_eq "reached at the new address" "$(reached_at6 "$new" && echo yes)" yes
	check_eq "the pinhole within 2 s" "$([ "$took" -le 2000 ] && echo yes)" yes
	check_eq "the state keeps the new pinhole only" \
		"$(grep '^mapping tcp 8080 .* 2a05:5:1::1 ' "$LAB_DIR/state/state" | awk '{ print $7 }')" "$new"
	check_eq "said why the old one stays until its lease ends" \
		"$(grep -c 'no longer has 2a05:5:1::10' "$LAB_DIR/agent.log")" 1
	stop_agent
}

case_owner() {
	lab_setup single-nat
	lab_knot "$SECRET"
	services
	write_conf
	# Without an agent first: what map add prints, in words and as JSON.
	lab_run host "$bin" map add 8080 --config "$conf" > "$LAB_DIR/alone.txt" 2>&1
	lab_run host "$bin" map add 8080 --json --config "$conf" > "$LAB_DIR/alone.json" 2>&1
	lab_run host "$bin" map del 8080 --config "$conf" > /dev/null 2>&1
	start_agent
	t0=$(now_ms)
	out=$(as_reader "$bin" map add 8080 --config "$conf" 2>&1)
	check_eq "map add asks the agent" "$?" 0
	echo "info: $out ($(( $(now_ms) - t0 )) ms)"
	check_eq "it prints the mapping" "$(echo "$out" | grep -c '8080/tcp is reachable at 5.0.1.2:8080 (via ')" 1
	check_eq "the same words as without an agent" "$out" "$(cat "$LAB_DIR/alone.txt")"
	check_eq "the same JSON object as without an agent" \
		"$(as_reader "$bin" map add 8080 --json --config "$conf" 2>&1 | jq -S -c .)" \
		"$(jq -S -c . "$LAB_DIR/alone.json")"
	status_json
	check "status lists it" '.mappings[] | select(.service == "map-8080-tcp") | .state' mapped "$LAB_DIR/status.json"
	check_eq "it answers from outside" "$(reach_tcp 5.0.1.2 8080)" hello-from-nas
	wait_for 2 has_owner
	pid=$(owner_pid_of 8080)
	check_eq "the state's record is the agent's" \
		"$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -c "agent --config $conf")" 1
	lab_upnpd_crash rtr
	sleep 1
	lab_upnpd_start rtr
	wait_for 5 reachable
	check_eq "the agent keeps it (made again after a router restart)" \
		"$(reach_tcp 5.0.1.2 8080)" hello-from-nas
	out=$(as_reader "$bin" ddns update --config "$conf" 2>&1)
	check_eq "ddns update asks the agent" "$?" 0
	check_eq "and says so" "$(echo "$out" | grep -c 'asked the running agent')" 1
	out=$(as_reader "$bin" map del 8080 --config "$conf" 2>&1)
	check_eq "map del asks the agent" "$?" 0
	wait_for 3 no_rule_for 8080
	check_eq "the router's rule is gone" "$(rule_handle 8080)" ""
	status_json
	check_eq "status no longer lists it" "$(jq '[.mappings[] | select(.service == "map-8080-tcp")] | length' "$LAB_DIR/status.json")" 0
	wait_for 2 no_owner
	check_eq "nor the state file" "$(owner_pid_of 8080)" ""
	stop_agent
	out=$(as_reader "$bin" map add 8080 --config "$conf" 2>&1)
	check_eq "without an agent, a read-only state is refused as before" "$?" 1
}

case_one_writer() {
	local out flags
	lab_setup single-nat
	services
	write_conf "web 8080"
	start_agent
	wait_for 3 status_has '.mappings[0].state' mapped
	wait_for 3 state_has_ddns	# the DNS helper's report folded in too
	cp "$LAB_DIR/state/state" "$LAB_DIR/state.before"
	for flags in "--stun $LAB_STUN1" "--via pcp" "--upstream 5.0.0.1" "--keep"; do
		out=$(lab_run host "$bin" map add 9000 $flags --config "$conf" 2>&1)
		check_eq "map add $flags: refused" "$?" 1
		check_eq "map add $flags: one line that says why" \
			"$(echo "$out" | grep -c 'an agent keeps the state in .* is not told --via, --upstream, --stun or --keep')" 1
	done
	out=$(lab_run host "$bin" map del 8080 --via pcp --config "$conf" 2>&1)
	check_eq "map del --via: refused" "$?" 1
	check_eq "nothing mapped on 9000" "$(rule_handle 9000)" ""
	check_eq "the state is the agent's alone" "$(diff "$LAB_DIR/state.before" "$LAB_DIR/state/state" > /dev/null && echo same)" same
	lab_run host "$bin" map add 9100 --config "$conf" > /dev/null 2>&1
	check_eq "a plain map add goes to the agent" "$(grep -c '^mapping tcp 9100 ' "$LAB_DIR/state/state")" 1
	check_eq "the agent's own record survives its save" "$(grep -c '^mapping tcp 8080 ' "$LAB_DIR/state/state")" 1
	out=$(lab_run host "$bin" map add 9200 --via pcp --state-dir "$LAB_DIR/own" 2>&1)
	check_eq "--state-dir: a state of one's own" "$?" 0
	lab_run host "$bin" map del 9200 --state-dir "$LAB_DIR/own" > /dev/null 2>&1
	stop_agent
	check_eq "the agent's stop leaves nothing on the router" "$(lab_upnpd_rules rtr)" 0
}

"case_${case_//-/_}"
finish
