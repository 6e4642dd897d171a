/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GRUB's PF2 fonts: the sections GRUB's loader reads, with its checks (pf2.h). */
#include "pf2.h"

#include <errno.h>
#include <string.h>

#define CHIX_ENTRY  9u /* code point (4), storage flags (1), offset (4) */
#define GLYPH_HEAD  10u
#define SECTION_HDR 8u

static uint32_t be32(const uint8_t *p)
{
        return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

static uint16_t be16(const uint8_t *p)
{
        return (uint16_t) (p[0] << 8 | p[1]);
}

/* A string section: up to its first NUL, cut to PF2_NAME_MAX - 1 bytes. */
static void section_string(const uint8_t *p, uint32_t len, char out[PF2_NAME_MAX])
{
        size_t n = 0;

        while (n < len && n < PF2_NAME_MAX - 1 && p[n])
                n++;
        memcpy(out, p, n);
        out[n] = 0;
}

/* GRUB's read_section_as_short: exactly 2 bytes, a signed big-endian value. */
static int section_short(const uint8_t *p, uint32_t len, int *ret)
{
        if (len != 2)
                return -EINVAL;
        *ret = (int16_t) be16(p);
        return 0;
}

enum section_kind {
        S_NAME,
        S_FAMI,
        S_WEIG,
        S_SLAN,
        S_PTSZ,
        S_MAXW,
        S_MAXH,
        S_ASCE,
        S_DESC,
        S_CHIX
};

static const char section_names[][5] = {
        [S_NAME] = "NAME", [S_FAMI] = "FAMI", [S_WEIG] = "WEIG", [S_SLAN] = "SLAN",
        [S_PTSZ] = "PTSZ", [S_MAXW] = "MAXW", [S_MAXH] = "MAXH", [S_ASCE] = "ASCE",
        [S_DESC] = "DESC", [S_CHIX] = "CHIX",
};

static int section_kind(const uint8_t *name)
{
        for (size_t i = 0; i < sizeof(section_names) / sizeof(section_names[0]); i++)
                if (memcmp(name, section_names[i], 4) == 0)
                        return (int) i;
        return -1;
}

static int chix_check(const uint8_t *p, uint32_t len, uint32_t *ret_n)
{
        uint32_t n, last = 0;

        if (len % CHIX_ENTRY != 0)
                return -EINVAL;
        n = len / CHIX_ENTRY;
        for (uint32_t i = 0; i < n; i++) {
                uint32_t code = be32(p + (size_t) i * CHIX_ENTRY);

                if (i != 0 && code <= last)
                        return -EINVAL;
                last = code;
        }
        *ret_n = n;
        return 0;
}

static int read_section(struct pf2_font *f, int kind, const uint8_t *p, uint32_t len, bool *seen)
{
        char s[PF2_NAME_MAX];

        switch (kind) {
        case S_NAME:
                if (*seen)
                        return -EINVAL; /* "too many NAME sections" */
                section_string(p, len, f->name);
                *seen = true;
                return 0;
        case S_FAMI:
                section_string(p, len, f->family);
                return 0;
        case S_WEIG:
                section_string(p, len, s);
                f->bold = strcmp(s, "bold") == 0;
                f->weight = f->bold ? 200 : strcmp(s, "normal") == 0 ? 100 : 0;
                return 0;
        case S_SLAN:
                section_string(p, len, s);
                f->italic = strcmp(s, "italic") == 0 || strcmp(s, "oblique") == 0;
                return 0;
        case S_PTSZ:
                return section_short(p, len, &f->point_size);
        case S_MAXW:
                return section_short(p, len, &f->max_width);
        case S_MAXH:
                return section_short(p, len, &f->max_height);
        case S_ASCE:
                return section_short(p, len, &f->ascent);
        case S_DESC:
                return section_short(p, len, &f->descent);
        case S_CHIX:
                if (f->chix)
                        return -EINVAL; /* "too many CHIX sections" */
                if (chix_check(p, len, &f->n_chars) < 0)
                        return -EINVAL;
                f->chix = p;
                return 0;
        }
        return 0;
}

int pf2_parse(const void *data, size_t len, struct pf2_font *ret)
{
        const uint8_t *d = data;
        struct pf2_font f = {.data = d, .len = len};
        bool have_name = false;
        size_t pos;
        int r;

        *ret = (struct pf2_font){};
        if (len > PF2_FILE_MAX)
                return -EFBIG;
        if (len < 12 || memcmp(d, "FILE", 4) != 0 || be32(d + 4) != 4 || memcmp(d + 8, "PFF2", 4))
                return -EINVAL;
        for (pos = 12; len - pos >= SECTION_HDR;) {
                const uint8_t *name = d + pos;
                uint32_t slen = be32(d + pos + 4);

                pos += SECTION_HDR;
                if (memcmp(name, "DATA", 4) == 0)
                        break; /* GRUB stops reading here: glyphs are found by their offsets */
                if (slen > len - pos)
                        return -EINVAL;
                r = read_section(&f, section_kind(name), d + pos, slen, &have_name);
                if (r < 0)
                        return r;
                pos += slen;
        }
        if (!have_name)
                strcpy(f.name, "Unknown");
        /* GRUB: "invalid font file: missing some required data". */
        if (f.max_width <= 0 || f.max_height <= 0 || f.n_chars == 0 || !f.chix || f.ascent == 0 ||
            f.descent == 0)
                return -EINVAL;
        *ret = f;
        return 0;
}

uint32_t pf2_char_code(const struct pf2_font *f, uint32_t i)
{
        return be32(f->chix + (size_t) i * CHIX_ENTRY);
}

int pf2_glyph(const struct pf2_font *f, uint32_t cp, struct pf2_glyph *ret)
{
        uint32_t lo = 0, hi = f->n_chars, off;
        const uint8_t *g;
        size_t bytes;

        while (lo < hi) {
                uint32_t mid = lo + (hi - lo) / 2;

                if (pf2_char_code(f, mid) < cp)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        if (lo >= f->n_chars || pf2_char_code(f, lo) != cp)
                return -ENOENT;
        off = be32(f->chix + (size_t) lo * CHIX_ENTRY + 5);
        if (off > f->len || f->len - off < GLYPH_HEAD)
                return -ENOENT;
        g = f->data + off;
        *ret = (struct pf2_glyph){
                .width = be16(g),
                .height = be16(g + 2),
                .x_offset = (int16_t) be16(g + 4),
                .y_offset = (int16_t) be16(g + 6),
                .device_width = (int16_t) be16(g + 8),
                .bits = g + GLYPH_HEAD,
        };
        /* GRUB drops a font at a glyph larger than its MAXW x MAXH. */
        if (ret->width > f->max_width || ret->height > f->max_height)
                return -ENOENT;
        bytes = ((size_t) ret->width * (size_t) ret->height + 7) / 8;
        if (f->len - off - GLYPH_HEAD < bytes)
                return -ENOENT;
        return 0;
}

/* ---- GRUB's choice of fonts ----------------------------------------------------------------- */

int pf2_select(const struct pf2_font *const *fonts, size_t n, const char *name)
{
        for (size_t i = 0; i < n && name; i++)
                if (strcmp(fonts[i]->name, name) == 0)
                        return (int) i;
        return n > 0 ? 0 : -1;
}

static int iabs(int v)
{
        return v < 0 ? -v : v;
}

int pf2_diversity(const struct pf2_font *a, const struct pf2_font *b)
{
        int d = 0;

        d += a->ascent && b->ascent ? iabs(a->ascent - b->ascent) * 8 : 50;
        d += a->max_height && b->max_height ? iabs(a->max_height - b->max_height) * 8 : 50;
        d += a->weight != b->weight ? 5 : 0;
        return d;
}

size_t pf2_fallback_order(const struct pf2_font *const *fonts, size_t n, size_t chosen,
                          size_t *order)
{
        size_t m = 0;

        /* Insertion sort, stable: n is a theme's handful of fonts. */
        for (size_t i = 0; i < n; i++) {
                int d;
                size_t j;

                if (i == chosen)
                        continue;
                d = pf2_diversity(fonts[i], fonts[chosen]);
                if (d >= 10000) /* GRUB starts from a best diversity of 10000 */
                        continue;
                for (j = m; j > 0 && pf2_diversity(fonts[order[j - 1]], fonts[chosen]) > d; j--)
                        order[j] = order[j - 1];
                order[j] = i;
                m++;
        }
        return m;
}
