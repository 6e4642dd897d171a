/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer targets for the small parsers of what comes from outside the stick's files: the tty
 * escape decoder (input/ttykeys.c: bytes a terminal or a serial line sends), kernel uevent
 * messages (init/uevent.c: a netlink socket), the kernel command line (core/cmdline.c: what the
 * boot loader before us passed), GRUB's environment block (import/grubenv.c: a scanned disk's
 * grubenv, read by the grub.cfg and BLS imports), the live ISO parameter (import/isofamily.c: an
 * ISO's command line and the names of the filesystem that holds it) and a monitor's EDID
 * (backend/hardware.c: what the screen says about itself, turned into a display scale), and the
 * EFI applications of an ESP (import/efiapps.c: its folder and file names, the PE headers). Each
 * one checks what its header promises, not just "no crash". One file, one target per build
 * (-DFUZZ_TARGET=…); built and run by tests/fuzz/run. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmdline.h"
#include "core/util.h"

#define FUZZ_TTYKEYS   90
#define FUZZ_UEVENT    91
#define FUZZ_CMDLINE   92
#define FUZZ_GRUBENV   93
#define FUZZ_ISOFAMILY 94
#define FUZZ_EDID      95
#define FUZZ_EFIAPPS   96
#define FUZZ_DEVMAP    97

/* abort() naming the invariant that failed */
#define check(ok) \
        ((ok) ? (void) 0 : (fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #ok), abort()))

/* The input as a NUL-terminated string (cut at its first NUL). */
static char *text_of(const uint8_t *data, size_t len)
{
        char *t = malloc(len + 1);

        if (t) {
                memcpy(t, data, len);
                t[len] = 0;
        }
        return t;
}

#if FUZZ_TARGET == FUZZ_TTYKEYS
#include "input/keys.h"
#include "input/ttykeys.h"

static void check_event(const struct key_event *ev)
{
        char name[64];
        struct key_event two[2];
        int n;

        check(ev->sym > KEYSYM_NONE && ev->sym < _KEYSYM_MAX);
        check(!(ev->mods &
                ~(unsigned) (KEYMOD_SHIFT | KEYMOD_CTRL | KEYMOD_ALT | KEYMOD_ESC_PREFIX)));
        check(!(ev->mods & KEYMOD_ESC_PREFIX) || (ev->mods & KEYMOD_ALT));
        if (ev->sym == KEYSYM_CHAR)
                check(ev->ch <= 0x10ffff && !(ev->ch >= 0xd800 && ev->ch <= 0xdfff));
        if (ev->sym == KEYSYM_CTRL)
                check(ev->ch >= 'a' && ev->ch <= 'z');
        check(key_event_name(ev, name, sizeof(name)) == name && strlen(name) < sizeof(name));
        n = key_event_unfold(ev, two);
        check(n == 1 || n == 2);
        if (n == 2)
                check(two[0].sym == KEYSYM_ESCAPE && !(two[1].mods & KEYMOD_ALT));
}

/* The input's bytes as they arrive; the first byte k > 0 makes every k-th byte come after a
 * pause (ttykeys_flush(), the ESC timeout), as on a slow serial line. */
static void run_ttykeys(const uint8_t *data, size_t len)
{
        struct ttykeys t;
        struct key_event out[2];
        unsigned every = len ? data[0] : 0;

        ttykeys_init(&t);
        for (size_t i = 1; i < len; i++) {
                int n = ttykeys_feed(&t, data[i], out);

                check(n >= 0 && n <= 2);
                check(t.len <= sizeof(t.buf));
                for (int k = 0; k < n; k++)
                        check_event(&out[k]);
                if (every && i % every == 0) {
                        n = ttykeys_flush(&t, out);
                        check(n >= 0 && n <= 2 && !ttykeys_pending(&t));
                        for (int k = 0; k < n; k++)
                                check_event(&out[k]);
                }
        }
        int n = ttykeys_flush(&t, out);

        check(n >= 0 && n <= 2 && !ttykeys_pending(&t));
        for (int k = 0; k < n; k++)
                check_event(&out[k]);
}
#endif

#if FUZZ_TARGET == FUZZ_UEVENT
#include "init/uevent.h"

/* A string of the message: inside it, and NUL-terminated there. */
static void check_inside(const char *s, const char *buf, size_t len)
{
        if (!s)
                return;
        check(s >= buf && s < buf + len);
        check(memchr(s, 0, (size_t) (buf + len - s)) != NULL);
}

static void run_uevent(const uint8_t *data, size_t len)
{
        /* a copy of exactly len bytes, so that ASan sees any read past the message */
        char *buf = malloc(len ? len : 1);
        struct uevent u;
        int r;

        if (!buf)
                return;
        memcpy(buf, data, len);
        r = uevent_parse(buf, len, &u);
        check(r == 0 || r == -EINVAL || r == -EPROTO);
        if (r == 0) {
                check_inside(u.action, buf, len);
                check_inside(u.devpath, buf, len);
                check_inside(u.subsystem, buf, len);
                check_inside(u.devtype, buf, len);
                check_inside(u.devname, buf, len);
                check_inside(u.modalias, buf, len);
                check(*u.action && u.devpath[0] == '/');
                /* the header says the same: "action@devpath" */
                check(strncmp(buf, u.action, strlen(u.action)) == 0 &&
                      buf[strlen(u.action)] == '@' && streq(buf + strlen(u.action) + 1, u.devpath));
                check(!u.subsystem || *u.subsystem);
                check(!u.devtype || *u.devtype);
                check(!u.devname || *u.devname);
                check(!u.modalias || *u.modalias);
        } else {
                check(!u.action && !u.devpath);
        }
        free(buf);
}
#endif

#if FUZZ_TARGET == FUZZ_CMDLINE
static void run_cmdline(const uint8_t *data, size_t len)
{
        _cleanup_free_ char *text = text_of(data, len);
        _cleanup_free_ char *warning = NULL;
        _cleanup_strv_ char **words = NULL;
        struct kernel_cmdline c;
        size_t quotes = 0;
        int scale;

        if (!text)
                return;
        if (cmdline_split(text, &words) < 0)
                return;
        /* words hold no quote and, outside quotes, no blank; none is longer than the text */
        for (const char *p = text; *p; p++)
                quotes += *p == '"';
        strv_foreach (w, words) {
                check(!strchr(w, '"') && strlen(w) <= strlen(text));
                if (quotes == 0)
                        check(*w && !strpbrk(w, " \t\r\n"));
                if (strchr(w, '=')) {
                        _cleanup_free_ char *key = strndup(w, strcspn(w, "="));

                        check(key && cmdline_get(words, key) != NULL);
                }
        }
        if (cmdline_parse(text, &c, &warning) < 0)
                return;
        check(c.kexec_wait <= 3600 && c.kexec_watchdog <= 3600);
        check(c.kexec_scale == 0 || (c.kexec_scale >= 50 && c.kexec_scale <= 400));
        check(c.kexec_beep >= -1 && c.kexec_beep <= 1);
        check(!(c.kexec_test &
                ~(unsigned) (CMDLINE_TEST_CRASH_AUTODETECT | CMDLINE_TEST_HANG_AUTODETECT |
                             CMDLINE_TEST_FAIL_JUMP | CMDLINE_TEST_COMMANDS)));
        check(!c.kexec_config || *c.kexec_config);
        check(!c.kexec_theme || *c.kexec_theme);
        /* the values are whole words' values: what the words hold */
        if (c.video)
                check(streq(c.video, cmdline_get(words, "video")));
        if (c.kexec_theme)
                check(streq(c.kexec_theme, cmdline_get(words, "kexec_theme")));
        cmdline_done(&c);
        /* the scale alone: the whole text as a value */
        if (cmdline_parse_scale(text, &scale) == 0)
                check(scale == 0 || (scale >= 50 && scale <= 400));
}
#endif

#if FUZZ_TARGET == FUZZ_GRUBENV
#include "import/grubenv.h"

static void run_grubenv(const uint8_t *data, size_t len)
{
        /* exactly len bytes (a grubenv is read whole; ASan sees a read past it) */
        char *buf = malloc(len ? len : 1);
        _cleanup_strv_ char **vars = NULL;
        size_t lines = 1;
        int r;

        if (!buf)
                return;
        memcpy(buf, data, len);
        r = grubenv_parse(buf, len, &vars);
        check(r == 0 || r == -EINVAL || r == -ENOMEM);
        if (r == 0) {
                for (size_t i = 0; i < len; i++)
                        lines += buf[i] == '\n';
                check(strv_length(vars) <= lines);
                strv_foreach (v, vars) {
                        const char *eq = strchr(v, '=');

                        /* name=value (GRUB allows an empty name, and escaped newlines in it),
                         * never a comment */
                        check(eq && v[0] != '#');
                }
        }
        free(buf);
}
#endif

#if FUZZ_TARGET == FUZZ_ISOFAMILY
#include "import/isofamily.h"

/* The input is lines: the command line, the ISO's path, its filesystem's UUID, label and
 * partition UUID, the kernel's path in the ISO (missing lines: none). */
static void run_isofamily(const uint8_t *data, size_t len)
{
        _cleanup_free_ char *text = text_of(data, len);
        char *f[6] = {0}, *p;
        struct isofamily_result r = {0}, again = {0};
        struct isofamily_fs fs;
        _cleanup_free_ char *inserted = NULL;

        if (!text)
                return;
        p = text;
        for (size_t i = 0; i < 6 && p; i++) {
                f[i] = p;
                p = strchr(p, '\n');
                if (p)
                        *p++ = 0;
        }
        if (!f[1] || !*f[1])
                return;
        fs = (struct isofamily_fs){.uuid = f[2], .label = f[3], .partuuid = f[4]};
        if (isofamily_param(f[0], f[5], f[1], f[2] ? &fs : NULL, &r) < 0)
                return;
        check(!(r.add && r.no_name));
        check(!r.add || r.family);
        if (r.add) {
                check(*r.add && !strpbrk(r.add, "\n\r"));
                inserted = isofamily_insert(f[0], r.add);
                if (!inserted)
                        goto out;
                check(strstr(inserted, r.add) != NULL);
                /* once added, the parameter is there: nothing more to add */
                if (isofamily_param(inserted, f[5], f[1], f[2] ? &fs : NULL, &again) == 0) {
                        check(again.family != NULL);
                        check(again.add == NULL);
                }
        }
out:
        isofamily_result_done(&again);
        isofamily_result_done(&r);
}
#endif

#if FUZZ_TARGET == FUZZ_EDID
#include "backend/hardware.h"
#include "theme/theme.h"

static void run_edid(const uint8_t *data, size_t len)
{
        /* exactly len bytes (an EDID blob from sysfs) */
        uint8_t *buf = malloc(len ? len : 1);
        struct hw_edid e;

        if (!buf)
                return;
        memcpy(buf, data, len);
        if (hw_edid_parse(buf, len, &e) >= 0) {
                int scale;

                check(e.pref_w >= 0 && e.pref_h >= 0 && e.mm_w >= 0 && e.mm_h >= 0);
                check(memchr(e.monitor, 0, sizeof(e.monitor)) != NULL);
                for (const char *m = e.monitor; *m; m++)
                        check((unsigned char) *m >= 0x20 && *m != 0x7f);
                /* the display scale made of it (the HiDPI rule) */
                scale = theme_display_scale(e.pref_w, e.pref_h, e.mm_w, e.mm_h);
                check(scale >= 100 && scale <= THEME_SCALE_MAX && scale % 25 == 0);
        }
        free(buf);
}
#endif

#if FUZZ_TARGET == FUZZ_EFIAPPS
#include <sys/mman.h>
#include <unistd.h>

#include "import/efiapps.h"
#include "import/import.h"

/* An ESP: the input's text up to its first NUL is paths below /EFI, one a line ("Microsoft/Boot/
 * bootmgfw.efi", "tools/shellx64.efi"); every file holds the bytes after the NUL (a PE image). */
struct esp {
        char **paths; /* "/EFI/..." */
        const uint8_t *pe;
        size_t pe_len;
};

static int esp_stat(void *ud, const char *dev, const char *path, uint64_t *ret_size)
{
        const struct esp *e = ud;
        size_t l = strlen(path);

        (void) dev;
        strv_foreach (p, e->paths) {
                if (streq(p, path)) {
                        if (ret_size)
                                *ret_size = e->pe_len;
                        return 1;
                }
                if (strncmp(p, path, l) == 0 && p[l] == '/')
                        return 2;
        }
        return 0;
}

static int esp_list(void *ud, const char *dev, const char *dir, char ***ret)
{
        const struct esp *e = ud;
        _cleanup_strv_ char **names = calloc(1, sizeof(char *));
        size_t l = strlen(dir);
        int r;

        (void) dev;
        if (!names)
                return -ENOMEM;
        if (esp_stat(ud, NULL, dir, NULL) != 2)
                return -ENOENT;
        strv_foreach (p, e->paths) {
                _cleanup_free_ char *n = NULL;

                if (strncmp(p, dir, l) != 0 || p[l] != '/' || !p[l + 1])
                        continue;
                n = strndup(p + l + 1, strcspn(p + l + 1, "/"));
                if (!n)
                        return -ENOMEM;
                if (strv_contains(names, n))
                        continue;
                r = strv_consume(&names, n);
                n = NULL;
                if (r < 0)
                        return r;
        }
        *ret = names;
        names = NULL;
        return 0;
}

static int esp_open(void *ud, const char *dev, const char *path)
{
        const struct esp *e = ud;
        int fd;

        (void) dev;
        if (esp_stat(ud, NULL, path, NULL) != 1)
                return -ENOENT;
        fd = memfd_create("fuzz-efi", MFD_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (write(fd, e->pe, e->pe_len) != (ssize_t) e->pe_len) {
                close(fd);
                return -EIO;
        }
        return fd;
}

static void run_efiapps(const uint8_t *data, size_t len)
{
        const uint8_t *nul = memchr(data, 0, len);
        size_t tl = nul ? (size_t) (nul - data) : len;
        _cleanup_free_ char *text = strndup((const char *) data, tl);
        struct esp e = {.pe = nul ? nul + 1 : data + len, .pe_len = nul ? len - tl - 1 : 0};
        struct import_fs fs = {.userdata = &e,
                               .dev = "/dev/fuzz",
                               .stat = esp_stat,
                               .list = esp_list,
                               .open = esp_open};
        struct import_result r = {.timeout = -1, .default_index = -1};
        char *save = NULL;

        if (!text || !(e.paths = calloc(1, sizeof(char *))))
                return;
        for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                char *p = util_asprintf("/EFI/%s", l);

                if (!p || strv_length(e.paths) >= 512 || strv_consume(&e.paths, p) < 0)
                        break;
        }
        if (efiapps_import_machine(&fs, "/EFI", 0x8664, &r) == 0) {
                check(r.n <= EFIAPPS_ENTRIES_MAX + 1); /* the others, and Windows */
                for (size_t i = 0; i < r.n; i++) {
                        const struct import_entry *x = &r.entries[i];

                        check(x->action == IMPORT_ACTION_EFI_APP && x->title && *x->title);
                        check(x->efi.path && startswith(x->efi.path, "/EFI/"));
                        check(esp_stat(&e, NULL, x->efi.path, NULL) == 1);
                }
        }
        import_result_done(&r);
        strv_free(e.paths);
}
#endif

#if FUZZ_TARGET == FUZZ_DEVMAP
#include "backend/config.h"
#include "backend/device.h"
#include "backend/grub-devname.h"

/* The input is a device.map up to its first NUL, then device names (one a line) resolved with
 * it against a machine of five disks. */
static void run_devmap(const uint8_t *data, size_t len)
{
        static const struct {
                const char *name, *disk;
                unsigned partno;
        } devs[] = {{"sda", "sda", 0},  {"sda1", "sda", 1},        {"sdb", "sdb", 0},
                    {"sdb2", "sdb", 2}, {"nvme0n1", "nvme0n1", 0}, {"nvme0n1p1", "nvme0n1", 1},
                    {"vda", "vda", 0},  {"sr0", "sr0", 0}};
        const uint8_t *nul = memchr(data, 0, len);
        size_t tl = nul ? (size_t) (nul - data) : len;
        _cleanup_free_ char *map_text = strndup((const char *) data, tl);
        _cleanup_free_ char *specs = nul ? strndup((const char *) nul + 1, len - tl - 1) : NULL;
        const struct config_source src = {.fs = "/dev/fuzz", .file = "/boot/grub/device.map"};
        struct device_list l = {0};
        struct grub_devmap map = {0};
        struct diag_list d = {0};
        char *save = NULL;

        if (!map_text)
                return;
        for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
                char path[32];
                struct device dev;

                snprintf(path, sizeof(path), "/dev/%s", devs[i].name);
                dev = (struct device){.name = (char *) devs[i].name,
                                      .path = path,
                                      .disk = (char *) devs[i].disk,
                                      .partno = devs[i].partno,
                                      .removable = devs[i].name[0] == 'v'};
                if (device_list_add(&l, &dev) < 0)
                        goto out;
        }
        if (grub_devmap_parse(map_text, &src, &map, &d) < 0)
                goto out;
        for (size_t i = 0; i < map.n; i++)
                check(map.items[i].grub && *map.items[i].grub && map.items[i].device &&
                      *map.items[i].device);
        if (!specs)
                goto out;
        for (char *sp = strtok_r(specs, "\n", &save); sp; sp = strtok_r(NULL, "\n", &save)) {
                for (int order = CONFIG_GRUB_FIRST_HDX; order <= CONFIG_GRUB_FIRST_SDX; order++) {
                        const struct device *x = grub_devname_resolve_string(
                                sp, &l, map.n ? &map : NULL, (enum config_grub_first) order);

                        check(!x || (x >= l.items && x < l.items + l.n));
                }
        }
out:
        grub_devmap_done(&map);
        device_list_done(&l);
        diag_list_done(&d);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
#if FUZZ_TARGET == FUZZ_TTYKEYS
        run_ttykeys(data, len);
#elif FUZZ_TARGET == FUZZ_UEVENT
        run_uevent(data, len);
#elif FUZZ_TARGET == FUZZ_CMDLINE
        run_cmdline(data, len);
#elif FUZZ_TARGET == FUZZ_GRUBENV
        run_grubenv(data, len);
#elif FUZZ_TARGET == FUZZ_ISOFAMILY
        run_isofamily(data, len);
#elif FUZZ_TARGET == FUZZ_EDID
        run_edid(data, len);
#elif FUZZ_TARGET == FUZZ_EFIAPPS
        run_efiapps(data, len);
#elif FUZZ_TARGET == FUZZ_DEVMAP
        run_devmap(data, len);
#endif
        return 0;
}
