/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Drawing figures (printed, not pass/fail): a full redraw of the themed menu with its background
 * image, and a selection move, at 1920x1080 and 3840x2160, each as a ratio to one memcpy of a
 * frame measured in the same run; and the resident memory with the 4K frame up. Both ways the
 * menu draws: into a whole canvas (then copied to the screen: not timed), and band by band into a
 * 2 MiB band copied into a scan-out buffer as it goes (DRM and fbdev screens: timed with the
 * copies). Goals: full redraw <= 2x memcpy, selection move <= 0.1x memcpy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "gfx/font.h"
#include "theme/render.h"

#include "bench.h"

#define RUNS 15

#define BAND_BYTES (2u << 20) /* as src/ui/gfx/gfx-ui.c */

struct scanout {
        uint32_t *px;
        int w;
};

/* A band into the scan-out buffer, as the DRM output copies it. */
static void put(void *userdata, const struct gfx_canvas *band, const struct gfx_rect *dirty,
                size_t n)
{
        struct scanout *so = userdata;

        for (size_t i = 0; i < n; i++)
                for (int y = dirty[i].y; y < dirty[i].y + dirty[i].h; y++)
                        memcpy(so->px + (size_t) y * (size_t) so->w + dirty[i].x,
                               gfx_canvas_row(band, y) + dirty[i].x, (size_t) dirty[i].w * 4);
}

static long rss_kib(void)
{
        char *s = NULL, *p;
        long kib = -1;

        if (util_read_file("/proc/self/status", 1 << 20, &s, NULL) < 0)
                return -1;
        p = strstr(s, "VmRSS:");
        if (p)
                kib = strtol(p + 6, NULL, 10);
        free(s);
        return kib;
}

int main(int argc, char **argv)
{
        const char *theme_txt = argc > 1 ? argv[1] : KL_SOURCE_DIR "/themes/default/theme.txt";
        static const int sizes[][2] = {{1920, 1080}, {3840, 2160}};
        struct ui_menu_item items[12];
        char titles[12][64];
        struct diag_list diags = {0};
        struct theme *t = NULL;
        struct gfx_fonts *fonts = NULL;
        char *dirs[] = {(char *) KL_SOURCE_DIR "/themes/default", (char *) KL_SOURCE_DIR "/fonts",
                        (char *) "/usr/share/fonts/truetype/dejavu", NULL};

        if (theme_load(theme_txt, &t, &diags) < 0) {
                fprintf(stderr, "cannot load %s\n", theme_txt);
                return 1;
        }
        if (gfx_fonts_new(dirs, &fonts) < 0)
                return 1;
        for (int i = 0; i < 12; i++) {
                snprintf(titles[i], sizeof(titles[i]), "Linux system number %d (6.1.0-%d-amd64)",
                         i + 1, 40 + i);
                items[i] = (struct ui_menu_item){.title = titles[i], .bootable = true};
        }
        printf("theme %s\n", theme_txt);
        for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
                int w = sizes[s][0], h = sizes[s][1];
                struct gfx_canvas c;
                struct theme_renderer *r = NULL;
                struct menu m;
                struct ui_view v;
                double tm[RUNS], tf[RUNS], ts[RUNS], tbf[RUNS], tbs[RUNS], twf[RUNS], tws[RUNS];
                double mm, fm, sm, bfm, bsm, wfm, wsm;
                struct gfx_rect dirty[GFX_DIRTY_MAX];
                uint32_t *copy = malloc((size_t) w * (size_t) h * 4);
                int rows = (int) (BAND_BYTES / ((unsigned) w * 4u));
                uint32_t *band = malloc((size_t) w * (size_t) rows * 4);
                struct scanout so = {.px = malloc((size_t) w * (size_t) h * 4), .w = w};
                struct gfx_rect d[THEME_DAMAGE_MAX];

                if (!copy || !band || !so.px || gfx_canvas_init(&c, w, h) < 0 ||
                    theme_renderer_new(t, fonts, w, h, NULL, &r) < 0)
                        return 1;
                menu_init(&m, 12, 0, 0);
                v = (struct ui_view){.screen = UI_SCREEN_MENU,
                                     .product = "kexec-loader",
                                     .system = "Linux",
                                     .items = items,
                                     .n_items = 12,
                                     .menu = &m};
                menu_set_rows(&m, theme_renderer_menu_rows(r, &v));
                theme_renderer_draw(r, &v, &c); /* warm the caches: glyphs, scaled images */
                for (int i = 0; i < RUNS; i++) {
                        double t0 = now();
                        memcpy(copy, c.px, (size_t) w * (size_t) h * 4);
                        tm[i] = now() - t0;
                        t0 = now();
                        theme_renderer_invalidate(r);
                        theme_renderer_draw(r, &v, &c);
                        tf[i] = now() - t0;
                        m.selected = m.selected == 3 ? 4 : 3;
                        t0 = now();
                        theme_renderer_draw(r, &v, &c);
                        ts[i] = now() - t0;
                        (void) gfx_canvas_take_dirty(&c, (struct gfx_rect[GFX_DIRTY_MAX]){0},
                                                     GFX_DIRTY_MAX);
                        /* the whole canvas, then its dirty rects into the scan-out buffer */
                        t0 = now();
                        theme_renderer_invalidate(r);
                        theme_renderer_draw(r, &v, &c);
                        put(&so, &c, dirty, gfx_canvas_take_dirty(&c, dirty, GFX_DIRTY_MAX));
                        twf[i] = now() - t0;
                        m.selected = m.selected == 3 ? 4 : 3;
                        t0 = now();
                        theme_renderer_draw(r, &v, &c);
                        put(&so, &c, dirty, gfx_canvas_take_dirty(&c, dirty, GFX_DIRTY_MAX));
                        tws[i] = now() - t0;
                        /* the same, band by band into the scan-out buffer */
                        t0 = now();
                        theme_renderer_invalidate(r);
                        (void) theme_renderer_draw_banded(r, &v, band, rows, put, &so, d,
                                                          ARRAY_SIZE(d));
                        tbf[i] = now() - t0;
                        m.selected = m.selected == 3 ? 4 : 3;
                        t0 = now();
                        (void) theme_renderer_draw_banded(r, &v, band, rows, put, &so, d,
                                                          ARRAY_SIZE(d));
                        tbs[i] = now() - t0;
                }
                mm = median(tm, RUNS);
                fm = median(tf, RUNS);
                sm = median(ts, RUNS);
                bfm = median(tbf, RUNS);
                bsm = median(tbs, RUNS);
                wfm = median(twf, RUNS);
                wsm = median(tws, RUNS);
                printf("%dx%d: memcpy of a frame %.3f ms; full redraw %.3f ms = %.2fx memcpy "
                       "(goal <= 2); selection move %.3f ms = %.3fx memcpy (goal <= 0.1)\n",
                       w, h, mm * 1e3, fm * 1e3, fm / mm, sm * 1e3, sm / mm);
                printf("%dx%d with the copies to the screen: whole canvas: full redraw %.3f ms = "
                       "%.2fx memcpy, selection move %.3f ms = %.3fx; in %d-row bands (the menu on "
                       "DRM and fbdev): full redraw %.3f ms = %.2fx memcpy (goal <= 2), selection "
                       "move %.3f ms = %.3fx memcpy (goal <= 0.1)\n",
                       w, h, wfm * 1e3, wfm / mm, wsm * 1e3, wsm / mm, rows, bfm * 1e3, bfm / mm,
                       bsm * 1e3, bsm / mm);
                if (s + 1 == ARRAY_SIZE(sizes))
                        printf("resident memory with the %dx%d menu up: %ld KiB\n", w, h,
                               rss_kib());
                theme_renderer_free(r);
                gfx_canvas_done(&c);
                free(copy);
                free(band);
                free(so.px);
        }
        gfx_fonts_free(fonts);
        theme_free(t);
        diag_list_done(&diags);
        return 0;
}
