# SPDX-License-Identifier: BSD-2-Clause
# Network lab: topologies in network namespaces, for homereach's tests.
# Source this file, call lab_setup TOPOLOGY, use lab_run NODE CMD..., and
# the EXIT trap tears everything down, also on failure. Namespaces and links
# carry a per-run id, so two runs never collide. Nothing here has a link to
# the host's network: the "internet" is 5.0.0.0/16 inside the namespaces.
#
# Nodes: inet (the internet: STUN on 5.0.0.2 and 5.0.0.3, HTTP echo on
# 5.0.0.2, both on 2a05:5:f::2 too), isp or cgn (an upstream router), rtr (the home router), host
# (where homereach runs). See lab_topologies for what each topology builds.

LAB_ID=${LAB_ID:-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')}
LAB_DIR=${LAB_DIR:-$(mktemp -d "/tmp/homereach-lab-$LAB_ID.XXXX")}
LAB_NODES=()
LAB_LINKS=0
LAB_STUN1=5.0.0.2
LAB_STUN2=5.0.0.3
LAB_ECHO=http://5.0.0.2/
LAB_REDIRECT=5.0.0.4
# IPv6: prefixes that exist only in the lab, the internet link's and the
# home LAN's (single-nat-v6).
LAB_V6_INET=2a05:5::1
LAB_V6_WAN=2a05:5::2
LAB_V6_RTR=2a05:5:1::1
LAB_V6_HOST=2a05:5:1::10
# The internet's IPv6 observers (STUN and HTTP echo on LAB_OBS6, the
# redirect server on LAB_REDIRECT6), on inet's lo in every topology.
LAB_OBS6=2a05:5:f::2
LAB_ECHO6="http://[$LAB_OBS6]/"
LAB_REDIRECT6=2a05:5:f::4
LAB_TOPOLOGIES="public single-nat single-nat-v6 cgnat-v6 cgnat-isp ds-lite cgnat-pcp cgnat-pcp-anycast cgnat-fullcone cgnat-symmetric double-nat double-nat-upnp double-nat-chain cgnat twin-ip bridge no-mapping"

LAB_HERE=$(dirname "$(realpath "${BASH_SOURCE[0]}")")

# lab_test_init CASE HOMEREACH: a test script's start, after sourcing
# this file: its case and the binary in case_ and bin, the checks of
# assert.sh, unset variables refused.
lab_test_init() {
	set -u
	case_=$1 bin=$(realpath "$2")
	. "$LAB_HERE/assert.sh"
}

lab_log() { echo "lab[$LAB_ID]: $*" >&2; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
lab_die() { lab_log "error: $*"; exit 1; }
lab_ns() { echo "hr$LAB_ID-$1"; }
lab_run() { local n=$1; shift; ip netns exec "$(lab_ns "$n")" "$@"; }
# lab_spawn NODE CMD...: in the background; LAB_PID is CMD's own pid (ip
# netns exec execs it), so signals reach it and not a subshell.
lab_spawn() { local n=$1; shift; ip netns exec "$(lab_ns "$n")" "$@" & LAB_PID=$!; }

lab_node() {
	local ns; ns=$(lab_ns "$1")
	ip netns add "$ns" || lab_die "cannot create namespace $ns"
	LAB_NODES+=("$1")
	# Without this, name lookups inside the lab wait for the host's
	# resolver, which the namespace cannot reach (NETLAB.md).
	mkdir -p "/etc/netns/$ns"
	echo "nameserver $LAB_STUN1" > "/etc/netns/$ns/resolv.conf"
	lab_run "$1" ip link set lo up
	lab_run "$1" sysctl -qw net.ipv4.ip_forward=0
	# Linux sends at most a burst of 6 ICMP errors to one destination, then
	# one a second: back-to-back test runs lost time-exceeded replies and
	# got a different verdict. Real routers limit too; the lab must not.
	lab_run "$1" sysctl -qw net.ipv4.icmp_ratelimit=0
	lab_run "$1" sysctl -qw net.ipv6.icmp.ratelimit=0
	# Link-local addresses skip duplicate address detection too (the
	# global ones are added nodad): on kernel 6.18 IPv6 through a router
	# stalled for 2 s after the links came up, until DAD had finished.
	lab_run "$1" sysctl -qw net.ipv6.conf.default.accept_dad=0
	lab_run "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0
}

# lab_link NODE_A IF_A ADDR_A NODE_B IF_B ADDR_B (an address may be "-")
lab_link() {
	local a=hr${LAB_ID}l$LAB_LINKS b=hr${LAB_ID}r$LAB_LINKS
	LAB_LINKS=$((LAB_LINKS + 1))
	ip link add "$a" type veth peer name "$b" || lab_die "veth $a"
	ip link set "$a" netns "$(lab_ns "$1")"
	ip link set "$b" netns "$(lab_ns "$4")"
	lab_run "$1" ip link set "$a" name "$2"
	lab_run "$4" ip link set "$b" name "$5"
	lab_run "$1" ip link set "$2" up
	lab_run "$4" ip link set "$5" up
	[ "$3" = - ] || lab_run "$1" ip addr add "$3" dev "$2"
	[ "$6" = - ] || lab_run "$4" ip addr add "$6" dev "$5"
}

# lab_bg NODE NAME CMD...: a daemon in NODE, logged to $LAB_DIR/NAME.log
lab_bg() {
	local node=$1 name=$2; shift 2
	lab_run "$node" "$@" > "$LAB_DIR/$name.log" 2>&1 &
	echo "$! $name" >> "$LAB_DIR/pids"
}

# lab_udp_ask NODE SOCAT-ADDRESS: "ping" up to three times, each from a
# new port; prints the first answer. A datagram may be lost on a loaded
# machine; a flow that does not answer three times is not reached.
lab_udp_ask() {
	local got
	for _ in 1 2 3; do
		got=$(echo ping | lab_run "$1" timeout 2 socat -T1 - "$2" 2>/dev/null)
		[ -n "$got" ] && break
	done
	printf '%s\n' "$got"
}

# lab_wait_udp NODE PORT, lab_wait_tcp NODE PORT: until something listens
lab_wait_udp() { lab_wait_listen u "$@"; }
lab_wait_tcp() { lab_wait_listen t "$@"; }
lab_wait_listen() {	# LAB_WAIT_TRIES: 50 ms each (100)
	for _ in $(seq "${LAB_WAIT_TRIES:-100}"); do
		lab_run "$2" ss -Hln"$1" "sport = :$3" | grep -q . && return 0
		sleep 0.05
	done
	lab_die "nothing listens on port $3 ($1) in $2"
}

lab_internet() {
	lab_node inet
	lab_run inet sysctl -qw net.ipv4.ip_forward=1
	# On lo: this kernel has no dummy links.
	lab_run inet ip addr add "$LAB_STUN1/32" dev lo
	lab_run inet ip addr add "$LAB_STUN2/32" dev lo
	lab_run inet ip -6 addr add "$LAB_OBS6/128" dev lo nodad
	lab_stun_server
	lab_echo_server
}

lab_stun_server() {
	lab_bg inet coturn turnserver -n --listening-ip="$LAB_STUN1" \
		--listening-ip="$LAB_STUN2" --listening-ip="$LAB_OBS6" \
		--listening-port=3478 \
		--alt-listening-port=3479 --stun-only --no-cli --no-tls \
		--no-dtls --log-file=stdout --simple-log \
		--pidfile="$LAB_DIR/coturn.pid" --db="$LAB_DIR/turndb"
}

lab_echo_server() {
	# nginx's workers run as nobody: let them reach the files they serve.
	chmod 711 "$LAB_DIR"
	mkdir -p -m 755 "$LAB_DIR/nginx"
	head -c 3000000 /dev/zero | tr '\0' '1' > "$LAB_DIR/nginx/big"
	cat > "$LAB_DIR/nginx.conf" <<-CONF
	daemon off;
	pid $LAB_DIR/nginx.pid;
	error_log $LAB_DIR/nginx-error.log;
	events { worker_connections 64; }
	http {
	    access_log off;
	    client_body_temp_path $LAB_DIR/nginx;
	    proxy_temp_path $LAB_DIR/nginx;
	    fastcgi_temp_path $LAB_DIR/nginx;
	    uwsgi_temp_path $LAB_DIR/nginx;
	    scgi_temp_path $LAB_DIR/nginx;
	    default_type text/plain;
	    server {
	        listen $LAB_STUN1:80;
	        listen [$LAB_OBS6]:80;
	        location = / { return 200 "\$remote_addr\n"; }
	        location = /html { default_type text/html;
	            return 200 "<html><body>Your IP: \$remote_addr</body></html>\n"; }
	        location = /private { return 200 "192.168.1.7\n"; }
	        location = /big { root $LAB_DIR/nginx; }
	        location = /status500 { return 500 "\$remote_addr\n"; }
	    }
	}
	CONF
	lab_bg inet nginx nginx -c "$LAB_DIR/nginx.conf"
}

# lab_knot SECRET: knot in inet, authoritative for example.com on 5.0.0.2,
# accepting RFC 2136 updates signed with ddns-key.example.com (hmac-sha256,
# base64 SECRET). Database and zone storage are this run's own (NETLAB).
lab_knot() {
	local dir=$LAB_DIR/knot
	mkdir -p "$dir/db"
	cat > "$dir/example.com.zone" <<-ZONE
	\$ORIGIN example.com.
	\$TTL 300
	@ SOA ns.example.com. admin.example.com. 1 3600 600 86400 300
	@ NS ns.example.com.
	ns A $LAB_STUN1
	nas A 192.0.2.9
	bad A 192.0.2.9
	www A $LAB_REDIRECT
	redir A $LAB_REDIRECT
	redir AAAA $LAB_REDIRECT6
	ZONE
	cat > "$dir/knot.conf" <<-CONF
	server:
	    listen: $LAB_STUN1@53
	    user: root:root
	    rundir: $dir
	database:
	    storage: $dir/db
	log:
	  - target: stdout
	    any: info
	key:
	  - id: ddns-key.example.com
	    algorithm: hmac-sha256
	    secret: $1
	  - id: md5-key.example.com
	    algorithm: hmac-md5
	    secret: $1
	acl:
	  - id: ddns
	    key: [ddns-key.example.com, md5-key.example.com]
	    action: update
	template:
	  - id: default
	    storage: $dir
	    zonefile-sync: -1
	    journal-content: none
	zone:
	  - domain: example.com
	    acl: ddns
	CONF
	lab_bg inet knot knotd -c "$dir/knot.conf"
	lab_wait_udp inet 53
}

# lab_ca: a CA and a certificate for 5.0.0.2, ddns.example.net, the
# redirect server's 5.0.0.4 and redir.example.com, in $LAB_DIR/ca (ca.pem,
# server.pem, server.key).
lab_ca() {
	local d=$LAB_DIR/ca
	mkdir -p "$d"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$d/ca.key" -out "$d/ca.pem" -days 2 -subj "/CN=homereach lab CA" 2>/dev/null
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$d/server.key" -out "$d/server.csr" -subj "/CN=ddns.example.net" 2>/dev/null
	printf 'subjectAltName=IP:%s,IP:%s,DNS:ddns.example.net,DNS:redir.example.com\n' \
		"$LAB_STUN1" "$LAB_REDIRECT" > "$d/ext"
	openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
		-CAcreateserial -out "$d/server.pem" -days 2 -extfile "$d/ext" 2>/dev/null
}

# lab_dyndns2 USER PASSWORD: the dyndns2 fixture on https://5.0.0.2/; its
# answers come from $LAB_DIR/dyndns2.answers, its log is dyndns2.requests.
lab_dyndns2() {
	lab_ca
	: > "$LAB_DIR/dyndns2.answers"
	: > "$LAB_DIR/dyndns2.requests"
	lab_bg inet dyndns2 python3 "$(dirname "${BASH_SOURCE[0]}")/dyndns2_fixture.py" \
		"$LAB_STUN1" 443 "$LAB_DIR/ca/server.pem" "$LAB_DIR/ca/server.key" \
		"$1" "$2" "$LAB_DIR/dyndns2.answers" "$LAB_DIR/dyndns2.requests"
	lab_wait_tcp inet 443
}

# lab_redirect_server HOMEREACH SECRET [EXTRA]: homereach's redirect server
# in inet on 5.0.0.4 and 2a05:5:f::4 (http on 80, https on 443 with the lab CA's
# certificate), writing example.com into knot (lab_knot SECRET first);
# EXTRA is more lines of its section. Users: lab_redirect_user.
lab_redirect_server() {
	local d=$LAB_DIR/redirect
	[ -e "$LAB_DIR/ca/ca.pem" ] || lab_ca
	lab_run inet ip addr add "$LAB_REDIRECT/32" dev lo
	lab_run inet ip -6 addr add "$LAB_REDIRECT6/128" dev lo nodad
	mkdir -p "$d"
	: > "$d/users"
	printf '%s\n' "$2" > "$d/tsig.key"
	cat > "$d/redirect.conf" <<-CONF
	[redirect-server]
	listen = $LAB_REDIRECT:80
	listen = [$LAB_REDIRECT6]:80
	tls_listen = $LAB_REDIRECT:443
	tls_cert = $LAB_DIR/ca/server.pem
	tls_key = $LAB_DIR/ca/server.key
	dns_server = $LAB_STUN1
	zone = example.com
	tsig_key = ddns-key.example.com
	tsig_secret_file = tsig.key
	users_file = $d/users
	${3:-}
	CONF
	chmod 600 "$d"/*
	lab_bg inet redirect "$1" -vv redirect-server --config "$d/redirect.conf"
	lab_wait_tcp inet 443
}

# lab_redirect_user HOMEREACH HOST PASSWORD [USER]
lab_redirect_user() {
	echo "$3" | "$1" redirect-server passwd --users "$LAB_DIR/redirect/users" \
		${4:+--user "$4"} "$2" 2> /dev/null
}

# lab_wan_change NODE ADDR/LEN GATEWAY: the ISP gives NODE's WAN another
# IPv4 address (its IPv6 stays: a flush of both families took it away). (Deleting a primary address drops its secondaries: flush.) One
# ip process for the three steps, as a DHCP client applies a lease: three
# left the router without an address or a route for tens of ms.
lab_wan_change() {
	printf 'addr flush dev wan\naddr add %s dev wan\nroute replace default via %s\n' \
		"$2" "$3" | lab_run "$1" ip -4 -batch -
}

# lab_dig NAME: the A record knot serves for NAME
lab_dig() { lab_run inet kdig +short @"$LAB_STUN1" "$1" A 2>/dev/null; }

# lab_nat NODE WAN [filter|-] [SRCNET|none]: masquerade IPv4 out of WAN
# (only from SRCNET if given, never with none; IPv6 is routed, as a home router does); with
# "filter", drop unsolicited inbound of both families as a home router
# does. Tables and chains named as miniupnpd expects them.
lab_nat() {
	local node=$1 wan=$2 drop="" src=""
	[ "${3:-}" = filter ] && drop="iifname \"$wan\" drop;"
	[ -n "${4:-}" ] && src="ip saddr ${4}"
	[ "${4:-}" = none ] && src="ip saddr 0.0.0.0/32"	# a B4: no NAT
	lab_run "$node" sysctl -qw net.ipv4.ip_forward=1
	lab_run "$node" nft -f - <<-NFT
	table inet filter {
	    chain miniupnpd { }
	    chain forward { type filter hook forward priority 0; policy accept;
	        ct state established,related accept; jump miniupnpd; $drop }
	}
	table inet nat {
	    chain prerouting_miniupnpd { }
	    chain postrouting_miniupnpd { }
	    chain prerouting { type nat hook prerouting priority -100; policy accept;
	        jump prerouting_miniupnpd; }
	    chain postrouting { type nat hook postrouting priority 100; policy accept;
	        jump postrouting_miniupnpd;
	        meta nfproto ipv4 $src oifname "$wan" masquerade; }
	}
	NFT
}

# lab_upnpd NODE WAN LAN LANNET NAME MODEL [EXTRA]: miniupnpd (UPnP,
# NAT-PMP, PCP); EXTRA is one more config line.
lab_upnpd() {
	local node=$1 conf=$LAB_DIR/miniupnpd-$1.conf
	cat > "$conf" <<-CONF
	ext_ifname=$2
	listening_ip=$3
	http_port=5000
	enable_natpmp=yes
	enable_upnp=yes
	secure_mode=yes
	system_uptime=no
	uuid=$(cat /proc/sys/kernel/random/uuid)
	lease_file=$LAB_DIR/leases-$1
	friendly_name=$5
	manufacturer_name=Lab Networks
	model_name=$6
	upnp_table_name=filter
	upnp_nat_table_name=nat
	upnp_forward_chain=miniupnpd
	upnp_nat_chain=prerouting_miniupnpd
	upnp_nat_postrouting_chain=postrouting_miniupnpd
	allow 1-65535 $4 1-65535
	deny 0-65535 0.0.0.0/0 0-65535
	${7:-}
	CONF
	lab_upnpd_start "$node"
}

lab_upnpd_start() {
	lab_bg "$1" "miniupnpd-$1" miniupnpd -d -f "$LAB_DIR/miniupnpd-$1.conf" \
		-P "$LAB_DIR/miniupnpd-$1.pid"
	lab_wait_udp "$1" 5351
}

# A router reboot: miniupnpd stops, and its rules and leases are gone.
lab_upnpd_crash() {
	local pid; pid=$(cat "$LAB_DIR/miniupnpd-$1.pid")
	kill -KILL "$pid"
	while kill -0 "$pid" 2>/dev/null; do sleep 0.02; done
	lab_run "$1" nft flush chain inet nat prerouting_miniupnpd
	lab_run "$1" nft flush chain inet nat postrouting_miniupnpd
	lab_run "$1" nft flush chain inet filter miniupnpd
	rm -f "$LAB_DIR/leases-$1" "$LAB_DIR/miniupnpd-$1.pid"
}

# lab_hairpin NODE PUBLIC HOST PORT: NAT loopback for one TCP port, as a
# router's "NAT loopback" (OpenWrt: reflection) writes beside a forward:
# from the LAN, PUBLIC:PORT goes to HOST:PORT, and the reply comes back
# through the router. miniupnpd writes none.
lab_hairpin() {
	lab_run "$1" nft add rule inet nat prerouting iifname lan ip daddr "$2" \
		tcp dport "$4" dnat ip to "$3:$4"
	lab_run "$1" nft add rule inet nat postrouting iifname lan oifname lan \
		meta nfproto ipv4 masquerade
}

# How many DNAT rules the router NODE holds for mappings.
lab_upnpd_rules() {
	lab_run "$1" nft list chain inet nat prerouting_miniupnpd | grep -c dnat
}

# The home LAN: rtr's lan 192.168.1.1/24, the host at 192.168.1.10.
lab_home_lan() {
	lab_node host
	lab_link rtr lan 192.168.1.1/24 host eth0 192.168.1.10/24
	lab_run host ip route add default via 192.168.1.1
}

# A router NODE whose WAN is the link to inet (5.0.1.2/24, gateway 5.0.1.1).
lab_wan_router() {
	lab_node "$1"
	lab_link inet up0 5.0.1.1/24 "$1" wan 5.0.1.2/24
	lab_run "$1" ip route add default via 5.0.1.1
}

# An upstream NODE (ISP router or carrier NAT) with LAN $2 and rtr behind
# it at $3, gateway $4.
lab_upstream() {
	lab_wan_router "$1"
	lab_nat "$1" wan filter
	lab_node rtr
	lab_link "$1" lan "$2" rtr wan "$3"
	lab_run rtr ip route add default via "$4"
}

lab_topo_public() {
	lab_node host
	lab_link inet up0 5.0.1.1/24 host eth0 5.0.1.2/24
	lab_run host ip route add default via 5.0.1.1
}

lab_topo_single_nat() {
	lab_wan_router rtr
	lab_nat rtr wan filter
	lab_home_lan
	lab_upnpd rtr wan lan 192.168.1.0/24 "Home Router" "HR-100"
}

# lab_ipv6 ROUTER: IPv6 on the internet link and the LAN behind ROUTER,
# routed (no NAT); ROUTER's firewall (lab_nat filter, an inet table) drops
# new inbound connections of both families until a pinhole in miniupnpd's
# chain lets one through, as a home router's does (RFC 6092).
lab_ipv6() {
	lab_run inet ip -6 addr add "$LAB_V6_INET/64" dev up0 nodad
	lab_run "$1" ip -6 addr add "$LAB_V6_WAN/64" dev wan nodad
	lab_run "$1" ip -6 addr add "$LAB_V6_RTR/64" dev lan nodad
	lab_run host ip -6 addr add "$LAB_V6_HOST/64" dev eth0 nodad
	lab_run "$1" sysctl -qw net.ipv6.conf.all.forwarding=1
	lab_run "$1" ip -6 route add default via "$LAB_V6_INET"
	lab_run inet ip -6 route add 2a05:5:1::/64 via "$LAB_V6_WAN"
	lab_run host ip -6 route add default via "$LAB_V6_RTR"
}

# single-nat, and IPv6 through the same router: miniupnpd also serves
# IGDv2 pinholes (WANIPv6FirewallControl) and PCP for IPv6.
lab_topo_single_nat_v6() {
	lab_wan_router rtr
	lab_nat rtr wan filter
	lab_home_lan
	lab_ipv6 rtr
	lab_upnpd rtr wan lan 192.168.1.0/24 "Home Router" "HR-100" \
		"ext_ifname6=wan"
}

lab_topo_no_mapping() {
	lab_wan_router rtr
	lab_nat rtr wan filter
	lab_home_lan
}

lab_topo_double_nat() {
	lab_upstream isp 192.168.0.1/24 192.168.0.2/24 192.168.0.1
	lab_nat rtr wan filter
	lab_home_lan
	lab_upnpd rtr wan lan 192.168.1.0/24 "Home Router" "HR-100"
	if [ "${1:-}" = upnp ]; then
		lab_upnpd isp wan lan 192.168.0.0/24 "ISP Box" "Speedlink 5000"
	fi
}

lab_topo_double_nat_upnp() { lab_topo_double_nat upnp; }

# Both routers map: the ISP box, and a home router told the outer public
# address (ext_ip=), as NETLAB saw mapping through both layers work. The
# home router then reports 5.0.1.2 as its own: only the hop after it
# shows the ISP box.
lab_topo_double_nat_chain() {
	lab_upstream isp 192.168.0.1/24 192.168.0.2/24 192.168.0.1
	lab_nat rtr wan filter
	lab_home_lan
	lab_upnpd isp wan lan 192.168.0.0/24 "ISP Box" "Speedlink 5000"
	lab_upnpd rtr wan lan 192.168.1.0/24 "Home Router" "HR-100" "ext_ip=5.0.1.2"
}

lab_topo_cgnat() {
	lab_upstream cgn 100.64.0.1/10 100.64.0.2/10 100.64.0.1
	lab_nat rtr wan filter
	lab_home_lan
	lab_upnpd rtr wan lan 192.168.1.0/24 "Home Router" "HR-100"
}

# A carrier NAT that maps on request (PCP, NAT-PMP; RFC 6887 section 1
# has the carrier's server in mind): miniupnpd on cgn, for the customers in
# 100.64.0.0/10. The home router's miniupnpd sees its shared WAN address and
# refuses to map, as such routers do; lab_upnpd_told makes it map.
lab_topo_cgnat_pcp() {
	lab_topo_cgnat
	lab_upnpd cgn wan lan 100.64.0.0/10 "Carrier NAT" "CGN-9000"
}

# The same carrier, whose PCP server answers only where the carrier says
# it is: the anycast address of RFC 7723 (192.0.0.9), or with
# LAB_PCP_AT=ADDR another address its DHCP names (RFC 7291); at the hop
# itself nothing answers (no NAT-PMP, PCP or UPnP at 100.64.0.1).
lab_topo_cgnat_pcp_anycast() {
	local at=${LAB_PCP_AT:-192.0.0.9}
	lab_topo_cgnat_pcp
	lab_run cgn nft -f - <<-NFT
	table ip pcpserver {
	    chain hide { type filter hook prerouting priority -300; policy accept;
	        iifname "lan" ip daddr 100.64.0.1 meta l4proto { tcp, udp } drop;
	    }
	    chain at { type nat hook prerouting priority -100; policy accept;
	        iifname "lan" ip daddr $at udp dport 5351 dnat to 100.64.0.1;
	    }
	}
	NFT
}

# A carrier NAT that maps and filters endpoint-independently ("full cone",
# NAT1; RFC 4787, NETLAB.md): masquerade with ports preserved, and a public
# port open to anyone for 30 s after the subscriber's last packet out of
# it. The home router is miniupnpd told to find its public address by
# STUN (ext_perform_stun, as OpenWrt's can): behind a full cone it maps.
lab_topo_cgnat_fullcone() {
	lab_carrier
	lab_fullcone cgn 5.0.1.2 100.64.0.2
	lab_carrier_home_router
}

# A carrier NAT that maps per destination (symmetric, `masquerade
# random`): nothing can be held through it.
lab_topo_cgnat_symmetric() {
	lab_carrier
	lab_run cgn nft flush chain inet nat postrouting
	lab_run cgn nft add rule inet nat postrouting oifname wan masquerade random
	lab_carrier_home_router
}

# The carrier, 100.64.0.1 with the subscriber's router at 100.64.0.2; no
# firewall of its own but its NAT.
lab_carrier() {
	lab_wan_router cgn
	lab_nat cgn wan
	lab_node rtr
	lab_link cgn lan 100.64.0.1/10 rtr wan 100.64.0.2/10
	lab_run rtr ip route add default via 100.64.0.1
	lab_nat rtr wan filter
	lab_home_lan
}

lab_carrier_home_router() {
	lab_wait_udp inet 3478		# its STUN test at start, up to 12 s
	LAB_WAIT_TRIES=300 lab_upnpd rtr wan lan 192.168.1.0/24 "Home Router" "HR-100" \
		"ext_perform_stun=yes
ext_stun_host=$LAB_STUN1"
}

# lab_vps: a small server with a public address, 5.0.2.5 on the lab's
# internet (its own link from inet), for the relay.
LAB_VPS=5.0.2.5
lab_vps() {	# lab_vps [NODE ADDRESS]: another, as vps2 5.0.4.5 (a /24's .5)
	local node=${1:-vps} at=${2:-$LAB_VPS}
	lab_node "$node"
	lab_link inet "${node}0" "${at%.*}.1/24" "$node" eth0 "$at/24"
	lab_run "$node" ip route add default via "${at%.*}.1"
	lab_run "$node" sysctl -qw net.ipv4.ip_forward=1	# the relay's admin's
}

# lab_fullcone NODE PUBLIC SUBSCRIBER: NODE's NAT opens each public port
# the subscriber sent from to anyone, for LAB_FULLCONE_WINDOW seconds
# (30) after its last packet; its UDP mappings (conntrack) live as long, as
# a carrier's binding lifetime is one timer for both.
lab_fullcone() {
	local w=${LAB_FULLCONE_WINDOW:-30}s
	lab_run "$1" sysctl -qw net.netfilter.nf_conntrack_udp_timeout="${w%s}" \
		net.netfilter.nf_conntrack_udp_timeout_stream="${w%s}"
	lab_run "$1" nft -f - <<-NFT
	table ip fullcone {
	    set u { type inet_service; flags timeout; }
	    set t { type inet_service; flags timeout; }
	    chain seen { type filter hook postrouting priority 300; policy accept;
	        oifname "wan" ip saddr $2 ct status snat meta l4proto udp update @u { udp sport timeout $w };
	        oifname "wan" ip saddr $2 ct status snat meta l4proto tcp update @t { tcp sport timeout $w };
	    }
	    chain open { type nat hook prerouting priority -150; policy accept;
	        iifname "wan" ip daddr $2 udp dport @u dnat to $3;
	        iifname "wan" ip daddr $2 tcp dport @t dnat to $3;
	    }
	}
	NFT
}

# lab_fullcone_off NODE: the carrier turns to per-destination mapping (the
# flip): no port is open to strangers any more, and new flows map random.
lab_fullcone_off() {
	lab_run "$1" nft delete table ip fullcone
	lab_run "$1" nft flush chain inet nat postrouting
	lab_run "$1" nft add rule inet nat postrouting oifname wan masquerade random
	lab_run "$1" conntrack -F 2> /dev/null || true
}

# lab_pool_move NODE PUBLIC SUBSCRIBER: the carrier moves the subscriber to
# another public address (its flows are gone; the full cone follows).
lab_pool_move() {
	lab_wan_change "$1" "$2/24" 5.0.1.1
	lab_run "$1" nft delete table ip fullcone 2> /dev/null || true
	lab_fullcone "$1" "$2" "$3"
	lab_run "$1" conntrack -F 2> /dev/null || true
}

# lab_upnpd_told NODE PUBLIC: restart NODE's miniupnpd told the public
# address in front of it (miniupnpd's ext_ip=), the setting that makes a
# home router behind a carrier NAT map.
lab_upnpd_told() {
	local pid; pid=$(cat "$LAB_DIR/miniupnpd-$1.pid")
	kill "$pid"
	while kill -0 "$pid" 2>/dev/null; do sleep 0.02; done
	echo "ext_ip=$2" >> "$LAB_DIR/miniupnpd-$1.conf"
	lab_upnpd_start "$1"
}

# The ISP box behind a carrier NAT, the home router behind the box: three
# NATs (carrier 100.64.0.1, box 192.168.0.1, home router 192.168.1.1).
lab_topo_cgnat_isp() {
	lab_wan_router cgn
	lab_nat cgn wan filter
	lab_node isp
	lab_link cgn lan 100.64.0.1/10 isp wan 100.64.0.2/10
	lab_run isp ip route add default via 100.64.0.1
	lab_nat isp wan filter
	lab_node rtr
	lab_link isp lan 192.168.0.1/24 rtr wan 192.168.0.2/24
	lab_run rtr ip route add default via 192.168.0.1
	lab_nat rtr wan filter
	lab_home_lan
	lab_upnpd rtr wan lan 192.168.1.0/24 "Home Router" "HR-100"
}

# IPv6 routed from inet through UPSTREAM (unfiltered there: only the home
# router's firewall stands in the way) to rtr and the home LAN.
lab_ipv6_via() {
	lab_run "$1" nft insert rule inet filter forward meta nfproto ipv6 accept
	lab_run inet ip -6 addr add "$LAB_V6_INET/64" dev up0 nodad
	lab_run "$1" ip -6 addr add "$LAB_V6_WAN/64" dev wan nodad
	lab_run "$1" ip -6 addr add 2a05:5:2::1/64 dev lan nodad
	lab_run rtr ip -6 addr add 2a05:5:2::2/64 dev wan nodad
	lab_run rtr ip -6 addr add "$LAB_V6_RTR/64" dev lan nodad
	lab_run host ip -6 addr add "$LAB_V6_HOST/64" dev eth0 nodad
	lab_run "$1" sysctl -qw net.ipv6.conf.all.forwarding=1
	lab_run rtr sysctl -qw net.ipv6.conf.all.forwarding=1
	lab_run inet ip -6 route add 2a05:5::/32 via "$LAB_V6_WAN"
	lab_run "$1" ip -6 route add default via "$LAB_V6_INET"
	lab_run "$1" ip -6 route add 2a05:5:1::/64 via 2a05:5:2::2
	lab_run rtr ip -6 route add default via 2a05:5:2::1
	lab_run host ip -6 route add default via "$LAB_V6_RTR"
}

# cgnat, with native IPv6 routed through the carrier.
lab_topo_cgnat_v6() {
	lab_upstream cgn 100.64.0.1/10 100.64.0.2/10 100.64.0.1
	lab_nat rtr wan filter
	lab_home_lan
	lab_ipv6_via cgn
	lab_upnpd rtr wan lan 192.168.1.0/24 "Home Router" "HR-100" \
		"ext_ifname6=wan"
}

# DS-Lite (RFC 6333): the home router's IPv4 goes to the ISP's AFTR (cgn),
# which NATs it; the home router, the B4, does not NAT. This kernel has no
# ip6tnl: the B4/AFTR pair (192.0.0.2/29, 192.0.0.1) sits on the IPv6
# access link itself (NETLAB.md), so from the LAN the addresses and hops
# are DS-Lite's. Native IPv6 as in cgnat-v6.
lab_topo_ds_lite() {
	lab_wan_router cgn
	lab_nat cgn wan filter
	lab_node rtr
	lab_link cgn lan 192.0.0.1/29 rtr wan 192.0.0.2/29
	lab_run rtr ip route add default via 192.0.0.1
	lab_run cgn ip route add 192.168.1.0/24 via 192.0.0.2
	lab_nat rtr wan filter none
	lab_home_lan
	lab_ipv6_via cgn
	lab_upnpd rtr wan lan 192.168.1.0/24 "Home Router" "HR-100" \
		"ext_ifname6=wan"
}

# Twin IP / Super DMZ: the ISP box routes its one public address (5.0.1.2)
# to the home router, which holds it on its WAN; the box keeps 192.168.0.1.
lab_topo_twin_ip() {
	lab_node isp
	lab_link inet up0 5.0.1.1/24 isp wan 5.0.1.3/24
	lab_run inet ip route add 5.0.1.2/32 via 5.0.1.3
	lab_run isp ip route add default via 5.0.1.1
	lab_nat isp wan - 192.168.0.0/24
	lab_node rtr
	lab_link isp lan 192.168.0.1/24 rtr wan 5.0.1.2/32
	lab_run isp ip route add 5.0.1.2/32 dev lan
	lab_run rtr ip route add 192.168.0.1/32 dev wan
	lab_run rtr ip route add default via 192.168.0.1 dev wan onlink
	lab_nat rtr wan filter
	lab_home_lan
	lab_upnpd rtr wan lan 192.168.1.0/24 "Home Router" "HR-100"
}

# Bridge mode: the ISP box is a switching hub with no address at all.
lab_topo_bridge() {
	lab_node isp
	lab_run isp ip link add br0 type bridge
	lab_run isp ip link set br0 up
	lab_node rtr
	lab_link inet up0 5.0.1.1/24 isp p0 -
	lab_link isp p1 - rtr wan 5.0.1.2/24
	lab_run isp ip link set p0 master br0
	lab_run isp ip link set p1 master br0
	lab_run rtr ip route add default via 5.0.1.1
	lab_nat rtr wan filter
	lab_home_lan
	lab_upnpd rtr wan lan 192.168.1.0/24 "Home Router" "HR-100"
}

lab_teardown() {
	local pid name node ns
	trap - EXIT INT TERM
	# Callers with errexit (the benches): a daemon already gone must not
	# stop the teardown halfway and leave namespaces behind.
	set +e
	# A test's own last words (its daemons' logs when a check failed).
	declare -F lab_dump > /dev/null && lab_dump
	if [ -f "$LAB_DIR/pids" ]; then
		while read -r pid name; do kill "$pid" 2>/dev/null; done < "$LAB_DIR/pids"
	fi
	for node in "${LAB_NODES[@]}"; do
		ns=$(lab_ns "$node")
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
	done
	wait 2>/dev/null
	for node in "${LAB_NODES[@]}"; do
		ns=$(lab_ns "$node")
		ip netns delete "$ns" 2>/dev/null
		rm -rf "/etc/netns/$ns"
	done
	LAB_NODES=()
	# wireguard-go's sockets live in the host's folder, named per run.
	rm -f /var/run/wireguard/hr"$LAB_ID"*.sock
	[ -n "${LAB_KEEP_DIR:-}" ] || rm -rf "$LAB_DIR"
}

# lab_setup TOPOLOGY: build it and wait until its servers answer.
lab_setup() {
	local topo=$1 fn
	fn=lab_topo_${topo//-/_}
	declare -F "$fn" > /dev/null || lab_die "unknown topology '$topo' (one of: $LAB_TOPOLOGIES)"
	[ "$(id -u)" = 0 ] || lab_die "the lab needs root (network namespaces)"
	mkdir -p "$LAB_DIR"	# again, after a teardown in the same run
	trap lab_teardown EXIT
	trap 'exit 130' INT TERM
	lab_internet
	"$fn"
	lab_wait_udp inet 3478
	lab_wait_tcp inet 80
	lab_log "topology $topo is up (namespaces $(lab_ns '*'))"
}
