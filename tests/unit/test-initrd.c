/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend/initrd.c and keycpio_newc_scan(): target initrds built here the way the generators
 * lay them out (GNU cpio -H newc, then gzip, zstd, xz, lz4, bzip2 as initramfs-tools, dracut and
 * mkinitcpio compress): an uncompressed early microcode archive followed by a compressed main
 * one; the member names, the crypttab kept, the generator recognised; damaged and hostile
 * input. */
#include "test.h"

#include <stdlib.h>
#include <unistd.h>

#include "backend/initrd.h"
#include "backend/keycpio.h"

#define UUID "2505567a-9e27-4efe-a4d5-15ad146c258b"

static const char *const want[] = {"etc/crypttab", "cryptroot/crypttab"};

/* Runs the shell script in a new temporary directory and reads the file "initrd" it made. */
static int make_initrd(const char *script, char **ret, size_t *ret_len)
{
        char dir[] = "/tmp/test-initrd-XXXXXX";
        _cleanup_free_ char *cmd = NULL, *path = NULL, *rm = NULL;
        int r;

        if (!mkdtemp(dir))
                return -errno;
        cmd = util_asprintf("cd %s && set -e && %s", dir, script);
        path = util_asprintf("%s/initrd", dir);
        rm = util_asprintf("rm -rf %s", dir);
        if (!cmd || !path || !rm)
                return -ENOMEM;
        r = system(cmd) == 0 ? util_read_file(path, 64u << 20, ret, ret_len) : -EIO;
        (void) system(rm);
        return r;
}

/* the early archive: the microcode file dracut and initramfs-tools put first, uncompressed */
#define EARLY                                                  \
        "mkdir -p early/kernel/x86/microcode && echo ucode > " \
        "early/kernel/x86/microcode/GenuineIntel.bin && "      \
        "(cd early && find . | LC_ALL=C sort | cpio --quiet -o -H newc) > initrd && "
/* initramfs-tools' main archive (the marker files, its crypttab), compressed by $1 */
#define ITOOLS(compress)                                                                     \
        "mkdir -p main/conf main/scripts/local-top main/cryptroot && "                       \
        "echo 'MODULES=most' > main/conf/initramfs.conf && touch "                           \
        "main/scripts/local-top/cryptroot "                                                  \
        "&& echo 'sda5_crypt UUID=" UUID " none luks,discard' > main/cryptroot/crypttab && " \
        "(cd main && find . | LC_ALL=C sort | cpio --quiet -o -H newc) | " compress " >> initrd"

static void check_itools(bool *test_failed, const char *compress, const char *name)
{
        _cleanup_free_ char *script = util_asprintf(EARLY ITOOLS("%s"), compress);
        _cleanup_free_ char *buf = NULL;
        struct initrd_info i = {0};
        const char *why = "?";
        size_t len = 0;
        int r;

        REQUIRE(script && make_initrd(script, &buf, &len) == 0);
        r = initrd_scan((const uint8_t *) buf, len, want, 2, &i, &why);
        CHECK_INTEQ(r, 0);
        CHECK(why == NULL);
        CHECK_STREQ(i.compression, name);
        printf("# %s: %zu bytes, %zu members\n", name, len, i.n_names);
        CHECK(strv_contains(i.names, "./kernel/x86/microcode/GenuineIntel.bin") ||
              strv_contains(i.names, "kernel/x86/microcode/GenuineIntel.bin"));
        CHECK(strv_contains(i.names, "./conf/initramfs.conf") ||
              strv_contains(i.names, "conf/initramfs.conf"));
        CHECK_INTEQ(keycpio_detect((const char *const *) i.names, i.n_names),
                    KEYCPIO_GEN_INITRAMFS_TOOLS);
        CHECK(i.files[0] == NULL);
        CHECK_STREQ(i.files[1], "sda5_crypt UUID=" UUID " none luks,discard\n");
        CHECK_INTEQ(i.file_len[1], strlen("sda5_crypt UUID=" UUID " none luks,discard\n"));
        initrd_info_done(&i);
}

TEST(initramfs_tools_zstd)
{
        check_itools(test_failed, "zstd -q -c", "zstd");
}

TEST(initramfs_tools_gzip)
{
        check_itools(test_failed, "gzip -c", "gzip");
}

TEST(initramfs_tools_xz)
{
        /* the kernel's xz decoder wants CRC32 (initramfs-tools: xz --check=crc32) */
        check_itools(test_failed, "xz --check=crc32 -c", "xz");
}

TEST(initramfs_tools_lz4)
{
        /* the kernel reads the legacy lz4 frame (initramfs-tools: lz4 -9 -l) */
        check_itools(test_failed, "lz4 -q -l -c", "lz4");
}

TEST(initramfs_tools_bzip2)
{
        check_itools(test_failed, "bzip2 -c", "bzip2");
}

TEST(dracut_uncompressed)
{
        /* dracut without compression, its etc/crypttab twice: the last copy counts */
        static const char script[] =
                "mkdir -p a/usr/lib/dracut a/etc && touch a/usr/lib/dracut/modules.txt && "
                "echo 'old UUID=x none' > a/etc/crypttab && "
                "(cd a && find . | cpio --quiet -o -H newc) > initrd && "
                "mkdir -p b/etc && echo 'luks-" UUID " UUID=" UUID " none' > b/etc/crypttab && "
                "(cd b && find . | cpio --quiet -o -H newc) >> initrd";
        _cleanup_free_ char *buf = NULL;
        struct initrd_info i = {0};
        size_t len = 0;

        REQUIRE(make_initrd(script, &buf, &len) == 0);
        CHECK_INTEQ(initrd_scan((const uint8_t *) buf, len, want, 2, &i, NULL), 0);
        CHECK(i.compression == NULL);
        CHECK_INTEQ(keycpio_detect((const char *const *) i.names, i.n_names), KEYCPIO_GEN_DRACUT);
        CHECK_STREQ(i.files[0], "luks-" UUID " UUID=" UUID " none\n");
        initrd_info_done(&i);
}

TEST(damaged)
{
        _cleanup_free_ char *script = util_asprintf(EARLY ITOOLS("%s"), "gzip -c");
        _cleanup_free_ char *buf = NULL;
        struct initrd_info i = {0};
        const char *why = NULL;
        size_t len = 0;
        int r;

        REQUIRE(script && make_initrd(script, &buf, &len) == 0);
        /* cut inside the compressed archive: what was read stays, the error says why */
        r = initrd_scan((const uint8_t *) buf, len - 40, want, 2, &i, &why);
        CHECK(r == 0 || ((r == -EBADMSG || r == -EOPNOTSUPP) && why));
        printf("# cut short: %d (%s), %zu members\n", r, why ? why : "-", i.n_names);
        CHECK(i.n_names >= 1); /* the early archive was read */
        initrd_info_done(&i);

        /* not an archive at all */
        memset(buf, 0x5a, 4096);
        r = initrd_scan((const uint8_t *) buf, 4096, want, 2, &i, &why);
        CHECK_INTEQ(r, -EOPNOTSUPP);
        CHECK(why != NULL);
        initrd_info_done(&i);
        /* zeros only: nothing in it */
        memset(buf, 0, 4096);
        CHECK_INTEQ(initrd_scan((const uint8_t *) buf, 4096, want, 2, &i, &why), -EOPNOTSUPP);
        initrd_info_done(&i);
}

static int count_cb(const struct keycpio_member *m, void *userdata)
{
        (void) m;
        (*(size_t *) userdata)++;
        return 0;
}

TEST(newc_hostile)
{
        /* a header of a member "a" with 4 bytes of data, then the trailer */
        char a[] = "070701"
                   "00000001000081A4000000000000000000000001000000000000000400000000"
                   "0000000000000000000000000000000200000000"
                   "a\0"
                   "data";
        size_t n = 0, end = 0;
        struct keycpio c = {0};

        CHECK_INTEQ(keycpio_newc_scan((const uint8_t *) a, sizeof(a) - 1, count_cb, &n, &end), 0);
        CHECK_INTEQ(n, 1);
        CHECK_INTEQ(end, sizeof(a) - 1);
        /* the data runs past the end */
        n = 0;
        CHECK_INTEQ(keycpio_newc_scan((const uint8_t *) a, sizeof(a) - 3, count_cb, &n, &end),
                    -EBADMSG);
        /* a header that is not hex */
        a[20] = 'x';
        CHECK_INTEQ(keycpio_newc_scan((const uint8_t *) a, sizeof(a) - 1, count_cb, &n, &end),
                    -EBADMSG);
        a[20] = '0';
        /* namesize 0, then a name without its NUL */
        memcpy(a + 6 + 8 * 11, "00000000", 8);
        CHECK_INTEQ(keycpio_newc_scan((const uint8_t *) a, sizeof(a) - 1, count_cb, &n, &end),
                    -EBADMSG);
        memcpy(a + 6 + 8 * 11, "00000001", 8);
        CHECK_INTEQ(keycpio_newc_scan((const uint8_t *) a, sizeof(a) - 1, count_cb, &n, &end),
                    -EBADMSG);
        /* a huge filesize */
        memcpy(a + 6 + 8 * 11, "00000002", 8);
        memcpy(a + 6 + 8 * 6, "FFFFFFFF", 8);
        CHECK_INTEQ(keycpio_newc_scan((const uint8_t *) a, sizeof(a) - 1, count_cb, &n, &end),
                    -EBADMSG);

        /* the hand-over archive itself reads back: its members, then the end */
        REQUIRE(keycpio_build(KEYCPIO_GEN_DRACUT, UUID, "pw", 2, NULL, 0, &c) == 0);
        n = 0;
        CHECK_INTEQ(keycpio_newc_scan(c.data, c.len, count_cb, &n, &end), 0);
        CHECK_INTEQ(n, 3); /* etc, secret.key, etc/crypttab */
        CHECK_INTEQ(end, c.len);
        keycpio_done(&c);
}
