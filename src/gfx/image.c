/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PNG in and out with libpng's simplified API (png_image): it expands palettes, tRNS, grey,
 * grey+alpha, 16-bit samples and Adam7 interlacing, and turns damaged data into an error message
 * through its own setjmp. The size in IHDR is checked before libpng runs and again from libpng's
 * header, in both cases before any pixel memory is allocated. */
#include "image.h"

#include <fcntl.h>
#include <png.h>
#include <stdarg.h>

#include "../core/util.h"

/* The byte order that makes a uint32_t read as 0xAARRGGBB. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define GFX_PNG_FORMAT_NATIVE PNG_FORMAT_BGRA
#else
#define GFX_PNG_FORMAT_NATIVE PNG_FORMAT_ARGB
#endif

#define LANES 0x00FF00FFu

static inline uint32_t div255_lanes(uint32_t t)
{
        t += 0x00800080u;
        return ((t + ((t >> 8) & LANES)) >> 8) & LANES;
}

_printf_(2, 3) static void set_error(char **ret_error, const char *fmt, ...)
{
        va_list ap;

        if (!ret_error)
                return;
        free(*ret_error);
        va_start(ap, fmt);
        if (vasprintf(ret_error, fmt, ap) < 0)
                *ret_error = NULL;
        va_end(ap);
}

/* budget: NULL, or the pixels the caller has left: -E2BIG beyond. */
static int check_size(unsigned long w, unsigned long h, const char *name,
                      const unsigned long long *budget, char **ret_error)
{
        if (w > GFX_IMAGE_MAX_SIDE || h > GFX_IMAGE_MAX_SIDE) {
                set_error(ret_error, "%s is %lux%lu pixels, larger than the %dx%d limit", name, w,
                          h, GFX_IMAGE_MAX_SIDE, GFX_IMAGE_MAX_SIDE);
                return -EFBIG;
        }
        if ((unsigned long long) w * h > (unsigned long long) GFX_IMAGE_MAX_PIXELS) {
                set_error(ret_error, "%s is %lux%lu pixels, more than the limit of %ld pixels",
                          name, w, h, (long) GFX_IMAGE_MAX_PIXELS);
                return -EFBIG;
        }
        if (budget && (unsigned long long) w * h > *budget) {
                set_error(ret_error, "%s is %lux%lu pixels, more than the %llu pixels left", name,
                          w, h, *budget);
                return -E2BIG;
        }
        return 0;
}

static uint32_t be32(const uint8_t *b)
{
        return (uint32_t) b[0] << 24 | (uint32_t) b[1] << 16 | (uint32_t) b[2] << 8 | b[3];
}

/* The signature, and the size from IHDR (the first chunk) when it is there. */
static int check_header(const uint8_t *b, size_t n, const char *name,
                        const unsigned long long *budget, char **ret_error)
{
        if (n < 8 || png_sig_cmp(b, 0, 8) != 0) {
                set_error(ret_error, "%s is not a PNG file", name);
                return -EBADMSG;
        }
        if (n >= 24 && memcmp(b + 12, "IHDR", 4) == 0)
                return check_size(be32(b + 16), be32(b + 20), name, budget, ret_error);
        return 0;
}

/* Finishes a png_image whose header was read; always frees it. */
static int decode(png_image *pi, const char *name, unsigned long long *budget,
                  struct gfx_image *ret, char **ret_error)
{
        uint32_t *px, all = 0xFF000000u;
        size_t n;
        int r;

        r = check_size(pi->width, pi->height, name, budget, ret_error);
        if (r < 0)
                goto fail;
        /* Spent once decoding starts, whether the data then turns out good or not. */
        if (budget)
                *budget -= (unsigned long long) pi->width * pi->height;
        pi->format = GFX_PNG_FORMAT_NATIVE;
        /* Without gAMA, libpng takes 16-bit samples as linear light; real files are sRGB. */
        pi->flags |= PNG_IMAGE_FLAG_16BIT_sRGB;
        n = (size_t) pi->width * pi->height;
        px = malloc(n * sizeof(uint32_t));
        if (!px) {
                set_error(ret_error, "%s: out of memory for %ux%u pixels", name, pi->width,
                          pi->height);
                r = -ENOMEM;
                goto fail;
        }
        if (!png_image_finish_read(pi, NULL, px, 0, NULL)) {
                set_error(ret_error, "%s is damaged: %s", name, pi->message);
                free(px);
                r = -EBADMSG;
                goto fail;
        }
        /* Straight alpha to premultiplied. */
        for (size_t i = 0; i < n; i++) {
                uint32_t p = px[i], a = p >> 24;

                all &= p;
                if (a == 255)
                        continue;
                if (a == 0)
                        px[i] = 0;
                else
                        px[i] = a << 24 | div255_lanes((p & LANES) * a) |
                                div255_lanes(((p >> 8) & 0xFF) * a) << 8;
        }
        *ret = (struct gfx_image){.w = (int) pi->width,
                                  .h = (int) pi->height,
                                  .px = px,
                                  .opaque = all == 0xFF000000u};
        png_image_free(pi);
        return 0;
fail:
        png_image_free(pi);
        return r;
}

/* Reads the PNG from f (at its start) under the name in messages. */
static int load_stream(FILE *f, const char *name, unsigned long long *budget, struct gfx_image *ret,
                       char **ret_error)
{
        png_image pi = {.version = PNG_IMAGE_VERSION};
        uint8_t hdr[24];
        size_t n;
        int r;

        n = fread(hdr, 1, sizeof(hdr), f);
        if (ferror(f)) {
                r = -errno ?: -EIO;
                set_error(ret_error, "%s cannot be read: %s", name, strerror(-r));
                return r;
        }
        r = check_header(hdr, n, name, budget, ret_error);
        if (r < 0)
                return r;
        rewind(f);
        if (!png_image_begin_read_from_stdio(&pi, f)) {
                set_error(ret_error, "%s is damaged: %s", name, pi.message);
                png_image_free(&pi);
                return -EBADMSG;
        }
        return decode(&pi, name, budget, ret, ret_error);
}

int gfx_image_load_png(const char *path, struct gfx_image *ret, char **ret_error)
{
        _cleanup_fclose_ FILE *f = NULL;
        int r;

        if (ret_error)
                *ret_error = NULL;
        f = fopen(path, "rbe");
        if (!f) {
                r = -errno;
                set_error(ret_error, "%s cannot be opened: %s", path, strerror(-r));
                return r;
        }
        return load_stream(f, path, NULL, ret, ret_error);
}

int gfx_image_load_png_fd(int fd, const char *name, unsigned long long *budget,
                          struct gfx_image *ret, char **ret_error)
{
        _cleanup_fclose_ FILE *f = NULL;
        int r, d;

        if (ret_error)
                *ret_error = NULL;
        d = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (d < 0 || lseek(d, 0, SEEK_SET) < 0 || !(f = fdopen(d, "rb"))) {
                r = -errno;
                if (d >= 0)
                        close(d);
                set_error(ret_error, "%s cannot be read: %s", name, strerror(-r));
                return r;
        }
        return load_stream(f, name, budget, ret, ret_error);
}

int gfx_image_png_size_fd(int fd, const char *name, int *ret_w, int *ret_h, char **ret_error)
{
        uint8_t b[24];
        ssize_t n;
        int r;

        if (ret_error)
                *ret_error = NULL;
        n = pread(fd, b, sizeof(b), 0);
        if (n < 0) {
                r = -errno;
                set_error(ret_error, "%s cannot be read: %s", name, strerror(-r));
                return r;
        }
        r = check_header(b, (size_t) n, name, NULL, ret_error);
        if (r < 0)
                return r;
        if (n < 24 || memcmp(b + 12, "IHDR", 4) != 0 || be32(b + 16) == 0 || be32(b + 20) == 0) {
                set_error(ret_error, "%s is damaged: no image header", name);
                return -EBADMSG;
        }
        *ret_w = (int) be32(b + 16);
        *ret_h = (int) be32(b + 20);
        return 0;
}

int gfx_image_load_png_memory_named(const void *data, size_t len, const char *name,
                                    struct gfx_image *ret, char **ret_error)
{
        png_image pi = {.version = PNG_IMAGE_VERSION};
        int r;

        if (ret_error)
                *ret_error = NULL;
        r = check_header(data, data ? len : 0, name, NULL, ret_error);
        if (r < 0)
                return r;
        if (!png_image_begin_read_from_memory(&pi, data, len)) {
                set_error(ret_error, "%s is damaged: %s", name, pi.message);
                png_image_free(&pi);
                return -EBADMSG;
        }
        return decode(&pi, name, NULL, ret, ret_error);
}

int gfx_image_load_png_memory(const void *data, size_t len, struct gfx_image *ret, char **ret_error)
{
        return gfx_image_load_png_memory_named(data, len, "PNG data", ret, ret_error);
}

static int write_png(png_image *pi, const char *path, const void *buf)
{
        int r = 0;

        errno = 0;
        if (!png_image_write_to_file(pi, path, 0, buf, 0, NULL))
                r = errno > 0 ? -errno : -EIO;
        png_image_free(pi);
        return r;
}

int gfx_canvas_write_png(const struct gfx_canvas *c, const char *path)
{
        png_image pi = {.version = PNG_IMAGE_VERSION, .format = PNG_FORMAT_RGB};
        _cleanup_free_ uint8_t *buf = NULL;
        size_t n;

        if (!c || !c->px || c->w <= 0 || c->h <= 0)
                return -EINVAL;
        n = (size_t) c->w * (size_t) c->h;
        buf = malloc(n * 3);
        if (!buf)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                uint32_t p = c->px[i];

                buf[3 * i] = (uint8_t) (p >> 16);
                buf[3 * i + 1] = (uint8_t) (p >> 8);
                buf[3 * i + 2] = (uint8_t) p;
        }
        pi.width = (png_uint_32) c->w;
        pi.height = (png_uint_32) c->h;
        return write_png(&pi, path, buf);
}

int gfx_image_write_png(const struct gfx_image *img, const char *path)
{
        png_image pi = {.version = PNG_IMAGE_VERSION, .format = PNG_FORMAT_RGBA};
        _cleanup_free_ uint8_t *buf = NULL;
        size_t n;

        if (!img || !img->px || img->w <= 0 || img->h <= 0)
                return -EINVAL;
        n = (size_t) img->w * (size_t) img->h;
        buf = malloc(n * 4);
        if (!buf)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                uint32_t p = img->px[i], a = p >> 24;
                uint8_t *o = buf + 4 * i;

                o[3] = (uint8_t) a;
                for (int k = 0; k < 3; k++) {
                        /* Premultiplied to straight: round(v * 255 / a). */
                        uint32_t v = (p >> (16 - 8 * k)) & 0xFF;

                        o[k] = a ? (uint8_t) MIN((v * 255 + a / 2) / a, 255u) : 0;
                }
        }
        pi.width = (png_uint_32) img->w;
        pi.height = (png_uint_32) img->h;
        return write_png(&pi, path, buf);
}
