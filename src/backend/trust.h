/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the running kernel will accept for kexec: its lockdown mode and the keys of the keyrings
 * kexec_file_load(2) checks a kernel's PE signature against (kexec_kernel_verify_pe_sig():
 * .builtin_trusted_keys and .secondary_trusted_keys, which links .machine (MOK, with
 * CONFIG_INTEGRITY_MACHINE_KEYRING), then .platform (UEFI db and MOK) when none of those has the
 * key). Read as root from /sys/kernel/security/lockdown (securityfs, mounted by init) and
 * /proc/keys, the keyrings' contents listed with keyctl(KEYCTL_READ); when the keyrings cannot be
 * read, every asymmetric key /proc/keys shows counts. */
#pragma once

#include <stdbool.h>

#include "pesig.h"

struct trust {
        char *lockdown; /* "integrity", "confidentiality"; NULL: none, or unknown */
        struct pesig_keyset keys;
        bool keys_known; /* /proc/keys was read */
};

/* Reads the lockdown mode from lockdown_path and, when locked down, the trusted keys from
 * keys_path (the format of /proc/keys; its keyrings listed with keyctl when rings is true).
 * 0 or -ENOMEM; what cannot be read stays unknown. */
int trust_read(struct trust *t, const char *lockdown_path, const char *keys_path, bool rings);
void trust_done(struct trust *t);
