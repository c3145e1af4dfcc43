#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test-hold.sh CASE HOMEREACH: a port held open through a carrier NAT.
#   fullcone   cgnat-fullcone (endpoint-independent mapping and filtering,
#              a port open for 30 s after the last packet out of it), the
#              agent with a plain config: the carrier test says full cone,
#              each service (TCP and UDP) is held on a port of its own, a
#              stranger reaches both there, the A record names the
#              carrier's address, an SRV record each service's port and an
#              HTTPS record the web site's over TLS (443), written in one
#              UPDATE; status and the page (headless Chromium, screenshot
#              kept) show each held way in with its keep-alive's age;
#              still so after the carrier's window;
#              the carrier moves the subscriber to another pool address:
#              followed (record and service right again); SIGTERM leaves
#              the home router and the state clean
#   symmetric  cgnat-symmetric (masquerade random): nothing is held and
#              nothing published, and status says why; a dyndns2 record
#              is named as writing no SRV records
#   redirect   cgnat-fullcone with a redirect record (the lab's redirect
#              server, also check_url: a held port is published once its
#              /check reached it, a dead one never): visitors of
#              http://www.example.com/ are sent (307)
#              to the held address and port; after the flip, nowhere (the
#              redirect server deleted its records, offline=yes)
#   lifetime   a carrier whose window is 10 s: the binding lifetime is
#              measured (RFC 5780 section 4.6) and keep-alives follow it
#   flip       the full cone turns to mapping per destination while a
#              service is held: within two keep-alive intervals it is no
#              longer held, and the A and SRV records are deleted
#              (the event and the hook say so)
here=$(dirname "$(realpath "$0")")
. "$here/lab.sh"
lab_test_init "$@"
. "$here/agent.sh"

way_of() {	# way_of SERVICE FIELD: of its IPv4 way in
	jq -r --arg s "$1" ".mappings[] | select(.service == \$s and .pinhole == false) | .$2" "$LAB_DIR/status.json"
}
held() {	# held SERVICE...: each held and open
	status_json || return 1
	for s in "$@"; do
		[ "$(way_of "$s" kind)" = hold ] && [ "$(way_of "$s" state)" = mapped ] || return 1
	done
}
knot_has() { [ "$(lab_dig nas.example.com)" = "$1" ]; }
# page NAME: the status page's DOM after its script ran, and a screenshot
page() { browse http://127.0.0.1:8480/ "$1"; }
srv_of() {	# srv_of _SERVICE._PROTO: the SRV record knot serves
	lab_run inet kdig +short @"$LAB_STUN1" "$1.nas.example.com" SRV 2>/dev/null
}
srv_is() { [ "$(srv_of "$1")" = "$2" ]; }

case_fullcone() {
	local web game t0 took
	lab_setup cgnat-fullcone
	lab_knot "$SECRET"
	services udp
	lab_bg host site socat TCP-LISTEN:443,fork,reuseaddr SYSTEM:'echo hello-over-443'
	lab_wait_tcp host 443
	AGENT_CONF="web_listen = 127.0.0.1:8480" \
		write_conf "web 8080" "game 5353 udp" "site 443"
	start_agent
	wait_for 10 held web game site
	check_eq "the carrier test: full cone" \
		"$(grep -c 'the NAT in front of the home router: full cone' "$LAB_DIR/agent.log")" 1
	check_eq "web is held" "$(way_of web kind)" hold
	check_eq "held at the carrier's address" "$(way_of web external_address)" 5.0.1.2
	check_eq "status: its keep-alive is fresh" \
		"$([ "$(way_of web keepalive_age)" -ge 0 ] && [ "$(way_of web keepalive_age)" -le 15 ] && echo yes)" yes
	check "status: the carrier test's finding" .carrier_nat.full_cone true "$LAB_DIR/status.json"
	check_eq "status, for a person" "$(lab_run host "$bin" status --config "$conf" |
		grep -c "web .*5.0.1.2:[0-9]* held through the carrier's NAT, keep-alive answered [0-9]* s ago")" 1
	web=$(way_of web external_port) game=$(way_of game external_port)
	check_eq "on a port not the service's own" "$([ "$web" != 8080 ] && echo yes)" yes
	check_eq "a stranger reaches the TCP service" "$(reach_tcp 5.0.1.2 "$web")" hello-from-nas
	check_eq "a stranger reaches the UDP service" "$(reach_udp 5.0.1.2 "$game")" pong
	wait_for 5 knot_has 5.0.1.2
	check_eq "the A record names the carrier's address" "$(lab_dig nas.example.com)" 5.0.1.2
	wait_for 5 srv_is _game._udp "0 0 $game nas.example.com."
	check_eq "an SRV record names the TCP service's held port" \
		"$(srv_of _web._tcp)" "0 0 $web nas.example.com."
	check_eq "and the UDP service's" "$(srv_of _game._udp)" "0 0 $game nas.example.com."
	site=$(way_of site external_port)
	check_eq "a web site over TLS: an HTTPS record with its port" \
		"$(lab_run inet kdig +short @"$LAB_STUN1" nas.example.com HTTPS 2>/dev/null)" \
		"1 . port=$site ipv4hint=5.0.1.2"
	check_eq "where a stranger reaches it" "$(reach_tcp 5.0.1.2 "$site")" hello-over-443
	page held
	python3 "$here/dom.py" text:services < "$LAB_DIR/held.html" > "$LAB_DIR/held.txt"
	check_eq "the page, in a browser: the held way in" \
		"$(grep -c "5.0.1.2:$web held through the carrier" "$LAB_DIR/held.txt")" 1
	check_eq "the page says why: the carrier's NAT is a full cone" \
		"$(python3 "$here/dom.py" text:inbound < "$LAB_DIR/held.html")" \
		"the carrier's NAT: full cone: a port can be held; keep-alives every 14 s"
	check_eq "the page: each keep-alive's age" \
		"$(grep -o 'keep-alive [0-9]* s ago' "$LAB_DIR/held.txt" | wc -l)" 3
	sleep 33	# past the carrier's window: only the keep-alives keep it
	check_eq "TCP still reached after 33 s" "$(reach_tcp 5.0.1.2 "$web")" hello-from-nas
	check_eq "UDP still reached after 33 s" "$(reach_udp 5.0.1.2 "$game")" pong
	wait_for 5 status_has .carrier_nat.binding_lifetime.closed_s 30
	check "the binding lifetime measured (RFC 5780 4.6): the 30 s window" \
		'.carrier_nat.binding_lifetime | "\(.open_s) \(.closed_s)"' "22 30" "$LAB_DIR/status.json"
	check "keep-alives: 14 s for the sentinel, 21 s for the others" \
		'"\(.carrier_nat.keepalive_s) \(.carrier_nat.keepalive_others_s)"' "14 21" "$LAB_DIR/status.json"
	check_eq "status says so, for a person" "$(lab_run host "$bin" status --config "$conf" |
		grep -c "a silent port stays open 22 s, not 30 s: keep-alives every 14 s (21 s for all but one held port)")" 1
	t0=$(now_ms)
	lab_pool_move cgn 5.0.1.9 100.64.0.2
	wait_for 30 knot_has 5.0.1.9
	took=$(( $(now_ms) - t0 ))
	echo "info: the record followed the pool move in $took ms"
	check_eq "the record follows the carrier's new address" "$(lab_dig nas.example.com)" 5.0.1.9
	wait_for 5 held web game
	web=$(way_of web external_port) game=$(way_of game external_port)
	check_eq "a stranger reaches the TCP service there" "$(reach_tcp 5.0.1.9 "$web")" hello-from-nas
	check_eq "and the UDP service" "$(reach_udp 5.0.1.9 "$game")" pong
	check_eq "within a keep-alive interval and 2 s" "$([ "$took" -le 16000 ] && echo yes)" yes
	stop_agent
	check_eq "SIGTERM leaves the home router clean" "$(lab_upnpd_rules rtr)" 0
	check_eq "and the state" "$(grep -c '^mapping' "$LAB_DIR/state/state")" 0
}

case_symmetric() {
	lab_setup cgnat-symmetric
	lab_knot "$SECRET"
	services
	EXTRA_CONF="[ddns dyn]
provider = dyndns2
server = https://dyn.example.com
hostname = dyn.example.com
username = u
password = p" write_conf "web 8080"
	start_agent
	wait_for 5 grep -q "the NAT in front of the home router\|topology:" "$LAB_DIR/agent.log"
	sleep 2		# the carrier test, if any, and the DNS step
	status_json
	check_eq "nothing held" "$(way_of web kind)" mapping
	check_eq "nothing published" "$(lab_dig nas.example.com)" 192.0.2.9
	check "status says why" '.records[0].next | test("carrier|shared")' true "$LAB_DIR/status.json"
	check "a provider that writes no SRV records is named" \
		'.records[] | select(.name == "dyn") | .srv_missing' \
		"dyndns2 writes no SRV records: visitors are not told a service's port" "$LAB_DIR/status.json"
	stop_agent
}

case_redirect() {
	local web
	lab_setup cgnat-fullcone
	lab_knot "$SECRET"
	lab_redirect_server "$bin" "$SECRET"
	lab_redirect_user "$bin" www.example.com redirect-pa55word
	mkdir -p "$LAB_DIR/conf"
	printf 'redirect-pa55word\n' > "$LAB_DIR/conf/www.pass"
	chmod 600 "$LAB_DIR/conf/www.pass"
	services
	EXTRA_CONF="[ddns www]
provider = redirect
server = https://$LAB_REDIRECT
hostname = www.example.com
username = www.example.com
password_file = www.pass
ca_file = $LAB_DIR/ca/ca.pem
service = web" CHECK_URL="http://$LAB_REDIRECT/check" write_conf "web 8080" "dead 9090"
	start_agent
	wait_for 10 held web
	web=$(way_of web external_port)
	wait_for 5 srv_is _web._tcp "0 0 $web nas.example.com."
	check_eq "check_url: the held port answered from outside before it was published" \
		"$(grep -n -e "web: port $web answers from outside" -e 'DNS current' "$LAB_DIR/agent.log" | head -1 | grep -c 'answers from outside')" 1
	check_eq "a held port where nothing answers is not published" "$(srv_of _dead._tcp)" ""
	check_eq "and the outside check says why" \
		"$(grep -q "dead: port [0-9]* does not answer from outside" "$LAB_DIR/agent.log" && echo yes)" yes
	wait_for 10 sh -c "[ \"\$(ip netns exec $(lab_ns inet) curl -s -o /dev/null -w '%{redirect_url}' --max-time 2 http://www.example.com/a)\" = http://5.0.1.2:$web/a ]"
	check_eq "visitors are sent to the held address and port" \
		"$(lab_run inet curl -s -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 5 'http://www.example.com/a?b=c')" \
		"307 http://5.0.1.2:$web/a?b=c"
	check_eq "where the service answers" "$(reach_tcp 5.0.1.2 "$web")" hello-from-nas
	# diagnose names a record that cannot carry a held port.
	{ cat "$conf"; printf '[ddns dyn]\nprovider = dyndns2\nserver = https://dyn.example.com\n'
	  printf 'hostname = dyn.example.com\nusername = u\npassword = p\n'; } > "$LAB_DIR/conf/diag.conf"
	chmod 600 "$LAB_DIR/conf/diag.conf"
	lab_run host "$bin" diagnose --json --config "$LAB_DIR/conf/diag.conf" --timeout 3 > "$LAB_DIR/diag.json" 2>/dev/null
	check "diagnose: hold first" '.advice[0].id' hold "$LAB_DIR/diag.json"
	check "diagnose: the dyndns2 record cannot carry the port" \
		'.advice[0].detail | test("The record dyn \\(dyndns2\\) cannot carry the port")' true "$LAB_DIR/diag.json"
	lab_fullcone_off cgn
	wait_for 40 sh -c "[ \"\$(ip netns exec $(lab_ns inet) curl -s -o /dev/null -w '%{redirect_url}' --max-time 2 http://www.example.com/a)\" = '' ]"
	check_eq "the flip: visitors are no longer sent where nothing answers" \
		"$(lab_run inet curl -s -o /dev/null -w '%{redirect_url}' --max-time 5 'http://www.example.com/a')" ""
	check_eq "the redirect server deleted its records" \
		"$(lab_run inet kdig +short @"$LAB_STUN1" _http._tcp.www.example.com SRV 2>/dev/null)" ""
	check_eq "and says so" "$(grep -c 'www.example.com: offline: its records deleted' "$LAB_DIR/redirect.log" 2>/dev/null || true)" 1
	stop_agent
}

case_lifetime() {
	local web game
	LAB_FULLCONE_WINDOW=10 lab_setup cgnat-fullcone
	lab_knot "$SECRET"
	services udp
	write_conf "web 8080" "game 5353 udp"
	start_agent
	wait_for 10 held web game
	wait_for 20 status_has .carrier_nat.binding_lifetime.closed_s 11
	check "a 10 s window: a silent port stays open 8 s, not 11 s" \
		'.carrier_nat.binding_lifetime | "\(.open_s) \(.closed_s)"' "8 11" "$LAB_DIR/status.json"
	check "keep-alives every 7 s, for every held port" \
		'"\(.carrier_nat.keepalive_s) \(.carrier_nat.keepalive_others_s)"' "7 7" "$LAB_DIR/status.json"
	sleep 25	# well past the window: the shorter keep-alives keep it
	web=$(way_of web external_port) game=$(way_of game external_port)
	check_eq "TCP still reached after 2.5 windows" "$(reach_tcp 5.0.1.2 "$web")" hello-from-nas
	check_eq "UDP still reached" "$(reach_udp 5.0.1.2 "$game")" pong
	check "held all along, never lost" '[.events[] | select(.event == "mapping-lost")] | length' 0 "$LAB_DIR/status.json"
	stop_agent
}

cf_records() {	# what the Cloudflare API keeps: TYPE NAME CONTENT-OR-PORT
	jq -r '.[] | "\(.type) \(.name) \(.content // .data.port)"' \
		"$LAB_DIR/dyndns2.answers.cloudflare" 2>/dev/null | sort | tr '\n' ' '
}
cf_has() { [ "$(cf_records)" = "$1" ]; }

case_flip() {
	local t0 took web
	lab_setup cgnat-fullcone
	lab_knot "$SECRET"
	lab_dyndns2 alice cf-token-1
	services
	EXTRA_CONF="$(printf '[ddns cf]\nprovider = cloudflare\nserver = %s\n%s\n%s\n%s\n%s' \
		"https://$LAB_STUN1/client/v4" "zone = example.com" \
		"hostname = nas.example.com" "token = cf-token-1" \
		"ca_file = $LAB_DIR/ca/ca.pem")" write_conf "web 8080"
	start_agent
	wait_for 10 held web
	wait_for 5 knot_has 5.0.1.2
	check_eq "held and published" "$(lab_dig nas.example.com)" 5.0.1.2
	web=$(way_of web external_port)
	wait_for 5 cf_has "A nas.example.com 5.0.1.2 SRV _web._tcp.nas.example.com $web "
	check_eq "Cloudflare: the A and SRV records" "$(cf_records)" \
		"A nas.example.com 5.0.1.2 SRV _web._tcp.nas.example.com $web "
	wait_for 5 srv_is _web._tcp "0 0 $(way_of web external_port) nas.example.com."
	check_eq "its SRV record" "$(srv_of _web._tcp)" "0 0 $(way_of web external_port) nas.example.com." 
	t0=$(now_ms)
	lab_fullcone_off cgn
	wait_for 45 grep -q "maps per destination" "$LAB_DIR/agent.log"
	took=$(( $(now_ms) - t0 ))
	echo "info: the flip was seen in $took ms"
	check_eq "the flip is named" "$(grep -c 'the NAT in front of the home router: maps per destination' "$LAB_DIR/agent.log")" 1
	check_eq "within two keep-alive intervals" "$([ "$took" -le 28000 ] && echo yes)" yes
	wait_for 5 status_has '.mappings[0].kind' mapping
	check "no longer held" '.mappings[0].kind' mapping "$LAB_DIR/status.json"
	check "the A record is no longer kept, and status says why" \
		'.records[0].next | test("carrier|shared")' true "$LAB_DIR/status.json"
	wait_for 10 knot_has ""
	took=$(( $(now_ms) - t0 ))
	echo "info: the records were withdrawn $took ms after the flip"
	check_eq "the A record is withdrawn" "$(lab_dig nas.example.com)" ""
	check_eq "the SRV record is withdrawn" "$(srv_of _web._tcp)" ""
	wait_for 5 cf_has ""
	check_eq "Cloudflare: both records deleted" "$(cf_records)" ""
	check_eq "within two keep-alive intervals" "$([ "$took" -le 28000 ] && echo yes)" yes
	status_json
	check "the timeline says so, for each record" '[.events[] | select(.event == "record-withdrawn")] | length' 2 "$LAB_DIR/status.json"
	check "the state keeps nothing published" '.records[0].published // ""' "" "$LAB_DIR/status.json"
	stop_agent
}

"case_$case_"
finish
