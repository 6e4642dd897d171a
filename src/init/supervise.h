/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PID 1's policy for the menu child, as a pure model (times are passed in, nothing is called):
 * - a child that ends within quick_ms of its start, or that the watchdog found stuck, is a
 *   failure; a child that ran longer and ended resets the count and is restarted at once;
 * - failures in a row are restarted with back-off: the first at once, the next after delay_ms,
 *   doubled each time up to delay_max_ms;
 * - after safe_after failures in a row the child starts (at once) in safe mode, for good: no
 *   autodetection of other disks' configurations, the text front end, and reason on screen
 *   ("The menu stopped 3 times (signal 11 SIGSEGV); started in safe mode");
 * - the watchdog: the child sends a heartbeat byte (HEARTBEAT_BEAT) at least every third of
 *   watchdog_ms; silent for watchdog_ms, it is stuck (the supervisor kills it). Between
 *   HEARTBEAT_PAUSE and HEARTBEAT_RESUME (a mount, a kexec load) the clock stops, for at most
 *   pause_max_ms. */
#pragma once

#include <stdbool.h>

struct supervise_policy {
        unsigned long long quick_ms;
        unsigned safe_after;
        unsigned long long delay_ms, delay_max_ms;
        unsigned long long watchdog_ms; /* 0: no watchdog */
        unsigned long long pause_max_ms;
};

#define SUPERVISE_QUICK_MS     5000ULL
#define SUPERVISE_SAFE_AFTER   3U
#define SUPERVISE_DELAY_MS     1000ULL
#define SUPERVISE_DELAY_MAX_MS 10000ULL
#define SUPERVISE_PAUSE_MAX_MS 600000ULL

enum supervise_end {
        SUPERVISE_EXITED,   /* code: the exit status */
        SUPERVISE_SIGNALED, /* code: the signal */
};

struct supervise {
        struct supervise_policy policy;
        unsigned failures; /* in a row */
        bool safe_mode;
        char reason[160]; /* why the safe mode, for the screen */
        char last[64];    /* the last failure: "signal 11 SIGSEGV", "exit status 1", ... */

        /* the child running now */
        bool running, watched, stuck;
        unsigned long long started_at, last_sign; /* last_sign: start, beat or resume */
        unsigned long long paused_at;
        unsigned paused; /* nesting depth */
};

/* watchdog_s: kexec_watchdog= (0: none); the rest of the policy is the defaults above. */
void supervise_init(struct supervise *s, unsigned watchdog_s);
/* The child started; watched: its heartbeat channel is open (else no watchdog for it). */
void supervise_started(struct supervise *s, bool watched, unsigned long long now);
/* One byte from the heartbeat channel (unknown bytes are ignored). */
void supervise_heartbeat(struct supervise *s, unsigned char byte, unsigned long long now);
/* Milliseconds until the watchdog fires (0: it has), or -1 when it does not run. */
long long supervise_watchdog_left(const struct supervise *s, unsigned long long now);
/* True once when the running child has been silent too long: it is stuck and must be killed. */
bool supervise_check_stuck(struct supervise *s, unsigned long long now);
/* The child ended (how, code: see enum supervise_end). Returns the delay in milliseconds before
 * the next start; *entered_safe_mode tells whether this failure switched to safe mode. */
unsigned long long supervise_ended(struct supervise *s, enum supervise_end how, int code,
                                   unsigned long long now, bool *entered_safe_mode);
