/* SPDX-License-Identifier: BSD-2-Clause */
/* WireGuard keys (Curve25519, base64 as `wg` writes them), by OpenSSL. */
#ifndef HOMEREACH_RELAYKEY_H
#define HOMEREACH_RELAYKEY_H

#include "relay/relayhomes.h"

/* A new private key and its public key; 0, or -1. */
int relaykey_new(char priv[RELAY_KEY_LEN + 1], char pub[RELAY_KEY_LEN + 1]);
/* The public key of a private one; 0, or -1 if it is none. */
int relaykey_public(const char *priv, char pub[RELAY_KEY_LEN + 1]);

#endif
