/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The files inside an ISO 9660 image file (a live ISO on a scanned filesystem, GRUB's `loopback`),
 * read without a mount or a loop device, so that `list --json` and `--dry-run` work for a normal
 * user: libarchive reads the image (ISO 9660 with Rock Ridge and Joliet names; a hybrid
 * ISO/UDF image through its ISO 9660 tree; libarchive has no UDF reader).
 *
 * The image is as untrusted as the disk it is on. The rules:
 *  - it is opened through core/fsread.h (inside its filesystem, a regular file only) or from an
 *    fd the caller opened that way; only the ISO 9660 format is enabled, no compression filter;
 *  - the directory tree is indexed once when the image is opened, bounded: ISOFILE_MAX_ENTRIES
 *    entries, paths of ISOFILE_MAX_PATH bytes, ISOFILE_MAX_NAMES bytes of names in all (beyond
 *    each, the rest is not indexed and isofile_truncated() says so);
 *  - a path resolves inside the image: ".." stops at its root, Rock Ridge symlinks (absolute
 *    ones too) resolve inside it, at most 40 per lookup (-ELOOP); names without Rock Ridge or
 *    Joliet match in any letter case, as GRUB's iso9660 driver does;
 *  - before libarchive reads anything, the volume descriptors are checked against the file (a
 *    volume of 2048-byte blocks no larger than the file, the root directory and path tables
 *    inside it, a root directory of at most ISOFILE_MAX_ROOT_DIR bytes): libarchive sizes its
 *    buffers from them, so no buffer is larger than the image (-EBADMSG otherwise);
 *  - sizes in the image are never trusted: a read stops at the caller's max (-EFBIG) and at the
 *    data that is really there (a truncated image gives -EIO, never a short file).
 *
 * Pure (no mounts, no devices): unit-tested on images made with xorriso, and fuzzed. */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ISOFILE_MAX_ENTRIES  100000      /* entries indexed */
#define ISOFILE_MAX_PATH     4096        /* bytes of one path in the image */
#define ISOFILE_MAX_NAMES    (16u << 20) /* bytes of all the indexed paths */
#define ISOFILE_MAX_ROOT_DIR (8u << 20)  /* bytes of the root directory's records */

/* The error of an image with a UDF volume but no ISO 9660 tree (libarchive reads no UDF). */
#define ISOFILE_EUDF EPROTONOSUPPORT

struct isofile;

/* Opens the image in the regular file fd (which the image keeps: it is dup()ed) and indexes its
 * tree. -EMEDIUMTYPE when it is no ISO 9660 image (-ISOFILE_EUDF when it is a UDF one),
 * -EBADMSG when its volume descriptors do not fit the file (cut short, damaged or hostile: not
 * read at all), -EIO when its tree cannot be read, -ENOMEM. */
int isofile_open_fd(int fd, struct isofile **ret);
/* The same for the image at path inside root_fd (core/fsread.h), or -ENOENT, -FSREAD_ENOTREG… */
int isofile_open(int root_fd, const char *path, struct isofile **ret);
struct isofile *isofile_free(struct isofile *iso);
/* The text of an error of isofile_open() for a diagnostic ("not an ISO 9660 image", "a UDF image
 * without ISO 9660 tree: …", "its volume descriptors do not fit the file…", fsread_strerror()'s
 * otherwise). */
const char *isofile_strerror(int r);

/* Whether a bound stopped the index (some entries are not seen). */
bool isofile_truncated(const struct isofile *iso);
/* The volume label (the primary volume descriptor's volume id, or "" when unknown). */
const char *isofile_label(const struct isofile *iso);

/* 1 regular file, 2 directory, 0 absent (symlinks followed); the size in *ret_size of a file. */
int isofile_stat(struct isofile *iso, const char *path, uint64_t *ret_size);
/* The names in the directory path, sorted (strcmp): a NULL-terminated strv; -ENOENT, -ENOTDIR. */
int isofile_list(struct isofile *iso, const char *path, char ***ret);
/* Reads the regular file path whole, at most max bytes (-EFBIG beyond), a NUL added after it. */
int isofile_read(struct isofile *iso, const char *path, size_t max, char **ret, size_t *ret_len);
/* Writes the regular file path to out_fd (at most max bytes, -EFBIG beyond); its size in
 * *ret_size. For kernels and initrds: a memfd the kexec_file_load call reads. */
int isofile_copy(struct isofile *iso, const char *path, uint64_t max, int out_fd,
                 uint64_t *ret_size);
