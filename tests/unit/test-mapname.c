/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend/mapname.c: the names of dm-crypt mappings, LVM logical volumes and md arrays. */
#include "test.h"

#include <errno.h>
#include <stdlib.h>

#include "backend/mapname.h"

static void split_is(bool *test_failed, const char *dm, int want_r, const char *vg, const char *lv,
                     const char *layer)
{
        char *v = NULL, *l = NULL, *y = NULL;
        int r = mapname_lvm_split(dm, &v, &l, &y);

        if (r != want_r)
                printf("# %s: %d\n", dm ? dm : "(null)", r);
        CHECK_INTEQ(r, want_r);
        if (r == 0) {
                CHECK_STREQ(v, vg);
                CHECK_STREQ(l, lv);
                CHECK(streq_ptr(y, layer));
        }
        free(v);
        free(l);
        free(y);
}

TEST(lvm_split)
{
        split_is(test_failed, "vg-lv", 0, "vg", "lv", NULL);
        split_is(test_failed, "/dev/mapper/vg--a-lv--b", 0, "vg-a", "lv-b", NULL);
        /* Debian's guided LVM: the VG is the host name */
        split_is(test_failed, "debian--vg-root", 0, "debian-vg", "root", NULL);
        split_is(test_failed, "fedora_host-root", 0, "fedora_host", "root", NULL);
        /* layers: snapshot origin, thin pool */
        split_is(test_failed, "vg-lv-real", 0, "vg", "lv", "real");
        split_is(test_failed, "vg-pool-tpool", 0, "vg", "pool", "tpool");
        split_is(test_failed, "vg-lv--x-cow", 0, "vg", "lv-x", "cow");
        /* three dashes: an escaped one, then the separator */
        split_is(test_failed, "vg---lv", 0, "vg-", "lv", NULL);
        /* a trailing dash is a character (LVM's own unquoting) */
        split_is(test_failed, "vg-lv-", 0, "vg", "lv-", NULL);
        split_is(test_failed, "a--b", -EINVAL, NULL, NULL, NULL);
        split_is(test_failed, "nodash", -EINVAL, NULL, NULL, NULL);
        split_is(test_failed, "-lv", -EINVAL, NULL, NULL, NULL);
        split_is(test_failed, "vg--", -EINVAL, NULL, NULL, NULL);
        split_is(test_failed, "", -EINVAL, NULL, NULL, NULL);
        split_is(test_failed, NULL, -EINVAL, NULL, NULL, NULL);
}

static void display_is(bool *test_failed, const char *name, const char *uuid, const char *want)
{
        char *s = mapname_dm_display(name, uuid);

        CHECK(streq_ptr(s, want));
        if (!streq_ptr(s, want))
                printf("# got \"%s\"\n", s ? s : "(null)");
        free(s);
}

TEST(dm_display)
{
        static const char lvm_uuid[] =
                "LVM-Zk3b8Jx0aPqXgD4m7vTnW2yR5sC9eF1hK6oL8iU0jN3pQ7tB5vX2zA4cE6gH";

        display_is(test_failed, "vg--a-lv--b", lvm_uuid, "vg-a/lv-b");
        display_is(test_failed, "vg-lv-real", "LVM-abc-real", "vg/lv (real)");
        /* not LVM: the dm name as it is, dashes and all */
        display_is(test_failed, "vg--a-lv--b", NULL, "vg--a-lv--b");
        display_is(test_failed, "luks-2505567a-9e27-4efe-a4d5-15ad146c258b",
                   "CRYPT-LUKS2-2505567a9e274efea4d515ad146c258b-luks-2505567a-9e27-4efe-a4d5-"
                   "15ad146c258b",
                   "luks-2505567a-9e27-4efe-a4d5-15ad146c258b");
        /* an LVM UUID on a name LVM would not make: the name */
        display_is(test_failed, "nodash", lvm_uuid, "nodash");
        display_is(test_failed, "", lvm_uuid, NULL);
        display_is(test_failed, NULL, NULL, NULL);
}

TEST(luks_names)
{
        char buf[MAPNAME_UUID_LEN + 1];
        char *s = mapname_luks("2505567a-9e27-4efe-a4d5-15ad146c258b");

        CHECK_STREQ(s, "luks-2505567a-9e27-4efe-a4d5-15ad146c258b");
        free(s);
        CHECK(!mapname_luks("../etc"));
        CHECK(!mapname_luks(""));
        CHECK(!mapname_luks(NULL));

        CHECK(mapname_crypt_uuid("CRYPT-LUKS2-2505567a9e274efea4d515ad146c258b-luks-x", buf));
        CHECK_STREQ(buf, "2505567a-9e27-4efe-a4d5-15ad146c258b");
        CHECK(mapname_crypt_uuid("CRYPT-LUKS1-2505567A9E274EFEA4D515AD146C258B", buf));
        CHECK_STREQ(buf, "2505567A-9E27-4EFE-A4D5-15AD146C258B");
        CHECK(!mapname_crypt_uuid("CRYPT-PLAIN-cryptswap", buf));
        CHECK(!mapname_crypt_uuid("CRYPT-LUKS2-2505567a9e27", buf));
        CHECK(!mapname_crypt_uuid("CRYPT-LUKS2-2505567a9e274efea4d515ad146c258bX", buf));
        CHECK(!mapname_crypt_uuid("LVM-abc", buf));
        CHECK(!mapname_crypt_uuid(NULL, buf));
}

TEST(md_display)
{
        char *s;

        s = mapname_md_display("md127", "debian:root");
        CHECK_STREQ(s, "md127 (debian:root)");
        free(s);
        s = mapname_md_display("md0", NULL);
        CHECK_STREQ(s, "md0");
        free(s);
        s = mapname_md_display("md0", "");
        CHECK_STREQ(s, "md0");
        free(s);
        s = mapname_md_display("md0", "evil\x1b[2J");
        CHECK_STREQ(s, "md0");
        free(s);
        CHECK(!mapname_md_display("", "x"));
}
