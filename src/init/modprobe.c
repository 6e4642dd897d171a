/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A minimal modprobe for the initramfs, where /sbin/modprobe is a link to /init: the kernel runs
 * "/sbin/modprobe -q -- fs-ext4" (or crypto-crc32c, nls_cp437, ...) for request_module() when a
 * mount or a driver needs a module. Loading only; the rest of modprobe is refused or ignored. */
#define LOG_MODULE "modprobe"
#include <fcntl.h>
#include <limits.h>

#include "../core/cmdline.h"
#include "../core/log.h"
#include "../core/util.h"
#include "modules.h"

/* The kernel's helper processes start without stdin, stdout and stderr: without these, the first
 * files opened would become fd 2 and receive error messages. */
static void ensure_std_fds(void)
{
        for (int fd = 0; fd < 3; fd++) {
                if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
                        continue;
                int n = open("/dev/null", O_RDWR | O_NOCTTY);

                if (n >= 0 && n != fd) {
                        (void) dup2(n, fd);
                        close(n);
                }
        }
}

static bool same_link(const char *a, const char *b)
{
        char x[PATH_MAX], y[PATH_MAX];
        ssize_t n = readlink(a, x, sizeof(x) - 1), m = readlink(b, y, sizeof(y) - 1);

        if (n <= 0 || m <= 0)
                return false;
        x[n] = 0;
        y[m] = 0;
        return streq(x, y);
}

/* The debug console of the menu: kexec_debug=, or its default when PID 1 is this very program
 * (in the initramfs, never on a host where someone ran this as modprobe). */
static void open_debug_log(void)
{
        _cleanup_free_ char *text = NULL;
        struct kernel_cmdline k = {0};

        if (util_read_file("/proc/cmdline", 1024 * 1024, &text, NULL) < 0 ||
            cmdline_parse(text, &k, NULL) < 0)
                return;
        if (k.kexec_debug)
                (void) log_open(k.kexec_debug);
        else if (same_link("/proc/self/exe", "/proc/1/exe"))
                (void) log_open(CMDLINE_DEFAULT_DEBUG);
        cmdline_done(&k);
}

/* Options that take a value, as "-d DIR" or "-dDIR", "--dirname DIR" or "--dirname=DIR". */
static bool short_takes_value(char c)
{
        return strchr("dSCo", c) != NULL;
}

static bool long_takes_value(const char *name)
{
        static const char *const names[] = {"dirname", "set-version", "config", "options"};

        for (size_t i = 0; i < ARRAY_SIZE(names); i++)
                if (streq(name, names[i]))
                        return true;
        return false;
}

/* What modprobe does besides loading (removal, dry runs, listings) is refused: ignoring such an
 * option would load modules instead. */
static bool short_refused(char c)
{
        return strchr("rnDcR", c) != NULL;
}

static bool long_refused(const char *name)
{
        static const char *const names[] = {"remove",
                                            "dry-run",
                                            "show",
                                            "show-depends",
                                            "showconfig",
                                            "show-config",
                                            "show-modversions",
                                            "dump-modversions",
                                            "show-exports",
                                            "resolve-alias",
                                            "remove-dependencies",
                                            "list"};

        for (size_t i = 0; i < ARRAY_SIZE(names); i++)
                if (streq(name, names[i]))
                        return true;
        return false;
}

int modprobe_main(int argc, char **argv)
{
        bool quiet = false, verbose = false, blacklist = false, refused = false;
        _cleanup_strv_ char **names = NULL;
        struct modules *m = NULL;
        int r, status = 0;

        ensure_std_fds();
        for (int i = 1; i < argc; i++) {
                const char *a = argv[i];

                if (streq(a, "--")) {
                        for (i++; i < argc; i++)
                                if (strv_push(&names, argv[i]) < 0)
                                        return 1;
                        break;
                }
                if (startswith(a, "--")) {
                        _cleanup_free_ char *name = strdup(a + 2);
                        char *eq;

                        if (!name)
                                return 1;
                        eq = strchr(name, '=');
                        if (eq)
                                *eq = 0;
                        if (streq(name, "quiet"))
                                quiet = true;
                        else if (streq(name, "verbose"))
                                verbose = true;
                        else if (streq(name, "use-blacklist"))
                                blacklist = true;
                        else if (long_refused(name)) {
                                fprintf(stderr, "modprobe: --%s is not supported here\n", name);
                                refused = true;
                        } else if (!eq && long_takes_value(name) && i + 1 < argc)
                                i++;
                        continue;
                }
                if (a[0] == '-' && a[1]) {
                        for (const char *c = a + 1; *c; c++) {
                                if (*c == 'q')
                                        quiet = true;
                                else if (*c == 'v')
                                        verbose = true;
                                else if (*c == 'b')
                                        blacklist = true;
                                else if (short_refused(*c)) {
                                        fprintf(stderr, "modprobe: -%c is not supported here\n",
                                                *c);
                                        refused = true;
                                } else if (short_takes_value(*c)) {
                                        if (!c[1] && i + 1 < argc)
                                                i++;
                                        break;
                                }
                                /* -s (syslog), -a (all), and the rest: nothing to do */
                        }
                        continue;
                }
                if (strv_push(&names, a) < 0)
                        return 1;
        }
        if (refused)
                return 1;
        if (!names) {
                if (!quiet)
                        fprintf(stderr, "Usage: modprobe [-q] [-v] [-b] [--] MODULE...\n");
                return 1;
        }

        open_debug_log();
        /* -v: the modules loaded; failures are told below, once */
        log_set_stderr_level(verbose && !quiet ? LOG_LEVEL_INFO : -1);
        r = modules_init(&m);
        if (r < 0) {
                if (!quiet)
                        fprintf(stderr, "modprobe: no kernel modules: %s\n", strerror(-r));
                log_warn("no kernel modules for %s: %s", names[0], strerror(-r));
                log_close();
                return 1;
        }
        modules_set_use_blacklist(m, blacklist);
        strv_foreach (name, names) {
                if (strchr(name, '=')) {
                        /* "modprobe foo param=1": module parameters are not passed on. */
                        if (!quiet)
                                fprintf(stderr, "modprobe: ignoring the parameter %s\n", name);
                        continue;
                }
                log_debug("modprobe %s", name);
                r = modules_load_alias(m, name);
                if (r < 0) {
                        status = 1;
                        if (r == -ENOENT)
                                log_debug("no module for %s", name);
                        if (!quiet)
                                fprintf(stderr, "modprobe: %s: %s\n", name,
                                        r == -ENOENT ? "module not found" : strerror(-r));
                }
        }
        modules_free(m);
        log_close();
        return status;
}
