/* SPDX-License-Identifier: GPL-2.0-or-later */
/* GRUB's layout maths (src/theme/layout.c). The expected numbers are worked out by hand from the
 * formulas of GRUB 2.06's grub-core/gfxmenu/ (named at each test), integer truncation included. */
#include "test.h"

#include <limits.h>

#include "theme/layout.h"
#include "theme/theme.h"

static bool rect_is(struct gfx_rect r, int x, int y, int w, int h)
{
        if (r.x == x && r.y == y && r.w == w && r.h == h)
                return true;
        printf("#   got %d,%d %dx%d, want %d,%d %dx%d\n", r.x, r.y, r.w, r.h, x, y, w, h);
        return false;
}

/* theme_loader.c parse_proportional_spec (grub_fixed_fsf_divide rounds), gui_canvas.c
 * (grub_fixed_sfs_multiply truncates). */
TEST(grub_fixed_point_positions)
{
        struct theme_pos p = {.pct = 70, .px = 10, .set = true};

        CHECK_INTEQ(theme_grub_frac(50), 32768);
        CHECK_INTEQ(theme_grub_frac(10), 6554);  /* 6553.6 rounded */
        CHECK_INTEQ(theme_grub_frac(70), 45875); /* 45875.2 rounded */
        CHECK_INTEQ(theme_grub_frac(33), 21627);
        CHECK_INTEQ(theme_grub_frac(-10), -6554);
        CHECK_INTEQ(theme_grub_mul(1000, theme_grub_frac(70)), 699); /* not 700 */
        CHECK_INTEQ(theme_grub_mul(1920, theme_grub_frac(70)), 1343);
        CHECK_INTEQ(theme_grub_mul(1080, theme_grub_frac(10)), 108);
        CHECK_INTEQ(theme_grub_mul(1920, theme_grub_frac(33)), 633);
        CHECK_INTEQ(theme_grub_mul(1000, theme_grub_frac(-10)), -100); /* toward zero */
        CHECK_INTEQ(theme_pos_resolve(&p, 1000, 100), 709);
        CHECK_INTEQ(theme_pos_resolve(&p, 1000, 200), 719); /* only pixels scale */
        p = (struct theme_pos){.pct = 100, .px = -44, .set = true};
        CHECK_INTEQ(theme_pos_resolve(&p, 1080, 100), 1036);
}

/* A menu with boxes of unequal pads on every side, as in the tests below. */
static struct theme_list_in menu_in(void)
{
        return (struct theme_list_in){
                .w = 500,
                .h = 300,
                .menu = {8, 10, 12, 10},
                .item = {2, 2, 2, 3},
                .sel = {6, 5, 4, 1},
                .frame = {1, 2, 1, 2},
                .thumb = {1, 3, 1, 3},
                .item_height = 40,
                .item_spacing = 10,
                .item_padding = 5,
                .icon_width = 32,
                .icon_height = 32,
                .item_icon_space = 4,
                .scrollbar = true,
                .scrollbar_width = 16,
                .sb_left_pad = 2,
                .slice = THEME_SLICE_EAST,
                .ascent = 15,
                .descent = 4,
                .sel_ascent = 18,
                .sel_descent = 5,
                .n_items = 10,
                .first = 3,
        };
}

/* gui_list.c get_num_shown_items */
TEST(list_rows)
{
        struct theme_list_in in = menu_in();

        /* (300 + 10 - 2*5 - max(2,5) - max(3,1) - 10 - 10) / (40 + 10) = 272 / 50 */
        CHECK_INTEQ(theme_list_rows(&in), 5);
        in.menu = in.item = in.sel = (struct theme_pads){0};
        CHECK_INTEQ(theme_list_rows(&in), 6); /* 300 / 50 */
        /* GRUB's defaults (item_height 42, spacing 16, padding 14) in 400 pixels: 388 / 58 */
        in.h = 400;
        in.item_height = 42;
        in.item_spacing = 16;
        in.item_padding = 14;
        CHECK_INTEQ(theme_list_rows(&in), 6);
        in.item_height = in.item_spacing = 0;
        CHECK_INTEQ(theme_list_rows(&in), 1);
        in.item_height = 40;
        in.h = 10; /* too small: GRUB draws no row */
        CHECK(theme_list_rows(&in) <= 0);
}

/* gui_list.c list_paint, draw_menu */
TEST(list_rows_boxes_icons_text)
{
        struct theme_list_in in = menu_in();
        struct theme_list_geom g;
        struct theme_list_row r;

        theme_list_geometry(&in, &g);
        CHECK_INTEQ(g.rows, 5);
        /* content (8, 10, 480, 280); east slice: 2 (scrollbar_left_pad) off its width; then
         * item_padding 5 on each side */
        CHECK(rect_is(g.items, 13, 15, 468, 270));
        /* row 1 (top 65): the box inside starts at the larger top pad (5) */
        theme_list_row(&in, &g, 1, false, &r);
        CHECK(rect_is(r.box, 15, 70, 464, 40));
        CHECK_INTEQ(r.icon_x, 19);               /* the larger left pad, 6 */
        CHECK_INTEQ(r.icon_y, 71);               /* 65 + own top pad 2 + (40 - 32) / 2 */
        CHECK(rect_is(r.text, 55, 67, 424, 40)); /* 6 + 32 + 4 in; own right pad off */
        CHECK_INTEQ(r.baseline, 92);             /* 67 + (40 - 19) / 2 + 15 */
        /* row 2 selected (top 115): the selected box's pads and font */
        theme_list_row(&in, &g, 2, true, &r);
        CHECK(rect_is(r.box, 19, 120, 458, 40));
        CHECK_INTEQ(r.icon_y, 124);
        CHECK(rect_is(r.text, 55, 120, 422, 40));
        CHECK_INTEQ(r.baseline, 146); /* 120 + (40 - 23) / 2 + 18 */
}

/* gui_list.c list_paint (slices), draw_scrollbar */
TEST(list_scrollbar_and_thumb)
{
        struct theme_list_in in = menu_in();
        struct theme_list_geom g;

        theme_list_geometry(&in, &g);
        CHECK(g.scrollbar);
        /* east: in the menu box's right pad, 12 wide, drawn 16 wide and clipped */
        CHECK(rect_is(g.sb_clip, 488, 10, 12, 280));
        CHECK(rect_is(g.sb_frame_outer, 488, 10, 16, 280));
        CHECK(rect_is(g.sb_frame, 489, 12, 14, 276));
        /* track 276: thumb at 276 * 3 / 10 = 82 below the frame's top pad, 276 * 5 / 10 + 1 =
         * 139 high, 16 - 2 - 2 wide inside the frame */
        CHECK(rect_is(g.sb_thumb_outer, 489, 94, 14, 139));
        CHECK(rect_is(g.sb_thumb, 490, 97, 12, 133));

        in.thumb_overlay = true; /* track 282 from 1 above; the thumb as wide as the frame */
        theme_list_geometry(&in, &g);
        CHECK(rect_is(g.sb_thumb_outer, 488, 93, 16, 142));
        CHECK(rect_is(g.sb_thumb, 489, 96, 14, 136));

        /* a thumb shorter than its pads: as tall as its pads, moved over the rest of the track */
        in.thumb_overlay = false;
        in.thumb = (struct theme_pads){1, 5, 1, 5};
        in.n_items = 200;
        in.first = 100;
        theme_list_geometry(&in, &g);
        CHECK(rect_is(g.sb_thumb_outer, 489, 148, 14, 10)); /* 12 + (276 - 10) * 100 / 195 */

        /* west: in the menu box's left pad (8 < 16: all of it); the items move right by
         * scrollbar_right_pad */
        in = menu_in();
        in.slice = THEME_SLICE_WEST;
        in.sb_right_pad = 3;
        theme_list_geometry(&in, &g);
        CHECK(rect_is(g.items, 16, 15, 467, 270));
        CHECK(rect_is(g.sb_clip, 0, 10, 8, 280));
        /* center: its room is taken from the items only when it is drawn */
        in.slice = THEME_SLICE_CENTER;
        theme_list_geometry(&in, &g);
        CHECK(rect_is(g.items, 13, 15, 449, 270)); /* 480 - (16 + 2 + 3) - 10 */
        CHECK(rect_is(g.sb_clip, 469, 10, 16, 280));
        in.n_items = 5; /* all fit: no scrollbar */
        theme_list_geometry(&in, &g);
        CHECK(!g.scrollbar);
        CHECK(rect_is(g.items, 13, 15, 470, 270));
        /* pads larger than the scrollbar: check_scrollbar() refuses it */
        in = menu_in();
        in.scrollbar_width = 3;
        theme_list_geometry(&in, &g);
        CHECK(!g.scrollbar);
}

/* gui_list.c list_get_minimal_size */
TEST(list_minimal_size)
{
        struct theme_list_in in = menu_in();
        int w, h;

        theme_list_min_size(&in, 80, &w, &h);
        CHECK_INTEQ(w, 158); /* 80 + 2*5 + 8 + 12 + 6 + 4 + 4 + 32 + 2 (east) */
        CHECK_INTEQ(h, 178); /* 3*40 + 2*10 + 2*5 + 10 + 10 + 5 + 3 */
}

/* gui_progress_bar.c draw_filled_rect_bar, draw_pixmap_bar, draw_text, get_minimal_size */
TEST(progress_bar)
{
        struct theme_pads bar = {4, 3, 4, 3}, hl = {2, 1, 2, 1};
        struct gfx_rect r;
        int x, y, w, h;

        /* a timeout of 10 s with 4 s left: start -10, value -4, end 0 */
        CHECK_INTEQ(theme_bar_fill(198, -10, -4, 0), 118);
        CHECK_INTEQ(theme_bar_fill(198, 0, 0, 0), 0);
        CHECK(theme_bar_highlight(200, 20, &bar, &hl, false, -10, -4, 0, &r));
        CHECK(rect_is(r, 6, 4, 111, 12)); /* 192 * 6 / 10 = 115 wide with its pads */
        CHECK(theme_bar_highlight(200, 20, &bar, &hl, true, -10, -4, 0, &r));
        CHECK(rect_is(r, 4, 3, 113, 14)); /* track 196 from 2, 2: 117 with its pads */
        CHECK(!theme_bar_highlight(200, 20, &bar, &hl, false, -10, -10, 0, &r));
        theme_bar_text(200, 20, 50, 12, 3, &x, &y);
        CHECK_INTEQ(x, 75);
        CHECK_INTEQ(y, 14); /* (20 - 3) / 2 + 12 / 2 */
        theme_bar_text(40, 20, 50, 12, 3, &x, &y);
        CHECK_INTEQ(x, -5); /* not clamped */
        theme_bar_min_size(300, 15, NULL, NULL, false, &w, &h);
        CHECK(w == 302 && h == 28);
        theme_bar_min_size(0, 0, NULL, NULL, false, &w, &h);
        CHECK(w == 200 && h == 28);
        theme_bar_min_size(300, 15, &bar, &hl, false, &w, &h);
        CHECK(w == 312 && h == 28);
}

/* gui_circular_progress.c circprog_paint, parse_angle */
TEST(circular_progress)
{
        unsigned from, to;
        int x, y;

        theme_circle_ticks(64, false, -10, -4, 0, &from, &to);
        CHECK(from == 0 && to == 38); /* 64 * 6 / 10 */
        theme_circle_ticks(64, true, -10, -4, 0, &from, &to);
        CHECK(from == 38 && to == 64);
        theme_circle_ticks(64, false, 0, 0, 0, &from, &to); /* no timeout */
        CHECK(from == 0 && to == 0);
        /* radius 100 / 2 - 10 / 2 - 1 = 44; start_angle -64 (the top) */
        theme_circle_tick_pos(100, 100, 10, 10, 64, -64, 0, &x, &y);
        CHECK(x == 45 && y == 1);
        theme_circle_tick_pos(100, 100, 10, 10, 64, -64, 16, &x, &y); /* a quarter on: right */
        CHECK(x == 89 && y == 45);
        theme_circle_tick_pos(100, 100, 10, 10, 64, -64, 8, &x, &y); /* 11585 * 44 / 16384 = 31 */
        CHECK(x == 76 && y == 14);
        CHECK_INTEQ(theme_parse_angle("90deg"), 64);
        CHECK_INTEQ(theme_parse_angle("-90deg"), -64);
        CHECK_INTEQ(theme_parse_angle("45\xc2\xb0"), 32);
        CHECK_INTEQ(theme_parse_angle("30 deg"), 21);
        CHECK_INTEQ(theme_parse_angle("100"), 100);
        CHECK_INTEQ(theme_parse_angle("x"), 0);
}

/* gui_box.c layout_horizontally / layout_vertically */
TEST(hbox_vbox)
{
        struct theme_box_child c[3] = {
                {.px = 100, .cross_px = 20, .min_along = 50, .min_across = 10},
                {.frac = 32768, .min_along = 80, .min_across = 30},
                {.px = 10, .min_along = 40},
        };
        int along, across;

        CHECK_INTEQ(theme_box_layout(c, 3, 400), 30); /* every child gets the largest across */
        CHECK(c[0].pos == 0 && c[0].size == 100);
        CHECK(c[1].pos == 100 && c[1].size == 200);
        CHECK(c[2].pos == 300 && c[2].size == 40); /* its minimal size */
        theme_box_min_size(c, 3, &along, &across);
        CHECK_INTEQ(along, 220); /* 110 pixels in the half left */
        CHECK_INTEQ(across, 30);
        /* fractions over 100 %: ignored */
        c[0].frac = c[1].frac = theme_grub_frac(60);
        theme_box_layout(c, 3, 400);
        CHECK(c[0].size == 100 && c[1].size == 80 && c[2].size == 40);
        theme_box_min_size(c, 3, &along, &across);
        CHECK_INTEQ(along, 170); /* the minimal sizes */
}

/* view.c grub_gfxmenu_view_new (70 % centred), terminal_sanity_check (80 x 24 characters) */
TEST(terminal_rect)
{
        const int none[4] = {INT_MIN, INT_MIN, INT_MIN, INT_MIN};
        const int small[4] = {10, 20, 500, 600}, off[4] = {900, 700, 300, 200};
        const int neg[4] = {-5, INT_MIN, INT_MIN, INT_MIN};
        struct gfx_rect r;
        int b = 3;

        theme_terminal_rect(1024, 768, none, 8, 16, &b, &r);
        CHECK(rect_is(r, 154, 115, 716, 537));
        theme_terminal_rect(1024, 768, small, 8, 16, &b, &r); /* 500 < 80 * 8 + 6: grown */
        CHECK(rect_is(r, 189, 189, 646, 390));
        theme_terminal_rect(640, 480, none, 8, 16, &b, &r); /* no room for 80 columns */
        CHECK(rect_is(r, 9, 9, 622, 462));
        b = 10; /* a border that leaves no room: 3 */
        theme_terminal_rect(640, 480, none, 8, 16, &b, &r);
        CHECK(rect_is(r, 9, 9, 622, 462));
        CHECK_INTEQ(b, 3);
        b = 0;
        theme_terminal_rect(1024, 768, off, 2, 2, &b, &r); /* pulled back onto the screen */
        CHECK(rect_is(r, 724, 568, 300, 200));
        theme_terminal_rect(1024, 768, neg, 2, 2, &b, &r);
        CHECK_INTEQ(r.x, 0);
}
