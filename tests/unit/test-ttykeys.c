/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include "input/ttykeys.h"

#include <stdint.h>

/* Feeds bytes one at a time (optionally flushing at the end) and returns the events as names
 * separated by " | ", or "" for none. */
static const char *decode_n(const char *bytes, size_t n, bool flush)
{
        static char out[8192];
        struct ttykeys t;
        struct key_event ev[2];
        size_t o = 0;
        int k;

        ttykeys_init(&t);
        out[0] = 0;
        for (size_t i = 0; i <= n; i++) {
                if (i < n)
                        k = ttykeys_feed(&t, (unsigned char) bytes[i], ev);
                else if (flush)
                        k = ttykeys_flush(&t, ev);
                else
                        break;
                for (int j = 0; j < k; j++) {
                        char name[64];

                        o += (size_t) snprintf(out + o, sizeof(out) - o, "%s%s", o ? " | " : "",
                                               key_event_name(&ev[j], name, sizeof(name)));
                }
        }
        return out;
}

#define DECODE(s)         decode_n((s), sizeof(s) - 1, true)
#define DECODE_NOFLUSH(s) decode_n((s), sizeof(s) - 1, false)

TEST(cursor_keys)
{
        CHECK_STREQ(DECODE("\033[A"), "Up");
        CHECK_STREQ(DECODE("\033[B"), "Down");
        CHECK_STREQ(DECODE("\033[C"), "Right");
        CHECK_STREQ(DECODE("\033[D"), "Left");
        CHECK_STREQ(DECODE("\033OA"), "Up");
        CHECK_STREQ(DECODE("\033OB"), "Down");
        CHECK_STREQ(DECODE("\033OC"), "Right");
        CHECK_STREQ(DECODE("\033OD"), "Left");
        CHECK_STREQ(DECODE("\033[A\033[B\033OC"), "Up | Down | Right");
}

TEST(home_end_and_editing_keys)
{
        CHECK_STREQ(DECODE("\033[H"), "Home");
        CHECK_STREQ(DECODE("\033[F"), "End");
        CHECK_STREQ(DECODE("\033OH"), "Home");
        CHECK_STREQ(DECODE("\033OF"), "End");
        CHECK_STREQ(DECODE("\033[1~"), "Home");
        CHECK_STREQ(DECODE("\033[7~"), "Home");
        CHECK_STREQ(DECODE("\033[4~"), "End");
        CHECK_STREQ(DECODE("\033[8~"), "End");
        CHECK_STREQ(DECODE("\033[2~"), "Insert");
        CHECK_STREQ(DECODE("\033[3~"), "Delete");
        CHECK_STREQ(DECODE("\033[5~"), "PageUp");
        CHECK_STREQ(DECODE("\033[6~"), "PageDown");
}

TEST(modifiers)
{
        struct ttykeys t;
        struct key_event ev[2];
        const char *s = "\033[1;5A";
        int n = 0;

        CHECK_STREQ(DECODE("\033[1;5A"), "Ctrl-Up");
        CHECK_STREQ(DECODE("\033[1;2B"), "Shift-Down");
        CHECK_STREQ(DECODE("\033[1;3C"), "Alt-Right");
        CHECK_STREQ(DECODE("\033[1;6D"), "Ctrl-Shift-Left");
        CHECK_STREQ(DECODE("\033[1;8H"), "Ctrl-Alt-Shift-Home");
        CHECK_STREQ(DECODE("\033[1;9F"), "Alt-End"); /* Meta counts as Alt */
        CHECK_STREQ(DECODE("\033[3;5~"), "Ctrl-Delete");
        CHECK_STREQ(DECODE("\033[5;2~"), "Shift-PageUp");
        CHECK_STREQ(DECODE("\033[15;5~"), "Ctrl-F5");
        CHECK_STREQ(DECODE("\033[1;5P"), "Ctrl-F1");
        CHECK_STREQ(DECODE("\033O5S"), "Ctrl-F4");
        CHECK_STREQ(DECODE("\033[1;1A"), "Up");
        CHECK_STREQ(DECODE("\033[Z"), "Shift-Tab");

        /* The struct itself, not only the name. */
        ttykeys_init(&t);
        for (const char *p = s; *p; p++)
                n = ttykeys_feed(&t, (unsigned char) *p, ev);
        CHECK_INTEQ(n, 1);
        CHECK_INTEQ(ev[0].sym, KEYSYM_UP);
        CHECK_INTEQ(ev[0].mods, KEYMOD_CTRL);
        CHECK_INTEQ(ttykeys_pending(&t), 0);
}

TEST(function_keys)
{
        CHECK_STREQ(DECODE("\033OP"), "F1");
        CHECK_STREQ(DECODE("\033OQ"), "F2");
        CHECK_STREQ(DECODE("\033OR"), "F3");
        CHECK_STREQ(DECODE("\033OS"), "F4");
        /* Linux console */
        CHECK_STREQ(DECODE("\033[[A"), "F1");
        CHECK_STREQ(DECODE("\033[[B"), "F2");
        CHECK_STREQ(DECODE("\033[[C"), "F3");
        CHECK_STREQ(DECODE("\033[[D"), "F4");
        CHECK_STREQ(DECODE("\033[[E"), "F5");
        /* VT220 */
        CHECK_STREQ(DECODE("\033[11~"), "F1");
        CHECK_STREQ(DECODE("\033[12~"), "F2");
        CHECK_STREQ(DECODE("\033[13~"), "F3");
        CHECK_STREQ(DECODE("\033[14~"), "F4");
        CHECK_STREQ(DECODE("\033[15~"), "F5");
        CHECK_STREQ(DECODE("\033[17~"), "F6");
        CHECK_STREQ(DECODE("\033[18~"), "F7");
        CHECK_STREQ(DECODE("\033[19~"), "F8");
        CHECK_STREQ(DECODE("\033[20~"), "F9");
        CHECK_STREQ(DECODE("\033[21~"), "F10");
        CHECK_STREQ(DECODE("\033[23~"), "F11");
        CHECK_STREQ(DECODE("\033[24~"), "F12");
        /* The gaps in the VT220 numbering are no keys. */
        CHECK_STREQ(DECODE("\033[16~x"), "'x'");
        CHECK_STREQ(DECODE("\033[22~x"), "'x'");
        CHECK_STREQ(DECODE("\033[[Fx"), "'x'");
}

TEST(keypad_application_mode)
{
        CHECK_STREQ(DECODE("\033OM"), "Enter");
        CHECK_STREQ(DECODE("\033Op\033Oy\033On\033Ok"), "'0' | '9' | '.' | '+'");
}

TEST(enter_cr_lf)
{
        CHECK_STREQ(DECODE("\r"), "Enter");
        CHECK_STREQ(DECODE("\n"), "Enter");
        CHECK_STREQ(DECODE("\r\n"), "Enter");
        CHECK_STREQ(DECODE("\r\r"), "Enter | Enter");
        CHECK_STREQ(DECODE("\n\n"), "Enter | Enter");
        CHECK_STREQ(DECODE("\r\n\n"), "Enter | Enter");
        CHECK_STREQ(DECODE("\r\n\r\n"), "Enter | Enter");
        CHECK_STREQ(DECODE("\n\r"), "Enter | Enter");
        CHECK_STREQ(DECODE("\rx\n"), "Enter | 'x' | Enter");
        CHECK_STREQ(DECODE("ls\r\nx"), "'l' | 's' | Enter | 'x'");
        /* The LF of a CR LF pair is swallowed even when the CR ended an Alt sequence. */
        CHECK_STREQ(DECODE("\033\r\n"), "Alt-Enter");
}

TEST(control_codes)
{
        struct ttykeys t;
        struct key_event ev[2];

        CHECK_STREQ(DECODE("\x7f"), "Backspace");
        CHECK_STREQ(DECODE("\x08"), "Backspace");
        CHECK_STREQ(DECODE("\t"), "Tab");
        CHECK_STREQ(DECODE("\x03"), "Ctrl-C");
        CHECK_STREQ(DECODE("\x04"), "Ctrl-D");
        CHECK_STREQ(DECODE("\x01\x02\x1a"), "Ctrl-A | Ctrl-B | Ctrl-Z");
        /* NUL and Ctrl-\ ] ^ _ give nothing. */
        CHECK_STREQ(decode_n("\0\x1c\x1d\x1e\x1fq", 6, true), "'q'");

        for (unsigned b = 0x01; b <= 0x1a; b++) {
                int n;

                ttykeys_init(&t);
                n = ttykeys_feed(&t, (unsigned char) b, ev);
                CHECK_INTEQ(n, 1);
                if (b == 0x08) {
                        CHECK_INTEQ(ev[0].sym, KEYSYM_BACKSPACE);
                } else if (b == 0x09) {
                        CHECK_INTEQ(ev[0].sym, KEYSYM_TAB);
                } else if (b == 0x0a || b == 0x0d) {
                        CHECK_INTEQ(ev[0].sym, KEYSYM_ENTER);
                } else {
                        CHECK_INTEQ(ev[0].sym, KEYSYM_CTRL);
                        CHECK_INTEQ(ev[0].ch, 'a' + b - 1);
                        CHECK_INTEQ(ev[0].mods, KEYMOD_CTRL);
                }
        }
}

TEST(printable_ascii)
{
        struct ttykeys t;
        struct key_event ev[2];

        ttykeys_init(&t);
        for (unsigned b = 0x20; b <= 0x7e; b++) {
                int n = ttykeys_feed(&t, (unsigned char) b, ev);

                CHECK_INTEQ(n, 1);
                CHECK_INTEQ(ev[0].sym, KEYSYM_CHAR);
                CHECK_INTEQ(ev[0].ch, b);
                CHECK_INTEQ(ev[0].mods, 0);
        }
        CHECK_INTEQ(ttykeys_pending(&t), 0);
        CHECK_STREQ(DECODE("a Z~"), "'a' | ' ' | 'Z' | '~'");
}

TEST(utf8)
{
        struct ttykeys t;
        struct key_event ev[2];
        const char *euro = "\xe2\x82\xac";

        CHECK_STREQ(DECODE("\xc3\xa9"), "'\xc3\xa9'");                 /* é, 2 bytes */
        CHECK_STREQ(DECODE("\xe2\x82\xac"), "'\xe2\x82\xac'");         /* €, 3 bytes */
        CHECK_STREQ(DECODE("\xf0\x9f\x98\x80"), "'\xf0\x9f\x98\x80'"); /* 😀, 4 bytes */
        CHECK_STREQ(DECODE("a\xc3\xa9z"), "'a' | '\xc3\xa9' | 'z'");

        /* Code points, and nothing before the last byte. */
        ttykeys_init(&t);
        CHECK_INTEQ(ttykeys_feed(&t, (unsigned char) euro[0], ev), 0);
        CHECK_INTEQ(ttykeys_pending(&t), 1);
        CHECK_INTEQ(ttykeys_feed(&t, (unsigned char) euro[1], ev), 0);
        CHECK_INTEQ(ttykeys_feed(&t, (unsigned char) euro[2], ev), 1);
        CHECK_INTEQ(ev[0].sym, KEYSYM_CHAR);
        CHECK_INTEQ(ev[0].ch, 0x20ac);
        CHECK_INTEQ(ttykeys_pending(&t), 0);
        CHECK_STREQ(DECODE("\xf4\x8f\xbf\xbf"), "'\xf4\x8f\xbf\xbf'"); /* U+10FFFF, the last */
        CHECK_STREQ(DECODE("\xc2\xa0"), "'\xc2\xa0'");                 /* U+00A0, first after C1 */
}

TEST(utf8_invalid)
{
        CHECK_STREQ(DECODE("\x80x"), "'x'");               /* lone continuation */
        CHECK_STREQ(DECODE("\xbf\xbfx"), "'x'");           /* lone continuations */
        CHECK_STREQ(DECODE("\xc0\x80x"), "'x'");           /* over-long NUL */
        CHECK_STREQ(DECODE("\xc1\xbfx"), "'x'");           /* over-long */
        CHECK_STREQ(DECODE("\xe0\x80\x80x"), "'x'");       /* over-long 3-byte */
        CHECK_STREQ(DECODE("\xf0\x80\x80\x80x"), "'x'");   /* over-long 4-byte */
        CHECK_STREQ(DECODE("\xed\xa0\x80x"), "'x'");       /* surrogate U+D800 */
        CHECK_STREQ(DECODE("\xf4\x90\x80\x80x"), "'x'");   /* U+110000 */
        CHECK_STREQ(DECODE("\xf5\x80\x80\x80x"), "'x'");   /* invalid lead */
        CHECK_STREQ(DECODE("\xff\xfex"), "'x'");           /* invalid bytes */
        CHECK_STREQ(DECODE("\xc2\x80\xc2\x9fx"), "'x'");   /* C1 controls */
        CHECK_STREQ(DECODE("\xe2\x82x"), "'x'");           /* truncated by ASCII */
        CHECK_STREQ(DECODE("\xe2\x82\r"), "Enter");        /* truncated by a control */
        CHECK_STREQ(DECODE("\xe2\x82\033[A"), "Up");       /* truncated by a sequence */
        CHECK_STREQ(DECODE("\xe2\xc3\xa9"), "'\xc3\xa9'"); /* truncated by another lead */
        CHECK_STREQ(DECODE("\xe2\x82"), "");               /* truncated at the end: flushed */
        CHECK_STREQ(DECODE_NOFLUSH("\xf0\x9f\x98"), "");
}

TEST(esc_timeout_and_alt)
{
        struct ttykeys t;
        struct key_event ev[2];

        ttykeys_init(&t);
        CHECK_INTEQ(ttykeys_pending(&t), 0);
        CHECK_INTEQ(ttykeys_flush(&t, ev), 0);
        CHECK_INTEQ(ttykeys_feed(&t, 0x1b, ev), 0);
        CHECK_INTEQ(ttykeys_pending(&t), 1);
        CHECK_INTEQ(ttykeys_flush(&t, ev), 1);
        CHECK_INTEQ(ev[0].sym, KEYSYM_ESCAPE);
        CHECK_INTEQ(ev[0].mods, 0);
        CHECK_INTEQ(ttykeys_pending(&t), 0);
        CHECK_INTEQ(ttykeys_flush(&t, ev), 0);

        CHECK_STREQ(DECODE("\033"), "Escape");
        CHECK_STREQ(DECODE_NOFLUSH("\033"), "");
        CHECK_STREQ(DECODE("\033\033"), "Escape | Escape");
        CHECK_STREQ(DECODE("\033\033[A"), "Escape | Up");
        CHECK_STREQ(DECODE("\033a"), "Alt-'a'");
        CHECK_STREQ(DECODE("\033X"), "Alt-'X'");
        CHECK_STREQ(DECODE("\033 "), "Alt-' '");
        CHECK_STREQ(DECODE("\033\x7f"), "Alt-Backspace");
        CHECK_STREQ(DECODE("\033\x03"), "Ctrl-Alt-C");
        /* "ESC [" and "ESC O" alone: Alt+[ and Alt+O after the timeout. */
        CHECK_STREQ(DECODE("\033["), "Alt-'['");
        CHECK_STREQ(DECODE("\033O"), "Alt-'O'");
        CHECK_STREQ(DECODE_NOFLUSH("\033["), "");
        /* ... or when a control byte follows (two events from one byte). */
        CHECK_STREQ(DECODE("\033[\r"), "Alt-'[' | Enter");
        /* ESC before a multibyte character: Escape, then the character. */
        CHECK_STREQ(DECODE("\033\xc3\xa9"), "Escape | '\xc3\xa9'");
        /* A partial sequence is dropped by the flush. */
        CHECK_STREQ(DECODE("\033[1;5"), "");
        CHECK_STREQ(DECODE("\033[["), "");
}

TEST(unknown_sequences_dropped)
{
        CHECK_STREQ(DECODE("\033[99~x"), "'x'");
        CHECK_STREQ(DECODE("\033[200~ab\033[201~"), "'a' | 'b'"); /* bracketed paste markers */
        CHECK_STREQ(DECODE("\033[?1;2cx"), "'x'");                /* device attributes reply */
        CHECK_STREQ(DECODE("\033[12;40Rx"), "'x'"); /* a cursor position report, not F3 */
        CHECK_STREQ(DECODE("\033[5Ax"), "'x'");     /* cursor movement, not a key */
        CHECK_STREQ(DECODE("\033[1;5Xy"), "'y'");
        CHECK_STREQ(DECODE("\033[<0;10;5Mz"), "'z'"); /* SGR mouse */
        CHECK_STREQ(DECODE("\033[1 qx"), "'x'");      /* intermediate byte */
        CHECK_STREQ(DECODE("\033[1;2;3;4;5Ax"), "'x'");
        CHECK_STREQ(DECODE("\033OZx"), "'x'");
        CHECK_STREQ(DECODE("\033O?x"), "");
        /* A control byte ends a sequence: dropped, the byte decoded. */
        CHECK_STREQ(DECODE("\033[1\r"), "Enter");
        CHECK_STREQ(DECODE("\033[1\033[B"), "Down");
        CHECK_STREQ(DECODE("\033[[\x7f"), "Backspace");
}

TEST(overlong_sequences)
{
        char s[300];
        size_t n = 0;
        struct ttykeys t;
        struct key_event ev[2];

        s[n++] = 0x1b;
        s[n++] = '[';
        for (int i = 0; i < 200; i++)
                s[n++] = (char) ('0' + i % 10);
        s[n++] = 'A';
        s[n++] = 'b';
        CHECK_STREQ(decode_n(s, n, true), "'b'");

        /* While skipping, the bytes stay pending and the buffer never overflows. */
        ttykeys_init(&t);
        for (size_t i = 0; i < n - 2; i++) {
                CHECK_INTEQ(ttykeys_feed(&t, (unsigned char) s[i], ev), 0);
                CHECK(t.len <= sizeof(t.buf));
                CHECK_INTEQ(ttykeys_pending(&t), 1);
        }
        CHECK_INTEQ(ttykeys_flush(&t, ev), 0);
        CHECK_INTEQ(ttykeys_pending(&t), 0);
        CHECK_INTEQ(ttykeys_feed(&t, 'c', ev), 1);
        CHECK_INTEQ(ev[0].ch, 'c');

        /* What fits of an over-long sequence would be a key ("ESC [ 1 ; 000…"): still dropped. */
        n = 0;
        s[n++] = 0x1b;
        s[n++] = '[';
        s[n++] = '1';
        s[n++] = ';';
        for (int i = 0; i < 40; i++)
                s[n++] = '0';
        s[n++] = '5';
        s[n++] = 'A';
        s[n++] = 'b';
        CHECK_STREQ(decode_n(s, n, true), "'b'");

        /* 28 parameter bytes still fit: a real (if silly) key. */
        n = 0;
        s[n++] = 0x1b;
        s[n++] = '[';
        for (int i = 0; i < 27; i++)
                s[n++] = '0';
        s[n++] = '3';
        s[n++] = '~';
        CHECK_STREQ(decode_n(s, n, true), "Delete");
}

TEST(split_byte_by_byte)
{
        static const char *const seqs[] = {"\033[A",  "\033[1;5D", "\033[24~",
                                           "\033[[E", "\033OP",    "\xf0\x9f\x98\x80"};
        struct ttykeys t;
        struct key_event ev[2];

        /* Every prefix gives nothing and leaves the decoder pending; the last byte gives one
         * event. */
        for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
                size_t l = strlen(seqs[i]);

                ttykeys_init(&t);
                for (size_t j = 0; j + 1 < l; j++) {
                        CHECK_INTEQ(ttykeys_feed(&t, (unsigned char) seqs[i][j], ev), 0);
                        CHECK_INTEQ(ttykeys_pending(&t), 1);
                }
                CHECK_INTEQ(ttykeys_feed(&t, (unsigned char) seqs[i][l - 1], ev), 1);
                CHECK_INTEQ(ttykeys_pending(&t), 0);
        }
}

static uint32_t rng_state;

static uint32_t rng(void)
{
        /* xorshift32: the same sequence on every libc */
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 17;
        rng_state ^= rng_state << 5;
        return rng_state;
}

static bool event_ok(const struct key_event *ev)
{
        if (ev->sym <= KEYSYM_NONE || ev->sym >= _KEYSYM_MAX)
                return false;
        if (ev->sym == KEYSYM_CHAR)
                return ev->ch >= 0x20 && ev->ch != 0x7f && !(ev->ch >= 0x80 && ev->ch < 0xa0) &&
                       !(ev->ch >= 0xd800 && ev->ch < 0xe000) && ev->ch <= 0x10ffff;
        if (ev->sym == KEYSYM_CTRL)
                return ev->ch >= 'a' && ev->ch <= 'z';
        return ev->ch == 0;
}

static void fuzz(bool *test_failed, bool biased)
{
        static const unsigned char alphabet[] = {0x1b, '[',  'O',  '0',  '1',  '5',  ';',  '~',
                                                 'A',  'P',  '?',  '\r', '\n', 0xc3, 0xa9, 0xe2,
                                                 0x80, 0xf0, 0x9f, 0xff, '[',  0x1b, '2',  'x'};
        struct ttykeys t;
        struct key_event ev[2];
        unsigned long events = 0, bad = 0;

        ttykeys_init(&t);
        for (unsigned long i = 0; i < 1000000; i++) {
                uint32_t r = rng();
                unsigned char b = biased ? alphabet[r % sizeof(alphabet)] : (unsigned char) r;
                int n;

                n = (i % 997 == 0) ? ttykeys_flush(&t, ev) : ttykeys_feed(&t, b, ev);
                if (n < 0 || n > 2 || t.len > sizeof(t.buf)) {
                        bad++;
                        break;
                }
                for (int j = 0; j < n; j++)
                        if (!event_ok(&ev[j]))
                                bad++;
                events += (unsigned long) n;
        }
        CHECK_INTEQ(bad, 0);
        CHECK(events > 1000);
}

TEST(fuzz_random_bytes)
{
        rng_state = 0x12345678;
        fuzz(test_failed, false);
        rng_state = 0xdeadbeef;
        fuzz(test_failed, true);
}

TEST(key_event_name)
{
        char b[64];
        struct key_event ev = {.sym = KEYSYM_CHAR, .ch = '\''};

        CHECK_STREQ(key_event_name(&ev, b, sizeof(b)), "\"'\"");
        ev = (struct key_event){.sym = KEYSYM_CHAR, .ch = 0x7f};
        CHECK_STREQ(key_event_name(&ev, b, sizeof(b)), "U+007F");
        ev = (struct key_event){.sym = KEYSYM_F12};
        CHECK_STREQ(key_event_name(&ev, b, sizeof(b)), "F12");
        ev = (struct key_event){.sym = KEYSYM_DELETE, .mods = KEYMOD_CTRL | KEYMOD_ALT};
        CHECK_STREQ(key_event_name(&ev, b, sizeof(b)), "Ctrl-Alt-Delete");
        ev = (struct key_event){.sym = KEYSYM_CTRL, .ch = 'c'};
        CHECK_STREQ(key_event_name(&ev, b, sizeof(b)), "Ctrl-C");
        ev = (struct key_event){.sym = _KEYSYM_MAX};
        CHECK_STREQ(key_event_name(&ev, b, sizeof(b)), "Key#29");
        ev = (struct key_event){.sym = KEYSYM_PAGE_DOWN, .mods = KEYMOD_SHIFT};
        CHECK_STREQ(key_event_name(&ev, b, 8), "Shift-P"); /* truncated, NUL-terminated */
}

/* Decodes bytes that came in one read and unfolds every event as the key dispatch does. */
static const char *decode_unfolded(const char *bytes, size_t n)
{
        static char out[512];
        struct ttykeys t;
        struct key_event ev[2], keys[2];
        size_t o = 0;

        ttykeys_init(&t);
        out[0] = 0;
        for (size_t i = 0; i <= n; i++) {
                int k = i < n ? ttykeys_feed(&t, (unsigned char) bytes[i], ev)
                              : ttykeys_flush(&t, ev);

                for (int j = 0; j < k; j++) {
                        int u = key_event_unfold(&ev[j], keys);

                        for (int x = 0; x < u; x++) {
                                char name[64];

                                o += (size_t) snprintf(
                                        out + o, sizeof(out) - o, "%s%s", o ? " | " : "",
                                        key_event_name(&keys[x], name, sizeof(name)));
                        }
                }
        }
        return out;
}

#define UNFOLD(s) decode_unfolded((s), sizeof(s) - 1)

TEST(esc_prefix_marked)
{
        struct ttykeys t;
        struct key_event ev[2];

        /* "ESC L" in one read: Alt+L, marked as coming from an ESC prefix. */
        ttykeys_init(&t);
        CHECK_INTEQ(ttykeys_feed(&t, 0x1b, ev), 0);
        REQUIRE(ttykeys_feed(&t, 'L', ev) == 1);
        CHECK_INTEQ(ev[0].sym, KEYSYM_CHAR);
        CHECK_INTEQ(ev[0].ch, 'L');
        CHECK_INTEQ(ev[0].mods, KEYMOD_ALT | KEYMOD_ESC_PREFIX);
        /* "ESC [" or "ESC O" resolved by the timeout or a control byte: marked too. */
        CHECK_INTEQ(ttykeys_feed(&t, 0x1b, ev), 0);
        CHECK_INTEQ(ttykeys_feed(&t, 'O', ev), 0);
        REQUIRE(ttykeys_flush(&t, ev) == 1);
        CHECK_INTEQ(ev[0].mods, KEYMOD_ALT | KEYMOD_ESC_PREFIX);
        CHECK_INTEQ(ttykeys_feed(&t, 0x1b, ev), 0);
        CHECK_INTEQ(ttykeys_feed(&t, '[', ev), 0);
        REQUIRE(ttykeys_feed(&t, '\r', ev) == 2);
        CHECK_INTEQ(ev[0].mods, KEYMOD_ALT | KEYMOD_ESC_PREFIX);
        CHECK_INTEQ(ev[1].mods, 0);
        /* An Alt the terminal encodes in a parameter is a real Alt: not marked. */
        CHECK_INTEQ(ttykeys_feed(&t, 0x1b, ev), 0);
        CHECK_INTEQ(ttykeys_feed(&t, '[', ev), 0);
        CHECK_INTEQ(ttykeys_feed(&t, '1', ev), 0);
        CHECK_INTEQ(ttykeys_feed(&t, ';', ev), 0);
        CHECK_INTEQ(ttykeys_feed(&t, '3', ev), 0);
        REQUIRE(ttykeys_feed(&t, 'A', ev) == 1);
        CHECK_INTEQ(ev[0].sym, KEYSYM_UP);
        CHECK_INTEQ(ev[0].mods, KEYMOD_ALT);
}

TEST(esc_then_key_in_one_read_unfolds)
{
        CHECK_STREQ(UNFOLD("\033L"), "Escape | 'L'");
        CHECK_STREQ(UNFOLD("\033s"), "Escape | 's'");
        CHECK_STREQ(UNFOLD("\033\r"), "Escape | Enter");
        CHECK_STREQ(UNFOLD("\033\x03"), "Escape | Ctrl-C");
        CHECK_STREQ(UNFOLD("\033\x7f"), "Escape | Backspace");
        CHECK_STREQ(UNFOLD("\033O"), "Escape | 'O'");
        CHECK_STREQ(UNFOLD("\033[\r"), "Escape | '[' | Enter");
        /* Already two keys, or real sequences: unchanged. */
        CHECK_STREQ(UNFOLD("\033"), "Escape");
        CHECK_STREQ(UNFOLD("\033\033[A"), "Escape | Up");
        CHECK_STREQ(UNFOLD("\033[1;3C"), "Alt-Right");
        CHECK_STREQ(UNFOLD("\033OP"), "F1");
        CHECK_STREQ(UNFOLD("L"), "'L'");
}

TEST(unfold_leaves_other_events)
{
        struct key_event out[2];
        struct key_event alt = {.sym = KEYSYM_CHAR, .ch = 'x', .mods = KEYMOD_ALT};

        /* Alt from a keyboard (evdev) stays Alt. */
        REQUIRE(key_event_unfold(&alt, out) == 1);
        CHECK_INTEQ(out[0].sym, KEYSYM_CHAR);
        CHECK_INTEQ(out[0].ch, 'x');
        CHECK_INTEQ(out[0].mods, KEYMOD_ALT);
        alt.mods |= KEYMOD_SHIFT | KEYMOD_ESC_PREFIX;
        REQUIRE(key_event_unfold(&alt, out) == 2);
        CHECK_INTEQ(out[0].sym, KEYSYM_ESCAPE);
        CHECK_INTEQ(out[0].mods, 0);
        CHECK_INTEQ(out[1].ch, 'x');
        CHECK_INTEQ(out[1].mods, KEYMOD_SHIFT);
}
