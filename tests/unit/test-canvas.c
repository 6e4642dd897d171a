/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include "gfx/canvas.h"
#include "core/util.h"

#define PX(c, x, y) ((c)->px[(size_t) (y) * (c)->w + (x)])
#define GREY(v)     GFX_ARGB(255, (v), (v), (v))

/* Expected values, written the slow way. */
static uint32_t ch(uint32_t p, int k)
{
        return (p >> (8 * k)) & 0xFF;
}

/* Rounded: premultiplying a loaded image. */
static uint32_t div255(uint32_t x)
{
        return (x + 127) / 255;
}

/* Truncated: blending, as GRUB's fbblit.c does ((s * a + d * (255 - a)) / 255). */
static uint32_t div255_floor(uint32_t x)
{
        return x / 255;
}

/* Colour c (straight) with alpha a over canvas pixel d. */
static uint32_t expect_lerp(uint32_t c, uint32_t d, uint32_t a)
{
        uint32_t r = 0xFF000000u;

        for (int k = 0; k < 3; k++)
                r |= div255_floor(ch(c, k) * a + ch(d, k) * (255 - a)) << (8 * k);
        return r;
}

/* Premultiplied s over canvas pixel d. */
static uint32_t expect_over(uint32_t s, uint32_t d)
{
        uint32_t a = s >> 24, r = 0xFF000000u;

        for (int k = 0; k < 3; k++)
                r |= (ch(s, k) + div255_floor(ch(d, k) * (255 - a))) << (8 * k);
        return r;
}

static uint32_t premul(uint32_t argb)
{
        uint32_t a = argb >> 24, r = a << 24;

        for (int k = 0; k < 3; k++)
                r |= div255(ch(argb, k) * a) << (8 * k);
        return r;
}

static int solid_image(int w, int h, uint32_t px, struct gfx_image *ret)
{
        int r = gfx_image_new(w, h, ret);

        if (r < 0)
                return r;
        for (int i = 0; i < w * h; i++)
                ret->px[i] = px;
        gfx_image_update_opaque(ret);
        return 0;
}

static bool rect_eq(struct gfx_rect a, int x, int y, int w, int h)
{
        return a.x == x && a.y == y && a.w == w && a.h == h;
}

/* Every pixel outside r still has the value v. */
static bool untouched_outside(const struct gfx_canvas *c, struct gfx_rect r, uint32_t v)
{
        for (int y = 0; y < c->h; y++)
                for (int x = 0; x < c->w; x++) {
                        bool in = x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;

                        if (!in && PX(c, x, y) != v)
                                return false;
                }
        return true;
}

TEST(rect_math)
{
        struct gfx_rect a = {0, 0, 10, 10}, b = {5, 6, 10, 10}, e = {3, 3, 0, 5}, r;

        CHECK(!gfx_rect_empty(&a));
        CHECK(gfx_rect_empty(&e));
        CHECK(gfx_rect_empty(&(struct gfx_rect){0, 0, 5, -1}));
        CHECK(gfx_rect_empty(NULL));
        r = gfx_rect_intersect(&a, &b);
        CHECK(rect_eq(r, 5, 6, 5, 4));
        r = gfx_rect_intersect(&a, &(struct gfx_rect){10, 0, 5, 5}); /* touching only */
        CHECK(gfx_rect_empty(&r));
        r = gfx_rect_intersect(&a, &(struct gfx_rect){2, 3, 4, 5}); /* contained */
        CHECK(rect_eq(r, 2, 3, 4, 5));
        r = gfx_rect_intersect(&a, &e);
        CHECK(gfx_rect_empty(&r));
        r = gfx_rect_union(&a, &b);
        CHECK(rect_eq(r, 0, 0, 15, 16));
        r = gfx_rect_union(&e, &b);
        CHECK(rect_eq(r, 5, 6, 10, 10));
        r = gfx_rect_union(&a, &e);
        CHECK(rect_eq(r, 0, 0, 10, 10));
        r = gfx_rect_union(&(struct gfx_rect){-5, -5, 2, 2}, &a);
        CHECK(rect_eq(r, -5, -5, 15, 15));
}

TEST(canvas_init)
{
        struct gfx_canvas c;
        struct gfx_rect d[GFX_DIRTY_MAX];

        CHECK_INTEQ(gfx_canvas_init(&c, 0, 10), -EINVAL);
        CHECK_INTEQ(gfx_canvas_init(&c, 10, -1), -EINVAL);
        REQUIRE(gfx_canvas_init(&c, 7, 5) == 0);
        CHECK_INTEQ(c.w, 7);
        CHECK_INTEQ(c.h, 5);
        CHECK(rect_eq(c.clip, 0, 0, 7, 5));
        for (int i = 0; i < 35; i++)
                CHECK_INTEQ(c.px[i], 0xFF000000u);
        CHECK_INTEQ(gfx_canvas_take_dirty(&c, d, GFX_DIRTY_MAX), 1);
        CHECK(rect_eq(d[0], 0, 0, 7, 5));
        CHECK_INTEQ(gfx_canvas_take_dirty(&c, d, GFX_DIRTY_MAX), 0);
        gfx_canvas_set_clip(&c, &(struct gfx_rect){-3, 2, 5, 100});
        CHECK(rect_eq(c.clip, 0, 2, 2, 3));
        gfx_canvas_set_clip(&c, NULL);
        CHECK(rect_eq(c.clip, 0, 0, 7, 5));
        gfx_canvas_done(&c);
        CHECK(c.px == NULL);
}

TEST(dirty_merge)
{
        struct gfx_canvas c;
        struct gfx_rect d[GFX_DIRTY_MAX];

        REQUIRE(gfx_canvas_init(&c, 100, 100) == 0);
        gfx_canvas_take_dirty(&c, d, GFX_DIRTY_MAX);

        /* Overlapping. */
        gfx_canvas_mark_dirty(&c, &(struct gfx_rect){0, 0, 10, 10});
        gfx_canvas_mark_dirty(&c, &(struct gfx_rect){5, 5, 10, 10});
        CHECK_INTEQ(gfx_canvas_take_dirty(&c, d, GFX_DIRTY_MAX), 1);
        CHECK(rect_eq(d[0], 0, 0, 15, 15));

        /* Sharing an edge. */
        gfx_canvas_mark_dirty(&c, &(struct gfx_rect){0, 0, 10, 10});
        gfx_canvas_mark_dirty(&c, &(struct gfx_rect){10, 0, 5, 10});
        CHECK_INTEQ(gfx_canvas_take_dirty(&c, d, GFX_DIRTY_MAX), 1);
        CHECK(rect_eq(d[0], 0, 0, 15, 10));
        gfx_canvas_mark_dirty(&c, &(struct gfx_rect){0, 0, 10, 10});
        gfx_canvas_mark_dirty(&c, &(struct gfx_rect){2, 10, 3, 3});
        CHECK_INTEQ(gfx_canvas_take_dirty(&c, d, GFX_DIRTY_MAX), 1);
        CHECK(rect_eq(d[0], 0, 0, 10, 13));

        /* Only a corner in common: kept apart. */
        gfx_canvas_mark_dirty(&c, &(struct gfx_rect){0, 0, 10, 10});
        gfx_canvas_mark_dirty(&c, &(struct gfx_rect){10, 10, 5, 5});
        CHECK_INTEQ(gfx_canvas_take_dirty(&c, d, GFX_DIRTY_MAX), 2);

        /* Contained. */
        gfx_canvas_mark_dirty(&c, &(struct gfx_rect){0, 0, 10, 10});
        gfx_canvas_mark_dirty(&c, &(struct gfx_rect){2, 2, 3, 3});
        CHECK_INTEQ(gfx_canvas_take_dirty(&c, d, GFX_DIRTY_MAX), 1);
        CHECK(rect_eq(d[0], 0, 0, 10, 10));

        /* A rect bridging two others merges all three. */
        gfx_canvas_mark_dirty(&c, &(struct gfx_rect){0, 0, 5, 5});
        gfx_canvas_mark_dirty(&c, &(struct gfx_rect){20, 0, 5, 5});
        gfx_canvas_mark_dirty(&c, &(struct gfx_rect){50, 50, 5, 5});
        gfx_canvas_mark_dirty(&c, &(struct gfx_rect){4, 0, 17, 2});
        CHECK_INTEQ(gfx_canvas_take_dirty(&c, d, GFX_DIRTY_MAX), 2);
        CHECK(rect_eq(d[0], 50, 50, 5, 5) || rect_eq(d[1], 50, 50, 5, 5));
        CHECK(rect_eq(d[0], 0, 0, 25, 5) || rect_eq(d[1], 0, 0, 25, 5));

        /* Clipped to the canvas; outside or empty ignored. */
        gfx_canvas_mark_dirty(&c, &(struct gfx_rect){-5, -5, 10, 10});
        gfx_canvas_mark_dirty(&c, &(struct gfx_rect){100, 0, 10, 10});
        gfx_canvas_mark_dirty(&c, &(struct gfx_rect){50, 50, 0, 10});
        gfx_canvas_mark_dirty(&c, &(struct gfx_rect){95, 98, 10, 10});
        CHECK_INTEQ(gfx_canvas_take_dirty(&c, d, GFX_DIRTY_MAX), 2);
        CHECK(rect_eq(d[0], 0, 0, 5, 5));
        CHECK(rect_eq(d[1], 95, 98, 5, 2));
        gfx_canvas_done(&c);
}

TEST(dirty_overflow)
{
        struct gfx_canvas c;
        struct gfx_rect d[GFX_DIRTY_MAX];

        REQUIRE(gfx_canvas_init(&c, 200, 200) == 0);
        gfx_canvas_take_dirty(&c, d, GFX_DIRTY_MAX);
        for (int i = 0; i < GFX_DIRTY_MAX; i++)
                gfx_canvas_mark_dirty(&c, &(struct gfx_rect){i * 10, i * 3, 2, 2});
        CHECK_INTEQ(c.n_dirty, GFX_DIRTY_MAX);
        /* One more that touches none: everything becomes the bounding box. */
        gfx_canvas_mark_dirty(&c, &(struct gfx_rect){190, 190, 3, 4});
        CHECK_INTEQ(gfx_canvas_take_dirty(&c, d, GFX_DIRTY_MAX), 1);
        CHECK(rect_eq(d[0], 0, 0, 193, 194));

        /* Taking with too little room hands out their bounding box. */
        gfx_canvas_mark_dirty(&c, &(struct gfx_rect){0, 0, 2, 2});
        gfx_canvas_mark_dirty(&c, &(struct gfx_rect){10, 10, 2, 2});
        gfx_canvas_mark_dirty(&c, &(struct gfx_rect){20, 0, 2, 2});
        CHECK_INTEQ(gfx_canvas_take_dirty(&c, d, 2), 1);
        CHECK(rect_eq(d[0], 0, 0, 22, 12));
        CHECK_INTEQ(c.n_dirty, 0);
        gfx_canvas_done(&c);
}

TEST(fill_opaque)
{
        struct gfx_canvas c;
        struct gfx_rect d[GFX_DIRTY_MAX];
        struct gfx_rect r = {3, 2, 9, 4};

        REQUIRE(gfx_canvas_init(&c, 17, 9) == 0);
        gfx_canvas_take_dirty(&c, d, GFX_DIRTY_MAX);
        /* The alpha byte of an opaque colour is kept at 0xFF in the canvas. */
        gfx_fill(&c, &r, 0xFF123456u);
        for (int y = r.y; y < r.y + r.h; y++)
                for (int x = r.x; x < r.x + r.w; x++)
                        CHECK_INTEQ(PX(&c, x, y), 0xFF123456u);
        CHECK(untouched_outside(&c, r, 0xFF000000u));
        CHECK_INTEQ(gfx_canvas_take_dirty(&c, d, GFX_DIRTY_MAX), 1);
        CHECK(rect_eq(d[0], 3, 2, 9, 4));

        /* Odd widths and start offsets of the row fill. */
        for (int x0 = 0; x0 < 4; x0++)
                for (int w = 1; w < 13; w++) {
                        gfx_fill(&c, &(struct gfx_rect){0, 0, 17, 1}, 0xFF000000u);
                        gfx_fill(&c, &(struct gfx_rect){x0, 0, w, 1}, 0xFFABCDEFu);
                        for (int x = 0; x < 17; x++)
                                CHECK_INTEQ(PX(&c, x, 0),
                                            x >= x0 && x < x0 + w ? 0xFFABCDEFu : 0xFF000000u);
                }
        gfx_canvas_done(&c);
}

TEST(fill_alpha)
{
        struct gfx_canvas c;
        struct gfx_rect d[GFX_DIRTY_MAX];
        const uint32_t bg = 0xFF20A0F0u;
        const uint32_t colours[] = {0x80FF0000u, 0x01FFFFFFu, 0xFE102030u, 0x40C08040u};

        REQUIRE(gfx_canvas_init(&c, 8, 8) == 0);
        for (size_t i = 0; i < ARRAY_SIZE(colours); i++) {
                uint32_t want = expect_lerp(colours[i], bg, colours[i] >> 24);

                gfx_fill(&c, &(struct gfx_rect){0, 0, 8, 8}, bg);
                gfx_fill(&c, &(struct gfx_rect){1, 1, 3, 3}, colours[i]);
                for (int y = 1; y < 4; y++)
                        for (int x = 1; x < 4; x++)
                                CHECK_INTEQ(PX(&c, x, y), want);
                CHECK(untouched_outside(&c, (struct gfx_rect){1, 1, 3, 3}, bg));
        }
        /* 50% red over the background, by hand: (255 * 128 + 0x20 * 127) / 255 = 143.9 -> 0x8F,
         * 160 * 127 / 255 = 79.7 -> 0x4F, 240 * 127 / 255 = 119.5 -> 0x77 (truncated). */
        gfx_fill(&c, &(struct gfx_rect){0, 0, 8, 8}, bg);
        gfx_fill(&c, &(struct gfx_rect){0, 0, 1, 1}, 0x80FF0000u);
        CHECK_INTEQ(PX(&c, 0, 0), 0xFF8F4F77u);

        /* Transparent: nothing drawn, nothing dirty. */
        gfx_canvas_take_dirty(&c, d, GFX_DIRTY_MAX);
        gfx_fill(&c, &(struct gfx_rect){0, 0, 8, 8}, 0x00FFFFFFu);
        CHECK_INTEQ(gfx_canvas_take_dirty(&c, d, GFX_DIRTY_MAX), 0);
        CHECK_INTEQ(PX(&c, 5, 5), bg);
        gfx_canvas_done(&c);
}

TEST(clip)
{
        struct gfx_canvas c;
        struct gfx_rect d[GFX_DIRTY_MAX];
        struct gfx_rect clip = {2, 3, 4, 2};
        struct gfx_image img;
        uint8_t mask[10 * 10];

        REQUIRE(gfx_canvas_init(&c, 10, 10) == 0);
        REQUIRE(solid_image(10, 10, 0xFF00FF00u, &img) == 0);
        memset(mask, 255, sizeof(mask));
        gfx_canvas_take_dirty(&c, d, GFX_DIRTY_MAX);
        gfx_canvas_set_clip(&c, &clip);

        gfx_fill(&c, &(struct gfx_rect){-100, -100, 1000, 1000}, 0xFFFFFFFFu);
        CHECK(untouched_outside(&c, clip, 0xFF000000u));
        CHECK_INTEQ(PX(&c, 2, 3), 0xFFFFFFFFu);
        CHECK_INTEQ(PX(&c, 5, 4), 0xFFFFFFFFu);
        CHECK_INTEQ(gfx_canvas_take_dirty(&c, d, GFX_DIRTY_MAX), 1);
        CHECK(rect_eq(d[0], 2, 3, 4, 2));

        gfx_fill(&c, &(struct gfx_rect){0, 0, 10, 10}, 0x80FF0000u);
        CHECK(untouched_outside(&c, clip, 0xFF000000u));
        gfx_draw_image(&c, &img, -4, -5);
        CHECK(untouched_outside(&c, clip, 0xFF000000u));
        CHECK_INTEQ(PX(&c, 5, 4), 0xFF00FF00u);
        img.opaque = false;
        gfx_draw_image(&c, &img, 3, 4);
        CHECK(untouched_outside(&c, clip, 0xFF000000u));
        gfx_draw_image_stretched(&c, &img, &(struct gfx_rect){-3, -3, 17, 15});
        CHECK(untouched_outside(&c, clip, 0xFF000000u));
        gfx_draw_image_tiled(&c, &img, &(struct gfx_rect){-3, -3, 17, 15});
        CHECK(untouched_outside(&c, clip, 0xFF000000u));
        gfx_draw_mask(&c, mask, 10, 10, 10, -1, -1, 0xFF0000FFu);
        CHECK(untouched_outside(&c, clip, 0xFF000000u));
        CHECK_INTEQ(PX(&c, 2, 3), 0xFF0000FFu);
        CHECK_INTEQ(gfx_canvas_take_dirty(&c, d, GFX_DIRTY_MAX), 1);
        CHECK(rect_eq(d[0], 2, 3, 4, 2));

        /* Entirely outside the clip: nothing dirty either. */
        gfx_draw_image(&c, &img, 7, 0);
        gfx_draw_mask(&c, mask, 2, 2, 10, 0, 0, 0xFF0000FFu);
        gfx_fill(&c, &(struct gfx_rect){0, 6, 10, 4}, 0xFFFFFFFFu);
        CHECK_INTEQ(gfx_canvas_take_dirty(&c, d, GFX_DIRTY_MAX), 0);
        CHECK(untouched_outside(&c, clip, 0xFF000000u));

        /* Without a clip, off-canvas parts are dropped. */
        gfx_canvas_set_clip(&c, NULL);
        gfx_draw_image(&c, &img, 8, 8);
        CHECK_INTEQ(PX(&c, 9, 9), 0xFF00FF00u);
        CHECK_INTEQ(PX(&c, 7, 9), 0xFF000000u);
        gfx_image_done(&img);
        gfx_canvas_done(&c);
}

TEST(image_opaque)
{
        struct gfx_canvas c;
        struct gfx_image img;

        REQUIRE(gfx_canvas_init(&c, 8, 6) == 0);
        REQUIRE(gfx_image_new(3, 2, &img) == 0);
        CHECK(!img.opaque);
        for (int i = 0; i < 6; i++)
                img.px[i] = 0xFF000000u | (uint32_t) (i * 0x112233);
        gfx_image_update_opaque(&img);
        CHECK(img.opaque);
        gfx_draw_image(&c, &img, 4, 3);
        for (int y = 0; y < 2; y++)
                for (int x = 0; x < 3; x++)
                        CHECK_INTEQ(PX(&c, 4 + x, 3 + y), img.px[y * 3 + x]);
        CHECK(untouched_outside(&c, (struct gfx_rect){4, 3, 3, 2}, 0xFF000000u));

        /* Partly off the canvas. */
        gfx_draw_image(&c, &img, -2, -1);
        CHECK_INTEQ(PX(&c, 0, 0), img.px[3 + 2]);
        CHECK_INTEQ(PX(&c, 1, 0), 0xFF000000u);
        gfx_draw_image(&c, &img, 6, 5);
        CHECK_INTEQ(PX(&c, 6, 5), img.px[0]);
        CHECK_INTEQ(PX(&c, 7, 5), img.px[1]);
        gfx_image_done(&img);
        gfx_canvas_done(&c);
}

TEST(image_alpha)
{
        struct gfx_canvas c;
        struct gfx_image img;
        const uint32_t bg = 0xFF3070B0u;
        const uint32_t straight[] = {0x80FF0000u, 0x00FFFFFFu, 0xFF00FF00u,
                                     0x40204080u, 0xC0FFFFFFu, 0x01FFFFFFu};

        REQUIRE(gfx_canvas_init(&c, 6, 1) == 0);
        REQUIRE(gfx_image_new(6, 1, &img) == 0);
        for (int i = 0; i < 6; i++)
                img.px[i] = premul(straight[i]);
        gfx_image_update_opaque(&img);
        CHECK(!img.opaque);
        gfx_fill(&c, &(struct gfx_rect){0, 0, 6, 1}, bg);
        gfx_draw_image(&c, &img, 0, 0);
        for (int i = 0; i < 6; i++)
                CHECK_INTEQ(PX(&c, i, 0), expect_over(img.px[i], bg));
        /* 50% red: 0x80 red plus the background at 127/255, truncated: 0x30 -> 23, 0x70 -> 55,
         * 0xB0 -> 87. */
        CHECK_INTEQ(PX(&c, 0, 0), 0xFF973757u);
        CHECK_INTEQ(PX(&c, 1, 0), bg);
        CHECK_INTEQ(PX(&c, 2, 0), 0xFF00FF00u);
        gfx_image_done(&img);
        gfx_canvas_done(&c);
}

TEST(image_part_and_tiles)
{
        struct gfx_canvas c;
        struct gfx_image img;

        REQUIRE(gfx_canvas_init(&c, 10, 4) == 0);
        REQUIRE(gfx_image_new(3, 2, &img) == 0);
        for (int i = 0; i < 6; i++)
                img.px[i] = 0xFF000000u | (uint32_t) (i + 1);
        gfx_image_update_opaque(&img);

        /* Part (1,0 2x2) at (5,1); a source rect hanging off the image is cut, the offset kept. */
        gfx_draw_image_part(&c, &img, &(struct gfx_rect){1, 0, 2, 2}, 5, 1);
        CHECK_INTEQ(PX(&c, 5, 1), 0xFF000002u);
        CHECK_INTEQ(PX(&c, 6, 1), 0xFF000003u);
        CHECK_INTEQ(PX(&c, 5, 2), 0xFF000005u);
        CHECK_INTEQ(PX(&c, 6, 2), 0xFF000006u);
        CHECK(untouched_outside(&c, (struct gfx_rect){5, 1, 2, 2}, 0xFF000000u));
        gfx_fill(&c, &(struct gfx_rect){0, 0, 10, 4}, 0xFF000000u);
        gfx_draw_image_part(&c, &img, &(struct gfx_rect){-1, 1, 3, 5}, 0, 0);
        CHECK_INTEQ(PX(&c, 1, 0), 0xFF000004u);
        CHECK_INTEQ(PX(&c, 2, 0), 0xFF000005u);
        CHECK(untouched_outside(&c, (struct gfx_rect){1, 0, 2, 1}, 0xFF000000u));

        /* Tiles from the rect's corner, cut at its edges. */
        gfx_fill(&c, &(struct gfx_rect){0, 0, 10, 4}, 0xFF000000u);
        gfx_draw_image_tiled(&c, &img, &(struct gfx_rect){1, 0, 7, 3});
        for (int y = 0; y < 4; y++)
                for (int x = 0; x < 10; x++) {
                        uint32_t want = 0xFF000000u;

                        if (x >= 1 && x < 8 && y < 3)
                                want |= (uint32_t) ((y % 2) * 3 + (x - 1) % 3 + 1);
                        CHECK_INTEQ(PX(&c, x, y), want);
                }
        gfx_image_done(&img);
        gfx_canvas_done(&c);
}

TEST(mask)
{
        struct gfx_canvas c;
        const uint32_t bg = 0xFF204060u;
        const uint8_t mask[2 * 4] = {0, 128, 255, 99, 64, 1, 200, 99}; /* 3x2, pitch 4 */
        const uint32_t colours[] = {0xFFFF8000u, 0x80FF8000u, 0x01FFFFFFu};

        REQUIRE(gfx_canvas_init(&c, 5, 3) == 0);
        for (size_t i = 0; i < ARRAY_SIZE(colours); i++) {
                uint32_t ca = colours[i] >> 24;

                gfx_fill(&c, &(struct gfx_rect){0, 0, 5, 3}, bg);
                gfx_draw_mask(&c, mask, 3, 2, 4, 1, 1, colours[i]);
                for (int y = 0; y < 2; y++)
                        for (int x = 0; x < 3; x++) {
                                uint32_t a = div255_floor(mask[y * 4 + x] * ca);

                                CHECK_INTEQ(PX(&c, 1 + x, 1 + y),
                                            a ? expect_lerp(colours[i], bg, a) : bg);
                        }
                CHECK(untouched_outside(&c, (struct gfx_rect){1, 1, 3, 2}, bg));
        }
        /* Full coverage of an opaque colour is the colour; by hand for half coverage (128 of
         * 0xFF8000 over 0x204060: 143.9, 96.1, 47.8, truncated). */
        gfx_fill(&c, &(struct gfx_rect){0, 0, 5, 3}, bg);
        gfx_draw_mask(&c, mask, 3, 2, 4, 1, 1, 0xFFFF8000u);
        CHECK_INTEQ(PX(&c, 3, 1), 0xFFFF8000u);
        CHECK_INTEQ(PX(&c, 2, 1), 0xFF8F602Fu);

        /* Clipped on the left and the bottom: the mask is read at the right offset. */
        gfx_fill(&c, &(struct gfx_rect){0, 0, 5, 3}, bg);
        gfx_draw_mask(&c, mask, 3, 2, 4, -1, 2, 0xFFFFFFFFu);
        CHECK_INTEQ(PX(&c, 0, 2), expect_lerp(0xFFFFFFFFu, bg, 128));
        CHECK_INTEQ(PX(&c, 1, 2), 0xFFFFFFFFu);
        CHECK(untouched_outside(&c, (struct gfx_rect){0, 2, 2, 1}, bg));
        gfx_canvas_done(&c);
}

TEST(scale_checker)
{
        /* GRUB's map: destination i at source 2 * i / 4 (0, 0.5, 1, 1.5); the last source row
         * and column are taken as they are. 255 * 128 * 256 >> 16 = 127.5 -> 127. */
        static const uint8_t want[4][4] = {
                {0, 127, 255, 255},
                {127, 127, 255, 255},
                {255, 255, 0, 0},
                {255, 255, 0, 0},
        };
        struct gfx_image src, dst = {0}, row, half = {0};

        REQUIRE(gfx_image_new(2, 2, &src) == 0);
        src.px[0] = src.px[3] = GREY(0);
        src.px[1] = src.px[2] = GREY(255);
        gfx_image_update_opaque(&src);
        REQUIRE(gfx_image_scale(&src, 4, 4, &dst) == 0);
        CHECK_INTEQ(dst.w, 4);
        CHECK_INTEQ(dst.h, 4);
        CHECK(dst.opaque);
        for (int y = 0; y < 4; y++)
                for (int x = 0; x < 4; x++)
                        CHECK_INTEQ(dst.px[y * 4 + x], GREY(want[y][x]));

        /* Down: destination i at source 2 * i, no interpolation (u = 0); a one-row image is all
         * last row, nearest, as in GRUB. */
        REQUIRE(gfx_image_new(4, 1, &row) == 0);
        row.px[0] = GREY(0);
        row.px[1] = GREY(100);
        row.px[2] = GREY(200);
        row.px[3] = GREY(255);
        REQUIRE(gfx_image_scale(&row, 2, 1, &half) == 0);
        CHECK_INTEQ(half.px[0], GREY(0));
        CHECK_INTEQ(half.px[1], GREY(200));
        gfx_image_done(&half);
        gfx_image_done(&row);
        gfx_image_done(&dst);
        gfx_image_done(&src);
}

TEST(scale_premultiplied)
{
        struct gfx_image src, dst = {0};

        /* Opaque red next to transparent (two rows, so that the first is interpolated): the edge
         * fades in alpha only, never towards black; the last column is nearest. */
        REQUIRE(gfx_image_new(2, 2, &src) == 0);
        src.px[0] = src.px[2] = 0xFFFF0000u;
        REQUIRE(gfx_image_scale(&src, 4, 2, &dst) == 0);
        CHECK(!dst.opaque);
        CHECK_INTEQ(dst.px[0], 0xFFFF0000u);
        CHECK_INTEQ(dst.px[1], 0x7F7F0000u);
        CHECK_INTEQ(dst.px[2], 0x00000000u);
        CHECK_INTEQ(dst.px[3], 0x00000000u);
        gfx_image_done(&dst);
        gfx_image_done(&src);
}

TEST(scale_solid)
{
        const int sizes[][2] = {{7, 2}, {1, 1}, {11, 13}, {3, 5}, {2, 40}};
        const uint32_t colours[] = {0x80402010u, 0xFF123456u, 0x01010101u};

        for (size_t k = 0; k < ARRAY_SIZE(colours); k++) {
                struct gfx_image src;

                REQUIRE(solid_image(3, 5, colours[k], &src) == 0);
                for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
                        struct gfx_image dst = {0};
                        bool all = true;

                        REQUIRE(gfx_image_scale(&src, sizes[i][0], sizes[i][1], &dst) == 0);
                        for (int p = 0; p < dst.w * dst.h; p++)
                                all = all && dst.px[p] == colours[k];
                        CHECK(all);
                        CHECK(dst.opaque == (colours[k] >> 24 == 255));
                        gfx_image_done(&dst);
                }
                gfx_image_done(&src);
        }
}

TEST(scale_invalid)
{
        struct gfx_image src, dst = {0};

        REQUIRE(solid_image(3, 3, 0xFFFFFFFFu, &src) == 0);
        CHECK_INTEQ(gfx_image_scale(&src, 0, 3, &dst), -EINVAL);
        CHECK_INTEQ(gfx_image_scale(&src, 3, -1, &dst), -EINVAL);
        CHECK_INTEQ(gfx_image_scale(&src, -4, -4, &dst), -EINVAL);
        CHECK(dst.px == NULL);
        CHECK_INTEQ(gfx_image_scale(&(struct gfx_image){0}, 3, 3, &dst), -EINVAL);
        CHECK_INTEQ(gfx_image_new(0, 1, &dst), -EINVAL);
        gfx_image_done(&src);
}

/* A premultiplied pattern with every kind of alpha. */
static int pattern_image(int w, int h, struct gfx_image *ret)
{
        int r = gfx_image_new(w, h, ret);

        if (r < 0)
                return r;
        for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                        uint32_t a = (uint32_t) ((x * 97 + y * 61) % 256);

                        if ((x + y) % 4 == 0)
                                a = 255;
                        ret->px[y * w + x] =
                                premul(a << 24 | (uint32_t) ((x * 53) % 256) << 16 |
                                       (uint32_t) ((y * 89) % 256) << 8 | (uint32_t) (x * y % 256));
                }
        return 0;
}

TEST(stretched_equals_scaled)
{
        struct gfx_canvas a, b;
        struct gfx_image img, scaled = {0};
        struct gfx_rect clip = {5, 4, 6, 3}, r = {2, 3, 13, 7};
        const int dims[][2] = {{13, 7}, {5, 7}, {13, 3}, {4, 2}};

        REQUIRE(gfx_canvas_init(&a, 20, 12) == 0);
        REQUIRE(gfx_canvas_init(&b, 20, 12) == 0);
        REQUIRE(pattern_image(5, 3, &img) == 0);
        for (size_t k = 0; k < ARRAY_SIZE(dims); k++) {
                r.w = dims[k][0];
                r.h = dims[k][1];
                REQUIRE(gfx_image_scale(&img, r.w, r.h, &scaled) == 0);
                gfx_fill(&a, &(struct gfx_rect){0, 0, 20, 12}, 0xFF336699u);
                gfx_fill(&b, &(struct gfx_rect){0, 0, 20, 12}, 0xFF336699u);
                gfx_draw_image(&a, &scaled, r.x, r.y);
                gfx_draw_image_stretched(&b, &img, &r);
                CHECK(memcmp(a.px, b.px, 20 * 12 * sizeof(uint32_t)) == 0);

                /* Clipped: the same pixels inside the clip, nothing outside. */
                gfx_fill(&b, &(struct gfx_rect){0, 0, 20, 12}, 0xFF336699u);
                gfx_canvas_set_clip(&b, &clip);
                gfx_draw_image_stretched(&b, &img, &r);
                gfx_canvas_set_clip(&b, NULL);
                for (int y = 0; y < 12; y++)
                        for (int x = 0; x < 20; x++) {
                                bool in = x >= clip.x && x < clip.x + clip.w && y >= clip.y &&
                                          y < clip.y + clip.h;

                                CHECK_INTEQ(PX(&b, x, y), in ? PX(&a, x, y) : 0xFF336699u);
                        }
                gfx_image_done(&scaled);
        }
        gfx_image_done(&img);
        gfx_canvas_done(&a);
        gfx_canvas_done(&b);
}

/* Pieces in distinct opaque colours: piece i is GREY(10 + 20 * i). */
static const int piece_size[_GFX_BOX_MAX][2] = {
        [GFX_BOX_NW] = {3, 2}, [GFX_BOX_N] = {1, 2}, [GFX_BOX_NE] = {4, 2},
        [GFX_BOX_W] = {3, 1},  [GFX_BOX_C] = {1, 1}, [GFX_BOX_E] = {4, 1},
        [GFX_BOX_SW] = {3, 5}, [GFX_BOX_S] = {2, 5}, [GFX_BOX_SE] = {4, 5},
};

static uint32_t piece_colour(int i)
{
        return GREY(10 + 20 * i);
}

static int make_box(struct gfx_box *b, unsigned present)
{
        *b = (struct gfx_box){0};
        for (int i = 0; i < _GFX_BOX_MAX; i++)
                if (present & (1u << i)) {
                        int r = solid_image(piece_size[i][0], piece_size[i][1], piece_colour(i),
                                            &b->piece[i]);
                        if (r < 0)
                                return r;
                }
        return 0;
}

TEST(box_all_pieces)
{
        struct gfx_canvas c;
        struct gfx_box b;
        struct gfx_rect content = {10, 10, 6, 4};
        int l, t, r, bt;

        REQUIRE(gfx_canvas_init(&c, 30, 30) == 0);
        REQUIRE(make_box(&b, 0x1FF) == 0);
        gfx_box_pads(&b, &l, &t, &r, &bt);
        CHECK_INTEQ(l, 3);
        CHECK_INTEQ(t, 2);
        CHECK_INTEQ(r, 4);
        CHECK_INTEQ(bt, 5);
        gfx_box_draw(&c, &b, &content);
        /* Columns 7-9 | 10-15 | 16-19, rows 8-9 | 10-13 | 14-18. */
        for (int y = 0; y < 30; y++)
                for (int x = 0; x < 30; x++) {
                        int col = x < 7 ? -1 : x < 10 ? 0 : x < 16 ? 1 : x < 20 ? 2 : -1;
                        int row = y < 8 ? -1 : y < 10 ? 0 : y < 14 ? 1 : y < 19 ? 2 : -1;
                        uint32_t want =
                                col < 0 || row < 0 ? 0xFF000000u : piece_colour(row * 3 + col);

                        CHECK_INTEQ(PX(&c, x, y), want);
                }
        gfx_box_done(&b);
        CHECK(b.piece[GFX_BOX_C].px == NULL);
        gfx_canvas_done(&c);
}

TEST(box_missing_pieces)
{
        struct gfx_canvas c;
        struct gfx_box b;
        struct gfx_rect content = {10, 10, 6, 4};
        int l, t, r, bt;

        /* Only W, C and E, as many real themes ship their selection boxes. */
        REQUIRE(gfx_canvas_init(&c, 30, 30) == 0);
        REQUIRE(make_box(&b, 1u << GFX_BOX_W | 1u << GFX_BOX_C | 1u << GFX_BOX_E) == 0);
        gfx_box_pads(&b, &l, &t, &r, &bt);
        CHECK_INTEQ(l, 3);
        CHECK_INTEQ(t, 0);
        CHECK_INTEQ(r, 4);
        CHECK_INTEQ(bt, 0);
        gfx_box_draw(&c, &b, &content);
        for (int y = 0; y < 30; y++)
                for (int x = 0; x < 30; x++) {
                        int col = x < 7 ? -1 : x < 10 ? 0 : x < 16 ? 1 : x < 20 ? 2 : -1;
                        uint32_t want =
                                col < 0 || y < 10 || y >= 14 ? 0xFF000000u : piece_colour(3 + col);

                        CHECK_INTEQ(PX(&c, x, y), want);
                }
        gfx_box_done(&b);

        /* Nothing at all: no pads, nothing drawn, no crash. */
        gfx_fill(&c, &(struct gfx_rect){0, 0, 30, 30}, 0xFF000000u);
        b = (struct gfx_box){0};
        gfx_box_pads(&b, &l, &t, &r, &bt);
        CHECK(l == 0 && t == 0 && r == 0 && bt == 0);
        gfx_box_draw(&c, &b, &content);
        CHECK(untouched_outside(&c, (struct gfx_rect){0, 0, 0, 0}, 0xFF000000u));

        /* Zero-sized content: corners only. */
        REQUIRE(make_box(&b, 0x1FF) == 0);
        gfx_box_draw(&c, &b, &(struct gfx_rect){10, 10, 0, 0});
        CHECK_INTEQ(PX(&c, 7, 8), piece_colour(GFX_BOX_NW));
        CHECK_INTEQ(PX(&c, 10, 8), piece_colour(GFX_BOX_NE));
        CHECK_INTEQ(PX(&c, 7, 10), piece_colour(GFX_BOX_SW));
        CHECK_INTEQ(PX(&c, 13, 14), piece_colour(GFX_BOX_SE));
        CHECK_INTEQ(PX(&c, 14, 14), 0xFF000000u);
        gfx_box_done(&b);
        gfx_canvas_done(&c);
}

TEST(box_pads_uneven)
{
        struct gfx_canvas c;
        struct gfx_box b = {0};
        struct gfx_rect content = {10, 10, 4, 3};
        int l, t, r, bt;

        /* GRUB: each pad is the largest of the three pieces on that side, and each piece sits at
         * the frame's outer edge (NW 5x3 and W 2x1: left pad 5, W at x - 5, two columns wide). */
        REQUIRE(solid_image(5, 3, piece_colour(GFX_BOX_NW), &b.piece[GFX_BOX_NW]) == 0);
        REQUIRE(solid_image(2, 1, piece_colour(GFX_BOX_W), &b.piece[GFX_BOX_W]) == 0);
        REQUIRE(solid_image(1, 2, piece_colour(GFX_BOX_N), &b.piece[GFX_BOX_N]) == 0);
        REQUIRE(solid_image(1, 6, piece_colour(GFX_BOX_SE), &b.piece[GFX_BOX_SE]) == 0);
        REQUIRE(solid_image(2, 1, piece_colour(GFX_BOX_S), &b.piece[GFX_BOX_S]) == 0);
        gfx_box_pads(&b, &l, &t, &r, &bt);
        CHECK_INTEQ(l, 5);
        CHECK_INTEQ(t, 3);
        CHECK_INTEQ(r, 1);
        CHECK_INTEQ(bt, 6);
        gfx_box_pads(&b, NULL, NULL, NULL, NULL);

        REQUIRE(gfx_canvas_init(&c, 30, 30) == 0);
        gfx_box_draw(&c, &b, &content);
        CHECK_INTEQ(PX(&c, 5, 7), piece_colour(GFX_BOX_NW));
        CHECK_INTEQ(PX(&c, 9, 9), piece_colour(GFX_BOX_NW));
        CHECK_INTEQ(PX(&c, 10, 7), piece_colour(GFX_BOX_N));
        CHECK_INTEQ(PX(&c, 13, 8), piece_colour(GFX_BOX_N));
        CHECK_INTEQ(PX(&c, 10, 9), 0xFF000000u); /* below N, which is 2 high */
        CHECK_INTEQ(PX(&c, 5, 10), piece_colour(GFX_BOX_W));
        CHECK_INTEQ(PX(&c, 6, 12), piece_colour(GFX_BOX_W));
        CHECK_INTEQ(PX(&c, 7, 10), 0xFF000000u); /* right of W, which is 2 wide */
        CHECK_INTEQ(PX(&c, 10, 13), piece_colour(GFX_BOX_S));
        CHECK_INTEQ(PX(&c, 13, 13), piece_colour(GFX_BOX_S));
        CHECK_INTEQ(PX(&c, 10, 14), 0xFF000000u);
        CHECK_INTEQ(PX(&c, 14, 13), piece_colour(GFX_BOX_SE));
        CHECK_INTEQ(PX(&c, 14, 18), piece_colour(GFX_BOX_SE));
        CHECK_INTEQ(PX(&c, 14, 19), 0xFF000000u);
        CHECK_INTEQ(PX(&c, 12, 11), 0xFF000000u); /* no centre piece */
        gfx_box_done(&b);
        gfx_canvas_done(&c);
}

TEST(box_blends)
{
        struct gfx_canvas c;
        struct gfx_box b = {0};
        const uint32_t bg = 0xFF102030u, centre = premul(0x80FFFFFFu);

        REQUIRE(gfx_canvas_init(&c, 12, 12) == 0);
        gfx_fill(&c, &(struct gfx_rect){0, 0, 12, 12}, bg);
        REQUIRE(solid_image(1, 1, centre, &b.piece[GFX_BOX_C]) == 0);
        CHECK(!b.piece[GFX_BOX_C].opaque);
        gfx_box_draw(&c, &b, &(struct gfx_rect){2, 2, 5, 5});
        CHECK_INTEQ(PX(&c, 2, 2), expect_over(centre, bg));
        CHECK_INTEQ(PX(&c, 6, 6), expect_over(centre, bg));
        CHECK(untouched_outside(&c, (struct gfx_rect){2, 2, 5, 5}, bg));
        gfx_box_done(&b);
        gfx_canvas_done(&c);
}

TEST(canvas_image_view)
{
        struct gfx_canvas a, b;
        struct gfx_image view;

        REQUIRE(gfx_canvas_init(&a, 6, 4) == 0);
        REQUIRE(gfx_canvas_init(&b, 6, 4) == 0);
        gfx_fill(&a, &(struct gfx_rect){1, 1, 3, 2}, 0x80FF00FFu);
        view = gfx_canvas_image(&a);
        CHECK(view.opaque);
        gfx_draw_image_part(&b, &view, &(struct gfx_rect){1, 1, 2, 2}, 1, 1);
        CHECK_INTEQ(PX(&b, 1, 1), PX(&a, 1, 1));
        CHECK_INTEQ(PX(&b, 2, 2), PX(&a, 2, 2));
        CHECK_INTEQ(PX(&b, 3, 1), 0xFF000000u);
        CHECK_INTEQ(PX(&b, 1, 1) >> 24, 0xFF);
        gfx_canvas_done(&a);
        gfx_canvas_done(&b);
}

/* Wide rows (every alpha, every coverage, odd lengths) so that the four-pixel kernels and their
 * scalar tails are both checked against the formulas. */
static uint32_t bg_pattern(int x)
{
        return 0xFF000000u | (uint32_t) (x * 37 % 256) << 16 | (uint32_t) (x * 91 % 256) << 8 |
               (uint32_t) (x * 13 % 256);
}

TEST(blend_wide)
{
        enum { W = 259 };
        struct gfx_canvas c;
        struct gfx_image bg, img;
        uint8_t mask[W];
        const uint32_t mask_alphas[] = {255, 128, 77, 1};
        unsigned bad = 0;

        REQUIRE(gfx_canvas_init(&c, W, 1) == 0);
        REQUIRE(gfx_image_new(W, 1, &bg) == 0);
        REQUIRE(gfx_image_new(W, 1, &img) == 0);
        for (int x = 0; x < W; x++)
                bg.px[x] = bg_pattern(x);
        gfx_image_update_opaque(&bg);

        for (uint32_t a = 0; a < 256; a++) {
                uint32_t colour = a << 24 | 0xC05A21u;

                gfx_draw_image(&c, &bg, 0, 0);
                gfx_fill(&c, &(struct gfx_rect){1, 0, W - 1, 1}, colour);
                for (int x = 1; x < W; x++)
                        bad += c.px[x] != (a ? expect_lerp(colour, bg.px[x], a) : bg.px[x]);
        }
        CHECK_INTEQ(bad, 0);

        /* Alphas in a shuffled order, with runs of four opaque and four transparent pixels. */
        for (int x = 0; x < W; x++) {
                uint32_t a = (uint32_t) (x * 167 % 256);

                if (x >= 40 && x < 48)
                        a = 255;
                if (x >= 80 && x < 88)
                        a = 0;
                img.px[x] = premul(a << 24 | (uint32_t) (x * 29 % 256) << 16 |
                                   (uint32_t) (x * 7 % 256) << 8 | (uint32_t) (255 - x % 256));
        }
        gfx_image_update_opaque(&img);
        gfx_draw_image(&c, &bg, 0, 0);
        gfx_draw_image(&c, &img, 0, 0);
        for (int x = 0; x < W; x++)
                bad += c.px[x] != expect_over(img.px[x], bg.px[x]);
        CHECK_INTEQ(bad, 0);

        for (int x = 0; x < W; x++)
                mask[x] = (uint8_t) (x >= 100 && x < 108 ? 255 : x >= 120 && x < 128 ? 0 : x * 71);
        for (size_t k = 0; k < ARRAY_SIZE(mask_alphas); k++) {
                uint32_t colour = mask_alphas[k] << 24 | 0x3D9EF2u;

                gfx_draw_image(&c, &bg, 0, 0);
                gfx_draw_mask(&c, mask, W, 1, W, 0, 0, colour);
                for (int x = 0; x < W; x++) {
                        uint32_t a = div255_floor(mask[x] * mask_alphas[k]);

                        bad += c.px[x] != (a ? expect_lerp(colour, bg.px[x], a) : bg.px[x]);
                }
        }
        CHECK_INTEQ(bad, 0);
        gfx_image_done(&img);
        gfx_image_done(&bg);
        gfx_canvas_done(&c);
}

/* GRUB's scale_bilinear (grub-core/video/bitmap_scale.c), written as GRUB writes it: the
 * reference the scaler must match to the bit. */
static uint32_t grub_scaled(const struct gfx_image *s, int dw, int dh, int dx, int dy)
{
        unsigned sxf =
                (unsigned) (((unsigned long long) s->w << 8) * (unsigned) dx / (unsigned) dw);
        unsigned syf =
                (unsigned) (((unsigned long long) s->h << 8) * (unsigned) dy / (unsigned) dh);
        unsigned sx = sxf >> 8, sy = syf >> 8, u = sxf & 0xff, v = syf & 0xff;
        const uint32_t *p = s->px + (size_t) sy * s->w + sx;
        uint32_t out = 0;

        if (!(sx < (unsigned) s->w - 1 && sy < (unsigned) s->h - 1))
                return p[0];
        for (int k = 0; k < 4; k++) {
                unsigned f00 = ch(p[0], k), f10 = ch(p[1], k), f01 = ch(p[s->w], k),
                         f11 = ch(p[s->w + 1], k);
                unsigned fxy = (256 - u) * (256 - v) * f00 + u * (256 - v) * f10 +
                               (256 - u) * v * f01 + u * v * f11;

                out |= (fxy >> 16) << (8 * k);
        }
        return out;
}

TEST(scale_as_grub)
{
        static const int sizes[][4] = {
                {37, 2, 37, 4},    {5, 3, 17, 11},   {17, 11, 5, 3},     {160, 120, 201, 77},
                {64, 48, 64, 200}, {1, 30, 12, 90},  {30, 1, 200, 12},   {9, 9, 1, 1},
                {2, 2, 3, 3},      {101, 7, 50, 40}, {1597, 6, 1920, 5},
        };
        unsigned bad = 0, total = 0;

        for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
                int sw = sizes[i][0], sh = sizes[i][1], dw = sizes[i][2], dh = sizes[i][3];
                struct gfx_image src, dst = {0};

                REQUIRE(gfx_image_new(sw, sh, &src) == 0);
                for (int p = 0; p < sw * sh; p++)
                        src.px[p] = premul((uint32_t) (p % 5 ? 255 : p * 113 % 256) << 24 |
                                           (uint32_t) p * 0x0A1B2Cu);
                gfx_image_update_opaque(&src);
                REQUIRE(gfx_image_scale(&src, dw, dh, &dst) == 0);
                for (int y = 0; y < dh; y++)
                        for (int x = 0; x < dw; x++, total++)
                                bad += dst.px[y * dw + x] != grub_scaled(&src, dw, dh, x, y);
                gfx_image_done(&dst);
                gfx_image_done(&src);
        }
        if (bad)
                printf("# %u of %u pixels differ from GRUB's\n", bad, total);
        CHECK_INTEQ(bad, 0);
}
