/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include <signal.h>

#include "core/heartbeat.h"
#include "init/supervise.h"

/* Starts the child at *now, lets it run ran_ms, ends it with signal sig; returns the delay. */
static unsigned long long run_and_crash(struct supervise *s, unsigned long long *now,
                                        unsigned long long ran_ms, int sig, bool *safe)
{
        unsigned long long d;

        supervise_started(s, true, *now);
        *now += ran_ms;
        d = supervise_ended(s, SUPERVISE_SIGNALED, sig, *now, safe);
        *now += d;
        return d;
}

TEST(backoff_then_safe_mode)
{
        struct supervise s;
        unsigned long long now = 1000;
        bool safe;

        supervise_init(&s, 30);
        /* The first quick death: restarted at once; the second after 1 s. */
        CHECK_INTEQ(run_and_crash(&s, &now, 100, SIGSEGV, &safe), 0);
        CHECK(!safe && !s.safe_mode);
        CHECK_INTEQ(run_and_crash(&s, &now, 100, SIGSEGV, &safe), 1000);
        CHECK(!safe && !s.safe_mode);
        /* The third: safe mode, started at once, with the reason. */
        CHECK_INTEQ(run_and_crash(&s, &now, 100, SIGSEGV, &safe), 0);
        CHECK(safe && s.safe_mode);
        CHECK_STREQ(s.reason, "The menu stopped 3 times (signal 11 SIGSEGV); started in safe mode");
        /* Dying in safe mode too: the back-off goes on, doubling up to 10 s; safe mode stays. */
        CHECK_INTEQ(run_and_crash(&s, &now, 100, SIGABRT, &safe), 4000);
        CHECK(!safe && s.safe_mode);
        CHECK_STREQ(s.last, "signal 6 SIGABRT");
        CHECK_INTEQ(run_and_crash(&s, &now, 100, SIGABRT, &safe), 8000);
        CHECK_INTEQ(run_and_crash(&s, &now, 100, SIGABRT, &safe), 10000);
        CHECK_INTEQ(run_and_crash(&s, &now, 100, SIGABRT, &safe), 10000);
        CHECK_INTEQ(s.failures, 7);
        /* The reason keeps naming what started the safe mode. */
        CHECK_STREQ(s.reason, "The menu stopped 3 times (signal 11 SIGSEGV); started in safe mode");
}

TEST(a_long_run_resets_the_count)
{
        struct supervise s;
        unsigned long long now = 0;
        bool safe;

        supervise_init(&s, 0);
        CHECK_INTEQ(run_and_crash(&s, &now, 10, SIGSEGV, &safe), 0);
        CHECK_INTEQ(run_and_crash(&s, &now, 10, SIGSEGV, &safe), 1000);
        /* Ran 5 s or more: not a failure; restarted at once, the count starts again. */
        CHECK_INTEQ(run_and_crash(&s, &now, SUPERVISE_QUICK_MS, SIGSEGV, &safe), 0);
        CHECK_INTEQ(s.failures, 0);
        CHECK_INTEQ(run_and_crash(&s, &now, 10, SIGSEGV, &safe), 0);
        CHECK_INTEQ(run_and_crash(&s, &now, 10, SIGSEGV, &safe), 1000);
        CHECK(!s.safe_mode);
        /* Quick exits count like crashes. */
        supervise_started(&s, true, now);
        CHECK_INTEQ(supervise_ended(&s, SUPERVISE_EXITED, 1, now + 1, &safe), 0);
        CHECK(safe);
        CHECK_STREQ(s.reason, "The menu stopped 3 times (exit status 1); started in safe mode");
}

TEST(watchdog)
{
        struct supervise s;
        unsigned long long now = 50000;
        bool safe;

        supervise_init(&s, 30);
        CHECK_INTEQ(supervise_watchdog_left(&s, now), -1); /* nothing runs */
        supervise_started(&s, true, now);
        CHECK_INTEQ(supervise_watchdog_left(&s, now), 30000);
        /* Beats keep it quiet. */
        for (int i = 0; i < 10; i++) {
                now += 10000;
                CHECK(!supervise_check_stuck(&s, now));
                supervise_heartbeat(&s, HEARTBEAT_BEAT, now);
        }
        CHECK_INTEQ(supervise_watchdog_left(&s, now), 30000);
        CHECK_INTEQ(supervise_watchdog_left(&s, now + 29999), 1);
        CHECK(!supervise_check_stuck(&s, now + 29999));
        /* 30 s of silence: stuck, once. */
        now += 30000;
        CHECK(supervise_check_stuck(&s, now));
        CHECK(!supervise_check_stuck(&s, now + 1));
        CHECK_INTEQ(supervise_watchdog_left(&s, now), -1);
        /* It ran long, but a stuck child is a failure all the same; killed with SIGKILL. */
        CHECK_INTEQ(supervise_ended(&s, SUPERVISE_SIGNALED, SIGKILL, now + 10, &safe), 0);
        CHECK_INTEQ(s.failures, 1);
        CHECK_STREQ(s.last, "no sign of life for 30 s");
        /* Two more stuck children: safe mode. */
        for (int i = 0; i < 2; i++) {
                supervise_started(&s, true, now);
                now += 30000;
                CHECK(supervise_check_stuck(&s, now));
                (void) supervise_ended(&s, SUPERVISE_SIGNALED, SIGKILL, now, &safe);
        }
        CHECK(safe);
        CHECK_STREQ(s.reason,
                    "The menu stopped 3 times (no sign of life for 30 s); started in safe mode");
}

TEST(watchdog_paused_around_long_operations)
{
        struct supervise s;
        unsigned long long now = 0;
        bool safe;

        supervise_init(&s, 30);
        supervise_started(&s, true, now);
        /* Pauses nest; while paused only the long bound counts. */
        supervise_heartbeat(&s, HEARTBEAT_PAUSE, now);
        supervise_heartbeat(&s, HEARTBEAT_PAUSE, now + 5);
        now += 120000; /* two minutes loading a big initrd */
        CHECK(!supervise_check_stuck(&s, now));
        supervise_heartbeat(&s, HEARTBEAT_RESUME, now);
        CHECK(!supervise_check_stuck(&s, now + 60000));
        supervise_heartbeat(&s, HEARTBEAT_RESUME, now);
        /* Resumed: the clock starts again from the resume. */
        CHECK_INTEQ(supervise_watchdog_left(&s, now), 30000);
        CHECK(supervise_check_stuck(&s, now + 30000));
        (void) supervise_ended(&s, SUPERVISE_SIGNALED, SIGKILL, now + 30000, &safe);

        /* A pause that never ends: stuck after the long bound. */
        supervise_started(&s, true, now);
        supervise_heartbeat(&s, HEARTBEAT_PAUSE, now);
        CHECK(!supervise_check_stuck(&s, now + SUPERVISE_PAUSE_MAX_MS - 1));
        CHECK(supervise_check_stuck(&s, now + SUPERVISE_PAUSE_MAX_MS));
        (void) supervise_ended(&s, SUPERVISE_SIGNALED, SIGKILL, now + SUPERVISE_PAUSE_MAX_MS,
                               &safe);
        CHECK_STREQ(s.last, "stuck for 600 s in a long operation");
        /* Unknown bytes and a resume without a pause change nothing harmful. */
        supervise_started(&s, true, now);
        supervise_heartbeat(&s, 'x', now + 20000);
        supervise_heartbeat(&s, HEARTBEAT_RESUME, now + 1000);
        CHECK_INTEQ(s.paused, 0);
        CHECK_INTEQ(supervise_watchdog_left(&s, now + 1000), 30000);
}

TEST(no_watchdog)
{
        struct supervise s;
        bool safe;

        /* kexec_watchdog=0, or no heartbeat channel: never stuck. */
        supervise_init(&s, 0);
        supervise_started(&s, true, 0);
        CHECK_INTEQ(supervise_watchdog_left(&s, 1000000), -1);
        CHECK(!supervise_check_stuck(&s, 1000000));
        (void) supervise_ended(&s, SUPERVISE_EXITED, 0, 1000000, &safe);
        supervise_init(&s, 30);
        supervise_started(&s, false, 0);
        CHECK(!supervise_check_stuck(&s, 1000000));
}
