/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The entry editor (see editor.h). Pure. */
#include "editor.h"

#include <string.h>

#include "../core/utf8.h"
#include "../core/util.h"

/* ---- text ----------------------------------------------------------------------------------- */

/* The byte offset of character index c of s (its length when s is shorter). */
static size_t char_offset(const char *s, size_t len, size_t c)
{
        size_t i = 0;

        for (; i < len && c > 0; c--) {
                i++;
                while (i < len && utf8_is_cont((unsigned char) s[i]))
                        i++;
        }
        return i;
}

static size_t total_bytes(const struct editor *ed)
{
        size_t t = ed->n; /* the newlines, and the last NUL */

        for (size_t i = 0; i < ed->n; i++)
                t += ed->lines[i].len;
        return t;
}

/* A word that needs quoting ('…', a quote inside as '\''), so that editor_apply() reads it
 * back as it was. */
static bool needs_quotes(const char *s)
{
        return isempty(s) || strpbrk(s, " \t'\"\\#") != NULL;
}

static int push_word(char **buf, const char *w)
{
        _cleanup_free_ char *q = NULL;
        char *n;

        if (needs_quotes(w)) {
                size_t len = strlen(w), o = 0;

                q = malloc(len * 4 + 3);
                if (!q)
                        return -ENOMEM;
                q[o++] = '\'';
                for (const char *p = w; *p; p++) {
                        if (*p == '\'') {
                                memcpy(q + o, "'\\''", 4);
                                o += 4;
                        } else
                                q[o++] = *p;
                }
                q[o++] = '\'';
                q[o] = 0;
                w = q;
        }
        n = util_asprintf("%s %s", *buf, w);
        if (!n)
                return -ENOMEM;
        free(*buf);
        *buf = n;
        return 0;
}

static int push_rest(char **buf, const char *rest)
{
        char *n;

        rest = util_skip_blanks(rest ? rest : "");
        if (!*rest)
                return 0;
        n = util_asprintf("%s %s", *buf, rest);
        if (!n)
                return -ENOMEM;
        free(*buf);
        *buf = n;
        return 0;
}

static int add_line(struct editor *ed, const char *text)
{
        struct lineedit *l;

        if (ed->n >= EDITOR_MAX_LINES)
                return -E2BIG;
        l = realloc(ed->lines, (ed->n + 1) * sizeof(*l));
        if (!l)
                return -ENOMEM;
        ed->lines = l;
        lineedit_init(&l[ed->n]);
        ed->n++;
        if (lineedit_set(&l[ed->n - 1], text) < 0)
                return -ENOMEM;
        if (total_bytes(ed) > EDITOR_MAX_BYTES)
                return -E2BIG;
        return 0;
}

int editor_open(struct editor *ed, const struct boot_entry *e)
{
        _cleanup_free_ char *first = strdup(e->multiboot ? "multiboot" : "linux");
        int r;

        *ed = (struct editor){0};
        if (!first)
                return -ENOMEM;
        r = push_word(&first, e->kernel.path ? e->kernel.path : "");
        if (r >= 0)
                r = push_rest(&first, e->cmdline);
        if (r >= 0)
                r = add_line(ed, first);
        if (r >= 0 && e->n_initrds > 0) {
                _cleanup_free_ char *l = strdup("initrd");

                r = l ? 0 : -ENOMEM;
                for (size_t i = 0; r >= 0 && i < e->n_initrds; i++)
                        r = push_word(&l, e->initrds[i].path ? e->initrds[i].path : "");
                if (r >= 0)
                        r = add_line(ed, l);
        }
        for (size_t i = 0; r >= 0 && i < e->n_modules; i++) {
                _cleanup_free_ char *l = strdup("module");

                r = l ? push_word(&l, e->modules[i].path ? e->modules[i].path : "") : -ENOMEM;
                if (r >= 0)
                        r = push_rest(&l, e->modules[i].args);
                if (r >= 0)
                        r = add_line(ed, l);
        }
        if (r < 0) {
                editor_close(ed);
                return r;
        }
        for (size_t i = 0; i < ed->n; i++)
                ed->lines[i].cursor = 0;
        return 0;
}

void editor_close(struct editor *ed)
{
        for (size_t i = 0; i < ed->n; i++)
                lineedit_done(&ed->lines[i]);
        free(ed->lines);
        free(ed->error);
        *ed = (struct editor){0};
}

char *editor_text(const struct editor *ed)
{
        size_t len = total_bytes(ed), o = 0;
        char *s = malloc(len + 1);

        if (!s)
                return NULL;
        for (size_t i = 0; i < ed->n; i++) {
                memcpy(s + o, ed->lines[i].buf, ed->lines[i].len);
                o += ed->lines[i].len;
                if (i + 1 < ed->n)
                        s[o++] = '\n';
        }
        s[o] = 0;
        return s;
}

/* ---- keys ----------------------------------------------------------------------------------- */

/* Moves to line to, at the same character column (or its end). */
static enum editor_result go_line(struct editor *ed, size_t to)
{
        struct lineedit *from = &ed->lines[ed->cur], *l = &ed->lines[to];
        size_t col = utf8_count_chars(from->buf, from->cursor);

        ed->cur = to;
        l->cursor = char_offset(l->buf, l->len, col);
        return EDITOR_CHANGED;
}

/* Enter: the text after the cursor becomes a new line below, the cursor at its start. */
static enum editor_result split(struct editor *ed)
{
        struct lineedit *l, *n;
        _cleanup_free_ char *tail = NULL;

        if (ed->n >= EDITOR_MAX_LINES)
                return EDITOR_NONE;
        tail = strdup(ed->lines[ed->cur].buf + ed->lines[ed->cur].cursor);
        l = tail ? realloc(ed->lines, (ed->n + 1) * sizeof(*l)) : NULL;
        if (!l)
                return EDITOR_NONE;
        ed->lines = l;
        memmove(&l[ed->cur + 2], &l[ed->cur + 1], (ed->n - ed->cur - 1) * sizeof(*l));
        n = &l[ed->cur + 1];
        lineedit_init(n);
        ed->n++;
        if (lineedit_set(n, tail) < 0) {
                memmove(&l[ed->cur + 1], &l[ed->cur + 2], (ed->n - ed->cur - 2) * sizeof(*l));
                ed->n--;
                return EDITOR_NONE;
        }
        n->cursor = 0;
        l[ed->cur].len = l[ed->cur].cursor;
        l[ed->cur].buf[l[ed->cur].len] = 0;
        ed->cur++;
        return EDITOR_CHANGED;
}

/* Line i + 1 appended to line i (Backspace at the start of i + 1, Delete at the end of i); the
 * cursor where they meet. */
static enum editor_result join(struct editor *ed, size_t i)
{
        struct lineedit *a = &ed->lines[i], *b = &ed->lines[i + 1];
        _cleanup_free_ char *s = util_asprintf("%s%s", a->buf, b->buf);
        size_t at = a->len;

        if (!s || lineedit_set(a, s) < 0)
                return EDITOR_NONE;
        a->cursor = at;
        lineedit_done(b);
        memmove(b, b + 1, (ed->n - i - 2) * sizeof(*b));
        ed->n--;
        ed->cur = i;
        return EDITOR_CHANGED;
}

enum editor_result editor_key(struct editor *ed, const struct key_event *ev)
{
        struct lineedit *l = &ed->lines[ed->cur];

        if (ev->sym == KEYSYM_F1 + 9) /* F10 */
                return EDITOR_BOOT;
        switch (ev->sym) {
        case KEYSYM_ESCAPE:
                return EDITOR_CANCEL;
        case KEYSYM_CTRL:
                if (ev->ch == 'x')
                        return EDITOR_BOOT;
                break;
        case KEYSYM_ENTER:
                return split(ed);
        case KEYSYM_UP:
                return ed->cur > 0 ? go_line(ed, ed->cur - 1) : EDITOR_NONE;
        case KEYSYM_DOWN:
                return ed->cur + 1 < ed->n ? go_line(ed, ed->cur + 1) : EDITOR_NONE;
        case KEYSYM_LEFT:
                if (l->cursor == 0 && ed->cur > 0) {
                        ed->cur--;
                        ed->lines[ed->cur].cursor = ed->lines[ed->cur].len;
                        return EDITOR_CHANGED;
                }
                break;
        case KEYSYM_RIGHT:
                if (l->cursor == l->len && ed->cur + 1 < ed->n) {
                        ed->cur++;
                        ed->lines[ed->cur].cursor = 0;
                        return EDITOR_CHANGED;
                }
                break;
        case KEYSYM_BACKSPACE:
                if (l->cursor == 0)
                        return ed->cur > 0 ? join(ed, ed->cur - 1) : EDITOR_NONE;
                break;
        case KEYSYM_DELETE:
                if (l->cursor == l->len)
                        return ed->cur + 1 < ed->n ? join(ed, ed->cur) : EDITOR_NONE;
                break;
        case KEYSYM_CHAR:
                /* a character takes at most 4 bytes */
                if (total_bytes(ed) + 4 > EDITOR_MAX_BYTES)
                        return EDITOR_NONE;
                break;
        case KEYSYM_PAGE_UP:
        case KEYSYM_PAGE_DOWN:
        case KEYSYM_TAB:
                return EDITOR_NONE;
        default:
                break;
        }
        return lineedit_key(l, ev) == LINEEDIT_CHANGED ? EDITOR_CHANGED : EDITOR_NONE;
}

/* ---- the text back into an entry ------------------------------------------------------------ */

enum cmd { CMD_LINUX, CMD_MULTIBOOT, CMD_INITRD, CMD_MODULE };

static const struct {
        const char *name;
        enum cmd cmd;
} commands[] = {
        {"linux", CMD_LINUX},         {"linuxefi", CMD_LINUX}, {"linux16", CMD_LINUX},
        {"multiboot", CMD_MULTIBOOT}, {"initrd", CMD_INITRD},  {"initrdefi", CMD_INITRD},
        {"initrd16", CMD_INITRD},     {"module", CMD_MODULE},
};

/* The next word of *s (quotes and backslashes as in editor.h) in *ret (malloc'ed; NULL at the
 * end of the line); *s moves past it. -EINVAL for an unterminated quote. */
static int next_word(const char **s, char **ret)
{
        const char *p = util_skip_blanks(*s);
        size_t len = strlen(p), o = 0;
        char quote = 0, *w;

        *ret = NULL;
        if (!*p) {
                *s = p;
                return 0;
        }
        w = malloc(len + 1);
        if (!w)
                return -ENOMEM;
        for (; *p && (quote || (*p != ' ' && *p != '\t')); p++) {
                if (quote == '\'') {
                        if (*p == '\'')
                                quote = 0;
                        else
                                w[o++] = *p;
                } else if (*p == '\\' && p[1] && quote != '\'') {
                        w[o++] = *++p;
                } else if (quote == '"' && *p == '"') {
                        quote = 0;
                } else if (!quote && (*p == '\'' || *p == '"')) {
                        quote = *p;
                } else
                        w[o++] = *p;
        }
        w[o] = 0;
        if (quote) {
                free(w);
                return -EINVAL;
        }
        *s = p;
        *ret = w;
        return 0;
}

struct parsed {
        bool have_linux, have_initrd, multiboot;
        char *kernel, *cmdline;
        char **initrds;
        char **modules, **module_args; /* module_args: "" for none */
};

static void parsed_done(struct parsed *p)
{
        free(p->kernel);
        free(p->cmdline);
        strv_free(p->initrds);
        strv_free(p->modules);
        strv_free(p->module_args);
}

static int fail(struct editor *ed, size_t line, const char *fmt, ...) _printf_(3, 4);
static int fail(struct editor *ed, size_t line, const char *fmt, ...)
{
        va_list ap;
        char *m;

        va_start(ap, fmt);
        m = util_vasprintf(fmt, ap);
        va_end(ap);
        if (!m)
                return -ENOMEM;
        free(ed->error);
        ed->error = line ? util_asprintf("line %zu: %s", line, m) : strdup(m);
        free(m);
        ed->error_line = line;
        if (!ed->error)
                return -ENOMEM;
        return -EINVAL;
}

/* A path word: required, absolute. */
static int path_word(struct editor *ed, size_t line, const char *cmd, const char **s, char **ret)
{
        int r = next_word(s, ret);

        if (r == -EINVAL)
                return fail(ed, line, "a quote is not closed");
        if (r < 0)
                return r;
        if (!*ret)
                return fail(ed, line, "%s needs a file", cmd);
        if ((*ret)[0] != '/') {
                r = fail(ed, line, "'%s': a path starts with / (on the entry's own filesystem)",
                         *ret);
                free(*ret);
                *ret = NULL;
                return r;
        }
        return 0;
}

static int parse_line(struct editor *ed, size_t line, const char *s, struct parsed *p)
{
        _cleanup_free_ char *cmd = NULL;
        const char *name;
        size_t k;
        int r;

        r = next_word(&s, &cmd);
        if (r == -EINVAL)
                return fail(ed, line, "a quote is not closed");
        if (r < 0)
                return r;
        if (!cmd || cmd[0] == '#')
                return 0;
        for (k = 0; k < ARRAY_SIZE(commands) && !streq(commands[k].name, cmd); k++)
                ;
        if (k == ARRAY_SIZE(commands))
                return fail(ed, line, "unknown command '%s' (the lines are linux, initrd, module)",
                            cmd);
        name = commands[k].name;
        switch (commands[k].cmd) {
        case CMD_LINUX:
        case CMD_MULTIBOOT:
                if (p->have_linux)
                        return fail(ed, line, "a second %s line: an entry boots one kernel", name);
                r = path_word(ed, line, name, &s, &p->kernel);
                if (r < 0)
                        return r;
                p->have_linux = true;
                p->multiboot = commands[k].cmd == CMD_MULTIBOOT;
                p->cmdline = strdup(util_skip_blanks(s));
                if (!p->cmdline)
                        return -ENOMEM;
                util_strip_trailing(p->cmdline);
                return 0;
        case CMD_INITRD:
                if (p->have_initrd)
                        return fail(ed, line, "a second %s line: put every file on one", name);
                p->have_initrd = true;
                do {
                        _cleanup_free_ char *w = NULL;

                        r = path_word(ed, line, name, &s, &w);
                        if (r < 0)
                                return r;
                        r = strv_push(&p->initrds, w);
                        if (r < 0)
                                return r;
                } while (*util_skip_blanks(s));
                return 0;
        case CMD_MODULE: {
                _cleanup_free_ char *w = NULL, *args = NULL;

                r = path_word(ed, line, name, &s, &w);
                if (r < 0)
                        return r;
                args = strdup(util_skip_blanks(s));
                if (!args)
                        return -ENOMEM;
                util_strip_trailing(args);
                r = strv_push(&p->modules, w);
                if (r >= 0)
                        r = strv_push(&p->module_args, args);
                return r;
        }
        }
        return 0;
}

/* The reference for path: the original one at index i (or any of the list) when its path is
 * the same, else the kernel's filesystem with path. */
static int make_ref(const struct boot_entry *orig, const struct file_ref *list, size_t n, size_t i,
                    const char *path, struct file_ref *ret)
{
        const struct file_ref *from = NULL;
        int r;

        if (i < n && streq_ptr(list[i].path, path))
                from = &list[i];
        for (size_t k = 0; !from && k < n; k++)
                if (streq_ptr(list[k].path, path))
                        from = &list[k];
        r = file_ref_copy(from ? from : &orig->kernel, ret);
        if (r < 0)
                return r;
        if (!from) {
                free(ret->section);
                ret->section = NULL;
                free(ret->args);
                ret->args = NULL;
                free(ret->path);
                ret->path = strdup(path);
                if (!ret->path)
                        return -ENOMEM;
        }
        return 0;
}

/* Replaces the list *refs (*n_refs long) with one ref per path (make_ref() against the original
 * list); on failure *refs holds the refs made so far. */
static int replace_refs(const struct boot_entry *orig, const struct file_ref *list, size_t n,
                        char **paths, struct file_ref **refs, size_t *n_refs)
{
        size_t m = strv_length(paths);

        for (size_t i = 0; i < *n_refs; i++)
                file_ref_done(&(*refs)[i]);
        free(*refs);
        *refs = NULL;
        *n_refs = 0;
        if (m == 0)
                return 0;
        *refs = calloc(m, sizeof(**refs));
        if (!*refs)
                return -ENOMEM;
        for (size_t i = 0; i < m; i++) {
                int r = make_ref(orig, list, n, i, paths[i], &(*refs)[i]);

                if (r < 0)
                        return r;
                (*n_refs)++;
        }
        return 0;
}

int editor_apply(struct editor *ed, const struct boot_entry *orig, struct boot_entry *ret)
{
        struct parsed p = {0};
        struct boot_entry e = {0};
        int r = 0;

        *ret = (struct boot_entry){0};
        free(ed->error);
        ed->error = NULL;
        ed->error_line = 0;
        for (size_t i = 0; r >= 0 && i < ed->n; i++)
                r = parse_line(ed, i + 1, ed->lines[i].buf, &p);
        if (r >= 0 && !p.have_linux)
                r = fail(ed, 0, "no linux line: the entry needs one (linux KERNEL ARGS...)");
        if (r >= 0)
                r = boot_entry_copy(orig, &e);
        if (r >= 0) {
                file_ref_done(&e.kernel);
                r = make_ref(orig, &orig->kernel, 1, 0, p.kernel, &e.kernel);
                if (r >= 0)
                        r = replace_refs(orig, orig->initrds, orig->n_initrds, p.initrds,
                                         &e.initrds, &e.n_initrds);
                if (r >= 0)
                        r = replace_refs(orig, orig->modules, orig->n_modules, p.modules,
                                         &e.modules, &e.n_modules);
                for (size_t i = 0; r >= 0 && i < e.n_modules; i++) {
                        free(e.modules[i].args);
                        e.modules[i].args = NULL;
                        if (!isempty(p.module_args[i]) &&
                            !(e.modules[i].args = strdup(p.module_args[i])))
                                r = -ENOMEM;
                }
                if (r >= 0) {
                        free(e.cmdline);
                        e.cmdline = p.cmdline;
                        p.cmdline = NULL;
                        e.multiboot = p.multiboot;
                }
        }
        parsed_done(&p);
        if (r < 0) {
                boot_entry_done(&e);
                return r;
        }
        *ret = e;
        return 0;
}

/* ---- layout --------------------------------------------------------------------------------- */

/* Screen rows of a line of n characters, w characters a row. */
static size_t line_rows(size_t n, size_t w)
{
        return n == 0 ? 1 : (n + w - 1) / w;
}

int editor_layout(struct editor *ed, unsigned cols, unsigned rows, struct editor_screen *out)
{
        size_t w = cols > 1 ? cols - 1 : 1, total = 0, cur_row = 0, cur_col = 0, row = 0;
        int r = 0;

        *out = (struct editor_screen){0};
        if (cols == 0 || rows == 0)
                return 0;
        for (size_t i = 0; i < ed->n; i++) {
                const struct lineedit *l = &ed->lines[i];
                size_t n = utf8_count_chars(l->buf, l->len);

                if (i == ed->cur) {
                        size_t c = utf8_count_chars(l->buf, l->cursor), k = c / w;

                        k = MIN(k, line_rows(n, w) - 1);
                        cur_row = total + k;
                        cur_col = c - k * w;
                }
                total += line_rows(n, w);
        }
        if (cur_row < ed->top)
                ed->top = cur_row;
        if (cur_row >= ed->top + rows)
                ed->top = cur_row - rows + 1;
        if (total > rows && ed->top > total - rows)
                ed->top = total - rows;
        if (total <= rows)
                ed->top = 0;
        out->cursor_row = (unsigned) (cur_row - ed->top);
        out->cursor_col = (unsigned) MIN(cur_col, (size_t) cols - 1);
        out->more_above = ed->top > 0;
        out->more_below = ed->top + rows < total;

        for (size_t i = 0; r >= 0 && i < ed->n && row < ed->top + rows; i++) {
                const struct lineedit *l = &ed->lines[i];
                size_t n = utf8_count_chars(l->buf, l->len), nr = line_rows(n, w), off = 0;
                enum line_style style = i + 1 == ed->error_line ? LINE_ERROR : LINE_NORMAL;

                for (size_t k = 0; k < nr; k++, row++) {
                        size_t end = char_offset(l->buf + off, l->len - off, w) + off;
                        _cleanup_free_ char *s = NULL;

                        if (row >= ed->top && row < ed->top + rows) {
                                s = util_asprintf("%.*s%s", (int) (end - off), l->buf + off,
                                                  k + 1 < nr ? "\\" : "");
                                r = s ? lines_push(&out->rows, style, s) : -ENOMEM;
                                if (r < 0)
                                        break;
                        }
                        off = end;
                }
        }
        if (r < 0)
                editor_screen_done(out);
        return r;
}

void editor_screen_done(struct editor_screen *s)
{
        lines_clear(&s->rows);
        *s = (struct editor_screen){0};
}
