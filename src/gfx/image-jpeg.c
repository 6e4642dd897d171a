/* SPDX-License-Identifier: GPL-2.0-or-later */
/* JPEG with libjpeg-turbo (its libjpeg API), limited to what GRUB's own reader
 * (grub-core/video/readers/jpeg.c) shows, so a theme looks here as it does in GRUB:
 *  - baseline only (SOF0: 8-bit, Huffman-coded, sequential), in one scan holding every
 *    component; progressive, extended (SOF1), lossless and arithmetic-coded files are refused;
 *  - 1 component (grey) or 3 (YCbCr, whatever an Adobe marker says: GRUB has no RGB JPEG), with
 *    component ids 1, 2, 3; 4 components (CMYK, YCCK) are refused;
 *  - sampling: luma 1x1, 2x1, 1x2 or 2x2, chroma 1x1 (4:4:4, 4:2:2, 4:4:0, 4:2:0); chroma is
 *    replicated, not interpolated (do_fancy_upsampling off), as GRUB does;
 *  - at most two quantization tables (8-bit) and two Huffman tables of each class;
 *  - damaged data (a premature end, corrupt entropy data, bytes before a marker) fails the whole
 *    image, where libjpeg would only warn and draw grey: GRUB fails it too.
 * The markers up to the first scan are walked here first (bounded: 4096 segments) for what
 * libjpeg does not tell (SOF1 and 16-bit tables); then libjpeg reads the header, the size is
 * checked against the limits and the caller's budget, and only then is pixel memory allocated. */
#include <setjmp.h>
#include <stdio.h>
#include <unistd.h>

#include <jpeglib.h>

#define JPEG_MAX_PIXELS_A_BYTE 256ULL
#include <jerror.h>

#include "image-priv.h"

#define JPEG_SEGMENTS_MAX 4096

/* The output byte order that makes a uint32_t read as 0xAARRGGBB (alpha set to 0xFF). */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define JPEG_NATIVE JCS_EXT_BGRA
#else
#define JPEG_NATIVE JCS_EXT_ARGB
#endif

struct jpeg_err {
        struct jpeg_error_mgr pub;
        jmp_buf jb;
        char msg[JMSG_LENGTH_MAX];
};

static void on_error(j_common_ptr c)
{
        struct jpeg_err *e = (struct jpeg_err *) c->err;

        c->err->format_message(c, e->msg);
        longjmp(e->jb, 1);
}

/* Warnings (level -1) about the data are errors, as in GRUB; those about a header's version or
 * an unknown Adobe transform are not (GRUB ignores those markers). Trace messages are dropped. */
static void on_message(j_common_ptr c, int level)
{
        int code = c->err->msg_code;

        if (level >= 0 || code == JWRN_JFIF_MAJOR || code == JWRN_ADOBE_XFORM ||
            code == JWRN_BOGUS_ICC)
                return;
        on_error(c);
}

static const char *sof_kind(uint8_t m)
{
        static const struct {
                uint8_t marker;
                const char *kind;
        } kinds[] = {
                {0xC1, "an extended sequential JPEG"},
                {0xC2, "a progressive JPEG"},
                {0xC3, "a lossless JPEG"},
                {0xC5, "a differential JPEG"},
                {0xC6, "a differential progressive JPEG"},
                {0xC7, "a differential lossless JPEG"},
                {0xC9, "an arithmetic-coded JPEG"},
                {0xCA, "a progressive arithmetic-coded JPEG"},
                {0xCB, "a lossless arithmetic-coded JPEG"},
                {0xCD, "a differential arithmetic-coded JPEG"},
                {0xCE, "a differential progressive arithmetic-coded JPEG"},
                {0xCF, "a differential lossless arithmetic-coded JPEG"},
        };

        for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
                if (kinds[i].marker == m)
                        return kinds[i].kind;
        return NULL;
}

/* The tables of a DQT (dqt) or DHT segment: GRUB takes ids 0 and 1 only, 8-bit DQT only. */
static const char *check_tables(const uint8_t *b, size_t n, bool dqt)
{
        size_t i = 0;

        while (i < n) {
                uint8_t id = b[i] & 0x0F;

                if (dqt && b[i] >> 4)
                        return "has 16-bit quantization tables";
                if (id > 1)
                        return dqt ? "has more than two quantization tables"
                                   : "has more than two Huffman tables of a kind";
                if (dqt)
                        i += 65;
                else {
                        size_t sum = 0;

                        if (i + 17 > n)
                                return NULL; /* libjpeg says what is wrong */
                        for (int k = 1; k <= 16; k++)
                                sum += b[i + k];
                        i += 17 + sum;
                }
        }
        return NULL;
}

/* The markers from SOI to the first SOS: NULL, or why GRUB's reader cannot show the file. */
static const char *walk_markers(struct gfx_image_src *s, bool *ret_damaged)
{
        uint8_t b[4], seg[65535];
        uint64_t pos = 2;
        bool sof = false;

        *ret_damaged = true;
        if (gfx_image_src_pread(s, 0, b, 2) != 2 || b[0] != 0xFF || b[1] != 0xD8)
                return "does not start with a JPEG marker";
        for (int k = 0; k < JPEG_SEGMENTS_MAX; k++) {
                const char *kind, *why;
                size_t len;

                if (gfx_image_src_pread(s, pos, b, 2) != 2)
                        return "ends before its image data";
                /* GRUB reads a marker as 0xFF and its code, without fill bytes. */
                if (b[0] != 0xFF || b[1] == 0xFF)
                        return "has bytes where a marker should be";
                if (b[1] == 0xDA)
                        return sof ? NULL : "has image data before its frame header";
                if (b[1] == 0xD9 || (b[1] >= 0xD0 && b[1] <= 0xD7) || b[1] == 0x01)
                        return "has no image data";
                if (gfx_image_src_pread(s, pos + 2, b + 2, 2) != 2)
                        return "ends before its image data";
                len = (size_t) b[2] << 8 | b[3];
                if (len < 2)
                        return "has a marker segment shorter than its length field";
                kind = sof_kind(b[1]);
                if (kind) {
                        *ret_damaged = false;
                        return kind;
                }
                if (b[1] == 0xC0) {
                        if (sof)
                                return "has two frame headers";
                        sof = true;
                }
                if (b[1] == 0xDB || b[1] == 0xC4) {
                        if (gfx_image_src_pread(s, pos + 4, seg, len - 2) != len - 2)
                                return "ends before its image data";
                        why = check_tables(seg, len - 2, b[1] == 0xDB);
                        if (why) {
                                *ret_damaged = false;
                                return why;
                        }
                }
                pos += 2 + len;
        }
        return "has too many marker segments";
}

/* What libjpeg's header says that GRUB's reader does not take: NULL, or why. */
static const char *check_header(const struct jpeg_decompress_struct *ci)
{
        if (ci->progressive_mode || ci->arith_code || ci->data_precision != 8)
                return "is not a baseline JPEG";
        if (ci->num_components != 1 && ci->num_components != 3)
                return ci->num_components == 4 ? "is a CMYK JPEG (4 components)"
                                               : "has neither 1 nor 3 colour components";
        if (ci->comps_in_scan != ci->num_components)
                return "has its colour components in separate scans";
        for (int i = 0; i < ci->num_components; i++) {
                const jpeg_component_info *c = &ci->comp_info[i];

                if (c->component_id != i + 1)
                        return "has component ids other than 1, 2, 3";
                if (i == 0 ? c->h_samp_factor > 2 || c->v_samp_factor > 2
                           : c->h_samp_factor != 1 || c->v_samp_factor != 1)
                        return "has a chroma sampling other than 4:4:4, 4:2:2, 4:4:0 or 4:2:0";
                if (c->quant_tbl_no > 1 || c->dc_tbl_no > 1 || c->ac_tbl_no > 1)
                        return "uses more than two tables of a kind";
        }
        return NULL;
}

int gfx_image_jpeg_read(struct gfx_image_src *s, const char *name, unsigned long long *budget,
                        struct gfx_image *ret, int *ret_w, int *ret_h, char **ret_error)
{
        struct jpeg_decompress_struct ci;
        struct jpeg_err je = {0};
        uint32_t *volatile px = NULL;
        const char *why;
        bool damaged;
        uint64_t size;
        int r;

        why = walk_markers(s, &damaged);
        if (why) {
                if (damaged)
                        set_error(ret_error, "%s is damaged: it %s", name, why);
                else
                        set_error(ret_error,
                                  "%s %s%s: GRUB's JPEG reader cannot show it (save it as a "
                                  "baseline JPEG)",
                                  name, strncmp(why, "has ", 4) == 0 ? "" : "is ", why);
                return damaged ? -EBADMSG : -ENOTSUP;
        }
        ci.err = jpeg_std_error(&je.pub);
        je.pub.error_exit = on_error;
        je.pub.emit_message = on_message;
        if (setjmp(je.jb)) {
                jpeg_destroy_decompress(&ci);
                free(px);
                set_error(ret_error, "%s is damaged: %s", name, je.msg);
                return -EBADMSG;
        }
        jpeg_create_decompress(&ci);
        ci.mem->max_memory_to_use = 64L << 20;
        if (s->f)
                jpeg_stdio_src(&ci, s->f);
        else
                jpeg_mem_src(&ci, s->data, (unsigned long) s->len);
        (void) jpeg_read_header(&ci, TRUE);
        why = check_header(&ci);
        if (why) {
                set_error(ret_error,
                          "%s %s: GRUB's JPEG reader cannot show it (save it as a baseline JPEG)",
                          name, why);
                jpeg_destroy_decompress(&ci);
                return -ENOTSUP;
        }
        r = gfx_image_check_size(ci.image_width, ci.image_height, name, ret ? budget : NULL,
                                 ret_error);
        /* Baseline Huffman data takes at least 2 bits (a DC and an end-of-block code) for every
         * 8x8 block of every component: 256 pixels a byte at best. Less data fails the image. */
        size = gfx_image_src_size(s);
        if (r == 0 && size <= UINT64_MAX / JPEG_MAX_PIXELS_A_BYTE)
                r = gfx_image_check_holds(ci.image_width, ci.image_height,
                                          size * JPEG_MAX_PIXELS_A_BYTE, size, name, ret_error);
        if (r < 0 || !ret) {
                if (r == 0) {
                        *ret_w = (int) ci.image_width;
                        *ret_h = (int) ci.image_height;
                }
                jpeg_destroy_decompress(&ci);
                return r;
        }
        if (budget)
                *budget -= (unsigned long long) ci.image_width * ci.image_height;
        ci.jpeg_color_space = ci.num_components == 3 ? JCS_YCbCr : JCS_GRAYSCALE;
        ci.out_color_space = JPEG_NATIVE;
        ci.do_fancy_upsampling = FALSE;
        ci.dct_method = JDCT_ISLOW;
        px = malloc((size_t) ci.image_width * ci.image_height * sizeof(uint32_t));
        if (!px) {
                set_error(ret_error, "%s: out of memory for %ux%u pixels", name, ci.image_width,
                          ci.image_height);
                jpeg_destroy_decompress(&ci);
                return -ENOMEM;
        }
        (void) jpeg_start_decompress(&ci);
        while (ci.output_scanline < ci.output_height) {
                JSAMPROW row = (JSAMPROW) (px + (size_t) ci.output_scanline * ci.output_width);

                (void) jpeg_read_scanlines(&ci, &row, 1);
        }
        (void) jpeg_finish_decompress(&ci);
        *ret = (struct gfx_image){
                .w = (int) ci.output_width, .h = (int) ci.output_height, .px = px, .opaque = true};
        if (ret_w)
                *ret_w = ret->w;
        if (ret_h)
                *ret_h = ret->h;
        jpeg_destroy_decompress(&ci);
        return 0;
}
