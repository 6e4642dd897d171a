/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include <stdint.h>

#include "backend/config.h"

static const struct config_source test_src = {.fs = "/dev/sda1", .file = "/kexec-loader.conf"};

static int parse_len(const char *text, size_t len, struct config *c, struct diag_list *d)
{
        return config_parse(text, len, &test_src, c, d);
}

static int parse(const char *text, struct config *c, struct diag_list *d)
{
        return parse_len(text, strlen(text), c, d);
}

/* Is there a diagnostic at line (0: any line) whose message contains text? */
static bool has_diag(const struct diag_list *d, unsigned line, const char *text)
{
        return test_diag_has(d, NULL, NULL, line, text);
}

static void dump_diags(const struct diag_list *d)
{
        for (size_t i = 0; i < d->n; i++) {
                char *s = diag_format(&d->items[i]);

                printf("#   diag: %s\n", s ? s : "(oom)");
                free(s);
        }
}

TEST(minimal_entry)
{
        struct config c;
        struct diag_list d = {0};

        REQUIRE(parse("title Linux\nkernel /boot/vmlinuz\nrootfs /dev/sda1\n", &c, &d) == 0);
        CHECK_INTEQ(d.n, 0);
        REQUIRE(c.n_entries == 1);
        CHECK_STREQ(c.entries[0].title, "Linux");
        CHECK_INTEQ(c.entries[0].line, 1);
        CHECK_STREQ(c.entries[0].kernel, "/boot/vmlinuz");
        CHECK_INTEQ(c.entries[0].n_mounts, 1);
        CHECK_STREQ(c.entries[0].mounts[0].device, "/dev/sda1");
        CHECK(c.entries[0].mounts[0].fstype == NULL);
        CHECK_STREQ(c.entries[0].mounts[0].mountpoint, "/");
        CHECK_INTEQ(c.entries[0].mounts[0].line, 3);
        CHECK(c.entries[0].initrds == NULL || c.entries[0].initrds[0] == NULL);
        CHECK(!c.entries[0].is_default);
        CHECK(!c.entries[0].reset_vga);
        CHECK(!c.timeout_set);
        CHECK_INTEQ(c.timeout, 0);
        CHECK_INTEQ(c.grub_first, CONFIG_GRUB_FIRST_HDX);
        CHECK_INTEQ(c.autodetect, CONFIG_AUTODETECT_DEFAULT);
        CHECK(c.theme == NULL);
        CHECK(c.grub_root == NULL);
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

/* scale: auto, a factor or a percentage; anything else is reported and ignored. */
TEST(scale_directive)
{
        struct config c;
        struct diag_list d = {0};

        REQUIRE(parse("scale 2\nscale auto\n", &c, &d) == 0);
        CHECK_INTEQ(d.n, 0);
        CHECK_INTEQ(c.scale, 0);
        config_done(&c);
        REQUIRE(parse("scale 175%\nscale 9\nscale\n", &c, &d) == 0);
        CHECK_INTEQ(c.scale, 175);
        CHECK_INTEQ(d.n, 2);
        CHECK(has_diag(&d, 2, "scale: value must be auto"));
        CHECK(has_diag(&d, 3, "'scale' requires an argument"));
        config_done(&c);
        diag_list_done(&d);
}

/* beep: on or off, off by default; anything else is reported and ignored. */
TEST(beep_directive)
{
        struct config c;
        struct diag_list d = {0};

        REQUIRE(parse("timeout 3\n", &c, &d) == 0);
        CHECK(!c.beep);
        config_done(&c);
        REQUIRE(parse("beep on\n", &c, &d) == 0);
        CHECK_INTEQ(d.n, 0);
        CHECK(c.beep);
        config_done(&c);
        REQUIRE(parse("beep on\nbeep loud\nbeep OFF\n", &c, &d) == 0);
        CHECK(!c.beep);
        CHECK_INTEQ(d.n, 1);
        CHECK(has_diag(&d, 2, "beep: value must be on or off"));
        config_done(&c);
        diag_list_done(&d);
}

/* keymap: a compiled layout's name; an unknown one is reported with the close names. */
TEST(keymap_directive)
{
        struct config c;
        struct diag_list d = {0};

        REQUIRE(parse("keymap fr\nkeymap de\n", &c, &d) == 0);
        CHECK_INTEQ(d.n, 0);
        CHECK_STREQ(c.keymap, "de");
        config_done(&c);
        REQUIRE(parse("keymap de\nkeymap ge\nkeymap qqqqqqqqqq\nkeymap\n", &c, &d) == 0);
        CHECK_STREQ(c.keymap, "de");
        CHECK_INTEQ(d.n, 3);
        CHECK(has_diag(&d, 2, "keymap: unknown keyboard layout 'ge' (close: "));
        CHECK(has_diag(&d, 2, "de"));
        CHECK(has_diag(&d, 3, "'qqqqqqqqqq' (K in the menu lists the layouts)"));
        CHECK(has_diag(&d, 4, "'keymap' requires an argument"));
        config_done(&c);
        diag_list_done(&d);
}

TEST(every_directive)
{
        static const char text[] = "timeout 10\n"
                                   "grub_root ext3:(hd0,0)\n"
                                   "grub_first sdx\n"
                                   "theme starfield\n"
                                   "autodetect off\n"
                                   "\n"
                                   "title Debian GNU/Linux\n"
                                   "kernel /boot/vmlinuz-6.1\n"
                                   "initrd /boot/initrd.img /boot/ucode.img\n"
                                   "initrd /boot/extra.img\n"
                                   "append quiet splash\n"
                                   "cmdline root=/dev/sda1 ro\n"
                                   "default\n"
                                   "reset-vga\n"
                                   "rootfs ext2:/dev/hda1\n"
                                   "mount vfat:sdb1 boot/efi/\n"
                                   "module /boot/mod.gz arg1 arg2\n"
                                   "module /boot/other.gz\n"
                                   "title Second\n"
                                   "kernel /vmlinuz\n"
                                   "root UUID=1234-ABCD\n";
        struct config c;
        struct diag_list d = {0};
        const struct config_entry *e;

        REQUIRE(parse(text, &c, &d) == 0);
        CHECK_INTEQ(d.n, 0);
        CHECK(c.timeout_set);
        CHECK_INTEQ(c.timeout, 10);
        CHECK_STREQ(c.grub_root, "ext3:(hd0,0)");
        CHECK_INTEQ(c.grub_first, CONFIG_GRUB_FIRST_SDX);
        CHECK_STREQ(c.theme, "starfield");
        CHECK_INTEQ(c.autodetect, CONFIG_AUTODETECT_OFF);
        REQUIRE(c.n_entries == 2);

        e = &c.entries[0];
        CHECK_STREQ(e->title, "Debian GNU/Linux");
        CHECK_INTEQ(e->line, 7);
        CHECK_STREQ(e->kernel, "/boot/vmlinuz-6.1");
        REQUIRE(strv_length(e->initrds) == 3);
        CHECK_STREQ(e->initrds[0], "/boot/initrd.img");
        CHECK_STREQ(e->initrds[1], "/boot/ucode.img");
        CHECK_STREQ(e->initrds[2], "/boot/extra.img");
        CHECK_STREQ(e->append, "quiet splash");
        CHECK_STREQ(e->cmdline, "root=/dev/sda1 ro");
        CHECK(e->is_default);
        CHECK(e->reset_vga);
        REQUIRE(e->n_mounts == 2);
        CHECK_STREQ(e->mounts[0].device, "/dev/hda1");
        CHECK_STREQ(e->mounts[0].fstype, "ext2");
        CHECK_STREQ(e->mounts[0].mountpoint, "/");
        CHECK_INTEQ(e->mounts[0].line, 15);
        CHECK_STREQ(e->mounts[1].device, "sdb1");
        CHECK_STREQ(e->mounts[1].fstype, "vfat");
        CHECK_STREQ(e->mounts[1].mountpoint, "/boot/efi");
        CHECK_INTEQ(e->mounts[1].line, 16);
        CHECK(config_entry_root(e) == &e->mounts[0]);
        REQUIRE(strv_length(e->modules) == 2);
        CHECK_STREQ(e->modules[0], "/boot/mod.gz arg1 arg2");
        CHECK_STREQ(e->modules[1], "/boot/other.gz");

        e = &c.entries[1];
        CHECK_STREQ(e->title, "Second");
        CHECK_INTEQ(e->line, 19);
        CHECK(!e->is_default);
        REQUIRE(e->n_mounts == 1);
        CHECK_STREQ(e->mounts[0].device, "UUID=1234-ABCD");
        CHECK(e->mounts[0].fstype == NULL);
        CHECK_STREQ(e->mounts[0].mountpoint, "/");
        CHECK_INTEQ(config_default_index(&c), 0);
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(case_insensitive_names)
{
        static const char text[] = "TIMEOUT 3\n"
                                   "Grub_First SDX\n"
                                   "AutoDetect ON\n"
                                   "TITLE Upper\n"
                                   "Kernel /k\n"
                                   "INITRD /i\n"
                                   "ROOTFS sda1\n"
                                   "Reset-VGA\n"
                                   "DEFAULT\n"
                                   "MODULE /m\n"
                                   "Root sda2\n";
        struct config c;
        struct diag_list d = {0};

        REQUIRE(parse(text, &c, &d) == 0);
        CHECK_INTEQ(c.timeout, 3);
        CHECK_INTEQ(c.grub_first, CONFIG_GRUB_FIRST_SDX);
        CHECK_INTEQ(c.autodetect, CONFIG_AUTODETECT_ON);
        REQUIRE(c.n_entries == 1);
        CHECK_STREQ(c.entries[0].title, "Upper");
        CHECK_STREQ(c.entries[0].kernel, "/k");
        CHECK(c.entries[0].reset_vga);
        CHECK(c.entries[0].is_default);
        CHECK_INTEQ(strv_length(c.entries[0].modules), 1);
        CHECK_INTEQ(strv_length(c.entries[0].initrds), 1);
        /* The second root mount replaces the first, with a warning. */
        REQUIRE(c.entries[0].n_mounts == 1);
        CHECK_STREQ(c.entries[0].mounts[0].device, "sda2");
        CHECK_INTEQ(d.n, 1);
        CHECK(has_diag(&d, 11, "already has a mount at '/'"));
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(comments_blanks_and_values)
{
        static const char text[] = "# a comment\n"
                                   "   # an indented comment\n"
                                   "\n"
                                   "   \t  \n"
                                   "  \ttitle   Spaced  Title  \t \n"
                                   "\tkernel\t/boot/vmlinuz   \n"
                                   "append quiet # not a comment\n"
                                   "rootfs sda1\n"
                                   "cmdline  a   b  \n";
        struct config c;
        struct diag_list d = {0};

        REQUIRE(parse(text, &c, &d) == 0);
        CHECK_INTEQ(d.n, 0);
        REQUIRE(c.n_entries == 1);
        CHECK_STREQ(c.entries[0].title, "Spaced  Title");
        CHECK_INTEQ(c.entries[0].line, 5);
        CHECK_STREQ(c.entries[0].kernel, "/boot/vmlinuz");
        CHECK_STREQ(c.entries[0].append, "quiet # not a comment");
        CHECK_STREQ(c.entries[0].cmdline, "a   b");
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(crlf_line_endings)
{
        static const char text[] = "timeout 7\r\n"
                                   "title DOS\r\n"
                                   "frobnicate\r\n"
                                   "kernel /vmlinuz\r\n"
                                   "initrd /a /b\r\n"
                                   "rootfs ext4:sda1\r\n"
                                   "mount sda2 /boot\r\n"
                                   "\r\n"
                                   "append x=1\r";
        struct config c;
        struct diag_list d = {0};
        const struct config_entry *e;

        REQUIRE(parse(text, &c, &d) == 0);
        CHECK_INTEQ(c.timeout, 7);
        REQUIRE(c.n_entries == 1);
        e = &c.entries[0];
        CHECK_STREQ(e->title, "DOS");
        CHECK_STREQ(e->kernel, "/vmlinuz");
        REQUIRE(strv_length(e->initrds) == 2);
        CHECK_STREQ(e->initrds[1], "/b");
        REQUIRE(e->n_mounts == 2);
        CHECK_STREQ(e->mounts[0].fstype, "ext4");
        CHECK_STREQ(e->mounts[0].device, "sda1");
        CHECK_STREQ(e->mounts[1].mountpoint, "/boot");
        CHECK_STREQ(e->append, "x=1");
        REQUIRE(d.n == 1);
        CHECK_INTEQ(d.items[0].line, 3);
        CHECK_STREQ(d.items[0].message, "unknown directive 'frobnicate'");
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(utf8_bom)
{
        struct config c;
        struct diag_list d = {0};

        REQUIRE(parse("\xef\xbb\xbftitle A\nkernel /k\nrootfs sda1\n", &c, &d) == 0);
        CHECK_INTEQ(d.n, 0);
        REQUIRE(c.n_entries == 1);
        CHECK_STREQ(c.entries[0].title, "A");
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(diagnostic_source)
{
        struct config c;
        struct diag_list d = {0};
        char *s;

        REQUIRE(parse("\n\nbogus value\n", &c, &d) == 0);
        REQUIRE(d.n == 1);
        CHECK_STREQ(d.items[0].fs, "/dev/sda1");
        CHECK_STREQ(d.items[0].file, "/kexec-loader.conf");
        CHECK_INTEQ(d.items[0].line, 3);
        s = diag_format(&d.items[0]);
        CHECK_STREQ(s, "/kexec-loader.conf:3: unknown directive 'bogus'");
        free(s);
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(pre_title_directives_are_dropped)
{
        static const char text[] = "kernel /leak\n"
                                   "initrd /leak.img\n"
                                   "append leak\n"
                                   "cmdline leak\n"
                                   "default\n"
                                   "reset-vga\n"
                                   "rootfs sda9\n"
                                   "root sda9\n"
                                   "mount sda8 /boot\n"
                                   "module /leak.mod\n"
                                   "timeout 4\n"
                                   "title First\n"
                                   "kernel /vmlinuz\n"
                                   "rootfs sda1\n";
        static const char *const names[] = {"kernel",    "initrd", "append", "cmdline", "default",
                                            "reset-vga", "rootfs", "root",   "mount",   "module"};
        struct config c;
        struct diag_list d = {0};
        const struct config_entry *e;

        REQUIRE(parse(text, &c, &d) == 0);
        CHECK_INTEQ(d.n, ARRAY_SIZE(names));
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                char want[80];

                snprintf(want, sizeof(want), "'%s' before the first 'title' is ignored", names[i]);
                CHECK(has_diag(&d, (unsigned) i + 1, want));
        }
        /* Globals before the first title still count. */
        CHECK_INTEQ(c.timeout, 4);
        REQUIRE(c.n_entries == 1);
        e = &c.entries[0];
        CHECK_STREQ(e->kernel, "/vmlinuz");
        CHECK(strv_length(e->initrds) == 0);
        CHECK(e->append == NULL);
        CHECK(e->cmdline == NULL);
        CHECK(!e->is_default);
        CHECK(!e->reset_vga);
        CHECK(strv_length(e->modules) == 0);
        REQUIRE(e->n_mounts == 1);
        CHECK_STREQ(e->mounts[0].device, "sda1");
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(title_without_argument_does_not_fold)
{
        static const char text[] = "title Good\n"
                                   "kernel /good\n"
                                   "rootfs sda1\n"
                                   "title   \n"
                                   "kernel /bad\n"
                                   "append bad\n"
                                   "default\n"
                                   "bogus\n"
                                   "timeout 9\n"
                                   "initrd\n"
                                   "rootfs (hd0\n"
                                   "title Next\n"
                                   "kernel /next\n"
                                   "rootfs sda2\n";
        struct config c;
        struct diag_list d = {0};

        REQUIRE(parse(text, &c, &d) == 0);
        /* The title once, the unknown directive once, nothing else: the errors in the dropped
         * section's own directives are not reported. */
        CHECK_INTEQ(d.n, 2);
        CHECK(has_diag(&d, 4, "'title' requires an argument"));
        CHECK(has_diag(&d, 8, "unknown directive 'bogus'"));
        CHECK_INTEQ(c.timeout, 9);
        REQUIRE(c.n_entries == 2);
        CHECK_STREQ(c.entries[0].title, "Good");
        CHECK_STREQ(c.entries[0].kernel, "/good");
        CHECK(c.entries[0].append == NULL);
        CHECK(!c.entries[0].is_default);
        CHECK_STREQ(c.entries[1].title, "Next");
        CHECK_STREQ(c.entries[1].kernel, "/next");
        CHECK(c.entries[1].append == NULL);
        CHECK(!c.entries[1].is_default);
        CHECK_INTEQ(config_default_index(&c), 0);
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(title_without_argument_first)
{
        struct config c;
        struct diag_list d = {0};

        REQUIRE(parse("title\nkernel /a\nrootfs sda1\ntitle B\nkernel /b\nrootfs sda1\n", &c, &d) ==
                0);
        CHECK_INTEQ(d.n, 1);
        CHECK(has_diag(&d, 1, "'title' requires an argument"));
        REQUIRE(c.n_entries == 1);
        CHECK_STREQ(c.entries[0].title, "B");
        CHECK_STREQ(c.entries[0].kernel, "/b");
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(required_arguments)
{
        static const char text[] = "title T\n"    /* 1 */
                                   "kernel\n"     /* 2 */
                                   "initrd  \n"   /* 3 */
                                   "append\n"     /* 4 */
                                   "cmdline \t\n" /* 5 */
                                   "rootfs\n"     /* 6 */
                                   "root\n"       /* 7 */
                                   "module\n"     /* 8 */
                                   "mount\n"      /* 9 */
                                   "mount sda1\n" /* 10 */
                                   "theme\n"      /* 11 */
                                   "grub_root\n"  /* 12 */
                                   "timeout\n"    /* 13 */
                                   "kernel /k\n"  /* 14 */
                                   "rootfs sda1\n" /* 15 */;
        struct config c;
        struct diag_list d = {0};

        REQUIRE(parse(text, &c, &d) == 0);
        CHECK_INTEQ(d.n, 12);
        CHECK(has_diag(&d, 2, "'kernel' requires an argument"));
        CHECK(has_diag(&d, 3, "'initrd' requires an argument"));
        CHECK(has_diag(&d, 4, "'append' requires an argument"));
        CHECK(has_diag(&d, 5, "'cmdline' requires an argument"));
        CHECK(has_diag(&d, 6, "'rootfs' requires an argument"));
        CHECK(has_diag(&d, 7, "'root' requires an argument"));
        CHECK(has_diag(&d, 8, "'module' requires an argument"));
        CHECK(has_diag(&d, 9, "'mount' requires a device and a mount point"));
        CHECK(has_diag(&d, 10, "'mount' requires a device and a mount point"));
        CHECK(has_diag(&d, 11, "'theme' requires an argument"));
        CHECK(has_diag(&d, 12, "'grub_root' requires an argument"));
        CHECK(has_diag(&d, 13, "'timeout' requires an argument"));
        CHECK(!c.timeout_set);
        CHECK(c.theme == NULL);
        CHECK(c.grub_root == NULL);
        REQUIRE(c.n_entries == 1);
        CHECK_STREQ(c.entries[0].kernel, "/k");
        CHECK(c.entries[0].append == NULL);
        CHECK(c.entries[0].cmdline == NULL);
        CHECK(strv_length(c.entries[0].initrds) == 0);
        CHECK(strv_length(c.entries[0].modules) == 0);
        CHECK_INTEQ(c.entries[0].n_mounts, 1);
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(mounts)
{
        static const char text[] = "title M\n"
                                   "kernel /k\n"
                                   "mount sda2 boot/\n"
                                   "mount  xfs:LABEL=data \t //srv//data/ \n"
                                   "mount auto:(hd0,1) /a/./b/../c\n"
                                   "mount sda3 /\n"
                                   "rootfs sda4\n"
                                   "mount sda5 /boot\n";
        struct config c;
        struct diag_list d = {0};
        const struct config_entry *e;

        REQUIRE(parse(text, &c, &d) == 0);
        REQUIRE(c.n_entries == 1);
        e = &c.entries[0];
        REQUIRE(e->n_mounts == 4);
        CHECK_STREQ(e->mounts[0].device, "sda5");
        CHECK_STREQ(e->mounts[0].mountpoint, "/boot");
        CHECK_INTEQ(e->mounts[0].line, 8);
        CHECK_STREQ(e->mounts[1].device, "LABEL=data");
        CHECK_STREQ(e->mounts[1].fstype, "xfs");
        CHECK_STREQ(e->mounts[1].mountpoint, "/srv/data");
        CHECK_STREQ(e->mounts[2].device, "(hd0,1)");
        CHECK(e->mounts[2].fstype == NULL);
        CHECK_STREQ(e->mounts[2].mountpoint, "/a/c");
        CHECK_STREQ(e->mounts[3].device, "sda4");
        CHECK_STREQ(e->mounts[3].mountpoint, "/");
        CHECK(config_entry_root(e) == &e->mounts[3]);
        CHECK_INTEQ(d.n, 2);
        CHECK(has_diag(&d, 7,
                       "'rootfs': this entry already has a mount at '/', the later one wins"));
        CHECK(has_diag(&d, 8, "'mount': this entry already has a mount at '/boot'"));
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(second_rootfs_later_wins)
{
        struct config c;
        struct diag_list d = {0};

        REQUIRE(parse("title T\nkernel /k\nrootfs ext3:sda1\nrootfs btrfs:sdb1\n", &c, &d) == 0);
        REQUIRE(c.n_entries == 1);
        REQUIRE(c.entries[0].n_mounts == 1);
        CHECK_STREQ(c.entries[0].mounts[0].device, "sdb1");
        CHECK_STREQ(c.entries[0].mounts[0].fstype, "btrfs");
        CHECK_INTEQ(c.entries[0].mounts[0].line, 4);
        REQUIRE(d.n == 1);
        CHECK_INTEQ(d.items[0].line, 4);
        CHECK_STREQ(d.items[0].message,
                    "'rootfs': this entry already has a mount at '/', the later one wins");
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(bad_device_names)
{
        static const char text[] = "title T\n"
                                   "kernel /k\n"
                                   "rootfs (hd0\n"
                                   "rootfs (xx0,1)\n"
                                   "mount (hd0,0,a) /boot\n"
                                   "rootfs ext4:\n"
                                   "mount UUID= /x\n"
                                   "title U\n"
                                   "kernel /k\n"
                                   "rootfs (hd0,0)\n"
                                   "mount UUID=ab:cd /boot\n";
        struct config c;
        struct diag_list d = {0};

        REQUIRE(parse(text, &c, &d) == 0);
        CHECK(has_diag(&d, 3, "'rootfs': '(hd0' is not a valid device name"));
        CHECK(has_diag(&d, 4, "'rootfs': '(xx0,1)' is not a valid device name"));
        CHECK(has_diag(&d, 5, "'mount': '(hd0,0,a)' is not a valid device name"));
        CHECK(has_diag(&d, 6, "'rootfs' requires a device after the filesystem type"));
        CHECK(has_diag(&d, 7, "'mount': 'UUID=' is not a valid device name"));
        /* T got no mount at all and is dropped. */
        CHECK(has_diag(&d, 1, "'T' has no root filesystem (rootfs), skipped"));
        CHECK_INTEQ(d.n, 6);
        REQUIRE(c.n_entries == 1);
        CHECK_STREQ(c.entries[0].title, "U");
        REQUIRE(c.entries[0].n_mounts == 2);
        CHECK_STREQ(c.entries[0].mounts[0].device, "(hd0,0)");
        CHECK_STREQ(c.entries[0].mounts[1].device, "UUID=ab:cd");
        CHECK(c.entries[0].mounts[1].fstype == NULL);
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(module_is_not_unknown)
{
        struct config c;
        struct diag_list d = {0};
        char text[4096];
        size_t o = 0;

        o += (size_t) snprintf(text + o, sizeof(text) - o,
                               "title Multiboot\nkernel /xen.gz\n"
                               "rootfs sda1\n");
        for (int i = 0; i < 40; i++)
                o += (size_t) snprintf(text + o, sizeof(text) - o, "module /mod%d arg=%d  x\n", i,
                                       i);
        REQUIRE(parse(text, &c, &d) == 0);
        CHECK_INTEQ(d.n, 0);
        CHECK(!has_diag(&d, 0, "unknown"));
        REQUIRE(c.n_entries == 1);
        /* No limit of 16, order kept, arguments kept. */
        REQUIRE(strv_length(c.entries[0].modules) == 40);
        CHECK_STREQ(c.entries[0].modules[0], "/mod0 arg=0  x");
        CHECK_STREQ(c.entries[0].modules[39], "/mod39 arg=39  x");
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(timeout_values)
{
        static const struct {
                const char *value;
                bool ok;
                unsigned want;
        } cases[] = {
                {"5", true, 5},           {"0", true, 0},
                {"007", true, 7},         {"off", true, 0},
                {"OFF", true, 0},         {"Off", true, 0},
                {"86400", true, 86400},   {"4294967295", true, 4294967295u},
                {"4294967296", false, 0}, {"99999999999999999999999", false, 0},
                {"abc", false, 0},        {"5s", false, 0},
                {"-1", false, 0},         {"+5", false, 0},
                {"1.5", false, 0},        {"5 6", false, 0},
                {"0x10", false, 0},       {"of", false, 0},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                struct config c;
                struct diag_list d = {0};
                char text[128], want[128];

                /* The first timeout sets 42; the value under test may replace it. */
                snprintf(text, sizeof(text), "timeout 42\ntimeout %s\n", cases[i].value);
                REQUIRE(parse(text, &c, &d) == 0);
                CHECK(c.timeout_set);
                if (cases[i].ok) {
                        if (c.timeout != cases[i].want || d.n != 0)
                                printf("# case '%s'\n", cases[i].value);
                        CHECK_INTEQ(c.timeout, cases[i].want);
                        CHECK_INTEQ(d.n, 0);
                } else {
                        snprintf(want, sizeof(want), "timeout: '%s' is not a number of seconds",
                                 cases[i].value);
                        if (c.timeout != 42 || d.n != 1)
                                printf("# case '%s'\n", cases[i].value);
                        CHECK_INTEQ(c.timeout, 42);
                        REQUIRE(d.n == 1);
                        CHECK_INTEQ(d.items[0].line, 2);
                        CHECK_STREQ(d.items[0].message, want);
                }
                config_done(&c);
                if (*test_failed)
                        dump_diags(&d);
                diag_list_done(&d);
        }
}

TEST(timeout_garbage_alone_leaves_unset)
{
        struct config c;
        struct diag_list d = {0};

        REQUIRE(parse("timeout abc\n", &c, &d) == 0);
        CHECK(!c.timeout_set);
        CHECK_INTEQ(c.timeout, 0);
        CHECK(has_diag(&d, 1, "timeout: 'abc' is not a number of seconds"));
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(globals_anywhere_last_wins)
{
        static const char text[] = "timeout 1\n"
                                   "title A\n"
                                   "kernel /k\n"
                                   "timeout 2\n"
                                   "theme one\n"
                                   "rootfs sda1\n"
                                   "grub_root sda1\n"
                                   "title B\n"
                                   "theme /themes/two\n"
                                   "grub_first SDX\n"
                                   "grub_first hdx\n"
                                   "autodetect on\n"
                                   "grub_root ext4:UUID=abcd\n"
                                   "kernel /k\n"
                                   "rootfs sda1\n"
                                   "timeout 3\n";
        struct config c;
        struct diag_list d = {0};

        REQUIRE(parse(text, &c, &d) == 0);
        CHECK_INTEQ(d.n, 0);
        CHECK_INTEQ(c.timeout, 3);
        CHECK_STREQ(c.theme, "/themes/two");
        CHECK_STREQ(c.grub_root, "ext4:UUID=abcd");
        CHECK_INTEQ(c.grub_first, CONFIG_GRUB_FIRST_HDX);
        CHECK_INTEQ(c.autodetect, CONFIG_AUTODETECT_ON);
        CHECK_INTEQ(c.n_entries, 2);
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(bad_global_values)
{
        static const char text[] = "grub_first hdy\n"
                                   "grub_first sdx\n"
                                   "grub_first\n"
                                   "autodetect maybe\n"
                                   "autodetect\n"
                                   "grub_root (hd0\n"
                                   "grub_root :sda1\n";
        struct config c;
        struct diag_list d = {0};

        REQUIRE(parse(text, &c, &d) == 0);
        CHECK_INTEQ(d.n, 6);
        CHECK(has_diag(&d, 1, "grub_first: value must be hdx or sdx"));
        CHECK(has_diag(&d, 3, "grub_first: value must be hdx or sdx"));
        CHECK(has_diag(&d, 4, "autodetect: value must be on or off"));
        CHECK(has_diag(&d, 5, "autodetect: value must be on or off"));
        CHECK(has_diag(&d, 6, "'grub_root': '(hd0' is not a valid device name"));
        CHECK(has_diag(&d, 7, "'grub_root': ':sda1' is not a valid device name"));
        CHECK_INTEQ(c.grub_first, CONFIG_GRUB_FIRST_SDX);
        CHECK_INTEQ(c.autodetect, CONFIG_AUTODETECT_DEFAULT);
        CHECK(c.grub_root == NULL);
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(unknown_directives)
{
        struct config c;
        struct diag_list d = {0};

        REQUIRE(parse("title T\nfoo bar\nkernel /k\nrootfs sda1\nkernel-x y\ngrub-first hdx\n"
                      "\x1b[2Jevil\n",
                      &c, &d) == 0);
        REQUIRE(d.n == 4);
        CHECK_STREQ(d.items[0].message, "unknown directive 'foo'");
        CHECK_INTEQ(d.items[0].line, 2);
        CHECK_STREQ(d.items[1].message, "unknown directive 'kernel-x'");
        CHECK_STREQ(d.items[2].message, "unknown directive 'grub-first'");
        /* Control characters never reach a message. */
        CHECK_STREQ(d.items[3].message, "unknown directive '?[2Jevil'");
        CHECK_INTEQ(c.n_entries, 1);
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(long_names_are_cut_in_messages)
{
        struct config c;
        struct diag_list d = {0};
        char *text = malloc(5003);

        REQUIRE(text);
        memset(text, 'x', 5000);
        strcpy(text + 5000, " y");
        REQUIRE(parse(text, &c, &d) == 0);
        REQUIRE(d.n == 1);
        CHECK(strlen(d.items[0].message) < 120);
        CHECK(strstr(d.items[0].message, "...'") != NULL);
        free(text);
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(no_line_length_limit)
{
        const size_t vlen = 100000;
        char *value = malloc(vlen + 1), *text;
        struct config c;
        struct diag_list d = {0};

        REQUIRE(value);
        for (size_t i = 0; i < vlen; i++)
                value[i] = (char) ('a' + i % 26);
        value[vlen] = 0;
        text = util_asprintf("title Long\nkernel /k\nappend %s\nrootfs sda1\nbogus\n", value);
        REQUIRE(text);
        REQUIRE(parse(text, &c, &d) == 0);
        REQUIRE(c.n_entries == 1);
        REQUIRE(c.entries[0].append != NULL);
        CHECK_INTEQ(strlen(c.entries[0].append), vlen);
        CHECK(strcmp(c.entries[0].append, value) == 0);
        CHECK_INTEQ(c.entries[0].n_mounts, 1);
        /* The long line was one line: the line numbers after it are right. */
        REQUIRE(d.n == 1);
        CHECK_INTEQ(d.items[0].line, 5);
        free(text);
        free(value);
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(nul_bytes)
{
        static const char text[] = "title A\nkernel /k\0junk\nrootfs sda1\nkernel /real\n\0\n";
        struct config c;
        struct diag_list d = {0};

        REQUIRE(parse_len(text, sizeof(text) - 1, &c, &d) == 0);
        REQUIRE(d.n == 2);
        CHECK(has_diag(&d, 2, "line contains a NUL byte"));
        CHECK(has_diag(&d, 5, "line contains a NUL byte"));
        REQUIRE(c.n_entries == 1);
        CHECK_STREQ(c.entries[0].kernel, "/real");
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(no_trailing_newline_and_length)
{
        static const char text[] = "title A\nkernel /k\nrootfs sda1\nappend abcdef";
        struct config c;
        struct diag_list d = {0};

        /* Only the bytes given count: "append abc". */
        REQUIRE(parse_len(text, sizeof(text) - 4, &c, &d) == 0);
        REQUIRE(c.n_entries == 1);
        CHECK_STREQ(c.entries[0].append, "abc");
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);

        REQUIRE(parse_len("", 0, &c, &d) == 0);
        CHECK_INTEQ(c.n_entries, 0);
        CHECK_INTEQ(d.n, 0);
        CHECK_INTEQ(config_default_index(&c), -1);
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

static uint32_t rng_state;

static uint32_t rng(void)
{
        /* xorshift32, fixed seed: the same "random" bytes on every run. */
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 17;
        rng_state ^= rng_state << 5;
        return rng_state;
}

TEST(binary_garbage)
{
        const size_t len = 16384;
        char *text = malloc(len + 64);
        size_t nuls = 0;

        REQUIRE(text);
        for (int round = 0; round < 8; round++) {
                struct config c;
                struct diag_list d = {0};
                size_t n;

                rng_state = 0x12345678u + (uint32_t) round;
                for (size_t i = 0; i < len; i++) {
                        uint32_t v = rng();

                        /* Mostly bytes, with newlines and directive names mixed in. */
                        if (v % 97 == 0)
                                text[i] = '\n';
                        else if (v % 89 == 0)
                                text[i] = 0;
                        else
                                text[i] = (char) (v >> 8);
                        nuls += text[i] == 0;
                }
                memcpy(text + 100, "\ntitle\n", 7);
                memcpy(text + 200, "\nkernel\n", 8);
                memcpy(text + 300, "\ntimeout \xff\n", 11);
                n = len;
                n += (size_t) snprintf(text + n, 64, "\ntitle Last\nkernel /k\nrootfs sda1\n");
                REQUIRE(parse_len(text, n, &c, &d) == 0);
                CHECK(d.n > 10);
                CHECK(has_diag(&d, 0, "line contains a NUL byte"));
                CHECK(has_diag(&d, 0, "unknown directive"));
                for (size_t i = 0; i < d.n; i++)
                        for (const char *m = d.items[i].message; *m; m++)
                                CHECK((unsigned char) *m >= 0x20 && *m != 0x7f);
                REQUIRE(c.n_entries >= 1);
                CHECK_STREQ(c.entries[c.n_entries - 1].title, "Last");
                config_done(&c);
                if (*test_failed)
                        dump_diags(&d);
                diag_list_done(&d);
        }
        CHECK(nuls > 0);
        free(text);
}

TEST(ten_megabytes)
{
        const size_t want = 10 * 1024 * 1024;
        size_t cap = want + 4096, len = 0, entries = 0, lines = 0;
        char *text = malloc(cap);
        struct config c;
        struct diag_list d = {0};

        REQUIRE(text);
        while (len < want) {
                len += (size_t) snprintf(text + len, cap - len,
                                         "title Entry number %zu\n"
                                         "kernel /boot/vmlinuz-%zu\n"
                                         "initrd /boot/initrd-%zu.img /boot/ucode.img\n"
                                         "append root=/dev/sda1 ro quiet splash console=ttyS0\n"
                                         "rootfs ext4:UUID=0d4c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b\n"
                                         "# comment\n",
                                         entries, entries, entries);
                entries++;
                lines += 6;
        }
        len += (size_t) snprintf(text + len, cap - len, "bogus\n");
        lines++;
        REQUIRE(parse_len(text, len, &c, &d) == 0);
        CHECK_INTEQ(c.n_entries, entries);
        REQUIRE(d.n == 1);
        CHECK_INTEQ(d.items[0].line, lines);
        {
                char want_kernel[64];

                snprintf(want_kernel, sizeof(want_kernel), "/boot/vmlinuz-%zu", entries - 1);
                CHECK_STREQ(c.entries[entries - 1].kernel, want_kernel);
        }
        CHECK_INTEQ(strv_length(c.entries[entries / 2].initrds), 2);
        free(text);
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(many_initrds_in_one_entry)
{
        const size_t n = 50000;
        size_t cap = n * 40 + 128, len = 0;
        char *text = malloc(cap);
        struct config c;
        struct diag_list d = {0};

        REQUIRE(text);
        len += (size_t) snprintf(text + len, cap - len, "title Many\nkernel /k\nrootfs sda1\n");
        for (size_t i = 0; i < n; i++)
                len += (size_t) snprintf(text + len, cap - len, "initrd /i%zu\nmodule /m%zu\n", i,
                                         i);
        REQUIRE(parse_len(text, len, &c, &d) == 0);
        CHECK_INTEQ(d.n, 0);
        REQUIRE(c.n_entries == 1);
        REQUIRE(strv_length(c.entries[0].initrds) == n);
        REQUIRE(strv_length(c.entries[0].modules) == n);
        CHECK_STREQ(c.entries[0].initrds[0], "/i0");
        CHECK_STREQ(c.entries[0].initrds[n - 1], "/i49999");
        CHECK_STREQ(c.entries[0].modules[12345], "/m12345");
        free(text);
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(entries_without_kernel_or_root_are_dropped)
{
        static const char text[] = "title NoKernel\n"   /* 1 */
                                   "rootfs sda1\n"      /* 2 */
                                   "title NoRoot\n"     /* 3 */
                                   "kernel /k\n"        /* 4 */
                                   "mount sda2 /boot\n" /* 5 */
                                   "title Nothing\n"    /* 6 */
                                   "title Good\n"       /* 7 */
                                   "kernel /k\n"        /* 8 */
                                   "rootfs sda1\n"      /* 9 */
                                   "default\n"          /* 10 */
                                   "title Also good\n"  /* 11 */
                                   "kernel /k2\n"       /* 12 */
                                   "mount sda1 /\n" /* 13 */;
        struct config c;
        struct diag_list d = {0};

        REQUIRE(parse(text, &c, &d) == 0);
        CHECK_INTEQ(d.n, 3);
        CHECK(has_diag(&d, 1, "'NoKernel' has no kernel, skipped"));
        CHECK(has_diag(&d, 3, "'NoRoot' has no root filesystem (rootfs), skipped"));
        CHECK(has_diag(&d, 6, "'Nothing' has no kernel, skipped"));
        REQUIRE(c.n_entries == 2);
        CHECK_STREQ(c.entries[0].title, "Good");
        CHECK_STREQ(c.entries[1].title, "Also good");
        CHECK_INTEQ(config_default_index(&c), 0);
        CHECK(c.entries[1].n_mounts == 1);
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(entry_check)
{
        struct config_entry e = {0};
        const char *why = NULL;
        struct config_mount m = {.device = (char *) "sda1", .mountpoint = (char *) "/boot"};

        CHECK(config_entry_check(&e, &why) < 0);
        CHECK_STREQ(why, "has no kernel");
        e.kernel = (char *) "/k";
        why = NULL;
        CHECK(config_entry_check(&e, &why) < 0);
        CHECK_STREQ(why, "has no root filesystem");
        e.mounts = &m;
        e.n_mounts = 1;
        CHECK(config_entry_check(&e, NULL) < 0);
        CHECK(config_entry_root(&e) == NULL);
        m.mountpoint = (char *) "/";
        CHECK(config_entry_check(&e, &why) == 0);
        CHECK(config_entry_root(&e) == &m);
}

TEST(command_line_joining)
{
        struct config_entry e = {0};
        char *s;

        s = config_entry_command_line(&e);
        CHECK_STREQ(s, "");
        free(s);
        e.cmdline = (char *) "root=/dev/sda1 ro";
        s = config_entry_command_line(&e);
        CHECK_STREQ(s, "root=/dev/sda1 ro");
        free(s);
        e.append = (char *) "quiet";
        s = config_entry_command_line(&e);
        CHECK_STREQ(s, "root=/dev/sda1 ro quiet");
        free(s);
        e.cmdline = NULL;
        s = config_entry_command_line(&e);
        CHECK_STREQ(s, "quiet");
        free(s);
        e.cmdline = (char *) "";
        s = config_entry_command_line(&e);
        CHECK_STREQ(s, "quiet");
        free(s);
}

TEST(command_line_from_file)
{
        struct config c;
        struct diag_list d = {0};
        char *s;

        REQUIRE(parse("title T\nappend b=2\nkernel /k\ncmdline a=1\nrootfs sda1\n"
                      "append c=3\n",
                      &c, &d) == 0);
        REQUIRE(c.n_entries == 1);
        s = config_entry_command_line(&c.entries[0]);
        /* cmdline first whatever the order in the file; the last append wins. */
        CHECK_STREQ(s, "a=1 c=3");
        free(s);
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(default_index)
{
        struct config c;
        struct diag_list d = {0};

        REQUIRE(parse("title A\nkernel /k\nrootfs sda1\n"
                      "title B\nkernel /k\nrootfs sda1\ndefault yes please\n"
                      "title C\nkernel /k\nrootfs sda1\ndefault\n",
                      &c, &d) == 0);
        CHECK_INTEQ(d.n, 0);
        REQUIRE(c.n_entries == 3);
        CHECK(!c.entries[0].is_default);
        CHECK(c.entries[1].is_default);
        CHECK(c.entries[2].is_default);
        CHECK_INTEQ(config_default_index(&c), 1);
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(default_index_after_dropped_entry)
{
        struct config c;
        struct diag_list d = {0};

        /* The flagged entry is dropped: the default falls back to the first one left. */
        REQUIRE(parse("title A\nkernel /k\ndefault\n"
                      "title B\nkernel /k\nrootfs sda1\n"
                      "title C\nkernel /k\nrootfs sda1\ndefault\n",
                      &c, &d) == 0);
        REQUIRE(c.n_entries == 2);
        CHECK_INTEQ(config_default_index(&c), 1);
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(split_fstype)
{
        static const struct {
                const char *spec;
                int r;
                const char *fstype, *device;
        } cases[] = {
                {"ext2:/dev/hda1", 0, "ext2", "/dev/hda1"},
                {"auto:sda1", 0, NULL, "sda1"},
                {"AUTO:sda1", 0, NULL, "sda1"},
                {"UUID=ab:cd", 0, NULL, "UUID=ab:cd"},
                {"/dev/sda1", 0, NULL, "/dev/sda1"},
                {"sda1", 0, NULL, "sda1"},
                {"ext4:UUID=0d4c-1a2b", 0, "ext4", "UUID=0d4c-1a2b"},
                {"fuse.sshfs:x", 0, "fuse.sshfs", "x"},
                {"ntfs-3g:sdb1", 0, "ntfs-3g", "sdb1"},
                {"my_fs+1:sdb1", 0, "my_fs+1", "sdb1"},
                {"(hd0,0)", 0, NULL, "(hd0,0)"},
                {"vfat:(hd0,msdos1)", 0, "vfat", "(hd0,msdos1)"},
                {"/dev/disk:x", 0, NULL, "/dev/disk:x"},
                {"(hd0):x", 0, NULL, "(hd0):x"},
                {":sda1", 0, NULL, ":sda1"},
                {"a b:c", 0, NULL, "a b:c"},
                {"ext4:a:b", 0, "ext4", "a:b"},
                {"ext4:", -EINVAL, NULL, NULL},
                {"auto:", -EINVAL, NULL, NULL},
                {"", -EINVAL, NULL, NULL},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                char *fstype = (char *) "untouched", *device = (char *) "untouched";
                int r = config_split_fstype(cases[i].spec, &fstype, &device);

                if (r != cases[i].r)
                        printf("# case '%s'\n", cases[i].spec);
                CHECK_INTEQ(r, cases[i].r);
                if (r < 0 || cases[i].r < 0)
                        continue;
                if (cases[i].fstype)
                        CHECK_STREQ(fstype, cases[i].fstype);
                else
                        CHECK(fstype == NULL);
                CHECK_STREQ(device, cases[i].device);
                free(fstype);
                free(device);
        }
}

TEST(normalize_mountpoint)
{
        static const char *const cases[][2] = {
                {"boot/", "/boot"},
                {"//a//b/", "/a/b"},
                {"", "/"},
                {"/", "/"},
                {"///", "/"},
                {"/boot", "/boot"},
                {"a/./b", "/a/b"},
                {"a/../b", "/b"},
                {"../../etc", "/etc"},
                {"/a/b/..", "/a"},
                {"..", "/"},
                {".", "/"},
                {"/my dir/", "/my dir"},
                {"a/b/c/../../d", "/a/d"},
                {"...", "/..."},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                char *s = config_normalize_mountpoint(cases[i][0]);

                CHECK_STREQ(s, cases[i][1]);
                free(s);
        }
}

TEST(shell_mode)
{
        struct config c = {0};
        struct diag_list d = {0};
        struct config_source src = {.file = "shell"};
        struct config_parser p = {.config = &c, .in_shell = true, .src = &src, .diags = &d};
        struct config_entry *e;
        char *s;

        CHECK_INTEQ(config_apply_line(&p, "", 1), 0);
        CHECK_INTEQ(config_apply_line(&p, "  # comment", 1), 0);
        CHECK_INTEQ(config_apply_line(&p, "kernel /k", 1), 1);
        CHECK(has_diag(&d, 1, "'kernel': there is no entry to apply it to"));
        CHECK_INTEQ(c.n_entries, 0);

        e = config_add_entry(&c);
        REQUIRE(e);
        p.current = e;
        CHECK_INTEQ(config_apply_line(&p, "title Mine", 2), 1);
        CHECK(has_diag(&d, 2, "'title' is only for kexec-loader.conf"));
        CHECK_INTEQ(c.n_entries, 1);
        CHECK_INTEQ(config_apply_line(&p, "default", 3), 1);
        CHECK(has_diag(&d, 3, "'default' is only for kexec-loader.conf"));
        CHECK(!e->is_default);
        /* The layout is the configuration's or K's: the shell's target has none. */
        CHECK_INTEQ(config_apply_line(&p, "keymap de", 3), 1);
        CHECK(has_diag(&d, 3, "'keymap' is only for kexec-loader.conf"));
        CHECK(c.keymap == NULL);

        CHECK_INTEQ(config_apply_line(&p, "KERNEL /boot/vmlinuz\r", 4), 0);
        CHECK_STREQ(e->kernel, "/boot/vmlinuz");
        CHECK_INTEQ(config_apply_line(&p, "root ext4:sda2", 5), 0);
        CHECK_INTEQ(config_apply_line(&p, "initrd /a", 6), 0);
        CHECK_INTEQ(config_apply_line(&p, "initrd /b /c", 7), 0);
        CHECK_INTEQ(config_apply_line(&p, "module /m x", 8), 0);
        CHECK_INTEQ(config_apply_line(&p, "cmdline ro", 9), 0);
        CHECK_INTEQ(config_apply_line(&p, "append quiet", 10), 0);
        CHECK_INTEQ(config_apply_line(&p, "reset-vga", 11), 0);
        CHECK_INTEQ(config_apply_line(&p, "timeout 5", 12), 0);
        CHECK_INTEQ(config_apply_line(&p, "kernel", 13), 1);
        CHECK_INTEQ(config_apply_line(&p, "nonsense", 14), 1);
        CHECK(has_diag(&d, 14, "unknown directive 'nonsense'"));
        CHECK_INTEQ(config_apply_line(&p, "timeout x", 15), 1);
        CHECK_STREQ(e->kernel, "/boot/vmlinuz");
        REQUIRE(strv_length(e->initrds) == 3);
        CHECK_STREQ(e->initrds[2], "/c");
        CHECK_STREQ(e->modules[0], "/m x");
        CHECK(e->reset_vga);
        CHECK_INTEQ(c.timeout, 5);
        REQUIRE(config_entry_root(e) != NULL);
        CHECK_STREQ(config_entry_root(e)->fstype, "ext4");
        CHECK(config_entry_check(e, NULL) == 0);
        s = config_entry_command_line(e);
        CHECK_STREQ(s, "ro quiet");
        free(s);
        CHECK_STREQ(d.items[0].file, "shell");
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(apply_line_outside_shell)
{
        struct config c = {0};
        struct diag_list d = {0};
        struct config_parser p = {.config = &c, .src = &test_src, .diags = &d};

        CHECK_INTEQ(config_apply_line(&p, "kernel /early", 1), 1);
        CHECK(has_diag(&d, 1, "'kernel' before the first 'title' is ignored"));
        CHECK_INTEQ(config_apply_line(&p, "title X", 2), 0);
        REQUIRE(p.current != NULL);
        CHECK_STREQ(p.current->title, "X");
        CHECK_INTEQ(config_apply_line(&p, "kernel /k", 3), 0);
        CHECK_INTEQ(config_apply_line(&p, "default", 4), 0);
        CHECK(c.entries[0].is_default);
        CHECK_STREQ(c.entries[0].kernel, "/k");
        /* Without a diagnostics list, problems are still counted. */
        p.diags = NULL;
        CHECK_INTEQ(config_apply_line(&p, "bogus", 5), 1);
        CHECK_INTEQ(d.n, 1);
        config_done(&c);
        if (*test_failed)
                dump_diags(&d);
        diag_list_done(&d);
}

TEST(add_entry_and_done)
{
        struct config c = {0};
        struct config_entry *e;

        for (int i = 0; i < 100; i++) {
                e = config_add_entry(&c);
                REQUIRE(e);
                CHECK(e->title == NULL && e->n_mounts == 0 && !e->is_default);
                e->title = util_asprintf("t%d", i);
        }
        CHECK_INTEQ(c.n_entries, 100);
        CHECK_STREQ(c.entries[99].title, "t99");
        CHECK_INTEQ(config_default_index(&c), 0);
        c.entries[57].is_default = true;
        CHECK_INTEQ(config_default_index(&c), 57);
        config_done(&c);
        CHECK_INTEQ(c.n_entries, 0);
        CHECK(c.entries == NULL);
}

TEST(many_mounts_in_one_entry)
{
        const size_t n = 30000;
        size_t cap = n * 32 + 256, len = 0;
        char *text = malloc(cap);
        struct config c;
        struct diag_list d = {0};
        const struct config_entry *e;

        REQUIRE(text);
        len += (size_t) snprintf(text + len, cap - len, "title Many\nkernel /k\nrootfs sda1\n");
        for (size_t i = 0; i < n; i++)
                len += (size_t) snprintf(text + len, cap - len, "mount sda%zu /m/%zu\n", i + 2, i);
        /* Lines n + 4 and n + 5 replace earlier mounts. */
        len += (size_t) snprintf(text + len, cap - len, "mount sdb1 m//7/\nroot sdc1\n");
        REQUIRE(parse_len(text, len, &c, &d) == 0);
        REQUIRE(c.n_entries == 1);
        e = &c.entries[0];
        REQUIRE(e->n_mounts == n + 1);
        CHECK_STREQ(e->mounts[0].device, "sdc1");
        CHECK_STREQ(e->mounts[0].mountpoint, "/");
        CHECK_STREQ(e->mounts[8].device, "sdb1");
        CHECK_STREQ(e->mounts[8].mountpoint, "/m/7");
        CHECK_STREQ(e->mounts[n].mountpoint, "/m/29999");
        REQUIRE(d.n == 2);
        CHECK_INTEQ(d.items[0].line, n + 4);
        CHECK_STREQ(d.items[0].message,
                    "'mount': this entry already has a mount at '/m/7', the later one wins");
        CHECK_INTEQ(d.items[1].line, n + 5);
        free(text);
        if (*test_failed)
                dump_diags(&d);
        config_done(&c);
        diag_list_done(&d);
}

/* printf 'pw\npw\n' | grub-mkpasswd-pbkdf2 -c 1000 (as in test-auth.c) */
#define PW_HASH                                                                                    \
        "grub.pbkdf2.sha512.1000."                                                                 \
        "0A20E3D3822512A8FCB5D330BB2567FFF91AB6B5983D7CEF0F8A0F992E8DCA02BEC56CEACCD0AA3F884EF2E9" \
        "22878EDDB1B2A4136CFAB9DA2C995F0CB0945F33."                                                \
        "955C23B237C19C3ADA02FE88A815B064EDC49FACF6AFE61A18710E192FC92CED0BA4AE3F77CCB272B4FC3066" \
        "EDB4F8772FEE0F60ACCA3EF9C98711C45157E21E"

TEST(passwords)
{
        struct config c;
        struct diag_list d = {0};

        REQUIRE(parse("superusers root\n"
                      "password_pbkdf2 root " PW_HASH "\n"
                      "password guest  guest pw  \n"
                      "title Locked\nkernel /k\nrootfs sda1\n"
                      "title Open\nkernel /k\nrootfs sda1\nunrestricted\n"
                      "title Guest\nkernel /k\nrootfs sda1\nusers guest\n"
                      "password_pbkdf2 bad grub.pbkdf2.sha512.1.XY.00\n"
                      "password_pbkdf2 nohash\n"
                      "users\n",
                      &c, &d) == 0);
        dump_diags(&d);
        REQUIRE(c.auth != NULL);
        CHECK(c.auth->restricted);
        CHECK_STREQ(c.auth->superusers, "root");
        CHECK(auth_login(c.auth, "root", "pw", NULL, NULL) == AUTH_OK);
        CHECK(auth_login(c.auth, "root", "p", NULL, NULL) == AUTH_DENIED);
        /* the plain-text password: everything after the name, trailing blanks cut */
        CHECK(auth_login(c.auth, "guest", "guest pw", "guest", NULL) == AUTH_OK);
        CHECK(auth_login(c.auth, "guest", "guest pw", NULL, NULL) == AUTH_DENIED);
        CHECK(auth_login(c.auth, "bad", "x", NULL, NULL) == AUTH_LOCKED);
        REQUIRE(c.n_entries == 3);
        CHECK(!c.entries[0].unrestricted && c.entries[0].users == NULL);
        CHECK(c.entries[1].unrestricted);
        CHECK_STREQ(c.entries[2].users, "guest");
        CHECK(has_diag(&d, 15, "password_pbkdf2 'bad'"));
        CHECK(has_diag(&d, 16, "requires a user name and a hash"));
        CHECK(has_diag(&d, 17, "'users' requires an argument"));
        CHECK_INTEQ(d.n, 3);
        config_done(&c);
        diag_list_done(&d);

        /* none of them: no users at all */
        REQUIRE(parse("title A\nkernel /k\nrootfs sda1\n", &c, &d) == 0);
        CHECK(c.auth == NULL);
        config_done(&c);
}

/* The shell takes the entry directives, never the users: they would let it open itself. */
TEST(passwords_not_in_the_shell)
{
        struct config c = {0};
        struct diag_list d = {0};
        struct config_source src = {.file = "shell"};
        struct config_parser p = {.config = &c, .in_shell = true, .src = &src, .diags = &d};
        static const char *const lines[] = {"superusers me", "password me x",
                                            "password_pbkdf2 me " PW_HASH, "unrestricted",
                                            "users me"};

        p.current = config_add_entry(&c);
        REQUIRE(p.current);
        for (size_t i = 0; i < ARRAY_SIZE(lines); i++)
                CHECK_INTEQ(config_apply_line(&p, lines[i], (unsigned) i + 1), 1);
        CHECK(has_diag(&d, 1, "'superusers' is only for kexec-loader.conf"));
        CHECK(c.auth == NULL);
        CHECK(!c.entries[0].unrestricted && !c.entries[0].users);
        config_done(&c);
        diag_list_done(&d);
}
