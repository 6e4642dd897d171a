/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GRUB legacy (0.9x) menu.lst and grub.conf, as kexec-loader 1.4.1 read them and a bit more:
 * title, root, kernel, initrd, module, default (also `saved`), timeout, chainloader. Devices stay
 * GRUB names ("(hd0,0)", 0-based partitions); the backend resolves them. */
#define LOG_MODULE "grub-legacy"

#include "import.h"

#include "../core/log.h"

#define GRUB_LEGACY_MAX_SIZE (4u << 20)

struct grub_legacy_state {
        const struct import_fs *fs;
        const char *path;
        struct import_result *res;
        size_t base;       /* index of the first entry of this file */
        long cur;          /* index of the open entry in res, -1 none */
        char *global_root; /* `root` before any title */
        char *root;        /* the open entry's root */
        long def;          /* `default`, -1 none */
        unsigned def_line;
};

/* Splits "(hd0,1)/boot/vmlinuz" into device and path; without a (device) prefix, the device is
 * the entry's root (NULL: the filesystem of the configuration). */
static int grub_legacy_split(const struct grub_legacy_state *s, const char *word, char **ret_dev,
                             char **ret_path)
{
        const char *close;

        *ret_dev = *ret_path = NULL;
        if (word[0] == '(' && (close = strchr(word, ')'))) {
                *ret_dev = strndup(word, (size_t) (close - word + 1));
                *ret_path = close[1] == '/' ? strdup(close + 1) : util_asprintf("/%s", close + 1);
        } else {
                if (s->root && !(*ret_dev = strdup(s->root)))
                        return -ENOMEM;
                *ret_path = word[0] == '/' ? strdup(word) : util_asprintf("/%s", word);
        }
        if (!*ret_path || (word[0] == '(' && !*ret_dev)) {
                free(*ret_dev);
                free(*ret_path);
                *ret_dev = *ret_path = NULL;
                return -ENOMEM;
        }
        return 0;
}

/* The first word of s in *ret_word (malloc'ed), the rest (blanks skipped) in *ret_rest. */
static int grub_legacy_first_word(const char *s, char **ret_word, const char **ret_rest)
{
        size_t n = strcspn(s, " \t");

        *ret_word = strndup(s, n);
        if (!*ret_word)
                return -ENOMEM;
        *ret_rest = util_skip_blanks(s + n);
        return 0;
}

static struct import_entry *grub_legacy_cur(struct grub_legacy_state *s)
{
        return s->cur < 0 ? NULL : &s->res->entries[s->cur];
}

static int grub_legacy_file(struct grub_legacy_state *s, unsigned line, const char *kw,
                            const char *arg)
{
        struct import_entry *e = grub_legacy_cur(s);
        _cleanup_free_ char *word = NULL, *dev = NULL, *path = NULL;
        const char *rest;
        int r;

        if (!e)
                return diag_add(&s->res->diags, s->fs->dev, s->path, line,
                                "%s before the first title", kw);
        if (strcaseeq(kw, "kernel"))
                /* options of GRUB's own: --type=…, --no-mem-option */
                while (startswith(arg, "--"))
                        arg = util_skip_blanks(arg + strcspn(arg, " \t"));
        if (isempty(arg))
                return diag_add(&s->res->diags, s->fs->dev, s->path, line, "%s without a file", kw);
        r = grub_legacy_first_word(arg, &word, &rest);
        if (r >= 0)
                r = grub_legacy_split(s, word, &dev, &path);
        if (r < 0)
                return r;
        if (strcaseeq(kw, "kernel")) {
                if (import_file_set(&e->kernel, dev, path) < 0 ||
                    util_strdup_to(&e->cmdline, rest) < 0)
                        return -ENOMEM;
                return 0;
        }
        if (strcaseeq(kw, "initrd"))
                return import_entry_add_initrd(e, dev, path);

        /* module: a multiboot module with its arguments */
        {
                struct import_file *m = realloc(e->modules, (e->n_modules + 1) * sizeof(*m));

                if (!m)
                        return -ENOMEM;
                e->modules = m;
                m[e->n_modules] = (struct import_file){.dev = dev, .path = path};
                if (strv_push(&e->module_args, rest) < 0)
                        return -ENOMEM;
                dev = path = NULL;
                e->n_modules++;
                e->multiboot = true;
        }
        return 0;
}

/* chainloader [--force] FILE: an EFI application the firmware starts (BootNext); a block list
 * ("+1", "(hd0,0)+1") is a BIOS boot sector, which nothing here can start. */
static int grub_legacy_chainloader(struct grub_legacy_state *s, struct import_entry *e,
                                   const char *arg)
{
        _cleanup_free_ char *word = NULL, *dev = NULL, *path = NULL;
        const char *rest;

        while (startswith(arg, "--"))
                arg = util_skip_blanks(arg + strcspn(arg, " \t"));
        if (grub_legacy_first_word(arg, &word, &rest) < 0)
                return -ENOMEM;
        if (!*word || (strchr(word, '+') && !strchr(word, '/')))
                return util_strdup_to(&e->not_bootable, "BIOS boot sector: kexec cannot start it");
        if (grub_legacy_split(s, word, &dev, &path) < 0)
                return -ENOMEM;
        import_file_done(&e->efi);
        e->efi = (struct import_file){.dev = dev, .path = path};
        dev = path = NULL;
        e->action = IMPORT_ACTION_EFI_APP;
        return 0;
}

/* `default saved`: the first number in the `default` file next to menu.lst, else 0. */
static long grub_legacy_saved(const struct grub_legacy_state *s)
{
        _cleanup_free_ char *dir = strdup(s->path), *p = NULL, *data = NULL;
        char *slash, *end;
        size_t len;
        long v;

        if (!dir)
                return 0;
        slash = strrchr(dir, '/');
        if (slash)
                *slash = '\0';
        p = util_asprintf("%s/default", dir);
        if (!p || import_read_file(s->fs, s->res, p, 4096, true, &data, &len) <= 0)
                return 0;
        v = strtol(data, &end, 10);
        if (end == data || v < 0) {
                log_debug("%s: no number at the start, default saved = 0", p);
                return 0;
        }
        return v;
}

static int grub_legacy_number(struct grub_legacy_state *s, unsigned line, const char *kw,
                              const char *arg, long *ret)
{
        char *end;
        long v;

        errno = 0;
        v = strtol(arg, &end, 10);
        if (isempty(arg) || (*end && *end != ' ' && *end != '\t') || v < 0 || errno || v > 1000000)
                return diag_add(&s->res->diags, s->fs->dev, s->path, line,
                                "%s needs a number, not '%s'", kw, arg) < 0
                               ? -ENOMEM
                               : 1;
        *ret = v;
        return 0;
}

static int grub_legacy_line(void *userdata, unsigned line, char *text)
{
        struct grub_legacy_state *s = userdata;
        size_t kwlen = strcspn(text, " \t=");
        const char *arg = util_skip_blanks(text + kwlen);
        struct import_entry *e;
        long v;
        int r;

        if (*arg == '=')
                arg = util_skip_blanks(arg + 1);
        text[kwlen] = '\0';

        if (strcaseeq(text, "title")) {
                e = import_result_add(s->res);
                if (!e)
                        return -ENOMEM;
                s->cur = (long) (s->res->n - 1);
                if (util_strdup_to(&e->title, arg) < 0 || util_strdup_to(&e->config, s->path) < 0)
                        return -ENOMEM;
                e->line = line;
                return util_strdup_to(&s->root, s->global_root);
        }
        if (strcaseeq(text, "root") || strcaseeq(text, "rootnoverify")) {
                _cleanup_free_ char *word = NULL;
                const char *rest;

                if (isempty(arg))
                        return diag_add(&s->res->diags, s->fs->dev, s->path, line,
                                        "%s without a device", text);
                if (grub_legacy_first_word(arg, &word, &rest) < 0)
                        return -ENOMEM;
                return util_strdup_to(s->cur < 0 ? &s->global_root : &s->root, word);
        }
        if (strcaseeq(text, "kernel") || strcaseeq(text, "initrd") || strcaseeq(text, "module") ||
            strcaseeq(text, "modulenounzip"))
                return grub_legacy_file(s, line, text, arg);
        if (strcaseeq(text, "chainloader")) {
                e = grub_legacy_cur(s);
                if (!e)
                        return diag_add(&s->res->diags, s->fs->dev, s->path, line,
                                        "chainloader before the first title");
                return grub_legacy_chainloader(s, e, arg);
        }
        if (strcaseeq(text, "default")) {
                if (strncasecmp(arg, "saved", 5) == 0 &&
                    (arg[5] == '\0' || arg[5] == ' ' || arg[5] == '\t')) {
                        s->def = grub_legacy_saved(s);
                        s->def_line = line;
                        return 0;
                }
                r = grub_legacy_number(s, line, text, arg, &v);
                if (r == 0) {
                        s->def = v;
                        s->def_line = line;
                }
                return r < 0 ? r : 0;
        }
        if (strcaseeq(text, "timeout")) {
                r = grub_legacy_number(s, line, text, arg, &v);
                if (r == 0)
                        s->res->timeout = (int) v;
                return r < 0 ? r : 0;
        }
        log_debug("%s:%u: %s ignored", s->path, line, text);
        return 0;
}

int grub_legacy_import(const struct import_fs *fs, const char *path, struct import_result *ret)
{
        struct grub_legacy_state s = {
                .fs = fs, .path = path, .res = ret, .base = ret->n, .cur = -1, .def = -1};
        int r;

        r = import_read_lines(fs, ret, path, GRUB_LEGACY_MAX_SIZE, false, grub_legacy_line, &s);
        if (r <= 0)
                goto out;
        r = 0;
        for (size_t i = s.base; i < ret->n; i++) {
                struct import_entry *e = &ret->entries[i];

                if (!e->kernel.path && !e->not_bootable && e->action == IMPORT_ACTION_KEXEC &&
                    util_strdup_to(&e->not_bootable, "no kernel line") < 0) {
                        r = -ENOMEM;
                        goto out;
                }
        }
        /* unlike 1.4.1, the last entry can be the default too */
        if (s.def >= 0) {
                if ((size_t) s.def < ret->n - s.base)
                        ret->default_index = (int) (s.base + (size_t) s.def);
                else
                        r = diag_add(&ret->diags, fs->dev, path, s.def_line,
                                     "default %ld, but there are only %zu entries", s.def,
                                     ret->n - s.base);
        }
out:
        free(s.global_root);
        free(s.root);
        return r < 0 ? -ENOMEM : 0;
}
