/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Remembered choices on the stick (backend.h, remember.h; docs/usage.md "Remembered choices").
 * The file is read like every file of a disk (read-only mount, core/fsread, bounded) and written
 * only on the stick: the filesystem kexec-loader.conf came from, when it holds mkstick's marker.
 * The write is the only read-write mount kexec-loader makes: of that filesystem alone, after the
 * kernel is loaded and every read-only mount released, remounted read-only and unmounted again
 * before the jump. Scanned disks are never mounted read-write. */
#define LOG_MODULE "remember"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/fsread.h"
#include "../core/heartbeat.h"
#include "../core/log.h"
#include "backend.h"

/* Filesystems a stick may be written on (mkstick makes vfat; ext4 sticks are made by hand). */
static const char *const writable_types[] = {"vfat", "ext4", "ext3", "ext2", "exfat"};

#define TMP_NAME REMEMBER_NAME ".new"

void backend_remember_done(struct backend *b)
{
        struct backend_remember *m = &b->remember;

        free(m->stick);
        free(m->stick_uuid);
        remember_file_done(&m->file);
        remember_id_done(&m->once);
        *m = (struct backend_remember){.def = -1};
}

static const struct device *find_device(const struct backend *b, const char *path)
{
        for (size_t i = 0; path && i < b->devices.n; i++)
                if (streq_ptr(b->devices.items[i].path, path))
                        return &b->devices.items[i];
        return NULL;
}

/* Reads the stick's file into m: 1 the configuration is on the stick, 0 not (m->skip says why),
 * -ENOMEM. */
static int read_stick(struct backend *b)
{
        struct backend_remember *m = &b->remember;
        const struct device *d = find_device(b, b->config_fs);
        _cleanup_close_ int root = -1;
        _cleanup_free_ char *text = NULL;
        struct diag_list dl = {0};
        struct stat st;
        size_t len = 0;
        int r;

        if (!d || !streq_ptr(b->config_file, "/" BACKEND_CONFIG_NAME)) {
                m->skip = "the configuration is not on the stick";
                return 0;
        }
        root = backend_fs_root(b, d->path);
        if (root < 0) {
                m->skip = "the configuration's filesystem cannot be read";
                return 0;
        }
        if (fsread_stat(root, "/" BACKEND_STICK_MARKER, &st) < 0 || !S_ISREG(st.st_mode)) {
                m->skip = "the configuration is not on the stick (no " BACKEND_STICK_MARKER ")";
                r = 0;
        } else if (!(m->stick = strdup(d->path)) || (d->uuid && !(m->stick_uuid = strdup(d->uuid))))
                r = -ENOMEM;
        else
                r = fsread_read_file(root, REMEMBER_PATH, REMEMBER_FILE_MAX, &text, &len);
        /* closed before the unmount (an open fd makes it lazy and leaves the device read-only) */
        util_closep(&root);
        root = -1;
        backend_release(b);
        if (!m->stick)
                return r;
        if (r == -ENOENT)
                return 1;
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                log_warn("%s on %s cannot be read: %s", REMEMBER_PATH, d->path, fsread_strerror(r));
                return 1;
        }
        r = remember_parse(text, len, REMEMBER_PATH, &m->file, &dl);
        for (size_t i = 0; i < dl.n; i++) {
                _cleanup_free_ char *s = diag_format(&dl.items[i]);

                log_warn("%s: %s", d->path, s ? s : "(out of memory)");
        }
        diag_list_done(&dl);
        return r < 0 ? r : 1;
}

void backend_remember_load(struct backend *b)
{
        struct backend_remember *m = &b->remember;
        int def, r;

        backend_remember_done(b);
        m->def = def = backend_default_entry(b);
        if (!b->config.remember)
                return;
        /* GRUB's one-time choice that is the default now: kept with the next write, so that it
         * is honoured once */
        if (def >= 0 && b->entries[def].one_time_default &&
            remember_id_of_entry(&b->entries[def], &b->devices, &m->once) == -ENOMEM)
                goto oom;
        r = read_stick(b);
        if (r < 0)
                goto oom;
        if (r == 0) {
                log_info("remember last: %s, nothing is remembered", m->skip);
                return;
        }
        m->def = remember_choose(&m->file, b->entries, b->n_entries, &b->devices, def, &m->why);
        if (m->def >= 0 && m->def != def) {
                for (size_t i = 0; i < b->n_entries; i++)
                        b->entries[i].is_default = (int) i == m->def;
        }
        log_info("remember last: the default is entry %d (%s)", m->def, remember_why_name(m->why));
        return;
oom:
        log_error("remember last: out of memory");
        backend_remember_done(b);
        m->def = def;
        m->skip = "out of memory";
}

const char *backend_remember_result_name(enum backend_remember_result r)
{
        static const char *const names[] = {
                [BACKEND_REMEMBER_OFF] = "off",
                [BACKEND_REMEMBER_WRITTEN] = "wrote",
                [BACKEND_REMEMBER_WOULD_WRITE] = "would-write",
                [BACKEND_REMEMBER_UNCHANGED] = "unchanged",
                [BACKEND_REMEMBER_SKIPPED] = "skipped",
                [BACKEND_REMEMBER_FAILED] = "failed",
        };

        return (size_t) r < ARRAY_SIZE(names) ? names[r] : "?";
}

#define set_error(err, r, ...) log_set_error(err, r, LOG_LEVEL_WARNING, LOG_MODULE, __VA_ARGS__)

static int write_all(int fd, const char *p, size_t n)
{
        while (n > 0) {
                ssize_t k = write(fd, p, n);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        return k < 0 ? -errno : -EIO;
                p += k;
                n -= (size_t) k;
        }
        return 0;
}

/* The file written inside the read-write mount dir: a temporary file, fsync, rename over the
 * old one, fsync of the directory. No symbolic link is followed. */
static int write_file(const char *dir, const char *text, char **ret_error)
{
        _cleanup_close_ int root = -1, sub = -1, fd = -1;
        int r;

        root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (root < 0)
                return set_error(ret_error, -errno, "cannot open the stick's root: %m");
        if (mkdirat(root, REMEMBER_DIR, 0755) < 0 && errno != EEXIST)
                return set_error(ret_error, -errno, "cannot make /%s on the stick: %m",
                                 REMEMBER_DIR);
        sub = openat(root, REMEMBER_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0)
                return set_error(ret_error, -errno, "cannot open /%s on the stick: %m",
                                 REMEMBER_DIR);
        fd = openat(sub, TMP_NAME, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0)
                return set_error(ret_error, -errno, "cannot create /%s/%s on the stick: %m",
                                 REMEMBER_DIR, TMP_NAME);
        r = write_all(fd, text, strlen(text));
        if (r == 0 && fsync(fd) < 0)
                r = -errno;
        if (r < 0) {
                (void) unlinkat(sub, TMP_NAME, 0);
                return set_error(ret_error, r, "cannot write /%s/%s on the stick: %s", REMEMBER_DIR,
                                 TMP_NAME, strerror(-r));
        }
        if (renameat(sub, TMP_NAME, sub, REMEMBER_NAME) < 0) {
                r = -errno;
                (void) unlinkat(sub, TMP_NAME, 0);
                return set_error(ret_error, r, "cannot rename /%s/%s to %s on the stick: %s",
                                 REMEMBER_DIR, TMP_NAME, REMEMBER_NAME, strerror(-r));
        }
        if (fsync(sub) < 0)
                return set_error(ret_error, -errno, "cannot flush /%s on the stick: %m",
                                 REMEMBER_DIR);
        return 0;
}

/* Whether d may be mounted read-write: the stick as read at load, not a disk image's device
 * (its file is on a scanned disk), a device-mapper device or a container, not mounted anywhere,
 * not read-only by the hardware, of a type in writable_types. *ret_was_ro: it was read-only by
 * its flag (BLKROSET), cleared now. */
static int check_stick(const struct backend *b, const struct device *d, bool *ret_was_ro,
                       char **ret_error)
{
        _cleanup_free_ char *existing = NULL;
        _cleanup_close_ int fd = -1;
        bool type_ok = false;
        int ro = 0;

        if (!d)
                return set_error(ret_error, -ENODEV, "the stick %s is gone", b->remember.stick);
        if (!streq_ptr(d->uuid, b->remember.stick_uuid))
                return set_error(ret_error, -ENODEV, "%s is not the stick read before", d->path);
        if (d->mountdir || d->image_fs || d->mapname || d->locked || device_is_container(d))
                return set_error(ret_error, -EPERM, "%s is not a plain partition: not written",
                                 d->path);
        for (size_t i = 0; d->fstype && i < ARRAY_SIZE(writable_types); i++)
                type_ok = type_ok || streq(d->fstype, writable_types[i]);
        if (!type_ok)
                return set_error(ret_error, -EOPNOTSUPP, "%s (%s): not a type written here",
                                 d->path, d->fstype ? d->fstype : "unknown type");
        if (mount_find_existing(d, &existing) == 0)
                return set_error(ret_error, -EBUSY, "%s is mounted at %s: not written", d->path,
                                 existing);
        fd = open(d->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0)
                return set_error(ret_error, -errno, "cannot open %s: %m", d->path);
        if (ioctl(fd, BLKROGET, &ro) < 0)
                return set_error(ret_error, -errno, "%s: not a block device: %m", d->path);
        if (ro) {
                /* read-only by BLKROSET (a read-only mount of ours that was detached lazily
                 * keeps it), or by the hardware (a write-protect switch): the flag cleared, only
                 * the hardware's stays; set again after the write */
                int zero = 0;

                if (ioctl(fd, BLKROSET, &zero) < 0 || ioctl(fd, BLKROGET, &ro) < 0 || ro) {
                        int one = 1;

                        (void) ioctl(fd, BLKROSET, &one);
                        return set_error(ret_error, -EROFS, "%s is read-only", d->path);
                }
                *ret_was_ro = true;
        }
        return 0;
}

static void set_ro(const char *path)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        int one = 1;

        if (fd < 0 || ioctl(fd, BLKROSET, &one) < 0)
                log_warn("cannot set %s back to read-only: %m", path);
}

/* d mounted read-write at <mount base>-stick, the file written, remounted read-only and
 * unmounted. */
static int mount_and_write(struct backend *b, const struct device *d, const char *text,
                           char **ret_error)
{
        _cleanup_free_ char *dir = util_asprintf("%s-stick", b->mounts.base);
        int r;

        if (!dir)
                return -ENOMEM;
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                return set_error(ret_error, -errno, "cannot make %s: %m", dir);
        r = mount(d->path, dir, d->fstype, MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME, NULL);
        if (r < 0) {
                r = set_error(ret_error, -errno, "cannot mount %s (%s) read-write: %m", d->path,
                              d->fstype);
                (void) rmdir(dir);
                return r;
        }
        log_info("%s (%s) mounted read-write at %s to write %s", d->path, d->fstype, dir,
                 REMEMBER_PATH);
        r = write_file(dir, text, ret_error);
        /* read-only again (everything flushed), then unmounted */
        if (mount(NULL, dir, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                  NULL) < 0)
                log_warn("cannot remount %s read-only: %m", dir);
        if (umount(dir) < 0) {
                log_warn("cannot unmount %s: %m; detaching it", dir);
                (void) umount2(dir, MNT_DETACH);
        }
        (void) rmdir(dir);
        return r;
}

static int write_stick(struct backend *b, const char *text, char **ret_error)
{
        const struct device *d = find_device(b, b->remember.stick);
        bool was_ro = false;
        int r;

        r = check_stick(b, d, &was_ro, ret_error);
        if (r < 0)
                return r;
        /* a mount, fsyncs and an unmount on a slow stick: PID 1's watchdog waits */
        heartbeat_pause();
        r = mount_and_write(b, d, text, ret_error);
        heartbeat_resume();
        if (was_ro)
                set_ro(d->path);
        return r;
}

static bool ids_same(const struct remember_id *a, const struct remember_id *b)
{
        return (!a->title && !b->title) || remember_id_equal(a, b);
}

int backend_remember_write(struct backend *b, const struct boot_entry *e, bool dry_run,
                           char **ret_text, char **ret_msg)
{
        struct backend_remember *m = &b->remember;
        struct remember_file f = {0};
        _cleanup_free_ char *text = NULL, *err = NULL;
        int r;

        *ret_text = *ret_msg = NULL;
        if (!b->config.remember)
                return BACKEND_REMEMBER_OFF;
        if (!m->stick) {
                *ret_msg = strdup(m->skip ? m->skip : "the configuration is not on the stick");
                log_info("remember last: %s: nothing written", *ret_msg ? *ret_msg : "");
                return BACKEND_REMEMBER_SKIPPED;
        }
        r = remember_id_of_entry(e, &b->devices, &f.last);
        if (r >= 0 && remember_find(&f.last, b->entries, b->n_entries, &b->devices) < 0)
                r = -ENOENT;
        if (r >= 0 && m->once.title)
                r = remember_id_copy(&m->once, &f.once);
        if (r >= 0 && !(text = remember_format(&f)))
                r = -ENOMEM;
        if (r == -ENOENT)
                *ret_msg = util_asprintf("'%s' is not an entry of the menu: nothing written",
                                         e->title ? e->title : "");
        else if (r < 0)
                *ret_msg = strdup(strerror(-r));
        else
                *ret_msg = util_asprintf("%s on %s: '%s'", REMEMBER_PATH, m->stick, e->title);
        if (r < 0) {
                remember_file_done(&f);
                return r == -ENOENT ? BACKEND_REMEMBER_SKIPPED : BACKEND_REMEMBER_FAILED;
        }
        if (ids_same(&m->file.last, &f.last) && ids_same(&m->file.once, &f.once)) {
                log_info("remember last: %s already says '%s'", REMEMBER_PATH, e->title);
                remember_file_done(&f);
                return BACKEND_REMEMBER_UNCHANGED;
        }
        if (dry_run || b->opt.fs_args) {
                remember_file_done(&f);
                *ret_text = text;
                text = NULL;
                return BACKEND_REMEMBER_WOULD_WRITE;
        }
        r = write_stick(b, text, &err);
        if (r < 0) {
                remember_file_done(&f);
                free(*ret_msg);
                *ret_msg = util_asprintf("%s on %s not written: %s", REMEMBER_PATH, m->stick,
                                         err ? err : strerror(-r));
                log_warn("remember last: %s", *ret_msg ? *ret_msg : strerror(-r));
                return BACKEND_REMEMBER_FAILED;
        }
        log_info("remember last: wrote %s on %s ('%s')", REMEMBER_PATH, m->stick, e->title);
        /* what the stick says now (a failed jump comes back to the menu) */
        remember_file_done(&m->file);
        m->file = f;
        *ret_text = text;
        text = NULL;
        return BACKEND_REMEMBER_WRITTEN;
}
