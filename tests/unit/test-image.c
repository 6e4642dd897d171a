/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"
#include "test-png.h"

#include <fcntl.h>
#include <png.h>
#include <zlib.h>

#include "gfx/image.h"
#include "core/util.h"

/* The test program's scratch directory (test.h). */
static char *const tmpdir = test_scratch;

static char *tmp_path(const char *name)
{
        return util_asprintf("%s/%s", tmpdir, name);
}

static uint32_t premul(uint32_t argb)
{
        uint32_t a = argb >> 24, r = a << 24;

        for (int k = 0; k < 24; k += 8)
                r |= (((argb >> k) & 0xFF) * a + 127) / 255 << k;
        return r;
}

/* ---- PNG files made with libpng's classic writer, in memory ---- */

struct membuf {
        uint8_t *data;
        size_t len, cap;
};

static void mem_write(png_structp png, png_bytep d, size_t n)
{
        struct membuf *m = png_get_io_ptr(png);

        if (UTIL_GROW(m->data, m->cap, m->len + n) < 0)
                png_error(png, "out of memory");
        memcpy(m->data + m->len, d, n);
        m->len += n;
}

static void mem_flush(png_structp png)
{
}

struct png_spec {
        int w, h, depth, colour, interlace;
        const png_color *palette;
        int n_palette;
        const uint8_t *trns;
        int n_trns;
        uint8_t **rows;
};

/* No local state changes after setjmp, so nothing can be clobbered by the longjmp. */
static int write_classic(const struct png_spec *s, struct membuf *m)
{
        png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
        png_infop info = png ? png_create_info_struct(png) : NULL;

        if (!info) {
                png_destroy_write_struct(&png, NULL);
                return -ENOMEM;
        }
        if (setjmp(png_jmpbuf(png))) {
                png_destroy_write_struct(&png, &info);
                return -EIO;
        }
        png_set_write_fn(png, m, mem_write, mem_flush);
        png_set_IHDR(png, info, (png_uint_32) s->w, (png_uint_32) s->h, s->depth, s->colour,
                     s->interlace, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
        if (s->palette)
                png_set_PLTE(png, info, s->palette, s->n_palette);
        if (s->trns)
                png_set_tRNS(png, info, s->trns, s->n_trns, NULL);
        png_write_info(png, info);
        if (s->interlace == PNG_INTERLACE_ADAM7)
                png_set_interlace_handling(png);
        png_write_image(png, s->rows);
        png_write_end(png, info);
        png_destroy_write_struct(&png, &info);
        return 0;
}

/* Rows of bytes for a w x h image of bpp bytes per pixel, filled by the test. */
static uint8_t **rows_new(int w, int h, int bpp)
{
        uint8_t **rows = calloc((size_t) h + 1, sizeof(*rows));

        for (int y = 0; rows && y < h; y++) {
                rows[y] = calloc((size_t) w, (size_t) bpp);
                if (!rows[y]) {
                        strv_free((char **) rows);
                        return NULL;
                }
        }
        return rows;
}

static int load_mem(const struct membuf *m, struct gfx_image *img, char **err)
{
        return gfx_image_load_png_memory(m->data, m->len, img, err);
}

TEST(round_trip_canvas)
{
        struct gfx_canvas c;
        struct gfx_image img = {0};
        _cleanup_free_ char *path = tmp_path("canvas.png"), *err = NULL;
        uint8_t mask[64];

        REQUIRE(gfx_canvas_init(&c, 37, 19) == 0);
        for (int i = 0; i < 64; i++)
                mask[i] = (uint8_t) (i * 4);
        gfx_fill(&c, &(struct gfx_rect){3, 2, 20, 10}, 0xFF3366CCu);
        gfx_fill(&c, &(struct gfx_rect){10, 5, 20, 10}, 0x80FFEE11u);
        gfx_draw_mask(&c, mask, 8, 8, 8, 25, 9, 0xFFFFFFFFu);
        REQUIRE(gfx_canvas_write_png(&c, path) == 0);
        REQUIRE(gfx_image_load_png(path, &img, &err) == 0);
        CHECK(err == NULL);
        CHECK_INTEQ(img.w, 37);
        CHECK_INTEQ(img.h, 19);
        CHECK(img.opaque);
        CHECK(memcmp(img.px, c.px, 37 * 19 * sizeof(uint32_t)) == 0);
        unlink(path);
        gfx_image_done(&img);
        gfx_canvas_done(&c);
}

TEST(round_trip_image)
{
        struct gfx_image src, img = {0};
        _cleanup_free_ char *path = tmp_path("image.png"), *err = NULL;

        /* Every alpha, with colours that are exact after premultiplying: the round trip keeps
         * premultiplied pixels. */
        REQUIRE(gfx_image_new(16, 16, &src) == 0);
        for (int i = 0; i < 256; i++)
                src.px[i] = premul((uint32_t) i << 24 | (uint32_t) (255 - i) << 16 |
                                   (uint32_t) (i * 7 % 256) << 8 | 0xFF);
        REQUIRE(gfx_image_write_png(&src, path) == 0);
        REQUIRE(gfx_image_load_png(path, &img, &err) == 0);
        CHECK_INTEQ(img.w, 16);
        CHECK(!img.opaque);
        for (int i = 0; i < 256; i++)
                CHECK_INTEQ(img.px[i], src.px[i]);
        unlink(path);
        gfx_image_done(&img);
        gfx_image_done(&src);
}

TEST(png_16bit_rgba)
{
        const uint16_t px[4][4] = {
                {0xFFFF, 0x8080, 0x0000, 0xFFFF},
                {0x4040, 0xC0C0, 0x2020, 0xFFFF},
                {0x1234, 0x5678, 0x9ABC, 0x0000},
                {0xFFFF, 0x0000, 0x0000, 0x8080},
        };
        struct membuf m = {0};
        struct gfx_image img = {0};
        _cleanup_free_ char *err = NULL;
        _cleanup_strv_ char **rows = (char **) rows_new(2, 2, 8);
        struct png_spec s = {.w = 2,
                             .h = 2,
                             .depth = 16,
                             .colour = PNG_COLOR_TYPE_RGB_ALPHA,
                             .interlace = PNG_INTERLACE_NONE};

        REQUIRE(rows);
        for (int i = 0; i < 4; i++)
                for (int k = 0; k < 4; k++) {
                        uint8_t *o = (uint8_t *) rows[i / 2] + (i % 2) * 8 + k * 2;

                        o[0] = (uint8_t) (px[i][k] >> 8);
                        o[1] = (uint8_t) px[i][k];
                }
        s.rows = (uint8_t **) rows;
        REQUIRE(write_classic(&s, &m) == 0);
        REQUIRE(load_mem(&m, &img, &err) == 0);
        CHECK(err == NULL);
        REQUIRE(img.w == 2 && img.h == 2);
        /* 16-bit samples are taken as sRGB, as 8-bit ones: 0xXYXY becomes 0xXY. */
        CHECK_INTEQ(img.px[0], 0xFFFF8000u);
        CHECK_INTEQ(img.px[1], 0xFF40C020u);
        CHECK_INTEQ(img.px[2], 0x00000000u);
        /* Opaque red at 50%: premultiplied 0x80 (libpng may round the alpha path by one). */
        CHECK((img.px[3] >> 24) == 0x80);
        CHECK(((img.px[3] >> 16) & 0xFF) >= 0x7F && ((img.px[3] >> 16) & 0xFF) <= 0x81);
        CHECK((img.px[3] & 0xFFFF) == 0);
        CHECK(!img.opaque);
        gfx_image_done(&img);
        free(m.data);
}

TEST(png_palette_trns)
{
        static const png_color pal[4] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {200, 100, 50}};
        static const uint8_t trns[2] = {0, 128}; /* entries 2 and 3 opaque */
        const int depths[] = {8, 4, 2};

        for (size_t d = 0; d < ARRAY_SIZE(depths); d++) {
                struct membuf m = {0};
                struct gfx_image img = {0};
                _cleanup_free_ char *err = NULL;
                _cleanup_strv_ char **rows = (char **) rows_new(5, 1, 1);
                struct png_spec s = {.w = 5,
                                     .h = 1,
                                     .depth = depths[d],
                                     .colour = PNG_COLOR_TYPE_PALETTE,
                                     .interlace = PNG_INTERLACE_NONE,
                                     .palette = pal,
                                     .n_palette = 4,
                                     .trns = trns,
                                     .n_trns = 2};
                const uint8_t idx[5] = {0, 1, 2, 3, 1};

                REQUIRE(rows);
                /* Pack the indices at this depth, most significant bits first. */
                for (int x = 0; x < 5; x++) {
                        int bit = x * depths[d];

                        ((uint8_t *) rows[0])[bit / 8] |=
                                (uint8_t) (idx[x] << (8 - depths[d] - bit % 8));
                }
                s.rows = (uint8_t **) rows;
                REQUIRE(write_classic(&s, &m) == 0);
                REQUIRE(load_mem(&m, &img, &err) == 0);
                REQUIRE(img.w == 5 && img.h == 1);
                CHECK_INTEQ(img.px[0], 0x00000000u);
                CHECK_INTEQ(img.px[1], premul(0x8000FF00u));
                CHECK_INTEQ(img.px[1], 0x80008000u);
                CHECK_INTEQ(img.px[2], 0xFF0000FFu);
                CHECK_INTEQ(img.px[3], 0xFFC86432u);
                CHECK_INTEQ(img.px[4], 0x80008000u);
                CHECK(!img.opaque);
                gfx_image_done(&img);
                free(m.data);
        }
}

TEST(png_grey)
{
        struct membuf m = {0}, m1 = {0};
        struct gfx_image img = {0};
        _cleanup_free_ char *err = NULL;
        _cleanup_strv_ char **rows = (char **) rows_new(3, 1, 1);
        struct png_spec s = {.w = 3,
                             .h = 1,
                             .depth = 8,
                             .colour = PNG_COLOR_TYPE_GRAY,
                             .interlace = PNG_INTERLACE_NONE};

        REQUIRE(rows);
        memcpy(rows[0], "\x00\x80\xff", 3);
        s.rows = (uint8_t **) rows;
        REQUIRE(write_classic(&s, &m) == 0);
        REQUIRE(load_mem(&m, &img, &err) == 0);
        REQUIRE(img.w == 3);
        CHECK_INTEQ(img.px[0], 0xFF000000u);
        CHECK_INTEQ(img.px[1], 0xFF808080u);
        CHECK_INTEQ(img.px[2], 0xFFFFFFFFu);
        CHECK(img.opaque);
        gfx_image_done(&img);

        /* 1-bit grey: 0b101 -> white, black, white. */
        memcpy(rows[0], "\xa0\x00\x00", 3);
        s.depth = 1;
        REQUIRE(write_classic(&s, &m1) == 0);
        REQUIRE(load_mem(&m1, &img, &err) == 0);
        CHECK_INTEQ(img.px[0], 0xFFFFFFFFu);
        CHECK_INTEQ(img.px[1], 0xFF000000u);
        CHECK_INTEQ(img.px[2], 0xFFFFFFFFu);
        gfx_image_done(&img);
        free(m.data);
        free(m1.data);
}

TEST(png_grey_alpha)
{
        struct membuf m = {0};
        struct gfx_image img = {0};
        _cleanup_free_ char *err = NULL;
        _cleanup_strv_ char **rows = (char **) rows_new(3, 1, 2);
        struct png_spec s = {.w = 3,
                             .h = 1,
                             .depth = 8,
                             .colour = PNG_COLOR_TYPE_GRAY_ALPHA,
                             .interlace = PNG_INTERLACE_NONE};

        REQUIRE(rows);
        memcpy(rows[0], "\xc8\xff\xc8\x64\x37\x00", 6);
        s.rows = (uint8_t **) rows;
        REQUIRE(write_classic(&s, &m) == 0);
        REQUIRE(load_mem(&m, &img, &err) == 0);
        REQUIRE(img.w == 3);
        CHECK_INTEQ(img.px[0], 0xFFC8C8C8u);
        CHECK_INTEQ(img.px[1], premul(0x64C8C8C8u));
        CHECK_INTEQ(img.px[1], 0x644E4E4Eu);
        CHECK_INTEQ(img.px[2], 0x00000000u);
        gfx_image_done(&img);
        free(m.data);
}

TEST(png_interlaced)
{
        const int w = 13, h = 11;
        struct membuf m = {0}, plain = {0};
        struct gfx_image img = {0};
        _cleanup_free_ char *err = NULL;
        _cleanup_strv_ char **rows = (char **) rows_new(w, h, 4);
        struct png_spec s = {.w = w,
                             .h = h,
                             .depth = 8,
                             .colour = PNG_COLOR_TYPE_RGB_ALPHA,
                             .interlace = PNG_INTERLACE_ADAM7};

        REQUIRE(rows);
        for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                        uint8_t *o = (uint8_t *) rows[y] + 4 * x;

                        o[0] = (uint8_t) (x * 19);
                        o[1] = (uint8_t) (y * 23);
                        o[2] = (uint8_t) ((x + y) * 7);
                        o[3] = (uint8_t) ((x * y) % 3 == 0 ? 255 : x * 20);
                }
        s.rows = (uint8_t **) rows;
        REQUIRE(write_classic(&s, &m) == 0);
        /* Really interlaced: byte 28 of the file is IHDR's interlace method. */
        REQUIRE(m.len > 28);
        CHECK_INTEQ(m.data[28], 1);
        REQUIRE(load_mem(&m, &img, &err) == 0);
        REQUIRE(img.w == w && img.h == h);
        for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                        const uint8_t *o = (const uint8_t *) rows[y] + 4 * x;
                        uint32_t want = premul((uint32_t) o[3] << 24 | (uint32_t) o[0] << 16 |
                                               (uint32_t) o[1] << 8 | o[2]);

                        CHECK_INTEQ(img.px[y * w + x], want);
                }
        gfx_image_done(&img);

        /* The same pixels without interlacing decode the same. */
        s.interlace = PNG_INTERLACE_NONE;
        REQUIRE(write_classic(&s, &plain) == 0);
        CHECK_INTEQ(plain.data[28], 0);
        REQUIRE(load_mem(&plain, &img, &err) == 0);
        CHECK_INTEQ(img.px[w * h - 1], premul(0xFFE4E69Au));
        gfx_image_done(&img);
        free(m.data);
        free(plain.data);
}

TEST(png_too_large)
{
        uint8_t b[64];
        size_t n;
        struct gfx_image img = {0};
        _cleanup_free_ char *err = NULL, *err2 = NULL, *err3 = NULL, *err4 = NULL;
        _cleanup_free_ char *path = tmp_path("huge.png");
        _cleanup_fclose_ FILE *f = NULL;

        /* The crafted header is well formed: the same bytes with a small size only fail for
         * want of image data, which shows that the size is what is refused below. */
        n = craft_ihdr(b, 30000, 30000);
        CHECK_INTEQ(gfx_image_load_png_memory(b, n, &img, &err), -EFBIG);
        CHECK_STREQ(err, "PNG data is 30000x30000 pixels, larger than the 16384x16384 limit");
        CHECK(img.px == NULL);

        f = fopen(path, "we");
        REQUIRE(f);
        REQUIRE(fwrite(b, 1, n, f) == n);
        REQUIRE(fflush(f) == 0);
        CHECK_INTEQ(gfx_image_load_png(path, &img, &err2), -EFBIG);
        REQUIRE(err2);
        CHECK(strstr(err2, "huge.png is 30000x30000 pixels, larger than the 16384x16384 limit"));
        CHECK(img.px == NULL);
        unlink(path);

        /* Both sides allowed, too many pixels. */
        n = craft_ihdr(b, 16384, 9000);
        CHECK_INTEQ(gfx_image_load_png_memory_named(b, n, "big.png", &img, &err3), -EFBIG);
        CHECK_STREQ(err3, "big.png is 16384x9000 pixels, more than the limit of 67108864 pixels");

        n = craft_ihdr(b, 30, 20);
        CHECK_INTEQ(gfx_image_load_png_memory(b, n, &img, &err4), -EBADMSG);
        REQUIRE(err4);
        CHECK(startswith(err4, "PNG data is damaged: "));
        CHECK(img.px == NULL);
}

/* A noisy image, so that its IDAT is long. */
static int noisy_png(struct membuf *m)
{
        _cleanup_strv_ char **rows = (char **) rows_new(64, 64, 4);
        struct png_spec s = {.w = 64,
                             .h = 64,
                             .depth = 8,
                             .colour = PNG_COLOR_TYPE_RGB_ALPHA,
                             .interlace = PNG_INTERLACE_NONE};
        uint32_t seed = 12345;

        if (!rows)
                return -ENOMEM;
        for (int y = 0; y < 64; y++)
                for (int x = 0; x < 256; x++) {
                        seed = seed * 1103515245u + 12345u;
                        ((uint8_t *) rows[y])[x] = (uint8_t) (seed >> 16);
                }
        s.rows = (uint8_t **) rows;
        return write_classic(&s, m);
}

TEST(png_truncated_and_corrupt)
{
        struct membuf m = {0};
        struct gfx_image img = {0};
        _cleanup_free_ char *path = tmp_path("cut.png");
        const size_t cuts[] = {12, 20, 30, 40, 100};

        REQUIRE(noisy_png(&m) == 0);
        REQUIRE(m.len > 16000);
        {
                _cleanup_free_ char *err = NULL;

                REQUIRE(load_mem(&m, &img, &err) == 0);
                gfx_image_done(&img);
        }
        for (size_t i = 0; i <= ARRAY_SIZE(cuts); i++) {
                size_t n = i < ARRAY_SIZE(cuts) ? cuts[i] : m.len / 2;
                _cleanup_free_ char *err = NULL;

                CHECK_INTEQ(gfx_image_load_png_memory(m.data, n, &img, &err), -EBADMSG);
                REQUIRE(err);
                CHECK(startswith(err, "PNG data is damaged: "));
                CHECK(img.px == NULL);
        }
        {
                _cleanup_free_ char *err = NULL;
                _cleanup_fclose_ FILE *f = fopen(path, "we");

                REQUIRE(f);
                REQUIRE(fwrite(m.data, 1, m.len - 100, f) == m.len - 100);
                REQUIRE(fflush(f) == 0);
                CHECK_INTEQ(gfx_image_load_png(path, &img, &err), -EBADMSG);
                REQUIRE(err);
                CHECK(strstr(err, "cut.png is damaged: "));
                CHECK(img.px == NULL);
                unlink(path);
        }
        {
                /* A flipped byte inside IDAT: the CRC no longer matches. */
                _cleanup_free_ char *err = NULL;

                m.data[m.len / 2] ^= 0x55;
                CHECK_INTEQ(gfx_image_load_png_memory(m.data, m.len, &img, &err), -EBADMSG);
                REQUIRE(err);
                CHECK(startswith(err, "PNG data is damaged: "));
        }
        free(m.data);
}

TEST(not_png)
{
        struct gfx_image img = {0};
        _cleanup_free_ char *path = tmp_path("notes.png"), *missing = tmp_path("missing.png");
        _cleanup_free_ char *err = NULL, *err2 = NULL, *err3 = NULL, *err4 = NULL;
        _cleanup_fclose_ FILE *f = NULL;

        f = fopen(path, "we");
        REQUIRE(f);
        fputs("title-text: \"not an image\"\n", f);
        REQUIRE(fflush(f) == 0);
        CHECK_INTEQ(gfx_image_load_png(path, &img, &err), -EBADMSG);
        REQUIRE(err);
        CHECK(strstr(err, "notes.png is not a PNG file"));
        CHECK(img.px == NULL);
        unlink(path);

        CHECK_INTEQ(gfx_image_load_png_memory("", 0, &img, &err2), -EBADMSG);
        CHECK_STREQ(err2, "PNG data is not a PNG file");
        CHECK_INTEQ(gfx_image_load_png_memory("\x89PNG", 4, &img, &err3), -EBADMSG);
        CHECK_STREQ(err3, "PNG data is not a PNG file");

        CHECK_INTEQ(gfx_image_load_png(missing, &img, &err4), -ENOENT);
        REQUIRE(err4);
        CHECK(strstr(err4, "missing.png cannot be opened: No such file or directory"));
        /* No message wanted. */
        CHECK_INTEQ(gfx_image_load_png(missing, &img, NULL), -ENOENT);
}

TEST(write_errors)
{
        struct gfx_canvas c;
        struct gfx_image img;

        REQUIRE(gfx_canvas_init(&c, 4, 4) == 0);
        REQUIRE(gfx_image_new(4, 4, &img) == 0);
        CHECK(gfx_canvas_write_png(&c, "/nonexistent-dir/x.png") < 0);
        CHECK(gfx_image_write_png(&img, "/nonexistent-dir/x.png") < 0);
        CHECK_INTEQ(gfx_image_write_png(&(struct gfx_image){0}, "/tmp/x.png"), -EINVAL);
        gfx_image_done(&img);
        gfx_canvas_done(&c);
}

TEST(png_fd_header_size_and_budget)
{
        _cleanup_free_ char *huge = tmp_path("huge-fd.png"), *small = tmp_path("small-fd.png");
        _cleanup_free_ char *empty = tmp_path("empty-fd.png");
        struct gfx_image img = {0};
        unsigned long long budget;
        int fd, w = 0, h = 0;

        /* 60000x60000 in the header: refused from it, nothing allocated, no budget spent. */
        REQUIRE(write_ihdr(huge, 60000, 60000, true) == 0);
        fd = open(huge, O_RDONLY | O_CLOEXEC);
        REQUIRE(fd >= 0);
        CHECK_INTEQ(gfx_image_png_size_fd(fd, "huge.png", &w, &h, NULL), -EFBIG);
        budget = 1000;
        {
                _cleanup_free_ char *err = NULL;

                CHECK_INTEQ(gfx_image_load_png_fd(fd, "huge.png", &budget, &img, &err), -EFBIG);
                CHECK_STREQ(err,
                            "huge.png is 60000x60000 pixels, larger than the 16384x16384 limit");
        }
        CHECK(img.px == NULL);
        CHECK_INTEQ(budget, 1000);
        close(fd);
        unlink(huge);

        /* A real 4x2 image: its size from the header, then a budget of 7, 8 and 0 pixels. */
        REQUIRE(gfx_image_new(4, 2, &img) == 0);
        REQUIRE(gfx_image_write_png(&img, small) == 0);
        gfx_image_done(&img);
        fd = open(small, O_RDONLY | O_CLOEXEC);
        REQUIRE(fd >= 0);
        CHECK_INTEQ(gfx_image_png_size_fd(fd, "small.png", &w, &h, NULL), 0);
        CHECK_INTEQ(w, 4);
        CHECK_INTEQ(h, 2);
        budget = 7;
        {
                _cleanup_free_ char *err = NULL;

                CHECK_INTEQ(gfx_image_load_png_fd(fd, "small.png", &budget, &img, &err), -E2BIG);
                CHECK_STREQ(err, "small.png is 4x2 pixels, more than the 7 pixels left");
        }
        CHECK_INTEQ(budget, 7);
        budget = 8;
        CHECK_INTEQ(gfx_image_load_png_fd(fd, "small.png", &budget, &img, NULL), 0);
        CHECK_INTEQ(img.w, 4);
        CHECK_INTEQ(budget, 0);
        gfx_image_done(&img);
        CHECK_INTEQ(gfx_image_load_png_fd(fd, "small.png", &budget, &img, NULL), -E2BIG);
        CHECK_INTEQ(gfx_image_load_png_fd(fd, "small.png", NULL, &img, NULL), 0);
        gfx_image_done(&img);
        close(fd);
        unlink(small);

        /* A header and no pixel data: refused before decoding, nothing spent. */
        REQUIRE(write_ihdr(empty, 100, 100, false) == 0);
        fd = open(empty, O_RDONLY | O_CLOEXEC);
        REQUIRE(fd >= 0);
        budget = 50000;
        CHECK_INTEQ(gfx_image_load_png_fd(fd, "empty.png", &budget, &img, NULL), -EBADMSG);
        CHECK_INTEQ(budget, 50000);
        close(fd);

        /* Damaged pixel data: decoding starts, fails, and the pixels are spent. */
        REQUIRE(write_ihdr(empty, 100, 100, true) == 0);
        fd = open(empty, O_RDONLY | O_CLOEXEC);
        REQUIRE(fd >= 0);
        budget = 50000;
        CHECK_INTEQ(gfx_image_load_png_fd(fd, "empty.png", &budget, &img, NULL), -EBADMSG);
        CHECK(img.px == NULL);
        CHECK_INTEQ(budget, 40000);
        close(fd);
        unlink(empty);
}
