/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The names the menu shows for mapped and assembled devices (issue 12; pure):
 *
 *   dm-crypt  "luks-<UUID>", as systemd-cryptsetup names a volume found by rd.luks.uuid=
 *             (cryptsetup's dm UUID: CRYPT-LUKS2-<32 hex>-<name>)
 *   LVM       "vg/lv" from the dm name "vg-lv", where a `-` inside a name is doubled:
 *             "vg--a-lv--b" is "vg-a/lv-b"; a layer ("-real", "-cow", "-tpool") is shown
 *             after the LV in parentheses (dm UUID: LVM-<VG UUID><LV UUID>[-layer])
 *   md        "md127 (host:root)": the kernel name and the array's name from its superblock
 *             (libblkid's LABEL of a member, mdadm's MD_NAME), "md127" without one */
#pragma once

#include <stdbool.h>

#define MAPNAME_UUID_LEN 36 /* 8-4-4-4-12 */

/* A UUID as LUKS headers hold it: hex digits and `-`, 1..64 bytes (what a mapping name and a
 * crypttab line may carry). */
bool mapname_uuid_valid(const char *u);

/* "luks-<uuid>" (malloc'ed), or NULL when uuid is not a plain UUID (hex digits and `-`, 1..64
 * bytes) or on OOM. */
char *mapname_luks(const char *uuid);

/* Splits an LVM dm name ("vg--a-lv--b-real", a leading "/dev/mapper/" allowed) into its VG, LV
 * and layer (NULL when none), each unescaped and malloc'ed. -EINVAL when the name has no
 * VG-LV separator (or an empty VG or LV), -ENOMEM. */
int mapname_lvm_split(const char *dm_name, char **ret_vg, char **ret_lv, char **ret_layer);

/* The name a device-mapper device is shown by, from its dm name and dm UUID (either may be
 * NULL: /sys/block/dm-N/dm/name and dm/uuid): "vg/lv" for LVM (dm UUID "LVM-…"), the dm name
 * for the rest (dm-crypt mappings are already named luks-<UUID> or by their crypttab). NULL when
 * there is no name, or on OOM. malloc'ed. */
char *mapname_dm_display(const char *dm_name, const char *dm_uuid);

/* The LUKS UUID a cryptsetup mapping was opened from, from its dm UUID
 * ("CRYPT-LUKS2-2505567a9e274efea4d515ad146c258b-luks-…"), as 8-4-4-4-12 in buf. false when
 * the dm UUID is not one of a LUKS mapping. */
bool mapname_crypt_uuid(const char *dm_uuid, char buf[MAPNAME_UUID_LEN + 1]);

/* "md127 (host:root)", or "md127" when name is NULL or empty; a name with a control character
 * is left out. NULL for an empty kernel name or on OOM. malloc'ed. */
char *mapname_md_display(const char *kname, const char *name);
