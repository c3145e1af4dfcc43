# SPDX-License-Identifier: BSD-2-Clause
# The agent in the lab: helpers the agent's lab tests share, defined once.
# Source after lab_test_init (lab.sh), with bin set to the binary.
#   write_conf SERVICES...  a config: the lab's STUN, each "NAME PORT [udp]"
#                           as a [service], an RFC 2136 record in knot;
#                           AGENT_CONF ([agent] lines), RECORD, CHECK_URL,
#                           EXTRA_CONF (sections at the end) add to it
#   start_agent / stop_agent [SIG], status_json, status_has JQ WANT,
#   has_event EVENT, knot_gone (now_ms: lab.sh),
#   wait_for SECONDS CMD..., reach_tcp ADDR PORT, reach_udp ADDR PORT,
#   services (a TCP 8080; with "udp", a UDP 5353 too),
#   browse URL NAME (the status page in headless Chromium: its DOM in
#   $LAB_DIR/NAME.html, a screenshot in $artefacts)

SECRET=c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seQ==
conf=$LAB_DIR/conf/homereach.conf agent=

reach_tcp() {	# reach_tcp ADDR PORT: what the service says from outside
	lab_run inet timeout 2 socat -T1 - "TCP:$1:$2" < /dev/null 2>/dev/null
}
# write_conf SERVICES...: each "NAME PORT [udp]"
write_conf() {
	mkdir -p "$LAB_DIR/conf"
	conf=$LAB_DIR/conf/homereach.conf
	printf '%s\n' "$SECRET" > "$LAB_DIR/conf/tsig.key"
	chmod 600 "$LAB_DIR/conf/tsig.key"
	{
		printf '[agent]\nstate_dir = %s\nruntime_dir = %s\n' \
			"$LAB_DIR/state" "$LAB_DIR/run"
		[ -z "${AGENT_CONF:-}" ] || printf '%s\n' "$AGENT_CONF"
		printf '[probes]\nstun = %s\n' "${STUN:-$LAB_STUN1}"
		[ -z "${CHECK_URL:-}" ] || printf 'check_url = %s\n' "$CHECK_URL"
		for s in "$@"; do
			set -- $s
			printf '[service %s]\nport = %s\nprotocol = %s\n' "$1" "$2" "${3:-tcp}"
		done
		printf '[ddns home]\nprovider = rfc2136\nhostname = nas.example.com\n'
		[ -n "${RECORD:-}" ] && printf 'record = %s\n' "$RECORD"
		printf 'server = %s\nzone = example.com\n' "$LAB_STUN1"
		printf 'tsig_key = ddns-key.example.com\ntsig_secret_file = tsig.key\n'
		[ -z "${EXTRA_CONF:-}" ] || printf '%s\n' "$EXTRA_CONF"
	} > "$conf.new"
	chmod 600 "$conf.new"
	mv "$conf.new" "$conf"
}
start_agent() {	# AGENT_WRAP: a command line the agent's runs under
	if [ -n "${AGENT_WRAP:-}" ]; then
		eval "lab_spawn host $AGENT_WRAP \"\$bin\" ${AGENT_V:--v} agent --config \"\$conf\"" >> "$LAB_DIR/agent.log" 2>&1
	else
		lab_spawn host "$bin" ${AGENT_V:--v} agent --config "$conf" >> "$LAB_DIR/agent.log" 2>&1
	fi
	agent=$LAB_PID
	for _ in $(seq 100); do
		status_json > /dev/null 2>&1 &&
			[ "$(jq -r .last_check.time "$LAB_DIR/status.json")" != 0 ] && return
		sleep 0.05
	done
}
status_json() {
	lab_run host "$bin" status --json --config "$conf" > "$LAB_DIR/status.json" 2> /dev/null
}
status_has() { status_json && [ "$(jq -r "$1" "$LAB_DIR/status.json")" = "$2" ]; }
has_event() { status_json && jq -e --arg e "$1" 'any(.events[]; .event == $e)' "$LAB_DIR/status.json" > /dev/null; }
knot_gone() { ! lab_run inet ss -Hlun "sport = :53" | grep -q .; }
stop_agent() { kill -"${1:-TERM}" "$agent"; wait "$agent"; }
updates_in_knot() { grep -c "DDNS, processing" "$LAB_DIR/knot.log"; }
reach_udp() {	# reach_udp ADDR PORT
	lab_udp_ask inet "UDP:$1:$2"
}
services() {
	lab_bg host web socat TCP-LISTEN:8080,fork,reuseaddr SYSTEM:'echo hello-from-nas'
	lab_wait_tcp host 8080
	[ "${1:-}" != udp ] && return
	lab_bg host game socat UDP-RECVFROM:5353,fork SYSTEM:'echo pong'
	lab_wait_udp host 5353
}
# wait_for SECONDS COMMAND...: until it succeeds; 0 if it did
wait_for() {
	local end=$(( $(now_ms) + $1 * 1000 )); shift
	while [ "$(now_ms)" -lt "$end" ]; do "$@" && return 0; sleep 0.02; done
	return 1
}
# The agent's log, when a check failed (lab_teardown calls it).
lab_dump() {
	[ "${FAILS:-0}" = 0 ] || tail -n 80 "$LAB_DIR/agent.log" >&2 2>/dev/null
}

artefacts=$(realpath -m "${ARTEFACT_DIR:-artefacts}")
# browse URL NAME: the DOM after the page's script ran, and a screenshot
browse() {
	local flags=(--headless=new --no-sandbox --disable-gpu --no-first-run
		--user-data-dir="$LAB_DIR/chromium" --virtual-time-budget=4000
		--window-size=1000,1400)
	mkdir -p "$artefacts"
	lab_run host timeout 60 chromium "${flags[@]}" --dump-dom "$1" \
		> "$LAB_DIR/$2.html" 2> "$LAB_DIR/chromium.log"
	lab_run host timeout 60 chromium "${flags[@]}" \
		--screenshot="$artefacts/$2.png" "$1" >> "$LAB_DIR/chromium.log" 2>&1
	echo "info: screenshot $artefacts/$2.png"
}
