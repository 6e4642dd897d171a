/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for LVM (issue 12): `lvm lvs` reports as backend/lvm.c reads them. The
 * report is LVM's output, but its names come from a scanned disk's metadata. Every LV kept has
 * names LVM accepts, a 10-character attribute and a verdict consistent with
 * lvm_lv_refusal(); its dm name and the --config naming it are made, and the dm name splits
 * back into the same names (mapname.c). Built and run by tests/fuzz/run (-DFUZZ_TARGET=…). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend/lvm.h"
#include "backend/mapname.h"
#include "core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
        struct lvm_report r = {0};

        if (lvm_report_parse((const char *) data, len, &r) != 0)
                return 0;
        if (r.n > LVM_LVS_MAX)
                abort();
        for (size_t i = 0; i < r.n; i++) {
                const struct lvm_lv *lv = &r.lvs[i];
                char *dm = lvm_dm_name(lv->vg, lv->lv), *vg = NULL, *name = NULL, *layer = NULL;
                char *one = util_asprintf("%s/%s", lv->vg, lv->lv);
                char *lvs[] = {one, NULL}, *members[] = {"/dev/vda2", NULL};
                char *cfg = one ? lvm_config(members, lvs) : NULL;

                if (!lvm_name_valid(lv->vg) || !lvm_name_valid(lv->lv) || strlen(lv->attr) != 10)
                        abort();
                if (!lv->why && (lv->segtype || lvm_lv_refusal(lv->attr, "linear")))
                        abort();
                if (!dm || !cfg || mapname_lvm_split(dm, &vg, &name, &layer) != 0)
                        abort();
                /* an LV named like a layer ("vg-lv-real") reads back as one: that is LVM's own
                 * ambiguity; otherwise the names come back */
                if (!layer && (strcmp(vg, lv->vg) != 0 || strcmp(name, lv->lv) != 0))
                        abort();
                free(dm);
                free(vg);
                free(name);
                free(layer);
                free(one);
                free(cfg);
        }
        lvm_report_done(&r);
        return 0;
}
