/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend/lvm.c: the --config text lvm(8) runs with, the reading of `lvm lvs --segments`
 * reports and which LVs are activated, the dm names of LVs. The reports are in the form LVM
 * 2.03 prints them (--noheadings --separator '|'); the lv_attr values follow lvs(8) for each
 * kind of LV ("-wi-------", "-wi------k" and "-Ri-a-----" are what lvm 2.03.16 printed in
 * qemu-lvm_activate for a plain LV, one marked to skip activation and one active read-only). */
#include "test.h"

#include <errno.h>
#include <stdlib.h>

#include "backend/lvm.h"
#include "backend/mapname.h"

TEST(names)
{
        CHECK(lvm_name_valid("debian-vg"));
        CHECK(lvm_name_valid("fedora_host"));
        CHECK(lvm_name_valid("a+b.c"));
        CHECK(!lvm_name_valid("-vg"));
        CHECK(!lvm_name_valid("."));
        CHECK(!lvm_name_valid(".."));
        CHECK(!lvm_name_valid(""));
        CHECK(!lvm_name_valid(NULL));
        CHECK(!lvm_name_valid("vg/lv"));
        CHECK(!lvm_name_valid("vg lv"));
        CHECK(!lvm_name_valid("vg\"lv"));
        char long_name[200];
        memset(long_name, 'a', sizeof(long_name) - 1);
        long_name[sizeof(long_name) - 1] = 0;
        CHECK(!lvm_name_valid(long_name));
        long_name[127] = 0;
        CHECK(lvm_name_valid(long_name));

        CHECK(lvm_path_valid("/dev/vda2"));
        CHECK(lvm_path_valid("/dev/dm-0"));
        CHECK(lvm_path_valid("/dev/nvme0n1p3"));
        CHECK(!lvm_path_valid("dev/vda2"));
        CHECK(!lvm_path_valid("/dev/x.y"));  /* regex metacharacter */
        CHECK(!lvm_path_valid("/dev/x|y"));  /* the filter's delimiter */
        CHECK(!lvm_path_valid("/dev/x\"y")); /* ends the config string */
        CHECK(!lvm_path_valid("/dev/x$"));
        CHECK(!lvm_path_valid(NULL));
}

TEST(config)
{
        char *members[] = {"/dev/vda2", "/dev/dm-0", NULL};
        char *lvs[] = {"debian-vg/root", "debian-vg/boot", NULL};
        char *bad_member[] = {"/dev/vda2", "/dev/a.b", NULL};
        char *bad_lv[] = {"vg", NULL};
        char *bad_lv2[] = {"vg/\"x", NULL};
        char *s = lvm_config(members, lvs);

        REQUIRE(s);
        printf("# %s\n", s);
        /* nothing is written: metadata, backup, archive; no udev, no daemons */
        CHECK(strstr(s, "global{metadata_read_only=1 "));
        CHECK(strstr(s, "backup{backup=0 archive=0}"));
        CHECK(strstr(s, "udev_sync=0 udev_rules=0 verify_udev_operations=1 monitoring=0"));
        CHECK(strstr(s, "use_lvmlockd=0 use_lvmpolld=0 notify_dbus=0"));
        CHECK(strstr(s, "use_devicesfile=0 hints=\"none\""));
        CHECK(strstr(s, "read_only_volume_list=[\"debian-vg/root\",\"debian-vg/boot\"]"));
        /* the members only, by both filters */
        CHECK(strstr(s, "filter=[\"a|^/dev/vda2$|\",\"a|^/dev/dm-0$|\",\"r|.*|\"] global_filter="
                        "[\"a|^/dev/vda2$|\",\"a|^/dev/dm-0$|\",\"r|.*|\"]"));
        free(s);

        /* no LV to activate: the list is never empty (empty would be: every LV writable) */
        s = lvm_config(members, NULL);
        REQUIRE(s);
        CHECK(strstr(s, "read_only_volume_list=[\"-/-\"]"));
        free(s);
        /* no member: the filters reject everything */
        s = lvm_config(NULL, NULL);
        REQUIRE(s);
        CHECK(strstr(s, "filter=[\"r|.*|\"] global_filter=[\"r|.*|\"]"));
        free(s);

        CHECK(!lvm_config(bad_member, lvs));
        CHECK(!lvm_config(members, bad_lv));
        CHECK(!lvm_config(members, bad_lv2));
}

static const struct lvm_lv *find(const struct lvm_report *r, const char *vg, const char *lv)
{
        for (size_t i = 0; i < r->n; i++)
                if (streq(r->lvs[i].vg, vg) && streq(r->lvs[i].lv, lv))
                        return &r->lvs[i];
        return NULL;
}

TEST(report_real)
{
        /* a linear LV over two segments, a striped one, a thin pool and volume, a snapshot and
         * its origin, a raid1, a cache LV, an LV with the skip flag, one active already */
        static const char text[] = "  kltest|boot|-wi-------|linear\n"
                                   "  kltest|boot|-wi-------|linear\n"
                                   "  kltest|data|-wi-------|striped\n"
                                   "  kltest|pool|twi---tz--|thin-pool\n"
                                   "  kltest|thin|Vwi---tz--|thin\n"
                                   "  kltest|orig|owi---s---|linear\n"
                                   "  kltest|snap|swi---s---|linear\n"
                                   "  kltest|mirror|rwi---r---|raid1\n"
                                   "  kltest|cached|Cwi---C---|cache\n"
                                   "  kltest|skip|-wi------k|linear\n"
                                   "  kltest|up|-wi-a-----|linear\n"
                                   "  other-vg|root|-wi-------|linear\n";
        struct lvm_report r = {0};
        const struct lvm_lv *lv;

        REQUIRE(lvm_report_parse(text, sizeof(text) - 1, &r) == 0);
        CHECK_INTEQ(r.n, 11);
        CHECK_INTEQ(r.dropped, 0);
        lv = find(&r, "kltest", "boot");
        REQUIRE(lv);
        CHECK(!lv->why);
        CHECK_STREQ(lv->attr, "-wi-------");
        CHECK(!lv->segtype);
        lv = find(&r, "kltest", "data");
        CHECK(lv && !lv->why);
        lv = find(&r, "other-vg", "root");
        CHECK(lv && !lv->why);
        /* active already: allowed, the caller leaves it alone (attr[4]) */
        lv = find(&r, "kltest", "up");
        CHECK(lv && !lv->why && lv->attr[4] == 'a');
        static const char *const refused[] = {"pool",   "thin",   "orig", "snap",
                                              "mirror", "cached", "skip"};
        for (size_t i = 0; i < ARRAY_SIZE(refused); i++) {
                lv = find(&r, "kltest", refused[i]);
                CHECK(lv && lv->why);
                if (lv && lv->why)
                        printf("# %s: %s\n", refused[i], lv->why);
        }
        CHECK_STREQ(find(&r, "kltest", "pool")->segtype, "thin-pool");
        lvm_report_done(&r);
}

TEST(report_segments)
{
        /* one plain segment and one that is not: the LV is refused, wherever the line is */
        static const char text[] = "  vg|lv|-wi-------|linear\n"
                                   "  vg|other|-wi-------|linear\n"
                                   "  vg|lv|-wi-------|integrity\n";
        struct lvm_report r = {0};

        REQUIRE(lvm_report_parse(text, sizeof(text) - 1, &r) == 0);
        CHECK_INTEQ(r.n, 2);
        CHECK(find(&r, "vg", "lv")->why);
        CHECK_STREQ(find(&r, "vg", "lv")->segtype, "integrity");
        CHECK(!find(&r, "vg", "other")->why);
        lvm_report_done(&r);
}

TEST(report_hostile)
{
        /* what is not a row is counted and left out: too few or many fields, names LVM would
         * refuse, a short attribute, a NUL, an over-long line, an empty segment type */
        char text[4096];
        size_t n;
        struct lvm_report r = {0};

        n = (size_t) snprintf(text, sizeof(text),
                              "  WARNING: something\n"
                              "  vg|lv|-wi-------\n"
                              "  vg|lv|-wi-------|linear|x\n"
                              "  -vg|lv|-wi-------|linear\n"
                              "  vg|l v|-wi-------|linear\n"
                              "  vg|lv|-wi|linear\n"
                              "  vg|lv|-wi-------|\n"
                              "  vg|ok|-wi-------|linear\n"
                              "  vg|nul|-wi----");
        text[n++] = 0;
        n += (size_t) snprintf(text + n, sizeof(text) - n, "---|linear\n");
        memset(text + n, 'a', 2000);
        n += 2000;
        text[n++] = '\n';
        REQUIRE(lvm_report_parse(text, n, &r) == 0);
        CHECK_INTEQ(r.n, 1);
        CHECK_STREQ(r.lvs[0].lv, "ok");
        CHECK_INTEQ(r.dropped, 9);
        lvm_report_done(&r);

        /* bounded: LVM_LVS_MAX LVs kept, the rest counted */
        size_t cap = (LVM_LVS_MAX + 10) * 32;
        char *big = malloc(cap), *p = big;
        REQUIRE(big);
        for (unsigned i = 0; i < LVM_LVS_MAX + 10; i++)
                p += sprintf(p, "vg|lv%u|-wi-------|linear\n", i);
        REQUIRE(lvm_report_parse(big, (size_t) (p - big), &r) == 0);
        CHECK_INTEQ(r.n, LVM_LVS_MAX);
        CHECK_INTEQ(r.dropped, 10);
        lvm_report_done(&r);
        free(big);

        REQUIRE(lvm_report_parse("", 0, &r) == 0);
        CHECK_INTEQ(r.n, 0);
        lvm_report_done(&r);
}

TEST(refusal)
{
        CHECK(!lvm_lv_refusal("-wi-------", "linear"));
        CHECK(!lvm_lv_refusal("-wi-------", "striped"));
        CHECK(lvm_lv_refusal("-wI-------", "linear")); /* locked by pvmove */
        CHECK(lvm_lv_refusal("-wi-----p-", "linear")); /* partial */
        CHECK(lvm_lv_refusal("-wi-------", "writecache"));
        CHECK(lvm_lv_refusal("-wi-------", "vdo"));
        CHECK(lvm_lv_refusal("-wi-------", NULL));
        CHECK(lvm_lv_refusal("pwi-------", "mirror"));
        CHECK(lvm_lv_refusal("Swi-------", "linear"));
        CHECK(lvm_lv_refusal("?wi-------", "linear")); /* a kind unknown today */
        CHECK(lvm_lv_refusal("-wi", "linear"));
        CHECK(lvm_lv_refusal(NULL, "linear"));
}

static void dm_is(bool *test_failed, const char *vg, const char *lv, const char *want)
{
        char *s = lvm_dm_name(vg, lv);
        char *v = NULL, *l = NULL, *y = NULL;

        CHECK(streq_ptr(s, want));
        /* mapname's reading of it gives the names back */
        if (s) {
                CHECK_INTEQ(mapname_lvm_split(s, &v, &l, &y), 0);
                CHECK_STREQ(v, vg);
                CHECK_STREQ(l, lv);
                CHECK(!y);
        }
        free(s);
        free(v);
        free(l);
        free(y);
}

TEST(dm_name)
{
        dm_is(test_failed, "vg", "lv", "vg-lv");
        dm_is(test_failed, "debian-vg", "root", "debian--vg-root");
        dm_is(test_failed, "vg-a", "lv-b", "vg--a-lv--b");
        dm_is(test_failed, "vg-", "lv", "vg---lv");
        dm_is(test_failed, "vg", "-x", NULL);
        dm_is(test_failed, "vg", "a/b", NULL);
}
