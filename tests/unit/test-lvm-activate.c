/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend/lvm-activate.c and lvm-scan.c with the real lvm(8) and device-mapper: a VG made by
 * the real lvm on a loop device (an LV "boot" holding an ext4 with /boot/grub/grub.cfg, an LV
 * marked to skip activation), deactivated, its image's sha256 taken. Then lvm_activate()
 * activates "boot" only; the loop device and the LV are read-only (BLKROGET, sysfs ro, a write
 * refused); the LV mounts and shows the file; a second activation leaves it alone;
 * lvm_deactivate() removes it; backend_scan_devices() lists it as "kltest/boot" and
 * backend_done() deactivates it; the image's sha256 is the one from before. Needs root, an lvm
 * binary and /dev/mapper/control: the host kernel here has no device-mapper, so this runs in
 * QEMU on the Debian kernel (tests/qemu/lvm-activate-vm.sh, the test qemu-lvm_activate);
 * elsewhere it is skipped with the reason. lvm_inside_luks: the same with the VG inside a LUKS2
 * volume, seen after backend_unlock() (tests/qemu/lvm-activate-vm.sh has cryptsetup too). */
#include "test.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "backend/backend.h"
#include "backend/lvm-activate.h"
#include "core/log.h"

static char *sh_out(const char *cmd)
{
        char *out = NULL;
        FILE *f = popen(cmd, "r");
        size_t cap = 0;

        if (!f)
                return NULL;
        if (getline(&out, &cap, f) < 0) {
                free(out);
                pclose(f);
                return NULL;
        }
        if (pclose(f) != 0) {
                free(out);
                return NULL;
        }
        util_strip_trailing(out);
        return out;
}

/* test_sh()'s status of a command whose output went to /tmp/kl-lvm-setup.log: that output shown
 * when it failed. */
static bool setup_ok(int status)
{
        if (status == 0)
                return true;
        (void) system("sed 's/^/#   /' /tmp/kl-lvm-setup.log");
        return false;
}

/* A command made with printf's format (test_sh), its output in the log */
#define runf(fmt, ...) setup_ok(test_sh(fmt " >/tmp/kl-lvm-setup.log 2>&1", ##__VA_ARGS__))

static int blk_ro(const char *dev)
{
        _cleanup_close_ int fd = open(dev, O_RDONLY | O_CLOEXEC);
        int ro = -1;

        if (fd < 0 || ioctl(fd, BLKROGET, &ro) < 0)
                return -1;
        return ro;
}

static bool sys_ro(const char *dev)
{
        struct stat st;
        _cleanup_free_ char *path = NULL, *v = NULL;

        if (stat(dev, &st) < 0)
                return false;
        path = util_asprintf("/sys/dev/block/%u:%u/ro", major(st.st_rdev), minor(st.st_rdev));
        return path && util_read_line(path, &v) == 0 && streq(v, "1");
}

static const char *why_skip(void)
{
        if (geteuid() != 0)
                return "not root";
        if (!lvm_binary())
                return "no lvm binary (lvm2)";
        _cleanup_close_ int fd = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);

        if (fd < 0)
                return "no device-mapper (/dev/mapper/control): the QEMU test runs this part";
        if (system("command -v mkfs.ext4 losetup >/dev/null 2>&1") != 0)
                return "no mkfs.ext4 or losetup";
        return NULL;
}

/* The setup's lvm: its own configuration (the loop device only, no udev, no backup). */
#define SETUP                                                                                 \
        "LVM_SUPPRESS_FD_WARNINGS=1 lvm %s --config 'devices{filter=[\"a|^%s$|\",\"r|.*|\"] " \
        "use_devicesfile=0} activation{udev_sync=0 udev_rules=0} backup{backup=0 archive=0}' "

TEST(activate_read_only)
{
        const char *skip = why_skip();
        _cleanup_free_ char *loop = NULL, *before = NULL, *after = NULL, *err = NULL;
        _cleanup_strv_ char **active = NULL;
        char *members[2] = {NULL, NULL};
        const char *img = "/tmp/kl-lvm.img", *lv = "/dev/mapper/kltest-boot";
        _cleanup_close_ int wfd = -1;
        struct backend b;
        struct backend_options o = {.cmdline_text = ""};
        _cleanup_strv_ char **rows = NULL;
        bool listed = false;
        int zero = 0;

        if (skip) {
                printf("# SKIP %s\n", skip);
                return;
        }
        log_set_stderr_level(LOG_LEVEL_DEBUG);
        REQUIRE(runf("rm -f %s && truncate -s 64M %s", img, img));
        loop = sh_out("losetup -f --show /tmp/kl-lvm.img");
        REQUIRE(loop);
        members[0] = loop;
        REQUIRE(runf(SETUP "-y %s", "pvcreate", loop, loop));
        REQUIRE(runf(SETUP "kltest %s", "vgcreate", loop, loop));
        REQUIRE(runf(SETUP "-y -L 16M -n boot kltest", "lvcreate", loop));
        REQUIRE(runf(SETUP "-y -L 8M -n skipped -ky kltest", "lvcreate", loop));
        REQUIRE(runf("mkfs.ext4 -q -F %s && mkdir -p /tmp/kl-lvm-mnt && mount %s /tmp/kl-lvm-mnt "
                     "&& mkdir -p /tmp/kl-lvm-mnt/boot/grub && echo 'menuentry lvm {}' > "
                     "/tmp/kl-lvm-mnt/boot/grub/grub.cfg && umount /tmp/kl-lvm-mnt",
                     lv, lv));
        REQUIRE(runf(SETUP "-an kltest", "vgchange", loop));
        CHECK(access(lv, F_OK) < 0);
        before = sh_out("sha256sum /tmp/kl-lvm.img | cut -d' ' -f1");
        REQUIRE(before);

        /* activated: "boot" only, read-only */
        CHECK_INTEQ(lvm_activate(members, &active, &err), 1);
        CHECK_INTEQ(strv_length(active), 1);
        CHECK(active && streq(active[0], "kltest/boot"));
        CHECK_INTEQ(blk_ro(loop), 1);
        CHECK_INTEQ(blk_ro(lv), 1);
        CHECK(sys_ro(lv));
        CHECK(access("/dev/mapper/kltest-skipped", F_OK) < 0);
        wfd = open(lv, O_WRONLY | O_CLOEXEC);
        CHECK(wfd < 0 || write(wfd, "x", 1) < 0);
        if (wfd >= 0)
                close(wfd);
        wfd = -1;
        CHECK(runf("mount -o ro -t ext4 %s /tmp/kl-lvm-mnt && grep -q 'menuentry lvm' "
                   "/tmp/kl-lvm-mnt/boot/grub/grub.cfg && umount /tmp/kl-lvm-mnt",
                   lv));
        /* again: active already, left as it is */
        CHECK_INTEQ(lvm_activate(members, &active, &err), 0);
        CHECK_INTEQ(lvm_deactivate(members, active), 0);
        CHECK(access(lv, F_OK) < 0);

        /* the backend: the LV listed by its name, deactivated by backend_done() */
        REQUIRE(backend_init(&b, &o) == 0);
        CHECK_INTEQ(backend_scan_devices(&b, NULL), 0);
        for (size_t i = 0; i < b.devices.n; i++)
                if (streq_ptr(b.devices.items[i].mapname, "kltest/boot")) {
                        listed = true;
                        CHECK_STREQ(b.devices.items[i].fstype, "ext4");
                }
        CHECK(listed);
        rows = backend_device_table(&b);
        strv_foreach (row, rows)
                printf("# %s\n", row);
        CHECK(strv_contains(b.lvm_active, "kltest/boot"));
        CHECK(access(lv, F_OK) == 0);
        backend_done(&b);
        CHECK(access(lv, F_OK) < 0);

        /* kexec_lvm=0: nothing activated */
        o.cmdline_text = "quiet kexec_lvm=0";
        REQUIRE(backend_init(&b, &o) == 0);
        CHECK_INTEQ(backend_scan_devices(&b, NULL), 0);
        CHECK(!b.lvm_active);
        CHECK(access(lv, F_OK) < 0);
        backend_done(&b);

        {
                _cleanup_close_ int fd = open(loop, O_RDONLY | O_CLOEXEC);

                if (fd >= 0)
                        (void) ioctl(fd, BLKROSET, &zero);
        }
        (void) runf("losetup -d %s", loop);
        after = sh_out("sha256sum /tmp/kl-lvm.img | cut -d' ' -f1");
        CHECK(after && streq(after, before));
        printf("# sha256 before %s after %s\n", before, after ? after : "?");
}

/* LVM inside LUKS (Debian's "guided, encrypted LVM"): the VG is on the dm-crypt mapping, so it
 * is seen only once backend_unlock() has opened the volume and read the devices again; then its
 * LV is activated read-only and listed. Released as before kexec (LVM first, then the mapping);
 * the image is unchanged. */
TEST(lvm_inside_luks)
{
        const char *skip = why_skip();
        _cleanup_free_ char *loop = NULL, *before = NULL, *after = NULL, *err = NULL;
        const char *img = "/tmp/kl-lvm-luks.img", *lv = "/dev/mapper/klluks-boot";
        const char *pv = "/dev/mapper/klcrypt";
        struct backend b;
        struct backend_options o = {.cmdline_text = ""};
        bool listed = false;
        int zero = 0;

        if (!skip && system("command -v cryptsetup >/dev/null 2>&1") != 0)
                skip = "no cryptsetup";
        if (skip) {
                printf("# SKIP %s\n", skip);
                return;
        }
        REQUIRE(runf("rm -f %s && truncate -s 64M %s", img, img));
        loop = sh_out("losetup -f --show /tmp/kl-lvm-luks.img");
        REQUIRE(loop);
        REQUIRE(runf("printf secret | cryptsetup luksFormat -q --type luks2 --pbkdf pbkdf2 "
                     "--pbkdf-force-iterations 1000 %s - && printf secret | cryptsetup open "
                     "--key-file - %s klcrypt",
                     loop, loop));
        REQUIRE(runf(SETUP "-y %s", "pvcreate", pv, pv));
        REQUIRE(runf(SETUP "klluks %s", "vgcreate", pv, pv));
        REQUIRE(runf(SETUP "-y -L 16M -n boot klluks", "lvcreate", pv));
        REQUIRE(runf("mkfs.ext4 -q -F %s", lv));
        REQUIRE(runf(SETUP "-an klluks", "vgchange", pv));
        REQUIRE(runf("cryptsetup close klcrypt"));
        before = sh_out("sha256sum /tmp/kl-lvm-luks.img | cut -d' ' -f1");
        REQUIRE(before);

        REQUIRE(backend_init(&b, &o) == 0);
        CHECK_INTEQ(backend_scan_devices(&b, NULL), 0);
        CHECK(!b.lvm_active); /* locked: no VG to see */
        CHECK_INTEQ(backend_unlock(&b, loop, "secret", 6, 0, &err), 0);
        if (err)
                printf("# %s\n", err);
        for (size_t i = 0; i < b.devices.n; i++)
                if (streq_ptr(b.devices.items[i].mapname, "klluks/boot")) {
                        listed = true;
                        CHECK_STREQ(b.devices.items[i].fstype, "ext4");
                }
        CHECK(listed);
        CHECK(strv_contains(b.lvm_active, "klluks/boot"));
        CHECK_INTEQ(blk_ro(lv), 1);
        /* as before kexec: the LVs, then the mappings */
        backend_lvm_release(&b);
        backend_lock_all(&b);
        CHECK(access(lv, F_OK) < 0);
        CHECK(b.unlocked == NULL);
        backend_done(&b);

        {
                _cleanup_close_ int fd = open(loop, O_RDONLY | O_CLOEXEC);

                if (fd >= 0)
                        (void) ioctl(fd, BLKROSET, &zero);
        }
        (void) runf("losetup -d %s", loop);
        after = sh_out("sha256sum /tmp/kl-lvm-luks.img | cut -d' ' -f1");
        CHECK(after && streq(after, before));
        printf("# sha256 before %s after %s\n", before, after ? after : "?");
}
