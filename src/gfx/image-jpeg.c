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
 * checked against the limits and the caller's budget, and only then is pixel memory allocated.
 * libjpeg decodes the entropy-coded data (jpeg_read_coefficients()); the pixels are then made
 * from its coefficients with GRUB's own arithmetic (its inverse DCT, truncating where libjpeg
 * rounds, its chroma replication and YCbCr conversion), so that they are GRUB's to the bit.
 * Images above GRUB_JPEG_MAX_PIXELS (whose coefficients would take too much memory) are decoded
 * by libjpeg's own inverse DCT instead, a level or so from GRUB's. */
#include <setjmp.h>
#include <stdio.h>
#include <unistd.h>

#include <jpeglib.h>

#define JPEG_MAX_PIXELS_A_BYTE 256ULL
#include <jerror.h>

#include "image-priv.h"

#define JPEG_SEGMENTS_MAX 4096

/* Up to this many pixels, GRUB's arithmetic on the whole image's coefficients (2 bytes a
 * coefficient: at most 6 bytes a pixel for 4:4:4, 96 MiB here). */
#define GRUB_JPEG_MAX_PIXELS (4096L * 4096L)

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

/* ---- GRUB's reconstruction (grub-core/video/readers/jpeg.c) ---- */

#define G_SHIFT    8
#define G_CONST(x) ((int32_t) ((x) * (1L << G_SHIFT) + 0.5))

/* GRUB computes in int and lets a hostile file's products overflow: here they wrap, defined. */
static inline int32_t wmul(int32_t a, int32_t b)
{
        return (int32_t) ((uint32_t) a * (uint32_t) b);
}

static inline int32_t wadd(int32_t a, int32_t b)
{
        return (int32_t) ((uint32_t) a + (uint32_t) b);
}

static inline int32_t wsub(int32_t a, int32_t b)
{
        return (int32_t) ((uint32_t) a - (uint32_t) b);
}

static inline int32_t wshl(int32_t a, int n)
{
        return (int32_t) ((uint32_t) a << n);
}

/* One 1-D pass of GRUB's inverse DCT over the 8 values p[0], p[step], ..., p[7 * step]; a pass
 * whose AC values are all 0 is GRUB's shortcut. first: the columns' pass (results kept shifted),
 * else the rows' (results descaled, truncated). */
static void g_idct_1d(int32_t *p, int step, bool first)
{
        int32_t t0, t1, t2, t3, t4, t5, t6, t7, v0, v1, v2, v3, v4;
        int sh = first ? 0 : G_SHIFT * 2 + 3;

        if ((p[step] | p[2 * step] | p[3 * step] | p[4 * step] | p[5 * step] | p[6 * step] |
             p[7 * step]) == 0) {
                int32_t v = first ? wshl(p[0], G_SHIFT) : p[0] >> (G_SHIFT + 3);

                for (int k = 0; k < 8; k++)
                        p[k * step] = v;
                return;
        }
        v4 = wmul(wadd(p[2 * step], p[6 * step]), G_CONST(0.541196100));
        v0 = wshl(wadd(p[0], p[4 * step]), G_SHIFT);
        v1 = wshl(wsub(p[0], p[4 * step]), G_SHIFT);
        v2 = wsub(v4, wmul(p[6 * step], G_CONST(1.847759065)));
        v3 = wadd(v4, wmul(p[2 * step], G_CONST(0.765366865)));
        t0 = wadd(v0, v3);
        t3 = wsub(v0, v3);
        t1 = wadd(v1, v2);
        t2 = wsub(v1, v2);
        t4 = p[7 * step];
        t5 = p[5 * step];
        t6 = p[3 * step];
        t7 = p[step];
        v0 = wadd(t4, t7);
        v1 = wadd(t5, t6);
        v2 = wadd(t4, t6);
        v3 = wadd(t5, t7);
        v4 = wmul(wadd(v2, v3), G_CONST(1.175875602));
        v0 = wmul(v0, G_CONST(0.899976223));
        v1 = wmul(v1, G_CONST(2.562915447));
        v2 = wsub(wmul(v2, G_CONST(1.961570560)), v4);
        v3 = wsub(wmul(v3, G_CONST(0.390180644)), v4);
        t4 = wsub(wsub(wmul(t4, G_CONST(0.298631336)), v0), v2);
        t5 = wsub(wsub(wmul(t5, G_CONST(2.053119869)), v1), v3);
        t6 = wsub(wsub(wmul(t6, G_CONST(3.072711026)), v1), v2);
        t7 = wsub(wsub(wmul(t7, G_CONST(1.501321110)), v0), v3);
        p[0] = wadd(t0, t7) >> sh;
        p[7 * step] = wsub(t0, t7) >> sh;
        p[step] = wadd(t1, t6) >> sh;
        p[6 * step] = wsub(t1, t6) >> sh;
        p[2 * step] = wadd(t2, t5) >> sh;
        p[5 * step] = wsub(t2, t5) >> sh;
        p[3 * step] = wadd(t3, t4) >> sh;
        p[4 * step] = wsub(t3, t4) >> sh;
}

/* A block of coefficients (natural order) dequantized and transformed as GRUB does, into 64
 * samples 0..255. */
static void g_block(const JCOEF *coef, const UINT16 *quant, uint8_t out[64])
{
        int32_t du[64];
        JCOEF ac = 0;

        for (int k = 1; k < 64; k++)
                ac |= coef[k];
        if (ac == 0) {
                /* DC only: both passes take GRUB's shortcut, every sample the same */
                int32_t v = wadd(wshl(wmul(coef[0], (int32_t) quant[0]), G_SHIFT) >> (G_SHIFT + 3),
                                 128);

                memset(out, v < 0 ? 0 : v > 255 ? 255 : v, 64);
                return;
        }
        for (int k = 0; k < 64; k++)
                du[k] = wmul(coef[k], (int32_t) quant[k]);
        for (int i = 0; i < 8; i++)
                g_idct_1d(du + i, 8, true);
        for (int i = 0; i < 8; i++)
                g_idct_1d(du + 8 * i, 1, false);
        for (int k = 0; k < 64; k++) {
                int32_t v = wadd(du[k], 128);

                out[k] = (uint8_t) (v < 0 ? 0 : v > 255 ? 255 : v);
        }
}

static inline uint32_t g_clamp(int32_t v)
{
        return (uint32_t) (v < 0 ? 0 : v > 255 ? 255 : v);
}

/* GRUB's grub_jpeg_ycrcb_to_rgb(), its products looked up by chroma sample. */
struct g_tables {
        int32_t r_cr[256], g_cb[256], g_cr[256], b_cb[256];
};

static void g_tables_init(struct g_tables *t)
{
        for (int i = 0; i < 256; i++) {
                int c = i - 128;

                t->r_cr[i] = (c * G_CONST(1.402)) >> G_SHIFT;
                t->g_cb[i] = c * G_CONST(0.34414);
                t->g_cr[i] = c * G_CONST(0.71414);
                t->b_cb[i] = (c * G_CONST(1.772)) >> G_SHIFT;
        }
}

static inline uint32_t g_rgb(const struct g_tables *t, int yy, int cb, int cr)
{
        return 0xFF000000u | g_clamp(yy + t->r_cr[cr]) << 16 |
               g_clamp(yy - ((t->g_cb[cb] + t->g_cr[cr]) >> G_SHIFT)) << 8 |
               g_clamp(yy + t->b_cb[cb]);
}

/* The samples of component c for one row of MCUs (mcu_row), 8 * v rows of w_blocks * 8. */
static void g_component_rows(j_decompress_ptr ci, jvirt_barray_ptr arr, int c, JDIMENSION mcu_row,
                             uint8_t *plane, size_t stride)
{
        jpeg_component_info *comp = &ci->comp_info[c];
        JQUANT_TBL *q =
                comp->quant_table ? comp->quant_table : ci->quant_tbl_ptrs[comp->quant_tbl_no];
        int v = comp->v_samp_factor;
        JBLOCKARRAY rows = (*ci->mem->access_virt_barray)(
                (j_common_ptr) ci, arr, mcu_row * (JDIMENSION) v, (JDIMENSION) v, FALSE);

        for (int r = 0; r < v; r++)
                for (JDIMENSION b = 0; b < comp->width_in_blocks; b++) {
                        uint8_t out[64];

                        g_block(rows[r][b], q->quantval, out);
                        for (int y = 0; y < 8; y++)
                                memcpy(plane + (size_t) (8 * r + y) * stride + 8 * b, out + 8 * y,
                                       8);
                }
}

/* The image from libjpeg's coefficients with GRUB's arithmetic; px holds w * h pixels. */
static void grub_pixels(j_decompress_ptr ci, jvirt_barray_ptr *coef, uint32_t *px, uint8_t *work)
{
        int hs = ci->comp_info[0].h_samp_factor, vs = ci->comp_info[0].v_samp_factor;
        int lh = hs == 2, lv = vs == 2;
        size_t ystride = (size_t) ci->comp_info[0].width_in_blocks * 8;
        size_t cstride =
                ci->num_components == 3 ? (size_t) ci->comp_info[1].width_in_blocks * 8 : 0;
        uint8_t *yp = work, *cbp = work + ystride * 8 * (size_t) vs, *crp = cbp + cstride * 8;
        JDIMENSION mcu_rows = (ci->image_height + 8u * (unsigned) vs - 1) / (8u * (unsigned) vs);
        struct g_tables t;

        g_tables_init(&t);

        for (JDIMENSION m = 0; m < mcu_rows; m++) {
                unsigned y0 = m * 8u * (unsigned) vs;
                unsigned n = MIN(8u * (unsigned) vs, ci->image_height - y0);

                g_component_rows(ci, coef[0], 0, m, yp, ystride);
                if (ci->num_components == 3) {
                        g_component_rows(ci, coef[1], 1, m, cbp, cstride);
                        g_component_rows(ci, coef[2], 2, m, crp, cstride);
                }
                for (unsigned r = 0; r < n; r++) {
                        uint32_t *o = px + (size_t) (y0 + r) * ci->image_width;
                        const uint8_t *yr = yp + r * ystride;
                        const uint8_t *cbr = cbp + (r >> lv) * cstride;
                        const uint8_t *crr = crp + (r >> lv) * cstride;

                        for (JDIMENSION x = 0; x < ci->image_width; x++)
                                o[x] = ci->num_components == 3
                                               ? g_rgb(&t, yr[x], cbr[x >> lh], crr[x >> lh])
                                               : 0xFF000000u | yr[x] * 0x010101u;
                }
        }
}

int gfx_image_jpeg_read(struct gfx_image_src *s, const char *name, unsigned long long *budget,
                        struct gfx_image *ret, int *ret_w, int *ret_h, char **ret_error)
{
        struct jpeg_decompress_struct ci;
        struct jpeg_err je = {0};
        uint32_t *volatile px = NULL;
        uint8_t *volatile work = NULL;
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
                free(work);
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
        if ((unsigned long long) ci.image_width * ci.image_height <= GRUB_JPEG_MAX_PIXELS) {
                /* one MCU row of samples, rows of at most wb blocks: luma 8 * v rows (v <= 2),
                 * the two chroma 8 rows each */
                size_t wb = ((size_t) ci.image_width + 15) / 8 + 2;

                work = malloc(wb * 8 * 32);
                if (!work) {
                        set_error(ret_error, "%s: out of memory", name);
                        jpeg_destroy_decompress(&ci);
                        free(px);
                        return -ENOMEM;
                }
                ci.mem->max_memory_to_use = 128L << 20;
                grub_pixels(&ci, jpeg_read_coefficients(&ci), px, work);
                free(work);
                work = NULL;
                goto done;
        }
        (void) jpeg_start_decompress(&ci);
        while (ci.output_scanline < ci.output_height) {
                JSAMPROW row = (JSAMPROW) (px + (size_t) ci.output_scanline * ci.output_width);

                (void) jpeg_read_scanlines(&ci, &row, 1);
        }
done:
        (void) jpeg_finish_decompress(&ci);
        *ret = (struct gfx_image){
                .w = (int) ci.image_width, .h = (int) ci.image_height, .px = px, .opaque = true};
        if (ret_w)
                *ret_w = ret->w;
        if (ret_h)
                *ret_h = ret->h;
        jpeg_destroy_decompress(&ci);
        return 0;
}
