/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Systems in btrfs subvolumes (Ubuntu's, Arch's `@`, openSUSE's snapshots): what their kernel
 * command line needs to find its root in the subvolume. Pure. */
#pragma once

/* The command line cmdline of a system whose root filesystem is the btrfs subvolume subvol (its
 * path from the top level) of the filesystem with the UUID fs_uuid, as it must be when the
 * filesystem's default subvolume is another one: rootflags=subvol=SUBVOL added when root= names
 * that filesystem (root=UUID=…, root=/dev/disk/by-uuid/…) and no rootflags= names a subvolume
 * (subvol= or subvolid=); an existing rootflags= (the last, which the kernel takes) gets
 * ",subvol=SUBVOL" added. Before "--"/"---", as a kernel parameter. *ret: a malloc'ed new command
 * line, or NULL when nothing is to be added (a subvol with a blank, comma, quote or control
 * character is never added, nor anything to a command line with an unclosed quote). 0 or -ENOMEM.
 */
int btrfsboot_rootflags(const char *cmdline, const char *subvol, const char *fs_uuid, char **ret);
