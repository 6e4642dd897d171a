/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The unlock screen of a LUKS volume (see unlock.h). Pure. */
#include "unlock.h"

#include <string.h>

#include "../core/util.h"

#define UNLOCK_LABEL      "Passphrase (Enter: unlock, Esc: back): "
#define UNLOCK_LABEL_BUSY "Unlocking... "

static bool printable(const char *s)
{
        for (; *s; s++)
                if ((unsigned char) *s < 0x20 || *s == 0x7f)
                        return false;
        return true;
}

char *unlock_row_title(const char *name, const char *label, uint64_t size)
{
        char sz[32];

        util_format_size(size, sz, sizeof(sz));
        if (isempty(label) || !printable(label))
                label = name ? name : "?";
        if (size == 0) /* unknown (a --fs fixture) */
                return util_asprintf("Unlock %s (encrypted)", label);
        return util_asprintf("Unlock %s (encrypted, %s)", label, sz);
}

static int say(struct unlock_screen *u, enum line_style style, const char *text)
{
        return prompt_say(&u->prompt, style, u->width, text);
}

/* The lines, from the state: written again whenever it changes. */
static int layout(struct unlock_screen *u)
{
        _cleanup_free_ char *box = NULL;
        int r;

        prompt_lines_clear(&u->prompt);
        box = util_asprintf("[%c] Give the key to the booted system (its initramfs will not ask "
                            "again)",
                            u->handover ? 'x' : ' ');
        if (!box)
                return -ENOMEM;
        r = say(u, LINE_HEADER, u->title);
        if (r >= 0)
                r = say(u, LINE_NORMAL,
                        "Type the passphrase of this LUKS volume. It is opened read-only: nothing "
                        "is written to the disk.");
        if (r >= 0 && u->tpm2)
                r = say(u, LINE_ERROR,
                        "Its key is also sealed to the TPM (systemd-tpm2): after kexec the TPM "
                        "will not unseal it, so the booted system asks for a passphrase or the "
                        "recovery key (unless it is given the key below).");
        if (r >= 0)
                r = say(u, LINE_NORMAL, "");
        if (r >= 0)
                r = say(u, u->handover ? LINE_OK : LINE_NORMAL, box);
        if (r >= 0)
                r = say(u, LINE_NORMAL,
                        u->handover ? "    " UNLOCK_TOGGLE_NAME ": toggle. The passphrase is then "
                                      "in the booted system's memory until its initramfs ends."
                                    : "    " UNLOCK_TOGGLE_NAME ": toggle (off by default).");
        if (r >= 0 && u->error) {
                r = say(u, LINE_NORMAL, "");
                if (r >= 0)
                        r = say(u, LINE_ERROR, u->error);
                if (r >= 0 && !u->busy)
                        r = say(u, LINE_NORMAL, "Type it again, or Esc to go back.");
        }
        if (r >= 0 && u->busy) {
                r = say(u, LINE_NORMAL, "");
                if (r >= 0)
                        r = say(u, LINE_OK, "Unlocking... (deriving the key takes a few seconds)");
        }
        return r;
}

int unlock_open(struct unlock_screen *u, const char *device, const char *title, bool tpm2,
                unsigned width)
{
        *u = (struct unlock_screen){.tpm2 = tpm2, .width = width ? width : 78};
        prompt_init(&u->prompt);
        u->device = strdup(device ? device : "");
        u->title = strdup(title ? title : "Unlock");
        if (!u->device || !u->title || prompt_ask(&u->prompt, UNLOCK_LABEL, true) < 0 ||
            layout(u) < 0) {
                unlock_close(u);
                return -ENOMEM;
        }
        return 0;
}

void unlock_close(struct unlock_screen *u)
{
        prompt_done(&u->prompt);
        free(u->device);
        free(u->title);
        free(u->error);
        *u = (struct unlock_screen){0};
}

enum unlock_result unlock_key(struct unlock_screen *u, const struct key_event *ev)
{
        if (u->busy)
                return UNLOCK_NONE;
        if (ev->sym == UNLOCK_TOGGLE_KEY) {
                u->handover = !u->handover;
                (void) layout(u);
                return UNLOCK_CHANGED;
        }
        switch (prompt_key(&u->prompt, ev)) {
        case PROMPT_NONE:
                return UNLOCK_NONE;
        case PROMPT_CHANGED:
                return UNLOCK_CHANGED;
        case PROMPT_CANCEL:
                return UNLOCK_CANCEL;
        case PROMPT_SUBMIT:
                return u->prompt.edit.len > 0 ? UNLOCK_SUBMIT : UNLOCK_NONE;
        }
        return UNLOCK_NONE;
}

char *unlock_take(struct unlock_screen *u, size_t *len)
{
        char *pass = prompt_take(&u->prompt);

        if (!pass)
                return NULL;
        *len = strlen(pass);
        u->busy = true;
        (void) prompt_ask(&u->prompt, UNLOCK_LABEL_BUSY, true);
        (void) layout(u);
        return pass;
}

int unlock_failed(struct unlock_screen *u, const char *message)
{
        char *m = strdup(message ? message : "the volume could not be unlocked");

        if (!m)
                return -ENOMEM;
        free(u->error);
        u->error = m;
        u->busy = false;
        u->tries++;
        if (prompt_ask(&u->prompt, UNLOCK_LABEL, true) < 0)
                return -ENOMEM;
        return layout(u);
}
