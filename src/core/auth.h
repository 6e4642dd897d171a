/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Passwords and the restricted menu, as GRUB has them (grub-core/normal/auth.c, menu.c,
 * commands/password*.c): a configuration's users and passwords (`password_pbkdf2 USER HASH`,
 * `password USER PLAINTEXT`) and its `superusers`; entries `--unrestricted` or `--users LIST`.
 *
 * Pure: hashes are checked with PBKDF2-HMAC-SHA512 from libcrypto (PKCS5_PBKDF2_HMAC) and a
 * constant-time compare (CRYPTO_memcmp). Every size of a hash is bounded, and so is the work one
 * check costs: a hash above AUTH_PBKDF2_MAX_COST locks its user (with a reason) instead of
 * freezing the menu. */
#pragma once

#include <stdint.h>

#include "util.h"

/* The most PBKDF2 work one check may cost: iterations times 64-byte output blocks. GRUB's
 * grub-mkpasswd-pbkdf2 makes 10000 x 1 by default. */
#define AUTH_PBKDF2_MAX_COST 1000000UL
#define AUTH_SALT_MAX        1024 /* bytes */
#define AUTH_HASH_MAX        512  /* bytes */
#define AUTH_NAME_MAX        256  /* a user name, in bytes */
#define AUTH_USERS_MAX       256  /* users of one configuration */
#define AUTH_PASSWORD_MAX    1024 /* a typed password, in bytes */

/* grub.pbkdf2.sha512.ITER.SALT.HASH */
struct auth_pbkdf2 {
        unsigned long iter;
        uint8_t *salt;
        size_t salt_len;
        uint8_t *hash;
        size_t hash_len;
};

/* Parses GRUB's PBKDF2 hash (hex in either case). 0; -EINVAL (malformed) or -E2BIG (the check
 * would cost more than AUTH_PBKDF2_MAX_COST, or a part is longer than its bound) with a static
 * reason in *ret_why; -ENOMEM. */
int auth_pbkdf2_parse(const char *s, struct auth_pbkdf2 *ret, const char **ret_why);
void auth_pbkdf2_done(struct auth_pbkdf2 *h);
/* Whether password (len bytes) gives h's hash. */
bool auth_pbkdf2_verify(const struct auth_pbkdf2 *h, const char *password, size_t len);
/* Computes a hash as grub-mkpasswd-pbkdf2 does and formats it as it prints it (upper-case
 * hex): "grub.pbkdf2.sha512.ITER.SALT.HASH". 0, -EINVAL (bad sizes), -ENOMEM, -EIO. */
int auth_pbkdf2_make(const char *password, size_t len, unsigned long iter, const uint8_t *salt,
                     size_t salt_len, size_t hash_len, char **ret);

enum auth_kind {
        AUTH_KIND_PBKDF2,
        AUTH_KIND_PLAIN,  /* `password USER PLAINTEXT` */
        AUTH_KIND_LOCKED, /* a hash that cannot be checked here: why says which */
};

struct auth_user {
        char *name;
        enum auth_kind kind;
        char *plain; /* AUTH_KIND_PLAIN, wiped when freed */
        struct auth_pbkdf2 pbkdf2;
        char *why; /* AUTH_KIND_LOCKED */
};

/* One configuration's users, shared by its entries (reference counted). */
struct auth_set {
        unsigned refs;
        char *origin;     /* for messages: "kexec-loader.conf", "/dev/sda1: /boot/grub/grub.cfg" */
        bool restricted;  /* superusers is set (GRUB: even to an empty list) */
        char *superusers; /* the list as written (words split at blanks , ; | &) */
        struct auth_user *users;
        size_t n_users, cap_users;
};

struct auth_set *auth_set_new(const char *origin);
struct auth_set *auth_set_ref(struct auth_set *s);
struct auth_set *auth_set_unref(struct auth_set *s); /* NULL */
/* superusers: NULL unsets it (no restrictions). 0 or -ENOMEM. */
int auth_set_superusers(struct auth_set *s, const char *list);
/* A user's password: a later one replaces an earlier one, as in GRUB. A hash that does not parse
 * (or costs too much) makes the user AUTH_KIND_LOCKED, with the reason in *ret_why when given
 * (static). 0, 1 (locked), -E2BIG (more than AUTH_USERS_MAX users or a name too long), -ENOMEM. */
int auth_set_password(struct auth_set *s, const char *user, const char *plain);
int auth_set_pbkdf2(struct auth_set *s, const char *user, const char *hash, const char **ret_why);
/* A user whose password cannot be checked here (password_argon2): why is shown to the user. */
int auth_set_locked(struct auth_set *s, const char *user, const char *why);
const struct auth_user *auth_set_user(const struct auth_set *s, const char *name);

/* GRUB's grub_auth_strword: whether name is a word of list (words split at blanks , ; | &). */
bool auth_word(const char *list, const char *name);

/* Whether an entry of s may be booted without a login: s is NULL or not restricted, or the
 * entry is unrestricted. */
bool auth_open(const struct auth_set *s, bool unrestricted);
/* Whether user (authenticated) may pass a gate of s: a superuser always; with users non-NULL,
 * also a user in that list. */
bool auth_allowed(const struct auth_set *s, const char *user, const char *users);

enum auth_result {
        AUTH_OK,
        AUTH_DENIED, /* unknown user, wrong password, or not allowed: the same answer */
        AUTH_LOCKED, /* the user's hash cannot be checked here (*ret_why) */
};
/* Checks a login against s for a gate (users as auth_allowed). The password is always checked,
 * even for a user that is not allowed. */
enum auth_result auth_login(const struct auth_set *s, const char *user, const char *password,
                            const char *users, const char **ret_why);

/* An entry inside submenus passes the gate of each (GRUB asks at every level): the gates
 * combined into one. *unrestricted and *users (malloc'ed or NULL) start as the outermost level's
 * and take in the next inner level's: unrestricted when both are, else the users both allow
 * (superusers are allowed by every gate). 0 or -ENOMEM. */
int auth_gate_combine(bool *unrestricted, char **users, bool level_unrestricted,
                      const char *level_users);

/* Why no login can ever open a gate of s (every allowed user is locked or has no password): a
 * malloc'ed message, or NULL when some login may (or on OOM). */
char *auth_gate_locked(const struct auth_set *s, const char *users);

/* A gate to pass: a configuration's users, and who besides its superusers may pass (NULL: the
 * superusers only). */
struct auth_gate {
        const struct auth_set *set;
        const char *users;
};

/* A login against several gates: all of them (all) or any one. AUTH_OK, AUTH_LOCKED when a
 * needed gate's user is locked (*ret_why), else AUTH_DENIED. */
enum auth_result auth_login_gates(const struct auth_gate *g, size_t n, bool all, const char *user,
                                  const char *password, const char **ret_why);
/* Why no login can pass the gates (all: one of them is locked; any: each one is), malloc'ed, or
 * NULL. */
char *auth_gates_locked(const struct auth_gate *g, size_t n, bool all);
