/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GRUB's layout arithmetic (see layout.h), written from the rules of GRUB 2.06's
 * grub-core/gfxmenu/ (gui_list.c, gui_progress_bar.c, gui_circular_progress.c, gui_box.c,
 * gui_canvas.c, theme_loader.c). Integer maths as GRUB does it, truncations included. */
#include "layout.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"

/* ---- Positions ------------------------------------------------------------------------------ */

/* grub_divide_round(): to the nearest, halves away from zero. */
static long long divide_round(long long a, long long b)
{
        bool neg = (a < 0) != (b < 0);
        long long q = (llabs(a) + llabs(b) / 2) / llabs(b);

        return neg ? -q : q;
}

int theme_grub_frac(int pct)
{
        return (int) divide_round((long long) pct * THEME_FIXED_1, 100);
}

int theme_grub_mul(int v, int frac)
{
        return (int) ((long long) v * frac / THEME_FIXED_1);
}

/* ---- boot_menu ------------------------------------------------------------------------------ */

int theme_list_rows(const struct theme_list_in *in)
{
        int pitch = in->item_height + in->item_spacing;

        if (pitch <= 0)
                return 1;
        return (in->h + in->item_spacing - 2 * in->item_padding - MAX(in->item.t, in->sel.t) -
                MAX(in->item.b, in->sel.b) - in->menu.t - in->menu.b) /
               pitch;
}

/* check_scrollbar(): the frame and thumb pads must fit the scrollbar. */
static bool scrollbar_sane(const struct theme_list_in *in)
{
        int min_w = in->frame.l + in->frame.r;
        int min_h = in->frame.t + in->frame.b + in->sb_top_pad + in->sb_bottom_pad + in->menu.t +
                    in->menu.b;

        if (!in->thumb_overlay) {
                min_w += in->thumb.l + in->thumb.r;
                min_h += in->thumb.t + in->thumb.b;
        }
        return min_w <= in->scrollbar_width && min_h <= in->h;
}

/* draw_scrollbar(): the frame fills the scrollbar's rect (x, y, width w, height h); the thumb
 * moves along the frame's inside (its track). */
static void scrollbar_pieces(const struct theme_list_in *in, int x, int y, int w, int h, int rows,
                             struct theme_list_geom *g)
{
        int fv = in->frame.t + in->frame.b, fh = in->frame.l + in->frame.r;
        int tv = in->thumb.t + in->thumb.b, th = in->thumb.l + in->thumb.r;
        int top = in->frame.t, thumb_x = in->frame.l, thumb_w = w - fh;
        unsigned len = h <= fv ? 0 : (unsigned) (h - fv), frame_len = len, ty, theight;
        int value = in->first, extent = rows, max = in->n_items;

        if (in->thumb_overlay) {
                len += (unsigned) tv;
                top -= in->thumb.t;
                thumb_x -= in->thumb.l;
        } else
                thumb_w -= th;
        ty = value <= 0 || max <= 0 ? 0 : len * (unsigned) value / (unsigned) max;
        theight = max <= 0 ? 1 : len * (unsigned) extent / (unsigned) max + 1;
        if (theight < (unsigned) tv) { /* very many entries, or a short bar */
                theight = (unsigned) tv;
                ty = value <= 0 || max <= extent || len <= (unsigned) tv
                             ? 0
                             : (len - (unsigned) tv) * (unsigned) value / (unsigned) (max - extent);
        }
        g->sb_frame = (struct gfx_rect){x + in->frame.l, y + in->frame.t, w - fh, (int) frame_len};
        g->sb_frame_outer = (struct gfx_rect){x, y, w, (int) frame_len + fv};
        g->sb_thumb_outer =
                (struct gfx_rect){x + thumb_x, y + top + (int) ty, thumb_w + th, (int) theight};
        g->sb_thumb =
                (struct gfx_rect){g->sb_thumb_outer.x + in->thumb.l,
                                  g->sb_thumb_outer.y + in->thumb.t, thumb_w, (int) theight - tv};
}

void theme_list_geometry(const struct theme_list_in *in, struct theme_list_geom *g)
{
        struct gfx_rect content = {in->menu.l, in->menu.t, in->w - in->menu.l - in->menu.r,
                                   in->h - in->menu.t - in->menu.b};
        int sw = in->scrollbar_width;

        *g = (struct theme_list_geom){.rows = theme_list_rows(in)};
        g->scrollbar = in->scrollbar && g->rows < in->n_items && scrollbar_sane(in);
        /* list_paint(): the scrollbar's room is taken from the content by the slice mode. */
        switch (in->slice) {
        case THEME_SLICE_WEST:
                content.x += in->sb_right_pad;
                content.w -= in->sb_right_pad;
                break;
        case THEME_SLICE_CENTER:
                if (g->scrollbar)
                        content.w -= sw + in->sb_left_pad + in->sb_right_pad;
                break;
        case THEME_SLICE_EAST:
                content.w -= in->sb_left_pad;
                break;
        }
        g->items = (struct gfx_rect){content.x + in->item_padding, content.y + in->item_padding,
                                     content.w - 2 * in->item_padding,
                                     content.h - 2 * in->item_padding};
        if (!g->scrollbar)
                return;
        /* The scrollbar: in the menu box's left pad (west), right of the items (center) or in
         * the menu box's right pad (east); it draws sw wide, clipped to that room. */
        g->sb_clip.y = content.y + in->sb_top_pad;
        g->sb_clip.h = content.h - in->sb_top_pad - in->sb_bottom_pad;
        switch (in->slice) {
        case THEME_SLICE_WEST:
                g->sb_clip.x = in->menu.l > sw ? in->menu.l - sw : 0;
                g->sb_clip.w = in->menu.l > sw ? sw : in->menu.l;
                break;
        case THEME_SLICE_CENTER:
                g->sb_clip.x = in->w - in->menu.r - sw - in->sb_right_pad;
                g->sb_clip.w = sw;
                break;
        case THEME_SLICE_EAST:
                g->sb_clip.x = in->w - in->menu.r;
                g->sb_clip.w = in->menu.r;
                break;
        }
        scrollbar_pieces(in, g->sb_clip.x, g->sb_clip.y, sw, g->sb_clip.h, g->rows, g);
}

void theme_list_row(const struct theme_list_in *in, const struct theme_list_geom *g, int i,
                    bool selected, struct theme_list_row *r)
{
        const struct theme_pads *own = selected ? &in->sel : &in->item;
        int max_l = MAX(in->item.l, in->sel.l), max_t = MAX(in->item.t, in->sel.t);
        int asc = selected ? in->sel_ascent : in->ascent;
        int desc = selected ? in->sel_descent : in->descent;
        int top = g->items.y + i * (in->item_height + in->item_spacing);
        int text_x = max_l + in->icon_width + in->item_icon_space;

        /* Every box's inside starts at the larger top pad; the icon and the title, though, are
         * placed from the row's own box's top pad (as GRUB does). */
        r->box = (struct gfx_rect){g->items.x + own->l, top + max_t, g->items.w - own->l - own->r,
                                   in->item_height};
        r->icon_x = g->items.x + max_l;
        r->icon_y = top + own->t + (in->item_height - in->icon_height) / 2;
        r->text = (struct gfx_rect){g->items.x + text_x, top + own->t, g->items.w - text_x - own->r,
                                    in->item_height};
        r->baseline = r->text.y + (in->item_height - (asc + desc)) / 2 + asc;
}

void theme_list_min_size(const struct theme_list_in *in, int text_w, int *w, int *h)
{
        const int n = 3; /* GRUB sizes an unsized menu for three items */

        *w = text_w + 2 * in->item_padding + in->menu.l + in->menu.r + MAX(in->item.l, in->sel.l) +
             MAX(in->item.r, in->sel.r) + in->item_icon_space + in->icon_width;
        switch (in->slice) {
        case THEME_SLICE_WEST:
                *w += in->sb_right_pad;
                break;
        case THEME_SLICE_CENTER:
                *w += in->scrollbar_width + in->sb_left_pad + in->sb_right_pad;
                break;
        case THEME_SLICE_EAST:
                *w += in->sb_left_pad;
                break;
        }
        *h = in->item_height * n + in->item_spacing * (n - 1) + 2 * in->item_padding + in->menu.t +
             in->menu.b + MAX(in->item.t, in->sel.t) + MAX(in->item.b, in->sel.b);
}

/* ---- progress_bar --------------------------------------------------------------------------- */

int theme_bar_fill(int w, int start, int value, int end)
{
        if (end == start)
                return 0;
        return (int) ((long long) w * (value - start) / (end - start));
}

bool theme_bar_highlight(int w, int h, const struct theme_pads *bar, const struct theme_pads *hl,
                         bool overlay, int start, int value, int end, struct gfx_rect *ret)
{
        int len = w - bar->l - bar->r, height = h - bar->t - bar->b;
        int x = bar->l, y = bar->t, hh = hl->l + hl->r, fill;

        if (overlay) {
                len += hh;
                x -= hl->l;
                y -= hl->t;
        } else
                height -= hl->t + hl->b;
        fill = value <= start || end <= start
                       ? 0
                       : (int) ((unsigned) (len * (value - start)) / (unsigned) (end - start));
        if (fill < hh)
                return false;
        *ret = (struct gfx_rect){x + hl->l, y + hl->t, fill - hh, height};
        return true;
}

void theme_bar_text(int w, int h, int text_w, int ascent, int descent, int *x, int *baseline)
{
        *x = (w - text_w) / 2;
        *baseline = (h - descent) / 2 + ascent / 2;
}

void theme_bar_min_size(int template_w, int text_h, const struct theme_pads *bar,
                        const struct theme_pads *hl, bool overlay, int *w, int *h)
{
        int mw = template_w, mh = text_h;

        if (bar && hl) {
                mw += bar->l + bar->r + (overlay ? 0 : hl->l + hl->r);
                mh += bar->t + bar->b + (overlay ? 0 : hl->t + hl->b);
        } else {
                mw += 2;
                mh += 2;
        }
        *w = MAX(200, mw);
        *h = MAX(28, mh);
}

/* ---- circular_progress ---------------------------------------------------------------------- */

/* A quarter of GRUB's sine table: round(sin(2 pi i / 256) * 16384), i = 0..64. */
static const short quarter_sine[65] = {
        0,     402,   804,   1205,  1606,  2006,  2404,  2801,  3196,  3590,  3981,  4370,  4756,
        5139,  5520,  5897,  6270,  6639,  7005,  7366,  7723,  8076,  8423,  8765,  9102,  9434,
        9760,  10080, 10394, 10702, 11003, 11297, 11585, 11866, 12140, 12406, 12665, 12916, 13160,
        13395, 13623, 13842, 14053, 14256, 14449, 14635, 14811, 14978, 15137, 15286, 15426, 15557,
        15679, 15791, 15893, 15986, 16069, 16143, 16207, 16261, 16305, 16340, 16364, 16379, 16384,
};

static int grub_sine(int a)
{
        a &= 255;
        if (a <= 64)
                return quarter_sine[a];
        if (a <= 128)
                return quarter_sine[128 - a];
        if (a <= 192)
                return -quarter_sine[a - 128];
        return -quarter_sine[256 - a];
}

void theme_circle_ticks(unsigned num_ticks, bool disappear, int start, int value, int end,
                        unsigned *from, unsigned *to)
{
        unsigned n = end <= start || value <= start
                             ? 0
                             : num_ticks * (unsigned) (value - start) / (unsigned) (end - start);

        *from = disappear ? n : 0;
        *to = disappear ? num_ticks : n;
}

void theme_circle_tick_pos(int w, int h, int tick_w, int tick_h, unsigned num_ticks,
                           int start_angle, unsigned i, int *x, int *y)
{
        int radius = MIN(w, h) / 2 - MAX(tick_w, tick_h) / 2 - 1;
        int angle = start_angle + (int) (i * 256 / MAX(num_ticks, 1u));

        *x = w / 2 + grub_sine(angle + 64) * radius / 16384 - tick_w / 2;
        *y = h / 2 + grub_sine(angle) * radius / 16384 - tick_h / 2;
}

int theme_parse_angle(const char *s)
{
        char *end;
        long a = strtol(s, &end, 10);

        if (end == s || a < -100000 || a > 100000)
                return 0;
        while (*end == ' ' || *end == '\t')
                end++;
        if (strcmp(end, "deg") == 0 || strcmp(end, "\xc2\xb0") == 0)
                a = divide_round(a * 64, 90);
        return (int) a;
}

/* ---- hbox, vbox ----------------------------------------------------------------------------- */

/* The fractions of the children make no sense (more than the whole box, or all of it besides
 * pixels): GRUB then ignores them. */
static bool bogus_fractions(const struct theme_box_child *c, int n)
{
        long long frac = 0, px = 0;

        for (int i = 0; i < n; i++) {
                frac += c[i].frac;
                px += c[i].px;
        }
        return frac > THEME_FIXED_1 || (px > 0 && frac == THEME_FIXED_1);
}

void theme_box_min_size(const struct theme_box_child *c, int n, int *along, int *across)
{
        long long frac = 0, px = 0, mins = 0;
        int cross = 0;

        for (int i = 0; i < n; i++) {
                cross = MAX(cross, MAX(c[i].cross_px, c[i].min_across));
                frac += c[i].frac;
                px += c[i].px;
                /* GRUB adds min - px in unsigned arithmetic, so with the pixels it sums to the
                 * minimal sizes. */
                mins += c[i].min_along;
        }
        /* grub_fixed_sfs_divide(px, 1 - frac): the size whose remaining share holds the
         * pixels. */
        if (frac < THEME_FIXED_1)
                *along = (int) divide_round(px * THEME_FIXED_1, THEME_FIXED_1 - frac);
        else
                *along = (int) px;
        *along = (int) MAX((long long) *along, mins);
        *across = cross;
}

int theme_box_layout(struct theme_box_child *c, int n, int along)
{
        bool bogus = bogus_fractions(c, n);
        int cross = 0, pos = 0;

        for (int i = 0; i < n; i++)
                cross = MAX(cross, MAX(c[i].cross_px, c[i].min_across));
        for (int i = 0; i < n; i++) {
                int size = c[i].px + (bogus ? 0 : theme_grub_mul(along, c[i].frac));

                c[i].pos = pos;
                c[i].size = MAX(size, c[i].min_along);
                pos += c[i].size;
        }
        return cross;
}

/* ---- The terminal box ----------------------------------------------------------------------- */

void theme_terminal_rect(int sw, int sh, const int given[4], int char_w, int char_h, int *border,
                         struct gfx_rect *ret)
{
        int w = given[2] != INT_MIN ? MAX(given[2], 0) : sw * 7 / 10;
        int h = given[3] != INT_MIN ? MAX(given[3], 0) : sh * 7 / 10;
        int x = given[0] != INT_MIN ? MAX(given[0], 0) : (sw - sw * 7 / 10) / 2;
        int y = given[1] != INT_MIN ? MAX(given[1], 0) : (sh - sh * 7 / 10) / 2;
        int b = MAX(*border, 0), min_w, min_h;

        min_w = char_w * 80 + 2 * b;
        min_h = char_h * 24 + 2 * b;
        if (b > 3 && (min_w >= sw || min_h >= sh)) {
                b = 3;
                min_w = char_w * 80 + 2 * b;
                min_h = char_h * 24 + 2 * b;
        }
        w = MIN(w, sw);
        h = MIN(h, sh);
        if (sw <= min_w || sh <= min_h) { /* a small screen: all of it but a border */
                w = sw - 6 * b;
                h = sh - 6 * b;
                x = (sw - w) / 2;
                y = (sh - h) / 2;
        } else if (w < min_w || h < min_h) {
                w = min_w;
                h = min_h;
                x = (sw - w) / 2;
                y = (sh - h) / 2;
        }
        if (x + w > sw)
                x = sw - w;
        if (y + h > sh)
                y = sh - h;
        *border = b;
        *ret = (struct gfx_rect){x, y, w, h};
}
