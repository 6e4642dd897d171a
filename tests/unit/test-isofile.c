/* SPDX-License-Identifier: GPL-2.0-or-later */
/* core/isofile.c on real images made here with xorriso: Rock Ridge (symlinks, case), Joliet only,
 * plain ISO 9660 names, reading into memory and into a memfd; hostile images (truncated, a file
 * whose size says 4 GiB, garbage, a directory where a file is asked) stay bounded. Skipped (with
 * a message) where xorriso is missing. */
#include "test.h"
#include "test-run.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/fsread.h"
#include "core/isofile.h"
#include "core/util.h"

static char scratch[] = "/tmp/kl-test-isofile-XXXXXX";
static bool have_xorriso;

static void write_file(const char *path, const char *text, size_t len)
{
        FILE *f = fopen(path, "we");

        if (f) {
                fwrite(text, 1, len, f);
                fclose(f);
        }
}

/* scratch/tree: the files; scratch/rr.iso (Rock Ridge + Joliet), joliet.iso (Joliet only),
 * plain.iso (ISO 9660 level 1 names only). */
__attribute__((constructor)) static void make_images(void)
{
        _cleanup_free_ char *big = malloc(300000);

        if (!mkdtemp(scratch) || !big)
                return;
        have_xorriso = test_run("command -v xorriso >/dev/null 2>&1");
        if (!have_xorriso)
                return;
        for (size_t i = 0; i < 300000; i++)
                big[i] = (char) ('a' + i % 23);
        test_run("cd %s && mkdir -p tree/casper tree/boot/grub tree/Mixed/Case tree/deep/a/b",
                 scratch);
        {
                _cleanup_free_ char *p = util_asprintf("%s/tree/casper/vmlinuz", scratch);
                _cleanup_free_ char *q = util_asprintf("%s/tree/casper/initrd", scratch);
                _cleanup_free_ char *c = util_asprintf("%s/tree/boot/grub/loopback.cfg", scratch);
                _cleanup_free_ char *m = util_asprintf("%s/tree/Mixed/Case/File.Txt", scratch);

                write_file(p, "KERNEL", 6);
                write_file(q, big, 300000);
                write_file(c, "menuentry x {\n}\n", 16);
                write_file(m, "mixed", 5);
        }
        test_run("cd %s/tree && ln -s /casper/vmlinuz vmlinuz && ln -s casper/initrd initrd.rel && "
                 "ln -s ../../casper boot/grub/up && ln -s ../../../../../../casper/vmlinuz far && "
                 "ln -s loop2 loop1 && ln -s loop1 loop2",
                 scratch);
        test_run("cd %s && xorriso -as mkisofs -quiet -R -J -V KL_TEST_RR -o rr.iso tree "
                 ">/dev/null 2>&1",
                 scratch);
        test_run("cd %s && xorriso -as mkisofs -quiet -J -V JOLIET -o joliet.iso tree/casper "
                 ">/dev/null 2>&1",
                 scratch);
        test_run("cd %s && mkdir -p plain/casper && cp tree/casper/vmlinuz plain/casper/ && "
                 "xorriso -as mkisofs -quiet --norock -V PLAIN -o plain.iso plain >/dev/null 2>&1",
                 scratch);
}

__attribute__((destructor)) static void remove_images(void)
{
        if (scratch[0] && !strstr(scratch, "XXXXXX"))
                test_run("rm -rf %s", scratch);
}

static struct isofile *open_image(const char *name)
{
        _cleanup_close_ int root = fsread_root_open(scratch);
        struct isofile *iso = NULL;

        if (root < 0 || isofile_open(root, name, &iso) < 0)
                return NULL;
        return iso;
}

#define SKIP_WITHOUT_XORRISO()                                 \
        do {                                                   \
                if (!have_xorriso) {                           \
                        printf("# SKIP xorriso is missing\n"); \
                        return;                                \
                }                                              \
        } while (0)

TEST(rock_ridge_files_and_dirs)
{
        struct isofile *iso;
        _cleanup_free_ char *data = NULL;
        _cleanup_strv_ char **names = NULL;
        uint64_t size = 0;
        size_t len = 0;

        SKIP_WITHOUT_XORRISO();
        iso = open_image("rr.iso");
        REQUIRE(iso);
        CHECK_STREQ(isofile_label(iso), "KL_TEST_RR");
        CHECK(!isofile_truncated(iso));
        CHECK_INTEQ(isofile_stat(iso, "/casper/vmlinuz", &size), 1);
        CHECK_INTEQ(size, 6);
        CHECK_INTEQ(isofile_stat(iso, "/casper", NULL), 2);
        CHECK_INTEQ(isofile_stat(iso, "/", NULL), 2);
        CHECK_INTEQ(isofile_stat(iso, "", NULL), 2);
        CHECK_INTEQ(isofile_stat(iso, "/deep/a", NULL), 2);
        CHECK_INTEQ(isofile_stat(iso, "/casper/nothing", NULL), 0);
        CHECK_INTEQ(isofile_stat(iso, "/casper/vmlinuz/x", NULL), 0);
        CHECK_INTEQ(isofile_read(iso, "/casper/vmlinuz", 100, &data, &len), 0);
        CHECK_STREQ(data, "KERNEL");
        CHECK_INTEQ(len, 6);
        free(data);
        data = NULL;
        /* Rock Ridge names are exact: another case is another name */
        CHECK_INTEQ(isofile_stat(iso, "/mixed/case/file.txt", NULL), 0);
        CHECK_INTEQ(isofile_read(iso, "/Mixed/Case/File.Txt", 100, &data, &len), 0);
        CHECK_STREQ(data, "mixed");
        CHECK_INTEQ(isofile_list(iso, "/", &names), 0);
        REQUIRE(names);
        CHECK(strv_contains(names, "casper"));
        CHECK(strv_contains(names, "boot"));
        CHECK(strv_contains(names, "vmlinuz"));
        CHECK(!strv_contains(names, "casper/vmlinuz"));
        strv_free(names);
        names = NULL;
        CHECK_INTEQ(isofile_list(iso, "/casper", &names), 0);
        REQUIRE(names);
        CHECK_INTEQ(strv_length(names), 2);
        CHECK_INTEQ(isofile_list(iso, "/casper/vmlinuz", &names), -ENOTDIR);
        CHECK_INTEQ(isofile_list(iso, "/none", &names), -ENOENT);
        isofile_free(iso);
}

TEST(symlinks_resolve_inside_the_image)
{
        struct isofile *iso;
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL;
        uint64_t size = 0;

        SKIP_WITHOUT_XORRISO();
        iso = open_image("rr.iso");
        REQUIRE(iso);
        CHECK_INTEQ(isofile_read(iso, "/vmlinuz", 100, &a, NULL), 0); /* absolute link */
        CHECK_STREQ(a, "KERNEL");
        CHECK_INTEQ(isofile_stat(iso, "/initrd.rel", &size), 1); /* relative link */
        CHECK_INTEQ(size, 300000);
        CHECK_INTEQ(isofile_read(iso, "/boot/grub/up/vmlinuz", 100, &b, NULL), 0);
        CHECK_STREQ(b, "KERNEL");
        /* ".." in a link or a path stops at the image's root */
        CHECK_INTEQ(isofile_read(iso, "/far", 100, &c, NULL), 0);
        CHECK_STREQ(c, "KERNEL");
        CHECK_INTEQ(isofile_read(iso, "/../../casper/./vmlinuz", 100, &d, NULL), 0);
        CHECK_STREQ(d, "KERNEL");
        CHECK_INTEQ(isofile_stat(iso, "/loop1", NULL), 0);
        CHECK_INTEQ(isofile_read(iso, "/loop1", 100, &d, NULL), -ELOOP);
        CHECK_INTEQ(isofile_read(iso, "/casper", 100, &d, NULL), -EISDIR);
        CHECK_INTEQ(isofile_read(iso, "/none", 100, &d, NULL), -ENOENT);
        isofile_free(iso);
}

TEST(reads_are_bounded_and_whole)
{
        struct isofile *iso;
        _cleanup_free_ char *data = NULL;
        _cleanup_close_ int mfd = -1;
        uint64_t size = 0;
        size_t len = 0;
        struct stat st;
        bool same = true;

        SKIP_WITHOUT_XORRISO();
        iso = open_image("rr.iso");
        REQUIRE(iso);
        CHECK_INTEQ(isofile_read(iso, "/casper/initrd", 299999, &data, &len), -EFBIG);
        CHECK(!data);
        CHECK_INTEQ(isofile_read(iso, "/casper/initrd", 300000, &data, &len), 0);
        CHECK_INTEQ(len, 300000);
        for (size_t i = 0; data && i < len; i++)
                same = same && data[i] == (char) ('a' + i % 23);
        CHECK(same);
        mfd = memfd_create("kl-test", MFD_CLOEXEC);
        REQUIRE(mfd >= 0);
        CHECK_INTEQ(isofile_copy(iso, "/initrd.rel", 1 << 20, mfd, &size), 0);
        CHECK_INTEQ(size, 300000);
        CHECK(fstat(mfd, &st) == 0 && st.st_size == 300000);
        CHECK_INTEQ(isofile_copy(iso, "/casper/initrd", 1000, mfd, &size), -EFBIG);
        isofile_free(iso);
}

TEST(joliet_and_plain_names)
{
        struct isofile *iso;
        _cleanup_free_ char *a = NULL, *b = NULL;

        SKIP_WITHOUT_XORRISO();
        iso = open_image("joliet.iso");
        REQUIRE(iso);
        CHECK_STREQ(isofile_label(iso), "JOLIET");
        CHECK_INTEQ(isofile_read(iso, "/vmlinuz", 100, &a, NULL), 0);
        CHECK_STREQ(a, "KERNEL");
        isofile_free(iso);
        /* ISO 9660 names only ("VMLINUZ."): they match in any case, as in GRUB */
        iso = open_image("plain.iso");
        REQUIRE(iso);
        CHECK_INTEQ(isofile_read(iso, "/casper/vmlinuz", 100, &b, NULL), 0);
        CHECK_STREQ(b, "KERNEL");
        CHECK_INTEQ(isofile_stat(iso, "/CASPER", NULL), 2);
        isofile_free(iso);
}

/* A copy of rr.iso cut at len bytes, or with bytes patched. */
static struct isofile *open_mangled(const char *name, off_t cut, off_t patch_at, const void *patch,
                                    size_t patch_len, int *ret_r)
{
        _cleanup_free_ char *src = util_asprintf("%s/rr.iso", scratch),
                            *dst = util_asprintf("%s/%s", scratch, name);
        _cleanup_close_ int root = -1;
        struct isofile *iso = NULL;

        if (!src || !dst || !test_run("cp %s %s", src, dst))
                return NULL;
        if (cut > 0 && truncate(dst, cut) < 0)
                return NULL;
        if (patch) {
                int fd = open(dst, O_WRONLY | O_CLOEXEC);

                if (fd < 0)
                        return NULL;
                if (pwrite(fd, patch, patch_len, patch_at) != (ssize_t) patch_len) {
                        close(fd);
                        return NULL;
                }
                close(fd);
        }
        root = fsread_root_open(scratch);
        *ret_r = isofile_open(root, name, &iso);
        return iso;
}

/* Offset of the first occurrence of needle in the file, or -1. */
static off_t find_bytes(const char *path, const void *needle, size_t n)
{
        _cleanup_free_ char *data = NULL;
        size_t len = 0;

        if (util_read_file(path, 64 << 20, &data, &len) < 0)
                return -1;
        for (size_t i = 0; i + n <= len; i++)
                if (memcmp(data + i, needle, n) == 0)
                        return (off_t) i;
        return -1;
}

TEST(hostile_images_stay_bounded)
{
        _cleanup_free_ char *rr = NULL, *data = NULL;
        struct isofile *iso;
        struct stat st;
        off_t at;
        int r = 0;

        SKIP_WITHOUT_XORRISO();
        rr = util_asprintf("%s/rr.iso", scratch);
        REQUIRE(rr && stat(rr, &st) == 0);
        /* Not an image at all, and an image cut before its volume descriptors */
        {
                _cleanup_free_ char *g = util_asprintf("%s/garbage.iso", scratch);
                _cleanup_close_ int root = fsread_root_open(scratch);

                write_file(g, "this is no ISO image\n", 21);
                iso = NULL;
                CHECK_INTEQ(isofile_open(root, "garbage.iso", &iso), -EMEDIUMTYPE);
                CHECK(!iso);
                CHECK_INTEQ(isofile_open(root, "tree", &iso), -EISDIR);
                CHECK_INTEQ(isofile_open(root, "missing.iso", &iso), -ENOENT);
        }
        iso = open_mangled("cut-early.iso", 16 * 2048 + 100, 0, NULL, 0, &r);
        CHECK(!iso);
        CHECK(r < 0);
        /* Cut in the middle of the big file's data: its volume is larger than the file, so it
         * is not read at all; an image cut after it was opened: the read fails, never a short
         * file */
        at = find_bytes(rr, "abcdefghijklmnopqrstuvw", 23);
        REQUIRE(at > 0);
        iso = open_mangled("cut-data.iso", at + 100000, 0, NULL, 0, &r);
        CHECK(!iso);
        CHECK_INTEQ(r, -EBADMSG);
        iso = open_mangled("cut-later.iso", 0, 0, NULL, 0, &r);
        REQUIRE(iso);
        {
                _cleanup_free_ char *p = util_asprintf("%s/cut-later.iso", scratch);

                REQUIRE(p && truncate(p, at + 100000) == 0);
        }
        CHECK_INTEQ(isofile_read(iso, "/casper/initrd", 1 << 20, &data, NULL), -EIO);
        CHECK(!data);
        isofile_free(iso);
        /* A directory record saying the small kernel is 4 GiB - 1: the size is never trusted,
         * the read stops at the caller's bound (or the image's end) */
        {
                /* both-endian size 6 after the extent: 06 00 00 00 00 00 00 06 */
                static const unsigned char six[] = {6, 0, 0, 0, 0, 0, 0, 6};
                static const unsigned char huge[] = {0xff, 0xff, 0xff, 0xff,
                                                     0xff, 0xff, 0xff, 0xff};

                at = find_bytes(rr, six, sizeof(six));
                REQUIRE(at > 0);
                iso = open_mangled("huge-size.iso", 0, at, huge, sizeof(huge), &r);
                if (iso) {
                        size_t len = 0;

                        /* refused, cut short by the image's end, or dropped from the tree */
                        r = isofile_read(iso, "/casper/vmlinuz", 1 << 20, &data, &len);
                        CHECK(r == -EFBIG || r == -EIO || r == -ENOENT ||
                              (r == 0 && len <= (1 << 20)));
                        free(data);
                        data = NULL;
                        isofile_free(iso);
                }
        }
}

/* ---- Volume descriptors crafted here (no xorriso needed) ----
 * A minimal ISO 9660 image of 40 sectors: the primary volume descriptor at 16, a Joliet
 * supplementary one at 17 (when asked), the terminator, an empty root directory at 20 (and 21
 * for Joliet). The fields are ECMA-119's; each test spoils one of them. */
#define CRAFT_SECTORS 40

struct craft {
        uint32_t volume_blocks, root_size, block_size, path_table_size, path_table_l;
        uint32_t joliet_root_size; /* 0: no Joliet descriptor */
        bool root_size_endian_mismatch;
};

static void put_both32(unsigned char *p, uint32_t v)
{
        for (int i = 0; i < 4; i++) {
                p[i] = (unsigned char) (v >> (8 * i));
                p[7 - i] = (unsigned char) (v >> (8 * i));
        }
}

static void put_both16(unsigned char *p, uint16_t v)
{
        p[0] = p[3] = (unsigned char) v;
        p[1] = p[2] = (unsigned char) (v >> 8);
}

/* A directory record of 34 bytes (name: one byte) at p. */
static void put_dirrec(unsigned char *p, uint32_t extent, uint32_t size, unsigned char name)
{
        p[0] = 34;
        put_both32(p + 2, extent);
        put_both32(p + 10, size);
        p[25] = 2; /* a directory */
        put_both16(p + 28, 1);
        p[32] = 1;
        p[33] = name;
}

static void put_vd(unsigned char *vd, unsigned char type, const struct craft *c, uint32_t root,
                   uint32_t root_size)
{
        vd[0] = type;
        memcpy(vd + 1, "CD001", 5);
        vd[6] = 1;
        memset(vd + 8, ' ', 64);
        memcpy(vd + 40, "CRAFTED", 7);
        put_both32(vd + 80, c->volume_blocks);
        if (type == 2)
                memcpy(vd + 88, "%/E", 3); /* Joliet, UCS-2 level 3 */
        put_both16(vd + 120, 1);
        put_both16(vd + 124, 1);
        put_both16(vd + 128, (uint16_t) c->block_size);
        put_both32(vd + 132, c->path_table_size);
        vd[140] = (unsigned char) c->path_table_l; /* little-endian */
        vd[151] = (unsigned char) c->path_table_l; /* big-endian */
        put_dirrec(vd + 156, root, root_size, 0);
        if (c->root_size_endian_mismatch)
                vd[156 + 14] ^= 0x10;
        vd[881] = 1;
}

static int open_crafted(const char *name, const struct craft *c, struct isofile **ret)
{
        _cleanup_free_ unsigned char *img = calloc(CRAFT_SECTORS, 2048);
        _cleanup_free_ char *path = util_asprintf("%s/%s", scratch, name);
        _cleanup_close_ int root = -1;
        unsigned char *s;

        if (!img || !path)
                return -ENOMEM;
        put_vd(img + 16 * 2048, 1, c, 20, c->root_size);
        s = img + 17 * 2048;
        if (c->joliet_root_size) {
                put_vd(s, 2, c, 21, c->joliet_root_size);
                s += 2048;
        }
        s[0] = 255;
        memcpy(s + 1, "CD001", 5);
        s[6] = 1;
        for (uint32_t d = 20; d <= 21; d++) {
                put_dirrec(img + d * 2048, d, 2048, 0);
                put_dirrec(img + d * 2048 + 34, 20, 2048, 1);
        }
        write_file(path, (const char *) img, CRAFT_SECTORS * 2048);
        root = fsread_root_open(scratch);
        return isofile_open(root, name, ret);
}

static double now(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* libarchive reads the root directory in one buffer of the size its record says (fuzz-iso found
 * malloc(4278192128) from a root of 0xff000800 bytes) and directories up to the volume's end: the
 * descriptors are checked against the file before it sees them, and a hostile one is refused at
 * once with -EBADMSG. The same image with sane fields opens, so each refusal is the field's. */
TEST(hostile_volume_descriptors_are_refused)
{
        const struct craft sane = {.volume_blocks = CRAFT_SECTORS,
                                   .root_size = 2048,
                                   .block_size = 2048,
                                   .path_table_size = 10,
                                   .path_table_l = 19};
        struct {
                const char *what;
                struct craft c;
        } bad[] = {
                {"root 0xff000800 bytes (the fuzz finding)", sane},
                {"volume of 2^31-1 blocks", sane},
                {"volume one block larger than the file", sane},
                {"block size 512", sane},
                {"block size 0", sane},
                {"root past the volume", sane},
                {"root size halves disagree", sane},
                {"path table past the volume", sane},
                {"Joliet root of 0xff000800 bytes", sane},
        };
        struct isofile *iso = NULL;
        _cleanup_strv_ char **names = NULL;

        bad[0].c.root_size = 0xff000800;
        bad[1].c.volume_blocks = 0x7fffffff;
        bad[2].c.volume_blocks = CRAFT_SECTORS + 1;
        bad[3].c.block_size = 512;
        bad[4].c.block_size = 0;
        bad[5].c.root_size = (CRAFT_SECTORS - 20) * 2048 + 1;
        bad[6].c.root_size_endian_mismatch = true;
        bad[7].c.path_table_size = CRAFT_SECTORS * 2048;
        bad[8].c.joliet_root_size = 0xff000800;

        CHECK_INTEQ(open_crafted("sane.iso", &sane, &iso), 0);
        REQUIRE(iso);
        CHECK_STREQ(isofile_label(iso), "CRAFTED");
        CHECK_INTEQ(isofile_list(iso, "/", &names), 0);
        CHECK(names && !names[0]);
        iso = isofile_free(iso);
        {
                struct craft j = sane;

                j.joliet_root_size = 2048;
                CHECK_INTEQ(open_crafted("sane-joliet.iso", &j, &iso), 0);
                CHECK(iso);
                iso = isofile_free(iso);
        }
        for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
                double t = now();
                int r = open_crafted("hostile.iso", &bad[i].c, &iso);

                if (r != -EBADMSG || iso || now() - t > 1.0)
                        printf("# %s: %d in %.3f s\n", bad[i].what, r, now() - t);
                CHECK_INTEQ(r, -EBADMSG);
                CHECK(!iso);
                CHECK(now() - t < 1.0);
        }
        CHECK_STREQ(isofile_strerror(-EBADMSG),
                    "its volume descriptors do not fit the file (cut short or damaged)");
}

/* A UDF-only image (mkudffs, udftools): libarchive has no UDF reader, so it is no image here:
 * -ISOFILE_EUDF (said as such: the ISO scan lists it as unreadable, with that reason), never a
 * crash or a partial tree (docs/formats.md). */
TEST(udf_only_image_is_not_read)
{
        _cleanup_close_ int root = -1;
        struct isofile *iso = NULL;

        if (!test_run("command -v mkudffs >/dev/null 2>&1")) {
                printf("# SKIP mkudffs (udftools) is missing\n");
                return;
        }
        REQUIRE(test_run("cd %s && rm -f udf.img && truncate -s 4M udf.img && "
                         "mkudffs --media-type=hd --label=UDFONLY udf.img >/dev/null 2>&1",
                         scratch));
        root = fsread_root_open(scratch);
        CHECK_INTEQ(isofile_open(root, "udf.img", &iso), -ISOFILE_EUDF);
        CHECK(!iso);
        CHECK(strstr(isofile_strerror(-ISOFILE_EUDF), "UDF") != NULL);
}

/* The UDF volume recognition sequence written by hand (BEA01, NSR03, TEA01 from 32 KiB, a
 * descriptor per 2048 bytes): a UDF image; the same with the NSR descriptor gone is just no
 * image (-EMEDIUMTYPE), as are zeros. */
TEST(udf_recognised_by_its_volume_recognition_sequence)
{
        static const char *const seqs[][3] = {{"BEA01", "NSR03", "TEA01"},
                                              {"BEA01", "NSR02", "TEA01"},
                                              {"BEA01", "TEA01", NULL},
                                              {NULL, NULL, NULL}};
        static const int want[] = {-ISOFILE_EUDF, -ISOFILE_EUDF, -EMEDIUMTYPE, -EMEDIUMTYPE};
        _cleanup_free_ unsigned char *img = calloc(1, 64 << 10);

        REQUIRE(img);
        for (size_t i = 0; i < ARRAY_SIZE(seqs); i++) {
                _cleanup_free_ char *p = util_asprintf("%s/vrs.img", scratch);
                _cleanup_close_ int fd = -1;
                struct isofile *iso = NULL;

                memset(img, 0, 64 << 10);
                for (size_t k = 0; k < 3 && seqs[i][k]; k++) {
                        memcpy(img + 32768 + k * 2048 + 1, seqs[i][k], 5);
                        img[32768 + k * 2048 + 6] = 1;
                }
                REQUIRE(p);
                fd = open(p, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
                REQUIRE(fd >= 0);
                REQUIRE(write(fd, img, 64 << 10) == 64 << 10);
                CHECK_INTEQ(isofile_open_fd(fd, &iso), want[i]);
                CHECK(!iso);
        }
}
