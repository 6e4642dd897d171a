/* SPDX-License-Identifier: GPL-2.0-or-later */
/* TGA as GRUB's reader (grub-core/video/readers/tga.c) takes it:
 *  - image types 1 (colour-mapped), 2 (true colour), 3 (grey) and their RLE forms 9, 10, 11;
 *    RLE packets may run across rows;
 *  - grey: 8 bits; colour-mapped: 8-bit indices into a map of 24-bit entries starting at index
 *    0 (at most 256 entries are read; missing ones are black); true colour: 24 bits (BGR) or 32
 *    bits (BGRA, the fourth byte is alpha whatever the descriptor's attribute bits say);
 *    15/16-bit files are refused;
 *  - rows bottom-up unless the descriptor's top-origin bit (0x20) is set; the right-origin bit
 *    (0x10) is ignored, as GRUB ignores it; a colour map in a true-colour or grey file is not
 *    skipped, as GRUB does not skip it;
 *  - a file cut short is drawn with its last pixel repeated (GRUB's reader stops reading and
 *    keeps the last pixel); it is not an error unless the file cannot hold half of its pixels
 *    (and 64 Ki more): see check_holds().
 * Width and height are checked (0, the limits, the caller's budget, what the file's size can
 * hold: check_holds()) before any pixel memory is allocated; the reading is bounded by the pixel
 * count. */
#include <unistd.h>

#include "image-priv.h"

#define TGA_HEADER 18
/* The pixels a file cut short may miss beyond those it holds (see check_holds()). */
#define TGA_CUT_SLACK 65536u

enum {
        TGA_INDEXED = 1,
        TGA_TRUECOLOR = 2,
        TGA_GREY = 3,
        TGA_RLE = 8, /* added to the three above */
        TGA_TOP = 0x20,
};

struct tga {
        struct gfx_image_src *s;
        bool rle, raw_packet, ended;
        unsigned left; /* pixels left in the current packet */
        unsigned bpp;  /* bytes per pixel in the file */
        uint8_t px[4];
        /* The pixel data is read through this buffer: a FILE read per pixel is slow. */
        size_t pos, len;
        uint8_t buf[16384];
};

/* n bytes of pixel data (n <= 4): false at the end of the file. */
static bool get(struct tga *t, uint8_t *out, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                if (t->pos == t->len) {
                        t->len = gfx_image_src_read(t->s, t->buf, sizeof(t->buf));
                        t->pos = 0;
                        if (t->len == 0)
                                return false;
                }
                out[i] = t->buf[t->pos++];
        }
        return true;
}

static uint16_t le16(const uint8_t *b)
{
        return (uint16_t) (b[0] | b[1] << 8);
}

/* The next pixel's bytes into t->px; at the end of the data they keep their last value. */
static void fetch(struct tga *t)
{
        if (t->ended)
                return;
        if (t->rle && t->left == 0) {
                uint8_t h;

                if (!get(t, &h, 1)) {
                        t->ended = true;
                        return;
                }
                t->raw_packet = !(h & 0x80);
                t->left = (h & 0x7F) + 1u;
                if (!t->raw_packet && !get(t, t->px, t->bpp)) {
                        t->ended = true;
                        return;
                }
        }
        if ((!t->rle || t->raw_packet) && !get(t, t->px, t->bpp))
                t->ended = true;
        if (t->left)
                t->left--;
}

/* The pixels a file of its size can hold after the header, the image ID and the colour map
 * (as much of it as is read): raw, bpp bytes a pixel; RLE, at best 128 pixels a packet of a byte
 * and one pixel. A file cut short is drawn as GRUB draws it (the last pixel repeated) while the
 * pixels missing are at most those there and 64 Ki more (a small image cut anywhere, a big one
 * cut after half); else it is damaged: a 34-byte file cannot claim 16384x2048 pixels (128 MiB). */
static int check_holds(struct gfx_image_src *s, const uint8_t *h, unsigned kind, unsigned w,
                       unsigned hh, const char *name, char **ret_error)
{
        uint64_t size = gfx_image_src_size(s), off, can;
        unsigned bpp = h[16] / 8u;

        off = TGA_HEADER + h[0] + (kind == TGA_INDEXED ? MIN((size_t) le16(h + 5) * 3, 768u) : 0);
        if (size == UINT64_MAX)
                return 0;
        size = size > off ? size - off : 0;
        if (h[2] & TGA_RLE)
                can = (size + bpp) / (1 + bpp) * 128; /* a packet begun counts whole */
        else
                can = size / bpp;
        return gfx_image_check_holds(w, hh, 2 * can + TGA_CUT_SLACK, gfx_image_src_size(s), name,
                                     ret_error);
}

int gfx_image_tga_read(struct gfx_image_src *s, const char *name, unsigned long long *budget,
                       struct gfx_image *ret, int *ret_w, int *ret_h, char **ret_error)
{
        uint8_t h[TGA_HEADER], map[256][3] = {{0}};
        struct tga t = {.s = s};
        unsigned w, hh, type, kind;
        uint32_t *px;
        size_t n;
        int r;

        if (gfx_image_src_read(s, h, sizeof(h)) != sizeof(h)) {
                set_error(ret_error, "%s is damaged: shorter than a TGA header", name);
                return -EBADMSG;
        }
        type = h[2];
        kind = type & ~(unsigned) TGA_RLE;
        w = le16(h + 12);
        hh = le16(h + 14);
        if (kind < TGA_INDEXED || kind > TGA_GREY) {
                set_error(ret_error, "%s is not a TGA file GRUB reads (image type %u)", name, type);
                return -ENOTSUP;
        }
        t.rle = type & TGA_RLE;
        t.bpp = h[16] / 8u;
        if ((kind == TGA_GREY && h[16] != 8) ||
            (kind == TGA_INDEXED && (h[16] != 8 || h[7] != 24 || le16(h + 3) != 0)) ||
            (kind == TGA_TRUECOLOR && h[16] != 24 && h[16] != 32)) {
                set_error(ret_error,
                          "%s is a TGA file GRUB does not read (type %u, %u bits per pixel%s)",
                          name, type, h[16],
                          kind == TGA_INDEXED ? ", a colour map of 24-bit entries from 0 needed"
                                              : "");
                return -ENOTSUP;
        }
        if (w == 0 || hh == 0) {
                set_error(ret_error, "%s is damaged: its size is %ux%u", name, w, hh);
                return -EBADMSG;
        }
        r = gfx_image_check_size(w, hh, name, ret ? budget : NULL, ret_error);
        if (r < 0)
                return r;
        r = check_holds(s, h, kind, w, hh, name, ret_error);
        if (r < 0)
                return r;
        if (!ret) {
                *ret_w = (int) w;
                *ret_h = (int) hh;
                return 0;
        }
        if (budget)
                *budget -= (unsigned long long) w * hh;
        /* The image ID. */
        for (unsigned skip = h[0]; skip > 0;) {
                uint8_t b[256];
                size_t k = gfx_image_src_read(s, b, skip);

                if (k == 0)
                        break;
                skip -= (unsigned) k;
        }
        if (kind == TGA_INDEXED) {
                size_t len = MIN((size_t) le16(h + 5) * 3, sizeof(map));

                (void) gfx_image_src_read(s, map, len);
        }
        n = (size_t) w * hh;
        px = malloc(n * sizeof(uint32_t));
        if (!px) {
                set_error(ret_error, "%s: out of memory for %ux%u pixels", name, w, hh);
                return -ENOMEM;
        }
        for (unsigned y = 0; y < hh; y++) {
                uint32_t *row = px + (size_t) (h[17] & TGA_TOP ? y : hh - 1 - y) * w;

                for (unsigned x = 0; x < w; x++) {
                        const uint8_t *p = t.px;

                        fetch(&t);
                        if (kind == TGA_INDEXED)
                                row[x] = 0xFF000000u | (uint32_t) map[p[0]][2] << 16 |
                                         (uint32_t) map[p[0]][1] << 8 | map[p[0]][0];
                        else if (kind == TGA_GREY)
                                row[x] = 0xFF000000u | p[0] * 0x010101u;
                        else
                                row[x] = (t.bpp == 4 ? (uint32_t) p[3] << 24 : 0xFF000000u) |
                                         (uint32_t) p[2] << 16 | (uint32_t) p[1] << 8 | p[0];
                }
        }
        *ret = (struct gfx_image){
                .w = (int) w, .h = (int) hh, .px = px, .opaque = gfx_image_premultiply(px, n)};
        if (ret_w)
                *ret_w = (int) w;
        if (ret_h)
                *ret_h = (int) hh;
        return 0;
}
