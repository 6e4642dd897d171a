/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading the files of a scanned filesystem, which are untrusted (open in root).
 *
 * Every file that a disk holds (configurations, sourced and included files, grubenv, BLS
 * entries, device.map, kernels, initrds, modules, devicetrees, themes, images, fonts) is opened
 * through this module, never with open()/fopen()/stat() on a host path. Its contract:
 *
 *  - Paths resolve inside the filesystem. The walk starts at root_fd (an O_PATH fd of the
 *    filesystem's root directory: the read-only mount directory or the --fs fixture directory),
 *    whether the path starts with '/' or not; ".." at the root stays at the root; symlinks,
 *    absolute ones too, resolve relative to root_fd ("/vmlinuz -> /boot/vmlinuz-6.1" finds the
 *    kernel of the same filesystem); magic links (/proc/self/fd/N…) are refused with -ELOOP.
 *    This is openat2(2) with RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV, and an
 * equivalent user-space walk on kernels without openat2 (ENOSYS, before Linux 5.6). At most 40
 * symlinks per lookup (-ELOOP). A path that crosses into another mount (a filesystem mounted below
 * the root, as /boot is below / when kexec-loader reads a filesystem mounted in place) is not on
 * this filesystem: -EXDEV (RESOLVE_NO_XDEV; the walk compares st_dev).
 *  - Only regular files are opened for reading. The path is first resolved to an O_PATH fd and
 *    fstat()ed, so a FIFO, socket or device node is never opened at all (no blocking, no side
 *    effect of a device's open): it gives -FSREAD_ENOTREG, and a directory -EISDIR. The
 *    regular file is then opened O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_NOCTTY (checked again to be
 *    the same regular file) and O_NONBLOCK is cleared.
 *  - Returns are negative errnos; fsread_strerror() gives the text for a diagnostic
 *    ("not a regular file" for -FSREAD_ENOTREG).
 *
 * The module is a leaf (no dependency but util) and runs unprivileged on plain directories, so
 * tests use it on fixture trees. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* The errno for "not a regular file" (a FIFO, socket or device node where a file is expected). */
#define FSREAD_ENOTREG ENXIO

/* The O_PATH|O_DIRECTORY|O_CLOEXEC fd of a filesystem's root directory dir (a trusted host
 * path: the mount directory or the --fs fixture), or -errno. */
int fsread_root_open(const char *dir);

/* The kinds fsread_open() accepts. */
enum {
        FSREAD_FILE = 1 << 0, /* a regular file: fd open O_RDONLY, blocking */
        FSREAD_DIR = 1 << 1,  /* a directory: fd open O_RDONLY|O_DIRECTORY (for fdopendir) */
        FSREAD_PATH = 1 << 2, /* anything: an O_PATH fd (for fstat; never blocks) */
};

/* Opens path inside root_fd (see the contract above). flags: one of FSREAD_FILE, FSREAD_DIR,
 * FSREAD_PATH. Returns a CLOEXEC fd, or -ENOENT, -FSREAD_ENOTREG (not a regular file),
 * -EISDIR (a directory where a file was asked), -ENOTDIR, -ELOOP… */
int fsread_open(int root_fd, const char *path, int flags);

/* fstat() of path inside root_fd (symlinks followed inside it): 0 or -errno. */
int fsread_stat(int root_fd, const char *path, struct stat *ret);

/* Reads a regular file inside root_fd whole: at most max bytes (-EFBIG beyond), a NUL added
 * after the data (*ret malloc'ed; *ret_len may be NULL). */
int fsread_read_file(int root_fd, const char *path, size_t max, char **ret, size_t *ret_len);

/* Reads an open fd to its end, the same way (at most max bytes, NUL added). */
int fsread_read_fd(int fd, size_t max, char **ret, size_t *ret_len);

/* The names in the directory path inside root_fd, sorted (strcmp), without "." and ".." (and
 * without other names starting with '.' when skip_hidden): a NULL-terminated strv. */
int fsread_list(int root_fd, const char *path, bool skip_hidden, char ***ret);

/* The host path of the regular file path inside root_fd, for a program that takes paths (the
 * kexec_file_load and kexec-tools steps): the file is opened with fsread_open(FSREAD_FILE) and
 * its path read back from /proc/self/fd, so it names the file the lookup inside the root found,
 * with no symlink or ".." left in it below the root's own host path (-EXDEV if it is not below
 * it). On a filesystem that changes meanwhile (a writable fixture), a later open of that path
 * can meet another file: open it again with util_open_regular(). *ret malloc'ed. */
int fsread_host_path(int root_fd, const char *path, char **ret);

/* strerror() of a negative errno of this module: "not a regular file" for -FSREAD_ENOTREG,
 * "on another filesystem" for -EXDEV. */
const char *fsread_strerror(int r);

/* The user-space walk used when openat2() is missing, exported so that tests run it on kernels
 * that have openat2: path resolved inside root_fd like openat2(RESOLVE_IN_ROOT) does, its last
 * component opened with open_flags (O_PATH|O_CLOEXEC for a lookup). A fd, or -errno. */
int fsread_resolve_walk(int root_fd, const char *path, int open_flags);
