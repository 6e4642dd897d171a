/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "entry.h"

void file_ref_done(struct file_ref *r)
{
        free(r->spec);
        free(r->fstype);
        free(r->path);
        free(r->args);
        *r = (struct file_ref){.device = -1};
}

void boot_entry_done(struct boot_entry *e)
{
        free(e->title);
        strv_free(e->submenu);
        free(e->source);
        file_ref_done(&e->config);
        file_ref_done(&e->kernel);
        for (size_t i = 0; i < e->n_initrds; i++)
                file_ref_done(&e->initrds[i]);
        free(e->initrds);
        for (size_t i = 0; i < e->n_modules; i++)
                file_ref_done(&e->modules[i]);
        free(e->modules);
        free(e->cmdline);
        free(e->not_bootable);
        strv_free(e->classes);
        *e = (struct boot_entry){0};
}
