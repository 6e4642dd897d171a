/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spawn_capture(): a helper program run with posix_spawn, its output captured, bounded in time. */
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
static void output_append(char *out, size_t max, size_t *len, const char *data, size_t n)
{
        if (n >= max) {
                data += n - max;
                n = max;
        }
        if (*len + n > max) {
                size_t drop = *len + n - max;

                memmove(out, out + drop, *len - drop);
                *len -= drop;
        }
        memcpy(out + *len, data, n);
        *len += n;
        out[*len] = 0;
}

int spawn_capture(const char *path, char *const *argv, unsigned timeout_s, int *ret_status,
                  bool *ret_timed_out, char *out, size_t out_max, size_t *out_len)
{
        posix_spawn_file_actions_t fa;
        posix_spawnattr_t attr;
        sigset_t mask, defaults;
        unsigned long long deadline;
        int pfd[2], r, status = -1;
        pid_t pid;

        *ret_timed_out = false;
        if (pipe2(pfd, O_CLOEXEC) < 0)
                return -errno;
        for (int i = 0; i < 2; i++)
                if (pfd[i] < 3) { /* stdio was closed: keep the pipe off fds 0-2 */
                        int fd = fcntl(pfd[i], F_DUPFD_CLOEXEC, 3);

                        close(pfd[i]);
                        pfd[i] = fd;
                }
        if (pfd[0] < 0 || pfd[1] < 0) {
                r = -errno;
                if (pfd[0] >= 0)
                        close(pfd[0]);
                if (pfd[1] >= 0)
                        close(pfd[1]);
                return r;
        }
        posix_spawn_file_actions_init(&fa);
        if (access("/dev/null", R_OK) == 0) /* else stdin is inherited */
                posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&fa, pfd[1], STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&fa, pfd[1], STDERR_FILENO);
        posix_spawnattr_init(&attr);
        sigemptyset(&mask);
        sigemptyset(&defaults);
        for (int sig = 1; sig < SIGRTMIN; sig++)
                if (sig != SIGKILL && sig != SIGSTOP)
                        sigaddset(&defaults, sig);
        posix_spawnattr_setsigmask(&attr, &mask);
        posix_spawnattr_setsigdefault(&attr, &defaults);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        r = posix_spawn(&pid, path, &fa, &attr, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        posix_spawnattr_destroy(&attr);
        close(pfd[1]);
        if (r != 0) {
                close(pfd[0]);
                return -r;
        }

        deadline = util_now_ms() + timeout_s * 1000ULL;
        for (;;) {
                struct pollfd p = {.fd = pfd[0], .events = POLLIN};
                unsigned long long now = util_now_ms();
                char buf[4096];
                ssize_t k;

                if (now >= deadline) {
                        log_error("%s did not finish in %u seconds: killing it", path, timeout_s);
                        (void) kill(pid, SIGKILL);
                        *ret_timed_out = true;
                        break;
                }
                r = poll(&p, 1, (int) MIN(deadline - now, 1000ULL));
                if (r < 0 && errno != EINTR)
                        break;
                if (r <= 0)
                        continue;
                k = read(pfd[0], buf, sizeof(buf));
                if (k < 0 && (errno == EINTR || errno == EAGAIN))
                        continue;
                if (k <= 0)
                        break;
                output_append(out, out_max, out_len, buf, (size_t) k);
        }
        close(pfd[0]);
        while (waitpid(pid, &status, 0) < 0) {
                if (errno != EINTR) {
                        status = -1;
                        break;
                }
        }
        *ret_status = status;
        return 0;
}
