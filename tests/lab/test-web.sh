#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test-web.sh CASE HOMEREACH: the agent's status page in the lab, loaded in
# a real browser (Debian's chromium, headless, in the host's namespace).
#   page      single-nat with knot: a WAN change, a router reboot and a
#             failed update (knot gone); the page (screenshot kept in
#             ARTEFACT_DIR, default ./artefacts) shows the new address, the
#             restored mapping and the failure, as `status --json` does
#             and /metrics counts them (Prometheus text format)
#   password  the page moved to a LAN address with web_password_file
#             (SIGHUP): 401 without the password or with a wrong one, the
#             page with it; a loopback page answers no foreign Host (DNS
#             rebinding); web_listen on a LAN address without a password
#             is a configuration error
here=$(dirname "$(realpath "$0")")
. "$here/lab.sh"
lab_test_init "$@"
. "$here/agent.sh"

PORT=8480

# web_conf [[agent] LINES]: the agent's config with its page on loopback
# (or as the lines say).
web_conf() { AGENT_CONF="${1:-web_listen = 127.0.0.1:$PORT}" write_conf "web 8080"; }
dom() { python3 "$here/dom.py" "$@" < "$LAB_DIR/page.html"; }
trap '[ "$FAILS" = 0 ] || cat "$LAB_DIR/agent.log" >&2 2>/dev/null; lab_teardown' EXIT

case_page() {
	lab_setup single-nat
	lab_knot "$SECRET"
	services
	web_conf
	start_agent
	wait_for 5 status_has '.records[0].published' 5.0.1.2
	# A WAN change: the record follows.
	lab_wan_change rtr 5.0.1.9/24 5.0.1.1
	wait_for 5 status_has '.records[0].published' 5.0.1.9
	# A router reboot: down for a while, its rules gone; the agent sees
	# the epoch go back and maps again.
	sleep 2
	lab_upnpd_crash rtr
	sleep 2
	lab_upnpd_start rtr
	wait_for 5 has_event mapping-restored
	check "the reboot is in the timeline" '[.events[].event] | index("mapping-restored") != null' true "$LAB_DIR/status.json"
	# A failed update: the DNS server is gone when the address changes.
	pkill -KILL -f "knotd -c $LAB_DIR/knot/knot.conf"
	wait_for 5 knot_gone
	lab_wan_change rtr 5.0.1.7/24 5.0.1.1
	wait_for 15 has_event record-failed
	wait_for 5 status_has '.mappings[0].external_address' 5.0.1.7
	browse "http://127.0.0.1:$PORT/" page
	status_json
	check_eq "the page loaded its data" "$(grep -c 'data-loaded="yes"' "$LAB_DIR/page.html")" 1
	check_eq "the new address" "$(dom text:public-ipv4)" "$(jq -r .public_ipv4 "$LAB_DIR/status.json")"
	check_eq "... which is 5.0.1.7" "$(dom text:public-ipv4)" 5.0.1.7
	check_eq "the restored mapping: its way in" "$(dom text:services | grep -o '5.0.1.7:8080 via [a-z]*')" \
		"5.0.1.7:8080 via $(jq -r .mappings[0].via "$LAB_DIR/status.json")"
	check_eq "the timeline as status --json has it" "$(dom within:events:event)" \
		"$(jq -r '[.events[].event] | join(" ")' "$LAB_DIR/status.json")"
	for e in address-changed record-updated mapping-lost mapping-restored record-failed; do
		check_eq "timeline: $e" "$(dom within:events:event | tr ' ' '\n' | grep -cx "$e" | sed 's/^[1-9][0-9]*$/yes/')" yes
	done
	check_eq "the failure, in the records table" "$(dom text:records | grep -c 'nas.example.com A')" 1
	check "status: the record's last answer is a failure" '.records[0].last_result | test("good|NOERROR") | not' true "$LAB_DIR/status.json"
	check_eq "the house: this host, the home router, the internet" \
		"$(python3 "$here/dom.py" text:node-this-host text:node-home-router text:node-internet < "$LAB_DIR/page.html" | tr '\n' '|')" \
		"This host 192.168.1.10|Home router 192.168.1.1 Lab Networks HR-100 maps by PCP, NAT-PMP, UPnP WAN 5.0.1.7|Internet 5.0.1.7|"
	check_eq "the screenshot was kept" "$(test -s "$artefacts/page.png" && echo yes)" yes
	lab_run host "$bin" status --config "$conf" > "$LAB_DIR/status.txt"
	check_eq "status draws the way out in text too" \
		"$(grep -E '^(Way in: |     -> )' "$LAB_DIR/status.txt" | cut -d: -f1 | tr -s ' ' | tr '\n' '|')" \
		"Way in| -> home router 192.168.1.1| -> internet 5.0.1.7|"
	# /metrics on the same listener, in the Prometheus text format.
	lab_run host curl -s "http://127.0.0.1:$PORT/metrics" > "$LAB_DIR/metrics.txt"
	metric() { awk -v m="$1" '$1 == m { print $2 }' "$LAB_DIR/metrics.txt"; }
	check_eq "metrics: every line a comment or NAME{LABELS} NUMBER" \
		"$(grep -cvE '^(# (HELP|TYPE) .*|homereach_[a-z_]+(\{[a-z_0-9]+="[^"]*"(,[a-z_0-9]+="[^"]*")*\})? -?[0-9]+)$' "$LAB_DIR/metrics.txt")" 0
	check_eq "metrics: checks counted" "$([ "$(metric homereach_checks_total)" -ge 3 ] && echo yes)" yes
	check_eq "metrics: the failed update" "$(metric 'homereach_updates_total{result="failed"}')" 1
	check_eq "metrics: updates that worked" "$(metric 'homereach_updates_total{result="ok"}')" 2
	check_eq "metrics: the restored mapping, as the timeline counts it" \
		"$(metric 'homereach_events_total{event="mapping-restored"}')" \
		"$(jq '[.events[] | select(.event == "mapping-restored")] | length' "$LAB_DIR/status.json")"
	check_eq "metrics: the address changes" "$(metric 'homereach_events_total{event="address-changed"}')" 2
	check_eq "metrics: the lease left" "$([ "$(metric "homereach_mapping_lease_seconds{service=\"web\",family=\"4\",protocol=\"$(jq -r .mappings[0].via "$LAB_DIR/status.json")\"}")" -gt 7000 ] && echo yes)" yes
	check_eq "metrics: the verdict" "$(grep -c '^homereach_info{verdict="single-nat",public_ipv4="5.0.1.7",public_ipv6=""} 1$' "$LAB_DIR/metrics.txt")" 1
	kill "$agent"; wait "$agent"
}

case_password() {
	lab_setup single-nat
	services
	web_conf
	start_agent
	code() { lab_run "$1" curl -s -o /dev/null -w '%{http_code}' "${@:2}"; }
	check_eq "loopback: the page" "$(code host "http://127.0.0.1:$PORT/")" 200
	check_eq "loopback: a foreign Host is refused (DNS rebinding)" \
		"$(code host -H 'Host: attacker.example:8480' "http://127.0.0.1:$PORT/status.json")" 421
	check_eq "loopback: only GET and HEAD" "$(code host -X POST "http://127.0.0.1:$PORT/")" 405
	check_eq "loopback: nothing else" "$(code host "http://127.0.0.1:$PORT/etc/passwd")" 404
	check_eq "HEAD: the length GET sends, and no body" \
		"$(lab_run host curl -sI "http://127.0.0.1:$PORT/app.js" | tr -d '\r' | awk -F': ' 'tolower($1) == "content-length" { print $2 }')" \
		"$(lab_run host curl -s "http://127.0.0.1:$PORT/app.js" | wc -c)"
	# Not loopback without a password: refused by the configuration.
	web_conf "web_listen = 192.168.1.10:$PORT"
	lab_run host "$bin" check-config --config "$conf" > /dev/null 2> "$LAB_DIR/check.err"
	check_eq "a LAN listener without a password: config error" "$?" 2
	check_eq "... naming the line" "$(grep -c 'web_listen on a non-loopback address needs web_password_file' "$LAB_DIR/check.err")" 1
	printf 'correct horse battery\n' > "$LAB_DIR/conf/web.pass"
	chmod 600 "$LAB_DIR/conf/web.pass"
	web_conf "web_listen = 192.168.1.10:$PORT
web_password_file = web.pass"
	kill -HUP "$agent"
	wait_for 5 lab_run rtr curl -s -o /dev/null "http://192.168.1.10:$PORT/"
	check_eq "LAN: 401 without the password" "$(code rtr "http://192.168.1.10:$PORT/")" 401
	check_eq "LAN: 401 with a wrong one" "$(code rtr -u any:wrong "http://192.168.1.10:$PORT/status.json")" 401
	check_eq "LAN: the page with it" "$(code rtr -u any:'correct horse battery' "http://192.168.1.10:$PORT/")" 200
	check_eq "LAN: the JSON with it" "$(lab_run rtr curl -s -u any:'correct horse battery' "http://192.168.1.10:$PORT/status.json" | jq -r .verdict)" single-nat
	check_eq "the password is in no log" "$(grep -c 'horse' "$LAB_DIR/agent.log")" 0
	check_eq "loopback page gone after the reload" "$(code host "http://127.0.0.1:$PORT/")" 000
	kill "$agent"; wait "$agent"
}

"case_$case_"
finish
