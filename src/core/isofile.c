/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ISO 9660 image files read with libarchive (see isofile.h for the rules). libarchive reads an
 * archive as a stream of entries: the image's tree is indexed once (paths, kinds, sizes, link
 * targets), and each file read opens the stream again and reads up to that entry. All reads go
 * through pread() on the image's own fd, so nothing else moves its offset. */
#define LOG_MODULE "isofile"
#include "isofile.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsread.h"
#include "log.h"
#include "util.h"

#define ISOFILE_BLOCK    (64u << 10) /* bytes handed to libarchive per read */
#define ISOFILE_SYMLINKS 40          /* symlinks followed in one lookup */

enum node_kind { NODE_FILE = 1, NODE_DIR = 2, NODE_LINK = 3 };

struct node {
        char *path; /* inside the image, without the leading '/' ("" is the root) */
        char *link; /* NODE_LINK: the target; a hard link: the path holding the data */
        uint64_t size;
        enum node_kind kind;
        bool hard; /* a hard link: its data is read through link */
};

struct isofile {
        int fd;
        uint64_t file_size;
        struct node *nodes; /* sorted by path (strcmp) */
        size_t n, cap;
        size_t names; /* bytes of the paths indexed */
        bool truncated;
        bool plain_names; /* no Rock Ridge or Joliet: names match in any letter case */
        char label[33];
};

/* The stream libarchive reads: the image through pread(), with an offset of our own. */
struct stream {
        struct isofile *iso;
        int64_t pos;
        void *buf;
};

static la_ssize_t stream_read(struct archive *a, void *ud, const void **ret)
{
        struct stream *s = ud;
        ssize_t k;

        do
                k = pread(s->iso->fd, s->buf, ISOFILE_BLOCK, s->pos);
        while (k < 0 && errno == EINTR);
        if (k < 0) {
                archive_set_error(a, errno, "read error");
                return -1;
        }
        s->pos += k;
        *ret = s->buf;
        return k;
}

static la_int64_t stream_seek(struct archive *a, void *ud, la_int64_t offset, int whence)
{
        struct stream *s = ud;
        int64_t base = whence == SEEK_SET   ? 0
                       : whence == SEEK_CUR ? s->pos
                                            : (int64_t) s->iso->file_size;

        if (offset > INT64_MAX - base || base + offset < 0)
                return ARCHIVE_FATAL;
        s->pos = base + offset;
        return s->pos;
}

static la_int64_t stream_skip(struct archive *a, void *ud, la_int64_t request)
{
        struct stream *s = ud;
        int64_t left = (int64_t) s->iso->file_size - s->pos;

        if (request <= 0 || left <= 0)
                return 0;
        if (request > left)
                request = left;
        s->pos += request;
        return request;
}

static void stream_close(struct archive **a, struct stream *s)
{
        if (*a)
                archive_read_free(*a);
        *a = NULL;
        free(s->buf);
        s->buf = NULL;
}

/* A libarchive reader of the image from its start: ISO 9660 only, no filter. */
static int stream_open(struct isofile *iso, struct stream *s, struct archive **ret)
{
        struct archive *a;

        *s = (struct stream){.iso = iso, .buf = malloc(ISOFILE_BLOCK)};
        a = archive_read_new();
        if (!a || !s->buf) {
                if (a)
                        archive_read_free(a);
                free(s->buf);
                return -ENOMEM;
        }
        if (archive_read_support_format_iso9660(a) != ARCHIVE_OK ||
            archive_read_set_read_callback(a, stream_read) != ARCHIVE_OK ||
            archive_read_set_seek_callback(a, stream_seek) != ARCHIVE_OK ||
            archive_read_set_skip_callback(a, stream_skip) != ARCHIVE_OK ||
            archive_read_set_callback_data(a, s) != ARCHIVE_OK ||
            archive_read_open1(a) != ARCHIVE_OK) {
                log_debug("not an ISO 9660 image: %s", archive_error_string(a));
                archive_read_free(a);
                free(s->buf);
                s->buf = NULL;
                return -EMEDIUMTYPE;
        }
        *ret = a;
        return 0;
}

/* A path of the image in the index's form: no leading, trailing or doubled '/', no "."; NULL
 * when it is longer than ISOFILE_MAX_PATH or has a ".." component (libarchive gives none). */
static char *clean_path(const char *p)
{
        struct {
                char *s;
                size_t n;
        } b = {malloc(strlen(p) + 1), 0};

        if (!b.s)
                return NULL;
        while (*p) {
                size_t l;

                while (*p == '/')
                        p++;
                l = strcspn(p, "/");
                if (l == 0)
                        break;
                if (l == 1 && p[0] == '.') { /* the root's own entry is "." */
                        p += l;
                        continue;
                }
                if (l == 2 && p[0] == '.' && p[1] == '.') {
                        free(b.s);
                        return NULL;
                }
                if (b.n > 0)
                        b.s[b.n++] = '/';
                memcpy(b.s + b.n, p, l);
                b.n += l;
                p += l;
        }
        b.s[b.n] = 0;
        if (b.n > ISOFILE_MAX_PATH) {
                free(b.s);
                return NULL;
        }
        return b.s;
}

static int node_cmp(const void *a, const void *b)
{
        return strcmp(((const struct node *) a)->path, ((const struct node *) b)->path);
}

static void node_done(struct node *n)
{
        free(n->path);
        free(n->link);
}

/* Adds one entry of the stream to the index (dropped when a bound says so). */
static int index_entry(struct isofile *iso, struct archive *a, struct archive_entry *e)
{
        const char *name = archive_entry_pathname(e), *hard = archive_entry_hardlink(e);
        mode_t type = archive_entry_filetype(e);
        struct node n = {0};
        size_t l;

        if (!name)
                return 0;
        if (iso->n >= ISOFILE_MAX_ENTRIES) {
                iso->truncated = true;
                return 0;
        }
        if (archive_format(a) == ARCHIVE_FORMAT_ISO9660)
                iso->plain_names = true;
        n.path = clean_path(name);
        if (!n.path) {
                iso->truncated = true;
                return 0;
        }
        l = strlen(n.path) + 1;
        if (iso->names + l > ISOFILE_MAX_NAMES || n.path[0] == 0) {
                iso->truncated = iso->truncated || n.path[0] != 0;
                free(n.path);
                return 0;
        }
        if (hard) {
                n.kind = NODE_FILE;
                n.hard = true;
                n.link = clean_path(hard);
        } else if (type == AE_IFDIR)
                n.kind = NODE_DIR;
        else if (type == AE_IFLNK) {
                n.kind = NODE_LINK;
                n.link = strdup(archive_entry_symlink(e) ? archive_entry_symlink(e) : "");
        } else if (type == AE_IFREG) {
                n.kind = NODE_FILE;
                n.size = archive_entry_size_is_set(e) && archive_entry_size(e) > 0
                                 ? (uint64_t) archive_entry_size(e)
                                 : 0;
        } else {
                free(n.path);
                return 0; /* device nodes, FIFOs: never read */
        }
        if ((n.kind == NODE_LINK || n.hard) && !n.link) {
                node_done(&n);
                return n.hard ? 0 : -ENOMEM;
        }
        if (UTIL_GROW(iso->nodes, iso->cap, iso->n + 1) < 0) {
                node_done(&n);
                return -ENOMEM;
        }
        iso->names += l;
        iso->nodes[iso->n++] = n;
        return 0;
}

static int index_image(struct isofile *iso)
{
        struct archive *a = NULL;
        struct archive_entry *e;
        struct stream s;
        size_t w = 0;
        int r;

        r = stream_open(iso, &s, &a);
        if (r < 0)
                return r;
        for (;;) {
                int h = archive_read_next_header(a, &e);

                if (h == ARCHIVE_EOF)
                        break;
                if (h < ARCHIVE_WARN) {
                        log_debug("ISO tree: %s", archive_error_string(a));
                        r = iso->n == 0 ? -EIO : 0;
                        iso->truncated = iso->n > 0;
                        break;
                }
                r = index_entry(iso, a, e);
                if (r < 0)
                        break;
                /* Past the bound on entries the headers are not worth reading either. */
                if (iso->truncated && iso->n >= ISOFILE_MAX_ENTRIES)
                        break;
        }
        stream_close(&a, &s);
        if (r < 0)
                return r;
        if (iso->n > 0)
                qsort(iso->nodes, iso->n, sizeof(*iso->nodes), node_cmp);
        /* The same path twice (a hostile tree): keep the first, so lookups stay unambiguous. */
        for (size_t i = 0; i < iso->n; i++) {
                if (w > 0 && streq(iso->nodes[i].path, iso->nodes[w - 1].path))
                        node_done(&iso->nodes[i]);
                else
                        iso->nodes[w++] = iso->nodes[i];
        }
        iso->n = w;
        return 0;
}

/* ---- The volume descriptors, checked before libarchive reads the image ----
 * libarchive (3.6.2) trusts sizes in the volume descriptors: it reads the root directory whole
 * (one buffer of the size the primary or Joliet descriptor's root record says: up to 4 GiB, found
 * by fuzz-iso as malloc(4278192128)) and any directory up to the volume's end, which is the
 * volume space size times the logical block size, whatever the file holds. The descriptors are
 * checked here against the file first: every primary and supplementary one (Joliet's included)
 * must describe a volume of 2048-byte blocks that fits in the file, its root directory and path
 * tables inside that volume, the root directory of a sane size. Then no buffer libarchive sizes
 * from the image is larger than the image. */

#define ISO_SECTOR  2048u
#define ISO_VD_LAST 64u /* sectors past 16 looked at for the descriptor set's terminator */

static uint32_t le32(const unsigned char *p)
{
        return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 |
               (uint32_t) p[3] << 24;
}

static uint32_t be32(const unsigned char *p)
{
        return (uint32_t) p[3] | (uint32_t) p[2] << 8 | (uint32_t) p[1] << 16 |
               (uint32_t) p[0] << 24;
}

/* A both-endian field (ECMA-119 7.2.3 of 2 bytes, 7.3.3 of 4 bytes) whose halves agree. */
static bool both_endian(const unsigned char *p, unsigned bytes, uint32_t *ret)
{
        uint32_t l = bytes == 2 ? (uint32_t) p[0] | (uint32_t) p[1] << 8 : le32(p);
        uint32_t b = bytes == 2 ? (uint32_t) p[2] << 8 | p[3] : be32(p + 4);

        *ret = l;
        return l == b;
}

/* One primary (type 1) or supplementary/enhanced (type 2) volume descriptor: NULL when it fits
 * a file of file_size bytes, else why not (a static string for the log). */
static const char *check_vd(const unsigned char *vd, uint64_t file_size)
{
        const unsigned char *root = vd + 156; /* the root directory's record */
        uint32_t block, blocks, pt_size, pt_l = le32(vd + 140), pt_m = be32(vd + 148), extent, size;
        uint64_t volume;

        if (!both_endian(vd + 128, 2, &block) || block != ISO_SECTOR)
                return "a logical block size other than 2048 bytes";
        if (!both_endian(vd + 80, 4, &blocks) || blocks <= 16)
                return "a damaged volume space size";
        volume = (uint64_t) blocks * ISO_SECTOR;
        if (volume > (file_size + ISO_SECTOR - 1) / ISO_SECTOR * ISO_SECTOR)
                return "a volume larger than the file (an image cut short?)";
        if (root[0] < 34 || !(root[25] & 2) || !both_endian(root + 2, 4, &extent) ||
            !both_endian(root + 10, 4, &size))
                return "a damaged root directory record";
        if (size == 0 || size > ISOFILE_MAX_ROOT_DIR || extent <= 16 ||
            (uint64_t) extent * ISO_SECTOR + size > volume)
                return "a root directory outside the volume or of an impossible size";
        if (!both_endian(vd + 132, 4, &pt_size) || pt_size > volume ||
            (uint64_t) pt_l * ISO_SECTOR + pt_size > volume ||
            (pt_m != 0 && (uint64_t) pt_m * ISO_SECTOR + pt_size > volume))
                return "a path table outside the volume";
        return NULL;
}

/* The volume descriptor set from sector 16 to its terminator (at most ISO_VD_LAST sectors): 0
 * when every primary and supplementary descriptor fits the file or when the image has no ISO
 * 9660 descriptors (libarchive then says it is no image), -EBADMSG (and why, *ret_why) when one
 * does not. */
static int check_volume(int fd, uint64_t file_size, const char **ret_why)
{
        _cleanup_free_ unsigned char *vd = malloc(ISO_SECTOR);

        if (!vd)
                return -ENOMEM;
        for (unsigned i = 0; i < ISO_VD_LAST; i++) {
                ssize_t k;

                do
                        k = pread(fd, vd, ISO_SECTOR, (off_t) (16 + i) * ISO_SECTOR);
                while (k < 0 && errno == EINTR);
                if (k != (ssize_t) ISO_SECTOR || memcmp(vd + 1, "CD001", 5) != 0 || vd[0] == 255)
                        return 0;
                if (vd[0] == 1 || vd[0] == 2) {
                        const char *why = check_vd(vd, file_size);

                        if (why) {
                                *ret_why = why;
                                return -EBADMSG;
                        }
                }
        }
        return 0;
}

/* The primary volume descriptor's volume id (sector 16), trailing blanks removed. */
static void read_label(struct isofile *iso)
{
        unsigned char pvd[2048];
        size_t l = 32;

        if (pread(iso->fd, pvd, sizeof(pvd), 16 * 2048) != (ssize_t) sizeof(pvd) || pvd[0] != 1 ||
            memcmp(pvd + 1, "CD001", 5) != 0)
                return;
        memcpy(iso->label, pvd + 40, 32);
        while (l > 0 && (iso->label[l - 1] == ' ' || iso->label[l - 1] == 0))
                l--;
        iso->label[l] = 0;
        for (size_t i = 0; i < l; i++)
                if ((unsigned char) iso->label[i] < 0x20 || (unsigned char) iso->label[i] >= 0x7f)
                        iso->label[i] = '?';
}

/* Whether the image holds a UDF volume: a volume recognition sequence (ECMA-167 2/8.3) from
 * 32 KiB on, one descriptor per 2048 bytes, with an NSR02 or NSR03 descriptor (at most 16 looked
 * at). */
static bool has_udf(int fd)
{
        static const char *const vrs[] = {"BEA01", "CD001", "BOOT2", "CDW02", "TEA01"};

        for (unsigned i = 0; i < 16; i++) {
                unsigned char d[7];
                bool known = false;

                if (pread(fd, d, sizeof(d), 32768 + (off_t) i * 2048) != (ssize_t) sizeof(d) ||
                    d[6] != 1)
                        return false;
                if (memcmp(d + 1, "NSR02", 5) == 0 || memcmp(d + 1, "NSR03", 5) == 0)
                        return true;
                for (size_t k = 0; k < ARRAY_SIZE(vrs); k++)
                        known |= memcmp(d + 1, vrs[k], 5) == 0;
                if (!known)
                        return false;
        }
        return false;
}

const char *isofile_strerror(int r)
{
        if (r == -EMEDIUMTYPE)
                return "not an ISO 9660 image";
        if (r == -ISOFILE_EUDF)
                return "a UDF image without an ISO 9660 tree (libarchive reads no UDF)";
        if (r == -EBADMSG)
                return "its volume descriptors do not fit the file (cut short or damaged)";
        if (r == -EIO)
                return "its file tree cannot be read";
        return fsread_strerror(r);
}

static int open_fd(int fd, const char *name, struct isofile **ret)
{
        struct isofile *iso;
        const char *why = NULL;
        struct stat st;
        int r;

        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return S_ISDIR(st.st_mode) ? -EISDIR : -FSREAD_ENOTREG;
        iso = calloc(1, sizeof(*iso));
        if (!iso)
                return -ENOMEM;
        iso->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        iso->file_size = (uint64_t) st.st_size;
        if (iso->fd < 0) {
                r = -errno;
                free(iso);
                return r;
        }
        r = check_volume(iso->fd, iso->file_size, &why);
        if (r == -EBADMSG)
                log_info("%s: not read: its volume descriptors give %s", name, why);
        if (r >= 0)
                r = index_image(iso);
        if (r == -EMEDIUMTYPE && has_udf(iso->fd))
                r = -ISOFILE_EUDF;
        if (r < 0) {
                isofile_free(iso);
                return r;
        }
        read_label(iso);
        *ret = iso;
        return 0;
}

int isofile_open_fd(int fd, struct isofile **ret)
{
        return open_fd(fd, "ISO image", ret);
}

int isofile_open(int root_fd, const char *path, struct isofile **ret)
{
        _cleanup_close_ int fd = fsread_open(root_fd, path, FSREAD_FILE);

        if (fd < 0)
                return fd;
        return open_fd(fd, path, ret);
}

struct isofile *isofile_free(struct isofile *iso)
{
        if (!iso)
                return NULL;
        for (size_t i = 0; i < iso->n; i++)
                node_done(&iso->nodes[i]);
        free(iso->nodes);
        if (iso->fd >= 0)
                close(iso->fd);
        free(iso);
        return NULL;
}

bool isofile_truncated(const struct isofile *iso)
{
        return iso->truncated;
}

const char *isofile_label(const struct isofile *iso)
{
        return iso->label;
}

static struct node *find_exact(struct isofile *iso, const char *path)
{
        struct node key = {.path = (char *) path};

        if (iso->n == 0)
                return NULL;
        return bsearch(&key, iso->nodes, iso->n, sizeof(*iso->nodes), node_cmp);
}

/* The node of dir/name; without Rock Ridge or Joliet names, in any letter case. */
static struct node *find_child(struct isofile *iso, const char *dir, const char *name,
                               size_t name_len, char *buf)
{
        size_t dl = strlen(dir);
        struct node *n;

        if (dl + 1 + name_len > ISOFILE_MAX_PATH)
                return NULL;
        memcpy(buf, dir, dl);
        if (dl > 0)
                buf[dl++] = '/';
        memcpy(buf + dl, name, name_len);
        buf[dl + name_len] = 0;
        n = find_exact(iso, buf);
        if (n || !iso->plain_names)
                return n;
        for (size_t i = 0; i < iso->n; i++)
                if (strcasecmp(iso->nodes[i].path, buf) == 0)
                        return &iso->nodes[i];
        return NULL;
}

/* Resolves path inside the image: ".." stops at the root, symlinks resolve inside it. A root
 * directory exists even without an entry: *ret is NULL and 2 is returned for it. Returns 1 (a
 * node, *ret), 2 (the root), -ENOENT, -ENOTDIR, -ELOOP, -ENAMETOOLONG, -ENOMEM. */
static int resolve(struct isofile *iso, const char *path, struct node **ret)
{
        _cleanup_free_ char *todo = strdup(path ? path : ""),
                            *cur = calloc(1, ISOFILE_MAX_PATH + 1),
                            *buf = malloc(ISOFILE_MAX_PATH + 2);
        unsigned links = 0;
        const char *p;
        struct node *n = NULL;

        if (!todo || !cur || !buf)
                return -ENOMEM;
        p = todo;
        for (;;) {
                size_t l;

                while (*p == '/')
                        p++;
                if (!*p)
                        break;
                l = strcspn(p, "/");
                if (l == 1 && p[0] == '.') {
                        p += l;
                        continue;
                }
                if (l == 2 && p[0] == '.' && p[1] == '.') {
                        char *s = strrchr(cur, '/');

                        if (s)
                                *s = 0;
                        else
                                cur[0] = 0;
                        n = NULL;
                        p += l;
                        continue;
                }
                if (n && n->kind != NODE_DIR)
                        return -ENOTDIR;
                if (!n && cur[0]) {
                        n = find_exact(iso, cur);
                        if (n && n->kind != NODE_DIR)
                                return -ENOTDIR;
                }
                n = find_child(iso, cur, p, l, buf);
                if (!n)
                        return strlen(cur) + 1 + l > ISOFILE_MAX_PATH ? -ENAMETOOLONG : -ENOENT;
                p += l;
                if (n->kind == NODE_LINK) {
                        char *next;

                        if (++links > ISOFILE_SYMLINKS)
                                return -ELOOP;
                        /* The link's directory stays cur; an absolute target starts at the root. */
                        if (n->link[0] == '/')
                                cur[0] = 0;
                        next = util_asprintf("%s/%s", n->link, p);
                        if (!next)
                                return -ENOMEM;
                        if (strlen(next) > 16 * ISOFILE_MAX_PATH) {
                                free(next);
                                return -ENAMETOOLONG;
                        }
                        free(todo);
                        todo = next;
                        p = todo;
                        n = NULL;
                        continue;
                }
                strcpy(cur, n->path);
        }
        if (!n && cur[0]) {
                n = find_exact(iso, cur);
                if (!n) {
                        /* A directory implied by deeper entries ("a" of "a/b") */
                        size_t cl = strlen(cur);

                        for (size_t i = 0; i < iso->n; i++)
                                if (strncmp(iso->nodes[i].path, cur, cl) == 0 &&
                                    iso->nodes[i].path[cl] == '/')
                                        return 2;
                        return -ENOENT;
                }
        }
        *ret = n;
        return n ? 1 : 2;
}

int isofile_stat(struct isofile *iso, const char *path, uint64_t *ret_size)
{
        struct node *n = NULL;
        int r = resolve(iso, path, &n);

        if (ret_size)
                *ret_size = 0;
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return 0;
        if (r == 2 || n->kind == NODE_DIR)
                return 2;
        if (n->hard) {
                struct node *t = find_exact(iso, n->link);

                if (t && t->kind == NODE_FILE && !t->hard && ret_size)
                        *ret_size = t->size;
                return 1;
        }
        if (ret_size)
                *ret_size = n->size;
        return 1;
}

int isofile_list(struct isofile *iso, const char *path, char ***ret)
{
        _cleanup_strv_ char **l = calloc(1, sizeof(char *));
        struct node *n = NULL;
        const char *dir;
        size_t dl;
        int r;

        if (!l)
                return -ENOMEM;
        r = resolve(iso, path, &n);
        if (r < 0)
                return r;
        if (n && n->kind != NODE_DIR)
                return -ENOTDIR;
        dir = n ? n->path : "";
        dl = strlen(dir);
        for (size_t i = 0; i < iso->n; i++) {
                const char *p = iso->nodes[i].path, *name;

                if (dl > 0 && (strncmp(p, dir, dl) != 0 || p[dl] != '/'))
                        continue;
                name = dl > 0 ? p + dl + 1 : p;
                if (strchr(name, '/'))
                        continue;
                if (strv_push(&l, name) < 0)
                        return -ENOMEM;
        }
        *ret = l;
        l = NULL;
        return 0;
}

/* The node holding the data of the regular file path. */
static int find_file(struct isofile *iso, const char *path, struct node **ret)
{
        struct node *n = NULL;
        int r = resolve(iso, path, &n);

        if (r < 0)
                return r;
        if (r == 2 || n->kind == NODE_DIR)
                return -EISDIR;
        if (n->hard) {
                n = find_exact(iso, n->link);
                if (!n || n->kind != NODE_FILE || n->hard)
                        return -ENOENT;
        }
        *ret = n;
        return 0;
}

typedef int (*sink_fn)(void *ud, const void *data, size_t n);

/* Streams the data of the regular file path to sink, at most max bytes. */
static int read_data(struct isofile *iso, const char *path, uint64_t max, sink_fn sink, void *ud,
                     uint64_t *ret_size)
{
        struct archive *a = NULL;
        struct archive_entry *e;
        struct node *want;
        struct stream s;
        uint64_t total = 0;
        int r;

        r = find_file(iso, path, &want);
        if (r < 0)
                return r;
        r = stream_open(iso, &s, &a);
        if (r < 0)
                return r == -EMEDIUMTYPE ? -EIO : r;
        r = -ENOENT;
        for (;;) {
                int h = archive_read_next_header(a, &e);
                _cleanup_free_ char *p = NULL;

                if (h == ARCHIVE_EOF)
                        break;
                if (h < ARCHIVE_WARN) {
                        r = -EIO;
                        break;
                }
                p = archive_entry_pathname(e) ? clean_path(archive_entry_pathname(e)) : NULL;
                if (!p || !streq(p, want->path) || archive_entry_hardlink(e))
                        continue;
                r = 0;
                for (;;) {
                        const void *buf;
                        size_t n;
                        la_int64_t off;
                        int d = archive_read_data_block(a, &buf, &n, &off);

                        if (d == ARCHIVE_EOF)
                                break;
                        if (d < ARCHIVE_WARN) {
                                log_debug("%s in the image: %s", path, archive_error_string(a));
                                r = -EIO;
                                break;
                        }
                        /* Data blocks come in order; a gap would be a sparse file: refused. */
                        if (off < 0 || (uint64_t) off != total) {
                                r = -EIO;
                                break;
                        }
                        if (n > max - total) {
                                r = -EFBIG;
                                break;
                        }
                        r = sink(ud, buf, n);
                        if (r < 0)
                                break;
                        total += n;
                }
                break;
        }
        stream_close(&a, &s);
        if (r == 0 && ret_size)
                *ret_size = total;
        return r;
}

struct mem_sink {
        char *buf;
        size_t n, cap;
};

static int mem_put(void *ud, const void *data, size_t n)
{
        struct mem_sink *m = ud;

        if (UTIL_GROW(m->buf, m->cap, m->n + n + 1) < 0)
                return -ENOMEM;
        memcpy(m->buf + m->n, data, n);
        m->n += n;
        return 0;
}

int isofile_read(struct isofile *iso, const char *path, size_t max, char **ret, size_t *ret_len)
{
        struct mem_sink m = {0};
        int r = read_data(iso, path, max, mem_put, &m, NULL);

        if (r >= 0 && !m.buf && !(m.buf = malloc(1)))
                r = -ENOMEM;
        if (r < 0) {
                free(m.buf);
                return r;
        }
        m.buf[m.n] = 0;
        *ret = m.buf;
        if (ret_len)
                *ret_len = m.n;
        return 0;
}

static int fd_put(void *ud, const void *data, size_t n)
{
        int fd = *(int *) ud;

        for (size_t done = 0; done < n;) {
                ssize_t w = write(fd, (const char *) data + done, n - done);

                if (w < 0 && errno == EINTR)
                        continue;
                if (w < 0)
                        return -errno;
                done += (size_t) w;
        }
        return 0;
}

int isofile_copy(struct isofile *iso, const char *path, uint64_t max, int out_fd,
                 uint64_t *ret_size)
{
        return read_data(iso, path, max, fd_put, &out_fd, ret_size);
}
