/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The debug log: timestamped lines to the debug console (kexec_debug=, default /dev/tty2 as
 * PID 1), and optionally to a second sink such as stderr. Nothing is written before
 * log_open() is called, so library code may log freely. */
#pragma once

#include <stdarg.h>

#include "util.h"

enum log_level {
        LOG_LEVEL_ERROR,
        LOG_LEVEL_WARNING,
        LOG_LEVEL_INFO,
        LOG_LEVEL_DEBUG,
};

/* Opens path (appending; a terminal or file). NULL closes. Returns 0 or -errno. */
int log_open(const char *path);
void log_close(void);
/* Also copy lines of at least this importance to stderr (-1 = never, the default). */
void log_set_stderr_level(int level);
/* The fd of the debug sink, or -1 (the kernel log relay writes there too). */
int log_fd(void);

void log_write(enum log_level level, const char *module, const char *fmt, ...) _printf_(3, 4);

/* One line on the test channel (kexec_trace=): "[seconds.micros] text\n", the monotonic clock
 * first, in one write(2); nothing when fd < 0. Write errors are ignored. */
void log_trace(int fd, const char *fmt, ...) _printf_(2, 3);
void log_trace_va(int fd, const char *fmt, va_list ap) _printf_(2, 0);

/* Formats a sentence for the user into *ret_error (replacing what was there; ret_error may be
 * NULL), logs it at level, and returns r: for "return log_set_error(err, -ENOENT, …)". */
int log_set_error(char **ret_error, int r, enum log_level level, const char *module,
                  const char *fmt, ...) _printf_(5, 6);

/* Each .c file may #define LOG_MODULE "name" before including this header. */
#ifndef LOG_MODULE
#define LOG_MODULE "kexec-loader"
#endif
#define log_error(...) log_write(LOG_LEVEL_ERROR, LOG_MODULE, __VA_ARGS__)
#define log_warn(...)  log_write(LOG_LEVEL_WARNING, LOG_MODULE, __VA_ARGS__)
#define log_info(...)  log_write(LOG_LEVEL_INFO, LOG_MODULE, __VA_ARGS__)
#define log_debug(...) log_write(LOG_LEVEL_DEBUG, LOG_MODULE, __VA_ARGS__)
