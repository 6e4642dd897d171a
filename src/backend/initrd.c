/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A target's initrd read from memory: see initrd.h. */
#include "initrd.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/util.h"
#include "keycpio.h"

struct scan {
        struct initrd_info *info;
        const char *const *want;
        size_t n_want;
        const char *why;
};

static const char *bare_name(const char *s)
{
        while (*s == '.' && s[1] == '/')
                s += 2;
        while (*s == '/')
                s++;
        return s;
}

static int add_name(struct scan *s, const char *name)
{
        struct initrd_info *i = s->info;
        size_t nl = strlen(name);
        char *copy;

        if (i->n_names >= INITRD_MAX_MEMBERS || nl > INITRD_MAX_NAME_BYTES - i->name_bytes) {
                s->why = "too many members";
                return -E2BIG;
        }
        if (UTIL_GROW(i->names, i->cap_names, i->n_names + 2) < 0 || !(copy = strdup(name)))
                return -ENOMEM;
        i->names[i->n_names++] = copy;
        i->names[i->n_names] = NULL;
        i->name_bytes += nl;
        return 0;
}

/* The index in want of a member's name, or -1. */
static int wanted(const struct scan *s, const char *name)
{
        const char *b = bare_name(name);

        for (size_t k = 0; k < s->n_want; k++)
                if (streq(b, s->want[k]))
                        return (int) k;
        return -1;
}

static void forget_file(struct initrd_info *i, int k)
{
        free(i->files[k]);
        i->files[k] = NULL;
        i->file_len[k] = 0;
}

static int keep_file(struct initrd_info *i, int k, const void *data, size_t len)
{
        char *p = malloc(len + 1);

        if (!p)
                return -ENOMEM;
        memcpy(p, data, len);
        p[len] = '\0';
        forget_file(i, k);
        i->files[k] = p;
        i->file_len[k] = len;
        return 0;
}

static int newc_member(const struct keycpio_member *m, void *userdata)
{
        struct scan *s = userdata;
        int r = add_name(s, m->name), k;

        if (r < 0)
                return r;
        k = wanted(s, m->name);
        if (k < 0)
                return 0;
        if (!S_ISREG(m->mode) || m->size > INITRD_MAX_FILE) {
                forget_file(s->info, k);
                return 0;
        }
        return keep_file(s->info, k, m->data, m->size);
}

static int read_compressed(struct scan *s, const uint8_t *buf, size_t len)
{
        static int (*const filters[])(struct archive *) = {
                archive_read_support_filter_gzip, archive_read_support_filter_xz,
                archive_read_support_filter_lzma, archive_read_support_filter_zstd,
                archive_read_support_filter_lz4,  archive_read_support_filter_bzip2,
        };
        struct archive *a = archive_read_new();
        struct archive_entry *e;
        int r = 0;

        if (!a)
                return -ENOMEM;
        for (size_t k = 0; k < ARRAY_SIZE(filters); k++)
                (void) filters[k](a); /* ARCHIVE_WARN: an external program would be needed */
        if (archive_read_support_format_cpio(a) != ARCHIVE_OK ||
            archive_read_open_memory(a, buf, len) != ARCHIVE_OK) {
                s->why = "its compressed archive cannot be read (damaged, or compressed in a "
                         "format this build does not read)";
                r = -EOPNOTSUPP;
                goto out;
        }
        if (archive_filter_count(a) > 1)
                s->info->compression = archive_filter_name(a, 0);
        for (;;) {
                int h = archive_read_next_header(a, &e);
                const char *name;
                int k;

                if (h == ARCHIVE_EOF)
                        break;
                if (h < ARCHIVE_WARN) {
                        s->why = "the compressed archive is damaged or cut short";
                        r = s->info->n_names ? -EBADMSG : -EOPNOTSUPP;
                        break;
                }
                if (archive_filter_bytes(a, 0) > (la_int64_t) INITRD_MAX_UNPACKED) {
                        s->why = "it unpacks to more than 4 GiB";
                        r = -E2BIG;
                        break;
                }
                name = archive_entry_pathname(e);
                if (!name)
                        continue;
                r = add_name(s, name);
                if (r < 0)
                        break;
                k = wanted(s, name);
                if (k < 0)
                        continue;
                if (archive_entry_filetype(e) != AE_IFREG ||
                    archive_entry_size(e) > (la_int64_t) INITRD_MAX_FILE) {
                        forget_file(s->info, k);
                        continue;
                }
                {
                        size_t size = (size_t) archive_entry_size(e);
                        _cleanup_free_ char *data = malloc(size + 1);
                        la_ssize_t got;

                        if (!data) {
                                r = -ENOMEM;
                                break;
                        }
                        got = size ? archive_read_data(a, data, size) : 0;
                        if (got < 0 || (size_t) got != size) {
                                s->why = "the compressed archive is damaged or cut short";
                                r = -EBADMSG;
                                break;
                        }
                        r = keep_file(s->info, k, data, size);
                        if (r < 0)
                                break;
                }
        }
out:
        archive_read_free(a);
        return r;
}

int initrd_scan(const uint8_t *buf, size_t len, const char *const *want, size_t n_want,
                struct initrd_info *ret, const char **ret_why)
{
        struct scan s = {ret, want, n_want > INITRD_MAX_WANT ? INITRD_MAX_WANT : n_want, NULL};
        size_t end = 0;
        int r;

        r = keycpio_newc_scan(buf, len, newc_member, &s, &end);
        if (r == -EBADMSG)
                s.why = "an uncompressed archive is damaged";
        if (r >= 0 && end < len)
                r = read_compressed(&s, buf + end, len - end);
        if (r >= 0 && ret->n_names == 0) {
                s.why = "no cpio archive in it";
                r = -EOPNOTSUPP;
        }
        if (ret_why)
                *ret_why = r < 0 ? (s.why ? s.why : strerror(-r)) : NULL;
        return r;
}

void initrd_info_done(struct initrd_info *i)
{
        for (size_t k = 0; k < i->n_names; k++)
                free(i->names[k]);
        free(i->names);
        for (size_t k = 0; k < INITRD_MAX_WANT; k++)
                free(i->files[k]);
        *i = (struct initrd_info){0};
}
