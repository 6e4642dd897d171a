/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend/luks-unlock.c with the real libcryptsetup on LUKS2 and LUKS1 volumes made by the real
 * cryptsetup (luksFormat, PBKDF2 with 1000 iterations to keep it quick). Everywhere: a wrong
 * passphrase is -EPERM, a file that is not LUKS -EINVAL, and the image is unchanged (sha256).
 * As root with device-mapper (/dev/mapper/control): the volume on a loop device holds an ext4
 * with /boot/grub/grub.cfg; the unlock sets the loop device read-only (BLKROSET), the mapping
 * /dev/mapper/luks-<UUID> is read-only (BLKROGET, sysfs ro, a write refused), mounts read-only
 * and shows the file; luks_lock() removes it; the image's sha256 is the one before the unlock.
 * Without device-mapper that part is skipped with the reason (and luks_unlock() must say
 * -ENODEV after checking the passphrase). */
#include "test.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "backend/backend.h"
#include "backend/luks-unlock.h"

static char *steal(char **p)
{
        char *v = *p;

        *p = NULL;
        return v;
}

static char *sh_out(const char *cmd)
{
        _cleanup_free_ char *out = NULL;
        FILE *f = popen(cmd, "r");
        size_t cap = 0;

        if (!f)
                return NULL;
        if (getline(&out, &cap, f) < 0) {
                pclose(f);
                return NULL;
        }
        if (pclose(f) != 0)
                return NULL;
        util_strip_trailing(out);
        return steal(&out);
}

static char *sha256(const char *path)
{
        _cleanup_free_ char *cmd = util_asprintf("sha256sum '%s' | cut -d' ' -f1", path);

        return cmd ? sh_out(cmd) : NULL;
}

static bool run(const char *cmd)
{
        _cleanup_free_ char *c = util_asprintf("%s >/dev/null 2>&1", cmd);

        return c && system(c) == 0;
}

/* run() of a command made with printf's format (test_sh) */
#define runf(fmt, ...) (test_sh(fmt " >/dev/null 2>&1", ##__VA_ARGS__) == 0)

/* A LUKS volume file of the given type holding "secret"; NULL when cryptsetup is missing. */
static char *make_luks(const char *name, const char *type)
{
        _cleanup_free_ char *d = test_scratch_subdir("luks-unlock");
        _cleanup_free_ char *p = d ? util_asprintf("%s/%s", d, name) : NULL;
        _cleanup_free_ char *cmd = NULL;

        if (!p)
                abort();
        cmd = util_asprintf("truncate -s 40M '%s' && printf secret | cryptsetup luksFormat -q "
                            "--type %s --pbkdf pbkdf2 --pbkdf-force-iterations 1000 '%s' -",
                            p, type, p);
        if (!cmd || !run(cmd))
                return NULL;
        return steal(&p);
}

/* sysfs "ro" of a block device node (by its number: /dev/mapper nodes made without udev are
 * nodes, not links to dm-N). */
static bool sys_ro(const char *dev)
{
        _cleanup_free_ char *attr = NULL, *line = NULL;
        struct stat st;

        if (stat(dev, &st) < 0 || !S_ISBLK(st.st_mode))
                return false;
        attr = util_asprintf("/sys/dev/block/%u:%u/ro", major(st.st_rdev), minor(st.st_rdev));
        return attr && util_read_line(attr, &line) >= 0 && streq(line, "1");
}

static int blk_ro(const char *dev)
{
        _cleanup_close_ int fd = open(dev, O_RDONLY | O_CLOEXEC);
        int ro = -1;

        if (fd < 0 || ioctl(fd, BLKROGET, &ro) < 0)
                return -1;
        return ro;
}

static void check_everywhere(bool *test_failed, const char *type)
{
        _cleanup_free_ char *img = make_luks(type, type);
        _cleanup_free_ char *before = NULL, *after = NULL, *mapped = NULL, *err = NULL;
        _cleanup_free_ char *notluks = NULL;
        int r;

        if (!img) {
                printf("# SKIP cryptsetup (cryptsetup-bin) is missing\n");
                return;
        }
        before = sha256(img);
        REQUIRE(before);
        r = luks_unlock(img, "wrong", 5, &mapped, &err);
        CHECK_INTEQ(r, -EPERM);
        CHECK(!mapped);
        CHECK(err && strstr(err, "wrong passphrase"));
        /* a prefix of the passphrase is not the passphrase */
        CHECK_INTEQ(luks_unlock(img, "secret", 5, &mapped, NULL), -EPERM);
        if (!luks_dm_available()) {
                r = luks_unlock(img, "secret", 6, &mapped, &err);
                CHECK_INTEQ(r, -ENODEV);
                CHECK(err && strstr(err, "device-mapper"));
        }
        notluks = util_asprintf("%s.plain", img);
        REQUIRE(notluks);
        REQUIRE(runf("truncate -s 1M '%s'", notluks));
        CHECK_INTEQ(luks_unlock(notluks, "secret", 6, &mapped, &err), -EINVAL);
        CHECK(err && strstr(err, "no LUKS header"));
        after = sha256(img);
        CHECK_STREQ(before, after);
}

TEST(wrong_passphrase_luks2)
{
        check_everywhere(test_failed, "luks2");
}

TEST(wrong_passphrase_luks1)
{
        check_everywhere(test_failed, "luks1");
}

/* The whole round as root with device-mapper: format on a loop device, put an ext4 with a grub.cfg
 * in it, close, then unlock through luks_unlock(). */
static void check_unlock(bool *test_failed, const char *type)
{
        _cleanup_free_ char *d = test_scratch_subdir("luks-unlock");
        _cleanup_free_ char *img = NULL, *loop = NULL, *cmd = NULL, *before = NULL;
        _cleanup_free_ char *after = NULL, *mapped = NULL, *err = NULL, *mnt = NULL;
        _cleanup_free_ char *cfg = NULL, *text = NULL, *name = NULL;
        int r, fd;

        if (geteuid() != 0 || !luks_dm_available()) {
                printf("# SKIP needs root and device-mapper (/dev/mapper/control: %s)\n",
                       access("/dev/mapper/control", F_OK) == 0 ? "present, not usable"
                                                                : "missing");
                return;
        }
        img = make_luks(streq(type, "luks1") ? "round-luks1" : "round-luks2", type);
        if (!img) {
                printf("# SKIP cryptsetup is missing\n");
                return;
        }
        /* fill it through cryptsetup's own mapping (read-write: this is the test's disk) */
        name = util_asprintf("kl-test-fill-%d", (int) getpid());
        cmd = util_asprintf("set -e; printf secret | cryptsetup open '%s' %s -; "
                            "mkdir -p '%s/root/boot/grub'; echo 'menuentry Inside {}' > "
                            "'%s/root/boot/grub/grub.cfg'; mkfs.ext4 -q -F -d '%s/root' "
                            "/dev/mapper/%s; cryptsetup close %s",
                            img, name, d, d, d, name, name);
        REQUIRE(cmd && name);
        if (!run(cmd)) {
                (void) runf("cryptsetup close %s", name);
                printf("# SKIP cannot make the ext4 inside (dm-crypt or mkfs.ext4 missing)\n");
                return;
        }
        cmd = util_asprintf("losetup --find --show '%s'", img);
        loop = cmd ? sh_out(cmd) : NULL;
        REQUIRE(loop);
        before = sha256(img);
        REQUIRE(before);

        CHECK_INTEQ(luks_unlock(loop, "nope", 4, &mapped, &err), -EPERM);
        r = luks_unlock(loop, "secret", 6, &mapped, &err);
        if (r < 0)
                printf("# %s\n", err ? err : "(no message)");
        CHECK(r >= 0);
        if (r >= 0 && mapped) {
                CHECK(startswith(mapped, "/dev/mapper/luks-"));
                CHECK_INTEQ(blk_ro(loop), 1);
                CHECK_INTEQ(blk_ro(mapped), 1);
                CHECK(sys_ro(mapped));
                /* a write is refused (or it cannot even be opened for writing) */
                fd = open(mapped, O_WRONLY | O_CLOEXEC);
                if (fd >= 0) {
                        CHECK(pwrite(fd, "x", 1, 0) < 0);
                        close(fd);
                }
                /* unlocking again returns the active mapping */
                {
                        _cleanup_free_ char *again = NULL;

                        CHECK(luks_unlock(loop, "secret", 6, &again, NULL) >= 0);
                        CHECK_STREQ(again, mapped);
                }
                mnt = util_asprintf("%s/mnt-%s", d, type);
                REQUIRE(mnt && mkdir(mnt, 0755) == 0);
                CHECK(mount(mapped, mnt, "ext4", MS_RDONLY, "noload") == 0);
                cfg = util_asprintf("%s/boot/grub/grub.cfg", mnt);
                CHECK(cfg && util_read_line(cfg, &text) >= 0 && streq(text, "menuentry Inside {}"));
                CHECK(umount(mnt) == 0);
                CHECK_INTEQ(luks_lock(mapped), 0);
                CHECK(access(mapped, F_OK) != 0);
                CHECK_INTEQ(luks_lock(mapped), -ENODEV);
        }
        {
                int zero = 0;
                _cleanup_close_ int lfd = open(loop, O_RDONLY | O_CLOEXEC);

                if (lfd >= 0)
                        (void) ioctl(lfd, BLKROSET, &zero);
        }
        CHECK(runf("losetup -d '%s'", loop));
        after = sha256(img);
        CHECK_STREQ(before, after);
}

TEST(unlock_read_only_luks2)
{
        check_unlock(test_failed, "luks2");
}

TEST(unlock_read_only_luks1)
{
        check_unlock(test_failed, "luks1");
}

/* The backend over a fake sysfs whose node vdz1 is a LUKS2 image file and vdz2 one with a
 * holder: vdz1 is listed locked, vdz2 not; backend_unlock() refuses what is not a LUKS volume of
 * the list, says -EPERM to a wrong passphrase and, with the right one, unlocks (device-mapper)
 * or says -ENODEV (none); the image is unchanged. */
TEST(backend_unlock_device_list)
{
        _cleanup_free_ char *d = test_scratch_subdir("luks-backend");
        _cleanup_free_ char *img = make_luks("backend.img", "luks2");
        _cleanup_free_ char *cmd = NULL, *before = NULL, *after = NULL, *err = NULL;
        _cleanup_free_ char *p = NULL, *base = NULL;
        struct backend b;
        struct backend_options o = {.cmdline_text = ""};
        const struct device *v1, *v2;
        char **rows;
        bool shown = false;
        int r;

        if (!img) {
                printf("# SKIP cryptsetup (cryptsetup-bin) is missing\n");
                return;
        }
        REQUIRE(d);
        cmd = util_asprintf("set -e; cd '%s'; for n in vdz1 vdz2; do mkdir -p sys/class/block/$n "
                            "dev; echo 81920 > sys/class/block/$n/size; cp '%s' dev/$n; done; "
                            "echo 252:0 > sys/class/block/vdz1/dev; mkdir -p "
                            "sys/class/block/vdz1/holders sys/class/block/vdz2/holders/dm-0; "
                            "mkdir mnt",
                            d, img);
        REQUIRE(cmd && run(cmd));
        p = util_asprintf("%s/dev/vdz1", d);
        REQUIRE(p);
        before = sha256(p);
        REQUIRE(before);
        o.sysroot = base = util_asprintf("%s/sys", d);
        {
                _cleanup_free_ char *devroot = util_asprintf("%s/dev", d);
                _cleanup_free_ char *mnt = util_asprintf("%s/mnt", d);

                o.devroot = devroot;
                o.mount_base = mnt;
                REQUIRE(backend_init(&b, &o) == 0);
                CHECK_INTEQ(backend_scan_devices(&b, NULL), 0);
                v1 = device_list_find_name(&b.devices, "vdz1");
                v2 = device_list_find_name(&b.devices, "vdz2");
                REQUIRE(v1 && v2);
                CHECK_STREQ(v1->fstype, "crypto_LUKS");
                CHECK(v1->locked);
                CHECK(!v2->locked); /* a mapping holds it */
                rows = backend_device_table(&b);
                for (size_t i = 0; rows && rows[i]; i++)
                        if (strstr(rows[i], "vdz1") && strstr(rows[i], "crypto_LUKS (locked)"))
                                shown = true;
                strv_free(rows);
                CHECK(shown);

                CHECK_INTEQ(backend_unlock(&b, "vdz9", "secret", 6, 0, &err), -ENOENT);
                CHECK_INTEQ(backend_unlock(&b, "vdz1", "wrong", 5, 0, &err), -EPERM);
                CHECK(err && strstr(err, "wrong passphrase"));
                r = backend_unlock(&b, p, "secret", 6, 0, &err);
                if (luks_dm_available()) {
                        /* a file: libcryptsetup attaches a loop device of its own */
                        CHECK_INTEQ(r, 0);
                        CHECK(strv_length(b.unlocked) == 1 && startswith(b.unlocked[0], "luks-"));
                        backend_lock_all(&b);
                        CHECK(!b.unlocked);
                } else {
                        CHECK_INTEQ(r, -ENODEV);
                        CHECK(!b.unlocked);
                }
                backend_done(&b);
        }
        {
                char *fs[] = {(char *) "/nonexistent,type=crypto_LUKS", NULL};
                struct backend_options fo = {.fs_args = fs, .cmdline_text = ""};

                REQUIRE(backend_init(&b, &fo) == 0);
                CHECK_INTEQ(backend_scan_devices(&b, NULL), 0);
                REQUIRE(b.devices.n == 1);
                CHECK(b.devices.items[0].locked);
                CHECK_INTEQ(backend_unlock(&b, "fs0", "secret", 6, 0, &err), -EOPNOTSUPP);
                backend_done(&b);
        }
        after = sha256(p);
        CHECK_STREQ(before, after);
}
