/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Turns evdev key codes (linux/input-event-codes.h) into key events with a US layout or one of
 * the compiled keyboard layouts, tracking Shift, Ctrl, Alt, AltGr, Caps Lock and dead keys. Pure
 * logic, shared by every evdev keyboard. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "keys.h"

#include <stdint.h>

#define KEYMAP_TABLE_KEYS 128

/* Characters from the kernel's console keymap (KDGKBENT), where it has them: 0 = not given (the
 * built-in US layout is used for that key). */
struct keymap_table {
        uint32_t plain[KEYMAP_TABLE_KEYS];
        uint32_t shifted[KEYMAP_TABLE_KEYS];
};

/* The keyboard layouts compiled at build time (keymap-data.c, made by mkkeymaps.py from Debian's
 * console keymaps with loadkeys). Each one holds, for the key codes in keymap_codes[], the
 * characters of four levels: plain, Shift, AltGr, Shift+AltGr. A value is a code point, 0 (no
 * character) or KEYMAP_DEAD | c: a dead key whose diacritic is c (the kernel's convention: '^',
 * '`', '\'', '"', '~'...), composed with the next character through the layout's pairs. */
#define KEYMAP_LEVELS   4
#define KEYMAP_DEAD     0xf000u
#define KEYMAP_NAME_MAX 32

struct keymap_compose {
        uint8_t diacr, base;
        uint16_t result;
};

struct keymap_layout {
        const char *name;        /* "de": the keymap directive's word */
        const char *description; /* "German (dead keys)" */
        const char *source;      /* "qwertz/de-latin1": the console-data keymap it comes from */
        const uint16_t *map;     /* [KEYMAP_LEVELS][keymap_n_codes] */
        uint64_t letters[2];     /* bit i: keymap_codes[i] is a letter (Caps Lock) at plain/Shift
                                    (letters[0]) and at AltGr/Shift+AltGr (letters[1]) */
        const struct keymap_compose *compose; /* sorted by diacr, base */
        uint16_t n_compose;
        bool altgr; /* the right Alt key is AltGr (else it is Alt) */
};

extern const uint8_t keymap_codes[]; /* ascending */
extern const unsigned keymap_n_codes;
extern const struct keymap_layout keymap_layouts[];
extern const unsigned keymap_n_layouts;

/* The layout called name, or NULL. */
const struct keymap_layout *keymap_find(const char *name);
/* Names of layouts close to name (a prefix either way, or at most two edits away), for a
 * diagnostic: fills at most n and returns how many. */
size_t keymap_similar(const char *name, const char **ret, size_t n);
/* The table value of a key at a level (0 to 3): a code point, KEYMAP_DEAD | diacritic, or 0. */
uint32_t keymap_layout_char(const struct keymap_layout *l, unsigned code, unsigned level);
/* Whether Caps Lock applies to the key at that level. */
bool keymap_layout_letter(const struct keymap_layout *l, unsigned code, unsigned level);
/* The character a dead key's diacritic and a base character make, or 0 when the layout has no
 * such pair. */
uint32_t keymap_compose(const struct keymap_layout *l, uint32_t diacr, uint32_t base);

struct keymap_state {
        bool shift_l, shift_r, ctrl_l, ctrl_r, alt_l, alt_r, caps_lock;
        const struct keymap_table *table;   /* NULL: the built-in US layout only */
        const struct keymap_layout *layout; /* a compiled layout: before table and US */
        bool power_enter; /* KEY_POWER gives Enter (a tablet without a keyboard) */
        uint32_t dead;    /* the diacritic of a dead key pressed last, or 0 */
        bool has_pending;
        struct key_event pending; /* a second event of the last key: keymap_take_pending() */
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
 * Enter while power_enter is set, else nothing.
 *
 * With a layout: the right Alt is AltGr where the layout says so and gives the AltGr level's
 * character (without KEYMOD_ALT); where that level has none, it is Alt as before. A dead key gives
 * no event: the next character is composed with it (^ then a: â); a space or the dead key again
 * gives the diacritic itself; a character without a pair gives the diacritic and then the
 * character, the second one through keymap_take_pending(); Backspace and Esc cancel the dead key
 * and are dropped; other keys give the diacritic and then themselves (as the kernel does). */
int keymap_translate(struct keymap_state *s, unsigned code, int value, struct key_event *ev);
/* After keymap_translate() returned 1: the second event of the same key press, if any (returns
 * 1 and fills *ev once). */
int keymap_take_pending(struct keymap_state *s, struct key_event *ev);
/* Sets the layout (NULL: the console table or the built-in US layout) and forgets a pending dead
 * key; the modifier state is kept. */
void keymap_set_layout(struct keymap_state *s, const struct keymap_layout *l);
