/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The GRUB environment block, as grub-editenv writes it. */
#include "grubenv.h"

#define GRUBENV_HEADER "# GRUB Environment Block\n"

/* Undoes the escapes of a value ("\\\\" -> '\\', "\\\n" -> newline) in place. */
static void grubenv_unescape(char *s)
{
        char *w = s;

        for (char *r = s; *r; r++) {
                if (*r == '\\' && r[1])
                        r++;
                *w++ = *r;
        }
        *w = '\0';
}

int grubenv_parse(const char *data, size_t len, char ***ret_strv_of_name_eq_value)
{
        _cleanup_strv_ char **l = calloc(1, sizeof(char *));
        size_t hl = strlen(GRUBENV_HEADER), i;

        if (!l)
                return -ENOMEM;
        if (len < hl || memcmp(data, GRUBENV_HEADER, hl) != 0)
                return -EINVAL;
        for (i = hl; i < len;) {
                size_t start = i;
                char *line;

                /* a line ends at a newline not escaped by a backslash; a NUL ends the block, even
                 * after a backslash (the line copied below ends there) */
                while (i < len && data[i] != '\0' && data[i] != '\n')
                        i += data[i] == '\\' && i + 1 < len && data[i + 1] != '\0' ? 2 : 1;
                if (i < len && data[i] == '\0')
                        break;
                if (data[start] == '#' || i == start || !memchr(data + start, '=', i - start)) {
                        i++;
                        continue;
                }
                line = strndup(data + start, i - start);
                if (!line)
                        return -ENOMEM;
                grubenv_unescape(strchr(line, '=') + 1);
                if (strv_consume(&l, line) < 0)
                        return -ENOMEM;
                i++;
        }
        *ret_strv_of_name_eq_value = l;
        l = NULL;
        return 0;
}
