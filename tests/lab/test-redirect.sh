#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test-redirect.sh CASE HOMEREACH: the port-redirecting DDNS server.
#   visit    the ISP drops inbound port 80; the agent maps the LAN web
#            server to external port 8080 and registers with the redirect
#            server; `curl -L http://www.example.com/some/path?x=1` from the
#            internet (NAME resolved by knot) lands on the home server with
#            path and query; a new external port (SIGHUP) and a new
#            public address are published too;
#            the outside check says open, and a mapping the router lists
#            but that does not answer is made again
#   clients  ddclient and inadyn, configured for a dyndns2 server, register
#            unchanged; their records appear in knot
#   check    /check: open for a mapped port, closed for an unmapped one,
#            never another address; rate-limited
#   safety   bad Host, unknown names, registration over plain HTTP, wrong
#            passwords (slowed down), big headers: refused, nothing leaked;
#            with DNS silent, a registration writes nothing
#   hostile  nothing one address sends starves the rest: idle connections
#            on the TLS port are counted from the accept, a handshake sent
#            a byte a second is cut off 10 s after it, parallel password
#            guesses wait their turn, and out of descriptors the server
#            says so once, does not spin, and serves visitors again
#   per64    an IPv6 source is its /64: 1100 idle connections from 1100
#            addresses of one /64 hold 32 slots at most and an IPv4 visitor
#            is served meanwhile; 40 /check from 40 of its addresses get 10
#            answers at most; with few descriptors, a flood from many
#            sources makes way for a visitor (the oldest idle one goes)
here=$(dirname "$(realpath "$0")")
. "$here/lab.sh"
lab_test_init "$@"
. "$here/agent.sh"

PASS='redirect-pa55word'
R=$LAB_REDIRECT
# On failure (lab_teardown calls it): both daemons' logs, the router's
# rules.
lab_dump() {
	[ "$FAILS" = 0 ] && return
	tail -n 40 "$LAB_DIR"/redirect.log "$LAB_DIR"/agent.log >&2 2>/dev/null
	lab_run rtr nft list ruleset >&2 2>/dev/null
}
held_on_80() {	# held_on_80 N: the server holds N connections on port 80
	[ "$(lab_run inet ss -Htn state established "( sport = :80 )" | wc -l)" -ge "$1" ]
}
dig_() { lab_run inet kdig +short @"$LAB_STUN1" "$1" "$2" 2>/dev/null; }
srv_is() { [ "$(dig_ "_http._tcp.$1" SRV)" = "$2" ]; }
# A web server on the LAN host that answers with the request's target.
home_web() {
	lab_bg host web python3 -c '
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("home: %s\n" % self.path).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body)))
        self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("0.0.0.0", int(sys.argv[1])), H).serve_forever()
' "$1"
	lab_wait_tcp host "$1"
}
# The ISP filters inbound port 80 towards its customers.
isp_blocks_80() {
	lab_run inet nft -f - <<-NFT
	table inet isp {
	    chain forward { type filter hook forward priority 0; policy accept;
	        oifname "up0" tcp dport 80 drop; }
	}
	NFT
}
setup_server() {
	lab_setup single-nat
	lab_knot "$SECRET"
	lab_redirect_server "$bin" "$SECRET" "${1:-}"
}
curl_() { lab_run inet curl -s --max-time 5 "$@"; }

agent_conf() {	# agent_conf EXTERNAL_PORT
	local d=$LAB_DIR/conf
	mkdir -p "$d"
	printf '%s\n' "$PASS" > "$d/www.pass"
	cat > "$d/homereach.conf.new" <<-CONF
	[agent]
	state_dir = $LAB_DIR/state
	runtime_dir = $LAB_DIR/run
	interval = 10
	[probes]
	stun = $LAB_STUN1
	check_url = http://$R/check
	[service web]
	port = 80
	external_port = $1
	[ddns www]
	provider = redirect
	server = https://$R
	hostname = www.example.com
	username = www.example.com
	password_file = www.pass
	ca_file = $LAB_DIR/ca/ca.pem
	service = web
	CONF
	chmod 600 "$d"/*
	mv "$d/homereach.conf.new" "$d/homereach.conf"
}
outside_is() { status_json && [ "$(jq -r '.mappings[0].outside.result' "$LAB_DIR/status.json")" = "$1" ]; }

case_visit() {
	setup_server
	isp_blocks_80
	home_web 80
	lab_redirect_user "$bin" www.example.com "$PASS"
	agent_conf 8080
	lab_spawn host "$bin" -v agent --config "$LAB_DIR/conf/homereach.conf" \
		>> "$LAB_DIR/agent.log" 2>&1
	agent=$LAB_PID
	wait_for 10 srv_is www.example.com "0 0 8080 origin.www.example.com."
	check_eq "SRV record written by the redirect server" \
		"$(dig_ _http._tcp.www.example.com SRV)" "0 0 8080 origin.www.example.com."
	check_eq "target's A record is the true public address" \
		"$(dig_ origin.www.example.com A)" "5.0.1.2"
	check_eq "port 80 is blocked by the ISP" \
		"$(curl_ -o /dev/null -w '%{http_code}' --max-time 2 http://5.0.1.2/)" "000"
	check_eq "visitor lands on the home server, path and query intact" \
		"$(curl_ -L 'http://www.example.com/some/path?x=1')" "home: /some/path?x=1"
	check_eq "the redirect is a 307 to the mapped port" \
		"$(curl_ -o /dev/null -w '%{http_code} %{redirect_url}' 'http://www.example.com/a?b=c')" \
		"307 http://5.0.1.2:8080/a?b=c"
	# All state is in DNS: a second server that took no registration
	# sends visitors to the same place.
	lab_run inet ip addr add 5.0.0.5/32 dev lo
	printf '[redirect-server]\nlisten = 5.0.0.5:80\ndns_server = %s\nzone = example.com\n' \
		"$LAB_STUN1" > "$LAB_DIR/redirect2.conf"
	lab_bg inet redirect2 "$bin" redirect-server --config "$LAB_DIR/redirect2.conf"
	wait_for 5 sh -c "ip netns exec $(lab_ns inet) ss -Hlnt 'sport = :80' | grep -q 5.0.0.5"
	check_eq "a second redirect server, sharing only DNS, agrees" \
		"$(curl_ -o /dev/null -w '%{http_code} %{redirect_url}' -H 'Host: www.example.com' 'http://5.0.0.5/a?b=c')" \
		"307 http://5.0.1.2:8080/a?b=c"
	wait_for 10 outside_is open
	check "status: the outside check says open" '.mappings[0].outside.result' open "$LAB_DIR/status.json"
	check "status: the record holds port 8080" '.records[0].published_port' 8080 "$LAB_DIR/status.json"
	check_eq "status, for a person: the check's answer" "$(lab_run host "$bin" status \
		--config "$LAB_DIR/conf/homereach.conf" | grep -c 'from outside: open')" 1

	# The mapping moves to another external port: the SRV follows.
	agent_conf 8090
	kill -HUP "$agent"
	wait_for 10 srv_is www.example.com "0 0 8090 origin.www.example.com."
	check_eq "a new external port is published" \
		"$(dig_ _http._tcp.www.example.com SRV)" "0 0 8090 origin.www.example.com."
	sleep 1.1	# the redirect server's cache: its own update dropped it
	check_eq "visitors follow to the new port" \
		"$(curl_ -L 'http://www.example.com/again?y=2')" "home: /again?y=2"

	# The ISP gives the router another address: the target's A follows.
	lab_wan_change rtr 5.0.1.9/24 5.0.1.1
	wait_for 10 sh -c "[ \"\$(ip netns exec $(lab_ns inet) kdig +short @$LAB_STUN1 origin.www.example.com A)\" = 5.0.1.9 ]"
	check_eq "a new public address is published" "$(dig_ origin.www.example.com A)" 5.0.1.9
	check_eq "visitors follow to the new address" \
		"$(curl_ -o /dev/null -w '%{redirect_url}' 'http://www.example.com/moved')" \
		"http://5.0.1.9:8090/moved"
	check_eq "and land at home" "$(curl_ -L 'http://www.example.com/moved')" "home: /moved"
	# The agent maps again after the change (miniupnpd then rewrites its
	# rules): let that be over before breaking them.
	wait_for 10 grep -q -- "-> 8090 again" "$LAB_DIR/agent.log"
	sleep 1

	# The router lists the mapping (its DNAT rule is there) but its filter
	# rule is gone: nothing gets in. The next periodic check (interval =
	# 10 s here) asks from outside, and the agent deletes the mapping and
	# makes it again.
	lab_run rtr nft flush chain inet filter miniupnpd
	wait_for 15 grep -q "deleting and making it again" "$LAB_DIR/agent.log"
	check_eq "a mapping that does not answer is deleted and made again" \
		"$(grep -c "deleting and making it again" "$LAB_DIR/agent.log")" 1
	wait_for 10 outside_is open
	check "the remade mapping answers from outside" '.mappings[0].outside.result' open "$LAB_DIR/status.json"
	check_eq "visitors reach it again" \
		"$(curl_ -L 'http://www.example.com/x')" "home: /x"

	# A block that a new mapping cannot fix (the router drops what it
	# forwards): made again once, then only reported, not in a loop.
	lab_run rtr nft insert rule inet filter forward iifname wan tcp dport 80 drop
	wait_for 15 sh -c "[ \$(grep -c 'deleting and making it again' '$LAB_DIR/agent.log') -ge 2 ]"
	# One more check, forced: its outside check fails again.
	n=$(grep -c 'does not answer from outside' "$LAB_DIR/agent.log")
	kill -USR1 "$agent"
	wait_for 10 sh -c "[ \$(grep -c 'does not answer from outside' '$LAB_DIR/agent.log') -gt $n ]"
	check_eq "made again once more, then no more" \
		"$(grep -c "deleting and making it again" "$LAB_DIR/agent.log")" 2
	check "status: does not answer from outside" '.mappings[0].outside.result' \
		no-answer "$(status_json; echo "$LAB_DIR/status.json")"
	kill -TERM "$agent"; wait "$agent"
}

case_clients() {
	setup_server
	lab_redirect_user "$bin" ddc.example.com "$PASS" alice
	lab_redirect_user "$bin" ina.example.com "$PASS" alice
	local d=$LAB_DIR/clients
	mkdir -p "$d/inadyn-cache"
	cat > "$d/ddclient.conf" <<-CONF
	daemon=0
	ssl=yes
	ssl_ca_file=$LAB_DIR/ca/ca.pem
	use=web
	web=http://$LAB_STUN1/
	protocol=dyndns2
	server=$R
	login=alice
	password='$PASS'
	ddc.example.com
	CONF
	cat > "$d/inadyn.conf" <<-CONF
	ca-trust-file = $LAB_DIR/ca/ca.pem
	custom lab {
	    username = alice
	    password = "$PASS"
	    ddns-server = $R
	    ddns-path = "/nic/update?hostname=%h&myip=%i"
	    ssl = true
	    checkip-server = $LAB_STUN1
	    checkip-path = /
	    checkip-ssl = false
	    hostname = ina.example.com
	}
	CONF
	chmod 600 "$d"/*.conf
	lab_run host ddclient -foreground -daemon=0 -file "$d/ddclient.conf" \
		-cache "$d/ddclient.cache" > "$d/ddclient.log" 2>&1
	lab_run host timeout 20 inadyn --foreground --once -f "$d/inadyn.conf" \
		--cache-dir "$d/inadyn-cache" -l info > "$d/inadyn.log" 2>&1
	check_eq "ddclient: SRV in knot" "$(dig_ _http._tcp.ddc.example.com SRV)" \
		"0 0 80 origin.ddc.example.com."
	check_eq "ddclient: address in knot" "$(dig_ origin.ddc.example.com A)" 5.0.1.2
	check_eq "inadyn: SRV in knot" "$(dig_ _http._tcp.ina.example.com SRV)" \
		"0 0 80 origin.ina.example.com."
	check_eq "inadyn: address in knot" "$(dig_ origin.ina.example.com A)" 5.0.1.2
	check_eq "server logged the registrations" \
		"$(grep -c 'good 5.0.1.2 port 80' "$LAB_DIR/redirect.log")" 2
	check_eq "no password in the server's log" \
		"$(grep -c "$PASS" "$LAB_DIR/redirect.log")" 0
	[ "$FAILS" = 0 ] || cat "$d/ddclient.log" "$d/inadyn.log" >&2
}

case_check() {
	setup_server
	home_web 80
	lab_run host upnpc -e web -a 192.168.1.10 80 8080 TCP > /dev/null 2>&1
	check_eq "mapped port: open" "$(lab_run host curl -s "http://$R/check?port=8080&proto=tcp" | jq -r .result)" open
	check_eq "the check went to the requester's own address" \
		"$(lab_run host curl -s "http://$R/check?port=8080&proto=tcp" | jq -r .address)" 5.0.1.2
	check_eq "unmapped port: not open" \
		"$(lab_run host curl -s "http://$R/check?port=8081&proto=tcp" | jq -r .result)" closed
	lab_bg inet udp-echo python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("5.0.0.2", 9999))
while True:
    d, a = s.recvfrom(512)
    s.sendto(b"pong", a)
'
	lab_wait_udp inet 9999
	lab_run inet ip addr add 5.0.0.9/32 dev lo
	check_eq "closed port on the requester: closed" \
		"$(lab_run inet curl -s --interface 5.0.0.2 "http://$R/check?port=9998&proto=tcp" | jq -r .result)" closed
	check_eq "UDP port that answers: open" \
		"$(lab_run inet curl -s --interface 5.0.0.2 "http://$R/check?port=9999&proto=udp" | jq -r .result)" open
	for q in "port=80&host=5.0.0.9" "port=80&addr=5.0.0.9" "port=80&ip=5.0.0.9" "port=0" "port=80&proto=icmp"; do
		check_eq "refused: $q" "$(curl_ -o /dev/null -w '%{http_code}' "http://$R/check?$q")" 400
	done
	check_eq "no probe went to 5.0.0.9" "$(grep -c '5\.0\.0\.9' "$LAB_DIR/redirect.log")" 0
	codes=$(for _ in $(seq 12); do curl_ -o /dev/null -w '%{http_code}\n' \
		--interface 5.0.0.9 "http://$R/check?port=9997&proto=tcp"; done | sort | uniq -c | tr -s ' ' | tr '\n' ',')
	check_eq "ten checks a minute per source, then 429" "$codes" " 10 200, 2 429,"
}

case_safety() {
	setup_server
	lab_redirect_user "$bin" nas.example.com "$PASS"
	check_eq "bad Host: 400" "$(curl_ -o /dev/null -w '%{http_code}' -H 'Host: a..b' "http://$R/")" 400
	check_eq "Host an address: 400" "$(curl_ -o /dev/null -w '%{http_code}' "http://$R/")" 400
	check_eq "unknown name: 404, no Location" \
		"$(curl_ -o /dev/null -w '%{http_code} %{redirect_url}' -H 'Host: nothing.example.com' "http://$R/")" "404 "
	check_eq "name outside the zone: 404" \
		"$(curl_ -o /dev/null -w '%{http_code} %{redirect_url}' -H 'Host: evil.example.net' "http://$R/")" "404 "
	check_eq "registration over plain HTTP: 403" \
		"$(curl_ -o /dev/null -w '%{http_code}' -u "nas.example.com:$PASS" "http://$R/nic/update?hostname=nas.example.com")" 403
	local https=(curl_ --cacert "$LAB_DIR/ca/ca.pem")
	check_eq "no credentials: 401" "$("${https[@]}" -o /dev/null -w '%{http_code}' "https://$R/nic/update?hostname=nas.example.com")" 401
	t0=$(now_ms)
	check_eq "wrong password: badauth" "$("${https[@]}" -u nas.example.com:wrong "https://$R/nic/update?hostname=nas.example.com")" badauth
	check_eq "wrong password again: badauth" "$("${https[@]}" -u nas.example.com:wrong2 "https://$R/nic/update?hostname=nas.example.com")" badauth
	check_eq "third: badauth" "$("${https[@]}" -u nas.example.com:wrong3 "https://$R/nic/update?hostname=nas.example.com")" badauth
	t=$(( $(now_ms) - t0 ))
	check_eq "failed logins slowed down (>= 3 s for three)" "$([ "$t" -ge 3000 ] && echo yes || echo "no ($t ms)")" yes
	check_eq "a private myip is refused" \
		"$("${https[@]}" --max-time 40 -u "nas.example.com:$PASS" "https://$R/nic/update?hostname=nas.example.com&myip=192.168.1.10")" dnserr
	check_eq "not a host name: notfqdn" \
		"$("${https[@]}" --max-time 40 -u "nas.example.com:$PASS" "https://$R/nic/update?hostname=-x-")" notfqdn
	check_eq "another user's host: nohost" \
		"$("${https[@]}" --max-time 40 -u "nas.example.com:$PASS" "https://$R/nic/update?hostname=nas.example.com,www.example.com&myip=5.0.1.7&port=8443")" \
		"$(printf 'good 5.0.1.7\nnohost')"
	check_eq "same again: nochg" \
		"$("${https[@]}" --max-time 40 -u "nas.example.com:$PASS" "https://$R/nic/update?hostname=nas.example.com&myip=5.0.1.7")" "nochg 5.0.1.7"
	check_eq "port kept when not given" "$(dig_ _http._tcp.nas.example.com SRV)" "0 0 8443 origin.nas.example.com."
	check_eq "the redirect follows" \
		"$(curl_ -o /dev/null -w '%{redirect_url}' -H 'Host: NAS.example.com.' "http://$R/p?q")" "http://5.0.1.7:8443/p?q"
	check_eq "a visitor's /check path is redirected too" \
		"$(curl_ -o /dev/null -w '%{redirect_url}' -H 'Host: nas.example.com' "http://$R/check?port=1")" "http://5.0.1.7:8443/check?port=1"
	big=$(head -c 10000 /dev/zero | tr '\0' a)
	check_eq "a header too big: refused" \
		"$(curl_ -o /dev/null -w '%{http_code}' -H "X-Big: $big" -H 'Host: nas.example.com' "http://$R/")" 431
	check_eq "POST: 405, with Allow" \
		"$(curl_ -si -X POST -H 'Host: nas.example.com' "http://$R/" | tr -d '\r' | grep -E '^HTTP|^Allow' | tr '\n' ' ')" \
		"HTTP/1.1 405 Method Not Allowed Allow: GET, HEAD "
	check_eq "no password in the server's log" "$(grep -c "$PASS\|wrong" "$LAB_DIR/redirect.log")" 0
	# 40 connections that asked once and stay open; the default limit is 32.
	req='GET / HTTP/1.1\r\nHost: nas.example.com\r\n\r\n'
	local pids=()
	for _ in $(seq 40); do
		{ printf "$req"; sleep 4; } | lab_run inet socat -T5 - "TCP:$R:80" > /dev/null 2>&1 &
		pids+=($!)
	done
	# Until the server holds its 32 (40 processes take a while to start).
	wait_for 3 held_on_80 32
	check_eq "per-source connection limit: 503" \
		"$(curl_ -o /dev/null -w '%{http_code}' -H 'Host: nas.example.com' "http://$R/")" 503
	wait "${pids[@]}"
	check_eq "after they close: served again" \
		"$(curl_ -o /dev/null -w '%{http_code}' -H 'Host: nas.example.com' "http://$R/")" 307
	# A head sent a byte a second: closed 10 s after the accept.
	t0=$(now_ms)
	( for c in G E T ' ' / ' ' H T T P / 1 . 1; do printf '%s' "$c"; sleep 1; done ) |
		lab_run inet socat -T20 - "TCP:$R:80" > /dev/null 2>&1
	t=$(( $(now_ms) - t0 ))
	check_eq "a slow head is cut off after 10 s" \
		"$([ "$t" -ge 9500 ] && [ "$t" -lt 13000 ] && echo yes || echo "no ($t ms)")" yes
	# DNS does not answer: nothing is written, no port guessed.
	for p in $(ip netns pids "$(lab_ns inet)"); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = knotd ] && kill "$p"
	done
	check_eq "DNS silent: dnserr" \
		"$("${https[@]}" --max-time 40 -u "nas.example.com:$PASS" "https://$R/nic/update?hostname=nas.example.com&myip=5.0.1.8")" dnserr
}

server_pid() { pgrep -nf "redirect-server --config $LAB_DIR/redirect/redirect.conf"; }
fds() { ls "/proc/$(server_pid)/fd" | wc -l; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$(server_pid)/stat"; }
flood() { lab_run inet python3 "$here/flood.py" "$@"; }

case_hostile() {
	setup_server
	lab_redirect_user "$bin" nas.example.com "$PASS"
	local https=(curl_ --cacert "$LAB_DIR/ca/ca.pem") base
	base=$(fds)
	# 100 idle connections from one address on the TLS port (max 32).
	flood hold "$R" 443 3 100 "$LAB_STUN1" > "$LAB_DIR/flood.out" &
	local pid=$! pids=()
	sleep 1.5
	check_eq "TLS: idle connections counted at accept" \
		"$([ "$(fds)" -le $((base + 34)) ] && echo yes || echo "no ($(fds) descriptors, $base before)")" yes
	check_eq "TLS: another address still registers" \
		"$("${https[@]}" -u "nas.example.com:$PASS" "https://$R/nic/update?hostname=nas.example.com&myip=5.0.1.7&port=8080")" "good 5.0.1.7"
	wait "$pid"
	# A TLS handshake sent a byte a second: cut off 10 s after the accept.
	t=$(flood trickle "$R" 443 tls)
	check_eq "TLS: a slow handshake is cut off after 10 s" \
		"$([ "$t" -ge 9000 ] && [ "$t" -lt 13000 ] && echo yes || echo "no ($t ms)")" yes
	# Parallel guesses from an address under delay wait their turn.
	"${https[@]}" -u nas.example.com:wrong "https://$R/nic/update?hostname=nas.example.com" > /dev/null
	for i in $(seq 16); do
		"${https[@]}" --max-time 40 -o "$LAB_DIR/guess.$i" -w '%{http_code}\n' \
			-u "nas.example.com:wrong$i" "https://$R/nic/update?hostname=nas.example.com" \
			>> "$LAB_DIR/guesses" &
		pids+=($!)
	done
	wait "${pids[@]}"
	check_eq "parallel guesses: one checked" "$(cat "$LAB_DIR"/guess.* | grep -c badauth)" 1
	check_eq "parallel guesses: the rest told to wait" "$(grep -c 429 "$LAB_DIR/guesses")" 15
	# Out of descriptors: 8 addresses x 30 connections against a limit of 128.
	for i in $(seq 8); do lab_run inet ip addr add "5.0.3.$i/32" dev lo; done
	prlimit --pid "$(server_pid)" --nofile=128:128
	lines=$(wc -l < "$LAB_DIR/redirect.log") ticks=$(cpu_ticks)
	flood hold "$R" 80 4 30 5.0.3.1 5.0.3.2 5.0.3.3 5.0.3.4 5.0.3.5 5.0.3.6 5.0.3.7 5.0.3.8 \
		> /dev/null
	check_eq "descriptors out: said once" \
		"$(grep -c 'out of file descriptors' "$LAB_DIR/redirect.log")" 1
	check_eq "descriptors out: the log stays small" \
		"$([ $(( $(wc -l < "$LAB_DIR/redirect.log") - lines )) -lt 20 ] && echo yes || echo no)" yes
	check_eq "descriptors out: no busy loop (< 1 s of CPU in 4 s)" \
		"$([ $(( $(cpu_ticks) - ticks )) -lt 100 ] && echo yes || echo "no ($(( $(cpu_ticks) - ticks )) ticks)")" yes
	check_eq "descriptors back: visitors served" \
		"$(curl_ --max-time 15 -o /dev/null -w '%{http_code}' -H 'Host: nas.example.com' "http://$R/")" 307
}

held_from() {	# held_from PREFIX: connections the server holds from it
	lab_run inet ss -Htn state established "( sport = :80 )" | grep -c "\[$1"
}

server_restart_nofile() {	# the server anew, with N descriptors
	kill "$(server_pid)"
	wait_for 3 sh -c "! pgrep -f 'redirect-server --config $LAB_DIR/redirect/redirect.conf' > /dev/null"
	lab_bg inet redirect2 prlimit --nofile="$1:$1" "$bin" -vv redirect-server \
		--config "$LAB_DIR/redirect/redirect.conf"
	lab_wait_tcp inet 443
}

case_per64() {
	setup_server
	lab_redirect_user "$bin" nas.example.com "$PASS"
	curl_ --cacert "$LAB_DIR/ca/ca.pem" -u "nas.example.com:$PASS" \
		"https://$R/nic/update?hostname=nas.example.com&myip=5.0.1.7&port=8080" > /dev/null
	lab_run inet ip -6 route add local 2a05:5:e::/64 dev lo
	lab_run inet sysctl -qw net.ipv6.ip_nonlocal_bind=1
	flood hold "$LAB_REDIRECT6" 80 4 1 '2a05:5:e::/64*1100' > "$LAB_DIR/flood.out" &
	local pid=$! held answered=0
	sleep 2.5
	held=$(held_from 2a05:5:e:)
	echo "info: $held connections held from the /64, $(fds) descriptors"
	check_eq "one /64 holds 32 connections at most" \
		"$([ "$held" -le 32 ] && echo yes || echo "no ($held)")" yes
	check_eq "an IPv4 visitor is served meanwhile" \
		"$(curl_ -o /dev/null -w '%{http_code}' -H 'Host: nas.example.com' "http://$R/")" 307
	wait "$pid"
	for i in $(seq 40); do
		code=$(curl_ --interface "2a05:5:e::$((i + 2000))" -o /dev/null -w '%{http_code}' \
			"http://[$LAB_REDIRECT6]/check?port=$((9000 + i))&proto=tcp")
		[ "$code" = 200 ] && answered=$((answered + 1))
		echo "$code" >> "$LAB_DIR/checks"
	done
	echo "info: $answered of 40 checks from one /64 answered ($(sort "$LAB_DIR/checks" | uniq -c | tr '\n' ' '))"
	check_eq "40 checks from one /64: 10 at most" \
		"$([ "$answered" -le 10 ] && echo yes || echo "no ($answered)")" yes
	# Few descriptors: idle connections from 64 sources fill the server's
	# ceiling; a visitor still gets an answer.
	server_restart_nofile 200
	for i in $(seq 64); do lab_run inet ip addr add "5.0.4.$i/32" dev lo; done
	flood hold "$R" 80 4 8 $(printf '5.0.4.%s ' $(seq 64)) > /dev/null &
	pid=$!
	sleep 2
	check_eq "a full server makes way for a visitor" \
		"$(curl_ -o /dev/null -w '%{http_code}' -H 'Host: nas.example.com' "http://$R/")" 307
	wait "$pid"
}

"case_$case_"
finish
