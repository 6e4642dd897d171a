/* SPDX-License-Identifier: GPL-2.0-or-later */
/* import/isofamily.c: each family recognised from its command line word gets its one parameter,
 * nothing when it is already there, nothing for an unknown family (which is said). */
#include "test.h"

#include "import/isofamily.h"

static const struct {
        const char *cmdline, *iso, *uuid;
        const char *family, *add; /* expected; NULL: none */
} cases[] = {
        /* Ubuntu casper */
        {"boot=casper quiet splash ---", "/isos/ubuntu.iso", "U1", "casper",
         "iso-scan/filename=/isos/ubuntu.iso"},
        {"boot=casper iso-scan/filename=/x.iso quiet", "/isos/ubuntu.iso", NULL, "casper", NULL},
        /* dracut live: Fedora's root=live:CDLABEL=…, openSUSE's rd.live.image */
        {"root=live:CDLABEL=Fedora-WS-Live-40 rd.live.image quiet", "/f.iso", NULL, "dracut",
         "iso-scan/filename=/f.iso"},
        {"rd.live.image root=live:LABEL=x", "/o.iso", NULL, "dracut", "iso-scan/filename=/o.iso"},
        /* Anaconda */
        {"inst.stage2=hd:LABEL=CentOS-Stream-9-x86_64-dvd quiet", "/c.iso", NULL, "anaconda",
         "iso-scan/filename=/c.iso"},
        /* Debian live-boot, NixOS */
        {"boot=live components quiet splash", "/my isos/debian live.iso", NULL, "live-boot",
         "findiso=\"/my isos/debian live.iso\""},
        {"boot=live findiso=/d.iso", "/d.iso", NULL, "live-boot", NULL},
        {"init=/nix/store/abc-nixos-system/init root=LABEL=nixos-minimal", "/n.iso", NULL, "nixos",
         "findiso=/n.iso"},
        /* archiso: the filesystem's UUID; nothing without it */
        {"archisobasedir=arch archisosearchuuid=2024-01-01", "/a.iso", "1234-ABCD", "archiso",
         "img_dev=UUID=1234-ABCD img_loop=/a.iso"},
        {"archisobasedir=arch", "/a.iso", NULL, "archiso", NULL},
        {"archisobasedir=arch img_dev=/dev/sda1 img_loop=/a.iso", "/a.iso", "U", "archiso", NULL},
        /* known by the parameter already there: Ubuntu 20.04+ (no boot=casper), Debian live's
         * grub.cfg, archiso's loopback.cfg (img_loop= before archisobasedir= too) */
        {"iso-scan/filename=/u.iso --- quiet splash", "/u.iso", "U", "iso-scan", NULL},
        {"nomodeset findiso=/d.iso quiet", "/d.iso", NULL, "findiso", NULL},
        {"img_dev=UUID=U img_loop=/a.iso archisobasedir=arch", "/a.iso", "U", "archiso", NULL},
        /* …but only the whole key */
        {"iso-scan/filenamex=/u.iso", "/u.iso", NULL, NULL, NULL},
        /* unknown: nothing, no family */
        {"root=/dev/sda1 ro", "/x.iso", "U", NULL, NULL},
        {"", "/x.iso", NULL, NULL, NULL},
        /* a word that only looks like one */
        {"xboot=casper boot=casperx", "/x.iso", NULL, NULL, NULL},
};

TEST(families)
{
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                struct isofamily_result r;

                CHECK_INTEQ(isofamily_param(cases[i].cmdline, cases[i].iso, cases[i].uuid, &r), 0);
                if (!streq_ptr(r.family, cases[i].family) || !streq_ptr(r.add, cases[i].add))
                        printf("# case %zu: %s\n", i, cases[i].cmdline);
                CHECK(streq_ptr(r.family, cases[i].family));
                CHECK(streq_ptr(r.add, cases[i].add));
                isofamily_result_done(&r);
        }
}
