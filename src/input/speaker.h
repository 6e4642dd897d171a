/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A speaker for the menu's beeps (menu/beep.h decides what and when): an evdev device with
 * EV_SND (the pcspkr driver's "PC Speaker", SND_TONE; else a device with SND_BELL only, one
 * pitch), else the console's KDMKTONE ioctl. Each call only sets the tone: nothing here waits. */
#pragma once

struct speaker;

/* The first evdev device under input_dir ("/dev/input") that can sound a tone (SND_TONE
 * preferred to SND_BELL; input_dir NULL: none), else console_fd when it is a VT that takes
 * KDMKTONE. -ENODEV when there is none. */
int speaker_open(const char *input_dir, int console_fd, struct speaker **ret);
/* Sounds hz until the next call (0: silence). Returns 0 or a negative errno. */
int speaker_tone(struct speaker *s, unsigned hz);
/* "evdev /dev/input/event4 'PC Speaker' tone", "console kdmktone": for the trace and the log. */
const char *speaker_name(const struct speaker *s);
/* Silences the speaker and frees it; NULL is fine. Returns NULL. */
struct speaker *speaker_free(struct speaker *s);
