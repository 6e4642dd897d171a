/* SPDX-License-Identifier: GPL-2.0-or-later */
/* EFI applications the firmware starts (see efiapps.h). */
#define LOG_MODULE "efiapps"

#include "efiapps.h"

#include <strings.h>
#include <sys/stat.h>

#include "../core/fsread.h"
#include "../core/log.h"
#include "../core/pefile.h"

/* Directories of \EFI whose files are never listed. */
static const struct {
        const char *vendor;
        const char *why;
} skip_vendors[] = {
        {"BOOT", "the removable-media fallback (a copy of another loader)"},
        {"Linux", "unified kernel images (read as such)"},
};

/* Files never listed, by the start of their name: Linux's boot loaders, whose configurations are
 * read instead, and the fallback names. */
static const struct {
        const char *prefix;
        const char *why;
} skip_files[] = {
        {"shim", "shim (starts a Linux boot loader)"},
        {"mm", "shim's MokManager"},
        {"fb", "shim's fallback"},
        {"grub", "GRUB (its configuration is read)"},
        {"gcd", "GRUB (its configuration is read)"},
        {"systemd-boot", "systemd-boot (its entries are read)"},
        {"bootx64.", "a removable-media fallback name"},
        {"bootia32.", "a removable-media fallback name"},
        {"bootaa64.", "a removable-media fallback name"},
        {"kexec-loader", "kexec-loader itself"},
};

/* Titles of well-known applications, by the start of their name (the first match wins). */
static const struct {
        const char *prefix;
        const char *title;
} titles[] = {
        {"shellx64.", "EFI Shell"}, {"shell.", "EFI Shell"},   {"memtest86", "MemTest86"},
        {"mt86plus", "Memtest86+"}, {"memtest", "Memtest86+"}, {"refind", "rEFInd"},
};

#define WINDOWS_TITLE "Windows Boot Manager"

static bool has_prefix(const char *s, const char *prefix)
{
        return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static bool is_efi(const char *name)
{
        size_t n = strlen(name);

        return n > 4 && strcasecmp(name + n - 4, ".efi") == 0;
}

const char *efiapps_classify(const char *vendor, const char *name, const char **ret_title)
{
        *ret_title = NULL;
        if (!is_efi(name))
                return "not an .efi file";
        for (size_t i = 0; i < ARRAY_SIZE(skip_vendors); i++)
                if (strcasecmp(vendor, skip_vendors[i].vendor) == 0)
                        return skip_vendors[i].why;
        /* Windows: its boot manager only (the rest of \EFI\Microsoft\Boot is its own). */
        if (strcasecmp(vendor, "Microsoft") == 0)
                return "Windows' own files (only Boot\\bootmgfw.efi is listed)";
        for (size_t i = 0; i < ARRAY_SIZE(skip_files); i++)
                if (has_prefix(name, skip_files[i].prefix))
                        return skip_files[i].why;
        for (size_t i = 0; i < ARRAY_SIZE(titles); i++)
                if (has_prefix(name, titles[i].prefix)) {
                        *ret_title = titles[i].title;
                        break;
                }
        return NULL;
}

/* The name in names equal to want without regard to case, or NULL. */
static const char *find_name(char **names, const char *want)
{
        strv_foreach (n, names)
                if (strcasecmp(n, want) == 0)
                        return n;
        return NULL;
}

/* Why path is not an EFI application for machine (malloc'ed), or NULL when it is one. */
static char *not_app(const struct import_fs *fs, const char *path, uint16_t machine)
{
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *why = NULL;
        struct pefile pe;
        struct stat st;
        int r;

        if (!machine)
                return NULL;
        fd = fs->open ? fs->open(fs->userdata, NULL, path) : -EOPNOTSUPP;
        if (fd < 0)
                return util_asprintf("cannot be read: %s", fsread_strerror(fd));
        if (fstat(fd, &st) < 0)
                return util_asprintf("cannot be read: %s", strerror(errno));
        r = pefile_open(pefile_fd_read, &fd, (uint64_t) st.st_size, &pe, &why);
        if (r == -ENOMEM)
                return NULL; /* listed: booting it will tell */
        if (r < 0)
                return util_asprintf("not a PE image: %s", why ? why : strerror(-r));
        if (pe.machine != machine)
                return util_asprintf("built for machine type 0x%04x, not this machine's 0x%04x",
                                     pe.machine, machine);
        return NULL;
}

static int add_app(const struct import_fs *fs, struct import_result *ret, const char *path,
                   const char *title, uint16_t machine)
{
        _cleanup_free_ char *why = not_app(fs, path, machine);
        struct import_entry *e;

        if (why) {
                log_info("%s on %s is not listed: %s", path, fs->dev, why);
                return 0;
        }
        e = import_result_add(ret);
        if (!e || !(e->title = strdup(title)) || !(e->submenu = calloc(1, sizeof(char *))) ||
            !(e->config = strdup(path)) || !(e->cmdline = strdup("")) ||
            import_file_set(&e->efi, NULL, path) < 0)
                return -ENOMEM;
        e->action = IMPORT_ACTION_EFI_APP;
        return 1;
}

/* \EFI\Microsoft\Boot\bootmgfw.efi, whatever the letter case. */
static int add_windows(const struct import_fs *fs, const char *dir, const char *vendor,
                       uint16_t machine, struct import_result *ret)
{
        _cleanup_free_ char *vdir = util_asprintf("%s/%s", dir, vendor), *bdir = NULL, *p = NULL;
        _cleanup_strv_ char **names = NULL, **files = NULL;
        const char *boot, *mgr;

        if (!vdir)
                return -ENOMEM;
        if (fs->list(fs->userdata, NULL, vdir, &names) < 0 || !(boot = find_name(names, "Boot")))
                return 0;
        if (!(bdir = util_asprintf("%s/%s", vdir, boot)))
                return -ENOMEM;
        if (fs->list(fs->userdata, NULL, bdir, &files) < 0 ||
            !(mgr = find_name(files, "bootmgfw.efi")))
                return 0;
        if (!(p = util_asprintf("%s/%s", bdir, mgr)))
                return -ENOMEM;
        if (fs->stat(fs->userdata, NULL, p, NULL) != 1)
                return 0;
        return add_app(fs, ret, p, WINDOWS_TITLE, machine);
}

int efiapps_import_machine(const struct import_fs *fs, const char *dir, uint16_t machine,
                           struct import_result *ret)
{
        _cleanup_strv_ char **vendors = NULL;
        size_t n_vendors = 0, added = 0, first = ret->n;
        const char *ms;
        int r;

        r = fs->list(fs->userdata, NULL, dir, &vendors);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return 0;
        ms = find_name(vendors, "Microsoft");
        if (ms) {
                r = add_windows(fs, dir, ms, machine, ret);
                if (r < 0)
                        return r;
                added += (size_t) r;
        }
        strv_foreach (v, vendors) {
                _cleanup_free_ char *vdir = NULL;
                _cleanup_strv_ char **files = NULL;
                size_t n_files = 0;
                const char *title;

                if (v == ms || v[0] == '.')
                        continue;
                if (++n_vendors > EFIAPPS_VENDORS_MAX) {
                        r = diag_add(&ret->diags, fs->dev, dir, 0,
                                     "more than %d directories: the rest not looked at",
                                     EFIAPPS_VENDORS_MAX);
                        return r < 0 ? r : 0;
                }
                /* A directory none of whose files are listed (\EFI\BOOT, \EFI\Linux). */
                if (efiapps_classify(v, "x.efi", &title))
                        continue;
                vdir = util_asprintf("%s/%s", dir, v);
                if (!vdir)
                        return -ENOMEM;
                if (fs->list(fs->userdata, NULL, vdir, &files) < 0)
                        continue;
                strv_foreach (f, files) {
                        _cleanup_free_ char *p = NULL, *name = NULL;
                        const char *why = efiapps_classify(v, f, &title);

                        if (why) {
                                if (is_efi(f))
                                        log_debug("%s/%s on %s is not listed: %s", vdir, f, fs->dev,
                                                  why);
                                continue;
                        }
                        if (++n_files > EFIAPPS_FILES_MAX || added >= EFIAPPS_ENTRIES_MAX) {
                                r = diag_add(&ret->diags, fs->dev, vdir, 0,
                                             "more than %d EFI applications: the rest not listed",
                                             added >= EFIAPPS_ENTRIES_MAX ? EFIAPPS_ENTRIES_MAX
                                                                          : EFIAPPS_FILES_MAX);
                                if (r < 0 || added >= EFIAPPS_ENTRIES_MAX)
                                        return r < 0 ? r : 0;
                                break;
                        }
                        p = util_asprintf("%s/%s", vdir, f);
                        if (!p)
                                return -ENOMEM;
                        if (fs->stat(fs->userdata, NULL, p, NULL) != 1)
                                continue;
                        if (!title) {
                                name = util_asprintf("%.*s (%s)", (int) strlen(f) - 4, f, v);
                                if (!name)
                                        return -ENOMEM;
                        }
                        r = add_app(fs, ret, p, title ? title : name, machine);
                        if (r < 0)
                                return r;
                        added += (size_t) r;
                }
        }
        log_debug("%s: %zu EFI applications listed", fs->dev, ret->n - first);
        return 0;
}

int efiapps_import(const struct import_fs *fs, const char *dir, struct import_result *ret)
{
        return efiapps_import_machine(fs, dir, EFIAPPS_MACHINE, ret);
}
