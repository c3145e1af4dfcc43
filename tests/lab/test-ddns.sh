#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test-ddns.sh CASE HOMEREACH: `homereach ddns` in the lab.
#   rfc2136   knot's A record follows the public address, with TSIG; a wrong
#             key is reported as BADSIG and leaves its record alone; the
#             AAAA names the address an observer over IPv6 confirms
#   dyndns2   the fixture answers each return code in turn: request line,
#             recorded state, and what the engine does next (nothing at all
#             during a back-off, nothing after badauth, even on a new run);
#             "good" with HTTP 500 or 404 is not published
#   cgnat     the carrier's address is never published, and it says why
#   apis      Cloudflare's API (find zone and record, create, then patch)
#             and a custom URL template, against the fixture
#   secrets   every command at the highest verbosity: neither the password,
#             nor base64(user:password), nor the TSIG secret, anywhere
here=$(dirname "$(realpath "$0")")
. "$here/lab.sh"
lab_test_init "$@"

SECRET=c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seQ==
WRONG=d3Jvbmcta2V5LWZvci10ZXN0cw==
PASSWORD='pa55:word-for-the-lab'
conf=
hr() { lab_run host "$bin" "$@" --config "$conf"; }

# write_conf [EXTRA_LINES]: the configuration of the tests
write_conf() {
	mkdir -p "$LAB_DIR/conf"
	conf=$LAB_DIR/conf/homereach.conf
	printf '%s\n' "$SECRET" > "$LAB_DIR/conf/tsig.key"
	printf '%s\n' "$WRONG" > "$LAB_DIR/conf/wrong.key"
	chmod 600 "$LAB_DIR/conf/tsig.key" "$LAB_DIR/conf/wrong.key"
	cat > "$conf" <<-CONF
	[agent]
	state_dir = $LAB_DIR/state
	[probes]
	stun = $LAB_STUN1
	http_echo = $LAB_ECHO
	$1
	CONF
	chmod 600 "$conf"
}

rfc2136_records() {
	cat <<-REC
	[ddns home]
	provider = rfc2136
	hostname = nas.example.com
	server = $LAB_STUN1
	zone = example.com
	tsig_key = ddns-key.example.com
	tsig_secret_file = tsig.key
	[ddns both]
	provider = rfc2136
	hostname = dual.example.com
	server = $LAB_STUN1
	zone = example.com
	tsig_key = ddns-key.example.com
	tsig_secret_file = tsig.key
	record = both
	[ddns bad]
	provider = rfc2136
	hostname = bad.example.com
	server = $LAB_STUN1
	zone = example.com
	tsig_key = ddns-key.example.com
	tsig_secret_file = wrong.key
	REC
}

updates_in_knot() { grep -c "DDNS, processing" "$LAB_DIR/knot.log"; }

case_rfc2136() {
	lab_setup single-nat
	lab_knot "$SECRET"
	write_conf "$(rfc2136_records)"
	hr ddns update home > "$LAB_DIR/out" 2>&1
	check_eq "update exit status" "$?" 0
	check_eq "says what it did" "$(cat "$LAB_DIR/out")" "home A: 5.0.1.2 published (NOERROR)"
	check_eq "knot serves the new address" "$(lab_dig nas.example.com)" 5.0.1.2
	hr ddns update home > "$LAB_DIR/out" 2>&1
	check_eq "second run: unchanged" "$(cat "$LAB_DIR/out")" "home A: unchanged: 5.0.1.2 is published already"
	check_eq "second run sent nothing" "$(updates_in_knot)" 1
	# A lost state file does not make an update that changes nothing.
	rm "$LAB_DIR/state/state"
	hr ddns update home > "$LAB_DIR/out" 2>&1
	check_eq "state lost: DNS asked first" "$(cat "$LAB_DIR/out")" "home A: 5.0.1.2 published (in-dns)"
	check_eq "state lost: still one update in knot" "$(updates_in_knot)" 1
	hr ddns update bad > "$LAB_DIR/out" 2>&1
	check_eq "wrong key: exit status" "$?" 1
	check_eq "wrong key: reported as such" "$(grep -c 'not published: .*(BADSIG); stopped' "$LAB_DIR/out")" 1
	check_eq "wrong key: record left alone" "$(lab_dig bad.example.com)" 192.0.2.9
	hr ddns update bad --force > "$LAB_DIR/out" 2>&1
	check_eq "wrong key: stopped, even forced" "$(grep -c '^bad A: stopped: ' "$LAB_DIR/out")" 1
	check_eq "status names the stop" "$(hr ddns status --json | jq -r '.[] | select(.name == "bad") | .last_result')" BADSIG
	# AAAA: the host's stable global IPv6 address that an observer over
	# IPv6 confirms; not a deprecated one (as privacy addresses become;
	# only the kernel can make one temporary, a flag the unit tests cover),
	# not a ULA, not a prefix a rogue router advertisement offered (the
	# internet routes it elsewhere: the first in the kernel's list).
	lab_ipv6 rtr
	lab_run host ip -6 addr add 2a05:dead:beef::10/64 dev eth0 nodad
	lab_run host ip -6 addr add 2a05:5:1::99/64 dev eth0 nodad preferred_lft 0
	lab_run host ip -6 addr add fd00::10/64 dev eth0 nodad
	sed -i "s|^stun = .*|&, [$LAB_OBS6]:3478|" "$conf"
	hr ddns update both > "$LAB_DIR/out" 2>&1
	check_eq "both: A and the confirmed AAAA published" "$(sort "$LAB_DIR/out" | tr '\n' '|')" \
		"both A: 5.0.1.2 published (NOERROR)|both AAAA: $LAB_V6_HOST published (NOERROR)|"
	check_eq "knot serves the AAAA" "$(lab_run inet kdig +short @"$LAB_STUN1" dual.example.com AAAA)" "$LAB_V6_HOST"
	lab_run host ip -6 addr del "$LAB_V6_HOST/64" dev eth0
	hr ddns update both > "$LAB_DIR/out" 2>&1
	check_eq "the stable one gone: the deprecated one that works, never the rogue" \
		"$(lab_run inet kdig +short @"$LAB_STUN1" dual.example.com AAAA)" 2a05:5:1::99
	# The address changes (the router gets a new WAN address): updated.
	lab_wan_change rtr 5.0.1.7/24 5.0.1.1
	hr ddns update home > "$LAB_DIR/out" 2>&1
	check_eq "new address published" "$(cat "$LAB_DIR/out")" "home A: 5.0.1.7 published (NOERROR)"
	check_eq "knot serves it" "$(lab_dig nas.example.com)" 5.0.1.7
}

dyndns2_record() {
	cat <<-REC
	[ddns dyn]
	provider = dyndns2
	hostname = nas.example.com
	server = https://$LAB_STUN1
	username = alice
	password = $PASSWORD
	ca_file = $LAB_DIR/ca/ca.pem
	ttl = 300
	REC
}

requests() { grep -c . "$LAB_DIR/dyndns2.requests"; }
answer() { printf '%s\n' "$@" >> "$LAB_DIR/dyndns2.answers"; }
next_wait() { hr ddns status --json | jq -r '.[0].next'; }

case_dyndns2() {
	lab_setup single-nat
	lab_dyndns2 alice "$PASSWORD"
	write_conf "$(dyndns2_record)"
	answer "good 5.0.1.2"
	hr ddns update > "$LAB_DIR/out" 2>&1
	check_eq "good" "$(cat "$LAB_DIR/out")" "dyn A: 5.0.1.2 published (good)"
	check_eq "the request line" "$(cut -f1 "$LAB_DIR/dyndns2.requests")" \
		"GET /nic/update?hostname=nas.example.com&myip=5.0.1.2 HTTP/1.1"
	check_eq "credentials by basic auth" "$(cut -f3 "$LAB_DIR/dyndns2.requests")" auth=ok
	check_eq "a user agent naming us" "$(cut -f2 "$LAB_DIR/dyndns2.requests" | cut -d/ -f1)" agent=homereach
	check_eq "state records it" "$(hr ddns status --json | jq -r '.[0].published')" 5.0.1.2
	hr ddns update > /dev/null 2>&1
	check_eq "unchanged: no request" "$(requests)" 1
	answer "nochg 5.0.1.2"
	hr ddns update --force > "$LAB_DIR/out" 2>&1
	check_eq "nochg on a forced refresh" "$(cat "$LAB_DIR/out")" "dyn A: 5.0.1.2 published (nochg)"
	answer "500 911"
	hr ddns update --force > "$LAB_DIR/out" 2>&1
	check_eq "911: backing off" "$(grep -c 'the provider has an outage (911); backing off' "$LAB_DIR/out")" 1
	check_eq "911: not sooner than 30 minutes" "$(next_wait | awk '{ print ($(NF - 1) + 0 >= 1800) ? "yes" : "no" }')" yes
	hr ddns update > "$LAB_DIR/out" 2>&1
	check_eq "during the back-off: nothing at all" "$(requests)" 3
	check_eq "during the back-off: says so" "$(grep -c '^dyn A: waiting: backing off after "911"' "$LAB_DIR/out")" 1
	answer "dnserr"
	hr ddns update --force > /dev/null 2>&1
	check_eq "dnserr: backing off" "$(hr ddns status --json | jq -r '.[0].last_result')" dnserr
	answer "<html><body>good</body></html>"
	hr ddns update --force > "$LAB_DIR/out" 2>&1
	check_eq "an HTML page with good in it is not good" "$(grep -c '^dyn A: not published: .*not a dyndns2 answer' "$LAB_DIR/out")" 1
	answer "badauth"
	hr ddns update --force > "$LAB_DIR/out" 2>&1
	check_eq "badauth: stopped" "$(grep -c '(badauth); stopped until' "$LAB_DIR/out")" 1
	hr ddns update --force > /dev/null 2>&1
	hr ddns update > /dev/null 2>&1
	check_eq "after badauth: nothing, on new runs too" "$(requests)" 6
	# A changed configuration lifts the stop. (Forced: the provider has
	# 5.0.1.2 already, so nothing would be due.)
	sed -i 's/^ttl = 300$/ttl = 301/' "$conf"
	answer "good 5.0.1.2"
	hr ddns update --force > /dev/null 2>&1
	check_eq "a changed configuration tries again" "$(requests)" 7
	ttl=302
	for code in '!donator' notfqdn nohost '!yours' numhost abuse badagent badsys; do
		sed -i "s/^ttl = .*/ttl = $((ttl++))/" "$conf"
		answer "$code"
		hr ddns update --force > "$LAB_DIR/out" 2>&1
		check_eq "$code: stopped" "$(grep -c "($code); stopped until" "$LAB_DIR/out")" 1
	done
	# The HTTP status first: "good" on an error page is not published.
	for status in 500 404; do
		sed -i "s/^ttl = .*/ttl = $((ttl++))/" "$conf"
		answer "$status good 5.0.1.2"
		hr ddns update --force > "$LAB_DIR/out" 2>&1
		check_eq "HTTP $status with good: not published" \
			"$(grep -c '^dyn A: not published: .*an HTTP error status' "$LAB_DIR/out")" 1
		check_eq "HTTP $status with good: recorded as such" \
			"$(hr ddns status --json | jq -r '.[0].last_result')" "HTTP-$status"
	done
	hr ddns update > /dev/null 2>&1
	check_eq "HTTP 404 with good: retried later, not now" "$(requests)" 17
}

case_apis() {
	lab_setup single-nat
	lab_dyndns2 alice "$PASSWORD"
	write_conf "$(cat <<-REC
	[service site]
	port = 443
	[ddns cf]
	provider = cloudflare
	server = https://$LAB_STUN1/client/v4
	zone = example.com
	hostname = nas.example.com
	token = $PASSWORD
	ca_file = $LAB_DIR/ca/ca.pem
	[ddns mine]
	provider = custom
	url = https://$LAB_STUN1/custom?host={hostname}&ip={ip}&token={password}
	password = $PASSWORD
	success = OK
	hostname = nas.example.com
	ca_file = $LAB_DIR/ca/ca.pem
	REC
	)"
	hr ddns update cf > "$LAB_DIR/out" 2>&1
	check_eq "cloudflare: created" "$(cat "$LAB_DIR/out")" "cf A: 5.0.1.2 published (created)"
	check "cloudflare: the record" '.[0] | "\(.type) \(.name) \(.content) \(.proxied)"' \
		"A nas.example.com 5.0.1.2 false" "$LAB_DIR/dyndns2.answers.cloudflare"
	check_eq "cloudflare: zone, then each record found and created" \
		"$(cut -f1 "$LAB_DIR/dyndns2.requests" | cut -d'?' -f1 | sed 's|/zones/023e105f4ecef8ad9ca31a8372d0c353/|/Z/|' | tr '\n' ' ')" \
		"GET /client/v4/zones GET /client/v4/Z/dns_records POST /client/v4/Z/dns_records GET /client/v4/Z/dns_records POST /client/v4/Z/dns_records GET /client/v4/Z/dns_records POST /client/v4/Z/dns_records "
	check "cloudflare: the site's SRV record" '.[] | select(.type == "SRV") | "\(.name) \(.data.port) \(.data.target)"' \
		"_site._tcp.nas.example.com 443 nas.example.com" "$LAB_DIR/dyndns2.answers.cloudflare"
	check "cloudflare: its HTTPS record" '.[] | select(.type == "HTTPS") | "\(.name) \(.data.priority) \(.data.target) \(.data.value)"' \
		'nas.example.com 1 . port="443" ipv4hint="5.0.1.2"' "$LAB_DIR/dyndns2.answers.cloudflare"
	lab_wan_change rtr 5.0.1.7/24 5.0.1.1
	hr ddns update cf > "$LAB_DIR/out" 2>&1
	check_eq "cloudflare: patched" "$(cat "$LAB_DIR/out")" "cf A: 5.0.1.7 published (updated)"
	check "cloudflare: the same records, the new address" '[length, .[0].content, (.[] | select(.type == "HTTPS") | .data.value)] | join(" ")' \
		'3 5.0.1.7 port="443" ipv4hint="5.0.1.7"' "$LAB_DIR/dyndns2.answers.cloudflare"
	check_eq "cloudflare: the token was accepted" "$(grep -c 'auth=bad' "$LAB_DIR/dyndns2.requests")" 0
	hr ddns update mine > "$LAB_DIR/out" 2>&1
	check_eq "custom: published" "$(cat "$LAB_DIR/out")" "mine A: 5.0.1.7 published (ok)"
	check_eq "custom: the URL's values" "$(grep '^GET /custom' "$LAB_DIR/dyndns2.requests" | cut -f1)" \
		"GET /custom host=['nas.example.com'] ip=['5.0.1.7']"
}

case_cgnat() {
	lab_setup cgnat
	lab_knot "$SECRET"
	write_conf "$(rfc2136_records)"
	hr ddns update home > "$LAB_DIR/out" 2>&1
	check_eq "exit status" "$?" 1
	check_eq "says why" "$(grep -c '^home A: refused: behind carrier-grade NAT' "$LAB_DIR/out")" 1
	check_eq "nothing sent" "$(updates_in_knot)" 0
	check_eq "record left alone" "$(lab_dig nas.example.com)" 192.0.2.9
}

case_secrets() {
	lab_setup single-nat
	lab_knot "$SECRET"
	lab_dyndns2 alice "$PASSWORD"
	write_conf "$(rfc2136_records; dyndns2_record)"
	out=$LAB_DIR/all-output
	for args in "check-config" "ddns update" "ddns update --force" "ddns status" \
	    "ddns status --json" "ddns update bad" "diagnose --json" "map list --json"; do
		# shellcheck disable=SC2086
		hr -vvv $args >> "$out" 2>&1
	done
	lab_run host "$bin" -vvv ddns update --config "$conf" >> "$out" 2>&1
	b64=$(printf 'alice:%s' "$PASSWORD" | base64)
	for f in "$out" "$LAB_DIR/state/state"; do
		check_eq "no password in $(basename "$f")" "$(grep -cF -- "$PASSWORD" "$f")" 0
		check_eq "no base64(user:password) in $(basename "$f")" "$(grep -cF -- "$b64" "$f")" 0
		check_eq "no TSIG secret in $(basename "$f")" "$(grep -cF -- "$SECRET" "$f")" 0
		check_eq "no wrong TSIG secret in $(basename "$f")" "$(grep -cF -- "$WRONG" "$f")" 0
	done
	check_eq "the commands did run" "$(grep -q '^home A: 5.0.1.2 published (NOERROR)' "$out" &&
		grep -q '^dyn A: 5.0.1.2 published (good)' "$out" && echo yes)" yes
}

"case_$case_"
finish
