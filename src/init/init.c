/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PID 1. It mounts the API filesystems, then stays a small supervisor: the menu runs in a child
 * (restarted when it dies), every orphan is reaped, the kernel log is copied to the debug
 * console, and Ctrl-Alt-Del or SIGTERM unmount, sync and reboot. Nothing here may end PID 1:
 * every failure is logged and retried later.
 *
 * Kernel modules: a short-lived coldplug child loads the drivers of the devices present (every
 * modalias under /sys/devices) while the menu starts at once; devices that appear later (a USB
 * stick behind xhci, its SCSI disk, a keyboard) are announced by uevents, and PID 1 loads the
 * module each one names. The uevent socket is open before the coldplug walk begins, so no device
 * falls between the two.
 *
 * PID 1 never has a controlling terminal: the menu child makes itself a session leader and takes
 * the console, so the keys that make signals (^C, ^\) reach the menu's process group and never
 * PID 1, where a SIGINT means Ctrl-Alt-Del. */
#define LOG_MODULE "init"
#include "init.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>

#include "../core/log.h"
#include "../core/util.h"
#include "../core/heartbeat.h"
#include "modules.h"
#include "state.h"
#include "supervise.h"
#include "uevent.h"

#define KL_RUN_DIR           "/run/kexec-loader"
#define RETRY_MS             5000ULL /* reopening /dev/kmsg or the debug console */
#define KILL_GRACE_MS        2000ULL
#define SYSLOG_CONSOLE_OFF   6
#define KMSG_RECORDS_PER_RUN 256
#define UEVENT_RCVBUF        (4 * 1024 * 1024) /* a coldplug burst must not overflow it */
#define UEVENTS_PER_RUN      256

bool init_is_pid1(void)
{
        return getpid() == 1;
}

struct api_mount {
        const char *what, *where, *type;
        unsigned long flags;
        const char *data;
        bool optional; /* no mkdir, no error when the directory is missing */
};

static const struct api_mount api_mounts[] = {
        {"proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, false},
        {"sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, false},
        {"devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755", false},
        {"devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "mode=0620,ptmxmode=0666", false},
        {"tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755", false},
        /* for /sys/kernel/security/lockdown, so that boot errors can name the lockdown */
        {"securityfs", "/sys/kernel/security", "securityfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL,
         true},
        /* UEFI variables (only where /sys/firmware/efi/efivars exists, i.e. on UEFI): Secure Boot
         * state for the hardware report, MOK requests; Debian builds efivarfs as a module, which
         * the mount loads through /sbin/modprobe */
        {"efivarfs", "/sys/firmware/efi/efivars", "efivarfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
         NULL, true},
};

/* A mount point has another device than its parent directory. */
static bool is_mount_point(const char *path)
{
        _cleanup_free_ char *parent = strdup(path);
        struct stat a, b;
        char *slash;

        if (!parent)
                return false;
        slash = strrchr(parent, '/');
        if (!slash)
                return false;
        if (slash == parent)
                slash[1] = 0;
        else
                *slash = 0;
        return stat(path, &a) == 0 && stat(parent, &b) == 0 && a.st_dev != b.st_dev;
}

static int mount_api(const struct api_mount *m)
{
        struct stat st;

        if (m->optional) {
                if (stat(m->where, &st) < 0 || !S_ISDIR(st.st_mode))
                        return 0;
        } else if (mkdir(m->where, 0755) < 0 && errno != EEXIST) {
                int r = -errno;

                log_error("cannot create %s: %s", m->where, strerror(-r));
                return r;
        }
        if (is_mount_point(m->where)) {
                log_debug("%s is mounted already", m->where);
                return 0;
        }
        if (mount(m->what, m->where, m->type, m->flags, m->data) < 0) {
                int r = -errno;

                if (r == -EBUSY)
                        return 0;
                if (m->optional && r == -ENODEV)
                        return 0;
                log_error("cannot mount %s on %s: %s", m->type, m->where, strerror(-r));
                return m->optional ? 0 : r;
        }
        log_debug("mounted %s on %s", m->type, m->where);
        return 0;
}

int init_attach_stdio(const char *console)
{
        int fd, r = 0;

        fd = open(console, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
                r = -errno;
                /* Without a console nothing may land on a random fd 0-2 (the debug log, a
                 * device): they point at /dev/null. */
                fd = open("/dev/null", O_RDWR | O_NOCTTY | O_CLOEXEC);
                if (fd < 0)
                        return r;
        }
        for (int i = 0; i < 3; i++)
                if (dup2(fd, i) < 0)
                        log_error("cannot attach %s as fd %d: %m", r < 0 ? "/dev/null" : console,
                                  i);
        if (fd > 2)
                close(fd);
        else
                (void) fcntl(fd, F_SETFD, 0); /* one of 0-2 itself: inherited by children */
        return r;
}

static void setup_console(void)
{
        int r;

        /* A session of its own without a controlling terminal (see the top of this file). */
        if (setsid() < 0 && errno != EPERM)
                log_warn("setsid: %m");
        r = init_attach_stdio("/dev/console");
        if (r < 0)
                log_error("cannot open /dev/console: %s (fds 0-2 are /dev/null)", strerror(-r));
}

int init_setup_system(void)
{
        int first = 0;

        for (size_t i = 0; i < ARRAY_SIZE(api_mounts); i++) {
                int r = mount_api(&api_mounts[i]);

                if (r < 0 && first == 0)
                        first = r;
        }
        if (!init_is_pid1())
                return first;

        setup_console();
        (void) setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 0);
        /* Ctrl-Alt-Del: the kernel sends SIGINT to PID 1 instead of rebooting at once. */
        if (reboot(RB_DISABLE_CAD) < 0)
                log_warn("cannot turn Ctrl-Alt-Del off: %m");
        /* Kernel messages would be printed over the menu; they go to the debug console. */
        if (klogctl(SYSLOG_CONSOLE_OFF, NULL, 0) < 0)
                log_warn("cannot turn kernel messages on the console off: %m");
        return first;
}

struct supervisor {
        init_child_main child_main;
        int argc;
        char **argv;
        const char *debug_path, *trace_path;
        sigset_t mask, old_mask;
        int sfd;
        pid_t child;
        unsigned long long restart_at;
        struct supervise model; /* restarts, back-off, safe mode, watchdog (supervise.h) */
        int beat_fd;            /* the read end of the menu's heartbeat pipe */
        int kmsg_fd, debug_fd;
        unsigned long long kmsg_retry_at, debug_retry_at;
        bool kmsg_failed_logged, debug_failed_logged;

        /* kernel modules (PID 1 only) */
        struct modules *modules;
        int uevent_fd;
        unsigned long long uevent_retry_at;
        pid_t coldplug;
        bool coldplug_wanted; /* at start, and again when uevents were lost */
        unsigned long long coldplug_retry_at;
        /* block devices added (kernel names), whose filesystem modules a worker loads */
        char **fs_pending;
        pid_t fsmod;

        /* kexec_test=commands: lines read from the trace channel (a serial port) */
        int test_fd;
        char test_line[128];
        size_t test_len;
};

/* One line on the test channel (kexec_trace=), opened for each line: PID 1 keeps nothing open
 * on it. O_NONBLOCK: a serial port without carrier must not hold PID 1 in open() or write(). */
static void trace(const char *path, const char *fmt, ...) _printf_(2, 3);
static void trace(const char *path, const char *fmt, ...)
{
        va_list ap;
        int fd;

        if (!path)
                return;
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY | O_CLOEXEC | O_NONBLOCK, 0644);
        if (fd < 0) {
                log_warn("cannot open the trace file %s: %m", path);
                return;
        }
        va_start(ap, fmt);
        log_trace_va(fd, fmt, ap);
        va_end(ap);
        close(fd);
}

/* In a new child: what belongs to PID 1 alone is closed, signals are as before PID 1 took them. */
static void child_setup(struct supervisor *s)
{
        if (s->sfd >= 0)
                close(s->sfd);
        if (s->kmsg_fd >= 0)
                close(s->kmsg_fd);
        if (s->debug_fd >= 0)
                close(s->debug_fd);
        if (s->uevent_fd >= 0)
                close(s->uevent_fd);
        if (s->beat_fd >= 0)
                close(s->beat_fd);
        if (s->test_fd >= 0)
                close(s->test_fd);
        signal(SIGPIPE, SIG_DFL);
        sigprocmask(SIG_SETMASK, &s->old_mask, NULL);
}

static void beat_close(struct supervisor *s)
{
        if (s->beat_fd >= 0)
                close(s->beat_fd);
        s->beat_fd = -1;
}

static void start_child(struct supervisor *s)
{
        int beat[2] = {-1, -1};
        pid_t pid;

        /* The heartbeat pipe of the watchdog; without one the menu runs unwatched. */
        if (s->model.policy.watchdog_ms > 0 && pipe2(beat, O_CLOEXEC | O_NONBLOCK) < 0) {
                log_warn("no watchdog for the menu: pipe: %m");
                beat[0] = beat[1] = -1;
        }
        fflush(NULL);
        pid = fork();
        if (pid < 0) {
                log_error("cannot start the menu: fork: %m (retrying in 1 s)");
                s->restart_at = util_now_ms() + 1000;
                if (beat[0] >= 0) {
                        close(beat[0]);
                        close(beat[1]);
                }
                return;
        }
        if (pid == 0) {
                child_setup(s);
                if (beat[0] >= 0) {
                        close(beat[0]);
                        heartbeat_attach(beat[1], (unsigned) (s->model.policy.watchdog_ms / 3));
                }
                /* The menu's own session, with the console as its controlling terminal (without
                 * stealing a terminal that belongs to another session). */
                if (setsid() >= 0 && isatty(STDIN_FILENO))
                        (void) ioctl(STDIN_FILENO, TIOCSCTTY, 0);
                exit(s->child_main(s->argc, s->argv, s->model.safe_mode ? s->model.reason : NULL));
        }
        beat_close(s);
        if (beat[0] >= 0) {
                close(beat[1]);
                s->beat_fd = beat[0];
        }
        s->child = pid;
        supervise_started(&s->model, s->beat_fd >= 0, util_now_ms());
        log_info("started the menu (pid %d)%s", (int) pid,
                 s->model.safe_mode ? " in safe mode" : "");
        trace(s->trace_path, "init menu start pid=%d safe=%d", (int) pid,
              s->model.safe_mode ? 1 : 0);
}

static void child_died(struct supervisor *s, int status)
{
        unsigned long long now = util_now_ms(), ran = now - s->model.started_at, delay;
        bool signaled = WIFSIGNALED(status), safe;

        if (WIFEXITED(status))
                log_write(WEXITSTATUS(status) == 0 ? LOG_LEVEL_INFO : LOG_LEVEL_WARNING, LOG_MODULE,
                          "the menu exited with status %d after %llu ms", WEXITSTATUS(status), ran);
        else if (signaled)
                log_error("the menu was killed by signal %d (%s)%s after %llu ms", WTERMSIG(status),
                          strsignal(WTERMSIG(status)), WCOREDUMP(status) ? ", core dumped" : "",
                          ran);
        delay = supervise_ended(&s->model, signaled ? SUPERVISE_SIGNALED : SUPERVISE_EXITED,
                                signaled ? WTERMSIG(status) : WEXITSTATUS(status), now, &safe);
        s->child = -1;
        beat_close(s);
        s->restart_at = now + delay;
        trace(s->trace_path, "init menu ended (%s) failures=%u restart_ms=%llu", s->model.last,
              s->model.failures, delay);
        if (safe) {
                log_error("%s", s->model.reason);
                trace(s->trace_path, "init safe mode: %s", s->model.reason);
        }
        log_info("restarting the menu in %llu ms", delay);
}

/* Reads the menu's heartbeats; at the end of the pipe (the menu is ending) closes it. */
static void beats_read(struct supervisor *s)
{
        unsigned char buf[256];

        for (;;) {
                ssize_t k = read(s->beat_fd, buf, sizeof(buf));
                unsigned long long now = util_now_ms();

                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0 && errno == EAGAIN)
                        return;
                if (k <= 0) {
                        beat_close(s);
                        return;
                }
                for (ssize_t i = 0; i < k; i++)
                        supervise_heartbeat(&s->model, buf[i], now);
        }
}

/* The watchdog: a menu silent for too long is stuck in one place; it is killed (with its
 * process group) and counts as a crash. */
static void watchdog_check(struct supervisor *s)
{
        if (s->child <= 0 || !supervise_check_stuck(&s->model, util_now_ms()))
                return;
        log_error("the menu (pid %d) gave no sign of life for %llu s: killing it", (int) s->child,
                  s->model.paused ? s->model.policy.pause_max_ms / 1000
                                  : s->model.policy.watchdog_ms / 1000);
        trace(s->trace_path, "init watchdog killed pid=%d", (int) s->child);
        (void) kill(-s->child, SIGKILL);
        (void) kill(s->child, SIGKILL);
}

/* The coldplug child: loads the modules of the devices present, and tells the trace channel. */
static void start_coldplug(struct supervisor *s)
{
        pid_t pid;

        s->coldplug_wanted = false;
        fflush(NULL);
        pid = fork();
        if (pid < 0) {
                log_error("cannot start the coldplug: fork: %m (retrying in 1 s)");
                s->coldplug_wanted = true;
                s->coldplug_retry_at = util_now_ms() + 1000;
                return;
        }
        if (pid == 0) {
                unsigned long long t0, ms;
                int n;

                child_setup(s);
                t0 = util_now_ms();
                n = modules_coldplug(s->modules, "/sys");
                ms = util_now_ms() - t0;
                trace(s->trace_path, "init coldplug done modules=%d seconds=%llu.%03llu", MAX(n, 0),
                      ms / 1000, ms % 1000);
                _exit(n < 0 ? 1 : 0);
        }
        s->coldplug = pid;
        log_debug("started the coldplug (pid %d)", (int) pid);
}

static void coldplug_done(struct supervisor *s, int status)
{
        s->coldplug = -1;
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                log_debug("the coldplug is done");
        else if (WIFEXITED(status))
                log_warn("the coldplug exited with status %d", WEXITSTATUS(status));
        else if (WIFSIGNALED(status))
                log_error("the coldplug was killed by signal %d (%s)", WTERMSIG(status),
                          strsignal(WTERMSIG(status)));
}

/* A worker for the block devices added since the last one: each device's filesystem modules
 * (vfat and its code pages, ext4, ...: loadorder.h) loaded now, beside the coldplug, instead of
 * one request_module() at a time (a modprobe process each) when the menu mounts it. */
static void start_fsmodules(struct supervisor *s)
{
        pid_t pid;

        fflush(NULL);
        pid = fork();
        if (pid < 0) {
                log_warn("cannot start the filesystem modules' worker: fork: %m");
                strv_free(s->fs_pending);
                s->fs_pending = NULL; /* the mounts ask for them (request_module) */
                return;
        }
        if (pid == 0) {
                child_setup(s);
                strv_foreach (dev, s->fs_pending) {
                        _cleanup_free_ char *path = util_asprintf("/dev/%s", dev);
                        _cleanup_free_ char *type = NULL;
                        int n = path ? modules_load_fs(s->modules, path, &type) : -ENOMEM;

                        if (type)
                                trace(s->trace_path, "init fsmodules dev=%s type=%s loaded=%d", dev,
                                      type, n);
                }
                _exit(0);
        }
        strv_free(s->fs_pending);
        s->fs_pending = NULL;
        s->fsmod = pid;
}

/* Reaps every child that has ended: the menu, and orphans that were handed to PID 1. */
static void reap(struct supervisor *s)
{
        for (;;) {
                int status;
                pid_t pid = waitpid(-1, &status, WNOHANG);

                if (pid < 0 && errno == EINTR)
                        continue;
                if (pid <= 0)
                        return;
                if (pid == s->child)
                        child_died(s, status);
                else if (pid == s->coldplug)
                        coldplug_done(s, status);
                else if (pid == s->fsmod)
                        s->fsmod = -1;
                else
                        log_debug("reaped process %d", (int) pid);
        }
}

static void debug_open(struct supervisor *s)
{
        if (s->debug_fd >= 0 || !s->debug_path || util_now_ms() < s->debug_retry_at)
                return;
        s->debug_fd = open(s->debug_path,
                           O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY | O_NONBLOCK | O_CLOEXEC, 0600);
        if (s->debug_fd < 0) {
                if (!s->debug_failed_logged)
                        log_warn("cannot open %s for the kernel log: %m (retrying)", s->debug_path);
                s->debug_failed_logged = true;
                s->debug_retry_at = util_now_ms() + RETRY_MS;
                return;
        }
        s->debug_failed_logged = false;
}

static void debug_close(struct supervisor *s)
{
        if (s->debug_fd >= 0)
                close(s->debug_fd);
        s->debug_fd = -1;
}

static void kmsg_open(struct supervisor *s)
{
        if (s->kmsg_fd >= 0 || !s->debug_path || util_now_ms() < s->kmsg_retry_at)
                return;
        s->kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (s->kmsg_fd < 0) {
                if (!s->kmsg_failed_logged)
                        log_warn("cannot open /dev/kmsg: %m (retrying)");
                s->kmsg_failed_logged = true;
                s->kmsg_retry_at = util_now_ms() + RETRY_MS;
                return;
        }
        s->kmsg_failed_logged = false;
}

/* One /dev/kmsg record, "prio,seq,usec,flags;message\n KEY=value…", as
 * "[seconds.micros] message". Never blocks: what the debug console cannot take is dropped. */
static void relay_record(struct supervisor *s, char *rec)
{
        char line[8192 + 64];
        unsigned long long usec = 0;
        char *msg = strchr(rec, ';'), *nl;
        ssize_t k;
        int n;

        if (!msg)
                return;
        *msg++ = 0;
        nl = strchr(msg, '\n');
        if (nl)
                *nl = 0;
        if (sscanf(rec, "%*u,%*u,%llu", &usec) != 1)
                usec = 0;
        n = snprintf(line, sizeof(line) - 1, "[%5llu.%06llu] %s", usec / 1000000, usec % 1000000,
                     msg);
        if (n < 0)
                return;
        n = MIN(n, (int) sizeof(line) - 2);
        line[n++] = '\n';
        k = write(s->debug_fd, line, (size_t) n);
        if (k < 0 && errno != EAGAIN && errno != EINTR) {
                log_warn("writing the kernel log to %s: %m (reopening)", s->debug_path);
                debug_close(s);
                s->debug_retry_at = util_now_ms() + RETRY_MS;
        }
}

static void relay_kmsg(struct supervisor *s)
{
        static char buf[16384];

        for (int i = 0; i < KMSG_RECORDS_PER_RUN && s->kmsg_fd >= 0 && s->debug_fd >= 0; i++) {
                ssize_t k = read(s->kmsg_fd, buf, sizeof(buf) - 1);

                if (k < 0) {
                        /* EPIPE: records were overwritten before we read them; go on. */
                        if (errno == EINTR || errno == EPIPE || errno == EINVAL)
                                continue;
                        if (errno == EAGAIN)
                                return;
                        log_warn("reading /dev/kmsg: %m (reopening)");
                        close(s->kmsg_fd);
                        s->kmsg_fd = -1;
                        s->kmsg_retry_at = util_now_ms() + RETRY_MS;
                        return;
                }
                if (k == 0)
                        return;
                buf[k] = 0;
                relay_record(s, buf);
        }
}

/* Ends every other process (as PID 1), or the menu's process group: SIGTERM, then SIGKILL after
 * KILL_GRACE_MS. */
static void kill_children(struct supervisor *s)
{
        bool pid1 = init_is_pid1();

        for (int round = 0; round < 2; round++) {
                int sig = round == 0 ? SIGTERM : SIGKILL;
                unsigned long long deadline = util_now_ms() + KILL_GRACE_MS;

                if (pid1)
                        (void) kill(-1, sig);
                else if (s->child > 0) {
                        (void) kill(-s->child, sig);
                        (void) kill(s->child, sig);
                }
                for (;;) {
                        pid_t pid = waitpid(-1, NULL, WNOHANG);
                        bool none_left = pid < 0 && errno == ECHILD;

                        if (pid > 0 && pid == s->child)
                                s->child = -1;
                        if (pid > 0 && pid == s->coldplug)
                                s->coldplug = -1;
                        if (pid > 0 && pid == s->fsmod)
                                s->fsmod = -1;
                        if (pid > 0 || (pid < 0 && errno == EINTR))
                                continue;
                        if (pid1 ? none_left : s->child <= 0)
                                return;
                        if (util_now_ms() >= deadline)
                                break;
                        (void) poll(NULL, 0, 50);
                }
                if (round == 0)
                        log_warn("processes did not end after SIGTERM: sending SIGKILL");
        }
}

static size_t path_depth(const char *p)
{
        size_t n = 0;

        for (; *p; p++)
                if (*p == '/')
                        n++;
        return n;
}

/* Unmounts everything below /run/kexec-loader, deepest first (lazily when busy). */
static void unmount_ours(void)
{
        _cleanup_fclose_ FILE *f = fopen("/proc/self/mounts", "re");
        _cleanup_strv_ char **dirs = NULL;
        _cleanup_free_ char *line = NULL;
        size_t cap = 0, n;

        if (!f) {
                log_warn("cannot read /proc/self/mounts: %m");
                return;
        }
        while (getline(&line, &cap, f) > 0) {
                char *save = NULL, *dir;

                if (!strtok_r(line, " ", &save) || !(dir = strtok_r(NULL, " ", &save)))
                        continue;
                util_unescape_octal(dir);
                if (!streq(dir, KL_RUN_DIR) && !startswith(dir, KL_RUN_DIR "/"))
                        continue;
                if (strv_push(&dirs, dir) < 0)
                        break;
        }
        n = strv_length(dirs);
        /* Deepest first; at equal depth the later (upper) mount first. */
        while (n > 0) {
                size_t best = 0;

                for (size_t i = 1; i < n; i++)
                        if (path_depth(dirs[i]) >= path_depth(dirs[best]))
                                best = i;
                log_info("unmounting %s", dirs[best]);
                if (umount2(dirs[best], 0) < 0 && umount2(dirs[best], MNT_DETACH) < 0)
                        log_warn("cannot unmount %s: %m", dirs[best]);
                free(dirs[best]);
                memmove(dirs + best, dirs + best + 1, (n - best) * sizeof(char *));
                n--;
        }
}

/* Returns only when the reboot failed. */
static void shutdown_and_reboot(struct supervisor *s, const char *why)
{
        log_info("%s: rebooting", why);
        kill_children(s);
        unmount_ours();
        sync();
        if (!init_is_pid1()) {
                log_info("not PID 1: exiting instead of rebooting");
                exit(0);
        }
        reboot(RB_AUTOBOOT);
        log_error("reboot failed: %m; restarting the menu");
        s->child = -1;
        s->restart_at = util_now_ms();
}

/* The next pending signal, or 0. */
static int next_signal(struct supervisor *s)
{
        if (s->sfd >= 0) {
                struct signalfd_siginfo si;
                ssize_t k;

                do
                        k = read(s->sfd, &si, sizeof(si));
                while (k < 0 && errno == EINTR);
                return k == (ssize_t) sizeof(si) ? (int) si.ssi_signo : 0;
        } else {
                static const struct timespec zero;
                int sig = sigtimedwait(&s->mask, NULL, &zero);

                return sig > 0 ? sig : 0;
        }
}

static void handle_signals(struct supervisor *s)
{
        int sig;

        while ((sig = next_signal(s)) > 0) {
                switch (sig) {
                case SIGCHLD:
                        break; /* reaped below */
                case SIGINT:
                        shutdown_and_reboot(s, "Ctrl-Alt-Del pressed");
                        break;
                case SIGTERM:
                        shutdown_and_reboot(s, "SIGTERM received");
                        break;
                case SIGHUP:
                        log_info("SIGHUP: reopening %s", s->debug_path ? s->debug_path : "-");
                        debug_close(s);
                        s->debug_retry_at = 0;
                        break;
                default:
                        log_debug("signal %d (%s) ignored", sig, strsignal(sig));
                        break;
                }
        }
}

static void uevent_open(struct supervisor *s)
{
        int fd;

        if (!s->modules || s->uevent_fd >= 0 || util_now_ms() < s->uevent_retry_at)
                return;
        fd = uevent_socket_open(UEVENT_RCVBUF);
        if (fd < 0) {
                log_warn("cannot follow device hotplug: %s (retrying)", strerror(-fd));
                s->uevent_retry_at = util_now_ms() + RETRY_MS;
                return;
        }
        s->uevent_fd = fd;
        /* Opened late: devices may have come meanwhile, unseen. */
        if (s->uevent_retry_at > 0)
                s->coldplug_wanted = true;
}

/* Loads the module that each new device asks for (MODALIAS= of an "add" uevent). */
static void uevents_read(struct supervisor *s)
{
        static char buf[16384];

        for (int i = 0; i < UEVENTS_PER_RUN && s->uevent_fd >= 0; i++) {
                ssize_t n = uevent_socket_recv(s->uevent_fd, buf, sizeof(buf));

                if (n == -EAGAIN)
                        return;
                if (n == -ENOBUFS) {
                        /* The buffer overflowed: look at every device again. */
                        log_warn("uevents were lost: running the coldplug again");
                        s->coldplug_wanted = true;
                        continue;
                }
                if (n < 0) {
                        log_warn("reading uevents: %s (reopening)", strerror((int) -n));
                        close(s->uevent_fd);
                        s->uevent_fd = -1;
                        s->uevent_retry_at = util_now_ms() + RETRY_MS;
                        s->coldplug_wanted = true;
                        return;
                }
                if (n > 0) {
                        struct uevent u;

                        /* a new block device: its filesystem's modules (start_fsmodules) */
                        if (uevent_parse(buf, (size_t) n, &u) == 0 && streq(u.action, "add") &&
                            streq_ptr(u.subsystem, "block") && u.devname &&
                            !strchr(u.devname, '/') && strv_push(&s->fs_pending, u.devname) < 0)
                                log_warn("out of memory: %s's modules wait for its mount",
                                         u.devname);
                        (void) modules_handle_uevent(s->modules, buf, (size_t) n);
                }
        }
}

/* PID 1 only: the module tree, the uevent socket, then the coldplug. */
static void modules_start(struct supervisor *s)
{
        int r;

        if (!init_is_pid1())
                return;
        r = modules_init(&s->modules);
        if (r < 0) {
                log_warn("no kernel modules: %s (only built-in drivers)", strerror(-r));
                trace(s->trace_path, "init coldplug done modules=0 seconds=0.000");
                return;
        }
        uevent_open(s);
        s->coldplug_wanted = true;
        /* block devices of built-in drivers, there before the uevent socket */
        DIR *d = opendir("/sys/class/block");
        struct dirent *de;

        while (d && (de = readdir(d)))
                if (de->d_name[0] != '.' && strv_push(&s->fs_pending, de->d_name) < 0)
                        break;
        if (d)
                closedir(d);
}

/* kexec_test=commands: PID 1 also reads the trace channel, a serial port the test drives, for
 * lines that only a test sends: "kill SIGNAME" (PID 1 sends the menu that signal with kill(2),
 * as any other process could: the menu cannot tell) and "state" (the mounts and the loop and
 * device-mapper devices as the kernel lists them, state.h). The port is made raw: no echo of
 * what the test types into the trace. */
static void test_channel_open(struct supervisor *s)
{
        struct termios t;

        s->test_fd = open(s->trace_path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (s->test_fd < 0) {
                log_warn("kexec_test=commands: cannot open %s: %m", s->trace_path);
                return;
        }
        if (tcgetattr(s->test_fd, &t) == 0) {
                t.c_lflag &= ~(tcflag_t) (ICANON | ECHO | ECHONL | ECHOE | ECHOK | ISIG | IEXTEN);
                t.c_iflag &= ~(tcflag_t) (ICRNL | INLCR | IXON);
                t.c_cc[VMIN] = 1;
                t.c_cc[VTIME] = 0;
                if (tcsetattr(s->test_fd, TCSANOW, &t) < 0)
                        log_warn("kexec_test=commands: %s: tcsetattr: %m", s->trace_path);
        }
        trace(s->trace_path, "init test commands");
}

static int signal_by_name(const char *name)
{
        if (startswith(name, "SIG"))
                name += 3;
        for (int sig = 1; sig < NSIG; sig++)
                if (sigabbrev_np(sig) && streq(sigabbrev_np(sig), name))
                        return sig;
        return -EINVAL;
}

static void test_command(struct supervisor *s, const char *line)
{
        if (startswith(line, "kill ")) {
                int sig = signal_by_name(line + 5);

                if (sig < 0 || s->child <= 0) {
                        trace(s->trace_path, "init test kill refused (%s)",
                              sig < 0 ? "no such signal" : "no menu running");
                        return;
                }
                trace(s->trace_path, "init test kill pid=%d signal=%d SIG%s", (int) s->child, sig,
                      sigabbrev_np(sig));
                if (kill(s->child, sig) < 0)
                        trace(s->trace_path, "init test kill failed: %s", strerror(errno));
        } else if (streq(line, "state")) {
                _cleanup_free_ char *mounts = init_state_mounts("/proc/self/mountinfo");
                _cleanup_free_ char *block = init_state_block("/sys/block");

                trace(s->trace_path, "init state mounts=%s", mounts ? mounts : "?");
                trace(s->trace_path, "init state block=%s", block ? block : "?");
        } else if (line[0])
                trace(s->trace_path, "init test unknown command");
}

static void test_channel_read(struct supervisor *s)
{
        char buf[256];
        ssize_t k;

        while ((k = read(s->test_fd, buf, sizeof(buf))) > 0)
                for (ssize_t i = 0; i < k; i++) {
                        if (buf[i] == '\n' || buf[i] == '\r') {
                                if (s->test_len < sizeof(s->test_line)) {
                                        s->test_line[s->test_len] = 0;
                                        test_command(s, s->test_line);
                                }
                                s->test_len = 0;
                        } else if (s->test_len < sizeof(s->test_line) - 1)
                                s->test_line[s->test_len++] = buf[i];
                        else
                                s->test_len = sizeof(s->test_line); /* too long: dropped */
                }
        if (k == 0 || (k < 0 && errno != EAGAIN && errno != EINTR)) {
                log_warn("kexec_test=commands: the trace channel closed");
                close(s->test_fd);
                s->test_fd = -1;
        }
}

static int until(unsigned long long at, unsigned long long now)
{
        return at <= now ? 0 : (int) MIN(at - now, 60000ULL);
}

_Noreturn void init_supervise(init_child_main child_main, int argc, char **argv,
                              const char *debug_path, const char *trace_path, unsigned watchdog_s,
                              bool test_commands)
{
        struct supervisor s = {
                .child_main = child_main,
                .argc = argc,
                .argv = argv,
                .debug_path = debug_path,
                .trace_path = trace_path,
                .sfd = -1,
                .child = -1,
                .kmsg_fd = -1,
                .debug_fd = -1,
                .uevent_fd = -1,
                .coldplug = -1,
                .fsmod = -1,
                .beat_fd = -1,
                .test_fd = -1,
        };

        trace(trace_path, "init start");
        supervise_init(&s.model, watchdog_s);

        sigemptyset(&s.mask);
        sigaddset(&s.mask, SIGCHLD);
        sigaddset(&s.mask, SIGINT);
        sigaddset(&s.mask, SIGTERM);
        sigaddset(&s.mask, SIGHUP);
        sigaddset(&s.mask, SIGUSR1);
        if (sigprocmask(SIG_BLOCK, &s.mask, &s.old_mask) < 0)
                log_error("sigprocmask: %m");
        signal(SIGPIPE, SIG_IGN);
        s.sfd = signalfd(-1, &s.mask, SFD_NONBLOCK | SFD_CLOEXEC);
        if (s.sfd < 0)
                log_error("signalfd: %m (polling for signals instead)");
        s.restart_at = util_now_ms();
        if (test_commands && trace_path)
                test_channel_open(&s);
        modules_start(&s);

        for (;;) {
                struct pollfd p[5];
                unsigned long long now;
                long long wd;
                int timeout = -1, np = 0, sfd_i = -1, kmsg_i = -1, uevent_i = -1, beat_i = -1,
                    test_i = -1;

                uevent_open(&s);
                now = util_now_ms();
                /* The coldplug first, the menu right after it: it does not wait for devices. */
                if (s.modules && s.coldplug_wanted && s.coldplug <= 0 && now >= s.coldplug_retry_at)
                        start_coldplug(&s);
                if (s.modules && s.fs_pending && s.fsmod <= 0)
                        start_fsmodules(&s);
                if (s.child <= 0 && now >= s.restart_at)
                        start_child(&s);
                kmsg_open(&s);
                if (s.kmsg_fd >= 0)
                        debug_open(&s);

                now = util_now_ms();
                if (s.child <= 0)
                        timeout = until(s.restart_at, now);
                if (s.debug_path && s.kmsg_fd < 0) {
                        int t = until(s.kmsg_retry_at, now);

                        timeout = timeout < 0 ? t : MIN(timeout, t);
                }
                if (s.kmsg_fd >= 0 && s.debug_fd < 0) {
                        int t = until(s.debug_retry_at, now);

                        timeout = timeout < 0 ? t : MIN(timeout, t);
                }
                if (s.modules && s.uevent_fd < 0) {
                        int t = until(s.uevent_retry_at, now);

                        timeout = timeout < 0 ? t : MIN(timeout, t);
                }
                if (s.modules && s.coldplug_wanted && s.coldplug <= 0) {
                        int t = until(s.coldplug_retry_at, now);

                        timeout = timeout < 0 ? t : MIN(timeout, t);
                }
                wd = supervise_watchdog_left(&s.model, now);
                if (wd >= 0) {
                        int t = (int) MIN(wd, 60000LL);

                        timeout = timeout < 0 ? t : MIN(timeout, t);
                }
                if (s.sfd < 0)
                        timeout = timeout < 0 ? 250 : MIN(timeout, 250);

                if (s.sfd >= 0) {
                        sfd_i = np;
                        p[np++] = (struct pollfd){.fd = s.sfd, .events = POLLIN};
                }
                /* The kernel log waits in its ring buffer while the debug console is gone. */
                if (s.kmsg_fd >= 0 && s.debug_fd >= 0) {
                        kmsg_i = np;
                        p[np++] = (struct pollfd){.fd = s.kmsg_fd, .events = POLLIN};
                }
                if (s.uevent_fd >= 0) {
                        uevent_i = np;
                        p[np++] = (struct pollfd){.fd = s.uevent_fd, .events = POLLIN};
                }
                if (s.beat_fd >= 0) {
                        beat_i = np;
                        p[np++] = (struct pollfd){.fd = s.beat_fd, .events = POLLIN};
                }
                if (s.test_fd >= 0) {
                        test_i = np;
                        p[np++] = (struct pollfd){.fd = s.test_fd, .events = POLLIN};
                }
                if (poll(p, (nfds_t) np, timeout) < 0 && errno != EINTR) {
                        log_error("poll: %m");
                        (void) poll(NULL, 0, 1000);
                        continue;
                }
                if (sfd_i < 0 || p[sfd_i].revents)
                        handle_signals(&s);
                if (kmsg_i >= 0 && p[kmsg_i].revents)
                        relay_kmsg(&s);
                if (uevent_i >= 0 && p[uevent_i].revents)
                        uevents_read(&s);
                if (beat_i >= 0 && p[beat_i].revents && s.beat_fd >= 0)
                        beats_read(&s);
                reap(&s);
                if (test_i >= 0 && p[test_i].revents && s.test_fd >= 0)
                        test_channel_read(&s);
                watchdog_check(&s);
        }
}
