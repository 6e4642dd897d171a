/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Disk images: the pure checks and names (image.h). */
#include "image.h"

#include <sys/stat.h>

const char *image_check_file(mode_t mode, uint64_t size)
{
        if (!S_ISREG(mode))
                return "not a regular file";
        if (size < IMAGE_MIN_SIZE)
                return "smaller than 64 KiB";
        if (size % IMAGE_SECTOR != 0)
                return "its size is not a multiple of 512 bytes";
        return NULL;
}

/* Partition tables a loop device's partition scan reads. */
static const char *const pttypes[] = {"gpt", "dos"};

char *image_kind(const char *pttype, const char *usage, const char *type, const char **ret_why)
{
        char *k;

        *ret_why = NULL;
        errno = 0;
        for (size_t i = 0; pttype && i < ARRAY_SIZE(pttypes); i++)
                if (streq(pttype, pttypes[i])) {
                        if (!(k = util_asprintf("a %s partition table", pttype)))
                                errno = ENOMEM;
                        return k;
                }
        if (!isempty(type) && streq_ptr(usage, "filesystem")) {
                if (!(k = util_asprintf("a%s %s filesystem", strchr("aeiou", type[0]) ? "n" : "",
                                        type)))
                        errno = ENOMEM;
                return k;
        }
        if (pttype)
                *ret_why = "a partition table the loop device does not read (only GPT and MBR)";
        else if (!isempty(type))
                *ret_why = "neither a partition table nor a filesystem";
        else
                *ret_why = "no partition table and no filesystem found in it";
        return NULL;
}

char *image_display_name(const char *fs, const char *path)
{
        const char *base = strrchr(path, '/');

        return util_asprintf("%s on %s", base ? base + 1 : path, fs);
}

int image_list_add(struct image_list *l, const char *fs, const char *path, uint64_t size,
                   const char *kind, const char *why, struct image **ret)
{
        struct image m = {.size = size, .loop_fd = -1, .why = why};
        int r;

        if (!(m.fs = strdup(fs)) || !(m.path = strdup(path)) || (kind && !(m.kind = strdup(kind))))
                r = -ENOMEM;
        else
                r = UTIL_GROW(l->items, l->cap, l->n + 1);
        if (r < 0) {
                free(m.fs);
                free(m.path);
                free(m.kind);
                return r;
        }
        l->items[l->n] = m;
        if (ret)
                *ret = &l->items[l->n];
        l->n++;
        return 0;
}

const struct image *image_list_find_loop(const struct image_list *l, const char *disk)
{
        for (size_t i = 0; disk && i < l->n; i++)
                if (streq_ptr(l->items[i].loop, disk))
                        return &l->items[i];
        return NULL;
}

void image_list_done(struct image_list *l)
{
        for (size_t i = 0; i < l->n; i++) {
                free(l->items[i].fs);
                free(l->items[i].path);
                free(l->items[i].kind);
                free(l->items[i].loop);
        }
        free(l->items);
        *l = (struct image_list){0};
}
