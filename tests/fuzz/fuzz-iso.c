/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for ISO 9660 images read through core/isofile.c (libarchive underneath): the
 * input is the image; its tree is walked (bounded) and every file is read, through memory and
 * through a memfd, as loopback and the boot path do. Built and run by tests/fuzz/run iso. */
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/isofile.h"
#include "core/util.h"

#define WALK_MAX 256 /* paths looked at per input */

static void walk(struct isofile *iso, const char *dir, unsigned depth, unsigned *budget, int mfd)
{
        _cleanup_strv_ char **names = NULL;

        if (depth > 8 || isofile_list(iso, dir, &names) < 0)
                return;
        strv_foreach (n, names) {
                _cleanup_free_ char *p = NULL, *data = NULL;
                uint64_t size = 0;
                size_t len = 0;

                if ((*budget)-- == 0)
                        return;
                p = util_asprintf("%s/%s", dir, n);
                if (!p)
                        return;
                switch (isofile_stat(iso, p, &size)) {
                case 1:
                        (void) isofile_read(iso, p, 1 << 20, &data, &len);
                        if (mfd >= 0 && ftruncate(mfd, 0) == 0)
                                (void) isofile_copy(iso, p, 1 << 20, mfd, &size);
                        break;
                case 2:
                        walk(iso, p, depth + 1, budget, mfd);
                        break;
                }
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
        _cleanup_close_ int fd = memfd_create("fuzz-iso", MFD_CLOEXEC);
        _cleanup_close_ int mfd = memfd_create("fuzz-out", MFD_CLOEXEC);
        struct isofile *iso = NULL;
        unsigned budget = WALK_MAX;

        if (fd < 0 || write(fd, data, len) != (ssize_t) len)
                return 0;
        if (isofile_open_fd(fd, &iso) < 0)
                return 0;
        (void) isofile_label(iso);
        walk(iso, "", 0, &budget, mfd);
        (void) isofile_stat(iso, "/../x/./y/../../boot/grub/loopback.cfg", NULL);
        isofile_free(iso);
        return 0;
}
