/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The boot menu's state: selection, scrolling, countdown. Pure logic, shared by the text and the
 * graphical front ends. The front end tells the model how many rows its list shows. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "../input/keys.h"

struct menu {
        size_t n_items;
        size_t selected;
        size_t top;  /* first visible item */
        size_t rows; /* visible rows of the list (at least 1) */
        bool countdown_active;
        unsigned countdown; /* seconds left while active */
};

enum menu_action {
        MENU_ACTION_NONE,     /* key not for the menu: the countdown keeps running */
        MENU_ACTION_REDRAW,   /* selection or countdown changed */
        MENU_ACTION_BOOT,     /* boot menu.selected (Enter, or the countdown reached 0) */
        MENU_ACTION_DEVICES,  /* L */
        MENU_ACTION_RELOAD,   /* R */
        MENU_ACTION_SHELL,    /* S */
        MENU_ACTION_HARDWARE, /* H */
        MENU_ACTION_MOK,      /* M: enrol a key (MOK) */
        MENU_ACTION_EDIT,     /* E: edit the selected entry before booting it */
        MENU_ACTION_CONTRAST, /* C: the high-contrast theme on/off */
        MENU_ACTION_LARGE,    /* Z: the large font on/off */
        MENU_ACTION_KEYMAP,   /* K: pick a keyboard layout */
};

/* timeout 0 = no countdown (wait for ever). default_index < 0 or out of range selects item 0. */
void menu_init(struct menu *m, size_t n_items, int default_index, unsigned timeout);
/* The list changed (config loaded late, device appeared): keeps the selection when possible,
 * else selects default_index. The countdown is left as it is. */
void menu_set_items(struct menu *m, size_t n_items, int default_index);
void menu_set_rows(struct menu *m, size_t rows);
/* Up/Down, PgUp/PgDn, Home/End move and stop the countdown; Enter boots; L, R, S, H, M (either
 * case) stop the countdown and ask for their screen; C and Z (either case) stop the countdown
 * and switch the high contrast and the large font. Other keys do nothing (countdown continues).
 */
enum menu_action menu_key(struct menu *m, const struct key_event *ev);
/* A tap on item (an index into the whole list, as a front end's hit test gives it): selects it
 * and stops the countdown (REDRAW), or boots it when it is the selected one already (BOOT, as
 * Enter). An item past the end does nothing. */
enum menu_action menu_tap(struct menu *m, size_t item);
/* One second passed. Returns MENU_ACTION_BOOT when the countdown reaches 0. */
enum menu_action menu_tick(struct menu *m);
void menu_stop_countdown(struct menu *m);
bool menu_more_above(const struct menu *m);
bool menu_more_below(const struct menu *m);
