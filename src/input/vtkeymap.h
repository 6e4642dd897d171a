/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A compiled keyboard layout (keymap.h) loaded into the kernel's console keymap, so that what is
 * typed on a VT comes out in that layout too (the shell, passphrases: the tty path of ttyin.c). */
#pragma once

#include "keymap.h"

/* Loads l into the keymap of the VT open as fd with KDSKBENT, as loadkeys does: the four levels
 * of the table's keys (dead keys as KT_DEAD2, the layout's compose pairs with KDSKBDIACRUC),
 * Ctrl+letter by the layout's letters, the right Alt as AltGr or Alt; keys the table does not
 * cover (function keys, the keypad, modifiers) keep their entries. A keyboard in K_XLATE mode
 * is put in K_UNICODE mode (and the console's output in UTF-8), as kbd_mode -u does. Returns
 * the number of entries written, -ENOTTY when fd is no VT, or another negative errno. */
int vt_keymap_load(int fd, const struct keymap_layout *l);

/* The character the VT's plain level gives for key code now (KDGKBENT), 0 when none: the
 * trace's proof that a load took. */
uint32_t vt_keymap_plain(int fd, unsigned code);
