/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The second stage of the end-to-end tests: /init of a tiny initrd that the menu boots with
 * kexec. It prints its kernel command line on the console and on the marker port, then powers
 * the machine off so QEMU exits. Linked statically: the initrd holds nothing else. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

static void say(const char *path, const char *text)
{
        int fd = open(path, O_WRONLY | O_NOCTTY | O_APPEND);

        if (fd < 0)
                return;
        if (write(fd, text, strlen(text)) < 0)
                perror(path);
        close(fd);
}

int main(void)
{
        char cmdline[4096] = "", line[4200];
        ssize_t n;
        int fd;

        mkdir("/proc", 0755);
        mkdir("/dev", 0755);
        mount("proc", "/proc", "proc", 0, NULL);
        mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
        fd = open("/proc/cmdline", O_RDONLY);
        if (fd >= 0) {
                n = read(fd, cmdline, sizeof(cmdline) - 1);
                cmdline[n > 0 ? n : 0] = 0;
                close(fd);
        }
        cmdline[strcspn(cmdline, "\n")] = 0;
        snprintf(line, sizeof(line), "\r\nSTAGE2 CMDLINE: %s\r\n", cmdline);
        say("/dev/console", line);
        say("/dev/ttyS1", line + 2);
        sync();
        reboot(RB_POWER_OFF);
        for (;;)
                pause();
}
