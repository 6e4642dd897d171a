/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text layout: turns a struct ui_view into a grid of character cells. Pure (no I/O), so the
 * layout is unit-tested; the terminal front end (term.c) only sends the grid to the screen.
 *
 * One column per Unicode code point. Control characters in the view's strings are shown as
 * '?' and invalid UTF-8 as U+FFFD, so text from configuration files can never send escape
 * sequences to the terminal. Lines are cut to the width, never wrapped. The bottom-right cell
 * is always left blank: a terminal front end never has to write it (writing it may scroll). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../ui.h"

enum tui_attr {
        TUI_ATTR_INVERSE = 1 << 0,
        TUI_ATTR_BOLD = 1 << 1,
        TUI_ATTR_OK = 1 << 2,    /* green */
        TUI_ATTR_ERROR = 1 << 3, /* red */
        TUI_ATTR_DIM = 1 << 4,
};

struct tui_cell {
        uint32_t ch;  /* Unicode code point; ' ' when blank */
        uint8_t attr; /* enum tui_attr bits */
};

struct tui_grid {
        unsigned cols, rows;
        struct tui_cell *cells; /* rows * cols, row by row */
        /* Where the cursor rests, shown or not: the focus a screen reader follows (the input
         * line's cursor, the selected menu entry's '>' marker; else the top-left cell). */
        unsigned cursor_row, cursor_col;
        bool cursor_visible;
};

/* Sets the size (0 x 0 allowed) and blanks every cell. Returns 0 or -ENOMEM (the grid is then
 * left as it was). */
int tui_grid_resize(struct tui_grid *g, unsigned cols, unsigned rows);
void tui_grid_done(struct tui_grid *g);
/* Blanks every cell and hides the cursor. */
void tui_grid_clear(struct tui_grid *g);
/* The cell at (row, col), or NULL outside the grid. */
const struct tui_cell *tui_grid_cell(const struct tui_grid *g, unsigned row, unsigned col);
/* Whether row is the same in both grids (which must have the same width). */
bool tui_grid_row_equal(const struct tui_grid *a, const struct tui_grid *b, unsigned row);
/* The row as UTF-8 without its trailing blanks (malloc'ed; NULL on OOM or outside the grid). */
char *tui_grid_row_text(const struct tui_grid *g, unsigned row);

/* Clears the grid and lays the view out in it, at the grid's size. */
void tui_layout(const struct ui_view *v, struct tui_grid *g);
/* The number of menu entries the layout shows for v on a screen of that many rows (at least
 * 1; it shrinks when v has notes). */
unsigned tui_menu_rows(unsigned rows, const struct ui_view *v);
/* The number of pager lines the layout shows on a screen of that many rows (at least 1). */
unsigned tui_pager_rows(unsigned rows);
