/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "util.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

int util_strdup_to(char **p, const char *s)
{
        char *c = NULL;

        if (s) {
                c = strdup(s);
                if (!c)
                        return -ENOMEM;
        }
        free(*p);
        *p = c;
        return 0;
}

char *util_vasprintf(const char *fmt, va_list ap)
{
        char *s;

        return vasprintf(&s, fmt, ap) < 0 ? NULL : s;
}

char *util_asprintf(const char *fmt, ...)
{
        va_list ap;
        char *s;

        va_start(ap, fmt);
        s = util_vasprintf(fmt, ap);
        va_end(ap);
        return s;
}

int util_grow(void **array, size_t *cap, size_t need, size_t elsize)
{
        size_t n;
        void *p;

        if (need <= *cap)
                return 0;
        n = MAX(need, *cap * 2);
        n = MAX(n, (size_t) 8);
        if (n > SIZE_MAX / elsize)
                return -ENOMEM;
        p = realloc(*array, n * elsize);
        if (!p)
                return -ENOMEM;
        memset((char *) p + *cap * elsize, 0, (n - *cap) * elsize);
        *array = p;
        *cap = n;
        return 0;
}

int util_read_fd(int fd, size_t max, char **ret, size_t *ret_len)
{
        _cleanup_free_ char *buf = NULL;
        size_t len = 0, cap = 0;

        for (;;) {
                ssize_t k;
                int r;

                if (len + 1 >= cap) {
                        if (len >= max + 1)
                                return -EFBIG;
                        r = UTIL_GROW(buf, cap, MAX(cap * 2, (size_t) 4096));
                        if (r < 0)
                                return r;
                }
                k = read(fd, buf + len, cap - len - 1);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (k == 0)
                        break;
                len += (size_t) k;
                if (len > max)
                        return -EFBIG;
        }
        if (!buf) {
                buf = calloc(1, 1);
                if (!buf)
                        return -ENOMEM;
        }
        buf[len] = 0;
        *ret = buf;
        buf = NULL;
        if (ret_len)
                *ret_len = len;
        return 0;
}

int util_open_regular(const char *path)
{
        _cleanup_close_ int fd = -1;
        struct stat st;
        int fl;

        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (fd < 0 || fstat(fd, &st) < 0)
                return -errno;
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        if (!S_ISREG(st.st_mode))
                return -ENXIO;
        fl = fcntl(fd, F_GETFL);
        if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
                return -errno;
        fl = fd;
        fd = -1;
        return fl;
}

int util_read_file(const char *path, size_t max, char **ret, size_t *ret_len)
{
        _cleanup_close_ int fd = util_open_regular(path);

        if (fd < 0)
                return fd;
        return util_read_fd(fd, max, ret, ret_len);
}

int util_read_line(const char *path, char **ret)
{
        _cleanup_free_ char *buf = NULL;
        char *nl;
        int r;

        r = util_read_file(path, 64 * 1024, &buf, NULL);
        if (r < 0)
                return r;
        nl = strchr(buf, '\n');
        if (nl)
                *nl = 0;
        *ret = buf;
        buf = NULL;
        return 0;
}

char *util_strip_trailing(char *s)
{
        size_t l = strlen(s);

        while (l > 0 && strchr(" \t\r\n", s[l - 1]))
                s[--l] = 0;
        return s;
}

const char *util_skip_blanks(const char *s)
{
        while (*s == ' ' || *s == '\t')
                s++;
        return s;
}

char *util_unescape_octal(char *s)
{
        char *r = s, *w = s;

        while (*r) {
                if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
                    r[3] >= '0' && r[3] <= '7') {
                        *w++ = (char) ((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
                        r += 4;
                } else
                        *w++ = *r++;
        }
        *w = 0;
        return s;
}

void util_format_size(unsigned long long bytes, char *buf, size_t len)
{
        static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = (double) bytes;
        size_t u = 0;

        while (v >= 1024.0 && u + 1 < ARRAY_SIZE(units)) {
                v /= 1024.0;
                u++;
        }
        if (u == 0)
                snprintf(buf, len, "%llu B", bytes);
        else
                snprintf(buf, len, "%.1f %s", v, units[u]);
}

int util_hexval(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

int util_natcmp(const char *a, const char *b)
{
        while (*a && *b) {
                if (isdigit((unsigned char) *a) && isdigit((unsigned char) *b)) {
                        const char *sa = a, *sb = b;
                        size_t la, lb;

                        while (*sa == '0' && isdigit((unsigned char) sa[1]))
                                sa++;
                        while (*sb == '0' && isdigit((unsigned char) sb[1]))
                                sb++;
                        a = sa;
                        b = sb;
                        while (isdigit((unsigned char) *a))
                                a++;
                        while (isdigit((unsigned char) *b))
                                b++;
                        la = (size_t) (a - sa);
                        lb = (size_t) (b - sb);
                        if (la != lb)
                                return la < lb ? -1 : 1;
                        int c = strncmp(sa, sb, la);
                        if (c)
                                return c;
                        continue;
                }
                if (*a != *b)
                        return (unsigned char) *a < (unsigned char) *b ? -1 : 1;
                a++;
                b++;
        }
        return *a ? 1 : *b ? -1 : 0;
}

unsigned long long util_now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (unsigned long long) ts.tv_sec * 1000ULL +
               (unsigned long long) ts.tv_nsec / 1000000ULL;
}

void strv_free(char **l)
{
        if (!l)
                return;
        for (char **i = l; *i; i++)
                free(*i);
        free(l);
}

size_t strv_length(char *const *l)
{
        size_t n = 0;

        if (l)
                while (l[n])
                        n++;
        return n;
}

int strv_consume(char ***l, char *s)
{
        size_t n = strv_length(*l);
        char **c;

        if (!s)
                return -ENOMEM;
        c = realloc(*l, (n + 2) * sizeof(char *));
        if (!c) {
                free(s);
                return -ENOMEM;
        }
        c[n] = s;
        c[n + 1] = NULL;
        *l = c;
        return 0;
}

int strv_push(char ***l, const char *s)
{
        return strv_consume(l, strdup(s));
}

char **strv_copy(char *const *l)
{
        char **c = calloc(strv_length(l) + 1, sizeof(char *));
        size_t n = 0;

        if (!c)
                return NULL;
        strv_foreach (s, l) {
                c[n] = strdup(s);
                if (!c[n]) {
                        strv_free(c);
                        return NULL;
                }
                n++;
        }
        return c;
}

char *strv_join(char *const *l, const char *sep)
{
        size_t len = 1, sl = strlen(sep), n = 0;
        char *r, *p;

        strv_foreach (s, l)
                len += strlen(s) + sl;
        r = malloc(len);
        if (!r)
                return NULL;
        p = r;
        strv_foreach (s, l) {
                if (n++ > 0)
                        p = stpcpy(p, sep);
                p = stpcpy(p, s);
        }
        *p = 0;
        return r;
}

int strv_split_blanks(const char *s, char ***ret)
{
        _cleanup_strv_ char **l = calloc(1, sizeof(char *));
        int r;

        if (!l)
                return -ENOMEM;
        for (;;) {
                size_t n;

                s = util_skip_blanks(s);
                if (!*s)
                        break;
                n = strcspn(s, " \t");
                r = strv_consume(&l, strndup(s, n));
                if (r < 0)
                        return r;
                s += n;
        }
        *ret = l;
        l = NULL;
        return 0;
}

bool strv_contains(char *const *l, const char *s)
{
        strv_foreach (i, l)
                if (streq(i, s))
                        return true;
        return false;
}
