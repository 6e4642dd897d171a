/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The boot menu model: which entry is highlighted, which part of the list is visible, and the
 * countdown. Unlike 1.4.1, only keys that do something stop the countdown. */
#include "menu.h"

static size_t valid_index(size_t n_items, int index)
{
        if (index < 0 || (size_t) index >= n_items)
                return 0;
        return (size_t) index;
}

/* Moves top so that the selection is visible and no rows are wasted below the last item. */
static void scroll(struct menu *m)
{
        if (m->rows < 1)
                m->rows = 1;
        if (m->n_items == 0) {
                m->selected = 0;
                m->top = 0;
                return;
        }
        if (m->selected >= m->n_items)
                m->selected = m->n_items - 1;
        if (m->n_items <= m->rows)
                m->top = 0;
        else if (m->top > m->n_items - m->rows)
                m->top = m->n_items - m->rows;
        if (m->selected < m->top)
                m->top = m->selected;
        else if (m->selected >= m->top + m->rows)
                m->top = m->selected - m->rows + 1;
}

void menu_init(struct menu *m, size_t n_items, int default_index, unsigned timeout)
{
        *m = (struct menu){
                .n_items = n_items,
                .selected = valid_index(n_items, default_index),
                .rows = 1,
                .countdown_active = timeout > 0 && n_items > 0,
                .countdown = n_items > 0 ? timeout : 0,
        };
        scroll(m);
}

void menu_set_items(struct menu *m, size_t n_items, int default_index)
{
        m->n_items = n_items;
        if (m->selected >= n_items)
                m->selected = valid_index(n_items, default_index);
        scroll(m);
}

void menu_set_rows(struct menu *m, size_t rows)
{
        if (rows < 1)
                rows = 1;
        /* More rows show more of the list above, the bottom row staying where it was: when the
         * front end first tells its size, a default entry near the start is shown with the
         * entries before it rather than at the top of the window. */
        if (rows > m->rows)
                m->top = m->top > rows - m->rows ? m->top - (rows - m->rows) : 0;
        m->rows = rows;
        scroll(m);
}

void menu_stop_countdown(struct menu *m)
{
        m->countdown_active = false;
}

/* Selects index (clamped), stops the countdown; REDRAW when anything changed. */
static enum menu_action move_to(struct menu *m, size_t index)
{
        bool changed = m->countdown_active;
        size_t old_top = m->top;

        menu_stop_countdown(m);
        if (m->n_items > 0) {
                if (index >= m->n_items)
                        index = m->n_items - 1;
                if (index != m->selected)
                        changed = true;
                m->selected = index;
        }
        scroll(m);
        if (m->top != old_top)
                changed = true;
        return changed ? MENU_ACTION_REDRAW : MENU_ACTION_NONE;
}

static size_t page_step(const struct menu *m)
{
        return m->rows > 1 ? m->rows - 1 : 1;
}

static enum menu_action screen_key(struct menu *m, uint32_t ch)
{
        switch (ch) {
        case 'l':
        case 'L':
                menu_stop_countdown(m);
                return MENU_ACTION_DEVICES;
        case 'r':
        case 'R':
                menu_stop_countdown(m);
                return MENU_ACTION_RELOAD;
        case 's':
        case 'S':
                menu_stop_countdown(m);
                return MENU_ACTION_SHELL;
        case 'h':
        case 'H':
                menu_stop_countdown(m);
                return MENU_ACTION_HARDWARE;
        case 'm':
        case 'M':
                menu_stop_countdown(m);
                return MENU_ACTION_MOK;
        case 'e':
        case 'E':
                menu_stop_countdown(m);
                return MENU_ACTION_EDIT;
        case 'c':
        case 'C':
                menu_stop_countdown(m);
                return MENU_ACTION_CONTRAST;
        case 'z':
        case 'Z':
                menu_stop_countdown(m);
                return MENU_ACTION_LARGE;
        case 'k':
        case 'K':
                menu_stop_countdown(m);
                return MENU_ACTION_KEYMAP;
        default:
                return MENU_ACTION_NONE;
        }
}

enum menu_action menu_key(struct menu *m, const struct key_event *ev)
{
        size_t step = page_step(m);

        switch (ev->sym) {
        case KEYSYM_UP:
                return move_to(m, m->selected > 0 ? m->selected - 1 : 0);
        case KEYSYM_DOWN:
                return move_to(m, m->selected + 1);
        case KEYSYM_PAGE_UP:
                return move_to(m, m->selected > step ? m->selected - step : 0);
        case KEYSYM_PAGE_DOWN:
                return move_to(m, m->selected + step);
        case KEYSYM_HOME:
                return move_to(m, 0);
        case KEYSYM_END:
                return move_to(m, m->n_items > 0 ? m->n_items - 1 : 0);
        case KEYSYM_ENTER:
                if (m->n_items == 0)
                        return MENU_ACTION_NONE;
                menu_stop_countdown(m);
                return MENU_ACTION_BOOT;
        case KEYSYM_CHAR:
                return screen_key(m, ev->ch);
        default:
                return MENU_ACTION_NONE;
        }
}

enum menu_action menu_tap(struct menu *m, size_t item)
{
        if (item >= m->n_items)
                return MENU_ACTION_NONE;
        if (item == m->selected) {
                menu_stop_countdown(m);
                return MENU_ACTION_BOOT;
        }
        move_to(m, item);
        return MENU_ACTION_REDRAW;
}

enum menu_action menu_tick(struct menu *m)
{
        if (!m->countdown_active)
                return MENU_ACTION_NONE;
        if (m->countdown > 0)
                m->countdown--;
        if (m->countdown > 0)
                return MENU_ACTION_REDRAW;
        menu_stop_countdown(m);
        return m->n_items > 0 ? MENU_ACTION_BOOT : MENU_ACTION_REDRAW;
}

bool menu_more_above(const struct menu *m)
{
        return m->top > 0 && m->n_items > 0;
}

bool menu_more_below(const struct menu *m)
{
        size_t rows = m->rows > 0 ? m->rows : 1;

        return m->top + rows < m->n_items;
}
