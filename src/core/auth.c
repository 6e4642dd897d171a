/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GRUB's users, passwords and gates (auth.h). */
#include "auth.h"

#include <limits.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#define PBKDF2_PREFIX "grub.pbkdf2.sha512."
#define SHA512_LEN    64
#define MAX_COST_TEXT "1000000"

_Static_assert(AUTH_PBKDF2_MAX_COST == 1000000UL, "MAX_COST_TEXT says it");

static int hexval(char ch)
{
        if (ch >= '0' && ch <= '9')
                return ch - '0';
        if (ch >= 'a' && ch <= 'f')
                return ch - 'a' + 10;
        if (ch >= 'A' && ch <= 'F')
                return ch - 'A' + 10;
        return -1;
}

/* n hex digits at s (n even, 2..2*max) into a new buffer. */
static int unhex(const char *s, size_t n, size_t max, uint8_t **ret, size_t *ret_len,
                 const char **why, const char *what_bad, const char *what_long)
{
        uint8_t *b;

        if (n == 0 || n % 2) {
                *why = what_bad;
                return -EINVAL;
        }
        if (n / 2 > max) {
                *why = what_long;
                return -E2BIG;
        }
        b = malloc(n / 2);
        if (!b)
                return -ENOMEM;
        for (size_t i = 0; i < n; i += 2) {
                int h = hexval(s[i]), l = hexval(s[i + 1]);

                if (h < 0 || l < 0) {
                        free(b);
                        *why = what_bad;
                        return -EINVAL;
                }
                b[i / 2] = (uint8_t) (h << 4 | l);
        }
        *ret = b;
        *ret_len = n / 2;
        return 0;
}

void auth_pbkdf2_done(struct auth_pbkdf2 *h)
{
        free(h->salt);
        free(h->hash);
        *h = (struct auth_pbkdf2){0};
}

int auth_pbkdf2_parse(const char *s, struct auth_pbkdf2 *ret, const char **ret_why)
{
        struct auth_pbkdf2 h = {0};
        const char *p, *dot, *why = NULL;
        unsigned long long iter = 0;
        size_t blocks;
        int r;

        if (!ret_why)
                ret_why = &why;
        p = startswith(s, PBKDF2_PREFIX);
        if (!p) {
                *ret_why = "not a grub.pbkdf2.sha512 hash";
                return -EINVAL;
        }
        for (; *p >= '0' && *p <= '9'; p++) {
                iter = iter * 10 + (unsigned) (*p - '0');
                if (iter > AUTH_PBKDF2_MAX_COST) {
                        *ret_why = "its iteration count is above " MAX_COST_TEXT
                                   ", too slow to check here";
                        return -E2BIG;
                }
        }
        if (*p != '.' || iter == 0) {
                *ret_why = "its iteration count is not a number from 1 up";
                return -EINVAL;
        }
        p++;
        dot = strchr(p, '.');
        if (!dot) {
                *ret_why = "it has no hash after the salt";
                return -EINVAL;
        }
        r = unhex(p, (size_t) (dot - p), AUTH_SALT_MAX, &h.salt, &h.salt_len, ret_why,
                  "its salt is not hexadecimal bytes", "its salt is too long");
        if (r < 0)
                return r;
        p = dot + 1;
        r = unhex(p, strlen(p), AUTH_HASH_MAX, &h.hash, &h.hash_len, ret_why,
                  "its hash is not hexadecimal bytes", "its hash is too long");
        if (r < 0) {
                auth_pbkdf2_done(&h);
                return r;
        }
        blocks = (h.hash_len + SHA512_LEN - 1) / SHA512_LEN;
        if (iter * blocks > AUTH_PBKDF2_MAX_COST) {
                auth_pbkdf2_done(&h);
                *ret_why = "its iteration count times its length is above " MAX_COST_TEXT
                           ", too slow to check here";
                return -E2BIG;
        }
        h.iter = (unsigned long) iter;
        *ret = h;
        return 0;
}

static int pbkdf2(const char *password, size_t len, unsigned long iter, const uint8_t *salt,
                  size_t salt_len, uint8_t *out, size_t out_len)
{
        if (len > INT_MAX || salt_len > INT_MAX || out_len > INT_MAX || iter > INT_MAX)
                return -EINVAL;
        if (PKCS5_PBKDF2_HMAC(password, (int) len, salt, (int) salt_len, (int) iter, EVP_sha512(),
                              (int) out_len, out) != 1)
                return -EIO;
        return 0;
}

bool auth_pbkdf2_verify(const struct auth_pbkdf2 *h, const char *password, size_t len)
{
        uint8_t out[AUTH_HASH_MAX];
        bool ok;

        if (h->hash_len == 0 || h->hash_len > sizeof(out) || h->iter == 0 ||
            pbkdf2(password, len, h->iter, h->salt, h->salt_len, out, h->hash_len) < 0)
                return false;
        ok = CRYPTO_memcmp(out, h->hash, h->hash_len) == 0;
        explicit_bzero(out, sizeof(out));
        return ok;
}

int auth_pbkdf2_make(const char *password, size_t len, unsigned long iter, const uint8_t *salt,
                     size_t salt_len, size_t hash_len, char **ret)
{
        static const char digits[] = "0123456789ABCDEF";
        uint8_t out[AUTH_HASH_MAX];
        char *s, *o;
        int r;

        if (iter == 0 || salt_len == 0 || salt_len > AUTH_SALT_MAX || hash_len == 0 ||
            hash_len > AUTH_HASH_MAX)
                return -EINVAL;
        r = pbkdf2(password, len, iter, salt, salt_len, out, hash_len);
        if (r < 0)
                return r;
        s = malloc(strlen(PBKDF2_PREFIX) + 24 + 2 * salt_len + 2 * hash_len);
        if (!s) {
                explicit_bzero(out, sizeof(out));
                return -ENOMEM;
        }
        o = s + sprintf(s, PBKDF2_PREFIX "%lu.", iter);
        for (size_t i = 0; i < salt_len; i++) {
                *o++ = digits[salt[i] >> 4];
                *o++ = digits[salt[i] & 15];
        }
        *o++ = '.';
        for (size_t i = 0; i < hash_len; i++) {
                *o++ = digits[out[i] >> 4];
                *o++ = digits[out[i] & 15];
        }
        *o = 0;
        explicit_bzero(out, sizeof(out));
        *ret = s;
        return 0;
}

/* ---- sets ---- */

static void user_done(struct auth_user *u)
{
        free(u->name);
        if (u->plain) {
                explicit_bzero(u->plain, strlen(u->plain));
                free(u->plain);
        }
        auth_pbkdf2_done(&u->pbkdf2);
        free(u->why);
        *u = (struct auth_user){0};
}

struct auth_set *auth_set_new(const char *origin)
{
        struct auth_set *s = calloc(1, sizeof(*s));

        if (!s)
                return NULL;
        s->refs = 1;
        if (origin && !(s->origin = strdup(origin))) {
                free(s);
                return NULL;
        }
        return s;
}

struct auth_set *auth_set_ref(struct auth_set *s)
{
        if (s)
                s->refs++;
        return s;
}

struct auth_set *auth_set_unref(struct auth_set *s)
{
        if (!s || --s->refs > 0)
                return NULL;
        for (size_t i = 0; i < s->n_users; i++)
                user_done(&s->users[i]);
        free(s->users);
        free(s->superusers);
        free(s->origin);
        free(s);
        return NULL;
}

int auth_set_superusers(struct auth_set *s, const char *list)
{
        s->restricted = list != NULL;
        return util_strdup_to(&s->superusers, list);
}

const struct auth_user *auth_set_user(const struct auth_set *s, const char *name)
{
        for (size_t i = 0; s && i < s->n_users; i++)
                if (streq(s->users[i].name, name))
                        return &s->users[i];
        return NULL;
}

/* The slot for user, emptied (a new one at the end, or the user's earlier one). */
static int user_slot(struct auth_set *s, const char *user, struct auth_user **ret)
{
        struct auth_user *u = (struct auth_user *) auth_set_user(s, user);
        char *name;

        if (strlen(user) > AUTH_NAME_MAX || !*user)
                return -E2BIG;
        if (!u && s->n_users >= AUTH_USERS_MAX)
                return -E2BIG;
        name = strdup(user);
        if (!name)
                return -ENOMEM;
        if (!u) {
                if (UTIL_GROW(s->users, s->cap_users, s->n_users + 1) < 0) {
                        free(name);
                        return -ENOMEM;
                }
                u = &s->users[s->n_users++];
                *u = (struct auth_user){0};
        }
        user_done(u);
        u->name = name;
        *ret = u;
        return 0;
}

int auth_set_password(struct auth_set *s, const char *user, const char *plain)
{
        struct auth_user *u;
        int r = user_slot(s, user, &u);

        if (r < 0)
                return r;
        u->kind = AUTH_KIND_PLAIN;
        u->plain = strdup(plain);
        return u->plain ? 0 : -ENOMEM;
}

int auth_set_locked(struct auth_set *s, const char *user, const char *why)
{
        struct auth_user *u;
        int r = user_slot(s, user, &u);

        if (r < 0)
                return r;
        u->kind = AUTH_KIND_LOCKED;
        u->why = strdup(why);
        return u->why ? 1 : -ENOMEM;
}

int auth_set_pbkdf2(struct auth_set *s, const char *user, const char *hash, const char **ret_why)
{
        struct auth_pbkdf2 h;
        const char *why = NULL;
        int r = auth_pbkdf2_parse(hash, &h, &why);
        struct auth_user *u;

        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                _cleanup_free_ char *m = util_asprintf(
                        "the password hash of user %.64s cannot be checked here: %s", user, why);

                if (ret_why)
                        *ret_why = why;
                return m ? auth_set_locked(s, user, m) : -ENOMEM;
        }
        r = user_slot(s, user, &u);
        if (r < 0) {
                auth_pbkdf2_done(&h);
                return r;
        }
        u->kind = AUTH_KIND_PBKDF2;
        u->pbkdf2 = h;
        return 0;
}

/* ---- gates ---- */

static bool is_sep(char ch)
{
        return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f' ||
               ch == ',' || ch == ';' || ch == '|' || ch == '&';
}

bool auth_word(const char *list, const char *name)
{
        size_t n = strlen(name);

        if (!list || n == 0)
                return false;
        for (const char *p = list; *p;) {
                size_t k;

                while (*p && is_sep(*p))
                        p++;
                for (k = 0; p[k] && !is_sep(p[k]); k++)
                        ;
                if (k == n && memcmp(p, name, n) == 0)
                        return true;
                p += k;
        }
        return false;
}

bool auth_open(const struct auth_set *s, bool unrestricted)
{
        return !s || !s->restricted || unrestricted;
}

bool auth_allowed(const struct auth_set *s, const char *user, const char *users)
{
        if (!s || !s->restricted)
                return true;
        return auth_word(s->superusers, user) || (users && auth_word(users, user));
}

/* Compares in time that depends on the password's length only (GRUB's grub_auth_strcmp). */
static bool plain_equal(const char *typed, const char *plain)
{
        size_t a = strlen(typed), b = strlen(plain);
        unsigned char diff = a != b;

        for (size_t i = 0; i < a; i++)
                diff |= (unsigned char) typed[i] ^ (unsigned char) (i < b ? plain[i] : 0);
        return diff == 0;
}

enum auth_result auth_login(const struct auth_set *s, const char *user, const char *password,
                            const char *users, const char **ret_why)
{
        const struct auth_user *u = auth_set_user(s, user);
        bool ok = false;

        if (!u)
                return AUTH_DENIED;
        switch (u->kind) {
        case AUTH_KIND_LOCKED:
                if (ret_why)
                        *ret_why = u->why;
                return AUTH_LOCKED;
        case AUTH_KIND_PLAIN:
                ok = plain_equal(password, u->plain);
                break;
        case AUTH_KIND_PBKDF2:
                ok = auth_pbkdf2_verify(&u->pbkdf2, password, strlen(password));
                break;
        }
        return ok && auth_allowed(s, user, users) ? AUTH_OK : AUTH_DENIED;
}

int auth_gate_combine(bool *unrestricted, char **users, bool level_unrestricted,
                      const char *level_users)
{
        _cleanup_free_ char *both = NULL;
        size_t n = 0;

        if (level_unrestricted)
                return 0; /* the other gate alone */
        if (*unrestricted) {
                *unrestricted = false;
                return util_strdup_to(users, level_users);
        }
        if (!*users || !level_users) {
                free(*users);
                *users = NULL; /* superusers only */
                return 0;
        }
        both = malloc(strlen(*users) + 1);
        if (!both)
                return -ENOMEM;
        for (const char *p = *users; *p;) {
                size_t k;

                while (*p && is_sep(*p))
                        p++;
                for (k = 0; p[k] && !is_sep(p[k]); k++)
                        ;
                if (k > 0) {
                        char w[AUTH_NAME_MAX + 1];

                        if (k <= AUTH_NAME_MAX) {
                                memcpy(w, p, k);
                                w[k] = 0;
                                if (auth_word(level_users, w)) {
                                        if (n)
                                                both[n++] = ' ';
                                        memcpy(both + n, w, k);
                                        n += k;
                                }
                        }
                }
                p += k;
        }
        both[n] = 0;
        free(*users);
        *users = NULL;
        if (n) {
                *users = both;
                both = NULL;
        }
        return 0;
}

char *auth_gate_locked(const struct auth_set *s, const char *users)
{
        const char *why = NULL;

        if (!s || !s->restricted)
                return NULL;
        for (size_t i = 0; i < s->n_users; i++) {
                const struct auth_user *u = &s->users[i];

                if (!auth_allowed(s, u->name, users))
                        continue;
                if (u->kind != AUTH_KIND_LOCKED)
                        return NULL;
                if (!why)
                        why = u->why;
        }
        if (why)
                return util_asprintf("Locked: %s", why);
        return strdup("Locked: no user allowed to boot it has a password");
}

enum auth_result auth_login_gates(const struct auth_gate *g, size_t n, bool all, const char *user,
                                  const char *password, const char **ret_why)
{
        bool locked = false, ok = all;

        if (n == 0)
                return AUTH_OK;
        for (size_t i = 0; i < n; i++) {
                const char *why = NULL;
                enum auth_result r = auth_login(g[i].set, user, password, g[i].users, &why);

                if (r == AUTH_LOCKED && !locked) {
                        locked = true;
                        if (ret_why)
                                *ret_why = why;
                }
                if (all && r != AUTH_OK) {
                        ok = false;
                        break; /* no need to spend more PBKDF2 */
                }
                if (!all && r == AUTH_OK)
                        ok = true;
        }
        if (ok)
                return AUTH_OK;
        return locked ? AUTH_LOCKED : AUTH_DENIED;
}

char *auth_gates_locked(const struct auth_gate *g, size_t n, bool all)
{
        char *first = NULL;
        size_t locked = 0;

        for (size_t i = 0; i < n; i++) {
                char *m = auth_gate_locked(g[i].set, g[i].users);

                if (!m)
                        continue;
                locked++;
                if (!first)
                        first = m;
                else
                        free(m);
        }
        if (n > 0 && (all ? locked > 0 : locked == n))
                return first;
        free(first);
        return NULL;
}
