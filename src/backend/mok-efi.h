/* SPDX-License-Identifier: GPL-2.0-or-later */
/* MOK enrolment on this machine: the certificates there are to enrol (the vendor certificates of
 * the distributions' own shims on their ESPs, and the files in /keys on the stick's filesystem),
 * and the request written to the UEFI variables through efivarfs (the payloads are mok.c's). */
#pragma once

#include "backend.h"
#include "mok.h"

#define MOK_EFIVARS_DIR "/sys/firmware/efi/efivars"
/* The stick's directory of certificates to offer (on the filesystem of kexec-loader.conf). */
#define MOK_KEYS_DIR "/keys"
/* The largest shim binary read (Debian's is under 1 MiB). */
#define MOK_SHIM_MAX (16u << 20)

/* Every certificate found: for each vfat filesystem, EFI/<dir>/shimx64.efi's vendor certificates
 * (EFI/BOOT skipped: a fallback copy), then the .der/.cer/.crt/.pem files of MOK_KEYS_DIR on the
 * filesystem that holds the loaded kexec-loader.conf. Files are read inside their filesystem's
 * root (core/fsread.h), read-only; what cannot be read is skipped. 0 or -ENOMEM. */
int mok_efi_find_certs(struct backend *b, struct mok_cert_list *ret);

/* Whether shim started this system (it sets MokListRT): otherwise MokManager will not run. */
bool mok_efi_shim_present(const char *efivars);

/* Writes the request to enrol c with password into efivars (MOK_EFIVARS_DIR; a plain directory in
 * tests): MokNew (c in front of a pending request, which is kept unless malformed) then MokAuth
 * (a fresh random salt); an immutable variable file is made writable first (as chattr -i); when
 * MokAuth fails MokNew is removed again. With dry_run nothing is written. *ret_lines (may be
 * NULL) gets what is (or would be) written, one line each (a strv). 0, or -errno with *ret_error
 * (malloc'ed) saying why. */
int mok_efi_write_request(const char *efivars, const struct mok_cert *c, const char *password,
                          bool dry_run, char ***ret_lines, char **ret_error);

/* Writes one variable file (path in efivarfs) with MOK_VAR_ATTRS (NV|BS|RT) and payload in one
 * write, as efivarfs requires; an immutable file is made writable first (as chattr -i). 0 or
 * -errno. */
int mok_efi_write_var(const char *path, const uint8_t *payload, size_t len);
