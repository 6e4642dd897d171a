/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "entry.h"

#include <stdint.h>

void file_ref_done(struct file_ref *r)
{
        free(r->spec);
        free(r->fstype);
        free(r->path);
        free(r->args);
        free(r->subvol);
        free(r->iso);
        free(r->section);
        *r = (struct file_ref){.device = -1};
}

void boot_entry_done(struct boot_entry *e)
{
        free(e->title);
        strv_free(e->submenu);
        free(e->source);
        free(e->iso);
        file_ref_done(&e->config);
        file_ref_done(&e->kernel);
        file_ref_done(&e->efi);
        for (size_t i = 0; i < e->n_initrds; i++)
                file_ref_done(&e->initrds[i]);
        free(e->initrds);
        for (size_t i = 0; i < e->n_modules; i++)
                file_ref_done(&e->modules[i]);
        free(e->modules);
        free(e->cmdline);
        free(e->not_bootable);
        strv_free(e->classes);
        free(e->version);
        free(e->users);
        free(e->hotkey);
        auth_set_unref(e->auth);
        *e = (struct boot_entry){0};
}

static int copy_str(char **dst, const char *src)
{
        *dst = NULL;
        return src && !(*dst = strdup(src)) ? -ENOMEM : 0;
}

int file_ref_copy(const struct file_ref *r, struct file_ref *ret)
{
        *ret = (struct file_ref){.device = r->device};
        if (copy_str(&ret->spec, r->spec) < 0 || copy_str(&ret->fstype, r->fstype) < 0 ||
            copy_str(&ret->path, r->path) < 0 || copy_str(&ret->args, r->args) < 0 ||
            copy_str(&ret->subvol, r->subvol) < 0 || copy_str(&ret->iso, r->iso) < 0 ||
            copy_str(&ret->section, r->section) < 0) {
                file_ref_done(ret);
                return -ENOMEM;
        }
        return 0;
}

static int refs_copy(const struct file_ref *refs, size_t n, struct file_ref **ret)
{
        *ret = calloc(n + 1, sizeof(**ret));
        if (!*ret)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                if (file_ref_copy(&refs[i], &(*ret)[i]) < 0)
                        return -ENOMEM; /* the caller frees the i copies made */
        return 0;
}

int boot_entry_copy(const struct boot_entry *e, struct boot_entry *ret)
{
        struct boot_entry c = {
                .is_default = e->is_default,
                .one_time_default = e->one_time_default,
                .reset_vga = e->reset_vga,
                .multiboot = e->multiboot,
                .uki = e->uki,
                .uki_profile = e->uki_profile,
                .action = e->action,
                .unrestricted = e->unrestricted,
                .auth = auth_set_ref(e->auth),
        };

        c.config.device = c.kernel.device = c.efi.device = -1;
        if (copy_str(&c.title, e->title) < 0 || copy_str(&c.source, e->source) < 0 ||
            copy_str(&c.cmdline, e->cmdline) < 0 ||
            copy_str(&c.not_bootable, e->not_bootable) < 0 ||
            copy_str(&c.version, e->version) < 0 || copy_str(&c.users, e->users) < 0 ||
            copy_str(&c.hotkey, e->hotkey) < 0 || copy_str(&c.iso, e->iso) < 0 ||
            (e->submenu && !(c.submenu = strv_copy(e->submenu))) ||
            (e->classes && !(c.classes = strv_copy(e->classes))) ||
            file_ref_copy(&e->config, &c.config) < 0 || file_ref_copy(&e->kernel, &c.kernel) < 0 ||
            file_ref_copy(&e->efi, &c.efi) < 0)
                goto fail;
        if (refs_copy(e->initrds, e->n_initrds, &c.initrds) < 0) {
                c.n_initrds = e->n_initrds;
                goto fail;
        }
        c.n_initrds = e->n_initrds;
        if (refs_copy(e->modules, e->n_modules, &c.modules) < 0) {
                c.n_modules = e->n_modules;
                goto fail;
        }
        c.n_modules = e->n_modules;
        *ret = c;
        return 0;
fail:
        boot_entry_done(&c);
        return -ENOMEM;
}

static bool same_refs(const struct file_ref *a, const struct file_ref *c)
{
        return streq_ptr(a->spec, c->spec) && streq_ptr(a->path, c->path) &&
               streq_ptr(a->subvol, c->subvol) && streq_ptr(a->iso, c->iso) &&
               streq_ptr(a->section, c->section);
}

/* Whether e can be the same as another: it has a kernel, or it is booted through the firmware. */
static bool comparable(const struct boot_entry *e)
{
        return e->kernel.path || e->action != BOOT_ACTION_KEXEC;
}

bool boot_entry_same(const struct boot_entry *a, const struct boot_entry *e)
{
        if (a->action != e->action)
                return false;
        if (a->action != BOOT_ACTION_KEXEC)
                return streq_ptr(a->title, e->title) && same_refs(&a->efi, &e->efi);
        if (!a->kernel.path || !e->kernel.path || !streq_ptr(a->title, e->title) ||
            !same_refs(&a->kernel, &e->kernel) || !streq_ptr(a->cmdline, e->cmdline) ||
            a->n_initrds != e->n_initrds || a->uki_profile != e->uki_profile)
                return false;
        for (size_t k = 0; k < e->n_initrds; k++)
                if (!same_refs(&a->initrds[k], &e->initrds[k]))
                        return false;
        return true;
}

/* FNV-1a over a string, with NULL and the end of the string told apart from any byte. */
static uint64_t hash_str(uint64_t h, const char *s)
{
        if (!s)
                return (h ^ 0x100) * 0x100000001b3ull;
        for (; *s; s++)
                h = (h ^ (unsigned char) *s) * 0x100000001b3ull;
        return (h ^ 0x101) * 0x100000001b3ull;
}

static uint64_t entry_hash(const struct boot_entry *e)
{
        uint64_t h = 0xcbf29ce484222325ull;

        h = hash_str(h, e->title);
        h = hash_str(h, e->kernel.spec);
        h = hash_str(h, e->kernel.path);
        h = hash_str(h, e->kernel.iso);
        h = hash_str(h, e->efi.spec);
        h = hash_str(h, e->efi.path);
        h = hash_str(h, e->cmdline);
        for (size_t k = 0; k < e->n_initrds; k++) {
                h = hash_str(h, e->initrds[k].spec);
                h = hash_str(h, e->initrds[k].path);
        }
        return h;
}

void boot_entry_set_done(struct boot_entry_set *s)
{
        free(s->slots);
        *s = (struct boot_entry_set){0};
}

/* Open addressing, linear probing; a slot holds an index + 1 (0 = empty). */
static size_t *set_slot(const struct boot_entry_set *s, const struct boot_entry *entries,
                        const struct boot_entry *e, uint64_t h)
{
        for (size_t i = h & (s->cap - 1);; i = (i + 1) & (s->cap - 1))
                if (!s->slots[i] || boot_entry_same(&entries[s->slots[i] - 1], e))
                        return &s->slots[i];
}

static int set_grow(struct boot_entry_set *s, const struct boot_entry *entries)
{
        struct boot_entry_set n = {.cap = s->cap ? s->cap * 2 : 64, .n = s->n};

        n.slots = calloc(n.cap, sizeof(*n.slots));
        if (!n.slots)
                return -ENOMEM;
        for (size_t i = 0; i < s->cap; i++)
                if (s->slots[i]) {
                        const struct boot_entry *o = &entries[s->slots[i] - 1];

                        *set_slot(&n, entries, o, entry_hash(o)) = s->slots[i];
                }
        free(s->slots);
        *s = n;
        return 0;
}

bool boot_entry_set_has(const struct boot_entry_set *s, const struct boot_entry *entries,
                        const struct boot_entry *e)
{
        return s->cap > 0 && comparable(e) && *set_slot(s, entries, e, entry_hash(e));
}

int boot_entry_set_put(struct boot_entry_set *s, const struct boot_entry *entries,
                       const struct boot_entry *e, size_t idx)
{
        size_t *slot;
        int r;

        if (!comparable(e))
                return 1;
        if (2 * (s->n + 1) > s->cap) {
                r = set_grow(s, entries);
                if (r < 0)
                        return r;
        }
        slot = set_slot(s, entries, e, entry_hash(e));
        if (*slot)
                return 0;
        *slot = idx + 1;
        s->n++;
        return 1;
}
