/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend/image-loop.c on real files: libblkid finds a GPT and an MBR partition table (sfdisk)
 * and an ext4 filesystem (mkfs.ext4), and nothing usable in zeros or a swap area; as root, an
 * image is attached to a loop device that is read-only (BLKROGET, sysfs "ro", a write refused),
 * the file is unchanged, and after the release no loop device holds it. */
#include "test.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "backend/image.h"

static char *scratch_file(const char *name)
{
        _cleanup_free_ char *d = test_scratch_subdir("image-loop");

        return util_asprintf("%s/%s", d, name);
}

/* Runs a shell command with the file's path as $1; NULL when it fails (a tool missing). */
static char *make(const char *name, const char *script)
{
        char *p = scratch_file(name);
        _cleanup_free_ char *cmd = NULL;

        if (!p || !(cmd = util_asprintf("sh -c '%s' sh '%s' >/dev/null 2>&1", script, p)))
                abort();
        if (system(cmd) != 0) {
                free(p);
                return NULL;
        }
        return p;
}

static void probe_is(bool *test_failed, const char *path, const char *want, const char *want_why)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        _cleanup_free_ char *kind = NULL;
        const char *why = NULL;

        REQUIRE(fd >= 0);
        CHECK_INTEQ(image_probe_fd(fd, &kind, &why), 0);
        /* NULL stands for none (CHECK_STREQ wants two strings) */
        if (!streq_ptr(kind, want) || !streq_ptr(why, want_why))
                printf("# got \"%s\", why \"%s\"\n", kind ? kind : "(none)", why ? why : "(none)");
        CHECK(streq_ptr(kind, want));
        CHECK(streq_ptr(why, want_why));
}

TEST(probe_real_images)
{
        _cleanup_free_ char *gpt =
                make("gpt.img", "truncate -s 4M \"$1\" && printf \"label: "
                                "gpt\\nstart=2048, type=L\\n\" | sfdisk -q \"$1\"");
        _cleanup_free_ char *dos =
                make("dos.img", "truncate -s 4M \"$1\" && printf \"label: "
                                "dos\\nstart=2048, type=83\\n\" | sfdisk -q \"$1\"");
        _cleanup_free_ char *ext4 = make("ext4.img", "mkfs.ext4 -q -F \"$1\" 4M");
        _cleanup_free_ char *zero = make("zero.img", "truncate -s 1M \"$1\"");
        _cleanup_free_ char *swap = make("swap.img", "truncate -s 1M \"$1\" && mkswap \"$1\"");

        if (!gpt || !dos || !ext4 || !zero) {
                printf("# SKIP sfdisk or mkfs.ext4 is missing\n");
                return;
        }
        probe_is(test_failed, gpt, "a gpt partition table", NULL);
        probe_is(test_failed, dos, "a dos partition table", NULL);
        probe_is(test_failed, ext4, "an ext4 filesystem", NULL);
        probe_is(test_failed, zero, NULL, "no partition table and no filesystem found in it");
        if (swap)
                probe_is(test_failed, swap, NULL, "neither a partition table nor a filesystem");
}

static char *sys_attr(const char *loop, const char *attr)
{
        _cleanup_free_ char *p = util_asprintf("/sys/block/%s/%s", loop, attr);
        char *line = NULL;

        if (!p || util_read_line(p, &line) < 0)
                return NULL;
        util_strip_trailing(line);
        return line;
}

TEST(attach_read_only_and_release)
{
        _cleanup_free_ char *ext4 = NULL, *before = NULL, *after = NULL, *ro = NULL, *size = NULL,
                            *node = NULL, *gone = NULL;
        size_t before_len = 0, after_len = 0;
        struct image_list l = {0};
        struct image *m = NULL;
        char *name = NULL;
        int fd, lfd, wfd, flag = 0;

        if (geteuid() != 0 || access("/dev/loop-control", W_OK) < 0) {
                printf("# SKIP needs root and loop devices\n");
                return;
        }
        ext4 = make("attach.img", "mkfs.ext4 -q -F -L KLIMG \"$1\" 4M");
        if (!ext4) {
                printf("# SKIP mkfs.ext4 is missing\n");
                return;
        }
        REQUIRE(util_read_file(ext4, 64 << 20, &before, &before_len) == 0);
        fd = open(ext4, O_RDONLY | O_CLOEXEC);
        REQUIRE(fd >= 0);
        lfd = image_loop_attach("/dev", fd, &name);
        close(fd); /* the loop device keeps the file */
        if (lfd < 0) {
                printf("# SKIP cannot attach a loop device: %s\n", strerror(-lfd));
                return;
        }
        REQUIRE(image_list_add(&l, "/dev/sda1", "/attach.img", before_len, "an ext4 filesystem",
                               NULL, &m) == 0);
        m->loop = name;
        m->loop_fd = lfd;
        CHECK(startswith(name, "loop"));
        CHECK(ioctl(lfd, BLKROGET, &flag) == 0 && flag == 1);
        ro = sys_attr(name, "ro");
        size = sys_attr(name, "size");
        CHECK_STREQ(ro, "1");
        CHECK(size && strtoull(size, NULL, 10) * 512 == before_len);
        /* a write to the device is refused (or it cannot even be opened for writing) */
        node = util_asprintf("/dev/%s", name);
        wfd = open(node, O_RDWR | O_CLOEXEC);
        if (wfd >= 0) {
                CHECK(pwrite(wfd, "x", 1, 0) < 0);
                close(wfd);
        }
        image_loop_release_all(&l);
        CHECK_INTEQ(l.items[0].loop_fd, -1);
        CHECK(!l.items[0].loop);
        /* detached: the device no longer holds the file (a test running beside this one may
         * have taken the free device for a file of its own at once), or, while another process
         * (a device scan beside this test) has it open, it is marked to go when that closes */
        gone = sys_attr(strrchr(node, '/') + 1, "loop/backing_file");
        if (gone && strstr(gone, ext4)) {
                _cleanup_free_ char *autoclear = sys_attr(strrchr(node, '/') + 1, "loop/autoclear");

                CHECK_STREQ(autoclear, "1");
        }
        REQUIRE(util_read_file(ext4, 64 << 20, &after, &after_len) == 0);
        CHECK(after_len == before_len && memcmp(before, after, before_len) == 0);
        image_list_done(&l);
}
