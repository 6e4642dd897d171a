/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel uevents as they arrive on a NETLINK_KOBJECT_UEVENT socket: a header "action@devpath",
 * then NUL-terminated KEY=VALUE strings. uevent_parse() is pure parsing (kl-pure); the socket
 * helpers below live in uevent-socket.c (kl-hw), the one socket code of PID 1 and the menu. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

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

/* Opens a NETLINK_KOBJECT_UEVENT socket on the kernel's multicast group, non-blocking and
 * close-on-exec. rcvbuf > 0 asks for that receive buffer (SO_RCVBUFFORCE, else SO_RCVBUF; a
 * failure is only logged). Returns the fd or -errno. */
int uevent_socket_open(int rcvbuf);

/* Receives one message into buf, NUL-terminated (at most size - 1 bytes of it). Returns its
 * length; 0 for a message to skip (not from the kernel, truncated, empty); -EAGAIN when none
 * waits; -ENOBUFS when messages were lost because the buffer overflowed (the socket stays
 * usable); another -errno when the socket is broken. */
ssize_t uevent_socket_recv(int fd, char *buf, size_t size);
