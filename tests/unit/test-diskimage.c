/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend/image.c: which files are disk images (type, size, what libblkid found in them), the
 * names they are shown by, the list of images, and device copies keeping the image they belong
 * to. */
#include "test.h"

#include <sys/stat.h>

#include "backend/device.h"
#include "backend/image.h"

TEST(file_checks)
{
        CHECK(!image_check_file(S_IFREG | 0644, 64 * 1024));
        CHECK(!image_check_file(S_IFREG | 0644, 8ull << 30));
        CHECK_STREQ(image_check_file(S_IFREG | 0644, 64 * 1024 - 512), "smaller than 64 KiB");
        CHECK_STREQ(image_check_file(S_IFREG | 0644, 0), "smaller than 64 KiB");
        CHECK_STREQ(image_check_file(S_IFREG | 0644, 64 * 1024 + 1),
                    "its size is not a multiple of 512 bytes");
        CHECK_STREQ(image_check_file(S_IFDIR | 0755, 1 << 20), "not a regular file");
        CHECK_STREQ(image_check_file(S_IFBLK | 0644, 1 << 20), "not a regular file");
        CHECK_STREQ(image_check_file(S_IFIFO | 0644, 1 << 20), "not a regular file");
}

static void kind_is(bool *test_failed, const char *pttype, const char *usage, const char *type,
                    const char *want, const char *want_why)
{
        const char *why = "unset";
        char *k = image_kind(pttype, usage, type, &why);

        /* NULL stands for none (CHECK_STREQ wants two strings) */
        if (!streq_ptr(k, want) || !streq_ptr(why, want_why))
                printf("# got \"%s\", why \"%s\"\n", k ? k : "(none)", why ? why : "(none)");
        CHECK(streq_ptr(k, want));
        CHECK(streq_ptr(why, want_why));
        free(k);
}

TEST(kinds)
{
        kind_is(test_failed, "gpt", NULL, NULL, "a gpt partition table", NULL);
        kind_is(test_failed, "dos", NULL, NULL, "a dos partition table", NULL);
        /* a partition table wins over a filesystem signature beside it */
        kind_is(test_failed, "gpt", "filesystem", "vfat", "a gpt partition table", NULL);
        kind_is(test_failed, NULL, "filesystem", "ext4", "an ext4 filesystem", NULL);
        kind_is(test_failed, NULL, "filesystem", "vfat", "a vfat filesystem", NULL);
        kind_is(test_failed, NULL, "filesystem", "iso9660", "an iso9660 filesystem", NULL);
        kind_is(test_failed, "sun", NULL, NULL, NULL,
                "a partition table the loop device does not read (only GPT and MBR)");
        kind_is(test_failed, NULL, "other", "swap", NULL,
                "neither a partition table nor a filesystem");
        kind_is(test_failed, NULL, "crypto", "crypto_LUKS", NULL,
                "neither a partition table nor a filesystem");
        kind_is(test_failed, NULL, "raid", "linux_raid_member", NULL,
                "neither a partition table nor a filesystem");
        kind_is(test_failed, NULL, NULL, NULL, NULL,
                "no partition table and no filesystem found in it");
        kind_is(test_failed, NULL, "filesystem", "", NULL,
                "no partition table and no filesystem found in it");
}

TEST(names)
{
        _cleanup_free_ char *a = image_display_name("/dev/sda1", "/images/disk.img");
        _cleanup_free_ char *b = image_display_name("/dev/sdb2", "top.IMG");

        CHECK_STREQ(a, "disk.img on /dev/sda1");
        CHECK_STREQ(b, "top.IMG on /dev/sdb2");
}

TEST(list)
{
        struct image_list l = {0};
        struct image *m = NULL;

        REQUIRE(image_list_add(&l, "/dev/sda1", "/a.img", 1 << 20, "an ext4 filesystem", NULL,
                               &m) == 0);
        CHECK_INTEQ(m->loop_fd, -1);
        CHECK(!m->loop);
        m->loop = strdup("loop3");
        REQUIRE(image_list_add(&l, "/dev/sda1", "/b.img", 1 << 20, "a gpt partition table",
                               "reading a disk image needs root", NULL) == 0);
        CHECK_INTEQ(l.n, 2);
        CHECK(image_list_find_loop(&l, "loop3") == &l.items[0]);
        CHECK(!image_list_find_loop(&l, "loop4"));
        CHECK(!image_list_find_loop(&l, NULL));
        CHECK_STREQ(l.items[1].why, "reading a disk image needs root");
        image_list_done(&l);
        CHECK_INTEQ(l.n, 0);
}

/* A partition of an image's loop device keeps the image it belongs to when copied. */
TEST(device_copy_keeps_image)
{
        struct device d = {.name = "loop0p1",
                           .path = "/dev/loop0p1",
                           .disk = "loop0",
                           .partno = 1,
                           .image_fs = "/dev/sda1",
                           .image_path = "/images/disk.img"};
        struct device_list l = {0};

        REQUIRE(device_list_add(&l, &d) == 0);
        CHECK_STREQ(l.items[0].image_fs, "/dev/sda1");
        CHECK_STREQ(l.items[0].image_path, "/images/disk.img");
        CHECK(l.items[0].image_path != d.image_path);
        device_list_done(&l);
}
