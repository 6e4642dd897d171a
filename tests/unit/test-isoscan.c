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
        _cleanup_free_ char *j = NULL;

        REQUIRE(root >= 0);
        CHECK_INTEQ(isoscan_find(root, &lim, &l, &bound), 1);
        j = strv_join(l, "|");
        CHECK_STREQ(j, "/A.ISO|/b.iso");
        CHECK_STREQ(bound, "more ISO files than are listed");
}

TEST(visited_bound)
{
        _cleanup_free_ char *d = tree("visited");
        _cleanup_close_ int root = fsread_root_open(d);
        struct isoscan_limits lim = {.max_depth = 8, .max_isos = 100, .max_visited = 3};
        _cleanup_strv_ char **l = NULL;
        const char *bound = NULL;
        _cleanup_free_ char *j = NULL;

        REQUIRE(root >= 0);
        CHECK_INTEQ(isoscan_find(root, &lim, &l, &bound), 1);
        j = strv_join(l, "|");
        CHECK_STREQ(j, "/A.ISO|/b.iso");
        CHECK_STREQ(bound, "more directory entries than the search looks at");
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
        CHECK_INTEQ(isoscan_find_all(root, NULL, &isos, &imgs, &bound), 0);
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
        _cleanup_free_ char *j = NULL;

        test_write(d, "a.img", "x");
        test_write(d, "b.img", "x");
        test_write(d, "c.img", "x");
        test_write(d, "d.iso", "x");
        root = fsread_root_open(d);
        REQUIRE(root >= 0);
        CHECK_INTEQ(isoscan_find_all(root, &lim, &isos, &imgs, &bound), 1);
        j = strv_join(imgs, "|");
        CHECK_STREQ(j, "/a.img|/b.img");
        CHECK_STREQ(bound, "more disk image files than are listed");
}
