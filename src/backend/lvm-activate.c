/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lvm_activate(), lvm_deactivate(): lvm(8) as a child process, read-only. See lvm-activate.h. */
#define LOG_MODULE "lvm"
#include "lvm-activate.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../core/log.h"
#include "../core/util.h"
#include "lvm.h"
#include "spawn-capture.h"

/* How much of lvm's stderr is kept (its tail) for the log. */
#define LVM_ERRORS_MAX 16384

/* A folder that holds no lvm.conf: LVM then runs on its built-in defaults and our --config. */
#define LVM_SYSTEM_DIR "/run/kexec-loader/lvm"

static const char *const lvm_paths[] = {"/sbin/lvm", "/usr/sbin/lvm"};

const char *lvm_binary(void)
{
        const char *env = getenv("KEXEC_LOADER_LVM");

        if (env && *env)
                return access(env, X_OK) == 0 ? env : NULL;
        for (size_t i = 0; i < ARRAY_SIZE(lvm_paths); i++)
                if (access(lvm_paths[i], X_OK) == 0)
                        return lvm_paths[i];
        return NULL;
}

static int set_error(char **ret_error, int r, const char *fmt, ...) _printf_(3, 4);
static int set_error(char **ret_error, int r, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        if (ret_error) {
                free(*ret_error);
                *ret_error = util_vasprintf(fmt, ap);
                log_warn("%s", *ret_error ? *ret_error : "out of memory");
        }
        va_end(ap);
        return r;
}

/* Runs lvm with argv (argv[0] "lvm"), stdin /dev/null, in the environment of lvm-activate.h.
 * Its stdout goes to *ret_out (NUL-terminated, its last LVM_OUTPUT_MAX bytes; may be NULL), its
 * stderr to the log. Returns the exit status (0..255), 256 + signal when it was killed, or
 * -errno. */
static int run_lvm(const char *bin, char *const *argv, char **ret_out)
{
        static char *const envp[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C",
                                     "LVM_SUPPRESS_FD_WARNINGS=1", "LVM_SYSTEM_DIR=" LVM_SYSTEM_DIR,
                                     NULL};
        _cleanup_free_ char *out = malloc(LVM_OUTPUT_MAX + 1), *err = malloc(LVM_ERRORS_MAX + 1);
        struct spawn_buffer o = {.buf = out, .max = LVM_OUTPUT_MAX};
        struct spawn_buffer e = {.buf = err, .max = LVM_ERRORS_MAX};
        bool timed_out;
        int r, status;

        if (!out || !err)
                return -ENOMEM;
        (void) mkdir("/run/kexec-loader", 0755);
        (void) mkdir(LVM_SYSTEM_DIR, 0755);
        r = spawn_run(bin, argv, envp, LVM_TIMEOUT_S, &o, &e, &status, &timed_out);
        if (r < 0)
                return r;
        if (status == -1)
                return -ECHILD;
        /* LVM's messages, one log line each */
        for (char *line = err, *nl; line && *line; line = nl ? nl + 1 : NULL) {
                nl = strchr(line, '\n');
                if (nl)
                        *nl = 0;
                if (*util_skip_blanks(line))
                        log_info("lvm %s: %s", argv[1], util_skip_blanks(line));
        }
        if (ret_out) {
                *ret_out = out;
                out = NULL;
        }
        if (WIFSIGNALED(status))
                return 256 + WTERMSIG(status);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 256;
}

/* BLKROSET on a block device (a regular file is left as it is). */
static int make_ro(const char *path)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        struct stat st;
        int ro = 0, one = 1;

        if (fd < 0 || fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISBLK(st.st_mode))
                return 0;
        if (ioctl(fd, BLKROGET, &ro) == 0 && ro)
                return 0;
        if (ioctl(fd, BLKROSET, &one) < 0)
                return -errno;
        log_debug("%s set read-only (BLKROSET)", path);
        return 1;
}

/* argv for one command: lvm CMD --config CFG --nolocking EXTRA... ARGS... */
static char **command(const char *cmd, const char *cfg, const char *const *extra, char *const *args)
{
        char **v = NULL;
        const char *fixed[] = {"lvm", cmd, "--config", cfg, "--nolocking"};

        for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
                if (strv_push(&v, fixed[i]) < 0)
                        goto fail;
        for (size_t i = 0; extra && extra[i]; i++)
                if (strv_push(&v, extra[i]) < 0)
                        goto fail;
        strv_foreach (a, args)
                if (strv_push(&v, a) < 0)
                        goto fail;
        return v;
fail:
        strv_free(v);
        return NULL;
}

/* The members a filter can name (others are logged and left out) in *ret (NULL when none).
 * 0 or -ENOMEM. */
static int usable_members(char *const *members, char ***ret)
{
        char **v = NULL;

        strv_foreach (m, members) {
                if (!lvm_path_valid(m)) {
                        log_warn("%s: not given to LVM (a path a device filter cannot hold)", m);
                        continue;
                }
                if (strv_push(&v, m) < 0) {
                        strv_free(v);
                        return -ENOMEM;
                }
        }
        *ret = v;
        return 0;
}

/* After activation: the LV's block device read-only (its table is; BLKROSET as a second lock). */
static void check_ro(const char *vg, const char *lv)
{
        _cleanup_free_ char *dm = lvm_dm_name(vg, lv);
        _cleanup_free_ char *path = dm ? util_asprintf("/dev/mapper/%s", dm) : NULL;
        int r;

        if (!path)
                return;
        r = make_ro(path);
        if (r < 0)
                log_warn("%s/%s: cannot check %s is read-only: %s", vg, lv, path, strerror(-r));
        else if (r > 0)
                log_warn("%s/%s: its table was not read-only: %s set read-only", vg, lv, path);
}

int lvm_activate(char *const *members, char ***active, char **ret_error)
{
        static const char *const report_opts[] = {
                "--noheadings", "--segments",      "--separator", LVM_REPORT_SEPARATOR,
                "-o",           LVM_REPORT_FIELDS, NULL};
        static const char *const activate_opts[] = {"-ay", "--noudevsync", "--ignoremonitoring",
                                                    NULL};
        _cleanup_strv_ char **devs = NULL, **argv = NULL, **todo = NULL;
        _cleanup_free_ char *cfg = NULL, *out = NULL, *act_cfg = NULL;
        struct lvm_report rep = {0};
        const char *bin = lvm_binary();
        int r, n = 0;

        if (!bin)
                return set_error(ret_error, -ENOENT,
                                 "LVM volume groups found, but there is no lvm binary (lvm2)");
        if (usable_members(members, &devs) < 0)
                return -ENOMEM;
        if (!devs)
                return set_error(ret_error, -EINVAL, "no LVM member a device filter can name");
        strv_foreach (m, devs) {
                r = make_ro(m);
                if (r < 0)
                        return set_error(ret_error, r, "cannot make %s read-only: %s", m,
                                         strerror(-r));
        }
        cfg = lvm_config(devs, NULL);
        argv = cfg ? command("lvs", cfg, (const char *const *) report_opts, NULL) : NULL;
        if (!argv)
                return -ENOMEM;
        r = run_lvm(bin, argv, &out);
        if (r < 0)
                return set_error(ret_error, r, "cannot run %s: %s", bin, strerror(-r));
        if (r != 0)
                log_warn("lvm lvs exited with status %d", r);
        r = lvm_report_parse(out, strlen(out), &rep);
        if (r < 0)
                return r;
        if (rep.dropped)
                log_warn("lvm lvs: %zu lines or LVs left out", rep.dropped);
        for (size_t i = 0; i < rep.n; i++) {
                const struct lvm_lv *lv = &rep.lvs[i];

                if (lv->why) {
                        log_info("%s/%s (%s%s%s) left inactive: %s", lv->vg, lv->lv, lv->attr,
                                 lv->segtype ? ", " : "", lv->segtype ? lv->segtype : "", lv->why);
                        continue;
                }
                if (lv->attr[4] != '-') {
                        log_info("%s/%s is active already (%s): left as it is", lv->vg, lv->lv,
                                 lv->attr);
                        continue;
                }
                r = strv_consume(&todo, util_asprintf("%s/%s", lv->vg, lv->lv));
                if (r < 0)
                        goto out;
        }
        if (!todo)
                goto out;
        act_cfg = lvm_config(devs, todo);
        strv_free(argv);
        argv = act_cfg ? command("lvchange", act_cfg, (const char *const *) activate_opts, todo)
                       : NULL;
        if (!argv) {
                r = -ENOMEM;
                goto out;
        }
        r = run_lvm(bin, argv, NULL);
        if (r < 0) {
                set_error(ret_error, r, "cannot run %s: %s", bin, strerror(-r));
                goto out;
        }
        if (r != 0)
                log_warn("lvm lvchange -ay exited with status %d", r);
        /* What is there now: each LV activated has its node (made by libdevmapper). */
        strv_foreach (lv, todo) {
                _cleanup_free_ char *vg = strndup(lv, (size_t) (strchr(lv, '/') - lv));
                _cleanup_free_ char *dm = vg ? lvm_dm_name(vg, strchr(lv, '/') + 1) : NULL;
                _cleanup_free_ char *path = dm ? util_asprintf("/dev/mapper/%s", dm) : NULL;

                if (!path) {
                        r = -ENOMEM;
                        goto out;
                }
                if (access(path, F_OK) < 0) {
                        log_warn("%s was not activated (no %s)", lv, path);
                        continue;
                }
                check_ro(vg, strchr(lv, '/') + 1);
                log_info("%s activated read-only as %s", lv, path);
                r = strv_push(active, lv);
                if (r < 0)
                        goto out;
                n++;
        }
        r = n;
out:
        lvm_report_done(&rep);
        return r;
}

int lvm_deactivate(char *const *members, char *const *lvs)
{
        static const char *const opts[] = {"-an", "--noudevsync", "--ignoremonitoring", NULL};
        _cleanup_strv_ char **devs = NULL, **argv = NULL;
        _cleanup_free_ char *cfg = NULL;
        const char *bin = lvm_binary();
        int r;

        if (!lvs || !lvs[0])
                return 0;
        if (usable_members(members, &devs) < 0)
                return -ENOMEM;
        if (!bin)
                return -ENOENT;
        cfg = lvm_config(devs, NULL);
        argv = cfg ? command("lvchange", cfg, (const char *const *) opts, lvs) : NULL;
        if (!argv)
                return -ENOMEM;
        r = run_lvm(bin, argv, NULL);
        if (r < 0) {
                log_warn("cannot run %s: %s", bin, strerror(-r));
                return r;
        }
        if (r != 0) {
                log_warn("lvm lvchange -an exited with status %d", r);
                return -EBUSY;
        }
        strv_foreach (lv, lvs)
                log_info("%s deactivated", lv);
        return 0;
}
