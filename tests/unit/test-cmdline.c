/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include "core/cmdline.h"

TEST(split_quotes)
{
        _cleanup_strv_ char **w = NULL;

        CHECK(cmdline_split("  root=/dev/sda1 ro  kexec_theme=\"My Theme\" quiet\n", &w) == 0);
        REQUIRE(strv_length(w) == 4);
        CHECK_STREQ(w[0], "root=/dev/sda1");
        CHECK_STREQ(w[2], "kexec_theme=My Theme");
        CHECK_STREQ(w[3], "quiet");
}

TEST(whole_words_only)
{
        _cleanup_strv_ char **w = NULL;

        /* 1.4.1 took "kexec=x" for kexec_config and "kexec_configx=y" too. */
        CHECK(cmdline_split("kexec=x kexec_configx=y kexec_conf=z", &w) == 0);
        CHECK(cmdline_get(w, "kexec_config") == NULL);
        CHECK(cmdline_get(w, "kexec") != NULL);
}

TEST(last_wins_and_bare)
{
        _cleanup_strv_ char **w = NULL;

        CHECK(cmdline_split("kexec_config=sda1 kexec_text kexec_config=UUID=1234", &w) == 0);
        CHECK_STREQ(cmdline_get(w, "kexec_config"), "UUID=1234");
        CHECK_STREQ(cmdline_get(w, "kexec_text"), "");
}

TEST(parse_all)
{
        struct kernel_cmdline c;
        char *warn = NULL;

        CHECK(cmdline_parse("quiet kexec_config=LABEL=stick kexec_debug=/dev/ttyS1 kexec_wait=3 "
                            "kexec_text kexec_theme=classic kexec_trace=/dev/ttyS2",
                            &c, &warn) == 0);
        CHECK(warn == NULL);
        CHECK_STREQ(c.kexec_config, "LABEL=stick");
        CHECK_STREQ(c.kexec_debug, "/dev/ttyS1");
        CHECK_INTEQ(c.kexec_wait, 3);
        CHECK(c.kexec_text);
        CHECK_STREQ(c.kexec_theme, "classic");
        CHECK_STREQ(c.kexec_trace, "/dev/ttyS2");
        cmdline_done(&c);
}

TEST(parse_defaults_and_bad_wait)
{
        struct kernel_cmdline c;
        char *warn = NULL;

        CHECK(cmdline_parse("kexec_wait=soon", &c, &warn) == 0);
        CHECK_INTEQ(c.kexec_wait, CMDLINE_DEFAULT_WAIT);
        CHECK(warn && strstr(warn, "kexec_wait=soon"));
        CHECK(c.kexec_config == NULL);
        CHECK(!c.kexec_text);
        free(warn);
        cmdline_done(&c);

        CHECK(cmdline_parse("kexec_wait=-1", &c, &warn) == 0);
        CHECK_INTEQ(c.kexec_wait, CMDLINE_DEFAULT_WAIT);
        CHECK(warn != NULL);
        free(warn);
        cmdline_done(&c);

        CHECK(cmdline_parse("kexec_wait=0 kexec_text=0", &c, &warn) == 0);
        CHECK_INTEQ(c.kexec_wait, 0);
        CHECK(!c.kexec_text);
        cmdline_done(&c);
}

/* kexec_beep turns the beeps on; =0/no/off forces them off; absent leaves the config's. */
TEST(beep)
{
        static const struct {
                const char *text;
                int beep;
        } cases[] = {
                {"quiet", 0},           {"kexec_beep", 1},     {"kexec_beep=1", 1},
                {"kexec_beep=on", 1},   {"kexec_beep=yes", 1}, {"kexec_beep=0", -1},
                {"kexec_beep=off", -1}, {"kexec_beep=no", -1}, {"kexec_beeps", 0},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                struct kernel_cmdline c;

                REQUIRE(cmdline_parse(cases[i].text, &c, NULL) == 0);
                CHECK_INTEQ(c.kexec_beep, cases[i].beep);
                cmdline_done(&c);
        }
}

TEST(watchdog_and_test_hooks)
{
        struct kernel_cmdline c;
        char *warn = NULL;

        CHECK(cmdline_parse("quiet", &c, &warn) == 0);
        CHECK_INTEQ(c.kexec_watchdog, CMDLINE_DEFAULT_WATCHDOG);
        CHECK_INTEQ(c.kexec_test, 0);
        CHECK(warn == NULL);
        cmdline_done(&c);

        CHECK(cmdline_parse("kexec_watchdog=0 kexec_test=crash-autodetect,fail-jump", &c, &warn) ==
              0);
        CHECK(warn == NULL);
        CHECK_INTEQ(c.kexec_watchdog, 0);
        CHECK_INTEQ(c.kexec_test, CMDLINE_TEST_CRASH_AUTODETECT | CMDLINE_TEST_FAIL_JUMP);
        cmdline_done(&c);

        /* Bad values: the defaults, and one warning naming each. */
        CHECK(cmdline_parse("kexec_wait=x kexec_watchdog=5s kexec_test=hang-autodetect,explode", &c,
                            &warn) == 0);
        CHECK_INTEQ(c.kexec_wait, CMDLINE_DEFAULT_WAIT);
        CHECK_INTEQ(c.kexec_watchdog, CMDLINE_DEFAULT_WATCHDOG);
        CHECK_INTEQ(c.kexec_test, CMDLINE_TEST_HANG_AUTODETECT);
        CHECK(warn && strstr(warn, "kexec_wait=x") && strstr(warn, "kexec_watchdog=5s") &&
              strstr(warn, "'explode'"));
        free(warn);
        cmdline_done(&c);
}

TEST(unknown_test_hooks_bounded)
{
        struct kernel_cmdline c;
        _cleanup_free_ char *line = malloc(20000 * 8 + 32);
        char *warn = NULL;
        size_t n;

        /* 20 000 unknown words in one kexec_test= (the fuzzer's timeout: each warning repeated
         * the whole value, 2 GB of text): four named, the others counted, the known one kept */
        REQUIRE(line);
        n = (size_t) sprintf(line, "kexec_test=commands");
        for (int i = 0; i < 20000; i++)
                n += (size_t) sprintf(line + n, ",x%d", i);
        CHECK(cmdline_parse(line, &c, &warn) == 0);
        CHECK_INTEQ(c.kexec_test, CMDLINE_TEST_COMMANDS);
        CHECK(warn && strstr(warn, "'x0'") && strstr(warn, "'x3'") && !strstr(warn, "'x4'") &&
              strstr(warn, "19996 more unknown test hooks"));
        CHECK(warn && strlen(warn) < 4096);
        free(warn);
        cmdline_done(&c);
}

TEST(keymap_variable)
{
        struct kernel_cmdline c;
        _cleanup_free_ char *warning = NULL;

        REQUIRE(cmdline_parse("quiet kexec_keymap=de", &c, &warning) == 0);
        CHECK_STREQ(c.kexec_keymap, "de");
        CHECK(warning == NULL);
        cmdline_done(&c);
        REQUIRE(cmdline_parse("kexec_keymap=klingon", &c, &warning) == 0);
        CHECK(c.kexec_keymap == NULL);
        CHECK(warning && strstr(warning, "kexec_keymap=klingon is not a keyboard layout"));
        cmdline_done(&c);
}
