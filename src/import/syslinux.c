/* SPDX-License-Identifier: GPL-2.0-or-later */
/* syslinux.cfg, extlinux.conf and isolinux.cfg: LABEL blocks with KERNEL/LINUX, INITRD and APPEND,
 * the menu directives of menu.c32/vesamenu.c32 (MENU LABEL, DEFAULT, HIDE, BEGIN/END, TITLE),
 * DEFAULT, TIMEOUT and nested INCLUDE. Relative paths are relative to the directory of the
 * top configuration file (syslinux's working directory).
 *
 * Navigation items are no boot entries and are not listed (as in syslinux's menu, where they only
 * move between menus): labels with MENU EXIT, MENU GOTO, MENU QUIT or MENU DISABLE, LOCALBOOT,
 * CONFIG (another configuration, read by syslinux only when chosen: not followed), and labels
 * that start menu.c32/vesamenu.c32 again. A configuration without a menu (no UI line) runs its
 * DEFAULT at once: when that only hands over to another configuration (a CONFIG label, directly or
 * chosen by whichsys.c32, as Arch's ISO does), the listing is that file's. Of the COM32 modules,
 * linux.c32 (kernel and command line as its arguments) and mboot.c32 (multiboot: kernel and modules
 * separated by ---) boot; the others are listed as not bootable with the reason. */
#define LOG_MODULE "syslinux"

#include "import.h"

#include "../core/log.h"

#define SYSLINUX_MAX_SIZE  (4u << 20)
#define SYSLINUX_MAX_DEPTH 16
/* INCLUDEs read in all: a file that includes itself twice would otherwise branch 2^16 times
 * within the depth limit (found by fuzzing). */
#define SYSLINUX_MAX_INCLUDES   256
#define SYSLINUX_MAX_MENU_DEPTH 16

struct syslinux_label {
        char *name;
        char *menu_label;
        char *kernel;      /* first word of KERNEL/LINUX/…, as written */
        char *kernel_args; /* the rest of that line, or NULL */
        const char *kind;  /* why it is not a Linux kernel, or NULL */
        const char *nav;   /* MENU EXIT/GOTO/…: a navigation item (not listed), or NULL */
        const char *knav;  /* the same for the kernel line (CONFIG, LOCALBOOT, menu.c32) */
        bool module;       /* a COM32 module (KERNEL *.c32 or COM32) */
        char *append;      /* NULL: none */
        bool has_append;
        char *initrd; /* comma list, NULL: none */
        bool has_initrd;
        bool hide;
        bool menu_default;
        int menu; /* index in menus, -1 top level */
        char *config;
        unsigned line;
};

struct syslinux_menu {
        char *title;
        char *tag;
        int parent;
};

struct syslinux_state {
        const struct import_fs *fs;
        struct import_result *res;
        const char *basedir;
        char *global_append;
        char *global_initrd;
        char *default_label;
        struct syslinux_label *labels;
        size_t n_labels, cap_labels;
        struct syslinux_label *cur; /* the open LABEL, or NULL */
        struct syslinux_menu *menus;
        size_t n_menus, cap_menus;
        int menu; /* current menu, -1 top */
        bool depth_reported;
        unsigned includes; /* INCLUDEs followed so far */
        bool has_ui;       /* a UI line: syslinux shows a menu */
};

static void syslinux_label_done(struct syslinux_label *l)
{
        free(l->name);
        free(l->menu_label);
        free(l->kernel);
        free(l->kernel_args);
        free(l->append);
        free(l->initrd);
        free(l->config);
}

static void syslinux_state_done(struct syslinux_state *s)
{
        for (size_t i = 0; i < s->n_labels; i++)
                syslinux_label_done(&s->labels[i]);
        free(s->labels);
        for (size_t i = 0; i < s->n_menus; i++) {
                free(s->menus[i].title);
                free(s->menus[i].tag);
        }
        free(s->menus);
        free(s->global_append);
        free(s->global_initrd);
        free(s->default_label);
}

/* A path as syslinux sees it: absolute, or relative to the working directory. */
static char *syslinux_path(const char *basedir, const char *p)
{
        if (p[0] == '/')
                return strdup(p);
        if (streq(basedir, "/") || isempty(basedir))
                return util_asprintf("/%s", p);
        return util_asprintf("%s/%s", basedir, p);
}

static const char SYSLINUX_MODULE[] = "syslinux module";

static const char *syslinux_basename(const char *p)
{
        const char *b = strrchr(p, '/');

        return b ? b + 1 : p;
}

/* The type of a KERNEL file from its extension (as syslinux does), NULL for Linux. */
static const char *syslinux_kernel_kind(const char *kernel)
{
        const char *base = strrchr(kernel, '/'), *ext;

        base = base ? base + 1 : kernel;
        if (strcaseeq(base, "memdisk"))
                return "memdisk (not a Linux kernel)";
        ext = strrchr(base, '.');
        if (!ext)
                return NULL;
        if (strcaseeq(ext, ".c32"))
                return SYSLINUX_MODULE;
        if (strcaseeq(ext, ".com") || strcaseeq(ext, ".cbt"))
                return "COMBOOT program";
        if (strcaseeq(ext, ".bs") || strcaseeq(ext, ".bss") || strcaseeq(ext, ".bin") ||
            strcaseeq(ext, ".0"))
                return "boot sector";
        if (strcaseeq(ext, ".img"))
                return "floppy image";
        return NULL;
}

/* Takes the directive's first word: the keyword; *rest is what follows, blanks skipped. */
static const char *syslinux_word(char *line, char **rest)
{
        char *p = line;

        while (*p && *p != ' ' && *p != '\t')
                p++;
        if (*p)
                *p++ = '\0';
        *rest = (char *) util_skip_blanks(p);
        return line;
}

static void syslinux_strip_hotkeys(char *s)
{
        char *w = s;

        for (char *r = s; *r; r++)
                if (*r != '^')
                        *w++ = *r;
        *w = '\0';
}

static int syslinux_label_new(struct syslinux_state *s, const char *name, const char *path,
                              unsigned line)
{
        struct syslinux_label *l;

        if (UTIL_GROW(s->labels, s->cap_labels, s->n_labels + 1) < 0)
                return -ENOMEM;
        l = &s->labels[s->n_labels];
        *l = (struct syslinux_label){.menu = s->menu, .line = line};
        l->name = strdup(name);
        l->config = strdup(path);
        if (!l->name || !l->config) {
                syslinux_label_done(l);
                return -ENOMEM;
        }
        s->n_labels++;
        s->cur = l;
        return 0;
}

/* Closes the open LABEL: labels without their own APPEND/INITRD get the global ones as they
 * are at this point (syslinux records a label the same way). */
static int syslinux_label_close(struct syslinux_state *s)
{
        struct syslinux_label *l = s->cur;

        s->cur = NULL;
        if (!l)
                return 0;
        if (!l->has_append && util_strdup_to(&l->append, s->global_append) < 0)
                return -ENOMEM;
        if (!l->has_initrd && util_strdup_to(&l->initrd, s->global_initrd) < 0)
                return -ENOMEM;
        return 0;
}

static int syslinux_parse(struct syslinux_state *s, const char *path, unsigned depth);

static int syslinux_menu_directive(struct syslinux_state *s, const char *path, unsigned line,
                                   char *args)
{
        char *rest;
        const char *kw = syslinux_word(args, &rest);
        int r;

        util_strip_trailing(rest);
        if (strcaseeq(kw, "LABEL")) {
                if (!s->cur)
                        return 0;
                syslinux_strip_hotkeys(rest);
                return util_strdup_to(&s->cur->menu_label, rest);
        }
        if (strcaseeq(kw, "DEFAULT")) {
                if (s->cur)
                        s->cur->menu_default = true;
                return 0;
        }
        if (strcaseeq(kw, "HIDE")) {
                if (s->cur)
                        s->cur->hide = true;
                return 0;
        }
        {
                /* labels that only move in the menus (or cannot be chosen) */
                static const char *const nav_kw[][2] = {
                        {"EXIT", "MENU EXIT (back to a parent menu)"},
                        {"GOTO", "MENU GOTO (to another menu)"},
                        {"QUIT", "MENU QUIT (to the boot prompt)"},
                        {"DISABLE", "MENU DISABLE (not selectable)"},
                };

                for (size_t i = 0; i < ARRAY_SIZE(nav_kw); i++)
                        if (strcaseeq(kw, nav_kw[i][0])) {
                                if (s->cur)
                                        s->cur->nav = nav_kw[i][1];
                                return 0;
                        }
        }
        if (strcaseeq(kw, "BEGIN")) {
                struct syslinux_menu *m;
                unsigned depth = 0;

                r = syslinux_label_close(s);
                if (r < 0)
                        return r;
                for (int k = s->menu; k >= 0; k = s->menus[k].parent)
                        depth++;
                /* Submenus deeper than anyone nests them are a broken file; each entry's path is
                 * as long as its depth, so an unbounded depth is quadratic (found by fuzzing). */
                if (depth >= SYSLINUX_MAX_MENU_DEPTH)
                        return diag_add(&s->res->diags, s->fs->dev, path, line,
                                        "MENU BEGIN nested deeper than %d menus: ignored",
                                        SYSLINUX_MAX_MENU_DEPTH);
                if (UTIL_GROW(s->menus, s->cap_menus, s->n_menus + 1) < 0)
                        return -ENOMEM;
                m = &s->menus[s->n_menus];
                *m = (struct syslinux_menu){.parent = s->menu};
                if (*rest && !(m->tag = strdup(rest)))
                        return -ENOMEM;
                s->menu = (int) s->n_menus++;
                return 0;
        }
        if (strcaseeq(kw, "END")) {
                r = syslinux_label_close(s);
                if (r < 0)
                        return r;
                if (s->menu < 0)
                        return diag_add(&s->res->diags, s->fs->dev, path, line,
                                        "MENU END without MENU BEGIN");
                s->menu = s->menus[s->menu].parent;
                return 0;
        }
        if (strcaseeq(kw, "TITLE")) {
                if (s->menu < 0)
                        return 0;
                syslinux_strip_hotkeys(rest);
                return util_strdup_to(&s->menus[s->menu].title, rest);
        }
        log_debug("%s:%u: MENU %s ignored", path, line, kw);
        return 0;
}

static int syslinux_kernel(struct syslinux_state *s, const char *path, unsigned line,
                           const char *kw, char *args)
{
        struct syslinux_label *l = s->cur;
        char *rest;
        const char *file;

        if (!l) {
                log_debug("%s:%u: %s outside a LABEL ignored", path, line, kw);
                return 0;
        }
        if (isempty(args) && !strcaseeq(kw, "LOCALBOOT"))
                return diag_add(&s->res->diags, s->fs->dev, path, line, "%s without a file", kw);
        file = syslinux_word(args, &rest);
        if (util_strdup_to(&l->kernel, strcaseeq(kw, "LOCALBOOT") ? NULL : file) < 0 ||
            util_strdup_to(&l->kernel_args, isempty(rest) ? NULL : rest) < 0)
                return -ENOMEM;
        l->kind = l->knav = NULL;
        if (strcaseeq(kw, "KERNEL"))
                l->kind = syslinux_kernel_kind(file);
        else if (strcaseeq(kw, "LINUX"))
                l->kind = NULL;
        else if (strcaseeq(kw, "COM32"))
                l->kind = SYSLINUX_MODULE;
        else if (strcaseeq(kw, "COMBOOT"))
                l->kind = "COMBOOT program";
        else if (strcaseeq(kw, "BOOT") || strcaseeq(kw, "BSS"))
                l->kind = "boot sector";
        else if (strcaseeq(kw, "PXE"))
                l->kind = "PXE program";
        else if (strcaseeq(kw, "FDIMAGE"))
                l->kind = "floppy image";
        else if (strcaseeq(kw, "CONFIG"))
                l->knav = "CONFIG (another syslinux configuration, not followed)";
        else
                l->knav = "LOCALBOOT (boots the local disk)";
        l->module = l->kind == SYSLINUX_MODULE;
        if (l->module && (strcaseeq(syslinux_basename(file), "menu.c32") ||
                          strcaseeq(syslinux_basename(file), "vesamenu.c32")))
                l->knav = "starts the syslinux menu again";
        return 0;
}

static int syslinux_directive(struct syslinux_state *s, const char *path, unsigned line, char *text,
                              unsigned depth)
{
        static const char *const kernel_kw[] = {"KERNEL", "LINUX",    "COM32", "COMBOOT",
                                                "BOOT",   "BSS",      "PXE",   "FDIMAGE",
                                                "CONFIG", "LOCALBOOT"};
        char *rest;
        const char *kw = syslinux_word(text, &rest);
        int r;

        util_strip_trailing(rest);
        if (strcaseeq(kw, "LABEL")) {
                r = syslinux_label_close(s);
                if (r < 0)
                        return r;
                if (isempty(rest))
                        return diag_add(&s->res->diags, s->fs->dev, path, line,
                                        "LABEL without a name");
                return syslinux_label_new(s, rest, path, line);
        }
        for (size_t i = 0; i < ARRAY_SIZE(kernel_kw); i++)
                if (strcaseeq(kw, kernel_kw[i]))
                        return syslinux_kernel(s, path, line, kernel_kw[i], rest);
        if (strcaseeq(kw, "APPEND")) {
                const char *v = streq(rest, "-") ? NULL : rest;

                if (!s->cur)
                        return util_strdup_to(&s->global_append, v);
                s->cur->has_append = true;
                return util_strdup_to(&s->cur->append, v);
        }
        if (strcaseeq(kw, "INITRD")) {
                const char *v = isempty(rest) ? NULL : rest;

                if (!s->cur)
                        return util_strdup_to(&s->global_initrd, v);
                s->cur->has_initrd = true;
                return util_strdup_to(&s->cur->initrd, v);
        }
        if (strcaseeq(kw, "DEFAULT")) {
                char *after;

                if (isempty(rest))
                        return diag_add(&s->res->diags, s->fs->dev, path, line,
                                        "DEFAULT without a label");
                /* the first word: DEFAULT may also give a kernel command line */
                return util_strdup_to(&s->default_label, syslinux_word(rest, &after));
        }
        if (strcaseeq(kw, "TIMEOUT")) {
                char *end;
                long v = strtol(rest, &end, 10);

                if (isempty(rest) || *end || v < 0 || v > 1000000)
                        return diag_add(&s->res->diags, s->fs->dev, path, line,
                                        "TIMEOUT needs a number of tenths of a second, not '%s'",
                                        rest);
                /* 0 means "wait for the user" in syslinux: leave the timeout unset */
                if (v > 0)
                        s->res->timeout = (int) ((v + 9) / 10);
                return 0;
        }
        if (strcaseeq(kw, "INCLUDE")) {
                if (depth + 1 >= SYSLINUX_MAX_DEPTH) {
                        if (s->depth_reported)
                                return 0;
                        s->depth_reported = true;
                        return diag_add(&s->res->diags, s->fs->dev, path, line,
                                        "INCLUDE nested deeper than %d files (a loop?): skipped",
                                        SYSLINUX_MAX_DEPTH);
                }
                if (isempty(rest))
                        return diag_add(&s->res->diags, s->fs->dev, path, line,
                                        "INCLUDE without a file");
                if (++s->includes > SYSLINUX_MAX_INCLUDES) {
                        if (s->includes != SYSLINUX_MAX_INCLUDES + 1)
                                return 0;
                        return diag_add(&s->res->diags, s->fs->dev, path, line,
                                        "more than %d INCLUDEs (a loop?): the rest skipped",
                                        SYSLINUX_MAX_INCLUDES);
                }
                {
                        _cleanup_free_ char *p = NULL;
                        char *after;

                        p = syslinux_path(s->basedir, syslinux_word(rest, &after));
                        if (!p)
                                return -ENOMEM;
                        return syslinux_parse(s, p, depth + 1);
                }
        }
        if (strcaseeq(kw, "MENU"))
                return syslinux_menu_directive(s, path, line, rest);
        if (strcaseeq(kw, "UI")) {
                s->has_ui = true;
                return 0;
        }
        log_debug("%s:%u: %s ignored", path, line, kw);
        return 0;
}

/* One file being read (the configuration or an INCLUDEd one). */
struct syslinux_file {
        struct syslinux_state *s;
        const char *path;
        unsigned depth;
        bool in_text; /* between TEXT and ENDTEXT */
};

static int syslinux_line(void *userdata, unsigned line, char *t)
{
        struct syslinux_file *f = userdata;

        if (f->in_text) {
                if (strcaseeq(t, "ENDTEXT"))
                        f->in_text = false;
                return 0;
        }
        if (startswith_no_case(t, "TEXT") && (t[4] == ' ' || t[4] == '\t' || t[4] == '\0')) {
                f->in_text = true;
                return 0;
        }
        return syslinux_directive(f->s, f->path, line, t, f->depth);
}

static int syslinux_parse(struct syslinux_state *s, const char *path, unsigned depth)
{
        struct syslinux_file f = {.s = s, .path = path, .depth = depth};
        int r = import_read_lines(s->fs, s->res, path, SYSLINUX_MAX_SIZE, false, syslinux_line, &f);

        return r < 0 ? r : 0;
}

/* Splits a comma list of initrds and appends them (resolved) to e. */
static int syslinux_add_initrds(struct import_entry *e, const char *basedir, const char *list)
{
        _cleanup_free_ char *copy = strdup(list);
        char *save = NULL;

        if (!copy)
                return -ENOMEM;
        for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
                _cleanup_free_ char *p = NULL;

                if (!*t)
                        continue;
                p = syslinux_path(basedir, t);
                if (!p || import_entry_add_initrd(e, NULL, p) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* mboot.c32 KERNEL [args] --- MODULE [args] --- …: a multiboot kernel and its modules, paths as
 * syslinux sees them, as GRUB legacy's kernel/module lines. */
static int syslinux_emit_mboot(struct syslinux_state *s, struct import_entry *e, char **words)
{
        _cleanup_strv_ char **cur = NULL;
        bool kernel = true;

        e->multiboot = true;
        for (char **w = words;; w++) {
                if (*w && !streq(*w, "---")) {
                        if (strv_push(&cur, *w) < 0)
                                return -ENOMEM;
                        continue;
                }
                if (cur && cur[0]) {
                        _cleanup_free_ char *p = syslinux_path(s->basedir, cur[0]);
                        _cleanup_free_ char *args = strv_join(cur + 1, " ");

                        if (!p || !args)
                                return -ENOMEM;
                        if (kernel) {
                                if (import_file_set(&e->kernel, NULL, p) < 0)
                                        return -ENOMEM;
                                free(e->cmdline);
                                e->cmdline = args;
                                args = NULL;
                        } else {
                                struct import_file *m =
                                        realloc(e->modules, (e->n_modules + 1) * sizeof(*m));

                                if (!m)
                                        return -ENOMEM;
                                e->modules = m;
                                m[e->n_modules] = (struct import_file){.path = p};
                                p = NULL;
                                e->n_modules++;
                                if (strv_push(&e->module_args, args) < 0)
                                        return -ENOMEM;
                        }
                } else if (kernel)
                        return util_strdup_to(&e->not_bootable, "mboot.c32 without a kernel");
                kernel = false;
                strv_free(cur);
                cur = NULL;
                if (!*w)
                        break;
        }
        if (!e->cmdline && !(e->cmdline = strdup("")))
                return -ENOMEM;
        return 0;
}

static int syslinux_emit(struct syslinux_state *s, const struct syslinux_label *l)
{
        _cleanup_strv_ char **words = NULL, **kept = NULL, **sub = NULL;
        _cleanup_free_ char *all = NULL, *kpath = NULL;
        struct import_entry *e;
        int r;

        /* the submenu path, outermost first */
        sub = calloc(1, sizeof(char *));
        if (!sub)
                return -ENOMEM;
        for (int m = l->menu; m >= 0; m = s->menus[m].parent) {
                const struct syslinux_menu *mm = &s->menus[m];
                const char *t = mm->title ? mm->title : mm->tag ? mm->tag : "Submenu";
                size_t n = strv_length(sub);
                char **nl = realloc(sub, (n + 2) * sizeof(char *));

                if (!nl)
                        return -ENOMEM;
                sub = nl;
                memmove(sub + 1, sub, (n + 1) * sizeof(char *));
                if (!(sub[0] = strdup(t)))
                        return -ENOMEM;
        }

        e = import_result_add(s->res);
        if (!e)
                return -ENOMEM;
        e->submenu = sub;
        sub = NULL;
        if (util_strdup_to(&e->title, l->menu_label ? l->menu_label : l->name) < 0 ||
            util_strdup_to(&e->id, l->name) < 0 || util_strdup_to(&e->config, l->config) < 0)
                return -ENOMEM;
        e->line = l->line;
        if (l->kernel) {
                kpath = syslinux_path(s->basedir, l->kernel);
                if (!kpath || import_file_set(&e->kernel, NULL, kpath) < 0)
                        return -ENOMEM;
        }
        if (l->initrd) {
                r = syslinux_add_initrds(e, s->basedir, l->initrd);
                if (r < 0)
                        return r;
        }
        all = util_asprintf("%s %s", l->kernel_args ? l->kernel_args : "",
                            l->append ? l->append : "");
        if (!all || strv_split_blanks(all, &words) < 0)
                return -ENOMEM;
        if (l->module && strcaseeq(syslinux_basename(l->kernel), "mboot.c32"))
                return syslinux_emit_mboot(s, e, words);
        kept = calloc(1, sizeof(char *));
        if (!kept)
                return -ENOMEM;
        if (l->module && strcaseeq(syslinux_basename(l->kernel), "linux.c32")) {
                /* linux.c32 [-option…] KERNEL [command line with initrd=…] */
                char **w = words;

                while (*w && (*w)[0] == '-')
                        w++;
                if (!*w || startswith(*w, "initrd=")) {
                        if (util_strdup_to(&e->not_bootable, "linux.c32 without a kernel") < 0)
                                return -ENOMEM;
                } else {
                        free(kpath);
                        kpath = syslinux_path(s->basedir, *w);
                        if (!kpath || import_file_set(&e->kernel, NULL, kpath) < 0)
                                return -ENOMEM;
                        for (char **k = words; k <= w; k++)
                                (*k)[0] = '\0'; /* consumed */
                }
        }
        strv_foreach (w, words) {
                if (!*w)
                        continue;
                const char *v = startswith(w, "initrd=");

                if (v)
                        r = syslinux_add_initrds(e, s->basedir, v);
                else
                        r = strv_push(&kept, w);
                if (r < 0)
                        return r;
        }
        e->cmdline = strv_join(kept, " ");
        if (!e->cmdline)
                return -ENOMEM;
        if (l->kind == SYSLINUX_MODULE && !strcaseeq(syslinux_basename(l->kernel), "linux.c32")) {
                free(e->not_bootable);
                e->not_bootable = util_asprintf("%s: a syslinux module, not a Linux kernel",
                                                syslinux_basename(l->kernel));
                r = e->not_bootable ? 0 : -ENOMEM;
        } else if (l->kind && l->kind != SYSLINUX_MODULE)
                r = util_strdup_to(&e->not_bootable, l->kind);
        else if (!l->kernel && !e->not_bootable)
                r = util_strdup_to(&e->not_bootable, "no KERNEL or LINUX line");
        else
                r = 0;
        return r;
}

static const struct syslinux_label *syslinux_find(const struct syslinux_state *s, const char *name)
{
        for (size_t i = 0; name && i < s->n_labels; i++)
                if (streq(s->labels[i].name, name))
                        return &s->labels[i];
        return NULL;
}

/* The configuration syslinux goes on with when it runs DEFAULT without a menu (no UI line): the
 * file of a CONFIG label, named by DEFAULT or chosen by whichsys.c32 (its -sys- command for
 * syslinux and extlinux, -iso- for isolinux). NULL: DEFAULT boots something itself. */
static char *syslinux_handover(const struct syslinux_state *s, const char *path)
{
        const struct syslinux_label *l = syslinux_find(s, s->default_label);

        if (s->has_ui || !l)
                return NULL;
        if (l->module && l->kernel && strcaseeq(syslinux_basename(l->kernel), "whichsys.c32")) {
                const char *want =
                        strcaseeq(syslinux_basename(path), "isolinux.cfg") ? "-iso-" : "-sys-";
                _cleanup_free_ char *args = strdup(l->append ? l->append : "");
                const struct syslinux_label *to = NULL;
                char *rest = args;

                if (!args)
                        return NULL;
                while (!to && rest && *rest) {
                        const char *w = syslinux_word(rest, &rest);

                        if (streq(w, want) && rest && *rest)
                                to = syslinux_find(s, syslinux_word(rest, &rest));
                }
                l = to;
        }
        if (!l || !l->kernel || !l->knav || !startswith(l->knav, "CONFIG"))
                return NULL;
        return syslinux_path(s->basedir, l->kernel);
}

static int syslinux_import_from(const struct import_fs *fs, const char *path,
                                struct import_result *ret, unsigned hops);

int syslinux_import(const struct import_fs *fs, const char *path, struct import_result *ret)
{
        return syslinux_import_from(fs, path, ret, 0);
}

static int syslinux_import_from(const struct import_fs *fs, const char *path,
                                struct import_result *ret, unsigned hops)
{
        _cleanup_free_ char *basedir = strdup(path);
        struct syslinux_state s = {.fs = fs, .res = ret, .menu = -1};
        const struct syslinux_label *def = NULL;
        char *slash;
        int r;

        if (!basedir)
                return -ENOMEM;
        slash = strrchr(basedir, '/');
        if (slash)
                slash == basedir ? (void) (slash[1] = '\0') : (void) (*slash = '\0');
        else
                strcpy(basedir, "/");
        s.basedir = basedir;

        r = syslinux_parse(&s, path, 0);
        if (r >= 0)
                r = syslinux_label_close(&s);
        if (r < 0)
                goto out;
        if (s.menu >= 0)
                diag_add(&ret->diags, fs->dev, path, 0, "MENU BEGIN without MENU END");
        if (hops < SYSLINUX_MAX_DEPTH) {
                _cleanup_free_ char *next = syslinux_handover(&s, path);

                if (next) {
                        /* syslinux starts over with the other file: nothing of this one stays */
                        log_debug("%s: DEFAULT %s hands over to %s (no menu here)", path,
                                  s.default_label, next);
                        syslinux_state_done(&s);
                        ret->timeout = -1;
                        return syslinux_import_from(fs, next, ret, hops + 1);
                }
        }

        /* MENU DEFAULT wins over DEFAULT, the last one if several say it (syslinux's record()
         * sets the menu's default at each; live-build marks both of its live labels); a hidden
         * default gives none */
        for (size_t i = 0; i < s.n_labels; i++)
                if (s.labels[i].menu_default)
                        def = &s.labels[i];
        for (size_t i = 0; i < s.n_labels && !def && s.default_label; i++)
                if (streq(s.labels[i].name, s.default_label))
                        def = &s.labels[i];
        for (size_t i = 0; i < s.n_labels; i++) {
                const char *nav = s.labels[i].nav ? s.labels[i].nav : s.labels[i].knav;

                if (s.labels[i].hide) {
                        log_debug("%s: LABEL %s hidden (MENU HIDE)", path, s.labels[i].name);
                        continue;
                }
                if (nav) {
                        log_debug("%s: LABEL %s is a navigation item, not listed: %s", path,
                                  s.labels[i].name, nav);
                        continue;
                }
                if (def == &s.labels[i])
                        ret->default_index = (int) ret->n;
                r = syslinux_emit(&s, &s.labels[i]);
                if (r < 0)
                        goto out;
        }
        if (s.default_label && !def && !isempty(s.default_label))
                log_debug("%s: DEFAULT %s names no label", path, s.default_label);
        r = 0;
out:
        syslinux_state_done(&s);
        return r < 0 ? -ENOMEM : 0;
}
