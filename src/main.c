/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kexec-loader: a boot menu that runs as PID 1 from an initramfs (or on any terminal). */
#define LOG_MODULE "main"
#include <getopt.h>

#include "app/app.h"
#include "app/mkpasswd.h"
#include "backend/backend.h"
#include "backend/hardware.h"
#include "core/log.h"
#include "core/utf8.h"
#include "init/init.h"
#include "init/modules.h"

static void usage(FILE *f)
{
        fputs("Usage: kexec-loader [OPTIONS]            the boot menu\n"
              "       kexec-loader list [--json] [OPTIONS]  what the menu would show\n"
              "       kexec-loader render --out FILE.png --size WxH [--screen menu|devices|shell|\n"
              "                           boot|error|hardware|unlock|editor|searching]\n"
              "                           [--select N] [--timeout-left N] [--keys KEYS]\n"
              "                           [--system TEXT] [OPTIONS]\n"
              "                                         one frame of the graphical menu\n"
              "       kexec-loader mkpasswd [-c ITER] [-l BUFLEN] [-s SALT]\n"
              "                                         a password_pbkdf2 hash, as\n"
              "                                         grub-mkpasswd-pbkdf2 makes it\n"
              "\n"
              "Options:\n"
              "  --text             use the text front end\n"
              "  --graphics         draw on DRM/KMS or fbdev (the default as PID 1)\n"
              "  --theme NAME|DIR   the theme (overrides kexec_theme= and the config's)\n"
              "  --dry-run          stop before kexec and print what would be booted\n"
              "  --config FILE      use FILE as kexec-loader.conf instead of searching\n"
              "  --cmdline TEXT     stands in for /proc/cmdline (kexec_config=, kexec_wait=, ...)\n"
              "  --fs DIR[,dev=/dev/sdXN][,uuid=U][,label=L][,partuuid=P][,partlabel=PL]"
              "[,parttype=G][,type=T]\n"
              "                     a filesystem mounted at DIR with that identity, instead of\n"
              "                     the real block devices (repeatable)\n"
              "  --log FILE         write the debug log to FILE (as PID 1: kexec_debug=, "
              "/dev/tty2)\n"
              "  --trace FILE       one line per state change (as PID 1: kexec_trace=)\n"
              "  --evdev            also read evdev keyboards (the default as PID 1)\n"
              "  --json             list: print one JSON object\n"
              "  --scale auto|N     the display scale of the graphical menu: a factor (2, 1.5)\n"
              "                     or a percentage (150%); auto: from the screen's size\n"
              "  --sysfs DIR        the sysfs tree the hardware report reads (default /sys)\n"
              "  --version          print the version\n"
              "  -h, --help         this text\n",
              f);
}

struct cli {
        bool list, render, json, text, graphics, dry_run, evdev;
        const char *config, *cmdline, *log, *trace, *theme, *sysfs;
        int scale;
        char **fs;
        struct app_render_options ro;
};

/* "1920x1080" */
static int parse_size(const char *s, int *w, int *h)
{
        char *end;
        long x, y;

        errno = 0;
        x = strtol(s, &end, 10);
        if (errno || end == s || (*end != 'x' && *end != 'X'))
                return -EINVAL;
        s = end + 1;
        y = strtol(s, &end, 10);
        if (errno || end == s || *end || x < 64 || y < 64 || x > 16384 || y > 16384)
                return -EINVAL;
        *w = (int) x;
        *h = (int) y;
        return 0;
}

static int parse_int(const char *s, int *ret)
{
        char *end;
        long v;

        errno = 0;
        v = strtol(s, &end, 10);
        if (errno || end == s || *end || v < 0 || v > 1000000)
                return -EINVAL;
        *ret = (int) v;
        return 0;
}

static int parse_cli(int argc, char **argv, struct cli *c)
{
        enum {
                O_TEXT = 256,
                O_DRY,
                O_CONFIG,
                O_CMDLINE,
                O_FS,
                O_LOG,
                O_TRACE,
                O_EVDEV,
                O_JSON,
                O_VERSION,
                O_GRAPHICS,
                O_THEME,
                O_OUT,
                O_SIZE,
                O_SCREEN,
                O_SELECT,
                O_TIMEOUT_LEFT,
                O_SYSTEM,
                O_SCALE,
                O_SYSFS,
                O_KEYS,
        };
        static const struct option opts[] = {
                {"text", no_argument, NULL, O_TEXT},
                {"dry-run", no_argument, NULL, O_DRY},
                {"config", required_argument, NULL, O_CONFIG},
                {"cmdline", required_argument, NULL, O_CMDLINE},
                {"fs", required_argument, NULL, O_FS},
                {"log", required_argument, NULL, O_LOG},
                {"trace", required_argument, NULL, O_TRACE},
                {"evdev", no_argument, NULL, O_EVDEV},
                {"json", no_argument, NULL, O_JSON},
                {"graphics", no_argument, NULL, O_GRAPHICS},
                {"theme", required_argument, NULL, O_THEME},
                {"out", required_argument, NULL, O_OUT},
                {"size", required_argument, NULL, O_SIZE},
                {"screen", required_argument, NULL, O_SCREEN},
                {"select", required_argument, NULL, O_SELECT},
                {"timeout-left", required_argument, NULL, O_TIMEOUT_LEFT},
                {"system", required_argument, NULL, O_SYSTEM},
                {"scale", required_argument, NULL, O_SCALE},
                {"keys", required_argument, NULL, O_KEYS},
                {"sysfs", required_argument, NULL, O_SYSFS},
                {"version", no_argument, NULL, O_VERSION},
                {"help", no_argument, NULL, 'h'},
                {0},
        };
        int o;

        c->ro = (struct app_render_options){
                .width = 1920, .height = 1080, .screen = "menu", .select = -1, .timeout_left = -1};
        if (argc > 1 && (streq(argv[1], "list") || streq(argv[1], "render"))) {
                c->list = streq(argv[1], "list");
                c->render = !c->list;
                argv[1] = argv[0];
                argv++;
                argc--;
        }
        optind = 1;
        while ((o = getopt_long(argc, argv, "h", opts, NULL)) >= 0) {
                switch (o) {
                case O_TEXT:
                        c->text = true;
                        break;
                case O_DRY:
                        c->dry_run = true;
                        break;
                case O_CONFIG:
                        c->config = optarg;
                        break;
                case O_CMDLINE:
                        c->cmdline = optarg;
                        break;
                case O_FS:
                        if (strv_push(&c->fs, optarg) < 0)
                                return -ENOMEM;
                        break;
                case O_LOG:
                        c->log = optarg;
                        break;
                case O_TRACE:
                        c->trace = optarg;
                        break;
                case O_EVDEV:
                        c->evdev = true;
                        break;
                case O_JSON:
                        c->json = true;
                        break;
                case O_GRAPHICS:
                        c->graphics = true;
                        break;
                case O_THEME:
                        c->theme = optarg;
                        break;
                case O_OUT:
                        c->ro.out = optarg;
                        break;
                case O_SIZE:
                        if (parse_size(optarg, &c->ro.width, &c->ro.height) < 0) {
                                fprintf(stderr, "kexec-loader: --size %s: expected WxH\n", optarg);
                                return -EINVAL;
                        }
                        break;
                case O_SCREEN:
                        c->ro.screen = optarg;
                        break;
                case O_SYSTEM:
                        c->ro.system = optarg;
                        break;
                case O_SCALE:
                        if (cmdline_parse_scale(optarg, &c->scale) < 0) {
                                fprintf(stderr,
                                        "kexec-loader: --scale %s: expected auto, a factor from "
                                        "0.5 to 4 or a percentage\n",
                                        optarg);
                                return -EINVAL;
                        }
                        break;
                case O_SYSFS:
                        c->sysfs = optarg;
                        break;
                case O_KEYS:
                        c->ro.keys = optarg;
                        break;
                case O_SELECT:
                case O_TIMEOUT_LEFT:
                        if (parse_int(optarg, o == O_SELECT ? &c->ro.select : &c->ro.timeout_left) <
                            0) {
                                fprintf(stderr, "kexec-loader: %s: not a number\n", optarg);
                                return -EINVAL;
                        }
                        break;
                case O_VERSION:
                        printf("kexec-loader %s\n", KL_VERSION);
                        exit(0);
                case 'h':
                        usage(stdout);
                        exit(0);
                default:
                        usage(stderr);
                        return -EINVAL;
                }
        }
        if (optind < argc) {
                fprintf(stderr, "kexec-loader: unexpected argument '%s'\n", argv[optind]);
                usage(stderr);
                return -EINVAL;
        }
        if (c->render && !c->ro.out) {
                fprintf(stderr, "kexec-loader: render needs --out FILE.png\n");
                return -EINVAL;
        }
        if (c->json && !c->list) {
                fprintf(stderr, "kexec-loader: --json goes with 'list'\n");
                return -EINVAL;
        }
        return 0;
}

static void print_list(const struct backend *b)
{
        char **rows = backend_device_table(b);
        int def;

        printf("Devices:\n");
        for (size_t i = 0; rows && rows[i]; i++)
                utf8_print_shown(stdout, "  %s", rows[i]);
        strv_free(rows);
        if (b->config_found)
                utf8_print_shown(stdout, "\nConfiguration: %s%s%s",
                                 b->config_fs ? b->config_fs : "", b->config_fs ? " " : "",
                                 b->config_file);
        else
                printf("\nConfiguration: no %s found\n", BACKEND_CONFIG_NAME);
        if (backend_lockdown(b))
                printf("\nLocked down (%s): only kernels signed with a trusted key boot\n",
                       backend_lockdown(b));
        printf("\nEntries:\n");
        def = backend_default_entry(b);
        for (size_t i = 0; i < b->n_entries; i++) {
                const struct boot_entry *e = &b->entries[i];
                _cleanup_free_ char *why = backend_entry_problem(b, e);
                const struct backend_signature *sig = backend_entry_signature(b, i);

                /* Text from disks: control characters are shown as '?' (utf8.h). */
                utf8_print_shown(stdout, "  %s%s%s", (int) i == def ? "* " : "  ", e->title,
                                 why ? " (cannot boot: " : "");
                if (why)
                        utf8_print_shown(stdout, "      %s)", why);
                if (sig)
                        utf8_print_shown(stdout, "      %s: %s",
                                         sig->refused ? "refused" : "kernel", sig->text);
                /* Booted through the firmware: its EFI application, or its setup. */
                if (e->action == BOOT_ACTION_EFI_APP) {
                        utf8_print_shown(stdout, "      efi     %s %s (through the firmware)",
                                         backend_ref_fs(b, &e->efi), e->efi.path);
                        continue;
                }
                if (e->action == BOOT_ACTION_FW_SETUP) {
                        printf("      the firmware's setup (OsIndications)\n");
                        continue;
                }
                /* A unified kernel image's files are its sections: " section .linux". */
                utf8_print_shown(stdout, "      kernel  %s %s%s%s", backend_ref_fs(b, &e->kernel),
                                 e->kernel.path, e->kernel.section ? " section " : "",
                                 e->kernel.section ? e->kernel.section : "");
                for (size_t k = 0; k < e->n_initrds; k++)
                        utf8_print_shown(stdout, "      initrd  %s %s%s%s",
                                         backend_ref_fs(b, &e->initrds[k]), e->initrds[k].path,
                                         e->initrds[k].section ? " section " : "",
                                         e->initrds[k].section ? e->initrds[k].section : "");
                utf8_print_shown(stdout, "      cmdline %s", e->cmdline);
        }
        if (b->diags.n > 0)
                printf("\nProblems:\n");
        for (size_t i = 0; i < b->diags.n; i++) {
                _cleanup_free_ char *m = diag_format_fs(&b->diags.items[i]);
                utf8_print_shown(stdout, "  %s", m ? m : "");
        }
}

static int run_list(const struct cli *c)
{
        struct backend_options bo = {.config_path = c->config,
                                     .cmdline_text = c->cmdline,
                                     .fs_args = c->fs,
                                     .fw_sysroot = c->sysfs};
        struct backend b;
        int r;

        r = backend_init(&b, &bo);
        if (r < 0) {
                fprintf(stderr, "kexec-loader: %s\n", strerror(-r));
                return 1;
        }
        r = backend_scan_devices(&b, NULL);
        if (r >= 0)
                r = backend_load_config(&b);
        if (r >= 0)
                r = backend_check_signatures(&b);
        if (r < 0) {
                fprintf(stderr, "kexec-loader: the scan failed: %s\n", strerror(-r));
                backend_done(&b);
                return 1;
        }
        if (c->json) {
                struct hw_report hw;
                struct json j;

                (void) hardware_scan(c->sysfs ? c->sysfs : "/sys", &hw);
                json_init(&j);
                backend_to_json_hw(&b, &hw, &j);
                hw_report_done(&hw);
                if (json_text(&j))
                        printf("%s\n", json_text(&j));
                else
                        r = -ENOMEM;
                json_done(&j);
        } else
                print_list(&b);
        backend_done(&b);
        return r < 0 ? 1 : 0;
}

static int run_menu(const struct cli *c, bool pid1, const char *safe_mode)
{
        struct app_options o = {
                .backend = {.config_path = c->config,
                            .cmdline_text = c->cmdline,
                            .fs_args = c->fs,
                            .fw_sysroot = c->sysfs},
                .dry_run = c->dry_run,
                .force_text = c->text,
                .graphics = c->graphics || pid1,
                .theme = c->theme,
                .use_evdev = c->evdev || pid1,
                .watch_devices = !c->fs,
                .trace_path = c->trace,
                .tty_in = STDIN_FILENO,
                .tty_out = STDOUT_FILENO,
                .safe_mode = safe_mode,
                .sys_root = c->sysfs,
                .scale = c->scale,
        };

        return app_run(&o);
}

/* The menu child of PID 1: settings come from the kernel command line. */
static int pid1_child(int argc, char **argv, const char *safe_mode)
{
        _cleanup_free_ char *text = NULL;
        struct kernel_cmdline k = {0};
        struct cli c = {0};
        int r;

        (void) argc;
        (void) argv;
        (void) util_read_file("/proc/cmdline", 1024 * 1024, &text, NULL);
        if (cmdline_parse(text, &k, NULL) < 0)
                return 1;
        (void) log_open(k.kexec_debug ? k.kexec_debug : CMDLINE_DEFAULT_DEBUG);
        c.text = k.kexec_text;
        c.trace = k.kexec_trace;
        log_info("kexec-loader %s menu starting", KL_VERSION);
        r = run_menu(&c, true, safe_mode);
        cmdline_done(&k);
        return r;
}

int main(int argc, char **argv)
{
        struct cli c = {0};
        const char *base;
        int r;

        /* In the initramfs /sbin/modprobe is a link to /init, for the kernel's request_module(). */
        base = argc > 0 && argv[0] ? strrchr(argv[0], '/') : NULL;
        base = base ? base + 1 : argc > 0 && argv[0] ? argv[0] : "";
        if (streq(base, "modprobe"))
                return modprobe_main(argc, argv);

        if (init_is_pid1()) {
                _cleanup_free_ char *text = NULL;
                struct kernel_cmdline k = {0};

                (void) init_setup_system();
                (void) util_read_file("/proc/cmdline", 1024 * 1024, &text, NULL);
                (void) cmdline_parse(text, &k, NULL);
                (void) log_open(k.kexec_debug ? k.kexec_debug : CMDLINE_DEFAULT_DEBUG);
                log_info("kexec-loader %s starting as PID 1", KL_VERSION);
                init_supervise(pid1_child, argc, argv,
                               k.kexec_debug ? k.kexec_debug : CMDLINE_DEFAULT_DEBUG, k.kexec_trace,
                               k.kexec_watchdog, k.kexec_test & CMDLINE_TEST_COMMANDS);
        }

        if (argc > 1 && streq(argv[1], "mkpasswd"))
                return mkpasswd_main(argc - 1, argv + 1);
        r = parse_cli(argc, argv, &c);
        if (r < 0)
                return 2;
        if (c.log && log_open(c.log) < 0)
                fprintf(stderr, "kexec-loader: cannot open %s: %m\n", c.log);
        if (c.list)
                r = run_list(&c);
        else if (c.render) {
                struct app_options o = {
                        .backend = {.config_path = c.config,
                                    .cmdline_text = c.cmdline,
                                    .fs_args = c.fs},
                        .theme = c.theme,
                        .sys_root = c.sysfs,
                        .scale = c.scale,
                        .tty_in = -1,
                        .tty_out = -1,
                };

                r = app_render(&o, &c.ro);
                if (r < 0)
                        fprintf(stderr, "kexec-loader: render failed: %s\n", strerror(-r));
                r = r < 0 ? 1 : 0;
        } else
                r = run_menu(&c, false, NULL);
        strv_free(c.fs);
        log_close();
        return r;
}
