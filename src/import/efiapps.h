/* SPDX-License-Identifier: GPL-2.0-or-later */
/* EFI applications on an ESP that kexec cannot start but the firmware can (BootNext): Windows
 * Boot Manager, other systems' loaders and EFI tools in \EFI\<vendor>\. Linux's own boot loaders
 * there (shim, GRUB, systemd-boot, the \EFI\BOOT fallback copies, \EFI\Linux's unified kernel
 * images) are not listed: their configurations are read instead. Pure (over struct import_fs). */
#pragma once

#include <stdint.h>

#include "import.h"

/* Bounds: vendor directories looked at, *.efi files per directory, entries per ESP. */
#define EFIAPPS_VENDORS_MAX 64
#define EFIAPPS_FILES_MAX   64
#define EFIAPPS_ENTRIES_MAX 128

/* The PE machine type of the applications this machine's firmware starts (COFF Machine). */
#if defined(__x86_64__)
#define EFIAPPS_MACHINE 0x8664
#elif defined(__aarch64__)
#define EFIAPPS_MACHINE 0xaa64
#elif defined(__i386__)
#define EFIAPPS_MACHINE 0x14c
#else
#define EFIAPPS_MACHINE 0
#endif

/* Whether \EFI\<vendor>\<name> is listed: NULL when it is (*ret_title then its title, a static
 * string, or NULL for "<name> (<vendor>)"), else why not (a static string). Case-insensitive,
 * as FAT is. */
const char *efiapps_classify(const char *vendor, const char *name, const char **ret_title);

/* The entries of the EFI applications under dir ("/EFI") of fs->dev, each one checked to be a PE
 * image for machine (EFIAPPS_MACHINE; 0: not checked) through fs->open. Windows Boot Manager
 * (\EFI\Microsoft\Boot\bootmgfw.efi) first, then the others by vendor and name. */
int efiapps_import_machine(const struct import_fs *fs, const char *dir, uint16_t machine,
                           struct import_result *ret);
