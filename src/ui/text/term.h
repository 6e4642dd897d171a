/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The text front end: draws the tui layout on a VT100/ANSI terminal (the Linux console, a serial
 * console, a terminal emulator), sending only the rows that changed. No curses.
 *
 * The size comes from TIOCGWINSZ; where that fails or reports 0 (serial consoles), COLUMNS and
 * LINES are used if set, else 80 x 24. KL_COLUMNS and KL_LINES, when set, override it all (they
 * can be given on the kernel command line, which puts them in PID 1's environment). */
#pragma once

#include "../ui.h"

/* Creates the front end for the terminal open on fd (kept open by the caller; not closed by
 * free). Returns 0 or a negative errno. */
int term_ui_new(int fd, struct ui **ret);
