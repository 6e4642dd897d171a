/* SPDX-License-Identifier: GPL-2.0-or-later */
/* import/snapper.c: snapper's info.xml read with strict bounds (hostile inputs give file:line
 * diagnostics, never a crash), and the snapshots with a kernel of their own listed newest
 * first in a "Snapshots" submenu, booted with rootflags=subvol= as openSUSE's GRUB does. */
#include "import-testfs.h"

#include "import/snapper.h"

/* snapper's own format (snapper 0.10: Snapshot::writeInfo) */
#define INFO(num, date, desc)                                                     \
        "<?xml version=\"1.0\"?>\n<snapshot>\n  <type>single</type>\n  <num>" num \
        "</num>\n  <date>" date "</date>\n  <description>" desc                   \
        "</description>\n  <cleanup>number</cleanup>\n</snapshot>\n"

static int parse(const char *s, struct snapper_info *i, unsigned *line, const char **why)
{
        return snapper_info_parse(s, strlen(s), i, line, why);
}

TEST(info_snapper_format)
{
        struct snapper_info i;
        unsigned line = 0;
        const char *why = NULL;

        CHECK_INTEQ(parse(INFO("42", "2024-05-01 10:20:30", "zypp(zypper) &amp; &lt;x&gt; &#233;"),
                          &i, &line, &why),
                    0);
        CHECK_INTEQ(i.num, 42);
        CHECK_STREQ(i.date, "2024-05-01 10:20:30");
        CHECK_STREQ(i.type, "single");
        CHECK_STREQ(i.description, "zypp(zypper) & <x> \xc3\xa9");
        snapper_info_done(&i);

        /* pre/post with userdata: its <key>/<value> are skipped; no description is "" */
        CHECK_INTEQ(parse("<snapshot><type>post</type><num>7</num><pre_num>6</pre_num>"
                          "<date>2023-12-31 23:59:59</date><userdata><key>important</key>"
                          "<value>yes</value></userdata></snapshot>",
                          &i, &line, &why),
                    0);
        CHECK_INTEQ(i.num, 7);
        CHECK_STREQ(i.type, "post");
        CHECK_STREQ(i.description, "");
        snapper_info_done(&i);

        /* a long description is cut at a character, controls are blanks */
        char big[2048];
        strcpy(big, "<num>1</num><date>2024-01-01 00:00:00</date><description>\n\t");
        for (int k = 0; k < 300; k++)
                strcat(big, "\xc3\xa9");
        strcat(big, "</description>");
        CHECK_INTEQ(parse(big, &i, &line, &why), 0);
        CHECK(strlen(i.description) <= SNAPPER_DESC_MAX);
        CHECK(strlen(i.description) % 2 == 0);
        CHECK(i.description[0] == '\xc3');
        snapper_info_done(&i);
}

TEST(info_hostile)
{
        static const struct {
                const char *text;
                unsigned line;
                const char *why;
        } bad[] = {
                {"<snapshot>\n<date>2024-01-01 00:00:00</date>\n</snapshot>", 3, "no <num>"},
                {"<num>1</num>", 1, "no <date>"},
                {"<num>1</num>\n<num>2</num><date>2024-01-01 00:00:00</date>", 2,
                 "an element given twice"},
                {"<num>-1</num><date>2024-01-01 00:00:00</date>", 1, "<num> is not"},
                {"<num>01</num><date>2024-01-01 00:00:00</date>", 1, "<num> is not"},
                {"<num>0</num><date>2024-01-01 00:00:00</date>", 1, "<num> is not"},
                {"<num>99999999999999999999</num><date>2024-01-01 00:00:00</date>", 1,
                 "<num> is not"},
                {"<num>1</num>\n\n<date>yesterday</date>", 3, "<date> is not"},
                {"<num>1</num><date>2024-13-01 00:00:00</date>", 1, "<date> is not"},
                {"<num>1</num><date>2024-01-01 00:00:00</date><type>rm -rf</type>", 1,
                 "<type> is none"},
                {"<num>1</num><date>2024-01-01 00:00:00</date>\n<description>a<b>c</b>"
                 "</description>",
                 2, "not closed"},
                {"<num>1</num><date>2024-01-01 00:00:00</date><description>&bogus;"
                 "</description>",
                 1, "unknown entity"},
                {"<num>1</num><date>2024-01-01 00:00:00</date><description>&#0;</description>", 1,
                 "bad character reference"},
                {"<num>1</num><date>2024-01-01 00:00:00</date><description>&#xd800;"
                 "</description>",
                 1, "bad character reference"},
                {"<num>1</num><date>2024-01-01 00:00:00</date><description>& x</description>", 1,
                 "'&'"},
                {"<num>1</num><date>2024-01-01 00:00:00</date>\n<!-- no end", 2,
                 "unterminated comment"},
                {"<num>1</num>\n<date", 2, "unterminated tag"},
                {"<num>1", 1, "not closed"},
                {"", 1, "no <num>"},
        };
        struct snapper_info i;

        for (size_t k = 0; k < ARRAY_SIZE(bad); k++) {
                unsigned line = 0;
                const char *why = NULL;
                int r = parse(bad[k].text, &i, &line, &why);

                if (r != -EINVAL || line != bad[k].line || !why || !strstr(why, bad[k].why))
                        printf("# case %zu: %d line %u: %s\n", k, r, line, why ? why : "-");
                CHECK_INTEQ(r, -EINVAL);
                CHECK_INTEQ(line, bad[k].line);
                CHECK(why && strstr(why, bad[k].why));
        }
        /* a NUL byte, and more than 64 KiB */
        unsigned line = 0;
        const char *why = NULL;
        static const char nul[] = "<num>1</num>\n<date>2024-01-01\0 00:00:00</date>";
        CHECK_INTEQ(snapper_info_parse(nul, sizeof(nul) - 1, &i, &line, &why), -EINVAL);
        CHECK_INTEQ(line, 2);
        _cleanup_free_ char *huge = malloc(SNAPPER_INFO_MAX + 2);
        memset(huge, ' ', SNAPPER_INFO_MAX + 1);
        CHECK_INTEQ(snapper_info_parse(huge, SNAPPER_INFO_MAX + 1, &i, &line, &why), -EINVAL);
}

TEST(order_newest_first)
{
        struct snapper_info s[] = {
                {.num = 3, .date = "2024-01-02 00:00:00"},
                {.num = 10, .date = "2023-06-01 12:00:00"},
                {.num = 5, .date = "2024-01-02 00:00:00"},
                {.num = 4, .date = "2025-01-01 00:00:00"},
        };

        qsort(s, ARRAY_SIZE(s), sizeof(s[0]), snapper_info_cmp);
        CHECK_INTEQ(s[0].num, 4);
        CHECK_INTEQ(s[1].num, 5);
        CHECK_INTEQ(s[2].num, 3);
        CHECK_INTEQ(s[3].num, 10);
}

/* openSUSE's layout from the top level: @/.snapshots/N/{info.xml,snapshot/} */
static void snapshot(const char *d, const char *n, const char *date, const char *desc,
                     const char *kver)
{
        _cleanup_free_ char *info = util_asprintf(INFO("%s", "%s", "%s"), n, date, desc);
        _cleanup_free_ char *p = util_asprintf("@/.snapshots/%s/info.xml", n);

        put(d, p, info);
        if (!kver)
                return;
        _cleanup_free_ char *k = util_asprintf("@/.snapshots/%s/snapshot/boot/vmlinuz-%s", n, kver);
        _cleanup_free_ char *i = util_asprintf("@/.snapshots/%s/snapshot/boot/initrd-%s", n, kver);
        _cleanup_free_ char *o = util_asprintf("@/.snapshots/%s/snapshot/etc/os-release", n);
        _cleanup_free_ char *g = util_asprintf("@/.snapshots/%s/snapshot/etc/default/grub", n);
        put(d, k, "kernel");
        put(d, i, "initrd");
        put(d, o, "NAME=\"openSUSE Tumbleweed\"\nPRETTY_NAME=\"openSUSE Tumbleweed\"\n");
        put(d, g, "GRUB_CMDLINE_LINUX=\"\"\nGRUB_CMDLINE_LINUX_DEFAULT=\"splash=silent quiet\"\n");
}

TEST(import_opensuse_layout)
{
        _cleanup_free_ char *d = util_asprintf("%s/suse", tmpdir);
        struct testfs t = {.disks = {{.dev = "/dev/sda2", .dir = d, .uuid = "U-1"}},
                           .n = 1,
                           .self = "/dev/sda2"};
        struct import_fs fs = testfs_fs(&t);
        struct import_result r = {.timeout = -1, .default_index = -1};

        snapshot("suse", "1", "2024-01-01 10:00:00", "first root filesystem", "6.6.1-1-default");
        snapshot("suse", "2", "2024-03-01 10:00:00", "zypp(zypper)", "6.7.0-1-default");
        snapshot("suse", "3", "2024-02-01 10:00:00", "", NULL); /* no kernel: not listed */
        snapshot("suse", "12", "2024-02-15 08:30:00", "", "6.6.9-1-default");
        put("suse", "@/.snapshots/13/info.xml", "<snapshot>\n<num>13</num>\n<date>soon</date>");
        put("suse", "@/.snapshots/13/snapshot/boot/vmlinuz-6.8.0-1-default", "kernel");
        put("suse", "@/.snapshots/grub-snapshot.cfg", "# not a snapshot\n");
        put("suse", "@/.snapshots/0x1/info.xml", INFO("1", "2030-01-01 00:00:00", "x"));

        CHECK_INTEQ(snapper_import(&fs, "@/.snapshots", &r), 0);
        CHECK_INTEQ(r.n, 3);
        if (r.n == 3) {
                CHECK_STREQ(r.entries[0].title, "openSUSE Tumbleweed — snapshot 2 (2024-03-01 "
                                                "10:00:00, zypp(zypper))");
                CHECK_STREQ(r.entries[1].title,
                            "openSUSE Tumbleweed — snapshot 12 (2024-02-15 08:30:00)");
                CHECK_STREQ(r.entries[2].title, "openSUSE Tumbleweed — snapshot 1 (2024-01-01 "
                                                "10:00:00, first root filesystem)");
                CHECK_STREQ(r.entries[0].submenu[0], "Snapshots (openSUSE Tumbleweed)");
                CHECK(r.entries[0].submenu[1] == NULL);
                CHECK_STREQ(r.entries[0].cmdline, "root=UUID=U-1 splash=silent quiet "
                                                  "rootflags=subvol=@/.snapshots/2/snapshot");
                CHECK_STREQ(r.entries[0].kernel.path, "/boot/vmlinuz-6.7.0-1-default");
                _cleanup_free_ char *sub = NULL;
                CHECK_INTEQ(import_spec_split(r.entries[0].kernel.dev, NULL, &sub, NULL), 0);
                CHECK_STREQ(sub, "@/.snapshots/2/snapshot");
                CHECK_INTEQ(r.entries[0].n_initrds, 1);
                if (r.entries[0].n_initrds == 1)
                        CHECK_STREQ(r.entries[0].initrds[0].path, "/boot/initrd-6.7.0-1-default");
        }
        /* the broken info.xml: file:line, the others listed */
        CHECK(testfs_diag(&r, "/@/.snapshots/13/info.xml", "<date> is not"));
        CHECK_INTEQ(r.diags.n, 1);
        if (r.diags.n == 1)
                CHECK_INTEQ(r.diags.items[0].line, 3);
        import_result_done(&r);

        /* no snapshots directory: nothing, no diagnostic */
        CHECK_INTEQ(snapper_import(&fs, ".snapshots", &r), 0);
        CHECK_INTEQ(r.n, 0);
        CHECK_INTEQ(r.diags.n, 0);
        import_result_done(&r);
}

TEST(import_at_most_64_newest)
{
        _cleanup_free_ char *d = util_asprintf("%s/many", tmpdir);
        struct testfs t = {.disks = {{.dev = "/dev/sda2", .dir = d}}, .n = 1, .self = "/dev/sda2"};
        struct import_fs fs = testfs_fs(&t);
        struct import_result r = {.timeout = -1, .default_index = -1};

        for (int k = 1; k <= 70; k++) {
                char n[16], date[32];

                snprintf(n, sizeof(n), "%d", k);
                snprintf(date, sizeof(date), "2024-01-01 %02d:%02d:00", k / 60, k % 60);
                snapshot("many", n, date, "", "6.6.1");
        }
        CHECK_INTEQ(snapper_import(&fs, "@/.snapshots", &r), 0);
        CHECK_INTEQ(r.n, SNAPPER_LIST_MAX);
        CHECK(r.n > 0 && strstr(r.entries[0].title, "snapshot 70 ("));
        CHECK(r.n == 64 && strstr(r.entries[63].title, "snapshot 7 ("));
        /* no UUID known: no root=, rootflags all the same */
        CHECK(r.n > 0 && startswith(r.entries[0].cmdline, "splash=silent quiet rootflags="));
        import_result_done(&r);
}

/* The backend's otime of a subvolume, as fs_probe gives it on a real btrfs (a directory tree has
 * none): snapshot 20 only. */
static char *otime_probe(void *ud, const char *dev, const char *what)
{
        _cleanup_free_ char *sub = NULL;

        if (!streq(what, "btrfs_otime"))
                return testfs_probe(ud, dev, what);
        if (!dev || import_spec_split(dev, NULL, &sub, NULL) < 0 || !sub)
                return NULL;
        return streq(sub, "@/.snapshots/20/snapshot") ? strdup("2024-02-20 12:00:00") : NULL;
}

/* Snapshots in snapper's layout without info.xml: listed by number, dated by the subvolume's
 * creation time when known (newest first among the dated), undated ones last. */
TEST(import_plain_snapshots)
{
        _cleanup_free_ char *d = util_asprintf("%s/plain", tmpdir);
        struct testfs t = {.disks = {{.dev = "/dev/sda2", .dir = d, .uuid = "U-2"}},
                           .n = 1,
                           .self = "/dev/sda2"};
        struct import_fs fs = testfs_fs(&t);
        struct import_result r = {.timeout = -1, .default_index = -1};

        fs.probe = otime_probe;
        snapshot("plain", "1", "2024-01-01 10:00:00", "", "6.6.1");
        put("plain", "@/.snapshots/20/snapshot/boot/vmlinuz-6.7.0", "kernel");
        put("plain", "@/.snapshots/21/snapshot/boot/vmlinuz-6.8.0", "kernel");
        put("plain", "@/.snapshots/22/other/boot/vmlinuz-6.8.0", "kernel"); /* no snapshot */
        CHECK_INTEQ(snapper_import(&fs, "@/.snapshots", &r), 0);
        CHECK_INTEQ(r.n, 3);
        if (r.n == 3) {
                CHECK_STREQ(r.entries[0].title, "Linux — snapshot 20 (2024-02-20 12:00:00)");
                CHECK_STREQ(r.entries[0].config, "/@/.snapshots/20/snapshot");
                CHECK_STREQ(r.entries[0].cmdline,
                            "root=UUID=U-2 rootflags=subvol=@/.snapshots/20/snapshot");
                CHECK_STREQ(r.entries[1].title,
                            "openSUSE Tumbleweed — snapshot 1 (2024-01-01 10:00:00)");
                CHECK_STREQ(r.entries[2].title, "Linux — snapshot 21");
                CHECK_STREQ(r.entries[2].submenu[0], "Snapshots (Linux)");
        }
        CHECK_INTEQ(r.diags.n, 0);
        import_result_done(&r);
}
