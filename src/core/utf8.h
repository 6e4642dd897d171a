/* SPDX-License-Identifier: GPL-2.0-or-later */
/* UTF-8 without locales: one decoder and one encoder for every module that handles text. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xfffdu

/* Decodes one character at s (n bytes available). Returns its length (1-4) and sets *ret, or
 * returns 0 when the bytes are not a complete, shortest-form encoding of a Unicode scalar value
 * (over-long forms, surrogates, > U+10FFFF, truncated sequences). */
size_t utf8_decode(const char *s, size_t n, uint32_t *ret);

/* Encodes a scalar value into out (4 bytes at most). Returns the length. */
size_t utf8_encode(uint32_t c, char out[4]);
