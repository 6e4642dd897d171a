/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The unlock screen of a LUKS volume: the passphrase prompt (masked, one '*' per character),
 * the hand-over checkbox (off by default, toggled with Tab), the TPM note, "Unlocking…" while
 * the key is derived, and the message of a failed try. Pure: the application calls the backend
 * and shows the lines on the shell screen's layout (prompt.h), so the text and the graphical
 * front ends draw the same screen. The passphrase is wiped when taken, cleared or closed. */
#pragma once

#include <stdint.h>

#include "prompt.h"

/* The key that toggles the hand-over checkbox, and its name on screen. */
#define UNLOCK_TOGGLE_KEY  KEYSYM_TAB
#define UNLOCK_TOGGLE_NAME "Tab"

struct unlock_screen {
        struct prompt prompt;
        char *device; /* "/dev/sda2": what backend_unlock() is given */
        char *title;  /* "Unlock root (encrypted, 20.0 GiB)" */
        bool tpm2;    /* the header has a systemd-tpm2 token */
        bool handover;
        bool busy;      /* between unlock_take() and unlock_failed()/unlock_close() */
        char *error;    /* the last failure's message, or NULL */
        unsigned tries; /* failed tries */
        unsigned width; /* columns the lines are wrapped to */
};

enum unlock_result {
        UNLOCK_NONE,    /* key ignored (also every key while busy) */
        UNLOCK_CHANGED, /* redraw (typing, the checkbox) */
        UNLOCK_SUBMIT,  /* Enter with a passphrase: unlock_take(), then call the backend */
        UNLOCK_CANCEL,  /* Esc: back */
};

/* The menu row of a locked volume: "Unlock LABEL (encrypted, SIZE)", the kernel name when the
 * volume has no label (or one with a control character); without SIZE when it is 0 (unknown).
 * Malloc'ed, NULL when out of memory. */
char *unlock_row_title(const char *name, const char *label, uint64_t size);

/* Opens the screen for device (shown as title; tpm2: the header has a systemd-tpm2 token),
 * the lines wrapped at width columns. The checkbox starts off. 0 or -ENOMEM. */
int unlock_open(struct unlock_screen *u, const char *device, const char *title, bool tpm2,
                unsigned width);
/* Wipes the passphrase being typed and frees everything. */
void unlock_close(struct unlock_screen *u);
/* Tab toggles the checkbox, Esc cancels, Enter submits a non-empty passphrase (an empty one is
 * ignored), the rest edits the masked line (Backspace, Delete, Left/Right, Home/End, Ctrl-U). */
enum unlock_result unlock_key(struct unlock_screen *u, const struct key_event *ev);
/* The passphrase (malloc'ed; free it with prompt_free_answer(), which wipes it) and its length
 * in *len; the line is wiped, the screen says "Unlocking…" (busy) until unlock_failed() or
 * unlock_close(). NULL when out of memory. */
char *unlock_take(struct unlock_screen *u, size_t *len);
/* The try failed: message is shown (as the backend says it: "wrong passphrase: …"), the screen
 * asks again. 0 or -ENOMEM. */
int unlock_failed(struct unlock_screen *u, const char *message);
