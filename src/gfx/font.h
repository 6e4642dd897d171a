/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text with FreeType: fonts named as GRUB names them ("DejaVu Sans Bold 16"), resolved against a
 * list of directories; light hinting, one glyph cache per face and pixel size, kerning, UTF-8
 * decoded without a locale, missing glyphs taken from the next font in the fallback chain, and a
 * built-in bitmap face (made at build time) when no font file loads at all. */
#pragma once

#include "canvas.h"

struct gfx_fonts; /* the registry: search directories, loaded faces, caches */
struct gfx_font;  /* one face at one pixel size (owned by the registry) */

/* dirs: NULL-terminated list searched in order (a theme's folder first, then fonts/). */
int gfx_fonts_new(char *const *dirs, struct gfx_fonts **ret);
struct gfx_fonts *gfx_fonts_free(struct gfx_fonts *f);

/* "DejaVu Sans Bold 16", "Unifont Regular 16", "DejaVu Sans Mono 14": family, optional style
 * words (Bold, Italic, Oblique, Regular, Book, Mono is part of the family), size in pixels at the
 * end. scale_percent multiplies the size (100 = as written). Never NULL: falls back to the default
 * face (DejaVu Sans) at that size, then to the built-in bitmap face. */
struct gfx_font *gfx_fonts_get(struct gfx_fonts *f, const char *grub_name, int scale_percent);
/* The default face at a pixel size. */
struct gfx_font *gfx_fonts_default(struct gfx_fonts *f, int px, bool bold, bool mono);

int gfx_font_ascent(const struct gfx_font *f);
int gfx_font_height(const struct gfx_font *f); /* line height */
bool gfx_font_is_builtin(const struct gfx_font *f);
/* Width in pixels of UTF-8 text (kerning included). */
int gfx_text_width(struct gfx_font *f, const char *utf8);
/* Draws text with its baseline at y, starting at x, clipped to the canvas clip; stops (with an
 * ellipsis "…") before exceeding max_width when max_width > 0. Returns the width drawn. */
int gfx_draw_text(struct gfx_canvas *c, struct gfx_font *f, int x, int y, uint32_t argb,
                  const char *utf8, int max_width);
