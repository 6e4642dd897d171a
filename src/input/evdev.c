/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Every evdev keyboard, touch screen, tablet and button array under a directory (normally
 * /dev/input), read with libevdev.
 *
 * There is no udev in the initramfs: devtmpfs creates the event nodes, so the directory is
 * scanned once and then watched with inotify (IN_CREATE, IN_MOVED_TO, and IN_ATTRIB to retry a
 * node that could not be opened right after it appeared). When the directory does not exist yet
 * (devtmpfs creates /dev/input with the first input device, which may come from a module loaded
 * later), its parent is watched until it does. An unplugged device is noticed when reading it
 * fails (ENODEV) and is then dropped.
 *
 * What a device is comes from its capabilities (input_classify(), touch.h): keyboards (KEY_ENTER
 * and KEY_A or KEY_UP), touch screens and tablets (absolute X/Y with a touch or left button: their
 * taps are decoded by touch.c), and buttons (volume and power keys: Up, Down, and Enter on a
 * tablet without a keyboard). Touchpads, mice and the like are closed again. Devices are not
 * grabbed: the kernel's VT keeps getting the keys too, and the application sets that terminal's
 * ttyin to discard mode.
 *
 * The devices are read by a thread of their own. The kernel keeps only 64 events per reader of a
 * keyboard (about 10 keys: a key is a scan code, the key and a report, pressed and released),
 * and drops them all (SYN_DROPPED) when more come before they are read: keys typed quickly
 * while the menu scanned the disks or drew a screen were lost. The reader thread only moves the
 * devices' events into a queue (struct evdev_record) and wakes the application's loop;
 * everything else (the device list, inotify, the keymap, taps, the callbacks) stays in the
 * application's thread, in evdev_input_dispatch(). A device is opened and closed there; the
 * reader thread sees it only through its epoll set, and stops reading a device whose read failed
 * (the record of the error tells dispatch to close it). */
#define LOG_MODULE "evdev"

#include "input.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <linux/kd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/inotify.h>

#include <libevdev/libevdev.h>

#include "../core/log.h"
#include "../core/util.h"
#include "keymap.h"
#include "touch.h"

/* The epoll data of the inotify fd and of the reader thread's eventfd in the application's epoll
 * set; devices get ids from 1 up. The queue names devices by id rather than by pointer, so that
 * a record of a device dropped earlier cannot reach freed memory. */
#define INOTIFY_ID 0
#define WAKE_ID    UINT64_MAX

/* The queue between the reader thread and dispatch: when it is full (the application has not
 * dispatched for a long time), the reader waits, and the kernel drops what comes meanwhile
 * (SYN_DROPPED), as it did without the thread. */
#define QUEUE_MAX 8192

/* At most this many records handled per dispatch, so that one chatty device cannot starve the
 * loop (the wake-up is set again while records are left). */
#define DISPATCH_MAX 1024

#define WATCH_MASK (IN_CREATE | IN_ATTRIB | IN_MOVED_TO | IN_ONLYDIR)

struct evdev_device {
        struct evdev_device *next;
        uint64_t id;
        char *path;
        int fd;
        struct libevdev *dev; /* read by the reader thread alone once in its epoll set */
        unsigned kinds;       /* INPUT_KIND_* */
        bool tablet_buttons;  /* volume keys on the machine's own buses (touch.h) */
        struct keymap_state keymap;
        struct touch_decoder touch; /* touch screens and tablets */
};

enum record_kind {
        RECORD_EVENT,
        RECORD_REPLAYED, /* after SYN_DROPPED: the state libevdev replays */
        RECORD_DROPPED,  /* SYN_DROPPED: the kernel's buffer overflowed */
        RECORD_ERROR,    /* the read failed (error): the device is gone, close it */
};

struct evdev_record {
        uint64_t id; /* the device's */
        enum record_kind kind;
        int error;
        struct input_event ev;
};

struct evdev_input {
        int epoll_fd;  /* the application polls it: inotify and the reader's wake-ups */
        int reader_fd; /* the reader thread's epoll set: the devices and stop_fd */
        int wake_fd;   /* eventfd: records were queued */
        int stop_fd;   /* eventfd: the reader thread ends */
        bool reader_started;
        pthread_t reader;
        /* The queue (a ring), guarded by lock; space is signalled when dispatch took records. */
        pthread_mutex_t lock;
        pthread_cond_t space;
        struct evdev_record *queue;
        size_t head, n_queued;
        bool stopping;
        int inotify_fd;
        int dir_wd;    /* the watch on dir, or -1 */
        int parent_wd; /* the watch on dir's parent while dir does not exist, or -1 */
        char *dir;
        char *parent;
        const char *dir_name; /* the last component of dir (points into dir) */
        struct evdev_device *devices;
        unsigned n_devices;
        unsigned n_keyboards, n_touch, n_tablet_buttons;
        uint64_t next_id;
        struct keymap_table table; /* the console's keymap, when it could be read */
        bool have_table;
        const struct keymap_layout *layout; /* evdev_input_set_layout() */
        /* A callback may free the input (before a kexec jump) while dispatch runs: the free
         * waits until dispatch returns, and the keys after that one are dropped. */
        bool dispatching, freed;
};

/* Reads the kernel's console keymap (plain and shifted tables) with KDGKBENT, so a keymap loaded
 * on the console applies to the shell's text entry too. */
static bool read_console_keymap(struct keymap_table *ret)
{
        uint16_t plain[KEYMAP_TABLE_KEYS], shifted[KEYMAP_TABLE_KEYS];
        static const char *const ttys[] = {"/dev/tty0", "/dev/console"};
        int fd = -1;

        for (size_t i = 0; i < ARRAY_SIZE(ttys) && fd < 0; i++) {
                fd = open(ttys[i], O_RDONLY | O_NOCTTY | O_CLOEXEC);
                if (fd >= 0) {
                        struct kbentry probe = {.kb_table = K_NORMTAB, .kb_index = 1};
                        if (ioctl(fd, KDGKBENT, &probe) < 0) {
                                close(fd);
                                fd = -1;
                        }
                }
        }
        if (fd < 0)
                return false;
        for (unsigned k = 0; k < KEYMAP_TABLE_KEYS; k++) {
                struct kbentry n = {.kb_table = K_NORMTAB, .kb_index = (unsigned char) k};
                struct kbentry sh = {.kb_table = K_SHIFTTAB, .kb_index = (unsigned char) k};

                plain[k] = ioctl(fd, KDGKBENT, &n) == 0 ? n.kb_value : 0;
                shifted[k] = ioctl(fd, KDGKBENT, &sh) == 0 ? sh.kb_value : 0;
        }
        close(fd);
        return keymap_table_from_console(plain, shifted, ret) > 0;
}

static void device_free(struct evdev_device *d)
{
        if (!d)
                return;
        libevdev_free(d->dev);
        if (d->fd >= 0)
                close(d->fd);
        free(d->path);
        free(d);
}

static struct evdev_device *find_device_by_path(struct evdev_input *e, const char *path)
{
        for (struct evdev_device *d = e->devices; d; d = d->next)
                if (streq(d->path, path))
                        return d;
        return NULL;
}

static struct evdev_device *find_device_by_id(struct evdev_input *e, uint64_t id)
{
        for (struct evdev_device *d = e->devices; d; d = d->next)
                if (d->id == id)
                        return d;
        return NULL;
}

/* The counts changed: the power key is Enter on a tablet without a keyboard, on every device. */
static void count_devices(struct evdev_input *e)
{
        bool power_enter;

        e->n_keyboards = e->n_touch = e->n_tablet_buttons = 0;
        for (struct evdev_device *d = e->devices; d; d = d->next) {
                e->n_keyboards += !!(d->kinds & INPUT_KIND_KEYBOARD);
                e->n_touch += !!(d->kinds & (INPUT_KIND_TOUCHSCREEN | INPUT_KIND_TABLET));
                e->n_tablet_buttons += d->tablet_buttons;
        }
        power_enter = input_power_is_enter(e->n_keyboards, e->n_tablet_buttons);
        for (struct evdev_device *d = e->devices; d; d = d->next)
                d->keymap.power_enter = power_enter;
}

static void remove_device(struct evdev_input *e, struct evdev_device *d, int error)
{
        for (struct evdev_device **p = &e->devices; *p; p = &(*p)->next) {
                if (*p == d) {
                        *p = d->next;
                        break;
                }
        }
        e->n_devices--;
        /* out of the reader's epoll set already (it read the error), or the reader has ended */
        log_info("%s %s gone (%s)", input_kind_name(d->kinds), d->path, strerror(-error));
        device_free(d);
        count_devices(e);
}

static struct input_caps device_caps(const struct libevdev *dev)
{
#define KEY(c) libevdev_has_event_code(dev, EV_KEY, (c))
#define ABS(c) libevdev_has_event_code(dev, EV_ABS, (c))
        return (struct input_caps){
                .key_enter = KEY(KEY_ENTER),
                .key_a = KEY(KEY_A),
                .key_up = KEY(KEY_UP),
                .key_volume = KEY(KEY_VOLUMEUP) || KEY(KEY_VOLUMEDOWN),
                .key_power = KEY(KEY_POWER),
                .abs_xy = ABS(ABS_X) && ABS(ABS_Y),
                .abs_mt_xy = ABS(ABS_MT_POSITION_X) && ABS(ABS_MT_POSITION_Y),
                .btn_touch = KEY(BTN_TOUCH),
                .btn_left = KEY(BTN_LEFT),
                .btn_tool_finger = KEY(BTN_TOOL_FINGER),
                .prop_direct = libevdev_has_property(dev, INPUT_PROP_DIRECT),
                .prop_accelerometer = libevdev_has_property(dev, INPUT_PROP_ACCELEROMETER),
        };
#undef KEY
#undef ABS
}

static struct touch_axis axis(const struct libevdev *dev, unsigned code)
{
        const struct input_absinfo *a = libevdev_get_abs_info(dev, code);

        return a ? (struct touch_axis){a->minimum, a->maximum, a->resolution}
                 : (struct touch_axis){0};
}

/* Volume buttons of the machine itself (a tablet's), not of a keyboard nor of a USB or
 * Bluetooth device (a keyboard's media keys, a headset). */
static bool is_tablet_buttons(const struct libevdev *dev, const struct input_caps *c,
                              unsigned kinds)
{
        int bus = libevdev_get_id_bustype(dev);

        return (kinds & INPUT_KIND_BUTTONS) && c->key_volume && bus != BUS_USB &&
               bus != BUS_BLUETOOTH && bus != BUS_VIRTUAL;
}

static bool opened_kind(unsigned kinds)
{
        return kinds & (INPUT_KIND_KEYBOARD | INPUT_KIND_TOUCHSCREEN | INPUT_KIND_TABLET |
                        INPUT_KIND_BUTTONS);
}

/* Opens dir/name when it is a device the menu reads (opened_kind) not open yet. Failures are not
 * errors: the node may not be ready (retried on IN_ATTRIB) or be of no use. Returns -ENOMEM
 * only. */
static int add_device(struct evdev_input *e, const char *name)
{
        _cleanup_free_ char *path = NULL;
        struct evdev_device *d;
        struct epoll_event ev;
        struct input_caps caps;
        int r;

        if (!startswith(name, "event"))
                return 0;
        path = util_asprintf("%s/%s", e->dir, name);
        if (!path)
                return -ENOMEM;
        if (find_device_by_path(e, path))
                return 0;

        d = calloc(1, sizeof(*d));
        if (!d)
                return -ENOMEM;
        if (e->have_table)
                d->keymap.table = &e->table;
        keymap_set_layout(&d->keymap, e->layout);
        d->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (d->fd < 0) {
                log_debug("Cannot open %s yet (%m), retrying when its attributes change", path);
                device_free(d);
                return 0;
        }
        r = libevdev_new_from_fd(d->fd, &d->dev);
        if (r < 0) {
                log_debug("%s is not an evdev device (%s), ignoring", path, strerror(-r));
                device_free(d);
                return 0;
        }
        caps = device_caps(d->dev);
        d->kinds = input_classify(&caps);
        if (!opened_kind(d->kinds)) {
                log_debug("%s (%s) is a %s, ignoring", path, libevdev_get_name(d->dev),
                          d->kinds ? input_kind_name(d->kinds) : "device of no use here");
                device_free(d);
                return 0;
        }
        d->tablet_buttons = is_tablet_buttons(d->dev, &caps, d->kinds);
        if (d->kinds & (INPUT_KIND_TOUCHSCREEN | INPUT_KIND_TABLET)) {
                bool mt_only = !caps.abs_xy;
                struct touch_axis x = axis(d->dev, mt_only ? ABS_MT_POSITION_X : ABS_X);
                struct touch_axis y = axis(d->dev, mt_only ? ABS_MT_POSITION_Y : ABS_Y);

                touch_decoder_init(&d->touch, &x, &y, mt_only);
        }

        d->id = ++e->next_id;
        log_info("%s %s: %s (%s)", input_kind_name(d->kinds), path, libevdev_get_name(d->dev),
                 input_bus_name((unsigned) libevdev_get_id_bustype(d->dev)));
        /* From here on the reader thread reads d->dev; the list and the counts stay ours. */
        ev = (struct epoll_event){.events = EPOLLIN, .data.ptr = d};
        if (epoll_ctl(e->reader_fd, EPOLL_CTL_ADD, d->fd, &ev) < 0) {
                r = -errno;
                log_warn("Cannot watch %s: %s, ignoring", path, strerror(-r));
                device_free(d);
                return r == -ENOMEM ? r : 0;
        }
        d->path = path;
        path = NULL;
        d->next = e->devices;
        e->devices = d;
        e->n_devices++;
        count_devices(e);
        return 0;
}

static int scan(struct evdev_input *e)
{
        DIR *dir;
        struct dirent *de;
        int r = 0;

        dir = opendir(e->dir);
        if (!dir) {
                log_debug("Cannot open %s: %m", e->dir);
                return 0;
        }
        while ((de = readdir(dir))) {
                r = add_device(e, de->d_name);
                if (r < 0)
                        break;
        }
        closedir(dir);
        return r;
}

/* Watches dir and scans it, or, when it does not exist, watches its parent for it to appear. */
static int watch_dir(struct evdev_input *e)
{
        if (e->dir_wd >= 0)
                return 0;

        e->dir_wd = inotify_add_watch(e->inotify_fd, e->dir, WATCH_MASK);
        if (e->dir_wd < 0 && errno == ENOENT && e->parent_wd < 0) {
                e->parent_wd = inotify_add_watch(e->inotify_fd, e->parent,
                                                 IN_CREATE | IN_MOVED_TO | IN_ONLYDIR);
                if (e->parent_wd < 0)
                        return -errno;
                log_debug("%s does not exist yet, watching %s", e->dir, e->parent);
                /* It may have appeared in between. */
                e->dir_wd = inotify_add_watch(e->inotify_fd, e->dir, WATCH_MASK);
        }
        if (e->dir_wd < 0)
                return errno == ENOENT ? 0 : -errno;

        if (e->parent_wd >= 0) {
                int wd = e->parent_wd;

                e->parent_wd = -1;
                inotify_rm_watch(e->inotify_fd, wd);
        }
        return scan(e);
}

static int handle_inotify(struct evdev_input *e)
{
        char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
        bool rescan = false, rewatch = false;
        int r;

        for (;;) {
                ssize_t l = read(e->inotify_fd, buf, sizeof(buf));

                if (l < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno == EAGAIN)
                                break;
                        return -errno;
                }
                if (l == 0)
                        break;

                for (char *p = buf; p < buf + l;) {
                        const struct inotify_event *ie = (const struct inotify_event *) p;

                        p += sizeof(*ie) + ie->len;
                        if (ie->mask & IN_Q_OVERFLOW) {
                                rescan = true;
                                continue;
                        }
                        if (ie->wd == e->dir_wd && ie->wd >= 0) {
                                if (ie->mask & IN_IGNORED) {
                                        /* dir itself went away: wait for it again */
                                        e->dir_wd = -1;
                                        rewatch = true;
                                } else if (ie->len > 0 && !(ie->mask & IN_ISDIR)) {
                                        r = add_device(e, ie->name);
                                        if (r < 0)
                                                return r;
                                }
                        } else if (ie->wd == e->parent_wd && ie->wd >= 0 && ie->len > 0 &&
                                   streq(ie->name, e->dir_name)) {
                                rewatch = true;
                        }
                }
        }

        if (rewatch && e->dir_wd < 0)
                return watch_dir(e);
        if (rescan && e->dir_wd >= 0)
                return scan(e);
        return 0;
}

/* One event of the device: keys through the keymap, touches through the tap decoder. */
static void device_event(struct evdev_input *e, struct evdev_device *d,
                         const struct input_event *ev, bool replayed, input_key_cb cb,
                         input_tap_cb tap_cb, void *userdata)
{
        struct key_event kev;
        struct touch_tap tap;

        if (d->kinds & (INPUT_KIND_TOUCHSCREEN | INPUT_KIND_TABLET) &&
            touch_decoder_event(&d->touch, ev->type, ev->code, ev->value, &tap) > 0 && !replayed &&
            tap_cb) {
                log_debug("tap on %s at %u/%u, %u/%u", d->path, tap.x, TOUCH_UNIT, tap.y,
                          TOUCH_UNIT);
                tap_cb(&tap, userdata);
        }
        if (ev->type != EV_KEY || !(d->kinds & (INPUT_KIND_KEYBOARD | INPUT_KIND_BUTTONS)))
                return;
        if (replayed) {
                /* The replayed state updates the modifiers but gives no key events (they are
                 * not key presses, and would be stale anyway). A replayed Caps Lock is not
                 * toggled on: there is no telling how often it was pressed. */
                if (ev->code != KEY_CAPSLOCK)
                        keymap_translate(&d->keymap, ev->code, ev->value, &kev);
                return;
        }
        if (keymap_translate(&d->keymap, ev->code, ev->value, &kev) > 0) {
                cb(&kev, userdata);
                /* A dead key's diacritic without a pair came first: the key itself follows. */
                if (!e->freed && keymap_take_pending(&d->keymap, &kev) > 0)
                        cb(&kev, userdata);
        }
}

/* ---- the reader thread ---- */

/* Queues one record; waits while the queue is full. Returns false when the reader stops. */
static bool queue_push(struct evdev_input *e, const struct evdev_device *d, enum record_kind kind,
                       int error, const struct input_event *ev)
{
        bool go;

        pthread_mutex_lock(&e->lock);
        while (e->n_queued == QUEUE_MAX && !e->stopping)
                pthread_cond_wait(&e->space, &e->lock);
        go = !e->stopping;
        if (go) {
                struct evdev_record *rec = &e->queue[(e->head + e->n_queued) % QUEUE_MAX];

                *rec = (struct evdev_record){.id = d->id, .kind = kind, .error = error};
                if (ev)
                        rec->ev = *ev;
                e->n_queued++;
        }
        pthread_mutex_unlock(&e->lock);
        return go;
}

/* Moves what the device has into the queue. A failed read is queued as RECORD_ERROR and the
 * device leaves the reader's epoll set: it is not read again. */
static void reader_read(struct evdev_input *e, struct evdev_device *d, uint32_t events)
{
        struct input_event ev;
        int r;

        for (;;) {
                r = libevdev_next_event(d->dev, LIBEVDEV_READ_FLAG_NORMAL, &ev);
                if (r == -EAGAIN)
                        break;
                if (r == -EINTR)
                        continue;
                if (r < 0)
                        goto fail;
                if (r == LIBEVDEV_READ_STATUS_SYNC) {
                        /* SYN_DROPPED: libevdev replays the changes of state. */
                        if (!queue_push(e, d, RECORD_DROPPED, 0, NULL))
                                return;
                        while ((r = libevdev_next_event(d->dev, LIBEVDEV_READ_FLAG_SYNC, &ev)) ==
                               LIBEVDEV_READ_STATUS_SYNC)
                                if (!queue_push(e, d, RECORD_REPLAYED, 0, &ev))
                                        return;
                        if (r < 0 && r != -EAGAIN)
                                goto fail;
                        continue;
                }
                if (!queue_push(e, d, RECORD_EVENT, 0, &ev))
                        return;
        }
        if (!(events & (EPOLLERR | EPOLLHUP)))
                return;
        r = -ENODEV;
fail:
        epoll_ctl(e->reader_fd, EPOLL_CTL_DEL, d->fd, NULL);
        (void) queue_push(e, d, RECORD_ERROR, r, NULL);
}

static void *reader_main(void *userdata)
{
        struct evdev_input *e = userdata;
        struct epoll_event evs[16];
        const uint64_t one = 1;

        for (;;) {
                int n = epoll_wait(e->reader_fd, evs, ARRAY_SIZE(evs), -1);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        log_error("The evdev reader stops: epoll_wait: %m");
                        return NULL;
                }
                for (int i = 0; i < n; i++) {
                        if (!evs[i].data.ptr)
                                return NULL; /* stop_fd */
                        reader_read(e, evs[i].data.ptr, evs[i].events);
                }
                if (write(e->wake_fd, &one, sizeof(one)) < 0)
                        log_debug("Cannot wake the menu: %m");
        }
}

/* The thread takes no signals: they stay the application's. */
static int reader_start(struct evdev_input *e)
{
        sigset_t all, old;
        int r;

        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        r = -pthread_create(&e->reader, NULL, reader_main, e);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        e->reader_started = r == 0;
        return r;
}

static void reader_stop(struct evdev_input *e)
{
        const uint64_t one = 1;

        if (!e->reader_started)
                return;
        pthread_mutex_lock(&e->lock);
        e->stopping = true;
        pthread_cond_broadcast(&e->space);
        pthread_mutex_unlock(&e->lock);
        if (write(e->stop_fd, &one, sizeof(one)) < 0)
                log_warn("Cannot stop the evdev reader: %m");
        pthread_join(e->reader, NULL);
        e->reader_started = false;
}

/* ---- dispatch, in the application's thread ---- */

static void handle_record(struct evdev_input *e, const struct evdev_record *rec, input_key_cb cb,
                          input_tap_cb tap_cb, void *userdata)
{
        struct evdev_device *d = find_device_by_id(e, rec->id);

        if (!d)
                return;
        switch (rec->kind) {
        case RECORD_EVENT:
        case RECORD_REPLAYED:
                device_event(e, d, &rec->ev, rec->kind == RECORD_REPLAYED, cb, tap_cb, userdata);
                break;
        case RECORD_DROPPED:
                /* The replayed state that follows updates the modifiers and the touch state, and
                 * gives no key events and no taps. */
                log_warn("%s: events dropped by the kernel (SYN_DROPPED), keys lost", d->path);
                touch_decoder_reset(&d->touch);
                break;
        case RECORD_ERROR:
                remove_device(e, d, rec->error);
                break;
        }
}

/* Takes up to DISPATCH_MAX records off the queue and handles them, in the order read. */
static void drain_queue(struct evdev_input *e, input_key_cb cb, input_tap_cb tap_cb, void *userdata)
{
        struct evdev_record batch[64];
        size_t done = 0, n;
        bool left;

        do {
                pthread_mutex_lock(&e->lock);
                n = MIN(e->n_queued, ARRAY_SIZE(batch));
                for (size_t i = 0; i < n; i++)
                        batch[i] = e->queue[(e->head + i) % QUEUE_MAX];
                e->head = (e->head + n) % QUEUE_MAX;
                e->n_queued -= n;
                left = e->n_queued > 0;
                if (n > 0)
                        pthread_cond_signal(&e->space);
                pthread_mutex_unlock(&e->lock);

                for (size_t i = 0; i < n && !e->freed; i++)
                        handle_record(e, &batch[i], cb, tap_cb, userdata);
                done += n;
        } while (n > 0 && left && !e->freed && done < DISPATCH_MAX);

        if (left && !e->freed) {
                const uint64_t one = 1;

                /* the rest at the next turn of the loop, which then does not wait */
                if (write(e->wake_fd, &one, sizeof(one)) < 0)
                        log_debug("Cannot wake the menu: %m");
        }
}

int evdev_input_dispatch(struct evdev_input *e, input_key_cb cb, input_tap_cb tap_cb,
                         void *userdata)
{
        struct epoll_event evs[16];
        int n, r;

        n = epoll_wait(e->epoll_fd, evs, ARRAY_SIZE(evs), 0);
        if (n < 0)
                return errno == EINTR ? 0 : -errno;

        e->dispatching = true;
        for (int i = 0; i < n && !e->freed; i++) {
                if (evs[i].data.u64 == INOTIFY_ID) {
                        r = handle_inotify(e);
                        if (r < 0)
                                log_warn("Cannot follow %s: %s", e->dir, strerror(-r));
                } else if (evs[i].data.u64 == WAKE_ID) {
                        uint64_t count;

                        (void) !read(e->wake_fd, &count, sizeof(count));
                        drain_queue(e, cb, tap_cb, userdata);
                }
        }
        e->dispatching = false;
        if (e->freed)
                (void) evdev_input_free(e);
        return 0;
}

int evdev_input_new(const char *dir, struct evdev_input **ret)
{
        struct evdev_input *e;
        struct epoll_event ev;
        char *slash;
        int r;

        if (isempty(dir))
                return -EINVAL;
        e = calloc(1, sizeof(*e));
        if (!e)
                return -ENOMEM;
        e->epoll_fd = e->inotify_fd = e->dir_wd = e->parent_wd = -1;
        e->reader_fd = e->wake_fd = e->stop_fd = -1;
        pthread_mutex_init(&e->lock, NULL);
        pthread_cond_init(&e->space, NULL);
        e->queue = calloc(QUEUE_MAX, sizeof(*e->queue));
        if (!e->queue) {
                r = -ENOMEM;
                goto fail;
        }
        e->have_table = read_console_keymap(&e->table);
        log_debug("console keymap %s", e->have_table ? "read with KDGKBENT" : "not available");

        e->dir = strdup(dir);
        if (!e->dir) {
                r = -ENOMEM;
                goto fail;
        }
        /* "/dev/input/" -> "/dev/input"; the parent is "/dev", or "." for a relative name. */
        for (size_t l = strlen(e->dir); l > 1 && e->dir[l - 1] == '/'; l--)
                e->dir[l - 1] = 0;
        slash = strrchr(e->dir, '/');
        if (!slash)
                e->parent = strdup(".");
        else if (slash == e->dir)
                e->parent = strdup("/");
        else
                e->parent = strndup(e->dir, (size_t) (slash - e->dir));
        if (!e->parent) {
                r = -ENOMEM;
                goto fail;
        }
        e->dir_name = slash ? slash + 1 : e->dir;

        e->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
        if (e->epoll_fd < 0) {
                r = -errno;
                goto fail;
        }
        e->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (e->inotify_fd < 0) {
                r = -errno;
                goto fail;
        }
        ev = (struct epoll_event){.events = EPOLLIN, .data.u64 = INOTIFY_ID};
        if (epoll_ctl(e->epoll_fd, EPOLL_CTL_ADD, e->inotify_fd, &ev) < 0) {
                r = -errno;
                goto fail;
        }
        e->reader_fd = epoll_create1(EPOLL_CLOEXEC);
        e->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        e->stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (e->reader_fd < 0 || e->wake_fd < 0 || e->stop_fd < 0) {
                r = -errno;
                goto fail;
        }
        ev = (struct epoll_event){.events = EPOLLIN, .data.u64 = WAKE_ID};
        if (epoll_ctl(e->epoll_fd, EPOLL_CTL_ADD, e->wake_fd, &ev) < 0) {
                r = -errno;
                goto fail;
        }
        ev = (struct epoll_event){.events = EPOLLIN, .data.ptr = NULL};
        if (epoll_ctl(e->reader_fd, EPOLL_CTL_ADD, e->stop_fd, &ev) < 0) {
                r = -errno;
                goto fail;
        }
        r = reader_start(e);
        if (r < 0)
                goto fail;
        r = watch_dir(e);
        if (r < 0)
                goto fail;

        log_debug("Watching %s, %u keyboard(s) and %u touch device(s) found", e->dir,
                  e->n_keyboards, e->n_touch);
        *ret = e;
        return 0;

fail:
        evdev_input_free(e);
        return r;
}

struct evdev_input *evdev_input_free(struct evdev_input *e)
{
        if (!e)
                return NULL;
        e->freed = true;
        if (e->dispatching)
                return NULL; /* freed when evdev_input_dispatch() returns */
        reader_stop(e);
        while (e->devices) {
                struct evdev_device *d = e->devices;

                e->devices = d->next;
                device_free(d);
        }
        if (e->inotify_fd >= 0)
                close(e->inotify_fd);
        if (e->epoll_fd >= 0)
                close(e->epoll_fd);
        if (e->reader_fd >= 0)
                close(e->reader_fd);
        if (e->wake_fd >= 0)
                close(e->wake_fd);
        if (e->stop_fd >= 0)
                close(e->stop_fd);
        pthread_cond_destroy(&e->space);
        pthread_mutex_destroy(&e->lock);
        free(e->queue);
        free(e->dir);
        free(e->parent);
        free(e);
        return NULL;
}

int evdev_input_fd(const struct evdev_input *e)
{
        return e->epoll_fd;
}

void evdev_input_set_layout(struct evdev_input *e, const struct keymap_layout *l)
{
        e->layout = l;
        for (struct evdev_device *d = e->devices; d; d = d->next)
                keymap_set_layout(&d->keymap, l);
}

unsigned evdev_input_keyboards(const struct evdev_input *e)
{
        return e->n_keyboards;
}

unsigned evdev_input_touch_devices(const struct evdev_input *e)
{
        return e->n_touch;
}

/* ---- the device list (for the hardware report) ---- */

static int event_number(const char *name)
{
        char *end;
        long n;

        if (!startswith(name, "event"))
                return -1;
        errno = 0;
        n = strtol(name + 5, &end, 10);
        return errno == 0 && end != name + 5 && *end == 0 && n >= 0 && n < INT32_MAX ? (int) n : -1;
}

static int info_compare(const void *a, const void *b)
{
        const struct input_device_info *x = a, *y = b;

        return (x->number > y->number) - (x->number < y->number);
}

void input_devices_free(struct input_device_info *list, size_t n)
{
        for (size_t i = 0; list && i < n; i++) {
                free(list[i].path);
                free(list[i].name);
        }
        free(list);
}

int input_devices_list(const char *dir, struct input_device_info **ret, size_t *n_ret)
{
        struct input_device_info *list = NULL;
        size_t n = 0;
        DIR *d;
        struct dirent *de;
        int r = 0;

        *ret = NULL;
        *n_ret = 0;
        d = opendir(dir);
        if (!d)
                return errno == ENOENT ? 0 : -errno;
        while ((de = readdir(d)) && n < INPUT_DEVICES_MAX) {
                struct input_device_info *l, info = {.number = event_number(de->d_name)};
                struct libevdev *dev = NULL;
                struct input_caps caps;
                int fd;

                if (info.number < 0)
                        continue;
                fd = openat(dirfd(d), de->d_name, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
                if (fd < 0)
                        continue;
                if (libevdev_new_from_fd(fd, &dev) < 0) {
                        close(fd);
                        continue;
                }
                caps = device_caps(dev);
                info.kinds = input_classify(&caps);
                info.read = opened_kind(info.kinds);
                info.bustype = (unsigned) libevdev_get_id_bustype(dev);
                info.path = util_asprintf("%s/%s", dir, de->d_name);
                info.name = strdup(libevdev_get_name(dev) ? libevdev_get_name(dev) : "");
                libevdev_free(dev);
                close(fd);
                l = reallocarray(list, n + 1, sizeof(*list));
                if (!l || !info.path || !info.name) {
                        if (l)
                                list = l;
                        free(info.path);
                        free(info.name);
                        r = -ENOMEM;
                        break;
                }
                list = l;
                list[n++] = info;
        }
        closedir(d);
        if (r < 0) {
                input_devices_free(list, n);
                return r;
        }
        if (n > 0)
                qsort(list, n, sizeof(*list), info_compare);
        *ret = list;
        *n_ret = n;
        return 0;
}
