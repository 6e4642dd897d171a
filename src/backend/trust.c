/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The lockdown mode and the kernel's trusted keys for kexec: see trust.h. */
#define LOG_MODULE "trust"
#include "trust.h"

#include <linux/keyctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../core/log.h"
#include "../core/util.h"
#include "boot.h"

#define KEYS_TEXT_MAX (4u * 1024 * 1024)
#define RING_KEYS_MAX 4096

/* The keyrings kexec_file_load checks, by the names /proc/keys shows. */
static const char *const trusted_rings[] = {".builtin_trusted_keys", ".secondary_trusted_keys",
                                            ".machine", ".platform"};

/* Appends the serials of keyring id (KEYCTL_READ) to *serials. 0, or -errno. */
static int ring_members(int32_t id, int32_t **serials, size_t *n)
{
        int32_t buf[RING_KEYS_MAX];
        long k = syscall(SYS_keyctl, KEYCTL_READ, (long) id, buf, sizeof(buf));
        size_t m;
        int32_t *s;

        if (k < 0)
                return -errno;
        m = MIN((size_t) k, sizeof(buf)) / sizeof(buf[0]);
        s = reallocarray(*serials, *n + m + 1, sizeof(*s));
        if (!s)
                return -ENOMEM;
        memcpy(s + *n, buf, m * sizeof(*s));
        *serials = s;
        *n += m;
        return 0;
}

/* The serials of the keys in the trusted keyrings; *ret_n 0 when they cannot be listed. */
static int trusted_serials(const char *text, int32_t **ret, size_t *ret_n)
{
        _cleanup_free_ int32_t *serials = NULL;
        size_t n = 0, rings = 0;
        int r;

        *ret = NULL;
        *ret_n = 0;
        for (size_t i = 0; i < ARRAY_SIZE(trusted_rings); i++) {
                _cleanup_free_ int32_t *ids = NULL;
                size_t n_ids = 0;

                r = pesig_proc_keyrings(text, trusted_rings[i], &ids, &n_ids);
                if (r < 0)
                        return r;
                for (size_t k = 0; k < n_ids; k++) {
                        r = ring_members(ids[k], &serials, &n);
                        if (r == -ENOMEM)
                                return r;
                        if (r < 0) {
                                log_debug("cannot list keyring %s: %s", trusted_rings[i],
                                          strerror(-r));
                                return 0; /* unknown: every asymmetric key counts */
                        }
                        rings++;
                }
        }
        if (rings == 0)
                return 0;
        /* A ring with no key still means "these rings are all": a serial no key has. */
        if (n == 0) {
                serials = calloc(1, sizeof(*serials));
                if (!serials)
                        return -ENOMEM;
                n = 1;
        }
        *ret = serials;
        *ret_n = n;
        serials = NULL;
        return 0;
}

int trust_read(struct trust *t, const char *lockdown_path, const char *keys_path, bool rings)
{
        _cleanup_free_ char *text = NULL, *mode = NULL;
        _cleanup_free_ int32_t *serials = NULL;
        size_t n = 0;
        int r;

        *t = (struct trust){0};
        mode = boot_lockdown_mode(lockdown_path);
        if (!mode || streq(mode, "none"))
                return 0;
        t->lockdown = mode;
        mode = NULL;
        r = util_read_file(keys_path, KEYS_TEXT_MAX, &text, NULL);
        if (r < 0) {
                log_warn("cannot read %s: %s: the kernels' signatures cannot be judged", keys_path,
                         strerror(-r));
                return 0;
        }
        if (rings) {
                r = trusted_serials(text, &serials, &n);
                if (r < 0)
                        return r;
        }
        r = pesig_keyset_add_proc_keys(&t->keys, text, serials, n);
        if (r < 0)
                return r;
        t->keys_known = true;
        log_info("locked down (%s): %zu keys trusted for kexec%s", t->lockdown, t->keys.n,
                 n > 0 ? "" : " (every asymmetric key: the keyrings could not be listed)");
        for (size_t i = 0; i < t->keys.n; i++)
                log_debug("  trusted key: %s", t->keys.keys[i].name);
        return 0;
}

void trust_done(struct trust *t)
{
        free(t->lockdown);
        pesig_keyset_done(&t->keys);
        *t = (struct trust){0};
}
