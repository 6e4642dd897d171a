/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The hardware report's readers: small files of a sysfs tree (the real /sys, or a fake one in
 * tests). Bounded: at most HW_MAX_ITEMS entries of each kind, small reads of regular files only
 * (util_read_file: sysfs attributes and efivarfs variables never block), links walked at most
 * HW_WALK_DEPTH levels. */
#define LOG_MODULE "hw"
#include <dirent.h>
#include <limits.h>
#include <sys/stat.h>

#include "../core/log.h"
#include "../input/touch.h"
#include "hardware.h"

#define HW_ATTR_MAX   4096  /* a sysfs attribute */
#define HW_EDID_MAX   32768 /* an EDID with its extension blocks */
#define HW_MODES_MAX  65536 /* a connector's modes file */
#define HW_DIR_MAX    1024  /* entries read from one class folder */
#define HW_WALK_DEPTH 32

#define EFI_GLOBAL_GUID "8be4df61-93ca-11d2-aa0d-00e098032b8c"

static char *read_attr(const char *dir, const char *name)
{
        _cleanup_free_ char *path = util_asprintf("%s/%s", dir, name);
        char *s = NULL;

        if (!path || util_read_file(path, HW_ATTR_MAX, &s, NULL) < 0)
                return NULL;
        util_strip_trailing(s);
        if (!*s) {
                free(s);
                return NULL;
        }
        return s;
}

/* The last component of the link dir/name ("…/drivers/ahci" -> "ahci"), or NULL. */
static char *link_base(const char *dir, const char *name)
{
        _cleanup_free_ char *path = util_asprintf("%s/%s", dir, name);
        char buf[PATH_MAX];
        ssize_t n;
        const char *b;

        if (!path)
                return NULL;
        n = readlink(path, buf, sizeof(buf) - 1);
        if (n <= 0)
                return NULL;
        buf[n] = 0;
        b = strrchr(buf, '/');
        return strdup(b ? b + 1 : buf);
}

static int name_cmp(const void *a, const void *b)
{
        return util_natcmp(*(char *const *) a, *(char *const *) b);
}

/* The names in dir accepted by want (sorted naturally, at most HW_DIR_MAX read). */
static char **list_dir(const char *dir, bool (*want)(const char *name))
{
        DIR *d = opendir(dir);
        struct dirent *de;
        char **l = NULL;
        size_t n = 0;

        if (!d)
                return NULL;
        while ((de = readdir(d)) && n < HW_DIR_MAX) {
                if (de->d_name[0] == '.' || !want(de->d_name))
                        continue;
                if (strv_push(&l, de->d_name) < 0)
                        break;
                n++;
        }
        closedir(d);
        if (l)
                qsort(l, strv_length(l), sizeof(*l), name_cmp);
        return l;
}

/* ---- displays ---- */

/* "card0-HDMI-A-1": a connector of a card */
static bool is_connector(const char *n)
{
        const char *p = startswith(n, "card");

        if (!p || *p < '0' || *p > '9')
                return false;
        while (*p >= '0' && *p <= '9')
                p++;
        return *p == '-' && p[1];
}

static bool is_fb(const char *n)
{
        const char *p = startswith(n, "fb");

        return p && *p >= '0' && *p <= '9';
}

static struct hw_display *add_display(struct hw_report *r)
{
        if (r->n_displays >= HW_MAX_ITEMS ||
            UTIL_GROW(r->displays, r->cap_displays, r->n_displays + 1) < 0)
                return NULL;
        r->displays[r->n_displays] = (struct hw_display){0};
        return &r->displays[r->n_displays++];
}

static unsigned count_lines(const char *s)
{
        unsigned n = 0;

        for (; s && *s; s++)
                if (*s == '\n')
                        n++;
        return n;
}

static int scan_drm(const char *sys, struct hw_report *r)
{
        _cleanup_free_ char *class = util_asprintf("%s/class/drm", sys);
        _cleanup_strv_ char **names = class ? list_dir(class, is_connector) : NULL;

        if (!class)
                return -ENOMEM;
        strv_foreach (n, names) {
                _cleanup_free_ char *dir = util_asprintf("%s/%s", class, n);
                _cleanup_free_ char *card = strndup(n, strcspn(n, "-"));
                _cleanup_free_ char *carddev =
                        card ? util_asprintf("%s/%s/device", class, card) : NULL;
                _cleanup_free_ char *edid_path = dir ? util_asprintf("%s/edid", dir) : NULL;
                _cleanup_free_ char *modes_path = dir ? util_asprintf("%s/modes", dir) : NULL;
                _cleanup_free_ char *edid = NULL, *modes = NULL;
                struct hw_display *d;
                struct hw_edid e = {0};
                size_t len = 0;

                if (!dir || !card || !carddev || !edid_path || !modes_path)
                        return -ENOMEM;
                d = add_display(r);
                if (!d)
                        return 0;
                d->name = strdup(n);
                d->status = read_attr(dir, "status");
                d->driver = link_base(carddev, "driver");
                if (util_read_file(modes_path, HW_MODES_MAX, &modes, NULL) >= 0) {
                        d->n_modes = count_lines(modes);
                        /* the first mode is the preferred one (the kernel sorts it first) */
                        (void) sscanf(modes, "%dx%d", &d->pref_w, &d->pref_h);
                }
                if (util_read_file(edid_path, HW_EDID_MAX, &edid, &len) >= 0 &&
                    hw_edid_parse((const uint8_t *) edid, len, &e) >= 0) {
                        if (e.pref_w > 0 && e.pref_h > 0) {
                                d->pref_w = e.pref_w;
                                d->pref_h = e.pref_h;
                        }
                        d->mm_w = e.mm_w;
                        d->mm_h = e.mm_h;
                        if (e.monitor[0])
                                d->monitor = strdup(e.monitor);
                }
                if (!d->name)
                        return -ENOMEM;
        }
        return 0;
}

static int scan_fb(const char *sys, struct hw_report *r)
{
        _cleanup_free_ char *class = util_asprintf("%s/class/graphics", sys);
        _cleanup_strv_ char **names = class ? list_dir(class, is_fb) : NULL;

        if (!class)
                return -ENOMEM;
        strv_foreach (n, names) {
                _cleanup_free_ char *dir = util_asprintf("%s/%s", class, n);
                _cleanup_free_ char *dev = dir ? util_asprintf("%s/device", dir) : NULL;
                _cleanup_free_ char *size = NULL, *modes = NULL, *id = NULL;
                struct hw_display *d;

                if (!dir || !dev)
                        return -ENOMEM;
                d = add_display(r);
                if (!d)
                        return 0;
                d->fbdev = true;
                d->name = strdup(n);
                d->driver = link_base(dev, "driver");
                id = read_attr(dir, "name"); /* "EFI VGA", "bochs-drmdrmfb" */
                if (!d->driver && id)
                        d->driver = strdup(id);
                size = read_attr(dir, "virtual_size"); /* "1024,768" */
                if (size)
                        (void) sscanf(size, "%d,%d", &d->cur_w, &d->cur_h);
                modes = read_attr(dir, "modes");
                d->n_modes = modes ? count_lines(modes) + 1 : 0;
                if (modes)
                        (void) sscanf(modes, "%*[^:]:%dx%d", &d->pref_w, &d->pref_h);
                if (!d->name)
                        return -ENOMEM;
        }
        return 0;
}

/* ---- input ---- */

static bool is_event(const char *n)
{
        const char *p = startswith(n, "event");

        return p && *p >= '0' && *p <= '9';
}

static int scan_input(const char *sys, struct hw_report *r)
{
        _cleanup_free_ char *class = util_asprintf("%s/class/input", sys);
        _cleanup_strv_ char **names = class ? list_dir(class, is_event) : NULL;

        if (!class)
                return -ENOMEM;
        strv_foreach (n, names) {
                _cleanup_free_ char *dev = util_asprintf("%s/%s/device", class, n);
                _cleanup_free_ char *caps = dev ? util_asprintf("%s/capabilities", dev) : NULL;
                _cleanup_free_ char *ids = dev ? util_asprintf("%s/id", dev) : NULL;
                _cleanup_free_ char *ev = NULL, *key = NULL, *rel = NULL, *abs = NULL,
                                    *props = NULL, *bus = NULL;
                struct hw_input *in;

                if (!dev || !caps || !ids)
                        return -ENOMEM;
                if (r->n_inputs >= HW_MAX_ITEMS ||
                    UTIL_GROW(r->inputs, r->cap_inputs, r->n_inputs + 1) < 0)
                        return 0;
                in = &r->inputs[r->n_inputs++];
                *in = (struct hw_input){.node = strdup(n), .name = read_attr(dev, "name")};
                ev = read_attr(caps, "ev");
                key = read_attr(caps, "key");
                rel = read_attr(caps, "rel");
                abs = read_attr(caps, "abs");
                props = read_attr(dev, "properties");
                in->kinds = hw_input_classify(ev, key, rel, abs, props);
                bus = read_attr(ids, "bustype"); /* "0011" (hex) */
                if (bus && input_bus_name((unsigned) strtoul(bus, NULL, 16)))
                        in->bus = strdup(input_bus_name((unsigned) strtoul(bus, NULL, 16)));
                if (!in->node)
                        return -ENOMEM;
        }
        return 0;
}

/* ---- disks ---- */

static bool is_disk(const char *n)
{
        return !startswith(n, "loop") && !startswith(n, "ram") && !startswith(n, "zram");
}

/* The drivers bound along the device path of the disk, nearest first, without repeats. */
static char **driver_chain(const char *sys_real, const char *block_link)
{
        char *path = realpath(block_link, NULL);
        char **chain = NULL;
        size_t root_len = strlen(sys_real);

        if (!path)
                return NULL;
        for (unsigned depth = 0; depth < HW_WALK_DEPTH; depth++) {
                char *slash = strrchr(path, '/');
                _cleanup_free_ char *drv = link_base(path, "driver");

                if (drv && !strv_contains(chain, drv) && strv_push(&chain, drv) < 0)
                        break;
                if (!slash || (size_t) (slash - path) <= root_len)
                        break;
                *slash = 0;
        }
        free(path);
        return chain;
}

static int scan_disks(const char *sys, struct hw_report *r)
{
        _cleanup_free_ char *class = util_asprintf("%s/block", sys);
        _cleanup_free_ char *sys_real = realpath(sys, NULL);
        _cleanup_strv_ char **names = class ? list_dir(class, is_disk) : NULL;

        if (!class)
                return -ENOMEM;
        strv_foreach (n, names) {
                _cleanup_free_ char *dir = util_asprintf("%s/%s", class, n);
                _cleanup_free_ char *dev = dir ? util_asprintf("%s/device", dir) : NULL;
                _cleanup_free_ char *size = NULL, *rm = NULL;
                struct hw_disk *d;

                if (!dir || !dev)
                        return -ENOMEM;
                if (r->n_disks >= HW_MAX_ITEMS ||
                    UTIL_GROW(r->disks, r->cap_disks, r->n_disks + 1) < 0)
                        return 0;
                d = &r->disks[r->n_disks++];
                *d = (struct hw_disk){.name = strdup(n), .model = read_attr(dev, "model")};
                if (!d->model)
                        d->model = read_attr(dev, "name"); /* an SD card or eMMC: "SD32G" */
                size = read_attr(dir, "size");
                if (size)
                        d->size = strtoull(size, NULL, 10) * 512ULL;
                rm = read_attr(dir, "removable");
                d->removable = rm && streq(rm, "1");
                if (sys_real)
                        d->drivers = driver_chain(sys_real, dir);
                if (hw_disk_bus(d->drivers))
                        d->bus = strdup(hw_disk_bus(d->drivers));
                if (!d->name)
                        return -ENOMEM;
        }
        return 0;
}

/* ---- firmware ---- */

/* An EFI variable of the global GUID from efivarfs: its first data byte (after the 4 bytes of
 * attributes), or -1. */
static int efi_var_byte(const char *efi, const char *name)
{
        _cleanup_free_ char *path = util_asprintf("%s/efivars/%s-" EFI_GLOBAL_GUID, efi, name);
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;

        if (!path || util_read_file(path, 64, &buf, &len) < 0 || len < 5)
                return -1;
        return (unsigned char) buf[4] ? 1 : 0;
}

static void scan_firmware(const char *sys, struct hw_report *r)
{
        _cleanup_free_ char *efi = util_asprintf("%s/firmware/efi", sys);
        _cleanup_free_ char *sec = util_asprintf("%s/kernel/security", sys);
        _cleanup_free_ char *bits = NULL, *lock = NULL;
        struct stat st;

        r->secure_boot = r->setup_mode = -1;
        if (!efi || !sec)
                return;
        r->firmware =
                stat(efi, &st) == 0 && S_ISDIR(st.st_mode) ? HW_FIRMWARE_UEFI : HW_FIRMWARE_BIOS;
        if (r->firmware == HW_FIRMWARE_UEFI) {
                bits = read_attr(efi, "fw_platform_size");
                r->efi_bits = bits ? atoi(bits) : 0;
                r->secure_boot = efi_var_byte(efi, "SecureBoot");
                r->setup_mode = efi_var_byte(efi, "SetupMode");
        }
        lock = read_attr(sec, "lockdown");
        if (hw_lockdown_parse(lock))
                r->lockdown = strdup(hw_lockdown_parse(lock));
}

int hardware_scan(const char *sys_root, struct hw_report *r)
{
        int k;

        *r = (struct hw_report){0};
        scan_firmware(sys_root, r);
        k = scan_drm(sys_root, r);
        if (k >= 0)
                k = scan_fb(sys_root, r);
        if (k >= 0)
                k = scan_input(sys_root, r);
        if (k >= 0)
                k = scan_disks(sys_root, r);
        if (k < 0)
                log_warn("the hardware report is incomplete: %s", strerror(-k));
        return k < 0 ? k : 0;
}
