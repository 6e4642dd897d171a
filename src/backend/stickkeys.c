/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Key files on the stick (docs/formats.md, "crypttab on the stick"): the locked LUKS volumes that
 * the stick's /kexec-loader/crypttab names are unlocked with the key files beside it, read-only
 * like an unlock with a typed passphrase (luks-unlock.h), before the configurations are read.
 * The file is the opt-in: without it nothing is looked for. An entry with the option
 * x-kexec-loader.handover also keeps the key for the hand-over to the booted system
 * (handover.c); the key file is on the stick in clear already. */
#define LOG_MODULE "stickkeys"
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "../core/fsread.h"
#include "../core/log.h"
#include "../core/util.h"
#include "backend.h"
#include "crypttab.h"
#include "keycpio.h"
#include "luks-unlock.h"

/* The stick: the first filesystem (the configuration's first) holding mkstick's marker or a
 * kexec-loader.conf; its crypttab read into t. 1 found, 0 no stick or no crypttab. */
static int read_stick_crypttab(struct backend *b, struct crypttab *t, int *ret_root)
{
        for (size_t pass = 0; pass < 2; pass++)
                for (size_t i = 0; i < b->devices.n; i++) {
                        const struct device *d = &b->devices.items[i];
                        _cleanup_free_ char *text = NULL;
                        _cleanup_close_ int root = -1;
                        struct diag_list dl = {0};
                        struct stat st;
                        size_t len = 0;
                        int r;

                        /* the configuration's filesystem first, then the others */
                        if ((pass == 0) != streq_ptr(d->path, b->config_fs) || !d->fstype ||
                            streq(d->fstype, "crypto_LUKS") || streq(d->fstype, "swap"))
                                continue;
                        root = backend_fs_root(b, d->path);
                        if (root < 0)
                                continue;
                        if (fsread_stat(root, "/" BACKEND_STICK_MARKER, &st) < 0 &&
                            fsread_stat(root, "/" BACKEND_CONFIG_NAME, &st) < 0)
                                continue;
                        r = fsread_read_file(root, CRYPTTAB_STICK_PATH, CRYPTTAB_MAX_FILE, &text,
                                             &len);
                        if (r < 0)
                                return 0; /* the stick, without a crypttab: no opt-in */
                        r = crypttab_parse(t, text, len, d->path, CRYPTTAB_STICK_PATH + 1, &dl);
                        for (size_t k = 0; k < dl.n; k++)
                                log_warn("%s: %s", d->path, dl.items[k].message);
                        diag_list_done(&dl);
                        if (r < 0)
                                return r;
                        *ret_root = root;
                        root = -1;
                        log_info("%s on %s: %zu entries", CRYPTTAB_STICK_PATH, d->path, t->n);
                        return 1;
                }
        return 0;
}

/* Unlocks d with the entry's key file: 1 unlocked, 0 not (logged), -ENOMEM. */
static int unlock_one(struct backend *b, int root, const struct device *d,
                      const struct crypttab_entry *e)
{
        _cleanup_free_ char *path = NULL, *mapped = NULL, *err = NULL, *key = NULL;
        const char *why = NULL, *name;
        size_t len = 0;
        bool handover;
        int r;

        r = crypttab_stick_key(e, &path, &why);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                if (r != -ENOENT)
                        log_warn("%s line %u (%s): %s", CRYPTTAB_STICK_PATH, e->line, d->path, why);
                return 0;
        }
        r = fsread_read_file(root, path, KEYCPIO_MAX_KEY, &key, &len);
        if (r < 0) {
                log_warn("%s line %u: the key file %s for %s cannot be read: %s",
                         CRYPTTAB_STICK_PATH, e->line, path, d->path, fsread_strerror(r));
                return r == -ENOMEM ? r : 0;
        }
        r = luks_unlock(d->path, key, len, &mapped, &err);
        if (r < 0) {
                log_warn("the key file %s does not unlock %s: %s", path, d->path,
                         err ? err : strerror(-r));
                explicit_bzero(key, len);
                return 0;
        }
        name = strrchr(mapped, '/') + 1;
        (void) crypttab_option(e, CRYPTTAB_OPT_NAME_HANDOVER, &handover);
        if (handover && d->uuid && backend_handover_keep(b, d->uuid, name, key, len) < 0)
                log_warn("the key of %s cannot be kept for the hand-over", name);
        explicit_bzero(key, len);
        log_info("%s unlocked with the key file %s on the stick as %s%s", d->path, path, name,
                 handover ? " (key kept for the hand-over)" : "");
        if (!strv_contains(b->unlocked, name) && strv_push(&b->unlocked, name) < 0)
                return -ENOMEM;
        return 1;
}

int backend_stick_unlock(struct backend *b)
{
        struct crypttab t = {0};
        _cleanup_close_ int root = -1;
        _cleanup_strv_ char **todo = NULL;
        bool any = false, locked = false;
        int r;

        if (b->opt.fs_args)
                return 0;
        for (size_t i = 0; i < b->devices.n; i++)
                if (b->devices.items[i].locked &&
                    !strv_contains(b->stick_tried, b->devices.items[i].path))
                        locked = true;
        if (!locked)
                return 0;
        r = read_stick_crypttab(b, &t, &root);
        if (r <= 0)
                goto out;
        /* the device list changes with each unlock: the paths first */
        for (size_t i = 0; i < b->devices.n; i++) {
                const struct device *d = &b->devices.items[i];

                if (d->locked && !strv_contains(b->stick_tried, d->path) &&
                    (r = strv_push(&todo, d->path)) < 0)
                        goto out;
        }
        strv_foreach (p, todo) {
                const struct device *d = NULL;
                const struct crypttab_entry *e;

                for (size_t i = 0; i < b->devices.n && !d; i++)
                        if (streq(b->devices.items[i].path, p))
                                d = &b->devices.items[i];
                if (!d)
                        continue;
                /* tried once per run: a key file that fails is not derived again at each load */
                r = strv_push(&b->stick_tried, p);
                if (r < 0)
                        goto out;
                e = crypttab_find_volume(&t,
                                         &(struct crypttab_volume){d->uuid, d->partuuid, d->label,
                                                                   d->partlabel, d->path});
                if (!e)
                        continue;
                r = unlock_one(b, root, d, e);
                if (r < 0)
                        goto out;
                any = any || r > 0;
        }
        r = 0;
out:
        crypttab_done(&t);
        if (root >= 0)
                close(root);
        root = -1;
        backend_release(b);
        if (any && r >= 0)
                r = backend_scan_devices(b, NULL);
        return r;
}
