/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The entry editor's model (menu/editor.c): the lines GRUB shows for an entry, the keys (line
 * editing, Up/Down, Enter splitting, joining, Ctrl-X/F10, Esc), the text read back into an entry
 * (files of the original kept, new ones on the kernel's filesystem, errors at their line), the
 * bounds, and the wrapped layout with GRUB's '\' marker. */
#include "test.h"

#include "menu/editor.h"

static struct key_event ch(uint32_t c)
{
        return (struct key_event){.sym = KEYSYM_CHAR, .ch = c};
}

static struct key_event sym(enum key_sym s)
{
        return (struct key_event){.sym = s};
}

static struct key_event ctrl(char c)
{
        return (struct key_event){.sym = KEYSYM_CTRL, .ch = (uint32_t) c};
}

static enum editor_result key(struct editor *ed, struct key_event ev)
{
        return editor_key(ed, &ev);
}

static void type(struct editor *ed, const char *s)
{
        for (; *s; s++)
                (void) key(ed, ch((unsigned char) *s));
}

static void set_ref(struct file_ref *r, const char *spec, const char *path)
{
        *r = (struct file_ref){.spec = strdup(spec), .path = strdup(path), .device = 3};
}

/* Debian on UUID=abc: a kernel, two initrds, "root=/dev/sda1 ro quiet". */
static void make_entry(struct boot_entry *e)
{
        *e = (struct boot_entry){.title = strdup("Debian"),
                                 .cmdline = strdup("root=/dev/sda1 ro quiet")};
        set_ref(&e->kernel, "UUID=abc", "/boot/vmlinuz-6.1");
        e->kernel.subvol = strdup("@");
        e->initrds = calloc(2, sizeof(*e->initrds));
        set_ref(&e->initrds[0], "UUID=abc", "/boot/ucode.img");
        set_ref(&e->initrds[1], "UUID=abc", "/boot/initrd.img-6.1");
        e->initrds[1].subvol = strdup("@");
        e->n_initrds = 2;
}

static char *text(const struct editor *ed)
{
        return editor_text(ed);
}

TEST(open_shows_lines_as_grub)
{
        struct boot_entry e;
        struct editor ed;
        char *t;

        make_entry(&e);
        REQUIRE(editor_open(&ed, &e) == 0);
        t = text(&ed);
        CHECK_STREQ(t, "linux /boot/vmlinuz-6.1 root=/dev/sda1 ro quiet\n"
                       "initrd /boot/ucode.img /boot/initrd.img-6.1");
        free(t);
        CHECK_INTEQ(ed.cur, 0);
        CHECK_INTEQ(ed.lines[0].cursor, 0);
        editor_close(&ed);

        /* no initrd: one line; modules each on their own; a multiboot kernel; a quoted path */
        for (size_t i = 0; i < e.n_initrds; i++)
                file_ref_done(&e.initrds[i]);
        e.n_initrds = 0;
        e.multiboot = true;
        free(e.cmdline);
        e.cmdline = NULL;
        free(e.kernel.path);
        e.kernel.path = strdup("/boot/xen it's.gz");
        e.modules = calloc(1, sizeof(*e.modules));
        set_ref(&e.modules[0], "UUID=abc", "/boot/vmlinuz");
        e.modules[0].args = strdup("console=hvc0");
        e.n_modules = 1;
        REQUIRE(editor_open(&ed, &e) == 0);
        t = text(&ed);
        CHECK_STREQ(t, "multiboot '/boot/xen it'\\''s.gz'\nmodule /boot/vmlinuz console=hvc0");
        free(t);
        editor_close(&ed);
        boot_entry_done(&e);
}

TEST(keys_edit_the_line)
{
        struct boot_entry e;
        struct editor ed;

        make_entry(&e);
        REQUIRE(editor_open(&ed, &e) == 0);
        /* End, remove " quiet" (6 Backspaces), add " single" */
        CHECK(key(&ed, sym(KEYSYM_END)) == EDITOR_CHANGED);
        for (int i = 0; i < 6; i++)
                CHECK(key(&ed, sym(KEYSYM_BACKSPACE)) == EDITOR_CHANGED);
        type(&ed, " single");
        CHECK_STREQ(ed.lines[0].buf, "linux /boot/vmlinuz-6.1 root=/dev/sda1 ro single");
        /* Home, Delete x5 ("linux"), Ctrl-E, Ctrl-A, Right, Left */
        CHECK(key(&ed, sym(KEYSYM_HOME)) == EDITOR_CHANGED);
        CHECK(key(&ed, sym(KEYSYM_LEFT)) == EDITOR_NONE); /* the first line's start */
        for (int i = 0; i < 5; i++)
                (void) key(&ed, sym(KEYSYM_DELETE));
        type(&ed, "linuxefi");
        CHECK_STREQ(ed.lines[0].buf, "linuxefi /boot/vmlinuz-6.1 root=/dev/sda1 ro single");
        (void) key(&ed, ctrl('e'));
        CHECK_INTEQ(ed.lines[0].cursor, ed.lines[0].len);
        (void) key(&ed, ctrl('a'));
        CHECK_INTEQ(ed.lines[0].cursor, 0);
        /* Ctrl-K from "root=", then Ctrl-U before the cursor */
        for (int i = 0; i < 27; i++)
                (void) key(&ed, sym(KEYSYM_RIGHT));
        (void) key(&ed, ctrl('k'));
        CHECK_STREQ(ed.lines[0].buf, "linuxefi /boot/vmlinuz-6.1 ");
        type(&ed, "x");
        (void) key(&ed, sym(KEYSYM_LEFT));
        (void) key(&ed, ctrl('u'));
        CHECK_STREQ(ed.lines[0].buf, "x");
        /* Up/Down: history is not what they do here */
        CHECK(key(&ed, sym(KEYSYM_UP)) == EDITOR_NONE);
        CHECK(key(&ed, sym(KEYSYM_DOWN)) == EDITOR_CHANGED);
        CHECK_INTEQ(ed.cur, 1);
        CHECK_INTEQ(ed.lines[1].cursor, 0); /* column 0 kept */
        CHECK(key(&ed, sym(KEYSYM_DOWN)) == EDITOR_NONE);
        CHECK(key(&ed, sym(KEYSYM_END)) == EDITOR_CHANGED);
        CHECK(key(&ed, sym(KEYSYM_UP)) == EDITOR_CHANGED);
        CHECK_INTEQ(ed.lines[0].cursor, 1); /* clamped to the shorter line */
        /* the boot and discard keys */
        CHECK(key(&ed, ctrl('x')) == EDITOR_BOOT);
        CHECK(key(&ed, sym(KEYSYM_F1 + 9)) == EDITOR_BOOT);
        CHECK(key(&ed, sym(KEYSYM_ESCAPE)) == EDITOR_CANCEL);
        CHECK(key(&ed, sym(KEYSYM_F1 + 1)) == EDITOR_NONE);
        editor_close(&ed);
        boot_entry_done(&e);
}

TEST(enter_splits_and_joins)
{
        struct boot_entry e;
        struct editor ed;
        char *t;

        make_entry(&e);
        REQUIRE(editor_open(&ed, &e) == 0);
        (void) key(&ed, sym(KEYSYM_DOWN));
        for (int i = 0; i < 22; i++) /* "initrd /boot/ucode.img" */
                (void) key(&ed, sym(KEYSYM_RIGHT));
        CHECK(key(&ed, sym(KEYSYM_ENTER)) == EDITOR_CHANGED);
        REQUIRE(ed.n == 3);
        CHECK_INTEQ(ed.cur, 2);
        CHECK_INTEQ(ed.lines[2].cursor, 0);
        type(&ed, "module");
        t = text(&ed);
        CHECK_STREQ(t, "linux /boot/vmlinuz-6.1 root=/dev/sda1 ro quiet\n"
                       "initrd /boot/ucode.img\n"
                       "module /boot/initrd.img-6.1");
        free(t);
        /* Backspace at a line's start joins it to the one above, Delete at the end the next */
        (void) key(&ed, sym(KEYSYM_HOME));
        CHECK(key(&ed, sym(KEYSYM_BACKSPACE)) == EDITOR_CHANGED);
        REQUIRE(ed.n == 2);
        CHECK_INTEQ(ed.cur, 1);
        CHECK_STREQ(ed.lines[1].buf, "initrd /boot/ucode.imgmodule /boot/initrd.img-6.1");
        CHECK_INTEQ(ed.lines[1].cursor, strlen("initrd /boot/ucode.img"));
        (void) key(&ed, sym(KEYSYM_UP));
        (void) key(&ed, sym(KEYSYM_END));
        CHECK(key(&ed, sym(KEYSYM_DELETE)) == EDITOR_CHANGED);
        CHECK_INTEQ(ed.n, 1);
        (void) key(&ed, sym(KEYSYM_END));
        CHECK(key(&ed, sym(KEYSYM_DELETE)) == EDITOR_NONE);
        /* Right at the end of a line goes to the next one's start, Left back */
        (void) key(&ed, sym(KEYSYM_ENTER));
        CHECK_INTEQ(ed.n, 2);
        CHECK(key(&ed, sym(KEYSYM_LEFT)) == EDITOR_CHANGED);
        CHECK_INTEQ(ed.cur, 0);
        CHECK_INTEQ(ed.lines[0].cursor, ed.lines[0].len);
        CHECK(key(&ed, sym(KEYSYM_RIGHT)) == EDITOR_CHANGED);
        CHECK_INTEQ(ed.cur, 1);
        editor_close(&ed);
        boot_entry_done(&e);
}

TEST(apply_reads_the_lines_back)
{
        struct boot_entry e, out;
        struct editor ed;

        make_entry(&e);
        REQUIRE(editor_open(&ed, &e) == 0);
        (void) key(&ed, sym(KEYSYM_END));
        for (int i = 0; i < 6; i++)
                (void) key(&ed, sym(KEYSYM_BACKSPACE));
        type(&ed, " single  ");
        (void) key(&ed, sym(KEYSYM_DOWN));
        (void) key(&ed, sym(KEYSYM_END));
        type(&ed, " /extra.img");
        REQUIRE(editor_apply(&ed, &e, &out) == 0);
        CHECK(ed.error == NULL);
        CHECK_STREQ(out.title, "Debian");
        CHECK_STREQ(out.cmdline, "root=/dev/sda1 ro single");
        CHECK_STREQ(out.kernel.path, "/boot/vmlinuz-6.1");
        CHECK_STREQ(out.kernel.subvol, "@");
        CHECK_INTEQ(out.kernel.device, 3);
        REQUIRE(out.n_initrds == 3);
        CHECK_STREQ(out.initrds[0].path, "/boot/ucode.img");
        CHECK(out.initrds[0].subvol == NULL); /* the original reference */
        CHECK_STREQ(out.initrds[1].subvol, "@");
        /* a new file: on the kernel's filesystem (its subvolume) */
        CHECK_STREQ(out.initrds[2].path, "/extra.img");
        CHECK_STREQ(out.initrds[2].spec, "UUID=abc");
        CHECK_STREQ(out.initrds[2].subvol, "@");
        CHECK_INTEQ(out.initrds[2].device, 3);
        CHECK(!out.multiboot);
        boot_entry_done(&out);
        /* the original entry is untouched */
        CHECK_STREQ(e.cmdline, "root=/dev/sda1 ro quiet");
        CHECK_INTEQ(e.n_initrds, 2);
        editor_close(&ed);

        /* the initrd line removed, comments and blank lines, a quoted kernel path */
        REQUIRE(editor_open(&ed, &e) == 0);
        (void) lineedit_set(&ed.lines[0], "linux '/boot/my kernel' a=\"b c\"");
        (void) lineedit_set(&ed.lines[1], "# initrd /boot/initrd.img-6.1");
        REQUIRE(editor_apply(&ed, &e, &out) == 0);
        CHECK_STREQ(out.kernel.path, "/boot/my kernel");
        CHECK_STREQ(out.cmdline, "a=\"b c\"");
        CHECK_INTEQ(out.n_initrds, 0);
        boot_entry_done(&out);
        editor_close(&ed);
        boot_entry_done(&e);
}

/* Applies text (lines separated by '\n') to the sample entry: the result, and the error. */
static int apply_text(const char *text, char **error, size_t *line)
{
        struct boot_entry e, out;
        struct editor ed;
        char *copy = strdup(text), *save = NULL;
        int r, n = 0;

        make_entry(&e);
        r = editor_open(&ed, &e);
        if (r < 0)
                return r;
        for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save), n++) {
                if ((size_t) n >= ed.n) {
                        (void) key(&ed, sym(KEYSYM_DOWN));
                        (void) key(&ed, sym(KEYSYM_END));
                        (void) key(&ed, sym(KEYSYM_ENTER));
                }
                if ((size_t) n >= ed.n) { /* Enter made no line */
                        editor_close(&ed);
                        boot_entry_done(&e);
                        free(copy);
                        return -ENOSPC;
                }
                (void) lineedit_set(&ed.lines[n], l);
        }
        for (size_t i = (size_t) n; i < ed.n; i++)
                (void) lineedit_set(&ed.lines[i], "");
        r = editor_apply(&ed, &e, &out);
        *error = ed.error ? strdup(ed.error) : NULL;
        *line = ed.error_line;
        if (r == 0)
                boot_entry_done(&out);
        editor_close(&ed);
        boot_entry_done(&e);
        free(copy);
        return r;
}

TEST(apply_errors_at_their_line)
{
        static const struct {
                const char *text;
                size_t line;
                const char *error;
        } cases[] = {
                {"linux /k\nboot", 2, "line 2: unknown command 'boot'"},
                {"initrd /i", 0, "no linux line"},
                {"linux /k\nlinux /k2", 2, "line 2: a second linux line"},
                {"linux /k\ninitrd /a\ninitrd /b", 3, "line 3: a second initrd line"},
                {"linux", 1, "line 1: linux needs a file"},
                {"linux vmlinuz", 1, "'vmlinuz': a path starts with /"},
                {"linux (hd0,1)/vmlinuz", 1, "a path starts with /"},
                {"linux '/k", 1, "a quote is not closed"},
                {"linux /k\nmodule", 2, "module needs a file"},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
                char *err = NULL;
                size_t line = 99;
                int r = apply_text(cases[i].text, &err, &line);

                CHECK_INTEQ(r, -EINVAL);
                CHECK_INTEQ(line, cases[i].line);
                CHECK(err && strstr(err, cases[i].error));
                if (!err || !strstr(err, cases[i].error))
                        printf("# case %zu: %s\n", i, err ? err : "(none)");
                free(err);
        }
}

TEST(error_line_marked_in_layout)
{
        struct boot_entry e, out;
        struct editor ed;
        struct editor_screen s;

        make_entry(&e);
        REQUIRE(editor_open(&ed, &e) == 0);
        (void) lineedit_set(&ed.lines[1], "initrdd /x");
        CHECK(editor_apply(&ed, &e, &out) == -EINVAL);
        REQUIRE(editor_layout(&ed, 80, 10, &s) == 0);
        REQUIRE(s.rows.n == 2);
        CHECK_INTEQ(s.rows.items[0].style, LINE_NORMAL);
        CHECK_INTEQ(s.rows.items[1].style, LINE_ERROR);
        editor_screen_done(&s);
        /* fixed: it boots, the mark is gone */
        (void) lineedit_set(&ed.lines[1], "initrd /x");
        REQUIRE(editor_apply(&ed, &e, &out) == 0);
        CHECK(ed.error == NULL && ed.error_line == 0);
        boot_entry_done(&out);
        editor_close(&ed);
        boot_entry_done(&e);
}

TEST(bounds)
{
        struct boot_entry e;
        struct editor ed;
        size_t before;

        make_entry(&e);
        REQUIRE(editor_open(&ed, &e) == 0);
        /* at most EDITOR_MAX_LINES lines */
        for (int i = 0; i < EDITOR_MAX_LINES + 10; i++)
                (void) key(&ed, sym(KEYSYM_ENTER));
        CHECK_INTEQ(ed.n, EDITOR_MAX_LINES);
        CHECK(key(&ed, sym(KEYSYM_ENTER)) == EDITOR_NONE);
        /* at most EDITOR_MAX_BYTES bytes: typing stops */
        for (int i = 0; i < EDITOR_MAX_BYTES + 100; i++)
                (void) key(&ed, ch(0xfc)); /* ü, 2 bytes */
        before = 0;
        for (size_t i = 0; i < ed.n; i++)
                before += ed.lines[i].len + 1;
        CHECK(before <= EDITOR_MAX_BYTES);
        CHECK(before > EDITOR_MAX_BYTES - 8);
        CHECK(key(&ed, ch('a')) == EDITOR_NONE);
        editor_close(&ed);

        /* an entry too long to edit is refused */
        free(e.cmdline);
        e.cmdline = malloc(EDITOR_MAX_BYTES + 1);
        memset(e.cmdline, 'a', EDITOR_MAX_BYTES);
        e.cmdline[EDITOR_MAX_BYTES] = 0;
        CHECK_INTEQ(editor_open(&ed, &e), -E2BIG);
        boot_entry_done(&e);
}

TEST(layout_wraps_with_marker_and_scrolls)
{
        struct boot_entry e;
        struct editor ed;
        struct editor_screen s;

        make_entry(&e);
        REQUIRE(editor_open(&ed, &e) == 0);
        /* 20 columns: 19 characters a row, '\' where the line goes on */
        REQUIRE(editor_layout(&ed, 20, 10, &s) == 0);
        REQUIRE(s.rows.n == 6);
        CHECK_STREQ(s.rows.items[0].text, "linux /boot/vmlinuz\\");
        CHECK_STREQ(s.rows.items[1].text, "-6.1 root=/dev/sda1\\");
        CHECK_STREQ(s.rows.items[2].text, " ro quiet");
        CHECK_STREQ(s.rows.items[3].text, "initrd /boot/ucode.\\");
        CHECK_INTEQ(s.cursor_row, 0);
        CHECK_INTEQ(s.cursor_col, 0);
        CHECK(!s.more_above && !s.more_below);
        editor_screen_done(&s);
        /* the cursor at the first line's end: third row */
        (void) key(&ed, sym(KEYSYM_END));
        REQUIRE(editor_layout(&ed, 20, 10, &s) == 0);
        CHECK_INTEQ(s.cursor_row, 2);
        CHECK_INTEQ(s.cursor_col, 9);
        editor_screen_done(&s);
        /* two rows high: scrolled so that the cursor shows */
        REQUIRE(editor_layout(&ed, 20, 2, &s) == 0);
        REQUIRE(s.rows.n == 2);
        CHECK_STREQ(s.rows.items[1].text, " ro quiet");
        CHECK_INTEQ(s.cursor_row, 1);
        CHECK(s.more_above && s.more_below);
        editor_screen_done(&s);
        (void) key(&ed, sym(KEYSYM_DOWN));
        (void) key(&ed, sym(KEYSYM_END));
        REQUIRE(editor_layout(&ed, 20, 2, &s) == 0);
        CHECK_STREQ(s.rows.items[1].text, "g-6.1");
        CHECK(s.more_above && !s.more_below);
        editor_screen_done(&s);
        editor_close(&ed);
        boot_entry_done(&e);
}
