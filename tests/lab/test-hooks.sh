#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test-hooks.sh CASE HOMEREACH: [hook] sections and heartbeat_url.
#   events    single-nat with knot: a WAN change, a router reboot and a
#             failed update (knot gone). Each event of the timeline reaches
#             the exec hook once, with its values in the environment, and
#             the webhook receiver once, signed (HMAC-SHA256); a hook that
#             hangs is killed at its time limit and the agent goes on; a
#             webhook that answers 500 is tried three times and dropped;
#             the heartbeat URL is fetched after the checks
here=$(dirname "$(realpath "$0")")
. "$here/lab.sh"
lab_test_init "$@"
. "$here/agent.sh"

hooklog=$LAB_DIR/hook-events.log recv=$LAB_DIR/receiver.log
log_has() { [ "$(grep -c "$2" "$1" 2>/dev/null)" -ge "$3" ]; }

# hooks_conf: the agent's config with a hook of each kind, and the
# scripts they run.
hooks_conf() {
	mkdir -p "$LAB_DIR/conf"
	printf 'webhook-secret\n' > "$LAB_DIR/conf/hook.secret"
	chmod 600 "$LAB_DIR/conf/hook.secret"
	cat > "$LAB_DIR/hook.sh" <<-'SH'
	#!/bin/sh
	echo "$HOMEREACH_EVENT|$HOMEREACH_NAME|$HOMEREACH_OLD|$HOMEREACH_NEW|$HOMEREACH_HOOK" >> "$(dirname "$0")/hook-events.log"
	SH
	printf '#!/bin/sh\nsleep 61 &\nexec sleep 60\n' > "$LAB_DIR/hang.sh"
	chmod 755 "$LAB_DIR/hook.sh" "$LAB_DIR/hang.sh"
	AGENT_CONF="heartbeat_url = http://127.0.0.1:9000/ping" \
	EXTRA_CONF=$(cat <<-CONF
	[hook exec]
	events = all
	exec = $LAB_DIR/hook.sh
	[hook web]
	events = address-changed, record-updated, mapping-lost, mapping-restored, record-failed
	url = http://127.0.0.1:9000/ok
	plain_http = yes
	secret_file = hook.secret
	[hook hang]
	events = address-changed
	exec = $LAB_DIR/hang.sh
	timeout = 1
	[hook broken]
	events = record-failed
	url = http://127.0.0.1:9000/fail
	plain_http = yes
	timeout = 2
	CONF
	) write_conf "web 8080"
}
trap '[ "$FAILS" = 0 ] || cat "$LAB_DIR/agent.log" >&2 2>/dev/null; lab_teardown' EXIT

case_events() {
	lab_setup single-nat
	lab_knot "$SECRET"
	lab_bg host web socat TCP-LISTEN:8080,fork,reuseaddr SYSTEM:'echo hello-from-nas'
	lab_bg host receiver python3 "$here/webhook_receiver.py" 9000 webhook-secret "$recv"
	lab_wait_tcp host 8080
	lab_wait_tcp host 9000
	hooks_conf
	lab_run host "$bin" check-config --config "$conf" > /dev/null
	check_eq "the hooks' configuration is valid" "$?" 0
	lab_spawn host "$bin" -v agent --config "$conf" >> "$LAB_DIR/agent.log" 2>&1
	agent=$LAB_PID
	wait_for 5 status_has '.records[0].published' 5.0.1.2
	lab_wan_change rtr 5.0.1.9/24 5.0.1.1
	wait_for 5 status_has '.records[0].published' 5.0.1.9
	sleep 2
	lab_upnpd_crash rtr
	sleep 2
	lab_upnpd_start rtr
	wait_for 5 has_event mapping-restored
	pkill -KILL -f "knotd -c $LAB_DIR/knot/knot.conf"
	wait_for 5 knot_gone
	lab_wan_change rtr 5.0.1.7/24 5.0.1.1
	wait_for 15 has_event record-failed
	# The broken webhook: three attempts, 1 s and 2 s apart.
	wait_for 15 log_has "$LAB_DIR/agent.log" 'hook broken: the url did not take it: dropped' 1
	wait_for 5 log_has "$LAB_DIR/agent.log" 'hook hang: still running at its time limit: killed' 2
	status_json
	jq -r '.events | reverse | .[] | "\(.event)|\(.name)|\(.old)|\(.new)|exec"' \
		"$LAB_DIR/status.json" | sort > "$LAB_DIR/want-exec"
	sort "$hooklog" > "$LAB_DIR/got-exec"
	# The driven kinds, each at least once (a router that resets its
	# epoch with its address may add a loss and a restoration).
	check_eq "the timeline has every kind driven" \
		"$(jq -r '[.events[].event] | unique | join(" ")' "$LAB_DIR/status.json")" \
		"address-changed mapping-lost mapping-restored record-failed record-updated"
	check_eq "the exec hook got each event once, with its values" \
		"$(diff "$LAB_DIR/want-exec" "$LAB_DIR/got-exec" && echo same)" same
	jq -r '.events[] | select(.event | IN("address-changed", "record-updated", "mapping-lost", "mapping-restored", "record-failed"))
		| "ok \(.event) \(.name | if . == "" then "-" else . end) \(.old | if . == "" then "-" else . end) \(.new | if . == "" then "-" else . end) valid"' \
		"$LAB_DIR/status.json" | sort > "$LAB_DIR/want-web"
	grep '^ok ' "$recv" | sort > "$LAB_DIR/got-web"
	check_eq "the webhook got each event it wants once, signed" \
		"$(diff "$LAB_DIR/want-web" "$LAB_DIR/got-web" && echo same)" same
	check_eq "the failing webhook was tried three times" "$(grep -c '^fail record-failed' "$recv")" 3
	check_eq "and its own children with it" "$(pgrep -fc '^sleep 61$')" 0
	check_eq "the hanging hook was killed at its limit, each time" \
		"$(grep -c 'hook hang: still running at its time limit: killed' "$LAB_DIR/agent.log")" \
		"$(jq '[.events[] | select(.event == "address-changed")] | length' "$LAB_DIR/status.json")"
	check_eq "no hook process left behind" "$(pgrep -fc "$LAB_DIR/hang.sh")" 0
	check_eq "the heartbeat was fetched" "$(grep -c '^ping' "$recv" | sed 's/^[1-9][0-9]*$/yes/')" yes
	check_eq "the agent goes on" "$(status_has .verdict single-nat && echo yes)" yes
	check_eq "no secret in the log" "$(grep -c 'webhook-secret' "$LAB_DIR/agent.log")" 0
	kill "$agent"; wait "$agent"
}

"case_$case_"
finish
