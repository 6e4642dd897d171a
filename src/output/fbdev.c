/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fbdev output (/dev/fb0): efifb/vesafb before a native DRM driver loads, or a DRM driver's
 * fbdev emulation. True-colour 16, 24 and 32 bpp in any channel order; the visible part of the
 * (possibly panned) framebuffer is mapped and dirty rectangles are converted into it. */
#define LOG_MODULE "output"

#include "output.h"

#include <fcntl.h>
#include <linux/fb.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "../core/log.h"

struct fbdev_output {
        char *path;
        int fd;
        uint8_t *map;
        size_t map_len;
        size_t offset; /* of the visible screen in the mapping */
        size_t pitch;
        struct output_pixfmt fmt;
        int w, h;
        int mm_w, mm_h; /* 0 when unknown */
};

static void fbdev_unmap(struct fbdev_output *f)
{
        if (f->map)
                munmap(f->map, f->map_len);
        f->map = NULL;
        if (f->fd >= 0)
                close(f->fd);
        f->fd = -1;
}

/* Opens and maps the device and reads its geometry into f. */
static int fbdev_map(struct fbdev_output *f)
{
        struct fb_var_screeninfo var;
        struct fb_fix_screeninfo fix;
        int r;

        f->fd = open(f->path, O_RDWR | O_CLOEXEC);
        if (f->fd < 0)
                return -errno;
        if (ioctl(f->fd, FBIOGET_VSCREENINFO, &var) < 0 ||
            ioctl(f->fd, FBIOGET_FSCREENINFO, &fix) < 0) {
                r = -errno;
                goto fail;
        }
        if (fix.type != FB_TYPE_PACKED_PIXELS ||
            (fix.visual != FB_VISUAL_TRUECOLOR && fix.visual != FB_VISUAL_DIRECTCOLOR)) {
                log_info("%s: type %u visual %u is not packed true colour", f->path, fix.type,
                         fix.visual);
                r = -EOPNOTSUPP;
                goto fail;
        }
        if ((var.bits_per_pixel != 16 && var.bits_per_pixel != 24 && var.bits_per_pixel != 32) ||
            var.red.length == 0 || var.red.length > 8 || var.green.length == 0 ||
            var.green.length > 8 || var.blue.length == 0 || var.blue.length > 8 ||
            var.red.offset + var.red.length > var.bits_per_pixel ||
            var.green.offset + var.green.length > var.bits_per_pixel ||
            var.blue.offset + var.blue.length > var.bits_per_pixel) {
                log_info("%s: %u bpp (red %u/%u green %u/%u blue %u/%u) not supported", f->path,
                         var.bits_per_pixel, var.red.offset, var.red.length, var.green.offset,
                         var.green.length, var.blue.offset, var.blue.length);
                r = -EOPNOTSUPP;
                goto fail;
        }
        f->fmt = (struct output_pixfmt){
                .bytes = (int) var.bits_per_pixel / 8,
                .r_off = (uint8_t) var.red.offset,
                .r_len = (uint8_t) var.red.length,
                .g_off = (uint8_t) var.green.offset,
                .g_len = (uint8_t) var.green.length,
                .b_off = (uint8_t) var.blue.offset,
                .b_len = (uint8_t) var.blue.length,
        };
        f->w = (int) var.xres;
        f->h = (int) var.yres;
        /* the panel's size in mm: efifb and vesafb say -1 or 0 (unknown) */
        f->mm_w = var.width > 0 && var.width < 10000 ? (int) var.width : 0;
        f->mm_h = var.height > 0 && var.height < 10000 ? (int) var.height : 0;
        f->pitch = fix.line_length;
        f->offset = (size_t) var.yoffset * fix.line_length + (size_t) var.xoffset * f->fmt.bytes;
        if (f->w <= 0 || f->h <= 0 || f->w > 16384 || f->h > 16384 ||
            f->pitch < (size_t) f->w * f->fmt.bytes ||
            f->offset + (size_t) f->h * f->pitch > fix.smem_len) {
                log_info("%s: bad geometry %dx%d pitch %zu memory %u", f->path, f->w, f->h,
                         f->pitch, fix.smem_len);
                r = -EINVAL;
                goto fail;
        }
        f->map_len = fix.smem_len;
        f->map = mmap(NULL, f->map_len, PROT_WRITE, MAP_SHARED, f->fd, 0);
        if (f->map == MAP_FAILED) {
                f->map = NULL;
                r = -errno;
                log_info("%s: mmap: %s", f->path, strerror(-r));
                goto fail;
        }
        return 0;
fail:
        fbdev_unmap(f);
        return r;
}

static int fbdev_present(struct output *o, const struct gfx_canvas *c, const struct gfx_rect *dirty,
                         size_t n_dirty)
{
        struct fbdev_output *f = o->data;
        struct gfx_rect all = {0, 0, c->w, c->h};

        if (!f->map)
                return 0;
        if (!dirty) {
                dirty = &all;
                n_dirty = 1;
        }
        for (size_t i = 0; i < n_dirty; i++)
                (void) output_blit_rect(f->map + f->offset, f->pitch, f->w, f->h, &f->fmt, c,
                                        &dirty[i]);
        return 0;
}

static void fbdev_release(struct output *o)
{
        fbdev_unmap(o->data);
        o->mapped = 0;
}

static int fbdev_resume(struct output *o)
{
        struct fbdev_output *f = o->data;
        int r;

        if (f->map)
                return 0;
        r = fbdev_map(f);
        if (r < 0)
                return r;
        o->mapped = f->map_len;
        if (f->w != o->width || f->h != o->height) {
                /* The size changed behind our back: keep the old size (the canvas is that big;
                 * blits are clipped). */
                log_warn("%s is now %dx%d (was %dx%d)", f->path, f->w, f->h, o->width, o->height);
        }
        return 0;
}

static void fbdev_free(struct output *o)
{
        struct fbdev_output *f;

        if (!o)
                return;
        f = o->data;
        if (f) {
                fbdev_unmap(f);
                free(f->path);
                free(f);
        }
        output_free_base(o);
}

static const struct output_ops fbdev_ops = {
        .name = "fbdev",
        .present = fbdev_present,
        .copy = fbdev_present,
        .release = fbdev_release,
        .resume = fbdev_resume,
        .free = fbdev_free,
};

int output_fbdev_open(const char *path, struct output_set *ret)
{
        struct fbdev_output *f;
        struct output *o;
        const char *base;
        int r;

        *ret = (struct output_set){.kind = OUTPUT_KIND_FBDEV};
        f = calloc(1, sizeof(*f));
        if (!f)
                return -ENOMEM;
        f->fd = -1;
        f->path = strdup(path);
        if (!f->path) {
                free(f);
                return -ENOMEM;
        }
        r = fbdev_map(f);
        if (r < 0) {
                free(f->path);
                free(f);
                return r;
        }
        base = strrchr(path, '/');
        o = output_new(&fbdev_ops, base ? base + 1 : path, f->w, f->h, f);
        if (!o) {
                fbdev_unmap(f);
                free(f->path);
                free(f);
                return -ENOMEM;
        }
        o->mm_w = f->mm_w;
        o->mapped = f->map_len;
        o->mm_h = f->mm_h;
        r = output_set_add(ret, o);
        if (r < 0)
                return r;
        log_info("%s: %dx%d, %d bpp, pitch %zu (red %u/%u green %u/%u blue %u/%u)", path, f->w,
                 f->h, f->fmt.bytes * 8, f->pitch, f->fmt.r_off, f->fmt.r_len, f->fmt.g_off,
                 f->fmt.g_len, f->fmt.b_off, f->fmt.b_len);
        ret->vt_graphics = output_vt_graphics(true) >= 0;
        return 0;
}
