/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include <sys/stat.h>

#include "import-testfs.h"

static int import(const char *test, const char *path, struct import_result *r)
{
        _cleanup_free_ char *dir = util_asprintf("%s/%s", tmpdir, test);
        struct testfs t = {
                .disks = {{.dev = "/dev/sda1", .dir = dir}}, .n = 1, .self = "/dev/sda1"};
        struct import_fs fs = testfs_fs(&t);

        *r = (struct import_result){.timeout = -1, .default_index = -1};
        return syslinux_import(&fs, path, r);
}

static bool has_diag(const struct import_result *r, const char *text)
{
        return test_diag_has(&r->diags, NULL, NULL, 0, text);
}

static const struct import_entry *find(const struct import_result *r, const char *id)
{
        for (size_t i = 0; i < r->n; i++)
                if (streq_ptr(r->entries[i].id, id))
                        return &r->entries[i];
        return NULL;
}

TEST(corpus_include_nesting)
{
        struct import_result r;
        const struct import_entry *e;
        static const char *const ids[] = {"floppy", "backup", "comboot", "com32",
                                          "boot",   "bss",    "linux"};

        copy_corpus("corpus", "syslinux-include-root.cfg", "boot/syslinux/syslinux.cfg");
        copy_corpus("corpus", "syslinux-include-nest-1.cfg", "syslinux-include-nest-1.cfg");
        copy_corpus("corpus", "syslinux-include-nest-2.cfg",
                    "boot/syslinux/syslinux-include-nest-2.cfg");
        REQUIRE(import("corpus", "/boot/syslinux/syslinux.cfg", &r) == 0);
        CHECK_INTEQ(r.diags.n, 0);
        REQUIRE(r.n == ARRAY_SIZE(ids));
        for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
                CHECK_STREQ(r.entries[i].id, ids[i]);
                CHECK_STREQ(r.entries[i].title, ids[i]);
                CHECK_INTEQ(strv_length(r.entries[i].submenu), 0);
        }
        /* DEFAULT boot in nest-2 */
        CHECK_INTEQ(r.default_index, 4);
        CHECK_INTEQ(r.timeout, -1);

        e = find(&r, "floppy");
        REQUIRE(e);
        CHECK_STREQ(e->not_bootable, "floppy image");
        CHECK_STREQ(e->kernel.path, "/boot/floppy.img");

        e = find(&r, "backup");
        REQUIRE(e);
        CHECK(e->not_bootable == NULL);
        CHECK(e->kernel.dev == NULL);
        CHECK_STREQ(e->kernel.path, "/backup/vmlinuz");
        CHECK_STREQ(e->cmdline, "root=/dev/sdb");
        REQUIRE(e->n_initrds == 1);
        CHECK_STREQ(e->initrds[0].path, "/boot/initrd");
        CHECK_STREQ(e->config, "/boot/syslinux/syslinux.cfg");
        CHECK_INTEQ(e->line, 6);

        e = find(&r, "comboot");
        REQUIRE(e);
        CHECK_STREQ(e->not_bootable, "COMBOOT program");
        /* the global APPEND for labels without their own */
        CHECK_STREQ(e->cmdline, "console=ttyS0");

        e = find(&r, "com32");
        REQUIRE(e);
        CHECK_STREQ(e->not_bootable, "syslinux module");
        CHECK_STREQ(e->config, "/syslinux-include-nest-1.cfg");
        CHECK_INTEQ(e->line, 1);

        e = find(&r, "boot");
        REQUIRE(e);
        CHECK(e->not_bootable == NULL);
        CHECK_STREQ(e->kernel.path, "/bzImage-boot");
        CHECK_STREQ(e->cmdline, "root=/dev/sda");
        REQUIRE(e->n_initrds == 1);
        CHECK_STREQ(e->initrds[0].path, "/initrd-boot");
        CHECK_STREQ(e->config, "/boot/syslinux/syslinux-include-nest-2.cfg");

        e = find(&r, "bss");
        REQUIRE(e);
        CHECK_STREQ(e->not_bootable, "boot sector");

        e = find(&r, "linux");
        REQUIRE(e);
        CHECK(e->not_bootable == NULL);
        CHECK_STREQ(e->kernel.path, "/boot/bzImage");
        CHECK_STREQ(e->cmdline, "root=/dev/sdc");
        CHECK_INTEQ(e->n_initrds, 0);
        import_result_done(&r);
}

TEST(directives_and_relative_paths)
{
        struct import_result r;
        const struct import_entry *e;

        put("dir", "isolinux/isolinux.cfg",
            "# comment\n"
            "ui vesamenu.c32\n"
            "PROMPT 0\n"
            "say hello\n"
            "menu color title 1;36;44 #ff000000 #00000000 std\n"
            "F1 help.txt\n"
            "timeout 50\n"
            "Default live\n"
            "append quiet\n"
            "\n"
            "label live\n"
            "  menu label ^Start the ^live system\n"
            "  kernel vmlinuz boot=live\n"
            "  append initrd=initrd.img,/extra.img splash  initrd=more.img\n"
            "label install\n"
            "  MENU LABEL Install\n"
            "  LINUX /install/vmlinuz\n"
            "  INITRD /install/initrd.gz,rel.gz\n"
            "  text help\n"
            "  label not-a-label\n"
            "  endtext\n"
            "label nothing\n"
            "  kernel vmlinuz\n"
            "  append -\n"
            "label hdt\n"
            "  kernel hdt.c32\n"
            "label memtest\n"
            "  kernel /boot/memdisk\n"
            "label pxe\n"
            "  kernel pxelinux.0\n"
            "label local\n"
            "  localboot 0x80\n");
        REQUIRE(import("dir", "/isolinux/isolinux.cfg", &r) == 0);
        CHECK_INTEQ(r.diags.n, 0);
        CHECK_INTEQ(r.timeout, 5);
        REQUIRE(r.n == 7);
        CHECK_INTEQ(r.default_index, 0);

        e = &r.entries[0];
        CHECK_STREQ(e->id, "live");
        CHECK_STREQ(e->title, "Start the live system");
        CHECK_STREQ(e->kernel.path, "/isolinux/vmlinuz");
        CHECK_STREQ(e->cmdline, "boot=live splash");
        REQUIRE(e->n_initrds == 3);
        CHECK_STREQ(e->initrds[0].path, "/isolinux/initrd.img");
        CHECK_STREQ(e->initrds[1].path, "/extra.img");
        CHECK_STREQ(e->initrds[2].path, "/isolinux/more.img");
        CHECK(e->not_bootable == NULL);

        e = &r.entries[1];
        CHECK_STREQ(e->title, "Install");
        CHECK_STREQ(e->kernel.path, "/install/vmlinuz");
        CHECK_STREQ(e->cmdline, "quiet");
        REQUIRE(e->n_initrds == 2);
        CHECK_STREQ(e->initrds[0].path, "/install/initrd.gz");
        CHECK_STREQ(e->initrds[1].path, "/isolinux/rel.gz");

        e = &r.entries[2];
        CHECK_STREQ(e->id, "nothing");
        CHECK_STREQ(e->cmdline, "");

        CHECK_STREQ(r.entries[3].not_bootable, "syslinux module");
        CHECK_STREQ(r.entries[4].not_bootable, "memdisk (not a Linux kernel)");
        CHECK_STREQ(r.entries[5].not_bootable, "boot sector");
        CHECK_STREQ(r.entries[6].not_bootable, "local boot");
        CHECK(r.entries[6].kernel.path == NULL);
        import_result_done(&r);
}

TEST(timeout_rounds_up)
{
        struct import_result r;

        put("tmo", "extlinux.conf", "TIMEOUT 51\nLABEL a\nLINUX /vmlinuz\n");
        REQUIRE(import("tmo", "/extlinux.conf", &r) == 0);
        CHECK_INTEQ(r.timeout, 6);
        CHECK_INTEQ(r.default_index, -1);
        CHECK_STREQ(r.entries[0].kernel.path, "/vmlinuz");
        import_result_done(&r);

        put("tmo0", "extlinux.conf", "TIMEOUT 0\nTIMEOUT x\nLABEL a\nLINUX /vmlinuz\n");
        REQUIRE(import("tmo0", "/extlinux.conf", &r) == 0);
        CHECK_INTEQ(r.timeout, -1);
        CHECK(has_diag(&r, "TIMEOUT needs a number"));
        CHECK_INTEQ(r.diags.items[0].line, 2);
        import_result_done(&r);
}

TEST(menu_begin_end_hide_default)
{
        struct import_result r;

        put("menu", "syslinux.cfg",
            "DEFAULT first\n"
            "LABEL first\n"
            "  LINUX /a\n"
            "MENU BEGIN tools\n"
            "  MENU TITLE ^Tools and more\n"
            "  LABEL secret\n"
            "    MENU HIDE\n"
            "    LINUX /secret\n"
            "  LABEL rescue\n"
            "    LINUX /rescue\n"
            "    MENU DEFAULT\n"
            "  MENU BEGIN\n"
            "    MENU TITLE Deeper\n"
            "    LABEL deep\n"
            "      LINUX /deep\n"
            "  MENU END\n"
            "  LABEL back\n"
            "    LINUX /back\n"
            "MENU END\n"
            "MENU BEGIN notitle\n"
            "  LABEL t\n"
            "    LINUX /t\n"
            "MENU END\n"
            "LABEL last\n"
            "  LINUX /last\n");
        REQUIRE(import("menu", "/syslinux.cfg", &r) == 0);
        CHECK_INTEQ(r.diags.n, 0);
        REQUIRE(r.n == 6);
        CHECK_STREQ(r.entries[0].id, "first");
        CHECK_INTEQ(strv_length(r.entries[0].submenu), 0);
        CHECK_STREQ(r.entries[1].id, "rescue");
        REQUIRE(strv_length(r.entries[1].submenu) == 1);
        CHECK_STREQ(r.entries[1].submenu[0], "Tools and more");
        CHECK_STREQ(r.entries[2].id, "deep");
        REQUIRE(strv_length(r.entries[2].submenu) == 2);
        CHECK_STREQ(r.entries[2].submenu[0], "Tools and more");
        CHECK_STREQ(r.entries[2].submenu[1], "Deeper");
        CHECK_STREQ(r.entries[3].id, "back");
        REQUIRE(strv_length(r.entries[3].submenu) == 1);
        CHECK_STREQ(r.entries[3].submenu[0], "Tools and more");
        CHECK_STREQ(r.entries[4].id, "t");
        REQUIRE(strv_length(r.entries[4].submenu) == 1);
        CHECK_STREQ(r.entries[4].submenu[0], "notitle");
        CHECK_STREQ(r.entries[5].id, "last");
        CHECK_INTEQ(strv_length(r.entries[5].submenu), 0);
        /* MENU DEFAULT beats DEFAULT */
        CHECK_INTEQ(r.default_index, 1);
        for (size_t i = 0; i < r.n; i++)
                CHECK(!streq(r.entries[i].id, "secret"));
        import_result_done(&r);
}

TEST(include_loop)
{
        struct import_result r;

        put("loop", "syslinux.cfg", "LABEL a\nLINUX /a\nINCLUDE other.cfg\n");
        put("loop", "other.cfg", "LABEL b\nLINUX /b\nINCLUDE /syslinux.cfg\n");
        REQUIRE(import("loop", "/syslinux.cfg", &r) == 0);
        CHECK(has_diag(&r, "INCLUDE nested deeper than 16"));
        CHECK_INTEQ(r.diags.n, 1);
        /* 16 files read: the top one and 15 includes */
        CHECK_INTEQ(r.n, 16);
        import_result_done(&r);
}

TEST(missing_include_and_bad_lines)
{
        struct import_result r;

        put("bad", "syslinux.cfg",
            "INCLUDE /nope.cfg\nLABEL\nLABEL a\nKERNEL\nMENU END\nLABEL b\nLINUX /b\n");
        REQUIRE(import("bad", "/syslinux.cfg", &r) == 0);
        CHECK(has_diag(&r, "cannot read"));
        CHECK(has_diag(&r, "LABEL without a name"));
        CHECK(has_diag(&r, "KERNEL without a file"));
        CHECK(has_diag(&r, "MENU END without MENU BEGIN"));
        REQUIRE(r.n == 2);
        CHECK_STREQ(r.entries[0].not_bootable, "no KERNEL or LINUX line");
        CHECK_STREQ(r.entries[1].kernel.path, "/b");
        import_result_done(&r);
}

TEST(include_fanout_is_bounded)
{
        /* A file that includes itself twice: 2^16 reads within the depth limit without a total
         * bound (a fuzzer found it). */
        char tmpl[] = "/tmp/kl-sl-XXXXXX";
        char *dir = mkdtemp(tmpl);
        struct testfs t = {.n = 1, .self = "/dev/sda1"};
        struct import_result r = {.timeout = -1, .default_index = -1};
        struct import_fs fs;
        _cleanup_free_ char *p = NULL, *cmd = NULL;
        FILE *f;
        bool found = false;

        REQUIRE(dir);
        t.disks[0] = (struct testfs_disk){.dev = "/dev/sda1", .dir = dir};
        fs = testfs_fs(&t);
        p = util_asprintf("%s/syslinux.cfg", dir);
        f = fopen(p, "w");
        REQUIRE(f);
        fputs("LABEL a\nKERNEL /vmlinuz\nINCLUDE syslinux.cfg\nINCLUDE syslinux.cfg\n", f);
        fclose(f);
        CHECK(syslinux_import(&fs, "/syslinux.cfg", &r) == 0);
        for (size_t i = 0; i < r.diags.n; i++)
                if (strstr(r.diags.items[i].message, "INCLUDEs"))
                        found = true;
        CHECK(found);
        import_result_done(&r);
        cmd = util_asprintf("rm -rf '%s'", dir);
        CHECK(system(cmd) == 0);
}

/* INCLUDEs of a FIFO and of files out of the filesystem: a diagnostic each, nothing of the
 * outside read, the labels after them still there. */
TEST(hostile_includes)
{
        _cleanup_free_ char *abs = util_asprintf("%s/secret-sl.cfg", tmpdir);
        struct import_result r;

        put("hostile", "../secret-sl.cfg", "LABEL SECRET\nLINUX /SECRET\n");
        put_fifo("hostile", "fifo.cfg");
        put_link("hostile", "abs.cfg", abs);
        put("hostile", "syslinux.cfg",
            "INCLUDE fifo.cfg\nINCLUDE ../secret-sl.cfg\nINCLUDE /../../secret-sl.cfg\n"
            "INCLUDE abs.cfg\nLABEL after\nLINUX /vmlinuz\n");
        REQUIRE(import("hostile", "/syslinux.cfg", &r) == 0);
        REQUIRE(r.n == 1);
        CHECK_STREQ(r.entries[0].id, "after");
        CHECK(testfs_diag(&r, "/fifo.cfg", "not a regular file"));
        CHECK(testfs_diag(&r, "/abs.cfg", "No such file"));
        CHECK(!testfs_mentions(&r, "SECRET"));
        import_result_done(&r);
        /* The configuration itself a FIFO. */
        put_fifo("hostile-cfg", "syslinux.cfg");
        REQUIRE(import("hostile-cfg", "/syslinux.cfg", &r) == 0);
        CHECK_INTEQ(r.n, 0);
        CHECK(testfs_diag(&r, "/syslinux.cfg", "not a regular file"));
        import_result_done(&r);
}
