/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Read-only mounts of scanned disks. The rules that keep the disks untouched:
 *  - a device with a directory of its own (fixture) or one that is mounted already is used in
 *    place;
 *  - a device that is busy (opened exclusively by a mount in another namespace, a RAID or LVM
 *    volume) is never set read-only: the mount either shares the existing superblock or fails;
 *  - otherwise BLKROSET comes first, so not even a journal replay can reach the disk, and the
 *    mount itself is MS_RDONLY. The flag is cleared again after a clean unmount (it would
 *    outlive us, even the detach of a loop device).
 * A mount below the table's base that an earlier run left behind (the menu was restarted) is
 * adopted and unmounted like our own. */
#define LOG_MODULE "mount"
#include "mount.h"

#include <fcntl.h>
#include <linux/btrfs.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "../core/heartbeat.h"
#include "../core/log.h"
#include "ntfs-check.h"

#define MOUNT_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)

int mount_table_init(struct mount_table *t, const char *base)
{
        *t = (struct mount_table){0};
        t->base = strdup(base ? base : "/run/kexec-loader/mnt");
        return t->base ? 0 : -ENOMEM;
}

static void rec_done(struct mount_rec *r)
{
        free(r->device);
        free(r->dir);
        free(r->fstype);
        *r = (struct mount_rec){0};
}

void mount_table_done(struct mount_table *t)
{
        (void) mount_release_all(t);
        free(t->items);
        free(t->base);
        *t = (struct mount_table){0};
}

static bool device_has_number(const struct device *d)
{
        return d->major != 0 || d->minor != 0;
}

/* Does one mountinfo entry (maj:min and mount source) belong to d? */
static bool entry_matches(const struct device *d, unsigned maj, unsigned min, const char *source)
{
        struct stat st;

        if (device_has_number(d)) {
                if (maj == d->major && min == d->minor)
                        return true;
                /* btrfs and some others show an anonymous device number (0:N): look at the
                 * source instead. Only /dev paths are looked at, never network sources. */
                if (maj != 0 || !startswith(source, "/dev/"))
                        return false;
                return stat(source, &st) == 0 && S_ISBLK(st.st_mode) &&
                       major(st.st_rdev) == d->major && minor(st.st_rdev) == d->minor;
        }
        return d->path && streq(source, d->path);
}

/* Scans mountinfo for d. *ret_dir gets the first mount of the filesystem's root (NULL if none);
 * *ret_mounted tells whether it is mounted at all (maybe only a subdirectory of it). */
static int scan_mountinfo(const struct device *d, char **ret_dir, bool *ret_mounted)
{
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *line = NULL;
        size_t cap = 0;

        *ret_dir = NULL;
        *ret_mounted = false;
        f = fopen("/proc/self/mountinfo", "re");
        if (!f)
                return -errno;
        while (getline(&line, &cap, f) > 0) {
                char *fields[6], *p = line, *sep, *source, *save = NULL;
                unsigned maj, min;
                size_t n = 0;

                util_strip_trailing(line);
                sep = strstr(line, " - ");
                if (!sep)
                        continue;
                *sep = 0;
                for (char *tok = strtok_r(p, " ", &save); tok && n < ARRAY_SIZE(fields);
                     tok = strtok_r(NULL, " ", &save))
                        fields[n++] = tok;
                if (n < 5 || sscanf(fields[2], "%u:%u", &maj, &min) != 2)
                        continue;
                /* after " - ": fstype, source, super options */
                save = NULL;
                if (!strtok_r(sep + 3, " ", &save))
                        continue;
                source = strtok_r(NULL, " ", &save);
                if (!source)
                        continue;
                util_unescape_octal(source);
                if (!entry_matches(d, maj, min, source))
                        continue;
                *ret_mounted = true;
                if (!streq(util_unescape_octal(fields[3]), "/"))
                        continue;
                *ret_dir = strdup(util_unescape_octal(fields[4]));
                return *ret_dir ? 0 : -ENOMEM;
        }
        return 0;
}

int mount_find_existing(const struct device *d, char **ret_dir)
{
        bool mounted;
        int r;

        r = scan_mountinfo(d, ret_dir, &mounted);
        if (r < 0)
                return r;
        return *ret_dir ? 0 : -ENOENT;
}

static int mkdir_p(const char *path, mode_t mode)
{
        _cleanup_free_ char *p = strdup(path);

        if (!p)
                return -ENOMEM;
        for (char *s = p + 1;; s++) {
                char c = *s;

                if (c != '/' && c != 0)
                        continue;
                *s = 0;
                if (mkdir(p, mode) < 0 && errno != EEXIST)
                        return -errno;
                *s = c;
                if (!c)
                        break;
        }
        return 0;
}

#define set_error(err, r, ...) log_set_error(err, r, LOG_LEVEL_WARNING, LOG_MODULE, __VA_ARGS__)

/* Mount options per filesystem type. first: tried in order before the plain read-only mount,
 * each dropped when the kernel refuses it (EINVAL: an older kernel's driver does not know it);
 * retry: tried once more after the plain mount failed (a dirty journal cannot be replayed on a
 * read-only device). btrfs's log tree is never replayed: rescue=nologreplay (Linux 5.9), or
 * nologreplay (4.6 to 5.8, deprecated since). f2fs rolls fsync'ed data forward even on a
 * read-only mount (it lifts SB_RDONLY for it; on a read-only device it refuses to mount): never,
 * with norecovery (which needs ro), or disable_roll_forward where norecovery is unknown. */
static const struct mount_options {
        const char *fstype;
        const char *first[2];
        const char *retry;
} mount_options[] = {
        {"ext3", {NULL}, "noload"},
        {"ext4", {NULL}, "noload"},
        {"xfs", {NULL}, "norecovery"},
        {"btrfs", {"rescue=nologreplay", "nologreplay"}, NULL},
        {"f2fs", {"norecovery", "disable_roll_forward"}, NULL},
};

static const struct mount_options *options_of(const char *fstype)
{
        for (size_t i = 0; i < ARRAY_SIZE(mount_options); i++)
                if (streq(mount_options[i].fstype, fstype))
                        return &mount_options[i];
        return NULL;
}

static int mount_with(const char *path, const char *dir, const char *fstype, unsigned long extra,
                      const char *base, const char *opt)
{
        _cleanup_free_ char *data = NULL;

        if (base && opt)
                data = util_asprintf("%s,%s", base, opt);
        else if (base || opt)
                data = strdup(base ? base : opt);
        if ((base || opt) && !data)
                return -ENOMEM;
        return mount(path, dir, fstype, MOUNT_FLAGS | extra, data) < 0 ? -errno : 0;
}

/* One filesystem type, with the options base (NULL: none) and those of mount_options. Returns 0
 * or -errno (the plain mount's error). */
static int try_mount_fs(const char *path, const char *dir, const char *fstype, unsigned long extra,
                        const char *base)
{
        const struct mount_options *o = options_of(fstype);
        const char *refused = NULL;
        int r;

        for (size_t i = 0; o && i < ARRAY_SIZE(o->first) && o->first[i]; i++) {
                r = mount_with(path, dir, fstype, extra, base, o->first[i]);
                if (r == 0) {
                        if (refused)
                                log_info("the kernel's %s refuses %s: %s mounted with %s", fstype,
                                         refused, path, o->first[i]);
                        else
                                log_info("%s (%s) mounted with %s", path, fstype, o->first[i]);
                        return 0;
                }
                if (r != -EINVAL)
                        return r;
                if (!refused)
                        refused = o->first[i];
        }
        r = mount_with(path, dir, fstype, extra, base, NULL);
        if (r == 0) {
                if (refused)
                        log_warn("the kernel's %s refuses %s: %s mounted without it", fstype,
                                 refused, path);
                return 0;
        }
        if (!o || !o->retry || r == -ENODEV || r == -ENOTBLK || r == -ENXIO || r == -ENOENT ||
            r == -ENOMEDIUM || r == -ENOMEM)
                return r;
        if (mount_with(path, dir, fstype, extra, base, o->retry) == 0) {
                log_warn("%s (%s) mounted with %s: its journal was not replayed, recent changes "
                         "may be missing",
                         path, fstype, o->retry);
                return 0;
        }
        return r;
}

/* A mount of a slow or failing disk may take long and cannot be interrupted: PID 1's watchdog
 * waits for it (core/heartbeat.h); each mount is also a sign of life of a scan. */
static int try_mount(const char *path, const char *dir, const char *fstype, unsigned long extra,
                     const char *base)
{
        int r;

        heartbeat_pause();
        r = try_mount_fs(path, dir, fstype, extra, base);
        heartbeat_resume();
        return r;
}

/* Mountable types from /proc/filesystems (no "nodev" ones, no fuseblk; msdos last). */
static int kernel_fstypes(char ***ret)
{
        _cleanup_free_ char *text = NULL;
        _cleanup_strv_ char **l = calloc(1, sizeof(char *));
        bool msdos = false;
        char *save = NULL;
        int r;

        if (!l)
                return -ENOMEM;
        r = util_read_file("/proc/filesystems", 64 * 1024, &text, NULL);
        if (r < 0)
                return r;
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                const char *name;

                if (startswith(line, "nodev"))
                        continue;
                name = util_skip_blanks(line);
                if (!*name || streq(name, "fuseblk"))
                        continue;
                if (streq(name, "msdos")) {
                        msdos = true;
                        continue;
                }
                r = strv_push(&l, name);
                if (r < 0)
                        return r;
        }
        if (msdos) {
                r = strv_push(&l, "msdos");
                if (r < 0)
                        return r;
        }
        *ret = l;
        l = NULL;
        return 0;
}

static struct mount_rec *table_find(struct mount_table *t, const char *device)
{
        for (size_t i = 0; i < t->n; i++)
                if (streq(t->items[i].device, device))
                        return &t->items[i];
        return NULL;
}

static int table_add(struct mount_table *t, const char *device, char **dir, const char *fstype,
                     bool borrowed, bool made_ro, struct mount_rec **ret)
{
        struct mount_rec rec = {.borrowed = borrowed, .made_ro = made_ro};
        int r;

        r = UTIL_GROW(t->items, t->cap, t->n + 1);
        if (r < 0)
                return r;
        rec.device = strdup(device);
        rec.fstype = fstype ? strdup(fstype) : NULL;
        if (!rec.device || (fstype && !rec.fstype)) {
                rec_done(&rec);
                return -ENOMEM;
        }
        rec.dir = *dir;
        *dir = NULL;
        t->items[t->n] = rec;
        *ret = &t->items[t->n++];
        return 0;
}

static void set_device_ro(const char *path, int ro)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

        if (fd < 0 || ioctl(fd, BLKROSET, &ro) < 0)
                log_warn("cannot set %s back to %s: %m", path, ro ? "read-only" : "read-write");
}

/* A safe directory name from a kernel name. */
static char *mount_dir_name(const struct mount_table *t, const struct device *d)
{
        _cleanup_free_ char *name = strdup(!isempty(d->name) ? d->name : "device");

        if (!name)
                return NULL;
        for (char *s = name; *s; s++)
                if (*s == '/')
                        *s = '!';
        if (streq(name, ".") || streq(name, ".."))
                return util_asprintf("%s/device", t->base);
        return util_asprintf("%s/%s", t->base, name);
}

/* Opens the device, checks it is a block device and, unless it is in use, makes it read-only.
 * A device in use (mounted somewhere, maybe only a subdirectory of it or in another namespace,
 * or a member of a RAID or LVM volume) is left alone: its read-only flag would reach the
 * read-write mount too. The descriptor is closed again before mounting (an exclusive open would
 * make the mount fail). */
static int prepare_device(const char *path, bool mounted, bool *ret_made_ro, char **ret_error)
{
        _cleanup_close_ int fd = -1;
        bool in_use = mounted;
        struct stat st;
        int ro = 0, one = 1;

        *ret_made_ro = false;
        /* O_EXCL on a block device fails with EBUSY when a filesystem, md or dm holds it. */
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (in_use ? 0 : O_EXCL));
        if (fd < 0 && errno == EBUSY) {
                in_use = true;
                fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        }
        if (fd < 0)
                return set_error(ret_error, -errno, "cannot open %s: %m", path);
        if (fstat(fd, &st) < 0)
                return set_error(ret_error, -errno, "cannot open %s: %m", path);
        if (!S_ISBLK(st.st_mode))
                return set_error(ret_error, -ENOTBLK, "cannot mount %s: not a block device", path);
        if (in_use) {
                log_info("%s is in use elsewhere: not touching its read-only flag", path);
                return 0;
        }
        if (ioctl(fd, BLKROGET, &ro) == 0 && ro) {
                log_debug("%s is read-only already", path);
                return 0;
        }
        if (ioctl(fd, BLKROSET, &one) < 0)
                return set_error(ret_error, -errno, "cannot make %s read-only: %m", path);
        log_debug("%s set read-only (BLKROSET)", path);
        *ret_made_ro = true;
        return 0;
}

/* A volume a hibernated Windows holds is never mounted (ntfs-check.h): the scan's verdict, and
 * the device's state read again now (it may have changed since). */
static int refuse_unsafe(const struct device *d, const char *fstype, char **ret_error)
{
        _cleanup_free_ char *why = NULL;
        int r;

        if (d->not_mounted)
                return set_error(ret_error, -EPERM, "%s is not mounted: %s", d->path,
                                 d->not_mounted);
        if (!ntfs_check_type(fstype ? fstype : d->fstype))
                return 0;
        r = ntfs_check_path(d->path, &why);
        if (r == 0 || r == -EMEDIUMTYPE)
                return 0;
        return set_error(ret_error, r < 0 ? r : -EPERM, "%s is not mounted: %s", d->path,
                         why ? why : strerror(-r));
}

int mount_acquire(struct mount_table *t, const struct device *d, const char *fstype,
                  const char **ret_dir, char **ret_error)
{
        _cleanup_free_ char *existing = NULL, *dir = NULL, *used_type = NULL;
        _cleanup_strv_ char **types = NULL;
        struct mount_rec *rec;
        bool mounted = false, made_ro = false;
        int r;

        if (ret_error)
                *ret_error = NULL;
        if (d->mountdir) {
                *ret_dir = d->mountdir;
                return 0;
        }
        if (isempty(d->path))
                return set_error(ret_error, -EINVAL, "cannot mount %s: no device node",
                                 d->name ? d->name : "(unnamed device)");
        rec = table_find(t, d->path);
        if (rec) {
                *ret_dir = rec->dir;
                return 0;
        }

        r = scan_mountinfo(d, &existing, &mounted);
        if (r == -ENOMEM)
                return set_error(ret_error, r, "cannot mount %s: %s", d->path, strerror(-r));
        if (r < 0)
                log_warn("cannot read /proc/self/mountinfo: %s", strerror(-r));
        if (existing) {
                /* Below our base it was left behind by an earlier run (the menu restarted):
                 * adopt it, so that it is unmounted before the next kernel starts. */
                const char *rest = startswith(existing, t->base);
                bool ours = rest && rest[0] == '/';

                log_info("%s is mounted already at %s: %s", d->path, existing,
                         ours ? "adopting it" : "using it in place");
                r = table_add(t, d->path, &existing, fstype ? fstype : d->fstype, !ours, false,
                              &rec);
                if (r < 0)
                        return set_error(ret_error, r, "cannot mount %s: %s", d->path,
                                         strerror(-r));
                *ret_dir = rec->dir;
                return 0;
        }

        r = refuse_unsafe(d, fstype, ret_error);
        if (r < 0)
                return r;
        r = prepare_device(d->path, mounted, &made_ro, ret_error);
        if (r < 0)
                return r;

        dir = mount_dir_name(t, d);
        if (!dir) {
                r = set_error(ret_error, -ENOMEM, "cannot mount %s: %s", d->path, strerror(ENOMEM));
                goto fail;
        }
        r = mkdir_p(dir, 0700);
        if (r < 0) {
                r = set_error(ret_error, r, "cannot create the mount point %s: %s", dir,
                              strerror(-r));
                goto fail;
        }

        if (!fstype)
                fstype = d->fstype;
        if (fstype) {
                log_info("mounting %s (%s) read-only at %s", d->path, fstype, dir);
                r = try_mount(d->path, dir, fstype, 0, NULL);
                if (r == -ENODEV && streq(fstype, "ntfs"))
                        r = try_mount(d->path, dir, fstype = "ntfs3", 0, NULL);
                if (r < 0) {
                        if (r == -ENODEV)
                                r = set_error(ret_error, r,
                                              "cannot mount %s (%s) read-only: the kernel has no "
                                              "%s driver",
                                              d->path, fstype, fstype);
                        else
                                r = set_error(ret_error, r, "cannot mount %s (%s) read-only: %s",
                                              d->path, fstype, strerror(-r));
                        goto fail_dir;
                }
                used_type = strdup(fstype);
        } else {
                r = kernel_fstypes(&types);
                if (r < 0) {
                        r = set_error(ret_error, r,
                                      "cannot mount %s read-only: cannot read /proc/filesystems: "
                                      "%s",
                                      d->path, strerror(-r));
                        goto fail_dir;
                }
                log_info("mounting %s read-only at %s, trying each filesystem type", d->path, dir);
                r = -EINVAL;
                strv_foreach (type, types) {
                        r = try_mount(d->path, dir, type, MS_SILENT, NULL);
                        if (r == 0) {
                                used_type = strdup(type);
                                break;
                        }
                }
                if (r < 0) {
                        r = set_error(ret_error, -EINVAL,
                                      "cannot mount %s read-only: unknown filesystem type",
                                      d->path);
                        goto fail_dir;
                }
        }
        log_info("mounted %s (%s) read-only at %s", d->path, used_type ? used_type : "?", dir);

        r = table_add(t, d->path, &dir, used_type, false, made_ro, &rec);
        if (r < 0) {
                if (umount2(dir, 0) < 0)
                        (void) umount2(dir, MNT_DETACH);
                r = set_error(ret_error, r, "cannot mount %s: %s", d->path, strerror(-r));
                goto fail_dir;
        }
        *ret_dir = rec->dir;
        return 0;

fail_dir:
        (void) rmdir(dir);
fail:
        if (made_ro)
                set_device_ro(d->path, 0);
        return r;
}

int mount_release_all(struct mount_table *t)
{
        int first = 0;

        while (t->n > 0) {
                struct mount_rec *rec = &t->items[t->n - 1];
                bool clean = true;

                if (rec->borrowed) {
                        log_debug("leaving %s mounted at %s (not mounted by us)", rec->device,
                                  rec->dir);
                        rec_done(rec);
                        t->n--;
                        continue;
                }
                log_info("unmounting %s from %s", rec->device, rec->dir);
                if (umount2(rec->dir, 0) < 0) {
                        int e = errno;

                        if (e == EINVAL || e == ENOENT) {
                                log_warn("%s was not mounted any more", rec->dir);
                        } else if (e == EBUSY && umount2(rec->dir, MNT_DETACH) == 0) {
                                log_warn("%s is busy: detached lazily", rec->dir);
                                clean = false;
                        } else {
                                if (e == EBUSY)
                                        e = errno;
                                log_error("cannot unmount %s: %s", rec->dir, strerror(e));
                                if (first == 0)
                                        first = -e;
                                clean = false;
                        }
                }
                if (rmdir(rec->dir) < 0 && errno != ENOENT)
                        log_debug("cannot remove %s: %m", rec->dir);
                /* Back to read-write only when nothing can reach the filesystem any more. */
                if (rec->made_ro && clean)
                        set_device_ro(rec->device, 0);
                rec_done(rec);
                t->n--;
        }
        return first;
}

int mount_acquire_btrfs_top(struct mount_table *t, const struct device *d, const char **ret_dir,
                            char **ret_error)
{
        _cleanup_free_ char *key = NULL, *dir = NULL, *existing = NULL;
        struct mount_rec *rec;
        const char *first;
        bool mounted;
        int r;

        if (ret_error)
                *ret_error = NULL;
        if (d->fstype && !streq(d->fstype, "btrfs"))
                return set_error(ret_error, -EMEDIUMTYPE,
                                 "%s is %s, not btrfs: it has no subvolumes",
                                 d->path ? d->path : d->name, d->fstype);
        if (d->mountdir)
                return mount_acquire(t, d, NULL, ret_dir, ret_error);
        /* The usual mount first: the device is made read-only, and the table unmounts the
         * top-level one (newer) before it. */
        r = mount_acquire(t, d, "btrfs", &first, ret_error);
        if (r < 0)
                return r;
        key = util_asprintf("%s\x1fsubvolid=5", d->path);
        if (!key)
                return set_error(ret_error, -ENOMEM, "cannot mount %s: %s", d->path,
                                 strerror(ENOMEM));
        rec = table_find(t, key);
        if (rec) {
                *ret_dir = rec->dir;
                return 0;
        }
        /* Mounted already with its top level at the root (mountinfo's root "/"): used in place. */
        if (scan_mountinfo(d, &existing, &mounted) == 0 && existing) {
                if (streq(existing, first)) { /* the usual mount is the top level itself */
                        *ret_dir = first;
                        return 0;
                }
                r = table_add(t, key, &existing, "btrfs", true, false, &rec);
                if (r < 0)
                        return set_error(ret_error, r, "cannot mount %s: %s", d->path,
                                         strerror(-r));
                *ret_dir = rec->dir;
                return 0;
        }
        dir = util_asprintf("%s@top", first);
        if (!dir)
                return set_error(ret_error, -ENOMEM, "cannot mount %s: %s", d->path,
                                 strerror(ENOMEM));
        r = mkdir_p(dir, 0700);
        if (r < 0)
                return set_error(ret_error, r, "cannot create the mount point %s: %s", dir,
                                 strerror(-r));
        log_info("mounting the top-level subvolume of %s read-only at %s", d->path, dir);
        r = try_mount(d->path, dir, "btrfs", 0, "subvolid=5");
        if (r < 0) {
                (void) rmdir(dir);
                return set_error(ret_error, r, "cannot mount the top level of %s (btrfs): %s",
                                 d->path, strerror(-r));
        }
        r = table_add(t, key, &dir, "btrfs", false, false, &rec);
        if (r < 0) {
                (void) umount2(dir, MNT_DETACH);
                (void) rmdir(dir);
                return set_error(ret_error, r, "cannot mount %s: %s", d->path, strerror(-r));
        }
        *ret_dir = rec->dir;
        return 0;
}

int mount_btrfs_otime(int dir_fd, char ret[20])
{
        struct btrfs_ioctl_get_subvol_info_args info = {0};
        _cleanup_close_ int fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct stat st;
        struct tm tm;
        time_t t;

        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (st.st_ino != 256) /* BTRFS_FIRST_FREE_OBJECTID: only a subvolume's root */
                return -EINVAL;
        if (ioctl(fd, BTRFS_IOC_GET_SUBVOL_INFO, &info) < 0)
                return -errno;
        t = (time_t) info.otime.sec;
        if (info.otime.sec == 0 || !gmtime_r(&t, &tm) ||
            strftime(ret, 20, "%Y-%m-%d %H:%M:%S", &tm) != 19)
                return -ERANGE;
        return 0;
}

int mount_set_read_only(const char *path, char **ret_error)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        struct stat st;
        int ro = 0, one = 1;

        if (fd < 0)
                return set_error(ret_error, -errno, "cannot open %s: %s", path, strerror(errno));
        if (fstat(fd, &st) < 0)
                return set_error(ret_error, -errno, "cannot open %s: %s", path, strerror(errno));
        if (!S_ISBLK(st.st_mode))
                return 0;
        if (ioctl(fd, BLKROGET, &ro) == 0 && ro)
                return 0;
        if (ioctl(fd, BLKROSET, &one) < 0)
                return set_error(ret_error, -errno, "cannot make %s read-only: %s", path,
                                 strerror(errno));
        log_debug("%s set read-only (BLKROSET)", path);
        return 0;
}
