/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The parser half of the GRUB 2 importer: a lexer for GRUB's script language (words, quotes,
 * escapes, $var/${var}, comments, blocks) and a parser into a syntax tree (commands, lists,
 * if/for/while/until, functions, menuentry/submenu). A syntax error skips one statement. The
 * interpreter (grub2.c) runs the tree. */
#include <stdarg.h>

#include "grub2-internal.h"

int grub2_wv_consume(struct grub2_wv *w, char *s)
{
        if (!s)
                return -ENOMEM;
        if (w->n + 2 > w->cap) {
                size_t cap = MAX(w->cap * 2, (size_t) 8);
                char **v = realloc(w->v, cap * sizeof(char *));

                if (!v) {
                        free(s);
                        return -ENOMEM;
                }
                w->v = v;
                w->cap = cap;
        }
        w->v[w->n++] = s;
        w->v[w->n] = NULL;
        return 0;
}

void grub2_sb_putc(struct grub2_sb *b, char ch)
{
        if (b->oom)
                return;
        if (UTIL_GROW(b->s, b->cap, b->n + 2) < 0) {
                b->oom = true;
                return;
        }
        b->s[b->n++] = ch;
        b->s[b->n] = 0;
}

void grub2_sb_puts(struct grub2_sb *b, const char *s)
{
        while (s && *s)
                grub2_sb_putc(b, *s++);
}

char *grub2_sb_take(struct grub2_sb *b)
{
        char *s;

        if (b->oom) {
                free(b->s);
                *b = (struct grub2_sb){0};
                return NULL;
        }
        s = b->s ? b->s : strdup("");
        *b = (struct grub2_sb){0};
        return s;
}

/* ---- lexer ---- */

struct parser {
        struct diag_list *diags;
        const char *dev; /* for diagnostics */
        bool oom;
        struct grub2_script *s;
        size_t pos;
        const char *err;
        unsigned err_line;
        /* Statements parsed, including re-parses after errors: recovery re-reads nested blocks,
         * which a fuzzer made exponential; past the budget the rest of the file is skipped. */
        size_t work, budget;
        bool over_budget;
};

static void pdiag(struct parser *p, unsigned line, const char *fmt, ...) _printf_(3, 4);
static void pdiag(struct parser *p, unsigned line, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (r < 0) {
                msg = NULL;
                p->oom = true;
                return;
        }
        if (diag_add(p->diags, p->dev, p->s->path, line, "%s", msg) < 0)
                p->oom = true;
}

static bool is_delim(char ch)
{
        return ch == 0 || grub2_is_blank(ch) || ch == '\n' || ch == ';';
}

static int add_tok(struct grub2_script *s, enum grub2_tok type, char *raw, unsigned line)
{
        if (UTIL_GROW(s->toks, s->cap_toks, s->n_toks + 1) < 0) {
                free(raw);
                return -ENOMEM;
        }
        s->toks[s->n_toks++] = (struct grub2_token){type, raw, line};
        return 0;
}

static int lex(struct parser *ps, const char *p)
{
        struct grub2_script *s = ps->s;
        unsigned line = 1;
        int r;

        for (;;) {
                struct grub2_sb w = {0};
                unsigned start;

                while (grub2_is_blank(*p) || (p[0] == '\\' && p[1] == '\n')) {
                        if (*p == '\\') {
                                p++;
                                line++;
                        }
                        p++;
                }
                if (!*p)
                        break;
                if (*p == '#') {
                        while (*p && *p != '\n')
                                p++;
                        continue;
                }
                if (*p == '\n' || *p == ';') {
                        r = add_tok(s, *p == '\n' ? GRUB2_T_NL : GRUB2_T_SEMI, NULL, line);
                        if (r < 0)
                                return r;
                        if (*p == '\n')
                                line++;
                        p++;
                        continue;
                }
                if ((*p == '{' || *p == '}') && is_delim(p[1])) {
                        r = add_tok(s, *p == '{' ? GRUB2_T_LBRACE : GRUB2_T_RBRACE, NULL, line);
                        if (r < 0)
                                return r;
                        p++;
                        continue;
                }
                start = line;
                while (!is_delim(*p)) {
                        if (*p == '\\') {
                                if (p[1] == '\n') {
                                        p += 2;
                                        line++;
                                        continue;
                                }
                                grub2_sb_putc(&w, *p++);
                                if (*p)
                                        grub2_sb_putc(&w, *p++);
                        } else if (*p == '\'' || *p == '"') {
                                char q = *p;
                                const char *qstart = p;
                                size_t wlen = w.n;
                                unsigned qline = line;

                                grub2_sb_putc(&w, *p++);
                                while (*p && *p != q) {
                                        if (q == '"' && *p == '\\' && p[1]) {
                                                if (p[1] == '\n')
                                                        line++;
                                                grub2_sb_putc(&w, *p++);
                                        }
                                        if (*p == '\n')
                                                line++;
                                        grub2_sb_putc(&w, *p++);
                                }
                                if (*p)
                                        grub2_sb_putc(&w, *p++);
                                else {
                                        /* Unterminated: close it at the end of its line, so
                                         * that only that line is lost. */
                                        pdiag(ps, qline, "unterminated %s quote",
                                              q == '"' ? "double" : "single");
                                        w.n = wlen;
                                        if (w.s)
                                                w.s[w.n] = 0;
                                        line = qline;
                                        for (p = qstart; *p && *p != '\n'; p++)
                                                grub2_sb_putc(&w, *p);
                                        grub2_sb_putc(&w, q);
                                }
                        } else if (p[0] == '$' && p[1] == '{') {
                                while (*p && *p != '}' && *p != '\n')
                                        grub2_sb_putc(&w, *p++);
                                if (*p == '}')
                                        grub2_sb_putc(&w, *p++);
                        } else
                                grub2_sb_putc(&w, *p++);
                }
                {
                        char *raw = grub2_sb_take(&w);

                        if (!raw)
                                return -ENOMEM;
                        r = add_tok(s, GRUB2_T_WORD, raw, start);
                        if (r < 0)
                                return r;
                }
        }
        return add_tok(s, GRUB2_T_EOF, NULL, line);
}

static void node_free(struct grub2_node *n)
{
        if (!n)
                return;
        strv_free(n->words);
        for (size_t i = 0; i < n->n_kids; i++)
                node_free(n->kids[i]);
        free(n->kids);
        free(n);
}

static struct grub2_node *node_new(struct parser *p, enum grub2_node_type type, unsigned line)
{
        struct grub2_node *n = calloc(1, sizeof(*n));

        if (!n) {
                p->oom = true;
                return NULL;
        }
        n->type = type;
        n->line = line;
        n->words = calloc(1, sizeof(char *));
        if (!n->words) {
                free(n);
                p->oom = true;
                return NULL;
        }
        return n;
}

static int node_word(struct grub2_node *n, const char *raw)
{
        struct grub2_wv w = {.v = n->words, .n = n->n_words, .cap = n->cap_words};
        int r = grub2_wv_consume(&w, strdup(raw));

        n->words = w.v;
        n->n_words = w.n;
        n->cap_words = w.cap;
        return r;
}

/* Appends kid. The array's room is the next power of two (node_add() alone grows it), so a list
 * of n statements costs O(n), not n reallocs of a growing array. */
static int node_add(struct parser *p, struct grub2_node *n, struct grub2_node *kid)
{
        struct grub2_node **k = n->kids;

        if ((n->n_kids & (n->n_kids - 1)) == 0) {
                k = realloc(n->kids, (n->n_kids ? 2 * n->n_kids : 1) * sizeof(*k));
                if (!k) {
                        node_free(kid);
                        p->oom = true;
                        return -ENOMEM;
                }
        }
        n->kids = k;
        k[n->n_kids++] = kid;
        return 0;
}

static const struct grub2_token *peek(struct parser *p)
{
        return &p->s->toks[p->pos];
}

static bool is_kw(const struct grub2_token *t, const char *kw)
{
        return t->type == GRUB2_T_WORD && streq(t->raw, kw);
}

static bool is_reserved(const struct grub2_token *t)
{
        static const char *const kws[] = {"then", "elif", "else", "fi", "do", "done", "in"};

        for (size_t i = 0; i < ARRAY_SIZE(kws); i++)
                if (is_kw(t, kws[i]))
                        return true;
        return false;
}

static void skip_separators(struct parser *p)
{
        while (peek(p)->type == GRUB2_T_NL || peek(p)->type == GRUB2_T_SEMI)
                p->pos++;
}

static void *perr(struct parser *p, const char *msg)
{
        if (!p->err) {
                p->err = msg;
                p->err_line = peek(p)->line;
        }
        return NULL;
}

static bool expect_kw(struct parser *p, const char *kw)
{
        skip_separators(p);
        if (!is_kw(peek(p), kw))
                return false;
        p->pos++;
        return true;
}

static struct grub2_node *parse_list(struct parser *p, const char *const *terms, bool top);

static struct grub2_node *parse_block(struct parser *p, struct grub2_node *n)
{
        struct grub2_node *body;

        if (peek(p)->type != GRUB2_T_LBRACE) {
                node_free(n);
                return perr(p, "expected '{'");
        }
        p->pos++;
        body = parse_list(p, NULL, false);
        if (!body) {
                node_free(n);
                return NULL;
        }
        if (node_add(p, n, body) < 0) {
                node_free(n);
                return NULL;
        }
        skip_separators(p);
        if (peek(p)->type != GRUB2_T_RBRACE) {
                node_free(n);
                return perr(p, "missing '}'");
        }
        p->pos++;
        return n;
}

/* "do LIST done", the body of for, while and until. False after a reported error. */
static bool parse_do_done(struct parser *p, struct grub2_node *n)
{
        static const char *const t_done[] = {"done", NULL};
        struct grub2_node *k;

        if (!expect_kw(p, "do")) {
                perr(p, "expected 'do'");
                return false;
        }
        k = parse_list(p, t_done, false);
        if (!k || node_add(p, n, k) < 0)
                return false;
        if (!expect_kw(p, "done")) {
                perr(p, "missing 'done'");
                return false;
        }
        return true;
}

static struct grub2_node *parse_statement(struct parser *p)
{
        static const char *const t_then[] = {"then", NULL};
        static const char *const t_elif[] = {"elif", "else", "fi", NULL};
        static const char *const t_fi[] = {"fi", NULL};
        static const char *const t_do[] = {"do", NULL};
        const struct grub2_token *t = peek(p);
        struct grub2_node *n, *k;

        if (t->type == GRUB2_T_LBRACE) {
                n = node_new(p, GRUB2_N_LIST, t->line);
                if (!n)
                        return NULL;
                p->pos++;
                node_free(n);
                n = parse_list(p, NULL, false);
                if (!n)
                        return NULL;
                skip_separators(p);
                if (peek(p)->type != GRUB2_T_RBRACE) {
                        node_free(n);
                        return perr(p, "missing '}'");
                }
                p->pos++;
                return n;
        }
        if (t->type != GRUB2_T_WORD)
                return perr(p, "unexpected token");
        if (is_reserved(t))
                return perr(p, "unexpected keyword");

        if (is_kw(t, "if")) {
                n = node_new(p, GRUB2_N_IF, t->line);
                if (!n)
                        return NULL;
                p->pos++;
                for (;;) {
                        k = parse_list(p, t_then, false);
                        if (!k || node_add(p, n, k) < 0)
                                goto fail;
                        if (!expect_kw(p, "then")) {
                                perr(p, "expected 'then'");
                                goto fail;
                        }
                        k = parse_list(p, t_elif, false);
                        if (!k || node_add(p, n, k) < 0)
                                goto fail;
                        skip_separators(p);
                        if (is_kw(peek(p), "elif")) {
                                p->pos++;
                                continue;
                        }
                        if (is_kw(peek(p), "else")) {
                                p->pos++;
                                k = parse_list(p, t_fi, false);
                                if (!k || node_add(p, n, k) < 0)
                                        goto fail;
                                n->flag = true;
                        }
                        if (!expect_kw(p, "fi")) {
                                perr(p, "missing 'fi'");
                                goto fail;
                        }
                        return n;
                }
        }
        if (is_kw(t, "for")) {
                n = node_new(p, GRUB2_N_FOR, t->line);
                if (!n)
                        return NULL;
                p->pos++;
                if (peek(p)->type != GRUB2_T_WORD) {
                        perr(p, "expected a variable name after 'for'");
                        goto fail;
                }
                if (node_word(n, peek(p)->raw) < 0)
                        goto oom;
                p->pos++;
                if (!is_kw(peek(p), "in")) {
                        perr(p, "expected 'in'");
                        goto fail;
                }
                p->pos++;
                while (peek(p)->type == GRUB2_T_WORD) {
                        if (node_word(n, peek(p)->raw) < 0)
                                goto oom;
                        p->pos++;
                }
                if (!parse_do_done(p, n))
                        goto fail;
                return n;
        }
        if (is_kw(t, "while") || is_kw(t, "until")) {
                n = node_new(p, GRUB2_N_WHILE, t->line);
                if (!n)
                        return NULL;
                n->flag = is_kw(t, "until");
                p->pos++;
                k = parse_list(p, t_do, false);
                if (!k || node_add(p, n, k) < 0)
                        goto fail;
                if (!parse_do_done(p, n))
                        goto fail;
                return n;
        }
        if (is_kw(t, "function")) {
                n = node_new(p, GRUB2_N_FUNC, t->line);
                if (!n)
                        return NULL;
                p->pos++;
                if (peek(p)->type != GRUB2_T_WORD) {
                        perr(p, "expected a function name");
                        goto fail;
                }
                if (node_word(n, peek(p)->raw) < 0)
                        goto oom;
                p->pos++;
                while (peek(p)->type == GRUB2_T_NL)
                        p->pos++;
                return parse_block(p, n);
        }
        if (is_kw(t, "menuentry") || is_kw(t, "submenu")) {
                n = node_new(p, GRUB2_N_MENU, t->line);
                if (!n)
                        return NULL;
                n->flag = is_kw(t, "submenu");
                p->pos++;
                while (peek(p)->type == GRUB2_T_WORD) {
                        if (node_word(n, peek(p)->raw) < 0)
                                goto oom;
                        p->pos++;
                }
                return parse_block(p, n);
        }
        /* name() { … } */
        {
                size_t l = strlen(t->raw);
                const struct grub2_token *t2 = &p->s->toks[p->pos + 1];

                if ((l > 2 && streq(t->raw + l - 2, "()")) || (is_kw(t2, "()"))) {
                        n = node_new(p, GRUB2_N_FUNC, t->line);
                        if (!n)
                                return NULL;
                        if (node_word(n, t->raw) < 0)
                                goto oom;
                        if (l > 2 && streq(t->raw + l - 2, "()"))
                                n->words[0][l - 2] = 0;
                        else
                                p->pos++;
                        p->pos++;
                        while (peek(p)->type == GRUB2_T_NL)
                                p->pos++;
                        return parse_block(p, n);
                }
        }

        n = node_new(p, GRUB2_N_CMD, t->line);
        if (!n)
                return NULL;
        while (peek(p)->type == GRUB2_T_WORD) {
                if (node_word(n, peek(p)->raw) < 0)
                        goto oom;
                p->pos++;
        }
        if (peek(p)->type == GRUB2_T_LBRACE) {
                perr(p, "unexpected '{'");
                goto fail;
        }
        return n;
oom:
        p->oom = true;
fail:
        node_free(n);
        return perr(p, "syntax error");
}

static bool is_term(const struct grub2_token *t, const char *const *terms)
{
        for (; terms && *terms; terms++)
                if (is_kw(t, *terms))
                        return true;
        return false;
}

/* Statements until EOF, '}' or one of terms (not consumed). A statement with a syntax error is
 * reported and skipped up to the end of its first line; parsing goes on after it. */
static struct grub2_node *parse_list(struct parser *p, const char *const *terms, bool top)
{
        struct grub2_node *list = node_new(p, GRUB2_N_LIST, peek(p)->line);

        if (!list)
                return NULL;
        for (;;) {
                size_t start;
                struct grub2_node *n;

                skip_separators(p);
                if (peek(p)->type == GRUB2_T_EOF || p->oom)
                        break;
                if (!top && (peek(p)->type == GRUB2_T_RBRACE || is_term(peek(p), terms)))
                        break;
                if (top && peek(p)->type == GRUB2_T_RBRACE) {
                        pdiag(p, peek(p)->line, "unexpected '}'");
                        p->pos++;
                        continue;
                }
                if (++p->work > p->budget) {
                        if (!p->over_budget)
                                pdiag(p, peek(p)->line,
                                      "too many syntax errors: the rest of the file is skipped");
                        p->over_budget = true;
                }
                if (p->over_budget)
                        break;
                start = p->pos;
                p->err = NULL;
                n = parse_statement(p);
                if (n) {
                        if (node_add(p, list, n) < 0)
                                break;
                        continue;
                }
                if (p->oom)
                        break;
                pdiag(p, p->s->toks[start].line, "%s (at line %u), statement skipped",
                      p->err ? p->err : "syntax error", p->err_line);
                p->err = NULL;
                /* Skip the first line of the bad statement. */
                p->pos = start + 1;
                while (peek(p)->type != GRUB2_T_EOF && peek(p)->type != GRUB2_T_NL &&
                       peek(p)->type != GRUB2_T_LBRACE && peek(p)->type != GRUB2_T_RBRACE)
                        p->pos++;
                if (peek(p)->type == GRUB2_T_LBRACE)
                        p->pos++;
        }
        return list;
}

/* ---- entry points ---- */

int grub2_script_parse(struct grub2_script *s, const char *data, size_t len,
                       struct diag_list *diags, const char *fs_dev)
{
        /* A well-formed file parses each statement once; recovery may re-read some. */
        struct parser p = {.diags = diags, .dev = s->dev ? s->dev : fs_dev, .s = s};

        if (strlen(data) != len)
                pdiag(&p, 0, "file contains NUL bytes; ignored after the first");
        if (lex(&p, data) < 0 || p.oom)
                return -ENOMEM;
        p.budget = 4 * s->n_toks + 1000;
        s->root = parse_list(&p, NULL, true);
        return p.oom || !s->root ? -ENOMEM : 0;
}

void grub2_script_free(struct grub2_script *s)
{
        if (!s)
                return;
        free(s->path);
        free(s->dev);
        for (size_t i = 0; i < s->n_toks; i++)
                free(s->toks[i].raw);
        free(s->toks);
        node_free(s->root);
        free(s);
}
