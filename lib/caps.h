/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CAP_NET_ADMIN, the one capability homereach may be given (its systemd
 * units give it as an ambient capability, for a relay's tunnel): kept
 * only by a process that uses it, and passed on only to the programs
 * that make the tunnel (ip, wg, nft, wireguard-go: lib/run.c), never to
 * hooks or helpers. prctl and execve only: capset is one of the
 * privileged system calls the units forbid.
 */
#ifndef HOMEREACH_CAPS_H
#define HOMEREACH_CAPS_H

#include <stdbool.h>

/* At start: no ambient capability left for any child. A process given
 * CAP_NET_ADMIN as an ambient capability (not root) that does not keep
 * it runs itself again (its /proc/self/cmdline) without it, and so holds
 * none; -1 if that failed. */
int caps_net_admin(bool keep);
/* Around spawning a tunnel program: CAP_NET_ADMIN ambient for this
 * thread's children (on), or no longer (off). Quiet when it cannot be:
 * root's children have it anyway, others then lack it and say so. */
void caps_ambient(bool on);

#endif
