/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The graphical front end: the themed menu on every output of a set (all connected DRM
 * connectors, or fbdev, or a PNG file), each laid out at its own resolution, all showing the
 * same view. Implements struct ui_ops like the text front end, with its optional entries: a theme
 * change, and the DRM hotplug (re-probes the connectors: a new screen gets the menu too, a gone
 * one is dropped; -EOPNOTSUPP on fbdev and files). */
#pragma once

#include "../../core/diag.h"
#include "../../output/output.h"
#include "../ui.h"

/* The installed font directories: the stick's fonts, the source tree's fonts/, the system's
 * DejaVu folder (NULL-terminated, malloc'ed). A theme's own folder is searched before them,
 * inside the theme's filesystem. */
char **gfx_ui_font_dirs(void);

/* Takes over the outputs (the set is emptied). loc NULL or unloadable: the built-in default
 * theme, with the problems added to diags. */
int gfx_ui_new(struct output_set *outputs, const struct theme_location *loc,
               struct diag_list *diags, struct ui **ret);
/* The same with the user's display scale (percent: `scale` in kexec-loader.conf, kexec_scale=,
 * render --scale); 0: each screen's from its panel's size (theme_display_scale()). */
int gfx_ui_new_scaled(struct output_set *outputs, const struct theme_location *loc,
                      int forced_scale, struct diag_list *diags, struct ui **ret);
