/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The login of the restricted menu (GRUB's "Enter username:", "Enter password:"): a user name,
 * then a masked password, on the shell screen's layout (prompt.h). After a wrong answer the
 * screen says so and waits, 1 s after the first failure, doubling up to LOGIN_DELAY_MAX_MS; keys
 * are ignored meanwhile (the application's event loop runs on: login_tick() ends the wait). The
 * failures in a row are kept from one login to the next, so that Esc does not reset the delay.
 * Pure; the application checks the answer (auth.h). The name and the password are wiped when
 * taken or closed. */
#pragma once

#include "prompt.h"

#define LOGIN_DELAY_FIRST_MS 1000u
#define LOGIN_DELAY_MAX_MS   32000u
#define LOGIN_WIDTH          78 /* columns the lines are wrapped to */

enum login_step {
        LOGIN_USER,
        LOGIN_PASSWORD,
        LOGIN_WAIT, /* after a failure, until wait_until */
        LOGIN_CLOSED,
};

struct login {
        struct prompt prompt;
        enum login_step step;
        char *user;                    /* the name typed (LOGIN_PASSWORD), wiped when freed */
        unsigned failures;             /* in a row, over every login */
        unsigned long long wait_until; /* ms (util_now_ms) */
};

enum login_result {
        LOGIN_NONE,    /* key ignored (every key while waiting) */
        LOGIN_CHANGED, /* redraw */
        LOGIN_SUBMIT,  /* a user name and a password: login_take() */
        LOGIN_CANCEL,  /* Esc */
};

/* The wait after the failures-th failure in a row (1 s, 2 s, 4 s … LOGIN_DELAY_MAX_MS). */
unsigned login_delay_ms(unsigned failures);

/* Opens the login: a heading (what is protected and why), then "Username: ". When a wait of an
 * earlier failure is not over, the login starts waiting. 0 or -ENOMEM. */
int login_open(struct login *l, const char *heading, const char *text, unsigned long long now);
/* Closes it, wiping what was typed; failures and the wait stay. */
void login_close(struct login *l);
enum login_result login_key(struct login *l, const struct key_event *ev);
/* The answers (malloc'ed; free them with prompt_free_answer()). 0 or -ENOMEM. */
int login_take(struct login *l, char **ret_user, char **ret_password);
/* The check failed: message is shown, with the wait. Returns the wait in ms. */
unsigned login_failed(struct login *l, const char *message, unsigned long long now);
/* The check passed: the failures are forgotten. */
void login_succeeded(struct login *l);
/* Ends a wait that is over: the login asks for the user name again. true when it changed. */
bool login_tick(struct login *l, unsigned long long now);
