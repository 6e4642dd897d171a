/* SPDX-License-Identifier: GPL-2.0-or-later */
/* EFI applications on an ESP (src/import/efiapps.c): the table of what is listed and what is
 * Linux's own (shim, MokManager, GRUB, systemd-boot, the \EFI\BOOT fallback, \EFI\Linux), the
 * titles, and the import over a real tree: Windows Boot Manager (Debian's real signed MokManager
 * standing in for it), an EFI tool, an arm64 build (the machine type changed in a copy), a file
 * that is no PE image, a FIFO, symlinks leading out of the filesystem. */
#include "test.h"

#include <fcntl.h>
#include <unistd.h>

#include "import-testfs.h"
#include "backend/entry.h"
#include "import/efiapps.h"

#define SIGNED_PE "/usr/lib/shim/mmx64.efi.signed"

TEST(classify_table)
{
        static const struct {
                const char *vendor, *name;
                bool listed;
                const char *title;
        } cases[] = {
                {"tools", "shellx64.efi", true, "EFI Shell"},
                {"tools", "Shell.EFI", true, "EFI Shell"},
                {"memtest86", "memtest86x64.efi", true, "MemTest86"},
                {"refind", "refind_x64.efi", true, "rEFInd"},
                {"HP", "hpbootmgr.efi", true, NULL},
                {"tools", "readme.txt", false, NULL},
                {"BOOT", "BOOTX64.EFI", false, NULL},
                {"boot", "fbx64.efi", false, NULL},
                {"Linux", "debian-6.1.efi", false, NULL},
                {"debian", "shimx64.efi", false, NULL},
                {"ubuntu", "mmx64.efi", false, NULL},
                {"fedora", "fbx64.efi", false, NULL},
                {"debian", "grubx64.efi", false, NULL},
                {"debian", "GRUBX64.EFI", false, NULL},
                {"systemd", "systemd-bootx64.efi", false, NULL},
                {"Microsoft", "bootmgfw.efi", false, NULL}, /* found as Boot\bootmgfw.efi */
                {"tools", "bootx64.efi", false, NULL},
                {"kexec-loader", "kexec-loader.efi", false, NULL},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                const char *title = "unset",
                           *why = efiapps_classify(cases[i].vendor, cases[i].name, &title);

                CHECK((why == NULL) == cases[i].listed);
                if (cases[i].listed)
                        CHECK(streq_ptr(title, cases[i].title));
        }
}

/* Copies the signed PE to tmpdir/dir/path, its COFF machine set to machine (0: unchanged). */
static bool put_pe(const char *dir, const char *path, uint16_t machine)
{
        _cleanup_free_ char *data = NULL, *p = NULL;
        size_t len;
        FILE *f;

        if (util_read_file(SIGNED_PE, 16u << 20, &data, &len) < 0 || len < 0x200)
                return false;
        if (machine) {
                uint32_t pe = (uint8_t) data[0x3c] | (uint8_t) data[0x3d] << 8;
                if (pe + 6 > len || memcmp(data + pe, "PE\0\0", 4) != 0)
                        return false;
                data[pe + 4] = (char) (machine & 0xff);
                data[pe + 5] = (char) (machine >> 8);
        }
        p = put_dirs(dir, path);
        f = p ? fopen(p, "wb") : NULL;
        if (!f)
                return false;
        bool ok = fwrite(data, 1, len, f) == len;
        return fclose(f) == 0 && ok;
}

TEST(import_esp)
{
        _cleanup_free_ char *dir = util_asprintf("%s/esp", tmpdir);
        struct testfs t = {
                .disks = {{.dev = "/dev/sda1", .dir = dir}}, .n = 1, .self = "/dev/sda1"};
        struct import_fs fs = testfs_fs(&t);
        struct import_result r = {.timeout = -1, .default_index = -1};

        REQUIRE(put_pe("esp", "EFI/Microsoft/Boot/bootmgfw.efi", 0));
        REQUIRE(put_pe("esp", "EFI/Microsoft/Boot/memtest.efi", 0));
        REQUIRE(put_pe("esp", "EFI/tools/shellx64.efi", 0x8664));
        REQUIRE(put_pe("esp", "EFI/tools/zz-tool.efi", 0));
        REQUIRE(put_pe("esp", "EFI/tools/shellaa64.efi", 0xaa64));
        put("esp", "EFI/tools/notpe.efi", "MZ but nothing else");
        put_fifo("esp", "EFI/tools/fifo.efi");
        put("secret", "outside.efi", "secret");
        put_link("esp", "EFI/tools/link.efi", "../../../secret/outside.efi");
        REQUIRE(put_pe("esp", "EFI/debian/shimx64.efi", 0));
        REQUIRE(put_pe("esp", "EFI/debian/mmx64.efi", 0));
        REQUIRE(put_pe("esp", "EFI/debian/grubx64.efi", 0));
        REQUIRE(put_pe("esp", "EFI/BOOT/BOOTX64.EFI", 0));
        REQUIRE(put_pe("esp", "EFI/Linux/debian.efi", 0));

        CHECK_INTEQ(efiapps_import_machine(&fs, "/EFI", 0x8664, &r), 0);
        REQUIRE(r.n == 3);
        /* Windows first, then by vendor and name */
        CHECK_STREQ(r.entries[0].title, "Windows Boot Manager");
        CHECK_STREQ(r.entries[0].efi.path, "/EFI/Microsoft/Boot/bootmgfw.efi");
        CHECK(r.entries[0].efi.dev == NULL);
        CHECK_INTEQ(r.entries[0].action, IMPORT_ACTION_EFI_APP);
        CHECK(r.entries[0].not_bootable == NULL && r.entries[0].kernel.path == NULL);
        CHECK_STREQ(r.entries[1].title, "EFI Shell");
        CHECK_STREQ(r.entries[2].title, "zz-tool (tools)");
        CHECK_STREQ(r.entries[2].efi.path, "/EFI/tools/zz-tool.efi");
        CHECK(!testfs_mentions(&r, "secret"));
        import_result_done(&r);

        /* an arm64 machine lists the arm64 build only (and nothing without a PE check) */
        r = (struct import_result){.timeout = -1, .default_index = -1};
        CHECK_INTEQ(efiapps_import_machine(&fs, "/EFI", 0xaa64, &r), 0);
        REQUIRE(r.n == 1);
        CHECK_STREQ(r.entries[0].efi.path, "/EFI/tools/shellaa64.efi");
        import_result_done(&r);

        /* no \EFI: nothing, no diagnostic */
        r = (struct import_result){.timeout = -1, .default_index = -1};
        CHECK_INTEQ(efiapps_import_machine(&fs, "/nothing", 0x8664, &r), 0);
        CHECK_INTEQ(r.n, 0);
        CHECK_INTEQ(r.diags.n, 0);
        import_result_done(&r);
}

TEST(bounds)
{
        _cleanup_free_ char *dir = util_asprintf("%s/many", tmpdir);
        struct testfs t = {
                .disks = {{.dev = "/dev/sda1", .dir = dir}}, .n = 1, .self = "/dev/sda1"};
        struct import_fs fs = testfs_fs(&t);
        struct import_result r = {.timeout = -1, .default_index = -1};

        for (int i = 0; i < EFIAPPS_FILES_MAX + 5; i++) {
                char name[64];
                snprintf(name, sizeof(name), "EFI/tools/t%03d.efi", i);
                put("many", name, "x");
        }
        /* not checked as PE (machine 0): every file counts */
        CHECK_INTEQ(efiapps_import_machine(&fs, "/EFI", 0, &r), 0);
        CHECK_INTEQ(r.n, EFIAPPS_FILES_MAX);
        CHECK(test_diag_has(&r.diags, NULL, NULL, 0, "more than 64 EFI applications"));
        import_result_done(&r);
}

/* The same firmware entry reached twice on one filesystem (a grub.cfg read directly and through
 * the ESP's stub) is one entry (backend/entry.c): same title, action and EFI file. */
TEST(firmware_entries_same)
{
        struct boot_entry a = {.title = (char *) "Windows Boot Manager",
                               .action = BOOT_ACTION_EFI_APP,
                               .efi = {.spec = (char *) "UUID=1234-ABCD",
                                       .path = (char *) "/EFI/Microsoft/Boot/bootmgfw.efi"}};
        struct boot_entry b = a, c = a,
                          d = {.title = (char *) "Setup", .action = BOOT_ACTION_FW_SETUP};
        struct boot_entry all[3] = {a, d, c};
        struct boot_entry_set set = {0};

        c.efi.path = (char *) "/EFI/tools/shellx64.efi";
        all[2] = c;
        CHECK(boot_entry_same(&a, &b));
        CHECK(!boot_entry_same(&a, &c));
        CHECK(!boot_entry_same(&a, &d));
        CHECK_INTEQ(boot_entry_set_put(&set, all, &all[0], 0), 1);
        CHECK_INTEQ(boot_entry_set_put(&set, all, &all[1], 1), 1);
        CHECK_INTEQ(boot_entry_set_put(&set, all, &all[2], 2), 1);
        CHECK_INTEQ(boot_entry_set_put(&set, all, &b, 3), 0);
        CHECK(boot_entry_set_has(&set, all, &d));
        boot_entry_set_done(&set);
}
