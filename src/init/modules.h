/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel modules through libkmod: coldplug (every modalias under /sys/devices, then evdev), the
 * modules that uevents of new devices ask for, and a minimal modprobe for the kernel's
 * request_module() (/sbin/modprobe -> /init). Dependencies and softdeps come from the module
 * tree's indexes (depmod) and /etc/modprobe.d, as with modprobe. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct modules;

/* Opens the module tree of the running kernel (/lib/modules/`uname -r`) and maps its indexes.
 * Returns 0, -ENOENT when there is no tree, or -errno. */
int modules_init(struct modules **ret);
/* The same for the tree in dirname (NULL: the running kernel's); for tests. */
int modules_init_at(const char *dirname, struct modules **ret);
void modules_free(struct modules *m);

/* Honour "blacklist" lines of the configuration for module names too, not only for aliases
 * (modprobe -b). */
void modules_set_use_blacklist(struct modules *m, bool b);

/* Loads every module that the alias or module name resolves to, with their dependencies and
 * softdeps; each module loaded is logged. A module already loaded or built in counts as success.
 * Returns the number of modules newly loaded (0 or more); -ENOENT when the name resolves to no
 * module; -ENODEV when every module refused to load for lack of a device (crc32c-intel without
 * SSE4.2); another -errno when loading failed. */
int modules_load_alias(struct modules *m, const char *modalias_or_name);

/* The distinct modalias values below sysroot/devices (sysroot: "/sys"), in the order found,
 * without following symbolic links. Returns 0 or -errno. */
int modules_scan_aliases(const char *sysroot, char ***ret);

/* Loads the modules for every device present: each modalias below sysroot/devices, then "evdev"
 * by name; again (at most three passes) while a pass loaded something, for devices created
 * synchronously by the drivers just loaded. Devices that come later arrive as uevents. Returns the
 * number of modules loaded or -errno. */
int modules_coldplug(struct modules *m, const char *sysroot);

/* One message from a NETLINK_KOBJECT_UEVENT socket: for ACTION=add with a MODALIAS, loads it.
 * Returns the number of modules loaded (0 for messages that ask for nothing), or -errno when
 * loading failed. */
int modules_handle_uevent(struct modules *m, const char *buf, size_t len);

/* The modules of filesystem type (libblkid's TYPE; loadorder_fs_modules()), those not loaded
 * yet: returns how many were loaded now (failures count as none; the mount asks the kernel). */
int modules_load_fs_type(struct modules *m, const char *type);

/* The filesystem on the block device at path (libblkid, superblocks only, read-only): its
 * modules (loadorder.h) are loaded, before the menu mounts it. *ret_type gets libblkid's TYPE
 * (NULL: none found). Returns the number of modules newly loaded, or -errno. */
int modules_load_fs(struct modules *m, const char *path, char **ret_type);

/* The modprobe multi-call (argv[0] "modprobe", as the kernel runs it for request_module():
 * "modprobe -q -- fs-ext4"): -q, -v, -b, -s and -- are understood, other options are ignored;
 * each remaining argument is loaded. Returns the exit status: 0 when everything is loaded. */
int modprobe_main(int argc, char **argv);
