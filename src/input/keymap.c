/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A built-in US keyboard layout for evdev key codes.
 *
 * Rules:
 * - Presses (1) and autorepeats (2) give events, releases (0) only update the modifier state.
 *   Modifier keys never give events themselves.
 * - Caps Lock toggles on press (not on repeat) and affects letters only; Shift inverts it.
 * - The keypad always gives digits and symbols, as if NumLock were on.
 * - Ctrl+letter gives KEYSYM_CTRL with the lower-case letter. Other keys carry the held
 *   modifiers in mods; for KEYSYM_CHAR, Shift is consumed by the character (Shift+a is 'A' with
 *   no KEYMOD_SHIFT), the same as a terminal reports it, while Alt and Ctrl are kept.
 * - Unlike a terminal, Tab, Enter and Backspace stay distinct from Ctrl-I, Ctrl-M and Ctrl-H.
 * - Volume Up and Down are Up and Down; the power key is Enter only when the state says so
 *   (power_enter: a tablet without a keyboard, see input_power_is_enter()). */
#include "keymap.h"

#include <linux/input-event-codes.h>

#include "../core/util.h"

#include <string.h>

struct key_chars {
        char plain, shifted;
};

static const struct key_chars chars[] = {
        [KEY_1] = {'1', '!'},
        [KEY_2] = {'2', '@'},
        [KEY_3] = {'3', '#'},
        [KEY_4] = {'4', '$'},
        [KEY_5] = {'5', '%'},
        [KEY_6] = {'6', '^'},
        [KEY_7] = {'7', '&'},
        [KEY_8] = {'8', '*'},
        [KEY_9] = {'9', '('},
        [KEY_0] = {'0', ')'},
        [KEY_MINUS] = {'-', '_'},
        [KEY_EQUAL] = {'=', '+'},
        [KEY_Q] = {'q', 'Q'},
        [KEY_W] = {'w', 'W'},
        [KEY_E] = {'e', 'E'},
        [KEY_R] = {'r', 'R'},
        [KEY_T] = {'t', 'T'},
        [KEY_Y] = {'y', 'Y'},
        [KEY_U] = {'u', 'U'},
        [KEY_I] = {'i', 'I'},
        [KEY_O] = {'o', 'O'},
        [KEY_P] = {'p', 'P'},
        [KEY_LEFTBRACE] = {'[', '{'},
        [KEY_RIGHTBRACE] = {']', '}'},
        [KEY_A] = {'a', 'A'},
        [KEY_S] = {'s', 'S'},
        [KEY_D] = {'d', 'D'},
        [KEY_F] = {'f', 'F'},
        [KEY_G] = {'g', 'G'},
        [KEY_H] = {'h', 'H'},
        [KEY_J] = {'j', 'J'},
        [KEY_K] = {'k', 'K'},
        [KEY_L] = {'l', 'L'},
        [KEY_SEMICOLON] = {';', ':'},
        [KEY_APOSTROPHE] = {'\'', '"'},
        [KEY_GRAVE] = {'`', '~'},
        [KEY_BACKSLASH] = {'\\', '|'},
        [KEY_Z] = {'z', 'Z'},
        [KEY_X] = {'x', 'X'},
        [KEY_C] = {'c', 'C'},
        [KEY_V] = {'v', 'V'},
        [KEY_B] = {'b', 'B'},
        [KEY_N] = {'n', 'N'},
        [KEY_M] = {'m', 'M'},
        [KEY_COMMA] = {',', '<'},
        [KEY_DOT] = {'.', '>'},
        [KEY_SLASH] = {'/', '?'},
        [KEY_SPACE] = {' ', ' '},
        [KEY_102ND] = {'<', '>'},
        /* The keypad, NumLock on. */
        [KEY_KPASTERISK] = {'*', '*'},
        [KEY_KP7] = {'7', '7'},
        [KEY_KP8] = {'8', '8'},
        [KEY_KP9] = {'9', '9'},
        [KEY_KPMINUS] = {'-', '-'},
        [KEY_KP4] = {'4', '4'},
        [KEY_KP5] = {'5', '5'},
        [KEY_KP6] = {'6', '6'},
        [KEY_KPPLUS] = {'+', '+'},
        [KEY_KP1] = {'1', '1'},
        [KEY_KP2] = {'2', '2'},
        [KEY_KP3] = {'3', '3'},
        [KEY_KP0] = {'0', '0'},
        [KEY_KPDOT] = {'.', '.'},
        [KEY_KPSLASH] = {'/', '/'},
        [KEY_KPEQUAL] = {'=', '='},
        [KEY_KPCOMMA] = {',', ','},
};

static const enum key_sym syms[] = {
        [KEY_ESC] = KEYSYM_ESCAPE,
        [KEY_BACKSPACE] = KEYSYM_BACKSPACE,
        [KEY_TAB] = KEYSYM_TAB,
        [KEY_ENTER] = KEYSYM_ENTER,
        [KEY_KPENTER] = KEYSYM_ENTER,
        [KEY_F1] = KEYSYM_F1,
        [KEY_F2] = KEYSYM_F1 + 1,
        [KEY_F3] = KEYSYM_F1 + 2,
        [KEY_F4] = KEYSYM_F1 + 3,
        [KEY_F5] = KEYSYM_F1 + 4,
        [KEY_F6] = KEYSYM_F1 + 5,
        [KEY_F7] = KEYSYM_F1 + 6,
        [KEY_F8] = KEYSYM_F1 + 7,
        [KEY_F9] = KEYSYM_F1 + 8,
        [KEY_F10] = KEYSYM_F1 + 9,
        [KEY_F11] = KEYSYM_F1 + 10,
        [KEY_F12] = KEYSYM_F12,
        [KEY_HOME] = KEYSYM_HOME,
        [KEY_UP] = KEYSYM_UP,
        [KEY_PAGEUP] = KEYSYM_PAGE_UP,
        [KEY_LEFT] = KEYSYM_LEFT,
        [KEY_RIGHT] = KEYSYM_RIGHT,
        [KEY_END] = KEYSYM_END,
        [KEY_DOWN] = KEYSYM_DOWN,
        [KEY_PAGEDOWN] = KEYSYM_PAGE_DOWN,
        [KEY_INSERT] = KEYSYM_INSERT,
        [KEY_DELETE] = KEYSYM_DELETE,
        /* A tablet's side buttons (and a keyboard's volume keys) move through lists. */
        [KEY_VOLUMEDOWN] = KEYSYM_DOWN,
        [KEY_VOLUMEUP] = KEYSYM_UP,
};

/* Updates the state for a modifier key; false when code is no modifier. */
static bool update_modifier(struct keymap_state *s, unsigned code, int value)
{
        bool down = value != 0;

        switch (code) {
        case KEY_LEFTSHIFT:
                s->shift_l = down;
                return true;
        case KEY_RIGHTSHIFT:
                s->shift_r = down;
                return true;
        case KEY_LEFTCTRL:
                s->ctrl_l = down;
                return true;
        case KEY_RIGHTCTRL:
                s->ctrl_r = down;
                return true;
        case KEY_LEFTALT:
                s->alt_l = down;
                return true;
        case KEY_RIGHTALT:
                s->alt_r = down;
                return true;
        case KEY_CAPSLOCK:
                if (value == 1)
                        s->caps_lock = !s->caps_lock;
                return true;
        default:
                return false;
        }
}

static int translate(struct keymap_state *s, unsigned code, int value, struct key_event *ev,
                     bool *from_layout);

/* A console keymap value as a printable code point, or 0 (see linux/keyboard.h: KTYP/KVAL). */
static uint32_t console_char(uint16_t v)
{
        uint32_t c;

        if (v >= 0xf000) /* a Unicode keymap entry */
                c = v ^ 0xf000u;
        else if ((v >> 8) == 0 || (v >> 8) == 11) /* KT_LATIN, KT_LETTER */
                c = v & 0xffu;
        else
                return 0;
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
                return 0;
        return c;
}

unsigned keymap_table_from_console(const uint16_t plain[KEYMAP_TABLE_KEYS],
                                   const uint16_t shifted[KEYMAP_TABLE_KEYS],
                                   struct keymap_table *ret)
{
        unsigned n = 0;

        *ret = (struct keymap_table){0};
        for (unsigned k = 0; k < KEYMAP_TABLE_KEYS; k++) {
                ret->plain[k] = console_char(plain[k]);
                ret->shifted[k] = console_char(shifted[k]);
                if (ret->plain[k])
                        n++;
        }
        return n;
}

const struct keymap_layout *keymap_find(const char *name)
{
        for (unsigned i = 0; name && i < keymap_n_layouts; i++)
                if (streq(keymap_layouts[i].name, name))
                        return &keymap_layouts[i];
        return NULL;
}

/* The edit distance of a and b (insertions, deletions, substitutions), capped at cap + 1. */
static unsigned edit_distance(const char *a, const char *b, unsigned cap)
{
        size_t la = strlen(a), lb = strlen(b);
        unsigned row[KEYMAP_NAME_MAX + 1];

        if (la > KEYMAP_NAME_MAX || lb > KEYMAP_NAME_MAX)
                return cap + 1;
        for (size_t j = 0; j <= lb; j++)
                row[j] = (unsigned) j;
        for (size_t i = 1; i <= la; i++) {
                unsigned diag = row[0];

                row[0] = (unsigned) i;
                for (size_t j = 1; j <= lb; j++) {
                        unsigned up = row[j];
                        unsigned best = diag + (a[i - 1] != b[j - 1]);

                        best = MIN(best, up + 1);
                        best = MIN(best, row[j - 1] + 1);
                        row[j] = best;
                        diag = up;
                }
        }
        return MIN(row[lb], cap + 1);
}

size_t keymap_similar(const char *name, const char **ret, size_t n)
{
        size_t k = 0;

        if (isempty(name))
                return 0;
        for (unsigned i = 0; i < keymap_n_layouts && k < n; i++) {
                const char *c = keymap_layouts[i].name;

                if (startswith(c, name) || startswith(name, c) || edit_distance(name, c, 2) <= 2)
                        ret[k++] = c;
        }
        return k;
}

/* The index of code in keymap_codes[], or -1. */
static int code_index(unsigned code)
{
        unsigned lo = 0, hi = keymap_n_codes;

        while (lo < hi) {
                unsigned mid = (lo + hi) / 2;

                if (keymap_codes[mid] == code)
                        return (int) mid;
                if (keymap_codes[mid] < code)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return -1;
}

uint32_t keymap_layout_char(const struct keymap_layout *l, unsigned code, unsigned level)
{
        int i = code_index(code);

        if (!l || i < 0 || level >= KEYMAP_LEVELS)
                return 0;
        return l->map[level * keymap_n_codes + (unsigned) i];
}

bool keymap_layout_letter(const struct keymap_layout *l, unsigned code, unsigned level)
{
        int i = code_index(code);

        if (!l || i < 0 || i >= 64 || level >= KEYMAP_LEVELS)
                return false;
        return (l->letters[level >= 2] >> i) & 1;
}

uint32_t keymap_compose(const struct keymap_layout *l, uint32_t diacr, uint32_t base)
{
        for (unsigned i = 0; l && i < l->n_compose; i++)
                if (l->compose[i].diacr == diacr && l->compose[i].base == base)
                        return l->compose[i].result;
        return 0;
}

void keymap_set_layout(struct keymap_state *s, const struct keymap_layout *l)
{
        s->layout = l;
        s->dead = 0;
        s->has_pending = false;
}

int keymap_take_pending(struct keymap_state *s, struct key_event *ev)
{
        if (!s->has_pending)
                return 0;
        s->has_pending = false;
        *ev = s->pending;
        return 1;
}

/* A character from the layout, through a pending dead key: returns the number of events in
 * *ev (and pending): 0 for a dead key waiting for its character. */
static int layout_char(struct keymap_state *s, uint32_t c, unsigned mods, struct key_event *ev)
{
        uint32_t d = s->dead, r;

        if (c >= KEYMAP_DEAD) {
                c &= 0xffu;
                s->dead = c;
                if (!d)
                        return 0;
                /* A second dead key: the same one gives its diacritic, another one gives the
                 * first diacritic and waits with the second. */
                if (d == c)
                        s->dead = 0;
                *ev = (struct key_event){.sym = KEYSYM_CHAR, .ch = d, .mods = mods};
                return 1;
        }
        *ev = (struct key_event){.sym = KEYSYM_CHAR, .ch = c, .mods = mods};
        if (!d)
                return 1;
        s->dead = 0;
        r = keymap_compose(s->layout, d, c);
        if (r) {
                ev->ch = r;
                return 1;
        }
        if (c == ' ' || c == d) {
                ev->ch = d;
                return 1;
        }
        s->pending = *ev;
        s->has_pending = true;
        ev->ch = d;
        return 1;
}

/* Keys through a compiled layout: -1 when the layout gives the key no character (the built-in
 * tables decide), else the number of events. */
static int translate_layout(struct keymap_state *s, unsigned code, bool shift, bool ctrl,
                            unsigned mods, struct key_event *ev)
{
        const struct keymap_layout *l = s->layout;
        uint32_t plain = keymap_layout_char(l, code, 0), c = 0;
        unsigned level;

        if (!plain)
                return -1;
        if (ctrl) {
                /* Ctrl+letter by the layout's letter (Ctrl-Z is where z is); a dead key is
                 * forgotten. */
                s->dead = 0;
                if (plain >= 'a' && plain <= 'z') {
                        *ev = (struct key_event){.sym = KEYSYM_CTRL, .ch = plain, .mods = mods};
                        return 1;
                }
        }
        if (s->alt_r && l->altgr) {
                level = 2 + (shift != (s->caps_lock && keymap_layout_letter(l, code, 2)));
                c = keymap_layout_char(l, code, level);
                if (!c && level == 3)
                        c = keymap_layout_char(l, code, 2);
                if (c && c != plain) {
                        if (!s->alt_l)
                                mods &= ~(unsigned) KEYMOD_ALT;
                        return layout_char(s, c, mods & ~(unsigned) KEYMOD_SHIFT, ev);
                }
        }
        level = shift != (s->caps_lock && keymap_layout_letter(l, code, 0));
        c = keymap_layout_char(l, code, level);
        if (!c)
                c = plain;
        return layout_char(s, c, mods & ~(unsigned) KEYMOD_SHIFT, ev);
}

/* A key that is no character of the layout while a dead key waits: Backspace and Esc cancel it
 * (and are dropped), any other key gives the diacritic first, then itself. */
static int flush_dead(struct keymap_state *s, struct key_event *ev)
{
        uint32_t d = s->dead;

        s->dead = 0;
        if (ev->sym == KEYSYM_BACKSPACE || ev->sym == KEYSYM_ESCAPE)
                return 0;
        s->pending = *ev;
        s->has_pending = true;
        *ev = (struct key_event){.sym = KEYSYM_CHAR, .ch = d};
        return 1;
}

int keymap_translate(struct keymap_state *s, unsigned code, int value, struct key_event *ev)
{
        bool from_layout = false;
        int r;

        s->has_pending = false;
        r = translate(s, code, value, ev, &from_layout);
        if (r > 0 && s->dead && !from_layout)
                return flush_dead(s, ev);
        return r;
}

static int translate(struct keymap_state *s, unsigned code, int value, struct key_event *ev,
                     bool *from_layout)
{
        bool shift, ctrl, alt;
        unsigned mods;

        if (value < 0 || value > 2)
                return 0;
        if (update_modifier(s, code, value))
                return 0;
        if (value == 0)
                return 0;

        shift = s->shift_l || s->shift_r;
        ctrl = s->ctrl_l || s->ctrl_r;
        alt = s->alt_l || s->alt_r;
        mods = (shift ? KEYMOD_SHIFT : 0) | (ctrl ? KEYMOD_CTRL : 0) | (alt ? KEYMOD_ALT : 0);

        if (code == KEY_POWER || code == KEY_VOLUMEUP || code == KEY_VOLUMEDOWN) {
                if (code == KEY_POWER && !s->power_enter)
                        return 0;
                *ev = (struct key_event){.sym = code == KEY_POWER ? KEYSYM_ENTER : syms[code],
                                         .mods = mods};
                return 1;
        }
        /* A compiled layout first, then the console's own keymap, where they give this key a
         * character. */
        if (s->layout) {
                int r = translate_layout(s, code, shift, ctrl, mods, ev);

                *from_layout = r >= 0;
                if (r >= 0)
                        return r;
        }
        if (s->table && code < KEYMAP_TABLE_KEYS && s->table->plain[code]) {
                uint32_t p = s->table->plain[code], u = s->table->shifted[code];
                bool letter = (p >= 'a' && p <= 'z') || (p >= 0xe0 && p <= 0xfe && p != 0xf7);

                if (letter && ctrl && p <= 'z') {
                        *ev = (struct key_event){.sym = KEYSYM_CTRL, .ch = p, .mods = mods};
                        return 1;
                }
                if (!u)
                        u = p;
                *ev = (struct key_event){.sym = KEYSYM_CHAR,
                                         .ch = (letter ? shift != s->caps_lock : shift) ? u : p,
                                         .mods = mods & ~(unsigned) KEYMOD_SHIFT};
                return 1;
        }

        if (code < ARRAY_SIZE(chars) && chars[code].plain) {
                const struct key_chars *k = &chars[code];
                bool letter = k->plain >= 'a' && k->plain <= 'z';
                char c;

                if (letter && ctrl) {
                        *ev = (struct key_event){
                                .sym = KEYSYM_CTRL, .ch = (uint32_t) k->plain, .mods = mods};
                        return 1;
                }
                if (letter)
                        c = shift != s->caps_lock ? k->shifted : k->plain;
                else
                        c = shift ? k->shifted : k->plain;
                *ev = (struct key_event){.sym = KEYSYM_CHAR,
                                         .ch = (uint32_t) (unsigned char) c,
                                         .mods = mods & ~(unsigned) KEYMOD_SHIFT};
                return 1;
        }

        if (code < ARRAY_SIZE(syms) && syms[code] != KEYSYM_NONE) {
                *ev = (struct key_event){.sym = syms[code], .mods = mods};
                return 1;
        }
        return 0;
}
