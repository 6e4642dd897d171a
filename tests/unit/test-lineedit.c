/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include "core/util.h"
#include "menu/lineedit.h"

#include <stdint.h>

static enum lineedit_result key(struct lineedit *le, enum key_sym sym)
{
        struct key_event ev = {.sym = sym};

        return lineedit_key(le, &ev);
}

static enum lineedit_result ctrl(struct lineedit *le, char c)
{
        struct key_event ev = {.sym = KEYSYM_CTRL, .ch = (uint32_t) c, .mods = KEYMOD_CTRL};

        return lineedit_key(le, &ev);
}

static enum lineedit_result ch(struct lineedit *le, uint32_t c)
{
        struct key_event ev = {.sym = KEYSYM_CHAR, .ch = c};

        return lineedit_key(le, &ev);
}

/* Types a UTF-8 string character by character (test strings are valid UTF-8). */
static void type(struct lineedit *le, const char *s)
{
        const unsigned char *p = (const unsigned char *) s;

        while (*p) {
                uint32_t c;
                int n;

                if (*p < 0x80) {
                        c = *p;
                        n = 1;
                } else if (*p < 0xe0) {
                        c = *p & 0x1f;
                        n = 2;
                } else if (*p < 0xf0) {
                        c = *p & 0x0f;
                        n = 3;
                } else {
                        c = *p & 0x07;
                        n = 4;
                }
                for (int i = 1; i < n; i++)
                        c = (c << 6) | (p[i] & 0x3f);
                ch(le, c);
                p += n;
        }
}

/* Sets the text and puts the cursor after `pos` characters, with key presses. */
static void set_at(struct lineedit *le, const char *text, size_t pos)
{
        lineedit_clear(le);
        type(le, text);
        key(le, KEYSYM_HOME);
        for (size_t i = 0; i < pos; i++)
                key(le, KEYSYM_RIGHT);
}

static char *submit(struct lineedit *le, const char *text)
{
        lineedit_clear(le);
        type(le, text);
        return lineedit_take(le);
}

static void push(struct lineedit *le, const char *text)
{
        free(submit(le, text));
}

TEST(init_and_typing)
{
        struct lineedit le;

        lineedit_init(&le);
        CHECK_STREQ(le.buf, "");
        CHECK_INTEQ(le.len, 0);
        CHECK_INTEQ(le.cursor, 0);
        CHECK_INTEQ(le.n_history, 0);
        CHECK_INTEQ(le.browse, 0);
        lineedit_clear(&le); /* nothing allocated yet */
        CHECK_STREQ(le.buf, "");

        CHECK_INTEQ(ch(&le, 'a'), LINEEDIT_CHANGED);
        type(&le, "bc d");
        CHECK_STREQ(le.buf, "abc d");
        CHECK_INTEQ(le.len, 5);
        CHECK_INTEQ(le.cursor, 5);
        /* Not text: control characters, Ctrl/Alt characters, invalid code points. */
        CHECK_INTEQ(ch(&le, 0x07), LINEEDIT_NONE);
        CHECK_INTEQ(ch(&le, 0x7f), LINEEDIT_NONE);
        CHECK_INTEQ(ch(&le, 0x85), LINEEDIT_NONE);
        CHECK_INTEQ(ch(&le, 0xd800), LINEEDIT_NONE);
        CHECK_INTEQ(ch(&le, 0x110000), LINEEDIT_NONE);
        CHECK_INTEQ(lineedit_key(
                            &le,
                            &(struct key_event){.sym = KEYSYM_CHAR, .ch = 'x', .mods = KEYMOD_ALT}),
                    LINEEDIT_NONE);
        CHECK_INTEQ(key(&le, KEYSYM_F1), LINEEDIT_NONE);
        CHECK_INTEQ(key(&le, KEYSYM_TAB), LINEEDIT_NONE);
        CHECK_INTEQ(ctrl(&le, 'c'), LINEEDIT_NONE);
        CHECK_INTEQ(ctrl(&le, 'd'), LINEEDIT_NONE);
        CHECK_STREQ(le.buf, "abc d");
        CHECK_INTEQ(key(&le, KEYSYM_ENTER), LINEEDIT_SUBMIT);
        CHECK_STREQ(le.buf, "abc d"); /* Enter alone does not take the line */
        lineedit_done(&le);
        CHECK_STREQ(le.buf, "");
        lineedit_done(&le); /* twice is fine */
}

TEST(insert_at_every_position)
{
        static const char *const want[] = {"Xabcde", "aXbcde", "abXcde",
                                           "abcXde", "abcdXe", "abcdeX"};
        struct lineedit le;

        lineedit_init(&le);
        for (size_t pos = 0; pos <= 5; pos++) {
                set_at(&le, "abcde", pos);
                CHECK_INTEQ(le.cursor, pos);
                CHECK_INTEQ(ch(&le, 'X'), LINEEDIT_CHANGED);
                CHECK_STREQ(le.buf, want[pos]);
                CHECK_INTEQ(le.cursor, pos + 1);
                CHECK_INTEQ(le.len, 6);
        }
        lineedit_done(&le);
}

TEST(backspace_and_delete_at_every_position)
{
        static const char *const bs[] = {"abcde", "bcde", "acde", "abde", "abce", "abcd"};
        static const char *const del[] = {"bcde", "acde", "abde", "abce", "abcd", "abcde"};
        struct lineedit le;

        lineedit_init(&le);
        for (size_t pos = 0; pos <= 5; pos++) {
                set_at(&le, "abcde", pos);
                CHECK_INTEQ(key(&le, KEYSYM_BACKSPACE), pos > 0 ? LINEEDIT_CHANGED : LINEEDIT_NONE);
                CHECK_STREQ(le.buf, bs[pos]);
                CHECK_INTEQ(le.cursor, pos > 0 ? pos - 1 : 0);

                set_at(&le, "abcde", pos);
                CHECK_INTEQ(key(&le, KEYSYM_DELETE), pos < 5 ? LINEEDIT_CHANGED : LINEEDIT_NONE);
                CHECK_STREQ(le.buf, del[pos]);
                CHECK_INTEQ(le.cursor, pos);
        }
        lineedit_done(&le);
}

TEST(kill_at_every_position)
{
        static const char *const ku[] = {"abcde", "bcde", "cde", "de", "e", ""};
        static const char *const kk[] = {"", "a", "ab", "abc", "abcd", "abcde"};
        struct lineedit le;

        lineedit_init(&le);
        for (size_t pos = 0; pos <= 5; pos++) {
                set_at(&le, "abcde", pos);
                CHECK_INTEQ(ctrl(&le, 'u'), pos > 0 ? LINEEDIT_CHANGED : LINEEDIT_NONE);
                CHECK_STREQ(le.buf, ku[pos]);
                CHECK_INTEQ(le.cursor, 0);

                set_at(&le, "abcde", pos);
                CHECK_INTEQ(ctrl(&le, 'k'), pos < 5 ? LINEEDIT_CHANGED : LINEEDIT_NONE);
                CHECK_STREQ(le.buf, kk[pos]);
                CHECK_INTEQ(le.cursor, pos);
                CHECK_INTEQ(le.len, pos);
        }
        lineedit_done(&le);
}

TEST(cursor_movement)
{
        struct lineedit le;

        lineedit_init(&le);
        type(&le, "abc");
        CHECK_INTEQ(key(&le, KEYSYM_RIGHT), LINEEDIT_NONE);
        CHECK_INTEQ(key(&le, KEYSYM_END), LINEEDIT_NONE);
        CHECK_INTEQ(key(&le, KEYSYM_LEFT), LINEEDIT_CHANGED);
        CHECK_INTEQ(le.cursor, 2);
        CHECK_INTEQ(key(&le, KEYSYM_HOME), LINEEDIT_CHANGED);
        CHECK_INTEQ(le.cursor, 0);
        CHECK_INTEQ(key(&le, KEYSYM_LEFT), LINEEDIT_NONE);
        CHECK_INTEQ(key(&le, KEYSYM_HOME), LINEEDIT_NONE);
        CHECK_INTEQ(ctrl(&le, 'e'), LINEEDIT_CHANGED);
        CHECK_INTEQ(le.cursor, 3);
        CHECK_INTEQ(ctrl(&le, 'a'), LINEEDIT_CHANGED);
        CHECK_INTEQ(le.cursor, 0);
        CHECK_INTEQ(ctrl(&le, 'a'), LINEEDIT_NONE);
        CHECK_INTEQ(key(&le, KEYSYM_END), LINEEDIT_CHANGED);
        CHECK_INTEQ(le.cursor, 3);
        CHECK_INTEQ(key(&le, KEYSYM_RIGHT), LINEEDIT_NONE);
        lineedit_done(&le);
}

TEST(utf8_editing)
{
        struct lineedit le;

        lineedit_init(&le);
        /* h é(2) l € (3) 😀 (4) */
        type(&le, "h\xc3\xa9l\xe2\x82\xac\xf0\x9f\x98\x80");
        CHECK_INTEQ(le.len, 11);
        CHECK_INTEQ(le.cursor, 11);
        CHECK_INTEQ(key(&le, KEYSYM_LEFT), LINEEDIT_CHANGED);
        CHECK_INTEQ(le.cursor, 7);
        CHECK_INTEQ(key(&le, KEYSYM_LEFT), LINEEDIT_CHANGED);
        CHECK_INTEQ(le.cursor, 4);
        CHECK_INTEQ(key(&le, KEYSYM_LEFT), LINEEDIT_CHANGED);
        CHECK_INTEQ(le.cursor, 3);
        CHECK_INTEQ(key(&le, KEYSYM_LEFT), LINEEDIT_CHANGED);
        CHECK_INTEQ(le.cursor, 1);
        CHECK_INTEQ(key(&le, KEYSYM_RIGHT), LINEEDIT_CHANGED);
        CHECK_INTEQ(le.cursor, 3);
        CHECK_INTEQ(key(&le, KEYSYM_BACKSPACE), LINEEDIT_CHANGED);
        CHECK_STREQ(le.buf, "hl\xe2\x82\xac\xf0\x9f\x98\x80");
        CHECK_INTEQ(le.cursor, 1);
        CHECK_INTEQ(key(&le, KEYSYM_RIGHT), LINEEDIT_CHANGED);
        CHECK_INTEQ(key(&le, KEYSYM_DELETE), LINEEDIT_CHANGED);
        CHECK_STREQ(le.buf, "hl\xf0\x9f\x98\x80");
        CHECK_INTEQ(ch(&le, 0x00e9), LINEEDIT_CHANGED);
        CHECK_STREQ(le.buf, "hl\xc3\xa9\xf0\x9f\x98\x80");
        CHECK_INTEQ(le.cursor, 4);
        CHECK_INTEQ(key(&le, KEYSYM_DELETE), LINEEDIT_CHANGED);
        CHECK_STREQ(le.buf, "hl\xc3\xa9");
        lineedit_done(&le);
}

TEST(set_and_take)
{
        struct lineedit le;
        char *s;

        lineedit_init(&le);
        CHECK_INTEQ(lineedit_set(&le, "kernel /boot/vmlinuz"), 0);
        CHECK_STREQ(le.buf, "kernel /boot/vmlinuz");
        CHECK_INTEQ(le.cursor, 20);
        /* Invalid UTF-8 and control characters are replaced; a tab becomes a space. */
        CHECK_INTEQ(lineedit_set(&le, "a\tb\x01\xff\xc3\xa9\xe2\x82z\xed\xa0\x80"), 0);
        CHECK_STREQ(le.buf, "a b??\xc3\xa9??z???");
        CHECK_INTEQ(lineedit_set(&le, NULL), 0);
        CHECK_STREQ(le.buf, "");

        CHECK_INTEQ(lineedit_set(&le, "  boot  "), 0);
        s = lineedit_take(&le);
        CHECK_STREQ(s, "  boot  "); /* stored as typed */
        free(s);
        CHECK_STREQ(le.buf, "");
        CHECK_INTEQ(le.cursor, 0);
        CHECK_INTEQ(le.n_history, 1);
        CHECK_STREQ(le.history[0], "  boot  ");
        lineedit_done(&le);
}

TEST(history_limits)
{
        struct lineedit le;
        char b[32];
        char *s;

        lineedit_init(&le);
        for (int i = 0; i < 40; i++) {
                snprintf(b, sizeof(b), "cmd%d", i);
                push(&le, b);
        }
        CHECK_INTEQ(le.n_history, LINEEDIT_HISTORY_MAX);
        CHECK_STREQ(le.history[0], "cmd8");
        CHECK_STREQ(le.history[31], "cmd39");
        for (int i = 0; i < 32; i++) {
                snprintf(b, sizeof(b), "cmd%d", i + 8);
                CHECK_STREQ(le.history[i], b);
        }
        /* Up 32 times reaches the oldest; once more does nothing. */
        for (int i = 0; i < 32; i++)
                CHECK_INTEQ(key(&le, KEYSYM_UP), LINEEDIT_CHANGED);
        CHECK_STREQ(le.buf, "cmd8");
        CHECK_INTEQ(key(&le, KEYSYM_UP), LINEEDIT_NONE);
        CHECK_STREQ(le.buf, "cmd8");

        /* Empty, blank and repeated lines are not stored, but still returned. */
        s = submit(&le, "");
        CHECK_STREQ(s, "");
        free(s);
        s = submit(&le, "   ");
        CHECK_STREQ(s, "   ");
        free(s);
        push(&le, "cmd39");
        CHECK_INTEQ(le.n_history, 32);
        CHECK_STREQ(le.history[31], "cmd39");
        CHECK_STREQ(le.history[0], "cmd8");
        /* A repeat of an older line is stored. */
        push(&le, "cmd38");
        CHECK_STREQ(le.history[31], "cmd38");
        CHECK_STREQ(le.history[30], "cmd39");
        CHECK_STREQ(le.history[0], "cmd9");
        lineedit_done(&le);
}

TEST(history_browsing)
{
        struct lineedit le;
        char *s;

        lineedit_init(&le);
        CHECK_INTEQ(key(&le, KEYSYM_UP), LINEEDIT_NONE);
        CHECK_INTEQ(key(&le, KEYSYM_DOWN), LINEEDIT_NONE);
        push(&le, "one");
        push(&le, "two");
        push(&le, "three");

        type(&le, "par");
        key(&le, KEYSYM_LEFT);
        CHECK_INTEQ(key(&le, KEYSYM_DOWN), LINEEDIT_NONE); /* not browsing */
        CHECK_INTEQ(key(&le, KEYSYM_UP), LINEEDIT_CHANGED);
        CHECK_STREQ(le.buf, "three");
        CHECK_INTEQ(le.cursor, 5);
        CHECK_STREQ(le.saved, "par");
        CHECK_INTEQ(key(&le, KEYSYM_UP), LINEEDIT_CHANGED);
        CHECK_STREQ(le.buf, "two");
        CHECK_INTEQ(key(&le, KEYSYM_UP), LINEEDIT_CHANGED);
        CHECK_STREQ(le.buf, "one");
        CHECK_INTEQ(key(&le, KEYSYM_UP), LINEEDIT_NONE);
        CHECK_STREQ(le.buf, "one");
        CHECK_INTEQ(key(&le, KEYSYM_DOWN), LINEEDIT_CHANGED);
        CHECK_STREQ(le.buf, "two");
        CHECK_INTEQ(key(&le, KEYSYM_DOWN), LINEEDIT_CHANGED);
        CHECK_STREQ(le.buf, "three");
        /* Past the newest: the line that was being typed comes back. */
        CHECK_INTEQ(key(&le, KEYSYM_DOWN), LINEEDIT_CHANGED);
        CHECK_STREQ(le.buf, "par");
        CHECK_INTEQ(le.cursor, 3);
        CHECK(le.saved == NULL);
        CHECK_INTEQ(key(&le, KEYSYM_DOWN), LINEEDIT_NONE);
        CHECK_STREQ(le.buf, "par");

        /* A recalled line, edited and submitted, becomes the newest entry. */
        key(&le, KEYSYM_UP);
        key(&le, KEYSYM_UP);
        type(&le, "!");
        CHECK_STREQ(le.buf, "two!");
        s = lineedit_take(&le);
        CHECK_STREQ(s, "two!");
        free(s);
        CHECK_INTEQ(le.n_history, 4);
        CHECK_STREQ(le.history[3], "two!");
        CHECK_STREQ(le.history[1], "two");
        CHECK_INTEQ(le.browse, 4);
        CHECK(le.saved == NULL);

        /* Browsing from an empty line returns to an empty line. */
        CHECK_INTEQ(key(&le, KEYSYM_UP), LINEEDIT_CHANGED);
        CHECK_STREQ(le.buf, "two!");
        CHECK_INTEQ(key(&le, KEYSYM_DOWN), LINEEDIT_CHANGED);
        CHECK_STREQ(le.buf, "");

        /* Clearing ends browsing. */
        key(&le, KEYSYM_UP);
        lineedit_clear(&le);
        CHECK_INTEQ(le.browse, 4);
        CHECK_INTEQ(key(&le, KEYSYM_DOWN), LINEEDIT_NONE);
        lineedit_done(&le);
}

static const char *render(struct lineedit *le, unsigned width, unsigned *col)
{
        static char out[4 * 1024 + 1];

        lineedit_render(le, width, out, sizeof(out), col);
        return out;
}

TEST(render_short_and_boundary)
{
        struct lineedit le;
        unsigned col = 99;

        lineedit_init(&le);
        CHECK_STREQ(render(&le, 10, &col), "");
        CHECK_INTEQ(col, 0);
        type(&le, "hello");
        CHECK_STREQ(render(&le, 10, &col), "hello");
        CHECK_INTEQ(col, 5);
        key(&le, KEYSYM_LEFT);
        CHECK_STREQ(render(&le, 10, &col), "hello");
        CHECK_INTEQ(col, 4);

        /* width - 1 characters: fits with the cursor after the end. */
        lineedit_set(&le, "abcdefghi");
        CHECK_STREQ(render(&le, 10, &col), "abcdefghi");
        CHECK_INTEQ(col, 9);
        /* width characters: the cursor after the end needs the window to move. */
        lineedit_set(&le, "abcdefghij");
        CHECK_STREQ(render(&le, 10, &col), "$ghij");
        CHECK_INTEQ(col, 5);
        CHECK_INTEQ(le.scroll, 6);
        /* ... and on the first character, all of it shows without a marker. */
        key(&le, KEYSYM_HOME);
        CHECK_STREQ(render(&le, 10, &col), "abcdefghij");
        CHECK_INTEQ(col, 0);
        CHECK_INTEQ(le.scroll, 0);
        /* On the last character: still all of it (the line is not cut on the right). */
        key(&le, KEYSYM_END);
        key(&le, KEYSYM_LEFT);
        CHECK_STREQ(render(&le, 10, &col), "abcdefghij");
        CHECK_INTEQ(col, 9);
        /* One more character: hidden text on the right. */
        lineedit_set(&le, "abcdefghijk");
        key(&le, KEYSYM_HOME);
        CHECK_STREQ(render(&le, 10, &col), "abcdefghi$");
        CHECK_INTEQ(col, 0);
        lineedit_done(&le);
}

static char *pattern(size_t n)
{
        char *s = malloc(n + 1);

        for (size_t i = 0; i < n; i++)
                s[i] = (char) ('a' + i % 26);
        s[n] = 0;
        return s;
}

TEST(render_long_line)
{
        _cleanup_free_ char *text = pattern(100);
        struct lineedit le;
        unsigned col;
        char want[64];

        lineedit_init(&le);
        lineedit_set(&le, text);

        /* Cursor at the end: '$' on the left, the cursor in the middle column. */
        CHECK_STREQ(render(&le, 20, &col), "$nopqrstuv");
        CHECK_INTEQ(col, 10);
        CHECK_INTEQ(le.scroll, 91);

        /* Cursor at the start: '$' on the right. */
        key(&le, KEYSYM_HOME);
        CHECK_STREQ(render(&le, 20, &col), "abcdefghijklmnopqrs$");
        CHECK_INTEQ(col, 0);

        /* The window stays while the cursor stays inside it ... */
        for (int i = 0; i < 18; i++)
                key(&le, KEYSYM_RIGHT);
        CHECK_STREQ(render(&le, 20, &col), "abcdefghijklmnopqrs$");
        CHECK_INTEQ(col, 18);
        /* ... and jumps by half a screen when it would leave on the right. */
        key(&le, KEYSYM_RIGHT);
        CHECK_STREQ(render(&le, 20, &col), "$klmnopqrstuvwxyzab$");
        CHECK_INTEQ(col, 10);
        CHECK_INTEQ(le.scroll, 10);
        snprintf(want, sizeof(want), "%c", text[19]);
        CHECK_INTEQ(render(&le, 20, &col)[col], want[0]);

        /* Leaving on the left: back to the start when that shows the cursor. */
        for (int i = 0; i < 9; i++)
                key(&le, KEYSYM_LEFT);
        CHECK_STREQ(render(&le, 20, &col), "$klmnopqrstuvwxyzab$");
        CHECK_INTEQ(col, 1);
        key(&le, KEYSYM_LEFT);
        CHECK_STREQ(render(&le, 20, &col), "abcdefghijklmnopqrs$");
        CHECK_INTEQ(col, 9);

        /* From the end, moving left inside the window keeps it. */
        key(&le, KEYSYM_END);
        render(&le, 20, &col);
        for (int i = 0; i < 9; i++)
                key(&le, KEYSYM_LEFT);
        CHECK_STREQ(render(&le, 20, &col), "$nopqrstuv");
        CHECK_INTEQ(col, 1);
        key(&le, KEYSYM_LEFT);
        CHECK_STREQ(render(&le, 20, &col), "$defghijklmnopqrstuv");
        CHECK_INTEQ(col, 10);
        CHECK_INTEQ(le.scroll, 81);
        lineedit_done(&le);
}

TEST(render_typing_scrolls_every_half_screen)
{
        _cleanup_free_ char *text = pattern(100);
        struct lineedit le;
        unsigned col, jumps = 0;
        size_t last;

        lineedit_init(&le);
        lineedit_set(&le, text);
        render(&le, 20, &col);
        last = le.scroll;
        for (int i = 0; i < 50; i++) {
                const char *out;

                ch(&le, 'X');
                out = render(&le, 20, &col);
                CHECK(col < 20);
                CHECK_INTEQ(out[0], '$');
                CHECK_INTEQ(out[col - 1], 'X');
                CHECK_INTEQ(out[col], 0); /* the cursor is after the end */
                if (le.scroll != last)
                        jumps++;
                last = le.scroll;
        }
        CHECK_INTEQ(jumps, 5);
        lineedit_done(&le);
}

TEST(render_very_long_line)
{
        const size_t n = 100000;
        _cleanup_free_ char *text = pattern(n);
        _cleanup_free_ char *want = NULL;
        struct lineedit le;
        unsigned col;
        const char *out;

        lineedit_init(&le);
        /* Typed, not set: 100 000 insertions at the end. */
        type(&le, text);
        CHECK_INTEQ(le.len, n);
        CHECK_STREQ(le.buf, text);

        key(&le, KEYSYM_HOME);
        for (size_t i = 0; i < n / 2; i++)
                key(&le, KEYSYM_RIGHT);
        out = render(&le, 80, &col);
        want = malloc(81);
        want[0] = '$';
        memcpy(want + 1, text + n / 2 - 39, 78);
        want[79] = '$';
        want[80] = 0;
        CHECK_STREQ(out, want);
        CHECK_INTEQ(col, 40);
        CHECK_INTEQ(out[col], text[n / 2]);
        CHECK_INTEQ(le.scroll, n / 2 - 39);

        /* Cursor at the end. */
        key(&le, KEYSYM_END);
        out = render(&le, 80, &col);
        CHECK_INTEQ(strlen(out), 40);
        CHECK_INTEQ(out[0], '$');
        CHECK_STREQ(out + 1, text + n - 39);
        CHECK_INTEQ(col, 40);
        lineedit_done(&le);
}

TEST(render_cursor_always_inside)
{
        _cleanup_free_ char *text = pattern(30);
        struct lineedit le;

        lineedit_init(&le);
        lineedit_set(&le, text);
        for (unsigned w = 1; w <= 34; w++) {
                /* Walk right then left so that the window keeps its state across moves. */
                key(&le, KEYSYM_HOME);
                for (int step = 0; step <= 60; step++) {
                        size_t c, visible;
                        unsigned col;
                        const char *out;

                        if (step > 0)
                                key(&le, step <= 30 ? KEYSYM_RIGHT : KEYSYM_LEFT);
                        c = le.cursor;
                        out = render(&le, w, &col);
                        visible = strlen(out);
                        CHECK(col < w);
                        CHECK(visible <= w);
                        CHECK(col <= visible);
                        if (c < 30)
                                CHECK_INTEQ(out[col], text[c]); /* the right character */
                        else
                                CHECK_INTEQ(col, visible); /* just after the text */
                        if (w >= 4)
                                CHECK((out[0] == '$') == (le.scroll > 0));
                        if (*test_failed) {
                                printf("# width %u cursor %zu: \"%s\" col %u\n", w, c, out, col);
                                lineedit_done(&le);
                                return;
                        }
                }
        }
        lineedit_done(&le);
}

TEST(render_narrow)
{
        struct lineedit le;
        unsigned col = 99;
        char out[8] = "zzz";

        lineedit_init(&le);
        lineedit_set(&le, "abcdef");
        lineedit_render(&le, 0, out, sizeof(out), &col);
        CHECK_STREQ(out, "");
        CHECK_INTEQ(col, 0);
        /* No markers below 4 columns: just the slice around the cursor. */
        CHECK_STREQ(render(&le, 3, &col), "f");
        CHECK_INTEQ(col, 1);
        CHECK_STREQ(render(&le, 1, &col), "");
        CHECK_INTEQ(col, 0);
        key(&le, KEYSYM_HOME);
        CHECK_STREQ(render(&le, 1, &col), "a");
        CHECK_INTEQ(col, 0);
        CHECK_STREQ(render(&le, 2, &col), "ab");
        CHECK_INTEQ(col, 0);
        /* 4 columns: markers on both sides leave room for the cursor. */
        key(&le, KEYSYM_RIGHT);
        key(&le, KEYSYM_RIGHT);
        key(&le, KEYSYM_RIGHT);
        CHECK_STREQ(render(&le, 4, &col), "$cd$");
        CHECK_INTEQ(col, 2);
        /* A window too small for the output buffer stays NUL-terminated. */
        key(&le, KEYSYM_HOME);
        lineedit_render(&le, 40, out, 4, &col);
        CHECK_STREQ(out, "abc");
        CHECK_INTEQ(col, 0);
        lineedit_done(&le);
}

TEST(render_utf8_counts_code_points)
{
        struct lineedit le;
        unsigned col;
        const char *out;
        char want[64] = "$";

        lineedit_init(&le);
        lineedit_set(&le, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"); /* 5 characters, 10 bytes */
        CHECK_STREQ(render(&le, 6, &col), "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
        CHECK_INTEQ(col, 5);
        CHECK_STREQ(render(&le, 5, &col), "$\xc3\xa9");
        CHECK_INTEQ(col, 2);
        key(&le, KEYSYM_HOME);
        CHECK_STREQ(render(&le, 5, &col), "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
        CHECK_INTEQ(col, 0);

        /* 100 euro signs (300 bytes), cursor at the end, 20 columns. */
        lineedit_clear(&le);
        for (int i = 0; i < 100; i++)
                ch(&le, 0x20ac);
        out = render(&le, 20, &col);
        for (int i = 0; i < 9; i++)
                strcat(want, "\xe2\x82\xac");
        CHECK_STREQ(out, want);
        CHECK_INTEQ(col, 10);
        CHECK_INTEQ(le.scroll, 91);
        /* Mixed widths in bytes, one column each. */
        lineedit_set(&le, "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z");
        CHECK_STREQ(render(&le, 6, &col), "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z");
        CHECK_INTEQ(col, 5);
        key(&le, KEYSYM_HOME);
        CHECK_STREQ(render(&le, 4, &col), "a\xc3\xa9\xe2\x82\xac$");
        CHECK_INTEQ(col, 0);
        lineedit_done(&le);
}
