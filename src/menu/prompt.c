/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A question with a one-line answer (see prompt.h). Pure. */
#include "prompt.h"

#include <string.h>

#include "../core/util.h"

void prompt_init(struct prompt *p)
{
        *p = (struct prompt){0};
        lineedit_init(&p->edit);
}

static void wipe_line(struct prompt *p)
{
        if (p->edit.buf)
                explicit_bzero(p->edit.buf, p->edit.cap);
        lineedit_clear(&p->edit);
}

void prompt_done(struct prompt *p)
{
        wipe_line(p);
        lineedit_done(&p->edit);
        lines_clear(&p->lines);
        free(p->label);
        *p = (struct prompt){0};
}

int prompt_ask(struct prompt *p, const char *label, bool masked)
{
        char *l = strdup(label ? label : "");

        if (!l)
                return -ENOMEM;
        free(p->label);
        p->label = l;
        p->masked = masked;
        p->edit.masked = masked;
        wipe_line(p);
        return 0;
}

void prompt_lines_clear(struct prompt *p)
{
        lines_clear(&p->lines);
}

/* Characters (UTF-8 sequences) in s[0..n). */
static size_t chars(const char *s, size_t n)
{
        size_t c = 0;

        for (size_t i = 0; i < n; i++)
                if (((unsigned char) s[i] & 0xc0) != 0x80)
                        c++;
        return c;
}

/* The byte length of the first max characters of s (at most n bytes). */
static size_t bytes_of(const char *s, size_t n, size_t max)
{
        size_t c = 0, i = 0;

        for (; i < n; i++) {
                if (((unsigned char) s[i] & 0xc0) != 0x80 && c++ == max)
                        break;
        }
        return i;
}

int prompt_say(struct prompt *p, enum line_style style, unsigned width, const char *text)
{
        size_t indent = strspn(text, " "), len = strlen(text);
        const char *s = text + indent, *end = text + len;

        if (width <= indent + 8)
                width = (unsigned) indent + 8;
        if (!*s)
                return lines_push(&p->lines, style, text);
        while (s < end) {
                size_t room = width - indent, n = (size_t) (end - s), take, skip;
                _cleanup_free_ char *line = NULL;

                if (chars(s, n) <= room) {
                        take = n;
                        skip = n;
                } else {
                        size_t cut = bytes_of(s, n, room), b = cut;

                        while (b > 0 && s[b] != ' ')
                                b--;
                        take = b > 0 ? b : cut;
                        skip = take;
                        while (s + skip < end && s[skip] == ' ')
                                skip++;
                }
                line = util_asprintf("%*s%.*s", (int) indent, "", (int) take, s);
                if (!line || lines_push(&p->lines, style, line) < 0)
                        return -ENOMEM;
                s += skip;
        }
        return 0;
}

enum prompt_result prompt_key(struct prompt *p, const struct key_event *ev)
{
        if (ev->sym == KEYSYM_ESCAPE)
                return PROMPT_CANCEL;
        if (p->masked && (ev->sym == KEYSYM_UP || ev->sym == KEYSYM_DOWN))
                return PROMPT_NONE;
        if (ev->sym == KEYSYM_CHAR && p->edit.len + 4 > PROMPT_MAX)
                return PROMPT_NONE;
        switch (lineedit_key(&p->edit, ev)) {
        case LINEEDIT_NONE:
                return PROMPT_NONE;
        case LINEEDIT_CHANGED:
                return PROMPT_CHANGED;
        case LINEEDIT_SUBMIT:
                return PROMPT_SUBMIT;
        }
        return PROMPT_NONE;
}

char *prompt_take(struct prompt *p)
{
        char *s = strndup(p->edit.buf ? p->edit.buf : "", p->edit.len);

        wipe_line(p);
        return s;
}

void prompt_free_answer(char *answer)
{
        if (answer) {
                explicit_bzero(answer, strlen(answer));
                free(answer);
        }
}
