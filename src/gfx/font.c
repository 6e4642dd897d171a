/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fonts: GRUB names resolved against an index of the font files in the search directories (read
 * once with FreeType), one FT_Size per (face, pixel size), a glyph cache per size (hash table by
 * glyph index plus an ASCII table by code point), kerning from the 'kern' table, a fallback chain
 * per font (the default face at the same size, then the built-in face) and the built-in face
 * itself, rasterised at build time by mkbuiltin from DejaVu Sans Mono.
 *
 * PF2 (GRUB's bitmap font format, gfx/pf2.h) is the second backend: a theme folder with *.pf2 files
 * is drawn with them as GRUB draws it (see "PF2" below), outline faces standing in for them only
 * when the theme is scaled (HiDPI). */
#define LOG_MODULE "font"
#include "font.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_SIZES_H

#include "../core/fsread.h"
#include "../core/log.h"
#include "../core/utf8.h"
#include "../core/util.h"
#include "pf2.h"

struct builtin_glyph {
        uint32_t cp;
        uint8_t w, h;
        int8_t left, top;
        int16_t advance; /* 26.6 */
        uint32_t offset; /* in builtin_coverage */
};

#include "font-builtin.h"

#define ELLIPSIS       0x2026u
#define PX_MIN         6
#define PX_MAX         720
#define GLYPH_SIDE_MAX 4096

enum {
        STYLE_BOLD = 1u << 0,
        STYLE_ITALIC = 1u << 1,
        STYLE_CONDENSED = 1u << 2,
};

/* One face of one font file, as the directory scan found it. */
struct face_entry {
        char *path; /* inside root */
        int root;   /* the root of the file's filesystem (its directory's; not owned) */
        char *data; /* the file, read when the face is first used (FreeType reads it there) */
        size_t len;
        long index; /* face index in the file (collections have several) */
        char *family, *style;
        unsigned flags;
        bool odd;     /* another weight or width (ExtraLight, Black, …): chosen last */
        bool broken;  /* failed to open or size: skipped from then on */
        FT_Face face; /* opened on first use, shared by every size */
        FT_Size active;
};

/* A PF2 file GRUB would have loaded (the theme's, the unicode.pf2 fallback). */
struct pf2_file {
        char *path;
        char *data; /* the file (font.data points into it) */
        struct pf2_font font;
        size_t *order; /* fallback_order(): the other fonts to take a missing glyph from */
        size_t n_order;
        bool ordered;
};

struct gfx_font {
        struct gfx_fonts *reg;
        struct face_entry *entry; /* NULL: the built-in face, or a PF2 font */
        struct pf2_file *pf2;     /* a PF2 font (entry NULL) */
        FT_Size size;
        int px, scale; /* scale: the built-in face's or the PF2 font's integer factor */
        int ascent, height;
        bool kerning;
        struct gfx_font *fallback;
        struct gfx_font *pf2_after; /* scaled PF2 themes: the bitmaps, for what outlines lack */
        const struct gfx_glyph *ascii[128];
        struct gfx_glyph **slots; /* open addressing by glyph index, power-of-two size */
        size_t n_slots, n_glyphs;
};

struct name_cache {
        char *name;
        int scale;
        struct gfx_font *font;
};

/* A directory searched: a path inside the root of its filesystem (core/fsread.h). */
struct font_dir {
        int root; /* owned; -1: a trusted host directory */
        char *path;
        bool theme; /* a theme's folder (gfx_fonts_add_dir_at): its *.pf2 files are loaded */
};

struct gfx_fonts {
        FT_Library lib;
        struct font_dir *dirs;
        size_t n_dirs, cap_dirs;
        bool scanned;
        struct face_entry *entries;
        size_t n_entries, cap_entries;
        struct gfx_font **fonts;
        size_t n_fonts, cap_fonts;
        struct name_cache *names;
        size_t n_names, cap_names;
        struct gfx_font *builtin; /* the built-in face at 16 px, made up front: never NULL */
        struct pf2_file *pf2s;    /* GRUB's font list: the last loaded first (empty: no PF2) */
        size_t n_pf2s, cap_pf2s;
        struct pf2_file ascii; /* GRUB's built-in ASCII glyphs: ascii.pf2 (path NULL: none) */
        char *grub_dir;        /* GRUB's data (/usr/share/grub): unicode.pf2, ascii.pf2 */
};

/* ---- names ---------------------------------------------------------------------------------- */

static const char *const style_words[] = {"bold", "italic", "oblique",  "regular",
                                          "book", "normal", "condensed"};

static bool is_style_word(const char *w)
{
        for (size_t i = 0; i < ARRAY_SIZE(style_words); i++)
                if (strcaseeq(w, style_words[i]))
                        return true;
        return false;
}

static bool is_number(const char *w)
{
        if (!*w)
                return false;
        for (; *w; w++)
                if (*w < '0' || *w > '9')
                        return false;
        return true;
}

void gfx_font_name_done(struct gfx_font_name *n)
{
        free(n->family);
        *n = (struct gfx_font_name){};
}

int gfx_font_name_parse(const char *grub_name, struct gfx_font_name *ret)
{
        _cleanup_strv_ char **w = NULL;
        struct gfx_font_name n = {};
        size_t len;
        int r;

        r = strv_split_blanks(grub_name ? grub_name : "", &w);
        if (r < 0)
                return r;
        len = strv_length(w);
        if (len > 0 && is_number(w[len - 1])) {
                long v = strtol(w[len - 1], NULL, 10);

                n.px = v > PX_MAX || strlen(w[len - 1]) > 4 ? PX_MAX : (int) v;
                free(w[--len]);
                w[len] = NULL;
        }
        /* Style words are taken from the end only, so a family such as "Book Antiqua" stays. */
        while (len > 0 && is_style_word(w[len - 1])) {
                const char *s = w[len - 1];

                if (strcaseeq(s, "bold"))
                        n.bold = true;
                else if (strcaseeq(s, "italic") || strcaseeq(s, "oblique"))
                        n.italic = true;
                else if (strcaseeq(s, "condensed"))
                        n.condensed = true;
                free(w[--len]);
                w[len] = NULL;
        }
        n.family = len > 0 ? strv_join(w, " ") : strdup(GFX_FONTS_DEFAULT_FAMILY);
        if (!n.family)
                return -ENOMEM;
        *ret = n;
        return 0;
}

static unsigned name_flags(const struct gfx_font_name *n)
{
        return (n->bold ? STYLE_BOLD : 0) | (n->italic ? STYLE_ITALIC : 0) |
               (n->condensed ? STYLE_CONDENSED : 0);
}

/* Family names compared without case, blanks, '-' and '_' ("DejaVuSans" = "dejavu sans"). */
static bool family_eq(const char *a, const char *b)
{
        for (;;) {
                while (*a == ' ' || *a == '-' || *a == '_')
                        a++;
                while (*b == ' ' || *b == '-' || *b == '_')
                        b++;
                if (!*a || !*b)
                        return !*a && !*b;
                if (tolower((unsigned char) *a) != tolower((unsigned char) *b))
                        return false;
                a++;
                b++;
        }
}

static bool family_is_mono(const char *family)
{
        static const char *const mono[] = {"mono",  "courier", "terminus",
                                           "fixed", "console", "unifont"};

        for (size_t i = 0; i < ARRAY_SIZE(mono); i++)
                if (strcasestr(family, mono[i]))
                        return true;
        return false;
}

/* The style of a face from its style name: "Condensed Bold Oblique", "Book", "ExtraLight". */
static void parse_face_style(const char *style, unsigned *flags, bool *odd)
{
        _cleanup_free_ char *s = strdup(style ? style : "");
        char *save = NULL;

        *flags = 0;
        *odd = false;
        if (!s)
                return;
        for (char *w = strtok_r(s, " -_", &save); w; w = strtok_r(NULL, " -_", &save)) {
                if (strcaseeq(w, "bold"))
                        *flags |= STYLE_BOLD;
                else if (strcaseeq(w, "italic") || strcaseeq(w, "oblique"))
                        *flags |= STYLE_ITALIC;
                else if (strcaseeq(w, "condensed"))
                        *flags |= STYLE_CONDENSED;
                else if (strcaseeq(w, "bolditalic") || strcaseeq(w, "boldoblique"))
                        *flags |= STYLE_BOLD | STYLE_ITALIC;
                else if (!strcaseeq(w, "regular") && !strcaseeq(w, "book") &&
                         !strcaseeq(w, "normal") && !strcaseeq(w, "roman") &&
                         !strcaseeq(w, "plain"))
                        *odd = true;
        }
}

/* ---- the index of font files ---------------------------------------------------------------- */

static bool is_font_file(const char *name)
{
        static const char *const ext[] = {".ttf", ".otf", ".ttc", ".otc"};
        size_t l = strlen(name);

        if (name[0] == '.')
                return false;
        for (size_t i = 0; i < ARRAY_SIZE(ext); i++)
                if (l > 4 && strcaseeq(name + l - 4, ext[i]))
                        return true;
        return false;
}

static int add_entry(struct gfx_fonts *f, int root, const char *path, long index, FT_Face face)
{
        struct face_entry *e;
        int r;

        if (!face->family_name)
                return 0;
        r = UTIL_GROW(f->entries, f->cap_entries, f->n_entries + 1);
        if (r < 0)
                return r;
        e = &f->entries[f->n_entries];
        *e = (struct face_entry){.index = index, .root = root};
        e->path = strdup(path);
        e->family = strdup(face->family_name);
        e->style = strdup(face->style_name ? face->style_name : "Regular");
        if (!e->path || !e->family || !e->style) {
                free(e->path);
                free(e->family);
                free(e->style);
                return -ENOMEM;
        }
        parse_face_style(e->style, &e->flags, &e->odd);
        if (face->style_flags & FT_STYLE_FLAG_BOLD)
                e->flags |= STYLE_BOLD;
        if (face->style_flags & FT_STYLE_FLAG_ITALIC)
                e->flags |= STYLE_ITALIC;
        f->n_entries++;
        return 0;
}

/* Reads a font file inside root (-1: a trusted host path): a regular file only, at most
 * GFX_FONT_FILE_MAX bytes. */
static int read_font(int root, const char *path, char **ret, size_t *ret_len)
{
        int r = root >= 0 ? fsread_read_file(root, path, GFX_FONT_FILE_MAX, ret, ret_len)
                          : util_read_file(path, GFX_FONT_FILE_MAX, ret, ret_len);

        if (r < 0)
                log_debug("%s: %s", path, fsread_strerror(r));
        return r;
}

static int index_file(struct gfx_fonts *f, int root, const char *path)
{
        _cleanup_free_ char *data = NULL;
        long n_faces = 1;
        size_t len;
        int r = 0;

        if (read_font(root, path, &data, &len) < 0)
                return 0;
        for (long i = 0; i < n_faces && i < 64; i++) {
                FT_Face face;

                if (FT_New_Memory_Face(f->lib, (const FT_Byte *) data, (FT_Long) len, i, &face) !=
                    0) {
                        log_debug("%s: not a font FreeType can read (face %ld)", path, i);
                        return 0;
                }
                n_faces = face->num_faces;
                r = add_entry(f, root, path, i, face);
                FT_Done_Face(face);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The names in a host directory, sorted, without hidden ones. */
static int list_host(const char *dir, char ***ret)
{
        _cleanup_strv_ char **names = calloc(1, sizeof(char *));
        struct dirent *de;
        DIR *d;
        int r = 0;

        if (!names)
                return -ENOMEM;
        d = opendir(dir);
        if (!d)
                return -errno;
        while ((de = readdir(d)))
                if (de->d_name[0] != '.' && (r = strv_push(&names, de->d_name)) < 0)
                        break;
        closedir(d);
        if (r < 0)
                return r;
        qsort(names, strv_length(names), sizeof(char *), cmp_str);
        *ret = names;
        names = NULL;
        return 0;
}

/* The font files of a directory inside its filesystem, in name order (regular files only: a
 * FIFO or device named *.ttf is skipped without being opened). */
static int index_dir(struct gfx_fonts *f, const struct font_dir *d)
{
        _cleanup_strv_ char **names = NULL;
        int r;

        r = d->root >= 0 ? fsread_list(d->root, d->path, true, &names) : list_host(d->path, &names);
        if (r < 0)
                return r == -ENOMEM ? r : 0;
        strv_foreach (name, names) {
                _cleanup_free_ char *path = NULL;

                if (!is_font_file(name))
                        continue;
                path = util_asprintf("%s%s%s", d->path,
                                     d->path[strlen(d->path) - 1] == '/' ? "" : "/", name);
                if (!path)
                        return -ENOMEM;
                r = index_file(f, d->root, path);
                if (r < 0)
                        return r;
        }
        return 0;
}

static void pf2_scan(struct gfx_fonts *f);

static void ensure_scanned(struct gfx_fonts *f)
{
        if (f->scanned)
                return;
        f->scanned = true;
        pf2_scan(f);
        if (!f->lib)
                return;
        for (size_t i = 0; i < f->n_dirs; i++) {
                if (index_dir(f, &f->dirs[i]) < 0) {
                        log_warn("out of memory while indexing the fonts in %s", f->dirs[i].path);
                        return;
                }
        }
        log_debug("%zu font faces found", f->n_entries);
}

static struct face_entry *find_entry(struct gfx_fonts *f, const char *family, unsigned flags)
{
        struct face_entry *odd = NULL;

        for (size_t i = 0; i < f->n_entries; i++) {
                struct face_entry *e = &f->entries[i];

                if (e->broken || e->flags != flags || !family_eq(e->family, family))
                        continue;
                if (!e->odd)
                        return e;
                if (!odd)
                        odd = e;
        }
        return odd;
}

static struct face_entry *find_family(struct gfx_fonts *f, const char *family, unsigned flags)
{
        /* The style asked for, then with fewer style bits, then the family's regular face. */
        const unsigned tries[] = {flags, flags & ~STYLE_ITALIC, flags & ~STYLE_CONDENSED,
                                  flags & STYLE_BOLD, 0};

        for (size_t i = 0; i < ARRAY_SIZE(tries); i++) {
                struct face_entry *e = find_entry(f, family, tries[i]);

                if (e)
                        return e;
        }
        return NULL;
}

/* The face for a family and style: that family, the default family (mono or not), any face
 * found, or NULL for the built-in face. */
static struct face_entry *resolve(struct gfx_fonts *f, const char *family, unsigned flags,
                                  bool mono)
{
        struct face_entry *e, *odd = NULL;

        ensure_scanned(f);
        e = find_family(f, family, flags);
        if (e)
                return e;
        e = find_family(f, mono ? GFX_FONTS_DEFAULT_MONO_FAMILY : GFX_FONTS_DEFAULT_FAMILY, flags);
        if (e)
                return e;
        if (mono) {
                e = find_family(f, GFX_FONTS_DEFAULT_FAMILY, flags);
                if (e)
                        return e;
        }
        for (size_t i = 0; i < f->n_entries; i++) {
                e = &f->entries[i];
                if (e->broken)
                        continue;
                if (!e->odd && e->flags == 0)
                        return e;
                if (!odd)
                        odd = e;
        }
        return odd;
}

/* ---- fonts (a face at a size) --------------------------------------------------------------- */

static int clamp_px(long px)
{
        return px < PX_MIN ? PX_MIN : px > PX_MAX ? PX_MAX : (int) px;
}

static void font_free(struct gfx_font *font)
{
        if (!font)
                return;
        for (size_t i = 0; i < font->n_slots; i++)
                free(font->slots[i]);
        free(font->slots);
        free(font);
}

static struct gfx_font *font_new(struct gfx_fonts *f)
{
        struct gfx_font *font;

        if (UTIL_GROW(f->fonts, f->cap_fonts, f->n_fonts + 1) < 0)
                return NULL;
        font = calloc(1, sizeof(*font));
        if (!font)
                return NULL;
        font->reg = f;
        f->fonts[f->n_fonts++] = font;
        return font;
}

static struct gfx_font *builtin_font(struct gfx_fonts *f, int px)
{
        int scale = px >= 2 * BUILTIN_PX ? px / BUILTIN_PX : 1;
        struct gfx_font *font;

        for (size_t i = 0; i < f->n_fonts; i++)
                if (!f->fonts[i]->entry && !f->fonts[i]->pf2 && f->fonts[i]->scale == scale)
                        return f->fonts[i];
        font = font_new(f);
        if (!font)
                return f->builtin;
        font->scale = scale;
        font->px = BUILTIN_PX * scale;
        font->ascent = BUILTIN_ASCENT * scale;
        font->height = BUILTIN_HEIGHT * scale;
        return font;
}

static void font_activate(struct gfx_font *font)
{
        if (font->entry->active != font->size) {
                FT_Activate_Size(font->size);
                font->entry->active = font->size;
        }
}

/* Sets the pixel size on the active size object: scalable faces at px, bitmap-only faces at their
 * nearest strike. */
static int set_px(FT_Face face, int px)
{
        int best = -1;

        if (FT_IS_SCALABLE(face) || face->num_fixed_sizes == 0)
                return FT_Set_Pixel_Sizes(face, 0, (FT_UInt) px) ? -EINVAL : 0;
        for (int i = 0; i < face->num_fixed_sizes; i++)
                if (best < 0 || abs(face->available_sizes[i].height - px) <
                                        abs(face->available_sizes[best].height - px))
                        best = i;
        return FT_Select_Size(face, best) ? -EINVAL : 0;
}

static struct gfx_font *ft_font(struct gfx_fonts *f, struct face_entry *e, int px);

/* The next font of the chain after a font of face e: the default face at the same size, unless e
 * is that face, then the built-in face. */
static struct gfx_font *default_fallback(struct gfx_fonts *f, struct face_entry *e, int px)
{
        struct face_entry *d = find_entry(f, GFX_FONTS_DEFAULT_FAMILY, 0);
        struct gfx_font *font;

        if (d && d != e) {
                font = ft_font(f, d, px);
                if (font)
                        return font;
        }
        return builtin_font(f, px);
}

/* The font of face e at px; NULL when the face cannot be opened (then marked broken) or on OOM. */
static struct gfx_font *ft_font(struct gfx_fonts *f, struct face_entry *e, int px)
{
        struct gfx_font *font;
        FT_Size size;
        int ref;

        for (size_t i = 0; i < f->n_fonts; i++)
                if (f->fonts[i]->entry == e && f->fonts[i]->px == px)
                        return f->fonts[i];
        if (!e->face) {
                if (!e->data && read_font(e->root, e->path, &e->data, &e->len) < 0) {
                        log_warn("cannot read the font %s", e->path);
                        e->broken = true;
                        return NULL;
                }
                if (FT_New_Memory_Face(f->lib, (const FT_Byte *) e->data, (FT_Long) e->len,
                                       e->index, &e->face) != 0) {
                        log_warn("cannot load the font %s", e->path);
                        e->face = NULL;
                        e->broken = true;
                        return NULL;
                }
        }
        if (FT_New_Size(e->face, &size) != 0)
                return NULL;
        FT_Activate_Size(size);
        e->active = size;
        if (set_px(e->face, px) < 0) {
                log_warn("cannot set the font %s to %d px", e->path, px);
                FT_Done_Size(size);
                e->active = NULL;
                e->broken = true;
                return NULL;
        }
        font = font_new(f);
        if (!font) {
                FT_Done_Size(size);
                e->active = NULL;
                return NULL;
        }
        font->entry = e;
        font->size = size;
        font->px = px;
        font->ascent = (int) ((size->metrics.ascender + 63) >> 6);
        font->height = (int) ((size->metrics.height + 63) >> 6);
        /* A face's metrics come from its file: a line height under half the size or over four
         * times it (a corrupt face: lines stacked on one pixel, or spread off the screen) gives
         * the usual 1.2 x size, of the strike chosen for bitmap faces (found by fuzz-freetype). */
        ref = size->metrics.y_ppem ? size->metrics.y_ppem : px;
        if (font->height < (ref + 1) / 2 || font->height > 4 * ref)
                font->height = ref + ref / 5;
        if (font->ascent <= 0 || font->ascent > font->height)
                font->ascent = MAX(font->height * 4 / 5, 1);
        font->kerning = FT_HAS_KERNING(e->face);
        font->fallback = default_fallback(f, e, px);
        log_debug("%s (%s %s) at %d px", e->path, e->family, e->style, px);
        return font;
}

static struct gfx_font *font_for(struct gfx_fonts *f, const char *family, unsigned flags, bool mono,
                                 int px)
{
        for (;;) {
                struct face_entry *e = resolve(f, family, flags, mono);
                struct gfx_font *font;

                if (!e)
                        return builtin_font(f, px);
                font = ft_font(f, e, px);
                if (font)
                        return font;
                if (!e->broken) /* out of memory */
                        return f->builtin;
        }
}

/* ---- PF2: GRUB's fonts, chosen as GRUB chooses them ----------------------------------------- */
/* Debian's grub-mkconfig (00_header) makes grub.cfg load unicode.pf2 ("loadfont unicode": GRUB's
 * $prefix/fonts/unicode.pf2), then every *.pf2 of the theme's folder and of its f/ subfolder in
 * name order; GRUB puts each loaded font at the head of its list. A theme's font name is looked
 * up in that list (pf2_select: the exact NAME, else the head, the last font loaded), and a glyph
 * the chosen font lacks comes from the least diverse font that has it (pf2_fallback_order), then
 * from GRUB's built-in ASCII glyphs (ascii.pf2, the same Unifont glyphs), then, unlike GRUB,
 * from the outline fallback chain, and at last GRUB's unknown-glyph box.
 *
 * The registry is in PF2 mode when a theme folder holds at least one PF2 font GRUB would load.
 * Scaled themes (HiDPI) take the outline face of the chosen PF2 font's family, weight and slant
 * at its size times the scale when one is installed, else the PF2 bitmaps enlarged by the nearest
 * integer factor (nearest neighbour). */

#define PF2_FONTS_MAX     64                  /* PF2 files loaded per registry */
#define PF2_BYTES_MAX     (96u * 1024 * 1024) /* their total size */
#define PF2_UNKNOWN_INDEX 0xffffffffu         /* the unknown glyph's cache index */

/* GRUB's unknown glyph (font.c unknown_glyph_bitmap): 8x16, offset_y -3, device width 8. */
static const char *const unknown_rows[16] = {
        ".#####..", "#.....#.", "#.###.#.", "#.#.#.#.", "#.#.#.#.", "#...#.#.",
        "#..##.#.", "#..#..#.", "#..#..#.", "#..#..#.", "#..#..#.", "#.....#.",
        "#..#..#.", "#.....#.", ".#####..", "........",
};

static void pf2_file_done(struct pf2_file *p)
{
        free(p->path);
        free(p->data);
        free(p->order);
        *p = (struct pf2_file){};
}

/* Reads and parses a PF2 file inside root (-1: a host path). 0, or -errno (quietly: not there). */
static int pf2_load(int root, const char *path, size_t *budget, struct pf2_file *ret)
{
        _cleanup_free_ char *data = NULL;
        struct pf2_font font;
        size_t len;
        int r;

        r = root >= 0 ? fsread_read_file(root, path, PF2_FILE_MAX, &data, &len)
                      : util_read_file(path, PF2_FILE_MAX, &data, &len);
        if (r < 0)
                return r;
        if (len > *budget) {
                log_warn("%s: over the %u MB of PF2 fonts read at most", path, PF2_BYTES_MAX >> 20);
                return -EFBIG;
        }
        r = pf2_parse(data, len, &font);
        if (r < 0) {
                log_warn("%s: not a PF2 font GRUB would load", path);
                return r;
        }
        *ret = (struct pf2_file){.path = strdup(path), .font = font};
        if (!ret->path)
                return -ENOMEM;
        ret->data = data; /* font.data points into it */
        data = NULL;
        *budget -= len;
        return 0;
}

static int pf2_push(struct gfx_fonts *f, struct pf2_file *p)
{
        int r = UTIL_GROW(f->pf2s, f->cap_pf2s, f->n_pf2s + 1);

        if (r < 0) {
                pf2_file_done(p);
                return r;
        }
        f->pf2s[f->n_pf2s++] = *p;
        return 0;
}

static char *path_join(const char *dir, const char *name)
{
        size_t l = strlen(dir);

        return util_asprintf("%s%s%s", dir, l > 0 && dir[l - 1] == '/' ? "" : "/", name);
}

/* The *.pf2 files of dir (inside root), in name order, appended to f->pf2s. */
static void pf2_scan_dir(struct gfx_fonts *f, int root, const char *dir, size_t *budget)
{
        _cleanup_strv_ char **names = NULL;

        if ((root >= 0 ? fsread_list(root, dir, true, &names) : list_host(dir, &names)) < 0)
                return;
        strv_foreach (name, names) {
                _cleanup_free_ char *path = NULL;
                struct pf2_file p;
                size_t l = strlen(name);

                if (l < 5 || !streq(name + l - 4, ".pf2"))
                        continue;
                if (f->n_pf2s >= PF2_FONTS_MAX) {
                        log_warn("%s: more than %d PF2 fonts, the others are not loaded", dir,
                                 PF2_FONTS_MAX);
                        return;
                }
                path = path_join(dir, name);
                if (path && pf2_load(root, path, budget, &p) == 0 && pf2_push(f, &p) < 0)
                        return;
        }
}

/* The first of the places GRUB's default font file can be that holds a loadable one: the GRUB
 * prefix the theme is in ("/boot/grub" of "/boot/grub/themes/x"), the usual prefixes and GRUB's
 * data directory on the theme's filesystem (where grub-mkconfig finds it: Debian's themes are in
 * /usr/share/grub/themes), the host font directories, GRUB's data directory on the host. */
static int pf2_find_default(struct gfx_fonts *f, const struct font_dir *theme, const char *file,
                            size_t *budget, struct pf2_file *ret)
{
        static const char *const dirs[] = {"/boot/grub/fonts", "/boot/grub2/fonts",
                                           "/grub/fonts",      "/grub2/fonts",
                                           "/usr/share/grub",  "/usr/share/grub2"};
        const char *t = strstr(theme->path, "/themes/");
        int r;

        if (t) {
                _cleanup_free_ char *p =
                        util_asprintf("%.*s/fonts/%s", (int) (t - theme->path), theme->path, file);

                if (p && pf2_load(theme->root, p, budget, ret) == 0)
                        return 0;
        }
        for (size_t i = 0; theme->root >= 0 && i < ARRAY_SIZE(dirs); i++) {
                _cleanup_free_ char *p = util_asprintf("%s/%s", dirs[i], file);

                if (p && pf2_load(theme->root, p, budget, ret) == 0)
                        return 0;
        }
        for (size_t i = 0; i < f->n_dirs; i++) {
                _cleanup_free_ char *p = NULL;

                if (f->dirs[i].theme || f->dirs[i].root >= 0)
                        continue;
                p = path_join(f->dirs[i].path, file);
                if (p && pf2_load(-1, p, budget, ret) == 0)
                        return 0;
        }
        if (f->grub_dir) {
                _cleanup_free_ char *p = path_join(f->grub_dir, file);

                r = p ? pf2_load(-1, p, budget, ret) : -ENOMEM;
                if (r == 0)
                        return 0;
        }
        return -ENOENT;
}

static void pf2_scan(struct gfx_fonts *f)
{
        const struct font_dir *theme = NULL;
        size_t budget = PF2_BYTES_MAX;
        struct pf2_file def;

        for (size_t i = 0; i < f->n_dirs; i++) {
                _cleanup_free_ char *sub = NULL;

                if (!f->dirs[i].theme)
                        continue;
                theme = &f->dirs[i];
                pf2_scan_dir(f, theme->root, theme->path, &budget);
                sub = path_join(theme->path, "f");
                if (sub)
                        pf2_scan_dir(f, theme->root, sub, &budget);
        }
        if (f->n_pf2s == 0)
                return;
        /* unicode.pf2 was loaded first (ascii.pf2 where a system has no unicode.pf2). */
        if (pf2_find_default(f, theme, "unicode.pf2", &budget, &def) == 0 ||
            pf2_find_default(f, theme, "ascii.pf2", &budget, &def) == 0) {
                if (pf2_push(f, &def) == 0) {
                        memmove(f->pf2s + 1, f->pf2s, (f->n_pf2s - 1) * sizeof(*f->pf2s));
                        f->pf2s[0] = def;
                }
        } else
                log_debug("no unicode.pf2: glyphs missing from the theme's fonts are drawn from "
                          "the outline fonts");
        /* GRUB's list: the last loaded first. */
        for (size_t i = 0; i < f->n_pf2s / 2; i++) {
                struct pf2_file t = f->pf2s[i];

                f->pf2s[i] = f->pf2s[f->n_pf2s - 1 - i];
                f->pf2s[f->n_pf2s - 1 - i] = t;
        }
        /* GRUB's ASCII glyphs, compiled into GRUB: ascii.pf2 from the stick or GRUB's data. */
        if (pf2_find_default(f, &(struct font_dir){.root = -1, .path = (char *) ""}, "ascii.pf2",
                             &budget, &f->ascii) < 0)
                f->ascii = (struct pf2_file){};
        for (size_t i = 0; i < f->n_pf2s; i++)
                log_debug("PF2 font %zu: \"%s\" (%s)", i, f->pf2s[i].font.name, f->pf2s[i].path);
}

static void pf2_order(struct gfx_fonts *f, struct pf2_file *p)
{
        const struct pf2_font **list;

        if (p->ordered)
                return;
        p->ordered = true;
        if (p < f->pf2s || p >= f->pf2s + f->n_pf2s || f->n_pf2s < 2)
                return; /* the ASCII glyphs, or the only font */
        list = calloc(f->n_pf2s, sizeof(*list));
        p->order = calloc(f->n_pf2s - 1, sizeof(*p->order));
        if (list && p->order) {
                for (size_t i = 0; i < f->n_pf2s; i++)
                        list[i] = &f->pf2s[i].font;
                p->n_order = pf2_fallback_order(list, f->n_pf2s, (size_t) (p - f->pf2s), p->order);
        }
        free(list);
}

/* The PF2 font p at k times its size. */
static struct gfx_font *pf2_font(struct gfx_fonts *f, struct pf2_file *p, int k)
{
        struct gfx_font *font;

        for (size_t i = 0; i < f->n_fonts; i++)
                if (f->fonts[i]->pf2 == p && f->fonts[i]->scale == k)
                        return f->fonts[i];
        font = font_new(f);
        if (!font)
                return f->builtin;
        font->pf2 = p;
        font->scale = k;
        font->px = (p->font.point_size > 0 ? p->font.point_size : p->font.max_height) * k;
        font->ascent = p->font.ascent * k;
        /* grub_font_get_height(): ascent + descent + leading (1). */
        font->height = (p->font.ascent + p->font.descent + 1) * k;
        font->fallback = default_fallback(f, NULL, clamp_px(font->px));
        return font;
}

/* gfx_fonts_get() in PF2 mode. */
static struct gfx_font *pf2_get(struct gfx_fonts *f, const char *name, int scale_percent)
{
        const struct pf2_font *list[PF2_FONTS_MAX + 1];
        struct gfx_font_name n = {};
        struct pf2_file *p;
        struct face_entry *e = NULL;
        unsigned flags;
        int i, px, k;

        for (size_t j = 0; j < f->n_pf2s; j++)
                list[j] = &f->pf2s[j].font;
        i = pf2_select(list, f->n_pf2s, name);
        p = &f->pf2s[i];
        if (!streq(p->font.name, name))
                log_debug("no PF2 font \"%s\": GRUB takes \"%s\" (%s)", name, p->font.name,
                          p->path);
        if (scale_percent == 100)
                return pf2_font(f, p, 1);
        /* Scaled: the outline face of the same family and style, else the bitmaps enlarged. */
        flags = (p->font.bold ? STYLE_BOLD : 0) | (p->font.italic ? STYLE_ITALIC : 0);
        px = clamp_px(((long) (p->font.point_size > 0 ? p->font.point_size : p->font.max_height) *
                               scale_percent +
                       50) /
                      100);
        if (!isempty(p->font.family))
                e = find_family(f, p->font.family, flags);
        else if (gfx_font_name_parse(p->font.name, &n) == 0) {
                e = find_family(f, n.family, flags);
                gfx_font_name_done(&n);
        }
        k = MAX(1, (scale_percent + 50) / 100);
        if (e) {
                struct gfx_font *font = ft_font(f, e, px);

                /* Characters the outlines lack (Unifont's CJK): GRUB's bitmaps, enlarged. */
                if (font && !font->pf2_after) {
                        struct gfx_font *bitmaps = pf2_font(f, p, k);

                        font->pf2_after = bitmaps->pf2 ? bitmaps : NULL;
                }
                if (font)
                        return font;
        }
        return pf2_font(f, p, k);
}

bool gfx_fonts_have_pf2(struct gfx_fonts *f)
{
        ensure_scanned(f);
        return f->n_pf2s > 0;
}

int gfx_fonts_set_grub_dir(struct gfx_fonts *f, const char *dir)
{
        char *d = NULL;

        if (f->scanned)
                return -EBUSY;
        if (dir && !(d = strdup(dir)))
                return -ENOMEM;
        free(f->grub_dir);
        f->grub_dir = d;
        return 0;
}

static struct gfx_glyph *glyph_alloc(struct gfx_font *font, uint32_t index, int w, int h);

static struct gfx_glyph *render_pf2(struct gfx_font *font, uint32_t index)
{
        struct pf2_glyph pg;
        struct gfx_glyph *g;
        int k = font->scale;
        uint8_t *dst;

        if (index == PF2_UNKNOWN_INDEX)
                pg = (struct pf2_glyph){
                        .width = 8, .height = 16, .y_offset = -3, .device_width = 8};
        else if (pf2_glyph(&font->pf2->font, index - 1, &pg) < 0)
                return NULL;
        g = glyph_alloc(font, index, pg.width * k, pg.height * k);
        if (!g)
                return NULL;
        g->left = pg.x_offset * k;
        g->top = (pg.y_offset + pg.height) * k;
        g->advance = pg.device_width * k * 64;
        dst = (uint8_t *) (g + 1);
        for (int y = 0; y < g->h; y++)
                for (int x = 0; x < g->w; x++) {
                        bool on = index == PF2_UNKNOWN_INDEX ? unknown_rows[y / k][x / k] == '#'
                                                             : pf2_pixel(&pg, x / k, y / k);

                        dst[(size_t) y * g->pitch + x] = on ? 255 : 0;
                }
        return g;
}

static bool has_dir(const struct gfx_fonts *f, const char *path)
{
        for (size_t i = 0; i < f->n_dirs; i++)
                if (streq(f->dirs[i].path, path))
                        return true;
        return false;
}

/* Adds the directory path inside root (taken) at position at. */
static int insert_dir(struct gfx_fonts *f, size_t at, int root, const char *path)
{
        char *p = strdup(path);
        int r;

        if (!p) {
                r = -ENOMEM;
                goto fail;
        }
        r = UTIL_GROW(f->dirs, f->cap_dirs, f->n_dirs + 1);
        if (r < 0)
                goto fail;
        memmove(f->dirs + at + 1, f->dirs + at, (f->n_dirs - at) * sizeof(*f->dirs));
        f->dirs[at] = (struct font_dir){.root = root, .path = p};
        f->n_dirs++;
        return 0;
fail:
        free(p);
        if (root >= 0)
                close(root);
        return r;
}

/* A host directory (the installed fonts, the system's, the source tree's): trusted, read as
 * regular host files (util_read_file), across the host's mounts. */
static int add_host_dir(struct gfx_fonts *f, const char *dir)
{
        if (isempty(dir) || has_dir(f, dir))
                return 0;
        return insert_dir(f, f->n_dirs, -1, dir);
}

int gfx_fonts_add_dir_at(struct gfx_fonts *f, int root_fd, const char *path)
{
        int root, r;

        if (f->scanned)
                return -EBUSY;
        if (root_fd < 0)
                root = -1;
        else if ((root = fcntl(root_fd, F_DUPFD_CLOEXEC, 3)) < 0)
                return -errno;
        r = insert_dir(f, 0, root, path);
        if (r < 0)
                return r;
        f->dirs[0].theme = true;
        return 0;
}

int gfx_fonts_new_full(char *const *dirs, const char *system_dir, struct gfx_fonts **ret)
{
        struct gfx_fonts *f;
        int r;

        f = calloc(1, sizeof(*f));
        if (!f)
                return -ENOMEM;
        if (FT_Init_FreeType(&f->lib) != 0) {
                log_warn("cannot initialise FreeType: only the built-in face is available");
                f->lib = NULL;
        }
        for (char *const *d = dirs; d && *d; d++) {
                r = add_host_dir(f, *d);
                if (r < 0)
                        goto fail;
        }
        r = add_host_dir(f, system_dir);
        if (r < 0)
                goto fail;
        f->builtin = builtin_font(f, BUILTIN_PX);
        if (!f->builtin) {
                r = -ENOMEM;
                goto fail;
        }
        *ret = f;
        return 0;
fail:
        gfx_fonts_free(f);
        return r;
}

int gfx_fonts_new(char *const *dirs, struct gfx_fonts **ret)
{
        int r = gfx_fonts_new_full(dirs, GFX_FONTS_SYSTEM_DIR, ret);

        if (r < 0)
                return r;
        r = gfx_fonts_set_grub_dir(*ret, GFX_FONTS_GRUB_DIR);
        if (r < 0)
                *ret = gfx_fonts_free(*ret);
        return r;
}

struct gfx_fonts *gfx_fonts_free(struct gfx_fonts *f)
{
        if (!f)
                return NULL;
        for (size_t i = 0; i < f->n_fonts; i++)
                font_free(f->fonts[i]);
        free(f->fonts);
        for (size_t i = 0; i < f->n_names; i++)
                free(f->names[i].name);
        free(f->names);
        for (size_t i = 0; i < f->n_entries; i++) {
                struct face_entry *e = &f->entries[i];

                if (e->face)
                        FT_Done_Face(e->face); /* with its sizes */
                free(e->path);
                free(e->data);
                free(e->family);
                free(e->style);
        }
        free(f->entries);
        for (size_t i = 0; i < f->n_pf2s; i++)
                pf2_file_done(&f->pf2s[i]);
        free(f->pf2s);
        pf2_file_done(&f->ascii);
        free(f->grub_dir);
        if (f->lib)
                FT_Done_FreeType(f->lib);
        for (size_t i = 0; i < f->n_dirs; i++) {
                if (f->dirs[i].root >= 0)
                        close(f->dirs[i].root);
                free(f->dirs[i].path);
        }
        free(f->dirs);
        free(f);
        return NULL;
}

struct gfx_font *gfx_fonts_get(struct gfx_fonts *f, const char *grub_name, int scale_percent)
{
        struct gfx_font_name n = {};
        struct gfx_font *font;
        long px;

        if (scale_percent <= 0)
                scale_percent = 100;
        if (!grub_name)
                grub_name = "";
        for (size_t i = 0; i < f->n_names; i++)
                if (f->names[i].scale == scale_percent && streq(f->names[i].name, grub_name))
                        return f->names[i].font;
        ensure_scanned(f);
        if (f->n_pf2s > 0)
                font = pf2_get(f, grub_name, scale_percent);
        else {
                if (gfx_font_name_parse(grub_name, &n) < 0)
                        return f->builtin;
                px = n.px > 0 ? n.px : GFX_FONTS_DEFAULT_PX;
                px = clamp_px((px * scale_percent + 50) / 100);
                font = font_for(f, n.family, name_flags(&n), family_is_mono(n.family), (int) px);
                if (font->entry && !family_eq(font->entry->family, n.family))
                        log_debug("no font \"%s\": using %s %s", grub_name, font->entry->family,
                                  font->entry->style);
                else if (!font->entry)
                        log_debug("no font \"%s\": using the built-in face", grub_name);
                gfx_font_name_done(&n);
        }
        if (UTIL_GROW(f->names, f->cap_names, f->n_names + 1) >= 0) {
                char *copy = strdup(grub_name);

                if (copy)
                        f->names[f->n_names++] = (struct name_cache){copy, scale_percent, font};
        }
        return font;
}

struct gfx_font *gfx_fonts_default(struct gfx_fonts *f, int px, bool bold, bool mono)
{
        return font_for(f, mono ? GFX_FONTS_DEFAULT_MONO_FAMILY : GFX_FONTS_DEFAULT_FAMILY,
                        bold ? STYLE_BOLD : 0, mono, clamp_px(px));
}

/* ---- glyphs --------------------------------------------------------------------------------- */

static uint32_t hash_index(uint32_t i)
{
        return i * 2654435761u;
}

static struct gfx_glyph *cache_find(const struct gfx_font *font, uint32_t index)
{
        size_t mask = font->n_slots - 1;

        if (font->n_slots == 0)
                return NULL;
        for (size_t i = hash_index(index) & mask;; i = (i + 1) & mask) {
                struct gfx_glyph *g = font->slots[i];

                if (!g || g->index == index)
                        return g;
        }
}

static int cache_add(struct gfx_font *font, struct gfx_glyph *g)
{
        if ((font->n_glyphs + 1) * 2 > font->n_slots) {
                size_t n = font->n_slots ? font->n_slots * 2 : 128;
                struct gfx_glyph **slots = calloc(n, sizeof(*slots));

                if (!slots)
                        return -ENOMEM;
                for (size_t i = 0; i < font->n_slots; i++) {
                        struct gfx_glyph *o = font->slots[i];
                        size_t j;

                        if (!o)
                                continue;
                        for (j = hash_index(o->index) & (n - 1); slots[j]; j = (j + 1) & (n - 1))
                                ;
                        slots[j] = o;
                }
                free(font->slots);
                font->slots = slots;
                font->n_slots = n;
        }
        for (size_t i = hash_index(g->index) & (font->n_slots - 1);;
             i = (i + 1) & (font->n_slots - 1))
                if (!font->slots[i]) {
                        font->slots[i] = g;
                        font->n_glyphs++;
                        return 0;
                }
}

static struct gfx_glyph *glyph_alloc(struct gfx_font *font, uint32_t index, int w, int h)
{
        struct gfx_glyph *g;

        if (w < 0 || h < 0 || w > GLYPH_SIDE_MAX || h > GLYPH_SIDE_MAX)
                w = h = 0;
        g = calloc(1, sizeof(*g) + (size_t) w * (size_t) h);
        if (!g)
                return NULL;
        g->font = font;
        g->index = index;
        g->w = w;
        g->h = h;
        g->pitch = w;
        g->bitmap = (const uint8_t *) (g + 1);
        return g;
}

static struct gfx_glyph *render_builtin(struct gfx_font *font, uint32_t index)
{
        const struct builtin_glyph *b = &builtin_glyphs[index - 1];
        const uint8_t *src = builtin_coverage + b->offset;
        int s = font->scale;
        struct gfx_glyph *g;
        uint8_t *dst;

        g = glyph_alloc(font, index, s == 1 ? 0 : b->w * s, s == 1 ? 0 : b->h * s);
        if (!g)
                return NULL;
        g->left = b->left * s;
        g->top = b->top * s;
        g->advance = b->advance * s;
        if (s == 1) {
                /* Straight from the table, no copy. */
                g->w = g->pitch = b->w;
                g->h = b->h;
                g->bitmap = src;
                return g;
        }
        dst = (uint8_t *) (g + 1);
        for (int y = 0; y < g->h; y++)
                for (int x = 0; x < g->w; x++)
                        dst[(size_t) y * g->pitch + x] = src[(y / s) * b->w + x / s];
        return g;
}

static struct gfx_glyph *render_ft(struct gfx_font *font, uint32_t index)
{
        FT_Face face = font->entry->face;
        FT_GlyphSlot slot = face->glyph;
        const FT_Bitmap *bm;
        struct gfx_glyph *g;
        uint8_t *dst;
        int w, h;

        font_activate(font);
        if (FT_Load_Glyph(face, index, FT_LOAD_TARGET_LIGHT) != 0)
                return NULL;
        if (slot->format != FT_GLYPH_FORMAT_BITMAP &&
            FT_Render_Glyph(slot, FT_RENDER_MODE_NORMAL) != 0)
                return NULL;
        bm = &slot->bitmap;
        w = (int) bm->width;
        h = (int) bm->rows;
        /* a corrupt face may give rows without a buffer (found by fuzz-freetype) */
        if (!bm->buffer ||
            (bm->pixel_mode != FT_PIXEL_MODE_GRAY && bm->pixel_mode != FT_PIXEL_MODE_MONO &&
             bm->pixel_mode != FT_PIXEL_MODE_BGRA))
                w = h = 0;
        g = glyph_alloc(font, index, w, h);
        if (!g)
                return NULL;
        g->left = slot->bitmap_left;
        g->top = slot->bitmap_top;
        g->advance = (int) slot->advance.x;
        dst = (uint8_t *) (g + 1);
        for (int y = 0; y < g->h; y++) {
                const uint8_t *row = bm->buffer + (ptrdiff_t) y * bm->pitch;
                uint8_t *out = dst + (size_t) y * g->pitch;

                switch (bm->pixel_mode) {
                case FT_PIXEL_MODE_GRAY:
                        if (bm->num_grays == 256 || bm->num_grays < 2) {
                                memcpy(out, row, (size_t) g->w);
                                break;
                        }
                        for (int x = 0; x < g->w; x++)
                                out[x] = (uint8_t) (row[x] * 255u / (bm->num_grays - 1u));
                        break;
                case FT_PIXEL_MODE_MONO:
                        for (int x = 0; x < g->w; x++)
                                out[x] = row[x >> 3] & (0x80 >> (x & 7)) ? 255 : 0;
                        break;
                default: /* BGRA (colour bitmaps): the alpha channel */
                        for (int x = 0; x < g->w; x++)
                                out[x] = row[4 * x + 3];
                        break;
                }
        }
        return g;
}

static int builtin_cmp(const void *key, const void *elem)
{
        uint32_t cp = *(const uint32_t *) key;
        const struct builtin_glyph *b = elem;

        return cp < b->cp ? -1 : cp > b->cp ? 1 : 0;
}

static uint32_t char_index(const struct gfx_font *font, uint32_t cp)
{
        const struct builtin_glyph *b;
        struct pf2_glyph pg;

        if (font->pf2)
                return cp < PF2_UNKNOWN_INDEX - 1 && pf2_glyph(&font->pf2->font, cp, &pg) == 0
                               ? cp + 1
                               : 0;
        if (font->entry)
                return FT_Get_Char_Index(font->entry->face, cp);
        b = bsearch(&cp, builtin_glyphs, BUILTIN_GLYPHS, sizeof(builtin_glyphs[0]), builtin_cmp);
        return b ? (uint32_t) (b - builtin_glyphs) + 1 : 0;
}

static const struct gfx_glyph *glyph_by_index(struct gfx_font *font, uint32_t index)
{
        struct gfx_glyph *g = cache_find(font, index);

        if (g)
                return g;
        g = font->pf2     ? render_pf2(font, index)
            : font->entry ? render_ft(font, index)
                          : render_builtin(font, index);
        if (!g)
                return NULL;
        if (cache_add(font, g) < 0) {
                free(g);
                return NULL;
        }
        return g;
}

static const struct gfx_glyph *chain_glyph(struct gfx_font *f, uint32_t cp)
{
        for (struct gfx_font *font = f; font; font = font->fallback) {
                uint32_t index = char_index(font, cp);
                const struct gfx_glyph *g;

                if (index == 0)
                        continue;
                g = glyph_by_index(font, index);
                if (g)
                        return g;
        }
        return NULL;
}

/* A glyph of a PF2 font as GRUB finds it (grub_font_get_glyph_with_fallback, then its ASCII
 * glyphs), then from the outline chain, else GRUB's unknown glyph. */
static const struct gfx_glyph *pf2_chain_glyph(struct gfx_font *font, uint32_t cp)
{
        struct gfx_fonts *f = font->reg;
        const struct gfx_glyph *g;
        struct gfx_font *other;
        uint32_t index;

        if ((index = char_index(font, cp)) && (g = glyph_by_index(font, index)))
                return g;
        pf2_order(f, font->pf2);
        for (size_t i = 0; i < font->pf2->n_order; i++) {
                other = pf2_font(f, &f->pf2s[font->pf2->order[i]], font->scale);
                if (other->pf2 && (index = char_index(other, cp)) &&
                    (g = glyph_by_index(other, index)))
                        return g;
        }
        if (cp < 0x80 && f->ascii.path) {
                other = pf2_font(f, &f->ascii, font->scale);
                if (other->pf2 && (index = char_index(other, cp)) &&
                    (g = glyph_by_index(other, index)))
                        return g;
        }
        g = font->fallback ? chain_glyph(font->fallback, cp) : NULL;
        return g ? g : glyph_by_index(font, PF2_UNKNOWN_INDEX);
}

const struct gfx_glyph *gfx_font_glyph(struct gfx_font *f, uint32_t cp)
{
        const struct gfx_glyph *g;

        if (cp < 128 && f->ascii[cp])
                return f->ascii[cp];
        if (f->pf2) {
                g = pf2_chain_glyph(f, cp);
                if (g && cp < 128)
                        f->ascii[cp] = g;
                return g;
        }
        g = chain_glyph(f, cp);
        if (!g && f->pf2_after)
                g = pf2_chain_glyph(f->pf2_after, cp);
        if (!g && cp != UTF8_REPLACEMENT)
                g = chain_glyph(f, UTF8_REPLACEMENT);
        if (!g)
                g = chain_glyph(f, '?');
        if (g && cp < 128)
                f->ascii[cp] = g;
        return g;
}

/* Kerning between two glyphs of the same font, 26.6. */
static long kerning(const struct gfx_glyph *prev, const struct gfx_glyph *g)
{
        struct gfx_font *font = g->font;
        FT_Vector v;

        if (!prev || prev->font != font || !font->kerning)
                return 0;
        font_activate(font);
        if (FT_Get_Kerning(font->entry->face, prev->index, g->index, FT_KERNING_DEFAULT, &v) != 0)
                return 0;
        return v.x;
}

/* ---- text ----------------------------------------------------------------------------------- */

struct text_iter {
        struct gfx_font *font;
        const char *p, *end;
        const struct gfx_glyph *prev;
        long pen; /* 26.6, where the next glyph goes (kerning not yet applied) */
};

/* The next glyph and its pen position (kerning applied) in *ret_x; advances the pen. NULL at the
 * end. ret_cp may be NULL. */
static const struct gfx_glyph *text_next(struct text_iter *it, long *ret_x, uint32_t *ret_cp)
{
        while (it->p < it->end) {
                const struct gfx_glyph *g;
                uint32_t cp;
                size_t l = utf8_decode(it->p, (size_t) (it->end - it->p), &cp);

                if (l == 0) {
                        cp = UTF8_REPLACEMENT;
                        l = 1;
                }
                it->p += l;
                if (cp == '\t')
                        cp = ' ';
                else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
                        cp = '?';
                g = gfx_font_glyph(it->font, cp);
                if (!g)
                        continue;
                it->pen += kerning(it->prev, g);
                *ret_x = it->pen;
                it->pen += g->advance;
                it->prev = g;
                if (ret_cp)
                        *ret_cp = cp;
                return g;
        }
        return NULL;
}

static int px_of(long pen)
{
        pen = (pen + 32) >> 6;
        return pen > INT_MAX ? INT_MAX : pen < INT_MIN ? INT_MIN : (int) pen;
}

int gfx_text_width(struct gfx_font *f, const char *utf8)
{
        struct text_iter it = {f, utf8, utf8 + strlen(utf8), NULL, 0};
        long x;

        while (text_next(&it, &x, NULL))
                ;
        return px_of(it.pen);
}

static void draw_glyph(struct gfx_canvas *c, const struct gfx_glyph *g, int x, int y, uint32_t argb)
{
        int gx = x + g->left, gy = y - g->top;

        if (g->w == 0 || g->h == 0)
                return;
        /* Cheap reject of glyphs outside the clip (gfx_draw_mask clips the rest). */
        if (gx >= c->clip.x + c->clip.w || gy >= c->clip.y + c->clip.h || gx + g->w <= c->clip.x ||
            gy + g->h <= c->clip.y)
                return;
        gfx_draw_mask(c, g->bitmap, g->w, g->h, g->pitch, gx, gy, argb);
}

int gfx_draw_text(struct gfx_canvas *c, struct gfx_font *f, int x, int y, uint32_t argb,
                  const char *utf8, int max_width)
{
        const char *end = utf8 + strlen(utf8), *stop = end;
        const struct gfx_glyph *g, *ellipsis = NULL;
        struct text_iter it;
        long gx, stop_pen = 0;
        uint32_t cp;

        if (max_width > 0 && gfx_text_width(f, utf8) > max_width) {
                /* The longest prefix that leaves room for "…", not ending in a blank. */
                ellipsis = gfx_font_glyph(f, ELLIPSIS);
                stop = utf8;
                it = (struct text_iter){f, utf8, end, NULL, 0};
                while ((g = text_next(&it, &gx, &cp))) {
                        if (px_of(it.pen + (ellipsis ? ellipsis->advance : 0)) > max_width)
                                break;
                        if (cp != ' ') {
                                stop = it.p;
                                stop_pen = it.pen;
                        }
                }
        }
        it = (struct text_iter){f, utf8, stop, NULL, 0};
        while ((g = text_next(&it, &gx, NULL)))
                draw_glyph(c, g, x + px_of(gx), y, argb);
        if (ellipsis) {
                if (px_of(stop_pen + ellipsis->advance) > max_width)
                        return 0;
                draw_glyph(c, ellipsis, x + px_of(stop_pen), y, argb);
                return px_of(stop_pen + ellipsis->advance);
        }
        return px_of(it.pen);
}

/* ---- accessors ------------------------------------------------------------------------------ */

int gfx_font_ascent(const struct gfx_font *f)
{
        return f->ascent;
}

int gfx_font_height(const struct gfx_font *f)
{
        return f->height;
}

int gfx_font_text_height(const struct gfx_font *f)
{
        /* a PF2 font's line height has GRUB's leading of one pixel (times the scale) */
        return f->pf2 ? f->height - f->scale : f->height;
}

bool gfx_font_is_builtin(const struct gfx_font *f)
{
        return !f->entry && !f->pf2;
}

bool gfx_font_is_pf2(const struct gfx_font *f)
{
        return f->pf2;
}

int gfx_font_px(const struct gfx_font *f)
{
        return f->px;
}

const char *gfx_font_path(const struct gfx_font *f)
{
        return f->entry ? f->entry->path : f->pf2 ? f->pf2->path : NULL;
}

const char *gfx_font_family(const struct gfx_font *f)
{
        if (f->pf2)
                return isempty(f->pf2->font.family) ? f->pf2->font.name : f->pf2->font.family;
        return f->entry ? f->entry->family : "Built-in";
}

const char *gfx_font_style(const struct gfx_font *f)
{
        if (f->pf2)
                return f->pf2->font.bold ? (f->pf2->font.italic ? "Bold Italic" : "Bold")
                                         : (f->pf2->font.italic ? "Italic" : "Regular");
        return f->entry ? f->entry->style : "Regular";
}

const char *gfx_font_pf2_name(const struct gfx_font *f)
{
        return f->pf2 ? f->pf2->font.name : NULL;
}

struct gfx_font *gfx_font_fallback(const struct gfx_font *f)
{
        return f->fallback;
}

size_t gfx_font_cached_glyphs(const struct gfx_font *f)
{
        return f->n_glyphs;
}
