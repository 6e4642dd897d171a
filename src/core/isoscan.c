/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The *.iso files of a filesystem (isoscan.h). */
#include "isoscan.h"

#include <errno.h>
#include <fnmatch.h>
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

/* The system trees of an installed system, where ISO files are never kept: not looked into
 * (fnmatch(3) patterns of absolute folder paths; on Windows in any letter case, as NTFS names
 * match). Searching them cost every boot seconds on a Linux root (/usr alone holds more entries
 * than the search looks at) and found nothing. /home, /root, /srv, /opt, /mnt, /media, /tmp,
 * /boot (GRUB's ISO-booting recipes keep images in /boot/iso, grub-imageboot in /boot/images)
 * and any folder of the user's own stay searched. */
static const struct {
        const char *pattern;
        unsigned system;
} skips[] = {
        {"/usr", ISOSCAN_LINUX},
        {"/proc", ISOSCAN_LINUX},
        {"/sys", ISOSCAN_LINUX},
        {"/dev", ISOSCAN_LINUX},
        {"/run", ISOSCAN_LINUX},
        {"/etc", ISOSCAN_LINUX},
        {"/bin", ISOSCAN_LINUX},
        {"/sbin", ISOSCAN_LINUX},
        {"/lib", ISOSCAN_LINUX},
        {"/lib[0-9x]*", ISOSCAN_LINUX}, /* lib32, lib64, libx32 */
        {"/var/lib", ISOSCAN_LINUX},
        {"/var/cache", ISOSCAN_LINUX},
        {"/var/log", ISOSCAN_LINUX},
        {"/snap", ISOSCAN_LINUX},
        {"/nix/store", ISOSCAN_LINUX},
        {"/Windows", ISOSCAN_WINDOWS},
        {"/Windows.old", ISOSCAN_WINDOWS},
        {"/Program Files", ISOSCAN_WINDOWS},
        {"/Program Files (x86)", ISOSCAN_WINDOWS},
        {"/ProgramData", ISOSCAN_WINDOWS},
        {"/$Recycle.Bin", ISOSCAN_WINDOWS},
        {"/System Volume Information", ISOSCAN_WINDOWS},
        {"/Recovery", ISOSCAN_WINDOWS},
        {"/Users/*/AppData", ISOSCAN_WINDOWS},
};

bool isoscan_skipped(const char *dir, unsigned systems)
{
        for (size_t i = 0; i < ARRAY_SIZE(skips); i++)
                if ((skips[i].system & systems) &&
                    fnmatch(skips[i].pattern, dir,
                            FNM_PATHNAME | FNM_PERIOD |
                                    (skips[i].system == ISOSCAN_WINDOWS ? FNM_CASEFOLD : 0)) == 0)
                        return true;
        return false;
}

static bool is_dir(int root_fd, const char *path)
{
        struct stat st;

        return fsread_stat(root_fd, path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(int root_fd, const char *path)
{
        struct stat st;

        return fsread_stat(root_fd, path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The folder named name in any letter case in dir ("/" or "/a"), as "/a/Name"; NULL when none. */
static char *find_dir_nocase(int root_fd, const char *dir, const char *name)
{
        _cleanup_strv_ char **names = NULL;

        if (fsread_list(root_fd, dir, false, &names) < 0)
                return NULL;
        strv_foreach (n, names)
                if (strcasecmp(n, name) == 0) {
                        char *p = util_asprintf("%s/%s", streq(dir, "/") ? "" : dir, n);

                        if (p && is_dir(root_fd, p))
                                return p;
                        free(p);
                }
        return NULL;
}

unsigned isoscan_systems(int root_fd)
{
        _cleanup_free_ char *win = find_dir_nocase(root_fd, "/", "Windows");
        _cleanup_free_ char *sys32 = win ? find_dir_nocase(root_fd, win, "System32") : NULL;
        unsigned s = 0;

        if (is_file(root_fd, "/etc/os-release") || is_file(root_fd, "/usr/lib/os-release") ||
            (is_dir(root_fd, "/bin") && is_dir(root_fd, "/etc")))
                s |= ISOSCAN_LINUX;
        if (sys32)
                s |= ISOSCAN_WINDOWS;
        return s;
}

struct walk {
        int root_fd;
        unsigned systems; /* ISOSCAN_LINUX, ISOSCAN_WINDOWS: whose system trees are skipped */
        const struct isoscan_limits *lim;
        char **found;
        size_t n_found;
        bool want_images;
        char **images;
        size_t n_images;
        unsigned visited;
        const char *bound;
        char *bound_at; /* the path of the first name not taken when bound is set */
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

                if (!(p = util_asprintf("%s/%s", dir, n)))
                        return -ENOMEM;
                if (w->visited >= w->lim->max_visited) {
                        w->bound = "more directory entries than the search looks at";
                        w->bound_at = p;
                        p = NULL;
                        return 1;
                }
                w->visited++;
                if (fsread_stat(w->root_fd, p, &st) < 0)
                        continue;
                if (S_ISDIR(st.st_mode)) {
                        if (depth >= w->lim->max_depth)
                                continue; /* not a bound hit: system trees are deep */
                        if (w->systems && isoscan_skipped(p, w->systems))
                                continue;
                        r = walk_dir(w, p, depth + 1);
                        if (r != 0)
                                return r;
                } else if (S_ISREG(st.st_mode) && isoscan_is_iso_name(n)) {
                        if (w->n_found >= w->lim->max_isos) {
                                w->bound = "more ISO files than are listed";
                                w->bound_at = p;
                                p = NULL;
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
                                w->bound_at = p;
                                p = NULL;
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
                     const char **ret_bound, char **ret_bound_at)
{
        struct walk w = {.root_fd = root_fd,
                         .systems = isoscan_systems(root_fd),
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
                free(w.bound_at);
                return r;
        }
        *ret = w.found;
        if (ret_images)
                *ret_images = w.images;
        if (ret_bound)
                *ret_bound = w.bound;
        if (ret_bound_at)
                *ret_bound_at = w.bound_at;
        else
                free(w.bound_at);
        return w.bound ? 1 : 0;
}

int isoscan_find(int root_fd, const struct isoscan_limits *lim, char ***ret, const char **ret_bound)
{
        return isoscan_find_all(root_fd, lim, ret, NULL, ret_bound, NULL);
}
