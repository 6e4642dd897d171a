/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PE/COFF headers and the section table of an image read through a callback (an fd, a buffer):
 * shared by pesig.c (the certificate table of a kernel) and import/uki.c (the sections of a
 * unified kernel image). Pure and bounded: every offset and size is checked against the file, the
 * section table holds at most PEFILE_SECTIONS_MAX entries, nothing is read past the file's end. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PEFILE_SECTIONS_MAX 256 /* sections of one image read at most */
#define PEFILE_PE32_MAGIC   0x10b
#define PEFILE_PE32P_MAGIC  0x20b

/* Reads len bytes at offset into buf: 0, or -errno (-ERANGE: past the end of the file). */
typedef int (*pefile_read_fn)(void *userdata, uint64_t offset, void *buf, size_t len);

struct pefile {
        pefile_read_fn read;
        void *userdata;
        uint64_t size;            /* of the file */
        uint32_t peaddr;          /* offset of "PE\0\0" */
        uint16_t machine;         /* COFF Machine (0x8664 x86-64) */
        uint16_t n_sections;      /* COFF NumberOfSections */
        uint16_t opt_header_size; /* COFF SizeOfOptionalHeader */
        uint16_t magic;           /* PEFILE_PE32_MAGIC or PEFILE_PE32P_MAGIC */
        uint32_t header_size;     /* SizeOfHeaders */
        uint32_t n_dirs;          /* NumberOfRvaAndSizes */
        uint64_t dirs_offset;     /* file offset of data directory 0 */
};

struct pefile_section {
        char name[9];          /* up to 8 bytes, NUL-terminated */
        uint32_t virtual_size; /* VirtualSize: the data's size */
        uint32_t raw_size;     /* SizeOfRawData: the data in the file, aligned */
        uint32_t raw_offset;   /* PointerToRawData */
};

/* Reads the DOS, COFF and optional headers. 0; -ENOEXEC when it is no PE image, *ret_why saying
 * why ("no MZ header", "no PE header", …; malloc'ed); -ENOMEM; another -errno when reading
 * failed. */
int pefile_open(pefile_read_fn read, void *userdata, uint64_t size, struct pefile *ret,
                char **ret_why);

/* Reads the section table of pe: *ret (malloc'ed, *ret_n entries; NULL for none). 0; -EBADMSG
 * with *ret_why when the table lies outside the file or has more than PEFILE_SECTIONS_MAX
 * entries; -ENOMEM; -errno. */
int pefile_sections(const struct pefile *pe, struct pefile_section **ret, size_t *ret_n,
                    char **ret_why);

/* Reads len bytes at off of pe's file: 0, -ERANGE when not all inside the file, -errno. */
int pefile_read(const struct pefile *pe, uint64_t off, void *buf, size_t len);

/* The same read callback over an open regular file (pread) and over memory; userdata is a
 * pointer to the int fd, or a const unsigned char * buffer whose size pefile_open was given. */
int pefile_fd_read(void *userdata, uint64_t offset, void *buf, size_t len);
int pefile_mem_read(void *userdata, uint64_t offset, void *buf, size_t len);

static inline uint16_t pefile_le16(const unsigned char *p)
{
        return (uint16_t) (p[0] | p[1] << 8);
}

static inline uint32_t pefile_le32(const unsigned char *p)
{
        return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 |
               (uint32_t) p[3] << 24;
}
