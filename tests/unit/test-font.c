/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/fsread.h"
#include "core/util.h"
#include "gfx/font.h"

#define DEJAVU "/usr/share/fonts/truetype/dejavu"

/* A temporary directory holding symlinks to the named DejaVu files (NULL-terminated list). */
static char *font_dir(const char *const *files)
{
        char tmpl[] = "/tmp/test-font-XXXXXX";
        char *dir;

        if (!mkdtemp(tmpl))
                return NULL;
        dir = strdup(tmpl);
        for (const char *const *f = files; dir && *f; f++) {
                _cleanup_free_ char *src = util_asprintf(DEJAVU "/%s", *f);
                _cleanup_free_ char *dst = util_asprintf("%s/%s", dir, *f);

                if (!src || !dst || symlink(src, dst) < 0) {
                        free(dir);
                        return NULL;
                }
        }
        return dir;
}

static void font_dir_remove(char *dir)
{
        _cleanup_free_ char *cmd = NULL;

        if (!dir || !startswith(dir, "/tmp/test-font-"))
                return;
        cmd = util_asprintf("rm -rf '%s'", dir);
        if (cmd && system(cmd) != 0)
                printf("# cannot remove %s\n", dir);
        free(dir);
}

static bool endswith(const char *s, const char *suffix)
{
        size_t a = s ? strlen(s) : 0, b = strlen(suffix);

        return s && a >= b && streq(s + a - b, suffix);
}

/* A registry over a directory of the three usual DejaVu files, without the system directory. */
struct fixture {
        char *dir;
        struct gfx_fonts *fonts;
};

static bool fixture_open(struct fixture *fx)
{
        static const char *const files[] = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf",
                                            "DejaVuSansMono.ttf", NULL};
        char *dirs[2] = {NULL, NULL};

        *fx = (struct fixture){};
        fx->dir = font_dir(files);
        if (!fx->dir)
                return false;
        dirs[0] = fx->dir;
        return gfx_fonts_new_full(dirs, NULL, &fx->fonts) == 0;
}

static void fixture_close(struct fixture *fx)
{
        gfx_fonts_free(fx->fonts);
        font_dir_remove(fx->dir);
}

/* Pixels that differ from the canvas' initial black, and their bounding box. */
static size_t changed(const struct gfx_canvas *c, uint32_t bg, struct gfx_rect *box)
{
        int x0 = c->w, y0 = c->h, x1 = -1, y1 = -1;
        size_t n = 0;

        for (int y = 0; y < c->h; y++)
                for (int x = 0; x < c->w; x++) {
                        if (c->px[(size_t) y * c->w + x] == bg)
                                continue;
                        n++;
                        x0 = MIN(x0, x);
                        y0 = MIN(y0, y);
                        x1 = MAX(x1, x);
                        y1 = MAX(y1, y);
                }
        *box = n ? (struct gfx_rect){x0, y0, x1 - x0 + 1, y1 - y0 + 1} : (struct gfx_rect){};
        return n;
}

static bool inside(const struct gfx_rect *in, const struct gfx_rect *out)
{
        return in->x >= out->x && in->y >= out->y && in->x + in->w <= out->x + out->w &&
               in->y + in->h <= out->y + out->h;
}

TEST(name_parse)
{
        static const struct {
                const char *name, *family;
                bool bold, italic, condensed;
                int px;
        } t[] = {
                {"DejaVu Sans Bold 16", "DejaVu Sans", true, false, false, 16},
                {"DejaVu Sans Mono 14", "DejaVu Sans Mono", false, false, false, 14},
                {"Unifont Regular 16", "Unifont", false, false, false, 16},
                {"DejaVu Sans Book 12", "DejaVu Sans", false, false, false, 12},
                {"Terminus Bold Italic 18", "Terminus", true, true, false, 18},
                {"DejaVu Serif Condensed Oblique 10", "DejaVu Serif", false, true, true, 10},
                {"  dejavu   sans  BOLD   20 ", "dejavu sans", true, false, false, 20},
                {"Hack Bold", "Hack", true, false, false, 0},
                {"Book Antiqua 14", "Book Antiqua", false, false, false, 14},
                {"Ubuntu 999999999999", "Ubuntu", false, false, false, 720},
                {"16", "DejaVu Sans", false, false, false, 16},
                {"Bold 16", "DejaVu Sans", true, false, false, 16},
                {"", "DejaVu Sans", false, false, false, 0},
                {"Norwester Regular 20px", "Norwester Regular 20px", false, false, false, 0},
        };

        for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
                struct gfx_font_name n = {};

                REQUIRE(gfx_font_name_parse(t[i].name, &n) == 0);
                CHECK_STREQ(n.family, t[i].family);
                CHECK_INTEQ(n.bold, t[i].bold);
                CHECK_INTEQ(n.italic, t[i].italic);
                CHECK_INTEQ(n.condensed, t[i].condensed);
                CHECK_INTEQ(n.px, t[i].px);
                gfx_font_name_done(&n);
        }
}

TEST(resolve_in_dir)
{
        struct fixture fx;
        struct gfx_font *f, *g;

        REQUIRE(fixture_open(&fx));

        f = gfx_fonts_get(fx.fonts, "DejaVu Sans Bold 16", 100);
        CHECK(endswith(gfx_font_path(f), "/DejaVuSans-Bold.ttf"));
        CHECK(startswith(gfx_font_path(f), fx.dir));
        CHECK_INTEQ(gfx_font_px(f), 16);
        CHECK_STREQ(gfx_font_family(f), "DejaVu Sans");
        CHECK_STREQ(gfx_font_style(f), "Bold");
        CHECK(!gfx_font_is_builtin(f));
        CHECK(gfx_fonts_get(fx.fonts, "DejaVu Sans Bold 16", 100) == f);
        CHECK(gfx_fonts_get(fx.fonts, "dejavu sans BOLD 16", 100) == f);
        CHECK(gfx_fonts_get(fx.fonts, "DejaVuSans Bold 16", 100) == f);
        /* No italic file: the bold one, then the regular one. */
        CHECK(gfx_fonts_get(fx.fonts, "DejaVu Sans Bold Italic 16", 100) == f);
        CHECK(gfx_fonts_default(fx.fonts, 16, true, false) == f);

        /* The chain: bold -> the default face at the same size -> the built-in face. */
        g = gfx_font_fallback(f);
        REQUIRE(g);
        CHECK(endswith(gfx_font_path(g), "/DejaVuSans.ttf"));
        CHECK_INTEQ(gfx_font_px(g), 16);
        REQUIRE(gfx_font_fallback(g));
        CHECK(gfx_font_is_builtin(gfx_font_fallback(g)));
        CHECK(!gfx_font_fallback(gfx_font_fallback(g)));

        f = gfx_fonts_get(fx.fonts, "DejaVu Sans Regular 16", 100);
        CHECK(f == g);
        CHECK(gfx_fonts_get(fx.fonts, "DejaVu Sans 16", 100) == g);
        CHECK(gfx_fonts_get(fx.fonts, "DejaVu Sans Book 16", 100) == g);
        CHECK(gfx_fonts_get(fx.fonts, "DejaVu Sans Italic 16", 100) == g);
        CHECK(gfx_fonts_default(fx.fonts, 16, false, false) == g);
        CHECK_STREQ(gfx_font_style(g), "Book");

        f = gfx_fonts_get(fx.fonts, "DejaVu Sans Mono 14", 100);
        CHECK(endswith(gfx_font_path(f), "/DejaVuSansMono.ttf"));
        CHECK_INTEQ(gfx_font_px(f), 14);
        CHECK(gfx_fonts_default(fx.fonts, 14, false, true) == f);
        CHECK(endswith(gfx_font_path(gfx_font_fallback(f)), "/DejaVuSans.ttf"));
        CHECK(gfx_fonts_get(fx.fonts, "Nonexistent Mono 14", 100) == f);

        f = gfx_fonts_get(fx.fonts, "Nonexistent Font 20", 100);
        CHECK(endswith(gfx_font_path(f), "/DejaVuSans.ttf"));
        CHECK_INTEQ(gfx_font_px(f), 20);
        CHECK(endswith(gfx_font_path(gfx_fonts_get(fx.fonts, "Nonexistent Bold 20", 100)),
                       "/DejaVuSans-Bold.ttf"));

        /* Scale: rounded, at least 6 px. */
        CHECK_INTEQ(gfx_font_px(gfx_fonts_get(fx.fonts, "DejaVu Sans 16", 200)), 32);
        CHECK_INTEQ(gfx_font_px(gfx_fonts_get(fx.fonts, "DejaVu Sans 15", 150)), 23);
        CHECK_INTEQ(gfx_font_px(gfx_fonts_get(fx.fonts, "DejaVu Sans 16", 10)), 6);
        CHECK_INTEQ(gfx_font_px(gfx_fonts_get(fx.fonts, "DejaVu Sans", 100)), 16);

        f = gfx_fonts_get(fx.fonts, "DejaVu Sans 16", 100);
        CHECK(gfx_font_ascent(f) > 10 && gfx_font_ascent(f) < 16);
        CHECK(gfx_font_height(f) > gfx_font_ascent(f) && gfx_font_height(f) <= 24);
        fixture_close(&fx);
}

TEST(resolve_any_font_then_builtin)
{
        static const char *const serif[] = {"DejaVuSerif.ttf", NULL};
        static const char *const none[] = {NULL};
        char *dirs[3] = {NULL, NULL, NULL};
        struct gfx_fonts *fonts = NULL;
        struct gfx_font *f;
        char *dir, *empty;

        /* No DejaVu Sans anywhere: any font file found. */
        dir = font_dir(serif);
        REQUIRE(dir);
        dirs[0] = dir;
        REQUIRE(gfx_fonts_new_full(dirs, NULL, &fonts) == 0);
        f = gfx_fonts_get(fonts, "Nonexistent Font 20", 100);
        CHECK(endswith(gfx_font_path(f), "/DejaVuSerif.ttf"));
        CHECK(gfx_font_is_builtin(gfx_font_fallback(f)));
        fonts = gfx_fonts_free(fonts);
        font_dir_remove(dir);

        /* An empty directory, a missing one, no system directory: the built-in face. */
        empty = font_dir(none);
        REQUIRE(empty);
        dirs[0] = empty;
        dirs[1] = (char *) "/nonexistent/fonts";
        REQUIRE(gfx_fonts_new_full(dirs, NULL, &fonts) == 0);
        f = gfx_fonts_get(fonts, "DejaVu Sans Bold 16", 100);
        CHECK(gfx_font_is_builtin(f));
        CHECK(!gfx_font_path(f));
        CHECK(!gfx_font_fallback(f));
        CHECK_INTEQ(gfx_font_px(f), 16);
        CHECK(gfx_fonts_default(fonts, 12, false, false) == f); /* below 32 px: 16 px */
        CHECK(gfx_font_height(f) >= 16 && gfx_font_ascent(f) > 8);
        /* Integer scaling from 32 px. */
        f = gfx_fonts_get(fonts, "DejaVu Sans 16", 300);
        CHECK(gfx_font_is_builtin(f));
        CHECK_INTEQ(gfx_font_px(f), 48);
        CHECK_INTEQ(gfx_font_height(f), 3 * gfx_font_height(gfx_fonts_default(fonts, 16, 0, 0)));
        fonts = gfx_fonts_free(fonts);
        font_dir_remove(empty);

        /* Not a font at all, under a font name: skipped. */
        {
                char tmpl[] = "/tmp/test-font-XXXXXX";
                _cleanup_free_ char *bad = NULL;
                FILE *fp;

                REQUIRE(mkdtemp(tmpl));
                bad = util_asprintf("%s/Broken.ttf", tmpl);
                REQUIRE(bad);
                fp = fopen(bad, "w");
                REQUIRE(fp);
                fputs("not a font\n", fp);
                fclose(fp);
                dirs[0] = tmpl;
                dirs[1] = NULL;
                REQUIRE(gfx_fonts_new_full(dirs, NULL, &fonts) == 0);
                CHECK(gfx_font_is_builtin(gfx_fonts_get(fonts, "Broken 16", 100)));
                fonts = gfx_fonts_free(fonts);
                font_dir_remove(strdup(tmpl));
        }
}

/* Found by fuzz-freetype: a face whose metrics say a line is 1 pixel high (ascent 0) at 16 px
 * stacked every line of text on one pixel. Such metrics give the usual 1.2 x size; a sane face
 * keeps its own. */
TEST(corrupt_line_height)
{
        char *dirs[] = {(char *) "data/fonts/corrupt", NULL};
        struct gfx_fonts *fonts = NULL;
        struct gfx_font *f;

        REQUIRE(gfx_fonts_new_full(dirs, NULL, &fonts) == 0);
        f = gfx_fonts_get(fonts, "Any 16", 100);
        REQUIRE(f);
        CHECK(!gfx_font_is_builtin(f));
        CHECK_INTEQ(gfx_font_height(f), 19);
        CHECK(gfx_font_ascent(f) >= 1 && gfx_font_ascent(f) <= gfx_font_height(f));
        gfx_fonts_free(fonts);
}

TEST(system_dir)
{
        struct gfx_fonts *fonts = NULL;
        struct gfx_font *f;

        REQUIRE(gfx_fonts_new(NULL, &fonts) == 0);
        f = gfx_fonts_get(fonts, "DejaVu Sans Bold 16", 100);
        CHECK_STREQ(gfx_font_path(f), GFX_FONTS_SYSTEM_DIR "/DejaVuSans-Bold.ttf");
        /* Not the condensed or extra-light faces of the same family. */
        CHECK_STREQ(gfx_font_path(gfx_fonts_get(fonts, "DejaVu Sans 16", 100)),
                    GFX_FONTS_SYSTEM_DIR "/DejaVuSans.ttf");
        CHECK_STREQ(gfx_font_path(gfx_fonts_get(fonts, "DejaVu Sans Condensed Bold 16", 100)),
                    GFX_FONTS_SYSTEM_DIR "/DejaVuSansCondensed-Bold.ttf");
        CHECK_STREQ(gfx_font_path(gfx_fonts_get(fonts, "DejaVu Sans Mono Bold Oblique 16", 100)),
                    GFX_FONTS_SYSTEM_DIR "/DejaVuSansMono-BoldOblique.ttf");
        CHECK_STREQ(gfx_font_path(gfx_fonts_get(fonts, "DejaVu Serif Italic 16", 100)),
                    GFX_FONTS_SYSTEM_DIR "/DejaVuSerif-Italic.ttf");
        gfx_fonts_free(fonts);
}

TEST(width_and_kerning)
{
        static const char text[] = "Hello, world! kexec-loader 2.0";
        struct fixture fx;
        struct gfx_font *sans, *mono;
        int prev = 0;

        REQUIRE(fixture_open(&fx));
        sans = gfx_fonts_get(fx.fonts, "DejaVu Sans 32", 100);
        mono = gfx_fonts_get(fx.fonts, "DejaVu Sans Mono 32", 100);
        CHECK_INTEQ(gfx_text_width(sans, ""), 0);
        for (size_t n = 1; n <= strlen(text); n++) {
                char buf[sizeof(text)];
                int w;

                memcpy(buf, text, n);
                buf[n] = 0;
                w = gfx_text_width(sans, buf);
                CHECK(w > prev);
                prev = w;
        }
        /* DejaVu Sans has a 'kern' table (FT_HAS_KERNING): A and V come closer. */
        CHECK(gfx_text_width(sans, "AV") < gfx_text_width(sans, "A") + gfx_text_width(sans, "V"));
        CHECK(gfx_text_width(sans, "HH") == 2 * gfx_text_width(sans, "H"));
        /* DejaVu Sans Mono has none: every character is one advance. */
        CHECK_INTEQ(gfx_text_width(mono, "AV"), 2 * gfx_text_width(mono, "A"));
        CHECK_INTEQ(gfx_text_width(mono, "iiiii"), gfx_text_width(mono, "WWWWW"));
        /* A tab is a space, other control characters a '?'. */
        CHECK_INTEQ(gfx_text_width(sans, "a\tb"), gfx_text_width(sans, "a b"));
        CHECK_INTEQ(gfx_text_width(sans, "a\x01"), gfx_text_width(sans, "a?"));
        fixture_close(&fx);
}

TEST(glyph_cache)
{
        struct fixture fx;
        struct gfx_font *f;
        const struct gfx_glyph *a, *e;
        size_t n;

        REQUIRE(fixture_open(&fx));
        f = gfx_fonts_get(fx.fonts, "DejaVu Sans 16", 100);
        a = gfx_font_glyph(f, 'A');
        REQUIRE(a);
        n = gfx_font_cached_glyphs(f);
        CHECK(gfx_font_glyph(f, 'A') == a);
        CHECK(a->font == f && a->w > 0 && a->h > 0 && a->advance > 0 && a->bitmap);
        e = gfx_font_glyph(f, 0xe9); /* é */
        REQUIRE(e);
        CHECK_INTEQ(gfx_font_cached_glyphs(f), n + 1);
        CHECK(gfx_font_glyph(f, 0xe9) == e);
        CHECK_INTEQ(gfx_font_cached_glyphs(f), n + 1);
        /* Many glyphs (the hash table grows) and the first ones keep their address. */
        for (uint32_t cp = 0x100; cp < 0x500; cp++)
                (void) gfx_font_glyph(f, cp);
        CHECK(gfx_font_cached_glyphs(f) > 500);
        CHECK(gfx_font_glyph(f, 'A') == a);
        CHECK(gfx_font_glyph(f, 0xe9) == e);
        fixture_close(&fx);
}

TEST(missing_glyphs_fall_back)
{
        struct fixture fx;
        struct gfx_font *sans, *mono;
        const struct gfx_glyph *g;

        REQUIRE(fixture_open(&fx));
        sans = gfx_fonts_get(fx.fonts, "DejaVu Sans 16", 100);
        mono = gfx_fonts_get(fx.fonts, "DejaVu Sans Mono 16", 100);

        /* U+2713 CHECK MARK is in DejaVu Sans Mono itself. */
        g = gfx_font_glyph(mono, 0x2713);
        CHECK(g && g->font == mono);
        /* U+05D0 HEBREW LETTER ALEF is not: it comes from DejaVu Sans. */
        g = gfx_font_glyph(mono, 0x5d0);
        CHECK(g && g->font == sans);
        /* U+4E2D (CJK) is nowhere: the replacement character of the chain. */
        g = gfx_font_glyph(sans, 0x4e2d);
        CHECK(g && g == gfx_font_glyph(sans, 0xfffd));
        CHECK(gfx_text_width(sans, "\xe4\xb8\xad\xe6\x96\x87") > 0);
        fixture_close(&fx);
}

TEST(invalid_utf8)
{
        struct fixture fx;
        struct gfx_font *f;
        struct gfx_canvas c = {};

        REQUIRE(fixture_open(&fx));
        f = gfx_fonts_get(fx.fonts, "DejaVu Sans 16", 100);
        /* Each bad byte is one U+FFFD. */
        CHECK_INTEQ(gfx_text_width(f, "A\xff\xfe"
                                      "B"),
                    gfx_text_width(f, "A\xef\xbf\xbd\xef\xbf\xbd"
                                      "B"));
        CHECK_INTEQ(gfx_text_width(f, "A\xe2\x80"), gfx_text_width(f, "A\xef\xbf\xbd\xef\xbf\xbd"));
        CHECK_INTEQ(gfx_text_width(f, "\xc0\xaf"), 2 * gfx_text_width(f, "\xef\xbf\xbd"));
        CHECK_INTEQ(gfx_text_width(f, "\xed\xa0\x80"), 3 * gfx_text_width(f, "\xef\xbf\xbd"));
        REQUIRE(gfx_canvas_init(&c, 100, 30) == 0);
        CHECK(gfx_draw_text(&c, f, 0, 20, 0xffffffff, "\xff\xfe\xf4\x90\x80\x80", 0) > 0);
        gfx_canvas_done(&c);
        fixture_close(&fx);
}

TEST(draw_box_and_clip)
{
        struct fixture fx;
        struct gfx_font *f;
        struct gfx_canvas c = {};
        struct gfx_rect box, expect, clip = {30, 0, 15, 40};
        uint32_t bg;
        int w;

        REQUIRE(fixture_open(&fx));
        f = gfx_fonts_get(fx.fonts, "DejaVu Sans 16", 100);
        REQUIRE(gfx_canvas_init(&c, 120, 40) == 0);
        bg = c.px[0];
        w = gfx_draw_text(&c, f, 10, 25, 0xffffffff, "Hello", 0);
        CHECK_INTEQ(w, gfx_text_width(f, "Hello"));
        expect = (struct gfx_rect){10, 25 - gfx_font_ascent(f), w + 1, gfx_font_height(f)};
        CHECK(changed(&c, bg, &box) > 20);
        CHECK(inside(&box, &expect));
        CHECK(box.w >= w - 3); /* from the H's stem to the o's right side */
        CHECK(box.h >= 10);

        /* The clip limits drawing. */
        gfx_canvas_done(&c);
        REQUIRE(gfx_canvas_init(&c, 120, 40) == 0);
        gfx_canvas_set_clip(&c, &clip);
        CHECK_INTEQ(gfx_draw_text(&c, f, 10, 25, 0xffffffff, "Hello", 0), w);
        CHECK(changed(&c, bg, &box) > 5);
        CHECK(inside(&box, &clip));
        /* Entirely outside the clip: nothing. */
        gfx_draw_text(&c, f, 80, 25, 0xffffffff, "Hello", 0);
        gfx_draw_text(&c, f, -200, 25, 0xffffffff, "Hello", 0);
        CHECK(inside(&box, &clip));
        gfx_canvas_done(&c);
        fixture_close(&fx);
}

TEST(ellipsis)
{
        static const char text[] = "A rather long title that does not fit";
        struct fixture fx;
        struct gfx_font *f;
        struct gfx_canvas c = {};
        struct gfx_rect box;
        uint32_t bg;
        int w, full, max;

        REQUIRE(fixture_open(&fx));
        f = gfx_fonts_get(fx.fonts, "DejaVu Sans 16", 100);
        full = gfx_text_width(f, text);
        REQUIRE(gfx_canvas_init(&c, 400, 30) == 0);
        bg = c.px[0];

        /* Fits: drawn whole. */
        CHECK_INTEQ(gfx_draw_text(&c, f, 0, 20, 0xffffffff, text, full), full);
        gfx_canvas_done(&c);

        REQUIRE(gfx_canvas_init(&c, 400, 30) == 0);
        max = gfx_text_width(f, "A rather \xe2\x80\xa6");
        w = gfx_draw_text(&c, f, 10, 20, 0xffffffff, text, max);
        CHECK(w > 40 && w <= max);
        CHECK(changed(&c, bg, &box) > 0);
        CHECK(box.x >= 10 && box.x + box.w <= 10 + max + 1);
        /* The longest prefix that fits, then "…", with no blank before it. */
        CHECK_INTEQ(w, gfx_text_width(f, "A rather\xe2\x80\xa6"));
        w = gfx_draw_text(&c, f, 10, 20, 0xffffffff, text, 80);
        CHECK(w > 40 && w <= 80);
        gfx_canvas_done(&c);

        /* Not even the ellipsis fits: nothing. */
        REQUIRE(gfx_canvas_init(&c, 400, 30) == 0);
        CHECK_INTEQ(gfx_draw_text(&c, f, 10, 20, 0xffffffff, text, 3), 0);
        CHECK_INTEQ(changed(&c, bg, &box), 0);
        /* Only the ellipsis. */
        w = gfx_text_width(f, "\xe2\x80\xa6");
        CHECK_INTEQ(gfx_draw_text(&c, f, 10, 20, 0xffffffff, text, w + 2), w);
        gfx_canvas_done(&c);
        fixture_close(&fx);
}

TEST(builtin_face_draws)
{
        static const char *const none[] = {NULL};
        char *dirs[2] = {NULL, NULL};
        struct gfx_fonts *fonts = NULL;
        struct gfx_font *f, *big;
        struct gfx_canvas c = {};
        struct gfx_rect box;
        const struct gfx_glyph *h, *h3;
        unsigned max = 0;
        uint32_t bg;
        char *dir;

        dir = font_dir(none);
        REQUIRE(dir);
        dirs[0] = dir;
        REQUIRE(gfx_fonts_new_full(dirs, NULL, &fonts) == 0);
        f = gfx_fonts_get(fonts, "DejaVu Sans 16", 100);
        REQUIRE(gfx_font_is_builtin(f));
        h = gfx_font_glyph(f, 'H');
        REQUIRE(h && h->w > 4 && h->h > 8);
        for (int i = 0; i < h->h * h->pitch; i++)
                max = MAX(max, h->bitmap[i]);
        CHECK(max > 200);
        CHECK(gfx_font_glyph(f, 'H') == h);
        /* Monospaced, Latin-1 and "…" inside; the rest becomes '?'. */
        CHECK_INTEQ(gfx_text_width(f, "iiii"), gfx_text_width(f, "WWWW"));
        CHECK(gfx_font_glyph(f, 0xe9) != gfx_font_glyph(f, '?'));
        CHECK(gfx_font_glyph(f, 0x2026) != gfx_font_glyph(f, '?'));
        CHECK(gfx_font_glyph(f, 0x4e2d) == gfx_font_glyph(f, '?'));
        CHECK(gfx_font_glyph(f, 0xfffd) == gfx_font_glyph(f, '?'));

        REQUIRE(gfx_canvas_init(&c, 200, 40) == 0);
        bg = c.px[0];
        CHECK(gfx_draw_text(&c, f, 5, 25, 0xffffffff, "Hello \xe4\xb8\xad \xff", 0) > 50);
        CHECK(changed(&c, bg, &box) > 50);
        CHECK(box.x >= 5 && box.y >= 25 - gfx_font_ascent(f));

        /* 48 px: the 16 px glyphs scaled three times. */
        big = gfx_fonts_get(fonts, "DejaVu Sans 48", 100);
        h3 = gfx_font_glyph(big, 'H');
        REQUIRE(h3);
        CHECK_INTEQ(h3->w, 3 * h->w);
        CHECK_INTEQ(h3->h, 3 * h->h);
        CHECK_INTEQ(h3->advance, 3 * h->advance);
        CHECK_INTEQ(h3->bitmap[(3 * h->h - 1) * h3->pitch + 3 * h->w - 1],
                    h->bitmap[(h->h - 1) * h->pitch + h->w - 1]);
        CHECK_INTEQ(gfx_text_width(big, "Hi"), 3 * gfx_text_width(f, "Hi"));
        gfx_canvas_done(&c);
        gfx_fonts_free(fonts);
        font_dir_remove(dir);
}

static double now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A printed figure: 40 lines of 60 characters at 32 px on a 3840x2160 canvas. */
TEST(timing_4k)
{
        struct gfx_fonts *fonts = NULL;
        struct gfx_canvas c = {};
        struct gfx_font *f;
        char line[61];
        double t[3];

        REQUIRE(gfx_fonts_new(NULL, &fonts) == 0);
        REQUIRE(gfx_canvas_init(&c, 3840, 2160) == 0);
        f = gfx_fonts_get(fonts, "DejaVu Sans 32", 100);
        for (int i = 0; i < 60; i++)
                line[i] = (char) (' ' + 1 + (i * 7) % 94);
        line[60] = 0;
        for (int pass = 0; pass < 3; pass++) {
                double t0 = now_ms();

                for (int l = 0; l < 40; l++)
                        gfx_draw_text(&c, f, 40, 60 + l * gfx_font_height(f), 0xffe0e0e0, line, 0);
                t[pass] = now_ms() - t0;
        }
        printf("# 40 lines x 60 chars, %s at 32 px, 3840x2160: cold %.2f ms, warm %.2f ms, "
               "%.2f ms\n",
               gfx_font_family(f), t[0], t[1], t[2]);
        CHECK(gfx_font_cached_glyphs(f) >= 60);
        gfx_canvas_done(&c);
        gfx_fonts_free(fonts);
}

/* A theme's font folder is read inside its filesystem: a FIFO named *.ttf is skipped without
 * being opened (no hang), a symlink out of the filesystem finds nothing, a real file inside is
 * used. */
TEST(theme_font_dir_inside_its_filesystem)
{
        _cleanup_free_ char *top = font_dir((const char *const[]){NULL});
        _cleanup_free_ char *fs = NULL, *fonts = NULL, *outside = NULL, *fifo = NULL;
        _cleanup_free_ char *out_abs = NULL, *out_rel = NULL, *inside = NULL;
        struct gfx_fonts *reg = NULL;
        struct gfx_font *f;
        int root;

        REQUIRE(top);
        fs = util_asprintf("%s/fs", top);
        fonts = util_asprintf("%s/fs/fonts", top);
        outside = util_asprintf("%s/DejaVuSans.ttf", top);
        fifo = util_asprintf("%s/fs/fonts/a-fifo.ttf", top);
        out_abs = util_asprintf("%s/fs/fonts/b-abs.ttf", top);
        out_rel = util_asprintf("%s/fs/fonts/c-rel.ttf", top);
        inside = util_asprintf("%s/fs/fonts/d-in.ttf", top);
        REQUIRE(fs && fonts && outside && fifo && out_abs && out_rel && inside);
        REQUIRE(mkdir(fs, 0755) == 0 && mkdir(fonts, 0755) == 0);
        REQUIRE(symlink(DEJAVU "/DejaVuSans.ttf", outside) == 0);
        REQUIRE(mkfifo(fifo, 0644) == 0);
        REQUIRE(symlink(outside, out_abs) == 0);                /* absolute: inside the root */
        REQUIRE(symlink("../../DejaVuSans.ttf", out_rel) == 0); /* .. stops at the root */
        root = fsread_root_open(fs);
        REQUIRE(root >= 0);

        REQUIRE(gfx_fonts_new_full(NULL, NULL, &reg) == 0);
        REQUIRE(gfx_fonts_add_dir_at(reg, root, "/fonts") == 0);
        f = gfx_fonts_get(reg, "DejaVu Sans 16", 100);
        CHECK(gfx_font_is_builtin(f));
        gfx_fonts_free(reg);

        /* The same font as a file of the filesystem is found. */
        {
                _cleanup_free_ char *data = NULL;
                size_t len;
                FILE *o;

                REQUIRE(util_read_file(DEJAVU "/DejaVuSans.ttf", 64u << 20, &data, &len) == 0);
                o = fopen(inside, "we");
                REQUIRE(o);
                CHECK(fwrite(data, 1, len, o) == len);
                CHECK(fclose(o) == 0);
        }
        REQUIRE(gfx_fonts_new_full(NULL, NULL, &reg) == 0);
        REQUIRE(gfx_fonts_add_dir_at(reg, root, "/fonts") == 0);
        f = gfx_fonts_get(reg, "DejaVu Sans 16", 100);
        CHECK(!gfx_font_is_builtin(f));
        CHECK_STREQ(gfx_font_path(f), "/fonts/d-in.ttf");
        CHECK_INTEQ(gfx_fonts_add_dir_at(reg, root, "/fonts"), -EBUSY);
        gfx_fonts_free(reg);
        close(root);
        font_dir_remove(top);
        top = NULL;
}
