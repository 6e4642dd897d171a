/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The second stage of the end-to-end tests and the demo: /init of a tiny initrd that the menu
 * boots with kexec. It prints its kernel command line on every console the kernel writes to
 * (/sys/class/tty/console/active: with "console=ttyS0 console=tty0", /dev/console is only tty0,
 * and a person on the serial line would see nothing) and on the marker port, then powers the
 * machine off so QEMU exits. Linked statically: the initrd holds nothing else. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

static void say(const char *path, const char *text)
{
        int fd = open(path, O_WRONLY | O_NOCTTY | O_APPEND);

        if (fd < 0)
                return;
        if (write(fd, text, strlen(text)) < 0)
                perror(path);
        (void) tcdrain(fd); /* on the wire before the power goes */
        close(fd);
}

static void read_file(const char *path, char *buf, size_t size)
{
        int fd = open(path, O_RDONLY);
        ssize_t n = -1;

        if (fd >= 0) {
                n = read(fd, buf, size - 1);
                close(fd);
        }
        buf[n > 0 ? n : 0] = 0;
        buf[strcspn(buf, "\n")] = 0;
}

int main(void)
{
        char cmdline[4096], active[256], line[4200], dev[300];
        char *save = NULL;
        int n = 0;

        mkdir("/proc", 0755);
        mkdir("/sys", 0755);
        mkdir("/dev", 0755);
        mount("proc", "/proc", "proc", 0, NULL);
        mount("sysfs", "/sys", "sysfs", 0, NULL);
        mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
        read_file("/proc/cmdline", cmdline, sizeof(cmdline));
        read_file("/sys/class/tty/console/active", active, sizeof(active));
        snprintf(line, sizeof(line), "\r\nSTAGE2 CMDLINE: %s\r\n", cmdline);
        for (char *name = strtok_r(active, " ", &save); name; name = strtok_r(NULL, " ", &save)) {
                snprintf(dev, sizeof(dev), "/dev/%s", name);
                say(dev, line);
                n++;
        }
        if (n == 0)
                say("/dev/console", line);
        say("/dev/ttyS1", line + 2);
        sync();
        reboot(RB_POWER_OFF);
        for (;;)
                pause();
}
