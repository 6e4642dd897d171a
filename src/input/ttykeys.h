/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Decodes the bytes a terminal sends (Linux VT, xterm-like terminals, serial consoles) into key
 * events. Pure logic: feed bytes, get events; a lone ESC is resolved by ttykeys_flush() when no
 * further byte arrived within TTYKEYS_ESC_TIMEOUT_MS. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "keys.h"

#define TTYKEYS_ESC_TIMEOUT_MS 50

struct ttykeys {
        unsigned char buf[32]; /* pending bytes of an incomplete sequence */
        size_t len;
        bool after_cr; /* the last byte was a CR: an LF right after it is part of the same Enter */
        bool overlong; /* an escape sequence outgrew buf: skipped up to its final byte */
};

void ttykeys_init(struct ttykeys *t);
/* Feeds one byte. Writes at most 2 events to out and returns how many. */
int ttykeys_feed(struct ttykeys *t, unsigned char byte, struct key_event out[2]);
/* True when bytes are pending (an ESC prefix or a partial UTF-8 character). */
int ttykeys_pending(const struct ttykeys *t);
/* Resolves pending bytes (lone ESC -> KEYSYM_ESCAPE; "ESC x" -> Alt+x; junk dropped).
 * Every Alt+x that came as "ESC x" also carries KEYMOD_ESC_PREFIX: it may as well have been Esc
 * and then x (see key_event_unfold()). */
int ttykeys_flush(struct ttykeys *t, struct key_event out[2]);
