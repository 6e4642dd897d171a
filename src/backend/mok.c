/* SPDX-License-Identifier: GPL-2.0-or-later */
/* MOK enrolment requests and the certificates to enrol (see mok.h). Pure. */
#include "mok.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "../core/util.h"

/* EFI_CERT_X509_GUID a5c059a1-94e4-4aa7-87b5-ab155c2bf072 and SHIM_LOCK_GUID, as stored (the
 * first three fields little-endian). */
static const uint8_t x509_guid[16] = {0xa1, 0x59, 0xc0, 0xa5, 0xe4, 0x94, 0xa7, 0x4a,
                                      0x87, 0xb5, 0xab, 0x15, 0x5c, 0x2b, 0xf0, 0x72};
static const uint8_t shim_guid[16] = {0x50, 0xab, 0x5d, 0x60, 0x46, 0xe0, 0x00, 0x43,
                                      0xab, 0xb6, 0x3d, 0xd8, 0x10, 0xdd, 0x8b, 0x23};

/* sizeof(EFI_SIGNATURE_LIST): SignatureType, SignatureListSize, SignatureHeaderSize,
 * SignatureSize. */
#define ESL_HEADER 28
#define GUID_SIZE  16

/* PASSWORD_CRYPT's fields. */
#define AUTH_METHOD_SHA512 4
#define AUTH_OFF_ROUNDS    2
#define AUTH_OFF_SALT_SIZE 10
#define AUTH_OFF_SALT      12
#define AUTH_OFF_HASH      44

static uint32_t get_le32(const uint8_t *p)
{
        return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 |
               (uint32_t) p[3] << 24;
}

static uint16_t get_le16(const uint8_t *p)
{
        return (uint16_t) (p[0] | p[1] << 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
        for (int i = 0; i < 4; i++)
                p[i] = (uint8_t) (v >> (8 * i));
}

static void put_le64(uint8_t *p, uint64_t v)
{
        for (int i = 0; i < 8; i++)
                p[i] = (uint8_t) (v >> (8 * i));
}

int mok_password_check(const char *password)
{
        size_t n = password ? strlen(password) : 0;

        if (n < MOK_PASSWORD_MIN || n > MOK_PASSWORD_MAX)
                return -EINVAL;
        for (size_t i = 0; i < n; i++)
                if ((unsigned char) password[i] < 0x20 || (unsigned char) password[i] > 0x7e)
                        return -EINVAL;
        return 0;
}

void mok_salt_from_random(const uint8_t *random, size_t n, char *salt)
{
        static const char alphabet[] =
                "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

        if (n > MOK_SALT_LEN)
                n = MOK_SALT_LEN;
        for (size_t i = 0; i < n; i++)
                salt[i] = alphabet[random[i] & 63];
        salt[n] = 0;
}

/* ---- SHA-512 crypt (Ulrich Drepper's specification, as glibc, libxcrypt and shim) ---- */

struct sha512 {
        EVP_MD_CTX *ctx;
        bool failed;
};

static void h_begin(struct sha512 *h)
{
        if (EVP_DigestInit_ex(h->ctx, EVP_sha512(), NULL) != 1)
                h->failed = true;
}

static void h_add(struct sha512 *h, const void *p, size_t n)
{
        if (n && EVP_DigestUpdate(h->ctx, p, n) != 1)
                h->failed = true;
}

static void h_end(struct sha512 *h, uint8_t out[64])
{
        if (EVP_DigestFinal_ex(h->ctx, out, NULL) != 1)
                h->failed = true;
}

/* n bytes made of digest repeated. */
static void repeat_fill(uint8_t *dst, size_t n, const uint8_t digest[64])
{
        for (size_t i = 0; i < n; i += 64)
                memcpy(dst + i, digest, n - i < 64 ? n - i : 64);
}

int mok_sha512_crypt(const char *password, const char *salt, unsigned rounds, uint8_t out[64])
{
        size_t kl = strlen(password), sl = strnlen(salt, 16);
        uint8_t a[64], b[64], dp[64], ds[64], s_bytes[16];
        _cleanup_free_ uint8_t *p_bytes = malloc(kl ? kl : 1);
        struct sha512 h = {EVP_MD_CTX_new(), false};
        size_t cnt;

        if (!p_bytes || !h.ctx) {
                EVP_MD_CTX_free(h.ctx);
                return -ENOMEM;
        }
        /* B = H(password salt password) */
        h_begin(&h);
        h_add(&h, password, kl);
        h_add(&h, salt, sl);
        h_add(&h, password, kl);
        h_end(&h, b);
        /* A = H(password salt B-bytes-for-each-password-byte, then B or the password for each bit
         * of the password's length) */
        h_begin(&h);
        h_add(&h, password, kl);
        h_add(&h, salt, sl);
        for (cnt = kl; cnt > 64; cnt -= 64)
                h_add(&h, b, 64);
        h_add(&h, b, cnt);
        for (cnt = kl; cnt > 0; cnt >>= 1)
                if (cnt & 1)
                        h_add(&h, b, 64);
                else
                        h_add(&h, password, kl);
        h_end(&h, a);
        /* P: H(password repeated length times), stretched to the password's length */
        h_begin(&h);
        for (cnt = 0; cnt < kl; cnt++)
                h_add(&h, password, kl);
        h_end(&h, dp);
        repeat_fill(p_bytes, kl, dp);
        /* S: H(salt repeated 16 + A[0] times), stretched to the salt's length */
        h_begin(&h);
        for (cnt = 0; cnt < 16u + a[0]; cnt++)
                h_add(&h, salt, sl);
        h_end(&h, ds);
        repeat_fill(s_bytes, sl, ds);
        for (unsigned r = 0; r < rounds && !h.failed; r++) {
                h_begin(&h);
                if (r & 1)
                        h_add(&h, p_bytes, kl);
                else
                        h_add(&h, a, 64);
                if (r % 3)
                        h_add(&h, s_bytes, sl);
                if (r % 7)
                        h_add(&h, p_bytes, kl);
                if (r & 1)
                        h_add(&h, a, 64);
                else
                        h_add(&h, p_bytes, kl);
                h_end(&h, a);
        }
        EVP_MD_CTX_free(h.ctx);
        memcpy(out, a, 64);
        explicit_bzero(p_bytes, kl);
        explicit_bzero(b, sizeof(b));
        explicit_bzero(dp, sizeof(dp));
        explicit_bzero(a, sizeof(a));
        return h.failed ? -ENOMEM : 0;
}

int mok_auth_payload(const char *password, const char *salt, unsigned rounds,
                     uint8_t out[MOK_AUTH_SIZE])
{
        size_t sl = strlen(salt);
        int r;

        if (mok_password_check(password) < 0 || sl == 0 || sl > MOK_SALT_LEN)
                return -EINVAL;
        memset(out, 0, MOK_AUTH_SIZE);
        out[0] = AUTH_METHOD_SHA512;
        put_le64(out + AUTH_OFF_ROUNDS, rounds);
        out[AUTH_OFF_SALT_SIZE] = (uint8_t) sl;
        memcpy(out + AUTH_OFF_SALT, salt, sl);
        r = mok_sha512_crypt(password, salt, rounds, out + AUTH_OFF_HASH);
        if (r < 0)
                explicit_bzero(out, MOK_AUTH_SIZE);
        return r;
}

/* ---- signature lists ---- */

int mok_siglist_foreach(const uint8_t *data, size_t len,
                        int (*fn)(const uint8_t *der, size_t len, void *ud), void *ud)
{
        size_t off = 0;

        while (off < len) {
                const uint8_t *l = data + off;
                uint32_t list_size, header_size, sig_size;
                size_t body, pos;

                if (len - off < ESL_HEADER)
                        return -EINVAL;
                list_size = get_le32(l + 16);
                header_size = get_le32(l + 20);
                sig_size = get_le32(l + 24);
                if (list_size < ESL_HEADER || list_size > len - off ||
                    header_size > list_size - ESL_HEADER)
                        return -EINVAL;
                body = list_size - ESL_HEADER - header_size;
                pos = ESL_HEADER + header_size;
                if (memcmp(l, x509_guid, GUID_SIZE) == 0 && sig_size > GUID_SIZE)
                        for (; body >= sig_size; body -= sig_size, pos += sig_size) {
                                int r = fn(l + pos + GUID_SIZE, sig_size - GUID_SIZE, ud);

                                if (r < 0)
                                        return r;
                        }
                off += list_size;
        }
        return 0;
}

struct find_der {
        const uint8_t *der;
        size_t len;
};

static int find_der_cb(const uint8_t *der, size_t len, void *ud)
{
        const struct find_der *f = ud;

        return len == f->len && memcmp(der, f->der, len) == 0 ? -EEXIST : 0;
}

int mok_new_payload(const uint8_t *cert, size_t cert_len, const uint8_t *old, size_t old_len,
                    uint8_t **ret, size_t *ret_len)
{
        struct find_der f = {cert, cert_len};
        size_t list = ESL_HEADER + GUID_SIZE + cert_len;
        uint8_t *p;
        int r;

        if (!cert || cert_len == 0 || cert_len > MOK_CERT_MAX || (!old && old_len))
                return -EINVAL;
        r = old ? mok_siglist_foreach(old, old_len, find_der_cb, &f) : 0;
        if (r < 0 && r != -EEXIST)
                return r;
        if (r == -EEXIST) {
                p = malloc(old_len);
                if (!p)
                        return -ENOMEM;
                memcpy(p, old, old_len);
                *ret = p;
                *ret_len = old_len;
                return 1;
        }
        if (old_len > MOK_NEW_MAX - list)
                return -EFBIG;
        p = malloc(list + old_len);
        if (!p)
                return -ENOMEM;
        memcpy(p, x509_guid, GUID_SIZE);
        put_le32(p + 16, (uint32_t) list);
        put_le32(p + 20, 0);
        put_le32(p + 24, (uint32_t) (GUID_SIZE + cert_len));
        memcpy(p + ESL_HEADER, shim_guid, GUID_SIZE);
        memcpy(p + ESL_HEADER + GUID_SIZE, cert, cert_len);
        if (old_len)
                memcpy(p + list, old, old_len);
        *ret = p;
        *ret_len = list + old_len;
        return 0;
}

int mok_efivar_data(uint32_t attrs, const uint8_t *payload, size_t len, uint8_t **ret,
                    size_t *ret_len)
{
        uint8_t *p;

        if (len > MOK_NEW_MAX)
                return -EFBIG;
        p = malloc(4 + len);
        if (!p)
                return -ENOMEM;
        put_le32(p, attrs);
        if (len)
                memcpy(p + 4, payload, len);
        *ret = p;
        *ret_len = 4 + len;
        return 0;
}

/* ---- certificates ---- */

void mok_cert_done(struct mok_cert *c)
{
        free(c->der);
        free(c->subject);
        free(c->issuer);
        free(c->origin);
        free(c->distro);
        *c = (struct mok_cert){0};
}

/* A name's CN (else the whole name on one line), control characters replaced: the text is shown
 * on screen and comes from an untrusted disk. */
static char *name_text(X509_NAME *name)
{
        int i = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
        unsigned char *utf8 = NULL;
        char *s = NULL;

        if (i >= 0) {
                ASN1_STRING *d = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
                int n = d ? ASN1_STRING_to_UTF8(&utf8, d) : -1;

                if (n >= 0)
                        s = strndup((char *) utf8, (size_t) n);
                OPENSSL_free(utf8);
        } else {
                char *one = X509_NAME_oneline(name, NULL, 0);

                if (one)
                        s = strdup(one);
                OPENSSL_free(one);
        }
        if (!s)
                return NULL;
        for (char *c = s; *c; c++)
                if ((unsigned char) *c < 0x20 || *c == 0x7f)
                        *c = '?';
        if (strlen(s) > 200)
                strcpy(s + 197, "...");
        return s;
}

static X509 *parse_x509(const uint8_t *data, size_t len, uint8_t **der, size_t *der_len)
{
        static const char pem_begin[] = "-----BEGIN CERTIFICATE-----";
        X509 *x = NULL;

        if (len > 4 * MOK_CERT_MAX)
                return NULL;
        if (memmem(data, len, pem_begin, sizeof(pem_begin) - 1)) {
                BIO *bio = BIO_new_mem_buf(data, (int) len);

                x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
                BIO_free(bio);
                if (x) {
                        unsigned char *out = NULL;
                        int n = i2d_X509(x, &out);

                        if (n <= 0 || n > MOK_CERT_MAX || !(*der = malloc((size_t) n))) {
                                OPENSSL_free(out);
                                X509_free(x);
                                return NULL;
                        }
                        memcpy(*der, out, (size_t) n);
                        *der_len = (size_t) n;
                        OPENSSL_free(out);
                }
                return x;
        }
        {
                const unsigned char *p = data;
                size_t n;

                x = d2i_X509(NULL, &p, (long) len);
                if (!x)
                        return NULL;
                n = (size_t) (p - data);
                if (n == 0 || n > MOK_CERT_MAX || !(*der = malloc(n))) {
                        X509_free(x);
                        return NULL;
                }
                memcpy(*der, data, n);
                *der_len = n;
        }
        return x;
}

int mok_cert_parse(const uint8_t *data, size_t len, const char *origin, struct mok_cert *ret)
{
        struct mok_cert c = {0};
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned md_len = 0;
        X509 *x;

        x = parse_x509(data, len, &c.der, &c.der_len);
        if (!x)
                return -EINVAL;
        c.subject = name_text(X509_get_subject_name(x));
        c.issuer = name_text(X509_get_issuer_name(x));
        {
                const ASN1_OCTET_STRING *skid = X509_get0_subject_key_id(x);

                if (skid && ASN1_STRING_length(skid) > 0 &&
                    (size_t) ASN1_STRING_length(skid) <= sizeof(c.skid)) {
                        c.skid_len = (size_t) ASN1_STRING_length(skid);
                        memcpy(c.skid, ASN1_STRING_get0_data(skid), c.skid_len);
                }
        }
        X509_free(x);
        if (!c.subject || !c.issuer ||
            EVP_Digest(c.der, c.der_len, md, &md_len, EVP_sha256(), NULL) != 1 ||
            (origin && !(c.origin = strdup(origin)))) {
                mok_cert_done(&c);
                return -ENOMEM;
        }
        for (unsigned i = 0; i < md_len && i < 32; i++)
                snprintf(c.sha256 + 2 * i, 3, "%02x", md[i]);
        *ret = c;
        return 0;
}

void mok_cert_list_done(struct mok_cert_list *l)
{
        for (size_t i = 0; i < l->n; i++)
                mok_cert_done(&l->items[i]);
        free(l->items);
        *l = (struct mok_cert_list){0};
}

int mok_cert_list_add(struct mok_cert_list *l, struct mok_cert *c)
{
        for (size_t i = 0; i < l->n; i++)
                if (l->items[i].der_len == c->der_len &&
                    memcmp(l->items[i].der, c->der, c->der_len) == 0) {
                        mok_cert_done(c);
                        return 0;
                }
        if (l->n >= 64) {
                mok_cert_done(c);
                return -E2BIG;
        }
        if (util_grow((void **) &l->items, &l->cap, l->n + 1, sizeof(*l->items)) < 0) {
                mok_cert_done(c);
                return -ENOMEM;
        }
        l->items[l->n++] = *c;
        *c = (struct mok_cert){0};
        return 1;
}

/* ---- shim's vendor certificate ---- */

#define PE_MAX_SECTIONS 96
#define SECTION_HEADER  40
#define COFF_SYMBOL     18

/* Whether the section header sh (inside pe) is named .vendor_cert. */
static bool is_vendor_section(const uint8_t *pe, size_t len, const uint8_t *sh, uint64_t strtab)
{
        static const char want[] = ".vendor_cert";
        uint64_t off = 0;

        if (sh[0] != '/')
                return memcmp(sh, ".vendor_", 8) == 0;
        for (int i = 1; i < 8 && sh[i]; i++) {
                if (sh[i] < '0' || sh[i] > '9')
                        return false;
                off = off * 10 + (uint64_t) (sh[i] - '0');
        }
        return strtab && strtab + off + sizeof(want) <= len &&
               memcmp(pe + strtab + off, want, sizeof(want)) == 0;
}

struct count_certs {
        int (*fn)(const uint8_t *der, size_t len, void *ud);
        void *ud;
        unsigned n;
};

static int count_certs_cb(const uint8_t *der, size_t len, void *ud)
{
        struct count_certs *c = ud;

        c->n++;
        return c->fn(der, len, c->ud);
}

int mok_shim_vendor_certs(const uint8_t *pe, size_t len,
                          int (*fn)(const uint8_t *der, size_t len, void *ud), void *ud)
{
        uint32_t pe_off, symtab, nsyms, auth_size, auth_off;
        uint16_t nsec, optsz;
        uint64_t sections, strtab;
        const uint8_t *sec = NULL, *auth;
        size_t sec_size = 0;

        if (len < 0x40 || pe[0] != 'M' || pe[1] != 'Z')
                return -EINVAL;
        pe_off = get_le32(pe + 0x3c);
        if ((uint64_t) pe_off + 24 > len || memcmp(pe + pe_off, "PE\0\0", 4) != 0)
                return -EINVAL;
        nsec = get_le16(pe + pe_off + 6);
        symtab = get_le32(pe + pe_off + 12);
        nsyms = get_le32(pe + pe_off + 16);
        optsz = get_le16(pe + pe_off + 20);
        sections = (uint64_t) pe_off + 24 + optsz;
        if (nsec > PE_MAX_SECTIONS || sections + (uint64_t) nsec * SECTION_HEADER > len)
                return -EINVAL;
        strtab = symtab ? (uint64_t) symtab + (uint64_t) nsyms * COFF_SYMBOL : 0;
        for (unsigned i = 0; i < nsec; i++) {
                const uint8_t *sh = pe + sections + (uint64_t) i * SECTION_HEADER;
                uint32_t vsize = get_le32(sh + 8), raw_size = get_le32(sh + 16),
                         raw_ptr = get_le32(sh + 20);

                if (!is_vendor_section(pe, len, sh, strtab))
                        continue;
                sec_size = vsize && vsize < raw_size ? vsize : raw_size;
                if ((uint64_t) raw_ptr + sec_size > len)
                        return -EINVAL;
                sec = pe + raw_ptr;
                break;
        }
        if (!sec)
                return -ENOENT;
        if (sec_size < 16)
                return -EINVAL;
        auth_size = get_le32(sec);
        auth_off = get_le32(sec + 8);
        if (auth_size == 0)
                return -ENOENT;
        if ((uint64_t) auth_off + auth_size > sec_size)
                return -EINVAL;
        auth = sec + auth_off;
        if (auth[0] == 0x30) /* a DER SEQUENCE: one certificate */
                return fn(auth, auth_size, ud);
        {
                struct count_certs c = {fn, ud, 0};
                int r = mok_siglist_foreach(auth, auth_size, count_certs_cb, &c);

                return r < 0 ? r : c.n ? 0 : -ENOENT;
        }
}
