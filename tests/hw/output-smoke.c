/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A hardware smoke test of the DRM and fbdev outputs, not a registered test: run it on a machine
 * with a display, or in QEMU as the initramfs' first process (rdinit=/usr/bin/output-smoke). As
 * PID 1 it mounts /proc, /sys and /dev, loads the display drivers with /sbin/modprobe and powers
 * off at the end. It draws a gradient with a white rectangle on every output (marker
 * SMOKE-FRAME1), repaints one dirty rectangle in red (SMOKE-FRAME2), releases the display
 * (SMOKE-RELEASED), takes it again (SMOKE-RESUMED), and releases it for good (SMOKE-DONE).
 * Markers go to stdout, one line each. Usage: output-smoke [MODULE...] (default: bochs,
 * virtio_pci, virtio_gpu). Environment: SMOKE_VIDEO=WxH, SMOKE_FBDEV=1 (skip DRM),
 * SMOKE_DELAY=seconds between steps (default 3). */
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "core/util.h"
#include "output/output.h"

static void marker(const char *fmt, ...) _printf_(1, 2);
static void marker(const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        putchar('\n');
        fflush(stdout);
}

static void setup_pid1(void)
{
        int fd;

        mkdir("/proc", 0755);
        mkdir("/sys", 0755);
        mkdir("/dev", 0755);
        (void) mount("proc", "/proc", "proc", 0, NULL);
        (void) mount("sysfs", "/sys", "sysfs", 0, NULL);
        (void) mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
        fd = open("/dev/console", O_RDWR | O_NOCTTY);
        if (fd >= 0) {
                dup2(fd, 0);
                dup2(fd, 1);
                dup2(fd, 2);
                if (fd > 2)
                        close(fd);
        }
}

static void modprobe(const char *m)
{
        pid_t pid = fork();
        int status;

        if (pid == 0) {
                execl("/sbin/modprobe", "modprobe", m, (char *) NULL);
                _exit(127);
        }
        if (pid > 0)
                (void) waitpid(pid, &status, 0);
}

static void sleep_ms(unsigned ms)
{
        struct timespec ts = {ms / 1000, (long) (ms % 1000) * 1000000L};

        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                ;
}

static bool wait_for(const char *path, unsigned ms)
{
        for (unsigned t = 0; t < ms; t += 100) {
                if (access(path, F_OK) == 0)
                        return true;
                sleep_ms(100);
        }
        return access(path, F_OK) == 0;
}

/* A canvas the size of o: a red-green gradient over blue, a white rectangle in the middle. */
static int paint(struct gfx_canvas *c, const struct output *o)
{
        *c = (struct gfx_canvas){.w = o->width, .h = o->height};
        c->px = malloc((size_t) c->w * c->h * 4);
        if (!c->px)
                return -ENOMEM;
        for (int y = 0; y < c->h; y++)
                for (int x = 0; x < c->w; x++)
                        c->px[(size_t) y * c->w + x] = (uint32_t) (x * 255 / c->w) << 16 |
                                                       (uint32_t) (y * 255 / c->h) << 8 | 0x40;
        for (int y = c->h / 4; y < c->h * 3 / 4; y++)
                for (int x = c->w / 4; x < c->w * 3 / 4; x++)
                        c->px[(size_t) y * c->w + x] = 0x00ffffff;
        return 0;
}

int main(int argc, char **argv)
{
        static const char *const default_modules[] = {"bochs", "virtio_pci", "virtio_gpu"};
        const char *delay_s = getenv("SMOKE_DELAY");
        unsigned delay = delay_s ? (unsigned) atoi(delay_s) * 1000 : 3000;
        struct output_set set = {0};
        struct gfx_canvas *canvases = NULL;
        bool pid1 = getpid() == 1;
        int r = -ENODEV;

        if (pid1) {
                setup_pid1();
                if (argc > 1)
                        for (int i = 1; i < argc; i++)
                                modprobe(argv[i]);
                else
                        for (size_t i = 0; i < ARRAY_SIZE(default_modules); i++)
                                modprobe(default_modules[i]);
                if (!wait_for("/dev/dri/card0", 10000))
                        marker("SMOKE-NO-DRI");
        }
        if (!getenv("SMOKE_FBDEV") || !*getenv("SMOKE_FBDEV")) {
                r = output_drm_open("/dev/dri", getenv("SMOKE_VIDEO"), &set);
                if (r < 0) {
                        marker("SMOKE-DRM-FAILED %s", strerror(-r));
                        output_set_done(&set);
                }
        }
        if (r < 0) {
                if (pid1)
                        (void) wait_for("/dev/fb0", 2000);
                r = output_fbdev_open("/dev/fb0", &set);
                if (r < 0)
                        marker("SMOKE-FBDEV-FAILED %s", strerror(-r));
        }
        if (r < 0)
                goto out;

        canvases = calloc(set.n, sizeof(*canvases));
        if (!canvases)
                goto out;
        for (size_t i = 0; i < set.n; i++) {
                struct output *o = set.items[i];
                if (paint(&canvases[i], o) < 0)
                        goto out;
                r = o->ops->present(o, &canvases[i], NULL, 0);
                marker("SMOKE-OUTPUT %s %s %dx%d@%d present=%d", o->ops->name, o->name, o->width,
                       o->height, o->refresh, r);
        }
        marker("SMOKE-FRAME1");
        sleep_ms(delay);

        /* Only a dirty rect changes: a red square at the top left of the white rectangle. */
        for (size_t i = 0; i < set.n; i++) {
                struct gfx_canvas *c = &canvases[i];
                struct gfx_rect d = {c->w / 4, c->h / 4, 64, 64};
                for (int y = d.y; y < d.y + d.h; y++)
                        for (int x = d.x; x < d.x + d.w; x++)
                                c->px[(size_t) y * c->w + x] = 0x00ff0000;
                r = set.items[i]->ops->present(set.items[i], c, &d, 1);
        }
        marker("SMOKE-FRAME2");
        sleep_ms(delay);

        output_set_release(&set);
        marker("SMOKE-RELEASED");
        sleep_ms(delay);

        r = output_set_resume(&set);
        for (size_t i = 0; i < set.n; i++)
                set.items[i]->ops->present(set.items[i], &canvases[i], NULL, 0);
        marker("SMOKE-RESUMED %d", r);
        sleep_ms(delay);

        output_set_release(&set);
        marker("SMOKE-DONE");
        sleep_ms(delay);
out:
        if (canvases)
                for (size_t i = 0; i < set.n; i++)
                        free(canvases[i].px);
        free(canvases);
        output_set_done(&set);
        if (pid1) {
                sync();
                reboot(RB_POWER_OFF);
        }
        return r < 0 ? 1 : 0;
}
