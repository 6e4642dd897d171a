/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unlocking LUKS1 and LUKS2 volumes read-only with libcryptsetup (the reference implementation
 * of LUKS key derivation, argon2 and PBKDF2, and of the dm-crypt table). What is written:
 * nothing on any disk. The backing device is set read-only (BLKROSET) before libcryptsetup opens
 * it, the header is only loaded (never formatted, repaired, converted; no keyslot or token is
 * added or changed), and the dm-crypt mapping is activated with CRYPT_ACTIVATE_READONLY, so its
 * table is read-only, and its node is set read-only too. The mapping is named as systemd names
 * it, "luks-<UUID>" (/dev/mapper/luks-<UUID>, /sys/class/block/dm-N). libcryptsetup keeps its
 * lock files in /run/cryptsetup (a tmpfs). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Whether the kernel has device-mapper (/dev/mapper/control opens). dm-crypt itself is loaded on
 * demand by the kernel (request_module) when a mapping is made. */
bool luks_dm_available(void);

/* Unlocks dev (a block device, or a regular file: libcryptsetup attaches a loop device) with a
 * passphrase of len bytes. On success returns the keyslot (>= 0) and the mapped device
 * ("/dev/mapper/luks-<UUID>") in *ret_mapped_dev; a mapping of that name already active is
 * returned as it is (the keyslot is then 0). Errors: -EPERM the passphrase opens no keyslot,
 * -EINVAL not a LUKS volume, -ENODEV no device-mapper in the kernel, or libcryptsetup's -errno;
 * *ret_error (optional) gets a message for the screen. */
int luks_unlock(const char *dev, const char *passphrase, size_t len, char **ret_mapped_dev,
                char **ret_error);

/* Deactivates a mapping made by luks_unlock() ("luks-<UUID>" or "/dev/mapper/luks-<UUID>"); the
 * kernel wipes the key. 0, -ENODEV when no such mapping is active, or -errno (-EBUSY: mounted). */
int luks_lock(const char *name);
