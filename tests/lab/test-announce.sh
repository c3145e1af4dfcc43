#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test-announce.sh LISTENER: when the router's WAN address changes, its
# NAT-PMP and PCP announcements reach the LAN host (nat/announce.c), with
# the new address, within a second; an announcement from anyone but the
# gateway is ignored.
set -u
listener=$(realpath "$1")
here=$(dirname "$(realpath "$0")")
. "$here/lab.sh"
. "$here/assert.sh"
lab_setup single-nat

out=$LAB_DIR/announce.out
start=$(now_ms)
lab_spawn host "$listener" 192.168.1.1 4 > "$out" 2>&1
pid=$LAB_PID
for _ in $(seq 50); do grep -q listening "$out" && break; sleep 0.05; done
# Not the gateway: the host itself sends a NAT-PMP announcement.
printf '\000\200\000\000\000\000\016\020\001\002\003\004' |
	lab_run host socat -u - UDP:192.168.1.10:5350
changed=$(( $(now_ms) - start ))
lab_wan_change rtr 5.0.1.7/24 5.0.1.1
wait "$pid"
cat "$out" >&2
# A gateway repeats its announcement (RFC 6886 3.2.1: intervals doubling
# from 250 ms): at least one, and each with the new address.
check_eq "NAT-PMP announcement with the new address" \
	"$(grep -c '^[0-9]* natpmp 5.0.1.7 ' "$out" | awk '{ print ($1 >= 1) ? "yes" : "no" }')" yes
check_eq "no announcement of another address" \
	"$(grep '^[0-9]* natpmp ' "$out" | grep -vc ' natpmp 5.0.1.7 ')" 0
check_eq "PCP announcement" "$(grep -c '^[0-9]* pcp ' "$out" | awk '{ print ($1 >= 1) ? "yes" : "no" }')" yes
check_eq "nothing from anyone else" "$(grep -c '1.2.3.4' "$out")" 0
ms=$(awk -v c="$changed" '$2 == "natpmp" { print $1 - c; exit }' "$out")
echo "info: announcement $ms ms after the change"
check_eq "within a second" "$(awk -v m="${ms:-99999}" 'BEGIN { print (m < 1000) ? "yes" : "no" }')" yes
finish
