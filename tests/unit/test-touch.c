/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include "input/touch.h"

#include <linux/input.h>

/* The capabilities of real devices, as evtest lists them. */
static const struct input_caps qemu_usb_tablet = {.abs_xy = true, .btn_left = true};
static const struct input_caps hid_multitouch_screen = {
        .abs_xy = true,
        .abs_mt_xy = true,
        .btn_touch = true,
        .btn_tool_finger = true,
        .prop_direct = true,
};
static const struct input_caps goodix_screen = {
        .abs_xy = true, .abs_mt_xy = true, .btn_touch = true, .prop_direct = true};
static const struct input_caps touchpad = {
        .abs_xy = true,
        .abs_mt_xy = true,
        .btn_touch = true,
        .btn_left = true,
        .btn_tool_finger = true,
};
static const struct input_caps wacom_pen_tablet = {.abs_xy = true, .btn_touch = true};
static const struct input_caps at_keyboard = {
        .key_enter = true, .key_a = true, .key_up = true, .key_volume = true, .key_power = true};
static const struct input_caps acpi_power_button = {.key_power = true};
static const struct input_caps soc_volume_buttons = {.key_volume = true};
static const struct input_caps usb_mouse = {.btn_left = true};
static const struct input_caps joystick = {.abs_xy = true};
static const struct input_caps accelerometer = {
        .abs_xy = true, .btn_touch = true, .prop_accelerometer = true};
static const struct input_caps remote = {.key_enter = true, .key_up = true, .key_volume = true};

TEST(classify_real_devices)
{
        CHECK_INTEQ(input_classify(&qemu_usb_tablet), INPUT_KIND_TABLET);
        CHECK_INTEQ(input_classify(&hid_multitouch_screen), INPUT_KIND_TOUCHSCREEN);
        CHECK_INTEQ(input_classify(&goodix_screen), INPUT_KIND_TOUCHSCREEN);
        CHECK_INTEQ(input_classify(&touchpad), INPUT_KIND_TOUCHPAD);
        CHECK_INTEQ(input_classify(&wacom_pen_tablet), INPUT_KIND_TABLET);
        CHECK_INTEQ(input_classify(&at_keyboard), INPUT_KIND_KEYBOARD);
        CHECK_INTEQ(input_classify(&acpi_power_button), INPUT_KIND_BUTTONS);
        CHECK_INTEQ(input_classify(&soc_volume_buttons), INPUT_KIND_BUTTONS);
        CHECK_INTEQ(input_classify(&remote), INPUT_KIND_KEYBOARD);
        CHECK_INTEQ(input_classify(&usb_mouse), 0);
        CHECK_INTEQ(input_classify(&joystick), 0);
        CHECK_INTEQ(input_classify(&accelerometer), 0);

        /* A keyboard with a touch pad in one device (some detachable covers) is both. */
        struct input_caps combo = touchpad;
        combo.key_enter = combo.key_a = true;
        CHECK_INTEQ(input_classify(&combo), INPUT_KIND_KEYBOARD | INPUT_KIND_TOUCHPAD);
}

TEST(names)
{
        CHECK_STREQ(input_kind_name(INPUT_KIND_KEYBOARD), "keyboard");
        CHECK_STREQ(input_kind_name(INPUT_KIND_KEYBOARD | INPUT_KIND_TOUCHPAD), "keyboard");
        CHECK_STREQ(input_kind_name(INPUT_KIND_TOUCHSCREEN), "touchscreen");
        CHECK_STREQ(input_kind_name(INPUT_KIND_TABLET), "tablet");
        CHECK_STREQ(input_kind_name(INPUT_KIND_BUTTONS), "buttons");
        CHECK_STREQ(input_kind_name(INPUT_KIND_TOUCHPAD), "touchpad");
        CHECK_STREQ(input_kind_name(0), "other");
        CHECK_STREQ(input_bus_name(BUS_USB), "usb");
        CHECK_STREQ(input_bus_name(BUS_I8042), "ps2");
        CHECK_STREQ(input_bus_name(BUS_I2C), "i2c");
        CHECK_STREQ(input_bus_name(BUS_HOST), "platform");
        CHECK_STREQ(input_bus_name(BUS_VIRTUAL), "virtual");
        CHECK_STREQ(input_bus_name(0xffff), "other");
}

TEST(power_is_enter_on_tablets_only)
{
        CHECK(input_power_is_enter(0, 1));  /* a tablet: volume buttons, no keyboard */
        CHECK(!input_power_is_enter(1, 1)); /* its keyboard cover attached */
        CHECK(!input_power_is_enter(0, 0)); /* a PC without a keyboard: power stays power */
        CHECK(!input_power_is_enter(2, 0));
}

struct ev {
        unsigned type, code;
        int value;
};

#define SYN                           \
        {                             \
                EV_SYN, SYN_REPORT, 0 \
        }

/* Feeds the events; returns how many taps they gave, the last one in *tap. */
static int feed(struct touch_decoder *t, const struct ev *evs, size_t n, struct touch_tap *tap)
{
        int taps = 0;

        for (size_t i = 0; i < n; i++) {
                struct touch_tap got;

                if (touch_decoder_event(t, evs[i].type, evs[i].code, evs[i].value, &got) == 1) {
                        taps++;
                        *tap = got;
                }
        }
        return taps;
}

#define FEED(t, evs, tap) feed((t), (evs), sizeof(evs) / sizeof((evs)[0]), (tap))

static void qemu_tablet(struct touch_decoder *t)
{
        /* QEMU's usb-tablet: 0..32767 on both axes, no resolution. */
        const struct touch_axis a = {0, 32767, 0};

        touch_decoder_init(t, &a, &a, false);
}

TEST(tablet_click_is_a_tap)
{
        struct touch_decoder t;
        struct touch_tap tap = {0};
        /* QMP input-send-event: the pointer moves there, the button goes down, then up. */
        static const struct ev click[] = {
                {EV_ABS, ABS_X, 8192},
                {EV_ABS, ABS_Y, 24576},
                SYN,
                {EV_KEY, BTN_LEFT, 1},
                SYN,
                {EV_KEY, BTN_LEFT, 0},
                SYN,
        };

        qemu_tablet(&t);
        CHECK_INTEQ(FEED(&t, click, &tap), 1);
        /* 8192/32767 and 24576/32767 of the way */
        CHECK_INTEQ(tap.x, 8192ull * TOUCH_UNIT / 32767);
        CHECK_INTEQ(tap.y, 24576ull * TOUCH_UNIT / 32767);
        /* The same click again: a second tap. */
        CHECK_INTEQ(FEED(&t, click, &tap), 1);
}

TEST(position_and_button_in_one_frame)
{
        struct touch_decoder t;
        struct touch_tap tap = {0};
        static const struct ev evs[] = {
                {EV_ABS, ABS_X, 32767}, {EV_ABS, ABS_Y, 0},
                {EV_KEY, BTN_LEFT, 1},  SYN,
                {EV_KEY, BTN_LEFT, 0},  SYN,
        };

        qemu_tablet(&t);
        CHECK_INTEQ(FEED(&t, evs, &tap), 1);
        CHECK_INTEQ(tap.x, TOUCH_UNIT);
        CHECK_INTEQ(tap.y, 0);
}

TEST(drag_is_no_tap)
{
        struct touch_decoder t;
        struct touch_tap tap = {0};
        /* slop: 32767/25 = 1310 units */
        static const struct ev drag[] = {
                {EV_ABS, ABS_X, 10000}, {EV_ABS, ABS_Y, 10000},
                {EV_KEY, BTN_LEFT, 1},  SYN,
                {EV_ABS, ABS_Y, 11000}, SYN, /* within the slop */
                {EV_ABS, ABS_Y, 12000}, SYN, /* beyond it */
                {EV_ABS, ABS_Y, 10000}, SYN, /* back: still a drag */
                {EV_KEY, BTN_LEFT, 0},  SYN,
        };
        static const struct ev wobble[] = {
                {EV_ABS, ABS_X, 20000},
                {EV_KEY, BTN_LEFT, 1},
                SYN,
                {EV_ABS, ABS_X, 21000},
                {EV_ABS, ABS_Y, 9000},
                SYN,
                {EV_KEY, BTN_LEFT, 0},
                SYN,
        };

        qemu_tablet(&t);
        CHECK_INTEQ(FEED(&t, drag, &tap), 0);
        /* Moving within the slop: a tap where the touch began. */
        CHECK_INTEQ(FEED(&t, wobble, &tap), 1);
        CHECK_INTEQ(tap.x, 20000ull * TOUCH_UNIT / 32767);
        CHECK_INTEQ(tap.y, 10000ull * TOUCH_UNIT / 32767);
}

TEST(touchscreen_with_resolution_and_second_finger)
{
        struct touch_decoder t;
        struct touch_tap tap = {0};
        /* A 10" panel: 0..4095 over ~220 mm, 18 units per mm: the slop is 90 units. */
        const struct touch_axis x = {0, 4095, 18}, y = {0, 2559, 18};
        static const struct ev one[] = {
                {EV_ABS, ABS_MT_SLOT, 0},
                {EV_ABS, ABS_MT_TRACKING_ID, 7},
                {EV_ABS, ABS_MT_POSITION_X, 1000},
                {EV_ABS, ABS_MT_POSITION_Y, 500},
                {EV_KEY, BTN_TOUCH, 1},
                {EV_ABS, ABS_X, 1000},
                {EV_ABS, ABS_Y, 500},
                SYN,
                {EV_ABS, ABS_MT_TRACKING_ID, -1},
                {EV_KEY, BTN_TOUCH, 0},
                SYN,
        };
        static const struct ev moved[] = {
                {EV_ABS, ABS_X, 2000},
                {EV_KEY, BTN_TOUCH, 1},
                SYN,
                {EV_ABS, ABS_X, 2100},
                SYN,
                {EV_KEY, BTN_TOUCH, 0},
                SYN,
        };
        static const struct ev two[] = {
                {EV_ABS, ABS_MT_SLOT, 0},
                {EV_ABS, ABS_MT_TRACKING_ID, 8},
                {EV_KEY, BTN_TOUCH, 1},
                {EV_ABS, ABS_X, 3000},
                SYN,
                {EV_ABS, ABS_MT_SLOT, 1},
                {EV_ABS, ABS_MT_TRACKING_ID, 9},
                SYN,
                {EV_ABS, ABS_MT_TRACKING_ID, -1},
                SYN,
                {EV_ABS, ABS_MT_SLOT, 0},
                {EV_ABS, ABS_MT_TRACKING_ID, -1},
                {EV_KEY, BTN_TOUCH, 0},
                SYN,
        };

        touch_decoder_init(&t, &x, &y, false);
        CHECK_INTEQ(t.slop_x, 90);
        CHECK_INTEQ(FEED(&t, one, &tap), 1);
        CHECK_INTEQ(tap.x, 1000ull * TOUCH_UNIT / 4095);
        CHECK_INTEQ(tap.y, 500ull * TOUCH_UNIT / 2559);
        CHECK_INTEQ(FEED(&t, moved, &tap), 0); /* 100 units: more than 5 mm */
        CHECK_INTEQ(FEED(&t, two, &tap), 0);   /* a second finger came and went */
        CHECK_INTEQ(FEED(&t, one, &tap), 1);   /* and the next single touch is a tap again */
}

TEST(multitouch_only_positions)
{
        struct touch_decoder t;
        struct touch_tap tap = {0};
        const struct touch_axis a = {100, 1100, 0};
        static const struct ev evs[] = {
                {EV_ABS, ABS_MT_TRACKING_ID, 1},
                {EV_ABS, ABS_MT_POSITION_X, 600},
                {EV_ABS, ABS_MT_POSITION_Y, 50}, /* below the minimum: clamped */
                {EV_KEY, BTN_TOUCH, 1},
                SYN,
                {EV_ABS, ABS_MT_TRACKING_ID, -1},
                {EV_KEY, BTN_TOUCH, 0},
                SYN,
        };

        touch_decoder_init(&t, &a, &a, true);
        CHECK_INTEQ(FEED(&t, evs, &tap), 1);
        CHECK_INTEQ(tap.x, TOUCH_UNIT / 2);
        CHECK_INTEQ(tap.y, 0);
}

TEST(no_position_no_tap)
{
        struct touch_decoder t;
        struct touch_tap tap = {0};
        static const struct ev evs[] = {{EV_KEY, BTN_TOUCH, 1}, SYN, {EV_KEY, BTN_TOUCH, 0}, SYN};
        static const struct ev three_fingers[] = {
                {EV_ABS, ABS_X, 5},
                {EV_KEY, BTN_TOUCH, 1},
                {EV_KEY, BTN_TOOL_TRIPLETAP, 1},
                SYN,
                {EV_KEY, BTN_TOOL_TRIPLETAP, 0},
                {EV_KEY, BTN_TOUCH, 0},
                SYN,
        };

        qemu_tablet(&t);
        CHECK_INTEQ(FEED(&t, evs, &tap), 0);
        CHECK_INTEQ(FEED(&t, three_fingers, &tap), 0);
}

TEST(events_lost)
{
        struct touch_decoder t;
        struct touch_tap tap = {0};
        static const struct ev down[] = {
                {EV_ABS, ABS_X, 100}, {EV_ABS, ABS_Y, 100}, {EV_KEY, BTN_LEFT, 1}, SYN};
        static const struct ev up[] = {{EV_KEY, BTN_LEFT, 0}, SYN};

        qemu_tablet(&t);
        CHECK_INTEQ(FEED(&t, down, &tap), 0);
        touch_decoder_reset(&t); /* SYN_DROPPED */
        CHECK_INTEQ(FEED(&t, up, &tap), 0);
        /* Lost while down, and the replay says it is still down: the up ends no tap either. */
        CHECK_INTEQ(FEED(&t, down, &tap), 0);
        touch_decoder_reset(&t);
        CHECK_INTEQ(FEED(&t, down, &tap), 0);
        CHECK_INTEQ(FEED(&t, up, &tap), 0);
        /* A whole touch after that is a tap. */
        CHECK_INTEQ(FEED(&t, down, &tap), 0);
        CHECK_INTEQ(FEED(&t, up, &tap), 1);
}

TEST(empty_range)
{
        struct touch_decoder t;
        struct touch_tap tap = {0};
        const struct touch_axis a = {5, 5, 0};
        static const struct ev evs[] = {
                {EV_ABS, ABS_X, 5},    {EV_ABS, ABS_Y, 5},
                {EV_KEY, BTN_LEFT, 1}, SYN,
                {EV_KEY, BTN_LEFT, 0}, SYN,
        };

        touch_decoder_init(&t, &a, &a, false);
        CHECK_INTEQ(FEED(&t, evs, &tap), 1);
        CHECK_INTEQ(tap.x, 0);
}

TEST(swipes)
{
        struct touch_decoder t;
        struct touch_tap tap = {0};
        /* slop 1310 units: a swipe goes more than 3930 up or down */
        static const struct ev up[] = {
                {EV_ABS, ABS_X, 16000},
                {EV_ABS, ABS_Y, 20000},
                {EV_KEY, BTN_LEFT, 1},
                SYN,
                {EV_ABS, ABS_Y, 18000},
                SYN,
                {EV_ABS, ABS_Y, 15000},
                {EV_ABS, ABS_X, 17000},
                SYN,
                {EV_KEY, BTN_LEFT, 0},
                SYN,
        };
        static const struct ev down[] = {
                {EV_ABS, ABS_X, 16000},
                {EV_ABS, ABS_Y, 1000},
                {EV_KEY, BTN_TOUCH, 1},
                SYN,
                {EV_ABS, ABS_Y, 30000},
                {EV_KEY, BTN_TOUCH, 0},
                SYN,
        };
        static const struct ev short_drag[] = {
                {EV_ABS, ABS_Y, 10000},
                {EV_KEY, BTN_LEFT, 1},
                SYN,
                {EV_ABS, ABS_Y, 13000},
                SYN,
                {EV_KEY, BTN_LEFT, 0},
                SYN,
        };
        static const struct ev diagonal[] = {
                {EV_ABS, ABS_X, 1000},
                {EV_ABS, ABS_Y, 1000},
                {EV_KEY, BTN_LEFT, 1},
                SYN,
                {EV_ABS, ABS_X, 20000},
                {EV_ABS, ABS_Y, 10000},
                SYN,
                {EV_KEY, BTN_LEFT, 0},
                SYN,
        };

        qemu_tablet(&t);
        CHECK_INTEQ(FEED(&t, up, &tap), 1);
        CHECK_INTEQ(tap.swipe, -1);
        CHECK_INTEQ(tap.y, 20000ull * TOUCH_UNIT / 32767); /* where it began */
        CHECK_INTEQ(FEED(&t, down, &tap), 1);
        CHECK_INTEQ(tap.swipe, 1);
        CHECK_INTEQ(FEED(&t, short_drag, &tap), 0); /* 3000 units: a drag, no swipe */
        CHECK_INTEQ(FEED(&t, diagonal, &tap), 0);   /* more sideways than down */
        /* A tap after them is a tap. */
        static const struct ev click[] = {{EV_KEY, BTN_LEFT, 1}, SYN, {EV_KEY, BTN_LEFT, 0}, SYN};
        CHECK_INTEQ(FEED(&t, click, &tap), 1);
        CHECK_INTEQ(tap.swipe, 0);
}
