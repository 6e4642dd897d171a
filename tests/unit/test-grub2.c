/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include <stdarg.h>
#include <sys/stat.h>

#include "import-testfs.h"

struct fixture {
        char dirs[4][256];
        struct testfs t;
        struct import_fs fs;
        struct import_result r;
};

/* Disk 0 is /dev/sda1 = tmpdir/name (the imported one); more disks with add_disk. */
static void fx_init(struct fixture *f, const char *name)
{
        *f = (struct fixture){0};
        snprintf(f->dirs[0], sizeof(f->dirs[0]), "%s/%s", tmpdir, name);
        mkdir(f->dirs[0], 0755);
        f->t.disks[0] = (struct testfs_disk){.dev = "/dev/sda1", .dir = f->dirs[0]};
        f->t.n = 1;
        f->t.self = "/dev/sda1";
        f->fs = testfs_fs(&f->t);
        f->r = (struct import_result){.timeout = -1, .default_index = -1};
}

static void add_disk(struct fixture *f, const char *dev, const char *name, const char *uuid,
                     const char *label)
{
        snprintf(f->dirs[f->t.n], sizeof(f->dirs[0]), "%s/%s", tmpdir, name);
        mkdir(f->dirs[f->t.n], 0755);
        f->t.disks[f->t.n] = (struct testfs_disk){
                .dev = dev, .dir = f->dirs[f->t.n], .uuid = uuid, .label = label};
        f->t.n++;
}

/* Writes grub.cfg to name/boot/grub/grub.cfg and imports it. */
static int run(struct fixture *f, const char *name, const char *cfg)
{
        put(name, "boot/grub/grub.cfg", cfg);
        return grub2_import(&f->fs, "/boot/grub/grub.cfg", &f->r);
}

static bool has_diag(const struct import_result *r, const char *needle, unsigned line)
{
        return test_diag_has(&r->diags, NULL, NULL, line, needle);
}

#define ENTRY(f, i) (&(f).r.entries[i])

TEST(lexer_quotes_escapes_variables)
{
        struct fixture f;

        fx_init(&f, "lex");
        CHECK_INTEQ(run(&f, "lex",
                        "# a comment\n"
                        "set a=one; set b=\"two  words\"\n"
                        "set c='single $a' # trailing comment\n"
                        "menuentry \"T $a\" {\n"
                        "  linux /vmlinuz x=$a y=${a}z \"q=$b\" s='$a' e=\\$a f=a\\ b g=\"\\\"\" "
                        "$c \\\n"
                        "     cont\n"
                        "}\n"),
                    0);
        REQUIRE(f.r.n == 1);
        CHECK_STREQ(ENTRY(f, 0)->title, "T one");
        CHECK_STREQ(ENTRY(f, 0)->kernel.path, "/vmlinuz");
        CHECK(ENTRY(f, 0)->kernel.dev == NULL);
        CHECK_STREQ(ENTRY(f, 0)->cmdline, "x=one y=onez \"q=two  words\" s=$a e=$a \"f=a b\" "
                                          "g=\\\" single $a cont");
        CHECK_INTEQ(f.r.diags.n, 0);
        import_result_done(&f.r);
}

TEST(if_elif_else)
{
        struct fixture f;

        fx_init(&f, "if");
        put("if", "boot/exists", "x");
        CHECK_INTEQ(run(&f, "if",
                        "set v=2\n"
                        "if [ $v = 1 ]; then set r=a; elif [ $v -eq 2 -a -n x ]; then set r=b\n"
                        "else set r=c; fi\n"
                        "if ! [ -f /boot/exists ] ; then set s=no ; else set s=yes ; fi\n"
                        "if [ -d /boot ] -a [ -z \"\" ]; then set d=dir; fi\n"
                        "if test -e /nonexistent -o 3 -lt 2; then set t=bad; else set t=good; fi\n"
                        "if false; then set u=1; elif true; then set u=2; fi\n"
                        "menuentry \"$r $s $t $u\" { linux /k; }\n"),
                    0);
        REQUIRE(f.r.n == 1);
        CHECK_STREQ(ENTRY(f, 0)->title, "b yes good 2");
        import_result_done(&f.r);
}

TEST(for_while_until)
{
        struct fixture f;

        fx_init(&f, "loops");
        CHECK_INTEQ(run(&f, "loops",
                        "for x in a \"b c\" d; do\n"
                        "  menuentry \"e-$x\" { linux /k-$x; }\n"
                        "done\n"
                        "set n=\n"
                        "while [ \"$n\" != xxx ]; do set n=\"${n}x\"; done\n"
                        "until [ \"$n\" = xxxxx ]; do set n=\"${n}x\"; done\n"
                        "menuentry \"n=$n\" { linux /k; }\n"),
                    0);
        REQUIRE(f.r.n == 4);
        CHECK_STREQ(ENTRY(f, 0)->title, "e-a");
        CHECK_STREQ(ENTRY(f, 1)->title, "e-b c");
        CHECK_STREQ(ENTRY(f, 1)->kernel.path, "/k-b");
        CHECK_STREQ(ENTRY(f, 1)->cmdline, "c");
        CHECK_STREQ(ENTRY(f, 2)->kernel.path, "/k-d");
        CHECK_STREQ(ENTRY(f, 3)->title, "n=xxxxx");
        import_result_done(&f.r);
}

TEST(functions_with_args)
{
        struct fixture f;

        fx_init(&f, "func");
        CHECK_INTEQ(run(&f, "func",
                        "function mk {\n"
                        "  menuentry \"$1 ($#)\" \"$2\" {\n"
                        "    linux /vmlinuz-$2 root=$3\n"
                        "  }\n"
                        "}\n"
                        "other() { set z=\"$@\"; return 0; set z=never; }\n"
                        "mk Debian 6.1 /dev/sda2\n"
                        "other p q\n"
                        "menuentry \"z=$z\" { linux /k; }\n"),
                    0);
        REQUIRE(f.r.n == 2);
        CHECK_STREQ(ENTRY(f, 0)->title, "Debian (3)");
        CHECK_STREQ(ENTRY(f, 0)->kernel.path, "/vmlinuz-6.1");
        /* $3 inside the body is the entry's own third argument: none */
        CHECK_STREQ(ENTRY(f, 0)->cmdline, "root=");
        CHECK_STREQ(ENTRY(f, 1)->title, "z=p q");
        import_result_done(&f.r);
}

TEST(menuentry_args_options)
{
        struct fixture f;

        fx_init(&f, "margs");
        CHECK_INTEQ(run(&f, "margs",
                        "menuentry 'Title' extra1 extra2 --class a --class=b --id my-id "
                        "--unrestricted --users root --hotkey x {\n"
                        "  linux /k one=$1 two=$2 three=$3 n=$#\n"
                        "}\n"),
                    0);
        REQUIRE(f.r.n == 1);
        CHECK_STREQ(ENTRY(f, 0)->title, "Title");
        CHECK_STREQ(ENTRY(f, 0)->id, "my-id");
        CHECK_STREQ(ENTRY(f, 0)->cmdline, "one=Title two=extra1 three=extra2 n=3");
        REQUIRE(strv_length(ENTRY(f, 0)->classes) == 2);
        CHECK_STREQ(ENTRY(f, 0)->classes[0], "a");
        CHECK_STREQ(ENTRY(f, 0)->classes[1], "b");
        CHECK(ENTRY(f, 0)->not_bootable == NULL);
        import_result_done(&f.r);
}

TEST(menuentry_body_sees_env_at_definition)
{
        struct fixture f;

        fx_init(&f, "envdef");
        CHECK_INTEQ(run(&f, "envdef",
                        "set opts=first\n"
                        "menuentry A { linux /k $opts; set opts=changed-inside }\n"
                        "set opts=second\n"
                        "menuentry B { linux /k $opts }\n"),
                    0);
        REQUIRE(f.r.n == 2);
        CHECK_STREQ(ENTRY(f, 0)->cmdline, "first");
        CHECK_STREQ(ENTRY(f, 1)->cmdline, "second");
        import_result_done(&f.r);
}

TEST(submenu_nesting_and_default_forms)
{
        static const char *cfg = "menuentry Top0 --id t0 { linux /a; }\n"
                                 "submenu 'Sub 1' --id s1 {\n"
                                 "  menuentry In0 { linux /b; }\n"
                                 "  submenu Deeper {\n"
                                 "    menuentry D0 --id d0 { linux /c; }\n"
                                 "  }\n"
                                 "  menuentry In2 --id in2 { linux /d; }\n"
                                 "}\n"
                                 "menuentry Top2 { linux /e; }\n";
        static const struct {
                const char *def;
                int want;
        } cases[] = {
                {"0", 0},     {"2", 4},           {"Top2", 4},      {"t0", 0},
                {"1>2", 3},   {"1>0", 1},         {"Sub 1>In2", 3}, {"s1>in2", 3},
                {"1>1>0", 2}, {"1>Deeper>d0", 2}, {"7", -1},        {"nope", -1},
        };
        struct fixture f;

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                _cleanup_free_ char *text =
                        util_asprintf("set default=\"%s\"\n%s", cases[i].def, cfg);

                fx_init(&f, "sub");
                CHECK_INTEQ(run(&f, "sub", text), 0);
                REQUIRE(f.r.n == 5);
                if (f.r.default_index != cases[i].want)
                        printf("# default %s\n", cases[i].def);
                CHECK_INTEQ(f.r.default_index, cases[i].want);
                if (i == 0) {
                        CHECK_INTEQ(strv_length(ENTRY(f, 0)->submenu), 0);
                        REQUIRE(strv_length(ENTRY(f, 2)->submenu) == 2);
                        CHECK_STREQ(ENTRY(f, 2)->submenu[0], "Sub 1");
                        CHECK_STREQ(ENTRY(f, 2)->submenu[1], "Deeper");
                        CHECK_STREQ(ENTRY(f, 2)->title, "D0");
                        REQUIRE(strv_length(ENTRY(f, 3)->submenu) == 1);
                        CHECK_STREQ(ENTRY(f, 3)->title, "In2");
                        CHECK_STREQ(ENTRY(f, 4)->kernel.path, "/e");
                }
                import_result_done(&f.r);
        }
}

TEST(timeout_theme)
{
        struct fixture f;

        fx_init(&f, "tt");
        CHECK_INTEQ(run(&f, "tt",
                        "set timeout=3\nset timeout_style=menu\n"
                        "set theme=($root)/boot/grub/themes/x/theme.txt\n"
                        "menuentry A { linux /k; }\n"),
                    0);
        CHECK_INTEQ(f.r.timeout, 3);
        CHECK_STREQ(f.r.theme, "(/dev/sda1)/boot/grub/themes/x/theme.txt");
        import_result_done(&f.r);
}

static const char *grubenv(const char *vars)
{
        static char buf[1025];
        size_t l;

        snprintf(buf, sizeof(buf), "# GRUB Environment Block\n%s", vars);
        l = strlen(buf);
        memset(buf + l, '#', 1024 - l);
        buf[1024] = 0;
        return buf;
}

TEST(load_env_next_and_saved_entry)
{
        static const char *cfg = "if [ -s $prefix/grubenv ]; then\n"
                                 "  set have_grubenv=true\n"
                                 "  load_env\n"
                                 "fi\n"
                                 "if [ \"${next_entry}\" ] ; then\n"
                                 "   set default=\"${next_entry}\"\n"
                                 "   set next_entry=\n"
                                 "   save_env next_entry\n"
                                 "else\n"
                                 "   set default=\"${saved_entry}\"\n"
                                 "fi\n"
                                 "menuentry A --id a { linux /a; }\n"
                                 "menuentry B --id b { linux /b; }\n"
                                 "menuentry C --id c { linux /c $kernelopts; }\n";
        struct fixture f;

        fx_init(&f, "env1");
        put("env1", "boot/grub/grubenv", grubenv("saved_entry=B\nkernelopts=root=/dev/x ro\n"));
        CHECK_INTEQ(run(&f, "env1", cfg), 0);
        CHECK_INTEQ(f.r.default_index, 1);
        REQUIRE(f.r.n == 3);
        CHECK_STREQ(ENTRY(f, 2)->cmdline, "root=/dev/x ro");
        import_result_done(&f.r);

        fx_init(&f, "env2");
        put("env2", "boot/grub/grubenv", grubenv("saved_entry=B\nnext_entry=c\n"));
        CHECK_INTEQ(run(&f, "env2", cfg), 0);
        CHECK_INTEQ(f.r.default_index, 2);
        import_result_done(&f.r);

        /* load_env -f with a whitelist */
        fx_init(&f, "env3");
        put("env3", "other/env", grubenv("a=1\nb=2\n"));
        CHECK_INTEQ(run(&f, "env3",
                        "load_env -f /other/env b\nmenuentry \"a=$a b=$b\" { linux /k; }\n"),
                    0);
        REQUIRE(f.r.n == 1);
        CHECK_STREQ(ENTRY(f, 0)->title, "a= b=2");
        import_result_done(&f.r);
}

TEST(search_and_devices)
{
        struct fixture f;

        fx_init(&f, "srch");
        add_disk(&f, "/dev/sdb1", "srch-b", "1234-abcd", "BOOT");
        add_disk(&f, "/dev/sdc1", "srch-c", NULL, "other");
        put("srch-c", "marker.file", "x");
        CHECK_INTEQ(run(&f, "srch",
                        "search --no-floppy --fs-uuid --set=root --hint-bios=hd0,msdos1 "
                        "--hint hd1 1234-abcd\n"
                        "menuentry uuid { linux /vmlinuz a; initrd /i1 ($root)/i2; }\n"
                        "search --label --set=lbl other\n"
                        "search --file --set /marker.file\n"
                        "menuentry file { linux /k; initrd ($lbl)/x; }\n"
                        "search.fs_label BOOT myvar\n"
                        "menuentry pos { linux ($myvar)/k; }\n"
                        "set root=hd0,gpt2\n"
                        "menuentry gpt { linux /k; initrd (hd1,3)/i (hd0,msdos5)/j; }\n"
                        "search --fs-uuid --set=root no-such-uuid\n"
                        "menuentry notfound { linux /k; }\n"
                        "set root=(hd2)\n"
                        "menuentry uuidpfx { linux (1234-abcd)/k; devicetree /dtb; }\n"),
                    0);
        REQUIRE(f.r.n == 6);
        CHECK_STREQ(ENTRY(f, 0)->kernel.dev, "/dev/sdb1");
        CHECK_STREQ(ENTRY(f, 0)->kernel.path, "/vmlinuz");
        REQUIRE(ENTRY(f, 0)->n_initrds == 2);
        CHECK_STREQ(ENTRY(f, 0)->initrds[0].dev, "/dev/sdb1");
        CHECK_STREQ(ENTRY(f, 0)->initrds[1].dev, "/dev/sdb1");
        CHECK_STREQ(ENTRY(f, 0)->initrds[1].path, "/i2");
        CHECK_STREQ(ENTRY(f, 1)->kernel.dev, "/dev/sdc1");
        REQUIRE(ENTRY(f, 1)->n_initrds == 1);
        CHECK_STREQ(ENTRY(f, 1)->initrds[0].dev, "/dev/sdc1");
        CHECK_STREQ(ENTRY(f, 2)->kernel.dev, "/dev/sdb1");
        CHECK_STREQ(ENTRY(f, 3)->kernel.dev, "(hd0,gpt2)");
        REQUIRE(ENTRY(f, 3)->n_initrds == 2);
        CHECK_STREQ(ENTRY(f, 3)->initrds[0].dev, "(hd1,msdos3)");
        CHECK_STREQ(ENTRY(f, 3)->initrds[1].dev, "(hd0,msdos5)");
        CHECK_STREQ(ENTRY(f, 4)->kernel.dev, "(hd0,gpt2)");
        CHECK_STREQ(ENTRY(f, 5)->kernel.dev, "UUID=1234-abcd");
        CHECK_STREQ(ENTRY(f, 5)->devicetree, "/dtb");
        import_result_done(&f.r);
}

TEST(source_and_configfile_relative)
{
        struct fixture f;

        fx_init(&f, "src");
        put("src", "boot/grub/sub/part.cfg", "menuentry Sourced { linux /s; }\nset fromsrc=yes\n");
        put("src", "boot/grub/next.cfg",
            "menuentry \"Next $fromsrc\" { linux /n; }\nset default=0\n");
        CHECK_INTEQ(run(&f, "src",
                        "menuentry First { linux /f; }\n"
                        "source sub/part.cfg\n"
                        "source ${prefix}/missing.cfg\n"
                        "configfile /boot/grub/next.cfg\n"
                        "menuentry AfterConfigfile { linux /never; }\n"),
                    0);
        REQUIRE(f.r.n >= 3);
        CHECK_STREQ(ENTRY(f, 0)->title, "First");
        CHECK_STREQ(ENTRY(f, 1)->title, "Sourced");
        CHECK_STREQ(ENTRY(f, 1)->config, "/boot/grub/sub/part.cfg");
        CHECK_STREQ(ENTRY(f, 2)->title, "Next yes");
        /* default 0 of the new menu is its first entry */
        CHECK_INTEQ(f.r.default_index, 2);
        CHECK(has_diag(&f.r, "missing.cfg", 3));
        import_result_done(&f.r);
}

TEST(self_sourcing_file_stops)
{
        struct fixture f;
        unsigned long long t0 = util_now_ms();

        fx_init(&f, "selfsrc");
        CHECK_INTEQ(run(&f, "selfsrc", "menuentry E { linux /k; }\nsource /boot/grub/grub.cfg\n"),
                    0);
        CHECK(util_now_ms() - t0 < 5000);
        CHECK(has_diag(&f.r, "nesting deeper", 2));
        CHECK(f.r.n >= 1 && f.r.n <= 40);
        import_result_done(&f.r);

        fx_init(&f, "recfn");
        CHECK_INTEQ(run(&f, "recfn", "function f { f; }\nf\nmenuentry E { linux /k; }\n"), 0);
        CHECK(has_diag(&f.r, "recursion", 1));
        import_result_done(&f.r);
}

TEST(infinite_loop_stops)
{
        struct fixture f;
        unsigned long long t0 = util_now_ms();

        fx_init(&f, "inf");
        CHECK_INTEQ(run(&f, "inf", "menuentry E { linux /k; }\nwhile true; do set x=y; done\n"), 0);
        CHECK(util_now_ms() - t0 < 5000);
        CHECK(has_diag(&f.r, "commands run", 0));
        CHECK_INTEQ(f.r.n, 1);
        import_result_done(&f.r);
}

TEST(syntax_error_mid_file)
{
        struct fixture f;

        fx_init(&f, "synerr");
        CHECK_INTEQ(run(&f, "synerr",
                        "menuentry Before { linux /b; }\n"
                        "if [ x ]; then\n"
                        "  set a=1\n"
                        "fi fi\n"
                        "done\n"
                        "}\n"
                        "for in; do\n"
                        "menuentry After { linux /a; }\n"
                        "menuentry 'Unterminated quote { linux /u; }\n"
                        "menuentry Last { linux /l; }\n"),
                    0);
        REQUIRE(f.r.n >= 2);
        CHECK_STREQ(ENTRY(f, 0)->title, "Before");
        CHECK_STREQ(ENTRY(f, 1)->title, "After");
        CHECK_STREQ(ENTRY(f, f.r.n - 1)->title, "Last");
        CHECK(has_diag(&f.r, "unexpected '}'", 6));
        CHECK(has_diag(&f.r, "unterminated", 9));
        CHECK(has_diag(&f.r, "", 5));
        CHECK(has_diag(&f.r, "", 7));
        for (size_t i = 0; i < f.r.diags.n; i++)
                CHECK_STREQ(f.r.diags.items[i].file, "/boot/grub/grub.cfg");
        import_result_done(&f.r);
}

TEST(chainloader_and_no_kernel)
{
        struct fixture f;

        fx_init(&f, "chain");
        CHECK_INTEQ(run(&f, "chain",
                        "menuentry Windows { insmod ntfs; chainloader +1; }\n"
                        "menuentry Reboot { reboot; }\n"
                        "menuentry Linux { linux /k; }\n"),
                    0);
        REQUIRE(f.r.n == 3);
        CHECK_STREQ(ENTRY(f, 0)->not_bootable, "BIOS boot sector: kexec cannot start it");
        CHECK_STREQ(ENTRY(f, 1)->not_bootable, "no kernel");
        CHECK(ENTRY(f, 2)->not_bootable == NULL);
        CHECK_INTEQ(ENTRY(f, 2)->action, IMPORT_ACTION_KEXEC);
        import_result_done(&f.r);
}

/* chainloader FILE: an EFI application the firmware starts, resolved like linux's path (os-prober's
 * Windows entry: search for the ESP, then its path); fwsetup: the firmware's setup, and
 * `fwsetup --is-supported` true only when the menu booted via UEFI. */
TEST(chainloader_efi_and_fwsetup)
{
        struct fixture f;

        fx_init(&f, "chainefi");
        add_disk(&f, "/dev/sdb1", "chainefi-esp", "1234-ABCD", NULL);
        f.fs.efi = true;
        CHECK_INTEQ(
                run(&f, "chainefi",
                    "menuentry 'Windows Boot Manager (on /dev/sdb1)' {\n"
                    "  insmod part_gpt\n"
                    "  search --no-floppy --fs-uuid --set=root 1234-ABCD\n"
                    "  chainloader /efi/Microsoft/Boot/bootmgfw.efi\n"
                    "}\n"
                    "menuentry Shell { chainloader --force (hd0,gpt1)/EFI/tools/shellx64.efi; }\n"
                    "menuentry Here { chainloader EFI/tools/x.efi; }\n"
                    "menuentry 'Old DOS' { set root=(hd0,1); chainloader (hd0,1)+1; }\n"
                    "if fwsetup --is-supported; then\n"
                    "  menuentry 'UEFI Firmware Settings' { fwsetup; }\n"
                    "fi\n"
                    "menuentry Broken { chainloader; }\n"),
                0);
        REQUIRE(f.r.n == 6);
        CHECK_INTEQ(ENTRY(f, 0)->action, IMPORT_ACTION_EFI_APP);
        CHECK(ENTRY(f, 0)->not_bootable == NULL);
        CHECK_STREQ(ENTRY(f, 0)->efi.dev, "/dev/sdb1");
        CHECK_STREQ(ENTRY(f, 0)->efi.path, "/efi/Microsoft/Boot/bootmgfw.efi");
        CHECK(ENTRY(f, 0)->kernel.path == NULL);
        CHECK_INTEQ(ENTRY(f, 1)->action, IMPORT_ACTION_EFI_APP);
        CHECK_STREQ(ENTRY(f, 1)->efi.dev, "(hd0,gpt1)");
        CHECK_STREQ(ENTRY(f, 1)->efi.path, "/EFI/tools/shellx64.efi");
        CHECK_INTEQ(ENTRY(f, 2)->action, IMPORT_ACTION_EFI_APP);
        CHECK(ENTRY(f, 2)->efi.dev == NULL); /* $root unset: this filesystem */
        CHECK_STREQ(ENTRY(f, 2)->efi.path, "/EFI/tools/x.efi");
        CHECK_INTEQ(ENTRY(f, 3)->action, IMPORT_ACTION_KEXEC);
        CHECK_STREQ(ENTRY(f, 3)->not_bootable, "BIOS boot sector: kexec cannot start it");
        CHECK_STREQ(ENTRY(f, 4)->title, "UEFI Firmware Settings");
        CHECK_INTEQ(ENTRY(f, 4)->action, IMPORT_ACTION_FW_SETUP);
        CHECK(ENTRY(f, 4)->not_bootable == NULL);
        CHECK_STREQ(ENTRY(f, 5)->not_bootable, "no kernel");
        CHECK(has_diag(&f.r, "chainloader: missing file", 12));
        import_result_done(&f.r);

        /* booted via BIOS: fwsetup --is-supported is false */
        fx_init(&f, "chainbios");
        CHECK_INTEQ(run(&f, "chainbios",
                        "if fwsetup --is-supported; then\n"
                        "  menuentry 'UEFI Firmware Settings' { fwsetup; }\n"
                        "fi\n"),
                    0);
        CHECK_INTEQ(f.r.n, 0);
        import_result_done(&f.r);
}

TEST(multiboot_xen)
{
        struct fixture f;

        fx_init(&f, "xen");
        CHECK_INTEQ(run(&f, "xen",
                        "menuentry Xen {\n"
                        "  multiboot2 /boot/xen.gz placeholder dom0_mem=1G\n"
                        "  module2 /boot/vmlinuz placeholder root=/dev/sda2 ro\n"
                        "  module2 --nounzip /boot/initrd.img\n"
                        "}\n"),
                    0);
        REQUIRE(f.r.n == 1);
        CHECK(ENTRY(f, 0)->multiboot);
        CHECK_STREQ(ENTRY(f, 0)->kernel.path, "/boot/xen.gz");
        CHECK_STREQ(ENTRY(f, 0)->cmdline, "placeholder dom0_mem=1G");
        REQUIRE(ENTRY(f, 0)->n_modules == 2);
        CHECK_STREQ(ENTRY(f, 0)->modules[0].path, "/boot/vmlinuz");
        CHECK_STREQ(ENTRY(f, 0)->module_args[0], "placeholder root=/dev/sda2 ro");
        CHECK_STREQ(ENTRY(f, 0)->modules[1].path, "/boot/initrd.img");
        CHECK_STREQ(ENTRY(f, 0)->module_args[1], "");
        CHECK(ENTRY(f, 0)->not_bootable == NULL);
        import_result_done(&f.r);
}

TEST(platform_variables)
{
        struct fixture f;

        fx_init(&f, "plat");
        f.fs.efi = true;
        CHECK_INTEQ(run(&f, "plat",
                        "if [ \"$grub_platform\" = efi ]; then menuentry \"$grub_platform $cpu "
                        "$prefix\" { linuxefi /k; initrdefi /i; }; fi\n"),
                    0);
        REQUIRE(f.r.n == 1);
        CHECK_STREQ(ENTRY(f, 0)->title, "efi x86_64 (/dev/sda1)/boot/grub");
        CHECK_INTEQ(ENTRY(f, 0)->n_initrds, 1);
        import_result_done(&f.r);
}

/* $grub_cpu as GRUB sets it: i386 for the BIOS GRUB (i386-pc), the machine's for UEFI; Arch's ISO
 * picks its UEFI shell and memtest by it. */
TEST(grub_cpu)
{
        static const char cfg[] = "menuentry \"$grub_platform-$grub_cpu\" { linux /k; }\n";
        struct fixture f;

        fx_init(&f, "cpu-pc");
        CHECK_INTEQ(run(&f, "cpu-pc", cfg), 0);
        REQUIRE(f.r.n == 1);
        CHECK_STREQ(ENTRY(f, 0)->title, "pc-i386");
        import_result_done(&f.r);
        fx_init(&f, "cpu-efi");
        f.fs.efi = true;
        CHECK_INTEQ(run(&f, "cpu-efi", cfg), 0);
        REQUIRE(f.r.n == 1);
#if defined(__x86_64__)
        CHECK_STREQ(ENTRY(f, 0)->title, "efi-x86_64");
#endif
        import_result_done(&f.r);
}

/* ---- the real configs ---- */

TEST(corpus_ubuntu_13_04)
{
        struct fixture f;

        fx_init(&f, "ubuntu");
        copy_corpus("ubuntu", "grub2-ubuntu-13_04-x86.conf", "boot/grub/grub.cfg");
        f.t.disks[0].uuid = "29beca39-9181-4780-bbb2-ab5d4be59aaf";
        CHECK_INTEQ(grub2_import(&f.fs, "/boot/grub/grub.cfg", &f.r), 0);
        for (size_t i = 0; i < f.r.diags.n; i++)
                printf("# diag %u %s\n", f.r.diags.items[i].line, f.r.diags.items[i].message);
        REQUIRE(f.r.n >= 4);
        CHECK_STREQ(ENTRY(f, 0)->title, "Kubuntu GNU/Linux");
        CHECK_STREQ(ENTRY(f, 0)->id, "gnulinux-simple-29beca39-9181-4780-bbb2-ab5d4be59aaf");
        CHECK(ENTRY(f, 0)->kernel.dev == NULL);
        CHECK_STREQ(ENTRY(f, 0)->kernel.path, "/boot/vmlinuz-3.8.0-19-generic");
        CHECK_STREQ(ENTRY(f, 0)->cmdline, "root=UUID=29beca39-9181-4780-bbb2-ab5d4be59aaf ro "
                                          "quiet splash vt.handoff=7");
        REQUIRE(ENTRY(f, 0)->n_initrds == 1);
        CHECK_STREQ(ENTRY(f, 0)->initrds[0].path, "/boot/initrd.img-3.8.0-19-generic");
        CHECK_STREQ(ENTRY(f, 1)->submenu[0], "Advanced options for Kubuntu GNU/Linux");
        CHECK_STREQ(ENTRY(f, 1)->title, "Kubuntu GNU/Linux, with Linux 3.8.0-19-generic");
        /* no key held: keystatus false, the 3 s "sleep --interruptible" ends, timeout=0 */
        CHECK_INTEQ(f.r.timeout, 0);
        CHECK_INTEQ(f.r.default_index, 0);
        CHECK_INTEQ(f.r.diags.n, 0);
        import_result_done(&f.r);
}

TEST(corpus_f20_ppc)
{
        struct fixture f;

        fx_init(&f, "f20");
        copy_corpus("f20", "grub2-f20-ppc.conf", "boot/grub/grub.cfg");
        put("f20", "ppc/ppc64/vmlinuz", "k");
        CHECK_INTEQ(grub2_import(&f.fs, "/boot/grub/grub.cfg", &f.r), 0);
        /* only the 64-bit directory exists: 3 entries, then the submenu's 2 */
        REQUIRE(f.r.n == 5);
        CHECK_STREQ(ENTRY(f, 0)->title, "Install Fedora 20 (64-bit kernel)");
        CHECK_STREQ(ENTRY(f, 0)->kernel.path, "/ppc/ppc64/vmlinuz");
        CHECK_STREQ(ENTRY(f, 0)->cmdline, "ro");
        CHECK_STREQ(ENTRY(f, 1)->cmdline, "rd.live.check ro");
        REQUIRE(ENTRY(f, 2)->n_initrds == 1);
        CHECK_STREQ(ENTRY(f, 2)->initrds[0].path, "/ppc/ppc64/initrd.img");
        CHECK_STREQ(ENTRY(f, 3)->title, "Reboot");
        CHECK_STREQ(ENTRY(f, 3)->submenu[0], "Other options...");
        CHECK_STREQ(ENTRY(f, 4)->not_bootable, "no kernel");
        CHECK_INTEQ(f.r.timeout, 5);
        CHECK_INTEQ(f.r.default_index, 0);
        import_result_done(&f.r);
}

TEST(corpus_f18_ppc64)
{
        struct fixture f;

        fx_init(&f, "f18");
        copy_corpus("f18", "grub2-f18-ppc64.conf", "boot/grub2/grub.cfg");
        add_disk(&f, "/dev/sda2", "f18-boot", "773653a7-660e-490e-9a74-d9fdfc9bbbf6", NULL);
        CHECK_INTEQ(grub2_import(&f.fs, "/boot/grub2/grub.cfg", &f.r), 0);
        REQUIRE(f.r.n == 2);
        CHECK_STREQ(ENTRY(f, 0)->title, "Fedora");
        CHECK_STREQ(ENTRY(f, 0)->kernel.dev, "/dev/sda2");
        CHECK_STREQ(ENTRY(f, 0)->kernel.path, "/vmlinuz-3.6.10-4.fc18.ppc64p7");
        CHECK_STREQ(ENTRY(f, 0)->cmdline,
                    "root=/dev/mapper/fedora_ltcfbl8eb-root ro rd.lvm.lv=fedora_ltcfbl8eb/swap "
                    "rd.dm=0 rd.lvm.lv=fedora_ltcfbl8eb/root rd.md=0 rd.luks=0 "
                    "vconsole.keymap=us rhgb quiet");
        REQUIRE(ENTRY(f, 0)->n_initrds == 1);
        CHECK_STREQ(ENTRY(f, 0)->initrds[0].dev, "/dev/sda2");
        CHECK_STREQ(ENTRY(f, 0)->initrds[0].path, "/initramfs-3.6.10-4.fc18.ppc64p7.img");
        REQUIRE(strv_length(ENTRY(f, 1)->submenu) == 1);
        CHECK_STREQ(ENTRY(f, 1)->submenu[0], "Advanced options for Fedora");
        CHECK_STREQ(ENTRY(f, 1)->title, "Fedora, with Linux 3.6.10-4.fc18.ppc64p7");
        CHECK_INTEQ(f.r.timeout, 5);
        CHECK_INTEQ(f.r.default_index, 0);
        import_result_done(&f.r);
}

TEST(corpus_rhel8_grubenv)
{
        struct fixture f;

        fx_init(&f, "rhel8");
        copy_corpus("rhel8", "grub2-rhel8.conf", "grub/grub.cfg");
        put("rhel8", "grub/grubenv",
            grubenv("saved_entry=8e15296c9cc14deb9e3f8548d49fd6fc-4.18.0-80.el8.ppc64le\n"
                    "kernelopts=root=/dev/mapper/rhel-root ro crashkernel=auto\n"));
        f.t.disks[0].uuid = "9a8ea027-4829-45b9-829b-18ed6cc1f33b";
        CHECK_INTEQ(grub2_import(&f.fs, "/grub/grub.cfg", &f.r), 0);
        REQUIRE(f.r.n == 3);
        CHECK_STREQ(ENTRY(f, 0)->title,
                    "Red Hat Enterprise Linux (4.18.0-80.11.2.el8_0.ppc64le) 8.0 (Ootpa)");
        CHECK(ENTRY(f, 0)->kernel.dev == NULL);
        CHECK_STREQ(ENTRY(f, 0)->kernel.path, "/vmlinuz-4.18.0-80.11.2.el8_0.ppc64le");
        CHECK_STREQ(ENTRY(f, 0)->cmdline, "root=/dev/mapper/rhel-root ro crashkernel=auto");
        REQUIRE(ENTRY(f, 0)->n_initrds == 1);
        CHECK_STREQ(ENTRY(f, 0)->initrds[0].path, "/initramfs-4.18.0-80.11.2.el8_0.ppc64le.img");
        CHECK_INTEQ(f.r.default_index, 1);
        CHECK_INTEQ(f.r.timeout, 5);
        import_result_done(&f.r);
}

TEST(corpus_rhcos)
{
        struct fixture f;

        fx_init(&f, "rhcos");
        copy_corpus("rhcos", "grub2-rhcos-ootpa.conf", "grub/grub.cfg");
        add_disk(&f, "/dev/sda3", "rhcos-boot", NULL, "boot");
        put("rhcos-boot", "ignition.firstboot", "set ignition_network_kcmdline='ip=eth0:dhcp'\n");
        CHECK_INTEQ(grub2_import(&f.fs, "/grub/grub.cfg", &f.r), 0);
        for (size_t i = 0; i < f.r.diags.n; i++)
                printf("# diag %u %s\n", f.r.diags.items[i].line, f.r.diags.items[i].message);
        REQUIRE(f.r.n == 1);
        CHECK_STREQ(ENTRY(f, 0)->title,
                    "Red Hat Enterprise Linux CoreOS 42.80.20191030.0 (Ootpa) (ostree)");
        CHECK(strstr(ENTRY(f, 0)->cmdline, "ignition.firstboot ip=eth0:dhcp") != NULL);
        CHECK_STREQ(ENTRY(f, 0)->kernel.dev, "(hd0,gpt2)");
        import_result_done(&f.r);
}

/* source and load_env of a FIFO, source and configfile of files out of the filesystem (".."
 * and links), a linked source inside it: diagnostics, nothing of the outside, the rest read. */
TEST(hostile_files)
{
        _cleanup_free_ char *abs = util_asprintf("%s/secret-grub.cfg", tmpdir);
        struct fixture f;

        fx_init(&f, "hostile");
        put("hostile", "../secret-grub.cfg", "menuentry SECRET { linux /SECRET; }\n");
        put_fifo("hostile", "boot/grub/fifo.cfg");
        put_fifo("hostile", "boot/grub/grubenv");
        put_link("hostile", "boot/grub/abs.cfg", abs);
        put_link("hostile", "boot/grub/rel.cfg", "../../../secret-grub.cfg");
        put("hostile", "boot/grub/real/inside.cfg", "menuentry Inside { linux /i; }\n");
        put_link("hostile", "boot/grub/inside.cfg", "/boot/grub/real/inside.cfg");
        CHECK_INTEQ(run(&f, "hostile",
                        "source /boot/grub/fifo.cfg\n"
                        "load_env\n"
                        "source /../secret-grub.cfg\n"
                        "source /boot/grub/../../../secret-grub.cfg\n"
                        "source /boot/grub/abs.cfg\n"
                        "source /boot/grub/rel.cfg\n"
                        "source /boot/grub/inside.cfg\n"
                        "menuentry After { linux /a; }\n"
                        "configfile /boot/grub/rel.cfg\n"),
                    0);
        REQUIRE(f.r.n == 2);
        CHECK_STREQ(ENTRY(f, 0)->title, "Inside");
        CHECK_STREQ(ENTRY(f, 1)->title, "After");
        CHECK(testfs_diag(&f.r, "/boot/grub/fifo.cfg", "not a regular file"));
        CHECK(testfs_diag(&f.r, "grubenv", "not a regular file"));
        CHECK(!testfs_mentions(&f.r, "SECRET"));
        import_result_done(&f.r);
}

/* ---- nesting: bounded in the parser and the interpreter ---- */

/* open repeated n times, then "\n", then close repeated n times, between two entries. */
static char *nested_cfg(const char *open, const char *close, size_t n)
{
        size_t lo = strlen(open), lc = strlen(close), size = 64 + n * (lo + lc) + 64;
        char *s = malloc(size), *p = s;

        if (!s)
                return NULL;
        p += sprintf(p, "menuentry Before { linux /b; }\n");
        for (size_t i = 0; i < n; i++, p += lo)
                memcpy(p, open, lo);
        *p++ = '\n';
        for (size_t i = 0; i < n; i++, p += lc)
                memcpy(p, close, lc);
        sprintf(p, "\nmenuentry After { linux /a; }\n");
        return s;
}

/* The entries before and after a deep block are there, with a diagnostic at line. */
static void check_around(bool *test_failed, struct fixture *f, unsigned line)
{
        CHECK(has_diag(&f->r, "nested deeper than 64", line));
        REQUIRE(f->r.n >= 2);
        CHECK_STREQ(ENTRY(*f, 0)->title, "Before");
        CHECK_STREQ(ENTRY(*f, f->r.n - 1)->title, "After");
        CHECK_STREQ(ENTRY(*f, f->r.n - 1)->kernel.path, "/a");
}

TEST(nesting_in_the_megabytes)
{
        static const struct {
                const char *open, *close;
                unsigned line; /* of the first block too deep */
        } kinds[] = {
                {"{ ", "} ", 2},
                {"if true; then\n", "fi\n", 66},
                {"for x in 1; do\n", "done\n", 66},
                {"while false; do\n", "done\n", 66},
                {"until true; do\n", "done\n", 66},
                {"function f {\n", "}\n", 66},
                {"menuentry m {\n", "}\n", 66},
                {"submenu s {\n", "}\n", 66},
                {"g() {\n", "}\n", 66},
                {"if false; then true; else\n", "fi\n", 66},
        };
        unsigned long long t0 = util_now_ms();

        for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
                size_t n = (1u << 20) / strlen(kinds[k].open);
                _cleanup_free_ char *cfg = nested_cfg(kinds[k].open, kinds[k].close, n);
                struct fixture f;

                printf("# %s\n", kinds[k].open);
                REQUIRE(cfg);
                fx_init(&f, "deep");
                CHECK_INTEQ(run(&f, "deep", cfg), 0);
                check_around(test_failed, &f, kinds[k].line);
                import_result_done(&f.r);
        }
        CHECK(util_now_ms() - t0 < 30000);
}

TEST(nesting_unclosed_and_within_the_bound)
{
        struct fixture f;
        _cleanup_free_ char *unclosed = malloc((1u << 20) + 64), *ok = NULL;
        char *p = unclosed;

        /* A megabyte of '{' never closed: a diagnostic, no crash; the entry before stays. */
        REQUIRE(unclosed);
        p += sprintf(p, "menuentry Before { linux /b; }\n");
        memset(p, '{', 1u << 20);
        for (size_t i = 1; i < (1u << 20); i += 2)
                p[i] = '\n';
        strcpy(p + (1u << 20), "menuentry In { linux /i; }\n");
        fx_init(&f, "unclosed");
        CHECK_INTEQ(run(&f, "unclosed", unclosed), 0);
        CHECK(has_diag(&f.r, "nested deeper than 64", 0));
        REQUIRE(f.r.n >= 1);
        CHECK_STREQ(ENTRY(f, 0)->title, "Before");
        import_result_done(&f.r);

        /* 60 levels are fine: the entry inside is listed, no diagnostic. */
        ok = nested_cfg("if true; then\n", "fi\n", 60);
        REQUIRE(ok);
        p = strstr(ok, "\nfi\n");
        REQUIRE(p);
        {
                _cleanup_free_ char *cfg = util_asprintf("%.*s\nmenuentry Inside { linux /in; }%s",
                                                         (int) (p - ok), ok, p);

                REQUIRE(cfg);
                fx_init(&f, "deep60");
                CHECK_INTEQ(run(&f, "deep60", cfg), 0);
                CHECK_INTEQ(f.r.diags.n, 0);
                REQUIRE(f.r.n == 3);
                CHECK_STREQ(ENTRY(f, 1)->title, "Inside");
                import_result_done(&f.r);
        }
}

TEST(recursion_stops_and_the_file_goes_on)
{
        struct fixture f;
        _cleanup_free_ char *body = NULL;
        char *p;

        /* Function recursion, mutual recursion, a file sourcing itself: each stops with a
         * diagnostic and the entries after the call are still read. */
        fx_init(&f, "rec1");
        CHECK_INTEQ(run(&f, "rec1",
                        "function f { f; }\nf\n"
                        "function g { h x; }\nfunction h { menuentry \"H$1\" { linux /h; }; g; }\n"
                        "g\nmenuentry After { linux /a; }\n"),
                    0);
        CHECK(has_diag(&f.r, "recursion deeper than 32", 1));
        CHECK(has_diag(&f.r, "function g: recursion deeper than 32", 4));
        REQUIRE(f.r.n >= 2);
        CHECK_STREQ(ENTRY(f, 0)->title, "Hx");
        CHECK_STREQ(ENTRY(f, f.r.n - 1)->title, "After");
        import_result_done(&f.r);

        fx_init(&f, "rec2");
        put("rec2", "boot/grub/self.cfg",
            "source /boot/grub/self.cfg\nsource /boot/grub/self.cfg\n");
        CHECK_INTEQ(run(&f, "rec2", "source /boot/grub/self.cfg\nmenuentry After { linux /a; }\n"),
                    0);
        CHECK(has_diag(&f.r, "nesting deeper than 32", 1));
        REQUIRE(f.r.n == 1);
        CHECK_STREQ(ENTRY(f, 0)->title, "After");
        import_result_done(&f.r);

        /* Blocks inside recursive calls: each call is 60 blocks deep; the run-time bound stops
         * it before the call depth does. */
        body = malloc(4096);
        REQUIRE(body);
        p = body + sprintf(body, "function f {\n");
        for (int i = 0; i < 60; i++)
                p += sprintf(p, "{ ");
        p += sprintf(p, "f\n");
        for (int i = 0; i < 60; i++)
                p += sprintf(p, "} ");
        sprintf(p, "\n}\nf\nmenuentry After { linux /a; }\n");
        fx_init(&f, "rec3");
        CHECK_INTEQ(run(&f, "rec3", body), 0);
        CHECK(has_diag(&f.r, "nested deeper than 256", 2));
        REQUIRE(f.r.n == 1);
        CHECK_STREQ(ENTRY(f, 0)->title, "After");
        import_result_done(&f.r);
}

/* ---- values and totals: bounded ---- */

/* Appends printf output to a growing string. */
static void cat(char **s, const char *fmt, ...) _printf_(2, 3);
static void cat(char **s, const char *fmt, ...)
{
        _cleanup_free_ char *add = NULL;
        va_list ap;
        char *n;

        va_start(ap, fmt);
        if (vasprintf(&add, fmt, ap) < 0)
                add = NULL;
        va_end(ap);
        n = add ? util_asprintf("%s%s", *s ? *s : "", add) : NULL;
        free(*s);
        *s = n;
}

TEST(doubling_variables_stop_at_a_bound)
{
        _cleanup_free_ char *cfg = NULL;
        struct fixture f;

        /* set a=$a$a forty times, in a for loop and in a while loop: each stops at 64 KiB with
         * one diagnostic; the entries before and after are there, with the value as it was. */
        cat(&cfg, "menuentry Before { linux /b; }\nset a=x\n");
        for (int i = 0; i < 40; i++)
                cat(&cfg, "set a=$a$a\n");
        cat(&cfg, "set b=y\nfor i in");
        for (int i = 0; i < 40; i++)
                cat(&cfg, " %d", i);
        cat(&cfg, "; do set b=\"$b$b\"; done\n"
                  "set c=z\nset i=\n"
                  "while [ \"$i\" != iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii ]; do\n"
                  "  c=$c$c; set i=${i}i\n"
                  "done\n"
                  "menuentry After { linux /a $a; }\n"
                  "menuentry \"B $b\" { linux /b; }\n"
                  "menuentry C { linux /c $c; }\n");
        REQUIRE(cfg);
        fx_init(&f, "double");
        CHECK_INTEQ(run(&f, "double", cfg), 0);
        CHECK(has_diag(&f.r, "a word longer than 65536 bytes: command not run", 18));
        for (size_t i = 0; i < f.r.diags.n; i++)
                printf("# diag %u %s\n", f.r.diags.items[i].line, f.r.diags.items[i].message);
        CHECK_INTEQ(f.r.diags.n, 1); /* reported once */
        REQUIRE(f.r.n == 4);
        CHECK_STREQ(ENTRY(f, 0)->title, "Before");
        CHECK_STREQ(ENTRY(f, 1)->title, "After");
        REQUIRE(ENTRY(f, 1)->cmdline);
        /* "a=" and the value make the word: the value stops at 32 KiB */
        CHECK_INTEQ(strlen(ENTRY(f, 1)->cmdline), 32768);
        CHECK_INTEQ(strlen(ENTRY(f, 2)->title), 2 + 32768);
        CHECK_INTEQ(strlen(ENTRY(f, 3)->cmdline), 65536); /* c=$c$c: the value is the word */
        import_result_done(&f.r);
}

TEST(dropped_long_words_count_towards_the_expansion_bound)
{
        _cleanup_free_ char *cfg = NULL;
        struct fixture f;
        unsigned stop = 0;

        /* $a of 32 KiB, then 20 000 commands whose word is cut past 64 KiB: each makes 64 KiB that
         * no command uses. They count towards the 256 MiB made in all, so the script stops after
         * about 4096 of them (it ran all 20 000, 1.3 GB of bytes made, before). */
        cat(&cfg, "menuentry Before { linux /b; }\nset a=x\n");
        for (int i = 0; i < 5; i++)
                cat(&cfg, "set a=$a$a$a$a$a$a$a$a\n");
        for (int i = 0; i < 20000; i++)
                cat(&cfg, "set b=$a$a$a\n");
        cat(&cfg, "menuentry After { linux /a; }\n");
        REQUIRE(cfg);
        fx_init(&f, "dropped");
        CHECK_INTEQ(run(&f, "dropped", cfg), 0);
        CHECK(has_diag(&f.r, "a word longer than 65536 bytes: command not run", 8));
        for (size_t i = 0; i < f.r.diags.n; i++)
                if (strstr(f.r.diags.items[i].message, "bytes of words made, script stopped"))
                        stop = f.r.diags.items[i].line;
        printf("# the script stopped at line %u\n", stop);
        CHECK(stop > 7 + 4000 && stop < 7 + 4200);
        REQUIRE(f.r.n >= 1);
        CHECK_STREQ(ENTRY(f, 0)->title, "Before");
        import_result_done(&f.r);
}

TEST(variables_commands_and_command_lines_bounded)
{
        _cleanup_free_ char *cfg = NULL;
        struct fixture f;

        /* A value of 32 KiB; 40 copies (1.3 MiB); a command of 9 x 32 KiB and a kernel command
         * line of 96 KiB; 1100 variables. */
        cat(&cfg, "set a=x\n");
        for (int i = 0; i < 15; i++)
                cat(&cfg, "set a=$a$a\n");
        for (int i = 0; i < 40; i++)
                cat(&cfg, "set w%d=$a\n", i);
        cat(&cfg, "menuentry Long { linux /l $a $a $a $a $a $a $a $a $a; }\n"
                  "menuentry Cmdline { linux /c $a $a $a; }\n");
        cat(&cfg, "for i in");
        for (int i = 0; i < 1100; i++)
                cat(&cfg, " %d", i);
        cat(&cfg, "; do set v$i=x; done\nmenuentry \"v1023=$v1023 v1100=$v1100\" { linux /v; }\n"
                  "menuentry After { linux /a; }\n");
        REQUIRE(cfg);
        fx_init(&f, "vars");
        CHECK_INTEQ(run(&f, "vars", cfg), 0);
        for (size_t i = 0; i < f.r.diags.n; i++)
                printf("# diag %u %s\n", f.r.diags.items[i].line, f.r.diags.items[i].message);
        CHECK(has_diag(&f.r, "more than 1024 variables", 59));
        CHECK(has_diag(&f.r, "variables larger than 1048576 bytes in all", 0));
        CHECK(has_diag(&f.r, "a command longer than 262144 bytes", 57));
        CHECK(has_diag(&f.r, "linux: command line longer than 65536 bytes, kernel not used", 58));
        REQUIRE(f.r.n == 4);
        CHECK_STREQ(ENTRY(f, 0)->not_bootable, "no kernel");
        CHECK_STREQ(ENTRY(f, 1)->not_bootable, "no kernel");
        CHECK_STREQ(ENTRY(f, 2)->title, "v1023= v1100=");
        CHECK_STREQ(ENTRY(f, 3)->title, "After");
        import_result_done(&f.r);
}

TEST(entries_and_output_bounded)
{
        _cleanup_free_ char *cfg = NULL;
        char *many = malloc(200001 * 16 + 64), *p = many;
        struct fixture f;

        /* 200 001 entries: the last is cut, with a diagnostic. */
        REQUIRE(many);
        for (int i = 0; i < 200001; i++)
                p += sprintf(p, "menuentry e { }\n");
        fx_init(&f, "many");
        CHECK_INTEQ(run(&f, "many", many), 0);
        free(many);
        CHECK_INTEQ(f.r.n, 200000);
        CHECK(has_diag(&f.r, "more than 200000 menu entries: the rest not listed", 200001));
        import_result_done(&f.r);

        /* 2200 entries of 32 KiB: past 64 MiB in all, the rest is cut. */
        cat(&cfg, "set a=x\n");
        for (int i = 0; i < 16; i++)
                cat(&cfg, "set a=$a$a\n");
        cat(&cfg, "for i in");
        for (int i = 0; i < 2200; i++)
                cat(&cfg, " %d", i);
        cat(&cfg, "; do menuentry \"e$i\" { linux /k $a; }; done\n");
        REQUIRE(cfg);
        fx_init(&f, "big");
        CHECK_INTEQ(run(&f, "big", cfg), 0);
        for (size_t i = 0; i < f.r.diags.n; i++)
                printf("# diag %u %s\n", f.r.diags.items[i].line, f.r.diags.items[i].message);
        CHECK(has_diag(&f.r, "menu entries larger than 67108864 bytes in all", 18));
        CHECK(f.r.n > 2000 && f.r.n < 2200);
        import_result_done(&f.r);
}

/* ---- grub-reboot: next_entry stays the default here, marked as GRUB's one-time choice ---- */

TEST(next_entry_is_a_one_time_default)
{
        static const char *cfg = "if [ -s $prefix/grubenv ]; then\n"
                                 "  load_env\n"
                                 "fi\n"
                                 "if [ \"${next_entry}\" ] ; then\n"
                                 "   set default=\"${next_entry}\"\n"
                                 "   set next_entry=\n"
                                 "   save_env next_entry\n"
                                 "else\n"
                                 "   set default=\"${saved_entry}\"\n"
                                 "fi\n"
                                 "menuentry A --id a { linux /a; }\n"
                                 "menuentry B --id b { linux /b; }\n"
                                 "menuentry C --id c { linux /c; }\n";
        static const struct {
                const char *env;
                int def;
                bool once;
        } cases[] = {
                {"saved_entry=b\nnext_entry=c\n", 2, true}, /* grub-reboot c */
                {"next_entry=1\n", 1, true},
                {"saved_entry=b\n", 1, false},               /* grub-set-default b */
                {"saved_entry=c\nnext_entry=c\n", 2, false}, /* both say c: it stays */
                {"saved_entry=b\nnext_entry=gone\n", -1, false},
                {"", -1, false},
        };
        struct fixture f;

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                fx_init(&f, "once");
                put("once", "boot/grub/grubenv", grubenv(cases[i].env));
                CHECK_INTEQ(run(&f, "once", cfg), 0);
                CHECK_INTEQ(f.r.default_index, cases[i].def);
                CHECK(f.r.default_once == cases[i].once);
                import_result_done(&f.r);
        }

        /* next_entry given but the script ignores it: not the default, no mark. */
        fx_init(&f, "once2");
        put("once2", "boot/grub/grubenv", grubenv("next_entry=c\n"));
        CHECK_INTEQ(run(&f, "once2", "load_env\nset default=a\nmenuentry A --id a { linux /a; }\n"),
                    0);
        CHECK_INTEQ(f.r.default_index, 0);
        CHECK(!f.r.default_once);
        import_result_done(&f.r);
}

TEST(diagnostics_bounded)
{
        _cleanup_free_ char *cfg = malloc((1u << 20) + 64), *loop = NULL;
        struct fixture f;

        /* A megabyte of stray '}' lines, and a loop reading a missing file 5000 times: a thousand
         * diagnostics, then one that says the rest are not reported; the entries are there. */
        REQUIRE(cfg);
        for (size_t i = 0; i < (1u << 20); i += 2)
                memcpy(cfg + i, "}\n", 2);
        strcpy(cfg + (1u << 20), "menuentry After { linux /a; }\n");
        fx_init(&f, "diags");
        CHECK_INTEQ(run(&f, "diags", cfg), 0);
        CHECK_INTEQ(f.r.diags.n, 1001);
        CHECK(has_diag(&f.r, "more than 1000 problems: the rest not reported", 1001));
        REQUIRE(f.r.n == 1);
        CHECK_STREQ(ENTRY(f, 0)->title, "After");
        import_result_done(&f.r);

        cat(&loop, "for i in");
        for (int i = 0; i < 5000; i++)
                cat(&loop, " %d", i);
        cat(&loop, "; do source /missing$i.cfg; done\nmenuentry After { linux /a; }\n");
        REQUIRE(loop);
        fx_init(&f, "diags2");
        CHECK_INTEQ(run(&f, "diags2", loop), 0);
        CHECK_INTEQ(f.r.diags.n, 1001);
        CHECK(has_diag(&f.r, "more than 1000 problems", 1));
        CHECK_INTEQ(f.r.n, 1);
        import_result_done(&f.r);
}

TEST(shift_at_the_top_level)
{
        struct fixture f;

        /* No positional parameters at the top: "shift 0" moved a NULL pointer (UBSan, found by
         * the fuzzer). */
        fx_init(&f, "shift");
        CHECK_INTEQ(run(&f, "shift",
                        "shift 0\nshift\nif shift; then set s=yes; else set s=no; fi\n"
                        "menuentry \"A $s\" { linux /a; }\n"),
                    0);
        REQUIRE(f.r.n == 1);
        CHECK_STREQ(ENTRY(f, 0)->title, "A no");
        import_result_done(&f.r);
}

TEST(empty_unquoted_word_is_no_argument)
{
        struct fixture f;

        /* GRUB's grub_script_arglist_to_argv: an unquoted word that expands to nothing adds no
         * argument; a quoted empty word ("", '', "$unset") is one; a$unset is "a". */
        fx_init(&f, "empty");
        put("empty", "initrd.img", "x");
        CHECK_INTEQ(run(&f, "empty",
                        "set blank=\"  \"\n"
                        "menuentry A {\n"
                        "  linux /vmlinuz $unset root=x ${unset} $blank a$unset ro\n"
                        "  initrd /initrd.img $extra_initrd\n"
                        "}\n"
                        "menuentry B { linux /vmlinuz \"\" x '' \"$unset\" y; }\n"),
                    0);
        REQUIRE(f.r.n == 2);
        CHECK_STREQ(ENTRY(f, 0)->cmdline, "root=x a ro");
        CHECK_INTEQ(ENTRY(f, 0)->n_initrds, 1);
        /* GRUB writes an empty argument as nothing between its spaces */
        CHECK_STREQ(ENTRY(f, 1)->cmdline, " x   y");
        import_result_done(&f.r);
}

TEST(hex_escapes_reach_the_command_line)
{
        struct fixture f;

        /* Fedora/RHEL/CentOS media: LABEL=CentOS\x207\x20x86_64 reaches the kernel as written
         * (their GRUB passes \xHH unmolested); other escapes as upstream GRUB's lexer: outside
         * quotes a backslash quotes the next character, inside double quotes only \\ \" \$ and a
         * newline are escapes, inside single quotes nothing is. */
        fx_init(&f, "hex");
        CHECK_INTEQ(
                run(&f, "hex",
                    "menuentry A {\n"
                    "  linux /vmlinuz inst.stage2=hd:LABEL=CentOS\\x207\\x20x86_64 quiet\n"
                    "}\n"
                    "menuentry B { linux /vmlinuz a=\"L\\x20M\" b='L\\x20M' c=\\xZZ d=\\\\x20; }\n"
                    "menuentry C { linux /vmlinuz e=\"\\$x\\\\y\\q\" f=\"a\\\nb\"; }\n"),
                0);
        REQUIRE(f.r.n == 3);
        CHECK_STREQ(ENTRY(f, 0)->cmdline, "inst.stage2=hd:LABEL=CentOS\\x207\\x20x86_64 quiet");
        CHECK_STREQ(ENTRY(f, 1)->cmdline, "a=L\\x20M b=L\\x20M c=xZZ d=\\x20");
        CHECK_STREQ(ENTRY(f, 2)->cmdline, "e=$x\\\\y\\\\q f=ab");
        import_result_done(&f.r);
}

TEST(timeout_style)
{
        struct fixture f;

        /* Ubuntu's one-system config: hidden menu, timeout 0 (GRUB boots the default at once) */
        fx_init(&f, "tstyle");
        CHECK_INTEQ(run(&f, "tstyle",
                        "set timeout_style=hidden\nset timeout=0\nmenuentry A { linux /a; }\n"),
                    0);
        CHECK_INTEQ(f.r.timeout, 0);
        CHECK_STREQ(f.r.timeout_style, "hidden");
        import_result_done(&f.r);

        fx_init(&f, "tstyle2");
        CHECK_INTEQ(run(&f, "tstyle2",
                        "set timeout_style=sideways\nset timeout=5\nmenuentry A { linux /a; }\n"),
                    0);
        CHECK_INTEQ(f.r.timeout, 5);
        CHECK(f.r.timeout_style == NULL);
        CHECK(has_diag(&f.r, "timeout_style sideways is not menu, countdown or hidden", 0));
        import_result_done(&f.r);
}

/* printf 'pw\npw\n' | grub-mkpasswd-pbkdf2 -c 1000 (as in test-auth.c) */
#define PW_HASH                                                                                    \
        "grub.pbkdf2.sha512.1000."                                                                 \
        "0A20E3D3822512A8FCB5D330BB2567FFF91AB6B5983D7CEF0F8A0F992E8DCA02BEC56CEACCD0AA3F884EF2E9" \
        "22878EDDB1B2A4136CFAB9DA2C995F0CB0945F33."                                                \
        "955C23B237C19C3ADA02FE88A815B064EDC49FACF6AFE61A18710E192FC92CED0BA4AE3F77CCB272B4FC3066" \
        "EDB4F8772FEE0F60ACCA3EF9C98711C45157E21E"

/* GRUB's users: superusers, password_pbkdf2, password, --unrestricted, --users, submenus. */
TEST(passwords_and_gates)
{
        struct fixture f;
        const struct auth_set *a;

        fx_init(&f, "auth");
        CHECK_INTEQ(run(&f, "auth",
                        "set superusers=\"root\"\n"
                        "password_pbkdf2 root " PW_HASH "\n"
                        "password alice alicepw\n"
                        "menuentry 'Locked' { linux /k }\n"
                        "menuentry 'Open' --unrestricted { linux /k\n"
                        "  password mallory x\n" /* runs only at boot: not a user */
                        "}\n"
                        "menuentry 'Alice' --users alice { linux /k }\n"
                        "submenu 'Sub' --users 'alice bob' {\n"
                        "  menuentry 'Inner open' --unrestricted { linux /k }\n"
                        "  menuentry 'Inner bob' --users bob,carol { linux /k }\n"
                        "  menuentry 'Inner locked' { linux /k }\n"
                        "}\n"),
                    0);
        REQUIRE(f.r.n == 6);
        a = ENTRY(f, 0)->auth;
        REQUIRE(a != NULL);
        CHECK(a->restricted);
        CHECK_STREQ(a->superusers, "root");
        CHECK(auth_set_user(a, "mallory") == NULL);
        CHECK(auth_login(a, "root", "pw", NULL, NULL) == AUTH_OK);
        CHECK(auth_login(a, "root", "px", NULL, NULL) == AUTH_DENIED);
        CHECK(auth_login(a, "alice", "alicepw", NULL, NULL) == AUTH_DENIED);
        for (size_t i = 1; i < f.r.n; i++)
                CHECK(ENTRY(f, i)->auth == a);
        CHECK(!ENTRY(f, 0)->unrestricted && ENTRY(f, 0)->users == NULL);
        CHECK(ENTRY(f, 1)->unrestricted);
        CHECK(!ENTRY(f, 2)->unrestricted);
        CHECK_STREQ(ENTRY(f, 2)->users, "alice");
        /* in the submenu: its gate, and the entry's */
        CHECK(!ENTRY(f, 3)->unrestricted);
        CHECK_STREQ(ENTRY(f, 3)->users, "alice bob");
        CHECK(!ENTRY(f, 4)->unrestricted);
        CHECK_STREQ(ENTRY(f, 4)->users, "bob");
        CHECK(!ENTRY(f, 5)->unrestricted && ENTRY(f, 5)->users == NULL);
        import_result_done(&f.r);

        /* superusers never set: no protection at all, passwords or not */
        fx_init(&f, "auth2");
        CHECK_INTEQ(run(&f, "auth2",
                        "password_pbkdf2 root " PW_HASH "\n"
                        "menuentry 'A' { linux /k }\n"),
                    0);
        REQUIRE(f.r.n == 1);
        CHECK(ENTRY(f, 0)->auth == NULL);
        import_result_done(&f.r);

        /* set, then unset before the menu: what GRUB sees at menu time */
        fx_init(&f, "auth3");
        CHECK_INTEQ(run(&f, "auth3",
                        "set superusers=root\n"
                        "menuentry 'A' { linux /k }\n"
                        "unset superusers\n"),
                    0);
        REQUIRE(f.r.n == 1);
        CHECK(ENTRY(f, 0)->auth == NULL);
        import_result_done(&f.r);

        /* set to nothing: restricted, with no superuser (GRUB's grub_env_get is not NULL) */
        fx_init(&f, "auth4");
        CHECK_INTEQ(run(&f, "auth4",
                        "set superusers=\"\"\n"
                        "menuentry 'A' { linux /k }\n"),
                    0);
        REQUIRE(f.r.n == 1);
        REQUIRE(ENTRY(f, 0)->auth != NULL);
        CHECK(ENTRY(f, 0)->auth->restricted);
        import_result_done(&f.r);
}

/* Hashes that cannot be checked lock their user, never open anything. */
TEST(password_argon2_and_bad_hashes_lock)
{
        struct fixture f;
        const struct auth_set *a;
        const char *why = NULL;
        char *m;

        fx_init(&f, "argon");
        CHECK_INTEQ(run(&f, "argon",
                        "set superusers='root admin'\n"
                        "password_argon2 root $argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA\n"
                        "password_pbkdf2 admin grub.pbkdf2.sha512.4294967296.AA.BB\n"
                        "password_pbkdf2 eve grub.pbkdf2.sha512.10.AAA.BB\n"
                        "password_pbkdf2 onlyone\n"
                        "menuentry 'A' { linux /k }\n"),
                    0);
        REQUIRE(f.r.n == 1);
        a = ENTRY(f, 0)->auth;
        REQUIRE(a != NULL);
        CHECK(auth_login(a, "root", "anything", NULL, &why) == AUTH_LOCKED);
        CHECK(why && strstr(why, "password_argon2"));
        CHECK(auth_login(a, "admin", "anything", NULL, &why) == AUTH_LOCKED);
        CHECK(why && strstr(why, "iteration"));
        m = auth_gate_locked(a, NULL);
        CHECK(m && strstr(m, "Locked"));
        free(m);
        CHECK(has_diag(&f.r, "password_argon2 root", 2));
        CHECK(has_diag(&f.r, "password_pbkdf2 admin", 3));
        CHECK(has_diag(&f.r, "password_pbkdf2 eve", 4));
        CHECK(has_diag(&f.r, "needs a user name and a password", 5));
        import_result_done(&f.r);
}

/* RHEL 8's grub.cfg as grub2-mkconfig made it (01_users sources user.cfg), with the user.cfg
 * grub2-setpassword writes: protected by root's password; its entries are --unrestricted
 * (booting is open, the editor and the shell are not). */
TEST(corpus_rhel8_user_cfg)
{
        struct fixture f;
        const struct auth_set *a;

        fx_init(&f, "rhel8u");
        copy_corpus("rhel8u", "grub2-rhel8.conf", "grub/grub.cfg");
        put("rhel8u", "grub/grubenv",
            grubenv("kernelopts=root=/dev/mapper/rhel-root ro crashkernel=auto\n"));
        put("rhel8u", "grub/user.cfg", "GRUB2_PASSWORD=" PW_HASH "\n");
        f.t.disks[0].uuid = "9a8ea027-4829-45b9-829b-18ed6cc1f33b";
        CHECK_INTEQ(grub2_import(&f.fs, "/grub/grub.cfg", &f.r), 0);
        REQUIRE(f.r.n == 3);
        a = ENTRY(f, 0)->auth;
        REQUIRE(a != NULL);
        CHECK(a->restricted);
        CHECK(auth_login(a, "root", "pw", NULL, NULL) == AUTH_OK);
        CHECK(auth_login(a, "root", "wrong", NULL, NULL) == AUTH_DENIED);
        for (size_t i = 0; i < 3; i++)
                CHECK(ENTRY(f, i)->unrestricted && ENTRY(f, i)->auth == a);
        import_result_done(&f.r);

        /* without user.cfg (no grub2-setpassword): nothing protected */
        fx_init(&f, "rhel8n");
        copy_corpus("rhel8n", "grub2-rhel8.conf", "grub/grub.cfg");
        f.t.disks[0].uuid = "9a8ea027-4829-45b9-829b-18ed6cc1f33b";
        CHECK_INTEQ(grub2_import(&f.fs, "/grub/grub.cfg", &f.r), 0);
        REQUIRE(f.r.n == 3);
        CHECK(ENTRY(f, 0)->auth == NULL);
        import_result_done(&f.r);
}
