/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one parameter a live ISO's own initramfs needs to find the ISO file again after kexec
 * (issue 11), recognised from the entry's command line:
 *  - iso-scan/filename=PATH: Ubuntu's casper (boot=casper), dracut's live module (root=live:…,
 *    rd.live.image: Fedora, CentOS, openSUSE), Anaconda (inst.stage2=hd:…);
 *  - findiso=PATH: Debian's live-boot (boot=live), NixOS (init=/nix/store/…);
 *  - img_dev=UUID=<fs uuid> img_loop=PATH: Arch's archiso (archisobasedir=).
 * A command line that already carries one of these parameters is of a known family too (Ubuntu's
 * have no boot=casper since 20.04, only iso-scan/filename= in loopback.cfg).
 * Nothing else is added (an installer may copy its command line into the system it installs),
 * and nothing when the command line already carries the family's parameter. Pure. */
#pragma once

#include <stddef.h>

struct isofamily_result {
        const char *family; /* "casper", "dracut", "anaconda", "live-boot", "nixos", "archiso";
                               "iso-scan", "findiso" when known only by the parameter present;
                               NULL when the command line names no known family */
        char *add;          /* what to append to the command line (malloc'ed), or NULL: nothing */
};

/* The parameter for the ISO file iso_path (its path on its filesystem) on the filesystem whose
 * UUID is fs_uuid (NULL: unknown; archiso then gets nothing) for the command line cmdline.
 * A path with a blank is written in double quotes, as the kernel reads them. 0 or -ENOMEM. */
int isofamily_param(const char *cmdline, const char *iso_path, const char *fs_uuid,
                    struct isofamily_result *ret);
void isofamily_result_done(struct isofamily_result *r);
