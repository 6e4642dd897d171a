/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PE/COFF signatures (Authenticode) and a prediction of the kernel's trust in them: see pesig.h.
 * The header checks follow the kernel's pefile_parse_binary() and pefile_strip_sig_wrapper(), so
 * what the kernel calls malformed is malformed here too. */
#include "pesig.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/pefile.h"
#include "../core/util.h"

#define DATA_DIR_CERTS       4
#define WIN_CERT_HEADER_SIZE 8
#define WIN_CERT_REVISION_2  0x0200
#define WIN_CERT_TYPE_PKCS   0x0002

static int set_why(struct pesig_info *i, enum pesig_state state, const char *fmt, ...)
        _printf_(3, 4);
static int set_why(struct pesig_info *i, enum pesig_state state, const char *fmt, ...)
{
        va_list ap;

        i->state = state;
        free(i->why);
        va_start(ap, fmt);
        i->why = util_vasprintf(fmt, ap);
        va_end(ap);
        return i->why ? 0 : -ENOMEM;
}

/* A name from a certificate for a user: CN, else O, else the one-line name; control characters
 * become '?', at most PESIG_NAME_MAX bytes. */
static char *name_text(const X509_NAME *name)
{
        static const int nids[] = {NID_commonName, NID_organizationName};
        unsigned char *utf8 = NULL;
        char *s = NULL;

        if (!name)
                return strdup("?");
        for (size_t k = 0; k < ARRAY_SIZE(nids) && !s; k++) {
                int idx = X509_NAME_get_index_by_NID(name, nids[k], -1);
                const X509_NAME_ENTRY *e = idx >= 0 ? X509_NAME_get_entry(name, idx) : NULL;
                int n;

                if (!e)
                        continue;
                n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e));
                if (n >= 0) {
                        s = strndup((const char *) utf8, MIN((size_t) n, (size_t) PESIG_NAME_MAX));
                        OPENSSL_free(utf8);
                        utf8 = NULL;
                        if (!s)
                                return NULL;
                }
        }
        if (!s) {
                char buf[PESIG_NAME_MAX + 1];

                X509_NAME_oneline(name, buf, sizeof(buf));
                s = strdup(buf);
        }
        for (char *p = s; p && *p; p++)
                if ((unsigned char) *p < 0x20 || *p == 0x7f)
                        *p = '?';
        return s;
}

static void keyid_set(struct pesig_keyid *k, const ASN1_OCTET_STRING *o)
{
        int n = o ? ASN1_STRING_length(o) : 0;

        k->len = 0;
        if (n <= 0)
                return;
        k->len = MIN((size_t) n, (size_t) PESIG_KEYID_MAX);
        memcpy(k->id, ASN1_STRING_get0_data(o), k->len);
}

static bool keyid_same(const struct pesig_keyid *a, const struct pesig_keyid *b)
{
        return a->len > 0 && a->len == b->len && memcmp(a->id, b->id, a->len) == 0;
}

static void cert_done(struct pesig_cert *c)
{
        free(c->subject);
        free(c->issuer);
}

static void signature_done(struct pesig_signature *s)
{
        for (size_t i = 0; i < s->n_certs; i++)
                cert_done(&s->certs[i]);
        free(s->certs);
        free(s->signer_issuer);
        *s = (struct pesig_signature){0};
}

void pesig_info_done(struct pesig_info *i)
{
        for (size_t k = 0; k < i->n_sigs; k++)
                signature_done(&i->sigs[k]);
        free(i->sigs);
        free(i->why);
        *i = (struct pesig_info){0};
}

/* The certificates of a SignedData message and who signed it. 0, -EBADMSG (not a SignedData
 * message OpenSSL can read), -ENOMEM. */
static int parse_pkcs7(const unsigned char *der, size_t len, struct pesig_signature *ret)
{
        const unsigned char *p = der;
        PKCS7 *p7;
        STACK_OF(X509) * certs;
        STACK_OF(PKCS7_SIGNER_INFO) * infos;
        X509 *signer = NULL;
        int r = 0, n;

        ret->signer = -1;
        if (len > (size_t) INT32_MAX)
                return -EBADMSG;
        p7 = d2i_PKCS7(NULL, &p, (long) len);
        if (!p7)
                return -EBADMSG;
        if (!PKCS7_type_is_signed(p7) || !p7->d.sign) {
                r = -EBADMSG;
                goto out;
        }
        certs = p7->d.sign->cert;
        n = certs ? sk_X509_num(certs) : 0;
        n = MIN(n, PESIG_CERTS_MAX);
        if (n > 0) {
                ret->certs = calloc((size_t) n, sizeof(*ret->certs));
                if (!ret->certs) {
                        r = -ENOMEM;
                        goto out;
                }
        }
        ret->signer = -1;
        infos = PKCS7_get_signer_info(p7);
        if (infos && sk_PKCS7_SIGNER_INFO_num(infos) > 0) {
                PKCS7_SIGNER_INFO *si = sk_PKCS7_SIGNER_INFO_value(infos, 0);

                if (si && si->issuer_and_serial) {
                        ret->signer_issuer = name_text(si->issuer_and_serial->issuer);
                        if (!ret->signer_issuer) {
                                r = -ENOMEM;
                                goto out;
                        }
                        if (certs)
                                signer = X509_find_by_issuer_and_serial(
                                        certs, si->issuer_and_serial->issuer,
                                        si->issuer_and_serial->serial);
                }
        }
        for (int k = 0; k < n; k++) {
                X509 *x = sk_X509_value(certs, k);
                struct pesig_cert *c = &ret->certs[ret->n_certs];

                if (!x)
                        continue;
                c->issued_by = -1;
                c->subject = name_text(X509_get_subject_name(x));
                c->issuer = name_text(X509_get_issuer_name(x));
                ret->n_certs++;
                if (!c->subject || !c->issuer) {
                        r = -ENOMEM;
                        goto out;
                }
                keyid_set(&c->skid, X509_get0_subject_key_id(x));
                keyid_set(&c->akid, X509_get0_authority_key_id(x));
                c->self_signed =
                        X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0;
                if (x == signer)
                        ret->signer = (int) ret->n_certs - 1;
        }
        /* Who issued whom inside the message: by key id when the certificate names its
         * authority's, else by name (the kernel's x509->signer, pkcs7_verify_sig_chain). */
        for (size_t k = 0; k < ret->n_certs; k++) {
                struct pesig_cert *c = &ret->certs[k];
                X509 *x = sk_X509_value(certs, (int) k);

                if (c->self_signed)
                        continue;
                for (size_t m = 0; m < ret->n_certs && c->issued_by < 0; m++) {
                        X509 *y = sk_X509_value(certs, (int) m);

                        if (m == k)
                                continue;
                        if (c->akid.len > 0 ? keyid_same(&c->akid, &ret->certs[m].skid)
                                            : X509_NAME_cmp(X509_get_issuer_name(x),
                                                            X509_get_subject_name(y)) == 0)
                                c->issued_by = (int) m;
                }
        }
out:
        PKCS7_free(p7);
        return r;
}

/* The WIN_CERTIFICATE at off of the table: its PKCS#7 message into *ret. 0; -EBADMSG with
 * *ret_why saying what is wrong; -ENOMEM. */
static int read_signature(const unsigned char *table, size_t table_len, size_t off,
                          struct pesig_signature *ret, char **ret_why)
{
        uint32_t wlen = pefile_le32(table + off);
        uint16_t rev = pefile_le16(table + off + 4), type = pefile_le16(table + off + 6);
        int r;

        if (wlen < WIN_CERT_HEADER_SIZE + 4 || wlen > table_len - off) {
                *ret_why = util_asprintf("a signature's length (%u bytes) does not fit the "
                                         "certificate table",
                                         wlen);
                return *ret_why ? -EBADMSG : -ENOMEM;
        }
        if (rev != WIN_CERT_REVISION_2 || type != WIN_CERT_TYPE_PKCS) {
                *ret_why = util_asprintf("the signature is not PKCS#7 signed data (revision "
                                         "%#x, type %#x)",
                                         rev, type);
                return *ret_why ? -EBADMSG : -ENOMEM;
        }
        r = parse_pkcs7(table + off + WIN_CERT_HEADER_SIZE, wlen - WIN_CERT_HEADER_SIZE, ret);
        if (r < 0) {
                signature_done(ret);
                if (r == -ENOMEM)
                        return r;
                *ret_why = strdup("the signature is not a PKCS#7 SignedData message");
                return *ret_why ? -EBADMSG : -ENOMEM;
        }
        return 0;
}

int pesig_read(pesig_read_fn read, void *userdata, uint64_t size, struct pesig_info *ret)
{
        unsigned char dir[8];
        _cleanup_free_ unsigned char *table = NULL;
        _cleanup_free_ char *not_pe = NULL;
        struct pefile pe;
        uint32_t header_size, n_dirs, table_off, table_len;
        uint64_t cursor;
        int r;

        *ret = (struct pesig_info){0};
        r = pefile_open(read, userdata, size, &pe, &not_pe);
        if (r == -ENOEXEC)
                return set_why(ret, PESIG_NOT_PE, "%s", not_pe);
        if (r < 0)
                return r;
        header_size = pe.header_size;
        n_dirs = pe.n_dirs;
        cursor = pe.dirs_offset;
        /* As pefile_parse_binary(): the data directories lie inside SizeOfHeaders. */
        if (cursor >= header_size || header_size >= size ||
            n_dirs > (header_size - cursor) / sizeof(dir))
                return set_why(ret, PESIG_MALFORMED,
                               "the PE headers are inconsistent (header size %u, %u data "
                               "directories)",
                               header_size, n_dirs);
        if (n_dirs <= DATA_DIR_CERTS)
                return set_why(ret, PESIG_UNSIGNED, "no certificate table");
        r = pefile_read(&pe, cursor + DATA_DIR_CERTS * sizeof(dir), dir, sizeof(dir));
        if (r < 0)
                return r == -ERANGE ? set_why(ret, PESIG_MALFORMED, "the PE headers are cut short")
                                    : r;
        table_off = pefile_le32(dir);
        table_len = pefile_le32(dir + 4);
        if (table_off == 0 || table_len == 0)
                return set_why(ret, PESIG_UNSIGNED, "no certificate table");
        if (table_off < header_size || table_off > size || table_len > size - table_off)
                return set_why(ret, PESIG_MALFORMED,
                               "the certificate table (%u bytes at %u) lies outside the file",
                               table_len, table_off);
        if (table_len > PESIG_TABLE_MAX)
                return set_why(ret, PESIG_MALFORMED,
                               "the certificate table is too large (%u bytes)", table_len);
        if (table_len < WIN_CERT_HEADER_SIZE + 4)
                return set_why(ret, PESIG_MALFORMED, "the certificate table is too short");
        table = malloc(table_len);
        if (!table)
                return -ENOMEM;
        r = pefile_read(&pe, table_off, table, table_len);
        if (r < 0)
                return r;

        ret->sigs = calloc(PESIG_SIGS_MAX, sizeof(*ret->sigs));
        if (!ret->sigs)
                return -ENOMEM;
        /* WIN_CERTIFICATE entries, each 8-byte aligned (sbattach appends after the first). */
        for (size_t off = 0;
             off + WIN_CERT_HEADER_SIZE + 4 <= table_len && ret->n_sigs < PESIG_SIGS_MAX;) {
                _cleanup_free_ char *why = NULL;
                uint32_t wlen = pefile_le32(table + off);

                r = read_signature(table, table_len, off, &ret->sigs[ret->n_sigs], &why);
                if (r == -ENOMEM)
                        goto oom;
                if (r < 0) {
                        /* The kernel checks the first; later ones only end the list. */
                        if (ret->n_sigs > 0)
                                break;
                        r = set_why(ret, PESIG_MALFORMED, "%s",
                                    why ? why : "the signature cannot be read");
                        if (r < 0)
                                goto oom;
                        return 0;
                }
                ret->n_sigs++;
                off += ((size_t) wlen + 7) & ~(size_t) 7;
        }
        ret->state = PESIG_SIGNED;
        return 0;
oom:
        pesig_info_done(ret);
        return -ENOMEM;
}

int pesig_read_fd(int fd, struct pesig_info *ret)
{
        struct stat st;

        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -EINVAL;
        return pesig_read(pefile_fd_read, &fd, (uint64_t) st.st_size, ret);
}

struct part {
        int fd;
        uint64_t base;
};

static int part_read(void *userdata, uint64_t offset, void *buf, size_t len)
{
        struct part *p = userdata;

        return pefile_fd_read(&p->fd, p->base + offset, buf, len);
}

int pesig_read_fd_part(int fd, uint64_t offset, uint64_t size, struct pesig_info *ret)
{
        struct part p = {.fd = fd, .base = offset};
        struct stat st;

        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode) || offset > (uint64_t) st.st_size ||
            size > (uint64_t) st.st_size - offset)
                return -EINVAL;
        return pesig_read(part_read, &p, size, ret);
}

int pesig_parse(const void *buf, size_t len, struct pesig_info *ret)
{
        return pesig_read(pefile_mem_read, (void *) buf, len, ret);
}

const struct pesig_cert *pesig_signer_cert(const struct pesig_info *i)
{
        const struct pesig_signature *s;

        if (i->state != PESIG_SIGNED || i->n_sigs == 0)
                return NULL;
        s = &i->sigs[0];
        return s->signer >= 0 && (size_t) s->signer < s->n_certs ? &s->certs[s->signer] : NULL;
}

const char *pesig_signer(const struct pesig_info *i)
{
        const struct pesig_cert *c = pesig_signer_cert(i);

        return c ? c->subject : NULL;
}

const char *pesig_signer_issuer(const struct pesig_info *i)
{
        const struct pesig_cert *c = pesig_signer_cert(i);

        if (c)
                return c->issuer;
        return i->state == PESIG_SIGNED && i->n_sigs > 0 ? i->sigs[0].signer_issuer : NULL;
}

/* ---- trusted keys ---- */

void pesig_keyset_done(struct pesig_keyset *s)
{
        for (size_t i = 0; i < s->n; i++)
                free(s->keys[i].name);
        free(s->keys);
        *s = (struct pesig_keyset){0};
}

/* desc is "<subject>: <hex>" (len bytes, not NUL-terminated). */
static int keyset_add_n(struct pesig_keyset *s, const char *desc, size_t len)
{
        struct pesig_key k = {0}, *keys;
        const char *sep = NULL, *hex;
        size_t hexlen;

        for (size_t i = 0; i + 1 < len; i++)
                if (desc[i] == ':' && desc[i + 1] == ' ')
                        sep = desc + i;
        if (!sep)
                return -EINVAL;
        hex = sep + 2;
        hexlen = len - (size_t) (hex - desc);
        if (hexlen == 0 || hexlen % 2 != 0 || hexlen / 2 > PESIG_KEYID_MAX)
                return -EINVAL;
        for (size_t i = 0; i < hexlen; i += 2) {
                int hi = util_hexval(hex[i]), lo = util_hexval(hex[i + 1]);

                if (hi < 0 || lo < 0)
                        return -EINVAL;
                k.skid.id[i / 2] = (unsigned char) (hi << 4 | lo);
        }
        k.skid.len = hexlen / 2;
        k.name = strndup(desc, (size_t) (sep - desc));
        if (!k.name)
                return -ENOMEM;
        keys = reallocarray(s->keys, s->n + 1, sizeof(*keys));
        if (!keys) {
                free(k.name);
                return -ENOMEM;
        }
        s->keys = keys;
        s->keys[s->n++] = k;
        return 0;
}

int pesig_keyset_add(struct pesig_keyset *s, const char *description)
{
        return keyset_add_n(s, description, strlen(description));
}

/* One line of /proc/keys: "%08x %c.. %5d %4s %08x %5d %5d %-9.9s <description>", where an
 * asymmetric key's description is followed by ": X509.rsa <fingerprint> [...]". */
struct proc_key_line {
        int32_t serial;
        char type[10];
        const char *desc; /* the rest of the line */
        size_t desc_len;
};

static bool proc_key_line(const char *line, size_t len, struct proc_key_line *ret)
{
        const char *p = line, *end = line + len;
        char *e;
        unsigned long serial;

        serial = strtoul(line, &e, 16);
        if (e == line || serial > INT32_MAX)
                return false;
        ret->serial = (int32_t) serial;
        p = e;
        /* flags, usage, expiry, perm, uid, gid */
        for (int field = 0; field < 6; field++) {
                while (p < end && *p == ' ')
                        p++;
                while (p < end && *p != ' ')
                        p++;
        }
        while (p < end && *p == ' ')
                p++;
        if (end - p < 10)
                return false;
        memcpy(ret->type, p, 9);
        ret->type[9] = 0;
        for (int k = 8; k >= 0 && ret->type[k] == ' '; k--)
                ret->type[k] = 0;
        ret->desc = p + 10;
        ret->desc_len = (size_t) (end - ret->desc);
        return true;
}

static bool serial_listed(int32_t serial, const int32_t *serials, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (serials[i] == serial)
                        return true;
        return false;
}

int pesig_keyset_add_proc_keys(struct pesig_keyset *s, const char *text, const int32_t *serials,
                               size_t n_serials)
{
        int added = 0;

        for (const char *line = text; line && *line;) {
                const char *nl = strchr(line, '\n');
                size_t len = nl ? (size_t) (nl - line) : strlen(line);
                struct proc_key_line k;

                if (proc_key_line(line, len, &k) && streq(k.type, "asymmetri") &&
                    (n_serials == 0 || serial_listed(k.serial, serials, n_serials))) {
                        /* Cut the subtype's ": X509.rsa …" part: the last ": X509." */
                        size_t dlen = k.desc_len;

                        for (size_t i = 0; i + 7 <= k.desc_len; i++)
                                if (memcmp(k.desc + i, ": X509.", 7) == 0)
                                        dlen = i;
                        int r = keyset_add_n(s, k.desc, dlen);
                        if (r == -ENOMEM)
                                return r;
                        added += r == 0;
                }
                line = nl ? nl + 1 : NULL;
        }
        return added;
}

int pesig_proc_keyrings(const char *text, const char *name, int32_t **ret, size_t *ret_n)
{
        size_t namelen = strlen(name);

        *ret = NULL;
        *ret_n = 0;
        for (const char *line = text; line && *line;) {
                const char *nl = strchr(line, '\n');
                size_t len = nl ? (size_t) (nl - line) : strlen(line);
                struct proc_key_line k;

                /* A keyring's description is its name, then ": <number of keys>" when it has
                 * any. */
                if (proc_key_line(line, len, &k) && streq(k.type, "keyring") &&
                    k.desc_len >= namelen && memcmp(k.desc, name, namelen) == 0 &&
                    (k.desc_len == namelen || k.desc[namelen] == ':')) {
                        int32_t *n = reallocarray(*ret, *ret_n + 1, sizeof(**ret));

                        if (!n) {
                                free(*ret);
                                *ret = NULL;
                                *ret_n = 0;
                                return -ENOMEM;
                        }
                        *ret = n;
                        (*ret)[(*ret_n)++] = k.serial;
                }
                line = nl ? nl + 1 : NULL;
        }
        return 0;
}

static const struct pesig_key *find_key(const struct pesig_keyset *s, const struct pesig_keyid *id)
{
        for (size_t i = 0; id->len > 0 && i < s->n; i++)
                if (keyid_same(&s->keys[i].skid, id))
                        return &s->keys[i];
        return NULL;
}

const struct pesig_key *pesig_trusted_by(const struct pesig_signature *sig,
                                         const struct pesig_keyset *s)
{
        const struct pesig_cert *last = NULL;
        const struct pesig_key *k;
        int idx = sig->signer;

        /* Up the chain the message carries: a certificate that is a trusted key (the kernel
         * matches its issuer+serial or its key id); a self-signed one ends the chain. */
        for (size_t steps = 0; idx >= 0 && (size_t) idx < sig->n_certs && steps <= sig->n_certs;
             steps++) {
                const struct pesig_cert *c = &sig->certs[idx];

                k = find_key(s, &c->skid);
                if (k)
                        return k;
                if (c->self_signed)
                        return NULL;
                last = c;
                idx = c->issued_by;
        }
        /* The chain's last certificate's issuer among the trusted keys. */
        if (last && (k = find_key(s, &last->akid)))
                return k;
        return NULL;
}

enum pesig_verdict pesig_judge(const struct pesig_info *i, const struct pesig_keyset *s,
                               const struct pesig_key **ret_key)
{
        static const enum pesig_verdict by_state[] = {
                [PESIG_NOT_PE] = PESIG_VERDICT_NOT_PE,
                [PESIG_UNSIGNED] = PESIG_VERDICT_UNSIGNED,
                [PESIG_MALFORMED] = PESIG_VERDICT_MALFORMED,
                [PESIG_SIGNED] = PESIG_VERDICT_UNTRUSTED,
        };
        const struct pesig_key *k = NULL;

        if (ret_key)
                *ret_key = NULL;
        if (i->state != PESIG_SIGNED || i->n_sigs == 0)
                return by_state[i->state == PESIG_SIGNED ? PESIG_MALFORMED : i->state];
        k = pesig_trusted_by(&i->sigs[0], s);
        if (ret_key)
                *ret_key = k;
        return k ? PESIG_VERDICT_OK : PESIG_VERDICT_UNTRUSTED;
}

static const struct {
        const char *name;
        const char *text;
} verdicts[] = {
        [PESIG_VERDICT_OK] = {"ok", "signed by %s"},
        [PESIG_VERDICT_NOT_PE] = {"not-pe", "not a signed EFI kernel (%s)"},
        [PESIG_VERDICT_UNSIGNED] = {"unsigned", "not signed%.0s"},
        [PESIG_VERDICT_MALFORMED] = {"malformed", "its signature cannot be read: %s"},
        [PESIG_VERDICT_UNTRUSTED] = {"untrusted",
                                     "signed by %s: this machine does not trust that key for "
                                     "kexec"},
};

const char *pesig_verdict_name(enum pesig_verdict v)
{
        return (size_t) v < ARRAY_SIZE(verdicts) ? verdicts[v].name : "?";
}

char *pesig_verdict_text(enum pesig_verdict v, const struct pesig_info *i)
{
        const char *arg;

        if ((size_t) v >= ARRAY_SIZE(verdicts))
                return NULL;
        switch (v) {
        case PESIG_VERDICT_OK:
        case PESIG_VERDICT_UNTRUSTED:
                arg = pesig_signer(i);
                if (!arg)
                        arg = pesig_signer_issuer(i) ? pesig_signer_issuer(i) : "an unknown key";
                break;
        default:
                arg = i->why ? i->why : "?";
                break;
        }
        return util_asprintf(verdicts[v].text, arg);
}
