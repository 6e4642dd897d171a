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
        /* archiso: the filesystem's UUID; nothing without any name of it (no_name) */
        {"archisobasedir=arch archisosearchuuid=2024-01-01", "/a.iso", "1234-ABCD", "archiso",
         "img_dev=UUID=1234-ABCD img_loop=/a.iso"},
        {"archisobasedir=arch", "/a.iso", NULL, "archiso", NULL},
        {"archisobasedir=arch img_dev=/dev/sda1 img_loop=/a.iso", "/a.iso", "U", "archiso", NULL},
        /* known by the parameter already there: Ubuntu 20.04+ (no boot=casper), Debian live's
         * grub.cfg, archiso's loopback.cfg (img_loop= before archisobasedir= too) */
        {"iso-scan/filename=/u.iso --- quiet splash", "/u.iso", "U", "iso-scan", NULL},
        {"nomodeset findiso=/d.iso quiet", "/d.iso", NULL, "findiso", NULL},
        {"img_dev=UUID=U img_loop=/a.iso archisobasedir=arch", "/a.iso", "U", "archiso", NULL},
        /* archiso's forks: img_dev= as a device's path (their hook has no UUID=) */
        {"misobasedir=manjaro misolabel=MANJARO_KDE_2402 quiet splash", "/m.iso", "1234-ABCD",
         "manjaro", "img_dev=/dev/disk/by-uuid/1234-ABCD img_loop=/m.iso"},
        {"misobasedir=manjaro img_dev=/dev/sda1 img_loop=/m.iso", "/m.iso", "U", "manjaro", NULL},
        {"artixbasedir=artix artixlabel=ARTIX_202405", "/x.iso", "U2", "artix",
         "img_dev=/dev/disk/by-uuid/U2 img_loop=/x.iso"},
        {"parabolaisobasedir=parabola parabolaisolabel=PARA", "/p.iso", "U3", "archiso-fork",
         "img_dev=/dev/disk/by-uuid/U3 img_loop=/p.iso"},
        {"kdeisobasedir=kdeos", "/k.iso", "U4", "archiso-fork",
         "img_dev=/dev/disk/by-uuid/U4 img_loop=/k.iso"},
        {"misobasedir=manjaro", "/m.iso", NULL, "manjaro", NULL},
        /* a key that only ends like one: no '=', or nothing before the suffix */
        {"isobasedir=x xisobasedir", "/x.iso", "U", NULL, NULL},
        /* Gentoo's genkernel: cdroot, or cdroot=DEVICE */
        {"root=/dev/ram0 init=/linuxrc dokeymap looptype=squashfs loop=/image.squashfs cdroot "
         "console=tty1",
         "/iso/install-amd64-minimal.iso", NULL, "genkernel",
         "isoboot=/iso/install-amd64-minimal.iso"},
        {"cdroot=/dev/sr0 isoboot=/g.iso", "/g.iso", NULL, "genkernel", NULL},
        {"cdroot_type=squashfs", "/g.iso", NULL, NULL, NULL},
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

                const struct isofamily_fs fs = {.uuid = cases[i].uuid};

                CHECK_INTEQ(isofamily_param(cases[i].cmdline, NULL, cases[i].iso, &fs, &r), 0);
                if (!streq_ptr(r.family, cases[i].family) || !streq_ptr(r.add, cases[i].add))
                        printf("# case %zu: %s\n", i, cases[i].cmdline);
                CHECK(streq_ptr(r.family, cases[i].family));
                CHECK(streq_ptr(r.add, cases[i].add));
                /* the note: archiso with no name of its filesystem, and only then */
                CHECK(r.no_name ==
                      ((streq_ptr(r.family, "archiso") || streq_ptr(r.family, "manjaro")) &&
                       !cases[i].uuid && !strstr(cases[i].cmdline, "img_loop=")));
                isofamily_result_done(&r);
        }
}

/* archiso on a filesystem without a UUID: the /dev/disk/by-label/ link udev makes for its label
 * (encoded as udev encodes it: no blank, no '/', no quote reaches the command line), else the
 * by-partuuid/ link of its partition; with no name at all nothing is added and no_name asks for
 * the note. The other families need no name of the filesystem. */
TEST(archiso_without_uuid)
{
        static const struct {
                const char *uuid, *label, *partuuid, *iso;
                const char *add; /* NULL: nothing, and no_name */
        } archiso[] = {
                {NULL, "STICK", NULL, "/a.iso", "img_dev=/dev/disk/by-label/STICK img_loop=/a.iso"},
                {"", "My Stick/A+B_\"x\"\\\xc3\xa9", NULL, "/my isos/a.iso",
                 "img_dev=/dev/disk/by-label/My\\x20Stick\\x2fA+B_\\x22x\\x22\\x5c\xc3\xa9 "
                 "img_loop=\"/my isos/a.iso\""},
                /* a byte that is no UTF-8 is encoded too */
                {NULL,
                 "a\xff"
                 "b",
                 NULL, "/a.iso", "img_dev=/dev/disk/by-label/a\\xffb img_loop=/a.iso"},
                {NULL, "", "0a1b2c3d-02", "/a.iso",
                 "img_dev=/dev/disk/by-partuuid/0a1b2c3d-02 img_loop=/a.iso"},
                {"1234-ABCD", "STICK", "0a1b2c3d-02", "/a.iso",
                 "img_dev=UUID=1234-ABCD img_loop=/a.iso"},
                {NULL, NULL, NULL, "/a.iso", NULL},
                {"", "", "", "/a.iso", NULL},
        };
        struct isofamily_result r;

        for (size_t i = 0; i < ARRAY_SIZE(archiso); i++) {
                const struct isofamily_fs fs = {
                        .uuid = archiso[i].uuid,
                        .label = archiso[i].label,
                        .partuuid = archiso[i].partuuid,
                };

                CHECK_INTEQ(isofamily_param("archisobasedir=arch", NULL, archiso[i].iso, &fs, &r),
                            0);
                if (!streq_ptr(r.add, archiso[i].add))
                        printf("# case %zu: %s\n", i, r.add ? r.add : "(null)");
                CHECK_STREQ(r.family, "archiso");
                CHECK(streq_ptr(r.add, archiso[i].add));
                CHECK(r.no_name == !archiso[i].add);
                isofamily_result_done(&r);
        }
        CHECK_INTEQ(isofamily_param("archisobasedir=arch", NULL, "/a.iso", NULL, &r), 0);
        CHECK(!r.add && r.no_name);
        isofamily_result_done(&r);
        /* already there: nothing, and no note either */
        CHECK_INTEQ(isofamily_param("archisobasedir=arch img_dev=/dev/sdb1 img_loop=/a.iso", NULL,
                                    "/a.iso", NULL, &r),
                    0);
        CHECK(!r.add && !r.no_name);
        isofamily_result_done(&r);
        /* casper needs no name of the filesystem */
        CHECK_INTEQ(isofamily_param("boot=casper", NULL, "/u.iso", NULL, &r), 0);
        CHECK_STREQ(r.add, "iso-scan/filename=/u.iso");
        CHECK(!r.no_name);
        isofamily_result_done(&r);
}

/* Ubuntu's casper with no word of it on the command line (20.04 and later, a respin's grub.cfg
 * without loopback.cfg): known by the kernel's directory; a word of the command line comes first.
 */
TEST(casper_by_kernel)
{
        static const struct {
                const char *kernel, *family;
        } kernels[] = {
                {"/casper/vmlinuz", "casper"},
                {"(loop)/casper/vmlinuz", "casper"},
                {"($root)/casper/hwe-vmlinuz", "casper"},
                {"casper/vmlinuz", "casper"},
                {"/boot/casper/vmlinuz", "casper"},
                {"/mycasper/vmlinuz", NULL},
                {"/casper", NULL},
                {"/casperx/vmlinuz", NULL},
                {NULL, NULL},
        };
        struct isofamily_result r;

        for (size_t i = 0; i < ARRAY_SIZE(kernels); i++) {
                CHECK_INTEQ(
                        isofamily_param("--- quiet splash", kernels[i].kernel, "/u.iso", NULL, &r),
                        0);
                CHECK(streq_ptr(r.family, kernels[i].family));
                CHECK(streq_ptr(r.add, kernels[i].family ? "iso-scan/filename=/u.iso" : NULL));
                isofamily_result_done(&r);
        }
        CHECK_INTEQ(isofamily_param("boot=live", "/casper/vmlinuz", "/d.iso", NULL, &r), 0);
        CHECK_STREQ(r.family, "live-boot");
        isofamily_result_done(&r);
}

/* The parameter goes before "---" (the installer copies what follows into the installed system)
 * or "--" (init's arguments), else at the end. */
static const struct {
        const char *cmdline, *want;
} inserts[] = {
        {"boot=casper quiet splash ---", "boot=casper quiet splash P ---"},
        {"boot=casper quiet splash --- console=ttyS0",
         "boot=casper quiet splash P --- console=ttyS0"},
        {"boot=live components -- single", "boot=live components P -- single"},
        {"a --- b --- c", "a P --- b --- c"},
        {"boot=casper quiet", "boot=casper quiet P"},
        {"", "P"},
        {"  ", "P"},
        {"---", "P ---"},
        /* words that only look like the separators */
        {"a ---- b", "a ---- b P"},
        {"a -x --b", "a -x --b P"},
        {"a \"x --- y\" b", "a \"x --- y\" b P"},
        {"a x\"y ---\" b", "a x\"y ---\" b P"},
        /* found by fuzz-isofamily: a quote left open would take P into its value */
        {"boot=live \"quiet", "boot=live \"quiet\" P"},
        {"a \"b -- c", "a \"b -- c\" P"},
};

TEST(insert)
{
        for (size_t i = 0; i < ARRAY_SIZE(inserts); i++) {
                _cleanup_free_ char *s = isofamily_insert(inserts[i].cmdline, "P");

                if (!streq_ptr(s, inserts[i].want))
                        printf("# insert %zu: '%s' -> '%s'\n", i, inserts[i].cmdline, s);
                CHECK(streq_ptr(s, inserts[i].want));
        }
        _cleanup_free_ char *s = isofamily_insert(NULL, "iso-scan/filename=/a.iso");
        CHECK(streq_ptr(s, "iso-scan/filename=/a.iso"));
}

/* Found by fuzz-isofamily: the kernel has no escapes, so an ISO path with a '"' (it would open a
 * quote that takes the rest of the line) or a control character (a newline is a blank to the
 * kernel) cannot be handed over: nothing is added and the result says why. A tab or newline in a
 * filesystem UUID does not reach the command line either (encoded as udev encodes names). */
TEST(unwritable_paths)
{
        static const char *const bad[] = {"/a\"b.iso", "/a\nb.iso", "/a\tb.iso", "/\x7f.iso"};
        const struct isofamily_fs fs = {.uuid = "12 34\n"};
        struct isofamily_result r;

        for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
                CHECK_INTEQ(isofamily_param("boot=casper", NULL, bad[i], NULL, &r), 0);
                CHECK_STREQ(r.family, "casper");
                CHECK(r.add == NULL);
                CHECK(r.unwritable);
                isofamily_result_done(&r);
        }
        CHECK_INTEQ(isofamily_param("boot=casper", NULL, "/a b.iso", NULL, &r), 0);
        CHECK_STREQ(r.add, "iso-scan/filename=\"/a b.iso\"");
        CHECK(!r.unwritable);
        isofamily_result_done(&r);
        CHECK_INTEQ(isofamily_param("archisobasedir=arch", NULL, "/a.iso", &fs, &r), 0);
        CHECK_STREQ(r.add, "img_dev=UUID=12\\x2034\\x0a img_loop=/a.iso");
        isofamily_result_done(&r);
}
