/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "log.h"

#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <time.h>

#include "utf8.h"

#define LOG_SINK_WAIT_MS  1000 /* a debug console line, log_write() */
#define LOG_TRACE_WAIT_MS 2000 /* a trace line, log_trace_va() */

static int log_sink = -1;
static int log_stderr_level = -1;

int log_open(const char *path)
{
        int fd;

        log_close();
        if (!path)
                return 0;
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0600);
        if (fd < 0)
                return -errno;
        log_sink = fd;
        return 0;
}

void log_close(void)
{
        if (log_sink >= 0)
                close(log_sink);
        log_sink = -1;
}

void log_set_stderr_level(int level)
{
        log_stderr_level = level;
}

int log_fd(void)
{
        return log_sink;
}

static void log_put(int fd, const char *s, size_t n)
{
        while (n > 0) {
                ssize_t k = write(fd, s, n);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        return; /* never block on stderr */
                s += k;
                n -= (size_t) k;
        }
}

static void log_put_wait(int fd, const char *s, size_t n, int max_ms);

void log_write(enum log_level level, const char *module, const char *fmt, ...)
{
        static const char *const names[] = {"error", "warning", "info", "debug"};
        char line[2048], msg[2048];
        struct timespec ts;
        va_list ap;
        int saved = errno, n, m;

        if (log_sink < 0 && (int) level > log_stderr_level)
                return;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        n = snprintf(line, sizeof(line), "[%5lld.%06ld] %s: %s: ", (long long) ts.tv_sec,
                     ts.tv_nsec / 1000, module, names[level]);
        va_start(ap, fmt);
        errno = saved;
        m = vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        if (m < 0)
                msg[0] = 0;
        /* Text from disks with its control characters shown as '?' (utf8.h): it can neither
         * drive the debug console nor forge a line. */
        n += (int) utf8_shown_to(line + n, sizeof(line) - (size_t) n - 1, msg);
        line[n++] = '\n';
        line[n] = 0;
        /* A serial debug console drains slowly and PID 1 writes to it too: wait for it as the
         * kernel's console does, a second a line at most (a gone console loses the line). */
        if (log_sink >= 0)
                log_put_wait(log_sink, line, (size_t) n, LOG_SINK_WAIT_MS);
        if ((int) level <= log_stderr_level)
                log_put(STDERR_FILENO, line, (size_t) n);
        errno = saved;
}

static long long log_now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A tty opened O_NONBLOCK answers EAGAIN while its buffer is full or another process (PID 1
 * and the menu share the port) holds its write lock: wait for the port and try again, for
 * max_ms at most. */
static void log_put_wait(int fd, const char *s, size_t n, int max_ms)
{
        static const struct timespec pause = {.tv_nsec = 1000000};
        long long give_up = log_now_ms() + max_ms;

        while (n > 0) {
                ssize_t k = write(fd, s, n);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0 && errno == EAGAIN) {
                        /* Room in the port's buffer, then 1 ms for the other writer's lock. */
                        struct pollfd p = {.fd = fd, .events = POLLOUT};
                        long long left = give_up - log_now_ms();
                        if (left <= 0)
                                return;
                        (void) poll(&p, 1, (int) left);
                        (void) nanosleep(&pause, NULL);
                        continue;
                }
                if (k <= 0)
                        return;
                s += k;
                n -= (size_t) k;
        }
}

void log_trace_va(int fd, const char *fmt, va_list ap)
{
        char line[4096], msg[4096];
        struct timespec ts;
        int n, m;

        if (fd < 0)
                return;
        /* The monotonic clock (seconds since boot) first, for boot-time figures. */
        clock_gettime(CLOCK_MONOTONIC, &ts);
        m = snprintf(line, sizeof(line), "[%lld.%06ld] ", (long long) ts.tv_sec, ts.tv_nsec / 1000);
        if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
                return;
        /* A title cannot end a trace line early (a test waiting for a line is never fooled). */
        n = m + (int) utf8_shown_to(line + m, sizeof(line) - (size_t) m - 1, msg);
        line[n++] = '\n';
        log_put_wait(fd, line, (size_t) n, LOG_TRACE_WAIT_MS); /* the test channel loses no line */
}

void log_trace(int fd, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        log_trace_va(fd, fmt, ap);
        va_end(ap);
}

int log_set_error(char **ret_error, int r, enum log_level level, const char *module,
                  const char *fmt, ...)
{
        va_list ap;
        char *s = NULL;

        va_start(ap, fmt);
        s = util_vasprintf(fmt, ap);
        va_end(ap);
        if (s)
                log_write(level, module, "%s", s);
        if (ret_error) {
                free(*ret_error);
                *ret_error = s;
        } else
                free(s);
        return r;
}
