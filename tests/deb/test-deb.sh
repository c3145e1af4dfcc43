#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test-deb.sh DEB: the package installed on this machine, used, and purged.
#   dpkg -i; homereach --version; check-config on the installed config as
#   root and as the agent's user; the agent runs as user homereach (not
#   root, no capability) for two seconds in a network namespace with no
#   link, and `status` reaches it; an upgrade restarts what ran and stops
#   nothing, a removal stops both units; dpkg --purge; the files under /etc,
#   /usr, /var/lib, /run and /opt are the same before and after, by name.
# The package starts nothing (its units are installed disabled); a
# policy-rc.d refuses anyway while this runs.
set -u
deb=$(realpath "$1")
here=$(dirname "$(realpath "$0")")
. "$here/../lab/assert.sh"
FAILS=0
[ "$(id -u)" = 0 ] || { echo "test-deb.sh: run as root" >&2; exit 1; }
dpkg-query -W -f='${Status}' homereach 2>/dev/null | grep -q installed &&
	{ echo "test-deb.sh: homereach is installed already" >&2; exit 1; }

work=$(mktemp -d /tmp/homereach-deb.XXXX)
policy=/usr/sbin/policy-rc.d
made_policy=
cleanup() {
	pkill -u homereach -f homereach-agent 2> /dev/null
	dpkg --purge homereach > /dev/null 2>&1
	[ -n "$made_policy" ] && rm -f "$policy"
	rm -rf "$work"
}
trap cleanup EXIT
[ -e "$policy" ] || { printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod 755 "$policy"; made_policy=1; }

# What exists, by name (dpkg's and apt's own books aside).
files() {
	find /etc /usr /var/lib /run /opt -xdev \( -path /var/lib/dpkg \
		-o -path /var/lib/apt -o -path /run/user -o -path "$work" \) \
		-prune -o -print 2> /dev/null | grep -v "^$policy\$" | sort
}

files > "$work/before"
dpkg -i "$deb" > "$work/install.log" 2>&1
check_eq "dpkg -i" "$?" 0
check_eq "homereach --version" "$(homereach --version)" \
	"homereach $(dpkg-deb -f "$deb" Version)"
check_eq "the agent's binary" "$(stat -c %a /usr/libexec/homereach/homereach-agent)" 755
check_eq "the config: 0640 root:homereach" \
	"$(stat -c '%a %U:%G' /etc/homereach/homereach.conf)" "640 root:homereach"
check_eq "the state: 0700 homereach" "$(stat -c '%a %U' /var/lib/homereach)" "700 homereach"
check_eq "check-config (root)" "$(homereach check-config 2>&1)" \
	"/etc/homereach/homereach.conf: ok (0 DNS records)"
check_eq "check-config (user homereach)" \
	"$(runuser -u homereach -- homereach check-config 2>&1)" \
	"/etc/homereach/homereach.conf: ok (0 DNS records)"
check_eq "units installed, not enabled" \
	"$(ls /lib/systemd/system/homereach*.service | wc -l) $(find /etc/systemd -name 'homereach*' | wc -l)" "3 0"

# The agent as systemd would run it: user homereach, /run/homereach made
# for it (RuntimeDirectory=); no network to talk to.
install -d -o homereach -g homereach -m 0750 /run/homereach
unshare --net runuser -u homereach -- homereach -v agent > "$work/agent.log" 2>&1 &
agent=$!
for i in $(seq 40); do grep -q "the agent started" "$work/agent.log" && break; sleep 0.1; done
check_eq "the agent runs as homereach" \
	"$(ps -o user= -p "$(pgrep -u homereach -f homereach-agent | head -1)" 2> /dev/null)" homereach
check_eq "status reaches it" "$(homereach status --json 2> /dev/null | jq -r '.services | length')" 0
pkill -TERM -u homereach -f homereach-agent
wait "$agent"
check_eq "it stops on SIGTERM" "$(grep -c 'stopped' "$work/agent.log")" 1
# import as root: the secret goes to the agent's user, the config to its
# group, the shipped one kept as .old; a purge takes them all away.
homereach import inadyn /usr/share/doc/inadyn/examples/dyndns.conf --write \
	--force > /dev/null 2>&1
check_eq "an imported secret: 0600 homereach" \
	"$(stat -c '%a %U' /etc/homereach/example-dyndns-org.password)" "600 homereach"
check_eq "the imported config: 0640 root:homereach, checked as homereach" \
	"$(stat -c '%a %U:%G' /etc/homereach/homereach.conf) $(runuser -u homereach -- \
	homereach check-config 2>&1)" \
	"640 root:homereach /etc/homereach/homereach.conf: ok (1 DNS record)"

# An upgrade (the same package again), then a removal, as they go where
# systemd runs: in a mount namespace whose /run says so, with
# deb-systemd-invoke and systemctl that only write down what they are
# asked. The upgrade stops nothing and restarts what was running; the
# removal stops both.
shims=$work/shims
mkdir -p "$shims"
for tool in deb-systemd-invoke systemctl; do
	printf '#!/bin/sh\necho "%s $*" >> %s/invoked\n' "$tool" "$work" > "$shims/$tool"
	chmod 755 "$shims/$tool"
done
unshare -m sh -c 'mount -n -t tmpfs none /run && mkdir -p /run/systemd/system &&
	PATH="$0:$PATH" dpkg -i "$1" && echo "-- remove" >> "$2/invoked" &&
	PATH="$0:$PATH" dpkg --remove homereach' "$shims" "$deb" "$work" \
	> "$work/upgrade.log" 2>&1
check_eq "upgrade and removal" "$?" 0
check_eq "the upgrade stops nothing" \
	"$(sed '/^-- remove/q' "$work/invoked" | grep -c 'deb-systemd-invoke stop')" 0
check_eq "and restarts what was running" \
	"$(sed '/^-- remove/q' "$work/invoked" | grep -c 'deb-systemd-invoke try-restart homereach.service homereach-redirect.service homereach-relay.service')" 1
check_eq "the removal stops all three" \
	"$(sed '1,/^-- remove/d' "$work/invoked" | grep -c 'deb-systemd-invoke stop homereach.service homereach-redirect.service homereach-relay.service')" 1

dpkg --purge homereach > "$work/purge.log" 2>&1
check_eq "dpkg --purge" "$?" 0
files > "$work/after"
check_eq "no file left behind" "$(diff "$work/before" "$work/after" | grep '^[<>]' | head -5 | tr '\n' ' ')" ""
check_eq "the command is gone" "$(ls /usr/bin/homereach /usr/libexec/homereach 2>&1 | grep -vc 'No such')" 0
finish
