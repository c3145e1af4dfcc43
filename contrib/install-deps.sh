#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Install what homereach needs from Debian 12 packages, as root.
#   install-deps.sh build    compiler, CMake and the libraries
#   install-deps.sh deb      also what builds and checks the Debian package
#   install-deps.sh all      all of it, the network lab, fuzzing, benchmarks
set -euo pipefail

build=(build-essential cmake pkg-config libminiupnpc-dev libnatpmp-dev
	libcurl4-openssl-dev libevent-dev libjansson-dev libcmocka-dev libldns-dev
	libssl-dev libcrypt-dev)
lab=(iproute2 nftables conntrack miniupnpd-nftables miniupnpc natpmpc coturn
	nginx-light jq procps socat knot knot-dnsutils python3 openssl
	clang libclang-rt-14-dev hyperfine ddclient libio-socket-ssl-perl inadyn
	bind9-dnsutils time wrk curl
	chromium fonts-dejavu-core wireguard-tools wireguard-go iperf3
	openssh-server openssh-client)
deb=(debhelper dpkg-dev fakeroot lintian git systemd)

want=("${build[@]}")
case ${1:-all} in
build) ;;
deb) want+=("${deb[@]}") ;;
*) want+=("${deb[@]}" "${lab[@]}") ;;
esac

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

[ "$(id -u)" = 0 ] || { echo "install-deps.sh: run as root to install: ${missing[*]}" >&2; exit 1; }
# The lab starts its own miniupnpd, coturn and nginx inside namespaces;
# keep the packages from starting theirs on the host.
policy=/usr/sbin/policy-rc.d
[ -e "$policy" ] || { printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod 755 "$policy"; trap 'rm -f "$policy"' EXIT; }
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
