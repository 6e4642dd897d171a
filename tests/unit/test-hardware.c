/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The hardware report: EDID, evdev capabilities, disk buses, lockdown, and hardware_scan() over a
 * fake sysfs tree laid out as the kernel's (relative links into devices/, driver links into
 * bus/.../drivers/), rendered to JSON and to screen lines. */
#include "test.h"

#include <ftw.h>

#include "backend/hardware.h"
#include "core/cmdline.h"

/* A base EDID block: a 3840x2160 detailed timing of 310 x 174 mm, 31 x 17 cm in the header, and
 * the monitor name "Test Panel". */
static void make_edid(uint8_t *b, int w, int h, int mm_w, int mm_h, int cm_w, int cm_h)
{
        static const uint8_t header[8] = {0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00};
        uint8_t *t = b + 54, *n = b + 72;

        memset(b, 0, 128);
        memcpy(b, header, 8);
        b[18] = 1;
        b[19] = 4;
        b[21] = (uint8_t) cm_w;
        b[22] = (uint8_t) cm_h;
        t[0] = 0x1d; /* pixel clock: not 0 */
        t[1] = 0x56;
        t[2] = (uint8_t) (w & 0xff);
        t[4] = (uint8_t) ((w >> 8) << 4);
        t[5] = (uint8_t) (h & 0xff);
        t[7] = (uint8_t) ((h >> 8) << 4);
        t[12] = (uint8_t) (mm_w & 0xff);
        t[13] = (uint8_t) (mm_h & 0xff);
        t[14] = (uint8_t) (((mm_w >> 8) << 4) | (mm_h >> 8));
        n[3] = 0xfc;
        memcpy(n + 5, "Test Panel\n  ", 13);
}

TEST(edid)
{
        uint8_t b[256];
        struct hw_edid e;

        make_edid(b, 3840, 2160, 310, 174, 31, 17);
        REQUIRE(hw_edid_parse(b, 128, &e) == 0);
        CHECK_INTEQ(e.pref_w, 3840);
        CHECK_INTEQ(e.pref_h, 2160);
        CHECK_INTEQ(e.mm_w, 310);
        CHECK_INTEQ(e.mm_h, 174);
        CHECK_STREQ(e.monitor, "Test Panel");
        /* no size in the timing: the header's cm */
        make_edid(b, 1920, 1080, 0, 0, 53, 30);
        REQUIRE(hw_edid_parse(b, 128, &e) == 0);
        CHECK_INTEQ(e.mm_w, 530);
        CHECK_INTEQ(e.mm_h, 300);
        /* a projector: no size at all */
        make_edid(b, 1920, 1080, 0, 0, 0, 0);
        REQUIRE(hw_edid_parse(b, 128, &e) == 0);
        CHECK_INTEQ(e.mm_w, 0);
        CHECK_INTEQ(e.pref_w, 1920);
        /* too short, bad header */
        CHECK(hw_edid_parse(b, 127, &e) < 0);
        b[0] = 1;
        CHECK(hw_edid_parse(b, 128, &e) < 0);
        CHECK(hw_edid_parse(NULL, 0, &e) < 0);
}

static unsigned rnd(unsigned *seed)
{
        *seed = *seed * 1103515245u + 12345u;
        return *seed >> 16;
}

/* Random bytes behind a valid header, and random text as bitmaps: no crash, sane values (ASan and
 * UBSan builds run this too). */
TEST(garbage)
{
        static const char chars[] = " 0123456789abcdefXYZ\n-[]";
        uint8_t b[256];
        char t[5][40];
        unsigned seed = 12345;
        struct hw_edid e;

        for (int round = 0; round < 20000; round++) {
                for (size_t i = 0; i < sizeof(b); i++)
                        b[i] = (uint8_t) rnd(&seed);
                memcpy(b, "\x00\xff\xff\xff\xff\xff\xff\x00", 8);
                REQUIRE(hw_edid_parse(b, 128 + (size_t) (round % 129), &e) == 0);
                CHECK(e.pref_w >= 0 && e.pref_w < 4096 && e.mm_w >= 0 && e.mm_w < 4096);
                CHECK(strlen(e.monitor) < sizeof(e.monitor));
                for (int k = 0; k < 5; k++) {
                        size_t n = rnd(&seed) % (sizeof(t[k]) - 1);

                        for (size_t i = 0; i < n; i++)
                                t[k][i] = chars[rnd(&seed) % (sizeof(chars) - 1)];
                        t[k][n] = 0;
                }
                CHECK(hw_input_classify(t[0], t[1], t[2], t[3], t[4]) < (1u << 6));
                (void) hw_lockdown_parse(t[0]);
        }
}

/* Capability bitmaps as the kernel prints them (from real devices). */
TEST(input_classify)
{
        /* AT Translated Set 2 keyboard */
        const char *kbd_ev = "120013",
                   *kbd_key = "402000000 3803078f800d001 feffffdfffefffff fffffffffffffffe";
        /* ImPS/2 mouse */
        const char *mouse_ev = "7", *mouse_key = "70000 0 0 0 0", *mouse_rel = "103";
        /* QEMU usb-tablet: EV_KEY EV_ABS, BTN_LEFT..MIDDLE, ABS_X ABS_Y */
        const char *tab_ev = "1f", *tab_key = "70000 0 0 0 0", *tab_abs = "3";
        /* a touch screen: INPUT_PROP_DIRECT, ABS_MT_POSITION_X/Y, BTN_TOUCH */
        const char *ts_ev = "b", *ts_key = "400 0 0 0 0 0", *ts_abs = "260800000000003";
        /* a touchpad: INPUT_PROP_POINTER | BUTTONPAD, BTN_TOOL_FINGER */
        const char *tp_ev = "b", *tp_key = "e520 10000 0 0 0 0", *tp_abs = "2e0800000000003";
        /* Power Button */
        const char *pw_ev = "3", *pw_key = "10000000000000 0";
        /* Lid Switch */
        const char *lid_ev = "21";
        char buf[64];

        CHECK_INTEQ(hw_input_classify(kbd_ev, kbd_key, NULL, NULL, "0"), HW_INPUT_KEYBOARD);
        CHECK_INTEQ(hw_input_classify(mouse_ev, mouse_key, mouse_rel, NULL, "0"), HW_INPUT_MOUSE);
        CHECK_INTEQ(hw_input_classify(tab_ev, tab_key, NULL, tab_abs, "0"), HW_INPUT_TABLET);
        CHECK_INTEQ(hw_input_classify(ts_ev, ts_key, NULL, ts_abs, "2"), HW_INPUT_TOUCHSCREEN);
        CHECK_INTEQ(hw_input_classify(tp_ev, tp_key, NULL, tp_abs, "5"), HW_INPUT_TOUCHPAD);
        CHECK_INTEQ(hw_input_classify(pw_ev, pw_key, NULL, NULL, "0"), HW_INPUT_BUTTONS);
        CHECK_INTEQ(hw_input_classify(lid_ev, NULL, NULL, NULL, "0"), HW_INPUT_BUTTONS);
        CHECK_INTEQ(hw_input_classify(NULL, NULL, NULL, NULL, NULL), 0);
        CHECK_INTEQ(hw_input_classify("zz", "  ", "", "g", "-"), 0);
        CHECK_STREQ(hw_input_kinds_text(HW_INPUT_KEYBOARD | HW_INPUT_TOUCHPAD, buf, sizeof(buf)),
                    "keyboard, touchpad");
        CHECK_STREQ(hw_input_kinds_text(0, buf, sizeof(buf)), "other");
}

TEST(disk_bus_and_lockdown)
{
        char *uas[] = {"sd", "uas", "usb", "xhci_hcd", NULL};
        char *ahci[] = {"sd", "ahci", NULL};
        char *nvme[] = {"nvme", NULL};
        char *mmc[] = {"mmcblk", "sdhci-pci", NULL};
        char *none[] = {"sd", NULL};

        CHECK_STREQ(hw_disk_bus(uas), "uas");
        CHECK_STREQ(hw_disk_bus(ahci), "ahci");
        CHECK_STREQ(hw_disk_bus(nvme), "nvme");
        CHECK_STREQ(hw_disk_bus(mmc), "mmc");
        CHECK(hw_disk_bus(none) == NULL);
        CHECK(hw_disk_bus(NULL) == NULL);
        CHECK_STREQ(hw_lockdown_parse("none [integrity] confidentiality\n"), "integrity");
        CHECK_STREQ(hw_lockdown_parse("[none] integrity confidentiality"), "none");
        CHECK(hw_lockdown_parse("none integrity") == NULL);
        CHECK(hw_lockdown_parse("[bogus]") == NULL);
        CHECK(hw_lockdown_parse(NULL) == NULL);
}

TEST(scale_parse)
{
        int s = -1;

        CHECK(cmdline_parse_scale("auto", &s) == 0 && s == 0);
        CHECK(cmdline_parse_scale("2", &s) == 0 && s == 200);
        CHECK(cmdline_parse_scale("1.5", &s) == 0 && s == 150);
        CHECK(cmdline_parse_scale("1.25", &s) == 0 && s == 125);
        CHECK(cmdline_parse_scale("175%", &s) == 0 && s == 175);
        CHECK(cmdline_parse_scale("0.5", &s) == 0 && s == 50);
        CHECK(cmdline_parse_scale("", &s) < 0);
        CHECK(cmdline_parse_scale("5", &s) < 0);
        CHECK(cmdline_parse_scale("1.", &s) < 0);
        CHECK(cmdline_parse_scale("1.125", &s) < 0);
        CHECK(cmdline_parse_scale("-1", &s) < 0);
        CHECK(cmdline_parse_scale("2x", &s) < 0);
        CHECK(cmdline_parse_scale("99999999999999999999", &s) < 0);
        CHECK(cmdline_parse_scale(NULL, &s) < 0);
}

/* ---- a fake sysfs ---- */

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        (void) st;
        (void) flag;
        (void) ftw;
        return remove(path) < 0 ? -1 : 0;
}

static bool put(const char *root, const char *path, const void *data, size_t len)
{
        _cleanup_free_ char *full = util_asprintf("%s/%s", root, path);
        _cleanup_free_ char *cmd = NULL;
        FILE *f;
        bool ok;

        if (!full)
                return false;
        cmd = util_asprintf("mkdir -p \"$(dirname '%s')\"", full);
        if (!cmd || system(cmd) != 0)
                return false;
        f = fopen(full, "we");
        if (!f)
                return false;
        ok = fwrite(data, 1, len, f) == len;
        return fclose(f) == 0 && ok;
}

static bool puts_(const char *root, const char *path, const char *text)
{
        return put(root, path, text, strlen(text));
}

/* root/link -> target (relative, as sysfs has them) */
static bool link_(const char *root, const char *link, const char *target)
{
        _cleanup_free_ char *full = util_asprintf("%s/%s", root, link);
        _cleanup_free_ char *cmd = NULL;

        if (!full)
                return false;
        cmd = util_asprintf("mkdir -p \"$(dirname '%s')\"", full);
        return cmd && system(cmd) == 0 && symlink(target, full) == 0;
}

#define PCI "devices/pci0000:00"

/* secure_boot: 1 on, 0 off, -1 no efivarfs */
static bool build_sysfs(const char *r, bool uefi, int secure_boot)
{
        uint8_t edid[128];
        uint8_t sb[5] = {6, 0, 0, 0, secure_boot > 0 ? 1 : 0};
        bool ok = true;

        make_edid(edid, 3840, 2160, 310, 174, 31, 17);
        /* a DRM card (i915) with a connected eDP panel and a disconnected HDMI port */
        ok = ok && puts_(r, PCI "/0000:00:02.0/drm/card0/dev", "226:0\n");
        ok = ok && puts_(r, "bus/pci/drivers/i915/.keep", "");
        ok = ok && link_(r, PCI "/0000:00:02.0/driver", "../../../bus/pci/drivers/i915");
        ok = ok && link_(r, PCI "/0000:00:02.0/drm/card0/device", "../../../0000:00:02.0");
        ok = ok && puts_(r, PCI "/0000:00:02.0/drm/card0/card0-eDP-1/status", "connected\n");
        ok = ok && puts_(r, PCI "/0000:00:02.0/drm/card0/card0-eDP-1/modes",
                         "3840x2160\n1920x1080\n1280x720\n");
        ok = ok && put(r, PCI "/0000:00:02.0/drm/card0/card0-eDP-1/edid", edid, sizeof(edid));
        ok = ok && puts_(r, PCI "/0000:00:02.0/drm/card0/card0-HDMI-A-1/status", "disconnected\n");
        ok = ok && puts_(r, PCI "/0000:00:02.0/drm/card0/card0-HDMI-A-1/modes", "");
        ok = ok && put(r, PCI "/0000:00:02.0/drm/card0/card0-HDMI-A-1/edid", "", 0);
        ok = ok && link_(r, "class/drm/card0", "../../" PCI "/0000:00:02.0/drm/card0");
        ok = ok &&
             link_(r, "class/drm/card0-eDP-1", "../../" PCI "/0000:00:02.0/drm/card0/card0-eDP-1");
        ok = ok && link_(r, "class/drm/card0-HDMI-A-1",
                         "../../" PCI "/0000:00:02.0/drm/card0/card0-HDMI-A-1");
        ok = ok && puts_(r, "class/drm/version", "drm 1.1.0 20060810\n");
        /* the EFI framebuffer */
        ok = ok && puts_(r, "devices/platform/efi-framebuffer.0/graphics/fb0/name", "EFI VGA\n");
        ok = ok && puts_(r, "devices/platform/efi-framebuffer.0/graphics/fb0/virtual_size",
                         "3840,2160\n");
        ok = ok &&
             puts_(r, "devices/platform/efi-framebuffer.0/graphics/fb0/modes", "U:3840x2160p-0\n");
        ok = ok && puts_(r, "bus/platform/drivers/efi-framebuffer/.keep", "");
        ok = ok && link_(r, "devices/platform/efi-framebuffer.0/driver",
                         "../../../bus/platform/drivers/efi-framebuffer");
        ok = ok && link_(r, "devices/platform/efi-framebuffer.0/graphics/fb0/device",
                         "../../../efi-framebuffer.0");
        ok = ok && link_(r, "class/graphics/fb0",
                         "../../devices/platform/efi-framebuffer.0/graphics/fb0");
        ok = ok && link_(r, "class/graphics/fbcon", "../../devices/virtual/graphics/fbcon");
        /* input: a keyboard and a touchpad */
        ok = ok && puts_(r, "devices/platform/i8042/serio0/input/input3/name",
                         "AT Translated Set 2 keyboard\n");
        ok = ok &&
             puts_(r, "devices/platform/i8042/serio0/input/input3/capabilities/ev", "120013\n");
        ok = ok && puts_(r, "devices/platform/i8042/serio0/input/input3/capabilities/key",
                         "402000000 3803078f800d001 feffffdfffefffff fffffffffffffffe\n");
        ok = ok && puts_(r, "devices/platform/i8042/serio0/input/input3/properties", "0\n");
        ok = ok && puts_(r, "devices/platform/i8042/serio0/input/input3/id/bustype", "0011\n");
        ok = ok &&
             link_(r, "devices/platform/i8042/serio0/input/input3/event3/device", "../../input3");
        ok = ok && link_(r, "class/input/event3",
                         "../../devices/platform/i8042/serio0/input/input3/event3");
        ok = ok && puts_(r, "devices/i2c/input/input9/name", "ELAN0001:00 04F3:3140 Touchpad\n");
        ok = ok && puts_(r, "devices/i2c/input/input9/capabilities/ev", "b\n");
        ok = ok && puts_(r, "devices/i2c/input/input9/capabilities/key", "e520 10000 0 0 0 0\n");
        ok = ok && puts_(r, "devices/i2c/input/input9/capabilities/abs", "2e0800000000003\n");
        ok = ok && puts_(r, "devices/i2c/input/input9/properties", "5\n");
        ok = ok && link_(r, "devices/i2c/input/input9/event10/device", "../../input9");
        ok = ok && link_(r, "class/input/event10", "../../devices/i2c/input/input9/event10");
        ok = ok && link_(r, "class/input/mice", "../../devices/virtual/input/mice");
        /* disks: NVMe, AHCI, a USB stick on UAS, an SD card, a loop device (skipped) */
        ok = ok && puts_(r, "bus/pci/drivers/nvme/.keep", "");
        ok = ok && puts_(r, "bus/pci/drivers/ahci/.keep", "");
        ok = ok && puts_(r, "bus/pci/drivers/xhci_hcd/.keep", "");
        ok = ok && puts_(r, "bus/usb/drivers/uas/.keep", "");
        ok = ok && puts_(r, "bus/usb/drivers/usb/.keep", "");
        ok = ok && puts_(r, "bus/scsi/drivers/sd/.keep", "");
        ok = ok && puts_(r, "bus/mmc/drivers/mmcblk/.keep", "");
        ok = ok && puts_(r, "bus/pci/drivers/sdhci-pci/.keep", "");
        ok = ok && link_(r, PCI "/0000:01:00.0/driver", "../../../bus/pci/drivers/nvme");
        ok = ok && puts_(r, PCI "/0000:01:00.0/nvme/nvme0/model", "Samsung SSD 980 1TB  \n");
        ok = ok && puts_(r, PCI "/0000:01:00.0/nvme/nvme0/nvme0n1/size", "1953525168\n");
        ok = ok && puts_(r, PCI "/0000:01:00.0/nvme/nvme0/nvme0n1/removable", "0\n");
        ok = ok && link_(r, PCI "/0000:01:00.0/nvme/nvme0/nvme0n1/device", "../../nvme0");
        ok = ok && link_(r, "block/nvme0n1", "../" PCI "/0000:01:00.0/nvme/nvme0/nvme0n1");
        ok = ok && link_(r, PCI "/0000:00:17.0/driver", "../../../bus/pci/drivers/ahci");
        ok = ok && link_(r, PCI "/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/driver",
                         "../../../../../../../bus/scsi/drivers/sd");
        ok = ok && puts_(r, PCI "/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/model", "WDC WD10\n");
        ok = ok &&
             puts_(r, PCI "/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda/size", "1000\n");
        ok = ok && link_(r, PCI "/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda/device",
                         "../../../0:0:0:0");
        ok = ok && link_(r, "block/sda",
                         "../" PCI "/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda");
        ok = ok && link_(r, PCI "/0000:00:14.0/driver", "../../../bus/pci/drivers/xhci_hcd");
        ok = ok && link_(r, PCI "/0000:00:14.0/usb2/driver", "../../../../bus/usb/drivers/usb");
        ok = ok &&
             link_(r, PCI "/0000:00:14.0/usb2/2-1/driver", "../../../../../bus/usb/drivers/usb");
        ok = ok && link_(r, PCI "/0000:00:14.0/usb2/2-1/2-1:1.0/driver",
                         "../../../../../../bus/usb/drivers/uas");
        ok = ok && link_(r, PCI "/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0/driver",
                         "../../../../../../../../../bus/scsi/drivers/sd");
        ok = ok &&
             puts_(r, PCI "/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0/block/sdb/size",
                   "60063744\n");
        ok = ok &&
             puts_(r,
                   PCI
                   "/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0/block/sdb/removable",
                   "1\n");
        ok = ok &&
             link_(r, "block/sdb",
                   "../" PCI "/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0/block/sdb");
        ok = ok && link_(r, PCI "/0000:00:1a.0/driver", "../../../bus/pci/drivers/sdhci-pci");
        ok = ok && link_(r, PCI "/0000:00:1a.0/mmc_host/mmc0/mmc0:aaaa/driver",
                         "../../../../../../bus/mmc/drivers/mmcblk");
        ok = ok && puts_(r, PCI "/0000:00:1a.0/mmc_host/mmc0/mmc0:aaaa/name", "SD64G\n");
        ok = ok && link_(r, PCI "/0000:00:1a.0/mmc_host/mmc0/mmc0:aaaa/block/mmcblk0/device",
                         "../../../mmc0:aaaa");
        ok = ok && puts_(r, PCI "/0000:00:1a.0/mmc_host/mmc0/mmc0:aaaa/block/mmcblk0/size",
                         "124735488\n");
        ok = ok && link_(r, "block/mmcblk0",
                         "../" PCI "/0000:00:1a.0/mmc_host/mmc0/mmc0:aaaa/block/mmcblk0");
        ok = ok && puts_(r, "devices/virtual/block/loop0/size", "0\n");
        ok = ok && link_(r, "block/loop0", "../devices/virtual/block/loop0");
        /* firmware and security */
        ok = ok && puts_(r, "kernel/security/lockdown", "none [integrity] confidentiality\n");
        if (uefi) {
                ok = ok && puts_(r, "firmware/efi/fw_platform_size", "64\n");
                if (secure_boot >= 0)
                        ok = ok && put(r,
                                       "firmware/efi/efivars/SecureBoot-"
                                       "8be4df61-93ca-11d2-aa0d-00e098032b8c",
                                       sb, sizeof(sb));
        } else
                ok = ok && puts_(r, "firmware/acpi/.keep", "");
        return ok;
}

static char *make_root(void)
{
        char tmpl[] = "/tmp/kl-hw-XXXXXX";

        return mkdtemp(tmpl) ? strdup(tmpl) : NULL;
}

TEST(scan_fake_sysfs)
{
        _cleanup_free_ char *root = make_root();
        struct hw_report r;
        struct json j;
        char **lines;
        bool *headers = NULL;
        _cleanup_free_ char *all = NULL;

        REQUIRE(root);
        REQUIRE(build_sysfs(root, true, 1));
        REQUIRE(hardware_scan(root, &r) == 0);

        CHECK_INTEQ(r.firmware, HW_FIRMWARE_UEFI);
        CHECK_INTEQ(r.efi_bits, 64);
        CHECK_INTEQ(r.secure_boot, 1);
        CHECK_INTEQ(r.setup_mode, -1);
        CHECK_STREQ(r.lockdown, "integrity");

        REQUIRE(r.n_displays == 3);
        CHECK_STREQ(r.displays[0].name, "card0-HDMI-A-1");
        CHECK_STREQ(r.displays[0].status, "disconnected");
        CHECK_INTEQ(r.displays[0].n_modes, 0);
        CHECK_STREQ(r.displays[1].name, "card0-eDP-1");
        CHECK_STREQ(r.displays[1].driver, "i915");
        CHECK_STREQ(r.displays[1].monitor, "Test Panel");
        CHECK_INTEQ(r.displays[1].pref_w, 3840);
        CHECK_INTEQ(r.displays[1].pref_h, 2160);
        CHECK_INTEQ(r.displays[1].mm_w, 310);
        CHECK_INTEQ(r.displays[1].n_modes, 3);
        CHECK_STREQ(r.displays[2].name, "fb0");
        CHECK(r.displays[2].fbdev);
        CHECK_STREQ(r.displays[2].driver, "efi-framebuffer");
        CHECK_INTEQ(r.displays[2].cur_w, 3840);
        CHECK_INTEQ(r.displays[2].pref_h, 2160);

        REQUIRE(r.n_inputs == 2);
        CHECK_STREQ(r.inputs[0].node, "event3");
        CHECK_STREQ(r.inputs[0].name, "AT Translated Set 2 keyboard");
        CHECK_INTEQ(r.inputs[0].kinds, HW_INPUT_KEYBOARD);
        CHECK_STREQ(r.inputs[0].bus, "ps2");
        CHECK_STREQ(r.inputs[1].node, "event10");
        CHECK_INTEQ(r.inputs[1].kinds, HW_INPUT_TOUCHPAD);

        REQUIRE(r.n_disks == 4);
        CHECK_STREQ(r.disks[0].name, "mmcblk0");
        CHECK_STREQ(r.disks[0].bus, "mmc");
        CHECK_STREQ(r.disks[0].model, "SD64G");
        CHECK_STREQ(r.disks[1].name, "nvme0n1");
        CHECK_STREQ(r.disks[1].bus, "nvme");
        CHECK_STREQ(r.disks[1].model, "Samsung SSD 980 1TB");
        CHECK_INTEQ(r.disks[1].size, 1953525168ULL * 512);
        CHECK_STREQ(r.disks[2].name, "sda");
        CHECK_STREQ(r.disks[2].bus, "ahci");
        CHECK_STREQ(r.disks[2].model, "WDC WD10");
        CHECK_STREQ(r.disks[3].name, "sdb");
        CHECK_STREQ(r.disks[3].bus, "uas");
        CHECK(r.disks[3].removable);
        _cleanup_free_ char *chain = strv_join(r.disks[3].drivers, ",");
        CHECK_STREQ(chain, "sd,uas,usb,xhci_hcd");

        /* JSON */
        json_init(&j);
        hw_report_to_json(&r, &j);
        REQUIRE(json_text(&j));
        CHECK(strstr(json_text(&j), "\"firmware\": \"UEFI\""));
        CHECK(strstr(json_text(&j), "\"secure_boot\": true"));
        CHECK(strstr(json_text(&j), "\"lockdown\": \"integrity\""));
        CHECK(strstr(json_text(&j), "\"preferred_mode\": \"3840x2160\""));
        CHECK(strstr(json_text(&j), "\"width_mm\": 310"));
        CHECK(strstr(json_text(&j), "\"dpi\": 315"));
        CHECK(strstr(json_text(&j), "\"scale_percent\": 325"));
        CHECK(strstr(json_text(&j), "\"kinds\": [\"touchpad\"]"));
        CHECK(strstr(json_text(&j), "\"drivers\": [\"sd\", \"uas\", \"usb\", \"xhci_hcd\"]"));
        CHECK(strstr(json_text(&j), "\"bus\": \"mmc\""));
        json_done(&j);

        /* screen lines */
        r.displays[1].cur_w = 3840;
        r.displays[1].cur_h = 2160;
        r.displays[1].scale = 325;
        lines = hw_report_lines(&r, &headers);
        REQUIRE(lines && headers);
        all = strv_join(lines, "\n");
        strv_foreach (l, lines)
                printf("# %s\n", l); /* TAP: diagnostics only */
        CHECK_STREQ(lines[0], "Firmware");
        CHECK(headers[0]);
        CHECK_STREQ(lines[1], "  Mode: UEFI (64-bit)");
        CHECK_STREQ(lines[2], "  Secure Boot: on");
        CHECK_STREQ(lines[3], "  Lockdown: integrity");
        CHECK(strstr(all, "card0-eDP-1  connected  Test Panel  driver i915"));
        CHECK(strstr(all, "mode 3840x2160, native 3840x2160, 3 modes"));
        CHECK(strstr(all, "310 x 174 mm, 315 dpi, scale 325% (menu shown)"));
        CHECK(strstr(all, "event10  ELAN0001:00 04F3:3140 Touchpad (touchpad)"));
        CHECK(strstr(all, "event3   AT Translated Set 2 keyboard (keyboard, ps2)"));
        CHECK(strstr(all, "nvme0n1"));
        CHECK(strstr(all, "sd < uas < usb < xhci_hcd, removable"));
        CHECK(!strstr(all, "loop0"));
        strv_free(lines);
        free(headers);
        hw_report_done(&r);
        nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A BIOS machine; a UEFI one without efivarfs: Secure Boot unknown, said so; one with it off. */
TEST(scan_bios_and_no_efivars)
{
        _cleanup_free_ char *root = make_root(), *root2 = make_root(), *root3 = make_root();
        struct hw_report r;
        char **lines;

        REQUIRE(root && root2 && root3);
        REQUIRE(build_sysfs(root, false, 0));
        REQUIRE(hardware_scan(root, &r) == 0);
        CHECK_INTEQ(r.firmware, HW_FIRMWARE_BIOS);
        CHECK_INTEQ(r.secure_boot, -1);
        lines = hw_report_lines(&r, NULL);
        REQUIRE(lines);
        CHECK_STREQ(lines[1], "  Mode: BIOS");
        CHECK_STREQ(lines[2], "  Secure Boot: none (not UEFI)");
        strv_free(lines);
        hw_report_done(&r);

        REQUIRE(build_sysfs(root2, true, -1));
        REQUIRE(hardware_scan(root2, &r) == 0);
        CHECK_INTEQ(r.secure_boot, -1);
        lines = hw_report_lines(&r, NULL);
        REQUIRE(lines);
        CHECK_STREQ(lines[2], "  Secure Boot: unknown (no efivarfs)");
        strv_free(lines);
        hw_report_done(&r);
        REQUIRE(build_sysfs(root3, true, 0));
        REQUIRE(hardware_scan(root3, &r) == 0);
        CHECK_INTEQ(r.secure_boot, 0);
        lines = hw_report_lines(&r, NULL);
        REQUIRE(lines);
        CHECK_STREQ(lines[2], "  Secure Boot: off");
        strv_free(lines);
        hw_report_done(&r);
        nftw(root3, rm_one, 16, FTW_DEPTH | FTW_PHYS);
        nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
        nftw(root2, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Nothing there at all: an empty report, no crash; a missing root too. */
TEST(scan_empty)
{
        _cleanup_free_ char *root = make_root();
        struct hw_report r;
        char **lines;

        REQUIRE(root);
        REQUIRE(hardware_scan(root, &r) == 0);
        CHECK_INTEQ(r.n_displays + r.n_inputs + r.n_disks, 0);
        CHECK(r.lockdown == NULL);
        lines = hw_report_lines(&r, NULL);
        REQUIRE(lines);
        CHECK(strv_contains(lines, "  none found"));
        strv_free(lines);
        hw_report_done(&r);
        REQUIRE(hardware_scan("/nonexistent/sys", &r) == 0);
        hw_report_done(&r);
        rmdir(root);
}
