/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The PF2 reader against real files: fonts made here by grub-mkfont (grub-common) from a BDF font
 * whose pixels the test knows, GRUB's own ascii.pf2 against the bitmaps of GRUB's ascii.h (both
 * made from GNU Unifont by GRUB's build), unicode.pf2 and the starfield theme's fonts; then every
 * way a file can be broken. */
#include "test.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/util.h"
#include "gfx/pf2.h"

#define GRUB_SHARE "/usr/share/grub"
#define BDF        "data/fonts/kltest.bdf" /* the tests run in tests/ */

static bool have(const char *path)
{
        return access(path, R_OK) == 0;
}

static bool load(const char *path, char **data, size_t *len, struct pf2_font *f)
{
        *data = NULL;
        if (util_read_file(path, PF2_FILE_MAX, data, len) < 0)
                return false;
        return pf2_parse(*data, *len, f) == 0;
}

/* grub-mkfont's PF2 of tests/data/fonts/kltest.bdf (malloc'ed path), or NULL (then a SKIP). */
static char *make_kltest(void)
{
        _cleanup_free_ char *cmd = NULL;
        char *out;

        if (system("command -v grub-mkfont >/dev/null") != 0) {
                printf("# SKIP grub-mkfont (grub-common) is not installed\n");
                return NULL;
        }
        out = util_asprintf("%s/kltest.pf2", test_scratch);
        cmd = util_asprintf("grub-mkfont -s 10 -o '%s' " BDF, out);
        if (!out || !cmd || system(cmd) != 0) {
                free(out);
                return NULL;
        }
        return out;
}

/* The rows of a glyph as strings of '#' and '.'. */
static bool glyph_is(const struct pf2_glyph *g, const char *const *rows)
{
        for (int y = 0; y < g->height; y++) {
                if (!rows[y] || (int) strlen(rows[y]) != g->width)
                        return false;
                for (int x = 0; x < g->width; x++)
                        if (pf2_pixel(g, x, y) != (rows[y][x] == '#'))
                                return false;
        }
        return rows[g->height] == NULL;
}

TEST(grub_mkfont_output)
{
        static const char *const A[] = {"..#..", ".#.#.", "#...#", "#####",
                                        "#...#", "#...#", "#...#", NULL};
        static const char *const g[] = {".###", "#..#", "#..#", ".###", "...#", "###.", NULL};
        _cleanup_free_ char *path = make_kltest(), *data = NULL;
        struct pf2_glyph gl;
        struct pf2_font f;
        size_t len;

        if (!path)
                return;
        REQUIRE(load(path, &data, &len, &f));
        CHECK_STREQ(f.name, "Kltest Regular 10");
        CHECK_STREQ(f.family, "Kltest");
        CHECK(!f.bold);
        CHECK(!f.italic);
        CHECK_INTEQ(f.point_size, 10);
        CHECK_INTEQ(f.n_chars, 2);
        CHECK_INTEQ(pf2_char_code(&f, 0), 'A');
        CHECK_INTEQ(pf2_char_code(&f, 1), 'g');
        /* The BDF's boxes: A is 5x7 on the baseline, g 4x6 from 2 below it, 1 right of the pen. */
        CHECK_INTEQ(f.max_width, 5);
        CHECK_INTEQ(f.max_height, 7);
        CHECK_INTEQ(f.ascent, 7);
        CHECK_INTEQ(f.descent, 2);
        REQUIRE(pf2_glyph(&f, 'A', &gl) == 0);
        CHECK_INTEQ(gl.width, 5);
        CHECK_INTEQ(gl.height, 7);
        CHECK_INTEQ(gl.x_offset, 0);
        CHECK_INTEQ(gl.y_offset, 0);
        CHECK_INTEQ(gl.device_width, 6);
        CHECK(glyph_is(&gl, A));
        REQUIRE(pf2_glyph(&f, 'g', &gl) == 0);
        CHECK_INTEQ(gl.x_offset, 1);
        CHECK_INTEQ(gl.y_offset, -2);
        CHECK_INTEQ(gl.device_width, 7);
        CHECK(glyph_is(&gl, g));
        CHECK_INTEQ(pf2_glyph(&f, 'B', &gl), -ENOENT);
        CHECK_INTEQ(pf2_glyph(&f, 0, &gl), -ENOENT);
        CHECK_INTEQ(pf2_glyph(&f, 0x10ffff, &gl), -ENOENT);
}

/* GRUB's ascii.h: 128 glyphs of 8x16 bits, one byte a row. */
static bool read_ascii_h(uint8_t out[128 * 16])
{
        _cleanup_free_ char *text = NULL;
        size_t len, n = 0;
        char *p;

        if (util_read_file(GRUB_SHARE "/ascii.h", 1 << 20, &text, &len) < 0)
                return false;
        p = strchr(text, '{');
        while (p && n < 128 * 16 && (p = strstr(p, "0x")))
                out[n++] = (uint8_t) strtoul(p, &p, 16);
        return n == 128 * 16;
}

TEST(ascii_pf2_matches_grub_ascii_h)
{
        _cleanup_free_ char *data = NULL;
        uint8_t cells[128 * 16];
        struct pf2_font f;
        size_t len;
        int compared = 0;

        if (!have(GRUB_SHARE "/ascii.pf2") || !have(GRUB_SHARE "/ascii.h")) {
                printf("# SKIP grub-common's ascii.pf2 / ascii.h are not installed\n");
                return;
        }
        REQUIRE(read_ascii_h(cells));
        REQUIRE(load(GRUB_SHARE "/ascii.pf2", &data, &len, &f));
        CHECK_STREQ(f.name, "Unifont Regular 16");
        CHECK_STREQ(f.family, "Unifont");
        CHECK_INTEQ(f.point_size, 16);
        CHECK_INTEQ(f.ascent + f.descent, 16);
        /* Each printable glyph, placed in an 8x16 cell with the baseline under row 12 (where
         * grub-gen-asciih puts Unifont's), is ascii.h's cell bit for bit. */
        for (uint32_t cp = 0x21; cp < 0x7f; cp++) {
                struct pf2_glyph g;
                bool same = true;

                if (pf2_glyph(&f, cp, &g) < 0)
                        continue;
                CHECK(g.device_width == 8);
                for (int y = 0; y < 16; y++)
                        for (int x = 0; x < 8; x++) {
                                int gx = x - g.x_offset, gy = y - (12 - g.y_offset - g.height);
                                bool on = gx >= 0 && gy >= 0 && gx < g.width && gy < g.height &&
                                          pf2_pixel(&g, gx, gy);

                                if (on != !!(cells[cp * 16 + y] & (0x80 >> x)))
                                        same = false;
                        }
                if (!same)
                        printf("# glyph U+%04X differs from ascii.h\n", cp);
                CHECK(same);
                compared++;
        }
        CHECK_INTEQ(compared, 0x7f - 0x21);
}

TEST(unicode_pf2)
{
        _cleanup_free_ char *data = NULL, *adata = NULL;
        struct pf2_glyph g, a;
        struct pf2_font f, af;
        size_t len, alen;

        if (!have(GRUB_SHARE "/unicode.pf2")) {
                printf("# SKIP grub-common's unicode.pf2 is not installed\n");
                return;
        }
        REQUIRE(load(GRUB_SHARE "/unicode.pf2", &data, &len, &f));
        CHECK_STREQ(f.name, "Unifont Regular 16");
        CHECK(f.n_chars > 30000);
        /* Sorted, as GRUB requires. */
        for (uint32_t i = 1; i < f.n_chars; i++)
                if (pf2_char_code(&f, i) <= pf2_char_code(&f, i - 1)) {
                        CHECK(false);
                        break;
                }
        /* Every glyph readable and in bounds. */
        for (uint32_t i = 0; i < f.n_chars; i++)
                if (pf2_glyph(&f, pf2_char_code(&f, i), &g) < 0) {
                        printf("# U+%04X unreadable\n", pf2_char_code(&f, i));
                        CHECK(false);
                        break;
                }
        /* Wide glyphs: a CJK ideograph is 16 wide. Box drawing, the euro sign are there. */
        REQUIRE(pf2_glyph(&f, 0x4e00, &g) == 0);
        CHECK_INTEQ(g.device_width, 16);
        CHECK(pf2_glyph(&f, 0x2500, &g) == 0);
        CHECK(pf2_glyph(&f, 0x20ac, &g) == 0);
        /* Its 'A' is ascii.pf2's. */
        if (have(GRUB_SHARE "/ascii.pf2") && load(GRUB_SHARE "/ascii.pf2", &adata, &alen, &af)) {
                REQUIRE(pf2_glyph(&f, 'A', &g) == 0 && pf2_glyph(&af, 'A', &a) == 0);
                CHECK(g.width == a.width && g.height == a.height && g.y_offset == a.y_offset);
                CHECK(memcmp(g.bits, a.bits, (size_t) (g.width * g.height + 7) / 8) == 0);
        }
}

TEST(starfield_fonts)
{
        static const struct {
                const char *file, *name;
                int size;
                bool bold;
        } fonts[] = {
                {"dejavu_10.pf2", "DejaVu Sans Regular 10", 10, false},
                {"dejavu_12.pf2", "DejaVu Sans Regular 12", 12, false},
                {"dejavu_14.pf2", "DejaVu Sans Regular 14", 14, false},
                {"dejavu_16.pf2", "DejaVu Sans Regular 16", 16, false},
                {"dejavu_bold_14.pf2", "DejaVu Sans Bold 14", 14, true},
        };

        if (!have(GRUB_SHARE "/themes/starfield/theme.txt")) {
                printf("# SKIP grub-theme-starfield is not installed\n");
                return;
        }
        for (size_t i = 0; i < ARRAY_SIZE(fonts); i++) {
                _cleanup_free_ char *path =
                        util_asprintf(GRUB_SHARE "/themes/starfield/%s", fonts[i].file);
                _cleanup_free_ char *data = NULL;
                struct pf2_glyph g, m;
                struct pf2_font f;
                size_t len;

                REQUIRE(path && load(path, &data, &len, &f));
                CHECK_STREQ(f.name, fonts[i].name);
                CHECK_STREQ(f.family, "DejaVu Sans");
                CHECK_INTEQ(f.point_size, fonts[i].size);
                CHECK(f.bold == fonts[i].bold);
                CHECK(f.ascent > 0 && f.descent > 0);
                /* A proportional font: 'm' is wider than 'i'; a space has no bitmap. */
                REQUIRE(pf2_glyph(&f, 'i', &g) == 0 && pf2_glyph(&f, 'm', &m) == 0);
                CHECK(m.device_width > g.device_width);
                REQUIRE(pf2_glyph(&f, ' ', &g) == 0);
                CHECK(g.width == 0 || g.height == 0);
                CHECK(g.device_width > 0);
        }
}

/* ---- broken files --------------------------------------------------------------------------- */

static size_t put_section(uint8_t *p, const char *name, const void *data, uint32_t len)
{
        memcpy(p, name, 4);
        p[4] = (uint8_t) (len >> 24);
        p[5] = (uint8_t) (len >> 16);
        p[6] = (uint8_t) (len >> 8);
        p[7] = (uint8_t) len;
        if (data)
                memcpy(p + 8, data, len);
        return 8 + len;
}

static size_t put_short(uint8_t *p, const char *name, int v)
{
        uint8_t b[2] = {(uint8_t) (v >> 8), (uint8_t) v};

        return put_section(p, name, b, 2);
}

/* A small valid font: one glyph 'x' (3x2) at its offset; flags change it. */
enum { NO_ASCE = 1, NO_CHIX = 2, TWO_NAMES = 4, UNSORTED = 8, BIG_GLYPH = 16, NO_NAME = 32 };

static size_t make_font(uint8_t *buf, unsigned flags)
{
        size_t n = 0, chix_at, glyph_at;
        uint8_t chix[18];

        n += put_section(buf + n, "FILE", "PFF2", 4);
        if (!(flags & NO_NAME))
                n += put_section(buf + n, "NAME", "Tiny Regular 2", 15);
        if (flags & TWO_NAMES)
                n += put_section(buf + n, "NAME", "Again", 6);
        n += put_section(buf + n, "XTRA", "ignored", 7);
        n += put_short(buf + n, "PTSZ", 2);
        n += put_short(buf + n, "MAXW", 3);
        n += put_short(buf + n, "MAXH", 2);
        if (!(flags & NO_ASCE))
                n += put_short(buf + n, "ASCE", 2);
        n += put_short(buf + n, "DESC", 1);
        chix_at = n;
        if (!(flags & NO_CHIX))
                n += put_section(buf + n, "CHIX", NULL, (flags & UNSORTED) ? 18 : 9);
        memcpy(buf + n, "DATA\xff\xff\xff\xff", 8); /* the length grub-mkfont writes */
        n += 8;
        glyph_at = n;
        /* width 3, height 2 (4 with BIG_GLYPH), x 0, y 0, device width 4, bits ###/#.# */
        memcpy(buf + n, (uint8_t[]){0, 3, 0, (flags & BIG_GLYPH) ? 4 : 2, 0, 0, 0, 0, 0, 4, 0xf4},
               11);
        n += 11;
        memset(chix, 0, sizeof(chix));
        chix[3] = 'x';
        chix[8] = (uint8_t) glyph_at;
        chix[12] = 'w'; /* a second entry, before 'x': not ascending */
        chix[17] = (uint8_t) glyph_at;
        if (!(flags & NO_CHIX))
                memcpy(buf + chix_at + 8, chix, (flags & UNSORTED) ? 18 : 9);
        return n;
}

TEST(small_font)
{
        static const char *const x[] = {"###", "#.#", NULL};
        uint8_t buf[512];
        size_t n = make_font(buf, 0);
        struct pf2_glyph g;
        struct pf2_font f;

        REQUIRE(pf2_parse(buf, n, &f) == 0);
        CHECK_STREQ(f.name, "Tiny Regular 2");
        CHECK_STREQ(f.family, "");
        REQUIRE(pf2_glyph(&f, 'x', &g) == 0);
        CHECK(glyph_is(&g, x));
        CHECK_INTEQ(g.device_width, 4);
        /* A file without NAME is "Unknown", as GRUB names it. */
        n = make_font(buf, NO_NAME);
        REQUIRE(pf2_parse(buf, n, &f) == 0);
        CHECK_STREQ(f.name, "Unknown");
}

TEST(refused_like_grub)
{
        static const unsigned bad[] = {NO_ASCE, NO_CHIX, TWO_NAMES, UNSORTED};
        uint8_t buf[512];
        struct pf2_font f;
        size_t n;

        for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
                n = make_font(buf, bad[i]);
                CHECK_INTEQ(pf2_parse(buf, n, &f), -EINVAL);
        }
        /* Not PF2 at all. */
        CHECK_INTEQ(pf2_parse("FILE\0\0\0\4PFF1", 12, &f), -EINVAL);
        CHECK_INTEQ(pf2_parse("", 0, &f), -EINVAL);
        CHECK_INTEQ(pf2_parse(buf, PF2_FILE_MAX + 1ul, &f), -EFBIG);
}

TEST(glyph_bigger_than_maxh_is_missing)
{
        uint8_t buf[512];
        size_t n = make_font(buf, BIG_GLYPH);
        struct pf2_glyph g;
        struct pf2_font f;

        REQUIRE(pf2_parse(buf, n, &f) == 0);
        CHECK_INTEQ(pf2_glyph(&f, 'x', &g), -ENOENT);
}

TEST(every_truncation)
{
        uint8_t buf[512];
        size_t n = make_font(buf, 0);

        /* Cut anywhere: refused while the header sections are incomplete, and the glyph is
         * missing (never read past the end) once its bits are cut. */
        for (size_t cut = 0; cut < n; cut++) {
                _cleanup_free_ uint8_t *copy = malloc(cut ? cut : 1);
                struct pf2_glyph g;
                struct pf2_font f;

                REQUIRE(copy);
                memcpy(copy, buf, cut);
                if (pf2_parse(copy, cut, &f) == 0)
                        CHECK_INTEQ(pf2_glyph(&f, 'x', &g), -ENOENT);
        }
}

TEST(offsets_out_of_bounds)
{
        uint8_t buf[512];
        size_t n = make_font(buf, 0);
        struct pf2_glyph g;
        struct pf2_font f;

        REQUIRE(pf2_parse(buf, n, &f) == 0);
        /* The glyph offset pointing past the end, or to the last byte. */
        for (uint32_t off = (uint32_t) n - 1; off < (uint32_t) n + 2; off++) {
                uint8_t *e = (uint8_t *) f.chix;

                e[5] = (uint8_t) (off >> 24);
                e[6] = (uint8_t) (off >> 16);
                e[7] = (uint8_t) (off >> 8);
                e[8] = (uint8_t) off;
                CHECK_INTEQ(pf2_glyph(&f, 'x', &g), -ENOENT);
        }
        /* A section longer than the file. */
        buf[12 + 4] = 0x7f;
        CHECK_INTEQ(pf2_parse(buf, n, &f), -EINVAL);
}
