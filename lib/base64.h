/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Base64 (RFC 4648 section 4) decoding, strict: whole quanta, padding only
 * at the end, no whitespace. Our own, because the linked libraries do not
 * offer this (measured on Debian 12): OpenSSL's EVP_DecodeBlock accepts
 * "Y===", "YW=I" and "YQ==YQ==" and counts the padding in its length;
 * ldns's b64_pton is not in ldns's public headers and skips whitespace
 * inside ("Y Q=="); libevent has no base64. Used for HTTP Basic
 * credentials and to check a TSIG secret before ldns sees it.
 */
#ifndef HOMEREACH_BASE64_H
#define HOMEREACH_BASE64_H

#include <stddef.h>
#include <stdint.h>

/* The decoded length, or -1: not base64, or more than cap bytes. */
int base64_decode(const char *in, uint8_t *out, size_t cap);

#endif
