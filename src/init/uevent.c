/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "uevent.h"

#include "../core/util.h"

/* The length of the NUL-terminated string at p (p < end), or -1 when no NUL comes before end. */
static ssize_t string_length(const char *p, const char *end)
{
        const char *nul = memchr(p, 0, (size_t) (end - p));

        return nul ? nul - p : -1;
}

int uevent_parse(const char *buf, size_t len, struct uevent *ret)
{
        const char *p = buf, *end = buf + len, *at, *v;
        struct uevent u = {0};
        ssize_t l;

        *ret = u;
        if (!buf || len == 0)
                return -EINVAL;
        l = string_length(p, end);
        if (l < 0)
                return -EINVAL;
        /* udev's own re-broadcast ("libudev", a magic number, binary offsets), never a kernel
         * message; it arrives only on the udev multicast group, but be sure. */
        if (streq(p, "libudev"))
                return -EPROTO;
        at = memchr(p, '@', (size_t) l);
        if (!at || at == p || at[1] != '/')
                return -EINVAL;

        for (p += l + 1; p < end; p += l + 1) {
                l = string_length(p, end);
                if (l < 0)
                        break; /* truncated */
                if ((v = startswith(p, "ACTION=")))
                        u.action = v;
                else if ((v = startswith(p, "DEVPATH=")))
                        u.devpath = v;
                else if ((v = startswith(p, "SUBSYSTEM=")))
                        u.subsystem = v;
                else if ((v = startswith(p, "DEVTYPE=")))
                        u.devtype = v;
                else if ((v = startswith(p, "DEVNAME=")))
                        u.devname = v;
                else if ((v = startswith(p, "MODALIAS=")))
                        u.modalias = v;
                else if ((v = startswith(p, "SEQNUM="))) {
                        char *e;
                        unsigned long long n;

                        errno = 0;
                        n = strtoull(v, &e, 10);
                        if (errno == 0 && e != v && *e == 0)
                                u.seqnum = n;
                }
        }
        if (isempty(u.action) || isempty(u.devpath) || u.devpath[0] != '/')
                return -EINVAL;
        /* The header and the keys must agree: "add@/devices/x" goes with ACTION=add and
         * DEVPATH=/devices/x. */
        if ((size_t) (at - buf) != strlen(u.action) ||
            strncmp(buf, u.action, (size_t) (at - buf)) || !streq(at + 1, u.devpath))
                return -EINVAL;
        if (u.subsystem && !*u.subsystem)
                u.subsystem = NULL;
        if (u.devtype && !*u.devtype)
                u.devtype = NULL;
        if (u.devname && !*u.devname)
                u.devname = NULL;
        if (u.modalias && !*u.modalias)
                u.modalias = NULL;
        *ret = u;
        return 0;
}
