/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Running a helper program (kexec-tools, mdadm, lvm) with its output captured. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Where a stream of the child goes: its last max bytes, NUL-terminated (buf holds max + 1), len
 * of them. */
struct spawn_buffer {
        char *buf;
        size_t max, len;
};

/* Runs path with argv (stdin /dev/null, the signal mask and dispositions reset) in the
 * environment envp (NULL: this process's), its stdout captured into out and its stderr into err
 * (NULL: into out as well). *ret_status: the wait status, or -1 when it could not be collected
 * (SIGCHLD ignored by the caller). *ret_timed_out: killed after timeout_s seconds. 0, or -errno
 * when it could not be started. */
int spawn_run(const char *path, char *const *argv, char *const *envp, unsigned timeout_s,
              struct spawn_buffer *out, struct spawn_buffer *err, int *ret_status,
              bool *ret_timed_out);

/* spawn_run() in this process's environment, stdout and stderr both into out (out holds
 * out_max + 1 bytes), *out_len of them. */
int spawn_capture(const char *path, char *const *argv, unsigned timeout_s, int *ret_status,
                  bool *ret_timed_out, char *out, size_t out_max, size_t *out_len);
