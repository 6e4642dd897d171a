/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GRUB's layout arithmetic for theme components, as pure functions: fonts and images come in as
 * their metrics (numbers), so the renderer and the unit tests share the very same maths. Each
 * function names the GRUB 2.06 function (grub-core/gfxmenu/) whose rule it follows. Rects are
 * relative to the component's own bounds unless said otherwise. */
#pragma once

#include <stdbool.h>

#include "../gfx/canvas.h"
#include "theme.h"

/* ---- Positions: theme_loader.c parse_proportional_spec, gui_canvas.c canvas_paint ---------- */

#define THEME_FIXED_1 65536 /* GRUB's 16.16 fixed point (GRUB_FIXED_1) */

/* A percentage as GRUB keeps it: pct * 65536 / 100, rounded to the nearest (grub_divide_round,
 * halves away from zero). */
int theme_grub_frac(int pct);
/* v * frac / 65536, truncated toward zero (grub_fixed_sfs_multiply). So "70%" of 1000 is 699 in
 * GRUB, not 700. */
int theme_grub_mul(int v, int frac);

/* ---- boot_menu: gui_list.c ------------------------------------------------------------------ */

struct theme_pads {
        int l, t, r, b;
};

struct theme_list_in {
        int w, h; /* the component's bounds */
        /* Pads (piece sizes) of the menu box, the item box, the selected item box, the scrollbar
         * frame and thumb: 0 where there is no pixmap. */
        struct theme_pads menu, item, sel, frame, thumb;
        int item_height, item_padding, item_spacing;
        int icon_width, icon_height, item_icon_space;
        /* `scrollbar` is not false and both the frame and the thumb have pixmaps (check_scrollbar;
         * our built-in theme's colour bars count as pixmaps without pads). */
        bool scrollbar;
        bool thumb_overlay;
        int scrollbar_width, sb_left_pad, sb_right_pad, sb_top_pad, sb_bottom_pad;
        enum theme_slice slice;
        int ascent, descent, sel_ascent, sel_descent; /* item_font, selected_item_font */
        int n_items, first;                           /* entries; the first one shown */
};

struct theme_list_geom {
        int rows;                 /* get_num_shown_items(): may be 0 or less (nothing drawn) */
        struct gfx_rect items;    /* draw_menu()'s viewport: the content rect less item_padding */
        bool scrollbar;           /* drawn: wanted, more entries than rows, and sane sizes */
        struct gfx_rect sb_clip;  /* the scrollbar's viewport: it draws nothing outside */
        struct gfx_rect sb_frame; /* the frame's content rect */
        struct gfx_rect sb_thumb; /* the thumb's content rect */
        struct gfx_rect sb_frame_outer, sb_thumb_outer; /* with their pads */
};

struct theme_list_row {
        struct gfx_rect box;  /* content rect of the row's item (or selected item) box */
        int icon_x, icon_y;   /* top-left of the icon_width x icon_height icon */
        struct gfx_rect text; /* the title's viewport (it is clipped to it) */
        int baseline;         /* y of the title's baseline */
};

/* get_num_shown_items() */
int theme_list_rows(const struct theme_list_in *in);
/* list_paint(), draw_scrollbar() */
void theme_list_geometry(const struct theme_list_in *in, struct theme_list_geom *g);
/* draw_menu(): visible row i (0 = the first shown). */
void theme_list_row(const struct theme_list_in *in, const struct theme_list_geom *g, int i,
                    bool selected, struct theme_list_row *r);
/* list_get_minimal_size(): text_w is the wider of "Typical OS" in the two fonts. */
void theme_list_min_size(const struct theme_list_in *in, int text_w, int *w, int *h);

/* ---- progress_bar: gui_progress_bar.c -------------------------------------------------------- */

/* draw_filled_rect_bar(): the width of the foreground of a bar whose inner width is w (the
 * bounds less the 1-pixel border) at value in start..end. */
int theme_bar_fill(int w, int start, int value, int end);
/* draw_pixmap_bar(): the highlight's content rect in a w x h bar (bar: the bar box's pads, hl:
 * the highlight box's); false when GRUB draws no highlight. */
bool theme_bar_highlight(int w, int h, const struct theme_pads *bar, const struct theme_pads *hl,
                         bool overlay, int start, int value, int end, struct gfx_rect *ret);
/* draw_text(): the start of the centred text (x may be negative) and its baseline. */
void theme_bar_text(int w, int h, int text_w, int ascent, int descent, int *x, int *baseline);
/* progress_bar_get_minimal_size(): template_w is the width of the text template plus that of
 * "XXXXXXXXXX" (0 without a text), pads: the boxes' (NULL: no pixmap bar). */
void theme_bar_min_size(int template_w, int text_h, const struct theme_pads *bar,
                        const struct theme_pads *hl, bool overlay, int *w, int *h);

/* ---- circular_progress: gui_circular_progress.c ---------------------------------------------- */

/* circprog_paint(): the ticks drawn, [*from, *to), of num_ticks at value in start..end. */
void theme_circle_ticks(unsigned num_ticks, bool disappear, int start, int value, int end,
                        unsigned *from, unsigned *to);
/* The top-left of tick i in a w x h component (GRUB's angles: 256 to a turn, start_angle -64
 * is the top; its sine and cosine table rounded as grub_sin/grub_cos). */
void theme_circle_tick_pos(int w, int h, int tick_w, int tick_h, unsigned num_ticks,
                           int start_angle, unsigned i, int *x, int *y);
/* parse_angle(): "90", "90deg" or "90°" (degrees become GRUB's 256ths: -90deg = -64). */
int theme_parse_angle(const char *s);

/* ---- hbox, vbox: gui_box.c ------------------------------------------------------------------- */

struct theme_box_child {
        int px, frac;              /* own size along the box (pixels, 16.16 fraction of the box) */
        int cross_px;              /* own size across (pixels only, as GRUB) */
        int min_along, min_across; /* the child's minimal size */
        int pos, size;             /* out: offset and size along the box */
};
/* layout_horizontally()/layout_vertically(): places n children along a box whose size along
 * is along; returns the size across every child gets. */
int theme_box_layout(struct theme_box_child *c, int n, int along);
/* The box's minimal size (along, across). */
void theme_box_min_size(const struct theme_box_child *c, int n, int *along, int *across);

/* ---- The terminal box: view.c -----------------------------------------------------------------
 */

/* grub_gfxmenu_view_new(), theme_set_string(), terminal_sanity_check(): the terminal's rect (the
 * text area; the terminal-box is drawn around it) on a sw x sh screen. given[] are the resolved
 * terminal-left, -top, -width, -height, or INT_MIN where the theme has none (the default is 70 %
 * of the screen, centred); negative values become 0. The terminal holds at least 80 x 24
 * characters of char_w x char_h plus the border (else it grows and is centred), and stays on the
 * screen. *border: terminal-border in, the border used out (3 when a larger one leaves no room). */
void theme_terminal_rect(int sw, int sh, const int given[4], int char_w, int char_h, int *border,
                         struct gfx_rect *ret);
