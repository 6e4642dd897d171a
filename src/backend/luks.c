/* SPDX-License-Identifier: GPL-2.0-or-later */
/* LUKS headers: the systemd-tpm2 token question (see luks.h). Pure, bounded. */
#include "luks.h"

#include <ctype.h>
#include <strings.h>
#include <errno.h>
#include <string.h>

#include "../core/cmdline.h"
#include "../core/util.h"

static const uint8_t luks_magic[6] = {'L', 'U', 'K', 'S', 0xba, 0xbe};

#define OFF_VERSION  6
#define OFF_HDR_SIZE 8
#define OFF_UUID     168 /* both versions */
#define UUID_LEN     40

static uint64_t get_be64(const uint8_t *p)
{
        uint64_t v = 0;

        for (int i = 0; i < 8; i++)
                v = v << 8 | p[i];
        return v;
}

int luks_header_size(const uint8_t *data, size_t len, size_t *ret)
{
        unsigned version;
        uint64_t hdr;

        if (len < LUKS_BIN_HEADER || memcmp(data, luks_magic, sizeof(luks_magic)) != 0)
                return -EINVAL;
        version = (unsigned) data[OFF_VERSION] << 8 | data[OFF_VERSION + 1];
        if (version == 1) {
                *ret = LUKS_BIN_HEADER;
                return 0;
        }
        if (version != 2)
                return -EINVAL;
        hdr = get_be64(data + OFF_HDR_SIZE);
        /* 16 KiB .. 4 MiB, a power of two (the sizes cryptsetup allows) */
        if (hdr < 16384 || hdr > LUKS2_HDR_MAX || (hdr & (hdr - 1)) != 0)
                return -EINVAL;
        *ret = (size_t) hdr;
        return 0;
}

/* ---- a bounded JSON reader: only what the tokens question needs ---- */

struct cursor {
        const char *p, *end;
        unsigned depth;
        bool bad;
};

static void skip_ws(struct cursor *c)
{
        while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
                c->p++;
}

static bool eat(struct cursor *c, char ch)
{
        skip_ws(c);
        if (c->p < c->end && *c->p == ch) {
                c->p++;
                return true;
        }
        return false;
}

/* A string at the cursor, decoded into out (cap bytes incl. NUL; longer ones are cut, non-ASCII
 * escapes become '?'). */
static void parse_string(struct cursor *c, char *out, size_t cap)
{
        size_t n = 0;

        if (!eat(c, '"')) {
                c->bad = true;
                return;
        }
        while (c->p < c->end && *c->p != '"') {
                char ch = *c->p++;

                if ((unsigned char) ch < 0x20) {
                        c->bad = true;
                        return;
                }
                if (ch == '\\') {
                        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
                        const char *k;

                        if (c->p >= c->end) {
                                c->bad = true;
                                return;
                        }
                        ch = *c->p++;
                        if (ch == 'u') {
                                unsigned v = 0;

                                if (c->end - c->p < 4) {
                                        c->bad = true;
                                        return;
                                }
                                for (int i = 0; i < 4; i++, c->p++) {
                                        int d = util_hexval(*c->p);

                                        if (d < 0) {
                                                c->bad = true;
                                                return;
                                        }
                                        v = v << 4 | (unsigned) d;
                                }
                                ch = v > 0 && v < 0x80 ? (char) v : '?';
                        } else if (ch && (k = strchr(from, ch))) {
                                ch = to[k - from];
                        } else {
                                c->bad = true;
                                return;
                        }
                }
                if (out && n + 1 < cap)
                        out[n++] = ch;
        }
        if (out && cap)
                out[n] = 0;
        if (c->p >= c->end)
                c->bad = true;
        else
                c->p++;
}

static void skip_value(struct cursor *c);

/* An object or array at the cursor (after its opening bracket), each member skipped or handed to
 * fn (objects: with its key). */
static void each_member(struct cursor *c, bool object,
                        void (*fn)(struct cursor *c, const char *key, void *ud), void *ud)
{
        char key[64];

        if (++c->depth > LUKS_JSON_DEPTH_MAX) {
                c->bad = true;
                return;
        }
        if (eat(c, object ? '}' : ']')) {
                c->depth--;
                return;
        }
        while (!c->bad) {
                if (object) {
                        parse_string(c, key, sizeof(key));
                        if (c->bad || !eat(c, ':')) {
                                c->bad = true;
                                return;
                        }
                }
                if (fn)
                        fn(c, object ? key : NULL, ud);
                else
                        skip_value(c);
                if (c->bad)
                        return;
                if (eat(c, ','))
                        continue;
                if (!eat(c, object ? '}' : ']'))
                        c->bad = true;
                break;
        }
        c->depth--;
}

static void skip_value(struct cursor *c)
{
        skip_ws(c);
        if (c->p >= c->end) {
                c->bad = true;
                return;
        }
        switch (*c->p) {
        case '{':
                c->p++;
                each_member(c, true, NULL, NULL);
                return;
        case '[':
                c->p++;
                each_member(c, false, NULL, NULL);
                return;
        case '"':
                parse_string(c, NULL, 0);
                return;
        default: {
                const char *start = c->p;

                /* a number, true, false, null: its characters */
                while (c->p < c->end && (isalnum((unsigned char) *c->p) || *c->p == '-' ||
                                         *c->p == '+' || *c->p == '.'))
                        c->p++;
                if (c->p == start)
                        c->bad = true;
        }
        }
}

/* The value of an object member, if it is an object: fn for each of its members. */
static void object_value(struct cursor *c, void (*fn)(struct cursor *c, const char *key, void *ud),
                         void *ud)
{
        if (eat(c, '{'))
                each_member(c, true, fn, ud);
        else
                skip_value(c);
}

static void token_member(struct cursor *c, const char *key, void *ud)
{
        bool *tpm2 = ud;
        char type[32];

        skip_ws(c);
        if (streq(key, "type") && c->p < c->end && *c->p == '"') {
                parse_string(c, type, sizeof(type));
                if (!c->bad && streq(type, "systemd-tpm2"))
                        *tpm2 = true;
                return;
        }
        skip_value(c);
}

static void token(struct cursor *c, const char *key, void *ud)
{
        struct luks_info *info = ud;
        bool tpm2 = false;

        if (info->tokens >= LUKS_TOKENS_MAX) {
                skip_value(c);
                return;
        }
        info->tokens++;
        object_value(c, token_member, &tpm2);
        if (tpm2 && !c->bad)
                info->tpm2 = true;
}

static void top_member(struct cursor *c, const char *key, void *ud)
{
        if (streq(key, "tokens"))
                object_value(c, token, ud);
        else
                skip_value(c);
}

int luks_parse(const uint8_t *data, size_t len, struct luks_info *ret)
{
        struct luks_info info = {0};
        size_t hdr;
        int r;

        r = luks_header_size(data, len, &hdr);
        if (r < 0)
                return r;
        if (len < hdr)
                return -EINVAL;
        info.version = data[OFF_VERSION + 1];
        for (size_t i = 0; i < UUID_LEN && data[OFF_UUID + i]; i++) {
                unsigned char ch = data[OFF_UUID + i];

                info.uuid[i] = ch >= 0x20 && ch < 0x7f ? (char) ch : '?';
        }
        if (info.version == 2) {
                const char *json = (const char *) data + LUKS_BIN_HEADER;
                size_t area = hdr - LUKS_BIN_HEADER, n = strnlen(json, area);
                struct cursor c = {json, json + n, 0, false};
                struct luks_info tokens = {0};

                /* not NUL-terminated inside its area: not a header cryptsetup would open */
                if (n < area && eat(&c, '{')) {
                        each_member(&c, true, top_member, &tokens);
                        if (!c.bad) {
                                info.tokens = tokens.tokens;
                                info.tpm2 = tokens.tpm2;
                        }
                }
        }
        *ret = info;
        return 0;
}

/* ---- which system a volume belongs to ---- */

static bool uuid_eq(const char *value, size_t n, const char *uuid)
{
        if (n >= 5 && strncasecmp(value, "luks-", 5) == 0) {
                value += 5;
                n -= 5;
        }
        return n == strlen(uuid) && strncasecmp(value, uuid, n) == 0;
}

bool luks_cmdline_names(const char *cmdline, const char *uuid)
{
        _cleanup_strv_ char **words = NULL;

        if (isempty(cmdline) || isempty(uuid) || cmdline_split(cmdline, &words) < 0)
                return false;
        strv_foreach (w, words) {
                const char *v;

                if ((v = startswith(w, "rd.luks.uuid=")) || (v = startswith(w, "luks.uuid="))) {
                        if (uuid_eq(v, strlen(v), uuid))
                                return true;
                } else if ((v = startswith(w, "rd.luks.name=")) ||
                           (v = startswith(w, "luks.name=")) ||
                           (v = startswith(w, "rd.luks.options=")) ||
                           (v = startswith(w, "rd.luks.key="))) {
                        const char *eq = strchr(v, '=');

                        if (eq && uuid_eq(v, (size_t) (eq - v), uuid))
                                return true;
                } else if ((v = startswith(w, "cryptdevice="))) {
                        const char *u = startswith_no_case(v, "UUID="), *colon;

                        if (u) {
                                colon = strchr(u, ':');
                                if (uuid_eq(u, colon ? (size_t) (colon - u) : strlen(u), uuid))
                                        return true;
                        }
                } else if ((v = startswith(w, "root=/dev/mapper/luks-"))) {
                        if (uuid_eq(v, strlen(v), uuid))
                                return true;
                }
        }
        return false;
}

char *luks_mapping_name(const char *uuid)
{
        size_t n;

        if (!uuid)
                return NULL;
        n = strlen(uuid);
        if (n == 0 || n > 40)
                return NULL;
        for (size_t i = 0; i < n; i++)
                if (!isalnum((unsigned char) uuid[i]) && uuid[i] != '-')
                        return NULL;
        return util_asprintf("luks-%s", uuid);
}
