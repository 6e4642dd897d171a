/* SPDX-License-Identifier: GPL-2.0-or-later */
#define LOG_MODULE "backend"
#include "backend.h"
#include "hardware.h"
#include "mapname.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "../core/fsread.h"
#include "../core/isofile.h"
#include "../core/log.h"
#include "../import/uki.h"

static void entries_clear(struct backend *b)
{
        backend_signatures_forget(b);
        for (size_t i = 0; i < b->n_entries; i++)
                boot_entry_done(&b->entries[i]);
        b->n_entries = 0;
}

int backend_init(struct backend *b, const struct backend_options *opt)
{
        _cleanup_free_ char *text = NULL;
        int r;

        *b = (struct backend){.opt = *opt};
        if (!b->opt.sysroot)
                b->opt.sysroot = "/sys";
        if (!b->opt.keys_path)
                b->opt.keys_path = "/proc/keys";
        if (!b->opt.devroot)
                b->opt.devroot = "/dev";
        if (!b->opt.mount_base)
                b->opt.mount_base = BACKEND_MOUNT_BASE;
        if (!opt->cmdline_text) {
                r = util_read_file("/proc/cmdline", 1024 * 1024, &text, NULL);
                if (r < 0)
                        log_debug("cannot read /proc/cmdline: %s", strerror(-r));
        }
        r = cmdline_parse(opt->cmdline_text ? opt->cmdline_text : text, &b->cmdline,
                          &b->cmdline_warning);
        if (r < 0)
                return r;
        if (b->cmdline_warning)
                log_warn("%s", b->cmdline_warning);
        return mount_table_init(&b->mounts, b->opt.mount_base);
}

void backend_done(struct backend *b)
{
        backend_images_release(b);
        backend_lvm_release(b);
        backend_md_release(b);
        entries_clear(b);
        free(b->entries);
        backend_signatures_done(b);
        backend_forget_imports(b);
        mount_table_done(&b->mounts);
        device_list_done(&b->devices);
        config_done(&b->config);
        diag_list_done(&b->diags);
        grub_devmap_done(&b->devmap);
        cmdline_done(&b->cmdline);
        free(b->cmdline_warning);
        free(b->config_fs);
        free(b->config_file);
        free(b->theme_fs);
        backend_luks_done(b);
        strv_free(b->unlocked);
        backend_handover_forget(b, NULL);
        strv_free(b->stick_tried);
        backend_remember_done(b);
        *b = (struct backend){0};
}

/* Same devices with the same identity? */
static bool device_lists_equal(const struct device_list *a, const struct device_list *c)
{
        if (a->n != c->n)
                return false;
        for (size_t i = 0; i < a->n; i++) {
                const struct device *x = &a->items[i], *y = &c->items[i];

                if (!streq(x->name, y->name) || !streq_ptr(x->fstype, y->fstype) ||
                    !streq_ptr(x->uuid, y->uuid) || !streq_ptr(x->label, y->label) ||
                    x->size != y->size)
                        return false;
        }
        return true;
}

int backend_scan_devices(struct backend *b, bool *ret_changed)
{
        struct device_list l = {0};
        int r;

        if (b->opt.fs_args) {
                unsigned i = 0;

                strv_foreach (arg, b->opt.fs_args) {
                        struct device d = {0};

                        r = device_from_fs_option(arg, i++, &d);
                        if (r < 0) {
                                log_error("--fs %s: %s", arg, strerror(-r));
                                device_list_done(&l);
                                return r;
                        }
                        r = device_list_add(&l, &d);
                        device_done(&d);
                        if (r < 0) {
                                device_list_done(&l);
                                return r;
                        }
                }
        } else {
                r = device_scan_sysfs(b->opt.sysroot, b->opt.devroot, &l);
                if (r < 0) {
                        log_warn("cannot list block devices: %s", strerror(-r));
                        device_list_done(&l);
                        return r;
                }
                /* md members: their arrays assembled read-only, listed in their place */
                r = backend_md_assemble(b, &l);
                if (r < 0) {
                        device_list_done(&l);
                        return r;
                }
                /* LVM's logical volumes (on md arrays too), activated read-only, join the list. */
                r = backend_lvm_scan(b, &l);
                if (r < 0) {
                        device_list_done(&l);
                        return r;
                }
        }
        /* The disk images' loop devices: marked, or (--fs) added. */
        r = backend_images_devices(b, &l);
        if (r < 0) {
                device_list_done(&l);
                return r;
        }
        if (ret_changed)
                *ret_changed = !device_lists_equal(&b->devices, &l);
        device_list_done(&b->devices);
        b->devices = l;
        backend_resolve(b);
        return backend_luks_scan(b);
}

static int resolve_spec(const struct backend *b, const char *spec)
{
        const struct device *d;

        if (isempty(spec))
                return -1;
        d = grub_devname_resolve_string(spec, &b->devices, &b->devmap, b->config.grub_first);
        return d ? (int) (d - b->devices.items) : -1;
}

static void resolve_ref(const struct backend *b, struct file_ref *r)
{
        r->device = resolve_spec(b, r->spec);
}

void backend_resolve_entry(const struct backend *b, struct boot_entry *e)
{
        resolve_ref(b, &e->kernel);
        if (e->efi.path)
                resolve_ref(b, &e->efi);
        for (size_t k = 0; k < e->n_initrds; k++)
                resolve_ref(b, &e->initrds[k]);
        for (size_t k = 0; k < e->n_modules; k++)
                resolve_ref(b, &e->modules[k]);
}

void backend_resolve(struct backend *b)
{
        for (size_t i = 0; i < b->n_entries; i++)
                backend_resolve_entry(b, &b->entries[i]);
}

/* Maps a path of an entry's filesystem tree to (mount, path on that mount): the mount with the
 * longest mount point that contains it. */
static int ref_from_path(const struct backend *b, const struct config_entry *ce, const char *path,
                         struct file_ref *ret)
{
        _cleanup_free_ char *abs = NULL;
        const struct config_mount *best = NULL;
        size_t best_len = 0;
        const char *rest;

        abs = path[0] == '/' ? strdup(path) : util_asprintf("/%s", path);
        if (!abs)
                return -ENOMEM;
        for (size_t i = 0; i < ce->n_mounts; i++) {
                const struct config_mount *m = &ce->mounts[i];
                size_t l = strlen(m->mountpoint);

                if (streq(m->mountpoint, "/"))
                        l = 0;
                else if (strncmp(abs, m->mountpoint, l) != 0 || (abs[l] != '/' && abs[l] != 0))
                        continue;
                if (!best || l > best_len) {
                        best = m;
                        best_len = l;
                }
        }
        *ret = (struct file_ref){.device = -1};
        if (!best)
                return -ENOENT;
        rest = abs + best_len;
        if (!(ret->spec = strdup(best->device)) ||
            (best->fstype && !(ret->fstype = strdup(best->fstype))) ||
            !(ret->path = strdup(*rest ? rest : "/"))) {
                file_ref_done(ret);
                return -ENOMEM;
        }
        resolve_ref(b, ret);
        return 0;
}

int backend_entry_from_config(struct backend *b, const struct config_entry *ce,
                              const char *config_fs, const char *config_file,
                              struct boot_entry *ret)
{
        struct boot_entry e = {.config.device = -1, .kernel.device = -1};
        int r = -ENOMEM;

        if (!(e.title = strdup(ce->title ? ce->title : "")) ||
            !(e.submenu = calloc(1, sizeof(char *))) || !(e.source = strdup("kexec-loader.conf")) ||
            (config_fs && !(e.config.spec = strdup(config_fs))) ||
            (config_file && !(e.config.path = strdup(config_file))) ||
            !(e.cmdline = config_entry_command_line(ce)))
                goto fail;
        e.is_default = ce->is_default;
        e.reset_vga = ce->reset_vga;
        e.unrestricted = ce->unrestricted;
        if (ce->users && !(e.users = strdup(ce->users)))
                goto fail;
        /* kexec-loader.conf's users protect its entries */
        if (b->config.auth && b->config.auth->restricted)
                e.auth = auth_set_ref(b->config.auth);
        if (!ce->kernel) {
                r = -EINVAL;
                goto fail;
        }
        r = ref_from_path(b, ce, ce->kernel, &e.kernel);
        if (r < 0)
                goto fail;
        e.initrds = calloc(strv_length(ce->initrds) + 1, sizeof(struct file_ref));
        e.modules = calloc(strv_length(ce->modules) + 1, sizeof(struct file_ref));
        if (!e.initrds || !e.modules) {
                r = -ENOMEM;
                goto fail;
        }
        strv_foreach (p, ce->initrds) {
                r = ref_from_path(b, ce, p, &e.initrds[e.n_initrds]);
                if (r < 0)
                        goto fail;
                e.n_initrds++;
        }
        strv_foreach (m, ce->modules) {
                _cleanup_free_ char *path = NULL;
                const char *args;
                size_t n = strcspn(m, " \t");

                path = strndup(m, n);
                if (!path) {
                        r = -ENOMEM;
                        goto fail;
                }
                r = ref_from_path(b, ce, path, &e.modules[e.n_modules]);
                if (r < 0)
                        goto fail;
                args = util_skip_blanks(m + n);
                if (*args && !(e.modules[e.n_modules].args = strdup(args))) {
                        e.n_modules++;
                        r = -ENOMEM;
                        goto fail;
                }
                e.n_modules++;
        }
        *ret = e;
        return 0;
fail:
        boot_entry_done(&e);
        return r;
}

int backend_entries_add(struct backend *b, struct boot_entry *e)
{
        int r = UTIL_GROW(b->entries, b->cap_entries, b->n_entries + 1);

        if (r < 0) {
                boot_entry_done(e);
                return r;
        }
        b->entries[b->n_entries++] = *e;
        return 0;
}

/* Where is host path p? If it lies inside a fixture directory, returns that device's index and
 * the path on it. */
static int fixture_of_path(const struct backend *b, const char *p, char **ret_path)
{
        _cleanup_free_ char *real = realpath(p, NULL);

        if (!real)
                return -1;
        for (size_t i = 0; i < b->devices.n; i++) {
                _cleanup_free_ char *dir = NULL;
                size_t l;

                if (!b->devices.items[i].mountdir)
                        continue;
                dir = realpath(b->devices.items[i].mountdir, NULL);
                if (!dir)
                        continue;
                l = strlen(dir);
                if (strncmp(real, dir, l) == 0 && real[l] == '/') {
                        *ret_path = strdup(real + l);
                        return *ret_path ? (int) i : -1;
                }
        }
        return -1;
}

/* --config: a host path the user gave; still only a regular file (util_read_file). */
static int read_config_file(const char *hostpath, char **ret, size_t *ret_len)
{
        return util_read_file(hostpath, BACKEND_CONFIG_MAX, ret, ret_len);
}

/* Reads device.map from a filesystem's root (root_fd), if it has one. */
static void load_devmap(struct backend *b, int root_fd, const char *fs)
{
        static const char *const names[] = {"/boot/grub/device.map", "/grub/device.map"};

        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                _cleanup_free_ char *text = NULL;
                struct config_source src = {.fs = fs, .file = names[i]};
                int r = fsread_read_file(root_fd, names[i], 1024 * 1024, &text, NULL);

                if (r == -ENOENT || r == -ENOTDIR)
                        continue;
                if (r < 0) {
                        (void) diag_add(&b->diags, fs, names[i], 0, "cannot read: %s",
                                        fsread_strerror(r));
                        continue;
                }
                grub_devmap_done(&b->devmap);
                (void) grub_devmap_parse(text, &src, &b->devmap, &b->diags);
                log_info("read GRUB device map %s on %s", names[i], fs);
                return;
        }
}

/* Tries one device: mounts it, reads kexec-loader.conf (inside the filesystem, a regular file
 * only). 1 = found (data returned). */
static int try_device(struct backend *b, size_t idx, char **ret_data, size_t *ret_len)
{
        const struct device *d = &b->devices.items[idx];
        _cleanup_free_ char *err = NULL;
        _cleanup_close_ int root = -1;
        const char *dir;
        int r;

        if ((!d->mountdir && !d->fstype) || device_is_container(d))
                return 0; /* no filesystem (a partitioned disk, an empty drive, LUKS, LVM) */
        if (b->on_scan)
                b->on_scan(b->on_scan_userdata, d);
        r = mount_acquire(&b->mounts, d, NULL, &dir, &err);
        if (r < 0) {
                log_debug("not searching %s: %s", d->path, err ? err : strerror(-r));
                return 0;
        }
        root = fsread_root_open(dir);
        r = root < 0 ? root
                     : fsread_read_file(root, "/" BACKEND_CONFIG_NAME, BACKEND_CONFIG_MAX, ret_data,
                                        ret_len);
        if (r >= 0)
                load_devmap(b, root, d->path);
        /* closed before the unmount: an open fd makes it a lazy detach, which leaves the device
         * read-only (BLKROSET) for the rest of the run (the stick too: remember last writes it) */
        util_closep(&root);
        root = -1;
        if (r == -ENOENT) {
                (void) mount_release_all(&b->mounts);
                return 0;
        }
        if (r < 0) {
                (void) diag_add(&b->diags, d->path, "/" BACKEND_CONFIG_NAME, 0,
                                "cannot read the configuration: %s", fsread_strerror(r));
                (void) mount_release_all(&b->mounts);
                return 0;
        }
        (void) mount_release_all(&b->mounts);
        return 1;
}

/* Whether a configuration defines any entry (an empty one, like the commented sample on a fresh
 * stick, must not hide the configurations of the other disks). */
static bool config_has_entries(const char *data, size_t len)
{
        struct config_source src = {0};
        struct diag_list d = {0};
        struct config c = {0};
        bool r;

        r = config_parse(data, len, &src, &c, &d) >= 0 && c.n_entries > 0;
        config_done(&c);
        diag_list_done(&d);
        return r;
}

static int search_config(struct backend *b, char **ret_data, size_t *ret_len, int *ret_idx)
{
        _cleanup_free_ char *first = NULL;
        size_t first_len = 0;
        int first_idx = -1, named = -1, r;

        if (b->cmdline.kexec_config) {
                named = resolve_spec(b, b->cmdline.kexec_config);
                if (named < 0)
                        log_info("kexec_config=%s is not present (yet)", b->cmdline.kexec_config);
                else {
                        /* The device the user named wins, even with no entries. */
                        r = try_device(b, (size_t) named, ret_data, ret_len);
                        if (r != 0) {
                                *ret_idx = named;
                                return r;
                        }
                        log_warn("no %s on kexec_config=%s, searching every filesystem",
                                 BACKEND_CONFIG_NAME, b->cmdline.kexec_config);
                }
        }
        for (size_t i = 0; i < b->devices.n; i++) {
                char *data = NULL;
                size_t len = 0;

                if ((int) i == named)
                        continue;
                r = try_device(b, i, &data, &len);
                if (r < 0)
                        return r;
                if (r == 0)
                        continue;
                if (config_has_entries(data, len)) {
                        *ret_data = data;
                        *ret_len = len;
                        *ret_idx = (int) i;
                        return 1;
                }
                log_info("%s on %s defines no entries, looking further", BACKEND_CONFIG_NAME,
                         b->devices.items[i].path);
                grub_devmap_done(&b->devmap);
                if (first_idx < 0) {
                        first = data;
                        first_len = len;
                        first_idx = (int) i;
                } else
                        free(data);
        }
        if (first_idx < 0)
                return 0;
        /* Only empty configurations: the first one still gives its settings. */
        *ret_data = first;
        *ret_len = first_len;
        *ret_idx = first_idx;
        first = NULL;
        return 1;
}

static int load_conf(struct backend *b)
{
        _cleanup_free_ char *data = NULL, *path_on_fs = NULL;
        struct config_source src = {0};
        size_t len = 0;
        int r, idx = -1;

        entries_clear(b);
        config_done(&b->config);
        diag_list_done(&b->diags);
        grub_devmap_done(&b->devmap);
        b->config_found = false;
        free(b->config_fs);
        free(b->config_file);
        free(b->theme_fs);
        b->config_fs = b->config_file = b->theme_fs = NULL;

        if (b->opt.config_path) {
                r = read_config_file(b->opt.config_path, &data, &len);
                if (r < 0) {
                        (void) diag_add(&b->diags, NULL, b->opt.config_path, 0,
                                        "cannot read the configuration: %s", fsread_strerror(r));
                        log_error("cannot read %s: %s", b->opt.config_path, fsread_strerror(r));
                        return 0;
                }
                idx = fixture_of_path(b, b->opt.config_path, &path_on_fs);
                if (idx >= 0) {
                        b->config_fs = strdup(b->devices.items[idx].path);
                        b->config_file = path_on_fs;
                        path_on_fs = NULL;
                } else
                        b->config_file = strdup(b->opt.config_path);
        } else {
                r = search_config(b, &data, &len, &idx);
                if (r <= 0)
                        return r;
                b->config_fs = strdup(b->devices.items[idx].path);
                b->config_file = strdup("/" BACKEND_CONFIG_NAME);
        }
        if ((idx >= 0 && !b->config_fs) || !b->config_file)
                return -ENOMEM;
        b->config_found = true;
        log_info("found %s on %s", b->config_file, b->config_fs ? b->config_fs : "(given file)");

        src.fs = b->config_fs;
        src.file = b->config_file;
        r = config_parse(data, len, &src, &b->config, &b->diags);
        if (r < 0)
                return r;
        if (b->config.theme && b->config_fs && !(b->theme_fs = strdup(b->config_fs)))
                return -ENOMEM;
        for (size_t i = 0; i < b->config.n_entries; i++) {
                struct boot_entry e;

                r = backend_entry_from_config(b, &b->config.entries[i], b->config_fs,
                                              b->config_file, &e);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        (void) diag_add(&b->diags, b->config_fs, b->config_file,
                                        b->config.entries[i].line, "'%s' cannot be used: %s",
                                        b->config.entries[i].title, strerror(-r));
                        continue;
                }
                r = backend_entries_add(b, &e);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < b->diags.n; i++) {
                _cleanup_free_ char *m = diag_format_fs(&b->diags.items[i]);
                log_warn("%s", m ? m : "(out of memory)");
        }
        return 1;
}

/* kexec_test= (cmdline.h): a real crash or hang where other disks' files begin to be read, for
 * the end-to-end tests of PID 1's restarts, watchdog and safe mode. */
static void test_hooks_autodetect(const struct backend *b)
{
        if (b->cmdline.kexec_test & CMDLINE_TEST_CRASH_AUTODETECT) {
                log_warn("kexec_test=crash-autodetect: crashing with SIGSEGV");
                (void) raise(SIGSEGV);
        }
        if (b->cmdline.kexec_test & CMDLINE_TEST_HANG_AUTODETECT) {
                log_warn("kexec_test=hang-autodetect: stopping here for ever");
                for (;;)
                        (void) pause();
        }
}

int backend_load_config(struct backend *b)
{
        bool autodetect;
        int r;

        /* A new scan: the disk images of the last one are released (autodetection attaches
         * them again). */
        backend_images_release(b);
        /* the stick's key files first: the configurations may be behind them */
        r = backend_stick_unlock(b);
        if (r < 0)
                return r;
        r = load_conf(b);

        if (r < 0)
                return r;
        autodetect = b->config.autodetect == CONFIG_AUTODETECT_ON ||
                     (b->config.autodetect == CONFIG_AUTODETECT_DEFAULT && b->n_entries == 0) ||
                     b->config.grub_root;
        if (autodetect && b->opt.no_autodetect) {
                log_info("safe mode: not reading the boot loader configurations of the disks");
                autodetect = false;
        }
        b->autodetected = autodetect;
        if (autodetect) {
                int k;

                test_hooks_autodetect(b);
                k = backend_autodetect(b);
                if (k < 0)
                        return k;
        }
        backend_remember_load(b);
        log_info("%zu boot entries, %zu problems", b->n_entries, b->diags.n);
        return r;
}

int backend_fs_root(struct backend *b, const char *fs)
{
        _cleanup_free_ char *err = NULL;
        const char *dir;
        int r;

        for (size_t i = 0; fs && i < b->devices.n; i++) {
                if (!streq(b->devices.items[i].path, fs))
                        continue;
                r = mount_acquire(&b->mounts, &b->devices.items[i], NULL, &dir, &err);
                if (r < 0) {
                        log_warn("%s", err ? err : strerror(-r));
                        return r;
                }
                return fsread_root_open(dir);
        }
        return -ENODEV;
}

int backend_subvol_root(struct backend *b, const char *dev, const char *subvol)
{
        return backend_device_subvol_root(
                b, grub_devname_resolve_string(dev, &b->devices, &b->devmap, b->config.grub_first),
                subvol);
}

int backend_device_subvol_root(struct backend *b, const struct device *d, const char *subvol)
{
        _cleanup_free_ char *err = NULL;
        _cleanup_close_ int top = -1;
        const char *dir;
        struct stat st;
        int r, fd;

        if (!d)
                return -ENODEV;
        r = mount_acquire_btrfs_top(&b->mounts, d, &dir, &err);
        if (r < 0) {
                log_warn("%s", err ? err : strerror(-r));
                return r;
        }
        top = fsread_root_open(dir);
        if (top < 0)
                return top;
        fd = fsread_open(top, subvol, FSREAD_PATH);
        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode)) {
                r = S_ISDIR(st.st_mode) ? -errno : -ENOTDIR;
                close(fd);
                return r;
        }
        return fd;
}

const char *backend_ref_fs(const struct backend *b, const struct file_ref *r)
{
        if (r->device >= 0 && (size_t) r->device < b->devices.n)
                return b->devices.items[r->device].path;
        return r->spec ? r->spec : "";
}

static char *ref_problem(const struct file_ref *r)
{
        if (r->device >= 0)
                return NULL;
        return util_asprintf("%s is not present", r->spec ? r->spec : "(no device)");
}

char *backend_entry_problem(const struct backend *b, const struct boot_entry *e)
{
        char *p;

        if (e->not_bootable)
                return strdup(e->not_bootable);
        if (e->action == BOOT_ACTION_FW_SETUP)
                return NULL;
        if (e->action == BOOT_ACTION_EFI_APP)
                return ref_problem(&e->efi);
        if (!e->kernel.path)
                return strdup("no kernel");
        p = ref_problem(&e->kernel);

        for (size_t i = 0; !p && i < e->n_initrds; i++)
                p = ref_problem(&e->initrds[i]);
        for (size_t i = 0; !p && i < e->n_modules; i++)
                p = ref_problem(&e->modules[i]);
        return p;
}

int backend_default_entry(const struct backend *b)
{
        for (size_t i = 0; i < b->n_entries; i++)
                if (b->entries[i].is_default)
                        return (int) i;
        return b->n_entries > 0 ? 0 : -1;
}

int backend_timeout(const struct backend *b)
{
        return b->config.timeout_set ? (int) b->config.timeout : 0;
}

static void progress(backend_progress_cb cb, void *ud, bool error, const char *fmt, ...)
        _printf_(4, 5);
static void progress(backend_progress_cb cb, void *ud, bool error, const char *fmt, ...)
{
        _cleanup_free_ char *s = NULL;
        va_list ap;

        va_start(ap, fmt);
        s = util_vasprintf(fmt, ap);
        va_end(ap);
        if (!s)
                return;
        if (error)
                log_error("%s", s);
        else
                log_info("%s", s);
        if (cb)
                cb(ud, error, s);
}

/* A file inside an ISO image (loopback) is read out of it into a sealed memfd (at most this
 * much), which the plan holds: kexec_file_load reads it like any file. */
#define BACKEND_ISO_FILE_MAX (1ull << 30)

static int iso_to_memfd(struct backend *b, int root, const struct file_ref *r, const char *what,
                        const struct device *d, backend_progress_cb cb, void *ud,
                        struct boot_plan *plan, char **ret, char **ret_error)
{
        struct isofile *iso = NULL;
        _cleanup_close_ int fd = -1;
        uint64_t size = 0;
        int k;

        k = isofile_open(root, r->iso, &iso);
        if (k < 0) {
                *ret_error = util_asprintf("cannot read the ISO image %s on %s: %s", r->iso,
                                           d->path, isofile_strerror(k));
                return k;
        }
        progress(cb, ud, false, "Reading %s %s from %s", what, r->path, r->iso);
        fd = memfd_create("kexec-loader-iso", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        k = fd < 0 ? -errno : isofile_copy(iso, r->path, BACKEND_ISO_FILE_MAX, fd, &size);
        isofile_free(iso);
        if (k == -ENOENT || k == -ENOTDIR)
                *ret_error = util_asprintf("%s %s in %s on %s not found", what, r->path, r->iso,
                                           d->path);
        else if (k == -EISDIR)
                *ret_error = util_asprintf("%s %s in %s on %s is a directory", what, r->path,
                                           r->iso, d->path);
        else if (k == -EFBIG)
                *ret_error = util_asprintf("%s %s in %s on %s is larger than %llu MiB", what,
                                           r->path, r->iso, d->path, BACKEND_ISO_FILE_MAX >> 20);
        else if (k < 0)
                *ret_error = util_asprintf(
                        "cannot read %s %s in %s on %s: %s", what, r->path, r->iso, d->path,
                        k == -EIO ? "the image is damaged or cut short" : strerror(-k));
        if (k < 0)
                return k;
        (void) fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
        k = UTIL_GROW(plan->fds, plan->cap_fds, plan->n_fds + 1);
        if (k < 0)
                return k;
        *ret = util_asprintf("/proc/%d/fd/%d", (int) getpid(), fd);
        if (!*ret)
                return -ENOMEM;
        plan->fds[plan->n_fds++] = fd;
        fd = -1;
        log_debug("%s %s in %s on %s: %llu bytes in %s", what, r->path, r->iso, d->path,
                  (unsigned long long) size, *ret);
        return 0;
}

/* The host path of a reference's file, what ("kernel", "initrd", "module") for messages: the
 * path is resolved inside its filesystem (mounted when needed; a btrfs subvolume inside the
 * top level) and must be a regular file; a file inside an ISO image is read into a memfd. */
static int ref_host_path(struct backend *b, const struct file_ref *r, const char *what,
                         backend_progress_cb cb, void *ud, struct boot_plan *plan, char **ret,
                         char **ret_error)
{
        _cleanup_close_ int root = -1;
        const struct device *d;
        const char *dir;
        bool mounted_before;
        int k;

        if (r->device < 0 || (size_t) r->device >= b->devices.n) {
                *ret_error = util_asprintf("%s is not present, so %s cannot be read",
                                           r->spec ? r->spec : "(no device)", r->path);
                return -ENODEV;
        }
        d = &b->devices.items[r->device];
        mounted_before = false;
        for (size_t i = 0; i < b->mounts.n; i++)
                if (streq(b->mounts.items[i].device, d->path))
                        mounted_before = true;
        if (!mounted_before && !d->mountdir)
                progress(cb, ud, false, "Mounting %s read-only", d->path);
        k = mount_acquire(&b->mounts, d, r->fstype, &dir, ret_error);
        if (k < 0)
                return k;
        root = r->subvol ? backend_subvol_root(b, d->path, r->subvol) : fsread_root_open(dir);
        if (root < 0 && r->subvol) {
                *ret_error = util_asprintf("cannot read the btrfs subvolume %s on %s: %s",
                                           r->subvol, d->path, fsread_strerror(root));
                return root;
        }
        if (root >= 0 && r->iso)
                return iso_to_memfd(b, root, r, what, d, cb, ud, plan, ret, ret_error);
        k = root < 0 ? root : fsread_host_path(root, r->path, ret);
        if (k == -ENOENT || k == -ENOTDIR)
                *ret_error = util_asprintf("%s %s on %s not found", what, r->path, d->path);
        else if (k == -EISDIR)
                *ret_error = util_asprintf("%s %s on %s is a directory", what, r->path, d->path);
        else if (k < 0)
                *ret_error = util_asprintf("cannot read %s %s on %s: %s", what, r->path, d->path,
                                           fsread_strerror(k));
        return k;
}

/* Replaces host path in *msg (the first occurrence) by "path on device". */
static void humanize_one(const struct backend *b, const struct file_ref *r, const char *host,
                         char **msg)
{
        const char *at;
        char *n;

        if (!*msg || !host || !r->path || !(at = strstr(*msg, host)))
                return;
        n = util_asprintf("%.*s%s%s%s on %s%s", (int) (at - *msg), *msg, r->path,
                          r->iso ? " in " : "", r->iso ? r->iso : "", backend_ref_fs(b, r),
                          at + strlen(host));
        if (n) {
                free(*msg);
                *msg = n;
        }
}

static void humanize_paths(const struct backend *b, const struct boot_entry *e,
                           const struct boot_plan *p, char **msg)
{
        humanize_one(b, &e->kernel, p->kernel, msg);
        for (size_t i = 0; i < e->n_initrds && p->initrds && p->initrds[i]; i++)
                humanize_one(b, &e->initrds[i], p->initrds[i], msg);
        for (size_t i = 0; i < e->n_modules && p->modules && p->modules[i]; i++) {
                /* plan modules are "hostpath args": compare the path part only */
                _cleanup_free_ char *h = strndup(p->modules[i], strcspn(p->modules[i], " "));
                humanize_one(b, &e->modules[i], h, msg);
        }
}

void backend_plan_explain(const struct backend *b, const struct boot_entry *e,
                          const struct boot_plan *p, char **msg)
{
        humanize_paths(b, e, p, msg);
}

/* Where section `section` of profile `profile` of the unified kernel image at host lies (read
 * again at boot: the file may have changed since it was listed). */
static int uki_part(const char *host, const struct file_ref *r, unsigned profile,
                    struct boot_part *ret, char **ret_error)
{
        _cleanup_(uki_done) struct uki u = {0};
        _cleanup_free_ char *why = NULL;
        _cleanup_close_ int fd = util_open_regular(host);
        const struct uki_profile *p;
        int kind = uki_part_kind(r->section), k;

        if (fd < 0) {
                *ret_error = util_asprintf("cannot read %s: %s", r->path, fsread_strerror(fd));
                return fd;
        }
        k = uki_read_fd(fd, &u, &why);
        if (k < 0) {
                *ret_error = util_asprintf("%s: not a unified kernel image: %s", r->path,
                                           why ? why : strerror(-k));
                return k;
        }
        p = uki_find_profile(&u, profile);
        if (kind < 0 || !p || p->parts[kind].size == 0) {
                *ret_error = util_asprintf("%s has no %s section%s any more", r->path, r->section,
                                           u.multi ? " in this profile" : "");
                return -ENOENT;
        }
        *ret = (struct boot_part){p->parts[kind].offset, p->parts[kind].size};
        return 0;
}

int backend_prepare(struct backend *b, const struct boot_entry *e, backend_progress_cb cb,
                    void *userdata, struct boot_plan *ret, char **ret_error)
{
        struct boot_plan p = {0};
        struct boot_request req;
        int r;

        *ret_error = NULL;
        r = ref_host_path(b, &e->kernel, "kernel", cb, userdata, &p, &p.kernel, ret_error);
        if (r >= 0 && e->kernel.section)
                r = uki_part(p.kernel, &e->kernel, e->uki_profile, &p.kernel_part, ret_error);
        if (r < 0)
                goto fail;
        if (!(p.initrds = calloc(1, sizeof(char *))) || !(p.modules = calloc(1, sizeof(char *))) ||
            !(p.cmdline = strdup(e->cmdline ? e->cmdline : ""))) {
                r = -ENOMEM;
                goto fail;
        }
        for (size_t i = 0; i < e->n_initrds; i++) {
                char *h = NULL;

                r = ref_host_path(b, &e->initrds[i], "initrd", cb, userdata, &p, &h, ret_error);
                if (r < 0)
                        goto fail;
                if (e->initrds[i].section) {
                        if (!p.initrd_parts &&
                            !(p.initrd_parts = calloc(e->n_initrds, sizeof(*p.initrd_parts)))) {
                                free(h);
                                r = -ENOMEM;
                                goto fail;
                        }
                        r = uki_part(h, &e->initrds[i], e->uki_profile, &p.initrd_parts[i],
                                     ret_error);
                        if (r < 0) {
                                free(h);
                                goto fail;
                        }
                }
                r = strv_consume(&p.initrds, h);
                if (r < 0)
                        goto fail;
        }
        for (size_t i = 0; i < e->n_modules; i++) {
                _cleanup_free_ char *h = NULL;

                r = ref_host_path(b, &e->modules[i], "module", cb, userdata, &p, &h, ret_error);
                if (r < 0)
                        goto fail;
                r = strv_consume(&p.modules, e->modules[i].args
                                                     ? util_asprintf("%s %s", h, e->modules[i].args)
                                                     : strdup(h));
                if (r < 0)
                        goto fail;
        }
        p.reset_vga = e->reset_vga;
        req = boot_plan_request(&p);
        r = boot_check(&req, ret_error);
        if (r < 0) {
                /* Say where the file is as the user wrote it ("/boot/vmlinuz on /dev/sda1"),
                 * not where it happens to be mounted here. */
                humanize_paths(b, e, &p, ret_error);
                goto fail;
        }
        r = backend_handover_prepare(b, e, &p, cb, userdata);
        if (r < 0)
                goto fail;
        *ret = p;
        return 0;
fail:
        if (!*ret_error)
                *ret_error = util_asprintf("cannot prepare '%s': %s", e->title, strerror(-r));
        boot_plan_done(&p);
        backend_release(b);
        return r;
}

int backend_load(struct backend *b, const struct boot_plan *p, backend_progress_cb cb,
                 void *userdata, char **ret_error)
{
        struct boot_request req = boot_plan_request(p);
        enum boot_method method;
        int r;

        progress(cb, userdata, false, "Loading the kernel %s", p->kernel);
        for (size_t i = 0; p->initrds && p->initrds[i]; i++)
                progress(cb, userdata, false, "  with initrd %s", p->initrds[i]);
        r = boot_load(&req, &method, ret_error);
        backend_release(b);
        if (r < 0)
                return r;
        /* Loaded: no loop device of a disk image is left behind (R attaches them again). */
        backend_images_release(b);
        /* no LV we activated (LVM inside LUKS first), and no dm-crypt mapping we made: the
         * kernel wipes its key before the jump */
        backend_lvm_release(b);
        backend_lock_all(b);
        /* nor an md array (the target assembles its own) */
        backend_md_release(b);
        progress(cb, userdata, false, "Loaded with %s",
                 method == BOOT_METHOD_FILE_LOAD ? "kexec_file_load" : "kexec-tools");
        return 0;
}

void backend_release(struct backend *b)
{
        int r = mount_release_all(&b->mounts);

        if (r < 0)
                log_warn("could not unmount everything: %s", strerror(-r));
}

static void json_ref(const struct backend *b, struct json *j, const struct file_ref *r)
{
        json_begin_object(j);
        json_key(j, "fs");
        if (r->device >= 0 || r->spec)
                json_string(j, backend_ref_fs(b, r));
        else
                json_null(j);
        if (r->device >= 0 && (size_t) r->device < b->devices.n &&
            b->devices.items[r->device].mapname)
                json_field_string(j, "fs_name", b->devices.items[r->device].mapname);
        if (r->subvol)
                json_field_string(j, "subvol", r->subvol);
        if (r->iso)
                json_field_string(j, "iso", r->iso);
        json_field_string(j, "path", r->path);
        if (r->args)
                json_field_string(j, "args", r->args);
        if (r->section)
                json_field_string(j, "section", r->section);
        if (r->device < 0 && r->spec)
                json_field_bool(j, "resolved", false);
        json_end_object(j);
}

/* "signature": what a locked-down kernel will say (only under lockdown). */
static void json_signature(struct json *j, const struct backend_signature *s)
{
        if (!s)
                return;
        json_key(j, "signature");
        json_begin_object(j);
        json_field_string(j, "verdict", s->verdict);
        json_field_bool(j, "refused", s->refused);
        json_field_string(j, "signer", s->signer);
        json_field_string(j, "issuer", s->issuer);
        json_field_string(j, "trusted_by", s->trusted_by);
        json_field_string(j, "text", s->text);
        json_end_object(j);
}

/* "config_timeout" and "timeout_style": the timeout of the installed configuration the menu took
 * its timeout from (the first one that sets one), in its own boot loader's meaning (GRUB: 0 boots
 * the default at once; "hidden"/"countdown" boot it after that many seconds without a menu), or
 * null. "timeout" above is what the menu does with it. */
static void json_config_timeout(const struct backend *b, struct json *j)
{
        const struct backend_fs_import *imp = NULL;

        for (size_t i = 0; b->autodetected && i < b->n_imports && !imp; i++)
                if (b->imports[i].timeout >= 0)
                        imp = &b->imports[i];
        json_key(j, "config_timeout");
        if (imp)
                json_int(j, imp->timeout);
        else
                json_null(j);
        json_key(j, "timeout_style");
        if (imp && imp->timeout_style)
                json_string(j, imp->timeout_style);
        else
                json_null(j);
}

/* "devices": each block device (or --fs fixture) with its filesystem, and why it is not
 * mounted where it never is (a hibernated Windows' volume: ntfs-check.h). */
static void json_devices(const struct backend *b, struct json *j)
{
        json_key(j, "devices");
        json_begin_array(j);
        for (size_t i = 0; i < b->devices.n; i++) {
                const struct device *d = &b->devices.items[i];

                json_begin_object(j);
                json_field_string(j, "device", d->path ? d->path : d->name);
                json_field_string(j, "fstype", d->fstype);
                json_field_string(j, "label", d->label);
                json_field_string(j, "uuid", d->uuid);
                if (d->not_mounted)
                        json_field_string(j, "not_mounted", d->not_mounted);
                if (d->read_error)
                        json_field_string(j, "read_error", strerror(d->read_error));
                json_end_object(j);
        }
        json_end_array(j);
}

/* The disk images found: attached (their loop device) or not (why). */
static void json_images(const struct backend *b, struct json *j)
{
        json_key(j, "images");
        json_begin_array(j);
        for (size_t i = 0; i < b->images.n; i++) {
                const struct image *m = &b->images.items[i];

                json_begin_object(j);
                json_field_string(j, "fs", m->fs);
                json_field_string(j, "path", m->path);
                json_key(j, "size");
                json_int(j, (long long) m->size);
                json_field_string(j, "kind", m->kind);
                json_key(j, "device");
                if (m->loop) {
                        _cleanup_free_ char *dev = util_asprintf("%s/%s", b->opt.devroot, m->loop);

                        json_string(j, dev ? dev : m->loop);
                } else
                        json_null(j);
                json_field_bool(j, "readable", m->loop != NULL);
                json_field_string(j, "why", m->why);
                json_end_object(j);
        }
        json_end_array(j);
}

void backend_to_json(const struct backend *b, struct json *j)
{
        backend_to_json_hw(b, NULL, j);
}

void backend_to_json_hw(const struct backend *b, const struct hw_report *hw, struct json *j)
{
        int def = backend_default_entry(b), timeout = backend_timeout(b);
        const char *theme = b->cmdline.kexec_theme ? b->cmdline.kexec_theme : b->config.theme;

        json_begin_object(j);
        json_key(j, "timeout");
        if (timeout > 0)
                json_int(j, timeout);
        else
                json_null(j);
        json_key(j, "default");
        if (def >= 0)
                json_int(j, def);
        else
                json_null(j);
        json_config_timeout(b, j);
        json_field_string(j, "theme", theme);
        json_field_string(j, "lockdown", backend_lockdown(b));
        json_key(j, "entries");
        json_begin_array(j);
        for (size_t i = 0; i < b->n_entries; i++) {
                const struct boot_entry *e = &b->entries[i];
                const struct device *img;

                json_begin_object(j);
                json_field_string(j, "title", e->title);
                json_field_strv(j, "submenu", e->submenu);
                json_field_string(j, "source", e->source);
                if ((img = backend_image_device(b, e->config.spec))) {
                        json_key(j, "image");
                        json_begin_object(j);
                        json_field_string(j, "fs", img->image_fs);
                        json_field_string(j, "path", img->image_path);
                        json_end_object(j);
                }
                if (e->iso) {
                        json_key(j, "iso");
                        json_begin_object(j);
                        json_field_string(j, "fs", e->config.spec);
                        json_field_string(j, "path", e->iso);
                        json_end_object(j);
                }
                json_key(j, "config");
                json_begin_object(j);
                json_field_string(j, "fs", e->config.spec);
                json_field_string(j, "path", e->config.path);
                json_end_object(j);
                json_key(j, "kernel");
                json_ref(b, j, &e->kernel);
                json_key(j, "initrd");
                json_begin_array(j);
                for (size_t k = 0; k < e->n_initrds; k++)
                        json_ref(b, j, &e->initrds[k]);
                json_end_array(j);
                if (e->n_modules > 0) {
                        json_key(j, "modules");
                        json_begin_array(j);
                        for (size_t k = 0; k < e->n_modules; k++)
                                json_ref(b, j, &e->modules[k]);
                        json_end_array(j);
                }
                json_field_string(j, "cmdline", e->cmdline);
                if (e->version)
                        json_field_string(j, "version", e->version);
                if (e->uki) {
                        json_key(j, "profile");
                        json_int(j, (long long) e->uki_profile);
                }
                if (e->reset_vga)
                        json_field_bool(j, "reset_vga", true);
                {
                        _cleanup_free_ char *tpm = backend_entry_tpm_warning(b, e);

                        if (tpm)
                                json_field_string(j, "tpm_warning", tpm);
                }
                if (e->users)
                        json_field_string(j, "users", e->users);
                /* superusers set by its configuration: booting it asks for a user and password
                 * unless it is unrestricted */
                if (e->auth && e->auth->restricted) {
                        json_field_bool(j, "protected", !e->unrestricted);
                        if (e->unrestricted)
                                json_field_bool(j, "unrestricted", true);
                }
                if (e->hotkey)
                        json_field_string(j, "hotkey", e->hotkey);
                if (e->action == BOOT_ACTION_EFI_APP) {
                        json_field_string(j, "action", "firmware");
                        json_key(j, "efi");
                        json_ref(b, j, &e->efi);
                } else if (e->action == BOOT_ACTION_FW_SETUP) {
                        json_field_string(j, "action", "firmware-setup");
                }
                if (e->not_bootable) {
                        json_field_bool(j, "bootable", false);
                        json_field_string(j, "why", e->not_bootable);
                }
                json_signature(j, backend_entry_signature(b, i));
                json_field_bool(j, "default", (int) i == def);
                if ((int) i == def && e->one_time_default)
                        json_field_bool(j, "one_time_default", true);
                json_end_object(j);
        }
        json_end_array(j);
        json_key(j, "diagnostics");
        json_begin_array(j);
        for (size_t i = 0; i < b->diags.n; i++) {
                const struct diag *d = &b->diags.items[i];

                json_begin_object(j);
                json_field_string(j, "fs", d->fs);
                json_field_string(j, "file", d->file);
                json_key(j, "line");
                if (d->line > 0)
                        json_int(j, d->line);
                else
                        json_null(j);
                json_field_string(j, "message", d->message);
                json_end_object(j);
        }
        json_end_array(j);
        json_devices(b, j);
        json_images(b, j);
        mdraid_list_to_json(&b->md, b->opt.devroot, j);
        if (hw) {
                json_key(j, "hardware");
                hw_report_to_json(hw, j);
        }
        json_end_object(j);
}

char **backend_device_table(const struct backend *b)
{
        static const char *const head[] = {"Device", "Size", "Type", "Label", "UUID"};
        size_t w[5] = {0};
        char **rows = calloc(1, sizeof(char *));

        if (!rows)
                return NULL;
        for (size_t c = 0; c < 5; c++)
                w[c] = strlen(head[c]);
        for (size_t pass = 0; pass < 2; pass++) {
                /* the header, the devices, then the disk images that are not attached */
                for (size_t i = 0; i <= b->devices.n + b->images.n; i++) {
                        const struct device *d =
                                i > 0 && i <= b->devices.n ? &b->devices.items[i - 1] : NULL;
                        const struct image *m =
                                i > b->devices.n ? &b->images.items[i - 1 - b->devices.n] : NULL;
                        _cleanup_free_ char *name = NULL;
                        const struct mdraid_array *a = NULL;
                        char size[32];
                        const char *cell[5];
                        char *line;

                        if (m && m->loop)
                                continue; /* shown by its devices */
                        if (d && d->image_path)
                                name = util_asprintf("%s [%s]", d->path,
                                                     strrchr(d->image_path, '/')
                                                             ? strrchr(d->image_path, '/') + 1
                                                             : d->image_path);
                        else if (m)
                                name = image_display_name(m->fs, m->path);
                        else if (d && d->mapname)
                                name = util_asprintf("%s (%s)", d->path, d->mapname);
                        else if (d && (a = mdraid_list_find_kname(&b->md, d->name)))
                                name = mapname_md_display(d->path, a->name);
                        if ((d && (d->image_path || d->mapname)) || m || a) {
                                if (!name) {
                                        strv_free(rows);
                                        return NULL;
                                }
                        }
                        if (d)
                                util_format_size(d->size, size, sizeof(size));
                        else if (m)
                                util_format_size(m->size, size, sizeof(size));
                        cell[0] = name ? name : d ? d->path : head[0];
                        cell[1] = d ? (d->mountdir && !d->size ? "-" : size) : m ? size : head[1];
                        cell[2] = d   ? (d->locked        ? "crypto_LUKS (locked)"
                                         : d->not_mounted ? "ntfs (not mounted)"
                                         : d->read_error  ? "(unreadable)"
                                         : d->fstype      ? d->fstype
                                                          : "-")
                                  : m ? "image"
                                      : head[2];
                        cell[3] = d ? (d->label ? d->label : "-") : m ? "-" : head[3];
                        cell[4] = d   ? (d->uuid ? d->uuid : "-")
                                  : m ? (m->why ? m->why : "-")
                                      : head[4];
                        if (pass == 0) {
                                for (size_t c = 0; c < 5; c++)
                                        w[c] = MAX(w[c], strlen(cell[c]));
                                continue;
                        }
                        line = util_asprintf("%-*s  %*s  %-*s  %-*s  %s", (int) w[0], cell[0],
                                             (int) w[1], cell[1], (int) w[2], cell[2], (int) w[3],
                                             cell[3], cell[4]);
                        if (strv_consume(&rows, line ? util_strip_trailing(line) : NULL) < 0) {
                                strv_free(rows);
                                return NULL;
                        }
                }
        }
        /* why a filesystem is not mounted (a hibernated Windows' volume), below the table */
        for (size_t i = 0; i < b->devices.n; i++) {
                const struct device *d = &b->devices.items[i];

                if (d->not_mounted &&
                    strv_consume(&rows, util_asprintf("%s: %s", d->path, d->not_mounted)) < 0) {
                        strv_free(rows);
                        return NULL;
                }
                if (d->read_error &&
                    strv_consume(&rows, util_asprintf("%s: cannot be read (%s): a failing disk or "
                                                      "a bad sector; nothing on it is searched",
                                                      d->path, strerror(d->read_error))) < 0) {
                        strv_free(rows);
                        return NULL;
                }
        }
        return rows;
}
