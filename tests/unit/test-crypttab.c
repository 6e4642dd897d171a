/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend/crypttab.c: the examples of Debian's crypttab(5) and systemd's crypttab(5), what
 * installers write (Debian, Fedora, Heads), and hostile lines. */
#include "test.h"

#include <errno.h>
#include <stdlib.h>

#include "backend/crypttab.h"

static void parse(bool *test_failed, struct crypttab *t, struct diag_list *d, const char *text)
{
        *t = (struct crypttab){0};
        *d = (struct diag_list){0};
        CHECK(crypttab_parse(t, text, strlen(text), "/dev/sdb1", "/kexec-loader/crypttab", d) == 0);
}

TEST(debian_examples)
{
        struct crypttab t;
        struct diag_list d;
        const struct crypttab_entry *e;

        parse(test_failed, &t, &d,
              "# <target name>\t<source device>\t\t<key file>\t<options>\n"
              "sda5_crypt UUID=2B8E1C4A-0D3F-4C7E-9A1B-5F6E7D8C9A0B none luks,discard\n"
              "\n"
              "cswap\t/dev/sda6\t/dev/urandom\tcipher=aes-xts-plain64,size=256,hash=sha1,swap\n"
              "vol /dev/sdb none tcrypt\n"
              "cryptroot /dev/sda2 /dev/disk/by-label/keys:/root.key:10 luks,keyscript=passdev\n"
              "home UUID=11111111-2222-3333-4444-555555555555 /etc/keys/home.key "
              "luks,tries=3,keyscript=/lib/cryptsetup/scripts/decrypt_keyctl\n");
        CHECK_INTEQ(d.n, 0);
        REQUIRE(t.n == 5);

        e = &t.items[0];
        CHECK_STREQ(e->name, "sda5_crypt");
        CHECK_INTEQ(e->line, 2);
        CHECK_INTEQ(e->dev_kind, CRYPTTAB_DEV_UUID);
        CHECK_STREQ(e->device, "2B8E1C4A-0D3F-4C7E-9A1B-5F6E7D8C9A0B");
        CHECK_INTEQ(e->key_kind, CRYPTTAB_KEY_ASK);
        CHECK(!e->key_path);
        CHECK_INTEQ(e->type, CRYPTTAB_TYPE_LUKS);
        CHECK_INTEQ(e->flags, CRYPTTAB_OPT_DISCARD);
        CHECK_INTEQ(e->tries, -1);
        /* UUIDs match without case */
        CHECK(crypttab_find_device(&t, CRYPTTAB_DEV_UUID, "2b8e1c4a-0d3f-4c7e-9a1b-5f6e7d8c9a0b") ==
              e);
        CHECK(!crypttab_find_device(&t, CRYPTTAB_DEV_PARTUUID,
                                    "2b8e1c4a-0d3f-4c7e-9a1b-5f6e7d8c9a0b"));

        e = &t.items[1];
        CHECK_STREQ(e->name, "cswap");
        CHECK_INTEQ(e->dev_kind, CRYPTTAB_DEV_PATH);
        CHECK_STREQ(e->device, "/dev/sda6");
        CHECK_INTEQ(e->key_kind, CRYPTTAB_KEY_FILE);
        CHECK_STREQ(e->key_path, "/dev/urandom");
        CHECK_INTEQ(e->type, CRYPTTAB_TYPE_AUTO);
        CHECK_INTEQ(e->flags, CRYPTTAB_OPT_SWAP);
        REQUIRE(e->n_options == 4);
        CHECK_STREQ(e->options[0].name, "cipher");
        CHECK_STREQ(e->options[0].value, "aes-xts-plain64");
        CHECK_STREQ(crypttab_option(e, "size", NULL), "256");
        CHECK(!e->options[3].value);

        CHECK_INTEQ(t.items[2].type, CRYPTTAB_TYPE_TCRYPT);

        /* passdev: DEVICE:PATH[:TIMEOUT] */
        e = &t.items[3];
        CHECK_INTEQ(e->key_kind, CRYPTTAB_KEY_ON_DEVICE);
        CHECK_STREQ(e->key_device, "/dev/disk/by-label/keys");
        CHECK_STREQ(e->key_path, "/root.key");
        CHECK_STREQ(e->keyscript, "passdev");
        CHECK(e->flags & CRYPTTAB_OPT_KEYSCRIPT);

        e = &t.items[4];
        CHECK_INTEQ(e->key_kind, CRYPTTAB_KEY_FILE);
        CHECK_STREQ(e->key_path, "/etc/keys/home.key");
        CHECK_INTEQ(e->tries, 3);
        CHECK_STREQ(e->keyscript, "/lib/cryptsetup/scripts/decrypt_keyctl");
        CHECK(crypttab_find_name(&t, "home") == e);
        CHECK(!crypttab_find_name(&t, "hom"));

        crypttab_done(&t);
        diag_list_done(&d);
}

TEST(systemd_examples)
{
        struct crypttab t;
        struct diag_list d;
        const struct crypttab_entry *e;
        bool present;
        char *spec;

        parse(test_failed, &t, &d,
              "luks       UUID=2505567a-9e27-4efe-a4d5-15ad146c258b\n"
              "swap       /dev/sda7       /dev/urandom       swap\n"
              "truecrypt  /dev/sda2       /etc/container_password  tcrypt\n"
              "hidden     /mnt/tc_hidden  /dev/null    tcrypt-hidden,tcrypt-keyfile=/etc/keyfile\n"
              "external   /dev/sda3       keyfile:LABEL=keydev keyfile-timeout=10s\n"
              "luks-2505567a PARTUUID=0fc63daf-8483 - "
              "x-initrd.attach,tpm2-device=auto,read-only,nofail\n"
              "l LABEL=secret - luks,header=/hdr.img\n"
              "p PARTLABEL=crypt\n");
        CHECK_INTEQ(d.n, 0);
        REQUIRE(t.n == 8);

        e = &t.items[0];
        CHECK_INTEQ(e->key_kind, CRYPTTAB_KEY_ASK);
        CHECK_INTEQ(e->n_options, 0);
        CHECK_INTEQ(e->type, CRYPTTAB_TYPE_AUTO);
        spec = crypttab_device_spec(e);
        CHECK_STREQ(spec, "UUID=2505567a-9e27-4efe-a4d5-15ad146c258b");
        free(spec);

        CHECK_INTEQ(t.items[3].type, CRYPTTAB_TYPE_TCRYPT);
        CHECK_STREQ(crypttab_option(&t.items[3], "tcrypt-keyfile", NULL), "/etc/keyfile");

        /* PATH:DEVICE, the path relative to the device */
        e = &t.items[4];
        CHECK_INTEQ(e->key_kind, CRYPTTAB_KEY_ON_DEVICE);
        CHECK_STREQ(e->key_path, "keyfile");
        CHECK_STREQ(e->key_device, "LABEL=keydev");
        CHECK_STREQ(crypttab_option(e, "keyfile-timeout", &present), "10s");
        CHECK(present);
        CHECK(!crypttab_option(e, "discard", &present));
        CHECK(!present);

        e = &t.items[5];
        CHECK_INTEQ(e->dev_kind, CRYPTTAB_DEV_PARTUUID);
        CHECK_INTEQ(e->flags, CRYPTTAB_OPT_INITRD | CRYPTTAB_OPT_TPM2 | CRYPTTAB_OPT_READONLY |
                                      CRYPTTAB_OPT_NOFAIL);
        spec = crypttab_device_spec(e);
        CHECK_STREQ(spec, "PARTUUID=0fc63daf-8483");
        free(spec);

        CHECK_INTEQ(t.items[6].dev_kind, CRYPTTAB_DEV_LABEL);
        CHECK(t.items[6].flags & CRYPTTAB_OPT_HEADER);
        CHECK_INTEQ(t.items[7].dev_kind, CRYPTTAB_DEV_PARTLABEL);
        CHECK_STREQ(t.items[7].device, "crypt");

        crypttab_done(&t);
        diag_list_done(&d);
}

TEST(hostile_lines)
{
        struct crypttab t;
        struct diag_list d;
        static const char text[] = "onlyname\n"                                  /* 1 */
                                   "a/b /dev/sda1\n"                             /* 2 */
                                   ".. /dev/sda1\n"                              /* 3 */
                                   "x sda1\n"                                    /* 4 */
                                   "x UUID=\n"                                   /* 5 */
                                   "x /dev/sda1 none luks extra\n"               /* 6 */
                                   "x /dev/sda1 none tries=abc\n"                /* 7 */
                                   "x /dev/sda1 none tries=99999\n"              /* 8 */
                                   "x /dev/sda1 /k luks,keyscript=passdev\n"     /* 9 */
                                   "x /dev/sda1 :LABEL=k\n"                      /* 10 */
                                   "x /dev/sda1 /k:\n"                           /* 11 */
                                   "x /dev/sda1 none luks\x01\n"                 /* 12 */
                                   "  # indented comment\n"                      /* 13 */
                                   "ok\t/dev/sda9\t-\tluks,,discard,tries=0\r\n" /* 14 */
                                   "last /dev/sda8";                             /* 15 */

        parse(test_failed, &t, &d, text);
        REQUIRE(t.n == 2);
        CHECK_STREQ(t.items[0].name, "ok");
        CHECK_INTEQ(t.items[0].line, 14);
        CHECK_INTEQ(t.items[0].tries, 0);
        CHECK_INTEQ(t.items[0].n_options, 3);
        CHECK_STREQ(t.items[1].name, "last");
        CHECK_STREQ(t.items[1].device, "/dev/sda8");
        CHECK_INTEQ(d.n, 12);
        CHECK(test_diag_has(&d, "/dev/sdb1", "/kexec-loader/crypttab", 1, "a name and a device"));
        CHECK(test_diag_has(&d, NULL, NULL, 2, "not a valid mapping name"));
        CHECK(test_diag_has(&d, NULL, NULL, 3, "not a valid mapping name"));
        CHECK(test_diag_has(&d, NULL, NULL, 4, "neither a path"));
        CHECK(test_diag_has(&d, NULL, NULL, 5, "value is empty"));
        CHECK(test_diag_has(&d, NULL, NULL, 6, "more than 4 fields"));
        CHECK(test_diag_has(&d, NULL, NULL, 7, "tries="));
        CHECK(test_diag_has(&d, NULL, NULL, 8, "tries="));
        CHECK(test_diag_has(&d, NULL, NULL, 9, "device:path"));
        CHECK(test_diag_has(&d, NULL, NULL, 10, "device is empty"));
        CHECK(test_diag_has(&d, NULL, NULL, 11, "device is empty"));
        CHECK(test_diag_has(&d, NULL, NULL, 12, "control character"));
        crypttab_done(&t);
        diag_list_done(&d);

        /* a NUL inside the text is a control character, not the end */
        parse(test_failed, &t, &d, "");
        CHECK(crypttab_parse(&t, "a /dev/x\0b /dev/y\nc /dev/z\n", 26, NULL, NULL, &d) == 0);
        REQUIRE(t.n == 1);
        CHECK_STREQ(t.items[0].name, "c");
        CHECK_INTEQ(d.n, 1);
        crypttab_done(&t);
        diag_list_done(&d);
}

TEST(names)
{
        char long_name[CRYPTTAB_NAME_MAX + 2];

        CHECK(crypttab_name_valid("luks-2505567a-9e27-4efe-a4d5-15ad146c258b"));
        CHECK(crypttab_name_valid("sda5_crypt"));
        CHECK(crypttab_name_valid("..."));
        CHECK(!crypttab_name_valid(""));
        CHECK(!crypttab_name_valid(NULL));
        CHECK(!crypttab_name_valid("."));
        CHECK(!crypttab_name_valid("a b"));
        CHECK(!crypttab_name_valid("a\x7f"));
        memset(long_name, 'n', sizeof(long_name) - 1);
        long_name[sizeof(long_name) - 1] = '\0';
        CHECK(!crypttab_name_valid(long_name));
        long_name[CRYPTTAB_NAME_MAX] = '\0';
        CHECK(crypttab_name_valid(long_name));
}

TEST(bounds)
{
        struct crypttab t;
        struct diag_list d;
        char *text, *p, *line;
        size_t n;

        /* CRYPTTAB_MAX_ENTRIES + 10 entries: the rest dropped with a diagnostic each */
        text = malloc(64 * (CRYPTTAB_MAX_ENTRIES + 10));
        REQUIRE(text);
        p = text;
        for (unsigned i = 0; i < CRYPTTAB_MAX_ENTRIES + 10; i++)
                p += sprintf(p, "v%u /dev/vd%u none luks\n", i, i);
        parse(test_failed, &t, &d, text);
        CHECK_INTEQ(t.n, CRYPTTAB_MAX_ENTRIES);
        CHECK_INTEQ(d.n, 10);
        CHECK(test_diag_has(&d, NULL, NULL, CRYPTTAB_MAX_ENTRIES + 1, "too many entries"));
        crypttab_done(&t);
        diag_list_done(&d);
        free(text);

        /* a line one byte too long, then a good one */
        n = CRYPTTAB_MAX_LINE + 1;
        text = malloc(n + 64);
        REQUIRE(text);
        memcpy(text, "x /dev/sda1 none ", 17);
        memset(text + 17, 'o', n - 17);
        strcpy(text + n, "\ny /dev/sdb none\n");
        parse(test_failed, &t, &d, text);
        REQUIRE(t.n == 1);
        CHECK_STREQ(t.items[0].name, "y");
        CHECK(test_diag_has(&d, NULL, NULL, 1, "too long"));
        crypttab_done(&t);
        diag_list_done(&d);
        free(text);

        /* too many options */
        line = malloc(8 + 3 * (CRYPTTAB_MAX_OPTIONS + 1) + 32);
        REQUIRE(line);
        p = line + sprintf(line, "x /dev/a none ");
        for (unsigned i = 0; i <= CRYPTTAB_MAX_OPTIONS; i++)
                p += sprintf(p, "o,");
        parse(test_failed, &t, &d, line);
        CHECK_INTEQ(t.n, 0);
        CHECK(test_diag_has(&d, NULL, NULL, 1, "too many options"));
        crypttab_done(&t);
        diag_list_done(&d);
        free(line);
}

TEST(stick_key)
{
        struct crypttab t;
        struct diag_list d;
        const char *why = NULL;
        char *path = NULL;

        parse(test_failed, &t, &d,
              "a UUID=1 keys/a.key luks\n"
              "b UUID=2 /other/b.key\n"
              "c UUID=3 none\n"
              "d UUID=4 k:LABEL=x\n"
              "e UUID=5 /k luks,keyscript=/bin/cat\n"
              "f UUID=6 /k luks,header=/h\n");
        REQUIRE(t.n == 6);
        CHECK(crypttab_stick_key(&t.items[0], &path, &why) == 0);
        CHECK_STREQ(path, "/kexec-loader/keys/a.key");
        free(path);
        CHECK(crypttab_stick_key(&t.items[1], &path, &why) == 0);
        CHECK_STREQ(path, "/other/b.key");
        free(path);
        path = NULL;
        CHECK(crypttab_stick_key(&t.items[2], &path, &why) == -ENOENT);
        CHECK(crypttab_stick_key(&t.items[3], &path, &why) == -EOPNOTSUPP);
        CHECK_STREQ(why, "a key file on another device is not supported");
        CHECK(crypttab_stick_key(&t.items[4], &path, &why) == -EOPNOTSUPP);
        CHECK_STREQ(why, "keyscript= is not run");
        CHECK(crypttab_stick_key(&t.items[5], &path, &why) == -EOPNOTSUPP);
        CHECK(!path);
        crypttab_done(&t);
        diag_list_done(&d);
}

TEST(find_volume)
{
        struct crypttab t;
        struct diag_list d;
        bool handover = false;
        const struct crypttab_volume by_uuid = {"2505567A-9E27-4EFE-A4D5-15AD146C258B", NULL, NULL,
                                                NULL, "/dev/vdb1"};
        const struct crypttab_volume by_label = {"0000", "abcd-01", "cr_root", "backup-crypt",
                                                 "/dev/sdc2"};
        const struct crypttab_volume none = {"1111", NULL, NULL, NULL, "/dev/sdz9"};

        parse(test_failed, &t, &d,
              "byuuid UUID=2505567a-9e27-4efe-a4d5-15ad146c258b k1 luks,x-kexec-loader.handover\n"
              "bylink /dev/disk/by-partlabel/backup-crypt k2 luks\n"
              "bypath /dev/sdc2 k3\n"
              "bylabel LABEL=cr_root k4\n");
        REQUIRE(t.n == 4);
        /* UUIDs without case; the first matching entry */
        CHECK(crypttab_find_volume(&t, &by_uuid) == &t.items[0]);
        (void) crypttab_option(&t.items[0], CRYPTTAB_OPT_NAME_HANDOVER, &handover);
        CHECK(handover);
        /* udev's by-partlabel link before the path and LABEL= lines */
        CHECK(crypttab_find_volume(&t, &by_label) == &t.items[1]);
        CHECK(crypttab_find_volume(&t, &none) == NULL);
        (void) crypttab_option(&t.items[1], CRYPTTAB_OPT_NAME_HANDOVER, &handover);
        CHECK(!handover);
        crypttab_done(&t);
        diag_list_done(&d);
}
