/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "diag.h"

#include <stdarg.h>

void diag_list_done(struct diag_list *l)
{
        for (size_t i = 0; i < l->n; i++) {
                free(l->items[i].fs);
                free(l->items[i].file);
                free(l->items[i].message);
        }
        free(l->items);
        *l = (struct diag_list){0};
}

static int diag_push(struct diag_list *l, const char *fs, const char *file, unsigned line,
                     char *message)
{
        struct diag *d;
        int r;

        if (!message)
                return -ENOMEM;
        r = UTIL_GROW(l->items, l->cap, l->n + 1);
        if (r < 0) {
                free(message);
                return r;
        }
        d = &l->items[l->n];
        *d = (struct diag){.line = line, .message = message};
        if ((fs && !(d->fs = strdup(fs))) || (file && !(d->file = strdup(file)))) {
                free(d->fs);
                free(d->file);
                free(message);
                *d = (struct diag){0};
                return -ENOMEM;
        }
        l->n++;
        return 0;
}

int diag_add(struct diag_list *l, const char *fs, const char *file, unsigned line, const char *fmt,
             ...)
{
        va_list ap;
        char *m;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&m, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        return diag_push(l, fs, file, line, m);
}

int diag_add_copy(struct diag_list *l, const struct diag *d)
{
        return diag_push(l, d->fs, d->file, d->line, strdup(d->message));
}

char *diag_format_fs(const struct diag *d)
{
        char *m = diag_format(d), *r;

        if (!m || !d->fs)
                return m;
        r = util_asprintf("%s: %s", d->fs, m);
        free(m);
        return r;
}

char *diag_format(const struct diag *d)
{
        if (d->file && d->line > 0)
                return util_asprintf("%s:%u: %s", d->file, d->line, d->message);
        if (d->file)
                return util_asprintf("%s: %s", d->file, d->message);
        return strdup(d->message);
}
