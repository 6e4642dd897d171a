/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "fsread.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <linux/openat2.h>
#include <sys/syscall.h>

#include "util.h"

#define WALK_MAX_LINKS 40  /* like the kernel's MAXSYMLINKS */
#define WALK_MAX_DEPTH 256 /* directories deep; beyond: -ENAMETOOLONG */

static bool have_no_openat2;

int fsread_root_open(const char *dir)
{
        int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);

        return fd < 0 ? -errno : fd;
}

/* "/a/b" and "a/b" both name a/b below the root; "" and "/" the root itself. */
static const char *relative(const char *path)
{
        while (*path == '/')
                path++;
        return *path ? path : ".";
}

static void close_stack(int *stack, size_t depth)
{
        for (size_t i = 0; i <= depth; i++)
                close(stack[i]);
}

/* The next component of *pos (NUL-terminated in place), *pos moved past it and *ret_slash
 * telling whether a '/' followed it; NULL at the end. */
static char *next_component(char **pos, bool *ret_slash)
{
        char *s = *pos, *e;

        while (*s == '/')
                s++;
        if (!*s)
                return NULL;
        e = strchr(s, '/');
        *ret_slash = e != NULL;
        if (e) {
                *e = 0;
                *pos = e + 1;
        } else
                *pos = s + strlen(s);
        return s;
}

static bool only_slashes(const char *s)
{
        return s[strspn(s, "/")] == 0;
}

/* A symlink met: the rest of the walk becomes target + "/" + rest (just target when the link
 * was the last component); an absolute target starts again at the root. */
static int follow_link(int fd, bool slash, char **todo, char **pos, int *stack, size_t *depth)
{
        char target[PATH_MAX];
        ssize_t k = readlinkat(fd, "", target, sizeof(target) - 1);
        char *n;

        if (k < 0)
                return -errno;
        target[k] = 0;
        n = slash ? util_asprintf("%s/%s", target, *pos) : strdup(target);
        if (!n)
                return -ENOMEM;
        if (target[0] == '/')
                while (*depth > 0)
                        close(stack[(*depth)--]);
        free(*todo);
        *todo = *pos = n;
        return 0;
}

int fsread_resolve_walk(int root_fd, const char *path, int open_flags)
{
        int stack[WALK_MAX_DEPTH + 1];
        size_t depth = 0;
        unsigned links = 0;
        struct stat root_st;
        char *todo, *pos, *comp;
        bool slash;
        int r;

        todo = strdup(path);
        if (!todo)
                return -ENOMEM;
        pos = todo;
        stack[0] = openat(root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (stack[0] < 0 || fstat(stack[0], &root_st) < 0) {
                r = -errno;
                if (stack[0] >= 0)
                        close(stack[0]);
                free(todo);
                return r;
        }
        while ((comp = next_component(&pos, &slash))) {
                bool last = only_slashes(pos);
                struct stat st;
                int fd;

                if (streq(comp, "."))
                        continue;
                if (streq(comp, "..")) {
                        if (depth > 0)
                                close(stack[depth--]);
                        continue;
                }
                fd = openat(stack[depth], comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0 || fstat(fd, &st) < 0) {
                        r = -errno;
                        if (fd >= 0)
                                close(fd);
                        goto fail;
                }
                if (st.st_dev != root_st.st_dev) {
                        /* a mount point: another filesystem (RESOLVE_NO_XDEV) */
                        close(fd);
                        r = -EXDEV;
                        goto fail;
                }
                if (S_ISLNK(st.st_mode)) {
                        r = ++links > WALK_MAX_LINKS
                                    ? -ELOOP
                                    : follow_link(fd, slash, &todo, &pos, stack, &depth);
                        close(fd);
                        if (r < 0)
                                goto fail;
                        continue;
                }
                if (!S_ISDIR(st.st_mode) && slash) {
                        /* "file/x", "file/..", "file/" */
                        close(fd);
                        r = -ENOTDIR;
                        goto fail;
                }
                if (depth == WALK_MAX_DEPTH) {
                        close(fd);
                        r = -ENAMETOOLONG;
                        goto fail;
                }
                if (last && (open_flags & O_PATH) == 0) {
                        /* The last component, not a symlink (O_NOFOLLOW): opened for real. */
                        int real = openat(stack[depth], comp, open_flags | O_NOFOLLOW);

                        close(fd);
                        if (real < 0) {
                                r = -errno;
                                goto fail;
                        }
                        fd = real;
                }
                stack[++depth] = fd;
        }
        free(todo);
        if (depth == 0 && (open_flags & O_PATH) == 0) {
                /* The root itself, opened for real. */
                int real = openat(stack[0], ".", open_flags);

                close(stack[0]);
                return real < 0 ? -errno : real;
        }
        r = stack[depth];
        while (depth > 0)
                close(stack[--depth]);
        return r;
fail:
        free(todo);
        close_stack(stack, depth);
        return r;
}

static int resolve(int root_fd, const char *path, int open_flags)
{
        struct open_how how = {
                .flags = (uint64_t) open_flags,
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
        };

        if (root_fd < 0)
                return -EBADF;
        if (!have_no_openat2)
                /* EAGAIN: a rename raced with a ".." lookup; the kernel asks for a retry. */
                for (unsigned tries = 0; tries < 16; tries++) {
                        long fd = syscall(SYS_openat2, root_fd, relative(path), &how, sizeof(how));

                        if (fd >= 0)
                                return (int) fd;
                        if (errno == ENOSYS) {
                                have_no_openat2 = true;
                                break;
                        }
                        if (errno != EAGAIN)
                                return -errno;
                }
        if (!have_no_openat2)
                return -EAGAIN;
        return fsread_resolve_walk(root_fd, path, open_flags);
}

int fsread_open(int root_fd, const char *path, int flags)
{
        _cleanup_close_ int pfd = -1, fd = -1;
        struct stat st, st2;
        int fl;

        pfd = resolve(root_fd, path, O_PATH | O_CLOEXEC);
        if (pfd < 0)
                return pfd;
        if (flags & FSREAD_PATH) {
                fl = pfd;
                pfd = -1;
                return fl;
        }
        if (fstat(pfd, &st) < 0)
                return -errno;
        if (flags & FSREAD_DIR) {
                if (!S_ISDIR(st.st_mode))
                        return -ENOTDIR;
                /* An O_PATH directory is a valid dirfd: no second lookup. */
                fd = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (fd < 0)
                        return -errno;
        } else {
                if (S_ISDIR(st.st_mode))
                        return -EISDIR;
                if (!S_ISREG(st.st_mode))
                        return -FSREAD_ENOTREG;
                /* Opened for reading by a second lookup, non-blocking so that a FIFO put there
                 * meanwhile cannot block, and checked to be the same file. */
                fd = resolve(root_fd, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
                if (fd < 0)
                        return fd;
                if (fstat(fd, &st2) < 0)
                        return -errno;
                if (!S_ISREG(st2.st_mode) || st2.st_dev != st.st_dev || st2.st_ino != st.st_ino)
                        return -FSREAD_ENOTREG;
                fl = fcntl(fd, F_GETFL);
                if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
                        return -errno;
        }
        fl = fd;
        fd = -1;
        return fl;
}

int fsread_stat(int root_fd, const char *path, struct stat *ret)
{
        _cleanup_close_ int fd = fsread_open(root_fd, path, FSREAD_PATH);

        if (fd < 0)
                return fd;
        return fstat(fd, ret) < 0 ? -errno : 0;
}

int fsread_read_fd(int fd, size_t max, char **ret, size_t *ret_len)
{
        return util_read_fd(fd, max, ret, ret_len);
}

int fsread_read_file(int root_fd, const char *path, size_t max, char **ret, size_t *ret_len)
{
        _cleanup_close_ int fd = fsread_open(root_fd, path, FSREAD_FILE);

        if (fd < 0)
                return fd;
        return fsread_read_fd(fd, max, ret, ret_len);
}

static int name_cmp(const void *a, const void *b)
{
        return strcmp(*(char *const *) a, *(char *const *) b);
}

int fsread_list(int root_fd, const char *path, bool skip_hidden, char ***ret)
{
        _cleanup_strv_ char **l = NULL;
        size_t n = 0, cap = 0;
        struct dirent *de;
        DIR *d;
        int fd, r = 0;

        fd = fsread_open(root_fd, path, FSREAD_DIR);
        if (fd < 0)
                return fd;
        d = fdopendir(fd);
        if (!d) {
                r = -errno;
                close(fd);
                return r;
        }
        if (UTIL_GROW(l, cap, 1) < 0) {
                closedir(d);
                return -ENOMEM;
        }
        while ((errno = 0, de = readdir(d))) {
                if (streq(de->d_name, ".") || streq(de->d_name, "..") ||
                    (skip_hidden && de->d_name[0] == '.'))
                        continue;
                if (UTIL_GROW(l, cap, n + 2) < 0 || !(l[n] = strdup(de->d_name))) {
                        r = -ENOMEM;
                        break;
                }
                l[++n] = NULL;
        }
        if (r == 0 && errno != 0)
                r = -errno;
        closedir(d);
        if (r < 0)
                return r;
        qsort(l, n, sizeof(char *), name_cmp);
        *ret = l;
        l = NULL;
        return 0;
}

/* The path /proc/self/fd/N points to: the host path of what fd is open on. */
static int fd_host_path(int fd, char **ret)
{
        char link[64], buf[PATH_MAX];
        ssize_t k;

        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        k = readlink(link, buf, sizeof(buf) - 1);
        if (k < 0)
                return -errno;
        if (k >= (ssize_t) sizeof(buf) - 1)
                return -ENAMETOOLONG;
        buf[k] = 0;
        if (buf[0] != '/')
                return -EXDEV; /* not a path ("anon_inode:…") */
        *ret = strdup(buf);
        return *ret ? 0 : -ENOMEM;
}

int fsread_host_path(int root_fd, const char *path, char **ret)
{
        _cleanup_close_ int fd = fsread_open(root_fd, path, FSREAD_FILE);
        _cleanup_free_ char *root = NULL, *p = NULL;
        size_t l;
        int r;

        if (fd < 0)
                return fd;
        r = fd_host_path(root_fd, &root);
        if (r < 0)
                return r;
        r = fd_host_path(fd, &p);
        if (r < 0)
                return r;
        l = streq(root, "/") ? 0 : strlen(root);
        if (strncmp(p, root, l) != 0 || p[l] != '/')
                return -EXDEV;
        *ret = p;
        p = NULL;
        return 0;
}

const char *fsread_strerror(int r)
{
        if (r == -FSREAD_ENOTREG)
                return "not a regular file";
        if (r == -EXDEV)
                return "on another filesystem";
        return strerror(-r);
}
