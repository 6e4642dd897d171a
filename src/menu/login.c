/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The login of the restricted menu (see login.h). Pure. */
#include "login.h"

#include <limits.h>

#include "../core/util.h"

#define LABEL_USER     "Username: "
#define LABEL_PASSWORD "Password: "

unsigned login_delay_ms(unsigned failures)
{
        unsigned d = LOGIN_DELAY_FIRST_MS;

        for (unsigned i = 1; i < failures && d < LOGIN_DELAY_MAX_MS; i++)
                d *= 2;
        return MIN(d, LOGIN_DELAY_MAX_MS);
}

static void forget_user(struct login *l)
{
        prompt_free_answer(l->user);
        l->user = NULL;
}

static int ask_user(struct login *l)
{
        forget_user(l);
        l->step = LOGIN_USER;
        return prompt_ask(&l->prompt, LABEL_USER, false);
}

static int wait_label(struct login *l, unsigned long long now)
{
        unsigned s = (unsigned) ((l->wait_until - now + 999) / 1000);
        _cleanup_free_ char *label = util_asprintf("Wait %u s... ", s ? s : 1);

        l->step = LOGIN_WAIT;
        return prompt_ask(&l->prompt, label ? label : "Wait... ", true);
}

int login_open(struct login *l, const char *heading, const char *text, unsigned long long now)
{
        unsigned failures = l->failures;
        unsigned long long wait = l->wait_until;
        int r;

        login_close(l);
        prompt_init(&l->prompt);
        l->failures = failures;
        l->wait_until = wait;
        r = prompt_say(&l->prompt, LINE_HEADER, LOGIN_WIDTH, heading);
        if (r >= 0 && text)
                r = prompt_say(&l->prompt, LINE_NORMAL, LOGIN_WIDTH, text);
        if (r >= 0)
                r = prompt_say(&l->prompt, LINE_NORMAL, LOGIN_WIDTH,
                               "Type the user name and the password (Esc: back to the menu).");
        if (r < 0)
                return r;
        return l->wait_until > now ? wait_label(l, now) : ask_user(l);
}

void login_close(struct login *l)
{
        forget_user(l);
        prompt_done(&l->prompt);
        l->step = LOGIN_CLOSED;
}

enum login_result login_key(struct login *l, const struct key_event *ev)
{
        enum prompt_result r;

        if (l->step == LOGIN_WAIT || l->step == LOGIN_CLOSED)
                return LOGIN_NONE;
        /* a name has no history to walk through either */
        if (ev->sym == KEYSYM_UP || ev->sym == KEYSYM_DOWN)
                return LOGIN_NONE;
        r = prompt_key(&l->prompt, ev);
        switch (r) {
        case PROMPT_NONE:
                return LOGIN_NONE;
        case PROMPT_CHANGED:
                return LOGIN_CHANGED;
        case PROMPT_CANCEL:
                return LOGIN_CANCEL;
        case PROMPT_SUBMIT:
                break;
        }
        if (l->step == LOGIN_PASSWORD)
                return LOGIN_SUBMIT;
        /* the user name: an empty one asks again */
        l->user = prompt_take(&l->prompt);
        if (!l->user || !*l->user) {
                forget_user(l);
                return LOGIN_NONE;
        }
        l->step = LOGIN_PASSWORD;
        (void) prompt_ask(&l->prompt, LABEL_PASSWORD, true);
        return LOGIN_CHANGED;
}

int login_take(struct login *l, char **ret_user, char **ret_password)
{
        char *pw;

        if (l->step != LOGIN_PASSWORD || !l->user)
                return -EINVAL;
        pw = prompt_take(&l->prompt);
        if (!pw)
                return -ENOMEM;
        *ret_user = l->user;
        l->user = NULL;
        *ret_password = pw;
        return 0;
}

unsigned login_failed(struct login *l, const char *message, unsigned long long now)
{
        unsigned d;

        if (l->failures < UINT_MAX)
                l->failures++;
        d = login_delay_ms(l->failures);
        l->wait_until = now + d;
        forget_user(l);
        (void) prompt_say(&l->prompt, LINE_ERROR, LOGIN_WIDTH, message);
        (void) wait_label(l, now);
        return d;
}

void login_succeeded(struct login *l)
{
        l->failures = 0;
        l->wait_until = 0;
}

bool login_tick(struct login *l, unsigned long long now)
{
        if (l->step != LOGIN_WAIT)
                return false;
        if (now < l->wait_until) {
                /* the seconds left, when they changed */
                _cleanup_free_ char *old = l->prompt.label ? strdup(l->prompt.label) : NULL;

                (void) wait_label(l, now);
                return !old || !streq_ptr(old, l->prompt.label);
        }
        (void) ask_user(l);
        return true;
}
