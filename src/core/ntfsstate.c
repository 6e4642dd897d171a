/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The state of an NTFS volume read from its raw bytes (ntfsstate.h). Layouts as in ntfs-3g's
 * layout.h and the kernel's ntfs3 (ntfs.h): all values little-endian. */
#include "ntfsstate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define BLOCK 512 /* the update-sequence stride (NTFS_BLOCK_SIZE) */

#define REC_MFT     0
#define REC_LOGFILE 2
#define REC_VOLUME  3
#define REC_ROOT    5

#define AT_VOLUME_INFORMATION 0x70
#define AT_DATA               0x80
#define AT_INDEX_ROOT         0x90
#define AT_INDEX_ALLOCATION   0xa0
#define AT_END                0xffffffffu

#define VOLUME_IS_DIRTY         0x0001
#define RESTART_VOLUME_IS_CLEAN 0x0002
#define LOGFILE_NO_CLIENT       0xffff
#define INDEX_ENTRY_END         0x0002
#define MFT_RECORD_IN_USE       0x0001
#define MFT_RECORD_IS_DIRECTORY 0x0002
#define LOG_PAGE_MAX            65536
#define LOG_EMPTY_CHECK         (64u << 10) /* bytes of $LogFile looked at for "only 0xff" */

static uint16_t le16(const uint8_t *p)
{
        return (uint16_t) (p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
        return (uint32_t) le16(p) | (uint32_t) le16(p + 2) << 16;
}

static uint64_t le64(const uint8_t *p)
{
        return (uint64_t) le32(p) | (uint64_t) le32(p + 4) << 32;
}

static bool pow2(uint64_t v)
{
        return v && !(v & (v - 1));
}

struct run {
        uint64_t vcn, len;
        int64_t lcn; /* -1: sparse */
};

struct vol {
        ntfs_read_fn read;
        void *userdata;
        uint64_t size;
        uint32_t cluster, record;
        struct run mft[NTFS_STATE_MAX_RUNS];
        size_t n_mft;
        uint64_t mft_records; /* records the MFT's data holds */
};

static int vol_read(struct vol *v, uint64_t off, void *buf, size_t n)
{
        if (off > v->size || n > v->size - off)
                return -EBADMSG;
        return v->read(v->userdata, off, buf, n);
}

/* Undoes the update-sequence fixups of a multi-sector record of size bytes (a multiple of 512).
 * -EBADMSG when the array does not fit or a sector's last two bytes are not the sequence number
 * (a torn write). */
static int fixup(uint8_t *rec, size_t size)
{
        uint16_t ofs = le16(rec + 4), count = le16(rec + 6), usn;

        if (size % BLOCK || count != size / BLOCK + 1 || ofs % 2 || ofs < 8 ||
            (size_t) ofs + 2u * count > BLOCK)
                return -EBADMSG;
        usn = le16(rec + ofs);
        for (size_t i = 1; i < count; i++) {
                uint8_t *end = rec + i * BLOCK - 2;

                if (le16(end) != usn)
                        return -EBADMSG;
                memcpy(end, rec + ofs + 2 * i, 2);
        }
        return 0;
}

/* An MFT record ("FILE") with its fixups undone; -EBADMSG otherwise. */
static int file_record_fixup(uint8_t *rec, size_t size)
{
        if (memcmp(rec, "FILE", 4) != 0)
                return -EBADMSG;
        return fixup(rec, size);
}

/* Decodes a mapping-pairs array (p..end) into at most NTFS_STATE_MAX_RUNS runs. */
static int decode_runs(const uint8_t *p, const uint8_t *end, struct run *runs, size_t *ret_n)
{
        uint64_t vcn = 0;
        int64_t lcn = 0;
        size_t n = 0;

        while (p < end && *p) {
                unsigned lb = *p & 0xf, ob = *p >> 4;
                uint64_t len = 0;
                int64_t delta = 0;

                if (lb == 0 || lb > 8 || ob > 8 || (size_t) (end - p) < 1u + lb + ob)
                        return -EBADMSG;
                if (n == NTFS_STATE_MAX_RUNS)
                        return -EBADMSG;
                for (unsigned i = 0; i < lb; i++)
                        len |= (uint64_t) p[1 + i] << (8 * i);
                if (ob) {
                        uint64_t u = 0;

                        for (unsigned i = 0; i < ob; i++)
                                u |= (uint64_t) p[1 + lb + i] << (8 * i);
                        if (ob < 8 && (p[lb + ob] & 0x80))
                                u |= ~(uint64_t) 0 << (8 * ob);
                        delta = (int64_t) u;
                }
                if (len == 0 || len > (1ull << 48) || vcn + len < vcn)
                        return -EBADMSG;
                if (ob) {
                        if ((delta > 0 && lcn > INT64_MAX - delta) ||
                            (delta < 0 && lcn < INT64_MIN - delta))
                                return -EBADMSG;
                        lcn += delta;
                        if (lcn < 0)
                                return -EBADMSG;
                }
                runs[n++] = (struct run){.vcn = vcn, .len = len, .lcn = ob ? lcn : -1};
                vcn += len;
                p += 1 + lb + ob;
        }
        *ret_n = n;
        return 0;
}

/* The device offset of byte off of an attribute's data, with the bytes contiguous from there in
 * *ret_avail; -ENOENT for a hole, -EBADMSG past the runs. */
static int map_offset(const struct vol *v, const struct run *runs, size_t n, uint64_t off,
                      uint64_t *ret_dev, uint64_t *ret_avail)
{
        uint64_t vcn = off / v->cluster;

        for (size_t i = 0; i < n; i++) {
                uint64_t in;

                if (vcn < runs[i].vcn || vcn - runs[i].vcn >= runs[i].len)
                        continue;
                if (runs[i].lcn < 0)
                        return -ENOENT;
                /* lengths are below 2^48 clusters of at most 2 MiB: no overflow past these */
                if ((uint64_t) runs[i].lcn > UINT64_MAX / v->cluster / 2 ||
                    runs[i].len > UINT64_MAX / v->cluster / 2)
                        return -EBADMSG;
                in = (vcn - runs[i].vcn) * v->cluster + off % v->cluster;
                *ret_dev = (uint64_t) runs[i].lcn * v->cluster + in;
                *ret_avail = runs[i].len * v->cluster - in;
                return 0;
        }
        return -EBADMSG;
}

/* Reads n bytes at off of a non-resident attribute's data (holes read as zeros). */
static int read_runs(struct vol *v, const struct run *runs, size_t nr, uint64_t off, uint8_t *buf,
                     size_t n, uint64_t *ret_first_dev)
{
        if (ret_first_dev)
                *ret_first_dev = 0;
        while (n > 0) {
                uint64_t dev = 0, avail = 0;
                size_t chunk;
                int r = map_offset(v, runs, nr, off, &dev, &avail);

                if (r == -ENOENT) {
                        avail = v->cluster - off % v->cluster;
                        chunk = avail < n ? (size_t) avail : n;
                        memset(buf, 0, chunk);
                } else if (r < 0) {
                        return r;
                } else {
                        chunk = avail < n ? (size_t) avail : n;
                        r = vol_read(v, dev, buf, chunk);
                        if (r < 0)
                                return r;
                        if (ret_first_dev && !*ret_first_dev)
                                *ret_first_dev = dev;
                }
                buf += chunk;
                off += chunk;
                n -= chunk;
        }
        return 0;
}

/* An attribute found in a record: resident value, or non-resident runs. */
struct attr {
        bool resident;
        const uint8_t *value; /* resident */
        uint32_t value_len;
        uint32_t value_at;                    /* offset of the value in the record */
        struct run runs[NTFS_STATE_MAX_RUNS]; /* non-resident */
        size_t n_runs;
        uint64_t data_size;
};

/* Whether the attribute's name (UTF-16LE) is the ASCII name (NULL: unnamed). */
static bool attr_named(const uint8_t *a, uint32_t alen, const char *name)
{
        size_t want = name ? strlen(name) : 0;
        unsigned nlen = a[9];
        uint16_t noff = le16(a + 10);

        if (nlen != want)
                return false;
        if ((size_t) noff + 2u * nlen > alen)
                return false;
        for (size_t i = 0; i < want; i++)
                if (le16(a + noff + 2 * i) != (uint8_t) name[i])
                        return false;
        return true;
}

/* Finds the first attribute of type (and name) in a fixed-up record (its base record: an
 * attribute moved to an extension record through $ATTRIBUTE_LIST is not followed). */
static int find_attr(const uint8_t *rec, uint32_t size, uint32_t type, const char *name,
                     struct attr *ret)
{
        uint32_t used = le32(rec + 0x18), off = le16(rec + 0x14);

        if (used > size || used < 0x30)
                return -EBADMSG;
        while (off + 8 <= used) {
                const uint8_t *a = rec + off;
                uint32_t t = le32(a), len;

                if (t == AT_END)
                        break;
                len = le32(a + 4);
                if (len < 0x18 || len % 8 || len > used - off)
                        return -EBADMSG;
                if (t != type || !attr_named(a, len, name)) {
                        off += len;
                        continue;
                }
                *ret = (struct attr){.resident = a[8] == 0};
                if (ret->resident) {
                        uint32_t vlen = le32(a + 0x10);
                        uint16_t voff = le16(a + 0x14);

                        if (voff > len || vlen > len - voff)
                                return -EBADMSG;
                        ret->value = a + voff;
                        ret->value_len = vlen;
                        ret->value_at = off + voff;
                        ret->data_size = vlen;
                        return 0;
                }
                if (len < 0x40 || le64(a + 0x10) != 0 || le16(a + 0x20) >= len)
                        return -EBADMSG;
                ret->data_size = le64(a + 0x30);
                return decode_runs(a + le16(a + 0x20), a + len, ret->runs, &ret->n_runs);
        }
        return -ENOENT;
}

/* Reads MFT record num into rec (v->record bytes), fixed up; *ret_at its device offset. */
static int read_record(struct vol *v, uint64_t num, uint8_t *rec, uint64_t *ret_at)
{
        int r;

        if (num >= v->mft_records)
                return -EBADMSG;
        r = read_runs(v, v->mft, v->n_mft, num * v->record, rec, v->record, ret_at);
        if (r < 0)
                return r;
        r = file_record_fixup(rec, v->record);
        if (r < 0)
                return r;
        return le16(rec + 0x16) & MFT_RECORD_IN_USE ? 0 : -ENOENT;
}

static int read_boot(struct vol *v, uint64_t *ret_mft_at)
{
        uint8_t b[512];
        unsigned bps, spc;
        int8_t cpr;
        uint64_t mft_lcn;
        int r;

        r = vol_read(v, 0, b, sizeof(b));
        if (r == -EBADMSG)
                return -EMEDIUMTYPE; /* smaller than a boot sector */
        if (r < 0)
                return r;
        if (memcmp(b + 3, "NTFS    ", 8) != 0)
                return -EMEDIUMTYPE;
        bps = le16(b + 0x0b);
        spc = b[0x0d];
        if (spc > 0x80) {
                if (256 - spc > 12)
                        return -EBADMSG;
                spc = 1u << (256 - spc);
        }
        if (bps < 256 || bps > 4096 || !pow2(bps) || !pow2(spc) ||
            (uint64_t) bps * spc > (2u << 20))
                return -EBADMSG;
        v->cluster = bps * spc;
        cpr = (int8_t) b[0x40];
        if (cpr > 0) {
                if ((uint64_t) cpr * v->cluster > 65536)
                        return -EBADMSG;
                v->record = (uint32_t) cpr * v->cluster;
        } else {
                if (cpr > -9 || cpr < -16)
                        return -EBADMSG;
                v->record = 1u << -cpr;
        }
        if (!pow2(v->record) || v->record < BLOCK)
                return -EBADMSG;
        mft_lcn = le64(b + 0x30);
        if (mft_lcn > v->size / v->cluster)
                return -EBADMSG;
        *ret_mft_at = mft_lcn * v->cluster;
        return 0;
}

/* $MFT's own record, read where the boot sector says, gives the runs of every other record. */
static int read_mft(struct vol *v, uint64_t mft_at, uint8_t *rec)
{
        struct attr *a;
        int r;

        r = vol_read(v, mft_at, rec, v->record);
        if (r < 0)
                return r;
        r = file_record_fixup(rec, v->record);
        if (r < 0)
                return r;
        a = malloc(sizeof(*a));
        if (!a)
                return -ENOMEM;
        r = find_attr(rec, v->record, AT_DATA, NULL, a);
        if (r == 0 && a->resident)
                r = -EBADMSG;
        if (r == -ENOENT)
                r = -EBADMSG;
        if (r == 0) {
                memcpy(v->mft, a->runs, a->n_runs * sizeof(a->runs[0]));
                v->n_mft = a->n_runs;
                v->mft_records = a->data_size / v->record;
                if (v->mft_records <= REC_ROOT)
                        r = -EBADMSG;
        }
        free(a);
        return r;
}

static int read_volume_flags(struct vol *v, uint8_t *rec, struct attr *a, struct ntfs_state *s)
{
        uint64_t at;
        int r = read_record(v, REC_VOLUME, rec, &at);

        if (r == -ENOENT)
                return -EBADMSG;
        if (r < 0)
                return r;
        r = find_attr(rec, v->record, AT_VOLUME_INFORMATION, NULL, a);
        if (r == -ENOENT || (r == 0 && (!a->resident || a->value_len < 12)))
                return -EBADMSG;
        if (r < 0)
                return r;
        s->volume_flags = le16(a->value + 10);
        s->dirty = s->volume_flags & VOLUME_IS_DIRTY;
        /* the flags are in the first sector of the record, where no fixup moved them */
        s->volume_flags_at = a->value_at + 10 < BLOCK - 2 ? at + a->value_at + 10 : 0;
        return 0;
}

/* One restart page at off of $LogFile (page bytes): 1 valid (*ret_lsn, *ret_clean,
 * *ret_flags_at set), 0 not a restart page. */
static int restart_page(struct vol *v, const struct attr *a, uint64_t off, uint8_t *page,
                        uint32_t size, uint64_t *ret_lsn, bool *ret_clean, uint64_t *ret_flags_at)
{
        uint64_t dev = 0;
        uint32_t sps;
        uint16_t rao;
        const uint8_t *ra;
        int r;

        if (off + size > a->data_size)
                return 0;
        r = read_runs(v, a->runs, a->n_runs, off, page, size, &dev);
        if (r < 0)
                return r;
        if (memcmp(page, "RSTR", 4) != 0 && memcmp(page, "CHKD", 4) != 0)
                return 0;
        sps = le32(page + 0x10);
        rao = le16(page + 0x18);
        if (sps != size || rao % 8 || (uint32_t) rao + 0x30 > size)
                return 0;
        if (fixup(page, size) < 0)
                return 0;
        ra = page + rao;
        *ret_lsn = le64(ra);
        *ret_clean =
                le16(ra + 0x0c) == LOGFILE_NO_CLIENT || (le16(ra + 0x0e) & RESTART_VOLUME_IS_CLEAN);
        /* the flags' device offset, when the page's first run holds them and no fixup moved
         * them (a restart area lies in the page's first sector in practice) */
        *ret_flags_at = dev && rao + 0x0e < BLOCK - 2 ? dev + rao + 0x0e : 0;
        return 1;
}

static int read_logfile(struct vol *v, uint8_t *rec, struct attr *a, struct ntfs_state *s)
{
        _cleanup_free_ uint8_t *page = malloc(LOG_PAGE_MAX);
        uint64_t lsn[2] = {0}, flags_at[2] = {0};
        bool clean[2] = {false}, empty = true;
        uint32_t size = 4096;
        int found[2] = {0};
        int r;

        if (!page)
                return -ENOMEM;
        r = read_record(v, REC_LOGFILE, rec, NULL);
        if (r == -ENOENT)
                return -EBADMSG;
        if (r < 0)
                return r;
        r = find_attr(rec, v->record, AT_DATA, NULL, a);
        if (r == -ENOENT || (r == 0 && a->resident))
                return -EBADMSG;
        if (r < 0)
                return r;
        if (a->data_size < 2 * 4096)
                return -EBADMSG;
        /* The first page tells the system page size (4096 on every Windows); the second restart
         * page follows it. */
        r = read_runs(v, a->runs, a->n_runs, 0, page, 4096, &s->log_data_at);
        if (r < 0)
                return r;
        if (!memcmp(page, "RSTR", 4) || !memcmp(page, "CHKD", 4)) {
                uint32_t sps = le32(page + 0x10);

                if (sps >= BLOCK && sps <= LOG_PAGE_MAX && pow2(sps))
                        size = sps;
        }
        for (int i = 0; i < 2; i++) {
                r = restart_page(v, a, (uint64_t) i * size, page, size, &lsn[i], &clean[i],
                                 &flags_at[i]);
                if (r < 0)
                        return r;
                found[i] = r;
        }
        if (found[0] || found[1]) {
                int i = found[0] && (!found[1] || lsn[0] >= lsn[1]) ? 0 : 1;

                s->log_clean = clean[i];
                s->restart_flags_at = flags_at[i];
                return 0;
        }
        /* No restart page: clean only when the log is empty (all 0xff, as chkdsk and mkntfs
         * leave it), as ntfs-3g reads it. */
        for (uint64_t off = 0; off < MIN(a->data_size, (uint64_t) LOG_EMPTY_CHECK) && empty;
             off += 4096) {
                r = read_runs(v, a->runs, a->n_runs, off, page, 4096, NULL);
                if (r < 0)
                        return r;
                for (size_t i = 0; i < 4096 && empty; i++)
                        empty = page[i] == 0xff;
        }
        s->log_empty = empty;
        s->log_clean = empty;
        return 0;
}

/* Whether the index entry's $FILE_NAME key is name (ASCII, compared without case). */
static bool key_is(const uint8_t *key, uint16_t key_len, const char *name)
{
        size_t n = strlen(name);

        if (key_len < 0x42 || key[0x40] != n || 0x42 + 2 * n > key_len)
                return false;
        for (size_t i = 0; i < n; i++) {
                uint16_t c = le16(key + 0x42 + 2 * i);

                if (c > 0x7f || (c | 0x20) != (uint16_t) (name[i] | 0x20))
                        return false;
        }
        return true;
}

/* Looks through the index entries in p..end for name: its file reference in *ret. */
static bool entries_find(const uint8_t *p, const uint8_t *end, const char *name, uint64_t *ret)
{
        while ((size_t) (end - p) >= 16) {
                uint16_t len = le16(p + 8), key_len = le16(p + 10), flags = le16(p + 12);

                if (flags & INDEX_ENTRY_END)
                        return false;
                if (len < 16 || len % 8 || len > end - p || (size_t) key_len + 16 > len)
                        return false;
                if (key_is(p + 16, key_len, name)) {
                        *ret = le64(p);
                        return true;
                }
                p += len;
        }
        return false;
}

/* The entries of an index header at hdr (its offsets relative to hdr) inside buf..buf+size. */
static bool header_find(const uint8_t *buf, size_t size, size_t hdr, const char *name,
                        uint64_t *ret)
{
        uint32_t eoff, elen;

        if (hdr + 16 > size)
                return false;
        eoff = le32(buf + hdr);
        elen = le32(buf + hdr + 4);
        if (elen > size - hdr || eoff > elen)
                return false;
        return entries_find(buf + hdr + eoff, buf + hdr + elen, name, ret);
}

/* Finds name in the root directory's $I30 index: the index root, then every index block of the
 * allocation (not walked as a tree: a block the bitmap frees may hold a stale entry, which the
 * caller's check of the record's sequence number and name rules out). 1 found, 0 not. */
static int root_find(struct vol *v, uint8_t *rec, struct attr *a, const char *name,
                     uint64_t *ret_ref)
{
        _cleanup_free_ uint8_t *blk = NULL;
        uint32_t bsize;
        int r = read_record(v, REC_ROOT, rec, NULL);

        if (r == -ENOENT)
                return -EBADMSG;
        if (r < 0)
                return r;
        r = find_attr(rec, v->record, AT_INDEX_ROOT, "$I30", a);
        if (r == -ENOENT || (r == 0 && (!a->resident || a->value_len < 32)))
                return -EBADMSG;
        if (r < 0)
                return r;
        bsize = le32(a->value + 8);
        if (header_find(a->value, a->value_len, 16, name, ret_ref))
                return 1;
        r = find_attr(rec, v->record, AT_INDEX_ALLOCATION, "$I30", a);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        if (a->resident || bsize < BLOCK || bsize > LOG_PAGE_MAX || !pow2(bsize))
                return -EBADMSG;
        blk = malloc(bsize);
        if (!blk)
                return -ENOMEM;
        for (uint64_t off = 0; off + bsize <= MIN(a->data_size, (uint64_t) NTFS_STATE_MAX_INDEX);
             off += bsize) {
                r = read_runs(v, a->runs, a->n_runs, off, blk, bsize, NULL);
                if (r < 0)
                        return r;
                if (memcmp(blk, "INDX", 4) != 0 || fixup(blk, bsize) < 0)
                        continue;
                if (header_find(blk, bsize, 0x18, name, ret_ref))
                        return 1;
        }
        return 0;
}

static int read_hiberfile(struct vol *v, uint8_t *rec, struct attr *a, struct ntfs_state *s)
{
        uint64_t ref = 0, num, at = 0;
        uint8_t magic[4] = {0};
        size_t n;
        int r;

        r = root_find(v, rec, a, "hiberfil.sys", &ref);
        if (r <= 0)
                return r;
        num = ref & 0xffffffffffffull;
        r = read_record(v, num, rec, &at);
        if (r == -ENOENT || (r == 0 && ((le16(rec + 0x16) & MFT_RECORD_IS_DIRECTORY) ||
                                        (ref >> 48 && le16(rec + 0x10) != ref >> 48))))
                return 0; /* a stale entry: the record is free or reused */
        if (r < 0)
                return r;
        r = find_attr(rec, v->record, AT_DATA, NULL, a);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        s->hiberfile = true;
        s->mft_record = num;
        n = (size_t) MIN(a->data_size, (uint64_t) sizeof(magic));
        if (a->resident) {
                memcpy(magic, a->value, n);
                s->hiber_data_at = at && a->value_at < BLOCK - 6 ? at + a->value_at : 0;
        } else if (n > 0) {
                r = read_runs(v, a->runs, a->n_runs, 0, magic, n, &s->hiber_data_at);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < n; i++)
                s->hiber_magic[i] = magic[i] >= 0x20 && magic[i] < 0x7f ? (char) magic[i] : '?';
        s->hiber_magic[n] = 0;
        s->hibernated = n == 4 && (!memcmp(magic, "hibr", 4) || !memcmp(magic, "HIBR", 4));
        return 0;
}

int ntfs_state_read(ntfs_read_fn read, void *userdata, uint64_t dev_size, struct ntfs_state *ret)
{
        _cleanup_free_ struct vol *v = calloc(1, sizeof(*v));
        _cleanup_free_ struct attr *a = malloc(sizeof(*a));
        _cleanup_free_ uint8_t *rec = NULL;
        struct ntfs_state s = {0};
        uint64_t mft_at;
        int r;

        *ret = s;
        if (!v || !a)
                return -ENOMEM;
        v->read = read;
        v->userdata = userdata;
        v->size = dev_size;
        r = read_boot(v, &mft_at);
        if (r < 0)
                return r;
        rec = malloc(v->record);
        if (!rec)
                return -ENOMEM;
        r = read_mft(v, mft_at, rec);
        if (r >= 0)
                r = read_volume_flags(v, rec, a, &s);
        if (r >= 0)
                r = read_logfile(v, rec, a, &s);
        if (r >= 0)
                r = read_hiberfile(v, rec, a, &s);
        if (r < 0)
                return r == -EMEDIUMTYPE || r == -ENOMEM ? r : r == -EIO ? -EIO : -EBADMSG;
        *ret = s;
        return 0;
}

const char *ntfs_state_refusal(const struct ntfs_state *s)
{
        if (s->hibernated)
                return "Windows is hibernated or shut down with Fast Startup (hiberfil.sys): not "
                       "mounted, to keep its data safe";
        if (!s->log_clean)
                return "Windows did not shut down cleanly or used Fast Startup ($LogFile not "
                       "clean): not mounted, to keep its data safe";
        return NULL;
}

const char *ntfs_state_error_refusal(int r)
{
        if (r == -ENOMEM)
                return "its state cannot be checked (out of memory): not mounted, to keep its data "
                       "safe";
        if (r == -EBADMSG)
                return "its NTFS state cannot be read (damaged or unusual metadata): not mounted, "
                       "to keep its data safe";
        return "its NTFS state cannot be read (read error): not mounted, to keep its data safe";
}
