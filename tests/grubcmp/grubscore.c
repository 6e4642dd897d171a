/* SPDX-License-Identifier: GPL-2.0-or-later */
/* How far two screens are apart, as a person sees it from a step back:
 *
 *   grubscore A.png B.png [--cell N] [--pair OUT.png WIDTH] [--crop X Y W H] [--heat OUT.png]
 *
 * Both images (same size) are cut into a grid of N x N pixel cells (default 24: 80 x 45 cells at
 * 1920x1080); each cell's mean colour is compared, and a cell's difference is the mean of the
 * absolute differences of its red, green and blue means (0..255). Prints one line:
 *
 *   score MEAN worst MAX at X,Y cells COUNT visible SEEN
 *
 * MEAN over all cells, MAX the worst cell (X,Y its top-left pixel), SEEN the number of cells that
 * differ by more than 8 (a glyph or a thin line's worth: a difference one sees). Averaging over a
 * cell forgives what one does not see (antialiasing, a glyph's hinting, a one-pixel shift), while a
 * row, a box or a picture in the wrong place, a wrong colour or a missing text changes many cells.
 * --pair writes A | B side by side, scaled to WIDTH pixels in all (box filter), for the docs
 * (--crop: of that rectangle only);
 * --heat writes the cells' differences as a grey map over a dimmed A (red: worst). Exit 0, or 2
 * on an error (unreadable file, different sizes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gfx/image.h"

static double chan(uint32_t p, int shift)
{
        return (double) ((p >> shift) & 0xff);
}

/* Mean colour of the cell (premultiplied ARGB over black: screenshots are opaque). */
static void cell_mean(const struct gfx_image *img, int x0, int y0, int n, double m[3])
{
        int x1 = x0 + n > img->w ? img->w : x0 + n, y1 = y0 + n > img->h ? img->h : y0 + n;
        double s[3] = {0, 0, 0};
        long count = (long) (x1 - x0) * (y1 - y0);

        for (int y = y0; y < y1; y++)
                for (int x = x0; x < x1; x++) {
                        uint32_t p = img->px[(size_t) y * img->w + x];

                        s[0] += chan(p, 16);
                        s[1] += chan(p, 8);
                        s[2] += chan(p, 0);
                }
        for (int c = 0; c < 3; c++)
                m[c] = count ? s[c] / (double) count : 0;
}

/* Box-filtered copy of src into dst at (dx, 0), dw x dh pixels. */
static void scale_into(const struct gfx_image *src, struct gfx_image *dst, int dx, int dw, int dh)
{
        for (int y = 0; y < dh; y++) {
                int sy0 = (int) ((long) y * src->h / dh),
                    sy1 = (int) ((long) (y + 1) * src->h / dh);

                sy1 = sy1 > sy0 ? sy1 : sy0 + 1;
                for (int x = 0; x < dw; x++) {
                        int sx0 = (int) ((long) x * src->w / dw);
                        int sx1 = (int) ((long) (x + 1) * src->w / dw);
                        double s[3] = {0, 0, 0};
                        long count = 0;

                        sx1 = sx1 > sx0 ? sx1 : sx0 + 1;
                        for (int sy = sy0; sy < sy1; sy++)
                                for (int sx = sx0; sx < sx1; sx++) {
                                        uint32_t p = src->px[(size_t) sy * src->w + sx];

                                        s[0] += chan(p, 16);
                                        s[1] += chan(p, 8);
                                        s[2] += chan(p, 0);
                                        count++;
                                }
                        dst->px[(size_t) y * dst->w + dx + x] =
                                0xff000000u | (uint32_t) (s[0] / count + 0.5) << 16 |
                                (uint32_t) (s[1] / count + 0.5) << 8 |
                                (uint32_t) (s[2] / count + 0.5);
                }
        }
}

/* The rectangle (clipped to the image) as a new image. */
static int crop(const struct gfx_image *src, const int r[4], struct gfx_image *ret)
{
        int x = r[0] < 0 ? 0 : r[0], y = r[1] < 0 ? 0 : r[1];
        int w = x + r[2] > src->w ? src->w - x : r[2], h = y + r[3] > src->h ? src->h - y : r[3];

        if (w < 1 || h < 1 || gfx_image_new(w, h, ret) < 0)
                return -1;
        for (int row = 0; row < h; row++)
                memcpy(ret->px + (size_t) row * w, src->px + (size_t) (y + row) * src->w + x,
                       (size_t) w * sizeof(uint32_t));
        return 0;
}

static int write_pair(const struct gfx_image *a, const struct gfx_image *b, const char *out,
                      int width)
{
        struct gfx_image p = {0};
        int gap = 4, half = (width - gap) / 2, h = (int) ((long) half * a->h / a->w);
        int r;

        if (half < 1 || h < 1 || gfx_image_new(2 * half + gap, h, &p) < 0)
                return -1;
        for (size_t i = 0; i < (size_t) p.w * p.h; i++)
                p.px[i] = 0xffffffffu;
        scale_into(a, &p, 0, half, h);
        scale_into(b, &p, half + gap, half, h);
        p.opaque = true;
        r = gfx_image_write_png(&p, out);
        gfx_image_done(&p);
        return r;
}

int main(int argc, char **argv)
{
        struct gfx_image a = {0}, b = {0};
        const char *pair = NULL, *heat = NULL;
        int rect[4] = {0, 0, 0, 0};
        int cell = 24, pair_width = 1280, wx = 0, wy = 0, cols, rows;
        double sum = 0, worst = -1, *diff;
        int seen = 0;
        char *err = NULL;

        if (argc < 3) {
                fprintf(stderr, "usage: grubscore A.png B.png [--cell N] [--pair OUT.png WIDTH] "
                                "[--heat OUT.png]\n");
                return 2;
        }
        for (int i = 3; i < argc; i++) {
                if (strcmp(argv[i], "--cell") == 0 && i + 1 < argc)
                        cell = atoi(argv[++i]);
                else if (strcmp(argv[i], "--pair") == 0 && i + 2 < argc) {
                        pair = argv[++i];
                        pair_width = atoi(argv[++i]);
                } else if (strcmp(argv[i], "--crop") == 0 && i + 4 < argc) {
                        for (int k = 0; k < 4; k++)
                                rect[k] = atoi(argv[++i]);
                } else if (strcmp(argv[i], "--heat") == 0 && i + 1 < argc)
                        heat = argv[++i];
                else {
                        fprintf(stderr, "grubscore: unknown argument %s\n", argv[i]);
                        return 2;
                }
        }
        if (cell < 1 || cell > 1024) {
                fprintf(stderr, "grubscore: bad cell size\n");
                return 2;
        }
        if (gfx_image_load_png(argv[1], &a, &err) < 0 ||
            gfx_image_load_png(argv[2], &b, &err) < 0) {
                fprintf(stderr, "grubscore: %s\n", err ? err : "cannot load");
                free(err);
                return 2;
        }
        if (a.w != b.w || a.h != b.h) {
                fprintf(stderr, "grubscore: sizes differ: %dx%d and %dx%d\n", a.w, a.h, b.w, b.h);
                return 2;
        }
        cols = (a.w + cell - 1) / cell;
        rows = (a.h + cell - 1) / cell;
        diff = calloc((size_t) cols * rows, sizeof(*diff));
        if (!diff)
                return 2;
        for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++) {
                        double ma[3], mb[3], d = 0;

                        cell_mean(&a, c * cell, r * cell, cell, ma);
                        cell_mean(&b, c * cell, r * cell, cell, mb);
                        for (int k = 0; k < 3; k++)
                                d += (ma[k] > mb[k] ? ma[k] - mb[k] : mb[k] - ma[k]) / 3;
                        diff[r * cols + c] = d;
                        sum += d;
                        seen += d > 8;
                        if (d > worst) {
                                worst = d;
                                wx = c * cell;
                                wy = r * cell;
                        }
                }
        printf("score %.3f worst %.1f at %d,%d cells %d visible %d\n", sum / (cols * rows), worst,
               wx, wy, cols * rows, seen);
        if (pair) {
                struct gfx_image ca = {0}, cb = {0};
                int r = rect[2] > 0 ? crop(&a, rect, &ca) | crop(&b, rect, &cb) : 0;

                if (r < 0 || write_pair(rect[2] > 0 ? &ca : &a, rect[2] > 0 ? &cb : &b, pair,
                                        pair_width) < 0) {
                        fprintf(stderr, "grubscore: cannot write %s\n", pair);
                        return 2;
                }
                gfx_image_done(&ca);
                gfx_image_done(&cb);
        }
        if (heat) {
                for (int y = 0; y < a.h; y++)
                        for (int x = 0; x < a.w; x++) {
                                double d = diff[(y / cell) * cols + x / cell];
                                uint32_t p = a.px[(size_t) y * a.w + x],
                                         v = d > 255 ? 255 : (uint32_t) d;

                                v = v * 4 > 255 ? 255 : v * 4;
                                a.px[(size_t) y * a.w + x] = 0xff000000u | v << 16 |
                                                             ((p >> 10) & 0x3f) << 8 |
                                                             ((p >> 2) & 0x3f);
                        }
                a.opaque = true;
                if (gfx_image_write_png(&a, heat) < 0) {
                        fprintf(stderr, "grubscore: cannot write %s\n", heat);
                        return 2;
                }
        }
        free(diff);
        gfx_image_done(&a);
        gfx_image_done(&b);
        return 0;
}
