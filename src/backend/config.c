/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kexec-loader.conf parser: the 1.4.1 directives, read without the 1.4.1 quirks (no line length
 * limit, no directives leaking into the first entry, no silent timeout garbage, no false
 * "Unknown directive" for module). Linear in the size of the input. */
#include "config.h"

#include <limits.h>
#include <stdarg.h>

#include "device.h"
#include "../core/cmdline.h"
#include "../input/keymap.h"

/* Longest piece of user text quoted in a diagnostic. */
#define QUOTE_MAX 64

/* The number of strings in one of the current entry's vectors, and how many the allocation
 * holds, so that a file adding thousands of initrds or modules to one entry stays linear. */
struct strv_count {
        bool valid;
        size_t n, cap;
};

/* The current entry's mounts by mount point, so that a file with very many mounts in one entry
 * stays linear. Open addressing; a slot holds a mount's index + 1, 0 when free. */
struct mount_index {
        bool valid;
        size_t *slots;
        size_t cap, used; /* cap is a power of two */
};

struct parse_ctx {
        struct config_parser *p;
        struct strv_count initrds, modules;
        struct mount_index mounts;
};

typedef int (*directive_fn)(struct parse_ctx *c, const char *name, char *value, unsigned lineno);

struct directive {
        const char *name;
        directive_fn fn;
        bool entry;     /* applies to the current entry */
        bool file_only; /* refused in the shell */
};

/* A copy of s fit for a message: control characters become '?', long text is cut with "...".
 * Bytes from 0x80 up are kept (UTF-8), but a cut never splits a multi-byte character. */
static char *quote_text(const char *s)
{
        size_t n = strnlen(s, QUOTE_MAX + 1);
        bool cut = n > QUOTE_MAX;
        char *q;

        if (cut) {
                n = QUOTE_MAX;
                while (n > 0 && ((unsigned char) s[n] & 0xc0) == 0x80)
                        n--;
        }
        q = malloc(n + 4);
        if (!q)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                unsigned char ch = (unsigned char) s[i];

                q[i] = ch < 0x20 || ch == 0x7f ? '?' : (char) ch;
        }
        strcpy(q + n, cut ? "..." : "");
        return q;
}

static int report(struct parse_ctx *c, unsigned lineno, const char *fmt, ...) _printf_(3, 4);
static int report(struct parse_ctx *c, unsigned lineno, const char *fmt, ...)
{
        const struct config_source *src = c->p->src;
        _cleanup_free_ char *m = NULL;
        va_list ap;
        int r;

        if (!c->p->diags)
                return 1;
        va_start(ap, fmt);
        r = vasprintf(&m, fmt, ap);
        va_end(ap);
        if (r < 0) {
                m = NULL;
                return -ENOMEM;
        }
        r = diag_add(c->p->diags, src ? src->fs : NULL, src ? src->file : NULL, lineno, "%s", m);
        return r < 0 ? r : 1;
}

/* Reports "<prefix>'<text>'<suffix>" with text made printable. */
static int report_quoted(struct parse_ctx *c, unsigned lineno, const char *prefix, const char *text,
                         const char *suffix)
{
        _cleanup_free_ char *q = quote_text(text);

        if (!q)
                return -ENOMEM;
        return report(c, lineno, "%s'%s'%s", prefix, q, suffix);
}

static int require_arg(struct parse_ctx *c, const char *name, const char *value, unsigned lineno)
{
        if (!isempty(value))
                return 0;
        return report(c, lineno, "'%s' requires an argument", name);
}

/* Appends s (taken over, freed on failure) to *l, whose size is tracked in *cnt. */
static int strv_append_counted(char ***l, struct strv_count *cnt, char *s)
{
        if (!s)
                return -ENOMEM;
        if (!cnt->valid) {
                cnt->n = strv_length(*l);
                cnt->cap = *l ? cnt->n + 1 : 0;
                cnt->valid = true;
        }
        if (cnt->n + 2 > cnt->cap) {
                size_t ncap = MAX(cnt->cap * 2, (size_t) 8);
                char **nl;

                if (ncap > SIZE_MAX / sizeof(char *)) {
                        free(s);
                        return -ENOMEM;
                }
                nl = realloc(*l, ncap * sizeof(char *));
                if (!nl) {
                        free(s);
                        return -ENOMEM;
                }
                *l = nl;
                cnt->cap = ncap;
        }
        (*l)[cnt->n++] = s;
        (*l)[cnt->n] = NULL;
        return 0;
}

static void mount_index_done(struct mount_index *m)
{
        free(m->slots);
        *m = (struct mount_index){0};
}

static void reset_counts(struct parse_ctx *c)
{
        c->initrds = (struct strv_count){.valid = true};
        c->modules = (struct strv_count){.valid = true};
        mount_index_done(&c->mounts);
}

static size_t *mount_slot(struct mount_index *m, const struct config_entry *e, const char *mp)
{
        size_t h = 14695981039346656037ULL & SIZE_MAX, mask = m->cap - 1, i;

        for (const char *s = mp; *s; s++)
                h = (h ^ (unsigned char) *s) * (size_t) 1099511628211ULL;
        for (i = h & mask; m->slots[i]; i = (i + 1) & mask)
                if (streq(e->mounts[m->slots[i] - 1].mountpoint, mp))
                        break;
        return &m->slots[i];
}

/* (Re)builds the index of e's mounts with room for one more. */
static int mount_index_ensure(struct mount_index *m, const struct config_entry *e)
{
        size_t cap = 16;

        if (m->valid && (m->used + 1) * 2 <= m->cap)
                return 0;
        while (cap < (e->n_mounts + 1) * 2) {
                if (cap > SIZE_MAX / 4 / sizeof(size_t))
                        return -ENOMEM;
                cap *= 2;
        }
        mount_index_done(m);
        m->slots = calloc(cap, sizeof(size_t));
        if (!m->slots)
                return -ENOMEM;
        m->cap = cap;
        m->valid = true;
        for (size_t i = 0; i < e->n_mounts; i++) {
                size_t *slot = mount_slot(m, e, e->mounts[i].mountpoint);

                if (!*slot) {
                        *slot = i + 1;
                        m->used++;
                }
        }
        return 0;
}

static int parse_seconds(const char *s, unsigned *ret)
{
        unsigned long long v = 0;

        if (strcaseeq(s, "off")) {
                *ret = 0;
                return 0;
        }
        if (!*s)
                return -EINVAL;
        for (; *s; s++) {
                if (*s < '0' || *s > '9')
                        return -EINVAL;
                v = v * 10 + (unsigned) (*s - '0');
                if (v > UINT_MAX)
                        return -ERANGE;
        }
        *ret = (unsigned) v;
        return 0;
}

/* Checks "[fstype:]device": the device part must parse as a device spec. Returns 0, 1 after a
 * diagnostic, or -ENOMEM. */
static int check_device(struct parse_ctx *c, const char *name, const char *spec, unsigned lineno,
                        char **ret_fstype, char **ret_device)
{
        _cleanup_free_ char *fstype = NULL, *device = NULL;
        struct devspec ds;
        int r;

        r = config_split_fstype(spec, &fstype, &device);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return report(c, lineno, "'%s' requires a device after the filesystem type", name);
        r = devspec_parse(device, true, &ds);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                _cleanup_free_ char *q = quote_text(device);

                if (!q)
                        return -ENOMEM;
                return report(c, lineno, "'%s': '%s' is not a valid device name", name, q);
        }
        devspec_done(&ds);
        if (ret_fstype) {
                *ret_fstype = fstype;
                fstype = NULL;
        }
        if (ret_device) {
                *ret_device = device;
                device = NULL;
        }
        return 0;
}

static int add_mount(struct parse_ctx *c, const char *name, const char *spec, const char *mp,
                     unsigned lineno)
{
        struct config_entry *e = c->p->current;
        _cleanup_free_ char *fstype = NULL, *device = NULL, *mountpoint = NULL;
        struct config_mount *m = NULL;
        size_t *slot;
        int r, ret = 0;

        r = check_device(c, name, spec, lineno, &fstype, &device);
        if (r != 0)
                return r;
        mountpoint = config_normalize_mountpoint(mp);
        if (!mountpoint)
                return -ENOMEM;

        r = mount_index_ensure(&c->mounts, e);
        if (r < 0)
                return r;
        slot = mount_slot(&c->mounts, e, mountpoint);
        if (*slot) {
                _cleanup_free_ char *q = quote_text(mountpoint);

                /* The later one wins, in the place of the earlier one. */
                m = &e->mounts[*slot - 1];
                if (!q)
                        return -ENOMEM;
                ret = report(c, lineno,
                             "'%s': this entry already has a mount at '%s', the later one wins",
                             name, q);
                if (ret < 0)
                        return ret;
                free(m->device);
                free(m->fstype);
                free(m->mountpoint);
        } else {
                r = UTIL_GROW(e->mounts, e->cap_mounts, e->n_mounts + 1);
                if (r < 0)
                        return r;
                m = &e->mounts[e->n_mounts++];
                *slot = e->n_mounts;
                c->mounts.used++;
        }
        *m = (struct config_mount){
                .device = device, .fstype = fstype, .mountpoint = mountpoint, .line = lineno};
        device = fstype = mountpoint = NULL;
        return ret;
}

static int dir_title(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        struct config_entry *e;

        e = config_add_entry(c->p->config);
        if (!e)
                return -ENOMEM;
        e->line = lineno;
        c->p->current = e;
        reset_counts(c);
        /* An untitled entry collects the directives up to the next title; config_parse() drops
         * it without another message. */
        if (isempty(value))
                return report(c, lineno, "'%s' requires an argument", name);
        e->title = strdup(value);
        return e->title ? 0 : -ENOMEM;
}

static int dir_kernel(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        int r = require_arg(c, name, value, lineno);

        if (r != 0)
                return r;
        return util_strdup_to(&c->p->current->kernel, value);
}

static int dir_initrd(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        int r = require_arg(c, name, value, lineno);

        if (r != 0)
                return r;
        for (const char *s = util_skip_blanks(value); *s; s = util_skip_blanks(s)) {
                size_t n = strcspn(s, " \t");

                r = strv_append_counted(&c->p->current->initrds, &c->initrds, strndup(s, n));
                if (r < 0)
                        return r;
                s += n;
        }
        return 0;
}

static int dir_append(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        int r = require_arg(c, name, value, lineno);

        if (r != 0)
                return r;
        return util_strdup_to(&c->p->current->append, value);
}

static int dir_cmdline(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        int r = require_arg(c, name, value, lineno);

        if (r != 0)
                return r;
        return util_strdup_to(&c->p->current->cmdline, value);
}

static int dir_default(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        c->p->current->is_default = true;
        return 0;
}

static int dir_reset_vga(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        c->p->current->reset_vga = true;
        return 0;
}

static int dir_rootfs(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        int r = require_arg(c, name, value, lineno);

        if (r != 0)
                return r;
        return add_mount(c, name, value, "/", lineno);
}

static int dir_mount(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        size_t n = strcspn(value, " \t");
        char *mp = value + n;

        if (*mp) {
                *mp++ = 0;
                mp = (char *) util_skip_blanks(mp);
        }
        if (n == 0 || !*mp)
                return report(c, lineno, "'%s' requires a device and a mount point", name);
        return add_mount(c, name, value, mp, lineno);
}

static int dir_module(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        int r = require_arg(c, name, value, lineno);

        if (r != 0)
                return r;
        return strv_append_counted(&c->p->current->modules, &c->modules, strdup(value));
}

static int dir_timeout(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        unsigned t;
        int r = require_arg(c, name, value, lineno);

        if (r != 0)
                return r;
        if (parse_seconds(value, &t) < 0)
                return report_quoted(c, lineno, "timeout: ", value, " is not a number of seconds");
        c->p->config->timeout = t;
        c->p->config->timeout_set = true;
        return 0;
}

static int dir_grub_root(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        int r = require_arg(c, name, value, lineno);

        if (r != 0)
                return r;
        r = check_device(c, name, value, lineno, NULL, NULL);
        if (r != 0)
                return r;
        return util_strdup_to(&c->p->config->grub_root, value);
}

static int dir_grub_first(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        if (strcaseeq(value, "hdx"))
                c->p->config->grub_first = CONFIG_GRUB_FIRST_HDX;
        else if (strcaseeq(value, "sdx"))
                c->p->config->grub_first = CONFIG_GRUB_FIRST_SDX;
        else
                return report(c, lineno, "grub_first: value must be hdx or sdx");
        return 0;
}

static int dir_theme(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        int r = require_arg(c, name, value, lineno);

        if (r != 0)
                return r;
        return util_strdup_to(&c->p->config->theme, value);
}

static int dir_keymap(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        const char *close[6];
        char list[160] = " (close: ";
        size_t n, at = strlen(list);
        int r = require_arg(c, name, value, lineno);

        if (r != 0)
                return r;
        if (keymap_find(value))
                return util_strdup_to(&c->p->config->keymap, value);
        n = keymap_similar(value, close, ARRAY_SIZE(close));
        for (size_t i = 0; i < n && at < sizeof(list); i++) {
                int k = snprintf(list + at, sizeof(list) - at, "%s%s", i ? ", " : "", close[i]);

                if (k > 0)
                        at += (size_t) k;
        }
        if (at + 2 < sizeof(list))
                strcpy(list + at, ")");
        return report_quoted(c, lineno, "keymap: unknown keyboard layout ", value,
                             n ? list : " (K in the menu lists the layouts)");
}

static int dir_scale(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        int r = require_arg(c, name, value, lineno), s;

        if (r != 0)
                return r;
        if (cmdline_parse_scale(value, &s) < 0)
                return report(c, lineno,
                              "scale: value must be auto, a factor from 0.5 to 4 (2, 1.5) or a "
                              "percentage (150%%)");
        c->p->config->scale = s;
        return 0;
}

static int dir_autodetect(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        if (strcaseeq(value, "on"))
                c->p->config->autodetect = CONFIG_AUTODETECT_ON;
        else if (strcaseeq(value, "off"))
                c->p->config->autodetect = CONFIG_AUTODETECT_OFF;
        else
                return report(c, lineno, "autodetect: value must be on or off");
        return 0;
}

static int dir_unrestricted(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        c->p->current->unrestricted = true;
        return 0;
}

static int dir_users(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        int r = require_arg(c, name, value, lineno);

        if (r != 0)
                return r;
        return util_strdup_to(&c->p->current->users, value);
}

static struct auth_set *config_auth(struct parse_ctx *c)
{
        struct config *cfg = c->p->config;

        if (!cfg->auth)
                cfg->auth = auth_set_new(BACKEND_CONFIG_AUTH_ORIGIN);
        return cfg->auth;
}

static int dir_superusers(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        struct auth_set *a;
        int r = require_arg(c, name, value, lineno);

        if (r != 0)
                return r;
        a = config_auth(c);
        return a ? auth_set_superusers(a, value) : -ENOMEM;
}

/* password_pbkdf2 USER HASH, password USER PLAINTEXT */
static int dir_password(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        size_t n = strcspn(value, " \t");
        const char *secret = util_skip_blanks(value + n), *why = NULL;
        struct auth_set *a;
        int r;

        if (n == 0 || !*secret)
                return report(c, lineno, "'%s' requires a user name and a %s", name,
                              streq(name, "password") ? "password" : "hash");
        value[n] = 0;
        a = config_auth(c);
        if (!a)
                return -ENOMEM;
        r = streq(name, "password") ? auth_set_password(a, value, secret)
                                    : auth_set_pbkdf2(a, value, secret, &why);
        if (r == -E2BIG)
                return report(c, lineno, "%s: too many users, or a user name too long", name);
        if (r > 0) {
                _cleanup_free_ char *s =
                        util_asprintf(": %s; what needs this user stays locked", why ? why : "");

                return s ? report_quoted(c, lineno, "password_pbkdf2 ", value, s) : -ENOMEM;
        }
        return r;
}

static int dir_beep(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        if (strcaseeq(value, "on"))
                c->p->config->beep = true;
        else if (strcaseeq(value, "off"))
                c->p->config->beep = false;
        else
                return report(c, lineno, "beep: value must be on or off");
        return 0;
}

/* `remember last`: the entry booted becomes the next default (remember.h); off or none: not. */
static int dir_remember(struct parse_ctx *c, const char *name, char *value, unsigned lineno)
{
        if (strcaseeq(value, "last"))
                c->p->config->remember = true;
        else if (strcaseeq(value, "off") || strcaseeq(value, "none"))
                c->p->config->remember = false;
        else
                return report(c, lineno, "remember: value must be last, off or none");
        return 0;
}

static const struct directive directives[] = {
        {.name = "title", .fn = dir_title, .file_only = true},
        {.name = "kernel", .fn = dir_kernel, .entry = true},
        {.name = "initrd", .fn = dir_initrd, .entry = true},
        {.name = "append", .fn = dir_append, .entry = true},
        {.name = "cmdline", .fn = dir_cmdline, .entry = true},
        {.name = "default", .fn = dir_default, .entry = true, .file_only = true},
        {.name = "reset-vga", .fn = dir_reset_vga, .entry = true},
        {.name = "rootfs", .fn = dir_rootfs, .entry = true},
        {.name = "root", .fn = dir_rootfs, .entry = true},
        {.name = "mount", .fn = dir_mount, .entry = true},
        {.name = "module", .fn = dir_module, .entry = true},
        {.name = "timeout", .fn = dir_timeout},
        {.name = "grub_root", .fn = dir_grub_root},
        {.name = "grub_first", .fn = dir_grub_first},
        {.name = "theme", .fn = dir_theme},
        {.name = "scale", .fn = dir_scale},
        {.name = "keymap", .fn = dir_keymap, .file_only = true},
        {.name = "autodetect", .fn = dir_autodetect},
        {.name = "unrestricted", .fn = dir_unrestricted, .entry = true, .file_only = true},
        {.name = "users", .fn = dir_users, .entry = true, .file_only = true},
        {.name = "superusers", .fn = dir_superusers, .file_only = true},
        {.name = "password_pbkdf2", .fn = dir_password, .file_only = true},
        {.name = "password", .fn = dir_password, .file_only = true},
        {.name = "beep", .fn = dir_beep},
        {.name = "remember", .fn = dir_remember, .file_only = true},
};

/* Applies one NUL-terminated line, which it may change. */
static int apply_line(struct parse_ctx *c, char *line, unsigned lineno)
{
        struct config_parser *p = c->p;
        const struct directive *d = NULL;
        char *name, *value;
        size_t n;

        name = line + strspn(line, " \t\r\n");
        if (!*name || *name == '#')
                return 0;
        n = strcspn(name, " \t\r\n");
        value = name + n;
        if (*value) {
                *value++ = 0;
                value += strspn(value, " \t");
        }
        util_strip_trailing(value);

        for (size_t i = 0; i < ARRAY_SIZE(directives); i++)
                if (strcaseeq(name, directives[i].name)) {
                        d = &directives[i];
                        break;
                }
        if (!d)
                return report_quoted(c, lineno, "unknown directive ", name, "");

        if (p->in_shell && d->file_only)
                return report(c, lineno, "'%s' is only for kexec-loader.conf", d->name);
        if (d->entry) {
                if (!p->current) {
                        if (p->in_shell)
                                return report(c, lineno, "'%s': there is no entry to apply it to",
                                              d->name);
                        return report(c, lineno, "'%s' before the first 'title' is ignored",
                                      d->name);
                }
                /* The section of a title without argument: already reported at the title. */
                if (!p->in_shell && !p->current->title)
                        return 0;
        }
        return d->fn(c, d->name, value, lineno);
}

int config_apply_line(struct config_parser *p, const char *line, unsigned lineno)
{
        struct parse_ctx c = {.p = p};
        _cleanup_free_ char *copy = strdup(line);
        int r;

        if (!copy)
                return -ENOMEM;
        r = apply_line(&c, copy, lineno);
        mount_index_done(&c.mounts);
        return r;
}

/* Drops the untitled entries (reported at their title) and the ones that cannot boot. */
static int finish(struct parse_ctx *c)
{
        struct config *cfg = c->p->config;
        size_t k = 0;
        int r = 0;

        for (size_t i = 0; i < cfg->n_entries; i++) {
                struct config_entry *e = &cfg->entries[i];
                const char *why = NULL;

                if (e->title && config_entry_check(e, &why) == 0) {
                        if (k != i)
                                cfg->entries[k] = *e;
                        k++;
                        continue;
                }
                if (e->title && r >= 0)
                        r = report_quoted(c, e->line, "", e->title,
                                          e->kernel ? " has no root filesystem (rootfs), skipped"
                                                    : " has no kernel, skipped");
                config_entry_done(e);
        }
        cfg->n_entries = k;
        return r < 0 ? r : 0;
}

int config_parse(const char *data, size_t len, const struct config_source *src, struct config *ret,
                 struct diag_list *diags)
{
        struct config cfg = {0};
        struct config_parser p = {.config = &cfg, .src = src, .diags = diags};
        struct parse_ctx c = {.p = &p};
        _cleanup_free_ char *buf = NULL;
        size_t cap = 0, pos = 0;
        unsigned lineno = 0;
        int r;

        /* A UTF-8 byte order mark, as some Windows editors write. */
        if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
                pos = 3;

        while (pos < len) {
                const char *s = data + pos;
                const char *nl = memchr(s, '\n', len - pos);
                size_t n = nl ? (size_t) (nl - s) : len - pos;

                if (lineno < UINT_MAX)
                        lineno++;
                pos += n + 1;
                if (memchr(s, 0, n)) {
                        r = report(&c, lineno, "line contains a NUL byte, ignored");
                        if (r < 0)
                                goto fail;
                        continue;
                }
                r = UTIL_GROW(buf, cap, n + 1);
                if (r < 0)
                        goto fail;
                memcpy(buf, s, n);
                buf[n] = 0;
                r = apply_line(&c, buf, lineno);
                if (r < 0)
                        goto fail;
        }
        mount_index_done(&c.mounts);
        r = finish(&c);
        if (r < 0)
                goto fail;
        *ret = cfg;
        return 0;
fail:
        mount_index_done(&c.mounts);
        config_done(&cfg);
        return r;
}

const struct config_mount *config_entry_root(const struct config_entry *e)
{
        for (size_t i = 0; i < e->n_mounts; i++)
                if (e->mounts[i].mountpoint && streq(e->mounts[i].mountpoint, "/"))
                        return &e->mounts[i];
        return NULL;
}

int config_entry_check(const struct config_entry *e, const char **ret_why)
{
        const char *why = NULL;

        if (isempty(e->kernel))
                why = "has no kernel";
        else if (!config_entry_root(e))
                why = "has no root filesystem";
        if (!why)
                return 0;
        if (ret_why)
                *ret_why = why;
        return -EINVAL;
}

char *config_entry_command_line(const struct config_entry *e)
{
        if (!isempty(e->cmdline) && !isempty(e->append))
                return util_asprintf("%s %s", e->cmdline, e->append);
        if (!isempty(e->cmdline))
                return strdup(e->cmdline);
        if (!isempty(e->append))
                return strdup(e->append);
        return strdup("");
}

static bool is_fstype_char(char ch)
{
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
               ch == '_' || ch == '.' || ch == '+' || ch == '-';
}

int config_split_fstype(const char *spec, char **ret_fstype, char **ret_device)
{
        _cleanup_free_ char *fstype = NULL, *device = NULL;
        const char *colon = strchr(spec, ':'), *dev = spec;

        if (colon && colon > spec && spec[0] != '/' && spec[0] != '(') {
                bool ok = true;

                for (const char *s = spec; s < colon; s++)
                        if (!is_fstype_char(*s)) {
                                ok = false;
                                break;
                        }
                if (ok) {
                        dev = colon + 1;
                        if ((size_t) (colon - spec) != 4 || strncasecmp(spec, "auto", 4) != 0) {
                                fstype = strndup(spec, (size_t) (colon - spec));
                                if (!fstype)
                                        return -ENOMEM;
                        }
                }
        }
        if (!*dev)
                return -EINVAL;
        device = strdup(dev);
        if (!device)
                return -ENOMEM;
        if (ret_fstype) {
                *ret_fstype = fstype;
                fstype = NULL;
        }
        if (ret_device) {
                *ret_device = device;
                device = NULL;
        }
        return 0;
}

char *config_normalize_mountpoint(const char *mp)
{
        char *out = malloc(strlen(mp) + 2), *o = out;

        if (!out)
                return NULL;
        for (;;) {
                size_t n;

                mp += strspn(mp, "/");
                n = strcspn(mp, "/");
                if (n == 0)
                        break;
                if (n == 2 && mp[0] == '.' && mp[1] == '.') {
                        /* Up one level, never above the root of the entry. */
                        while (o > out && *--o != '/')
                                ;
                } else if (n != 1 || mp[0] != '.') {
                        *o++ = '/';
                        memcpy(o, mp, n);
                        o += n;
                }
                mp += n;
        }
        if (o == out)
                *o++ = '/';
        *o = 0;
        return out;
}

void config_entry_done(struct config_entry *e)
{
        free(e->title);
        free(e->kernel);
        strv_free(e->initrds);
        free(e->cmdline);
        free(e->append);
        free(e->users);
        strv_free(e->modules);
        for (size_t i = 0; i < e->n_mounts; i++) {
                free(e->mounts[i].device);
                free(e->mounts[i].fstype);
                free(e->mounts[i].mountpoint);
        }
        free(e->mounts);
        *e = (struct config_entry){0};
}

void config_done(struct config *c)
{
        for (size_t i = 0; i < c->n_entries; i++)
                config_entry_done(&c->entries[i]);
        free(c->entries);
        free(c->theme);
        free(c->keymap);
        free(c->grub_root);
        auth_set_unref(c->auth);
        *c = (struct config){0};
}

struct config_entry *config_add_entry(struct config *c)
{
        if (UTIL_GROW(c->entries, c->cap_entries, c->n_entries + 1) < 0)
                return NULL;
        c->entries[c->n_entries] = (struct config_entry){0};
        return &c->entries[c->n_entries++];
}

int config_default_index(const struct config *c)
{
        if (c->n_entries == 0)
                return -1;
        for (size_t i = 0; i < c->n_entries; i++)
                if (c->entries[i].is_default)
                        return i > INT_MAX ? 0 : (int) i;
        return 0;
}
