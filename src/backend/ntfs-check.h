/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An NTFS volume's state read from its block device before it is mounted (core/ntfsstate.h):
 * a volume a hibernated Windows (or one shut down with Fast Startup) holds is never mounted. */
#pragma once

#include <stdbool.h>

/* Whether the filesystem type is NTFS as libblkid and the kernel name it. */
bool ntfs_check_type(const char *fstype);

/* Reads the state of the NTFS volume open as fd (read-only; nothing is written). 0 when it may
 * be mounted read-only; 1 when it must not be, with *ret_why (malloc'ed) saying why; -EMEDIUMTYPE
 * when it is no NTFS volume; -ENOMEM. path is for the log. */
int ntfs_check_fd(int fd, const char *path, char **ret_why);
/* The same on the device at path. */
int ntfs_check_path(const char *path, char **ret_why);
