/* SPDX-License-Identifier: GPL-2.0-or-later */
/* LVM volume groups activated read-only by LVM's own tool, lvm(8), run as a child process
 * (the hardware half; the --config text and the report are lvm.h's):
 *
 *   1. every member (a device libblkid calls LVM2_member) is set read-only with BLKROSET;
 *   2. `lvm lvs --segments` lists the LVs of the members' VGs (reading only);
 *   3. `lvm lvchange -ay` activates the plain (linear, striped) LVs that are not active yet,
 *      each one named in activation/read_only_volume_list, so their tables are read-only;
 *      libdevmapper creates the /dev/mapper nodes itself (no udev), no dmeventd;
 *   4. each LV's block device is checked read-only (BLKROGET; BLKROSET if not).
 *
 * Every command gets global/metadata_read_only=1, backup/backup=0, backup/archive=0,
 * --nolocking and a device filter that admits the members only (lvm_config()); its environment
 * has LVM_SYSTEM_DIR pointing to a folder without lvm.conf, so no lvm.conf of the host, and no
 * profile, changes that. LVM writes nothing: no metadata, no backup, no archive, no lock file. */
#pragma once

#include <stdbool.h>

/* How long one lvm command may run. */
#define LVM_TIMEOUT_S 60
/* The most of its output read. */
#define LVM_OUTPUT_MAX (1u << 20)

/* The lvm binary: $KEXEC_LOADER_LVM when set (tests), else /sbin/lvm, /usr/sbin/lvm; NULL when
 * there is none. */
const char *lvm_binary(void);

/* Activates read-only the LVs of the VGs on the members (device paths), as above. The LVs it
 * activated ("vg/lv") are appended to *active; LVs active already are left as they are (and not
 * appended); the others are logged with the reason they stay inactive. Returns how many were
 * activated, -ENOENT without an lvm binary, -EINVAL when no member can go into a filter, or
 * another -errno (*ret_error then says what failed; may be NULL). */
int lvm_activate(char *const *members, char ***active, char **ret_error);

/* Deactivates the LVs ("vg/lv") with `lvm lvchange -an` (the same configuration; members are
 * the devices the filter admits). 0 or -errno (logged). */
int lvm_deactivate(char *const *members, char *const *lvs);
