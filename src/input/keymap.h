/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Turns evdev key codes (linux/input-event-codes.h) into key events with a US layout, tracking
 * Shift, Ctrl, Alt and Caps Lock. Pure logic, shared by every evdev keyboard. */
#pragma once

#include <stdbool.h>

#include "keys.h"

struct keymap_state {
        bool shift_l, shift_r, ctrl_l, ctrl_r, alt_l, alt_r, caps_lock;
};

/* value: 0 release, 1 press, 2 autorepeat (as evdev reports). Returns 1 and fills *ev when the
 * key produces an event (presses and repeats), else 0. Ctrl+Alt+Delete gives KEYSYM_DELETE with
 * both KEYMOD_CTRL and KEYMOD_ALT. */
int keymap_translate(struct keymap_state *s, unsigned code, int value, struct key_event *ev);
