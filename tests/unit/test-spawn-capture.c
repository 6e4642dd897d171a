/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend/spawn-capture.c with /bin/sh: stdout and stderr captured apart or together, the
 * environment given, the tail of a long output kept, the exit status, a child killed at its
 * timeout. */
#include "test.h"

#include <sys/wait.h>

#include "backend/spawn-capture.h"

TEST(stdout_and_stderr_apart_with_envp)
{
        char *const argv[] = {"sh", "-c", "echo out $KL_X; echo err >&2; exit 3", NULL};
        char *const envp[] = {"KL_X=given", NULL};
        char o[64], e[64];
        struct spawn_buffer out = {.buf = o, .max = sizeof(o) - 1};
        struct spawn_buffer err = {.buf = e, .max = sizeof(e) - 1};
        bool timed_out = true;
        int status = 0;

        REQUIRE(spawn_run("/bin/sh", argv, envp, 10, &out, &err, &status, &timed_out) == 0);
        CHECK_STREQ(o, "out given\n");
        CHECK_INTEQ(out.len, 10);
        CHECK_STREQ(e, "err\n");
        CHECK(!timed_out);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3);
}

TEST(together_tail_kept)
{
        char *const argv[] = {"sh", "-c",
                              "i=0; while [ $i -lt 100 ]; do echo line$i; i=$((i+1)); "
                              "done; echo last >&2",
                              NULL};
        char o[16];
        size_t len = 0;
        bool timed_out;
        int status;

        REQUIRE(spawn_capture("/bin/sh", argv, 10, &status, &timed_out, o, sizeof(o) - 1, &len) ==
                0);
        CHECK_STREQ(o, "98\nline99\nlast\n"); /* the last 15 bytes */
        CHECK_INTEQ(len, 15);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(killed_at_timeout)
{
        char *const argv[] = {"sh", "-c", "echo started; exec sleep 30", NULL};
        char o[64];
        struct spawn_buffer out = {.buf = o, .max = sizeof(o) - 1};
        bool timed_out = false;
        int status;

        REQUIRE(spawn_run("/bin/sh", argv, NULL, 1, &out, NULL, &status, &timed_out) == 0);
        CHECK(timed_out);
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        CHECK_STREQ(o, "started\n");
}

TEST(missing_program)
{
        char *const argv[] = {"nope", NULL};
        char o[8];
        struct spawn_buffer out = {.buf = o, .max = sizeof(o) - 1};
        bool timed_out;
        int status;

        CHECK_INTEQ(spawn_run("/nonexistent/nope", argv, NULL, 1, &out, NULL, &status, &timed_out),
                    -ENOENT);
}
