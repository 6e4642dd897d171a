/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The output set, the console mode, and the helpers shared by the back-ends: video= parsing,
 * pixel conversion and dirty-rectangle copies into mapped video memory. */
#define LOG_MODULE "output"

#include "output.h"

#include <ctype.h>
#include <fcntl.h>
#include <linux/kd.h>
#include <sys/ioctl.h>

#include "../core/log.h"

const struct output_pixfmt output_pixfmt_xrgb8888 = {4, 16, 8, 8, 8, 0, 8};
const struct output_pixfmt output_pixfmt_xbgr8888 = {4, 0, 8, 8, 8, 16, 8};
const struct output_pixfmt output_pixfmt_rgb565 = {2, 11, 5, 5, 6, 0, 5};

struct output *output_new(const struct output_ops *ops, const char *name, int w, int h, void *data)
{
        struct output *o = calloc(1, sizeof(*o));
        if (!o)
                return NULL;
        o->name = strdup(name);
        if (!o->name) {
                free(o);
                return NULL;
        }
        o->ops = ops;
        o->width = w;
        o->height = h;
        o->data = data;
        return o;
}

void output_free_base(struct output *o)
{
        if (!o)
                return;
        free(o->name);
        free(o);
}

int output_set_add(struct output_set *s, struct output *o)
{
        if (UTIL_GROW(s->items, s->cap, s->n + 1) < 0) {
                o->ops->free(o);
                return -ENOMEM;
        }
        s->items[s->n++] = o;
        return 0;
}

void output_set_remove(struct output_set *s, size_t i)
{
        struct output *o;

        if (i >= s->n)
                return;
        o = s->items[i];
        if (!s->released)
                o->ops->release(o);
        o->ops->free(o);
        memmove(s->items + i, s->items + i + 1, (s->n - i - 1) * sizeof(*s->items));
        s->n--;
}

int output_vt_graphics(bool graphics)
{
        _cleanup_close_ int fd = open("/dev/tty0", O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (ioctl(fd, KDSETMODE, graphics ? KD_GRAPHICS : KD_TEXT) < 0) {
                int r = -errno;
                log_debug("KDSETMODE %s: %s", graphics ? "KD_GRAPHICS" : "KD_TEXT", strerror(-r));
                return r;
        }
        return 0;
}

void output_set_release(struct output_set *s)
{
        if (s->released)
                return;
        for (size_t i = 0; i < s->n; i++)
                s->items[i]->ops->release(s->items[i]);
        s->released = true;
        if (s->vt_graphics) {
                (void) output_vt_graphics(false);
                s->vt_graphics = false;
        }
}

int output_set_resume(struct output_set *s)
{
        int ret = 0;

        if (!s->released)
                return 0;
        s->released = false;
        if (s->kind == OUTPUT_KIND_DRM || s->kind == OUTPUT_KIND_FBDEV)
                s->vt_graphics = output_vt_graphics(true) >= 0;
        for (size_t i = 0; i < s->n; i++) {
                int r = s->items[i]->ops->resume(s->items[i]);
                if (r < 0) {
                        log_warn("cannot take %s again: %s", s->items[i]->name, strerror(-r));
                        if (ret == 0)
                                ret = r;
                }
        }
        return ret;
}

void output_set_done(struct output_set *s)
{
        output_set_release(s);
        for (size_t i = 0; i < s->n; i++)
                s->items[i]->ops->free(s->items[i]);
        free(s->items);
        if (s->priv_free)
                s->priv_free(s);
        *s = (struct output_set){0};
}

/* Parses a decimal number of at most 5 digits; advances *p. */
static int parse_num(const char **p, int *ret)
{
        const char *s = *p;
        int v = 0, n = 0;

        while (isdigit((unsigned char) *s)) {
                if (++n > 5)
                        return -EINVAL;
                v = v * 10 + (*s++ - '0');
        }
        if (n == 0)
                return -EINVAL;
        *p = s;
        *ret = v;
        return 0;
}

int output_parse_video_mode(const char *s, struct output_mode_spec *ret)
{
        struct output_mode_spec m = {0};
        const char *colon, *comma, *p;
        int bpp;

        if (!s)
                return -EINVAL;
        comma = strchr(s, ',');
        colon = strchr(s, ':');
        if (colon && (!comma || colon < comma)) {
                size_t l = (size_t) (colon - s);
                if (l == 0 || l >= sizeof(m.connector))
                        return -EINVAL;
                memcpy(m.connector, s, l);
                s = colon + 1;
        }
        p = s;
        if (parse_num(&p, &m.w) < 0 || *p++ != 'x' || parse_num(&p, &m.h) < 0)
                return -EINVAL;
        if (m.w <= 0 || m.h <= 0)
                return -EINVAL;
        /* Margins and reduced blanking flags, in either order. */
        while (*p == 'M' || *p == 'R')
                p++;
        if (*p == '-') {
                p++;
                if (parse_num(&p, &bpp) < 0)
                        return -EINVAL;
        }
        if (*p == '@') {
                p++;
                if (parse_num(&p, &m.refresh) < 0)
                        return -EINVAL;
        }
        /* Interlace, margins, force enable/disable. */
        while (*p && strchr("imeDd", *p))
                p++;
        if (*p && *p != ',')
                return -EINVAL;
        *ret = m;
        return 0;
}

static inline uint32_t pack(uint32_t px, const struct output_pixfmt *f)
{
        uint32_t r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;

        return (r >> (8 - f->r_len)) << f->r_off | (g >> (8 - f->g_len)) << f->g_off |
               (b >> (8 - f->b_len)) << f->b_off;
}

void output_convert_row(void *dst, const uint32_t *src, size_t n, const struct output_pixfmt *f)
{
        uint8_t *d = dst;

        if (f->bytes == 4 && f->r_off == 16 && f->g_off == 8 && f->b_off == 0 && f->r_len == 8 &&
            f->g_len == 8 && f->b_len == 8) {
                memcpy(dst, src, n * 4);
                return;
        }
        if (f->bytes == 2 && f->r_off == 11 && f->r_len == 5 && f->g_off == 5 && f->g_len == 6 &&
            f->b_off == 0 && f->b_len == 5) {
                for (size_t i = 0; i < n; i++) {
                        uint32_t p = src[i];
                        uint16_t v = (uint16_t) ((p >> 8 & 0xf800) | (p >> 5 & 0x07e0) |
                                                 (p >> 3 & 0x001f));
                        memcpy(d + 2 * i, &v, 2);
                }
                return;
        }
        for (size_t i = 0; i < n; i++) {
                uint32_t v = pack(src[i], f);
                for (int k = 0; k < f->bytes; k++)
                        *d++ = (uint8_t) (v >> (8 * k));
        }
}

struct gfx_rect output_blit_rect(void *dst, size_t dst_pitch, int dst_w, int dst_h,
                                 const struct output_pixfmt *f, const struct gfx_canvas *c,
                                 const struct gfx_rect *r)
{
        int w = MIN(dst_w, c->w), h = MIN(dst_h, c->h);
        /* a band canvas holds only its rows */
        int top = c->band_h > 0 ? c->band_y : 0;
        long long bottom = c->band_h > 0 ? (long long) c->band_y + c->band_h : c->h;
        int x0 = MAX(r->x, 0), y0 = MAX(r->y, top);
        /* In long long: a huge rect must not overflow. */
        long long x1 = MIN((long long) r->x + r->w, (long long) w);
        long long y1 = MIN(MIN((long long) r->y + r->h, (long long) h), bottom);
        struct gfx_rect out = {0, 0, 0, 0};

        if (r->w <= 0 || r->h <= 0 || x1 <= x0 || y1 <= y0)
                return out;
        out = (struct gfx_rect){x0, y0, (int) (x1 - x0), (int) (y1 - y0)};
        for (int y = out.y; y < out.y + out.h; y++) {
                uint8_t *d = (uint8_t *) dst + (size_t) y * dst_pitch + (size_t) x0 * f->bytes;
                output_convert_row(d, gfx_canvas_row(c, y) + x0, (size_t) out.w, f);
        }
        return out;
}
