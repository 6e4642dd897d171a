/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Drawing through bands (theme_renderer_draw_banded, as the menu draws on DRM and fbdev screens)
 * gives the very pixels of a whole canvas (theme_renderer_draw, as `render` and the golden images
 * draw): a full frame, a selection move, a countdown tick and a screen change, for each theme in
 * themes/, with bands of several heights (one row, a height that does not divide the screen's,
 * the whole screen). */
#include "test.h"

#include "gfx/font.h"
#include "theme/render.h"

#define W 640
#define H 400

/* The scan-out buffer a band goes to, as the DRM output copies it. */
struct screen {
        uint32_t px[W * H];
        size_t bands;
        bool outside; /* a rect outside its band was handed over */
};

static void put(void *userdata, const struct gfx_canvas *band, const struct gfx_rect *dirty,
                size_t n)
{
        struct screen *s = userdata;

        s->bands++;
        for (size_t i = 0; i < n; i++) {
                const struct gfx_rect *r = &dirty[i];

                if (r->y < band->band_y || r->y + r->h > band->band_y + band->band_h)
                        s->outside = true;
                for (int y = MAX(r->y, band->band_y);
                     y < MIN(r->y + r->h, band->band_y + band->band_h); y++)
                        memcpy(s->px + (size_t) y * W + r->x, gfx_canvas_row(band, y) + r->x,
                               (size_t) r->w * 4);
        }
}

struct pair {
        struct theme_renderer *whole, *banded;
        struct gfx_canvas c;
        uint32_t *band;
        int rows;
        struct screen *s;
};

/* Draws v both ways; true when the screens are the same. */
static bool same(struct pair *p, const struct ui_view *v, size_t *bands)
{
        struct gfx_rect d[THEME_DAMAGE_MAX];

        theme_renderer_draw(p->whole, v, &p->c);
        p->s->bands = 0;
        (void) theme_renderer_draw_banded(p->banded, v, p->band, p->rows, put, p->s, d,
                                          ARRAY_SIZE(d));
        if (bands)
                *bands = p->s->bands;
        return !p->s->outside && memcmp(p->c.px, p->s->px, sizeof(p->s->px)) == 0;
}

static void check_theme(bool *test_failed, const char *theme_txt)
{
        static const int rows[] = {1, 37, H};
        char *dirs[] = {(char *) KL_SOURCE_DIR "/fonts",
                        (char *) "/usr/share/fonts/truetype/dejavu", NULL};
        struct ui_menu_item items[9];
        struct theme *t = NULL;
        struct gfx_fonts *fonts = NULL;
        struct diag_list diags = {0};
        char titles[9][48];

        printf("# %s\n", theme_txt);
        REQUIRE(theme_load(theme_txt, &t, &diags) == 0);
        REQUIRE(gfx_fonts_new(dirs, &fonts) == 0);
        for (int i = 0; i < 9; i++) {
                snprintf(titles[i], sizeof(titles[i]), "System %d (6.1.0-%d-amd64)", i + 1, 40 + i);
                items[i] = (struct ui_menu_item){.title = titles[i], .bootable = i != 2};
        }
        for (size_t k = 0; k < ARRAY_SIZE(rows); k++) {
                struct pair p = {.rows = rows[k]};
                struct menu m;
                struct ui_view v;
                size_t bands = 0;

                p.s = calloc(1, sizeof(*p.s));
                p.band = malloc((size_t) W * (size_t) p.rows * 4);
                REQUIRE(p.s && p.band && gfx_canvas_init(&p.c, W, H) == 0);
                REQUIRE(theme_renderer_new(t, fonts, W, H, NULL, &p.whole) == 0);
                REQUIRE(theme_renderer_new(t, fonts, W, H, NULL, &p.banded) == 0);
                menu_init(&m, 9, 0, 10);
                v = (struct ui_view){.screen = UI_SCREEN_MENU,
                                     .product = "kexec-loader",
                                     .system = "Linux",
                                     .items = items,
                                     .n_items = 9,
                                     .menu = &m};
                menu_set_rows(&m, theme_renderer_menu_rows(p.whole, &v));
                CHECK(same(&p, &v, &bands)); /* the first frame: every band */
                CHECK(bands == (size_t) (H + p.rows - 1) / (size_t) p.rows);
                m.selected = 1;              /* within the rows shown at 640x400 in every theme */
                CHECK(same(&p, &v, &bands)); /* a selection move: the bands of two rows */
                CHECK(bands > 0 &&
                      (p.rows == H || bands < (size_t) (H + p.rows - 1) / (size_t) p.rows));
                m.selected = 2; /* not bootable: a status line */
                CHECK(same(&p, &v, NULL));
                m.countdown = 9;
                CHECK(same(&p, &v, NULL)); /* a countdown tick */
                m.countdown_active = false;
                CHECK(same(&p, &v, NULL));
                CHECK(same(&p, &v, &bands)); /* nothing changed: nothing drawn */
                CHECK(bands == 0);
                v.screen = UI_SCREEN_PAGER;
                v.pager_title = "Devices";
                CHECK(same(&p, &v, NULL)); /* another screen, another static layer */
                v.screen = UI_SCREEN_MENU;
                CHECK(same(&p, &v, NULL));
                theme_renderer_free(p.whole);
                theme_renderer_free(p.banded);
                gfx_canvas_done(&p.c);
                free(p.band);
                free(p.s);
        }
        gfx_fonts_free(fonts);
        theme_free(t);
        diag_list_done(&diags);
}

TEST(render_bands_default)
{
        check_theme(test_failed, KL_SOURCE_DIR "/themes/default/theme.txt");
}

TEST(render_bands_classic)
{
        check_theme(test_failed, KL_SOURCE_DIR "/themes/classic/theme.txt");
}

TEST(render_bands_high_contrast)
{
        check_theme(test_failed, KL_SOURCE_DIR "/themes/high-contrast/theme.txt");
}
