/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The backend every front end shares: devices, finding and reading kexec-loader.conf, turning
 * its entries into boot entries whose files are references to (device, path), mounting and
 * booting. Front ends only call these functions and show what they return. */
#pragma once

#include "boot.h"
#include "../core/cmdline.h"
#include "config.h"
#include "device.h"
#include "entry.h"
#include "grub-devname.h"
#include "image.h"
#include "mdraid.h"
#include "../core/diag.h"
#include "../core/json.h"
#include "mount.h"
#include "pesig.h"
#include "remember.h"
#include "trust.h"

#define BACKEND_CONFIG_NAME "kexec-loader.conf"
/* initramfs/mkstick's marker on the stick's filesystem: its boot loader configurations only start
 * kexec-loader again and are never listed (docs/usage.md). */
#define BACKEND_STICK_MARKER ".kexec-loader-stick"
#define BACKEND_MOUNT_BASE   "/run/kexec-loader/mnt"
#define BACKEND_CONFIG_MAX   (64u * 1024 * 1024)
/* Autodetected boot entries kept per filesystem and in all (after duplicates are dropped); more
 * give a diagnostic naming the file (or the filesystem) and are not listed. */
#define BACKEND_FS_ENTRIES_MAX 4096u
#define BACKEND_ENTRIES_MAX    16384u

/* What autodetection read from one filesystem, kept between loads: a device event re-reads only
 * the filesystems that came or changed. */
struct backend_fs_import {
        char *identity;             /* kernel name, path, UUID, label, type, size, fixture dir */
        char *fs;                   /* device path ("/dev/sda1") */
        struct boot_entry *entries; /* duplicates dropped, at most BACKEND_FS_ENTRIES_MAX */
        size_t n_entries, cap_entries;
        int default_entry;    /* index in entries of the default a configuration named, or -1 */
        bool default_claimed; /* a configuration here named a default (maybe a duplicate) */
        int timeout;          /* the first timeout a configuration here sets, or -1 */
        const char *timeout_style; /* GRUB's timeout_style with that timeout (static), or NULL */
        char *theme;               /* the first theme, or NULL */
        struct diag_list diags;
        bool read_again; /* looked at other filesystems, or failed: not reused */
        bool stick;      /* kexec-loader's own filesystem: its ISO files are listed first */
        char **images;   /* its *.img files (image.h); NULL on a disk image's own filesystems */
};

struct backend_options {
        const char *config_path;  /* --config FILE: use it instead of searching */
        const char *cmdline_text; /* --cmdline: stands in for /proc/cmdline */
        char **fs_args;         /* --fs DIR[,…]...: fixture filesystems instead of real devices */
        const char *sysroot;    /* "/sys" */
        const char *fw_sysroot; /* the sysfs whose firmware/efi says UEFI or BIOS (GRUB's
                                   $grub_platform); NULL: "/sys" (list --sysfs: a fake tree) */
        const char *devroot;    /* "/dev" */
        const char *mount_base; /* BACKEND_MOUNT_BASE */
        const char *keys_path;  /* "/proc/keys" (the kernel's keys; its keyrings listed with
                                   keyctl only when it is /proc/keys) */
        bool no_autodetect;     /* PID 1's safe mode: other disks' configurations are not read */
};

/* A key kept for the hand-over to the target's initramfs (BACKEND_UNLOCK_HANDOVER): the
 * passphrase (or key file) that unlocked the volume, mlock'ed, zeroed when forgotten. */
struct backend_key {
        char uuid[41]; /* the LUKS UUID */
        char *mapping; /* "luks-<UUID>" */
        uint8_t *key;
        size_t len;
};

/* A LUKS volume among the devices (backend_luks_scan()). */
struct backend_luks {
        char *device; /* "/dev/sda3" */
        char *disk;   /* whole-disk kernel name ("sda") */
        char uuid[41];
        bool tpm2; /* a systemd-tpm2 token: its key will not unseal after kexec */
};

/* What a locked-down kernel will say to an entry, judged before Enter (src/backend/pesig.h: the
 * kernel's PE signature against the keys kexec_file_load trusts). The API other parts use (the
 * menu's marks, `list --json`, MOK enrolment offering a certificate for an untrusted signer):
 * backend_entry_signature(). */
struct backend_signature {
        bool refused;        /* the kernel will refuse this entry */
        const char *verdict; /* pesig_verdict_name() ("ok", "untrusted", "unsigned", "not-pe",
                                "malformed"), or "needs-kexec-load" (multiboot, modules) */
        char *signer;        /* the signer's name (its certificate's subject CN), or NULL */
        char *issuer; /* the signer certificate's issuer CN: the CA whose certificate, enrolled
                         with MOK, makes the kernel trust it; NULL when unsigned */
        struct pesig_keyid issuer_keyid; /* the signer certificate's authority key id (the
                                            issuer's subject key id), len 0 when unknown */
        char *trusted_by;                /* "ok": the name of the trusted key that vouches for it */
        char *text; /* the sentence the menu shows ("not signed", "signed by …: this
                       machine does not trust that key for kexec") */
};

/* A kernel image's signature read once per (filesystem, path, file identity). */
struct backend_sig_cache {
        char *key; /* device identity \x1f path */
        struct pesig_info info;
};

/* Remembered choices (remember-stick.c): what the last load read from the stick. */
struct backend_remember {
        char *stick;      /* the stick's device path when the configuration is on it, else NULL */
        char *stick_uuid; /* its filesystem UUID then (checked again before writing), or NULL */
        const char *skip; /* why nothing is read or written (static), or NULL */
        struct remember_file file; /* as read (or written last) */
        struct remember_id once;   /* GRUB's one-time choice that was the configurations' default */
        enum remember_why why;     /* why the default is what it is */
        int def;                   /* the default chosen, or -1 */
};

struct backend {
        struct backend_options opt;
        struct kernel_cmdline cmdline;
        char *cmdline_warning;
        struct device_list devices;
        struct config config;
        bool config_found;
        char *config_fs;   /* device path the config came from, or NULL for --config outside --fs */
        char *config_file; /* path on that filesystem (or the --config path) */
        char *theme_fs; /* device path of the filesystem whose configuration named config.theme */
        struct diag_list diags; /* problems in the loaded configuration */
        struct boot_entry *entries;
        size_t n_entries, cap_entries;
        struct mount_table mounts;
        struct grub_devmap devmap;
        bool autodetected; /* the last load read the installed systems' configurations too */
        struct backend_fs_import *imports; /* the last autodetection, one per filesystem read */
        size_t n_imports;
        /* device list searches by the imports: about one per filesystem read, not one per file */
        unsigned long device_lookups;
        unsigned long fs_reads;    /* filesystems whose configurations were read (not reused) */
        struct backend_luks *luks; /* the LUKS volumes of the devices */
        size_t n_luks;
        struct trust trust; /* lockdown mode and trusted keys, read by backend_check_signatures */
        struct backend_signature *signatures; /* one per entry when locked down, else NULL */
        size_t n_signatures;
        struct backend_sig_cache *sig_cache;
        size_t n_sig_cache;
        unsigned long sig_reads;  /* kernel images whose signature was read (not cached) */
        struct image_list images; /* the disk images of the last autodetection (images.c) */
        unsigned long loop_attaches, loop_detaches; /* loop devices attached/detached so far (the
                                                       tests' trace follows them) */
        char **unlocked;          /* the mappings backend_unlock() made ("luks-<UUID>") */
        struct backend_key *keys; /* kept for the key hand-over (handover.c) */
        size_t n_keys, cap_keys;
        char **lvm_members; /* the LVM2_member devices the LVs were activated over */
        char **lvm_active;  /* the LVs activated read-only ("vg/lv", lvm-scan.c) */
        char **stick_tried; /* the locked volumes the stick's crypttab was tried on */
        /* the md arrays tried (mdraid-assemble.c): assembled (kname) or why not */
        struct mdraid_list md;
        struct backend_remember remember; /* `remember last` (remember-stick.c) */
        /* Called before each filesystem the configuration search or the autodetection reads
         * (a mount, seconds under emulation): the front end may take a display that appeared
         * and draw meanwhile. It must not release the backend's mounts nor touch its entries. */
        void (*on_scan)(void *userdata, const struct device *d);
        void *on_scan_userdata;
};

/* Reads the kernel command line (opt->cmdline_text or /proc/cmdline). */
int backend_init(struct backend *b, const struct backend_options *opt);
void backend_done(struct backend *b);

/* (Re)reads the device list: the --fs fixtures, or /sys/class/block. *ret_changed tells whether
 * devices came or went. Entries are re-resolved. */
int backend_scan_devices(struct backend *b, bool *ret_changed);

/* Looks for the configuration (kexec_config= first, then every filesystem, removable first),
 * parses it and builds the entries. Returns 1 when found, 0 when not (yet), -errno on errors.
 * Mounts made to look are released again. */
int backend_load_config(struct backend *b);

/* Adds the entries of the configurations found on the filesystems (GRUB 2, GRUB legacy, BLS,
 * syslinux), grouped by device, after those of kexec-loader.conf. Runs from
 * backend_load_config() when autodetection is on (`autodetect on`, or kexec-loader.conf defines
 * no entries), and for the `grub_root` device. A filesystem read by the previous run whose
 * identity (kernel name, UUID, size, ...) did not change is not read again; one that fails (even
 * for want of memory) gives a diagnostic and the others' entries stay. */
int backend_autodetect(struct backend *b);

/* Forgets what autodetection read, so that the next load reads every filesystem again (R). */
void backend_forget_imports(struct backend *b);

/* Disk images (images.c, image.h). backend_images_attach() checks the *.img files the imports
 * found, attaches them to read-only loop devices (as root) and appends their devices (the loop
 * device and its partitions, with image_fs and image_path) to b->devices; it returns how many,
 * or -ENOMEM. backend_images_release() unmounts everything, detaches every loop device and drops
 * their devices from the list (before a new scan and before kexec). backend_images_devices()
 * marks (sysfs) or adds (--fs fixtures) the attached images' devices in a freshly scanned list.
 * backend_image_device(): the image device whose path is spec, or NULL. */
int backend_images_attach(struct backend *b, const struct backend_fs_import *imps, size_t n);
void backend_images_release(struct backend *b);
int backend_images_devices(const struct backend *b, struct device_list *l);
const struct device *backend_image_device(const struct backend *b, const char *spec);

/* Re-resolves every file reference against the current device list. */
void backend_resolve(struct backend *b);
/* The same for one entry that is not in the list (the editor's, src/menu/editor.h). */
void backend_resolve_entry(const struct backend *b, struct boot_entry *e);

/* Builds a boot entry from one kexec-loader.conf entry (also used by the shell). */
int backend_entry_from_config(struct backend *b, const struct config_entry *ce,
                              const char *config_fs, const char *config_file,
                              struct boot_entry *ret);
/* Appends an entry (taking it over; freed on failure). */
int backend_entries_add(struct backend *b, struct boot_entry *e);

/* Why an entry cannot boot now ("UUID=… is not present"), or NULL when it can. malloc'ed. */
char *backend_entry_problem(const struct backend *b, const struct boot_entry *e);
/* Display name of the filesystem of a reference: the device path when resolved, else the spec. */
const char *backend_ref_fs(const struct backend *b, const struct file_ref *r);
int backend_default_entry(const struct backend *b);
int backend_timeout(const struct backend *b); /* seconds, 0 = wait for ever */

/* Progress callback: one line per step ("Mounting /dev/sda1", "Loading the kernel"). */
typedef void (*backend_progress_cb)(void *userdata, bool error, const char *line);

/* Mounts what the entry needs (read-only) and checks its files. On failure, everything mounted
 * is released again and *ret_error says why. */
int backend_prepare(struct backend *b, const struct boot_entry *e, backend_progress_cb cb,
                    void *userdata, struct boot_plan *ret, char **ret_error);

/* Loads a prepared plan with kexec, then releases every mount. On failure nothing stays mounted
 * and *ret_error says why (with the plan's host paths: backend_plan_explain()). After success,
 * call boot_execute(). */
int backend_load(struct backend *b, const struct boot_plan *p, backend_progress_cb cb,
                 void *userdata, char **ret_error);
/* Names the plan's files in *msg as the entry does ("/boot/vmlinuz on /dev/sda1", "casper/vmlinuz
 * in /isos/live.iso on /dev/sda2") instead of where they were read here (a mount point under
 * /run/kexec-loader, /proc/PID/fd/N for a file read out of an ISO image). */
void backend_plan_explain(const struct backend *b, const struct boot_entry *e,
                          const struct boot_plan *p, char **msg);

/* Releases every mount (before kexec, after failures). */
void backend_release(struct backend *b);

/* The root of the filesystem fs (a device path of the list), mounted read-only if it is not: an
 * O_PATH fd inside which its files are read (core/fsread.h), or -errno. The mount is released by
 * backend_release() (an fd still open keeps the filesystem readable, detached). */
int backend_fs_root(struct backend *b, const char *fs);
/* The same for the btrfs subvolume subvol (its path from the top-level subvolume, as openSUSE's
 * btrfs-mount-subvol names it) of the filesystem of the device spec dev: the top level is mounted
 * read-only (mount_acquire_btrfs_top) and subvol is looked up inside it (core/fsread.h). */
int backend_subvol_root(struct backend *b, const char *dev, const char *subvol);
/* The same for a device of b->devices (NULL: -ENODEV), without looking its spec up. */
int backend_device_subvol_root(struct backend *b, const struct device *d, const char *subvol);

/* Unlocks the LUKS volume dev (a device path or kernel name of the list, a locked one) read-only
 * with the passphrase (luks-unlock.h: BLKROSET, read-only dm-crypt mapping "luks-<UUID>", no
 * header or keyslot written), then rescans the devices, so that the mapping (dm-N) is in the list
 * and its filesystem is read like any other by the next backend_load_config(). 0, -EPERM (wrong
 * passphrase: ask again), -ENOENT (no such LUKS device), -EOPNOTSUPP (--fs fixtures), -ENODEV (no
 * device-mapper) or -errno; *ret_error (optional) gets the message to show. flags:
 * BACKEND_UNLOCK_*.
 */
enum {
        /* Keep the key for the hand-over to the target's initramfs (keycpio.h; opt-in per boot,
         * chosen on the unlock screen; off by default). */
        BACKEND_UNLOCK_HANDOVER = 1u << 0,
};
int backend_unlock(struct backend *b, const char *dev, const char *passphrase, size_t len,
                   unsigned flags, char **ret_error);
/* Removes the mappings backend_unlock() made (before kexec: the kernel wipes the keys), and
 * forgets the keys kept for the hand-over. */
void backend_lock_all(struct backend *b);

/* Unlocks the locked LUKS volumes the stick's /kexec-loader/crypttab names, with the key files
 * beside it (stickkeys.c; docs/formats.md "crypttab on the stick"), each volume tried once per
 * run; an entry with x-kexec-loader.handover keeps the key for the hand-over. Rescans the devices
 * when one was unlocked. Runs at the start of backend_load_config(). 0 or -ENOMEM. */
int backend_stick_unlock(struct backend *b);

/* ---- Remembered choices (remember-stick.c; docs/usage.md "Remembered choices") ---- */
/* With `remember last`: when the configuration is the stick's (its filesystem has
 * BACKEND_STICK_MARKER), reads REMEMBER_PATH there (read-only, bounded) and makes the remembered
 * entry the default when it is in the menu (remember_choose(): GRUB's one-time choice first,
 * then the remembered entry, then the configurations' default). Runs at the end of
 * backend_load_config(); fills b->remember. */
void backend_remember_load(struct backend *b);
void backend_remember_done(struct backend *b);
enum backend_remember_result {
        BACKEND_REMEMBER_OFF,         /* no `remember last`: nothing said */
        BACKEND_REMEMBER_WRITTEN,     /* the file was written */
        BACKEND_REMEMBER_WOULD_WRITE, /* dry run (--dry-run, --fs): nothing written */
        BACKEND_REMEMBER_UNCHANGED,   /* the file says so already: not written again */
        BACKEND_REMEMBER_SKIPPED,     /* not on the stick, not a menu entry: nothing written */
        BACKEND_REMEMBER_FAILED,      /* the write failed (the boot goes on) */
};
const char *backend_remember_result_name(enum backend_remember_result r);
/* Right before the jump to e (loaded, every mount released): writes the file on the stick (a
 * read-write mount of the stick's filesystem alone, never a scanned disk; a temporary file,
 * fsync, rename, fsync of the directory; remounted read-only and unmounted again). dry_run (or
 * --fs): nothing is written. *ret_text: the file's text (or NULL); *ret_msg: where, or why not.
 * Returns an enum backend_remember_result. */
int backend_remember_write(struct backend *b, const struct boot_entry *e, bool dry_run,
                           char **ret_text, char **ret_msg);

/* ---- The LUKS key hand-over (handover.c; docs/storage.md "The key hand-over") ---- */
/* Keeps the key that unlocked the volume uuid (mapped as mapping) for the hand-over (a copy,
 * mlock'ed). 0, -EINVAL, -ENOMEM. */
int backend_handover_keep(struct backend *b, const char *uuid, const char *mapping, const void *key,
                          size_t len);
/* Zeroes and forgets the kept key of uuid (NULL: all of them). */
void backend_handover_forget(struct backend *b, const char *uuid);
/* With a key kept, for a prepared plan of e: reads its initrds (initrd.h), and when e needs a
 * kept volume (its command line names it: rd.luks.uuid=, rd.luks.name=, luks.uuid=,
 * cryptdevice=UUID=, root=/dev/mapper/luks-U; its kernel or its root= filesystem is on the
 * mapping or on a device stacked on it; or its initramfs's crypttab has the volume) and the
 * initramfs is one keycpio_detect() knows, puts the hand-over archive in p->append; always sets
 * p->append_note (and tells cb) what was done or why not. Without a kept key nothing happens.
 * 0, or -ENOMEM. */
int backend_handover_prepare(struct backend *b, const struct boot_entry *e, struct boot_plan *p,
                             backend_progress_cb cb, void *ud);

/* LVM (lvm-scan.c): when the LVM2_member devices in l differ from the last ones, the LVs
 * activated over those are deactivated, the plain LVs of the new ones activated read-only
 * (lvm-activate.h) and l read again so that it holds them. Nothing with --fs fixtures or
 * kexec_lvm=0. 0 or -ENOMEM (failures to activate are logged). */
int backend_lvm_scan(struct backend *b, struct device_list *l);
/* Deactivates the LVs backend_lvm_scan() activated (unmounting everything first). */
void backend_lvm_release(struct backend *b);
/* md RAID (mdraid-assemble.c): the arrays of l's md members that no array holds yet and that were
 * not tried before, assembled read-only with mdadm (members BLKROSET first); l is then read
 * again with the arrays' devices. Each array tried is kept in b->md (assembled, or why not) and
 * not tried again until backend_md_release(); an array whose members are not all there yet is
 * tried again at the next scan. Only on real devices as root. Returns the number assembled, or
 * -ENOMEM. */
int backend_md_assemble(struct backend *b, struct device_list *l);
/* Stops one array (mdadm --stop; nothing is written: it is read-only). */
void backend_md_stop(struct backend *b, struct mdraid_array *a);
/* Unmounts everything and stops every array backend_md_assemble() made (before kexec, and before
 * R reads the devices again); forgets the arrays tried. From then on an array with members
 * missing is assembled degraded (before, it waits for them: disks come one by one). */
void backend_md_release(struct backend *b);

/* The LUKS volumes among the devices (libblkid's crypto_LUKS; their headers read, bounded, by
 * luks.c), done again by backend_scan_devices(). 0 or -ENOMEM. */
int backend_luks_scan(struct backend *b);
void backend_luks_done(struct backend *b);
/* Why booting e will ask for the disk's recovery key (a LUKS volume with a systemd-tpm2 token
 * that e's command line names, or, when it names none, one on the disk of e's kernel), or NULL.
 * Malloc'ed. */
char *backend_entry_tpm_warning(const struct backend *b, const struct boot_entry *e);

/* Under lockdown, judges every entry's kernel the way kexec_file_load will (reads the lockdown
 * mode and the trusted keys again, then each kernel's PE signature: a few KB per image, once per
 * file, at most BACKEND_SIG_READS_MAX images per call; filesystems mounted read-only meanwhile and
 * released after). Without lockdown it only forgets the previous marks. 0 or -ENOMEM. */
#define BACKEND_SIG_READS_MAX 256u
int backend_check_signatures(struct backend *b);
/* The judgement of entry idx (by backend_check_signatures), or NULL when none (not locked down,
 * the kernel unresolved or unreadable, or the entries changed since). */
const struct backend_signature *backend_entry_signature(const struct backend *b, size_t idx);
/* Internal (backend.c): forgets the entries' judgements (the entries change), everything. */
void backend_signatures_forget(struct backend *b);
void backend_signatures_done(struct backend *b);
/* The lockdown mode backend_check_signatures found ("integrity", "confidentiality"), or NULL. */
const char *backend_lockdown(const struct backend *b);

/* The `list --json` document. */
void backend_to_json(const struct backend *b, struct json *j);
/* The same with the machine's hardware report as "hardware" (hw NULL: none). */
struct hw_report;
void backend_to_json_hw(const struct backend *b, const struct hw_report *hw, struct json *j);

/* ---- Entries booted through the firmware (firmware.c) ---- */
#define BACKEND_NEEDS_UEFI     "needs UEFI firmware: this machine booted in BIOS mode"
#define BACKEND_FW_SETUP_TITLE "UEFI Firmware Settings"
/* Whether this machine booted via UEFI (opt.fw_sysroot, else /sys: firmware/efi exists). */
bool backend_uefi(const struct backend *b);
/* The efivarfs directory of that sysfs (malloc'ed). */
char *backend_efivars(const struct backend *b);
/* After autodetection: EFI loaders found on an ESP that a configuration's chainloader entry
 * already starts are dropped; under BIOS every firmware entry is marked not bootable
 * (BACKEND_NEEDS_UEFI); on UEFI, when the firmware offers its setup and no entry does,
 * "UEFI Firmware Settings" is appended (not with --fs unless --sysfs names the firmware). */
void backend_firmware_entries(struct backend *b);
/* Writes what makes the next boot start e (an EFI application: BootNext, and a Boot#### option
 * for its file on its partition when none exists; the firmware's setup: OsIndications), through
 * efivarfs; with dry_run nothing is written. *ret_lines (may be NULL): what is (or would be)
 * written. 0, or -errno with *ret_error (malloc'ed, may be NULL) saying why. The caller then
 * releases everything and reboots. */
int backend_firmware_prepare(struct backend *b, const struct boot_entry *e, bool dry_run,
                             char ***ret_lines, char **ret_error);

/* One line per device for the L screen and the shell's `disks`: header then rows. */
char **backend_device_table(const struct backend *b);
