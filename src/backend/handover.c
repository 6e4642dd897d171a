/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The LUKS key hand-over at boot (issue 12, docs/storage.md "The key hand-over"): the keys kept
 * by backend_unlock(BACKEND_UNLOCK_HANDOVER), and, when an entry is booted, the target initrd
 * read (initrd.c), its generator recognised and the archive built (keycpio.c) and put in the
 * boot plan, which appends it after the initrds in a memfd (boot.c). Only in memory: no file is
 * written, the keys are mlock'ed and zeroed when the volumes are locked and at exit. */
#define LOG_MODULE "handover"
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/cmdline.h"
#include "../core/log.h"
#include "../core/util.h"
#include "backend.h"
#include "crypttab.h"
#include "initrd.h"
#include "keycpio.h"
#include "luks.h"

/* The initrds read for the hand-over (each mapped whole; the kernel loads them anyway). */
#define HANDOVER_INITRD_MAX (2ull << 30)
/* Stacked block devices followed down (dm on dm on md …) to find the mapping. */
#define HANDOVER_STACK_DEPTH 8

static void wipe_key(struct backend_key *k)
{
        if (k->key) {
                explicit_bzero(k->key, k->len);
                (void) munlock(k->key, k->len);
                free(k->key);
        }
        free(k->mapping);
        *k = (struct backend_key){0};
}

int backend_handover_keep(struct backend *b, const char *uuid, const char *mapping, const void *key,
                          size_t len)
{
        struct backend_key k = {0};
        int r;

        if (isempty(uuid) || strlen(uuid) >= sizeof(k.uuid) || !mapping || len == 0 ||
            len > KEYCPIO_MAX_KEY)
                return -EINVAL;
        backend_handover_forget(b, uuid);
        k.key = malloc(len);
        k.mapping = strdup(mapping);
        if (!k.key || !k.mapping) {
                wipe_key(&k);
                return -ENOMEM;
        }
        /* kept out of swap (there is none in the initramfs, but the menu may run elsewhere) */
        if (mlock(k.key, len) < 0)
                log_debug("mlock: %m");
        memcpy(k.key, key, len);
        k.len = len;
        memcpy(k.uuid, uuid, strlen(uuid) + 1);
        r = UTIL_GROW(b->keys, b->cap_keys, b->n_keys + 1);
        if (r < 0) {
                wipe_key(&k);
                return r;
        }
        b->keys[b->n_keys++] = k;
        log_info("the key of %s is kept for the hand-over", mapping);
        return 0;
}

void backend_handover_forget(struct backend *b, const char *uuid)
{
        size_t w = 0;

        for (size_t i = 0; i < b->n_keys; i++) {
                if (!uuid || strcaseeq(b->keys[i].uuid, uuid))
                        wipe_key(&b->keys[i]);
                else
                        b->keys[w++] = b->keys[i];
        }
        b->n_keys = w;
        if (w == 0) {
                free(b->keys);
                b->keys = NULL;
                b->cap_keys = 0;
        }
}

/* Whether the block device name (kernel name) is the dm device mapping, or is stacked on it
 * (an LVM volume on the unlocked volume): sysfs dm/name, then slaves/, depth-bounded. */
static bool on_mapping(const char *sysroot, const char *name, const char *mapping, unsigned depth)
{
        _cleanup_free_ char *dm = NULL, *p = NULL, *dir = NULL;
        DIR *d;
        struct dirent *de;
        bool found = false;

        if (depth > HANDOVER_STACK_DEPTH || isempty(name) || strchr(name, '/'))
                return false;
        p = util_asprintf("%s/class/block/%s/dm/name", sysroot, name);
        if (p && util_read_line(p, &dm) == 0 && streq(dm, mapping))
                return true;
        dir = util_asprintf("%s/class/block/%s/slaves", sysroot, name);
        d = dir ? opendir(dir) : NULL;
        if (!d)
                return false;
        while (!found && (de = readdir(d)))
                if (de->d_name[0] != '.')
                        found = on_mapping(sysroot, de->d_name, mapping, depth + 1);
        closedir(d);
        return found;
}

/* The device of the list a root= value names (UUID=, PARTUUID=, LABEL=, PARTLABEL=,
 * /dev/mapper/NAME, /dev/disk/by-uuid/U, /dev/NAME), or NULL. */
static const struct device *root_device(const struct backend *b, const char *root,
                                        const char *sysroot)
{
        static const struct {
                const char *prefix;
                size_t field; /* offsetof in struct device */
        } specs[] = {
                {"UUID=", offsetof(struct device, uuid)},
                {"/dev/disk/by-uuid/", offsetof(struct device, uuid)},
                {"PARTUUID=", offsetof(struct device, partuuid)},
                {"LABEL=", offsetof(struct device, label)},
                {"PARTLABEL=", offsetof(struct device, partlabel)},
        };
        const char *v;

        for (size_t i = 0; i < ARRAY_SIZE(specs); i++) {
                if (!(v = startswith(root, specs[i].prefix)))
                        continue;
                for (size_t k = 0; k < b->devices.n; k++) {
                        const struct device *d = &b->devices.items[k];
                        const char *f = *(char *const *) ((const char *) d + specs[i].field);

                        if (f && strcaseeq(f, v))
                                return d;
                }
                return NULL;
        }
        if ((v = startswith(root, "/dev/mapper/"))) {
                for (size_t k = 0; k < b->devices.n; k++) {
                        const struct device *d = &b->devices.items[k];
                        _cleanup_free_ char *p =
                                util_asprintf("%s/class/block/%s/dm/name", sysroot, d->name);
                        _cleanup_free_ char *dm = NULL;

                        if (p && util_read_line(p, &dm) == 0 && streq(dm, v))
                                return d;
                }
                return NULL;
        }
        for (size_t k = 0; k < b->devices.n; k++)
                if (streq_ptr(b->devices.items[k].path, root))
                        return &b->devices.items[k];
        return NULL;
}

/* Why entry e needs the unlocked volume k (a sentence for the log), or NULL when it does not:
 * its command line names the volume, its kernel or its root filesystem is on the volume's
 * mapping (or on a device stacked on it), or the target initrd's crypttab has the volume. */
static const char *needs_volume(const struct backend *b, const struct boot_entry *e,
                                const struct backend_key *k, const char *initrd_tab, size_t tab_len)
{
        const char *sysroot = b->opt.sysroot ? b->opt.sysroot : "/sys";
        _cleanup_strv_ char **words = NULL;
        const char *root;

        if (luks_cmdline_names(e->cmdline, k->uuid))
                return "its command line names the volume";
        if (e->kernel.device >= 0 && (size_t) e->kernel.device < b->devices.n &&
            on_mapping(sysroot, b->devices.items[e->kernel.device].name, k->mapping, 0))
                return "its kernel is on the volume";
        if (e->cmdline && cmdline_split(e->cmdline, &words) >= 0 &&
            (root = cmdline_get(words, "root")) && *root) {
                const struct device *d = root_device(b, root, sysroot);

                if (d && on_mapping(sysroot, d->name, k->mapping, 0))
                        return "its root filesystem is on the volume";
        }
        if (initrd_tab) {
                struct crypttab t = {0};
                struct diag_list dl = {0};
                bool found = false;

                if (crypttab_parse(&t, initrd_tab, tab_len, NULL, NULL, &dl) >= 0) {
                        _cleanup_free_ char *path = util_asprintf("/dev/disk/by-uuid/%s", k->uuid);

                        found = crypttab_find_device(&t, CRYPTTAB_DEV_UUID, k->uuid) ||
                                (path && crypttab_find_device(&t, CRYPTTAB_DEV_PATH, path));
                }
                crypttab_done(&t);
                diag_list_done(&dl);
                if (found)
                        return "its initramfs's crypttab has the volume";
        }
        return NULL;
}

/* Command line parameters that make the generator ignore what is handed over. */
static const char *overridden(enum keycpio_gen g, const char *cmdline)
{
        static const struct {
                enum keycpio_gen gen;
                const char *param;
                const char *why;
        } rows[] = {
                /* cryptroot rebuilds /cryptroot/crypttab from cryptopts= */
                {KEYCPIO_GEN_INITRAMFS_TOOLS, "cryptopts",
                 "cryptopts= replaces the initramfs's crypttab"},
                /* the encrypt hook then reads its key from cryptkey= into /crypto_keyfile.bin */
                {KEYCPIO_GEN_MKINITCPIO, "cryptkey", "cryptkey= names another key file"},
                {KEYCPIO_GEN_DRACUT, "rd.luks.crypttab", NULL},
                {KEYCPIO_GEN_MKINITCPIO_SYSTEMD, "rd.luks.crypttab", NULL},
        };
        _cleanup_strv_ char **words = NULL;

        if (!cmdline || cmdline_split(cmdline, &words) < 0)
                return NULL;
        for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
                const char *v;

                if (rows[i].gen != g || !(v = cmdline_get(words, rows[i].param)))
                        continue;
                if (rows[i].why)
                        return rows[i].why;
                /* rd.luks.crypttab=0/no: dracut and systemd ignore the initramfs's crypttab */
                if (streq(v, "0") || streq(v, "no") || streq(v, "false"))
                        return "rd.luks.crypttab=0 makes the initramfs ignore its crypttab";
        }
        return NULL;
}

struct scanned {
        struct initrd_info info; /* names of all initrds, the crypttabs of the last one */
        char *tab[2];            /* etc/crypttab, cryptroot/crypttab: the last copy */
        size_t tab_len[2];
};

static const char *const tab_paths[2] = {"etc/crypttab", "cryptroot/crypttab"};

/* Reads each initrd of the plan (mapped read-only; a UKI's .initrd section by its part). */
static int scan_initrds(const struct boot_plan *p, struct scanned *s, const char **why)
{
        for (size_t i = 0; p->initrds && p->initrds[i]; i++) {
                const struct boot_part *part = p->initrd_parts ? &p->initrd_parts[i] : NULL;
                _cleanup_close_ int fd = util_open_regular(p->initrds[i]);
                struct initrd_info one = {0};
                struct stat st;
                uint64_t off = 0, size;
                void *map;
                int r;

                if (fd < 0 || fstat(fd, &st) < 0) {
                        *why = "its initrd cannot be read";
                        return fd < 0 ? fd : -errno;
                }
                size = (uint64_t) st.st_size;
                if (part && part->size > 0) {
                        if (part->offset > size || part->size > size - part->offset) {
                                *why = "its initrd section is outside the file";
                                return -EINVAL;
                        }
                        off = part->offset;
                        size = part->size;
                }
                if (size == 0)
                        continue;
                if (off + size > HANDOVER_INITRD_MAX) {
                        *why = "its initrd is larger than 2 GiB";
                        return -E2BIG;
                }
                map = mmap(NULL, (size_t) (off + size), PROT_READ, MAP_PRIVATE, fd, 0);
                if (map == MAP_FAILED) {
                        *why = "its initrd cannot be mapped";
                        return -errno;
                }
                r = initrd_scan((const uint8_t *) map + off, (size_t) size, tab_paths, 2, &one,
                                why);
                (void) munmap(map, (size_t) (off + size));
                if (r >= 0 || r == -EBADMSG) {
                        /* what was read before damage counts: the kernel unpacks it too */
                        for (size_t k = 0; k < one.n_names && r >= 0; k++) {
                                r = UTIL_GROW(s->info.names, s->info.cap_names,
                                              s->info.n_names + 2);
                                if (r >= 0) {
                                        s->info.names[s->info.n_names++] = one.names[k];
                                        s->info.names[s->info.n_names] = NULL;
                                        one.names[k] = NULL;
                                }
                        }
                        for (size_t k = 0; k < 2; k++)
                                if (one.files[k]) {
                                        free(s->tab[k]);
                                        s->tab[k] = one.files[k];
                                        s->tab_len[k] = one.file_len[k];
                                        one.files[k] = NULL;
                                }
                        if (!s->info.compression)
                                s->info.compression = one.compression;
                }
                initrd_info_done(&one);
                if (r < 0)
                        return r;
        }
        return 0;
}

static void scanned_done(struct scanned *s)
{
        initrd_info_done(&s->info);
        for (size_t k = 0; k < 2; k++)
                free(s->tab[k]);
}

static void note(struct boot_plan *p, backend_progress_cb cb, void *ud, const char *fmt, ...)
        _printf_(4, 5);
static void note(struct boot_plan *p, backend_progress_cb cb, void *ud, const char *fmt, ...)
{
        char *s = NULL;
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(&s, fmt, ap) < 0)
                s = NULL;
        va_end(ap);
        if (!s)
                return;
        log_info("%s", s);
        if (cb)
                cb(ud, false, s);
        free(p->append_note);
        p->append_note = s;
}

int backend_handover_prepare(struct backend *b, const struct boot_entry *e, struct boot_plan *p,
                             backend_progress_cb cb, void *ud)
{
        struct scanned s = {0};
        const struct backend_key *k = NULL;
        const char *why = NULL, *because = NULL, *tab_path, *over;
        enum keycpio_gen g;
        struct keycpio c = {0};
        size_t tab_len = 0;
        const char *tab = NULL;
        int r;

        if (b->n_keys == 0)
                return 0;
        if (strv_length(p->initrds) == 0) {
                note(p, cb, ud, "No key hand-over: '%s' has no initrd", e->title);
                return 0;
        }
        r = scan_initrds(p, &s, &why);
        if (r == -ENOMEM)
                goto out;
        if (r < 0) {
                note(p, cb, ud, "No key hand-over: %s (%s)", why ? why : strerror(-r), e->title);
                r = 0;
                goto out;
        }
        g = keycpio_detect((const char *const *) s.info.names, s.info.n_names);
        tab_path = keycpio_crypttab_path(g);
        for (size_t i = 0; tab_path && i < 2; i++)
                if (streq(tab_path, tab_paths[i])) {
                        tab = s.tab[i];
                        tab_len = s.tab_len[i];
                }
        for (size_t i = 0; !k && i < b->n_keys; i++) {
                because = needs_volume(b, e, &b->keys[i], tab, tab_len);
                if (because)
                        k = &b->keys[i];
        }
        if (!k) {
                note(p, cb, ud, "No key hand-over: '%s' does not use %s", e->title,
                     b->keys[0].mapping);
                goto out;
        }
        if (g == KEYCPIO_GEN_UNKNOWN) {
                note(p, cb, ud,
                     "No key hand-over: the initramfs of '%s' is not one of dracut, "
                     "initramfs-tools or mkinitcpio; it will ask for the passphrase of %s",
                     e->title, k->mapping);
                goto out;
        }
        over = overridden(g, e->cmdline);
        if (over) {
                note(p, cb, ud, "No key hand-over: %s (%s)", over, keycpio_gen_name(g));
                goto out;
        }
        r = keycpio_build(g, k->uuid, k->key, k->len, tab, tab_len, &c);
        if (r == -ENOMEM)
                goto out;
        if (r < 0) {
                note(p, cb, ud, "No key hand-over: the archive cannot be built (%s)", strerror(-r));
                r = 0;
                goto out;
        }
        p->append = malloc(c.len);
        if (!p->append) {
                r = -ENOMEM;
                goto out;
        }
        if (mlock(p->append, c.len) < 0)
                log_debug("mlock: %m");
        memcpy(p->append, c.data, c.len);
        p->append_len = c.len;
        {
                _cleanup_free_ char *key_path = NULL, *tabtext = NULL, *name = NULL;

                /* the mapping's name the target uses: its crypttab's, else luks-UUID */
                if (keycpio_crypttab(g, tab, tab_len, k->uuid, &tabtext, &name) < 0)
                        name = NULL;
                key_path = name ? keycpio_key_path(g, name) : NULL;
                note(p, cb, ud,
                     "Key hand-over: %s initramfs, /%s%s%s for %s (%zu bytes appended; %s)",
                     keycpio_gen_name(g), key_path ? key_path : "?", tab_path ? " and /" : "",
                     tab_path ? tab_path : "", name ? name : k->mapping, c.len, because);
        }
        r = 0;
out:
        keycpio_done(&c);
        scanned_done(&s);
        return r;
}
