/* SPDX-License-Identifier: GPL-2.0-or-later */
/* LUKS headers made by the real cryptsetup on files (cryptsetup-bin: luksFormat, token import),
 * never on a device; then the same headers cut, bent and nested too deep. */
#include "test.h"

#include <fcntl.h>

#include "backend/luks.h"
#include "core/util.h"

extern char test_scratch[];

static bool have_cryptsetup(void)
{
        return system("command -v cryptsetup >/dev/null 2>&1") == 0;
}

/* A 20 MiB file formatted with cryptsetup (options: extra luksFormat options), with the token
 * JSON imported when token is not NULL. Returns the file's path (malloc'ed) or NULL. */
static char *make_volume(const char *name, const char *options, const char *token)
{
        char *img = util_asprintf("%s/%s.img", test_scratch, name);
        _cleanup_free_ char *cmd = NULL, *tok = NULL;

        if (!img)
                return NULL;
        cmd = util_asprintf("rm -f '%s' && truncate -s 20M '%s' && printf pw | cryptsetup "
                            "luksFormat --batch-mode --pbkdf pbkdf2 --pbkdf-force-iterations 1000 "
                            "--key-file - %s '%s' >/dev/null 2>&1",
                            img, img, options, img);
        if (!cmd || system(cmd) != 0)
                goto fail;
        if (token) {
                _cleanup_close_ int fd = -1;

                tok = util_asprintf("%s/%s.token.json", test_scratch, name);
                fd = open(tok, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
                if (fd < 0 || write(fd, token, strlen(token)) != (ssize_t) strlen(token))
                        goto fail;
                free(cmd);
                cmd = util_asprintf("cryptsetup token import --json-file '%s' '%s' >/dev/null 2>&1",
                                    tok, img);
                if (!cmd || system(cmd) != 0)
                        goto fail;
        }
        return img;
fail:
        free(img);
        return NULL;
}

/* The header of a volume file, read as the backend reads a device: 4096 bytes, then its size. */
static int read_header(const char *img, uint8_t **ret, size_t *ret_len)
{
        _cleanup_close_ int fd = open(img, O_RDONLY | O_CLOEXEC);
        uint8_t first[LUKS_BIN_HEADER];
        size_t hdr;
        uint8_t *buf;
        int r;

        if (fd < 0 || pread(fd, first, sizeof(first), 0) != (ssize_t) sizeof(first))
                return -EIO;
        r = luks_header_size(first, sizeof(first), &hdr);
        if (r < 0)
                return r;
        buf = malloc(hdr);
        if (!buf)
                return -ENOMEM;
        if (pread(fd, buf, hdr, 0) != (ssize_t) hdr) {
                free(buf);
                return -EIO;
        }
        *ret = buf;
        *ret_len = hdr;
        return 0;
}

static char *luks_uuid_of(const char *img)
{
        _cleanup_free_ char *cmd = util_asprintf("cryptsetup luksUUID '%s'", img);
        char line[128] = "";
        FILE *f = cmd ? popen(cmd, "r") : NULL;

        if (!f)
                return NULL;
        if (!fgets(line, sizeof(line), f))
                line[0] = 0;
        pclose(f);
        util_strip_trailing(line);
        return strdup(line);
}

#define TPM2_TOKEN                                                                                 \
        "{\"type\":\"systemd-tpm2\",\"keyslots\":[\"0\"],\"tpm2-blob\":\"AAAA\",\"tpm2-pcrs\":[7]" \
        ","                                                                                        \
        "\"tpm2-pcr-bank\":\"sha256\",\"tpm2-primary-alg\":\"ecc\",\"tpm2-policy-hash\":\"00\","   \
        "\"tpm2-pin\":false}"
/* A token of cryptsetup's own kind (a key in the kernel keyring): not a TPM. */
#define KEYRING_TOKEN "{\"type\":\"luks2-keyring\",\"keyslots\":[\"0\"],\"key_description\":\"kl\"}"

TEST(real_headers)
{
        static const struct {
                const char *name, *options, *token;
                unsigned version, tokens;
                bool tpm2;
                size_t hdr;
        } cases[] = {
                {"plain2", "--type luks2", NULL, 2, 0, false, 16384},
                {"tpm2", "--type luks2", TPM2_TOKEN, 2, 1, true, 16384},
                {"keyring", "--type luks2", KEYRING_TOKEN, 2, 1, false, 16384},
                {"tpm2-big", "--type luks2 --luks2-metadata-size 256k", TPM2_TOKEN, 2, 1, true,
                 262144},
                {"luks1", "--type luks1", NULL, 1, 0, false, 4096},
        };

        if (!have_cryptsetup()) {
                printf("# cryptsetup is not installed (Debian package cryptsetup-bin)\n");
                CHECK(!"cryptsetup missing");
                return;
        }
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                _cleanup_free_ char *img =
                        make_volume(cases[i].name, cases[i].options, cases[i].token);
                _cleanup_free_ char *uuid = NULL;
                _cleanup_free_ uint8_t *hdr = NULL;
                struct luks_info info;
                size_t len;

                printf("# %s\n", cases[i].name);
                REQUIRE(img);
                REQUIRE(read_header(img, &hdr, &len) == 0);
                CHECK_INTEQ(len, cases[i].hdr);
                REQUIRE(luks_parse(hdr, len, &info) == 0);
                CHECK_INTEQ(info.version, cases[i].version);
                CHECK_INTEQ(info.tokens, cases[i].tokens);
                CHECK(info.tpm2 == cases[i].tpm2);
                uuid = luks_uuid_of(img);
                CHECK_STREQ(info.uuid, uuid);
        }
}

/* A LUKS2 header made here: the binary part and the given JSON text. */
static uint8_t *fake_header(const char *json, size_t hdr)
{
        uint8_t *h = calloc(1, hdr);
        size_t n = strlen(json);

        if (!h)
                return NULL;
        memcpy(h, "LUKS\xba\xbe\x00\x02", 8);
        for (int i = 0; i < 8; i++)
                h[8 + i] = (uint8_t) ((uint64_t) hdr >> (56 - 8 * i));
        memcpy(h + 168, "0123abcd-0000-4000-8000-00000000000f", 36);
        memcpy(h + LUKS_BIN_HEADER, json, MIN(n, hdr - LUKS_BIN_HEADER));
        return h;
}

TEST(hostile_headers)
{
        struct luks_info info;
        size_t len;

        /* cut: only a whole header is parsed */
        {
                _cleanup_free_ uint8_t *h =
                        fake_header("{\"tokens\":{\"0\":{\"type\":\"systemd-tpm2\"}}}", 16384);

                REQUIRE(h);
                REQUIRE(luks_parse(h, 16384, &info) == 0);
                CHECK(info.tpm2);
                CHECK_STREQ(info.uuid, "0123abcd-0000-4000-8000-00000000000f");
                for (size_t cut = 0; cut < 16384; cut += 509)
                        CHECK(luks_parse(h, cut, &info) == -EINVAL);
                CHECK(luks_header_size(h, 4095, &len) == -EINVAL);
        }
        /* hdr_size: not a power of two, too small, too large */
        {
                _cleanup_free_ uint8_t *h = fake_header("{}", 16384);

                REQUIRE(h);
                h[8 + 6] = 0x40;
                h[8 + 7] = 0x01;
                CHECK(luks_header_size(h, 16384, &len) == -EINVAL);
                memset(h + 8, 0, 8);
                h[8 + 6] = 0x10; /* 4096 */
                CHECK(luks_header_size(h, 16384, &len) == -EINVAL);
                memset(h + 8, 0, 8);
                h[8 + 4] = 0x01; /* 4 GiB */
                CHECK(luks_header_size(h, 16384, &len) == -EINVAL);
                memset(h + 8, 0xff, 8);
                CHECK(luks_header_size(h, 16384, &len) == -EINVAL);
                h[7] = 3; /* version 3 */
                CHECK(luks_header_size(h, 16384, &len) == -EINVAL);
        }
        /* JSON that fills its area without a NUL, nests too deep, or breaks off: no tokens */
        {
                _cleanup_free_ char *deep = malloc(16384);
                _cleanup_free_ uint8_t *h = NULL;
                size_t n = 0;

                n += (size_t) sprintf(deep, "{\"tokens\":{\"0\":{\"type\":\"systemd-tpm2\",\"x\":");
                for (int i = 0; i < 2000; i++)
                        deep[n++] = '[';
                deep[n] = 0;
                h = fake_header(deep, 16384);
                REQUIRE(h && luks_parse(h, 16384, &info) == 0);
                CHECK(!info.tpm2);
                CHECK_INTEQ(info.tokens, 0);
                free(h);

                memset(deep, ' ', 16384 - LUKS_BIN_HEADER);
                memcpy(deep, "{\"tokens\":{\"0\":{\"type\":\"systemd-tpm2\"}}}", 40);
                deep[16384 - LUKS_BIN_HEADER] = 0;
                h = fake_header(deep, 16384);
                REQUIRE(h && luks_parse(h, 16384, &info) == 0);
                CHECK(!info.tpm2); /* no NUL inside the area */
                free(h);

                h = fake_header("{\"tokens\":{\"0\":{\"type\":\"systemd-tpm2\"", 16384);
                REQUIRE(h && luks_parse(h, 16384, &info) == 0);
                CHECK(!info.tpm2);
                free(h);

                h = fake_header("{\"tokens\":{\"0\":{\"type\":\"systemd-tpm\\u0032\"},"
                                "\"1\":{\"type\":\"x\",\"a\":[1,-2.5e3,true,null,\"\\\"\"]}},"
                                "\"config\":{}}",
                                16384);
                REQUIRE(h && luks_parse(h, 16384, &info) == 0);
                CHECK(info.tpm2);
                CHECK_INTEQ(info.tokens, 2);
                free(h);

                /* a "type" that is no string, a token that is no object, a control character */
                h = fake_header("{\"tokens\":{\"0\":{\"type\":[\"systemd-tpm2\"]},\"1\":\"systemd-"
                                "tpm2\"}}",
                                16384);
                REQUIRE(h && luks_parse(h, 16384, &info) == 0);
                CHECK(!info.tpm2);
                free(h);
                h = fake_header("{\"tokens\":{\"0\":{\"type\":\"systemd-tpm2\n\"}}}", 16384);
                REQUIRE(h && luks_parse(h, 16384, &info) == 0);
                CHECK(!info.tpm2);
                free(h);
                /* control characters in the UUID are not printed */
                h = fake_header("{}", 16384);
                REQUIRE(h);
                h[170] = '\x1b';
                REQUIRE(luks_parse(h, 16384, &info) == 0);
                CHECK(strchr(info.uuid, '\x1b') == NULL);
        }
}

TEST(cmdline_names_volume)
{
        static const char uuid[] = "5ae178bb-ed75-4d1b-9bcb-ce843ddda150";
        static const struct {
                const char *cmdline;
                bool names;
        } cases[] = {
                {"root=/dev/mapper/root rd.luks.uuid=5ae178bb-ed75-4d1b-9bcb-ce843ddda150", true},
                {"rd.luks.uuid=luks-5AE178BB-ED75-4D1B-9BCB-CE843DDDA150 quiet", true},
                {"luks.uuid=5ae178bb-ed75-4d1b-9bcb-ce843ddda150", true},
                {"rd.luks.name=5ae178bb-ed75-4d1b-9bcb-ce843ddda150=root root=/dev/mapper/root",
                 true},
                {"cryptdevice=UUID=5ae178bb-ed75-4d1b-9bcb-ce843ddda150:cryptroot root=/dev/x",
                 true},
                {"root=/dev/mapper/luks-5ae178bb-ed75-4d1b-9bcb-ce843ddda150 ro", true},
                {"\"rd.luks.uuid=5ae178bb-ed75-4d1b-9bcb-ce843ddda150\"", true},
                {"rd.luks.uuid=5ae178bb-ed75-4d1b-9bcb-ce843ddda15", false},
                {"rd.luks.uuid=5ae178bb-ed75-4d1b-9bcb-ce843ddda1500", false},
                {"xrd.luks.uuid=5ae178bb-ed75-4d1b-9bcb-ce843ddda150", false},
                {"root=UUID=5ae178bb-ed75-4d1b-9bcb-ce843ddda150", false},
                {"cryptdevice=/dev/sda2:root", false},
                {"rd.luks.name=luks", false},
                {"", false},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                if (luks_cmdline_names(cases[i].cmdline, uuid) != cases[i].names)
                        printf("# %s\n", cases[i].cmdline);
                CHECK(luks_cmdline_names(cases[i].cmdline, uuid) == cases[i].names);
        }
        CHECK(!luks_cmdline_names(NULL, uuid));
        CHECK(!luks_cmdline_names("rd.luks.uuid=", ""));
}

TEST(mapping_name)
{
        _cleanup_free_ char *a = luks_mapping_name("c132ac64-dca7-45cd-a266-b983b451ffe1");
        char long41[42];

        CHECK_STREQ(a, "luks-c132ac64-dca7-45cd-a266-b983b451ffe1");
        memset(long41, 'a', 41);
        long41[41] = 0;
        CHECK(!luks_mapping_name(long41));
        long41[40] = 0;
        free(luks_mapping_name(long41)); /* 40 bytes: the LUKS1 field's size, allowed */
        CHECK(!luks_mapping_name(NULL));
        CHECK(!luks_mapping_name(""));
        CHECK(!luks_mapping_name("../../sda"));
        CHECK(!luks_mapping_name("a/b"));
        CHECK(!luks_mapping_name("a b"));
        CHECK(!luks_mapping_name("a\nb"));
}
