/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Device kinds from evdev capabilities, and the tap decoder (see touch.h). */
#include "touch.h"

#include <linux/input.h>
#include <stdint.h>
#include <stdlib.h>

#include "../core/util.h"

#define TAP_SLOP_MM       5
#define TAP_SLOP_FRACTION 25 /* 1/25 of the range when the resolution is not known */
#define SWIPE_SLOPS       3  /* a swipe goes this many slops up or down */

unsigned input_classify(const struct input_caps *c)
{
        unsigned k = 0;
        bool absolute = c->abs_xy || c->abs_mt_xy;

        if (c->key_enter && (c->key_a || c->key_up))
                k |= INPUT_KIND_KEYBOARD;
        else if (c->key_volume || c->key_power)
                k |= INPUT_KIND_BUTTONS;
        /* Joysticks and accelerometers have absolute axes too, but no touch or left button. */
        if (!absolute || c->prop_accelerometer || !(c->btn_touch || c->btn_left))
                return k;
        if (c->prop_direct)
                k |= INPUT_KIND_TOUCHSCREEN;
        else if (c->btn_tool_finger)
                k |= INPUT_KIND_TOUCHPAD; /* a finger on a surface apart from the screen */
        else
                k |= INPUT_KIND_TABLET; /* a pen tablet (INPUT_PROP_POINTER), QEMU's tablets */
        return k;
}

const char *input_kind_name(unsigned kinds)
{
        static const struct {
                unsigned bit;
                const char *name;
        } names[] = {
                {INPUT_KIND_KEYBOARD, "keyboard"}, {INPUT_KIND_TOUCHSCREEN, "touchscreen"},
                {INPUT_KIND_TABLET, "tablet"},     {INPUT_KIND_BUTTONS, "buttons"},
                {INPUT_KIND_TOUCHPAD, "touchpad"},
        };

        for (size_t i = 0; i < ARRAY_SIZE(names); i++)
                if (kinds & names[i].bit)
                        return names[i].name;
        return "other";
}

const char *input_bus_name(unsigned bustype)
{
        static const struct {
                unsigned bus;
                const char *name;
        } buses[] = {
                {BUS_USB, "usb"},         {BUS_I8042, "ps2"},           {BUS_I2C, "i2c"},
                {BUS_SPI, "spi"},         {BUS_BLUETOOTH, "bluetooth"}, {BUS_HOST, "platform"},
                {BUS_VIRTUAL, "virtual"},
        };

        for (size_t i = 0; i < ARRAY_SIZE(buses); i++)
                if (buses[i].bus == bustype)
                        return buses[i].name;
        return "other";
}

bool input_power_is_enter(unsigned n_keyboards, unsigned n_tablet_buttons)
{
        return n_tablet_buttons > 0 && n_keyboards == 0;
}

/* ---- taps ---- */

static int axis_slop(const struct touch_axis *a)
{
        long long range = (long long) a->max - a->min;

        if (a->resolution > 0)
                return (int) MIN((long long) a->resolution * TAP_SLOP_MM, (long long) INT32_MAX);
        return range > 0 ? (int) MIN(range / TAP_SLOP_FRACTION, (long long) INT32_MAX) : 0;
}

void touch_decoder_init(struct touch_decoder *t, const struct touch_axis *x,
                        const struct touch_axis *y, bool mt_only)
{
        *t = (struct touch_decoder){.ax = *x, .ay = *y, .mt_only = mt_only};
        t->slop_x = axis_slop(x);
        t->slop_y = axis_slop(y);
}

void touch_decoder_reset(struct touch_decoder *t)
{
        t->down = false;
        t->cancelled = true;
        t->other_slots = 0;
}

/* v on the axis as 0 .. TOUCH_UNIT, clamped. */
static unsigned scale(const struct touch_axis *a, int v)
{
        long long range = (long long) a->max - a->min, off = (long long) v - a->min;

        if (range <= 0 || off <= 0)
                return 0;
        if (off >= range)
                return TOUCH_UNIT;
        return (unsigned) (off * TOUCH_UNIT / range);
}

static bool beyond(long long a, long long b, int slop)
{
        return llabs(a - b) > slop;
}

/* -1 (up), 1 (down) or 0 (not a swipe) for a touch from start to the last position. */
static int swipe_direction(const struct touch_decoder *t)
{
        long long dx = llabs((long long) t->x - t->start_x);
        long long dy = (long long) t->y - t->start_y;
        long long rx = MAX((long long) t->ax.max - t->ax.min, 1LL);
        long long ry = MAX((long long) t->ay.max - t->ay.min, 1LL);

        if (llabs(dy) <= (long long) SWIPE_SLOPS * t->slop_y)
                return 0;
        /* |dy| / ry >= 2 |dx| / rx, in doubles: the products may not fit 64 bits */
        if ((double) llabs(dy) / (double) ry < 2.0 * (double) dx / (double) rx)
                return 0;
        return dy < 0 ? -1 : 1;
}

/* The end of a frame: the touch starts, goes on or ends. */
static int frame_done(struct touch_decoder *t, struct touch_tap *tap)
{
        bool pressed = t->touch || t->left;
        bool multi = t->multi_tool || t->other_slots != 0;

        if (t->cancelled) {
                if (!pressed)
                        t->cancelled = false;
                return 0;
        }
        if (pressed && !t->down) {
                t->down = true;
                t->start_x = t->x;
                t->start_y = t->y;
                t->no_position = !(t->have_x && t->have_y);
                t->moved = t->no_position;
                t->multi = multi;
                return 0;
        }
        if (!t->down)
                return 0;
        /* going on, or ending (the last position may come with the release) */
        if (beyond(t->x, t->start_x, t->slop_x) || beyond(t->y, t->start_y, t->slop_y))
                t->moved = true;
        t->multi = t->multi || multi;
        if (pressed)
                return 0;
        t->down = false;
        if (t->multi || t->no_position)
                return 0;
        *tap = (struct touch_tap){.x = scale(&t->ax, t->start_x), .y = scale(&t->ay, t->start_y)};
        if (!t->moved)
                return 1;
        tap->swipe = swipe_direction(t);
        return tap->swipe != 0;
}

int touch_decoder_event(struct touch_decoder *t, unsigned type, unsigned code, int value,
                        struct touch_tap *tap)
{
        switch (type) {
        case EV_SYN:
                if (code == SYN_REPORT)
                        return frame_done(t, tap);
                return 0;
        case EV_KEY:
                switch (code) {
                case BTN_TOUCH:
                        t->touch = value != 0;
                        break;
                case BTN_LEFT:
                        t->left = value != 0;
                        break;
                case BTN_TOOL_DOUBLETAP:
                case BTN_TOOL_TRIPLETAP:
                case BTN_TOOL_QUADTAP:
                case BTN_TOOL_QUINTTAP:
                        /* several fingers: only "some" are down while any of these is */
                        t->multi_tool = value != 0;
                        break;
                }
                return 0;
        case EV_ABS:
                switch (code) {
                case ABS_X:
                        if (!t->mt_only) {
                                t->x = value;
                                t->have_x = true;
                        }
                        break;
                case ABS_Y:
                        if (!t->mt_only) {
                                t->y = value;
                                t->have_y = true;
                        }
                        break;
                case ABS_MT_SLOT:
                        t->slot = value;
                        break;
                case ABS_MT_TRACKING_ID:
                        if (t->slot > 0 && t->slot < 32) {
                                if (value >= 0)
                                        t->other_slots |= 1u << t->slot;
                                else
                                        t->other_slots &= ~(1u << t->slot);
                        }
                        break;
                case ABS_MT_POSITION_X:
                        if (t->mt_only && t->slot == 0) {
                                t->x = value;
                                t->have_x = true;
                        }
                        break;
                case ABS_MT_POSITION_Y:
                        if (t->mt_only && t->slot == 0) {
                                t->y = value;
                                t->have_y = true;
                        }
                        break;
                }
                return 0;
        default:
                return 0;
        }
}
