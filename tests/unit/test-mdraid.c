/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend/mdraid.c: md members grouped into arrays, mdadm's examine output, the personality of a
 * level, the read-only assembly's command line, the "arrays" of list --json. */
#include "test.h"

#include <errno.h>
#include <stdlib.h>

#include "backend/mdraid.h"

static void add(struct device_list *l, const char *path, const char *fstype, const char *uuid,
                const char *label)
{
        struct device d = {.name = (char *) path + 5,
                           .path = (char *) path,
                           .disk = (char *) path + 5,
                           .fstype = (char *) fstype,
                           .uuid = (char *) uuid,
                           .label = (char *) label};

        if (device_list_add(l, &d) < 0)
                abort();
}

#define A "4a1e6b2c-9d3f-5e71-0b8c-2d4e6f7a1b3c"
#define B "0f0e0d0c-0b0a-0908-0706-050403020100"

TEST(group)
{
        struct device_list l = {0};
        struct mdraid_list g = {0};
        bool skip[8] = {0};

        add(&l, "/dev/vda1", MDRAID_FSTYPE, A, "kltest:boot");
        add(&l, "/dev/vda2", "ext4", "1234", "root");
        add(&l, "/dev/vdb1", MDRAID_FSTYPE, "4A1E6B2C-9D3F-5E71-0B8C-2D4E6F7A1B3C", "kltest:boot");
        add(&l, "/dev/vdc", MDRAID_FSTYPE, B, NULL);
        add(&l, "/dev/vdd", MDRAID_FSTYPE, NULL, NULL);       /* no UUID: left alone */
        add(&l, "/dev/vde", MDRAID_FSTYPE, "bad uuid", NULL); /* a blank: left alone */
        add(&l, "/dev/vdf", MDRAID_FSTYPE, "\x01\x02", "x");  /* control bytes */
        add(&l, "/dev/vdg", "isw_raid_member", "abcd", NULL); /* external metadata: not md's */
        REQUIRE(mdraid_group(&l, NULL, &g) == 0);
        CHECK_INTEQ(g.n, 2);
        CHECK_STREQ(g.items[0].uuid, A);
        CHECK_STREQ(g.items[0].name, "kltest:boot");
        CHECK_INTEQ(strv_length(g.items[0].members), 2);
        CHECK_STREQ(g.items[0].members[0], "/dev/vda1");
        CHECK_STREQ(g.items[0].members[1], "/dev/vdb1");
        CHECK(g.items[0].kname == NULL && g.items[0].why == NULL && g.items[0].level == NULL);
        CHECK_STREQ(g.items[1].uuid, B);
        CHECK(g.items[1].name == NULL);
        CHECK(mdraid_list_find_uuid(&g, "4A1E6B2C-9D3F-5E71-0B8C-2D4E6F7A1B3C") == &g.items[0]);
        CHECK(mdraid_list_find_uuid(&g, "nope") == NULL);
        mdraid_list_done(&g);

        /* held members (an array over them already) are skipped */
        skip[0] = true;
        skip[3] = true;
        REQUIRE(mdraid_group(&l, skip, &g) == 0);
        CHECK_INTEQ(g.n, 1);
        CHECK_INTEQ(strv_length(g.items[0].members), 1);
        CHECK_STREQ(g.items[0].members[0], "/dev/vdb1");
        mdraid_list_done(&g);
        device_list_done(&l);
}

TEST(group_bounds)
{
        struct device_list l = {0};
        struct mdraid_list g = {0};
        char path[64], uuid[64];

        /* more arrays than MDRAID_ARRAYS_MAX, more members than MDRAID_MEMBERS_MAX */
        for (int i = 0; i < MDRAID_ARRAYS_MAX + 5; i++) {
                snprintf(path, sizeof(path), "/dev/a%d", i);
                snprintf(uuid, sizeof(uuid), "uuid-%d", i);
                add(&l, path, MDRAID_FSTYPE, uuid, NULL);
        }
        for (int i = 0; i < MDRAID_MEMBERS_MAX + 5; i++) {
                snprintf(path, sizeof(path), "/dev/m%d", i);
                add(&l, path, MDRAID_FSTYPE, "uuid-0", NULL);
        }
        memset(uuid, 'a', sizeof(uuid) - 1);
        uuid[sizeof(uuid) - 1] = 0; /* 63 bytes: fine */
        add(&l, "/dev/long", MDRAID_FSTYPE, uuid, NULL);
        REQUIRE(mdraid_group(&l, NULL, &g) == 0);
        CHECK_INTEQ(g.n, MDRAID_ARRAYS_MAX);
        CHECK_INTEQ(strv_length(g.items[0].members), MDRAID_MEMBERS_MAX);
        mdraid_list_done(&g);
        device_list_done(&l);
}

TEST(take)
{
        struct device_list l = {0};
        struct mdraid_list a = {0}, b = {0};

        add(&l, "/dev/vda1", MDRAID_FSTYPE, A, NULL);
        REQUIRE(mdraid_group(&l, NULL, &a) == 0);
        device_list_done(&l);
        add(&l, "/dev/vdc", MDRAID_FSTYPE, B, NULL);
        REQUIRE(mdraid_group(&l, NULL, &b) == 0);
        b.items[0].kname = strdup("md127");
        REQUIRE(mdraid_list_take(&a, &b) == 0);
        CHECK_INTEQ(a.n, 2);
        CHECK_INTEQ(b.n, 0);
        CHECK(mdraid_list_find_kname(&a, "md127") == &a.items[1]);
        CHECK(mdraid_list_find_kname(&a, "md126") == NULL);
        CHECK_INTEQ(mdraid_list_members_assembled(&a), 1);
        mdraid_list_remove(&a, 0);
        CHECK_INTEQ(a.n, 1);
        CHECK_STREQ(a.items[0].kname, "md127");
        mdraid_list_remove(&a, 5); /* out of range: nothing */
        CHECK_INTEQ(a.n, 1);
        mdraid_list_done(&a);
        mdraid_list_done(&b);
        device_list_done(&l);
}

TEST(examine)
{
        /* mdadm 4.2's --examine --export of a RAID1 member (made in the setup VM) */
        const char *real = "MD_LEVEL=raid1\nMD_DEVICES=2\nMD_NAME=kltest:boot\n"
                           "MD_ARRAY_SIZE=63.96MB\nMD_UUID=4a1e6b2c:9d3f5e71:0b8c2d4e:6f7a1b3c\n"
                           "MD_UPDATE_TIME=1796625063\nMD_EVENTS=2\n";
        char *v = NULL;

        CHECK_INTEQ(mdraid_examine_value(real, "MD_LEVEL", &v), 0);
        CHECK_STREQ(v, "raid1");
        free(v);
        v = NULL;
        CHECK_INTEQ(mdraid_examine_value("MD_DEVICES=2\nMD_LEVEL=raid10", "MD_LEVEL", &v), 0);
        CHECK_STREQ(v, "raid10");
        free(v);
        v = NULL;
        CHECK_INTEQ(mdraid_examine_value("", "MD_LEVEL", &v), -ENOENT);
        CHECK_INTEQ(mdraid_examine_value("XMD_LEVEL=raid1\n", "MD_LEVEL", &v), -ENOENT);
        CHECK_INTEQ(mdraid_examine_value("MD_LEVEL=\n", "MD_LEVEL", &v), -EINVAL);
        CHECK_INTEQ(mdraid_examine_value("MD_LEVEL=raid 1\n", "MD_LEVEL", &v), -EINVAL);
        CHECK_INTEQ(mdraid_examine_value("MD_LEVEL=raid\0011\n", "MD_LEVEL", &v), -EINVAL);
        CHECK_INTEQ(mdraid_examine_value("MD_LEVELS=raid1\nMD_LEVEL=raid1\n", "MD_LEVEL", &v), 0);
        CHECK_STREQ(v, "raid1");
        free(v);
        v = NULL;
        CHECK(v == NULL);
        CHECK_INTEQ(mdraid_examine_devices(real), 2);
        CHECK_INTEQ(mdraid_examine_devices("MD_DEVICES=1920\n"), 1920);
        CHECK_INTEQ(mdraid_examine_devices("MD_DEVICES=1921\n"), 0);
        CHECK_INTEQ(mdraid_examine_devices("MD_DEVICES=0\n"), 0);
        CHECK_INTEQ(mdraid_examine_devices("MD_DEVICES=-1\n"), 0);
        CHECK_INTEQ(mdraid_examine_devices("MD_DEVICES=2x\n"), 0);
        CHECK_INTEQ(mdraid_examine_devices("MD_DEVICES=99999999999999999999\n"), 0);
        CHECK_INTEQ(mdraid_examine_devices("MD_LEVEL=raid1\n"), 0);
}

TEST(personality)
{
        CHECK_STREQ(mdraid_personality("raid1"), "md-raid1");
        CHECK_STREQ(mdraid_personality("raid0"), "md-raid0");
        CHECK_STREQ(mdraid_personality("raid10"), "md-raid10");
        CHECK_STREQ(mdraid_personality("raid5"), "md-raid5");
        CHECK_STREQ(mdraid_personality("raid6"), "md-raid6");
        CHECK_STREQ(mdraid_personality("linear"), "md-linear");
        CHECK(mdraid_personality("container") == NULL);
        CHECK(mdraid_personality("-unknown-") == NULL);
        CHECK(mdraid_personality("raid1 ") == NULL);
        CHECK(mdraid_personality(NULL) == NULL);
}

TEST(assemble_argv)
{
        char *members[] = {"/dev/vda1", "/dev/vdb1", NULL};
        char **argv = mdraid_assemble_argv("/sbin/mdadm", "/dev/md127", members);
        char *joined = strv_join(argv, " ");

        /* read-only, degraded allowed, no mdadm.conf; never --update or --force */
        CHECK_STREQ(joined, "/sbin/mdadm --assemble --readonly --run --config=none /dev/md127 "
                            "/dev/vda1 /dev/vdb1");
        free(joined);
        strv_free(argv);
}

TEST(json)
{
        struct device_list l = {0};
        struct mdraid_list g = {0};
        struct json j;

        add(&l, "/dev/vda1", MDRAID_FSTYPE, A, "kltest:boot");
        add(&l, "/dev/vdb1", MDRAID_FSTYPE, A, "kltest:boot");
        add(&l, "/dev/vdc", MDRAID_FSTYPE, B, NULL);
        REQUIRE(mdraid_group(&l, NULL, &g) == 0);
        g.items[0].kname = strdup("md127");
        g.items[0].level = strdup("raid1");
        g.items[1].why = "mdadm could not assemble it read-only (see the log)";
        json_init(&j);
        json_begin_object(&j);
        mdraid_list_to_json(&g, "/dev", &j);
        json_end_object(&j);
        CHECK_STREQ(j.buf,
                    "{\"arrays\": [{\"device\": \"/dev/md127\", \"name\": \"kltest:boot\", "
                    "\"uuid\": \"" A "\", \"level\": \"raid1\", "
                    "\"members\": [\"/dev/vda1\", \"/dev/vdb1\"], \"assembled\": true, "
                    "\"read_only\": true, \"why\": null}, {\"device\": null, \"name\": null, "
                    "\"uuid\": \"" B "\", \"level\": null, \"members\": [\"/dev/vdc\"], "
                    "\"assembled\": false, \"read_only\": false, "
                    "\"why\": \"mdadm could not assemble it read-only (see the log)\"}]}");
        json_done(&j);
        mdraid_list_done(&g);
        device_list_done(&l);
}
