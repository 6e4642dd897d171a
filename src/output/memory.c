/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The memory output: present writes the whole canvas as a PNG file (kexec-loader render, tests). */
#define LOG_MODULE "output"

#include "output.h"

#include "../core/log.h"
#include "../gfx/image.h"

struct memory_output {
        char *path;
};

static int memory_present(struct output *o, const struct gfx_canvas *c,
                          const struct gfx_rect *dirty, size_t n_dirty)
{
        struct memory_output *m = o->data;
        int r;

        r = gfx_canvas_write_png(c, m->path);
        if (r < 0)
                log_error("cannot write %s: %s", m->path, strerror(-r));
        return r;
}

static void memory_release(struct output *o)
{
}

static int memory_resume(struct output *o)
{
        return 0;
}

static void memory_free(struct output *o)
{
        struct memory_output *m;

        if (!o)
                return;
        m = o->data;
        if (m)
                free(m->path);
        free(m);
        output_free_base(o);
}

static const struct output_ops memory_ops = {
        .name = "memory",
        .present = memory_present,
        .release = memory_release,
        .resume = memory_resume,
        .free = memory_free,
};

int output_memory_open(int w, int h, const char *png_path, struct output_set *ret)
{
        struct memory_output *m;
        struct output *o;

        if (w <= 0 || h <= 0 || w > GFX_IMAGE_MAX_SIDE || h > GFX_IMAGE_MAX_SIDE || !png_path)
                return -EINVAL;
        m = calloc(1, sizeof(*m));
        if (!m)
                return -ENOMEM;
        m->path = strdup(png_path);
        if (!m->path) {
                free(m);
                return -ENOMEM;
        }
        o = output_new(&memory_ops, png_path, w, h, m);
        if (!o) {
                free(m->path);
                free(m);
                return -ENOMEM;
        }
        *ret = (struct output_set){.kind = OUTPUT_KIND_MEMORY};
        return output_set_add(ret, o);
}
