#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test-units.sh SYSTEMD_DIR: the packaged units, as `systemd-analyze
# security --offline` reads them: what the second audit found missing is
# there (RemoveIPC, PrivateMounts, ProtectProc, no @privileged or
# @resources system calls), and each stays at an exposure of 1.5 at most
# (the relay and the agent 1.7: they may need CAP_NET_ADMIN and
# /dev/net/tun for a relay's tunnel; the agent drops the capability at
# start when it has no [relay], which no static reading can see).
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
	# CAP_NET_ADMIN, /dev/net/tun (0.4 of it; the relay's netlink 0.1).
	max=1.5; [ "$unit" != homereach-redirect ] && max=1.7
	check_eq "$unit: exposure $level, $max at most" \
		"$(awk -v l="$level" -v m="$max" 'BEGIN { print (l != "" && l <= m) ? "yes" : "no" }')" yes
done
finish
