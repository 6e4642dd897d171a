/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unified kernel images (UKI, Boot Loader Specification type #2): a systemd-stub PE image with
 * the kernel (.linux), the initrd (.initrd, .ucode), the command line (.cmdline), the OS it boots
 * (.osrel, os-release syntax) and the kernel's version (.uname) as PE sections; with systemd 257
 * multi-profile images, each `.profile` section starts a profile whose sections override the base
 * ones (the sections before the first .profile).
 *
 * Pure and bounded: the section table through core/pefile.h (at most PEFILE_SECTIONS_MAX
 * sections), every section checked against the file (inside it, no two overlapping), the text
 * sections read up to UKI_TEXT_MAX bytes, at most UKI_PROFILES_MAX profiles. Titles, versions and
 * sort keys as systemd-boot makes them (bootspec_pick_name_version_sort_key()). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "../core/pefile.h"

#define UKI_TEXT_MAX     (64u << 10) /* .osrel, .cmdline, .uname, .profile: bytes read at most */
#define UKI_PROFILES_MAX 64

enum uki_part_kind {
        UKI_LINUX,
        UKI_INITRD,
        UKI_UCODE,
        UKI_CMDLINE,
        UKI_OSREL,
        UKI_UNAME,
        UKI_PROFILE,
        UKI_PART_MAX,
};

/* ".linux", ".initrd", … */
extern const char *const uki_part_names[UKI_PART_MAX];
/* The kind of a section name, or -1. */
int uki_part_kind(const char *name);

/* A section's data in the file; size 0: none (absent, or masked by a profile). */
struct uki_part {
        uint64_t offset, size;
};

struct uki_profile {
        unsigned index; /* @N */
        struct uki_part parts[UKI_PART_MAX];
        char *title;      /* as systemd-boot titles it: "Fedora Linux 41 (Recovery)"; NULL when the
                             .osrel names nothing */
        char *version;    /* IMAGE_VERSION, else VERSION, else VERSION_ID, else BUILD_ID; or NULL */
        char *sort_key;   /* IMAGE_ID, else ID; or NULL */
        char *os_id;      /* ID (for the id of the entry), or NULL */
        char *cmdline;    /* .cmdline, control characters as blanks, trimmed; "" without one */
        char *uname;      /* .uname, trimmed, or NULL */
        char *profile_id; /* ID= of the .profile section, or NULL */
        char *problem;    /* why the profile is no bootable entry ("no .linux section"), or NULL */
};

struct uki {
        struct uki_profile *profiles; /* at least one after a successful read */
        size_t n_profiles;
        bool multi;       /* the image has .profile sections */
        size_t n_skipped; /* profiles beyond UKI_PROFILES_MAX, not read */
};

/* Reads the image of size bytes through read. 0 with *ret filled; -EBADMSG with *ret_why
 * (malloc'ed) when it is no PE image or its section table cannot be trusted (a section out of the
 * file, two overlapping); -ENOMEM; another -errno when reading failed. */
int uki_read(pefile_read_fn read, void *userdata, uint64_t size, struct uki *ret, char **ret_why);
/* The same over an open regular file. */
int uki_read_fd(int fd, struct uki *ret, char **ret_why);
void uki_done(struct uki *u);

/* The profile numbered index (@N), or NULL. */
const struct uki_profile *uki_find_profile(const struct uki *u, unsigned index);

/* Parses os-release text (KEY=VALUE lines, shell quoting): the value of key (malloc'ed) or NULL;
 * the last assignment wins. -ENOMEM. */
int uki_osrel_get(const char *text, const char *key, char **ret);
