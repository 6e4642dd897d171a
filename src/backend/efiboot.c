/* SPDX-License-Identifier: GPL-2.0-or-later */
/* EFI load options, BootNext and OsIndications (see efiboot.h). Pure. */
#include "efiboot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/utf8.h"

#define NODE_MEDIA     0x04
#define NODE_END       0x7f
#define SUB_HD         0x01
#define SUB_FILEPATH   0x04
#define SUB_END_ENTIRE 0xff
#define HD_NODE_LEN    42
#define NODE_HEADER    4
/* Attributes, FilePathListLength */
#define OPTION_HEADER 6

static void put_le16(uint8_t *p, uint16_t v)
{
        p[0] = (uint8_t) v;
        p[1] = (uint8_t) (v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
        put_le16(p, (uint16_t) v);
        put_le16(p + 2, (uint16_t) (v >> 16));
}

static void put_le64(uint8_t *p, uint64_t v)
{
        put_le32(p, (uint32_t) v);
        put_le32(p + 4, (uint32_t) (v >> 32));
}

static uint16_t get_le16(const uint8_t *p)
{
        return (uint16_t) (p[0] | p[1] << 8);
}

static uint32_t get_le32(const uint8_t *p)
{
        return (uint32_t) get_le16(p) | (uint32_t) get_le16(p + 2) << 16;
}

static uint64_t get_le64(const uint8_t *p)
{
        return (uint64_t) get_le32(p) | (uint64_t) get_le32(p + 4) << 32;
}

/* UTF-8 to UCS-2 code units (BMP only, no NUL): the count, or -EINVAL (invalid UTF-8, a
 * character outside the BMP or a NUL, more than max units). out may be NULL to count. */
static int to_ucs2(const char *s, uint16_t *out, size_t max, bool path)
{
        size_t n = 0, len = strlen(s);
        for (size_t i = 0; i < len;) {
                uint32_t c;
                size_t k = utf8_decode(s + i, len - i, &c);
                if (k == 0 || c > 0xffff || c == 0 || n >= max)
                        return -EINVAL;
                if (path && c == '/')
                        c = '\\';
                if (out)
                        out[n] = (uint16_t) c;
                n++;
                i += k;
        }
        return (int) n;
}

/* UCS-2 (n units at p, little-endian) appended as UTF-8 to out (size bytes, NUL-terminated).
 * Unpaired surrogates and NULs are refused: -EINVAL; -ENAMETOOLONG past size. */
static int from_ucs2(const uint8_t *p, size_t n, char *out, size_t size, size_t *pos)
{
        for (size_t i = 0; i < n; i++) {
                uint16_t c = get_le16(p + 2 * i);
                if (c == 0 || (c >= 0xd800 && c <= 0xdfff))
                        return -EINVAL;
                char buf[4];
                size_t k = utf8_encode(c, buf);
                if (*pos + k >= size)
                        return -ENAMETOOLONG;
                memcpy(out + *pos, buf, k);
                *pos += k;
        }
        out[*pos] = 0;
        return 0;
}

/* A device path node's header: type, subtype, and the node's length with its header. */
static void put_node_header(uint8_t *p, uint8_t type, uint8_t sub, size_t len)
{
        p[0] = type;
        p[1] = sub;
        put_le16(p + 2, (uint16_t) len);
}

int efiboot_encode(const struct efiboot_option *o, uint8_t **ret, size_t *ret_len)
{
        if (!o->has_hd)
                return -EINVAL;
        int desc_n = to_ucs2(o->description, NULL, EFIBOOT_DESC_MAX, false);
        bool lead = o->path[0] != '/' && o->path[0] != '\\';
        int path_n = to_ucs2(o->path, NULL, EFIBOOT_PATH_MAX - lead, true);
        if (desc_n < 0 || path_n <= 0)
                return -EINVAL;
        size_t file_len = NODE_HEADER + 2 * ((size_t) path_n + lead + 1);
        size_t list_len = HD_NODE_LEN + file_len + NODE_HEADER;
        size_t desc_len = 2 * ((size_t) desc_n + 1);
        size_t len = OPTION_HEADER + desc_len + list_len;
        uint8_t *b = calloc(1, len);
        uint16_t *units = malloc(2 * ((size_t) path_n + desc_n + 2));
        if (!b || !units) {
                free(b);
                free(units);
                return -ENOMEM;
        }

        put_le32(b, o->attributes);
        put_le16(b + 4, (uint16_t) list_len);
        uint8_t *p = b + OPTION_HEADER;
        to_ucs2(o->description, units, EFIBOOT_DESC_MAX, false);
        for (int i = 0; i < desc_n; i++)
                put_le16(p + 2 * i, units[i]);
        p += desc_len;

        put_node_header(p, NODE_MEDIA, SUB_HD, HD_NODE_LEN);
        put_le32(p + 4, o->hd.partition);
        put_le64(p + 8, o->hd.start);
        put_le64(p + 16, o->hd.size);
        memcpy(p + 24, o->hd.signature, 16);
        p[40] = o->hd.format;
        p[41] = o->hd.sig_type;
        p += HD_NODE_LEN;

        put_node_header(p, NODE_MEDIA, SUB_FILEPATH, file_len);
        uint8_t *q = p + NODE_HEADER;
        if (lead) {
                put_le16(q, '\\');
                q += 2;
        }
        to_ucs2(o->path, units, EFIBOOT_PATH_MAX, true);
        for (int i = 0; i < path_n; i++)
                put_le16(q + 2 * i, units[i]);
        p += file_len;

        put_node_header(p, NODE_END, SUB_END_ENTIRE, NODE_HEADER);
        free(units);
        *ret = b;
        *ret_len = len;
        return 0;
}

int efiboot_decode(const uint8_t *data, size_t len, struct efiboot_option *o)
{
        memset(o, 0, sizeof(*o));
        if (len < OPTION_HEADER + 2 || len > EFIBOOT_OPTION_MAX)
                return -EINVAL;
        o->attributes = get_le32(data);
        size_t list_len = get_le16(data + 4);

        /* The description: UCS-2 up to its NUL, which must come before the device path. */
        size_t off = OPTION_HEADER, units = 0;
        while (off + 2 * units + 2 <= len && get_le16(data + off + 2 * units) != 0)
                units++;
        if (off + 2 * units + 2 > len)
                return -EINVAL;
        size_t pos = 0;
        if (units <= EFIBOOT_DESC_MAX &&
            from_ucs2(data + off, units, o->description, sizeof(o->description), &pos) < 0)
                o->description[0] = 0;
        off += 2 * units + 2;
        if (list_len < NODE_HEADER || list_len > len - off)
                return -EINVAL;

        /* The first device path instance; nodes bounded by the list. */
        const uint8_t *p = data + off, *end = p + list_len;
        bool in_file = false, path_ok = true;
        size_t path_pos = 0;
        while (true) {
                if ((size_t) (end - p) < NODE_HEADER)
                        return -EINVAL;
                uint8_t type = p[0], sub = p[1];
                size_t nlen = get_le16(p + 2);
                if (nlen < NODE_HEADER || nlen > (size_t) (end - p))
                        return -EINVAL;
                if (type == NODE_END)
                        break;
                if (type == NODE_MEDIA && sub == SUB_HD && !o->has_hd) {
                        if (nlen != HD_NODE_LEN)
                                return -EINVAL;
                        o->has_hd = true;
                        o->hd.partition = get_le32(p + 4);
                        o->hd.start = get_le64(p + 8);
                        o->hd.size = get_le64(p + 16);
                        memcpy(o->hd.signature, p + 24, 16);
                        o->hd.format = p[40];
                        o->hd.sig_type = p[41];
                } else if (type == NODE_MEDIA && sub == SUB_FILEPATH) {
                        /* The path, possibly split over several nodes, each NUL-terminated. */
                        size_t n = (nlen - NODE_HEADER) / 2;
                        while (n > 0 && get_le16(p + NODE_HEADER + 2 * (n - 1)) == 0)
                                n--;
                        if (path_ok && path_pos > 0 && o->path[path_pos - 1] != '\\' && n > 0 &&
                            get_le16(p + NODE_HEADER) != '\\') {
                                if (path_pos + 1 >= sizeof(o->path))
                                        path_ok = false;
                                else
                                        o->path[path_pos++] = '\\';
                        }
                        if (path_ok && from_ucs2(p + NODE_HEADER, n, o->path, EFIBOOT_PATH_MAX + 1,
                                                 &path_pos) < 0)
                                path_ok = false;
                        in_file = true;
                } else if (in_file) {
                        break; /* the file path ends the meaningful part */
                }
                p += nlen;
        }
        if (!path_ok)
                o->path[0] = 0;
        for (char *c = o->path; *c; c++)
                if (*c == '/')
                        *c = '\\';
        return 0;
}

static char fold(char c)
{
        if (c == '/')
                return '\\';
        return c >= 'A' && c <= 'Z' ? (char) (c - 'A' + 'a') : c;
}

static bool same_path(const char *a, const char *b)
{
        /* Both with or without their leading backslash. */
        if (*a == '\\' || *a == '/')
                a++;
        if (*b == '\\' || *b == '/')
                b++;
        for (; *a && *b; a++, b++)
                if (fold(*a) != fold(*b))
                        return false;
        return *a == *b;
}

bool efiboot_same_target(const struct efiboot_option *a, const struct efiboot_option *b)
{
        if (!a->has_hd || !b->has_hd || !a->path[0] || !b->path[0])
                return false;
        const struct efiboot_hd *x = &a->hd, *y = &b->hd;
        if (x->sig_type != y->sig_type)
                return false;
        switch (x->sig_type) {
        case EFIBOOT_SIG_GUID:
                if (memcmp(x->signature, y->signature, 16) != 0)
                        return false;
                break;
        case EFIBOOT_SIG_MBR:
                if (memcmp(x->signature, y->signature, 4) != 0 || x->partition != y->partition)
                        return false;
                break;
        default:
                if (x->partition != y->partition || x->start != y->start || x->size != y->size)
                        return false;
                break;
        }
        return same_path(a->path, b->path);
}

int efiboot_name_number(const char *name)
{
        if (strncmp(name, "Boot", 4) != 0)
                return -EINVAL;
        int v = 0;
        for (int i = 4; i < 8; i++) {
                char c = name[i];
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                if (d < 0)
                        return -EINVAL;
                v = v * 16 + d;
        }
        if (name[8] != '-' || strcmp(name + 9, EFIBOOT_GLOBAL_GUID) != 0)
                return -EINVAL;
        return v;
}

int efiboot_find(const struct efiboot_existing *opts, size_t n, const struct efiboot_option *want)
{
        for (size_t i = 0; i < n; i++) {
                struct efiboot_option o;
                if (efiboot_decode(opts[i].data, opts[i].len, &o) == 0 &&
                    efiboot_same_target(&o, want))
                        return opts[i].number;
        }
        return -ENOENT;
}

int efiboot_free_number(const struct efiboot_existing *opts, size_t n)
{
        uint8_t used[0x10000 / 8] = {0};
        for (size_t i = 0; i < n; i++)
                used[opts[i].number / 8] |= (uint8_t) (1u << (opts[i].number % 8));
        for (unsigned v = 0; v <= 0xffff; v++)
                if (!(used[v / 8] & (1u << (v % 8))))
                        return (int) v;
        return -ENOSPC;
}

void efiboot_bootnext(uint16_t number, uint8_t out[2])
{
        put_le16(out, number);
}

int efiboot_os_indications(const uint8_t *supported, size_t supported_len, const uint8_t *cur,
                           size_t cur_len, uint8_t out[8])
{
        if (!supported || supported_len != 8 || (cur && cur_len != 8))
                return -EINVAL;
        if (!(get_le64(supported) & EFIBOOT_OS_INDICATIONS_BOOT_TO_FW_UI))
                return -EOPNOTSUPP;
        uint64_t v = cur ? get_le64(cur) : 0;
        put_le64(out, v | EFIBOOT_OS_INDICATIONS_BOOT_TO_FW_UI);
        return 0;
}

static int hex_digit(char c)
{
        return c >= '0' && c <= '9'   ? c - '0'
               : c >= 'a' && c <= 'f' ? c - 'a' + 10
               : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                      : -1;
}

/* n hex digits at s (exactly) into out, most significant first. */
static bool hex_bytes(const char *s, size_t n, uint8_t *out)
{
        for (size_t i = 0; i < n; i += 2) {
                int h = hex_digit(s[i]), l = hex_digit(s[i + 1]);
                if (h < 0 || l < 0)
                        return false;
                out[i / 2] = (uint8_t) (h << 4 | l);
        }
        return true;
}

int efiboot_hd_from_partuuid(const char *partuuid, uint32_t partno, uint64_t start, uint64_t size,
                             struct efiboot_hd *ret)
{
        uint8_t b[16];

        *ret = (struct efiboot_hd){.partition = partno, .start = start, .size = size};
        if (!partuuid || partno == 0)
                return -EINVAL;
        if (strlen(partuuid) == 36 && partuuid[8] == '-' && partuuid[13] == '-' &&
            partuuid[18] == '-' && partuuid[23] == '-' && hex_bytes(partuuid, 8, b) &&
            hex_bytes(partuuid + 9, 4, b + 4) && hex_bytes(partuuid + 14, 4, b + 6) &&
            hex_bytes(partuuid + 19, 4, b + 8) && hex_bytes(partuuid + 24, 12, b + 10)) {
                /* Data1, Data2, Data3 little-endian; Data4 as written. */
                const uint8_t order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
                for (size_t i = 0; i < 16; i++)
                        ret->signature[i] = b[order[i]];
                ret->format = EFIBOOT_FORMAT_GPT;
                ret->sig_type = EFIBOOT_SIG_GUID;
                return 0;
        }
        if (strlen(partuuid) == 11 && partuuid[8] == '-' && hex_bytes(partuuid, 8, b) &&
            hex_bytes(partuuid + 9, 2, b + 4)) {
                put_le32(ret->signature, (uint32_t) b[0] << 24 | (uint32_t) b[1] << 16 |
                                                 (uint32_t) b[2] << 8 | b[3]);
                ret->format = EFIBOOT_FORMAT_MBR;
                ret->sig_type = EFIBOOT_SIG_MBR;
                return 0;
        }
        return -EINVAL;
}

void efiboot_option_text(const struct efiboot_option *o, char *buf, size_t size)
{
        const struct efiboot_hd *h = &o->hd;
        const uint8_t *g = h->signature;
        char path[sizeof(o->path) + 1];
        size_t n = 0;

        /* the path as it is written: backslashes, a leading one */
        if (o->path[0] != '\\' && o->path[0] != '/')
                path[n++] = '\\';
        for (const char *c = o->path; *c; c++)
                path[n++] = *c == '/' ? '\\' : *c;
        path[n] = 0;
        if (!o->has_hd)
                snprintf(buf, size, "File(%s)", path);
        else if (h->sig_type == EFIBOOT_SIG_GUID)
                snprintf(buf, size,
                         "HD(%u,GPT,%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                         "%02x%02x%02x%02x%02x%02x,0x%llx,0x%llx)/File(%s)",
                         (unsigned) h->partition, g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6],
                         g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15],
                         (unsigned long long) h->start, (unsigned long long) h->size, path);
        else
                snprintf(buf, size, "HD(%u,%s,0x%08x,0x%llx,0x%llx)/File(%s)",
                         (unsigned) h->partition, h->format == EFIBOOT_FORMAT_MBR ? "MBR" : "?",
                         (unsigned) get_le32(g), (unsigned long long) h->start,
                         (unsigned long long) h->size, path);
}

bool efiboot_fw_ui_supported(const uint8_t *supported, size_t len)
{
        return supported && len == 8 &&
               (get_le64(supported) & EFIBOOT_OS_INDICATIONS_BOOT_TO_FW_UI);
}
