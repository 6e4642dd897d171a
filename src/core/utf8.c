/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "utf8.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

size_t utf8_decode(const char *s, size_t n, uint32_t *ret)
{
        const unsigned char *p = (const unsigned char *) s;
        size_t need;
        uint32_t c;

        if (n == 0)
                return 0;
        if (p[0] < 0x80) {
                *ret = p[0];
                return 1;
        }
        if (p[0] >= 0xc2 && p[0] <= 0xdf) {
                need = 2;
                c = p[0] & 0x1f;
        } else if (p[0] >= 0xe0 && p[0] <= 0xef) {
                need = 3;
                c = p[0] & 0x0f;
        } else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
                need = 4;
                c = p[0] & 0x07;
        } else
                return 0;
        if (n < need)
                return 0;
        for (size_t i = 1; i < need; i++) {
                if ((p[i] & 0xc0) != 0x80)
                        return 0;
                c = (c << 6) | (p[i] & 0x3f);
        }
        if ((need == 3 && c < 0x800) || (need == 4 && (c < 0x10000 || c > 0x10ffff)) ||
            (c >= 0xd800 && c < 0xe000))
                return 0;
        *ret = c;
        return need;
}

size_t utf8_encode(uint32_t c, char out[4])
{
        if (c < 0x80) {
                out[0] = (char) c;
                return 1;
        }
        if (c < 0x800) {
                out[0] = (char) (0xc0 | (c >> 6));
                out[1] = (char) (0x80 | (c & 0x3f));
                return 2;
        }
        if (c < 0x10000) {
                out[0] = (char) (0xe0 | (c >> 12));
                out[1] = (char) (0x80 | ((c >> 6) & 0x3f));
                out[2] = (char) (0x80 | (c & 0x3f));
                return 3;
        }
        out[0] = (char) (0xf0 | (c >> 18));
        out[1] = (char) (0x80 | ((c >> 12) & 0x3f));
        out[2] = (char) (0x80 | ((c >> 6) & 0x3f));
        out[3] = (char) (0x80 | (c & 0x3f));
        return 4;
}

uint32_t utf8_next_shown(const char **s)
{
        uint32_t c;
        size_t n;

        if (!**s)
                return 0;
        n = utf8_decode(*s, strnlen(*s, 4), &c);
        if (n == 0) {
                *s += 1;
                return UTF8_REPLACEMENT;
        }
        *s += n;
        if (c == '\t')
                return ' ';
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
                return '?';
        return c;
}

size_t utf8_shown_to(char *out, size_t size, const char *s)
{
        size_t len = 0;
        uint32_t c;

        while (s && (c = utf8_next_shown(&s))) {
                char buf[4];
                size_t n = utf8_encode(c, buf);

                if (len + n >= size)
                        break;
                memcpy(out + len, buf, n);
                len += n;
        }
        out[len] = 0;
        return len;
}

char *utf8_shown(const char *s)
{
        size_t size;
        char *r;

        if (!s)
                return NULL;
        /* U+FFFD for one invalid byte: 3 bytes for 1, at the most. */
        size = strlen(s) * 3 + 1;
        r = malloc(size);
        if (r)
                utf8_shown_to(r, size, s);
        return r;
}

void utf8_print_shown(FILE *f, const char *fmt, ...)
{
        char *line = NULL, *shown;
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(&line, fmt, ap) < 0)
                line = NULL;
        va_end(ap);
        shown = utf8_shown(line);
        fprintf(f, "%s\n", shown ? shown : "(out of memory)");
        free(shown);
        free(line);
}

size_t utf8_count_chars(const char *s, size_t n)
{
        size_t c = 0;

        for (size_t i = 0; i < n; i++)
                if (!utf8_is_cont((unsigned char) s[i]))
                        c++;
        return c;
}
