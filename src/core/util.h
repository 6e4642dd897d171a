/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small helpers shared by every module: cleanup attributes, string tests, growable arrays. */
#pragma once

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define _cleanup_(f)     __attribute__((cleanup(f)))
#define _cleanup_free_   _cleanup_(util_freep)
#define _cleanup_close_  _cleanup_(util_closep)
#define _cleanup_fclose_ _cleanup_(util_fclosep)
#define _cleanup_strv_   _cleanup_(strv_freep)
#define _printf_(a, b)   __attribute__((format(printf, a, b)))
#define _unused_         __attribute__((unused))
#define _warn_unused_    __attribute__((warn_unused_result))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)     ((a) < (b) ? (a) : (b))
#define MAX(a, b)     ((a) > (b) ? (a) : (b))

static inline void util_freep(void *p)
{
        free(*(void **) p);
}

static inline void util_closep(int *fd)
{
        if (*fd >= 0)
                close(*fd);
}

static inline void util_fclosep(FILE **f)
{
        if (*f)
                fclose(*f);
}

static inline bool streq(const char *a, const char *b)
{
        return strcmp(a, b) == 0;
}

static inline bool streq_ptr(const char *a, const char *b)
{
        if (!a || !b)
                return a == b;
        return strcmp(a, b) == 0;
}

static inline bool strcaseeq(const char *a, const char *b)
{
        return strcasecmp(a, b) == 0;
}

static inline bool isempty(const char *s)
{
        return !s || !*s;
}

/* Returns the rest of s after prefix, or NULL when s does not start with prefix. */
static inline const char *startswith(const char *s, const char *prefix)
{
        size_t l = strlen(prefix);
        return strncmp(s, prefix, l) == 0 ? s + l : NULL;
}

static inline const char *startswith_no_case(const char *s, const char *prefix)
{
        size_t l = strlen(prefix);
        return strncasecmp(s, prefix, l) == 0 ? s + l : NULL;
}

/* Replaces *p with a copy of s (NULL allowed). Returns 0 or -ENOMEM. */
int util_strdup_to(char **p, const char *s);

/* malloc'ed printf. Returns NULL on OOM. */
char *util_asprintf(const char *fmt, ...) _printf_(1, 2);
/* The same with a va_list: a malloc'ed string, or NULL when out of memory. */
char *util_vasprintf(const char *fmt, va_list ap) _printf_(1, 0);

/* Grows *array (of element size elsize) so that it can hold need elements. */
int util_grow(void **array, size_t *cap, size_t need, size_t elsize);
#define UTIL_GROW(array, cap, need) util_grow((void **) &(array), &(cap), (need), sizeof(*(array)))

/* Opens a host path for reading if it is a regular file: opened O_RDONLY|O_NONBLOCK (a FIFO
 * cannot block), fstat()ed, O_NONBLOCK cleared. -EISDIR for a directory, -ENXIO for anything
 * else that is not a regular file (FSREAD_ENOTREG). Files of a scanned filesystem are opened
 * with core/fsread.h instead, inside that filesystem. */
int util_open_regular(const char *path);

/* Reads fd to its end (at most max bytes; -EFBIG beyond). Adds a NUL after the data. */
int util_read_fd(int fd, size_t max, char **ret, size_t *ret_len);

/* Reads a whole regular file of the host (util_open_regular, util_read_fd): /proc, /sys and
 * paths the user gave. */
int util_read_file(const char *path, size_t max, char **ret, size_t *ret_len);

/* Reads the first line of a (sysfs) file, newline stripped. */
int util_read_line(const char *path, char **ret);

/* Strips trailing blanks (space, tab, CR, LF) in place and returns s. */
char *util_strip_trailing(char *s);

/* Skips leading blanks (space, tab). */
const char *util_skip_blanks(const char *s);

/* Decodes the octal escapes of /proc/self/mountinfo and /proc/mounts ("\\040" for a space) in
 * place; returns s. */
char *util_unescape_octal(char *s);

/* Human size: "512 B", "1.5 KiB", "14.9 GiB". */
void util_format_size(unsigned long long bytes, char *buf, size_t len);

/* The value of a hexadecimal digit (0-9, a-f, A-F), or -1. */
int util_hexval(char c);

/* Natural order compare ("sda2" < "sda10"). */
int util_natcmp(const char *a, const char *b);

/* Monotonic clock in milliseconds. */
unsigned long long util_now_ms(void);

/* NULL-terminated string vectors. */
void strv_free(char **l);
static inline void strv_freep(char ***l)
{
        strv_free(*l);
}
size_t strv_length(char *const *l);
/* Appends a copy of s. */
int strv_push(char ***l, const char *s);
/* Appends s, taking ownership (freed on failure). */
int strv_consume(char ***l, char *s);
char **strv_copy(char *const *l);
/* Joins with sep; an empty or NULL vector gives "". */
char *strv_join(char *const *l, const char *sep);
/* Splits on runs of blanks (space/tab). */
int strv_split_blanks(const char *s, char ***ret);
bool strv_contains(char *const *l, const char *s);

#define strv_foreach(s, l) \
        for (char *const *s##_i = (l), *s = s##_i ? *s##_i : NULL; s##_i && (s = *s##_i); s##_i++)
