/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Booting through the firmware on this machine: BootNext (and a Boot#### option for the file
 * when none exists) or OsIndications, written through efivarfs (the payloads are efiboot.c's,
 * the writes mok-efi.c's). Nothing is written to any disk. */
#pragma once

#include <stdbool.h>

#include "efiboot.h"

/* Sets BootNext to the option starting target (its HD node and path; description used only for
 * a new option): an existing Boot#### option for the same partition and file is reused,
 * otherwise one is created at the lowest free number (not added to BootOrder: the machine's
 * order is left as it was). With dry_run nothing is written. *ret_lines (may be NULL) gets what
 * is (or would be) written, one line each (a strv). 0, or -errno with *ret_error (malloc'ed)
 * saying why. */
int efiboot_efi_boot_next(const char *efivars, const struct efiboot_option *target, bool dry_run,
                          char ***ret_lines, char **ret_error);

/* Asks for the firmware's setup at the next boot: OsIndications |= BOOT_TO_FW_UI, when
 * OsIndicationsSupported has it. dry_run, ret_lines, ret_error as above. */
int efiboot_efi_firmware_setup(const char *efivars, bool dry_run, char ***ret_lines,
                               char **ret_error);
