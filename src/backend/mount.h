/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Read-only access to filesystems. Scanned disks are never written:
 *  - a device that already has a directory (a --fs fixture, or a filesystem the host has mounted)
 *    is used in place, never mounted again and never touched;
 *  - otherwise the block device is set read-only (BLKROSET) first, then mounted with MS_RDONLY
 *    (and nosuid, nodev, noexec) under the table's base directory (/run/kexec-loader/mnt);
 *  - ext3/ext4 mounts that fail (a dirty journal cannot be replayed read-only) are retried with
 *    "noload", xfs with "norecovery"; btrfs is mounted with "rescue=nologreplay" (its log tree
 *    is never replayed), "nologreplay" on kernels older than 5.9, without it when the kernel
 *    refuses both (the table of mount.c). */
#pragma once

#include "device.h"

struct mount_rec {
        char *device; /* "/dev/sda1" */
        char *dir;    /* where it is mounted */
        char *fstype;
        bool borrowed; /* already mounted by someone else: used in place, never unmounted */
        bool made_ro;  /* we set BLKROSET; cleared again after a clean unmount */
};

struct mount_table {
        char *base; /* "/run/kexec-loader/mnt" */
        struct mount_rec *items;
        size_t n, cap;
};

int mount_table_init(struct mount_table *t, const char *base);
/* Unmounts everything (mount_release_all) and frees. */
void mount_table_done(struct mount_table *t);

/* Makes d's filesystem available and returns the directory of its root in *ret_dir (owned by the
 * table or the device; valid until release). fstype NULL = d->fstype, else the types in
 * /proc/filesystems. On failure returns -errno and sets *ret_error to a sentence for the user
 * ("cannot mount /dev/sda1 (ext4): Invalid argument"). Mounting the same device twice reuses
 * the first mount. */
int mount_acquire(struct mount_table *t, const struct device *d, const char *fstype,
                  const char **ret_dir, char **ret_error);

/* The top-level subvolume (subvolid=5) of d's btrfs filesystem, where every subvolume is a
 * directory: mounted read-only beside d's usual mount (which comes first, read-only as above),
 * or d's own directory when d has one (a --fs fixture is taken as the top level). Like
 * mount_acquire otherwise; -EMEDIUMTYPE when d is known to be another filesystem type. */
int mount_acquire_btrfs_top(struct mount_table *t, const struct device *d, const char **ret_dir,
                            char **ret_error);

/* The creation time (otime) of the btrfs subvolume whose root directory dir_fd is (an O_PATH fd
 * will do), as "YYYY-MM-DD HH:MM:SS" in UTC, through BTRFS_IOC_GET_SUBVOL_INFO (Linux 4.18, no
 * privilege needed). 0, or -errno (-ENOTTY: not btrfs or an older kernel; -EINVAL: not a
 * subvolume's root). */
int mount_btrfs_otime(int dir_fd, char ret[20]);

/* Unmounts everything this table mounted, newest first (lazy detach as a last resort). Returns 0
 * or the first error; the table is empty afterwards either way. */
int mount_release_all(struct mount_table *t);

/* Looks d up in /proc/self/mountinfo (by major:minor): the directory where it is mounted already
 * (malloc'ed) or -ENOENT. */
int mount_find_existing(const struct device *d, char **ret_dir);

/* Sets the block device path read-only (BLKROSET) unless it is already; a path that is no block
 * device (a regular file) is left as it is. For the layers below a mount: the members of an md
 * array, the device under a dm-crypt mapping. 0, or -errno with *ret_error (optional) set. */
int mount_set_read_only(const char *path, char **ret_error);
