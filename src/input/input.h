/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Input sources. Each one owns a single pollable fd, so the application's event loop polls a
 * handful of fds; dispatch reads what is ready and hands key events to a callback. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "keys.h"
#include "touch.h"

typedef void (*input_key_cb)(const struct key_event *ev, void *userdata);
typedef void (*input_tap_cb)(const struct touch_tap *tap, void *userdata);

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

/* Every evdev keyboard, touch screen, tablet and button array under dir ("/dev/input"),
 * hot-plugged through inotify, read with libevdev: keys translated with the chosen layout, else
 * the console's keymap, else US (volume keys as Up/Down, the power key as Enter on a tablet
 * without a keyboard: touch.h), touches decoded into taps. */
struct evdev_input;
int evdev_input_new(const char *dir, struct evdev_input **ret);
/* May be called from a callback of evdev_input_dispatch() (before a kexec jump): the free then
 * happens when dispatch returns, and the events after that one are dropped. */
struct evdev_input *evdev_input_free(struct evdev_input *e);
int evdev_input_fd(const struct evdev_input *e); /* an epoll fd covering inotify and devices */
/* tap_cb (NULL: taps are dropped) gets each tap of a touch screen or tablet, its position as
 * fractions of the device's axes (touch.h): the front end maps it onto its screen. */
int evdev_input_dispatch(struct evdev_input *e, input_key_cb cb, input_tap_cb tap_cb,
                         void *userdata);
/* The keyboard layout of every keyboard, now and hot-plugged later (keymap.h; NULL: the
 * console's keymap as read at start, else US). */
struct keymap_layout;
void evdev_input_set_layout(struct evdev_input *e, const struct keymap_layout *l);
unsigned evdev_input_keyboards(const struct evdev_input *e);     /* keyboards open now */
unsigned evdev_input_touch_devices(const struct evdev_input *e); /* touch screens, tablets */

/* Every evdev device under dir ("/dev/input"), whatever it is, for the hardware report: each
 * node is opened read-only for a moment, its capabilities read and classified as the menu
 * does. Sorted by event number; at most INPUT_DEVICES_MAX. A missing dir is an empty list.
 * Free with input_devices_free(). */
#define INPUT_DEVICES_MAX 256
struct input_device_info {
        int number;       /* N of eventN */
        char *path;       /* "/dev/input/event3" */
        char *name;       /* "AT Translated Set 2 keyboard", as the driver names it */
        unsigned kinds;   /* INPUT_KIND_* (touch.h); 0: a mouse, a switch, a joystick... */
        unsigned bustype; /* BUS_* of linux/input.h; input_bus_name() gives "usb", "ps2"... */
        bool read;        /* the menu reads it (a keyboard, touch screen, tablet, buttons) */
};
int input_devices_list(const char *dir, struct input_device_info **ret, size_t *n_ret);
void input_devices_free(struct input_device_info *list, size_t n);
