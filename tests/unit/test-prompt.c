/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The prompt model: masked rendering, no history for secrets, the answer wiped, Esc, wrapping. */
#include "test.h"

#include "menu/prompt.h"

static struct key_event ch(uint32_t c)
{
        return (struct key_event){.sym = KEYSYM_CHAR, .ch = c};
}

static struct key_event sym(enum key_sym s)
{
        return (struct key_event){.sym = s};
}

static void type(struct prompt *p, const char *s)
{
        for (; *s; s++) {
                struct key_event e = ch((unsigned char) *s);

                (void) prompt_key(p, &e);
        }
}

TEST(masked_answer)
{
        struct prompt p;
        struct key_event enter = sym(KEYSYM_ENTER), up = sym(KEYSYM_UP), bs = sym(KEYSYM_BACKSPACE);
        char out[64];
        unsigned col;
        char *a;

        prompt_init(&p);
        REQUIRE(prompt_ask(&p, "Password: ", true) == 0);
        CHECK_STREQ(p.label, "Password: ");
        type(&p, "s3cr");
        {
                struct key_event e_acute = ch(0xe9);

                (void) prompt_key(&p, &e_acute);
        }
        type(&p, "t");
        lineedit_render(&p.edit, 40, out, sizeof(out), &col);
        CHECK_STREQ(out, "******"); /* one '*' per character, UTF-8 too */
        CHECK_INTEQ(col, 6);
        CHECK(prompt_key(&p, &bs) == PROMPT_CHANGED);
        lineedit_render(&p.edit, 40, out, sizeof(out), &col);
        CHECK_STREQ(out, "*****");
        CHECK(prompt_key(&p, &enter) == PROMPT_SUBMIT);
        a = prompt_take(&p);
        CHECK_STREQ(a, "s3cr\xc3\xa9");
        prompt_free_answer(a);
        CHECK_INTEQ(p.edit.len, 0);
        /* nothing went to the history: Up recalls nothing */
        CHECK_INTEQ(p.edit.n_history, 0);
        CHECK(prompt_key(&p, &up) == PROMPT_NONE);
        CHECK_INTEQ(p.edit.len, 0);
        prompt_done(&p);
}

TEST(plain_answer_and_cancel)
{
        struct prompt p;
        struct key_event esc = sym(KEYSYM_ESCAPE);
        char out[64];
        unsigned col;

        prompt_init(&p);
        REQUIRE(prompt_ask(&p, "Number: ", false) == 0);
        type(&p, "12");
        lineedit_render(&p.edit, 40, out, sizeof(out), &col);
        CHECK_STREQ(out, "12");
        CHECK(prompt_key(&p, &esc) == PROMPT_CANCEL);
        /* a new question empties the line */
        REQUIRE(prompt_ask(&p, "Password: ", true) == 0);
        CHECK_INTEQ(p.edit.len, 0);
        CHECK(p.edit.masked);
        prompt_done(&p);
}

TEST(answer_bounded)
{
        struct prompt p;
        char *a;

        prompt_init(&p);
        REQUIRE(prompt_ask(&p, "x", true) == 0);
        for (int i = 0; i < 3000; i++)
                type(&p, "a");
        a = prompt_take(&p);
        CHECK(a && strlen(a) < PROMPT_MAX);
        prompt_free_answer(a);
        prompt_done(&p);
}

TEST(say_wraps)
{
        struct prompt p;

        prompt_init(&p);
        REQUIRE(prompt_say(&p, LINE_NORMAL, 20, "one two three four five six seven") == 0);
        REQUIRE(p.lines.n == 2);
        CHECK_STREQ(p.lines.items[0].text, "one two three four");
        CHECK_STREQ(p.lines.items[1].text, "five six seven");
        prompt_lines_clear(&p);
        REQUIRE(prompt_say(&p, LINE_NORMAL, 12, "   from /dev/sda1:/EFI/debian/shimx64.efi x") ==
                0);
        CHECK(p.lines.n >= 3);
        for (size_t i = 0; i < p.lines.n; i++) {
                CHECK(strlen(p.lines.items[i].text) <= 12);
                CHECK(strncmp(p.lines.items[i].text, "   ", 3) == 0);
        }
        prompt_lines_clear(&p);
        REQUIRE(prompt_say(&p, LINE_ERROR, 10,
                           "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 "
                           "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9") == 0);
        CHECK_INTEQ(p.lines.n, 2);
        CHECK(p.lines.items[0].style == LINE_ERROR);
        REQUIRE(prompt_say(&p, LINE_NORMAL, 10, "") == 0);
        prompt_done(&p);
}
