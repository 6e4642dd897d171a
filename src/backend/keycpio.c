/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The LUKS key hand-over archive (pure): see keycpio.h. */
#include "keycpio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/util.h"
#include "crypttab.h"
#include "mapname.h"

#define ALIGN4(n) (((n) + 3) & ~(size_t) 3)

/* Markers of each generator, in order: the first generator whose markers are all present wins
 * (a row's markers are ANDed; rows of one generator are alternatives). */
static const struct {
        enum keycpio_gen gen;
        const char *mark[2];
} markers[] = {
        {KEYCPIO_GEN_DRACUT, {"usr/lib/dracut/"}},
        {KEYCPIO_GEN_DRACUT, {"lib/dracut/"}},
        {KEYCPIO_GEN_INITRAMFS_TOOLS, {"conf/initramfs.conf", "scripts/"}},
        {KEYCPIO_GEN_MKINITCPIO, {"buildconfig", "hooks/encrypt"}},
        {KEYCPIO_GEN_MKINITCPIO_SYSTEMD,
         {"buildconfig", "usr/lib/systemd/system-generators/systemd-cryptsetup-generator"}},
        {KEYCPIO_GEN_MKINITCPIO_SYSTEMD, {"buildconfig", "usr/lib/systemd/systemd-cryptsetup"}},
};

static const struct {
        const char *name;
        const char *key; /* %s: the mapping's name */
        const char *crypttab;
} layouts[] = {
        [KEYCPIO_GEN_UNKNOWN] = {"unknown", NULL, NULL},
        [KEYCPIO_GEN_DRACUT] = {"dracut", "secret.key", "etc/crypttab"},
        [KEYCPIO_GEN_INITRAMFS_TOOLS] = {"initramfs-tools", "cryptroot/keyfiles/%s.key",
                                         "cryptroot/crypttab"},
        [KEYCPIO_GEN_MKINITCPIO] = {"mkinitcpio", "crypto_keyfile.bin", NULL},
        [KEYCPIO_GEN_MKINITCPIO_SYSTEMD] = {"mkinitcpio (sd-encrypt)", "secret.key",
                                            "etc/crypttab"},
};

/* Options of the volume's entry that would stop the key file from being used as it is. */
static const char *const dropped_options[] = {"keyscript", "keyfile-offset", "keyfile-size"};

static const char *member_name(const char *s)
{
        while (*s == '.' && s[1] == '/')
                s += 2;
        while (*s == '/')
                s++;
        return s;
}

/* Whether a member is the marker: "scripts/" matches the directory entry "scripts" and every
 * name below it; other markers match one name. */
static bool marker_matches(const char *name, const char *mark)
{
        size_t ml = strlen(mark);

        if (mark[ml - 1] == '/')
                return strncmp(name, mark, ml) == 0 ||
                       (strncmp(name, mark, ml - 1) == 0 && name[ml - 1] == '\0');
        return streq(name, mark);
}

enum keycpio_gen keycpio_detect(const char *const *names, size_t n)
{
        for (size_t r = 0; r < ARRAY_SIZE(markers); r++) {
                bool all = true;

                for (size_t m = 0; all && m < ARRAY_SIZE(markers[r].mark); m++) {
                        const char *mark = markers[r].mark[m];
                        bool found = false;

                        if (!mark)
                                continue;
                        for (size_t i = 0; !found && i < n; i++)
                                found = names[i] && marker_matches(member_name(names[i]), mark);
                        all = found;
                }
                if (all)
                        return markers[r].gen;
        }
        return KEYCPIO_GEN_UNKNOWN;
}

const char *keycpio_gen_name(enum keycpio_gen g)
{
        return (size_t) g < ARRAY_SIZE(layouts) ? layouts[g].name : "unknown";
}

const char *keycpio_crypttab_path(enum keycpio_gen g)
{
        return (size_t) g < ARRAY_SIZE(layouts) ? layouts[g].crypttab : NULL;
}

char *keycpio_key_path(enum keycpio_gen g, const char *name)
{
        const char *fmt = (size_t) g < ARRAY_SIZE(layouts) ? layouts[g].key : NULL;

        if (!fmt || !crypttab_name_valid(name))
                return NULL;
        return strstr(fmt, "%s") ? util_asprintf(fmt, name) : strdup(fmt);
}

static bool entry_is_volume(const struct crypttab_entry *e, const char *uuid)
{
        const char *p;

        if (e->dev_kind == CRYPTTAB_DEV_UUID)
                return strcaseeq(e->device, uuid);
        p = e->dev_kind == CRYPTTAB_DEV_PATH ? startswith(e->device, "/dev/disk/by-uuid/") : NULL;
        return p && strcaseeq(p, uuid);
}

/* The entry's line rewritten: name, device, key, the options minus dropped_options. */
static char *rewrite_line(const struct crypttab_entry *e, const char *key)
{
        _cleanup_free_ char *spec = crypttab_device_spec(e);
        _cleanup_strv_ char **opts = NULL;
        _cleanup_free_ char *joined = NULL;

        if (!spec)
                return NULL;
        for (size_t i = 0; i < e->n_options; i++) {
                const struct crypttab_option *o = &e->options[i];
                bool drop = false;
                char *s;

                for (size_t k = 0; k < ARRAY_SIZE(dropped_options); k++)
                        drop = drop || streq(o->name, dropped_options[k]);
                if (drop)
                        continue;
                s = o->value ? util_asprintf("%s=%s", o->name, o->value) : strdup(o->name);
                if (!s || strv_consume(&opts, s) < 0)
                        return NULL;
        }
        joined = opts ? strv_join(opts, ",") : strdup("luks");
        if (!joined)
                return NULL;
        return util_asprintf("%s %s /%s %s", e->name, spec, key, *joined ? joined : "luks");
}

int keycpio_crypttab(enum keycpio_gen g, const char *orig, size_t len, const char *uuid, char **ret,
                     char **ret_name)
{
        _cleanup_free_ char *name = NULL, *key = NULL, *line = NULL, *out = NULL;
        struct crypttab t = {0};
        struct diag_list d = {0};
        const struct crypttab_entry *e = NULL;
        size_t pos = 0, olen = 0;
        unsigned lineno = 0;
        int r;

        if (!mapname_uuid_valid(uuid) || len > KEYCPIO_MAX_TAB ||
            (size_t) g >= ARRAY_SIZE(layouts) || !layouts[g].key)
                return -EINVAL;
        if (!orig)
                len = 0;
        r = crypttab_parse(&t, orig, len, NULL, NULL, &d);
        diag_list_done(&d);
        if (r < 0)
                goto out;
        for (size_t i = 0; !e && i < t.n; i++)
                if (entry_is_volume(&t.items[i], uuid))
                        e = &t.items[i];
        name = e ? strdup(e->name) : util_asprintf("luks-%s", uuid);
        key = name ? keycpio_key_path(g, name) : NULL;
        if (key)
                line = e ? rewrite_line(e, key)
                         : util_asprintf("%s UUID=%s /%s luks", name, uuid, key);
        /* the original text, the volume's line replaced, plus a new line when it had none */
        out = line ? malloc(len + strlen(line) + 3) : NULL;
        r = -ENOMEM;
        if (!out)
                goto out;
        while (pos < len) {
                const char *nl = memchr(orig + pos, '\n', len - pos);
                size_t ll = (nl ? (size_t) (nl - orig) : len) - pos;

                lineno++;
                if (e && lineno == e->line) {
                        olen += (size_t) sprintf(out + olen, "%s\n", line);
                } else if (memchr(orig + pos, '\0', ll)) {
                        /* a line with a NUL byte (skipped by the parser) is dropped: the
                         * text must stay a C string, or the entry added after it is lost */
                } else {
                        memcpy(out + olen, orig + pos, ll);
                        olen += ll;
                        out[olen++] = '\n';
                }
                pos += ll + (nl ? 1 : 0);
        }
        if (!e)
                olen += (size_t) sprintf(out + olen, "%s\n", line);
        out[olen] = '\0';
        *ret = out;
        out = NULL;
        if (ret_name) {
                *ret_name = name;
                name = NULL;
        }
        r = 0;
out:
        crypttab_done(&t);
        return r;
}

/* Grows the buffer without leaving a copy of the key behind in freed memory. */
static int reserve(struct keycpio *c, size_t more)
{
        uint8_t *p;
        size_t cap;

        if (c->len + more <= c->cap)
                return 0;
        if (more > SIZE_MAX / 4 - c->len)
                return -ENOMEM;
        cap = c->cap ? c->cap : 4096;
        while (cap < c->len + more)
                cap *= 2;
        p = calloc(1, cap);
        if (!p)
                return -ENOMEM;
        if (c->data) {
                memcpy(p, c->data, c->len);
                explicit_bzero(c->data, c->cap);
                free(c->data);
        }
        c->data = p;
        c->cap = cap;
        return 0;
}

static bool name_valid(const char *name)
{
        const char *p = name;

        if (!name || !*name || *name == '/' || strlen(name) > 1024)
                return false;
        while (*p) {
                size_t n = strcspn(p, "/");

                if (n == 0 || (n == 2 && p[0] == '.' && p[1] == '.') || (n == 1 && p[0] == '.'))
                        return false;
                p += n;
                if (*p == '/')
                        p++;
        }
        return true;
}

static int add_entry(struct keycpio *c, const char *name, uint32_t mode, uint32_t nlink,
                     const void *data, size_t len)
{
        size_t nl = strlen(name) + 1, hdr = 110, need;
        int r;

        if (len > UINT32_MAX)
                return -EINVAL;
        need = ALIGN4(hdr + nl) + ALIGN4(len);
        r = reserve(c, need);
        if (r < 0)
                return r;
        /* ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize
         * check */
        snprintf((char *) c->data + c->len, hdr + 1,
                 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", c->ino++, mode, 0u,
                 0u, nlink, 0u, (uint32_t) len, 0u, 0u, 0u, 0u, (uint32_t) nl, 0u);
        memcpy(c->data + c->len + hdr, name, nl);
        c->len += ALIGN4(hdr + nl);
        if (len)
                memcpy(c->data + c->len, data, len);
        c->len += ALIGN4(len);
        return 0;
}

int keycpio_add_dir(struct keycpio *c, const char *name, mode_t perm)
{
        if (!name_valid(name))
                return -EINVAL;
        if (!c->ino)
                c->ino = 1;
        return add_entry(c, name, S_IFDIR | (perm & 07777), 2, NULL, 0);
}

int keycpio_add_file(struct keycpio *c, const char *name, mode_t perm, const void *data, size_t len)
{
        if (!name_valid(name) || (len && !data))
                return -EINVAL;
        if (!c->ino)
                c->ino = 1;
        return add_entry(c, name, S_IFREG | (perm & 07777), 1, data, len);
}

int keycpio_finish(struct keycpio *c)
{
        size_t pad;
        int r;

        r = add_entry(c, "TRAILER!!!", 0, 1, NULL, 0);
        if (r < 0)
                return r;
        pad = keycpio_initrd_pad(c->len);
        r = reserve(c, pad);
        if (r < 0)
                return r;
        memset(c->data + c->len, 0, pad);
        c->len += pad;
        return 0;
}

void keycpio_done(struct keycpio *c)
{
        if (c->data) {
                explicit_bzero(c->data, c->cap);
                free(c->data);
        }
        *c = (struct keycpio){0};
}

size_t keycpio_initrd_pad(uint64_t initrd_len)
{
        return (size_t) ((KEYCPIO_BLOCK - initrd_len % KEYCPIO_BLOCK) % KEYCPIO_BLOCK);
}

/* The parent directories of path, outermost first ("a", "a/b" for "a/b/c"), but those of skip. */
static int add_parents(struct keycpio *c, const char *path, mode_t perm, const char *skip)
{
        _cleanup_free_ char *p = strdup(path);
        int r;

        if (!p)
                return -ENOMEM;
        for (char *s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
                size_t n = (size_t) (s - p);

                *s = '\0';
                r = skip && strncmp(skip, p, n) == 0 && skip[n] == '/'
                            ? 0
                            : keycpio_add_dir(c, p, perm);
                *s = '/';
                if (r < 0)
                        return r;
        }
        return 0;
}

int keycpio_build(enum keycpio_gen g, const char *uuid, const void *key, size_t key_len,
                  const char *orig, size_t orig_len, struct keycpio *ret)
{
        _cleanup_free_ char *tab = NULL, *name = NULL, *key_path = NULL;
        const char *tab_path = keycpio_crypttab_path(g);
        struct keycpio c = {0};
        int r;

        if ((size_t) g >= ARRAY_SIZE(layouts) || !layouts[g].key)
                return -EOPNOTSUPP;
        if (key_len == 0 || key_len > KEYCPIO_MAX_KEY)
                return -EINVAL;
        r = keycpio_crypttab(g, orig, orig_len, uuid, &tab, &name);
        if (r < 0)
                return r;
        key_path = keycpio_key_path(g, name);
        if (!key_path)
                return -ENOMEM;
        /* the crypttab's directories 0755, the key's own ones 0700 (initramfs-tools' keyfiles) */
        r = tab_path ? add_parents(&c, tab_path, 0755, NULL) : 0;
        if (r >= 0)
                r = add_parents(&c, key_path, 0700, tab_path);
        if (r >= 0)
                r = keycpio_add_file(&c, key_path, 0400, key, key_len);
        if (r >= 0 && tab_path)
                r = keycpio_add_file(&c, tab_path, 0644, tab, strlen(tab));
        if (r >= 0)
                r = keycpio_finish(&c);
        if (r < 0) {
                keycpio_done(&c);
                return r;
        }
        *ret = c;
        return 0;
}

static int hex8(const uint8_t *p, uint32_t *ret)
{
        uint32_t v = 0;

        for (size_t i = 0; i < 8; i++) {
                int c = p[i], d;

                if (c >= '0' && c <= '9')
                        d = c - '0';
                else if (c >= 'a' && c <= 'f')
                        d = c - 'a' + 10;
                else if (c >= 'A' && c <= 'F')
                        d = c - 'A' + 10;
                else
                        return -EBADMSG;
                v = v << 4 | (uint32_t) d;
        }
        *ret = v;
        return 0;
}

int keycpio_newc_scan(const uint8_t *buf, size_t len, keycpio_member_cb cb, void *userdata,
                      size_t *ret_end)
{
        size_t pos = 0;

        for (;;) {
                uint32_t f[13];
                size_t name_at, data_at, end;
                int r;

                /* zeros between archives (padding) are skipped, as the kernel does */
                while (pos < len && buf[pos] == 0)
                        pos++;
                if (len - pos < 110 || memcmp(buf + pos, "07070", 5) != 0 ||
                    (buf[pos + 5] != '1' && buf[pos + 5] != '2'))
                        break;
                for (size_t i = 0; i < 13; i++)
                        if (hex8(buf + pos + 6 + 8 * i, &f[i]) < 0)
                                return -EBADMSG;
                /* f: ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor
                 * namesize check */
                name_at = pos + 110;
                if (f[11] == 0 || f[11] > len - name_at || buf[name_at + f[11] - 1] != '\0')
                        return -EBADMSG;
                data_at = ALIGN4(name_at + f[11]);
                if (data_at > len || f[6] > len - data_at)
                        return -EBADMSG;
                end = data_at + f[6];
                if (streq((const char *) buf + name_at, "TRAILER!!!")) {
                        pos = end;
                        continue;
                }
                if (memchr(buf + name_at, '\0', f[11] - 1))
                        return -EBADMSG;
                r = cb ? cb(&(struct keycpio_member){(const char *) buf + name_at, f[1],
                                                     buf + data_at, f[6]},
                            userdata)
                       : 0;
                if (r != 0)
                        return r;
                pos = ALIGN4(end) <= len ? ALIGN4(end) : len;
        }
        if (ret_end)
                *ret_end = pos;
        return 0;
}
