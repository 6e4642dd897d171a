/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backend_lvm_scan(), backend_lvm_release(): the LVM volume groups on the devices activated
 * read-only (lvm-activate.h) when the device list is read, their LVs then listed and scanned
 * like any other device; deactivated before kexec. */
#define LOG_MODULE "backend"
#include <stdarg.h>

#include "../core/log.h"
#include "backend.h"
#include "lvm-activate.h"

/* The members (libblkid's LVM2_member) in l, as device paths. */
static int members_of(const struct device_list *l, char ***ret)
{
        char **v = NULL;

        for (size_t i = 0; i < l->n; i++) {
                if (!streq_ptr(l->items[i].fstype, "LVM2_member") || !l->items[i].path)
                        continue;
                if (strv_push(&v, l->items[i].path) < 0) {
                        strv_free(v);
                        return -ENOMEM;
                }
        }
        *ret = v;
        return 0;
}

static bool same_set(char *const *a, char *const *b)
{
        if (strv_length(a) != strv_length(b))
                return false;
        strv_foreach (s, a)
                if (!strv_contains(b, s))
                        return false;
        return true;
}

int backend_lvm_scan(struct backend *b, struct device_list *l)
{
        _cleanup_strv_ char **members = NULL;
        _cleanup_free_ char *err = NULL;
        struct device_list again = {0};
        int r;

        if (b->opt.fs_args || b->cmdline.kexec_no_lvm)
                return 0;
        r = members_of(l, &members);
        if (r < 0)
                return r;
        if (same_set(members, b->lvm_members))
                return 0; /* nothing new: what is active stays */
        /* Members came or went: what was activated over the old ones goes first. */
        backend_lvm_release(b);
        if (!members)
                return 0;
        b->lvm_members = members;
        members = NULL;
        r = lvm_activate(b->lvm_members, &b->lvm_active, &err);
        if (r == -ENOMEM)
                return r;
        if (r <= 0)
                return 0; /* logged; the members are remembered, not tried again */
        /* The LVs' dm devices: the list read again. */
        r = device_scan_sysfs(b->opt.sysroot, b->opt.devroot, &again);
        if (r < 0) {
                log_warn("cannot list block devices: %s", strerror(-r));
                return r == -ENOMEM ? r : 0;
        }
        device_list_done(l);
        *l = again;
        return 0;
}

void backend_lvm_release(struct backend *b)
{
        if (b->lvm_active) {
                /* Nothing of them may stay mounted. */
                backend_release(b);
                (void) lvm_deactivate(b->lvm_members, b->lvm_active);
        }
        strv_free(b->lvm_active);
        b->lvm_active = NULL;
        strv_free(b->lvm_members);
        b->lvm_members = NULL;
}
