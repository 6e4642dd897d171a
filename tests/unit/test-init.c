/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init/init.h"
#include "init/state.h"

/* fds 0-2 all are the character device rdev. */
static bool stdio_is(dev_t rdev)
{
        for (int i = 0; i < 3; i++) {
                struct stat st;

                if (fstat(i, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != rdev)
                        return false;
        }
        return true;
}

/* Runs fn in a child (it changes fds 0-2) and returns its exit status: 0 when all went well. */
static int in_child(int (*fn)(const char *), const char *arg)
{
        int status;
        pid_t pid;

        fflush(stdout);
        pid = fork();
        if (pid == 0)
                _exit(fn(arg));
        if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
                return -1;
        return WEXITSTATUS(status);
}

static int attach_missing(const char *closed)
{
        if (closed)
                for (int i = 0; i < 3; i++)
                        close(i);
        if (init_attach_stdio("/nonexistent/console") != -ENOENT)
                return 1;
        return stdio_is(makedev(1, 3)) ? 0 : 2;
}

static int attach_pty(const char *path)
{
        struct stat st;

        if (stat(path, &st) < 0 || init_attach_stdio(path) != 0)
                return 1;
        /* Not the controlling terminal of this process (O_NOCTTY). */
        if (open("/dev/tty", O_RDWR) >= 0)
                return 3;
        return stdio_is(st.st_rdev) ? 0 : 2;
}

TEST(no_console_means_dev_null)
{
        CHECK_INTEQ(in_child(attach_missing, NULL), 0);
        /* Also when fds 0-2 were not open at all (the kernel found no console). */
        CHECK_INTEQ(in_child(attach_missing, "closed"), 0);
}

static int setsid_then_attach(const char *path)
{
        (void) setsid(); /* no controlling terminal to begin with */
        return attach_pty(path);
}

TEST(console_attached)
{
        int m = posix_openpt(O_RDWR | O_NOCTTY);
        const char *name;

        REQUIRE(m >= 0);
        REQUIRE(grantpt(m) == 0 && unlockpt(m) == 0);
        name = ptsname(m);
        REQUIRE(name != NULL);
        CHECK_INTEQ(in_child(setsid_then_attach, name), 0);
        close(m);
}

static void put(const char *dir, const char *rel, const char *text)
{
        char path[512], *slash;
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", dir, rel);
        for (slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
                *slash = 0;
                (void) mkdir(path, 0755);
                *slash = '/';
        }
        f = fopen(path, "w");
        if (f) {
                fputs(text, f);
                fclose(f);
        }
}

/* The test channel's "state": mounts in mountinfo's order, the attached loop devices (a free
 * one is left out) and every dm device, in the kernel's names' order. */
TEST(state_of_mounts_and_devices)
{
        char dir[] = "/tmp/test-init-state-XXXXXX", path[600];
        char *mounts, *block;

        REQUIRE(mkdtemp(dir) != NULL);
        put(dir, "mountinfo",
            "22 1 0:21 / /proc rw,nosuid shared:5 - proc proc rw\n"
            "40 25 254:1 / /run/kexec-loader/mnt/vda1 ro,nosuid - ext4 /dev/vda1 ro\n"
            "41 25 0:40 / /with\\040space ro - vfat /dev/sdb1 ro\n");
        put(dir, "block/loop0/loop/backing_file", "/run/kexec-loader/mnt/vda1/disk image.img\n");
        put(dir, "block/loop1/size", "0\n");
        put(dir, "block/loop10/loop/backing_file", "/x.iso\n");
        put(dir, "block/dm-1/dm/name", "kl--vg-root\n");
        put(dir, "block/dm-0/dm/name", "kl--vg-boot\n");
        put(dir, "block/vda/size", "1\n");
        snprintf(path, sizeof(path), "%s/mountinfo", dir);
        mounts = init_state_mounts(path);
        CHECK_STREQ(mounts, "3 /proc(proc:proc) /run/kexec-loader/mnt/vda1(ext4:/dev/vda1) "
                            "/with\\040space(vfat:/dev/sdb1)");
        snprintf(path, sizeof(path), "%s/block", dir);
        block = init_state_block(path);
        CHECK_STREQ(block, "4 dm-0(kl--vg-boot) dm-1(kl--vg-root) "
                           "loop0(/run/kexec-loader/mnt/vda1/disk\\040image.img) loop10(/x.iso)");
        free(mounts);
        free(block);
        CHECK(init_state_mounts("/nonexistent/mountinfo") == NULL);
        snprintf(path, sizeof(path), "rm -rf %s", dir);
        CHECK(system(path) == 0);
}
