/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A struct import_fs over plain directories, for the importer tests: device specs map to
 * directories ("/dev/sda1" -> DIR), and search() matches the uuid/label given with each. */
#pragma once

#include <stdio.h>
#include <sys/stat.h>

#include "core/fsread.h"
#include "core/isofile.h"
#include "core/util.h"
#include "test.h"
#include "import/import.h"

struct testfs_disk {
        const char *dev;      /* "/dev/sda1" */
        const char *dir;      /* its files */
        const char *uuid;     /* for search --fs-uuid, or NULL */
        const char *label;    /* for search --label, or NULL */
        const char *fstype;   /* libblkid TYPE for probe --fs, or NULL */
        const char *partuuid; /* for probe --part-uuid/--partmap, or NULL (a whole disk) */
};

struct testfs {
        struct testfs_disk disks[8];
        size_t n;
        const char *self; /* the dev of the imported filesystem */
};

static inline const char *testfs_dir(const struct testfs *t, const char *dev)
{
        if (!dev)
                dev = t->self;
        for (size_t i = 0; i < t->n; i++)
                if (streq(t->disks[i].dev, dev))
                        return t->disks[i].dir;
        return NULL;
}

/* The root of dev's directory, through which every path is read like the backend reads a
 * filesystem (core/fsread.h: inside the root, regular files only). */
static inline int testfs_root(void *ud, const char *dev)
{
        const char *d = testfs_dir(ud, dev);

        return d ? fsread_root_open(d) : -ENODEV;
}

/* A spec of import.h (a btrfs subvolume, an ISO image on a device) as the backend reads it: the
 * subvolume is a directory of dev's tree (its top level), the image is read by core/isofile.h. */
static inline int testfs_where(void *ud, const char *spec, struct isofile **ret_iso)
{
        _cleanup_free_ char *dev = NULL, *subvol = NULL, *iso = NULL;
        _cleanup_close_ int root = -1;
        int r;

        *ret_iso = NULL;
        if (!spec || !strchr(spec, IMPORT_SPEC_SEP))
                return testfs_root(ud, spec);
        r = import_spec_split(spec, &dev, &subvol, &iso);
        if (r < 0)
                return r;
        root = testfs_root(ud, dev);
        if (root >= 0 && subvol) {
                int fd = fsread_open(root, subvol, FSREAD_DIR);

                close(root);
                root = fd;
        }
        if (root >= 0 && iso) {
                r = isofile_open(root, iso, ret_iso);
                return r < 0 ? r : -1;
        }
        r = root;
        root = -1;
        return r;
}

static inline int testfs_read(void *ud, const char *dev, const char *path, size_t max, char **ret,
                              size_t *ret_len)
{
        struct isofile *iso;
        _cleanup_close_ int root = testfs_where(ud, dev, &iso);
        int r;

        if (iso) {
                r = isofile_read(iso, path, max, ret, ret_len);
                isofile_free(iso);
                return r;
        }
        if (root < 0)
                return root;
        return fsread_read_file(root, path, max, ret, ret_len);
}

static inline int testfs_stat(void *ud, const char *dev, const char *path, uint64_t *ret_size)
{
        struct isofile *iso;
        _cleanup_close_ int root = testfs_where(ud, dev, &iso);
        struct stat st;

        if (iso) {
                int r = isofile_stat(iso, path, ret_size);

                isofile_free(iso);
                return r;
        }
        if (root < 0 || fsread_stat(root, path, &st) < 0)
                return 0;
        if (ret_size)
                *ret_size = (uint64_t) st.st_size;
        return S_ISDIR(st.st_mode) ? 2 : S_ISREG(st.st_mode) ? 1 : 0;
}

static inline int testfs_list(void *ud, const char *dev, const char *dir, char ***ret)
{
        struct isofile *iso;
        _cleanup_close_ int root = testfs_where(ud, dev, &iso);

        if (iso) {
                int r = isofile_list(iso, dir, ret);

                isofile_free(iso);
                return r;
        }
        if (root < 0)
                return root;
        return fsread_list(root, dir, false, ret);
}

static inline int testfs_open(void *ud, const char *dev, const char *path)
{
        _cleanup_close_ int root = testfs_root(ud, dev);

        if (root < 0)
                return root;
        return fsread_open(root, path, FSREAD_FILE);
}

static inline char *testfs_search(void *ud, const char *kind, const char *value)
{
        struct testfs *t = ud;

        for (size_t i = 0; i < t->n; i++) {
                const struct testfs_disk *k = &t->disks[i];

                if ((streq(kind, "fs_uuid") && k->uuid && strcaseeq(k->uuid, value)) ||
                    (streq(kind, "label") && k->label && streq(k->label, value)) ||
                    (streq(kind, "file") && testfs_stat(ud, k->dev, value, NULL) == 1))
                        return strdup(k->dev);
        }
        return NULL;
}

/* probe: the disk's facts, as the backend answers them from libblkid (src/backend/autodetect.c). */
static inline char *testfs_probe(void *ud, const char *dev, const char *what)
{
        struct testfs *t = ud;
        const char *v = NULL;

        if (!dev)
                dev = t->self;
        for (size_t i = 0; i < t->n; i++) {
                const struct testfs_disk *k = &t->disks[i];

                if (!streq(k->dev, dev))
                        continue;
                if (streq(what, "fs"))
                        v = k->fstype;
                else if (streq(what, "fs_uuid"))
                        v = k->uuid;
                else if (streq(what, "label"))
                        v = k->label;
                else if (streq(what, "part_uuid"))
                        v = k->partuuid;
                else if (streq(what, "partmap"))
                        v = !k->partuuid ? "none" : strlen(k->partuuid) == 11 ? "msdos" : "gpt";
                return v ? strdup(v) : NULL;
        }
        return NULL;
}

/* An import_fs reading t, importing from the filesystem t->self. */
static inline struct import_fs testfs_fs(struct testfs *t)
{
        return (struct import_fs){.userdata = t,
                                  .dev = t->self,
                                  .read = testfs_read,
                                  .stat = testfs_stat,
                                  .list = testfs_list,
                                  .search = testfs_search,
                                  .probe = testfs_probe,
                                  .open = testfs_open};
}

/* Whether text occurs in any string of the result: titles, ids, files, command lines,
 * diagnostics (a secret read from outside the filesystem would show up in one of them). */
static inline bool testfs_mentions(const struct import_result *r, const char *text)
{
        for (size_t i = 0; i < r->n; i++) {
                const struct import_entry *e = &r->entries[i];
                const char *s[] = {e->title,       e->id,      e->config,
                                   e->kernel.path, e->cmdline, e->devicetree};

                for (size_t k = 0; k < ARRAY_SIZE(s); k++)
                        if (s[k] && strstr(s[k], text))
                                return true;
                for (size_t k = 0; k < e->n_initrds; k++)
                        if (strstr(e->initrds[k].path, text))
                                return true;
        }
        for (size_t i = 0; i < r->diags.n; i++)
                if (strstr(r->diags.items[i].message, text))
                        return true;
        return false;
}

/* Whether a diagnostic about file (its own, or naming it) says text. */
static inline bool testfs_diag(const struct import_result *r, const char *file, const char *text)
{
        for (size_t i = 0; i < r->diags.n; i++) {
                const struct diag *d = &r->diags.items[i];

                if (strstr(d->message, text) &&
                    (streq_ptr(d->file, file) || strstr(d->message, file)))
                        return true;
        }
        return false;
}

/* ---- the importer tests' scratch directory ---- */

#define CORPUS "data/petitboot-parser-data/"

/* The test program's scratch directory (test.h). */
static char *const tmpdir = test_scratch;

/* Makes the directories of tmpdir/dir/path (not the last component); returns the whole path. */
static inline char *put_dirs(const char *dir, const char *path)
{
        char *p = util_asprintf("%s/%s/%s", tmpdir, dir, path);

        for (char *s = p ? strchr(p + strlen(tmpdir) + 1, '/') : NULL; s; s = strchr(s + 1, '/')) {
                *s = '\0';
                mkdir(p, 0755);
                *s = '/';
        }
        return p;
}

/* A FIFO at tmpdir/dir/path, where a file is expected: reading it would block for ever. */
static inline void put_fifo(const char *dir, const char *path)
{
        _cleanup_free_ char *p = put_dirs(dir, path);

        if (!p || mkfifo(p, 0644) < 0) {
                perror(p);
                exit(1);
        }
}

/* A symlink tmpdir/dir/path -> target. */
static inline void put_link(const char *dir, const char *path, const char *target)
{
        _cleanup_free_ char *p = put_dirs(dir, path);

        if (!p || symlink(target, p) < 0) {
                perror(p);
                exit(1);
        }
}

/* Writes text to tmpdir/dir/path (directories made as needed). */
static inline void put(const char *dir, const char *path, const char *text)
{
        _cleanup_free_ char *p = put_dirs(dir, path);
        FILE *f;

        f = p ? fopen(p, "w") : NULL;
        if (!f) {
                perror(p);
                exit(1);
        }
        fputs(text, f);
        fclose(f);
}

/* Copies a file of the distro corpus (tests/data/petitboot-parser-data) to tmpdir/dir/to. */
static inline void copy_corpus(const char *dir, const char *name, const char *to)
{
        _cleanup_free_ char *p = util_asprintf(CORPUS "%s", name);
        _cleanup_free_ char *data = NULL;
        size_t len;

        if (util_read_file(p, 1 << 20, &data, &len) < 0) {
                perror(p);
                exit(1);
        }
        put(dir, to, data);
}
