/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Remembered choices (`remember last` in kexec-loader.conf; docs/usage.md "Remembered choices"):
 * the entry booted last, kept in a small file on the stick (REMEMBER_PATH), becomes the default
 * of the next start. Pure: the file's format (key=value lines, bounded when read back: a user
 * can edit it), the identity of an entry across starts, and which entry is the default.
 *
 * An entry is named by where it was defined, not by its place in the menu: the filesystem of its
 * configuration (UUID=, else PARTUUID=, LABEL=, the device path), the configuration's path
 * there, the ISO file it came from (ISO entries), its submenu path and its title. Entries moved
 * around in a configuration, or disks found in another order, keep their names. */
#pragma once

#include "../core/diag.h"
#include "device.h"
#include "entry.h"

#define REMEMBER_DIR  "kexec-loader"
#define REMEMBER_NAME "last"
#define REMEMBER_PATH "/" REMEMBER_DIR "/" REMEMBER_NAME
/* Read back at most this many bytes (a longer file is ignored as a whole); a value (after its
 * escapes) at most REMEMBER_VALUE_MAX bytes, at most REMEMBER_SUBMENU_MAX submenu levels. */
#define REMEMBER_FILE_MAX    16384u
#define REMEMBER_VALUE_MAX   1024u
#define REMEMBER_SUBMENU_MAX 16u

struct remember_id {
        char *fs;       /* "UUID=…", "PARTUUID=…", "LABEL=…" or a device path; NULL: none */
        char *config;   /* the configuration's path on fs, or NULL */
        char *iso;      /* the ISO file the entry came from, or NULL */
        char **submenu; /* submenu titles, outermost first (NULL: none) */
        char *title;    /* NULL: no identity (the file names no entry) */
};

struct remember_file {
        struct remember_id last; /* the entry booted last */
        /* GRUB's one-time choice (grub-reboot's next_entry) that was the default when `last` was
         * booted: honoured then, so not again (GRUB clears next_entry; the disks stay read-only
         * here, so this file keeps that it was honoured) */
        struct remember_id once;
};

void remember_id_done(struct remember_id *id);
void remember_file_done(struct remember_file *f);
int remember_id_copy(const struct remember_id *id, struct remember_id *ret);
bool remember_id_equal(const struct remember_id *a, const struct remember_id *b);

/* The identity of e; its configuration's filesystem named through the device list l (the device
 * whose path e->config.spec is). 0, -EINVAL (an entry without a title), -ENOMEM. */
int remember_id_of_entry(const struct boot_entry *e, const struct device_list *l,
                         struct remember_id *ret);
/* Whether e has that identity (no allocation). */
bool remember_id_matches(const struct remember_id *id, const struct boot_entry *e,
                         const struct device_list *l);
/* The first of the n entries with that identity, or -1. */
int remember_find(const struct remember_id *id, const struct boot_entry *entries, size_t n,
                  const struct device_list *l);

/* Parses the file's text. Never fails on bad input: unknown keys, bad lines, values too long or
 * with control characters, a repeated key, a version other than 1 or a file over
 * REMEMBER_FILE_MAX give diagnostics (file "name") and are ignored; returns 0 or -ENOMEM. */
int remember_parse(const char *data, size_t len, const char *name, struct remember_file *ret,
                   struct diag_list *diags);
/* The file's text (malloc'ed, NULL on ENOMEM): a comment, version=1, then the keys of last
 * and of once ("once.title=…"). Backslash, control characters and DEL are escaped (\\, \n, \t,
 * \xHH); other bytes are kept. */
char *remember_format(const struct remember_file *f);

/* Why the default is the one it is. */
enum remember_why {
        REMEMBER_WHY_CONFIG, /* nothing remembered, or that entry is not in the menu: the
                                configurations' default */
        REMEMBER_WHY_LAST,   /* the entry booted last */
        REMEMBER_WHY_ONCE,   /* GRUB's one-time choice (grub-reboot), not honoured here yet */
};
const char *remember_why_name(enum remember_why w); /* "config", "last", "once" */

/* The default among the n entries: def is the configurations' default (an index, or -1); when it
 * is GRUB's one-time choice (one_time_default) and f->once does not name it, it stays (once);
 * else the remembered entry when it is in the menu (last); else def (config). */
int remember_choose(const struct remember_file *f, const struct boot_entry *entries, size_t n,
                    const struct device_list *l, int def, enum remember_why *ret_why);
