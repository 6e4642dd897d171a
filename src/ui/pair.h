/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A front end made of two: the same view shown by both (the graphical menu and a text view on a
 * serial console). Implements struct ui_ops like the text and graphical front ends. */
#pragma once

#include "ui.h"

/* Takes ownership of both (also on failure: they are then freed). The list shows as many rows as
 * the smaller of the two; the optional entries (set_theme, hotplug) go to each member that has
 * them. */
int ui_pair_new(struct ui *first, struct ui *second, struct ui **ret);
