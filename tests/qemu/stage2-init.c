/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The second stage of the end-to-end tests and the demo: /init of a tiny initrd that the menu
 * boots with kexec. It prints its kernel command line on every console the kernel writes to
 * (/sys/class/tty/console/active: with "console=ttyS0 console=tty0", /dev/console is only tty0,
 * and a person on the serial line would see nothing) and on the marker port, then powers the
 * machine off so QEMU exits. Linked statically: the initrd holds nothing else.
 *
 * With boot=casper or boot=live on its command line it also does what a live system's initramfs
 * does to find its ISO file again after a boot from that file (casper's iso-scan, live-boot's
 * findiso): it loads the modules listed in /etc/modules.list (the initrd's own, in load order),
 * takes the one iso-scan/filename= (findiso=) of the command line, looks for that file on every
 * block device (each filesystem mounted read-only), attaches it read-only to a loop device,
 * mounts it as ISO 9660 and says what it found:
 *   STAGE2 ISO FOUND /isos/live.iso on /dev/vda1 (vfat) via /dev/loop0: casper/vmlinuz 8M bytes
 * or why it did not: "STAGE2 ISO NOT FOUND: ...".
 *
 * In an initramfs marked as dracut's (/usr/lib/dracut), initramfs-tools' (/conf/initramfs.conf) or
 * mkinitcpio's with the encrypt hook (/hooks/encrypt) or the sd-encrypt hook (systemd's
 * cryptsetup generator) it plays that target for the LUKS key
 * hand-over test (issue 12): it reads the crypttab that generator's scripts read (/etc/crypttab,
 * /cryptroot/crypttab; the encrypt hook: /crypto_keyfile.bin for cryptdevice=), takes the first
 * entry naming a key file, finds the entry's UUID= device among the block devices (by its LUKS
 * header) and, as cryptroot-ask.sh and cryptroot's unlock_mapping do with a key file, gives the
 * file to cryptsetup (--test-passphrase: the key slot is opened, no mapping made): STAGE2 HANDOVER
 * dracut crypttab=/etc/crypttab entry=luks-… key=/secret.key 16 bytes device=/dev/vda1 opens=yes or
 * "STAGE2 HANDOVER dracut none: …" when there is no key file to use. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
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

/* One line on every active console and on the marker port. */
static void announce(const char *fmt, ...)
{
        char active[256], line[4200], dev[300];
        char *save = NULL;
        va_list ap;
        int n = 0;

        line[0] = '\r';
        line[1] = '\n';
        va_start(ap, fmt);
        vsnprintf(line + 2, sizeof(line) - 4, fmt, ap);
        va_end(ap);
        strcat(line, "\r\n");
        read_file("/sys/class/tty/console/active", active, sizeof(active));
        for (char *name = strtok_r(active, " ", &save); name; name = strtok_r(NULL, " ", &save)) {
                snprintf(dev, sizeof(dev), "/dev/%s", name);
                say(dev, line);
                n++;
        }
        if (n == 0)
                say("/dev/console", line);
        say("/dev/ttyS1", line + 2);
}

/* The modules of /etc/modules.list (absolute paths, in load order), when there is one. */
static void load_modules(void)
{
        char line[512];
        FILE *f = fopen("/etc/modules.list", "r");

        if (!f)
                return;
        while (fgets(line, sizeof(line), f)) {
                int fd;

                line[strcspn(line, "\n")] = 0;
                if (!line[0])
                        continue;
                fd = open(line, O_RDONLY | O_CLOEXEC);
                /* ENODEV: a CPU-specific module (crc32c-intel under TCG), the generic one loads */
                if (fd < 0 || (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST &&
                               errno != ENODEV))
                        announce("STAGE2 MODULE %s: %s", line, strerror(errno));
                if (fd >= 0)
                        close(fd);
        }
        fclose(f);
}

/* Splits a command line into words in place as the kernel does: double quotes group, and are
 * removed. Returns the number of words (at most max). */
static int split_words(char *s, char **words, int max)
{
        int n = 0;

        while (*s && n < max) {
                char *out;
                int quoted = 0;

                while (*s == ' ' || *s == '\t')
                        s++;
                if (!*s)
                        break;
                words[n++] = out = s;
                for (; *s && (quoted || (*s != ' ' && *s != '\t')); s++)
                        if (*s == '"')
                                quoted = !quoted;
                        else
                                *out++ = *s;
                if (*s)
                        s++;
                *out = 0;
        }
        return n;
}

/* The filesystem on dev, by its magic (as blkid would): vfat, ext4 (ext2/3/4), iso9660. */
static const char *sniff(const char *dev)
{
        unsigned char boot[512], ext[2], cd[5];
        const char *type = NULL;
        int fd = open(dev, O_RDONLY | O_CLOEXEC);

        if (fd < 0)
                return NULL;
        if (pread(fd, boot, sizeof(boot), 0) == sizeof(boot) && boot[510] == 0x55 &&
            boot[511] == 0xaa && (!memcmp(boot + 54, "FAT", 3) || !memcmp(boot + 82, "FAT32", 5)))
                type = "vfat";
        else if (pread(fd, ext, sizeof(ext), 1080) == sizeof(ext) && ext[0] == 0x53 &&
                 ext[1] == 0xef)
                type = "ext4";
        else if (pread(fd, cd, sizeof(cd), 32769) == sizeof(cd) && !memcmp(cd, "CD001", 5))
                type = "iso9660";
        close(fd);
        return type;
}

/* The ISO file path on block device name: 1 found (and said), 0 not there, -1 there but it could
 * not be mounted (said). */
static int try_device(const char *name, const char *path, const char *dir)
{
        char dev[300], file[4200], inner[300], loopdev[64];
        struct loop_config cfg = {0};
        const char *type;
        struct stat st;
        int fd = -1, ctl = -1, lfd = -1, nr, ret = -1;

        snprintf(dev, sizeof(dev), "/dev/%s", name);
        type = sniff(dev);
        if (!type || mount(dev, "/probe", type, MS_RDONLY, NULL) != 0)
                return 0;
        snprintf(file, sizeof(file), "/probe%s%s", path[0] == '/' ? "" : "/", path);
        if (stat(file, &st) != 0 || !S_ISREG(st.st_mode)) {
                umount("/probe");
                return 0;
        }
        fd = open(file, O_RDONLY | O_CLOEXEC);
        ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
        nr = ctl >= 0 ? ioctl(ctl, LOOP_CTL_GET_FREE) : -1;
        snprintf(loopdev, sizeof(loopdev), "/dev/loop%d", nr);
        if (fd < 0 || nr < 0 || (lfd = open(loopdev, O_RDONLY | O_CLOEXEC)) < 0) {
                announce("STAGE2 ISO NOT FOUND: %s on %s: no loop device: %s", path, dev,
                         strerror(errno));
                goto out;
        }
        cfg.fd = fd;
        cfg.info.lo_flags = LO_FLAGS_READ_ONLY | LO_FLAGS_AUTOCLEAR;
        snprintf((char *) cfg.info.lo_file_name, sizeof(cfg.info.lo_file_name), "%s", path);
        if (ioctl(lfd, LOOP_CONFIGURE, &cfg) != 0) {
                announce("STAGE2 ISO NOT FOUND: %s on %s: LOOP_CONFIGURE: %s", path, dev,
                         strerror(errno));
                goto out;
        }
        if (mount(loopdev, "/iso", "iso9660", MS_RDONLY, NULL) != 0) {
                announce("STAGE2 ISO NOT FOUND: %s on %s: mount %s: %s", path, dev, loopdev,
                         strerror(errno));
                goto out;
        }
        snprintf(inner, sizeof(inner), "/iso/%s/vmlinuz", dir);
        if (stat(inner, &st) == 0 && S_ISREG(st.st_mode))
                announce("STAGE2 ISO FOUND %s on %s (%s) via %s: %s/vmlinuz %lld bytes", path, dev,
                         type, loopdev, dir, (long long) st.st_size);
        else
                announce("STAGE2 ISO NOT FOUND: %s on %s: mounted, but no %s/vmlinuz in it", path,
                         dev, dir);
        umount("/iso");
        ret = 1;
out:
        if (lfd >= 0)
                close(lfd); /* autoclear: detached */
        if (ctl >= 0)
                close(ctl);
        if (fd >= 0)
                close(fd);
        umount("/probe");
        return ret;
}

/* What the live system's initramfs would do with this command line (see the top). */
static void live_iso(char *cmdline)
{
        static const struct {
                const char *boot, *key, *dir;
        } families[] = {
                {"boot=casper", "iso-scan/filename=", "casper"},
                {"boot=live", "findiso=", "live"},
        };
        char *words[256], tried[1024];
        const char *key = NULL, *dir = NULL, *path = NULL;
        int n = split_words(cmdline, words, 256), count = 0;

        for (size_t f = 0; f < sizeof(families) / sizeof(families[0]) && !key; f++)
                for (int i = 0; i < n; i++)
                        if (!strcmp(words[i], families[f].boot)) {
                                key = families[f].key;
                                dir = families[f].dir;
                        }
        if (!key)
                return;
        for (int i = 0; i < n; i++)
                if (!strncmp(words[i], key, strlen(key))) {
                        path = words[i] + strlen(key);
                        count++;
                }
        /* Exactly one: kexec-loader adds the parameter only where the entry has none. */
        if (count != 1 || !*path) {
                announce("STAGE2 ISO NOT FOUND: %d %s on the command line%s", count, key,
                         count == 1 ? ", empty" : "");
                return;
        }
        load_modules();
        mkdir("/probe", 0755);
        mkdir("/iso", 0755);
        /* The disks' drivers probe as their modules load; a slow one gets a few seconds. */
        for (int pass = 0; pass < 100; pass++) {
                DIR *d = opendir("/sys/class/block");
                struct dirent *de;
                int r = 0;

                tried[0] = 0;
                while (d && r == 0 && (de = readdir(d))) {
                        if (de->d_name[0] == '.' || !strncmp(de->d_name, "loop", 4) ||
                            !strncmp(de->d_name, "ram", 3))
                                continue;
                        if (strlen(tried) + strlen(de->d_name) + 2 < sizeof(tried))
                                strcat(strcat(tried, " "), de->d_name);
                        r = try_device(de->d_name, path, dir);
                }
                if (d)
                        closedir(d);
                if (r != 0)
                        return;
                nanosleep(&(struct timespec){.tv_nsec = 100000000}, NULL);
        }
        announce("STAGE2 ISO NOT FOUND: %s on none of the block devices:%s", path,
                 tried[0] ? tried : " (none)");
}

/* The block device whose LUKS header has uuid: its /dev path in dev, 1; 0 when none. */
static int find_luks(const char *uuid, char *dev, size_t size)
{
        DIR *d = opendir("/sys/class/block");
        struct dirent *de;
        int found = 0;

        while (d && !found && (de = readdir(d))) {
                unsigned char hdr[208];
                int fd;

                if (de->d_name[0] == '.')
                        continue;
                snprintf(dev, size, "/dev/%s", de->d_name);
                fd = open(dev, O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                        continue;
                if (pread(fd, hdr, sizeof(hdr), 0) == sizeof(hdr) &&
                    !memcmp(hdr, "LUKS\xba\xbe", 6) && !strncasecmp((char *) hdr + 168, uuid, 36))
                        found = 1;
                close(fd);
        }
        if (d)
                closedir(d);
        return found;
}

/* cryptsetup open --test-passphrase --key-file key dev: its exit status. */
static int test_key(const char *key, const char *dev)
{
        pid_t pid = fork();
        int status = -1;

        if (pid == 0) {
                execl("/bin/cryptsetup", "cryptsetup", "open", "--test-passphrase", "--key-file",
                      key, dev, (char *) NULL);
                _exit(127);
        }
        if (pid < 0 || waitpid(pid, &status, 0) != pid)
                return -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The value of key= in the command line (the last one), copied into buf; NULL when absent. */
static const char *cmdline_value(const char *key, char *buf, size_t size)
{
        char cmdline[4096], *words[256];
        const char *v = NULL;
        int n;

        read_file("/proc/cmdline", cmdline, sizeof(cmdline));
        n = split_words(cmdline, words, 256);
        for (int i = 0; i < n; i++)
                if (!strncmp(words[i], key, strlen(key)))
                        v = words[i] + strlen(key);
        if (!v)
                return NULL;
        snprintf(buf, size, "%s", v);
        return buf;
}

/* The key hand-over check (see the top). mkinitcpio's encrypt hook has no crypttab: its key file
 * is /crypto_keyfile.bin and the volume cryptdevice=UUID=…:name. */
static void handover(void)
{
        static const struct {
                const char *marker, *gen, *crypttab, *key;
        } gens[] = {
                {"/usr/lib/dracut", "dracut", "/etc/crypttab", NULL},
                {"/conf/initramfs.conf", "initramfs-tools", "/cryptroot/crypttab", NULL},
                {"/hooks/encrypt", "mkinitcpio", NULL, "/crypto_keyfile.bin"},
                {"/usr/lib/systemd/system-generators/systemd-cryptsetup-generator",
                 "mkinitcpio-sd-encrypt", "/etc/crypttab", NULL},
        };
        char line[1024], name[256] = "", devspec[256] = "", key[512] = "", dev[300],
                         entries[1024] = "", cd[512];
        const char *gen = NULL, *tab = NULL, *fixed = NULL;
        struct stat st;
        FILE *f;

        for (size_t i = 0; i < sizeof(gens) / sizeof(gens[0]) && !gen; i++)
                if (access(gens[i].marker, F_OK) == 0) {
                        gen = gens[i].gen;
                        tab = gens[i].crypttab;
                        fixed = gens[i].key;
                }
        if (!gen)
                return;
        if (fixed) {
                char *colon;

                if (!cmdline_value("cryptdevice=", cd, sizeof(cd)) || !(colon = strchr(cd, ':'))) {
                        announce("STAGE2 HANDOVER %s none: no cryptdevice=DEVICE:NAME", gen);
                        return;
                }
                *colon = 0;
                snprintf(devspec, sizeof(devspec), "%.255s", cd);
                snprintf(name, sizeof(name), "%.255s", colon + 1);
                if (access(fixed, F_OK) != 0) {
                        announce("STAGE2 HANDOVER %s none: no %s", gen, fixed);
                        return;
                }
                snprintf(key, sizeof(key), "%s", fixed);
        } else {
                f = fopen(tab, "r");
                if (!f) {
                        announce("STAGE2 HANDOVER %s none: no %s", gen, tab);
                        return;
                }
                while (fgets(line, sizeof(line), f)) {
                        char k[512] = "";

                        if (line[0] == '#' ||
                            sscanf(line, "%255s %255s %511s", name, devspec, k) < 2)
                                continue;
                        if (strlen(entries) + strlen(name) + 2 < sizeof(entries))
                                strcat(strcat(entries, " "), name);
                        if (k[0] && strcmp(k, "none") && strcmp(k, "-")) {
                                snprintf(key, sizeof(key), "%s", k);
                                break;
                        }
                }
                fclose(f);
                if (!key[0]) {
                        announce("STAGE2 HANDOVER %s none: %s names no key file (entries:%s)", gen,
                                 tab, entries[0] ? entries : " none");
                        return;
                }
        }
        if (stat(key, &st) != 0 || !S_ISREG(st.st_mode)) {
                announce("STAGE2 HANDOVER %s none: %s names %s, which is not there", gen,
                         tab ? tab : "it", key);
                return;
        }
        if (strncmp(devspec, "UUID=", 5) != 0) {
                announce("STAGE2 HANDOVER %s crypttab=%s entry=%s key=%s %lld bytes device=%s "
                         "opens=unknown (not a UUID=)",
                         gen, tab ? tab : "none", name, key, (long long) st.st_size, devspec);
                return;
        }
        load_modules();
        mkdir("/run", 0755);
        mkdir("/run/cryptsetup", 0700);
        for (int pass = 0; pass < 100 && !find_luks(devspec + 5, dev, sizeof(dev)); pass++)
                nanosleep(&(struct timespec){.tv_nsec = 100000000}, NULL);
        if (!find_luks(devspec + 5, dev, sizeof(dev))) {
                announce("STAGE2 HANDOVER %s crypttab=%s entry=%s key=%s %lld bytes device=none "
                         "opens=no (no LUKS volume %s)",
                         gen, tab ? tab : "none", name, key, (long long) st.st_size, devspec + 5);
                return;
        }
        announce("STAGE2 HANDOVER %s crypttab=%s entry=%s key=%s %lld bytes device=%s opens=%s",
                 gen, tab ? tab : "none", name, key, (long long) st.st_size, dev,
                 test_key(key, dev) == 0 ? "yes" : "no");
}

int main(void)
{
        char cmdline[4096];

        mkdir("/proc", 0755);
        mkdir("/sys", 0755);
        mkdir("/dev", 0755);
        mount("proc", "/proc", "proc", 0, NULL);
        mount("sysfs", "/sys", "sysfs", 0, NULL);
        mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
        read_file("/proc/cmdline", cmdline, sizeof(cmdline));
        announce("STAGE2 CMDLINE: %s", cmdline);
        live_iso(cmdline);
        handover();
        sync();
        reboot(RB_POWER_OFF);
        for (;;)
                pause();
}
