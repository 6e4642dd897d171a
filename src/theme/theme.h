/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The model of a GRUB theme.txt and its parser. Pure logic: the parser reads text only; images and
 * fonts named by the theme are loaded by the renderer.
 *
 * Syntax as GRUB's theme_loader.c implements it: global properties `name: "value"`, components
 * `+ type { name = value ... }` (containers canvas/hbox/vbox may nest components), `#` comments
 * where a statement may start (top level and inside blocks), CR/LF/FF/tab as whitespace, quoted
 * strings without escape sequences (as in GRUB: a string runs to the next '"', newlines
 * included), bare component values running to the next whitespace, tuples in parentheses.
 *
 * Error policy (more forgiving than GRUB, which drops the whole theme on the first problem):
 *  - syntax errors (a missing ':', '=', '{' or '}', an unterminated string, a stray character)
 *    add a "col N: ..." diagnostic and make theme_parse() fail with -EINVAL: the caller falls
 *    back to theme_new_default();
 *  - bad values (a colour, number, position or keyword that does not parse, a pixmap pattern
 *    without '*', an unknown component type, a component nested in a non-container) add a
 *    diagnostic and keep the default: the theme still loads;
 *  - components nested more than 32 deep add a diagnostic and are skipped with what they hold
 *    (read without recursion); the rest of the file is read;
 *  - unknown property names (global or component) are ignored with a debug log line. Note: GRUB
 *    itself rejects a theme with an unknown *global* property, so a theme using our extension
 *    below does not load in GRUB.
 *
 * Scale extension (ours): the global property `x-kexec-scale: "auto"` or `x-kexec-scale: "N%"`.
 * With "auto" the factor is max(1, screen_height / 1080.0); with "N%" it is N / 100 (10..1000).
 * Every pixel length of the theme is multiplied by it: font sizes, item_height, item_padding,
 * item_spacing, item_icon_space, icon_width/height, scrollbar_width and its pads, and the pixel
 * terms of every position (left/top/width/height and terminal geometry); percentage terms are not.
 * Images are not scaled by it (they are scaled to their boxes, as in GRUB). Without the property
 * the factor is 1 (pixels as written, like GRUB). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/diag.h"

#define THEME_FILE_MAX (1024 * 1024)
/* Components of one theme (real themes have tens): beyond, the rest are ignored (a boot_menu is
 * still kept when the theme has none yet), with one diagnostic at the first one left out. */
#define THEME_COMPONENTS_MAX 4096
/* Problems reported for one theme.txt; one more says the rest are not reported. */
#define THEME_DIAGS_MAX 100

/* 0xAARRGGBB, not premultiplied (the same layout as GFX_ARGB). */
#define THEME_ARGB(a, r, g, b) \
        ((uint32_t) (a) << 24 | (uint32_t) (r) << 16 | (uint32_t) (g) << 8 | (uint32_t) (b))

/* A position or size: a sum of percentage terms (of the parent) and pixel terms. */
struct theme_pos {
        int pct;
        int px;
        bool set;
};

enum theme_align {
        THEME_ALIGN_LEFT, /* also top */
        THEME_ALIGN_CENTER,
        THEME_ALIGN_RIGHT, /* also bottom */
};

enum theme_image_scale {
        THEME_SCALE_STRETCH,
        THEME_SCALE_CROP,
        THEME_SCALE_PADDING,
        THEME_SCALE_FITWIDTH,
        THEME_SCALE_FITHEIGHT,
};

enum theme_slice {
        THEME_SLICE_WEST,
        THEME_SLICE_CENTER,
        THEME_SLICE_EAST,
};

enum theme_component_type {
        THEME_CANVAS,
        THEME_HBOX,
        THEME_VBOX,
        THEME_LABEL,
        THEME_IMAGE,
        THEME_PROGRESS_BAR,
        THEME_CIRCULAR_PROGRESS,
        THEME_BOOT_MENU,
};

struct theme_boot_menu {
        char *item_font;          /* NULL: the default font */
        char *selected_item_font; /* NULL: inherit item_font */
        uint32_t item_color;
        uint32_t selected_item_color;
        bool selected_item_color_set; /* false: inherit item_color */
        int icon_width, icon_height;
        int item_icon_space;
        int item_height;
        int item_padding;
        int item_spacing;
        char *menu_pixmap_style;          /* 9-slice patterns with one '*', or NULL */
        char *item_pixmap_style;          /* NULL: none */
        char *selected_item_pixmap_style; /* NULL: inherit item_pixmap_style */
        bool scrollbar;
        char *scrollbar_frame, *scrollbar_thumb;
        bool scrollbar_thumb_overlay;
        int scrollbar_width;
        enum theme_slice scrollbar_slice;
        int scrollbar_left_pad, scrollbar_right_pad, scrollbar_top_pad, scrollbar_bottom_pad;
        int max_items_shown; /* 0: no limit */
        /* Built-in theme only (not settable from theme.txt): colour fills drawn where theme files
         * use pixmaps. Alpha 0 = none. */
        uint32_t selected_item_bg, selected_item_accent, scrollbar_color;
};

struct theme_component {
        enum theme_component_type type;
        unsigned line; /* where `+ type` was */
        struct theme_pos left, top, width, height;
        char *id;
        bool visible;

        /* label, progress_bar */
        char *text; /* NULL: none set */
        char *font;
        uint32_t color; /* label text */
        enum theme_align align;

        /* image; circular_progress: center_bitmap */
        char *file;

        /* circular_progress (GRUB's gui_circular_progress.c) */
        char *tick_file; /* tick_bitmap */
        int num_ticks;   /* 64 */
        int start_angle; /* GRUB's 256ths of a turn, -64 (the top) */
        bool ticks_disappear;

        /* progress_bar */
        uint32_t fg_color, bg_color, border_color, text_color;
        char *bar_style, *highlight_style;
        bool highlight_overlay;
        bool show_text;

        /* boot_menu */
        struct theme_boot_menu menu;

        /* canvas, hbox, vbox */
        struct theme_component **children;
        size_t n_children, cap_children;
};

struct theme {
        /* The root of the filesystem the theme's files are read in (core/fsread.h: inside it,
         * regular files only), or -1: then dir is a trusted host folder (the stick's themes, a
         * path the user gave: regular files only, util_open_regular) or NULL (the built-in
         * theme: no files). */
        int root_fd;
        char *dir;  /* the theme's folder (files are relative to it), inside root_fd, or NULL */
        char *file; /* for diagnostics */

        char *title_text; /* GRUB's default is "GRUB Boot Menu"; ours is "" */
        char *title_font;
        uint32_t title_color;
        char *message_font;
        uint32_t message_color, message_bg_color;
        bool message_color_set, message_bg_color_set;

        char *desktop_image;
        unsigned desktop_image_line; /* where it is set (for diagnostics) */
        enum theme_image_scale desktop_image_scale;
        enum theme_align desktop_image_h_align, desktop_image_v_align;
        uint32_t desktop_color;

        char *terminal_box;
        char *terminal_font;
        struct theme_pos terminal_left, terminal_top, terminal_width, terminal_height;
        int terminal_border;

        /* x-kexec-scale: scale_auto, or scale_percent (100 = none). */
        bool scale_auto;
        int scale_percent;

        struct theme_component *root; /* the implicit canvas the size of the screen */
};

int theme_parse(const char *text, size_t len, const char *dir, const char *file, struct theme **ret,
                struct diag_list *diags);
/* A theme found: the root of its filesystem (-1: a trusted host path), its theme.txt inside it,
 * and what names it in messages and tells themes apart (the host path, or "FS:PATH"). */
struct theme_location {
        int root_fd;
        char *path;
        char *id;
};
void theme_location_done(struct theme_location *l);

/* Finds a theme the user named (--theme, kexec_theme=): a name in the stick's themes directories
 * (the installed one, then the source tree's), or a host folder or theme.txt path. Returns the
 * theme.txt path (malloc'ed) or NULL. */
char *theme_find(const char *name_or_path);
/* theme_find() as a location (a host path). 0 or -ENOENT. */
int theme_locate_host(const char *name_or_path, struct theme_location *ret);
/* A theme a configuration named, on that configuration's filesystem (fs_root, an O_PATH fd of
 * its root, duplicated; fs its device path, for the id): the path, resolved inside it, of a
 * theme.txt or of a folder holding one. GRUB's "(device)" before the path is dropped. 0 or
 * -ENOENT. */
int theme_locate_on_fs(int fs_root, const char *fs, const char *name, struct theme_location *ret);
/* Reads the location's theme.txt (a regular file inside its root, or a regular host file; at
 * most THEME_FILE_MAX bytes) and parses it; the theme's files are then read the same way. */
int theme_load_at(const struct theme_location *l, struct theme **ret, struct diag_list *diags);
/* theme_load_at() of a host path. */
int theme_load(const char *theme_txt_path, struct theme **ret, struct diag_list *diags);
struct theme *theme_free(struct theme *t);
static inline void theme_freep(struct theme **t)
{
        theme_free(*t);
}
/* The built-in theme: a calm dark design drawn with colours only (no files needed). */
struct theme *theme_new_default(void);
/* A theme with GRUB's defaults and the root canvas (the screen), no components. */
struct theme *theme_new_empty(void);

/* A component of that type with GRUB's defaults; line is where `+ type` was. */
struct theme_component *theme_component_new(enum theme_component_type type, unsigned line);
/* Frees c and its children. */
void theme_component_free(struct theme_component *c);
/* Appends child to parent's children (taken on success). 0 or -ENOMEM. */
int theme_component_add(struct theme_component *parent, struct theme_component *child);
/* canvas, hbox, vbox: the components that hold components. */
bool theme_component_is_container(const struct theme_component *c);

/* Helpers shared with the renderer and tests. */
int theme_parse_color(const char *s, uint32_t *ret);       /* 0 or -EINVAL; ret is 0xAARRGGBB */
int theme_parse_pos(const char *s, struct theme_pos *ret); /* 0 or -EINVAL */
/* The scale factor (percent) of theme t on a screen of that height whose display scale (below,
 * or the user's `scale`) is display_scale percent (0 or 100: none):
 *  - no x-kexec-scale (GRUB's pixels): display_scale;
 *  - x-kexec-scale "N%": N * display_scale / 100;
 *  - x-kexec-scale "auto": max(screen_height / 1080, display_scale).
 * Bounded to 10..1000 %. */
int theme_scale_percent(const struct theme *t, int screen_height, int display_scale);

/* The HiDPI rule: the display scale (percent) of a w x h pixel mode on a panel of mm_w x mm_h
 * millimetres. Themes are drawn for about 96 dpi at 100 %: the scale is dpi / 96, rounded down
 * to a quarter (100, 125, 150, ...), at most 400 % and at most what keeps 800 x 600 pixels
 * (logical) on the screen; never below 100 %. No scaling (100) when the size is unknown (0) or
 * absurd: under 100 x 50 mm (EDIDs that say 0 or 1 cm, or only the aspect ratio), over 1000 mm
 * wide (televisions and projectors: looked at from afar, their size says nothing), or with an
 * aspect ratio 20 % away from the mode's (either way round: rotated panels). */
#define THEME_SCALE_REFERENCE_DPI 96
#define THEME_SCALE_MAX           400
int theme_display_scale(int w, int h, int mm_w, int mm_h);
/* pct% of parent + px scaled by scale_percent. */
int theme_pos_resolve(const struct theme_pos *p, int parent, int scale_percent);
static inline int theme_px(int px, int scale_percent)
{
        return (int) ((long long) px * scale_percent / 100);
}
