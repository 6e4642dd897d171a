/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Autodetection: the boot configurations of the installed systems, read from every filesystem
 * (read-only) through the pure importers in src/import/. */
#define LOG_MODULE "autodetect"
#include <sys/stat.h>

#include "../core/fsread.h"
#include "../core/isofile.h"
#include "../core/isoscan.h"
#include "../import/import.h"
#include "../import/isofamily.h"
#include "../import/btrfsboot.h"
#include "../import/snapper.h"
#include "backend.h"
#include "../core/log.h"

#define IMPORT_FILE_MAX (16u * 1024 * 1024)

struct fs_ctx {
        struct backend *b;
        const char *self; /* the filesystem being imported (device path) */
        bool others;      /* the import looked at (or for) other filesystems */
        char *iso_spec;   /* the ISO image opened last (loopback; a spec of import.h) */
        struct isofile *iso;
        /* self resolved, the first time it is needed (resolve_dev()) */
        const struct device *self_dev;
        bool self_resolved;
};

/* The device of a spec (NULL: the filesystem being imported). Self is looked up in the device
 * list once per filesystem, not once per file the import reads: a search per file made reading
 * N filesystems cost N^2 string comparisons (issue 14, docs/performance.md "Scale"). The list
 * does not change while one filesystem is imported. */
static const struct device *resolve_dev(struct fs_ctx *c, const char *dev)
{
        if (dev && !streq(dev, c->self)) {
                c->b->device_lookups++;
                return grub_devname_resolve_string(dev, &c->b->devices, &c->b->devmap,
                                                   c->b->config.grub_first);
        }
        if (!c->self_resolved) {
                c->b->device_lookups++;
                c->self_dev = grub_devname_resolve_string(c->self, &c->b->devices, &c->b->devmap,
                                                          c->b->config.grub_first);
                c->self_resolved = true;
        }
        return c->self_dev;
}

/* The host directory of a device spec's filesystem, mounting it read-only when needed. */
static int dir_of(struct fs_ctx *c, const char *dev, const char **ret)
{
        const struct device *d;
        _cleanup_free_ char *err = NULL;
        int r;

        d = resolve_dev(c, dev);
        if (dev && (!d || !streq(d->path, c->self)))
                c->others = true;
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

/* Where the files of a device spec are (import.h): the O_PATH fd of a filesystem's root (or of
 * a btrfs subvolume's), or an ISO image (*ret_iso, owned by c: the last one is kept open). */
static int where_of(struct fs_ctx *c, const char *spec, struct isofile **ret_iso)
{
        _cleanup_free_ char *dev = NULL, *subvol = NULL, *iso = NULL;
        _cleanup_close_ int root = -1;
        struct isofile *f = NULL;
        int r;

        *ret_iso = NULL;
        if (!spec || !strchr(spec, IMPORT_SPEC_SEP))
                return root_of(c, spec);
        if (c->iso && streq(c->iso_spec, spec)) {
                *ret_iso = c->iso;
                return -1;
        }
        r = import_spec_split(spec, &dev, &subvol, &iso);
        if (r < 0)
                return r;
        root = subvol ? backend_device_subvol_root(c->b, resolve_dev(c, dev), subvol)
                      : root_of(c, dev);
        if (dev && subvol && !streq(dev, c->self))
                c->others = true;
        if (root < 0 || !iso) {
                r = root;
                root = -1;
                return r;
        }
        r = isofile_open(root, iso, &f);
        if (r < 0) {
                log_debug("%s: %s", iso, isofile_strerror(r));
                return r;
        }
        isofile_free(c->iso);
        free(c->iso_spec);
        c->iso = f;
        c->iso_spec = strdup(spec);
        if (!c->iso_spec) {
                c->iso = isofile_free(c->iso);
                return -ENOMEM;
        }
        *ret_iso = f;
        return -1;
}

static int fs_read(void *ud, const char *dev, const char *path, size_t max, char **ret,
                   size_t *ret_len)
{
        struct isofile *iso;
        _cleanup_close_ int root = where_of(ud, dev, &iso);

        if (iso)
                return isofile_read(iso, path, max, ret, ret_len);
        if (root < 0)
                return root;
        return fsread_read_file(root, path, max, ret, ret_len);
}

enum { FS_ABSENT, FS_FILE, FS_DIR, FS_OTHER /* a FIFO, socket, device node */ };

static int fs_type(struct fs_ctx *c, const char *dev, const char *path, uint64_t *ret_size)
{
        struct isofile *iso;
        _cleanup_close_ int root = where_of(c, dev, &iso);
        struct stat st;

        if (iso) {
                int t = isofile_stat(iso, path, ret_size);

                return t == 1 ? FS_FILE : t == 2 ? FS_DIR : FS_ABSENT;
        }
        if (root < 0 || fsread_stat(root, path, &st) < 0)
                return FS_ABSENT;
        if (ret_size)
                *ret_size = (uint64_t) st.st_size;
        return S_ISDIR(st.st_mode) ? FS_DIR : S_ISREG(st.st_mode) ? FS_FILE : FS_OTHER;
}

static int fs_stat(void *ud, const char *dev, const char *path, uint64_t *ret_size)
{
        int t = fs_type(ud, dev, path, ret_size);

        return t == FS_OTHER ? 0 : t;
}

static int fs_list(void *ud, const char *dev, const char *dir, char ***ret)
{
        struct isofile *iso;
        _cleanup_close_ int root = where_of(ud, dev, &iso);

        if (iso)
                return isofile_list(iso, dir, ret);
        if (root < 0)
                return root;
        return fsread_list(root, dir, true, ret);
}

static int fs_open(void *ud, const char *dev, const char *path)
{
        _cleanup_close_ int root = root_of(ud, dev);

        if (root < 0)
                return root;
        return fsread_open(root, path, FSREAD_FILE);
}

static char *fs_search(void *ud, const char *kind, const char *value)
{
        struct fs_ctx *c = ud;

        c->others = true;
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

/* GRUB's probe from the device list (libblkid's facts): see struct import_fs. */
static char *fs_probe(void *ud, const char *dev, const char *what)
{
        struct fs_ctx *c = ud;
        const struct device *d;
        const char *v = NULL;

        if (streq(what, "btrfs_otime")) {
                struct isofile *iso;
                _cleanup_close_ int root = where_of(c, dev, &iso);
                char date[20];

                return root >= 0 && mount_btrfs_otime(root, date) == 0 ? strdup(date) : NULL;
        }

        d = resolve_dev(c, dev);
        if (dev && (!d || !streq(d->path, c->self)))
                c->others = true;
        if (!d)
                return NULL;
        if (streq(what, "fs"))
                v = d->fstype;
        else if (streq(what, "fs_uuid"))
                v = d->uuid;
        else if (streq(what, "label"))
                v = d->label;
        else if (streq(what, "part_uuid"))
                v = d->partno > 0 ? d->partuuid : NULL;
        else if (streq(what, "partmap"))
                /* an MBR partition's PARTUUID is "SSSSSSSS-NN", a GPT one a GUID */
                v = d->partno == 0 || !d->partuuid ? "none"
                    : strlen(d->partuuid) == 11    ? "msdos"
                                                   : "gpt";
        return v ? strdup(v) : NULL;
}

static bool booted_via_efi(const struct backend *b)
{
        _cleanup_free_ char *p =
                util_asprintf("%s/firmware/efi", b->opt.fw_sysroot ? b->opt.fw_sysroot : "/sys");
        struct stat st;

        return p && stat(p, &st) == 0;
}

/* A file of an import: its device spec may name a btrfs subvolume or an ISO image on a device
 * (import.h), which become the reference's subvol and iso. */
static int ref_set(struct file_ref *r, const struct import_file *f, const char *fsdev)
{
        _cleanup_free_ char *dev = NULL;
        int k;

        *r = (struct file_ref){.device = -1};
        if (!f->path)
                return 0;
        k = import_spec_split(f->dev, &dev, &r->subvol, &r->iso);
        if (k == -EINVAL) /* not made by the importer's helpers: taken as written */
                k = util_strdup_to(&dev, f->dev);
        if (k < 0)
                return k;
        if (!(r->spec = strdup(dev ? dev : fsdev)) || !(r->path = strdup(f->path)) ||
            (f->section && !(r->section = strdup(f->section))))
                return -ENOMEM;
        return 0;
}

/* Adds the entries of one configuration file to the filesystem's import, without duplicates (a
 * grub.cfg read directly and through the ESP's stub, or BLS entries read directly and through
 * blscfg) and up to BACKEND_FS_ENTRIES_MAX. */
static int add_imported(struct backend_fs_import *imp, struct boot_entry_set *seen,
                        const char *source, const char *file, const struct import_result *res)
{
        size_t dropped = 0;

        for (size_t i = 0; i < res->n; i++) {
                const struct import_entry *ie = &res->entries[i];
                const char *fsdev = imp->fs;
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
                e.uki = ie->uki;
                e.uki_profile = ie->uki_profile;
                e.action = ie->action == IMPORT_ACTION_EFI_APP    ? BOOT_ACTION_EFI_APP
                           : ie->action == IMPORT_ACTION_FW_SETUP ? BOOT_ACTION_FW_SETUP
                                                                  : BOOT_ACTION_KEXEC;
                if (ref_set(&e.efi, &ie->efi, fsdev) < 0)
                        goto fail;
                if (ie->version && !(e.version = strdup(ie->version)))
                        goto fail;
                e.one_time_default = res->default_once && (int) i == res->default_index;
                e.unrestricted = ie->unrestricted;
                e.auth = auth_set_ref(ie->auth);
                if ((ie->classes && !(e.classes = strv_copy(ie->classes))) ||
                    (ie->users && !(e.users = strdup(ie->users))) ||
                    (ie->hotkey && !(e.hotkey = strdup(ie->hotkey))))
                        goto fail;
                if (imp->n_entries >= BACKEND_FS_ENTRIES_MAX) {
                        /* Not listed (unless it is a listed one again). */
                        dropped += !boot_entry_set_has(seen, imp->entries, &e);
                        boot_entry_done(&e);
                } else {
                        r = UTIL_GROW(imp->entries, imp->cap_entries, imp->n_entries + 1);
                        if (r >= 0)
                                r = boot_entry_set_put(seen, imp->entries, &e, imp->n_entries);
                        if (r < 0)
                                goto fail;
                        if (r == 0) {
                                boot_entry_done(&e); /* a duplicate */
                        } else {
                                if ((int) i == res->default_index && !imp->default_claimed)
                                        imp->default_entry = (int) imp->n_entries;
                                imp->entries[imp->n_entries++] = e;
                        }
                }
                if ((int) i == res->default_index)
                        imp->default_claimed = true;
                continue;
        fail:
                boot_entry_done(&e);
                return r;
        }
        if (dropped > 0)
                return diag_add(&imp->diags, imp->fs, file, 0,
                                "more than %u boot entries on this filesystem: %zu more are not "
                                "listed",
                                BACKEND_FS_ENTRIES_MAX, dropped);
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

/* Unified kernel images: the *.efi files of /EFI/Linux (src/import/uki-import.c). */
static const struct location uki_location = {"/EFI/Linux", "uki", uki_import};

/* EFI applications the firmware starts: Windows Boot Manager, EFI tools (src/import/efiapps.c). */
static const struct location efiapps_location = {"/EFI", "efi", efiapps_import};

/* btrfs snapshots kept by snapper (openSUSE's @/.snapshots, or .snapshots of a system at the top
 * level) whose own /boot holds a kernel: src/import/snapper.c, read through the top level. */
static const struct location snapper_locations[] = {
        {"@/.snapshots", "snapper", snapper_import},
        {".snapshots", "snapper", snapper_import},
        {"@snapshots", "snapper", snapper_import}, /* Arch's layout: mounted at /.snapshots */
};

/* Whether an entry already imported from this filesystem boots the subvolume subvol: a
 * "rootflags=…subvol=SUBVOL" (or "/SUBVOL") word in its command line. */
static bool subvol_booted(const struct backend_fs_import *imp, const char *subvol)
{
        for (size_t i = 0; i < imp->n_entries; i++) {
                const char *c = imp->entries[i].cmdline;

                for (const char *p = c ? strstr(c, "subvol=") : NULL; p;
                     p = strstr(p + 1, "subvol=")) {
                        const char *v = p + 7;
                        size_t n = strlen(subvol);

                        if (*v == '/')
                                v++;
                        if ((p == c || p[-1] == ',' || p[-1] == '=') && !strncmp(v, subvol, n) &&
                            (v[n] == 0 || v[n] == ' ' || v[n] == ','))
                                return true;
                }
        }
        return false;
}

/* snapper's snapshots that the system's own menu boots already (grub-btrfs's submenu, read
 * from grub.cfg before): not listed twice. */
static int snapshots_not_twice(struct import_result *res, void *userdata)
{
        const struct backend_fs_import *imp = userdata;
        size_t k = 0;

        for (size_t i = 0; i < res->n; i++) {
                struct import_entry *e = &res->entries[i];
                _cleanup_free_ char *sub = NULL;

                if (e->kernel.dev && import_spec_split(e->kernel.dev, NULL, &sub, NULL) == 0 &&
                    sub && subvol_booted(imp, sub)) {
                        log_debug("%s: snapshot %s is in the system's own menu already", imp->fs,
                                  sub);
                        import_entry_done(e);
                        continue;
                }
                res->entries[k++] = *e;
        }
        res->n = k;
        return 0;
}

/* Whether systemd-boot would read /EFI/Linux of d: an ESP or XBOOTLDR partition (GPT type GUIDs,
 * MBR types 0xef and 0xea), or a filesystem whose partition type is unknown (a whole-disk
 * filesystem, a --fs directory without parttype=), as systemd-boot reads its own ESP whatever
 * it is. */
static bool uki_partition(const struct device *d)
{
        static const char *const types[] = {
                "c12a7328-f81f-11d2-ba4b-00a0c93ec93b", /* ESP */
                "bc13c2ff-59e6-4262-a352-b275fd779172", /* XBOOTLDR */
                "0xef",
                "0xea",
        };

        if (!d->parttype)
                return true;
        for (size_t i = 0; i < ARRAY_SIZE(types); i++)
                if (strcaseeq(d->parttype, types[i]))
                        return true;
        return false;
}

/* One configuration file. A failure (out of memory, in the end) stays local: a diagnostic names
 * the file, the entries read so far stay, and the next file is read. */
struct import_fix {
        int (*fn)(struct import_result *res, void *userdata);
        void *userdata;
};

static void import_one_fixed(struct backend_fs_import *imp, struct boot_entry_set *seen,
                             struct import_fs *fs, const struct location *l, const char *path,
                             const struct import_fix *fix)
{
        struct import_result res = {.timeout = -1, .default_index = -1};
        int r;

        log_info("reading %s on %s", path, imp->fs);
        r = l->import(fs, path, &res);
        if (r >= 0 && fix)
                r = fix->fn(&res, fix->userdata);
        if (r >= 0) {
                for (size_t i = 0; i < res.diags.n && r >= 0; i++)
                        r = diag_add_copy(&imp->diags, &res.diags.items[i]);
                if (imp->timeout < 0 && res.timeout >= 0) {
                        imp->timeout = res.timeout;
                        imp->timeout_style = res.timeout_style;
                }
                if (!imp->theme && res.theme && !(imp->theme = strdup(res.theme)))
                        r = -ENOMEM;
                if (r >= 0)
                        r = add_imported(imp, seen, l->source, path, &res);
        }
        import_result_done(&res);
        if (r < 0) {
                log_warn("%s on %s: %s", path, imp->fs, strerror(-r));
                (void) diag_add(&imp->diags, imp->fs, path, 0, "cannot read the boot entries: %s",
                                strerror(-r));
                imp->read_again = true;
        }
}

static void import_one(struct backend_fs_import *imp, struct boot_entry_set *seen,
                       struct import_fs *fs, const struct location *l, const char *path)
{
        import_one_fixed(imp, seen, fs, l, path, NULL);
}

/* ---- ISO files on the filesystem (issue 11) ---- */

/* The files of an ISO file as a filesystem of its own: dev NULL (the imported filesystem, as
 * $root starts) is the ISO; other devices are the outer filesystem's. */
struct iso_fs {
        const struct import_fs *outer;
        const char *spec; /* import.h's spec of the ISO on the imported filesystem */
};

static const char *iso_dev(const struct iso_fs *f, const char *dev)
{
        return dev ? dev : f->spec;
}

static int iso_read(void *ud, const char *dev, const char *path, size_t max, char **ret,
                    size_t *ret_len)
{
        const struct iso_fs *f = ud;

        return f->outer->read(f->outer->userdata, iso_dev(f, dev), path, max, ret, ret_len);
}

static int iso_stat(void *ud, const char *dev, const char *path, uint64_t *ret_size)
{
        const struct iso_fs *f = ud;

        return f->outer->stat(f->outer->userdata, iso_dev(f, dev), path, ret_size);
}

static int iso_list(void *ud, const char *dev, const char *dir, char ***ret)
{
        const struct iso_fs *f = ud;

        return f->outer->list(f->outer->userdata, iso_dev(f, dev), dir, ret);
}

static char *iso_search(void *ud, const char *kind, const char *value)
{
        const struct iso_fs *f = ud;

        return f->outer->search(f->outer->userdata, kind, value);
}

static char *iso_probe(void *ud, const char *dev, const char *what)
{
        const struct iso_fs *f = ud;

        return f->outer->probe(f->outer->userdata, dev, what);
}

static int iso_open(void *ud, const char *dev, const char *path)
{
        const struct iso_fs *f = ud;

        return f->outer->open(f->outer->userdata, iso_dev(f, dev), path);
}

/* The one configuration of an ISO file read, the first present: GRUB's convention for booting an
 * ISO file (loopback.cfg), else its GRUB configuration, else its isolinux/syslinux one. */
static const struct location iso_locations[] = {
        {"/boot/grub/loopback.cfg", "iso", grub2_import},
        {"/boot/grub2/loopback.cfg", "iso", grub2_import},
        {"/boot/grub/grub.cfg", "iso", grub2_import},
        {"/boot/grub2/grub.cfg", "iso", grub2_import},
        {"/EFI/BOOT/grub.cfg", "iso", grub2_import},
        {"/EFI/boot/grub.cfg", "iso", grub2_import}, /* NixOS's, on a Rock Ridge image */
        {"/isolinux/isolinux.cfg", "iso", syslinux_import},
        {"/boot/isolinux/isolinux.cfg", "iso", syslinux_import},
        {"/syslinux/syslinux.cfg", "iso", syslinux_import},
        {"/boot/syslinux/syslinux.cfg", "iso", syslinux_import},
        {"/isolinux.cfg", "iso", syslinux_import},
        {"/syslinux.cfg", "iso", syslinux_import},
};

static int iso_file_dev(struct import_file *f, const char *spec)
{
        return f->path && !f->dev ? util_strdup_to(&f->dev, spec) : 0;
}

/* An ISO's entries as the menu lists them: in a submenu named by the ISO's file name, their files
 * inside the ISO; one not-bootable entry saying why (why_none) when it has no Linux entry. */
static int iso_entries(struct import_result *res, const char *name, const char *spec,
                       const char *why_none)
{
        bool linux_entry = false;
        struct import_entry *ie;

        res->default_index = -1; /* an ISO's default is not the machine's */
        res->default_once = false;
        for (size_t i = 0; i < res->n; i++) {
                struct import_entry *e = &res->entries[i];
                char **sub = NULL;

                if (strv_push(&sub, name) < 0)
                        return -ENOMEM;
                strv_foreach (s, e->submenu)
                        if (strv_push(&sub, s) < 0) {
                                strv_free(sub);
                                return -ENOMEM;
                        }
                strv_free(e->submenu);
                e->submenu = sub;
                if (iso_file_dev(&e->kernel, spec) < 0)
                        return -ENOMEM;
                for (size_t k = 0; k < e->n_initrds; k++)
                        if (iso_file_dev(&e->initrds[k], spec) < 0)
                                return -ENOMEM;
                for (size_t k = 0; k < e->n_modules; k++)
                        if (iso_file_dev(&e->modules[k], spec) < 0)
                                return -ENOMEM;
                linux_entry |= e->kernel.path && !e->multiboot && !e->not_bootable;
        }
        if (linux_entry)
                return 0;
        if (!(ie = import_result_add(res)) || !(ie->title = strdup(name)) ||
            !(ie->submenu = calloc(2, sizeof(char *))) || !(ie->submenu[0] = strdup(name)) ||
            !(ie->not_bootable = strdup(why_none)))
                return -ENOMEM;
        return 0;
}

/* The parameter each Linux entry's initramfs needs to find the ISO file again after kexec
 * (import/isofamily.h), appended to its command line; a note when no entry's family is known. */
static int iso_family(struct import_result *res, const struct import_fs *outer, const char *iso,
                      struct backend_fs_import *imp)
{
        _cleanup_free_ char *uuid =
                outer->probe ? outer->probe(outer->userdata, NULL, "fs_uuid") : NULL;
        _cleanup_free_ char *label =
                outer->probe ? outer->probe(outer->userdata, NULL, "label") : NULL;
        _cleanup_free_ char *partuuid =
                outer->probe ? outer->probe(outer->userdata, NULL, "part_uuid") : NULL;
        const struct isofamily_fs fs = {.uuid = uuid, .label = label, .partuuid = partuuid};
        bool linux_entry = false, known = false, no_name = false, unwritable = false;

        for (size_t i = 0; i < res->n; i++) {
                struct import_entry *e = &res->entries[i];
                struct isofamily_result f;
                char *c;

                if (!e->kernel.path || e->multiboot || e->not_bootable)
                        continue;
                linux_entry = true;
                if (isofamily_param(e->cmdline, e->kernel.path, iso, &fs, &f) < 0)
                        return -ENOMEM;
                known |= f.family != NULL;
                no_name |= f.no_name;
                unwritable |= f.unwritable;
                if (f.add) {
                        c = isofamily_insert(e->cmdline, f.add);
                        if (!c) {
                                isofamily_result_done(&f);
                                return -ENOMEM;
                        }
                        free(e->cmdline);
                        e->cmdline = c;
                }
                isofamily_result_done(&f);
        }
        if (linux_entry && !known)
                return diag_add(&imp->diags, imp->fs, iso, 0,
                                "no known live system (casper, dracut, Anaconda, live-boot, NixOS, "
                                "archiso and its forks, genkernel) in its command lines: it may "
                                "not find its files after boot");
        if (unwritable)
                return diag_add(&imp->diags, imp->fs, iso, 0,
                                "its path holds a '\"' or a control character, which a kernel "
                                "command line cannot carry: it may not find its files after boot");
        if (no_name)
                return diag_add(&imp->diags, imp->fs, iso, 0,
                                "its filesystem has no UUID, label or partition UUID to give "
                                "img_dev= (archiso): it may not find its files after boot");
        return 0;
}

/* A diagnostic of an ISO's configuration as the menu shows it: on the ISO's filesystem, its file
 * "ISO:PATH" (the importer names the ISO by an internal spec, not for the screen). */
static int iso_diag(struct backend_fs_import *imp, const char *iso, const struct diag *d)
{
        _cleanup_free_ char *file = d->file ? util_asprintf("%s:%s", iso, d->file) : strdup(iso);

        if (!file)
                return -ENOMEM;
        return diag_add(&imp->diags, imp->fs, file, d->line, "%s", d->message);
}

/* The entries of the ISO file iso (a path on the imported filesystem). A failure stays local. */
static void import_iso(struct backend_fs_import *imp, struct boot_entry_set *seen,
                       const struct import_fs *outer, const char *iso)
{
        _cleanup_free_ char *spec = import_spec_join(NULL, NULL, iso);
        const char *name = strrchr(iso, '/') ? strrchr(iso, '/') + 1 : iso;
        /* GRUB's convention: loopback.cfg finds the ISO file again by $iso_path. */
        const char *const env[] = {"iso_path", iso, NULL};
        struct iso_fs f = {.outer = outer, .spec = spec};
        struct import_fs fs = {
                .userdata = &f,
                .dev = spec,
                .read = iso_read,
                .stat = iso_stat,
                .list = iso_list,
                .search = iso_search,
                .probe = outer->probe ? iso_probe : NULL,
                .open = outer->open ? iso_open : NULL,
                .efi = outer->efi,
                .env = env,
        };
        struct import_result res = {.timeout = -1, .default_index = -1};
        const struct location *l = NULL;
        _cleanup_free_ char *unreadable = NULL;
        _cleanup_strv_ char **top = NULL;
        size_t first = imp->n_entries;
        int r = spec ? 0 : -errno;

        /* An image that cannot be opened (UDF only, not an ISO 9660 image, unreadable) is listed
         * with the reason, never as one without a configuration, nor dropped. */
        if (r >= 0 && (r = iso_list(&f, NULL, "/", &top)) < 0 && r != -ENOMEM) {
                log_info("%s on %s: %s", iso, imp->fs, isofile_strerror(r));
                unreadable = util_asprintf("cannot read this ISO file: %s", isofile_strerror(r));
                r = unreadable ? 0 : -ENOMEM;
        }
        for (size_t i = 0; r >= 0 && !unreadable && i < ARRAY_SIZE(iso_locations) && !l; i++)
                if (iso_stat(&f, NULL, iso_locations[i].path, NULL) == 1)
                        l = &iso_locations[i];
        if (l) {
                log_info("reading %s in %s on %s", l->path, iso, imp->fs);
                r = l->import(&fs, l->path, &res);
        }
        for (size_t i = 0; r >= 0 && i < res.diags.n; i++)
                r = iso_diag(imp, iso, &res.diags.items[i]);
        if (r >= 0)
                r = iso_family(&res, outer, iso, imp);
        if (r >= 0)
                r = iso_entries(&res, name, spec,
                                unreadable ? unreadable
                                : l        ? "no Linux boot entry in this ISO file"
                                           : "no boot configuration in this ISO file "
                                             "(loopback.cfg, grub.cfg, isolinux.cfg)");
        if (r >= 0)
                r = add_imported(imp, seen, "iso", iso, &res);
        for (size_t i = first; r >= 0 && i < imp->n_entries; i++)
                r = util_strdup_to(&imp->entries[i].iso, iso);
        import_result_done(&res);
        if (r < 0) {
                log_warn("%s on %s: %s", iso, imp->fs, strerror(-r));
                (void) diag_add(&imp->diags, imp->fs, iso, 0, "cannot read the ISO file: %s",
                                strerror(-r));
                imp->read_again = true;
        }
}

/* The ISO files of the filesystem and their entries. */
static void import_isos(struct fs_ctx *c, const struct import_fs *fs, struct backend_fs_import *imp,
                        struct boot_entry_set *seen, const struct device *d)
{
        _cleanup_close_ int root = root_of(c, NULL);
        _cleanup_strv_ char **isos = NULL;
        _cleanup_free_ char *at = NULL, *folder = NULL;
        const char *bound = NULL, *name = "", *slash;
        int r;

        if (root < 0)
                return;
        /* Disk images are looked for in the same walk, not inside an image (depth 1). */
        r = isoscan_find_all(root, NULL, &isos, d->image_path ? NULL : &imp->images, &bound, &at);
        if (r < 0) {
                (void) diag_add(&imp->diags, imp->fs, NULL, 0, "cannot search for ISO files: %s",
                                strerror(-r));
                imp->read_again = true;
                return;
        }
        /* Where it stopped: the folder as the diagnostic's file, the name not taken in its text. */
        if (r > 0 && at && (slash = strrchr(at, '/'))) {
                folder = slash == at ? strdup("/") : strndup(at, (size_t) (slash - at));
                name = slash + 1;
        }
        /* On the stick a bound hit is a problem the user can fix (too many files there); an
         * installed system's root reaches the directory-entry bound as a matter of course (/usr),
         * so there it is a log line, not a problem on the menu of every boot. */
        if (r > 0 && imp->stick)
                (void) diag_add(&imp->diags, imp->fs, folder, 0,
                                "the search for ISO files stopped at %s: %s (at most %u ISO files, "
                                "%u disk images, %u directory entries)",
                                name, bound, ISOSCAN_MAX_ISOS, ISOSCAN_MAX_IMAGES,
                                ISOSCAN_MAX_VISITED);
        else if (r > 0)
                log_info(
                        "%s: %s: the search for ISO files stopped at %s: %s (at most %u ISO files, "
                        "%u disk images, %u directory entries)",
                        imp->fs, folder ? folder : "/", name, bound, ISOSCAN_MAX_ISOS,
                        ISOSCAN_MAX_IMAGES, ISOSCAN_MAX_VISITED);
        strv_foreach (p, isos)
                import_iso(imp, seen, fs, p);
}

/* ---- btrfs: systems in subvolumes other than the default one (issue 12) ---- */

#define SUBVOL_NAMES_MAX 256u /* top-level names looked at */
#define BTRFS_SUBVOL_INO 256  /* BTRFS_FIRST_FREE_OBJECTID: the root directory of a subvolume */

/* Names that distributions give the subvolume of a root or of /boot: Ubuntu's, Debian's, Arch's
 * and Calamares' "@", "@boot", "@root"…, Fedora's "root". On a real btrfs every subvolume at the
 * top level is looked at; a --fs fixture (a directory, where subvolumes cannot be told from
 * directories) has these only. */
static const char *const subvol_names[] = {"@", "@boot", "@root", "@rootfs", "root", "rootfs"};

struct subvol_fix {
        const char *spec; /* the top level's spec when the usual mount is not it, else NULL */
        const char *subvol;
        bool system; /* the subvolume holds a root filesystem (its own /etc) */
        char *uuid;
};

/* The entries of a subvolume's configuration: their files on the top level, and
 * rootflags=subvol= when the subvolume is a root filesystem (import/btrfsboot.h). */
static int subvol_fix(struct import_result *res, void *userdata)
{
        const struct subvol_fix *f = userdata;

        for (size_t i = 0; i < res->n; i++) {
                struct import_entry *e = &res->entries[i];
                char *cmdline = NULL;

                if (f->spec) {
                        if (iso_file_dev(&e->kernel, f->spec) < 0)
                                return -ENOMEM;
                        for (size_t k = 0; k < e->n_initrds; k++)
                                if (iso_file_dev(&e->initrds[k], f->spec) < 0)
                                        return -ENOMEM;
                        for (size_t k = 0; k < e->n_modules; k++)
                                if (iso_file_dev(&e->modules[k], f->spec) < 0)
                                        return -ENOMEM;
                }
                if (!f->system || !e->kernel.path || e->multiboot || e->not_bootable)
                        continue;
                if (btrfsboot_rootflags(e->cmdline, f->subvol, f->uuid, &cmdline) < 0)
                        return -ENOMEM;
                if (cmdline) {
                        free(e->cmdline);
                        e->cmdline = cmdline;
                }
        }
        return 0;
}

static bool location_path(const char *path)
{
        for (size_t i = 0; i < ARRAY_SIZE(locations); i++)
                if (streq(locations[i].path, path))
                        return true;
        return false;
}

/* The configurations of one subvolume (name, at the top level), read through the top level as
 * upstream GRUB reads btrfs: its paths (/@/boot/vmlinuz) are from there. */
static void import_subvol(struct fs_ctx *c, struct import_fs *outer, struct backend_fs_import *imp,
                          struct boot_entry_set *seen, const char *name, const char *top_spec)
{
        struct iso_fs w = {.outer = outer, .spec = top_spec};
        struct import_fs fs = *outer;
        struct subvol_fix f = {.spec = top_spec, .subvol = name};
        const struct import_fix fix = {subvol_fix, &f};
        _cleanup_free_ char *etc = util_asprintf("/%s/etc", name);
        bool grub2 = false;

        if (!etc)
                return;
        if (top_spec) {
                fs.userdata = &w;
                fs.dev = top_spec;
                fs.read = iso_read;
                fs.stat = iso_stat;
                fs.list = iso_list;
                fs.search = iso_search;
                fs.probe = outer->probe ? iso_probe : NULL;
                fs.open = outer->open ? iso_open : NULL;
        }
        f.system = fs_type(c, top_spec, etc, NULL) == FS_DIR;
        f.uuid = outer->probe ? outer->probe(outer->userdata, NULL, "fs_uuid") : NULL;
        for (size_t i = 0; i < ARRAY_SIZE(locations); i++) {
                const struct location *l = &locations[i];
                _cleanup_free_ char *path = util_asprintf("/%s%s", name, l->path);
                int t;

                if (!path)
                        break;
                /* read already as the usual mount's own */
                if (!top_spec && location_path(path))
                        continue;
                t = fs_type(c, top_spec, path, NULL);
                if ((l->import == bls_import && t != FS_DIR) ||
                    (l->import != bls_import && t != FS_FILE && t != FS_OTHER))
                        continue;
                if (l->import == grub_legacy_import && grub2)
                        continue;
                grub2 |= l->import == grub2_import;
                import_one_fixed(imp, seen, &fs, l, path, &fix);
        }
        free(f.uuid);
}

static bool subvol_name_known(const char *name)
{
        for (size_t i = 0; i < ARRAY_SIZE(subvol_names); i++)
                if (streq(subvol_names[i], name))
                        return true;
        return false;
}

/* A btrfs filesystem's systems besides the default subvolume's: Ubuntu, Debian, Arch keep the
 * root in "@" (and /boot in it or in "@boot") while the default subvolume is the top level;
 * after `btrfs subvolume set-default` or on openSUSE the default is another one. Every subvolume
 * at the top level (at most SUBVOL_NAMES_MAX names looked at) that is not the default subvolume
 * has its configurations read. */
static void import_subvols(struct fs_ctx *c, struct import_fs *fs, struct backend_fs_import *imp,
                           struct boot_entry_set *seen, const struct device *d)
{
        _cleanup_free_ char *top_spec = import_spec_join(NULL, "/", NULL);
        _cleanup_close_ int usual = root_of(c, NULL), top = -1;
        _cleanup_strv_ char **names = NULL;
        struct stat us, ts;
        bool usual_is_top;
        size_t n = 0;

        if (!top_spec || usual < 0)
                return;
        top = backend_device_subvol_root(c->b, resolve_dev(c, NULL), "/");
        if (top < 0 || fstat(usual, &us) < 0 || fstat(top, &ts) < 0)
                return;
        /* The same subvolume has the same (anonymous) device number wherever it is mounted. */
        usual_is_top = us.st_dev == ts.st_dev && us.st_ino == ts.st_ino;
        if (fsread_list(top, "/", true, &names) < 0)
                return;
        strv_foreach (name, names) {
                struct stat st;

                if (++n > SUBVOL_NAMES_MAX) {
                        log_info("%s: more than %u names at the btrfs top level: the others are "
                                 "not looked at for subvolumes",
                                 imp->fs, SUBVOL_NAMES_MAX);
                        break;
                }
                if (fsread_stat(top, name, &st) < 0 || !S_ISDIR(st.st_mode))
                        continue;
                if (!subvol_name_known(name) && (d->mountdir || st.st_ino != BTRFS_SUBVOL_INO))
                        continue;
                if (!d->mountdir && st.st_dev == us.st_dev && st.st_ino == us.st_ino) {
                        log_debug("%s: subvolume %s is the default one, read already", imp->fs,
                                  name);
                        continue;
                }
                import_subvol(c, fs, imp, seen, name, usual_is_top ? NULL : top_spec);
        }
}

static void fs_import_done(struct backend_fs_import *imp)
{
        for (size_t i = 0; i < imp->n_entries; i++)
                boot_entry_done(&imp->entries[i]);
        free(imp->entries);
        free(imp->identity);
        free(imp->fs);
        free(imp->theme);
        strv_free(imp->images);
        diag_list_done(&imp->diags);
        *imp = (struct backend_fs_import){0};
}

void backend_forget_imports(struct backend *b)
{
        for (size_t i = 0; i < b->n_imports; i++)
                fs_import_done(&b->imports[i]);
        free(b->imports);
        b->imports = NULL;
        b->n_imports = 0;
}

/* What makes a filesystem the same one again: a changed UUID, size or type is another. */
static char *identity_of(const struct device *d)
{
        const char *f[] = {d->name,   d->path,     d->uuid,     d->label,
                           d->fstype, d->mountdir, d->image_fs, d->image_path};
        char *id = util_asprintf("%llu", (unsigned long long) d->size);

        for (size_t i = 0; id && i < ARRAY_SIZE(f); i++) {
                char *n = util_asprintf("%s\x1f%s", id, f[i] ? f[i] : "\x1e");

                free(id);
                id = n;
        }
        return id;
}

/* A filesystem whose GRUB sets superusers is protected whole: its other configurations' entries
 * (BLS read directly, a legacy menu.lst, syslinux, snapshots, ISO files, EFI applications), which
 * that GRUB would never show, need one of its superusers too. Without this, the same kernel
 * reached through another configuration of the disk would boot without a password. */
static void protect_whole_fs(struct backend_fs_import *imp)
{
        struct auth_set *auth = NULL;

        for (size_t i = 0; i < imp->n_entries && !auth; i++)
                if (imp->entries[i].auth && imp->entries[i].auth->restricted)
                        auth = imp->entries[i].auth;
        if (!auth)
                return;
        for (size_t i = 0; i < imp->n_entries; i++) {
                struct boot_entry *e = &imp->entries[i];

                if (e->auth && e->auth->restricted)
                        continue;
                log_debug("%s: '%s' (%s) needs a superuser of %s", imp->fs, e->title, e->source,
                          auth->origin ? auth->origin : "its GRUB");
                auth_set_unref(e->auth);
                e->auth = auth_set_ref(auth);
                e->unrestricted = false;
                free(e->users);
                e->users = NULL;
        }
}

/* Files that make a filesystem kexec-loader's own: mkstick's marker, a kexec-loader.conf. */
static const char *const own_marks[] = {"/" BACKEND_STICK_MARKER, "/" BACKEND_CONFIG_NAME};

/* Reads the configurations of one filesystem into *imp. */
static int autodetect_device(struct backend *b, const struct device *d, char *identity,
                             struct backend_fs_import *imp)
{
        struct fs_ctx c = {.b = b, .self = d->path};
        struct import_fs fs = {
                .userdata = &c,
                .dev = d->path,
                .read = fs_read,
                .stat = fs_stat,
                .list = fs_list,
                .search = fs_search,
                .probe = fs_probe,
                .open = fs_open,
                .efi = booted_via_efi(b),
        };
        struct boot_entry_set seen = {0};
        _cleanup_strv_ char **efi = NULL;

        *imp = (struct backend_fs_import){
                .identity = identity,
                .fs = strdup(d->path),
                .default_entry = -1,
                .timeout = -1,
        };
        if (!imp->fs)
                return -ENOMEM;
        /* Never mounted (a hibernated Windows' volume) or unreadable: nothing to search, and
         * each of the locations below would try the mount again, with a warning each (the
         * device list says why). */
        if (d->not_mounted || d->read_error) {
                log_debug("%s is not searched: %s", d->path,
                          d->not_mounted ? d->not_mounted : strerror(d->read_error));
                return 0;
        }
        b->fs_reads++;
        /* A filesystem with mkstick's marker or a kexec-loader.conf is kexec-loader's own (the
         * stick): its boot loader configurations only start kexec-loader again. */
        for (size_t i = 0; i < ARRAY_SIZE(own_marks); i++) {
                if (fs_stat(&c, NULL, own_marks[i], NULL) != 1)
                        continue;
                log_debug("%s holds %s: kexec-loader's own, its boot loader configurations are "
                          "not read",
                          d->path, own_marks[i]);
                /* Its ISO files are listed, first (backend_autodetect). */
                imp->stick = true;
                import_isos(&c, &fs, imp, &seen, d);
                boot_entry_set_done(&seen);
                isofile_free(c.iso);
                free(c.iso_spec);
                backend_release(b);
                return 0;
        }
        const char *grub2_cfg = NULL;
        _cleanup_strv_ char **esp_cfgs = NULL;

        /* An ESP: /EFI/<vendor>/grub.cfg, often a stub that searches for the real one. */
        if (fs_list(&c, NULL, "/EFI", &efi) >= 0)
                strv_foreach (v, efi) {
                        _cleanup_free_ char *p = util_asprintf("/EFI/%s/grub.cfg", v);
                        int t = p ? fs_type(&c, NULL, p, NULL) : -ENOMEM;

                        if ((t == FS_FILE || t == FS_OTHER) && strv_push(&esp_cfgs, p) < 0)
                                t = -ENOMEM;
                        if (t == -ENOMEM) {
                                imp->read_again = true;
                                break;
                        }
                }
        /* Install media carry a GRUB for each firmware (Fedora's: EFI/BOOT/grub.cfg and
         * boot/grub2/grub.cfg, with different entries): the machine's firmware starts one. */
        if (fs.efi && esp_cfgs)
                grub2_cfg = esp_cfgs[0];

        for (size_t i = 0; i < ARRAY_SIZE(locations); i++) {
                const struct location *l = &locations[i];
                int t = fs_type(&c, NULL, l->path, NULL);

                /* A FIFO or device where a configuration file is expected is read all the
                 * same: the importer's diagnostic says it is not a regular file. */
                if ((l->import == bls_import && t != FS_DIR) ||
                    (l->import != bls_import && t != FS_FILE && t != FS_OTHER))
                        continue;
                /* A GRUB 2 system keeps an upgrade's menu.lst/grub.conf around: GRUB 2 (whose
                 * locations come first) is the boot loader, the legacy file is not read. */
                if (l->import == grub_legacy_import && grub2_cfg) {
                        log_debug("%s: %s is not read: %s makes this a GRUB 2 system (the legacy "
                                  "file is an upgrade's leftover)",
                                  d->path, l->path, grub2_cfg);
                        continue;
                }
                if (l->import == grub2_import && grub2_cfg && fs.efi &&
                    strv_contains(esp_cfgs, grub2_cfg)) {
                        log_debug("%s: %s is not read: the machine booted via UEFI, whose GRUB "
                                  "reads %s",
                                  d->path, l->path, grub2_cfg);
                        continue;
                }
                if (l->import == grub2_import && !grub2_cfg)
                        grub2_cfg = l->path;
                import_one(imp, &seen, &fs, l, l->path);
        }
        strv_foreach (p, esp_cfgs) {
                static const struct location esp = {NULL, "grub", grub2_import};

                if (!fs.efi && grub2_cfg) {
                        log_debug("%s: %s is not read: the machine booted via BIOS, whose GRUB "
                                  "reads %s",
                                  d->path, p, grub2_cfg);
                        continue;
                }
                import_one(imp, &seen, &fs, &esp, p);
        }
        /* Unified kernel images (BLS type #2), where systemd-boot looks for them. */
        if (uki_partition(d) && fs_type(&c, NULL, uki_location.path, NULL) == FS_DIR)
                import_one(imp, &seen, &fs, &uki_location, uki_location.path);
        else if (fs_type(&c, NULL, uki_location.path, NULL) == FS_DIR)
                log_debug("%s: %s not read: partition type %s is neither an ESP nor XBOOTLDR",
                          d->path, uki_location.path, d->parttype);
        /* EFI applications other than Linux's loaders: on an ESP, or a FAT filesystem with \EFI. */
        if (efi && (uki_partition(d) || streq_ptr(d->fstype, "vfat")))
                import_one(imp, &seen, &fs, &efiapps_location, efiapps_location.path);
        if (!d->fstype || streq(d->fstype, "btrfs"))
                import_subvols(&c, &fs, imp, &seen, d);
        if (!d->fstype || streq(d->fstype, "btrfs"))
                for (size_t i = 0; i < ARRAY_SIZE(snapper_locations); i++) {
                        _cleanup_free_ char *spec =
                                import_spec_join(NULL, snapper_locations[i].path, NULL);

                        const struct import_fix fix = {snapshots_not_twice, imp};

                        if (spec && fs_type(&c, spec, "/", NULL) == FS_DIR)
                                import_one_fixed(imp, &seen, &fs, &snapper_locations[i],
                                                 snapper_locations[i].path, &fix);
                }
        import_isos(&c, &fs, imp, &seen, d);
        protect_whole_fs(imp);
        boot_entry_set_done(&seen);
        isofile_free(c.iso);
        free(c.iso_spec);
        if (c.others)
                imp->read_again = true;
        return 0;
}

/* The import of d: the previous one when d did not change, else a new one. */
static int import_device(struct backend *b, const struct device *d, struct backend_fs_import *old,
                         size_t n_old, struct backend_fs_import *ret)
{
        char *identity = identity_of(d);
        int r;

        if (!identity)
                return -ENOMEM;
        for (size_t i = 0; i < n_old; i++)
                if (old[i].identity && !old[i].read_again && streq(old[i].identity, identity)) {
                        log_debug("%s did not change: its boot entries are kept", d->path);
                        free(identity);
                        *ret = old[i];
                        old[i] = (struct backend_fs_import){0};
                        return 0;
                }
        if (b->on_scan)
                b->on_scan(b->on_scan_userdata, d);
        r = autodetect_device(b, d, identity, ret);
        if (r < 0)
                fs_import_done(ret);
        return r;
}

/* Appends the imports' entries, diagnostics and settings to the backend, in device order. */
static void add_imports(struct backend *b, bool default_taken)
{
        size_t failed = 0;

        for (size_t i = 0; i < b->n_imports; i++) {
                const struct backend_fs_import *imp = &b->imports[i];
                size_t room =
                        b->n_entries < BACKEND_ENTRIES_MAX ? BACKEND_ENTRIES_MAX - b->n_entries : 0;

                for (size_t k = 0; k < imp->diags.n; k++)
                        (void) diag_add_copy(&b->diags, &imp->diags.items[k]);
                if (!b->config.timeout_set && imp->timeout >= 0) {
                        /* GRUB's timeout 0 boots at once; kexec-loader's 0 waits: use 1 s. */
                        b->config.timeout = imp->timeout == 0 ? 1 : (unsigned) imp->timeout;
                        b->config.timeout_set = true;
                }
                if (!b->config.theme && imp->theme) {
                        b->config.theme = strdup(imp->theme);
                        free(b->theme_fs);
                        b->theme_fs = imp->fs ? strdup(imp->fs) : NULL;
                }
                if (imp->n_entries > room)
                        (void) diag_add(&b->diags, imp->fs, NULL, 0,
                                        "more than %u boot entries in all: %zu of this "
                                        "filesystem are not listed",
                                        BACKEND_ENTRIES_MAX, imp->n_entries - room);
                for (size_t k = 0; k < imp->n_entries && k < room; k++) {
                        struct boot_entry e;

                        if (boot_entry_copy(&imp->entries[k], &e) < 0 ||
                            backend_entries_add(b, &e) < 0) {
                                failed++;
                                continue;
                        }
                        if ((int) k == imp->default_entry && !default_taken)
                                b->entries[b->n_entries - 1].is_default = true;
                }
                if (imp->default_claimed)
                        default_taken = true;
        }
        if (failed > 0)
                (void) diag_add(&b->diags, NULL, NULL, 0,
                                "out of memory: %zu boot entries are not listed", failed);
}

int backend_autodetect(struct backend *b)
{
        int def = backend_default_entry(b);
        bool default_taken = def >= 0 && b->entries[def].is_default;
        struct backend_fs_import *old = b->imports, *now;
        size_t n_old = b->n_imports, n_now = 0;
        const struct device *only = NULL;
        int r = 0;

        if (b->config.grub_root && b->config.autodetect != CONFIG_AUTODETECT_ON &&
            b->n_entries > 0) {
                /* 1.4.1: grub_root names the one device whose GRUB configuration is read. */
                only = grub_devname_resolve_string(b->config.grub_root, &b->devices, &b->devmap,
                                                   b->config.grub_first);
                if (!only) {
                        (void) diag_add(&b->diags, b->config_fs, b->config_file, 0,
                                        "grub_root %s is not present", b->config.grub_root);
                        return 0;
                }
        }
        /* The disk images of the last scan go first (their loop devices with them). */
        backend_images_release(b);
        now = calloc(b->devices.n + 1, sizeof(*now));
        if (!now)
                return -ENOMEM;
        for (int pass = 0; pass < 2; pass++) {
                for (size_t i = 0; i < b->devices.n; i++) {
                        const struct device *d = &b->devices.items[i];

                        /* Pass 1: the disk images' devices, attached after pass 0. */
                        if ((pass == 1) != (d->image_path != NULL))
                                continue;
                        if ((only && d != only) || (!d->mountdir && !d->fstype) ||
                            device_is_container(d))
                                continue;
                        r = import_device(b, d, old, n_old, &now[n_now]);
                        if (r < 0) {
                                /* Not even room to say so on this filesystem: the others go
                                 * on. */
                                log_warn("cannot read the boot entries of %s: %s", d->path,
                                         strerror(-r));
                                (void) diag_add(&b->diags, d->path, NULL, 0,
                                                "cannot read the boot entries: %s", strerror(-r));
                                continue;
                        }
                        n_now++;
                }
                if (pass == 1 || only)
                        break;
                r = backend_images_attach(b, now, n_now);
                if (r <= 0) {
                        if (r < 0)
                                log_warn("disk images: %s", strerror(-r));
                        break;
                }
                /* The same order as a scan of the devices gives (no change seen then). */
                if (!b->opt.fs_args)
                        device_list_sort(&b->devices);
                struct backend_fs_import *grown = realloc(now, (b->devices.n + 1) * sizeof(*now));

                if (!grown) {
                        r = -ENOMEM;
                        break;
                }
                now = grown;
                memset(&now[n_now], 0, (b->devices.n + 1 - n_now) * sizeof(*now));
        }
        r = 0;
        /* The stick's own ISO files come first in the menu. */
        for (size_t i = 0, k = 0; i < n_now; i++)
                if (now[i].stick) {
                        struct backend_fs_import t = now[i];

                        memmove(&now[k + 1], &now[k], (i - k) * sizeof(*now));
                        now[k++] = t;
                }
        b->imports = old;
        b->n_imports = n_old;
        backend_forget_imports(b);
        b->imports = now;
        b->n_imports = n_now;
        backend_release(b);
        add_imports(b, default_taken);
        backend_resolve(b);
        backend_firmware_entries(b);
        return 0;
}
