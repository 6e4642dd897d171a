/* SPDX-License-Identifier: GPL-2.0-or-later */
/* device_scan_sysfs() on a fake sysfs tree whose device nodes are real filesystem images. */
#include "test.h"

#include <ftw.h>
#include <sys/stat.h>

#include "backend/device.h"
#include "backend/grub-devname.h"

#define EXT4_UUID     "0d4c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
#define IMAGE_SECTORS 16384 /* 8 MiB */

static const char *const pci_ata =
        "devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block";
static const char *const pci_ata2 =
        "devices/pci0000:00/0000:00:1f.2/ata2/host1/target1:0:0/1:0:0:0/block";
static const char *const pci_usb =
        "devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0/host6/target6:0:0/6:0:0:0/block";
static const char *const pci_nvme = "devices/pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0";
static const char *const virt = "devices/virtual/block";

static int write_file(const char *dir, const char *name, const char *content)
{
        char *path = util_asprintf("%s/%s", dir, name);
        FILE *f;
        int r = 0;

        if (!path)
                return -ENOMEM;
        f = fopen(path, "we");
        if (!f || fputs(content, f) < 0)
                r = -EIO;
        if (f && fclose(f) != 0)
                r = -EIO;
        free(path);
        return r;
}

static int mkdir_p(const char *path)
{
        char *p = strdup(path);
        int r = 0;

        if (!p)
                return -ENOMEM;
        for (char *s = p + 1; *s; s++)
                if (*s == '/') {
                        *s = 0;
                        if (mkdir(p, 0755) < 0 && errno != EEXIST)
                                r = -errno;
                        *s = '/';
                }
        if (r == 0 && mkdir(p, 0755) < 0 && errno != EEXIST)
                r = -errno;
        free(p);
        return r;
}

/* Creates root/sys/<parent>/<name> with its attributes, and the class/block link to it. */
static int add_block(const char *root, const char *parent, const char *name, const char *dev,
                     unsigned long long size, int partition, int removable)
{
        char *dir = util_asprintf("%s/sys/%s/%s", root, parent, name);
        char *link = util_asprintf("%s/sys/class/block/%s", root, name);
        char *target = util_asprintf("../../%s/%s", parent, name);
        char *classdir = util_asprintf("%s/sys/class/block", root);
        char buf[32];
        int r;

        if (!dir || !link || !target || !classdir) {
                r = -ENOMEM;
                goto out;
        }
        r = mkdir_p(dir);
        if (r < 0)
                goto out;
        r = mkdir_p(classdir);
        if (r < 0)
                goto out;
        r = write_file(dir, "dev", dev);
        if (r < 0)
                goto out;
        snprintf(buf, sizeof(buf), "%llu\n", size);
        r = write_file(dir, "size", buf);
        if (r < 0)
                goto out;
        if (partition > 0) {
                snprintf(buf, sizeof(buf), "%d\n", partition);
                r = write_file(dir, "partition", buf);
        } else if (removable >= 0) {
                snprintf(buf, sizeof(buf), "%d\n", removable);
                r = write_file(dir, "removable", buf);
        }
        if (r < 0)
                goto out;
        if (symlink(target, link) < 0)
                r = -errno;
out:
        free(dir);
        free(link);
        free(target);
        free(classdir);
        return r;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        (void) st;
        (void) flag;
        (void) ftw;
        return remove(path) < 0 ? -1 : 0;
}

static void rm_rf(const char *path)
{
        nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static bool have_tool(const char *tool)
{
        char *cmd = util_asprintf("command -v %s >/dev/null 2>&1", tool);
        bool ok = cmd && system(cmd) == 0;

        free(cmd);
        return ok;
}

static int run(const char *cmd)
{
        int r = system(cmd);

        if (r != 0)
                printf("# command failed (%d): %s\n", r, cmd);
        return r == 0 ? 0 : -EIO;
}

static char *read_all(const char *path, size_t *len)
{
        char *buf = NULL;

        if (util_read_file(path, 64 * 1024 * 1024, &buf, len) < 0)
                return NULL;
        return buf;
}

static void add_path(void)
{
        const char *path = getenv("PATH");
        char *p = util_asprintf("%s:/sbin:/usr/sbin", path ? path : "/bin:/usr/bin");

        if (p) {
                setenv("PATH", p, 1);
                free(p);
        }
}

static void dump_list(const struct device_list *l)
{
        for (size_t i = 0; i < l->n; i++) {
                const struct device *d = &l->items[i];

                printf("# %s disk=%s part=%u size=%llu rm=%d usb=%d type=%s uuid=%s label=%s\n",
                       d->name, d->disk, d->partno, (unsigned long long) d->size, d->removable,
                       d->usb, d->fstype ? d->fstype : "-", d->uuid ? d->uuid : "-",
                       d->label ? d->label : "-");
        }
}

/* The fake tree: sda (sda1 ext4, sda2 no node), sdb on USB (sdb1 vfat), sr0, nvme0n1p1, loop1,
 * and ram0, zram0, an empty loop0 and an empty sdc that must all be skipped. */
static int build_tree(const char *root)
{
        char *devroot = util_asprintf("%s/dev", root), *classdir = NULL, *cmd = NULL;
        char size[32];
        int r;

        snprintf(size, sizeof(size), "%d", IMAGE_SECTORS);
        classdir = util_asprintf("%s/sys/class/block", root);
        if (!devroot || !classdir) {
                r = -ENOMEM;
                goto out;
        }
        r = mkdir_p(classdir);
        if (r >= 0)
                r = mkdir_p(devroot);
        if (r >= 0)
                r = add_block(root, pci_ata, "sda", "8:0\n", 4 * IMAGE_SECTORS, 0, 0);
        if (r >= 0) {
                char *parent = util_asprintf("%s/sda", pci_ata);

                r = parent ? add_block(root, parent, "sda1", "8:1\n", IMAGE_SECTORS, 1, -1)
                           : -ENOMEM;
                if (r >= 0)
                        r = add_block(root, parent, "sda2", "8:2\n", 2048, 2, -1);
                free(parent);
        }
        /* A USB disk that does not say it is removable: on USB is enough. */
        if (r >= 0)
                r = add_block(root, pci_usb, "sdb", "8:16\n", 2 * IMAGE_SECTORS, 0, 0);
        if (r >= 0) {
                char *parent = util_asprintf("%s/sdb", pci_usb);

                r = parent ? add_block(root, parent, "sdb1", "8:17\n", IMAGE_SECTORS, 1, -1)
                           : -ENOMEM;
                free(parent);
        }
        if (r >= 0)
                r = add_block(root, pci_ata2, "sr0", "11:0\n", 1000000, 0, 1);
        if (r >= 0)
                r = add_block(root, pci_ata2, "sdc", "8:32\n", 0, 0, 1);
        if (r >= 0)
                r = add_block(root, pci_nvme, "nvme0n1", "259:0\n", 8 * IMAGE_SECTORS, 0, 0);
        if (r >= 0) {
                char *parent = util_asprintf("%s/nvme0n1", pci_nvme);

                r = parent ? add_block(root, parent, "nvme0n1p1", "259:1\n", IMAGE_SECTORS, 1, -1)
                           : -ENOMEM;
                free(parent);
        }
        if (r >= 0)
                r = add_block(root, virt, "ram0", "1:0\n", 8192, 0, 0);
        if (r >= 0)
                r = add_block(root, virt, "zram0", "252:0\n", 8192, 0, 0);
        if (r >= 0)
                r = add_block(root, virt, "loop0", "7:0\n", 0, 0, 0);
        if (r >= 0)
                r = add_block(root, virt, "loop1", "7:1\n", 2048, 0, 0);
        if (r < 0)
                goto out;

        /* Device nodes: real images for sda1 and sdb1, zeros for sda and loop1. */
        cmd = util_asprintf("mkfs.ext4 -q -F -L testlabel -U " EXT4_UUID " %s/sda1 8M "
                            ">/dev/null 2>&1",
                            devroot);
        if (!cmd || run(cmd) < 0) {
                r = -EIO;
                goto out;
        }
        free(cmd);
        cmd = util_asprintf("mkfs.vfat -C %s/sdb1 8192 -n LBL -i 12345678 >/dev/null 2>&1",
                            devroot);
        if (!cmd || run(cmd) < 0) {
                r = -EIO;
                goto out;
        }
        free(cmd);
        cmd = util_asprintf("truncate -s 1M %s/sda %s/loop1", devroot, devroot);
        if (!cmd || run(cmd) < 0)
                r = -EIO;
out:
        free(cmd);
        free(devroot);
        free(classdir);
        return r;
}

TEST(scan_fake_sysfs)
{
        char tmpl[] = "/tmp/kl-scan-XXXXXX";
        char *sys = NULL, *dev = NULL, *ext4_before = NULL, *vfat_before = NULL;
        char *ext4_after = NULL, *vfat_after = NULL, *img = NULL;
        size_t ext4_len = 0, vfat_len = 0, len = 0;
        struct device_list l = {0};
        static const char *const want[] = {"sdb",       "sdb1", "sr0",  "loop1", "nvme0n1",
                                           "nvme0n1p1", "sda",  "sda1", "sda2"};
        const struct device *d;

        add_path();
        if (!have_tool("mkfs.ext4") || !have_tool("mkfs.vfat") || !have_tool("truncate")) {
                printf("# SKIP mkfs.ext4, mkfs.vfat or truncate missing\n");
                return;
        }
        REQUIRE(mkdtemp(tmpl) != NULL);
        sys = util_asprintf("%s/sys", tmpl);
        dev = util_asprintf("%s/dev", tmpl);
        if (!sys || !dev || build_tree(tmpl) < 0) {
                CHECK(!"building the fake tree failed");
                goto out;
        }
        img = util_asprintf("%s/sda1", dev);
        ext4_before = img ? read_all(img, &ext4_len) : NULL;
        free(img);
        img = util_asprintf("%s/sdb1", dev);
        vfat_before = img ? read_all(img, &vfat_len) : NULL;
        free(img);
        img = NULL;
        CHECK(ext4_before && vfat_before);

        CHECK_INTEQ(device_scan_sysfs(sys, dev, &l), 0);
        /* Skipped: ram0, zram0, the empty loop0 and the empty sdc; sorted removable first. */
        CHECK_INTEQ(l.n, ARRAY_SIZE(want));
        for (size_t i = 0; i < MIN(l.n, ARRAY_SIZE(want)); i++)
                CHECK_STREQ(l.items[i].name, want[i]);
        CHECK(device_list_find_name(&l, "ram0") == NULL);
        CHECK(device_list_find_name(&l, "zram0") == NULL);
        CHECK(device_list_find_name(&l, "loop0") == NULL);
        CHECK(device_list_find_name(&l, "sdc") == NULL);

        d = device_list_find_name(&l, "sda1");
        if (d) {
                char *want_path = util_asprintf("%s/sda1", dev);

                CHECK_STREQ(d->path, want_path);
                free(want_path);
                CHECK_STREQ(d->disk, "sda");
                CHECK_INTEQ(d->partno, 1);
                CHECK_INTEQ(d->major, 8);
                CHECK_INTEQ(d->minor, 1);
                CHECK_INTEQ(d->size, (unsigned long long) IMAGE_SECTORS * 512);
                CHECK(!d->removable);
                CHECK(!d->usb);
                CHECK_STREQ(d->fstype, "ext4");
                CHECK_STREQ(d->uuid, EXT4_UUID);
                CHECK_STREQ(d->label, "testlabel");
                CHECK(d->partuuid == NULL);
                CHECK(d->mountdir == NULL);
        } else {
                CHECK(!"sda1 missing");
        }

        d = device_list_find_name(&l, "sda2");
        if (d) {
                /* No device node: listed, nothing probed. */
                CHECK_STREQ(d->disk, "sda");
                CHECK_INTEQ(d->partno, 2);
                CHECK_INTEQ(d->size, 2048ULL * 512);
                CHECK(d->fstype == NULL && d->uuid == NULL && d->label == NULL);
        } else {
                CHECK(!"sda2 missing");
        }

        d = device_list_find_name(&l, "sda");
        if (d) {
                CHECK_STREQ(d->disk, "sda");
                CHECK_INTEQ(d->partno, 0);
                CHECK_INTEQ(d->size, 4ULL * IMAGE_SECTORS * 512);
                CHECK(!d->removable);
                CHECK(d->fstype == NULL);
        } else {
                CHECK(!"sda missing");
        }

        d = device_list_find_name(&l, "sdb1");
        if (d) {
                CHECK_STREQ(d->disk, "sdb");
                CHECK_INTEQ(d->partno, 1);
                CHECK_INTEQ(d->major, 8);
                CHECK_INTEQ(d->minor, 17);
                CHECK(d->removable);
                CHECK(d->usb);
                CHECK_STREQ(d->fstype, "vfat");
                CHECK_STREQ(d->uuid, "1234-5678");
                CHECK_STREQ(d->label, "LBL");
        } else {
                CHECK(!"sdb1 missing");
        }

        d = device_list_find_name(&l, "sdb");
        if (d) {
                CHECK(d->removable);
                CHECK(d->usb);
        }

        d = device_list_find_name(&l, "sr0");
        if (d) {
                CHECK(d->removable);
                CHECK(!d->usb);
                CHECK_INTEQ(d->major, 11);
                CHECK_INTEQ(d->size, 1000000ULL * 512);
        } else {
                CHECK(!"sr0 missing");
        }

        d = device_list_find_name(&l, "nvme0n1p1");
        if (d) {
                CHECK_STREQ(d->disk, "nvme0n1");
                CHECK_INTEQ(d->partno, 1);
                CHECK_INTEQ(d->major, 259);
                CHECK_INTEQ(d->minor, 1);
                CHECK(!d->removable);
        } else {
                CHECK(!"nvme0n1p1 missing");
        }

        d = device_list_find_name(&l, "loop1");
        if (d) {
                CHECK_STREQ(d->disk, "loop1");
                CHECK_INTEQ(d->partno, 0);
                CHECK(!d->removable);
        }

        /* The scanned list resolves like any other. */
        CHECK(grub_devname_resolve_string("UUID=" EXT4_UUID, &l, NULL, CONFIG_GRUB_FIRST_HDX) ==
              device_list_find_name(&l, "sda1"));
        CHECK(grub_devname_resolve_string("LABEL=LBL", &l, NULL, CONFIG_GRUB_FIRST_HDX) ==
              device_list_find_name(&l, "sdb1"));
        CHECK(grub_devname_resolve_string("(hd0,0)", &l, NULL, CONFIG_GRUB_FIRST_HDX) ==
              device_list_find_name(&l, "sda1"));
        CHECK(grub_devname_resolve_string("(hd1,0)", &l, NULL, CONFIG_GRUB_FIRST_HDX) ==
              device_list_find_name(&l, "nvme0n1p1"));
        CHECK(grub_devname_resolve_string("(hd2,0)", &l, NULL, CONFIG_GRUB_FIRST_HDX) ==
              device_list_find_name(&l, "sdb1"));

        if (*test_failed)
                dump_list(&l);

        /* Nothing was written to the images. */
        img = util_asprintf("%s/sda1", dev);
        ext4_after = img ? read_all(img, &len) : NULL;
        CHECK(ext4_after && ext4_before && len == ext4_len &&
              memcmp(ext4_before, ext4_after, len) == 0);
        free(img);
        img = util_asprintf("%s/sdb1", dev);
        vfat_after = img ? read_all(img, &len) : NULL;
        CHECK(vfat_after && vfat_before && len == vfat_len &&
              memcmp(vfat_before, vfat_after, len) == 0);
out:
        device_list_done(&l);
        free(img);
        free(ext4_before);
        free(vfat_before);
        free(ext4_after);
        free(vfat_after);
        free(sys);
        free(dev);
        rm_rf(tmpl);
        CHECK(access(tmpl, F_OK) < 0);
}

TEST(scan_missing_sysfs)
{
        struct device_list l = {0};
        char tmpl[] = "/tmp/kl-scan-XXXXXX";
        char *sys;

        CHECK_INTEQ(device_scan_sysfs("/nonexistent/kl-test-sys", "/dev", &l), -ENOENT);
        CHECK(l.n == 0 && l.items == NULL);

        /* An empty class/block: an empty list. */
        REQUIRE(mkdtemp(tmpl) != NULL);
        sys = util_asprintf("%s/sys", tmpl);
        REQUIRE(sys);
        {
                char *classdir = util_asprintf("%s/class/block", sys);

                REQUIRE(classdir);
                CHECK(mkdir_p(classdir) == 0);
                free(classdir);
        }
        CHECK_INTEQ(device_scan_sysfs(sys, "/nonexistent/dev", &l), 0);
        CHECK_INTEQ(l.n, 0);
        device_list_done(&l);
        free(sys);
        rm_rf(tmpl);
}

TEST(scan_broken_attributes)
{
        char tmpl[] = "/tmp/kl-scan-XXXXXX";
        char *sys = NULL;
        struct device_list l = {0};

        REQUIRE(mkdtemp(tmpl) != NULL);
        sys = util_asprintf("%s/sys", tmpl);
        REQUIRE(sys);
        /* Garbage in size or dev must not crash; a bad size skips the device. */
        CHECK(add_block(tmpl, virt, "vda", "garbage\n", 2048, 0, 0) == 0);
        CHECK(add_block(tmpl, virt, "vdb", "252:16\n", 2048, 0, 1) == 0);
        CHECK(add_block(tmpl, virt, "vdc", "252:32\n", 2048, 0, 0) == 0);
        {
                char *dir = util_asprintf("%s/sys/%s/vdc", tmpl, virt);

                REQUIRE(dir);
                CHECK(write_file(dir, "size", "-5\n") == 0);
                free(dir);
        }
        CHECK_INTEQ(device_scan_sysfs(sys, "/nonexistent/dev", &l), 0);
        REQUIRE(l.n == 2);
        CHECK_STREQ(l.items[0].name, "vdb");
        CHECK(l.items[0].removable);
        CHECK_STREQ(l.items[0].path, "/nonexistent/dev/vdb");
        CHECK_STREQ(l.items[1].name, "vda");
        CHECK_INTEQ(l.items[1].major, 0);
        CHECK_INTEQ(l.items[1].size, 2048ULL * 512);
        device_list_done(&l);
        free(sys);
        rm_rf(tmpl);
}
