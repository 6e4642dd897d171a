/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "import.h"

#include "../core/fsread.h"

void import_file_done(struct import_file *f)
{
        free(f->dev);
        free(f->path);
        free(f->section);
        *f = (struct import_file){0};
}

void import_entry_done(struct import_entry *e)
{
        free(e->title);
        strv_free(e->submenu);
        free(e->id);
        free(e->config);
        import_file_done(&e->kernel);
        for (size_t i = 0; i < e->n_initrds; i++)
                import_file_done(&e->initrds[i]);
        free(e->initrds);
        for (size_t i = 0; i < e->n_modules; i++)
                import_file_done(&e->modules[i]);
        free(e->modules);
        strv_free(e->module_args);
        free(e->devicetree);
        free(e->cmdline);
        strv_free(e->classes);
        free(e->users);
        auth_set_unref(e->auth);
        free(e->hotkey);
        free(e->not_bootable);
        free(e->version);
        import_file_done(&e->efi);
        *e = (struct import_entry){0};
}

void import_result_done(struct import_result *r)
{
        for (size_t i = 0; i < r->n; i++)
                import_entry_done(&r->entries[i]);
        free(r->entries);
        free(r->theme);
        diag_list_done(&r->diags);
        *r = (struct import_result){.timeout = -1, .default_index = -1};
}

struct import_entry *import_result_add(struct import_result *r)
{
        if (UTIL_GROW(r->entries, r->cap, r->n + 1) < 0)
                return NULL;
        r->entries[r->n] = (struct import_entry){0};
        return &r->entries[r->n++];
}

int import_file_set(struct import_file *f, const char *dev, const char *path)
{
        int r = util_strdup_to(&f->dev, dev);

        if (r < 0)
                return r;
        return util_strdup_to(&f->path, path);
}

int import_entry_add_initrd(struct import_entry *e, const char *dev, const char *path)
{
        return import_entry_add_initrd_section(e, dev, path, NULL);
}

int import_entry_add_initrd_section(struct import_entry *e, const char *dev, const char *path,
                                    const char *section)
{
        struct import_file *n = realloc(e->initrds, (e->n_initrds + 1) * sizeof(*n));

        if (!n)
                return -ENOMEM;
        e->initrds = n;
        n[e->n_initrds] = (struct import_file){0};
        if (import_file_set(&n[e->n_initrds], dev, path) < 0 ||
            util_strdup_to(&n[e->n_initrds].section, section) < 0) {
                import_file_done(&n[e->n_initrds]);
                return -ENOMEM;
        }
        e->n_initrds++;
        return 0;
}

int import_read_file(const struct import_fs *fs, struct import_result *res, const char *path,
                     size_t max, bool optional, char **ret, size_t *ret_len)
{
        int r = fs->read(fs->userdata, fs->dev, path, max, ret, ret_len);

        if (r >= 0)
                return 1;
        if (r == -ENOMEM)
                return r;
        if (optional && (r == -ENOENT || r == -ENOTDIR))
                return 0;
        return diag_add(&res->diags, fs->dev, path, 0, "cannot read: %s", fsread_strerror(r)) < 0
                       ? -ENOMEM
                       : 0;
}

int import_read_lines(const struct import_fs *fs, struct import_result *res, const char *path,
                      size_t max, bool optional, import_line_fn fn, void *userdata)
{
        _cleanup_free_ char *data = NULL;
        size_t len = 0;
        unsigned line = 0;
        char *p, *next;
        int r;

        r = import_read_file(fs, res, path, max, optional, &data, &len);
        if (r <= 0)
                return r;
        for (p = data; p < data + len; p = next) {
                char *t;

                line++;
                next = memchr(p, '\n', (size_t) (data + len - p));
                if (next)
                        *next++ = '\0';
                else
                        next = data + len;
                util_strip_trailing(p);
                t = (char *) util_skip_blanks(p);
                if (!*t || *t == '#')
                        continue;
                r = fn(userdata, line, t);
                if (r < 0)
                        return r;
        }
        return 1;
}

static char *spec_take(char **p)
{
        char *v = *p;

        *p = NULL;
        return v;
}

char *import_spec_join(const char *dev, const char *subvol, const char *iso)
{
        static const char sep[] = {IMPORT_SPEC_SEP, 0};

        if ((dev && strchr(dev, IMPORT_SPEC_SEP)) || (subvol && strchr(subvol, IMPORT_SPEC_SEP)) ||
            (iso && strchr(iso, IMPORT_SPEC_SEP))) {
                errno = EINVAL;
                return NULL;
        }
        return util_asprintf("%s%s%s%s%s%s%s%s%s%s", dev ? dev : "", subvol ? sep : "",
                             subvol ? "subvol" : "", subvol ? sep : "", subvol ? subvol : "",
                             iso ? sep : "", iso ? "iso" : "", iso ? sep : "", iso ? iso : "", "");
}

int import_spec_split(const char *spec, char **ret_dev, char **ret_subvol, char **ret_iso)
{
        _cleanup_free_ char *dev = NULL, *subvol = NULL, *iso = NULL;
        const char *p = spec ? strchr(spec, IMPORT_SPEC_SEP) : NULL;

        if (!p)
                dev = spec && *spec ? strdup(spec) : NULL;
        else if (p > spec)
                dev = strndup(spec, (size_t) (p - spec));
        if ((spec && *spec && spec != p && !dev))
                return -ENOMEM;
        while (p) {
                const char *kind = p + 1, *val = strchr(kind, IMPORT_SPEC_SEP), *end;
                char **slot;

                if (!val)
                        return -EINVAL;
                val++;
                end = strchr(val, IMPORT_SPEC_SEP);
                if ((size_t) (val - kind) == sizeof("subvol") && startswith(kind, "subvol") &&
                    !subvol && !iso)
                        slot = &subvol;
                else if ((size_t) (val - kind) == sizeof("iso") && startswith(kind, "iso") && !iso)
                        slot = &iso;
                else
                        return -EINVAL;
                *slot = end ? strndup(val, (size_t) (end - val)) : strdup(val);
                if (!*slot)
                        return -ENOMEM;
                p = end;
        }
        if (ret_dev)
                *ret_dev = spec_take(&dev);
        if (ret_subvol)
                *ret_subvol = spec_take(&subvol);
        if (ret_iso)
                *ret_iso = spec_take(&iso);
        return 0;
}
