/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Boot Loader Specification type #1 entries: one *.conf file per entry in loader/entries, with
 * loader.conf next to the directory (default glob, timeout). Options may name GRUB variables
 * ($kernelopts) that come from grubenv. Entries are ordered like systemd-boot orders them. */
#define LOG_MODULE "bls"

#include <ctype.h>
#include <fnmatch.h>

#include "import.h"
#include "grubenv.h"

#include "../core/fsread.h"
#include "../core/log.h"

#define BLS_MAX_SIZE     (1u << 20)
#define BLS_MAX_ENTRIES  1024
#define BLS_GRUBENV_SIZE (64u << 10)

struct bls_entry {
        char *id; /* file name without .conf */
        char *file;
        char *title, *version, *machine_id, *sort_key, *kernel, *devicetree, *arch, *efi;
        char *uki;        /* `uki` (systemd 257): a unified kernel image */
        unsigned profile; /* `profile`: its profile (@N) */
        char **initrds;
        char **options;
        /* Fedora's blscfg keys: grub_users (expanded), grub_class (one class a line),
         * grub_hotkey; grub_arg lines are only the entry's $2… there, nothing seen here */
        char *users, *hotkey;
        char **classes;
};

static void bls_entry_done(struct bls_entry *b)
{
        free(b->id);
        free(b->file);
        free(b->title);
        free(b->version);
        free(b->machine_id);
        free(b->sort_key);
        free(b->kernel);
        free(b->devicetree);
        free(b->arch);
        free(b->efi);
        free(b->uki);
        strv_free(b->initrds);
        strv_free(b->options);
        free(b->users);
        free(b->hotkey);
        strv_free(b->classes);
}

static char *bls_steal(char **p)
{
        char *v = *p;

        *p = NULL;
        return v;
}

static int bls_strcmp_ptr(const char *a, const char *b)
{
        if (!a || !b)
                return (a != NULL) - (b != NULL);
        return strcmp(a, b);
}

static int bls_strverscmp_ptr(const char *a, const char *b)
{
        if (!a || !b)
                return (a != NULL) - (b != NULL);
        return strverscmp(a, b);
}

/* systemd-boot's order: entries with a sort-key first, by sort-key, machine-id, then version
 * newest first; then all by file name, newest version first. */
static int bls_compare(const void *pa, const void *pb)
{
        const struct bls_entry *a = pa, *b = pb;
        int r;

        if (!a->sort_key != !b->sort_key)
                return a->sort_key ? -1 : 1;
        if (a->sort_key) {
                r = strcmp(a->sort_key, b->sort_key);
                if (r == 0)
                        r = bls_strcmp_ptr(a->machine_id, b->machine_id);
                if (r == 0)
                        r = -bls_strverscmp_ptr(a->version, b->version);
                if (r != 0)
                        return r;
        }
        return -strverscmp(a->id, b->id);
}

static bool bls_arch_ok(const char *arch)
{
        static const char *const ok[] = {"x64", "x86-64", "x86_64", "amd64"};

        for (size_t i = 0; i < ARRAY_SIZE(ok); i++)
                if (strcaseeq(arch, ok[i]))
                        return true;
        return false;
}

/* One "key value" line of an entry file. */
static int bls_parse_line(void *userdata, unsigned line, char *key)
{
        struct bls_entry *b = userdata;
        size_t kl = strcspn(key, " \t");
        char *value = (char *) util_skip_blanks(key + kl);
        int r;

        key[kl] = '\0';
        if (!*value) {
                log_debug("%s:%u: %s without a value ignored", b->file, line, key);
                return 0;
        }
        if (streq(key, "title"))
                r = util_strdup_to(&b->title, value);
        else if (streq(key, "version"))
                r = util_strdup_to(&b->version, value);
        else if (streq(key, "machine-id"))
                r = util_strdup_to(&b->machine_id, value);
        else if (streq(key, "sort-key"))
                r = util_strdup_to(&b->sort_key, value);
        else if (streq(key, "linux"))
                r = util_strdup_to(&b->kernel, value);
        else if (streq(key, "devicetree"))
                r = util_strdup_to(&b->devicetree, value);
        else if (streq(key, "architecture"))
                r = util_strdup_to(&b->arch, value);
        else if (streq(key, "efi"))
                r = util_strdup_to(&b->efi, value);
        else if (streq(key, "uki"))
                r = util_strdup_to(&b->uki, value);
        else if (streq(key, "profile")) {
                char *end;
                unsigned long v = strtoul(value, &end, 10);

                r = 0;
                if (*end || !isdigit((unsigned char) *value) || v > 1000)
                        log_debug("%s:%u: profile %s ignored", b->file, line, value);
                else
                        b->profile = (unsigned) v;
        } else if (streq(key, "initrd")) {
                /* several paths on one line are allowed too */
                _cleanup_strv_ char **w = NULL;

                r = strv_split_blanks(value, &w);
                strv_foreach (x, w)
                        if (r >= 0)
                                r = strv_push(&b->initrds, x);
        } else if (streq(key, "options"))
                r = strv_push(&b->options, value);
        else if (streq(key, "grub_users"))
                r = b->users ? 0 : util_strdup_to(&b->users, value); /* the first, as blscfg */
        else if (streq(key, "grub_hotkey"))
                r = b->hotkey ? 0 : util_strdup_to(&b->hotkey, value);
        else if (streq(key, "grub_class"))
                r = strv_push(&b->classes, value);
        else if (streq(key, "grub_arg"))
                r = 0;
        else {
                log_debug("%s:%u: key %s ignored", b->file, line, key);
                r = 0;
        }
        return r;
}

/* Reads an entry file: 1 read, 0 not readable (a diagnostic says why), -ENOMEM. */
static int bls_parse(const struct import_fs *fs, struct import_result *res, struct bls_entry *b)
{
        return import_read_lines(fs, res, b->file, BLS_MAX_SIZE, false, bls_parse_line, b);
}

/* Reads grubenv from the places Fedora and RHEL keep it; NULL strv when there is none. */
static int bls_load_grubenv(const struct import_fs *fs, struct import_result *res, char ***ret)
{
        static const char *const paths[] = {"/boot/grub2/grubenv", "/grub2/grubenv"};

        *ret = NULL;
        for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
                _cleanup_free_ char *data = NULL;
                size_t len = 0;
                int r = import_read_file(fs, res, paths[i], BLS_GRUBENV_SIZE, true, &data, &len);

                if (r < 0)
                        return r;
                if (r == 0)
                        continue;
                r = grubenv_parse(data, len, ret);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        log_debug("%s: not a GRUB environment block", paths[i]);
                else
                        return 0;
        }
        return 0;
}

/* Where $var in values comes from: the GRUB environment at the blscfg command (vars, when
 * imported through grub.cfg), then grubenv. */
struct bls_env {
        char **grubenv;
        const struct bls_vars *vars;
};

static const char *bls_env_get(const struct bls_env *env, const char *name, size_t nl)
{
        if (env->vars && nl < 256) {
                char n[256];
                const char *v;

                memcpy(n, name, nl);
                n[nl] = '\0';
                v = env->vars->lookup(env->vars->userdata, n);
                if (v)
                        return v;
        }
        strv_foreach (s, env->grubenv)
                if (strncmp(s, name, nl) == 0 && s[nl] == '=')
                        return s + nl + 1;
        return NULL;
}

/* The options lines joined with spaces, $var and ${var} expanded from env (unknown: empty),
 * runs of blanks collapsed. */
static char *bls_cmdline(const struct bls_entry *b, const struct bls_env *env)
{
        _cleanup_free_ char *joined = strv_join(b->options, " ");
        char *out = NULL, *w;
        size_t cap = 0;

        if (!joined)
                return NULL;
        /* the first pass measures, the second writes */
        for (int pass = 0; pass < 2; pass++) {
                size_t n = 0;

                out = pass ? malloc(cap) : NULL;
                if (pass && !out)
                        return NULL;
                w = out;
                for (const char *p = joined; *p;) {
                        const char *v = NULL, *name;
                        size_t nl, vl;

                        if (*p == '$' &&
                            (p[1] == '{' || p[1] == '_' || isalnum((unsigned char) p[1]))) {
                                bool brace = p[1] == '{';

                                name = p + 1 + brace;
                                nl = 0;
                                while (name[nl] == '_' || isalnum((unsigned char) name[nl]))
                                        nl++;
                                if (brace && name[nl] != '}') {
                                        v = NULL; /* not a variable: copy as is */
                                } else {
                                        v = bls_env_get(env, name, nl);
                                        if (!v) {
                                                if (pass)
                                                        log_debug("%s: $%.*s not set, empty",
                                                                  b->file, (int) nl, name);
                                                v = "";
                                        }
                                        p = name + nl + brace;
                                        vl = strlen(v);
                                        if (pass)
                                                memcpy(w + n, v, vl);
                                        n += vl;
                                        continue;
                                }
                        }
                        if (pass)
                                w[n] = *p;
                        n++;
                        p++;
                }
                if (pass)
                        w[n] = '\0';
                cap = n + 1;
        }
        /* collapse blanks */
        {
                char *d = out;
                bool blank = true;

                for (char *s = out; *s; s++) {
                        bool is_blank = *s == ' ' || *s == '\t';

                        if (is_blank && blank)
                                continue;
                        *d++ = is_blank ? ' ' : *s;
                        blank = is_blank;
                }
                if (d > out && d[-1] == ' ')
                        d--;
                *d = '\0';
        }
        return out;
}

static char *bls_abs(const char *p)
{
        return p[0] == '/' ? strdup(p) : util_asprintf("/%s", p);
}

/* blscfg's expand_val: each $name replaced by its value and a blank (dropped when unset, with the
 * blank after it), the rest kept; blanks at the end trimmed. */
static char *bls_expand_val(const char *value, const struct bls_env *env)
{
        _cleanup_free_ char *out = NULL;
        size_t n = 0, cap = 0;

        for (const char *p = value; *p;) {
                const char *add = p, *name;
                size_t al = 1, nl;
                bool var = false;

                if (*p == '$') {
                        name = p + 1;
                        for (nl = 0; name[nl] == '_' || isalnum((unsigned char) name[nl]); nl++)
                                ;
                        add = bls_env_get(env, name, nl);
                        al = add ? strlen(add) : 0;
                        p = name + nl;
                        if (*p == ' ')
                                p++;
                        var = true;
                } else
                        p++;
                if (UTIL_GROW(out, cap, n + al + 2) < 0)
                        return NULL;
                if (al)
                        memcpy(out + n, add, al);
                n += al;
                if (var && add)
                        out[n++] = ' ';
                out[n] = '\0';
        }
        while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t'))
                out[--n] = '\0';
        return out ? bls_steal(&out) : strdup("");
}

static int bls_emit(const struct import_fs *fs, struct import_result *res,
                    const struct bls_entry *b, const struct bls_env *env)
{
        struct import_entry *e;
        _cleanup_free_ char *k = NULL;
        const char *image = b->uki ? b->uki : b->efi;

        /* As systemd-boot: a file with neither a linux nor an efi (uki) line is no entry. */
        if (!b->kernel && !image)
                return diag_add(&res->diags, fs->dev, b->file, 0,
                                "not an entry: it has no 'linux' (or 'efi') line");
        e = import_result_add(res);
        if (!e)
                return -ENOMEM;
        if (util_strdup_to(&e->title, b->title ? b->title : b->id) < 0 ||
            util_strdup_to(&e->id, b->id) < 0 || util_strdup_to(&e->config, b->file) < 0)
                return -ENOMEM;
        e->line = 1;
        if (b->kernel) {
                k = bls_abs(b->kernel);
                if (!k || import_file_set(&e->kernel, fs->dev, k) < 0)
                        return -ENOMEM;
        }
        strv_foreach (i, b->initrds) {
                _cleanup_free_ char *p = NULL, *x = NULL;
                _cleanup_strv_ char **w = NULL;

                if (strchr(i, '$')) {
                        /* blscfg writes "initrd ($root)/a $tuned_initrd" into the entry's
                         * script: a variable is expanded there, to nothing when unset */
                        x = bls_expand_val(i, env);
                        if (!x || strv_split_blanks(x, &w) < 0)
                                return -ENOMEM;
                        strv_foreach (word, w) {
                                _cleanup_free_ char *q = bls_abs(word);

                                if (!q || import_entry_add_initrd(e, fs->dev, q) < 0)
                                        return -ENOMEM;
                        }
                        continue;
                }
                p = bls_abs(i);
                if (!p || import_entry_add_initrd(e, fs->dev, p) < 0)
                        return -ENOMEM;
        }
        if (b->devicetree && !(e->devicetree = bls_abs(b->devicetree)))
                return -ENOMEM;
        e->cmdline = bls_cmdline(b, env);
        if (!e->cmdline)
                return -ENOMEM;
        if (b->users) {
                e->users = bls_expand_val(b->users, env);
                if (!e->users)
                        return -ENOMEM;
                if (!*e->users) /* $grub_users unset: no restriction (blscfg passes NULL) */
                        free(bls_steal(&e->users));
        }
        /* GRUB restricts a menu entry whose users are not NULL: blscfg's without grub_users
         * (or with an empty one) are open to anyone, whatever superusers says. */
        e->unrestricted = !e->users;
        if ((b->hotkey && util_strdup_to(&e->hotkey, b->hotkey) < 0) ||
            (b->classes && !(e->classes = strv_copy(b->classes))))
                return -ENOMEM;
        if (!b->kernel) {
                /* A unified kernel image is booted through its sections; another EFI program
                 * cannot be. */
                _cleanup_free_ char *img = bls_abs(image), *why = NULL;
                int r;

                if (!img)
                        return -ENOMEM;
                r = uki_import_bls(fs, img, b->profile, e, &why);
                if (r != 0)
                        return r < 0 ? r : 0;
                log_debug("%s: %s: %s", b->file, img, why ? why : "not a unified kernel image");
                return util_strdup_to(&e->not_bootable, "EFI program");
        }
        return 0;
}

struct bls_loader_conf {
        const struct import_fs *fs;
        struct import_result *res;
        const char *path;
        char **def;
};

static int bls_loader_conf_line(void *userdata, unsigned line, char *key)
{
        struct bls_loader_conf *c = userdata;
        size_t kl = strcspn(key, " \t");
        char *value = (char *) util_skip_blanks(key + kl);

        key[kl] = '\0';
        if (streq(key, "default")) {
                if (value[0] == '@' || !*value)
                        log_debug("%s:%u: default %s ignored", c->path, line, value);
                else if (util_strdup_to(c->def, value) < 0)
                        return -ENOMEM;
        } else if (streq(key, "timeout")) {
                char *end;
                long v = strtol(value, &end, 10);

                if (streq(value, "menu-force") || streq(value, "menu-hidden") ||
                    streq(value, "menu-disabled"))
                        log_debug("%s:%u: timeout %s ignored", c->path, line, value);
                else if (!*value || *end || v < 0 || v > 1000000) {
                        if (diag_add(&c->res->diags, c->fs->dev, c->path, line,
                                     "timeout needs a number, not '%s'", value) < 0)
                                return -ENOMEM;
                } else
                        c->res->timeout = (int) v;
        } else
                log_debug("%s:%u: %s ignored", c->path, line, key);
        return 0;
}

/* loader.conf: `default` (a glob over the entry ids) and `timeout`. */
static int bls_loader_conf(const struct import_fs *fs, const char *entries_dir,
                           struct import_result *res, char **ret_default)
{
        _cleanup_free_ char *dir = strdup(entries_dir), *path = NULL;
        struct bls_loader_conf c = {.fs = fs, .res = res, .def = ret_default};
        char *slash;

        *ret_default = NULL;
        if (!dir)
                return -ENOMEM;
        while ((slash = strrchr(dir, '/')) && slash[1] == '\0' && slash != dir)
                *slash = '\0';
        slash = strrchr(dir, '/');
        if (slash)
                slash[slash == dir ? 1 : 0] = '\0';
        path = util_asprintf("%s%sloader.conf", dir, slash && slash == dir ? "" : "/");
        if (!path)
                return -ENOMEM;
        c.path = path;
        /* 1: it was there (these entries are systemd-boot's) */
        return import_read_lines(fs, res, path, BLS_MAX_SIZE, true, bls_loader_conf_line, &c);
}

/* systemd-boot's config_title_generate(): a title shown by more than one entry gets " (version)"
 * added, then for those still alike the first 8 characters of the machine-id, then the entry id.
 * shown[i] is the BLS entry of res->entries[base + i]. */
static int bls_unique_titles(struct import_result *res, size_t base,
                             const struct bls_entry *const *shown, size_t n)
{
        _cleanup_free_ bool *same = calloc(n + 1, sizeof(bool));

        if (!same)
                return -ENOMEM;
        for (int step = 0; step < 3; step++) {
                bool any = false;

                for (size_t i = 0; i < n; i++)
                        same[i] = false;
                for (size_t i = 0; i < n; i++)
                        for (size_t k = i + 1; k < n; k++)
                                if (streq(res->entries[base + i].title,
                                          res->entries[base + k].title))
                                        same[i] = same[k] = any = true;
                if (!any)
                        return 0;
                for (size_t i = 0; i < n; i++) {
                        const struct bls_entry *b = shown[i];
                        const char *add = step == 0   ? b->version
                                          : step == 1 ? b->machine_id
                                                      : b->id;
                        char *t;

                        if (!same[i] || !add)
                                continue;
                        t = step == 1
                                    ? util_asprintf("%s (%.8s)", res->entries[base + i].title, add)
                                    : util_asprintf("%s (%s)", res->entries[base + i].title, add);
                        if (!t)
                                return -ENOMEM;
                        free(res->entries[base + i].title);
                        res->entries[base + i].title = t;
                }
        }
        return 0;
}

/* Entry ids, newest first (as bls_compare() orders ids). */
static int bls_id_cmp(const void *pa, const void *pb)
{
        return -strverscmp(*(const char *const *) pa, *(const char *const *) pb);
}

/* Turns names (a strv from fs->list) into the ids of its entry files (*.conf, not hidden: the
 * name without ".conf"), newest first; the other names are freed. When there are more than
 * BLS_MAX_ENTRIES, the ones read are then those systemd-boot shows first (but for sort-keys,
 * which only the files hold), never the first in the directory's order. Returns how many. */
static size_t bls_ids(char **names)
{
        size_t n = 0;

        for (size_t i = 0; names && names[i]; i++) {
                char *name = names[i];
                size_t l = strlen(name);

                if (l <= 5 || name[0] == '.' || !streq(name + l - 5, ".conf")) {
                        free(name);
                        continue;
                }
                name[l - 5] = '\0';
                names[n++] = name;
        }
        if (names)
                names[n] = NULL;
        qsort(names, n, sizeof(*names), bls_id_cmp);
        return n;
}

static int bls_import_env(const struct import_fs *fs, const char *entries_dir,
                          struct import_result *ret, const struct bls_vars *vars)
{
        _cleanup_strv_ char **names = NULL, **env = NULL;
        struct bls_env benv = {.vars = vars};
        _cleanup_free_ char *def = NULL;
        _cleanup_free_ const struct bls_entry **shown = NULL;
        struct bls_entry *entries = NULL;
        size_t n = 0, n_shown = 0, base = ret->n, n_cand;
        bool sd_boot;
        int r;

        r = fs->list(fs->userdata, fs->dev, entries_dir, &names);
        if (r < 0)
                return r == -ENOMEM ? r
                                    : diag_add(&ret->diags, fs->dev, entries_dir, 0,
                                               "cannot list: %s", fsread_strerror(r));
        n_cand = bls_ids(names);
        entries = calloc(MIN(n_cand, (size_t) BLS_MAX_ENTRIES) + 1, sizeof(*entries));
        if (!entries)
                return -ENOMEM;
        for (size_t k = 0; k < n_cand; k++) {
                struct bls_entry *b = &entries[n];

                if (n >= BLS_MAX_ENTRIES) {
                        r = diag_add(&ret->diags, fs->dev, entries_dir, 0,
                                     "more than %d entries: %zu older ones by file name (from "
                                     "%s.conf) not listed",
                                     BLS_MAX_ENTRIES, n_cand - k, names[k]);
                        break;
                }
                b->id = strdup(names[k]);
                b->file = util_asprintf("%s/%s.conf", entries_dir, names[k]);
                n++;
                if (!b->id || !b->file) {
                        r = -ENOMEM;
                        goto out;
                }
                r = bls_parse(fs, ret, b);
                if (r < 0)
                        goto out;
                if (r == 0) {
                        /* unreadable (a FIFO…): the diagnostic says so; no entry */
                        bls_entry_done(b);
                        *b = (struct bls_entry){0};
                        n--;
                } else if (b->arch && !bls_arch_ok(b->arch)) {
                        log_debug("%s: for architecture %s, skipped", b->file, b->arch);
                        bls_entry_done(b);
                        *b = (struct bls_entry){0};
                        n--;
                }
        }
        if (r < 0)
                goto out;
        qsort(entries, n, sizeof(*entries), bls_compare);

        r = bls_load_grubenv(fs, ret, &env);
        if (r < 0)
                goto out;
        r = bls_loader_conf(fs, entries_dir, ret, &def);
        if (r < 0)
                goto out;
        sd_boot = r > 0;
        shown = calloc(n + 1, sizeof(*shown));
        if (!shown) {
                r = -ENOMEM;
                goto out;
        }
        for (size_t i = 0; i < n; i++) {
                size_t before = ret->n;

                benv.grubenv = env;
                r = bls_emit(fs, ret, &entries[i], &benv);
                if (r < 0)
                        goto out;
                if (ret->n > before)
                        shown[n_shown++] = &entries[i];
        }
        /* systemd-boot's own menu (a loader.conf beside the entries) tells alike titles apart;
         * GRUB's blscfg and a /boot without loader.conf show them as written */
        if (sd_boot) {
                r = bls_unique_titles(ret, base, shown, n_shown);
                if (r < 0)
                        goto out;
        }
        if (def) {
                bool found = false;

                for (size_t i = 0; i < n_shown; i++) {
                        _cleanup_free_ char *withext = util_asprintf("%s.conf", shown[i]->id);

                        if (!withext) {
                                r = -ENOMEM;
                                goto out;
                        }
                        if (fnmatch(def, shown[i]->id, 0) == 0 || fnmatch(def, withext, 0) == 0) {
                                ret->default_index = (int) (base + i);
                                found = true;
                                break;
                        }
                }
                if (!found)
                        log_debug("loader.conf: default %s matches no entry", def);
        }
        r = 0;
out:
        for (size_t i = 0; i < n; i++)
                bls_entry_done(&entries[i]);
        free(entries);
        return r < 0 ? -ENOMEM : 0;
}

int bls_import(const struct import_fs *fs, const char *entries_dir, struct import_result *ret)
{
        return bls_import_env(fs, entries_dir, ret, NULL);
}

int bls_import_grub(const struct import_fs *fs, const char *entries_dir, struct import_result *ret,
                    const struct bls_vars *vars)
{
        return bls_import_env(fs, entries_dir, ret, vars);
}
