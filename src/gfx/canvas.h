/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Drawing core: an XRGB8888 shadow canvas with clipping and dirty rectangles, premultiplied-ARGB
 * images, fills, alpha blending, scaling and 9-slice boxes. Pure logic: no I/O, no hardware. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gfx_rect {
        int x, y, w, h;
};

/* Colours are 0xAARRGGBB, not premultiplied (as a theme gives them). */
#define GFX_ARGB(a, r, g, b) \
        ((uint32_t) (a) << 24 | (uint32_t) (r) << 16 | (uint32_t) (g) << 8 | (uint32_t) (b))

/* An image in premultiplied ARGB8888, rows of w pixels. */
struct gfx_image {
        int w, h;
        uint32_t *px;
        bool opaque; /* every pixel has alpha 255 (set by the loader and the scaler; rows are then
                      * copied, not blended). Leave false when unsure. */
};

#define GFX_DIRTY_MAX 16

struct gfx_canvas {
        int w, h;
        uint32_t *px; /* XRGB8888, row stride = w: rows band_y .. band_y + band_h - 1 of the w x h
                       * canvas (all h rows when band_h is 0; see gfx_canvas_band()) */
        int band_y, band_h;
        struct gfx_rect clip; /* drawing is limited to this rect (within the canvas) */
        struct gfx_rect dirty[GFX_DIRTY_MAX];
        size_t n_dirty; /* when full, rects are merged into their bounding box */
};

bool gfx_rect_empty(const struct gfx_rect *r);
struct gfx_rect gfx_rect_intersect(const struct gfx_rect *a, const struct gfx_rect *b);
struct gfx_rect gfx_rect_union(const struct gfx_rect *a, const struct gfx_rect *b);

int gfx_canvas_init(struct gfx_canvas *c, int w, int h); /* black, whole canvas dirty */
/* A band of a w x h canvas: only rows y .. y + rows - 1 are held, in px (w * rows pixels, the
 * caller's; their content is kept). Drawing is clipped to the band, so a scene drawn over the
 * whole canvas fills the band with exactly the pixels a whole canvas would get there; the clip
 * is the band, nothing is dirty. Not for gfx_canvas_done() or gfx_canvas_image(). */
void gfx_canvas_band(struct gfx_canvas *c, int w, int h, uint32_t *px, int y, int rows);
/* The pixels of row y (which must be within the band the canvas holds). */
static inline uint32_t *gfx_canvas_row(const struct gfx_canvas *c, int y)
{
        return c->px + (size_t) (y - c->band_y) * (size_t) c->w;
}
void gfx_canvas_done(struct gfx_canvas *c);
void gfx_canvas_set_clip(struct gfx_canvas *c, const struct gfx_rect *r); /* NULL = whole */
void gfx_canvas_mark_dirty(struct gfx_canvas *c, const struct gfx_rect *r);
/* Copies the dirty rects out (at most max) and clears them; returns how many. */
size_t gfx_canvas_take_dirty(struct gfx_canvas *c, struct gfx_rect *out, size_t max);

/* Fill with a colour; alpha < 255 blends. Marks dirty. */
void gfx_fill(struct gfx_canvas *c, const struct gfx_rect *r, uint32_t argb);
/* Draws img with its top-left at (x, y), alpha-blended. Marks dirty. */
void gfx_draw_image(struct gfx_canvas *c, const struct gfx_image *img, int x, int y);
/* Draws the part src of img at (x, y). */
void gfx_draw_image_part(struct gfx_canvas *c, const struct gfx_image *img,
                         const struct gfx_rect *src, int x, int y);
/* Draws img stretched over r, bilinear: the same pixels as gfx_image_scale() then
 * gfx_draw_image(), but only the visible (clipped) part is sampled, with no copy. Callers that
 * draw a large image often should still cache gfx_image_scale() themselves. */
void gfx_draw_image_stretched(struct gfx_canvas *c, const struct gfx_image *img,
                              const struct gfx_rect *r);
/* An 8-bit coverage mask (e.g. a glyph) in one colour at (x, y). */
void gfx_draw_mask(struct gfx_canvas *c, const uint8_t *mask, int w, int h, int pitch, int x, int y,
                   uint32_t argb);
/* Draws img repeated from r's top-left corner to fill r. Marks dirty. */
void gfx_draw_image_tiled(struct gfx_canvas *c, const struct gfx_image *img,
                          const struct gfx_rect *r);
/* A view of the canvas as an opaque image (not owned: do not gfx_image_done() it), e.g. to copy a
 * cached static layer into another canvas with gfx_draw_image_part() (rows are memcpy'd). Canvas
 * pixels always have 0xFF in the X byte. */
struct gfx_image gfx_canvas_image(const struct gfx_canvas *c);

int gfx_image_new(int w, int h, struct gfx_image *ret); /* transparent */
void gfx_image_done(struct gfx_image *img);
/* Scaled copy, with GRUB's bilinear filter to the bit (canvas.c: corners aligned, one truncation,
 * the last source row and column not interpolated). */
int gfx_image_scale(const struct gfx_image *src, int w, int h, struct gfx_image *ret);
/* Recomputes img->opaque after the caller wrote pixels itself. */
void gfx_image_update_opaque(struct gfx_image *img);

/* A GRUB styled box: 9 pieces (NULL or empty images tolerated), as GRUB's gui_box draws it:
 * corners at their size, edges stretched along one axis, the centre stretched both ways. */
enum gfx_box_piece {
        GFX_BOX_NW,
        GFX_BOX_N,
        GFX_BOX_NE,
        GFX_BOX_W,
        GFX_BOX_C,
        GFX_BOX_E,
        GFX_BOX_SW,
        GFX_BOX_S,
        GFX_BOX_SE,
        _GFX_BOX_MAX,
};
struct gfx_box {
        struct gfx_image piece[_GFX_BOX_MAX]; /* w == 0 means missing */
};
/* The padding the box adds around content (GRUB: left = W width, top = N height, …). */
void gfx_box_pads(const struct gfx_box *b, int *left, int *top, int *right, int *bottom);
/* Draws the box so that its content area is r (the frame goes around r). */
void gfx_box_draw(struct gfx_canvas *c, const struct gfx_box *b, const struct gfx_rect *content);
void gfx_box_done(struct gfx_box *b);
