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
        CHECK_STREQ(e->not_bootable, "com32.c32: a syslinux module, not a Linux kernel");
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
        /* LOCALBOOT is a navigation item: not listed */
        REQUIRE(r.n == 6);
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

        CHECK_STREQ(r.entries[3].not_bootable, "hdt.c32: a syslinux module, not a Linux kernel");
        CHECK_STREQ(r.entries[4].not_bootable, "memdisk (not a Linux kernel)");
        CHECK_STREQ(r.entries[5].not_bootable, "boot sector");
        for (size_t i = 0; i < r.n; i++)
                CHECK(!streq(r.entries[i].id, "local"));
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

/* The listed LABELs are exactly ids, in order. */
static bool same_ids(const struct import_result *r, const char *const *ids, size_t n)
{
        if (r->n != n) {
                for (size_t i = 0; i < r->n; i++)
                        fprintf(stderr, "# listed: %s\n", r->entries[i].id);
                return false;
        }
        for (size_t i = 0; i < n; i++)
                if (!streq_ptr(r->entries[i].id, ids[i]))
                        return false;
        return true;
}

/* Navigation items move between menus in syslinux's menu (doc/menu.txt: MENU EXIT, MENU GOTO,
 * MENU QUIT, MENU DISABLE) or leave syslinux (LOCALBOOT, CONFIG): no boot entries. */
TEST(navigation_items_are_not_listed)
{
        struct import_result r;
        static const char *const ids[] = {"live", "rescue", "tool"};

        put("nav", "syslinux.cfg",
            "DEFAULT live\n"
            "LABEL live\n"
            "  LINUX /vmlinuz\n"
            "LABEL tomenu\n"
            "  MENU LABEL More...\n"
            "  MENU GOTO more\n"
            "LABEL heading\n"
            "  MENU LABEL -- Tools --\n"
            "  MENU DISABLE\n"
            "LABEL prompt\n"
            "  MENU QUIT\n"
            "LABEL hd\n"
            "  MENU LABEL Boot from first hard disk\n"
            "  LOCALBOOT 0x80\n"
            "LABEL other\n"
            "  CONFIG /boot/other.cfg /boot\n"
            "LABEL oldmenu\n"
            "  KERNEL vesamenu.c32\n"
            "  APPEND other.cfg\n"
            "LABEL oldmenu2\n"
            "  COM32 /boot/menu.c32\n"
            "MENU BEGIN more\n"
            "  LABEL back\n"
            "    MENU LABEL ^Back..\n"
            "    MENU EXIT\n"
            "  LABEL rescue\n"
            "    LINUX /rescue\n"
            "  LABEL up\n"
            "    MENU EXIT more\n"
            "    KERNEL /ignored\n"
            "MENU END\n"
            "LABEL tool\n"
            "  KERNEL /tool\n");
        put("nav", "boot/other.cfg", "LABEL x\nLINUX /x\n");
        REQUIRE(import("nav", "/syslinux.cfg", &r) == 0);
        CHECK_INTEQ(r.diags.n, 0);
        CHECK(same_ids(&r, ids, ARRAY_SIZE(ids)));
        CHECK_INTEQ(r.default_index, 0);
        for (size_t i = 0; i < r.n; i++)
                CHECK(r.entries[i].not_bootable == NULL);
        import_result_done(&r);
}

/* linux.c32 KERNEL ARGS…: boots the kernel named by its first argument (options starting with
 * '-' before it), the rest is the command line; initrd= there are initrds as for KERNEL. */
TEST(linux_c32_boots_linux)
{
        struct import_result r;
        const struct import_entry *e;

        put("lc32", "boot/syslinux/syslinux.cfg",
            "LABEL a\n"
            "  KERNEL linux.c32\n"
            "  APPEND vmlinuz initrd=initrd.img root=/dev/sda2 quiet\n"
            "LABEL b\n"
            "  COM32 /boot/syslinux/LINUX.C32 -dhcpinfo /vmlinuz-b console=ttyS0\n"
            "  INITRD /initrd-b\n"
            "LABEL c\n"
            "  COM32 linux.c32\n");
        REQUIRE(import("lc32", "/boot/syslinux/syslinux.cfg", &r) == 0);
        REQUIRE(r.n == 3);
        e = &r.entries[0];
        CHECK(e->not_bootable == NULL);
        CHECK_STREQ(e->kernel.path, "/boot/syslinux/vmlinuz");
        CHECK_STREQ(e->cmdline, "root=/dev/sda2 quiet");
        REQUIRE(e->n_initrds == 1);
        CHECK_STREQ(e->initrds[0].path, "/boot/syslinux/initrd.img");
        e = &r.entries[1];
        CHECK(e->not_bootable == NULL);
        CHECK_STREQ(e->kernel.path, "/vmlinuz-b");
        CHECK_STREQ(e->cmdline, "console=ttyS0");
        REQUIRE(e->n_initrds == 1);
        CHECK_STREQ(e->initrds[0].path, "/initrd-b");
        CHECK_STREQ(r.entries[2].not_bootable, "linux.c32 without a kernel");
        import_result_done(&r);
}

/* mboot.c32 KERNEL ARGS --- MODULE ARGS --- MODULE: a multiboot entry, as GRUB legacy's
 * kernel/module lines (Xen on syslinux: wiki.xenproject.org, "Xen on syslinux"). */
TEST(mboot_c32_is_multiboot)
{
        struct import_result r;
        const struct import_entry *e;

        put("mboot", "syslinux.cfg",
            "LABEL xen\n"
            "  KERNEL mboot.c32\n"
            "  APPEND xen.gz dom0_mem=1024M --- /vmlinuz root=/dev/sda1 ro --- initrd.img\n"
            "LABEL empty\n"
            "  KERNEL mboot.c32\n");
        REQUIRE(import("mboot", "/syslinux.cfg", &r) == 0);
        REQUIRE(r.n == 2);
        e = &r.entries[0];
        CHECK(e->not_bootable == NULL);
        CHECK(e->multiboot);
        CHECK_STREQ(e->kernel.path, "/xen.gz");
        CHECK_STREQ(e->cmdline, "dom0_mem=1024M");
        REQUIRE(e->n_modules == 2);
        CHECK_STREQ(e->modules[0].path, "/vmlinuz");
        CHECK_STREQ(e->module_args[0], "root=/dev/sda1 ro");
        CHECK_STREQ(e->modules[1].path, "/initrd.img");
        CHECK_STREQ(e->module_args[1], "");
        CHECK_INTEQ(strv_length(e->module_args), 2);
        CHECK_STREQ(r.entries[1].not_bootable, "mboot.c32 without a kernel");
        import_result_done(&r);
}

/* A live ISO's isolinux menus, written from the format's rules after the layout of Debian
 * live-build's isolinux templates (share/bootloaders/isolinux: isolinux.cfg, menu.cfg, stdmenu.cfg,
 * live.cfg, install.cfg, utilities.cfg) with the "Boot from first hard disk" label of Ubuntu's
 * isolinux txt.cfg. The expected listing is what syslinux's vesamenu shows as bootable entries. */
TEST(corpus_live_iso_menus)
{
        struct import_result r;
        const struct import_entry *e;
        static const char *const ids[] = {"live-amd64", "live-amd64-failsafe", "installstart",
                                          "hdt", "memtest"};

        put("live", "isolinux/isolinux.cfg",
            "include menu.cfg\n"
            "default vesamenu.c32\n"
            "prompt 0\n"
            "timeout 0\n");
        put("live", "isolinux/menu.cfg",
            "menu hshift 0\n"
            "menu width 82\n"
            "\n"
            "menu title Boot menu\n"
            "include stdmenu.cfg\n"
            "include live.cfg\n"
            "include install.cfg\n"
            "label hd\n"
            "\tmenu label ^Boot from first hard disk\n"
            "\tlocalboot 0x80\n"
            "menu begin utilities\n"
            "\tmenu label ^Utilities\n"
            "\tmenu title Utilities\n"
            "\tinclude stdmenu.cfg\n"
            "\tinclude utilities.cfg\n"
            "menu end\n");
        put("live", "isolinux/stdmenu.cfg",
            "menu background splash.png\n"
            "menu color title\t* #FFFFFFFF *\n"
            "menu color sel\t\t* #ffffffff #76a1d0ff *\n"
            "menu vshift 12\n"
            "menu rows 10\n"
            "menu tabmsg Press ENTER to boot or TAB to edit a menu entry\n");
        put("live", "isolinux/live.cfg",
            "label live-amd64\n"
            "\tmenu label ^Live system (amd64)\n"
            "\tmenu default\n"
            "\tlinux /live/vmlinuz-6.1.0-9-amd64\n"
            "\tinitrd /live/initrd.img-6.1.0-9-amd64\n"
            "\tappend boot=live components quiet splash\n"
            "\n"
            "label live-amd64-failsafe\n"
            "\tmenu label Live system (amd64 fail-safe mode)\n"
            "\tlinux /live/vmlinuz-6.1.0-9-amd64\n"
            "\tinitrd /live/initrd.img-6.1.0-9-amd64\n"
            "\tappend boot=live components memtest noapic noapm nodma nomce nolapic nosmp "
            "nosplash vga=788\n");
        put("live", "isolinux/install.cfg",
            "label installstart\n"
            "\tmenu label Start ^installer\n"
            "\tlinux /install/gtk/vmlinuz\n"
            "\tinitrd /install/gtk/initrd.gz\n"
            "\tappend vga=788  --- quiet\n");
        put("live", "isolinux/utilities.cfg",
            "label hdt\n"
            "\tmenu label ^Hardware Detection Tool (HDT)\n"
            "\tcom32 hdt.c32\n"
            "label memtest\n"
            "\tmenu label ^Memory Diagnostic Tool (memtest86+)\n"
            "\tlinux /live/memtest\n"
            "label mainmenu\n"
            "\tmenu label ^Back..\n"
            "\tmenu exit\n");
        REQUIRE(import("live", "/isolinux/isolinux.cfg", &r) == 0);
        CHECK_INTEQ(r.diags.n, 0);
        CHECK(same_ids(&r, ids, ARRAY_SIZE(ids)));
        REQUIRE(r.n == ARRAY_SIZE(ids));
        /* MENU DEFAULT; DEFAULT vesamenu.c32 names the menu program, no label */
        CHECK_INTEQ(r.default_index, 0);
        /* TIMEOUT 0: wait for the user */
        CHECK_INTEQ(r.timeout, -1);
        e = &r.entries[0];
        CHECK_STREQ(e->title, "Live system (amd64)");
        CHECK_STREQ(e->kernel.path, "/live/vmlinuz-6.1.0-9-amd64");
        REQUIRE(e->n_initrds == 1);
        CHECK_STREQ(e->initrds[0].path, "/live/initrd.img-6.1.0-9-amd64");
        CHECK_STREQ(e->cmdline, "boot=live components quiet splash");
        CHECK_INTEQ(strv_length(e->submenu), 0);
        e = &r.entries[2];
        CHECK_STREQ(e->title, "Start installer");
        CHECK_STREQ(e->cmdline, "vga=788 --- quiet");
        CHECK(e->not_bootable == NULL);
        e = &r.entries[3];
        CHECK_STREQ(e->title, "Hardware Detection Tool (HDT)");
        CHECK_STREQ(e->not_bootable, "hdt.c32: a syslinux module, not a Linux kernel");
        REQUIRE(strv_length(e->submenu) == 1);
        CHECK_STREQ(e->submenu[0], "Utilities");
        e = &r.entries[4];
        CHECK_STREQ(e->kernel.path, "/live/memtest");
        CHECK(e->not_bootable == NULL);
        REQUIRE(strv_length(e->submenu) == 1);
        CHECK_STREQ(e->submenu[0], "Utilities");
        import_result_done(&r);
}

/* Without a menu (no UI line) syslinux runs DEFAULT at once; a DEFAULT that hands over to another
 * configuration (CONFIG, directly or through whichsys.c32's -sys-/-iso- choice) makes that file
 * the menu (Arch's ISO); with a menu, CONFIG labels stay navigation; a loop of CONFIGs ends. */
TEST(default_hands_over_to_config)
{
        struct import_result r;

        put("hand", "boot/syslinux/syslinux.cfg",
            "DEFAULT select\nTIMEOUT 50\nLABEL select\nCOM32 whichsys.c32\n"
            "APPEND -pxe- pxe -sys- sys -iso- iso\nLABEL pxe\nCONFIG pxe.cfg\n"
            "LABEL sys\nCONFIG sys.cfg\nLABEL iso\nCONFIG iso.cfg\n");
        put("hand", "boot/syslinux/sys.cfg", "LABEL a\nLINUX /vmlinuz\nAPPEND from-sys\n");
        put("hand", "boot/syslinux/isolinux.cfg",
            "DEFAULT select\nLABEL select\nCOM32 whichsys.c32\n"
            "APPEND -pxe- pxe -sys- sys -iso- iso\nLABEL sys\nCONFIG sys.cfg\n"
            "LABEL iso\nCONFIG iso.cfg\n");
        put("hand", "boot/syslinux/iso.cfg", "LABEL b\nLINUX /vmlinuz\nAPPEND from-iso\n");
        REQUIRE(import("hand", "/boot/syslinux/syslinux.cfg", &r) == 0);
        REQUIRE(r.n == 1);
        CHECK_STREQ(r.entries[0].cmdline, "from-sys");
        CHECK_INTEQ(r.timeout, -1); /* the first file's TIMEOUT is gone with it */
        import_result_done(&r);
        REQUIRE(import("hand", "/boot/syslinux/isolinux.cfg", &r) == 0);
        REQUIRE(r.n == 1);
        CHECK_STREQ(r.entries[0].cmdline, "from-iso");
        import_result_done(&r);

        /* DEFAULT naming a CONFIG label directly */
        put("hand2", "extlinux.conf", "DEFAULT go\nLABEL go\nCONFIG /other.cfg\n");
        put("hand2", "other.cfg", "LABEL c\nLINUX /vmlinuz\n");
        REQUIRE(import("hand2", "/extlinux.conf", &r) == 0);
        REQUIRE(r.n == 1);
        CHECK_STREQ(r.entries[0].id, "c");
        import_result_done(&r);

        /* a menu (UI): the CONFIG label is a navigation item, the other label listed */
        put("hand3", "syslinux.cfg",
            "UI menu.c32\nDEFAULT go\nLABEL go\nCONFIG /other.cfg\nLABEL d\nLINUX /vmlinuz\n");
        put("hand3", "other.cfg", "LABEL c\nLINUX /vmlinuz\n");
        REQUIRE(import("hand3", "/syslinux.cfg", &r) == 0);
        REQUIRE(r.n == 1);
        CHECK_STREQ(r.entries[0].id, "d");
        import_result_done(&r);

        /* two files handing over to each other: bounded */
        put("hand4", "syslinux.cfg", "DEFAULT x\nLABEL x\nCONFIG /b.cfg\n");
        put("hand4", "b.cfg", "DEFAULT y\nLABEL y\nCONFIG /syslinux.cfg\n");
        REQUIRE(import("hand4", "/syslinux.cfg", &r) == 0);
        CHECK_INTEQ(r.n, 0);
        import_result_done(&r);
}

/* Several labels with MENU DEFAULT (live-build marks both of its live labels): syslinux's menu
 * sets its default at each one it records, so the last one wins. */
TEST(last_menu_default_wins)
{
        struct import_result r;

        put("mdef", "isolinux/isolinux.cfg",
            "UI menu.c32\nLABEL a\nMENU DEFAULT\nKERNEL /k\nLABEL b\nMENU DEFAULT\nKERNEL /k\n"
            "LABEL c\nKERNEL /k\n");
        REQUIRE(import("mdef", "/isolinux/isolinux.cfg", &r) == 0);
        REQUIRE(r.n == 3);
        CHECK_INTEQ(r.default_index, 1);
        import_result_done(&r);
}
