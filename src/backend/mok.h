/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Machine Owner Key (MOK) enrolment requests, as `mokutil --import` writes them, and the
 * certificates a user can enrol: a distribution's own shim's vendor certificate, or a .der/.cer
 * file. Pure (OpenSSL's libcrypto for SHA-512 and X.509 parsing); the efivarfs writes are in
 * mok-efi.c.
 *
 * The request is two UEFI variables of shim's vendor GUID (MOK_GUID), attributes
 * NON_VOLATILE|BOOTSERVICE_ACCESS|RUNTIME_ACCESS:
 *  - MokNew: EFI_SIGNATURE_LISTs, one per certificate, each of type EFI_CERT_X509_GUID with one
 *    EFI_SIGNATURE_DATA (owner: MOK_GUID) holding the DER certificate; a new certificate goes in
 *    front of a request already pending (mokutil's order);
 *  - MokAuth: the password, as mokutil 0.6 writes it: shim's PASSWORD_CRYPT (packed: u16 method
 *    = 4 (SHA-512 crypt), u64 rounds, u16 salt size, salt[32], hash[128]) with the raw 64-byte
 *    SHA-512-crypt digest of the password (glibc's "$6$" algorithm, before its base-64 step),
 *    which MokManager recomputes from the password typed at its prompt. (MokManager also accepts
 *    the older 32-byte form, SHA-256 of MokNew followed by the UCS-2 password, which mokutil no
 *    longer writes.)
 * At the next boot shim sees MokNew and starts MokManager, which shows the key and enrols it
 * only when the user confirms and types the password: nothing is trusted without that. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MOK_GUID "605dab50-e046-4300-abb6-3dd810dd8b23"
/* EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS */
#define MOK_VAR_ATTRS 0x7u

/* sizeof(PASSWORD_CRYPT) in shim and mokutil. */
#define MOK_AUTH_SIZE 172
/* mokutil's and MokManager's password bounds (characters). */
#define MOK_PASSWORD_MIN 1
#define MOK_PASSWORD_MAX 256
/* Salt characters (SHA-512 crypt uses at most 16) and rounds (crypt's default). */
#define MOK_SALT_LEN     16
#define MOK_CRYPT_ROUNDS 5000
/* The largest certificate accepted (distribution CAs are about 1 KiB; NVRAM is small). */
#define MOK_CERT_MAX 16384
/* The largest MokNew written (a pending request plus the new certificate). */
#define MOK_NEW_MAX 65536

/* A password MokManager can check: 1..256 characters, printable ASCII only (MokManager turns the
 * characters typed at its prompt into bytes by dropping their high byte, and the firmware's
 * keyboard is not the menu's: only plain ASCII means the same there). 0 or -EINVAL. */
int mok_password_check(const char *password);

/* The salt characters (crypt's "./0-9A-Za-z") from n random bytes: salt gets n characters and a
 * NUL (n <= MOK_SALT_LEN). */
void mok_salt_from_random(const uint8_t *random, size_t n, char *salt);

/* The raw SHA-512-crypt digest (64 bytes) of password with salt (at most 16 characters used, as
 * crypt does) and rounds: what shim's password_crypt() computes. 0 or -ENOMEM. */
int mok_sha512_crypt(const char *password, const char *salt, unsigned rounds, uint8_t out[64]);

/* MokAuth's payload (MOK_AUTH_SIZE bytes) for password, salt and rounds. 0, -EINVAL (a password
 * mok_password_check() refuses, a salt longer than 16), -ENOMEM. */
int mok_auth_payload(const char *password, const char *salt, unsigned rounds,
                     uint8_t out[MOK_AUTH_SIZE]);

/* MokNew's payload: cert (DER) in an EFI_SIGNATURE_LIST, followed by the request already pending
 * (old, old_len: NULL, 0 for none). Returns 0, or 1 when old already holds cert (*ret is then a
 * copy of old), -EINVAL (an empty or too large cert, a malformed old request), -EFBIG (beyond
 * MOK_NEW_MAX), -ENOMEM. *ret malloc'ed. */
int mok_new_payload(const uint8_t *cert, size_t cert_len, const uint8_t *old, size_t old_len,
                    uint8_t **ret, size_t *ret_len);

/* The X.509 certificates of a MokNew/MokList-style EFI_SIGNATURE_LIST sequence: calls fn for each
 * DER certificate (others are skipped). 0, or -EINVAL when a list runs past the end; fn's
 * negative return stops the walk and is returned. */
int mok_siglist_foreach(const uint8_t *data, size_t len,
                        int (*fn)(const uint8_t *der, size_t len, void *ud), void *ud);

/* The contents of an efivarfs file: the 4-byte attributes (little-endian) and the payload. */
int mok_efivar_data(uint32_t attrs, const uint8_t *payload, size_t len, uint8_t **ret,
                    size_t *ret_len);

/* ---- certificates ---- */

struct mok_cert {
        uint8_t *der;
        size_t der_len;
        char *subject;    /* the subject's CN (else the whole subject, one line) */
        char *issuer;     /* the issuer's CN (else the whole issuer) */
        char sha256[65];  /* fingerprint of the DER, hex */
        uint8_t skid[64]; /* its subjectKeyIdentifier (what a signer's authority key id names) */
        size_t skid_len;  /* 0: none */
        char *origin;     /* where it was found, for the user ("sda1:/EFI/debian/shimx64.efi") */
        char *distro;     /* the ESP directory name ("debian"), or NULL for a user's file */
};

void mok_cert_done(struct mok_cert *c);

/* Parses a certificate file: DER, or PEM (its first CERTIFICATE block). At most MOK_CERT_MAX
 * bytes of DER. 0, -EINVAL (not a certificate), -ENOMEM. origin may be NULL. */
int mok_cert_parse(const uint8_t *data, size_t len, const char *origin, struct mok_cert *ret);

struct mok_cert_list {
        struct mok_cert *items;
        size_t n, cap;
};

void mok_cert_list_done(struct mok_cert_list *l);
/* Appends c (moved: *c is emptied) unless a certificate with the same DER is there already
 * (then c is freed): 1 added, 0 duplicate, -ENOMEM. At most 64 certificates (-E2BIG). */
int mok_cert_list_add(struct mok_cert_list *l, struct mok_cert *c);

/* The vendor certificates built into a shim binary (untrusted PE bytes, bounded): its
 * .vendor_cert section (named through the COFF string table, "/NN", as GNU ld writes it, or
 * ".vendor_" truncated) starts with shim's struct cert_table { u32 authorized_size,
 * deauthorized_size, authorized_offset, deauthorized_offset } (offsets from the section's start);
 * the authorized part is one DER certificate, or an EFI_SIGNATURE_LIST sequence (shim built with
 * VENDOR_DB_FILE). fn is called for each DER certificate. 0 when certificates were found,
 * -ENOENT (no .vendor_cert or an empty one), -EINVAL (malformed), or fn's negative return. */
int mok_shim_vendor_certs(const uint8_t *pe, size_t len,
                          int (*fn)(const uint8_t *der, size_t len, void *ud), void *ud);
