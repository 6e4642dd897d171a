/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Turns evdev key codes (linux/input-event-codes.h) into key events with a US layout, tracking
 * Shift, Ctrl, Alt and Caps Lock. Pure logic, shared by every evdev keyboard. */
#pragma once

#include <stdbool.h>

#include "keys.h"

#include <stdint.h>

#define KEYMAP_TABLE_KEYS 128

/* Characters from the kernel's console keymap (KDGKBENT), where it has them: 0 = not given (the
 * built-in US layout is used for that key). */
struct keymap_table {
        uint32_t plain[KEYMAP_TABLE_KEYS];
        uint32_t shifted[KEYMAP_TABLE_KEYS];
};

struct keymap_state {
        bool shift_l, shift_r, ctrl_l, ctrl_r, alt_l, alt_r, caps_lock;
        const struct keymap_table *table; /* NULL: the built-in US layout only */
        bool power_enter;                 /* KEY_POWER gives Enter (a tablet without a keyboard) */
};

/* Turns console keymap entries (struct kbentry kb_value, for K_NORMTAB and K_SHIFTTAB) into a
 * table: Latin and letter entries and Unicode entries (U+xxxx stored as 0xFxxx) that are
 * printable; everything else stays 0. Returns how many keys got a character. */
unsigned keymap_table_from_console(const uint16_t plain[KEYMAP_TABLE_KEYS],
                                   const uint16_t shifted[KEYMAP_TABLE_KEYS],
                                   struct keymap_table *ret);

/* value: 0 release, 1 press, 2 autorepeat (as evdev reports). Returns 1 and fills *ev when the
 * key produces an event (presses and repeats), else 0. Ctrl+Alt+Delete gives KEYSYM_DELETE with
 * both KEYMOD_CTRL and KEYMOD_ALT. KEY_VOLUMEUP/KEY_VOLUMEDOWN give Up/Down; KEY_POWER gives
 * Enter while power_enter is set, else nothing. */
int keymap_translate(struct keymap_state *s, unsigned code, int value, struct key_event *ev);
