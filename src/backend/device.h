/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Block devices and the names people give them.
 *
 * struct device describes one whole disk or partition (from /sys/class/block plus libblkid, or
 * a --fs fixture). Device specs ("/dev/sda1", "sda1", "UUID=…", "LABEL=…", "PARTUUID=…",
 * "PARTLABEL=…", "(hd0,0)", "(hd0,msdos1)", "(hd0,gpt2)") are parsed here and resolved against
 * a device list (GRUB names in grub-devname.h). Parsing and resolving are pure;
 * device_scan_sysfs() is the hardware part. */
#pragma once

#include <stdint.h>

#include "../core/util.h"

struct device {
        char *name;      /* kernel name: "sda1", "nvme0n1p2" */
        char *path;      /* "/dev/sda1" */
        char *disk;      /* whole-disk kernel name ("sda"); equal to name for a whole disk */
        unsigned partno; /* partition number, 0 for a whole disk */
        unsigned major, minor;
        uint64_t size;  /* bytes */
        bool removable; /* removable medium or on USB */
        bool usb;
        char *fstype; /* libblkid TYPE, or NULL */
        char *uuid, *label, *partuuid, *partlabel;
        char *parttype; /* partition type: a GPT type GUID or an MBR "0xef"; NULL unknown */
        char *mountdir; /* fixture (--fs) or already-mounted directory; NULL for a device to mount
                         */
        /* A disk image's loop device or one of its partitions (backend/image.h): the filesystem
         * holding the image file ("/dev/sda1") and its path there; NULL for other devices. */
        char *image_fs, *image_path;
        /* A LUKS volume (fstype "crypto_LUKS") that no mapping holds (sysfs holders/ empty; a
         * --fs fixture of type=crypto_LUKS): listed as locked; backend_unlock() opens it. */
        bool locked;
        /* A device-mapper device's name as the menu shows it (mapname.h): "vg/lv" for an LVM
         * LV, the dm name for others ("luks-<UUID>"); NULL for other devices. */
        char *mapname;
        /* Why the filesystem is never mounted (an NTFS volume a hibernated Windows holds:
         * backend/ntfs-check.h), shown in the device list; NULL for others. */
        char *not_mounted;
        /* The errno of a failed read of the device's first bytes (EIO: a failing disk, a bad
         * sector), found when libblkid's probe failed; 0 for others. Shown in the list. */
        int read_error;
};

struct device_list {
        struct device *items;
        size_t n, cap;
};

void device_done(struct device *d);
void device_list_done(struct device_list *l);
/* Appends a copy of *d (deep copy). */
int device_list_add(struct device_list *l, const struct device *d);
/* Stable order for searching: removable first, then natural name order (sdb2 < sdb10). */
void device_list_sort(struct device_list *l);
/* Whether the device holds no filesystem but other volumes (its fstype is crypto_LUKS,
 * LVM2_member or linux_raid_member): never mounted or searched. */
bool device_is_container(const struct device *d);
const struct device *device_list_find_name(const struct device_list *l, const char *name);

/* Derives disk name and partition number from a kernel name by the kernel's naming rules:
 * "sda1" -> ("sda", 1), "nvme0n1p2" -> ("nvme0n1", 2), "mmcblk0p1" -> ("mmcblk0", 1),
 * "sda" -> ("sda", 0), "sr0" -> ("sr0", 0), "loop0p1" -> ("loop0", 1). */
int device_split_name(const char *name, char **ret_disk, unsigned *ret_partno);

/* Fills a fixture device for "--fs DIR[,dev=/dev/sdXN][,uuid=U][,label=L][,partuuid=P]
 * [,partlabel=PL][,parttype=G][,type=T]". index names it "fs<index>" when dev= is absent. dev=
 * takes
 * "/dev/NAME" or a bare "NAME"; disk and partno then follow device_split_name(). Without dev=,
 * name, path and disk are all "fs<index>" (no /dev node) and partno is 0, so such a fixture is
 * never a GRUB (hdN). Keys are lower-case; an unknown key or an empty value gives -EINVAL. */
int device_from_fs_option(const char *arg, unsigned index, struct device *ret);

enum devspec_kind {
        DEVSPEC_NAME, /* "/dev/sda1" or "sda1" (value is the kernel name "sda1") */
        DEVSPEC_UUID,
        DEVSPEC_LABEL,
        DEVSPEC_PARTUUID,
        DEVSPEC_PARTLABEL,
        DEVSPEC_GRUB, /* "(hd0,0)": grub_disk, grub_part */
};

struct devspec {
        enum devspec_kind kind;
        char *value;    /* kernel name, UUID, label…; for GRUB the text inside the parens */
        char grub_type; /* 'h' (hd), 'f' (fd), 'c' (cd) */
        int grub_disk;  /* N of (hdN,…) */
        int grub_part;  /* 1-based partition number, 0 = whole disk */
};

/* Parses a device spec without fstype prefix. With legacy_numbering, "(hd0,0)" is partition 1
 * (GRUB legacy and kexec-loader.conf); without, "(hd0,1)" is partition 1 (GRUB 2).
 * "(hd0,msdos1)" and "(hd0,gpt2)" are always 1-based. Returns -EINVAL for malformed specs. */
int devspec_parse(const char *s, bool legacy_numbering, struct devspec *ret);
void devspec_done(struct devspec *s);

/* Resolves a spec to a device in l, or NULL: kernel names, UUIDs (case-insensitively), labels,
 * PARTUUIDs and PARTLABELs. GRUB names ("(hd0,1)") need the BIOS disk order and device.map:
 * grub_devname_resolve() in grub-devname.h resolves them (here they give NULL). */
const struct device *devspec_resolve(const struct devspec *s, const struct device_list *l);

/* Scans sysroot/class/block (sysroot normally "/sys") and probes each device with libblkid via
 * devroot/<name> (normally "/dev"). Skips ram*, zram*, empty loop devices and zero-size devices.
 * Does not write to any device. */
int device_scan_sysfs(const char *sysroot, const char *devroot, struct device_list *ret);

/* Whether sysroot/class/block/<name> has holders (sysfs holders/: a dm mapping or an md array
 * over it). 0 (*ret false when there is no such device), or -ENOMEM. */
int device_sysfs_held(const char *sysroot, const char *name, bool *ret);
