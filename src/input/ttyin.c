/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Key input from a terminal: the console VT or a serial line.
 *
 * The terminal is put in a raw-ish mode: no canonical line editing, no echo, no signals (Ctrl-C
 * arrives as a key), no CR/LF translation and no XON/XOFF on input; output processing (OPOST,
 * ONLCR) is kept so that "\n" still starts a new line on screen.
 *
 * The fd is borrowed: ttyin_free() restores the terminal mode but does not close it. O_NONBLOCK
 * is deliberately not set: as PID 1 the console is one open file shared by stdin, stdout and
 * stderr, and a non-blocking stdout would lose screen output on a slow serial line. Reads are
 * made non-blocking by polling the fd with a zero timeout before each read instead. */
#define LOG_MODULE "ttyin"

#include "input.h"

#include <poll.h>
#include <termios.h>

#include "../core/log.h"
#include "../core/util.h"
#include "ttykeys.h"

/* At most this many reads per dispatch, so that a flood of bytes cannot starve the loop. */
#define READS_MAX 64

struct ttyin {
        int fd;
        bool is_tty; /* tcgetattr() worked: there is a mode to set and restore */
        bool raw;    /* the raw mode is applied now */
        bool discard;
        bool suspended; /* between ttyin_suspend() and ttyin_resume(): bytes are dropped */
        struct termios saved;
        struct ttykeys keys;
        unsigned long long last_byte_ms; /* when the last byte arrived */
};

static void apply_raw(struct ttyin *t)
{
        struct termios tio;

        if (!t->is_tty || t->raw)
                return;
        tio = t->saved;
        tio.c_lflag &= ~(tcflag_t) (ICANON | ECHO | ECHOE | ECHOK | ECHONL | ISIG | IEXTEN);
        tio.c_iflag &= ~(tcflag_t) (ICRNL | INLCR | IGNCR | IXON | IXOFF | ISTRIP | INPCK | BRKINT |
                                    PARMRK);
        tio.c_cc[VMIN] = 1;
        tio.c_cc[VTIME] = 0;
        if (tcsetattr(t->fd, TCSANOW, &tio) < 0) {
                log_warn("Cannot set raw mode on fd %d: %m", t->fd);
                return;
        }
        t->raw = true;
}

static void restore_mode(struct ttyin *t)
{
        if (!t->is_tty || !t->raw)
                return;
        if (tcsetattr(t->fd, TCSANOW, &t->saved) < 0)
                log_debug("Cannot restore the terminal mode on fd %d: %m", t->fd);
        t->raw = false;
}

int ttyin_new(int fd, struct ttyin **ret)
{
        struct ttyin *t;

        if (fd < 0)
                return -EBADF;
        t = calloc(1, sizeof(*t));
        if (!t)
                return -ENOMEM;
        t->fd = fd;
        ttykeys_init(&t->keys);
        if (tcgetattr(fd, &t->saved) == 0)
                t->is_tty = true;
        else
                log_debug("fd %d is not a terminal (%m), reading it as it is", fd);
        apply_raw(t);
        *ret = t;
        return 0;
}

struct ttyin *ttyin_free(struct ttyin *t)
{
        if (!t)
                return NULL;
        restore_mode(t);
        free(t);
        return NULL;
}

int ttyin_fd(const struct ttyin *t)
{
        return t->fd;
}

void ttyin_set_discard(struct ttyin *t, bool discard)
{
        if (t->discard == discard)
                return;
        t->discard = discard;
        ttykeys_init(&t->keys);
}

void ttyin_suspend(struct ttyin *t)
{
        t->suspended = true;
        restore_mode(t);
        ttykeys_init(&t->keys);
}

void ttyin_resume(struct ttyin *t)
{
        t->suspended = false;
        ttykeys_init(&t->keys);
        apply_raw(t);
}

int ttyin_timeout_ms(const struct ttyin *t)
{
        unsigned long long now, elapsed;

        if (t->discard || t->suspended || !ttykeys_pending(&t->keys))
                return -1;
        now = util_now_ms();
        elapsed = now > t->last_byte_ms ? now - t->last_byte_ms : 0;
        if (elapsed >= TTYKEYS_ESC_TIMEOUT_MS)
                return 0;
        return (int) (TTYKEYS_ESC_TIMEOUT_MS - elapsed);
}

/* The callback may suspend the terminal (to boot) or switch to discard mode (a VT now read
 * through evdev): what follows is then not for it. */
static bool stopped(const struct ttyin *t)
{
        return t->discard || t->suspended;
}

static void deliver(struct ttyin *t, const struct key_event *ev, int n, input_key_cb cb,
                    void *userdata)
{
        for (int i = 0; i < n && !stopped(t); i++)
                cb(&ev[i], userdata);
}

/* Checks without blocking whether the fd can be read. Returns 1 readable, 0 nothing, -EIO when
 * the terminal hung up (and nothing is left to read). */
static int poll_readable(int fd)
{
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r;

        do {
                r = poll(&p, 1, 0);
        } while (r < 0 && errno == EINTR);
        if (r < 0)
                return -errno;
        if (r == 0)
                return 0;
        if (p.revents & POLLIN)
                return 1;
        if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
                return -EIO;
        return 0;
}

int ttyin_dispatch(struct ttyin *t, input_key_cb cb, void *userdata)
{
        struct key_event ev[2];
        bool got_bytes = false;
        int n;

        for (unsigned reads = 0; reads < READS_MAX; reads++) {
                unsigned char buf[256];
                ssize_t l;
                int r;

                r = poll_readable(t->fd);
                if (r < 0)
                        return r;
                if (r == 0)
                        break;
                l = read(t->fd, buf, sizeof(buf));
                if (l < 0) {
                        if (errno == EINTR || errno == EAGAIN)
                                continue;
                        return -errno; /* EIO after a hang-up */
                }
                if (l == 0) /* end of file: the terminal hung up */
                        return -EIO;

                got_bytes = true;
                t->last_byte_ms = util_now_ms();
                for (ssize_t i = 0; i < l && !stopped(t); i++) {
                        n = ttykeys_feed(&t->keys, buf[i], ev);
                        deliver(t, ev, n, cb, userdata);
                }
        }

        /* A lone ESC (or a partial sequence) with no byte after it within the timeout. Bytes read
         * just now are taken as the continuation of what was pending, even when the loop was slow
         * to get to them. */
        if (!got_bytes && ttykeys_pending(&t->keys) && ttyin_timeout_ms(t) == 0) {
                n = ttykeys_flush(&t->keys, ev);
                deliver(t, ev, n, cb, userdata);
        }
        return 0;
}
