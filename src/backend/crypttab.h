/* SPDX-License-Identifier: GPL-2.0-or-later */
/* crypttab(5), as systemd-cryptsetup-generator and Debian's cryptsetup read it (pure, bounded):
 *
 *     # name        device                                     key file       options
 *     cryptroot     UUID=9e1d5b4a-…                            none           luks,discard
 *     home          /dev/sda3                                  /etc/home.key  luks,tries=3
 *
 * One entry per line, fields separated by blanks (no quoting, no escapes: neither reader has
 * them), `#` comments and blank lines skipped. Fields 3 and 4 may be missing. The device is a
 * path or UUID=, PARTUUID=, LABEL=, PARTLABEL=. The key file is `none` or `-` (ask), a path,
 * systemd's `path:device` (the key file on another device, the path relative to its root), or
 * with Debian's `keyscript=passdev` the `device:path[:timeout]` form. Options are a comma list;
 * the ones the menu acts on are decoded, all are kept in order.
 *
 * Used for the stick's /kexec-loader/crypttab (docs/formats.md): which key file on the stick
 * unlocks which volume. Parsers never fail on bad input: each bad line is a diagnostic and is
 * skipped. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "../core/diag.h"

#define CRYPTTAB_MAX_FILE    (256u * 1024) /* bytes read of a crypttab */
#define CRYPTTAB_MAX_LINE    4096u         /* longer lines are skipped */
#define CRYPTTAB_MAX_ENTRIES 256u          /* entries past this are dropped */
#define CRYPTTAB_MAX_OPTIONS 64u           /* options per entry past this are dropped */
#define CRYPTTAB_NAME_MAX    127u          /* a device-mapper name (DM_NAME_LEN - 1) */

enum crypttab_dev_kind {
        CRYPTTAB_DEV_PATH, /* /dev/sda3, /dev/disk/by-id/… */
        CRYPTTAB_DEV_UUID,
        CRYPTTAB_DEV_PARTUUID,
        CRYPTTAB_DEV_LABEL,
        CRYPTTAB_DEV_PARTLABEL,
};

enum crypttab_key_kind {
        CRYPTTAB_KEY_ASK,       /* none, -, or no third field: a passphrase is asked for */
        CRYPTTAB_KEY_FILE,      /* a key file on the same filesystem as the crypttab */
        CRYPTTAB_KEY_ON_DEVICE, /* a key file on another device (key_device) */
};

enum crypttab_type {
        CRYPTTAB_TYPE_AUTO, /* no type option: LUKS when the header says so (systemd), else plain */
        CRYPTTAB_TYPE_LUKS,
        CRYPTTAB_TYPE_PLAIN,
        CRYPTTAB_TYPE_TCRYPT,
        CRYPTTAB_TYPE_BITLK,
        CRYPTTAB_TYPE_OTHER, /* fvault2, open, loopaes, … */
};

enum {
        CRYPTTAB_OPT_DISCARD = 1u << 0,
        CRYPTTAB_OPT_READONLY = 1u << 1, /* readonly, read-only */
        CRYPTTAB_OPT_NOAUTO = 1u << 2,
        CRYPTTAB_OPT_NOFAIL = 1u << 3,
        CRYPTTAB_OPT_INITRD = 1u << 4, /* x-initrd.attach */
        CRYPTTAB_OPT_SWAP = 1u << 5,
        CRYPTTAB_OPT_TMP = 1u << 6,
        CRYPTTAB_OPT_HEADER = 1u << 7, /* header=: a detached header (out of scope) */
        CRYPTTAB_OPT_TPM2 = 1u << 8,   /* tpm2-device= */
        CRYPTTAB_OPT_TOKEN = 1u << 9,  /* fido2-device=, pkcs11-uri=, token-timeout= */
        CRYPTTAB_OPT_KEYSCRIPT = 1u << 10,
};

struct crypttab_option {
        char *name;
        char *value; /* after `=`, or NULL */
};

struct crypttab_entry {
        char *name; /* the mapping's name (luks-<UUID>, sda5_crypt) */
        unsigned line;
        enum crypttab_dev_kind dev_kind;
        char *device; /* the value: the path, or the UUID/label after `UUID=` … */
        enum crypttab_key_kind key_kind;
        char *key_path;   /* CRYPTTAB_KEY_FILE, _ON_DEVICE: the path, else NULL */
        char *key_device; /* CRYPTTAB_KEY_ON_DEVICE: the device spec as written ("LABEL=keys") */
        enum crypttab_type type;
        unsigned flags; /* CRYPTTAB_OPT_* */
        int tries;      /* tries=N (0: unlimited), -1 when absent */
        char *keyscript;
        struct crypttab_option *options;
        size_t n_options;
};

struct crypttab {
        struct crypttab_entry *items;
        size_t n, cap;
};

/* Parses text (len bytes, need not end in NUL) into t (appending). Bad lines become
 * diagnostics in d tied to fs and file (either may be NULL). Returns 0 or -ENOMEM. */
int crypttab_parse(struct crypttab *t, const char *text, size_t len, const char *fs,
                   const char *file, struct diag_list *d);
void crypttab_done(struct crypttab *t);

/* The entry whose device matches: kind and value (UUIDs compared without case), or NULL. */
const struct crypttab_entry *crypttab_find_device(const struct crypttab *t,
                                                  enum crypttab_dev_kind kind, const char *value);
/* The entry named name, or NULL. */
const struct crypttab_entry *crypttab_find_name(const struct crypttab *t, const char *name);
/* An option's value (NULL when absent or without a value); *present says whether it is there. */
const char *crypttab_option(const struct crypttab_entry *e, const char *name, bool *present);

/* The stick's crypttab (docs/formats.md, "crypttab on the stick"). */
#define CRYPTTAB_STICK_PATH "/kexec-loader/crypttab"
#define CRYPTTAB_STICK_DIR  "/kexec-loader"
/* The path on the stick of an entry's key file: absolute ones as they are, relative ones below
 * CRYPTTAB_STICK_DIR (malloc'ed in *ret). -ENOENT when the entry asks for a passphrase (none,
 * -), -EOPNOTSUPP with *why (static) when the entry cannot be used (a key file on another
 * device, keyscript=, header=), -ENOMEM. */
int crypttab_stick_key(const struct crypttab_entry *e, char **ret, const char **why);

/* A volume as the device list knows it, for crypttab_find_volume(): any field may be NULL. */
struct crypttab_volume {
        const char *uuid, *partuuid, *label, *partlabel;
        const char *path; /* "/dev/vda1" */
};
/* The first entry whose device is the volume: UUID=, PARTUUID=, LABEL=, PARTLABEL= (UUIDs
 * without case), /dev/disk/by-uuid/…, by-partuuid/…, by-label/…, by-partlabel/… (udev's links,
 * compared with the same values), or the volume's own path; NULL when none. */
const struct crypttab_entry *crypttab_find_volume(const struct crypttab *t,
                                                  const struct crypttab_volume *v);
/* The stick crypttab's opt-in to the key hand-over for a volume it unlocks (an option of the
 * entry; docs/formats.md): kexec-loader's own, ignored by every other crypttab reader. */
#define CRYPTTAB_OPT_NAME_HANDOVER "x-kexec-loader.handover"

/* Whether name is usable as a mapping name: 1..127 bytes, no `/`, blank or control character,
 * not "." or "..". */
bool crypttab_name_valid(const char *name);
/* The device field as written again ("UUID=…", "/dev/sda3"): malloc'ed, or NULL on OOM. */
char *crypttab_device_spec(const struct crypttab_entry *e);
