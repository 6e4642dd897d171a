/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where themes come from: the stick's themes (the installed data, a path the user gave) and the
 * filesystem of the configuration that named one. Every file of a theme is read inside the root
 * of its filesystem and only if it is a regular file (core/fsread.h). */
#define LOG_MODULE "theme"
#include "theme.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "../core/fsread.h"
#include "../core/log.h"
#include "../core/util.h"

#ifndef KL_DATADIR
#define KL_DATADIR "/usr/share/kexec-loader"
#endif

/* The installed data (the initramfs has it in /usr/share), then the source tree, so the program
 * works from the build directory too. */
static const char *const theme_roots[] = {
        KL_DATADIR "/themes",
        "/usr/share/kexec-loader/themes",
#ifdef KL_SOURCE_DIR
        KL_SOURCE_DIR "/themes",
#endif
};

/* A regular file inside root (-1: a host path): 1, 0 when not there, -errno for another
 * problem (a FIFO or a device: the caller takes it, so that loading it says why). */
static int is_file_at(int root, const char *path)
{
        struct stat st;
        int r = root >= 0 ? fsread_stat(root, path, &st) : stat(path, &st) < 0 ? -errno : 0;

        if (r == -ENOENT || r == -ENOTDIR || (r >= 0 && S_ISDIR(st.st_mode)))
                return 0;
        if (r < 0)
                return r;
        return S_ISREG(st.st_mode) ? 1 : -FSREAD_ENOTREG;
}

/* name, or name/theme.txt, inside root: the one there (malloc'ed), or NULL. */
static char *find_at(int root, const char *name)
{
        char *p;

        if (is_file_at(root, name) != 0)
                return strdup(name);
        p = util_asprintf("%s%stheme.txt", name, name[strlen(name) - 1] == '/' ? "" : "/");
        if (p && is_file_at(root, p) != 0)
                return p;
        free(p);
        return NULL;
}

/* Host paths (the stick's themes, a path the user gave) are trusted: they are read as regular
 * files (util_open_regular), across the host's mounts. */
char *theme_find(const char *name)
{
        if (isempty(name))
                return NULL;
        if (strchr(name, '/'))
                return find_at(-1, name);
        for (size_t i = 0; i < ARRAY_SIZE(theme_roots); i++) {
                char *p = util_asprintf("%s/%s/theme.txt", theme_roots[i], name);

                if (p && is_file_at(-1, p) != 0)
                        return p;
                free(p);
        }
        return NULL;
}

void theme_location_done(struct theme_location *l)
{
        if (l->root_fd >= 0)
                close(l->root_fd);
        free(l->path);
        free(l->id);
        *l = (struct theme_location){.root_fd = -1};
}

int theme_locate_host(const char *name, struct theme_location *ret)
{
        _cleanup_free_ char *found = theme_find(name);
        struct theme_location l = {.root_fd = -1};

        *ret = l;
        if (!found)
                return -ENOENT;
        l.path = strdup(found);
        l.id = strdup(found);
        if (!l.path || !l.id) {
                theme_location_done(&l);
                return -ENOMEM;
        }
        *ret = l;
        return 0;
}

int theme_locate_on_fs(int fs_root, const char *fs, const char *name, struct theme_location *ret)
{
        struct theme_location l = {.root_fd = -1};
        const char *p = name;

        *ret = l;
        if (fs_root < 0 || isempty(name))
                return -ENOENT;
        /* GRUB names the device first: "($root)/boot/grub/themes/x/theme.txt", "(hd0,gpt2)/…". */
        if (p[0] == '(' && strchr(p, ')'))
                p = strchr(p, ')') + 1;
        if (isempty(p))
                return -ENOENT;
        l.path = find_at(fs_root, p);
        if (!l.path)
                return -ENOENT;
        l.root_fd = fcntl(fs_root, F_DUPFD_CLOEXEC, 3);
        l.id = util_asprintf("%s:%s", fs ? fs : "", l.path);
        if (l.root_fd < 0 || !l.id) {
                theme_location_done(&l);
                return -ENOMEM;
        }
        *ret = l;
        return 0;
}

int theme_load_at(const struct theme_location *l, struct theme **ret, struct diag_list *diags)
{
        _cleanup_free_ char *text = NULL, *dir = NULL;
        const char *slash;
        size_t len;
        int r;

        *ret = NULL;
        r = l->root_fd >= 0 ? fsread_read_file(l->root_fd, l->path, THEME_FILE_MAX, &text, &len)
                            : util_read_file(l->path, THEME_FILE_MAX, &text, &len);
        if (r < 0) {
                if (diags)
                        (void) diag_add(diags, NULL, l->id, 0, "cannot read the theme: %s",
                                        fsread_strerror(r));
                return r;
        }
        slash = strrchr(l->path, '/');
        dir = slash ? strndup(l->path, (size_t) (slash - l->path) + (slash == l->path))
                    : strdup(".");
        if (!dir)
                return -ENOMEM;
        r = theme_parse(text, len, dir, l->id, ret, diags);
        if (r < 0 || l->root_fd < 0)
                return r;
        (*ret)->root_fd = fcntl(l->root_fd, F_DUPFD_CLOEXEC, 3);
        if ((*ret)->root_fd < 0) {
                *ret = theme_free(*ret);
                return -errno;
        }
        return 0;
}

int theme_load(const char *theme_txt_path, struct theme **ret, struct diag_list *diags)
{
        const struct theme_location l = {
                .root_fd = -1, .path = (char *) theme_txt_path, .id = (char *) theme_txt_path};

        return theme_load_at(&l, ret, diags);
}
