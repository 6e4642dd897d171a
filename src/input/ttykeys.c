/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Terminal byte decoder: control codes, UTF-8 and the escape sequences of the Linux console,
 * xterm-like terminals and serial terminals (ECMA-48 CSI "ESC [ params final" and SS3
 * "ESC O final").
 *
 * State: t->buf holds the bytes of an unfinished sequence; buf[0] is either ESC or a UTF-8 lead
 * byte. Anything not understood is consumed and dropped, never turned into characters. A control
 * byte (or a non-ASCII byte) inside an escape sequence ends it: the sequence is dropped and the
 * byte is decoded on its own. */
#include "ttykeys.h"

#include <string.h>

#include "../core/util.h"

#define ESC 0x1b

/* Largest parameter value kept; bigger numbers are clamped (they match nothing anyway). */
#define PARAM_MAX  10000
#define PARAMS_MAX 4

void ttykeys_init(struct ttykeys *t)
{
        memset(t, 0, sizeof(*t));
}

int ttykeys_pending(const struct ttykeys *t)
{
        return t->len > 0;
}

static int emit(struct key_event *out, enum key_sym sym, uint32_t ch, unsigned mods)
{
        *out = (struct key_event){.sym = sym, .ch = ch, .mods = mods};
        return 1;
}

static void reset(struct ttykeys *t)
{
        t->len = 0;
        t->overlong = false;
}

static bool is_utf8_lead(unsigned char b)
{
        /* 0xc0/0xc1 would only start over-long encodings, 0xf5.. code points beyond U+10FFFF. */
        return b >= 0xc2 && b <= 0xf4;
}

/* A byte that is not part of any sequence: control codes and printable ASCII. */
static int decode_byte(struct ttykeys *t, unsigned char b, struct key_event *out)
{
        switch (b) {
        case '\r':
                /* Serial terminals send CR for Enter, some CR LF: remember it so that the LF of a
                 * CR LF pair does not give a second Enter. */
                t->after_cr = true;
                return emit(out, KEYSYM_ENTER, 0, 0);
        case '\n':
                return emit(out, KEYSYM_ENTER, 0, 0);
        case '\t':
                return emit(out, KEYSYM_TAB, 0, 0);
        case 0x08:
        case 0x7f:
                return emit(out, KEYSYM_BACKSPACE, 0, 0);
        default:
                break;
        }
        if (b >= 0x01 && b <= 0x1a)
                return emit(out, KEYSYM_CTRL, 'a' + b - 1, KEYMOD_CTRL);
        if (b >= 0x20 && b <= 0x7e)
                return emit(out, KEYSYM_CHAR, b, 0);
        /* NUL, Ctrl-\ ] ^ _, stray continuation bytes, 0xc0/0xc1, 0xf5..0xff: dropped. */
        return 0;
}

/* Starts decoding with nothing pending. */
static int feed_start(struct ttykeys *t, unsigned char b, bool after_cr, struct key_event *out)
{
        if (b == ESC || is_utf8_lead(b)) {
                t->buf[0] = b;
                t->len = 1;
                return 0;
        }
        if (b == '\n' && after_cr)
                return 0;
        return decode_byte(t, b, out);
}

/* xterm modifier parameter: 1 + (Shift 1 | Alt 2 | Ctrl 4 | Meta 8). */
static unsigned modifier_param(unsigned p)
{
        unsigned m, mods = 0;

        if (p < 2 || p > 16)
                return 0;
        m = p - 1;
        if (m & 1)
                mods |= KEYMOD_SHIFT;
        if (m & (2 | 8))
                mods |= KEYMOD_ALT;
        if (m & 4)
                mods |= KEYMOD_CTRL;
        return mods;
}

/* Parses the numeric parameters "n;n;..." in buf[2..len). Returns how many, or -1 when the
 * sequence holds anything else (private markers like '?', intermediates). */
static int parse_params(const struct ttykeys *t, unsigned p[PARAMS_MAX])
{
        int n = 0;

        memset(p, 0, sizeof(unsigned) * PARAMS_MAX);
        if (t->len <= 2)
                return 0;
        n = 1;
        for (size_t i = 2; i < t->len; i++) {
                unsigned char b = t->buf[i];

                if (b >= '0' && b <= '9') {
                        p[n - 1] = MIN(p[n - 1] * 10 + (unsigned) (b - '0'), (unsigned) PARAM_MAX);
                } else if (b == ';') {
                        if (n == PARAMS_MAX)
                                return -1;
                        n++;
                } else {
                        return -1;
                }
        }
        return n;
}

static enum key_sym cursor_sym(unsigned char final)
{
        switch (final) {
        case 'A':
                return KEYSYM_UP;
        case 'B':
                return KEYSYM_DOWN;
        case 'C':
                return KEYSYM_RIGHT;
        case 'D':
                return KEYSYM_LEFT;
        case 'H':
                return KEYSYM_HOME;
        case 'F':
                return KEYSYM_END;
        case 'P':
        case 'Q':
        case 'R':
        case 'S':
                return KEYSYM_F1 + (final - 'P');
        default:
                return KEYSYM_NONE;
        }
}

/* "ESC [ n ~" (VT220 editing and function keys). */
static enum key_sym tilde_sym(unsigned n)
{
        switch (n) {
        case 1:
        case 7:
                return KEYSYM_HOME;
        case 2:
                return KEYSYM_INSERT;
        case 3:
                return KEYSYM_DELETE;
        case 4:
        case 8:
                return KEYSYM_END;
        case 5:
                return KEYSYM_PAGE_UP;
        case 6:
                return KEYSYM_PAGE_DOWN;
        case 11 ... 15:
                return KEYSYM_F1 + (n - 11);
        case 17 ... 21:
                return KEYSYM_F1 + 5 + (n - 17);
        case 23:
        case 24:
                return KEYSYM_F1 + 10 + (n - 23);
        default:
                return KEYSYM_NONE;
        }
}

/* A complete CSI sequence "ESC [ params final". Unknown ones give nothing. */
static int decode_csi(const struct ttykeys *t, unsigned char final, struct key_event *out)
{
        unsigned p[PARAMS_MAX];
        enum key_sym sym;
        int n;

        n = parse_params(t, p);
        if (n < 0)
                return 0;

        if (final == '~') {
                sym = tilde_sym(p[0]);
                if (sym == KEYSYM_NONE)
                        return 0;
                return emit(out, sym, 0, n >= 2 ? modifier_param(p[1]) : 0);
        }
        if (final == 'Z') /* back tab */
                return emit(out, KEYSYM_TAB, 0, KEYMOD_SHIFT);

        sym = cursor_sym(final);
        if (sym == KEYSYM_NONE)
                return 0;
        /* Keys send no first parameter or "1" ("ESC [ 1 ; 5 A"). Anything else is a report, such
         * as a cursor position report "ESC [ row ; col R", which would otherwise look like F3. */
        if (n >= 1 && p[0] > 1)
                return 0;
        return emit(out, sym, 0, n >= 2 ? modifier_param(p[1]) : 0);
}

/* A complete SS3 sequence "ESC O final" (application cursor and keypad modes). Some terminals
 * put a modifier parameter in between ("ESC O 5 P"). */
static int decode_ss3(const struct ttykeys *t, unsigned char final, struct key_event *out)
{
        static const char keypad[] = "*+,-./0123456789"; /* 'j' .. 'y' */
        unsigned p[PARAMS_MAX], mods = 0;
        enum key_sym sym;
        int n;

        n = parse_params(t, p);
        if (n < 0)
                return 0;
        if (n > 0)
                mods = modifier_param(p[n - 1]);

        if (final == 'M')
                return emit(out, KEYSYM_ENTER, 0, mods);
        if (final >= 'j' && final <= 'y')
                return emit(out, KEYSYM_CHAR, (unsigned char) keypad[final - 'j'], 0);
        sym = cursor_sym(final);
        if (sym == KEYSYM_NONE)
                return 0;
        return emit(out, sym, 0, mods);
}

static int feed_escape(struct ttykeys *t, unsigned char b, struct key_event out[2])
{
        int n;

        if (t->len == 1) {
                if (b == '[' || b == 'O') {
                        t->buf[t->len++] = b;
                        return 0;
                }
                reset(t);
                n = decode_byte(t, b, out);
                if (n > 0) { /* ESC x = Alt+x (the usual terminal meta encoding), or Esc, x */
                        out[0].mods |= KEYMOD_ALT | KEYMOD_ESC_PREFIX;
                        return n;
                }
                /* ESC before another ESC (which stays pending), a multibyte character or an
                 * undecodable byte: a plain Escape, then the byte on its own. */
                emit(out, KEYSYM_ESCAPE, 0, 0);
                return 1 + feed_start(t, b, false, out + 1);
        }

        /* Linux console F1..F5: "ESC [ [ A" .. "ESC [ [ E". */
        if (t->len == 2 && t->buf[1] == '[' && b == '[') {
                t->buf[t->len++] = b;
                return 0;
        }
        if (t->len == 3 && t->buf[1] == '[' && t->buf[2] == '[') {
                if (b >= 'A' && b <= 'E') {
                        reset(t);
                        return emit(out, KEYSYM_F1 + (b - 'A'), 0, 0);
                }
                if (b >= 0x20 && b <= 0x7e) {
                        reset(t);
                        return 0;
                }
                reset(t);
                return feed_start(t, b, false, out);
        }

        if (b >= 0x20 && b <= 0x3f) { /* parameter and intermediate bytes */
                if (t->len < sizeof(t->buf))
                        t->buf[t->len++] = b;
                else
                        t->overlong = true;
                return 0;
        }
        if (b >= 0x40 && b <= 0x7e) { /* final byte */
                n = 0;
                if (!t->overlong)
                        n = t->buf[1] == '[' ? decode_csi(t, b, out) : decode_ss3(t, b, out);
                reset(t);
                return n;
        }

        /* A control or non-ASCII byte interrupts the sequence. A bare "ESC [" or "ESC O" was
         * Alt+[ or Alt+O; anything longer is dropped. The byte is then decoded on its own. */
        n = 0;
        if (t->len == 2)
                n = emit(out, KEYSYM_CHAR, t->buf[1], KEYMOD_ALT | KEYMOD_ESC_PREFIX);
        reset(t);
        return n + feed_start(t, b, false, out + n);
}

static int feed_utf8(struct ttykeys *t, unsigned char b, struct key_event *out)
{
        unsigned char lead = t->buf[0], lo = 0x80, hi = 0xbf;
        size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
        uint32_t c;

        /* The second byte's range rules out over-long forms, surrogates and > U+10FFFF. */
        if (t->len == 1) {
                if (lead == 0xe0)
                        lo = 0xa0;
                else if (lead == 0xed)
                        hi = 0x9f;
                else if (lead == 0xf0)
                        lo = 0x90;
                else if (lead == 0xf4)
                        hi = 0x8f;
        }
        if (b < lo || b > hi) {
                /* Invalid: the partial character is dropped, the byte decoded on its own. */
                reset(t);
                return feed_start(t, b, false, out);
        }
        t->buf[t->len++] = b;
        if (t->len < need)
                return 0;

        c = lead & (need == 2 ? 0x1f : need == 3 ? 0x0f : 0x07);
        for (size_t i = 1; i < need; i++)
                c = (c << 6) | (t->buf[i] & 0x3f);
        reset(t);
        if (c < 0xa0) /* C1 control codes */
                return 0;
        return emit(out, KEYSYM_CHAR, c, 0);
}

int ttykeys_feed(struct ttykeys *t, unsigned char byte, struct key_event out[2])
{
        bool after_cr = t->after_cr;

        t->after_cr = false;
        if (t->len == 0)
                return feed_start(t, byte, after_cr, out);
        if (t->buf[0] == ESC)
                return feed_escape(t, byte, out);
        return feed_utf8(t, byte, out);
}

int ttykeys_flush(struct ttykeys *t, struct key_event out[2])
{
        int n = 0;

        if (t->len == 1 && t->buf[0] == ESC)
                n = emit(out, KEYSYM_ESCAPE, 0, 0);
        else if (t->len == 2 && t->buf[0] == ESC)
                n = emit(out, KEYSYM_CHAR, t->buf[1], KEYMOD_ALT | KEYMOD_ESC_PREFIX);
        reset(t);
        return n;
}
