/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A question with a one-line answer: a title, lines of explanation, a label and a line editor,
 * masked for passwords and passphrases (one '*' per character, no history, the text wiped from
 * memory when taken or cleared). Pure; the application shows it on the shell screen's layout
 * (ui_view.shell_lines/shell_prompt/shell_edit), so every front end draws it. */
#pragma once

#include "../core/lines.h"
#include "lineedit.h"

/* The longest answer, in bytes. */
#define PROMPT_MAX 1024

struct prompt {
        char *label;        /* "Password: " */
        struct lines lines; /* the explanation, then messages (errors) */
        struct lineedit edit;
        bool masked;
};

enum prompt_result {
        PROMPT_NONE,    /* key ignored */
        PROMPT_CHANGED, /* redraw */
        PROMPT_SUBMIT,  /* Enter: prompt_take() */
        PROMPT_CANCEL,  /* Esc */
};

void prompt_init(struct prompt *p);
/* Frees everything, wiping the answer being typed. */
void prompt_done(struct prompt *p);
/* A new question: the label and whether the answer is masked; the line is emptied (wiped), the
 * lines stay (prompt_lines_clear() empties them). 0 or -ENOMEM. */
int prompt_ask(struct prompt *p, const char *label, bool masked);
void prompt_lines_clear(struct prompt *p);
/* Adds text to the explanation, wrapped at blanks into lines of at most width characters (a word
 * longer than width is cut); continuation lines keep text's leading blanks. 0 or -ENOMEM. */
int prompt_say(struct prompt *p, enum line_style style, unsigned width, const char *text);
/* Keys: Esc cancels, Enter submits, Up/Down (history) are ignored for a masked question, the rest
 * edits the line; an answer stops growing at PROMPT_MAX bytes. */
enum prompt_result prompt_key(struct prompt *p, const struct key_event *ev);
/* The answer (malloc'ed; the caller wipes it with explicit_bzero before free), the line wiped
 * and emptied. NULL when out of memory. */
char *prompt_take(struct prompt *p);
/* Frees a taken answer, wiping it first. */
void prompt_free_answer(char *answer);
