/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A subvolume system's rootflags=subvol= (btrfsboot.h). */
#include "btrfsboot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"

/* The kernel's blanks (isspace) between the words of a command line. */
#define BLANKS " \t\n\v\f\r"

/* The words of a command line up to "--" or "---" (init's, the installer's), quotes kept. */
struct word {
        const char *s;
        size_t n;
};

static const char *next_word(const char *p, struct word *w)
{
        bool quoted = false;

        p += strspn(p, BLANKS);
        w->s = p;
        for (; *p && (quoted || !strchr(BLANKS, *p)); p++)
                if (*p == '"')
                        quoted = !quoted;
        w->n = (size_t) (p - w->s);
        return p;
}

static bool word_is(const struct word *w, const char *s)
{
        return w->n == strlen(s) && !memcmp(w->s, s, w->n);
}

/* The value of KEY=VALUE when w is that word, quotes removed from it; NULL otherwise. */
static char *word_value(const struct word *w, const char *key)
{
        size_t k = strlen(key), o = 0;
        char *v;

        if (w->n <= k || memcmp(w->s, key, k) || w->s[k] != '=')
                return NULL;
        v = malloc(w->n - k);
        if (!v)
                return NULL;
        for (size_t i = k + 1; i < w->n; i++)
                if (w->s[i] != '"')
                        v[o++] = w->s[i];
        v[o] = 0;
        return v;
}

/* Does the rootflags value name a subvolume? */
static bool names_subvol(const char *flags)
{
        for (const char *p = flags; *p;) {
                size_t n = strcspn(p, ",");

                if ((n > 7 && !strncmp(p, "subvol=", 7)) || (n > 9 && !strncmp(p, "subvolid=", 9)))
                        return true;
                p += n + (p[n] == ',');
        }
        return false;
}

static bool root_is(const char *root, const char *uuid)
{
        const char *u = startswith(root, "UUID=");

        if (!u)
                u = startswith(root, "/dev/disk/by-uuid/");
        return u && strcaseeq(u, uuid);
}

int btrfsboot_rootflags(const char *cmdline, const char *subvol, const char *fs_uuid, char **ret)
{
        struct word w, last_flags = {0};
        bool ours = false;

        *ret = NULL;
        if (!cmdline || isempty(subvol) || isempty(fs_uuid))
                return 0;
        for (const char *s = subvol; *s; s++)
                if ((unsigned char) *s <= ' ' || *s == ',' || *s == '"' || *s == 0x7f)
                        return 0;
        /* An unclosed quote runs to the end for the kernel too: whatever is added would be
         * inside it (found by fuzz-btrfsboot). */
        size_t quotes = 0;

        for (const char *s = cmdline; *s; s++)
                quotes += *s == '"';
        if (quotes % 2)
                return 0;
        const char *stop = NULL; /* the "--" or "---" word */

        for (const char *p = next_word(cmdline, &w); w.n > 0; p = next_word(p, &w)) {
                _cleanup_free_ char *root = NULL;

                if (word_is(&w, "--") || word_is(&w, "---")) {
                        stop = w.s;
                        break;
                }
                if (w.n > 10 && !memcmp(w.s, "rootflags=", 10)) {
                        last_flags = w;
                        continue;
                }
                root = word_value(&w, "root");
                if (!root && w.n > 5 && !memcmp(w.s, "root=", 5))
                        return -ENOMEM;
                if (root)
                        ours = root_is(root, fs_uuid); /* the last root= is the kernel's */
        }
        if (!ours)
                return 0;
        if (last_flags.n > 0) {
                _cleanup_free_ char *flags = word_value(&last_flags, "rootflags");
                size_t at = (size_t) (last_flags.s - cmdline);

                if (!flags)
                        return -ENOMEM;
                /* a quoted value is left alone (found by fuzz-btrfsboot) */
                if (names_subvol(flags) || memchr(last_flags.s, '"', last_flags.n))
                        return 0;
                *ret = util_asprintf("%.*srootflags=%s,subvol=%s%s", (int) at, cmdline, flags,
                                     subvol, last_flags.s + last_flags.n);
                return *ret ? 0 : -ENOMEM;
        }
        /* before "--"/"---" (the words as split above) */
        size_t at = stop ? (size_t) (stop - cmdline) : strlen(cmdline);

        while (at > 0 && strchr(BLANKS, cmdline[at - 1]))
                at--;
        *ret = util_asprintf("%.*s%srootflags=subvol=%s%s%s", (int) at, cmdline, at ? " " : "",
                             subvol, stop ? " " : "", stop ? stop : "");
        return *ret ? 0 : -ENOMEM;
}
