/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Disk images: libblkid on the image file, and the read-only loop devices (image.h). */
#define LOG_MODULE "image"
#include "image.h"

#include <blkid.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/loop.h>
#include <sys/ioctl.h>

#include "../core/log.h"

static void blkid_probep(blkid_probe *p)
{
        if (*p)
                blkid_free_probe(*p);
}

static const char *value(blkid_probe pr, const char *name)
{
        const char *v = NULL;

        return blkid_probe_lookup_value(pr, name, &v, NULL) < 0 || isempty(v) ? NULL : v;
}

int image_probe_fd(int fd, char **ret_kind, const char **ret_why)
{
        _cleanup_(blkid_probep) blkid_probe pr = blkid_new_probe();
        int r;

        *ret_kind = NULL;
        *ret_why = NULL;
        if (!pr)
                return -ENOMEM;
        if (blkid_probe_set_device(pr, fd, 0, 0) < 0) {
                *ret_why = "libblkid cannot read it";
                return 0;
        }
        blkid_probe_enable_superblocks(pr, 1);
        blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_USAGE);
        blkid_probe_enable_partitions(pr, 1);
        r = blkid_do_safeprobe(pr);
        if (r < 0) {
                /* -2: more than one superblock (ambivalent); -1: an error */
                *ret_why = r == -2 ? "more than one filesystem signature in it (ambivalent)"
                                   : "libblkid cannot probe it";
                return 0;
        }
        *ret_kind =
                image_kind(r == 0 ? value(pr, "PTTYPE") : NULL, r == 0 ? value(pr, "USAGE") : NULL,
                           r == 0 ? value(pr, "TYPE") : NULL, ret_why);
        return !*ret_kind && !*ret_why ? -ENOMEM : 0;
}

/* LOOP_CONFIGURE (Linux 5.8) sets everything in one step; older kernels need LOOP_SET_FD, then
 * LOOP_SET_STATUS64 (the loop device is read-only either way: the file is open read-only, and
 * the loop device too). */
static int configure(int lfd, int file_fd)
{
        struct loop_config cfg = {
                .fd = (unsigned) file_fd,
                .info.lo_flags = LO_FLAGS_READ_ONLY | LO_FLAGS_PARTSCAN | LO_FLAGS_AUTOCLEAR,
        };
        struct loop_info64 info = {.lo_flags = LO_FLAGS_PARTSCAN | LO_FLAGS_AUTOCLEAR};

        if (ioctl(lfd, LOOP_CONFIGURE, &cfg) == 0)
                return 0;
        if (errno != EINVAL && errno != ENOTTY)
                return -errno;
        if (ioctl(lfd, LOOP_SET_FD, file_fd) < 0)
                return -errno;
        if (ioctl(lfd, LOOP_SET_STATUS64, &info) < 0) {
                int r = -errno;

                (void) ioctl(lfd, LOOP_CLR_FD, 0);
                return r;
        }
        return 0;
}

int image_loop_attach(const char *devroot, int file_fd, char **ret_name)
{
        _cleanup_free_ char *ctl_path = util_asprintf("%s/loop-control", devroot);
        _cleanup_close_ int ctl = -1;
        int r = -EBUSY;

        if (!ctl_path)
                return -ENOMEM;
        ctl = open(ctl_path, O_RDWR | O_CLOEXEC);
        if (ctl < 0)
                return -errno;
        /* Another program may take the free device first: then the next one. */
        for (int tries = 0; tries < 8 && r == -EBUSY; tries++) {
                _cleanup_free_ char *path = NULL, *name = NULL;
                int n = ioctl(ctl, LOOP_CTL_GET_FREE), lfd, ro = 0;

                if (n < 0)
                        return -errno;
                name = util_asprintf("loop%d", n);
                path = util_asprintf("%s/loop%d", devroot, n);
                if (!name || !path)
                        return -ENOMEM;
                lfd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
                if (lfd < 0)
                        return -errno;
                r = configure(lfd, file_fd);
                if (r < 0) {
                        close(lfd);
                        continue;
                }
                /* Never go on with a loop device that could write the image. */
                if (ioctl(lfd, BLKROGET, &ro) < 0 || !ro) {
                        log_error("%s is not read-only after attaching: detached again", path);
                        (void) ioctl(lfd, LOOP_CLR_FD, 0);
                        close(lfd);
                        return -EROFS;
                }
                *ret_name = name;
                name = NULL;
                return lfd;
        }
        return r;
}

size_t image_loop_release_all(struct image_list *l)
{
        size_t n = 0;

        for (size_t i = 0; i < l->n; i++) {
                struct image *m = &l->items[i];

                if (m->loop_fd < 0)
                        continue;
                /* With something still open on it the kernel only marks it auto-clear: it goes
                 * when that closes. */
                if (ioctl(m->loop_fd, LOOP_CLR_FD, 0) < 0)
                        log_warn("detaching %s (%s on %s): %m", m->loop, m->path, m->fs);
                else
                        log_info("detached %s (%s on %s)", m->loop, m->path, m->fs);
                close(m->loop_fd);
                m->loop_fd = -1;
                free(m->loop);
                m->loop = NULL;
                n++;
        }
        return n;
}
