/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A list to pick one item from (the keyboard layouts of K): a selection moved by keys and a
 * window of rows that follows it. Pure logic; the application draws the items (in the pager) and
 * acts on the choice. */
#pragma once

#include <stddef.h>

#include "../input/keys.h"

struct picker {
        size_t n;        /* items */
        size_t selected; /* < n (0 when n is 0) */
        size_t top;      /* first item shown */
        size_t rows;     /* items shown at once (at least 1) */
};

enum picker_action {
        PICKER_NONE,   /* key not for the picker */
        PICKER_REDRAW, /* the selection moved (or tried to) */
        PICKER_CHOOSE, /* Enter: the selected item */
        PICKER_CANCEL, /* Esc, q */
};

/* n items, selected (clamped) first, shown in a window of rows. */
void picker_init(struct picker *p, size_t n, size_t selected, size_t rows);
/* A new window height (the front end's rows); the selection stays visible. */
void picker_set_rows(struct picker *p, size_t rows);
/* Up/Down, PgUp/PgDn, Home/End move the selection, never past the ends; Enter chooses, Esc and q
 * cancel. */
enum picker_action picker_key(struct picker *p, const struct key_event *ev);
