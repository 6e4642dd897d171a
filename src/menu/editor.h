/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The entry editor (`e` on a menu entry), as GRUB's: the entry shown as the lines
 *
 *     linux KERNEL ARGS…        (multiboot KERNEL ARGS… for a multiboot entry)
 *     initrd FILE…              (when the entry has initrds)
 *     module FILE ARGS…         (one per module)
 *
 * edited with the line editor's keys (menu/lineedit.h: Home, End, Left/Right, Backspace,
 * Delete, Ctrl-A/E/K/U), Up/Down between lines, Enter splitting the line, Backspace at the start
 * of a line and Delete at its end joining lines. Ctrl-X or F10 asks to boot the edited entry
 * (editor_apply() turns the lines back into an entry, or says which line is wrong), Esc to
 * discard it. Nothing is saved anywhere. Long lines wrap onto screen rows with a '\' in the last
 * column of every row a line continues from, as GRUB's editor does.
 *
 * Pure: the application shows the screen (ui_view.editor) and boots the entry. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "../backend/entry.h"
#include "../core/lines.h"
#include "lineedit.h"

/* Bounds of the text: lines, and bytes in all (the newlines counted). */
#define EDITOR_MAX_LINES 64
#define EDITOR_MAX_BYTES 16384

struct editor {
        struct lineedit *lines;
        size_t n;          /* at least 1 */
        size_t cur;        /* the line with the cursor */
        size_t top;        /* the first screen row shown (rows of wrapped lines) */
        char *error;       /* why the last editor_apply() refused, or NULL */
        size_t error_line; /* its line (1-based), 0 for the whole text */
};

enum editor_result {
        EDITOR_NONE,    /* key ignored (also a character beyond the bounds) */
        EDITOR_CHANGED, /* redraw */
        EDITOR_BOOT,    /* Ctrl-X or F10: editor_apply(), then boot */
        EDITOR_CANCEL,  /* Esc: discard */
};

/* Opens the editor on e's kernel, initrds, modules and command line, the cursor at the start of
 * the first line. -E2BIG when the text would exceed the bounds, -ENOMEM. */
int editor_open(struct editor *ed, const struct boot_entry *e);
void editor_close(struct editor *ed);
enum editor_result editor_key(struct editor *ed, const struct key_event *ev);
/* The text, lines joined with '\n' (malloc'ed; NULL on OOM). */
char *editor_text(const struct editor *ed);

/* The lines as an entry: a copy of orig (title, source, …) with the kernel, initrds, modules,
 * command line and kind (linux or multiboot) of the text. A file whose path is the original's
 * keeps its reference; a new path is on the kernel's filesystem (its device, ISO image and
 * subvolume). Blank lines and '#' comments are skipped; a path is a word ('…' and "…" quote,
 * '\' escapes) starting with '/'. 0, or -EINVAL with ed->error/ed->error_line saying why
 * (an unknown command, no linux line, a second one, a missing or relative path), or -ENOMEM. */
int editor_apply(struct editor *ed, const struct boot_entry *orig, struct boot_entry *ret);

/* The rows of a box cols wide and rows high: the text wrapped (cols - 1 characters a row, '\'
 * in the last column where the line goes on), scrolled (ed->top) so that the cursor is shown. */
struct editor_screen {
        struct lines rows; /* at most rows of them; LINE_ERROR for the rows of ed->error_line */
        unsigned cursor_row, cursor_col;
        bool more_above, more_below; /* rows hidden above the first and below the last */
};

int editor_layout(struct editor *ed, unsigned cols, unsigned rows, struct editor_screen *out);
void editor_screen_done(struct editor_screen *s);
