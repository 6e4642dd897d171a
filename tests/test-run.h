/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A shell command for the unit tests that make real images (mkntfs, xorriso, mkfs): formatted,
 * run with system(3), true when it exited 0. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>

#include "core/util.h"

static inline bool test_run(const char *fmt, ...) _printf_(1, 2);
static inline bool test_run(const char *fmt, ...)
{
        _cleanup_free_ char *cmd = NULL;
        va_list ap;

        va_start(ap, fmt);
        cmd = util_vasprintf(fmt, ap);
        va_end(ap);
        return cmd && system(cmd) == 0;
}
