/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "pager.h"

int pager_open(struct pager *p, const char *title)
{
        free(p->title);
        lines_clear(&p->lines);
        p->top = 0;
        p->title = title ? strdup(title) : NULL;
        return !title || p->title ? 0 : -ENOMEM;
}

void pager_done(struct pager *p)
{
        free(p->title);
        lines_clear(&p->lines);
        *p = (struct pager){0};
}

void pager_set_rows(struct pager *p, size_t rows)
{
        p->rows = MAX(rows, (size_t) 1);
}

enum pager_action pager_key(struct pager *p, const struct key_event *ev)
{
        size_t page = MAX(p->rows, (size_t) 1);
        size_t max_top = p->lines.n > page ? p->lines.n - page : 0;

        switch (ev->sym) {
        case KEYSYM_ESCAPE:
        case KEYSYM_ENTER:
                return PAGER_ACTION_CLOSE;
        case KEYSYM_CHAR:
                return ev->ch == 'q' || ev->ch == 'Q' ? PAGER_ACTION_CLOSE : PAGER_ACTION_NONE;
        case KEYSYM_UP:
                if (p->top > 0)
                        p->top--;
                break;
        case KEYSYM_DOWN:
                p->top++;
                break;
        case KEYSYM_PAGE_UP:
                p->top = p->top > page ? p->top - page : 0;
                break;
        case KEYSYM_PAGE_DOWN:
                p->top += page;
                break;
        case KEYSYM_HOME:
                p->top = 0;
                break;
        case KEYSYM_END:
                p->top = max_top;
                break;
        default:
                return PAGER_ACTION_NONE;
        }
        p->top = MIN(p->top, max_top);
        return PAGER_ACTION_REDRAW;
}
