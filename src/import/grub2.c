/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GRUB 2's grub.cfg, interpreted rather than grepped: grub2-parse.c turns the script into a tree,
 * and this evaluator runs it the way GRUB would at menu time, with the commands that matter here
 * (set, search, load_env, source, configfile, linux, initrd, …). Menu entry bodies are evaluated
 * right after their definition with a copy of the environment, to find what GRUB would load when
 * the entry is booted. Step and depth limits stop runaway scripts. */
#define LOG_MODULE "grub2"

#include <ctype.h>

#include "grub2-internal.h"
#include "grubenv.h"

#include "../core/fsread.h"
#include "../core/log.h"

#define GRUBENV_MAX (64u << 10)

/* Variables; a menu entry body runs in a scope over its parent (values NULL: unset there). */
struct env {
        char **names, **vals;
        size_t n, cap, cap_vals;
        size_t bytes; /* names and values */
        struct env *parent;
};

/* The bounds on values and totals; each is reported once per import. */
enum bound {
        BOUND_VALUE,
        BOUND_VARS,
        BOUND_ENV,
        BOUND_WORD,
        BOUND_LINE,
        BOUND_CMDLINE,
        BOUND_ENTRIES,
        BOUND_OUTPUT
};

struct func {
        char *name;
        struct grub2_node *body;
};

struct entry_meta {
        int *pos;      /* index at each level, depth+1 */
        char **subids; /* ids of the enclosing submenus ("" when none) */
        unsigned gen;
};

struct ctx {
        const struct import_fs *fs;
        struct import_result *res;
        struct env *env;
        char **pos; /* positional parameters ($1 = pos[0]) */
        struct func *funcs;
        size_t n_funcs, cap_funcs;
        struct grub2_script *scripts;
        unsigned long steps;
        unsigned depth;
        int status;
        bool oom, abort, brk, cont, ret, exit_;
        bool unwind;          /* calls nested too deep: unwinding up to the outermost one */
        unsigned nest;        /* blocks being run, across calls and sourced files */
        size_t read;          /* bytes of scripts read */
        unsigned bounds_hit;  /* 1 << enum bound */
        bool too_long;        /* the word or command being expanded went past a bound */
        enum bound long_kind; /* which: BOUND_WORD or BOUND_LINE */
        size_t expanded;      /* bytes made by expansion */
        size_t out_bytes;     /* bytes of the entries made */
        size_t first;         /* entries there before this import */
        size_t diags_max;     /* diagnostics: the count at the start + GRUB2_MAX_DIAGS */
        char *next_entry, *saved_entry; /* as load_env read them (grub-reboot, savedefault) */
        long entry;                     /* index of the entry being evaluated, -1 none */
        char **submenu, **subids;
        int counters[GRUB2_MAX_DEPTH + 2];
        unsigned level;
        struct entry_meta *meta;
        size_t cap_meta;
        unsigned gen;
        const struct grub2_script *cur; /* for diagnostics */
        unsigned line;
        struct grub2_mnt *loops; /* loopback devices: name -> device spec of the image */
        size_t n_loops, cap_loops;
        struct grub2_mnt *subvols; /* btrfs-mount-subvol: directory -> subvolume, on a device */
        size_t n_subvols, cap_subvols;
        char **params;              /* the positional parameters setparams made for this scope */
        struct grub2_budget budget; /* what grub2-cmds.c spent */
        struct auth_set *auth;      /* password, password_pbkdf2: the users of this import */
        bool gate_unrestricted;     /* the enclosing submenus' gates, combined (auth.h) */
        char *gate_users;
};

/* A loopback device (name: "loop", spec: the ISO image's, import.h); a btrfs-mount-subvol mount
 * (name: the directory, spec: the subvolume's, dev: the filesystem's). */
struct grub2_mnt {
        char *name;
        char *spec;
        char *dev;
};

#define GRUB2_MAX_MOUNTS 64 /* loopback devices and btrfs-mount-subvol mounts */

static void *steal_ptr(void *p)
{
        void **pp = p, *v = *pp;

        *pp = NULL;
        return v;
}
#define util_steal(p) steal_ptr(p)

static void diag(struct ctx *c, unsigned line, const char *fmt, ...) _printf_(3, 4);
static void diag(struct ctx *c, unsigned line, const char *fmt, ...)
{
        const char *dev = c->cur && c->cur->dev ? c->cur->dev : c->fs->dev;
        va_list ap;

        va_start(ap, fmt);
        grub2_diag_vadd(&c->res->diags, c->diags_max, dev, c->cur ? c->cur->path : NULL, line,
                        &c->oom, fmt, ap);
        va_end(ap);
}

/* A diagnostic on a file as a whole (no line), not the one being run. */
static void diag_file(struct ctx *c, const char *dev, const char *path, const char *fmt, ...)
        _printf_(4, 5);
static void diag_file(struct ctx *c, const char *dev, const char *path, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        grub2_diag_vadd(&c->res->diags, c->diags_max, dev ? dev : c->fs->dev, path, 0, &c->oom, fmt,
                        ap);
        va_end(ap);
}

/* ---- environment ---- */

static void env_free(struct env *e)
{
        if (!e)
                return;
        for (size_t i = 0; i < e->n; i++) {
                free(e->names[i]);
                free(e->vals[i]);
        }
        free(e->names);
        free(e->vals);
        free(e);
}

/* The slot of name in e itself (not its parents), or -1. */
static ssize_t env_find(const struct env *e, const char *name)
{
        for (size_t i = 0; i < e->n; i++)
                if (streq(e->names[i], name))
                        return (ssize_t) i;
        return -1;
}

static const char *env_get(const struct env *e, const char *name)
{
        for (; e; e = e->parent) {
                ssize_t i = env_find(e, name);

                if (i >= 0)
                        return e->vals[i]; /* NULL: unset here */
        }
        return NULL;
}

/* Variables and bytes in e and its parents. */
static void env_size(const struct env *e, size_t *ret_n, size_t *ret_bytes)
{
        *ret_n = *ret_bytes = 0;
        for (; e; e = e->parent) {
                *ret_n += e->n;
                *ret_bytes += e->bytes;
        }
}

static size_t slot_bytes(const char *name, const char *val)
{
        return strlen(name) + (val ? strlen(val) : 0) + 2;
}

/* Sets name in e itself; val NULL marks it unset (hiding the parents' value). */
static int env_put(struct env *e, const char *name, const char *val)
{
        ssize_t i = env_find(e, name);
        char *v = NULL, *nm;

        if (val && !(v = strdup(val)))
                return -ENOMEM;
        if (i >= 0) {
                e->bytes -= slot_bytes(name, e->vals[i]);
                e->bytes += slot_bytes(name, v);
                free(e->vals[i]);
                e->vals[i] = v;
                return 0;
        }
        nm = strdup(name);
        if (!nm || UTIL_GROW(e->names, e->cap, e->n + 1) < 0 ||
            UTIL_GROW(e->vals, e->cap_vals, e->n + 1) < 0) {
                free(nm);
                free(v);
                return -ENOMEM;
        }
        e->names[e->n] = nm;
        e->vals[e->n++] = v;
        e->bytes += slot_bytes(name, v);
        return 0;
}

static int env_set(struct env *e, const char *name, const char *val)
{
        return env_put(e, name, val ? val : "");
}

static void env_unset(struct env *e, const char *name)
{
        ssize_t i = env_find(e, name);

        if (e->parent && env_get(e->parent, name)) {
                (void) env_put(e, name, NULL); /* on OOM the parent's value shows */
                return;
        }
        if (i < 0)
                return;
        e->bytes -= slot_bytes(name, e->vals[i]);
        free(e->names[i]);
        free(e->vals[i]);
        memmove(e->names + i, e->names + i + 1, (e->n - (size_t) i - 1) * sizeof(char *));
        memmove(e->vals + i, e->vals + i + 1, (e->n - (size_t) i - 1) * sizeof(char *));
        e->n--;
}

/* A scope over e: what is set in it is gone when it is freed (a menu entry body). Linear in
 * what the body sets, not in the size of the environment. */
static struct env *env_child(struct env *e)
{
        struct env *n = calloc(1, sizeof(*n));

        if (n)
                n->parent = e;
        return n;
}

/* Reports the first time a bound is hit (which, and where); later hits only count. */
static void bound_hit(struct ctx *c, enum bound b, unsigned line, const char *fmt, ...)
        _printf_(4, 5);
static void bound_hit(struct ctx *c, enum bound b, unsigned line, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int r;

        if (c->bounds_hit & (1u << b))
                return;
        c->bounds_hit |= 1u << b;
        va_start(ap, fmt);
        r = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (r < 0) {
                c->oom = true;
                return;
        }
        diag(c, line, "%s (further ones not reported)", msg);
}

/* Sets a variable unless a bound says no (then a diagnostic; the old value stays). */
static void set_var(struct ctx *c, const char *name, const char *val)
{
        size_t n, bytes, l = val ? strlen(val) : 0;

        if (l > GRUB2_MAX_VALUE) {
                bound_hit(c, BOUND_VALUE, c->line,
                          "%s: value longer than %d bytes, variable not set", name,
                          GRUB2_MAX_VALUE);
                return;
        }
        env_size(c->env, &n, &bytes);
        if (n >= GRUB2_MAX_VARS && !env_get(c->env, name)) {
                bound_hit(c, BOUND_VARS, c->line, "more than %d variables, %s not set",
                          GRUB2_MAX_VARS, name);
                return;
        }
        if (bytes + slot_bytes(name, val) > GRUB2_MAX_ENV) {
                bound_hit(c, BOUND_ENV, c->line,
                          "variables larger than %d bytes in all, %s not set", GRUB2_MAX_ENV, name);
                return;
        }
        if (env_set(c->env, name, val) < 0)
                c->oom = true;
}

static const char *get_var(struct ctx *c, const char *name)
{
        const char *v = env_get(c->env, name);
        return v ? v : "";
}

/* ---- expansion ---- */

/* Length of the variable reference at p ("$x", "${x}", "$1", "$#"), its name in *name. */
static size_t var_ref(const char *p, char *name, size_t size)
{
        size_t l = 0, k = 0;

        if (p[0] != '$')
                return 0;
        if (p[1] == '{') {
                const char *e = strchr(p + 2, '}');

                if (!e)
                        return 0;
                l = (size_t) (e - (p + 2));
                if (l >= size)
                        l = size - 1;
                memcpy(name, p + 2, l);
                name[l] = 0;
                return (size_t) (e - p) + 1;
        }
        if (p[1] == '#' || p[1] == '?' || p[1] == '@' || p[1] == '*') {
                name[0] = p[1];
                name[1] = 0;
                return 2;
        }
        if (isdigit((unsigned char) p[1])) {
                for (k = 1; isdigit((unsigned char) p[k]); k++)
                        if (l < size - 1)
                                name[l++] = p[k];
        } else {
                for (k = 1; isalnum((unsigned char) p[k]) || p[k] == '_'; k++)
                        if (l < size - 1)
                                name[l++] = p[k];
        }
        name[l] = 0;
        return l ? k : 0;
}

/* The value of a variable as a new string. */
static char *var_value(struct ctx *c, const char *name)
{
        size_t np = strv_length(c->pos);

        if (streq(name, "#"))
                return util_asprintf("%zu", np);
        if (streq(name, "?"))
                return util_asprintf("%d", c->status);
        if (streq(name, "@") || streq(name, "*"))
                return strv_join(c->pos, " ");
        if (isdigit((unsigned char) name[0])) {
                unsigned long i = strtoul(name, NULL, 10);

                return strdup(i >= 1 && i <= np ? c->pos[i - 1] : "");
        }
        return strdup(get_var(c, name));
}

/* One field being made: its text, and the same for GRUB's wildcard module (commands/wildcard.c)
 * with the characters that came quoted or escaped escaped again by '\\', as GRUB's
 * wildcard_escape does; wild when an unquoted '*' or '?' is in it. */
struct field {
        struct grub2_sb s, pat;
        bool have, wild;
};

static void field_put(struct field *f, char ch, bool literal)
{
        grub2_sb_putc(&f->s, ch);
        if (literal && (ch == '*' || ch == '?' || ch == '\\'))
                grub2_sb_putc(&f->pat, '\\');
        else if (ch == '*' || ch == '?')
                f->wild = true;
        grub2_sb_putc(&f->pat, ch);
        f->have = true;
}

/* n characters that are neither wildcards nor backslashes, at once (a value's long runs) */
static void field_putn(struct field *f, const char *s, size_t n)
{
        grub2_sb_putn(&f->s, s, n);
        grub2_sb_putn(&f->pat, s, n);
        f->have = f->have || n;
}

static void field_puts(struct field *f, const char *s, bool literal)
{
        for (; s && *s; s++)
                field_put(f, *s, literal);
}

/* Ends the field and appends it to out, or what its wildcards match (a word that matches
 * nothing stays as it is, as in GRUB); counts what expansion made. */
static void push_field(struct ctx *c, struct grub2_wv *out, struct field *f)
{
        size_t before = out->n;

        if (f->s.oom || f->pat.oom)
                c->oom = true;
        if (f->wild && f->pat.n && strchr("/(*", f->pat.s[0]) && !c->oom) {
                int r = grub2_glob(c, f->pat.s, out);

                if (r < 0)
                        c->oom = true;
                if (r > 0) {
                        for (size_t i = before; i < out->n; i++)
                                c->expanded += strlen(out->v[i]);
                        free(f->s.s);
                        goto done;
                }
        }
        c->expanded += f->s.n;
        if (grub2_wv_consume(out, grub2_sb_take(&f->s)) < 0)
                c->oom = true;
done:
        free(f->pat.s);
        *f = (struct field){0};
}

/* \xHH: a backslash, x and two hex digits. */
static bool is_hex_escape(const char *p)
{
        return p[0] == '\\' && p[1] == 'x' && isxdigit((unsigned char) p[2]) &&
               isxdigit((unsigned char) p[3]);
}

/* Expands one raw word into fields (appended to *out): quotes removed, escapes applied,
 * variables substituted; unquoted variable values are split on blanks as GRUB does, and
 * unquoted wildcards in paths expanded (grub2_glob). */
static void expand_word(struct ctx *c, const char *raw, struct grub2_wv *out)
{
        struct field f = {0};
        const char *p = raw;
        char name[256];

        while (*p && !c->oom && !c->too_long) {
                size_t l;

                if (f.s.n > GRUB2_MAX_WORD) {
                        c->too_long = true;
                        c->long_kind = BOUND_WORD;
                        break;
                }
                if (is_hex_escape(p)) {
                        /* Fedora's GRUB keeps \xHH (LABEL=CentOS\x207\x20x86_64) */
                        for (int i = 0; i < 4; i++)
                                field_put(&f, *p++, true);
                } else if (*p == '\\') {
                        p++;
                        if (*p)
                                field_put(&f, *p++, true);
                        f.have = true;
                } else if (*p == '\'') {
                        p++;
                        f.have = true;
                        while (*p && *p != '\'')
                                field_put(&f, *p++, true);
                        if (*p)
                                p++;
                } else if (*p == '"') {
                        p++;
                        f.have = true;
                        while (*p && *p != '"') {
                                if (*p == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == '$')) {
                                        field_put(&f, p[1], true);
                                        p += 2;
                                } else if (p[0] == '\\' && p[1] == '\n') {
                                        p += 2; /* a line continued inside quotes */
                                } else if (*p == '$' && (l = var_ref(p, name, sizeof(name)))) {
                                        _cleanup_free_ char *v = var_value(c, name);

                                        if (!v)
                                                c->oom = true;
                                        field_puts(&f, v, true);
                                        p += l;
                                } else
                                        field_put(&f, *p++, true);
                        }
                        if (*p)
                                p++;
                } else if (*p == '$' && (l = var_ref(p, name, sizeof(name)))) {
                        _cleanup_free_ char *v = var_value(c, name);

                        if (!v)
                                c->oom = true;
                        for (const char *q = v; q && *q; q++) {
                                size_t run = strcspn(q, " \t\r\n\\*?");

                                if (run > 1) { /* the same as field_put() one by one */
                                        field_putn(&f, q, run);
                                        q += run - 1;
                                } else if (grub2_is_blank(*q) || *q == '\n') {
                                        if (f.have)
                                                push_field(c, out, &f);
                                } else
                                        /* a value's backslashes are its own, and so is a
                                         * wildcard right after one (GRUB's \* -> \\\*) */
                                        field_put(&f, *q, *q == '\\' || (q > v && q[-1] == '\\'));
                        }
                        p += l;
                } else
                        field_put(&f, *p++, false);
        }
        if (f.s.n > GRUB2_MAX_WORD && !c->too_long) {
                c->too_long = true;
                c->long_kind = BOUND_WORD;
        }
        /* A word dropped for its length was made all the same: its bytes count towards
         * GRUB2_MAX_EXPANDED, or a script repeating such a command would run its 100 000
         * commands at 64 KiB each (minutes of CPU) with no bound stopping it. */
        if (c->too_long)
                c->expanded += f.s.n;
        if (f.have && !c->too_long && !c->oom)
                push_field(c, out, &f);
        if (f.s.oom || f.pat.oom)
                c->oom = true;
        free(f.s.s);
        free(f.pat.s);
}

/* Says which bound the last expansion went past (once per import), and forgets it. */
static void report_too_long(struct ctx *c)
{
        bool word = c->long_kind == BOUND_WORD;

        c->too_long = false;
        bound_hit(c, c->long_kind, c->line, "a %s longer than %d bytes: command not run",
                  word ? "word" : "command", word ? GRUB2_MAX_WORD : GRUB2_MAX_LINE);
}

/* The fields of raw words; NULL when they cannot be had (OOM, or too long: a diagnostic). */
static char **expand_words(struct ctx *c, char *const *raw)
{
        struct grub2_wv out = {0};
        size_t total = 0;

        for (; raw && *raw && !c->too_long; raw++) {
                size_t before = out.n;

                expand_word(c, *raw, &out);
                for (size_t i = before; i < out.n; i++)
                        total += strlen(out.v[i]) + 1;
                if (total > GRUB2_MAX_LINE && !c->too_long) {
                        c->too_long = true;
                        c->long_kind = BOUND_LINE;
                }
        }
        if (c->expanded > GRUB2_MAX_EXPANDED && !c->abort) {
                diag(c, c->line, "more than %d bytes of words made, script stopped",
                     GRUB2_MAX_EXPANDED);
                c->abort = true;
        }
        if (c->too_long || c->abort) {
                if (c->too_long)
                        report_too_long(c);
                strv_free(out.v);
                return NULL;
        }
        if (!out.v && !(out.v = calloc(1, sizeof(char *))))
                c->oom = true;
        return out.v;
}

/* ---- devices and paths ---- */

/* A GRUB device name ("hd0,gpt2", "hd0,1", "(hd0,msdos1)") or a backend spec as the device spec
 * for import_file (NULL = the imported filesystem). */
static char *dev_spec(struct ctx *c, const char *name)
{
        _cleanup_free_ char *d = NULL;
        size_t l;
        const char *p;

        if (name[0] == '(') {
                d = strdup(name + 1);
                if (!d)
                        goto oom;
                l = strlen(d);
                if (l && d[l - 1] == ')')
                        d[l - 1] = 0;
        } else if (!(d = strdup(name)))
                goto oom;
        for (size_t i = 0; i < c->n_loops; i++)
                if (streq(c->loops[i].name, d)) {
                        char *r = strdup(c->loops[i].spec);

                        if (!r)
                                goto oom;
                        return r;
                }
        if (isempty(d) || streq_ptr(d, c->fs->dev))
                return NULL;
        if ((startswith(d, "hd") || startswith(d, "fd") || startswith(d, "cd")) &&
            isdigit((unsigned char) d[2])) {
                struct grub2_sb b = {0};
                char *r;

                grub2_sb_putc(&b, '(');
                for (p = d; *p && *p != ','; p++)
                        grub2_sb_putc(&b, *p);
                while (*p == ',') {
                        grub2_sb_putc(&b, *p++);
                        if (isdigit((unsigned char) *p))
                                grub2_sb_puts(&b, "msdos");
                        while (*p && *p != ',')
                                grub2_sb_putc(&b, *p++);
                }
                grub2_sb_putc(&b, ')');
                r = grub2_sb_take(&b);
                if (!r)
                        goto oom;
                return r;
        }
        if (d[0] != '/' && !strchr(d, '=') && strchr(d, '-') &&
            strspn(d, "0123456789abcdefABCDEF-") == strlen(d)) {
                char *r = util_asprintf("UUID=%s", d);

                if (!r)
                        goto oom;
                return r;
        }
        return util_steal(&d);
oom:
        c->oom = true;
        return NULL;
}

/* openSUSE's btrfs-mount-subvol: a path on a device at or below a directory given a subvolume
 * is that path's rest inside the subvolume (the longest such directory wins, as in SUSE's
 * find_mtab_subvol_tree; here only at a '/' boundary). *dev and *path are replaced. */
static int subvol_map(struct ctx *c, char **dev, char **path)
{
        const struct grub2_mnt *best = NULL;
        size_t best_len = 0;
        char *nd, *np;

        if (*dev && strchr(*dev, IMPORT_SPEC_SEP))
                return 0; /* a loop device or a subvolume already */
        for (size_t i = 0; i < c->n_subvols; i++) {
                const struct grub2_mnt *m = &c->subvols[i];
                size_t l = strlen(m->name);

                while (l > 0 && m->name[l - 1] == '/')
                        l--;
                if (!streq_ptr(m->dev, *dev) || strncmp(*path, m->name, l) != 0 ||
                    ((*path)[l] != '/' && (*path)[l] != 0) || (best && l <= best_len))
                        continue;
                best = m;
                best_len = l;
        }
        if (!best)
                return 0;
        nd = import_spec_join(*dev, best->spec, NULL);
        np = strdup((*path)[best_len] ? *path + best_len : "/");
        if (!nd || !np) {
                free(nd);
                free(np);
                return -ENOMEM;
        }
        free(*dev);
        free(*path);
        *dev = nd;
        *path = np;
        return 0;
}

/* Splits "(dev)/path" or "/path" (on $root) into a device spec and an absolute path. */
static int resolve_path(struct ctx *c, const char *arg, char **ret_dev, char **ret_path)
{
        _cleanup_free_ char *dev = NULL, *path = NULL;
        const char *rest = arg;

        if (arg[0] == '(') {
                const char *e = strchr(arg, ')');
                _cleanup_free_ char *name = NULL;

                if (!e)
                        return -EINVAL;
                name = strndup(arg + 1, (size_t) (e - arg - 1));
                if (!name)
                        goto oom;
                dev = dev_spec(c, name);
                rest = e + 1;
        } else
                dev = dev_spec(c, get_var(c, "root"));
        if (c->oom)
                return -ENOMEM;
        path = rest[0] == '/' ? strdup(rest) : util_asprintf("/%s", rest);
        if (!path)
                goto oom;
        if (c->n_subvols > 0 && subvol_map(c, &dev, &path) < 0)
                goto oom;
        *ret_dev = util_steal(&dev);
        *ret_path = util_steal(&path);
        return 0;
oom:
        c->oom = true;
        return -ENOMEM;
}

/* ---- script loading ---- */

/* Reads and parses a file (dev NULL = fs->dev). NULL when it cannot be read (diagnostic given). */
static struct grub2_script *load_script(struct ctx *c, const char *dev, const char *path,
                                        unsigned line)
{
        _cleanup_free_ char *data = NULL;
        struct grub2_script *s;
        size_t len;
        int r;

        /* A file sourced again (a loop, a recursion) is parsed once. */
        for (s = c->scripts; s; s = s->next)
                if (!s->eval && streq_ptr(s->dev, dev) && streq(s->path, path))
                        return s;
        if (c->read >= GRUB2_MAX_READ) {
                diag(c, line, "%s: more than %u bytes of scripts read, not read", path,
                     GRUB2_MAX_READ);
                return NULL;
        }
        r = c->fs->read(c->fs->userdata, dev, path, GRUB2_MAX_SIZE, &data, &len);
        if (r < 0) {
                char why[64];

                if (r == -EFBIG)
                        snprintf(why, sizeof(why), "larger than %u bytes", GRUB2_MAX_SIZE);
                else
                        snprintf(why, sizeof(why), "%s", fsread_strerror(r));
                if (r == -ENOMEM)
                        c->oom = true;
                else if (!c->cur)
                        /* the imported file itself: the diagnostic is on it */
                        diag_file(c, dev, path, "%s: not read", why);
                else
                        diag(c, line, "cannot read %s%s%s: %s", dev ? dev : "", dev ? ":" : "",
                             path, why);
                return NULL;
        }
        s = calloc(1, sizeof(*s));
        if (!s || !(s->path = strdup(path)) || (dev && !(s->dev = strdup(dev)))) {
                if (s)
                        grub2_script_free(s);
                c->oom = true;
                return NULL;
        }
        c->read += len;
        s->next = c->scripts;
        c->scripts = s;
        if (grub2_script_parse(s, data, len, &c->res->diags, c->diags_max, c->fs->dev) < 0) {
                c->oom = true;
                return NULL;
        }
        return s;
}

/* ---- evaluation ---- */

static int exec_node(struct ctx *c, struct grub2_node *n);

static bool stopped(const struct ctx *c)
{
        return c->oom || c->abort || c->unwind || c->brk || c->cont || c->ret || c->exit_;
}

/* Enters a function call or a sourced file; false when GRUB2_MAX_DEPTH are open already: then
 * the calls unwind up to the outermost one, and the statement after it runs (with a note). */
static bool call_enter(struct ctx *c)
{
        if (c->depth >= GRUB2_MAX_DEPTH) {
                c->unwind = true;
                return false;
        }
        c->depth++;
        return true;
}

static void call_leave(struct ctx *c)
{
        if (--c->depth == 0)
                c->unwind = false;
}

static struct import_entry *cur_entry(struct ctx *c)
{
        return c->entry >= 0 ? &c->res->entries[c->entry] : NULL;
}

static int exec_script(struct ctx *c, struct grub2_script *s, char **args)
{
        char **saved_pos = c->pos;
        const struct grub2_script *saved_cur = c->cur;
        int st;

        c->pos = args ? args : saved_pos;
        c->cur = s;
        st = exec_node(c, s->root);
        c->exit_ = false;
        c->ret = false;
        c->pos = saved_pos;
        c->cur = saved_cur;
        return st;
}

/* source/configfile: path relative to $prefix unless it names a device or is absolute. */
static int cmd_source(struct ctx *c, char **argv, size_t argc, bool configfile)
{
        _cleanup_free_ char *full = NULL, *dev = NULL, *path = NULL;
        unsigned line = c->line;
        struct grub2_script *s;
        int st;

        if (argc < 2) {
                diag(c, line, "%s: missing file name", argv[0]);
                return 1;
        }
        if (argv[1][0] != '/' && argv[1][0] != '(')
                full = util_asprintf("%s/%s", get_var(c, "prefix"), argv[1]);
        else
                full = strdup(argv[1]);
        if (!full) {
                c->oom = true;
                return 1;
        }
        if (resolve_path(c, full, &dev, &path) < 0) {
                if (!c->oom)
                        diag(c, line, "%s: bad path %s", argv[0], full);
                return 1;
        }
        s = load_script(c, dev, path, line);
        if (!s)
                return 1;
        if (!call_enter(c)) {
                diag(c, line, "%s %s: nesting deeper than %d, stopped", argv[0], full,
                     GRUB2_MAX_DEPTH);
                return 1;
        }
        if (configfile) {
                /* A new menu: its entries are added after the ones so far. */
                c->gen++;
                c->counters[0] = 0;
        }
        st = exec_script(c, s, NULL);
        call_leave(c);
        return st;
}

static int test_file(struct ctx *c, const char *arg, int *ret_type, uint64_t *ret_size)
{
        _cleanup_free_ char *dev = NULL, *path = NULL;

        *ret_type = 0;
        *ret_size = 0;
        if (resolve_path(c, arg, &dev, &path) < 0)
                return -1;
        *ret_type = c->fs->stat(c->fs->userdata, dev, path, ret_size);
        return 0;
}

static bool parse_num(const char *s, long long *ret)
{
        char *e;

        errno = 0;
        *ret = strtoll(s, &e, 10);
        return *s && !*e && errno == 0;
}

static bool test_expr(struct ctx *c, char **a, size_t n, size_t *i);

static bool test_primary(struct ctx *c, char **a, size_t n, size_t *i)
{
        const char *x;
        long long l, r;

        if (*i >= n)
                return false;
        if (streq(a[*i], "!")) {
                (*i)++;
                return !test_primary(c, a, n, i);
        }
        if (streq(a[*i], "(")) {
                bool v;

                (*i)++;
                v = test_expr(c, a, n, i);
                if (*i < n && streq(a[*i], ")"))
                        (*i)++;
                return v;
        }
        if (*i + 2 <= n) {
                const char *op = *i + 1 < n ? a[*i + 1] : "";
                const char *lhs = a[*i], *rhs = *i + 2 < n ? a[*i + 2] : NULL;

                if (rhs) {
                        bool v = false, known = true;

                        if (streq(op, "=") || streq(op, "=="))
                                v = streq(lhs, rhs);
                        else if (streq(op, "!="))
                                v = !streq(lhs, rhs);
                        else if (streq(op, "<"))
                                v = strcmp(lhs, rhs) < 0;
                        else if (streq(op, ">"))
                                v = strcmp(lhs, rhs) > 0;
                        else if (streq(op, "-eq") || streq(op, "-ne") || streq(op, "-lt") ||
                                 streq(op, "-gt") || streq(op, "-le") || streq(op, "-ge")) {
                                if (!parse_num(lhs, &l))
                                        l = strtoll(lhs, NULL, 10);
                                if (!parse_num(rhs, &r))
                                        r = strtoll(rhs, NULL, 10);
                                v = streq(op, "-eq")   ? l == r
                                    : streq(op, "-ne") ? l != r
                                    : streq(op, "-lt") ? l < r
                                    : streq(op, "-gt") ? l > r
                                    : streq(op, "-le") ? l <= r
                                                       : l >= r;
                        } else
                                known = false;
                        if (known) {
                                *i += 3;
                                return v;
                        }
                }
        }
        x = a[*i];
        if (*i + 1 < n && x[0] == '-' && x[1] && !x[2] && strchr("znefds", x[1])) {
                const char *arg = a[*i + 1];
                int type;
                uint64_t size;

                *i += 2;
                switch (x[1]) {
                case 'z':
                        return isempty(arg);
                case 'n':
                        return !isempty(arg);
                default:
                        if (test_file(c, arg, &type, &size) < 0)
                                return false;
                        return x[1] == 'e'   ? type != 0
                               : x[1] == 'f' ? type == 1
                               : x[1] == 'd' ? type == 2
                                             : type == 1 && size > 0;
                }
        }
        (*i)++;
        return !isempty(x);
}

static bool test_and(struct ctx *c, char **a, size_t n, size_t *i)
{
        bool v = test_primary(c, a, n, i);

        while (*i < n && streq(a[*i], "-a")) {
                (*i)++;
                v = test_primary(c, a, n, i) && v;
        }
        return v;
}

static bool test_expr(struct ctx *c, char **a, size_t n, size_t *i)
{
        bool v = test_and(c, a, n, i);

        while (*i < n && streq(a[*i], "-o")) {
                (*i)++;
                v = test_and(c, a, n, i) || v;
        }
        return v;
}

static int cmd_test(struct ctx *c, char **argv, size_t argc)
{
        size_t i = 0;

        if (streq(argv[0], "[")) {
                if (argc < 2 || !streq(argv[argc - 1], "]")) {
                        diag(c, c->line, "[: missing ']'");
                        return 1;
                }
                argc--;
        }
        if (argc <= 1)
                return 1;
        return test_expr(c, argv + 1, argc - 1, &i) ? 0 : 1;
}

static char *loop_search(struct ctx *c, const char *kind, const char *value);

/* search (GRUB's search_wrap.c): the kind by option, the variable only with --set (root when
 * --set names none); search.file, search.fs_uuid and search.fs_label set root or their second
 * argument. Every filesystem the backend knows is looked at (struct import_fs search). */
static int cmd_search(struct ctx *c, char **argv, size_t argc)
{
        bool wrap = !streq(argv[0], "search");
        const char *kind = NULL, *var = wrap ? "root" : NULL, *value = NULL;
        _cleanup_free_ char *found = NULL;

        if (streq(argv[0], "search.fs_uuid"))
                kind = "fs_uuid";
        else if (streq(argv[0], "search.fs_label"))
                kind = "label";
        else if (streq(argv[0], "search.file"))
                kind = "file";
        for (size_t i = 1; i < argc; i++) {
                const char *a = argv[i], *v;

                if (streq(a, "--fs-uuid") || streq(a, "-u"))
                        kind = "fs_uuid";
                else if (streq(a, "--label") || streq(a, "--fs-label") || streq(a, "-l"))
                        kind = "label";
                else if (streq(a, "--file") || streq(a, "-f"))
                        kind = "file";
                else if (streq(a, "--set") || streq(a, "-s"))
                        var = "root";
                else if ((v = startswith(a, "--set=")))
                        var = v;
                else if (startswith(a, "--hint")) {
                        if (!strchr(a, '=') && i + 1 < argc)
                                i++;
                } else if (a[0] == '-' && a[1])
                        ; /* --no-floppy, --efidisk-only, … */
                else if (!value)
                        value = a;
                else if (wrap)
                        var = a; /* positional form: search.fs_uuid UUID VAR */
        }
        if (!value) {
                diag(c, c->line, "search: nothing to search for");
                return 1;
        }
        if (!kind) {
                diag(c, c->line, "search %s: no --file, --label or --fs-uuid", value);
                return 1;
        }
        found = c->fs->search ? c->fs->search(c->fs->userdata, kind, value) : NULL;
        if (!found)
                found = loop_search(c, kind, value);
        if (!found) {
                log_debug("search %s %s: not found", kind, value);
                return 1;
        }
        if (var)
                set_var(c, var, found);
        return 0;
}

static int cmd_load_env(struct ctx *c, char **argv, size_t argc)
{
        _cleanup_free_ char *file = NULL, *dev = NULL, *path = NULL, *data = NULL;
        char **only = NULL;
        size_t len, n_only = 0;
        _cleanup_strv_ char **vars = NULL;
        int r;

        for (size_t i = 1; i < argc; i++) {
                if ((streq(argv[i], "-f") || streq(argv[i], "--file")) && i + 1 < argc) {
                        free(file);
                        file = strdup(argv[++i]);
                        if (!file)
                                goto oom;
                } else if (startswith(argv[i], "--file=")) {
                        free(file);
                        file = strdup(argv[i] + 7);
                        if (!file)
                                goto oom;
                } else if (argv[i][0] == '-')
                        ;
                else if (!only) {
                        only = argv + i;
                        n_only = argc - i;
                        break;
                }
        }
        if (!file && !(file = util_asprintf("%s/grubenv", get_var(c, "prefix"))))
                goto oom;
        if (resolve_path(c, file, &dev, &path) < 0)
                return c->oom ? 1 : (diag(c, c->line, "load_env: bad path %s", file), 1);
        r = c->fs->read(c->fs->userdata, dev, path, GRUBENV_MAX, &data, &len);
        if (r < 0) {
                if (r == -ENOMEM)
                        goto oom;
                if (r == -ENOENT || r == -ENOTDIR)
                        log_debug("load_env %s: %s", file, strerror(-r));
                else /* there, but not a file to read (a FIFO…) */
                        diag(c, c->line, "load_env: cannot read %s: %s", file, fsread_strerror(r));
                return 1;
        }
        r = grubenv_parse(data, len, &vars);
        if (r == -ENOMEM)
                goto oom;
        if (r < 0) {
                diag(c, c->line, "load_env: %s is not a GRUB environment block", file);
                return 1;
        }
        strv_foreach (kv, vars) {
                char *eq = strchr(kv, '=');
                bool want = !only;

                if (!eq)
                        continue;
                *eq = 0;
                for (size_t i = 0; i < n_only; i++)
                        if (streq(only[i], kv))
                                want = true;
                if (!want)
                        continue;
                set_var(c, kv, eq + 1);
                if ((streq(kv, "next_entry") && util_strdup_to(&c->next_entry, eq + 1) < 0) ||
                    (streq(kv, "saved_entry") && util_strdup_to(&c->saved_entry, eq + 1) < 0))
                        goto oom;
        }
        return 0;
oom:
        c->oom = true;
        return 1;
}

/* GRUB's grub_create_loader_cmdline: arguments joined by spaces, the ones with a space quoted. */
static char *make_cmdline(char *const *args)
{
        struct grub2_sb b = {0};

        for (size_t i = 0; args && args[i]; i++) {
                bool space = strpbrk(args[i], " \t") != NULL;

                if (i > 0)
                        grub2_sb_putc(&b, ' ');
                if (space)
                        grub2_sb_putc(&b, '"');
                for (const char *p = args[i]; *p; p++) {
                        if (is_hex_escape(p)) {
                                /* Fedora's grub_create_loader_cmdline passes \xHH unmolested */
                                grub2_sb_puts(&b, (char[]){p[0], p[1], p[2], p[3], 0});
                                p += 3;
                                continue;
                        }
                        if (*p == '\\' || *p == '"' || (*p == '\'' && space))
                                grub2_sb_putc(&b, '\\');
                        grub2_sb_putc(&b, *p);
                }
                if (space)
                        grub2_sb_putc(&b, '"');
        }
        return grub2_sb_take(&b);
}

static int cmd_linux(struct ctx *c, char **argv, size_t argc, bool multiboot)
{
        struct import_entry *e = cur_entry(c);
        _cleanup_free_ char *dev = NULL, *path = NULL;
        size_t k = 1;

        if (!e) {
                log_debug("%s outside a menu entry ignored", argv[0]);
                return 0;
        }
        while (k < argc && startswith(argv[k], "--"))
                k++; /* multiboot --quirk-…, linux --no-… */
        if (k >= argc) {
                diag(c, c->line, "%s: missing kernel path", argv[0]);
                return 1;
        }
        if (resolve_path(c, argv[k], &dev, &path) < 0)
                return c->oom ? 1 : (diag(c, c->line, "%s: bad path", argv[0]), 1);
        if (import_file_set(&e->kernel, dev, path) < 0)
                goto oom;
        free(e->cmdline);
        e->cmdline = make_cmdline(argv + k + 1);
        if (!e->cmdline)
                goto oom;
        if (strlen(e->cmdline) > GRUB2_MAX_CMDLINE) {
                bound_hit(c, BOUND_CMDLINE, c->line,
                          "%s: command line longer than %d bytes, kernel not used", argv[0],
                          GRUB2_MAX_CMDLINE);
                free(e->kernel.dev);
                free(e->kernel.path);
                e->kernel = (struct import_file){0};
                free(e->cmdline);
                e->cmdline = NULL;
                return 1;
        }
        e->multiboot = multiboot;
        return 0;
oom:
        c->oom = true;
        return 1;
}

static int cmd_initrd(struct ctx *c, char **argv, size_t argc)
{
        struct import_entry *e = cur_entry(c);

        if (!e)
                return 0;
        for (size_t i = 0; i < e->n_initrds; i++) {
                free(e->initrds[i].dev);
                free(e->initrds[i].path);
        }
        e->n_initrds = 0;
        for (size_t i = 1; i < argc; i++) {
                _cleanup_free_ char *dev = NULL, *path = NULL;

                if (startswith(argv[i], "--"))
                        continue; /* --nounzip */
                if (resolve_path(c, argv[i], &dev, &path) < 0) {
                        if (!c->oom)
                                diag(c, c->line, "%s: bad path %s", argv[0], argv[i]);
                        continue;
                }
                if (import_entry_add_initrd(e, dev, path) < 0) {
                        c->oom = true;
                        return 1;
                }
        }
        return 0;
}

/* The index of a command's FILE operand, after its --options, in *k; -EINVAL with a diagnostic
 * when there is none. */
static int file_operand(struct ctx *c, char **argv, size_t argc, size_t *k)
{
        while (*k < argc && startswith(argv[*k], "--"))
                (*k)++;
        if (*k >= argc) {
                diag(c, c->line, "%s: missing file", argv[0]);
                return -EINVAL;
        }
        return 0;
}

static int cmd_module(struct ctx *c, char **argv, size_t argc)
{
        struct import_entry *e = cur_entry(c);
        _cleanup_free_ char *dev = NULL, *path = NULL, *args = NULL;
        struct import_file *m;
        size_t k = 1;

        if (!e)
                return 0;
        if (file_operand(c, argv, argc, &k) < 0)
                return 1;
        if (resolve_path(c, argv[k], &dev, &path) < 0)
                return 1;
        args = make_cmdline(argv + k + 1);
        if (!args)
                goto oom;
        m = realloc(e->modules, (e->n_modules + 1) * sizeof(*m));
        if (!m)
                goto oom;
        e->modules = m;
        if (!e->module_args && !(e->module_args = calloc(1, sizeof(char *))))
                goto oom;
        if (strv_consume(&e->module_args, util_steal(&args)) < 0)
                goto oom;
        m[e->n_modules++] =
                (struct import_file){.dev = util_steal(&dev), .path = util_steal(&path)};
        return 0;
oom:
        c->oom = true;
        return 1;
}

static int cmd_set(struct ctx *c, char **argv, size_t argc)
{
        for (size_t i = 1; i < argc; i++) {
                char *eq = strchr(argv[i], '=');

                if (!eq) {
                        log_debug("set %s: no value", argv[i]);
                        continue;
                }
                *eq = 0;
                set_var(c, argv[i], eq + 1);
                *eq = '=';
        }
        return 0;
}

static int call_menu(struct ctx *c, struct grub2_node *n);

static int cmd_unset(struct ctx *c, char **argv, size_t argc)
{
        for (size_t i = 1; i < argc; i++)
                env_unset(c->env, argv[i]);
        return 0;
}

static int cmd_true(struct ctx *c, char **argv, size_t argc)
{
        return 0;
}

/* false, and keystatus: no key is held while the menu starts */
static int cmd_false(struct ctx *c, char **argv, size_t argc)
{
        return 1;
}

static int cmd_return(struct ctx *c, char **argv, size_t argc)
{
        c->ret = true;
        return argc > 1 ? atoi(argv[1]) : c->status;
}

static int cmd_break(struct ctx *c, char **argv, size_t argc)
{
        c->brk = true;
        return 0;
}

static int cmd_continue(struct ctx *c, char **argv, size_t argc)
{
        c->cont = true;
        return 0;
}

static int cmd_exit(struct ctx *c, char **argv, size_t argc)
{
        c->exit_ = true;
        return 0;
}

static int cmd_shift(struct ctx *c, char **argv, size_t argc)
{
        size_t k = argc > 1 ? (size_t) atoi(argv[1]) : 1, np = strv_length(c->pos);

        if (k > np)
                return 1;
        /* positional arrays belong to callers; shifting moves the view (none at the top) */
        if (k > 0)
                c->pos += k;
        return 0;
}

static int cmd_dot(struct ctx *c, char **argv, size_t argc)
{
        return cmd_source(c, argv, argc, false);
}

static int cmd_configfile(struct ctx *c, char **argv, size_t argc)
{
        return argc > 1 ? cmd_source(c, argv, argc, true) : 0;
}

static int cmd_kernel(struct ctx *c, char **argv, size_t argc)
{
        return cmd_linux(c, argv, argc, false);
}

static int cmd_multiboot(struct ctx *c, char **argv, size_t argc)
{
        return cmd_linux(c, argv, argc, true);
}

static int cmd_devicetree(struct ctx *c, char **argv, size_t argc)
{
        struct import_entry *e = cur_entry(c);
        _cleanup_free_ char *dev = NULL, *path = NULL;

        if (!e || argc < 2)
                return 0;
        if (resolve_path(c, argv[1], &dev, &path) < 0)
                return 1;
        free(e->devicetree);
        e->devicetree = util_steal(&path);
        return 0;
}

/* chainloader [--force] [--bpb] FILE: an EFI application the firmware starts (BootNext), or
 * `+1`, a BIOS boot sector (a block list), which nothing here can start. */
static int cmd_chainloader(struct ctx *c, char **argv, size_t argc)
{
        struct import_entry *e = cur_entry(c);
        _cleanup_free_ char *dev = NULL, *path = NULL;
        size_t k = 1;

        if (!e)
                return 0;
        if (file_operand(c, argv, argc, &k) < 0)
                return 1;
        /* A block list: "+1", "(hd0,1)+1" */
        if (strchr(argv[k], '+') && !strchr(argv[k], '/')) {
                if (!e->not_bootable &&
                    !(e->not_bootable = strdup("BIOS boot sector: kexec cannot start it")))
                        c->oom = true;
                return 0;
        }
        if (resolve_path(c, argv[k], &dev, &path) < 0)
                return 1;
        import_file_done(&e->efi);
        e->efi = (struct import_file){.dev = util_steal(&dev), .path = util_steal(&path)};
        e->action = IMPORT_ACTION_EFI_APP;
        return 0;
}

/* fwsetup [--is-supported]: in a menu entry, the firmware's setup (OsIndications); the test
 * answers whether the menu booted via UEFI (OsIndicationsSupported is the backend's to check). */
static int cmd_fwsetup(struct ctx *c, char **argv, size_t argc)
{
        struct import_entry *e = cur_entry(c);

        if (argc > 1 && streq(argv[1], "--is-supported"))
                return c->fs->efi ? 0 : 1;
        if (e && e->action == IMPORT_ACTION_KEXEC)
                e->action = IMPORT_ACTION_FW_SETUP;
        return 0;
}

/* ---- loopback ---- */

static void mnt_free(struct grub2_mnt *m)
{
        free(m->name);
        free(m->spec);
        free(m->dev);
}

/* GRUB searches its loop devices as devices too: search --file finds a file inside an image. */
static char *loop_search(struct ctx *c, const char *kind, const char *value)
{
        char *r;

        if (!streq(kind, "file"))
                return NULL;
        for (size_t i = 0; i < c->n_loops; i++)
                if (c->fs->stat(c->fs->userdata, c->loops[i].spec, value, NULL) == 1) {
                        if (!(r = strdup(c->loops[i].name)))
                                c->oom = true;
                        return r;
                }
        return NULL;
}

/* loopback [-d] NAME [FILE]: (NAME) is the ISO image FILE; its files are read through libarchive
 * by the import_fs (import.h: a spec with "iso"). An image inside an image is not read. */
static int cmd_loopback(struct ctx *c, char **argv, size_t argc)
{
        _cleanup_free_ char *dev = NULL, *path = NULL, *fsdev = NULL, *subvol = NULL, *iso = NULL,
                            *spec = NULL;
        bool del = false;
        size_t k = 1, i;
        int r;

        for (; k < argc && argv[k][0] == '-' && argv[k][1]; k++)
                if (streq(argv[k], "-d") || streq(argv[k], "--delete"))
                        del = true;
        if (k >= argc || (!del && k + 1 >= argc)) {
                diag(c, c->line, "loopback: missing %s", k >= argc ? "device name" : "file name");
                return 1;
        }
        for (i = 0; i < c->n_loops && !streq(c->loops[i].name, argv[k]); i++)
                ;
        if (del) {
                if (i == c->n_loops)
                        return 1;
                mnt_free(&c->loops[i]);
                c->loops[i] = c->loops[--c->n_loops];
                return 0;
        }
        if (resolve_path(c, argv[k + 1], &dev, &path) < 0)
                return c->oom ? 1 : (diag(c, c->line, "loopback: bad path %s", argv[k + 1]), 1);
        r = import_spec_split(dev, &fsdev, &subvol, &iso);
        if (r == -ENOMEM)
                goto oom;
        if (r < 0 || iso) {
                diag(c, c->line, "loopback %s: an image inside an image is not read", argv[k + 1]);
                return 1;
        }
        if (c->fs->stat(c->fs->userdata, dev, path, NULL) != 1) {
                diag(c, c->line, "loopback: %s not found", argv[k + 1]);
                return 1;
        }
        spec = import_spec_join(fsdev, subvol, path);
        if (!spec) {
                if (errno == ENOMEM)
                        goto oom;
                diag(c, c->line, "loopback: bad path %s", argv[k + 1]);
                return 1;
        }
        if (i == c->n_loops) {
                if (c->n_loops >= GRUB2_MAX_MOUNTS) {
                        diag(c, c->line, "loopback: more than %d devices", GRUB2_MAX_MOUNTS);
                        return 1;
                }
                if (UTIL_GROW(c->loops, c->cap_loops, c->n_loops + 1) < 0)
                        goto oom;
                c->loops[c->n_loops] = (struct grub2_mnt){.name = strdup(argv[k])};
                if (!c->loops[c->n_loops++].name)
                        goto oom;
        }
        free(c->loops[i].spec);
        c->loops[i].spec = util_steal(&spec);
        return 0;
oom:
        c->oom = true;
        return 1;
}

/* btrfs-mount-subvol DEVICE DIRECTORY SUBVOL (openSUSE's GRUB): files at or below DIRECTORY
 * of DEVICE are read from the subvolume SUBVOL (its path from the top-level subvolume), as if it
 * were mounted there. DIRECTORY must be a directory and SUBVOL a directory of the top level. */
static int cmd_btrfs_mount_subvol(struct ctx *c, char **argv, size_t argc)
{
        _cleanup_free_ char *dev = NULL, *dir = NULL, *spec = NULL;
        struct grub2_mnt *m = NULL;

        if (argc < 4) {
                diag(c, c->line, "btrfs-mount-subvol: required <dev> <dir> and <subvol>");
                return 1;
        }
        if (resolve_path(c, argv[1], &dev, &dir) < 0)
                return 1;
        free(dir);
        dir = argv[2][0] == '/' ? strdup(argv[2]) : util_asprintf("/%s", argv[2]);
        spec = import_spec_join(dev, argv[3], NULL);
        if (!dir || (!spec && errno == ENOMEM))
                goto oom;
        if (!spec || (dev && strchr(dev, IMPORT_SPEC_SEP))) {
                diag(c, c->line, "btrfs-mount-subvol: bad device or subvolume %s", argv[3]);
                return 1;
        }
        if (c->fs->stat(c->fs->userdata, dev, dir, NULL) != 2) {
                diag(c, c->line, "btrfs-mount-subvol: %s is not a directory", argv[2]);
                return 1;
        }
        if (c->fs->stat(c->fs->userdata, spec, "/", NULL) != 2) {
                diag(c, c->line, "btrfs-mount-subvol: %s: not a subvolume", argv[3]);
                return 1;
        }
        for (size_t i = 0; i < c->n_subvols; i++)
                if (streq_ptr(c->subvols[i].dev, dev) && streq(c->subvols[i].name, dir))
                        m = &c->subvols[i];
        if (!m) {
                if (c->n_subvols >= GRUB2_MAX_MOUNTS) {
                        diag(c, c->line, "btrfs-mount-subvol: more than %d mounts",
                             GRUB2_MAX_MOUNTS);
                        return 1;
                }
                if (UTIL_GROW(c->subvols, c->cap_subvols, c->n_subvols + 1) < 0)
                        goto oom;
                m = &c->subvols[c->n_subvols++];
                *m = (struct grub2_mnt){.name = util_steal(&dir), .dev = util_steal(&dev)};
        }
        free(m->spec);
        m->spec = strdup(argv[3]);
        if (!m->spec)
                goto oom;
        return 0;
oom:
        c->oom = true;
        return 1;
}

/* blscfg's $var: the GRUB environment (NULL when unset) */
static const char *blscfg_lookup(void *userdata, const char *name)
{
        return env_get(((struct ctx *) userdata)->env, name);
}

/* blscfg: the BLS entries of $root, as menu entries of the menu so far */
static int cmd_blscfg(struct ctx *c, char **argv, size_t argc)
{
        _cleanup_free_ char *dev = dev_spec(c, get_var(c, "root"));
        struct import_fs sub = *c->fs;
        size_t before = c->res->n;
        int r;

        if (c->oom)
                return 1;
        if (dev)
                sub.dev = dev;
        r = bls_import_grub(&sub, "/loader/entries", c->res,
                            &(struct bls_vars){.lookup = blscfg_lookup, .userdata = c});
        if (r == -ENOMEM)
                c->oom = true;
        for (size_t i = before; i < c->res->n; i++) {
                if (UTIL_GROW(c->meta, c->cap_meta, i + 1) < 0) {
                        c->oom = true;
                        return 1;
                }
                c->meta[i] = (struct entry_meta){0};
                c->meta[i].pos = calloc(1, sizeof(int));
                if (!c->meta[i].pos) {
                        c->oom = true;
                        return 1;
                }
                c->meta[i].pos[0] = c->counters[0]++;
                c->meta[i].gen = c->gen;
        }
        return r < 0 ? 1 : 0;
}

/* password USER PLAINTEXT, password_pbkdf2 USER HASH, password_argon2 USER HASH: the users of
 * this configuration (GRUB registers them when the script runs; inside a menu entry's body they
 * would only run when that entry boots: ignored there). */
static int cmd_password(struct ctx *c, char **argv, size_t argc)
{
        const char *why = NULL;
        int r;

        if (c->entry >= 0) {
                log_debug("%s:%u: %s inside a menu entry ignored", c->cur ? c->cur->path : "",
                          c->line, argv[0]);
                return 0;
        }
        if (argc != 3) {
                diag(c, c->line, "%s needs a user name and a password", argv[0]);
                return 1;
        }
        if (streq(argv[0], "password"))
                r = auth_set_password(c->auth, argv[1], argv[2]);
        else if (streq(argv[0], "password_pbkdf2"))
                r = auth_set_pbkdf2(c->auth, argv[1], argv[2], &why);
        else {
                _cleanup_free_ char *m =
                        util_asprintf("user %.64s's password is a %s hash, which cannot be "
                                      "checked here",
                                      argv[1], argv[0]);

                r = m ? auth_set_locked(c->auth, argv[1], m) : -ENOMEM;
                why = "this kind of hash is not supported";
        }
        if (r == -ENOMEM)
                c->oom = true;
        else if (r == -E2BIG)
                diag(c, c->line, "%s: too many users, or a user name too long: ignored", argv[0]);
        else if (r > 0)
                diag(c, c->line, "%s %.64s: %s; what needs this user stays locked", argv[0],
                     argv[1], why);
        return r < 0 ? 1 : 0;
}

/* Commands that change nothing a boot entry needs. */
static int cmd_ignore(struct ctx *c, char **argv, size_t argc)
{
        log_debug("%s:%u: %s ignored", c->cur ? c->cur->path : "", c->line, argv[0]);
        return 0;
}

/* ---- the interpreter as grub2-cmds.c sees it ---- */

const struct import_fs *grub2_fs(struct ctx *c)
{
        return c->fs;
}

struct grub2_budget *grub2_budget(struct ctx *c)
{
        return &c->budget;
}

const char *grub2_get(struct ctx *c, const char *name)
{
        return get_var(c, name);
}

void grub2_set(struct ctx *c, const char *name, const char *value)
{
        set_var(c, name, value);
}

void grub2_unset(struct ctx *c, const char *name)
{
        env_unset(c->env, name);
}

void grub2_diag(struct ctx *c, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;

        va_start(ap, fmt);
        msg = util_vasprintf(fmt, ap);
        va_end(ap);
        if (!msg) {
                c->oom = true;
                return;
        }
        diag(c, c->line, "%s", msg);
}

void grub2_oom(struct ctx *c)
{
        c->oom = true;
}

bool grub2_failed(struct ctx *c)
{
        return c->oom;
}

char *grub2_device(struct ctx *c, const char *name)
{
        return dev_spec(c, name);
}

int grub2_eval(struct ctx *c, const char *text)
{
        const struct grub2_script *saved = c->cur;
        size_t len = strlen(text);
        struct grub2_script *s;
        int st;

        if (c->read + len > GRUB2_MAX_READ) {
                diag(c, c->line, "eval: more than %u bytes of scripts read, not run",
                     GRUB2_MAX_READ);
                return 1;
        }
        s = calloc(1, sizeof(*s));
        if (!s || !(s->path = strdup(saved ? saved->path : "")) ||
            (saved && saved->dev && !(s->dev = strdup(saved->dev)))) {
                grub2_script_free(s);
                c->oom = true;
                return 1;
        }
        /* kept to the end: functions defined in it point into its tree */
        s->eval = true;
        s->next = c->scripts;
        c->scripts = s;
        c->read += len;
        if (grub2_script_parse(s, text, len, &c->res->diags, c->diags_max, c->fs->dev) < 0) {
                c->oom = true;
                return 1;
        }
        if (!call_enter(c)) {
                diag(c, c->line, "eval: nesting deeper than %d, stopped", GRUB2_MAX_DEPTH);
                return 1;
        }
        /* the current scope: return, break and continue reach the caller as in GRUB */
        c->cur = s;
        st = exec_node(c, s->root);
        c->cur = saved;
        call_leave(c);
        return st;
}

int grub2_setparams(struct ctx *c, char *const *params)
{
        char **p;

        if (!c->pos)
                return 1; /* GRUB: no function or menu entry, "invalid command" */
        p = strv_copy(params);
        if (!p) {
                c->oom = true;
                return 1;
        }
        strv_free(c->params);
        c->params = c->pos = p;
        return 0;
}

struct command {
        const char *name;
        int (*fn)(struct ctx *c, char **argv, size_t argc);
        bool prefix; /* name is a prefix ("search.") */
};

static const struct command commands[] = {
        {.name = "set", .fn = cmd_set},
        {.name = "unset", .fn = cmd_unset},
        {.name = "[", .fn = cmd_test},
        {.name = "test", .fn = cmd_test},
        {.name = "true", .fn = cmd_true},
        {.name = "false", .fn = cmd_false},
        {.name = "keystatus", .fn = cmd_false},
        {.name = "return", .fn = cmd_return},
        {.name = "break", .fn = cmd_break},
        {.name = "continue", .fn = cmd_continue},
        {.name = "exit", .fn = cmd_exit},
        {.name = "shift", .fn = cmd_shift},
        {.name = "source", .fn = cmd_dot},
        {.name = ".", .fn = cmd_dot},
        {.name = "configfile", .fn = cmd_configfile},
        {.name = "normal", .fn = cmd_configfile},
        {.name = "search", .fn = cmd_search},
        {.name = "search.", .fn = cmd_search, .prefix = true},
        {.name = "load_env", .fn = cmd_load_env},
        {.name = "linux", .fn = cmd_kernel},
        {.name = "linux16", .fn = cmd_kernel},
        {.name = "linuxefi", .fn = cmd_kernel},
        {.name = "kernel", .fn = cmd_kernel},
        {.name = "multiboot", .fn = cmd_multiboot},
        {.name = "multiboot2", .fn = cmd_multiboot},
        {.name = "initrd", .fn = cmd_initrd},
        {.name = "initrd16", .fn = cmd_initrd},
        {.name = "initrdefi", .fn = cmd_initrd},
        {.name = "module", .fn = cmd_module},
        {.name = "module2", .fn = cmd_module},
        {.name = "devicetree", .fn = cmd_devicetree},
        {.name = "chainloader", .fn = cmd_chainloader},
        {.name = "blscfg", .fn = cmd_blscfg},
        {.name = "insmod", .fn = cmd_ignore},
        {.name = "rmmod", .fn = cmd_ignore},
        {.name = "font", .fn = cmd_ignore},
        {.name = "loadfont", .fn = cmd_ignore},
        {.name = "terminal_output", .fn = cmd_ignore},
        {.name = "terminal_input", .fn = cmd_ignore},
        {.name = "terminal", .fn = cmd_ignore},
        {.name = "echo", .fn = cmd_ignore},
        {.name = "play", .fn = cmd_ignore},
        {.name = "background_image", .fn = cmd_ignore},
        {.name = "background_color", .fn = cmd_ignore},
        {.name = "clear", .fn = cmd_ignore},
        {.name = "sleep", .fn = cmd_ignore},
        {.name = "save_env", .fn = cmd_ignore},
        {.name = "export", .fn = cmd_ignore},
        {.name = "set_background_image", .fn = cmd_ignore},
        {.name = "gfxterm_background", .fn = cmd_ignore},
        {.name = "probe", .fn = grub2_cmd_probe},
        {.name = "hwmatch", .fn = cmd_ignore},
        {.name = "serial", .fn = cmd_ignore},
        {.name = "videoinfo", .fn = cmd_ignore},
        {.name = "boot", .fn = cmd_ignore},
        {.name = "reboot", .fn = cmd_ignore},
        {.name = "halt", .fn = cmd_ignore},
        {.name = "fwsetup", .fn = cmd_fwsetup},
        {.name = "lsmod", .fn = cmd_ignore},
        {.name = "ls", .fn = cmd_ignore},
        {.name = "cat", .fn = cmd_ignore},
        {.name = "read", .fn = cmd_ignore},
        {.name = "eval", .fn = grub2_cmd_eval},
        {.name = "fakebios", .fn = cmd_ignore},
        {.name = "gettext", .fn = cmd_ignore},
        {.name = "savedefault", .fn = cmd_ignore},
        {.name = "load_video", .fn = cmd_ignore},
        {.name = "initrdfail", .fn = cmd_ignore},
        {.name = "verify_detached", .fn = cmd_ignore},
        {.name = "trust", .fn = cmd_ignore},
        {.name = "distrust", .fn = cmd_ignore},
        {.name = "smbios", .fn = cmd_ignore},
        {.name = "cpuid", .fn = cmd_ignore},
        {.name = "password", .fn = cmd_password},
        {.name = "password_pbkdf2", .fn = cmd_password},
        {.name = "password_argon2", .fn = cmd_password},
        {.name = "badram", .fn = cmd_ignore},
        {.name = "cutmem", .fn = cmd_ignore},
        {.name = "acpi", .fn = cmd_ignore},
        {.name = "terminfo", .fn = cmd_ignore},
        {.name = "outb", .fn = cmd_ignore},
        {.name = "inb", .fn = cmd_ignore},
        {.name = "parttool", .fn = cmd_ignore},
        {.name = "loopback", .fn = cmd_loopback},
        {.name = "btrfs-mount-subvol", .fn = cmd_btrfs_mount_subvol},
        {.name = "lvm", .fn = cmd_ignore},
        {.name = "cryptomount", .fn = cmd_ignore},
        {.name = "regexp", .fn = grub2_cmd_regexp},
        {.name = "setparams", .fn = grub2_cmd_setparams},
        {.name = "net_bootp", .fn = cmd_ignore},
        {.name = "tr", .fn = cmd_ignore},
};

static const struct command *find_command(const char *name)
{
        for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
                if (commands[i].prefix ? !!startswith(name, commands[i].name)
                                       : streq(name, commands[i].name))
                        return &commands[i];
        return NULL;
}

static struct grub2_node *find_func(struct ctx *c, const char *name)
{
        for (size_t i = 0; i < c->n_funcs; i++)
                if (c->funcs[i].name && streq(c->funcs[i].name, name))
                        return c->funcs[i].body;
        return NULL;
}

/* NAME=VALUE as a command: the value is one word, expanded with its blanks kept. True when n is
 * such an assignment (done), false when it is not. */
static bool exec_assign(struct ctx *c, struct grub2_node *n)
{
        const char *w = n->words[0], *eq = w ? strchr(w, '=') : NULL;
        _cleanup_free_ char *nm = NULL, *q = NULL, *val = NULL;
        struct grub2_wv v = {0};

        if (!eq || eq == w || (!isalpha((unsigned char) w[0]) && w[0] != '_'))
                return false;
        for (const char *p = w; p < eq; p++)
                if (!isalnum((unsigned char) *p) && *p != '_')
                        return false;
        nm = strndup(w, (size_t) (eq - w));
        q = util_asprintf("\"\"%s", eq + 1);
        if (!nm || !q) {
                c->oom = true;
                return true;
        }
        expand_word(c, q, &v);
        if (c->too_long) {
                report_too_long(c);
                strv_free(v.v);
                return true;
        }
        val = v.v ? strv_join(v.v, " ") : strdup("");
        strv_free(v.v);
        if (!val) {
                c->oom = true;
                return true;
        }
        set_var(c, nm, val);
        return true;
}

/* A function call: argv[1…] are its positional parameters. */
static int call_func(struct ctx *c, struct grub2_node *f, char **argv, unsigned line)
{
        char **saved = c->pos, **saved_params;
        _cleanup_strv_ char **args = strv_copy(argv + 1);
        int st;

        if (!args) {
                c->oom = true;
                return 1;
        }
        if (!call_enter(c)) {
                diag(c, line, "function %s: recursion deeper than %d, stopped", argv[0],
                     GRUB2_MAX_DEPTH);
                return 1;
        }
        saved_params = util_steal(&c->params);
        c->pos = args;
        st = exec_node(c, f);
        c->pos = saved;
        strv_free(c->params);
        c->params = saved_params;
        call_leave(c);
        if (c->ret) {
                c->ret = false;
                st = c->status;
        }
        return st;
}

static int exec_cmd(struct ctx *c, struct grub2_node *n)
{
        _cleanup_strv_ char **argv = NULL;
        const struct command *cmd;
        struct grub2_node *f;
        size_t argc;

        c->line = n->line;
        if (exec_assign(c, n))
                return c->oom ? 1 : 0;
        argv = expand_words(c, n->words);
        if (!argv || c->oom)
                return 1;
        argc = strv_length(argv);
        if (argc == 0)
                return c->status;
        f = find_func(c, argv[0]);
        if (f)
                return call_func(c, f, argv, n->line);
        cmd = find_command(argv[0]);
        if (cmd)
                return cmd->fn(c, argv, argc);
        log_debug("%s:%u: unknown command %s", c->cur ? c->cur->path : "", n->line, argv[0]);
        return 1;
}

static int add_func(struct ctx *c, struct grub2_node *n)
{
        _cleanup_strv_ char **w = expand_words(c, n->words);

        if (!w || !w[0])
                return 1;
        for (size_t i = 0; i < c->n_funcs; i++)
                if (streq(c->funcs[i].name, w[0])) {
                        c->funcs[i].body = n->kids[0];
                        return 0;
                }
        if (UTIL_GROW(c->funcs, c->cap_funcs, c->n_funcs + 1) < 0) {
                c->oom = true;
                return 1;
        }
        c->funcs[c->n_funcs].name = strdup(w[0]);
        if (!c->funcs[c->n_funcs].name) {
                c->oom = true;
                return 1;
        }
        c->funcs[c->n_funcs++].body = n->kids[0];
        return 0;
}

/* Counts one command (or loop round); false past GRUB2_MAX_STEPS, when the script stops. */
static bool count_step(struct ctx *c, unsigned line)
{
        if (++c->steps <= GRUB2_MAX_STEPS)
                return true;
        diag(c, line, "more than %d commands run, script stopped", GRUB2_MAX_STEPS);
        c->abort = true;
        return false;
}

static int exec_list(struct ctx *c, struct grub2_node *n)
{
        int st = c->status;

        for (size_t i = 0; i < n->n_kids && !stopped(c); i++)
                st = exec_node(c, n->kids[i]);
        return st;
}

static int exec_if(struct ctx *c, struct grub2_node *n)
{
        for (size_t i = 0; i + 1 < n->n_kids; i += 2) {
                if (exec_node(c, n->kids[i]) == 0 && !stopped(c))
                        return exec_node(c, n->kids[i + 1]);
                if (stopped(c))
                        return c->status;
        }
        if (n->flag)
                return exec_node(c, n->kids[n->n_kids - 1]);
        return 0;
}

/* Ends a loop round: true when the loop goes on. */
static bool loop_next(struct ctx *c)
{
        c->cont = false;
        if (c->brk) {
                c->brk = false;
                return false;
        }
        return !stopped(c);
}

static int exec_for(struct ctx *c, struct grub2_node *n)
{
        _cleanup_strv_ char **vals = expand_words(c, n->words + 1);
        _cleanup_strv_ char **var = expand_words(c, n->words);
        int st = 0;

        if (!vals || !var || !var[0])
                return 1;
        for (size_t i = 0; vals[i] && !stopped(c); i++) {
                if (!count_step(c, n->line))
                        break;
                set_var(c, var[0], vals[i]);
                st = exec_node(c, n->kids[0]);
                if (!loop_next(c))
                        break;
        }
        return st;
}

static int exec_while(struct ctx *c, struct grub2_node *n)
{
        int st = 0;

        while (count_step(c, n->line)) {
                int cond = exec_node(c, n->kids[0]);

                if (stopped(c) || (cond == 0) == n->flag)
                        break;
                st = exec_node(c, n->kids[1]);
                if (!loop_next(c))
                        break;
        }
        return st;
}

static int exec_block(struct ctx *c, struct grub2_node *n)
{
        switch (n->type) {
        case GRUB2_N_LIST:
                return exec_list(c, n);
        case GRUB2_N_IF:
                return exec_if(c, n);
        case GRUB2_N_FOR:
                return exec_for(c, n);
        case GRUB2_N_WHILE:
                return exec_while(c, n);
        case GRUB2_N_FUNC:
                return add_func(c, n);
        case GRUB2_N_MENU:
                return call_menu(c, n);
        case GRUB2_N_CMD:
                break;
        }
        return 0;
}

/* Runs a node and sets $?. Blocks run inside blocks, function calls and sourced files are
 * bounded together (GRUB2_MAX_RUN_NEST), so that no script can exhaust the stack. */
static int exec_node(struct ctx *c, struct grub2_node *n)
{
        int st;

        if (stopped(c))
                return c->status;
        if (n->type == GRUB2_N_CMD)
                return c->status = count_step(c, n->line) ? exec_cmd(c, n) : 1;
        if (c->nest >= GRUB2_MAX_RUN_NEST) {
                diag(c, n->line, "blocks, calls and sourced files nested deeper than %d, stopped",
                     GRUB2_MAX_RUN_NEST);
                c->unwind = c->depth > 0;
                return c->status = 1;
        }
        c->nest++;
        st = exec_block(c, n);
        c->nest--;
        return c->status = st;
}

static int record_meta(struct ctx *c, size_t idx)
{
        struct entry_meta *m;

        if (UTIL_GROW(c->meta, c->cap_meta, idx + 1) < 0)
                return -ENOMEM;
        m = &c->meta[idx];
        *m = (struct entry_meta){.gen = c->gen};
        m->pos = calloc(c->level + 1, sizeof(int));
        m->subids = strv_copy(c->subids);
        if (!m->pos || !m->subids)
                return -ENOMEM;
        for (unsigned i = 0; i <= c->level; i++)
                m->pos[i] = c->counters[i] - 1;
        return 0;
}

struct menu_opts {
        struct grub2_wv args, classes; /* title (args.v[0]) and $2…; --class values */
        char *id, *users, *hotkey;
        bool unrestricted;
};

static void menu_opts_done(struct menu_opts *o)
{
        strv_free(o->args.v);
        strv_free(o->classes.v);
        free(o->id);
        free(o->users);
        free(o->hotkey);
}

/* menuentry/submenu options: --class C, --id I, --users U, --hotkey K (or --x=…); the rest are
 * the title and the body's positional parameters. 0 or -ENOMEM. */
static int menu_options(char **argv, struct menu_opts *o)
{
        for (size_t i = 0; argv[i]; i++) {
                const char *a = argv[i], *v;
                int r = 0;

                if ((streq(a, "--class") || streq(a, "--users") || streq(a, "--hotkey") ||
                     streq(a, "--id")) &&
                    argv[i + 1] && !startswith(argv[i + 1], "--")) {
                        /* (an empty unquoted $grub_users leaves "--users --id x") */
                        if (streq(a, "--class"))
                                r = grub2_wv_consume(&o->classes, strdup(argv[i + 1]));
                        if (streq(a, "--id"))
                                r = util_strdup_to(&o->id, argv[i + 1]);
                        if (streq(a, "--users"))
                                r = util_strdup_to(&o->users, argv[i + 1]);
                        if (streq(a, "--hotkey"))
                                r = util_strdup_to(&o->hotkey, argv[i + 1]);
                        i++;
                } else if ((v = startswith(a, "--id=")))
                        r = util_strdup_to(&o->id, v);
                else if ((v = startswith(a, "--users=")))
                        r = util_strdup_to(&o->users, v);
                else if ((v = startswith(a, "--hotkey=")))
                        r = util_strdup_to(&o->hotkey, v);
                else if ((v = startswith(a, "--class=")))
                        r = grub2_wv_consume(&o->classes, strdup(v));
                else if (streq(a, "--unrestricted"))
                        o->unrestricted = true;
                else if (startswith(a, "--") && a[2])
                        ; /* --source=… */
                else
                        r = grub2_wv_consume(&o->args, strdup(a));
                if (r < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* A submenu's body adds entries one level down. */
static int run_submenu(struct ctx *c, struct grub2_node *n, struct menu_opts *o)
{
        bool saved_unrestricted = c->gate_unrestricted;
        _cleanup_free_ char *saved_users = NULL;
        size_t l;

        if (util_strdup_to(&saved_users, c->gate_users) < 0 ||
            auth_gate_combine(&c->gate_unrestricted, &c->gate_users, o->unrestricted, o->users) < 0)
                return -ENOMEM;
        if (strv_push(&c->submenu, o->args.v[0]) < 0 ||
            strv_push(&c->subids, o->id ? o->id : "") < 0)
                return -ENOMEM;
        c->level++;
        c->counters[c->level] = 0;
        exec_node(c, n->kids[0]);
        c->exit_ = false;
        c->level--;
        l = strv_length(c->submenu);
        free(c->submenu[l - 1]);
        c->submenu[l - 1] = NULL;
        l = strv_length(c->subids);
        free(c->subids[l - 1]);
        c->subids[l - 1] = NULL;
        c->gate_unrestricted = saved_unrestricted;
        free(c->gate_users);
        c->gate_users = saved_users;
        saved_users = NULL;
        return 0;
}

static size_t entry_bytes(const struct import_entry *e)
{
        size_t b = strlen(e->title) + (e->cmdline ? strlen(e->cmdline) : 0) +
                   (e->kernel.path ? strlen(e->kernel.path) : 0);

        for (size_t i = 0; i < e->n_initrds; i++)
                b += strlen(e->initrds[i].path);
        for (size_t i = 0; i < e->n_modules; i++)
                b += strlen(e->modules[i].path) + strlen(e->module_args[i]);
        return b;
}

/* A menu entry: its body runs now, to find what GRUB would load when it is booted. */
static int run_entry(struct ctx *c, struct grub2_node *n, struct menu_opts *o)
{
        long saved_entry = c->entry;
        struct import_entry *e;
        size_t idx;

        if (c->res->n - c->first >= GRUB2_MAX_ENTRIES) {
                bound_hit(c, BOUND_ENTRIES, n->line,
                          "more than %d menu entries: the rest not listed", GRUB2_MAX_ENTRIES);
                return 0;
        }
        if (c->out_bytes > GRUB2_MAX_OUTPUT) {
                bound_hit(c, BOUND_OUTPUT, n->line,
                          "menu entries larger than %d bytes in all: the rest not listed",
                          GRUB2_MAX_OUTPUT);
                return 0;
        }
        e = import_result_add(c->res);
        idx = c->res->n - 1;
        if (!e || record_meta(c, idx) < 0)
                return -ENOMEM;
        if (!(e->title = strdup(o->args.v[0])) || !(e->submenu = strv_copy(c->submenu)) ||
            (o->id && !(e->id = strdup(o->id))) ||
            !(e->config = strdup(c->cur ? c->cur->path : "")))
                return -ENOMEM;
        e->line = n->line;
        /* The gate of the entry and of every submenu around it (auth.h) */
        e->unrestricted = c->gate_unrestricted;
        if (util_strdup_to(&e->users, c->gate_users) < 0 ||
            auth_gate_combine(&e->unrestricted, &e->users, o->unrestricted, o->users) < 0)
                return -ENOMEM;
        e->hotkey = util_steal(&o->hotkey);
        e->classes = o->classes.v ? util_steal(&o->classes.v) : calloc(1, sizeof(char *));
        if (!e->classes)
                return -ENOMEM;
        c->entry = (long) idx;
        exec_node(c, n->kids[0]);
        c->exit_ = c->ret = c->brk = c->cont = false;
        c->entry = saved_entry;
        e = &c->res->entries[idx];
        if (!e->kernel.path && !e->not_bootable && e->action == IMPORT_ACTION_KEXEC &&
            !(e->not_bootable = strdup("no kernel")))
                return -ENOMEM;
        c->out_bytes += entry_bytes(e);
        return 0;
}

/* menuentry/submenu: options, then the body evaluated now in a scope of the environment. */
static int call_menu(struct ctx *c, struct grub2_node *n)
{
        _cleanup_strv_ char **argv = expand_words(c, n->words);
        struct menu_opts o = {0};
        struct env *saved_env = c->env;
        char **saved_pos = c->pos, **saved_params;
        int r;

        if (!argv)
                return 1;
        if (c->entry >= 0 && !n->flag) {
                log_debug("menuentry inside a menu entry ignored");
                return 0;
        }
        if (menu_options(argv, &o) < 0)
                goto oom;
        if (!o.args.v) {
                diag(c, n->line, "%s without a title", n->flag ? "submenu" : "menuentry");
                menu_opts_done(&o);
                return 1;
        }
        if (c->level >= GRUB2_MAX_DEPTH) {
                diag(c, n->line, "submenus nested deeper than %d", GRUB2_MAX_DEPTH);
                menu_opts_done(&o);
                return 1;
        }
        c->counters[c->level]++;
        c->env = env_child(saved_env);
        if (!c->env) {
                c->env = saved_env;
                goto oom;
        }
        saved_params = util_steal(&c->params);
        c->pos = o.args.v;
        r = n->flag ? run_submenu(c, n, &o) : run_entry(c, n, &o);
        env_free(c->env);
        c->env = saved_env;
        c->pos = saved_pos;
        strv_free(c->params);
        c->params = saved_params;
        menu_opts_done(&o);
        if (r < 0)
                c->oom = true;
        return r < 0 ? 1 : 0;
oom:
        menu_opts_done(&o);
        c->oom = true;
        return 1;
}

/* ---- default entry ---- */

static bool component_matches(const char *comp, int pos, const char *title, const char *id)
{
        long long k;

        if (parse_num(comp, &k))
                return k == pos;
        return streq(comp, title) || (id && *id && streq(comp, id));
}

static int resolve_default(struct ctx *c, const char *value)
{
        _cleanup_strv_ char **comps = calloc(1, sizeof(char *));
        const char *p = value;

        if (!comps)
                return -1;
        for (;;) {
                const char *gt = strchr(p, '>');
                _cleanup_free_ char *s = gt ? strndup(p, (size_t) (gt - p)) : strdup(p);

                if (!s || strv_push(&comps, s) < 0)
                        return -1;
                if (!gt)
                        break;
                p = gt + 1;
        }
        /* The newest menu (configfile) counts; entries of earlier menus only if none match. */
        for (int pass = 0; pass < 2; pass++)
                for (size_t i = 0; i < c->res->n; i++) {
                        const struct import_entry *e = &c->res->entries[i];
                        const struct entry_meta *m = &c->meta[i];
                        size_t depth = strv_length(e->submenu), nc = strv_length(comps);
                        bool ok = true;

                        if (pass == 0 && m->gen != c->gen)
                                continue;
                        if (!m->pos || nc > depth + 1)
                                continue;
                        for (size_t k = 0; k < nc && ok; k++) {
                                if (k < depth)
                                        ok = component_matches(comps[k], m->pos[k], e->submenu[k],
                                                               m->subids ? m->subids[k] : NULL);
                                else
                                        ok = component_matches(comps[k], m->pos[k], e->title,
                                                               e->id);
                        }
                        if (ok)
                                return (int) i;
                }
        return -1;
}

/* ---- entry point ---- */

static char *dirname_of(const char *path)
{
        const char *s = strrchr(path, '/');

        if (!s || s == path)
                return strdup("");
        return strndup(path, (size_t) (s - path));
}

/* An ISO file's own configuration (the ISO scan: the imported filesystem's spec names an ISO): its
 * $root is the loop device "loop", as after GRUB's `loopback loop $iso_path; set root=(loop)`,
 * and not the spec, whose path may hold blanks that `($root)/…` would split. 0 or -ENOMEM. */
static int iso_root(struct ctx *c, const char **root)
{
        _cleanup_free_ char *dev = NULL, *subvol = NULL, *iso = NULL;

        if (!c->fs->dev || !strchr(c->fs->dev, IMPORT_SPEC_SEP) ||
            import_spec_split(c->fs->dev, &dev, &subvol, &iso) < 0 || !iso || c->n_loops > 0)
                return 0;
        if (UTIL_GROW(c->loops, c->cap_loops, 1) < 0)
                return -ENOMEM;
        c->loops[0] = (struct grub2_mnt){.name = strdup("loop"), .spec = strdup(c->fs->dev)};
        c->n_loops = 1;
        if (!c->loops[0].name || !c->loops[0].spec)
                return -ENOMEM;
        *root = "loop";
        return 0;
}

/* The environment GRUB starts with, for a configuration at path. 0 or -ENOMEM. */
static int ctx_start(struct ctx *c, const char *path)
{
#if defined(__aarch64__)
#define GRUB2_EFI_CPU "arm64"
#elif defined(__i386__)
#define GRUB2_EFI_CPU "i386"
#elif defined(__riscv) && __riscv_xlen == 64
#define GRUB2_EFI_CPU "riscv64"
#else
#define GRUB2_EFI_CPU "x86_64"
#endif
        static const char *const fixed[][2] = {
                {"cpu", "x86_64"},
                {"feature_menuentry_id", "y"},
                {"feature_default_font_path", "y"},
                {"feature_all_video_module", "y"},
                {"feature_platform_search_hint", "y"},
                {"feature_timeout_style", "y"},
                {"feature_200_final", "y"},
        };
        _cleanup_free_ char *dir = dirname_of(path), *prefix = NULL;
        const char *root = c->fs->dev ? c->fs->dev : "";
        int r;

        /* Entries that were already there have no meta; give them empty ones. */
        if (c->first > 0) {
                if (UTIL_GROW(c->meta, c->cap_meta, c->first) < 0)
                        return -ENOMEM;
                memset(c->meta, 0, c->first * sizeof(*c->meta));
        }
        c->gate_unrestricted = true;
        c->auth = auth_set_new(NULL);
        c->env = calloc(1, sizeof(*c->env));
        c->submenu = calloc(1, sizeof(char *));
        c->subids = calloc(1, sizeof(char *));
        if (!c->env || !c->submenu || !c->subids || !dir || !c->auth)
                return -ENOMEM;
        c->auth->origin = util_asprintf("%s %s", c->fs->dev ? c->fs->dev : "", path);
        if (!c->auth->origin)
                return -ENOMEM;
        r = iso_root(c, &root);
        if (r < 0)
                return r;
        prefix = util_asprintf("(%s)%s", root, dir);
        if (!prefix)
                return -ENOMEM;
        set_var(c, "root", root);
        set_var(c, "prefix", prefix);
        set_var(c, "config_directory", prefix);
        set_var(c, "cmdpath", prefix);
        set_var(c, "config_file", path);
        set_var(c, "grub_platform", c->fs->efi ? "efi" : "pc");
        /* GRUB's own $grub_cpu: a PC BIOS runs the 32-bit i386-pc GRUB, UEFI the machine's own */
        set_var(c, "grub_cpu", c->fs->efi ? GRUB2_EFI_CPU : "i386");
        for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
                set_var(c, fixed[i][0], fixed[i][1]);
        for (size_t i = 0; c->fs->env && c->fs->env[i] && c->fs->env[i + 1]; i += 2)
                set_var(c, c->fs->env[i], c->fs->env[i + 1]);
        return c->oom ? -ENOMEM : 0;
}

/* superusers as the script left it (GRUB reads it when the menu is shown): set, even to
 * nothing, it restricts this import's entries to their users (auth.h). 0 or -ENOMEM. */
static int ctx_auth(struct ctx *c, struct import_result *ret)
{
        const char *v = env_get(c->env, "superusers");

        if (!v)
                return 0;
        if (auth_set_superusers(c->auth, v) < 0)
                return -ENOMEM;
        log_debug("%s: superusers \"%s\", %zu users: its entries are protected", c->auth->origin, v,
                  c->auth->n_users);
        for (size_t i = c->first; i < ret->n; i++)
                if (!ret->entries[i].auth)
                        ret->entries[i].auth = auth_set_ref(c->auth);
        return 0;
}

/* timeout, theme and default as the script left them. 0 or -ENOMEM. */
static int ctx_globals(struct ctx *c, struct import_result *ret)
{
        const char *v = env_get(c->env, "timeout");

        if (!isempty(v)) {
                long long t;

                if (parse_num(v, &t) && t >= -1 && t < 1000000)
                        ret->timeout = (int) t;
                else
                        diag(c, 0, "timeout %s is not a number", v);
        }
        v = env_get(c->env, "timeout_style");
        if (!isempty(v)) {
                static const char *const styles[] = {"menu", "countdown", "hidden"};

                for (size_t i = 0; i < ARRAY_SIZE(styles); i++)
                        if (streq(v, styles[i]))
                                ret->timeout_style = styles[i];
                if (!ret->timeout_style)
                        diag(c, 0, "timeout_style %s is not menu, countdown or hidden", v);
        }
        v = env_get(c->env, "theme");
        if (!isempty(v) && util_strdup_to(&ret->theme, v) < 0)
                return -ENOMEM;
        v = env_get(c->env, "default");
        if (!isempty(v)) {
                int d = resolve_default(c, v);

                if (d >= 0)
                        ret->default_index = d;
                else
                        diag(c, 0, "default entry \"%s\" not found", v);
                /* grub-reboot: GRUB boots next_entry once and clears it; the disks are read-only
                 * here, so it stays the default, marked as the one-time choice it is. */
                ret->default_once = d >= 0 && !isempty(c->next_entry) && streq(v, c->next_entry) &&
                                    !streq_ptr(c->saved_entry, c->next_entry);
        }
        return c->oom ? -ENOMEM : 0;
}

static void ctx_done(struct ctx *c)
{
        for (size_t i = 0; i < c->cap_meta && i < c->res->n; i++) {
                free(c->meta[i].pos);
                strv_free(c->meta[i].subids);
        }
        free(c->meta);
        for (size_t i = 0; i < c->n_funcs; i++)
                free(c->funcs[i].name);
        free(c->funcs);
        free(c->next_entry);
        free(c->saved_entry);
        while (c->scripts) {
                struct grub2_script *n = c->scripts->next;

                grub2_script_free(c->scripts);
                c->scripts = n;
        }
        strv_free(c->submenu);
        strv_free(c->subids);
        strv_free(c->params);
        auth_set_unref(c->auth);
        free(c->gate_users);
        env_free(c->env);
        for (size_t i = 0; i < c->n_loops; i++)
                mnt_free(&c->loops[i]);
        free(c->loops);
        for (size_t i = 0; i < c->n_subvols; i++)
                mnt_free(&c->subvols[i]);
        free(c->subvols);
}

int grub2_import(const struct import_fs *fs, const char *path, struct import_result *ret)
{
        struct ctx c = {.fs = fs,
                        .res = ret,
                        .entry = -1,
                        .first = ret->n,
                        .diags_max = ret->diags.n + GRUB2_MAX_DIAGS};
        struct grub2_script *s;
        int r;

        r = ctx_start(&c, path);
        if (r >= 0) {
                s = load_script(&c, NULL, path, 0);
                if (s) {
                        unsigned long long t0 = util_now_ms();

                        exec_script(&c, s, NULL);
                        log_debug("%s: %lu commands in %llu ms", path, c.steps, util_now_ms() - t0);
                }
                r = c.oom ? -ENOMEM : ctx_globals(&c, ret);
                if (r >= 0)
                        r = ctx_auth(&c, ret);
        }
        ctx_done(&c);
        return r;
}
