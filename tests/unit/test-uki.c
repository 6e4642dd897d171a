/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unified kernel images made here as ukify makes them (objcopy onto Debian's systemd-stub,
 * tests/mkuki): the sections found where objcopy put them, the profiles of a multi-profile image,
 * titles, versions and order as systemd-boot has them, hostile section tables, and the importer
 * over a directory tree (/EFI/Linux, BLS `efi` and `uki` keys). */
#include "test.h"

#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "import-testfs.h"
#include "backend/pesig.h"
#include "import/uki.h"

#define STUB "/usr/lib/systemd/boot/efi/linuxx64.efi.stub"

/* A file of n pseudo-random bytes (seeded: each file differs). */
static char *blob(const char *dir, const char *name, size_t n, unsigned seed)
{
        char *p = util_asprintf("%s/%s", dir, name);
        FILE *f = p ? fopen(p, "w") : NULL;

        if (!f)
                exit(1);
        for (size_t i = 0; i < n; i++) {
                seed = seed * 1103515245u + 12345u;
                fputc((int) (seed >> 16) & 0xff, f);
        }
        fclose(f);
        return p;
}

static char *text(const char *dir, const char *name, const char *content)
{
        test_write(dir, name, content);
        return util_asprintf("%s/%s", dir, name);
}

static unsigned char *slurp(const char *path, size_t *len)
{
        char *d = NULL;

        if (util_read_file(path, 256u << 20, &d, len) < 0)
                return NULL;
        return (unsigned char *) d;
}

static void spit(const char *path, const unsigned char *d, size_t len)
{
        FILE *f = fopen(path, "w");

        if (!f || fwrite(d, 1, len, f) != len || fclose(f) != 0)
                exit(1);
}

static int read_uki(const char *path, struct uki *u, char **why)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);

        return fd < 0 ? -errno : uki_read_fd(fd, u, why);
}

/* Whether part p of the image holds exactly the bytes of file. */
static bool part_is(const char *image, const struct uki_part *p, const char *file)
{
        _cleanup_free_ unsigned char *img = NULL, *want = NULL;
        size_t il = 0, wl = 0;

        img = slurp(image, &il);
        want = slurp(file, &wl);
        return img && want && p->size == wl && p->offset + p->size <= il &&
               memcmp(img + p->offset, want, wl) == 0;
}

/* The file offset of section #i's 40-byte header. */
static size_t section_header(const unsigned char *d, unsigned i)
{
        uint32_t pe = pefile_le32(d + 0x3c);

        return pe + 24 + pefile_le16(d + pe + 20) + 40 * i;
}

static void put32(unsigned char *p, uint32_t v)
{
        p[0] = (unsigned char) v;
        p[1] = (unsigned char) (v >> 8);
        p[2] = (unsigned char) (v >> 16);
        p[3] = (unsigned char) (v >> 24);
}

/* The index of the first section named name. */
static int section_index(const unsigned char *d, const char *name)
{
        uint32_t pe = pefile_le32(d + 0x3c);
        unsigned n = pefile_le16(d + pe + 6);

        for (unsigned i = 0; i < n; i++)
                if (strncmp((const char *) d + section_header(d, i), name, 8) == 0)
                        return (int) i;
        return -1;
}

TEST(single_image_sections)
{
        _cleanup_free_ char *d = test_scratch_subdir("single");
        _cleanup_free_ char *os = text(d, "os-release",
                                       "# made by a test\nNAME=\"Test OS\"\nID=testos\n"
                                       "PRETTY_NAME=\"Test OS 41 (Workstation)\"\n"
                                       "VERSION=\"41 (Workstation)\"\nVERSION_ID=41\n");
        _cleanup_free_ char *cmd = text(d, "cmdline", "  root=UUID=1234 ro\tquiet\n\n");
        _cleanup_free_ char *un = text(d, "uname", "6.12.3-200.fc41.x86_64\n");
        _cleanup_free_ char *k = blob(d, "linux", 300000, 1);
        _cleanup_free_ char *i = blob(d, "initrd", 123457, 2);
        _cleanup_free_ char *uc = blob(d, "ucode", 4099, 3);
        _cleanup_free_ char *img = util_asprintf("%s/a.efi", d), *why = NULL;
        _cleanup_(uki_done) struct uki u = {0};
        const struct uki_profile *p;

        REQUIRE(test_sh("./mkuki %s .osrel=%s .cmdline=%s .uname=%s .linux=%s .initrd=%s "
                        ".ucode=%s",
                        img, os, cmd, un, k, i, uc) == 0);
        REQUIRE(read_uki(img, &u, &why) == 0);
        CHECK(why == NULL);
        REQUIRE(u.n_profiles == 1);
        CHECK(!u.multi);
        p = &u.profiles[0];
        CHECK(p->problem == NULL);
        CHECK(part_is(img, &p->parts[UKI_LINUX], k));
        CHECK(part_is(img, &p->parts[UKI_INITRD], i));
        CHECK(part_is(img, &p->parts[UKI_UCODE], uc));
        CHECK(part_is(img, &p->parts[UKI_OSREL], os));
        CHECK_INTEQ(p->parts[UKI_PROFILE].size, 0);
        CHECK_STREQ(p->title, "Test OS 41 (Workstation)");
        CHECK_STREQ(p->version, "41 (Workstation)");
        CHECK_STREQ(p->sort_key, "testos");
        CHECK_STREQ(p->cmdline, "root=UUID=1234 ro quiet");
        CHECK_STREQ(p->uname, "6.12.3-200.fc41.x86_64");
        CHECK(uki_find_profile(&u, 0) == p);
        CHECK(uki_find_profile(&u, 1) == NULL);
}

TEST(osrel_syntax_and_title_rules)
{
        static const struct {
                const char *osrel, *title, *version, *sort_key;
        } cases[] = {
                /* PRETTY_NAME, else IMAGE_ID, else NAME, else ID (bootspec-fundamental.c) */
                {"NAME=Arch\nID=arch\nBUILD_ID=rolling\n", "Arch", "rolling", "arch"},
                {"ID=debian\nVERSION_ID=13\n", "debian", "13", "debian"},
                {"NAME='My OS'\nID=my\nIMAGE_ID=appliance\nIMAGE_VERSION=7.1\nVERSION_ID=2\n",
                 "appliance", "7.1", "appliance"},
                {"PRETTY_NAME=\"Quoted \\\"name\\\" \\$x\"\nID=q\n", "Quoted \"name\" $x", NULL,
                 "q"},
                {"   PRETTY_NAME=Bare\\ word   \r\nPRETTY_NAME=Last wins\n", "Last wins", NULL,
                 NULL},
        };
        _cleanup_free_ char *d = test_scratch_subdir("osrel");
        _cleanup_free_ char *k = blob(d, "linux", 5000, 4);

        for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
                _cleanup_free_ char *name = util_asprintf("os%zu", c);
                _cleanup_free_ char *os = text(d, name, cases[c].osrel);
                _cleanup_free_ char *img = util_asprintf("%s/%zu.efi", d, c), *why = NULL;
                _cleanup_(uki_done) struct uki u = {0};

                REQUIRE(test_sh("./mkuki %s .osrel=%s .linux=%s", img, os, k) == 0);
                REQUIRE(read_uki(img, &u, &why) == 0);
                REQUIRE(u.n_profiles == 1);
                CHECK_STREQ(u.profiles[0].title, cases[c].title);
                CHECK(streq_ptr(u.profiles[0].version, cases[c].version));
                CHECK(streq_ptr(u.profiles[0].sort_key, cases[c].sort_key));
                CHECK_STREQ(u.profiles[0].cmdline, "");
        }
        {
                /* No name at all, no .osrel, no .linux: each profile says why. */
                _cleanup_free_ char *os = text(d, "noname", "VERSION_ID=3\nHOME_URL=x\n");
                _cleanup_free_ char *a = util_asprintf("%s/noname.efi", d);
                _cleanup_free_ char *b = util_asprintf("%s/noosrel.efi", d);
                _cleanup_free_ char *c = util_asprintf("%s/nolinux.efi", d);
                _cleanup_free_ char *why = NULL;
                struct uki u = {0};

                REQUIRE(test_sh("./mkuki %s .osrel=%s .linux=%s", a, os, k) == 0);
                REQUIRE(test_sh("./mkuki %s .linux=%s", b, k) == 0);
                REQUIRE(test_sh("./mkuki %s .osrel=%s/os0", c, d) == 0);
                REQUIRE(read_uki(a, &u, &why) == 0);
                CHECK(u.profiles[0].title == NULL);
                CHECK(u.profiles[0].problem && strstr(u.profiles[0].problem, "no PRETTY_NAME"));
                uki_done(&u);
                REQUIRE(read_uki(b, &u, &why) == 0);
                CHECK(u.profiles[0].problem && strstr(u.profiles[0].problem, "no .osrel"));
                uki_done(&u);
                REQUIRE(read_uki(c, &u, &why) == 0);
                CHECK_STREQ(u.profiles[0].title, "Arch");
                CHECK(u.profiles[0].problem && strstr(u.profiles[0].problem, "no .linux"));
                uki_done(&u);
        }
}

TEST(multi_profile)
{
        _cleanup_free_ char *d = test_scratch_subdir("multi");
        _cleanup_free_ char *os = text(d, "os",
                                       "PRETTY_NAME=\"Fedora Linux 41\"\nID=fedora\n"
                                       "VERSION_ID=41\n");
        _cleanup_free_ char *cmd = text(d, "cmd", "root=/dev/vda2 quiet");
        _cleanup_free_ char *cmd1 = text(d, "cmd1", "root=/dev/vda2 systemd.unit=rescue.target");
        _cleanup_free_ char *p0 = text(d, "p0", "ID=default\nTITLE=\"Default\"\n");
        _cleanup_free_ char *p1 = text(d, "p1", "ID=rescue\nTITLE=\"Rescue shell\"\n");
        _cleanup_free_ char *p2 = text(d, "p2", "ID=noinitrd\n");
        _cleanup_free_ char *p3 = text(d, "p3", "# no keys\n");
        _cleanup_free_ char *k = blob(d, "linux", 70000, 5);
        _cleanup_free_ char *k3 = blob(d, "linux3", 9000, 6);
        _cleanup_free_ char *i = blob(d, "initrd", 33333, 7);
        _cleanup_free_ char *mask = text(d, "mask", "x");
        _cleanup_free_ char *img = util_asprintf("%s/multi.efi", d), *why = NULL;
        _cleanup_free_ unsigned char *data = NULL;
        _cleanup_(uki_done) struct uki u = {0};
        size_t len = 0;
        int idx;

        REQUIRE(test_sh("./mkuki %s .osrel=%s .cmdline=%s .linux=%s .initrd=%s "
                        "--profile .profile=%s --profile .profile=%s .cmdline=%s "
                        "--profile .profile=%s .initrd=%s --profile .profile=%s .linux=%s",
                        img, os, cmd, k, i, p0, p1, cmd1, p2, mask, p3, k3) == 0);
        /* Profile 2's .initrd masks the base one: systemd-boot takes a section of size 0 as
         * "none" (VirtualSize 0; objcopy cannot add an empty section, so it is patched). */
        REQUIRE((data = slurp(img, &len)) != NULL);
        REQUIRE((idx = section_index(data, ".profile")) >= 0);
        for (int s = idx; s < idx + 8; s++)
                if (strncmp((const char *) data + section_header(data, (unsigned) s), ".initrd",
                            8) == 0)
                        put32(data + section_header(data, (unsigned) s) + 8, 0);
        spit(img, data, len);

        REQUIRE(read_uki(img, &u, &why) == 0);
        CHECK(u.multi);
        REQUIRE(u.n_profiles == 4);
        CHECK_STREQ(u.profiles[0].title, "Fedora Linux 41 (Default)");
        CHECK_STREQ(u.profiles[0].profile_id, "default");
        CHECK_STREQ(u.profiles[0].cmdline, "root=/dev/vda2 quiet");
        CHECK(part_is(img, &u.profiles[0].parts[UKI_LINUX], k));
        CHECK(part_is(img, &u.profiles[0].parts[UKI_INITRD], i));
        CHECK_STREQ(u.profiles[1].title, "Fedora Linux 41 (Rescue shell)");
        CHECK_STREQ(u.profiles[1].cmdline, "root=/dev/vda2 systemd.unit=rescue.target");
        CHECK(part_is(img, &u.profiles[1].parts[UKI_INITRD], i));
        CHECK_STREQ(u.profiles[2].title, "Fedora Linux 41 (noinitrd)");
        CHECK_INTEQ(u.profiles[2].parts[UKI_INITRD].size, 0);
        CHECK_STREQ(u.profiles[2].cmdline, "root=/dev/vda2 quiet");
        CHECK_STREQ(u.profiles[3].title, "Fedora Linux 41 (@3)");
        CHECK(part_is(img, &u.profiles[3].parts[UKI_LINUX], k3));
        for (size_t p = 0; p < u.n_profiles; p++) {
                CHECK(u.profiles[p].problem == NULL);
                CHECK_STREQ(u.profiles[p].version, "41");
        }
}

/* Builds a small image, lets patch change it, and reads it: the return, *why in *ret_why. */
static int hostile(const char *d, const char *name, void (*patch)(unsigned char *, size_t *),
                   char **ret_why)
{
        _cleanup_free_ char *os = text(d, "os", "ID=x\n");
        _cleanup_free_ char *k = blob(d, "linux", 20000, 8);
        _cleanup_free_ char *img = util_asprintf("%s/%s.efi", d, name);
        _cleanup_free_ unsigned char *data = NULL;
        _cleanup_(uki_done) struct uki u = {0};
        size_t len = 0;

        if (test_sh("./mkuki %s .osrel=%s .linux=%s", img, os, k) != 0 ||
            !(data = slurp(img, &len)))
                return -EIO;
        patch(data, &len);
        spit(img, data, len);
        return read_uki(img, &u, ret_why);
}

static void cut_in_half(unsigned char *d, size_t *len)
{
        (void) d;
        *len /= 2;
}

static void linux_over_osrel(unsigned char *d, size_t *len)
{
        size_t l = section_header(d, (unsigned) section_index(d, ".linux"));
        size_t o = section_header(d, (unsigned) section_index(d, ".osrel"));

        (void) len;
        put32(d + l + 20, pefile_le32(d + o + 20));
}

static void many_sections(unsigned char *d, size_t *len)
{
        (void) len;
        d[pefile_le32(d + 0x3c) + 6] = 0x2c; /* 300 */
        d[pefile_le32(d + 0x3c) + 7] = 0x01;
}

static void linux_larger_than_data(unsigned char *d, size_t *len)
{
        size_t l = section_header(d, (unsigned) section_index(d, ".linux"));

        (void) len;
        put32(d + l + 8, pefile_le32(d + l + 16) + 1);
}

static void linux_past_end(unsigned char *d, size_t *len)
{
        size_t l = section_header(d, (unsigned) section_index(d, ".linux"));

        put32(d + l + 20, (uint32_t) *len - 100);
}

static void not_pe(unsigned char *d, size_t *len)
{
        memcpy(d, "#!/bin/sh\n", 10);
        *len = 10;
}

TEST(hostile_section_tables)
{
        static const struct {
                const char *name;
                void (*patch)(unsigned char *, size_t *);
                const char *why;
        } cases[] = {
                {"cut", cut_in_half, "lies past the end of the file"},
                {"overlap", linux_over_osrel, "overlap in the file"},
                {"many", many_sections, "300 sections"},
                {"larger", linux_larger_than_data, "holds only"},
                {"pastend", linux_past_end, "lies past the end of the file"},
                {"notpe", not_pe, "no MZ header"},
        };
        _cleanup_free_ char *d = test_scratch_subdir("hostile");

        for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
                _cleanup_free_ char *why = NULL;
                int r = hostile(d, cases[c].name, cases[c].patch, &why);

                if (r != -EBADMSG || !why || !strstr(why, cases[c].why))
                        printf("# %s: %d %s\n", cases[c].name, r, why ? why : "(no reason)");
                CHECK(r == -EBADMSG);
                CHECK(why && strstr(why, cases[c].why));
        }
        {
                /* A text section over UKI_TEXT_MAX: that profile says so, nothing is read. */
                _cleanup_free_ char *os = text(d, "os", "ID=x\n");
                _cleanup_free_ char *k = blob(d, "linux", 2000, 9);
                _cleanup_free_ char *big = blob(d, "bigcmd", UKI_TEXT_MAX + 1, 10);
                _cleanup_free_ char *img = util_asprintf("%s/big.efi", d), *why = NULL;
                _cleanup_(uki_done) struct uki u = {0};

                REQUIRE(test_sh("./mkuki %s .osrel=%s .linux=%s .cmdline=%s", img, os, k, big) ==
                        0);
                REQUIRE(read_uki(img, &u, &why) == 0);
                CHECK(u.profiles[0].problem && strstr(u.profiles[0].problem, ".cmdline is 65537"));
                CHECK_STREQ(u.profiles[0].cmdline, "");
        }
}

static int import_dir(const char *dir, const char *what, struct import_result *r, bool bls)
{
        struct testfs t = {
                .disks = {{.dev = "/dev/sda1", .dir = dir}}, .n = 1, .self = "/dev/sda1"};
        struct import_fs fs = testfs_fs(&t);

        *r = (struct import_result){.timeout = -1, .default_index = -1};
        return bls ? bls_import(&fs, what, r) : uki_import(&fs, what, r);
}

TEST(import_order_titles_and_odd_files)
{
        _cleanup_free_ char *d = test_scratch_subdir("import");
        _cleanup_free_ char *root = test_scratch_subdir("import/root");
        _cleanup_free_ char *os = text(d, "os",
                                       "PRETTY_NAME=\"Arch Linux\"\nID=arch\n"
                                       "BUILD_ID=rolling\n");
        _cleanup_free_ char *deb = text(d, "deb",
                                        "PRETTY_NAME=\"Debian 13\"\nID=debian\n"
                                        "VERSION_ID=13\n");
        _cleanup_free_ char *c = text(d, "c", "root=/dev/sda2 rw");
        _cleanup_free_ char *k = blob(d, "linux", 10000, 11);
        _cleanup_free_ char *fifo = util_asprintf("%s/EFI/Linux/fifo.efi", root);
        struct import_result r;

        test_write(root, "EFI/Linux/notes.txt", "not an image\n");
        test_write(root, "EFI/Linux/script.EFI", "#!/bin/sh\n");
        REQUIRE(mkdir(fifo, 0755) == 0 || errno == EEXIST); /* a directory named *.efi */
        free(fifo);
        fifo = util_asprintf("%s/EFI/Linux/pipe.efi", root);
        REQUIRE(mkfifo(fifo, 0644) == 0);
        REQUIRE(test_sh("./mkuki %s/EFI/Linux/arch-linux.efi .osrel=%s .cmdline=%s .linux=%s", root,
                        os, c, k) == 0);
        REQUIRE(test_sh("./mkuki %s/EFI/Linux/arch-linux-lts+2-1.EFI .osrel=%s .cmdline=%s "
                        ".linux=%s",
                        root, os, c, k) == 0);
        REQUIRE(test_sh("./mkuki %s/EFI/Linux/debian-6.12.efi .osrel=%s .linux=%s", root, deb, k) ==
                0);
        REQUIRE(test_sh("cp %s %s/EFI/Linux/stub.efi", STUB, root) == 0);

        REQUIRE(import_dir(root, "/EFI/Linux", &r, false) == 0);
        for (size_t i = 0; i < r.n; i++)
                printf("# %s | %s\n", r.entries[i].title, r.entries[i].id);
        for (size_t i = 0; i < r.diags.n; i++)
                printf("# diag %s: %s\n", r.diags.items[i].file, r.diags.items[i].message);
        REQUIRE(r.n == 3);
        /* sort key "arch" before "debian"; same version: id newest first (a '-' segment is a
         * pre-release: "arch-linux-lts" sorts before "arch-linux."), boot counting stripped */
        CHECK_STREQ(r.entries[0].id, "arch-linux.efi");
        CHECK_STREQ(r.entries[1].id, "arch-linux-lts.efi");
        CHECK_STREQ(r.entries[2].id, "debian-6.12.efi");
        /* the same title and version twice: the id makes them unique (systemd-boot) */
        CHECK_STREQ(r.entries[0].title, "Arch Linux (rolling) (arch-linux.efi)");
        CHECK_STREQ(r.entries[1].title, "Arch Linux (rolling) (arch-linux-lts.efi)");
        CHECK_STREQ(r.entries[2].title, "Debian 13");
        CHECK_STREQ(r.entries[1].config, "/EFI/Linux/arch-linux-lts+2-1.EFI");
        CHECK_STREQ(r.entries[1].kernel.path, "/EFI/Linux/arch-linux-lts+2-1.EFI");
        CHECK_STREQ(r.entries[0].kernel.section, ".linux");
        CHECK_STREQ(r.entries[0].cmdline, "root=/dev/sda2 rw");
        CHECK_STREQ(r.entries[2].cmdline, "");
        CHECK_STREQ(r.entries[2].version, "13");
        CHECK(r.entries[0].uki);
        CHECK_INTEQ(r.entries[0].n_initrds, 0);
        CHECK(test_diag_has(&r.diags, NULL, "/EFI/Linux/pipe.efi", 0, "not a regular file"));
        CHECK(test_diag_has(&r.diags, NULL, "/EFI/Linux/script.EFI", 0, "no MZ header"));
        CHECK(test_diag_has(&r.diags, NULL, "/EFI/Linux/stub.efi", 0, "no .osrel"));
        CHECK(!test_diag_has(&r.diags, NULL, NULL, 0, "notes.txt"));
        CHECK_INTEQ(r.diags.n, 3);
        import_result_done(&r);
}

TEST(import_multi_profile_and_versions)
{
        _cleanup_free_ char *d = test_scratch_subdir("importmulti");
        _cleanup_free_ char *root = test_scratch_subdir("importmulti/root");
        _cleanup_free_ char *o1 = text(d, "o1",
                                       "PRETTY_NAME=\"Fedora Linux\"\nID=fedora\n"
                                       "IMAGE_VERSION=41.9\n");
        _cleanup_free_ char *o2 = text(d, "o2",
                                       "PRETTY_NAME=\"Fedora Linux\"\nID=fedora\n"
                                       "IMAGE_VERSION=41.10\n");
        _cleanup_free_ char *p0 = text(d, "p0", "ID=default\n");
        _cleanup_free_ char *p1 = text(d, "p1", "ID=rescue\nTITLE=Rescue\n");
        _cleanup_free_ char *c1 = text(d, "c1", "rescue");
        _cleanup_free_ char *k = blob(d, "linux", 10000, 12);
        _cleanup_free_ char *i = blob(d, "initrd", 1000, 13);
        _cleanup_free_ char *uc = blob(d, "ucode", 100, 14);
        struct import_result r;

        REQUIRE(test_sh("./mkuki %s/EFI/Linux/f-a.efi .osrel=%s .linux=%s .initrd=%s .ucode=%s "
                        "--profile .profile=%s --profile .profile=%s .cmdline=%s",
                        root, o1, k, i, uc, p0, p1, c1) == 0);
        REQUIRE(test_sh("./mkuki %s/EFI/Linux/f-b.efi .osrel=%s .linux=%s", root, o2, k) == 0);
        REQUIRE(import_dir(root, "/EFI/Linux", &r, false) == 0);
        for (size_t n = 0; n < r.n; n++)
                printf("# %s | %s\n", r.entries[n].title, r.entries[n].id);
        REQUIRE(r.n == 3);
        /* version newest first: 41.10 before 41.9; profiles in order */
        CHECK_STREQ(r.entries[0].id, "f-b.efi");
        CHECK_STREQ(r.entries[0].title, "Fedora Linux");
        CHECK_STREQ(r.entries[1].id, "f-a.efi@default");
        CHECK_STREQ(r.entries[1].title, "Fedora Linux (default)");
        CHECK_STREQ(r.entries[2].id, "f-a.efi@rescue");
        CHECK_STREQ(r.entries[2].title, "Fedora Linux (Rescue)");
        CHECK_STREQ(r.entries[2].cmdline, "rescue");
        CHECK_INTEQ(r.entries[2].uki_profile, 1);
        /* .ucode first, then .initrd */
        REQUIRE(r.entries[2].n_initrds == 2);
        CHECK_STREQ(r.entries[2].initrds[0].section, ".ucode");
        CHECK_STREQ(r.entries[2].initrds[1].section, ".initrd");
        CHECK_STREQ(r.entries[2].initrds[1].path, "/EFI/Linux/f-a.efi");
        import_result_done(&r);
}

TEST(bls_efi_and_uki_keys)
{
        _cleanup_free_ char *d = test_scratch_subdir("blsefi");
        _cleanup_free_ char *root = test_scratch_subdir("blsefi/root");
        _cleanup_free_ char *os = text(d, "os", "ID=x\nNAME=X\n");
        _cleanup_free_ char *c = text(d, "c", "from-the-image");
        _cleanup_free_ char *p1 = text(d, "p1", "ID=two\n");
        _cleanup_free_ char *c1 = text(d, "c1", "profile-one");
        _cleanup_free_ char *k = blob(d, "linux", 10000, 15);
        _cleanup_free_ char *i = blob(d, "initrd", 1000, 16);
        struct import_result r;

        REQUIRE(test_sh("./mkuki %s/EFI/Linux/x.efi .osrel=%s .cmdline=%s .linux=%s .initrd=%s "
                        "--profile .profile=%s --profile .profile=%s .cmdline=%s",
                        root, os, c, k, i, p1, p1, c1) == 0);
        REQUIRE(test_sh("cp %s %s/EFI/stub.efi", STUB, root) == 0);
        test_write(root, "loader/entries/a.conf",
                   "title With options\nefi /EFI/Linux/x.efi\noptions root=/dev/x\n"
                   "initrd /extra.img\n");
        test_write(root, "loader/entries/b.conf", "title Own command line\nefi EFI/Linux/x.efi\n");
        test_write(root, "loader/entries/c.conf",
                   "title Profile one\nuki /EFI/Linux/x.efi\nprofile 1\n");
        test_write(root, "loader/entries/d.conf", "title A program\nefi /EFI/stub.efi\n");
        REQUIRE(import_dir(root, "/loader/entries", &r, true) == 0);
        REQUIRE(r.n == 4);
        /* file names newest first: d, c, b, a */
        CHECK_STREQ(r.entries[3].title, "With options");
        CHECK_STREQ(r.entries[3].kernel.section, ".linux");
        CHECK_STREQ(r.entries[3].cmdline, "root=/dev/x");
        REQUIRE(r.entries[3].n_initrds == 2);
        CHECK_STREQ(r.entries[3].initrds[0].section, ".initrd");
        CHECK_STREQ(r.entries[3].initrds[1].path, "/extra.img");
        CHECK(r.entries[3].initrds[1].section == NULL);
        CHECK(r.entries[3].not_bootable == NULL);
        CHECK_STREQ(r.entries[2].cmdline, "from-the-image");
        CHECK_STREQ(r.entries[2].kernel.path, "/EFI/Linux/x.efi");
        CHECK_STREQ(r.entries[1].cmdline, "profile-one");
        CHECK_INTEQ(r.entries[1].uki_profile, 1);
        CHECK_STREQ(r.entries[0].not_bootable, "EFI program");
        CHECK(r.entries[0].kernel.path == NULL);
        import_result_done(&r);
}

TEST(signature_of_the_linux_section)
{
        /* Under lockdown kexec_file_load checks the kernel it loads: the .linux section. Its
         * signature is read there (a real signed PE image, Microsoft-signed shim, as .linux);
         * the image around it is unsigned, as a UKI nobody signed is. */
        static const char shim[] = "/usr/lib/shim/shimx64.efi.signed";
        _cleanup_free_ char *d = test_scratch_subdir("sig");
        _cleanup_free_ char *os = text(d, "os", "ID=x\n");
        _cleanup_free_ char *img = util_asprintf("%s/signed-linux.efi", d), *why = NULL;
        _cleanup_(uki_done) struct uki u = {0};
        _cleanup_close_ int fd = -1;
        struct pesig_info whole = {0}, part = {0}, direct = {0};
        const struct uki_part *p;

        if (access(shim, R_OK) != 0) {
                printf("# %s missing (Debian shim-signed)\n", shim);
                CHECK(false);
                return;
        }
        REQUIRE(test_sh("./mkuki %s .osrel=%s .linux=%s", img, os, shim) == 0);
        REQUIRE((fd = open(img, O_RDONLY | O_CLOEXEC)) >= 0);
        REQUIRE(uki_read_fd(fd, &u, &why) == 0);
        p = &u.profiles[0].parts[UKI_LINUX];
        REQUIRE(pesig_read_fd(fd, &whole) == 0);
        CHECK(whole.state == PESIG_UNSIGNED);
        REQUIRE(pesig_read_fd_part(fd, p->offset, p->size, &part) == 0);
        {
                _cleanup_close_ int sfd = open(shim, O_RDONLY | O_CLOEXEC);

                REQUIRE(sfd >= 0 && pesig_read_fd(sfd, &direct) == 0);
        }
        CHECK(part.state == PESIG_SIGNED);
        CHECK(direct.state == PESIG_SIGNED);
        CHECK(pesig_signer(&part) && streq_ptr(pesig_signer(&part), pesig_signer(&direct)));
        CHECK(pesig_read_fd_part(fd, p->offset, (uint64_t) 1 << 40, &part) == -EINVAL);
        pesig_info_done(&whole);
        pesig_info_done(&part);
        pesig_info_done(&direct);
}
