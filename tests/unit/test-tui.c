/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include "core/util.h"
#include "ui/text/tui.h"

#define PRODUCT  "kexec-loader 2.0.0"
#define SYSTEM   "Linux 6.1.0-28-amd64"
#define SPACES69 "                                                                     "
#define BORDER80 "+------------------------------------------------------------------------------+"

struct fixture {
        struct ui_menu_item items[40];
        char titles[40][32];
        struct menu menu;
        struct ui_view view;
        struct tui_grid grid;
};

/* A menu of n entries "Entry 0".. at cols x rows (f zero-initialised or used before). */
static void menu_fixture(struct fixture *f, size_t n, unsigned cols, unsigned rows,
                         unsigned timeout)
{
        tui_grid_done(&f->grid);
        *f = (struct fixture){};
        for (size_t i = 0; i < n && i < ARRAY_SIZE(f->items); i++) {
                snprintf(f->titles[i], sizeof(f->titles[i]), "Entry %zu", i);
                f->items[i] = (struct ui_menu_item){.title = f->titles[i], .bootable = true};
        }
        menu_init(&f->menu, n, 0, timeout);
        f->view = (struct ui_view){
                .screen = UI_SCREEN_MENU,
                .product = PRODUCT,
                .system = SYSTEM,
                .items = f->items,
                .n_items = n,
                .menu = &f->menu,
        };
        (void) tui_grid_resize(&f->grid, cols, rows);
}

static void lay_out(struct fixture *f)
{
        if (f->view.screen == UI_SCREEN_MENU)
                menu_set_rows(&f->menu, tui_menu_rows(f->grid.rows, &f->view));
        tui_layout(&f->view, &f->grid);
}

/* The row's text (trailing blanks dropped), valid until the next call. */
static const char *row(const struct tui_grid *g, unsigned r)
{
        static char buf[4096];
        char *s = tui_grid_row_text(g, r);

        snprintf(buf, sizeof(buf), "%s", s ? s : "(null)");
        free(s);
        return buf;
}

static unsigned attr(const struct tui_grid *g, unsigned r, unsigned c)
{
        const struct tui_cell *cell = tui_grid_cell(g, r, c);

        return cell ? cell->attr : 0xffff;
}

static bool attr_span(const struct tui_grid *g, unsigned r, unsigned from, unsigned to, unsigned a)
{
        for (unsigned c = from; c <= to; c++)
                if (attr(g, r, c) != a)
                        return false;
        return true;
}

/* Prints the grid as TAP comments (to see what a failing test drew). */
static void dump(const struct tui_grid *g)
{
        for (unsigned r = 0; r < g->rows; r++)
                printf("# %2u|%s\n", r, row(g, r));
}

static char *repeat(char c, unsigned n)
{
        static char buf[1024];

        memset(buf, c, n);
        buf[n] = 0;
        return buf;
}

TEST(grid)
{
        struct tui_grid a = {}, b = {};

        CHECK_INTEQ(tui_grid_resize(&a, 5, 2), 0);
        CHECK_INTEQ(tui_grid_resize(&b, 5, 2), 0);
        CHECK_STREQ(row(&a, 0), "");
        CHECK(tui_grid_cell(&a, 1, 4) != NULL);
        CHECK(tui_grid_cell(&a, 2, 0) == NULL);
        CHECK(tui_grid_cell(&a, 0, 5) == NULL);
        CHECK(tui_grid_row_text(&a, 2) == NULL);
        CHECK(tui_grid_row_equal(&a, &b, 1));
        CHECK(!tui_grid_row_equal(&a, &b, 2));
        a.cells[1] = (struct tui_cell){.ch = 0xe9};
        CHECK_STREQ(row(&a, 0), " \xc3\xa9");
        CHECK(!tui_grid_row_equal(&a, &b, 0));
        b.cells[1] = (struct tui_cell){.ch = 0xe9, .attr = TUI_ATTR_BOLD};
        CHECK(!tui_grid_row_equal(&a, &b, 0));
        CHECK_INTEQ(tui_grid_resize(&b, 4, 2), 0);
        CHECK(!tui_grid_row_equal(&a, &b, 0));
        CHECK_INTEQ(tui_grid_resize(&a, 0, 0), 0);
        CHECK(a.cells == NULL);
        CHECK_STREQ(row(&a, 0), "(null)");
        tui_grid_done(&a);
        tui_grid_done(&b);
}

TEST(menu_80x24)
{
        static const char *const entries[] = {
                "| Entry 0                                                                      |",
                "|>Entry 1                                                                      |",
        };
        struct fixture f = {};

        menu_fixture(&f, 20, 80, 24, 10);
        f.menu.selected = 1;
        lay_out(&f);
        CHECK_INTEQ(tui_menu_rows(24, &f.view), 16);
        CHECK_INTEQ(f.menu.rows, 16);

        /* Title bar: inverse across the width, product at col 1, system ending at col 78. */
        CHECK_STREQ(row(&f.grid, 0), " kexec-loader 2.0.0                                        "
                                     "Linux 6.1.0-28-amd64");
        CHECK(attr_span(&f.grid, 0, 0, 79, TUI_ATTR_INVERSE));
        CHECK_INTEQ(tui_grid_cell(&f.grid, 0, 78)->ch, '4');
        CHECK_INTEQ(tui_grid_cell(&f.grid, 0, 79)->ch, ' ');
        CHECK_STREQ(row(&f.grid, 1), "");

        /* The box: borders at rows 2 and 19 (rows - 5), 16 entries between. */
        CHECK_STREQ(row(&f.grid, 2), BORDER80);
        CHECK_STREQ(row(&f.grid, 19), BORDER80);
        CHECK_STREQ(row(&f.grid, 3), entries[0]);
        CHECK_STREQ(row(&f.grid, 4), entries[1]);
        CHECK_STREQ(
                row(&f.grid, 17),
                "| Entry 14                                                                     |");
        CHECK_STREQ(
                row(&f.grid, 18),
                "| Entry 15                                                            More...  |");
        CHECK(strstr(row(&f.grid, 3), "More") == NULL);

        /* The highlight covers the inner width, not the borders; the selection is also said in
         * text ('>', for screen readers and braille lines) where the cursor rests, hidden. */
        CHECK(attr_span(&f.grid, 4, 1, 78, TUI_ATTR_INVERSE));
        CHECK_INTEQ(f.grid.cursor_row, 4);
        CHECK_INTEQ(f.grid.cursor_col, 1);
        CHECK(!f.grid.cursor_visible);
        CHECK_INTEQ(attr(&f.grid, 4, 0), 0);
        CHECK_INTEQ(attr(&f.grid, 4, 79), 0);
        CHECK(attr_span(&f.grid, 3, 0, 79, 0));

        /* Countdown right-aligned under the box, a blank row, the hints. */
        CHECK_STREQ(row(&f.grid, 20), "                                            "
                                      "The highlighted entry boots in 10 s");
        CHECK_STREQ(row(&f.grid, 21), "");
        CHECK_STREQ(row(&f.grid, 22), " Enter: boot   L: devices   R: reload configuration");
        CHECK_STREQ(row(&f.grid, 23),
                    " E: edit   S: shell   H: hardware   Up/Down/PgUp/PgDn/Home/End: select");
        CHECK(!f.grid.cursor_visible);

        /* A tick later, one second less; stopped, no countdown text. */
        CHECK_INTEQ(menu_tick(&f.menu), MENU_ACTION_REDRAW);
        lay_out(&f);
        CHECK_STREQ(row(&f.grid, 20), "                                             "
                                      "The highlighted entry boots in 9 s");
        menu_stop_countdown(&f.menu);
        lay_out(&f);
        CHECK_STREQ(row(&f.grid, 20), "");
        if (*test_failed)
                dump(&f.grid);
        tui_grid_done(&f.grid);
}

TEST(menu_scrolled)
{
        struct fixture f = {};

        menu_fixture(&f, 20, 80, 24, 0);
        /* The last entry selected: the list scrolled to the end, "More..." at the top only. */
        f.menu.selected = 19;
        lay_out(&f);
        CHECK_INTEQ(f.menu.top, 4);
        CHECK_STREQ(
                row(&f.grid, 3),
                "| Entry 4                                                             More...  |");
        CHECK_STREQ(
                row(&f.grid, 18),
                "|>Entry 19                                                                     |");
        CHECK(attr_span(&f.grid, 18, 1, 78, TUI_ATTR_INVERSE));

        /* In the middle: both markers; the marker on the selected row keeps the highlight. */
        f.menu.top = 2;
        f.menu.selected = 2;
        lay_out(&f);
        CHECK_STREQ(
                row(&f.grid, 3),
                "|>Entry 2                                                             More...  |");
        CHECK_STREQ(
                row(&f.grid, 18),
                "| Entry 17                                                            More...  |");
        CHECK(attr_span(&f.grid, 3, 1, 78, TUI_ATTR_INVERSE));

        /* Everything fits: no markers. */
        menu_fixture(&f, 16, 80, 24, 0);
        lay_out(&f);
        CHECK_STREQ(
                row(&f.grid, 18),
                "| Entry 15                                                                     |");
        CHECK(strstr(row(&f.grid, 3), "More") == NULL);
        if (*test_failed)
                dump(&f.grid);
        tui_grid_done(&f.grid);
}

TEST(menu_utf8_and_cut_titles)
{
        struct fixture f = {};
        char longtitle[128];

        menu_fixture(&f, 3, 80, 24, 0);
        f.items[0].title = "D\xc3\xa9"
                           "bian \xe2\x9c\x93"; /* "Débian ✓": 8 columns */
        memset(longtitle, 'x', 100);
        longtitle[100] = 0;
        f.items[1].title = longtitle;
        f.items[2].title = "a\033[2Jb\tc\x80"
                           "d\xc2\x9b";
        lay_out(&f);
        CHECK_STREQ(row(&f.grid, 3), "|>D\xc3\xa9"
                                     "bian \xe2\x9c\x93" SPACES69 "|");
        CHECK_INTEQ(tui_grid_cell(&f.grid, 3, 3)->ch, 0xe9);
        CHECK_INTEQ(tui_grid_cell(&f.grid, 3, 9)->ch, 0x2713);
        CHECK_INTEQ(tui_grid_cell(&f.grid, 3, 10)->ch, ' ');
        /* 76 columns for a title: 75 characters and "…", a blank, the border. */
        CHECK_INTEQ(tui_grid_cell(&f.grid, 4, 76)->ch, 'x');
        CHECK_INTEQ(tui_grid_cell(&f.grid, 4, 77)->ch, 0x2026);
        CHECK_INTEQ(tui_grid_cell(&f.grid, 4, 78)->ch, ' ');
        CHECK_INTEQ(tui_grid_cell(&f.grid, 4, 79)->ch, '|');
        /* Control characters never reach the terminal. */
        CHECK(strncmp(row(&f.grid, 5),
                      "| a?[2Jb c\xef\xbf\xbd"
                      "d? ",
                      16) == 0);

        /* A cut title makes room for "More...". */
        menu_fixture(&f, 30, 80, 24, 0);
        f.items[0].title = longtitle;
        f.menu.top = 1;
        f.menu.selected = 1;
        f.items[1].title = longtitle;
        tui_layout(&f.view, &f.grid);
        CHECK_INTEQ(tui_grid_cell(&f.grid, 3, 67)->ch, 'x');
        CHECK_INTEQ(tui_grid_cell(&f.grid, 3, 68)->ch, 0x2026);
        CHECK_INTEQ(tui_grid_cell(&f.grid, 3, 69)->ch, ' ');
        CHECK_INTEQ(tui_grid_cell(&f.grid, 3, 70)->ch, 'M');
        if (*test_failed)
                dump(&f.grid);
        tui_grid_done(&f.grid);
}

TEST(menu_not_bootable)
{
        struct fixture f = {};

        menu_fixture(&f, 3, 80, 24, 0);
        f.items[1].bootable = false;
        f.items[1].note = "kernel on UUID=1234 not found";
        f.items[2].bootable = false;
        f.items[2].note = "the kernel file /boot/vmlinuz-6.1.0-28-amd64 was not found on UUID="
                          "0123-4567-89ab";
        lay_out(&f);
        CHECK_STREQ(
                row(&f.grid, 4),
                "| Entry 1 (kernel on UUID=1234 not found)                                      |");
        CHECK(attr_span(&f.grid, 4, 2, 40, TUI_ATTR_DIM));
        CHECK_INTEQ(attr(&f.grid, 4, 41), 0);
        /* A long note is cut inside its parentheses. */
        CHECK_STREQ(
                row(&f.grid, 5),
                "| Entry 2 (the kernel file /boot/vmlinuz-6.1.0-28-amd64 was not found on UUI\xe2"
                "\x80\xa6) |");
        /* Selected and not bootable: both. */
        f.menu.selected = 1;
        lay_out(&f);
        CHECK(attr_span(&f.grid, 4, 2, 40, TUI_ATTR_DIM | TUI_ATTR_INVERSE));
        CHECK(attr_span(&f.grid, 4, 41, 78, TUI_ATTR_DIM | TUI_ATTR_INVERSE));
        /* No room for the note: the title alone. */
        (void) tui_grid_resize(&f.grid, 14, 24);
        lay_out(&f);
        CHECK_STREQ(row(&f.grid, 4), "|>Entry 1    |");
        if (*test_failed)
                dump(&f.grid);
        tui_grid_done(&f.grid);
}

TEST(menu_empty_with_status)
{
        struct fixture f = {};

        menu_fixture(&f, 0, 80, 24, 5);
        f.view.status = "Waiting for devices\xe2\x80\xa6 7 s";
        lay_out(&f);
        CHECK_STREQ(row(&f.grid, 3),
                    "| No boot entries found                                        "
                    "                |");
        CHECK_STREQ(row(&f.grid, 4),
                    "|                                                             "
                    "                 |");
        CHECK_STREQ(row(&f.grid, 20), " Waiting for devices\xe2\x80\xa6 7 s");
        CHECK(attr_span(&f.grid, 3, 0, 79, 0));

        /* Status and countdown share the row. */
        menu_fixture(&f, 2, 80, 24, 5);
        f.view.status = "Waiting for devices\xe2\x80\xa6 7 s";
        lay_out(&f);
        CHECK_STREQ(row(&f.grid, 20), " Waiting for devices\xe2\x80\xa6 7 s"
                                      "                    "
                                      "The highlighted entry boots in 5 s");
        if (*test_failed)
                dump(&f.grid);
        tui_grid_done(&f.grid);
}

TEST(menu_notes)
{
        struct line notes[5] = {
                {"kexec-loader.conf:3: unknown directive 'foo'", LINE_ERROR},
                {"kexec-loader.conf:9: no kernel for 'Old'", LINE_ERROR},
                {"grub.cfg:40: submenus are not supported", LINE_ERROR},
                {"grub.cfg:41: 'if' is not supported", LINE_ERROR},
                {"grub.cfg:42: 'fi' is not supported", LINE_ERROR},
        };
        struct fixture f = {};

        menu_fixture(&f, 20, 80, 24, 0);
        f.view.notes = notes;
        f.view.n_notes = 2;
        lay_out(&f);
        /* The box shrinks by one row per note. */
        CHECK_INTEQ(tui_menu_rows(24, &f.view), 14);
        CHECK_STREQ(row(&f.grid, 2), BORDER80);
        CHECK_STREQ(row(&f.grid, 17), BORDER80);
        CHECK_STREQ(row(&f.grid, 16), "| Entry 13                                                 "
                                      "           More...  |");
        CHECK_STREQ(row(&f.grid, 18), "");
        CHECK_STREQ(row(&f.grid, 19), " kexec-loader.conf:3: unknown directive 'foo'");
        CHECK_STREQ(row(&f.grid, 20), " kexec-loader.conf:9: no kernel for 'Old'");
        CHECK_STREQ(row(&f.grid, 21), "");
        CHECK(attr_span(&f.grid, 19, 1, 44, TUI_ATTR_ERROR));
        CHECK_INTEQ(attr(&f.grid, 19, 45), 0);
        CHECK_STREQ(row(&f.grid, 22), " Enter: boot   L: devices   R: reload configuration");

        /* At most three lines: the first two and a summary. */
        f.view.n_notes = 5;
        lay_out(&f);
        CHECK_INTEQ(tui_menu_rows(24, &f.view), 13);
        CHECK_INTEQ(f.menu.rows, 13);
        CHECK_STREQ(row(&f.grid, 16), BORDER80);
        CHECK_STREQ(row(&f.grid, 18), " kexec-loader.conf:3: unknown directive 'foo'");
        CHECK_STREQ(row(&f.grid, 19), " kexec-loader.conf:9: no kernel for 'Old'");
        CHECK_STREQ(row(&f.grid, 20), " \xe2\x80\xa6 and 3 more (see the log)");
        f.view.n_notes = 3;
        lay_out(&f);
        CHECK_STREQ(row(&f.grid, 20), " grub.cfg:40: submenus are not supported");
        if (*test_failed)
                dump(&f.grid);
        tui_grid_done(&f.grid);
}

TEST(menu_40x10)
{
        struct fixture f = {};

        menu_fixture(&f, 8, 40, 10, 10);
        f.items[0].title = "Debian GNU/Linux 12 (bookworm) with a long name";
        f.view.status = "Waiting for devices";
        lay_out(&f);
        CHECK_INTEQ(f.menu.rows, 2);
        CHECK_STREQ(row(&f.grid, 0), " kexec-loader 2.0.0");
        CHECK_STREQ(row(&f.grid, 1), "");
        CHECK_STREQ(row(&f.grid, 2), "+--------------------------------------+");
        CHECK_STREQ(row(&f.grid, 3), "|>Debian GNU/Linux 12 (bookworm) with\xe2\x80\xa6 |");
        CHECK_STREQ(row(&f.grid, 4), "| Entry 1                     More...  |");
        CHECK_STREQ(row(&f.grid, 5), "+--------------------------------------+");
        CHECK_STREQ(row(&f.grid, 6), " Waiting for devices    Booting in 10 s");
        CHECK_STREQ(row(&f.grid, 7), "");
        CHECK_STREQ(row(&f.grid, 8), " Enter: boot  L: devices  R: reload");
        CHECK_STREQ(row(&f.grid, 9), " S: shell  H: hardware  Up/Down: select");
        if (*test_failed)
                dump(&f.grid);
        tui_grid_done(&f.grid);
}

TEST(menu_small_sizes)
{
        struct fixture f = {};

        /* 20x6: one entry, one line of hints. */
        menu_fixture(&f, 8, 20, 6, 10);
        lay_out(&f);
        CHECK_INTEQ(f.menu.rows, 1);
        CHECK_STREQ(row(&f.grid, 0), " kexec-loader 2.0.0");
        CHECK_STREQ(row(&f.grid, 1), "+------------------+");
        CHECK_STREQ(row(&f.grid, 2), "|>Entry 0 More...  |");
        CHECK_STREQ(row(&f.grid, 3), "+------------------+");
        CHECK_STREQ(row(&f.grid, 4), "    Booting in 10 s");
        CHECK_STREQ(row(&f.grid, 5), " Enter L R S H");

        /* 10x3: no box. */
        menu_fixture(&f, 8, 10, 3, 0);
        lay_out(&f);
        CHECK_INTEQ(f.menu.rows, 1);
        CHECK_STREQ(row(&f.grid, 0), " kexec-l\xe2\x80\xa6");
        CHECK_STREQ(row(&f.grid, 1), " >Entry\xe2\x80\xa6");
        CHECK_STREQ(row(&f.grid, 2), " Enter L\xe2\x80\xa6");
        if (*test_failed)
                dump(&f.grid);
        tui_grid_done(&f.grid);
}

/* Every screen at every small size: no crash (ASan watches the bounds), the bottom-right cell
 * blank, and the menu showing exactly the rows it reports. */
TEST(all_sizes)
{
        static struct line lines[30];
        struct line notes[4] = {
                {"n1", LINE_ERROR}, {"n2", LINE_ERROR}, {"n3", LINE_ERROR}, {"n4", LINE_ERROR}};
        struct lineedit le;
        struct fixture f = {};

        for (size_t i = 0; i < ARRAY_SIZE(lines); i++)
                lines[i] = (struct line){"some output line that is rather long for the size",
                                         (enum line_style)(i % 4)};
        lineedit_init(&le);
        CHECK_INTEQ(lineedit_set(&le, "mount /dev/sda1 /boot and a longer command line"), 0);
        for (unsigned cols = 0; cols <= 45; cols++)
                for (unsigned rows = 0; rows <= 30; rows++)
                        for (size_t n_notes = 0; n_notes <= 4; n_notes += 2) {
                                unsigned listed = 0, want;

                                menu_fixture(&f, 30, cols, rows, 10);
                                f.view.status = "Waiting for devices\xe2\x80\xa6 7 s";
                                f.view.notes = notes;
                                f.view.n_notes = n_notes;
                                f.view.shell_lines = lines;
                                f.view.n_shell_lines = ARRAY_SIZE(lines);
                                f.view.shell_prompt = "> ";
                                f.view.shell_edit = &le;
                                f.view.pager_title = "The devices Linux found";
                                f.view.pager_lines = lines;
                                f.view.n_pager_lines = ARRAY_SIZE(lines);
                                f.view.pager_top = 3;
                                f.view.pager_hint = "Esc or Enter: back to the menu";
                                f.view.boot_title = "Booting 'Debian GNU/Linux'";
                                f.view.boot_lines = lines;
                                f.view.n_boot_lines = ARRAY_SIZE(lines);
                                f.menu.selected = 29;
                                want = tui_menu_rows(rows, &f.view);
                                CHECK(want >= 1);
                                lay_out(&f);
                                for (unsigned r = 0; r < rows; r++)
                                        if (strstr(row(&f.grid, r), "Entry "))
                                                listed++;
                                if (cols >= 25 && rows >= 1)
                                        CHECK_INTEQ(listed, want);
                                for (enum ui_screen s = UI_SCREEN_MENU; s <= UI_SCREEN_BOOT; s++) {
                                        f.view.screen = s;
                                        tui_layout(&f.view, &f.grid);
                                        if (cols > 0 && rows > 0)
                                                CHECK_INTEQ(
                                                        tui_grid_cell(&f.grid, rows - 1, cols - 1)
                                                                ->ch,
                                                        ' ');
                                        if (f.grid.cursor_visible)
                                                CHECK(f.grid.cursor_row < rows &&
                                                      f.grid.cursor_col < cols);
                                }
                                CHECK(tui_pager_rows(rows) >= 1);
                                tui_grid_done(&f.grid);
                        }
        lineedit_done(&le);
}

TEST(pager)
{
        struct line lines[40];
        char text[40][32];
        struct fixture f = {};

        for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
                snprintf(text[i], sizeof(text[i]), "line %zu", i);
                lines[i] = (struct line){text[i], LINE_NORMAL};
        }
        lines[0].style = LINE_HEADER;
        lines[1].style = LINE_OK;
        lines[2].style = LINE_ERROR;
        menu_fixture(&f, 0, 80, 24, 0);
        f.view.screen = UI_SCREEN_PAGER;
        f.view.pager_title = "The following devices were found";
        f.view.pager_lines = lines;
        f.view.n_pager_lines = 40;
        f.view.pager_hint = "Esc or Enter: back to the menu";
        CHECK_INTEQ(tui_pager_rows(24), 20);
        CHECK_INTEQ(tui_pager_rows(10), 6);
        CHECK_INTEQ(tui_pager_rows(3), 1);
        CHECK_INTEQ(tui_pager_rows(0), 1);

        lay_out(&f);
        CHECK_STREQ(row(&f.grid, 0), " kexec-loader 2.0.0                                        "
                                     "Linux 6.1.0-28-amd64");
        CHECK_STREQ(row(&f.grid, 1), "");
        CHECK_STREQ(row(&f.grid, 2), " The following devices were found");
        CHECK(attr_span(&f.grid, 2, 1, 32, TUI_ATTR_BOLD));
        CHECK_STREQ(row(&f.grid, 3), " line 0");
        CHECK_INTEQ(attr(&f.grid, 3, 1), TUI_ATTR_BOLD);
        CHECK_INTEQ(attr(&f.grid, 4, 1), TUI_ATTR_OK);
        CHECK_INTEQ(attr(&f.grid, 5, 1), TUI_ATTR_ERROR);
        CHECK_INTEQ(attr(&f.grid, 6, 1), 0);
        CHECK_STREQ(row(&f.grid, 22), " line 19");
        CHECK_STREQ(row(&f.grid, 23), " Esc or Enter: back to the menu                          "
                                      "               More...");

        /* Scrolled: a marker on the title row too. */
        f.view.pager_top = 5;
        lay_out(&f);
        CHECK_STREQ(row(&f.grid, 2), " The following devices were found"
                                     "                    "
                                     "                   More...");
        CHECK_STREQ(row(&f.grid, 3), " line 5");
        CHECK_STREQ(row(&f.grid, 22), " line 24");

        /* Past the end: the last page is full. */
        f.view.pager_top = 1000;
        lay_out(&f);
        CHECK_STREQ(row(&f.grid, 3), " line 20");
        CHECK_STREQ(row(&f.grid, 22), " line 39");
        CHECK_STREQ(row(&f.grid, 23), " Esc or Enter: back to the menu");

        /* Few lines: no markers, top ignored. */
        f.view.n_pager_lines = 3;
        lay_out(&f);
        CHECK_STREQ(row(&f.grid, 2), " The following devices were found");
        CHECK_STREQ(row(&f.grid, 3), " line 0");
        CHECK_STREQ(row(&f.grid, 5), " line 2");
        CHECK_STREQ(row(&f.grid, 6), "");

        /* Long lines are cut, never wrapped. */
        lines[0].text = repeat('w', 200);
        lay_out(&f);
        CHECK_INTEQ(tui_grid_cell(&f.grid, 3, 77)->ch, 'w');
        CHECK_INTEQ(tui_grid_cell(&f.grid, 3, 78)->ch, 0x2026);
        CHECK_INTEQ(tui_grid_cell(&f.grid, 3, 79)->ch, ' ');
        CHECK_STREQ(row(&f.grid, 4), " line 1");
        if (*test_failed)
                dump(&f.grid);
        tui_grid_done(&f.grid);
}

TEST(shell)
{
        struct line lines[30];
        char text[30][32];
        struct lineedit le;
        struct fixture f = {};

        for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
                snprintf(text[i], sizeof(text[i]), "output %zu", i);
                lines[i] = (struct line){text[i], i == 29 ? LINE_ERROR : LINE_NORMAL};
        }
        lineedit_init(&le);
        CHECK_INTEQ(lineedit_set(&le, "boot"), 0);
        menu_fixture(&f, 0, 80, 24, 0);
        f.view.screen = UI_SCREEN_SHELL;
        f.view.shell_prompt = "> ";
        f.view.shell_edit = &le;

        /* Nothing printed yet: the prompt at the bottom, the cursor after the text. */
        lay_out(&f);
        CHECK_STREQ(row(&f.grid, 0), " kexec-loader 2.0.0                                        "
                                     "Linux 6.1.0-28-amd64");
        for (unsigned r = 1; r < 23; r++)
                CHECK_STREQ(row(&f.grid, r), "");
        CHECK_STREQ(row(&f.grid, 23), "> boot");
        CHECK(f.grid.cursor_visible);
        CHECK_INTEQ(f.grid.cursor_row, 23);
        CHECK_INTEQ(f.grid.cursor_col, 6);

        /* Output sits just above the prompt, the newest lowest. */
        f.view.shell_lines = lines;
        f.view.n_shell_lines = 2;
        lay_out(&f);
        CHECK_STREQ(row(&f.grid, 20), "");
        CHECK_STREQ(row(&f.grid, 21), "output 0");
        CHECK_STREQ(row(&f.grid, 22), "output 1");
        CHECK_STREQ(row(&f.grid, 23), "> boot");

        /* More than fits: rows 2..22 show the last 21 lines. */
        f.view.n_shell_lines = 30;
        lay_out(&f);
        CHECK_STREQ(row(&f.grid, 1), "");
        CHECK_STREQ(row(&f.grid, 2), "output 9");
        CHECK_STREQ(row(&f.grid, 22), "output 29");
        CHECK_INTEQ(attr(&f.grid, 22, 0), TUI_ATTR_ERROR);

        /* An empty line: the cursor right after the prompt. */
        lineedit_clear(&le);
        lay_out(&f);
        CHECK_STREQ(row(&f.grid, 23), ">");
        CHECK_INTEQ(f.grid.cursor_col, 2);

        /* A line longer than the screen scrolls sideways and never uses the last column. */
        CHECK_INTEQ(lineedit_set(&le, repeat('a', 150)), 0);
        lay_out(&f);
        CHECK_INTEQ(tui_grid_cell(&f.grid, 23, 2)->ch, '$');
        CHECK_INTEQ(tui_grid_cell(&f.grid, 23, 79)->ch, ' ');
        CHECK(f.grid.cursor_col <= 79);
        CHECK(f.grid.cursor_col > 2);
        if (*test_failed)
                dump(&f.grid);
        lineedit_done(&le);
        tui_grid_done(&f.grid);
}

TEST(boot)
{
        struct line lines[30];
        char text[30][32];
        struct fixture f = {};

        for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
                snprintf(text[i], sizeof(text[i]), "step %zu", i);
                lines[i] = (struct line){text[i], LINE_OK};
        }
        lines[29].style = LINE_ERROR;
        menu_fixture(&f, 0, 80, 24, 0);
        f.view.screen = UI_SCREEN_BOOT;
        f.view.boot_title = "Booting 'Debian'";
        f.view.boot_lines = lines;
        f.view.n_boot_lines = 2;
        lay_out(&f);
        CHECK_STREQ(row(&f.grid, 1), "");
        CHECK_STREQ(row(&f.grid, 2), " Booting 'Debian'");
        CHECK(attr_span(&f.grid, 2, 1, 16, TUI_ATTR_BOLD));
        CHECK_STREQ(row(&f.grid, 3), " step 0");
        CHECK_STREQ(row(&f.grid, 4), " step 1");
        CHECK_INTEQ(attr(&f.grid, 3, 1), TUI_ATTR_OK);
        CHECK_STREQ(row(&f.grid, 5), "");
        CHECK(!f.grid.cursor_visible);

        /* Too many: the newest stay visible. */
        f.view.n_boot_lines = 30;
        lay_out(&f);
        CHECK_STREQ(row(&f.grid, 3), " step 9");
        CHECK_STREQ(row(&f.grid, 23), " step 29");
        CHECK_INTEQ(attr(&f.grid, 23, 1), TUI_ATTR_ERROR);
        if (*test_failed)
                dump(&f.grid);
        tui_grid_done(&f.grid);
}

/* The entry editor (E): heading, the lines in a box wrapped with GRUB's '\', the cursor in the
 * box, the notes under it; on a 10-row console the box scrolls with the cursor and '^'/'v' on its
 * borders say that rows are hidden. */
TEST(editor_screen)
{
        struct boot_entry e = {
                .title = strdup("Debian"),
                .cmdline = strdup("root=UUID=0b8e3d1c-5a9e-4f7b-9c1e-2f3a4b5c6d7e ro quiet splash "
                                  "console=ttyS0,115200n8"),
                .kernel = {.path = strdup("/boot/vmlinuz"), .device = -1},
        };
        struct line notes[] = {{(char *) "Ctrl-X or F10: boot", LINE_NORMAL},
                               {(char *) "line 2: unknown command", LINE_ERROR}};
        struct editor ed;
        struct fixture f = {};

        REQUIRE(editor_open(&ed, &e) == 0);
        menu_fixture(&f, 0, 80, 24, 0);
        f.view.screen = UI_SCREEN_EDITOR;
        f.view.editor_title = "Edit 'Debian'";
        f.view.editor = &ed;
        f.view.editor_notes = notes;
        f.view.n_editor_notes = ARRAY_SIZE(notes);
        lay_out(&f);
        CHECK_STREQ(row(&f.grid, 2), " Edit 'Debian'");
        CHECK_INTEQ(attr(&f.grid, 2, 1), TUI_ATTR_BOLD);
        CHECK_STREQ(row(&f.grid, 3), BORDER80);
        /* 76 columns: 75 characters and '\' */
        CHECK_STREQ(row(&f.grid, 4),
                    "  linux /boot/vmlinuz root=UUID=0b8e3d1c-5a9e-4f7b-9c1e-2f3a4b5c6d7e "
                    "ro quiet\\");
        CHECK_STREQ(row(&f.grid, 5), "   splash console=ttyS0,115200n8");
        CHECK_STREQ(row(&f.grid, 6), "");
        CHECK_STREQ(row(&f.grid, 21), BORDER80);
        CHECK_STREQ(row(&f.grid, 22), " Ctrl-X or F10: boot");
        CHECK_STREQ(row(&f.grid, 23), " line 2: unknown command");
        CHECK_INTEQ(attr(&f.grid, 23, 1), TUI_ATTR_ERROR);
        CHECK(f.grid.cursor_visible);
        CHECK_INTEQ(f.grid.cursor_row, 4);
        CHECK_INTEQ(f.grid.cursor_col, 2);

        /* 6 rows: heading, a box of 1 row, notes; End: the second row shows, '^' on the border */
        (void) tui_grid_resize(&f.grid, 80, 6);
        (void) editor_key(&ed, &(struct key_event){.sym = KEYSYM_END});
        lay_out(&f);
        CHECK_STREQ(row(&f.grid, 0), " Edit 'Debian'");
        CHECK_STREQ(
                row(&f.grid, 1),
                "+----------------------------------------------------------------------------^-+");
        CHECK_STREQ(row(&f.grid, 2), "   splash console=ttyS0,115200n8");
        CHECK_INTEQ(f.grid.cursor_row, 2);
        CHECK_INTEQ(f.grid.cursor_col, 2 + 30);
        (void) editor_key(&ed, &(struct key_event){.sym = KEYSYM_HOME});
        lay_out(&f);
        CHECK_STREQ(
                row(&f.grid, 3),
                "+----------------------------------------------------------------------------v-+");
        if (*test_failed)
                dump(&f.grid);
        editor_close(&ed);
        boot_entry_done(&e);
        tui_grid_done(&f.grid);
}
