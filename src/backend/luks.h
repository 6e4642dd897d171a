/* SPDX-License-Identifier: GPL-2.0-or-later */
/* LUKS headers, read for one question: does this volume unlock with a key sealed to the TPM (a
 * systemd-tpm2 token, from systemd-cryptenroll --tpm2-device)? Such a key is sealed against the
 * PCRs of the firmware's boot chain; after kexec they hold this menu's chain, so the key will not
 * unseal and systemd asks for the recovery key or a passphrase. Pure and bounded: the header
 * comes from an untrusted disk.
 *
 * LUKS2 on disk (cryptsetup's docs/on-disk-format-luks2.pdf): a 4096-byte binary header (magic
 * "LUKS\xba\xbe", u16 version 2, u64 hdr_size big-endian at 8, uuid[40] at 168) followed by a
 * NUL-terminated JSON area of hdr_size - 4096 bytes, whose "tokens" object holds the tokens, each
 * an object with a "type". */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LUKS_BIN_HEADER 4096
/* The largest LUKS2 header (binary + JSON) cryptsetup writes: 4 MiB. */
#define LUKS2_HDR_MAX (4u << 20)
/* JSON nesting and the tokens looked at (LUKS2 has at most 32). */
#define LUKS_JSON_DEPTH_MAX 32
#define LUKS_TOKENS_MAX     32

struct luks_info {
        unsigned version; /* 1 or 2 */
        char uuid[41];    /* as stored, NUL-terminated, printable ASCII only */
        unsigned tokens;  /* tokens in the header (LUKS2) */
        bool tpm2;        /* a token of type "systemd-tpm2" */
};

/* From the first bytes of a volume (at least 4096): how many bytes the whole header takes
 * (4096 for LUKS1, hdr_size for LUKS2, bounded by LUKS2_HDR_MAX). 0, or -EINVAL (not LUKS, or a
 * LUKS2 hdr_size that is not one cryptsetup writes). */
int luks_header_size(const uint8_t *data, size_t len, size_t *ret);

/* Parses a header read whole (len >= luks_header_size()). 0, or -EINVAL (not LUKS). A JSON area
 * that is not valid JSON, too deep or not NUL-terminated gives 0 with no tokens. */
int luks_parse(const uint8_t *data, size_t len, struct luks_info *ret);

/* Whether a kernel command line names the LUKS volume uuid: rd.luks.uuid=[luks-]U,
 * luks.uuid=[luks-]U, rd.luks.name=U=…, luks.name=U=…, cryptdevice=UUID=U:…,
 * root=/dev/mapper/luks-U (UUIDs compared without case). */
bool luks_cmdline_names(const char *cmdline, const char *uuid);

/* The name systemd gives the mapping of a LUKS volume, "luks-<uuid>" (systemd-cryptsetup,
 * /dev/mapper/luks-<uuid>), or NULL when uuid is empty, longer than 40 bytes or holds anything
 * but letters, digits and '-' (a name from an untrusted header must not leave /dev/mapper).
 * Allocated. */
char *luks_mapping_name(const char *uuid);
