/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Loading a compiled layout into the kernel's console keymap.
 *
 * The kernel's console keymap belongs to the keyboard, not to one VT: loading it changes every
 * VT until something loads another one. Nothing is restored before kexec: the next kernel starts
 * with its own default keymap. The kernel's keymap values, as KDGKBENT/KDSKBENT see them: K(type,
 * value) for typed entries (KT_LATIN, KT_LETTER with Caps Lock, KT_DEAD2...), and for Unicode
 * characters the code point XOR 0xf000 (linux/keyboard.h, drivers/tty/vt/keyboard.c). */
#define LOG_MODULE "vtkeymap"

#include "vtkeymap.h"

#include <errno.h>
#include <linux/kd.h>
#include <linux/keyboard.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../core/log.h"
#include "../core/util.h"

#define KEY_RIGHTALT_CODE 100 /* linux/input-event-codes.h KEY_RIGHTALT */
#define CTRL_LEVEL        4   /* 1 << KG_CTRL */

/* The kernel value of a table value at a key and level. */
static unsigned short kernel_value(const struct keymap_layout *l, unsigned code, unsigned level)
{
        uint32_t c = keymap_layout_char(l, code, level);

        if (!c)
                return K_HOLE;
        if (c >= KEYMAP_DEAD)
                return K(KT_DEAD2, c & 0xffu);
        if (c < 0x100)
                return K(keymap_layout_letter(l, code, level) ? KT_LETTER : KT_LATIN, c);
        return (unsigned short) (c ^ 0xf000u);
}

static int set_entry(int fd, unsigned level, unsigned code, unsigned short value)
{
        struct kbentry e = {.kb_table = (unsigned char) level,
                            .kb_index = (unsigned char) code,
                            .kb_value = value};

        return ioctl(fd, KDSKBENT, &e) < 0 ? -errno : 0;
}

static int load_compose(int fd, const struct keymap_layout *l)
{
        _cleanup_free_ struct kbdiacrsuc *d = NULL;

        if (!l->n_compose)
                return 0; /* the kernel's own table (Latin-1 pairs) stays */
        d = calloc(1, sizeof(*d));
        if (!d)
                return -ENOMEM;
        for (unsigned i = 0; i < l->n_compose && i < ARRAY_SIZE(d->kbdiacruc); i++) {
                d->kbdiacruc[i] = (struct kbdiacruc){.diacr = l->compose[i].diacr,
                                                     .base = l->compose[i].base,
                                                     .result = l->compose[i].result};
                d->kb_cnt = i + 1;
        }
        return ioctl(fd, KDSKBDIACRUC, d) < 0 ? -errno : 0;
}

int vt_keymap_load(int fd, const struct keymap_layout *l)
{
        int mode, r, n = 0;

        if (!l)
                return -EINVAL;
        if (ioctl(fd, KDGKBMODE, &mode) < 0)
                return -ENOTTY;
        if (mode == K_XLATE) {
                if (ioctl(fd, KDSKBMODE, K_UNICODE) < 0)
                        log_warn("cannot put the console keyboard in Unicode mode: %m");
                else if (write(fd, "\033%G", 3) != 3) /* the console's output in UTF-8 */
                        log_debug("cannot switch the console's output to UTF-8: %m");
        }
        for (unsigned i = 0; i < keymap_n_codes; i++) {
                unsigned code = keymap_codes[i];
                uint32_t plain = keymap_layout_char(l, code, 0);

                for (unsigned level = 0; level < KEYMAP_LEVELS; level++) {
                        r = set_entry(fd, level, code, kernel_value(l, code, level));
                        if (r < 0)
                                return r;
                        n++;
                }
                /* Ctrl+letter where the layout has the letter: Ctrl-Z where z is. */
                if (plain >= 'a' && plain <= 'z' &&
                    set_entry(fd, CTRL_LEVEL, code, K(KT_LATIN, plain & 0x1f)) == 0)
                        n++;
        }
        for (unsigned level = 0; level < KEYMAP_LEVELS; level++) {
                r = set_entry(fd, level, KEY_RIGHTALT_CODE,
                              K(KT_SHIFT, l->altgr ? KG_ALTGR : KG_ALT));
                if (r < 0)
                        return r;
        }
        r = load_compose(fd, l);
        if (r < 0)
                log_warn("cannot load the compose pairs of %s: %s", l->name, strerror(-r));
        return n;
}

uint32_t vt_keymap_plain(int fd, unsigned code)
{
        struct kbentry e = {.kb_table = 0, .kb_index = (unsigned char) code};
        unsigned short v;

        if (code > 255 || ioctl(fd, KDGKBENT, &e) < 0)
                return 0;
        v = e.kb_value;
        if (v >= 0xf000)
                return v ^ 0xf000u;
        if (KTYP(v) == KT_LATIN || KTYP(v) == KT_LETTER)
                return KVAL(v);
        return 0;
}
