/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A tiny TAP test harness: TEST(name) { ... } functions registered automatically; CHECK() prints
 * file:line and the failing expression and fails the test without stopping the others. */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

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
