/* SPDX-License-Identifier: GPL-2.0-or-later */
/* luks_unlock(), luks_lock(): libcryptsetup, read-only. See luks-unlock.h. */
#define LOG_MODULE "luks"
#include "luks-unlock.h"

#include <fcntl.h>
#include <libcryptsetup.h>
#include <stdarg.h>

#include "../core/log.h"
#include "../core/util.h"
#include "luks.h"
#include "mount.h"

#define MAPPER_DIR "/dev/mapper/"

static void crypt_freep(struct crypt_device **cd)
{
        if (*cd)
                crypt_free(*cd);
}

static int set_error(char **ret_error, int r, const char *fmt, ...)
{
        va_list ap;

        if (ret_error) {
                free(*ret_error);
                va_start(ap, fmt);
                if (vasprintf(ret_error, fmt, ap) < 0)
                        *ret_error = NULL;
                va_end(ap);
        }
        return r;
}

bool luks_dm_available(void)
{
        _cleanup_close_ int fd = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);

        return fd >= 0;
}

/* libcryptsetup's messages go to our log, never to the console the menu draws on. */
static void luks_log_cb(int level, const char *msg, void *userdata)
{
        _cleanup_free_ char *m = strdup(msg ? msg : "");

        if (!m)
                return;
        util_strip_trailing(m);
        if (level == CRYPT_LOG_ERROR)
                log_warn("libcryptsetup: %s", m);
        else
                log_debug("libcryptsetup: %s", m);
}

static const char *mapping_name(const char *name)
{
        return startswith(name, MAPPER_DIR) ? name + strlen(MAPPER_DIR) : name;
}

int luks_unlock(const char *dev, const char *passphrase, size_t len, char **ret_mapped_dev,
                char **ret_error)
{
        _cleanup_(crypt_freep) struct crypt_device *cd = NULL;
        _cleanup_free_ char *name = NULL, *mapped = NULL;
        const char *uuid;
        int r, slot;

        *ret_mapped_dev = NULL;
        crypt_set_log_callback(NULL, luks_log_cb, NULL);
        if (!passphrase)
                return set_error(ret_error, -EINVAL, "no passphrase");
        r = mount_set_read_only(dev, ret_error); /* a file: libcryptsetup's loop is read-only */
        if (r < 0)
                return r;
        r = crypt_init(&cd, dev);
        if (r < 0)
                return set_error(ret_error, r, "cannot open %s: %s", dev, strerror(-r));
        /* CRYPT_LUKS: LUKS1 or LUKS2, whichever the header is. No repair: a header whose two
         * copies differ is refused here, never rewritten. */
        r = crypt_load(cd, CRYPT_LUKS, NULL);
        if (r < 0)
                return set_error(ret_error, r == -ENOMEM ? r : -EINVAL,
                                 "%s: no LUKS header that can be read (%s)", dev, strerror(-r));
        uuid = crypt_get_uuid(cd);
        name = luks_mapping_name(uuid);
        if (!name)
                return set_error(ret_error, -EINVAL,
                                 "%s: the LUKS UUID is not one to name a mapping", dev);
        mapped = util_asprintf(MAPPER_DIR "%s", name);
        if (!mapped)
                return -ENOMEM;
        if (!luks_dm_available()) {
                /* Still say whether the passphrase was right (a check without a mapping). */
                r = crypt_activate_by_passphrase(cd, NULL, CRYPT_ANY_SLOT, passphrase, len,
                                                 CRYPT_ACTIVATE_READONLY);
                if (r == -EPERM)
                        return set_error(ret_error, -EPERM,
                                         "wrong passphrase: it opens no key slot of %s", dev);
                return set_error(ret_error, -ENODEV,
                                 "cannot unlock %s: the kernel has no device-mapper (dm-mod)", dev);
        }
        if (crypt_status(cd, name) == CRYPT_ACTIVE) {
                log_info("%s is unlocked already as %s", dev, mapped);
                slot = 0;
        } else {
                slot = crypt_activate_by_passphrase(cd, name, CRYPT_ANY_SLOT, passphrase, len,
                                                    CRYPT_ACTIVATE_READONLY);
                if (slot == -EPERM)
                        return set_error(ret_error, -EPERM,
                                         "wrong passphrase: it opens no key slot of %s", dev);
                if (slot < 0)
                        return set_error(ret_error, slot, "cannot unlock %s: %s", dev,
                                         strerror(-slot));
                log_info("%s unlocked (key slot %d) as %s, read-only", dev, slot, mapped);
        }
        r = mount_set_read_only(mapped, ret_error);
        if (r < 0) {
                (void) crypt_deactivate(cd, name);
                return r;
        }
        *ret_mapped_dev = mapped;
        mapped = NULL;
        return slot;
}

int luks_lock(const char *name)
{
        const char *n = mapping_name(name);
        int r;

        if (isempty(n) || strchr(n, '/'))
                return -EINVAL;
        crypt_set_log_callback(NULL, luks_log_cb, NULL);
        if (crypt_status(NULL, n) != CRYPT_ACTIVE)
                return -ENODEV;
        r = crypt_deactivate(NULL, n);
        if (r < 0)
                return r;
        log_info("%s locked (mapping removed)", n);
        return 0;
}
