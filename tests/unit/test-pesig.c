/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PE signatures of real signed binaries (Debian's kernel, Microsoft-signed shim, Debian-signed
 * GRUB), the same binaries stripped (sbattach --remove) and re-signed with keys made here
 * (openssl req + sbsign, with and without an intermediate CA), hostile and truncated PE files,
 * /proc/keys text, and the trust prediction over all of them. The names the parser reads are
 * compared with what sbverify --list prints for the same file. */
#include "test.h"

#include <fcntl.h>
#include <glob.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/pesig.h"
#include "core/fsread.h"
#include "core/util.h"

#define SHIM "/usr/lib/shim/shimx64.efi.signed"
#define GRUB "/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed"

/* The output of a shell command (malloc'ed), or NULL. */
static char *capture(const char *fmt, ...) _printf_(1, 2);
static char *capture(const char *fmt, ...)
{
        _cleanup_free_ char *cmd = NULL;
        char *out = NULL;
        size_t n = 0;
        FILE *f;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&cmd, fmt, ap);
        va_end(ap);
        if (r < 0)
                return NULL;
        f = popen(cmd, "r");
        if (!f)
                return NULL;
        if (getdelim(&out, &n, '\0', f) < 0) {
                free(out);
                out = NULL;
        }
        pclose(f);
        return out;
}

static int read_path(const char *path, struct pesig_info *ret)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);

        if (fd < 0)
                return -errno;
        return pesig_read_fd(fd, ret);
}

/* The commonName of the n-th "subject:" line sbverify --list prints (n counts from 0 over all
 * signatures), or NULL. */
static char *sbverify_subject(const char *path, unsigned n)
{
        return capture("sbverify --list '%s' 2>/dev/null | grep 'subject:' | sed -n '%up' | "
                       "sed 's/.*CN=//' | tr -d '\\n'",
                       path, n + 1);
}

/* The Debian kernel get-kernel downloaded: $KL_TEST_VMLINUZ (tests/run sets it), else the
 * cache. NULL when absent. */
static char *debian_kernel(void)
{
        const char *env = getenv("KL_TEST_VMLINUZ");
        const char *cache = getenv("KEXEC_LOADER_CACHE"), *xdg = getenv("XDG_CACHE_HOME");
        _cleanup_free_ char *pattern = NULL;
        glob_t g;
        char *r = NULL;

        if (!isempty(env))
                return strdup(env);
        if (!isempty(cache))
                pattern = util_asprintf("%s/kernel/*/boot/vmlinuz-*", cache);
        else if (!isempty(xdg))
                pattern = util_asprintf("%s/kexec-loader/kernel/*/boot/vmlinuz-*", xdg);
        else
                pattern = util_asprintf("%s/.cache/kexec-loader/kernel/*/boot/vmlinuz-*",
                                        getenv("HOME") ? getenv("HOME") : "/root");
        if (pattern && glob(pattern, 0, NULL, &g) == 0) {
                if (g.gl_pathc > 0)
                        r = strdup(g.gl_pathv[g.gl_pathc - 1]);
                globfree(&g);
        }
        return r;
}

/* The subject key id of a PEM certificate as "<CN>: <hex>", the way /proc/keys describes the key
 * the kernel makes of it. */
static char *key_description(const char *cert, const char *cn)
{
        _cleanup_free_ char *hex = capture(
                "openssl x509 -in '%s' -noout -ext subjectKeyIdentifier | tail -1 | tr -d ' :\\n' "
                "| tr A-F a-f",
                cert);

        return hex && *hex ? util_asprintf("%s: %s", cn, hex) : NULL;
}

/* Test keys, made once: a self-signed signer, and a CA with a signer it issued. */
static const char *keys_dir(void)
{
        static char *dir;

        if (dir)
                return dir;
        dir = test_scratch_subdir("keys");
        if (test_sh("cd '%s' && "
                    "openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj '/CN=kexec-loader "
                    "test signer' -keyout self.key -out self.pem 2>/dev/null && "
                    "openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj '/O=kexec-loader "
                    "tests/CN=kexec-loader test CA' -addext basicConstraints=critical,CA:TRUE "
                    "-keyout ca.key -out ca.pem 2>/dev/null && "
                    "openssl req -newkey rsa:2048 -nodes -subj '/CN=kexec-loader test leaf' "
                    "-keyout leaf.key -out leaf.csr 2>/dev/null && "
                    "printf 'subjectKeyIdentifier=hash\\nauthorityKeyIdentifier=keyid\\n' > ext && "
                    "openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
                    "-days 3650 -extfile ext -out leaf.pem 2>/dev/null",
                    dir) != 0) {
                printf("# cannot make the test keys\n");
                exit(1);
        }
        return dir;
}

/* A copy of a signed image with its signatures removed, then signed with the test key kind
 * ("self", or "leaf" with the CA added to the message). Paths malloc'ed. */
static void resign(const char *image, const char *name, char **ret_unsigned, char **ret_signed)
{
        const char *k = keys_dir();

        *ret_unsigned = util_asprintf("%s/%s.unsigned", k, name);
        *ret_signed = util_asprintf("%s/%s.self", k, name);
        if (test_sh("cd '%s' && cp '%s' %s.unsigned && sbattach --remove %s.unsigned && "
                    "sbsign --key self.key --cert self.pem --output %s.self %s.unsigned "
                    ">/dev/null 2>&1 && "
                    "sbsign --key leaf.key --cert leaf.pem --addcert ca.pem --output %s.leaf "
                    "%s.unsigned >/dev/null 2>&1",
                    k, image, name, name, name, name, name, name) != 0) {
                printf("# cannot re-sign %s\n", image);
                exit(1);
        }
}

TEST(shim_two_microsoft_signatures)
{
        struct pesig_info i;
        _cleanup_free_ char *s0 = sbverify_subject(SHIM, 0), *s1 = NULL;

        REQUIRE(read_path(SHIM, &i) == 0);
        CHECK_INTEQ(i.state, PESIG_SIGNED);
        CHECK(i.n_sigs >= 1);
        CHECK_STREQ(pesig_signer(&i), s0);
        CHECK_STREQ(pesig_signer(&i), "Microsoft Windows UEFI Driver Publisher");
        CHECK_STREQ(pesig_signer_issuer(&i), "Microsoft Corporation UEFI CA 2011");
        /* The message carries the chain: the signer, then the UEFI CA the signer's akid names. */
        REQUIRE(i.sigs[0].signer >= 0);
        {
                const struct pesig_cert *c = pesig_signer_cert(&i);
                int up = c->issued_by;

                CHECK(c->skid.len > 0);
                CHECK(c->akid.len > 0);
                REQUIRE(up >= 0);
                CHECK_STREQ(i.sigs[0].certs[up].subject, "Microsoft Corporation UEFI CA 2011");
                CHECK(memcmp(i.sigs[0].certs[up].skid.id, c->akid.id, c->akid.len) == 0);
        }
        /* sbverify lists the subjects of both signatures' certificates in order: the second
         * signature's signer is the third subject. */
        if (i.n_sigs >= 2) {
                const struct pesig_signature *s = &i.sigs[1];

                s1 = sbverify_subject(SHIM, 2);
                REQUIRE(s->signer >= 0);
                CHECK_STREQ(s->certs[s->signer].subject, s1);
                CHECK_STREQ(s->signer_issuer, "Microsoft UEFI CA 2023");
        }
        pesig_info_done(&i);
}

TEST(grub_debian_signer)
{
        struct pesig_info i;
        _cleanup_free_ char *s0 = sbverify_subject(GRUB, 0);

        REQUIRE(read_path(GRUB, &i) == 0);
        CHECK_INTEQ(i.state, PESIG_SIGNED);
        CHECK_INTEQ(i.n_sigs, 1);
        CHECK_STREQ(pesig_signer(&i), s0);
        CHECK(strncmp(pesig_signer(&i), "Debian Secure Boot Signer", 25) == 0);
        CHECK_STREQ(pesig_signer_issuer(&i), "Debian Secure Boot CA");
        pesig_info_done(&i);
}

/* The trust walk over the real Debian chain: a keyring holding the Debian CA (by its key id: the
 * signer certificate's authority key id, as /proc/keys shows it) trusts the image, one holding
 * only Microsoft's keys does not. */
static void check_debian_trust(bool *test_failed, const char *path)
{
        struct pesig_info i;
        struct pesig_keyset ca = {0}, ms = {0};
        const struct pesig_cert *c;
        const struct pesig_key *k;
        _cleanup_free_ char *hex = NULL, *desc = NULL, *text = NULL;

        REQUIRE(read_path(path, &i) == 0);
        REQUIRE(i.state == PESIG_SIGNED);
        c = pesig_signer_cert(&i);
        REQUIRE(c && c->akid.len > 0);
        hex = calloc(1, c->akid.len * 2 + 1);
        REQUIRE(hex);
        for (size_t n = 0; n < c->akid.len; n++)
                sprintf(hex + 2 * n, "%02x", c->akid.id[n]);
        desc = util_asprintf("Debian Secure Boot CA: %s", hex);
        REQUIRE(pesig_keyset_add(&ca, desc) == 0);
        REQUIRE(pesig_keyset_add(&ms, "Microsoft Corporation: Microsoft Corporation UEFI CA "
                                      "2011: 13adbf4309bd82709c8cd54f316ed522988a1bd4") == 0);
        CHECK_INTEQ(pesig_judge(&i, &ca, &k), PESIG_VERDICT_OK);
        CHECK(k == &ca.keys[0]);
        CHECK_INTEQ(pesig_judge(&i, &ms, &k), PESIG_VERDICT_UNTRUSTED);
        CHECK(k == NULL);
        text = pesig_verdict_text(PESIG_VERDICT_UNTRUSTED, &i);
        CHECK(text && strstr(text, "signed by Debian Secure Boot Signer") &&
              strstr(text, "this machine does not trust that key for kexec"));
        pesig_keyset_done(&ca);
        pesig_keyset_done(&ms);
        pesig_info_done(&i);
}

TEST(grub_debian_trust)
{
        check_debian_trust(test_failed, GRUB);
}

TEST(debian_kernel)
{
        _cleanup_free_ char *k = debian_kernel(), *s0 = NULL;
        struct pesig_info i;

        if (!k || access(k, R_OK) < 0) {
                if (getenv("KL_TEST_VMLINUZ")) {
                        printf("# KL_TEST_VMLINUZ=%s is not readable\n", k);
                        CHECK(false);
                }
                printf("# no Debian kernel (run initramfs/get-kernel): skipped\n");
                return;
        }
        printf("# %s\n", k);
        s0 = sbverify_subject(k, 0);
        REQUIRE(read_path(k, &i) == 0);
        CHECK_INTEQ(i.state, PESIG_SIGNED);
        CHECK_STREQ(pesig_signer(&i), s0);
        CHECK(pesig_signer(&i) && strncmp(pesig_signer(&i), "Debian Secure Boot Signer", 25) == 0);
        CHECK(pesig_signer(&i) && strstr(pesig_signer(&i), "linux"));
        CHECK_STREQ(pesig_signer_issuer(&i), "Debian Secure Boot CA");
        pesig_info_done(&i);
        check_debian_trust(test_failed, k);
}

/* Stripped and re-signed copies of img: unsigned, self-signed test key, CA-issued test key. */
static void check_resigned(bool *test_failed, const char *img, const char *name)
{
        _cleanup_free_ char *unsig = NULL, *self = NULL, *leaf = NULL, *self_desc = NULL,
                            *ca_desc = NULL, *leaf_desc = NULL, *ca_pem = NULL, *self_pem = NULL,
                            *leaf_pem = NULL, *text = NULL;
        struct pesig_keyset none = {0}, self_set = {0}, ca_set = {0}, leaf_set = {0};
        struct pesig_info u, s, l;

        resign(img, name, &unsig, &self);
        leaf = util_asprintf("%s/%s.leaf", keys_dir(), name);
        self_pem = util_asprintf("%s/self.pem", keys_dir());
        ca_pem = util_asprintf("%s/ca.pem", keys_dir());
        leaf_pem = util_asprintf("%s/leaf.pem", keys_dir());
        self_desc = key_description(self_pem, "kexec-loader test signer");
        ca_desc = key_description(ca_pem, "kexec-loader tests: kexec-loader test CA");
        leaf_desc = key_description(leaf_pem, "kexec-loader test leaf");
        REQUIRE(self_desc && ca_desc && leaf_desc);
        REQUIRE(pesig_keyset_add(&self_set, self_desc) == 0);
        REQUIRE(pesig_keyset_add(&ca_set, ca_desc) == 0);
        REQUIRE(pesig_keyset_add(&leaf_set, leaf_desc) == 0);

        REQUIRE(read_path(unsig, &u) == 0);
        CHECK_INTEQ(u.state, PESIG_UNSIGNED);
        CHECK_INTEQ(pesig_judge(&u, &self_set, NULL), PESIG_VERDICT_UNSIGNED);
        text = pesig_verdict_text(PESIG_VERDICT_UNSIGNED, &u);
        CHECK_STREQ(text, "not signed");

        REQUIRE(read_path(self, &s) == 0);
        CHECK_INTEQ(s.state, PESIG_SIGNED);
        CHECK_INTEQ(s.n_sigs, 1);
        CHECK_STREQ(pesig_signer(&s), "kexec-loader test signer");
        CHECK_STREQ(pesig_signer_issuer(&s), "kexec-loader test signer");
        CHECK(pesig_signer_cert(&s) && pesig_signer_cert(&s)->self_signed);
        CHECK_INTEQ(pesig_judge(&s, &none, NULL), PESIG_VERDICT_UNTRUSTED);
        CHECK_INTEQ(pesig_judge(&s, &ca_set, NULL), PESIG_VERDICT_UNTRUSTED);
        CHECK_INTEQ(pesig_judge(&s, &self_set, NULL), PESIG_VERDICT_OK);

        REQUIRE(read_path(leaf, &l) == 0);
        CHECK_INTEQ(l.state, PESIG_SIGNED);
        CHECK_STREQ(pesig_signer(&l), "kexec-loader test leaf");
        CHECK_STREQ(pesig_signer_issuer(&l), "kexec-loader test CA");
        CHECK_INTEQ(l.sigs[0].n_certs, 2);
        CHECK_INTEQ(pesig_judge(&l, &none, NULL), PESIG_VERDICT_UNTRUSTED);
        CHECK_INTEQ(pesig_judge(&l, &self_set, NULL), PESIG_VERDICT_UNTRUSTED);
        /* The CA's key trusts the leaf (the CA is in the message: its skid; and the leaf's
         * akid), and so does the leaf's own key. */
        CHECK_INTEQ(pesig_judge(&l, &ca_set, NULL), PESIG_VERDICT_OK);
        CHECK_INTEQ(pesig_judge(&l, &leaf_set, NULL), PESIG_VERDICT_OK);

        /* sbattach adds a second signature: the kernel checks the first, so does the verdict. */
        if (test_sh("cd '%s' && cp %s.self %s.two && sbsign --key leaf.key --cert leaf.pem "
                    "--detached --output %s.p7 %s.unsigned >/dev/null 2>&1 && sbattach --attach "
                    "%s.p7 %s.two >/dev/null 2>&1",
                    keys_dir(), name, name, name, name, name, name) == 0) {
                _cleanup_free_ char *two = util_asprintf("%s/%s.two", keys_dir(), name);
                struct pesig_info t;

                REQUIRE(read_path(two, &t) == 0);
                CHECK_INTEQ(t.state, PESIG_SIGNED);
                CHECK_INTEQ(t.n_sigs, 2);
                CHECK_STREQ(pesig_signer(&t), "kexec-loader test signer");
                CHECK(t.n_sigs == 2 && t.sigs[1].signer >= 0 &&
                      streq(t.sigs[1].certs[t.sigs[1].signer].subject, "kexec-loader test leaf"));
                CHECK_INTEQ(pesig_judge(&t, &self_set, NULL), PESIG_VERDICT_OK);
                CHECK_INTEQ(pesig_judge(&t, &leaf_set, NULL), PESIG_VERDICT_UNTRUSTED);
                pesig_info_done(&t);
        } else
                CHECK(false);

        pesig_info_done(&u);
        pesig_info_done(&s);
        pesig_info_done(&l);
        pesig_keyset_done(&self_set);
        pesig_keyset_done(&ca_set);
        pesig_keyset_done(&leaf_set);
}

TEST(grub_resigned_with_test_keys)
{
        check_resigned(test_failed, GRUB, "grub");
}

TEST(kernel_resigned_with_test_keys)
{
        _cleanup_free_ char *k = debian_kernel();

        if (!k || access(k, R_OK) < 0) {
                printf("# no Debian kernel: skipped\n");
                return;
        }
        check_resigned(test_failed, k, "vmlinuz");
}

TEST(not_pe)
{
        static const unsigned char elf[64] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
        unsigned char mz_only[512] = {'M', 'Z'};
        struct pesig_info i;

        CHECK(pesig_parse(elf, sizeof(elf), &i) == 0);
        CHECK_INTEQ(i.state, PESIG_NOT_PE);
        CHECK_INTEQ(pesig_judge(&i, &(struct pesig_keyset){0}, NULL), PESIG_VERDICT_NOT_PE);
        pesig_info_done(&i);
        CHECK(pesig_parse("", 0, &i) == 0);
        CHECK_INTEQ(i.state, PESIG_NOT_PE);
        pesig_info_done(&i);
        /* MZ, but the PE header offset points at zeros, then past the end. */
        mz_only[0x3c] = 0x80;
        CHECK(pesig_parse(mz_only, sizeof(mz_only), &i) == 0);
        CHECK_INTEQ(i.state, PESIG_NOT_PE);
        pesig_info_done(&i);
        mz_only[0x3c] = 0xff;
        mz_only[0x3f] = 0x7f;
        CHECK(pesig_parse(mz_only, sizeof(mz_only), &i) == 0);
        CHECK_INTEQ(i.state, PESIG_NOT_PE);
        pesig_info_done(&i);
}

static unsigned char *slurp(const char *path, size_t *ret_len)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        char *buf = NULL;

        if (fd < 0 || fsread_read_fd(fd, 64u * 1024 * 1024, &buf, ret_len) < 0)
                return NULL;
        return (unsigned char *) buf;
}

/* Every prefix length around the headers and the certificate table of a real signed image, and
 * every bit of the headers flipped: never a crash, never a read outside (ASan build), and a
 * state that says what is wrong. */
TEST(truncated_and_flipped)
{
        size_t len = 0;
        _cleanup_free_ unsigned char *img = slurp(GRUB, &len);
        _cleanup_free_ unsigned char *copy = NULL;
        struct pesig_info i;
        uint32_t table_off, peaddr;
        size_t dir;

        REQUIRE(img && len > 4096);
        peaddr = (uint32_t) img[0x3c] | (uint32_t) img[0x3d] << 8;
        dir = peaddr + 24 + 112 + 4 * 8;
        table_off = (uint32_t) img[dir] | (uint32_t) img[dir + 1] << 8 |
                    (uint32_t) img[dir + 2] << 16 | (uint32_t) img[dir + 3] << 24;
        REQUIRE(table_off > 0 && table_off < len);
        for (size_t n = 0; n < 1024; n++) {
                REQUIRE(pesig_parse(img, n, &i) == 0);
                CHECK(i.state == PESIG_NOT_PE || i.state == PESIG_MALFORMED);
                pesig_info_done(&i);
        }
        for (size_t n = table_off; n < len; n += 61) {
                REQUIRE(pesig_parse(img, n, &i) == 0);
                CHECK_INTEQ(i.state, PESIG_MALFORMED);
                CHECK(i.why && strstr(i.why, "outside the file"));
                pesig_info_done(&i);
        }
        copy = malloc(len);
        REQUIRE(copy);
        for (size_t bit = 0; bit < (dir + 8) * 8; bit += 3) {
                memcpy(copy, img, len);
                copy[bit / 8] ^= (unsigned char) (1u << (bit % 8));
                REQUIRE(pesig_parse(copy, len, &i) == 0);
                pesig_info_done(&i);
        }
        /* Inside the certificate table: every byte of the wrapper and the first KB of DER. */
        for (size_t off = table_off; off < MIN(len, (size_t) table_off + 1024); off++) {
                memcpy(copy, img, len);
                copy[off] ^= 0xff;
                REQUIRE(pesig_parse(copy, len, &i) == 0);
                CHECK(i.state == PESIG_SIGNED || i.state == PESIG_MALFORMED);
                pesig_info_done(&i);
        }
}

/* Put a 32-bit little-endian value. */
static void put32(unsigned char *p, uint32_t v)
{
        p[0] = (unsigned char) v;
        p[1] = (unsigned char) (v >> 8);
        p[2] = (unsigned char) (v >> 16);
        p[3] = (unsigned char) (v >> 24);
}

TEST(hostile_directories)
{
        size_t len = 0;
        _cleanup_free_ unsigned char *img = slurp(GRUB, &len);
        struct pesig_info i;
        size_t peaddr, dir, hdr;
        static const struct {
                uint32_t off, size;
                enum pesig_state state;
        } cases[] = {
                {0, 0, PESIG_UNSIGNED},
                {0xfffffff0u, 0x100, PESIG_MALFORMED},
                {0x1000, 0xffffffffu, PESIG_MALFORMED},
                {0x10, 0x100, PESIG_MALFORMED}, /* inside the headers */
                {0x1000, 4, PESIG_MALFORMED},
        };

        REQUIRE(img && len > 8192);
        peaddr = (size_t) img[0x3c] | (size_t) img[0x3d] << 8;
        hdr = peaddr + 24;
        dir = hdr + 112 + 4 * 8;
        for (size_t k = 0; k < ARRAY_SIZE(cases); k++) {
                put32(img + dir, cases[k].off);
                put32(img + dir + 4, cases[k].size);
                REQUIRE(pesig_parse(img, len, &i) == 0);
                CHECK_INTEQ(i.state, cases[k].state);
                pesig_info_done(&i);
        }
        /* A table at the end holding a WIN_CERTIFICATE whose length runs past it, one of
         * another type, and garbage for PKCS#7. */
        put32(img + dir, (uint32_t) (len - 64));
        put32(img + dir + 4, 64);
        put32(img + len - 64, 0x7fffffff);
        img[len - 60] = 0x00;
        img[len - 59] = 0x02;
        img[len - 58] = 0x02;
        img[len - 57] = 0x00;
        REQUIRE(pesig_parse(img, len, &i) == 0);
        CHECK_INTEQ(i.state, PESIG_MALFORMED);
        pesig_info_done(&i);
        put32(img + len - 64, 64);
        img[len - 58] = 0x01; /* X.509 type */
        REQUIRE(pesig_parse(img, len, &i) == 0);
        CHECK_INTEQ(i.state, PESIG_MALFORMED);
        CHECK(i.why && strstr(i.why, "not PKCS#7"));
        pesig_info_done(&i);
        img[len - 58] = 0x02;
        memset(img + len - 56, 0x30, 56);
        REQUIRE(pesig_parse(img, len, &i) == 0);
        CHECK_INTEQ(i.state, PESIG_MALFORMED);
        pesig_info_done(&i);
        /* Absurd header size and number of directories. */
        put32(img + hdr + 60, 0xffffffffu);
        REQUIRE(pesig_parse(img, len, &i) == 0);
        CHECK_INTEQ(i.state, PESIG_MALFORMED);
        pesig_info_done(&i);
        put32(img + hdr + 60, 0x400);
        put32(img + hdr + 108, 0xffffffffu);
        REQUIRE(pesig_parse(img, len, &i) == 0);
        CHECK_INTEQ(i.state, PESIG_MALFORMED);
        pesig_info_done(&i);
        put32(img + hdr + 108, 3);
        REQUIRE(pesig_parse(img, len, &i) == 0);
        CHECK_INTEQ(i.state, PESIG_UNSIGNED);
        pesig_info_done(&i);
}

/* /proc/keys of the Debian kernel under OVMF Secure Boot with Microsoft's keys, started through
 * Debian's shim (captured in QEMU; its 115 blacklist entries cut to one), and a few lines of other
 * formats. The Debian CA is in .machine (shim's MokListRT), Microsoft's in .platform. */
static const char proc_keys_secure_boot[] =
        "05ea2683 I------     1 perm 1f010000     0     0 asymmetri Microsoft Windows Production "
        "PCA 2011: a92902398e16c49778cd90f99e4f9ae17c55af53: X509.rsa 7c55af53 []\n"
        "0d5e138f I------     2 perm 1f0b0000     0     0 keyring   .builtin_trusted_keys: 1\n"
        "0eea08dd I------     1 perm 0f0b0000     0     0 keyring   .blacklist: 115\n"
        "0025c2a9 I------     2 perm 09090000     0     0 blacklist "
        "bin:fa0d9a7274925078bde75505f00bcf98391309a9dc789ee3a5493fbf6362de36\n"
        "12832d04 I------     1 perm 1f0f0000     0     0 keyring   .secondary_trusted_keys: 2\n"
        "18bc385d I------     1 perm 1f0b0000     0     0 keyring   .platform: 2\n"
        "1edad14a I------     1 perm 1f030000     0     0 asymmetri Build time autogenerated "
        "kernel key: 35ec5eb42ea9fd1caf03b977c56ef26a3720f629: X509.rsa 3720f629 []\n"
        "3a7327af I------     2 perm 1f0b0000     0     0 keyring   .machine: 1\n"
        "3b4582a3 I------     1 perm 1f010000     0     0 asymmetri Microsoft Corporation UEFI "
        "CA 2011: 13adbf4309bd82709c8cd54f316ed522988a1bd4: X509.rsa 988a1bd4 []\n"
        "3c5474b7 I------     1 perm 1f010000     0     0 asymmetri Debian Secure Boot CA: "
        "6ccece7e4c6c0d1f6149f3dd27dfcc5cbb419ea1: X509.rsa bb419ea1 []\n"
        "21c4e0b8 I------     1 perm 1f030000     0     0 asymmetri odd: zz: X509.rsa 0 []\n"
        "3c4d5e6f I--Q---     1 perm 3f010000     0     0 user      not a key: 1234\n"
        "garbage\n";

/* The same kernel with lockdown=integrity and no Secure Boot: only its build key. */
static const char proc_keys_no_secure_boot[] =
        "177fee51 I------     1 perm 1f0b0000     0     0 keyring   .platform: empty\n"
        "2170bef7 I------     1 perm 1f0f0000     0     0 keyring   .secondary_trusted_keys: 2\n"
        "25f10bea I------     1 perm 1f030000     0     0 asymmetri Build time autogenerated "
        "kernel key: 35ec5eb42ea9fd1caf03b977c56ef26a3720f629: X509.rsa 3720f629 []\n"
        "37989b6c I------     2 perm 1f0b0000     0     0 keyring   .builtin_trusted_keys: 1\n"
        "3b655799 I------     2 perm 1f0b0000     0     0 keyring   .machine: empty\n";

TEST(proc_keys)
{
        struct pesig_keyset s = {0};
        int32_t *rings = NULL;
        size_t n = 0;
        int32_t only = 0x3b4582a3;

        CHECK_INTEQ(pesig_keyset_add_proc_keys(&s, proc_keys_secure_boot, NULL, 0), 4);
        REQUIRE(s.n == 4);
        CHECK_STREQ(s.keys[0].name, "Microsoft Windows Production PCA 2011");
        CHECK_STREQ(s.keys[3].name, "Debian Secure Boot CA");
        CHECK_INTEQ(s.keys[3].skid.len, 20);
        CHECK_INTEQ(s.keys[3].skid.id[0], 0x6c);
        CHECK_INTEQ(s.keys[3].skid.id[19], 0xa1);
        pesig_keyset_done(&s);
        CHECK_INTEQ(pesig_keyset_add_proc_keys(&s, proc_keys_secure_boot, &only, 1), 1);
        CHECK(s.n == 1 && streq(s.keys[0].name, "Microsoft Corporation UEFI CA 2011"));
        pesig_keyset_done(&s);
        CHECK(pesig_proc_keyrings(proc_keys_secure_boot, ".platform", &rings, &n) == 0);
        CHECK(n == 1 && rings[0] == 0x18bc385d);
        free(rings);
        CHECK(pesig_proc_keyrings(proc_keys_secure_boot, ".machine", &rings, &n) == 0);
        CHECK(n == 1 && rings[0] == 0x3a7327af);
        free(rings);
        CHECK(pesig_proc_keyrings(proc_keys_no_secure_boot, ".machine", &rings, &n) == 0);
        CHECK(n == 1 && rings[0] == 0x3b655799);
        free(rings);
        CHECK(pesig_proc_keyrings(proc_keys_no_secure_boot, ".ima", &rings, &n) == 0);
        CHECK_INTEQ(n, 0);
        free(rings);
        CHECK(pesig_keyset_add(&s, "no id") == -EINVAL);
        CHECK(pesig_keyset_add(&s, "x: abc") == -EINVAL);
        CHECK_INTEQ(s.n, 0);
        pesig_keyset_done(&s);
}

/* The real keys against the real Debian-signed images: trusted under Secure Boot (the Debian CA
 * that shim passes on), not with lockdown alone; Microsoft-signed shim trusted through
 * .platform's UEFI CA. */
static void check_real_keys(bool *test_failed, const char *path, bool microsoft)
{
        struct pesig_keyset sb = {0}, plain = {0};
        struct pesig_info i;
        const struct pesig_key *k;

        REQUIRE(read_path(path, &i) == 0);
        REQUIRE(pesig_keyset_add_proc_keys(&sb, proc_keys_secure_boot, NULL, 0) == 4);
        REQUIRE(pesig_keyset_add_proc_keys(&plain, proc_keys_no_secure_boot, NULL, 0) == 1);
        CHECK_INTEQ(pesig_judge(&i, &sb, &k), PESIG_VERDICT_OK);
        CHECK(k && streq(k->name, microsoft ? "Microsoft Corporation UEFI CA 2011"
                                            : "Debian Secure Boot CA"));
        CHECK_INTEQ(pesig_judge(&i, &plain, NULL), PESIG_VERDICT_UNTRUSTED);
        pesig_keyset_done(&sb);
        pesig_keyset_done(&plain);
        pesig_info_done(&i);
}

TEST(real_keys)
{
        _cleanup_free_ char *k = debian_kernel();

        check_real_keys(test_failed, GRUB, false);
        check_real_keys(test_failed, SHIM, true);
        if (k && access(k, R_OK) == 0)
                check_real_keys(test_failed, k, false);
}

/* The fuzzer's seeds (headers + certificate table of the real images, sections dropped) still
 * parse as signed, so the fuzzer starts from inputs that reach the PKCS#7 code. */
TEST(fuzz_seeds_are_signed)
{
        static const char *const seeds[] = {"fuzz/seeds/pesig/grub-debian.efi",
                                            "fuzz/seeds/pesig/shim-two-signatures.efi",
                                            "fuzz/seeds/pesig/vmlinuz-debian.efi"};

        for (size_t k = 0; k < ARRAY_SIZE(seeds); k++) {
                struct pesig_info i;

                REQUIRE(read_path(seeds[k], &i) == 0);
                CHECK_INTEQ(i.state, PESIG_SIGNED);
                CHECK(pesig_signer(&i) != NULL);
                pesig_info_done(&i);
        }
}
