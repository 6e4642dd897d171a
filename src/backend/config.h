/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kexec-loader.conf: the 1.4.1 format, parsed without its quirks.
 *
 * Pure logic: no I/O. The caller reads the file and hands over its bytes. Every problem becomes a
 * diagnostic "file:line: message" and the rest of the file still loads. The shell reuses
 * config_apply_line() so its commands are exactly the config directives. */
#pragma once

#include "../core/auth.h"
#include "../core/diag.h"
#include "../core/util.h"

enum config_grub_first {
        CONFIG_GRUB_FIRST_HDX, /* number hd* disks before sd* (1.4.1 default) */
        CONFIG_GRUB_FIRST_SDX,
};

enum config_autodetect {
        CONFIG_AUTODETECT_DEFAULT, /* not said: on when the file defines no entries */
        CONFIG_AUTODETECT_ON,
        CONFIG_AUTODETECT_OFF,
};

struct config_mount {
        char *device; /* device spec as written, without the fstype prefix: "/dev/sda1", "UUID=…" */
        char *fstype;     /* NULL = detect ("auto" is stored as NULL) */
        char *mountpoint; /* normalised: "/" for rootfs, "/boot", "/a/b"; no trailing slash */
        unsigned line;
};

struct config_entry {
        char *title;
        unsigned line;               /* line of the title directive */
        char *kernel;                /* path as written, relative to the entry's mounts */
        char **initrds;              /* strv, in order; several are concatenated at boot */
        char *cmdline;               /* "cmdline" directive: the command line */
        char *append;                /* "append" directive: appended to the command line */
        char **modules;              /* strv of "path [args]" (multiboot modules) */
        struct config_mount *mounts; /* rootfs is the mount at "/" */
        size_t n_mounts, cap_mounts;
        bool is_default;
        bool reset_vga;
        bool unrestricted; /* "unrestricted": anyone may boot it (with superusers set) */
        char *users;       /* "users USER…": who may boot it besides the superusers, or NULL */
};

struct config {
        struct config_entry *entries;
        size_t n_entries, cap_entries;
        bool timeout_set;
        unsigned timeout; /* seconds; 0 = wait for ever (1.4.1); "off" also gives 0 */
        char *theme;      /* name in themes/ or a path on the config's filesystem */
        int scale;        /* `scale`: the display scale in percent; 0 = auto (the default) */
        bool beep;        /* `beep on`: the menu's beeps (docs/usage.md); off by default */
        char *keymap;     /* `keymap`: a compiled keyboard layout's name (input/keymap.h) */
        char *grub_root;  /* [fstype:]device, kept for the GRUB import */
        enum config_grub_first grub_first;
        enum config_autodetect autodetect;
        /* superusers, password_pbkdf2, password: NULL when the file has none of them */
        struct auth_set *auth;
        bool remember; /* `remember last`: the booted entry is the next default (remember.h) */
};

/* The origin of kexec-loader.conf's users (auth.h), in messages. */
#define BACKEND_CONFIG_AUTH_ORIGIN "kexec-loader.conf"

/* Where the text came from, for diagnostics. */
struct config_source {
        const char *fs;   /* "/dev/sda1" or NULL */
        const char *file; /* "/kexec-loader.conf" */
};

/* Parses a whole file. Never fails on bad input (that gives diagnostics); returns -ENOMEM only.
 * Entries without a kernel or without a root mount are reported and dropped. */
int config_parse(const char *data, size_t len, const struct config_source *src, struct config *ret,
                 struct diag_list *diags);

/* Parser state for line-at-a-time use (the shell). */
struct config_parser {
        struct config *config;
        struct config_entry *current; /* the entry being built, or NULL before the first title */
        bool in_shell; /* "title" and "default" are refused; directives go to current */
        const struct config_source *src;
        struct diag_list *diags;
};

/* Applies one line (no line terminator needed; a trailing CR is ignored). Returns 0 when the line
 * was understood (or blank/comment), 1 when it produced a diagnostic, -ENOMEM.
 * Outside the shell, a "title" without argument adds an entry with title NULL that takes in the
 * directives up to the next title without further messages; config_parse() drops it. */
int config_apply_line(struct config_parser *p, const char *line, unsigned lineno);

/* Checks an entry: 0 when bootable, else sets *ret_why to a static reason ("has no kernel",
 * "has no root filesystem"). */
int config_entry_check(const struct config_entry *e, const char **ret_why);

/* The mount at "/", or NULL. */
const struct config_mount *config_entry_root(const struct config_entry *e);

/* The command line passed to the kernel: cmdline then append, blank-separated. malloc'ed. */
char *config_entry_command_line(const struct config_entry *e);

/* Splits "[fstype:]device" into its parts (fstype NULL for none or "auto"). */
int config_split_fstype(const char *spec, char **ret_fstype, char **ret_device);

/* Normalises a mount point: "boot/" -> "/boot", "//a//b/" -> "/a/b", "" -> "/". */
char *config_normalize_mountpoint(const char *mp);

void config_entry_done(struct config_entry *e);
void config_done(struct config *c);
/* Appends a new empty entry and returns it (NULL on OOM). */
struct config_entry *config_add_entry(struct config *c);
/* Returns the index of the default entry: the first flagged one, else 0; -1 without entries. */
int config_default_index(const struct config *c);
