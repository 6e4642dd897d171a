/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Disk images (issue 11): the *.img files of a scanned filesystem (found by core/isoscan.h's
 * walk) that hold a partition table or a filesystem are shown as disks of their own. As root the
 * file is opened read-only and attached to a read-only loop device (with partition scanning);
 * the loop device and its partitions then go the usual way of every device (BLKROSET, libblkid,
 * read-only mounts, the configurations imported). Without root an image is listed with the
 * reason it cannot be read. Images inside an image are not followed (depth 1).
 *
 * The checks and names here are pure (unit-tested); image-loop.c probes files and handles the
 * loop devices. */
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "../core/util.h"

#define IMAGE_MIN_SIZE (64u * 1024) /* smaller files are no disk image worth a loop device */
#define IMAGE_SECTOR   512u

/* Why the file (its st_mode and size) cannot be a disk image: a static sentence, or NULL when it
 * can. */
const char *image_check_file(mode_t mode, uint64_t size);

/* What libblkid found in the file: pttype (PTTYPE, "gpt" or "dos"), or a superblock's usage
 * (USAGE: "filesystem", "raid", "crypto", "other") and type (TYPE). Returns what makes it a disk
 * image ("a gpt partition table", "an ext4 filesystem": malloc'ed), or NULL with *ret_why (static)
 * saying why it is not one (or -ENOMEM: NULL with errno ENOMEM and *ret_why NULL). */
char *image_kind(const char *pttype, const char *usage, const char *type, const char **ret_why);

/* The name an image is shown by: "disk.img on /dev/sda1". malloc'ed. */
char *image_display_name(const char *fs, const char *path);

/* One disk image file found on a filesystem. */
struct image {
        char *fs;   /* device path of the filesystem that holds the file ("/dev/sda1") */
        char *path; /* its path there ("/images/disk.img") */
        uint64_t size;
        char *kind;      /* image_kind() */
        char *loop;      /* kernel name of its loop device ("loop0"), or NULL when not attached */
        int loop_fd;     /* the open loop device (keeps it attached), or -1 */
        const char *why; /* why it is not read (static: "reading a disk image needs root"), or
                            NULL */
};

struct image_list {
        struct image *items;
        size_t n, cap;
};

/* Appends an image (fs, path, size, kind copied; loop NULL, loop_fd -1). */
int image_list_add(struct image_list *l, const char *fs, const char *path, uint64_t size,
                   const char *kind, const char *why, struct image **ret);
/* The image whose loop device is disk (a whole-disk kernel name), or NULL. */
const struct image *image_list_find_loop(const struct image_list *l, const char *disk);
/* Frees the list (the loop fds must be closed before: image_loop_release_all()). */
void image_list_done(struct image_list *l);

/* ---- image-loop.c (hardware) ---- */

/* Probes the open image file fd with libblkid (read-only; partitions and superblocks). Returns 0
 * with *ret_kind (image_kind()) or *ret_why set, or -ENOMEM. */
int image_probe_fd(int fd, char **ret_kind, const char **ret_why);

/* Attaches the open image file fd (O_RDONLY) to a free loop device, read-only, with partition
 * scanning and auto-clear (LOOP_CONFIGURE, or LOOP_SET_FD + LOOP_SET_STATUS64 on older kernels),
 * through devroot ("/dev"). Returns the loop device's fd (O_RDONLY, kept open while it is used)
 * and its kernel name in *ret_name, or -errno. */
int image_loop_attach(const char *devroot, int file_fd, char **ret_name);
/* Detaches every attached image's loop device (LOOP_CLR_FD, then close) and forgets it: after
 * this, no loop device of the list is left (nothing of it may be mounted any more). */
size_t image_loop_release_all(struct image_list *l);
