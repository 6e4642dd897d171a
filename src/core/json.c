/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "json.h"

#include <stdint.h>

void json_init(struct json *j)
{
        *j = (struct json){0};
        j->first[0] = true;
}

void json_done(struct json *j)
{
        free(j->buf);
        *j = (struct json){0};
}

static void put(struct json *j, const char *s, size_t n)
{
        if (j->oom)
                return;
        if (UTIL_GROW(j->buf, j->cap, j->len + n + 1) < 0) {
                j->oom = true;
                return;
        }
        memcpy(j->buf + j->len, s, n);
        j->len += n;
        j->buf[j->len] = 0;
}

static void puts_(struct json *j, const char *s)
{
        put(j, s, strlen(s));
}

/* Separator before a value or key at the current depth. */
static void element(struct json *j)
{
        if (j->after_key) {
                j->after_key = false;
                return;
        }
        if (!j->first[j->depth])
                puts_(j, ", ");
        j->first[j->depth] = false;
}

static void open_(struct json *j, const char *c)
{
        element(j);
        puts_(j, c);
        if (j->depth + 1 < JSON_MAX_DEPTH)
                j->depth++;
        j->first[j->depth] = true;
}

static void close_(struct json *j, const char *c)
{
        if (j->depth > 0)
                j->depth--;
        puts_(j, c);
}

void json_begin_object(struct json *j)
{
        open_(j, "{");
}

void json_end_object(struct json *j)
{
        close_(j, "}");
}

void json_begin_array(struct json *j)
{
        open_(j, "[");
}

void json_end_array(struct json *j)
{
        close_(j, "]");
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
        uint32_t cp;
        size_t n;

        if (s[0] < 0x80)
                return 1;
        if ((s[0] & 0xe0) == 0xc0)
                n = 2, cp = s[0] & 0x1f;
        else if ((s[0] & 0xf0) == 0xe0)
                n = 3, cp = s[0] & 0x0f;
        else if ((s[0] & 0xf8) == 0xf0)
                n = 4, cp = s[0] & 0x07;
        else
                return 0;
        for (size_t i = 1; i < n; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                cp = (cp << 6) | (s[i] & 0x3f);
        }
        if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
            cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                return 0;
        return n;
}

static void string_(struct json *j, const char *s)
{
        const unsigned char *p = (const unsigned char *) s;

        puts_(j, "\"");
        while (*p) {
                char esc[8];
                size_t n;

                switch (*p) {
                case '"':
                        puts_(j, "\\\"");
                        p++;
                        continue;
                case '\\':
                        puts_(j, "\\\\");
                        p++;
                        continue;
                case '\n':
                        puts_(j, "\\n");
                        p++;
                        continue;
                case '\r':
                        puts_(j, "\\r");
                        p++;
                        continue;
                case '\t':
                        puts_(j, "\\t");
                        p++;
                        continue;
                default:
                        break;
                }
                if (*p < 0x20 || *p == 0x7f) {
                        snprintf(esc, sizeof(esc), "\\u%04x", *p);
                        puts_(j, esc);
                        p++;
                        continue;
                }
                n = utf8_len(p);
                if (n == 0) {
                        puts_(j, "\\ufffd");
                        p++;
                        continue;
                }
                put(j, (const char *) p, n);
                p += n;
        }
        puts_(j, "\"");
}

void json_key(struct json *j, const char *key)
{
        element(j);
        string_(j, key);
        puts_(j, ": ");
        j->after_key = true;
}

void json_string(struct json *j, const char *s)
{
        if (!s) {
                json_null(j);
                return;
        }
        element(j);
        string_(j, s);
}

void json_int(struct json *j, long long v)
{
        char b[32];

        element(j);
        snprintf(b, sizeof(b), "%lld", v);
        puts_(j, b);
}

void json_bool(struct json *j, bool v)
{
        element(j);
        puts_(j, v ? "true" : "false");
}

void json_null(struct json *j)
{
        element(j);
        puts_(j, "null");
}

const char *json_text(const struct json *j)
{
        if (j->oom)
                return NULL;
        return j->buf ? j->buf : "";
}
