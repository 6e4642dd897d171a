/* SPDX-License-Identifier: GPL-2.0-or-later */
#define LOG_MODULE "ntfs"
#include "ntfs-check.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/log.h"
#include "../core/ntfsstate.h"
#include "../core/util.h"

bool ntfs_check_type(const char *fstype)
{
        return streq_ptr(fstype, "ntfs") || streq_ptr(fstype, "ntfs3");
}

static int fd_read(void *userdata, uint64_t off, void *buf, size_t n)
{
        ssize_t k = pread(*(int *) userdata, buf, n, (off_t) off);

        if (k < 0)
                return -errno;
        return (size_t) k == n ? 0 : -EIO;
}

int ntfs_check_fd(int fd, const char *path, char **ret_why)
{
        struct ntfs_state s;
        struct stat st;
        uint64_t size = 0;
        const char *why;
        int r;

        *ret_why = NULL;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (S_ISBLK(st.st_mode)) {
                if (ioctl(fd, BLKGETSIZE64, &size) < 0)
                        return -errno;
        } else
                size = (uint64_t) st.st_size;
        r = ntfs_state_read(fd_read, &fd, size, &s);
        if (r == -EMEDIUMTYPE || r == -ENOMEM)
                return r;
        why = r < 0 ? ntfs_state_error_refusal(r) : ntfs_state_refusal(&s);
        if (r < 0)
                log_warn("%s: cannot read the NTFS volume's state: %s", path, strerror(-r));
        else
                log_info("%s: NTFS volume%s, $LogFile %s, %s%s%s%s", path,
                         s.dirty ? " marked dirty (chkdsk pending)" : "",
                         s.log_empty   ? "empty"
                         : s.log_clean ? "clean"
                                       : "NOT clean",
                         s.hiberfile ? "hiberfil.sys starting with \"" : "no hiberfil.sys",
                         s.hiberfile ? s.hiber_magic : "", s.hiberfile ? "\"" : "",
                         s.hibernated ? " (hibernated)" : "");
        if (!why)
                return 0;
        log_warn("%s: %s", path, why);
        *ret_why = strdup(why);
        return *ret_why ? 1 : -ENOMEM;
}

int ntfs_check_path(const char *path, char **ret_why)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

        *ret_why = NULL;
        if (fd < 0)
                return -errno;
        return ntfs_check_fd(fd, path, ret_why);
}
