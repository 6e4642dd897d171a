/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init/init.h"

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
