/* SPDX-License-Identifier: GPL-2.0-or-later */
/* btrfs snapshots as snapper keeps them (openSUSE): /.snapshots/N/info.xml says what snapshot N
 * is (its number, date, description, type) and /.snapshots/N/snapshot is the snapshot itself.
 * Pure: info.xml is read with a few tags and strict bounds, never a general XML parser. */
#pragma once

#include <stddef.h>

#include "import.h"

#define SNAPPER_INFO_MAX      (64u * 1024) /* bytes of an info.xml */
#define SNAPPER_DESC_MAX      256u         /* bytes of a description (longer: cut at a character) */
#define SNAPPER_LIST_MAX      64u          /* snapshots listed per system (the newest) */
#define SNAPPER_CANDIDATE_MAX 4096u        /* snapshot directories looked at per system */

struct snapper_info {
        unsigned num;
        char date[20];     /* "YYYY-MM-DD HH:MM:SS" (snapper writes UTC) */
        char type[8];      /* "single", "pre", "post", or "" */
        char *description; /* malloc'ed, "" when none */
};

void snapper_info_done(struct snapper_info *i);

/* Parses an info.xml of len bytes: <num> and <date> are required, <description> and <type>
 * optional, each at most once; other elements (userdata, cleanup, uid…) are skipped. Returns 0,
 * -ENOMEM, or -EINVAL with *ret_line (1-based) and *ret_why (a static string) saying where and
 * what is wrong. */
int snapper_info_parse(const char *data, size_t len, struct snapper_info *ret, unsigned *ret_line,
                       const char **ret_why);

/* Newest first: by date, then by number. */
int snapper_info_cmp(const void *a, const void *b);

/* Entries for the snapshots under the subvolume snapshots_subvol ("@/.snapshots", its path from
 * the top level) of fs->dev that hold a kernel in their own /boot: newest first, at most
 * SNAPPER_LIST_MAX, in a "Snapshots" submenu, booted with rootflags=subvol=<the snapshot's
 * subvolume> as openSUSE's GRUB boots them. A broken info.xml gives a diagnostic; the others are
 * listed. Returns 0 or -ENOMEM. */
int snapper_import(const struct import_fs *fs, const char *snapshots_subvol,
                   struct import_result *ret);
