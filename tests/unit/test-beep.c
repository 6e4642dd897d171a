/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include "menu/beep.h"

/* The tones of a pattern (silences left out), as a string: "s" short (units), "t" tens,
 * "h" hundreds, "L"/"H" the ready chirp's low and high tones. */
static void tones(const struct beep_step *s, size_t n, char *out)
{
        for (size_t i = 0; i < n; i++) {
                char c = 0;

                switch (s[i].hz) {
                case 0:
                        break;
                case BEEP_UNIT_HZ:
                        c = 's';
                        break;
                case BEEP_TEN_HZ:
                        c = 't';
                        break;
                case BEEP_HUNDRED_HZ:
                        c = 'h';
                        break;
                case BEEP_READY_LOW_HZ:
                        c = 'L';
                        break;
                case BEEP_READY_HIGH_HZ:
                        c = 'H';
                        break;
                default:
                        c = '?';
                }
                if (c)
                        *out++ = c;
        }
        *out = 0;
}

TEST(position_patterns)
{
        static const struct {
                size_t pos;
                const char *tones;
        } cases[] = {
                {0, ""},
                {1, "s"},
                {2, "ss"},
                {3, "sss"},
                {9, "sssssssss"},
                {10, "t"},
                {12, "tss"},
                {20, "tt"},
                {99, "ttttttttts"
                     "ssssssss"},
                {100, "h"},
                {105, "hsssss"},
                {230, "hhttt"},
                {999, "hhhhhhhhhttttttttts"
                      "ssssssss"},
                {5000, "hhhhhhhhhttttttttts"
                       "ssssssss"},
        };
        struct beep_step s[BEEP_MAX_STEPS];
        char t[BEEP_MAX_STEPS + 1];

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                size_t n = beep_pattern_position(cases[i].pos, s);

                REQUIRE(n <= BEEP_MAX_STEPS);
                tones(s, n, t);
                CHECK_STREQ(t, cases[i].tones);
                /* a gap after every tone, so that two patterns in a row stay apart */
                for (size_t k = 0; k < n; k++) {
                        CHECK(s[k].ms > 0);
                        CHECK_INTEQ(s[k].hz == 0, k % 2 == 1);
                }
        }
}

TEST(systemd_boot_timing)
{
        struct beep_step s[BEEP_MAX_STEPS];
        size_t n = beep_pattern_position(3, s);

        /* systemd-boot: 500 Hz for 100 ms, then 400 ms of silence, per beep */
        REQUIRE(n == 6);
        for (size_t k = 0; k < n; k += 2) {
                CHECK_INTEQ(s[k].hz, 500);
                CHECK_INTEQ(s[k].ms, 100);
                CHECK_INTEQ(s[k + 1].hz, 0);
                CHECK_INTEQ(s[k + 1].ms, 400);
        }
}

/* Plays p from start until it ends, recording each change of tone at its time. */
static void run(struct beep_player *p, unsigned long long start, unsigned long long step, char *out)
{
        unsigned hz;

        for (unsigned long long t = start; beep_player_deadline(p) != 0; t += step)
                if (beep_player_advance(p, t, &hz))
                        out += sprintf(out, "%llu:%u ", t - start, hz);
        *out = 0;
}

TEST(player_schedule)
{
        struct beep_player p;
        char log[512];

        beep_player_init(&p);
        CHECK_INTEQ(beep_player_deadline(&p), 0);
        CHECK_INTEQ(beep_player_position(&p, 2, 1000), 500);
        CHECK_INTEQ(beep_player_deadline(&p), 1100);
        run(&p, 1000, 10, log);
        CHECK_STREQ(log, "100:0 500:500 600:0 ");
        CHECK_INTEQ(beep_player_deadline(&p), 0);
}

TEST(player_ready_then_position)
{
        struct beep_player p;
        char log[512];

        beep_player_init(&p);
        CHECK_INTEQ(beep_player_menu_ready(&p, 1, 0), BEEP_READY_LOW_HZ);
        run(&p, 0, 10, log);
        CHECK_STREQ(log, "80:990 160:0 760:500 860:0 ");
}

TEST(player_cancel)
{
        struct beep_player p;
        unsigned hz = 1;

        beep_player_init(&p);
        (void) beep_player_position(&p, 5, 0);
        /* a new selection in the middle of the pattern replaces it at once */
        CHECK(!beep_player_advance(&p, 550, &hz));
        CHECK_INTEQ(hz, 500);
        CHECK_INTEQ(beep_player_position(&p, 1, 560), 500);
        CHECK_INTEQ(beep_player_deadline(&p), 660);
        CHECK(beep_player_advance(&p, 660, &hz));
        CHECK_INTEQ(hz, 0);
        CHECK_INTEQ(beep_player_deadline(&p), 1060);
        CHECK(!beep_player_advance(&p, 1060, &hz));
        CHECK_INTEQ(beep_player_deadline(&p), 0);
        /* stop: silent, nothing due */
        (void) beep_player_position(&p, 3, 2000);
        CHECK_INTEQ(beep_player_stop(&p), 0);
        CHECK_INTEQ(beep_player_deadline(&p), 0);
}

TEST(player_late)
{
        struct beep_player p;
        unsigned hz = 1;

        beep_player_init(&p);
        (void) beep_player_position(&p, 3, 0);
        /* a slow frame: steps that passed are skipped, the one due now sounds */
        CHECK(!beep_player_advance(&p, 520, &hz));
        CHECK_INTEQ(hz, 500);
        CHECK_INTEQ(beep_player_deadline(&p), 600);
        CHECK(beep_player_advance(&p, 5000, &hz));
        CHECK_INTEQ(hz, 0);
        CHECK_INTEQ(beep_player_deadline(&p), 0);
}
