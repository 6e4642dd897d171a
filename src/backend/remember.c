/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Remembered choices: the stick's /kexec-loader/last file and entry identities (remember.h). */
#include "remember.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void remember_id_done(struct remember_id *id)
{
        free(id->fs);
        free(id->config);
        free(id->iso);
        strv_free(id->submenu);
        free(id->title);
        *id = (struct remember_id){0};
}

void remember_file_done(struct remember_file *f)
{
        remember_id_done(&f->last);
        remember_id_done(&f->once);
}

static int dup_or_null(char **dst, const char *s)
{
        *dst = NULL;
        return s ? util_strdup_to(dst, s) : 0;
}

int remember_id_copy(const struct remember_id *id, struct remember_id *ret)
{
        struct remember_id c = {0};

        if (dup_or_null(&c.fs, id->fs) < 0 || dup_or_null(&c.config, id->config) < 0 ||
            dup_or_null(&c.iso, id->iso) < 0 || dup_or_null(&c.title, id->title) < 0 ||
            (id->submenu && !(c.submenu = strv_copy(id->submenu)))) {
                remember_id_done(&c);
                return -ENOMEM;
        }
        *ret = c;
        return 0;
}

static bool strv_same(char *const *a, char *const *b)
{
        size_t n = strv_length(a);

        if (n != strv_length(b))
                return false;
        for (size_t i = 0; i < n; i++)
                if (!streq(a[i], b[i]))
                        return false;
        return true;
}

bool remember_id_equal(const struct remember_id *a, const struct remember_id *b)
{
        return a->title && b->title && streq(a->title, b->title) && streq_ptr(a->fs, b->fs) &&
               streq_ptr(a->config, b->config) && streq_ptr(a->iso, b->iso) &&
               strv_same(a->submenu, b->submenu);
}

/* How the filesystem of e's configuration is named: *prefix ("UUID=", …, or "") and *value. */
static void fs_name(const struct boot_entry *e, const struct device_list *l, const char **prefix,
                    const char **value)
{
        const char *spec = e->config.spec;

        *prefix = "";
        *value = spec;
        for (size_t i = 0; spec && l && i < l->n; i++) {
                const struct device *d = &l->items[i];

                if (!streq_ptr(d->path, spec))
                        continue;
                if (!isempty(d->uuid)) {
                        *prefix = "UUID=";
                        *value = d->uuid;
                } else if (!isempty(d->partuuid)) {
                        *prefix = "PARTUUID=";
                        *value = d->partuuid;
                } else if (!isempty(d->label)) {
                        *prefix = "LABEL=";
                        *value = d->label;
                }
                return;
        }
}

int remember_id_of_entry(const struct boot_entry *e, const struct device_list *l,
                         struct remember_id *ret)
{
        struct remember_id id = {0};
        const char *prefix, *value;

        *ret = (struct remember_id){0};
        if (!e->title)
                return -EINVAL;
        fs_name(e, l, &prefix, &value);
        if ((value && !(id.fs = util_asprintf("%s%s", prefix, value))) ||
            dup_or_null(&id.config, e->config.path) < 0 || dup_or_null(&id.iso, e->iso) < 0 ||
            dup_or_null(&id.title, e->title) < 0 ||
            (strv_length(e->submenu) > 0 && !(id.submenu = strv_copy(e->submenu)))) {
                remember_id_done(&id);
                return -ENOMEM;
        }
        *ret = id;
        return 0;
}

bool remember_id_matches(const struct remember_id *id, const struct boot_entry *e,
                         const struct device_list *l)
{
        const char *prefix, *value, *rest;

        if (!id->title || !e->title || !streq(id->title, e->title) ||
            !streq_ptr(id->config, e->config.path) || !streq_ptr(id->iso, e->iso) ||
            !strv_same(id->submenu, e->submenu))
                return false;
        fs_name(e, l, &prefix, &value);
        if (!value || !id->fs)
                return !value && !id->fs;
        rest = startswith(id->fs, prefix);
        return rest && streq(rest, value);
}

int remember_find(const struct remember_id *id, const struct boot_entry *entries, size_t n,
                  const struct device_list *l)
{
        if (!id->title)
                return -1;
        for (size_t i = 0; i < n; i++)
                if (remember_id_matches(id, &entries[i], l))
                        return (int) i;
        return -1;
}

/* ---- the file ---- */

enum key {
        KEY_FS,
        KEY_CONFIG,
        KEY_ISO,
        KEY_SUBMENU,
        KEY_TITLE,
        _KEY_MAX,
};

static const char *const key_names[_KEY_MAX] = {
        [KEY_FS] = "fs",           [KEY_CONFIG] = "config", [KEY_ISO] = "iso",
        [KEY_SUBMENU] = "submenu", [KEY_TITLE] = "title",
};

struct id_parse {
        struct remember_id *id;
        const char *what; /* "" or "once." */
        unsigned seen;    /* bit per key */
        bool bad;
};

/* Undoes the escapes of v (len bytes) into a new string; NULL with *why set when v has a control
 * byte, a bad escape, an escaped NUL or more than REMEMBER_VALUE_MAX bytes. */
static char *unescape(const char *v, size_t len, const char **why)
{
        char *out = malloc(len + 1);
        size_t k = 0;

        *why = "out of memory";
        if (!out)
                return NULL;
        for (size_t i = 0; i < len; i++) {
                unsigned char c = (unsigned char) v[i];

                if (c < 0x20 || c == 0x7f) {
                        *why = "a control character";
                        goto fail;
                }
                if (c == '\\') {
                        char n = i + 1 < len ? v[++i] : 0;
                        int h1, h2;

                        if (n == '\\')
                                c = '\\';
                        else if (n == 'n')
                                c = '\n';
                        else if (n == 't')
                                c = '\t';
                        else if (n == 'x' && i + 2 < len && (h1 = util_hexval(v[i + 1])) >= 0 &&
                                 (h2 = util_hexval(v[i + 2])) >= 0 && (h1 | h2) != 0) {
                                c = (unsigned char) (h1 << 4 | h2);
                                i += 2;
                        } else {
                                *why = "a bad escape";
                                goto fail;
                        }
                }
                if (k >= REMEMBER_VALUE_MAX) {
                        *why = "too long";
                        goto fail;
                }
                out[k++] = (char) c;
        }
        out[k] = 0;
        *why = NULL;
        return out;
fail:
        free(out);
        return NULL;
}

static int parse_line(struct id_parse *ids, const char *line, size_t len, unsigned lineno,
                      const char *name, struct diag_list *diags, bool *version_bad)
{
        const char *eq = memchr(line, '=', len), *why = NULL, *key;
        struct id_parse *p = &ids[0];
        enum key k = _KEY_MAX;
        size_t klen;
        char *value;

        if (!eq)
                return diag_add(diags, NULL, name, lineno, "not a key=value line: ignored");
        key = line;
        klen = (size_t) (eq - line);
        if (klen == 7 && memcmp(key, "version", 7) == 0) {
                if (len - klen - 1 != 1 || eq[1] != '1') {
                        *version_bad = true;
                        return diag_add(diags, NULL, name, lineno,
                                        "not version 1: the file is ignored");
                }
                return 0;
        }
        if (klen > 5 && memcmp(key, "once.", 5) == 0) {
                p = &ids[1];
                key += 5;
                klen -= 5;
        }
        for (size_t i = 0; i < _KEY_MAX; i++)
                if (strlen(key_names[i]) == klen && memcmp(key, key_names[i], klen) == 0)
                        k = (enum key) i;
        if (k == _KEY_MAX)
                return diag_add(diags, NULL, name, lineno, "unknown key: ignored");
        if (k != KEY_SUBMENU && (p->seen & (1u << k))) {
                p->bad = true;
                return diag_add(diags, NULL, name, lineno, "%s%s given twice: the entry is ignored",
                                p->what, key_names[k]);
        }
        p->seen |= 1u << k;
        value = unescape(eq + 1, len - (size_t) (eq + 1 - line), &why);
        if (!value) {
                if (streq(why, "out of memory"))
                        return -ENOMEM;
                p->bad = true;
                return diag_add(diags, NULL, name, lineno,
                                "the value of %s%s has %s: the entry is ignored", p->what,
                                key_names[k], why);
        }
        switch (k) {
        case KEY_FS:
                p->id->fs = value;
                return 0;
        case KEY_CONFIG:
                p->id->config = value;
                return 0;
        case KEY_ISO:
                p->id->iso = value;
                return 0;
        case KEY_TITLE:
                p->id->title = value;
                return 0;
        case KEY_SUBMENU:
                if (strv_length(p->id->submenu) >= REMEMBER_SUBMENU_MAX) {
                        free(value);
                        p->bad = true;
                        return diag_add(diags, NULL, name, lineno,
                                        "more than %u submenu levels: the entry is ignored",
                                        REMEMBER_SUBMENU_MAX);
                }
                return strv_consume(&p->id->submenu, value);
        default:
                free(value);
                return 0;
        }
}

int remember_parse(const char *data, size_t len, const char *name, struct remember_file *ret,
                   struct diag_list *diags)
{
        struct remember_file f = {0};
        struct id_parse ids[2] = {{.id = &f.last, .what = ""}, {.id = &f.once, .what = "once."}};
        bool version_bad = false;
        unsigned lineno = 0;
        int r;

        *ret = (struct remember_file){0};
        if (len > REMEMBER_FILE_MAX)
                return diag_add(diags, NULL, name, 0, "longer than %u bytes: ignored",
                                REMEMBER_FILE_MAX) < 0
                               ? -ENOMEM
                               : 0;
        for (size_t pos = 0; pos < len && !version_bad;) {
                const char *line = data + pos, *nl = memchr(line, '\n', len - pos);
                size_t n = nl ? (size_t) (nl - line) : len - pos;

                pos += n + 1;
                lineno++;
                if (n > 0 && line[n - 1] == '\r')
                        n--;
                if (n == 0 || line[0] == '#')
                        continue;
                r = parse_line(ids, line, n, lineno, name, diags, &version_bad);
                if (r < 0) {
                        remember_file_done(&f);
                        return r;
                }
        }
        for (size_t i = 0; i < ARRAY_SIZE(ids); i++)
                if (ids[i].bad || version_bad || !ids[i].id->title) {
                        if (!ids[i].bad && !version_bad && ids[i].seen &&
                            diag_add(diags, NULL, name, 0, "%s: no %stitle: ignored",
                                     i ? "the one-time choice" : "the entry", ids[i].what) < 0) {
                                remember_file_done(&f);
                                return -ENOMEM;
                        }
                        remember_id_done(ids[i].id);
                }
        *ret = f;
        return 0;
}

static void put_value(FILE *f, const char *what, const char *key, const char *v)
{
        fprintf(f, "%s%s=", what, key);
        for (const unsigned char *s = (const unsigned char *) v; *s; s++) {
                if (*s == '\\')
                        fputs("\\\\", f);
                else if (*s == '\n')
                        fputs("\\n", f);
                else if (*s == '\t')
                        fputs("\\t", f);
                else if (*s < 0x20 || *s == 0x7f)
                        fprintf(f, "\\x%02x", *s);
                else
                        fputc(*s, f);
        }
        fputc('\n', f);
}

static void put_id(FILE *f, const char *what, const struct remember_id *id)
{
        if (!id->title)
                return;
        if (id->fs)
                put_value(f, what, "fs", id->fs);
        if (id->config)
                put_value(f, what, "config", id->config);
        if (id->iso)
                put_value(f, what, "iso", id->iso);
        strv_foreach (s, id->submenu)
                put_value(f, what, "submenu", s);
        put_value(f, what, "title", id->title);
}

char *remember_format(const struct remember_file *rf)
{
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        if (!f)
                return NULL;
        fputs("# kexec-loader: the entry booted last (\"remember last\" in kexec-loader.conf)\n"
              "version=1\n",
              f);
        put_id(f, "", &rf->last);
        put_id(f, "once.", &rf->once);
        if (ferror(f)) {
                fclose(f);
                free(buf);
                return NULL;
        }
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}

/* ---- the default ---- */

const char *remember_why_name(enum remember_why w)
{
        static const char *const names[] = {
                [REMEMBER_WHY_CONFIG] = "config",
                [REMEMBER_WHY_LAST] = "last",
                [REMEMBER_WHY_ONCE] = "once",
        };

        return (size_t) w < ARRAY_SIZE(names) ? names[w] : "?";
}

int remember_choose(const struct remember_file *f, const struct boot_entry *entries, size_t n,
                    const struct device_list *l, int def, enum remember_why *ret_why)
{
        int last;

        if (def >= 0 && (size_t) def < n && entries[def].one_time_default &&
            !remember_id_matches(&f->once, &entries[def], l)) {
                *ret_why = REMEMBER_WHY_ONCE;
                return def;
        }
        last = remember_find(&f->last, entries, n, l);
        if (last >= 0) {
                *ret_why = REMEMBER_WHY_LAST;
                return last;
        }
        *ret_why = REMEMBER_WHY_CONFIG;
        return def;
}
