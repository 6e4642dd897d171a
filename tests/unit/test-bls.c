/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include <sys/stat.h>

#include "import-testfs.h"
#include "import/grubenv.h"

static int import(const char *test, const char *dir, struct import_result *r)
{
        _cleanup_free_ char *d = util_asprintf("%s/%s", tmpdir, test);
        struct testfs t = {.disks = {{.dev = "/dev/sda2", .dir = d}}, .n = 1, .self = "/dev/sda2"};
        struct import_fs fs = testfs_fs(&t);

        *r = (struct import_result){.timeout = -1, .default_index = -1};
        return bls_import(&fs, dir, r);
}

static const char grubenv[] = "# GRUB Environment Block\n"
                              "saved_entry=abc-6.10.0\n"
                              "kernelopts=root=/dev/mapper/rl-root ro rhgb quiet\n"
                              "tuned_params=isolcpus=1\n"
                              "#################################################\n";

TEST(grubenv_parse)
{
        _cleanup_strv_ char **l = NULL;
        static const char esc[] = "# GRUB Environment Block\na=x\\\\y\\\nz\nb=2\n####";

        REQUIRE(grubenv_parse(grubenv, strlen(grubenv), &l) == 0);
        REQUIRE(strv_length(l) == 3);
        CHECK_STREQ(l[0], "saved_entry=abc-6.10.0");
        CHECK_STREQ(l[1], "kernelopts=root=/dev/mapper/rl-root ro rhgb quiet");
        CHECK_STREQ(l[2], "tuned_params=isolcpus=1");
        strv_free(l);
        l = NULL;
        REQUIRE(grubenv_parse(esc, strlen(esc), &l) == 0);
        REQUIRE(strv_length(l) == 2);
        CHECK_STREQ(l[0], "a=x\\y\nz");
        CHECK_STREQ(l[1], "b=2");
        strv_free(l);
        l = NULL;
        CHECK(grubenv_parse("garbage\n", 8, &l) == -EINVAL);
        CHECK(l == NULL);
}

/* Found by fuzz-grubenv: a backslash right before a NUL made the line run on past the NUL to an
 * '=' there, but the line copied stops at the NUL: it had no '=' and was read through a NULL
 * pointer. The NUL ends the block, as any NUL does. */
TEST(grubenv_backslash_before_nul)
{
        _cleanup_strv_ char **l = NULL;
        static const char b[] = "# GRUB Environment Block\nok=1\na\\\0=b\nc=d\n";

        REQUIRE(grubenv_parse(b, sizeof(b) - 1, &l) == 0);
        REQUIRE(strv_length(l) == 1);
        CHECK_STREQ(l[0], "ok=1");
}

TEST(order_initrds_options_kernelopts)
{
        struct import_result r;
        const struct import_entry *e;

        put("order", "boot/grub2/grubenv", grubenv);
        put("order", "boot/loader/entries/abc-6.9.0.conf",
            "title Rocky 6.9\nversion 6.9.0\nmachine-id abc\nlinux /vmlinuz-6.9.0\n"
            "options $kernelopts\n");
        put("order", "boot/loader/entries/abc-6.10.0.conf",
            "# comment\n"
            "title Rocky 6.10\n"
            "version 6.10.0\n"
            "machine-id abc\n"
            "linux /vmlinuz-6.10.0\n"
            "initrd /initramfs-6.10.0.img\n"
            "initrd /extra.img\n"
            "options $kernelopts\n"
            "options ${tuned_params} $nosuchvar\tdebug\n"
            "devicetree /dtb/board.dtb\n"
            "grub_users \"\"\n"
            "grub_class kernel\n");
        put("order", "boot/loader/entries/abc-0-rescue.conf",
            "title Rescue\nversion 0-rescue\nmachine-id abc\nlinux /vmlinuz-0-rescue\n");
        put("order", "boot/loader/entries/zz-sorted.conf",
            "title Sorted\nsort-key zzz\nlinux /s\n");
        put("order", "boot/loader/entries/aa-sorted.conf",
            "title Sorted first\nsort-key aaa\nlinux /s1\n");
        put("order", "boot/loader/entries/aa-sorted-old.conf",
            "title Sorted first old\nsort-key aaa\nversion 1.2\nlinux /s0\n");
        put("order", "boot/loader/entries/aa-sorted-new.conf",
            "title Sorted first new\nsort-key aaa\nversion 1.10\nlinux /s2\n");
        put("order", "boot/loader/entries/notes.txt", "not an entry\n");
        put("order", "boot/loader/entries/arm.conf", "title ARM\narchitecture aa64\nlinux /arm\n");
        put("order", "boot/loader/entries/x64.conf", "title X64\narchitecture x64\nlinux /x64\n");
        put("order", "boot/loader/entries/uki.conf", "title UKI\nefi /EFI/Linux/x.efi\n");
        put("order", "boot/loader/entries/notitle.conf", "linux /vmlinuz-nt\n");

        REQUIRE(import("order", "/boot/loader/entries", &r) == 0);
        CHECK_INTEQ(r.diags.n, 0);
        REQUIRE(r.n == 10);
        CHECK_STREQ(r.entries[0].title, "Sorted first new");
        CHECK_STREQ(r.entries[1].title, "Sorted first old");
        CHECK_STREQ(r.entries[2].title, "Sorted first");
        CHECK_STREQ(r.entries[3].title, "Sorted");
        CHECK_STREQ(r.entries[4].id, "x64");
        CHECK_STREQ(r.entries[5].id, "uki");
        CHECK_STREQ(r.entries[6].id, "notitle");
        CHECK_STREQ(r.entries[6].title, "notitle");
        CHECK_STREQ(r.entries[7].id, "abc-6.10.0");
        CHECK_STREQ(r.entries[8].id, "abc-6.9.0");
        CHECK_STREQ(r.entries[9].id, "abc-0-rescue");
        CHECK_INTEQ(r.default_index, -1);
        CHECK_INTEQ(r.timeout, -1);

        CHECK_STREQ(r.entries[5].not_bootable, "EFI program");

        e = &r.entries[7];
        CHECK_STREQ(e->title, "Rocky 6.10");
        CHECK_STREQ(e->config, "/boot/loader/entries/abc-6.10.0.conf");
        CHECK_STREQ(e->kernel.dev, "/dev/sda2");
        CHECK_STREQ(e->kernel.path, "/vmlinuz-6.10.0");
        REQUIRE(e->n_initrds == 2);
        CHECK_STREQ(e->initrds[0].path, "/initramfs-6.10.0.img");
        CHECK_STREQ(e->initrds[0].dev, "/dev/sda2");
        CHECK_STREQ(e->initrds[1].path, "/extra.img");
        CHECK_STREQ(e->devicetree, "/dtb/board.dtb");
        CHECK_STREQ(e->cmdline, "root=/dev/mapper/rl-root ro rhgb quiet isolcpus=1 debug");
        CHECK(e->not_bootable == NULL);
        CHECK_STREQ(r.entries[8].cmdline, "root=/dev/mapper/rl-root ro rhgb quiet");
        CHECK_STREQ(r.entries[9].cmdline, "");
        import_result_done(&r);
}

TEST(loader_conf_default_glob_and_timeout)
{
        struct import_result r;

        put("loader", "loader/loader.conf",
            "# systemd-boot\ntimeout 4\ndefault fedora-*\n"
            "console-mode max\n");
        put("loader", "loader/entries/arch.conf", "title Arch\nlinux /vmlinuz-linux\n");
        put("loader", "loader/entries/fedora-6.9.conf", "title F 6.9\nlinux /v69\n");
        put("loader", "loader/entries/fedora-6.10.conf", "title F 6.10\nlinux /v610\n");
        REQUIRE(import("loader", "/loader/entries", &r) == 0);
        REQUIRE(r.n == 3);
        CHECK_STREQ(r.entries[0].id, "fedora-6.10");
        CHECK_STREQ(r.entries[1].id, "fedora-6.9");
        CHECK_STREQ(r.entries[2].id, "arch");
        CHECK_INTEQ(r.default_index, 0);
        CHECK_INTEQ(r.timeout, 4);
        import_result_done(&r);

        put("loader2", "loader/loader.conf", "timeout x\ndefault arch.conf\n");
        put("loader2", "loader/entries/arch.conf", "title Arch\nlinux /vmlinuz-linux\n");
        put("loader2", "loader/entries/fedora.conf", "title F\nlinux /v\n");
        REQUIRE(import("loader2", "/loader/entries", &r) == 0);
        REQUIRE(r.n == 2);
        CHECK_INTEQ(r.default_index, 1);
        CHECK_INTEQ(r.timeout, -1);
        REQUIRE(r.diags.n == 1);
        CHECK_STREQ(r.diags.items[0].file, "/loader/loader.conf");
        CHECK_INTEQ(r.diags.items[0].line, 1);
        import_result_done(&r);

        put("loader3", "loader/loader.conf", "default @saved\n");
        put("loader3", "loader/entries/a.conf", "title A\nlinux /a\n");
        REQUIRE(import("loader3", "/loader/entries", &r) == 0);
        CHECK_INTEQ(r.default_index, -1);
        import_result_done(&r);
}

TEST(corpus_fcos38)
{
        struct import_result r;
        const struct import_entry *e;

        copy_corpus("fcos", "grub2-blscfg-fcos38.conf",
                    "loader/entries/ostree-1-fedora-coreos.conf");
        REQUIRE(import("fcos", "/loader/entries", &r) == 0);
        CHECK_INTEQ(r.diags.n, 0);
        REQUIRE(r.n == 1);
        e = &r.entries[0];
        CHECK_STREQ(e->id, "ostree-1-fedora-coreos");
        CHECK_STREQ(e->title, "Fedora CoreOS 38.20230625.3.0 (ostree:1)");
        CHECK_STREQ(e->kernel.path,
                    "/ostree/fedora-coreos-00f1847831b603756e2804045135de37a3740b16b7777f8633b779e0"
                    "43222e29/vmlinuz-6.3.8-200.fc38.ppc64le");
        REQUIRE(e->n_initrds == 1);
        CHECK_STREQ(e->initrds[0].path,
                    "/ostree/fedora-coreos-00f1847831b603756e2804045135de37a3740b16b7777f8633b779e0"
                    "43222e29/initramfs-6.3.8-200.fc38.ppc64le.img");
        /* $ignition_firstboot is not set anywhere: empty */
        CHECK_STREQ(e->cmdline,
                    "mitigations=auto,nosmt ignition.platform.id=metal "
                    "ostree=/ostree/boot.0/fedora-coreos/"
                    "00f1847831b603756e2804045135de37a3740b16b7777f8633b779e043222e29/0 "
                    "root=UUID=198343c8-def9-4ac4-88ee-c6821e7e71ba rw rootflags=prjquota "
                    "boot=UUID=4310acc5-6457-44fd-89e5-6a976d84ae0e");
        CHECK(e->not_bootable == NULL);
        CHECK_INTEQ(e->n_modules, 0);
        import_result_done(&r);
}

TEST(grubenv_in_grub2_and_missing_dir)
{
        struct import_result r;

        put("g2", "grub2/grubenv", "# GRUB Environment Block\nkernelopts=root=LABEL=r\n###\n");
        put("g2", "loader/entries/a.conf", "title A\nlinux /a\noptions $kernelopts x\n");
        REQUIRE(import("g2", "/loader/entries", &r) == 0);
        REQUIRE(r.n == 1);
        CHECK_STREQ(r.entries[0].cmdline, "root=LABEL=r x");
        import_result_done(&r);

        REQUIRE(import("g2", "/boot/loader/entries", &r) == 0);
        CHECK_INTEQ(r.n, 0);
        CHECK_INTEQ(r.diags.n, 1);
        import_result_done(&r);

        /* no linux (nor efi) line: not an entry, a diagnostic says why; the others stay */
        put("nolinux", "loader/entries/a.conf", "title A\noptions x\n");
        put("nolinux", "loader/entries/b.conf", "title B\nlinux /b\n");
        REQUIRE(import("nolinux", "/loader/entries", &r) == 0);
        REQUIRE(r.n == 1);
        CHECK_STREQ(r.entries[0].title, "B");
        REQUIRE(r.diags.n == 1);
        CHECK(strstr(r.diags.items[0].message, "no 'linux'") != NULL);
        CHECK(strstr(r.diags.items[0].file, "a.conf") != NULL);
        import_result_done(&r);
}

/* A FIFO as an entry, as loader.conf and as grubenv: each a diagnostic, the scan goes on (a
 * read would block this test for ever); entries linked out of the filesystem read nothing of
 * what lies outside; an entry linked inside it (absolute link) is read. */
TEST(hostile_files)
{
        _cleanup_free_ char *abs = util_asprintf("%s/secret-bls.conf", tmpdir);
        struct import_result r;

        put("hostile", "../secret-bls.conf", "title SECRET\nlinux /SECRET\n");
        put("hostile", "loader/entries/good.conf", "title Good\nlinux /vmlinuz\n");
        put("hostile", "boot/real.conf", "title Linked\nlinux /vmlinuz-linked\n");
        put_link("hostile", "loader/entries/linked.conf", "/boot/real.conf");
        put_link("hostile", "loader/entries/abs-out.conf", abs);
        put_link("hostile", "loader/entries/rel-out.conf", "../../../secret-bls.conf");
        put_fifo("hostile", "loader/entries/fifo.conf");
        put_fifo("hostile", "loader/loader.conf");
        put_fifo("hostile", "boot/grub2/grubenv");
        REQUIRE(import("hostile", "/loader/entries", &r) == 0);
        REQUIRE(r.n == 2);
        CHECK_STREQ(r.entries[0].title, "Linked");
        CHECK_STREQ(r.entries[0].kernel.path, "/vmlinuz-linked");
        CHECK_STREQ(r.entries[1].title, "Good");
        CHECK(testfs_diag(&r, "/loader/entries/fifo.conf", "not a regular file"));
        CHECK(testfs_diag(&r, "/loader/loader.conf", "not a regular file"));
        CHECK(testfs_diag(&r, "/boot/grub2/grubenv", "not a regular file"));
        CHECK(testfs_diag(&r, "/loader/entries/abs-out.conf", "No such file"));
        CHECK(testfs_diag(&r, "/loader/entries/rel-out.conf", "No such file"));
        CHECK(!testfs_mentions(&r, "SECRET"));
        import_result_done(&r);
}

/* systemd-boot's menu (a loader.conf beside the entries) tells alike titles apart: " (version)",
 * then the machine-id's first 8 characters, then the entry id; without loader.conf (GRUB's
 * blscfg, Fedora's /boot) titles stay as written. loader.conf's default counts only real entries
 * (a file without linux before it shifts nothing). */
TEST(alike_titles_as_systemd_boot_shows_them)
{
        struct import_result r;

        put("alike", "loader/loader.conf", "default b-*\n");
        put("alike", "loader/entries/a-0-nolinux.conf", "title X\n");
        put("alike", "loader/entries/b-6.1.conf", "title Debian\nversion 6.1\nlinux /k1\n");
        put("alike", "loader/entries/b-6.2.conf", "title Debian\nversion 6.2\nlinux /k2\n");
        put("alike", "loader/entries/c.conf",
            "title Arch\nmachine-id 0123456789abcdef\nlinux /k3\n");
        put("alike", "loader/entries/d.conf",
            "title Arch\nmachine-id fedcba9876543210\nlinux /k4\n");
        put("alike", "loader/entries/e.conf", "title Same\nlinux /k5\n");
        put("alike", "loader/entries/f.conf", "title Same\nlinux /k6\n");
        REQUIRE(import("alike", "/loader/entries", &r) == 0);
        REQUIRE(r.n == 6);
        CHECK_STREQ(r.entries[0].title, "Same (f)");
        CHECK_STREQ(r.entries[1].title, "Same (e)");
        CHECK_STREQ(r.entries[2].title, "Arch (fedcba98)");
        CHECK_STREQ(r.entries[3].title, "Arch (01234567)");
        CHECK_STREQ(r.entries[4].title, "Debian (6.2)");
        CHECK_STREQ(r.entries[5].title, "Debian (6.1)");
        CHECK_INTEQ(r.default_index, 4);
        import_result_done(&r);

        put("alike2", "loader/entries/b-6.1.conf", "title Debian\nversion 6.1\nlinux /k1\n");
        put("alike2", "loader/entries/b-6.2.conf", "title Debian\nversion 6.2\nlinux /k2\n");
        REQUIRE(import("alike2", "/loader/entries", &r) == 0);
        REQUIRE(r.n == 2);
        CHECK_STREQ(r.entries[0].title, "Debian");
        CHECK_STREQ(r.entries[1].title, "Debian");
        import_result_done(&r);
}

/* More entry files than are read (1024): the newest by file name are read, as systemd-boot lists
 * them first, whatever the directory's order; the diagnostic says how many older ones are left out
 * and from which file. */
TEST(more_entries_than_read_keeps_the_newest)
{
        struct import_result r;

        for (int i = 0; i < 1100; i++) {
                _cleanup_free_ char *name = util_asprintf("loader/entries/os-6.%d.0.conf", i);
                _cleanup_free_ char *text = util_asprintf(
                        "title OS 6.%d\nversion 6.%d.0\nlinux /vmlinuz-6.%d\n", i, i, i);

                REQUIRE(name && text);
                put("many", name, text);
        }
        put("many", "loader/entries/notes.txt", "not an entry\n");
        REQUIRE(import("many", "/loader/entries", &r) == 0);
        REQUIRE(r.n == 1024);
        CHECK_STREQ(r.entries[0].title, "OS 6.1099");
        CHECK_STREQ(r.entries[1023].title, "OS 6.76");
        REQUIRE(r.diags.n == 1);
        CHECK_STREQ(r.diags.items[0].file, "/loader/entries");
        CHECK_STREQ(r.diags.items[0].message, "more than 1024 entries: 76 older ones by file name "
                                              "(from os-6.75.0.conf) not listed");
        import_result_done(&r);
}
