/* SPDX-License-Identifier: BSD-2-Clause */
/* Test vectors from tests/vectors: "name hex  # comment" lines. */
#ifndef HOMEREACH_TEST_VECTORS_H
#define HOMEREACH_TEST_VECTORS_H

#include <stddef.h>
#include <stdint.h>

/* Decode vector name from file into buf; returns its length (fails the
 * test if the vector is missing). */
size_t vector_load(const char *file, const char *name, uint8_t *buf,
    size_t len);
size_t hex_decode(const char *hex, uint8_t *buf, size_t len);

#endif
