/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GRUB device names: device.map files, the BIOS-like order of whole disks, and the resolution of
 * "(hdN,M)", "(fdN)", "(cdN)" against a device list, plus every other device spec (through
 * devspec_resolve()). Pure logic.
 *
 * Layering: device.h (devices, specs) <- config.h (kexec-loader.conf checks specs with
 * devspec_parse()) <- grub-devname.h (the GRUB disk order is the config's grub_first, device.map
 * diagnostics use struct config_source) <- backend. */
#pragma once

#include "config.h"
#include "device.h"

/* device.map: "(hd0) /dev/sda" lines, '#' comments. */
struct grub_devmap_entry {
        char *grub;   /* "hd0" (no parens) */
        char *device; /* "/dev/sda" */
};
struct grub_devmap {
        struct grub_devmap_entry *items;
        size_t n, cap;
};
int grub_devmap_parse(const char *text, const struct config_source *src, struct grub_devmap *ret,
                      struct diag_list *diags);
void grub_devmap_done(struct grub_devmap *m);

/* Resolves a spec to a device in l, or NULL. GRUB names use map first (may be NULL), then the
 * BIOS-like order of whole disks: with CONFIG_GRUB_FIRST_HDX hd*, sd*, vd*, xvd*, nvme*,
 * mmcblk*; with SDX sd* first; natural name order within a class; fixed disks before removable
 * ones (the config was written when the installed disk was hd0); CD drives (sr*) are not hd.
 * Other specs resolve as with devspec_resolve(). */
const struct device *grub_devname_resolve(const struct devspec *s, const struct device_list *l,
                                          const struct grub_devmap *map,
                                          enum config_grub_first order);

/* Convenience: parse + resolve a "[fstype:]spec" string (legacy numbering). */
const struct device *grub_devname_resolve_string(const char *spec, const struct device_list *l,
                                                 const struct grub_devmap *map,
                                                 enum config_grub_first order);
