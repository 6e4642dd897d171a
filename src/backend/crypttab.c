/* SPDX-License-Identifier: GPL-2.0-or-later */
/* crypttab(5) parser (pure, bounded): see crypttab.h. */
#include "crypttab.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const struct {
        const char *prefix;
        enum crypttab_dev_kind kind;
} dev_prefixes[] = {
        {"UUID=", CRYPTTAB_DEV_UUID},
        {"PARTUUID=", CRYPTTAB_DEV_PARTUUID},
        {"LABEL=", CRYPTTAB_DEV_LABEL},
        {"PARTLABEL=", CRYPTTAB_DEV_PARTLABEL},
};

static const struct {
        const char *name;
        enum crypttab_type type;
} type_options[] = {
        {"luks", CRYPTTAB_TYPE_LUKS},
        {"plain", CRYPTTAB_TYPE_PLAIN},
        {"tcrypt", CRYPTTAB_TYPE_TCRYPT},
        {"tcrypt-hidden", CRYPTTAB_TYPE_TCRYPT},
        {"tcrypt-system", CRYPTTAB_TYPE_TCRYPT},
        {"bitlk", CRYPTTAB_TYPE_BITLK},
        {"fvault2", CRYPTTAB_TYPE_OTHER},
        {"loopaes", CRYPTTAB_TYPE_OTHER},
};

/* Options that set a flag; prefix options end in `=` and match any value. */
static const struct {
        const char *name;
        unsigned flag;
} flag_options[] = {
        {"discard", CRYPTTAB_OPT_DISCARD},
        {"readonly", CRYPTTAB_OPT_READONLY},
        {"read-only", CRYPTTAB_OPT_READONLY},
        {"noauto", CRYPTTAB_OPT_NOAUTO},
        {"nofail", CRYPTTAB_OPT_NOFAIL},
        {"x-initrd.attach", CRYPTTAB_OPT_INITRD},
        {"swap", CRYPTTAB_OPT_SWAP},
        {"tmp", CRYPTTAB_OPT_TMP},
        {"tmp=", CRYPTTAB_OPT_TMP},
        {"header=", CRYPTTAB_OPT_HEADER},
        {"tpm2-device=", CRYPTTAB_OPT_TPM2},
        {"fido2-device=", CRYPTTAB_OPT_TOKEN},
        {"pkcs11-uri=", CRYPTTAB_OPT_TOKEN},
        {"token-timeout=", CRYPTTAB_OPT_TOKEN},
        {"keyscript=", CRYPTTAB_OPT_KEYSCRIPT},
};

bool crypttab_name_valid(const char *name)
{
        size_t n = name ? strlen(name) : 0;

        if (n == 0 || n > CRYPTTAB_NAME_MAX || streq(name, ".") || streq(name, ".."))
                return false;
        for (const unsigned char *p = (const unsigned char *) name; *p; p++)
                if (*p == '/' || *p <= ' ' || *p == 0x7f)
                        return false;
        return true;
}

static void entry_done(struct crypttab_entry *e)
{
        free(e->name);
        free(e->device);
        free(e->key_path);
        free(e->key_device);
        free(e->keyscript);
        for (size_t i = 0; i < e->n_options; i++) {
                free(e->options[i].name);
                free(e->options[i].value);
        }
        free(e->options);
}

void crypttab_done(struct crypttab *t)
{
        for (size_t i = 0; i < t->n; i++)
                entry_done(&t->items[i]);
        free(t->items);
        *t = (struct crypttab){0};
}

/* Splits a line (NUL-terminated, modified) into at most 5 blank-separated fields. */
static size_t split_fields(char *s, char *f[5])
{
        size_t n = 0;

        for (;;) {
                while (*s == ' ' || *s == '\t')
                        s++;
                if (!*s || n == 5)
                        return n;
                f[n++] = s;
                while (*s && *s != ' ' && *s != '\t')
                        s++;
                if (*s)
                        *s++ = '\0';
        }
}

static int parse_tries(const char *v)
{
        char *end;
        long n;

        if (!v || !*v || *v < '0' || *v > '9')
                return -2;
        errno = 0;
        n = strtol(v, &end, 10);
        if (errno || *end || n > 1000)
                return -2;
        return (int) n;
}

/* Decodes the option list into e. Returns 0, -ENOMEM, or -EINVAL with *why set. */
static int parse_options(struct crypttab_entry *e, char *list, const char **why)
{
        char *save = NULL;

        for (char *o = strtok_r(list, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
                char *eq = strchr(o, '=');
                struct crypttab_option *opt;

                if (e->n_options == CRYPTTAB_MAX_OPTIONS) {
                        *why = "too many options";
                        return -EINVAL;
                }
                opt = realloc(e->options, (e->n_options + 1) * sizeof(*opt));
                if (!opt)
                        return -ENOMEM;
                e->options = opt;
                opt = &e->options[e->n_options];
                *opt = (struct crypttab_option){0};
                opt->name = eq ? strndup(o, (size_t) (eq - o)) : strdup(o);
                if (!opt->name || (eq && !(opt->value = strdup(eq + 1)))) {
                        free(opt->name);
                        return -ENOMEM;
                }
                e->n_options++;

                for (size_t i = 0; i < ARRAY_SIZE(type_options); i++)
                        if (!eq && streq(o, type_options[i].name))
                                e->type = type_options[i].type;
                for (size_t i = 0; i < ARRAY_SIZE(flag_options); i++) {
                        const char *f = flag_options[i].name;
                        size_t fl = strlen(f);

                        if (f[fl - 1] == '=' ? strncmp(o, f, fl) == 0 : streq(o, f))
                                e->flags |= flag_options[i].flag;
                }
                if (streq(opt->name, "tries")) {
                        e->tries = parse_tries(opt->value);
                        if (e->tries < 0) {
                                *why = "tries= wants a number from 0 to 1000";
                                return -EINVAL;
                        }
                } else if (streq(opt->name, "keyscript") && opt->value) {
                        if (util_strdup_to(&e->keyscript, opt->value) < 0)
                                return -ENOMEM;
                }
        }
        return 0;
}

static bool is_passdev(const char *keyscript)
{
        const char *slash = keyscript ? strrchr(keyscript, '/') : NULL;

        return keyscript && streq(slash ? slash + 1 : keyscript, "passdev");
}

/* The key field, after the options (Debian's passdev form depends on keyscript=). */
static int parse_key(struct crypttab_entry *e, const char *key, const char **why)
{
        const char *colon;

        if (!key || streq(key, "none") || streq(key, "-")) {
                e->key_kind = CRYPTTAB_KEY_ASK;
                return 0;
        }
        colon = strchr(key, ':');
        if (is_passdev(e->keyscript)) {
                /* passdev: DEVICE:PATH[:TIMEOUT] */
                const char *path = colon ? colon + 1 : NULL;
                const char *end = path ? strchr(path, ':') : NULL;

                if (!colon || colon == key || !*path || end == path) {
                        *why = "keyscript=passdev wants the key as device:path";
                        return -EINVAL;
                }
                e->key_kind = CRYPTTAB_KEY_ON_DEVICE;
                e->key_device = strndup(key, (size_t) (colon - key));
                e->key_path = end ? strndup(path, (size_t) (end - path)) : strdup(path);
        } else if (colon) {
                /* systemd: PATH:DEVICE, the path relative to that device's root */
                if (!colon[1] || colon == key) {
                        *why = "the key file's device is empty";
                        return -EINVAL;
                }
                e->key_kind = CRYPTTAB_KEY_ON_DEVICE;
                e->key_path = strndup(key, (size_t) (colon - key));
                e->key_device = strdup(colon + 1);
        } else {
                e->key_kind = CRYPTTAB_KEY_FILE;
                e->key_path = strdup(key);
        }
        if (!e->key_path || (e->key_kind == CRYPTTAB_KEY_ON_DEVICE && !e->key_device))
                return -ENOMEM;
        return 0;
}

static int parse_device(struct crypttab_entry *e, const char *dev, const char **why)
{
        e->dev_kind = CRYPTTAB_DEV_PATH;
        for (size_t i = 0; i < ARRAY_SIZE(dev_prefixes); i++) {
                const char *v = startswith(dev, dev_prefixes[i].prefix);

                if (v) {
                        if (!*v) {
                                *why = "the device's value is empty";
                                return -EINVAL;
                        }
                        e->dev_kind = dev_prefixes[i].kind;
                        dev = v;
                        break;
                }
        }
        if (e->dev_kind == CRYPTTAB_DEV_PATH && !startswith(dev, "/")) {
                *why = "the device is neither a path nor UUID=, PARTUUID=, LABEL=, PARTLABEL=";
                return -EINVAL;
        }
        e->device = strdup(dev);
        return e->device ? 0 : -ENOMEM;
}

/* One line without its newline (NUL-terminated, modified). Returns 0, -ENOMEM or -EINVAL. */
static int parse_line(struct crypttab *t, char *s, unsigned lineno, const char **why)
{
        struct crypttab_entry e = {.line = lineno, .tries = -1};
        char *f[5];
        size_t n;
        int r;

        n = split_fields(s, f);
        if (n < 2) {
                *why = "an entry needs at least a name and a device";
                return -EINVAL;
        }
        if (n > 4) {
                *why = "more than 4 fields";
                return -EINVAL;
        }
        if (!crypttab_name_valid(f[0])) {
                *why = "the name is not a valid mapping name";
                return -EINVAL;
        }
        if (t->n == CRYPTTAB_MAX_ENTRIES) {
                *why = "too many entries";
                return -EINVAL;
        }
        e.name = strdup(f[0]);
        r = e.name ? 0 : -ENOMEM;
        if (r == 0)
                r = parse_device(&e, f[1], why);
        if (r == 0 && n > 3)
                r = parse_options(&e, f[3], why);
        if (r == 0)
                r = parse_key(&e, n > 2 ? f[2] : NULL, why);
        if (r == 0 && UTIL_GROW(t->items, t->cap, t->n + 1) < 0)
                r = -ENOMEM;
        if (r < 0) {
                entry_done(&e);
                return r;
        }
        t->items[t->n++] = e;
        return 0;
}

int crypttab_parse(struct crypttab *t, const char *text, size_t len, const char *fs,
                   const char *file, struct diag_list *d)
{
        _cleanup_free_ char *buf = NULL;
        unsigned lineno = 0;
        size_t pos = 0;

        if (len > CRYPTTAB_MAX_FILE) {
                if (diag_add(d, fs, file, 0, "longer than %u bytes: the rest is ignored",
                             CRYPTTAB_MAX_FILE) < 0)
                        return -ENOMEM;
                len = CRYPTTAB_MAX_FILE;
        }
        buf = malloc(CRYPTTAB_MAX_LINE + 1);
        if (!buf)
                return -ENOMEM;
        while (pos < len) {
                const char *nl = memchr(text + pos, '\n', len - pos);
                size_t ll = (nl ? (size_t) (nl - text) : len) - pos;
                const char *why = NULL;
                bool bad_byte = false;
                char *s;
                int r;

                lineno++;
                if (ll > CRYPTTAB_MAX_LINE) {
                        why = "the line is too long";
                } else {
                        memcpy(buf, text + pos, ll);
                        buf[ll] = '\0';
                        if (ll && buf[ll - 1] == '\r')
                                buf[--ll] = '\0';
                        for (size_t i = 0; i < ll; i++)
                                if ((unsigned char) buf[i] < ' ' && buf[i] != '\t')
                                        bad_byte = true;
                        s = (char *) util_skip_blanks(buf);
                        if (bad_byte)
                                why = "a control character in the line";
                        else if (*s && *s != '#') {
                                r = parse_line(t, s, lineno, &why);
                                if (r == -ENOMEM)
                                        return r;
                        }
                }
                if (why && diag_add(d, fs, file, lineno, "%s: the line is skipped", why) < 0)
                        return -ENOMEM;
                pos = nl ? (size_t) (nl - text) + 1 : len;
        }
        return 0;
}

static bool value_eq(enum crypttab_dev_kind kind, const char *a, const char *b)
{
        if (kind == CRYPTTAB_DEV_UUID || kind == CRYPTTAB_DEV_PARTUUID)
                return strcaseeq(a, b);
        return streq(a, b);
}

const struct crypttab_entry *crypttab_find_device(const struct crypttab *t,
                                                  enum crypttab_dev_kind kind, const char *value)
{
        for (size_t i = 0; value && i < t->n; i++)
                if (t->items[i].dev_kind == kind && value_eq(kind, t->items[i].device, value))
                        return &t->items[i];
        return NULL;
}

const struct crypttab_entry *crypttab_find_name(const struct crypttab *t, const char *name)
{
        for (size_t i = 0; name && i < t->n; i++)
                if (streq(t->items[i].name, name))
                        return &t->items[i];
        return NULL;
}

const char *crypttab_option(const struct crypttab_entry *e, const char *name, bool *present)
{
        const char *v = NULL;
        bool found = false;

        /* the last one wins, as in both readers */
        for (size_t i = 0; i < e->n_options; i++)
                if (streq(e->options[i].name, name)) {
                        found = true;
                        v = e->options[i].value;
                }
        if (present)
                *present = found;
        return v;
}

char *crypttab_device_spec(const struct crypttab_entry *e)
{
        for (size_t i = 0; i < ARRAY_SIZE(dev_prefixes); i++)
                if (dev_prefixes[i].kind == e->dev_kind)
                        return util_asprintf("%s%s", dev_prefixes[i].prefix, e->device);
        return strdup(e->device);
}

int crypttab_stick_key(const struct crypttab_entry *e, char **ret, const char **why)
{
        static const struct {
                unsigned flag;
                const char *why;
        } unusable[] = {
                {CRYPTTAB_OPT_KEYSCRIPT, "keyscript= is not run"},
                {CRYPTTAB_OPT_HEADER, "detached headers (header=) are not supported"},
        };

        if (e->key_kind == CRYPTTAB_KEY_ASK)
                return -ENOENT;
        if (e->key_kind == CRYPTTAB_KEY_ON_DEVICE) {
                *why = "a key file on another device is not supported";
                return -EOPNOTSUPP;
        }
        for (size_t i = 0; i < ARRAY_SIZE(unusable); i++)
                if (e->flags & unusable[i].flag) {
                        *why = unusable[i].why;
                        return -EOPNOTSUPP;
                }
        *ret = e->key_path[0] == '/' ? strdup(e->key_path)
                                     : util_asprintf("%s/%s", CRYPTTAB_STICK_DIR, e->key_path);
        return *ret ? 0 : -ENOMEM;
}

const struct crypttab_entry *crypttab_find_volume(const struct crypttab *t,
                                                  const struct crypttab_volume *v)
{
        const struct {
                enum crypttab_dev_kind kind;
                const char *link; /* udev's /dev/disk/by-… directory for the same value */
                const char *value;
        } keys[] = {
                {CRYPTTAB_DEV_UUID, "/dev/disk/by-uuid/", v->uuid},
                {CRYPTTAB_DEV_PARTUUID, "/dev/disk/by-partuuid/", v->partuuid},
                {CRYPTTAB_DEV_LABEL, "/dev/disk/by-label/", v->label},
                {CRYPTTAB_DEV_PARTLABEL, "/dev/disk/by-partlabel/", v->partlabel},
        };

        for (size_t i = 0; i < t->n; i++) {
                const struct crypttab_entry *e = &t->items[i];

                for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
                        const char *p;

                        if (isempty(keys[k].value))
                                continue;
                        if (e->dev_kind == keys[k].kind &&
                            value_eq(keys[k].kind, e->device, keys[k].value))
                                return e;
                        p = e->dev_kind == CRYPTTAB_DEV_PATH ? startswith(e->device, keys[k].link)
                                                             : NULL;
                        if (p && value_eq(keys[k].kind, p, keys[k].value))
                                return e;
                }
                if (e->dev_kind == CRYPTTAB_DEV_PATH && v->path && streq(e->device, v->path))
                        return e;
        }
        return NULL;
}
