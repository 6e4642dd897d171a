/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PID 1 duties: mount /proc, /sys, /dev (devtmpfs), /run; open the console; relay the kernel log
 * to the debug console; run the menu in a supervised child and restart it when it dies; reap
 * every child; Ctrl-Alt-Del reboots; never exit. */
#pragma once

#include <stdbool.h>

/* True when this process is PID 1. */
bool init_is_pid1(void);

/* Mounts the API filesystems and opens /dev/console as stdin/stdout/stderr. Errors are logged, not
 * fatal. Idempotent. */
int init_setup_system(void);

/* Runs child_main(argc, argv) in a child process for ever: restarts it when it exits or crashes
 * (with a growing delay if it keeps dying at once), reaps orphans, relays /dev/kmsg lines to
 * debug_path with timestamps, and on Ctrl-Alt-Del (SIGINT with CAD off) or SIGTERM kills the
 * child, unmounts what is under /run/kexec-loader, syncs and reboots. As PID 1 it also loads
 * kernel modules: a coldplug child for the devices present (started with the menu, which does not
 * wait for it), then the module of each device announced by a uevent. trace_path (kexec_trace=,
 * may be NULL) gets "init start" and "init coldplug done modules=N seconds=S". Never returns. */
_Noreturn void init_supervise(int (*child_main)(int argc, char **argv), int argc, char **argv,
                              const char *debug_path, const char *trace_path);
