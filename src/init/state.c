/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "state.h"

#include <dirent.h>

#include "../core/util.h"

static int by_name(const struct dirent **a, const struct dirent **b)
{
        return strverscmp((*a)->d_name, (*b)->d_name);
}

static bool loop_or_dm(const struct dirent *d)
{
        return strncmp(d->d_name, "loop", 4) == 0 || strncmp(d->d_name, "dm-", 3) == 0;
}

/* The first line of sysblock/name/rel, without its newline, spaces escaped; NULL if absent. */
static char *first_line(const char *sysblock, const char *name, const char *rel)
{
        _cleanup_free_ char *path = util_asprintf("%s/%s/%s", sysblock, name, rel), *text = NULL;
        char *out, *o;

        if (!path || util_read_file(path, 4096, &text, NULL) < 0)
                return NULL;
        text[strcspn(text, "\n")] = 0;
        out = o = malloc(strlen(text) * 4 + 1);
        if (!out)
                return NULL;
        for (const char *p = text; *p; p++) {
                if (*p == ' ')
                        o = stpcpy(o, "\\040");
                else
                        *o++ = *p;
        }
        *o = 0;
        return out;
}

char *init_state_block(const char *sysblock)
{
        struct dirent **list = NULL;
        _cleanup_free_ char *buf = NULL;
        size_t size = 0;
        unsigned shown = 0;
        FILE *f;
        int n = scandir(sysblock, &list, NULL, by_name);

        if (n < 0)
                return NULL;
        f = open_memstream(&buf, &size);
        for (int i = 0; i < n; i++) {
                const char *name = list[i]->d_name;
                bool loop = strncmp(name, "loop", 4) == 0;
                _cleanup_free_ char *what = NULL;

                if (f && loop_or_dm(list[i])) {
                        /* a loop device without a backing file is a free one */
                        what = first_line(sysblock, name, loop ? "loop/backing_file" : "dm/name");
                        if (what || !loop) {
                                fprintf(f, " %s(%s)", name, what ? what : "?");
                                shown++;
                        }
                }
                free(list[i]);
        }
        free(list);
        if (!f)
                return NULL;
        if (fclose(f) != 0)
                return NULL;
        return util_asprintf("%u%s", shown, buf ? buf : "");
}

char *init_state_mounts(const char *mountinfo)
{
        _cleanup_fclose_ FILE *in = fopen(mountinfo, "re");
        _cleanup_free_ char *line = NULL, *buf = NULL;
        size_t cap = 0, size = 0;
        unsigned shown = 0;
        FILE *f;

        if (!in)
                return NULL;
        f = open_memstream(&buf, &size);
        if (!f)
                return NULL;
        while (getline(&line, &cap, in) > 0) {
                /* id parent major:minor root mountpoint options [optional...] - type source ... */
                char *save = NULL, *field, *point = NULL, *type = NULL, *source = NULL;
                bool dash = false;

                line[strcspn(line, "\n")] = 0;
                for (int k = 0; (field = strtok_r(k ? NULL : line, " ", &save)); k++) {
                        if (k == 4)
                                point = field;
                        else if (k > 5 && !dash && streq(field, "-"))
                                dash = true;
                        else if (dash && !type)
                                type = field;
                        else if (dash && !source) {
                                source = field;
                                break;
                        }
                }
                if (!point)
                        continue;
                fprintf(f, " %s(%s:%s)", point, type ? type : "?", source ? source : "?");
                shown++;
        }
        if (fclose(f) != 0)
                return NULL;
        return util_asprintf("%u%s", shown, buf ? buf : "");
}
