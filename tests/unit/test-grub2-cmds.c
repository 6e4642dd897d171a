/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The GRUB 2 commands of src/import/grub2-cmds.c (regexp, eval, setparams, probe, search,
 * wildcards) and blscfg's grub_* keys, each expected result written from GRUB 2.06/2.12's own
 * rules (commands/regexp.c, script/execute.c, commands/probe.c, commands/search_wrap.c,
 * commands/wildcard.c, Fedora's commands/blscfg.c). */
#include "test.h"

#include <sys/stat.h>

#include "import-testfs.h"
#include "import/grub2-internal.h"

struct fixture {
        char dirs[4][256];
        struct testfs t;
        struct import_fs fs;
        struct import_result r;
};

/* Disk 0 is /dev/sda1 = tmpdir/name, an ext4 MBR partition (the imported one). */
static void fx_init(struct fixture *f, const char *name)
{
        *f = (struct fixture){0};
        snprintf(f->dirs[0], sizeof(f->dirs[0]), "%s/%s", tmpdir, name);
        mkdir(f->dirs[0], 0755);
        f->t.disks[0] = (struct testfs_disk){.dev = "/dev/sda1",
                                             .dir = f->dirs[0],
                                             .uuid = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
                                             .label = "root",
                                             .fstype = "ext4",
                                             .partuuid = "1a2b3c4d-01"};
        f->t.n = 1;
        f->t.self = "/dev/sda1";
        f->fs = testfs_fs(&f->t);
        f->r = (struct import_result){.timeout = -1, .default_index = -1};
}

static void add_disk(struct fixture *f, struct testfs_disk d, const char *name)
{
        snprintf(f->dirs[f->t.n], sizeof(f->dirs[0]), "%s/%s", tmpdir, name);
        mkdir(f->dirs[f->t.n], 0755);
        d.dir = f->dirs[f->t.n];
        f->t.disks[f->t.n++] = d;
}

static int run(struct fixture *f, const char *name, const char *cfg)
{
        put(name, "boot/grub/grub.cfg", cfg);
        return grub2_import(&f->fs, "/boot/grub/grub.cfg", &f->r);
}

static bool has_diag(const struct import_result *r, const char *needle)
{
        return test_diag_has(&r->diags, NULL, NULL, 0, needle);
}

#define ENTRY(f, i) (&(f).r.entries[i])

TEST(regexp_set_and_status)
{
        struct fixture f;

        fx_init(&f, "re");
        CHECK_INTEQ(run(&f, "re",
                        "regexp --set=1:ver --set 2:flav '^/vmlinuz-([0-9.]+)-(.*)$' "
                        "/vmlinuz-6.1.0-13-amd64\n"
                        "menuentry \"$ver|$flav\" { linux /k; }\n"
                        /* a name without NUM is sub-match 1; 0 is the whole match */
                        "regexp -s one --set=0:all 'b(c)' abcd\n"
                        "menuentry \"$one|$all\" { linux /k; }\n"
                        /* no match: status 1, the variables untouched */
                        "set keep=old\n"
                        "if regexp --set=keep 'x(y)' abc; then menuentry matched { linux /k; }\n"
                        "else menuentry \"nomatch $keep\" { linux /k; }; fi\n"
                        /* a group that took no part is unset */
                        "set g=old\n"
                        "regexp --set=2:g '(a)|(z)' a\n"
                        "menuentry \"g=$g\" { linux /k; }\n"
                        "if regexp '^/dev/' \"$root\"; then menuentry isdev { linux /k; }; fi\n"),
                    0);
        REQUIRE(f.r.n == 5);
        CHECK_STREQ(ENTRY(f, 0)->title, "6.1.0|13-amd64");
        CHECK_STREQ(ENTRY(f, 1)->title, "c|bc");
        CHECK_STREQ(ENTRY(f, 2)->title, "nomatch old");
        CHECK_STREQ(ENTRY(f, 3)->title, "g=");
        CHECK_STREQ(ENTRY(f, 4)->title, "isdev");
        CHECK_INTEQ(f.r.diags.n, 0);
        import_result_done(&f.r);
}

TEST(regexp_errors_and_bounds)
{
        struct fixture f;
        _cleanup_free_ char *big = calloc(1, GRUB2_MAX_REGEX_STR + 2);

        REQUIRE(big);
        memset(big, 'a', GRUB2_MAX_REGEX_STR + 1);
        fx_init(&f, "reerr");
        put("reerr", "boot/grub/big.cfg", "");
        {
                _cleanup_free_ char *cfg = util_asprintf(
                        "if regexp '(' x; then menuentry badpat { linux /k; }; fi\n"
                        "regexp --set=x:v 'a' a\n"
                        "if regexp '(a)\\1' aa; then menuentry backref { linux /k; }; fi\n"
                        "if regexp 'a{1000}{1000}' a; then menuentry rep { linux /k; }; fi\n"
                        "if regexp one; then menuentry onearg { linux /k; }; fi\n"
                        "if regexp a '%s'; then menuentry longstr { linux /k; }; fi\n"
                        "set n=0\n"
                        "while regexp a a; do set n=x$n; done\n"
                        "menuentry after { linux /k; }\n",
                        big);

                REQUIRE(cfg);
                CHECK_INTEQ(run(&f, "reerr", cfg), 0);
        }
        /* every refused one fails (none of the first five entries); the loop ends by the bound */
        REQUIRE(f.r.n == 1);
        CHECK_STREQ(ENTRY(f, 0)->title, "after");
        CHECK(has_diag(&f.r, "regexp ("));
        CHECK(has_diag(&f.r, "invalid variable name format x:v"));
        CHECK(has_diag(&f.r, "back-references are not supported"));
        CHECK(has_diag(&f.r, "repetition counts"));
        CHECK(has_diag(&f.r, "two arguments expected"));
        CHECK(has_diag(&f.r, "string longer than"));
        CHECK(has_diag(&f.r, "more than 2000 regexp commands"));
        import_result_done(&f.r);
}

TEST(eval_runs_in_the_current_scope)
{
        struct fixture f;

        fx_init(&f, "ev");
        CHECK_INTEQ(run(&f, "ev",
                        "set a=1\n"
                        "eval set b=\\$a\n"
                        "eval 'menuentry \"E $b\" { linux /e; }'\n"
                        "eval 'function fe { menuentry \"F $1\" { linux /f; }; }'\n"
                        "fe arg\n"
                        /* return inside eval returns from the function around it */
                        "function g { eval return 3; menuentry never { linux /n; }; }\n"
                        "g\n"
                        "set st=$?\n"
                        "menuentry \"st=$st\" { linux /s; }\n"
                        "function r { eval r; }\n"
                        "r\n"
                        "menuentry end { linux /z; }\n"),
                    0);
        REQUIRE(f.r.n == 4);
        CHECK_STREQ(ENTRY(f, 0)->title, "E 1");
        CHECK_STREQ(ENTRY(f, 1)->title, "F arg");
        CHECK_STREQ(ENTRY(f, 1)->config, "/boot/grub/grub.cfg");
        CHECK_STREQ(ENTRY(f, 2)->title, "st=3");
        CHECK_STREQ(ENTRY(f, 3)->title, "end");
        CHECK(has_diag(&f.r, "deeper than 32"));
        import_result_done(&f.r);
}

TEST(setparams_in_functions_and_entries)
{
        struct fixture f;

        fx_init(&f, "sp");
        CHECK_INTEQ(run(&f, "sp",
                        "function f { setparams x 'y y' z; menuentry \"$# $1 $3 $*\" { linux /k; "
                        "}; }\n"
                        "f a\n"
                        "menuentry T a b { setparams p q; linux /k $1 $2 $#; }\n"
                        /* outside a function or entry GRUB refuses it */
                        "if setparams a; then menuentry top { linux /k; }; fi\n"
                        /* a callee's setparams is gone when it returns */
                        "function g { setparams q; }\n"
                        "function h { g; menuentry \"h $1\" { linux /k; }; }\n"
                        "h orig\n"),
                    0);
        REQUIRE(f.r.n == 3);
        CHECK_STREQ(ENTRY(f, 0)->title, "3 x z x y y z");
        CHECK_STREQ(ENTRY(f, 1)->title, "T");
        CHECK_STREQ(ENTRY(f, 1)->cmdline, "p q 2");
        CHECK_STREQ(ENTRY(f, 2)->title, "h orig");
        import_result_done(&f.r);
}

TEST(probe_answers_from_device_facts)
{
        struct fixture f;

        fx_init(&f, "pr");
        add_disk(&f,
                 (struct testfs_disk){.dev = "/dev/sdb1",
                                      .uuid = "ABCD-1234",
                                      .label = "EFI",
                                      .fstype = "vfat",
                                      .partuuid = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"},
                 "pr-b");
        add_disk(&f, (struct testfs_disk){.dev = "/dev/sdc", .fstype = "iso9660"}, "pr-c");
        CHECK_INTEQ(run(&f, "pr",
                        "probe --set=fs -f $root\n"
                        "probe -u --set u $root\n"
                        "probe --partmap --set=pm $root\n"
                        "probe --part-uuid --set=pu $root\n"
                        "probe --driver --set=drv $root\n"
                        "menuentry \"$fs|$u|$pm|$pu|$drv\" { linux /k; }\n"
                        "probe --set=fs --fs (/dev/sdb1)\n"
                        "probe --set=u --fs-uuid /dev/sdb1\n"
                        "probe --set=l --label /dev/sdb1\n"
                        "probe --set=pm --partmap /dev/sdb1\n"
                        "probe --set=pu --part-uuid /dev/sdb1\n"
                        "menuentry \"$fs|$u|$l|$pm|$pu\" { linux /k; }\n"
                        /* a whole disk: no partition map; no label: "" */
                        "probe --set=pm --partmap /dev/sdc\n"
                        "probe --set=pu --part-uuid /dev/sdc\n"
                        "probe --set=l --label /dev/sdc\n"
                        "probe --set=fs --label --fs /dev/sdc\n"
                        "menuentry \"$pm|$pu|l=$l|$fs\" { linux /k; }\n"
                        "set x=keep\n"
                        "if probe --set=x --fs /dev/nothing; then menuentry bad { linux /k; }; fi\n"
                        "probe --set=x /dev/sdb1\n"
                        "menuentry \"x=$x\" { linux /k; }\n"),
                    0);
        REQUIRE(f.r.n == 4);
        CHECK_STREQ(ENTRY(f, 0)->title,
                    "ext2|0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0|msdos|1a2b3c4d-01|biosdisk");
        CHECK_STREQ(ENTRY(f, 1)->title,
                    "fat|abcd-1234|EFI|gpt|c12a7328-f81f-11d2-ba4b-00a0c93ec93b");
        CHECK_STREQ(ENTRY(f, 2)->title, "none|none|l=|iso9660");
        CHECK_STREQ(ENTRY(f, 3)->title, "x=keep");
        CHECK(has_diag(&f.r, "probe /dev/sdb1: unrecognised target"));
        import_result_done(&f.r);
}

TEST(search_file_and_set)
{
        struct fixture f;

        fx_init(&f, "sf");
        add_disk(&f, (struct testfs_disk){.dev = "/dev/sdb1"}, "sf-b");
        add_disk(&f, (struct testfs_disk){.dev = "/dev/sdc1"}, "sf-c");
        put("sf-c", "boot/marker", "x");
        CHECK_INTEQ(run(&f, "sf",
                        /* without --set GRUB only prints what it found */
                        "search --file /boot/marker\n"
                        "menuentry noset { linux /k; }\n"
                        "search --no-floppy --hint hd0,msdos1 --hint-efi=hd1 -f --set=x "
                        "/boot/marker\n"
                        "menuentry x { linux ($x)/k; }\n"
                        "search.file /boot/marker\n"
                        "menuentry wrap { linux /k; }\n"
                        "search.file /boot/marker other\n"
                        "menuentry \"other=$other\" { linux /k; }\n"
                        "if search --set=y /boot/marker; then menuentry notype { linux /k; }; fi\n"
                        "if search -f -s /boot/nothing; then menuentry none { linux /k; }; fi\n"),
                    0);
        REQUIRE(f.r.n == 4);
        CHECK(ENTRY(f, 0)->kernel.dev == NULL);
        CHECK_STREQ(ENTRY(f, 1)->kernel.dev, "/dev/sdc1");
        CHECK_STREQ(ENTRY(f, 2)->kernel.dev, "/dev/sdc1");
        CHECK_STREQ(ENTRY(f, 3)->title, "other=/dev/sdc1");
        CHECK(has_diag(&f.r, "no --file, --label or --fs-uuid"));
        import_result_done(&f.r);
}

TEST(wildcards_in_paths)
{
        struct fixture f;

        fx_init(&f, "gl");
        add_disk(&f, (struct testfs_disk){.dev = "/dev/sdb1"}, "gl-b");
        put("gl", "boot/vmlinuz-6.1.0-13-amd64", "k");
        put("gl", "boot/vmlinuz-6.1.0-10-amd64", "k");
        put("gl", "boot/initrd.img-6.1.0-13-amd64", "i");
        put("gl", "boot/.hidden-vmlinuz-1", "h");
        put("gl", "boot/grub/x", "");
        put("gl", "other/grub/nothing", "");
        put("gl-b", "EFI/debian/grub.cfg", "");
        put("gl-b", "EFI/BOOT/bootx64.efi", "");
        CHECK_INTEQ(run(&f, "gl",
                        "for k in /boot/vmlinuz-*; do menuentry \"$k\" { linux $k; }; done\n"
                        "menuentry one { linux /boot/vmlinuz-*-13-* root=/dev/sd*; initrd "
                        "/boot/initrd.img-*; }\n"
                        "menuentry literal { linux /nothing-*; initrd \"/boot/initrd.img-*\" "
                        "/boot/initrd.img-\\*; }\n"
                        "set p=/boot/initrd.img-6.1.0-1?-amd64\n"
                        "menuentry var { linux /k; initrd $p \"$p\"; }\n"
                        "for d in /*/grub/grub.cfg (/dev/sdb1)/EFI/*/grub.cfg /b*/*/; do "
                        "set all=\"$all $d\"; done\n"
                        "menuentry \"$all\" { linux /k; }\n"
                        "for h in /boot/.h*; do menuentry \"$h\" { linux /k; }; done\n"),
                    0);
        REQUIRE(f.r.n == 7);
        /* GRUB's order is the directory's; here it is sorted */
        CHECK_STREQ(ENTRY(f, 0)->title, "/boot/vmlinuz-6.1.0-10-amd64");
        CHECK_STREQ(ENTRY(f, 0)->kernel.path, "/boot/vmlinuz-6.1.0-10-amd64");
        CHECK_STREQ(ENTRY(f, 1)->title, "/boot/vmlinuz-6.1.0-13-amd64");
        CHECK_STREQ(ENTRY(f, 2)->kernel.path, "/boot/vmlinuz-6.1.0-13-amd64");
        /* a word that does not start with '/', '(' or '*' is never expanded */
        CHECK_STREQ(ENTRY(f, 2)->cmdline, "root=/dev/sd*");
        REQUIRE(ENTRY(f, 2)->n_initrds == 1);
        CHECK_STREQ(ENTRY(f, 2)->initrds[0].path, "/boot/initrd.img-6.1.0-13-amd64");
        /* no match: the word as written; quoted or escaped: no wildcard */
        CHECK_STREQ(ENTRY(f, 3)->kernel.path, "/nothing-*");
        REQUIRE(ENTRY(f, 3)->n_initrds == 2);
        CHECK_STREQ(ENTRY(f, 3)->initrds[0].path, "/boot/initrd.img-*");
        CHECK_STREQ(ENTRY(f, 3)->initrds[1].path, "/boot/initrd.img-*");
        /* an unquoted variable's wildcards are expanded, a quoted one's are not */
        REQUIRE(ENTRY(f, 4)->n_initrds == 2);
        CHECK_STREQ(ENTRY(f, 4)->initrds[0].path, "/boot/initrd.img-6.1.0-13-amd64");
        CHECK_STREQ(ENTRY(f, 4)->initrds[1].path, "/boot/initrd.img-6.1.0-1?-amd64");
        /* levels, a device, and a trailing '/' (directories only) */
        CHECK_STREQ(ENTRY(f, 5)->title, " /boot/grub/grub.cfg (/dev/sdb1)/EFI/debian/grub.cfg "
                                        "/boot/grub/");
        /* '*' and '?' match a leading dot too */
        CHECK_STREQ(ENTRY(f, 6)->title, "/boot/.hidden-vmlinuz-1");
        import_result_done(&f.r);
}

TEST(wildcards_bounded)
{
        struct fixture f;
        char name[64];

        fx_init(&f, "glb");
        for (int i = 0; i < GRUB2_MAX_GLOB + 10; i++) {
                snprintf(name, sizeof(name), "many/f%04d", i);
                put("glb", name, "");
        }
        put("glb", "few/a", "");
        CHECK_INTEQ(run(&f, "glb",
                        "set n=0\n"
                        "for x in /many/*; do set last=$x; done\n"
                        "menuentry \"$last\" { linux /k; }\n"
                        "while true; do for z in /few/*; do true; done; done\n"),
                    0);
        REQUIRE(f.r.n == 1);
        snprintf(name, sizeof(name), "/many/f%04d", GRUB2_MAX_GLOB - 1);
        CHECK_STREQ(ENTRY(f, 0)->title, name);
        CHECK(has_diag(&f.r, "matching more than 1024 paths"));
        CHECK(has_diag(&f.r, "listed more than 1024 directories"));
        import_result_done(&f.r);
}

TEST(blscfg_grub_keys)
{
        struct fixture f;

        fx_init(&f, "bls");
        put("bls", "loader/entries/z.conf",
            "title A\nversion 6.5\nlinux /vmlinuz-6.5\ninitrd /initramfs-6.5.img $tuned_initrd\n"
            "options $kernelopts $tuned_params\ngrub_users $grub_users\n"
            "grub_arg --unrestricted\ngrub_class kernel\ngrub_class fedora\ngrub_hotkey f\n");
        put("bls", "loader/entries/y.conf",
            "title B\nversion 6.4\nlinux /vmlinuz-6.4\ngrub_users root $admins\n");
        put("bls", "loader/entries/x.conf",
            "title C\nversion 6.3\nlinux /vmlinuz-6.3\ngrub_users \"\"\n");
        CHECK_INTEQ(run(&f, "bls",
                        "set kernelopts=\"root=/dev/sda2 ro\"\n"
                        "set tuned_params=skew_tick=1\n"
                        "set grub_users=alice\n"
                        "blscfg\n"
                        "unset grub_users\n"
                        "set tuned_initrd=/early.img\n"
                        "blscfg\n"),
                    0);
        REQUIRE(f.r.n == 6);
        /* expanded from the GRUB environment at blscfg, as blscfg's expand_val */
        CHECK_STREQ(ENTRY(f, 0)->title, "A");
        CHECK_STREQ(ENTRY(f, 0)->users, "alice");
        CHECK_STREQ(ENTRY(f, 0)->hotkey, "f");
        REQUIRE(ENTRY(f, 0)->classes && strv_length(ENTRY(f, 0)->classes) == 2);
        CHECK_STREQ(ENTRY(f, 0)->classes[0], "kernel");
        CHECK_STREQ(ENTRY(f, 0)->classes[1], "fedora");
        CHECK_STREQ(ENTRY(f, 0)->cmdline, "root=/dev/sda2 ro skew_tick=1");
        /* an unset $tuned_initrd is no initrd */
        CHECK_INTEQ(ENTRY(f, 0)->n_initrds, 1);
        /* an unset variable drops out; literal users stay, "" (superusers only) too */
        CHECK_STREQ(ENTRY(f, 1)->users, "root");
        CHECK(ENTRY(f, 1)->hotkey == NULL);
        CHECK_STREQ(ENTRY(f, 2)->users, "\"\"");
        /* the second blscfg: no $grub_users (no restriction), $tuned_initrd set */
        CHECK_STREQ(ENTRY(f, 3)->title, "A");
        CHECK(ENTRY(f, 3)->users == NULL);
        REQUIRE(ENTRY(f, 3)->n_initrds == 2);
        CHECK_STREQ(ENTRY(f, 3)->initrds[1].path, "/early.img");
        import_result_done(&f.r);
}

/* A parsed script keeps its tree only: the tokens (700 000 and 17 MB for a grub.cfg of menu
 * entries near its 4 MiB bound) are freed once the tree is made (issue 14: such a file cost 25
 * times its size in memory). The tree holds its own copies of the words. */
TEST(tokens_freed_after_parse)
{
        static const char text[] = "menuentry 'A' {\n  linux /vmlinuz root=/dev/sda1\n}\n"
                                   "if true; then\n  set x=\"a b\"\nfi\n";
        struct grub2_script *s = calloc(1, sizeof(*s));
        struct diag_list d = {0};

        REQUIRE(s);
        REQUIRE(grub2_script_parse(s, text, strlen(text), &d, 100, "/dev/sda1") == 0);
        CHECK(s->toks == NULL);
        CHECK_INTEQ(s->n_toks, 0);
        CHECK_INTEQ(d.n, 0);
        REQUIRE(s->root && s->root->n_kids == 2);
        CHECK_INTEQ(s->root->kids[0]->type, GRUB2_N_MENU);
        CHECK_STREQ(s->root->kids[0]->words[0], "'A'");
        CHECK_INTEQ(s->root->kids[1]->type, GRUB2_N_IF);
        grub2_script_free(s);
        diag_list_done(&d);
}
