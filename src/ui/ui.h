/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The seam between the application and its front ends (text console now, DRM/fbdev later).
 *
 * The application owns all state and describes what to show in a struct ui_view; a front end
 * draws it. Front ends never call the backend: keys come back to the application through the
 * input layer, so every front end shares the menu model, the shell and the backend. */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#include "../core/diag.h"
#include "../core/lines.h"
#include "../menu/editor.h"
#include "../menu/lineedit.h"
#include "../menu/menu.h"

enum ui_screen {
        UI_SCREEN_MENU,
        UI_SCREEN_PAGER, /* device list (L), messages, errors, diagnostics: lines to scroll */
        UI_SCREEN_SHELL,
        UI_SCREEN_BOOT,   /* progress while mounting and loading */
        UI_SCREEN_EDITOR, /* the entry editor (E): its lines in a box, keys and messages below */
};

struct ui_menu_item {
        const char *title; /* UTF-8 */
        bool bootable;
        const char *note;     /* why it cannot boot ("kernel on UUID=… not found"), or NULL */
        bool warning;         /* bootable, but note says why it will probably fail (lockdown: "not
                                 signed"); shown like a note, the entry not dimmed */
        char *const *classes; /* GRUB --class values, for the theme's icons/<class>.png, or NULL */
};

struct ui_view {
        enum ui_screen screen;
        const char *product; /* "kexec-loader 2.0.0" (left of the title bar) */
        const char *system;  /* "Linux 6.1.0-28-amd64" (right of the title bar) */

        /* UI_SCREEN_MENU */
        const struct ui_menu_item *items;
        size_t n_items;
        const struct menu *menu;
        const char *status; /* "Waiting for devices… 7 s", "No kexec-loader.conf found", NULL */
        bool searching;     /* the disks are being searched: an empty list is not "no entries" */
        const struct line *notes; /* diagnostics shown under the list */
        size_t n_notes;
        bool plain; /* high contrast (C): the text front end uses no colours, only reverse video
                       and bold; the graphical one has the high-contrast theme instead */

        /* UI_SCREEN_PAGER */
        const char *pager_title;
        const struct line *pager_lines;
        size_t n_pager_lines;
        size_t pager_top;       /* first line shown; the front end clamps it */
        const char *pager_hint; /* "Esc or Enter: back to the menu" */

        /* UI_SCREEN_SHELL */
        const struct line *shell_lines; /* scrollback, oldest first; the newest are shown */
        size_t n_shell_lines;
        const char *shell_prompt;    /* "> " */
        struct lineedit *shell_edit; /* rendered with lineedit_render() */

        /* UI_SCREEN_BOOT */
        const char *boot_title; /* "Booting 'Debian'" */
        const struct line *boot_lines;
        size_t n_boot_lines;

        /* UI_SCREEN_EDITOR */
        const char *editor_title;        /* "Edit 'Debian' (booted once, nothing saved)" */
        struct editor *editor;           /* laid out with editor_layout() at the box's size */
        const struct line *editor_notes; /* the keys, the lockdown note, why it cannot boot */
        size_t n_editor_notes;
};

struct ui;
struct theme_location; /* theme/theme.h */

/* A point on the screen as fractions of its width and height: 0 (left, top) .. UI_POINT_UNIT
 * (right, bottom), as a touch screen or tablet gives it (input/touch.h: TOUCH_UNIT). */
#define UI_POINT_UNIT 65535u

/* A screen a front end draws on (for the hardware report). */
struct ui_screen_info {
        char name[64]; /* "card0-HDMI-A-1", "fb0" */
        int w, h;      /* the mode */
        int scale;     /* the theme's scale on it, percent */
        size_t mapped; /* bytes of video memory mapped for it (not in VmRSS) */
};

struct ui_ops {
        const char *name;
        /* How many rows the menu list has at the current size (the model scrolls with it). */
        unsigned (*menu_rows)(struct ui *ui, const struct ui_view *view);
        /* How many pager lines fit (for PgUp/PgDn). */
        unsigned (*pager_rows)(struct ui *ui);
        /* Draws the view (only what changed, where the front end can tell). */
        void (*render)(struct ui *ui, const struct ui_view *view);
        /* The size may have changed (SIGWINCH, hotplug): re-measure and redraw fully next time. */
        void (*resize)(struct ui *ui);
        /* Gives the console back as it was (before kexec, on exit, before a child shell). */
        void (*release)(struct ui *ui);
        void (*free)(struct ui *ui);

        /* Optional entries (NULL where a front end has no such thing; call them through the
         * ui_*() helpers below, which answer -EOPNOTSUPP for a missing one). */

        /* Swaps the theme (loc NULL: the built-in one; a theme that cannot be loaded: the built-in
         * one, with the problems in diags). On failure the old theme stays. */
        int (*set_theme)(struct ui *ui, const struct theme_location *loc, struct diag_list *diags);
        /* An output hotplug event (a DRM card or connector changed): re-probes the screens this
         * front end follows. Returns 1 when they changed, 0 when not, -EOPNOTSUPP when the front
         * end does not follow hotplug (text, fbdev, a file), or another -errno. */
        int (*hotplug)(struct ui *ui);
        /* Which entry of the menu list of view (UI_SCREEN_MENU) is drawn at the point x, y
         * (UI_POINT_UNIT fractions of the screen; with several screens, the first one): 0 and
         * its index into view->items in *item; -ENOENT when no entry is there; -EOPNOTSUPP when
         * the front end cannot tell (text). */
        int (*hit_test)(struct ui *ui, const struct ui_view *view, unsigned x, unsigned y,
                        size_t *item);
        /* The user's display scale (percent; 0: each screen's own from its size) changed: lays
         * the theme out again at it. */
        int (*set_scale)(struct ui *ui, int scale);
        /* The screens it draws on, at most max of them; returns how many (0: none, text). */
        size_t (*screens)(struct ui *ui, struct ui_screen_info *out, size_t max);
        /* How many entries of view's menu are too wide for the list at the current layout (on
         * the screen where most are), 0 when all fit; -EOPNOTSUPP (text: lines are cut to the
         * terminal). The large font (Z) picks its scale with it. */
        int (*menu_clipped)(struct ui *ui, const struct ui_view *view);
};

struct ui {
        const struct ui_ops *ops;
        void *data;
};

static inline int ui_set_theme(struct ui *ui, const struct theme_location *loc,
                               struct diag_list *diags)
{
        return ui->ops->set_theme ? ui->ops->set_theme(ui, loc, diags) : -EOPNOTSUPP;
}

static inline int ui_hotplug(struct ui *ui)
{
        return ui->ops->hotplug ? ui->ops->hotplug(ui) : -EOPNOTSUPP;
}

static inline int ui_hit_test(struct ui *ui, const struct ui_view *view, unsigned x, unsigned y,
                              size_t *item)
{
        return ui->ops->hit_test ? ui->ops->hit_test(ui, view, x, y, item) : -EOPNOTSUPP;
}

static inline int ui_set_scale(struct ui *ui, int scale)
{
        return ui->ops->set_scale ? ui->ops->set_scale(ui, scale) : -EOPNOTSUPP;
}

static inline int ui_menu_clipped(struct ui *ui, const struct ui_view *view)
{
        return ui->ops->menu_clipped ? ui->ops->menu_clipped(ui, view) : -EOPNOTSUPP;
}

static inline size_t ui_screens(struct ui *ui, struct ui_screen_info *out, size_t max)
{
        return ui->ops->screens ? ui->ops->screens(ui, out, max) : 0;
}
