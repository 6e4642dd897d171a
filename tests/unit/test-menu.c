/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include "input/ttykeys.h"
#include "menu/menu.h"

static enum menu_action press(struct menu *m, enum key_sym sym)
{
        struct key_event ev = {.sym = sym};

        return menu_key(m, &ev);
}

static enum menu_action type(struct menu *m, uint32_t ch)
{
        struct key_event ev = {.sym = KEYSYM_CHAR, .ch = ch};

        return menu_key(m, &ev);
}

TEST(init)
{
        struct menu m;

        menu_init(&m, 5, 2, 10);
        CHECK_INTEQ(m.n_items, 5);
        CHECK_INTEQ(m.selected, 2);
        CHECK_INTEQ(m.rows, 1);
        CHECK_INTEQ(m.top, 2);
        CHECK(m.countdown_active);
        CHECK_INTEQ(m.countdown, 10);

        menu_init(&m, 5, -1, 0);
        CHECK_INTEQ(m.selected, 0);
        CHECK(!m.countdown_active);

        menu_init(&m, 5, 5, 3);
        CHECK_INTEQ(m.selected, 0);
        CHECK(m.countdown_active);

        /* Nothing to boot: no countdown. */
        menu_init(&m, 0, 0, 5);
        CHECK(!m.countdown_active);
        CHECK_INTEQ(m.selected, 0);
        CHECK_INTEQ(m.top, 0);
}

TEST(default_shown_with_the_entries_before_it)
{
        struct menu m;

        /* The model starts with one row; the front end tells the real number later. */
        menu_init(&m, 20, 1, 0);
        menu_set_rows(&m, 16);
        CHECK_INTEQ(m.selected, 1);
        CHECK_INTEQ(m.top, 0);
        CHECK(!menu_more_above(&m));
        CHECK(menu_more_below(&m));
        /* A default further down ends up on the last row. */
        menu_init(&m, 20, 18, 0);
        menu_set_rows(&m, 16);
        CHECK_INTEQ(m.top, 3);
        /* Setting the same number again changes nothing. */
        menu_set_rows(&m, 16);
        CHECK_INTEQ(m.top, 3);
}

TEST(up_down_no_wrap)
{
        struct menu m;

        menu_init(&m, 3, 0, 0);
        menu_set_rows(&m, 10);
        /* At the first entry Up does nothing at all. */
        CHECK_INTEQ(press(&m, KEYSYM_UP), MENU_ACTION_NONE);
        CHECK_INTEQ(m.selected, 0);
        CHECK_INTEQ(press(&m, KEYSYM_DOWN), MENU_ACTION_REDRAW);
        CHECK_INTEQ(m.selected, 1);
        CHECK_INTEQ(press(&m, KEYSYM_DOWN), MENU_ACTION_REDRAW);
        CHECK_INTEQ(m.selected, 2);
        CHECK_INTEQ(press(&m, KEYSYM_DOWN), MENU_ACTION_NONE);
        CHECK_INTEQ(m.selected, 2);
        CHECK_INTEQ(press(&m, KEYSYM_UP), MENU_ACTION_REDRAW);
        CHECK_INTEQ(m.selected, 1);
        CHECK_INTEQ(m.top, 0);
}

TEST(moving_at_the_end_still_stops_countdown)
{
        struct menu m;

        menu_init(&m, 3, 0, 5);
        /* The selection cannot move, but stopping the countdown needs a redraw. */
        CHECK_INTEQ(press(&m, KEYSYM_UP), MENU_ACTION_REDRAW);
        CHECK(!m.countdown_active);
        CHECK_INTEQ(press(&m, KEYSYM_UP), MENU_ACTION_NONE);

        menu_init(&m, 3, 2, 5);
        CHECK_INTEQ(press(&m, KEYSYM_END), MENU_ACTION_REDRAW);
        CHECK(!m.countdown_active);
        CHECK_INTEQ(press(&m, KEYSYM_END), MENU_ACTION_NONE);
        CHECK_INTEQ(press(&m, KEYSYM_PAGE_DOWN), MENU_ACTION_NONE);
        CHECK_INTEQ(m.selected, 2);
}

TEST(page_keys)
{
        struct menu m;

        menu_init(&m, 20, 0, 0);
        menu_set_rows(&m, 5);
        /* Pages move by rows - 1 and are clamped at both ends. */
        CHECK_INTEQ(press(&m, KEYSYM_PAGE_DOWN), MENU_ACTION_REDRAW);
        CHECK_INTEQ(m.selected, 4);
        CHECK_INTEQ(m.top, 0);
        CHECK_INTEQ(press(&m, KEYSYM_PAGE_DOWN), MENU_ACTION_REDRAW);
        CHECK_INTEQ(m.selected, 8);
        CHECK_INTEQ(m.top, 4);
        for (int i = 0; i < 10; i++)
                press(&m, KEYSYM_PAGE_DOWN);
        CHECK_INTEQ(m.selected, 19);
        CHECK_INTEQ(m.top, 15);
        CHECK_INTEQ(press(&m, KEYSYM_PAGE_UP), MENU_ACTION_REDRAW);
        CHECK_INTEQ(m.selected, 15);
        CHECK_INTEQ(m.top, 15);
        CHECK_INTEQ(press(&m, KEYSYM_PAGE_UP), MENU_ACTION_REDRAW);
        CHECK_INTEQ(m.selected, 11);
        CHECK_INTEQ(m.top, 11);
        for (int i = 0; i < 10; i++)
                press(&m, KEYSYM_PAGE_UP);
        CHECK_INTEQ(m.selected, 0);
        CHECK_INTEQ(m.top, 0);
        CHECK_INTEQ(press(&m, KEYSYM_PAGE_UP), MENU_ACTION_NONE);

        /* With one or two rows a page is one entry. */
        menu_set_rows(&m, 1);
        CHECK_INTEQ(press(&m, KEYSYM_PAGE_DOWN), MENU_ACTION_REDRAW);
        CHECK_INTEQ(m.selected, 1);
        menu_set_rows(&m, 2);
        CHECK_INTEQ(press(&m, KEYSYM_PAGE_DOWN), MENU_ACTION_REDRAW);
        CHECK_INTEQ(m.selected, 2);
        CHECK_INTEQ(press(&m, KEYSYM_PAGE_UP), MENU_ACTION_REDRAW);
        CHECK_INTEQ(m.selected, 1);
}

TEST(home_end)
{
        struct menu m;

        menu_init(&m, 20, 7, 0);
        menu_set_rows(&m, 4);
        CHECK_INTEQ(press(&m, KEYSYM_END), MENU_ACTION_REDRAW);
        CHECK_INTEQ(m.selected, 19);
        CHECK_INTEQ(m.top, 16);
        CHECK(menu_more_above(&m));
        CHECK(!menu_more_below(&m));
        CHECK_INTEQ(press(&m, KEYSYM_HOME), MENU_ACTION_REDRAW);
        CHECK_INTEQ(m.selected, 0);
        CHECK_INTEQ(m.top, 0);
        CHECK(!menu_more_above(&m));
        CHECK(menu_more_below(&m));
        CHECK_INTEQ(press(&m, KEYSYM_HOME), MENU_ACTION_NONE);
}

TEST(scrolling_keeps_selection_visible)
{
        for (size_t rows = 1; rows <= 5; rows++) {
                struct menu m;

                menu_init(&m, 20, 0, 0);
                menu_set_rows(&m, rows);
                for (int i = 0; i < 25; i++) {
                        press(&m, KEYSYM_DOWN);
                        CHECK(m.selected >= m.top && m.selected < m.top + m.rows);
                        CHECK(m.top + m.rows <= 20);
                        CHECK_INTEQ(menu_more_above(&m), m.top > 0);
                        CHECK_INTEQ(menu_more_below(&m), m.top + rows < 20);
                }
                CHECK_INTEQ(m.selected, 19);
                CHECK_INTEQ(m.top, 20 - rows);
                for (int i = 0; i < 25; i++) {
                        press(&m, KEYSYM_UP);
                        CHECK(m.selected >= m.top && m.selected < m.top + m.rows);
                }
                CHECK_INTEQ(m.selected, 0);
                CHECK_INTEQ(m.top, 0);
                /* Scrolling is minimal: Down at the last visible row moves the list by one. */
                for (size_t i = 0; i < rows; i++)
                        press(&m, KEYSYM_DOWN);
                CHECK_INTEQ(m.selected, rows);
                CHECK_INTEQ(m.top, 1);
                for (int i = 0; i < 7; i++)
                        press(&m, KEYSYM_PAGE_DOWN);
                CHECK(m.selected >= m.top && m.selected < m.top + m.rows);
        }
}

TEST(more_markers)
{
        struct menu m;

        menu_init(&m, 10, 0, 0);
        menu_set_rows(&m, 10);
        CHECK(!menu_more_above(&m));
        CHECK(!menu_more_below(&m));
        menu_set_rows(&m, 4);
        CHECK(!menu_more_above(&m));
        CHECK(menu_more_below(&m));
        menu_init(&m, 10, 5, 0);
        menu_set_rows(&m, 4);
        CHECK_INTEQ(m.top, 2);
        CHECK(menu_more_above(&m));
        CHECK(menu_more_below(&m));
        /* Growing reveals entries above, never blank rows at the end. */
        menu_set_rows(&m, 5);
        CHECK_INTEQ(m.top, 1);
        /* Shrinking keeps the selection (5) visible. */
        menu_set_rows(&m, 4);
        CHECK_INTEQ(m.top, 2);
        menu_set_rows(&m, 6);
        CHECK_INTEQ(m.top, 0);
        press(&m, KEYSYM_END);
        CHECK_INTEQ(m.top, 4);
        menu_set_rows(&m, 7);
        CHECK_INTEQ(m.top, 3);
        menu_set_rows(&m, 30);
        CHECK_INTEQ(m.top, 0);
        CHECK(!menu_more_above(&m));
        CHECK(!menu_more_below(&m));
        /* Zero rows count as one. */
        menu_set_rows(&m, 0);
        CHECK_INTEQ(m.rows, 1);
        CHECK_INTEQ(m.top, 9);
}

TEST(countdown)
{
        struct menu m;

        menu_init(&m, 3, 1, 3);
        CHECK_INTEQ(menu_tick(&m), MENU_ACTION_REDRAW);
        CHECK_INTEQ(m.countdown, 2);
        CHECK_INTEQ(menu_tick(&m), MENU_ACTION_REDRAW);
        CHECK_INTEQ(m.countdown, 1);
        CHECK(m.countdown_active);
        CHECK_INTEQ(menu_tick(&m), MENU_ACTION_BOOT);
        CHECK_INTEQ(m.countdown, 0);
        CHECK(!m.countdown_active);
        CHECK_INTEQ(m.selected, 1);
        /* Stopped: ticks do nothing. */
        CHECK_INTEQ(menu_tick(&m), MENU_ACTION_NONE);

        menu_init(&m, 3, 0, 0);
        CHECK_INTEQ(menu_tick(&m), MENU_ACTION_NONE);

        menu_init(&m, 3, 0, 5);
        menu_stop_countdown(&m);
        CHECK_INTEQ(menu_tick(&m), MENU_ACTION_NONE);

        /* The list emptied while counting: reaching 0 boots nothing. */
        menu_init(&m, 3, 0, 1);
        menu_set_items(&m, 0, 0);
        CHECK_INTEQ(menu_tick(&m), MENU_ACTION_REDRAW);
        CHECK(!m.countdown_active);
}

TEST(keys_that_stop_the_countdown)
{
        static const struct {
                enum key_sym sym;
                uint32_t ch;
                enum menu_action action;
        } keys[] = {
                {KEYSYM_UP, 0, MENU_ACTION_REDRAW},       {KEYSYM_DOWN, 0, MENU_ACTION_REDRAW},
                {KEYSYM_PAGE_UP, 0, MENU_ACTION_REDRAW},  {KEYSYM_PAGE_DOWN, 0, MENU_ACTION_REDRAW},
                {KEYSYM_HOME, 0, MENU_ACTION_REDRAW},     {KEYSYM_END, 0, MENU_ACTION_REDRAW},
                {KEYSYM_ENTER, 0, MENU_ACTION_BOOT},      {KEYSYM_CHAR, 'l', MENU_ACTION_DEVICES},
                {KEYSYM_CHAR, 'L', MENU_ACTION_DEVICES},  {KEYSYM_CHAR, 'r', MENU_ACTION_RELOAD},
                {KEYSYM_CHAR, 'R', MENU_ACTION_RELOAD},   {KEYSYM_CHAR, 's', MENU_ACTION_SHELL},
                {KEYSYM_CHAR, 'S', MENU_ACTION_SHELL},    {KEYSYM_CHAR, 'h', MENU_ACTION_HARDWARE},
                {KEYSYM_CHAR, 'H', MENU_ACTION_HARDWARE}, {KEYSYM_CHAR, 'e', MENU_ACTION_EDIT},
                {KEYSYM_CHAR, 'E', MENU_ACTION_EDIT},
        };

        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
                struct key_event ev = {.sym = keys[i].sym, .ch = keys[i].ch};
                struct menu m;

                menu_init(&m, 5, 2, 10);
                CHECK_INTEQ(menu_key(&m, &ev), keys[i].action);
                CHECK(!m.countdown_active);
        }
}

TEST(keys_that_do_not_stop_the_countdown)
{
        static const struct key_event keys[] = {
                {.sym = KEYSYM_CHAR, .ch = 'x'},
                {.sym = KEYSYM_CHAR, .ch = ' '},
                {.sym = KEYSYM_CHAR, .ch = 0xe9},
                {.sym = KEYSYM_ESCAPE},
                {.sym = KEYSYM_LEFT},
                {.sym = KEYSYM_RIGHT},
                {.sym = KEYSYM_TAB},
                {.sym = KEYSYM_BACKSPACE},
                {.sym = KEYSYM_F1},
                {.sym = KEYSYM_CTRL, .ch = 'l'},
                {.sym = KEYSYM_NONE},
        };

        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
                struct menu m;

                menu_init(&m, 5, 2, 10);
                CHECK_INTEQ(menu_key(&m, &keys[i]), MENU_ACTION_NONE);
                CHECK(m.countdown_active);
                CHECK_INTEQ(m.countdown, 10);
                CHECK_INTEQ(m.selected, 2);
        }
}

TEST(set_items)
{
        struct menu m;

        menu_init(&m, 10, 0, 7);
        menu_set_rows(&m, 3);
        press(&m, KEYSYM_END);
        CHECK_INTEQ(m.selected, 9);
        CHECK_INTEQ(m.top, 7);

        /* More entries: the selection stays. */
        menu_set_items(&m, 12, 0);
        CHECK_INTEQ(m.selected, 9);
        CHECK_INTEQ(m.top, 7);
        /* The selection is gone: the default is taken and scrolled into view. */
        menu_set_items(&m, 5, 4);
        CHECK_INTEQ(m.selected, 4);
        CHECK_INTEQ(m.top, 2);
        menu_set_items(&m, 3, 8);
        CHECK_INTEQ(m.selected, 0);
        CHECK_INTEQ(m.top, 0);
        menu_set_items(&m, 3, -1);
        CHECK_INTEQ(m.selected, 0);
        /* The countdown is left as it is. */
        menu_init(&m, 2, 0, 7);
        menu_set_items(&m, 4, 1);
        CHECK(m.countdown_active);
        CHECK_INTEQ(m.countdown, 7);
        CHECK_INTEQ(m.selected, 0);
        /* Rows stay valid when the list shrinks below the top. */
        menu_init(&m, 20, 15, 0);
        menu_set_rows(&m, 4);
        CHECK_INTEQ(m.top, 12);
        menu_set_items(&m, 16, 0);
        CHECK_INTEQ(m.selected, 15);
        CHECK_INTEQ(m.top, 12);
        menu_set_items(&m, 14, 13);
        CHECK_INTEQ(m.selected, 13);
        CHECK_INTEQ(m.top, 10);
}

TEST(empty_menu)
{
        struct menu m;

        menu_init(&m, 0, 3, 5);
        menu_set_rows(&m, 5);
        CHECK_INTEQ(press(&m, KEYSYM_ENTER), MENU_ACTION_NONE);
        CHECK_INTEQ(press(&m, KEYSYM_DOWN), MENU_ACTION_NONE);
        CHECK_INTEQ(press(&m, KEYSYM_UP), MENU_ACTION_NONE);
        CHECK_INTEQ(press(&m, KEYSYM_END), MENU_ACTION_NONE);
        CHECK_INTEQ(press(&m, KEYSYM_PAGE_DOWN), MENU_ACTION_NONE);
        CHECK_INTEQ(m.selected, 0);
        CHECK_INTEQ(m.top, 0);
        CHECK(!menu_more_above(&m));
        CHECK(!menu_more_below(&m));
        CHECK_INTEQ(type(&m, 'l'), MENU_ACTION_DEVICES);
        CHECK_INTEQ(type(&m, 'R'), MENU_ACTION_RELOAD);
        CHECK_INTEQ(type(&m, 's'), MENU_ACTION_SHELL);
        CHECK_INTEQ(menu_tick(&m), MENU_ACTION_NONE);

        /* Entries appear later: the first one is selected. */
        menu_set_items(&m, 3, -1);
        CHECK_INTEQ(m.selected, 0);
        CHECK_INTEQ(press(&m, KEYSYM_ENTER), MENU_ACTION_BOOT);
}

/* Bytes of one read through the tty decoder and the key dispatch (key_event_unfold) into the
 * menu; the actions, as digits. */
static const char *feed_read(struct menu *m, const char *bytes)
{
        static char acts[32];
        struct ttykeys t;
        struct key_event ev[2], keys[2];
        size_t n = 0, len = strlen(bytes);

        ttykeys_init(&t);
        for (size_t i = 0; i <= len; i++) {
                int k = i < len ? ttykeys_feed(&t, (unsigned char) bytes[i], ev)
                                : ttykeys_flush(&t, ev);

                for (int j = 0; j < k; j++) {
                        int u = key_event_unfold(&ev[j], keys);

                        for (int x = 0; x < u && n + 1 < sizeof(acts); x++)
                                acts[n++] = (char) ('0' + menu_key(m, &keys[x]));
                }
        }
        acts[n] = 0;
        return acts;
}

TEST(esc_then_key_in_one_read)
{
        struct menu m;
        char want[8];

        menu_init(&m, 3, 0, 5);
        /* Escape (nothing for the menu, the countdown goes on), then L: the device list. */
        snprintf(want, sizeof(want), "%c%c", '0' + MENU_ACTION_NONE, '0' + MENU_ACTION_DEVICES);
        CHECK_STREQ(feed_read(&m, "\033L"), want);
        menu_init(&m, 3, 0, 5);
        snprintf(want, sizeof(want), "%c%c", '0' + MENU_ACTION_NONE, '0' + MENU_ACTION_BOOT);
        CHECK_STREQ(feed_read(&m, "\033\r"), want);
        /* Escape, then the arrow key: still a move. */
        menu_init(&m, 3, 0, 0);
        snprintf(want, sizeof(want), "%c%c", '0' + MENU_ACTION_NONE, '0' + MENU_ACTION_REDRAW);
        CHECK_STREQ(feed_read(&m, "\033\033[B"), want);
        CHECK_INTEQ(m.selected, 1);
}

TEST(tap_selects_then_boots)
{
        struct menu m;

        menu_init(&m, 10, 0, 5);
        menu_set_rows(&m, 4);
        /* A tap on another entry selects it and stops the countdown. */
        CHECK_INTEQ(menu_tap(&m, 2), MENU_ACTION_REDRAW);
        CHECK_INTEQ(m.selected, 2);
        CHECK(!m.countdown_active);
        CHECK_INTEQ(m.top, 0);
        /* A tap on the selected one boots it. */
        CHECK_INTEQ(menu_tap(&m, 2), MENU_ACTION_BOOT);
        CHECK_INTEQ(m.selected, 2);
        /* Past the end: nothing. */
        CHECK_INTEQ(menu_tap(&m, 10), MENU_ACTION_NONE);
        CHECK_INTEQ(m.selected, 2);
        /* The highlighted default with the countdown running boots at once, as Enter would. */
        menu_init(&m, 3, 1, 5);
        CHECK_INTEQ(menu_tap(&m, 1), MENU_ACTION_BOOT);
        CHECK(!m.countdown_active);
        /* An empty menu. */
        menu_init(&m, 0, 0, 0);
        CHECK_INTEQ(menu_tap(&m, 0), MENU_ACTION_NONE);
}

/* issue 13: C switches the high contrast, Z the large font (either case); both stop the
 * countdown as the other screen keys do. */
TEST(contrast_and_large_keys)
{
        static const struct {
                uint32_t ch;
                enum menu_action action;
        } keys[] = {
                {'c', MENU_ACTION_CONTRAST},
                {'C', MENU_ACTION_CONTRAST},
                {'z', MENU_ACTION_LARGE},
                {'Z', MENU_ACTION_LARGE},
        };

        for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
                struct menu m;

                menu_init(&m, 5, 2, 10);
                CHECK_INTEQ(type(&m, keys[i].ch), keys[i].action);
                CHECK(!m.countdown_active);
                CHECK_INTEQ(m.selected, 2);
        }
}
