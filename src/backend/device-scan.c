/* SPDX-License-Identifier: GPL-2.0-or-later */
/* device_scan_sysfs(): the block devices in sysfs, with filesystem type, UUID and label from a
 * read-only libblkid probe. */
#define LOG_MODULE "device"
#include "device.h"

#include <blkid.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include "../core/log.h"
#include "mapname.h"
#include "ntfs-check.h"

static void blkid_probep(blkid_probe *p)
{
        if (*p)
                blkid_free_probe(*p);
}

static void closedirp(DIR **d)
{
        if (*d)
                closedir(*d);
}

/* Reads a sysfs attribute as an unsigned number; -errno or -EINVAL. */
static int read_u64(const char *dir, const char *attr, uint64_t *ret)
{
        _cleanup_free_ char *path = util_asprintf("%s/%s", dir, attr);
        _cleanup_free_ char *line = NULL;
        unsigned long long v;
        char *end;
        int r;

        if (!path)
                return -ENOMEM;
        r = util_read_line(path, &line);
        if (r < 0)
                return r;
        util_strip_trailing(line);
        errno = 0;
        v = strtoull(line, &end, 10);
        if (errno || end == line || *end || line[0] == '-')
                return -EINVAL;
        *ret = v;
        return 0;
}

static int copy_value(blkid_probe pr, const char *name, char **dst)
{
        const char *v = NULL;

        if (blkid_probe_lookup_value(pr, name, &v, NULL) < 0 || isempty(v))
                return 0;
        return util_strdup_to(dst, v);
}

/* Fills fstype, UUID, label, PARTUUID and PARTLABEL. A device that cannot be opened or probed
 * (no medium, no node) keeps them NULL; only -ENOMEM is an error. */
static int probe(struct device *d)
{
        _cleanup_(blkid_probep) blkid_probe pr = NULL;
        _cleanup_close_ int fd = -1;
        int r;

        fd = open(d->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return 0;
        pr = blkid_new_probe();
        if (!pr)
                return -ENOMEM;
        if (blkid_probe_set_device(pr, fd, 0, 0) < 0)
                return 0;
        blkid_probe_enable_superblocks(pr, 1);
        blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_UUID |
                                                      BLKID_SUBLKS_LABEL);
        blkid_probe_enable_partitions(pr, 1);
        blkid_probe_set_partitions_flags(pr, BLKID_PARTS_ENTRY_DETAILS);
        r = blkid_do_safeprobe(pr);
        if (r < 0) { /* an error, not "nothing found" (1): a device that cannot be read? */
                char buf[512];

                /* EIO only: a failing disk or a bad sector, not an empty drive (ENOMEDIUM) */
                if (pread(fd, buf, sizeof(buf), 0) < 0 && errno == EIO) {
                        d->read_error = errno;
                        log_warn("%s cannot be read: %m", d->path);
                }
        }
        if (r != 0)
                return 0;

        r = copy_value(pr, "TYPE", &d->fstype);
        /* A hibernated Windows' volume is never mounted: its state is read now, for the list. */
        if (r >= 0 && ntfs_check_type(d->fstype)) {
                r = ntfs_check_fd(fd, d->path, &d->not_mounted);
                if (r == -EMEDIUMTYPE || (r < 0 && r != -ENOMEM))
                        r = 0;
        }
        if (r >= 0)
                r = copy_value(pr, "UUID", &d->uuid);
        if (r >= 0)
                r = copy_value(pr, "LABEL", &d->label);
        if (r >= 0)
                r = copy_value(pr, "PART_ENTRY_UUID", &d->partuuid);
        if (r >= 0)
                r = copy_value(pr, "PART_ENTRY_NAME", &d->partlabel);
        if (r >= 0)
                r = copy_value(pr, "PART_ENTRY_TYPE", &d->parttype);
        return r;
}

/* Whether the device has holders (sysfs holders/: a dm mapping or md array over it). */
static int has_holders(const char *sysdir, bool *ret)
{
        _cleanup_free_ char *path = util_asprintf("%s/holders", sysdir);
        _cleanup_(closedirp) DIR *dir = NULL;
        struct dirent *de;

        *ret = false;
        if (!path)
                return -ENOMEM;
        dir = opendir(path);
        if (!dir)
                return errno == ENOMEM ? -ENOMEM : 0;
        while ((de = readdir(dir)))
                if (de->d_name[0] != '.') {
                        *ret = true;
                        break;
                }
        return 0;
}

/* A device-mapper device's name as shown (sysfs dm/name and dm/uuid, mapname.h); d->mapname
 * stays NULL for other devices. 0 or -ENOMEM. */
static int dm_display(const char *sysdir, struct device *d)
{
        _cleanup_free_ char *name_path = util_asprintf("%s/dm/name", sysdir);
        _cleanup_free_ char *uuid_path = util_asprintf("%s/dm/uuid", sysdir);
        _cleanup_free_ char *name = NULL, *uuid = NULL;
        int r;

        if (!name_path || !uuid_path)
                return -ENOMEM;
        r = util_read_line(name_path, &name);
        if (r < 0)
                return r == -ENOMEM ? r : 0;
        r = util_read_line(uuid_path, &uuid);
        if (r == -ENOMEM)
                return r;
        d->mapname = mapname_dm_display(name, uuid);
        return d->mapname || isempty(name) ? 0 : -ENOMEM;
}

int device_sysfs_held(const char *sysroot, const char *name, bool *ret)
{
        _cleanup_free_ char *link = util_asprintf("%s/class/block/%s", sysroot, name);

        if (!link)
                return -ENOMEM;
        return has_holders(link, ret);
}

static bool skip_name(const char *name)
{
        return name[0] == '.' || startswith(name, "ram") || startswith(name, "zram");
}

/* Builds the entry for one /sys/class/block/<name>. Returns 1 when the device is skipped. */
static int scan_one(const char *sysroot, const char *devroot, const char *name, struct device *ret)
{
        _cleanup_free_ char *link = NULL, *real = NULL, *parent = NULL, *dev = NULL;
        _cleanup_free_ char *devpath = NULL, *devattr = NULL;
        struct device d = {0};
        const char *base;
        uint64_t sectors = 0, partno = 0, removable = 0;
        unsigned maj, min;
        char *slash;
        int r;

        link = util_asprintf("%s/class/block/%s", sysroot, name);
        if (!link)
                return -ENOMEM;
        r = read_u64(link, "size", &sectors);
        if (r == -ENOMEM)
                return r;
        /* Empty loop devices, card readers without a card, missing attributes. */
        if (r < 0 || sectors == 0 || sectors > UINT64_MAX / 512)
                return 1;

        real = realpath(link, NULL);
        if (!real) {
                if (errno == ENOMEM)
                        return -ENOMEM;
                real = strdup(link);
                if (!real)
                        return -ENOMEM;
        }

        d.size = sectors * 512;
        d.usb = strstr(real, "/usb") != NULL;
        d.name = strdup(name);
        /* "cciss!c0d0" is /dev/cciss/c0d0. */
        devpath = util_asprintf("%s/%s", devroot, name);
        if (!d.name || !devpath) {
                r = -ENOMEM;
                goto fail;
        }
        for (char *s = devpath + strlen(devroot) + 1; *s; s++)
                if (*s == '!')
                        *s = '/';
        d.path = devpath;
        devpath = NULL;

        devattr = util_asprintf("%s/dev", link);
        if (!devattr) {
                r = -ENOMEM;
                goto fail;
        }
        r = util_read_line(devattr, &dev);
        if (r == -ENOMEM)
                goto fail;
        if (r >= 0 && sscanf(dev, "%u:%u", &maj, &min) == 2) {
                d.major = maj;
                d.minor = min;
        }

        r = read_u64(link, "partition", &partno);
        if (r == -ENOMEM)
                goto fail;
        if (r >= 0 && partno > 0 && partno <= UINT_MAX) {
                /* A partition: its disk is the parent directory in sysfs. */
                parent = strdup(real);
                if (!parent) {
                        r = -ENOMEM;
                        goto fail;
                }
                slash = strrchr(parent, '/');
                if (slash && slash != parent)
                        *slash = 0;
                base = strrchr(parent, '/');
                base = base ? base + 1 : parent;
                d.disk = strdup(base);
                d.partno = (unsigned) partno;
        } else {
                parent = strdup(real);
                d.disk = strdup(name);
                d.partno = 0;
        }
        if (!parent || !d.disk) {
                r = -ENOMEM;
                goto fail;
        }
        r = read_u64(parent, "removable", &removable);
        if (r == -ENOMEM)
                goto fail;
        d.removable = (r >= 0 && removable == 1) || d.usb;

        r = probe(&d);
        if (r >= 0)
                r = dm_display(link, &d);
        if (r < 0)
                goto fail;
        if (streq_ptr(d.fstype, "crypto_LUKS")) {
                bool held;

                r = has_holders(link, &held);
                if (r < 0)
                        goto fail;
                d.locked = !held;
        }
        *ret = d;
        return 0;
fail:
        device_done(&d);
        return r;
}

int device_scan_sysfs(const char *sysroot, const char *devroot, struct device_list *ret)
{
        _cleanup_(closedirp) DIR *dir = NULL;
        _cleanup_free_ char *classdir = NULL;
        struct device_list l = {0};
        struct dirent *de;
        int r;

        classdir = util_asprintf("%s/class/block", sysroot);
        if (!classdir)
                return -ENOMEM;
        dir = opendir(classdir);
        if (!dir)
                return -errno;

        while ((errno = 0, de = readdir(dir))) {
                struct device d;

                if (skip_name(de->d_name))
                        continue;
                r = scan_one(sysroot, devroot, de->d_name, &d);
                if (r < 0)
                        goto fail;
                if (r > 0)
                        continue;
                r = UTIL_GROW(l.items, l.cap, l.n + 1);
                if (r < 0) {
                        device_done(&d);
                        goto fail;
                }
                l.items[l.n++] = d;
        }
        if (errno) {
                r = -errno;
                goto fail;
        }
        device_list_sort(&l);
        *ret = l;
        return 0;
fail:
        device_list_done(&l);
        return r;
}
