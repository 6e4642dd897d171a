/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the system holds now, read from the kernel's own files, for the test channel of PID 1
 * (kexec_test=commands: "state"): the mounts of /proc/self/mountinfo and the loop and
 * device-mapper devices of /sys/block. The end-to-end tests compare them before and after a
 * failed boot. */
#pragma once

/* "N /mountpoint(fstype:source) ..." for every line of mountinfo (a path, e.g.
 * "/proc/self/mountinfo"), in its order; fields stay octal-escaped, so no space is inside one.
 * NULL on error (errno set). */
char *init_state_mounts(const char *mountinfo);

/* "N loopK(backing file) dm-K(dm name) ..." for the attached loop devices (those with a
 * loop/backing_file) and every dm device under sysblock (e.g. "/sys/block"), sorted by name;
 * spaces in a backing file are shown as "\040", as in mountinfo. NULL on error (errno set). */
char *init_state_block(const char *sysblock);
