/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The hardware report's pure parts: EDID, evdev capability bitmaps, the bus of a disk, the
 * lockdown file, and the report as JSON and as screen lines. */
#include "hardware.h"

#include <ctype.h>
#include <stdarg.h>

#include "../core/util.h"
#include "../theme/theme.h"

void hw_report_done(struct hw_report *r)
{
        for (size_t i = 0; i < r->n_displays; i++) {
                free(r->displays[i].name);
                free(r->displays[i].driver);
                free(r->displays[i].monitor);
                free(r->displays[i].status);
        }
        for (size_t i = 0; i < r->n_inputs; i++) {
                free(r->inputs[i].node);
                free(r->inputs[i].name);
                free(r->inputs[i].bus);
        }
        for (size_t i = 0; i < r->n_disks; i++) {
                free(r->disks[i].name);
                free(r->disks[i].model);
                free(r->disks[i].bus);
                strv_free(r->disks[i].drivers);
        }
        free(r->displays);
        free(r->inputs);
        free(r->disks);
        free(r->lockdown);
        *r = (struct hw_report){0};
}

/* ---- EDID ---- */

int hw_edid_parse(const uint8_t *b, size_t n, struct hw_edid *ret)
{
        static const uint8_t header[8] = {0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00};

        *ret = (struct hw_edid){0};
        if (!b || n < 128 || memcmp(b, header, sizeof(header)) != 0)
                return -EINVAL;
        /* the base block's size in cm (0 for projectors, or an aspect ratio when byte 22 is 0) */
        if (b[21] > 0 && b[22] > 0) {
                ret->mm_w = b[21] * 10;
                ret->mm_h = b[22] * 10;
        }
        for (size_t d = 54; d + 18 <= 126; d += 18) {
                const uint8_t *t = b + d;

                if (t[0] == 0 && t[1] == 0) {
                        /* a display descriptor: 0xfc is the monitor name */
                        if (t[3] == 0xfc && !ret->monitor[0]) {
                                size_t k = 0;

                                for (; k < 13 && t[5 + k] != '\n' && t[5 + k] != 0; k++)
                                        ret->monitor[k] = isprint(t[5 + k]) ? (char) t[5 + k] : '?';
                                ret->monitor[k] = 0;
                                util_strip_trailing(ret->monitor);
                        }
                        continue;
                }
                if (ret->pref_w)
                        continue; /* only the first detailed timing is the preferred mode */
                ret->pref_w = t[2] | (t[4] >> 4) << 8;
                ret->pref_h = t[5] | (t[7] >> 4) << 8;
                int w = t[12] | (t[14] >> 4) << 8, h = t[13] | (t[14] & 0x0f) << 8;
                if (w > 0 && h > 0) {
                        ret->mm_w = w;
                        ret->mm_h = h;
                }
        }
        return 0;
}

/* ---- evdev capabilities ---- */

/* Bit `bit` of a sysfs bitmap: hex words of 64 bits (the kernel's long), most significant first,
 * separated by spaces. */
static bool bitmap_test(const char *text, unsigned bit)
{
        const char *words[64];
        size_t n = 0;
        const char *p = text;

        if (!text)
                return false;
        while (*p && n < 64) {
                while (*p == ' ' || *p == '\n')
                        p++;
                if (!*p)
                        break;
                words[n++] = p;
                while (*p && *p != ' ' && *p != '\n')
                        p++;
        }
        size_t idx = bit / 64;
        if (idx >= n)
                return false;
        const char *w = words[n - 1 - idx];
        size_t len = 0;
        while (isxdigit((unsigned char) w[len]))
                len++;
        /* nibble (bit % 64) / 4 counted from the right end of the word */
        size_t nib = (bit % 64) / 4;
        if (nib >= len)
                return false;
        char c = w[len - 1 - nib];
        return (unsigned) util_hexval(c) & (1u << (bit % 4));
}

enum {
        EVB_KEY = 0x01,
        EVB_REL = 0x02,
        EVB_ABS = 0x03,
        EVB_SW = 0x05,
        K_ESC = 1,
        K_ENTER = 28,
        K_A = 30,
        K_Z = 44,
        K_VOLUMEDOWN = 114,
        K_VOLUMEUP = 115,
        K_POWER = 116,
        K_SLEEP = 142,
        BTN_LEFT_ = 0x110,
        BTN_TOOL_PEN_ = 0x140,
        BTN_TOOL_FINGER_ = 0x145,
        BTN_TOUCH_ = 0x14a,
        R_X = 0x00,
        A_X = 0x00,
        A_MT_X = 0x35,
        PROP_POINTER = 0x00,
        PROP_DIRECT = 0x01,
};

unsigned hw_input_classify(const char *ev, const char *key, const char *rel, const char *abs,
                           const char *props)
{
        unsigned k = 0;
        bool has_key = bitmap_test(ev, EVB_KEY), has_abs = bitmap_test(ev, EVB_ABS);
        bool abs_xy = has_abs && (bitmap_test(abs, A_X) || bitmap_test(abs, A_MT_X));

        if (has_key && bitmap_test(key, K_A) && bitmap_test(key, K_Z) &&
            bitmap_test(key, K_ENTER) && bitmap_test(key, K_ESC))
                k |= HW_INPUT_KEYBOARD;
        if (bitmap_test(ev, EVB_REL) && bitmap_test(rel, R_X) && bitmap_test(key, BTN_LEFT_))
                k |= HW_INPUT_MOUSE;
        if (abs_xy) {
                if (bitmap_test(props, PROP_DIRECT))
                        k |= HW_INPUT_TOUCHSCREEN;
                else if (bitmap_test(props, PROP_POINTER) || bitmap_test(key, BTN_TOOL_FINGER_))
                        k |= HW_INPUT_TOUCHPAD;
                else if (bitmap_test(key, BTN_TOUCH_) && !bitmap_test(key, BTN_TOOL_PEN_) &&
                         !bitmap_test(key, BTN_LEFT_))
                        k |= HW_INPUT_TOUCHSCREEN; /* old touch screens without properties */
                else if (bitmap_test(key, BTN_LEFT_) || bitmap_test(key, BTN_TOOL_PEN_) ||
                         bitmap_test(key, BTN_TOUCH_))
                        k |= HW_INPUT_TABLET;
        }
        if ((has_key && !(k & HW_INPUT_KEYBOARD) &&
             (bitmap_test(key, K_POWER) || bitmap_test(key, K_SLEEP) ||
              bitmap_test(key, K_VOLUMEUP) || bitmap_test(key, K_VOLUMEDOWN))) ||
            bitmap_test(ev, EVB_SW))
                k |= HW_INPUT_BUTTONS;
        return k;
}

static const char *const input_kind_names[] = {
        "keyboard", "mouse", "touchpad", "touchscreen", "tablet", "buttons",
};

const char *hw_input_kinds_text(unsigned kinds, char *buf, size_t len)
{
        size_t at = 0;

        if (len == 0)
                return "";
        buf[0] = 0;
        for (size_t i = 0; i < ARRAY_SIZE(input_kind_names); i++) {
                if (!(kinds & (1u << i)))
                        continue;
                int n = snprintf(buf + at, len - at, "%s%s", at ? ", " : "", input_kind_names[i]);
                if (n < 0 || (size_t) n >= len - at)
                        break;
                at += (size_t) n;
        }
        if (!buf[0])
                snprintf(buf, len, "other");
        return buf;
}

/* ---- disks ---- */

/* A driver in the chain from a disk to its controller, and the bus it stands for. The nearest
 * driver that is in the table names the bus (sd -> uas -> usb -> xhci_hcd: "uas"). */
static const struct {
        const char *driver, *bus;
} disk_buses[] = {
        {"nvme", "nvme"},
        {"vmd", "nvme"},
        {"ahci", "ahci"},
        {"uas", "uas"},
        {"usb-storage", "usb-storage"},
        {"virtio_blk", "virtio"},
        {"virtio_scsi", "virtio-scsi"},
        {"mmcblk", "mmc"},
        {"ata_piix", "ata"},
        {"ata_generic", "ata"},
        {"pata_acpi", "ata"},
        {"sata_nv", "ata"},
        {"megaraid_sas", "raid"},
        {"xen_blkfront", "xen"},
        {"vhci_hcd", "usbip"},
};

const char *hw_disk_bus(char *const *drivers)
{
        strv_foreach (d, drivers)
                for (size_t i = 0; i < ARRAY_SIZE(disk_buses); i++)
                        if (streq(d, disk_buses[i].driver))
                                return disk_buses[i].bus;
        return NULL;
}

/* ---- lockdown ---- */

const char *hw_lockdown_parse(const char *text)
{
        static const char *const modes[] = {"none", "integrity", "confidentiality"};
        const char *open = text ? strchr(text, '[') : NULL;

        if (!open)
                return NULL;
        for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
                size_t n = strlen(modes[i]);
                if (strncmp(open + 1, modes[i], n) == 0 && open[1 + n] == ']')
                        return modes[i];
        }
        return NULL;
}

/* ---- output ---- */

static const char *firmware_name(enum hw_firmware f)
{
        return f == HW_FIRMWARE_UEFI ? "UEFI" : f == HW_FIRMWARE_BIOS ? "BIOS" : NULL;
}

static int display_dpi(const struct hw_display *d)
{
        int w = d->cur_w ? d->cur_w : d->pref_w;

        return w > 0 && d->mm_w > 0 ? (int) ((w * 254LL + d->mm_w * 5LL) / (d->mm_w * 10LL)) : 0;
}

/* The scale the display would get: the one it is shown at, else the DPI rule's. */
static int display_scale(const struct hw_display *d)
{
        int w = d->cur_w ? d->cur_w : d->pref_w, h = d->cur_w ? d->cur_h : d->pref_h;

        if (d->scale > 0)
                return d->scale;
        return theme_display_scale(w, h, d->mm_w, d->mm_h);
}

static void json_int_or_null(struct json *j, const char *key, long long v)
{
        json_key(j, key);
        if (v > 0)
                json_int(j, v);
        else
                json_null(j);
}

static void json_mode(struct json *j, const char *key, int w, int h)
{
        json_key(j, key);
        if (w > 0 && h > 0) {
                char buf[32];

                snprintf(buf, sizeof(buf), "%dx%d", w, h);
                json_string(j, buf);
        } else
                json_null(j);
}

static void json_tristate(struct json *j, const char *key, int v)
{
        json_key(j, key);
        if (v < 0)
                json_null(j);
        else
                json_bool(j, v > 0);
}

void hw_report_to_json(const struct hw_report *r, struct json *j)
{
        json_begin_object(j);
        json_field_string(j, "firmware", firmware_name(r->firmware));
        json_int_or_null(j, "efi_bits", r->efi_bits);
        json_tristate(j, "secure_boot", r->secure_boot);
        json_tristate(j, "setup_mode", r->setup_mode);
        json_field_string(j, "lockdown", r->lockdown);

        json_key(j, "displays");
        json_begin_array(j);
        for (size_t i = 0; i < r->n_displays; i++) {
                const struct hw_display *d = &r->displays[i];

                json_begin_object(j);
                json_field_string(j, "name", d->name);
                json_field_string(j, "kind", d->fbdev ? "fbdev" : "drm");
                json_field_string(j, "driver", d->driver);
                json_field_string(j, "status", d->status);
                json_field_string(j, "monitor", d->monitor);
                json_mode(j, "preferred_mode", d->pref_w, d->pref_h);
                json_mode(j, "current_mode", d->cur_w, d->cur_h);
                json_field_int(j, "modes", d->n_modes);
                json_int_or_null(j, "width_mm", d->mm_w);
                json_int_or_null(j, "height_mm", d->mm_h);
                json_int_or_null(j, "dpi", display_dpi(d));
                json_field_int(j, "scale_percent", display_scale(d));
                json_field_bool(j, "shown", d->scale > 0);
                json_end_object(j);
        }
        json_end_array(j);

        json_key(j, "input");
        json_begin_array(j);
        for (size_t i = 0; i < r->n_inputs; i++) {
                const struct hw_input *in = &r->inputs[i];

                json_begin_object(j);
                json_field_string(j, "node", in->node);
                json_field_string(j, "name", in->name);
                json_field_string(j, "bus", in->bus);
                json_key(j, "kinds");
                json_begin_array(j);
                for (size_t k = 0; k < ARRAY_SIZE(input_kind_names); k++)
                        if (in->kinds & (1u << k))
                                json_string(j, input_kind_names[k]);
                json_end_array(j);
                json_end_object(j);
        }
        json_end_array(j);

        json_key(j, "disks");
        json_begin_array(j);
        for (size_t i = 0; i < r->n_disks; i++) {
                const struct hw_disk *d = &r->disks[i];

                json_begin_object(j);
                json_field_string(j, "name", d->name);
                json_field_string(j, "model", d->model);
                json_field_int(j, "size", (long long) d->size);
                json_field_bool(j, "removable", d->removable);
                json_field_string(j, "bus", d->bus);
                json_field_strv(j, "drivers", d->drivers);
                json_end_object(j);
        }
        json_end_array(j);
        json_end_object(j);
}

struct out {
        char **lines;
        bool *headers;
        size_t n;
        bool oom;
};

static void out_line(struct out *o, bool header, const char *fmt, ...) _printf_(3, 4);
static void out_line(struct out *o, bool header, const char *fmt, ...)
{
        va_list ap;
        char *s = NULL;
        bool *h;

        if (o->oom)
                return;
        va_start(ap, fmt);
        s = util_vasprintf(fmt, ap);
        va_end(ap);
        h = s ? realloc(o->headers, (o->n + 1) * sizeof(bool)) : NULL;
        if (!h || strv_consume(&o->lines, util_strip_trailing(s)) < 0) {
                if (!h)
                        free(s);
                o->oom = true;
                return;
        }
        o->headers = h;
        o->headers[o->n++] = header;
}

static const char *tristate_text(int v, const char *on, const char *off)
{
        return v < 0 ? "unknown" : v ? on : off;
}

char **hw_report_lines(const struct hw_report *r, bool **ret_headers)
{
        struct out o = {0};
        char a[32], b[32], size[32];

        out_line(&o, true, "Firmware");
        out_line(&o, false, "  Mode: %s%s", firmware_name(r->firmware) ?: "unknown",
                 r->firmware == HW_FIRMWARE_UEFI && r->efi_bits
                         ? (r->efi_bits == 32 ? " (32-bit)" : " (64-bit)")
                         : "");
        if (r->firmware == HW_FIRMWARE_UEFI)
                out_line(&o, false, "  Secure Boot: %s%s",
                         r->secure_boot < 0 ? "unknown (no efivarfs)"
                                            : tristate_text(r->secure_boot, "on", "off"),
                         r->setup_mode > 0 ? " (setup mode)" : "");
        else
                out_line(&o, false, "  Secure Boot: none (not UEFI)");
        out_line(&o, false, "  Lockdown: %s", r->lockdown ? r->lockdown : "unknown");

        out_line(&o, true, "Displays");
        if (r->n_displays == 0)
                out_line(&o, false, "  none found");
        for (size_t i = 0; i < r->n_displays; i++) {
                const struct hw_display *d = &r->displays[i];
                int dpi = display_dpi(d);

                snprintf(a, sizeof(a), "%dx%d", d->pref_w, d->pref_h);
                snprintf(b, sizeof(b), "%dx%d", d->cur_w, d->cur_h);
                out_line(&o, false, "  %s  %s%s%s  driver %s", d->name,
                         d->status ? d->status : "framebuffer", d->monitor ? "  " : "",
                         d->monitor ? d->monitor : "", d->driver ? d->driver : "-");
                if (d->status && !streq(d->status, "connected"))
                        continue;
                out_line(&o, false, "    mode %s, native %s, %u mode%s", d->cur_w ? b : "-",
                         d->pref_w ? a : "-", d->n_modes, d->n_modes == 1 ? "" : "s");
                if (d->mm_w > 0 && d->mm_h > 0)
                        out_line(&o, false, "    %d x %d mm, %d dpi, scale %d%%%s", d->mm_w,
                                 d->mm_h, dpi, display_scale(d),
                                 d->scale > 0 ? " (menu shown)" : "");
                else
                        out_line(&o, false, "    size unknown, scale %d%%%s", display_scale(d),
                                 d->scale > 0 ? " (menu shown)" : "");
        }

        out_line(&o, true, "Input devices");
        if (r->n_inputs == 0)
                out_line(&o, false, "  none found");
        for (size_t i = 0; i < r->n_inputs; i++) {
                const struct hw_input *in = &r->inputs[i];

                out_line(&o, false, "  %-8s %s (%s%s%s)", in->node, in->name ? in->name : "?",
                         hw_input_kinds_text(in->kinds, a, sizeof(a)), in->bus ? ", " : "",
                         in->bus ? in->bus : "");
        }

        out_line(&o, true, "Disks");
        if (r->n_disks == 0)
                out_line(&o, false, "  none found");
        for (size_t i = 0; i < r->n_disks; i++) {
                const struct hw_disk *d = &r->disks[i];
                _cleanup_free_ char *chain = strv_join(d->drivers, " < ");

                util_format_size(d->size, size, sizeof(size));
                out_line(&o, false, "  %-8s %10s  %-11s %s%s%s%s", d->name, size,
                         d->bus ? d->bus : "-", chain && *chain ? chain : "no driver",
                         d->removable ? ", removable" : "", d->model ? ", " : "",
                         d->model ? d->model : "");
        }
        if (o.oom) {
                strv_free(o.lines);
                free(o.headers);
                return NULL;
        }
        if (!o.lines)
                o.lines = calloc(1, sizeof(char *));
        if (ret_headers)
                *ret_headers = o.headers;
        else
                free(o.headers);
        return o.lines;
}
