#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test-import.sh CASE HOMEREACH: `homereach import` of the configurations
# ddclient and inadyn run with.
#   samples   Debian's own examples (ddclient's sample-etc_ddclient.conf,
#             each of inadyn's examples/*.conf): each import --write passes
#             check-config; every secret sits in a file of mode 0600 and in
#             no output; an existing config is kept unless --force (then as
#             .old). In a network namespace of its own, with no link.
#   ddclient  ddclient 3.10 updates knot through the lab's provider
#             fixture: dyndns2 (two hosts on one line, and one the old way,
#             host login password) and Cloudflare; the router's WAN address
#             changes; `homereach ddns update` with the imported config
#             moves the very same records to the new address
#   nsupdate  ddclient's nsupdate protocol (BIND's nsupdate with a key
#             file) writes two records into knot by RFC 2136; the import
#             reads the key file; homereach signs with the same key
#   inadyn    the same with inadyn 2.10: a custom /nic/update section (two
#             hostnames) and a custom URL
here=$(dirname "$(realpath "$0")")
. "$here/lab.sh"
lab_test_init "$@"

SECRET=c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seQ==
PASSWORD='im-port:pa55'	# no '#': ddclient's host login password line cuts it

# no_secret WHAT FILE...: PASSWORD is in none of the files
no_secret() {
	local what=$1; shift
	check_eq "$what: no password" "$(cat "$@" | grep -cF "$PASSWORD")" 0
}

# imported CLIENT CONF DIR: import --write into DIR/homereach.conf, then
# check-config; the printed config is the written one
imported() {
	lab_run host "$bin" import "$1" "$2" --write --config "$3/homereach.conf" \
		2> "$3/import.err"
	check_eq "$1 import --write" "$?" 0
	lab_run host "$bin" import "$1" "$2" --config "$3/homereach.conf" \
		> "$3/printed" 2>> "$3/import.err"
	check_eq "$1 printed = written" "$(cmp -s "$3/printed" "$3/homereach.conf" && echo same)" same
	lab_run host "$bin" check-config --config "$3/homereach.conf" > "$3/check" 2>&1
	check_eq "$1 check-config" "$?:$(cut -d: -f2- < "$3/check" | sed 's/s)$/)/')" \
		"0: ok ($4 DNS record)"
	no_secret "$1" "$3/homereach.conf" "$3/import.err" "$3/check"
}

# names_at ADDR NAME...: each NAME's A in knot is ADDR
names_at() {
	local want=$1 got="" n; shift
	for n in "$@"; do got="$got $n=$(lab_dig "$n")"; done
	check_eq "knot serves $want" "$got" "$(for n in "$@"; do printf ' %s=%s' "$n" "$want"; done)"
}

# wait_names ADDR NAME...: up to 10 s for knot to serve ADDR for each
wait_names() {
	local want=$1 i n ok; shift
	for i in $(seq 50); do
		ok=1
		for n in "$@"; do [ "$(lab_dig "$n")" = "$want" ] || ok=0; done
		[ $ok = 1 ] && return 0
		sleep 0.2
	done
}

lab_provider() {
	lab_setup single-nat
	lab_knot "$SECRET"
	DYNDNS2_FORWARD="$LAB_STUN1 ddns-key.example.com $SECRET" \
		lab_dyndns2 alice "$PASSWORD"
	D=$LAB_DIR/import
	mkdir -p "$D/hr"
	CA=$LAB_DIR/ca/ca.pem
}

# then_homereach CLIENT CONF NAME...: the WAN address changes; the
# imported config moves NAME... to it
then_homereach() {
	local client=$1 conf=$2; shift 2
	imported "$client" "$conf" "$D/hr" "$#"
	# The lab's state, not /var/lib/homereach of this machine.
	sed -i "/^\[agent\]\$/a state_dir = $D/state" "$D/hr/homereach.conf"
	lab_wan_change rtr 5.0.1.77/24 5.0.1.1
	lab_run host "$bin" ddns update --config "$D/hr/homereach.conf" \
		> "$D/update.out" 2>&1
	check_eq "ddns update with the imported config" "$?" 0
	names_at 5.0.1.77 "$@"
	no_secret "update output" "$D/update.out"
}

case_ddclient() {
	lab_provider
	cat > "$D/ddclient.conf" <<-CONF
	daemon=300
	ssl=yes
	ssl_ca_file=$CA
	use=web, web=$LAB_ECHO
	protocol=dyndns2
	server=$LAB_STUN1
	login=alice, password='$PASSWORD' \\
	  ddc1.example.com, ddc2.example.com
	ddc3.example.com alice $PASSWORD
	protocol=cloudflare, server=$LAB_STUN1/client/v4, zone=example.com, \\
	  login=token, password='$PASSWORD' cf.example.com
	mail=root
	CONF
	chmod 600 "$D/ddclient.conf"
	# ddclient's Cloudflare protocol updates a record that must exist.
	lab_run host curl -s --cacert "$CA" -H "Authorization: Bearer $PASSWORD" \
		-X POST -d '{"type": "A", "name": "cf.example.com", "content": "192.0.2.9"}' \
		"https://$LAB_STUN1/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/dns_records" > /dev/null
	lab_run host ddclient -daemon=0 -foreground -file "$D/ddclient.conf" \
		-cache "$D/ddclient.cache" > "$D/ddclient.log" 2>&1
	wait_names 5.0.1.2 ddc1.example.com ddc2.example.com ddc3.example.com cf.example.com
	names_at 5.0.1.2 ddc1.example.com ddc2.example.com ddc3.example.com cf.example.com
	then_homereach ddclient "$D/ddclient.conf" ddc1.example.com \
		ddc2.example.com ddc3.example.com cf.example.com
	check_eq "what has no equivalent is a comment with its line" \
		"$(grep -c '^# line 12: mail=root' "$D/hr/homereach.conf")" 1
}

case_nsupdate() {
	lab_provider
	cat > "$D/ddns-key.key" <<-KEY
	key "ddns-key.example.com" {
		algorithm hmac-sha256;
		secret "$SECRET";
	};
	KEY
	cat > "$D/ddclient.conf" <<-CONF
	daemon=300
	use=web, web=$LAB_ECHO
	protocol=nsupdate, server=$LAB_STUN1, zone=example.com, ttl=600, \\
	  login=/usr/bin/nsupdate, password=$D/ddns-key.key \\
	  nsu1.example.com, nsu2.example.com
	CONF
	chmod 600 "$D/ddclient.conf" "$D/ddns-key.key"
	lab_run host ddclient -daemon=0 -foreground -file "$D/ddclient.conf" \
		-cache "$D/ddclient.cache" > "$D/ddclient.log" 2>&1
	wait_names 5.0.1.2 nsu1.example.com nsu2.example.com
	names_at 5.0.1.2 nsu1.example.com nsu2.example.com
	then_homereach ddclient "$D/ddclient.conf" nsu1.example.com nsu2.example.com
	check_eq "the key file read into tsig_key and a secret file" \
		"$(grep -c '^tsig_key = ddns-key.example.com$' "$D/hr/homereach.conf") $(cat "$D/hr/nsu1-example-com.tsig")" \
		"2 $SECRET"
	check_eq "no TSIG secret in the config" "$(grep -c "$SECRET" "$D/hr/homereach.conf")" 0
}

case_inadyn() {
	lab_provider
	cat > "$D/inadyn.conf" <<-CONF
	period = 300
	ca-trust-file = $CA
	custom lab {
	    username = alice
	    password = "$PASSWORD"
	    ddns-server = $LAB_STUN1
	    ddns-path = "/nic/update?hostname=%h&myip=%i"
	    checkip-server = $LAB_STUN1
	    checkip-path = /
	    checkip-ssl = false
	    hostname = { "ina1.example.com", "ina2.example.com" }
	}
	custom url {
	    username = alice
	    password = "$PASSWORD"
	    ddns-server = $LAB_STUN1
	    ddns-path = "/custom?host=%h&ip=%i&token=%p"
	    ddns-response = OK
	    checkip-server = $LAB_STUN1
	    checkip-path = /
	    checkip-ssl = false
	    hostname = ina3.example.com
	}
	CONF
	chmod 600 "$D/inadyn.conf"
	lab_run host inadyn --once --foreground -f "$D/inadyn.conf" \
		--cache-dir "$D/inadyn-cache" -l info > "$D/inadyn.log" 2>&1
	wait_names 5.0.1.2 ina1.example.com ina2.example.com ina3.example.com
	names_at 5.0.1.2 ina1.example.com ina2.example.com ina3.example.com
	then_homereach inadyn "$D/inadyn.conf" ina1.example.com ina2.example.com \
		ina3.example.com
}

# In a namespace of its own: import and check-config touch no network.
case_samples() {
	local d f n=0 secrets
	d=$(mktemp -d /tmp/homereach-import.XXXX)
	SAMPLES_DIR=$d
	trap 'rm -rf "$SAMPLES_DIR"' EXIT
	LAB_ID=${LAB_ID:-samples}
	lab_run() { shift; unshare --net "$@"; }
	f=/usr/share/doc/ddclient/examples/sample-etc_ddclient.conf
	[ -r "$f" ] || lab_die "$f: ddclient's package (contrib/install-deps.sh) is not installed"
	mkdir -p "$d/ddclient"
	imported ddclient "$f" "$d/ddclient" 0
	check_eq "ddclient sample: daemon=300" "$(grep -c '^interval = 300$' "$d/ddclient/homereach.conf")" 1
	for f in /usr/share/doc/inadyn/examples/*.conf; do
		n=$((n + 1))
		mkdir -p "$d/inadyn$n"
		imported inadyn "$f" "$d/inadyn$n" \
			"$(grep -c '^\[ddns ' < <(unshare --net "$bin" import inadyn "$f"))"
	done
	check_eq "inadyn's examples" "$([ $n -ge 5 ] && echo read)" read
	secrets=$(find "$d" -name '*.token' -o -name '*.password' | wc -l)
	check_eq "secret files written" "$([ "$secrets" -ge 5 ] && echo yes)" yes
	check_eq "every secret file 0600" \
		"$(find "$d" \( -name '*.token' -o -name '*.password' \) ! -perm 600 | wc -l)" 0
	f=/usr/share/doc/inadyn/examples/dyndns.conf
	unshare --net "$bin" import inadyn "$f" --write --config "$d/inadyn1/homereach.conf" 2> "$d/err"
	check_eq "an existing config is kept" "$?:$(cat "$d/err")" \
		"1:homereach import: $d/inadyn1/homereach.conf exists: --force replaces it (kept as $d/inadyn1/homereach.conf.old)"
	unshare --net "$bin" import inadyn "$f" --write --force --config "$d/inadyn1/homereach.conf" 2> /dev/null
	check_eq "--force keeps it as .old" "$?:$(ls "$d/inadyn1" | grep -c 'homereach.conf.old')" "0:1"
	printf 'provider x {\n  username user\n}\n' > "$d/bad.conf"
	unshare --net "$bin" import inadyn "$d/bad.conf" > "$d/out" 2> "$d/err"
	check_eq "a bad file: one line naming where" "$?:$(cat "$d/err"):$(wc -c < "$d/out")" \
		"2:homereach import: $d/bad.conf:2: want =, not \"user\":0"
}

"case_$case_"
finish
