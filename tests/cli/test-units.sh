#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test-units.sh SYSTEMD_DIR: the packaged units, as `systemd-analyze
# security --offline` reads them: what the second audit found missing is
# there (RemoveIPC, PrivateMounts, ProtectProc, no @privileged or
# @resources system calls), and each stays at an exposure of 1.5 at most.
# Needs no running systemd.
set -u
dir=$1
here=$(dirname "$(realpath "$0")")
. "$here/../lab/assert.sh"
for unit in homereach homereach-redirect; do
	out=$(systemd-analyze security --offline=true "$dir/$unit.service" 2>&1)
	for what in RemoveIPC= PrivateMounts= ProtectProc= \
	    'SystemCallFilter=~@privileged' 'SystemCallFilter=~@resources'; do
		check_eq "$unit: $what" "$(echo "$out" | grep -cF "✓ $what")" 1
	done
	level=$(echo "$out" | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
	check_eq "$unit: exposure $level, 1.5 at most" \
		"$(awk -v l="$level" 'BEGIN { print (l != "" && l <= 1.5) ? "yes" : "no" }')" yes
done
finish
