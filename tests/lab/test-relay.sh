#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test-relay.sh CASE HOMEREACH: the relay server (WireGuard through
# wireguard-go: this kernel has no module) on a small server with a
# public address (lab_vps), homes behind a carrier NAT that maps per
# destination (cgnat-symmetric), where nothing else gets in.
#   server   relay-server add-home gives two homes keys, tunnel addresses
#            and ports; the home's side is set up by hand from the
#            [relay] section it wrote, its ports asked by a PCP client
#            of the test's own (pcp_map.py): the home's own ports only,
#            UDP apart, a quota; a stranger reaches the home's TCP and
#            UDP service at the relay's address and the port given, and
#            the service sees the stranger's own address; the home
#            reaches neither the other home nor the internet through the
#            tunnel; the other home's ports lead nowhere; SIGHUP takes a
#            new home; SIGTERM takes the rules and the interface away;
#            started again it forwards nothing until asked, and gives
#            each service the port it had
#   agent    the same home with the [relay] section pasted into its
#            homereach.conf: the agent finds no better way in (no port
#            can be held), brings the tunnel up and relays each service;
#            (ports asked of the relay over the tunnel, PCP); a
#            stranger reaches both with its own address seen, knot
#            serves the relay's address and the ports (A, SRV); the
#            relay restarts and the home's port answers again; SIGTERM
#            takes the home's tunnel and rules away; the home starts
#            again with a new service first: the old ones keep their
#            ports
#   homes    twenty homes on one relay: each reached at its own ports,
#            none reaching another
#   better   a router that maps nothing (no-mapping): relayed; it starts
#            mapping: the service leaves the relay, the records follow
#   publish  an HTTPS record with the relay's port, the redirect
#            server's 307 to it; check_url does not judge relayed ports
#   caps     the agent as its unit runs it (a user of its own, CAP_NET_ADMIN
#            ambient): dropped without a [relay], kept with one, and
#            passed to no hook
#   failover two relays in the home's configuration (two servers): the
#            first is used; it drops off the internet: the service and
#            the records move to the second within 15 s
here=$(dirname "$(realpath "$0")")
. "$here/lab.sh"
lab_test_init "$@"
. "$here/agent.sh"

# relay_conf [DIR ADDRESS IF]: wireguard-go's socket is named after its
# interface in the one /var/run of every namespace: two relays, two names
relay_conf() {
	local dir=${1:-$LAB_DIR/relay} at=${2:-$LAB_VPS} wg=${3:-hr${LAB_ID}r}
	mkdir -p "$dir"
	cat > "$dir/relay.conf" <<-CONF
	[relay-server]
	listen = $at:51820
	ports = 20000-20999
	homes_file = $dir/homes
	key_file = $dir/relay.key
	interface = $wg
	CONF
}
field() { sed -n "s/^$1 = //p" "$2"; }	# field KEY FILE

# home NODE SECTION IF: the home's side, as the [relay] section says:
# its tunnel, replies to what came through it routed back through it, and
# what the relay forwards (to the services' own ports, TCP 8080 and UDP
# 5353) led on to the host's LAN address: a UDP service bound to any
# address answers from the address its route picks, which must be the
# one the packet was sent to (a redirect to the tunnel's own address
# loses every UDP answer). The ports are asked with pcp (below).
home() {	# home NODE SECTION IF [SERVICE-ADDRESS]
	local node=$1 sec=$2 wg=$3 to=${4:-192.168.1.10}
	field private_key "$sec" > "$LAB_DIR/$wg.key"
	chmod 600 "$LAB_DIR/$wg.key"
	lab_bg "$node" "$wg" wireguard-go -f "$wg"
	for _ in $(seq 100); do [ -S "/var/run/wireguard/$wg.sock" ] && break; sleep 0.02; done
	lab_run "$node" wg set "$wg" private-key "$LAB_DIR/$wg.key" peer "$(field server_key "$sec")" \
		endpoint "$(field server "$sec")" allowed-ips 0.0.0.0/0 persistent-keepalive 25
	lab_run "$node" ip addr add "$(field address "$sec")/24" dev "$wg"
	lab_run "$node" ip link set "$wg" up
	lab_run "$node" nft -f - <<-NFT
	table ip relayhome {
	    chain pre { type nat hook prerouting priority dstnat;
	        iifname "$wg" tcp dport 8080 dnat to $to:8080
	        iifname "$wg" udp dport 5353 dnat to $to:5353
	    }
	    chain tag { type filter hook prerouting priority mangle;
	        iifname "$wg" ct mark set 0x4852
	    }
	    chain reply { type route hook output priority mangle;
	        ct mark 0x4852 meta mark set 0x4852
	    }
	}
	NFT
	lab_run "$node" ip rule add fwmark 0x4852 table 4852
	lab_run "$node" ip route add default dev "$wg" table 4852
}

# pcp NODE CLIENT tcp|udp PORT LIFETIME [SUGGESTED]: a MAP asked of the
# relay over the tunnel by a client of the test's own: "RESULT PORT
# ADDRESS" (the epoch left out)
pcp() {
	lab_run "$1" python3 "$here/pcp_map.py" 10.77.0.1 "${@:2}" | cut -d' ' -f1-3
}

# relay_up: the relay-server running on the vps (relay_conf first)
relay_up() {	# relay_up [NODE DIR IF]
	local node=${1:-vps} dir=${2:-$LAB_DIR/relay} wg=${3:-hr${LAB_ID}r}
	lab_spawn "$node" "$bin" -v relay-server --config "$dir/relay.conf" \
		> "$dir.log" 2>&1
	relay=$LAB_PID
	for _ in $(seq 150); do lab_run "$node" ip link show "$wg" 2>/dev/null | grep -q UP && break; sleep 0.02; done
}
way_kind() { status_json && [ "$(jq -r --arg s "$1" '.mappings[] | select(.service == $s and .pinhole == false) | "\(.kind) \(.state)"' "$LAB_DIR/status.json")" = "relay mapped" ]; }

case_agent() {
	local sec relay t0
	lab_setup cgnat-symmetric
	lab_vps
	lab_knot "$SECRET"
	relay_conf
	(cd "$LAB_DIR/relay" && "$bin" relay-server add-home alice --config relay.conf > /dev/null)
	sec=$LAB_DIR/relay/alice.relay.conf
	relay_up
	lab_bg host web socat TCP-LISTEN:8080,fork,reuseaddr SYSTEM:'echo hello-from-$SOCAT_PEERADDR'
	lab_bg host game socat UDP-RECVFROM:5353,fork SYSTEM:'echo pong-$SOCAT_PEERADDR'
	lab_wait_tcp host 8080
	EXTRA_CONF="$(grep -v '^#' "$sec"; echo "interface = hr${LAB_ID}h")" \
		write_conf "web 8080" "game 5353 udp"
	start_agent
	wait_for 20 way_kind web && wait_for 5 way_kind game
	check "web goes through the relay" '.mappings[] | select(.service == "web") | "\(.kind) \(.external_address):\(.external_port)"' \
		"relay $LAB_VPS:20000" "$LAB_DIR/status.json"
	check "and game, UDP: the same number (a port space of its own)" '.mappings[] | select(.service == "game") | .external_port' 20000 "$LAB_DIR/status.json"
	wait_for 10 eval '[ -n "$(lab_run inet socat -T2 - TCP:$LAB_VPS:20000,bind=5.0.0.2,connect-timeout=1 2>/dev/null)" ]'
	check_eq "a stranger reaches the TCP service, seen with its own address" \
		"$(lab_run inet socat -T2 - TCP:$LAB_VPS:20000,bind=5.0.0.2 2>/dev/null)" hello-from-5.0.0.2
	check_eq "and the UDP service" \
		"$(echo ping | lab_run inet socat -T2 - UDP:$LAB_VPS:20000,bind=5.0.0.2 2>/dev/null)" pong-5.0.0.2
	wait_for 10 eval 'grep -q "service web: port 20000 answers from outside" "$LAB_DIR/agent.log"'
	check_eq "the outside check through the relay (from this host, over the internet)" \
		"$(grep -c "service web: port 20000 answers from outside over IPv4" "$LAB_DIR/agent.log")" 1
	wait_for 5 eval '[ "$(lab_dig nas.example.com)" = "$LAB_VPS" ]'
	check_eq "the A record names the relay" "$(lab_dig nas.example.com)" "$LAB_VPS"
	check_eq "an SRV record the port" \
		"$(lab_run inet kdig +short @"$LAB_STUN1" _web._tcp.nas.example.com SRV 2>/dev/null)" \
		"0 0 20000 nas.example.com."
	check_eq "the key is in no log" "$(grep -c "$(field private_key "$sec")" "$LAB_DIR/agent.log")" 0
	# The relay restarts: the home keeps its port (the homes file), and
	# its tunnel comes back by itself (keep-alives from the home).
	kill "$relay"; wait "$relay" 2>/dev/null
	relay_up
	t0=$(now_ms)
	wait_for 10 eval '[ -n "$(lab_run inet socat -T2 - TCP:$LAB_VPS:20000,bind=5.0.0.2,connect-timeout=1 2>/dev/null)" ]'
	echo "relay restart: the port answers again after $(( $(now_ms) - t0 )) ms"
	check_eq "after the relay's restart: the same port answers (within 10 s: a handshake at once)" \
		"$(lab_run inet socat -T2 - TCP:$LAB_VPS:20000,bind=5.0.0.2 2>/dev/null)" hello-from-5.0.0.2
	stop_agent
	check_eq "SIGTERM: the home's tunnel gone" "$(lab_run host ip link show "hr${LAB_ID}h" 2>/dev/null | grep -c .)" 0
	check_eq "and its rules" "$(lab_run host nft list tables 2>/dev/null | grep -c relayhome)" 0
	check_eq "and its route" "$(lab_run host ip rule | grep -c 0x4852)" 0
	# (the home router's refusals before the relay stay on record as
	# intents, for the next start to clear, as anywhere)
	check_eq "and the state: no relayed port" "$(grep -c '^mapping.* relay ' "$LAB_DIR/state/state")" 0
	# The home starts again with a new service first: web and game get
	# their ports back (the relay keeps them in its grants file, whatever
	# the home forgot), the new one the next free.
	EXTRA_CONF="$(grep -v '^#' "$sec"; echo "interface = hr${LAB_ID}h")" \
		write_conf "ssh 2222" "web 8080" "game 5353 udp"
	start_agent
	wait_for 20 way_kind ssh && wait_for 5 way_kind web && wait_for 5 way_kind game
	check "the agent started again: web's port" '.mappings[] | select(.service == "web") | .external_port' 20000 "$LAB_DIR/status.json"
	check "and game's" '.mappings[] | select(.service == "game") | .external_port' 20000 "$LAB_DIR/status.json"
	check "the new service: the next free" '.mappings[] | select(.service == "ssh") | .external_port' 20001 "$LAB_DIR/status.json"
	stop_agent
	kill "$relay"
}

# The home router starts mapping (miniupnpd comes up): at the next check
# the services leave the relay for the mapping, and the records follow.
case_better() {
	local sec relay
	lab_setup no-mapping
	lab_vps
	lab_knot "$SECRET"
	relay_conf
	(cd "$LAB_DIR/relay" && "$bin" relay-server add-home alice --config relay.conf > /dev/null)
	sec=$LAB_DIR/relay/alice.relay.conf
	relay_up
	lab_bg host web socat TCP-LISTEN:8080,fork,reuseaddr SYSTEM:'echo hello-from-$SOCAT_PEERADDR'
	lab_wait_tcp host 8080
	EXTRA_CONF="$(grep -v '^#' "$sec"; echo "interface = hr${LAB_ID}h")" write_conf "web 8080"
	start_agent
	wait_for 20 way_kind web
	check "a router that maps nothing: through the relay" '.mappings[0].kind' relay "$LAB_DIR/status.json"
	wait_for 5 eval '[ "$(lab_dig nas.example.com)" = "$LAB_VPS" ]'
	check_eq "the A record names the relay" "$(lab_dig nas.example.com)" "$LAB_VPS"
	lab_upnpd rtr wan lan 192.168.1.0/24 "Home Router" "HR-100"
	kill -USR1 "$agent"
	wait_for 20 status_has '.mappings[0].kind + " " + .mappings[0].state' "mapping mapped"
	check "the router maps now: the service leaves the relay" '.mappings[0].kind' mapping "$LAB_DIR/status.json"
	check_eq "a stranger reaches it at the home's own address" \
		"$(lab_run inet socat -T2 - TCP:5.0.1.2:8080,bind=5.0.0.2 2>/dev/null)" hello-from-5.0.0.2
	wait_for 5 eval '[ "$(lab_dig nas.example.com)" = 5.0.1.2 ]'
	check_eq "the A record follows" "$(lab_dig nas.example.com)" 5.0.1.2
	check_eq "the tunnel is down" "$(lab_run host ip link show "hr${LAB_ID}h" 2>/dev/null | grep -c .)" 0
	stop_agent
	kill "$relay"
}

# Twenty homes on one relay, each a namespace of its own on the lab's
# internet with its tunnel set up from its section: each home's port
# leads to that home and no other, and no home reaches another's tunnel
# address.
# Two relays, a section of each in the home's configuration: the first
# is used; its server drops off the internet, and within 15 s the
# services and the records are at the second.
case_failover() {
	local relay relay2 t0 moved
	lab_setup cgnat-symmetric
	lab_vps
	lab_vps vps2 5.0.4.5
	lab_knot "$SECRET"
	relay_conf
	relay_conf "$LAB_DIR/relay2" 5.0.4.5 "hr${LAB_ID}s"
	(cd "$LAB_DIR/relay" && "$bin" relay-server add-home alice --config relay.conf > /dev/null)
	(cd "$LAB_DIR/relay2" && "$bin" relay-server add-home alice --config relay.conf > /dev/null)
	relay_up vps2 "$LAB_DIR/relay2" "hr${LAB_ID}s"
	relay2=$relay
	relay_up vps "$LAB_DIR/relay"
	lab_bg host web socat TCP-LISTEN:8080,fork,reuseaddr SYSTEM:'echo hello-from-$SOCAT_PEERADDR'
	lab_wait_tcp host 8080
	AGENT_CONF="web_listen = 127.0.0.1:8480" \
	EXTRA_CONF="$(grep -hv '^#' "$LAB_DIR/relay/alice.relay.conf"; echo "interface = hr${LAB_ID}h"
		grep -hv '^#' "$LAB_DIR/relay2/alice.relay.conf"; echo "interface = hr${LAB_ID}h")" \
		write_conf "web 8080"
	start_agent
	wait_for 20 way_kind web
	check "the first relay" '.mappings[] | select(.service == "web") | "\(.kind) \(.external_address):\(.external_port)"' \
		"relay $LAB_VPS:20000" "$LAB_DIR/status.json"
	wait_for 5 eval '[ "$(lab_dig nas.example.com)" = "$LAB_VPS" ]'
	check_eq "the A record names it" "$(lab_dig nas.example.com)" "$LAB_VPS"
	lab_run vps ip link set eth0 down	# the server is gone from the internet
	t0=$(now_ms)
	wait_for 20 eval '[ "$(lab_dig nas.example.com)" = 5.0.4.5 ]'
	moved=$(( $(now_ms) - t0 ))
	echo "failover: records at the second relay after $moved ms"
	check_eq "it stops answering: the A record names the second" "$(lab_dig nas.example.com)" 5.0.4.5
	wait_for 5 way_kind web
	check "the service at the second relay" '.mappings[] | select(.service == "web") | "\(.kind) \(.external_address):\(.external_port)"' \
		"relay 5.0.4.5:20000" "$LAB_DIR/status.json"
	wait_for 10 eval '[ -n "$(lab_run inet socat -T2 - TCP:5.0.4.5:20000,bind=5.0.0.2,connect-timeout=1 2>/dev/null)" ]'
	check_eq "a stranger reaches it there, seen with its own address" \
		"$(lab_run inet socat -T2 - TCP:5.0.4.5:20000,bind=5.0.0.2 2>/dev/null)" hello-from-5.0.0.2
	check_eq "within 15 s (10 s of silence)" "$([ "$moved" -lt 15000 ] && echo yes)" yes
	check "the timeline (newest first): the relay in use, then the next" \
		'[.events[] | select(.event == "relay-changed") | "\(.old) \(.new)"] | join(",")' \
		"$LAB_VPS:51820 5.0.4.5:51820,none $LAB_VPS:51820" "$LAB_DIR/status.json"
	check "status: the one passed over" '.relay.passed_over[0].server' "$LAB_VPS:51820" "$LAB_DIR/status.json"
	lab_run host "$bin" status --config "$conf" > "$LAB_DIR/status.txt"
	check_eq "status, for a person: the relay in use" \
		"$(grep -c '^relay:    IPv4 comes in at 5.0.4.5 (WireGuard to 5.0.4.5:51820), answered [0-9]* s ago$' "$LAB_DIR/status.txt")" 1
	check_eq "and the one passed over" \
		"$(grep -c "^          $LAB_VPS:51820 passed over for [0-9]* s more: it stopped answering$" "$LAB_DIR/status.txt")" 1
	lab_run host curl -s http://127.0.0.1:8480/metrics > "$LAB_DIR/metrics"
	check_eq "metrics: the relay in use" "$(grep -c '^homereach_relay_in_use{address="5.0.4.5"} 1$' "$LAB_DIR/metrics")" 1
	check_eq "and one passed over" "$(grep -c '^homereach_relays_passed_over 1$' "$LAB_DIR/metrics")" 1
	browse http://127.0.0.1:8480/ relay-page
	check_eq "the page draws the relay after the internet" \
		"$(python3 "$here/dom.py" text:node-internet text:node-relay < "$LAB_DIR/relay-page.html" |
			sed 's/answered [0-9]* s ago/answered N s ago/' | tr '\n' '|')" \
		"Internet 5.0.1.2|Relay 5.0.4.5 WireGuard from 5.0.4.5:51820 answered N s ago|"
	check_eq "and that the relayed port answers from outside" \
		"$(python3 "$here/dom.py" within:services:service < "$LAB_DIR/relay-page.html") $(grep -c '<td><span class="ok"[^>]*>open</span></td>' "$LAB_DIR/relay-page.html")" \
		"web 1"
	check_eq "and says where strangers come in" \
		"$(python3 "$here/dom.py" text:inbound < "$LAB_DIR/relay-page.html")" \
		"inbound IPv4 comes through the relay 5.0.4.5"
	# SIGHUP with the sections gone: the services leave the relay, its
	# tunnel goes down
	AGENT_CONF="web_listen = 127.0.0.1:8480" EXTRA_CONF= write_conf "web 8080"
	kill -HUP "$agent"
	wait_for 10 eval '! lab_run host ip link show "hr${LAB_ID}h" > /dev/null 2>&1'
	check_eq "SIGHUP without [relay]: the tunnel gone" \
		"$(lab_run host ip link show "hr${LAB_ID}h" 2>/dev/null | grep -c .)" 0
	status_json
	check "and the timeline says so" \
		'[.events[] | select(.event == "relay-changed")][0] | "\(.old) \(.new)"' \
		"5.0.4.5:51820 none" "$LAB_DIR/status.json"
	stop_agent
	kill "$relay" "$relay2" 2>/dev/null
}

# Published like every way in: an HTTPS record for a web site over TLS
# with the relay's address and port, the redirect server's 307 to them;
# with check_url set, a relayed port is tried from this host, not judged
# by check_url (which would connect back to the carrier's address).
case_publish() {
	local relay web site
	lab_setup cgnat-symmetric
	lab_vps
	lab_knot "$SECRET"
	lab_redirect_server "$bin" "$SECRET"
	lab_redirect_user "$bin" www.example.com redirect-pa55word
	relay_conf
	(cd "$LAB_DIR/relay" && "$bin" relay-server add-home alice --config relay.conf > /dev/null)
	relay_up
	lab_bg host web socat TCP-LISTEN:8080,fork,reuseaddr SYSTEM:'echo hello-from-nas'
	lab_bg host site socat TCP-LISTEN:443,fork,reuseaddr SYSTEM:'echo hello-over-443'
	lab_wait_tcp host 8080 && lab_wait_tcp host 443
	mkdir -p "$LAB_DIR/conf"
	printf 'redirect-pa55word\n' > "$LAB_DIR/conf/www.pass"
	chmod 600 "$LAB_DIR/conf/www.pass"
	EXTRA_CONF="$(grep -v '^#' "$LAB_DIR/relay/alice.relay.conf"; echo "interface = hr${LAB_ID}h")
[ddns www]
provider = redirect
server = https://$LAB_REDIRECT
hostname = www.example.com
username = www.example.com
password_file = www.pass
ca_file = $LAB_DIR/ca/ca.pem
service = web" CHECK_URL="http://$LAB_REDIRECT/check" write_conf "web 8080" "site 443"
	start_agent
	wait_for 20 way_kind web && wait_for 5 way_kind site
	web=$(jq -r '.mappings[] | select(.service == "web" and .pinhole == false) | .external_port' "$LAB_DIR/status.json")
	site=$(jq -r '.mappings[] | select(.service == "site" and .pinhole == false) | .external_port' "$LAB_DIR/status.json")
	wait_for 10 eval '[ -n "$(lab_run inet kdig +short @"$LAB_STUN1" nas.example.com HTTPS 2>/dev/null)" ]'
	check_eq "a web site over TLS: an HTTPS record with the relay's port and address" \
		"$(lab_run inet kdig +short @"$LAB_STUN1" nas.example.com HTTPS 2>/dev/null)" \
		"1 . port=$site ipv4hint=$LAB_VPS"
	check_eq "where a stranger reaches it" \
		"$(lab_run inet socat -T2 - TCP:$LAB_VPS:$site 2>/dev/null)" hello-over-443
	wait_for 10 sh -c "[ \"\$(ip netns exec $(lab_ns inet) curl -s -o /dev/null -w '%{redirect_url}' --max-time 2 http://www.example.com/a)\" = http://$LAB_VPS:$web/a ]"
	check_eq "the redirect server sends visitors to the relay's address and port" \
		"$(lab_run inet curl -s -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 5 'http://www.example.com/a?b=c')" \
		"307 http://$LAB_VPS:$web/a?b=c"
	wait_for 10 eval 'grep -q "service web: port $web answers from outside" "$LAB_DIR/agent.log"'
	check_eq "check_url set: the relayed ports tried from here answer" \
		"$(grep -c -e "web: port $web answers from outside" -e "site: port $site answers from outside" "$LAB_DIR/agent.log")" 2
	check_eq "and none is said not to (check_url would have)" \
		"$(grep -c "does not answer from outside" "$LAB_DIR/agent.log")" 0
	stop_agent
	kill "$relay"
}

# The agent as its systemd unit starts it: a user of its own (nobody
# here) given CAP_NET_ADMIN as an ambient capability. Without a [relay]
# it drops it at once; with one it keeps it, and a hook it runs (at the
# event relay-changed) has none.
case_caps() {
	local caps='--inh-caps=+net_admin --ambient-caps=+net_admin'
	lab_setup cgnat-symmetric
	lab_vps
	relay_conf
	(cd "$LAB_DIR/relay" && "$bin" relay-server add-home alice --config relay.conf > /dev/null)
	printf '#!/bin/sh\ngrep -E "^Cap(Eff|Amb)" /proc/self/status > %s/hook.caps\n' \
		"$LAB_DIR/out" > "$LAB_DIR/hook.sh"
	chmod 755 "$LAB_DIR/hook.sh" && chmod 711 "$LAB_DIR"
	mkdir -p "$LAB_DIR/state" "$LAB_DIR/run" "$LAB_DIR/out"
	AGENT_WRAP="setpriv --reuid=65534 --regid=65534 --clear-groups $caps"
	write_conf "web 8080"
	chown -R 65534:65534 "$LAB_DIR/conf" "$LAB_DIR/state" "$LAB_DIR/run" "$LAB_DIR/out"
	start_agent
	wait_for 10 status_json
	check_eq "no [relay]: the capability given is dropped" \
		"$(grep -E '^Cap(Prm|Eff|Amb)' "/proc/$agent/status" | awk '{print $2}' | sort -u)" 0000000000000000
	stop_agent
	EXTRA_CONF="$(grep -v '^#' "$LAB_DIR/relay/alice.relay.conf"; echo "interface = hr${LAB_ID}h"
		printf '[hook caps]\nevents = relay-changed\nexec = %s\n' "$LAB_DIR/hook.sh")" \
		write_conf "web 8080"
	chown -R 65534:65534 "$LAB_DIR/conf"
	start_agent
	wait_for 30 eval '[ -s "$LAB_DIR/out/hook.caps" ]'
	check_eq "a [relay]: kept (CAP_NET_ADMIN, bit 12), for the tunnel's programs" \
		"$(sed -n 's/^CapEff:[[:space:]]*//p' "/proc/$agent/status")" 0000000000001000
	check_eq "and for no child but them: a hook has none" \
		"$(awk '{print $2}' "$LAB_DIR/out/hook.caps" | sort -u)" 0000000000000000
	stop_agent
}

case_homes() {
	local i sec addr got=0 crossed=0 stolen=0 relay port made=()
	lab_setup public
	lab_vps
	relay_conf
	for i in $(seq 20); do
		lab_node "h$i"
		lab_link inet "hv$i" "5.0.3.$((i * 4 + 1))/30" "h$i" eth0 "5.0.3.$((i * 4 + 2))/30"
		lab_run "h$i" ip route add default via "5.0.3.$((i * 4 + 1))"
		(cd "$LAB_DIR/relay" && "$bin" relay-server add-home "home$i" --config relay.conf > /dev/null) || echo "add-home home$i failed" >&2
	done
	relay_up
	for i in $(seq 20); do
		sec=$LAB_DIR/relay/home$i.relay.conf addr=5.0.3.$((i * 4 + 2))
		lab_bg "h$i" "web$i" socat TCP-LISTEN:8080,fork,reuseaddr SYSTEM:"echo home$i"
		home "h$i" "$sec" "hr${LAB_ID}w$i" "$addr" &	# twenty at once
		made+=($!)
	done
	wait "${made[@]}"
	for i in $(seq 20); do	# each asks for its port, and for the next home's
		sec=$LAB_DIR/relay/home$i.relay.conf
		wait_for 10 eval '[ "$(pcp "h$i" "$(field address "$sec")" tcp 8080 600)" != silence ]'
		port=$(pcp "h$i" "$(field address "$sec")" tcp 9 600 $(( 20000 + (i % 20) * 10 )) | cut -d' ' -f2)
		[ "$port" -ge $(( 20000 + (i - 1) * 10 )) ] && [ "$port" -lt $(( 20000 + i * 10 )) ] ||
			stolen=$((stolen + 1))
	done
	check_eq "a home asking for another's port gets one of its own" "$stolen" 0
	for i in $(seq 20); do
		port=$(( 20000 + (i - 1) * 10 ))
		wait_for 5 eval '[ -n "$(lab_run inet socat -T1 - TCP:$LAB_VPS:$port,connect-timeout=1 2>/dev/null)" ]'
		[ "$(lab_run inet socat -T2 - TCP:$LAB_VPS:$port 2>/dev/null)" = "home$i" ] && got=$((got + 1))
		lab_run "h$i" ping -c1 -W1 -I "hr${LAB_ID}w$i" "10.77.0.$(( i % 20 + 2 ))" > /dev/null 2>&1 &&
			crossed=$((crossed + 1))
	done
	check_eq "each of twenty homes reached at its own ports" "$got" 20
	check_eq "no home reaches another through the relay" "$crossed" 0
	check_eq "twenty peers" "$(lab_run vps wg show "hr${LAB_ID}r" peers | grep -c .)" 20
	kill "$relay"
}

case_server() {
	local sec relay wg=hr${LAB_ID}a
	lab_setup cgnat-symmetric
	lab_vps
	relay_conf
	check_eq "add-home: a first home" \
		"$(cd "$LAB_DIR/relay" && "$bin" relay-server add-home alice --config relay.conf 2>&1 | head -1)" \
		"home alice: tunnel address 10.77.0.2, public ports 20000-20009 on $LAB_VPS:51820"
	sec=$LAB_DIR/relay/alice.relay.conf
	check_eq "its section is the home's alone (mode 600)" "$(stat -c %a "$sec")" 600
	(cd "$LAB_DIR/relay" && "$bin" relay-server add-home bob --config relay.conf > bob.out 2>&1)
	check_eq "no key printed" "$(grep -c "$(field private_key "$LAB_DIR/relay/bob.relay.conf")" "$LAB_DIR/relay/bob.out")" 0
	check_eq "a second home: the next address and ports" \
		"$(cut -d' ' -f1,3,4 "$LAB_DIR/relay/homes" | tr '\n' ' ')" \
		"alice 10.77.0.2 20000-20009 bob 10.77.0.3 20010-20019 "
	check_eq "a name taken twice is refused" \
		"$(cd "$LAB_DIR/relay" && "$bin" relay-server add-home alice --config relay.conf 2>&1)" \
		"homereach relay-server add-home alice: line 3: another home has this name"
	lab_run vps sysctl -qw net.ipv4.ip_forward=0
	check_eq "forwarding off: said, and how to turn it on" \
		"$(lab_run vps "$bin" relay-server --config "$LAB_DIR/relay/relay.conf" 2>&1 | tail -1)" \
		"homereach: warning: relay-server: IPv4 forwarding is off (eth0, hr${LAB_ID}r): set net.ipv4.ip_forward = 1 (sysctl)"
	check_eq "and nothing left behind" "$(lab_run vps ip link show "hr${LAB_ID}r" 2>/dev/null | grep -c .)" 0
	lab_run vps sysctl -qw net.ipv4.ip_forward=1
	lab_spawn vps "$bin" -v relay-server --config "$LAB_DIR/relay/relay.conf" \
		> "$LAB_DIR/relay.log" 2>&1
	relay=$LAB_PID
	for _ in $(seq 150); do lab_run vps ip link show "hr${LAB_ID}r" 2>/dev/null | grep -q UP && break; sleep 0.02; done
	lab_bg host web socat TCP-LISTEN:8080,fork,reuseaddr SYSTEM:'echo hello-from-$SOCAT_PEERADDR'
	lab_bg host game socat UDP-RECVFROM:5353,fork SYSTEM:'echo pong-$SOCAT_PEERADDR'
	lab_wait_tcp host 8080
	home host "$sec" "$wg"
	wait_for 10 eval '[ "$(pcp host 10.77.0.2 tcp 8080 600)" = "0 20000 $LAB_VPS" ]'
	check_eq "PCP over the tunnel: the home's first port for TCP 8080" \
		"$(pcp host 10.77.0.2 tcp 8080 600)" "0 20000 $LAB_VPS"
	check_eq "UDP is a port space of its own" "$(pcp host 10.77.0.2 udp 5353 600)" \
		"0 20000 $LAB_VPS"
	check_eq "a port of another home's is not given" \
		"$(pcp host 10.77.0.2 tcp 22 600 20010)" "0 20001 $LAB_VPS"
	for p in 23 24 25 26 27 28 29 30; do pcp host 10.77.0.2 tcp $p 600 > /dev/null; done
	check_eq "the eleventh TCP service: over the home's quota" \
		"$(pcp host 10.77.0.2 tcp 31 600)" "10 0 0.0.0.0"
	check_eq "a service ended (lifetime 0)" "$(pcp host 10.77.0.2 tcp 31 0)" "0 0 $LAB_VPS"
	check_eq "the grants kept in a file" "$(grep -c . "$LAB_DIR/relay/homes.ports")" 11
	wait_for 10 eval '[ -n "$(lab_run inet socat -T2 - TCP:$LAB_VPS:20000,bind=5.0.0.2,connect-timeout=1 2>/dev/null)" ]'
	check_eq "a stranger reaches the home's TCP service through the relay, which sees the stranger" \
		"$(lab_run inet socat -T2 - TCP:$LAB_VPS:20000,bind=5.0.0.2 2>/dev/null)" hello-from-5.0.0.2
	check_eq "and its UDP service" \
		"$(echo ping | lab_run inet socat -T2 - UDP:$LAB_VPS:20000,bind=5.0.0.2 2>/dev/null)" pong-5.0.0.2
	check_eq "the other home's port leads nowhere" \
		"$(lab_run inet socat -T2 - TCP:$LAB_VPS:20010,connect-timeout=2 2>/dev/null)" ""
	check_eq "a port of no home leads nowhere" \
		"$(lab_run inet socat -T2 - TCP:$LAB_VPS:20050,connect-timeout=2 2>/dev/null)" ""
	check_eq "through the tunnel, no other home" \
		"$(lab_run host ping -c1 -W1 -I "$wg" 10.77.0.3 >/dev/null 2>&1 && echo reached)" ""
	check_eq "and not the internet (no open proxy)" \
		"$(lab_run host socat -T2 - TCP:5.0.0.2:80,so-bindtodevice="$wg",connect-timeout=2 </dev/null 2>/dev/null | head -c 1)" ""
	# A home added while the relay runs: taken at SIGHUP.
	(cd "$LAB_DIR/relay" && "$bin" relay-server add-home carol --config relay.conf > /dev/null 2>&1)
	kill -HUP "$relay"
	wait_for 5 eval 'lab_run vps wg show "hr${LAB_ID}r" peers | grep -c . | grep -qx 3'
	check_eq "SIGHUP: a third home's peer" "$(lab_run vps wg show "hr${LAB_ID}r" peers | grep -c .)" 3
	# bob taken out of the homes file: his peer goes; alice's grants stay
	sed -i '/^bob /d' "$LAB_DIR/relay/homes"
	kill -HUP "$relay"
	wait_for 5 eval 'lab_run vps wg show "hr${LAB_ID}r" peers | grep -c . | grep -qx 2'
	check_eq "SIGHUP: a home taken out loses its peer" "$(lab_run vps wg show "hr${LAB_ID}r" peers | grep -c .)" 2
	check_eq "and the others keep their grants" "$(grep -c . "$LAB_DIR/relay/homes.ports")" 11
	check_eq "and their ports answer" \
		"$(lab_run inet socat -T2 - TCP:$LAB_VPS:20000,bind=5.0.0.2 2>/dev/null)" hello-from-5.0.0.2
	check_eq "the relay logs no key" "$(grep -c "$(field private_key "$sec")" "$LAB_DIR/relay.log")" 0
	kill "$relay"
	for _ in $(seq 100); do lab_run vps ip link show "hr${LAB_ID}r" >/dev/null 2>&1 || break; sleep 0.05; done
	check_eq "SIGTERM: the rules gone" "$(lab_run vps nft list table ip homereach_relay 2>/dev/null | grep -c "dnat to")" 0
	check_eq "and the interface" "$(lab_run vps ip link show "hr${LAB_ID}r" 2>/dev/null | grep -c .)" 0
	# Up again: nothing forwarded until asked; a new service does not
	# take a port kept for another, an old one gets its own back.
	relay_up
	check_eq "restarted: nothing forwarded before it is asked" \
		"$(lab_run vps nft list table ip homereach_relay | grep -c "dnat to")" 0
	# the peer made anew, as the agent does: a handshake at once
	lab_run host wg set "$wg" peer "$(field server_key "$sec")" remove
	lab_run host wg set "$wg" peer "$(field server_key "$sec")" endpoint "$(field server "$sec")" \
		allowed-ips 0.0.0.0/0 persistent-keepalive 25
	wait_for 30 eval '[ "$(pcp host 10.77.0.2 tcp 9090 600)" != silence ]'
	check_eq "a new service after the restart: no port of another's (all kept)" \
		"$(pcp host 10.77.0.2 tcp 9091 600)" "10 0 0.0.0.0"
	check_eq "TCP 8080 asked again: its port" "$(pcp host 10.77.0.2 tcp 8080 600)" "0 20000 $LAB_VPS"
	kill "$relay"
}

"case_$case_"
finish
