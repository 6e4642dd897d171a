/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spawn_run(): a helper program run with posix_spawn, its output captured, bounded in time. */
#define LOG_MODULE "spawn"
#include "spawn-capture.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../core/log.h"
#include "../core/util.h"

extern char **environ;

/* Keeps the tail of the output: appends, dropping the oldest bytes beyond max. */
static void output_append(struct spawn_buffer *b, const char *data, size_t n)
{
        if (n >= b->max) {
                data += n - b->max;
                n = b->max;
        }
        if (b->len + n > b->max) {
                size_t drop = b->len + n - b->max;

                memmove(b->buf, b->buf + drop, b->len - drop);
                b->len -= drop;
        }
        memcpy(b->buf + b->len, data, n);
        b->len += n;
        b->buf[b->len] = 0;
}

static void close_pipe(int p[2])
{
        for (int i = 0; i < 2; i++)
                if (p[i] >= 0)
                        close(p[i]);
        p[0] = p[1] = -1;
}

/* A pipe whose ends are not fds 0-2 (stdio may be closed: the child's dup2 would then clobber
 * them). */
static int open_pipe(int p[2])
{
        if (pipe2(p, O_CLOEXEC) < 0) {
                p[0] = p[1] = -1;
                return -errno;
        }
        for (int i = 0; i < 2; i++)
                if (p[i] < 3) {
                        int fd = fcntl(p[i], F_DUPFD_CLOEXEC, 3);

                        close(p[i]);
                        p[i] = fd;
                }
        if (p[0] < 0 || p[1] < 0) {
                int r = -errno;

                close_pipe(p);
                return r;
        }
        return 0;
}

/* Reads what is there on fd into b. false at the end of the stream. */
static bool drain(int fd, struct spawn_buffer *b)
{
        char buf[4096];
        ssize_t k = read(fd, buf, sizeof(buf));

        if (k < 0)
                return errno == EINTR || errno == EAGAIN;
        if (k == 0)
                return false;
        output_append(b, buf, (size_t) k);
        return true;
}

int spawn_run(const char *path, char *const *argv, char *const *envp, unsigned timeout_s,
              struct spawn_buffer *out, struct spawn_buffer *err, int *ret_status,
              bool *ret_timed_out)
{
        struct spawn_buffer *bufs[2] = {out, err ? err : out};
        int pipes[2][2] = {{-1, -1}, {-1, -1}}, r, status = -1;
        posix_spawn_file_actions_t fa;
        posix_spawnattr_t attr;
        sigset_t mask, defaults;
        unsigned long long deadline;
        bool open[2] = {true, err != NULL};
        pid_t pid;

        *ret_timed_out = false;
        *ret_status = -1;
        for (int i = 0; i < 2; i++) {
                bufs[i]->len = 0;
                bufs[i]->buf[0] = 0;
        }
        r = open_pipe(pipes[0]);
        if (r == 0 && err)
                r = open_pipe(pipes[1]);
        if (r < 0) {
                close_pipe(pipes[0]);
                return r;
        }
        posix_spawn_file_actions_init(&fa);
        if (access("/dev/null", R_OK) == 0) /* else stdin is inherited */
                posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&fa, pipes[0][1], STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&fa, pipes[err ? 1 : 0][1], STDERR_FILENO);
        posix_spawnattr_init(&attr);
        sigemptyset(&mask);
        sigemptyset(&defaults);
        for (int sig = 1; sig < SIGRTMIN; sig++)
                if (sig != SIGKILL && sig != SIGSTOP)
                        sigaddset(&defaults, sig);
        posix_spawnattr_setsigmask(&attr, &mask);
        posix_spawnattr_setsigdefault(&attr, &defaults);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        r = posix_spawn(&pid, path, &fa, &attr, argv, envp ? envp : environ);
        posix_spawn_file_actions_destroy(&fa);
        posix_spawnattr_destroy(&attr);
        for (int i = 0; i < 2; i++)
                if (pipes[i][1] >= 0) {
                        close(pipes[i][1]);
                        pipes[i][1] = -1;
                }
        if (r != 0) {
                close_pipe(pipes[0]);
                close_pipe(pipes[1]);
                return -r;
        }

        deadline = util_now_ms() + timeout_s * 1000ULL;
        while (open[0] || open[1]) {
                struct pollfd p[2];
                unsigned long long now = util_now_ms();

                if (now >= deadline) {
                        log_error("%s did not finish in %u seconds: killing it", path, timeout_s);
                        (void) kill(pid, SIGKILL);
                        *ret_timed_out = true;
                        break;
                }
                for (int i = 0; i < 2; i++)
                        p[i] = (struct pollfd){.fd = open[i] ? pipes[i][0] : -1, .events = POLLIN};
                r = poll(p, 2, (int) MIN(deadline - now, 1000ULL));
                if (r < 0 && errno != EINTR)
                        break;
                if (r <= 0)
                        continue;
                for (int i = 0; i < 2; i++)
                        if (p[i].revents)
                                open[i] = drain(pipes[i][0], bufs[i]);
        }
        close_pipe(pipes[0]);
        close_pipe(pipes[1]);
        while (waitpid(pid, &status, 0) < 0) {
                if (errno != EINTR) {
                        status = -1;
                        break;
                }
        }
        *ret_status = status;
        return 0;
}

int spawn_capture(const char *path, char *const *argv, unsigned timeout_s, int *ret_status,
                  bool *ret_timed_out, char *out, size_t out_max, size_t *out_len)
{
        struct spawn_buffer b = {.buf = out, .max = out_max};
        int r = spawn_run(path, argv, NULL, timeout_s, &b, NULL, ret_status, ret_timed_out);

        *out_len = b.len;
        return r;
}
