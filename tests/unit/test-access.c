/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Who may boot, edit, or open the shell across the menu's configurations (src/menu/access.c). */
#include "test.h"

#include "menu/access.h"

static struct auth_set *set(const char *origin, const char *su, const char *user, const char *pw)
{
        struct auth_set *s = auth_set_new(origin);

        if (s && su)
                (void) auth_set_superusers(s, su);
        if (s && user)
                (void) auth_set_password(s, user, pw);
        return s;
}

TEST(boot_edit_shell)
{
        struct auth_set *a = set("a", "root", "root", "apw"),
                        *b = set("b", "admin", "admin", "bpw");
        struct auth_set *conf = set("kexec-loader.conf", "owner", "owner", "opw");
        struct auth_set *open = set("c", NULL, "root", "x");
        struct boot_entry e[4] = {
                {.auth = a},
                {.auth = a, .unrestricted = true},
                {.auth = b, .users = (char *) "guest"},
                {.auth = open},
        };
        struct access_gates g;

        /* boot: the entry's own gate */
        REQUIRE(access_gates(ACCESS_BOOT, e, 4, 0, NULL, &g) == 0);
        CHECK(g.n == 1 && g.g[0].set == a && !g.g[0].users);
        CHECK(auth_login_gates(g.g, g.n, g.all, "root", "apw", NULL) == AUTH_OK);
        CHECK(auth_login_gates(g.g, g.n, g.all, "admin", "bpw", NULL) == AUTH_DENIED);
        access_gates_done(&g);
        REQUIRE(access_gates(ACCESS_BOOT, e, 4, 1, conf, &g) == 0);
        CHECK(g.n == 0); /* unrestricted */
        access_gates_done(&g);
        REQUIRE(access_gates(ACCESS_BOOT, e, 4, 2, NULL, &g) == 0);
        CHECK(g.n == 1 && streq_ptr(g.g[0].users, "guest"));
        access_gates_done(&g);
        REQUIRE(access_gates(ACCESS_BOOT, e, 4, 3, NULL, &g) == 0);
        CHECK(g.n == 0); /* its configuration sets no superusers */
        access_gates_done(&g);

        /* edit: even an unrestricted entry; its configuration's or kexec-loader.conf's superuser */
        REQUIRE(access_gates(ACCESS_EDIT, e, 4, 1, NULL, &g) == 0);
        CHECK(g.n == 1 && !g.all);
        access_gates_done(&g);
        REQUIRE(access_gates(ACCESS_EDIT, e, 4, 1, conf, &g) == 0);
        CHECK(g.n == 2 && !g.all);
        CHECK(auth_login_gates(g.g, g.n, g.all, "owner", "opw", NULL) == AUTH_OK);
        CHECK(auth_login_gates(g.g, g.n, g.all, "root", "apw", NULL) == AUTH_OK);
        CHECK(auth_login_gates(g.g, g.n, g.all, "admin", "bpw", NULL) == AUTH_DENIED);
        access_gates_done(&g);
        REQUIRE(access_gates(ACCESS_EDIT, e, 4, 3, NULL, &g) == 0);
        CHECK(g.n == 0);
        access_gates_done(&g);
        REQUIRE(access_gates(ACCESS_EDIT, e, 4, 3, conf, &g) == 0);
        CHECK(g.n == 1 && g.g[0].set == conf);
        access_gates_done(&g);

        /* shell: kexec-loader.conf's superusers when set */
        REQUIRE(access_gates(ACCESS_SHELL, e, 4, 0, conf, &g) == 0);
        CHECK(g.n == 1 && g.g[0].set == conf);
        CHECK(auth_login_gates(g.g, g.n, g.all, "root", "apw", NULL) == AUTH_DENIED);
        access_gates_done(&g);
        /* else every protected configuration, each once */
        REQUIRE(access_gates(ACCESS_SHELL, e, 4, 0, NULL, &g) == 0);
        CHECK(g.n == 2 && g.all);
        CHECK(auth_login_gates(g.g, g.n, g.all, "root", "apw", NULL) == AUTH_DENIED);
        access_gates_done(&g);
        REQUIRE(access_gates(ACCESS_SHELL, e, 2, 0, NULL, &g) == 0);
        CHECK(g.n == 1);
        CHECK(auth_login_gates(g.g, g.n, g.all, "root", "apw", NULL) == AUTH_OK);
        access_gates_done(&g);
        /* nothing protected: open */
        REQUIRE(access_gates(ACCESS_SHELL, e + 3, 1, 0, open, &g) == 0);
        CHECK(g.n == 0);
        access_gates_done(&g);

        auth_set_unref(a);
        auth_set_unref(b);
        auth_set_unref(conf);
        auth_set_unref(open);
}
