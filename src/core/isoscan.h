/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Finding the ISO image files of a scanned filesystem (issue 11: live ISOs copied onto a disk or
 * the stick are listed and booted). The filesystem is untrusted: it is walked through
 * core/fsread.h only (paths resolve inside it, symlinks too), regular files only, hidden folders
 * (a leading '.') skipped, and bounded: a depth, a number of ISO files and a number of directory
 * entries looked at (a filesystem with millions of files, or a symlink loop, ends the walk).
 *
 * Pure (no mounts, no devices): unit-tested on plain directories. */
#pragma once

#include <stdbool.h>

#define ISOSCAN_MAX_DEPTH   8     /* folders below the root looked into */
#define ISOSCAN_MAX_ISOS    256   /* ISO files listed per filesystem */
#define ISOSCAN_MAX_VISITED 65536 /* directory entries looked at per filesystem */
#define ISOSCAN_MAX_IMAGES  64    /* disk image files (*.img) listed per filesystem */

struct isoscan_limits {
        unsigned max_depth, max_isos, max_visited;
        unsigned max_images; /* only looked at by isoscan_find_all() with ret_images */
};

/* The default limits above. */
extern const struct isoscan_limits isoscan_default_limits;

/* Whether name ends with ".iso" in any letter case (and is more than that). */
bool isoscan_is_iso_name(const char *name);

/* Whether name ends with ".img" in any letter case (and is more than that): a disk image
 * candidate (backend/image.h says which are used). */
bool isoscan_is_img_name(const char *name);

/* Installed systems a filesystem holds, whose system trees the search does not look into:
 * ISOSCAN_LINUX, a Linux root (/etc/os-release, /usr/lib/os-release, or /bin and /etc);
 * ISOSCAN_WINDOWS, a Windows system volume (/Windows/System32 in any letter case). */
#define ISOSCAN_LINUX   1u
#define ISOSCAN_WINDOWS 2u

/* The installed systems (ISOSCAN_LINUX | ISOSCAN_WINDOWS) the filesystem root_fd holds. */
unsigned isoscan_systems(int root_fd);
/* Whether the folder dir ("/usr", "/Users/bob/AppData") is a system tree of one of systems that
 * the search skips (Linux: /usr, /proc, /sys, /dev, /run, /etc, /bin, /sbin, /lib*, /var/lib,
 * /var/cache, /var/log, /snap, /nix/store; Windows, in any letter case: /Windows, /Windows.old,
 * /Program Files, /Program Files (x86), /ProgramData, /$Recycle.Bin, /System Volume
 * Information, /Recovery, /Users/x/AppData). */
bool isoscan_skipped(const char *dir, unsigned systems);

/* The absolute paths of the *.iso regular files inside root_fd (an fsread root), depth first,
 * the names of each folder in strcmp order: a NULL-terminated strv in *ret. lim NULL: the
 * defaults. Folders below max_depth are not looked into (quietly: installed systems' trees are
 * deeper), nor the system trees of the installed systems the filesystem holds (above). Returns 0, 1
 * when the ISO or entry bound stopped the walk (*ret_bound, which may be NULL, then says which: a
 * static string for a diagnostic; the files found so far are returned), or -ENOMEM. A folder that
 * cannot be read is skipped. */
int isoscan_find(int root_fd, const struct isoscan_limits *lim, char ***ret,
                 const char **ret_bound);

/* The same walk collecting the *.img regular files too (in *ret_images, a NULL-terminated strv,
 * in the same order; at most lim->max_images, more stop the walk as a bound: "more disk image
 * files than are listed"). ret_images NULL: isoscan_find(). When a bound stopped the walk,
 * *ret_bound_at (NULL: not wanted) is the path of the first name it did not take
 * ("/isos/d02/live-56.iso"; free it), else NULL. */
int isoscan_find_all(int root_fd, const struct isoscan_limits *lim, char ***ret_isos,
                     char ***ret_images, const char **ret_bound, char **ret_bound_at);
