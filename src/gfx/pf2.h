/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GRUB's PF2 bitmap fonts (grub-mkfont's output), read as GRUB's font loader reads them
 * (grub-core/font/font.c): a FILE section "PFF2", then sections of a 4-byte name and a big-endian
 * 32-bit length (NAME, FAMI, WEIG, SLAN, PTSZ, MAXW, MAXH, ASCE, DESC, CHIX; unknown ones are
 * skipped) up to DATA. CHIX entries (code point, storage flags, file offset; 9 bytes each) are
 * sorted by code point; a glyph at its offset is width, height (u16), x offset, y offset, device
 * width (s16), all big-endian, then width * height bits packed MSB first without row padding.
 *
 * Pure and bounded: the whole file is in memory (the caller's buffer, which must outlive the
 * font), every offset and length is checked against it, and a glyph larger than MAXW x MAXH is
 * refused (GRUB drops such a font at that glyph; here the glyph is missing). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PF2_FILE_MAX (32u * 1024 * 1024) /* unicode.pf2 is 2.3 MB */
#define PF2_NAME_MAX 256                 /* NAME, FAMI, WEIG, SLAN: longer strings are cut */

struct pf2_font {
        const uint8_t *data; /* the file (not owned) */
        size_t len;
        char name[PF2_NAME_MAX];   /* "DejaVu Sans Regular 12" ("Unknown" when missing) */
        char family[PF2_NAME_MAX]; /* "DejaVu Sans" (may be empty) */
        bool bold, italic;         /* WEIG "bold", SLAN "italic" */
        int weight;                /* as GRUB: WEIG "normal" 100, "bold" 200, else 0 */
        int point_size;            /* PTSZ: the pixel size grub-mkfont was given */
        int max_width, max_height, ascent, descent;
        const uint8_t *chix; /* the CHIX entries inside data */
        uint32_t n_chars;
};

struct pf2_glyph {
        int width, height;   /* pixels (0 for blanks) */
        int x_offset;        /* bitmap left, right of the pen */
        int y_offset;        /* bitmap bottom, up from the baseline */
        int device_width;    /* the pen advance */
        const uint8_t *bits; /* width * height bits, row after row, MSB first (in data) */
};

/* Parses a PF2 file held in data (len bytes). 0, or -EINVAL (not a PF2 font, or one GRUB refuses:
 * a section cut short, CHIX not in ascending order, a second NAME or CHIX, a missing MAXW, MAXH,
 * ASCE, DESC or CHIX) or -EFBIG (over PF2_FILE_MAX). */
int pf2_parse(const void *data, size_t len, struct pf2_font *ret);

/* The glyph of code point cp: 0, or -ENOENT (not in the font, or its data is out of bounds). */
int pf2_glyph(const struct pf2_font *f, uint32_t cp, struct pf2_glyph *ret);

/* The CHIX entry i (0 <= i < n_chars): its code point. */
uint32_t pf2_char_code(const struct pf2_font *f, uint32_t i);

/* Pixel (x, y) of a glyph, y from the top: true when set. */
static inline bool pf2_pixel(const struct pf2_glyph *g, int x, int y)
{
        size_t bit = (size_t) y * (size_t) g->width + (size_t) x;

        return g->bits[bit >> 3] & (0x80u >> (bit & 7));
}

/* ---- GRUB's choice of fonts (grub-core/font/font.c) ---- */

/* grub_font_get(): fonts in GRUB's list order (fonts[0] the last one loaded: GRUB puts each
 * loaded font at the head of its list). The first whose full NAME is name exactly, else fonts[0]
 * (the last loaded); -1 when n is 0 (GRUB's "<No Font>"). */
int pf2_select(const struct pf2_font *const *fonts, size_t n, const char *name);

/* get_font_diversity(): how unlike b a is (|ascent difference| * 8, |MAXH difference| * 8, 5 for
 * another weight; 50 for each metric missing). grub_font_get_glyph_with_fallback() takes a glyph
 * the chosen font lacks from the least diverse font that has it, the first in list order among
 * equals. */
int pf2_diversity(const struct pf2_font *a, const struct pf2_font *b);

/* The fonts to look in for a glyph that fonts[chosen] lacks, in the order that gives GRUB's
 * choice: fonts[] sorted by diversity from fonts[chosen], list order among equals, without
 * chosen itself and without those GRUB never takes (a diversity of 10000 or more). order must hold
 * n - 1 indexes; returns how many were written. */
size_t pf2_fallback_order(const struct pf2_font *const *fonts, size_t n, size_t chosen,
                          size_t *order);
