/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Drawing a struct ui_view with a theme: GRUB's layout rules for components and the boot_menu,
 * the other screens in the theme's terminal area, and damage tracking between frames. */
#define LOG_MODULE "theme"
#include "render.h"

#include <limits.h>

#include "../core/fsread.h"
#include "../core/log.h"
#include "../core/utf8.h"
#include "../core/util.h"
#include "../gfx/image.h"
#include "layout.h"

#define TIMEOUT_ID "__timeout__"
#define MIN_SIZE   32 /* GRUB: non-positive sizes become 32 */
#define NOTES_MAX  4
#define DAMAGE_MAX THEME_DAMAGE_MAX

/* Colours of our own screens (pager, shell, boot) and of the message area. */
#define COL_TEXT   THEME_ARGB(255, 0xd8, 0xde, 0xe9)
#define COL_HEADER THEME_ARGB(255, 0xff, 0xff, 0xff)
#define COL_OK     THEME_ARGB(255, 0x8f, 0xd1, 0x8f)
#define COL_ERROR  THEME_ARGB(255, 0xff, 0x6b, 0x6b)
#define COL_DIM    THEME_ARGB(255, 0x9a, 0xa3, 0xb0)
#define COL_PANEL  THEME_ARGB(0xe0, 0x12, 0x15, 0x1a)
#define COL_MSG_BG THEME_ARGB(0xb0, 0x00, 0x00, 0x00)
#define COL_BAR_BG THEME_ARGB(255, 0x2a, 0x2f, 0x3a)
#define COL_BAR_FG THEME_ARGB(255, 0x5e, 0x81, 0xac)
#define COL_CURSOR THEME_ARGB(0xc0, 0xd8, 0xde, 0xe9)

/* ---- Images and boxes, loaded once per renderer --------------------------------------------- */

struct box {
        char *pattern;
        struct gfx_box box;
        bool any; /* at least one piece loaded */
};

/* A component placed on the screen. */
struct placed {
        const struct theme_component *c;
        struct gfx_rect r;
        struct gfx_font *font, *sel_font;
        struct gfx_image img;  /* image components: scaled to r; circular_progress: centre */
        struct gfx_image img2; /* circular_progress: the tick */
        struct box *box_a, *box_b, *box_c, *box_d, *box_e;
        /* Drawn into the static layer (for a boot_menu: its menu box; the items are always
         * drawn on top), rather than on every draw. */
        bool in_layer;
};

struct snapshot {
        bool valid;
        enum ui_screen screen;
        size_t selected, top;
        bool countdown_active;
        unsigned countdown;
        int msg_lines; /* the status lines shown (the selected row's note among them) */
        uint64_t rest; /* hash of everything else shown */
};

struct theme_renderer {
        const struct theme *t;
        struct gfx_fonts *fonts;
        int w, h, scale;

        /* The desktop image, drawn stretched over desktop_rect: the file's pixels, or a scaled
         * copy when that is smaller (a large photo shrunk to the screen). It is only drawn when
         * the static layer is (re)built. */
        struct gfx_image desktop;
        struct gfx_rect desktop_rect;

        /* What does not change with the view, drawn once: the background, and on the menu screen
         * the static components (LAYER_MENU), or the terminal box on the other screens
         * (LAYER_PANEL). A draw copies it and draws the rest on top. */
        struct gfx_canvas layer;
        enum { LAYER_NONE, LAYER_MENU, LAYER_PANEL } layer_kind;

        struct placed *placed;
        size_t n_placed, cap_placed;
        struct box **boxes;
        size_t n_boxes, cap_boxes;

        struct gfx_rect panel; /* terminal area: pager, shell, boot */
        struct box *panel_box; /* terminal-box */
        struct gfx_font *term_font, *term_bold, *msg_font, *title_font;

        unsigned countdown_max; /* the largest countdown seen: the progress bars' range */
        struct snapshot prev;

        /* icons/<class>.png of the theme, scaled to the boot_menu's icon size once; a class
         * without a file is remembered as missing (img.w == 0). */
        struct icon {
                char *cls;
                struct gfx_image img;
        } * icons;
        size_t n_icons, cap_icons;

        /* The pixels the theme's images may still have (THEME_IMAGES_MAX_PIXELS together). */
        unsigned long long image_budget;
        bool budget_noted;
        char **noted;            /* the images said under the menu (once each) */
        size_t n_noted;          /* their number (THEME_DIAGS_MAX) */
        struct diag_list *diags; /* while theme_renderer_new() runs, else NULL */
};

static bool rect_hits(const struct gfx_rect *a, const struct gfx_rect *clip)
{
        struct gfx_rect i = gfx_rect_intersect(a, clip);

        return !gfx_rect_empty(&i);
}

static char *theme_path(const struct theme_renderer *r, const char *file)
{
        if (file[0] == '/' || !r->t->dir)
                return strdup(file);
        return util_asprintf("%s/%s", r->t->dir, file);
}

/* Opens a file of the theme: inside the root of its filesystem, a regular file only (a FIFO is
 * never opened, a symlink out of the filesystem resolves inside it). A theme in a trusted host
 * folder (the stick's) reads regular host files. A fd, or -errno. */
static int open_file(const struct theme_renderer *r, const char *path)
{
        if (r->t->root_fd >= 0)
                return fsread_open(r->t->root_fd, path, FSREAD_FILE);
        return util_open_regular(path);
}

/* The images of the theme together went over the budget: said once per renderer, with the
 * first image that did not fit. */
static void note_budget(struct theme_renderer *r, unsigned line, const char *path)
{
        log_warn("%s: not drawn, the images of the theme together may have at most %llu pixels",
                 path, (unsigned long long) THEME_IMAGES_MAX_PIXELS);
        if (r->budget_noted || !r->diags)
                return;
        r->budget_noted = true;
        (void) diag_add(r->diags, NULL, r->t->file, line,
                        "%s not drawn: the images of a theme may have at most %llu pixels in all",
                        path, (unsigned long long) THEME_IMAGES_MAX_PIXELS);
}

/* How a theme's image that cannot be shown degrades (the diagnostic's last words). */
enum image_use {
        IMAGE_DESKTOP,   /* the desktop colour instead; GRUB refuses the whole theme */
        IMAGE_COMPONENT, /* nothing instead; GRUB refuses the whole theme */
        IMAGE_PIECE,     /* a box without that piece (a missing one is normal), as in GRUB */
        IMAGE_ICON,      /* no icon (a missing one is normal), as in GRUB */
};

static const char *const image_use_note[] = {
        [IMAGE_DESKTOP] = "the desktop colour is drawn instead (GRUB would not load the theme)",
        [IMAGE_COMPONENT] = "not drawn (GRUB would not load the theme)",
        [IMAGE_PIECE] = "the box is drawn without it, as in GRUB",
        [IMAGE_ICON] = "no icon, as in GRUB",
};

/* An image that cannot be shown: logged, and said once per file under the menu while the
 * renderer is made (icons load while drawing: logged only). A missing box piece or icon is
 * normal (GRUB looks for them) and not reported. */
static void note_image(struct theme_renderer *r, enum image_use use, unsigned line,
                       const char *path, int k, const char *error)
{
        _cleanup_free_ char *msg = NULL;

        if ((use == IMAGE_PIECE || use == IMAGE_ICON) && (k == -ENOENT || k == -FSREAD_ENOTREG))
                return;
        msg = error ? util_asprintf("%s; %s", error, image_use_note[use])
                    : util_asprintf("%s: %s; %s", path, fsread_strerror(k), image_use_note[use]);
        if (line)
                log_warn("%s:%u: %s", r->t->file ? r->t->file : "theme", line, msg ? msg : path);
        else
                log_warn("%s: %s", r->t->file ? r->t->file : "theme", msg ? msg : path);
        if (!r->diags || !msg || r->n_noted > THEME_DIAGS_MAX || strv_contains(r->noted, path))
                return;
        if (r->n_noted++ == THEME_DIAGS_MAX) {
                (void) diag_add(r->diags, NULL, r->t->file, line,
                                "more than %d images cannot be shown: the rest are not reported",
                                THEME_DIAGS_MAX);
                return;
        }
        if (strv_push(&r->noted, path) < 0)
                return;
        (void) diag_add(r->diags, NULL, r->t->file, line, "%s", msg);
}

/* A theme's image (its reader picked by the name's extension, as GRUB picks it), or -errno:
 * reported as note_image() says; the caller draws what use says instead. line: where the theme
 * names it (0: unknown). */
static int load_image(struct theme_renderer *r, const char *file, enum image_use use, unsigned line,
                      struct gfx_image *ret)
{
        _cleanup_free_ char *path = theme_path(r, file), *error = NULL;
        _cleanup_close_ int fd = -1;
        int k;

        *ret = (struct gfx_image){0};
        if (!path)
                return -ENOMEM;
        fd = open_file(r, path);
        if (fd < 0) {
                note_image(r, use, line, file, fd, NULL);
                return fd;
        }
        /* Messages name the file as the theme does (its folder is in the theme's name). */
        k = gfx_image_load_fd(fd, file, &r->image_budget, ret, &error);
        if (k == -E2BIG)
                note_budget(r, line, path);
        else if (k < 0)
                note_image(r, use, line, file, k, error);
        return k;
}

/* The size of an image of the theme from its header (nothing decoded, no budget spent). */
static int image_size(struct theme_renderer *r, const char *file, int *w, int *h)
{
        _cleanup_free_ char *path = theme_path(r, file);
        _cleanup_close_ int fd = -1;

        if (!path)
                return -ENOMEM;
        fd = open_file(r, path);
        if (fd < 0)
                return fd;
        return gfx_image_size_fd(fd, path, w, h, NULL);
}

/* The icon for the first of an item's classes that the theme has, or NULL. */
static const struct gfx_image *icon_for(struct theme_renderer *r, char *const *classes, int w,
                                        int h)
{
        if (!classes || !r->t->dir || w <= 0 || h <= 0)
                return NULL;
        for (char *const *c = classes; *c; c++) {
                struct icon *ic = NULL;

                for (size_t i = 0; i < r->n_icons; i++)
                        if (streq(r->icons[i].cls, *c))
                                ic = &r->icons[i];
                if (!ic) {
                        _cleanup_free_ char *path = NULL;
                        struct gfx_image raw = {0};

                        if (strchr(*c, '/') ||
                            UTIL_GROW(r->icons, r->cap_icons, r->n_icons + 1) < 0)
                                continue;
                        ic = &r->icons[r->n_icons];
                        *ic = (struct icon){.cls = strdup(*c)};
                        if (!ic->cls)
                                continue;
                        r->n_icons++;
                        path = util_asprintf("icons/%s.png", *c);
                        if (path && load_image(r, path, IMAGE_ICON, 0, &raw) >= 0) {
                                if (raw.w == w && raw.h == h)
                                        ic->img = raw;
                                else {
                                        (void) gfx_image_scale(&raw, w, h, &ic->img);
                                        gfx_image_done(&raw);
                                }
                        }
                }
                if (ic->img.w > 0)
                        return &ic->img;
        }
        return NULL;
}

static struct box *get_box(struct theme_renderer *r, const char *pattern, unsigned line)
{
        static const char *const suffix[_GFX_BOX_MAX] = {"nw", "n",  "ne", "w", "c",
                                                         "e",  "sw", "s",  "se"};
        const char *star;
        struct box *b;

        if (isempty(pattern) || !(star = strchr(pattern, '*')))
                return NULL;
        for (size_t i = 0; i < r->n_boxes; i++)
                if (streq(r->boxes[i]->pattern, pattern))
                        return r->boxes[i]->any ? r->boxes[i] : NULL;
        if (UTIL_GROW(r->boxes, r->cap_boxes, r->n_boxes + 1) < 0)
                return NULL;
        b = calloc(1, sizeof(*b));
        if (!b || !(b->pattern = strdup(pattern))) {
                free(b);
                return NULL;
        }
        r->boxes[r->n_boxes++] = b;
        for (int i = 0; i < _GFX_BOX_MAX; i++) {
                _cleanup_free_ char *file = util_asprintf("%.*s%s%s", (int) (star - pattern),
                                                          pattern, suffix[i], star + 1);

                /* Missing pieces are normal (GRUB ignores them). */
                if (file && load_image(r, file, IMAGE_PIECE, line, &b->box.piece[i]) == 0)
                        b->any = true;
        }
        if (!b->any)
                log_debug("no piece of the box \"%s\" loaded", pattern);
        return b->any ? b : NULL;
}

static void box_pads(const struct box *b, int *l, int *t, int *rt, int *bt)
{
        int a, bb, c, d;

        if (!b) {
                a = bb = c = d = 0;
        } else
                gfx_box_pads(&b->box, &a, &bb, &c, &d);
        if (l)
                *l = a;
        if (t)
                *t = bb;
        if (rt)
                *rt = c;
        if (bt)
                *bt = d;
}

/* ---- Fonts ---------------------------------------------------------------------------------- */

static struct gfx_font *get_font(struct theme_renderer *r, const char *name, int px, bool bold,
                                 bool mono)
{
        /* With PF2 fonts an unnamed font is GRUB's default ("Unknown Regular 16": no match). */
        if (!isempty(name) || gfx_fonts_have_pf2(r->fonts))
                return gfx_fonts_get(r->fonts, name, r->scale);
        return gfx_fonts_default(r->fonts, theme_px(px, r->scale), bold, mono);
}

/* ---- Text templates ------------------------------------------------------------------------- */

static const struct {
        const char *name, *text;
} templates[] = {
        {"@TIMEOUT_NOTIFICATION_LONG@", "The highlighted entry will be executed automatically in "
                                        "%ds."},
        {"@TIMEOUT_NOTIFICATION_MIDDLE@", "%ds remaining."},
        {"@TIMEOUT_NOTIFICATION_SHORT@", "%ds"},
        /* GRUB's texts (gui_label.c) with kexec-loader's keys, each as long as GRUB's (a theme
         * sizes its label for them): `e' edits the entry as GRUB's does; the command line is `s'
         * (`c' is the high-contrast key); no ESC (submenus are not entered). */
        {"@KEYMAP_LONG@", "Press enter to boot the selected OS, `e' to edit it, `l' to list the "
                          "devices or `s' for a command-line. `r' to read the disks again."},
        {"@KEYMAP_MIDDLE@", "Press enter to boot the selected OS, `e' to edit the commands before "
                            "booting or `s' for a command-line."},
        {"@KEYMAP_SHORT@", "enter: boot, `e': options, `s': cmd-line"},
};

/* The text a template name stands for, or the text itself. */
static const char *template_of(const char *text)
{
        for (size_t i = 0; text && i < ARRAY_SIZE(templates); i++)
                if (streq(text, templates[i].name))
                        return templates[i].text;
        return text ? text : "";
}

/* Expands a label's template: @NAME@ texts, then %d (the seconds left) and %%; any other
 * conversion makes the text empty (as GRUB's grub_printf_fmt_check). */
static void expand_text(const char *text, bool is_timeout, unsigned seconds, char *out, size_t size)
{
        size_t n = 0;

        out[0] = 0;
        if (!text) {
                if (is_timeout)
                        snprintf(out, size, "%u", seconds);
                return;
        }
        for (size_t i = 0; i < ARRAY_SIZE(templates); i++)
                if (streq(text, templates[i].name)) {
                        text = templates[i].text;
                        break;
                }
        for (const char *p = text; *p && n + 12 < size; p++) {
                if (*p != '%') {
                        out[n++] = *p;
                        continue;
                }
                if (p[1] == '%') {
                        out[n++] = '%';
                        p++;
                } else if (p[1] == 'd') {
                        n += (size_t) snprintf(out + n, size - n, "%u", seconds);
                        p++;
                } else {
                        out[0] = 0;
                        return;
                }
        }
        out[n] = 0;
}

static bool is_timeout(const struct theme_component *c)
{
        return c->id && streq(c->id, TIMEOUT_ID);
}

/* ---- boot_menu geometry (GRUB's gui_list.c) ------------------------------------------------- */

struct menu_geom {
        struct theme_list_in in; /* in the component's coordinates */
        struct theme_list_geom g;
        int rows; /* GRUB's visible rows, at least 1 (the menu model needs a row) */
};

static bool is_menu(const struct placed *p)
{
        return p->c->type == THEME_BOOT_MENU && p->c->visible;
}

static struct theme_pads pads_of(const struct box *b)
{
        struct theme_pads t;

        box_pads(b, &t.l, &t.t, &t.r, &t.b);
        return t;
}

/* GRUB 2.06 draws a progress bar with pixmaps (draw_pixmap_bar) as soon as the theme sets
 * bar_style or highlight_style; the one not set (or whose pieces do not load) is an empty box:
 * no pads, nothing drawn. So a bar_style without highlight_style never shows the time gone, and
 * the colours (draw_filled_rect_bar) are only for a bar with neither. */
static bool bar_pixmaps(const struct theme_component *c)
{
        return c->bar_style || c->highlight_style;
}

/* grub_font_get_descent(): the text's height below the baseline, without the line's leading. */
static int font_descent(struct gfx_font *f)
{
        return MAX(gfx_font_text_height(f) - gfx_font_ascent(f), 0);
}

/* The boot_menu's numbers for theme/layout.c (GRUB's gui_list.c). */
static void menu_input(const struct theme_renderer *r, const struct placed *p, int w, int h,
                       size_t n_items, size_t first, struct theme_list_in *in)
{
        const struct theme_boot_menu *m = &p->c->menu;

        *in = (struct theme_list_in){
                .w = w,
                .h = h,
                .menu = pads_of(p->box_a),
                .item = pads_of(p->box_b),
                .sel = pads_of(p->box_c),
                .frame = pads_of(p->box_d),
                .thumb = pads_of(p->box_e),
                .item_height = theme_px(m->item_height, r->scale),
                .item_padding = theme_px(m->item_padding, r->scale),
                .item_spacing = theme_px(m->item_spacing, r->scale),
                .icon_width = theme_px(m->icon_width, r->scale),
                .icon_height = theme_px(m->icon_height, r->scale),
                .item_icon_space = theme_px(m->item_icon_space, r->scale),
                /* check_scrollbar(): both pixmaps (the built-in theme: its colour) */
                .scrollbar = m->scrollbar && ((p->box_d && p->box_e) || m->scrollbar_color >> 24),
                .thumb_overlay = m->scrollbar_thumb_overlay,
                .scrollbar_width = theme_px(m->scrollbar_width, r->scale),
                .sb_left_pad = theme_px(m->scrollbar_left_pad, r->scale),
                .sb_right_pad = theme_px(m->scrollbar_right_pad, r->scale),
                .sb_top_pad = theme_px(m->scrollbar_top_pad, r->scale),
                .sb_bottom_pad = theme_px(m->scrollbar_bottom_pad, r->scale),
                .slice = m->scrollbar_slice,
                .ascent = p->font ? gfx_font_ascent(p->font) : 0,
                .descent = p->font ? font_descent(p->font) : 0,
                .sel_ascent = p->sel_font ? gfx_font_ascent(p->sel_font) : 0,
                .sel_descent = p->sel_font ? font_descent(p->sel_font) : 0,
                .n_items = (int) MIN(n_items, (size_t) INT_MAX),
                .first = (int) MIN(first, (size_t) INT_MAX),
        };
}

static void menu_geometry(const struct theme_renderer *r, const struct placed *p, size_t n_items,
                          size_t first, struct menu_geom *mg)
{
        menu_input(r, p, p->r.w, p->r.h, n_items, first, &mg->in);
        theme_list_geometry(&mg->in, &mg->g);
        mg->rows = MAX(mg->g.rows, 1);
}

/* The screen rect of visible row i (its item box frame included), clipped to the menu. */
static struct gfx_rect menu_row_rect(const struct placed *p, const struct menu_geom *mg, int i)
{
        const struct theme_list_in *in = &mg->in;
        /* Across the whole menu width: item boxes may stick out of the content. */
        struct gfx_rect row = {
                p->r.x, p->r.y + mg->g.items.y + i * (in->item_height + in->item_spacing), p->r.w,
                MAX(in->item.t, in->sel.t) + in->item_height + MAX(in->item.b, in->sel.b)};

        return gfx_rect_intersect(&row, &p->r);
}

/* ---- Layout --------------------------------------------------------------------------------- */

static int add_placed(struct theme_renderer *r, const struct theme_component *c,
                      const struct gfx_rect *rect)
{
        struct placed *p;

        if (UTIL_GROW(r->placed, r->cap_placed, r->n_placed + 1) < 0)
                return -ENOMEM;
        p = &r->placed[r->n_placed++];
        *p = (struct placed){.c = c, .r = *rect};
        switch (c->type) {
        case THEME_LABEL:
                p->font = get_font(r, c->font, 16, false, false);
                break;
        case THEME_PROGRESS_BAR:
                p->font = get_font(r, c->font, 14, false, false);
                p->box_a = get_box(r, c->bar_style, c->line);
                p->box_b = get_box(r, c->highlight_style, c->line);
                break;
        case THEME_BOOT_MENU:
                p->font = get_font(r, c->menu.item_font, 16, false, false);
                p->sel_font = c->menu.selected_item_font
                                      ? get_font(r, c->menu.selected_item_font, 16, false, false)
                                      : p->font;
                p->box_a = get_box(r, c->menu.menu_pixmap_style, c->line);
                p->box_b = get_box(r, c->menu.item_pixmap_style, c->line);
                p->box_c = c->menu.selected_item_pixmap_style
                                   ? get_box(r, c->menu.selected_item_pixmap_style, c->line)
                                   : p->box_b;
                p->box_d = get_box(r, c->menu.scrollbar_frame, c->line);
                p->box_e = get_box(r, c->menu.scrollbar_thumb, c->line);
                break;
        case THEME_CIRCULAR_PROGRESS: /* the images at their size, as GRUB */
                if (c->file && c->tick_file &&
                    load_image(r, c->file, false, c->line, &p->img) == 0 &&
                    load_image(r, c->tick_file, false, c->line, &p->img2) < 0)
                        gfx_image_done(&p->img);
                break;
        case THEME_IMAGE:
                if (c->file) {
                        struct gfx_image orig;

                        if (load_image(r, c->file, IMAGE_COMPONENT, c->line, &orig) == 0) {
                                if (orig.w == rect->w && orig.h == rect->h)
                                        p->img = orig;
                                else {
                                        (void) gfx_image_scale(&orig, rect->w, rect->h, &p->img);
                                        gfx_image_done(&orig);
                                }
                        }
                }
                break;
        default:
                break;
        }
        return 0;
}

static void min_size(struct theme_renderer *r, const struct theme_component *c, int *w, int *h);

/* The children of an hbox or vbox as theme/layout.c takes them (gui_box.c). NULL: no memory. */
static struct theme_box_child *box_children(struct theme_renderer *r,
                                            const struct theme_component *c)
{
        struct theme_box_child *k = calloc(MAX(c->n_children, (size_t) 1), sizeof(*k));
        bool h = c->type == THEME_HBOX;

        for (size_t i = 0; k && i < c->n_children; i++) {
                const struct theme_component *ch = c->children[i];
                const struct theme_pos *al = h ? &ch->width : &ch->height;
                const struct theme_pos *ac = h ? &ch->height : &ch->width;
                int mw, mh;

                min_size(r, ch, &mw, &mh);
                k[i] = (struct theme_box_child){
                        .px = theme_px(al->px, r->scale),
                        .frac = theme_grub_frac(al->pct),
                        .cross_px = theme_px(ac->px, r->scale),
                        .min_along = h ? mw : mh,
                        .min_across = h ? mh : mw,
                };
        }
        return k;
}

/* A component's minimal size (GRUB's get_minimal_size): a canvas grows a child to it. */
static void min_size(struct theme_renderer *r, const struct theme_component *c, int *w, int *h)
{
        *w = *h = 0;
        switch (c->type) {
        case THEME_LABEL: { /* gui_label.c: the text's width, ascent + descent */
                struct gfx_font *f = get_font(r, c->font, 16, false, false);
                char text[512];

                expand_text(c->text, is_timeout(c), 88, text, sizeof(text));
                *w = gfx_text_width(f, text);
                *h = gfx_font_text_height(f);
                break;
        }
        case THEME_IMAGE:
                /* The natural size, from the header, times the scale (a logo is as large on a
                 * HiDPI panel as on a 96 dpi one): the image is decoded and scaled when
                 * placed. */
                if (c->file) {
                        int iw, ih;

                        if (image_size(r, c->file, &iw, &ih) == 0) {
                                *w = MAX(theme_px(iw, r->scale), 1);
                                *h = MAX(theme_px(ih, r->scale), 1);
                        }
                }
                break;
        case THEME_PROGRESS_BAR: { /* at least 200 x 28, room for the text template */
                struct gfx_font *f = get_font(r, c->font, 14, false, false);
                struct box *bar = get_box(r, c->bar_style, c->line);
                struct box *hl = get_box(r, c->highlight_style, c->line);
                struct theme_pads bp = pads_of(bar), hp = pads_of(hl);
                int tw = 0, th = 0;

                if (c->text) {
                        char text[512];

                        expand_text(c->text, false, 0, text, sizeof(text));
                        /* GRUB measures the template itself ("%ds"), plus ten X */
                        tw = gfx_text_width(f, template_of(c->text)) +
                             gfx_text_width(f, "XXXXXXXXXX");
                        th = gfx_font_height(f);
                }
                theme_bar_min_size(tw, th, bar_pixmaps(c) ? &bp : NULL, bar_pixmaps(c) ? &hp : NULL,
                                   c->highlight_overlay, w, h);
                break;
        }
        case THEME_BOOT_MENU: { /* room for three items of "Typical OS" */
                struct placed tmp = {.c = c};
                struct theme_list_in in;
                int tw;

                tmp.font = get_font(r, c->menu.item_font, 16, false, false);
                tmp.sel_font = c->menu.selected_item_font
                                       ? get_font(r, c->menu.selected_item_font, 16, false, false)
                                       : tmp.font;
                tmp.box_a = get_box(r, c->menu.menu_pixmap_style, c->line);
                tmp.box_b = get_box(r, c->menu.item_pixmap_style, c->line);
                tmp.box_c = c->menu.selected_item_pixmap_style
                                    ? get_box(r, c->menu.selected_item_pixmap_style, c->line)
                                    : tmp.box_b;
                menu_input(r, &tmp, 0, 0, 0, 0, &in);
                tw = MAX(gfx_text_width(tmp.font, "Typical OS"),
                         gfx_text_width(tmp.sel_font, "Typical OS"));
                theme_list_min_size(&in, tw, w, h);
                break;
        }
        case THEME_HBOX:
        case THEME_VBOX: {
                _cleanup_free_ struct theme_box_child *k = box_children(r, c);
                int along = 0, across = 0;

                if (k)
                        theme_box_min_size(k, (int) c->n_children, &along, &across);
                *w = c->type == THEME_HBOX ? along : across;
                *h = c->type == THEME_HBOX ? across : along;
                break;
        }
        default: /* canvas, circular_progress: none */
                break;
        }
}

static int place_children(struct theme_renderer *r, const struct theme_component *parent,
                          const struct gfx_rect *pr);

static int place_at(struct theme_renderer *r, const struct theme_component *c,
                    const struct gfx_rect *rect)
{
        if (theme_component_is_container(c))
                return place_children(r, c, rect);
        return add_placed(r, c, rect);
}

/* A child of a canvas (gui_canvas.c canvas_paint): grown to its minimal size, non-positive sizes
 * become 32, a corner at or past the parent's edge is pulled back, negatives clamp to 0, the
 * size is cut at the parent's edge. */
static int place(struct theme_renderer *r, const struct theme_component *c,
                 const struct gfx_rect *pr, int x, int y, int w, int h)
{
        struct gfx_rect rect;
        int mw, mh;

        min_size(r, c, &mw, &mh);
        w = MAX(w, mw);
        h = MAX(h, mh);
        if (w <= 0)
                w = MIN_SIZE;
        if (h <= 0)
                h = MIN_SIZE;
        if (x >= pr->w)
                x = pr->w - MIN_SIZE;
        if (y >= pr->h)
                y = pr->h - MIN_SIZE;
        x = MAX(x, 0);
        y = MAX(y, 0);
        w = MIN(w, pr->w - x);
        h = MIN(h, pr->h - y);
        rect = (struct gfx_rect){pr->x + x, pr->y + y, MAX(w, 0), MAX(h, 0)};
        return place_at(r, c, &rect);
}

static int place_children(struct theme_renderer *r, const struct theme_component *parent,
                          const struct gfx_rect *pr)
{
        int k;

        if (parent->type == THEME_HBOX || parent->type == THEME_VBOX) {
                /* gui_box.c: one after the other at their own or minimal size, all as wide (or
                 * high) as the largest. */
                _cleanup_free_ struct theme_box_child *b = box_children(r, parent);
                bool hz = parent->type == THEME_HBOX;
                int across;

                if (!b)
                        return -ENOMEM;
                across = theme_box_layout(b, (int) parent->n_children, hz ? pr->w : pr->h);
                for (size_t i = 0; i < parent->n_children; i++) {
                        struct gfx_rect rect = {pr->x + (hz ? b[i].pos : 0),
                                                pr->y + (hz ? 0 : b[i].pos),
                                                hz ? b[i].size : across, hz ? across : b[i].size};

                        k = place_at(r, parent->children[i], &rect);
                        if (k < 0)
                                return k;
                }
                return 0;
        }
        /* Placed (their files read) in the file's order; then the placed components of each
         * child are put in reverse order of the children: a canvas paints its children last
         * first (gui_canvas.c canvas_add puts each new one at the head of its list), so the
         * first in the file is on top. */
        {
                size_t first = r->n_placed;
                _cleanup_free_ size_t *starts = calloc(parent->n_children + 1, sizeof(size_t));
                _cleanup_free_ struct placed *tmp = NULL;

                if (!starts)
                        return -ENOMEM;
                for (size_t i = 0; i < parent->n_children; i++) {
                        const struct theme_component *c = parent->children[i];
                        int x, y, w, h;

                        starts[i] = r->n_placed;
                        w = theme_pos_resolve(&c->width, pr->w, r->scale);
                        h = theme_pos_resolve(&c->height, pr->h, r->scale);
                        x = theme_pos_resolve(&c->left, pr->w, r->scale);
                        y = theme_pos_resolve(&c->top, pr->h, r->scale);
                        k = place(r, c, pr, x, y, w, h);
                        if (k < 0)
                                return k;
                }
                starts[parent->n_children] = r->n_placed;
                if (r->n_placed - first < 2)
                        return 0;
                tmp = malloc((r->n_placed - first) * sizeof(*tmp));
                if (!tmp)
                        return -ENOMEM;
                for (size_t i = parent->n_children, at = 0; i-- > 0;) {
                        size_t len = starts[i + 1] - starts[i];

                        memcpy(tmp + at, r->placed + starts[i], len * sizeof(*tmp));
                        at += len;
                }
                memcpy(r->placed + first, tmp, (r->n_placed - first) * sizeof(*tmp));
        }
        return 0;
}

static void layout_desktop(struct theme_renderer *r)
{
        const struct theme *t = r->t;
        struct gfx_image orig;
        int w = r->w, h = r->h, x, y;

        if (!t->desktop_image ||
            load_image(r, t->desktop_image, IMAGE_DESKTOP, t->desktop_image_line, &orig) < 0)
                return;
        if (orig.w <= 0 || orig.h <= 0) {
                gfx_image_done(&orig);
                return;
        }
        switch (t->desktop_image_scale) {
        case THEME_SCALE_STRETCH:
                break;
        case THEME_SCALE_CROP: /* cover the screen, the overflow cut */
                if ((long long) orig.w * r->h > (long long) orig.h * r->w)
                        w = (int) ((long long) orig.w * r->h / orig.h);
                else
                        h = (int) ((long long) orig.h * r->w / orig.w);
                break;
        case THEME_SCALE_PADDING: /* fit inside, desktop-color around */
                if ((long long) orig.w * r->h > (long long) orig.h * r->w)
                        h = (int) ((long long) orig.h * r->w / orig.w);
                else
                        w = (int) ((long long) orig.w * r->h / orig.h);
                break;
        case THEME_SCALE_FITWIDTH:
                h = (int) ((long long) orig.h * r->w / orig.w);
                break;
        case THEME_SCALE_FITHEIGHT:
                w = (int) ((long long) orig.w * r->h / orig.h);
                break;
        }
        w = MAX(w, 1);
        h = MAX(h, 1);
        x = t->desktop_image_h_align == THEME_ALIGN_LEFT    ? 0
            : t->desktop_image_h_align == THEME_ALIGN_RIGHT ? r->w - w
                                                            : (r->w - w) / 2;
        y = t->desktop_image_v_align == THEME_ALIGN_LEFT    ? 0
            : t->desktop_image_v_align == THEME_ALIGN_RIGHT ? r->h - h
                                                            : (r->h - h) / 2;
        if (t->desktop_image_scale == THEME_SCALE_STRETCH)
                x = y = 0;
        /* Drawing the file's pixels stretched gives the very pixels of a scaled copy (see
         * gfx_draw_image_stretched()): keep whichever is smaller. */
        if ((long long) orig.w * orig.h <= (long long) w * h)
                r->desktop = orig;
        else {
                if (gfx_image_scale(&orig, w, h, &r->desktop) < 0)
                        r->desktop = (struct gfx_image){0};
                gfx_image_done(&orig);
        }
        r->desktop_rect = (struct gfx_rect){x, y, w, h};
}

/* The terminal area (the device list, shell and boot screens) where GRUB puts its terminal
 * (view.c): terminal-left/-top/-width/-height, else 70 % of the screen, centred; at least 80 x 24
 * characters of the terminal font; the terminal-box drawn around it. */
static void layout_panel(struct theme_renderer *r)
{
        const struct theme *t = r->t;
        const struct theme_pos *pos[4] = {&t->terminal_left, &t->terminal_top, &t->terminal_width,
                                          &t->terminal_height};
        int given[4], border = theme_px(t->terminal_border, r->scale);

        for (int i = 0; i < 4; i++)
                given[i] = pos[i]->set ? theme_pos_resolve(pos[i], i % 2 ? r->h : r->w, r->scale)
                                       : INT_MIN;
        theme_terminal_rect(r->w, r->h, given, MAX(gfx_text_width(r->term_font, "M"), 1),
                            MAX(gfx_font_height(r->term_font), 1), &border, &r->panel);
        r->panel_box = get_box(r, t->terminal_box, 0);
        r->panel.w = MAX(r->panel.w, 1);
        r->panel.h = MAX(r->panel.h, 1);
}

int theme_renderer_new(const struct theme *t, struct gfx_fonts *fonts, int w, int h,
                       struct diag_list *diags, struct theme_renderer **ret)
{
        return theme_renderer_new_scaled(t, fonts, w, h, 100, diags, ret);
}

int theme_renderer_scale(const struct theme_renderer *r)
{
        return r ? r->scale : 100;
}

int theme_renderer_new_scaled(const struct theme *t, struct gfx_fonts *fonts, int w, int h,
                              int display_scale, struct diag_list *diags,
                              struct theme_renderer **ret)
{
        struct theme_renderer *r;
        struct gfx_rect screen = {0, 0, w, h};
        int k;

        *ret = NULL;
        if (!t || !fonts || w <= 0 || h <= 0)
                return -EINVAL;
        r = calloc(1, sizeof(*r));
        if (!r)
                return -ENOMEM;
        r->t = t;
        r->fonts = fonts;
        r->w = w;
        r->h = h;
        r->scale = theme_scale_percent(t, h, display_scale);
        r->image_budget = THEME_IMAGES_MAX_PIXELS;
        r->diags = diags;
        layout_desktop(r);
        k = place_children(r, t->root, &screen);
        if (k < 0) {
                theme_renderer_free(r);
                return k;
        }
        r->term_font = get_font(r, t->terminal_font, 16, false, true);
        r->term_bold = t->terminal_font ? r->term_font : get_font(r, NULL, 16, true, true);
        layout_panel(r);
        r->msg_font = get_font(r, t->message_font, 16, false, false);
        r->title_font = get_font(r, t->title_font, 16, false, false);
        r->diags = NULL; /* icons load while drawing: their problems are only logged */
        *ret = r;
        return 0;
}

struct theme_renderer *theme_renderer_free(struct theme_renderer *r)
{
        if (!r)
                return NULL;
        for (size_t i = 0; i < r->n_placed; i++) {
                gfx_image_done(&r->placed[i].img);
                gfx_image_done(&r->placed[i].img2);
        }
        free(r->placed);
        for (size_t i = 0; i < r->n_icons; i++) {
                free(r->icons[i].cls);
                gfx_image_done(&r->icons[i].img);
        }
        free(r->icons);
        for (size_t i = 0; i < r->n_boxes; i++) {
                gfx_box_done(&r->boxes[i]->box);
                free(r->boxes[i]->pattern);
                free(r->boxes[i]);
        }
        free(r->boxes);
        gfx_image_done(&r->desktop);
        gfx_canvas_done(&r->layer);
        strv_free(r->noted);
        free(r);
        return NULL;
}

void theme_renderer_invalidate(struct theme_renderer *r)
{
        if (r)
                r->prev.valid = false;
}

size_t theme_renderer_menu_clipped(struct theme_renderer *r, const struct ui_view *v)
{
        size_t n = v && v->items ? v->n_items : 0, clipped = 0;

        for (size_t i = 0; i < r->n_placed; i++) {
                const struct placed *p = &r->placed[i];
                struct theme_list_row row, sel;
                struct menu_geom g;

                if (!is_menu(p))
                        continue;
                menu_geometry(r, p, n, 0, &g);
                theme_list_row(&g.in, &g.g, 0, false, &row);
                theme_list_row(&g.in, &g.g, 0, true, &sel);
                for (size_t k = 0; k < n; k++) {
                        const char *t = v->items[k].title;
                        int w = p->font ? gfx_text_width(p->font, t) : 0;
                        int ws = p->sel_font ? gfx_text_width(p->sel_font, t) : 0;

                        clipped += w > row.text.w || ws > sel.text.w;
                }
                break;
        }
        return clipped;
}

unsigned theme_renderer_menu_rows(struct theme_renderer *r, const struct ui_view *v)
{
        size_t n = v ? v->n_items : 0;

        for (size_t i = 0; i < r->n_placed; i++)
                if (is_menu(&r->placed[i])) {
                        struct menu_geom g;

                        menu_geometry(r, &r->placed[i], n, 0, &g);
                        return (unsigned) g.rows;
                }
        return 1;
}

int theme_renderer_hit_test(struct theme_renderer *r, const struct ui_view *v, int x, int y,
                            size_t *item)
{
        size_t n = v && v->items ? v->n_items : 0, top = v && v->menu ? v->menu->top : 0;

        if (!v || v->screen != UI_SCREEN_MENU)
                return -ENOENT;
        if (top >= n)
                top = 0; /* as draw_menu() does */
        for (size_t i = 0; i < r->n_placed; i++) {
                const struct placed *p = &r->placed[i];
                struct menu_geom g;
                size_t row;
                int rel, pitch;

                if (!is_menu(p))
                        continue;
                /* Inside the menu box, row i takes its pitch (item height and spacing) around
                 * its item, half the spacing above it: a finger between two rows picks the
                 * nearer one. */
                menu_geometry(r, p, n, top, &g);
                if (x < p->r.x || x >= p->r.x + p->r.w || y < p->r.y || y >= p->r.y + p->r.h)
                        return -ENOENT;
                pitch = MAX(g.in.item_height + g.in.item_spacing, 1);
                rel = y - (p->r.y + g.g.items.y - g.in.item_spacing / 2);
                if (rel < 0 || rel / pitch >= g.rows)
                        return -ENOENT;
                row = (size_t) (rel / pitch);
                if (top + row >= n)
                        return -ENOENT;
                *item = top + row;
                return 0; /* the first boot_menu: the one whose rows the menu model follows */
        }
        return -ENOENT;
}

/* ---- Drawing helpers ------------------------------------------------------------------------ */

static uint32_t with_alpha(uint32_t argb, unsigned a)
{
        return (argb & 0x00ffffffu) | (uint32_t) ((argb >> 24) * a / 255) << 24;
}

static uint32_t style_color(enum line_style s)
{
        switch (s) {
        case LINE_HEADER:
                return COL_HEADER;
        case LINE_OK:
                return COL_OK;
        case LINE_ERROR:
                return COL_ERROR;
        case LINE_NORMAL:
        default:
                return COL_TEXT;
        }
}

/* Text in a box of height h at (x, y), centred vertically. */
static void text_in(struct gfx_canvas *c, struct gfx_font *f, int x, int y, int h, uint32_t col,
                    const char *s, int max_w)
{
        if (isempty(s) || max_w <= 0)
                return;
        gfx_draw_text(c, f, x, y + (h - gfx_font_height(f)) / 2 + gfx_font_ascent(f), col, s,
                      max_w);
}

/* A label (gui_label.c label_paint): aligned in its bounds (from the left when it does not fit),
 * the baseline at the font's ascent, clipped to the bounds. */
static void text_label(struct gfx_canvas *c, struct gfx_font *f, const struct gfx_rect *b,
                       enum theme_align align, uint32_t col, const char *s)
{
        struct gfx_rect save = c->clip;
        int x = 0, tw;

        if (isempty(s))
                return;
        tw = gfx_text_width(f, s);
        if (align == THEME_ALIGN_CENTER)
                x = (b->w - tw) / 2;
        else if (align == THEME_ALIGN_RIGHT)
                x = b->w - tw;
        if (x < 0 || x > b->w)
                x = 0;
        c->clip = gfx_rect_intersect(&save, b);
        if (!gfx_rect_empty(&c->clip))
                gfx_draw_text(c, f, b->x + x, b->y + gfx_font_ascent(f), col, s, 0);
        c->clip = save;
}

/* A small triangle pointing up or down, centred at (cx, cy). */
static void arrow(struct gfx_canvas *c, int cx, int cy, int size, bool up, uint32_t col)
{
        for (int i = 0; i < size; i++) {
                int half = up ? i : size - 1 - i;
                struct gfx_rect row = {cx - half, cy - size / 2 + i, 2 * half + 1, 1};

                gfx_fill(c, &row, col);
        }
}

static bool countdown_shown(const struct ui_view *v)
{
        return v->screen == UI_SCREEN_MENU && v->menu && v->menu->countdown_active;
}

/* ---- Components ----------------------------------------------------------------------------- */

static void draw_label(struct theme_renderer *r, const struct placed *p, const struct ui_view *v,
                       struct gfx_canvas *c)
{
        char text[1024];
        unsigned secs = v->menu ? v->menu->countdown : 0;

        if (!p->c->visible || (is_timeout(p->c) && !countdown_shown(v)))
                return;
        expand_text(p->c->text, is_timeout(p->c), secs, text, sizeof(text));
        text_label(c, p->font, &p->r, p->c->align, p->c->color, text);
}

/* Text with its baseline at (x, y), clipped to rect (GRUB's viewports cut text, with no
 * ellipsis). */
static void text_clipped(struct gfx_canvas *c, struct gfx_font *f, int x, int y, uint32_t col,
                         const char *s, const struct gfx_rect *rect)
{
        struct gfx_rect save = c->clip;

        if (isempty(s))
                return;
        c->clip = gfx_rect_intersect(&save, rect);
        if (!gfx_rect_empty(&c->clip))
                gfx_draw_text(c, f, x, y, col, s, 0);
        c->clip = save;
}

static struct gfx_rect moved(struct gfx_rect a, const struct gfx_rect *by)
{
        a.x += by->x;
        a.y += by->y;
        return a;
}

/* A progress bar at value in start..end (GRUB's gui_progress_bar.c): the styled boxes when
 * bar_pixmaps(), else a border, the background and the foreground; the text (when the theme
 * gives one) centred. */
static void draw_progress(struct theme_renderer *r, const struct placed *p, struct gfx_canvas *c,
                          int start, int value, int end, unsigned secs)
{
        const struct theme_component *pc = p->c;
        struct gfx_rect save = c->clip;

        (void) r;
        if (end == start)
                return; /* GRUB draws no bar without a range */
        c->clip = gfx_rect_intersect(&save, &p->r);
        if (bar_pixmaps(pc)) {
                struct theme_pads bp = pads_of(p->box_a), hp = pads_of(p->box_b);
                struct gfx_rect in = {p->r.x + bp.l, p->r.y + bp.t, p->r.w - bp.l - bp.r,
                                      p->r.h - bp.t - bp.b},
                                hl;

                if (p->box_a)
                        gfx_box_draw(c, &p->box_a->box, &in);
                if (p->box_b && theme_bar_highlight(p->r.w, p->r.h, &bp, &hp, pc->highlight_overlay,
                                                    start, value, end, &hl)) {
                        hl = moved(hl, &p->r);
                        gfx_box_draw(c, &p->box_b->box, &hl);
                }
        } else {
                struct gfx_rect in = {p->r.x + 1, p->r.y + 1, p->r.w - 2, p->r.h - 2};
                int fill = theme_bar_fill(in.w, start, value, end);
                struct gfx_rect bg = {in.x + fill, in.y, in.w - fill, in.h};
                struct gfx_rect fg = {in.x, in.y, fill, in.h};

                gfx_fill(c, &p->r, pc->border_color);
                gfx_fill(c, &bg, pc->bg_color);
                gfx_fill(c, &fg, pc->fg_color);
        }
        /* GRUB 2.06 draws the text whenever there is one (it has no show_text). */
        if (pc->text) {
                char text[1024];
                int x, y;

                expand_text(pc->text, is_timeout(pc), secs, text, sizeof(text));
                theme_bar_text(p->r.w, p->r.h, gfx_text_width(p->font, text),
                               gfx_font_ascent(p->font), font_descent(p->font), &x, &y);
                text_clipped(c, p->font, p->r.x + x, p->r.y + y, pc->text_color, text, &p->r);
        }
        c->clip = save;
}

/* A circular progress (gui_circular_progress.c): the centre image, and the ticks of the time
 * gone (or left, with ticks_disappear) around it. */
static void draw_circular(const struct placed *p, struct gfx_canvas *c, int start, int value,
                          int end)
{
        const struct theme_component *pc = p->c;
        struct gfx_rect save = c->clip;
        unsigned from, to;

        if (!p->img.px || !p->img2.px)
                return; /* GRUB draws nothing unless both images load */
        c->clip = gfx_rect_intersect(&save, &p->r);
        gfx_draw_image(c, &p->img, p->r.x + (p->r.w - p->img.w) / 2,
                       p->r.y + (p->r.h - p->img.h) / 2);
        theme_circle_ticks((unsigned) MAX(pc->num_ticks, 0), pc->ticks_disappear, start, value, end,
                           &from, &to);
        for (unsigned i = from; i < to; i++) {
                int x, y;

                theme_circle_tick_pos(p->r.w, p->r.h, p->img2.w, p->img2.h,
                                      (unsigned) pc->num_ticks, pc->start_angle, i, &x, &y);
                gfx_draw_image(c, &p->img2, p->r.x + x, p->r.y + y);
        }
        c->clip = save;
}

/* The scrollbar (draw_scrollbar()): the frame, the thumb over it, clipped to its room. */
static void draw_scrollbar(const struct placed *p, const struct menu_geom *mg, struct gfx_canvas *c)
{
        const struct theme_boot_menu *m = &p->c->menu;
        struct gfx_rect save = c->clip, clip = moved(mg->g.sb_clip, &p->r);

        c->clip = gfx_rect_intersect(&save, &clip);
        if (!gfx_rect_empty(&c->clip)) {
                if (p->box_d && p->box_e) {
                        struct gfx_rect f = moved(mg->g.sb_frame, &p->r);
                        struct gfx_rect t = moved(mg->g.sb_thumb, &p->r);

                        gfx_box_draw(c, &p->box_d->box, &f);
                        gfx_box_draw(c, &p->box_e->box, &t);
                } else { /* the built-in theme's colours */
                        struct gfx_rect f = moved(mg->g.sb_frame_outer, &p->r);
                        struct gfx_rect t = moved(mg->g.sb_thumb_outer, &p->r);

                        gfx_fill(c, &f, with_alpha(m->scrollbar_color, 80));
                        gfx_fill(c, &t, m->scrollbar_color);
                }
        }
        c->clip = save;
}

/* The menu box (box), and the items, scrollbar or arrows (items) of a boot_menu, placed as
 * GRUB's gui_list.c places them (theme/layout.c). A row that cannot boot looks like any other:
 * the status line says why when it is selected. */
static void draw_menu(struct theme_renderer *r, const struct placed *p, const struct ui_view *v,
                      struct gfx_canvas *c, bool box, bool items)
{
        const struct theme_boot_menu *m = &p->c->menu;
        size_t n = v->items ? v->n_items : 0, top = v->menu ? v->menu->top : 0;
        size_t sel = v->menu ? v->menu->selected : 0;
        uint32_t sel_color = m->selected_item_color_set ? m->selected_item_color : m->item_color;
        struct menu_geom g;

        if (box && p->box_a) {
                int ml, mt, mr, mb;

                box_pads(p->box_a, &ml, &mt, &mr, &mb);
                struct gfx_rect in = {p->r.x + ml, p->r.y + mt, p->r.w - ml - mr, p->r.h - mt - mb};

                gfx_box_draw(c, &p->box_a->box, &in);
        }
        if (!items)
                return;
        if (top >= n)
                top = 0;
        menu_geometry(r, p, n, top, &g);
        if (n == 0 && v->searching) /* the status says so; nothing is known yet */
                return;
        if (n == 0) { /* ours: GRUB has no words for an empty menu */
                struct theme_list_row row;
                struct gfx_rect t;

                theme_list_row(&g.in, &g.g, 0, false, &row);
                t = moved(row.text, &p->r);
                text_clipped(c, p->font, t.x, p->r.y + row.baseline, with_alpha(m->item_color, 160),
                             "No boot entries found", &t);
                return;
        }
        for (int i = 0; i < g.rows && top + (size_t) i < n; i++) {
                const struct ui_menu_item *it = &v->items[top + (size_t) i];
                bool is_sel = top + (size_t) i == sel;
                struct gfx_rect rr = menu_row_rect(p, &g, i), bx, tx;
                struct box *b = is_sel ? p->box_c : p->box_b;
                struct theme_list_row row;
                const struct gfx_image *ic;

                if (!rect_hits(&rr, &c->clip))
                        continue;
                theme_list_row(&g.in, &g.g, i, is_sel, &row);
                bx = moved(row.box, &p->r);
                tx = moved(row.text, &p->r);
                if (b)
                        gfx_box_draw(c, &b->box, &bx);
                if (is_sel && m->selected_item_bg >> 24) { /* the built-in theme's colours */
                        gfx_fill(c, &bx, m->selected_item_bg);
                        if (m->selected_item_accent >> 24) {
                                bx.w = MAX(theme_px(4, r->scale), 2);
                                gfx_fill(c, &bx, m->selected_item_accent);
                        }
                }
                /* icons/<class>.png at icon_width x icon_height; the title keeps its indent
                 * whether or not there is an icon */
                ic = icon_for(r, it->classes, g.in.icon_width, g.in.icon_height);
                if (ic)
                        gfx_draw_image(c, ic, p->r.x + row.icon_x, p->r.y + row.icon_y);
                text_clipped(c, is_sel ? p->sel_font : p->font, tx.x, p->r.y + row.baseline,
                             is_sel ? sel_color : m->item_color, it->title, &tx);
        }
        /* More entries than rows: the scrollbar, else (ours) small arrows. */
        if (g.g.scrollbar) {
                draw_scrollbar(p, &g, c);
        } else if (n > (size_t) g.rows) {
                int s = MAX(theme_px(6, r->scale), 4);
                int cx = p->r.x + p->r.w - 2 * s, pitch = g.in.item_height + g.in.item_spacing;
                int y0 = p->r.y + g.g.items.y + MAX(g.in.item.t, g.in.sel.t);

                if (top > 0)
                        arrow(c, cx, y0 + s, s, true, m->item_color);
                if (top + (size_t) g.rows < n)
                        arrow(c, cx, y0 + (g.rows - 1) * pitch + g.in.item_height - s, s, false,
                              m->item_color);
        }
}

/* Status and notes (diagnostics): under the first menu, else above it, else at the bottom of
 * the screen: the first of these that overlaps no other component. */
static struct gfx_rect message_area(struct theme_renderer *r, const struct ui_view *v, int lines)
{
        int lh = gfx_font_height(r->msg_font), h = lines * lh + lh / 2, margin = lh / 2;
        struct gfx_rect cand[3];
        size_t n = 0;

        for (size_t i = 0; i < r->n_placed; i++)
                if (is_menu(&r->placed[i])) {
                        const struct gfx_rect *m = &r->placed[i].r;

                        if (m->y + m->h + margin + h <= r->h)
                                cand[n++] = (struct gfx_rect){m->x, m->y + m->h + margin, m->w, h};
                        if (m->y - margin - h >= 0)
                                cand[n++] = (struct gfx_rect){m->x, m->y - margin - h, m->w, h};
                        break;
                }
        cand[n++] = (struct gfx_rect){r->w / 20, r->h - h - margin, r->w - r->w / 10, h};
        for (size_t k = 0; k < n; k++) {
                bool free_area = true;

                for (size_t i = 0; i < r->n_placed && free_area; i++) {
                        const struct placed *p = &r->placed[i];

                        if (p->c->visible && !is_menu(p) && rect_hits(&cand[k], &p->r))
                                free_area = false;
                }
                if (free_area)
                        return cand[k];
        }
        return cand[0];
}

/* The note of the selected row, when it cannot boot (or will probably fail): the rows all look
 * alike, this status line says why (ours; GRUB has no such rows). */
static const struct ui_menu_item *selected_note(const struct ui_view *v)
{
        const struct ui_menu_item *it;

        if (v->screen != UI_SCREEN_MENU || !v->menu || !v->items || v->menu->selected >= v->n_items)
                return NULL;
        it = &v->items[v->menu->selected];
        return (!it->bootable || it->warning) && !isempty(it->note) ? it : NULL;
}

static int message_lines(const struct ui_view *v)
{
        return (!isempty(v->status) ? 1 : 0) + (selected_note(v) ? 1 : 0) +
               (v->notes ? (int) MIN(v->n_notes, (size_t) NOTES_MAX) : 0);
}

static void draw_messages(struct theme_renderer *r, const struct ui_view *v, struct gfx_canvas *c)
{
        int n = message_lines(v), lh, y;
        struct gfx_rect a;
        uint32_t col = r->t->message_color_set ? r->t->message_color : COL_TEXT; /* the status */

        if (n == 0)
                return;
        a = message_area(r, v, n);
        if (!rect_hits(&a, &c->clip))
                return;
        lh = gfx_font_height(r->msg_font);
        gfx_fill(c, &a, r->t->message_bg_color_set ? r->t->message_bg_color : COL_MSG_BG);
        y = a.y + lh / 4;
        if (!isempty(v->status)) {
                text_in(c, r->msg_font, a.x + lh / 2, y, lh, col, v->status, a.w - lh);
                y += lh;
        }
        if (selected_note(v)) {
                const struct ui_menu_item *it = selected_note(v);
                _cleanup_free_ char *s =
                        util_asprintf(it->bootable ? "%s" : "Cannot boot: %s", it->note);

                text_in(c, r->msg_font, a.x + lh / 2, y, lh, COL_ERROR, s ? s : it->note, a.w - lh);
                y += lh;
        }
        for (size_t i = 0; v->notes && i < v->n_notes && i < NOTES_MAX; i++, y += lh) {
                char more[128];
                const char *s = v->notes[i].text;

                if (i == NOTES_MAX - 1 && v->n_notes > NOTES_MAX) {
                        snprintf(more, sizeof(more), "\u2026 and %zu more (see the log)",
                                 v->n_notes - i);
                        s = more;
                }
                text_in(c, r->msg_font, a.x + lh / 2, y, lh,
                        v->notes[i].style == LINE_NORMAL ? COL_ERROR
                                                         : style_color(v->notes[i].style),
                        s, a.w - lh);
        }
}

static void draw_background(struct theme_renderer *r, struct gfx_canvas *c)
{
        struct gfx_rect screen = {0, 0, r->w, r->h};

        if (r->desktop.px) {
                if (r->desktop_rect.x > 0 || r->desktop_rect.y > 0 || r->desktop_rect.w < r->w ||
                    r->desktop_rect.h < r->h || !r->desktop.opaque)
                        gfx_fill(c, &screen, r->t->desktop_color | 0xff000000u);
                gfx_draw_image_stretched(c, &r->desktop, &r->desktop_rect);
        } else
                gfx_fill(c, &screen, r->t->desktop_color | 0xff000000u);
}

/* The text of a label or progress bar changes with the seconds left. */
static bool text_varies(const char *text)
{
        char a[1024], b[1024];

        if (!text)
                return false;
        expand_text(text, false, 0, a, sizeof(a));
        expand_text(text, false, 1, b, sizeof(b));
        return !streq(a, b);
}

/* Whether a component draws the same whatever the view (for a boot_menu: its menu box). */
static bool component_static(const struct placed *p)
{
        switch (p->c->type) {
        case THEME_LABEL:
                return !is_timeout(p->c) && !text_varies(p->c->text);
        case THEME_PROGRESS_BAR:
        case THEME_CIRCULAR_PROGRESS:
                return !is_timeout(p->c);
        default:
                return true;
        }
}

/* Whether a component draws something that changes with the view. */
static bool component_dynamic(const struct placed *p)
{
        return !p->in_layer || is_menu(p);
}

/* Where a component may draw: its rect, and for text a line's height above and below (a font
 * taller than the rect overflows it). */
static struct gfx_rect component_extent(const struct placed *p)
{
        struct gfx_rect e = p->r;

        if (p->font && (p->c->type == THEME_LABEL || p->c->type == THEME_PROGRESS_BAR)) {
                int fh = gfx_font_height(p->font);

                e.y -= fh;
                e.h += 2 * fh;
        }
        return e;
}

/* Chooses the components drawn into the static layer. The layer is drawn first and the rest on
 * top, so a static component can only go into it when nothing changing is drawn under it: one
 * that overlaps an earlier component with changing parts is drawn on every draw instead. */
static void classify_components(struct theme_renderer *r)
{
        for (size_t i = 0; i < r->n_placed; i++) {
                struct placed *p = &r->placed[i];

                struct gfx_rect e = component_extent(p);

                p->in_layer = component_static(p);
                for (size_t k = 0; k < i && p->in_layer; k++) {
                        struct gfx_rect ek;

                        if (!component_dynamic(&r->placed[k]))
                                continue;
                        ek = component_extent(&r->placed[k]);
                        if (rect_hits(&e, &ek))
                                p->in_layer = false;
                }
        }
}

/* One component; layer: only what goes into the static layer, else only the rest. */
static void draw_component(struct theme_renderer *r, const struct placed *p,
                           const struct ui_view *v, struct gfx_canvas *c, bool layer, unsigned secs)
{
        switch (p->c->type) {
        case THEME_LABEL:
                draw_label(r, p, v, c);
                break;
        case THEME_IMAGE:
                if (p->c->visible && p->img.px)
                        gfx_draw_image(c, &p->img, p->r.x, p->r.y);
                break;
        case THEME_PROGRESS_BAR:
                /* GRUB gives only the __timeout__ bar a range: the time gone of the countdown */
                if (p->c->visible && is_timeout(p->c) && countdown_shown(v))
                        draw_progress(r, p, c, -(int) MAX(r->countdown_max, 1u), -(int) secs, 0,
                                      secs);
                break;
        case THEME_CIRCULAR_PROGRESS:
                if (p->c->visible && !is_timeout(p->c))
                        draw_circular(p, c, 0, 0, 0);
                else if (p->c->visible && countdown_shown(v))
                        draw_circular(p, c, -(int) MAX(r->countdown_max, 1u), -(int) secs, 0);
                break;
        case THEME_BOOT_MENU:
                if (p->c->visible)
                        draw_menu(r, p, v, c, layer == p->in_layer, !layer);
                break;
        default:
                break;
        }
}

/* The static layer of the menu screen: the background, the title and the static components. */
static void draw_menu_layer(struct theme_renderer *r, struct gfx_canvas *c)
{
        const struct ui_view none = {.screen = UI_SCREEN_MENU};

        classify_components(r);
        draw_background(r, c);
        for (size_t i = 0; i < r->n_placed; i++)
                if (r->placed[i].in_layer)
                        draw_component(r, &r->placed[i], &none, c, true, 0);
        /* The title over the components (view.c draw_title): centred, its baseline 40 pixels
         * plus the ascent from the top. */
        if (!isempty(r->t->title_text))
                gfx_draw_text(c, r->title_font,
                              (r->w - gfx_text_width(r->title_font, r->t->title_text)) / 2,
                              theme_px(40, r->scale) + gfx_font_ascent(r->title_font),
                              r->t->title_color, r->t->title_text, 0);
}

/* The menu screen over its static layer: what changes, clipped to c->clip. */
static void draw_menu_screen(struct theme_renderer *r, const struct ui_view *v,
                             struct gfx_canvas *c)
{
        unsigned secs = v->menu ? v->menu->countdown : 0;

        if (secs > r->countdown_max)
                r->countdown_max = secs;
        for (size_t i = 0; i < r->n_placed; i++) {
                const struct placed *p = &r->placed[i];

                if (component_dynamic(p) && rect_hits(&p->r, &c->clip))
                        draw_component(r, p, v, c, false, secs);
        }
        draw_messages(r, v, c);
}

/* ---- Pager, shell, boot: in the terminal area ----------------------------------------------- */

struct panel_layout {
        struct gfx_rect in; /* text area */
        int lh;             /* line height */
        int header_y;       /* product/system line */
        int title_y;
        int body_y, body_rows;
        int footer_y;
};

static void panel_layout(const struct theme_renderer *r, bool footer, struct panel_layout *pl)
{
        int lh = MAX(gfx_font_height(r->term_font), 1), pad = lh / 2;

        pl->lh = lh;
        pl->in = (struct gfx_rect){r->panel.x + pad, r->panel.y + pad, r->panel.w - 2 * pad,
                                   r->panel.h - 2 * pad};
        pl->header_y = pl->in.y;
        pl->title_y = pl->in.y + lh + pad;
        pl->body_y = pl->title_y + lh + pad;
        pl->footer_y = pl->in.y + pl->in.h - lh;
        pl->body_rows = ((footer ? pl->footer_y - pad : pl->in.y + pl->in.h) - pl->body_y) / lh;
        pl->body_rows = MAX(pl->body_rows, 1);
}

unsigned theme_renderer_pager_rows(struct theme_renderer *r)
{
        struct panel_layout pl;

        panel_layout(r, true, &pl);
        return (unsigned) pl.body_rows;
}

/* The static layer of the other screens: the background and the terminal box. */
static void draw_panel_layer(struct theme_renderer *r, struct gfx_canvas *c)
{
        draw_background(r, c);
        if (r->panel_box)
                gfx_box_draw(c, &r->panel_box->box, &r->panel);
        else
                gfx_fill(c, &r->panel, COL_PANEL);
}

/* The header line in the terminal box (the box itself is in the static layer). */
static void draw_panel_frame(struct theme_renderer *r, const struct ui_view *v,
                             struct gfx_canvas *c, const struct panel_layout *pl)
{
        text_in(c, r->term_font, pl->in.x, pl->header_y, pl->lh, COL_DIM, v->product, pl->in.w / 2);
        if (!isempty(v->system)) {
                int tw = gfx_text_width(r->term_font, v->system);

                if (tw < pl->in.w / 2)
                        text_in(c, r->term_font, pl->in.x + pl->in.w - tw, pl->header_y, pl->lh,
                                COL_DIM, v->system, tw + 1);
        }
}

static void draw_pager(struct theme_renderer *r, const struct ui_view *v, struct gfx_canvas *c)
{
        struct panel_layout pl;
        size_t n = v->pager_lines ? v->n_pager_lines : 0, top = v->pager_top;
        int rows, s;

        panel_layout(r, true, &pl);
        draw_panel_frame(r, v, c, &pl);
        rows = pl.body_rows;
        if (n <= (size_t) rows)
                top = 0;
        else if (top > n - (size_t) rows)
                top = n - (size_t) rows;
        text_in(c, r->term_bold, pl.in.x, pl.title_y, pl.lh, COL_HEADER, v->pager_title,
                pl.in.w - 3 * pl.lh);
        for (int i = 0; i < rows && top + (size_t) i < n; i++) {
                const struct line *l = &v->pager_lines[top + (size_t) i];

                text_in(c, l->style == LINE_HEADER ? r->term_bold : r->term_font, pl.in.x,
                        pl.body_y + i * pl.lh, pl.lh, style_color(l->style), l->text,
                        pl.in.w - 2 * pl.lh);
        }
        text_in(c, r->term_font, pl.in.x, pl.footer_y, pl.lh, COL_DIM, v->pager_hint,
                pl.in.w - 3 * pl.lh);
        s = MAX(pl.lh / 4, 3);
        if (top > 0)
                arrow(c, pl.in.x + pl.in.w - s, pl.body_y + pl.lh / 2, s, true, COL_TEXT);
        if (top + (size_t) rows < n)
                arrow(c, pl.in.x + pl.in.w - s, pl.body_y + (rows - 1) * pl.lh + pl.lh / 2, s,
                      false, COL_TEXT);
}

/* The pixel x of column col of a rendered line. */
static int column_x(struct gfx_font *f, const char *s, unsigned col)
{
        size_t off = 0, len = strlen(s);
        char buf[1024];

        for (unsigned i = 0; i < col && off < len; i++) {
                uint32_t cp;
                size_t k = utf8_decode(s + off, len - off, &cp);

                off += k ? k : 1;
        }
        off = MIN(off, sizeof(buf) - 1);
        memcpy(buf, s, off);
        buf[off] = 0;
        return gfx_text_width(f, buf);
}

static void draw_shell(struct theme_renderer *r, const struct ui_view *v, struct gfx_canvas *c)
{
        struct panel_layout pl;
        size_t n = v->shell_lines ? v->n_shell_lines : 0, from;
        int rows, prompt_y, pw, cw, x;

        panel_layout(r, false, &pl);
        draw_panel_frame(r, v, c, &pl);
        prompt_y = pl.in.y + pl.in.h - pl.lh;
        rows = (prompt_y - pl.title_y) / pl.lh;
        rows = MAX(rows, 0);
        from = n > (size_t) rows ? n - (size_t) rows : 0;
        for (size_t i = from; i < n; i++)
                text_in(c, r->term_font, pl.in.x, prompt_y - (int) (n - i) * pl.lh, pl.lh,
                        style_color(v->shell_lines[i].style), v->shell_lines[i].text, pl.in.w);
        pw = v->shell_prompt ? gfx_text_width(r->term_font, v->shell_prompt) : 0;
        text_in(c, r->term_font, pl.in.x, prompt_y, pl.lh, COL_HEADER, v->shell_prompt, pl.in.w);
        cw = MAX(gfx_text_width(r->term_font, "M"), 1);
        x = pl.in.x + pw;
        if (v->shell_edit && pl.in.w - pw > cw) {
                unsigned cols = (unsigned) ((pl.in.w - pw) / cw) - 1, cursor = 0;
                size_t size = (size_t) cols * 4 + 8;
                _cleanup_free_ char *text = malloc(size);

                if (text) {
                        lineedit_render(v->shell_edit, cols, text, size, &cursor);
                        text_in(c, r->term_font, x, prompt_y, pl.lh, COL_TEXT, text, pl.in.w - pw);
                        x += column_x(r->term_font, text, cursor);
                }
        }
        {
                struct gfx_rect cur = {x, prompt_y, cw, pl.lh};

                gfx_fill(c, &cur, COL_CURSOR);
        }
}

static void draw_boot(struct theme_renderer *r, const struct ui_view *v, struct gfx_canvas *c)
{
        struct panel_layout pl;
        size_t n = v->boot_lines ? v->n_boot_lines : 0, from;
        int rows, bar_h;
        struct gfx_rect bar, seg;

        panel_layout(r, true, &pl);
        draw_panel_frame(r, v, c, &pl);
        text_in(c, r->term_bold, pl.in.x, pl.title_y, pl.lh, COL_HEADER, v->boot_title, pl.in.w);
        rows = pl.body_rows;
        from = n > (size_t) rows ? n - (size_t) rows : 0;
        for (size_t i = from; i < n; i++)
                text_in(c, r->term_font, pl.in.x, pl.body_y + (int) (i - from) * pl.lh, pl.lh,
                        style_color(v->boot_lines[i].style), v->boot_lines[i].text, pl.in.w);
        /* No fraction is known: an indeterminate bar whose segment moves one step per line. */
        bar_h = MAX(pl.lh / 4, 4);
        bar = (struct gfx_rect){pl.in.x, pl.footer_y + (pl.lh - bar_h) / 2, pl.in.w, bar_h};
        gfx_fill(c, &bar, COL_BAR_BG);
        seg = bar;
        seg.w = bar.w / 4;
        seg.x = bar.x + (int) (n % 4) * (bar.w - seg.w) / 3;
        gfx_fill(c, &seg, COL_BAR_FG);
}

/* The entry editor as GRUB's gfxmenu shows it: the theme's background, the terminal box, and in it
 * the heading, the lines in a frame (wrapped with '\', arrows where rows are hidden), an
 * underline cursor, the notes (keys, lockdown, the error) under the frame. */
static void draw_editor(struct theme_renderer *r, const struct ui_view *v, struct gfx_canvas *c)
{
        struct panel_layout pl;
        size_t n_notes = v->editor_notes ? v->n_editor_notes : 0;
        int pad, cw, t, notes, bottom, rows, cols, s;
        struct gfx_rect box, edge;
        struct editor_screen es;

        panel_layout(r, false, &pl);
        draw_panel_frame(r, v, c, &pl);
        text_in(c, r->term_bold, pl.in.x, pl.title_y, pl.lh, COL_HEADER, v->editor_title, pl.in.w);
        pad = pl.lh / 2;
        cw = MAX(gfx_text_width(r->term_font, "M"), 1);
        t = MAX(pl.lh / 16, 1);
        bottom = pl.in.y + pl.in.h;
        notes = (int) MIN(n_notes, (size_t) MAX((bottom - pl.body_y) / pl.lh - 3, 0));
        box = (struct gfx_rect){pl.in.x, pl.body_y, pl.in.w,
                                bottom - notes * pl.lh - pad - pl.body_y};
        if (!v->editor || box.h < pl.lh + 2 * pad || box.w < 4 * cw)
                return;
        edge = (struct gfx_rect){box.x, box.y, box.w, t};
        gfx_fill(c, &edge, COL_DIM);
        edge.y = box.y + box.h - t;
        gfx_fill(c, &edge, COL_DIM);
        edge = (struct gfx_rect){box.x, box.y, t, box.h};
        gfx_fill(c, &edge, COL_DIM);
        edge.x = box.x + box.w - t;
        gfx_fill(c, &edge, COL_DIM);
        cols = (box.w - 2 * pad) / cw;
        rows = (box.h - 2 * pad) / pl.lh;
        if (cols < 2 || rows < 1 ||
            editor_layout(v->editor, (unsigned) cols, (unsigned) rows, &es) < 0)
                return;
        for (size_t i = 0; i < es.rows.n; i++)
                text_in(c, r->term_font, box.x + pad, box.y + pad + (int) i * pl.lh, pl.lh,
                        style_color(es.rows.items[i].style), es.rows.items[i].text,
                        box.w - 2 * pad);
        if (es.cursor_row < es.rows.n) {
                int x = box.x + pad +
                        column_x(r->term_font, es.rows.items[es.cursor_row].text, es.cursor_col);
                int h = MAX(pl.lh / 8, 2);
                struct gfx_rect cur = {x, box.y + pad + (int) es.cursor_row * pl.lh + pl.lh - h, cw,
                                       h};

                gfx_fill(c, &cur, COL_HEADER);
        }
        s = MAX(pl.lh / 4, 3);
        if (es.more_above)
                arrow(c, box.x + box.w - pad, box.y + pad + pl.lh / 2, s, true, COL_TEXT);
        if (es.more_below)
                arrow(c, box.x + box.w - pad, box.y + pad + (rows - 1) * pl.lh + pl.lh / 2, s,
                      false, COL_TEXT);
        editor_screen_done(&es);
        for (int i = 0; i < notes; i++)
                text_in(c, r->term_font, pl.in.x, bottom - (notes - i) * pl.lh, pl.lh,
                        style_color(v->editor_notes[i].style), v->editor_notes[i].text, pl.in.w);
}

/* Makes sure the static layer is the one for the screen of v; false if it cannot be had (no
 * memory): then everything is drawn directly. */
static bool layer_ready(struct theme_renderer *r, const struct ui_view *v)
{
        int kind = v->screen == UI_SCREEN_MENU ? (int) LAYER_MENU : (int) LAYER_PANEL;

        if ((int) r->layer_kind == kind)
                return true;
        if (!r->layer.px && gfx_canvas_init(&r->layer, r->w, r->h) < 0)
                return false;
        gfx_canvas_set_clip(&r->layer, NULL);
        if (kind == LAYER_MENU)
                draw_menu_layer(r, &r->layer);
        else
                draw_panel_layer(r, &r->layer);
        r->layer.n_dirty = 0;
        r->layer_kind = kind;
        return true;
}

/* The scene, clipped to c->clip. */
static void draw_scene(struct theme_renderer *r, const struct ui_view *v, struct gfx_canvas *c,
                       bool layer)
{
        if (layer) {
                struct gfx_image img = gfx_canvas_image(&r->layer);

                gfx_draw_image_part(c, &img, &c->clip, c->clip.x, c->clip.y);
        } else if (v->screen == UI_SCREEN_MENU) {
                draw_menu_layer(r, c);
        } else {
                draw_panel_layer(r, c);
        }
        switch (v->screen) {
        case UI_SCREEN_MENU:
                draw_menu_screen(r, v, c);
                break;
        case UI_SCREEN_PAGER:
                draw_pager(r, v, c);
                break;
        case UI_SCREEN_SHELL:
                draw_shell(r, v, c);
                break;
        case UI_SCREEN_BOOT:
                draw_boot(r, v, c);
                break;
        case UI_SCREEN_EDITOR:
                draw_editor(r, v, c);
                break;
        }
}

/* ---- Damage --------------------------------------------------------------------------------- */

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
        const unsigned char *s = p;

        for (size_t i = 0; i < n; i++)
                h = (h ^ s[i]) * 0x100000001b3ull;
        return h;
}

static uint64_t hash_str(uint64_t h, const char *s)
{
        h = hash_bytes(h, s ? "\1" : "\0", 1);
        return s ? hash_bytes(h, s, strlen(s) + 1) : h;
}

static uint64_t hash_lines(uint64_t h, const struct line *l, size_t n)
{
        h = hash_bytes(h, &n, sizeof(n));
        for (size_t i = 0; l && i < n; i++) {
                h = hash_str(h, l[i].text);
                h = hash_bytes(h, &l[i].style, sizeof(l[i].style));
        }
        return h;
}

static uint64_t hash_item(uint64_t h, const struct ui_menu_item *it)
{
        h = hash_str(h, it->title);
        h = hash_str(h, it->note);
        h = hash_bytes(h, &it->bootable, sizeof(bool));
        return hash_bytes(h, &it->warning, sizeof(bool));
}

/* The items the menus show: [*first, *end) from the top row, as many as the tallest menu
 * component has rows (every item when the theme has none). A frame looks at these and the
 * selected one only, so that a key costs the same with 10 or 16384 entries (issue 14: hashing
 * every title made a selection move 33 times slower at 16384; docs/performance.md "Scale"). */
static void shown_items(const struct theme_renderer *r, const struct ui_view *v, size_t *first,
                        size_t *end)
{
        size_t top = v->menu ? MIN(v->menu->top, v->n_items) : 0, rows = 0;

        for (size_t i = 0; i < r->n_placed; i++)
                if (is_menu(&r->placed[i])) {
                        struct menu_geom g;

                        menu_geometry(r, &r->placed[i], v->n_items, top, &g);
                        rows = MAX(rows, (size_t) g.rows);
                }
        *first = rows ? top : 0;
        *end = rows ? top + MIN(rows, v->n_items - top) : v->n_items;
}

/* Everything shown except the selection and the countdown. */
static uint64_t hash_view(const struct theme_renderer *r, const struct ui_view *v)
{
        uint64_t h = 0xcbf29ce484222325ull;

        h = hash_bytes(h, &v->screen, sizeof(v->screen));
        h = hash_str(h, v->product);
        h = hash_str(h, v->system);
        switch (v->screen) {
        case UI_SCREEN_MENU:
                h = hash_bytes(h, &v->n_items, sizeof(v->n_items));
                if (v->items) {
                        size_t first, end;

                        shown_items(r, v, &first, &end);
                        for (size_t i = first; i < end; i++)
                                h = hash_item(h, &v->items[i]);
                        /* its note is shown (outside the rows: only in a window too small) */
                        if (v->menu && v->menu->selected < v->n_items &&
                            (v->menu->selected < first || v->menu->selected >= end))
                                h = hash_item(h, &v->items[v->menu->selected]);
                }
                h = hash_str(h, v->status);
                h = hash_bytes(h, &v->searching, sizeof(v->searching));
                h = hash_lines(h, v->notes, v->n_notes);
                break;
        case UI_SCREEN_PAGER:
                h = hash_str(h, v->pager_title);
                h = hash_str(h, v->pager_hint);
                h = hash_bytes(h, &v->pager_top, sizeof(v->pager_top));
                h = hash_lines(h, v->pager_lines, v->n_pager_lines);
                break;
        case UI_SCREEN_SHELL:
                h = hash_str(h, v->shell_prompt);
                h = hash_lines(h, v->shell_lines, v->n_shell_lines);
                if (v->shell_edit) {
                        h = hash_str(h, v->shell_edit->buf);
                        h = hash_bytes(h, &v->shell_edit->cursor, sizeof(size_t));
                }
                break;
        case UI_SCREEN_BOOT:
                h = hash_str(h, v->boot_title);
                h = hash_lines(h, v->boot_lines, v->n_boot_lines);
                break;
        case UI_SCREEN_EDITOR:
                h = hash_str(h, v->editor_title);
                h = hash_lines(h, v->editor_notes, v->n_editor_notes);
                for (size_t i = 0; v->editor && i < v->editor->n; i++) {
                        h = hash_str(h, v->editor->lines[i].buf);
                        h = hash_bytes(h, &v->editor->lines[i].cursor, sizeof(size_t));
                }
                if (v->editor) {
                        h = hash_bytes(h, &v->editor->cur, sizeof(size_t));
                        h = hash_bytes(h, &v->editor->error_line, sizeof(size_t));
                }
                break;
        }
        return h;
}

static void snapshot_take(const struct theme_renderer *r, const struct ui_view *v,
                          struct snapshot *s)
{
        *s = (struct snapshot){
                .valid = true,
                .screen = v->screen,
                .selected = v->menu ? v->menu->selected : 0,
                .top = v->menu ? v->menu->top : 0,
                .countdown_active = v->menu && v->menu->countdown_active,
                .countdown = v->menu ? v->menu->countdown : 0,
                .msg_lines = v->screen == UI_SCREEN_MENU ? message_lines(v) : 0,
                .rest = hash_view(r, v),
        };
}

static void add_damage(struct gfx_rect *d, size_t *n, const struct gfx_rect *r)
{
        if (gfx_rect_empty(r))
                return;
        /* Overlapping rects (neighbouring menu rows) are drawn once, when that is not more. */
        for (size_t i = 0; i < *n; i++) {
                struct gfx_rect u = gfx_rect_union(&d[i], r);

                if (rect_hits(&d[i], r) &&
                    (long long) u.w * u.h <=
                            (long long) d[i].w * d[i].h + (long long) r->w * r->h) {
                        d[i] = u;
                        return;
                }
        }
        if (*n < DAMAGE_MAX)
                d[(*n)++] = *r;
        else
                d[DAMAGE_MAX - 1] = gfx_rect_union(&d[DAMAGE_MAX - 1], r);
}

/* The rects to redraw between prev and now; false = everything. */
static bool compute_damage(struct theme_renderer *r, const struct ui_view *v,
                           const struct snapshot *now, struct gfx_rect *d, size_t *n)
{
        const struct snapshot *p = &r->prev;

        *n = 0;
        if (!p->valid || p->rest != now->rest || now->screen != UI_SCREEN_MENU)
                return false;
        if (p->top != now->top)
                return false;
        if (p->selected != now->selected) {
                /* the status line about the selected row, before and after */
                if (p->msg_lines > 0) {
                        struct gfx_rect a = message_area(r, v, p->msg_lines);

                        add_damage(d, n, &a);
                }
                if (now->msg_lines > 0) {
                        struct gfx_rect a = message_area(r, v, now->msg_lines);

                        add_damage(d, n, &a);
                }
                for (size_t i = 0; i < r->n_placed; i++) {
                        struct menu_geom g;

                        if (!is_menu(&r->placed[i]))
                                continue;
                        menu_geometry(r, &r->placed[i], v->n_items, now->top, &g);
                        for (int k = 0; k < 2; k++) {
                                size_t s = k == 0 ? p->selected : now->selected;
                                struct gfx_rect row;

                                if (s < now->top || s - now->top >= (size_t) g.rows)
                                        continue;
                                row = menu_row_rect(&r->placed[i], &g, (int) (s - now->top));
                                add_damage(d, n, &row);
                        }
                }
        }
        if (p->countdown_active != now->countdown_active || p->countdown != now->countdown) {
                for (size_t i = 0; i < r->n_placed; i++)
                        if (is_timeout(r->placed[i].c))
                                add_damage(d, n, &r->placed[i].r);
        }
        return true;
}

/* The rects to redraw for v (one, the whole screen, when everything is), remembering v as the
 * last view drawn. */
static size_t renderer_damage(struct theme_renderer *r, const struct ui_view *v,
                              struct gfx_rect damage[static DAMAGE_MAX])
{
        struct snapshot now;
        size_t n;

        snapshot_take(r, v, &now);
        if (!compute_damage(r, v, &now, damage, &n)) {
                damage[0] = (struct gfx_rect){0, 0, r->w, r->h};
                n = 1;
        }
        r->prev = now;
        return n;
}

void theme_renderer_draw(struct theme_renderer *r, const struct ui_view *v, struct gfx_canvas *c)
{
        struct gfx_rect damage[DAMAGE_MAX];
        size_t n;
        bool layer;

        if (!r || !v || !c || !c->px)
                return;
        layer = layer_ready(r, v);
        if (c->w != r->w || c->h != r->h) {
                struct snapshot now;

                snapshot_take(r, v, &now);
                gfx_canvas_set_clip(c, NULL);
                draw_scene(r, v, c, layer);
                gfx_canvas_mark_dirty(c, &c->clip);
                r->prev = now;
                return;
        }
        n = renderer_damage(r, v, damage);
        for (size_t i = 0; i < n; i++) {
                gfx_canvas_set_clip(c, &damage[i]);
                draw_scene(r, v, c, layer);
                gfx_canvas_mark_dirty(c, &c->clip);
        }
        gfx_canvas_set_clip(c, NULL);
}

size_t theme_renderer_draw_banded(struct theme_renderer *r, const struct ui_view *v, uint32_t *px,
                                  int band_rows, theme_band_fn put, void *userdata,
                                  struct gfx_rect *ret, size_t max)
{
        struct gfx_rect damage[DAMAGE_MAX];
        size_t n;
        bool layer;

        if (!r || !v || !px || band_rows <= 0 || max < DAMAGE_MAX)
                return 0;
        layer = layer_ready(r, v);
        n = renderer_damage(r, v, damage);
        /* The bands the damage reaches, top to bottom; in each, every damaged rect it crosses. */
        for (int y = 0; y < r->h; y += band_rows) {
                struct gfx_rect band = {0, y, r->w, MIN(band_rows, r->h - y)};
                struct gfx_rect dirty[GFX_DIRTY_MAX];
                struct gfx_canvas c;
                bool hit = false;

                for (size_t i = 0; i < n && !hit; i++)
                        hit = rect_hits(&damage[i], &band);
                if (!hit)
                        continue;
                gfx_canvas_band(&c, r->w, r->h, px, band.y, band.h);
                for (size_t i = 0; i < n; i++) {
                        if (!rect_hits(&damage[i], &band))
                                continue;
                        gfx_canvas_set_clip(&c, &damage[i]);
                        draw_scene(r, v, &c, layer);
                        gfx_canvas_mark_dirty(&c, &c.clip);
                }
                put(userdata, &c, dirty, gfx_canvas_take_dirty(&c, dirty, GFX_DIRTY_MAX));
        }
        memcpy(ret, damage, n * sizeof(*ret));
        return n;
}
