#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test-audit.sh CASE HOMEREACH: the second outside audit's findings, each
# as it was reproduced (issue 23); every case failed before its fix.
#   links       root writes no file through a link another user planted:
#               import --write into a folder another user owns is refused
#               before anything is written; where it may write, a planted
#               NAME.tmp link is not followed; the state in the agent's
#               folder (owned by another user, with state.tmp and state.lock
#               planted as links to a root-only file) is written as that
#               user's and the root-only file stays as it was; a FIFO or
#               another user's file as a secret is refused, without a hang
#   rogue-ra    single-nat-v6, the host's address by SLAAC: another LAN
#               host's router advertisement deprecates the real prefix and
#               offers its own; the AAAA and the pinhole stay at the real
#               address (nobody outside sees the rogue one), also after the
#               real router's next advertisement
#   web-slots   the status page on the LAN: a LAN host's idle connections
#               (one address, then five) never lock the owner out: 48 of 48
#               of the owner's requests answered meanwhile
#   web-guess   password guesses from one address: one at a time, each held
#               longer after a failure (a few a second at most, was ~7000);
#               the owner elsewhere is not slowed; any user name, an empty
#               one too, with the right password
#   upnp-foreign another program's UPnP mapping on this host (external 7000
#               -> 7001 "game"): map add 7000 --via upnp and the agent take
#               another external port, and neither map del nor the agent's
#               stop removes or changes the game's entry
#   tsig-names  a BIND key file's hmac-md5 (as tsig-keygen, BIND and ddclient
#               name it) signs, and knot takes the update; hmac-sha224 and
#               hmac-sha384, which ldns cannot sign with, are refused by
#               check-config and import with the file and line
#   hook-writable check-config refuses a hook program that another user
#               can change, or one in a folder another user can write
#   control-cred a member of the agent's group reads the status but may not
#               map add or map del through the control socket (root may);
#               twenty idle control connections: eight held
#   server-name server = ns.example.com (a name, as in the example config):
#               a lost state asks that server first, and sends no UPDATE
#   refused     a server that refuses an UPDATE unsigned (PowerDNS with a key
#               it does not know): the likely key mismatch is named, and the
#               record stops after the third such answer
#   map-list    map list asks a UPnP router for its mapping: one another
#               program deleted is said to be gone, with no lease left
#   state-owner root's map add with the agent stopped leaves the state and
#               its lock to the state folder's owner, and the agent, run as
#               that user, then keeps its service mapped
here=$(dirname "$(realpath "$0")")
. "$here/lab.sh"
lab_test_init "$@"
. "$here/agent.sh"

# A root-only file that no step may change: its text and mode.
victim() {
	printf 'root only\n' > "$LAB_DIR/victim"
	chmod 600 "$LAB_DIR/victim"
}
victim_intact() {
	check_eq "$1: the root-only file is as it was" \
		"$(cat "$LAB_DIR/victim") $(stat -c '%a %U:%G' "$LAB_DIR/victim")" \
		"root only 600 root:root"
}
owned_by() { stat -c %U "$1" 2>/dev/null; }
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }

ddclient_conf() {
	printf 'protocol=dyndns2\nserver=members.dyndns.org\nlogin=user\npassword=s3cret-one\nnas.example.com\n' \
		> "$LAB_DIR/ddclient.conf"
}

case_links() {
	local theirs=$LAB_DIR/theirs mine=$LAB_DIR/mine state=$LAB_DIR/state out
	victim
	ddclient_conf
	# Another user's folder: refused, nothing written, the link untouched.
	mkdir -p "$theirs" && chown nobody:nogroup "$theirs" && chmod 755 "$theirs"
	ln -s "$LAB_DIR/victim" "$theirs/homereach.conf.tmp"
	out=$("$bin" import ddclient "$LAB_DIR/ddclient.conf" --write \
		--config "$theirs/homereach.conf" 2>&1)
	check_eq "import into another user's folder is refused" "$?" 1
	check_eq "and says whose folder it is" \
		"$(echo "$out" | grep -c "$theirs belongs to nobody")" 1
	check_eq "nothing written there" "$(ls "$theirs" | tr '\n' ' ')" "homereach.conf.tmp "
	victim_intact "import, another user's folder"
	# A folder only root writes, with the old temporary name planted.
	mkdir -p "$mine" && chmod 755 "$mine"
	ln -s "$LAB_DIR/victim" "$mine/homereach.conf.tmp"
	"$bin" import ddclient "$LAB_DIR/ddclient.conf" --write \
		--config "$mine/homereach.conf" 2> /dev/null
	check_eq "import writes where it may" "$(grep -c '^\[ddns' "$mine/homereach.conf")" 1
	check_eq "the config is a file, not a link" "$([ -f "$mine/homereach.conf" ] &&
		[ ! -L "$mine/homereach.conf" ] && echo yes)" yes
	victim_intact "import, a planted NAME.tmp"
	# A FIFO as the secret file: a clear line, no hang; another user's
	# secret file is not taken.
	mkdir -p "$mine/fifo" "$mine/other"
	mkfifo "$mine/fifo/nas-example-com.password"
	out=$(timeout 5 "$bin" import ddclient "$LAB_DIR/ddclient.conf" --write \
		--config "$mine/fifo/homereach.conf" 2>&1)
	check_eq "a FIFO as the secret: refused, no hang" "$?" 2
	check_eq "and said" "$(echo "$out" | grep -c 'is not a regular file')" 1
	printf 's3cret-one\n' > "$mine/other/nas-example-com.password"
	chown nobody "$mine/other/nas-example-com.password"
	out=$("$bin" import ddclient "$LAB_DIR/ddclient.conf" --write \
		--config "$mine/other/homereach.conf" 2>&1)
	check_eq "another user's secret file: refused" "$(echo "$out" |
		grep -c 'belongs to nobody, who could change the secret')" 1
	# The agent's state folder, its user planting links for root.
	lab_setup single-nat
	mkdir -p "$state" && chown nobody:nogroup "$state" && chmod 700 "$state"
	ln -s "$LAB_DIR/victim" "$state/state.tmp"
	ln -s "$LAB_DIR/victim" "$state/state.lock"
	lab_run host "$bin" map add 8080 --via pcp --stun "$LAB_STUN1" \
		--state-dir "$state" > "$LAB_DIR/map.out" 2>&1
	echo "info: $(head -n 2 "$LAB_DIR/map.out" | tr '\n' ' ')"
	victim_intact "map add as root, links in the agent's folder"
	check_eq "a lock that is a link is refused" \
		"$(grep -c 'state.lock: ' "$LAB_DIR/map.out")" 1
	rm -f "$state/state.lock"
	lab_run host "$bin" map add 8080 --via pcp --stun "$LAB_STUN1" \
		--state-dir "$state" > "$LAB_DIR/map.out" 2>&1
	check_eq "then map add works" "$?" 0
	check_eq "the state is the folder owner's" "$(owned_by "$state/state")" nobody
	check_eq "and a file, not the planted link" "$([ -f "$state/state" ] &&
		[ ! -L "$state/state" ] && echo yes)" yes
	victim_intact "map add as root, state.tmp planted"
	lab_run host "$bin" map del 8080 --state-dir "$state" > /dev/null 2>&1
}

aaaa() { lab_run inet kdig +short +timeout=1 @"$LAB_STUN1" nas.example.com AAAA; }
aaaa_is() { [ "$(aaaa)" = "$1" ]; }
reached_at6() {
	[ "$(lab_run inet timeout 1 socat -T1 - "TCP6:[$1]:8080" < /dev/null 2>/dev/null)" = hello-over-v6 ]
}
slaac() {	# the host's SLAAC address in the real prefix
	lab_run host ip -6 -o addr show dev eth0 | awk '$4 ~ /^2a05:5:1:0:/ { sub("/64", "", $4); print $4 }' | grep .
}
# ra FROM PREFIX:VALID:PREFERRED...: a router advertisement on the LAN
ra() { local from=$1; shift; lab_run rtr python3 "$here/rogue_ra.py" lan "$from" "$@"; }

case_rogue_ra() {
	local real
	lab_setup single-nat-v6
	lab_knot "$SECRET"
	lab_run rtr ip -6 addr add fe80::bad/64 dev lan nodad
	lab_run rtr ip -6 addr add fe80::1/64 dev lan nodad 2> /dev/null
	# The host's address from the router's prefix by SLAAC, as on a real
	# LAN (the static one goes).
	ra fe80::1 2a05:5:1::/64:7200:7200
	lab_run host ip -6 addr del "$LAB_V6_HOST/64" dev eth0
	wait_for 3 slaac
	real=$(slaac)
	echo "info: the host's SLAAC address: $real"
	lab_bg host web6 socat TCP6-LISTEN:8080,fork,reuseaddr SYSTEM:'echo hello-over-v6'
	lab_wait_tcp host 8080
	STUN="$LAB_STUN1, [$LAB_OBS6]:3478" RECORD=AAAA write_conf "web 8080"
	start_agent
	wait_for 3 aaaa_is "$real"
	check_eq "AAAA at the real address" "$(aaaa)" "$real"
	wait_for 3 reached_at6 "$real"
	check_eq "reached through its pinhole" "$(reached_at6 "$real" && echo yes)" yes
	# The rogue's advertisement: the real prefix deprecated, its own offered.
	ra fe80::bad 2a05:dead:beef::/64:3600:3600 2a05:5:1::/64:7200:0
	sleep 3		# the agent asks about both; only the real one answers
	lab_run host ip -6 -o addr show dev eth0 | awk '$4 ~ /^2a05/ { print "info: host has", $4, ($0 ~ /deprecated/ ? "deprecated" : "") }'
	check_eq "AAAA stays at the real address" "$(aaaa)" "$real"
	check_eq "the pinhole stays" "$(reached_at6 "$real" && echo yes)" yes
	check_eq "the rogue prefix is nowhere in the state" \
		"$(grep -c 2a05:dead "$LAB_DIR/state/state")" 0
	check_eq "nothing said of a new IPv6 address" \
		"$(grep -c 'IPv6.*2a05:dead' "$LAB_DIR/agent.log")" 0
	ra fe80::1 2a05:5:1::/64:7200:7200
	sleep 1
	check_eq "after the real router's next advertisement: still the real one" "$(aaaa)" "$real"
	stop_agent
}

PASSWORD='correct horse battery'
# web_agent: the agent with its status page on the LAN, password-protected
web_agent() {
	mkdir -p "$LAB_DIR/conf"
	conf=$LAB_DIR/conf/homereach.conf
	printf '%s\n' "$PASSWORD" > "$LAB_DIR/conf/web.pass"
	printf '[agent]\nstate_dir = %s\nruntime_dir = %s\nweb_listen = 192.168.1.10:8480\nweb_password_file = web.pass\n[probes]\nstun = %s\n' \
		"$LAB_DIR/state" "$LAB_DIR/run" "$LAB_STUN1" > "$conf"
	chmod 600 "$conf" "$LAB_DIR/conf/web.pass"
	start_agent
	lab_wait_tcp host 8480
}
page() {	# page NODE [CURL ARGS...]: the status code of /status.json
	lab_run "$1" curl -s --max-time "${T:-5}" -o /dev/null -w '%{http_code}' "${@:2}" \
		http://192.168.1.10:8480/status.json
}
owner_served() {	# of 48 requests of the owner (the host's own address)
	local ok=0
	for _ in $(seq 48); do
		[ "$(page host -u "owner:$PASSWORD")" = 200 ] && ok=$((ok + 1))
	done
	echo "$ok"
}
held_from() {	# connections the page holds from ADDRESS
	lab_run host ss -Htn state established "( sport = :8480 )" | grep -c "$1:"
}

case_web_slots() {
	local pid got
	lab_setup single-nat
	web_agent
	lab_run rtr python3 "$here/flood.py" hold 192.168.1.10 8480 8 16 > /dev/null &
	pid=$!
	sleep 1
	check_eq "one LAN address holds 8 connections at most" \
		"$([ "$(held_from 192.168.1.1)" -le 8 ] && echo yes || echo "no ($(held_from 192.168.1.1))")" yes
	got=$(owner_served)
	check_eq "the owner is answered meanwhile" "$got" 48
	wait "$pid"
	for i in 2 3 4 5; do lab_run rtr ip addr add "192.168.1.$i/24" dev lan; done
	lab_run rtr python3 "$here/flood.py" hold 192.168.1.10 8480 8 8 \
		192.168.1.1 192.168.1.2 192.168.1.3 192.168.1.4 192.168.1.5 > /dev/null &
	pid=$!
	sleep 1
	got=$(owner_served)
	check_eq "five LAN addresses filling every slot: the owner is answered" "$got" 48
	wait "$pid"
	stop_agent
}

case_web_guess() {
	local t0 checked limited pids=()
	lab_setup single-nat
	web_agent
	t0=$(now_ms)
	while [ $(( $(now_ms) - t0 )) -lt 4000 ]; do
		T=40 page rtr -u "any:wrong$RANDOM" >> "$LAB_DIR/guesses" &
		pids+=($!)
		sleep 0.02
	done
	check_eq "the owner elsewhere is not held" "$(page host -u "owner:$PASSWORD")" 200
	wait "${pids[@]}"
	checked=$(grep -o 401 "$LAB_DIR/guesses" | wc -l)
	limited=$(grep -o 429 "$LAB_DIR/guesses" | wc -l)
	echo "info: ${#pids[@]} guesses in 4 s: $checked checked, $limited told to wait"
	check_eq "a few guesses checked, not thousands" \
		"$([ "$checked" -le 6 ] && echo yes || echo "no ($checked)")" yes
	check_eq "the rest told to wait" "$limited" $(( ${#pids[@]} - checked ))
	check_eq "after failures, the right one still works (held)" \
		"$(T=40 page rtr -u "any:$PASSWORD")" 200
	check_eq "an empty user name with the password" "$(page host -u ":$PASSWORD")" 200
	stop_agent
}

game_entry() {	# the router's entry for external TCP 7000, as upnpc lists it
	lab_run host upnpc -l 2> /dev/null | awk '$2 == "TCP" && $3 ~ /^7000->/ { print $3, $4 }'
}

case_upnp_foreign() {
	local state=$LAB_DIR/state game="7000->192.168.1.10:7001 'game'"
	lab_setup single-nat
	lab_run host upnpc -e game -a 192.168.1.10 7001 7000 TCP > /dev/null 2>&1
	check_eq "the game's entry" "$(game_entry)" "$game"
	lab_run host "$bin" map add 7000 --via upnp --stun "$LAB_STUN1" \
		--state-dir "$state" --json > "$LAB_DIR/map.json" 2> "$LAB_DIR/map.err"
	check_eq "map add works" "$?" 0
	check "on another external port" '.external_port != 7000' true "$LAB_DIR/map.json"
	check_eq "the game's entry is as it was" "$(game_entry)" "$game"
	lab_run host "$bin" map del 7000 --state-dir "$state" > /dev/null 2>&1
	check_eq "map del leaves the game's entry" "$(game_entry)" "$game"
	# The agent, keeping a service on port 7000, with a router that
	# answers UPnP only (NAT-PMP and PCP dropped).
	lab_run rtr nft add table inet only_upnp
	lab_run rtr nft add chain inet only_upnp input \
		'{ type filter hook input priority -10; policy accept; udp dport 5351 drop; }'
	mkdir -p "$LAB_DIR/conf"
	conf=$LAB_DIR/conf/homereach.conf
	printf '[agent]\nstate_dir = %s\nruntime_dir = %s\n[probes]\nstun = %s\n[service game]\nport = 7000\n' \
		"$state" "$LAB_DIR/run" "$LAB_STUN1" > "$conf"
	chmod 600 "$conf"
	start_agent
	wait_for 10 status_has '.mappings[0].state' mapped
	check "the agent maps by UPnP" '.mappings[0].via' upnp "$LAB_DIR/status.json"
	check "the agent maps another external port" '.mappings[0].external_port != 7000' true "$LAB_DIR/status.json"
	check_eq "the game's entry is as it was" "$(game_entry)" "$game"
	stop_agent
	check_eq "the agent's stop leaves the game's entry" "$(game_entry)" "$game"
}

tsig_conf() {	# tsig_conf ALGORITHM KEY: one RFC 2136 record signed so
	mkdir -p "$LAB_DIR/conf"
	conf=$LAB_DIR/conf/homereach.conf
	printf '%s\n' "$SECRET" > "$LAB_DIR/conf/tsig.key"
	printf '[agent]\nstate_dir = %s\n[probes]\nstun = %s\n[ddns home]\nprovider = rfc2136\nhostname = nas.example.com\nserver = %s\nzone = example.com\ntsig_key = %s\ntsig_algorithm = %s\ntsig_secret_file = tsig.key\n' \
		"$LAB_DIR/state" "$LAB_STUN1" "$LAB_STUN1" "$2" "$1" > "$conf"
	chmod 600 "$conf" "$LAB_DIR/conf/tsig.key"
}

case_tsig_names() {
	local out
	lab_setup single-nat
	lab_knot "$SECRET"
	tsig_conf hmac-md5 md5-key.example.com
	out=$(lab_run host "$bin" ddns update --config "$conf" 2>&1)
	check_eq "hmac-md5 signs: knot takes it" "$out" "home A: 5.0.1.2 published (NOERROR)"
	check_eq "knot serves it" "$(lab_dig nas.example.com)" 5.0.1.2
	for alg in hmac-sha224 hmac-sha384; do
		tsig_conf "$alg" ddns-key.example.com
		out=$("$bin" check-config --config "$conf" 2>&1)
		check_eq "$alg: check-config refuses it" "$?" 2
		check_eq "$alg: naming the file and line" \
			"$(echo "$out" | grep -c "$conf:5: \[ddns home\]: TSIG algorithm \"$alg\" cannot be signed with here")" 1
		printf 'key "k.example.com" {\n\talgorithm %s;\n\tsecret "%s";\n};\n' "$alg" "$SECRET" \
			> "$LAB_DIR/conf/nsupdate.key"
		printf 'protocol=nsupdate\nserver=%s\nzone=example.com\nlogin=/usr/bin/nsupdate\npassword=nsupdate.key\nnas.example.com\n' \
			"$LAB_STUN1" > "$LAB_DIR/conf/ddclient.conf"
		out=$("$bin" import ddclient "$LAB_DIR/conf/ddclient.conf" 2>&1)
		check_eq "$alg: import refuses it" "$?" 2
		check_eq "$alg: naming the file and line" "$(echo "$out" |
			grep -c "ddclient.conf:6: key file .*nsupdate.key: TSIG algorithm \"$alg\"")" 1
	done
}

hook_conf() {	# hook_conf PROGRAM: a config with one exec hook
	mkdir -p "$LAB_DIR/conf"
	conf=$LAB_DIR/conf/homereach.conf
	printf '[agent]\nstate_dir = %s\n[hook h]\nevents = all\nexec = %s\n' \
		"$LAB_DIR/state" "$1" > "$conf"
	chmod 600 "$conf"
}

case_hook_writable() {
	local out
	mkdir -p "$LAB_DIR/safe" "$LAB_DIR/open"
	chmod 755 "$LAB_DIR" "$LAB_DIR/safe"
	chmod 777 "$LAB_DIR/open"
	for d in safe open; do printf '#!/bin/sh\n' > "$LAB_DIR/$d/hook.sh"; done
	chmod 755 "$LAB_DIR"/*/hook.sh
	hook_conf "$LAB_DIR/safe/hook.sh"
	check_eq "a hook only root can change: ok" \
		"$("$bin" check-config --config "$conf" > /dev/null 2>&1; echo $?)" 0
	hook_conf "$LAB_DIR/open/hook.sh"
	out=$("$bin" check-config --config "$conf" 2>&1)
	check_eq "in a folder anyone can write: refused" "$?" 2
	check_eq "naming the folder" "$(echo "$out" | grep -c "$LAB_DIR/open can be changed by another user")" 1
	chown nobody "$LAB_DIR/safe/hook.sh"
	hook_conf "$LAB_DIR/safe/hook.sh"
	out=$("$bin" check-config --config "$conf" 2>&1)
	check_eq "another user's program: refused" "$?" 2
	check_eq "naming it" "$(echo "$out" | grep -c "$LAB_DIR/safe/hook.sh can be changed by another user")" 1
	chmod 775 "$LAB_DIR/safe/hook.sh"; chown root:nogroup "$LAB_DIR/safe/hook.sh"
	out=$("$bin" check-config --config "$conf" 2>&1)
	check_eq "a program its group can write: refused" "$?" 2
}

as_group_member() {	# CMD as nobody, a member of the agent's group (root's here)
	lab_run host setpriv --reuid=nobody --regid=nogroup --groups=0 "$@"
}

case_control_cred() {
	local out
	lab_setup single-nat
	services
	mkdir -p "$LAB_DIR/conf"
	conf=$LAB_DIR/conf/homereach.conf
	printf '[agent]\nstate_dir = %s\nruntime_dir = %s\n[probes]\nstun = %s\n[service web]\nport = 8080\n' \
		"$LAB_DIR/state" "$LAB_DIR/run" "$LAB_STUN1" > "$conf"
	chmod 755 "$LAB_DIR" "$LAB_DIR/conf"
	chmod 644 "$conf"
	start_agent
	chmod 750 "$LAB_DIR/run"
	out=$(as_group_member "$bin" status --config "$conf" 2>&1)
	check_eq "the group reads the status" "$?" 0
	out=$(as_group_member "$bin" map add 9000 --config "$conf" 2>&1)
	check_eq "the group may not map add" "$?" 1
	check_eq "and is told who may" "$(echo "$out" | grep -c "only root and the agent's own user may change")" 1
	out=$(as_group_member "$bin" map del 8080 --config "$conf" 2>&1)
	check_eq "nor map del" "$(echo "$out" | grep -c "only root and the agent's own user may change")" 1
	status_json
	check_eq "nothing was mapped for it" "$(jq '[.mappings[] | select(.port == 9000)] | length' "$LAB_DIR/status.json")" 0
	out=$(lab_run host "$bin" map add 9000 --config "$conf" 2>&1)
	check_eq "root may" "$?" 0
	lab_run host python3 -c '
import socket, sys, time
socks = []
for _ in range(20):
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); socks.append(s)
time.sleep(0.5)
closed = 0
for s in socks:
    s.setblocking(False)
    try:
        closed += s.recv(1) == b""
    except BlockingIOError:
        pass
print(closed)' "$LAB_DIR/run/homereach.sock" > "$LAB_DIR/closed"
	check_eq "of 20 idle control connections, 12 closed at once" "$(cat "$LAB_DIR/closed")" 12
	stop_agent
}

updates_in_knot() { grep -c "DDNS, processing" "$LAB_DIR/knot.log"; }

case_server_name() {
	local out
	lab_setup single-nat
	lab_knot "$SECRET"
	tsig_conf hmac-sha256 ddns-key.example.com
	sed -i "s/^server = .*/server = ns.example.com/" "$conf"
	out=$(lab_run host "$bin" ddns update --config "$conf" 2>&1)
	check_eq "published through the named server" "$out" "home A: 5.0.1.2 published (NOERROR)"
	rm "$LAB_DIR/state/state"
	out=$(lab_run host "$bin" ddns update --config "$conf" 2>&1)
	check_eq "state lost: the named server asked first" "$out" "home A: 5.0.1.2 published (in-dns)"
	check_eq "and no second UPDATE" "$(updates_in_knot)" 1
}

case_refused() {
	local out
	lab_setup single-nat
	lab_run inet ip addr add 5.0.0.53/32 dev lo
	lab_bg inet refuse python3 "$here/refuse_dns.py" 5.0.0.53 53
	lab_wait_udp inet 53
	tsig_conf hmac-sha256 ddns-key.example.com
	sed -i "s/^server = .*/server = 5.0.0.53/" "$conf"
	for i in 1 2 3; do
		lab_run host "$bin" ddns update --force --config "$conf" > "$LAB_DIR/out.$i" 2>&1
	done
	check_eq "the likely key mismatch named" \
		"$(grep -c '^home A: not published: .*the server likely does not know this TSIG key' "$LAB_DIR/out.1")" 1
	check_eq "backing off after the first" "$(grep -c 'stopped' "$LAB_DIR/out.1")" 0
	check_eq "stopped after the third" "$(grep -c 'stopped' "$LAB_DIR/out.3")" 1
	out=$(lab_run host "$bin" ddns update --force --config "$conf" 2>&1)
	check_eq "and stays stopped, even forced" "$(echo "$out" | grep -c '^home A: stopped')" 1
}

case_map_list() {
	local state=$LAB_DIR/state
	lab_setup single-nat
	services
	lab_run host "$bin" map add 8080 --via upnp --stun "$LAB_STUN1" \
		--state-dir "$state" > /dev/null 2>&1
	lab_run host "$bin" map list --json --state-dir "$state" > "$LAB_DIR/list.json"
	check "the router has it" '.[0].router' "has it" "$LAB_DIR/list.json"
	lab_run host upnpc -d 8080 TCP > /dev/null 2>&1
	lab_run host "$bin" map list --json --state-dir "$state" > "$LAB_DIR/list.json"
	check "deleted by another program: gone" '.[0].router' gone "$LAB_DIR/list.json"
	check "no lease left" '.[0].lease_left' 0 "$LAB_DIR/list.json"
	check "what the router said" '.[0].router_said | test("no mapping on port 8080")' true "$LAB_DIR/list.json"
	check_eq "the text says so" "$(lab_run host "$bin" map list --state-dir "$state" |
		grep -c 'the router no longer has it: no mapping on port 8080')" 1
}

case_state_owner() {
	local state=$LAB_DIR/state
	lab_setup single-nat
	services
	mkdir -p "$state" "$LAB_DIR/run" "$LAB_DIR/conf"
	chown nobody:nogroup "$state" "$LAB_DIR/run"
	chmod 700 "$state" "$LAB_DIR/run"
	chmod 755 "$LAB_DIR" "$LAB_DIR/conf"
	# Root maps with the agent stopped.
	lab_run host "$bin" map add 9000 --via pcp --stun "$LAB_STUN1" \
		--state-dir "$state" > "$LAB_DIR/map.out" 2>&1
	check_eq "root's map add works" "$?" 0
	check_eq "the state stays the agent user's" "$(owned_by "$state/state")" nobody
	check_eq "its lock too" "$(owned_by "$state/state.lock")" nobody
	lab_run host "$bin" map del 9000 --state-dir "$state" > /dev/null 2>&1
	# The agent, as that user.
	conf=$LAB_DIR/conf/homereach.conf
	printf '[agent]\nstate_dir = %s\nruntime_dir = %s\n[probes]\nstun = %s\n[service web]\nport = 8080\n' \
		"$state" "$LAB_DIR/run" "$LAB_STUN1" > "$conf"
	chmod 644 "$conf"
	lab_spawn host setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$bin" -v agent --config "$conf" >> "$LAB_DIR/agent.log" 2>&1
	agent=$LAB_PID
	wait_for 5 status_has '.mappings[0].state' mapped
	check "the agent maps its service" '.mappings[0].state' mapped "$LAB_DIR/status.json"
	check_eq "and says nothing of an unwritable state" \
		"$(grep -c 'cannot write the state' "$LAB_DIR/agent.log")" 0
	stop_agent
}

"case_${case_//-/_}"
finish
