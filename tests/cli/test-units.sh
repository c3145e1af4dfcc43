#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test-units.sh SYSTEMD_DIR: the packaged units, as `systemd-analyze
# security --offline` reads them: what the second audit found missing is
# there (RemoveIPC, PrivateMounts, ProtectProc, no @privileged or
# @resources system calls), and each stays at an exposure of 1.5 at most
# (the relay 1.7: it needs CAP_NET_ADMIN, /dev/net/tun and netlink).
# Needs no running systemd.
set -u
dir=$1
here=$(dirname "$(realpath "$0")")
. "$here/../lab/assert.sh"
for unit in homereach homereach-redirect homereach-relay; do
	out=$(systemd-analyze security --offline=true "$dir/$unit.service" 2>&1)
	for what in RemoveIPC= PrivateMounts= ProtectProc= \
	    'SystemCallFilter=~@privileged' 'SystemCallFilter=~@resources'; do
		check_eq "$unit: $what" "$(echo "$out" | grep -cF "✓ $what")" 1
	done
	level=$(echo "$out" | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
	# The relay needs CAP_NET_ADMIN, /dev/net/tun and netlink (0.5 of it).
	max=1.5; [ "$unit" = homereach-relay ] && max=1.7
	check_eq "$unit: exposure $level, $max at most" \
		"$(awk -v l="$level" -v m="$max" 'BEGIN { print (l != "" && l <= m) ? "yes" : "no" }')" yes
done
finish
