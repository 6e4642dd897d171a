/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "loadorder.h"

#include <stdlib.h>
#include <string.h>

#include "../core/util.h"

/* "bcXXscYY" of a PCI modalias: its class and subclass, or -1. */
static int pci_class(const char *modalias, int *ret_sub)
{
        const char *p = strstr(modalias, "bc");
        char hex[3] = {0};
        char *end;
        long c, s;

        if (!p || strlen(p) < 8 || strncmp(p + 4, "sc", 2) != 0)
                return -1;
        memcpy(hex, p + 2, 2);
        c = strtol(hex, &end, 16);
        if (*end)
                return -1;
        memcpy(hex, p + 6, 2);
        s = strtol(hex, &end, 16);
        if (*end)
                return -1;
        *ret_sub = (int) s;
        return (int) c;
}

static const struct {
        const char *prefix;
        enum loadorder_rank rank;
} virtio_ranks[] = {
        {"virtio:d00000010", LOADORDER_DISPLAY}, /* virtio-gpu */
        {"virtio:d00000002", LOADORDER_STORAGE}, /* virtio-blk */
        {"virtio:d00000008", LOADORDER_STORAGE}, /* virtio-scsi */
        {"scsi:t-0x00", LOADORDER_STORAGE},      /* a SCSI/USB disk: sd_mod */
};

enum loadorder_rank loadorder_rank(const char *modalias)
{
        int c, sub = -1;

        if (!modalias)
                return LOADORDER_OTHER;
        for (size_t i = 0; i < ARRAY_SIZE(virtio_ranks); i++)
                if (strncmp(modalias, virtio_ranks[i].prefix, strlen(virtio_ranks[i].prefix)) == 0)
                        return virtio_ranks[i].rank;
        if (strncmp(modalias, "pci:", 4) != 0)
                return LOADORDER_OTHER;
        c = pci_class(modalias, &sub);
        if (c == 0x03)
                return LOADORDER_DISPLAY;
        if (c == 0x01 || (c == 0x0c && sub == 0x03))
                return LOADORDER_STORAGE;
        return LOADORDER_OTHER;
}

void loadorder_sort(char **aliases, size_t n)
{
        /* a stable insertion sort: a few dozen aliases */
        for (size_t i = 1; i < n; i++) {
                char *x = aliases[i];
                enum loadorder_rank r = loadorder_rank(x);
                size_t k = i;

                for (; k > 0 && loadorder_rank(aliases[k - 1]) > r; k--)
                        aliases[k] = aliases[k - 1];
                aliases[k] = x;
        }
}

#define MODS(...) ((const char *const[]){__VA_ARGS__, NULL})

static const struct {
        const char *type;
        const char *const *modules;
} fs_modules[] = {
        /* fat's defaults in Debian's kernels: codepage 437, iocharset ascii */
        {"vfat", MODS("fs-vfat", "nls_cp437", "nls_ascii")},
        {"exfat", MODS("fs-exfat", "nls_utf8")},
        {"ext2", MODS("fs-ext2")},
        {"ext3", MODS("fs-ext3")},
        {"ext4", MODS("fs-ext4")},
        {"btrfs", MODS("fs-btrfs")},
        {"xfs", MODS("fs-xfs")},
        {"f2fs", MODS("fs-f2fs")},
        {"iso9660", MODS("fs-iso9660")},
        {"udf", MODS("fs-udf")},
        {"ntfs", MODS("fs-ntfs", "fs-ntfs3")},
        {"hfsplus", MODS("fs-hfsplus")},
        {"squashfs", MODS("fs-squashfs")},
        {"erofs", MODS("fs-erofs")},
};

const char *const *loadorder_fs_modules(const char *type)
{
        for (size_t i = 0; type && i < ARRAY_SIZE(fs_modules); i++)
                if (streq(fs_modules[i].type, type))
                        return fs_modules[i].modules;
        return NULL;
}
