/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to the GRUB 2 importer: the parser (grub2-parse.c: tokens and the syntax tree, what
 * the fuzzer mostly exercises) and the interpreter (grub2.c: environment, expansion, commands,
 * menu entries) share these types. */
#pragma once

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "import.h"

/* Bounds on what a grub.cfg can make us do; beyond each a diagnostic, and the rest goes on. */
#define GRUB2_MAX_SIZE     (4u << 20) /* bytes of one file (grub.cfg, a sourced file) */
#define GRUB2_MAX_STEPS    100000     /* commands run by one import */
#define GRUB2_MAX_DEPTH    32         /* source/configfile and function calls, submenus */
#define GRUB2_MAX_NEST     64         /* blocks in blocks in one file (braces, if, loops, bodies) */
#define GRUB2_MAX_RUN_NEST 256        /* blocks being run, across calls and sourced files */
#define GRUB2_MAX_READ     (16u << 20) /* bytes of all the files one import reads */
#define GRUB2_MAX_WORD     65536       /* bytes of one word after expansion */
#define GRUB2_MAX_LINE     (256 << 10) /* bytes of one command's words after expansion */
#define GRUB2_MAX_VALUE    65536       /* bytes of a variable's value */
#define GRUB2_MAX_VARS     1024        /* variables */
#define GRUB2_MAX_ENV      (1 << 20)   /* bytes of all variables' names and values */
#define GRUB2_MAX_CMDLINE  65536       /* bytes of a kernel command line (linux ARGS…) */
#define GRUB2_MAX_ENTRIES  200000      /* menu entries of one import */
#define GRUB2_MAX_OUTPUT   (64 << 20)  /* bytes of titles, paths and command lines of them all */
#define GRUB2_MAX_EXPANDED (256 << 20) /* bytes made by expansion in all; the script stops */
#define GRUB2_MAX_DIAGS    1000        /* diagnostics of one import; then one "not reported" */

enum grub2_tok {
        GRUB2_T_WORD,
        GRUB2_T_NL,
        GRUB2_T_SEMI,
        GRUB2_T_LBRACE,
        GRUB2_T_RBRACE,
        GRUB2_T_EOF
};

/* 8 bytes: a 4 MiB file of braces is four million tokens (its newlines included). */
struct grub2_token {
        uint32_t word;      /* GRUB2_T_WORD: 1 + the offset of its text as written (quotes
                             * included) in the parser's word buffer; 0: none */
        uint32_t type : 4;  /* enum grub2_tok */
        uint32_t line : 28; /* lines past 2^28 - 1 are counted as that */
};

enum grub2_node_type {
        GRUB2_N_CMD,
        GRUB2_N_LIST,
        GRUB2_N_IF,
        GRUB2_N_FOR,
        GRUB2_N_WHILE,
        GRUB2_N_FUNC,
        GRUB2_N_MENU
};

struct grub2_node {
        enum grub2_node_type type;
        unsigned line;
        char **words; /* raw words: command, for list, menuentry args, function name */
        size_t n_words, cap_words;
        struct grub2_node **kids;
        size_t n_kids;
        bool flag; /* GRUB2_N_WHILE: until; GRUB2_N_MENU: submenu; GRUB2_N_IF: has else */
};

/* One file as read: its tree (its tokens only while it is parsed). */
struct grub2_script {
        char *path;
        char *dev; /* device spec, NULL = the imported filesystem */
        struct grub2_token *toks;
        size_t n_toks, cap_toks;
        struct grub2_node *root;
        struct grub2_script *next;
        bool eval; /* made by `eval` from text, not read from a file (never reused by path) */
};

/* Tokenises and parses data (len bytes, NUL-terminated) into s->root (through s->toks, freed
 * before it returns). Problems are
 * diagnostics in *diags, on s->dev (or fs_dev when NULL) and s->path. 0, or -ENOMEM. */
int grub2_script_parse(struct grub2_script *s, const char *data, size_t len,
                       struct diag_list *diags, size_t diags_max, const char *fs_dev);
void grub2_script_free(struct grub2_script *s);

/* A NULL-terminated vector that grows by doubling: commands with many words must stay linear
 * (strv_push measures the vector on every call; a fuzzer found that quadratic). */
struct grub2_wv {
        char **v;
        size_t n, cap;
};

/* Appends s (taking it; NULL means a failed allocation). 0 or -ENOMEM. */
int grub2_wv_consume(struct grub2_wv *w, char *s);

/* A growing string; once an allocation failed it stays failed (oom). */
struct grub2_sb {
        char *s;
        size_t n, cap;
        bool oom;
};

void grub2_sb_putc(struct grub2_sb *b, char ch);
/* Appends n bytes of s (one growth, one copy). */
void grub2_sb_putn(struct grub2_sb *b, const char *s, size_t n);
void grub2_sb_puts(struct grub2_sb *b, const char *s);
/* Takes the string out of b ("" when empty); NULL on OOM. */
char *grub2_sb_take(struct grub2_sb *b);

/* Whether one more diagnostic fits in diags before max (the count at the start of the import
 * plus GRUB2_MAX_DIAGS); at max it adds a last one saying the rest are not reported. A file of
 * a million broken lines costs a thousand diagnostics. -ENOMEM, 0 no, 1 yes. */
static inline int grub2_diag_room(struct diag_list *diags, size_t max, const char *dev,
                                  const char *path, unsigned line)
{
        if (diags->n < max)
                return 1;
        if (diags->n > max)
                return 0;
        return diag_add(diags, dev, path, line, "more than %d problems: the rest not reported",
                        GRUB2_MAX_DIAGS) < 0
                       ? -ENOMEM
                       : 0;
}

/* A diagnostic made with printf's format, when grub2_diag_room() has room for it; *oom is set
 * when memory ran out. */
static inline void grub2_diag_vadd(struct diag_list *diags, size_t max, const char *dev,
                                   const char *path, unsigned line, bool *oom, const char *fmt,
                                   va_list ap) __attribute__((format(printf, 7, 0)));
static inline void grub2_diag_vadd(struct diag_list *diags, size_t max, const char *dev,
                                   const char *path, unsigned line, bool *oom, const char *fmt,
                                   va_list ap)
{
        _cleanup_free_ char *msg = NULL;
        int r = grub2_diag_room(diags, max, dev, path, line);

        if (r <= 0) {
                *oom = *oom || r < 0;
                return;
        }
        if (vasprintf(&msg, fmt, ap) < 0) {
                msg = NULL;
                *oom = true;
                return;
        }
        if (diag_add(diags, dev, path, line, "%s", msg) < 0)
                *oom = true;
}

static inline bool grub2_is_blank(char ch)
{
        return ch == ' ' || ch == '\t' || ch == '\r';
}

/* ---- the interpreter's state, for the commands in grub2-cmds.c ---- */

/* What the commands of grub2-cmds.c may spend in one import; past each a diagnostic. */
#define GRUB2_MAX_REGEX      512  /* bytes of a regexp pattern */
#define GRUB2_MAX_REGEX_STR  8192 /* bytes of the string it is matched against */
#define GRUB2_MAX_REGEX_RUNS 2000 /* regexp commands run */
#define GRUB2_MAX_GLOB       1024 /* paths one wildcard word expands to */
#define GRUB2_MAX_GLOB_LISTS 1024 /* directories listed for wildcards */

struct grub2_budget {
        unsigned long regex_runs, glob_lists;
};

/* The interpreter (grub2.c); the commands see it through these functions only. */
struct ctx;

typedef int grub2_cmd_fn(struct ctx *c, char **argv, size_t argc);

const struct import_fs *grub2_fs(struct ctx *c);
struct grub2_budget *grub2_budget(struct ctx *c);
/* A variable's value ("" when unset); setting one is bounded like `set`. */
const char *grub2_get(struct ctx *c, const char *name);
void grub2_set(struct ctx *c, const char *name, const char *value);
void grub2_unset(struct ctx *c, const char *name);
/* A diagnostic at the command being run. */
void grub2_diag(struct ctx *c, const char *fmt, ...) _printf_(2, 3);
void grub2_oom(struct ctx *c);
bool grub2_failed(struct ctx *c); /* out of memory: the import stops */
/* A GRUB device name ("hd0,gpt2", "(hd0,1)", a UUID) as a device spec for struct import_fs;
 * NULL for the imported filesystem (or on OOM: grub2_failed). */
char *grub2_device(struct ctx *c, const char *name);
/* Runs text as script in the current scope (eval), bounded like a sourced file. */
int grub2_eval(struct ctx *c, const char *text);
/* Replaces the positional parameters of the current function or menu entry (setparams); 1 when
 * there is none (GRUB: "invalid command"). */
int grub2_setparams(struct ctx *c, char *const *params);

/* grub2-cmds.c */
grub2_cmd_fn grub2_cmd_regexp, grub2_cmd_eval, grub2_cmd_probe, grub2_cmd_setparams;
/* GRUB's wildcard module on one word: pat is the word with its quoted characters escaped by
 * '\'. Appends the matches to out; 0 when nothing matched (the word stays as it is), else the
 * count, or -ENOMEM. */
int grub2_glob(struct ctx *c, const char *pat, struct grub2_wv *out);
