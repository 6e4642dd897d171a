/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text with FreeType: fonts named as GRUB names them ("DejaVu Sans Bold 16"), resolved against a
 * list of directories; light hinting, one glyph cache per face and pixel size, kerning, UTF-8
 * decoded without a locale, missing glyphs taken from the next font in the fallback chain, and a
 * built-in bitmap face (made at build time) when no font file loads at all. */
#pragma once

#include "canvas.h"

struct gfx_fonts; /* the registry: search directories, loaded faces, caches */
struct gfx_font;  /* one face at one pixel size (owned by the registry) */

/* dirs: NULL-terminated list of (trusted) host directories searched in order (the installed
 * fonts/). Font files are read as regular files only, at most GFX_FONT_FILE_MAX bytes, into
 * memory for FreeType (FT_New_Memory_Face): a FIFO or device named *.ttf is never opened. */
int gfx_fonts_new(char *const *dirs, struct gfx_fonts **ret);
/* Searches the directory path inside root_fd (a theme's folder on its filesystem, read with
 * core/fsread.h; root_fd is duplicated; -1: a trusted host directory) before the others.
 * Before the first lookup only (-EBUSY after).
 *
 * GRUB's PF2 fonts: when that folder (or its f/ subfolder) holds *.pf2 files, they are loaded as
 * GRUB's grub.cfg loads them, after unicode.pf2 (the GRUB prefix the theme is in, e.g.
 * /boot/grub/fonts/ of /boot/grub/themes/x, the usual prefixes on its filesystem, the host
 * directories, the GRUB data directory; ascii.pf2 from there when no unicode.pf2 is found), and
 * gfx_fonts_get() chooses among them as GRUB does (docs/themes.md). */
int gfx_fonts_add_dir_at(struct gfx_fonts *f, int root_fd, const char *path);
/* Whether the theme folder gave PF2 fonts (GRUB's font choice then applies to every font of the
 * theme, the unnamed ones too: gfx_fonts_get(f, "", scale)). Scans the folders. */
bool gfx_fonts_have_pf2(struct gfx_fonts *f);
/* GRUB's data directory (unicode.pf2, ascii.pf2): GFX_FONTS_GRUB_DIR for gfx_fonts_new(), none
 * for gfx_fonts_new_full(). Before the first lookup only (-EBUSY after). */
int gfx_fonts_set_grub_dir(struct gfx_fonts *f, const char *dir);
struct gfx_fonts *gfx_fonts_free(struct gfx_fonts *f);

/* "DejaVu Sans Bold 16", "Unifont Regular 16", "DejaVu Sans Mono 14": family, optional style
 * words (Bold, Italic, Oblique, Regular, Book, Mono is part of the family), size in pixels at the
 * end. scale_percent multiplies the size (100 = as written). Never NULL: falls back to the default
 * face (DejaVu Sans) at that size, then to the built-in bitmap face. With PF2 fonts (see
 * gfx_fonts_add_dir_at): GRUB's choice (the font whose full name is grub_name, else the last one
 * loaded); scaled, the outline face of that font's family and style, else its bitmaps enlarged. */
struct gfx_font *gfx_fonts_get(struct gfx_fonts *f, const char *grub_name, int scale_percent);
/* The default face at a pixel size. */
struct gfx_font *gfx_fonts_default(struct gfx_fonts *f, int px, bool bold, bool mono);

int gfx_font_ascent(const struct gfx_font *f);
int gfx_font_height(const struct gfx_font *f); /* line height */
/* The text's own height: ascent + descent, without a line's leading (GRUB's label height,
 * grub_font_get_ascent() + grub_font_get_descent()); the line height for outline fonts. */
int gfx_font_text_height(const struct gfx_font *f);
bool gfx_font_is_builtin(const struct gfx_font *f);
/* Width in pixels of UTF-8 text (kerning included). */
int gfx_text_width(struct gfx_font *f, const char *utf8);
/* Draws text with its baseline at y, starting at x, clipped to the canvas clip; stops (with an
 * ellipsis "…") before exceeding max_width when max_width > 0. Returns the width drawn. */
int gfx_draw_text(struct gfx_canvas *c, struct gfx_font *f, int x, int y, uint32_t argb,
                  const char *utf8, int max_width);

/* ---- Additions: name parsing, registry options, introspection (tests, layout code) ---- */

/* The system directory searched after the given ones (Debian's fonts-dejavu-core). */
#define GFX_FONTS_SYSTEM_DIR          "/usr/share/fonts/truetype/dejavu"
#define GFX_FONTS_GRUB_DIR            "/usr/share/grub"
#define GFX_FONTS_DEFAULT_FAMILY      "DejaVu Sans"
#define GFX_FONTS_DEFAULT_MONO_FAMILY "DejaVu Sans Mono"
#define GFX_FONTS_DEFAULT_PX          16
#define GFX_FONT_FILE_MAX             (64u * 1024 * 1024)

/* As gfx_fonts_new(), with system_dir searched last instead of GFX_FONTS_SYSTEM_DIR (NULL: none).
 */
int gfx_fonts_new_full(char *const *dirs, const char *system_dir, struct gfx_fonts **ret);

/* A GRUB font name taken apart: trailing style words (Bold, Italic, Oblique, Regular, Book,
 * Condensed, any case) are removed from the family, the last word is the size when it is a number.
 * An empty family becomes the default one; px is 0 when the name has no size. */
struct gfx_font_name {
        char *family;
        bool bold, italic, condensed;
        int px;
};
int gfx_font_name_parse(const char *grub_name, struct gfx_font_name *ret);
void gfx_font_name_done(struct gfx_font_name *n);

/* One rendered glyph as the cache holds it: the same pointer for as long as the registry lives. */
struct gfx_glyph {
        struct gfx_font *font; /* the font of the fallback chain that supplied it */
        uint32_t index;        /* glyph index in that font (built-in face: table position + 1) */
        int w, h, pitch;       /* 8-bit coverage bitmap */
        int left, top;         /* bitmap offset right of the pen and up from the baseline */
        int advance;           /* 26.6 pixels */
        const uint8_t *bitmap;
};
/* The glyph drawn for a code point: from f, else the next font of the chain that has it, else
 * U+FFFD or '?' of the chain. Never NULL except on OOM. */
const struct gfx_glyph *gfx_font_glyph(struct gfx_font *f, uint32_t cp);

int gfx_font_px(const struct gfx_font *f); /* pixel size (built-in face: as scaled) */
/* The font file (NULL for the built-in face), and the face's names (built-in: "Built-in"). */
const char *gfx_font_path(const struct gfx_font *f);
const char *gfx_font_family(const struct gfx_font *f);
const char *gfx_font_style(const struct gfx_font *f);
/* A PF2 font (GRUB's bitmap format) and its full GRUB name ("DejaVu Sans Regular 12"; NULL for
 * the other fonts). Family and style of a PF2 font are its FAMI and WEIG/SLAN sections. */
bool gfx_font_is_pf2(const struct gfx_font *f);
const char *gfx_font_pf2_name(const struct gfx_font *f);
/* The next font of the fallback chain (NULL after the built-in face). */
struct gfx_font *gfx_font_fallback(const struct gfx_font *f);
/* Glyphs rendered so far into the font's cache (not counting the fallbacks'). */
size_t gfx_font_cached_glyphs(const struct gfx_font *f);
