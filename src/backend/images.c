/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The backend's disk images (image.h): found by autodetection's walk of each filesystem,
 * checked, attached to read-only loop devices (as root), and their devices added to the list;
 * released again before each new scan and before kexec. */
#define LOG_MODULE "image"
#include "backend.h"

#include <sys/stat.h>

#include "../core/fsread.h"
#include "../core/log.h"

/* Loop devices attached at once, over every filesystem. */
#define BACKEND_IMAGES_MAX 64u

static const char *const why_root = "reading a disk image needs root (a read-only loop device)";
static const char *const why_loop = "no read-only loop device could be attached (see the log)";
static const char *const why_many = "more disk images than are attached at once (64)";

/* Checks one image file; as root attaches it. 0, or -ENOMEM. */
static int image_one(struct backend *b, int root, const char *fs, const char *path, bool *attached)
{
        _cleanup_close_ int fd = fsread_open(root, path, FSREAD_FILE);
        _cleanup_free_ char *kind = NULL, *name = NULL;
        const char *why = NULL;
        struct image *m;
        struct stat st;
        int r;

        if (fd < 0 || fstat(fd, &st) < 0) {
                log_info("%s on %s: %s", path, fs, strerror(fd < 0 ? -fd : errno));
                return 0;
        }
        why = image_check_file(st.st_mode, (uint64_t) st.st_size);
        if (!why) {
                r = image_probe_fd(fd, &kind, &why);
                if (r < 0)
                        return r;
        }
        if (why) {
                log_info("%s on %s is not used as a disk image: %s", path, fs, why);
                return 0;
        }
        if (geteuid() != 0)
                why = why_root;
        else if (b->images.n >= BACKEND_IMAGES_MAX)
                why = why_many;
        r = image_list_add(&b->images, fs, path, (uint64_t) st.st_size, kind, why, &m);
        if (r < 0 || why)
                return r;
        r = image_loop_attach(b->opt.devroot, fd, &name);
        if (r < 0) {
                log_warn("%s on %s (%s): cannot attach a read-only loop device: %s", path, fs, kind,
                         strerror(-r));
                m->why = why_loop;
                return r == -ENOMEM ? r : 0;
        }
        m->loop_fd = r;
        m->loop = name;
        name = NULL;
        *attached = true;
        b->loop_attaches++;
        log_info("%s on %s (%s): attached read-only to %s/%s", path, fs, kind, b->opt.devroot,
                 m->loop);
        return 0;
}

/* Marks the devices of l that are an attached image's loop device or its partitions. */
static int annotate(const struct backend *b, struct device_list *l)
{
        for (size_t i = 0; i < l->n; i++) {
                struct device *d = &l->items[i];
                const struct image *m = image_list_find_loop(&b->images, d->disk);

                if (!m)
                        continue;
                if (util_strdup_to(&d->image_fs, m->fs) < 0 ||
                    util_strdup_to(&d->image_path, m->path) < 0)
                        return -ENOMEM;
        }
        return 0;
}

int backend_images_devices(const struct backend *b, struct device_list *l)
{
        struct device_list sys = {0};
        bool fixtures = b->opt.fs_args != NULL;
        int r;

        if (!b->images.n)
                return 0;
        if (!fixtures)
                return annotate(b, l);
        /* --fs fixtures: the loop devices are real ones, from sysfs. */
        r = device_scan_sysfs(b->opt.sysroot, b->opt.devroot, &sys);
        if (r < 0)
                return r == -ENOMEM ? r : 0;
        r = annotate(b, &sys);
        for (size_t i = 0; r >= 0 && i < sys.n; i++)
                if (sys.items[i].image_path)
                        r = device_list_add(l, &sys.items[i]);
        device_list_done(&sys);
        return r;
}

int backend_images_attach(struct backend *b, const struct backend_fs_import *imps, size_t n)
{
        struct device_list l = {0};
        bool attached = false;
        size_t before = b->devices.n;
        int r = 0;

        for (size_t i = 0; r >= 0 && i < n; i++) {
                _cleanup_close_ int root = -1;

                if (!imps[i].images || !imps[i].images[0])
                        continue;
                root = backend_fs_root(b, imps[i].fs);
                if (root < 0)
                        continue;
                strv_foreach (p, imps[i].images) {
                        r = image_one(b, root, imps[i].fs, p, &attached);
                        if (r < 0)
                                break;
                }
        }
        if (r < 0 || !attached)
                return r < 0 ? r : 0;
        /* The loop devices and their partitions (the partition scan is done when the ioctl
         * returns), as the device list has them. */
        if (!b->opt.fs_args) {
                r = device_scan_sysfs(b->opt.sysroot, b->opt.devroot, &l);
                if (r < 0)
                        return r == -ENOMEM ? r : 0;
                r = annotate(b, &l);
                for (size_t i = 0; r >= 0 && i < l.n; i++)
                        if (l.items[i].image_path)
                                r = device_list_add(&b->devices, &l.items[i]);
                device_list_done(&l);
        } else
                r = backend_images_devices(b, &b->devices);
        if (r < 0)
                return r;
        for (size_t i = before; i < b->devices.n; i++)
                log_info("%s: a device of the disk image %s on %s", b->devices.items[i].path,
                         b->devices.items[i].image_path, b->devices.items[i].image_fs);
        return (int) (b->devices.n - before);
}

void backend_images_release(struct backend *b)
{
        size_t k = 0;

        if (!b->images.n)
                return;
        /* Nothing of them may stay mounted: then the loop devices go at once. */
        backend_release(b);
        b->loop_detaches += image_loop_release_all(&b->images);
        image_list_done(&b->images);
        for (size_t i = 0; i < b->devices.n; i++) {
                if (b->devices.items[i].image_path) {
                        device_done(&b->devices.items[i]);
                        continue;
                }
                b->devices.items[k++] = b->devices.items[i];
        }
        b->devices.n = k;
        backend_resolve(b);
}

const struct device *backend_image_device(const struct backend *b, const char *spec)
{
        for (size_t i = 0; spec && i < b->devices.n; i++)
                if (b->devices.items[i].image_path && streq(b->devices.items[i].path, spec))
                        return &b->devices.items[i];
        return NULL;
}
