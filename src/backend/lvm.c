/* SPDX-License-Identifier: GPL-2.0-or-later */
/* LVM, read-only: the --config text and the reading of lvs reports (see lvm.h). Pure. */
#include "lvm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"

void lvm_report_done(struct lvm_report *r)
{
        for (size_t i = 0; i < r->n; i++) {
                free(r->lvs[i].vg);
                free(r->lvs[i].lv);
                free(r->lvs[i].segtype);
        }
        free(r->lvs);
        *r = (struct lvm_report){0};
}

bool lvm_name_valid(const char *s)
{
        size_t n;

        if (!s || s[0] == '-' || streq(s, ".") || streq(s, ".."))
                return false;
        n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+_.-");
        return n > 0 && n < 128 && s[n] == 0;
}

bool lvm_path_valid(const char *path)
{
        size_t n;

        if (!path || path[0] != '/')
                return false;
        n = strspn(path, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_-");
        return n < LVM_PATH_MAX && path[n] == 0;
}

/* What the settings are for: lvm.conf(5) of LVM 2.03. */
static const char config_fixed[] =
        /* no command may change metadata on a disk; no backup or archive files */
        "global{metadata_read_only=1 use_lvmlockd=0 use_lvmpolld=0 notify_dbus=0 "
        "event_activation=0} "
        "backup{backup=0 archive=0} "
        /* libdevmapper makes the /dev nodes itself; nobody waits for udev; no dmeventd */
        "activation{udev_sync=0 udev_rules=0 verify_udev_operations=1 monitoring=0 "
        "auto_set_activation_skip=0 ";

/* Writes "[\"a|^PATH$|\",…,\"r|.*|\"]" for the members. */
static void put_filter(FILE *f, char *const *members)
{
        fputc('[', f);
        strv_foreach (m, members)
                fprintf(f, "\"a|^%s$|\",", m);
        fputs("\"r|.*|\"]", f);
}

char *lvm_config(char *const *members, char *const *ro_lvs)
{
        char *s = NULL;
        size_t len = 0;
        bool first = true;
        FILE *f;

        strv_foreach (m, members)
                if (!lvm_path_valid(m))
                        return NULL;
        strv_foreach (lv, ro_lvs) {
                const char *slash = strchr(lv, '/');
                _cleanup_free_ char *vg = slash ? strndup(lv, (size_t) (slash - lv)) : NULL;

                if (!vg || !lvm_name_valid(vg) || !lvm_name_valid(slash + 1))
                        return NULL;
        }
        f = open_memstream(&s, &len);
        if (!f)
                return NULL;
        fputs(config_fixed, f);
        /* The LVs activated get read-only tables: every one is named here. An empty list would
         * leave read_only_volume_list unset (everything writable), so it then holds a name no
         * LV can have. */
        fputs("read_only_volume_list=[", f);
        strv_foreach (lv, ro_lvs) {
                fprintf(f, "%s\"%s\"", first ? "" : ",", lv);
                first = false;
        }
        if (first)
                fputs("\"-/-\"", f);
        /* Only the members are opened, by any name (filter) and by the scan itself
         * (global_filter); no devices file, no hints file, no udev database. */
        fputs("]} devices{filter=", f);
        put_filter(f, members);
        fputs(" global_filter=", f);
        put_filter(f, members);
        fputs(" use_devicesfile=0 hints=\"none\" obtain_device_list_from_udev=0 "
              "external_device_info_source=\"none\" scan_lvs=0}",
              f);
        if (fclose(f) != 0 || !s) {
                free(s);
                return NULL;
        }
        return s;
}

/* lv_attr's first character (lvs(8), "Volume type") that is not a plain LV, and what it is. */
static const struct {
        char c;
        const char *why;
} volume_types[] = {
        {'C', "a cache LV (not activated: cache targets write their metadata)"},
        {'m', "a mirror (not activated: mirrors resync)"},
        {'M', "a mirror (not activated: mirrors resync)"},
        {'o', "the origin of snapshots (not activated: its snapshots would be activated too)"},
        {'O', "the origin of a merging snapshot (not activated: the merge would go on)"},
        {'r', "a RAID LV (not activated: RAID arrays resync)"},
        {'R', "a RAID LV (not activated: RAID arrays resync)"},
        {'s', "a snapshot (not activated)"},
        {'S', "a merging snapshot (not activated: the merge would go on)"},
        {'p', "a pvmove LV (not activated: the move would go on)"},
        {'v', "a virtual LV (not activated)"},
        {'i', "an image of a mirror or RAID LV"},
        {'I', "an image of a mirror or RAID LV"},
        {'l', "a mirror log"},
        {'c', "an LV under conversion (not activated)"},
        {'V', "a thin volume (not activated: its pool writes its metadata)"},
        {'t', "a thin pool (not activated: it writes its metadata)"},
        {'T', "thin pool data"},
        {'d', "a VDO pool (not activated: VDO writes)"},
        {'D', "VDO pool data"},
        {'e', "RAID or pool metadata"},
};

/* Segment types whose table is read-only as it is (dm-linear, dm-stripe). */
static const char *const plain_segtypes[] = {"linear", "striped"};

static bool plain_segtype(const char *segtype)
{
        for (size_t i = 0; i < ARRAY_SIZE(plain_segtypes); i++)
                if (streq(segtype, plain_segtypes[i]))
                        return true;
        return false;
}

const char *lvm_lv_refusal(const char *attr, const char *segtype)
{
        if (!attr || strlen(attr) != 10)
                return "no lv_attr in LVM's report";
        for (size_t i = 0; i < ARRAY_SIZE(volume_types); i++)
                if (attr[0] == volume_types[i].c)
                        return volume_types[i].why;
        if (attr[0] != '-')
                return "an LV of a kind kexec-loader does not activate";
        if (attr[2] >= 'A' && attr[2] <= 'Z')
                return "locked by a pvmove (not activated: the move would go on)";
        if (attr[8] == 'p')
                return "partial: a physical volume of its VG is missing";
        if (attr[9] == 'k')
                return "marked to skip activation (lvchange -k)";
        if (!segtype || !plain_segtype(segtype))
                return "a segment type kexec-loader does not activate (only linear and striped)";
        return NULL;
}

static struct lvm_lv *find_lv(struct lvm_report *r, const char *vg, const char *lv)
{
        for (size_t i = 0; i < r->n; i++)
                if (streq(r->lvs[i].vg, vg) && streq(r->lvs[i].lv, lv))
                        return &r->lvs[i];
        return NULL;
}

/* One report row "  vg|lv|attr|segtype" (cut in place). 1 when it is one, 0 when not. */
static int split_row(char *line, char *field[4])
{
        char *p = line + strspn(line, " \t");

        for (int i = 0; i < 4; i++) {
                field[i] = p;
                p = strchr(p, LVM_REPORT_SEPARATOR[0]);
                if ((i < 3) != (p != NULL))
                        return 0;
                if (p)
                        *p++ = 0;
        }
        util_strip_trailing(field[3]);
        return lvm_name_valid(field[0]) && lvm_name_valid(field[1]) && strlen(field[2]) == 10 &&
               field[3][0] && strlen(field[3]) < 32;
}

static int add_row(struct lvm_report *ret, char *field[4])
{
        struct lvm_lv *lv = find_lv(ret, field[0], field[1]);
        int r;

        if (!lv) {
                if (ret->n >= LVM_LVS_MAX) {
                        ret->dropped++;
                        return 0;
                }
                r = UTIL_GROW(ret->lvs, ret->cap, ret->n + 1);
                if (r < 0)
                        return r;
                lv = &ret->lvs[ret->n];
                *lv = (struct lvm_lv){0};
                lv->vg = strdup(field[0]);
                lv->lv = strdup(field[1]);
                if (!lv->vg || !lv->lv) {
                        free(lv->vg);
                        free(lv->lv);
                        return -ENOMEM;
                }
                memcpy(lv->attr, field[2], 10);
                ret->n++;
        }
        /* Every segment counts: one that is not plain refuses the LV. */
        if (!lv->why)
                lv->why = lvm_lv_refusal(lv->attr, field[3]);
        if (!lv->segtype && !plain_segtype(field[3]))
                return util_strdup_to(&lv->segtype, field[3]);
        return 0;
}

int lvm_report_parse(const char *text, size_t len, struct lvm_report *ret)
{
        struct lvm_report rep = {0};
        const char *p = text, *end = text + len;
        int r = 0;

        while (p < end && r >= 0) {
                const char *nl = memchr(p, '\n', (size_t) (end - p));
                size_t n = (size_t) ((nl ? nl : end) - p);
                char line[LVM_LINE_MAX], *field[4];

                if (n == 0 || memchr(p, 0, n)) {
                        rep.dropped += n > 0;
                } else if (n >= sizeof(line)) {
                        rep.dropped++;
                } else {
                        memcpy(line, p, n);
                        line[n] = 0;
                        if (split_row(line, field))
                                r = add_row(&rep, field);
                        else
                                rep.dropped++;
                }
                p = nl ? nl + 1 : end;
        }
        if (r < 0) {
                lvm_report_done(&rep);
                return r;
        }
        *ret = rep;
        return 0;
}

static void put_escaped(char **p, const char *s)
{
        for (; *s; s++) {
                if (*s == '-')
                        *(*p)++ = '-';
                *(*p)++ = *s;
        }
}

char *lvm_dm_name(const char *vg, const char *lv)
{
        char *s, *p;

        if (!lvm_name_valid(vg) || !lvm_name_valid(lv))
                return NULL;
        s = malloc(2 * (strlen(vg) + strlen(lv)) + 2);
        if (!s)
                return NULL;
        p = s;
        put_escaped(&p, vg);
        *p++ = '-';
        put_escaped(&p, lv);
        *p = 0;
        return s;
}
