/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Input sources. Each one owns a single pollable fd, so the application's event loop polls a
 * handful of fds; dispatch reads what is ready and hands key events to a callback. */
#pragma once

#include <stdbool.h>

#include "keys.h"

typedef void (*input_key_cb)(const struct key_event *ev, void *userdata);

/* The console tty (or any terminal): raw mode, no echo; decodes escape sequences. */
struct ttyin;
int ttyin_new(int fd, struct ttyin **ret);
struct ttyin *ttyin_free(struct ttyin *t); /* restores the terminal mode */
int ttyin_fd(const struct ttyin *t);
/* Reads what is available. Returns 0, or -EIO/-ENXIO when the terminal is gone (hang-up). */
int ttyin_dispatch(struct ttyin *t, input_key_cb cb, void *userdata);
/* Milliseconds until ttyin_dispatch must be called again to resolve a lone ESC, or -1. */
int ttyin_timeout_ms(const struct ttyin *t);
/* While discard is set, bytes are read and dropped (a VT whose keys come through evdev). */
void ttyin_set_discard(struct ttyin *t, bool discard);
/* Restores the saved terminal mode (before kexec); ttyin_resume() sets raw mode again. */
void ttyin_suspend(struct ttyin *t);
void ttyin_resume(struct ttyin *t);

/* Every evdev keyboard under dir ("/dev/input"), hot-plugged through inotify, read with
 * libevdev and translated with the US keymap. */
struct evdev_input;
int evdev_input_new(const char *dir, struct evdev_input **ret);
/* May be called from a key callback of evdev_input_dispatch() (before a kexec jump): the free
 * then happens when dispatch returns, and the keys after that one are dropped. */
struct evdev_input *evdev_input_free(struct evdev_input *e);
int evdev_input_fd(const struct evdev_input *e); /* an epoll fd covering inotify and devices */
int evdev_input_dispatch(struct evdev_input *e, input_key_cb cb, void *userdata);
unsigned evdev_input_keyboards(const struct evdev_input *e); /* keyboards open now */
