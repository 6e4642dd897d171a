/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What PID 1 loads first, for the menu to come early (pure): the coldplug's order (display,
 * then storage, then the rest), and the filesystem modules a new block device will need at its
 * mount, from its libblkid TYPE (loaded beside the coldplug rather than one request_module() at
 * a time when the menu mounts it). */
#pragma once

#include <stddef.h>

enum loadorder_rank {
        LOADORDER_DISPLAY, /* a PCI display controller (class 03), a virtio GPU */
        LOADORDER_STORAGE, /* PCI mass storage (01), USB controllers (0c03), virtio block/SCSI */
        LOADORDER_OTHER,
};

/* The rank of a device's modalias ("pci:v00001234d00001111sv...bc03sc00i00", "virtio:d...");
 * LOADORDER_OTHER for anything unknown or malformed. */
enum loadorder_rank loadorder_rank(const char *modalias);

/* Sorts n modaliases by rank, keeping the order within a rank (the coldplug's walk order). */
void loadorder_sort(char **aliases, size_t n);

/* The module names or aliases the kernel will ask for when a filesystem of libblkid's TYPE is
 * mounted read-only with the mount options of backend/mount.c (vfat: fs-vfat, then Debian's
 * defaults for codepage and iocharset, nls_cp437 and nls_ascii); NULL-terminated, or NULL for
 * a TYPE that is no filesystem the menu mounts (swap, LUKS, RAID members, partition tables). */
const char *const *loadorder_fs_modules(const char *type);
