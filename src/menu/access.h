/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Who may do what in the restricted menu (GRUB's model, auth.h), across the configurations of
 * the menu, each protecting its own entries with its own users:
 *   - booting an entry: its configuration's gate (open when that configuration sets no
 *     superusers, or the entry is unrestricted; else its users and superusers);
 *   - editing an entry: a superuser of its configuration or of kexec-loader.conf, when either
 *     sets superusers (editing changes what boots, so even an unrestricted entry needs one);
 *   - the shell, which can build any entry: kexec-loader.conf's superusers when it sets them
 *     (the stick's owner decides), else a superuser of every configuration in the menu that sets
 *     superusers (one login valid for all of them), so no disk's protection can be bypassed.
 * Pure. */
#pragma once

#include "../backend/entry.h"
#include "../core/auth.h"

enum access_what {
        ACCESS_BOOT,
        ACCESS_EDIT,
        ACCESS_SHELL,
};

struct access_gates {
        struct auth_gate *g;
        size_t n;
        bool all; /* every gate (else any one) */
};

/* The gates for what (entry idx of entries for BOOT and EDIT; conf: kexec-loader.conf's users,
 * or NULL). n == 0: open. 0 or -ENOMEM. */
int access_gates(enum access_what what, const struct boot_entry *entries, size_t n_entries,
                 size_t idx, const struct auth_set *conf, struct access_gates *ret);
void access_gates_done(struct access_gates *g);
