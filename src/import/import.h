/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Boot entries from the configurations people already have: GRUB 2, GRUB legacy, BLS, syslinux.
 *
 * Importers are pure: they read files through struct import_fs (so tests run on plain
 * directories and the menu on read-only mounts) and produce struct import_entry lists whose
 * files are (device spec, path) pairs, resolved later against the device list by the backend.
 * Every problem is a diagnostic with file:line; a bad statement never loses the whole file. */
#pragma once

#include <stdint.h>

#include "../core/auth.h"
#include "../core/diag.h"
#include "../core/util.h"

/* Read access to the filesystems. dev is a device spec as the backend understands it
 * ("/dev/sda1", "UUID=…", "(hd0,msdos1)"); NULL means the filesystem being imported. */
struct import_fs {
        void *userdata;
        const char *dev; /* the filesystem the configuration is on ("/dev/sda1") */
        /* Reads a whole file (at most max bytes). 0, or -ENOENT, -EISDIR, -EFBIG… */
        int (*read)(void *userdata, const char *dev, const char *path, size_t max, char **ret,
                    size_t *ret_len);
        /* 1 regular file, 2 directory, 0 absent; the size in *ret_size when a file. */
        int (*stat)(void *userdata, const char *dev, const char *path, uint64_t *ret_size);
        /* Names in a directory (sorted), or -errno. */
        int (*list)(void *userdata, const char *dev, const char *dir, char ***ret);
        /* GRUB's search: kind "fs_uuid", "label" or "file"; returns a device spec (malloc'ed) of
         * the first filesystem that matches, or NULL. */
        char *(*search)(void *userdata, const char *kind, const char *value);
        /* GRUB's probe: a fact of a device spec's filesystem (dev NULL = the imported one) as the
         * backend knows it from libblkid: what is "fs" (libblkid's TYPE), "fs_uuid", "label",
         * "part_uuid" or "partmap" ("gpt", "msdos", "none" for a whole disk), or
         * "btrfs_otime" (dev a spec naming a btrfs subvolume: its creation time, "YYYY-MM-DD
         * HH:MM:SS" UTC, when the kernel tells it). A malloc'ed string,
         * or NULL when the device or the fact is unknown. May be NULL. */
        char *(*probe)(void *userdata, const char *dev, const char *what);
        /* Opens a regular file for reading at offsets (unified kernel images, whose sections are
         * read, never the whole file): a CLOEXEC fd, or -errno (-EISDIR, -FSREAD_ENOTREG…).
         * NULL: not available (the importer says so). */
        int (*open)(void *userdata, const char *dev, const char *path);
        bool efi; /* grub_platform: "efi" when the menu itself booted via UEFI, else "pc" */
        /* Variables the GRUB 2 interpreter starts with, exported (NAME, VALUE, NAME, VALUE…,
         * NULL), or NULL: an ISO file's loopback.cfg gets iso_path. */
        const char *const *env;
};

/* A filesystem inside a filesystem has a device spec of its own: GRUB's loop device (`loopback
 * loop /x.iso`: the ISO image file /x.iso on DEV, read through core/isofile.h) and a btrfs
 * subvolume (openSUSE's `btrfs-mount-subvol`: its path from the top-level subvolume). Such a spec
 * is DEV (empty: the imported filesystem), then IMPORT_SPEC_SEP "subvol" IMPORT_SPEC_SEP PATH
 * and/or IMPORT_SPEC_SEP "iso" IMPORT_SPEC_SEP PATH, in that order; every struct import_fs reads
 * through it (read, stat, list), and the backend splits it into a file's device, subvolume and
 * ISO. A path holding the separator itself is refused. */
#define IMPORT_SPEC_SEP '\x1f'

/* The spec of the subvolume subvol and/or the ISO image iso (NULL: none) on dev (NULL: the
 * imported filesystem). NULL on OOM or when a path holds IMPORT_SPEC_SEP (errno EINVAL). */
char *import_spec_join(const char *dev, const char *subvol, const char *iso);
/* Takes a spec apart: *ret_dev NULL for the imported filesystem, *ret_subvol and *ret_iso NULL
 * when there is none (any of the ret_ may be NULL). 0, -EINVAL (malformed), -ENOMEM. */
int import_spec_split(const char *spec, char **ret_dev, char **ret_subvol, char **ret_iso);

struct import_file {
        char *dev;     /* device spec; NULL = the imported filesystem */
        char *path;    /* absolute path on it */
        char *section; /* a section of a unified kernel image (".linux", ".initrd"), or NULL */
};

/* What choosing an entry does: kexec its kernel, or reboot through the firmware (on UEFI only:
 * BootNext to the EFI application efi, or OsIndications for the firmware's setup). */
enum import_action {
        IMPORT_ACTION_KEXEC,
        IMPORT_ACTION_EFI_APP,  /* GRUB's chainloader FILE, an EFI loader found on an ESP */
        IMPORT_ACTION_FW_SETUP, /* GRUB's fwsetup */
};

struct import_entry {
        char *title;
        char **submenu; /* titles of the enclosing submenus, outermost first (strv) */
        char *id;       /* --id, BLS file name, syslinux LABEL… or NULL */
        char *config;   /* path of the file the entry comes from */
        unsigned line;
        struct import_file kernel; /* path NULL when there is none */
        struct import_file *initrds;
        size_t n_initrds;
        struct import_file *modules; /* multiboot modules; args in module_args */
        char **module_args;          /* strv, same length as modules (empty string for none) */
        size_t n_modules;
        char *devicetree; /* path on the kernel's device, or NULL */
        char *cmdline;
        char **classes;        /* --class values (icons later) */
        char *users;           /* --users, BLS grub_users (expanded): who may boot it, or NULL */
        bool unrestricted;     /* --unrestricted (and every enclosing submenu's), BLS grub_arg */
        struct auth_set *auth; /* the configuration's users when it sets superusers (a
                                  reference), or NULL */
        char *hotkey;          /* --hotkey, BLS grub_hotkey, or NULL */
        bool multiboot;        /* kernel loaded with multiboot/multiboot2 */
        char *not_bootable;    /* why it cannot be booted here ("chainloader"), or NULL */
        char *version;         /* a unified kernel image's version (systemd-boot's), or NULL */
        bool uki;              /* kernel and initrds are sections of a unified kernel image */
        unsigned uki_profile;  /* that image's profile (@N) */
        enum import_action action;
        struct import_file efi; /* IMPORT_ACTION_EFI_APP: the EFI application (path NULL else) */
};

struct import_result {
        struct import_entry *entries;
        size_t n, cap;
        int timeout; /* seconds; -1 not set; 0 boots at once for GRUB (menu shown 0 s) */
        /* GRUB's timeout_style: "menu", "countdown" or "hidden" (a static string), or NULL */
        const char *timeout_style;
        int default_index; /* -1 not set */
        bool default_once; /* the default is GRUB's one-time choice (grub-reboot's next_entry) */
        char *theme;       /* `set theme=` */
        struct diag_list diags;
};

void import_entry_done(struct import_entry *e);
void import_result_done(struct import_result *r);
/* Appends an empty entry (NULL on OOM). */
struct import_entry *import_result_add(struct import_result *r);
int import_file_set(struct import_file *f, const char *dev, const char *path);
void import_file_done(struct import_file *f);
int import_entry_add_initrd(struct import_entry *e, const char *dev, const char *path);
/* The same for a section of a unified kernel image (section NULL: the whole file). */
int import_entry_add_initrd_section(struct import_entry *e, const char *dev, const char *path,
                                    const char *section);

/* One line of a line-oriented file for import_read_lines(): text is the line with the blanks at
 * both ends stripped (never empty, never a '#' comment), modifiable; line counts from 1.
 * A negative return stops the reading and is returned. */
typedef int (*import_line_fn)(void *userdata, unsigned line, char *text);

/* Reads path on fs->dev (the filesystem being imported; at most max bytes) through fs->read,
 * which only reads regular files inside that filesystem, and calls fn for every line that is
 * not blank or a '#' comment. A file that cannot be read gets the diagnostic "cannot read:
 * <why>" in res ("not a regular file" for a FIFO, a device…), except an absent one (ENOENT,
 * ENOTDIR) when optional. Returns 1 when the file was read, 0 when it was not, -ENOMEM, or
 * fn's negative return. */
int import_read_lines(const struct import_fs *fs, struct import_result *res, const char *path,
                      size_t max, bool optional, import_line_fn fn, void *userdata);

/* Reads a small file whole through fs->read like import_read_lines: 1 read (*ret, *ret_len),
 * 0 not read (diagnostic unless absent and optional), -ENOMEM. */
int import_read_file(const struct import_fs *fs, struct import_result *res, const char *path,
                     size_t max, bool optional, char **ret, size_t *ret_len);

/* Each importer parses one configuration file (and what it sources/includes) found at path on
 * fs->dev, appending to *ret (which the caller initialised with {.timeout = -1,
 * .default_index = -1}). Returns 0, or -ENOMEM; bad input only gives diagnostics. */
int grub2_import(const struct import_fs *fs, const char *path, struct import_result *ret);
int grub_legacy_import(const struct import_fs *fs, const char *path, struct import_result *ret);
int bls_import(const struct import_fs *fs, const char *entries_dir, struct import_result *ret);
int syslinux_import(const struct import_fs *fs, const char *path, struct import_result *ret);
/* Unified kernel images: every *.efi of dir ("/EFI/Linux"), one entry per profile, ordered and
 * titled as systemd-boot does (src/import/uki.c). */
int uki_import(const struct import_fs *fs, const char *dir, struct import_result *ret);
/* EFI applications the firmware starts (Windows Boot Manager, EFI tools) under dir ("/EFI") of
 * an ESP: src/import/efiapps.c. */
int efiapps_import(const struct import_fs *fs, const char *dir, struct import_result *ret);
/* A BLS type #1 `efi` (or `uki`) path naming a unified kernel image: fills e's kernel, initrds
 * (the image's, before e's own), version, and its command line when e has none, from profile
 * `profile` of the image at path. 1 when it is one, 0 when not (*ret_why says why; malloc'ed),
 * -ENOMEM. */
int uki_import_bls(const struct import_fs *fs, const char *path, unsigned profile,
                   struct import_entry *e, char **ret_why);

/* GRUB's blscfg (Fedora's grub2): bls_import with $var in values (options, initrd, grub_users)
 * looked up in the GRUB environment first (lookup returns NULL for an unset one), then in
 * grubenv. */
struct bls_vars {
        const char *(*lookup)(void *userdata, const char *name);
        void *userdata;
};
int bls_import_grub(const struct import_fs *fs, const char *entries_dir, struct import_result *ret,
                    const struct bls_vars *vars);
