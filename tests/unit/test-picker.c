/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include "menu/picker.h"

static enum picker_action k(struct picker *p, enum key_sym sym)
{
        struct key_event ev = {.sym = sym};

        return picker_key(p, &ev);
}

TEST(picker_moves_and_window_follows)
{
        struct picker p;

        picker_init(&p, 10, 7, 4);
        CHECK_INTEQ(p.selected, 7);
        CHECK(p.top <= 7 && 7 < p.top + 4);
        CHECK_INTEQ(k(&p, KEYSYM_HOME), PICKER_REDRAW);
        CHECK_INTEQ(p.selected, 0);
        CHECK_INTEQ(p.top, 0);
        CHECK_INTEQ(k(&p, KEYSYM_UP), PICKER_REDRAW);
        CHECK_INTEQ(p.selected, 0);
        for (int i = 0; i < 4; i++)
                k(&p, KEYSYM_DOWN);
        CHECK_INTEQ(p.selected, 4);
        CHECK_INTEQ(p.top, 1);
        k(&p, KEYSYM_PAGE_DOWN);
        CHECK_INTEQ(p.selected, 7);
        k(&p, KEYSYM_END);
        CHECK_INTEQ(p.selected, 9);
        CHECK_INTEQ(p.top, 6);
        k(&p, KEYSYM_PAGE_UP);
        CHECK_INTEQ(p.selected, 6);
        picker_set_rows(&p, 20);
        CHECK_INTEQ(p.top, 0);
}

TEST(picker_choose_and_cancel)
{
        struct picker p;
        struct key_event q = {.sym = KEYSYM_CHAR, .ch = 'q'}, x = {.sym = KEYSYM_CHAR, .ch = 'x'};

        picker_init(&p, 3, 99, 0);
        CHECK_INTEQ(p.selected, 2);
        CHECK_INTEQ(p.rows, 1);
        CHECK_INTEQ(k(&p, KEYSYM_ENTER), PICKER_CHOOSE);
        CHECK_INTEQ(k(&p, KEYSYM_ESCAPE), PICKER_CANCEL);
        CHECK_INTEQ(picker_key(&p, &q), PICKER_CANCEL);
        CHECK_INTEQ(picker_key(&p, &x), PICKER_NONE);
        picker_init(&p, 0, 0, 5);
        CHECK_INTEQ(k(&p, KEYSYM_DOWN), PICKER_REDRAW);
        CHECK_INTEQ(p.selected, 0);
        CHECK_INTEQ(k(&p, KEYSYM_ENTER), PICKER_CANCEL);
}
