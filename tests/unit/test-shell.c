/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test.h"

#include "input/ttykeys.h"
#include "menu/shell.h"

static bool has_line(const struct shell *s, const char *text)
{
        for (size_t i = 0; i < s->lines.n; i++)
                if (strstr(s->lines.items[i].text, text))
                        return true;
        return false;
}

static enum shell_action type_line(struct shell *s, const char *line)
{
        enum shell_action a = SHELL_ACTION_NONE;

        for (const char *p = line; *p; p++) {
                struct key_event ev = {.sym = KEYSYM_CHAR, .ch = (unsigned char) *p};
                (void) shell_key(s, &ev);
        }
        a = shell_key(s, &(struct key_event){.sym = KEYSYM_ENTER});
        return a;
}

TEST(directives_build_target)
{
        struct shell s;

        REQUIRE(shell_init(&s, "banner") == 0);
        CHECK(has_line(&s, "banner"));
        CHECK_INTEQ(type_line(&s, "ROOT ext4:UUID=1234"), SHELL_ACTION_REDRAW);
        CHECK_INTEQ(type_line(&s, "kernel /boot/vmlinuz"), SHELL_ACTION_REDRAW);
        CHECK_INTEQ(type_line(&s, "initrd /boot/a.img /boot/b.img"), SHELL_ACTION_REDRAW);
        CHECK_INTEQ(type_line(&s, "cmdline root=/dev/sda1"), SHELL_ACTION_REDRAW);
        CHECK_INTEQ(type_line(&s, "append quiet splash"), SHELL_ACTION_REDRAW);
        CHECK_INTEQ(type_line(&s, "module /boot/mod.gz a=1"), SHELL_ACTION_REDRAW);
        CHECK_INTEQ(type_line(&s, "reset-vga"), SHELL_ACTION_REDRAW);
        CHECK_INTEQ(type_line(&s, "mount sdb1 /boot"), SHELL_ACTION_REDRAW);

        const struct config_entry *e = shell_target(&s);
        REQUIRE(e != NULL);
        CHECK_STREQ(e->kernel, "/boot/vmlinuz");
        REQUIRE(strv_length(e->initrds) == 2);
        CHECK_STREQ(e->initrds[1], "/boot/b.img");
        CHECK_STREQ(e->modules[0], "/boot/mod.gz a=1");
        CHECK(e->reset_vga);
        REQUIRE(config_entry_root(e) != NULL);
        CHECK_STREQ(config_entry_root(e)->device, "UUID=1234");
        CHECK_STREQ(config_entry_root(e)->fstype, "ext4");
        CHECK_INTEQ(e->n_mounts, 2);
        char *cl = config_entry_command_line(e);
        CHECK_STREQ(cl, "root=/dev/sda1 quiet splash");
        free(cl);
        CHECK(config_entry_check(e, &(const char *){NULL}) == 0);

        type_line(&s, "show");
        CHECK(has_line(&s, "kernel   /boot/vmlinuz"));
        CHECK(has_line(&s, "cmdline  root=/dev/sda1 quiet splash"));
        shell_done(&s);
}

TEST(commands)
{
        struct shell s;

        REQUIRE(shell_init(&s, NULL) == 0);
        CHECK_INTEQ(type_line(&s, "exit"), SHELL_ACTION_EXIT);
        CHECK_INTEQ(type_line(&s, "  DISKS"), SHELL_ACTION_DISKS);
        CHECK_INTEQ(type_line(&s, "Boot"), SHELL_ACTION_BOOT);
        CHECK_INTEQ(type_line(&s, "help"), SHELL_ACTION_REDRAW);
        CHECK(has_line(&s, "back to the menu"));
        CHECK(has_line(&s, "module PATH"));
        /* The echo of each command. */
        CHECK(has_line(&s, "> Boot"));
        shell_done(&s);
}

TEST(errors)
{
        struct shell s;

        REQUIRE(shell_init(&s, NULL) == 0);
        type_line(&s, "title nope");
        CHECK(has_line(&s, "'title'"));
        type_line(&s, "default");
        CHECK(has_line(&s, "'default'"));
        type_line(&s, "frobnicate now");
        CHECK(has_line(&s, "unknown directive 'frobnicate'"));
        type_line(&s, "kernel");
        CHECK(has_line(&s, "requires"));
        CHECK(shell_target(&s)->kernel == NULL);
        const char *why = NULL;
        CHECK(config_entry_check(shell_target(&s), &why) < 0);
        CHECK(why != NULL);
        type_line(&s, "kernel /k");
        type_line(&s, "reset");
        CHECK(shell_target(&s)->kernel == NULL);
        shell_done(&s);
}

TEST(ctrl_keys)
{
        struct shell s;

        REQUIRE(shell_init(&s, NULL) == 0);
        shell_key(&s, &(struct key_event){.sym = KEYSYM_CHAR, .ch = 'x'});
        CHECK_INTEQ(shell_key(&s, &(struct key_event){.sym = KEYSYM_CTRL, .ch = 'c'}),
                    SHELL_ACTION_REDRAW);
        CHECK(s.edit.len == 0);
        CHECK(has_line(&s, "> x^C"));
        CHECK_INTEQ(shell_key(&s, &(struct key_event){.sym = KEYSYM_CTRL, .ch = 'd'}),
                    SHELL_ACTION_EXIT);
        shell_done(&s);
}

TEST(history_kept_and_scrollback_bounded)
{
        struct shell s;

        REQUIRE(shell_init(&s, NULL) == 0);
        for (int i = 0; i < 700; i++) {
                char b[32];
                snprintf(b, sizeof(b), "append %d", i);
                type_line(&s, b);
        }
        CHECK(s.lines.n <= SHELL_SCROLLBACK_MAX);
        CHECK(has_line(&s, "append 699"));
        CHECK_INTEQ(s.edit.n_history, LINEEDIT_HISTORY_MAX);
        CHECK_STREQ(shell_target(&s)->append, "699");
        shell_done(&s);
}

/* Bytes of one read through the tty decoder and the key dispatch (key_event_unfold) into the
 * shell. */
static void feed_read(struct shell *s, const char *bytes)
{
        struct ttykeys t;
        struct key_event ev[2], keys[2];

        ttykeys_init(&t);
        for (size_t i = 0; i <= strlen(bytes); i++) {
                int k = i < strlen(bytes) ? ttykeys_feed(&t, (unsigned char) bytes[i], ev)
                                          : ttykeys_flush(&t, ev);

                for (int j = 0; j < k; j++) {
                        int u = key_event_unfold(&ev[j], keys);

                        for (int x = 0; x < u; x++)
                                (void) shell_key(s, &keys[x]);
                }
        }
}

TEST(esc_then_key_in_one_read)
{
        struct shell s;

        REQUIRE(shell_init(&s, "banner") == 0);
        /* Esc and a letter that arrive together: the letter is typed (as Alt+x it was lost). */
        feed_read(&s, "ker\033nel");
        CHECK_STREQ(s.edit.buf, "kernel");
        feed_read(&s, "\033\x7f");
        CHECK_STREQ(s.edit.buf, "kerne");
        shell_done(&s);
}
