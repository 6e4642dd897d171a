/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for passwords and the restricted menu (issue 13): GRUB's PBKDF2 hashes
 * (core/auth.c) as a scanned disk's grub.cfg or the stick's kexec-loader.conf gives them, the
 * users and superusers of GRUB's password commands, the gates of nested submenus and who may
 * boot, edit or open the shell (menu/access.c). Input: the first line is a hash; the next lines
 * are commands on two configurations ("set 0|1", "superusers [LIST]", "password U PW",
 * "password_pbkdf2 U HASH", "locked U WHY", "gate 0|1 [USERS]", "entry", "login U PW").
 * Invariants: a parsed hash is within its bounds and its cost; formatted back (upper- and
 * lower-case hex) it parses to the same; a cheap one made by auth_pbkdf2_make() verifies its
 * password and not another; users stay within their bounds; a combined gate's users are users
 * of every level; a login passes only a user allowed, and a plain password always opens what its
 * user is allowed; access_gates() is open exactly when auth_open() says. PBKDF2 runs only where
 * its cost is tiny (iterations x blocks <= CHEAP), so the fuzzer stays fast. Built and run by
 * tests/fuzz/run (-DFUZZ_TARGET=…). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/auth.h"
#include "core/util.h"
#include "menu/access.h"

#define CHEAP       16 /* PBKDF2 iterations x 64-byte blocks the fuzzer spends on one check */
#define MAX_ENTRIES 16
#define SEPS        " \t\n\r\v\f,;|&" /* auth_word()'s */

/* abort() naming the invariant that failed */
#define check(ok) \
        ((ok) ? (void) 0 : (fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #ok), abort()))

static unsigned long cost(const struct auth_pbkdf2 *h)
{
        return h->iter * ((h->hash_len + 63) / 64);
}

static bool same(const struct auth_pbkdf2 *a, const struct auth_pbkdf2 *b)
{
        return a->iter == b->iter && a->salt_len == b->salt_len && a->hash_len == b->hash_len &&
               memcmp(a->salt, b->salt, a->salt_len) == 0 &&
               memcmp(a->hash, b->hash, a->hash_len) == 0;
}

static char *format(const struct auth_pbkdf2 *h, const char *digits)
{
        char *s = malloc(64 + 2 * h->salt_len + 2 * h->hash_len), *o;

        if (!s)
                return NULL;
        o = s + sprintf(s, "grub.pbkdf2.sha512.%lu.", h->iter);
        for (size_t i = 0; i < h->salt_len; i++) {
                *o++ = digits[h->salt[i] >> 4];
                *o++ = digits[h->salt[i] & 15];
        }
        *o++ = '.';
        for (size_t i = 0; i < h->hash_len; i++) {
                *o++ = digits[h->hash[i] >> 4];
                *o++ = digits[h->hash[i] & 15];
        }
        *o = 0;
        return s;
}

static void hash_line(const char *s)
{
        struct auth_pbkdf2 h = {0}, back = {0};
        const char *why = NULL;
        const char *const cases[] = {"0123456789ABCDEF", "0123456789abcdef"};
        int r = auth_pbkdf2_parse(s, &h, &why);

        if (r < 0) {
                check((r == -EINVAL || r == -E2BIG) && why);
                return;
        }
        check(h.iter >= 1 && h.salt_len >= 1 && h.salt_len <= AUTH_SALT_MAX && h.hash_len >= 1 &&
              h.hash_len <= AUTH_HASH_MAX && cost(&h) <= AUTH_PBKDF2_MAX_COST);
        for (size_t i = 0; i < 2; i++) {
                char *f = format(&h, cases[i]);

                check(f && auth_pbkdf2_parse(f, &back, NULL) == 0 && same(&h, &back));
                auth_pbkdf2_done(&back);
                free(f);
        }
        if (cost(&h) <= CHEAP) {
                /* grub-mkpasswd-pbkdf2's output for this salt, read back */
                char *made = NULL;

                check(auth_pbkdf2_make("pw", 2, h.iter, h.salt, h.salt_len, h.hash_len, &made) ==
                      0);
                check(auth_pbkdf2_parse(made, &back, NULL) == 0 && back.iter == h.iter &&
                      back.salt_len == h.salt_len && back.hash_len == h.hash_len);
                /* A hash of a few bytes can match another password by chance (one byte: 1 in
                 * 256; the campaign of 2026-12-07 found "pw" and "pW" equal in one), so a wrong
                 * password is checked only where that chance is negligible. */
                check(auth_pbkdf2_verify(&back, "pw", 2) &&
                      (h.hash_len < 8 || !auth_pbkdf2_verify(&back, "pW", 2)));
                auth_pbkdf2_done(&back);
                free(made);
        }
        auth_pbkdf2_done(&h);
}

/* Whether a login of user against s spends at most CHEAP on PBKDF2. */
static bool cheap(const struct auth_set *s, const char *user)
{
        const struct auth_user *u = auth_set_user(s, user);

        return !u || u->kind != AUTH_KIND_PBKDF2 || cost(&u->pbkdf2) <= CHEAP;
}

/* Every word of a is a word of b (a combined gate's users against one level's). */
static bool words_in(const char *a, const char *b)
{
        char *copy = strdup(a), *save = NULL;
        bool ok = true;

        check(copy != NULL);
        for (char *w = strtok_r(copy, SEPS, &save); w; w = strtok_r(NULL, SEPS, &save))
                ok = ok && auth_word(b, w);
        free(copy);
        return ok;
}

struct state {
        struct auth_set *sets[2];
        size_t cur;
        bool gate_open; /* the running gate: every level so far unrestricted */
        char *gate_users;
        char *levels[8]; /* the users of each restricted level (NULL: superusers only) */
        size_t n_levels;
        bool level_null;
        struct boot_entry entries[MAX_ENTRIES];
        size_t n_entries;
};

static void gate_reset(struct state *st)
{
        free(st->gate_users);
        st->gate_users = NULL;
        st->gate_open = true;
        for (size_t i = 0; i < st->n_levels; i++)
                free(st->levels[i]);
        st->n_levels = 0;
        st->level_null = false;
}

static void gate(struct state *st, bool unrestricted, const char *users)
{
        if (st->n_levels >= 8)
                return;
        check(auth_gate_combine(&st->gate_open, &st->gate_users, unrestricted, users) == 0);
        if (!unrestricted) {
                if (!users)
                        st->level_null = true;
                else
                        check((st->levels[st->n_levels++] = strdup(users)) != NULL);
        }
        check(!st->gate_open || (st->n_levels == 0 && !st->level_null));
        if (st->gate_users) {
                check(!st->level_null);
                for (size_t i = 0; i < st->n_levels; i++)
                        check(words_in(st->gate_users, st->levels[i]));
        }
}

static void login(struct state *st, const char *user, const char *password)
{
        for (size_t i = 0; i < 2; i++) {
                const struct auth_set *s = st->sets[i];
                const struct auth_user *u = auth_set_user(s, user);
                const char *why = NULL;

                if (!cheap(s, user))
                        return;
                for (size_t k = 0; k < st->n_entries + 1; k++) {
                        const char *users = k < st->n_entries ? st->entries[k].users : NULL;
                        enum auth_result r = auth_login(s, user, password, users, &why);

                        check(r != AUTH_OK || (u && auth_allowed(s, user, users)));
                        check(r != AUTH_LOCKED || (u && u->kind == AUTH_KIND_LOCKED && why));
                        if (u && u->kind == AUTH_KIND_PLAIN && auth_allowed(s, user, users))
                                check(auth_login(s, user, u->plain, users, NULL) == AUTH_OK);
                }
        }
        for (size_t k = 0; k < st->n_entries; k++)
                for (enum access_what w = ACCESS_BOOT; w <= ACCESS_SHELL; w++) {
                        struct access_gates g = {0};
                        const struct boot_entry *e = &st->entries[k];
                        const char *why = NULL;
                        char *locked;
                        enum auth_result r;

                        check(access_gates(w, st->entries, st->n_entries, k, st->sets[1], &g) == 0);
                        if (w == ACCESS_BOOT)
                                check((g.n == 0) == auth_open(e->auth, e->unrestricted));
                        r = auth_login_gates(g.g, g.n, g.all, user, password, &why);
                        check(g.n > 0 || r == AUTH_OK);
                        check(r != AUTH_LOCKED || why);
                        locked = auth_gates_locked(g.g, g.n, g.all);
                        check(!locked || r != AUTH_OK);
                        free(locked);
                        access_gates_done(&g);
                }
}

static void command(struct state *st, char *line)
{
        struct auth_set *s = st->sets[st->cur];
        char *rest = strchr(line, ' '), *arg2;
        const char *why = NULL;
        int r;

        if (rest)
                *rest++ = 0;
        arg2 = rest ? strchr(rest, ' ') : NULL;
        if (arg2)
                *arg2++ = 0;
        if (streq(line, "set") && rest) {
                st->cur = rest[0] == '1';
        } else if (streq(line, "superusers")) {
                if (arg2)
                        arg2[-1] = ' ';
                check(auth_set_superusers(s, rest) == 0);
                check(s->restricted == (rest != NULL));
        } else if (streq(line, "password") && arg2) {
                r = auth_set_password(s, rest, arg2);
                check(r == 0 || r == -E2BIG);
                check(r < 0 || auth_set_user(s, rest)->kind == AUTH_KIND_PLAIN);
        } else if (streq(line, "password_pbkdf2") && arg2) {
                r = auth_set_pbkdf2(s, rest, arg2, &why);
                check(r == 0 || r == 1 || r == -E2BIG);
                check(r != 1 || why);
                check(r < 0 || auth_set_user(s, rest)->kind ==
                                       (r == 0 ? AUTH_KIND_PBKDF2 : AUTH_KIND_LOCKED));
        } else if (streq(line, "locked") && arg2) {
                r = auth_set_locked(s, rest, arg2);
                check(r == 1 || r == -E2BIG);
        } else if (streq(line, "gate") && rest) {
                gate(st, rest[0] == '1', arg2);
        } else if (streq(line, "entry") && st->n_entries < MAX_ENTRIES) {
                struct boot_entry *e = &st->entries[st->n_entries++];

                e->auth = s;
                e->unrestricted = st->gate_open;
                e->users = st->gate_users;
                st->gate_users = NULL;
                gate_reset(st);
        } else if (streq(line, "login") && arg2) {
                login(st, rest, arg2);
        }
        check(s->n_users <= AUTH_USERS_MAX);
        for (size_t i = 0; i < s->n_users; i++)
                check(*s->users[i].name && strlen(s->users[i].name) <= AUTH_NAME_MAX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
        struct state st = {.gate_open = true};
        char *text = malloc(len + 1), *save = NULL, *line;

        if (!text)
                return 0;
        memcpy(text, data, len);
        text[len] = 0;
        line = strtok_r(text, "\n", &save);
        if (line)
                hash_line(line);
        st.sets[0] = auth_set_new("grub.cfg");
        st.sets[1] = auth_set_new("kexec-loader.conf");
        check(st.sets[0] && st.sets[1]);
        while ((line = strtok_r(NULL, "\n", &save)))
                command(&st, line);
        gate_reset(&st);
        for (size_t i = 0; i < st.n_entries; i++)
                free(st.entries[i].users);
        auth_set_unref(st.sets[0]);
        auth_set_unref(st.sets[1]);
        free(text);
        return 0;
}
