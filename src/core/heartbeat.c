/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "heartbeat.h"

#include "util.h"

static int hb_fd = -1;
static unsigned hb_interval_ms;
static unsigned long long hb_last;

void heartbeat_attach(int fd, unsigned interval_ms)
{
        hb_fd = fd;
        hb_interval_ms = MAX(interval_ms, 1u);
        hb_last = 0;
}

int heartbeat_interval_ms(void)
{
        return hb_fd >= 0 ? (int) hb_interval_ms : -1;
}

/* A full pipe (EAGAIN) means the supervisor has beats to read already. */
static void send_byte(char b)
{
        ssize_t k;

        do
                k = write(hb_fd, &b, 1);
        while (k < 0 && errno == EINTR);
}

void heartbeat_beat(void)
{
        unsigned long long now;

        if (hb_fd < 0)
                return;
        now = util_now_ms();
        if (hb_last != 0 && now - hb_last < HEARTBEAT_MIN_GAP_MS)
                return;
        hb_last = now;
        send_byte(HEARTBEAT_BEAT);
}

void heartbeat_pause(void)
{
        if (hb_fd >= 0)
                send_byte(HEARTBEAT_PAUSE);
}

void heartbeat_resume(void)
{
        if (hb_fd < 0)
                return;
        send_byte(HEARTBEAT_RESUME);
        hb_last = util_now_ms();
}
