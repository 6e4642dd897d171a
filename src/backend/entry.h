/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Boot entries: what the backend makes of every entry of every configuration it reads (its own
 * kexec-loader.conf or an installed system's), with the files as references to (device spec,
 * path on that filesystem), resolved against the device list whenever it changes. Pure data. */
#pragma once

#include "../core/auth.h"
#include "../core/util.h"

/* A file on some filesystem. */
struct file_ref {
        char *spec;    /* the device as written ("UUID=…", "/dev/sda1", "(hd0,0)") */
        char *fstype;  /* forced filesystem type, or NULL */
        char *path;    /* absolute path on that filesystem ("/boot/vmlinuz") */
        char *args;    /* modules only: the arguments after the path, or NULL */
        char *subvol;  /* a btrfs subvolume (its path from the top level) holding path, or NULL */
        char *iso;     /* an ISO image file on that filesystem holding path (loopback), or NULL */
        char *section; /* a section of a unified kernel image (".linux", ".initrd"), or NULL */
        int device;    /* index in backend.devices when resolved, else -1 */
};

/* What choosing an entry does (import.h's enum import_action). */
enum boot_action {
        BOOT_ACTION_KEXEC,
        BOOT_ACTION_EFI_APP,  /* BootNext to the EFI application efi, then reboot (UEFI only) */
        BOOT_ACTION_FW_SETUP, /* OsIndications BOOT_TO_FW_UI, then reboot (UEFI only) */
};

struct boot_entry {
        char *title;
        char **submenu;         /* path of submenu titles, empty for top-level entries */
        char *source;           /* "kexec-loader.conf", later "grub", "bls", … */
        struct file_ref config; /* where the entry was defined (path only; no fstype) */
        struct file_ref kernel;
        struct file_ref *initrds;
        size_t n_initrds;
        struct file_ref *modules;
        size_t n_modules;
        char *cmdline;
        bool is_default;
        bool one_time_default; /* the default only because of GRUB's one-time choice (grub-reboot)
                                */
        bool reset_vga;
        bool multiboot;        /* booted through kexec-tools */
        char *not_bootable;    /* why it can never boot here ("chainloader …"), or NULL */
        char **classes;        /* GRUB --class values (icons), or NULL */
        char *version;         /* a unified kernel image's version, or NULL */
        bool uki;              /* kernel and initrds are sections of a unified kernel image */
        unsigned uki_profile;  /* its profile (@N) */
        char *users;           /* GRUB --users / BLS grub_users: who may boot it, or NULL */
        bool unrestricted;     /* GRUB --unrestricted (and every enclosing submenu's) */
        struct auth_set *auth; /* its configuration's users and superusers (a reference), or NULL
                                  when that configuration has none */
        char *hotkey;          /* GRUB --hotkey / BLS grub_hotkey, or NULL */
        char *iso; /* an entry of an ISO file found by the scan: its path on config's fs, or NULL */
        enum boot_action action;
        struct file_ref efi; /* BOOT_ACTION_EFI_APP: the EFI application (path NULL else) */
};

/* Shown with an entry that is the default because of grub-reboot (GRUB clears it after one boot;
 * here nothing can, the disks are read-only). */
#define BACKEND_ONE_TIME_NOTE "GRUB's one-time choice: grub-reboot"

void file_ref_done(struct file_ref *r);
/* A deep copy. 0 or -ENOMEM. */
int file_ref_copy(const struct file_ref *r, struct file_ref *ret);
void boot_entry_done(struct boot_entry *e);
/* A deep copy. */
int boot_entry_copy(const struct boot_entry *e, struct boot_entry *ret);

/* The same entry for a user: title, kernel, initrds and command line (spec and path of every
 * file); for an entry booted through the firmware, title, action and EFI file. Other entries
 * without a kernel are never the same as another. */
bool boot_entry_same(const struct boot_entry *a, const struct boot_entry *b);

/* Entries of one array by boot_entry_same(), to drop duplicates in linear time (a grub.cfg read
 * directly and through the ESP's stub, BLS entries read directly and through blscfg). */
struct boot_entry_set {
        size_t *slots; /* index + 1 into the caller's array; 0 = empty */
        size_t cap, n;
};
void boot_entry_set_done(struct boot_entry_set *s);
/* Whether e is new: 1 after recording that it will be entries[idx] (an entry without a kernel is
 * not recorded), 0 when an entry of the set is the same, -ENOMEM. entries holds the set's
 * entries (it may have moved since the last call). */
int boot_entry_set_put(struct boot_entry_set *s, const struct boot_entry *entries,
                       const struct boot_entry *e, size_t idx);
/* Whether an entry of the set is the same as e (nothing recorded). */
bool boot_entry_set_has(const struct boot_entry_set *s, const struct boot_entry *entries,
                        const struct boot_entry *e);
