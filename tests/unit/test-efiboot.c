/* SPDX-License-Identifier: GPL-2.0-or-later */
/* EFI load options against byte vectors written by hand from UEFI 2.10 §3.1.3 and §10.3 (the
 * option efibootmgr -c -d DISK -p 1 -L LABEL -l PATH writes: ACTIVE, HD + FilePath + End, no
 * optional data), firmware-style options (full PCI/SATA path before HD, Windows' optional data),
 * matching, free numbers, BootNext, OsIndications, and hostile payloads. */
#include "test.h"

#include <errno.h>
#include <stdlib.h>

#include "backend/efiboot.h"

/* Appends s as UCS-2 little-endian with its NUL. */
static size_t ucs2(uint8_t *p, const char *s)
{
        size_t n = 0;
        for (; *s; s++) {
                p[n++] = (uint8_t) *s;
                p[n++] = 0;
        }
        p[n++] = 0;
        p[n++] = 0;
        return n;
}

/* Partition GUID 12345678-9abc-def0-1122-334455667788 as stored (mixed-endian). */
static const uint8_t guid_stored[16] = {0x78, 0x56, 0x34, 0x12, 0xbc, 0x9a, 0xf0, 0xde,
                                        0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};

#define WIN_PATH "\\EFI\\Microsoft\\Boot\\bootmgfw.efi"
#define WIN_DESC "Windows Boot Manager"

/* HD(1, GPT, 12345678-..., 0x800, 0x32000) */
static const uint8_t hd_node[42] = {
        0x04, 0x01, 0x2a, 0x00,                         /* media, HD, 42 */
        0x01, 0x00, 0x00, 0x00,                         /* partition 1 */
        0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* start 2048 */
        0x00, 0x20, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, /* size 204800 */
        0x78, 0x56, 0x34, 0x12, 0xbc, 0x9a, 0xf0, 0xde,
        0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, /* signature */
        0x02,                                           /* GPT */
        0x02,                                           /* GUID signature */
};

/* The hand-made vector: prefix (full-path nodes) before HD, optional data after End. */
static size_t vector(uint8_t *b, const uint8_t *prefix, size_t prefix_len, const uint8_t *opt,
                     size_t opt_len)
{
        size_t path_bytes = 2 * (strlen(WIN_PATH) + 1);
        size_t list = prefix_len + 42 + 4 + path_bytes + 4;
        size_t n = 0;
        b[n++] = 0x01; /* LOAD_OPTION_ACTIVE */
        b[n++] = 0;
        b[n++] = 0;
        b[n++] = 0;
        b[n++] = (uint8_t) list;
        b[n++] = (uint8_t) (list >> 8);
        n += ucs2(b + n, WIN_DESC);
        if (prefix_len) /* memcpy from NULL is undefined, even for 0 bytes */
                memcpy(b + n, prefix, prefix_len);
        n += prefix_len;
        memcpy(b + n, hd_node, 42);
        n += 42;
        b[n++] = 0x04; /* media, FilePath */
        b[n++] = 0x04;
        b[n++] = (uint8_t) (4 + path_bytes);
        b[n++] = 0;
        n += ucs2(b + n, WIN_PATH);
        b[n++] = 0x7f; /* End Entire */
        b[n++] = 0xff;
        b[n++] = 0x04;
        b[n++] = 0x00;
        if (opt_len)
                memcpy(b + n, opt, opt_len);
        return n + opt_len;
}

static struct efiboot_option win_option(void)
{
        struct efiboot_option o = {.attributes = EFIBOOT_LOAD_OPTION_ACTIVE, .has_hd = true};
        strcpy(o.description, WIN_DESC);
        strcpy(o.path, "/EFI/Microsoft/Boot/bootmgfw.efi"); /* slashes and no leading one */
        o.hd = (struct efiboot_hd){.partition = 1,
                                   .start = 2048,
                                   .size = 204800,
                                   .format = EFIBOOT_FORMAT_GPT,
                                   .sig_type = EFIBOOT_SIG_GUID};
        memcpy(o.hd.signature, guid_stored, 16);
        return o;
}

TEST(encode_matches_hand_vector)
{
        uint8_t want[512];
        size_t want_len = vector(want, NULL, 0, NULL, 0);
        CHECK_INTEQ(want_len, 6 + 42 + 116); /* counted by hand: FilePathListLength 0x74 */
        CHECK_INTEQ(want[4], 0x74);

        struct efiboot_option o = win_option();
        uint8_t *got;
        size_t got_len;
        CHECK_INTEQ(efiboot_encode(&o, &got, &got_len), 0);
        CHECK_INTEQ(got_len, want_len);
        CHECK(got_len == want_len && memcmp(got, want, want_len) == 0);

        /* and back */
        struct efiboot_option d;
        CHECK_INTEQ(efiboot_decode(got, got_len, &d), 0);
        CHECK_INTEQ(d.attributes, 1);
        CHECK_STREQ(d.description, WIN_DESC);
        CHECK_STREQ(d.path, WIN_PATH);
        CHECK(d.has_hd);
        CHECK_INTEQ(d.hd.partition, 1);
        CHECK_INTEQ(d.hd.start, 2048);
        CHECK_INTEQ(d.hd.size, 204800);
        CHECK_INTEQ(d.hd.format, 2);
        CHECK_INTEQ(d.hd.sig_type, 2);
        CHECK(memcmp(d.hd.signature, guid_stored, 16) == 0);
        CHECK(efiboot_same_target(&d, &o));
        free(got);
}

TEST(encode_refuses)
{
        struct efiboot_option o = win_option();
        uint8_t *b = NULL;
        size_t n;
        o.has_hd = false;
        CHECK_INTEQ(efiboot_encode(&o, &b, &n), -EINVAL);
        o = win_option();
        o.path[0] = 0;
        CHECK_INTEQ(efiboot_encode(&o, &b, &n), -EINVAL);
        o = win_option();
        strcpy(o.description, "bad \xff utf-8");
        CHECK_INTEQ(efiboot_encode(&o, &b, &n), -EINVAL);
        o = win_option();
        strcpy(o.description, "emoji \xf0\x9f\x98\x80"); /* outside UCS-2 */
        CHECK_INTEQ(efiboot_encode(&o, &b, &n), -EINVAL);
        o = win_option();
        memset(o.path, 'a', EFIBOOT_PATH_MAX);
        o.path[EFIBOOT_PATH_MAX] = 0;
        CHECK_INTEQ(efiboot_encode(&o, &b, &n), -EINVAL); /* the leading \ makes it one too many */
        o.path[0] = '\\';
        CHECK_INTEQ(efiboot_encode(&o, &b, &n), 0);
        free(b);
}

TEST(decode_firmware_style)
{
        /* PciRoot(0x0)/Pci(0x1f,0x2)/Sata(0,0xffff,0) before HD, as firmware writes, and Windows'
         * optional data after the End node. */
        static const uint8_t prefix[] = {0x02, 0x01, 0x0c, 0x00, 0xd0, 0x41, 0x03, 0x0a, 0x00, 0x00,
                                         0x00, 0x00, 0x01, 0x01, 0x06, 0x00, 0x02, 0x1f, 0x03, 0x12,
                                         0x0a, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00};
        static const uint8_t opt[] = {'W', 'I', 'N', 'D', 'O', 'W', 'S', 0, 1, 0, 0, 0, 0x88};
        uint8_t b[512];
        size_t n = vector(b, prefix, sizeof(prefix), opt, sizeof(opt));
        struct efiboot_option d;
        CHECK_INTEQ(efiboot_decode(b, n, &d), 0);
        CHECK(d.has_hd);
        CHECK_STREQ(d.path, WIN_PATH);
        struct efiboot_option w = win_option();
        CHECK(efiboot_same_target(&d, &w));

        /* the path split over two FilePath nodes (allowed by §10.3.5.4) */
        uint8_t s[256];
        size_t k = 0;
        memcpy(s, b, 6);
        k = 6 + ucs2(s + 6, "x");
        memcpy(s + k, hd_node, 42);
        k += 42;
        size_t l0 = k;
        s[k++] = 4, s[k++] = 4, s[k++] = 4 + 2 * 5, s[k++] = 0;
        k += ucs2(s + k, "\\EFI");
        s[k++] = 4, s[k++] = 4, s[k++] = 4 + 2 * 9, s[k++] = 0;
        k += ucs2(s + k, "BOOT.EFI");
        s[k++] = 0x7f, s[k++] = 0xff, s[k++] = 4, s[k++] = 0;
        size_t list = k - (6 + 4);
        s[4] = (uint8_t) list, s[5] = 0;
        (void) l0;
        CHECK_INTEQ(efiboot_decode(s, k, &d), 0);
        CHECK_STREQ(d.path, "\\EFI\\BOOT.EFI");
        CHECK_STREQ(d.description, "x");
}

TEST(same_target_rules)
{
        struct efiboot_option a = win_option(), b = win_option();
        strcpy(b.path, "\\efi\\MICROSOFT\\boot\\BOOTMGFW.EFI");
        b.hd.start = 4096; /* GPT: the signature decides */
        CHECK(efiboot_same_target(&a, &b));
        strcpy(b.path, "\\EFI\\Microsoft\\Boot\\bootmgr.efi");
        CHECK(!efiboot_same_target(&a, &b));
        b = win_option();
        b.hd.signature[15] ^= 1;
        CHECK(!efiboot_same_target(&a, &b));
        /* MBR: disk signature and partition number */
        a.hd.format = b.hd.format = EFIBOOT_FORMAT_MBR;
        a.hd.sig_type = b.hd.sig_type = EFIBOOT_SIG_MBR;
        memset(a.hd.signature, 0, 16);
        memset(b.hd.signature, 0, 16);
        memcpy(a.hd.signature, "\x78\x56\x34\x12", 4);
        memcpy(b.hd.signature, "\x78\x56\x34\x12", 4);
        CHECK(efiboot_same_target(&a, &b));
        b.hd.partition = 2;
        CHECK(!efiboot_same_target(&a, &b));
        /* no HD (a short-form file-only path): never the same */
        b = a;
        b.has_hd = false;
        CHECK(!efiboot_same_target(&a, &b));
}

TEST(find_and_free_number)
{
        struct efiboot_option w = win_option(), other = win_option();
        strcpy(other.path, "\\EFI\\debian\\shimx64.efi");
        uint8_t *bw, *bo;
        size_t nw, no;
        CHECK_INTEQ(efiboot_encode(&w, &bw, &nw), 0);
        CHECK_INTEQ(efiboot_encode(&other, &bo, &no), 0);
        static const uint8_t junk[] = {1, 2, 3};
        struct efiboot_existing ex[] = {
                {0x0000, junk, sizeof(junk)}, {0x0001, bo, no}, {0x0003, bw, nw}};
        CHECK_INTEQ(efiboot_find(ex, 3, &w), 3);
        CHECK_INTEQ(efiboot_find(ex, 2, &w), -ENOENT);
        CHECK_INTEQ(efiboot_free_number(ex, 3), 2);
        CHECK_INTEQ(efiboot_free_number(ex, 2), 2);
        CHECK_INTEQ(efiboot_free_number(NULL, 0), 0);
        free(bw);
        free(bo);
}

TEST(variable_names)
{
        CHECK_INTEQ(efiboot_name_number("Boot0000-8be4df61-93ca-11d2-aa0d-00e098032b8c"), 0);
        CHECK_INTEQ(efiboot_name_number("Boot00A1-8be4df61-93ca-11d2-aa0d-00e098032b8c"), 0xa1);
        CHECK_INTEQ(efiboot_name_number("BootFFFF-8be4df61-93ca-11d2-aa0d-00e098032b8c"), 0xffff);
        CHECK_INTEQ(efiboot_name_number("Boot00a1-8be4df61-93ca-11d2-aa0d-00e098032b8c"), -EINVAL);
        CHECK_INTEQ(efiboot_name_number("BootOrder-8be4df61-93ca-11d2-aa0d-00e098032b8c"), -EINVAL);
        CHECK_INTEQ(efiboot_name_number("Boot0001-605dab50-e046-4300-abb6-3dd810dd8b23"), -EINVAL);
        CHECK_INTEQ(efiboot_name_number("Boot001"), -EINVAL);
}

TEST(bootnext_and_os_indications)
{
        uint8_t b[2];
        efiboot_bootnext(0x1234, b);
        CHECK(b[0] == 0x34 && b[1] == 0x12);

        static const uint8_t sup[8] = {0x41, 0, 0, 0, 0, 0, 0, 0}, nosup[8] = {0x40};
        static const uint8_t cur[8] = {0x04, 0, 0, 0, 0, 0, 0, 0x80};
        uint8_t out[8];
        CHECK_INTEQ(efiboot_os_indications(sup, 8, NULL, 0, out), 0);
        CHECK(out[0] == 1 && memcmp(out + 1, "\0\0\0\0\0\0\0", 7) == 0);
        CHECK_INTEQ(efiboot_os_indications(sup, 8, cur, 8, out), 0);
        CHECK(out[0] == 5 && out[7] == 0x80);
        CHECK_INTEQ(efiboot_os_indications(nosup, 8, NULL, 0, out), -EOPNOTSUPP);
        CHECK_INTEQ(efiboot_os_indications(NULL, 0, NULL, 0, out), -EINVAL);
        CHECK_INTEQ(efiboot_os_indications(sup, 4, NULL, 0, out), -EINVAL);
        CHECK_INTEQ(efiboot_os_indications(sup, 8, cur, 3, out), -EINVAL);
}

TEST(hostile_payloads)
{
        uint8_t b[512];
        size_t n = vector(b, NULL, 0, NULL, 0);
        struct efiboot_option d;
        /* every truncation: refused (the list runs past the end) */
        for (size_t k = 0; k < n; k++)
                CHECK_INTEQ(efiboot_decode(b, k, &d), -EINVAL);
        /* a zero-length node would loop forever */
        uint8_t z[512];
        memcpy(z, b, n);
        z[6 + 42 + 2] = 0; /* HD's length */
        CHECK_INTEQ(efiboot_decode(z, n, &d), -EINVAL);
        /* a node longer than the list */
        memcpy(z, b, n);
        z[6 + 42 + 2] = 0xff;
        CHECK_INTEQ(efiboot_decode(z, n, &d), -EINVAL);
        /* FilePathListLength beyond the data */
        memcpy(z, b, n);
        z[5] = 0x10;
        CHECK_INTEQ(efiboot_decode(z, n, &d), -EINVAL);
        /* a description without its NUL */
        uint8_t nn[64];
        memset(nn, 'A', sizeof(nn));
        CHECK_INTEQ(efiboot_decode(nn, sizeof(nn), &d), -EINVAL);
        /* an unpaired surrogate in the path: decoded, but the path is dropped and matches nothing
         */
        memcpy(z, b, n);
        size_t path_at = 6 + 42 + 42 + 4 + 2;
        z[path_at] = 0x00, z[path_at + 1] = 0xd8;
        CHECK_INTEQ(efiboot_decode(z, n, &d), 0);
        CHECK_STREQ(d.path, "");
        struct efiboot_option w = win_option();
        CHECK(!efiboot_same_target(&d, &w));
        /* every single-byte corruption: no crash, never a match with a different path */
        unsigned ok = 0;
        for (size_t i = 0; i < n; i++)
                for (unsigned v = 0; v < 256; v += 17) {
                        memcpy(z, b, n);
                        z[i] = (uint8_t) v;
                        if (efiboot_decode(z, n, &d) == 0) {
                                ok++;
                                CHECK(strlen(d.path) <= EFIBOOT_PATH_MAX);
                        }
                }
        CHECK(ok > 0);
}

/* The HD node from libblkid's PARTUUID: a GPT GUID stored mixed-endian, an MBR "SSSSSSSS-NN"
 * giving the disk signature; anything else refused. */
TEST(hd_from_partuuid)
{
        struct efiboot_hd hd;

        CHECK_INTEQ(efiboot_hd_from_partuuid("12345678-9ABC-def0-1122-334455667788", 1, 2048,
                                             204800, &hd),
                    0);
        CHECK(memcmp(hd.signature, guid_stored, 16) == 0);
        CHECK_INTEQ(hd.format, EFIBOOT_FORMAT_GPT);
        CHECK_INTEQ(hd.sig_type, EFIBOOT_SIG_GUID);
        CHECK_INTEQ(hd.partition, 1);
        CHECK(hd.start == 2048 && hd.size == 204800);
        /* the node written is byte for byte the hand vector's */
        struct efiboot_option o = win_option();
        o.hd = hd;
        uint8_t *got;
        size_t got_len;
        uint8_t want[512];
        size_t want_len = vector(want, NULL, 0, NULL, 0);
        REQUIRE(efiboot_encode(&o, &got, &got_len) == 0);
        CHECK(got_len == want_len && memcmp(got, want, want_len) == 0);
        free(got);

        CHECK_INTEQ(efiboot_hd_from_partuuid("a1b2c3d4-02", 2, 63, 1000, &hd), 0);
        CHECK_INTEQ(hd.format, EFIBOOT_FORMAT_MBR);
        CHECK_INTEQ(hd.sig_type, EFIBOOT_SIG_MBR);
        CHECK(memcmp(hd.signature, "\xd4\xc3\xb2\xa1\0\0\0\0", 8) == 0);

        CHECK_INTEQ(efiboot_hd_from_partuuid("12345678-9abc-def0-1122-33445566778", 1, 0, 0, &hd),
                    -EINVAL);
        CHECK_INTEQ(efiboot_hd_from_partuuid("12345678x9abc-def0-1122-334455667788", 1, 0, 0, &hd),
                    -EINVAL);
        CHECK_INTEQ(efiboot_hd_from_partuuid("g2345678-02", 1, 0, 0, &hd), -EINVAL);
        CHECK_INTEQ(efiboot_hd_from_partuuid("a1b2c3d4-02", 0, 0, 0, &hd), -EINVAL);
        CHECK_INTEQ(efiboot_hd_from_partuuid(NULL, 1, 0, 0, &hd), -EINVAL);
        CHECK_INTEQ(efiboot_hd_from_partuuid("", 1, 0, 0, &hd), -EINVAL);
}

/* As efibootmgr -v shows it. */
TEST(option_text)
{
        struct efiboot_option o = win_option();
        char text[EFIBOOT_TEXT_MAX];

        efiboot_option_text(&o, text, sizeof(text));
        CHECK_STREQ(text, "HD(1,GPT,12345678-9abc-def0-1122-334455667788,0x800,0x32000)/"
                          "File(\\EFI\\Microsoft\\Boot\\bootmgfw.efi)");
        REQUIRE(efiboot_hd_from_partuuid("a1b2c3d4-02", 2, 63, 1000, &o.hd) == 0);
        strcpy(o.path, "\\EFI\\tools\\shellx64.efi");
        efiboot_option_text(&o, text, sizeof(text));
        CHECK_STREQ(text, "HD(2,MBR,0xa1b2c3d4,0x3f,0x3e8)/File(\\EFI\\tools\\shellx64.efi)");
}

TEST(fw_ui_supported)
{
        CHECK(efiboot_fw_ui_supported((const uint8_t *) "\x01\0\0\0\0\0\0\0", 8));
        CHECK(efiboot_fw_ui_supported((const uint8_t *) "\x41\0\0\0\0\0\0\0", 8));
        CHECK(!efiboot_fw_ui_supported((const uint8_t *) "\x40\0\0\0\0\0\0\0", 8));
        CHECK(!efiboot_fw_ui_supported((const uint8_t *) "\x01\0\0\0", 4));
        CHECK(!efiboot_fw_ui_supported(NULL, 8));
}
