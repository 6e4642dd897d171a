/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Running a helper program (kexec-tools, mdadm) with its output captured. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Runs path with argv (stdin /dev/null, the signal mask and dispositions reset), stdout and
 * stderr captured into out: its last out_max bytes, NUL-terminated (out holds out_max + 1),
 * *out_len of them. *ret_status: the wait status, or -1 when it could not be collected (SIGCHLD
 * ignored by the caller). *ret_timed_out: killed after timeout_s seconds. 0, or -errno when it
 * could not be started. */
int spawn_capture(const char *path, char *const *argv, unsigned timeout_s, int *ret_status,
                  bool *ret_timed_out, char *out, size_t out_max, size_t *out_len);
