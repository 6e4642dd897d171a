/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include "core/utf8.h"
#include "input/keymap.h"

#include <stdio.h>
#include <string.h>

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

/* ---- the compiled layouts (keymap-data.c, from Debian's console keymaps) ---- */

/* Presses and releases code (with Shift, AltGr or Caps Lock per mods: 's', 'g') in layout l and
 * appends what it gave to out as UTF-8; Ctrl and special keys as "<name>". */
static void stroke(struct keymap_state *s, unsigned code, const char *mods, char *out, size_t size)
{
        struct key_event ev;
        int n;

        if (strchr(mods, 's'))
                keymap_translate(s, KEY_LEFTSHIFT, 1, &ev);
        if (strchr(mods, 'g'))
                keymap_translate(s, KEY_RIGHTALT, 1, &ev);
        n = keymap_translate(s, code, 1, &ev);
        while (n > 0) {
                size_t o = strlen(out);

                if (ev.sym == KEYSYM_CHAR && o + 5 < size) {
                        char u[4];
                        size_t k = utf8_encode(ev.ch, u);

                        memcpy(out + o, u, k);
                        out[o + k] = 0;
                } else if (o + 32 < size) {
                        char name[32];

                        snprintf(out + o, size - o, "<%s>",
                                 key_event_name(&ev, name, sizeof(name)));
                }
                n = keymap_take_pending(s, &ev);
        }
        keymap_translate(s, code, 0, &ev);
        if (strchr(mods, 'g'))
                keymap_translate(s, KEY_RIGHTALT, 0, &ev);
        if (strchr(mods, 's'))
                keymap_translate(s, KEY_LEFTSHIFT, 0, &ev);
}

/* One key in a fresh state of layout name: what it gives. */
static const char *in_layout(const char *name, unsigned code, const char *mods)
{
        static char out[64];
        struct keymap_state s = {0};

        out[0] = 0;
        keymap_set_layout(&s, keymap_find(name));
        if (!s.layout)
                return "(no layout)";
        stroke(&s, code, mods, out, sizeof(out));
        return out;
}

TEST(layout_list)
{
        const char *names[] = {"us",    "uk", "de", "de-nodeadkeys",
                               "fr",    "es", "it", "ch-de",
                               "ch-fr", "se", "fi", "no",
                               "dk",    "pt", "br", "pl",
                               "cz",    "hu", "be", "nl"};

        CHECK(keymap_n_layouts >= ARRAY_SIZE(names));
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                const struct keymap_layout *l = keymap_find(names[i]);

                CHECK(l != NULL);
                /* Every Latin layout has its letters where a keyboard has them. */
                CHECK(l &&
                      keymap_layout_letter(l, KEY_A, 0) + keymap_layout_letter(l, KEY_Q, 0) >= 1);
        }
        CHECK(keymap_find("xx") == NULL);
        CHECK(keymap_find(NULL) == NULL);
        /* The key codes are ascending (the lookup is a binary search). */
        for (unsigned i = 1; i < keymap_n_codes; i++)
                CHECK(keymap_codes[i - 1] < keymap_codes[i]);
        for (unsigned i = 1; i < keymap_n_layouts; i++)
                for (unsigned j = 0; j < i; j++)
                        CHECK(!streq(keymap_layouts[i].name, keymap_layouts[j].name));
}

TEST(layout_similar_names)
{
        const char *r[8];
        size_t n;
        bool de = false;

        n = keymap_similar("ge", r, ARRAY_SIZE(r));
        for (size_t i = 0; i < n; i++)
                de |= streq(r[i], "de");
        CHECK(de);
        n = keymap_similar("de-latin1", r, ARRAY_SIZE(r));
        CHECK(n >= 1 && streq(r[0], "de"));
        CHECK_INTEQ(keymap_similar("qqqqqqqqqq", r, ARRAY_SIZE(r)), 0);
        CHECK_INTEQ(keymap_similar("", r, ARRAY_SIZE(r)), 0);
}

TEST(layout_us_unchanged)
{
        /* The us layout gives what the built-in US table gives, key by key. */
        for (unsigned i = 0; i < keymap_n_codes; i++) {
                unsigned code = keymap_codes[i];
                struct keymap_state b = {0};
                char builtin[64] = "", table[64] = "";

                if (code == KEY_RO)
                        continue; /* not on a US keyboard */
                stroke(&b, code, "", builtin, sizeof(builtin));
                stroke(&b, code, "s", builtin, sizeof(builtin));
                strcpy(table, in_layout("us", code, ""));
                strcat(table, in_layout("us", code, "s"));
                CHECK_STREQ(table, builtin);
        }
        CHECK_STREQ(in_layout("us", KEY_Y, ""), "y");
        CHECK_STREQ(in_layout("us", KEY_Z, "s"), "Z");
        CHECK_STREQ(in_layout("us", KEY_LEFTBRACE, ""), "[");
        CHECK_STREQ(in_layout("us", KEY_2, "s"), "@");
        CHECK_STREQ(in_layout("us", KEY_APOSTROPHE, "s"), "\"");
}

TEST(layout_de)
{
        struct keymap_state s = {0};
        struct key_event ev;
        char out[64] = "";

        CHECK_STREQ(in_layout("de", KEY_Y, ""), "z");
        CHECK_STREQ(in_layout("de", KEY_Z, ""), "y");
        CHECK_STREQ(in_layout("de", KEY_LEFTBRACE, ""), "ü");
        CHECK_STREQ(in_layout("de", KEY_LEFTBRACE, "s"), "Ü");
        CHECK_STREQ(in_layout("de", KEY_SEMICOLON, ""), "ö");
        CHECK_STREQ(in_layout("de", KEY_APOSTROPHE, "s"), "Ä");
        CHECK_STREQ(in_layout("de", KEY_MINUS, ""), "ß");
        CHECK_STREQ(in_layout("de", KEY_Q, "g"), "@");
        CHECK_STREQ(in_layout("de", KEY_E, "g"), "€");
        CHECK_STREQ(in_layout("de", KEY_7, "g"), "{");
        CHECK_STREQ(in_layout("de", KEY_MINUS, "g"), "\\");
        CHECK_STREQ(in_layout("de", KEY_102ND, ""), "<");
        CHECK_STREQ(in_layout("de", KEY_102ND, "g"), "|");
        CHECK_STREQ(in_layout("de", KEY_2, "s"), "\"");
        CHECK_STREQ(in_layout("de", KEY_SLASH, ""), "-");
        /* AltGr where the layout has nothing there: the right Alt is Alt. */
        keymap_set_layout(&s, keymap_find("de"));
        keymap_translate(&s, KEY_RIGHTALT, 1, &ev);
        CHECK(keymap_translate(&s, KEY_A, 1, &ev) == 1);
        CHECK(ev.sym == KEYSYM_CHAR && ev.ch == 'a' && ev.mods == KEYMOD_ALT);
        keymap_translate(&s, KEY_A, 0, &ev);
        keymap_translate(&s, KEY_RIGHTALT, 0, &ev);

        /* Dead keys: ^ then a is â, ´ then e is é, Shift+´ (`) then a is à; ^ then space is ^,
         * ^ then q (no pair) is ^q, ^ twice is ^. */
        stroke(&s, KEY_GRAVE, "", out, sizeof(out));
        CHECK_STREQ(out, "");
        stroke(&s, KEY_A, "", out, sizeof(out));
        CHECK_STREQ(out, "â");
        stroke(&s, KEY_EQUAL, "", out, sizeof(out));
        stroke(&s, KEY_E, "", out, sizeof(out));
        stroke(&s, KEY_EQUAL, "s", out, sizeof(out));
        stroke(&s, KEY_A, "s", out, sizeof(out));
        CHECK_STREQ(out, "âéÀ");
        out[0] = 0;
        stroke(&s, KEY_GRAVE, "", out, sizeof(out));
        stroke(&s, KEY_SPACE, "", out, sizeof(out));
        stroke(&s, KEY_GRAVE, "", out, sizeof(out));
        stroke(&s, KEY_Q, "", out, sizeof(out));
        stroke(&s, KEY_GRAVE, "", out, sizeof(out));
        stroke(&s, KEY_GRAVE, "", out, sizeof(out));
        CHECK_STREQ(out, "^^q^");
        /* Backspace cancels a dead key; Enter gives the diacritic first. */
        out[0] = 0;
        stroke(&s, KEY_GRAVE, "", out, sizeof(out));
        stroke(&s, KEY_BACKSPACE, "", out, sizeof(out));
        stroke(&s, KEY_A, "", out, sizeof(out));
        stroke(&s, KEY_GRAVE, "", out, sizeof(out));
        stroke(&s, KEY_ENTER, "", out, sizeof(out));
        CHECK_STREQ(out, "a^<Enter>");
        /* Caps Lock: letters, umlauts included; not the digits. */
        keymap_translate(&s, KEY_CAPSLOCK, 1, &ev);
        keymap_translate(&s, KEY_CAPSLOCK, 0, &ev);
        out[0] = 0;
        stroke(&s, KEY_Y, "", out, sizeof(out));
        stroke(&s, KEY_LEFTBRACE, "", out, sizeof(out));
        stroke(&s, KEY_1, "", out, sizeof(out));
        stroke(&s, KEY_Y, "s", out, sizeof(out));
        CHECK_STREQ(out, "ZÜ1z");
        /* Ctrl goes by the layout's letter: Ctrl+(the key that gives z) is Ctrl-Z. */
        keymap_translate(&s, KEY_LEFTCTRL, 1, &ev);
        CHECK(keymap_translate(&s, KEY_Y, 1, &ev) == 1 && ev.sym == KEYSYM_CTRL && ev.ch == 'z');
        keymap_translate(&s, KEY_Y, 0, &ev);
        keymap_translate(&s, KEY_LEFTCTRL, 0, &ev);
        /* Keys outside the table keep the built-in meaning. */
        CHECK_STREQ(in_layout("de", KEY_KP1, ""), "1");
        CHECK_STREQ(in_layout("de", KEY_ENTER, ""), "<Enter>");
        CHECK_STREQ(in_layout("de", KEY_UP, ""), "<Up>");

        /* Without dead keys: the same key gives ^ at once. */
        CHECK_STREQ(in_layout("de-nodeadkeys", KEY_GRAVE, ""), "^");
        CHECK_STREQ(in_layout("de-nodeadkeys", KEY_Y, ""), "z");
}

TEST(layout_others)
{
        /* fr (AZERTY): a where q is, q where a is, z where w is, m right of l; the digits need
         * Shift. */
        CHECK_STREQ(in_layout("fr", KEY_Q, ""), "a");
        CHECK_STREQ(in_layout("fr", KEY_A, ""), "q");
        CHECK_STREQ(in_layout("fr", KEY_W, ""), "z");
        CHECK_STREQ(in_layout("fr", KEY_SEMICOLON, ""), "m");
        CHECK_STREQ(in_layout("fr", KEY_1, ""), "&");
        CHECK_STREQ(in_layout("fr", KEY_1, "s"), "1");
        CHECK_STREQ(in_layout("fr", KEY_2, ""), "é");
        CHECK_STREQ(in_layout("fr", KEY_0, "g"), "@");
        CHECK_STREQ(in_layout("uk", KEY_2, "s"), "\"");
        CHECK_STREQ(in_layout("uk", KEY_3, "s"), "£");
        CHECK_STREQ(in_layout("es", KEY_SEMICOLON, ""), "ñ");
        CHECK_STREQ(in_layout("it", KEY_SEMICOLON, ""), "ò");
        CHECK_STREQ(in_layout("ch-de", KEY_Y, ""), "z");
        CHECK_STREQ(in_layout("ch-de", KEY_LEFTBRACE, ""), "ü");
        CHECK_STREQ(in_layout("ch-fr", KEY_LEFTBRACE, ""), "è");
        CHECK_STREQ(in_layout("se", KEY_LEFTBRACE, ""), "å");
        CHECK_STREQ(in_layout("no", KEY_SEMICOLON, ""), "ø");
        CHECK_STREQ(in_layout("dk", KEY_APOSTROPHE, ""), "ø");
        CHECK_STREQ(in_layout("pt", KEY_SEMICOLON, ""), "ç");
        CHECK_STREQ(in_layout("br", KEY_SEMICOLON, ""), "ç");
        CHECK_STREQ(in_layout("br", KEY_RO, ""), "/");
        CHECK_STREQ(in_layout("be", KEY_Q, ""), "a");
        /* Polish (programmer's): ą and Ą on AltGr, and Caps Lock applies there too. */
        CHECK_STREQ(in_layout("pl", KEY_A, "g"), "ą");
        CHECK_STREQ(in_layout("pl", KEY_A, "gs"), "Ą");
        CHECK_STREQ(in_layout("pl", KEY_L, "g"), "ł");
        CHECK_STREQ(in_layout("cz", KEY_2, ""), "ě");
        CHECK_STREQ(in_layout("cz", KEY_Y, ""), "z");
        CHECK_STREQ(in_layout("hu", KEY_0, ""), "ö");
}

TEST(layout_and_console_table)
{
        /* A layout comes before the console's table; without one, the table applies again. */
        uint16_t plain[KEYMAP_TABLE_KEYS] = {0}, shifted[KEYMAP_TABLE_KEYS] = {0};
        struct keymap_state s = {0};
        struct keymap_table t;
        char out[16] = "";

        plain[KEY_Q] = 0x0b61; /* an AZERTY console */
        (void) keymap_table_from_console(plain, shifted, &t);
        s.table = &t;
        keymap_set_layout(&s, keymap_find("de"));
        stroke(&s, KEY_Q, "", out, sizeof(out));
        keymap_set_layout(&s, NULL);
        stroke(&s, KEY_Q, "", out, sizeof(out));
        CHECK_STREQ(out, "qa");
}
