/* SPDX-License-Identifier: GPL-2.0-or-later */
/* md RAID arrays (issue 12; pure): which devices are members (libblkid's "linux_raid_member":
 * md's native metadata 0.90 and 1.x), the members grouped into arrays by the array UUID libblkid
 * reads from their superblocks, what `mdadm --examine --export` says of a member (bounded: it
 * comes from an untrusted superblock), the personality module a RAID level needs, and the mdadm
 * command line of a read-only assembly. The hardware side (mdraid-assemble.c) runs mdadm.
 *
 * Everything in a superblock is untrusted: UUIDs and names with anything but printable ASCII are
 * refused (a member with such a UUID is left alone), levels are looked up in a table. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "../core/json.h"
#include "device.h"

#define MDRAID_FSTYPE      "linux_raid_member"
#define MDRAID_ARRAYS_MAX  32 /* arrays assembled at once */
#define MDRAID_MEMBERS_MAX 32 /* members of one array taken (more are left out) */
#define MDRAID_VALUE_MAX   64 /* bytes of a UUID, a name or a level from a superblock */

struct mdraid_array {
        char *uuid;       /* the array's UUID as libblkid gives it (its members' UUID) */
        char *name;       /* the array's name in its superblock ("host:name", LABEL), or NULL */
        char **members;   /* the members' device paths, in device-list order */
        char *level;      /* "raid1" (mdadm --examine), or NULL before it is known */
        char *kname;      /* the array's kernel name ("md127") once assembled, else NULL */
        unsigned devices; /* members it has (mdadm --examine), 0 unknown */
        const char *why;  /* not assembled: why (a static text), else NULL */
};

struct mdraid_list {
        struct mdraid_array *items;
        size_t n, cap;
        /* assemble arrays with members missing too (degraded); else they wait for them */
        bool incomplete_ok;
};

void mdraid_list_done(struct mdraid_list *l);

/* Whether d is an md member (libblkid TYPE "linux_raid_member"). */
bool mdraid_is_member(const struct device *d);

/* Groups the md members of l by their UUID (compared without case), in list order: one array
 * per UUID, named by its first member's LABEL. Devices i with skip[i] set (skip may be NULL) are
 * left out: members held by an array already, or of an array that was tried. A member whose
 * UUID is missing or not printable ASCII (at most MDRAID_VALUE_MAX bytes) is left out; at most
 * MDRAID_ARRAYS_MAX arrays of MDRAID_MEMBERS_MAX members. 0 or -ENOMEM. */
int mdraid_group(const struct device_list *l, const bool *skip, struct mdraid_list *ret);

/* The array of l with this UUID (without case) or kernel name, or NULL. */
struct mdraid_array *mdraid_list_find_uuid(const struct mdraid_list *l, const char *uuid);
struct mdraid_array *mdraid_list_find_kname(const struct mdraid_list *l, const char *kname);

/* The members of the assembled arrays of l, counted (the tests' trace follows them). */
size_t mdraid_list_members_assembled(const struct mdraid_list *l);

/* Removes (frees) the array at index i of l. */
void mdraid_list_remove(struct mdraid_list *l, size_t i);

/* Moves every array of src to the end of dst (src is left empty). 0 or -ENOMEM (src kept). */
int mdraid_list_take(struct mdraid_list *dst, struct mdraid_list *src);

/* A value of `mdadm --examine --export` output (KEY=VALUE lines; the first 64 KiB are read):
 * key "MD_LEVEL" gives "raid1", "MD_DEVICES" "2". malloc'ed in *ret. 0, -ENOENT when there is
 * no such line, -EINVAL when its value is empty, longer than MDRAID_VALUE_MAX or not printable
 * ASCII, -ENOMEM. */
int mdraid_examine_value(const char *text, const char *key, char **ret);

/* The number of members an array has (MD_DEVICES of mdadm --examine --export), 1..1920 (md's
 * largest for metadata 1.x); 0 when it is missing or not such a number. */
unsigned mdraid_examine_devices(const char *text);

/* The module alias of the md personality that runs level ("raid1" -> "md-raid1", as md asks
 * for it); NULL for a level md has no personality for (containers, "-unknown-", garbage). */
const char *mdraid_personality(const char *level);

/* The mdadm command line that assembles the members into dev (/dev/mdN), read-only:
 * --readonly (no write to the array, no resync, recovery or reshape), --run (a degraded array
 * starts too: read-only, nothing records that a member is missing), --config=none (no
 * mdadm.conf, no homehost or policy from it), no --update or --force (they write superblocks).
 * malloc'ed, NULL on OOM. */
char **mdraid_assemble_argv(const char *mdadm, const char *dev, char *const *members);

/* "arrays" of list --json: each array's device (devroot/kname, or null), name, UUID, level,
 * members, whether it is assembled and, when not, why. */
void mdraid_list_to_json(const struct mdraid_list *l, const char *devroot, struct json *j);
