/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The menu child's side of PID 1's watchdog: a byte on a pipe for every turn of the event loop
 * (at most one per HEARTBEAT_MIN_GAP_MS), and pause/resume around a long operation that cannot
 * be interrupted (a mount, loading a kernel and a big initrd). Without heartbeat_attach() (not
 * under PID 1, the tests) every call does nothing. */
#pragma once

#define HEARTBEAT_BEAT   'b'
#define HEARTBEAT_PAUSE  'p'
#define HEARTBEAT_RESUME 'r'

#define HEARTBEAT_MIN_GAP_MS 500

/* fd: the write end of the supervisor's pipe (non-blocking); interval_ms: how often the event
 * loop must wake up to beat (a third of the watchdog's timeout). */
void heartbeat_attach(int fd, unsigned interval_ms);
/* How long the event loop may sleep, or -1 when no watchdog listens. */
int heartbeat_interval_ms(void);
/* A sign of life. */
void heartbeat_beat(void);
/* Stops the watchdog's clock until heartbeat_resume() (they nest). */
void heartbeat_pause(void);
void heartbeat_resume(void);
