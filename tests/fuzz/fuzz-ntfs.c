/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for an NTFS volume's state (issue 14, core/ntfsstate.c): the boot sector, MFT
 * records with their fixups, $Volume, $LogFile's restart pages and the root directory's index,
 * read from a raw device before anything mounts it. The input describes a sparse 4 MiB device
 * as sectors: a 16-bit sector number, then 0 and 512 bytes, or 1 and one byte the sector is
 * filled with; sectors not named read as zeros (the seeds, tests/fuzz/seeds/ntfs, are the
 * sectors the parser reads of volumes mkntfs made: clean, hiberfil.sys "HIBR" and "wake", an
 * unclean restart area). Every read stays inside the device; an answer's offsets point inside
 * it; a refusal is given exactly for a hibernated volume or an unclean log. Built and run by
 * tests/fuzz/run (-DFUZZ_TARGET=…). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ntfsstate.h"

#define DEV_SIZE (4u << 20)

struct dev {
        uint8_t *bytes;
        uint64_t max_end;
};

static int dev_read(void *userdata, uint64_t off, void *buf, size_t n)
{
        struct dev *d = userdata;

        if (off > DEV_SIZE || n > DEV_SIZE - off)
                abort(); /* the parser reads only inside the size it was given */
        memcpy(buf, d->bytes + off, n);
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
        static uint8_t *bytes;
        struct dev d;
        struct ntfs_state s;
        const char *why;
        size_t i = 0;
        int r;

        if (!bytes)
                bytes = malloc(DEV_SIZE);
        if (!bytes)
                return 0;
        memset(bytes, 0, DEV_SIZE);
        while (i + 3 <= len) {
                unsigned sector = data[i] | data[i + 1] << 8, kind = data[i + 2];
                uint8_t *p = bytes + (size_t) (sector % (DEV_SIZE / 512)) * 512;

                i += 3;
                if (kind == 1 && i < len) {
                        memset(p, data[i++], 512);
                } else if (kind == 0) {
                        size_t n = len - i < 512 ? len - i : 512;

                        memcpy(p, data + i, n);
                        i += n;
                } else
                        break;
        }
        d = (struct dev){.bytes = bytes};
        r = ntfs_state_read(dev_read, &d, DEV_SIZE, &s);
        if (r != 0 && r != -EMEDIUMTYPE && r != -EBADMSG && r != -ENOMEM && r != -EIO)
                abort();
        if (r != 0) {
                if (r != -EMEDIUMTYPE && !ntfs_state_error_refusal(r))
                        abort();
                return 0;
        }
        if (s.volume_flags_at >= DEV_SIZE || s.restart_flags_at >= DEV_SIZE ||
            s.hiber_data_at >= DEV_SIZE || s.log_data_at >= DEV_SIZE)
                abort();
        if (s.hibernated && (!s.hiberfile || strlen(s.hiber_magic) != 4))
                abort();
        if (s.log_empty && !s.log_clean)
                abort();
        why = ntfs_state_refusal(&s);
        if (!why != (!s.hibernated && s.log_clean))
                abort();
        return 0;
}
