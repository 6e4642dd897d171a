/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "json.h"

#include <stdint.h>

#include "utf8.h"

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
                n = utf8_decode((const char *) p, strnlen((const char *) p, 4), &(uint32_t){0});
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

void json_field_string(struct json *j, const char *key, const char *s)
{
        json_key(j, key);
        json_string(j, s);
}

void json_field_int(struct json *j, const char *key, long long v)
{
        json_key(j, key);
        json_int(j, v);
}

void json_field_bool(struct json *j, const char *key, bool v)
{
        json_key(j, key);
        json_bool(j, v);
}

void json_field_strv(struct json *j, const char *key, char *const *strv)
{
        json_key(j, key);
        json_begin_array(j);
        strv_foreach (s, strv)
                json_string(j, s);
        json_end_array(j);
}
