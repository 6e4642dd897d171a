/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pager's state: a titled list of styled lines (the device list, an error, a boot that
 * failed) scrolled by keys. Pure logic like the menu and the shell; the front end tells the model
 * how many lines it shows (pager_set_rows), the application decides where Close goes. */
#pragma once

#include <stddef.h>

#include "../core/lines.h"
#include "../input/keys.h"

struct pager {
        char *title;
        struct lines lines;
        size_t top;  /* first line shown */
        size_t rows; /* lines shown at once (at least 1): the page for PgUp/PgDn */
};

enum pager_action {
        PAGER_ACTION_NONE,   /* key not for the pager */
        PAGER_ACTION_REDRAW, /* scrolled (or tried to) */
        PAGER_ACTION_CLOSE,  /* Esc, Enter, q: back to where the pager was opened from */
};

/* Empties the pager and gives it a title (copied); top goes back to the first line. 0 or
 * -ENOMEM (the title is then NULL). */
int pager_open(struct pager *p, const char *title);
void pager_done(struct pager *p);
void pager_set_rows(struct pager *p, size_t rows);
/* Up/Down, PgUp/PgDn (a page of rows), Home/End scroll, never past the last page; Esc, Enter and
 * q (either case) close. */
enum pager_action pager_key(struct pager *p, const struct key_event *ev);
