/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel command line (/proc/cmdline): split into words the way the kernel does (double
 * quotes group blanks), and look up our variables by their whole name (1.4.1 matched prefixes,
 * so "kexec=x" passed for kexec_config). Pure logic. */
#pragma once

#include "util.h"

struct kernel_cmdline {
        char *kexec_config;  /* kexec_config=<device>: searched first for kexec-loader.conf */
        char *kexec_debug;   /* kexec_debug=<file>: the debug console (default /dev/tty2) */
        unsigned kexec_wait; /* kexec_wait=<seconds>: how long to wait for devices (default 10) */
        bool kexec_text;     /* kexec_text: force the text front end */
        bool kexec_no_lvm;   /* kexec_lvm=0: LVM volume groups are not activated */
        char *kexec_theme;   /* kexec_theme=<name|path> */
        char *kexec_trace;   /* kexec_trace=<file>: one line per state change, for tests */
        char *video;         /* video=[connector:]WxH[@R]: the mode of the graphical menu */
        unsigned kexec_watchdog; /* kexec_watchdog=<seconds>: PID 1 restarts a menu silent that
                                  * long (default 30, 0 = no watchdog) */
        unsigned kexec_test;     /* kexec_test=<hook>[,<hook>]: CMDLINE_TEST_* fault injection */
        int kexec_scale; /* kexec_scale=<auto|N|N.NN|N%>: the display scale in percent, 0 = auto */
        int kexec_beep;  /* kexec_beep (=1|yes|on): 1, the menu's beeps on; kexec_beep=0|no|off:
                          * -1, off whatever the configuration says; absent: 0 */
        char *kexec_keymap; /* kexec_keymap=<layout>: a compiled keyboard layout (NULL: unknown) */
};

/* A display scale: "auto" (0), a factor "2" or "1.5" (at most two decimals), or "150%".
 * 50..400 %. Returns 0 with *ret in percent (0 for auto), or -EINVAL. */
int cmdline_parse_scale(const char *s, int *ret);

/* kexec_test= hooks, for the end-to-end tests of the recovery paths (docs/usage.md): real
 * faults at fixed places. crash-autodetect: the menu dies of SIGSEGV when the autodetection of
 * other disks' configurations starts; hang-autodetect: it stops there for ever (no heartbeat);
 * fail-jump: the loaded kernel is unloaded right before the kexec jump, which then fails;
 * commands: PID 1 reads test commands from the trace channel (init.h: kill the menu with a
 * signal, trace the mounts and loop/dm devices). */
enum {
        CMDLINE_TEST_CRASH_AUTODETECT = 1 << 0,
        CMDLINE_TEST_HANG_AUTODETECT = 1 << 1,
        CMDLINE_TEST_FAIL_JUMP = 1 << 2,
        CMDLINE_TEST_COMMANDS = 1 << 3,
};

#define CMDLINE_DEFAULT_DEBUG    "/dev/tty2"
#define CMDLINE_DEFAULT_WAIT     10
#define CMDLINE_DEFAULT_WATCHDOG 30

/* Splits text into words; quotes are removed ("a=\"b c\"" -> "a=b c"). */
int cmdline_split(const char *text, char ***ret);

/* The value of the whole-word key in words: "key=value" -> "value", a bare "key" -> "", absent ->
 * NULL. The last occurrence wins, as for the kernel's own parameters. */
const char *cmdline_get(char *const *words, const char *key);

/* Parses our variables; bad values (kexec_wait=abc, an unknown kexec_test= hook) fall back to
 * defaults and are reported in *ret_warning (malloc'ed, may be NULL; several joined by "; "). */
int cmdline_parse(const char *text, struct kernel_cmdline *ret, char **ret_warning);
void cmdline_done(struct kernel_cmdline *c);
