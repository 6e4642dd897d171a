/* SPDX-License-Identifier: GPL-2.0-or-later */
/* core/isoscan.c on plain directories: *.iso in any letter case, depth first in name order,
 * hidden folders and non-regular files skipped, and each bound (depth, ISO count, entries looked
 * at) stopping the walk with its reason. */
#include "test.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fsread.h"
#include "core/isoscan.h"
#include "core/util.h"

static char *tree(const char *name)
{
        char *d = test_scratch_subdir(name);

        test_write(d, "b.iso", "x");
        test_write(d, "A.ISO", "x");
        test_write(d, "notes.txt", "x");
        test_write(d, "isos/live one.Iso", "x");
        test_write(d, "isos/deep/1/2/3/4/5/6/7/too-deep.iso", "x");
        test_write(d, "isos/deep/1/2/3/4/5/6/ok.iso", "x");
        test_write(d, ".hidden/h.iso", "x");
        test_write(d, "iso.iso/inner.iso", "x"); /* a folder named *.iso: looked into */
        return d;
}

TEST(iso_names)
{
        CHECK(isoscan_is_iso_name("x.iso"));
        CHECK(isoscan_is_iso_name("X.ISO"));
        CHECK(isoscan_is_iso_name("a b.IsO"));
        CHECK(!isoscan_is_iso_name(".iso"));
        CHECK(!isoscan_is_iso_name("x.iso.txt"));
        CHECK(!isoscan_is_iso_name("xiso"));
}

TEST(order_and_skips)
{
        _cleanup_free_ char *d = tree("order");
        _cleanup_close_ int root = fsread_root_open(d);
        _cleanup_free_ char *fifo = util_asprintf("%s/fifo.iso", d);
        _cleanup_strv_ char **l = NULL;
        const char *bound = "unset";
        _cleanup_free_ char *j = NULL;

        REQUIRE(root >= 0 && fifo);
        REQUIRE(mkfifo(fifo, 0644) == 0);
        CHECK_INTEQ(isoscan_find(root, NULL, &l, &bound), 0);
        j = strv_join(l, "|");
        /* strcmp order: upper case first; the folder "iso.iso" looked into, the FIFO and the
         * hidden folder skipped; too-deep.iso is in a 9th folder, not looked into (quietly). */
        CHECK_STREQ(j, "/A.ISO|/b.iso|/iso.iso/inner.iso|/isos/deep/1/2/3/4/5/6/ok.iso|"
                       "/isos/live one.Iso");
        CHECK(!bound);
}

TEST(iso_count_bound)
{
        _cleanup_free_ char *d = tree("count");
        _cleanup_close_ int root = fsread_root_open(d);
        struct isoscan_limits lim = {.max_depth = 8, .max_isos = 2, .max_visited = 1000};
        _cleanup_strv_ char **l = NULL;
        const char *bound = NULL;
        _cleanup_free_ char *at = NULL;
        _cleanup_free_ char *j = NULL;

        REQUIRE(root >= 0);
        CHECK_INTEQ(isoscan_find_all(root, &lim, &l, NULL, &bound, &at), 1);
        j = strv_join(l, "|");
        CHECK_STREQ(j, "/A.ISO|/b.iso");
        CHECK_STREQ(bound, "more ISO files than are listed");
        /* Where it stopped: the first name not taken, with its folder. */
        CHECK_STREQ(at, "/iso.iso/inner.iso");
}

TEST(visited_bound)
{
        _cleanup_free_ char *d = tree("visited");
        _cleanup_close_ int root = fsread_root_open(d);
        struct isoscan_limits lim = {.max_depth = 8, .max_isos = 100, .max_visited = 3};
        _cleanup_strv_ char **l = NULL;
        const char *bound = NULL;
        _cleanup_free_ char *at = NULL;
        _cleanup_free_ char *j = NULL;

        REQUIRE(root >= 0);
        CHECK_INTEQ(isoscan_find_all(root, &lim, &l, NULL, &bound, &at), 1);
        j = strv_join(l, "|");
        CHECK_STREQ(j, "/A.ISO|/b.iso");
        CHECK_STREQ(bound, "more directory entries than the search looks at");
        /* Where it stopped: the first name not taken, with its folder. */
        CHECK_STREQ(at, "/iso.iso/inner.iso");
}

TEST(no_bound_hit)
{
        _cleanup_free_ char *d = test_scratch_subdir("plain");
        _cleanup_close_ int root = -1;
        _cleanup_strv_ char **l = NULL;
        const char *bound = "unset";

        test_write(d, "x/y.iso", "x");
        root = fsread_root_open(d);
        REQUIRE(root >= 0);
        CHECK_INTEQ(isoscan_find(root, NULL, &l, &bound), 0);
        CHECK(!bound);
        CHECK_INTEQ(strv_length(l), 1);
        CHECK_STREQ(l[0], "/x/y.iso");
}

TEST(img_names)
{
        CHECK(isoscan_is_img_name("disk.img"));
        CHECK(isoscan_is_img_name("DISK.IMG"));
        CHECK(isoscan_is_img_name("a b.Img"));
        CHECK(!isoscan_is_img_name(".img"));
        CHECK(!isoscan_is_img_name("x.img.xz"));
        CHECK(!isoscan_is_img_name("x.iso"));
}

/* Disk images (*.img) are collected by the same walk, with its skips and their own bound; the
 * plain isoscan_find() does not collect them. */
TEST(images_in_one_walk)
{
        _cleanup_free_ char *d = tree("images");
        _cleanup_close_ int root = -1;
        _cleanup_strv_ char **isos = NULL, **imgs = NULL, **only = NULL;
        _cleanup_free_ char *j = NULL, *k = NULL;
        const char *bound = "unset";

        test_write(d, "images/disk.img", "x");
        test_write(d, "images/B.IMG", "x");
        test_write(d, ".hidden/h.img", "x");
        test_write(d, "isos/deep/1/2/3/4/5/6/7/too-deep.img", "x");
        root = fsread_root_open(d);
        REQUIRE(root >= 0);
        CHECK_INTEQ(isoscan_find_all(root, NULL, &isos, &imgs, &bound, NULL), 0);
        CHECK(!bound);
        j = strv_join(imgs, "|");
        CHECK_STREQ(j, "/images/B.IMG|/images/disk.img");
        CHECK_INTEQ(strv_length(isos), 5);
        CHECK_INTEQ(isoscan_find(root, NULL, &only, NULL), 0);
        k = strv_join(only, "|");
        CHECK_STREQ(k, "/A.ISO|/b.iso|/iso.iso/inner.iso|/isos/deep/1/2/3/4/5/6/ok.iso|"
                       "/isos/live one.Iso");
}

TEST(image_count_bound)
{
        _cleanup_free_ char *d = test_scratch_subdir("imgcount");
        _cleanup_close_ int root = -1;
        struct isoscan_limits lim = {
                .max_depth = 8, .max_isos = 100, .max_visited = 1000, .max_images = 2};
        _cleanup_strv_ char **isos = NULL, **imgs = NULL;
        const char *bound = NULL;
        _cleanup_free_ char *at = NULL;
        _cleanup_free_ char *j = NULL;

        test_write(d, "a.img", "x");
        test_write(d, "b.img", "x");
        test_write(d, "c.img", "x");
        test_write(d, "d.iso", "x");
        root = fsread_root_open(d);
        REQUIRE(root >= 0);
        CHECK_INTEQ(isoscan_find_all(root, &lim, &isos, &imgs, &bound, &at), 1);
        j = strv_join(imgs, "|");
        CHECK_STREQ(j, "/a.img|/b.img");
        CHECK_STREQ(bound, "more disk image files than are listed");
        /* Where it stopped: the first name not taken, with its folder. */
        CHECK_STREQ(at, "/c.img");
}

/* The system trees of an installed system are not looked into (isoscan.h's table): on a Linux
 * root, /usr, /etc, /lib64, /var/lib… hold no ISO files the menu lists; /home, /boot, /opt,
 * /var/tmp stay searched. */
TEST(linux_root_system_trees_skipped)
{
        _cleanup_free_ char *d = test_scratch_subdir("linuxroot");
        _cleanup_close_ int root = -1;
        _cleanup_strv_ char **l = NULL;
        _cleanup_free_ char *j = NULL;
        const char *bound = "unset";
        static const char *const skipped[] = {
                "usr/share/x.iso", "etc/x.iso",    "lib64/x.iso",     "lib/x.iso",
                "libx32/x.iso",    "sbin/x.iso",   "var/lib/x.iso",   "var/cache/x.iso",
                "var/log/x.iso",   "snap/a/x.iso", "nix/store/x.iso", "run/media/x.iso",
                "proc/x.iso",      "sys/x.iso",    "dev/x.iso",
        };

        for (size_t i = 0; i < ARRAY_SIZE(skipped); i++)
                test_write(d, skipped[i], "x");
        test_write(d, "home/u/Downloads/live.iso", "x");
        test_write(d, "boot/iso/rescue.iso", "x");
        test_write(d, "opt/iso/o.iso", "x");
        test_write(d, "var/tmp/t.iso", "x");
        test_write(d, "nix/n.iso", "x");
        test_write(d, "library/l.iso", "x");
        root = fsread_root_open(d);
        REQUIRE(root >= 0);
        /* not (yet) a Linux root (no os-release, no /bin): a data disk with folders of these
         * names is searched whole */
        CHECK_INTEQ(isoscan_systems(root), 0u);
        CHECK_INTEQ(isoscan_find(root, NULL, &l, &bound), 0);
        CHECK_INTEQ(strv_length(l), ARRAY_SIZE(skipped) + 6);
        strv_free(l);
        l = NULL;
        /* /etc/os-release makes it a Linux root */
        test_write(d, "etc/os-release", "ID=debian\n");
        test_write(d, "bin/x.iso", "x");
        CHECK_INTEQ(isoscan_systems(root), ISOSCAN_LINUX);
        CHECK_INTEQ(isoscan_find(root, NULL, &l, &bound), 0);
        j = strv_join(l, "|");
        CHECK_STREQ(j, "/boot/iso/rescue.iso|/home/u/Downloads/live.iso|/library/l.iso|"
                       "/nix/n.iso|/opt/iso/o.iso|/var/tmp/t.iso");
        CHECK(!bound);
        CHECK(isoscan_skipped("/usr", ISOSCAN_LINUX));
        CHECK(isoscan_skipped("/lib32", ISOSCAN_LINUX));
        CHECK(!isoscan_skipped("/usr", 0));
        CHECK(!isoscan_skipped("/usr/local", ISOSCAN_LINUX)); /* its parent is skipped already */
        CHECK(!isoscan_skipped("/USR", ISOSCAN_LINUX));       /* Linux names match exactly */
        CHECK(!isoscan_skipped("/home/usr", ISOSCAN_LINUX));
        CHECK(!isoscan_skipped("/Windows", ISOSCAN_LINUX));
}

/* A root with only /usr/lib/os-release, or with /bin and /etc, is a Linux root too. */
TEST(linux_root_markers)
{
        _cleanup_free_ char *a = test_scratch_subdir("usrlib-osrel");
        _cleanup_free_ char *b = test_scratch_subdir("bin-etc");
        _cleanup_free_ char *c = test_scratch_subdir("etc-only");
        _cleanup_close_ int ra = -1, rb = -1, rc = -1;

        test_write(a, "usr/lib/os-release", "ID=arch\n");
        test_write(b, "bin/sh", "x");
        test_write(b, "etc/fstab", "x");
        test_write(c, "etc/fstab", "x");
        ra = fsread_root_open(a);
        rb = fsread_root_open(b);
        rc = fsread_root_open(c);
        REQUIRE(ra >= 0 && rb >= 0 && rc >= 0);
        CHECK_INTEQ(isoscan_systems(ra), ISOSCAN_LINUX);
        CHECK_INTEQ(isoscan_systems(rb), ISOSCAN_LINUX);
        CHECK_INTEQ(isoscan_systems(rc), 0u);
}

/* A Windows system volume (/Windows/System32, in any letter case): its system folders, the
 * recycle bin and each user's AppData are skipped, in any letter case (NTFS); Users' other
 * folders and the volume's own are searched. */
TEST(windows_system_trees_skipped)
{
        _cleanup_free_ char *d = test_scratch_subdir("winvol");
        _cleanup_close_ int root = -1;
        _cleanup_strv_ char **l = NULL;
        _cleanup_free_ char *j = NULL;
        const char *bound = "unset";

        test_write(d, "WINDOWS/system32/drivers/x.iso", "x");
        test_write(d, "Windows.old/x.iso", "x");
        test_write(d, "Program Files/App/x.iso", "x");
        test_write(d, "program files (x86)/App/x.iso", "x");
        test_write(d, "ProgramData/x.iso", "x");
        test_write(d, "$RECYCLE.BIN/S-1-5/x.iso", "x");
        test_write(d, "System Volume Information/x.iso", "x");
        test_write(d, "Recovery/x.iso", "x");
        test_write(d, "Users/bob/AppData/Local/Temp/x.iso", "x");
        test_write(d, "Users/bob/Downloads/ubuntu.iso", "x");
        test_write(d, "ISOs/fedora.iso", "x");
        root = fsread_root_open(d);
        REQUIRE(root >= 0);
        CHECK_INTEQ(isoscan_systems(root), ISOSCAN_WINDOWS);
        CHECK_INTEQ(isoscan_find(root, NULL, &l, &bound), 0);
        j = strv_join(l, "|");
        CHECK_STREQ(j, "/ISOs/fedora.iso|/Users/bob/Downloads/ubuntu.iso");
        CHECK(!bound);
        CHECK(isoscan_skipped("/Users/Alice/AppData", ISOSCAN_WINDOWS));
        CHECK(isoscan_skipped("/users/alice/appdata", ISOSCAN_WINDOWS));
        CHECK(!isoscan_skipped("/Users/Alice/Documents", ISOSCAN_WINDOWS));
        CHECK(!isoscan_skipped("/Users/Alice/AppData", ISOSCAN_LINUX));
        CHECK(!isoscan_skipped("/usr", ISOSCAN_WINDOWS));
}

/* A data volume with a folder called Windows but no System32 in it is searched whole. */
TEST(windows_folder_without_system32)
{
        _cleanup_free_ char *d = test_scratch_subdir("winfolder");
        _cleanup_close_ int root = -1;
        _cleanup_strv_ char **l = NULL;
        const char *bound = NULL;

        test_write(d, "Windows/win10.iso", "x");
        test_write(d, "Program Files/x.iso", "x");
        root = fsread_root_open(d);
        REQUIRE(root >= 0);
        CHECK_INTEQ(isoscan_systems(root), 0u);
        CHECK_INTEQ(isoscan_find(root, NULL, &l, &bound), 0);
        CHECK_INTEQ(strv_length(l), 2);
}
