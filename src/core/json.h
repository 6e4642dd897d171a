/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A small streaming JSON writer (for `kexec-loader list --json`). Pure: writes into a growing
 * buffer; strings are escaped per RFC 8259 (invalid UTF-8 bytes become U+FFFD). */
#pragma once

#include "util.h"

#define JSON_MAX_DEPTH 32

struct json {
        char *buf;
        size_t len, cap;
        unsigned depth;
        bool first[JSON_MAX_DEPTH]; /* no element written yet at this depth */
        bool after_key;
        bool oom;
};

void json_init(struct json *j);
void json_done(struct json *j);
void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j);
void json_end_array(struct json *j);
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s); /* NULL writes null */
void json_int(struct json *j, long long v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* A key and its value in one call: json_key() then json_string()/json_int()/json_bool(). */
void json_field_string(struct json *j, const char *key, const char *s);
void json_field_int(struct json *j, const char *key, long long v);
void json_field_bool(struct json *j, const char *key, bool v);
/* A key and an array of the strings of strv (NULL: an empty array). */
void json_field_strv(struct json *j, const char *key, char *const *strv);
/* The text so far (NUL-terminated), or NULL after an allocation failure. */
const char *json_text(const struct json *j);
