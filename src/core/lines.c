/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "lines.h"

#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>

/* Appends text (taken: freed on failure). */
static int lines_take(struct lines *l, enum line_style style, char *text)
{
        int r;

        if (!text)
                return -ENOMEM;
        if (l->max > 0 && l->n >= l->max)
                lines_trim(l, l->max - MAX(l->max / 10, (size_t) 1));
        r = UTIL_GROW(l->items, l->cap, l->n + 1);
        if (r < 0) {
                free(text);
                return r;
        }
        l->items[l->n++] = (struct line){.text = text, .style = style};
        return 0;
}

int lines_push(struct lines *l, enum line_style style, const char *text)
{
        if (!text)
                return -EINVAL;
        return lines_take(l, style, strdup(text));
}

int lines_vprintf(struct lines *l, enum line_style style, const char *fmt, va_list ap)
{
        char *text;
        int r;

        if (vasprintf(&text, fmt, ap) < 0)
                return -ENOMEM;
        for (char *p = text, *nl;; p = nl + 1) {
                nl = strchr(p, '\n');
                if (!nl) {
                        r = lines_take(l, style, strdup(p));
                        break;
                }
                r = lines_take(l, style, strndup(p, (size_t) (nl - p)));
                if (r < 0)
                        break;
        }
        free(text);
        return r;
}

int lines_printf(struct lines *l, enum line_style style, const char *fmt, ...)
{
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = lines_vprintf(l, style, fmt, ap);
        va_end(ap);
        return r;
}

void lines_trim(struct lines *l, size_t keep)
{
        size_t drop;

        if (l->n <= keep)
                return;
        drop = l->n - keep;
        for (size_t i = 0; i < drop; i++)
                free(l->items[i].text);
        memmove(l->items, l->items + drop, keep * sizeof(*l->items));
        l->n = keep;
}

void lines_clear(struct lines *l)
{
        for (size_t i = 0; i < l->n; i++)
                free(l->items[i].text);
        free(l->items);
        *l = (struct lines){.max = l->max};
}

int lines_push_wrapped(struct lines *l, enum line_style style, const char *text, size_t width)
{
        const char *p = text ? text : "", *stop = p + strlen(p);

        if (width == 0)
                width = 1;
        do {
                /* The longest piece of at most width code points; then back to its last blank
                 * when the text goes on in the middle of a word. */
                const char *end = p, *blank = NULL;
                size_t n = 0;
                int r;

                while (*end && n < width) {
                        uint32_t c;

                        if (*end == ' ')
                                blank = end;
                        size_t k = utf8_decode(end, (size_t) (stop - end), &c);

                        end += k ? k : 1; /* a stray byte counts as one */
                        n++;
                }
                if (*end && *end != ' ' && blank && blank > p)
                        end = blank;
                {
                        _cleanup_free_ char *piece = strndup(p, (size_t) (end - p));

                        if (!piece)
                                return -ENOMEM;
                        r = lines_push(l, style, piece);
                        if (r < 0)
                                return r;
                }
                p = end;
                while (*p == ' ')
                        p++;
        } while (*p);
        return 0;
}
