/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Autodetection: the boot configurations of the installed systems, read from every filesystem
 * (read-only) through the pure importers in src/import/. */
#define LOG_MODULE "autodetect"
#include <sys/stat.h>

#include "../core/fsread.h"
#include "../import/import.h"
#include "backend.h"
#include "../core/log.h"

#define IMPORT_FILE_MAX (16u * 1024 * 1024)

struct fs_ctx {
        struct backend *b;
        const char *self; /* the filesystem being imported (device path) */
};

/* The host directory of a device spec's filesystem, mounting it read-only when needed. */
static int dir_of(struct fs_ctx *c, const char *dev, const char **ret)
{
        const struct device *d;
        _cleanup_free_ char *err = NULL;
        int r;

        d = grub_devname_resolve_string(dev ? dev : c->self, &c->b->devices, &c->b->devmap,
                                        c->b->config.grub_first);
        if (!d)
                return -ENODEV;
        r = mount_acquire(&c->b->mounts, d, NULL, ret, &err);
        if (r < 0)
                log_debug("%s: %s", d->path, err ? err : strerror(-r));
        return r;
}

/* An O_PATH fd of the root of a device spec's filesystem: every path of that filesystem is
 * resolved inside it (core/fsread.h). */
static int root_of(struct fs_ctx *c, const char *dev)
{
        const char *dir;
        int r = dir_of(c, dev, &dir);

        return r < 0 ? -ENODEV : fsread_root_open(dir);
}

static int fs_read(void *ud, const char *dev, const char *path, size_t max, char **ret,
                   size_t *ret_len)
{
        _cleanup_close_ int root = root_of(ud, dev);

        if (root < 0)
                return root;
        return fsread_read_file(root, path, max, ret, ret_len);
}

static int fs_stat(void *ud, const char *dev, const char *path, uint64_t *ret_size)
{
        _cleanup_close_ int root = root_of(ud, dev);
        struct stat st;

        if (root < 0 || fsread_stat(root, path, &st) < 0)
                return 0;
        if (ret_size)
                *ret_size = (uint64_t) st.st_size;
        return S_ISDIR(st.st_mode) ? 2 : S_ISREG(st.st_mode) ? 1 : 0;
}

static int fs_list(void *ud, const char *dev, const char *dir, char ***ret)
{
        _cleanup_close_ int root = root_of(ud, dev);

        if (root < 0)
                return root;
        return fsread_list(root, dir, true, ret);
}

static char *fs_search(void *ud, const char *kind, const char *value)
{
        struct fs_ctx *c = ud;

        for (size_t i = 0; i < c->b->devices.n; i++) {
                const struct device *d = &c->b->devices.items[i];

                if ((streq(kind, "fs_uuid") && d->uuid && strcaseeq(d->uuid, value)) ||
                    (streq(kind, "label") && d->label && streq(d->label, value)))
                        return strdup(d->path);
                if (streq(kind, "file") && (d->fstype || d->mountdir) &&
                    fs_stat(c, d->path, value, NULL) == 1)
                        return strdup(d->path);
        }
        return NULL;
}

static bool booted_via_efi(void)
{
        struct stat st;

        return stat("/sys/firmware/efi", &st) == 0;
}

static int ref_set(struct file_ref *r, const struct import_file *f, const char *fsdev)
{
        *r = (struct file_ref){.device = -1};
        if (!f->path)
                return 0;
        if (!(r->spec = strdup(f->dev ? f->dev : fsdev)) || !(r->path = strdup(f->path)))
                return -ENOMEM;
        return 0;
}

static bool same_refs(const struct file_ref *a, const struct file_ref *c)
{
        return streq_ptr(a->spec, c->spec) && streq_ptr(a->path, c->path);
}

/* The same entry (title, kernel, initrds, command line) is already listed: a grub.cfg read
 * directly and through the ESP's stub, or BLS entries read directly and through blscfg. */
static bool duplicate(const struct backend *b, const struct boot_entry *e, size_t from)
{
        for (size_t i = from; i < b->n_entries; i++) {
                const struct boot_entry *o = &b->entries[i];

                if (!e->kernel.path || !streq_ptr(o->title, e->title) ||
                    !same_refs(&o->kernel, &e->kernel) || !streq_ptr(o->cmdline, e->cmdline) ||
                    o->n_initrds != e->n_initrds)
                        continue;
                bool same = true;
                for (size_t k = 0; k < e->n_initrds && same; k++)
                        same = same_refs(&o->initrds[k], &e->initrds[k]);
                if (same)
                        return true;
        }
        return false;
}

static int add_imported(struct backend *b, const char *fsdev, const char *source,
                        struct import_result *res, size_t first_of_device, bool *default_taken)
{
        for (size_t i = 0; i < res->n; i++) {
                const struct import_entry *ie = &res->entries[i];
                struct boot_entry e = {0};
                int r = -ENOMEM;

                e.config.device = e.kernel.device = -1;
                if (!(e.title = strdup(ie->title ? ie->title : "(untitled)")) ||
                    !(e.submenu =
                              ie->submenu ? strv_copy(ie->submenu) : calloc(1, sizeof(char *))) ||
                    !(e.source = strdup(source)) || !(e.config.spec = strdup(fsdev)) ||
                    (ie->config && !(e.config.path = strdup(ie->config))) ||
                    !(e.cmdline = strdup(ie->cmdline ? ie->cmdline : "")) ||
                    (ie->not_bootable && !(e.not_bootable = strdup(ie->not_bootable))))
                        goto fail;
                if (ref_set(&e.kernel, &ie->kernel, fsdev) < 0)
                        goto fail;
                e.initrds = calloc(ie->n_initrds + 1, sizeof(*e.initrds));
                e.modules = calloc(ie->n_modules + 1, sizeof(*e.modules));
                if (!e.initrds || !e.modules)
                        goto fail;
                for (size_t k = 0; k < ie->n_initrds; k++, e.n_initrds++)
                        if (ref_set(&e.initrds[k], &ie->initrds[k], fsdev) < 0)
                                goto fail;
                for (size_t k = 0; k < ie->n_modules; k++, e.n_modules++) {
                        if (ref_set(&e.modules[k], &ie->modules[k], fsdev) < 0)
                                goto fail;
                        if (ie->module_args && !isempty(ie->module_args[k]) &&
                            !(e.modules[k].args = strdup(ie->module_args[k])))
                                goto fail;
                }
                e.multiboot = ie->multiboot;
                if (ie->classes && !(e.classes = strv_copy(ie->classes)))
                        goto fail;
                if ((int) i == res->default_index && !*default_taken) {
                        e.is_default = true;
                        *default_taken = true;
                }
                if (duplicate(b, &e, first_of_device)) {
                        boot_entry_done(&e);
                        continue;
                }
                r = backend_entries_add(b, &e);
                if (r < 0)
                        return r;
                continue;
        fail:
                boot_entry_done(&e);
                return r;
        }
        return 0;
}

struct location {
        const char *path;
        const char *source;
        int (*import)(const struct import_fs *fs, const char *path, struct import_result *ret);
};

/* Where configurations live (issue: GRUB 2, legacy, BLS, syslinux locations). */
static const struct location locations[] = {
        {"/boot/grub/grub.cfg", "grub", grub2_import},
        {"/grub/grub.cfg", "grub", grub2_import},
        {"/boot/grub2/grub.cfg", "grub", grub2_import},
        {"/grub2/grub.cfg", "grub", grub2_import},
        {"/boot/grub/menu.lst", "grub-legacy", grub_legacy_import},
        {"/grub/menu.lst", "grub-legacy", grub_legacy_import},
        {"/boot/grub/grub.conf", "grub-legacy", grub_legacy_import},
        {"/grub/grub.conf", "grub-legacy", grub_legacy_import},
        {"/loader/entries", "bls", bls_import},
        {"/boot/loader/entries", "bls", bls_import},
        {"/syslinux.cfg", "syslinux", syslinux_import},
        {"/extlinux.conf", "syslinux", syslinux_import},
        {"/isolinux.cfg", "syslinux", syslinux_import},
        {"/boot/syslinux/syslinux.cfg", "syslinux", syslinux_import},
        {"/syslinux/syslinux.cfg", "syslinux", syslinux_import},
        {"/boot/extlinux/extlinux.conf", "syslinux", syslinux_import},
        {"/extlinux/extlinux.conf", "syslinux", syslinux_import},
        {"/isolinux/isolinux.cfg", "syslinux", syslinux_import},
        {"/boot/isolinux/isolinux.cfg", "syslinux", syslinux_import},
};

static int import_one(struct backend *b, struct fs_ctx *c, struct import_fs *fs,
                      const struct location *l, const char *path, size_t first, bool *default_taken)
{
        struct import_result res = {.timeout = -1, .default_index = -1};
        int r;

        log_info("reading %s on %s", path, c->self);
        r = l->import(fs, path, &res);
        if (r >= 0) {
                for (size_t i = 0; i < res.diags.n; i++)
                        (void) diag_add_copy(&b->diags, &res.diags.items[i]);
                if (!b->config.timeout_set && res.timeout >= 0) {
                        /* GRUB's timeout 0 boots at once; kexec-loader's 0 waits: use 1 s. */
                        b->config.timeout = res.timeout == 0 ? 1 : (unsigned) res.timeout;
                        b->config.timeout_set = true;
                }
                if (!b->config.theme && res.theme)
                        b->config.theme = strdup(res.theme);
                r = add_imported(b, c->self, l->source, &res, first, default_taken);
        }
        import_result_done(&res);
        return r;
}

static int autodetect_device(struct backend *b, size_t idx, bool *default_taken)
{
        const struct device *d = &b->devices.items[idx];
        struct fs_ctx c = {.b = b, .self = d->path};
        struct import_fs fs = {
                .userdata = &c,
                .dev = d->path,
                .read = fs_read,
                .stat = fs_stat,
                .list = fs_list,
                .search = fs_search,
                .efi = booted_via_efi(),
        };
        size_t first = b->n_entries;
        _cleanup_strv_ char **efi = NULL;
        int r = 0;

        if (!d->mountdir && !d->fstype)
                return 0;
        /* A filesystem with a kexec-loader.conf is kexec-loader's own (the stick): its boot
         * loader configuration only starts kexec-loader again. */
        if (fs_stat(&c, NULL, "/" BACKEND_CONFIG_NAME, NULL) == 1) {
                log_debug("%s holds %s: not reading its boot loader configuration", d->path,
                          BACKEND_CONFIG_NAME);
                backend_release(b);
                return 0;
        }
        for (size_t i = 0; i < ARRAY_SIZE(locations) && r >= 0; i++) {
                const struct location *l = &locations[i];
                int t = fs_stat(&c, NULL, l->path, NULL);

                if ((l->import == bls_import && t != 2) || (l->import != bls_import && t != 1))
                        continue;
                r = import_one(b, &c, &fs, l, l->path, first, default_taken);
        }
        /* An ESP: /EFI/<vendor>/grub.cfg, often a stub that searches for the real one. */
        if (r >= 0 && fs_list(&c, NULL, "/EFI", &efi) >= 0) {
                static const struct location esp = {NULL, "grub", grub2_import};

                strv_foreach (v, efi) {
                        _cleanup_free_ char *p = util_asprintf("/EFI/%s/grub.cfg", v);

                        if (p && fs_stat(&c, NULL, p, NULL) == 1)
                                r = import_one(b, &c, &fs, &esp, p, first, default_taken);
                        if (r < 0)
                                break;
                }
        }
        return r;
}

int backend_autodetect(struct backend *b)
{
        bool default_taken = backend_default_entry(b) >= 0 && b->n_entries > 0 &&
                             b->entries[backend_default_entry(b)].is_default;
        int r = 0;

        if (b->config.grub_root && b->config.autodetect != CONFIG_AUTODETECT_ON &&
            b->n_entries > 0) {
                /* 1.4.1: grub_root names the one device whose GRUB configuration is read. */
                const struct device *d = grub_devname_resolve_string(
                        b->config.grub_root, &b->devices, &b->devmap, b->config.grub_first);

                if (!d) {
                        (void) diag_add(&b->diags, b->config_fs, b->config_file, 0,
                                        "grub_root %s is not present", b->config.grub_root);
                        return 0;
                }
                r = autodetect_device(b, (size_t) (d - b->devices.items), &default_taken);
        } else
                for (size_t i = 0; i < b->devices.n && r >= 0; i++)
                        r = autodetect_device(b, i, &default_taken);
        backend_release(b);
        backend_resolve(b);
        return r < 0 ? r : 0;
}
