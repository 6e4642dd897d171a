/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The graphical front end: the themed menu on every output of a set (all connected DRM
 * connectors, or fbdev, or a PNG file), each laid out at its own resolution, all showing the
 * same view. Implements struct ui_ops like the text front end. */
#pragma once

#include "../../core/diag.h"
#include "../../output/output.h"
#include "../ui.h"

/* Finds a theme: a name in the themes directories (the installed one, then the source tree's),
 * or a directory or theme.txt path. Returns the theme.txt path (malloc'ed) or NULL. */
char *gfx_ui_find_theme(const char *name_or_path);
/* The font directories: the theme's folder, the installed fonts, the source tree's fonts/, the
 * system's DejaVu folder (NULL-terminated, malloc'ed). */
char **gfx_ui_font_dirs(const char *theme_txt);

/* Takes over the outputs (the set is emptied). theme_txt NULL or unloadable: the built-in
 * default theme, with the problems added to diags. */
int gfx_ui_new(struct output_set *outputs, const char *theme_txt, struct diag_list *diags,
               struct ui **ret);

/* Swaps the theme of a graphical front end (a pair's first member counts). On failure the old
 * theme stays and the problems are in diags. */
int gfx_ui_set_theme(struct ui *ui, const char *theme_txt, struct diag_list *diags);

/* The kind of outputs a graphical front end draws on (OUTPUT_KIND_NONE for other front ends). */
enum output_kind gfx_ui_kind(struct ui *ui);

/* A DRM hotplug event: re-probes the connectors; a new screen gets the menu too, a gone one is
 * dropped. Returns 1 when the screens changed, 0 when not, or -errno. */
int gfx_ui_hotplug(struct ui *ui);

/* Shows several front ends at once (the graphical menu and a text view on a serial console).
 * Takes ownership of both. */
int ui_pair_new(struct ui *first, struct ui *second, struct ui **ret);
