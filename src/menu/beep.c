/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "beep.h"

#include <string.h>

/* One decimal place of a position: its sound. */
static const struct {
        size_t weight;
        unsigned hz, ms;
} places[] = {
        {100, BEEP_HUNDRED_HZ, BEEP_HUNDRED_MS},
        {10, BEEP_TEN_HZ, BEEP_TEN_MS},
        {1, BEEP_UNIT_HZ, BEEP_UNIT_MS},
};

static size_t push(struct beep_step *out, size_t n, unsigned hz, unsigned ms)
{
        if (n >= BEEP_MAX_STEPS)
                return n;
        out[n] = (struct beep_step){.hz = hz, .ms = ms};
        return n + 1;
}

size_t beep_pattern_position(size_t position, struct beep_step *out)
{
        size_t n = 0;

        if (position == 0)
                return 0;
        if (position > BEEP_MAX_POSITION)
                position = BEEP_MAX_POSITION;
        if (position < 10) {
                /* systemd-boot's: n short beeps */
                for (size_t i = 0; i < position; i++) {
                        n = push(out, n, BEEP_UNIT_HZ, BEEP_UNIT_MS);
                        n = push(out, n, 0, BEEP_GAP_MS);
                }
                return n;
        }
        for (size_t k = 0; k < sizeof(places) / sizeof(places[0]); k++) {
                size_t digit = position / places[k].weight % 10;

                for (size_t i = 0; i < digit; i++) {
                        n = push(out, n, places[k].hz, places[k].ms);
                        n = push(out, n, 0, BEEP_GAP_MS);
                }
        }
        return n;
}

size_t beep_pattern_ready(struct beep_step *out)
{
        size_t n = 0;

        n = push(out, n, BEEP_READY_LOW_HZ, BEEP_READY_MS);
        n = push(out, n, BEEP_READY_HIGH_HZ, BEEP_READY_MS);
        n = push(out, n, 0, BEEP_READY_PAUSE_MS);
        return n;
}

void beep_player_init(struct beep_player *p)
{
        memset(p, 0, sizeof(*p));
}

static unsigned start(struct beep_player *p, unsigned long long now)
{
        p->at = 0;
        if (p->n == 0)
                return beep_player_stop(p);
        p->step_end = now + p->steps[0].ms;
        p->tone = p->steps[0].hz;
        return p->tone;
}

unsigned beep_player_position(struct beep_player *p, size_t position, unsigned long long now)
{
        p->n = beep_pattern_position(position, p->steps);
        return start(p, now);
}

unsigned beep_player_menu_ready(struct beep_player *p, size_t position, unsigned long long now)
{
        struct beep_step pos[BEEP_MAX_STEPS];
        size_t k = beep_pattern_position(position, pos);

        p->n = beep_pattern_ready(p->steps);
        for (size_t i = 0; i < k && p->n < BEEP_MAX_STEPS; i++)
                p->steps[p->n++] = pos[i];
        return start(p, now);
}

unsigned beep_player_stop(struct beep_player *p)
{
        p->n = p->at = 0;
        p->step_end = 0;
        p->tone = 0;
        return 0;
}

unsigned long long beep_player_deadline(const struct beep_player *p)
{
        return p->at < p->n ? p->step_end : 0;
}

bool beep_player_advance(struct beep_player *p, unsigned long long now, unsigned *hz)
{
        unsigned before = p->tone;

        while (p->at < p->n && now >= p->step_end) {
                p->at++;
                if (p->at < p->n)
                        p->step_end += p->steps[p->at].ms;
        }
        /* Late (a slow frame): the steps that passed are skipped, the one due now sounds. */
        p->tone = p->at < p->n ? p->steps[p->at].hz : 0;
        if (p->at >= p->n)
                p->n = p->at = 0;
        *hz = p->tone;
        return p->tone != before;
}
