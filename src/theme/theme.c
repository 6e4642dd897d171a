/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The model of a theme: components and themes with GRUB's defaults, the built-in theme, and the
 * resolution of positions and of the scale at a screen size. The parser (theme-parse.c) fills
 * it. */
#include "theme.h"

#include "layout.h"

#include "../core/util.h"

/* ---- Components and themes
 * ------------------------------------------------------------------------ */

void theme_component_free(struct theme_component *c)
{
        if (!c)
                return;
        for (size_t i = 0; i < c->n_children; i++)
                theme_component_free(c->children[i]);
        free(c->children);
        free(c->id);
        free(c->text);
        free(c->font);
        free(c->file);
        free(c->tick_file);
        free(c->bar_style);
        free(c->highlight_style);
        free(c->menu.item_font);
        free(c->menu.selected_item_font);
        free(c->menu.menu_pixmap_style);
        free(c->menu.item_pixmap_style);
        free(c->menu.selected_item_pixmap_style);
        free(c->menu.scrollbar_frame);
        free(c->menu.scrollbar_thumb);
        free(c);
}

struct theme_component *theme_component_new(enum theme_component_type type, unsigned line)
{
        struct theme_component *c = calloc(1, sizeof(*c));

        if (!c)
                return NULL;
        c->type = type;
        c->line = line;
        c->visible = true;
        c->show_text = true;
        c->num_ticks = 64;
        c->start_angle = -64;
        c->color = THEME_ARGB(255, 0, 0, 0);
        c->text_color = THEME_ARGB(255, 0, 0, 0);
        c->border_color = THEME_ARGB(255, 0, 0, 0);
        c->bg_color = THEME_ARGB(255, 128, 128, 128);
        c->fg_color = THEME_ARGB(255, 200, 200, 200);
        c->menu = (struct theme_boot_menu){
                .item_color = THEME_ARGB(255, 0, 0, 0),
                .icon_width = 32,
                .icon_height = 32,
                .item_icon_space = 4,
                .item_height = 42,
                .item_padding = 14,
                .item_spacing = 16,
                .scrollbar = true,
                .scrollbar_width = 16,
                .scrollbar_slice = THEME_SLICE_EAST,
                .scrollbar_left_pad = 2,
        };
        return c;
}

int theme_component_add(struct theme_component *parent, struct theme_component *child)
{
        int r = UTIL_GROW(parent->children, parent->cap_children, parent->n_children + 1);

        if (r < 0)
                return r;
        parent->children[parent->n_children++] = child;
        return 0;
}

bool theme_component_is_container(const struct theme_component *c)
{
        return c->type == THEME_CANVAS || c->type == THEME_HBOX || c->type == THEME_VBOX;
}

struct theme *theme_free(struct theme *t)
{
        if (!t)
                return NULL;
        if (t->root_fd >= 0)
                close(t->root_fd);
        free(t->dir);
        free(t->file);
        free(t->title_text);
        free(t->title_font);
        free(t->message_font);
        free(t->desktop_image);
        free(t->terminal_box);
        free(t->terminal_font);
        theme_component_free(t->root);
        free(t);
        return NULL;
}

struct theme *theme_new_empty(void)
{
        struct theme *t = calloc(1, sizeof(*t));

        if (!t)
                return NULL;
        t->root_fd = -1;
        t->root = theme_component_new(THEME_CANVAS, 0);
        t->title_text = strdup("");
        if (!t->root || !t->title_text)
                return theme_free(t);
        t->root->width = t->root->height = (struct theme_pos){.pct = 100, .set = true};
        t->title_color = THEME_ARGB(255, 0, 0, 0);
        t->desktop_color = THEME_ARGB(255, 255, 255, 255);
        t->desktop_image_h_align = THEME_ALIGN_CENTER;
        t->desktop_image_v_align = THEME_ALIGN_CENTER;
        t->scale_percent = 100;
        t->terminal_border = 3; /* GRUB's view.c */
        return t;
}

/* ---- Positions and scale
 * ----------------------------------------------------------------------------- */

int theme_scale_percent(const struct theme *t, int screen_height, int display_scale)
{
        long long s, d = display_scale > 0 ? display_scale : 100;

        if (!t)
                s = d;
        else if (t->scale_auto)
                s = MAX(MAX(100LL, (long long) screen_height * 100 / 1080), d);
        else
                s = (t->scale_percent > 0 ? t->scale_percent : 100) * d / 100;
        return (int) MIN(MAX(s, 10LL), 1000LL);
}

/* mm_w / mm_h within 20 % of w / h: |mm_w * h - w * mm_h| <= 20 % of w * mm_h. */
static bool aspect_matches(long long w, long long h, long long mm_w, long long mm_h)
{
        long long a = mm_w * h, b = w * mm_h;

        return (a > b ? a - b : b - a) * 5 <= b;
}

int theme_display_scale(int w, int h, int mm_w, int mm_h)
{
        long long dpi_x100, s, limit;

        if (w <= 0 || h <= 0 || mm_w < 100 || mm_h < 50 || mm_w > 1000 || mm_h > 1000)
                return 100;
        if (!aspect_matches(w, h, mm_w, mm_h)) {
                if (!aspect_matches(h, w, mm_w, mm_h))
                        return 100;
                int t = mm_w; /* a rotated panel: its size given the other way round */
                mm_w = mm_h;
                mm_h = t;
        }
        /* dpi (x100) from the mean of both directions' pixels per inch */
        dpi_x100 = ((long long) w * 2540 / mm_w + (long long) h * 2540 / mm_h) / 2;
        s = dpi_x100 / THEME_SCALE_REFERENCE_DPI;
        limit = MIN((long long) MAX(w, h) * 100 / 800, (long long) MIN(w, h) * 100 / 600);
        s = MIN(s, MIN(limit, (long long) THEME_SCALE_MAX));
        s = s / 25 * 25;
        return (int) MAX(s, 100LL);
}

/* GRUB's fixed point (theme_loader.c, gui_canvas.c): the percentage becomes a rounded 16.16
 * fraction, the product is truncated ("70%" of 1000 is 699). */
int theme_pos_resolve(const struct theme_pos *p, int parent, int scale_percent)
{
        return theme_grub_mul(parent, theme_grub_frac(p->pct)) + theme_px(p->px, scale_percent);
}

/* ---- The built-in theme --------------------------------------------------------------------- */

static const char default_theme[] =
        "# kexec-loader's built-in theme: colours only, no files.\n"
        "title-text: \"\"\n"
        "desktop-color: \"#16191f\"\n"
        "terminal-font: \"DejaVu Sans Mono 16\"\n"
        "terminal-left: \"6%\"\n"
        "terminal-top: \"10%\"\n"
        "terminal-width: \"88%\"\n"
        "terminal-height: \"80%\"\n"
        "x-kexec-scale: \"auto\"\n"
        "+ label { left = 6% top = 5% width = 50% height = 32 text = \"kexec-loader\"\n"
        "          font = \"DejaVu Sans Bold 24\" color = \"#e8eaed\" }\n"
        "+ boot_menu {\n"
        "        left = 20% top = 16% width = 60% height = 56%\n"
        "        item_font = \"DejaVu Sans Regular 20\"\n"
        "        item_color = \"#aab2bf\" selected_item_color = \"#ffffff\"\n"
        "        icon_width = 0 icon_height = 0 item_icon_space = 16\n"
        "        item_height = 44 item_padding = 8 item_spacing = 6\n"
        "        scrollbar_width = 6 scrollbar_slice = center\n"
        "}\n"
        "+ progress_bar { id = \"__timeout__\" left = 20% top = 86% width = 60% height = 28\n"
        "        fg_color = \"#2e4466\" bg_color = \"#1e232c\" border_color = \"#2a2f3a\"\n"
        "        text_color = \"#aab2bf\" font = \"DejaVu Sans Regular 16\"\n"
        "        text = \"@TIMEOUT_NOTIFICATION_LONG@\" }\n"
        "+ label { left = 0 top = 100%-48 width = 100% height = 24 align = \"center\"\n"
        "        color = \"#7f8896\" font = \"DejaVu Sans Regular 16\"\n"
        "        text = \"Press enter to boot, `e' to edit, `l' to list the devices, `s' for a "
        "command-line, `r' to read the disks again.\" }\n";

struct theme *theme_new_default(void)
{
        struct theme *t = NULL;
        struct theme_component *menu = NULL;

        if (theme_parse(default_theme, sizeof(default_theme) - 1, NULL, "(built-in theme)", &t,
                        NULL) < 0)
                return NULL;
        for (size_t i = 0; i < t->root->n_children; i++)
                if (t->root->children[i]->type == THEME_BOOT_MENU)
                        menu = t->root->children[i];
        if (menu) {
                /* What theme files draw with pixmaps, the built-in theme draws with colours. */
                menu->menu.selected_item_bg = THEME_ARGB(255, 0x2e, 0x34, 0x40);
                menu->menu.selected_item_accent = THEME_ARGB(255, 0x5e, 0x81, 0xac);
                menu->menu.scrollbar_color = THEME_ARGB(255, 0x4c, 0x56, 0x6a);
        }
        return t;
}
