/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Outputs: the screens a graphical front end draws on. One interface, several back-ends (DRM/KMS,
 * fbdev, memory/PNG); each physical screen is one struct output, and the outputs of one kind form
 * a struct output_set. A front end renders into a struct gfx_canvas of the output's size and
 * presents the canvas' dirty rectangles; the back-end copies them to the screen (converting the
 * pixel format where needed) and never reads back from video memory. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../gfx/canvas.h"

struct output;

struct output_ops {
        const char *name; /* "drm", "fbdev", "memory" */
        /* Copies the dirty rects of c (the size of the output; larger or smaller is clipped) to
         * the screen. dirty == NULL means the whole canvas. Does nothing (returns 0) while the
         * output is released. */
        int (*present)(struct output *o, const struct gfx_canvas *c, const struct gfx_rect *dirty,
                       size_t n_dirty);
        /* Optional (NULL: the output needs a whole canvas, e.g. memory): present without telling
         * the device, for a canvas that may be a band (gfx_canvas_band()): the front end draws
         * the screen band by band and calls flush (when not NULL) with every rect once at the
         * end. */
        int (*copy)(struct output *o, const struct gfx_canvas *c, const struct gfx_rect *dirty,
                    size_t n_dirty);
        int (*flush)(struct output *o, const struct gfx_rect *dirty, size_t n_dirty);
        /* Gives the display back (restores the saved CRTC, frees the scan-out buffer, drops DRM
         * master and closes the device when this was its last active output). */
        void (*release)(struct output *o);
        /* Takes the display again (after a failed kexec). The screen content is lost: present
         * the whole canvas afterwards. */
        int (*resume)(struct output *o);
        void (*free)(struct output *o);
};

struct output {
        const struct output_ops *ops;
        char *name; /* "card0-HDMI-A-1", "fb0", the PNG path */
        int width, height;
        int refresh;    /* Hz, 0 when unknown */
        int mm_w, mm_h; /* the panel's physical size (EDID, via DRM), 0 when unknown */
        void *data;     /* back-end private */
        /* Bytes of video memory mapped now (the dumb buffer, the framebuffer): VmRSS does not
         * count them (DRM and fbdev map them as device pages). */
        size_t mapped;
};

enum output_kind {
        OUTPUT_KIND_NONE,
        OUTPUT_KIND_DRM,
        OUTPUT_KIND_FBDEV,
        OUTPUT_KIND_MEMORY,
};

/* A set of outputs of one kind: all connected connectors of all DRM cards, or fb0, or one PNG
 * file. Zero-initialise before use. */
struct output_set {
        struct output **items;
        size_t n, cap;
        enum output_kind kind;
        bool released;    /* output_set_release() was called and no resume since */
        bool vt_graphics; /* this set switched the console to KD_GRAPHICS */
        void *priv;       /* back-end state (the DRM cards) */
        void (*priv_free)(struct output_set *s);
};

/* Opens every /dev/dri/card* below dri_dir with at least one connected connector; one output per
 * connected connector, in the video= mode (see output_parse_video_mode) when a connector has it,
 * else the preferred mode, else the first. Returns 0 with ret->n >= 1, -ENODEV when no card has
 * a connected output (ret is then empty but keeps the cards for output_drm_rescan()), or -errno.
 * Switches the console to KD_GRAPHICS when it finds an output. */
int output_drm_open(const char *dri_dir, const char *video_mode, struct output_set *ret);
/* DRM hotplug: re-probes every known card and looks for new ones; a newly connected connector
 * becomes a new output (appended), an output whose connector went away is released and removed.
 * Returns 1 when the set changed, 0 when not, or -errno. Does nothing while released. */
int output_drm_rescan(struct output_set *s);

/* Opens a framebuffer device (32 bpp of any RGB order, 24 bpp or 16 bpp RGB565/BGR565). Switches
 * the console to KD_GRAPHICS. */
int output_fbdev_open(const char *path, struct output_set *ret);

/* One w x h output whose present writes the whole canvas to png_path (kexec-loader render,
 * tests). */
int output_memory_open(int w, int h, const char *png_path, struct output_set *ret);

/* Releases every output (before kexec) and puts the console back to KD_TEXT. */
void output_set_release(struct output_set *s);
/* Resumes every output (after a failed kexec) and KD_GRAPHICS again; returns the first error
 * (the outputs that could be resumed are). */
int output_set_resume(struct output_set *s);
/* Releases (when still active) and frees everything; s is zeroed. */
void output_set_done(struct output_set *s);
/* Removes and frees item i (released first). */
void output_set_remove(struct output_set *s, size_t i);
/* Appends o (taking ownership; freed on failure). */
int output_set_add(struct output_set *s, struct output *o);

/* The console mode of the active VT (/dev/tty0): KD_GRAPHICS (true) so that fbcon does not draw
 * over the menu, KD_TEXT (false) to give it back. Returns 0 or -errno. */
int output_vt_graphics(bool graphics);

/* ---- helpers shared by the back-ends (pure, unit-tested) ---- */

/* A mode from the kernel's video= syntax: [CONNECTOR:]<w>x<h>[M][R][-<bpp>][@<refresh>][i][m]
 * [e|d|D], e.g. "1024x768", "1920x1080@60", "HDMI-A-1:1280x800M-32@60e". Options after a comma
 * are ignored. refresh is 0 when not given; connector is "" when there is no prefix. Returns 0 or
 * -EINVAL (e.g. for "efifb:off" or a named mode). */
struct output_mode_spec {
        char connector[32];
        int w, h, refresh;
};
int output_parse_video_mode(const char *s, struct output_mode_spec *ret);

/* A packed true-colour pixel format: bytes per pixel and the bit offset and length of each
 * channel (as fb_var_screeninfo describes them). Pixels are stored little-endian. */
struct output_pixfmt {
        int bytes; /* 2, 3 or 4 */
        uint8_t r_off, r_len, g_off, g_len, b_off, b_len;
};
extern const struct output_pixfmt output_pixfmt_xrgb8888;
extern const struct output_pixfmt output_pixfmt_xbgr8888;
extern const struct output_pixfmt output_pixfmt_rgb565;

/* Converts n XRGB8888 pixels into dst in format f (dst needs n * f->bytes bytes). */
void output_convert_row(void *dst, const uint32_t *src, size_t n, const struct output_pixfmt *f);

/* Copies rect r of canvas c into a mapped buffer of dst_w x dst_h pixels with dst_pitch bytes per
 * row in format f, row by row, clipped to both; never reads dst. Returns the clipped rect (empty
 * when nothing was copied). */
struct gfx_rect output_blit_rect(void *dst, size_t dst_pitch, int dst_w, int dst_h,
                                 const struct output_pixfmt *f, const struct gfx_canvas *c,
                                 const struct gfx_rect *r);

/* Internal: allocates a struct output with a copy of name. */
struct output *output_new(const struct output_ops *ops, const char *name, int w, int h, void *data);
/* Internal: frees o->name and o (not data). */
void output_free_base(struct output *o);
