#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test-hostile.sh CASE HOMEREACH: what a LAN host, a router or a stranger
# sends must not steer, starve or bloat homereach (the audit's findings).
#   router    a UPnP router claiming 0.0.0.0, 127.0.0.1 or 255.255.255.255
#             as its WAN address: unknown, not a double NAT; `map add`
#             prints no such address
#   gateway   a UPnP description or SOAP reply that never ends is read to
#             64 KiB, the reading stops when the probe gives up, and the
#             agent does not grow while its checks go on; a URLBase off
#             the gateway gets no request
#   config    bad local input: a FIFO as the configuration or a secret file
#             (no hang), a directory as password_file, binary garbage,
#             repeated sections and keys, an open quote, a host name that is
#             not ASCII, listen ports 0 and 70000, a users_file others can
#             read: each one line naming the file and line, capped
here=$(dirname "$(realpath "$0")")
. "$here/lab.sh"
lab_test_init "$@"

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
		"$(grep -c 'reachable at an unknown address, port 8080' "$LAB_DIR/map.out")" 1
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

# cc FILE: check-config on FILE, at most 5 s; its output in $LAB_DIR/cc
cc() {
	timeout 5 "$bin" check-config --config "$1" > "$LAB_DIR/cc" 2>&1
	echo $?
}

case_config() {
	local d=$LAB_DIR/conf
	mkdir -p "$d"
	mkfifo "$d/fifo.conf"
	check_eq "FIFO as the configuration: no hang, exit 2" "$(cc "$d/fifo.conf")" 2
	check_eq "FIFO as the configuration: said" "$(cat "$LAB_DIR/cc")" \
		"homereach: $d/fifo.conf:0: not a regular file"
	mkfifo "$d/fifo.key"
	printf '[ddns a]\nprovider = dyndns2\nserver = https://x\nusername = u\n%s\nhostname = a.example.com\n' \
		"password_file = fifo.key" > "$d/a.conf"
	chmod 600 "$d/a.conf"
	check_eq "FIFO as a secret file: no hang, exit 2" "$(cc "$d/a.conf")" 2
	check_eq "FIFO as a secret file: said" "$(cat "$LAB_DIR/cc")" \
		"homereach: $d/a.conf:5: $d/fifo.key is not a regular file"
	mkdir "$d/dir.key"
	sed -i 's/fifo.key/dir.key/' "$d/a.conf"
	cc "$d/a.conf" > /dev/null
	check_eq "a directory as password_file: not told to chmod it" "$(cat "$LAB_DIR/cc")" \
		"homereach: $d/a.conf:5: $d/dir.key is not a regular file"
	head -c 20000 /dev/urandom > "$d/garbage.conf"
	check_eq "binary garbage: exit 2" "$(cc "$d/garbage.conf")" 2
	check_eq "binary garbage: one line" "$(wc -l < "$LAB_DIR/cc")" 1
	head -c 20000 /dev/urandom | tr -d '\0' > "$d/garbage.conf"
	cc "$d/garbage.conf" > /dev/null
	check_eq "binary garbage without NUL bytes: 10 lines at most" \
		"$([ "$(wc -l < "$LAB_DIR/cc")" -le 10 ] && echo yes || echo "no ($(wc -l < "$LAB_DIR/cc"))")" yes
	check_eq "binary garbage: printable lines only" "$(LC_ALL=C grep -c '[^[:print:]]' "$LAB_DIR/cc")" 0
	printf '[agent]\ninterval = 60\n[agent]\n[ddns a]\nprovider = duckdns\ntoken = "t\nhostname = n\344s.example.com\nhostname = b.example.com\n[redirect-server]\nlisten = 5.0.0.4:0\ntls_listen = 5.0.0.4:70000\ndns_server = 5.0.0.2\n' \
		> "$d/bad.conf"
	chmod 600 "$d/bad.conf"
	cc "$d/bad.conf" > /dev/null
	for want in "bad.conf:3: \[agent\] appears twice (first at line 1)" \
	    "bad.conf:6: token: a quote that does not end" \
	    "bad.conf:8: hostname is set twice (first at line 7)" \
	    'bad.conf:4: \[ddns a\]: hostname "n?s.example.com" is not a DNS name' \
	    'listen "5.0.0.4:0": want ADDRESS\[:PORT\]' \
	    'tls_listen "5.0.0.4:70000": want ADDRESS\[:PORT\]'; do
		check_eq "said: $want" "$(grep -c "$want" "$LAB_DIR/cc")" 1
	done
	printf 'x\n' > "$d/users"
	chmod 644 "$d/users"
	printf '[redirect-server]\nlisten = 5.0.0.4:80\ndns_server = 5.0.0.2\nzone = example.com\ntsig_key = k\ntsig_secret = c2VjcmV0\nusers_file = users\n' > "$d/r.conf"
	chmod 600 "$d/r.conf"
	cc "$d/r.conf" > /dev/null
	check_eq "a users_file others can read: refused" \
		"$(grep -c "users holds a secret and group or others can read it: chmod 600" "$LAB_DIR/cc")" 1
	printf '[ddns a]\nprovider = duckdns\nhostname = a.example.com\ntoken = abc\n' > "$d/g.conf"
	chmod 640 "$d/g.conf"	# as the package's: group homereach reads it
	cc "$d/g.conf" > /dev/null
	check_eq "a group-readable config with a secret in it: one line, and the way out" \
		"$(grep -c "g.conf holds a secret .* chmod 600 .*g.conf, or move each secret to a \*_file" "$LAB_DIR/cc") $(wc -l < "$LAB_DIR/cc")" "1 1"
}

"case_$case_"
finish
