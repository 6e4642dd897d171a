/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Names of mapped and assembled devices (pure): see mapname.h. */
#include "mapname.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"

bool mapname_uuid_valid(const char *u)
{
        size_t n = u ? strlen(u) : 0;

        if (n == 0 || n > 64)
                return false;
        for (; *u; u++)
                if (*u != '-' && util_hexval(*u) < 0)
                        return false;
        return true;
}

char *mapname_luks(const char *uuid)
{
        return mapname_uuid_valid(uuid) ? util_asprintf("luks-%s", uuid) : NULL;
}

/* Copies one component of an LVM dm name up to its single `-` separator (a doubled `-` is an
 * escaped one; a `-` at the very end is a character), unescaped, into out. Returns where the
 * next component starts, or NULL when this was the last. */
static const char *unquote(const char *s, char *out)
{
        while (*s) {
                if (s[0] == '-' && s[1]) {
                        if (s[1] != '-')
                                break;
                        s++;
                }
                *out++ = *s++;
        }
        *out = '\0';
        return *s ? s + 1 : NULL;
}

int mapname_lvm_split(const char *dm_name, char **ret_vg, char **ret_lv, char **ret_layer)
{
        _cleanup_free_ char *vg = NULL, *lv = NULL, *layer = NULL;
        const char *p, *name;
        size_t n;

        name = dm_name ? startswith(dm_name, "/dev/mapper/") : NULL;
        name = name ? name : dm_name;
        if (!name)
                return -EINVAL;
        n = strlen(name) + 1;
        vg = malloc(n);
        lv = malloc(n);
        layer = malloc(n);
        if (!vg || !lv || !layer)
                return -ENOMEM;
        p = unquote(name, vg);
        if (!p || !*vg)
                return -EINVAL;
        p = unquote(p, lv);
        if (!*lv)
                return -EINVAL;
        if (p) {
                /* the layer is the rest, as written */
                strcpy(layer, p);
                if (!*layer)
                        return -EINVAL;
        }
        *ret_vg = vg;
        *ret_lv = lv;
        *ret_layer = p ? layer : NULL;
        vg = lv = NULL;
        if (p)
                layer = NULL;
        return 0;
}

char *mapname_dm_display(const char *dm_name, const char *dm_uuid)
{
        _cleanup_free_ char *vg = NULL, *lv = NULL, *layer = NULL;

        if (isempty(dm_name))
                return NULL;
        if (dm_uuid && startswith(dm_uuid, "LVM-")) {
                int r = mapname_lvm_split(dm_name, &vg, &lv, &layer);

                if (r == -ENOMEM)
                        return NULL;
                if (r == 0)
                        return layer ? util_asprintf("%s/%s (%s)", vg, lv, layer)
                                     : util_asprintf("%s/%s", vg, lv);
        }
        return strdup(dm_name);
}

bool mapname_crypt_uuid(const char *dm_uuid, char buf[MAPNAME_UUID_LEN + 1])
{
        static const unsigned groups[] = {8, 4, 4, 4, 12};
        const char *p = dm_uuid ? startswith(dm_uuid, "CRYPT-LUKS") : NULL;
        char *o = buf;

        /* CRYPT-LUKS1-… or CRYPT-LUKS2-…, then 32 hex digits */
        if (!p || (*p != '1' && *p != '2') || p[1] != '-')
                return false;
        p += 2;
        for (size_t g = 0; g < ARRAY_SIZE(groups); g++) {
                for (unsigned i = 0; i < groups[g]; i++, p++) {
                        if (util_hexval(*p) < 0)
                                return false;
                        *o++ = *p;
                }
                if (g + 1 < ARRAY_SIZE(groups))
                        *o++ = '-';
        }
        if (*p && *p != '-')
                return false;
        *o = '\0';
        return true;
}

char *mapname_md_display(const char *kname, const char *name)
{
        bool ok = !isempty(name);

        if (isempty(kname))
                return NULL;
        for (const unsigned char *p = (const unsigned char *) name; ok && *p; p++)
                if (*p < ' ' || *p == 0x7f)
                        ok = false;
        return ok ? util_asprintf("%s (%s)", kname, name) : strdup(kname);
}
