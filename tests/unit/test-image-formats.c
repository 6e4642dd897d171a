/* SPDX-License-Identifier: GPL-2.0-or-later */
/* JPEG and TGA as GRUB reads them, and the reader picked by the name's extension. JPEGs are made
 * here with libjpeg-turbo's own encoder (baseline, 4:2:0 and 4:4:4, grey, progressive, CMYK);
 * TGAs are written byte by byte (every image type GRUB reads, RLE, both origins). */
#include "test.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <jpeglib.h>

#include "core/util.h"
#include "gfx/image.h"

enum jpeg_kind { J_RGB444, J_RGB420, J_RGB422, J_GREY, J_PROGRESSIVE, J_CMYK, J_RGB_SPACE };

/* A w x h JPEG at quality 100 whose pixel (x, y) is px(x, y) (0xRRGGBB; CMYK: the bytes). */
static int make_jpeg(enum jpeg_kind kind, int w, int h, uint32_t (*px)(int x, int y),
                     unsigned char **ret, unsigned long *ret_len)
{
        struct jpeg_compress_struct ci;
        struct jpeg_error_mgr jerr;
        int comps = kind == J_GREY ? 1 : kind == J_CMYK ? 4 : 3;
        _cleanup_free_ unsigned char *row = malloc((size_t) w * 4);

        if (!row)
                return -ENOMEM;
        *ret = NULL;
        *ret_len = 0;
        ci.err = jpeg_std_error(&jerr);
        jpeg_create_compress(&ci);
        jpeg_mem_dest(&ci, ret, ret_len);
        ci.image_width = (JDIMENSION) w;
        ci.image_height = (JDIMENSION) h;
        ci.input_components = comps;
        ci.in_color_space = comps == 1 ? JCS_GRAYSCALE : comps == 4 ? JCS_CMYK : JCS_RGB;
        jpeg_set_defaults(&ci);
        jpeg_set_quality(&ci, 100, TRUE);
        if (kind == J_RGB444)
                for (int i = 0; i < 3; i++)
                        ci.comp_info[i].h_samp_factor = ci.comp_info[i].v_samp_factor = 1;
        if (kind == J_RGB422)
                ci.comp_info[0].v_samp_factor = 1;
        if (kind == J_PROGRESSIVE)
                jpeg_simple_progression(&ci);
        /* RGB stored as is (an Adobe marker, component ids 'R', 'G', 'B'). */
        if (kind == J_RGB_SPACE)
                jpeg_set_colorspace(&ci, JCS_RGB);
        jpeg_start_compress(&ci, TRUE);
        for (int y = 0; y < h; y++) {
                JSAMPROW r = row;

                for (int x = 0; x < w; x++) {
                        uint32_t p = px(x, y);

                        for (int k = 0; k < comps; k++)
                                row[x * comps + k] = (unsigned char) (p >> (8 * (comps - 1 - k)));
                }
                jpeg_write_scanlines(&ci, &r, 1);
        }
        jpeg_finish_compress(&ci);
        jpeg_destroy_compress(&ci);
        return 0;
}

/* Four 16x16 blocks: red, green / blue, white (aligned to the 4:2:0 MCU). */
static uint32_t quad(int x, int y)
{
        static const uint32_t c[4] = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF};

        return c[(y / 16) * 2 + x / 16];
}

static uint32_t grey_ramp(int x, int y)
{
        return (uint32_t) (x * 8 + y) & 0xFF;
}

static uint32_t cmyk(int x, int y)
{
        return 0x10203040u + (uint32_t) (x + y);
}

static bool near(uint32_t got, uint32_t want, int tol)
{
        for (int k = 0; k < 32; k += 8) {
                int a = (int) ((got >> k) & 0xFF), b = (int) ((want >> k) & 0xFF);

                if (abs(a - b) > tol)
                        return false;
        }
        return true;
}

/* The offset of the frame header (SOF0) in a JPEG, 0 when there is none. */
static size_t find_sof(const unsigned char *data, size_t len)
{
        for (size_t i = 0; i + 9 < len; i++)
                if (data[i] == 0xFF && data[i + 1] == 0xC0)
                        return i;
        return 0;
}

static uint32_t at(const struct gfx_image *img, int x, int y)
{
        return img->px[(size_t) y * (size_t) img->w + (size_t) x];
}

TEST(jpeg_baseline_pixels)
{
        const enum jpeg_kind kinds[] = {J_RGB444, J_RGB420, J_RGB422};

        for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
                _cleanup_free_ unsigned char *data = NULL;
                _cleanup_free_ char *err = NULL;
                unsigned long len;
                struct gfx_image img;

                REQUIRE(make_jpeg(kinds[i], 32, 32, quad, &data, &len) == 0);
                CHECK_INTEQ(gfx_image_kind_of_content(data, len), GFX_IMAGE_JPEG);
                CHECK_INTEQ(gfx_image_load_memory_as(data, len, "bg.jpg", NULL, &img, &err), 0);
                CHECK(err == NULL);
                REQUIRE(img.px);
                CHECK_INTEQ(img.w, 32);
                CHECK_INTEQ(img.h, 32);
                CHECK(img.opaque);
                /* The middle of each block (away from the edges, where DCT ringing is). */
                for (int b = 0; b < 4; b++) {
                        uint32_t got = at(&img, (b % 2) * 16 + 8, (b / 2) * 16 + 8);

                        if (!near(got, 0xFF000000u | quad((b % 2) * 16, (b / 2) * 16), 6)) {
                                printf("# kind %zu block %d: %08x\n", i, b, got);
                                CHECK(false);
                        }
                }
                gfx_image_done(&img);
        }
}

TEST(jpeg_grey_and_names)
{
        _cleanup_free_ unsigned char *data = NULL;
        unsigned long len;
        struct gfx_image img;
        int bad = 0;

        REQUIRE(make_jpeg(J_GREY, 32, 8, grey_ramp, &data, &len) == 0);
        /* .jpeg and any case: GRUB compares the extension without case. */
        CHECK_INTEQ(gfx_image_load_memory_as(data, len, "a/BG.JPEG", NULL, &img, NULL), 0);
        REQUIRE(img.px);
        for (int y = 0; y < 8; y++)
                for (int x = 0; x < 32; x++) {
                        uint32_t v = grey_ramp(x, y);

                        bad += !near(at(&img, x, y), 0xFF000000u | v * 0x010101u, 3);
                }
        CHECK_INTEQ(bad, 0);
        gfx_image_done(&img);
        CHECK_INTEQ(gfx_image_kind_of_name("x.Jpg"), GFX_IMAGE_JPEG);
        CHECK_INTEQ(gfx_image_kind_of_name("x.tga"), GFX_IMAGE_TGA);
        CHECK_INTEQ(gfx_image_kind_of_name("x.png"), GFX_IMAGE_PNG);
        CHECK_INTEQ(gfx_image_kind_of_name("x.png.bak"), GFX_IMAGE_NONE);
        CHECK_INTEQ(gfx_image_kind_of_name("jpg"), GFX_IMAGE_NONE);
}

/* GRUB picks the reader by the extension: a JPEG named .png is not shown, nor a .bmp. */
TEST(jpeg_wrong_extension)
{
        _cleanup_free_ unsigned char *data = NULL;
        unsigned long len;
        struct gfx_image img;
        char *err = NULL;

        REQUIRE(make_jpeg(J_RGB420, 16, 16, quad, &data, &len) == 0);
        CHECK_INTEQ(gfx_image_load_memory_as(data, len, "bg.png", NULL, &img, &err), -EBADMSG);
        CHECK_STREQ(err, "bg.png is a JPEG file: GRUB picks the reader by the name's extension "
                         "(PNG) and cannot show it; rename it to .jpg");
        CHECK(img.px == NULL);
        free(err);
        err = NULL;
        CHECK_INTEQ(gfx_image_load_memory_as(data, len, "bg.tga", NULL, &img, &err), -EBADMSG);
        free(err);
        err = NULL;
        CHECK_INTEQ(gfx_image_load_memory_as(data, len, "bg.bmp", NULL, &img, &err), -ENOTSUP);
        CHECK_STREQ(err, "bg.bmp: GRUB reads .png, .jpg, .jpeg and .tga images only (it picks "
                         "the reader by the name's extension)");
        free(err);
}

/* What GRUB's reader cannot show is refused before any pixel is decoded. */
TEST(jpeg_progressive_and_cmyk_refused)
{
        _cleanup_free_ unsigned char *prog = NULL, *cm = NULL;
        unsigned long plen, clen;
        unsigned long long budget = 10000;
        struct gfx_image img;
        char *err = NULL;

        REQUIRE(make_jpeg(J_PROGRESSIVE, 32, 32, quad, &prog, &plen) == 0);
        CHECK_INTEQ(gfx_image_load_memory_as(prog, plen, "p.jpg", &budget, &img, &err), -ENOTSUP);
        CHECK_STREQ(err, "p.jpg is a progressive JPEG: GRUB's JPEG reader cannot show it (save it "
                         "as a baseline JPEG)");
        CHECK_INTEQ(budget, 10000);
        free(err);
        err = NULL;
        REQUIRE(make_jpeg(J_CMYK, 16, 16, cmyk, &cm, &clen) == 0);
        CHECK_INTEQ(gfx_image_load_memory_as(cm, clen, "c.jpg", &budget, &img, &err), -ENOTSUP);
        CHECK_STREQ(err, "c.jpg is a CMYK JPEG (4 components): GRUB's JPEG reader cannot show it "
                         "(save it as a baseline JPEG)");
        CHECK_INTEQ(budget, 10000);
        free(err);
        err = NULL;
        /* An RGB JPEG: GRUB takes component ids 1, 2, 3 only (it has no RGB JPEG). */
        free(cm);
        cm = NULL;
        REQUIRE(make_jpeg(J_RGB_SPACE, 16, 16, quad, &cm, &clen) == 0);
        CHECK_INTEQ(gfx_image_load_memory_as(cm, clen, "r.jpg", &budget, &img, &err), -ENOTSUP);
        CHECK_STREQ(err, "r.jpg has component ids other than 1, 2, 3: GRUB's JPEG reader cannot "
                         "show it (save it as a baseline JPEG)");
        free(err);
}

TEST(jpeg_damaged_and_limits)
{
        _cleanup_free_ unsigned char *data = NULL;
        unsigned long len;
        unsigned long long budget;
        struct gfx_image img;
        char *err = NULL;
        size_t sof = 0;

        REQUIRE(make_jpeg(J_RGB420, 32, 32, quad, &data, &len) == 0);
        /* Cut in the middle of the image data: an error (GRUB fails it too), pixels spent. */
        budget = 5000;
        CHECK_INTEQ(gfx_image_load_memory_as(data, len - 40, "cut.jpg", &budget, &img, &err),
                    -EBADMSG);
        CHECK(err && strstr(err, "cut.jpg is damaged: "));
        CHECK(img.px == NULL);
        CHECK_INTEQ(budget, 5000 - 1024);
        free(err);
        err = NULL;
        /* Over the budget: refused from the header, nothing spent. */
        budget = 1023;
        CHECK_INTEQ(gfx_image_load_memory_as(data, len, "b.jpg", &budget, &img, &err), -E2BIG);
        CHECK_STREQ(err, "b.jpg is 32x32 pixels, more than the 1023 pixels left");
        CHECK_INTEQ(budget, 1023);
        free(err);
        err = NULL;
        /* 20000 pixels wide in the frame header: refused before decoding. */
        sof = find_sof(data, len);
        REQUIRE(sof);
        data[sof + 7] = 20000 >> 8;
        data[sof + 8] = 20000 & 0xFF;
        CHECK_INTEQ(gfx_image_load_memory_as(data, len, "w.jpg", NULL, &img, &err), -EFBIG);
        CHECK_STREQ(err, "w.jpg is 20000x32 pixels, larger than the 16384x16384 limit");
        free(err);
        err = NULL;
        /* Not a JPEG at all. */
        CHECK_INTEQ(gfx_image_load_memory_as("GIF89a....", 10, "g.jpg", NULL, &img, &err),
                    -EBADMSG);
        CHECK_STREQ(err, "g.jpg is damaged: it does not start with a JPEG marker");
        free(err);
}

/* ---- TGA, byte by byte ---- */

struct buf {
        uint8_t b[4096];
        size_t n;
};

static void put(struct buf *b, const void *d, size_t n)
{
        memcpy(b->b + b->n, d, n);
        b->n += n;
}

static void tga_header(struct buf *b, uint8_t type, int w, int h, uint8_t bpp, uint8_t desc,
                       int map_len, uint8_t map_bpp)
{
        const uint8_t id[] = {'h', 'i'};
        uint8_t hd[18] = {sizeof(id),
                          map_len ? 1 : 0,
                          type,
                          0,
                          0,
                          (uint8_t) map_len,
                          (uint8_t) (map_len >> 8),
                          map_bpp,
                          0,
                          0,
                          0,
                          0,
                          (uint8_t) w,
                          (uint8_t) (w >> 8),
                          (uint8_t) h,
                          (uint8_t) (h >> 8),
                          bpp,
                          desc};

        b->n = 0;
        put(b, hd, sizeof(hd));
        put(b, id, sizeof(id));
}

static int load_tga(const struct buf *b, struct gfx_image *img, char **err)
{
        return gfx_image_load_memory_as(b->b, b->n, "t.tga", NULL, img, err);
}

/* 2x2 true colour, 24 and 32 bits, bottom-left and top-left origins. */
TEST(tga_truecolor_origins)
{
        /* In file order (BGR[A]): red, green, blue, white with alpha 0x80 on the last. */
        const uint8_t px32[] = {0,   0, 255, 255, 0,   255, 0,   255,
                                255, 0, 0,   255, 255, 255, 255, 0x80};
        struct gfx_image img;
        struct buf b;

        for (int top = 0; top < 2; top++) {
                tga_header(&b, 2, 2, 2, 24, top ? 0x20 : 0, 0, 0);
                for (int i = 0; i < 4; i++)
                        put(&b, px32 + 4 * i, 3);
                REQUIRE(load_tga(&b, &img, NULL) == 0);
                /* The file's first row is the bottom one unless the top-origin bit is set. */
                CHECK_INTEQ(at(&img, 0, top ? 0 : 1), 0xFFFF0000u);
                CHECK_INTEQ(at(&img, 1, top ? 0 : 1), 0xFF00FF00u);
                CHECK_INTEQ(at(&img, 0, top ? 1 : 0), 0xFF0000FFu);
                CHECK_INTEQ(at(&img, 1, top ? 1 : 0), 0xFFFFFFFFu);
                CHECK(img.opaque);
                gfx_image_done(&img);
        }
        /* 32 bits: the fourth byte is alpha (premultiplied when loaded); the right-origin bit
         * (0x10) is ignored, as GRUB ignores it. */
        tga_header(&b, 2, 2, 2, 32, 0x20 | 0x10 | 8, 0, 0);
        put(&b, px32, sizeof(px32));
        REQUIRE(load_tga(&b, &img, NULL) == 0);
        CHECK_INTEQ(at(&img, 0, 0), 0xFFFF0000u);
        CHECK_INTEQ(at(&img, 1, 1), 0x80808080u);
        CHECK(!img.opaque);
        gfx_image_done(&img);
}

/* RLE true colour, a run packet crossing a row, a raw packet; grey and colour-mapped, plain and
 * RLE. */
TEST(tga_rle_grey_indexed)
{
        struct gfx_image img;
        struct buf b;

        /* 3x2, top-left: run of 4 red (row 0 and the first of row 1), raw green, blue. */
        tga_header(&b, 10, 3, 2, 24, 0x20, 0, 0);
        put(&b, (uint8_t[]){0x83, 0, 0, 255}, 4);
        put(&b, (uint8_t[]){0x01, 0, 255, 0, 255, 0, 0}, 7);
        REQUIRE(load_tga(&b, &img, NULL) == 0);
        CHECK_INTEQ(at(&img, 0, 0), 0xFFFF0000u);
        CHECK_INTEQ(at(&img, 2, 0), 0xFFFF0000u);
        CHECK_INTEQ(at(&img, 0, 1), 0xFFFF0000u);
        CHECK_INTEQ(at(&img, 1, 1), 0xFF00FF00u);
        CHECK_INTEQ(at(&img, 2, 1), 0xFF0000FFu);
        gfx_image_done(&img);

        /* Grey 2x1, plain and RLE. */
        tga_header(&b, 3, 2, 1, 8, 0, 0, 0);
        put(&b, (uint8_t[]){0x10, 0xE0}, 2);
        REQUIRE(load_tga(&b, &img, NULL) == 0);
        CHECK_INTEQ(at(&img, 0, 0), 0xFF101010u);
        CHECK_INTEQ(at(&img, 1, 0), 0xFFE0E0E0u);
        gfx_image_done(&img);
        tga_header(&b, 11, 2, 1, 8, 0, 0, 0);
        put(&b, (uint8_t[]){0x81, 0x40}, 2);
        REQUIRE(load_tga(&b, &img, NULL) == 0);
        CHECK_INTEQ(at(&img, 1, 0), 0xFF404040u);
        gfx_image_done(&img);

        /* Colour-mapped: a map of 2 BGR entries; index 5 is past it (black, as in GRUB). */
        for (int rle = 0; rle < 2; rle++) {
                tga_header(&b, rle ? 9 : 1, 3, 1, 8, 0, 2, 24);
                put(&b, (uint8_t[]){0, 0, 255, 255, 0, 0}, 6);
                if (rle)
                        put(&b, (uint8_t[]){0x02, 1, 0, 5}, 4);
                else
                        put(&b, (uint8_t[]){1, 0, 5}, 3);
                REQUIRE(load_tga(&b, &img, NULL) == 0);
                CHECK_INTEQ(at(&img, 0, 0), 0xFF0000FFu);
                CHECK_INTEQ(at(&img, 1, 0), 0xFFFF0000u);
                CHECK_INTEQ(at(&img, 2, 0), 0xFF000000u);
                gfx_image_done(&img);
        }
}

TEST(tga_refused_and_short)
{
        struct gfx_image img;
        unsigned long long budget;
        char *err = NULL;
        struct buf b;
        int w = 0, h = 0;

        /* 16-bit true colour: GRUB does not read it. */
        tga_header(&b, 2, 1, 1, 16, 0, 0, 0);
        put(&b, (uint8_t[]){0, 0}, 2);
        CHECK_INTEQ(load_tga(&b, &img, &err), -ENOTSUP);
        CHECK_STREQ(err, "t.tga is a TGA file GRUB does not read (type 2, 16 bits per pixel)");
        free(err);
        err = NULL;
        /* A colour map of 16-bit entries, and image types GRUB has no reader for. */
        tga_header(&b, 1, 1, 1, 8, 0, 1, 16);
        CHECK_INTEQ(load_tga(&b, &img, NULL), -ENOTSUP);
        tga_header(&b, 32, 1, 1, 8, 0, 0, 0);
        CHECK_INTEQ(load_tga(&b, &img, &err), -ENOTSUP);
        CHECK_STREQ(err, "t.tga is not a TGA file GRUB reads (image type 32)");
        free(err);
        err = NULL;
        /* 0 wide, and shorter than a header. */
        tga_header(&b, 2, 0, 1, 24, 0, 0, 0);
        CHECK_INTEQ(load_tga(&b, &img, NULL), -EBADMSG);
        b.n = 10;
        CHECK_INTEQ(load_tga(&b, &img, NULL), -EBADMSG);
        /* Over the budget: refused from the header. */
        tga_header(&b, 2, 300, 200, 24, 0, 0, 0);
        budget = 59999;
        CHECK_INTEQ(gfx_image_load_memory_as(b.b, b.n, "big.tga", &budget, &img, NULL), -E2BIG);
        CHECK_INTEQ(budget, 59999);
        /* Cut short: drawn, the last pixel repeated (GRUB keeps the last pixel). */
        tga_header(&b, 2, 3, 1, 24, 0, 0, 0);
        put(&b, (uint8_t[]){255, 0, 0}, 3);
        REQUIRE(load_tga(&b, &img, NULL) == 0);
        CHECK_INTEQ(at(&img, 0, 0), 0xFF0000FFu);
        CHECK_INTEQ(at(&img, 2, 0), 0xFF0000FFu);
        gfx_image_done(&img);

        /* From a file: the size from the header, then the pixels. */
        {
                _cleanup_free_ char *path = util_asprintf("%s/icon.tga", test_scratch);
                int fd;

                tga_header(&b, 2, 3, 1, 24, 0, 0, 0);
                put(&b, (uint8_t[]){255, 0, 0, 0, 255, 0, 0, 0, 255}, 9);
                REQUIRE(path);
                fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
                REQUIRE(fd >= 0);
                REQUIRE(write(fd, b.b, b.n) == (ssize_t) b.n);
                CHECK_INTEQ(gfx_image_size_fd(fd, path, &w, &h, NULL), 0);
                CHECK_INTEQ(w, 3);
                CHECK_INTEQ(h, 1);
                budget = 3;
                CHECK_INTEQ(gfx_image_load_fd(fd, path, &budget, &img, NULL), 0);
                CHECK_INTEQ(budget, 0);
                REQUIRE(img.px);
                CHECK_INTEQ(at(&img, 2, 0), 0xFFFF0000u);
                gfx_image_done(&img);
                close(fd);
                unlink(path);
        }
}

/* A JPEG from a file: the size from its header, then the pixels (the stdio path). */
TEST(jpeg_from_fd)
{
        _cleanup_free_ char *path = util_asprintf("%s/photo.jpg", test_scratch);
        _cleanup_free_ unsigned char *data = NULL;
        unsigned long len;
        struct gfx_image img;
        int fd, w = 0, h = 0;

        REQUIRE(path);
        REQUIRE(make_jpeg(J_RGB420, 32, 32, quad, &data, &len) == 0);
        fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        REQUIRE(fd >= 0);
        REQUIRE(write(fd, data, len) == (ssize_t) len);
        CHECK_INTEQ(gfx_image_size_fd(fd, path, &w, &h, NULL), 0);
        CHECK_INTEQ(w, 32);
        CHECK_INTEQ(h, 32);
        CHECK_INTEQ(gfx_image_load_fd(fd, path, NULL, &img, NULL), 0);
        REQUIRE(img.px);
        CHECK(near(at(&img, 24, 24), 0xFFFFFFFFu, 6));
        gfx_image_done(&img);
        /* A progressive file is refused by its size too (its header says GRUB cannot show it). */
        free(data);
        data = NULL;
        REQUIRE(make_jpeg(J_PROGRESSIVE, 32, 32, quad, &data, &len) == 0);
        REQUIRE(ftruncate(fd, 0) == 0);
        REQUIRE(pwrite(fd, data, len, 0) == (ssize_t) len);
        CHECK_INTEQ(gfx_image_size_fd(fd, path, &w, &h, NULL), -ENOTSUP);
        close(fd);
        unlink(path);
}

/* A header cannot claim more pixels than its file can hold (issue 14): a 36-byte TGA saying
 * 16384x2048 (within the limits: 128 MiB of pixels) is refused as damaged before any pixel
 * memory or budget is spent, as are a JPEG and a PNG whose data is far too short for their
 * header's size; a file that does hold its pixels (RLE at its best, 128 pixels a packet) or is
 * cut after half of them is still drawn. */
TEST(image_header_bounded_by_file_size)
{
        _cleanup_free_ unsigned char *data = NULL;
        _cleanup_free_ char *path = util_asprintf("%s/max.tga", test_scratch);
        unsigned long long budget = 32ULL << 20;
        unsigned long len;
        struct gfx_image img;
        char *err = NULL;
        struct buf b;
        int fd, w = 0, h = 0;
        size_t sof = 0;

        /* TGA, raw: 4 pixels of data under a 16384x2048 header. */
        tga_header(&b, 2, 16384, 2048, 32, 8, 0, 0);
        put(&b, (uint8_t[16]){0x80}, 16);
        CHECK_INTEQ(gfx_image_load_memory_as(b.b, b.n, "max.tga", &budget, &img, &err), -EBADMSG);
        CHECK_STREQ(err, "max.tga is damaged: its 36 bytes cannot hold 16384x2048 pixels (at most "
                         "65544)");
        CHECK_INTEQ(budget, 32ULL << 20);
        CHECK(img.px == NULL);
        free(err);
        err = NULL;
        /* The same from a file: its size from fstat, in the size-only path too. */
        REQUIRE(path);
        fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        REQUIRE(fd >= 0);
        REQUIRE(write(fd, b.b, b.n) == (ssize_t) b.n);
        CHECK_INTEQ(gfx_image_size_fd(fd, path, &w, &h, NULL), -EBADMSG);
        CHECK_INTEQ(gfx_image_load_fd(fd, path, &budget, &img, &err), -EBADMSG);
        CHECK(err && strstr(err, "max.tga is damaged: its 36 bytes cannot hold 16384x2048"));
        CHECK_INTEQ(budget, 32ULL << 20);
        free(err);
        err = NULL;
        close(fd);
        unlink(path);
        /* TGA, RLE at its best: 512 packets of 128 grey pixels hold 65536; cut after a third of
         * 768x256 it is drawn (the last pixel repeated), one row more is refused. */
        for (int rows = 256; rows <= 257; rows++) {
                tga_header(&b, 11, 768, rows, 8, 0x20, 0, 0);
                for (int i = 0; i < 512; i++)
                        put(&b, (uint8_t[]){0xFF, (uint8_t) i}, 2);
                if (rows == 256) {
                        REQUIRE(load_tga(&b, &img, NULL) == 0);
                        CHECK_INTEQ(at(&img, 127, 0), 0xFF000000u);
                        CHECK_INTEQ(at(&img, 128, 0), 0xFF010101u);
                        CHECK_INTEQ(at(&img, 767, 255), 0xFFFFFFFFu);
                        gfx_image_done(&img);
                } else {
                        CHECK_INTEQ(load_tga(&b, &img, &err), -EBADMSG);
                        CHECK_STREQ(err, "t.tga is damaged: its 1044 bytes cannot hold 768x257 "
                                         "pixels (at most 196608)");
                        free(err);
                        err = NULL;
                }
        }
        /* JPEG: baseline data takes at least 2 bits an 8x8 block (256 pixels a byte). */
        REQUIRE(make_jpeg(J_GREY, 32, 32, grey_ramp, &data, &len) == 0);
        sof = find_sof(data, len);
        REQUIRE(sof);
        data[sof + 5] = 2048 >> 8;
        data[sof + 6] = 2048 & 0xFF;
        data[sof + 7] = 16384 >> 8;
        data[sof + 8] = 16384 & 0xFF;
        CHECK_INTEQ(gfx_image_load_memory_as(data, len, "max.jpg", &budget, &img, &err), -EBADMSG);
        CHECK(err && strstr(err, "max.jpg is damaged: its ") &&
              strstr(err, " bytes cannot hold 16384x2048 pixels (at most "));
        CHECK_INTEQ(budget, 32ULL << 20);
        free(err);
        err = NULL;
        /* PNG: at most 1 bit a pixel, inflated at most 1032 times (69 bytes: 569,664 pixels). */
        {
                static const uint8_t png[69] = {
                        0x89, 'P', 'N', 'G',  '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D',
                        'R',  0,   0,   0x40, 0,    0,    0,    0x08, 0, 8, 6, 0,  0,   0};

                CHECK_INTEQ(
                        gfx_image_load_memory_as(png, sizeof(png), "max.png", &budget, &img, &err),
                        -EBADMSG);
                CHECK_STREQ(err, "max.png is damaged: its 69 bytes cannot hold 16384x2048 pixels "
                                 "(at most 569664)");
                CHECK_INTEQ(budget, 32ULL << 20);
                free(err);
        }
}
