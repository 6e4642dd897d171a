/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Key events: what every input source (console tty, evdev) produces and every screen consumes. */
#pragma once

#include <stdint.h>

enum key_sym {
        KEYSYM_NONE = 0,
        KEYSYM_CHAR, /* a printable character in key_event.ch (Unicode code point) */
        KEYSYM_ENTER,
        KEYSYM_ESCAPE,
        KEYSYM_BACKSPACE,
        KEYSYM_DELETE,
        KEYSYM_TAB,
        KEYSYM_UP,
        KEYSYM_DOWN,
        KEYSYM_LEFT,
        KEYSYM_RIGHT,
        KEYSYM_HOME,
        KEYSYM_END,
        KEYSYM_PAGE_UP,
        KEYSYM_PAGE_DOWN,
        KEYSYM_INSERT,
        KEYSYM_F1, /* F1..F12 are consecutive */
        KEYSYM_F12 = KEYSYM_F1 + 11,
        KEYSYM_CTRL, /* Ctrl+letter: key_event.ch is the lower-case letter ('a'..'z') */
        _KEYSYM_MAX,
};

enum key_mod {
        KEYMOD_SHIFT = 1 << 0,
        KEYMOD_CTRL = 1 << 1,
        KEYMOD_ALT = 1 << 2,
        /* With KEYMOD_ALT: the Alt came as an ESC prefix ("ESC x", the terminal meta encoding),
         * which is also what a person's Esc and then x give when both arrive in one read (a
         * serial line, a loaded machine). key_event_unfold() turns it back into the two keys. */
        KEYMOD_ESC_PREFIX = 1 << 3,
};

struct key_event {
        enum key_sym sym;
        uint32_t ch;   /* KEYSYM_CHAR: code point; KEYSYM_CTRL: 'a'..'z' */
        unsigned mods; /* enum key_mod bits, where the source knows them */
};

/* A short readable name for logs and traces: "Up", "Enter", "'a'", "Ctrl-C". Returns buf. */
const char *key_event_name(const struct key_event *ev, char *buf, unsigned len);

/* Where Alt+key means nothing, an Alt that came as an ESC prefix (KEYMOD_ESC_PREFIX) is Esc
 * followed by the key: writes Escape and the key without Alt to out and returns 2. Any other
 * event is copied to out[0] (returns 1). */
int key_event_unfold(const struct key_event *ev, struct key_event out[2]);
