/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include "input/keymap.h"

#include <linux/input-event-codes.h>

/* Sends one evdev key event; returns the event's name, or "" when there is none. */
static const char *key(struct keymap_state *s, unsigned code, int value)
{
        static char name[64];
        struct key_event ev = {0};

        if (keymap_translate(s, code, value, &ev) == 0)
                return "";
        return key_event_name(&ev, name, sizeof(name));
}

static const char *press(struct keymap_state *s, unsigned code)
{
        return key(s, code, 1);
}

/* Types the keys (press and release each) and returns the characters they gave. */
static const char *type(struct keymap_state *s, const unsigned *codes, size_t n)
{
        static char out[256];
        size_t o = 0;

        for (size_t i = 0; i < n && o + 1 < sizeof(out); i++) {
                struct key_event ev;

                if (keymap_translate(s, codes[i], 1, &ev) == 1 && ev.sym == KEYSYM_CHAR &&
                    ev.ch < 0x80)
                        out[o++] = (char) ev.ch;
                keymap_translate(s, codes[i], 0, &ev);
        }
        out[o] = 0;
        return out;
}

static const unsigned letters[] = {KEY_A, KEY_B, KEY_C, KEY_D, KEY_E, KEY_F, KEY_G, KEY_H, KEY_I,
                                   KEY_J, KEY_K, KEY_L, KEY_M, KEY_N, KEY_O, KEY_P, KEY_Q, KEY_R,
                                   KEY_S, KEY_T, KEY_U, KEY_V, KEY_W, KEY_X, KEY_Y, KEY_Z};
static const unsigned digits[] = {KEY_1, KEY_2, KEY_3, KEY_4, KEY_5,
                                  KEY_6, KEY_7, KEY_8, KEY_9, KEY_0};
static const unsigned punct[] = {KEY_MINUS,     KEY_EQUAL,      KEY_LEFTBRACE, KEY_RIGHTBRACE,
                                 KEY_SEMICOLON, KEY_APOSTROPHE, KEY_GRAVE,     KEY_BACKSLASH,
                                 KEY_COMMA,     KEY_DOT,        KEY_SLASH,     KEY_SPACE};

#define TYPE(s, codes) type((s), (codes), sizeof(codes) / sizeof((codes)[0]))

TEST(letters_and_shift)
{
        struct keymap_state s = {0};
        struct key_event ev;

        CHECK_STREQ(TYPE(&s, letters), "abcdefghijklmnopqrstuvwxyz");
        CHECK_STREQ(TYPE(&s, digits), "1234567890");
        CHECK_STREQ(TYPE(&s, punct), "-=[];'`\\,./ ");

        CHECK_STREQ(key(&s, KEY_LEFTSHIFT, 1), "");
        CHECK_STREQ(TYPE(&s, letters), "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
        CHECK_STREQ(TYPE(&s, digits), "!@#$%^&*()");
        CHECK_STREQ(TYPE(&s, punct), "_+{}:\"~|<>? ");
        /* Shift is consumed by the character: no KEYMOD_SHIFT on 'A'. */
        CHECK_INTEQ(keymap_translate(&s, KEY_A, 1, &ev), 1);
        CHECK_INTEQ(ev.sym, KEYSYM_CHAR);
        CHECK_INTEQ(ev.ch, 'A');
        CHECK_INTEQ(ev.mods, 0);
        CHECK_STREQ(key(&s, KEY_LEFTSHIFT, 0), "");
        CHECK_STREQ(TYPE(&s, letters), "abcdefghijklmnopqrstuvwxyz");

        /* Right Shift, and both: released one by one. */
        CHECK_STREQ(key(&s, KEY_RIGHTSHIFT, 1), "");
        CHECK_STREQ(press(&s, KEY_Q), "'Q'");
        CHECK_STREQ(key(&s, KEY_LEFTSHIFT, 1), "");
        CHECK_STREQ(key(&s, KEY_RIGHTSHIFT, 0), "");
        CHECK_STREQ(press(&s, KEY_Q), "'Q'");
        CHECK_STREQ(key(&s, KEY_LEFTSHIFT, 0), "");
        CHECK_STREQ(press(&s, KEY_Q), "'q'");
        CHECK_STREQ(press(&s, KEY_102ND), "'<'");
}

TEST(caps_lock)
{
        struct keymap_state s = {0};

        CHECK_STREQ(key(&s, KEY_CAPSLOCK, 1), "");
        CHECK(s.caps_lock);
        CHECK_STREQ(key(&s, KEY_CAPSLOCK, 2), ""); /* repeat: no toggle */
        CHECK_STREQ(key(&s, KEY_CAPSLOCK, 0), ""); /* release: no toggle */
        CHECK(s.caps_lock);
        CHECK_STREQ(TYPE(&s, letters), "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
        /* Letters only. */
        CHECK_STREQ(TYPE(&s, digits), "1234567890");
        CHECK_STREQ(TYPE(&s, punct), "-=[];'`\\,./ ");

        /* Shift + Caps Lock: lower case letters, shifted symbols. */
        CHECK_STREQ(key(&s, KEY_RIGHTSHIFT, 1), "");
        CHECK_STREQ(TYPE(&s, letters), "abcdefghijklmnopqrstuvwxyz");
        CHECK_STREQ(TYPE(&s, digits), "!@#$%^&*()");
        CHECK_STREQ(key(&s, KEY_RIGHTSHIFT, 0), "");

        CHECK_STREQ(key(&s, KEY_CAPSLOCK, 1), "");
        CHECK(!s.caps_lock);
        CHECK_STREQ(press(&s, KEY_G), "'g'");
}

TEST(ctrl_and_alt)
{
        struct keymap_state s = {0};
        struct key_event ev;

        CHECK_STREQ(key(&s, KEY_LEFTCTRL, 1), "");
        CHECK_INTEQ(keymap_translate(&s, KEY_C, 1, &ev), 1);
        CHECK_INTEQ(ev.sym, KEYSYM_CTRL);
        CHECK_INTEQ(ev.ch, 'c');
        CHECK_INTEQ(ev.mods, KEYMOD_CTRL);
        CHECK_STREQ(press(&s, KEY_D), "Ctrl-D");
        CHECK_STREQ(press(&s, KEY_A), "Ctrl-A");
        CHECK_STREQ(press(&s, KEY_I), "Ctrl-I");
        /* Caps Lock and Shift do not change the letter. */
        s.caps_lock = true;
        CHECK_STREQ(press(&s, KEY_U), "Ctrl-U");
        s.caps_lock = false;
        CHECK_STREQ(key(&s, KEY_LEFTSHIFT, 1), "");
        CHECK_STREQ(press(&s, KEY_K), "Ctrl-Shift-K");
        CHECK_STREQ(key(&s, KEY_LEFTSHIFT, 0), "");
        /* Ctrl with a non-letter: the character with the modifier. */
        CHECK_STREQ(press(&s, KEY_1), "Ctrl-'1'");
        CHECK_STREQ(press(&s, KEY_UP), "Ctrl-Up");
        CHECK_STREQ(key(&s, KEY_LEFTCTRL, 0), "");
        CHECK_STREQ(press(&s, KEY_C), "'c'");

        /* The right Ctrl too; it stays down while the left one is released. */
        CHECK_STREQ(key(&s, KEY_RIGHTCTRL, 1), "");
        CHECK_STREQ(key(&s, KEY_LEFTCTRL, 1), "");
        CHECK_STREQ(key(&s, KEY_LEFTCTRL, 0), "");
        CHECK_STREQ(press(&s, KEY_E), "Ctrl-E");
        CHECK_STREQ(key(&s, KEY_RIGHTCTRL, 0), "");

        CHECK_STREQ(key(&s, KEY_LEFTALT, 1), "");
        CHECK_STREQ(press(&s, KEY_X), "Alt-'x'");
        CHECK_STREQ(key(&s, KEY_LEFTALT, 0), "");
        CHECK_STREQ(key(&s, KEY_RIGHTALT, 1), "");
        CHECK_STREQ(press(&s, KEY_TAB), "Alt-Tab");
        CHECK_STREQ(key(&s, KEY_RIGHTALT, 0), "");
        CHECK_STREQ(press(&s, KEY_X), "'x'");
}

TEST(ctrl_alt_delete)
{
        struct keymap_state s = {0};
        struct key_event ev;

        CHECK_STREQ(key(&s, KEY_LEFTCTRL, 1), "");
        CHECK_STREQ(key(&s, KEY_LEFTALT, 1), "");
        CHECK_INTEQ(keymap_translate(&s, KEY_DELETE, 1, &ev), 1);
        CHECK_INTEQ(ev.sym, KEYSYM_DELETE);
        CHECK_INTEQ(ev.mods, KEYMOD_CTRL | KEYMOD_ALT);
        CHECK_STREQ(key(&s, KEY_DELETE, 0), "");
        CHECK_STREQ(key(&s, KEY_LEFTALT, 0), "");
        CHECK_STREQ(key(&s, KEY_LEFTCTRL, 0), "");
        CHECK_INTEQ(keymap_translate(&s, KEY_DELETE, 1, &ev), 1);
        CHECK_INTEQ(ev.sym, KEYSYM_DELETE);
        CHECK_INTEQ(ev.mods, 0);
        /* Right-hand modifiers. */
        CHECK_STREQ(key(&s, KEY_RIGHTCTRL, 1), "");
        CHECK_STREQ(key(&s, KEY_RIGHTALT, 1), "");
        CHECK_STREQ(press(&s, KEY_DELETE), "Ctrl-Alt-Delete");
}

TEST(releases_and_repeats)
{
        struct keymap_state s = {0};
        struct key_event ev = {.sym = KEYSYM_UP};

        CHECK_INTEQ(keymap_translate(&s, KEY_A, 0, &ev), 0);
        CHECK_INTEQ(ev.sym, KEYSYM_UP); /* untouched */
        CHECK_STREQ(key(&s, KEY_ENTER, 0), "");
        CHECK_STREQ(key(&s, KEY_A, 2), "'a'");
        CHECK_STREQ(key(&s, KEY_DOWN, 2), "Down");
        CHECK_STREQ(key(&s, KEY_A, 3), "");
        CHECK_STREQ(key(&s, KEY_A, -1), "");
        /* Modifier presses and repeats give nothing. */
        CHECK_STREQ(key(&s, KEY_LEFTSHIFT, 1), "");
        CHECK_STREQ(key(&s, KEY_LEFTSHIFT, 2), "");
        CHECK(s.shift_l);
        CHECK_STREQ(key(&s, KEY_A, 2), "'A'");
        CHECK_STREQ(key(&s, KEY_LEFTSHIFT, 0), "");
        CHECK(!s.shift_l);
        /* Keys without a meaning here. */
        CHECK_STREQ(press(&s, KEY_POWER), "");
        CHECK_STREQ(press(&s, KEY_LEFTMETA), "");
        CHECK_STREQ(press(&s, KEY_NUMLOCK), "");
        CHECK_STREQ(press(&s, BTN_LEFT), "");
        CHECK_STREQ(press(&s, KEY_MAX), "");
        CHECK_STREQ(press(&s, 0xffffffffu), "");
        CHECK_STREQ(press(&s, KEY_RESERVED), "");
}

TEST(special_keys)
{
        struct keymap_state s = {0};

        CHECK_STREQ(press(&s, KEY_ENTER), "Enter");
        CHECK_STREQ(press(&s, KEY_KPENTER), "Enter");
        CHECK_STREQ(press(&s, KEY_ESC), "Escape");
        CHECK_STREQ(press(&s, KEY_BACKSPACE), "Backspace");
        CHECK_STREQ(press(&s, KEY_TAB), "Tab");
        CHECK_STREQ(press(&s, KEY_DELETE), "Delete");
        CHECK_STREQ(press(&s, KEY_INSERT), "Insert");
        CHECK_STREQ(press(&s, KEY_UP), "Up");
        CHECK_STREQ(press(&s, KEY_DOWN), "Down");
        CHECK_STREQ(press(&s, KEY_LEFT), "Left");
        CHECK_STREQ(press(&s, KEY_RIGHT), "Right");
        CHECK_STREQ(press(&s, KEY_HOME), "Home");
        CHECK_STREQ(press(&s, KEY_END), "End");
        CHECK_STREQ(press(&s, KEY_PAGEUP), "PageUp");
        CHECK_STREQ(press(&s, KEY_PAGEDOWN), "PageDown");
        CHECK_STREQ(press(&s, KEY_F1), "F1");
        CHECK_STREQ(press(&s, KEY_F2), "F2");
        CHECK_STREQ(press(&s, KEY_F3), "F3");
        CHECK_STREQ(press(&s, KEY_F4), "F4");
        CHECK_STREQ(press(&s, KEY_F5), "F5");
        CHECK_STREQ(press(&s, KEY_F6), "F6");
        CHECK_STREQ(press(&s, KEY_F7), "F7");
        CHECK_STREQ(press(&s, KEY_F8), "F8");
        CHECK_STREQ(press(&s, KEY_F9), "F9");
        CHECK_STREQ(press(&s, KEY_F10), "F10");
        CHECK_STREQ(press(&s, KEY_F11), "F11");
        CHECK_STREQ(press(&s, KEY_F12), "F12");
        CHECK_STREQ(key(&s, KEY_LEFTSHIFT, 1), "");
        CHECK_STREQ(press(&s, KEY_TAB), "Shift-Tab");
        CHECK_STREQ(press(&s, KEY_PAGEUP), "Shift-PageUp");
}

TEST(keypad)
{
        static const unsigned kp[] = {KEY_KP0,     KEY_KP1,     KEY_KP2,        KEY_KP3,
                                      KEY_KP4,     KEY_KP5,     KEY_KP6,        KEY_KP7,
                                      KEY_KP8,     KEY_KP9,     KEY_KPDOT,      KEY_KPPLUS,
                                      KEY_KPMINUS, KEY_KPSLASH, KEY_KPASTERISK, KEY_KPEQUAL};
        struct keymap_state s = {0};

        CHECK_STREQ(TYPE(&s, kp), "0123456789.+-/*=");
        /* NumLock is taken as on whatever happens; Shift changes nothing. */
        CHECK_STREQ(press(&s, KEY_NUMLOCK), "");
        CHECK_STREQ(TYPE(&s, kp), "0123456789.+-/*=");
        CHECK_STREQ(key(&s, KEY_LEFTSHIFT, 1), "");
        CHECK_STREQ(TYPE(&s, kp), "0123456789.+-/*=");
}

TEST(console_keymap_table)
{
        uint16_t plain[KEYMAP_TABLE_KEYS] = {0}, shifted[KEYMAP_TABLE_KEYS] = {0};
        struct keymap_state s = {0};
        struct keymap_table t;
        struct key_event ev;

        /* A German-like console keymap: y and z swapped, a Unicode entry for ö, KT_LETTER z. */
        plain[KEY_Z] = 0x0b79;   /* KT_LETTER 'y' */
        shifted[KEY_Z] = 0x0b59; /* 'Y' */
        plain[KEY_Y] = 0x0b7a;   /* 'z' */
        shifted[KEY_Y] = 0x0b5a;
        plain[KEY_SEMICOLON] = 0xf0f6; /* U+00F6 ö (Unicode entry) */
        shifted[KEY_SEMICOLON] = 0xf0d6;
        plain[KEY_F1] = 0x0100;    /* KT_FN: not a character */
        plain[KEY_ENTER] = 0x0201; /* KT_SPEC */
        CHECK_INTEQ(keymap_table_from_console(plain, shifted, &t), 3);
        CHECK_INTEQ(t.plain[KEY_F1], 0);
        s.table = &t;

        CHECK(keymap_translate(&s, KEY_Z, 1, &ev) == 1);
        CHECK(ev.sym == KEYSYM_CHAR && ev.ch == 'y');
        CHECK(keymap_translate(&s, KEY_SEMICOLON, 1, &ev) == 1);
        CHECK(ev.sym == KEYSYM_CHAR && ev.ch == 0xf6);
        keymap_translate(&s, KEY_LEFTSHIFT, 1, &ev);
        CHECK(keymap_translate(&s, KEY_SEMICOLON, 1, &ev) == 1);
        CHECK(ev.ch == 0xd6);
        CHECK(keymap_translate(&s, KEY_Y, 1, &ev) == 1);
        CHECK(ev.ch == 'Z');
        keymap_translate(&s, KEY_LEFTSHIFT, 0, &ev);
        /* Caps Lock applies to letters from the table too. */
        keymap_translate(&s, KEY_CAPSLOCK, 1, &ev);
        keymap_translate(&s, KEY_CAPSLOCK, 0, &ev);
        CHECK(keymap_translate(&s, KEY_Z, 1, &ev) == 1);
        CHECK(ev.ch == 'Y');
        /* Keys the table leaves out keep the built-in layout, and Enter stays Enter. */
        CHECK(keymap_translate(&s, KEY_ENTER, 1, &ev) == 1);
        CHECK(ev.sym == KEYSYM_ENTER);
        CHECK(keymap_translate(&s, KEY_1, 1, &ev) == 1);
        CHECK(ev.ch == '1');
}

TEST(volume_and_power_keys)
{
        struct keymap_state s = {0};

        CHECK_STREQ(press(&s, KEY_VOLUMEUP), "Up");
        CHECK_STREQ(key(&s, KEY_VOLUMEUP, 2), "Up"); /* held: repeats */
        CHECK_STREQ(key(&s, KEY_VOLUMEUP, 0), "");
        CHECK_STREQ(press(&s, KEY_VOLUMEDOWN), "Down");
        /* The power key is Enter only where the device list says so (a tablet). */
        CHECK_STREQ(press(&s, KEY_POWER), "");
        s.power_enter = true;
        CHECK_STREQ(press(&s, KEY_POWER), "Enter");
        CHECK_STREQ(key(&s, KEY_POWER, 0), "");
}
