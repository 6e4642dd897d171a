/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The built-in shell (S at the menu). Its commands are the kexec-loader.conf directives (except
 * title and default), run by the same parser on a scratch entry, plus exit, disks, help, boot,
 * show and reset. Pure logic: the application carries out exit, disks and boot. The target and
 * the history stay between visits (1.4.1 lost both each time). */
#pragma once

#include "../backend/config.h"
#include "../core/lines.h"
#include "lineedit.h"

#define SHELL_SCROLLBACK_MAX 1000

struct shell {
        struct lineedit edit;
        struct lines lines;   /* scrollback, oldest first */
        struct config config; /* scratch: entries[0] is the target being built */
        struct config_source src;
        struct diag_list diags;
        unsigned commands; /* how many lines were run (the "line" of diagnostics) */
};

enum shell_action {
        SHELL_ACTION_NONE,
        SHELL_ACTION_REDRAW,
        SHELL_ACTION_EXIT,  /* back to the menu */
        SHELL_ACTION_DISKS, /* print the device table (the app appends it) */
        SHELL_ACTION_BOOT,  /* boot shell_target() */
};

int shell_init(struct shell *s, const char *banner);
void shell_done(struct shell *s);
enum shell_action shell_key(struct shell *s, const struct key_event *ev);
/* Runs one command line as if typed. */
enum shell_action shell_run(struct shell *s, const char *line);
int shell_print(struct shell *s, enum line_style style, const char *fmt, ...) _printf_(3, 4);
/* The scratch target. Never NULL after shell_init. */
const struct config_entry *shell_target(const struct shell *s);
