/* SPDX-License-Identifier: GPL-2.0-or-later */
/* BootNext and OsIndications written into a plain directory standing in for efivarfs: a new
 * Boot#### option at the lowest free number, an existing one reused (matched by partition GUID
 * and path, whatever its case or the firmware's device path prefix), dry runs writing nothing,
 * firmware setup only when OsIndicationsSupported offers it. */
#include "test.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/efiboot-efi.h"
#include "core/util.h"

extern char test_scratch[];

#define G "-" EFIBOOT_GLOBAL_GUID

static char *mkvars(const char *name)
{
        char *d = util_asprintf("%s/%s", test_scratch, name);
        if (d && mkdir(d, 0755) < 0) {
                free(d);
                return NULL;
        }
        return d;
}

/* A variable file: attributes 7 then payload. */
static int put(const char *dir, const char *name, const uint8_t *p, size_t n)
{
        _cleanup_free_ char *path = util_asprintf("%s/%s", dir, name);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        static const uint8_t attrs[4] = {7, 0, 0, 0};
        if (fd < 0)
                return -1;
        bool ok = write(fd, attrs, 4) == 4 && write(fd, p, n) == (ssize_t) n;
        close(fd);
        return ok ? 0 : -1;
}

static char *get(const char *dir, const char *name, size_t *len)
{
        _cleanup_free_ char *path = util_asprintf("%s/%s", dir, name);
        char *data = NULL;
        if (util_read_file(path, 1 << 20, &data, len) < 0)
                return NULL;
        return data;
}

static bool exists(const char *dir, const char *name)
{
        _cleanup_free_ char *path = util_asprintf("%s/%s", dir, name);
        return access(path, F_OK) == 0;
}

static struct efiboot_option target(const char *path)
{
        struct efiboot_option o = {.attributes = EFIBOOT_LOAD_OPTION_ACTIVE, .has_hd = true};
        strcpy(o.description, "Windows Boot Manager");
        strcpy(o.path, path);
        o.hd = (struct efiboot_hd){.partition = 1,
                                   .start = 2048,
                                   .size = 204800,
                                   .format = EFIBOOT_FORMAT_GPT,
                                   .sig_type = EFIBOOT_SIG_GUID};
        memcpy(o.hd.signature, "\x78\x56\x34\x12\xbc\x9a\xf0\xde\x11\x22\x33\x44\x55\x66\x77\x88",
               16);
        return o;
}

TEST(no_efivars)
{
        _cleanup_free_ char *missing = util_asprintf("%s/none", test_scratch);
        struct efiboot_option t = target("\\EFI\\Microsoft\\Boot\\bootmgfw.efi");
        char *err = NULL;
        CHECK_INTEQ(efiboot_efi_boot_next(missing, &t, false, NULL, &err), -ENOENT);
        CHECK(err && strstr(err, "UEFI"));
        free(err);
        err = NULL;
        CHECK(efiboot_efi_firmware_setup(missing, false, NULL, &err) == -ENOENT);
        CHECK(err != NULL);
        free(err);
}

TEST(new_option_at_lowest_free_number)
{
        _cleanup_free_ char *vars = mkvars("new");
        REQUIRE(vars);
        struct efiboot_option t = target("/EFI/Microsoft/Boot/bootmgfw.efi"), other = t;
        strcpy(other.path, "\\EFI\\debian\\shimx64.efi");
        uint8_t *b, *mine;
        size_t n, mine_len;
        REQUIRE(efiboot_encode(&other, &b, &n) == 0);
        REQUIRE(put(vars, "Boot0000" G, b, n) == 0);
        REQUIRE(put(vars, "Boot0002" G, b, n) == 0);
        REQUIRE(put(vars, "BootOrder" G, (const uint8_t *) "\0\0\2\0", 4) == 0);
        free(b);

        /* dry run: lines, nothing written */
        _cleanup_strv_ char **lines = NULL;
        char *err = NULL;
        CHECK_INTEQ(efiboot_efi_boot_next(vars, &t, true, &lines, &err), 0);
        CHECK_INTEQ(strv_length(lines), 2);
        CHECK(lines && strstr(lines[0], "Boot0001" G) && strstr(lines[0], "new option"));
        CHECK(lines && lines[1] && strstr(lines[1], "BootNext" G ": Boot0001"));
        CHECK(!exists(vars, "Boot0001" G) && !exists(vars, "BootNext" G));

        CHECK_INTEQ(efiboot_efi_boot_next(vars, &t, false, NULL, &err), 0);
        CHECK(err == NULL);
        REQUIRE(efiboot_encode(&t, &mine, &mine_len) == 0);
        size_t len;
        _cleanup_free_ char *opt = get(vars, "Boot0001" G, &len);
        CHECK(opt && len == mine_len + 4 && memcmp(opt, "\7\0\0\0", 4) == 0 &&
              memcmp(opt + 4, mine, mine_len) == 0);
        _cleanup_free_ char *next = get(vars, "BootNext" G, &len);
        CHECK(next && len == 6 && memcmp(next, "\7\0\0\0\1\0", 6) == 0);
        /* BootOrder untouched */
        _cleanup_free_ char *order = get(vars, "BootOrder" G, &len);
        CHECK(order && len == 8 && memcmp(order + 4, "\0\0\2\0", 4) == 0);
        free(mine);

        /* again: the option just made is found, nothing new */
        CHECK_INTEQ(efiboot_efi_boot_next(vars, &t, false, NULL, &err), 0);
        CHECK(!exists(vars, "Boot0003" G));
}

TEST(existing_option_reused)
{
        _cleanup_free_ char *vars = mkvars("existing");
        REQUIRE(vars);
        /* the firmware's own option: other case, and a hostile junk option before it */
        struct efiboot_option fw = target("\\efi\\MICROSOFT\\boot\\BOOTMGFW.EFI");
        strcpy(fw.description, "Windows");
        uint8_t *b;
        size_t n;
        REQUIRE(efiboot_encode(&fw, &b, &n) == 0);
        REQUIRE(put(vars, "Boot0000" G, (const uint8_t *) "\1\0\0\0\xff\xff", 6) == 0);
        REQUIRE(put(vars, "Boot000A" G, b, n) == 0);
        REQUIRE(put(vars, "Bootjunk" G, b, n) == 0);
        free(b);
        struct efiboot_option t = target("\\EFI\\Microsoft\\Boot\\bootmgfw.efi");
        _cleanup_strv_ char **lines = NULL;
        char *err = NULL;
        CHECK_INTEQ(efiboot_efi_boot_next(vars, &t, false, &lines, &err), 0);
        CHECK_INTEQ(strv_length(lines), 1);
        CHECK(lines && strstr(lines[0], "Boot000A (an existing option)"));
        size_t len;
        _cleanup_free_ char *next = get(vars, "BootNext" G, &len);
        CHECK(next && len == 6 && memcmp(next + 4, "\x0a\0", 2) == 0);
        CHECK(!exists(vars, "Boot0001" G));
}

TEST(firmware_setup)
{
        _cleanup_free_ char *vars = mkvars("fwui");
        REQUIRE(vars);
        char *err = NULL;
        /* no OsIndicationsSupported */
        CHECK(efiboot_efi_firmware_setup(vars, false, NULL, &err) < 0);
        CHECK(err != NULL);
        free(err);
        err = NULL;
        /* supported without BOOT_TO_FW_UI */
        REQUIRE(put(vars, "OsIndicationsSupported" G, (const uint8_t *) "\x40\0\0\0\0\0\0\0", 8) ==
                0);
        CHECK_INTEQ(efiboot_efi_firmware_setup(vars, false, NULL, &err), -EOPNOTSUPP);
        CHECK(err && strstr(err, "setup"));
        free(err);
        err = NULL;
        CHECK(!exists(vars, "OsIndications" G));
        /* supported, an existing value kept */
        REQUIRE(put(vars, "OsIndicationsSupported" G, (const uint8_t *) "\x41\0\0\0\0\0\0\0", 8) ==
                0);
        REQUIRE(put(vars, "OsIndications" G, (const uint8_t *) "\x04\0\0\0\0\0\0\0", 8) == 0);
        _cleanup_strv_ char **lines = NULL;
        CHECK_INTEQ(efiboot_efi_firmware_setup(vars, true, &lines, &err), 0);
        CHECK_INTEQ(strv_length(lines), 1);
        size_t len;
        _cleanup_free_ char *before = get(vars, "OsIndications" G, &len);
        CHECK(before && before[4] == 0x04);
        CHECK_INTEQ(efiboot_efi_firmware_setup(vars, false, NULL, &err), 0);
        _cleanup_free_ char *after = get(vars, "OsIndications" G, &len);
        CHECK(after && len == 12 && memcmp(after, "\7\0\0\0\x05\0\0\0\0\0\0\0", 12) == 0);
}
