/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel's uevent socket, shared by PID 1 (module loading) and the menu (device hotplug). */
#define LOG_MODULE "uevent"
#include <linux/netlink.h>
#include <sys/socket.h>

#include "../core/log.h"
#include "../core/util.h"
#include "uevent.h"

int uevent_socket_open(int rcvbuf)
{
        struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = 1};
        int fd;

        fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_KOBJECT_UEVENT);
        if (fd < 0)
                return -errno;
        /* SO_RCVBUFFORCE passes the rmem_max limit (with CAP_NET_ADMIN, which PID 1 has). */
        if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0 &&
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) < 0)
                log_warn("cannot enlarge the uevent socket buffer: %m");
        if (bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0) {
                int r = -errno;

                close(fd);
                return r;
        }
        return fd;
}

ssize_t uevent_socket_recv(int fd, char *buf, size_t size)
{
        struct sockaddr_nl sa = {0};
        struct iovec iov = {.iov_base = buf, .iov_len = size - 1};
        struct msghdr msg = {
                .msg_name = &sa,
                .msg_namelen = sizeof(sa),
                .msg_iov = &iov,
                .msg_iovlen = 1,
        };
        ssize_t n;

        if (size < 2)
                return -EINVAL;
        do
                n = recvmsg(fd, &msg, 0);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return -errno;
        /* Only the kernel's own messages, whole. */
        if (n == 0 || (msg.msg_flags & MSG_TRUNC) || sa.nl_pid != 0)
                return 0;
        buf[n] = 0;
        return n;
}
