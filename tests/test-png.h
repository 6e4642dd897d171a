/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hostile PNG files for the image and theme tests: a well-formed header that claims any size,
 * with no pixel data (link zlib for its crc32). */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

static inline void put_be32(uint8_t *b, uint32_t v)
{
        for (int i = 0; i < 4; i++)
                b[i] = (uint8_t) (v >> (24 - 8 * i));
}

/* Signature + IHDR (w x h, 8-bit RGBA) with a correct CRC + IEND: nothing to decode. b needs 45
 * bytes; returns the length. */
static inline size_t craft_ihdr(uint8_t *b, uint32_t w, uint32_t h)
{
        static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        static const uint8_t iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
        uint8_t *c = b + 8;
        uLong crc;

        memcpy(b, sig, 8);
        memcpy(c, "\0\0\0\x0dIHDR", 8);
        for (int i = 0; i < 4; i++) {
                c[8 + i] = (uint8_t) (w >> (24 - 8 * i));
                c[12 + i] = (uint8_t) (h >> (24 - 8 * i));
        }
        memcpy(c + 16, "\x08\x06\x00\x00\x00", 5);
        crc = crc32(crc32(0, Z_NULL, 0), c + 4, 17);
        for (int i = 0; i < 4; i++)
                c[21 + i] = (uint8_t) (crc >> (24 - 8 * i));
        memcpy(c + 25, iend, 12);
        return 8 + 25 + 12;
}

/* The same with an IDAT chunk of garbage (correct CRC) before IEND: the header is read and
 * decoding starts, then fails. b needs 61 bytes; returns the length. */
static inline size_t craft_ihdr_bad_idat(uint8_t *b, uint32_t w, uint32_t h)
{
        size_t n = craft_ihdr(b, w, h) - 12; /* before IEND */
        uint8_t *c = b + n;

        put_be32(c, 4);
        memcpy(c + 4, "IDAT\xde\xad\xbe\xef", 8);
        put_be32(c + 12, (uint32_t) crc32(crc32(0, Z_NULL, 0), c + 4, 8));
        memcpy(c + 16, "\0\0\0\0IEND\xae\x42\x60\x82", 12);
        return n + 28;
}

/* Writes such a file (with the bad IDAT or without any) to path: 0, or -1. */
static inline int write_ihdr(const char *path, uint32_t w, uint32_t h, bool idat)
{
        uint8_t b[64];
        size_t n = idat ? craft_ihdr_bad_idat(b, w, h) : craft_ihdr(b, w, h);
        FILE *f = fopen(path, "we");
        int r = 0;

        if (!f)
                return -1;
        if (fwrite(b, 1, n, f) != n)
                r = -1;
        if (fclose(f) != 0)
                r = -1;
        return r;
}
