/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PE/COFF image signatures (Authenticode) and the kernel's trust in them, before kexec.
 *
 * Under lockdown (Secure Boot), kexec_file_load(2) checks the kernel image's PE signature the way
 * verify_pefile_signature() and pkcs7_validate_trust() do (crypto/asymmetric_keys/): the optional
 * header's certificate table (data directory 4) holds WIN_CERTIFICATE entries; the kernel reads
 * the FIRST one only (revision 2.0, type PKCS_SIGNED_DATA), a PKCS#7 SignedData whose signer
 * certificate, or a certificate of the chain the message carries, or the issuer named by the
 * chain's last certificate (its authority key id), must be a key of the trusted keyrings
 * (.builtin_trusted_keys, .secondary_trusted_keys with .machine = MOK, then .platform = UEFI db +
 * MOK). This module reads what it needs of an image (the headers and the certificate table, a few
 * KB; never the whole file) and predicts the kernel's answer from key identifiers, so the menu can
 * say before Enter which kernels will be refused and why.
 *
 * Pure (kl-pure): the file comes as an fd (opened by the caller through core/fsread.h, a regular
 * file inside the filesystem's root) or as a buffer; the trusted keys come as the text of
 * /proc/keys. PKCS#7 and X.509 are parsed with OpenSSL's libcrypto. Every offset and size of the
 * image is checked against the file; the certificate table is read up to PESIG_TABLE_MAX bytes.
 *
 * What the prediction cannot see: whether the image's digest matches the signed one (that needs
 * the whole file: a tampered image is refused at load time with EKEYREJECTED), keys matched only by
 * issuer and serial number (/proc/keys shows subject and key id), revoked hashes (dbx). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PESIG_TABLE_MAX (256u * 1024) /* the certificate table read at most */
#define PESIG_SIGS_MAX  8             /* signatures of one table listed */
#define PESIG_CERTS_MAX 16            /* certificates of one signature listed */
#define PESIG_KEYID_MAX 64            /* bytes of a key identifier kept */
#define PESIG_NAME_MAX  256           /* bytes of a name kept */

/* What the image is, signature-wise. */
enum pesig_state {
        PESIG_NOT_PE,    /* no PE/COFF headers: a bzImage without EFI stub, ELF, multiboot */
        PESIG_UNSIGNED,  /* a PE image with no certificate table */
        PESIG_MALFORMED, /* a certificate table the kernel cannot use (why says what) */
        PESIG_SIGNED,    /* at least the first signature was read */
};

struct pesig_keyid {
        size_t len; /* 0: none */
        unsigned char id[PESIG_KEYID_MAX];
};

/* One X.509 certificate of a PKCS#7 message. Names are the commonName (else organizationName,
 * else the one-line name), control characters replaced with '?'. */
struct pesig_cert {
        char *subject;
        char *issuer;
        struct pesig_keyid skid; /* subjectKeyIdentifier */
        struct pesig_keyid akid; /* authorityKeyIdentifier's keyIdentifier */
        int issued_by;           /* index of the certificate that issued this one, or -1 */
        bool self_signed;        /* issuer name == subject name */
};

/* One WIN_CERTIFICATE of the table (PKCS#7 SignedData, Authenticode). */
struct pesig_signature {
        struct pesig_cert *certs; /* the certificates the message carries (at most CERTS_MAX) */
        size_t n_certs;
        int signer;          /* index in certs of the first signer's certificate, or -1 */
        char *signer_issuer; /* the first SignerInfo's issuer name (from issuerAndSerialNumber) */
};

struct pesig_info {
        enum pesig_state state;
        char *why; /* NOT_PE, MALFORMED: what is wrong ("the certificate table lies past…") */
        struct pesig_signature *sigs; /* SIGNED: in table order; sigs[0] is the one the kernel
                                         checks */
        size_t n_sigs;
};

/* Reads len bytes at offset into buf: 0, or -errno. */
typedef int (*pesig_read_fn)(void *userdata, uint64_t offset, void *buf, size_t len);

/* Reads the signature state of an image of size bytes through read. Returns 0 with *ret filled
 * (whatever the image holds: hostile input gives NOT_PE or MALFORMED), or -errno when reading
 * failed or memory ran out (*ret then empty). */
int pesig_read(pesig_read_fn read, void *userdata, uint64_t size, struct pesig_info *ret);
/* The same over an open regular file (pread; the file offset is not used). */
int pesig_read_fd(int fd, struct pesig_info *ret);
/* The same over the size bytes at offset of an open regular file: an image inside another file
 * (the .linux section of a unified kernel image). */
int pesig_read_fd_part(int fd, uint64_t offset, uint64_t size, struct pesig_info *ret);
/* The same over an image in memory. */
int pesig_parse(const void *buf, size_t len, struct pesig_info *ret);
void pesig_info_done(struct pesig_info *i);

/* The first signature's signer (subject name of its certificate), or NULL. */
const char *pesig_signer(const struct pesig_info *i);
/* The first signature's signer's issuer (the CA whose certificate enrolment would make the kernel
 * trust the image: what MOK enrolment matches a .cer against), or NULL. */
const char *pesig_signer_issuer(const struct pesig_info *i);
/* The first signature's signer certificate, or NULL. */
const struct pesig_cert *pesig_signer_cert(const struct pesig_info *i);

/* ---- trusted keys ---- */

/* An asymmetric key of the kernel as /proc/keys shows it: "<subject>: <skid hex>". */
struct pesig_key {
        char *name;              /* subject part of the description */
        struct pesig_keyid skid; /* the hex after the last ": " (the subject key id; the serial
                                    number for a certificate without one) */
};

struct pesig_keyset {
        struct pesig_key *keys;
        size_t n;
};

/* Adds a key from its description ("Debian Secure Boot CA: 6ccece7e…"). -EINVAL when there is no
 * hex key id after the last ": ", -ENOMEM. */
int pesig_keyset_add(struct pesig_keyset *s, const char *description);
/* Adds the keys of type asymmetric of the text of /proc/keys; with serials (n_serials > 0), only
 * those whose serial is listed (the content of the trusted keyrings). Returns the number added or
 * -ENOMEM; lines of other formats are skipped. */
int pesig_keyset_add_proc_keys(struct pesig_keyset *s, const char *text, const int32_t *serials,
                               size_t n_serials);
/* The serials of the keyrings of /proc/keys named name (".builtin_trusted_keys", …), in *ret
 * (malloc'ed, *ret_n of them). 0 or -ENOMEM. */
int pesig_proc_keyrings(const char *text, const char *name, int32_t **ret, size_t *ret_n);
void pesig_keyset_done(struct pesig_keyset *s);

/* The key of s through which the kernel would trust signature sig (pkcs7_validate_trust_one:
 * the signer's certificate or one of its chain in the message by key id, then the chain's last
 * certificate's authority key id), or NULL. */
const struct pesig_key *pesig_trusted_by(const struct pesig_signature *sig,
                                         const struct pesig_keyset *s);

/* The prediction for one kernel under lockdown. */
enum pesig_verdict {
        PESIG_VERDICT_OK,        /* signed by a key the kernel trusts */
        PESIG_VERDICT_NOT_PE,    /* "not a signed EFI kernel" */
        PESIG_VERDICT_UNSIGNED,  /* "not signed" */
        PESIG_VERDICT_MALFORMED, /* the signature cannot be read */
        PESIG_VERDICT_UNTRUSTED, /* signed by a key this machine does not trust for kexec */
};

/* The verdict for image i against the trusted keys s; *ret_key (may be NULL) gets the trusting
 * key for PESIG_VERDICT_OK. */
enum pesig_verdict pesig_judge(const struct pesig_info *i, const struct pesig_keyset *s,
                               const struct pesig_key **ret_key);

/* The sentence for a verdict, as the menu shows it next to an entry: "not signed", "signed by
 * Debian Secure Boot Signer 2022 - linux: this machine does not trust that key for kexec", …
 * (malloc'ed; NULL on ENOMEM). For OK: "signed by <signer>". */
char *pesig_verdict_text(enum pesig_verdict v, const struct pesig_info *i);
/* A short name for JSON and the trace: "ok", "not-pe", "unsigned", "malformed", "untrusted". */
const char *pesig_verdict_name(enum pesig_verdict v);
