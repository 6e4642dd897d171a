/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The restricted menu's login (src/menu/login.c): user name, masked password, the waits after
 * failures (1 s doubling, capped; keys ignored meanwhile; kept over Esc), the answers wiped. */
#include "test.h"

#include "menu/login.h"

static enum login_result type(struct login *l, const char *s)
{
        enum login_result r = LOGIN_NONE;

        for (; *s; s++) {
                struct key_event ev = {.sym = KEYSYM_CHAR, .ch = (unsigned char) *s};

                if (*s == '\n')
                        ev = (struct key_event){.sym = KEYSYM_ENTER};
                r = login_key(l, &ev);
        }
        return r;
}

TEST(delays_double_and_stop)
{
        CHECK_INTEQ(login_delay_ms(1), 1000);
        CHECK_INTEQ(login_delay_ms(2), 2000);
        CHECK_INTEQ(login_delay_ms(3), 4000);
        CHECK_INTEQ(login_delay_ms(6), 32000);
        CHECK_INTEQ(login_delay_ms(7), 32000);
        CHECK_INTEQ(login_delay_ms(4000000000u), LOGIN_DELAY_MAX_MS);
}

TEST(user_then_masked_password)
{
        struct login l = {0};
        char *user = NULL, *pw = NULL;

        REQUIRE(login_open(&l, "Protected", "why", 1000) == 0);
        CHECK(l.step == LOGIN_USER);
        CHECK_STREQ(l.prompt.label, "Username: ");
        CHECK(!l.prompt.masked);
        CHECK(type(&l, "\n") == LOGIN_NONE); /* an empty name asks again */
        CHECK(l.step == LOGIN_USER);
        CHECK(type(&l, "root\n") == LOGIN_CHANGED);
        CHECK(l.step == LOGIN_PASSWORD);
        CHECK_STREQ(l.prompt.label, "Password: ");
        CHECK(l.prompt.masked && l.prompt.edit.masked);
        CHECK(login_take(&l, &user, &pw) == 0); /* nothing typed yet: an empty password */
        prompt_free_answer(user);
        prompt_free_answer(pw);
        user = pw = NULL;
        login_close(&l);
        REQUIRE(login_open(&l, "Protected", NULL, 1000) == 0);
        CHECK(type(&l, "root\n") == LOGIN_CHANGED);
        CHECK(type(&l, "s3cret\n") == LOGIN_SUBMIT);
        CHECK(login_take(&l, &user, &pw) == 0);
        CHECK_STREQ(user, "root");
        CHECK_STREQ(pw, "s3cret");
        CHECK(l.prompt.edit.len == 0); /* the line is wiped */
        prompt_free_answer(user);
        prompt_free_answer(pw);
        login_close(&l);
}

TEST(failures_wait_and_ignore_keys)
{
        struct login l = {0};
        struct key_event esc = {.sym = KEYSYM_ESCAPE};
        char *user = NULL, *pw = NULL;

        REQUIRE(login_open(&l, "Protected", NULL, 0) == 0);
        type(&l, "root\nbad\n");
        REQUIRE(login_take(&l, &user, &pw) == 0);
        prompt_free_answer(user);
        prompt_free_answer(pw);
        CHECK_INTEQ(login_failed(&l, "Wrong user name or password.", 10000), 1000);
        CHECK(l.step == LOGIN_WAIT);
        CHECK(l.prompt.lines.n > 0 &&
              strstr(l.prompt.lines.items[l.prompt.lines.n - 1].text, "Wrong"));
        CHECK(type(&l, "x") == LOGIN_NONE);
        CHECK(login_key(&l, &esc) == LOGIN_NONE); /* even Esc waits */
        CHECK(!login_tick(&l, 10500));
        CHECK(l.step == LOGIN_WAIT);
        CHECK(login_tick(&l, 11000));
        CHECK(l.step == LOGIN_USER);
        CHECK(l.prompt.edit.len == 0); /* the ignored 'x' was not typed */
        CHECK(login_key(&l, &esc) == LOGIN_CANCEL);
        login_close(&l);

        /* a second failure in a row, after Esc and a new login: 2 s */
        REQUIRE(login_open(&l, "Protected", NULL, 20000) == 0);
        CHECK(l.step == LOGIN_USER);
        type(&l, "root\nbad\n");
        REQUIRE(login_take(&l, &user, &pw) == 0);
        prompt_free_answer(user);
        prompt_free_answer(pw);
        CHECK_INTEQ(login_failed(&l, "Wrong.", 20000), 2000);
        login_close(&l);
        /* opened again during the wait: it waits */
        REQUIRE(login_open(&l, "Protected", NULL, 21000) == 0);
        CHECK(l.step == LOGIN_WAIT);
        CHECK(login_tick(&l, 22000));
        CHECK(l.step == LOGIN_USER);
        /* a success forgets the failures */
        login_succeeded(&l);
        CHECK_INTEQ(l.failures, 0);
        type(&l, "root\nbad\n");
        REQUIRE(login_take(&l, &user, &pw) == 0);
        prompt_free_answer(user);
        prompt_free_answer(pw);
        CHECK_INTEQ(login_failed(&l, "Wrong.", 30000), 1000);
        login_close(&l);
}
