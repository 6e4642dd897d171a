/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The shell's line editor and history. Pure logic.
 *
 * UTF-8 text, cursor movement (Left/Right/Home/End, Ctrl-A/E), Backspace/Delete, Ctrl-U/K,
 * history of LINEEDIT_HISTORY_MAX lines (oldest dropped; empty lines and a repeat of the newest
 * line not stored) recalled with Up/Down, and nano-style sideways scrolling of lines longer than
 * the screen: a '$' marks text hidden on the left or the right. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "../input/keys.h"

#define LINEEDIT_HISTORY_MAX 32

struct lineedit {
        char *buf;                           /* UTF-8, NUL-terminated */
        size_t len, cap;                     /* bytes */
        size_t cursor;                       /* byte offset, always on a character boundary */
        size_t scroll;                       /* first visible character index (in characters) */
        char *history[LINEEDIT_HISTORY_MAX]; /* [0] oldest */
        size_t n_history;
        size_t browse; /* == n_history when not browsing */
        char *saved;   /* the line being typed before browsing started */
        bool masked;   /* rendered as one '*' per character (passwords; see menu/prompt.h) */
};

enum lineedit_result {
        LINEEDIT_NONE,    /* key ignored */
        LINEEDIT_CHANGED, /* the line or cursor changed: redraw */
        LINEEDIT_SUBMIT,  /* Enter: take lineedit_take() */
};

void lineedit_init(struct lineedit *le);
void lineedit_done(struct lineedit *le);
/* Clears the line (the history stays). */
void lineedit_clear(struct lineedit *le);
enum lineedit_result lineedit_key(struct lineedit *le, const struct key_event *ev);
/* Returns the submitted line (malloc'ed), stores it in the history, clears the line. */
char *lineedit_take(struct lineedit *le);
int lineedit_set(struct lineedit *le, const char *text);

/* Renders the line into a window of width columns (one column per character).
 * out gets the visible UTF-8 text with '$' markers (out_size bytes at most, NUL-terminated);
 * *ret_cursor_col is the cursor's column within the window. Updates le->scroll so that the
 * cursor stays visible. */
void lineedit_render(struct lineedit *le, unsigned width, char *out, size_t out_size,
                     unsigned *ret_cursor_col);
