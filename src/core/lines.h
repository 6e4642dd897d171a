/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Styled lines: text with a style, as the menu's notes, the pager, the boot progress and the
 * shell's scrollback show them. A leaf (util and utf8 only): the models in src/menu and the front
 * ends share it. */
#pragma once

#include <stdarg.h>
#include <stddef.h>

#include "util.h"

enum line_style {
        LINE_NORMAL,
        LINE_HEADER, /* table header, bold */
        LINE_OK,     /* progress that worked (green in 1.4.1) */
        LINE_ERROR,  /* red */
};

struct line {
        char *text; /* UTF-8; owned where the line is in a struct lines */
        enum line_style style;
};

/* A list of lines that owns its texts. Zero-initialised is empty and unbounded. */
struct lines {
        struct line *items;
        size_t n, cap;
        size_t max; /* 0, or the most lines kept: a push at max first drops the oldest tenth */
};

/* Appends a copy of text. 0 or -ENOMEM (the list is then unchanged). */
int lines_push(struct lines *l, enum line_style style, const char *text);
/* Appends the formatted text, one line per text line ('\n' separates them). 0 or -ENOMEM. */
int lines_printf(struct lines *l, enum line_style style, const char *fmt, ...) _printf_(3, 4);
int lines_vprintf(struct lines *l, enum line_style style, const char *fmt, va_list ap)
        _printf_(3, 0);
/* Appends text cut into lines of at most width characters (code points) at blanks, a word
 * longer than width cut where it must (a long error sentence on an 80-column console). 0 or
 * -ENOMEM. */
int lines_push_wrapped(struct lines *l, enum line_style style, const char *text, size_t width);
/* Drops the oldest lines so that at most keep are left. */
void lines_trim(struct lines *l, size_t keep);
/* Frees every line; the list is empty (and reusable, with the same max) after. */
void lines_clear(struct lines *l);
