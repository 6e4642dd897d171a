/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GRUB's passwords and gates (src/core/auth.c): hashes made by the real grub-mkpasswd-pbkdf2
 * (Debian's grub-common) verified, malformed and too costly ones refused, our own hashes in its
 * format, and the permission rules of grub-core/normal/auth.c and menu.c. */
#include "test.h"

#include <sys/wait.h>

#include "core/auth.h"

/* Made with: printf 'pw\npw\n' | grub-mkpasswd-pbkdf2 -c 1000 */
#define GRUB_PW                                                                                    \
        "grub.pbkdf2.sha512.1000."                                                                 \
        "0A20E3D3822512A8FCB5D330BB2567FFF91AB6B5983D7CEF0F8A0F992E8DCA02BEC56CEACCD0AA3F884EF2E9" \
        "22878EDDB1B2A4136CFAB9DA2C995F0CB0945F33."                                                \
        "955C23B237C19C3ADA02FE88A815B064EDC49FACF6AFE61A18710E192FC92CED0BA4AE3F77CCB272B4FC3066" \
        "EDB4F8772FEE0F60ACCA3EF9C98711C45157E21E"
/* printf 'correct horse\ncorrect horse\n' | grub-mkpasswd-pbkdf2 -c 1000 -s 16 -l 32 */
#define GRUB_HORSE                                                  \
        "grub.pbkdf2.sha512.1000.B466AC227703457308918F32BF4580AA." \
        "96DAC009AD5E350BAC1DFC55B80C46CE25CD37602C6FD3A0E0F52A2D342EA8D5"
/* printf 'Grüße 1!\nGrüße 1!\n' | grub-mkpasswd-pbkdf2 -c 2000 -l 100 (two SHA-512 blocks) */
#define GRUB_UTF8                                                                                  \
        "grub.pbkdf2.sha512.2000."                                                                 \
        "53396820A46CC4597F19F8C6F98846850D7038077629A7EC0711ED50B73F8F7789BB59425050824D621669A0" \
        "6F3BC8F9290534C13788D836C9B18050B17D7A4C."                                                \
        "420EB6062B09488BBC018C8FE46F0AC5556B15CA11C95F9C31E83186B928331F1934738D9FFAC60BE3C7033F" \
        "6D55E548C211364D3AB70F025461BA1CB8709BA06559D0C50244E3F2EB4315DD55150AA5388B413F26E24151" \
        "3ACE0D2B2DA2F03F528EBE75"

static bool verifies(const char *hash, const char *pw)
{
        struct auth_pbkdf2 h;
        bool ok;

        if (auth_pbkdf2_parse(hash, &h, NULL) < 0)
                return false;
        ok = auth_pbkdf2_verify(&h, pw, strlen(pw));
        auth_pbkdf2_done(&h);
        return ok;
}

TEST(grub_hashes_verify)
{
        struct auth_pbkdf2 h;

        CHECK(verifies(GRUB_PW, "pw"));
        CHECK(!verifies(GRUB_PW, "pW"));
        CHECK(!verifies(GRUB_PW, "pw "));
        CHECK(!verifies(GRUB_PW, ""));
        CHECK(verifies(GRUB_HORSE, "correct horse"));
        CHECK(!verifies(GRUB_HORSE, "correct hors"));
        CHECK(verifies(GRUB_UTF8, "Grüße 1!"));
        CHECK(!verifies(GRUB_UTF8, "Gruse 1!"));
        CHECK(auth_pbkdf2_parse(GRUB_HORSE, &h, NULL) == 0);
        CHECK(h.iter == 1000 && h.salt_len == 16 && h.hash_len == 32);
        auth_pbkdf2_done(&h);
}

/* The tool itself, when installed: a hash made now verifies, and a wrong password does not. */
TEST(grub_mkpasswd_now)
{
        char out[1024] = "";
        FILE *f;
        size_t n;
        const char *h;

        if (access("/usr/bin/grub-mkpasswd-pbkdf2", X_OK) != 0) {
                printf("# grub-mkpasswd-pbkdf2 not installed (Debian grub-common)\n");
                return;
        }
        f = popen("printf 's3cret w0rd\\ns3cret w0rd\\n' | /usr/bin/grub-mkpasswd-pbkdf2 -c 500 "
                  "-s 8 -l 64 2>/dev/null",
                  "r");
        CHECK(f != NULL);
        if (!f)
                return;
        n = fread(out, 1, sizeof(out) - 1, f);
        out[n] = 0;
        CHECK(WEXITSTATUS(pclose(f)) == 0);
        h = strstr(out, "PBKDF2 hash of your password is ");
        CHECK(h != NULL);
        if (!h)
                return;
        h += strlen("PBKDF2 hash of your password is ");
        out[strcspn(out, "\n")] = 0;
        ((char *) h)[strcspn(h, "\n")] = 0;
        CHECK(verifies(h, "s3cret w0rd"));
        CHECK(!verifies(h, "s3cret w0rd\n"));
}

TEST(our_hashes_in_grub_format)
{
        const uint8_t salt[4] = {0x01, 0xab, 0xff, 0x10};
        char *s = NULL;

        CHECK(auth_pbkdf2_make("pw", 2, 1000, salt, 4, 64, &s) == 0);
        CHECK(s && startswith(s, "grub.pbkdf2.sha512.1000.01ABFF10."));
        CHECK(s && strlen(s) == strlen("grub.pbkdf2.sha512.1000.01ABFF10.") + 128);
        CHECK(s && verifies(s, "pw") && !verifies(s, "pv"));
        free(s);
        s = NULL;
        CHECK(auth_pbkdf2_make("pw", 2, 0, salt, 4, 64, &s) == -EINVAL);
        CHECK(auth_pbkdf2_make("pw", 2, 10, salt, 0, 64, &s) == -EINVAL);
        CHECK(auth_pbkdf2_make("pw", 2, 10, salt, 4, AUTH_HASH_MAX + 1, &s) == -EINVAL);
        CHECK(s == NULL);
}

TEST(malformed_and_costly_hashes_refused)
{
        static const struct {
                const char *hash;
                int r;
        } cases[] = {
                {"", -EINVAL},
                {"grub.pbkdf2.sha256.1000.AA.BB", -EINVAL},
                {"grub.pbkdf2.sha512.", -EINVAL},
                {"grub.pbkdf2.sha512.0.AA.BB", -EINVAL},
                {"grub.pbkdf2.sha512.x.AA.BB", -EINVAL},
                {"grub.pbkdf2.sha512.10.AA", -EINVAL},
                {"grub.pbkdf2.sha512.10..BB", -EINVAL},
                {"grub.pbkdf2.sha512.10.AA.", -EINVAL},
                {"grub.pbkdf2.sha512.10.AAA.BB", -EINVAL},
                {"grub.pbkdf2.sha512.10.AA.BG", -EINVAL},
                {"grub.pbkdf2.sha512.10.AA.BB.CC", -EINVAL},
                {"grub.pbkdf2.sha512.-1.AA.BB", -EINVAL},
                /* 2^32 iterations: a hostile grub.cfg must not freeze the menu */
                {"grub.pbkdf2.sha512.4294967296.AA.BB", -E2BIG},
                {"grub.pbkdf2.sha512.99999999999999999999999999.AA.BB", -E2BIG},
                {"grub.pbkdf2.sha512.1000001.AA.BB", -E2BIG},
                {"grub.pbkdf2.sha512.1000000.AA.BB", 0},
                {"grub.pbkdf2.sha512.10.aa.bb", 0},
        };
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                struct auth_pbkdf2 h;
                const char *why = NULL;
                int r = auth_pbkdf2_parse(cases[i].hash, &h, &why);

                if (r != cases[i].r)
                        printf("# %s: %d\n", cases[i].hash, r);
                CHECK(r == cases[i].r);
                CHECK(r == 0 ? why == NULL : why != NULL);
                if (r == 0)
                        auth_pbkdf2_done(&h);
        }
}

TEST(hash_sizes_bounded)
{
        /* 600000 iterations of a 2-block hash: 1.2 M blocks, above the cap; 1 block is not */
        _cleanup_free_ char *two = malloc(64 + 2 * 128 + 1);
        _cleanup_free_ char *longsalt = malloc(64 + 2 * (AUTH_SALT_MAX + 1) + 8);
        struct auth_pbkdf2 h;
        char *p;

        CHECK(two && longsalt);
        if (!two || !longsalt)
                return;
        p = two + sprintf(two, "grub.pbkdf2.sha512.600000.AA.");
        memset(p, 'B', 2 * 65);
        p[2 * 65] = 0;
        CHECK(auth_pbkdf2_parse(two, &h, NULL) == -E2BIG);
        p[2 * 64] = 0;
        CHECK(auth_pbkdf2_parse(two, &h, NULL) == 0);
        auth_pbkdf2_done(&h);
        p = longsalt + sprintf(longsalt, "grub.pbkdf2.sha512.1.");
        memset(p, 'A', 2 * (AUTH_SALT_MAX + 1));
        strcpy(p + 2 * (AUTH_SALT_MAX + 1), ".BB");
        CHECK(auth_pbkdf2_parse(longsalt, &h, NULL) == -E2BIG);
}

TEST(grub_words)
{
        CHECK(auth_word("root", "root"));
        CHECK(auth_word("alice root", "root"));
        CHECK(auth_word("alice,root", "root"));
        CHECK(auth_word("alice;bob|root&x", "root"));
        CHECK(auth_word("  root  ", "root"));
        CHECK(!auth_word("rooty", "root"));
        CHECK(!auth_word("roo", "root"));
        CHECK(!auth_word("", "root"));
        CHECK(!auth_word(NULL, "root"));
        CHECK(!auth_word("root", ""));
}

static struct auth_set *grub_set(bool *test_failed)
{
        struct auth_set *s = auth_set_new("grub.cfg");

        CHECK(s != NULL);
        CHECK(auth_set_superusers(s, "root") == 0);
        CHECK(auth_set_pbkdf2(s, "root", GRUB_PW, NULL) == 0);
        CHECK(auth_set_password(s, "alice", "alicepw") == 0);
        CHECK(auth_set_password(s, "bob", "bobpw") == 0);
        return s;
}

/* GRUB's rules: superusers unset opens everything; set, an entry --unrestricted is open, one
 * --users LIST is for those users and the superusers, any other for the superusers. */
TEST(permission_rules)
{
        struct auth_set *s = grub_set(test_failed), *open = auth_set_new("x");
        const char *why = NULL;

        CHECK(auth_open(NULL, false));
        CHECK(auth_open(open, false));
        CHECK(auth_login(open, "root", "pw", NULL, NULL) == AUTH_DENIED); /* no users there */
        CHECK(!auth_open(s, false));
        CHECK(auth_open(s, true));

        /* a superuser-only gate (the shell, the editor, a plain entry) */
        CHECK(auth_login(s, "root", "pw", NULL, NULL) == AUTH_OK);
        CHECK(auth_login(s, "root", "px", NULL, NULL) == AUTH_DENIED);
        CHECK(auth_login(s, "alice", "alicepw", NULL, NULL) == AUTH_DENIED);
        CHECK(auth_login(s, "nobody", "pw", NULL, NULL) == AUTH_DENIED);
        /* --users alice */
        CHECK(auth_login(s, "alice", "alicepw", "alice", NULL) == AUTH_OK);
        CHECK(auth_login(s, "alice", "bobpw", "alice", NULL) == AUTH_DENIED);
        CHECK(auth_login(s, "bob", "bobpw", "alice", NULL) == AUTH_DENIED);
        CHECK(auth_login(s, "root", "pw", "alice", NULL) == AUTH_OK);
        CHECK(auth_login(s, "bob", "bobpw", "alice,bob", NULL) == AUTH_OK);
        /* a later password replaces the earlier one */
        CHECK(auth_set_password(s, "alice", "new") == 0);
        CHECK(auth_login(s, "alice", "alicepw", "alice", NULL) == AUTH_DENIED);
        CHECK(auth_login(s, "alice", "new", "alice", NULL) == AUTH_OK);
        /* a superuser that is also a plain-text user */
        CHECK(auth_set_superusers(s, "root alice") == 0);
        CHECK(auth_login(s, "alice", "new", NULL, NULL) == AUTH_OK);
        /* GRUB: superusers set to nothing restricts, and nobody is a superuser */
        CHECK(auth_set_superusers(s, "") == 0);
        CHECK(!auth_open(s, false));
        CHECK(auth_login(s, "root", "pw", NULL, NULL) == AUTH_DENIED);
        CHECK(auth_login(s, "alice", "new", "alice", NULL) == AUTH_OK);
        /* unset: open again */
        CHECK(auth_set_superusers(s, NULL) == 0);
        CHECK(auth_open(s, false));
        (void) why;
        auth_set_unref(s);
        auth_set_unref(open);
}

TEST(locked_users)
{
        struct auth_set *s = auth_set_new("grub.cfg");
        const char *why = NULL;
        char *m;

        CHECK(auth_set_superusers(s, "root") == 0);
        CHECK(auth_set_locked(s, "root", "password_argon2 is not supported") == 1);
        CHECK(auth_login(s, "root", "anything", NULL, &why) == AUTH_LOCKED);
        CHECK(why && strstr(why, "argon2"));
        m = auth_gate_locked(s, NULL);
        CHECK(m && strstr(m, "argon2"));
        free(m);
        /* a hash costing too much locks its user, with the reason */
        why = NULL;
        CHECK(auth_set_pbkdf2(s, "alice", "grub.pbkdf2.sha512.4294967296.AA.BB", &why) == 1);
        CHECK(why && strstr(why, "iteration"));
        CHECK(auth_login(s, "alice", "x", "alice", &why) == AUTH_LOCKED);
        /* with a usable user allowed, the gate is not locked */
        m = auth_gate_locked(s, "bob");
        CHECK(m != NULL); /* bob has no password */
        free(m);
        CHECK(auth_set_password(s, "bob", "b") == 0);
        m = auth_gate_locked(s, "bob");
        CHECK(m == NULL);
        free(m);
        CHECK(auth_gate_locked(NULL, NULL) == NULL);
        auth_set_unref(s);
}

TEST(submenu_gates_combined)
{
        bool unr;
        char *users;

        /* unrestricted submenu, entry --users a */
        unr = true, users = NULL;
        CHECK(auth_gate_combine(&unr, &users, false, "a") == 0);
        CHECK(!unr && streq_ptr(users, "a"));
        free(users);
        /* --users "a b" submenu, entry --users "b,c": only b (and superusers) pass both */
        unr = false, users = strdup("a b");
        CHECK(auth_gate_combine(&unr, &users, false, "b,c") == 0);
        CHECK(!unr && streq_ptr(users, "b"));
        free(users);
        /* no common user: superusers only */
        unr = false, users = strdup("a");
        CHECK(auth_gate_combine(&unr, &users, false, "c") == 0);
        CHECK(!unr && users == NULL);
        /* a superuser-only submenu wins over an unrestricted entry */
        unr = false, users = NULL;
        CHECK(auth_gate_combine(&unr, &users, true, NULL) == 0);
        CHECK(!unr && users == NULL);
        /* both unrestricted */
        unr = true, users = NULL;
        CHECK(auth_gate_combine(&unr, &users, true, NULL) == 0);
        CHECK(unr && users == NULL);
}

TEST(bounded_users)
{
        struct auth_set *s = auth_set_new(NULL);
        char name[AUTH_NAME_MAX + 2];
        int r = 0;

        memset(name, 'u', sizeof(name) - 1);
        name[sizeof(name) - 1] = 0;
        CHECK(auth_set_password(s, name, "x") == -E2BIG);
        CHECK(auth_set_password(s, "", "x") == -E2BIG);
        for (unsigned i = 0; i < AUTH_USERS_MAX && r == 0; i++) {
                char n[16];

                snprintf(n, sizeof(n), "u%u", i);
                r = auth_set_password(s, n, "x");
        }
        CHECK(r == 0);
        CHECK(auth_set_password(s, "one-more", "x") == -E2BIG);
        CHECK(auth_set_password(s, "u0", "y") == 0); /* replacing is fine */
        auth_set_unref(s);
}

/* The shell's and the editor's rules: every protected configuration (all), or the entry's own
 * or kexec-loader.conf's superusers (any). */
TEST(several_gates)
{
        struct auth_set *conf = auth_set_new("kexec-loader.conf"), *grub = grub_set(test_failed);
        struct auth_set *locked = auth_set_new("other");
        struct auth_gate g[3] = {{conf, NULL}, {grub, NULL}, {locked, NULL}};
        const char *why = NULL;
        char *m;

        CHECK(auth_set_superusers(conf, "admin") == 0);
        CHECK(auth_set_password(conf, "admin", "adminpw") == 0);
        CHECK(auth_set_superusers(locked, "root") == 0);
        CHECK(auth_set_locked(locked, "root", "argon2") == 1);
        /* any: either configuration's superuser */
        CHECK(auth_login_gates(g, 2, false, "admin", "adminpw", NULL) == AUTH_OK);
        CHECK(auth_login_gates(g, 2, false, "root", "pw", NULL) == AUTH_OK);
        CHECK(auth_login_gates(g, 2, false, "root", "adminpw", NULL) == AUTH_DENIED);
        /* all: a superuser of each */
        CHECK(auth_login_gates(g, 2, true, "root", "pw", NULL) == AUTH_DENIED);
        CHECK(auth_set_password(conf, "root", "pw") == 0);
        CHECK(auth_set_superusers(conf, "admin root") == 0);
        CHECK(auth_login_gates(g, 2, true, "root", "pw", NULL) == AUTH_OK);
        CHECK(auth_login_gates(g, 3, true, "root", "pw", &why) == AUTH_LOCKED);
        CHECK(why && streq(why, "argon2"));
        CHECK(auth_login_gates(g, 3, false, "root", "pw", NULL) == AUTH_OK);
        m = auth_gates_locked(g, 3, true);
        CHECK(m && strstr(m, "argon2"));
        free(m);
        CHECK(auth_gates_locked(g, 3, false) == NULL);
        m = auth_gates_locked(g + 2, 1, false);
        CHECK(m != NULL);
        free(m);
        CHECK(auth_login_gates(g, 0, true, "x", "y", NULL) == AUTH_OK);
        auth_set_unref(conf);
        auth_set_unref(grub);
        auth_set_unref(locked);
}
