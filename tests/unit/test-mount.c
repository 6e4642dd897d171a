/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Read-only mounts. The unprivileged part checks the refusals and the mountinfo lookup; as root
 * (in a private mount namespace) a tmpfs with a space in its path and a loop device over a real
 * ext4 image check that nothing is ever written to the disk. */
#include "test.h"

#include <fcntl.h>
#include <linux/loop.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "backend/mount.h"
#include "core/fsread.h"
#include "core/util.h"

/* The test program's scratch directory (test.h; removed with --one-file-system). */
static char *const tmpdir = test_scratch;

static char *tmp_path(const char *name)
{
        char *p = util_asprintf("%s/%s", tmpdir, name);

        if (!p)
                abort();
        return p;
}

/* Root tests run in a mount namespace of their own: whatever happens, no mount leaks out. */
static bool private_mounts(void)
{
        static int state; /* 0 unknown, 1 ok, -1 unavailable */

        if (state == 0) {
                state = -1;
                if (geteuid() == 0 && unshare(CLONE_NEWNS) == 0 &&
                    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0)
                        state = 1;
        }
        return state > 0;
}

TEST(table_empty)
{
        struct mount_table t;

        REQUIRE(mount_table_init(&t, "/run/kexec-loader/mnt") == 0);
        CHECK_STREQ(t.base, "/run/kexec-loader/mnt");
        CHECK_INTEQ(t.n, 0);
        CHECK_INTEQ(mount_release_all(&t), 0);
        CHECK_INTEQ(t.n, 0);
        mount_table_done(&t);
}

TEST(acquire_uses_mountdir)
{
        _cleanup_free_ char *base = tmp_path("base1"), *err = NULL;
        struct device d = {.name = "fs0", .path = "/dev/sdz1", .mountdir = "/srv/fixture"};
        struct mount_table t;
        const char *dir = NULL;

        REQUIRE(mount_table_init(&t, base) == 0);
        CHECK_INTEQ(mount_acquire(&t, &d, NULL, &dir, &err), 0);
        CHECK(dir == d.mountdir);
        CHECK(err == NULL);
        CHECK_INTEQ(t.n, 0);
        CHECK(access(base, F_OK) < 0); /* nothing created */
        CHECK_INTEQ(mount_release_all(&t), 0);
        mount_table_done(&t);
}

TEST(acquire_refuses_regular_file)
{
        _cleanup_free_ char *base = tmp_path("base2"), *file = tmp_path("disk.img"), *err = NULL,
                            *expect = NULL;
        struct device d = {.name = "disk.img"};
        struct mount_table t;
        const char *dir = NULL;
        FILE *f = fopen(file, "we");

        REQUIRE(f);
        fputs("not a disk\n", f);
        fclose(f);
        d.path = file;
        REQUIRE(mount_table_init(&t, base) == 0);
        CHECK_INTEQ(mount_acquire(&t, &d, "ext4", &dir, &err), -ENOTBLK);
        expect = util_asprintf("cannot mount %s: not a block device", file);
        CHECK_STREQ(err, expect);
        CHECK_INTEQ(t.n, 0);
        CHECK(access(base, F_OK) < 0);
        mount_table_done(&t);
}

TEST(btrfs_top_refuses_other_filesystems)
{
        _cleanup_free_ char *base = tmp_path("base-notbtrfs"), *err = NULL;
        struct device d = {.name = "sdz1", .path = "/dev/sdz1", .fstype = "ext4"};
        struct mount_table t;
        const char *dir = NULL;

        REQUIRE(mount_table_init(&t, base) == 0);
        CHECK_INTEQ(mount_acquire_btrfs_top(&t, &d, &dir, &err), -EMEDIUMTYPE);
        CHECK(err && strstr(err, "not btrfs"));
        CHECK(!dir);
        CHECK_INTEQ(t.n, 0);
        mount_table_done(&t);
}

TEST(acquire_refuses_missing_device)
{
        _cleanup_free_ char *base = tmp_path("base3"), *err = NULL, *expect = NULL;
        struct device d = {.name = "sdq9", .path = "/dev/kl-test-no-such-disk", .fstype = "ext4"};
        struct mount_table t;
        const char *dir = NULL;

        REQUIRE(mount_table_init(&t, base) == 0);
        CHECK_INTEQ(mount_acquire(&t, &d, NULL, &dir, &err), -ENOENT);
        expect = util_asprintf("cannot open /dev/kl-test-no-such-disk: %s", strerror(ENOENT));
        CHECK_STREQ(err, expect);
        CHECK_INTEQ(t.n, 0);

        /* no device node at all */
        free(err);
        err = NULL;
        d.path = NULL;
        CHECK_INTEQ(mount_acquire(&t, &d, NULL, &dir, &err), -EINVAL);
        CHECK_STREQ(err, "cannot mount sdq9: no device node");
        CHECK_INTEQ(t.n, 0);
        CHECK_INTEQ(mount_release_all(&t), 0);
        mount_table_done(&t);
}

TEST(find_existing_cwd)
{
        struct stat st, st2;
        struct device d = {.name = "cwd"};
        _cleanup_free_ char *dir = NULL;
        int r;

        REQUIRE(stat(".", &st) == 0);
        d.major = major(st.st_dev);
        d.minor = minor(st.st_dev);
        r = mount_find_existing(&d, &dir);
        if (r == -ENOENT) {
                printf("# SKIP the filesystem of . (%u:%u) is not in mountinfo under that number\n",
                       d.major, d.minor);
                return;
        }
        CHECK_INTEQ(r, 0);
        REQUIRE(dir);
        CHECK(dir[0] == '/');
        CHECK(stat(dir, &st2) == 0 && st2.st_dev == st.st_dev);
}

TEST(find_existing_absent)
{
        struct device d = {.name = "x", .major = 4095, .minor = 1048575, .path = "/dev/x"};
        struct device fixture = {.name = "fs0", .path = "/dev/kl-test-none"};
        char *dir = (char *) "unchanged";

        CHECK_INTEQ(mount_find_existing(&d, &dir), -ENOENT);
        CHECK(dir == NULL);
        CHECK_INTEQ(mount_find_existing(&fixture, &dir), -ENOENT);
}

/* A tmpfs at a path with a space: mountinfo writes it as "\040". The device is used in place
 * and left mounted by mount_release_all. */
TEST(existing_mount_with_space)
{
        _cleanup_free_ char *mnt = tmp_path("with space"), *base = tmp_path("base4"), *found = NULL,
                            *err = NULL;
        struct device d = {.name = "tmpfs", .path = "/dev/kl-test-tmpfs"};
        struct mount_table t;
        struct stat st, st2;
        const char *dir = NULL;

        if (!private_mounts()) {
                printf("# SKIP needs root and a private mount namespace\n");
                return;
        }
        REQUIRE(mkdir(mnt, 0700) == 0);
        REQUIRE(mount("kl-test", mnt, "tmpfs", 0, "size=1m") == 0);
        REQUIRE(stat(mnt, &st) == 0);
        d.major = major(st.st_dev);
        d.minor = minor(st.st_dev);
        CHECK_INTEQ(mount_find_existing(&d, &found), 0);
        CHECK_STREQ(found, mnt);

        REQUIRE(mount_table_init(&t, base) == 0);
        CHECK_INTEQ(mount_acquire(&t, &d, NULL, &dir, &err), 0);
        CHECK_STREQ(dir, mnt);
        CHECK(err == NULL);
        CHECK_INTEQ(t.n, 1);
        CHECK_INTEQ(mount_release_all(&t), 0);
        CHECK_INTEQ(t.n, 0);
        /* still mounted: it was not ours */
        CHECK(stat(mnt, &st2) == 0 && st2.st_dev == st.st_dev);
        mount_table_done(&t);
        CHECK(umount2(mnt, 0) == 0);
}

static int run(const char *cmd)
{
        int r = system(cmd);

        return r == 0 ? 0 : -1;
}

static int read_all(const char *path, char **ret, size_t *ret_len)
{
        return util_read_file(path, 256 * 1024 * 1024, ret, ret_len);
}

/* Attaches a loop device (read-write, so that only BLKROSET protects it). */
static int loop_attach(const char *image, char **ret_path)
{
        _cleanup_close_ int ctl = -1, img = -1;
        struct loop_info64 info = {.lo_flags = LO_FLAGS_AUTOCLEAR};
        int n, fd = -1, rw = 0;

        ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
        if (ctl < 0)
                return -errno;
        img = open(image, O_RDWR | O_CLOEXEC);
        if (img < 0)
                return -errno;
        for (int tries = 0; tries < 10; tries++) {
                n = ioctl(ctl, LOOP_CTL_GET_FREE);
                if (n < 0)
                        return -errno;
                free(*ret_path);
                *ret_path = util_asprintf("/dev/loop%d", n);
                fd = open(*ret_path, O_RDWR | O_CLOEXEC);
                if (fd < 0)
                        return -errno;
                if (ioctl(fd, LOOP_SET_FD, img) == 0)
                        break;
                close(fd);
                fd = -1;
                if (errno != EBUSY)
                        return -errno;
        }
        if (fd < 0)
                return -EBUSY;
        (void) ioctl(fd, LOOP_SET_STATUS64, &info);
        /* the read-only flag of a loop device outlives its detach: start read-write */
        (void) ioctl(fd, BLKROSET, &rw);
        return fd;
}

static void loop_detach(int fd)
{
        (void) ioctl(fd, LOOP_CLR_FD, 0);
        close(fd);
}

static int blk_ro(const char *path)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        int ro = -1;

        if (fd < 0 || ioctl(fd, BLKROGET, &ro) < 0)
                return -1;
        return ro;
}

/* Makes an ext4 image holding hello.txt; extra: a command run on the image afterwards. */
static char *make_ext4(const char *name, const char *extra)
{
        _cleanup_free_ char *src = tmp_path("src"), *img = tmp_path(name), *cmd = NULL,
                            *hello = NULL;
        FILE *f;

        (void) mkdir(src, 0755);
        hello = util_asprintf("%s/hello.txt", src);
        f = fopen(hello, "we");
        if (!f)
                return NULL;
        fputs("hello\n", f);
        fclose(f);
        cmd = util_asprintf("truncate -s 16M '%s' && mkfs.ext4 -q -F -d '%s' '%s' >/dev/null 2>&1",
                            img, src, img);
        if (!cmd || run(cmd) < 0)
                return NULL;
        if (extra) {
                free(cmd);
                cmd = util_asprintf("%s '%s' >/dev/null 2>&1", extra, img);
                if (!cmd || run(cmd) < 0)
                        return NULL;
        }
        {
                char *ret = img;

                img = NULL;
                return ret;
        }
}

TEST(loop_ext4_read_only)
{
        _cleanup_free_ char *img = NULL, *before = NULL, *after = NULL, *loop = NULL,
                            *base = tmp_path("base5"), *err = NULL, *hello = NULL, *newf = NULL,
                            *text = NULL, *found = NULL;
        size_t before_len = 0, after_len = 0;
        struct device d = {.fstype = "ext4"};
        struct mount_table t;
        const char *dir = NULL, *dir2 = NULL;
        struct stat st;
        int lfd, fd;

        if (!private_mounts() || access("/dev/loop-control", W_OK) < 0) {
                printf("# SKIP needs root and loop devices\n");
                return;
        }
        img = make_ext4("plain.img", NULL);
        if (!img) {
                printf("# SKIP mkfs.ext4 -d is not available\n");
                return;
        }
        REQUIRE(read_all(img, &before, &before_len) == 0);
        lfd = loop_attach(img, &loop);
        if (lfd < 0) {
                printf("# SKIP cannot attach a loop device: %s\n", strerror(-lfd));
                return;
        }
        REQUIRE(stat(loop, &st) == 0);
        d.name = strrchr(loop, '/') + 1;
        d.path = loop;
        d.major = major(st.st_rdev);
        d.minor = minor(st.st_rdev);
        CHECK_INTEQ(blk_ro(loop), 0);

        CHECK(mount_table_init(&t, base) == 0);
        CHECK_INTEQ(mount_acquire(&t, &d, NULL, &dir, &err), 0);
        CHECK(err == NULL);
        if (dir) {
                _cleanup_free_ char *expect = util_asprintf("%s/%s", base, d.name);

                CHECK_STREQ(dir, expect);
                hello = util_asprintf("%s/hello.txt", dir);
                newf = util_asprintf("%s/new.txt", dir);
                CHECK(util_read_file(hello, 1024, &text, NULL) == 0);
                CHECK_STREQ(text, "hello\n");
                fd = open(newf, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
                CHECK(fd < 0 && errno == EROFS);
                if (fd >= 0)
                        close(fd);
                fd = open(hello, O_WRONLY | O_CLOEXEC);
                CHECK(fd < 0 && errno == EROFS);
                if (fd >= 0)
                        close(fd);
                CHECK_INTEQ(blk_ro(loop), 1);
                /* the second time: the same mount */
                CHECK_INTEQ(mount_acquire(&t, &d, NULL, &dir2, &err), 0);
                CHECK(dir2 == dir);
                CHECK_INTEQ(t.n, 1);
                CHECK(!t.items[0].borrowed);
                CHECK_INTEQ(mount_find_existing(&d, &found), 0);
                CHECK_STREQ(found, expect);
        }
        {
                /* a new table (the menu restarted) adopts what is mounted below its base */
                struct mount_table t2;
                const char *dir3 = NULL;

                CHECK(mount_table_init(&t2, base) == 0);
                CHECK_INTEQ(mount_acquire(&t2, &d, NULL, &dir3, &err), 0);
                CHECK_STREQ(dir3, dir);
                CHECK_INTEQ(t2.n, 1);
                CHECK(t2.n == 1 && !t2.items[0].borrowed);
                CHECK_INTEQ(mount_release_all(&t2), 0);
                mount_table_done(&t2);
        }
        CHECK_INTEQ(mount_release_all(&t), 0); /* not mounted any more: fine */
        CHECK_INTEQ(t.n, 0);
        if (dir)
                CHECK(access(base, F_OK) == 0); /* base stays, the mount point goes */

        /* now without a type: the types in /proc/filesystems are tried */
        d.fstype = NULL;
        dir = NULL;
        CHECK_INTEQ(mount_acquire(&t, &d, NULL, &dir, &err), 0);
        CHECK(dir != NULL);
        if (t.n == 1)
                CHECK_STREQ(t.items[0].fstype, "ext4");
        mount_table_done(&t);

        CHECK_INTEQ(blk_ro(loop), 0); /* put back after a clean unmount */
        loop_detach(lfd);
        REQUIRE(read_all(img, &after, &after_len) == 0);
        CHECK_INTEQ(after_len, before_len);
        CHECK(before_len == after_len && memcmp(before, after, before_len) == 0);
}

/* A journal that needs recovery cannot be replayed on a read-only device: the mount is retried
 * with "noload", and the image stays byte for byte the same. */
TEST(loop_ext4_dirty_journal)
{
        _cleanup_free_ char *img = NULL, *before = NULL, *after = NULL, *loop = NULL,
                            *base = tmp_path("base6"), *err = NULL, *hello = NULL, *text = NULL;
        size_t before_len = 0, after_len = 0;
        struct device d = {.fstype = "ext4"};
        struct mount_table t;
        const char *dir = NULL;
        struct stat st;
        int lfd;

        if (!private_mounts() || access("/dev/loop-control", W_OK) < 0) {
                printf("# SKIP needs root and loop devices\n");
                return;
        }
        img = make_ext4("dirty.img", "debugfs -w -R 'feature needs_recovery'");
        if (!img) {
                printf("# SKIP mkfs.ext4 -d or debugfs is not available\n");
                return;
        }
        REQUIRE(read_all(img, &before, &before_len) == 0);
        lfd = loop_attach(img, &loop);
        if (lfd < 0) {
                printf("# SKIP cannot attach a loop device: %s\n", strerror(-lfd));
                return;
        }
        REQUIRE(stat(loop, &st) == 0);
        d.name = strrchr(loop, '/') + 1;
        d.path = loop;
        d.major = major(st.st_rdev);
        d.minor = minor(st.st_rdev);

        CHECK(mount_table_init(&t, base) == 0);
        CHECK_INTEQ(mount_acquire(&t, &d, NULL, &dir, &err), 0);
        if (err)
                printf("# %s\n", err);
        if (dir) {
                _cleanup_free_ char *info = NULL;
                const char *line;

                hello = util_asprintf("%s/hello.txt", dir);
                CHECK(util_read_file(hello, 1024, &text, NULL) == 0);
                CHECK_STREQ(text, "hello\n");
                /* mounted without journal recovery */
                CHECK(util_read_file("/proc/self/mountinfo", 1024 * 1024, &info, NULL) == 0);
                line = info ? strstr(info, dir) : NULL;
                CHECK(line != NULL);
                if (line) {
                        size_t len = strcspn(line, "\n");

                        CHECK(memmem(line, len, "norecovery", 10) ||
                              memmem(line, len, "noload", 6));
                }
        }
        mount_table_done(&t);
        loop_detach(lfd);
        REQUIRE(read_all(img, &after, &after_len) == 0);
        CHECK(before_len == after_len && memcmp(before, after, before_len) == 0);
}

/* btrfs with subvolumes (openSUSE's layout: the default subvolume is "@", another one "@boot"):
 * the usual mount shows the default subvolume, mount_acquire_btrfs_top() the top level beside it,
 * read-only, where "@boot" is a directory read through fsread; both go away, the image unchanged.
 */
TEST(loop_btrfs_top_level)
{
        _cleanup_free_ char *img = tmp_path("btrfs.img"), *rw = tmp_path("btrfs-rw"),
                            *base = tmp_path("base-btrfs"), *cmd = NULL, *loop = NULL, *err = NULL,
                            *before = NULL, *after = NULL, *text = NULL, *newf = NULL;
        size_t before_len = 0, after_len = 0;
        struct device d = {.fstype = "btrfs"};
        struct mount_table t;
        const char *dir = NULL, *top = NULL;
        struct stat st;
        int lfd, fd;

        if (!private_mounts() || access("/dev/loop-control", W_OK) < 0) {
                printf("# SKIP needs root and loop devices\n");
                return;
        }
        cmd = util_asprintf("truncate -s 128M '%s' && mkfs.btrfs -q -f '%s' >/dev/null 2>&1 && "
                            "command -v btrfs >/dev/null",
                            img, img);
        if (!cmd || run(cmd) < 0) {
                printf("# SKIP mkfs.btrfs or btrfs (btrfs-progs) is not available\n");
                return;
        }
        lfd = loop_attach(img, &loop);
        if (lfd < 0) {
                printf("# SKIP cannot attach a loop device: %s\n", strerror(-lfd));
                return;
        }
        (void) mkdir(rw, 0700);
        free(cmd);
        cmd = util_asprintf("mount -t btrfs '%s' '%s' && btrfs -q subvolume create '%s/@' && "
                            "btrfs -q subvolume create '%s/@boot' && mkdir '%s/@/etc' && "
                            "printf K > '%s/@boot/vmlinuz' && "
                            "btrfs -q subvolume set-default '%s/@' && umount '%s'",
                            loop, rw, rw, rw, rw, rw, rw, rw);
        if (!cmd || run(cmd) < 0) {
                printf("# SKIP cannot make the btrfs subvolumes (no btrfs driver?)\n");
                (void) umount2(rw, MNT_DETACH);
                loop_detach(lfd);
                return;
        }
        REQUIRE(read_all(img, &before, &before_len) == 0);
        REQUIRE(stat(loop, &st) == 0);
        d.name = strrchr(loop, '/') + 1;
        d.path = loop;
        d.major = major(st.st_rdev);
        d.minor = minor(st.st_rdev);
        REQUIRE(mount_table_init(&t, base) == 0);
        CHECK_INTEQ(mount_acquire(&t, &d, NULL, &dir, &err), 0);
        CHECK_INTEQ(mount_acquire_btrfs_top(&t, &d, &top, &err), 0);
        CHECK(err == NULL);
        if (dir && top) {
                _cleanup_free_ char *etc = util_asprintf("%s/etc", dir),
                                    *sub = util_asprintf("%s/@boot", top);
                _cleanup_close_ int root = fsread_root_open(top), sv = -1;

                CHECK(access(etc, F_OK) == 0); /* the default subvolume "@" */
                CHECK(access(sub, F_OK) == 0); /* the top level */
                sv = fsread_open(root, "@boot", FSREAD_DIR);
                CHECK(sv >= 0);
                CHECK(fsread_read_file(sv, "/vmlinuz", 16, &text, NULL) == 0);
                /* the subvolume's creation time (made a moment ago), not for a directory */
                char date[20] = "", now[20];
                time_t t0 = time(NULL);
                struct tm tm;

                CHECK_INTEQ(mount_btrfs_otime(sv, date), 0);
                strftime(now, sizeof(now), "%Y-%m-%d", gmtime_r(&t0, &tm));
                printf("# otime of @boot: %s\n", date);
                CHECK(strncmp(date, now, 10) == 0);
                _cleanup_close_ int etcfd = fsread_open(root, "@/etc", FSREAD_PATH);
                CHECK_INTEQ(mount_btrfs_otime(etcfd, date), -EINVAL);
                CHECK_STREQ(text, "K");
                newf = util_asprintf("%s/@boot/new", top);
                fd = open(newf, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
                CHECK(fd < 0 && errno == EROFS);
                if (fd >= 0)
                        close(fd);
                CHECK_INTEQ(t.n, 2);
                CHECK_INTEQ(blk_ro(loop), 1);
                /* both mounts without log replay: the kernel shows rescue=nologreplay (5.9 and
                 * later) or nologreplay in the mount's options */
                _cleanup_free_ char *info = NULL;

                CHECK(util_read_file("/proc/self/mountinfo", 1024 * 1024, &info, NULL) == 0);
                for (const char *m = info, *end; m && *m; m = *end ? end + 1 : end) {
                        end = m + strcspn(m, "\n");
                        if (!memmem(m, (size_t) (end - m), base, strlen(base)))
                                continue;
                        printf("# %.*s\n", (int) (end - m), m);
                        CHECK(memmem(m, (size_t) (end - m), "nologreplay", 11) != NULL);
                }
        }
        CHECK_INTEQ(mount_release_all(&t), 0);
        CHECK_INTEQ(t.n, 0);
        mount_table_done(&t);
        CHECK_INTEQ(blk_ro(loop), 0);
        loop_detach(lfd);
        REQUIRE(read_all(img, &after, &after_len) == 0);
        CHECK(before_len == after_len && memcmp(before, after, before_len) == 0);
}
