/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one parameter a live ISO's own initramfs needs to find the ISO file again after kexec
 * (issue 11), recognised from the entry's command line:
 *  - iso-scan/filename=PATH: Ubuntu's casper (boot=casper, or with no word of it the kernel in a
 *    casper/ directory), dracut's live module (root=live:…, rd.live.image: Fedora, CentOS,
 *    openSUSE), Anaconda (inst.stage2=hd:…);
 *  - findiso=PATH: Debian's live-boot (boot=live), NixOS (init=/nix/store/…);
 *  - img_dev=UUID=<fs uuid> img_loop=PATH: Arch's archiso (archisobasedir=); without a UUID,
 *    img_dev=/dev/disk/by-label/<label> (or by-partuuid/<partition uuid>), the links udev makes
 *    (the name encoded as udev does: "My Stick" is My\x20Stick); with none of them nothing, and
 *    no_name says the ISO may not find its files after boot;
 *  - img_dev=/dev/disk/by-uuid/<fs uuid> img_loop=PATH (else by-label/, by-partuuid/ as above):
 *    archiso's forks, whose hook takes a device's path only: Manjaro (misobasedir=), Artix
 *    (artixbasedir=), and any other …isobasedir= (Parabola, KaOS, Chakra, Hyperbola);
 *  - isoboot=PATH: Gentoo's genkernel (cdroot: Gentoo's media, Pentoo, Sabayon).
 * A command line that already carries one of these parameters is of a known family too (Ubuntu's
 * have no boot=casper since 20.04, only iso-scan/filename= in loopback.cfg).
 * Nothing else is added (an installer may copy its command line into the system it installs),
 * and nothing when the command line already carries the family's parameter. Pure. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct isofamily_result {
        const char *family; /* "casper", "dracut", "anaconda", "live-boot", "nixos", "archiso",
                               "manjaro", "artix", "archiso-fork", "genkernel"; "iso-scan",
                               "findiso" when known only by the parameter present;
                               NULL when the command line names no known family */
        char *add;          /* what to append to the command line (malloc'ed), or NULL: nothing */
        bool no_name;       /* the family needs a name of the filesystem and it has none (archiso
                               and its forks without a UUID, label or partition UUID): nothing
                               added, and the
                               ISO may not find its files after boot */
        bool unwritable;    /* the ISO's path holds a '"' or a control character, which a kernel
                               command line cannot carry: nothing added, and the ISO may not find
                               its files after boot */
};

/* The names of the filesystem holding the ISO file (NULL or "": unknown). */
struct isofamily_fs {
        const char *uuid, *label, *partuuid;
};

/* The parameter for the ISO file iso_path (its path on its filesystem) on the filesystem fs (NULL:
 * no name known) for the command line cmdline of the kernel kernel (its path in the ISO; NULL:
 * unknown). A path with a blank is written in double quotes,
 * as the kernel reads them; a path with a '"' or a control character cannot be
 * written (unwritable). 0 or -ENOMEM. */
int isofamily_param(const char *cmdline, const char *kernel, const char *iso_path,
                    const struct isofamily_fs *fs, struct isofamily_result *ret);
void isofamily_result_done(struct isofamily_result *r);

/* cmdline with the parameter add (isofamily_result.add) in it: before the first "---" word
 * (what follows it, Debian's and Ubuntu's installers copy into the installed system's command
 * line) or "--" (what follows it, the kernel hands to init), else at the end. Quoted words are
 * words; a quote the command line leaves open is closed before add (else the kernel would read
 * add as part of the quoted value). malloc'ed; NULL on ENOMEM. */
char *isofamily_insert(const char *cmdline, const char *add);
