/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Readable names of key events, for the debug log and test traces. */
#include "keys.h"

#include <stdbool.h>
#include <stdio.h>

static const char *const sym_names[_KEYSYM_MAX] = {
        [KEYSYM_NONE] = "None",      [KEYSYM_ENTER] = "Enter",
        [KEYSYM_ESCAPE] = "Escape",  [KEYSYM_BACKSPACE] = "Backspace",
        [KEYSYM_DELETE] = "Delete",  [KEYSYM_TAB] = "Tab",
        [KEYSYM_UP] = "Up",          [KEYSYM_DOWN] = "Down",
        [KEYSYM_LEFT] = "Left",      [KEYSYM_RIGHT] = "Right",
        [KEYSYM_HOME] = "Home",      [KEYSYM_END] = "End",
        [KEYSYM_PAGE_UP] = "PageUp", [KEYSYM_PAGE_DOWN] = "PageDown",
        [KEYSYM_INSERT] = "Insert",  [KEYSYM_F1] = "F1",
        [KEYSYM_F1 + 1] = "F2",      [KEYSYM_F1 + 2] = "F3",
        [KEYSYM_F1 + 3] = "F4",      [KEYSYM_F1 + 4] = "F5",
        [KEYSYM_F1 + 5] = "F6",      [KEYSYM_F1 + 6] = "F7",
        [KEYSYM_F1 + 7] = "F8",      [KEYSYM_F1 + 8] = "F9",
        [KEYSYM_F1 + 9] = "F10",     [KEYSYM_F1 + 10] = "F11",
        [KEYSYM_F12] = "F12",
};

/* Encodes a printable code point as UTF-8 into out (5 bytes, NUL-terminated); false for control
 * characters, surrogates and values beyond U+10FFFF. */
static bool encode_printable(uint32_t c, char out[5])
{
        if (c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0xd800 && c < 0xe000) || c > 0x10ffff)
                return false;
        if (c < 0x80) {
                out[0] = (char) c;
                out[1] = 0;
        } else if (c < 0x800) {
                out[0] = (char) (0xc0 | (c >> 6));
                out[1] = (char) (0x80 | (c & 0x3f));
                out[2] = 0;
        } else if (c < 0x10000) {
                out[0] = (char) (0xe0 | (c >> 12));
                out[1] = (char) (0x80 | ((c >> 6) & 0x3f));
                out[2] = (char) (0x80 | (c & 0x3f));
                out[3] = 0;
        } else {
                out[0] = (char) (0xf0 | (c >> 18));
                out[1] = (char) (0x80 | ((c >> 12) & 0x3f));
                out[2] = (char) (0x80 | ((c >> 6) & 0x3f));
                out[3] = (char) (0x80 | (c & 0x3f));
                out[4] = 0;
        }
        return true;
}

/* Names look like "Up", "Enter", "'a'", "Ctrl-C", "Shift-Tab", "Alt-'x'", "Ctrl-Alt-Delete".
 * For KEYSYM_CTRL the Ctrl prefix is part of the name and never repeated. */
const char *key_event_name(const struct key_event *ev, char *buf, unsigned len)
{
        char prefix[32] = "", u[5];
        unsigned mods = ev->mods;

        if (!buf || len == 0)
                return buf;

        if (ev->sym == KEYSYM_CTRL)
                mods |= KEYMOD_CTRL;
        snprintf(prefix, sizeof(prefix), "%s%s%s", mods & KEYMOD_CTRL ? "Ctrl-" : "",
                 mods & KEYMOD_ALT ? "Alt-" : "", mods & KEYMOD_SHIFT ? "Shift-" : "");

        switch (ev->sym) {
        case KEYSYM_CHAR:
                if (ev->ch == '\'')
                        snprintf(buf, len, "%s\"'\"", prefix);
                else if (encode_printable(ev->ch, u))
                        snprintf(buf, len, "%s'%s'", prefix, u);
                else
                        snprintf(buf, len, "%sU+%04X", prefix, (unsigned) ev->ch);
                break;
        case KEYSYM_CTRL:
                if (ev->ch >= 'a' && ev->ch <= 'z')
                        snprintf(buf, len, "%s%c", prefix, (char) (ev->ch - 'a' + 'A'));
                else
                        snprintf(buf, len, "%sU+%04X", prefix, (unsigned) ev->ch);
                break;
        default:
                if ((unsigned) ev->sym < _KEYSYM_MAX && sym_names[ev->sym])
                        snprintf(buf, len, "%s%s", prefix, sym_names[ev->sym]);
                else
                        snprintf(buf, len, "%sKey#%u", prefix, (unsigned) ev->sym);
                break;
        }
        return buf;
}

int key_event_unfold(const struct key_event *ev, struct key_event out[2])
{
        if (!(ev->mods & KEYMOD_ESC_PREFIX)) {
                out[0] = *ev;
                return 1;
        }
        out[0] = (struct key_event){.sym = KEYSYM_ESCAPE};
        out[1] = *ev;
        out[1].mods &= ~(unsigned) (KEYMOD_ALT | KEYMOD_ESC_PREFIX);
        return 2;
}
