/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend/remember.c: the stick's /kexec-loader/last file (written, read back, hostile copies of
 * it), entry identities across starts (entries moved, disks named otherwise), the default chosen
 * with GRUB's one-time choice; and the `remember` directive of kexec-loader.conf. */
#include "test.h"

#include <errno.h>
#include <stdlib.h>

#include "backend/config.h"
#include "backend/remember.h"

static struct remember_file parse(bool *test_failed, const char *text, size_t len,
                                  struct diag_list *d)
{
        struct remember_file f;

        *d = (struct diag_list){0};
        CHECK(remember_parse(text, len, "last", &f, d) == 0);
        return f;
}

TEST(format_and_read_back)
{
        char *sub[] = {"Advanced options for Debian", "nested \\ level", NULL};
        struct remember_file
                f =
                        {
                                .last = {.fs = "UUID=6f0c1e0a-3f5e-4b8e-9d61-0c2b8a1e7d11",
                                         .config = "/boot/grub/grub.cfg",
                                         .submenu = sub,
                                         .title = "Debian GNU/Linux, with Linux 6.1 (recovery "
                                                  "mode)\n\tx\x01\x7f "
                                                  "ü"},
                                .once = {.fs = "LABEL=sys",
                                         .config = "/grub/grub.cfg",
                                         .title = "Other"},
                        },
                back;
        struct diag_list d;
        _cleanup_free_ char *text = remember_format(&f);

        REQUIRE(text);
        CHECK(strstr(text, "version=1\n"));
        CHECK(strstr(text,
                     "title=Debian GNU/Linux, with Linux 6.1 (recovery mode)\\n\\tx\\x01\\x7f "
                     "ü\n"));
        CHECK(strstr(text, "submenu=nested \\\\ level\n"));
        CHECK(strstr(text, "once.title=Other\n"));
        /* one line per key: no raw control character is left */
        for (const char *s = text; *s; s++)
                CHECK(*s == '\n' || (unsigned char) *s >= 0x20);
        back = parse(test_failed, text, strlen(text), &d);
        CHECK_INTEQ(d.n, 0);
        CHECK(remember_id_equal(&back.last, &f.last));
        CHECK(remember_id_equal(&back.once, &f.once));
        CHECK(!remember_id_equal(&back.last, &f.once));
        CHECK_INTEQ(strv_length(back.last.submenu), 2);
        remember_file_done(&back);
        diag_list_done(&d);
}

TEST(minimal_and_crlf)
{
        const char *text = "version=1\r\nfs=UUID=1234-ABCD\r\ntitle=One\r\n";
        struct diag_list d;
        struct remember_file f = parse(test_failed, text, strlen(text), &d);

        CHECK_INTEQ(d.n, 0);
        CHECK_STREQ(f.last.title, "One");
        CHECK_STREQ(f.last.fs, "UUID=1234-ABCD");
        CHECK(!f.last.config && !f.last.submenu && !f.once.title);
        remember_file_done(&f);
        diag_list_done(&d);
}

TEST(hostile_lines)
{
        static const struct {
                const char *text;
                const char *diag; /* the diagnostic expected */
                bool title;       /* the entry is still read */
        } cases[] = {
                {"title=One\nno equals sign\n", "not a key=value", true},
                {"title=One\nshell=rm -rf /\n", "unknown key", true},
                {"title=One\ntitle=Two\n", "title given twice", false},
                {"title=One\tTwo\n", "control character", false},
                {"title=One\nconfig=/a\\qb\n", "bad escape", false},
                {"title=One\\x00Two\n", "bad escape", false},
                {"title=One\\x4\n", "bad escape", false},
                {"title=One\\\n", "bad escape", false},
                {"fs=UUID=1\nconfig=/x\n", "no title", false},
                {"version=2\ntitle=One\n", "not version 1", false},
                {"version=1.0\ntitle=One\n", "not version 1", false},
                {"title=One\nonce.fs=LABEL=x\n", "no once.title", true},
                {"=\ntitle=One\n", "unknown key", true},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                struct diag_list d;
                struct remember_file f =
                        parse(test_failed, cases[i].text, strlen(cases[i].text), &d);

                if (!test_diag_has(&d, NULL, "last", 0, cases[i].diag)) {
                        printf("# case %zu: no diagnostic '%s'\n", i, cases[i].diag);
                        *test_failed = true;
                }
                if (!!f.last.title != cases[i].title) {
                        printf("# case %zu: title %s\n", i, f.last.title ? "read" : "dropped");
                        *test_failed = true;
                }
                CHECK(!f.once.title);
                remember_file_done(&f);
                diag_list_done(&d);
        }
}

TEST(bounds)
{
        _cleanup_free_ char *big = malloc(REMEMBER_FILE_MAX + 2), *longv = NULL, *deep = NULL;
        struct remember_file f;
        struct diag_list d;
        size_t n = 0;

        REQUIRE(big);
        /* a file over the bound: ignored as a whole, not read in part */
        memset(big, 'x', REMEMBER_FILE_MAX + 1);
        memcpy(big, "title=One\n#", 11);
        f = parse(test_failed, big, REMEMBER_FILE_MAX + 1, &d);
        CHECK(!f.last.title);
        CHECK(test_diag_has(&d, NULL, "last", 0, "longer than"));
        remember_file_done(&f);
        diag_list_done(&d);

        /* a value of REMEMBER_VALUE_MAX bytes is read, one more is not (escapes count once) */
        longv = malloc(REMEMBER_VALUE_MAX * 4 + 16);
        REQUIRE(longv);
        n = (size_t) sprintf(longv, "title=");
        for (size_t i = 0; i < REMEMBER_VALUE_MAX; i++)
                n += (size_t) sprintf(longv + n, "\\x41");
        f = parse(test_failed, longv, n, &d);
        CHECK(f.last.title && strlen(f.last.title) == REMEMBER_VALUE_MAX);
        CHECK_INTEQ(d.n, 0);
        remember_file_done(&f);
        diag_list_done(&d);
        n += (size_t) sprintf(longv + n, "A");
        f = parse(test_failed, longv, n, &d);
        CHECK(!f.last.title);
        CHECK(test_diag_has(&d, NULL, "last", 1, "too long"));
        remember_file_done(&f);
        diag_list_done(&d);

        /* submenu levels */
        deep = malloc(64 * (REMEMBER_SUBMENU_MAX + 2));
        REQUIRE(deep);
        n = 0;
        for (unsigned i = 0; i < REMEMBER_SUBMENU_MAX; i++)
                n += (size_t) sprintf(deep + n, "submenu=level %u\n", i);
        n += (size_t) sprintf(deep + n, "title=Deep\n");
        f = parse(test_failed, deep, n, &d);
        CHECK_INTEQ(strv_length(f.last.submenu), REMEMBER_SUBMENU_MAX);
        remember_file_done(&f);
        diag_list_done(&d);
        n += (size_t) sprintf(deep + n, "submenu=one too many\n");
        f = parse(test_failed, deep, n, &d);
        CHECK(!f.last.title && !f.last.submenu);
        CHECK(test_diag_has(&d, NULL, "last", 0, "submenu levels"));
        remember_file_done(&f);
        diag_list_done(&d);
}

TEST(binary_garbage)
{
        char data[4096];
        unsigned x = 12345;

        /* random bytes, NULs and newlines included: never an identity, never a crash */
        for (unsigned round = 0; round < 64; round++) {
                struct remember_file f;
                struct diag_list d;

                for (size_t i = 0; i < sizeof(data); i++) {
                        x = x * 1103515245u + 12345u;
                        data[i] = (char) (x >> 16);
                }
                memcpy(data + 100, "\ntitle=", 7);
                f = parse(test_failed, data, sizeof(data), &d);
                remember_file_done(&f);
                diag_list_done(&d);
        }
        {
                const char nul[] = "title=On\0e\n";
                struct diag_list d;
                struct remember_file f = parse(test_failed, nul, sizeof(nul) - 1, &d);

                CHECK(!f.last.title);
                remember_file_done(&f);
                diag_list_done(&d);
        }
}

/* ---- identities ---- */

static struct device dev(const char *path, const char *uuid, const char *label)
{
        return (struct device){
                .path = (char *) path, .uuid = (char *) uuid, .label = (char *) label};
}

static struct boot_entry ent(const char *fs, const char *config, char **submenu, const char *title)
{
        return (struct boot_entry){.title = (char *) title,
                                   .submenu = submenu,
                                   .config = {.spec = (char *) fs, .path = (char *) config},
                                   .kernel.device = -1};
}

TEST(identity_across_starts)
{
        char *adv[] = {"Advanced options", NULL}, *none[] = {NULL};
        struct device devs1[] = {dev("/dev/sda1", "AAAA", "sys"), dev("/dev/sdb1", "BBBB", NULL)};
        struct device devs2[] = {dev("/dev/sda1", "BBBB", NULL), dev("/dev/sdc1", "AAAA", "sys")};
        struct device_list l1 = {.items = devs1, .n = 2}, l2 = {.items = devs2, .n = 2};
        struct boot_entry first[] = {
                ent("/dev/sda1", "/boot/grub/grub.cfg", none, "Debian"),
                ent("/dev/sda1", "/boot/grub/grub.cfg", adv, "Debian"),
                ent("/dev/sdb1", "/kexec-loader.conf", NULL, "Debian"),
        };
        /* the next start: the disks found the other way round, the entries in another order */
        struct boot_entry second[] = {
                ent("/dev/sda1", "/kexec-loader.conf", NULL, "Debian"),
                ent("/dev/sdc1", "/boot/grub/grub.cfg", adv, "Debian"),
                ent("/dev/sdc1", "/boot/grub/grub.cfg", NULL, "Debian"),
        };
        struct remember_id id;

        for (size_t i = 0; i < 3; i++) {
                static const int want[] = {2, 1, 0};

                REQUIRE(remember_id_of_entry(&first[i], &l1, &id) == 0);
                CHECK(remember_id_matches(&id, &first[i], &l1));
                CHECK_INTEQ(remember_find(&id, first, 3, &l1), (int) i);
                CHECK_INTEQ(remember_find(&id, second, 3, &l2), want[i]);
                remember_id_done(&id);
        }
        REQUIRE(remember_id_of_entry(&first[1], &l1, &id) == 0);
        CHECK_STREQ(id.fs, "UUID=AAAA");
        CHECK_STREQ(id.config, "/boot/grub/grub.cfg");
        CHECK_STREQ(id.title, "Debian");
        /* the same title on a disk with the same label but another UUID is another entry */
        devs2[1].uuid = (char *) "CCCC";
        CHECK_INTEQ(remember_find(&id, second, 3, &l2), -1);
        remember_id_done(&id);
        /* without a UUID the label names the filesystem, and no "UUID=" matches it */
        devs1[0].uuid = NULL;
        REQUIRE(remember_id_of_entry(&first[0], &l1, &id) == 0);
        CHECK_STREQ(id.fs, "LABEL=sys");
        devs1[0].uuid = (char *) "sys";
        CHECK(!remember_id_matches(&id, &first[0], &l1));
        remember_id_done(&id);
        /* an entry whose filesystem is not in the list: its spec as written */
        {
                struct boot_entry other = ent("fs9", "/x.conf", NULL, "T");

                REQUIRE(remember_id_of_entry(&other, &l1, &id) == 0);
                CHECK_STREQ(id.fs, "fs9");
                remember_id_done(&id);
                other.title = NULL;
                CHECK(remember_id_of_entry(&other, &l1, &id) == -EINVAL);
        }
}

TEST(iso_entries_differ)
{
        struct device devs[] = {dev("/dev/sda1", "AAAA", NULL)};
        struct device_list l = {.items = devs, .n = 1};
        struct boot_entry e[] = {ent("/dev/sda1", "/boot/grub/loopback.cfg", NULL, "Live"),
                                 ent("/dev/sda1", "/boot/grub/loopback.cfg", NULL, "Live")};
        struct remember_id id;

        e[0].iso = (char *) "/isos/a.iso";
        e[1].iso = (char *) "/isos/b.iso";
        REQUIRE(remember_id_of_entry(&e[1], &l, &id) == 0);
        CHECK_STREQ(id.iso, "/isos/b.iso");
        CHECK_INTEQ(remember_find(&id, e, 2, &l), 1);
        remember_id_done(&id);
}

TEST(choose_default)
{
        struct device devs[] = {dev("/dev/sda1", "AAAA", NULL)};
        struct device_list l = {.items = devs, .n = 1};
        struct boot_entry e[] = {ent("/dev/sda1", "/c", NULL, "One"),
                                 ent("/dev/sda1", "/c", NULL, "Two"),
                                 ent("/dev/sda1", "/c", NULL, "Three")};
        struct remember_file f = {0};
        enum remember_why why;

        /* nothing remembered: the configurations' default */
        CHECK_INTEQ(remember_choose(&f, e, 3, &l, 2, &why), 2);
        CHECK_INTEQ(why, REMEMBER_WHY_CONFIG);
        CHECK_STREQ(remember_why_name(why), "config");
        /* the entry booted last wins over the configuration's default */
        REQUIRE(remember_id_of_entry(&e[1], &l, &f.last) == 0);
        CHECK_INTEQ(remember_choose(&f, e, 3, &l, 2, &why), 1);
        CHECK_INTEQ(why, REMEMBER_WHY_LAST);
        CHECK_INTEQ(remember_choose(&f, e, 3, &l, -1, &why), 1);
        /* not in the menu any more: the configuration's default */
        CHECK_INTEQ(remember_choose(&f, e, 1, &l, 0, &why), 0);
        CHECK_INTEQ(why, REMEMBER_WHY_CONFIG);
        /* GRUB's one-time choice wins once... */
        e[2].one_time_default = true;
        CHECK_INTEQ(remember_choose(&f, e, 3, &l, 2, &why), 2);
        CHECK_INTEQ(why, REMEMBER_WHY_ONCE);
        /* ...and, honoured at the boot the file remembers, not again */
        REQUIRE(remember_id_of_entry(&e[2], &l, &f.once) == 0);
        CHECK_INTEQ(remember_choose(&f, e, 3, &l, 2, &why), 1);
        CHECK_INTEQ(why, REMEMBER_WHY_LAST);
        remember_file_done(&f);
}

TEST(config_directive)
{
        static const struct {
                const char *text;
                bool remember;
                bool diag;
        } cases[] = {
                {"remember last\n", true, false},
                {"remember LAST\n", true, false},
                {"remember last\nremember off\n", false, false},
                {"remember last\nremember none\n", false, false},
                {"remember always\n", false, true},
                {"remember\n", false, true},
                {"timeout 3\n", false, false},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                struct config_source src = {.file = "/kexec-loader.conf"};
                struct diag_list d = {0};
                struct config c = {0};

                CHECK(config_parse(cases[i].text, strlen(cases[i].text), &src, &c, &d) == 0);
                CHECK_INTEQ(c.remember, cases[i].remember);
                CHECK_INTEQ(d.n > 0, cases[i].diag);
                CHECK(!cases[i].diag || test_diag_has(&d, NULL, NULL, 1, "remember: value must"));
                config_done(&c);
                diag_list_done(&d);
        }
        /* not a shell command */
        {
                struct config c = {0};
                struct diag_list d = {0};
                struct config_source src = {.file = "shell"};
                struct config_parser p = {.config = &c, .in_shell = true, .src = &src, .diags = &d};

                CHECK_INTEQ(config_apply_line(&p, "remember last", 1), 1);
                CHECK(!c.remember);
                config_done(&c);
                diag_list_done(&d);
        }
}
