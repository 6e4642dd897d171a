/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include <limits.h>
#include <stdint.h>

#include "core/util.h"
#include "gfx/image.h"
#include "output/output.h"

TEST(parse_video_mode)
{
        struct output_mode_spec m;

        CHECK_INTEQ(output_parse_video_mode("1024x768", &m), 0);
        CHECK_INTEQ(m.w, 1024);
        CHECK_INTEQ(m.h, 768);
        CHECK_INTEQ(m.refresh, 0);
        CHECK_STREQ(m.connector, "");

        CHECK_INTEQ(output_parse_video_mode("1920x1080@60", &m), 0);
        CHECK_INTEQ(m.w, 1920);
        CHECK_INTEQ(m.h, 1080);
        CHECK_INTEQ(m.refresh, 60);

        CHECK_INTEQ(output_parse_video_mode("1280x800M-32@60e", &m), 0);
        CHECK_INTEQ(m.w, 1280);
        CHECK_INTEQ(m.h, 800);
        CHECK_INTEQ(m.refresh, 60);

        CHECK_INTEQ(output_parse_video_mode("HDMI-A-1:1920x1080@75", &m), 0);
        CHECK_STREQ(m.connector, "HDMI-A-1");
        CHECK_INTEQ(m.w, 1920);
        CHECK_INTEQ(m.refresh, 75);

        CHECK_INTEQ(output_parse_video_mode("640x480RM@75i", &m), 0);
        CHECK_INTEQ(m.w, 640);
        CHECK_INTEQ(m.refresh, 75);
        CHECK_INTEQ(output_parse_video_mode("800x600-16", &m), 0);
        CHECK_INTEQ(m.refresh, 0);
        CHECK_INTEQ(output_parse_video_mode("1024x768,rotate=90", &m), 0);
        CHECK_INTEQ(m.h, 768);

        CHECK_INTEQ(output_parse_video_mode("efifb:off", &m), -EINVAL);
        CHECK_INTEQ(output_parse_video_mode("", &m), -EINVAL);
        CHECK_INTEQ(output_parse_video_mode(NULL, &m), -EINVAL);
        CHECK_INTEQ(output_parse_video_mode("x768", &m), -EINVAL);
        CHECK_INTEQ(output_parse_video_mode("1024x", &m), -EINVAL);
        CHECK_INTEQ(output_parse_video_mode("1024x768q", &m), -EINVAL);
        CHECK_INTEQ(output_parse_video_mode("800x600-", &m), -EINVAL);
        CHECK_INTEQ(output_parse_video_mode("0x600", &m), -EINVAL);
        CHECK_INTEQ(output_parse_video_mode("9999999x600", &m), -EINVAL);
        CHECK_INTEQ(output_parse_video_mode(":1024x768", &m), -EINVAL);
}

TEST(convert_rgb565)
{
        const uint32_t src[] = {0x00ff0000, 0x0000ff00, 0x000000ff, 0x00123456, 0xffffffff, 0};
        const uint8_t want[] = {0x00, 0xf8, 0xe0, 0x07, 0x1f, 0x00,
                                0xaa, 0x11, 0xff, 0xff, 0x00, 0x00};
        uint8_t dst[sizeof(want) + 2];
        /* The same format, but not recognised by the fast path (generic packing). */
        struct output_pixfmt generic = output_pixfmt_rgb565;

        memset(dst, 0xcc, sizeof(dst));
        output_convert_row(dst, src, ARRAY_SIZE(src), &output_pixfmt_rgb565);
        CHECK(memcmp(dst, want, sizeof(want)) == 0);
        CHECK(dst[sizeof(want)] == 0xcc && dst[sizeof(want) + 1] == 0xcc);

        /* BGR565 through the generic path: blue in the high bits. */
        generic.r_off = 0;
        generic.b_off = 11;
        memset(dst, 0xcc, sizeof(dst));
        output_convert_row(dst, src, 4, &generic);
        CHECK(dst[0] == 0x1f && dst[1] == 0x00); /* red -> low 5 bits */
        CHECK(dst[2] == 0xe0 && dst[3] == 0x07);
        CHECK(dst[4] == 0x00 && dst[5] == 0xf8); /* blue -> high 5 bits */
        /* 0x12 >> 3 = 2 at 0, 0x34 >> 2 = 13 at 5, 0x56 >> 3 = 10 at 11: 0x51a2 */
        CHECK(dst[6] == 0xa2 && dst[7] == 0x51);
}

TEST(convert_bgr_and_24)
{
        const uint32_t src[] = {0x00112233, 0xff445566};
        const struct output_pixfmt bgr24 = {3, 0, 8, 8, 8, 16, 8};
        const struct output_pixfmt rgb24 = {3, 16, 8, 8, 8, 0, 8};
        uint8_t dst[10];

        memset(dst, 0xcc, sizeof(dst));
        output_convert_row(dst, src, 2, &output_pixfmt_xbgr8888);
        CHECK(memcmp(dst, "\x11\x22\x33\x00\x44\x55\x66\x00\xcc", 9) == 0);

        memset(dst, 0xcc, sizeof(dst));
        output_convert_row(dst, src, 2, &output_pixfmt_xrgb8888);
        CHECK(memcmp(dst, "\x33\x22\x11\x00\x66\x55\x44\xff\xcc", 9) == 0);

        memset(dst, 0xcc, sizeof(dst));
        output_convert_row(dst, src, 2, &bgr24);
        CHECK(memcmp(dst, "\x11\x22\x33\x44\x55\x66\xcc", 7) == 0);

        memset(dst, 0xcc, sizeof(dst));
        output_convert_row(dst, src, 2, &rgb24);
        CHECK(memcmp(dst, "\x33\x22\x11\x66\x55\x44\xcc", 7) == 0);
}

/* A canvas of w x h whose pixel i is base + i. */
static void make_canvas(struct gfx_canvas *c, uint32_t *px, int w, int h, uint32_t base)
{
        memset(c, 0, sizeof(*c));
        c->w = w;
        c->h = h;
        c->px = px;
        for (int i = 0; i < w * h; i++)
                px[i] = base + (uint32_t) i;
}

TEST(blit_rect_pitch)
{
        enum { W = 8, H = 4, PITCH = 40 /* 10 pixels */ };
        uint32_t px[W * H];
        uint8_t buf[PITCH * H];
        struct gfx_canvas c;
        struct gfx_rect r = {2, 1, 3, 2}, b;

        make_canvas(&c, px, W, H, 0x00010000);
        memset(buf, 0xaa, sizeof(buf));
        b = output_blit_rect(buf, PITCH, W, H, &output_pixfmt_xrgb8888, &c, &r);
        CHECK(b.x == 2 && b.y == 1 && b.w == 3 && b.h == 2);
        for (int y = 0; y < H; y++)
                for (int x = 0; x < PITCH / 4; x++) {
                        uint32_t v;
                        memcpy(&v, buf + y * PITCH + x * 4, 4);
                        if (x >= 2 && x < 5 && y >= 1 && y < 3)
                                CHECK_INTEQ(v, 0x00010000u + (uint32_t) (y * W + x));
                        else
                                CHECK_INTEQ(v, 0xaaaaaaaau);
                }
        /* Exact bytes of one pixel: little-endian XRGB (B, G, R, X). */
        CHECK(memcmp(buf + PITCH + 8, "\x0a\x00\x01\x00", 4) == 0);
}

TEST(blit_rect_rgb565_pitch)
{
        enum { W = 4, H = 3, PITCH = 12 /* 6 pixels of 2 bytes */ };
        uint32_t px[W * H];
        uint8_t buf[PITCH * H];
        struct gfx_canvas c;
        struct gfx_rect r = {1, 1, 10, 10};

        make_canvas(&c, px, W, H, 0);
        for (int i = 0; i < W * H; i++)
                px[i] = 0x00ff0000; /* red */
        memset(buf, 0x55, sizeof(buf));
        r = output_blit_rect(buf, PITCH, W, H, &output_pixfmt_rgb565, &c, &r);
        CHECK(r.x == 1 && r.y == 1 && r.w == 3 && r.h == 2);
        for (int y = 0; y < H; y++)
                for (int x = 0; x < PITCH / 2; x++) {
                        const uint8_t *p = buf + y * PITCH + x * 2;
                        if (y >= 1 && x >= 1 && x < W)
                                CHECK(p[0] == 0x00 && p[1] == 0xf8);
                        else
                                CHECK(p[0] == 0x55 && p[1] == 0x55);
                }
}

TEST(blit_rect_clipping)
{
        enum { W = 6, H = 5 };
        uint32_t px[W * H], dst[4 * 4];
        struct gfx_canvas c;
        struct gfx_rect r, b;

        make_canvas(&c, px, W, H, 1);
        memset(dst, 0, sizeof(dst));
        /* Negative origin: clipped to the top-left corner. */
        r = (struct gfx_rect){-2, -1, 4, 3};
        b = output_blit_rect(dst, 16, 4, 4, &output_pixfmt_xrgb8888, &c, &r);
        CHECK(b.x == 0 && b.y == 0 && b.w == 2 && b.h == 2);
        CHECK_INTEQ(dst[0], 1);
        CHECK_INTEQ(dst[1], 2);
        CHECK_INTEQ(dst[2], 0);
        CHECK_INTEQ(dst[4], 1 + W);
        CHECK_INTEQ(dst[8], 0);
        /* A huge rect does not overflow; the destination (4x4) is smaller than the canvas. */
        memset(dst, 0, sizeof(dst));
        r = (struct gfx_rect){1, 1, INT_MAX, INT_MAX};
        b = output_blit_rect(dst, 16, 4, 4, &output_pixfmt_xrgb8888, &c, &r);
        CHECK(b.x == 1 && b.y == 1 && b.w == 3 && b.h == 3);
        CHECK_INTEQ(dst[0], 0);
        CHECK_INTEQ(dst[5], 1 + W + 1);
        CHECK_INTEQ(dst[15], 1 + 3 * W + 3);
        /* Empty and outside rects copy nothing. */
        memset(dst, 0, sizeof(dst));
        r = (struct gfx_rect){1, 1, 0, 3};
        b = output_blit_rect(dst, 16, 4, 4, &output_pixfmt_xrgb8888, &c, &r);
        CHECK(b.w == 0);
        r = (struct gfx_rect){4, 0, 2, 2};
        b = output_blit_rect(dst, 16, 4, 4, &output_pixfmt_xrgb8888, &c, &r);
        CHECK(b.w == 0);
        r = (struct gfx_rect){0, -5, 2, 5};
        b = output_blit_rect(dst, 16, 4, 4, &output_pixfmt_xrgb8888, &c, &r);
        CHECK(b.w == 0);
        for (size_t i = 0; i < ARRAY_SIZE(dst); i++)
                CHECK_INTEQ(dst[i], 0);
}

TEST(memory_png_roundtrip)
{
        enum { W = 37, H = 23 };
        char dir[] = "/tmp/test-output-XXXXXX";
        _cleanup_free_ char *path = NULL, *err = NULL;
        _cleanup_(output_set_done) struct output_set set = {0};
        struct gfx_image img = {0};
        struct gfx_canvas c;
        uint32_t px[W * H];
        struct output *o;

        REQUIRE(mkdtemp(dir));
        path = util_asprintf("%s/out.png", dir);
        REQUIRE(path);
        make_canvas(&c, px, W, H, 0);
        for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++)
                        px[y * W + x] = (uint32_t) (x * 7) << 16 | (uint32_t) (y * 11) << 8 |
                                        (uint32_t) ((x ^ y) * 5);
        px[0] = 0xffffffff; /* the X byte is ignored */
        px[1] = 0x00ffffff;

        CHECK_INTEQ(output_memory_open(0, 10, path, &set), -EINVAL);
        REQUIRE(output_memory_open(W, H, path, &set) == 0);
        REQUIRE(set.n == 1);
        CHECK(set.kind == OUTPUT_KIND_MEMORY);
        o = set.items[0];
        CHECK_INTEQ(o->width, W);
        CHECK_INTEQ(o->height, H);
        CHECK_STREQ(o->ops->name, "memory");
        CHECK_STREQ(o->name, path);
        CHECK_INTEQ(o->ops->present(o, &c, NULL, 0), 0);

        REQUIRE(gfx_image_load_png(path, &img, &err) == 0);
        CHECK_INTEQ(img.w, W);
        CHECK_INTEQ(img.h, H);
        if (img.w == W && img.h == H)
                for (int i = 0; i < W * H; i++)
                        if (img.px[i] != (0xff000000u | (px[i] & 0xffffff))) {
                                CHECK_INTEQ(img.px[i], 0xff000000u | (px[i] & 0xffffff));
                                break;
                        }
        gfx_image_done(&img);

        /* Release and resume are no-ops; a later present rewrites the file. */
        output_set_release(&set);
        CHECK_INTEQ(output_set_resume(&set), 0);
        px[W * H - 1] = 0x00abcdef;
        CHECK_INTEQ(o->ops->present(o, &c, &(struct gfx_rect){W - 1, H - 1, 1, 1}, 1), 0);
        REQUIRE(gfx_image_load_png(path, &img, &err) == 0);
        CHECK_INTEQ(img.px[W * H - 1], 0xffabcdef);
        gfx_image_done(&img);

        output_set_done(&set);
        CHECK(set.n == 0 && set.items == NULL);
        unlink(path);
        rmdir(dir);
}

TEST(memory_unwritable)
{
        struct output_set set = {0};
        struct gfx_canvas c;
        uint32_t px[4];

        make_canvas(&c, px, 2, 2, 0);
        REQUIRE(output_memory_open(2, 2, "/nonexistent-dir/x.png", &set) == 0);
        CHECK(set.items[0]->ops->present(set.items[0], &c, NULL, 0) < 0);
        output_set_done(&set);
}

TEST(drm_and_fbdev_without_devices)
{
        char dir[] = "/tmp/test-output-XXXXXX";
        _cleanup_free_ char *fake = NULL;
        struct output_set set = {0};
        FILE *f;

        /* No /dev/dri at all, then an empty one: no outputs, but a set to rescan later. */
        CHECK_INTEQ(output_drm_open("/nonexistent/dri", NULL, &set), -ENODEV);
        CHECK(set.n == 0);
        CHECK_INTEQ(output_drm_rescan(&set), 0);
        output_set_done(&set);

        REQUIRE(mkdtemp(dir));
        CHECK_INTEQ(output_drm_open(dir, "1024x768", &set), -ENODEV);
        CHECK_INTEQ(output_drm_rescan(&set), 0);
        /* A "card" that is a regular file: cannot be opened as DRM, ignored. */
        fake = util_asprintf("%s/card0", dir);
        REQUIRE(fake);
        f = fopen(fake, "w");
        REQUIRE(f);
        fclose(f);
        CHECK_INTEQ(output_drm_rescan(&set), 0);
        CHECK(set.n == 0);
        output_set_done(&set);

        /* fbdev on a regular file: the ioctls fail. */
        CHECK(output_fbdev_open(fake, &set) < 0);
        CHECK(set.n == 0);
        output_set_done(&set);
        CHECK(output_fbdev_open("/nonexistent/fb0", &set) == -ENOENT);
        output_set_done(&set);

        unlink(fake);
        rmdir(dir);
}
