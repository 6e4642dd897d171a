/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The parser half of the GRUB 2 importer: a lexer for GRUB's script language (words, quotes,
 * escapes, $var/${var}, comments, blocks) and a parser into a syntax tree (commands, lists,
 * if/for/while/until, functions, menuentry/submenu). A syntax error skips one statement. The
 * interpreter (grub2.c) runs the tree. */
#include <stdarg.h>
#include <string.h>

#include "grub2-internal.h"

int grub2_wv_consume(struct grub2_wv *w, char *s)
{
        if (!s)
                return -ENOMEM;
        if (w->n + 2 > w->cap) {
                size_t cap = MAX(w->cap * 2, (size_t) 4); /* most commands have 1 to 3 words */
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

void grub2_sb_putn(struct grub2_sb *b, const char *s, size_t n)
{
        if (b->oom || !n)
                return;
        if ((b->cap < b->n + n + 1 || !b->s) && UTIL_GROW(b->s, b->cap, b->n + n + 1) < 0) {
                b->oom = true;
                return;
        }
        memcpy(b->s + b->n, s, n);
        b->n += n;
        b->s[b->n] = 0;
}

void grub2_sb_putc(struct grub2_sb *b, char ch)
{
        grub2_sb_putn(b, &ch, 1);
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
        struct grub2_sb words; /* the words' text, each NUL-terminated (grub2_token.word) */
        struct diag_list *diags;
        const char *dev; /* for diagnostics */
        size_t diags_max;
        bool oom;
        unsigned depth; /* blocks open around the statement being parsed */
        struct grub2_script *s;
        size_t pos;
        const char *err;
        unsigned err_line;
        /* Statements parsed, including re-parses after errors: recovery re-reads nested blocks,
         * which a fuzzer made exponential; past the budget the rest of the file is skipped. */
        size_t work, budget;
        bool over_budget;
        bool unclosed; /* a block too deep ran to the end of the file */
};

static void pdiag(struct parser *p, unsigned line, const char *fmt, ...) _printf_(3, 4);
static void pdiag(struct parser *p, unsigned line, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        grub2_diag_vadd(p->diags, p->diags_max, p->dev, p->s->path, line, &p->oom, fmt, ap);
        va_end(ap);
}

static bool is_delim(char ch)
{
        return ch == 0 || grub2_is_blank(ch) || ch == '\n' || ch == ';';
}

#define LINE_MAX_STORED ((1u << 28) - 1)

/* word: 1 + the offset of the word's text in ps->words, or 0. */
static int add_tok(struct parser *ps, enum grub2_tok type, uint32_t word, unsigned line)
{
        struct grub2_script *s = ps->s;

        if (UTIL_GROW(s->toks, s->cap_toks, s->n_toks + 1) < 0)
                return -ENOMEM;
        s->toks[s->n_toks++] = (struct grub2_token){
                .word = word, .type = type, .line = MIN(line, LINE_MAX_STORED)};
        return 0;
}

/* A quoted part of a word at *pp (quotes kept). Unterminated, it is closed at the end of its
 * line, so that only that line is lost. */
static void lex_quoted(struct parser *ps, const char **pp, unsigned *line, struct grub2_sb *w)
{
        const char *p = *pp, *qstart = p;
        char q = *p;
        size_t wlen = w->n;
        unsigned qline = *line;

        grub2_sb_putc(w, *p++);
        while (*p && *p != q) {
                if (q == '"' && *p == '\\' && p[1]) {
                        if (p[1] == '\n')
                                (*line)++;
                        grub2_sb_putc(w, *p++);
                }
                if (*p == '\n')
                        (*line)++;
                grub2_sb_putc(w, *p++);
        }
        if (*p)
                grub2_sb_putc(w, *p++);
        else {
                pdiag(ps, qline, "unterminated %s quote", q == '"' ? "double" : "single");
                w->n = wlen;
                if (w->s)
                        w->s[w->n] = 0;
                *line = qline;
                for (p = qstart; *p && *p != '\n'; p++)
                        grub2_sb_putc(w, *p);
                grub2_sb_putc(w, q);
        }
        *pp = p;
}

/* The word at *pp as written (quotes, escapes and ${…} kept), appended to ps->words with its
 * NUL: 1 + its offset there, or 0 on OOM. */
static uint32_t lex_word(struct parser *ps, const char **pp, unsigned *line)
{
        struct grub2_sb *wp = &ps->words;
        size_t start = wp->n;
        const char *p = *pp;

        while (!is_delim(*p)) {
                if (*p == '\\') {
                        if (p[1] == '\n') {
                                p += 2;
                                (*line)++;
                                continue;
                        }
                        grub2_sb_putc(wp, *p++);
                        if (*p)
                                grub2_sb_putc(wp, *p++);
                } else if (*p == '\'' || *p == '"') {
                        lex_quoted(ps, &p, line, wp);
                } else if (p[0] == '$' && p[1] == '{') {
                        while (*p && *p != '}' && *p != '\n')
                                grub2_sb_putc(wp, *p++);
                        if (*p == '}')
                                grub2_sb_putc(wp, *p++);
                } else
                        grub2_sb_putc(wp, *p++);
        }
        *pp = p;
        grub2_sb_putc(wp, 0); /* its NUL, kept: the next word starts after it */
        if (wp->oom || start >= UINT32_MAX)
                return 0;
        return (uint32_t) start + 1;
}

static int lex(struct parser *ps, const char *p)
{
        struct grub2_script *s = ps->s;
        unsigned line = 1;
        int r = 0;

        for (;;) {
                unsigned start;
                uint32_t word;

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
                        enum grub2_tok t = *p == '\n' ? GRUB2_T_NL : GRUB2_T_SEMI;

                        /* A run of the same separator is one token (a file of newlines or ';'
                         * costs no memory per byte). */
                        if (s->n_toks == 0 || s->toks[s->n_toks - 1].type != t)
                                r = add_tok(ps, t, 0, line);
                        if (*p == '\n')
                                line++;
                        p++;
                } else if ((*p == '{' || *p == '}') && is_delim(p[1])) {
                        r = add_tok(ps, *p == '{' ? GRUB2_T_LBRACE : GRUB2_T_RBRACE, 0, line);
                        p++;
                } else {
                        start = line;
                        word = lex_word(ps, &p, &line);
                        r = word ? add_tok(ps, GRUB2_T_WORD, word, start) : -ENOMEM;
                }
                if (r < 0)
                        return r;
        }
        return add_tok(ps, GRUB2_T_EOF, 0, line);
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

/* A token as the parser reads it. */
struct tok {
        const char *raw; /* GRUB2_T_WORD: the text as written (quotes included), else NULL */
        enum grub2_tok type;
        unsigned line;
};

static struct tok tok_at(const struct parser *p, size_t i)
{
        const struct grub2_token *t = &p->s->toks[i];

        return (struct tok){.raw = t->word ? p->words.s + t->word - 1 : NULL,
                            .type = (enum grub2_tok) t->type,
                            .line = t->line};
}

static struct tok peek(struct parser *p)
{
        return tok_at(p, p->pos);
}

static bool is_kw(struct tok t, const char *kw)
{
        return t.type == GRUB2_T_WORD && streq(t.raw, kw);
}

static bool is_reserved(struct tok t)
{
        static const char *const kws[] = {"then", "elif", "else", "fi", "do", "done", "in"};

        for (size_t i = 0; i < ARRAY_SIZE(kws); i++)
                if (is_kw(t, kws[i]))
                        return true;
        return false;
}

static void skip_separators(struct parser *p)
{
        while (peek(p).type == GRUB2_T_NL || peek(p).type == GRUB2_T_SEMI)
                p->pos++;
}

static void *perr(struct parser *p, const char *msg)
{
        if (!p->err) {
                p->err = msg;
                p->err_line = peek(p).line;
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

        if (peek(p).type != GRUB2_T_LBRACE) {
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
        if (peek(p).type != GRUB2_T_RBRACE) {
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

/* Drops n after a syntax error (or a failed allocation) in it. */
static struct grub2_node *fail(struct parser *p, struct grub2_node *n, bool oom)
{
        if (oom)
                p->oom = true;
        node_free(n);
        return perr(p, "syntax error");
}

/* Appends the words at p to n. False on OOM. */
static bool take_words(struct parser *p, struct grub2_node *n)
{
        for (; peek(p).type == GRUB2_T_WORD; p->pos++)
                if (node_word(n, peek(p).raw) < 0)
                        return false;
        return true;
}

/* The name word after a keyword (for's variable, function's name), appended to n: 0, -EBADMSG
 * with `what` reported, or -ENOMEM. */
static int take_name(struct parser *p, struct grub2_node *n, const char *what)
{
        if (peek(p).type != GRUB2_T_WORD) {
                perr(p, what);
                return -EBADMSG;
        }
        if (node_word(n, peek(p).raw) < 0)
                return -ENOMEM;
        p->pos++;
        return 0;
}

/* "{ LIST }" as a statement: the list itself. */
static struct grub2_node *parse_braces(struct parser *p, struct tok t)
{
        struct grub2_node *n;

        p->pos++;
        n = parse_list(p, NULL, false);
        if (!n)
                return NULL;
        skip_separators(p);
        if (peek(p).type != GRUB2_T_RBRACE) {
                node_free(n);
                return perr(p, "missing '}'");
        }
        p->pos++;
        return n;
}

/* if LIST; then LIST; [elif LIST; then LIST;]… [else LIST;] fi: kids are condition, body pairs,
 * then the else body (flag). */
static struct grub2_node *parse_if(struct parser *p, struct tok t)
{
        static const char *const t_then[] = {"then", NULL};
        static const char *const t_elif[] = {"elif", "else", "fi", NULL};
        static const char *const t_fi[] = {"fi", NULL};
        struct grub2_node *n = node_new(p, GRUB2_N_IF, t.line), *k;

        if (!n)
                return NULL;
        p->pos++;
        for (;;) {
                k = parse_list(p, t_then, false);
                if (!k || node_add(p, n, k) < 0)
                        return fail(p, n, false);
                if (!expect_kw(p, "then")) {
                        perr(p, "expected 'then'");
                        return fail(p, n, false);
                }
                k = parse_list(p, t_elif, false);
                if (!k || node_add(p, n, k) < 0)
                        return fail(p, n, false);
                skip_separators(p);
                if (!is_kw(peek(p), "elif"))
                        break;
                p->pos++;
        }
        if (is_kw(peek(p), "else")) {
                p->pos++;
                k = parse_list(p, t_fi, false);
                if (!k || node_add(p, n, k) < 0)
                        return fail(p, n, false);
                n->flag = true;
        }
        if (!expect_kw(p, "fi")) {
                perr(p, "missing 'fi'");
                return fail(p, n, false);
        }
        return n;
}

/* for NAME in WORDS; do LIST; done: words are the name, then the values. */
static struct grub2_node *parse_for(struct parser *p, struct tok t)
{
        struct grub2_node *n = node_new(p, GRUB2_N_FOR, t.line);
        int r;

        if (!n)
                return NULL;
        p->pos++;
        r = take_name(p, n, "expected a variable name after 'for'");
        if (r < 0)
                return fail(p, n, r == -ENOMEM);
        if (!is_kw(peek(p), "in")) {
                perr(p, "expected 'in'");
                return fail(p, n, false);
        }
        p->pos++;
        if (!take_words(p, n))
                return fail(p, n, true);
        if (!parse_do_done(p, n))
                return fail(p, n, false);
        return n;
}

/* while/until LIST; do LIST; done */
static struct grub2_node *parse_while(struct parser *p, struct tok t)
{
        static const char *const t_do[] = {"do", NULL};
        struct grub2_node *n = node_new(p, GRUB2_N_WHILE, t.line), *k;

        if (!n)
                return NULL;
        n->flag = is_kw(t, "until");
        p->pos++;
        k = parse_list(p, t_do, false);
        if (!k || node_add(p, n, k) < 0)
                return fail(p, n, false);
        if (!parse_do_done(p, n))
                return fail(p, n, false);
        return n;
}

/* function NAME { LIST } */
static struct grub2_node *parse_function(struct parser *p, struct tok t)
{
        struct grub2_node *n = node_new(p, GRUB2_N_FUNC, t.line);
        int r;

        if (!n)
                return NULL;
        p->pos++;
        r = take_name(p, n, "expected a function name");
        if (r < 0)
                return fail(p, n, r == -ENOMEM);
        while (peek(p).type == GRUB2_T_NL)
                p->pos++;
        return parse_block(p, n);
}

/* NAME() { LIST } or NAME () { LIST } */
static struct grub2_node *parse_named_function(struct parser *p, struct tok t)
{
        struct grub2_node *n = node_new(p, GRUB2_N_FUNC, t.line);
        size_t l = strlen(t.raw);

        if (!n)
                return NULL;
        if (node_word(n, t.raw) < 0)
                return fail(p, n, true);
        if (l > 2 && streq(t.raw + l - 2, "()"))
                n->words[0][l - 2] = 0;
        else
                p->pos++;
        p->pos++;
        while (peek(p).type == GRUB2_T_NL)
                p->pos++;
        return parse_block(p, n);
}

/* menuentry/submenu WORDS { LIST } */
static struct grub2_node *parse_menu(struct parser *p, struct tok t)
{
        struct grub2_node *n = node_new(p, GRUB2_N_MENU, t.line);

        if (!n)
                return NULL;
        n->flag = is_kw(t, "submenu");
        p->pos++;
        if (!take_words(p, n))
                return fail(p, n, true);
        return parse_block(p, n);
}

static struct grub2_node *parse_command(struct parser *p, struct tok t)
{
        struct grub2_node *n = node_new(p, GRUB2_N_CMD, t.line);

        if (!n)
                return NULL;
        if (!take_words(p, n))
                return fail(p, n, true);
        if (peek(p).type == GRUB2_T_LBRACE) {
                perr(p, "unexpected '{'");
                return fail(p, n, false);
        }
        return n;
}

static bool is_named_function(struct parser *p, struct tok t)
{
        size_t l = strlen(t.raw);

        return (l > 2 && streq(t.raw + l - 2, "()")) || is_kw(tok_at(p, p->pos + 1), "()");
}

static const struct {
        const char *kw;
        struct grub2_node *(*fn)(struct parser *p, struct tok t);
} compounds[] = {
        {"if", parse_if},        {"for", parse_for},           {"while", parse_while},
        {"until", parse_while},  {"function", parse_function}, {"menuentry", parse_menu},
        {"submenu", parse_menu},
};

static struct grub2_node *parse_unbounded(struct parser *p)
{
        struct tok t = peek(p);

        if (t.type == GRUB2_T_LBRACE)
                return parse_braces(p, t);
        if (t.type != GRUB2_T_WORD)
                return perr(p, "unexpected token");
        if (is_reserved(t))
                return perr(p, "unexpected keyword");
        for (size_t i = 0; i < ARRAY_SIZE(compounds); i++)
                if (is_kw(t, compounds[i].kw))
                        return compounds[i].fn(p, t);
        if (is_named_function(p, t))
                return parse_named_function(p, t);
        return parse_command(p, t);
}

static bool is_opener(struct tok t)
{
        return is_kw(t, "if") || is_kw(t, "for") || is_kw(t, "while") || is_kw(t, "until");
}

/* Does the statement at p start a block (and so nest)? */
static bool starts_block(struct parser *p)
{
        struct tok t = peek(p);

        if (t.type == GRUB2_T_LBRACE)
                return true;
        if (t.type != GRUB2_T_WORD)
                return false;
        for (size_t i = 0; i < ARRAY_SIZE(compounds); i++)
                if (is_kw(t, compounds[i].kw))
                        return true;
        return is_named_function(p, t);
}

/* Skips the block statement at p without recursing: braces, if/fi and for/while/until/done are
 * counted (keywords where a command starts) until the first block opened is closed again. */
static void skip_block(struct parser *p)
{
        size_t open = 0, start = p->pos;
        bool started = false, cmd = true; /* cmd: a word here starts a command */

        while (!started || open > 0) {
                struct tok t = peek(p);

                if (t.type == GRUB2_T_EOF) {
                        p->unclosed = started;
                        break;
                }
                if ((!started && t.type == GRUB2_T_SEMI) || (open == 0 && t.type == GRUB2_T_RBRACE))
                        break;
                if (t.type == GRUB2_T_LBRACE || (cmd && is_opener(t)))
                        open++;
                else if (t.type == GRUB2_T_RBRACE || (cmd && (is_kw(t, "fi") || is_kw(t, "done"))))
                        open -= open > 0;
                started = started || open > 0;
                cmd = t.type != GRUB2_T_WORD || is_opener(t) || is_kw(t, "then") ||
                      is_kw(t, "do") || is_kw(t, "else") || is_kw(t, "elif") || is_kw(t, "!");
                p->pos++;
        }
        /* Skipped tokens count as parsing work, so that recovery cannot skip them for ever. */
        p->work += (p->pos - start) / 4;
}

/* A statement; blocks nested deeper than GRUB2_MAX_NEST are skipped whole (a diagnostic) rather
 * than parsed, so no file can exhaust the stack, and the statements after them still count. */
static struct grub2_node *parse_statement(struct parser *p)
{
        struct grub2_node *n;

        if (!starts_block(p))
                return parse_unbounded(p);
        if (p->depth >= GRUB2_MAX_NEST) {
                unsigned line = peek(p).line;

                skip_block(p);
                pdiag(p, line, "blocks nested deeper than %d levels: this one skipped (to line %u)",
                      GRUB2_MAX_NEST, tok_at(p, p->pos > 0 ? p->pos - 1 : 0).line);
                return node_new(p, GRUB2_N_LIST, line);
        }
        p->depth++;
        n = parse_unbounded(p);
        p->depth--;
        return n;
}

static bool is_term(struct tok t, const char *const *terms)
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
        struct grub2_node *list = node_new(p, GRUB2_N_LIST, peek(p).line);

        if (!list)
                return NULL;
        for (;;) {
                size_t start;
                struct grub2_node *n;

                skip_separators(p);
                if (peek(p).type == GRUB2_T_EOF || p->oom)
                        break;
                if (!top && (peek(p).type == GRUB2_T_RBRACE || is_term(peek(p), terms)))
                        break;
                if (top && peek(p).type == GRUB2_T_RBRACE) {
                        pdiag(p, peek(p).line, "unexpected '}'");
                        p->pos++;
                        continue;
                }
                if (++p->work > p->budget) {
                        if (!p->over_budget)
                                pdiag(p, peek(p).line,
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
                if (p->unclosed) {
                        /* Everything after is inside a block that is never closed. */
                        pdiag(p, tok_at(p, start).line,
                              "%s (at line %u): blocks never closed, the rest of the file skipped",
                              p->err ? p->err : "syntax error", p->err_line);
                        p->pos = p->s->n_toks - 1;
                        break;
                }
                pdiag(p, tok_at(p, start).line, "%s (at line %u), statement skipped",
                      p->err ? p->err : "syntax error", p->err_line);
                p->err = NULL;
                /* Skip the first line of the bad statement. */
                p->pos = start + 1;
                while (peek(p).type != GRUB2_T_EOF && peek(p).type != GRUB2_T_NL &&
                       peek(p).type != GRUB2_T_LBRACE && peek(p).type != GRUB2_T_RBRACE)
                        p->pos++;
                if (peek(p).type == GRUB2_T_LBRACE)
                        p->pos++;
        }
        return list;
}

/* ---- entry points ---- */

static void toks_free(struct grub2_script *s)
{
        free(s->toks);
        s->toks = NULL;
        s->n_toks = s->cap_toks = 0;
}

int grub2_script_parse(struct grub2_script *s, const char *data, size_t len,
                       struct diag_list *diags, size_t diags_max, const char *fs_dev)
{
        /* A well-formed file parses each statement once; recovery may re-read some. */
        struct parser p = {
                .diags = diags, .dev = s->dev ? s->dev : fs_dev, .diags_max = diags_max, .s = s};
        struct grub2_token *shrink;
        int r;

        if (strlen(data) != len)
                pdiag(&p, 0, "file contains NUL bytes; ignored after the first");
        r = lex(&p, data);
        if (r >= 0 && !p.oom) {
                /* The array grew by doubling: up to half of it unused. */
                shrink = realloc(s->toks, s->n_toks * sizeof(*s->toks));
                if (shrink) {
                        s->toks = shrink;
                        s->cap_toks = s->n_toks;
                }
                p.budget = 4 * s->n_toks + 1000;
                s->root = parse_list(&p, NULL, true);
        }
        /* The tree holds copies of the words: the tokens and their text are not needed any
         * more (a 4 MiB grub.cfg of menu entries is 700 000 tokens, of braces 4 million). */
        toks_free(s);
        free(p.words.s);
        return r < 0 || p.oom || !s->root ? -ENOMEM : 0;
}

void grub2_script_free(struct grub2_script *s)
{
        if (!s)
                return;
        free(s->path);
        free(s->dev);
        toks_free(s);
        node_free(s->root);
        free(s);
}
