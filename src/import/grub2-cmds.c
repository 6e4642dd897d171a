/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GRUB 2 commands beyond the core of the interpreter (grub2.c), each as GRUB 2.06/2.12 has it:
 * regexp (commands/regexp.c), eval, setparams (script/execute.c), probe (commands/probe.c)
 * answered from the backend's device facts, and the wildcard expansion of paths
 * (commands/wildcard.c). They see the interpreter only through grub2-internal.h, and every one
 * is bounded: pattern and string sizes, runs, directories listed, paths made. */
#define LOG_MODULE "grub2"

#include <ctype.h>
#include <regex.h>

#include "grub2-internal.h"

#include "../core/log.h"

static char *steal_str(char **p)
{
        char *v = *p;

        *p = NULL;
        return v;
}

/* ---- regexp [--set [NUM:]VAR]... REGEXP STRING ---- */

/* Bounded repetitions ({m,n}) and back-references make regcomp/regexec blow up (memory,
 * exponential time); GRUB configs never need them past a small count. NULL when pat is fine. */
static const char *regex_refused(const char *pat)
{
        unsigned braces = 0;

        for (const char *p = pat; *p; p++) {
                if (*p == '\\' && p[1]) {
                        if (isdigit((unsigned char) p[1]))
                                return "back-references";
                        p++;
                } else if (*p == '{') {
                        char *e;
                        unsigned long m = strtoul(p + 1, &e, 10), n = m;

                        if (*e == ',')
                                n = isdigit((unsigned char) e[1]) ? strtoul(e + 1, &e, 10) : 0;
                        if (++braces > 4 || m > 64 || n > 64)
                                return "repetition counts above 64 (or more than 4 of them)";
                }
        }
        return NULL;
}

/* A --set argument: "VAR" (sub-match 1) or "NUM:VAR". */
static void regexp_set(struct ctx *c, const char *spec, const char *str, const regmatch_t *m,
                       size_t nm)
{
        const char *colon = strchr(spec, ':'), *var = spec;
        unsigned long k = 1;

        if (colon) {
                char *e;

                k = strtoul(spec, &e, 10);
                if (e != colon || !isdigit((unsigned char) spec[0])) {
                        grub2_diag(c, "regexp: invalid variable name format %s", spec);
                        return;
                }
                var = colon + 1;
        }
        if (k >= nm || m[k].rm_so < 0) {
                grub2_unset(c, var);
                return;
        }
        {
                _cleanup_free_ char *v =
                        strndup(str + m[k].rm_so, (size_t) (m[k].rm_eo - m[k].rm_so));

                if (!v) {
                        grub2_oom(c);
                        return;
                }
                grub2_set(c, var, v);
        }
}

int grub2_cmd_regexp(struct ctx *c, char **argv, size_t argc)
{
        struct grub2_budget *b = grub2_budget(c);
        _cleanup_free_ const char **sets = calloc(argc, sizeof(char *));
        const char *args[2] = {0}, *why;
        _cleanup_free_ regmatch_t *m = NULL;
        size_t n_sets = 0, n_args = 0;
        bool opts = true;
        regex_t re;
        int r;

        if (!sets) {
                grub2_oom(c);
                return 1;
        }
        for (size_t i = 1; i < argc; i++) {
                const char *a = argv[i], *v;

                if (opts && streq(a, "--")) {
                        opts = false;
                } else if (opts && (streq(a, "--set") || streq(a, "-s"))) {
                        if (i + 1 >= argc) {
                                grub2_diag(c, "regexp: --set needs a variable");
                                return 1;
                        }
                        sets[n_sets++] = argv[++i];
                } else if (opts && (v = startswith(a, "--set="))) {
                        sets[n_sets++] = v;
                } else if (opts && a[0] == '-' && a[1]) {
                        grub2_diag(c, "regexp: unknown option %s", a);
                        return 1;
                } else if (n_args < 2) {
                        args[n_args++] = a;
                } else {
                        n_args++;
                }
        }
        if (n_args != 2) {
                grub2_diag(c, "regexp: two arguments expected");
                return 1;
        }
        if (++b->regex_runs > GRUB2_MAX_REGEX_RUNS) {
                if (b->regex_runs == GRUB2_MAX_REGEX_RUNS + 1)
                        grub2_diag(c, "more than %d regexp commands: the rest fail",
                                   GRUB2_MAX_REGEX_RUNS);
                return 1;
        }
        if (strlen(args[0]) > GRUB2_MAX_REGEX || strlen(args[1]) > GRUB2_MAX_REGEX_STR) {
                grub2_diag(c, "regexp: pattern longer than %d or string longer than %d bytes",
                           GRUB2_MAX_REGEX, GRUB2_MAX_REGEX_STR);
                return 1;
        }
        why = regex_refused(args[0]);
        if (why) {
                grub2_diag(c, "regexp %s: %s are not supported here", args[0], why);
                return 1;
        }
        r = regcomp(&re, args[0], REG_EXTENDED);
        if (r != 0) {
                char err[128];

                regerror(r, &re, err, sizeof(err));
                grub2_diag(c, "regexp %s: %s", args[0], err);
                return 1;
        }
        m = calloc(re.re_nsub + 1, sizeof(*m));
        if (!m) {
                regfree(&re);
                grub2_oom(c);
                return 1;
        }
        r = regexec(&re, args[1], re.re_nsub + 1, m, 0);
        if (r == 0)
                for (size_t i = 0; i < n_sets && !grub2_failed(c); i++)
                        regexp_set(c, sets[i], args[1], m, re.re_nsub + 1);
        regfree(&re);
        return r == 0 ? 0 : 1;
}

/* ---- eval ARGS... and setparams ARGS... ---- */

int grub2_cmd_eval(struct ctx *c, char **argv, size_t argc)
{
        _cleanup_free_ char *text = NULL;

        if (argc < 2)
                return 0;
        text = strv_join(argv + 1, " ");
        if (!text) {
                grub2_oom(c);
                return 1;
        }
        return grub2_eval(c, text);
}

int grub2_cmd_setparams(struct ctx *c, char **argv, size_t argc)
{
        return grub2_setparams(c, argv + 1);
}

/* ---- probe [--set VAR] --driver|--partmap|--fs|--fs-uuid|--label|--part-uuid DEVICE ---- */

/* GRUB's filesystem driver names for libblkid's types. */
static const char *const grub_fs_names[][2] = {
        {"ext2", "ext2"},   {"ext3", "ext2"},        {"ext4", "ext2"},
        {"vfat", "fat"},    {"exfat", "exfat"},      {"ntfs", "ntfs"},
        {"btrfs", "btrfs"}, {"xfs", "xfs"},          {"iso9660", "iso9660"},
        {"udf", "udf"},     {"squashfs", "squash4"}, {"hfsplus", "hfsplus"},
        {"hfs", "hfs"},     {"jfs", "jfs"},          {"reiserfs", "reiserfs"},
        {"f2fs", "f2fs"},   {"nilfs2", "nilfs2"},    {"zfs_member", "zfs"},
        {"erofs", "erofs"}, {"cramfs", "cramfs"},    {"minix", "minix"},
        {"ufs", "ufs2"},    {"romfs", "romfs"},      {"afs", "afs"},
};

enum probe_what {
        PROBE_NONE,
        PROBE_DRIVER,
        PROBE_PARTMAP,
        PROBE_PART_UUID,
        PROBE_FS,
        PROBE_FS_UUID,
        PROBE_LABEL
};

static const struct {
        const char *opt, *short_opt;
        enum probe_what what;
} probe_opts[] = {
        {"--driver", "-d", PROBE_DRIVER},       {"--partmap", "-p", PROBE_PARTMAP},
        {"--part-uuid", NULL, PROBE_PART_UUID}, {"--fs", "-f", PROBE_FS},
        {"--fs-uuid", "-u", PROBE_FS_UUID},     {"--label", "-l", PROBE_LABEL},
};

static char *lowercase(char *s)
{
        for (char *p = s; p && *p; p++)
                *p = (char) tolower((unsigned char) *p);
        return s;
}

/* The answer GRUB would give, or NULL (with *ret_err the reason) when GRUB fails. */
static char *probe_value(struct ctx *c, const char *dev, enum probe_what what, const char **ret_err)
{
        const struct import_fs *fs = grub2_fs(c);
        _cleanup_free_ char *partmap = NULL, *type = NULL;
        char *v;

        *ret_err = "no such device";
        if (!fs->probe)
                return NULL;
        /* a known device always has a partition map answer ("none" for a whole disk) */
        partmap = fs->probe(fs->userdata, dev, "partmap");
        if (!partmap)
                return NULL;
        switch (what) {
        case PROBE_DRIVER:
                return strdup(fs->efi ? "efidisk" : "biosdisk");
        case PROBE_PARTMAP:
                return steal_str(&partmap);
        case PROBE_PART_UUID:
                v = streq(partmap, "none") ? NULL : fs->probe(fs->userdata, dev, "part_uuid");
                return v ? lowercase(v) : strdup("none");
        default:
                break;
        }
        type = fs->probe(fs->userdata, dev, "fs");
        *ret_err = "unknown filesystem";
        for (size_t i = 0; type && i < ARRAY_SIZE(grub_fs_names); i++) {
                if (!streq(type, grub_fs_names[i][0]))
                        continue;
                if (what == PROBE_FS)
                        return strdup(grub_fs_names[i][1]);
                if (what == PROBE_FS_UUID) {
                        /* GRUB prints FAT, exFAT and NTFS serials in lower case */
                        v = fs->probe(fs->userdata, dev, "fs_uuid");
                        *ret_err = "the filesystem has no UUID";
                        return lowercase(v);
                }
                v = fs->probe(fs->userdata, dev, "label");
                return v ? v : strdup(""); /* no label: GRUB's ext2 answers "" */
        }
        return NULL;
}

int grub2_cmd_probe(struct ctx *c, char **argv, size_t argc)
{
        const char *var = NULL, *name = NULL, *err = NULL;
        enum probe_what what = PROBE_NONE;
        _cleanup_free_ char *dev = NULL, *val = NULL;

        for (size_t i = 1; i < argc; i++) {
                const char *a = argv[i], *v;
                bool known = false;

                for (size_t k = 0; k < ARRAY_SIZE(probe_opts); k++)
                        if (streq(a, probe_opts[k].opt) || streq_ptr(a, probe_opts[k].short_opt)) {
                                /* GRUB answers the first of these it checks, whatever the
                                 * order on the command line */
                                if (what == PROBE_NONE || probe_opts[k].what < what)
                                        what = probe_opts[k].what;
                                known = true;
                        }
                if (known)
                        continue;
                if ((streq(a, "--set") || streq(a, "-s")) && i + 1 < argc)
                        var = argv[++i];
                else if ((v = startswith(a, "--set=")))
                        var = v;
                else if (a[0] == '-' && a[1]) {
                        grub2_diag(c, "probe: unknown option %s", a);
                        return 1;
                } else if (!name)
                        name = a;
        }
        if (!name) {
                grub2_diag(c, "probe: device name required");
                return 1;
        }
        if (what == PROBE_NONE) {
                grub2_diag(c, "probe %s: unrecognised target", name);
                return 1;
        }
        dev = grub2_device(c, name);
        if (grub2_failed(c))
                return 1;
        val = probe_value(c, dev, what, &err);
        if (!val) {
                log_debug("probe %s: %s", name, err);
                return 1;
        }
        if (var)
                grub2_set(c, var, val);
        return 0;
}

/* ---- wildcards in paths (GRUB's wildcard module) ---- */

/* Whether name matches one path component of a pattern (len bytes): '*' any run, '?' any one
 * character, '\\' makes the next one literal. Linear backtracking over the last '*'. */
static bool wild_match(const char *pat, size_t len, const char *name)
{
        const char *end = pat + len, *star = NULL, *star_name = NULL;

        while (*name) {
                if (pat < end && *pat == '*') {
                        star = ++pat;
                        star_name = name;
                        continue;
                }
                if (pat < end) {
                        bool escaped = *pat == '\\' && pat + 1 < end;
                        char pc = escaped ? pat[1] : *pat;

                        if ((!escaped && pc == '?') || pc == *name) {
                                pat += escaped ? 2 : 1;
                                name++;
                                continue;
                        }
                }
                if (!star)
                        return false;
                pat = star;
                name = ++star_name;
        }
        while (pat < end && *pat == '*')
                pat++;
        return pat == end;
}

/* The end of the path component at p (an unescaped '/' or the end); wild when it has an
 * unescaped '*' or '?'. */
static const char *component_end(const char *p, bool *wild)
{
        *wild = false;
        for (; *p && *p != '/'; p++) {
                if (*p == '\\' && p[1])
                        p++;
                else if (*p == '*' || *p == '?')
                        *wild = true;
        }
        return p;
}

/* The component without its escapes. */
static char *unescape(const char *p, const char *end)
{
        struct grub2_sb b = {0};

        for (; p < end; p++) {
                if (*p == '\\' && p + 1 < end)
                        p++;
                grub2_sb_putc(&b, *p);
        }
        return grub2_sb_take(&b);
}

struct glob {
        struct ctx *c;
        const char *dev; /* device spec, NULL = the imported filesystem */
        size_t prefix;   /* bytes of "(dev)" at the start of every path */
        struct grub2_wv paths;
        bool wild_seen;
};

static int glob_add(struct glob *g, struct grub2_wv *next, const char *path, const char *name)
{
        if (next->n >= GRUB2_MAX_GLOB) {
                grub2_diag(g->c, "wildcards matching more than %d paths: the rest left out",
                           GRUB2_MAX_GLOB);
                return 0;
        }
        return grub2_wv_consume(next, util_asprintf("%s/%s", path, name));
}

/* One component: each path so far, listed and matched (wild) or extended and checked. */
static int glob_component(struct glob *g, const char *p, const char *end, bool wild)
{
        const struct import_fs *fs = grub2_fs(g->c);
        struct grub2_budget *b = grub2_budget(g->c);
        struct grub2_wv next = {0};
        _cleanup_free_ char *lit = wild ? NULL : unescape(p, end);
        int r = 0;

        if (!wild && !lit)
                return -ENOMEM;
        for (size_t i = 0; i < g->paths.n && r >= 0 && next.n < GRUB2_MAX_GLOB; i++) {
                const char *path = g->paths.v[i], *in_fs = path + g->prefix;
                _cleanup_strv_ char **names = NULL;

                if (!wild) {
                        _cleanup_free_ char *full = util_asprintf("%s/%s", in_fs, lit);
                        int type;

                        if (!full)
                                return -ENOMEM;
                        type = g->wild_seen ? fs->stat(fs->userdata, g->dev, full, NULL) : 2;
                        if (type != 0 && (lit[0] || type == 2))
                                r = glob_add(g, &next, path, lit);
                        continue;
                }
                if (++b->glob_lists > GRUB2_MAX_GLOB_LISTS) {
                        if (b->glob_lists == GRUB2_MAX_GLOB_LISTS + 1)
                                grub2_diag(g->c,
                                           "wildcards listed more than %d directories: no more "
                                           "expanded",
                                           GRUB2_MAX_GLOB_LISTS);
                        break;
                }
                if (fs->list(fs->userdata, g->dev, in_fs[0] ? in_fs : "/", &names) < 0)
                        continue; /* not a directory, or gone: no match there */
                strv_foreach (n, names)
                        if (!streq(n, ".") && !streq(n, "..") &&
                            wild_match(p, (size_t) (end - p), n) && r >= 0)
                                r = glob_add(g, &next, path, n);
        }
        strv_free(g->paths.v);
        g->paths = next;
        g->wild_seen = g->wild_seen || wild;
        return r < 0 ? -ENOMEM : 0;
}

int grub2_glob(struct ctx *c, const char *pat, struct grub2_wv *out)
{
        struct glob g = {.c = c};
        _cleanup_free_ char *dev = NULL, *prefix = NULL;
        const char *rest = pat;
        size_t n;
        int r = 0;

        if (pat[0] == '(') {
                const char *close = pat + 1;
                bool wild = false;

                for (; *close && *close != ')'; close++)
                        if (*close == '*' || *close == '?')
                                wild = true;
                        else if (*close == '\\' && close[1])
                                close++;
                if (!*close || wild)
                        return 0; /* device names by wildcard: not expanded here */
                _cleanup_free_ char *name = unescape(pat + 1, close);

                if (!name)
                        return -ENOMEM;
                dev = grub2_device(c, name);
                prefix = unescape(pat, close + 1);
                rest = close + 1;
        } else if (pat[0] == '/') {
                dev = grub2_device(c, grub2_get(c, "root"));
                prefix = strdup("");
        } else
                return 0; /* "*…": device names by wildcard */
        if (grub2_failed(c) || !prefix)
                return -ENOMEM;
        if (rest[0] != '/')
                return 0;
        g.dev = dev;
        g.prefix = strlen(prefix);
        if (grub2_wv_consume(&g.paths, steal_str(&prefix)) < 0)
                return -ENOMEM;
        for (const char *p = rest + 1;; p++) {
                bool wild;
                const char *end = component_end(p, &wild);

                r = glob_component(&g, p, end, wild);
                if (r < 0 || g.paths.n == 0 || !*end)
                        break;
                p = end;
        }
        n = g.wild_seen && r >= 0 ? g.paths.n : 0;
        for (size_t i = 0; i < g.paths.n; i++)
                if (i < n && r >= 0)
                        r = grub2_wv_consume(out, steal_str(&g.paths.v[i]));
                else
                        free(g.paths.v[i]);
        free(g.paths.v);
        return r < 0 ? -ENOMEM : (int) n;
}
