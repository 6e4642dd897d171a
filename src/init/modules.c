/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel modules through libkmod. One kmod context maps the module tree's indexes once, so the
 * few hundred lookups of a coldplug cost little. */
#define LOG_MODULE "modules"
#include "modules.h"

#include <blkid.h>
#include <dirent.h>
#include <fcntl.h>
#include <libkmod.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/stat.h>
#include <syslog.h>

#include "../core/log.h"
#include "../core/util.h"
#include "loadorder.h"
#include "uevent.h"

#define MODULES_MAX_ACTIONS 64 /* modules one probe may load: the module, its deps, softdeps */
#define COLDPLUG_MAX_PASSES 3
#define SCAN_MAX_DEPTH      64
#define MODALIAS_MAX        4096

struct modules {
        struct kmod_ctx *ctx;
        bool use_blacklist;
        /* the modules that the running probe tries to insert (print_action has no user data) */
        struct kmod_module *actions[MODULES_MAX_ACTIONS];
        size_t n_actions;
};

static struct modules *probing;

static void kmod_log(void *data, int priority, const char *file, int line, const char *fn,
                     const char *format, va_list args) _printf_(6, 0);
static void kmod_log(void *data, int priority, const char *file, int line, const char *fn,
                     const char *format, va_list args)
{
        char buf[1024];

        (void) data;
        (void) file;
        (void) line;
        (void) fn;
        if (vsnprintf(buf, sizeof(buf), format, args) < 0)
                return;
        util_strip_trailing(buf);
        log_write(priority <= LOG_ERR ? LOG_LEVEL_WARNING : LOG_LEVEL_DEBUG, LOG_MODULE,
                  "libkmod: %s", buf);
}

int modules_init_at(const char *dirname, struct modules **ret)
{
        struct modules *m;
        struct stat st;
        const char *dir;
        int r;

        *ret = NULL;
        m = calloc(1, sizeof(*m));
        if (!m)
                return -ENOMEM;
        m->ctx = kmod_new(dirname, NULL);
        if (!m->ctx) {
                free(m);
                return -ENOMEM;
        }
        kmod_set_log_fn(m->ctx, kmod_log, NULL);
        dir = kmod_get_dirname(m->ctx);
        if (!dir || stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
                log_debug("no module tree at %s", dir ? dir : "(none)");
                modules_free(m);
                return -ENOENT;
        }
        /* Without the indexes mapped every lookup opens the files again: slower, still right. */
        r = kmod_load_resources(m->ctx);
        if (r < 0)
                log_warn("cannot map the module indexes of %s (%s): lookups will be slow", dir,
                         strerror(-r));
        *ret = m;
        return 0;
}

int modules_init(struct modules **ret)
{
        return modules_init_at(NULL, ret);
}

void modules_free(struct modules *m)
{
        if (!m)
                return;
        kmod_unref(m->ctx);
        free(m);
}

void modules_set_use_blacklist(struct modules *m, bool b)
{
        if (m)
                m->use_blacklist = b;
}

static void on_action(struct kmod_module *mod, bool install, const char *options)
{
        (void) install;
        (void) options;
        if (probing && probing->n_actions < ARRAY_SIZE(probing->actions))
                probing->actions[probing->n_actions++] = kmod_module_ref(mod);
}

/* There is no shell to run an install command of /etc/modprobe.d with; "install foo /bin/true"
 * is how a module is kept out, so the module is left alone. */
static int run_install(struct kmod_module *mod, const char *cmdline, void *data)
{
        (void) data;
        log_warn("not loading %s: its install command (%s) cannot run here",
                 kmod_module_get_name(mod), cmdline);
        return 0;
}

/* Counts, logs and releases the modules of the last probe that are now in the kernel. */
static int count_loaded(struct modules *m, const char *why)
{
        int n = 0;

        for (size_t i = 0; i < m->n_actions; i++) {
                struct kmod_module *mod = m->actions[i];
                int state = kmod_module_get_initstate(mod);
                const char *name = kmod_module_get_name(mod);

                if (state == KMOD_MODULE_LIVE || state == KMOD_MODULE_COMING) {
                        n++;
                        if (streq(name, why))
                                log_info("loaded %s", name);
                        else
                                log_info("loaded %s (for %s)", name, why);
                }
                kmod_module_unref(mod);
        }
        m->n_actions = 0;
        return n;
}

int modules_load_alias(struct modules *m, const char *modalias_or_name)
{
        const char *why = modalias_or_name;
        struct kmod_list *list = NULL, *l;
        int r, loaded = 0, error = 0;
        unsigned flags;
        bool ok = false;

        if (!m || isempty(why))
                return -EINVAL;
        r = kmod_module_new_from_lookup(m->ctx, why, &list);
        if (r < 0) {
                log_debug("looking up %s: %s", why, strerror(-r));
                return r;
        }
        if (!list)
                return -ENOENT;

        /* As modprobe: a blacklisted module is not loaded for an alias, only by its name. */
        flags = m->use_blacklist ? KMOD_PROBE_APPLY_BLACKLIST
                                 : KMOD_PROBE_APPLY_BLACKLIST_ALIAS_ONLY;
        for (l = list; l; l = kmod_list_next(list, l)) {
                struct kmod_module *mod = kmod_module_get_module(l);
                const char *name;

                if (!mod)
                        continue;
                name = kmod_module_get_name(mod);
                m->n_actions = 0;
                probing = m;
                r = kmod_module_probe_insert_module(mod, flags, NULL, run_install, NULL, on_action);
                probing = NULL;
                loaded += count_loaded(m, why);
                if (r == 0 || r == -EEXIST) {
                        ok = true;
                } else if (r > 0) {
                        ok = true;
                        log_debug("%s (for %s) is blacklisted", name, why);
                } else if (r == -ENODEV) {
                        /* The driver found nothing to drive, e.g. crc32c-intel without SSE4.2. */
                        log_debug("%s (for %s): no such device", name, why);
                        if (!error)
                                error = r;
                } else {
                        log_warn("cannot load %s (for %s): %s", name, why, strerror(-r));
                        if (!error || error == -ENODEV)
                                error = r;
                }
                kmod_module_unref(mod);
        }
        kmod_module_unref_list(list);
        if (loaded > 0 || ok)
                return loaded;
        return error ? error : -ENOENT;
}

/* ---- coldplug ---- */

/* A set of strings (open addressing), to try each modalias once. */
struct strset {
        char **slots;
        size_t cap, n; /* cap: a power of two */
};

static size_t strset_hash(const char *s)
{
        uint64_t h = 14695981039346656037ULL;

        for (; *s; s++)
                h = (h ^ (unsigned char) *s) * 1099511628211ULL;
        return (size_t) h;
}

static void strset_done(struct strset *set)
{
        for (size_t i = 0; i < set->cap; i++)
                free(set->slots[i]);
        free(set->slots);
        *set = (struct strset){0};
}

/* Adds a copy of s: 1 when added, 0 when there already, -ENOMEM. */
static int strset_add(struct strset *set, const char *s)
{
        size_t i;

        if ((set->n + 1) * 2 > set->cap) {
                size_t cap = set->cap ? set->cap * 2 : 256;
                char **slots = calloc(cap, sizeof(char *));

                if (!slots)
                        return -ENOMEM;
                for (size_t k = 0; k < set->cap; k++) {
                        if (!set->slots[k])
                                continue;
                        for (i = strset_hash(set->slots[k]) & (cap - 1); slots[i];
                             i = (i + 1) & (cap - 1))
                                ;
                        slots[i] = set->slots[k];
                }
                free(set->slots);
                set->slots = slots;
                set->cap = cap;
        }
        for (i = strset_hash(s) & (set->cap - 1); set->slots[i]; i = (i + 1) & (set->cap - 1))
                if (streq(set->slots[i], s))
                        return 0;
        set->slots[i] = strdup(s);
        if (!set->slots[i])
                return -ENOMEM;
        set->n++;
        return 1;
}

struct scan {
        struct strset *seen; /* across passes */
        char **found;        /* new in this pass */
        size_t n_files;
};

static int read_modalias(int dfd, const char *name, char *buf, size_t size)
{
        int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
        ssize_t n;

        if (fd < 0)
                return -errno;
        do
                n = read(fd, buf, size - 1);
        while (n < 0 && errno == EINTR);
        close(fd);
        if (n < 0)
                return -errno;
        buf[n] = 0;
        util_strip_trailing(buf);
        return 0;
}

/* Walks the directory dfd (taking it over). Only -ENOMEM stops the walk. */
static int scan_dir(struct scan *sc, int dfd, unsigned depth)
{
        DIR *d = fdopendir(dfd);
        struct dirent *de;
        int r = 0;

        if (!d) {
                close(dfd);
                return 0;
        }
        while (r >= 0 && (de = readdir(d))) {
                unsigned char type = de->d_type;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (type == DT_UNKNOWN) {
                        struct stat st;

                        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                                continue;
                        type = S_ISDIR(st.st_mode)   ? DT_DIR
                               : S_ISREG(st.st_mode) ? DT_REG
                                                     : DT_UNKNOWN;
                }
                if (type == DT_DIR && depth < SCAN_MAX_DEPTH) {
                        int sub = openat(dirfd(d), de->d_name,
                                         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

                        if (sub >= 0)
                                r = scan_dir(sc, sub, depth + 1);
                } else if (type == DT_REG && streq(de->d_name, "modalias")) {
                        char buf[MODALIAS_MAX];

                        if (read_modalias(dirfd(d), de->d_name, buf, sizeof(buf)) < 0 || !*buf)
                                continue;
                        sc->n_files++;
                        r = strset_add(sc->seen, buf);
                        if (r > 0)
                                r = strv_push(&sc->found, buf);
                }
        }
        closedir(d);
        return r < 0 ? r : 0;
}

/* The modalias values below sysroot/devices that are not in seen yet (and adds them there). */
static int scan_aliases(const char *sysroot, struct strset *seen, char ***ret, size_t *ret_files)
{
        _cleanup_free_ char *path = util_asprintf("%s/devices", sysroot);
        struct scan sc = {.seen = seen};
        int fd, r;

        *ret = NULL;
        if (!path)
                return -ENOMEM;
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        r = scan_dir(&sc, fd, 0);
        if (r < 0) {
                strv_free(sc.found);
                return r;
        }
        *ret = sc.found;
        if (ret_files)
                *ret_files = sc.n_files;
        return 0;
}

int modules_scan_aliases(const char *sysroot, char ***ret)
{
        struct strset seen = {0};
        int r = scan_aliases(sysroot, &seen, ret, NULL);

        strset_done(&seen);
        return r;
}

static const char *const no_modalias[] = {"evdev", "loop", "dm_mod"};

int modules_coldplug(struct modules *m, const char *sysroot)
{
        struct strset seen = {0};
        int total = 0, r = 0;

        if (!m)
                return -EINVAL;
        for (unsigned pass = 1; pass <= COLDPLUG_MAX_PASSES; pass++) {
                _cleanup_strv_ char **aliases = NULL;
                unsigned long long t0 = util_now_ms();
                size_t files = 0;
                int loaded = 0;

                r = scan_aliases(sysroot, &seen, &aliases, &files);
                if (r < 0) {
                        log_error("cannot read %s/devices: %s", sysroot, strerror(-r));
                        break;
                }
                /* The display first (the menu draws on it while the disks come), then storage */
                loadorder_sort(aliases, strv_length(aliases));
                strv_foreach (a, aliases) {
                        int k = modules_load_alias(m, a);

                        if (k > 0)
                                loaded += k;
                }
                /* Modules that drive no device of their own (no modalias): evdev, loop for the
                 * disk images (backend/image.h; /dev/loop-control comes with it), dm_mod for
                 * LVM (backend/lvm-activate.h; /dev/mapper/control comes with it). */
                for (size_t i = 0; pass == 1 && i < ARRAY_SIZE(no_modalias); i++) {
                        int k = modules_load_alias(m, no_modalias[i]);

                        if (k > 0)
                                loaded += k;
                        else if (k < 0)
                                log_debug("%s: %s", no_modalias[i], strerror(-k));
                }
                total += loaded;
                log_info("coldplug pass %u: %zu modalias files, %zu new, %d modules loaded in "
                         "%llu ms",
                         pass, files, strv_length(aliases), loaded, util_now_ms() - t0);
                if (loaded == 0)
                        break;
        }
        strset_done(&seen);
        return r < 0 && total == 0 ? r : total;
}

int modules_handle_uevent(struct modules *m, const char *buf, size_t len)
{
        struct uevent u;
        int r;

        if (uevent_parse(buf, len, &u) < 0)
                return 0;
        if (!streq(u.action, "add") || !u.modalias)
                return 0;
        r = modules_load_alias(m, u.modalias);
        if (r == -ENOENT || r == -ENODEV)
                return 0;
        return r;
}

/* ---- filesystem modules ahead of the mounts ---- */

static int probe_type(const char *path, char **ret)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        blkid_probe pr;
        const char *v = NULL;
        int r;

        *ret = NULL;
        if (fd < 0)
                return -errno;
        pr = blkid_new_probe();
        if (!pr)
                return -ENOMEM;
        r = blkid_probe_set_device(pr, fd, 0, 0);
        if (r == 0) {
                blkid_probe_enable_partitions(pr, 0);
                blkid_probe_enable_superblocks(pr, 1);
                blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE);
                r = blkid_do_safeprobe(pr);
                if (r == 0 && blkid_probe_lookup_value(pr, "TYPE", &v, NULL) == 0 && v &&
                    !(*ret = strdup(v)))
                        r = -ENOMEM;
        }
        blkid_free_probe(pr);
        return r < 0 ? (r == -ENOMEM ? r : -EIO) : 0;
}

int modules_load_fs_type(struct modules *m, const char *type)
{
        int loaded = 0;

        for (const char *const *names = loadorder_fs_modules(type); names && *names; names++) {
                int k = modules_load_alias(m, *names);

                if (k > 0)
                        loaded += k;
        }
        return loaded;
}

int modules_load_fs(struct modules *m, const char *path, char **ret_type)
{
        int r;

        *ret_type = NULL;
        if (!m)
                return -EINVAL;
        r = probe_type(path, ret_type);
        if (r < 0)
                return r;
        return modules_load_fs_type(m, *ret_type);
}
