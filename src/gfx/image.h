/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Images in: PNG (libpng: 8/16-bit, palette, grey, alpha, interlaced), JPEG (libjpeg-turbo, what
 * GRUB's reader shows: image-jpeg.c) and TGA (GRUB's set: image-tga.c), loaded as premultiplied
 * ARGB; PNG out. Oversized images are refused before any pixel memory is allocated. */
#pragma once

#include "canvas.h"

#define GFX_IMAGE_MAX_SIDE   16384
#define GFX_IMAGE_MAX_PIXELS (8192L * 8192L)

/* On failure returns -errno and *ret_error says why ("… is 30000x30000, larger than …",
 * "… is not a PNG file", "… is damaged: …"). */
int gfx_image_load_png(const char *path, struct gfx_image *ret, char **ret_error);
/* From an open file (read from its start; fd stays open), name standing for it in messages.
 * budget (NULL: none) is the pixels the caller has left (of a theme's images together): an image
 * with more is refused with -E2BIG from its header, before any pixel memory is allocated; an
 * image whose decoding starts takes its pixels off, whether the data then proves good or not. */
int gfx_image_load_png_fd(int fd, const char *name, unsigned long long *budget,
                          struct gfx_image *ret, char **ret_error);
/* The size in the header of the PNG open on fd (nothing decoded): 0, or -EBADMSG (not a PNG,
 * no IHDR), -EFBIG (over the limits above) with *ret_error saying why. */
int gfx_image_png_size_fd(int fd, const char *name, int *ret_w, int *ret_h, char **ret_error);
int gfx_image_load_png_memory(const void *data, size_t len, struct gfx_image *ret,
                              char **ret_error);
/* The same, with name standing for the data in messages (gfx_image_load_png_memory() says
 * "PNG data"). */
int gfx_image_load_png_memory_named(const void *data, size_t len, const char *name,
                                    struct gfx_image *ret, char **ret_error);
/* The readers GRUB has (its png, jpeg and tga modules). */
enum gfx_image_kind {
        GFX_IMAGE_NONE,
        GFX_IMAGE_PNG,
        GFX_IMAGE_JPEG,
        GFX_IMAGE_TGA,
};

/* GRUB's rule (video/bitmap.c): the reader is picked by the end of the file name, compared
 * without case: .png, .jpg or .jpeg, .tga; anything else is no image GRUB shows. */
enum gfx_image_kind gfx_image_kind_of_name(const char *name);
/* By the first bytes: the PNG signature, a JPEG's SOI marker; NONE otherwise (TGA has none). */
enum gfx_image_kind gfx_image_kind_of_content(const void *data, size_t len);
const char *gfx_image_kind_name(enum gfx_image_kind kind); /* "PNG", "JPEG", "TGA" */

/* Loads the image open on fd (read from its start; fd stays open) with the reader GRUB would use
 * for name (gfx_image_kind_of_name()). A name without one of GRUB's extensions is refused with
 * -ENOTSUP; a file whose first bytes are another format's (a JPEG named .png) with -EBADMSG, as
 * GRUB's reader for the extension fails on it; a JPEG GRUB's reader cannot show (progressive,
 * CMYK, ...) with -ENOTSUP. budget as gfx_image_load_png_fd(). *ret_error says why. */
int gfx_image_load_fd(int fd, const char *name, unsigned long long *budget, struct gfx_image *ret,
                      char **ret_error);
/* The size from the header of the image open on fd, checked as gfx_image_load_fd() checks it
 * before decoding (nothing decoded, no budget spent). */
int gfx_image_size_fd(int fd, const char *name, int *ret_w, int *ret_h, char **ret_error);
/* gfx_image_load_fd() of data in memory; name picks the reader. */
int gfx_image_load_memory_as(const void *data, size_t len, const char *name,
                             unsigned long long *budget, struct gfx_image *ret, char **ret_error);
/* Writes an XRGB canvas (or part) as an RGB PNG. */
int gfx_canvas_write_png(const struct gfx_canvas *c, const char *path);
/* Writes an image (un-premultiplied, RGBA). */
int gfx_image_write_png(const struct gfx_image *img, const char *path);
