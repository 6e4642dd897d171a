/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Compares two PNG files with a tolerance: pngdiff EXPECTED ACTUAL DIFF.png [MAX_DELTA]
 * [MAX_BAD_PERMILLE] [half]. With "half", ACTUAL is first shrunk to half its size (2x2 box
 * filter): a 4K rendering compared with the 1080p one shows whether the layout scaled. A pixel is
 * bad when a channel differs by more than MAX_DELTA (default 48, so antialiasing differences
 * between FreeType builds pass); the images match when at most MAX_BAD_PERMILLE per mille of the
 * pixels are bad (default 2). On a mismatch DIFF.png shows the bad pixels in red over a dimmed copy
 * of the expected image. Exit 0 match, 1 mismatch, 2 error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gfx/image.h"

static int channel(uint32_t p, int shift)
{
        return (int) ((p >> shift) & 0xff);
}

int main(int argc, char **argv)
{
        struct gfx_image a = {0}, b = {0}, d = {0};
        char *err = NULL;
        long bad = 0, total;
        int delta = argc > 4 ? atoi(argv[4]) : 48, permille = argc > 5 ? atoi(argv[5]) : 2;

        if (argc < 4) {
                fprintf(stderr, "usage: pngdiff EXPECTED ACTUAL DIFF.png [MAX_DELTA] [PERMILLE]\n");
                return 2;
        }
        if (gfx_image_load_png(argv[1], &a, &err) < 0 ||
            gfx_image_load_png(argv[2], &b, &err) < 0) {
                fprintf(stderr, "pngdiff: %s\n", err ? err : "cannot load");
                return 2;
        }
        if (argc > 6 && strcmp(argv[6], "half") == 0) {
                struct gfx_image h = {0};

                if (gfx_image_new(b.w / 2, b.h / 2, &h) < 0)
                        return 2;
                for (int y = 0; y < h.h; y++)
                        for (int x = 0; x < h.w; x++) {
                                const uint32_t *p = b.px + (size_t) (2 * y) * b.w + 2 * x;
                                uint32_t q[4] = {p[0], p[1], p[b.w], p[b.w + 1]}, v = 0;

                                for (int s = 0; s <= 24; s += 8) {
                                        unsigned sum = 0;
                                        for (int k = 0; k < 4; k++)
                                                sum += (q[k] >> s) & 0xff;
                                        v |= ((sum + 2) / 4) << s;
                                }
                                h.px[(size_t) y * h.w + x] = v;
                        }
                gfx_image_done(&b);
                b = h;
        }
        if (a.w != b.w || a.h != b.h) {
                printf("size differs: %dx%d expected, %dx%d now\n", a.w, a.h, b.w, b.h);
                gfx_image_done(&a);
                gfx_image_done(&b);
                return 1;
        }
        if (gfx_image_new(a.w, a.h, &d) < 0)
                return 2;
        total = (long) a.w * a.h;
        for (long i = 0; i < total; i++) {
                uint32_t p = a.px[i], q = b.px[i];
                int m = 0;

                for (int s = 0; s <= 24; s += 8) {
                        int k = abs(channel(p, s) - channel(q, s));
                        m = k > m ? k : m;
                }
                if (m > delta) {
                        bad++;
                        d.px[i] = 0xffff0000u;
                } else
                        d.px[i] = 0xff000000u | ((p >> 2) & 0x3f3f3f);
        }
        if (bad * 1000 > total * permille) {
                printf("%ld of %ld pixels differ (more than %d per mille); diff in %s\n", bad,
                       total, permille, argv[3]);
                gfx_image_write_png(&d, argv[3]);
        } else
                printf("match (%ld of %ld pixels differ)\n", bad, total);
        gfx_image_done(&a);
        gfx_image_done(&b);
        gfx_image_done(&d);
        return bad * 1000 > total * permille ? 1 : 0;
}
