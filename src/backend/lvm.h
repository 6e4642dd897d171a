/* SPDX-License-Identifier: GPL-2.0-or-later */
/* LVM, read-only (issue 12): the pure half. LVM's own tool (lvm(8), run by lvm-activate.c) reads
 * the metadata and activates the logical volumes; nothing here parses LVM metadata. Here:
 *
 *   - the --config text every lvm command gets: metadata read-only, no backup or archive, no
 *     udev, no dmeventd monitoring, no lvmpolld/lvmlockd/D-Bus, no hints or devices file, and a
 *     device filter that admits only the members libblkid reported (LVM2_member);
 *   - the reading of an `lvs --segments` report (LVM's output, one line per segment), deciding
 *     which logical volumes may be activated read-only: plain linear or striped LVs only. Thin
 *     pools and volumes, cache, writecache, VDO, raid, mirrors, snapshots and their origins,
 *     pvmove'd and partial LVs are left inactive, each with the reason: activating them starts
 *     targets that write (a pool's metadata, a resync, a merge, a copy) or needs the tools
 *     (thin_check, cache_check) that repair. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* The LVs of a report kept (LVM makes thousands possible; a boot menu needs few). */
#define LVM_LVS_MAX 256
/* The longest line of a report read, and the longest device path given to the filter. */
#define LVM_LINE_MAX 1024
#define LVM_PATH_MAX 256

/* The report `lvm lvs` is asked for (its -o and --separator), one line per segment. */
#define LVM_REPORT_FIELDS    "vg_name,lv_name,lv_attr,segtype"
#define LVM_REPORT_SEPARATOR "|"

struct lvm_lv {
        char *vg, *lv;   /* names as LVM validates them: [A-Za-z0-9+_.-] */
        char attr[11];   /* lv_attr, 10 characters (NUL-terminated) */
        const char *why; /* NULL: activated read-only; else why it is left inactive */
        char *segtype;   /* the first segment type that is not linear/striped, or NULL */
};

struct lvm_report {
        struct lvm_lv *lvs;
        size_t n, cap;
        size_t dropped; /* LVs past LVM_LVS_MAX, and lines that were not a report row */
};

void lvm_report_done(struct lvm_report *r);

/* Whether s is a VG or LV name LVM accepts: 1..127 of [A-Za-z0-9+_.-], not starting with '-',
 * not "." or "..". */
bool lvm_name_valid(const char *s);

/* Whether path may go into a device filter: an absolute path of [A-Za-z0-9/_-] (no regex or
 * config metacharacter), shorter than LVM_PATH_MAX. */
bool lvm_path_valid(const char *path);

/* The --config text for the members (device paths, each lvm_path_valid) and the LVs to be
 * activated, read-only ("vg/lv", each name lvm_name_valid; NULL or empty for commands that
 * activate nothing: activation/read_only_volume_list then names no LV that can exist, so it is
 * never left unset). malloc'ed; NULL on OOM or when a member or LV is not valid. */
char *lvm_config(char *const *members, char *const *ro_lvs);

/* Reads an `lvm lvs --noheadings --segments --separator '|' -o LVM_REPORT_FIELDS` report.
 * Segments of one LV (consecutive lines or not) are merged; each LV gets its verdict (why ==
 * NULL: it may be activated). Lines that are not four fields with valid names and a 10-character
 * attribute are counted in dropped. 0 or -ENOMEM. */
int lvm_report_parse(const char *text, size_t len, struct lvm_report *ret);

/* Why an LV with this lv_attr and segment type is not activated, or NULL when it may be. */
const char *lvm_lv_refusal(const char *attr, const char *segtype);

/* The device-mapper name LVM gives an LV: "vg-lv", each '-' inside a name doubled
 * ("vg-a", "lv-b" -> "vg--a-lv--b"; mapname_lvm_split() is the inverse). malloc'ed; NULL when
 * a name is not valid, or on OOM. */
char *lvm_dm_name(const char *vg, const char *lv);
