/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What is inside a target's initrd, for the LUKS key hand-over (keycpio.h): the names of its
 * members (to recognise the generator that made it) and a few small files (its crypttab). An
 * initrd is one or more cpio archives one after another, as the kernel unpacks them
 * (init/initramfs.c): uncompressed newc archives first (the early microcode archive dracut and
 * initramfs-tools put in front), then one compressed archive (gzip, xz, lzma, zstd, lz4, bzip2;
 * read with libarchive). Data after the compressed archive is not read.
 *
 * The initrd comes from a scanned disk: everything is bounded (members, name bytes, the bytes
 * decompressed, the size of a file kept) and nothing is written anywhere. Reads memory only. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define INITRD_MAX_MEMBERS    (256u * 1024)
#define INITRD_MAX_NAME_BYTES (32u << 20)   /* all names together */
#define INITRD_MAX_UNPACKED   (4ull << 30)  /* bytes decompressed before giving up */
#define INITRD_MAX_FILE       (256u * 1024) /* a file kept (initrd_scan's want) */
#define INITRD_MAX_WANT       4u

struct initrd_info {
        char **names; /* member names as stored ("./etc/crypttab", "usr/lib/dracut"), in order */
        size_t n_names, cap_names, name_bytes;
        /* the wanted files (paths without a leading "/" or "./"), the last copy of each (as the
         * kernel keeps the last): NULL when absent, larger than INITRD_MAX_FILE or not a regular
         * file; NUL-terminated (len excludes the NUL) */
        char *files[INITRD_MAX_WANT];
        size_t file_len[INITRD_MAX_WANT];
        const char *compression; /* libarchive's name of the compressed archive's filter
                                    ("gzip", "zstd"), or NULL when all were uncompressed */
};

/* Reads the initrd in buf (len bytes): names into ret->names, the files of want[0..n_want)
 * (n_want <= INITRD_MAX_WANT). 0; -EBADMSG (a damaged archive: what was read before stays in
 * ret), -EOPNOTSUPP (compressed data in a format libarchive here does not read, or no cpio
 * inside), -E2BIG (a bound hit), -ENOMEM. *ret_why (optional, static) says what went wrong. */
int initrd_scan(const uint8_t *buf, size_t len, const char *const *want, size_t n_want,
                struct initrd_info *ret, const char **ret_why);
void initrd_info_done(struct initrd_info *i);
