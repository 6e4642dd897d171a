/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PNG in and out with libpng: 8/16-bit, palette, grey, alpha, interlaced; loaded as premultiplied
 * ARGB. Oversized images are refused before any pixel memory is allocated. */
#pragma once

#include "canvas.h"

#define GFX_IMAGE_MAX_SIDE   16384
#define GFX_IMAGE_MAX_PIXELS (8192L * 8192L)

/* On failure returns -errno and *ret_error says why ("… is 30000x30000, larger than …",
 * "… is not a PNG file", "… is damaged: …"). */
int gfx_image_load_png(const char *path, struct gfx_image *ret, char **ret_error);
int gfx_image_load_png_memory(const void *data, size_t len, struct gfx_image *ret,
                              char **ret_error);
/* The same, with name standing for the data in messages (gfx_image_load_png_memory() says
 * "PNG data"). */
int gfx_image_load_png_memory_named(const void *data, size_t len, const char *name,
                                    struct gfx_image *ret, char **ret_error);
/* Writes an XRGB canvas (or part) as an RGB PNG. */
int gfx_canvas_write_png(const struct gfx_canvas *c, const char *path);
/* Writes an image (un-premultiplied, RGBA). */
int gfx_image_write_png(const struct gfx_image *img, const char *path);
