/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

struct test_case test_cases[TEST_MAX];
unsigned test_count;
char test_scratch[] = "/tmp/kl-test-XXXXXX";

static void remove_scratch(void)
{
        _cleanup_free_ char *cmd = util_asprintf("rm -rf --one-file-system '%s'", test_scratch);

        if (!cmd || system(cmd) != 0)
                fprintf(stderr, "cannot remove %s\n", test_scratch);
}

int main(int argc, char **argv)
{
        unsigned failed = 0;

        if (!mkdtemp(test_scratch)) {
                perror("mkdtemp");
                return 1;
        }
        atexit(remove_scratch);
        printf("1..%u\n", test_count);
        for (unsigned i = 0; i < test_count; i++) {
                bool f = false;

                if (argc > 1 && strcmp(argv[1], test_cases[i].name) != 0) {
                        printf("ok %u - %s # SKIP not selected\n", i + 1, test_cases[i].name);
                        continue;
                }
                test_cases[i].fn(&f);
                printf("%s %u - %s\n", f ? "not ok" : "ok", i + 1, test_cases[i].name);
                fflush(stdout);
                if (f)
                        failed++;
        }
        return failed ? 1 : 0;
}
