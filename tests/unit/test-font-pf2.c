/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GRUB's font choice with PF2 fonts: the selection rules as tables over pf2_select() and
 * pf2_fallback_order(), then the registry over real PF2 files made by grub-mkfont (a theme folder,
 * its f/ subfolder, a unicode.pf2 in GRUB's prefix or data directory): which font each name gets,
 * where a missing glyph comes from, the pixels drawn, and the scaled (HiDPI) fonts. */
#include "test.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

#include "core/fsread.h"
#include "core/util.h"
#include "gfx/font.h"
#include "gfx/pf2.h"

#define BDF    "data/fonts/kltest.bdf" /* the tests run in tests/ */
#define DEJAVU "/usr/share/fonts/truetype/dejavu"

/* ---- the rules, as tables ------------------------------------------------------------------- */

TEST(select_table)
{
        /* GRUB's list: the last loaded first. */
        static const char *const loaded[] = {"DejaVu Sans Bold 14", "DejaVu Sans Regular 16",
                                             "DejaVu Sans Regular 12", "Unifont Regular 16"};
        static const struct {
                const char *name;
                int want;
        } cases[] = {
                {"DejaVu Sans Regular 12", 2},
                {"DejaVu Sans Bold 14", 0},
                {"Unifont Regular 16", 3},
                /* No near match, no case folding, no size rounding: the head of the list. */
                {"DejaVu Sans Regular 13", 0},
                {"dejavu sans regular 12", 0},
                {"DejaVu Sans 12", 0},
                {"DejaVu Sans Regular 12 ", 0},
                {"Unknown Regular 16", 0},
                {"", 0},
                {NULL, 0},
        };
        struct pf2_font fonts[ARRAY_SIZE(loaded)];
        const struct pf2_font *list[ARRAY_SIZE(loaded)];

        for (size_t i = 0; i < ARRAY_SIZE(loaded); i++) {
                fonts[i] = (struct pf2_font){};
                strcpy(fonts[i].name, loaded[i]);
                list[i] = &fonts[i];
        }
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                int got = pf2_select(list, ARRAY_SIZE(list), cases[i].name);

                if (got != cases[i].want)
                        printf("# \"%s\": %d, want %d\n", cases[i].name ? cases[i].name : "(null)",
                               got, cases[i].want);
                CHECK(got == cases[i].want);
        }
        /* Two fonts of one name: the last loaded. */
        strcpy(fonts[3].name, "DejaVu Sans Regular 12");
        CHECK_INTEQ(pf2_select(list, 4, "DejaVu Sans Regular 12"), 2);
        /* No font at all: GRUB's null font. */
        CHECK_INTEQ(pf2_select(list, 0, "DejaVu Sans Regular 12"), -1);
}

TEST(fallback_order_table)
{
        /* ascent, MAXH, weight */
        static const int m[][3] = {
                {10, 12, 100},   /* 0: the chosen one */
                {14, 16, 100},   /* 1: 4*8 + 4*8 = 64 */
                {10, 12, 200},   /* 2: bold: 5 */
                {10, 12, 100},   /* 3: the same: 0 */
                {14, 16, 100},   /* 4: 64, after 1 in list order */
                {0, 12, 100},    /* 5: ascent missing: 50 */
                {9999, 12, 100}, /* 6: never taken (>= 10000) */
        };
        static const size_t want[] = {3, 2, 5, 1, 4};
        struct pf2_font fonts[ARRAY_SIZE(m)];
        const struct pf2_font *list[ARRAY_SIZE(m)];
        size_t order[ARRAY_SIZE(m)], n;

        for (size_t i = 0; i < ARRAY_SIZE(m); i++) {
                fonts[i] = (struct pf2_font){
                        .ascent = m[i][0], .max_height = m[i][1], .weight = m[i][2]};
                list[i] = &fonts[i];
        }
        CHECK_INTEQ(pf2_diversity(&fonts[1], &fonts[0]), 64);
        CHECK_INTEQ(pf2_diversity(&fonts[2], &fonts[0]), 5);
        CHECK_INTEQ(pf2_diversity(&fonts[5], &fonts[0]), 50);
        n = pf2_fallback_order(list, ARRAY_SIZE(list), 0, order);
        REQUIRE(n == ARRAY_SIZE(want));
        for (size_t i = 0; i < n; i++)
                CHECK_INTEQ(order[i], want[i]);
}

/* ---- real files ----------------------------------------------------------------------------- */

static bool have_mkfont(void)
{
        if (system("command -v grub-mkfont >/dev/null") == 0)
                return true;
        printf("# SKIP grub-mkfont (grub-common) is not installed\n");
        return false;
}

/* grub-mkfont ARGS -o dir/file (dir made on the way). */
static bool mkfont(const char *dir, const char *file, const char *args)
{
        _cleanup_free_ char *cmd =
                util_asprintf("mkdir -p '%s' && grub-mkfont %s -o '%s/%s'", dir, args, dir, file);

        return cmd && system(cmd) == 0;
}

/* A theme folder with two fonts made from the test BDF, "KlA Regular 10" (only 'A') and, in f/,
 * "KlC Regular 10" (only 'g'), and a GRUB data directory whose unicode.pf2 is the whole BDF
 * ("Kltest Regular 10"). GRUB's list: KlC, KlA, Kltest. */
struct theme_fx {
        char *top, *theme, *sub, *grub;
        struct gfx_fonts *fonts;
};

static bool theme_fx_open(struct theme_fx *fx, bool with_unicode)
{
        *fx = (struct theme_fx){};
        fx->top = test_scratch_subdir(with_unicode ? "pf2-theme-u" : "pf2-theme");
        fx->theme = util_asprintf("%s/theme", fx->top);
        fx->grub = util_asprintf("%s/grub", fx->top);
        fx->sub = util_asprintf("%s/theme/f", fx->top);
        if (!fx->theme || !fx->grub)
                return false;
        if (!mkfont(fx->theme, "a.pf2", "-n KlA -r 0x41-0x41 -s 10 " BDF) || !fx->sub ||
            !mkfont(fx->sub, "c.pf2", "-n KlC -r 0x67-0x67 -s 10 " BDF) ||
            (with_unicode && !mkfont(fx->grub, "unicode.pf2", "-s 10 " BDF)))
                return false;
        /* Not PF2 fonts GRUB would load: skipped. */
        test_write(fx->theme, "broken.pf2", "FILE\0\0\0\4PFF2");
        test_write(fx->theme, "notes.txt", "not a font");
        if (gfx_fonts_new_full(NULL, NULL, &fx->fonts) < 0)
                return false;
        return gfx_fonts_set_grub_dir(fx->fonts, fx->grub) == 0 &&
               gfx_fonts_add_dir_at(fx->fonts, -1, fx->theme) == 0;
}

static void theme_fx_close(struct theme_fx *fx)
{
        gfx_fonts_free(fx->fonts);
        free(fx->top);
        free(fx->theme);
        free(fx->sub);
        free(fx->grub);
}

static const char *glyph_source(struct gfx_font *f, uint32_t cp)
{
        const struct gfx_glyph *g = gfx_font_glyph(f, cp);

        return g ? gfx_font_pf2_name(g->font) : NULL;
}

TEST(registry_chooses_as_grub)
{
        static const struct {
                const char *name, *want;
        } cases[] = {
                {"KlA Regular 10", "KlA Regular 10"},       {"KlC Regular 10", "KlC Regular 10"},
                {"Kltest Regular 10", "Kltest Regular 10"}, /* unicode.pf2 is a font like others */
                {"KlA Regular 12", "KlC Regular 10"},       /* no match: the last loaded (f/) */
                {"DejaVu Sans Bold 14", "KlC Regular 10"},  {"", "KlC Regular 10"},
        };
        struct theme_fx fx;

        if (!have_mkfont())
                return;
        REQUIRE(theme_fx_open(&fx, true));
        CHECK(gfx_fonts_have_pf2(fx.fonts));
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                struct gfx_font *f = gfx_fonts_get(fx.fonts, cases[i].name, 100);

                CHECK(gfx_font_is_pf2(f));
                CHECK_STREQ(gfx_font_pf2_name(f), cases[i].want);
        }
        theme_fx_close(&fx);
}

TEST(missing_glyphs_as_grub)
{
        struct theme_fx fx;
        struct gfx_font *a, *c;
        const struct gfx_glyph *g;

        if (!have_mkfont())
                return;
        REQUIRE(theme_fx_open(&fx, true));
        a = gfx_fonts_get(fx.fonts, "KlA Regular 10", 100);
        c = gfx_fonts_get(fx.fonts, "KlC Regular 10", 100);
        /* KlA lacks 'g': Kltest (same ascent and height: diversity 0) beats KlC (4 rows less
         * ascent: 32), though KlC comes first in GRUB's list. */
        CHECK_STREQ(glyph_source(a, 'g'), "Kltest Regular 10");
        /* KlC lacks 'A': KlA and Kltest are equally far (ascent and height 7 against 4 and 6):
         * the first in the list, KlA. */
        CHECK_STREQ(glyph_source(c, 'A'), "KlA Regular 10");
        CHECK_STREQ(glyph_source(a, 'A'), "KlA Regular 10");
        /* In no font (no outline fonts here either): GRUB's unknown glyph, 8x16, 3 rows below
         * the baseline, 8 wide. */
        g = gfx_font_glyph(a, 0xe000);
        REQUIRE(g);
        CHECK_INTEQ(g->w, 8);
        CHECK_INTEQ(g->h, 16);
        CHECK_INTEQ(g->top, 13);
        CHECK_INTEQ(g->left, 0);
        CHECK_INTEQ(g->advance, 8 * 64);
        CHECK(g->bitmap[1] == 255 && g->bitmap[0] == 0 && g->bitmap[8] == 255);
        theme_fx_close(&fx);
}

TEST(no_unicode_pf2)
{
        struct theme_fx fx;
        struct gfx_font *a;

        if (!have_mkfont())
                return;
        REQUIRE(theme_fx_open(&fx, false));
        a = gfx_fonts_get(fx.fonts, "Kltest Regular 10", 100);
        CHECK_STREQ(gfx_font_pf2_name(a), "KlC Regular 10");
        a = gfx_fonts_get(fx.fonts, "KlA Regular 10", 100);
        CHECK_STREQ(glyph_source(a, 'g'), "KlC Regular 10");
        theme_fx_close(&fx);
}

/* Pixels of the canvas that differ from bg, as a string of '#' and '.' rows (x0..x1, y0..y1). */
static bool drawn_is(const struct gfx_canvas *c, uint32_t bg, int x0, int y0,
                     const char *const *rows)
{
        for (int y = 0; rows[y]; y++)
                for (int x = 0; rows[y][x]; x++) {
                        uint32_t p = c->px[(y0 + y) * c->w + x0 + x];

                        if ((rows[y][x] == '#') != (p != bg))
                                return false;
                        if (p != bg && (p & 0xffffff) != 0xffffff)
                                return false; /* 1 bit per pixel: no grey */
                }
        return true;
}

TEST(draws_bitmaps_as_grub)
{
        /* "Ag" at pen x 2, baseline y 10: A (5x7, on the baseline) at x 2..6, rows 3..9; g (4x6,
         * 1 right of the pen, 2 below the baseline) after A's device width 6: x 9..12, rows
         * 6..11. Rows 2 to 12, columns 0 to 14. */
        static const char *const want[] = {
                "...............", /* row 2 */
                "....#..........", "...#.#.........", "..#...#........", "..#####...###..",
                "..#...#..#..#..", "..#...#..#..#..", "..#...#...###..", "............#..",
                ".........###...", "...............",
        };
        struct gfx_canvas c = {};
        struct theme_fx fx;
        struct gfx_font *a;
        const char *rows[ARRAY_SIZE(want) + 1];
        uint32_t bg;

        if (!have_mkfont())
                return;
        REQUIRE(theme_fx_open(&fx, true));
        a = gfx_fonts_get(fx.fonts, "KlA Regular 10", 100);
        /* grub_font_get_height(): ascent + descent + 1. */
        CHECK_INTEQ(gfx_font_ascent(a), 7);
        CHECK_INTEQ(gfx_font_height(a), 7 + 1 + 1);
        CHECK_INTEQ(gfx_text_width(a, "Ag"), 6 + 7);
        REQUIRE(gfx_canvas_init(&c, 20, 16) == 0);
        bg = c.px[0];
        CHECK_INTEQ(gfx_draw_text(&c, a, 2, 10, 0xffffffff, "Ag", 0), 13);
        for (size_t i = 0; i < ARRAY_SIZE(want); i++)
                rows[i] = want[i];
        rows[ARRAY_SIZE(want)] = NULL;
        CHECK(drawn_is(&c, bg, 0, 2, rows));
        gfx_canvas_done(&c);
        theme_fx_close(&fx);
}

TEST(scaled_without_outline_face)
{
        struct theme_fx fx;
        struct gfx_font *a;
        const struct gfx_glyph *g;

        if (!have_mkfont())
                return;
        REQUIRE(theme_fx_open(&fx, true));
        /* No outline face of the family: the bitmaps twice as large, nearest neighbour. */
        a = gfx_fonts_get(fx.fonts, "KlA Regular 10", 200);
        CHECK(gfx_font_is_pf2(a));
        CHECK_STREQ(gfx_font_pf2_name(a), "KlA Regular 10");
        CHECK_INTEQ(gfx_font_ascent(a), 14);
        CHECK_INTEQ(gfx_font_height(a), 18);
        g = gfx_font_glyph(a, 'A');
        REQUIRE(g && g->w == 10 && g->h == 14);
        CHECK_INTEQ(g->top, 14);
        CHECK_INTEQ(g->advance, 12 * 64);
        /* The apex: "..#.." doubled. */
        CHECK(g->bitmap[3] == 0 && g->bitmap[4] == 255 && g->bitmap[5] == 255 &&
              g->bitmap[6] == 0 && g->bitmap[g->pitch + 4] == 255);
        /* Missing glyphs come from the fallbacks at the same factor. */
        g = gfx_font_glyph(a, 'g');
        REQUIRE(g);
        CHECK_INTEQ(g->w, 8);
        CHECK_STREQ(gfx_font_pf2_name(g->font), "Kltest Regular 10");
        /* 150 % rounds to 2, 140 % to 1. */
        CHECK_INTEQ(gfx_font_ascent(gfx_fonts_get(fx.fonts, "KlA Regular 10", 150)), 14);
        CHECK_INTEQ(gfx_font_ascent(gfx_fonts_get(fx.fonts, "KlA Regular 10", 140)), 7);
        theme_fx_close(&fx);
}

TEST(scaled_with_outline_face)
{
        _cleanup_free_ char *top = NULL, *theme = NULL;
        char *dirs[] = {(char *) DEJAVU, NULL};
        struct gfx_fonts *reg = NULL;
        struct gfx_font *f;

        if (!have_mkfont())
                return;
        if (access(DEJAVU "/DejaVuSans-Bold.ttf", R_OK) != 0) {
                printf("# SKIP fonts-dejavu-core is not installed\n");
                return;
        }
        top = test_scratch_subdir("pf2-dejavu");
        theme = util_asprintf("%s/theme", top);
        REQUIRE(theme);
        REQUIRE(mkfont(theme, "dejavu_12.pf2", "-s 12 -r 0x20-0x7e " DEJAVU "/DejaVuSans.ttf"));
        REQUIRE(mkfont(theme, "dejavu_bold_14.pf2",
                       "-s 14 -r 0x20-0x7e " DEJAVU "/DejaVuSans-Bold.ttf"));
        REQUIRE(gfx_fonts_new_full(dirs, NULL, &reg) == 0);
        REQUIRE(gfx_fonts_add_dir_at(reg, -1, theme) == 0);
        /* At 100 %: GRUB's bitmaps. */
        f = gfx_fonts_get(reg, "DejaVu Sans Regular 12", 100);
        CHECK(gfx_font_is_pf2(f));
        CHECK_STREQ(gfx_font_pf2_name(f), "DejaVu Sans Regular 12");
        /* At 200 %: the outline face of the same family and weight at twice the size. */
        f = gfx_fonts_get(reg, "DejaVu Sans Regular 12", 200);
        CHECK(!gfx_font_is_pf2(f));
        CHECK_STREQ(gfx_font_family(f), "DejaVu Sans");
        CHECK(strstr(gfx_font_path(f), "DejaVuSans.ttf"));
        CHECK_INTEQ(gfx_font_px(f), 24);
        f = gfx_fonts_get(reg, "DejaVu Sans Bold 14", 200);
        CHECK(strstr(gfx_font_path(f), "DejaVuSans-Bold.ttf"));
        CHECK_INTEQ(gfx_font_px(f), 28);
        /* What the outline lacks comes from GRUB's bitmaps, enlarged: the PF2 fonts here have
         * only ASCII, so GRUB's unknown glyph, twice as large. */
        {
                const struct gfx_glyph *g = gfx_font_glyph(f, 0xe000);

                REQUIRE(g);
                CHECK_INTEQ(g->w, 16);
                CHECK_INTEQ(g->h, 32);
                CHECK(gfx_font_is_pf2(g->font));
        }
        /* A name no PF2 font has: GRUB's choice (the last loaded: bold 14) first, then scaled. */
        f = gfx_fonts_get(reg, "Ubuntu Regular 12", 200);
        CHECK(strstr(gfx_font_path(f), "DejaVuSans-Bold.ttf"));
        CHECK_INTEQ(gfx_font_px(f), 28);
        gfx_fonts_free(reg);
}

TEST(unicode_pf2_from_the_grub_prefix)
{
        _cleanup_free_ char *top = test_scratch_subdir("pf2-prefix"), *fs = NULL, *themes = NULL,
                            *fonts = NULL;
        struct gfx_fonts *reg = NULL;
        struct gfx_font *f;
        int root;

        if (!have_mkfont())
                return;
        fs = util_asprintf("%s/fs", top);
        themes = util_asprintf("%s/fs/boot/grub2/themes/t", top);
        fonts = util_asprintf("%s/fs/boot/grub2/fonts", top);
        REQUIRE(fs && themes && fonts);
        REQUIRE(mkfont(themes, "a.pf2", "-n KlA -r 0x41-0x41 -s 10 " BDF));
        REQUIRE(mkfont(fonts, "unicode.pf2", "-s 10 " BDF));
        root = fsread_root_open(fs);
        REQUIRE(root >= 0);
        REQUIRE(gfx_fonts_new_full(NULL, NULL, &reg) == 0);
        REQUIRE(gfx_fonts_add_dir_at(reg, root, "/boot/grub2/themes/t") == 0);
        close(root);
        f = gfx_fonts_get(reg, "KlA Regular 10", 100);
        CHECK_STREQ(gfx_font_path(f), "/boot/grub2/themes/t/a.pf2");
        CHECK_STREQ(glyph_source(f, 'g'), "Kltest Regular 10");
        f = gfx_fonts_get(reg, "Kltest Regular 10", 100);
        CHECK_STREQ(gfx_font_path(f), "/boot/grub2/fonts/unicode.pf2");
        gfx_fonts_free(reg);
}

TEST(unicode_pf2_from_grub_data_on_the_theme_fs)
{
        _cleanup_free_ char *top = test_scratch_subdir("pf2-data"), *fs = NULL, *themes = NULL,
                            *data = NULL;
        struct gfx_fonts *reg = NULL;
        struct gfx_font *f;
        int root;

        if (!have_mkfont())
                return;
        /* Debian: GRUB_THEME=/usr/share/grub/themes/starfield/theme.txt on the root filesystem,
         * /boot elsewhere: grub-mkconfig's search finds /usr/share/grub/unicode.pf2. */
        fs = util_asprintf("%s/fs", top);
        themes = util_asprintf("%s/fs/usr/share/grub/themes/t", top);
        data = util_asprintf("%s/fs/usr/share/grub", top);
        REQUIRE(fs && themes && data);
        REQUIRE(mkfont(themes, "a.pf2", "-n KlA -r 0x41-0x41 -s 10 " BDF));
        REQUIRE(mkfont(data, "unicode.pf2", "-s 10 " BDF));
        root = fsread_root_open(fs);
        REQUIRE(root >= 0);
        REQUIRE(gfx_fonts_new_full(NULL, NULL, &reg) == 0);
        REQUIRE(gfx_fonts_add_dir_at(reg, root, "/usr/share/grub/themes/t") == 0);
        close(root);
        f = gfx_fonts_get(reg, "Kltest Regular 10", 100);
        CHECK_STREQ(gfx_font_path(f), "/usr/share/grub/unicode.pf2");
        gfx_fonts_free(reg);
}

TEST(no_pf2_no_change)
{
        _cleanup_free_ char *dir = test_scratch_subdir("pf2-none");
        struct gfx_fonts *reg = NULL;

        test_write(dir, "theme.txt", "title-text: \"\"\n");
        REQUIRE(gfx_fonts_new_full(NULL, NULL, &reg) == 0);
        REQUIRE(gfx_fonts_add_dir_at(reg, -1, dir) == 0);
        CHECK(!gfx_fonts_have_pf2(reg));
        CHECK(!gfx_font_is_pf2(gfx_fonts_get(reg, "DejaVu Sans Regular 12", 100)));
        gfx_fonts_free(reg);
}
