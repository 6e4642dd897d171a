/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The TPM warning: LUKS volumes whose key is sealed to the TPM (a systemd-tpm2 token), found
 * among the devices libblkid calls crypto_LUKS, and which boot entries they belong to. */
#include "backend.h"

#include <fcntl.h>

#include "../core/log.h"
#include "luks.h"

/* The header of a LUKS device (a block device; under --fs a regular file standing for it). */
static int read_luks(const struct device *d, struct luks_info *ret)
{
        _cleanup_close_ int fd = -1;
        _cleanup_free_ uint8_t *buf = NULL;
        uint8_t first[LUKS_BIN_HEADER];
        size_t hdr;
        ssize_t n;
        int r;

        if (d->mountdir)
                fd = util_open_regular(d->mountdir);
        else
                fd = open(d->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return fd < -1 ? fd : -errno;
        n = pread(fd, first, sizeof(first), 0);
        if (n != (ssize_t) sizeof(first))
                return n < 0 ? -errno : -EINVAL;
        r = luks_header_size(first, sizeof(first), &hdr);
        if (r < 0)
                return r;
        buf = malloc(hdr);
        if (!buf)
                return -ENOMEM;
        n = pread(fd, buf, hdr, 0);
        if (n != (ssize_t) hdr)
                return n < 0 ? -errno : -EINVAL;
        return luks_parse(buf, hdr, ret);
}

void backend_luks_done(struct backend *b)
{
        for (size_t i = 0; i < b->n_luks; i++) {
                free(b->luks[i].device);
                free(b->luks[i].disk);
        }
        free(b->luks);
        b->luks = NULL;
        b->n_luks = 0;
}

int backend_luks_scan(struct backend *b)
{
        backend_luks_done(b);
        for (size_t i = 0; i < b->devices.n; i++) {
                const struct device *d = &b->devices.items[i];
                struct backend_luks *l;
                struct luks_info info;
                int r;

                if (!streq_ptr(d->fstype, "crypto_LUKS"))
                        continue;
                r = read_luks(d, &info);
                if (r < 0) {
                        log_warn("LUKS header of %s: %s", d->path, strerror(-r));
                        continue;
                }
                l = realloc(b->luks, (b->n_luks + 1) * sizeof(*b->luks));
                if (!l)
                        return -ENOMEM;
                b->luks = l;
                l = &b->luks[b->n_luks];
                *l = (struct backend_luks){.device = strdup(d->path),
                                           .disk = d->disk ? strdup(d->disk) : NULL,
                                           .tpm2 = info.tpm2};
                memcpy(l->uuid, info.uuid, sizeof(l->uuid));
                if (!l->device) {
                        free(l->disk);
                        return -ENOMEM;
                }
                b->n_luks++;
                log_info("LUKS%u %s UUID=%s: %u token(s)%s", info.version, d->path, info.uuid,
                         info.tokens, info.tpm2 ? ", systemd-tpm2" : "");
        }
        return 0;
}

char *backend_entry_tpm_warning(const struct backend *b, const struct boot_entry *e)
{
        const struct backend_luks *hit = NULL;
        bool named = false;
        const char *disk = NULL;

        /* The volumes the command line names; failing that, those on the kernel's disk. */
        for (size_t i = 0; i < b->n_luks; i++)
                if (!isempty(b->luks[i].uuid) && luks_cmdline_names(e->cmdline, b->luks[i].uuid)) {
                        named = true;
                        if (b->luks[i].tpm2 && !hit)
                                hit = &b->luks[i];
                }
        if (!named && e->kernel.device >= 0 && (size_t) e->kernel.device < b->devices.n)
                disk = b->devices.items[e->kernel.device].disk;
        for (size_t i = 0; !named && disk && !hit && i < b->n_luks; i++)
                if (b->luks[i].tpm2 && streq_ptr(b->luks[i].disk, disk))
                        hit = &b->luks[i];
        if (!hit)
                return NULL;
        return util_asprintf("%s is unlocked with a key sealed to the TPM (systemd-tpm2): after "
                             "kexec the TPM will not unseal it, so have the recovery key or "
                             "passphrase ready",
                             hit->device);
}
