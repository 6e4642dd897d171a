/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "pair.h"

#include <stdlib.h>

#include "../core/util.h"

struct ui_pair {
        struct ui ui;
        struct ui *member[2];
};

static struct ui_pair *to_pair(struct ui *ui)
{
        return ui->data;
}

static unsigned pair_menu_rows(struct ui *ui, const struct ui_view *v)
{
        struct ui_pair *p = to_pair(ui);

        return MIN(p->member[0]->ops->menu_rows(p->member[0], v),
                   p->member[1]->ops->menu_rows(p->member[1], v));
}

static unsigned pair_pager_rows(struct ui *ui)
{
        struct ui_pair *p = to_pair(ui);

        return MIN(p->member[0]->ops->pager_rows(p->member[0]),
                   p->member[1]->ops->pager_rows(p->member[1]));
}

static void pair_render(struct ui *ui, const struct ui_view *v)
{
        for (size_t i = 0; i < 2; i++)
                to_pair(ui)->member[i]->ops->render(to_pair(ui)->member[i], v);
}

static void pair_resize(struct ui *ui)
{
        for (size_t i = 0; i < 2; i++)
                to_pair(ui)->member[i]->ops->resize(to_pair(ui)->member[i]);
}

static void pair_release(struct ui *ui)
{
        for (size_t i = 0; i < 2; i++)
                to_pair(ui)->member[i]->ops->release(to_pair(ui)->member[i]);
}

static void pair_free(struct ui *ui)
{
        struct ui_pair *p = to_pair(ui);

        for (size_t i = 0; i < 2; i++)
                p->member[i]->ops->free(p->member[i]);
        free(p);
}

/* -EOPNOTSUPP when no member has the entry, else the first error, else 0. */
static int pair_set_theme(struct ui *ui, const struct theme_location *loc, struct diag_list *diags)
{
        int ret = -EOPNOTSUPP;

        for (size_t i = 0; i < 2; i++) {
                int r = ui_set_theme(to_pair(ui)->member[i], loc, diags);

                if (r != -EOPNOTSUPP && (ret == -EOPNOTSUPP || ret >= 0))
                        ret = r;
        }
        return ret;
}

/* 1 when a member's screens changed; -EOPNOTSUPP when no member follows hotplug. */
static int pair_hotplug(struct ui *ui)
{
        int ret = -EOPNOTSUPP;

        for (size_t i = 0; i < 2; i++) {
                int r = ui_hotplug(to_pair(ui)->member[i]);

                if (r == -EOPNOTSUPP)
                        continue;
                if (ret == -EOPNOTSUPP || (ret >= 0 && (r < 0 || r > ret)))
                        ret = r;
        }
        return ret;
}

/* The first member that can tell (the graphical one: the text one cannot). */
static int pair_hit_test(struct ui *ui, const struct ui_view *v, unsigned x, unsigned y,
                         size_t *item)
{
        for (size_t i = 0; i < 2; i++) {
                int r = ui_hit_test(to_pair(ui)->member[i], v, x, y, item);

                if (r != -EOPNOTSUPP)
                        return r;
        }
        return -EOPNOTSUPP;
}

/* The first member that can tell (the graphical one). */
static int pair_menu_clipped(struct ui *ui, const struct ui_view *v)
{
        for (size_t i = 0; i < 2; i++) {
                int r = ui_menu_clipped(to_pair(ui)->member[i], v);

                if (r != -EOPNOTSUPP)
                        return r;
        }
        return -EOPNOTSUPP;
}

/* -EOPNOTSUPP when no member has it, else the first error, else 0. */
static int pair_set_scale(struct ui *ui, int scale)
{
        int ret = -EOPNOTSUPP;

        for (size_t i = 0; i < 2; i++) {
                int r = ui_set_scale(to_pair(ui)->member[i], scale);

                if (r != -EOPNOTSUPP && (ret == -EOPNOTSUPP || ret >= 0))
                        ret = r;
        }
        return ret;
}

/* Both members' screens. */
static size_t pair_screens(struct ui *ui, struct ui_screen_info *out, size_t max)
{
        size_t n = 0;

        for (size_t i = 0; i < 2; i++)
                n += ui_screens(to_pair(ui)->member[i], out + n, max - n);
        return n;
}

static const struct ui_ops pair_ops = {
        .name = "pair",
        .menu_rows = pair_menu_rows,
        .pager_rows = pair_pager_rows,
        .render = pair_render,
        .resize = pair_resize,
        .release = pair_release,
        .free = pair_free,
        .set_theme = pair_set_theme,
        .hotplug = pair_hotplug,
        .hit_test = pair_hit_test,
        .menu_clipped = pair_menu_clipped,
        .set_scale = pair_set_scale,
        .screens = pair_screens,
};

int ui_pair_new(struct ui *first, struct ui *second, struct ui **ret)
{
        struct ui_pair *p = calloc(1, sizeof(*p));

        if (!p) {
                first->ops->free(first);
                second->ops->free(second);
                return -ENOMEM;
        }
        *p = (struct ui_pair){.member = {first, second}};
        p->ui = (struct ui){.ops = &pair_ops, .data = p};
        *ret = &p->ui;
        return 0;
}
