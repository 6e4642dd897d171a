/* SPDX-License-Identifier: GPL-2.0-or-later */
/* MOK requests byte for byte against what the real mokutil writes (run on a plain directory as
 * its efivarfs, EFIVARFS_PATH), SHA-512 crypt against libxcrypt's crypt_rn(), and the vendor
 * certificate of Debian's real signed shim, whole, truncated and corrupted. */
#include "test.h"

#include <crypt.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "backend/mok.h"
#include "core/util.h"

#define SHIM_SIGNED "/usr/lib/shim/shimx64.efi.signed"

extern char test_scratch[];

static int read_all(const char *path, uint8_t **ret, size_t *len)
{
        char *c;
        int r = util_read_file(path, 64 << 20, &c, len);

        if (r >= 0)
                *ret = (uint8_t *) c;
        return r;
}

static int write_all(const char *path, const void *data, size_t len)
{
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

        if (fd < 0 || write(fd, data, len) != (ssize_t) len)
                return -errno;
        return 0;
}

struct certs {
        uint8_t *der[4];
        size_t len[4];
        unsigned n;
};

static int collect(const uint8_t *der, size_t len, void *ud)
{
        struct certs *c = ud;

        if (c->n >= 4)
                return -E2BIG;
        c->der[c->n] = malloc(len);
        if (!c->der[c->n])
                return -ENOMEM;
        memcpy(c->der[c->n], der, len);
        c->len[c->n++] = len;
        return 0;
}

static void certs_done(struct certs *c)
{
        for (unsigned i = 0; i < c->n; i++)
                free(c->der[i]);
        c->n = 0;
}

/* Debian's vendor certificate, from the real shim. */
static int debian_cert(uint8_t **der, size_t *len)
{
        _cleanup_free_ uint8_t *pe = NULL;
        struct certs c = {0};
        size_t n;
        int r = read_all(SHIM_SIGNED, &pe, &n);

        if (r < 0)
                return r;
        r = mok_shim_vendor_certs(pe, n, collect, &c);
        if (r < 0 || c.n != 1) {
                certs_done(&c);
                return r < 0 ? r : -EINVAL;
        }
        *der = c.der[0];
        *len = c.len[0];
        return 0;
}

/* A second, self-signed certificate (EC P-256), made here. */
static int make_cert(const char *cn, uint8_t **der, size_t *len)
{
        EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
        X509 *x = X509_new();
        unsigned char *out = NULL;
        int n = -1;

        if (key && x) {
                X509_NAME *name = X509_get_subject_name(x);

                X509_set_version(x, 2);
                ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
                X509_gmtime_adj(X509_getm_notBefore(x), 0);
                X509_gmtime_adj(X509_getm_notAfter(x), 3600L * 24 * 365);
                X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *) cn, -1,
                                           -1, 0);
                X509_set_issuer_name(x, name);
                X509_set_pubkey(x, key);
                if (X509_sign(x, key, EVP_sha256()) > 0)
                        n = i2d_X509(x, &out);
        }
        X509_free(x);
        EVP_PKEY_free(key);
        if (n <= 0)
                return -EINVAL;
        *der = malloc((size_t) n);
        if (!*der) {
                OPENSSL_free(out);
                return -ENOMEM;
        }
        memcpy(*der, out, (size_t) n);
        *len = (size_t) n;
        OPENSSL_free(out);
        return 0;
}

/* The little-endian attributes at the start of an efivarfs file. */
static uint32_t get_le32_attr(const uint8_t *p)
{
        return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 |
               (uint32_t) p[3] << 24;
}

static bool have_mokutil(void)
{
        return system("command -v mokutil >/dev/null 2>&1") == 0;
}

/* Runs `mokutil --import cert` against vars (a directory standing for efivarfs) with password
 * typed twice on stdin. */
static int run_mokutil(const char *vars, const char *cert, const char *password)
{
        _cleanup_free_ char *cmd = util_asprintf(
                "printf '%%s\\n%%s\\n' '%s' '%s' | EFIVARFS_PATH='%s/' mokutil --ignore-keyring "
                "--import '%s' >/dev/null 2>&1",
                password, password, vars, cert);

        return cmd && system(cmd) == 0 ? 0 : -EIO;
}

TEST(requests_match_mokutil)
{
        _cleanup_free_ char *vars = util_asprintf("%s/efivars", test_scratch);
        _cleanup_free_ char *c1 = util_asprintf("%s/debian.der", test_scratch);
        _cleanup_free_ char *c2 = util_asprintf("%s/second.der", test_scratch);
        _cleanup_free_ char *sb = NULL, *new_path = NULL, *auth_path = NULL;
        _cleanup_free_ uint8_t *d1 = NULL, *d2 = NULL, *moknew = NULL, *mokauth = NULL;
        _cleanup_free_ uint8_t *ours = NULL, *ours2 = NULL, *file = NULL;
        uint8_t auth[MOK_AUTH_SIZE];
        size_t l1, l2, new_len, auth_len, ours_len, ours2_len, file_len;
        char salt[MOK_SALT_LEN + 1] = {0};
        uint64_t rounds = 0;

        if (!have_mokutil()) {
                printf("# mokutil is not installed (Debian package mokutil): it is the "
                       "reference\n");
                CHECK(!"mokutil missing");
                return;
        }
        REQUIRE(debian_cert(&d1, &l1) == 0);
        REQUIRE(make_cert("kexec-loader test key", &d2, &l2) == 0);
        REQUIRE(mkdir(vars, 0755) == 0);
        REQUIRE(write_all(c1, d1, l1) == 0 && write_all(c2, d2, l2) == 0);
        /* mokutil checks that the firmware has Secure Boot: SecureBoot = 1 (attributes BS|RT). */
        sb = util_asprintf("%s/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c", vars);
        REQUIRE(write_all(sb, "\x06\x00\x00\x00\x01", 5) == 0);
        new_path = util_asprintf("%s/MokNew-" MOK_GUID, vars);
        auth_path = util_asprintf("%s/MokAuth-" MOK_GUID, vars);

        /* One certificate. */
        REQUIRE(run_mokutil(vars, c1, "one time pw") == 0);
        REQUIRE(read_all(new_path, &moknew, &new_len) == 0);
        REQUIRE(mok_new_payload(d1, l1, NULL, 0, &ours, &ours_len) == 0);
        REQUIRE(mok_efivar_data(MOK_VAR_ATTRS, ours, ours_len, &file, &file_len) == 0);
        CHECK_INTEQ(file_len, new_len);
        CHECK(file_len == new_len && memcmp(file, moknew, new_len) == 0);

        /* MokAuth: mokutil's salt and rounds are in it; with them our payload is the same. */
        REQUIRE(read_all(auth_path, &mokauth, &auth_len) == 0);
        REQUIRE(auth_len == 4 + MOK_AUTH_SIZE);
        CHECK_INTEQ(mokauth[4], 4); /* SHA512_BASED */
        for (int i = 7; i >= 0; i--)
                rounds = rounds << 8 | mokauth[4 + 2 + i];
        REQUIRE(mokauth[4 + 10] > 0 && mokauth[4 + 10] <= MOK_SALT_LEN);
        memcpy(salt, mokauth + 4 + 12, mokauth[4 + 10]);
        REQUIRE(mok_auth_payload("one time pw", salt, (unsigned) rounds, auth) == 0);
        CHECK(memcmp(auth, mokauth + 4, MOK_AUTH_SIZE) == 0);
        CHECK_INTEQ(get_le32_attr(mokauth), MOK_VAR_ATTRS);
        /* Another password gives another hash. */
        REQUIRE(mok_auth_payload("one time pX", salt, (unsigned) rounds, auth) == 0);
        CHECK(memcmp(auth, mokauth + 4, MOK_AUTH_SIZE) != 0);

        /* A second certificate goes in front of the pending request, as mokutil puts it. */
        REQUIRE(run_mokutil(vars, c2, "second") == 0);
        free(moknew);
        moknew = NULL;
        REQUIRE(read_all(new_path, &moknew, &new_len) == 0);
        REQUIRE(mok_new_payload(d2, l2, ours, ours_len, &ours2, &ours2_len) == 0);
        CHECK_INTEQ(4 + ours2_len, new_len);
        CHECK(4 + ours2_len == new_len && memcmp(moknew + 4, ours2, ours2_len) == 0);

        /* The same certificate again: already requested, nothing added. */
        free(ours);
        ours = NULL;
        CHECK_INTEQ(mok_new_payload(d1, l1, ours2, ours2_len, &ours, &ours_len), 1);
        CHECK(ours_len == ours2_len && memcmp(ours, ours2, ours_len) == 0);
}

/* glibc's "$6$" text of a raw SHA-512 crypt digest (its byte order and base 64). */
static void crypt_b64(const uint8_t h[64], char *out)
{
        static const char b64[] =
                "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        static const uint8_t order[21][3] = {
                {0, 21, 42},  {22, 43, 1},  {44, 2, 23},  {3, 24, 45},  {25, 46, 4},  {47, 5, 26},
                {6, 27, 48},  {28, 49, 7},  {50, 8, 29},  {9, 30, 51},  {31, 52, 10}, {53, 11, 32},
                {12, 33, 54}, {34, 55, 13}, {56, 14, 35}, {15, 36, 57}, {37, 58, 16}, {59, 17, 38},
                {18, 39, 60}, {40, 61, 19}, {62, 20, 41}};
        char *p = out;

        for (int i = 0; i < 21; i++) {
                unsigned w = (unsigned) h[order[i][0]] << 16 | (unsigned) h[order[i][1]] << 8 |
                             h[order[i][2]];

                for (int k = 0; k < 4; k++, w >>= 6)
                        *p++ = b64[w & 63];
        }
        for (unsigned w = h[63], k = 0; k < 2; k++, w >>= 6)
                *p++ = b64[w & 63];
        *p = 0;
}

TEST(sha512_crypt_matches_libxcrypt)
{
        static const struct {
                const char *pw, *salt;
                unsigned rounds;
        } cases[] = {
                {"Hello world!", "saltstring", 5000},
                {"a", "x", 5000},
                {"one time pw", "B8YEyt7yQ1w2e3r4", 5000},
                {"0123456789012345678901234567890123456789012345678901234567890123456789", "ab",
                 1000},
                {"~ !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}", "./09AZaz", 5000},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                struct crypt_data cd = {0};
                char setting[64], mine[90];
                uint8_t h[64];
                const char *ref, *dollar;

                snprintf(setting, sizeof(setting), "$6$rounds=%u$%s", cases[i].rounds,
                         cases[i].salt);
                ref = crypt_rn(cases[i].pw, setting, &cd, sizeof(cd));
                REQUIRE(ref && ref[0] == '$');
                dollar = strrchr(ref, '$');
                REQUIRE(mok_sha512_crypt(cases[i].pw, cases[i].salt, cases[i].rounds, h) == 0);
                crypt_b64(h, mine);
                CHECK_STREQ(mine, dollar + 1);
        }
}

TEST(password_rules)
{
        char long_pw[MOK_PASSWORD_MAX + 2];

        CHECK(mok_password_check("a") == 0);
        CHECK(mok_password_check("correct horse ~!") == 0);
        CHECK(mok_password_check("") == -EINVAL);
        CHECK(mok_password_check(NULL) == -EINVAL);
        CHECK(mok_password_check("caf\xc3\xa9") == -EINVAL);
        CHECK(mok_password_check("tab\there") == -EINVAL);
        memset(long_pw, 'x', MOK_PASSWORD_MAX);
        long_pw[MOK_PASSWORD_MAX] = 0;
        CHECK(mok_password_check(long_pw) == 0);
        long_pw[MOK_PASSWORD_MAX] = 'x';
        long_pw[MOK_PASSWORD_MAX + 1] = 0;
        CHECK(mok_password_check(long_pw) == -EINVAL);

        uint8_t auth[MOK_AUTH_SIZE];
        CHECK(mok_auth_payload("", "salt", 5000, auth) == -EINVAL);
        CHECK(mok_auth_payload("pw", "", 5000, auth) == -EINVAL);
        CHECK(mok_auth_payload("pw", "01234567890123456", 5000, auth) == -EINVAL);
}

TEST(salt_alphabet)
{
        uint8_t rnd[MOK_SALT_LEN];
        char salt[MOK_SALT_LEN + 1];

        for (unsigned i = 0; i < MOK_SALT_LEN; i++)
                rnd[i] = (uint8_t) (i * 17 + 250);
        mok_salt_from_random(rnd, sizeof(rnd), salt);
        CHECK_INTEQ(strlen(salt), MOK_SALT_LEN);
        CHECK(strspn(salt, "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") ==
              MOK_SALT_LEN);
}

TEST(debian_vendor_cert)
{
        _cleanup_free_ uint8_t *der = NULL;
        struct mok_cert c = {0};
        size_t len;

        REQUIRE(debian_cert(&der, &len) == 0);
        REQUIRE(mok_cert_parse(der, len, "sda1:/EFI/debian/shimx64.efi", &c) == 0);
        CHECK_STREQ(c.subject, "Debian Secure Boot CA");
        CHECK_STREQ(c.issuer, "Debian Secure Boot CA");
        CHECK_INTEQ(c.der_len, len);
        /* `openssl x509 -inform der -fingerprint -sha256` of the same certificate */
        CHECK_STREQ(c.sha256, "079646974bce09b1f04da67bd722d1fb0947ae4c4010bccdbba52d5b23cbf1a2");
        CHECK_STREQ(c.origin, "sda1:/EFI/debian/shimx64.efi");
        /* its subject key id, which Debian's signers name as their authority key id */
        CHECK_INTEQ(c.skid_len, 20);
        /* `openssl x509 -ext subjectKeyIdentifier` of the same certificate */
        CHECK(c.skid_len == 20 && memcmp(c.skid,
                                         "\x6c\xce\xce\x7e\x4c\x6c\x0d\x1f\x61\x49\xf3\xdd"
                                         "\x27\xdf\xcc\x5c\xbb\x41\x9e\xa1",
                                         20) == 0);
        mok_cert_done(&c);
}

TEST(cert_pem_and_garbage)
{
        _cleanup_free_ uint8_t *der = NULL;
        _cleanup_free_ char *pem = NULL;
        struct mok_cert c = {0};
        size_t len, pem_len;
        BIO *bio;
        BUF_MEM *mem;
        X509 *x;
        const unsigned char *p;

        REQUIRE(make_cert("PEM test", &der, &len) == 0);
        p = der;
        x = d2i_X509(NULL, &p, (long) len);
        REQUIRE(x);
        bio = BIO_new(BIO_s_mem());
        BIO_puts(bio, "some text before\n");
        PEM_write_bio_X509(bio, x);
        BIO_get_mem_ptr(bio, &mem);
        pem_len = mem->length;
        pem = malloc(pem_len);
        memcpy(pem, mem->data, pem_len);
        BIO_free(bio);
        X509_free(x);

        REQUIRE(mok_cert_parse((uint8_t *) pem, pem_len, NULL, &c) == 0);
        CHECK_STREQ(c.subject, "PEM test");
        CHECK(c.der_len == len && memcmp(c.der, der, len) == 0);
        CHECK(c.origin == NULL);
        mok_cert_done(&c);

        /* DER with trailing bytes: the certificate only. */
        {
                _cleanup_free_ uint8_t *more = malloc(len + 10);

                memcpy(more, der, len);
                memset(more + len, 0xaa, 10);
                REQUIRE(mok_cert_parse(more, len + 10, NULL, &c) == 0);
                CHECK_INTEQ(c.der_len, len);
                mok_cert_done(&c);
        }
        CHECK(mok_cert_parse((const uint8_t *) "hello", 5, NULL, &c) == -EINVAL);
        for (size_t cut = 0; cut < len; cut += 7)
                CHECK(mok_cert_parse(der, cut, NULL, &c) == -EINVAL);
}

TEST(cert_list_dedup)
{
        _cleanup_free_ uint8_t *der = NULL;
        struct mok_cert_list l = {0};
        struct mok_cert c = {0};
        size_t len;

        REQUIRE(make_cert("dup", &der, &len) == 0);
        REQUIRE(mok_cert_parse(der, len, "a", &c) == 0);
        CHECK_INTEQ(mok_cert_list_add(&l, &c), 1);
        REQUIRE(mok_cert_parse(der, len, "b", &c) == 0);
        CHECK_INTEQ(mok_cert_list_add(&l, &c), 0);
        CHECK_INTEQ(l.n, 1);
        CHECK_STREQ(l.items[0].origin, "a");
        mok_cert_list_done(&l);
}

static int count_cb(const uint8_t *der, size_t len, void *ud)
{
        (void) der;
        (void) len;
        (*(unsigned *) ud)++;
        return 0;
}

/* The real shim cut at every 997th byte and at the places its headers end, and with its headers
 * bent: never a read outside the buffer (ASan), never a certificate from a cut section. */
TEST(hostile_shims)
{
        _cleanup_free_ uint8_t *pe = NULL;
        size_t n;
        unsigned count;
        uint32_t pe_off;

        REQUIRE(read_all(SHIM_SIGNED, &pe, &n) == 0);
        count = 0;
        REQUIRE(mok_shim_vendor_certs(pe, n, count_cb, &count) == 0);
        CHECK_INTEQ(count, 1);
        for (size_t cut = 0; cut < n; cut += 997) {
                _cleanup_free_ uint8_t *copy = malloc(cut ? cut : 1);
                int r;

                memcpy(copy, pe, cut);
                count = 0;
                r = mok_shim_vendor_certs(copy, cut, count_cb, &count);
                CHECK(r == 0 || r == -EINVAL || r == -ENOENT);
                CHECK(r != 0 || count == 1);
        }
        pe_off = (uint32_t) pe[0x3c] | (uint32_t) pe[0x3d] << 8;
        /* Bent fields: offsets 0x3c (e_lfanew), the section count, the symbol table, and every
         * byte of every section header set to 0xff in turn. */
        {
                size_t fields[] = {0x3c, 0x3f, pe_off + 6, pe_off + 12, pe_off + 16, pe_off + 20};

                for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
                        _cleanup_free_ uint8_t *copy = malloc(n);
                        int r;

                        memcpy(copy, pe, n);
                        copy[fields[i]] = 0xff;
                        r = mok_shim_vendor_certs(copy, n, count_cb, &count);
                        CHECK(r == 0 || r == -EINVAL || r == -ENOENT);
                }
        }
        {
                uint16_t nsec = (uint16_t) (pe[pe_off + 6] | pe[pe_off + 7] << 8);
                uint16_t optsz = (uint16_t) (pe[pe_off + 20] | pe[pe_off + 21] << 8);
                size_t sections = pe_off + 24 + optsz;
                _cleanup_free_ uint8_t *copy = malloc(n);

                for (size_t b = 0; b < (size_t) nsec * 40; b++) {
                        int r;

                        memcpy(copy, pe, n);
                        copy[sections + b] = 0xff;
                        copy[sections + (b ^ 1)] = 0xff;
                        r = mok_shim_vendor_certs(copy, n, count_cb, &count);
                        CHECK(r == 0 || r == -EINVAL || r == -ENOENT);
                }
        }
        {
                /* cert_table offsets past the section's end, and sizes that wrap. */
                _cleanup_free_ uint8_t *der = NULL, *copy = malloc(n);
                const uint8_t *at;
                size_t dl, table;
                int r;

                REQUIRE(debian_cert(&der, &dl) == 0);
                at = memmem(pe, n, der, dl);
                REQUIRE(at && at - pe >= 16);
                table = (size_t) (at - pe) - 16; /* the certificate follows the 16-byte table */
                memcpy(copy, pe, n);
                memset(copy + table + 8, 0xff, 4);
                CHECK(mok_shim_vendor_certs(copy, n, count_cb, &count) == -EINVAL);
                memcpy(copy, pe, n);
                memcpy(copy + table, "\xf0\xff\xff\xff", 4);
                CHECK(mok_shim_vendor_certs(copy, n, count_cb, &count) == -EINVAL);
                memcpy(copy, pe, n);
                memset(copy + table, 0, 4);
                CHECK(mok_shim_vendor_certs(copy, n, count_cb, &count) == -ENOENT);
                /* an authorized part that is no certificate and no signature list */
                memcpy(copy, pe, n);
                copy[table + 16] = 0x00;
                count = 0;
                r = mok_shim_vendor_certs(copy, n, count_cb, &count);
                CHECK((r == -EINVAL || r == -ENOENT) && count == 0);
        }
        /* Not a PE at all. */
        CHECK(mok_shim_vendor_certs((const uint8_t *) "MZ", 2, count_cb, &count) == -EINVAL);
}

TEST(siglist_bounds)
{
        _cleanup_free_ uint8_t *der = NULL, *list = NULL;
        size_t len, list_len;
        unsigned count = 0;

        REQUIRE(make_cert("list", &der, &len) == 0);
        REQUIRE(mok_new_payload(der, len, NULL, 0, &list, &list_len) == 0);
        CHECK(mok_siglist_foreach(list, list_len, count_cb, &count) == 0);
        CHECK_INTEQ(count, 1);
        for (size_t cut = 1; cut < list_len; cut++)
                CHECK(mok_siglist_foreach(list, cut, count_cb, &count) == -EINVAL);
        list[16] = 27; /* a list smaller than its header */
        CHECK(mok_siglist_foreach(list, list_len, count_cb, &count) == -EINVAL);
        list[16] = (uint8_t) list_len;
        list[20] = 0xff; /* a header larger than the list */
        list[21] = 0xff;
        CHECK(mok_siglist_foreach(list, list_len, count_cb, &count) == -EINVAL);
        /* A malformed pending request is refused, not extended. */
        {
                _cleanup_free_ uint8_t *out = NULL;
                size_t out_len;

                CHECK(mok_new_payload(der, len, list, 10, &out, &out_len) == -EINVAL);
                CHECK(mok_new_payload(der, 0, NULL, 0, &out, &out_len) == -EINVAL);
        }
}
