/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the drawing benchmarks share: a monotonic clock and the median of their runs. */
#pragma once

#include <stdlib.h>
#include <time.h>

static inline double now(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static inline int bench_cmp(const void *a, const void *b)
{
        double x = *(const double *) a, y = *(const double *) b;

        return x < y ? -1 : x > y;
}

/* The median of v[0..n) (sorted in place). */
static inline double median(double *v, size_t n)
{
        qsort(v, n, sizeof(double), bench_cmp);
        return v[n / 2];
}
