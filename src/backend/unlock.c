/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend_unlock(), backend_lock_all(): LUKS volumes of the device list unlocked read-only
 * (luks-unlock.c) and their mappings scanned like any other device. */
#define LOG_MODULE "backend"
#include <stdarg.h>

#include "../core/log.h"
#include "backend.h"
#include "luks-unlock.h"

static const struct device *find_device(const struct backend *b, const char *dev)
{
        for (size_t i = 0; i < b->devices.n; i++) {
                const struct device *d = &b->devices.items[i];

                if (streq_ptr(d->path, dev) || streq_ptr(d->name, dev))
                        return d;
        }
        return NULL;
}

static int fail(char **ret_error, int r, const char *msg)
{
        if (ret_error) {
                free(*ret_error);
                *ret_error = strdup(msg);
        }
        return r;
}

int backend_unlock(struct backend *b, const char *dev, const char *passphrase, size_t len,
                   unsigned flags, char **ret_error)
{
        _cleanup_free_ char *mapped = NULL, *path = NULL;
        const struct device *d;
        const char *name;
        int r;

        if (b->opt.fs_args)
                return fail(ret_error, -EOPNOTSUPP,
                            "LUKS volumes are unlocked on real devices only, not --fs fixtures");
        d = dev ? find_device(b, dev) : NULL;
        if (!d || !streq_ptr(d->fstype, "crypto_LUKS"))
                return fail(ret_error, -ENOENT, "no such LUKS volume in the device list");
        path = strdup(d->path);
        if (!path)
                return -ENOMEM;
        r = luks_unlock(path, passphrase, len, &mapped, ret_error);
        if (r < 0)
                return r;
        name = strrchr(mapped, '/') + 1;
        /* the hand-over's opt-in is per unlock: without it no key is kept (an older one of the
         * same volume is forgotten) */
        if (flags & BACKEND_UNLOCK_HANDOVER) {
                r = backend_handover_keep(b, d->uuid, name, passphrase, len);
                if (r < 0)
                        log_warn("the key of %s cannot be kept for the hand-over: %s", name,
                                 strerror(-r));
        } else if (d->uuid)
                backend_handover_forget(b, d->uuid);
        if (!strv_contains(b->unlocked, name)) {
                r = strv_push(&b->unlocked, name);
                if (r < 0)
                        return r;
        }
        r = backend_scan_devices(b, NULL);
        if (r < 0)
                return fail(ret_error, r, "unlocked, but the devices could not be listed again");
        return 0;
}

void backend_lock_all(struct backend *b)
{
        strv_foreach (name, b->unlocked) {
                int r = luks_lock(name);

                if (r < 0 && r != -ENODEV)
                        log_warn("cannot lock %s: %s", name, strerror(-r));
        }
        strv_free(b->unlocked);
        b->unlocked = NULL;
        backend_handover_forget(b, NULL);
}
