/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Audible cues for people who cannot see the menu (systemd-boot's `beep`): a rising chirp when
 * the menu appears, then a pattern that tells the selected entry's position. Pure logic: which
 * tones, and when each starts and stops; the event loop asks for the next deadline and calls
 * beep_player_advance() then, and src/input/speaker.c sounds the tone. Nothing here sleeps. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* systemd-boot's beep: 500 Hz, 100 ms on, 400 ms off, n beeps for the n-th entry. */
#define BEEP_UNIT_HZ 500u
#define BEEP_UNIT_MS 100u
#define BEEP_GAP_MS  400u
/* Tens and hundreds (see beep_pattern_position()). */
#define BEEP_TEN_HZ     350u
#define BEEP_TEN_MS     400u
#define BEEP_HUNDRED_HZ 250u
#define BEEP_HUNDRED_MS 800u
/* The menu appears: two short rising tones, then a pause, then the selection's pattern. */
#define BEEP_READY_LOW_HZ   660u
#define BEEP_READY_HIGH_HZ  990u
#define BEEP_READY_MS       80u
#define BEEP_READY_PAUSE_MS 600u
/* Positions beyond this all sound as this one: 9 long, 9 long-ish, 9 short. */
#define BEEP_MAX_POSITION 999u
/* The most steps a pattern has: the ready chirp (4) and 27 beeps with their gaps. */
#define BEEP_MAX_STEPS 64u

struct beep_step {
        unsigned hz; /* 0: silence */
        unsigned ms; /* how long, more than 0 */
};

/* The pattern for a 1-based position, written to out (room for BEEP_MAX_STEPS); returns the
 * number of steps. Positions 1 to 9 are systemd-boot's: n short beeps. Beyond, each decimal
 * digit counts its beeps in its own sound, most significant first: hundreds as long low beeps,
 * tens as longer lower ones, units as the short ones (12: one long, two short; 20: two long;
 * 105: one very long, five short). Positions above BEEP_MAX_POSITION sound as it; 0 gives no
 * step. Every tone ends with a gap, so two patterns in a row stay apart. */
size_t beep_pattern_position(size_t position, struct beep_step *out);
/* The menu's appearance: the chirp, then the pause (then the position's pattern, appended by
 * beep_player_menu_ready()). */
size_t beep_pattern_ready(struct beep_step *out);

struct beep_player {
        struct beep_step steps[BEEP_MAX_STEPS];
        size_t n, at;                /* the step sounding now is steps[at], when at < n */
        unsigned long long step_end; /* when steps[at] ends (ms, the caller's clock) */
        unsigned tone;               /* the frequency the speaker was last told (0: off) */
};

/* Nothing sounding. */
void beep_player_init(struct beep_player *p);
/* The pattern of the 1-based position starts now, cancelling what was playing. Returns the
 * frequency the speaker must sound now (0: silence). */
unsigned beep_player_position(struct beep_player *p, size_t position, unsigned long long now);
/* The menu appeared: the chirp, then the pattern of the selected (1-based) position. Returns
 * as beep_player_position(). */
unsigned beep_player_menu_ready(struct beep_player *p, size_t position, unsigned long long now);
/* Stops at once (booting). Returns 0: the speaker must be silent. */
unsigned beep_player_stop(struct beep_player *p);
/* The next time beep_player_advance() must be called, or 0 when nothing plays. */
unsigned long long beep_player_deadline(const struct beep_player *p);
/* Time passed: moves to the step sounding at now. Returns true when the speaker must change,
 * with the frequency in *hz (0: off). */
bool beep_player_advance(struct beep_player *p, unsigned long long now, unsigned *hz);
