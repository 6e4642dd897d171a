/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel uevents as they arrive on a NETLINK_KOBJECT_UEVENT socket: a header "action@devpath",
 * then NUL-terminated KEY=VALUE strings. Pure parsing, no sockets. */
#pragma once

#include <stddef.h>

struct uevent {
        const char *action;    /* "add", "remove", "change", "move", "bind", "unbind", ... */
        const char *devpath;   /* "/devices/pci0000:00/0000:00:04.0/virtio1/block/vda" */
        const char *subsystem; /* "block", "usb", "input"; NULL when absent */
        const char *devtype;   /* "disk", "partition", "usb_device"; NULL when absent */
        const char *devname;   /* "vda", "input/event3" (below /dev); NULL when absent */
        const char *modalias;  /* "usb:v0627p0001d0000dc00dsc00dp00ic03isc01ip01in00"; or NULL */
        unsigned long long seqnum; /* 0 when absent */
};

/* Parses one message of len bytes. The strings of *ret point into buf; a last string that is not
 * NUL-terminated within len is ignored. Returns 0; -EPROTO for a message from udev (it starts with
 * "libudev"), which is no kernel uevent; -EINVAL for anything else that is not a kernel uevent
 * (no "action@/devpath" header, no ACTION= or DEVPATH=). */
int uevent_parse(const char *buf, size_t len, struct uevent *ret);
