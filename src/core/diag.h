/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Diagnostics: problems found in input files, each tied to a filesystem, file and line.
 * Parsers add them; the front ends show them and the log gets them. */
#pragma once

#include "util.h"

struct diag {
        char *fs;      /* the filesystem the file is on ("/dev/sda1"), or NULL */
        char *file;    /* path on that filesystem, or NULL */
        unsigned line; /* 1-based, 0 when not tied to a line */
        char *message;
};

struct diag_list {
        struct diag *items;
        size_t n, cap;
};

void diag_list_done(struct diag_list *l);
int diag_add(struct diag_list *l, const char *fs, const char *file, unsigned line, const char *fmt,
             ...) _printf_(5, 6);
int diag_add_copy(struct diag_list *l, const struct diag *d);
/* "file:line: message" (or "file: message", or "message"); returns a malloc'ed string. */
char *diag_format(const struct diag *d);
/* The same after the filesystem when it is known: "/dev/sda1: /boot/grub/grub.cfg:3: ...", as
 * the menu's notes and `list` show it (several disks may hold a file of the same name). */
char *diag_format_fs(const struct diag *d);
