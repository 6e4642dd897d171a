/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer targets for what a theme brings from a scanned disk besides its images:
 *  - theme: the input is a theme.txt; parsed (theme/theme-parse.c), then laid out and drawn
 *    (theme/layout.c, theme/render.c) at two small screen sizes (320x240, 480x360 at 200 %: HiDPI),
 * so the numbers of the file reach the layout arithmetic. The menu is drawn, the selection moved (a
 * partial redraw) and the canvas compared with what a fresh renderer draws in full: the redraw of
 * what changed must give the same pixels. Hit tests name entries that exist. The theme's files are
 * not read (no folder: the renderer draws without them), nor font files (the built-in face).
 *  - freetype: the input is a font file (TTF, OTF, any face FreeType opens) in a theme's folder:
 *    indexed, opened at three sizes through gfx/font.c, text measured and drawn on a small
 *    canvas. A face FreeType cannot open is skipped (the built-in face stands in): it must never
 *    take the menu down.
 * Built and run by tests/fuzz/run (-DFUZZ_TARGET=…). */
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "gfx/canvas.h"
#include "gfx/font.h"
#include "theme/render.h"
#include "theme/theme.h"

#define FUZZ_THEME    80
#define FUZZ_FREETYPE 81

/* abort() naming the invariant that failed */
#define check(ok) \
        ((ok) ? (void) 0 : (fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #ok), abort()))

#if FUZZ_TARGET == FUZZ_THEME
#define N_ITEMS 12

static struct ui_menu_item items[N_ITEMS];

static void make_view(struct ui_view *v, struct menu *m)
{
        static char *const classes[] = {"debian", "gnu-linux", NULL};

        for (size_t i = 0; i < N_ITEMS; i++)
                items[i] = (struct ui_menu_item){
                        .title = i % 3 ? "Debian GNU/Linux" : "Debian GNU/Linux, with Linux 6.1.0",
                        .bootable = i != 1,
                        .note = i == 1 ? "kernel not found" : NULL,
                        .classes = classes};
        *v = (struct ui_view){.screen = UI_SCREEN_MENU,
                              .product = "kexec-loader",
                              .system = "Linux",
                              .items = items,
                              .n_items = N_ITEMS,
                              .menu = m,
                              .status = "Waiting for devices 7 s"};
}

/* The canvas equals what a fresh renderer draws in full. */
static bool same_as_full(const struct theme *t, struct gfx_fonts *f, int scale,
                         const struct ui_view *v, const struct gfx_canvas *c)
{
        struct theme_renderer *r = NULL;
        struct gfx_canvas full = {0};
        bool same;

        if (gfx_canvas_init(&full, c->w, c->h) < 0)
                return true; /* out of memory: nothing to compare */
        if (theme_renderer_new_scaled(t, f, c->w, c->h, scale, NULL, &r) < 0) {
                gfx_canvas_done(&full);
                return true;
        }
        theme_renderer_draw(r, v, &full);
        same = memcmp(full.px, c->px, (size_t) c->w * c->h * 4) == 0;
        theme_renderer_free(r);
        gfx_canvas_done(&full);
        return same;
}

static void render_at(const struct theme *t, struct gfx_fonts *f, int w, int h, int scale)
{
        struct theme_renderer *r = NULL;
        struct gfx_canvas c = {0};
        struct diag_list d = {0};
        struct ui_view v;
        struct menu m;
        unsigned rows;
        size_t item;

        if (gfx_canvas_init(&c, w, h) < 0)
                return;
        if (theme_renderer_new_scaled(t, f, w, h, scale, &d, &r) < 0)
                goto out;
        check(theme_renderer_scale(r) >= 10 && theme_renderer_scale(r) <= 1000);
        menu_init(&m, N_ITEMS, 2, 10);
        make_view(&v, &m);
        rows = theme_renderer_menu_rows(r, &v);
        menu_set_rows(&m, rows);
        check(m.rows >= 1);
        theme_renderer_draw(r, &v, &c);
        check(theme_renderer_menu_clipped(r, &v) <= N_ITEMS);
        for (int y = 0; y < h; y += h / 7)
                for (int x = 0; x < w; x += w / 5)
                        if (theme_renderer_hit_test(r, &v, x, y, &item) == 0)
                                check(item < N_ITEMS);
        /* the selection moves down a row, the countdown stops: the redraw of what changed gives
         * what a full drawing gives; then to the end (scrolling) */
        menu_key(&m, &(struct key_event){.sym = KEYSYM_DOWN});
        theme_renderer_draw(r, &v, &c);
        check(same_as_full(t, f, scale, &v, &c));
        menu_key(&m, &(struct key_event){.sym = KEYSYM_END});
        theme_renderer_draw(r, &v, &c);
        /* the pager: the device list's lines */
        {
                static const struct line lines[] = {{.text = "sda1 ext4 Debian"},
                                                    {.text = "sdb1 vfat kexec-loader"}};
                struct ui_view pv = {.screen = UI_SCREEN_PAGER,
                                     .product = "kexec-loader",
                                     .pager_title = "Devices",
                                     .pager_lines = lines,
                                     .n_pager_lines = 2,
                                     .pager_hint = "Esc: back"};

                (void) theme_renderer_pager_rows(r);
                theme_renderer_draw(r, &pv, &c);
        }
out:
        theme_renderer_free(r);
        gfx_canvas_done(&c);
        diag_list_done(&d);
}

static void run_theme(const uint8_t *data, size_t len)
{
        struct theme *t = NULL;
        struct diag_list d = {0};
        struct gfx_fonts *f = NULL;
        int r = theme_parse((const char *) data, len, NULL, "fuzz/theme.txt", &t, &d);

        check(r == 0 || r == -EINVAL || r == -ENOMEM || r == -EFBIG);
        if (r == -EINVAL)
                check(d.n > 0); /* a syntax error says where */
        if (r < 0)
                goto out;
        check(t && t->root && t->root->type == THEME_CANVAS);
        check(theme_scale_percent(t, 2160, 150) >= 10 && theme_scale_percent(t, 2160, 150) <= 1000);
        if (gfx_fonts_new_full(NULL, NULL, &f) < 0)
                goto out;
        render_at(t, f, 320, 240, 100);
        render_at(t, f, 480, 360, 200);
        gfx_fonts_free(f);
out:
        theme_free(t);
        diag_list_done(&d);
}
#endif

#if FUZZ_TARGET == FUZZ_FREETYPE
static char dir[64];

/* The input as the only font file of a folder (rewritten for each input). */
static int put_font(const uint8_t *data, size_t len)
{
        char path[96];
        int fd;

        if (!dir[0]) {
                const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";

                snprintf(dir, sizeof(dir), "%s/kl-fuzz-font-XXXXXX", base);
                if (!mkdtemp(dir))
                        abort();
        }
        snprintf(path, sizeof(path), "%s/fuzz.ttf", dir);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0)
                return -errno;
        if (write(fd, data, len) != (ssize_t) len) {
                close(fd);
                return -EIO;
        }
        close(fd);
        return 0;
}

static void measure_and_draw(struct gfx_fonts *fonts, const char *name, struct gfx_canvas *c)
{
        static const char *const texts[] = {
                "Debian GNU/Linux", "AVAWAY fi ffi", "\xc3\xa9\xc3\xa8 \xe2\x80\xa6 \xe4\xb8\xad",
                "\xf0\x9f\x98\x80 \xef\xbf\xbd", "\xff\xfe broken \xc3"};
        struct gfx_font *f = gfx_fonts_get(fonts, name, 100);

        check(f != NULL);
        check(gfx_font_height(f) > 0 && gfx_font_ascent(f) > 0 &&
              gfx_font_ascent(f) <= gfx_font_height(f));
        for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
                int w = gfx_text_width(f, texts[i]);
                int drawn;

                check(w >= 0);
                drawn = gfx_draw_text(c, f, 2, gfx_font_ascent(f), 0xffffffff, texts[i], 0);
                check(drawn >= 0);
                drawn = gfx_draw_text(c, f, -5, c->h / 2, 0xff00ff00, texts[i], 40);
                check(drawn >= 0 && drawn <= 40);
        }
        for (uint32_t cp = 0x20; cp < 0x80; cp += 7) {
                const struct gfx_glyph *g = gfx_font_glyph(f, cp);

                check(g && g->w >= 0 && g->h >= 0 && (g->w == 0 || g->h == 0 || g->bitmap));
                check(g->pitch >= g->w || g->h == 0);
        }
}

static void run_freetype(const uint8_t *data, size_t len)
{
        struct gfx_fonts *fonts = NULL;
        struct gfx_canvas c = {0};

        if (put_font(data, len) < 0)
                return;
        /* no system fonts: the fallback is the built-in face */
        if (gfx_fonts_new_full(NULL, NULL, &fonts) < 0)
                return;
        if (gfx_fonts_add_dir_at(fonts, -1, dir) < 0 || gfx_canvas_init(&c, 96, 48) < 0)
                goto out;
        /* whatever family the face claims, it is the only one: every name resolves to it */
        measure_and_draw(fonts, "Fuzz Regular 16", &c);
        measure_and_draw(fonts, "Fuzz Bold 7", &c);
        measure_and_draw(fonts, "Fuzz Italic 41", &c);
out:
        gfx_canvas_done(&c);
        gfx_fonts_free(fonts);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
#if FUZZ_TARGET == FUZZ_THEME
        run_theme(data, len);
#elif FUZZ_TARGET == FUZZ_FREETYPE
        run_freetype(data, len);
#endif
        return 0;
}
