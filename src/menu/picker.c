/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "picker.h"

#include "../core/util.h"

/* Moves top so that the selection is inside the window. */
static void follow(struct picker *p)
{
        if (p->selected < p->top)
                p->top = p->selected;
        else if (p->selected >= p->top + p->rows)
                p->top = p->selected + 1 - p->rows;
        if (p->n > p->rows && p->top > p->n - p->rows)
                p->top = p->n - p->rows;
        if (p->n <= p->rows)
                p->top = 0;
}

void picker_init(struct picker *p, size_t n, size_t selected, size_t rows)
{
        *p = (struct picker){
                .n = n, .selected = n ? MIN(selected, n - 1) : 0, .rows = MAX(rows, 1u)};
        follow(p);
}

void picker_set_rows(struct picker *p, size_t rows)
{
        p->rows = MAX(rows, 1u);
        follow(p);
}

static void move(struct picker *p, long delta)
{
        long s = (long) p->selected + delta;

        if (p->n == 0)
                return;
        p->selected = s < 0 ? 0 : MIN((size_t) s, p->n - 1);
        follow(p);
}

enum picker_action picker_key(struct picker *p, const struct key_event *ev)
{
        long page = (long) (p->rows > 1 ? p->rows - 1 : 1);

        switch (ev->sym) {
        case KEYSYM_UP:
                move(p, -1);
                return PICKER_REDRAW;
        case KEYSYM_DOWN:
                move(p, 1);
                return PICKER_REDRAW;
        case KEYSYM_PAGE_UP:
                move(p, -page);
                return PICKER_REDRAW;
        case KEYSYM_PAGE_DOWN:
                move(p, page);
                return PICKER_REDRAW;
        case KEYSYM_HOME:
                move(p, -(long) p->n);
                return PICKER_REDRAW;
        case KEYSYM_END:
                move(p, (long) p->n);
                return PICKER_REDRAW;
        case KEYSYM_ENTER:
                return p->n ? PICKER_CHOOSE : PICKER_CANCEL;
        case KEYSYM_ESCAPE:
                return PICKER_CANCEL;
        case KEYSYM_CHAR:
                return ev->ch == 'q' || ev->ch == 'Q' ? PICKER_CANCEL : PICKER_NONE;
        default:
                return PICKER_NONE;
        }
}
