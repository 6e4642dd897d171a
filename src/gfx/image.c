/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PNG in and out with libpng's simplified API (png_image): it expands palettes, tRNS, grey,
 * grey+alpha, 16-bit samples and Adam7 interlacing, and turns damaged data into an error message
 * through its own setjmp. The size in IHDR is checked before libpng runs and again from libpng's
 * header, in both cases before any pixel memory is allocated. */
#include "image.h"

#include <fcntl.h>
#include <png.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "../core/util.h"
#include "image-priv.h"

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

void gfx_image_set_error(char **ret_error, const char *fmt, ...)
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

int gfx_image_check_size(unsigned long w, unsigned long h, const char *name,
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

int gfx_image_check_holds(unsigned long w, unsigned long h, unsigned long long max_pixels,
                          unsigned long long size, const char *name, char **ret_error)
{
        if ((unsigned long long) w * h <= max_pixels)
                return 0;
        set_error(ret_error,
                  "%s is damaged: its %llu bytes cannot hold %lux%lu pixels (at most %llu)", name,
                  size, w, h, max_pixels);
        return -EBADMSG;
}

bool gfx_image_premultiply(uint32_t *px, size_t n)
{
        uint32_t all = 0xFF000000u;

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
        return all == 0xFF000000u;
}

static uint32_t be32(const uint8_t *b)
{
        return (uint32_t) b[0] << 24 | (uint32_t) b[1] << 16 | (uint32_t) b[2] << 8 | b[3];
}

/* Deflate's best: a 258-byte match in 2 bits (zlib's technical notes: at most 1032:1). */
#define PNG_INFLATE_MAX 1032ULL

/* The size of the file behind fd (UINT64_MAX when fstat fails). */
static uint64_t fd_size(int fd)
{
        struct stat st;

        return fstat(fd, &st) == 0 && st.st_size >= 0 ? (uint64_t) st.st_size : UINT64_MAX;
}

/* The signature, and the size from IHDR (the first chunk) when it is there: within the limits,
 * the budget, and what a file of size bytes can hold (every row is a filter byte and at least 1
 * bit a pixel, inflated at most 1032 times from the file's bytes). */
static int check_header(const uint8_t *b, size_t n, uint64_t size, const char *name,
                        const unsigned long long *budget, char **ret_error)
{
        int r;

        if (n < 8 || png_sig_cmp(b, 0, 8) != 0) {
                set_error(ret_error, "%s is not a PNG file", name);
                return -EBADMSG;
        }
        if (n < 24 || memcmp(b + 12, "IHDR", 4) != 0)
                return 0;
        r = gfx_image_check_size(be32(b + 16), be32(b + 20), name, budget, ret_error);
        if (r < 0 || size > UINT64_MAX / (8 * PNG_INFLATE_MAX))
                return r;
        return gfx_image_check_holds(be32(b + 16), be32(b + 20), size * 8 * PNG_INFLATE_MAX, size,
                                     name, ret_error);
}

/* Finishes a png_image whose header was read; always frees it. */
static int decode(png_image *pi, const char *name, unsigned long long *budget,
                  struct gfx_image *ret, char **ret_error)
{
        uint32_t *px;
        size_t n;
        int r;

        r = gfx_image_check_size(pi->width, pi->height, name, budget, ret_error);
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
        *ret = (struct gfx_image){.w = (int) pi->width,
                                  .h = (int) pi->height,
                                  .px = px,
                                  .opaque = gfx_image_premultiply(px, n)};
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
        r = check_header(hdr, n, fd_size(fileno(f)), name, budget, ret_error);
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
        r = check_header(b, (size_t) n, fd_size(fd), name, NULL, ret_error);
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

static int png_memory(const void *data, size_t len, const char *name, unsigned long long *budget,
                      struct gfx_image *ret, char **ret_error)
{
        png_image pi = {.version = PNG_IMAGE_VERSION};
        int r;

        r = check_header(data, data ? len : 0, data ? len : 0, name, budget, ret_error);
        if (r < 0)
                return r;
        if (!png_image_begin_read_from_memory(&pi, data, len)) {
                set_error(ret_error, "%s is damaged: %s", name, pi.message);
                png_image_free(&pi);
                return -EBADMSG;
        }
        return decode(&pi, name, budget, ret, ret_error);
}

int gfx_image_load_png_memory_named(const void *data, size_t len, const char *name,
                                    struct gfx_image *ret, char **ret_error)
{
        if (ret_error)
                *ret_error = NULL;
        return png_memory(data, len, name, NULL, ret, ret_error);
}

int gfx_image_load_png_memory(const void *data, size_t len, struct gfx_image *ret, char **ret_error)
{
        return gfx_image_load_png_memory_named(data, len, "PNG data", ret, ret_error);
}

/* ---- Every format GRUB reads: the reader picked by the name's extension, as GRUB does ----- */

size_t gfx_image_src_read(struct gfx_image_src *s, void *buf, size_t n)
{
        if (s->f)
                return fread(buf, 1, n, s->f);
        n = MIN(n, s->len - MIN(s->pos, s->len));
        if (n)
                memcpy(buf, s->data + s->pos, n);
        s->pos += n;
        return n;
}

uint64_t gfx_image_src_size(struct gfx_image_src *s)
{
        return s->f ? fd_size(fileno(s->f)) : s->len;
}

size_t gfx_image_src_pread(struct gfx_image_src *s, uint64_t off, void *buf, size_t n)
{
        size_t got = 0;

        if (!s->f) {
                if (off >= s->len)
                        return 0;
                n = MIN(n, s->len - (size_t) off);
                memcpy(buf, s->data + off, n);
                return n;
        }
        while (got < n) {
                ssize_t k =
                        pread(fileno(s->f), (uint8_t *) buf + got, n - got, (off_t) (off + got));

                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        break;
                got += (size_t) k;
        }
        return got;
}

/* GRUB's bitmap.c: the first reader whose extension ends the name (case-insensitive). */
static const struct {
        const char *ext;
        enum gfx_image_kind kind;
} extensions[] = {
        {".png", GFX_IMAGE_PNG},
        {".jpg", GFX_IMAGE_JPEG},
        {".jpeg", GFX_IMAGE_JPEG},
        {".tga", GFX_IMAGE_TGA},
};

static const char *const kind_names[] = {
        [GFX_IMAGE_NONE] = "unknown",
        [GFX_IMAGE_PNG] = "PNG",
        [GFX_IMAGE_JPEG] = "JPEG",
        [GFX_IMAGE_TGA] = "TGA",
};

enum gfx_image_kind gfx_image_kind_of_name(const char *name)
{
        size_t n = name ? strlen(name) : 0;

        for (size_t i = 0; i < ARRAY_SIZE(extensions); i++) {
                size_t e = strlen(extensions[i].ext);

                if (n >= e && strcasecmp(name + n - e, extensions[i].ext) == 0)
                        return extensions[i].kind;
        }
        return GFX_IMAGE_NONE;
}

enum gfx_image_kind gfx_image_kind_of_content(const void *data, size_t len)
{
        const uint8_t *b = data;

        if (len >= 8 && png_sig_cmp(b, 0, 8) == 0)
                return GFX_IMAGE_PNG;
        if (len >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
                return GFX_IMAGE_JPEG;
        return GFX_IMAGE_NONE; /* TGA has no signature */
}

const char *gfx_image_kind_name(enum gfx_image_kind kind)
{
        return (unsigned) kind < ARRAY_SIZE(kind_names) ? kind_names[kind] : kind_names[0];
}

/* The reader for name, if its first bytes do not say it is another format. */
static int pick_reader(const char *name, const uint8_t *b, size_t n, enum gfx_image_kind *ret,
                       char **ret_error)
{
        enum gfx_image_kind by_name = gfx_image_kind_of_name(name),
                            by_content = gfx_image_kind_of_content(b, n);

        if (by_name == GFX_IMAGE_NONE) {
                set_error(ret_error,
                          "%s: GRUB reads .png, .jpg, .jpeg and .tga images only (it picks the "
                          "reader by the name's extension)",
                          name);
                return -ENOTSUP;
        }
        if (by_content != GFX_IMAGE_NONE && by_content != by_name) {
                set_error(ret_error,
                          "%s is a %s file: GRUB picks the reader by the name's extension (%s) "
                          "and cannot show it; rename it to .%s",
                          name, kind_names[by_content], kind_names[by_name],
                          by_content == GFX_IMAGE_PNG ? "png" : "jpg");
                return -EBADMSG;
        }
        *ret = by_name;
        return 0;
}

/* A JPEG or TGA reader over a FILE on a duplicate of fd, read from the start. */
static int read_fd(int fd, enum gfx_image_kind kind, const char *name, unsigned long long *budget,
                   struct gfx_image *ret, int *w, int *h, char **ret_error)
{
        _cleanup_fclose_ FILE *f = NULL;
        struct gfx_image_src s = {0};
        int r, d;

        d = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (d < 0 || lseek(d, 0, SEEK_SET) < 0 || !(f = fdopen(d, "rb"))) {
                r = -errno;
                if (d >= 0)
                        close(d);
                set_error(ret_error, "%s cannot be read: %s", name, strerror(-r));
                return r;
        }
        s.f = f;
        if (kind == GFX_IMAGE_JPEG)
                return gfx_image_jpeg_read(&s, name, budget, ret, w, h, ret_error);
        return gfx_image_tga_read(&s, name, budget, ret, w, h, ret_error);
}

static int first_bytes(int fd, const char *name, uint8_t b[static 8], size_t *ret_n,
                       char **ret_error)
{
        ssize_t n = pread(fd, b, 8, 0);

        if (n < 0) {
                int r = -errno;

                set_error(ret_error, "%s cannot be read: %s", name, strerror(-r));
                return r;
        }
        *ret_n = (size_t) n;
        return 0;
}

/* The reader for fd: its first bytes and its name, as GRUB's bitmap loader picks one. */
static int reader_of(int fd, const char *name, enum gfx_image_kind *ret_kind, char **ret_error)
{
        uint8_t b[8];
        size_t n = 0;
        int r;

        if (ret_error)
                *ret_error = NULL;
        r = first_bytes(fd, name, b, &n, ret_error);
        if (r < 0)
                return r;
        return pick_reader(name, b, n, ret_kind, ret_error);
}

int gfx_image_load_fd(int fd, const char *name, unsigned long long *budget, struct gfx_image *ret,
                      char **ret_error)
{
        enum gfx_image_kind kind;
        int r;

        *ret = (struct gfx_image){0};
        r = reader_of(fd, name, &kind, ret_error);
        if (r < 0)
                return r;
        if (kind == GFX_IMAGE_PNG)
                return gfx_image_load_png_fd(fd, name, budget, ret, ret_error);
        return read_fd(fd, kind, name, budget, ret, NULL, NULL, ret_error);
}

int gfx_image_size_fd(int fd, const char *name, int *ret_w, int *ret_h, char **ret_error)
{
        enum gfx_image_kind kind;
        int r;

        r = reader_of(fd, name, &kind, ret_error);
        if (r < 0)
                return r;
        if (kind == GFX_IMAGE_PNG)
                return gfx_image_png_size_fd(fd, name, ret_w, ret_h, ret_error);
        return read_fd(fd, kind, name, NULL, NULL, ret_w, ret_h, ret_error);
}

int gfx_image_load_memory_as(const void *data, size_t len, const char *name,
                             unsigned long long *budget, struct gfx_image *ret, char **ret_error)
{
        struct gfx_image_src s = {.data = data, .len = data ? len : 0};
        enum gfx_image_kind kind;
        int r;

        if (ret_error)
                *ret_error = NULL;
        *ret = (struct gfx_image){0};
        r = pick_reader(name, s.data, s.len, &kind, ret_error);
        if (r < 0)
                return r;
        if (kind == GFX_IMAGE_PNG)
                return png_memory(data, len, name, budget, ret, ret_error);
        if (kind == GFX_IMAGE_JPEG)
                return gfx_image_jpeg_read(&s, name, budget, ret, NULL, NULL, ret_error);
        return gfx_image_tga_read(&s, name, budget, ret, NULL, NULL, ret_error);
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

/* w x h pixels (0xAARRGGBB) written as a PNG of format, bpp bytes a pixel made by put. */
static int write_pixels_png(int w, int h, const uint32_t *px, uint32_t format, size_t bpp,
                            void (*put)(uint8_t *o, uint32_t p), const char *path)
{
        png_image pi = {.version = PNG_IMAGE_VERSION, .format = format};
        _cleanup_free_ uint8_t *buf = NULL;
        size_t n;

        if (!px || w <= 0 || h <= 0)
                return -EINVAL;
        n = (size_t) w * (size_t) h;
        buf = malloc(n * bpp);
        if (!buf)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                put(buf + bpp * i, px[i]);
        pi.width = (png_uint_32) w;
        pi.height = (png_uint_32) h;
        return write_png(&pi, path, buf);
}

static void put_rgb(uint8_t *o, uint32_t p)
{
        o[0] = (uint8_t) (p >> 16);
        o[1] = (uint8_t) (p >> 8);
        o[2] = (uint8_t) p;
}

static void put_straight_rgba(uint8_t *o, uint32_t p)
{
        uint32_t a = p >> 24;

        o[3] = (uint8_t) a;
        for (int k = 0; k < 3; k++) {
                /* Premultiplied to straight: round(v * 255 / a). */
                uint32_t v = (p >> (16 - 8 * k)) & 0xFF;

                o[k] = a ? (uint8_t) MIN((v * 255 + a / 2) / a, 255u) : 0;
        }
}

int gfx_canvas_write_png(const struct gfx_canvas *c, const char *path)
{
        if (!c)
                return -EINVAL;
        return write_pixels_png(c->w, c->h, c->px, PNG_FORMAT_RGB, 3, put_rgb, path);
}

int gfx_image_write_png(const struct gfx_image *img, const char *path)
{
        if (!img)
                return -EINVAL;
        return write_pixels_png(img->w, img->h, img->px, PNG_FORMAT_RGBA, 4, put_straight_rgba,
                                path);
}
