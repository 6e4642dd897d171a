/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include "menu/pager.h"

static enum pager_action press(struct pager *p, enum key_sym sym)
{
        return pager_key(p, &(struct key_event){.sym = sym});
}

static enum pager_action type(struct pager *p, uint32_t ch)
{
        return pager_key(p, &(struct key_event){.sym = KEYSYM_CHAR, .ch = ch});
}

/* A pager of n numbered lines showing rows at once. */
static int fill(struct pager *p, size_t n, size_t rows)
{
        int r = pager_open(p, "Devices");

        for (size_t i = 0; r >= 0 && i < n; i++)
                r = lines_printf(&p->lines, i == 0 ? LINE_HEADER : LINE_NORMAL, "line %zu", i);
        pager_set_rows(p, rows);
        return r;
}

TEST(open_titles_and_empties)
{
        struct pager p = {0};

        REQUIRE(fill(&p, 30, 10) == 0);
        p.top = 7;
        REQUIRE(pager_open(&p, "The entry could not be booted") == 0);
        CHECK_STREQ(p.title, "The entry could not be booted");
        CHECK_INTEQ(p.lines.n, 0);
        CHECK_INTEQ(p.top, 0);
        pager_done(&p);
        CHECK(p.title == NULL);
}

TEST(scrolls_within_the_last_page)
{
        struct pager p = {0};

        REQUIRE(fill(&p, 30, 10) == 0);
        CHECK_INTEQ(press(&p, KEYSYM_UP), PAGER_ACTION_REDRAW);
        CHECK_INTEQ(p.top, 0);
        CHECK_INTEQ(press(&p, KEYSYM_DOWN), PAGER_ACTION_REDRAW);
        CHECK_INTEQ(p.top, 1);
        CHECK_INTEQ(press(&p, KEYSYM_PAGE_DOWN), PAGER_ACTION_REDRAW);
        CHECK_INTEQ(p.top, 11);
        CHECK_INTEQ(press(&p, KEYSYM_PAGE_DOWN), PAGER_ACTION_REDRAW);
        CHECK_INTEQ(p.top, 20); /* the last page: lines 20..29 */
        CHECK_INTEQ(press(&p, KEYSYM_DOWN), PAGER_ACTION_REDRAW);
        CHECK_INTEQ(p.top, 20);
        CHECK_INTEQ(press(&p, KEYSYM_PAGE_UP), PAGER_ACTION_REDRAW);
        CHECK_INTEQ(p.top, 10);
        CHECK_INTEQ(press(&p, KEYSYM_UP), PAGER_ACTION_REDRAW);
        CHECK_INTEQ(p.top, 9);
        CHECK_INTEQ(press(&p, KEYSYM_PAGE_UP), PAGER_ACTION_REDRAW);
        CHECK_INTEQ(p.top, 0);
        CHECK_INTEQ(press(&p, KEYSYM_END), PAGER_ACTION_REDRAW);
        CHECK_INTEQ(p.top, 20);
        CHECK_INTEQ(press(&p, KEYSYM_HOME), PAGER_ACTION_REDRAW);
        CHECK_INTEQ(p.top, 0);
        pager_done(&p);
}

TEST(short_list_does_not_scroll)
{
        struct pager p = {0};

        REQUIRE(fill(&p, 3, 10) == 0);
        CHECK_INTEQ(press(&p, KEYSYM_DOWN), PAGER_ACTION_REDRAW);
        CHECK_INTEQ(press(&p, KEYSYM_PAGE_DOWN), PAGER_ACTION_REDRAW);
        CHECK_INTEQ(press(&p, KEYSYM_END), PAGER_ACTION_REDRAW);
        CHECK_INTEQ(p.top, 0);
        pager_done(&p);
}

TEST(rows_at_least_one)
{
        struct pager p = {0};

        REQUIRE(fill(&p, 5, 0) == 0);
        CHECK_INTEQ(p.rows, 1);
        CHECK_INTEQ(press(&p, KEYSYM_PAGE_DOWN), PAGER_ACTION_REDRAW);
        CHECK_INTEQ(p.top, 1);
        CHECK_INTEQ(press(&p, KEYSYM_END), PAGER_ACTION_REDRAW);
        CHECK_INTEQ(p.top, 4);
        pager_done(&p);
}

TEST(close_keys_and_other_keys)
{
        struct pager p = {0};

        REQUIRE(fill(&p, 30, 10) == 0);
        CHECK_INTEQ(press(&p, KEYSYM_ESCAPE), PAGER_ACTION_CLOSE);
        CHECK_INTEQ(press(&p, KEYSYM_ENTER), PAGER_ACTION_CLOSE);
        CHECK_INTEQ(type(&p, 'q'), PAGER_ACTION_CLOSE);
        CHECK_INTEQ(type(&p, 'Q'), PAGER_ACTION_CLOSE);
        CHECK_INTEQ(type(&p, 'x'), PAGER_ACTION_NONE);
        CHECK_INTEQ(press(&p, KEYSYM_TAB), PAGER_ACTION_NONE);
        CHECK_INTEQ(p.top, 0);
        pager_done(&p);
}

TEST(lines_bounded_trim_and_split)
{
        struct lines l = {.max = 10};

        for (int i = 0; i < 25; i++)
                REQUIRE(lines_printf(&l, LINE_OK, "n%d", i) == 0);
        CHECK(l.n <= 10);
        CHECK_STREQ(l.items[l.n - 1].text, "n24");
        REQUIRE(lines_printf(&l, LINE_ERROR, "a\nb\n") == 0);
        CHECK_STREQ(l.items[l.n - 3].text, "a");
        CHECK_STREQ(l.items[l.n - 2].text, "b");
        CHECK_STREQ(l.items[l.n - 1].text, "");
        CHECK_INTEQ(l.items[l.n - 1].style, LINE_ERROR);
        lines_trim(&l, 2);
        CHECK_INTEQ(l.n, 2);
        CHECK_STREQ(l.items[0].text, "b");
        CHECK_INTEQ(lines_push(&l, LINE_NORMAL, NULL), -EINVAL);
        lines_clear(&l);
        CHECK_INTEQ(l.n, 0);
        CHECK_INTEQ(l.max, 10);
}

TEST(lines_push_wrapped)
{
        struct lines l = {0};
        static const char long_word[] = "abcdefghijklmnopqrstuvwxyz";

        CHECK_INTEQ(lines_push_wrapped(&l, LINE_ERROR,
                                       "the kernel is locked down and refused this kernel: "
                                       "not signed. Turn Secure Boot off",
                                       20),
                    0);
        REQUIRE(l.n == 5);
        CHECK_STREQ(l.items[0].text, "the kernel is locked");
        CHECK_STREQ(l.items[1].text, "down and refused");
        CHECK_STREQ(l.items[2].text, "this kernel: not");
        CHECK_STREQ(l.items[3].text, "signed. Turn Secure");
        CHECK_STREQ(l.items[4].text, "Boot off");
        CHECK_INTEQ(l.items[4].style, LINE_ERROR);
        lines_clear(&l);
        /* A word longer than the width is cut; UTF-8 counts characters; short text is one line;
         * a stray byte does not stop it. */
        CHECK_INTEQ(lines_push_wrapped(&l, LINE_NORMAL, long_word, 10), 0);
        REQUIRE(l.n == 3);
        CHECK_STREQ(l.items[2].text, "uvwxyz");
        lines_clear(&l);
        CHECK_INTEQ(lines_push_wrapped(&l, LINE_NORMAL, "\xc3\xa9\xc3\xa9\xc3\xa9 x", 4), 0);
        REQUIRE(l.n == 2);
        CHECK_STREQ(l.items[0].text, "\xc3\xa9\xc3\xa9\xc3\xa9");
        lines_clear(&l);
        CHECK_INTEQ(lines_push_wrapped(&l, LINE_NORMAL, "a\xff\xff b", 3), 0);
        CHECK_INTEQ(l.n, 2);
        lines_clear(&l);
        CHECK_INTEQ(lines_push_wrapped(&l, LINE_NORMAL, "", 3), 0);
        CHECK_INTEQ(l.n, 1);
        lines_clear(&l);
}
