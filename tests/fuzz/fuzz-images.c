/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer targets for the theme image readers (src/gfx/image*.c): the input is a file named
 * fuzz.jpg, fuzz.tga or fuzz.png, decoded from memory under a pixel budget, and read again
 * through a memfd for its header alone (the FILE path the themes use). Built and run by
 * tests/fuzz/run (-DFUZZ_TARGET=…). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gfx/image.h"

#define FUZZ_JPEG 30
#define FUZZ_TGA  31
#define FUZZ_PNG  32

#if FUZZ_TARGET == FUZZ_JPEG
#define NAME "fuzz.jpg"
#elif FUZZ_TARGET == FUZZ_TGA
#define NAME "fuzz.tga"
#else
#define NAME "fuzz.png"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
        /* 4 Mi pixels: room for any seed, and no time lost on huge claimed sizes. */
        unsigned long long budget = 1ULL << 22;
        struct gfx_image img = {0};
        char *err = NULL;
        int fd, w, h;

        if (gfx_image_load_memory_as(data, len, NAME, &budget, &img, &err) == 0)
                free(img.px);
        free(err);
        err = NULL;
        fd = memfd_create("fuzz", MFD_CLOEXEC);
        if (fd < 0)
                return 0;
        if (write(fd, data, len) == (ssize_t) len) {
                (void) gfx_image_size_fd(fd, NAME, &w, &h, &err);
                free(err);
        }
        close(fd);
        return 0;
}
