/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the image readers (image.c: PNG, image-jpeg.c, image-tga.c) share. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/util.h"
#include "canvas.h"

/* *ret_error (freed first; NULL: nothing) = the formatted message. */
void gfx_image_set_error(char **ret_error, const char *fmt, ...) _printf_(2, 3);
#define set_error gfx_image_set_error

/* The limits of image.h and the caller's budget (NULL: none): 0, -EFBIG, or -E2BIG. */
int gfx_image_check_size(unsigned long w, unsigned long h, const char *name,
                         const unsigned long long *budget, char **ret_error);

/* An image whose w x h pixels a file of size bytes cannot hold (at most max_pixels: what its
 * format's best compression gives from that many bytes) is damaged: -EBADMSG, saying so, before
 * any pixel memory or budget is spent. 0 when it can. */
int gfx_image_check_holds(unsigned long w, unsigned long h, unsigned long long max_pixels,
                          unsigned long long size, const char *name, char **ret_error);

/* Straight 0xAARRGGBB to premultiplied, in place; true when every pixel is opaque. */
bool gfx_image_premultiply(uint32_t *px, size_t n);

/* Where a reader's bytes come from: a FILE (read from its current position) or memory. */
struct gfx_image_src {
        FILE *f;
        const uint8_t *data;
        size_t len, pos;
};

/* Up to n bytes into buf: how many were there. */
size_t gfx_image_src_read(struct gfx_image_src *s, void *buf, size_t n);

/* The source's size in bytes (a FILE: its file's; UINT64_MAX when unknown). */
uint64_t gfx_image_src_size(struct gfx_image_src *s);

/* n bytes at offset off, without moving a FILE's position: how many were there. */
size_t gfx_image_src_pread(struct gfx_image_src *s, uint64_t off, void *buf, size_t n);

/* The readers: with ret NULL, only the header is read and checked (*ret_w, *ret_h; no budget
 * spent); else the image is decoded (its pixels taken off *budget once decoding starts).
 * 0, or -errno with *ret_error saying why. */
int gfx_image_jpeg_read(struct gfx_image_src *s, const char *name, unsigned long long *budget,
                        struct gfx_image *ret, int *ret_w, int *ret_h, char **ret_error);
int gfx_image_tga_read(struct gfx_image_src *s, const char *name, unsigned long long *budget,
                       struct gfx_image *ret, int *ret_w, int *ret_h, char **ret_error);
