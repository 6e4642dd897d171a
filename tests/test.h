/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A tiny TAP test harness: TEST(name) { ... } functions registered automatically; CHECK() prints
 * file:line and the failing expression and fails the test without stopping the others. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/diag.h"
#include "core/util.h"

struct test_case {
        const char *name;
        void (*fn)(bool *failed);
};

#define TEST_MAX 512
extern struct test_case test_cases[TEST_MAX];
extern unsigned test_count;

#define TEST(n)                                                                      \
        static void test_##n(bool *test_failed);                                     \
        __attribute__((constructor)) static void test_register_##n(void)             \
        {                                                                            \
                if (test_count < TEST_MAX)                                           \
                        test_cases[test_count++] = (struct test_case){#n, test_##n}; \
        }                                                                            \
        static void test_##n(bool *test_failed)

#define CHECK(expr)                                                                       \
        do {                                                                              \
                if (!(expr)) {                                                            \
                        printf("# %s:%d: check failed: %s\n", __FILE__, __LINE__, #expr); \
                        *test_failed = true;                                              \
                }                                                                         \
        } while (0)

#define CHECK_STREQ(a, b)                                                                          \
        do {                                                                                       \
                const char *check_a_ = (a), *check_b_ = (b);                                       \
                if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {                   \
                        printf("# %s:%d: %s == %s failed: \"%s\" != \"%s\"\n", __FILE__, __LINE__, \
                               #a, #b, check_a_ ? check_a_ : "(null)",                             \
                               check_b_ ? check_b_ : "(null)");                                    \
                        *test_failed = true;                                                       \
                }                                                                                  \
        } while (0)

#define CHECK_INTEQ(a, b)                                                                          \
        do {                                                                                       \
                long long check_a_ = (long long) (a), check_b_ = (long long) (b);                  \
                if (check_a_ != check_b_) {                                                        \
                        printf("# %s:%d: %s == %s failed: %lld != %lld\n", __FILE__, __LINE__, #a, \
                               #b, check_a_, check_b_);                                            \
                        *test_failed = true;                                                       \
                }                                                                                  \
        } while (0)

/* Stops the current test when a check failed (for checks that later code depends on). */
#define REQUIRE(expr)             \
        do {                      \
                CHECK(expr);      \
                if (*test_failed) \
                        return;   \
        } while (0)

/* ---- helpers shared by the unit tests ---- */

/* Whether d holds a diagnostic whose message contains text: on that line (0: any), of that
 * filesystem and file (NULL: any). */
static inline bool test_diag_has(const struct diag_list *d, const char *fs, const char *file,
                                 unsigned line, const char *text)
{
        for (size_t i = 0; i < d->n; i++) {
                const struct diag *g = &d->items[i];

                if ((!fs || streq_ptr(g->fs, fs)) && (!file || streq_ptr(g->file, file)) &&
                    (line == 0 || g->line == line) && strstr(g->message, text))
                        return true;
        }
        return false;
}

/* One scratch directory per test program ("/tmp/kl-test-NAME-XXXXXX"), made by test-main.c
 * before the first test and removed after the last. */
extern char test_scratch[];

/* A new empty directory below test_scratch (malloc'ed), for one test's files. */
static inline char *test_scratch_subdir(const char *name)
{
        char *d = util_asprintf("%s/%s", test_scratch, name);

        if (!d || (mkdir(d, 0755) < 0 && errno != EEXIST)) {
                perror(d ? d : name);
                exit(1);
        }
        return d;
}

/* Writes text to root/rel, making the directories on the way. Exits on failure. */
static inline void test_write(const char *root, const char *rel, const char *text)
{
        _cleanup_free_ char *p = util_asprintf("%s/%s", root, rel);
        FILE *f;

        for (char *s = p ? strchr(p + strlen(root) + 1, '/') : NULL; s; s = strchr(s + 1, '/')) {
                *s = '\0';
                (void) mkdir(p, 0755);
                *s = '/';
        }
        f = p ? fopen(p, "w") : NULL;
        if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
                perror(p ? p : rel);
                exit(1);
        }
}

/* Runs a shell command made with printf's format: its exit status (0 = success), the command
 * printed as a TAP comment when it fails; -1 when it cannot be formatted. */
static inline int test_sh(const char *fmt, ...) _printf_(1, 2);
static inline int test_sh(const char *fmt, ...)
{
        _cleanup_free_ char *cmd = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&cmd, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -1;
        r = system(cmd);
        if (r != 0)
                printf("# command failed (%d): %s\n", r, cmd);
        return r;
}
