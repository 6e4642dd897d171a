/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "supervise.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "../core/heartbeat.h"
#include "../core/util.h"

void supervise_init(struct supervise *s, unsigned watchdog_s)
{
        *s = (struct supervise){
                .policy =
                        {
                                .quick_ms = SUPERVISE_QUICK_MS,
                                .safe_after = SUPERVISE_SAFE_AFTER,
                                .delay_ms = SUPERVISE_DELAY_MS,
                                .delay_max_ms = SUPERVISE_DELAY_MAX_MS,
                                .watchdog_ms = watchdog_s * 1000ULL,
                                .pause_max_ms = SUPERVISE_PAUSE_MAX_MS,
                        },
        };
}

void supervise_started(struct supervise *s, bool watched, unsigned long long now)
{
        s->running = true;
        s->watched = watched && s->policy.watchdog_ms > 0;
        s->stuck = false;
        s->started_at = now;
        s->last_sign = now;
        s->paused = 0;
}

void supervise_heartbeat(struct supervise *s, unsigned char byte, unsigned long long now)
{
        if (!s->running)
                return;
        switch (byte) {
        case HEARTBEAT_BEAT:
                s->last_sign = now;
                break;
        case HEARTBEAT_PAUSE:
                if (s->paused++ == 0)
                        s->paused_at = now;
                break;
        case HEARTBEAT_RESUME:
                if (s->paused > 0)
                        s->paused--;
                s->last_sign = now;
                break;
        default:
                break;
        }
}

long long supervise_watchdog_left(const struct supervise *s, unsigned long long now)
{
        unsigned long long due;

        if (!s->running || !s->watched || s->stuck)
                return -1;
        due = s->paused > 0 ? s->paused_at + s->policy.pause_max_ms
                            : s->last_sign + s->policy.watchdog_ms;
        return due > now ? (long long) (due - now) : 0;
}

bool supervise_check_stuck(struct supervise *s, unsigned long long now)
{
        if (supervise_watchdog_left(s, now) != 0)
                return false;
        s->stuck = true;
        return true;
}

static void describe(struct supervise *s, enum supervise_end how, int code)
{
        const char *abbrev;

        if (s->stuck) {
                if (s->paused > 0)
                        snprintf(s->last, sizeof(s->last), "stuck for %llu s in a long operation",
                                 s->policy.pause_max_ms / 1000);
                else
                        snprintf(s->last, sizeof(s->last), "no sign of life for %llu s",
                                 s->policy.watchdog_ms / 1000);
        } else if (how == SUPERVISE_SIGNALED) {
                abbrev = sigabbrev_np(code);
                snprintf(s->last, sizeof(s->last), "signal %d SIG%s", code, abbrev ? abbrev : "?");
        } else
                snprintf(s->last, sizeof(s->last), "exit status %d", code);
}

unsigned long long supervise_ended(struct supervise *s, enum supervise_end how, int code,
                                   unsigned long long now, bool *entered_safe_mode)
{
        bool quick = now - s->started_at < s->policy.quick_ms;
        unsigned long long delay = 0;

        *entered_safe_mode = false;
        describe(s, how, code);
        if (!quick && !s->stuck) {
                s->failures = 0;
        } else {
                s->failures++;
                if (!s->safe_mode && s->failures >= s->policy.safe_after) {
                        s->safe_mode = true;
                        *entered_safe_mode = true;
                        snprintf(s->reason, sizeof(s->reason),
                                 "The menu stopped %u times (%s); started in safe mode",
                                 s->failures, s->last);
                } else if (s->failures >= 2) {
                        unsigned shift = MIN(s->failures - 2, 20u);

                        delay = MIN(s->policy.delay_ms << shift, s->policy.delay_max_ms);
                }
        }
        s->running = false;
        s->stuck = false;
        s->paused = 0;
        return delay;
}
