/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Drawing a struct ui_view with a GRUB-syntax theme onto a canvas, at one output's resolution.
 * Pure logic (canvas, fonts, images already decoded). */
#pragma once

#include "../gfx/canvas.h"
#include "../gfx/font.h"
#include "../ui/ui.h"
#include "theme.h"

struct theme_renderer;

/* The pixels of all the images of a theme together (decoded sizes: the desktop image, image
 * components, box pieces, icons), per renderer: 32 Mi, an 8K photo (7680x4320) and more. An image
 * that does not fit is not drawn, with a diagnostic. */
#define THEME_IMAGES_MAX_PIXELS (1ULL << 25)

/* fonts: the registry (shared by every output). The renderer keeps its own scaled images and
 * layout for w x h. diags (NULL: none): problems found while laying out (an image over the
 * budget). */
int theme_renderer_new(const struct theme *t, struct gfx_fonts *fonts, int w, int h,
                       struct diag_list *diags, struct theme_renderer **ret);
/* The same on a screen whose display scale (HiDPI: theme_display_scale(), or the user's
 * `scale`) is display_scale percent (0 or 100: none); see theme_scale_percent(). */
int theme_renderer_new_scaled(const struct theme *t, struct gfx_fonts *fonts, int w, int h,
                              int display_scale, struct diag_list *diags,
                              struct theme_renderer **ret);
/* The scale (percent) the renderer draws at. */
int theme_renderer_scale(const struct theme_renderer *r);
struct theme_renderer *theme_renderer_free(struct theme_renderer *r);

/* Draws v onto c (c is w x h). The first call, and the first after theme_renderer_invalidate(),
 * draws everything; later calls redraw only what changed since the previous call (the selection
 * moved: the two items; the countdown ticked: its components; …), by setting the canvas clip to
 * the damaged rects and drawing the scene clipped. Dirty rects are marked on the canvas. */
void theme_renderer_draw(struct theme_renderer *r, const struct ui_view *v, struct gfx_canvas *c);
/* What theme_renderer_draw_banded() hands over: one band of the screen (a canvas from
 * gfx_canvas_band()) and its rects drawn. */
typedef void (*theme_band_fn)(void *userdata, const struct gfx_canvas *band,
                              const struct gfx_rect *dirty, size_t n_dirty);
/* Draws v as theme_renderer_draw() does, without a canvas of the screen's size: each band of
 * band_rows rows (px: w * band_rows pixels) that the damage reaches is drawn (from the static
 * layer, as a whole canvas would get it) and handed to put(), e.g. to be copied into the scan-out
 * buffer. The damaged rects (at most THEME_DAMAGE_MAX; max must be at least that) go to ret, for
 * the device's flush; returns their number (0 when nothing was drawn). */
#define THEME_DAMAGE_MAX 8
size_t theme_renderer_draw_banded(struct theme_renderer *r, const struct ui_view *v, uint32_t *px,
                                  int band_rows, theme_band_fn put, void *userdata,
                                  struct gfx_rect *ret, size_t max);
void theme_renderer_invalidate(struct theme_renderer *r);

/* How many menu rows the boot_menu shows at this size (for menu_set_rows), and pager lines. */
unsigned theme_renderer_menu_rows(struct theme_renderer *r, const struct ui_view *v);
unsigned theme_renderer_pager_rows(struct theme_renderer *r);
/* How many of the view's menu entries are wider than the first boot_menu's text viewport, in
 * the wider of its two fonts (they would be cut when shown): 0 when every title fits. */
size_t theme_renderer_menu_clipped(struct theme_renderer *r, const struct ui_view *v);
/* The menu entry drawn at pixel x, y for the view (its index into v->items, the scrolling of
 * v->menu applied): 0, or -ENOENT when the point is on no entry of the first boot_menu (or v is
 * not the menu screen). */
int theme_renderer_hit_test(struct theme_renderer *r, const struct ui_view *v, int x, int y,
                            size_t *item);
