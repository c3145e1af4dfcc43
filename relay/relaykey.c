/* SPDX-License-Identifier: BSD-2-Clause */
#include "relay/relaykey.h"

#include <string.h>

#include <openssl/evp.h>

#include "lib/base64.h"

static void
relaykey_b64(const uint8_t raw[32], char out[RELAY_KEY_LEN + 1])
{
	EVP_EncodeBlock((unsigned char *)out, raw, 32);
}

/* The raw public key of pkey, in base64. */
static int
relaykey_pub_of(EVP_PKEY *pkey, char pub[RELAY_KEY_LEN + 1])
{
	uint8_t raw[32];
	size_t len = sizeof(raw);

	if (EVP_PKEY_get_raw_public_key(pkey, raw, &len) != 1 || len != 32)
		return -1;
	relaykey_b64(raw, pub);
	return 0;
}

int
relaykey_new(char priv[RELAY_KEY_LEN + 1], char pub[RELAY_KEY_LEN + 1])
{
	EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
	uint8_t raw[32];
	size_t len = sizeof(raw);
	int rc = -1;

	if (pkey != NULL && EVP_PKEY_get_raw_private_key(pkey, raw, &len) == 1 &&
	    len == 32 && relaykey_pub_of(pkey, pub) == 0) {
		relaykey_b64(raw, priv);
		rc = 0;
	}
	OPENSSL_cleanse(raw, sizeof(raw));
	EVP_PKEY_free(pkey);
	return rc;
}

int
relaykey_public(const char *priv, char pub[RELAY_KEY_LEN + 1])
{
	uint8_t raw[48];
	EVP_PKEY *pkey = NULL;
	int rc = -1;

	if (strlen(priv) == RELAY_KEY_LEN && base64_decode(priv, raw,
	    sizeof(raw)) == 32 && (pkey = EVP_PKEY_new_raw_private_key(
	    EVP_PKEY_X25519, NULL, raw, 32)) != NULL)
		rc = relaykey_pub_of(pkey, pub);
	OPENSSL_cleanse(raw, sizeof(raw));
	EVP_PKEY_free(pkey);
	return rc;
}
