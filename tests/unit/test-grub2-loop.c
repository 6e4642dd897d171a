/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GRUB 2's loopback and (loop)/… paths over a real ISO image made here with xorriso, read
 * through core/isofile.c by the test import_fs; openSUSE's btrfs-mount-subvol over a directory
 * tree laid out as a btrfs top level. */
#include "test.h"
#include "test-run.h"

#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "import-testfs.h"

struct fixture {
        struct testfs t;
        struct import_fs fs;
        struct import_result r;
        char dir[256];
};

static void fx_init(struct fixture *f, const char *name)
{
        *f = (struct fixture){0};
        snprintf(f->dir, sizeof(f->dir), "%s/%s", tmpdir, name);
        mkdir(f->dir, 0755);
        f->t.disks[0] = (struct testfs_disk){.dev = "/dev/sda1", .dir = f->dir};
        f->t.n = 1;
        f->t.self = "/dev/sda1";
        f->fs = testfs_fs(&f->t);
        f->r = (struct import_result){.timeout = -1, .default_index = -1};
}

static int import_cfg(struct fixture *f, const char *name, const char *cfg)
{
        put(name, "boot/grub/grub.cfg", cfg);
        return grub2_import(&f->fs, "/boot/grub/grub.cfg", &f->r);
}

/* name/isos/live.iso: a live ISO (casper layout, loopback.cfg) made with xorriso. */
static bool make_iso(const char *name)
{
        put(name, "isotree/casper/vmlinuz", "KERNEL");
        put(name, "isotree/casper/initrd", "INITRD");
        put(name, "isotree/boot/grub/loopback.cfg",
            "menuentry \"Try Ubuntu\" {\n"
            "  linux /casper/vmlinuz boot=casper iso-scan/filename=${iso_path} quiet\n"
            "  initrd /casper/initrd\n}\n");
        return test_run("command -v xorriso >/dev/null 2>&1") &&
               test_run("cd %s/%s && mkdir -p isos && xorriso -as mkisofs -quiet -R -J -V LIVE "
                        "-o isos/live.iso isotree >/dev/null 2>&1",
                        tmpdir, name);
}

#define ENTRY(f, i) (&(f).r.entries[i])

static void check_iso_file(bool *test_failed, const struct import_file *file, const char *iso,
                           const char *path)
{
        _cleanup_free_ char *dev = NULL, *subvol = NULL, *image = NULL;

        REQUIRE(file->dev);
        CHECK_INTEQ(import_spec_split(file->dev, &dev, &subvol, &image), 0);
        CHECK(!dev); /* the imported filesystem */
        CHECK(!subvol);
        CHECK_STREQ(image, iso);
        CHECK_STREQ(file->path, path);
}

TEST(loopback_paths_read_inside_the_image)
{
        struct fixture f;

        fx_init(&f, "loop");
        if (!make_iso("loop")) {
                printf("# SKIP xorriso is missing\n");
                return;
        }
        CHECK_INTEQ(import_cfg(&f, "loop",
                               "set isofile=/isos/live.iso\n"
                               "menuentry 'Live ISO' {\n"
                               "  loopback loop $isofile\n"
                               "  linux (loop)/casper/vmlinuz boot=casper "
                               "iso-scan/filename=$isofile\n"
                               "  initrd (loop)/casper/initrd\n"
                               "}\n"
                               "menuentry 'root=loop' {\n"
                               "  loopback loop2 /isos/live.iso\n"
                               "  set root=loop2\n"
                               "  if [ -f /casper/vmlinuz ]; then linux /casper/vmlinuz x; fi\n"
                               "  if [ -f /casper/none ]; then initrd /casper/none; fi\n"
                               "}\n"
                               "menuentry 'search inside' {\n"
                               "  search --file --set=r /boot/grub/loopback.cfg\n"
                               "  linux ($r)/casper/vmlinuz found=$r\n"
                               "}\n"
                               "menuentry missing { loopback l /isos/none.iso; linux (l)/k; }\n"
                               "loopback iso /isos/live.iso\n"
                               "set iso_path=/isos/live.iso\n"
                               "export iso_path\n"
                               "set root=(iso)\n"
                               "source /boot/grub/loopback.cfg\n"
                               "loopback -d iso\n"
                               "menuentry deleted { linux (iso)/casper/vmlinuz; }\n"),
                    0);
        REQUIRE(f.r.n == 6);
        check_iso_file(test_failed, &ENTRY(f, 0)->kernel, "/isos/live.iso", "/casper/vmlinuz");
        CHECK_STREQ(ENTRY(f, 0)->cmdline, "boot=casper iso-scan/filename=/isos/live.iso");
        REQUIRE(ENTRY(f, 0)->n_initrds == 1);
        check_iso_file(test_failed, &ENTRY(f, 0)->initrds[0], "/isos/live.iso", "/casper/initrd");
        /* set root=loop2: plain paths and -f tests are read in the image */
        check_iso_file(test_failed, &ENTRY(f, 1)->kernel, "/isos/live.iso", "/casper/vmlinuz");
        CHECK_INTEQ(ENTRY(f, 1)->n_initrds, 0);
        /* search --file finds a file inside a loop device, as GRUB's does */
        check_iso_file(test_failed, &ENTRY(f, 2)->kernel, "/isos/live.iso", "/casper/vmlinuz");
        CHECK_STREQ(ENTRY(f, 2)->cmdline, "found=loop");
        /* the image's own loopback.cfg, sourced with root=(iso): its paths are the image's */
        CHECK_STREQ(ENTRY(f, 4)->title, "Try Ubuntu");
        check_iso_file(test_failed, &ENTRY(f, 4)->kernel, "/isos/live.iso", "/casper/vmlinuz");
        CHECK_STREQ(ENTRY(f, 4)->cmdline, "boot=casper iso-scan/filename=/isos/live.iso quiet");
        CHECK_STREQ(ENTRY(f, 4)->config, "/boot/grub/loopback.cfg");
        CHECK(test_diag_has(&f.r.diags, NULL, NULL, 0, "loopback: /isos/none.iso not found"));
        /* after loopback -d, (iso) is no device any more: a device name like any other */
        CHECK_STREQ(ENTRY(f, 5)->kernel.dev, "iso");
        import_result_done(&f.r);
}

TEST(loopback_bad_images_and_nesting)
{
        struct fixture f;

        fx_init(&f, "loopbad");
        if (!make_iso("loopbad")) {
                printf("# SKIP xorriso is missing\n");
                return;
        }
        put("loopbad", "isos/garbage.iso", "not an image\n");
        CHECK_INTEQ(import_cfg(&f, "loopbad",
                               "loopback g /isos/garbage.iso\n"
                               "if [ -f (g)/casper/vmlinuz ]; then set found=yes; fi\n"
                               "menuentry g { linux (g)/k $found; }\n"
                               "loopback a /isos/live.iso\n"
                               "loopback b (a)/isos/live.iso\n"
                               "loopback\n"
                               "menuentry nested { linux (b)/k; }\n"),
                    0);
        REQUIRE(f.r.n == 2);
        /* an image that is no ISO: its files are absent, the entry lists its path */
        CHECK_STREQ(ENTRY(f, 0)->cmdline, "");
        CHECK(test_diag_has(&f.r.diags, NULL, NULL, 5, "an image inside an image is not read"));
        CHECK(test_diag_has(&f.r.diags, NULL, NULL, 6, "loopback: missing device name"));
        import_result_done(&f.r);
}

TEST(spec_join_and_split)
{
        _cleanup_free_ char *a = import_spec_join("/dev/sda1", NULL, "/x.iso"),
                            *b = import_spec_join(NULL, "@/boot", "/y.iso"),
                            *c = import_spec_join("UUID=1", "@", NULL);
        _cleanup_free_ char *d1 = NULL, *s1 = NULL, *i1 = NULL, *d2 = NULL, *s2 = NULL, *i2 = NULL;
        char bad[] = {'/', 'a', IMPORT_SPEC_SEP, 'b', 0};

        REQUIRE(a && b && c);
        CHECK_INTEQ(import_spec_split(a, &d1, &s1, &i1), 0);
        CHECK_STREQ(d1, "/dev/sda1");
        CHECK(!s1);
        CHECK_STREQ(i1, "/x.iso");
        CHECK_INTEQ(import_spec_split(b, &d2, &s2, &i2), 0);
        CHECK(!d2);
        CHECK_STREQ(s2, "@/boot");
        CHECK_STREQ(i2, "/y.iso");
        CHECK(!import_spec_join("/dev/sda1", NULL, bad));
        {
                char junk[] = {'x', IMPORT_SPEC_SEP, 'z', 'z', IMPORT_SPEC_SEP, 'p', 0};
                char junk2[] = {'x', IMPORT_SPEC_SEP, 'i', 's', 'o', 0};

                CHECK_INTEQ(import_spec_split(junk, NULL, NULL, NULL), -EINVAL);
                CHECK_INTEQ(import_spec_split(junk2, NULL, NULL, NULL), -EINVAL);
        }
}

static void check_subvol_file(bool *test_failed, const struct import_file *file, const char *subvol,
                              const char *path)
{
        _cleanup_free_ char *dev = NULL, *sv = NULL, *image = NULL;

        REQUIRE(file->dev);
        CHECK_INTEQ(import_spec_split(file->dev, &dev, &sv, &image), 0);
        CHECK(!dev);
        CHECK_STREQ(sv, subvol);
        CHECK(!image);
        CHECK_STREQ(file->path, path);
}

/* The fixture is the btrfs top level: "@" is the root subvolume, "@/boot" another one, mounted by
 * btrfs-mount-subvol over the (empty) /boot of the filesystem's default view. */
TEST(btrfs_mount_subvol_reads_the_subvolume)
{
        struct fixture f;

        fx_init(&f, "btrfs");
        put("btrfs", "boot/.keep", "");
        put("btrfs", "@/boot/vmlinuz-6.4", "K");
        put("btrfs", "@/boot/initrd-6.4", "I");
        put("btrfs", "@/boot/grub2/x86_64-efi/extra.cfg",
            "menuentry 'from the module subvolume' { linux /boot/vmlinuz-6.4 m; }\n");
        put("btrfs", "@/boot/grub2/x86_64-efi/.keep", "");
        put("btrfs", "boot/grub2/x86_64-efi/.keep", "");
        CHECK_INTEQ(import_cfg(&f, "btrfs",
                               "set btrfs_relative_path=\"y\"\n"
                               "export btrfs_relative_path\n"
                               "btrfs-mount-subvol ($root) /boot @/boot\n"
                               "menuentry 'openSUSE' {\n"
                               "  if [ -f /boot/vmlinuz-6.4 ]; then set k=/boot/vmlinuz-6.4; fi\n"
                               "  linux $k root=UUID=x rootflags=subvol=@\n"
                               "  initrd /boot/initrd-6.4\n"
                               "}\n"
                               "btrfs-mount-subvol ($root) /boot/grub2/x86_64-efi "
                               "@/boot/grub2/x86_64-efi\n"
                               "source /boot/grub2/x86_64-efi/extra.cfg\n"
                               "btrfs-mount-subvol ($root) /nodir @/boot\n"
                               "btrfs-mount-subvol ($root) /boot @/none\n"
                               "btrfs-mount-subvol ($root) /boot\n"
                               "menuentry 'outside' { linux /vmlinuz; }\n"),
                    0);
        REQUIRE(f.r.n == 3);
        check_subvol_file(test_failed, &ENTRY(f, 0)->kernel, "@/boot", "/vmlinuz-6.4");
        CHECK_STREQ(ENTRY(f, 0)->cmdline, "root=UUID=x rootflags=subvol=@");
        REQUIRE(ENTRY(f, 0)->n_initrds == 1);
        check_subvol_file(test_failed, &ENTRY(f, 0)->initrds[0], "@/boot", "/initrd-6.4");
        /* the longest mounted directory wins: the file is read from the module subvolume */
        CHECK_STREQ(ENTRY(f, 1)->title, "from the module subvolume");
        check_subvol_file(test_failed, &ENTRY(f, 1)->kernel, "@/boot", "/vmlinuz-6.4");
        CHECK(test_diag_has(&f.r.diags, NULL, NULL, 11, "/nodir is not a directory"));
        CHECK(test_diag_has(&f.r.diags, NULL, NULL, 12, "@/none: not a subvolume"));
        CHECK(test_diag_has(&f.r.diags, NULL, NULL, 13, "required <dev> <dir> and <subvol>"));
        /* a path outside every mounted directory stays on the filesystem */
        CHECK(!ENTRY(f, 2)->kernel.dev);
        CHECK_STREQ(ENTRY(f, 2)->kernel.path, "/vmlinuz");
        import_result_done(&f.r);
}

/* The ISO scan runs an ISO file's own configuration with the imported filesystem's spec naming
 * the ISO (dev NULL reads inside it: src/backend/autodetect.c's iso_fs). These read through the
 * test filesystem the same way. */
struct iso_view {
        struct import_fs outer;
        const char *spec;
};

static const char *iso_view_dev(const struct iso_view *v, const char *dev)
{
        return dev ? dev : v->spec;
}

static int iso_view_read(void *ud, const char *dev, const char *path, size_t max, char **ret,
                         size_t *ret_len)
{
        struct iso_view *v = ud;

        return v->outer.read(v->outer.userdata, iso_view_dev(v, dev), path, max, ret, ret_len);
}

static int iso_view_stat(void *ud, const char *dev, const char *path, uint64_t *ret_size)
{
        struct iso_view *v = ud;

        return v->outer.stat(v->outer.userdata, iso_view_dev(v, dev), path, ret_size);
}

static int iso_view_list(void *ud, const char *dev, const char *dir, char ***ret)
{
        struct iso_view *v = ud;

        return v->outer.list(v->outer.userdata, iso_view_dev(v, dev), dir, ret);
}

static char *iso_view_search(void *ud, const char *kind, const char *value)
{
        struct iso_view *v = ud;

        return v->outer.search(v->outer.userdata, kind, value);
}

/* An ISO in a folder with a blank: $root is (loop), never the spec with the ISO's path, so kiwi's
 * `$linux ($root)/boot/…` (openSUSE) is one word; the ISO's own `search --file` finds its marker
 * inside it (GRUB searches loop devices). Before, ($root) split at the blank: "bad path". */
TEST(iso_scan_root_is_loop_for_a_path_with_blanks)
{
        struct fixture f;
        struct iso_view v;
        _cleanup_free_ char *spec = import_spec_join(NULL, NULL, "/my isos/suse live.iso");
        struct import_fs fs;

        fx_init(&f, "isoroot");
        put("isoroot", "isotree/boot/x86_64/loader/linux", "KERNEL");
        put("isoroot", "isotree/boot/x86_64/loader/initrd", "INITRD");
        put("isoroot", "isotree/boot/0x7e8c3b21", "");
        put("isoroot", "isotree/boot/grub2/grub.cfg",
            "search --file --set=root /boot/0x7e8c3b21\n"
            "set linux=linux\nset initrd=initrd\n"
            "menuentry 'openSUSE Live' {\n"
            "  $linux ($root)/boot/x86_64/loader/linux root=live:CDLABEL=X r=$root p=$prefix\n"
            "  $initrd ($root)/boot/x86_64/loader/initrd\n"
            "}\n");
        if (!test_run("command -v xorriso >/dev/null 2>&1") ||
            !test_run(
                    "cd %s/isoroot && mkdir -p 'my isos' && xorriso -as mkisofs -quiet -R -J -V X "
                    "-o 'my isos/suse live.iso' isotree >/dev/null 2>&1",
                    tmpdir)) {
                printf("# SKIP xorriso is missing\n");
                return;
        }
        REQUIRE(spec);
        v = (struct iso_view){.outer = f.fs, .spec = spec};
        fs = (struct import_fs){.userdata = &v,
                                .dev = spec,
                                .read = iso_view_read,
                                .stat = iso_view_stat,
                                .list = iso_view_list,
                                .search = iso_view_search};
        CHECK_INTEQ(grub2_import(&fs, "/boot/grub2/grub.cfg", &f.r), 0);
        CHECK_INTEQ(f.r.diags.n, 0);
        REQUIRE(f.r.n == 1);
        check_iso_file(test_failed, &ENTRY(f, 0)->kernel, "/my isos/suse live.iso",
                       "/boot/x86_64/loader/linux");
        REQUIRE(ENTRY(f, 0)->n_initrds == 1);
        check_iso_file(test_failed, &ENTRY(f, 0)->initrds[0], "/my isos/suse live.iso",
                       "/boot/x86_64/loader/initrd");
        CHECK_STREQ(ENTRY(f, 0)->cmdline, "root=live:CDLABEL=X r=loop p=(loop)/boot/grub2");
        import_result_done(&f.r);
}
