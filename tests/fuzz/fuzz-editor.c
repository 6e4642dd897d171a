/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for the entry editor (issue 13, menu/editor.c): what a person types at `e`,
 * and the text read back into an entry. The first byte chooses the box (columns, rows), a
 * multiboot entry, and whether the text starts empty (bit 0: then the input is the text, '\n'
 * splitting lines). The rest are keys: printable bytes and UTF-8 characters type themselves,
 * other bytes are Ctrl-letters, Enter, Tab, Backspace, and ESC plus a byte any named key (Esc
 * itself, F10, arrows, Home, End, PgUp…). After every key: 1..EDITOR_MAX_LINES lines, at most
 * EDITOR_MAX_BYTES in all, every line NUL-terminated valid UTF-8 of its length, every cursor on
 * a character boundary inside its line, the current line inside the text. The wrapped layout
 * keeps the cursor inside the box and shown. Ctrl-X/F10 reads the text back (editor_apply()):
 * an error names a line of the text; an entry has an absolute kernel path and, opened again,
 * reads back into itself (its text is stable). Built and run by tests/fuzz/run. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/util.h"
#include "menu/editor.h"

#define MAX_APPLIES 8

/* abort() naming the invariant that failed */
#define check(ok) \
        ((ok) ? (void) 0 : (fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #ok), abort()))

static void set_ref(struct file_ref *r, const char *spec, const char *path)
{
        *r = (struct file_ref){.spec = strdup(spec), .path = strdup(path), .device = 3};
}

/* The unit tests' entry: Debian on UUID=abc, two initrds (one in a subvolume), a module. */
static void make_entry(struct boot_entry *e, bool multiboot)
{
        *e = (struct boot_entry){.title = strdup("Debian"),
                                 .cmdline = strdup("root=/dev/sda1 ro quiet"),
                                 .multiboot = multiboot};
        set_ref(&e->kernel, "UUID=abc", "/boot/vmlinuz-6.1");
        e->kernel.subvol = strdup("@");
        e->initrds = calloc(2, sizeof(*e->initrds));
        set_ref(&e->initrds[0], "UUID=abc", "/boot/ucode.img");
        set_ref(&e->initrds[1], "UUID=abc", "/boot/initrd img-6.1");
        e->n_initrds = 2;
        if (multiboot) {
                e->modules = calloc(1, sizeof(*e->modules));
                set_ref(&e->modules[0], "UUID=abc", "/boot/xen.gz");
                e->modules[0].args = strdup("dom0_mem=1G 'a b'");
                e->n_modules = 1;
        }
}

static bool valid_utf8(const char *s, size_t len)
{
        for (size_t i = 0; i < len;) {
                uint32_t c;
                size_t k = utf8_decode(s + i, len - i, &c);

                if (k == 0 || c == 0)
                        return false;
                i += k;
        }
        return true;
}

static void invariants(const struct editor *ed)
{
        size_t total = 0;

        check(ed->n >= 1 && ed->n <= EDITOR_MAX_LINES && ed->cur < ed->n);
        for (size_t i = 0; i < ed->n; i++) {
                const struct lineedit *l = &ed->lines[i];
                uint32_t c;

                check(l->buf && l->len < l->cap && l->buf[l->len] == 0 && l->cursor <= l->len);
                check(valid_utf8(l->buf, l->len));
                check(l->cursor == l->len ||
                      utf8_decode(l->buf + l->cursor, l->len - l->cursor, &c) > 0);
                total += l->len + 1;
        }
        check(total - 1 <= EDITOR_MAX_BYTES);
}

static void layout(struct editor *ed, unsigned cols, unsigned rows)
{
        struct editor_screen sc = {0};

        if (editor_layout(ed, cols, rows, &sc) < 0)
                return; /* -ENOMEM only */
        check(sc.rows.n <= rows && sc.cursor_row < rows && sc.cursor_col < cols);
        check(sc.cursor_row < sc.rows.n || sc.rows.n == 0);
        editor_screen_done(&sc);
}

/* Ctrl-X/F10: the text as an entry, and that entry's text read back into the same. */
static void apply(struct editor *ed, const struct boot_entry *orig)
{
        struct boot_entry a = {0}, b = {0};
        struct editor ed2 = {0}, ed3 = {0};
        char *t2 = NULL, *t3 = NULL;
        int r = editor_apply(ed, orig, &a);

        if (r == -ENOMEM)
                return;
        if (r < 0) {
                check(r == -EINVAL && ed->error && ed->error_line <= ed->n);
                return;
        }
        check(!ed->error && a.kernel.path && a.kernel.path[0] == '/');
        /* no check that modules come with multiboot: kexec-loader.conf's own entries have
         * `module` lines under a plain kernel (they boot through kexec-tools) */
        if (editor_open(&ed2, &a) == 0) {
                invariants(&ed2);
                t2 = editor_text(&ed2);
                check(editor_apply(&ed2, &a, &b) == 0);
                check(streq(b.kernel.path, a.kernel.path) && b.multiboot == a.multiboot &&
                      b.n_initrds == a.n_initrds && b.n_modules == a.n_modules &&
                      streq_ptr(b.cmdline, a.cmdline));
                for (size_t i = 0; i < a.n_initrds; i++)
                        check(streq(b.initrds[i].path, a.initrds[i].path));
                for (size_t i = 0; i < a.n_modules; i++)
                        check(streq(b.modules[i].path, a.modules[i].path) &&
                              streq_ptr(b.modules[i].args, a.modules[i].args));
                check(editor_open(&ed3, &b) == 0);
                t3 = editor_text(&ed3);
                check(t2 && t3 && streq(t2, t3));
                editor_close(&ed3);
                editor_close(&ed2);
                boot_entry_done(&b);
        }
        free(t2);
        free(t3);
        boot_entry_done(&a);
}

/* The next key from the input at *p (advanced). */
static struct key_event next_key(const uint8_t *data, size_t len, size_t *p)
{
        uint8_t b = data[(*p)++];
        uint32_t c;
        size_t k;

        if (b == '\n' || b == '\r')
                return (struct key_event){.sym = KEYSYM_ENTER};
        if (b == '\t')
                return (struct key_event){.sym = KEYSYM_TAB};
        if (b == 0x7f || b == 0x08)
                return (struct key_event){.sym = KEYSYM_BACKSPACE};
        if (b == 0x1b) {
                unsigned s = *p < len ? data[(*p)++] : 0;

                s %= _KEYSYM_MAX;
                if (s == KEYSYM_CHAR || s == KEYSYM_CTRL)
                        s = KEYSYM_ESCAPE;
                return (struct key_event){.sym = (enum key_sym) s};
        }
        if (b < 0x20)
                return (struct key_event){.sym = KEYSYM_CTRL, .ch = (uint32_t) ('a' + b - 1)};
        if (b < 0x80)
                return (struct key_event){.sym = KEYSYM_CHAR, .ch = b};
        k = utf8_decode((const char *) data + *p - 1, len - *p + 1, &c);
        if (k == 0)
                c = b; /* Latin-1 */
        else
                *p += k - 1;
        return (struct key_event){.sym = KEYSYM_CHAR, .ch = c};
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
        struct boot_entry orig;
        struct editor ed;
        unsigned cols, rows, applies = 0, keys = 0;
        size_t p = 1;

        if (len < 1)
                return 0;
        cols = 2 + (data[0] >> 2) % 100;
        rows = 1 + (data[0] >> 1) % 30;
        make_entry(&orig, data[0] & 0x40);
        if (editor_open(&ed, &orig) < 0) {
                boot_entry_done(&orig);
                return 0;
        }
        invariants(&ed);
        if (data[0] & 1) {
                /* the text starts empty: Ctrl-A, Ctrl-K and Delete until it is */
                struct key_event a = {.sym = KEYSYM_CTRL, .ch = 'a'},
                                 k = {.sym = KEYSYM_CTRL, .ch = 'k'}, del = {.sym = KEYSYM_DELETE};

                while (ed.n > 1 || ed.lines[0].len > 0) {
                        (void) editor_key(&ed, &a);
                        (void) editor_key(&ed, &k);
                        (void) editor_key(&ed, &del);
                }
                invariants(&ed);
        }
        while (p < len) {
                struct key_event ev = next_key(data, len, &p);
                enum editor_result r = editor_key(&ed, &ev);

                invariants(&ed);
                if (r == EDITOR_BOOT && applies++ < MAX_APPLIES)
                        apply(&ed, &orig);
                if (++keys % 64 == 0)
                        layout(&ed, cols, rows);
        }
        layout(&ed, cols, rows);
        if (applies == 0)
                apply(&ed, &orig);
        editor_close(&ed);
        boot_entry_done(&orig);
        return 0;
}
