/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What an evdev device is, from its capabilities, and taps on devices with absolute positions
 * (touch screens, pen tablets, QEMU's usb-tablet and virtio-tablet). Pure logic: the evdev source
 * (evdev.c) reads the capabilities and events with libevdev and hands them over. */
#pragma once

#include <stdbool.h>

enum input_kind {
        /* KEY_ENTER, and KEY_A (a keyboard) or KEY_UP (a remote control, a navigation keypad). */
        INPUT_KIND_KEYBOARD = 1 << 0,
        /* Absolute X/Y (ABS_X/ABS_Y or ABS_MT_POSITION_X/Y), BTN_TOUCH or BTN_LEFT, and
         * INPUT_PROP_DIRECT: the point touched is the point on the screen. */
        INPUT_KIND_TOUCHSCREEN = 1 << 1,
        /* The same without INPUT_PROP_DIRECT: an absolute pointer mapped onto the whole screen
         * (a pen tablet, QEMU's usb-tablet and virtio-tablet, old touch screen drivers). */
        INPUT_KIND_TABLET = 1 << 2,
        /* Volume or power keys and no letters: a tablet's button array (soc_button_array's
         * gpio-keys, "Intel HID 5 button array"), the ACPI power button, a keyboard's consumer
         * control interface. */
        INPUT_KIND_BUTTONS = 1 << 3,
        /* Absolute axes with BTN_TOOL_FINGER and no INPUT_PROP_DIRECT: a touchpad, which moves a
         * pointer relative to where it is. Not a selection device here (there is no pointer). */
        INPUT_KIND_TOUCHPAD = 1 << 4,
};

/* What the classification looks at (libevdev_has_event_code / libevdev_has_property). */
struct input_caps {
        bool key_enter, key_a, key_up;
        bool key_volume; /* KEY_VOLUMEUP or KEY_VOLUMEDOWN */
        bool key_power;
        bool abs_xy;    /* ABS_X and ABS_Y */
        bool abs_mt_xy; /* ABS_MT_POSITION_X and ABS_MT_POSITION_Y */
        bool btn_touch, btn_left, btn_tool_finger;
        bool prop_direct, prop_accelerometer;
};

/* INPUT_KIND_* bits (0: nothing this program reads or reports: a mouse, a joystick, a lid
 * switch, an accelerometer). Touch screens, tablets and touchpads exclude each other. */
unsigned input_classify(const struct input_caps *c);
/* The main kind as a word: "keyboard", "touchscreen", "tablet", "buttons", "touchpad", "other". */
const char *input_kind_name(unsigned kinds);
/* The bus of linux/input.h's BUS_* as a word: "usb", "ps2" (BUS_I8042), "i2c", "spi",
 * "bluetooth", "platform" (BUS_HOST), "virtual", "other". */
const char *input_bus_name(unsigned bustype);
/* Whether the power key (KEY_POWER) acts as Enter: on a tablet, that is while the machine has
 * volume buttons on its own buses (platform, i2c, spi: not a USB or Bluetooth device's consumer
 * keys) and no keyboard is open. On a PC, or while a keyboard is attached, it does nothing. */
bool input_power_is_enter(unsigned n_keyboards, unsigned n_tablet_buttons);

/* ---- taps ---- */

/* A tap position as a fraction of each axis's range: 0 .. TOUCH_UNIT (left/top to
 * right/bottom). */
#define TOUCH_UNIT 65535u

struct touch_axis {
        int min, max;
        int resolution; /* units per mm, 0 when the device does not say */
};

struct touch_tap {
        unsigned x, y; /* where the touch began, 0 .. TOUCH_UNIT */
        int swipe;     /* 0: a tap; -1: a swipe up, 1: a swipe down */
};

/* A tap is a touch (BTN_TOUCH or BTN_LEFT down) that ends (up) within the slop of where it began:
 * 5 mm where the device gives its resolution, else 1/25 of each axis's range. A touch that moves
 * further (a drag), or during which a second finger is down (ABS_MT_SLOT other than 0 with a
 * tracking id, BTN_TOOL_DOUBLETAP...), is no tap. The position is where the touch began. A drag
 * of one finger that ends more than three slops above or below where it began, and at least
 * twice as far up or down as sideways (as fractions of the axes), is a swipe. Events count at
 * SYN_REPORT, as the kernel groups them. */
struct touch_decoder {
        struct touch_axis ax, ay;
        bool mt_only; /* positions from ABS_MT_POSITION_X/Y (slot 0): no ABS_X/ABS_Y */
        int slop_x, slop_y;
        /* the state of the frame being reported */
        int x, y;
        bool have_x, have_y;
        bool touch, left, multi_tool;
        int slot;
        unsigned other_slots; /* bit i: slot i (1..31) has a contact */
        /* the touch under way */
        bool down;
        int start_x, start_y;
        bool moved, multi, no_position;
        bool cancelled; /* after SYN_DROPPED: no tap until the buttons are seen up */
};

/* x, y: the ranges of ABS_X/ABS_Y, or of ABS_MT_POSITION_X/Y when mt_only. */
void touch_decoder_init(struct touch_decoder *t, const struct touch_axis *x,
                        const struct touch_axis *y, bool mt_only);
/* One evdev event (type, code, value). Returns 1 and fills *tap when it completed a tap or a
 * swipe (a SYN_REPORT ending a touch), else 0. */
int touch_decoder_event(struct touch_decoder *t, unsigned type, unsigned code, int value,
                        struct touch_tap *tap);
/* Events were lost (SYN_DROPPED): the touch under way gives no tap, nor does one that is down
 * when the state is reported again (libevdev's replay); the next touch after all are up does. */
void touch_decoder_reset(struct touch_decoder *t);
