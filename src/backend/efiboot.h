/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The firmware's boot options, as UEFI 2.10 §3.1.3 defines them: Boot#### variables holding an
 * EFI_LOAD_OPTION, BootNext (one UINT16 option number for the next boot only) and OsIndications
 * (EFI_OS_INDICATIONS_BOOT_TO_FW_UI: enter firmware setup at the next boot). Pure: encodes and
 * decodes the payloads; the efivarfs writes are elsewhere (mok-efi.c's pattern).
 *
 * An EFI_LOAD_OPTION is: UINT32 Attributes, UINT16 FilePathListLength, the NUL-terminated UCS-2
 * Description, FilePathListLength bytes of device path, then OptionalData (none written here).
 * The device path written is what efibootmgr writes for a file on a partition (§10.3.5.1,
 * §10.3.5.4, §10.3.1): an HD media node (type 4, subtype 1, 42 bytes: partition number, start
 * and size in logical blocks, signature, partition format, signature type), a FilePath media
 * node (type 4, subtype 4: the UCS-2 path with backslashes, NUL-terminated), and the
 * End-Entire node (0x7f, 0xff, 4 bytes). All fields little-endian. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* EFI_GLOBAL_VARIABLE: Boot####, BootOrder, BootNext, OsIndications(Supported). */
#define EFIBOOT_GLOBAL_GUID "8be4df61-93ca-11d2-aa0d-00e098032b8c"
/* NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS */
#define EFIBOOT_VAR_ATTRS 0x7u
/* LOAD_OPTION_ACTIVE */
#define EFIBOOT_LOAD_OPTION_ACTIVE 0x1u
/* EFI_OS_INDICATIONS_BOOT_TO_FW_UI (§8.5.4) */
#define EFIBOOT_OS_INDICATIONS_BOOT_TO_FW_UI 0x1ull

/* The HD node's partition format and signature type. */
enum efiboot_part_format { EFIBOOT_FORMAT_MBR = 1, EFIBOOT_FORMAT_GPT = 2 };
enum efiboot_sig_type { EFIBOOT_SIG_NONE = 0, EFIBOOT_SIG_MBR = 1, EFIBOOT_SIG_GUID = 2 };

/* Bounds: a description and a path longer than these are refused (written) or make the option
 * not match anything (read); the largest Boot#### payload read. */
#define EFIBOOT_DESC_MAX   128
#define EFIBOOT_PATH_MAX   512
#define EFIBOOT_OPTION_MAX 65536

struct efiboot_hd {
        uint32_t partition; /* 1-based */
        uint64_t start;     /* logical blocks */
        uint64_t size;
        uint8_t signature[16]; /* GPT: the partition GUID as stored (mixed-endian); MBR: the disk
                                * signature (UINT32 little-endian) in the first 4 bytes */
        uint8_t format;        /* enum efiboot_part_format */
        uint8_t sig_type;      /* enum efiboot_sig_type */
};

struct efiboot_option {
        uint32_t attributes;
        char description[EFIBOOT_DESC_MAX * 3 + 1]; /* UTF-8 */
        bool has_hd;                                /* decoded: an HD node was found */
        struct efiboot_hd hd;
        char path[EFIBOOT_PATH_MAX + 1]; /* UTF-8, backslashes; "" when the path has no file */
};

/* The payload of a Boot#### variable for o (o->has_hd must be set; the path gets backslashes
 * for slashes and a leading backslash). 0, -EINVAL (no HD, an empty or too long path or
 * description, invalid UTF-8), -ENOMEM. *ret malloc'ed. */
int efiboot_encode(const struct efiboot_option *o, uint8_t **ret, size_t *ret_len);

/* Decodes a Boot#### payload (untrusted: any bytes). The HD node is the first one in the first
 * device path instance, the path the FilePath nodes that follow it joined. 0 or -EINVAL. */
int efiboot_decode(const uint8_t *data, size_t len, struct efiboot_option *o);

/* Whether two options start the same file: same partition (by signature, or by partition
 * number, start and size when there is no signature) and the same path, compared without regard
 * to ASCII case or to / against \. */
bool efiboot_same_target(const struct efiboot_option *a, const struct efiboot_option *b);

/* The option number of an efivarfs name "Boot####-<EFI_GLOBAL_VARIABLE>" (four upper-case hex
 * digits, as the spec requires), or -EINVAL. */
int efiboot_name_number(const char *name);

/* An existing Boot#### option: its number and payload. */
struct efiboot_existing {
        uint16_t number;
        const uint8_t *data;
        size_t len;
};

/* The number of the first existing option starting the same file as want, or -ENOENT. */
int efiboot_find(const struct efiboot_existing *opts, size_t n, const struct efiboot_option *want);

/* The lowest number no existing option uses, or -ENOSPC. */
int efiboot_free_number(const struct efiboot_existing *opts, size_t n);

/* BootNext's payload: the option number, UINT16 little-endian. */
void efiboot_bootnext(uint16_t number, uint8_t out[2]);

/* OsIndications' payload (UINT64 little-endian) asking for firmware setup: the current value
 * (cur, cur_len: NULL, 0 when the variable does not exist) with BOOT_TO_FW_UI added. 0, or
 * -EOPNOTSUPP when OsIndicationsSupported (supported, 8 bytes) lacks the bit, -EINVAL when
 * either is malformed. */
int efiboot_os_indications(const uint8_t *supported, size_t supported_len, const uint8_t *cur,
                           size_t cur_len, uint8_t out[8]);

/* The HD node of partition number partno (1-based), start and size in logical blocks, from its
 * PARTUUID as libblkid reports it: a GPT partition GUID ("12345678-9abc-def0-1122-334455667788",
 * any case: stored mixed-endian, GPT format) or an MBR one ("SSSSSSSS-NN": the disk signature,
 * MBR format). 0, or -EINVAL for anything else. */
int efiboot_hd_from_partuuid(const char *partuuid, uint32_t partno, uint64_t start, uint64_t size,
                             struct efiboot_hd *ret);

/* o's device path as efibootmgr -v shows it: "HD(1,GPT,<guid>,0x800,0x32000)/File(\EFI\x.efi)"
 * (HD(1,MBR,0x<signature>,…) for MBR). At least EFIBOOT_TEXT_MAX bytes in buf. */
#define EFIBOOT_TEXT_MAX (EFIBOOT_PATH_MAX * 3 + 128)
void efiboot_option_text(const struct efiboot_option *o, char *buf, size_t size);

/* Whether OsIndicationsSupported's payload (UINT64 little-endian) offers BOOT_TO_FW_UI. */
bool efiboot_fw_ui_supported(const uint8_t *supported, size_t len);
