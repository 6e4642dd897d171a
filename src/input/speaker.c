/* SPDX-License-Identifier: GPL-2.0-or-later */
#define LOG_MODULE "speaker"
#include "speaker.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <linux/input.h>
#include <linux/kd.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../core/log.h"
#include "../core/util.h"

/* The PIT's clock, which KDMKTONE divides (the console's beep, drivers/tty/vt/vt_ioctl.c). */
#define SPEAKER_PIT_HZ 1193182u
/* A tone through KDMKTONE stops by itself after this many ms unless renewed: a menu that dies
 * in the middle of a beep never leaves the speaker sounding. */
#define SPEAKER_KDMKTONE_MS 1000u
#define SPEAKER_SCAN_MAX    256

enum speaker_kind { SPEAKER_TONE, SPEAKER_BELL, SPEAKER_KDMKTONE };

struct speaker {
        int fd;
        bool own_fd;
        enum speaker_kind kind;
        char name[PATH_MAX + 96];
};

static bool bit_set(const unsigned char *bits, unsigned bit)
{
        return bits[bit / 8] & (1u << (bit % 8));
}

/* Which sound the evdev device at fd can make: SPEAKER_TONE, SPEAKER_BELL, or -1. */
static int evdev_kind(int fd)
{
        unsigned char ev[(EV_MAX + 8) / 8] = {0}, snd[(SND_MAX + 8) / 8] = {0};

        if (ioctl(fd, EVIOCGBIT(0, sizeof(ev)), ev) < 0 || !bit_set(ev, EV_SND))
                return -1;
        if (ioctl(fd, EVIOCGBIT(EV_SND, sizeof(snd)), snd) < 0)
                return -1;
        if (bit_set(snd, SND_TONE))
                return SPEAKER_TONE;
        if (bit_set(snd, SND_BELL))
                return SPEAKER_BELL;
        return -1;
}

/* The best evdev speaker under dir: its fd (O_WRONLY), kind and name. */
static int find_evdev(const char *dir, struct speaker *s)
{
        DIR *d = opendir(dir);
        struct dirent *de;
        int best = -1, scanned = 0;

        if (!d)
                return -errno;
        while ((de = readdir(d)) && scanned < SPEAKER_SCAN_MAX) {
                char path[PATH_MAX], name[80] = "";
                int fd, kind;

                if (strncmp(de->d_name, "event", 5) != 0)
                        continue;
                scanned++;
                if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= (int) sizeof(path))
                        continue;
                fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
                if (fd < 0)
                        continue;
                kind = evdev_kind(fd);
                if (kind < 0 || (best >= 0 && kind >= (int) s->kind)) {
                        close(fd);
                        continue;
                }
                if (best >= 0)
                        close(best);
                best = fd;
                s->kind = kind;
                (void) ioctl(fd, EVIOCGNAME(sizeof(name) - 1), name);
                snprintf(s->name, sizeof(s->name), "evdev %s '%s' %s", path, name,
                         kind == SPEAKER_TONE ? "tone" : "bell");
        }
        closedir(d);
        if (best < 0)
                return -ENODEV;
        s->fd = best;
        s->own_fd = true;
        return 0;
}

int speaker_open(const char *input_dir, int console_fd, struct speaker **ret)
{
        _cleanup_free_ struct speaker *s = calloc(1, sizeof(*s));

        if (!s)
                return -ENOMEM;
        s->fd = -1;
        if (!input_dir || find_evdev(input_dir, s) < 0) {
                /* KDMKTONE 0 silences the console's speaker: a VT takes it, anything else not */
                if (console_fd < 0 || ioctl(console_fd, KDMKTONE, 0) < 0)
                        return -ENODEV;
                s->fd = console_fd;
                s->kind = SPEAKER_KDMKTONE;
                snprintf(s->name, sizeof(s->name), "console kdmktone");
        }
        log_info("beeps through %s", s->name);
        *ret = s;
        s = NULL;
        return 0;
}

static int write_event(int fd, unsigned type, unsigned code, int value)
{
        struct input_event ev[2] = {
                {.type = (uint16_t) type, .code = (uint16_t) code, .value = value},
                {.type = EV_SYN, .code = SYN_REPORT},
        };
        ssize_t n = write(fd, ev, sizeof(ev));

        if (n < 0)
                return -errno;
        return n == (ssize_t) sizeof(ev) ? 0 : -EIO;
}

int speaker_tone(struct speaker *s, unsigned hz)
{
        unsigned long arg;

        if (!s)
                return -ENODEV;
        switch (s->kind) {
        case SPEAKER_TONE:
                return write_event(s->fd, EV_SND, SND_TONE, (int) MIN(hz, 20000u));
        case SPEAKER_BELL:
                return write_event(s->fd, EV_SND, SND_BELL, hz ? 1 : 0);
        case SPEAKER_KDMKTONE:
                arg = hz ? (SPEAKER_KDMKTONE_MS << 16) | (SPEAKER_PIT_HZ / MAX(hz, 20u)) : 0;
                return ioctl(s->fd, KDMKTONE, arg) < 0 ? -errno : 0;
        }
        return -EINVAL;
}

const char *speaker_name(const struct speaker *s)
{
        return s ? s->name : "none";
}

struct speaker *speaker_free(struct speaker *s)
{
        if (!s)
                return NULL;
        (void) speaker_tone(s, 0);
        if (s->own_fd && s->fd >= 0)
                close(s->fd);
        free(s);
        return NULL;
}
