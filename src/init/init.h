/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PID 1 duties: mount /proc, /sys, /dev (devtmpfs), /run; open the console; relay the kernel log
 * to the debug console; run the menu in a supervised child and restart it when it dies; reap
 * every child; Ctrl-Alt-Del reboots; never exit. */
#pragma once

#include <stdbool.h>

/* True when this process is PID 1. */
bool init_is_pid1(void);

/* Points fds 0-2 at console (opened without becoming the controlling terminal), or at
 * /dev/null when console cannot be opened. Returns 0, or the -errno of console when /dev/null
 * took its place. */
int init_attach_stdio(const char *console);

/* Mounts the API filesystems and opens /dev/console as stdin/stdout/stderr (/dev/null when it
 * cannot be opened). Errors are logged, not fatal. Idempotent. */
int init_setup_system(void);

/* The menu: safe_mode is NULL, or the reason for a safe start ("The menu stopped 3 times
 * (signal 11 SIGSEGV); started in safe mode"): no autodetection, the text front end, the reason
 * on screen. */
typedef int (*init_child_main)(int argc, char **argv, const char *safe_mode);

/* Runs child_main in a child process for ever, with the policy of supervise.h: restarted when
 * it exits or crashes, with back-off when it keeps dying at once, in safe mode after a few quick
 * deaths in a row; watched (unless watchdog_s is 0) through a heartbeat pipe (core/heartbeat.h),
 * killed and counted as a crash when silent for watchdog_s seconds. Also reaps orphans, relays
 * /dev/kmsg lines to debug_path with timestamps, and on Ctrl-Alt-Del (SIGINT with CAD off) or
 * SIGTERM kills the child, unmounts what is under /run/kexec-loader, syncs and reboots. As PID 1
 * it also loads kernel modules: a coldplug child for the devices present (started with the menu,
 * which does not wait for it), then the module of each device announced by a uevent.
 * trace_path (kexec_trace=, may be NULL) gets "init start", "init coldplug done modules=N
 * seconds=S", "init menu start pid=P safe=0|1", "init menu ended (how) failures=N
 * restart_ms=D", "init watchdog killed pid=P" and "init safe mode: reason". test_commands
 * (kexec_test=commands): PID 1 also reads lines from trace_path (a serial port the test drives):
 * "kill SIGNAME" kills the menu with that signal, "state" traces "init state mounts=..." and
 * "init state block=..." (state.h). Never returns. */
_Noreturn void init_supervise(init_child_main child_main, int argc, char **argv,
                              const char *debug_path, const char *trace_path, unsigned watchdog_s,
                              bool test_commands);
