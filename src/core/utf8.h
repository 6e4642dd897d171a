/* SPDX-License-Identifier: GPL-2.0-or-later */
/* UTF-8 without locales: one decoder and one encoder for every module that handles text. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define UTF8_REPLACEMENT 0xfffdu

/* Decodes one character at s (n bytes available). Returns its length (1-4) and sets *ret, or
 * returns 0 when the bytes are not a complete, shortest-form encoding of a Unicode scalar value
 * (over-long forms, surrogates, > U+10FFFF, truncated sequences). */
size_t utf8_decode(const char *s, size_t n, uint32_t *ret);

/* Encodes a scalar value into out (4 bytes at most). Returns the length. */
size_t utf8_encode(uint32_t c, char out[4]);

/* A continuation byte (10xxxxxx): not the start of a character. */
static inline int utf8_is_cont(unsigned char b)
{
        return (b & 0xc0) == 0x80;
}

/* The characters that start in the first n bytes of s (the line editors' cursor columns). */
size_t utf8_count_chars(const char *s, size_t n);

/* Text from disks (titles, command lines, paths) as it is shown and printed: invalid UTF-8
 * becomes U+FFFD, control characters (C0, DEL, C1) '?' and a tab a space, so such text can never
 * send escape sequences to a terminal or forge a line of a log. The menu, `list`, --dry-run and
 * the debug log use it. */

/* The next character of s as shown, advancing *s; 0 at the end of the string. */
uint32_t utf8_next_shown(const char **s);
/* Writes s as shown into out (size > 0), NUL-terminated, cut at a character boundary when it
 * does not fit. Returns the length written. */
size_t utf8_shown_to(char *out, size_t size, const char *s);
/* s as shown (NULL for NULL), malloc'ed; NULL also when out of memory. */
char *utf8_shown(const char *s);
/* printf of one line that holds text from disks: the formatted text goes to f as shown, then a
 * newline. */
void utf8_print_shown(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
