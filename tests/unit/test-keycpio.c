/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend/keycpio.c: the generator of an initrd from its member names, the crypttab each
 * generator gets, and the hand-over archive read back by the real cpio tools (GNU cpio and,
 * when installed, libarchive's bsdcpio): names, modes, sizes, contents, padding. */
#include "test.h"

#include <stdlib.h>
#include <unistd.h>

#include "backend/keycpio.h"

#define UUID "2505567a-9e27-4efe-a4d5-15ad146c258b"

TEST(detect)
{
        /* member lists as `cpio -t` prints them for each generator's images (abridged) */
        static const char *const dracut[] = {".",
                                             "early_cpio",
                                             "kernel/x86/microcode/GenuineIntel.bin",
                                             "bin",
                                             "usr/lib/dracut/build-parameter.txt",
                                             "usr/lib/dracut/hooks/pre-mount",
                                             "etc/crypttab"};
        static const char *const dracut_old[] = {"./lib/dracut/modules.txt", "./init"};
        static const char *const itools[] = {".",
                                             "conf",
                                             "conf/initramfs.conf",
                                             "conf/arch.conf",
                                             "scripts",
                                             "scripts/local-top/cryptroot",
                                             "cryptroot/crypttab",
                                             "init"};
        static const char *const mkcpio[] = {"/buildconfig", "/config", "/hooks/udev",
                                             "/hooks/encrypt", "/init_functions"};
        static const char *const mkcpio_sd[] = {
                "buildconfig", "usr/lib/systemd/systemd",
                "usr/lib/systemd/system-generators/systemd-cryptsetup-generator"};
        static const char *const mkcpio_plain[] = {"buildconfig", "hooks/udev", "config"};
        /* a scripts/ directory alone is no initramfs-tools image; "scriptsx" is no scripts/ */
        static const char *const partial[] = {"scripts/init-top", "conf/initramfs.confx"};
        static const char *const near[] = {"conf/initramfs.conf", "scriptsx/a"};
        static const char *const dirs_only[] = {"conf/initramfs.conf", "scripts"};

        CHECK_INTEQ(keycpio_detect(dracut, ARRAY_SIZE(dracut)), KEYCPIO_GEN_DRACUT);
        CHECK_INTEQ(keycpio_detect(dracut_old, ARRAY_SIZE(dracut_old)), KEYCPIO_GEN_DRACUT);
        CHECK_INTEQ(keycpio_detect(itools, ARRAY_SIZE(itools)), KEYCPIO_GEN_INITRAMFS_TOOLS);
        CHECK_INTEQ(keycpio_detect(mkcpio, ARRAY_SIZE(mkcpio)), KEYCPIO_GEN_MKINITCPIO);
        CHECK_INTEQ(keycpio_detect(mkcpio_sd, ARRAY_SIZE(mkcpio_sd)),
                    KEYCPIO_GEN_MKINITCPIO_SYSTEMD);
        /* mkinitcpio without an encrypt hook cannot use a key file */
        CHECK_INTEQ(keycpio_detect(mkcpio_plain, ARRAY_SIZE(mkcpio_plain)), KEYCPIO_GEN_UNKNOWN);
        CHECK_INTEQ(keycpio_detect(partial, ARRAY_SIZE(partial)), KEYCPIO_GEN_UNKNOWN);
        CHECK_INTEQ(keycpio_detect(near, ARRAY_SIZE(near)), KEYCPIO_GEN_UNKNOWN);
        CHECK_INTEQ(keycpio_detect(dirs_only, ARRAY_SIZE(dirs_only)), KEYCPIO_GEN_INITRAMFS_TOOLS);
        CHECK_INTEQ(keycpio_detect(NULL, 0), KEYCPIO_GEN_UNKNOWN);

        CHECK_STREQ(keycpio_gen_name(KEYCPIO_GEN_INITRAMFS_TOOLS), "initramfs-tools");
        CHECK_STREQ(keycpio_gen_name((enum keycpio_gen) 99), "unknown");
}

static void tab_is(bool *test_failed, enum keycpio_gen g, const char *orig, const char *want,
                   const char *want_name)
{
        char *tab = NULL, *name = NULL;

        REQUIRE(keycpio_crypttab(g, orig, orig ? strlen(orig) : 0, UUID, &tab, &name) == 0);
        CHECK_STREQ(tab, want);
        CHECK_STREQ(name, want_name);
        free(tab);
        free(name);
}

TEST(crypttab_per_generator)
{
        /* no crypttab in the target: Heads' line */
        tab_is(test_failed, KEYCPIO_GEN_DRACUT, NULL,
               "luks-" UUID " UUID=" UUID " /secret.key luks\n", "luks-" UUID);
        tab_is(test_failed, KEYCPIO_GEN_MKINITCPIO_SYSTEMD, "",
               "luks-" UUID " UUID=" UUID " /secret.key luks\n", "luks-" UUID);
        /* Fedora's dracut crypttab: the entry gets the key, its name and options stay */
        tab_is(test_failed, KEYCPIO_GEN_DRACUT, "luks-" UUID " UUID=" UUID " none discard\n",
               "luks-" UUID " UUID=" UUID " /secret.key discard\n", "luks-" UUID);
        /* Debian's /cryptroot/crypttab (its own name, upper-case UUID); another volume kept
         * verbatim, a last line without newline gets one */
        tab_is(test_failed, KEYCPIO_GEN_INITRAMFS_TOOLS,
               "# comment\n"
               "sda5_crypt UUID=2505567A-9E27-4EFE-A4D5-15AD146C258B none "
               "luks,discard,keyscript=decrypt_keyctl,tries=3\n"
               "other   UUID=1111 none luks",
               "# comment\n"
               "sda5_crypt UUID=2505567A-9E27-4EFE-A4D5-15AD146C258B "
               "/cryptroot/keyfiles/sda5_crypt.key luks,discard,tries=3\n"
               "other   UUID=1111 none luks\n",
               "sda5_crypt");
        /* a by-uuid path, keyfile-offset/size dropped, an options field left empty: luks */
        tab_is(test_failed, KEYCPIO_GEN_DRACUT,
               "root /dev/disk/by-uuid/" UUID " /etc/k keyfile-offset=4,keyfile-size=32\n",
               "root /dev/disk/by-uuid/" UUID " /secret.key luks\n", "root");
        /* another volume only: kept, the new entry appended */
        tab_is(test_failed, KEYCPIO_GEN_INITRAMFS_TOOLS, "home UUID=1111 none luks\n",
               "home UUID=1111 none luks\n"
               "luks-" UUID " UUID=" UUID " /cryptroot/keyfiles/luks-" UUID ".key luks\n",
               "luks-" UUID);

        /* a NUL byte in the target's crypttab (found by fuzz-keycpio): that line is dropped, the
         * entry is still added */
        {
                static const char nul[] = "a /dev/x none\nb /dev/y\0none\nc /dev/z none";
                char *tab = NULL, *name = NULL;

                REQUIRE(keycpio_crypttab(KEYCPIO_GEN_DRACUT, nul, sizeof(nul) - 1, UUID, &tab,
                                         &name) == 0);
                CHECK_STREQ(tab, "a /dev/x none\nc /dev/z none\nluks-" UUID " UUID=" UUID
                                 " /secret.key luks\n");
                free(tab);
                free(name);
        }
        {
                char *tab = NULL;

                CHECK(keycpio_crypttab(KEYCPIO_GEN_DRACUT, NULL, 0, "x y", &tab, NULL) == -EINVAL);
                CHECK(keycpio_crypttab(KEYCPIO_GEN_DRACUT, NULL, 0, "", &tab, NULL) == -EINVAL);
                CHECK(keycpio_crypttab(KEYCPIO_GEN_UNKNOWN, NULL, 0, UUID, &tab, NULL) == -EINVAL);
                CHECK(!tab);
        }
        CHECK(!keycpio_crypttab_path(KEYCPIO_GEN_MKINITCPIO));
        CHECK_STREQ(keycpio_crypttab_path(KEYCPIO_GEN_INITRAMFS_TOOLS), "cryptroot/crypttab");
}

TEST(pad)
{
        CHECK_INTEQ(keycpio_initrd_pad(0), 0);
        CHECK_INTEQ(keycpio_initrd_pad(1), 511);
        CHECK_INTEQ(keycpio_initrd_pad(512), 0);
        CHECK_INTEQ(keycpio_initrd_pad(1000), 24);
        CHECK_INTEQ(keycpio_initrd_pad((1ull << 33) + 3), 509);
}

TEST(names_refused)
{
        struct keycpio c = {0};

        CHECK(keycpio_add_file(&c, "", 0400, "k", 1) == -EINVAL);
        CHECK(keycpio_add_file(&c, "/abs", 0400, "k", 1) == -EINVAL);
        CHECK(keycpio_add_file(&c, "a/../b", 0400, "k", 1) == -EINVAL);
        CHECK(keycpio_add_file(&c, "a//b", 0400, "k", 1) == -EINVAL);
        CHECK(keycpio_add_dir(&c, "..", 0755) == -EINVAL);
        CHECK(keycpio_add_dir(&c, "a/.", 0755) == -EINVAL);
        CHECK_INTEQ(c.len, 0);
        keycpio_done(&c);
}

/* Writes the archive, lists it with `tool -itv` and extracts it with `tool -idm`; checks the
 * listing's lines and the extracted files. */
static void check_with(bool *test_failed, const char *tool, const struct keycpio *c,
                       const char *key, size_t key_len, const char *key_path, const char *tab_path,
                       const char *want_tab)
{
        char dir[] = "/tmp/test-keycpio-XXXXXX";
        _cleanup_free_ char *arch = NULL, *cmd = NULL, *list = NULL, *got = NULL, *p = NULL;
        size_t n;
        struct stat st;
        FILE *f;

        REQUIRE(mkdtemp(dir));
        arch = util_asprintf("%s/key.cpio", dir);
        REQUIRE(arch);
        f = fopen(arch, "w");
        REQUIRE(f);
        CHECK(fwrite(c->data, 1, c->len, f) == c->len);
        fclose(f);

        /* the listing: `cpio -itv` prints "-r--------   1 root root  …  secret.key" */
        cmd = util_asprintf("cd %s && mkdir x && cd x && %s -itv < ../key.cpio > ../list 2>&1 && "
                            "%s -idm < ../key.cpio 2>>../list",
                            dir, tool, tool);
        REQUIRE(cmd);
        CHECK(system(cmd) == 0);
        p = util_asprintf("%s/list", dir);
        CHECK(util_read_file(p, 1 << 16, &list, &n) == 0);
        free(p);
        p = NULL;
        if (list) {
                CHECK(strstr(list, "-r-------- "));
                CHECK(strstr(list, key_path));
                CHECK(!tab_path || strstr(list, tab_path));
                CHECK(!strstr(list, "TRAILER"));
                printf("# %s -itv:\n", tool);
                for (char *l = strtok(list, "\n"); l; l = strtok(NULL, "\n"))
                        printf("#   %s\n", l);
        }

        p = util_asprintf("%s/x/%s", dir, key_path);
        CHECK(stat(p, &st) == 0);
        CHECK_INTEQ(st.st_mode, S_IFREG | 0400);
        CHECK_INTEQ(st.st_size, key_len);
        CHECK(util_read_file(p, 1 << 16, &got, &n) == 0 && n == key_len && got &&
              memcmp(got, key, key_len) == 0);
        free(p);
        p = NULL;
        free(got);
        got = NULL;
        if (tab_path) {
                p = util_asprintf("%s/x/%s", dir, tab_path);
                CHECK(stat(p, &st) == 0);
                CHECK_INTEQ(st.st_mode, S_IFREG | 0644);
                CHECK(util_read_file(p, 1 << 16, &got, &n) == 0);
                CHECK_STREQ(got, want_tab);
                free(p);
                p = NULL;
        }
        free(cmd);
        cmd = util_asprintf("rm -rf %s", dir);
        if (cmd)
                CHECK(system(cmd) == 0);
}

static void roundtrip(bool *test_failed, enum keycpio_gen g, const char *orig, const char *key_path,
                      const char *tab_path, const char *want_tab)
{
        /* a binary key: a NUL, high bytes, no newline */
        static const char key[] = "\x00\x01k3y\xff\xfe binary key material 0123456789abcdef";
        struct keycpio c = {0};

        REQUIRE(keycpio_build(g, UUID, key, sizeof(key) - 1, orig, orig ? strlen(orig) : 0, &c) ==
                0);
        CHECK_INTEQ(c.len % KEYCPIO_BLOCK, 0);
        CHECK(c.len >= 110 && memcmp(c.data, "070701", 6) == 0);
        /* the padding after the trailer is zeros */
        {
                const char *t = memmem(c.data, c.len, "TRAILER!!!", 11);
                size_t after = t ? (size_t) (t - (const char *) c.data) + 11 : c.len;

                CHECK(t);
                for (size_t i = after; i < c.len; i++)
                        if (c.data[i]) {
                                CHECK(!"non-zero padding");
                                break;
                        }
        }
        check_with(test_failed, "cpio", &c, key, sizeof(key) - 1, key_path, tab_path, want_tab);
        if (system("command -v bsdcpio >/dev/null") == 0)
                check_with(test_failed, "bsdcpio", &c, key, sizeof(key) - 1, key_path, tab_path,
                           want_tab);
        else
                printf("# SKIP bsdcpio (libarchive-tools) is not installed\n");
        keycpio_done(&c);
        CHECK(!c.data && c.len == 0);
}

TEST(archive_dracut)
{
        roundtrip(test_failed, KEYCPIO_GEN_DRACUT, NULL, "secret.key", "etc/crypttab",
                  "luks-" UUID " UUID=" UUID " /secret.key luks\n");
}

TEST(archive_initramfs_tools)
{
        roundtrip(test_failed, KEYCPIO_GEN_INITRAMFS_TOOLS,
                  "sda5_crypt UUID=" UUID " none luks,discard\n",
                  "cryptroot/keyfiles/sda5_crypt.key", "cryptroot/crypttab",
                  "sda5_crypt UUID=" UUID " /cryptroot/keyfiles/sda5_crypt.key luks,discard\n");
}

TEST(archive_mkinitcpio)
{
        roundtrip(test_failed, KEYCPIO_GEN_MKINITCPIO, NULL, "crypto_keyfile.bin", NULL, NULL);
}

TEST(archive_refused)
{
        struct keycpio c = {0};

        CHECK(keycpio_build(KEYCPIO_GEN_UNKNOWN, UUID, "k", 1, NULL, 0, &c) == -EOPNOTSUPP);
        CHECK(keycpio_build(KEYCPIO_GEN_DRACUT, UUID, "k", 0, NULL, 0, &c) == -EINVAL);
        CHECK(keycpio_build(KEYCPIO_GEN_DRACUT, "../x", "k", 1, NULL, 0, &c) == -EINVAL);
        CHECK(!c.data);
}
