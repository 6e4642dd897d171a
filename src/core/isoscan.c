/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The *.iso files of a filesystem (isoscan.h). */
#include "isoscan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "fsread.h"
#include "util.h"

const struct isoscan_limits isoscan_default_limits = {
        .max_depth = ISOSCAN_MAX_DEPTH,
        .max_isos = ISOSCAN_MAX_ISOS,
        .max_visited = ISOSCAN_MAX_VISITED,
        .max_images = ISOSCAN_MAX_IMAGES,
};

bool isoscan_is_iso_name(const char *name)
{
        size_t l = strlen(name);

        return l > 4 && strcasecmp(name + l - 4, ".iso") == 0;
}

bool isoscan_is_img_name(const char *name)
{
        size_t l = strlen(name);

        return l > 4 && strcasecmp(name + l - 4, ".img") == 0;
}

struct walk {
        int root_fd;
        const struct isoscan_limits *lim;
        char **found;
        size_t n_found;
        bool want_images;
        char **images;
        size_t n_images;
        unsigned visited;
        const char *bound;
};

/* dir is "" for the root, else "/a/b". Returns 0, 1 when a bound was hit, -ENOMEM. */
static int walk_dir(struct walk *w, const char *dir, unsigned depth)
{
        _cleanup_strv_ char **names = NULL;
        int r = fsread_list(w->root_fd, dir[0] ? dir : "/", true, &names);

        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return 0; /* unreadable: skipped */
        strv_foreach (n, names) {
                _cleanup_free_ char *p = NULL;
                struct stat st;

                if (w->visited >= w->lim->max_visited) {
                        w->bound = "more directory entries than the search looks at";
                        return 1;
                }
                w->visited++;
                if (!(p = util_asprintf("%s/%s", dir, n)))
                        return -ENOMEM;
                if (fsread_stat(w->root_fd, p, &st) < 0)
                        continue;
                if (S_ISDIR(st.st_mode)) {
                        if (depth >= w->lim->max_depth)
                                continue; /* not a bound hit: system trees are deep */
                        r = walk_dir(w, p, depth + 1);
                        if (r != 0)
                                return r;
                } else if (S_ISREG(st.st_mode) && isoscan_is_iso_name(n)) {
                        if (w->n_found >= w->lim->max_isos) {
                                w->bound = "more ISO files than are listed";
                                return 1;
                        }
                        r = strv_consume(&w->found, p);
                        p = NULL;
                        if (r < 0)
                                return r;
                        w->n_found++;
                } else if (S_ISREG(st.st_mode) && w->want_images && isoscan_is_img_name(n)) {
                        if (w->n_images >= w->lim->max_images) {
                                w->bound = "more disk image files than are listed";
                                return 1;
                        }
                        r = strv_consume(&w->images, p);
                        p = NULL;
                        if (r < 0)
                                return r;
                        w->n_images++;
                }
        }
        return 0;
}

int isoscan_find_all(int root_fd, const struct isoscan_limits *lim, char ***ret, char ***ret_images,
                     const char **ret_bound)
{
        struct walk w = {.root_fd = root_fd,
                         .lim = lim ? lim : &isoscan_default_limits,
                         .want_images = ret_images != NULL};
        int r = walk_dir(&w, "", 0);

        if (r >= 0 && !w.found && !(w.found = calloc(1, sizeof(char *))))
                r = -ENOMEM;
        if (r >= 0 && ret_images && !w.images && !(w.images = calloc(1, sizeof(char *))))
                r = -ENOMEM;
        if (r < 0) {
                strv_free(w.found);
                strv_free(w.images);
                return r;
        }
        *ret = w.found;
        if (ret_images)
                *ret_images = w.images;
        if (ret_bound)
                *ret_bound = w.bound;
        return w.bound ? 1 : 0;
}

int isoscan_find(int root_fd, const struct isoscan_limits *lim, char ***ret, const char **ret_bound)
{
        return isoscan_find_all(root_fd, lim, ret, NULL, ret_bound);
}
