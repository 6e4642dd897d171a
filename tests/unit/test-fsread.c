/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading inside a filesystem's root: "..", absolute and relative symlinks out of it, FIFOs and
 * directories where a file is expected, and the user-space walk against openat2. */
#include "test.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "core/fsread.h"
#include "core/util.h"

static char scratch[] = "/tmp/kl-test-fsread-XXXXXX";

/* scratch/root is the filesystem; scratch/secret is outside it. */
__attribute__((constructor)) static void make_tree(void)
{
        static const char *const dirs[] = {"root", "root/boot", "root/boot/grub", "root/loop",
                                           "root/empty"};
        static const struct {
                const char *path, *text;
        } files[] = {
                {"secret", "SECRET outside\n"},
                {"root/secret", "inside\n"},
                {"root/boot/vmlinuz-x", "kernel\n"},
                {"root/boot/grub/grub.cfg", "menuentry\n"},
                {"root/.hidden", "h\n"},
        };
        static const struct {
                const char *target, *link;
        } links[] = {
                {"/boot/vmlinuz-x", "root/vmlinuz"},      /* absolute, inside: works */
                {"boot/vmlinuz-x", "root/vmlinuz.rel"},   /* relative, inside */
                {"../../secret", "root/boot/up"},         /* relative, out: stops at the root */
                {"../../../../../secret", "root/up-far"}, /* further out */
                {"/boot", "root/bootlink"},               /* a directory */
                {"a", "root/loop/b"},                     /* a loop */
                {"b", "root/loop/a"},
                {"/nonexistent", "root/dangling"},
        };
        _cleanup_free_ char *p = NULL;

        if (!mkdtemp(scratch)) {
                perror("mkdtemp");
                exit(1);
        }
        for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
                free(p);
                p = util_asprintf("%s/%s", scratch, dirs[i]);
                if (mkdir(p, 0755) < 0)
                        exit(1);
        }
        for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
                FILE *f;

                free(p);
                p = util_asprintf("%s/%s", scratch, files[i].path);
                f = fopen(p, "w");
                if (!f)
                        exit(1);
                fputs(files[i].text, f);
                fclose(f);
        }
        for (size_t i = 0; i < ARRAY_SIZE(links); i++) {
                free(p);
                p = util_asprintf("%s/%s", scratch, links[i].link);
                if (symlink(links[i].target, p) < 0)
                        exit(1);
        }
        /* An absolute link to the secret's host path: inside the root it names nothing. */
        free(p);
        p = util_asprintf("%s/root/abs-out", scratch);
        _cleanup_free_ char *t = util_asprintf("%s/secret", scratch);
        if (symlink(t, p) < 0)
                exit(1);
        free(p);
        p = util_asprintf("%s/root/fifo", scratch);
        if (mkfifo(p, 0644) < 0)
                exit(1);
}

__attribute__((destructor)) static void remove_tree(void)
{
        _cleanup_free_ char *cmd = util_asprintf("rm -rf '%s'", scratch);

        if (cmd && system(cmd) != 0)
                fprintf(stderr, "cannot remove %s\n", scratch);
}

static int root(void)
{
        _cleanup_free_ char *p = util_asprintf("%s/root", scratch);

        return fsread_root_open(p);
}

static char *read_text(int fd, const char *path, int *ret_r)
{
        char *s = NULL;

        *ret_r = fsread_read_file(fd, path, 1 << 20, &s, NULL);
        return s;
}

TEST(reads_inside)
{
        _cleanup_close_ int r = root();
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL;
        int e;

        REQUIRE(r >= 0);
        a = read_text(r, "/boot/grub/grub.cfg", &e);
        CHECK_INTEQ(e, 0);
        CHECK_STREQ(a, "menuentry\n");
        b = read_text(r, "boot/grub/grub.cfg", &e); /* no leading slash: the same */
        CHECK_STREQ(b, "menuentry\n");
        c = read_text(r, "/vmlinuz", &e); /* /vmlinuz -> /boot/vmlinuz-x: the same filesystem */
        CHECK_INTEQ(e, 0);
        CHECK_STREQ(c, "kernel\n");
        d = read_text(r, "/vmlinuz.rel", &e);
        CHECK_STREQ(d, "kernel\n");
}

TEST(dotdot_stops_at_root)
{
        _cleanup_close_ int r = root();
        static const char *const paths[] = {"/../secret", "../secret", "/boot/../../../secret",
                                            "/boot/up",   "/up-far",   "/bootlink/../../secret"};

        REQUIRE(r >= 0);
        for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
                _cleanup_free_ char *s = NULL;
                int e;

                s = read_text(r, paths[i], &e);
                /* The root's own "secret", never the one outside. */
                CHECK_INTEQ(e, 0);
                CHECK_STREQ(s, "inside\n");
        }
}

TEST(absolute_link_out_names_nothing)
{
        _cleanup_close_ int r = root();
        _cleanup_free_ char *s = NULL;
        int e;

        REQUIRE(r >= 0);
        s = read_text(r, "/abs-out", &e);
        CHECK_INTEQ(e, -ENOENT);
        CHECK(!s);
        CHECK_INTEQ(fsread_read_file(r, "/dangling", 100, &s, NULL), -ENOENT);
}

TEST(not_regular_files)
{
        _cleanup_close_ int r = root();
        char *s = NULL;
        struct stat st;

        REQUIRE(r >= 0);
        /* A FIFO without a writer: refused at once, never opened (which would block). */
        CHECK_INTEQ(fsread_read_file(r, "/fifo", 100, &s, NULL), -FSREAD_ENOTREG);
        CHECK_INTEQ(fsread_open(r, "/fifo", FSREAD_FILE), -FSREAD_ENOTREG);
        CHECK_STREQ(fsread_strerror(-FSREAD_ENOTREG), "not a regular file");
        CHECK_INTEQ(fsread_read_file(r, "/boot", 100, &s, NULL), -EISDIR);
        CHECK_INTEQ(fsread_open(r, "/vmlinuz", FSREAD_DIR), -ENOTDIR);
        CHECK_INTEQ(fsread_read_file(r, "/vmlinuz/", 100, &s, NULL), -ENOTDIR);
        CHECK_INTEQ(fsread_read_file(r, "/loop/a", 100, &s, NULL), -ELOOP);
        CHECK(!s);
        /* stat sees the FIFO as what it is, without opening it. */
        CHECK_INTEQ(fsread_stat(r, "/fifo", &st), 0);
        CHECK(S_ISFIFO(st.st_mode));
        CHECK_INTEQ(fsread_stat(r, "/bootlink", &st), 0);
        CHECK(S_ISDIR(st.st_mode));
}

TEST(bounded)
{
        _cleanup_close_ int r = root();
        char *s = NULL;

        REQUIRE(r >= 0);
        CHECK_INTEQ(fsread_read_file(r, "/boot/grub/grub.cfg", 4, &s, NULL), -EFBIG);
        CHECK(!s);
}

TEST(list)
{
        _cleanup_close_ int r = root();
        _cleanup_strv_ char **l = NULL, **all = NULL, **none = NULL, **up = NULL;
        _cleanup_free_ char *j = NULL;

        REQUIRE(r >= 0);
        REQUIRE(fsread_list(r, "/bootlink", true, &l) == 0);
        j = strv_join(l, ",");
        CHECK_STREQ(j, "grub,up,vmlinuz-x");
        REQUIRE(fsread_list(r, "/", false, &all) == 0);
        CHECK(strv_contains(all, ".hidden"));
        CHECK(!strv_contains(all, "."));
        CHECK(!strv_contains(all, ".."));
        REQUIRE(fsread_list(r, "/empty", true, &none) == 0);
        CHECK_INTEQ(strv_length(none), 0);
        /* ".." from the root lists the root. */
        REQUIRE(fsread_list(r, "/..", true, &up) == 0);
        CHECK(strv_contains(up, "boot") && !strv_contains(up, "root"));
        CHECK_INTEQ(fsread_list(r, "/vmlinuz", true, &none), -ENOTDIR);
}

/* The user-space walk (kernels without openat2) resolves every path to the same file, or fails
 * with the same error, as openat2 with RESOLVE_IN_ROOT. */
TEST(walk_matches_openat2)
{
        static const char *const paths[] = {
                "/",
                "",
                ".",
                "..",
                "/boot",
                "boot/",
                "/boot/grub/grub.cfg",
                "/vmlinuz",
                "/vmlinuz.rel",
                "/boot/up",
                "/up-far",
                "/../secret",
                "/boot/../../secret",
                "/bootlink/grub/../vmlinuz-x",
                "/abs-out",
                "/dangling",
                "/loop/a",
                "/fifo",
                "/vmlinuz/",
                "/vmlinuz/x",
                "/boot//grub///grub.cfg",
                "/nope/x",
                "/bootlink/",
                "/boot/vmlinuz-x/..",
        };
        _cleanup_close_ int r = root();

        REQUIRE(r >= 0);
        for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
                _cleanup_close_ int a = fsread_open(r, paths[i], FSREAD_PATH);
                _cleanup_close_ int b = fsread_resolve_walk(r, paths[i], O_PATH | O_CLOEXEC);
                struct stat sa, sb;

                if (a < 0 || b < 0) {
                        if (a != b)
                                printf("# %s: openat2 %d, walk %d\n", paths[i], a, b);
                        CHECK_INTEQ(a, b);
                        continue;
                }
                CHECK(fstat(a, &sa) == 0 && fstat(b, &sb) == 0);
                if (sa.st_ino != sb.st_ino)
                        printf("# %s: not the same file\n", paths[i]);
                CHECK(sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino);
        }
}

TEST(walk_opens_regular_file)
{
        _cleanup_close_ int r = root();
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *s = NULL;

        REQUIRE(r >= 0);
        fd = fsread_resolve_walk(r, "/vmlinuz", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        REQUIRE(fd >= 0);
        CHECK_INTEQ(fsread_read_fd(fd, 100, &s, NULL), 0);
        CHECK_STREQ(s, "kernel\n");
}

static bool write_file(const char *path, const char *text)
{
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);

        return fd >= 0 && write(fd, text, strlen(text)) == (ssize_t) strlen(text);
}

/* In a child with its own user and mount namespaces: a tmpfs mounted at root/mnt-other (with a
 * file) and root/cross -> /mnt-other/f. Exit 0 when every lookup across the mount is -EXDEV,
 * 1 when one is not, 77 when namespaces are not allowed here. */
static int cross_mount_child(void)
{
        _cleanup_free_ char *mnt = util_asprintf("%s/root/mnt-other", scratch);
        _cleanup_free_ char *file = util_asprintf("%s/root/mnt-other/f", scratch);
        _cleanup_free_ char *link = util_asprintf("%s/root/cross", scratch);
        char map[64];
        uid_t uid = getuid();
        gid_t gid = getgid();
        char *s = NULL;
        int r, fd;

        if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
                return 77;
        snprintf(map, sizeof(map), "0 %u 1", (unsigned) uid);
        if (!write_file("/proc/self/setgroups", "deny") || !write_file("/proc/self/uid_map", map))
                return 77;
        snprintf(map, sizeof(map), "0 %u 1", (unsigned) gid);
        if (!write_file("/proc/self/gid_map", map) ||
            mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 || mkdir(mnt, 0755) < 0 ||
            mount("tmpfs", mnt, "tmpfs", 0, NULL) < 0)
                return 77;
        fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0 || write(fd, "other\n", 6) != 6 || symlink("/mnt-other/f", link) < 0)
                return 77;
        close(fd);
        fd = root();
        if (fd < 0)
                return 1;
        r = fsread_read_file(fd, "/mnt-other/f", 100, &s, NULL);
        if (r != -EXDEV) {
                printf("# /mnt-other/f: %d\n", r);
                return 1;
        }
        r = fsread_read_file(fd, "/cross", 100, &s, NULL);
        if (r != -EXDEV) {
                printf("# /cross: %d\n", r);
                return 1;
        }
        r = fsread_resolve_walk(fd, "/mnt-other/f", O_PATH | O_CLOEXEC);
        if (r != -EXDEV) {
                printf("# walk /mnt-other/f: %d\n", r);
                return 1;
        }
        r = fsread_resolve_walk(fd, "/cross", O_PATH | O_CLOEXEC);
        if (r != -EXDEV) {
                printf("# walk /cross: %d\n", r);
                return 1;
        }
        /* The filesystem's own files still read. */
        r = fsread_read_file(fd, "/vmlinuz", 100, &s, NULL);
        free(s);
        close(fd);
        return r == 0 ? 0 : 1;
}

/* A path into another filesystem mounted below the root (/boot below / on an installed
 * system) is not on this filesystem. Needs unprivileged user namespaces; said and skipped
 * where there are none. */
TEST(other_mount_is_another_filesystem)
{
        pid_t pid;
        int st;

        fflush(stdout);
        pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
                int r = cross_mount_child();

                fflush(stdout);
                _exit(r);
        }
        REQUIRE(waitpid(pid, &st, 0) == pid);
        REQUIRE(WIFEXITED(st));
        if (WEXITSTATUS(st) == 77) {
                printf("# no user namespaces here: mount crossing not tested\n");
                return;
        }
        CHECK_INTEQ(WEXITSTATUS(st), 0);
        CHECK_STREQ(fsread_strerror(-EXDEV), "on another filesystem");
}
