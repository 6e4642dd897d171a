/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Who may do what in the restricted menu (see access.h). Pure. */
#include "access.h"

static bool restricted(const struct auth_set *s)
{
        return s && s->restricted;
}

static int add(struct access_gates *g, size_t *cap, const struct auth_set *s, const char *users)
{
        for (size_t i = 0; i < g->n; i++)
                if (g->g[i].set == s && streq_ptr(g->g[i].users, users))
                        return 0;
        if (UTIL_GROW(g->g, *cap, g->n + 1) < 0)
                return -ENOMEM;
        g->g[g->n++] = (struct auth_gate){.set = s, .users = users};
        return 0;
}

int access_gates(enum access_what what, const struct boot_entry *entries, size_t n_entries,
                 size_t idx, const struct auth_set *conf, struct access_gates *ret)
{
        struct access_gates g = {0};
        size_t cap = 0;
        int r = 0;

        switch (what) {
        case ACCESS_BOOT:
                g.all = true;
                if (idx < n_entries && !auth_open(entries[idx].auth, entries[idx].unrestricted))
                        r = add(&g, &cap, entries[idx].auth, entries[idx].users);
                break;
        case ACCESS_EDIT:
                if (idx < n_entries && restricted(entries[idx].auth))
                        r = add(&g, &cap, entries[idx].auth, NULL);
                if (r >= 0 && restricted(conf))
                        r = add(&g, &cap, conf, NULL);
                break;
        case ACCESS_SHELL:
                g.all = true;
                if (restricted(conf)) {
                        r = add(&g, &cap, conf, NULL);
                        break;
                }
                for (size_t i = 0; i < n_entries && r >= 0; i++)
                        if (restricted(entries[i].auth))
                                r = add(&g, &cap, entries[i].auth, NULL);
                break;
        }
        if (r < 0) {
                access_gates_done(&g);
                return r;
        }
        *ret = g;
        return 0;
}

void access_gates_done(struct access_gates *g)
{
        free(g->g);
        *g = (struct access_gates){0};
}
