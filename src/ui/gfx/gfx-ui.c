/* SPDX-License-Identifier: GPL-2.0-or-later */
#define LOG_MODULE "gfx"
#include "gfx-ui.h"

#include <limits.h>

#include "../../core/log.h"
#include "../../gfx/font.h"
#include "../../theme/render.h"

#ifndef KL_DATADIR
#define KL_DATADIR "/usr/share/kexec-loader"
#endif

/* The band a screen is drawn through when its output can take bands (DRM, fbdev): the screen's
 * rows in pieces of about this many bytes, so that the menu holds no canvas of the screen's size
 * (docs/performance.md, "Memory at 4K"). */
#define GFX_UI_BAND_BYTES (2u << 20)

struct gfx_head {
        struct output *out;
        struct gfx_canvas canvas; /* the whole screen, for outputs without bands (memory) */
        uint32_t *band;           /* else: band_rows rows of the screen */
        int band_rows;
        struct theme_renderer *renderer;
        bool broken; /* present failed: skip it */
};

struct gfx_ui {
        struct ui ui;
        struct output_set set; /* owns the outputs and their cards */
        struct theme *theme;
        struct gfx_fonts *fonts;
        struct gfx_head *heads;
        size_t n_heads;
        bool released;
        int forced_scale; /* the user's display scale (percent), 0: from each panel's size */
};

char **gfx_ui_font_dirs(void)
{
        char **l = calloc(1, sizeof(char *));

        if (!l)
                return NULL;
        if (strv_push(&l, KL_DATADIR "/fonts") < 0 ||
            strv_push(&l, "/usr/share/kexec-loader/fonts") < 0)
                return NULL;
#ifdef KL_SOURCE_DIR
        if (strv_push(&l, KL_SOURCE_DIR "/fonts") < 0)
                return NULL;
#endif
        if (strv_push(&l, "/usr/share/fonts/truetype/dejavu") < 0)
                return NULL;
        return l;
}

static struct gfx_ui *to_gfx(struct ui *ui)
{
        return ui->data;
}

static void head_done(struct gfx_head *h)
{
        h->renderer = theme_renderer_free(h->renderer);
        gfx_canvas_done(&h->canvas);
        free(h->band);
        h->band = NULL;
        h->out = NULL; /* owned by the set */
}

/* The display scale of an output: the user's, else the HiDPI rule over the panel's size. */
static int head_display_scale(const struct gfx_ui *g, const struct output *o)
{
        if (g->forced_scale > 0)
                return g->forced_scale;
        return theme_display_scale(o->width, o->height, o->mm_w, o->mm_h);
}

/* One head per output: a canvas and a renderer at the output's size. diags: where the theme's
 * layout problems go (the first head's only: every head would find the same). */
static int head_init(struct gfx_ui *g, struct gfx_head *h, struct output *o,
                     struct diag_list *diags)
{
        int r;

        *h = (struct gfx_head){.out = o};
        if (o->ops->copy && o->width > 0 && o->height > 0 && o->width <= 65536) {
                h->band_rows = (int) MAX(1u, GFX_UI_BAND_BYTES / ((unsigned) o->width * 4u));
                h->band_rows = MIN(h->band_rows, o->height);
                h->band = malloc((size_t) o->width * (size_t) h->band_rows * sizeof(uint32_t));
                r = h->band ? 0 : -ENOMEM;
        } else
                r = gfx_canvas_init(&h->canvas, o->width, o->height);
        if (r >= 0)
                r = theme_renderer_new_scaled(g->theme, g->fonts, o->width, o->height,
                                              head_display_scale(g, o), diags, &h->renderer);
        if (r < 0) {
                log_warn("cannot draw on %s (%dx%d): %s", o->name, o->width, o->height,
                         strerror(-r));
                head_done(h);
                return r;
        }
        log_info("drawing on %s at %dx%d (%d x %d mm), scale %d%%", o->name, o->width, o->height,
                 o->mm_w, o->mm_h, theme_renderer_scale(h->renderer));
        return 0;
}

static unsigned gfx_menu_rows(struct ui *ui, const struct ui_view *v)
{
        struct gfx_ui *g = to_gfx(ui);
        unsigned rows = 0;

        /* Every output shows the same selection: the smallest list decides the scrolling. */
        for (size_t i = 0; i < g->n_heads; i++) {
                unsigned r = theme_renderer_menu_rows(g->heads[i].renderer, v);
                if (i == 0 || r < rows)
                        rows = r;
        }
        return MAX(rows, 1u);
}

static unsigned gfx_pager_rows(struct ui *ui)
{
        struct gfx_ui *g = to_gfx(ui);
        unsigned rows = 0;

        for (size_t i = 0; i < g->n_heads; i++) {
                unsigned r = theme_renderer_pager_rows(g->heads[i].renderer);
                if (i == 0 || r < rows)
                        rows = r;
        }
        return MAX(rows, 1u);
}

/* One band drawn: into the scan-out buffer. */
static void head_put_band(void *userdata, const struct gfx_canvas *band,
                          const struct gfx_rect *dirty, size_t n_dirty)
{
        struct gfx_head *h = userdata;

        if (n_dirty > 0 && h->out->ops->copy(h->out, band, dirty, n_dirty) < 0)
                h->broken = true;
}

/* Draws v on a head: band by band when it has bands, then one flush of every rect; else into
 * its canvas, then present. Returns 0 or a negative errno when the output failed. */
static int head_draw(struct gfx_head *h, const struct ui_view *v)
{
        struct gfx_rect dirty[MAX(GFX_DIRTY_MAX, THEME_DAMAGE_MAX)];
        size_t n;

        if (h->band) {
                n = theme_renderer_draw_banded(h->renderer, v, h->band, h->band_rows, head_put_band,
                                               h, dirty, ARRAY_SIZE(dirty));
                if (h->broken)
                        return -EIO;
                return n > 0 && h->out->ops->flush ? h->out->ops->flush(h->out, dirty, n) : 0;
        }
        theme_renderer_draw(h->renderer, v, &h->canvas);
        n = gfx_canvas_take_dirty(&h->canvas, dirty, GFX_DIRTY_MAX);
        return n > 0 ? h->out->ops->present(h->out, &h->canvas, dirty, n) : 0;
}

static void gfx_render(struct ui *ui, const struct ui_view *v)
{
        struct gfx_ui *g = to_gfx(ui);

        if (g->released) {
                if (output_set_resume(&g->set) < 0)
                        log_warn("cannot take the display back");
                for (size_t i = 0; i < g->n_heads; i++)
                        theme_renderer_invalidate(g->heads[i].renderer);
                g->released = false;
        }
        for (size_t i = 0; i < g->n_heads; i++) {
                struct gfx_head *h = &g->heads[i];

                if (h->broken)
                        continue;
                if (head_draw(h, v) < 0) {
                        log_warn("output %s failed, not drawing there any more", h->out->name);
                        h->broken = true;
                }
        }
}

static void gfx_resize(struct ui *ui)
{
        struct gfx_ui *g = to_gfx(ui);

        for (size_t i = 0; i < g->n_heads; i++)
                theme_renderer_invalidate(g->heads[i].renderer);
}

static void gfx_release(struct ui *ui)
{
        struct gfx_ui *g = to_gfx(ui);

        /* Restores the CRTCs, drops DRM master, closes the cards, puts the console in KD_TEXT:
         * the next kernel (or the text front end) gets a working console. */
        output_set_release(&g->set);
        g->released = true;
}

static void gfx_free(struct ui *ui)
{
        struct gfx_ui *g;

        if (!ui)
                return;
        g = to_gfx(ui);
        for (size_t i = 0; i < g->n_heads; i++)
                head_done(&g->heads[i]);
        free(g->heads);
        output_set_done(&g->set);
        g->fonts = gfx_fonts_free(g->fonts);
        g->theme = theme_free(g->theme);
        free(g);
}

/* The theme at loc (NULL, or one that cannot be loaded: the built-in one, with the problems in
 * diags) and its fonts: its folder first (inside its filesystem), then the installed ones. */
static int load_theme(const struct theme_location *loc, struct diag_list *diags,
                      struct theme **ret_theme, struct gfx_fonts **ret_fonts)
{
        _cleanup_strv_ char **dirs = gfx_ui_font_dirs();
        _cleanup_(theme_freep) struct theme *t = NULL;
        int r;

        if (loc) {
                r = theme_load_at(loc, &t, diags);
                if (r < 0)
                        log_warn("theme %s could not be loaded (%s), using the built-in one",
                                 loc->id, strerror(-r));
        }
        if (!t)
                t = theme_new_default();
        if (!t || !dirs)
                return -ENOMEM;
        r = gfx_fonts_new(dirs, ret_fonts);
        if (r < 0)
                return r;
        if (t->dir) {
                r = gfx_fonts_add_dir_at(*ret_fonts, t->root_fd, t->dir);
                if (r < 0) {
                        *ret_fonts = gfx_fonts_free(*ret_fonts);
                        return r;
                }
        }
        *ret_theme = t;
        t = NULL;
        return 0;
}

static int gfx_set_theme(struct ui *ui, const struct theme_location *loc, struct diag_list *diags)
{
        struct theme_renderer **rs = NULL;
        struct gfx_fonts *fonts = NULL;
        struct theme *t = NULL;
        struct gfx_ui *g = to_gfx(ui);
        int r;

        rs = calloc(g->n_heads + 1, sizeof(*rs));
        if (!rs)
                return -ENOMEM;
        r = load_theme(loc, diags, &t, &fonts);
        if (r < 0)
                goto fail;
        for (size_t i = 0; i < g->n_heads; i++) {
                struct output *o = g->heads[i].out;

                r = theme_renderer_new_scaled(t, fonts, o->width, o->height,
                                              head_display_scale(g, o), i == 0 ? diags : NULL,
                                              &rs[i]);
                if (r < 0)
                        goto fail;
        }
        /* Everything is ready: swap. */
        for (size_t i = 0; i < g->n_heads; i++) {
                theme_renderer_free(g->heads[i].renderer);
                g->heads[i].renderer = rs[i];
        }
        free(rs);
        gfx_fonts_free(g->fonts);
        theme_free(g->theme);
        g->fonts = fonts;
        g->theme = t;
        return 0;
fail:
        for (size_t i = 0; rs && i < g->n_heads; i++)
                theme_renderer_free(rs[i]);
        free(rs);
        gfx_fonts_free(fonts);
        theme_free(t);
        return r;
}

static int gfx_hotplug(struct ui *ui)
{
        struct gfx_ui *g = to_gfx(ui);
        struct gfx_head *heads;
        size_t n = 0;
        int r;

        if (g->set.kind != OUTPUT_KIND_DRM)
                return -EOPNOTSUPP; /* fbdev, a file: the application may switch to DRM */
        r = output_drm_rescan(&g->set);
        if (r <= 0)
                return r == -EOPNOTSUPP ? -EIO : r;
        /* The set changed: one head per output again, each laid out at its own size. */
        heads = calloc(g->set.n + 1, sizeof(*heads));
        if (!heads)
                return -ENOMEM;
        for (size_t i = 0; i < g->n_heads; i++)
                head_done(&g->heads[i]);
        free(g->heads);
        g->heads = heads;
        for (size_t i = 0; i < g->set.n; i++)
                if (head_init(g, &heads[n], g->set.items[i], NULL) >= 0)
                        n++;
        g->n_heads = n;
        return 1;
}

/* On the first head that draws: a touch screen is the built-in panel, which the kernel lists
 * first (eDP, LVDS, DSI), and a tablet covers the whole of one screen. */
static int gfx_menu_clipped(struct ui *ui, const struct ui_view *v)
{
        struct gfx_ui *g = to_gfx(ui);
        size_t most = 0;

        for (size_t i = 0; i < g->n_heads; i++)
                if (!g->heads[i].broken)
                        most = MAX(most, theme_renderer_menu_clipped(g->heads[i].renderer, v));
        return (int) MIN(most, (size_t) INT_MAX);
}

static int gfx_hit_test(struct ui *ui, const struct ui_view *v, unsigned x, unsigned y,
                        size_t *item)
{
        struct gfx_ui *g = to_gfx(ui);

        for (size_t i = 0; i < g->n_heads; i++) {
                struct gfx_head *h = &g->heads[i];
                int px, py;

                if (h->broken)
                        continue;
                px = (int) ((unsigned long long) MIN(x, UI_POINT_UNIT) *
                            (unsigned) MAX(h->out->width - 1, 0) / UI_POINT_UNIT);
                py = (int) ((unsigned long long) MIN(y, UI_POINT_UNIT) *
                            (unsigned) MAX(h->out->height - 1, 0) / UI_POINT_UNIT);
                return theme_renderer_hit_test(h->renderer, v, px, py, item);
        }
        return -ENOENT;
}

static int gfx_set_scale(struct ui *ui, int scale)
{
        struct gfx_ui *g = to_gfx(ui);
        struct theme_renderer **rs = calloc(g->n_heads + 1, sizeof(*rs));
        int r = 0, old = g->forced_scale;

        if (!rs)
                return -ENOMEM;
        g->forced_scale = scale;
        for (size_t i = 0; i < g->n_heads && r >= 0; i++) {
                struct output *o = g->heads[i].out;

                r = theme_renderer_new_scaled(g->theme, g->fonts, o->width, o->height,
                                              head_display_scale(g, o), NULL, &rs[i]);
        }
        for (size_t i = 0; i < g->n_heads; i++) {
                if (r < 0) {
                        theme_renderer_free(rs[i]);
                        continue;
                }
                theme_renderer_free(g->heads[i].renderer);
                g->heads[i].renderer = rs[i];
                log_info("%s: scale %d%%", g->heads[i].out->name, theme_renderer_scale(rs[i]));
        }
        free(rs);
        if (r < 0)
                g->forced_scale = old;
        return r;
}

static size_t gfx_screens(struct ui *ui, struct ui_screen_info *out, size_t max)
{
        struct gfx_ui *g = to_gfx(ui);
        size_t n = 0;

        for (size_t i = 0; i < g->n_heads && n < max; i++, n++) {
                const struct output *o = g->heads[i].out;

                out[n] =
                        (struct ui_screen_info){.w = o->width,
                                                .h = o->height,
                                                .scale = theme_renderer_scale(g->heads[i].renderer),
                                                .mapped = o->mapped};
                snprintf(out[n].name, sizeof(out[n].name), "%s", o->name);
        }
        return n;
}

static const struct ui_ops gfx_ops = {
        .name = "graphics",
        .menu_rows = gfx_menu_rows,
        .pager_rows = gfx_pager_rows,
        .render = gfx_render,
        .resize = gfx_resize,
        .release = gfx_release,
        .free = gfx_free,
        .set_theme = gfx_set_theme,
        .hotplug = gfx_hotplug,
        .hit_test = gfx_hit_test,
        .menu_clipped = gfx_menu_clipped,
        .set_scale = gfx_set_scale,
        .screens = gfx_screens,
};

int gfx_ui_new(struct output_set *outputs, const struct theme_location *loc,
               struct diag_list *diags, struct ui **ret)
{
        return gfx_ui_new_scaled(outputs, loc, 0, diags, ret);
}

int gfx_ui_new_scaled(struct output_set *outputs, const struct theme_location *loc,
                      int forced_scale, struct diag_list *diags, struct ui **ret)
{
        struct gfx_ui *g;
        int r;

        if (outputs->n == 0)
                return -ENODEV;
        g = calloc(1, sizeof(*g));
        if (!g)
                return -ENOMEM;
        g->ui = (struct ui){.ops = &gfx_ops, .data = g};
        g->forced_scale = forced_scale;
        r = load_theme(loc, diags, &g->theme, &g->fonts);
        if (r < 0)
                goto fail;
        g->heads = calloc(outputs->n, sizeof(*g->heads));
        if (!g->heads) {
                r = -ENOMEM;
                goto fail;
        }
        g->set = *outputs;
        *outputs = (struct output_set){0};
        for (size_t i = 0; i < g->set.n; i++)
                if (head_init(g, &g->heads[g->n_heads], g->set.items[i],
                              g->n_heads == 0 ? diags : NULL) >= 0)
                        g->n_heads++;
        if (g->n_heads == 0) {
                r = -ENODEV;
                goto fail;
        }
        *ret = &g->ui;
        return 0;
fail:
        gfx_free(&g->ui);
        return r;
}
