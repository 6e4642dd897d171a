/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The hardware report: what the machine shows kexec-loader (the H screen and `list --json`'s
 * "hardware"), so that a user can say what their PC has when something is missing.
 *
 * struct hw_report is a pure model: filled by small readers over a sysfs root
 * (hardware_scan(), hardware-scan.c: /sys/class/drm, /sys/class/graphics, /sys/class/input,
 * /sys/block, /sys/firmware/efi, /sys/kernel/security/lockdown), rendered to JSON and to screen
 * lines by pure code here. Every list is bounded (HW_MAX_ITEMS) and every file read is small. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/json.h"

#define HW_MAX_ITEMS 64 /* displays, input devices, disks: at most this many each */

struct hw_display {
        char *name;    /* "card0-HDMI-A-1" (a DRM connector), "fb0" (a framebuffer) */
        char *driver;  /* "i915", "bochs-drm", "efi-framebuffer", or NULL */
        char *monitor; /* the EDID's monitor name, or NULL */
        char *status;  /* DRM: "connected", "disconnected", "unknown"; NULL for a framebuffer */
        bool fbdev;
        int pref_w, pref_h; /* preferred (native) mode: 0 when unknown */
        int cur_w, cur_h;   /* the mode shown: 0 when unknown (not ours, or not shown) */
        int mm_w, mm_h;     /* physical size from EDID/DRM: 0 when unknown */
        unsigned n_modes;   /* modes the connector offers */
        int scale;          /* the menu's scale on it, percent; 0: not shown on it */
};

enum hw_input_kind {
        HW_INPUT_KEYBOARD = 1 << 0,
        HW_INPUT_MOUSE = 1 << 1,
        HW_INPUT_TOUCHPAD = 1 << 2,
        HW_INPUT_TOUCHSCREEN = 1 << 3,
        HW_INPUT_TABLET = 1 << 4,  /* absolute pointer: pen tablets, QEMU's usb-tablet */
        HW_INPUT_BUTTONS = 1 << 5, /* power, volume, lid switch */
};

struct hw_input {
        char *node;     /* "event3" */
        char *name;     /* "AT Translated Set 2 keyboard" */
        unsigned kinds; /* HW_INPUT_* */
        char *bus;      /* "usb", "ps2", "i2c", … or NULL when unknown */
};

struct hw_disk {
        char *name;    /* "nvme0n1" */
        char *model;   /* "Samsung SSD 980", or NULL */
        uint64_t size; /* bytes */
        bool removable;
        char *bus;      /* "nvme", "ahci", "uas", "usb-storage", "virtio", "mmc", … or NULL */
        char **drivers; /* the drivers from the disk up to its controller: "sd", "ahci" */
};

enum hw_firmware {
        HW_FIRMWARE_UNKNOWN,
        HW_FIRMWARE_BIOS,
        HW_FIRMWARE_UEFI,
};

struct hw_report {
        struct hw_display *displays;
        size_t n_displays, cap_displays;
        struct hw_input *inputs;
        size_t n_inputs, cap_inputs;
        struct hw_disk *disks;
        size_t n_disks, cap_disks;
        enum hw_firmware firmware;
        int efi_bits;    /* 64 or 32 (the UEFI's word size), 0 when unknown */
        int secure_boot; /* 1 on, 0 off, -1 unknown (no efivarfs) */
        int setup_mode;  /* 1 in setup mode (no platform key), 0 not, -1 unknown */
        char *lockdown;  /* "none", "integrity", "confidentiality", or NULL when unknown */
};

void hw_report_done(struct hw_report *r);

/* Fills r from the sysfs tree at sys_root ("/sys", or a fake tree in tests). Never fails for
 * missing parts: what cannot be read stays unknown. Returns 0 or -ENOMEM. */
int hardware_scan(const char *sys_root, struct hw_report *r);

/* The "hardware" object of `list --json`. */
void hw_report_to_json(const struct hw_report *r, struct json *j);
/* The H screen: lines of text (NULL-terminated strv; headers are the lines for which
 * is_header(i) is true: pass NULL when not needed). */
char **hw_report_lines(const struct hw_report *r, bool **ret_headers);

/* ---- small pure helpers (unit-tested) ---- */

/* EDID (128 bytes at least, header checked): the first detailed timing (the preferred mode) and
 * the physical size (the detailed timing's mm, else the base block's cm), the monitor name.
 * Returns 0 or -EINVAL. Fields not found are 0 / empty. */
struct hw_edid {
        int pref_w, pref_h, mm_w, mm_h;
        char monitor[14];
};
int hw_edid_parse(const uint8_t *b, size_t n, struct hw_edid *ret);

/* The kinds of an evdev device from its sysfs capability bitmaps (the text of
 * capabilities/ev, key, rel, abs and properties: hex words, most significant first). */
unsigned hw_input_classify(const char *ev, const char *key, const char *rel, const char *abs,
                           const char *props);
/* "keyboard, touchpad" (a static buffer is not used: writes into buf). */
const char *hw_input_kinds_text(unsigned kinds, char *buf, size_t len);

/* The bus of a disk from its driver chain (nearest first): "ahci", "nvme", "uas", … or NULL. */
const char *hw_disk_bus(char *const *drivers);

/* The lockdown mode from /sys/kernel/security/lockdown ("none [integrity] confidentiality"):
 * the bracketed word, or NULL. Returns a pointer into a static string. */
const char *hw_lockdown_parse(const char *text);
