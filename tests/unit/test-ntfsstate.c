/* SPDX-License-Identifier: GPL-2.0-or-later */
/* core/ntfsstate.c on real volumes made here with mkntfs and ntfscp (ntfs-3g): a clean volume, a
 * hiberfil.sys with a "HIBR" or "hibr" header (refused), one with "wake" or zeros (resumed:
 * mounted), and the dirty flag and an unclean $LogFile restart area made by patching the bytes
 * at the offsets the parser reports; then damaged and hostile copies (torn fixups, boot sector
 * values, runs, cut images), which must give an error and never a read outside the image. The
 * mkntfs tests say SKIP where ntfs-3g is missing. */
#include "test.h"
#include "test-run.h"

#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>

#include "core/ntfsstate.h"
#include "core/util.h"

static char scratch[] = "/tmp/kl-test-ntfsstate-XXXXXX";
static bool have_mkntfs;

/* name.img: a 16 MiB volume; with hiber, a hiberfil.sys of 8 KiB starting with hiber. */
static void make(const char *name, const char *hiber)
{
        test_run("cd %s && truncate -s 16M %s.img && mkntfs -q -F -f -L KLNTFS %s.img >/dev/null "
                 "2>&1",
                 scratch, name, name);
        if (hiber)
                test_run("cd %s && { printf '%%s' '%s'; head -c 8188 /dev/zero; } >%s.hib && "
                         "ntfscp -q %s.img %s.hib hiberfil.sys >/dev/null 2>&1",
                         scratch, hiber, name, name, name);
        /* more files in the root, so that its index needs blocks */
        test_run("cd %s && echo x >%s.f && for i in 1 2 3 4 5 6 7 8 9 10 11 12; do "
                 "ntfscp -q %s.img %s.f file-with-a-long-name-$i.txt >/dev/null 2>&1; done",
                 scratch, name, name, name);
}

__attribute__((constructor)) static void make_images(void)
{
        if (!mkdtemp(scratch))
                return;
        have_mkntfs =
                test_run("command -v mkntfs >/dev/null 2>&1 && command -v ntfscp >/dev/null 2>&1");
        if (!have_mkntfs)
                return;
        make("clean", NULL);
        make("HIBR", "HIBR");
        make("hibr", "hibr");
        make("wake", "wake");
        make("zero", "\\0\\0\\0\\0");
}

__attribute__((destructor)) static void remove_images(void)
{
        if (scratch[0] && !strstr(scratch, "XXXXXX"))
                test_run("rm -rf %s", scratch);
}

struct buf {
        uint8_t *data;
        size_t size;
        uint64_t max_end; /* the end of the furthest read */
};

static int buf_read(void *userdata, uint64_t off, void *out, size_t n)
{
        struct buf *b = userdata;

        if (off > b->size || n > b->size - off)
                return -EIO;
        memcpy(out, b->data + off, n);
        b->max_end = MAX(b->max_end, off + n);
        return 0;
}

static bool load(const char *name, struct buf *b)
{
        _cleanup_free_ char *p = util_asprintf("%s/%s.img", scratch, name);
        _cleanup_free_ char *text = NULL;
        size_t n = 0;

        *b = (struct buf){0};
        if (!p || util_read_file(p, 64u << 20, &text, &n) < 0)
                return false;
        b->data = (uint8_t *) text;
        b->size = n;
        text = NULL;
        return true;
}

static int state_of(struct buf *b, struct ntfs_state *s)
{
        int r;

        b->max_end = 0;
        r = ntfs_state_read(buf_read, b, b->size, s);

        /* every read stays inside the image */
        if (b->max_end > b->size)
                printf("# read past the end: %llu > %zu\n", (unsigned long long) b->max_end,
                       b->size);
        return b->max_end > b->size ? -ERANGE : r;
}

#define SKIP_WITHOUT_MKNTFS()                                 \
        do {                                                  \
                if (!have_mkntfs) {                           \
                        printf("# SKIP mkntfs is missing\n"); \
                        return;                               \
                }                                             \
        } while (0)

TEST(clean_volume)
{
        struct ntfs_state s;
        struct buf b;

        SKIP_WITHOUT_MKNTFS();
        REQUIRE(load("clean", &b));
        CHECK_INTEQ(state_of(&b, &s), 0);
        CHECK(!s.dirty);
        CHECK(s.log_clean);
        CHECK(!s.hiberfile);
        CHECK(!s.hibernated);
        CHECK(s.volume_flags_at > 0);
        CHECK(ntfs_state_refusal(&s) == NULL);
        free(b.data);
}

TEST(hibernated)
{
        static const char *const names[] = {"HIBR", "hibr"};

        SKIP_WITHOUT_MKNTFS();
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                struct ntfs_state s;
                struct buf b;

                REQUIRE(load(names[i], &b));
                CHECK_INTEQ(state_of(&b, &s), 0);
                CHECK(s.hiberfile);
                CHECK(s.hibernated);
                CHECK_STREQ(s.hiber_magic, names[i]);
                CHECK(s.mft_record >= 16);
                REQUIRE(s.hiber_data_at > 0 && s.hiber_data_at + 4 <= b.size);
                CHECK(memcmp(b.data + s.hiber_data_at, names[i], 4) == 0);
                CHECK(ntfs_state_refusal(&s) != NULL);
                CHECK(strstr(ntfs_state_refusal(&s), "hibernated or shut down with Fast Startup"));
                /* the same file resumed from ("wake", as Windows leaves it): fine */
                memcpy(b.data + s.hiber_data_at, "wake", 4);
                CHECK_INTEQ(state_of(&b, &s), 0);
                CHECK(s.hiberfile && !s.hibernated);
                CHECK_STREQ(s.hiber_magic, "wake");
                CHECK(ntfs_state_refusal(&s) == NULL);
                free(b.data);
        }
}

TEST(resumed_or_empty_hiberfile)
{
        static const char *const names[] = {"wake", "zero"};

        SKIP_WITHOUT_MKNTFS();
        for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
                struct ntfs_state s;
                struct buf b;

                REQUIRE(load(names[i], &b));
                CHECK_INTEQ(state_of(&b, &s), 0);
                CHECK(s.hiberfile);
                CHECK(!s.hibernated);
                CHECK(ntfs_state_refusal(&s) == NULL);
                free(b.data);
        }
}

TEST(dirty_flag)
{
        struct ntfs_state s;
        struct buf b;

        SKIP_WITHOUT_MKNTFS();
        REQUIRE(load("clean", &b));
        REQUIRE(state_of(&b, &s) == 0 && s.volume_flags_at > 0);
        b.data[s.volume_flags_at] |= 0x01; /* VOLUME_IS_DIRTY */
        CHECK_INTEQ(state_of(&b, &s), 0);
        CHECK(s.dirty);
        /* chkdsk pending, but Windows is not holding the volume: read-only is safe */
        CHECK(ntfs_state_refusal(&s) == NULL);
        free(b.data);
}

/* A restart page as Windows writes it at the start of $LogFile (mkntfs leaves the log empty,
 * all 0xff): 4096-byte pages, the restart area at 0x30 with one client, in use or not, and the
 * update-sequence array with its fixups applied as on disk. */
static void put_restart_page(uint8_t *p, uint64_t lsn, uint16_t in_use, uint16_t flags)
{
        uint8_t *ra = p + 0x30;

        memset(p, 0, 4096);
        memcpy(p, "RSTR", 4);
        p[4] = 0x1e, p[6] = 9;                    /* usa_ofs, usa_count (8 sectors + 1) */
        p[0x11] = 0x10, p[0x15] = 0x10;           /* system and log page size 4096 */
        p[0x18] = 0x30, p[0x1a] = 1, p[0x1c] = 1; /* restart area offset, version 1.1 */
        for (int i = 0; i < 8; i++)
                ra[i] = (uint8_t) (lsn >> (8 * i));
        ra[8] = 1;                      /* log_clients */
        ra[0xa] = 0xff, ra[0xb] = 0xff; /* client_free_list: none */
        ra[0xc] = (uint8_t) in_use, ra[0xd] = (uint8_t) (in_use >> 8);
        ra[0xe] = (uint8_t) flags, ra[0xf] = (uint8_t) (flags >> 8);
        p[0x1e] = 7; /* the update sequence number */
        for (int i = 1; i <= 8; i++) {
                memcpy(p + 0x1e + 2 * i, p + i * 512 - 2, 2);
                p[i * 512 - 2] = 7, p[i * 512 - 1] = 0;
        }
}

TEST(unclean_logfile)
{
        struct ntfs_state s;
        struct buf b;
        uint64_t log;

        SKIP_WITHOUT_MKNTFS();
        REQUIRE(load("clean", &b));
        REQUIRE(state_of(&b, &s) == 0);
        CHECK(s.log_empty && s.log_clean);
        log = s.log_data_at;
        REQUIRE(log > 0 && log + 8192 <= b.size);
        /* a client in use, RESTART_VOLUME_IS_CLEAN not set: Windows still holds the volume */
        put_restart_page(b.data + log, 100, 0, 0);
        put_restart_page(b.data + log + 4096, 90, 0xffff, 0x02);
        CHECK_INTEQ(state_of(&b, &s), 0);
        CHECK(!s.log_empty);
        CHECK(!s.log_clean);
        CHECK(ntfs_state_refusal(&s) != NULL);
        CHECK(strstr(ntfs_state_refusal(&s), "$LogFile not clean"));
        /* the parser reports where the flags are: set RESTART_VOLUME_IS_CLEAN there */
        REQUIRE(s.restart_flags_at == log + 0x30 + 0xe);
        b.data[s.restart_flags_at] |= 0x02;
        CHECK_INTEQ(state_of(&b, &s), 0);
        CHECK(s.log_clean);
        /* the newer page wins: the second one, unclean, with a higher LSN */
        put_restart_page(b.data + log + 4096, 200, 0, 0);
        CHECK_INTEQ(state_of(&b, &s), 0);
        CHECK(!s.log_clean);
        CHECK(s.restart_flags_at == log + 4096 + 0x30 + 0xe);
        /* no client in use: clean whatever the flags */
        put_restart_page(b.data + log + 4096, 200, 0xffff, 0);
        CHECK_INTEQ(state_of(&b, &s), 0);
        CHECK(s.log_clean);
        /* a torn restart page is not one; with the other clean page the newer valid one counts */
        put_restart_page(b.data + log, 300, 0, 0);
        b.data[log + 1022] ^= 1;
        CHECK_INTEQ(state_of(&b, &s), 0);
        CHECK(s.log_clean);
        /* neither page valid and the log not empty: unclean */
        b.data[log + 4096 + 1022] ^= 1;
        CHECK_INTEQ(state_of(&b, &s), 0);
        CHECK(!s.log_clean && !s.log_empty);
        free(b.data);
}

/* Every single-byte change in the boot sector, the first MFT records and $LogFile's start, and
 * every cut: an answer or an error, never a read outside the image (ASan sees the rest). */
TEST(damaged_copies)
{
        struct ntfs_state s;
        struct buf b;
        size_t errors = 0, answers = 0;
        uint64_t mft;

        SKIP_WITHOUT_MKNTFS();
        REQUIRE(load("HIBR", &b));
        REQUIRE(state_of(&b, &s) == 0);
        mft = le64toh(*(uint64_t *) (b.data + 0x30)) * 4096;
        for (size_t i = 0; i < 512 + 6 * 1024; i++) {
                size_t at = i < 512 ? i : mft + (i - 512);
                static const uint8_t vals[] = {0x00, 0xff, 0x80, 0x7f, 0x01};

                for (size_t v = 0; v < ARRAY_SIZE(vals); v++) {
                        uint8_t old = b.data[at];
                        int r;

                        b.data[at] = vals[v];
                        b.max_end = 0;
                        r = state_of(&b, &s);
                        CHECK(r != -ERANGE);
                        if (r == 0)
                                answers++;
                        else
                                errors++;
                        b.data[at] = old;
                }
        }
        printf("# %zu answers, %zu errors\n", answers, errors);
        CHECK(errors > 0);
        /* a torn record (a sector's end not the sequence number) is an error, not an answer */
        b.data[mft + 3 * 1024 + 510] ^= 0x55;
        CHECK_INTEQ(state_of(&b, &s), -EBADMSG);
        CHECK(ntfs_state_error_refusal(-EBADMSG) != NULL);
        b.data[mft + 3 * 1024 + 510] ^= 0x55;
        for (size_t cut = 0; cut < b.size; cut += b.size / 64 + 511) {
                struct buf c = {.data = b.data, .size = cut};
                int r = state_of(&c, &s);

                CHECK(r != -ERANGE);
                CHECK(r != 0 || cut >= mft);
        }
        free(b.data);
}

TEST(not_ntfs)
{
        uint8_t zero[4096] = {0};
        struct buf b = {.data = zero, .size = sizeof(zero)};
        struct ntfs_state s;

        CHECK_INTEQ(state_of(&b, &s), -EMEDIUMTYPE);
        b.size = 100;
        CHECK_INTEQ(state_of(&b, &s), -EMEDIUMTYPE);
        /* a boot sector with hostile values */
        memcpy(zero + 3, "NTFS    ", 8);
        b.size = sizeof(zero);
        CHECK_INTEQ(state_of(&b, &s), -EBADMSG); /* 0 bytes per sector */
        zero[0x0b] = 0x00, zero[0x0c] = 0x02;    /* 512 */
        zero[0x0d] = 0xf0;                       /* 2^16 sectors per cluster: too large */
        CHECK_INTEQ(state_of(&b, &s), -EBADMSG);
        zero[0x0d] = 8;
        zero[0x40] = (uint8_t) -31; /* 2^31-byte records */
        CHECK_INTEQ(state_of(&b, &s), -EBADMSG);
        zero[0x40] = (uint8_t) -10;
        memset(zero + 0x30, 0xff, 8); /* the MFT far outside */
        CHECK_INTEQ(state_of(&b, &s), -EBADMSG);
        memset(zero + 0x30, 0, 8);
        zero[0x30] = 0; /* the MFT over the boot sector: no "FILE" record */
        CHECK_INTEQ(state_of(&b, &s), -EBADMSG);
}
