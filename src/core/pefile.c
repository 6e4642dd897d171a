/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PE/COFF headers and section tables: see pefile.h. The header checks follow the kernel's
 * pefile_parse_binary(), so an image the kernel calls no PE file is none here either. */
#include "pefile.h"

#include <errno.h>
#include <unistd.h>

#include "util.h"

#define MZ_PEADDR_OFFSET  0x3c
#define MZ_HEADER_SIZE    64
#define PE_HEADER_SIZE    24 /* "PE\0\0" + COFF file header */
#define PE32_OPT_SIZE     96 /* optional header up to the data directories */
#define PE32PLUS_OPT_SIZE 112
#define OPT_HEADERS_AT    60 /* SizeOfHeaders, same offset in PE32 and PE32+ */
#define SECTION_SIZE      40

int pefile_read(const struct pefile *pe, uint64_t off, void *buf, size_t len)
{
        if (off > pe->size || len > pe->size - off)
                return -ERANGE;
        return pe->read(pe->userdata, off, buf, len);
}

static int why(char **ret_why, const char *s)
{
        *ret_why = strdup(s);
        return *ret_why ? -ENOEXEC : -ENOMEM;
}

int pefile_open(pefile_read_fn read, void *userdata, uint64_t size, struct pefile *ret,
                char **ret_why)
{
        unsigned char mz[MZ_HEADER_SIZE], pe[PE_HEADER_SIZE], opt[PE32PLUS_OPT_SIZE];
        uint64_t cursor;
        size_t opt_size;
        int r;

        *ret_why = NULL;
        *ret = (struct pefile){.read = read, .userdata = userdata, .size = size};
        r = pefile_read(ret, 0, mz, sizeof(mz));
        if (r == -ERANGE || (r == 0 && memcmp(mz, "MZ", 2) != 0))
                return why(ret_why, "no MZ header");
        if (r < 0)
                return r;
        ret->peaddr = pefile_le32(mz + MZ_PEADDR_OFFSET);
        r = pefile_read(ret, ret->peaddr, pe, sizeof(pe));
        if (r == -ERANGE ||
            (r == 0 && (ret->peaddr < MZ_HEADER_SIZE || memcmp(pe, "PE\0\0", 4) != 0)))
                return why(ret_why, "no PE header");
        if (r < 0)
                return r;
        ret->machine = pefile_le16(pe + 4);
        ret->n_sections = pefile_le16(pe + 6);
        ret->opt_header_size = pefile_le16(pe + 20);
        cursor = (uint64_t) ret->peaddr + PE_HEADER_SIZE;
        r = pefile_read(ret, cursor, opt, 2);
        if (r == -ERANGE)
                return why(ret_why, "no PE optional header");
        if (r < 0)
                return r;
        ret->magic = pefile_le16(opt);
        if (ret->magic != PEFILE_PE32_MAGIC && ret->magic != PEFILE_PE32P_MAGIC) {
                *ret_why = util_asprintf("unknown PE optional header (magic %#x)", ret->magic);
                return *ret_why ? -ENOEXEC : -ENOMEM;
        }
        opt_size = ret->magic == PEFILE_PE32_MAGIC ? PE32_OPT_SIZE : PE32PLUS_OPT_SIZE;
        r = pefile_read(ret, cursor, opt, opt_size);
        if (r == -ERANGE)
                return why(ret_why, "the PE optional header is cut short");
        if (r < 0)
                return r;
        ret->header_size = pefile_le32(opt + OPT_HEADERS_AT);
        ret->n_dirs = pefile_le32(opt + opt_size - 4);
        ret->dirs_offset = cursor + opt_size;
        return 0;
}

int pefile_sections(const struct pefile *pe, struct pefile_section **ret, size_t *ret_n,
                    char **ret_why)
{
        uint64_t off = (uint64_t) pe->peaddr + PE_HEADER_SIZE + pe->opt_header_size;
        _cleanup_free_ unsigned char *table = NULL;
        struct pefile_section *s;
        size_t n = pe->n_sections;
        int r;

        *ret = NULL;
        *ret_n = 0;
        *ret_why = NULL;
        if (n == 0)
                return 0;
        if (n > PEFILE_SECTIONS_MAX) {
                *ret_why =
                        util_asprintf("%zu sections (at most %d are read)", n, PEFILE_SECTIONS_MAX);
                return *ret_why ? -EBADMSG : -ENOMEM;
        }
        table = malloc(n * SECTION_SIZE);
        if (!table)
                return -ENOMEM;
        r = pefile_read(pe, off, table, n * SECTION_SIZE);
        if (r == -ERANGE) {
                *ret_why = util_asprintf("the section table (%zu sections at %llu) lies past the "
                                         "end of the file",
                                         n, (unsigned long long) off);
                return *ret_why ? -EBADMSG : -ENOMEM;
        }
        if (r < 0)
                return r;
        s = calloc(n, sizeof(*s));
        if (!s)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                const unsigned char *e = table + i * SECTION_SIZE;

                memcpy(s[i].name, e, 8);
                s[i].name[8] = '\0';
                s[i].virtual_size = pefile_le32(e + 8);
                s[i].raw_size = pefile_le32(e + 16);
                s[i].raw_offset = pefile_le32(e + 20);
        }
        *ret = s;
        *ret_n = n;
        return 0;
}

int pefile_fd_read(void *userdata, uint64_t offset, void *buf, size_t len)
{
        int fd = *(int *) userdata;
        size_t done = 0;

        while (done < len) {
                ssize_t k = pread(fd, (char *) buf + done, len - done, (off_t) (offset + done));

                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return -errno;
                if (k == 0)
                        return -ERANGE; /* shorter than fstat said: it shrank */
                done += (size_t) k;
        }
        return 0;
}

int pefile_mem_read(void *userdata, uint64_t offset, void *buf, size_t len)
{
        memcpy(buf, (const unsigned char *) userdata + offset, len); /* bounds: pefile_read */
        return 0;
}
