/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "shell.h"

#include <stdarg.h>

static const char *const shell_help[] = {
        "Commands (names in any case):",
        "  root|rootfs [fstype:]DEVICE   the root filesystem (/dev/sda1, sda1, UUID=, LABEL=,",
        "                                PARTUUID=, PARTLABEL=, (hd0,0), (hd0,gpt2))",
        "  mount [fstype:]DEVICE DIR     another filesystem, read-only, at DIR",
        "  kernel PATH                   the kernel, relative to the mounts",
        "  initrd PATH...                add initrds (several are concatenated)",
        "  cmdline TEXT                  the kernel command line",
        "  append TEXT                   more command line, after cmdline",
        "  module PATH [ARGS]            a multiboot module (booted with kexec-tools)",
        "  reset-vga                     reset the VGA adapter at boot (kexec-tools)",
        "  timeout, grub_root, grub_first, theme, autodetect   as in kexec-loader.conf",
        "  show      show the target      reset    start a new target",
        "  disks     list the devices     boot     boot the target",
        "  help      this text            exit     back to the menu",
};

static int scratch_reset(struct shell *s)
{
        config_done(&s->config);
        if (!config_add_entry(&s->config))
                return -ENOMEM;
        return util_strdup_to(&s->config.entries[0].title, "shell");
}

int shell_init(struct shell *s, const char *banner)
{
        int r;

        *s = (struct shell){.lines.max = SHELL_SCROLLBACK_MAX};
        lineedit_init(&s->edit);
        s->src.fs = NULL;
        s->src.file = "shell";
        r = scratch_reset(s);
        if (r < 0)
                return r;
        if (banner)
                (void) shell_print(s, LINE_HEADER, "%s", banner);
        return shell_print(s, LINE_NORMAL, "Type 'help' for the commands, 'exit' to go back.");
}

void shell_done(struct shell *s)
{
        lineedit_done(&s->edit);
        lines_clear(&s->lines);
        config_done(&s->config);
        diag_list_done(&s->diags);
        *s = (struct shell){0};
}

int shell_print(struct shell *s, enum line_style style, const char *fmt, ...)
{
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = lines_vprintf(&s->lines, style, fmt, ap);
        va_end(ap);
        return r;
}

const struct config_entry *shell_target(const struct shell *s)
{
        return &s->config.entries[0];
}

static void show_target(struct shell *s)
{
        const struct config_entry *e = shell_target(s);
        _cleanup_free_ char *cl = config_entry_command_line(e);

        for (size_t i = 0; i < e->n_mounts; i++)
                (void) shell_print(s, LINE_NORMAL, "%-8s %s%s%s%s%s",
                                   streq(e->mounts[i].mountpoint, "/") ? "root" : "mount",
                                   e->mounts[i].fstype ? e->mounts[i].fstype : "",
                                   e->mounts[i].fstype ? ":" : "", e->mounts[i].device,
                                   streq(e->mounts[i].mountpoint, "/") ? "" : " ",
                                   streq(e->mounts[i].mountpoint, "/") ? ""
                                                                       : e->mounts[i].mountpoint);
        if (e->n_mounts == 0)
                (void) shell_print(s, LINE_NORMAL, "root     (not set)");
        (void) shell_print(s, LINE_NORMAL, "kernel   %s", e->kernel ? e->kernel : "(not set)");
        strv_foreach (i, e->initrds)
                (void) shell_print(s, LINE_NORMAL, "initrd   %s", i);
        strv_foreach (m, e->modules)
                (void) shell_print(s, LINE_NORMAL, "module   %s", m);
        (void) shell_print(s, LINE_NORMAL, "cmdline  %s", cl ? cl : "");
        if (e->reset_vga)
                (void) shell_print(s, LINE_NORMAL, "reset-vga");
}

enum shell_action shell_run(struct shell *s, const char *line)
{
        struct config_parser p = {
                .config = &s->config,
                .current = &s->config.entries[0],
                .in_shell = true,
                .src = &s->src,
                .diags = &s->diags,
        };
        const char *cmd = util_skip_blanks(line), *arg;
        _cleanup_free_ char *word = NULL;
        size_t n = strcspn(cmd, " \t");
        size_t before;
        int r;

        (void) shell_print(s, LINE_NORMAL, "> %s", line);
        if (!*cmd)
                return SHELL_ACTION_REDRAW;
        word = strndup(cmd, n);
        if (!word)
                return SHELL_ACTION_REDRAW;
        arg = util_skip_blanks(cmd + n);
        if (strcaseeq(word, "exit") || strcaseeq(word, "quit"))
                return SHELL_ACTION_EXIT;
        if (strcaseeq(word, "disks"))
                return SHELL_ACTION_DISKS;
        if (strcaseeq(word, "boot"))
                return SHELL_ACTION_BOOT;
        if (strcaseeq(word, "help") || streq(word, "?")) {
                for (size_t i = 0; i < ARRAY_SIZE(shell_help); i++)
                        (void) shell_print(s, LINE_NORMAL, "%s", shell_help[i]);
                return SHELL_ACTION_REDRAW;
        }
        if (strcaseeq(word, "show")) {
                show_target(s);
                return SHELL_ACTION_REDRAW;
        }
        if (strcaseeq(word, "reset")) {
                if (scratch_reset(s) < 0)
                        (void) shell_print(s, LINE_ERROR, "out of memory");
                else
                        (void) shell_print(s, LINE_OK, "new empty target");
                return SHELL_ACTION_REDRAW;
        }

        s->commands++;
        before = s->diags.n;
        r = config_apply_line(&p, cmd, s->commands);
        if (r < 0) {
                (void) shell_print(s, LINE_ERROR, "out of memory");
                return SHELL_ACTION_REDRAW;
        }
        if (s->diags.n > before) {
                for (size_t i = before; i < s->diags.n; i++)
                        (void) shell_print(s, LINE_ERROR, "%s", s->diags.items[i].message);
                return SHELL_ACTION_REDRAW;
        }
        if (*arg)
                (void) shell_print(s, LINE_OK, "%s: %s", word, arg);
        else
                (void) shell_print(s, LINE_OK, "%s: on", word);
        return SHELL_ACTION_REDRAW;
}

enum shell_action shell_key(struct shell *s, const struct key_event *ev)
{
        _cleanup_free_ char *line = NULL;

        if (ev->sym == KEYSYM_CTRL && ev->ch == 'c') {
                (void) shell_print(s, LINE_NORMAL, "> %s^C", s->edit.buf ? s->edit.buf : "");
                lineedit_clear(&s->edit);
                return SHELL_ACTION_REDRAW;
        }
        if (ev->sym == KEYSYM_CTRL && ev->ch == 'd' && s->edit.len == 0)
                return SHELL_ACTION_EXIT;
        switch (lineedit_key(&s->edit, ev)) {
        case LINEEDIT_NONE:
                return SHELL_ACTION_NONE;
        case LINEEDIT_CHANGED:
                return SHELL_ACTION_REDRAW;
        case LINEEDIT_SUBMIT:
                break;
        }
        line = lineedit_take(&s->edit);
        if (!line)
                return SHELL_ACTION_REDRAW;
        return shell_run(s, line);
}
